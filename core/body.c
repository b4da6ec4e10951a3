/* body.c - body graphs of control-flow nodes and their port maps. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <mo/body.h>
#include <mo/graph.h>

#include "graph_private.h"

/* A copy of the n-element array old with room for one more, in g's arena:
 * port maps are short and built once, so the old copy is simply left. */
static void *arena_append(struct mo_graph *g, const void *old, unsigned n, size_t esz)
{
    void *p = mo_graph_alloc(g, (n + 1) * esz);
    if (p && n)
        memcpy(p, old, n * esz);
    return p;
}

struct mo_body *mo_body_add(struct mo_node *n, struct mo_error *err)
{
    struct mo_graph *g = n->graph;
    if (g->n_subgraphs == g->cap_subgraphs) {
        unsigned cap = g->cap_subgraphs ? g->cap_subgraphs * 2 : 4;
        struct mo_graph **s = realloc(g->subgraphs, cap * sizeof *s);
        if (!s) {
            mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            return NULL;
        }
        g->subgraphs = s;
        g->cap_subgraphs = cap;
    }
    struct mo_body *b = mo_graph_alloc(g, sizeof *b);
    struct mo_body **bodies = arena_append(g, n->bodies, n->n_bodies, sizeof *bodies);
    struct mo_graph *bg = b && bodies ? mo_graph_new(g->ctx) : NULL;
    if (!bg) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    g->subgraphs[g->n_subgraphs++] = bg;
    bg->body = b;
    b->graph = bg;
    b->owner = n;
    bodies[n->n_bodies++] = b;
    n->bodies = bodies;
    return b;
}

struct mo_body *mo_node_body(const struct mo_node *n, unsigned i)
{
    return n && i < n->n_bodies ? n->bodies[i] : NULL;
}

struct mo_body *mo_graph_body(const struct mo_graph *g) { return g ? g->body : NULL; }

/* Is x a live node of type `type` in b's graph?  Else an error naming what. */
static enum mo_status own_node(const struct mo_body *b, const struct mo_node *x, const char *type,
                               const char *what, struct mo_error *err)
{
    if (!x || x->graph != b->graph || x->dead || strcmp(x->type, type) != 0)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 0,
                            "%s node '%s': the %s must be a %s of its body (got %s)",
                            b->owner->type, b->owner->name, what, type,
                            x ? x->name : "nothing");
    return MO_OK;
}

static enum mo_status check_slice(const struct mo_body *b, const struct mo_slice *s,
                                  struct mo_error *err)
{
    if (s && (s->part_size <= 0 || s->stride == 0))
        return mo_error_set(err, MO_ERR_INVALID_ARG, 0,
                            "%s node '%s': a slice needs part_size > 0 and stride != 0 "
                            "(got %lld and %lld)",
                            b->owner->type, b->owner->name, (long long)s->part_size,
                            (long long)s->stride);
    return MO_OK;
}

enum mo_status mo_body_input(struct mo_body *b, unsigned outer, struct mo_node *param,
                             const struct mo_slice *slice, struct mo_error *err)
{
    enum mo_status st = own_node(b, param, "Parameter", "input", err);
    if (st == MO_OK)
        st = check_slice(b, slice, err);
    if (st != MO_OK)
        return st;
    for (unsigned i = 0; i < b->n_inputs; i++)
        if (b->inputs[i].param == param)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 0,
                                "%s node '%s': body Parameter '%s' is fed twice", b->owner->type,
                                b->owner->name, param->name);
    struct mo_graph *g = b->owner->graph;
    struct mo_body_input *in = arena_append(g, b->inputs, b->n_inputs, sizeof *in);
    if (!in)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    in[b->n_inputs] = (struct mo_body_input){outer, param, slice != NULL, {0, 0, 1, 1, -1}};
    if (slice)
        in[b->n_inputs].slice = *slice;
    b->inputs = in;
    b->n_inputs++;
    return MO_OK;
}

enum mo_status mo_body_output(struct mo_body *b, struct mo_node *result, unsigned outer,
                              const struct mo_slice *concat, struct mo_error *err)
{
    enum mo_status st = own_node(b, result, "Result", "output", err);
    if (st == MO_OK)
        st = check_slice(b, concat, err);
    if (st != MO_OK)
        return st;
    for (unsigned i = 0; i < b->n_outputs; i++)
        if (b->outputs[i].outer == outer)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 0,
                                "%s node '%s': output %u is mapped twice in one body",
                                b->owner->type, b->owner->name, outer);
    struct mo_node *n = b->owner;
    if (outer >= n->n_outputs && mo_node_resize(n, n->n_inputs, outer + 1) != MO_OK)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    struct mo_body_output *out = arena_append(n->graph, b->outputs, b->n_outputs, sizeof *out);
    if (!out)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    out[b->n_outputs] = (struct mo_body_output){outer, result, concat != NULL, {0, 0, 1, 1, -1}};
    if (concat)
        out[b->n_outputs].slice = *concat;
    b->outputs = out;
    b->n_outputs++;
    return MO_OK;
}

enum mo_status mo_body_back_edge(struct mo_body *b, struct mo_node *result, struct mo_node *param,
                                 struct mo_error *err)
{
    enum mo_status st = own_node(b, result, "Result", "back edge's source", err);
    if (st == MO_OK)
        st = own_node(b, param, "Parameter", "back edge's target", err);
    if (st != MO_OK)
        return st;
    for (unsigned i = 0; i < b->n_back_edges; i++)
        if (b->back_edges[i].param == param)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 0,
                                "%s node '%s': body Parameter '%s' has two back edges",
                                b->owner->type, b->owner->name, param->name);
    struct mo_back_edge *e =
        arena_append(b->owner->graph, b->back_edges, b->n_back_edges, sizeof *e);
    if (!e)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    e[b->n_back_edges] = (struct mo_back_edge){result, param};
    b->back_edges = e;
    b->n_back_edges++;
    return MO_OK;
}

enum mo_status mo_body_loop_ports(struct mo_body *b, struct mo_node *iteration,
                                  struct mo_node *condition, struct mo_error *err)
{
    if (strcmp(b->owner->type, "Loop") != 0)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 0,
                            "%s node '%s': only a Loop has an iteration input and a condition",
                            b->owner->type, b->owner->name);
    enum mo_status st = own_node(b, condition, "Result", "condition", err);
    if (st == MO_OK && iteration)
        st = own_node(b, iteration, "Parameter", "iteration number input", err);
    if (st != MO_OK)
        return st;
    b->iteration = iteration;
    b->condition = condition;
    return MO_OK;
}
