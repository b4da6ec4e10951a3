/* tr_control.c - If, Loop and Scan as the IR's If-8, Loop-5 and
 * TensorIterator-1.
 *
 * The loader gave each node its ONNX bodies as framework graphs (onnx.h):
 * body Parameters are the body graph's inputs (MO_OX_BODY_INPUT) or the
 * outer tensors the body reads (MO_OX_OUTER_INPUT, carried by the node's
 * inputs past the NodeProto's own).  A translator types those Parameters
 * from the IR values feeding them, translates each body into a body of the
 * IR node (mo_tctx_translate_body) and writes the port maps. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "onnx.h"

/* One translated body: framework Parameters in node order with the IR
 * Parameter each became, and the Result of each body output. */
struct tbody {
    struct mo_graph *fw;
    struct mo_body *ir;
    unsigned n_params;
    struct mo_node **fw_params, **params;
    unsigned n_results;
    struct mo_node **results;
};

/* The IR Parameter of body input `idx` (MO_OX_BODY_INPUT), or NULL. */
static struct mo_node *body_input(const struct tbody *tb, int64_t idx)
{
    for (unsigned i = 0; i < tb->n_params; i++)
        if (mo_node_get_int(tb->fw_params[i], MO_OX_BODY_INPUT, -1, NULL) == idx)
            return tb->params[i];
    return NULL;
}

/* The type a body input is given (set false: as the body declares). */
struct ptype {
    bool set;
    enum mo_etype et;
    struct mo_shape shape;
};

static struct ptype ptype_of(struct mo_value v)
{
    struct ptype p = {v.node != NULL, mo_value_et(v), mo_value_shape(v)};
    return p;
}

/* Type the body's captured Parameters from the IR values of the owner's
 * framework inputs fw_in[], and its inputs from types[]. */
static void type_params(struct tbody *tb, const struct mo_value *fw_in, unsigned n_fw_in,
                        const struct ptype *types, unsigned n_types)
{
    for (unsigned i = 0; i < tb->n_params; i++) {
        struct mo_node *p = tb->fw_params[i];
        int64_t outer = mo_node_get_int(p, MO_OX_OUTER_INPUT, -1, NULL);
        int64_t bi = mo_node_get_int(p, MO_OX_BODY_INPUT, -1, NULL);
        struct ptype pt = {false, MO_ET_UNDEFINED, {MO_RANK_UNKNOWN, {0}}};
        if (outer >= 0 && (unsigned)outer < n_fw_in)
            pt = ptype_of(fw_in[outer]);
        else if (bi >= 0 && (unsigned)bi < n_types)
            pt = types[bi];
        if (!pt.set)
            continue;
        p->outputs[0].et = pt.et;
        p->outputs[0].shape = pt.shape;
    }
}

/* Translate framework body k of fw into a new body of the IR node. */
static enum mo_status translate_body(struct mo_build *b, const struct mo_node *fw, unsigned k,
                                     struct mo_node *owner, struct tbody *tb, const struct mo_value *fw_in,
                                     const struct ptype *types, unsigned n_types, struct mo_error *err)
{
    struct mo_graph *arena = mo_build_graph(b);
    struct mo_body *fb = mo_node_body(fw, k);
    if (!fb)
        return mo_build_fail(b, "body %u is missing", k);
    tb->fw = fb->graph;
    tb->n_params = 0;
    for (unsigned i = 0; i < mo_graph_n_nodes(tb->fw); i++) {
        struct mo_node *n = mo_graph_node(tb->fw, i);
        tb->n_params += !n->dead && !strcmp(n->type, "Parameter");
    }
    tb->n_results = mo_graph_n_outputs(tb->fw);
    tb->fw_params = mo_graph_alloc(arena, (tb->n_params + 1) * sizeof *tb->fw_params);
    tb->params = mo_graph_alloc(arena, (tb->n_params + 1) * sizeof *tb->params);
    tb->results = mo_graph_alloc(arena, (tb->n_results + 1) * sizeof *tb->results);
    if (!tb->fw_params || !tb->params || !tb->results)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    unsigned j = 0;
    for (unsigned i = 0; i < mo_graph_n_nodes(tb->fw); i++) {
        struct mo_node *n = mo_graph_node(tb->fw, i);
        if (!n->dead && !strcmp(n->type, "Parameter"))
            tb->fw_params[j++] = n;
    }
    type_params(tb, fw_in, fw->n_inputs, types, n_types);
    tb->ir = mo_body_add(owner, err);
    if (!tb->ir)
        return mo_build_check(b, err && err->code ? err->code : MO_ERR_NOMEM);
    return mo_build_check(b, mo_tctx_translate_body(mo_build_tctx(b), tb->fw, tb->ir->graph, tb->params,
                                                    tb->results, err));
}

/* Map every captured Parameter of tb to the IR input carrying it. */
static enum mo_status map_captures(struct mo_build *b, struct tbody *tb, int shift, int first_capture,
                                   struct mo_error *err)
{
    for (unsigned i = 0; i < tb->n_params && mo_build_ok(b); i++) {
        int64_t outer = mo_node_get_int(tb->fw_params[i], MO_OX_OUTER_INPUT, -1, NULL);
        if (outer < first_capture)
            continue;
        mo_build_check(b, mo_body_input(tb->ir, (unsigned)(outer + shift), tb->params[i], NULL, err));
    }
    return mo_build_status(b);
}

/* The IR inputs of a node: the framework inputs [0, n) as given (missing
 * ones left NULL for the caller to fill). */
static struct mo_value *inputs_of(struct mo_build *b, const struct mo_node *fw, unsigned extra)
{
    struct mo_value *in = mo_graph_alloc(mo_build_graph(b), (fw->n_inputs + extra + 1) * sizeof *in);
    if (!in) {
        mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    for (unsigned i = 0; i < fw->n_inputs; i++)
        in[i] = mo_build_in_opt(b, i);
    return in;
}

/* --- If -------------------------------------------------------------------- */

static enum mo_status tr_if(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value *in = inputs_of(b, fw, 0);
    mo_build_in(b, 0, "cond");
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_value y = mo_build_opv(b, "If", NULL, fw->n_inputs, in);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct tbody tb[2];
    for (unsigned k = 0; k < 2 && mo_build_ok(b); k++) {
        translate_body(b, fw, k, y.node, &tb[k], in, NULL, 0, err);
        map_captures(b, &tb[k], 0, 1, err);
        if (mo_build_ok(b) && tb[k].n_results != fw->n_outputs)
            return mo_build_fail(b, "the %s branch has %u outputs, the node %u", k ? "else" : "then",
                                 tb[k].n_results, fw->n_outputs);
        for (unsigned i = 0; i < tb[k].n_results && mo_build_ok(b); i++)
            mo_build_check(b, mo_body_output(tb[k].ir, tb[k].results[i], i, NULL, err));
    }
    for (unsigned i = 0; i < fw->n_outputs && mo_build_ok(b); i++)
        mo_build_output(b, i, mo_val(y.node, i));
    return mo_build_done(b, MO_NO_VALUE);
}

/* --- Loop ------------------------------------------------------------------ */

/* Each iteration's value of a scan output, stacked along a new axis 0:
 * the body gives it with a leading dim of 1 and the Loop concatenates. */
static struct mo_node *unsqueezed_result(struct mo_build *b, struct mo_graph *body, struct mo_node *r,
                                         int64_t axis, unsigned k, struct mo_error *err)
{
    const char *base = mo_build_name(b, NULL);
    char *an = mo_graph_printf(body, "%s/scan_%u/axes", base, k);
    char *un = mo_graph_printf(body, "%s/scan_%u/unsqueeze", base, k);
    if (!an || !un) {
        mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    struct mo_node *axes = mo_const_i64(body, an, &axis, 1, false, err);
    struct mo_node *u = axes ? mo_op(body, "Unsqueeze", un, 2, (struct mo_value[]){r->inputs[0], mo_val(axes, 0)},
                                     err)
                             : NULL;
    if (!u) {
        mo_build_check(b, err && err->code ? err->code : MO_ERR_NOMEM);
        return NULL;
    }
    mo_node_set_input(r, 0, mo_val(u, 0));
    return r;
}

static enum mo_status tr_loop(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_body *fb = mo_node_body(fw, 0);
    unsigned n_onnx = fw->n_inputs;
    /* the NodeProto's own inputs are those before the first capture */
    if (fb)
        for (unsigned i = 0; i < mo_graph_n_nodes(fb->graph); i++) {
            int64_t o = mo_node_get_int(mo_graph_node(fb->graph, i), MO_OX_OUTER_INPUT, -1, NULL);
            if (o >= 0 && (unsigned)o < n_onnx)
                n_onnx = (unsigned)o;
        }
    if (n_onnx < 2)
        return mo_build_fail(b, "Loop needs the inputs M and cond (either may be empty)");
    unsigned n_carried = n_onnx - 2;
    /* IR inputs: M, cond, the carried values, cond again (the body's
     * cond_in starts from it), then the captures (framework input j >= n_onnx
     * is IR input j + 1) */
    struct mo_value *in = inputs_of(b, fw, 1);
    if (!in)
        return mo_build_status(b);
    struct mo_value *ir_in = mo_graph_alloc(mo_build_graph(b), (fw->n_inputs + 2) * sizeof *ir_in);
    if (!ir_in)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    struct mo_value m = in[0], cond = in[1];
    if (!m.node)
        m = mo_build_i64_scalar(b, "trip_count", -1);   /* no bound: the condition ends it */
    if (!cond.node)
        cond = mo_build_scalar(b, "execution_condition", MO_ET_BOOLEAN, 1.0);
    ir_in[0] = m;
    ir_in[1] = cond;
    for (unsigned i = 0; i < n_carried; i++)
        ir_in[2 + i] = in[2 + i];
    ir_in[2 + n_carried] = cond;
    for (unsigned j = n_onnx; j < fw->n_inputs; j++)
        ir_in[j + 1] = in[j];
    for (unsigned i = 0; i < fw->n_inputs + 1; i++)
        if (!ir_in[i].node && mo_build_ok(b))
            return mo_build_fail(b, "input %u is missing", i);
    struct mo_value y = mo_build_opv(b, "Loop", NULL, fw->n_inputs + 1, ir_in);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    /* body inputs: iteration_num (i64 scalar), cond_in (bool scalar), the carried values */
    struct ptype *types = mo_graph_alloc(mo_build_graph(b), (n_carried + 2) * sizeof *types);
    if (!types)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    types[0] = (struct ptype){true, MO_ET_I64, mo_shape_scalar()};
    types[1] = (struct ptype){true, MO_ET_BOOLEAN, mo_shape_scalar()};
    for (unsigned i = 0; i < n_carried; i++)
        types[2 + i] = ptype_of(in[2 + i]);
    struct tbody tb;
    translate_body(b, fw, 0, y.node, &tb, in, types, n_carried + 2, err);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (tb.n_results < 1 + n_carried)
        return mo_build_fail(b, "the body has %u outputs; Loop needs cond and the %u carried values",
                             tb.n_results, n_carried);
    unsigned n_scan = tb.n_results - 1 - n_carried;
    if (n_carried + n_scan != fw->n_outputs)
        return mo_build_fail(b, "the node has %u outputs, the body gives %u", fw->n_outputs, n_carried + n_scan);
    /* the captures: framework input j -> IR input j + 1 */
    map_captures(b, &tb, 1, (int)n_onnx, err);
    struct mo_node *p_iter = body_input(&tb, 0), *p_cond = body_input(&tb, 1);
    if (p_cond) {
        mo_build_check(b, mo_body_input(tb.ir, 2 + n_carried, p_cond, NULL, err));
        mo_build_check(b, mo_body_back_edge(tb.ir, tb.results[0], p_cond, err));
    }
    for (unsigned i = 0; i < n_carried && mo_build_ok(b); i++) {
        struct mo_node *p = body_input(&tb, 2 + i);
        if (p) {
            mo_build_check(b, mo_body_input(tb.ir, 2 + i, p, NULL, err));
            mo_build_check(b, mo_body_back_edge(tb.ir, tb.results[1 + i], p, err));
        }
        mo_build_check(b, mo_body_output(tb.ir, tb.results[1 + i], i, NULL, err));
    }
    for (unsigned k = 0; k < n_scan && mo_build_ok(b); k++) {
        struct mo_node *r = unsqueezed_result(b, tb.ir->graph, tb.results[1 + n_carried + k], 0, k, err);
        struct mo_slice cat = mo_slice_axis(0);
        if (r)
            mo_build_check(b, mo_body_output(tb.ir, r, n_carried + k, &cat, err));
    }
    if (mo_build_ok(b))
        mo_build_check(b, mo_body_loop_ports(tb.ir, p_iter, tb.results[0], err));
    for (unsigned i = 0; i < fw->n_outputs && mo_build_ok(b); i++)
        mo_build_output(b, i, mo_val(y.node, i));
    return mo_build_done(b, MO_NO_VALUE);
}

/* --- Scan ------------------------------------------------------------------ */

/* Body Parameter p receives a slice of its outer value with the scan
 * axis of size 1, where the ONNX body reads it without that axis: a new
 * Parameter with the axis, squeezed, takes p's place. */
static struct mo_node *sliced_param(struct mo_build *b, struct mo_graph *body, struct mo_node *p, int64_t axis,
                                    unsigned k, struct mo_error *err)
{
    struct mo_shape s = p->outputs[0].shape;
    if (s.rank < 0 || s.rank >= MO_MAX_RANK || axis > s.rank) {
        mo_build_fail(b, "scan input %u has an unknown rank", k);
        return NULL;
    }
    struct mo_shape ws = {s.rank + 1, {0}};
    for (int i = 0, j = 0; i < ws.rank; i++)
        ws.dims[i] = i == axis ? 1 : s.dims[j++];
    const char *base = mo_build_name(b, NULL);
    char *pn = mo_graph_printf(body, "%s/scan_input_%u", base, k);
    char *an = mo_graph_printf(body, "%s/scan_input_%u/axes", base, k);
    char *sn = mo_graph_printf(body, "%s/scan_input_%u/squeeze", base, k);
    if (!pn || !an || !sn) {
        mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    struct mo_node *np = mo_parameter(body, pn, p->outputs[0].et, &ws, err);
    struct mo_node *axes = np ? mo_const_i64(body, an, &axis, 1, false, err) : NULL;
    struct mo_node *sq = axes ? mo_op(body, "Squeeze", sn, 2, (struct mo_value[]){mo_val(np, 0), mo_val(axes, 0)},
                                      err)
                              : NULL;
    if (!sq) {
        mo_build_check(b, err && err->code ? err->code : MO_ERR_NOMEM);
        return NULL;
    }
    mo_graph_replace_uses(body, mo_val(p, 0), mo_val(sq, 0));
    mo_node_kill(p);
    return np;
}

static enum mo_status tr_scan(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    int64_t m = mo_node_get_int(fw, "num_scan_inputs", -1, NULL);
    struct mo_body *fb = mo_node_body(fw, 0);
    unsigned n_onnx = fw->n_inputs;
    if (fb)
        for (unsigned i = 0; i < mo_graph_n_nodes(fb->graph); i++) {
            int64_t o = mo_node_get_int(mo_graph_node(fb->graph, i), MO_OX_OUTER_INPUT, -1, NULL);
            if (o >= 0 && (unsigned)o < n_onnx)
                n_onnx = (unsigned)o;
        }
    if (m < 1 || (unsigned)m > n_onnx)
        return mo_build_fail(b, "num_scan_inputs is %lld for a node with %u inputs", (long long)m, n_onnx);
    unsigned n_state = n_onnx - (unsigned)m;
    int64_t in_axes[64] = {0}, in_dirs[64] = {0}, out_axes[64] = {0}, out_dirs[64] = {0};
    mo_node_get_ints(fw, "scan_input_axes", in_axes, 64);
    mo_node_get_ints(fw, "scan_input_directions", in_dirs, 64);
    mo_node_get_ints(fw, "scan_output_axes", out_axes, 64);
    mo_node_get_ints(fw, "scan_output_directions", out_dirs, 64);
    if (m > 64)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "more than 64 scan inputs");
    struct mo_value *in = inputs_of(b, fw, 0);
    if (!in)
        return mo_build_status(b);
    for (unsigned i = 0; i < n_onnx; i++)
        mo_build_in(b, i, NULL);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_value y = mo_build_opv(b, "TensorIterator", NULL, fw->n_inputs, in);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    /* body inputs: the states as given, each scan input without its axis */
    struct ptype *types = mo_graph_alloc(mo_build_graph(b), (n_onnx + 1) * sizeof *types);
    if (!types)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < n_state; i++)
        types[i] = ptype_of(in[i]);
    /* each scan input's slice, without its axis */
    for (unsigned k = 0; k < (unsigned)m; k++) {
        struct ptype pt = ptype_of(in[n_state + k]);
        int64_t axis = mo_ox_axis(b, in_axes[k], pt.shape.rank, "scan_input_axes");
        if (!mo_build_ok(b))
            return mo_build_status(b);
        if (pt.shape.rank > 0) {
            for (int i = (int)axis; i + 1 < pt.shape.rank; i++)
                pt.shape.dims[i] = pt.shape.dims[i + 1];
            pt.shape.rank--;
        }
        types[n_state + k] = pt;
        in_axes[k] = axis;
    }
    struct tbody tb;
    translate_body(b, fw, 0, y.node, &tb, in, types, n_onnx, err);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (tb.n_results < n_state || tb.n_results != fw->n_outputs)
        return mo_build_fail(b, "the body has %u outputs for %u states and a node of %u outputs", tb.n_results,
                             n_state, fw->n_outputs);
    map_captures(b, &tb, 0, (int)n_onnx, err);
    for (unsigned i = 0; i < n_state && mo_build_ok(b); i++) {
        struct mo_node *p = body_input(&tb, i);
        if (p) {
            mo_build_check(b, mo_body_input(tb.ir, i, p, NULL, err));
            mo_build_check(b, mo_body_back_edge(tb.ir, tb.results[i], p, err));
        }
        mo_build_check(b, mo_body_output(tb.ir, tb.results[i], i, NULL, err));
    }
    for (unsigned k = 0; k < (unsigned)m && mo_build_ok(b); k++) {
        struct mo_node *p = body_input(&tb, n_state + k);
        if (!p)
            continue;
        struct mo_node *np = sliced_param(b, tb.ir->graph, p, in_axes[k], k, err);
        struct mo_slice s = mo_slice_axis(in_axes[k]);
        if (in_dirs[k])
            s.start = -1, s.end = 0, s.stride = -1;
        if (np)
            mo_build_check(b, mo_body_input(tb.ir, n_state + k, np, &s, err));
    }
    unsigned n_scan_out = tb.n_results - n_state;
    for (unsigned k = 0; k < n_scan_out && mo_build_ok(b); k++) {
        struct mo_node *res = tb.results[n_state + k];
        int r = res->inputs[0].node ? res->inputs[0].node->outputs[res->inputs[0].port].shape.rank : -1;
        int64_t axis = out_axes[k] < 0 && r >= 0 ? out_axes[k] + r + 1 : out_axes[k];
        struct mo_node *rr = unsqueezed_result(b, tb.ir->graph, res, axis, k, err);
        struct mo_slice cat = mo_slice_axis(axis);
        if (out_dirs[k])
            cat.start = -1, cat.end = 0, cat.stride = -1;
        if (rr)
            mo_build_check(b, mo_body_output(tb.ir, rr, n_state + k, &cat, err));
    }
    for (unsigned i = 0; i < fw->n_outputs && mo_build_ok(b); i++)
        mo_build_output(b, i, mo_val(y.node, i));
    return mo_build_done(b, MO_NO_VALUE);
}

/* Scan-8 has a batch axis and sequence_lens; from 9 on it has neither. */
static enum mo_status tr_scan8(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    return mo_error_set(err, MO_ERR_UNSUPPORTED, 27, "Scan of opset 8 (batched, with sequence_lens) is not "
                        "supported; export the model with opset 9 or newer");
}

MO_OX_TABLE(mo_ox_tr_control,
    {"If", 1, tr_if, NULL},
    {"Loop", 1, tr_loop, NULL},
    {"Scan", 8, tr_scan8, NULL},
    {"Scan", 9, tr_scan, NULL},
)
