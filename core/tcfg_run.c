/* tcfg_run.c - a transformations config in a conversion: who handles each
 * entry, the built-in MO_CFG_REPLACE_WITH_OP, the replacement that runs
 * them all after the frontend loaded the model, and the update mode of
 * --tensorflow_custom_operations_config_update.
 *
 * Ownership: the struct mo_tcfg_state belongs to the context (freed by
 * mo_context_free through mo_tcfg_state_free); it owns the parsed file,
 * the op definitions made for new MO_CFG_REPLACE_WITH_OP types and the
 * replacements registered per frontend, so the registry may point into it
 * for the context's whole life.  Its registrations are charged to an owner
 * named after the file, like those of a CustomLayersMapping.xml. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mo/log.h>
#include <mo/op.h>
#include <mo/plugin.h>

#include "context_private.h"
#include "json_file.h"
#include "tcfg.h"

/* the framework node type MO_CFG_REPLACE_WITH_OP leaves for translation */
#define REPLACED_TYPE "mo.ReplaceWithOp"
#define ATTR_IR_TYPE "mo.type"

struct new_op {
    struct mo_op_def def;
    unsigned n_shapes;          /* 0: outputs shaped like input 0 */
    struct mo_shape *shapes;
};

struct mo_tcfg_state {
    struct mo_tcfg *cfg;
    struct plugin_rec owner;
    struct mo_plugin_desc desc;
    struct mo_replacement *runs;    /* one per frontend */
    struct new_op *ops;
    unsigned n_ops;
};

void mo_tcfg_state_free(struct mo_tcfg_state *s)
{
    if (!s)
        return;
    mo_tcfg_free(s->cfg);
    for (unsigned i = 0; i < s->n_ops; i++)
        free(s->ops[i].shapes);
    free(s->ops);
    free(s->runs);
    free(s->owner.path);
    free(s);
}

/* --- handlers ---------------------------------------------------------- */

enum mo_status mo_register_cfg_handler(struct mo_plugin_ctx *pc, const struct mo_cfg_handler *h,
                                       struct mo_error *err)
{
    struct mo_context *ctx = pc->ctx;
    const char *who = pc->owner && pc->owner->desc ? pc->owner->desc->name : "core";
    if (!h || h->struct_size < sizeof(struct mo_cfg_handler) || !h->id || !*h->id || !h->fn)
        return mo_error_set(err, MO_ERR_PLUGIN, 0, "%s: invalid transformations config handler", who);
    if (!strcmp(h->id, MO_CFG_REPLACE_WITH_OP))
        return mo_error_set(err, MO_ERR_PLUGIN, 0, "%s: the id '%s' is the core's own", who, h->id);
    for (unsigned i = 0; i < ctx->cfg_handlers.n; i++)
        if (!strcmp(ctx->cfg_handlers.v[i].h->id, h->id))
            return mo_error_set(err, MO_ERR_PLUGIN, 0,
                                "%s: transformations config id '%s' is already handled by %s", who, h->id,
                                ctx->cfg_handlers.v[i].owner && ctx->cfg_handlers.v[i].owner->desc
                                    ? ctx->cfg_handlers.v[i].owner->desc->name
                                    : "core");
    struct cfg_handler_rec *r = mo_vec_push(&ctx->cfg_handlers, sizeof *r);
    if (!r)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    r->h = h;
    r->owner = pc->owner;
    return MO_OK;
}

static const struct mo_cfg_handler *find_handler(const struct mo_context *ctx, const char *id)
{
    for (unsigned i = 0; i < ctx->cfg_handlers.n; i++)
        if (!strcmp(ctx->cfg_handlers.v[i].h->id, id))
            return ctx->cfg_handlers.v[i].h;
    return NULL;
}

/* --- the built-in MO_CFG_REPLACE_WITH_OP --------------------------------- */

static bool reserved_attr(const char *name)
{
    return !strcmp(name, "type") || !strcmp(name, "output_shapes");
}

static const struct new_op *new_op_of(const struct mo_context *ctx, const struct mo_op_def *d)
{
    const struct mo_tcfg_state *s = ctx ? ctx->tcfg : NULL;
    for (unsigned i = 0; s && i < s->n_ops; i++)
        if (&s->ops[i].def == d)
            return &s->ops[i];
    return NULL;
}

static enum mo_status new_op_infer(struct mo_node *n, struct mo_error *err)
{
    const struct new_op *o = new_op_of(mo_graph_context(n->graph), n->def);
    if (!o)
        return mo_shape_error(n, err, "custom op has lost its transformations config entry");
    return mo_custom_op_infer(n, o->shapes, o->n_shapes,
                              "\"output_shapes\" in its transformations config entry", err);
}

static enum mo_status replace_with_op(struct mo_context *ctx, struct mo_graph *fw,
                                      const struct mo_cfg_match *m, void *user, struct mo_error *err)
{
    (void)ctx;
    (void)user;
    const struct mo_attr *type = mo_cfg_match_attr(m, "type");
    struct mo_node *n = mo_cfg_replace_with_node(fw, m, REPLACED_TYPE, NULL, err);
    if (!n)
        return err ? err->code : MO_ERR_FORMAT;
    enum mo_status st = mo_node_set_str(n, ATTR_IR_TYPE, type->u.s);
    for (unsigned i = 0; i < m->n_attrs && st == MO_OK; i++)
        if (!reserved_attr(m->attrs[i].name))
            st = mo_node_copy_attr(n, &m->attrs[i]);
    return st == MO_OK ? MO_OK : mo_error_set(err, st, 0, "out of memory");
}

static enum mo_status replaced_translate(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    (void)user;
    const char *type = mo_node_get_str(fw, ATTR_IR_TYPE, NULL);
    struct mo_value *in = calloc(fw->n_inputs + 1, sizeof *in);
    if (!type || !in) {
        free(in);
        return mo_error_set(err, type ? MO_ERR_NOMEM : MO_ERR_INTERNAL, 0,
                            type ? "out of memory" : "replaced node without its op type");
    }
    for (unsigned i = 0; i < fw->n_inputs; i++)
        in[i] = mo_tctx_input(t, i);
    struct mo_node *n = mo_tctx_op(t, type, NULL, fw->n_inputs, in, err);
    free(in);
    if (!n)
        return err ? err->code : MO_ERR_FORMAT;
    /* a def that sizes its outputs by inference starts with none */
    if (n->n_outputs < fw->n_outputs && mo_node_resize(n, n->n_inputs, fw->n_outputs) != MO_OK)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < fw->n_attrs; i++) {
        if (!strcmp(fw->attrs[i].name, ATTR_IR_TYPE))
            continue;
        if (mo_node_copy_attr(n, &fw->attrs[i]) != MO_OK)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    for (unsigned i = 0; i < fw->n_outputs; i++) {
        enum mo_status st = mo_tctx_set_output(t, i, mo_val(n, i), err);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

/* "output_shapes": [[1, 10], [2, -1]] */
static enum mo_status read_shapes(json_t *j, struct new_op *o, struct mo_error *err)
{
    if (!json_is_array(j) || !json_array_size(j))
        return mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                            "custom_attributes.output_shapes: expected a list of shapes, e.g. [[1, 10]]");
    o->n_shapes = (unsigned)json_array_size(j);
    o->shapes = calloc(o->n_shapes, sizeof *o->shapes);
    if (!o->shapes)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < o->n_shapes; i++) {
        json_t *s = json_array_get(j, i);
        size_t r = json_is_array(s) ? json_array_size(s) : (size_t)-1;
        if (r > MO_MAX_RANK)
            return mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                                "custom_attributes.output_shapes[%u]: expected a list of at most %d dims",
                                i, MO_MAX_RANK);
        o->shapes[i].rank = (int)r;
        for (size_t k = 0; k < r; k++) {
            json_t *d = json_array_get(s, k);
            if (!json_is_integer(d) || json_integer_value(d) < -1)
                return mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                                    "custom_attributes.output_shapes[%u][%zu]: a dim is an integer, -1 "
                                    "for a dynamic one", i, k);
            o->shapes[i].dims[k] = json_integer_value(d);
        }
    }
    return MO_OK;
}

/* Check an MO_CFG_REPLACE_WITH_OP entry; an op type the op table lacks
 * becomes a new op of opset "extension", like a mapped custom layer. */
static enum mo_status prepare_replace_with_op(struct mo_context *ctx, struct mo_tcfg_state *s,
                                              const struct tcfg_entry *e, struct mo_error *err)
{
    const struct mo_attr *type = NULL;
    for (unsigned i = 0; i < e->n_attrs; i++)
        if (!strcmp(e->attrs[i].name, "type"))
            type = &e->attrs[i];
    if (!type || type->kind != MO_ATTR_STRING || !*type->u.s)
        return mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                            "id '%s' needs custom_attributes.type, the IR op type to replace the "
                            "sub-graph with", MO_CFG_REPLACE_WITH_OP);
    if (e->kind == TCFG_GENERAL)
        return mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                            "id '%s' replaces a matched sub-graph: use match_kind \"scope\" or \"points\"",
                            MO_CFG_REPLACE_WITH_OP);
    json_t *shapes = json_object_get(json_object_get(e->raw, "custom_attributes"), "output_shapes");
    const struct mo_op_def *have = mo_context_op(ctx, type->u.s);
    if (have && shapes && !new_op_of(ctx, have))
        return mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                            "'%s' is a known IR op, which infers its own shapes: remove "
                            "custom_attributes.output_shapes", type->u.s);
    if (have)
        return MO_OK;
    struct new_op *o = &s->ops[s->n_ops];
    o->def = (struct mo_op_def){type->u.s, "extension", 0, -1, -1, NULL, 0, new_op_infer, NULL};
    s->n_ops++;
    enum mo_status st = shapes ? read_shapes(shapes, o, err) : MO_OK;
    struct mo_plugin_ctx pc = {ctx, &s->owner};
    return st == MO_OK ? mo_register_op(&pc, &o->def, err) : st;
}

/* --- running the config -------------------------------------------------- */

struct run {
    struct mo_context *ctx;
    struct mo_graph *fw;
    mo_cfg_replace_fn fn;
    void *user;
};

static enum mo_status run_one(const struct mo_cfg_match *m, void *user, struct mo_error *err)
{
    struct run *r = user;
    mo_log(r->ctx, MO_LOG_DEBUG, "transformations config '%s', entry %u (id '%s'): replacing %s%s%s "
           "(%u nodes, %u inputs, %u outputs)", m->config, m->entry, m->id, m->match_kind,
           m->scope ? " " : "", m->scope ? m->scope : "", m->n_nodes, m->n_inputs, m->n_outputs);
    return r->fn(r->ctx, r->fw, m, r->user, err);
}

static enum mo_status run_config(struct mo_context *ctx, struct mo_graph *fw, const struct mo_options *opts,
                                 void *user, struct mo_error *err)
{
    (void)opts;
    struct mo_tcfg_state *s = user;
    const struct mo_tcfg *c = s->cfg;
    for (unsigned i = 0; i < c->n; i++) {
        const struct tcfg_entry *e = &c->v[i];
        struct run r = {ctx, fw, replace_with_op, NULL};
        if (strcmp(e->id, MO_CFG_REPLACE_WITH_OP)) {
            const struct mo_cfg_handler *h = find_handler(ctx, e->id);
            r.fn = h->fn;
            r.user = h->user;
        }
        unsigned found = 0;
        enum mo_status st = mo_tcfg_match(c, e, fw, run_one, &r, &found, err);
        if (st == MO_OK && !found)
            st = mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                              "no scope of the model matches %s'%s'; check the pattern against the "
                              "model's node names (--log_level DEBUG lists replacements)",
                              e->n_scopes > 1 ? "any of the patterns, the first " : "", e->scopes[0]);
        if (st != MO_OK) {
            mo_tcfg_entry_prefix(c, e, err);
            return st;
        }
        mo_log(ctx, MO_LOG_DEBUG, "transformations config '%s', entry %u (id '%s'): %u instance(s) replaced",
               c->path, i, e->id, found);
    }
    return MO_OK;
}

static enum mo_status check_handlers(struct mo_context *ctx, struct mo_tcfg_state *s, struct mo_error *err)
{
    const struct mo_tcfg *c = s->cfg;
    for (unsigned i = 0; i < c->n; i++) {
        const struct tcfg_entry *e = &c->v[i];
        enum mo_status st = MO_OK;
        if (!strcmp(e->id, MO_CFG_REPLACE_WITH_OP)) {
            st = prepare_replace_with_op(ctx, s, e, err);
        } else if (!find_handler(ctx, e->id)) {
            char q[MO_QUOTE_SIZE];
            st = mo_error_set(err, MO_ERR_UNSUPPORTED, MO_TCFG_FAQ,
                              "no loaded extension handles the id '%s': load the one that does with "
                              "--extensions DIR (mo --list_plugins shows what is loaded), or use the id "
                              "'%s' with custom_attributes.type to replace the sub-graph by one IR op",
                              mo_quote(q, e->id), MO_CFG_REPLACE_WITH_OP);
        }
        if (st != MO_OK) {
            mo_tcfg_entry_prefix(c, e, err);
            return st;
        }
    }
    return MO_OK;
}

static enum mo_status register_all(struct mo_context *ctx, struct mo_tcfg_state *s, struct mo_error *err)
{
    unsigned nfe = ctx->frontends.n;
    s->runs = calloc(nfe + 1, sizeof *s->runs);
    s->ops = calloc(s->cfg->n + 1, sizeof *s->ops);
    if (!s->runs || !s->ops)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    enum mo_status st = check_handlers(ctx, s, err);
    struct mo_plugin_ctx pc = {ctx, &s->owner};
    for (unsigned f = 0; f < nfe && st == MO_OK; f++) {
        const char *fwname = ctx->frontends.v[f].fe->name;
        /* before every plugin's own replacement: the config describes the
         * model as the frontend loaded it */
        s->runs[f] = (struct mo_replacement){sizeof(struct mo_replacement), fwname,
                                             "transformations config", NULL, 2000000, run_config, s};
        st = mo_register_replacement(&pc, &s->runs[f], err);
        if (st == MO_OK)
            st = mo_register_translator(&pc, fwname, REPLACED_TYPE, MO_TIER_MAPPING, 0, replaced_translate,
                                        NULL, err);
    }
    return st;
}

enum mo_status mo_context_load_transformations(struct mo_context *ctx, const char *path,
                                               struct mo_error *err)
{
    if (!ctx || !path || !*path)
        return mo_error_set(err, MO_ERR_INVALID_ARG, MO_TCFG_FAQ, "no transformations config path given");
    if (ctx->tcfg)
        return mo_error_set(err, MO_ERR_INVALID_ARG, MO_TCFG_FAQ,
                            "transformations config '%s' is already loaded; one per conversion",
                            ctx->tcfg->cfg->path);
    struct mo_tcfg_state *s = calloc(1, sizeof *s);
    if (!s || !(s->owner.path = strdup(path))) {
        free(s);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    s->desc = (struct mo_plugin_desc){MO_PLUGIN_ABI_MAJOR, MO_PLUGIN_ABI_MINOR, sizeof(struct mo_plugin_desc),
                                      s->owner.path, "", MO_PLUGIN_EXTENSION, "transformations config",
                                      NULL, NULL};
    s->owner.basename = s->owner.path;
    s->owner.desc = &s->desc;
    enum mo_status st = mo_tcfg_read(path, &s->cfg, err);
    if (st == MO_OK) {
        /* new_op_infer() finds its entry through the context */
        ctx->tcfg = s;
        st = register_all(ctx, s, err);
    }
    if (st != MO_OK) {
        mo_registry_forget(ctx, &s->owner);
        ctx->tcfg = NULL;
        mo_tcfg_state_free(s);
        return st;
    }
    mo_log(ctx, MO_LOG_DEBUG, "transformations config '%s': %u entr%s", path, s->cfg->n,
           s->cfg->n == 1 ? "y" : "ies");
    return MO_OK;
}

/* --- the update mode ----------------------------------------------------- */

enum mo_status mo_tcfg_update_file(struct mo_context *ctx, struct mo_graph *fw, const char *path,
                                   struct mo_error *err)
{
    struct mo_tcfg *c;
    enum mo_status st = mo_tcfg_read(path, &c, err);
    unsigned updated = 0;
    for (unsigned i = 0; st == MO_OK && i < c->n; i++) {
        struct tcfg_entry *e = &c->v[i];
        if (e->kind != TCFG_SCOPE || (e->has_inputs && e->has_outputs))
            continue;
        json_t *in, *out;
        st = mo_tcfg_derive_io(e, fw, &in, &out, err);
        if (st != MO_OK) {
            mo_tcfg_entry_prefix(c, e, err);
            break;
        }
        /* only what is missing, as the original: what the user wrote stays */
        if (!e->has_inputs && json_object_set(e->raw, "inputs", in) != 0)
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        if (!e->has_outputs && json_object_set(e->raw, "outputs", out) != 0)
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        json_decref(in);
        json_decref(out);
        updated++;
    }
    if (st == MO_OK)
        st = mo_json_write_atomic(path, c->root, JSON_INDENT(4), "transformations config", MO_TCFG_FAQ, err);
    if (st == MO_OK)
        mo_log_success(ctx, "Updated the inputs and outputs of %u sub-graph replacement(s) in '%s'; "
                       "no IR was written (convert with --transformations_config %s).", updated, path, path);
    mo_tcfg_free(c);
    return st;
}
