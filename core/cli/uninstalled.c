/* uninstalled.c - the build tree's `mo` uses the build tree's plugins.
 *
 * Plugins link against libmo, so an uninstalled `mo` loading installed
 * modules would run a new libmo with old plugins (or find none at all
 * before the first `make install`).  As GStreamer's uninstalled mode does,
 * the `mo` of a build tree therefore searches that tree's plugins/ instead
 * of $(pkglibdir), and the installed `mo` never looks into the build tree.
 *
 * The build tree's absolute path is compiled in (MO_ABS_BUILDDIR); what
 * decides is where the running executable is, not an environment variable:
 * the libtool wrapper <builddir>/mo runs <builddir>/.libs/mo (or lt-mo),
 * a static build runs <builddir>/mo itself.  `make install` relinks the same
 * objects, so the installed binary carries the same path, but it runs from
 * $(bindir) and so never matches. */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uninstalled.h"

bool mo_cli_build_tree_plugin_dir(char *dir, size_t cap)
{
#ifdef MO_ABS_BUILDDIR
    char exe[PATH_MAX], top[PATH_MAX];
    /* realpath on both sides: the build tree may be reached through a
     * symbolic link; /proc/self/exe is always the resolved file */
    if (!realpath("/proc/self/exe", exe) || !realpath(MO_ABS_BUILDDIR, top))
        return false;
    size_t n = strlen(top);
    if (strncmp(exe, top, n) || exe[n] != '/')
        return false;
    static const char *const names[] = {"mo", ".libs/mo", ".libs/lt-mo"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!strcmp(exe + n + 1, names[i])) {
            int w = snprintf(dir, cap, "%s/plugins", MO_ABS_BUILDDIR);
            return w > 0 && (size_t)w < cap;
        }
    }
#else
    (void)dir;
    (void)cap;
#endif
    return false;
}
