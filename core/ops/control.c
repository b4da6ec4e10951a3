/* control.c - If-8, Loop-5, TensorIterator-1: nodes owning body graphs
 * (mo/body.h).  Inference gives the body Parameters the outer input shapes
 * (one slice of them where the input is sliced), infers the bodies, and
 * takes the outer outputs from the body Results (an iteration count times
 * the part along a concatenation axis, dynamic when the count is unknown).
 * A back edge whose Result shape differs from its Parameter's makes the
 * differing dims of that Parameter dynamic and the body is inferred again,
 * so body shapes hold for every iteration, not only the first. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/body.h>

#include "ops.h"

/* The shape both a and b fit: equal dims stay, others become dynamic; an
 * unknown or differing rank gives an unknown rank. */
static struct mo_shape merge_shapes(const struct mo_shape *a, const struct mo_shape *b)
{
    if (a->rank < 0 || b->rank < 0 || a->rank != b->rank)
        return mo_shape_unknown();
    struct mo_shape m = *a;
    for (int i = 0; i < a->rank; i++)
        if (a->dims[i] != b->dims[i])
            m.dims[i] = MO_DYN;
    return m;
}

static const char *body_label(const struct mo_node *n, unsigned i)
{
    if (!strcmp(n->type, "If"))
        return i ? "else body" : "then body";
    return "body";
}

/* Infer body i of n; an error inside says which body it came from. */
static enum mo_status infer_body(struct mo_node *n, unsigned i, struct mo_error *err)
{
    struct mo_error inner = {0};
    enum mo_status st = mo_graph_infer(n->bodies[i]->graph, &inner);
    if (st == MO_OK)
        return MO_OK;
    if (err)
        mo_error_set(err, st, inner.faq, "in the %s of %s '%s': %s", body_label(n, i), n->type,
                     n->name, inner.msg);
    return st;
}

/* The value a body Result reads (NULL if it reads nothing). */
static const struct mo_output *result_value(const struct mo_node *r)
{
    return mo_node_in(r, 0);
}

static void set_param(struct mo_node *p, enum mo_etype et, const struct mo_shape *s)
{
    p->outputs[0].et = et;
    p->outputs[0].shape = *s;
}

/* Iterations a slice of a dim of size dim gives (both ends included, as
 * the runtime counts them), -1 when dim is dynamic. */
static int64_t slice_iterations(const struct mo_slice *s, int64_t dim)
{
    if (dim < 0)
        return -1;
    int64_t start = s->start < 0 ? s->start + dim : s->start;
    int64_t end = s->end < 0 ? s->end + dim : s->end;
    int64_t span = end > start ? end - start : start - end;
    return (span + 1) / s->part_size;
}

/* Body Parameters from the outer inputs; *iters gets the iteration count
 * the sliced inputs imply (-1 unknown, -2 when there is none). */
static enum mo_status feed_params(struct mo_node *n, struct mo_body *b, unsigned first_data,
                                  int64_t *iters, struct mo_error *err)
{
    *iters = -2;
    for (unsigned i = 0; i < b->n_inputs; i++) {
        struct mo_body_input *in = &b->inputs[i];
        if (in->outer < first_data || in->outer >= n->n_inputs)
            return mo_shape_error(n, err, "the %s maps input %u, which the node does not have as "
                                  "a data input", body_label(n, (unsigned)(b != n->bodies[0])),
                                  in->outer);
        struct mo_shape s = mo_in_shape(n, in->outer);
        enum mo_etype et = mo_in_et(n, in->outer);
        if (in->sliced && s.rank >= 0) {
            int axis = mo_axis_norm(in->slice.axis, s.rank);
            if (axis < 0)
                return mo_shape_error(n, err, "input %u is sliced along axis %lld, out of range "
                                      "for rank %d", in->outer, (long long)in->slice.axis, s.rank);
            in->slice.axis = axis; /* the runtime wants it non-negative */
            int64_t k = slice_iterations(&in->slice, s.dims[axis]);
            if (k == 0)
                return mo_shape_error(n, err, "input %u gives no slice of %lld along axis %d",
                                      in->outer, (long long)in->slice.part_size, axis);
            if (k >= 0 && *iters >= 0 && k != *iters)
                return mo_shape_error(n, err, "sliced inputs give %lld and %lld iterations",
                                      (long long)*iters, (long long)k);
            /* one known count is enough: all of them must agree at run time */
            if (*iters < 0 && (k >= 0 || *iters == -2))
                *iters = k;
            s.dims[axis] = in->slice.part_size;
        } else if (in->sliced && *iters == -2) {
            *iters = -1;
        }
        set_param(in->param, et, &s);
    }
    return MO_OK;
}

/* Infer the body until every back edge's Result fits its Parameter. */
static enum mo_status infer_iterated_body(struct mo_node *n, struct mo_body *b,
                                          struct mo_error *err)
{
    for (int round = 0;; round++) {
        enum mo_status st = infer_body(n, 0, err);
        if (st != MO_OK)
            return st;
        bool changed = false;
        for (unsigned i = 0; i < b->n_back_edges; i++) {
            struct mo_node *p = b->back_edges[i].param;
            const struct mo_output *v = result_value(b->back_edges[i].result);
            if (!v)
                return mo_shape_error(n, err, "back edge from '%s' reads nothing",
                                      b->back_edges[i].result->name);
            if (v->et != p->outputs[0].et)
                return mo_shape_error(n, err, "back edge '%s' -> '%s' turns %s into %s",
                                      b->back_edges[i].result->name, p->name,
                                      mo_etype_name(p->outputs[0].et), mo_etype_name(v->et));
            struct mo_shape m = merge_shapes(&p->outputs[0].shape, &v->shape);
            if (!mo_shape_equal(&m, &p->outputs[0].shape)) {
                p->outputs[0].shape = m;
                changed = true;
            }
        }
        /* each round only turns dims dynamic (or the rank unknown), so
         * this ends after at most rank + 1 changes per Parameter */
        if (!changed)
            return MO_OK;
        if (round > MO_MAX_RANK + 2)
            return mo_shape_error(n, err, "the body's shapes do not settle");
    }
}

/* Outer outputs from the body Results. */
static enum mo_status take_outputs(struct mo_node *n, struct mo_body *b, int64_t iters,
                                   struct mo_error *err)
{
    for (unsigned k = 0; k < n->n_outputs; k++) {
        const struct mo_body_output *o = NULL;
        for (unsigned i = 0; i < b->n_outputs; i++)
            if (b->outputs[i].outer == k)
                o = &b->outputs[i];
        if (!o)
            return mo_shape_error(n, err, "output %u comes from no body Result", k);
        const struct mo_output *v = result_value(o->result);
        if (!v)
            return mo_shape_error(n, err, "body Result '%s' reads nothing", o->result->name);
        struct mo_shape s = v->shape;
        if (o->concat && s.rank >= 0) {
            if (s.rank == 0) /* scalars concatenate into a vector */
                s = mo_shape_of(1);
            int axis = mo_axis_norm(o->slice.axis, s.rank);
            if (axis < 0)
                return mo_shape_error(n, err, "output %u is concatenated along axis %lld, out of "
                                      "range for rank %d", k, (long long)o->slice.axis, s.rank);
            b->outputs[o - b->outputs].slice.axis = axis;
            s.dims[axis] = iters >= 0 ? iters * o->slice.part_size : MO_DYN;
        }
        enum mo_status st = mo_set_out(n, k, v->et, &s);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

static enum mo_status need_bodies(const struct mo_node *n, unsigned want, struct mo_error *err)
{
    if (n->n_bodies != want)
        return mo_shape_error(n, err, "has %u bodies, expected %u", n->n_bodies, want);
    return MO_OK;
}

/* A condition input: boolean, one element. */
static enum mo_status check_flag(const struct mo_node *n, const char *what, enum mo_etype et,
                                 const struct mo_shape *s, struct mo_error *err)
{
    if (et != MO_ET_UNDEFINED && et != MO_ET_BOOLEAN)
        return mo_shape_error(n, err, "the %s is %s, not boolean", what, mo_etype_name(et));
    if (s->rank > 1 || (s->rank == 1 && s->dims[0] > 1))
        return mo_shape_error(n, err, "the %s must hold one value", what);
    return MO_OK;
}

static enum mo_status infer_tensor_iterator(struct mo_node *n, struct mo_error *err)
{
    enum mo_status st = need_bodies(n, 1, err);
    struct mo_body *b = n->bodies[0];
    int64_t iters = -1;
    if (st == MO_OK)
        st = feed_params(n, b, 0, &iters, err);
    if (st == MO_OK)
        st = infer_iterated_body(n, b, err);
    if (st == MO_OK)
        st = take_outputs(n, b, iters == -2 ? -1 : iters, err);
    return st;
}

/* Is the body's condition a constant true (so only the trip count stops it)? */
static bool always_true(const struct mo_body *b)
{
    if (!b->condition || !b->condition->n_inputs)
        return false;
    struct mo_tensor *t = mo_node_const_input(b->condition, 0);
    return t && mo_tensor_numel(t) == 1 && mo_tensor_get_i64(t, 0) != 0;
}

static enum mo_status infer_loop(struct mo_node *n, struct mo_error *err)
{
    enum mo_status st = need_bodies(n, 1, err);
    if (st != MO_OK)
        return st;
    struct mo_body *b = n->bodies[0];
    if (!b->condition)
        return mo_shape_error(n, err, "the body has no condition Result (mo_body_loop_ports)");
    enum mo_etype tc_et = mo_in_et(n, 0);
    if (tc_et != MO_ET_I64 && tc_et != MO_ET_I32)
        return mo_shape_error(n, err, "the trip count is %s, not i64 or i32", mo_etype_name(tc_et));
    struct mo_shape tcs = mo_in_shape(n, 0), cs = mo_in_shape(n, 1);
    if (tcs.rank > 1 || (tcs.rank == 1 && tcs.dims[0] > 1))
        return mo_shape_error(n, err, "the trip count must hold one value");
    st = check_flag(n, "execution condition", mo_in_et(n, 1), &cs, err);
    if (st != MO_OK)
        return st;
    int64_t sliced;
    st = feed_params(n, b, 2, &sliced, err);
    if (st != MO_OK)
        return st;
    if (b->iteration && b->iteration->outputs[0].et == MO_ET_UNDEFINED) {
        struct mo_shape sc = mo_shape_scalar();
        set_param(b->iteration, MO_ET_I64, &sc);
    }
    st = infer_iterated_body(n, b, err);
    if (st != MO_OK)
        return st;
    const struct mo_output *c = result_value(b->condition);
    st = c ? check_flag(n, "body condition", c->et, &c->shape, err)
           : mo_shape_error(n, err, "the condition Result reads nothing");
    if (st != MO_OK)
        return st;
    /* the count is known only when nothing but the trip count decides it */
    int64_t iters = -1, tc, start;
    if (mo_const_scalar(n, 1, &start) && !start)
        iters = 0;
    else if (mo_const_scalar(n, 0, &tc) && tc >= 0 && always_true(b))
        iters = tc;
    /* sliced inputs end the loop too when they run out first */
    if (iters > 0 && sliced == -1)
        iters = -1;
    else if (iters > 0 && sliced >= 0 && sliced < iters)
        iters = sliced;
    return take_outputs(n, b, iters, err);
}

static enum mo_status infer_if(struct mo_node *n, struct mo_error *err)
{
    enum mo_status st = need_bodies(n, 2, err);
    struct mo_shape cs = mo_in_shape(n, 0);
    if (st == MO_OK)
        st = check_flag(n, "condition", mo_in_et(n, 0), &cs, err);
    for (unsigned i = 0; st == MO_OK && i < 2; i++) {
        int64_t iters;
        struct mo_body *b = n->bodies[i];
        if (b->n_back_edges || b->iteration || b->condition)
            return mo_shape_error(n, err, "the %s has loop ports", body_label(n, i));
        for (unsigned k = 0; k < b->n_inputs; k++)
            if (b->inputs[k].sliced)
                return mo_shape_error(n, err, "the %s slices an input", body_label(n, i));
        st = feed_params(n, b, 1, &iters, err);
        if (st == MO_OK)
            st = infer_body(n, i, err);
    }
    for (unsigned k = 0; st == MO_OK && k < n->n_outputs; k++) {
        const struct mo_output *v[2] = {NULL, NULL};
        for (unsigned i = 0; i < 2; i++) {
            const struct mo_body *b = n->bodies[i];
            for (unsigned j = 0; j < b->n_outputs; j++)
                if (b->outputs[j].outer == k)
                    v[i] = result_value(b->outputs[j].result);
            if (!v[i])
                return mo_shape_error(n, err, "output %u comes from no Result of the %s", k,
                                      body_label(n, i));
        }
        if (v[0]->et != v[1]->et)
            return mo_shape_error(n, err, "output %u is %s in the then body and %s in the else "
                                  "body", k, mo_etype_name(v[0]->et), mo_etype_name(v[1]->et));
        struct mo_shape s = merge_shapes(&v[0]->shape, &v[1]->shape);
        st = mo_set_out(n, k, v[0]->et, &s);
    }
    return st;
}

/* None of them has a <data> attribute: what they do is in the port maps
 * and bodies, which the IR writer derives from the body descriptions. */
static const struct mo_op_def op_if = {"If", "opset8", 1, -1, -1, NULL, 0, infer_if, NULL};
static const struct mo_op_def op_loop = {"Loop", "opset5", 2, -1, -1, NULL, 0, infer_loop, NULL};
static const struct mo_op_def op_tensor_iterator = {
    "TensorIterator", "opset1", 0, -1, -1, NULL, 0, infer_tensor_iterator, NULL};

MO_OP_FAMILY(mo_ops_control, &op_if, &op_loop, &op_tensor_iterator);
