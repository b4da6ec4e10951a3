/* mo/body.h - control flow: nodes that own body graphs.
 *
 * If-8, Loop-5 and TensorIterator-1 are ordinary nodes of their graph whose
 * computation is described by one or two body graphs:
 *     If              body 0 = then branch, body 1 = else branch
 *     Loop            body 0, run while its condition holds (at most the
 *                     trip count of input 0; input 1 says whether to start)
 *     TensorIterator  body 0, run once per slice of its sliced inputs
 * A body is a struct mo_graph of its own, with its own Parameters and
 * Results; no edge crosses from a body into the outer graph.  Values pass
 * through port maps instead:
 *   - an input map entry says which outer input of the node feeds which body
 *     Parameter, whole (invariant) or one slice per iteration (sliced);
 *   - an output map entry says which body Result gives which outer output of
 *     the node, its value after the last iteration or the values of every
 *     iteration concatenated along an axis;
 *   - a back edge (Loop, TensorIterator) says that a body Result's value is
 *     the Parameter's value in the next iteration (the input map gives the
 *     value of the first one);
 *   - Loop's special ports: the Parameter receiving the iteration number
 *     (optional) and the Result giving the condition to go on (required).
 *
 * The body graph belongs to the node's graph and is freed with it; port
 * maps live in the node's graph arena.  Inference (mo_graph_infer) infers
 * the bodies from the outer input shapes; mo_graph_validate, mo_graph_prune
 * and the IR writer recurse into them.
 *
 * A Loop summing x over at most 10 iterations:
 *     struct mo_node *tc = mo_const_i64(g, "n", (int64_t[]){10}, 1, true, err);
 *     struct mo_node *go = ...;                        // a boolean Const true
 *     struct mo_node *loop = mo_op(g, "Loop", "loop", 4,
 *         (struct mo_value[]){{tc, 0}, {go, 0}, {x, 0}, {zero, 0}}, err);
 *     struct mo_body *b = mo_body_add(loop, err);
 *     struct mo_node *px = mo_parameter(b->graph, "x", MO_ET_F32, &xs, err);
 *     struct mo_node *pacc = mo_parameter(b->graph, "acc", MO_ET_F32, &xs, err);
 *     struct mo_node *sum = mo_op(b->graph, "Add", "sum", 2, ...{pacc, px}..., err);
 *     struct mo_node *rsum = mo_result(b->graph, mo_val(sum, 0), "sum/r", err);
 *     struct mo_node *rgo = mo_result(b->graph, ...a boolean..., "go/r", err);
 *     mo_body_input(b, 2, px, NULL, err);          // invariant
 *     mo_body_input(b, 3, pacc, NULL, err);        // initial value...
 *     mo_body_back_edge(b, rsum, pacc, err);       // ...then the last sum
 *     mo_body_output(b, rsum, 0, NULL, err);       // outer output 0
 *     mo_body_loop_ports(b, NULL, rgo, err);
 */
#ifndef MO_BODY_H
#define MO_BODY_H

#include <stdbool.h>
#include <stdint.h>

#include <mo/graph.h>
#include <mo/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How an iterated port is cut (TensorIterator-1 / Loop-5 port_map
 * attributes).  Iteration i reads (or writes) part_size elements of axis
 * from start + i * stride; start and end count from the end when negative
 * (-1 = the last element), both ends included. */
struct mo_slice {
    int64_t axis;
    int64_t start;
    int64_t stride;
    int64_t part_size;
    int64_t end;
};

/* The usual slice: one element per iteration along axis, front to back. */
static inline struct mo_slice mo_slice_axis(int64_t axis)
{
    struct mo_slice s = {axis, 0, 1, 1, -1};
    return s;
}

struct mo_body_input {
    unsigned outer;             /* input index on the control-flow node */
    struct mo_node *param;      /* Parameter of the body */
    bool sliced;                /* false: the whole value (invariant or merged) */
    struct mo_slice slice;      /* when sliced */
};

struct mo_body_output {
    unsigned outer;             /* output index on the control-flow node */
    struct mo_node *result;     /* Result of the body */
    bool concat;                /* false: the value of the last iteration */
    struct mo_slice slice;      /* when concat: axis, start, stride, part_size, end */
};

struct mo_back_edge {
    struct mo_node *result;     /* its value after iteration i ... */
    struct mo_node *param;      /* ... is this Parameter in iteration i + 1 */
};

/* One body of a control-flow node; every field is read-only outside the
 * mo_body_* calls.  Append-only (ABI). */
struct mo_body {
    struct mo_graph *graph;     /* owned by owner->graph */
    struct mo_node *owner;
    unsigned n_inputs;
    struct mo_body_input *inputs;
    unsigned n_outputs;
    struct mo_body_output *outputs;
    unsigned n_back_edges;
    struct mo_back_edge *back_edges;
    struct mo_node *iteration;  /* Loop: Parameter given the iteration number, or NULL */
    struct mo_node *condition;  /* Loop: Result deciding whether to run again */
};

/* Give node n its next body: a new empty graph bound to n's context (If:
 * the first call makes the then body, the second the else body).  n's
 * graph owns the body and its graph and frees them in mo_graph_free();
 * never free them yourself.  Returns the body (also n->bodies[i]), NULL
 * with err filled on OOM. */
struct mo_body *mo_body_add(struct mo_node *n, struct mo_error *err);
/* Body i of n, or NULL. */
struct mo_body *mo_node_body(const struct mo_node *n, unsigned i);
/* The body description a body graph belongs to, NULL for a top-level
 * graph.  Borrowed. */
struct mo_body *mo_graph_body(const struct mo_graph *g);

/* Outer input `outer` of the owner feeds body Parameter param, whole when
 * slice is NULL, else one slice per iteration (copied).  param must be a
 * Parameter of b->graph, fed by no other entry.  The map is stored in the
 * owner's graph. */
enum mo_status mo_body_input(struct mo_body *b, unsigned outer, struct mo_node *param,
                             const struct mo_slice *slice, struct mo_error *err);
/* Body Result result gives outer output `outer` of the owner (the owner
 * grows to outer + 1 outputs if needed): the last iteration's value when
 * concat is NULL, else every iteration's concatenated (copied; only axis,
 * start, stride, part_size and end are used).  For If, each branch maps
 * every output once. */
enum mo_status mo_body_output(struct mo_body *b, struct mo_node *result, unsigned outer,
                              const struct mo_slice *concat, struct mo_error *err);
/* Loop/TensorIterator: result's value after an iteration is param's value
 * in the next one.  param must also be fed by an input map entry (its
 * first value), whole. */
enum mo_status mo_body_back_edge(struct mo_body *b, struct mo_node *result, struct mo_node *param,
                                 struct mo_error *err);
/* Loop: iteration (a Parameter, or NULL) receives the iteration number
 * (i64 scalar unless the Parameter says otherwise); condition (a boolean
 * Result of the body) decides whether the next iteration runs. */
enum mo_status mo_body_loop_ports(struct mo_body *b, struct mo_node *iteration,
                                  struct mo_node *condition, struct mo_error *err);

#ifdef __cplusplus
}
#endif
#endif
