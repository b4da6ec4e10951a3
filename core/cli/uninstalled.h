/* uninstalled.h - whether this `mo` is the uninstalled one of a build tree. */
#ifndef MO_CLI_UNINSTALLED_H
#define MO_CLI_UNINSTALLED_H

#include <stdbool.h>
#include <stddef.h>

/* True when the running executable is this build tree's own `mo`: then
 * dir (cap bytes) receives the build tree's plugins/ directory, the
 * plugin directory to use instead of the installed one.  False for an
 * installed `mo`, whatever the install prefix. */
bool mo_cli_build_tree_plugin_dir(char *dir, size_t cap);

#endif
