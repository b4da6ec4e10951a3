/* loader.c - finding, checking and initialising plugin modules.
 *
 * The ABI check happens before any code of the module runs except its
 * query function; a failing init() is rolled back completely, so the
 * registry is as it was before the attempt. */
#include <config.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <mo/log.h>
#include <mo/version.h>

#include "context_private.h"

#ifndef MO_PLUGIN_DIR
#define MO_PLUGIN_DIR "/usr/local/lib/mo"
#endif

const char *mo_installed_plugin_dir(void) { return MO_PLUGIN_DIR; }

enum mo_status mo_context_set_plugin_dir(struct mo_context *ctx, const char *dir,
                                         struct mo_error *err)
{
    char *copy = NULL;
    if (dir && !(copy = strdup(dir)))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    free(ctx->plugin_dir);
    ctx->plugin_dir = copy;
    return MO_OK;
}

const char *mo_context_plugin_dir(const struct mo_context *ctx)
{
    return ctx->plugin_dir ? ctx->plugin_dir : MO_PLUGIN_DIR;
}

static enum mo_status ltdl_ready(struct mo_context *ctx, struct mo_error *err)
{
    if (ctx->ltdl_ready)
        return MO_OK;
    if (lt_dlinit() != 0)
        return mo_error_set(err, MO_ERR_PLUGIN, 0, "cannot initialise libltdl: %s", lt_dlerror());
    ctx->ltdl_ready = true;
    return MO_OK;
}

/* "dir/.libs/mo_mxnet.so" -> "mo_mxnet" */
static char *module_basename(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    char *s = strdup(b);
    if (!s)
        return NULL;
    char *dot = strchr(s, '.');
    if (dot)
        *dot = 0;
    return s;
}

static bool loaded_basename(const struct mo_context *ctx, const char *base)
{
    for (unsigned i = 0; i < ctx->plugins.n; i++)
        if (!strcmp(ctx->plugins.v[i]->basename, base))
            return true;
    return false;
}

static void plugin_rec_free(struct plugin_rec *p)
{
    if (!p)
        return;
    if (p->handle)
        lt_dlclose(p->handle);
    free(p->path);
    free(p->basename);
    free(p);
}

enum mo_status mo_context_load_plugin(struct mo_context *ctx, const char *path, struct mo_error *err)
{
    enum mo_status st = ltdl_ready(ctx, err);
    if (st != MO_OK)
        return st;
    struct plugin_rec *p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(path)) || !(p->basename = module_basename(path))) {
        plugin_rec_free(p);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    lt_dladvise adv;
    if (lt_dladvise_init(&adv) || lt_dladvise_local(&adv)) {
        plugin_rec_free(p);
        return mo_error_set(err, MO_ERR_PLUGIN, 0, "libltdl: %s", lt_dlerror());
    }
    p->handle = lt_dlopenadvise(path, adv);
    lt_dladvise_destroy(&adv);
    if (!p->handle) {
        const char *why = lt_dlerror();
        st = mo_error_set(err, MO_ERR_PLUGIN, 6, "cannot open plugin '%s': %s", path,
                          why ? why : "unknown error");
        plugin_rec_free(p);
        return st;
    }
    /* lt_dlsym tries "<module>_LTX_mo_plugin_query" before the plain name */
    mo_plugin_query_fn query;
    void *sym = lt_dlsym(p->handle, "mo_plugin_query");
    memcpy(&query, &sym, sizeof query);
    if (!query) {
        st = mo_error_set(err, MO_ERR_PLUGIN, 6,
                          "plugin '%s' has no entry point mo_plugin_query: it is not a mo plugin, "
                          "or was built without MO_PLUGIN_EXPORT",
                          path);
        plugin_rec_free(p);
        return st;
    }
    const struct mo_plugin_desc *d = query();
    if (!d) {
        st = mo_error_set(err, MO_ERR_PLUGIN, 6, "plugin '%s': mo_plugin_query returned nothing", path);
    } else if (d->abi_major != MO_PLUGIN_ABI_MAJOR) {
        st = mo_error_set(err, MO_ERR_PLUGIN, 6,
                          "plugin '%s' was built for plugin ABI %u.%u, this mo speaks %d.%d: "
                          "rebuild it against this SDK",
                          path, d->abi_major, d->abi_minor, MO_PLUGIN_ABI_MAJOR, MO_PLUGIN_ABI_MINOR);
    } else if (d->struct_size < offsetof(struct mo_plugin_desc, fini) + sizeof d->fini ||
               !d->name || !d->init) {
        st = mo_error_set(err, MO_ERR_PLUGIN, 6,
                          "plugin '%s' has an incomplete descriptor (size %u, name %s, init %s)",
                          path, d->struct_size, d->name ? d->name : "missing",
                          d->init ? "set" : "missing");
    } else if ((unsigned)d->kind == 0 || d->kind >= MO_PLUGIN_KIND_COUNT) {
        st = mo_error_set(err, MO_ERR_PLUGIN, 6, "plugin '%s' declares an unknown kind %d", path,
                          (int)d->kind);
    }
    if (st != MO_OK) {
        plugin_rec_free(p);
        return st;
    }
    p->desc = d;
    struct mo_plugin_ctx pc = {ctx, p};
    struct mo_error ierr = {0};
    st = d->init(&pc, &ierr);
    if (st != MO_OK) {
        mo_registry_forget(ctx, p);
        mo_error_set(err, MO_ERR_PLUGIN, 6, "plugin '%s' (%s) failed to initialise: %s", path,
                     d->name, ierr.msg[0] ? ierr.msg : mo_status_str(st));
        if (d->fini)
            d->fini();
        plugin_rec_free(p);
        return MO_ERR_PLUGIN;
    }
    struct plugin_rec **slot = mo_vec_push(&ctx->plugins, sizeof *slot);
    if (!slot) {
        mo_registry_forget(ctx, p);
        if (d->fini)
            d->fini();
        plugin_rec_free(p);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    *slot = p;
    mo_log(ctx, MO_LOG_DEBUG, "loaded plugin %s %s from %s", d->name, d->version ? d->version : "",
           path);
    return MO_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Module files of dir, sorted: for each basename the .la if present, else
 * the .so.  Sorting makes loading order (and so messages) reproducible. */
static enum mo_status list_modules(const char *dir, char ***out, unsigned *count,
                                   struct mo_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return mo_error_set(err, MO_ERR_NOT_FOUND, 7, "plugin directory '%s' cannot be read", dir);
    char **v = NULL;
    unsigned n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        bool la = len > 3 && !strcmp(e->d_name + len - 3, ".la");
        bool so = len > 3 && !strcmp(e->d_name + len - 3, ".so");
        if (!la && !so)
            continue;
        if (so) { /* skip foo.so when foo.la sits beside it */
            char lapath[4096];
            struct stat st;
            snprintf(lapath, sizeof lapath, "%s/%.*s.la", dir, (int)(len - 3), e->d_name);
            if (stat(lapath, &st) == 0)
                continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nv = realloc(v, cap * sizeof *nv);
            if (!nv)
                break;
            v = nv;
        }
        size_t plen = strlen(dir) + len + 2;
        v[n] = malloc(plen);
        if (!v[n])
            break;
        snprintf(v[n], plen, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(v, n, sizeof *v, cmp_str);
    *out = v;
    *count = n;
    return MO_OK;
}

static void load_dir(struct mo_context *ctx, const char *dir, bool required, enum mo_status *st,
                     struct mo_error *err)
{
    char **files = NULL;
    unsigned n = 0;
    struct mo_error lerr = {0};
    if (list_modules(dir, &files, &n, &lerr) != MO_OK) {
        if (required && *st == MO_OK) {
            *st = mo_error_set(err, MO_ERR_NOT_FOUND, 7,
                               "extensions directory '%s' does not exist or cannot be read: "
                               "check the --extensions value", dir);
        }
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        char *base = module_basename(files[i]);
        if (base && !loaded_basename(ctx, base)) {
            struct mo_error perr = {0};
            if (mo_context_load_plugin(ctx, files[i], &perr) != MO_OK)
                mo_log(ctx, MO_LOG_WARNING, "%s; going on without it", perr.msg);
        }
        free(base);
        free(files[i]);
    }
    free(files);
}

static void load_list(struct mo_context *ctx, const char *list, char sep, bool required,
                      enum mo_status *st, struct mo_error *err)
{
    char *copy = strdup(list);
    if (!copy)
        return;
    char *save = NULL;
    char seps[2] = {sep, 0};
    for (char *tok = strtok_r(copy, seps, &save); tok; tok = strtok_r(NULL, seps, &save))
        if (*tok)
            load_dir(ctx, tok, required, st, err);
    free(copy);
}

enum mo_status mo_context_load_plugins(struct mo_context *ctx, const char *ext_dirs,
                                       struct mo_error *err)
{
    enum mo_status st = ltdl_ready(ctx, err);
    if (st != MO_OK)
        return st;
    const char *dir = mo_context_plugin_dir(ctx);
    const char *env = getenv("MO_PLUGIN_PATH");
    size_t dlen = strlen(dir);
    char *def_ext = malloc(dlen + sizeof "/extensions");
    if (!def_ext)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    memcpy(def_ext, dir, dlen);
    memcpy(def_ext + dlen, "/extensions", sizeof "/extensions");
    mo_log(ctx, MO_LOG_DEBUG, "plugin search order: extensions from %s%s, then MO_PLUGIN_PATH %s%s%s, then %s",
           ext_dirs ? (*ext_dirs ? ext_dirs : "nowhere (--extensions \"\")") : def_ext,
           ext_dirs ? "" : " (the default)", env ? "'" : "", env ? env : "(not set)", env ? "'" : "",
           dir);
    if (!ext_dirs)
        load_dir(ctx, def_ext, false, &st, err);
    else
        load_list(ctx, ext_dirs, ',', true, &st, err);
    free(def_ext);
    if (env)
        load_list(ctx, env, ':', false, &st, err);
    load_dir(ctx, dir, false, &st, err);
    return st;
}

const struct mo_frontend *mo_context_detect(const struct mo_context *ctx, const char *path,
                                            struct mo_error *err)
{
    unsigned char head[4096];
    size_t n = 0;
    FILE *f = fopen(path, "rb");
    if (f) {
        n = fread(head, 1, sizeof head, f);
        fclose(f);
    }
    const struct mo_frontend *best = NULL;
    int best_score = 0;
    for (unsigned i = 0; i < ctx->frontends.n; i++) {
        const struct mo_frontend *fe = ctx->frontends.v[i].fe;
        if (!fe->probe)
            continue;
        int s = fe->probe(path, head, n);
        if (s > best_score || (s == best_score && s > 0 && best && strcmp(fe->name, best->name) < 0)) {
            best = fe;
            best_score = s;
        }
    }
    if (!best) {
        char names[256] = "";
        for (unsigned i = 0; i < ctx->frontends.n; i++) {
            strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
            strncat(names, ctx->frontends.v[i].fe->name, sizeof names - strlen(names) - 1);
        }
        mo_error_set(err, MO_ERR_UNSUPPORTED, 8,
                     "cannot tell which framework '%s' comes from; pass --framework (loaded "
                     "frontends: %s)",
                     path, ctx->frontends.n ? names : "none - check MO_PLUGIN_PATH and the plugin directory "
                                                      "that mo --list_plugins names");
    }
    return best;
}

void mo_context_describe(const struct mo_context *ctx, FILE *out)
{
    fprintf(out, "mo %s, plugin ABI %d.%d\n", mo_version(), MO_PLUGIN_ABI_MAJOR, MO_PLUGIN_ABI_MINOR);
    const char *dir = mo_context_plugin_dir(ctx);
    if (strcmp(dir, MO_PLUGIN_DIR))
        fprintf(out, "plugin directory: %s (instead of the installed %s)\n", dir, MO_PLUGIN_DIR);
    else
        fprintf(out, "plugin directory: %s (installed)\n", dir);
    fprintf(out, "built-in IR operations: %u\n", ctx->ops.n);
    for (unsigned i = 0; i < ctx->plugins.n; i++) {
        const struct plugin_rec *p = ctx->plugins.v[i];
        fprintf(out, "%-10s %-16s %-8s %s\n",
                p->desc->kind == MO_PLUGIN_FRONTEND ? "frontend" : "extension", p->desc->name,
                p->desc->version ? p->desc->version : "", p->path);
        fprintf(out, "           registers %u frontend(s), %u translator(s), %u op(s), %u replacement(s)\n",
                p->n_frontends, p->n_translators, p->n_ops, p->n_replacements);
        for (unsigned t = 0; t < ctx->translators.n; t++) {
            const struct translator_rec *r = &ctx->translators.v[t];
            if (r->owner == p && r->tier != MO_TIER_STANDARD)
                fprintf(out, "           %s %s (%s, rank %d)\n", r->framework, r->layer_type,
                        r->tier == MO_TIER_MAPPING ? "mapping" : "extension", r->rank);
        }
        for (unsigned o = 0; o < ctx->ops.n; o++)
            if (ctx->ops.v[o].owner == p)
                fprintf(out, "           op %s (%s)\n", ctx->ops.v[o].def->type, ctx->ops.v[o].def->opset);
    }
    mo_mapping_describe(ctx->mapping, out);
}
