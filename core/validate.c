/* validate.c - structural checks before an IR graph is written. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <mo/op.h>

#include "graph_private.h"

static bool kind_fits(enum mo_attr_kind want, enum mo_attr_kind have)
{
    if (want == have)
        return true;
    /* a single number is a valid one-element list, and ints are valid floats */
    if (want == MO_ATTR_INTS && have == MO_ATTR_INT)
        return true;
    if (want == MO_ATTR_FLOATS && (have == MO_ATTR_FLOAT || have == MO_ATTR_INTS || have == MO_ATTR_INT))
        return true;
    if (want == MO_ATTR_FLOAT && have == MO_ATTR_INT)
        return true;
    return false;
}

static int cmp_names(const void *a, const void *b)
{
    const struct mo_node *x = *(const struct mo_node *const *)a;
    const struct mo_node *y = *(const struct mo_node *const *)b;
    return strcmp(x->name, y->name);
}

enum mo_status mo_graph_validate(struct mo_graph *g, struct mo_error *err)
{
    unsigned results = 0;
    for (unsigned i = 0; i < g->n_nodes; i++) {
        struct mo_node *n = g->nodes[i];
        if (n->dead)
            continue;
        if (!n->def)
            return mo_error_set(err, MO_ERR_INTERNAL, 0,
                                "node '%s' still has framework type '%s' after translation",
                                n->name, n->type);
        const struct mo_op_def *d = n->def;
        if ((int)n->n_inputs < d->min_inputs || (d->max_inputs >= 0 && (int)n->n_inputs > d->max_inputs))
            return mo_error_set(err, MO_ERR_INTERNAL, 0, "%s node '%s' has %u inputs, expected %d..%d",
                                n->type, n->name, n->n_inputs, d->min_inputs, d->max_inputs);
        for (unsigned k = 0; k < n->n_inputs; k++) {
            struct mo_value v = n->inputs[k];
            if (!v.node || v.node->dead || v.node->graph != g || v.port >= v.node->n_outputs)
                return mo_error_set(err, MO_ERR_INTERNAL, 0,
                                    "%s node '%s': input %u is not connected to a live output",
                                    n->type, n->name, k);
        }
        for (unsigned a = 0; a < d->n_attrs; a++) {
            const struct mo_attr *at = mo_node_attr(n, d->attrs[a].name);
            if (!at) {
                if (!d->attrs[a].dflt)
                    return mo_error_set(err, MO_ERR_INTERNAL, 0,
                                        "%s node '%s' lacks the required attribute '%s'", n->type,
                                        n->name, d->attrs[a].name);
                continue;
            }
            if (!kind_fits(d->attrs[a].kind, at->kind))
                return mo_error_set(err, MO_ERR_INTERNAL, 0,
                                    "%s node '%s': attribute '%s' has the wrong kind", n->type,
                                    n->name, d->attrs[a].name);
        }
        for (unsigned o = 0; o < n->n_outputs; o++)
            if (n->outputs[o].et == MO_ET_UNDEFINED || n->outputs[o].shape.rank < 0)
                return mo_error_set(err, MO_ERR_SHAPE, 4,
                                    "%s node '%s': output %u has no inferred type or rank", n->type,
                                    n->name, o);
        if (!strcmp(n->type, "Result"))
            results++;
    }
    if (!results)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 0, "the graph has no outputs (Result nodes)");
    struct mo_node **order;
    unsigned cnt;
    enum mo_status st = mo_graph_topo(g, &order, &cnt, err);
    if (st != MO_OK)
        return st;
    /* IR layer names must be unique: the runtime looks tensors up by them */
    struct mo_node **byname = malloc((cnt ? cnt : 1) * sizeof *byname);
    if (!byname)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    memcpy(byname, order, cnt * sizeof *byname);
    qsort(byname, cnt, sizeof *byname, cmp_names);
    for (unsigned i = 1; i < cnt; i++) {
        if (!strcmp(byname[i]->name, byname[i - 1]->name)) {
            st = mo_error_set(err, MO_ERR_INTERNAL, 0, "two IR layers are named '%s' (%s and %s)",
                              byname[i]->name, byname[i - 1]->type, byname[i]->type);
            break;
        }
    }
    free(byname);
    return st;
}
