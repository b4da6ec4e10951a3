/* tr_misc.c - dropout, assign (and the pass-throughs share_data, memcpy),
 * shape, size, cast, gather, fill_constant, fill_any_like,
 * fill_constant_batch_size_like, expand_v2, expand_as_v2, shuffle_channel. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "paddle.h"

static enum mo_status tr_dropout(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    const char *impl = mo_node_get_str(fw, "dropout_implementation", "downgrade_in_infer");
    if (!strcmp(impl, "upscale_in_train"))
        return mo_pd_set_out(b, "Out", x);
    /* downgrade_in_infer scales by the keep probability at inference */
    double p = mo_node_get_float(fw, "dropout_prob", 0.5, NULL);
    struct mo_value keep = mo_build_scalar(b, "keep", mo_value_et(x), 1.0 - p);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Multiply", NULL, 2, x, keep));
}

static enum mo_status tr_assign(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    return mo_pd_set_out(b, "Out", mo_pd_in(b, "X", 0));
}

/* A new tensor of static shape s holding f (float types) or iv; NULL on
 * OOM.  int64 is written exactly, other integer types fit a double. */
static struct mo_tensor *fill_tensor(enum mo_etype et, const struct mo_shape *s, double f,
                                     int64_t iv)
{
    struct mo_tensor *x = mo_tensor_new(et, s, NULL);
    int64_t n = x ? mo_tensor_numel(x) : 0;
    if (x && et == MO_ET_I64) {
        int64_t *p = mo_tensor_mutable(&x, NULL);
        for (int64_t i = 0; p && i < n; i++)
            p[i] = iv;
        return x;
    }
    for (int64_t i = 0; x && i < n; i++)
        mo_tensor_set_f64(x, i, mo_etype_is_float(et) ? f : (double)iv);
    return x;
}

/* shape: int32 in ProgramDesc and PIR's shape; PIR's shape64 is int64 */
static enum mo_status shape_common(struct mo_tctx *t, const struct mo_node *fw, enum mo_etype et,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "Input", 0);
    return mo_pd_set_out(b, "Out", mo_build_shape_of(b, NULL, x, et));
}

MO_PD_VARIANT(tr_shape, shape_common, MO_ET_I32)
MO_PD_VARIANT(tr_shape64, shape_common, MO_ET_I64)

/* size (PIR numel): the element count, a 0-D int64 */
static enum mo_status tr_size(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "Input", 0);
    struct mo_shape xs;
    if (mo_value_static(x, &xs)) {
        struct mo_tensor *c = fill_tensor(MO_ET_I64, &(struct mo_shape){.rank = 0}, 0,
                                          mo_shape_numel(&xs));
        if (!c)
            return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
        return mo_pd_set_out(b, "Out", mo_build_tensor(b, NULL, c));
    }
    struct mo_value s = mo_build_shape_of(b, "shape", x, MO_ET_I64);
    struct mo_value ax = mo_build_i64(b, "axes", (int64_t[]){0}, 1);
    struct mo_value y = mo_build_op(b, "ReduceProd", NULL, 2, s, ax);
    return mo_pd_set_out(b, "Out", mo_build_set_bool(b, y, "keep_dims", false));
}

static enum mo_status tr_cast(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t dt = mo_node_get_int(fw, "out_dtype", 5, NULL);
    enum mo_etype et = mo_pd_etype((int)dt);
    if (et == MO_ET_UNDEFINED)
        et = mo_pd_etype_name(mo_node_get_str(fw, "out_dtype", NULL));
    if (et == MO_ET_UNDEFINED)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "cast to Paddle dtype %lld is not supported", (long long)dt);
    return mo_pd_set_out(b, "Out", mo_build_convert(b, NULL, x, et));
}

/* gather along an axis a known only at run time: the runtime's Gather
 * needs a constant axis, so x is transposed by p = [a, 0..a-1, a+1..] (a
 * to the front, the others in order), gathered along 0, and (for a 1-D
 * index) transposed back by p's inverse [1..a, 0, a+1..]; p and its
 * inverse are elementwise functions of k = 0..rank-1 and a. */
static struct mo_value gather_runtime_axis(struct mo_build *b, struct mo_value x, struct mo_value idx,
                                           struct mo_value axis)
{
    int r = mo_value_shape(x).rank, ir = mo_value_shape(idx).rank;
    if (r < 1 || ir > 1) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                       "gather with an axis computed at run time needs x of known rank and an "
                       "index of rank 0 or 1 (here %d and %d)", r, ir);
        return MO_NO_VALUE;
    }
    struct mo_value a = mo_pd_scalar(b, "axis", axis, MO_ET_I64);
    struct mo_value rk = mo_build_i64_scalar(b, "rank", r);
    /* a negative axis counts from the end */
    struct mo_value neg = mo_build_op(b, "Less", "axis/negative", 2, a, mo_build_i64_scalar(b, "zero", 0));
    a = mo_build_op(b, "Select", "axis/normalized", 3, neg, mo_build_op(b, "Add", "axis/plus_rank", 2, a, rk), a);
    struct mo_value one = mo_build_i64_scalar(b, "one", 1);
    struct mo_value k = mo_build_set_str(b, mo_build_op(b, "Range", "k", 3, mo_build_i64_scalar(b, "k/start", 0),
                                                       rk, one), "output_type", "i64");
    struct mo_value km1 = mo_build_op(b, "Subtract", "k_minus_1", 2, k, one);
    struct mo_value kp1 = mo_build_op(b, "Add", "k_plus_1", 2, k, one);
    struct mo_value first = mo_build_op(b, "Equal", "k_is_0", 2, k, mo_build_i64_scalar(b, "k0", 0));
    struct mo_value upto = mo_build_op(b, "LessEqual", "k_upto_axis", 2, k, a);
    struct mo_value p = mo_build_op(b, "Select", "perm", 3, first, a,
                                    mo_build_op(b, "Select", "perm/rest", 3, upto, km1, k));
    struct mo_value y = mo_build_op(b, "Transpose", "axis_first", 2, x, p);
    y = mo_build_op(b, "Gather", "gathered", 3, y, idx, mo_build_i64_scalar(b, "axis0", 0));
    if (ir == 0)
        return y;
    struct mo_value before = mo_build_op(b, "Less", "k_before_axis", 2, k, a);
    struct mo_value at = mo_build_op(b, "Equal", "k_at_axis", 2, k, a);
    struct mo_value pinv = mo_build_op(b, "Select", "perm_back", 3, before, kp1,
                                       mo_build_op(b, "Select", "perm_back/rest", 3, at,
                                                   mo_build_i64_scalar(b, "k0b", 0), k));
    return mo_build_op(b, "Transpose", NULL, 2, y, pinv);
}

static enum mo_status tr_gather(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value idx = mo_pd_in(b, "Index", 0);
    /* the axis as a tensor: Axis (legacy) or PIR's computed "axis" */
    struct mo_value axis = mo_pd_in_opt(b, "Axis", 0);
    if (!axis.node)
        axis = mo_pd_in_opt(b, "axis", 0);
    const struct mo_tensor *c = axis.node ? mo_value_const(axis) : NULL;
    if (axis.node && !c && mo_build_ok(b))
        return mo_pd_set_out(b, "Out", gather_runtime_axis(b, x, idx, axis));
    axis = mo_build_i64_scalar(b, "axis",
                               c ? mo_tensor_get_i64(c, 0) : mo_node_get_int(fw, "axis", 0, NULL));
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Gather", NULL, 3, x, idx, axis));
}

/* A fill value of type et from attribute value, or str_value when set
 * (Paddle writes it so that int64 values keep every digit). */
static void fill_value(const struct mo_node *fw, enum mo_etype et, double *f, int64_t *i)
{
    *f = mo_node_get_float(fw, "value", 0.0, NULL);
    *i = (int64_t)*f;
    const char *sv = mo_node_get_str(fw, "str_value", "");
    if (sv && *sv) {
        char *end;
        double p = strtod(sv, &end);
        if (end != sv) {
            *f = p;
            *i = (int64_t)p;
        }
        long long q = strtoll(sv, &end, 10);
        if (end != sv && *end == '\0' && !mo_etype_is_float(et))
            *i = q;
    }
}

/* A tensor of shape d[0..n) (or the run-time 1-D shape st when n < 0)
 * filled with the scalar of type et from attributes, or with the value v
 * computed at run time when v is valid.  Small static ones are Consts. */
static struct mo_value filled(struct mo_build *b, const char *suffix, enum mo_etype et, int n,
                              const int64_t *d, struct mo_value st, struct mo_value v)
{
    const struct mo_node *fw = mo_build_fw(b);
    double f;
    int64_t iv;
    fill_value(fw, et, &f, &iv);
    const struct mo_tensor *c = v.node ? mo_value_const(v) : NULL;
    if (c) {
        f = mo_tensor_get_f64(c, 0);
        iv = mo_tensor_get_i64(c, 0);
        v = MO_NO_VALUE;
    }
    struct mo_shape s = n >= 0 ? mo_shape_make(n, d) : mo_shape_unknown();
    if (n >= 0 && !v.node && mo_shape_is_static(&s) && mo_shape_numel(&s) <= 4096) {
        struct mo_tensor *x = fill_tensor(et, &s, f, iv);
        if (!x)
            return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory"), MO_NO_VALUE;
        return mo_build_tensor(b, suffix, x);
    }
    char sfx[96];
    snprintf(sfx, sizeof sfx, "%s/value", suffix ? suffix : "fill");
    struct mo_value sc;
    if (v.node) {
        sc = mo_pd_scalar(b, sfx, v, et);
    } else {
        struct mo_tensor *x = fill_tensor(et, &(struct mo_shape){.rank = 0}, f, iv);
        if (!x)
            return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory"), MO_NO_VALUE;
        sc = mo_build_tensor(b, sfx, x);
    }
    snprintf(sfx, sizeof sfx, "%s/shape", suffix ? suffix : "fill");
    struct mo_value shape = mo_pd_list_value(b, sfx, n, d, st);
    return mo_build_op(b, "Broadcast", suffix, 2, sc, shape);
}

static enum mo_status tr_fill_constant(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                       struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    enum mo_etype et = mo_pd_etype((int)mo_node_get_int(fw, "dtype", 5, NULL));
    if (et == MO_ET_UNDEFINED)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "fill_constant dtype is not supported");
    int64_t d[MO_MAX_RANK];
    struct mo_value st;
    int n = mo_pd_int_list(b, "shape", "ShapeTensor", "ShapeTensorList", d, MO_MAX_RANK, &st);
    if (n == -2)
        n = 0;
    struct mo_value v = mo_pd_in_opt(b, "ValueTensor", 0);
    return mo_pd_set_out(b, "Out", filled(b, NULL, et, n, d, st, v));
}

/* fill_any_like (PIR full_like): x's shape filled with value, dtype -1
 * (or absent) meaning x's type. */
static enum mo_status tr_fill_any_like(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                       struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t dt = mo_node_get_int(fw, "dtype", -1, NULL);
    enum mo_etype et = dt < 0 ? mo_value_et(x) : mo_pd_etype((int)dt);
    if (mo_build_ok(b) && et == MO_ET_UNDEFINED)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "fill_any_like dtype %lld is not supported",
                              (long long)dt);
    struct mo_shape xs = mo_value_shape(x);
    int64_t d[MO_MAX_RANK];
    struct mo_value st = MO_NO_VALUE;
    int n = xs.rank;
    if (n >= 0 && mo_shape_is_static(&xs))
        memcpy(d, xs.dims, sizeof *d * (size_t)n);
    else
        n = -1, st = mo_build_shape_of(b, "shape", x, MO_ET_I64);
    return mo_pd_set_out(b, "Out", filled(b, NULL, et, n, d, st, mo_pd_in_opt(b, "value", 0)));
}

/* fill_constant_batch_size_like (PIR full_batch_size_like): shape with
 * dim output_dim_idx taken from dim input_dim_idx of Input. */
static enum mo_status tr_fill_bsl(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "Input", 0);
    enum mo_etype et = mo_pd_etype((int)mo_node_get_int(fw, "dtype", 5, NULL));
    int64_t d[MO_MAX_RANK];
    int n = mo_pd_ints(fw, "shape", d, MO_MAX_RANK);
    struct mo_shape xs = mo_value_shape(x);
    int64_t in_i = mo_node_get_int(fw, "input_dim_idx", 0, NULL);
    int64_t out_i = mo_node_get_int(fw, "output_dim_idx", 0, NULL);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (et == MO_ET_UNDEFINED || n <= 0 || n > MO_MAX_RANK || out_i < 0 || out_i >= n ||
        in_i < 0 || in_i >= xs.rank)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "fill_constant_batch_size_like: bad dtype, shape or dim indices");
    struct mo_value st = MO_NO_VALUE;
    if (xs.dims[in_i] >= 0) {
        d[out_i] = xs.dims[in_i];
    } else {
        struct mo_value parts[3];
        unsigned np = 0;
        if (out_i > 0)
            parts[np++] = mo_build_i64(b, "head", d, (size_t)out_i);
        parts[np++] = mo_build_dims(b, "batch", x, &in_i, 1);
        if (out_i + 1 < n)
            parts[np++] = mo_build_i64(b, "tail", d + out_i + 1, (size_t)(n - out_i - 1));
        st = mo_build_concat(b, "shape", 0, np, parts);
        n = -1;
    }
    return mo_pd_set_out(b, "Out", filled(b, NULL, et, n, d, st, MO_NO_VALUE));
}

/* The expand target d[0..n) or st with Paddle's -1 (keep the input dim)
 * as 1, which is what bidirectional broadcasting keeps. */
static struct mo_value expand_target(struct mo_build *b, int n, int64_t *d, struct mo_value st)
{
    if (n >= 0) {
        for (int i = 0; i < n; i++)
            if (d[i] == -1)
                d[i] = 1;
        return mo_build_i64(b, "shape", d, (size_t)n);
    }
    struct mo_value m1 = mo_build_i64_scalar(b, "shape/minus1", -1);
    struct mo_value one = mo_build_i64_scalar(b, "shape/one", 1);
    struct mo_value keep = mo_build_op(b, "Equal", "shape/keep", 2, st, m1);
    return mo_build_op(b, "Select", "shape", 3, keep, one, st);
}

static enum mo_status tr_expand_v2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t d[MO_MAX_RANK];
    struct mo_value st;
    int n = mo_pd_int_list(b, "shape", "Shape", "expand_shapes_tensor", d, MO_MAX_RANK, &st);
    if (n == -2)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "expand_v2 has no shape");
    struct mo_value shape = expand_target(b, n, d, st);
    struct mo_value y = mo_build_op(b, "Broadcast", NULL, 2, x, shape);
    return mo_pd_set_out(b, "Out", mo_build_set_str(b, y, "mode", "bidirectional"));
}

/* expand_as_v2 (PIR expand_as): x broadcast to Y's shape, or to the
 * target_shape attribute when there is no Y. */
static enum mo_status tr_expand_as(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value y = mo_pd_in_opt(b, "Y", 0);
    struct mo_value shape;
    if (y.node) {
        shape = mo_build_shape_of(b, "shape", y, MO_ET_I64);
    } else {
        int64_t d[MO_MAX_RANK];
        int n = mo_pd_ints(fw, "target_shape", d, MO_MAX_RANK);
        if (n < 0 || n > MO_MAX_RANK)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "expand_as has no Y and no target_shape");
        shape = expand_target(b, n, d, MO_NO_VALUE);
    }
    struct mo_value r = mo_build_op(b, "Broadcast", NULL, 2, x, shape);
    return mo_pd_set_out(b, "Out", mo_build_set_str(b, r, "mode", "bidirectional"));
}

static enum mo_status tr_shuffle_channel(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value y = mo_build_op(b, "ShuffleChannels", NULL, 1, x);
    mo_build_set_int(b, y, "axis", 1);
    int64_t group = mo_node_get_int(fw, "group", 1, NULL);
    return mo_pd_set_out(b, "Out", mo_build_set_int(b, y, "group", group));
}

MO_PD_TABLE(mo_pd_tr_misc,
            {"dropout", tr_dropout}, {"assign", tr_assign},
            {"share_data", tr_assign}, {"memcpy", tr_assign},
            {"memcpy_d2h", tr_assign}, {"memcpy_h2d", tr_assign},
            {"shape", tr_shape}, {"shape64", tr_shape64}, {"size", tr_size},
            {"cast", tr_cast}, {"gather", tr_gather},
            {"fill_constant", tr_fill_constant}, {"fill_any_like", tr_fill_any_like},
            {"fill_constant_batch_size_like", tr_fill_bsl},
            {"expand_v2", tr_expand_v2}, {"expand_as_v2", tr_expand_as},
            {"shuffle_channel", tr_shuffle_channel});
