/* transpose_sink.c - moves layout Transposes forward through the ops that
 * commute with them, so that a Transpose back to the framework's layout
 * meets the next Transpose into the IR's layout and both disappear.
 *
 * Frontends of NHWC frameworks (TensorFlow, Paddle's data_format NHWC) put
 * Transpose(to NCHW) before and Transpose(to NHWC) after every
 * layout-sensitive op; between two convolutions the data then goes NCHW ->
 * NHWC -> (Relu, Add, Concat...) -> NCHW.  Moving the second Transpose past
 * the ops in between makes it meet its inverse.  What remains are the
 * Transposes at the model's inputs and outputs.
 *
 * Every rewrite only reorders data movement: an op is run on the
 * untransposed data with its axes (and constant operands) permuted, and the
 * Transpose moves after it, so results are bit for bit the same.  A
 * Transpose moves only when every reader of it can take it (a Result, a
 * Reshape or any op not listed here keeps it in place), so the count of
 * Transposes does not grow with the fan-out.
 *
 * Framework tensor names: the Transpose placed after an op takes over the
 * op's output names, so a model output keeps its names on the value the
 * Result reads; when a Transpose disappears, its names go to the value it
 * read (the same tensor in the IR's layout), as the legacy tool's layout
 * conversion named its NCHW tensors. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>
#include <mo/op.h>

#include "../ops/ops.h"
#include "passes.h"
#include "uses.h"

#define PASS "transpose_sinking"

struct perm {
    int rank;
    int64_t p[MO_MAX_RANK];
};

/* The constant permutation of a live standard Transpose. */
static bool transpose_perm(const struct mo_node *t, struct perm *out)
{
    if (!mo_pass_is(t, "Transpose") || t->n_inputs != 2 || !t->inputs[0].node)
        return false;
    const struct mo_output *in = mo_node_in(t, 0);
    struct mo_tensor *o = mo_node_const_input(t, 1);
    if (!in || !o || in->shape.rank < 1 || in->shape.rank > MO_MAX_RANK)
        return false;
    int r = in->shape.rank;
    if (mo_tensor_numel(o) != r)
        return false;
    bool seen[MO_MAX_RANK] = {false};
    for (int i = 0; i < r; i++) {
        int64_t v = mo_tensor_get_i64(o, i);
        if (v < 0 || v >= r || seen[v])
            return false;
        seen[v] = true;
        out->p[i] = v;
    }
    out->rank = r;
    return true;
}

static bool perm_is_identity(const struct perm *p)
{
    for (int i = 0; i < p->rank; i++)
        if (p->p[i] != i)
            return false;
    return true;
}

static bool perm_equal(const struct perm *a, const struct perm *b)
{
    if (a->rank != b->rank)
        return false;
    for (int i = 0; i < a->rank; i++)
        if (a->p[i] != b->p[i])
            return false;
    return true;
}

static struct perm perm_inverse(const struct perm *p)
{
    struct perm q = {p->rank, {0}};
    for (int i = 0; i < p->rank; i++)
        q.p[p->p[i]] = i;
    return q;
}

/* Transpose(Transpose(x, inner), outer) = Transpose(x, result). */
static struct perm perm_compose(const struct perm *inner, const struct perm *outer)
{
    struct perm r = {outer->rank, {0}};
    for (int i = 0; i < outer->rank; i++)
        r.p[i] = inner->p[outer->p[i]];
    return r;
}

/* --- uses ------------------------------------------------------------------- */

/* Every rewiring here goes through the reader index (uses.h). */
struct sink {
    struct mo_graph *g;
    struct mo_uses *u;
};

static const struct mo_use *uses_of(struct sink *s, struct mo_value v, unsigned *n_out)
{
    return mo_uses_of(s->u, v, n_out);
}

static unsigned count_uses(struct sink *s, struct mo_value v) { return mo_uses_count(s->u, v); }

static struct mo_use *uses_copy(struct sink *s, struct mo_value v, unsigned *n_out)
{
    return mo_uses_copy(s->u, v, n_out);
}

static void set_input(struct sink *s, struct mo_node *n, unsigned i, struct mo_value v)
{
    mo_uses_set_input(s->u, n, i, v);
}

static void track(struct sink *s, struct mo_node *n) { mo_uses_track(s->u, n); }
static void kill_node(struct sink *s, struct mo_node *n) { mo_uses_kill(s->u, n); }

static void replace(struct sink *s, struct mo_value from, struct mo_value to)
{
    mo_uses_replace(s->u, from, to);
}

static void move_names(struct mo_value from, struct mo_value to)
{
    struct mo_output *o = &from.node->outputs[from.port];
    if (to.node && !mo_pass_is(to.node, "Parameter"))
        for (unsigned i = 0; i < o->n_names; i++)
            mo_node_add_output_name(to.node, to.port, o->names[i]);
    o->n_names = 0;
}

/* --- which ops take a Transpose ------------------------------------------------ */

/* Unary elementwise ops: input 0 is the data; any other input is a scalar
 * parameter (Swish's beta, Selu's alpha and lambda, HardSigmoid's). */
static const char *const unary_ops[] = {
    "Relu", "Sigmoid", "Tanh", "Exp", "Sqrt", "Abs", "Floor", "Ceiling", "Log", "Negative",
    "SoftPlus", "HSwish", "HSigmoid", "Mish", "Erf", "Sin", "Cos", "Sign", "LogicalNot",
    "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "Cosh", "Sinh", "Tan", "SoftSign",
    "IsNaN", "IsInf", "IsFinite", "BitwiseNot", "HardSigmoid", "Elu", "Clamp", "Gelu", "Swish",
    "Selu", "Convert", "Round", "PRelu",
};

/* Elementwise ops whose inputs broadcast numpy-style against each other. */
static const char *const broadcast_ops[] = {
    "Add", "Subtract", "Multiply", "Divide", "Power", "Maximum", "Minimum", "SquaredDifference",
    "FloorMod", "Mod", "Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual",
    "LogicalAnd", "LogicalOr", "LogicalXor", "BitwiseAnd", "BitwiseOr", "BitwiseXor",
    "BitwiseLeftShift", "BitwiseRightShift", "Select", "FakeQuantize",
};

static const char *const reduce_ops[] = {
    "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
    "ReduceLogicalAnd", "ReduceLogicalOr",
};

static bool is_one_of(const struct mo_node *n, const char *const *list, size_t cnt)
{
    for (size_t i = 0; i < cnt; i++)
        if (mo_pass_is(n, list[i]))
            return true;
    return false;
}

enum kind { K_NONE, K_TRANSPOSE, K_UNARY, K_BROADCAST, K_CONCAT, K_SPLIT, K_REDUCE, K_PAD, K_SOFTMAX, K_SLICE };

static enum kind kind_of(const struct mo_node *n)
{
    if (mo_pass_is(n, "Transpose"))
        return K_TRANSPOSE;
    if (is_one_of(n, unary_ops, MO_COUNT_OF(unary_ops)))
        return K_UNARY;
    if (is_one_of(n, broadcast_ops, MO_COUNT_OF(broadcast_ops)))
        return K_BROADCAST;
    if (mo_pass_is(n, "Concat"))
        return K_CONCAT;
    if (mo_pass_is(n, "Split") || mo_pass_is(n, "VariadicSplit"))
        return K_SPLIT;
    /* Squeeze with constant axes drops dims as a Reduce without keep_dims
     * does: the same axes remapping and the same permutation after it */
    if (is_one_of(n, reduce_ops, MO_COUNT_OF(reduce_ops)) || (mo_pass_is(n, "Squeeze") && n->n_inputs == 2))
        return K_REDUCE;
    if (mo_pass_is(n, "Pad"))
        return K_PAD;
    if (mo_pass_is(n, "Softmax") || mo_pass_is(n, "LogSoftmax"))
        return K_SOFTMAX;
    /* a crop (Keras Cropping2D): the slice parameters follow the dims */
    if (mo_pass_is(n, "StridedSlice") || (mo_pass_is(n, "Slice") && n->n_inputs == 5))
        return K_SLICE;
    return K_NONE;
}

static bool input_is_scalar(const struct mo_node *n, unsigned i)
{
    const struct mo_output *o = mo_node_in(n, i);
    return o && mo_shape_is_static(&o->shape) && mo_shape_numel(&o->shape) == 1;
}

/* Whether input i of n reads a Transpose with permutation p. */
static bool reads_perm(const struct mo_node *n, unsigned i, const struct perm *p)
{
    struct perm q;
    return n->inputs[i].node && transpose_perm(n->inputs[i].node, &q) && perm_equal(&q, p);
}

/* A live Transpose of v with permutation p already in the graph, other than
 * `not` (the one being moved), or NULL. */
static struct mo_node *existing_transpose(struct sink *s, struct mo_value v, const struct perm *p,
                                          const struct mo_node *not)
{
    unsigned n;
    const struct mo_use *u = uses_of(s, v, &n);
    for (unsigned i = 0; u && i < n; i++) {
        struct perm q;
        struct mo_node *x = u[i].node;
        if (x != not && u[i].port == 0 && transpose_perm(x, &q) && perm_equal(&q, p))
            return x;
    }
    return NULL;
}

/* Whether the constant can be permuted here (mo_tensor_transposed refuses a
 * large lazy tensor). */
static bool can_permute(const struct mo_tensor *c)
{
    return mo_tensor_numel(c) == 1 || !mo_tensor_is_lazy(c) ||
           mo_tensor_bytes_for(c->et, &c->shape) <= MO_TENSOR_SMALL_BYTES;
}

/* A slice whose parameters can be permuted with the dims: StridedSlice
 * with one constant begin/end/stride per dim and no mask that adds,
 * removes or skips dims; Slice-8 with constant axes. */
static bool slice_permutable(const struct mo_node *n, int r)
{
    if (mo_pass_is(n, "Slice")) {
        struct mo_tensor *a = mo_node_const_input(n, 4);
        if (!a)
            return false;
        for (int64_t i = 0; i < mo_tensor_numel(a); i++)
            if (mo_axis_norm(mo_tensor_get_i64(a, i), r) < 0)
                return false;
        return true;
    }
    for (unsigned i = 1; i < n->n_inputs; i++) {
        struct mo_tensor *c = mo_node_const_input(n, i);
        if (!c || mo_tensor_numel(c) != r)
            return false;
    }
    static const char *const masks[] = {"new_axis_mask", "shrink_axis_mask", "ellipsis_mask"};
    for (size_t k = 0; k < MO_COUNT_OF(masks); k++) {
        int64_t m[64];
        int cnt = mo_node_get_ints(n, masks[k], m, 64);
        for (int i = 0; i < cnt; i++)
            if (m[i])
                return false;
    }
    int64_t m[64];
    return mo_node_get_ints(n, "begin_mask", m, 64) <= r && mo_node_get_ints(n, "end_mask", m, 64) <= r;
}

/* Can n, reading Transpose(x, p) on input `port`, run on x instead?  Only
 * shapes and constants are looked at; nothing changes. */
static bool accepts(struct sink *s, const struct mo_node *n, unsigned port, const struct perm *p,
                    const struct mo_node *t, bool optimistic)
{
    int r = p->rank;
    if (n->n_outputs < 1)
        return false;
    switch (kind_of(n)) {
    case K_TRANSPOSE:
        return port == 0;
    case K_UNARY:
        if (port != 0)
            return false;
        for (unsigned i = 1; i < n->n_inputs; i++)
            if (n->inputs[i].node && !input_is_scalar(n, i))
                return false;
        return true;
    case K_BROADCAST: {
        const char *ab = mo_node_get_str(n, "auto_broadcast", "numpy");
        if (strcmp(ab, "numpy") && strcmp(ab, "none"))
            return false;
        if (n->outputs[0].shape.rank != r)
            return false;
        struct perm inv = perm_inverse(p);
        for (unsigned i = 0; i < n->n_inputs; i++) {
            const struct mo_output *o = mo_node_in(n, i);
            if (!o)
                return false;
            /* (port: in a look-ahead the input is what will be transposed) */
            if (i == port || reads_perm(n, i, p)) {
                if (o->shape.rank != r)
                    return false;
                continue;
            }
            if (mo_pass_is_const(n->inputs[i].node)) {
                if (o->shape.rank > r || !can_permute(n->inputs[i].node->value))
                    return false;
                continue;
            }
            /* another operand already read through the inverse Transpose
             * elsewhere: the op can take that one, no Transpose is added */
            if (o->shape.rank != r || (!optimistic && !existing_transpose(s, n->inputs[i], &inv, t)))
                return false;
        }
        return true;
    }
    case K_CONCAT:
        for (unsigned i = 0; i < n->n_inputs; i++) {
            const struct mo_output *o = mo_node_in(n, i);
            if (!o || o->shape.rank != r)
                return false;
            if (i != port && !reads_perm(n, i, p) && !optimistic &&
                !(mo_pass_is_const(n->inputs[i].node) && can_permute(n->inputs[i].node->value)))
                return false;
        }
        return mo_axis_norm(mo_node_get_int(n, "axis", 0, NULL), r) >= 0;
    case K_SPLIT: {
        int64_t ax;
        if (port != 0 || !mo_const_scalar(n, 1, &ax))
            return false;
        return mo_axis_norm(ax, r) >= 0;
    }
    case K_REDUCE: {
        int64_t axes[MO_MAX_RANK];
        struct mo_tensor *a = mo_node_const_input(n, 1);
        if (port != 0 || !a || mo_tensor_numel(a) > r)
            return false;
        for (int64_t i = 0; i < mo_tensor_numel(a); i++)
            if ((axes[i] = mo_axis_norm(mo_tensor_get_i64(a, i), r)) < 0)
                return false;
        return true;
    }
    case K_PAD:
        if (port != 0)
            return false;
        for (unsigned i = 1; i < 3; i++) {
            struct mo_tensor *c = mo_node_const_input(n, i);
            if (!c || mo_tensor_numel(c) != r)
                return false;
        }
        return n->n_inputs < 4 || !n->inputs[3].node || input_is_scalar(n, 3);
    case K_SOFTMAX:
        return mo_axis_norm(mo_node_get_int(n, "axis", 1, NULL), r) >= 0;
    case K_SLICE:
        return port == 0 && slice_permutable(n, r);
    default:
        return false;
    }
}

/* The permutation a Reduce with keep_dims false leaves on its output when
 * it runs on x instead of Transpose(x, p) (red: the reduced axes of the
 * transposed input).  The kept dims come out in x's order; false when that
 * is their old order already (global pooling of NHWC to [N, C]), so that no
 * Transpose is needed after it. */
static bool reduce_out_perm(const struct mo_node *n, const bool *red, const struct perm *p,
                            struct perm *q)
{
    int r = p->rank;
    if (mo_node_get_bool(n, "keep_dims", false, NULL)) {
        *q = *p;
        return true;
    }
    bool xkept[MO_MAX_RANK];
    for (int d = 0; d < r; d++)
        xkept[d] = true;
    for (int d = 0; d < r; d++)
        if (red[d])
            xkept[p->p[d]] = false;
    int pos[MO_MAX_RANK], k = 0;
    for (int d = 0; d < r; d++)
        pos[d] = xkept[d] ? k++ : -1;
    q->rank = k;
    int j = 0;
    for (int d = 0; d < r; d++)
        if (!red[d])
            q->p[j++] = pos[p->p[d]];
    return k > 1 && !perm_is_identity(q);
}

/* The reduced axes of a Reduce reading Transpose(x, p). */
static void reduced_axes(const struct mo_node *n, int r, bool *red)
{
    struct mo_tensor *a = mo_node_const_input(n, 1);
    for (int d = 0; d < r; d++)
        red[d] = false;
    for (int64_t i = 0; a && i < mo_tensor_numel(a); i++) {
        int ax = mo_axis_norm(mo_tensor_get_i64(a, i), r);
        if (ax >= 0)
            red[ax] = true;
    }
}

/* --- rewriting --------------------------------------------------------------- */

static struct mo_node *order_const(struct mo_graph *g, const char *base, const struct perm *p,
                                   struct mo_error *err)
{
    return mo_const_i64(g, mo_graph_printf(g, "%s/order", base), p->p, (size_t)p->rank, false, err);
}

/* Transpose(v, p) reading v and taking over every other reader of v and
 * v's names. */
static enum mo_status transpose_after(struct sink *s, struct mo_value v, const struct perm *p,
                                      struct mo_error *err)
{
    struct mo_graph *g = s->g;
    unsigned n_uses;
    struct mo_use *u = uses_copy(s, v, &n_uses);
    if (!u)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    if (!n_uses) {
        free(u);
        return MO_OK;
    }
    const char *base = mo_graph_printf(g, "%s/tsink%u", v.node->name, v.port);
    struct mo_node *ord = order_const(g, base, p, err);
    struct mo_node *t = ord ? mo_op(g, "Transpose", base, 2, (struct mo_value[]){v, {ord, 0}}, err) : NULL;
    if (!t) {
        free(u);
        return err->code ? err->code : MO_ERR_NOMEM;
    }
    track(s, t);
    for (unsigned i = 0; i < n_uses; i++)
        set_input(s, u[i].node, u[i].port, mo_val(t, 0));
    free(u);
    struct mo_output *o = &v.node->outputs[v.port];
    for (unsigned i = 0; i < o->n_names; i++)
        mo_node_add_output_name(t, 0, o->names[i]);
    o->n_names = 0;
    return mo_node_infer(t, err);
}

/* A Const input replaced by the constant an op on untransposed data needs:
 * ranks aligned numpy-style (leading ones), then permuted by inv.  Scalars
 * and one-element constants stay. */
static enum mo_status permute_const_input(struct sink *s, struct mo_node *n, unsigned i,
                                          const struct perm *inv, struct mo_error *err)
{
    struct mo_graph *g = s->g;
    struct mo_tensor *c = n->inputs[i].node->value;
    if (mo_tensor_numel(c) == 1)
        return MO_OK;
    int r = inv->rank, cr = c->shape.rank;
    struct mo_shape aligned = {r, {0}};
    for (int d = 0; d < r; d++)
        aligned.dims[d] = d < r - cr ? 1 : c->shape.dims[d - (r - cr)];
    struct mo_tensor *re = mo_tensor_reshaped(c, &aligned, err);
    if (!re)
        return err->code ? err->code : MO_ERR_NOMEM;
    struct mo_tensor *tr = mo_tensor_transposed(re, inv->p, err);
    mo_tensor_unref(re);
    if (!tr)
        return err->code ? err->code : MO_ERR_NOMEM;
    struct mo_node *k = mo_const(g, mo_graph_printf(g, "%s/tsink_c%u", n->name, i), tr, err);
    if (!k)
        return err->code ? err->code : MO_ERR_NOMEM;
    set_input(s, n, i, mo_val(k, 0));
    return MO_OK;
}

/* A 1-D integer Const (or a scalar) replacing input i, of the element type
 * the old one had (i64 when it had none). */
static enum mo_status set_ints_input(struct sink *s, struct mo_node *n, unsigned i,
                                     const int64_t *v, size_t cnt, bool scalar, struct mo_error *err)
{
    struct mo_graph *g = s->g;
    struct mo_tensor *old = mo_node_const_input(n, i);
    double d[MO_MAX_RANK];
    for (size_t k = 0; k < cnt && k < MO_MAX_RANK; k++)
        d[k] = (double)v[k];
    struct mo_shape shape = scalar ? mo_shape_scalar() : mo_shape_of((int64_t)cnt);
    struct mo_node *k = mo_pass_const(g, mo_graph_printf(g, "%s/tsink_c%u", n->name, i),
                                      old ? old->et : MO_ET_I64, &shape, d, err);
    if (!k)
        return err->code ? err->code : MO_ERR_NOMEM;
    set_input(s, n, i, mo_val(k, 0));
    return MO_OK;
}

/* Input i of n, one int per dim of the transposed data (pads, slice
 * bounds), replaced by the same values for the untransposed data. */
static enum mo_status permute_ints_input(struct sink *s, struct mo_node *n, unsigned i,
                                         const struct perm *p, struct mo_error *err)
{
    struct mo_tensor *c = mo_node_const_input(n, i);
    int64_t v[MO_MAX_RANK];
    for (int d = 0; d < p->rank; d++)
        v[p->p[d]] = mo_tensor_get_i64(c, d);
    return set_ints_input(s, n, i, v, (size_t)p->rank, false, err);
}

/* Rewire n (one of T's readers) to read x = T's input, for T with
 * permutation p; a Transpose goes after n where its layout differs. */
static enum mo_status sink_into(struct sink *s, struct mo_node *n, unsigned port,
                                struct mo_value x, const struct perm *p, struct mo_pass_stats *st,
                                struct mo_error *err)
{
    struct mo_graph *g = s->g;
    int r = p->rank;
    struct perm inv = perm_inverse(p);
    enum mo_status rc = MO_OK;
    struct perm out_perm = *p;
    bool out_identity = false;
    switch (kind_of(n)) {
    case K_TRANSPOSE: {
        struct perm q;
        if (!transpose_perm(n, &q))
            return MO_OK;
        struct perm c = perm_compose(p, &q);
        if (perm_is_identity(&c)) {
            replace(s, mo_val(n, 0), x);
            kill_node(s, n);
            mo_pass_stats_add(st, PASS, "cancelled_pairs", 1);
            return MO_OK;
        }
        struct mo_node *ord = order_const(g, n->name, &c, err);
        if (!ord)
            return err->code ? err->code : MO_ERR_NOMEM;
        set_input(s, n, 0, x);
        set_input(s, n, 1, mo_val(ord, 0));
        mo_pass_stats_add(st, PASS, "merged_pairs", 1);
        return mo_node_infer(n, err);
    }
    case K_UNARY:
        set_input(s, n, 0, x);
        break;
    case K_BROADCAST:
    case K_CONCAT:
        for (unsigned i = 0; i < n->n_inputs && rc == MO_OK; i++) {
            struct mo_node *src = n->inputs[i].node;
            if (i == port || reads_perm(n, i, p)) {
                set_input(s, n, i, i == port ? x : src->inputs[0]);
                /* another Transpose read here for the last time: gone, its
                 * names with the value it read */
                            if (i != port && src->inputs[0].node && !count_uses(s, mo_val(src, 0))) {
                    move_names(mo_val(src, 0), src->inputs[0]);
                    kill_node(s, src);
                }
            } else if (mo_pass_is_const(src)) {
                rc = permute_const_input(s, n, i, &inv, err);
                            /* the framework's name of a constant read only here (a
                 * bias) stays on the permuted one */
                if (rc == MO_OK && n->inputs[i].node != src && !count_uses(s, mo_val(src, 0)))
                    move_names(mo_val(src, 0), n->inputs[i]);
            } else {
                            struct mo_node *t = existing_transpose(s, n->inputs[i], &inv, NULL);
                if (!t)
                    return mo_error_set(err, MO_ERR_INTERNAL, 0, "transpose sinking: %s changed",
                                        n->name);
                set_input(s, n, i, mo_val(t, 0));
            }
        }
        if (rc == MO_OK && kind_of(n) == K_CONCAT) {
            int ax = mo_axis_norm(mo_node_get_int(n, "axis", 0, NULL), r);
            rc = mo_node_set_int(n, "axis", p->p[ax]);
        }
        break;
    case K_SPLIT: {
        int64_t ax;
        mo_const_scalar(n, 1, &ax);
        int64_t nax = p->p[mo_axis_norm(ax, r)];
        const struct mo_output *ao = mo_node_in(n, 1);
        rc = set_ints_input(s, n, 1, &nax, 1, ao->shape.rank == 0, err);
        set_input(s, n, 0, x);
        break;
    }
    case K_REDUCE: {
        struct mo_tensor *a = mo_node_const_input(n, 1);
        int64_t na = mo_tensor_numel(a);
        int64_t axes[MO_MAX_RANK];
        bool red[MO_MAX_RANK] = {false};
        for (int64_t i = 0; i < na; i++) {
            axes[i] = p->p[mo_axis_norm(mo_tensor_get_i64(a, i), r)];
            red[mo_axis_norm(mo_tensor_get_i64(a, i), r)] = true;
        }
        const struct mo_output *ao = mo_node_in(n, 1);
        rc = set_ints_input(s, n, 1, axes, (size_t)na, ao->shape.rank == 0, err);
        set_input(s, n, 0, x);
        out_identity = !reduce_out_perm(n, red, p, &out_perm);
        break;
    }
    case K_PAD: {
        for (unsigned i = 1; i < 3 && rc == MO_OK; i++)
            rc = permute_ints_input(s, n, i, p, err);
        set_input(s, n, 0, x);
        break;
    }
    case K_SOFTMAX: {
        int ax = mo_axis_norm(mo_node_get_int(n, "axis", 1, NULL), r);
        rc = mo_node_set_int(n, "axis", p->p[ax]);
        set_input(s, n, 0, x);
        break;
    }
    case K_SLICE:
        if (mo_pass_is(n, "Slice")) {
            struct mo_tensor *a = mo_node_const_input(n, 4);
            int64_t na = mo_tensor_numel(a), v[MO_MAX_RANK];
            for (int64_t i = 0; i < na && i < MO_MAX_RANK; i++)
                v[i] = p->p[mo_axis_norm(mo_tensor_get_i64(a, i), r)];
            rc = set_ints_input(s, n, 4, v, (size_t)na, false, err);
        } else {
            for (unsigned i = 1; i < n->n_inputs && rc == MO_OK; i++)
                rc = permute_ints_input(s, n, i, p, err);
            static const char *const masks[] = {"begin_mask", "end_mask"};
            for (size_t k = 0; k < MO_COUNT_OF(masks) && rc == MO_OK; k++) {
                int64_t m[64] = {0}, v[MO_MAX_RANK];
                mo_node_get_ints(n, masks[k], m, 64);
                for (int d = 0; d < r; d++)
                    v[p->p[d]] = m[d];
                rc = mo_node_set_ints(n, masks[k], v, (size_t)r);
            }
        }
        set_input(s, n, 0, x);
        break;
    default:
        return mo_error_set(err, MO_ERR_INTERNAL, 0, "transpose sinking: %s does not take it", n->name);
    }
    if (rc == MO_OK)
        rc = mo_node_infer(n, err);
    for (unsigned k = 0; rc == MO_OK && k < n->n_outputs; k++)
        if (!out_identity && out_perm.rank > 1)
            rc = transpose_after(s, mo_val(n, k), &out_perm, err);
    mo_pass_stats_add(st, PASS, "moved_through", 1);
    return rc;
}

/* The permutation that goes after n (not a Transpose) once it runs on
 * untransposed data; false when none is needed. */
static bool perm_after(const struct mo_node *n, const struct perm *p, struct perm *q)
{
    if (kind_of(n) == K_REDUCE) {
        bool red[MO_MAX_RANK];
        reduced_axes(n, p->rank, red);
        return reduce_out_perm(n, red, p, q);
    }
    *q = *p;
    return true;
}

/* Whether moving Transpose(., p) into n (reading it on `port`) ends, along
 * every path, in a Transpose it cancels with or in an op that needs none
 * after it: then a copy of the Transpose moved there disappears, and the
 * count goes down however many readers it has.  *budget bounds the walk. */
static bool vanishes(struct sink *s, struct mo_node *n, unsigned port, const struct perm *p,
                     int depth, int *budget)
{
    if (--*budget < 0 || depth > 8 || !accepts(s, n, port, p, NULL, false))
        return false;
    if (kind_of(n) == K_TRANSPOSE) {
        struct perm q, c;
        if (!transpose_perm(n, &q))
            return false;
        c = perm_compose(p, &q);
        return perm_is_identity(&c);
    }
    struct perm q;
    if (!perm_after(n, p, &q))
        return true;
    for (unsigned k = 0; k < n->n_outputs; k++) {
        unsigned n_uses;
        const struct mo_use *u = uses_of(s, mo_val(n, k), &n_uses);
        if (!u)
            return false;
        for (unsigned i = 0; i < n_uses; i++)
            if (!vanishes(s, u[i].node, u[i].port, &q, depth + 1, budget))
                return false;
    }
    return true;
}

/* Whether moving Transpose(., p) into n leads, along some path, to another
 * Transpose it merges with or to an op that needs none after it: a
 * Transpose moved where nothing meets it only moves work around (a
 * --layout Transpose at an input stays there).  Optimistic about the other
 * operands of a join: the Transposes of two branches meeting at a Concat
 * or an Add each wait for the other otherwise. */
static bool helps(struct sink *s, struct mo_node *n, unsigned port, const struct perm *p,
                  int depth, int *budget)
{
    if (--*budget < 0 || depth > 16 || !accepts(s, n, port, p, NULL, true))
        return false;
    struct perm q;
    if (kind_of(n) == K_TRANSPOSE || !perm_after(n, p, &q))
        return true;
    for (unsigned k = 0; k < n->n_outputs; k++) {
        unsigned n_uses;
        const struct mo_use *u = uses_of(s, mo_val(n, k), &n_uses);
        for (unsigned i = 0; u && i < n_uses; i++)
            if (helps(s, u[i].node, u[i].port, &q, depth + 1, budget))
                return true;
    }
    return false;
}

/* How many Transposes sinking into n adds (its used outputs). */
static unsigned added_by(struct sink *s, struct mo_node *n, const struct perm *p)
{
    struct perm q;
    if (kind_of(n) == K_TRANSPOSE || !perm_after(n, p, &q))
        return 0;
    unsigned c = 0;
    for (unsigned k = 0; k < n->n_outputs; k++)
        c += count_uses(s, mo_val(n, k)) > 0;
    return c;
}

/* Move one Transpose into its readers.  All of them when they all take it,
 * at most one Transpose comes out again and something downstream meets it
 * (helps), or when
 * every copy vanishes further down; else only into the readers where a
 * copy vanishes, the Transpose staying for the others (a Result, a
 * Reshape...). */
static enum mo_status try_sink(struct sink *s, struct mo_node *t, struct mo_pass_stats *st,
                               bool *moved, struct mo_error *err)
{
    struct perm p;
    if (!transpose_perm(t, &p))
        return MO_OK;
    struct mo_value x = t->inputs[0];
    unsigned n_uses;
    struct mo_use *u = uses_copy(s, mo_val(t, 0), &n_uses);
    bool *take = calloc(n_uses ? n_uses : 1, sizeof *take);
    enum mo_status rc = MO_OK;
    if (!u || !take) {
        rc = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        goto out;
    }
    if (!n_uses)
        goto out;
    bool all = true;
    unsigned added = 0;
    for (unsigned i = 0; i < n_uses; i++) {
        bool seen = false;
        for (unsigned j = 0; j < i; j++)
            seen |= u[j].node == u[i].node;
        if (!accepts(s, u[i].node, u[i].port, &p, t, false))
            all = false;
        else if (!seen)
            added += added_by(s, u[i].node, &p);
    }
    if (all && added <= 1) {
        bool h = false;
        int budget = 256;
        for (unsigned i = 0; i < n_uses && !h; i++)
            h = helps(s, u[i].node, u[i].port, &p, 0, &budget);
        all = h;
    }
    bool any = false;
    for (unsigned i = 0; i < n_uses; i++) {
        int budget = 256;
        take[i] = (all && added <= 1) || vanishes(s, u[i].node, u[i].port, &p, 0, &budget);
        any |= take[i];
    }
    if (!any)
        goto out;
    /* a reader of t on two inputs (x * x) takes both or neither */
    for (unsigned i = 0; i < n_uses; i++)
        for (unsigned j = 0; j < n_uses; j++)
            if (u[j].node == u[i].node && !take[j])
                take[i] = false;
    for (unsigned i = 0; i < n_uses && rc == MO_OK; i++) {
        bool seen = false;
        for (unsigned j = 0; j < i; j++)
            seen |= u[j].node == u[i].node;
        if (seen || !take[i] || u[i].node->dead)
            continue;
        rc = sink_into(s, u[i].node, u[i].port, x, &p, st, err);
        *moved = true;
    }
    /* every reader taken: each now reads x (or died), so t has none left */
    bool all_taken = true;
    for (unsigned i = 0; i < n_uses; i++)
        all_taken &= take[i];
    if (rc == MO_OK && all_taken) {
        move_names(mo_val(t, 0), x);
        kill_node(s, t);
        }
out:
    free(u);
    free(take);
    return rc;
}

/* A Transpose that moves only dims of size 1 keeps the data in memory
 * order: it is a Reshape (a squeeze-excite block's [N, 1, 1, C] to
 * [N, C, 1, 1], what is left of the layout Transposes there).  The target
 * shape is constant with at most one unknown dim (given as -1); a Reshape
 * read by nothing else before it takes the new target itself. */
static enum mo_status transpose_as_reshape(struct sink *s, struct mo_node *t,
                                           struct mo_pass_stats *st, struct mo_error *err)
{
    struct mo_graph *g = s->g;
    struct perm p;
    if (!transpose_perm(t, &p))
        return MO_OK;
    const struct mo_shape *in = &mo_node_in(t, 0)->shape;
    int unknown = 0, last = -1;
    int64_t dims[MO_MAX_RANK];
    for (int i = 0; i < p.rank; i++) {
        int64_t d = in->dims[p.p[i]];
        dims[i] = d < 0 ? -1 : d;
        unknown += d < 0;
        if (d == 1)
            continue;
        if (p.p[i] < last)
            return MO_OK;
        last = (int)p.p[i];
    }
    if (unknown > 1 || perm_is_identity(&p))
        return MO_OK;
    struct mo_value x = t->inputs[0];
    if (mo_pass_is(x.node, "Reshape") && count_uses(s, x) == 1)
        x = x.node->inputs[0];
    struct mo_node *shp = mo_const_i64(g, mo_graph_printf(g, "%s/shape", t->name), dims,
                                       (size_t)p.rank, false, err);
    struct mo_node *r = shp ? mo_op(g, "Reshape", mo_graph_printf(g, "%s/reshape", t->name), 2,
                                    (struct mo_value[]){x, {shp, 0}}, err)
                            : NULL;
    if (!r)
        return err->code ? err->code : MO_ERR_NOMEM;
    track(s, r);
    mo_node_set_bool(r, "special_zero", false);
    r->origin = t->origin;
    replace(s, mo_val(t, 0), mo_val(r, 0));
    kill_node(s, t);
    mo_pass_stats_add(st, PASS, "as_reshape", 1);
    return mo_node_infer(r, err);
}

enum mo_status mo_pass_transpose_sink(struct mo_graph *g, struct mo_pass_stats *st,
                                      struct mo_error *err)
{
    struct sink sk = {.g = g, .u = mo_uses_new(g)}, *s = &sk;
    if (!sk.u)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    enum mo_status rc = MO_OK;
    /* each move takes a Transpose strictly downstream, so this ends; the
     * bound only guards against a bug turning it into a loop */
    bool moved = true;
    for (unsigned round = 0; moved && round < 64 && rc == MO_OK; round++) {
        moved = false;
        for (unsigned i = 0; i < mo_graph_n_nodes(g) && rc == MO_OK; i++) {
            struct mo_node *n = mo_graph_node(g, i);
            if (n->dead || !mo_pass_is(n, "Transpose"))
                continue;
            /* Transpose(Transpose(y)): one Transpose of y, or none */
            struct perm p;
            struct mo_node *in = n->inputs[0].node;
            if (in && transpose_perm(in, &p)) {
                rc = sink_into(s, n, 0, in->inputs[0], &p, st, err);
                moved = true;
                if (rc == MO_OK && !count_uses(s, mo_val(in, 0))) {
                    move_names(mo_val(in, 0), in->inputs[0]);
                    kill_node(s, in);
                }
            }
            if (rc == MO_OK && !n->dead)
                rc = try_sink(s, n, st, &moved, err);
        }
    }
    for (unsigned i = 0; i < mo_graph_n_nodes(g) && rc == MO_OK; i++) {
        struct mo_node *n = mo_graph_node(g, i);
        if (!n->dead && mo_pass_is(n, "Transpose"))
            rc = transpose_as_reshape(s, n, st, err);
    }
    if (rc == MO_OK && mo_uses_failed(sk.u))
        rc = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    mo_uses_free(sk.u);
    if (rc != MO_OK)
        return rc;
    mo_graph_prune(g);
    return mo_pass_reinfer(g, err);
}
