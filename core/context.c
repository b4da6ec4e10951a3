/* context.c - the conversion environment: no globals, everything here. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "context_private.h"

void *mo_vec_push(void *vec, size_t elem)
{
    struct { char *v; unsigned n, cap; } *x = vec;
    if (x->n == x->cap) {
        unsigned cap = x->cap ? x->cap * 2 : 16;
        char *nv = realloc(x->v, cap * elem);
        if (!nv)
            return NULL;
        x->v = nv;
        x->cap = cap;
    }
    void *slot = x->v + (size_t)x->n * elem;
    memset(slot, 0, elem);
    x->n++;
    return slot;
}

struct mo_context *mo_context_new(void)
{
    struct mo_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->log_level = MO_LOG_ERROR;
    if (mo_ops_register_builtin(ctx, NULL) != MO_OK) {
        mo_context_free(ctx);
        return NULL;
    }
    return ctx;
}

void mo_context_free(struct mo_context *ctx)
{
    if (!ctx)
        return;
    /* unload in reverse load order: later plugins may use earlier ones' ops */
    for (unsigned i = ctx->plugins.n; i-- > 0;) {
        struct plugin_rec *p = ctx->plugins.v[i];
        if (p->desc && p->desc->fini)
            p->desc->fini();
        if (p->handle)
            lt_dlclose(p->handle);
        free(p->path);
        free(p->basename);
        free(p);
    }
    for (unsigned i = 0; i < ctx->translators.n; i++) {
        free(ctx->translators.v[i].framework);
        free(ctx->translators.v[i].layer_type);
    }
    free(ctx->plugins.v);
    free(ctx->translators.v);
    free(ctx->tr_sorted);
    free(ctx->ops.v);
    free(ctx->frontends.v);
    free(ctx->replacements.v);
    mo_mapping_free(ctx->mapping);
    mo_tcfg_state_free(ctx->tcfg);
    free(ctx->cfg_handlers.v);
    free(ctx->plugin_dir);
    if (ctx->ltdl_ready)
        lt_dlexit();
    free(ctx);
}

void mo_context_set_log_level(struct mo_context *ctx, enum mo_log_level lvl) { ctx->log_level = lvl; }
enum mo_log_level mo_context_log_level(const struct mo_context *ctx) { return ctx->log_level; }
void mo_context_set_silent(struct mo_context *ctx, bool silent) { ctx->silent = silent; }
bool mo_context_silent(const struct mo_context *ctx) { return ctx->silent; }
