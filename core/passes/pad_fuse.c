/* pad_fuse.c - a constant-mode Pad that only pads spatial dims, read by
 * convolutions or pooling, becomes their pads_begin/pads_end:
 *  - (Group)Convolution: zero padding is what explicit pads mean;
 *  - AvgPool: zero padding counted in the average (exclude-pad=false);
 *  - MaxPool: padding is -inf there, so a Pad with -inf fuses, and so does a
 *    zero Pad of a tensor that cannot be negative (after Relu). */
#include <config.h>

#include <math.h>
#include <string.h>

#include <mo/mo.h>

#include "../ops/ops.h"
#include "passes.h"

/* Spatial pads of a fusable Pad (rank - 2 values each) and its fill value. */
static bool read_pad(const struct mo_node *pad, int64_t *pb, int64_t *pe, double *value)
{
    const struct mo_output *in = mo_node_in(pad, 0);
    if (!in || in->shape.rank < 3 || pad->n_inputs < 3)
        return false;
    if (strcmp(mo_node_get_str(pad, "pad_mode", "constant"), "constant") != 0)
        return false;
    int r = in->shape.rank;
    int64_t b[MO_MAX_RANK], e[MO_MAX_RANK];
    if (mo_const_ints(pad, 1, b, MO_MAX_RANK) != r || mo_const_ints(pad, 2, e, MO_MAX_RANK) != r)
        return false;
    if (b[0] || b[1] || e[0] || e[1])
        return false;
    for (int i = 2; i < r; i++) {
        if (b[i] < 0 || e[i] < 0)
            return false;
        pb[i - 2] = b[i];
        pe[i - 2] = e[i];
    }
    *value = 0;
    if (pad->n_inputs > 3) {
        struct mo_tensor *v = mo_node_const_input(pad, 3);
        if (!v || mo_tensor_numel(v) != 1)
            return false;
        *value = mo_tensor_get_f64(v, 0);
    }
    return true;
}

static bool nonnegative(const struct mo_node *n)
{
    return mo_pass_is(n, "Relu") || mo_pass_is(n, "Sigmoid") || mo_pass_is(n, "Abs") ||
           mo_pass_is(n, "Exp") || mo_pass_is(n, "SoftPlus") ||
           (mo_pass_is(n, "Clamp") && mo_node_get_float(n, "min", -1, NULL) >= 0);
}

static bool fuse_into(struct mo_node *pad, struct mo_node *op, const int64_t *pb, const int64_t *pe,
                      int nsp, double value)
{
    if (strcmp(mo_node_get_str(op, "auto_pad", "explicit"), "explicit") != 0)
        return false;
    bool conv = mo_pass_is(op, "Convolution") || mo_pass_is(op, "GroupConvolution");
    bool avg = mo_pass_is(op, "AvgPool"), max = mo_pass_is(op, "MaxPool");
    if (!conv && !avg && !max)
        return false;
    int64_t ob[MO_MAX_RANK] = {0}, oe[MO_MAX_RANK] = {0};
    int nb = mo_node_get_ints(op, "pads_begin", ob, MO_MAX_RANK);
    int ne = mo_node_get_ints(op, "pads_end", oe, MO_MAX_RANK);
    if ((nb >= 0 && nb != nsp) || (ne >= 0 && ne != nsp))
        return false;
    bool had_pads = false;
    for (int i = 0; i < nsp; i++)
        had_pads |= ob[i] || oe[i];
    if (conv && value != 0)
        return false;
    if (avg) {
        if (value != 0 || !strcmp(mo_node_get_str(op, "rounding_type", "floor"), "ceil"))
            return false;
        /* pads already there and excluded from the average cannot mix with counted ones */
        if (had_pads && mo_node_get_bool(op, "exclude-pad", false, NULL))
            return false;
    }
    if (max) {
        bool neg_inf = isinf(value) && value < 0;
        if (!neg_inf && !(value == 0 && nonnegative(pad->inputs[0].node)))
            return false;
        /* a window lying wholly in the padding would see the fill value */
        int64_t k[MO_MAX_RANK];
        if (mo_node_get_ints(op, "kernel", k, MO_MAX_RANK) != nsp)
            return false;
        for (int i = 0; i < nsp; i++)
            if (ob[i] + pb[i] >= k[i] || oe[i] + pe[i] >= k[i])
                return false;
    }
    for (int i = 0; i < nsp; i++) {
        ob[i] += pb[i];
        oe[i] += pe[i];
    }
    mo_node_set_ints(op, "pads_begin", ob, (size_t)nsp);
    mo_node_set_ints(op, "pads_end", oe, (size_t)nsp);
    if (avg)
        mo_node_set_bool(op, "exclude-pad", false);
    op->inputs[0] = pad->inputs[0];
    return true;
}

enum mo_status mo_pass_pad_fuse(struct mo_graph *g, struct mo_pass_stats *st, struct mo_error *err)
{
    bool changed = false;
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *pad = mo_graph_node(g, i);
        if (!mo_pass_is(pad, "Pad") || pad->outputs[0].n_names)
            continue;
        int64_t pb[MO_MAX_RANK], pe[MO_MAX_RANK];
        double value;
        if (!read_pad(pad, pb, pe, &value))
            continue;
        int nsp = mo_node_in(pad, 0)->shape.rank - 2;
        for (unsigned j = 0; j < mo_graph_n_nodes(g); j++) {
            struct mo_node *op = mo_graph_node(g, j);
            if (op->dead || !op->n_inputs || op->inputs[0].node != pad || op->inputs[0].port != 0)
                continue;
            if (fuse_into(pad, op, pb, pe, nsp, value)) {
                changed = true;
                mo_pass_stats_add(st, "pad_fusing", op->def ? op->def->type : "op", 1);
            }
        }
        if (!mo_pass_n_uses(g, mo_val(pad, 0)))
            mo_node_kill(pad);
    }
    return changed ? mo_pass_reinfer(g, err) : MO_OK;
}
