/* context_private.h - what a struct mo_context holds; core modules only. */
#ifndef MO_CONTEXT_PRIVATE_H
#define MO_CONTEXT_PRIVATE_H

#include <stdio.h>

#include <ltdl.h>

#include <mo/context.h>
#include <mo/replace_config.h>

struct plugin_rec {
    char *path;
    char *basename;
    lt_dlhandle handle;
    const struct mo_plugin_desc *desc;
    unsigned n_translators, n_frontends, n_ops, n_replacements;
};

struct translator_rec {
    char *framework;
    char *layer_type;
    enum mo_tier tier;
    int rank;
    mo_translate_fn fn;
    void *user;
    const struct plugin_rec *owner;   /* NULL for the core's own */
};

struct op_rec {
    const struct mo_op_def *def;
    const struct plugin_rec *owner;
};

struct frontend_rec {
    const struct mo_frontend *fe;
    const struct plugin_rec *owner;
};

struct replacement_rec {
    const struct mo_replacement *r;
    const struct plugin_rec *owner;
};

struct cfg_handler_rec {
    const struct mo_cfg_handler *h;
    const struct plugin_rec *owner;
};

#define VEC(T) struct { T *v; unsigned n, cap; }

struct mo_context {
    enum mo_log_level log_level;
    bool silent;
    bool ltdl_ready;
    VEC(struct plugin_rec *) plugins;
    VEC(struct translator_rec) translators;
    /* translators sorted by framework and layer type, each type's in
     * candidate order (registry.c); NULL until asked for, and again after
     * any registration changes (pointers into translators.v) */
    const struct translator_rec **tr_sorted;
    VEC(struct op_rec) ops;
    VEC(struct frontend_rec) frontends;
    VEC(struct replacement_rec) replacements;
    struct mo_mapping *mapping;       /* CustomLayersMapping.xml, or NULL */
    VEC(struct cfg_handler_rec) cfg_handlers;
    struct mo_tcfg_state *tcfg;       /* --transformations_config, or NULL */
    char *plugin_dir;                 /* NULL: the installed MO_PLUGIN_DIR */
};

/* Grow a VEC by one zeroed slot; returns a pointer to it or NULL. */
void *mo_vec_push(void *vec, size_t elem);

/* The plugin being initialised (registrations are charged to it). */
struct mo_plugin_ctx {
    struct mo_context *ctx;
    struct plugin_rec *owner;
};

/* CustomLayersMapping.xml state (core/mapping.c). */
void mo_mapping_free(struct mo_mapping *m);
void mo_mapping_describe(const struct mo_mapping *m, FILE *out);
/* Inference of a custom op (a mapped layer, a config's new op): output i
 * is shaped shapes[i] (the last one for the rest) when n_shapes, else like
 * input 0; all take input 0's element type (f32 without inputs).  where
 * says what to declare when there is neither ("output_shape in ..."). */
struct mo_node;
enum mo_status mo_custom_op_infer(struct mo_node *n, const struct mo_shape *shapes, unsigned n_shapes,
                                  const char *where, struct mo_error *err);
/* --transformations_config state (core/tcfg_run.c). */
struct mo_tcfg_state;
void mo_tcfg_state_free(struct mo_tcfg_state *s);

/* Remove everything registered by owner (rollback of a failed init). */
void mo_registry_forget(struct mo_context *ctx, const struct plugin_rec *owner);
/* Register the built-in op table (core/ops). */
enum mo_status mo_ops_register_builtin(struct mo_context *ctx, struct mo_error *err);
/* Candidates for (framework, type) in resolution order; *out is malloc'ed. */
unsigned mo_registry_candidates(const struct mo_context *ctx, const char *framework,
                                const char *type, const struct translator_rec ***out);
/* Name of whoever registered rec ("core" for built-ins). */
const char *mo_registry_owner_name(const struct translator_rec *rec);

#endif
