/* reduce.c - Reduce* over the axes of a Const input (keep_dims keeps them
 * as 1s) and TopK (opset11), which ArgMax-style conversions also use. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

/* Which dims are reduced; *known false when the axes are not constant. */
static enum mo_status reduce_axes(struct mo_node *n, int rank, bool *red, bool *known,
                                  struct mo_error *err)
{
    int64_t axes[MO_MAX_RANK];
    int cnt = mo_const_ints(n, 1, axes, MO_MAX_RANK);
    *known = cnt >= 0;
    memset(red, 0, sizeof(bool) * MO_MAX_RANK);
    if (cnt < 0)
        return MO_OK;
    struct mo_shape as = mo_in_shape(n, 1);
    if (as.rank > 1)
        return mo_shape_error(n, err, "axes must be a scalar or 1-D, got rank %d", as.rank);
    if (cnt > MO_MAX_RANK)
        return mo_shape_error(n, err, "%d axes for rank %d", cnt, rank);
    /* repeated axes are harmless: a dim is reduced once */
    enum mo_status st = mo_norm_axes(n, axes, cnt, rank, true, err);
    if (st != MO_OK)
        return st;
    for (int i = 0; i < cnt; i++)
        red[axes[i]] = true;
    return MO_OK;
}

static enum mo_status infer_reduce_as(struct mo_node *n, enum mo_etype et, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    bool keep = mo_attr_bool(n, "keep_dims");
    if (x.rank < 0)
        return mo_out_unknown(n, 0, et);
    bool red[MO_MAX_RANK], known;
    enum mo_status st = reduce_axes(n, x.rank, red, &known, err);
    if (st != MO_OK)
        return st;
    struct mo_shape o = {.rank = 0};
    if (!known) {
        /* computed axes: their count still fixes the rank, as the IR
         * requires them to be unique (a scalar is one axis) */
        struct mo_shape as = mo_in_shape(n, 1);
        int64_t k = as.rank == 0 ? 1 : as.rank == 1 ? as.dims[0] : MO_DYN;
        if (as.rank > 1)
            return mo_shape_error(n, err, "axes must be a scalar or 1-D, got rank %d", as.rank);
        if (k > x.rank)
            return mo_shape_error(n, err, "%lld axes for rank %d", (long long)k, x.rank);
        if (!keep && k < 0)
            return mo_out_unknown(n, 0, et);
        o.rank = keep ? x.rank : x.rank - (int)k;
        for (int d = 0; d < o.rank; d++)
            o.dims[d] = MO_DYN;
        return mo_set_out(n, 0, et, &o);
    }
    for (int d = 0; d < x.rank; d++) {
        if (!red[d])
            o.dims[o.rank++] = x.dims[d];
        else if (keep)
            o.dims[o.rank++] = 1;
    }
    return mo_set_out(n, 0, et, &o);
}

static enum mo_status infer_reduce(struct mo_node *n, struct mo_error *err)
{
    return infer_reduce_as(n, mo_in_et(n, 0), err);
}

static enum mo_status infer_reduce_logical(struct mo_node *n, struct mo_error *err)
{
    enum mo_etype et = mo_in_et(n, 0);
    if (et != MO_ET_UNDEFINED && et != MO_ET_BOOLEAN)
        return mo_shape_error(n, err, "data must be boolean, got %s", mo_etype_name(et));
    return infer_reduce_as(n, MO_ET_BOOLEAN, err);
}

enum red_kind { R_SUM, R_PROD, R_MAX, R_MIN };

/* Folding: integers accumulate exactly in int64, floats in double. */
static enum mo_status eval_reduce_kind(struct mo_node *n, struct mo_tensor **out, enum red_kind k,
                                       struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    bool red[MO_MAX_RANK], known;
    if (reduce_axes(n, x->shape.rank, red, &known, NULL) != MO_OK || !known)
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    int64_t cnt = mo_tensor_numel(r), total = mo_tensor_numel(x);
    bool ints = !mo_etype_is_float(x->et);
    size_t sz = (size_t)(cnt ? cnt : 1);
    int64_t *ai = ints ? calloc(sz, sizeof *ai) : NULL;
    double *af = ints ? NULL : calloc(sz, sizeof *af);
    bool *seen = calloc(sz, sizeof *seen);
    if ((ints && !ai) || (!ints && !af) || !seen) {
        free(ai);
        free(af);
        free(seen);
        mo_tensor_unref(r);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory folding %s", n->name);
    }
    /* output strides over the kept dims (reduced dims contribute nothing) */
    int64_t ost[MO_MAX_RANK], st = 1, idx[MO_MAX_RANK] = {0};
    for (int d = x->shape.rank - 1; d >= 0; d--) {
        ost[d] = red[d] ? 0 : st;
        if (!red[d])
            st *= x->shape.dims[d];
    }
    for (int64_t i = 0; i < total; i++) {
        int64_t o = 0;
        for (int d = 0; d < x->shape.rank; d++)
            o += idx[d] * ost[d];
        if (ints) {
            int64_t v = mo_tensor_get_i64(x, i), *a = &ai[o];
            if (!seen[o])
                *a = k == R_SUM ? 0 : k == R_PROD ? 1 : v;
            switch (k) {
            case R_SUM: *a = (int64_t)((uint64_t)*a + (uint64_t)v); break;
            case R_PROD: *a = (int64_t)((uint64_t)*a * (uint64_t)v); break;
            case R_MAX: *a = v > *a ? v : *a; break;
            case R_MIN: *a = v < *a ? v : *a; break;
            }
        } else {
            double v = mo_tensor_get_f64(x, i), *a = &af[o];
            if (!seen[o])
                *a = k == R_SUM ? 0 : k == R_PROD ? 1 : v;
            switch (k) {
            case R_SUM: *a += v; break;
            case R_PROD: *a *= v; break;
            case R_MAX: *a = v > *a ? v : *a; break;
            case R_MIN: *a = v < *a ? v : *a; break;
            }
        }
        seen[o] = true;
        mo_idx_next(idx, &x->shape);
    }
    for (int64_t i = 0; i < cnt; i++) {
        if (ints)
            mo_tensor_set_i64(r, i, seen[i] ? ai[i] : (k == R_PROD ? 1 : 0));
        else
            mo_tensor_set_f64(r, i, seen[i] ? af[i] : (k == R_PROD ? 1 : k == R_MAX ? -INFINITY :
                                                        k == R_MIN ? INFINITY : 0));
    }
    free(ai);
    free(af);
    free(seen);
    out[0] = r;
    return MO_OK;
}

#define REDUCE_EVAL(name, kind)                                                                  \
    static enum mo_status name(struct mo_node *n, struct mo_tensor **out, struct mo_error *err) \
    {                                                                                            \
        return eval_reduce_kind(n, out, kind, err);                                              \
    }
REDUCE_EVAL(eval_reduce_sum, R_SUM)
REDUCE_EVAL(eval_reduce_prod, R_PROD)
REDUCE_EVAL(eval_reduce_max, R_MAX)
REDUCE_EVAL(eval_reduce_min, R_MIN)

static const struct mo_attr_spec reduce_attrs[] = {{"keep_dims", MO_ATTR_BOOL, "false"}};

#define REDUCE_OP(var, type, opset, infer, evalfn) \
    static const struct mo_op_def var = {type, opset, 2, 2, 1, reduce_attrs, 1, infer, evalfn}

REDUCE_OP(op_reduce_mean, "ReduceMean", "opset1", infer_reduce, NULL);
REDUCE_OP(op_reduce_max, "ReduceMax", "opset1", infer_reduce, eval_reduce_max);
REDUCE_OP(op_reduce_min, "ReduceMin", "opset1", infer_reduce, eval_reduce_min);
REDUCE_OP(op_reduce_sum, "ReduceSum", "opset1", infer_reduce, eval_reduce_sum);
REDUCE_OP(op_reduce_prod, "ReduceProd", "opset1", infer_reduce, eval_reduce_prod);
REDUCE_OP(op_reduce_l1, "ReduceL1", "opset4", infer_reduce, NULL);
REDUCE_OP(op_reduce_l2, "ReduceL2", "opset4", infer_reduce, NULL);
REDUCE_OP(op_reduce_and, "ReduceLogicalAnd", "opset1", infer_reduce_logical, NULL);
REDUCE_OP(op_reduce_or, "ReduceLogicalOr", "opset1", infer_reduce_logical, NULL);

/* --- TopK (opset11): values and indices with dim `axis` = k.  A k larger
 * than a static dim gives that dim (the runtime cannot return more). */
static enum mo_status infer_topk(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), ks = mo_in_shape(n, 1);
    enum mo_etype it = mo_etype_parse(mo_attr_str(n, "index_element_type"));
    const char *mode = mo_attr_str(n, "mode"), *sort = mo_attr_str(n, "sort");
    if (it != MO_ET_I32 && it != MO_ET_I64)
        return mo_shape_error(n, err, "index_element_type must be i32 or i64, got '%s'",
                              mo_attr_str(n, "index_element_type"));
    if (strcmp(mode, "max") && strcmp(mode, "min"))
        return mo_shape_error(n, err, "mode must be max or min, got '%s'", mode);
    if (strcmp(sort, "value") && strcmp(sort, "index") && strcmp(sort, "none"))
        return mo_shape_error(n, err, "sort must be value, index or none, got '%s'", sort);
    if (ks.rank > 1 || (ks.rank == 1 && ks.dims[0] > 1))
        return mo_shape_error(n, err, "k must be a scalar");
    enum mo_status st;
    if (x.rank < 0) {
        if ((st = mo_out_unknown(n, 0, mo_in_et(n, 0))) != MO_OK)
            return st;
        return mo_out_unknown(n, 1, it);
    }
    if (x.rank == 0)
        return mo_shape_error(n, err, "data must not be a scalar");
    int64_t axis = mo_attr_int(n, "axis"), k;
    int a = mo_axis_norm(axis, x.rank);
    if (a < 0)
        return mo_shape_error(n, err, "axis %lld is out of range for rank %d", (long long)axis, x.rank);
    struct mo_shape o = x;
    if (mo_const_scalar(n, 1, &k)) {
        if (k < 0)
            return mo_shape_error(n, err, "k is negative (%lld)", (long long)k);
        o.dims[a] = x.dims[a] >= 0 && k > x.dims[a] ? x.dims[a] : k;
    } else {
        o.dims[a] = MO_DYN;
    }
    if ((st = mo_set_out(n, 0, mo_in_et(n, 0), &o)) != MO_OK)
        return st;
    return mo_set_out(n, 1, it, &o);
}

static const struct mo_attr_spec topk_attrs[] = {
    {"axis", MO_ATTR_INT, NULL},
    {"mode", MO_ATTR_STRING, NULL},
    {"sort", MO_ATTR_STRING, NULL},
    {"index_element_type", MO_ATTR_STRING, "i32"},
    {"stable", MO_ATTR_BOOL, "false"},
};
static const struct mo_op_def op_topk = {
    "TopK", "opset11", 2, 2, 2, topk_attrs, MO_COUNT_OF(topk_attrs), infer_topk, NULL};

MO_OP_FAMILY(mo_ops_reduce, &op_reduce_mean, &op_reduce_max, &op_reduce_min, &op_reduce_sum,
             &op_reduce_prod, &op_reduce_l1, &op_reduce_l2, &op_reduce_and, &op_reduce_or, &op_topk);
