/* identity.c - removes operations that return their input unchanged:
 * reshapes to the same shape, one-input Concat, Convert to the same type,
 * identity Transpose, zero Pad, multiplication by one and addition of zero.
 * Translators emit these freely (framework Identity/Dropout/_copy, a
 * Flatten of something flat already); the IR is smaller without them.
 * Bodies of control-flow nodes are cleaned the same way. */
#include <config.h>

#include <string.h>

#include <mo/mo.h>

#include "passes.h"

static bool const_all(const struct mo_node *c, double v)
{
    if (!mo_pass_is_const(c))
        return false;
    const struct mo_tensor *t = c->value;
    int64_t n = mo_tensor_numel(t);
    for (int64_t i = 0; i < n; i++)
        if (mo_tensor_get_f64(t, i) != v)
            return false;
    return true;
}

/* Input port that passes through, or -1. */
static int identity_input(const struct mo_node *n)
{
    if (n->dead || n->n_outputs != 1 || !n->n_inputs)
        return -1;
    const struct mo_output *in0 = mo_node_in(n, 0);
    const struct mo_output *out = &n->outputs[0];
    if (!in0)
        return -1;
    bool same0 = in0->et == out->et && mo_shape_is_static(&in0->shape) &&
                 mo_shape_equal(&in0->shape, &out->shape);
    const char *t = n->type;
    if (!strcmp(t, "Reshape") || !strcmp(t, "Squeeze") || !strcmp(t, "Unsqueeze"))
        return same0 ? 0 : -1;
    if (!strcmp(t, "Concat"))
        return n->n_inputs == 1 && same0 ? 0 : -1;
    if (!strcmp(t, "Convert"))
        return same0 && !mo_node_attr(n, "rt:decompression") ? 0 : -1;
    if (!strcmp(t, "Transpose")) {
        struct mo_tensor *o = mo_node_const_input(n, 1);
        if (!o || !same0)
            return -1;
        for (int64_t i = 0; i < mo_tensor_numel(o); i++)
            if (mo_tensor_get_i64(o, i) != i)
                return -1;
        return 0;
    }
    if (!strcmp(t, "Pad")) {
        if (!same0 || n->n_inputs < 3)
            return -1;
        return const_all(n->inputs[1].node, 0) && const_all(n->inputs[2].node, 0) ? 0 : -1;
    }
    if (n->n_inputs != 2 || !mo_etype_is_float(out->et))
        return -1;
    const struct mo_output *in1 = mo_node_in(n, 1);
    bool same1 = in1 && in1->et == out->et && mo_shape_is_static(&in1->shape) &&
                 mo_shape_equal(&in1->shape, &out->shape);
    if (!strcmp(t, "Multiply")) {
        if (same0 && const_all(n->inputs[1].node, 1))
            return 0;
        if (same1 && const_all(n->inputs[0].node, 1))
            return 1;
    } else if (!strcmp(t, "Add")) {
        if (same0 && const_all(n->inputs[1].node, 0))
            return 0;
        if (same1 && const_all(n->inputs[0].node, 0))
            return 1;
    } else if (!strcmp(t, "Divide")) {
        if (same0 && const_all(n->inputs[1].node, 1))
            return 0;
    } else if (!strcmp(t, "Subtract")) {
        if (same0 && const_all(n->inputs[1].node, 0))
            return 0;
    }
    return -1;
}

enum mo_status mo_pass_remove_identity(struct mo_graph *g, struct mo_pass_stats *st,
                                       struct mo_error *err)
{
    (void)err;
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *n = mo_graph_node(g, i);
        int k = identity_input(n);
        if (k < 0)
            continue;
        mo_pass_replace(g, mo_val(n, 0), n->inputs[k]);
        mo_node_kill(n);
        mo_pass_stats_add(st, "identity_removal", n->def ? n->def->type : "op", 1);
    }
    /* inside bodies too: a Result reading a Parameter directly is valid */
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *n = mo_graph_node(g, i);
        for (unsigned b = 0; !n->dead && b < n->n_bodies; b++)
            mo_pass_remove_identity(n->bodies[b]->graph, st, err);
    }
    return MO_OK;
}
