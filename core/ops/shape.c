/* shape.c - ops that only move data around: Reshape, Concat, ... */
#include <config.h>

#include <string.h>

#include "ops.h"

/* Reshape (opset1): target from a Const input; special_zero makes 0 copy
 * the input dim; one -1 is inferred from the element count. */
static enum mo_status infer_reshape(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    int64_t t[MO_MAX_RANK + 1];
    int cnt = mo_const_ints(n, 1, t, MO_MAX_RANK + 1);
    if (cnt < 0) {
        struct mo_shape p = mo_in_shape(n, 1);
        struct mo_shape u = mo_shape_unknown();
        if (p.rank == 1 && p.dims[0] >= 0) {
            u.rank = (int)p.dims[0];
            for (int i = 0; i < u.rank; i++)
                u.dims[i] = MO_DYN;
        }
        return mo_out_like_in0(n, &u);
    }
    if (cnt > MO_MAX_RANK)
        return mo_shape_error(n, err, "target rank %d exceeds %d", cnt, MO_MAX_RANK);
    bool special_zero = mo_attr_bool(n, "special_zero");
    struct mo_shape o = {.rank = cnt};
    int minus = -1;
    int64_t known = 1;
    bool dyn = false;
    for (int i = 0; i < cnt; i++) {
        int64_t d = t[i];
        if (d == 0 && special_zero) {
            if (x.rank < 0 || i >= x.rank)
                return mo_shape_error(n, err, "special zero at %d has no input dim to copy", i);
            d = x.dims[i];
        }
        if (d == -1) {
            if (minus >= 0)
                return mo_shape_error(n, err, "more than one -1 in the target shape");
            minus = i;
        } else if (d < -1) {
            return mo_shape_error(n, err, "invalid target dim %lld", (long long)d);
        } else if (d == MO_DYN) {
            dyn = true;
        } else {
            known *= d;
        }
        o.dims[i] = d;
    }
    int64_t total = mo_shape_numel(&x);
    if (minus >= 0) {
        if (total < 0 || dyn)
            o.dims[minus] = MO_DYN;
        else if (known == 0 || total % known)
            return mo_shape_error(n, err, "cannot infer -1: %lld elements into blocks of %lld",
                                  (long long)total, (long long)known);
        else
            o.dims[minus] = total / known;
    } else if (total >= 0 && !dyn && known != total) {
        char sx[128];
        return mo_shape_error(n, err, "input [%s] has %lld elements, the target shape %lld",
                              mo_shape_str(&x, sx, sizeof sx), (long long)total, (long long)known);
    }
    return mo_out_like_in0(n, &o);
}

static enum mo_status eval_reshape(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    struct mo_tensor *r = mo_tensor_reshaped(x, &n->outputs[0].shape, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    out[0] = r;
    return MO_OK;
}

static const struct mo_attr_spec reshape_attrs[] = {{"special_zero", MO_ATTR_BOOL, NULL}};
static const struct mo_op_def op_reshape = {
    "Reshape", "opset1", 2, 2, 1, reshape_attrs, 1, infer_reshape, eval_reshape};

static enum mo_status infer_concat(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape o = mo_in_shape(n, 0);
    int64_t axis_attr = mo_attr_int(n, "axis");
    int axis = -1;
    for (unsigned i = 0; i < n->n_inputs; i++) {
        struct mo_shape s = mo_in_shape(n, i);
        if (s.rank < 0) {
            struct mo_shape u = mo_shape_unknown();
            return mo_out_like_in0(n, &u);
        }
        if (i == 0) {
            axis = mo_axis_norm(axis_attr, s.rank);
            if (axis < 0)
                return mo_shape_error(n, err, "axis %lld is out of range for rank %d",
                                      (long long)axis_attr, s.rank);
            continue;
        }
        if (s.rank != o.rank)
            return mo_shape_error(n, err, "input %u has rank %d, input 0 has rank %d", i, s.rank, o.rank);
        for (int d = 0; d < s.rank; d++) {
            if (d == axis) {
                o.dims[d] = (o.dims[d] < 0 || s.dims[d] < 0) ? MO_DYN : o.dims[d] + s.dims[d];
            } else if (o.dims[d] >= 0 && s.dims[d] >= 0 && o.dims[d] != s.dims[d]) {
                return mo_shape_error(n, err, "input %u has %lld in dim %d, input 0 has %lld", i,
                                      (long long)s.dims[d], d, (long long)o.dims[d]);
            } else if (o.dims[d] < 0) {
                o.dims[d] = s.dims[d];
            }
        }
    }
    return mo_out_like_in0(n, &o);
}

static enum mo_status eval_concat(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    const struct mo_shape *os = &n->outputs[0].shape;
    int axis = mo_axis_norm(mo_attr_int(n, "axis"), os->rank);
    struct mo_tensor *r = mo_tensor_new(n->outputs[0].et, os, err);
    if (!r)
        return MO_ERR_NOMEM;
    size_t esz = mo_etype_bits(r->et) / 8;
    if (esz == 0) {
        mo_tensor_unref(r);
        return MO_ERR_UNSUPPORTED;
    }
    int64_t outer = 1;
    for (int d = 0; d < axis; d++)
        outer *= os->dims[d];
    size_t off = 0;
    for (int64_t o = 0; o < outer; o++) {
        for (unsigned i = 0; i < n->n_inputs; i++) {
            struct mo_tensor *t = mo_node_const_input(n, i);
            size_t chunk = t->nbytes / (size_t)(outer ? outer : 1);
            memcpy((char *)r->owned + off, (const char *)t->data + (size_t)o * chunk, chunk);
            off += chunk;
        }
    }
    out[0] = r;
    return MO_OK;
}

static const struct mo_attr_spec concat_attrs[] = {{"axis", MO_ATTR_INT, NULL}};
static const struct mo_op_def op_concat = {
    "Concat", "opset1", 1, -1, 1, concat_attrs, 1, infer_concat, eval_concat};

MO_OP_FAMILY(mo_ops_shape, &op_reshape, &op_concat);
