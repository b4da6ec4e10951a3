/* validate.c - structural checks before an IR graph is written. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <mo/body.h>
#include <mo/op.h>

#include "graph_private.h"

static enum mo_status validate_graph(struct mo_graph *g, struct mo_error *err);

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

static bool live_in(const struct mo_node *x, const struct mo_graph *g, const char *type)
{
    return x && x->graph == g && !x->dead && !strcmp(x->type, type);
}

/* How many bodies n's op has and which of its inputs are data for them
 * (a custom op of the same name has none). */
static int bodies_of(const struct mo_node *n, unsigned *first_data)
{
    const char *type = n->type, *opset = n->def->opset;
    *first_data = 0;
    if (!strcmp(type, "If") && !strcmp(opset, "opset8")) {
        *first_data = 1;
        return 2;
    }
    if (!strcmp(type, "Loop") && !strcmp(opset, "opset5")) {
        *first_data = 2;
        return 1;
    }
    return !strcmp(type, "TensorIterator") && !strcmp(opset, "opset1") ? 1 : 0;
}

/* The port maps of one body of n against n and the body graph. */
static enum mo_status check_port_maps(const struct mo_node *n, const struct mo_body *b,
                                      const char *label, unsigned first_data, struct mo_error *err)
{
    const struct mo_graph *bg = b->graph;
    bool loop = !strcmp(n->type, "Loop"), is_if = !strcmp(n->type, "If");
#define BAD(...) mo_error_set(err, MO_ERR_INTERNAL, 0, __VA_ARGS__)
    for (unsigned i = 0; i < b->n_inputs; i++) {
        const struct mo_body_input *in = &b->inputs[i];
        if (in->outer < first_data || in->outer >= n->n_inputs)
            return BAD("%s node '%s': the %s maps input %u, not a data input (inputs %u and "
                       "up of its %u)", n->type, n->name, label, in->outer, first_data,
                       n->n_inputs);
        if (!live_in(in->param, bg, "Parameter"))
            return BAD("%s node '%s': input %u of the %s feeds no live Parameter of it", n->type,
                       n->name, in->outer, label);
        if (in->param == b->iteration)
            return BAD("%s node '%s': Parameter '%s' is both fed and the iteration number",
                       n->type, n->name, in->param->name);
        if (in->sliced && is_if)
            return BAD("If node '%s': the %s slices input %u", n->name, label, in->outer);
        for (unsigned k = 0; k < i; k++)
            if (b->inputs[k].outer == in->outer)
                return BAD("%s node '%s': input %u feeds two Parameters of the %s", n->type,
                           n->name, in->outer, label);
    }
    /* every Parameter of the body gets a value */
    for (unsigned i = 0; i < bg->n_nodes; i++) {
        const struct mo_node *p = bg->nodes[i];
        if (!live_in(p, bg, "Parameter") || p == b->iteration)
            continue;
        bool fed = false;
        for (unsigned k = 0; k < b->n_inputs && !fed; k++)
            fed = b->inputs[k].param == p;
        if (!fed)
            return BAD("%s node '%s': Parameter '%s' of the %s is fed by no input", n->type,
                       n->name, p->name, label);
    }
    for (unsigned k = 0; k < n->n_outputs; k++) {
        unsigned maps = 0;
        for (unsigned i = 0; i < b->n_outputs; i++)
            maps += b->outputs[i].outer == k;
        if (maps != 1)
            return BAD("%s node '%s': output %u comes from %u Results of the %s, expected one",
                       n->type, n->name, k, maps, label);
    }
    for (unsigned i = 0; i < b->n_outputs; i++) {
        const struct mo_body_output *o = &b->outputs[i];
        if (o->outer >= n->n_outputs || !live_in(o->result, bg, "Result"))
            return BAD("%s node '%s': output map %u of the %s names no live Result or output",
                       n->type, n->name, i, label);
        if (o->concat && is_if)
            return BAD("If node '%s': the %s concatenates output %u", n->name, label, o->outer);
    }
    if (is_if && (b->n_back_edges || b->iteration || b->condition))
        return BAD("If node '%s': the %s has loop ports", n->name, label);
    for (unsigned i = 0; i < b->n_back_edges; i++) {
        const struct mo_back_edge *e = &b->back_edges[i];
        if (!live_in(e->result, bg, "Result") || !live_in(e->param, bg, "Parameter"))
            return BAD("%s node '%s': back edge %u of the %s joins no live Result and Parameter",
                       n->type, n->name, i, label);
        bool first = false;
        for (unsigned k = 0; k < b->n_inputs; k++)
            first |= b->inputs[k].param == e->param && !b->inputs[k].sliced;
        if (!first)
            return BAD("%s node '%s': back edge target '%s' has no whole input for its first "
                       "iteration", n->type, n->name, e->param->name);
    }
    if (loop && !live_in(b->condition, bg, "Result"))
        return BAD("Loop node '%s': the body has no live condition Result", n->name);
    if (!loop && (b->iteration || b->condition))
        return BAD("%s node '%s': only a Loop has an iteration input or a condition", n->type,
                   n->name);
    if (b->iteration && !live_in(b->iteration, bg, "Parameter"))
        return BAD("Loop node '%s': the iteration number input is no live Parameter", n->name);
#undef BAD
    return MO_OK;
}

/* The bodies of control-flow node n: their number, port maps, and each
 * body graph as a graph of its own. */
static enum mo_status check_bodies(const struct mo_node *n, struct mo_error *err)
{
    unsigned first_data;
    int want = bodies_of(n, &first_data);
    if ((int)n->n_bodies != want)
        return mo_error_set(err, MO_ERR_INTERNAL, 0, "%s node '%s' has %u bodies, expected %d",
                            n->type, n->name, n->n_bodies, want);
    for (unsigned i = 0; i < n->n_bodies; i++) {
        const struct mo_body *b = n->bodies[i];
        const char *label = !strcmp(n->type, "If") ? (i ? "else body" : "then body") : "body";
        if (!b || !b->graph || b->owner != n || b->graph->body != b)
            return mo_error_set(err, MO_ERR_INTERNAL, 0, "%s node '%s': the %s is not its own",
                                n->type, n->name, label);
        enum mo_status st = check_port_maps(n, b, label, first_data, err);
        if (st != MO_OK)
            return st;
        struct mo_error inner = {0};
        st = validate_graph(b->graph, &inner);
        if (st != MO_OK)
            return mo_error_set(err, st, inner.faq, "in the %s of %s '%s': %s", label, n->type,
                                n->name, inner.msg);
    }
    if (!strcmp(n->type, "If")) {
        /* an input neither branch reads has no place in the IR's port maps */
        for (unsigned k = first_data; k < n->n_inputs; k++) {
            bool used = false;
            for (unsigned i = 0; i < 2 && !used; i++)
                for (unsigned j = 0; j < n->bodies[i]->n_inputs && !used; j++)
                    used = n->bodies[i]->inputs[j].outer == k;
            if (!used)
                return mo_error_set(err, MO_ERR_INTERNAL, 0,
                                    "If node '%s': input %u feeds neither body", n->name, k);
        }
    } else {
        for (unsigned k = first_data; k < n->n_inputs; k++) {
            bool used = false;
            for (unsigned j = 0; j < n->bodies[0]->n_inputs && !used; j++)
                used = n->bodies[0]->inputs[j].outer == k;
            if (!used)
                return mo_error_set(err, MO_ERR_INTERNAL, 0,
                                    "%s node '%s': input %u feeds no Parameter of the body",
                                    n->type, n->name, k);
        }
    }
    return MO_OK;
}

enum mo_status mo_graph_validate(struct mo_graph *g, struct mo_error *err)
{
    return validate_graph(g, err);
}

static enum mo_status validate_graph(struct mo_graph *g, struct mo_error *err)
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
        unsigned first_data;
        if (n->n_bodies || bodies_of(n, &first_data)) {
            enum mo_status st = check_bodies(n, err);
            if (st != MO_OK)
                return st;
        }
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
