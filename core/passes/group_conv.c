/* group_conv.c - grouped-convolution fusing: Split (or equal VariadicSplit)
 * along channels -> one Convolution per part -> Concat along channels, the
 * way frameworks without native groups spell a grouped convolution, becomes
 * one GroupConvolution with the weights stacked [G, O/G, C/G, k...].  A
 * per-part bias Add between the convolutions and the Concat is kept as one
 * Add after the GroupConvolution. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "../ops/ops.h"
#include "passes.h"

static bool same_ints(const struct mo_node *a, const struct mo_node *b, const char *name)
{
    int64_t x[MO_MAX_RANK], y[MO_MAX_RANK];
    int nx = mo_node_get_ints(a, name, x, MO_MAX_RANK), ny = mo_node_get_ints(b, name, y, MO_MAX_RANK);
    return nx == ny && (nx <= 0 || !memcmp(x, y, (size_t)nx * sizeof x[0]));
}

static bool same_conv_attrs(const struct mo_node *a, const struct mo_node *b)
{
    return same_ints(a, b, "strides") && same_ints(a, b, "dilations") && same_ints(a, b, "pads_begin") &&
           same_ints(a, b, "pads_end") &&
           !strcmp(mo_node_get_str(a, "auto_pad", "explicit"), mo_node_get_str(b, "auto_pad", "explicit"));
}

/* The Split's parts are equal channel slices: returns the part count or 0. */
static unsigned split_parts(const struct mo_node *s)
{
    int64_t ax[1];
    const struct mo_output *in = mo_node_in(s, 0);
    if (!in || in->shape.rank < 3 || mo_const_ints(s, 1, ax, 1) != 1 ||
        mo_axis_norm(ax[0], in->shape.rank) != 1)
        return 0;
    if (mo_pass_is(s, "Split"))
        return s->n_outputs;
    if (mo_pass_is(s, "VariadicSplit")) {
        int64_t len[256];
        int n = mo_const_ints(s, 2, len, 256);
        if (n < 2 || n > 256 || (unsigned)n != s->n_outputs)
            return 0;
        for (int i = 1; i < n; i++)
            if (len[i] != len[0] || len[i] < 0)
                return 0;
        return (unsigned)n;
    }
    return 0;
}

static enum mo_status fuse_split(struct mo_graph *g, struct mo_node *split, unsigned G,
                                 struct mo_pass_stats *st, struct mo_error *err, bool *changed)
{
    struct mo_node **conv = calloc(G, sizeof *conv), **bias = calloc(G, sizeof *bias);
    enum mo_status rc = MO_OK;
    if (!conv || !bias) {
        free(conv);
        free(bias);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    struct mo_node *concat = NULL;
    bool ok = true;
    for (unsigned i = 0; i < G && ok; i++) {
        unsigned port;
        struct mo_node *c = mo_pass_only_user(g, mo_val(split, i), &port);
        ok = mo_pass_is(c, "Convolution") && port == 0 && mo_pass_is_const(c->inputs[1].node) &&
             !c->outputs[0].n_names;
        if (!ok)
            break;
        conv[i] = c;
        struct mo_node *next = mo_pass_only_user(g, mo_val(c, 0), &port);
        if (mo_pass_is(next, "Add") && port == 0 && mo_pass_is_const(next->inputs[1].node) &&
            !next->outputs[0].n_names) {
            bias[i] = next;
            next = mo_pass_only_user(g, mo_val(next, 0), &port);
        }
        ok = mo_pass_is(next, "Concat") && port == i && next->n_inputs == G &&
             (!concat || concat == next) && (i == 0 || !bias[0] == !bias[i]);
        concat = next;
    }
    if (ok) {
        int64_t ax = mo_attr_int(concat, "axis");
        ok = mo_axis_norm(ax, concat->outputs[0].shape.rank) == 1;
    }
    for (unsigned i = 1; i < G && ok; i++) {
        const struct mo_tensor *a = conv[0]->inputs[1].node->value, *b = conv[i]->inputs[1].node->value;
        ok = a->et == b->et && mo_shape_equal(&a->shape, &b->shape) && same_conv_attrs(conv[0], conv[i]);
        if (ok && bias[0]) {
            const struct mo_tensor *x = bias[0]->inputs[1].node->value, *y = bias[i]->inputs[1].node->value;
            ok = x->et == y->et && mo_shape_equal(&x->shape, &y->shape);
        }
    }
    if (!ok)
        goto out;
    /* weights: [G, O/G, C/G, k...] from G tensors of [O/G, C/G, k...] */
    const struct mo_tensor *w0 = conv[0]->inputs[1].node->value;
    if (mo_etype_bits(w0->et) < 8)
        goto out; /* packed bits are not stacked: leave the pattern */
    /* stacked lazily: the parts' bytes (often lazy themselves, after
     * fusing) are read only when the .bin is written */
    struct mo_tensor **parts = malloc(G * sizeof *parts);
    for (unsigned i = 0; parts && i < G; i++)
        parts[i] = conv[i]->inputs[1].node->value;
    struct mo_tensor *w = parts ? mo_tensor_stacked(parts, G, err) : NULL;
    free(parts);
    if (!w) {
        rc = err && err->code ? err->code : MO_ERR_NOMEM;
        goto out;
    }
    struct mo_node *wn = mo_const(g, mo_graph_printf(g, "%s/group_weights", concat->name), w, err);
    struct mo_node *gc = wn ? mo_op(g, "GroupConvolution", concat->name, 2,
                                    (struct mo_value[]){split->inputs[0], mo_val(wn, 0)}, err) : NULL;
    if (!gc) {
        rc = err ? err->code : MO_ERR_NOMEM;
        goto out;
    }
    gc->origin = conv[0]->origin;
    static const char *const attrs[] = {"strides", "dilations", "pads_begin", "pads_end", "auto_pad"};
    for (size_t a = 0; a < MO_COUNT_OF(attrs); a++) {
        const struct mo_attr *at = mo_node_attr(conv[0], attrs[a]);
        if (at && mo_node_copy_attr(gc, at) != MO_OK) {
            rc = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            goto out;
        }
    }
    struct mo_value result = mo_val(gc, 0);
    if (bias[0]) {
        /* biases [1, O/G, 1, 1] x G -> [1, O, 1, 1] */
        const struct mo_tensor *b0 = bias[0]->inputs[1].node->value;
        int64_t per = mo_tensor_numel(b0);
        struct mo_shape bs = concat->outputs[0].shape;
        for (int d = 0; d < bs.rank; d++)
            bs.dims[d] = d == 1 ? per * G : 1;
        if (b0->shape.rank != bs.rank) {
            rc = MO_OK; /* an unusual bias layout: leave the pattern as it is */
            mo_node_kill(gc);
            mo_node_kill(wn);
            goto out;
        }
        struct mo_tensor *b = mo_tensor_new(b0->et, &bs, err);
        if (!b) {
            rc = err ? err->code : MO_ERR_NOMEM;
            goto out;
        }
        for (unsigned i = 0; i < G && rc == MO_OK; i++)
            rc = mo_tensor_read(bias[i]->inputs[1].node->value, 0, per, (char *)b->owned + i * b0->nbytes, err);
        if (rc != MO_OK) {
            mo_tensor_unref(b);
            goto out;
        }
        struct mo_node *bn = mo_const(g, mo_graph_printf(g, "%s/group_bias", concat->name), b, err);
        struct mo_node *add = bn ? mo_op(g, "Add", mo_graph_printf(g, "%s/add", concat->name), 2,
                                         (struct mo_value[]){result, mo_val(bn, 0)}, err) : NULL;
        if (!add) {
            rc = err ? err->code : MO_ERR_NOMEM;
            goto out;
        }
        result = mo_val(add, 0);
    }
    mo_node_kill(concat);
    mo_pass_replace(g, mo_val(concat, 0), result);
    for (unsigned i = 0; i < G; i++) {
        mo_node_kill(conv[i]);
        if (bias[i])
            mo_node_kill(bias[i]);
    }
    mo_node_kill(split);
    mo_pass_stats_add(st, "grouped_conv_fusing", "convolutions_merged", G);
    mo_pass_stats_add(st, "grouped_conv_fusing", "group_convolutions_made", 1);
    *changed = true;
out:
    free(conv);
    free(bias);
    return rc;
}

enum mo_status mo_pass_group_conv(struct mo_graph *g, struct mo_pass_stats *st, struct mo_error *err)
{
    bool changed = false;
    unsigned n0 = mo_graph_n_nodes(g);
    for (unsigned i = 0; i < n0; i++) {
        struct mo_node *s = mo_graph_node(g, i);
        if (s->dead || !(mo_pass_is(s, "Split") || mo_pass_is(s, "VariadicSplit")))
            continue;
        unsigned G = split_parts(s);
        if (G < 2)
            continue;
        enum mo_status rc = fuse_split(g, s, G, st, err, &changed);
        if (rc != MO_OK)
            return rc;
    }
    return changed ? mo_pass_reinfer(g, err) : MO_OK;
}
