/* cse.c - common subexpression elimination: two nodes of the same op, with
 * the same attributes, reading the same values compute the same thing, so
 * one of them serves both.  Exporters repeat shape arithmetic for every
 * layer (ShapeOf -> Gather -> Unsqueeze -> Concat per Reshape in a
 * transformer), and equal small constants the same way; merged, the IR
 * shrinks to what the model computes.
 *
 * Left alone: Parameters and Results, nodes with bodies, ops whose outputs
 * are not a function of their inputs (random ones, state), constants
 * larger than MO_TENSOR_SMALL_BYTES or lazy (the .bin deduplicates their
 * bytes anyway), and nodes feeding a Result directly (each model output
 * keeps its own tensor and names).  Runs on the top-level graph after the
 * weights have their final values (constant folding and fusing done). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "passes.h"

static bool impure(const struct mo_node *n)
{
    static const char *const types[] = {"Parameter", "Result", "RandomUniform", "Multinomial",
                                        "ReadValue", "Assign", "Sink"};
    for (unsigned i = 0; i < MO_COUNT_OF(types); i++)
        if (!strcmp(n->type, types[i]))
            return true;
    return n->n_bodies > 0 || !n->def;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 1099511628211ull;
}

static uint64_t str_hash(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = mix(h, (unsigned char)*s);
    return h;
}

static bool attr_equal(const struct mo_attr *a, const struct mo_attr *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case MO_ATTR_INT: return a->u.i == b->u.i;
    case MO_ATTR_FLOAT: return a->u.f == b->u.f || (a->u.f != a->u.f && b->u.f != b->u.f);
    case MO_ATTR_BOOL: return a->u.b == b->u.b;
    case MO_ATTR_STRING: return !strcmp(a->u.s, b->u.s);
    case MO_ATTR_INTS:
        return a->u.ints.n == b->u.ints.n && !memcmp(a->u.ints.v, b->u.ints.v, a->u.ints.n * sizeof(int64_t));
    case MO_ATTR_FLOATS:
        return a->u.floats.n == b->u.floats.n &&
               !memcmp(a->u.floats.v, b->u.floats.v, a->u.floats.n * sizeof(double));
    case MO_ATTR_STRINGS:
        if (a->u.strs.n != b->u.strs.n)
            return false;
        for (size_t i = 0; i < a->u.strs.n; i++)
            if (strcmp(a->u.strs.v[i], b->u.strs.v[i]))
                return false;
        return true;
    default: return false;     /* tensors: never equal here */
    }
}

static bool same_op(const struct mo_node *a, const struct mo_node *b)
{
    if (a->def != b->def || strcmp(a->type, b->type) || a->n_inputs != b->n_inputs ||
        a->n_outputs != b->n_outputs || a->n_attrs != b->n_attrs)
        return false;
    for (unsigned i = 0; i < a->n_inputs; i++)
        if (a->inputs[i].node != b->inputs[i].node || a->inputs[i].port != b->inputs[i].port)
            return false;
    for (unsigned i = 0; i < a->n_attrs; i++) {
        const struct mo_attr *o = mo_node_attr(b, a->attrs[i].name);
        if (!o || !attr_equal(&a->attrs[i], o))
            return false;
    }
    return true;
}

static bool small_const(const struct mo_node *n)
{
    const struct mo_tensor *t = n->value;
    return !strcmp(n->type, "Const") && t && t->data && t->nbytes <= MO_TENSOR_SMALL_BYTES;
}

static bool same_const(const struct mo_node *a, const struct mo_node *b)
{
    const struct mo_tensor *x = a->value, *y = b->value;
    return x->et == y->et && mo_shape_equal(&x->shape, &y->shape) && x->nbytes == y->nbytes &&
           !memcmp(x->data, y->data, x->nbytes);
}

static uint64_t key(const struct mo_node *n)
{
    uint64_t h = str_hash(1469598103934665603ull, n->type);
    if (small_const(n)) {
        const struct mo_tensor *t = n->value;
        h = mix(h, (uint64_t)t->et);
        for (size_t i = 0; i < t->nbytes && i < 64; i++)
            h = mix(h, ((const unsigned char *)t->data)[i]);
        return mix(h, t->nbytes);
    }
    for (unsigned i = 0; i < n->n_inputs; i++)
        h = mix(mix(h, n->inputs[i].node ? n->inputs[i].node->id : 0xffffffffu), n->inputs[i].port);
    return h;
}

enum mo_status mo_pass_cse(struct mo_graph *g, struct mo_pass_stats *st, struct mo_error *err)
{
    struct mo_node **order;
    unsigned n;
    enum mo_status rc = mo_graph_topo(g, &order, &n, err);
    if (rc != MO_OK)
        return rc;
    unsigned cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    struct mo_node **tab = calloc(cap, sizeof *tab);
    bool *to_result = calloc(mo_graph_n_nodes(g) + 1, sizeof *to_result);
    if (!tab || !to_result) {
        free(tab);
        free(to_result);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    for (unsigned i = 0; i < n; i++)
        if (!strcmp(order[i]->type, "Result") && order[i]->inputs[0].node)
            to_result[order[i]->inputs[0].node->id] = true;
    long merged = 0;
    /* in topological order, so a node's inputs are already merged when its
     * own key is taken */
    for (unsigned i = 0; i < n; i++) {
        struct mo_node *x = order[i];
        bool is_const = small_const(x);
        if (x->dead || to_result[x->id] || (!is_const && (impure(x) || !strcmp(x->type, "Const"))))
            continue;
        size_t k = (size_t)key(x) & (cap - 1);
        struct mo_node *y;
        while ((y = tab[k]) && !(is_const ? small_const(y) && same_const(x, y) : same_op(x, y)))
            k = (k + 1) & (cap - 1);
        if (!y) {
            tab[k] = x;
            continue;
        }
        for (unsigned p = 0; p < x->n_outputs; p++)
            mo_pass_replace(g, mo_val(x, p), mo_val(y, p));
        mo_node_kill(x);
        merged++;
    }
    free(tab);
    free(to_result);
    mo_pass_stats_add(st, "common_subexpressions", "merged", merged);
    return MO_OK;
}
