/* tr_flow.c - Paddle translators: control flow: while, conditional_block
 * (PIR if), select_input, increment.
 *
 * The loaders give while and conditional_block nodes their blocks as
 * framework bodies (program.c "blocks", pir.c regions): every body
 * Parameter names by "@outer" the node input feeding it; "@cond" is the
 * input holding the condition; a while body's outputs are [the next
 * condition, each carried value] with "@back" naming the input whose
 * Parameter each one feeds in the next iteration (-1: none); a
 * conditional_block has one body whose outputs are its Out variables and
 * "@else" naming the input that keeps each one's value when the condition
 * is false (-1: none); PIR's if has both branches as bodies. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "paddle.h"

/* values a loop carries or a block writes: more is a corrupt file */
#define MO_PD_MAX_CARRIED 1024

/* Framework input i as its IR value. */
static struct mo_value fw_in(struct mo_build *b, unsigned i)
{
    return mo_build_in_opt(b, i);
}

/* The translated body k of fw: its Parameters mapped onto the IR node's
 * inputs (framework input i is IR input remap[i]), results[] the Result
 * of each body output. */
struct fbody {
    struct mo_body *ir;
    struct mo_graph *fw;
    unsigned n_params, n_results;
    struct mo_node **fw_params, **params, **results;
};

static enum mo_status body_translate(struct mo_build *b, const struct mo_node *fw, unsigned k,
                                     struct mo_node *owner, const unsigned *remap,
                                     struct fbody *fb, struct mo_error *err)
{
    struct mo_graph *arena = mo_build_graph(b);
    struct mo_body *src = mo_node_body(fw, k);
    if (!src)
        return mo_build_fail(b, "body %u is missing", k);
    fb->fw = src->graph;
    fb->n_params = 0;
    unsigned nn = mo_graph_n_nodes(fb->fw);
    for (unsigned i = 0; i < nn; i++) {
        struct mo_node *n = mo_graph_node(fb->fw, i);
        fb->n_params += !n->dead && !strcmp(n->type, "Parameter");
    }
    fb->n_results = mo_graph_n_outputs(fb->fw);
    fb->fw_params = mo_graph_alloc(arena, (fb->n_params + 1) * sizeof *fb->fw_params);
    fb->params = mo_graph_alloc(arena, (fb->n_params + 1) * sizeof *fb->params);
    fb->results = mo_graph_alloc(arena, (fb->n_results + 1) * sizeof *fb->results);
    if (!fb->fw_params || !fb->params || !fb->results)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    unsigned j = 0;
    for (unsigned i = 0; i < nn; i++) {
        struct mo_node *n = mo_graph_node(fb->fw, i);
        if (n->dead || strcmp(n->type, "Parameter") != 0)
            continue;
        fb->fw_params[j++] = n;
        /* the Parameter takes the type of the outer value that feeds it */
        int64_t o = mo_node_get_int(n, "@outer", -1, NULL);
        struct mo_value v = o >= 0 && (unsigned)o < fw->n_inputs ? fw_in(b, (unsigned)o) : MO_NO_VALUE;
        if (!v.node)
            return mo_build_fail(b, "body %u reads '%s', which no input of the node carries", k, n->name);
        n->outputs[0].et = mo_value_et(v);
        n->outputs[0].shape = mo_value_shape(v);
        /* an array a loop carries grows as the loop writes it */
        if (mo_node_get_bool(n, MO_PD_ARRAY, false, NULL) && n->outputs[0].shape.rank > 0)
            n->outputs[0].shape.dims[0] = MO_DYN;
    }
    fb->ir = mo_body_add(owner, err);
    if (!fb->ir)
        return mo_build_check(b, err && err->code ? err->code : MO_ERR_NOMEM);
    mo_build_check(b, mo_tctx_translate_body(mo_build_tctx(b), fb->fw, fb->ir->graph, fb->params,
                                             fb->results, err));
    for (unsigned i = 0; i < fb->n_params && mo_build_ok(b); i++) {
        int64_t o = mo_node_get_int(fb->fw_params[i], "@outer", -1, NULL);
        mo_build_check(b, mo_body_input(fb->ir, remap[o], fb->params[i], NULL, err));
    }
    return mo_build_status(b);
}

/* The IR Parameter fed by framework input `outer`, or NULL. */
static struct mo_node *param_of(const struct fbody *fb, int64_t outer)
{
    for (unsigned i = 0; i < fb->n_params; i++)
        if (mo_node_get_int(fb->fw_params[i], "@outer", -1, NULL) == outer)
            return fb->params[i];
    return NULL;
}

/* A body Parameter fed by a constant becomes that constant inside the body
 * (sharing its bytes), and the node loses the input: the IR needs no port
 * for it, and OpenVINO's CPU plugin crashes compiling a Loop whose
 * condition reads a constant it was given as an input.  Loop-carried
 * values (keep[0..nkeep) name their inputs) stay Parameters. */
static void inline_consts(struct mo_build *b, const struct mo_node *fw, const int64_t *keep, int nkeep)
{
    for (unsigned k = 0; k < fw->n_bodies; k++) {
        struct mo_graph *g = mo_node_body(fw, k)->graph;
        for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
            struct mo_node *n = mo_graph_node(g, i);
            int64_t o = mo_node_get_int(n, "@outer", -1, NULL);
            if (n->dead || strcmp(n->type, "Parameter") != 0 || o < 0 || (unsigned)o >= fw->n_inputs)
                continue;
            bool carried = false;
            for (int q = 0; q < nkeep; q++)
                carried |= keep[q] == o;
            struct mo_value v = fw_in(b, (unsigned)o);
            if (carried || !v.node || strcmp(v.node->type, "Const") != 0 || !v.node->value)
                continue;
            n->type = "Const";
            n->value = mo_tensor_ref(v.node->value);
            n->outputs[0].et = v.node->value->et;
            n->outputs[0].shape = v.node->value->shape;
            mo_node_set_int(n, "@outer", -1);
        }
    }
}

/* The IR inputs of a control-flow node: the `shift` leading ones the
 * caller fills, then each framework input a body reads (or extra[] names)
 * once, in framework order; remap[i] is framework input i's IR index (0:
 * not passed).  *n gets the count.  An input no body reads is left out:
 * the IR wants every input of If and Loop to feed a body Parameter. */
static struct mo_value *inputs_of(struct mo_build *b, const struct mo_node *fw, unsigned shift,
                                  const int64_t *extra, int n_extra, unsigned **remap, unsigned *n)
{
    struct mo_graph *arena = mo_build_graph(b);
    struct mo_value *in = mo_graph_alloc(arena, (fw->n_inputs + shift + 1) * sizeof *in);
    bool *used = mo_graph_alloc(arena, (fw->n_inputs + 1) * sizeof *used);
    *remap = mo_graph_alloc(arena, (fw->n_inputs + 1) * sizeof **remap);
    if (!in || !used || !*remap) {
        mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    memset(used, 0, (fw->n_inputs + 1) * sizeof *used);
    for (unsigned k = 0; k < fw->n_bodies; k++) {
        struct mo_graph *g = mo_node_body(fw, k)->graph;
        for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
            int64_t o = mo_node_get_int(mo_graph_node(g, i), "@outer", -1, NULL);
            if (o >= 0 && (unsigned)o < fw->n_inputs)
                used[o] = true;
        }
    }
    for (int k = 0; k < n_extra; k++)
        if (extra[k] >= 0 && (unsigned)extra[k] < fw->n_inputs)
            used[extra[k]] = true;
    *n = shift;
    for (unsigned i = 0; i < fw->n_inputs; i++) {
        (*remap)[i] = 0;
        if (!used[i])
            continue;
        in[*n] = mo_build_in_opt(b, i);
        if (!in[*n].node && mo_build_ok(b)) {
            mo_build_fail(b, "input %u is missing", i);
            return NULL;
        }
        (*remap)[i] = (*n)++;
    }
    return in;
}

/* The condition input as the boolean the IR wants (Paddle's is a bool [1],
 * but PIR's if also takes a number). */
static struct mo_value condition(struct mo_build *b)
{
    const struct mo_node *fw = mo_build_fw(b);
    int64_t c = mo_node_get_int(fw, "@cond", -1, NULL);
    struct mo_value v = c >= 0 && (unsigned)c < fw->n_inputs ? fw_in(b, (unsigned)c) : MO_NO_VALUE;
    if (!v.node) {
        mo_build_fail(b, "the condition input is missing");
        return MO_NO_VALUE;
    }
    return mo_value_et(v) == MO_ET_BOOLEAN ? v : mo_build_convert(b, "cond", v, MO_ET_BOOLEAN);
}

/* Framework output k of slot Out (PIR: output k) is IR value v. */
static void set_out(struct mo_build *b, unsigned k, struct mo_value v)
{
    int idx = mo_pd_out_index(mo_build_fw(b), "Out", k);
    if (idx >= 0)
        mo_build_output(b, (unsigned)idx, v);
}

/* --- while -> Loop-5 ----------------------------------------------------------- */

static enum mo_status tr_while(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    int64_t back[MO_PD_MAX_CARRIED];
    int nb = mo_pd_ints(fw, "@back", back, MO_PD_MAX_CARRIED);
    inline_consts(b, fw, back, nb);
    /* IR inputs: trip count (none: the condition ends it), the first
     * condition, then the framework inputs the body reads */
    unsigned *remap, n;
    struct mo_value *in = inputs_of(b, fw, 2, NULL, 0, &remap, &n);
    if (!in)
        return mo_build_status(b);
    in[1] = condition(b);
    in[0] = mo_build_i64_scalar(b, "trip_count", -1);
    struct mo_value y = mo_build_opv(b, "Loop", NULL, n, in);
    struct fbody fb;
    if (!mo_build_ok(b) || body_translate(b, fw, 0, y.node, remap, &fb, err) != MO_OK)
        return mo_build_status(b);
    if (nb < 1 || (unsigned)nb != fb.n_results)
        return mo_build_fail(b, "the loop body gives %u values for %d carried ones (\"@back\")", fb.n_results, nb);
    for (unsigned j = 0; j < fb.n_results && mo_build_ok(b); j++) {
        struct mo_node *p = back[j] >= 0 ? param_of(&fb, back[j]) : NULL;
        if (p)
            mo_build_check(b, mo_body_back_edge(fb.ir, fb.results[j], p, err));
        if (j > 0) {
            mo_build_check(b, mo_body_output(fb.ir, fb.results[j], j - 1, NULL, err));
            set_out(b, j - 1, mo_val(y.node, j - 1));
        }
    }
    if (mo_build_ok(b))
        mo_build_check(b, mo_body_loop_ports(fb.ir, NULL, fb.results[0], err));
    return mo_build_done(b, MO_NO_VALUE);
}

/* --- conditional_block / if -> If-8 -------------------------------------------- */

/* A hand-made else branch of If node y: output j is the value of input
 * keep[j] (IR input remap[keep[j]]) when that is >= 0, else zeros like the
 * then branch's output j (Paddle leaves such a variable unwritten; the
 * select_input after the blocks never picks it). */
static enum mo_status else_branch(struct mo_build *b, struct mo_node *y, const unsigned *remap,
                                  const struct fbody *then, const int64_t *keep, struct mo_error *err)
{
    struct mo_body *e = mo_body_add(y, err);
    if (!e)
        return mo_build_check(b, err && err->code ? err->code : MO_ERR_NOMEM);
    const char *base = mo_build_name(b, NULL);
    for (unsigned j = 0; j < then->n_results && mo_build_ok(b); j++) {
        struct mo_node *r = NULL;
        char *rn = mo_graph_printf(e->graph, "%s/else/out%u", base, j);
        char *pn = mo_graph_printf(e->graph, "%s/else/in%u", base, j);
        if (!rn || !pn)
            return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
        if (keep[j] >= 0) {
            struct mo_value v = fw_in(b, (unsigned)keep[j]);
            struct mo_shape s = mo_value_shape(v);
            struct mo_node *p = mo_parameter(e->graph, pn, mo_value_et(v), &s, err);
            r = p ? mo_result(e->graph, mo_val(p, 0), rn, err) : NULL;
            if (r)
                mo_build_check(b, mo_body_input(e, remap[keep[j]], p, NULL, err));
        } else {
            const struct mo_output *o = &then->results[j]->inputs[0].node->outputs[then->results[j]->inputs[0].port];
            struct mo_shape s = o->shape;
            for (int d = 0; d < s.rank; d++)
                if (s.dims[d] < 0)
                    s.dims[d] = 1;
            if (s.rank < 0)
                s = (struct mo_shape){1, {1}};
            struct mo_tensor *z = mo_tensor_new(o->et == MO_ET_UNDEFINED ? MO_ET_F32 : o->et, &s, err);
            struct mo_node *c = z ? mo_const(e->graph, pn, z, err) : NULL;
            r = c ? mo_result(e->graph, mo_val(c, 0), rn, err) : NULL;
        }
        if (!r)
            return mo_build_check(b, err && err->code ? err->code : MO_ERR_NOMEM);
        mo_build_check(b, mo_body_output(e, r, j, NULL, err));
    }
    return mo_build_status(b);
}

static enum mo_status tr_cond(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    if (!mo_node_get_bool(fw, "is_scalar_condition", true, NULL))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "conditional_block with is_scalar_condition false (run when every "
                              "input is non-empty) is not supported; build the condition as a "
                              "boolean with paddle.static.nn.cond");
    int64_t keep[MO_PD_MAX_CARRIED];
    int nk = fw->n_bodies == 1 ? mo_pd_ints(fw, "@else", keep, MO_PD_MAX_CARRIED) : 0;
    if (nk < 0)
        return mo_build_fail(b, "the block has no \"@else\" list");
    inline_consts(b, fw, keep, nk);
    unsigned *remap, n;
    struct mo_value *in = inputs_of(b, fw, 1, keep, nk, &remap, &n);
    if (!in)
        return mo_build_status(b);
    in[0] = condition(b);
    struct mo_value y = mo_build_opv(b, "If", NULL, n, in);
    struct fbody fb[2];
    for (unsigned k = 0; k < fw->n_bodies && k < 2 && mo_build_ok(b); k++) {
        body_translate(b, fw, k, y.node, remap, &fb[k], err);
        if (mo_build_ok(b) && k == 1 && fb[1].n_results != fb[0].n_results)
            return mo_build_fail(b, "the branches give %u and %u values", fb[0].n_results,
                                 fb[1].n_results);
        for (unsigned j = 0; j < fb[k].n_results && mo_build_ok(b); j++)
            mo_build_check(b, mo_body_output(fb[k].ir, fb[k].results[j], j, NULL, err));
    }
    if (mo_build_ok(b) && fw->n_bodies == 1) {
        if ((unsigned)nk != fb[0].n_results)
            return mo_build_fail(b, "the block gives %u values for %d outputs (\"@else\")", fb[0].n_results, nk);
        else_branch(b, y.node, remap, &fb[0], keep, err);
    }
    for (unsigned j = 0; mo_build_ok(b) && j < fb[0].n_results; j++)
        set_out(b, j, mo_val(y.node, j));
    return mo_build_done(b, MO_NO_VALUE);
}

/* --- select_input ------------------------------------------------------------- */

/* If(c) then a else e, each branch passing its value through: exact
 * whatever the shapes, where a Select would broadcast them together. */
static struct mo_value pick(struct mo_build *b, unsigned k, struct mo_value c, struct mo_value a,
                            struct mo_value e, struct mo_error *err)
{
    char sfx[32];
    snprintf(sfx, sizeof sfx, "pick%u", k);
    struct mo_value y = mo_build_op(b, "If", sfx, 3, c, a, e);
    if (!mo_build_ok(b))
        return MO_NO_VALUE;
    const char *base = mo_build_name(b, sfx);
    for (unsigned br = 0; br < 2; br++) {
        struct mo_body *body = mo_body_add(y.node, err);
        struct mo_value v = br ? e : a;
        struct mo_shape s = mo_value_shape(v);
        char *pn = body ? mo_graph_printf(body->graph, "%s/%s/in", base, br ? "else" : "then") : NULL;
        char *rn = body ? mo_graph_printf(body->graph, "%s/%s/out", base, br ? "else" : "then") : NULL;
        struct mo_node *p = pn && rn ? mo_parameter(body->graph, pn, mo_value_et(v), &s, err) : NULL;
        struct mo_node *r = p ? mo_result(body->graph, mo_val(p, 0), rn, err) : NULL;
        if (!r) {
            mo_build_check(b, err && err->code ? err->code : MO_ERR_NOMEM);
            return MO_NO_VALUE;
        }
        mo_build_check(b, mo_body_input(body, br + 1, p, NULL, err));
        mo_build_check(b, mo_body_output(body, r, 0, NULL, err));
    }
    return y;
}

static enum mo_status tr_select_input(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value mask = mo_pd_in(b, "Mask", 0);
    unsigned n = mo_pd_in_count(fw, "X");
    if (!n && mo_build_ok(b))
        return mo_build_fail(b, "select_input has no X inputs");
    mask = mo_pd_scalar(b, "mask", mask, MO_ET_I64);
    /* X[mask]: the last unless an earlier index matches */
    struct mo_value y = mo_pd_in(b, "X", n - 1);
    for (unsigned k = n - 1; k-- > 0 && mo_build_ok(b);) {
        char sfx[32];
        snprintf(sfx, sizeof sfx, "index%u", k);
        struct mo_value idx = mo_build_i64_scalar(b, sfx, k);
        snprintf(sfx, sizeof sfx, "is%u", k);
        struct mo_value c = mo_build_op(b, "Equal", sfx, 2, mask, idx);
        y = pick(b, k, c, mo_pd_in(b, "X", k), y, err);
    }
    return mo_pd_set_out(b, "Out", y);
}

/* --- increment: the loop counter's x + step ------------------------------------ */

static enum mo_status tr_increment(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    double step = mo_node_get_float(fw, "step", 1.0, NULL);
    struct mo_value s = mo_build_scalar(b, "step", mo_value_et(x), step);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Add", NULL, 2, x, s));
}

MO_PD_TABLE(mo_pd_tr_flow,
            {"increment", tr_increment},
            {"while", tr_while},
            {"conditional_block", tr_cond},
            {"select_input", tr_select_input},
);
