/* translate.c - framework graph -> IR graph through the registry.
 *
 * Nodes are visited producers first.  For each, the candidates registered
 * for (framework, type) are tried in priority order; one that declines has
 * what it created discarded and the next is tried.  Layer types that nobody
 * converts are collected and reported together at the end, so a user sees
 * the whole list at once. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/context.h>
#include <mo/log.h>

#include "context_private.h"
#include "translate.h"

struct mo_tctx {
    struct mo_context *ctx;
    const struct mo_options *opts;
    struct mo_graph *ir;
    const struct mo_node *fw;
    struct mo_value **map;   /* fw node id -> IR value of each output */
    const char *framework;
};

struct mo_graph *mo_tctx_graph(struct mo_tctx *t) { return t->ir; }
struct mo_context *mo_tctx_context(struct mo_tctx *t) { return t->ctx; }
const struct mo_options *mo_tctx_options(struct mo_tctx *t) { return t->opts; }

struct mo_value mo_tctx_input(struct mo_tctx *t, unsigned i)
{
    struct mo_value none = {NULL, 0};
    if (i >= t->fw->n_inputs || !t->fw->inputs[i].node)
        return none;
    struct mo_value src = t->fw->inputs[i];
    struct mo_value *outs = t->map[src.node->id];
    if (!outs || src.port >= src.node->n_outputs)
        return none;
    return outs[src.port];
}

enum mo_status mo_tctx_set_output(struct mo_tctx *t, unsigned i, struct mo_value v,
                                  struct mo_error *err)
{
    if (i >= t->fw->n_outputs || !v.node) {
        char qn[MO_QUOTE_SIZE], qt[MO_QUOTE_SIZE];
        return mo_error_set(err, MO_ERR_INTERNAL, 0, "node '%s' (%s): translator set output %u of %u",
                            mo_quote(qn, t->fw->name), mo_quote(qt, t->fw->type), i, t->fw->n_outputs);
    }
    t->map[t->fw->id][i] = v;
    const struct mo_output *fo = &t->fw->outputs[i];
    for (unsigned k = 0; k < fo->n_names; k++)
        mo_node_add_output_name(v.node, v.port, fo->names[k]);
    return MO_OK;
}

struct mo_node *mo_tctx_op(struct mo_tctx *t, const char *type, const char *suffix,
                           unsigned n_inputs, const struct mo_value *inputs, struct mo_error *err)
{
    char *name = suffix ? mo_graph_printf(t->ir, "%s/%s", t->fw->name, suffix)
                        : mo_graph_strdup(t->ir, t->fw->name);
    if (!name) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    return mo_op(t->ir, type, name, n_inputs, inputs, err);
}

/* --- the unresolved-type report --------------------------------------- */

struct unresolved {
    const char *type;
    unsigned count;
    const char *first[3];
};

static const char *display_type(const struct mo_node *fw)
{
    const char *op_type = mo_node_get_str(fw, "op_type", NULL);
    if (op_type && !strcmp(fw->type, "Custom"))
        return mo_graph_printf(fw->graph, "Custom:%s", op_type);
    return fw->type;
}

static void note_unresolved(struct unresolved *u, unsigned *nu, const struct mo_node *fw)
{
    const char *type = display_type(fw);
    for (unsigned i = 0; i < *nu; i++) {
        if (!strcmp(u[i].type, type)) {
            if (u[i].count < 3)
                u[i].first[u[i].count] = fw->name;
            u[i].count++;
            return;
        }
    }
    u[*nu].type = type;
    u[*nu].count = 1;
    u[*nu].first[0] = fw->name;
    (*nu)++;
}

/* The list of unresolved types into buf; false when it did not fit. */
static bool format_unresolved(const struct unresolved *u, unsigned nu, bool with_names, char *buf, size_t size)
{
    size_t off = 0;
    buf[0] = 0;
    for (unsigned i = 0; i < nu; i++) {
        /* types and names as the file has them: quoted (escaped, cut) */
        char qt[MO_QUOTE_SIZE], q0[MO_QUOTE_SIZE], q1[MO_QUOTE_SIZE], q2[MO_QUOTE_SIZE];
        int w = with_names
                    ? snprintf(buf + off, size - off, "%s'%s' (%u node%s: %s%s%s%s%s%s)", i ? ", " : "",
                               mo_quote(qt, u[i].type), u[i].count, u[i].count == 1 ? "" : "s",
                               mo_quote(q0, u[i].first[0]), u[i].first[1] ? ", " : "",
                               mo_quote(q1, u[i].first[1]), u[i].first[2] ? ", " : "",
                               mo_quote(q2, u[i].first[2]), u[i].count > 3 ? ", ..." : "")
                    : snprintf(buf + off, size - off, "%s'%s' (%u)", i ? ", " : "", mo_quote(qt, u[i].type),
                               u[i].count);
        if (w < 0 || (size_t)w >= size - off)
            return false;
        off += (size_t)w;
    }
    return true;
}

static enum mo_status report_unresolved(const struct unresolved *u, unsigned nu,
                                        const char *framework, struct mo_error *err)
{
    /* room for the sentence around the list */
    char buf[MO_ERROR_MSG_MAX - 160];
    /* every type with its first nodes; where that is too long, every type
     * with its node count, so that no type is left out */
    if (!format_unresolved(u, nu, true, buf, sizeof buf))
        format_unresolved(u, nu, false, buf, sizeof buf);
    return mo_error_set(err, MO_ERR_UNSUPPORTED, 10,
                        "%u %s layer type%s cannot be converted: %s. Add an extension "
                        "(--extensions) or a CustomLayersMapping.xml entry for each",
                        nu, framework, nu == 1 ? "" : "s", buf);
}

/* --- translation ------------------------------------------------------ */

static enum mo_status translate_io(struct mo_tctx *t, const struct mo_node *fw, struct mo_error *err)
{
    struct mo_node *n;
    if (!strcmp(fw->type, "Parameter")) {
        n = mo_parameter(t->ir, fw->name, fw->outputs[0].et, &fw->outputs[0].shape, err);
    } else {
        char qn[MO_QUOTE_SIZE];
        if (!fw->value)
            return mo_error_set(err, MO_ERR_FORMAT, 2, "constant '%s' has no value", mo_quote(qn, fw->name));
        n = mo_const(t->ir, fw->name, mo_tensor_ref(fw->value), err);
    }
    if (!n)
        return err ? err->code : MO_ERR_NOMEM;
    n->origin = fw->name;
    return mo_tctx_set_output(t, 0, mo_val(n, 0), err);
}

static void log_rule_once(struct mo_tctx *t, const char **seen, unsigned *nseen,
                          const struct translator_rec *r)
{
    if (mo_context_log_level(t->ctx) > MO_LOG_DEBUG && mo_context_log_level(t->ctx) != MO_LOG_NOTSET)
        return;
    for (unsigned i = 0; i < *nseen; i++)
        if (!strcmp(seen[i], r->layer_type))
            return;
    seen[(*nseen)++] = r->layer_type;
    static const char *const tiers[] = {"standard translator", "extension", "CustomLayersMapping.xml"};
    /* the MAPPING tier holds what files register (a CustomLayersMapping.xml,
     * a transformations config): their descriptors say which */
    const char *what = r->tier == MO_TIER_MAPPING && r->owner && r->owner->desc && r->owner->desc->description
                           ? r->owner->desc->description
                           : tiers[r->tier];
    mo_log(t->ctx, MO_LOG_DEBUG, "%s layer type '%s' is converted by the %s of '%s' (rank %d)",
           r->framework, r->layer_type, what, mo_registry_owner_name(r), r->rank);
}

/* Translators for fw in resolution order (*cand malloc'ed, caller frees).
 * MXNet's op "Custom" (and any framework's generic custom op) is dispatched
 * by its op_type: "Custom:<op_type>" candidates first, then "Custom". */
static unsigned candidates_for(const struct mo_context *ctx, const char *framework,
                               const struct mo_node *fw, const struct translator_rec ***cand)
{
    unsigned nc = 0;
    const char *op_type = mo_node_get_str(fw, "op_type", NULL);
    if (op_type && !strcmp(fw->type, "Custom")) {
        char key[512];
        snprintf(key, sizeof key, "Custom:%s", op_type);
        nc = mo_registry_candidates(ctx, framework, key, cand);
    }
    if (!nc)
        nc = mo_registry_candidates(ctx, framework, fw->type, cand);
    return nc;
}

static enum mo_status translate_node(struct mo_tctx *t, const struct mo_node *fw,
                                     const char *framework, bool *resolved, const char **seen,
                                     unsigned *nseen, struct mo_error *err)
{
    const struct translator_rec **cand;
    unsigned nc = candidates_for(t->ctx, framework, fw, &cand);
    *resolved = false;
    enum mo_status st = MO_OK;
    for (unsigned c = 0; c < nc; c++) {
        unsigned first_new = mo_graph_n_nodes(t->ir);
        struct mo_error terr = {0};
        st = cand[c]->fn(t, fw, cand[c]->user, &terr);
        unsigned end = mo_graph_n_nodes(t->ir);
        if (st == MO_ERR_DECLINED) {
            for (unsigned i = first_new; i < end; i++)
                mo_node_kill(mo_graph_node(t->ir, i));
            for (unsigned o = 0; o < fw->n_outputs; o++)
                t->map[fw->id][o] = (struct mo_value){NULL, 0};
            st = MO_OK;
            continue;
        }
        if (st != MO_OK) {
            if (terr.msg[0])
                *err = terr;
            else
                mo_error_set(err, st, 0, "%s", mo_status_str(st));
            char qn[MO_QUOTE_SIZE], qt[MO_QUOTE_SIZE];
            mo_error_prefix(err, "%s node '%s' (%s)", framework, mo_quote(qn, fw->name), mo_quote(qt, fw->type));
            break;
        }
        for (unsigned i = first_new; i < end && st == MO_OK; i++) {
            struct mo_node *n = mo_graph_node(t->ir, i);
            if (n->dead)
                continue;
            if (!n->origin)
                n->origin = fw->name;
            st = mo_node_infer(n, err);
        }
        if (st == MO_OK)
            *resolved = true;
        log_rule_once(t, seen, nseen, cand[c]);
        break;
    }
    free(cand);
    return st;
}

/* Whether any translator is registered for fw's type (Custom: by op_type
 * too); Parameter and Const are the core's own. */
static bool has_translator(const struct mo_context *ctx, const char *framework, const struct mo_node *fw)
{
    if (!strcmp(fw->type, "Parameter") || !strcmp(fw->type, "Const"))
        return true;
    const struct translator_rec **cand;
    unsigned nc = candidates_for(ctx, framework, fw, &cand);
    free(cand);
    return nc > 0;
}

/* Every node of fw into t->ir (t->map filled); Results are the caller's. */
static enum mo_status translate_nodes(struct mo_tctx *t0, struct mo_graph *fw, struct mo_error *err)
{
    struct mo_context *ctx = t0->ctx;
    const char *framework = t0->framework;
    struct mo_graph *ir = t0->ir;
    struct mo_node **order;
    unsigned cnt;
    enum mo_status st = mo_graph_topo(fw, &order, &cnt, err);
    if (st != MO_OK)
        return st;
    unsigned total = mo_graph_n_nodes(fw);
    struct mo_tctx t = {ctx, t0->opts, ir, NULL, mo_graph_alloc(ir, (total ? total : 1) * sizeof(struct mo_value *)),
                        framework};
    t0->map = t.map;
    struct unresolved *unres = calloc(cnt ? cnt : 1, sizeof *unres);
    const char **seen = calloc(cnt ? cnt : 1, sizeof *seen);
    if (!t.map || !unres || !seen) {
        free(unres);
        free(seen);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    unsigned nunres = 0, nseen = 0;
    for (unsigned i = 0; i < cnt && st == MO_OK; i++) {
        const struct mo_node *n = order[i];
        t.fw = n;
        t.map[n->id] = mo_graph_alloc(ir, (n->n_outputs ? n->n_outputs : 1) * sizeof(struct mo_value));
        if (!t.map[n->id]) {
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            break;
        }
        /* a node fed by an unconvertible one is skipped: only root causes are reported */
        bool fed = true;
        for (unsigned k = 0; k < n->n_inputs; k++) {
            struct mo_value src = n->inputs[k];
            if (src.node && (!t.map[src.node->id] || !t.map[src.node->id][src.port].node))
                fed = false;
        }
        if (!fed) {
            /* still list a type nobody converts, so the user sees every
             * missing layer type in one report, not one per run */
            if (!has_translator(ctx, framework, n))
                note_unresolved(unres, &nunres, n);
            continue;
        }
        if (!strcmp(n->type, "Parameter") || !strcmp(n->type, "Const")) {
            st = translate_io(&t, n, err);
            continue;
        }
        bool resolved;
        st = translate_node(&t, n, framework, &resolved, seen, &nseen, err);
        if (st == MO_OK && !resolved)
            note_unresolved(unres, &nunres, n);
    }
    if (st == MO_OK && nunres)
        st = report_unresolved(unres, nunres, framework, err);
    free(seen);
    free(unres);
    return st;
}

enum mo_status mo_translate(struct mo_context *ctx, const struct mo_options *opts, const char *framework,
                            struct mo_graph *fw, struct mo_graph *ir, struct mo_error *err)
{
    struct mo_tctx t = {ctx, opts, ir, NULL, NULL, framework};
    enum mo_status st = translate_nodes(&t, fw, err);
    if (st != MO_OK)
        return st;
    for (unsigned i = 0; i < mo_graph_n_outputs(fw); i++) {
        struct mo_value o = mo_graph_output(fw, i);
        struct mo_value *outs = t.map[o.node->id];
        char qn[MO_QUOTE_SIZE];
        if (!outs || !outs[o.port].node)
            return mo_error_set(err, MO_ERR_INTERNAL, 0, "output '%s' was not produced by its translator",
                                mo_quote(qn, o.node->name));
        /* two framework outputs may have become one IR value (e.g. a
         * replacement merged them): one Result is enough */
        bool have = false;
        for (unsigned k = 0; k < mo_graph_n_nodes(ir) && !have; k++) {
            const struct mo_node *r = mo_graph_node(ir, k);
            have = !r->dead && !strcmp(r->type, "Result") && r->inputs[0].node == outs[o.port].node &&
                   r->inputs[0].port == outs[o.port].port;
        }
        if (have)
            continue;
        char *rname = mo_graph_printf(ir, "%s/sink_port_%u", outs[o.port].node->name, outs[o.port].port);
        struct mo_node *r = rname ? mo_result(ir, outs[o.port], rname, err) : NULL;
        if (!r)
            return err ? err->code : MO_ERR_NOMEM;
        r->origin = o.node->name;
        st = mo_node_infer(r, err);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

enum mo_status mo_tctx_translate_body(struct mo_tctx *t, struct mo_graph *fw, struct mo_graph *ir,
                                      struct mo_node **params, struct mo_node **results,
                                      struct mo_error *err)
{
    struct mo_tctx sub = {t->ctx, t->opts, ir, NULL, NULL, t->framework};
    enum mo_status st = translate_nodes(&sub, fw, err);
    if (st != MO_OK)
        return st;
    unsigned k = 0;
    for (unsigned i = 0; i < mo_graph_n_nodes(fw); i++) {
        const struct mo_node *n = mo_graph_node(fw, i);
        if (n->dead || strcmp(n->type, "Parameter"))
            continue;
        struct mo_value *v = sub.map[n->id];
        if (params)
            params[k] = v ? v[0].node : NULL;
        k++;
    }
    for (unsigned i = 0; i < mo_graph_n_outputs(fw); i++) {
        struct mo_value o = mo_graph_output(fw, i);
        struct mo_value *outs = sub.map[o.node->id];
        char qn[MO_QUOTE_SIZE];
        if (!outs || !outs[o.port].node)
            return mo_error_set(err, MO_ERR_INTERNAL, 0, "body output '%s' was not produced by its translator",
                                mo_quote(qn, o.node->name));
        /* one Result per output, also where two outputs are one value:
         * port maps name Results one to one */
        char *rname = mo_graph_printf(ir, "%s/sink_port_%u", outs[o.port].node->name, i);
        struct mo_node *r = rname ? mo_result(ir, outs[o.port], rname, err) : NULL;
        if (!r)
            return err && err->code ? err->code : MO_ERR_NOMEM;
        r->origin = o.node->name;
        if ((st = mo_node_infer(r, err)) != MO_OK)
            return st;
        if (results)
            results[i] = r;
    }
    return MO_OK;
}
