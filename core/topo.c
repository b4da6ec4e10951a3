/* topo.c - whole-graph walks: topological order, pruning, rewiring. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <mo/body.h>
#include <mo/graph.h>

#include "graph_private.h"

/* Iterative DFS so a 1000-layer chain cannot overflow the stack.
 * mark: 0 unvisited, 1 on the stack, 2 done. */
enum mo_status mo_graph_topo(struct mo_graph *g, struct mo_node ***order, unsigned *count,
                             struct mo_error *err)
{
    unsigned n = g->n_nodes;
    struct mo_node **out = mo_graph_alloc(g, (n ? n : 1) * sizeof *out);
    struct mo_node **stack = malloc((n ? n : 1) * sizeof *stack);
    unsigned *next_in = malloc((n ? n : 1) * sizeof *next_in);
    unsigned char *state = calloc(n ? n : 1, 1);
    if (!out || !stack || !next_in || !state) {
        free(stack);
        free(next_in);
        free(state);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory sorting the graph");
    }
    unsigned k = 0;
    enum mo_status st = MO_OK;
    for (unsigned r = 0; r < n && st == MO_OK; r++) {
        struct mo_node *root = g->nodes[r];
        if (root->dead || state[root->id])
            continue;
        unsigned sp = 0;
        stack[sp++] = root;
        state[root->id] = 1;
        next_in[root->id] = 0;
        while (sp) {
            struct mo_node *cur = stack[sp - 1];
            if (next_in[cur->id] < cur->n_inputs) {
                struct mo_node *p = cur->inputs[next_in[cur->id]++].node;
                if (!p || p->dead || p->graph != g)
                    continue;
                if (state[p->id] == 1) {
                    st = mo_error_set(err, MO_ERR_FORMAT, 3,
                                      "the graph has a cycle through node '%s' (%s)", p->name, p->type);
                    break;
                }
                if (state[p->id] == 0) {
                    state[p->id] = 1;
                    next_in[p->id] = 0;
                    stack[sp++] = p;
                }
            } else {
                state[cur->id] = 2;
                out[k++] = cur;
                sp--;
            }
        }
    }
    free(stack);
    free(next_in);
    free(state);
    if (st != MO_OK)
        return st;
    *order = out;
    *count = k;
    return MO_OK;
}

/* Bodies keep their Parameters: the port maps name them, used or not. */
static void prune_graph(struct mo_graph *g, bool keep_params)
{
    unsigned n = g->n_nodes;
    unsigned char *live = calloc(n ? n : 1, 1);
    struct mo_node **stack = malloc((n ? n : 1) * sizeof *stack);
    if (!live || !stack) {
        free(live);
        free(stack);
        return;
    }
    unsigned sp = 0;
    for (unsigned i = 0; i < n; i++) {
        struct mo_node *x = g->nodes[i];
        if (!x->dead && (!strcmp(x->type, "Result") || !strcmp(x->type, "Assign") ||
                         !strcmp(x->type, "Sink") ||
                         (keep_params && !strcmp(x->type, "Parameter")))) {
            live[i] = 1;
            stack[sp++] = x;
        }
    }
    for (unsigned i = 0; i < g->n_outputs; i++) {
        struct mo_node *x = g->outputs[i].node;
        if (x && !x->dead && !live[x->id]) {
            live[x->id] = 1;
            stack[sp++] = x;
        }
    }
    while (sp) {
        struct mo_node *x = stack[--sp];
        for (unsigned i = 0; i < x->n_inputs; i++) {
            struct mo_node *p = x->inputs[i].node;
            if (p && !p->dead && !live[p->id]) {
                live[p->id] = 1;
                stack[sp++] = p;
            }
        }
    }
    for (unsigned i = 0; i < n; i++)
        if (!live[i])
            g->nodes[i]->dead = true;
    free(live);
    free(stack);
    for (unsigned i = 0; i < n; i++) {
        struct mo_node *x = g->nodes[i];
        for (unsigned b = 0; !x->dead && b < x->n_bodies; b++)
            prune_graph(x->bodies[b]->graph, true);
    }
}

void mo_graph_prune(struct mo_graph *g)
{
    prune_graph(g, g->body != NULL || g->keep_inputs);
}

void mo_graph_keep_inputs(struct mo_graph *g, bool keep)
{
    g->keep_inputs = keep;
}

bool mo_graph_keeps_inputs(const struct mo_graph *g)
{
    return g->keep_inputs;
}

unsigned mo_graph_replace_uses(struct mo_graph *g, struct mo_value from, struct mo_value to)
{
    unsigned moved = 0;
    for (unsigned i = 0; i < g->n_nodes; i++) {
        struct mo_node *x = g->nodes[i];
        if (x->dead || x == to.node)
            continue;
        for (unsigned k = 0; k < x->n_inputs; k++) {
            if (x->inputs[k].node == from.node && x->inputs[k].port == from.port) {
                x->inputs[k] = to;
                moved++;
            }
        }
    }
    for (unsigned i = 0; i < g->n_outputs; i++) {
        if (g->outputs[i].node == from.node && g->outputs[i].port == from.port) {
            g->outputs[i] = to;
            moved++;
        }
    }
    return moved;
}
