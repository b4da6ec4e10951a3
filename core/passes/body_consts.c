/* body_consts.c - constant inputs of If, Loop and TensorIterator moved into
 * their bodies.
 *
 * A value a control-flow node receives whole, the same in every iteration
 * (no back edge, not sliced), that is a constant outside is a constant
 * inside: the body gets a Const sharing its bytes and the node loses the
 * input.  The IR is smaller, the second constant folding reaches into the
 * body with it, and OpenVINO's CPU plugin, which crashes compiling a Loop
 * whose condition reads a constant given as an input, gets none.  Done
 * here once for every frontend (TensorFlow's and Paddle's loops, ONNX's
 * captures), innermost bodies first. */
#include <config.h>

#include <string.h>

#include <mo/mo.h>

#include "passes.h"

/* Inputs before `first` are the node's own (Loop: trip count and
 * execution condition; If: the condition). */
static unsigned first_body_input(const struct mo_node *n)
{
    if (!strcmp(n->type, "Loop"))
        return 2;
    if (!strcmp(n->type, "If"))
        return 1;
    return 0;
}

static bool is_flow(const struct mo_node *n)
{
    return n->n_bodies && (!strcmp(n->type, "Loop") || !strcmp(n->type, "If") ||
                           !strcmp(n->type, "TensorIterator"));
}

/* Whether outer input j of n feeds only whole, non-carried Parameters. */
static bool foldable(const struct mo_node *n, unsigned j)
{
    bool fed = false;
    for (unsigned k = 0; k < n->n_bodies; k++) {
        const struct mo_body *b = n->bodies[k];
        for (unsigned i = 0; i < b->n_inputs; i++) {
            if (b->inputs[i].outer != j)
                continue;
            if (b->inputs[i].sliced)
                return false;
            for (unsigned e = 0; e < b->n_back_edges; e++)
                if (b->back_edges[e].param == b->inputs[i].param)
                    return false;
            fed = true;
        }
    }
    return fed;
}

static enum mo_status fold_input(struct mo_node *n, unsigned j, struct mo_error *err)
{
    struct mo_node *c = n->inputs[j].node;
    for (unsigned k = 0; k < n->n_bodies; k++) {
        struct mo_body *b = n->bodies[k];
        unsigned w = 0;
        for (unsigned i = 0; i < b->n_inputs; i++) {
            struct mo_body_input in = b->inputs[i];
            if (in.outer == j) {
                struct mo_node *p = in.param;
                char *name = mo_graph_printf(b->graph, "%s/const", p->name);
                struct mo_node *k2 = name ? mo_const(b->graph, name, mo_tensor_ref(c->value), err) : NULL;
                if (!k2)
                    return err && err->code ? err->code : MO_ERR_NOMEM;
                mo_graph_replace_uses(b->graph, mo_val(p, 0), mo_val(k2, 0));
                mo_node_kill(p);
                continue;
            }
            if (in.outer > j)
                in.outer--;
            b->inputs[w++] = in;
        }
        b->n_inputs = w;
    }
    for (unsigned i = j; i + 1 < n->n_inputs; i++)
        mo_node_set_input(n, i, n->inputs[i + 1]);
    return mo_node_resize(n, n->n_inputs - 1, n->n_outputs);
}

static enum mo_status run(struct mo_graph *g, struct mo_pass_stats *st, long *moved, struct mo_error *err)
{
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *n = mo_graph_node(g, i);
        if (n->dead || !n->n_bodies)
            continue;
        for (unsigned k = 0; k < n->n_bodies; k++) {
            enum mo_status rc = run(n->bodies[k]->graph, st, moved, err);
            if (rc != MO_OK)
                return rc;
        }
        if (!is_flow(n))
            continue;
        for (unsigned j = n->n_inputs; j-- > first_body_input(n);) {
            struct mo_node *c = n->inputs[j].node;
            if (!c || c->dead || strcmp(c->type, "Const") || !c->value || !foldable(n, j))
                continue;
            enum mo_status rc = fold_input(n, j, err);
            if (rc != MO_OK)
                return rc;
            mo_pass_stats_add(st, "body_consts", "constant inputs moved into bodies", 1);
            ++*moved;
        }
    }
    return MO_OK;
}

enum mo_status mo_pass_body_consts(struct mo_graph *g, struct mo_pass_stats *st, struct mo_error *err)
{
    long moved = 0;
    enum mo_status rc = run(g, st, &moved, err);
    return rc == MO_OK && moved ? mo_graph_infer(g, err) : rc;
}
