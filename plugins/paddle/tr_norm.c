/* tr_norm.c - batch_norm, layer_norm, group_norm, instance_norm, p_norm,
 * lrn, softmax, log_softmax. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "paddle.h"

static enum mo_status tr_batch_norm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in_nchw(b, "X");
    struct mo_value sc = mo_pd_in(b, "Scale", 0);
    struct mo_value bias = mo_pd_in(b, "Bias", 0);
    struct mo_value m = mo_pd_in(b, "Mean", 0);
    struct mo_value v = mo_pd_in(b, "Variance", 0);
    struct mo_value y = mo_build_op(b, "BatchNormInference", NULL, 5, x, sc, bias, m, v);
    mo_build_set_float(b, y, "epsilon", mo_node_get_float(fw, "epsilon", 1e-5, NULL));
    return mo_pd_set_out_nchw(b, "Y", y);
}

static enum mo_status tr_layer_norm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_shape xs = mo_value_shape(x);
    if (xs.rank < 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "layer_norm needs an input of known rank");
    int begin = mo_pd_axis(b, "begin_norm_axis", 1, xs.rank);
    int64_t axes[MO_MAX_RANK];
    int na = 0;
    for (int i = begin; i < xs.rank; i++)
        axes[na++] = i;
    struct mo_value a = mo_build_i64(b, "axes", axes, (size_t)na);
    struct mo_value y = mo_build_op(b, "MVN", "mvn", 2, x, a);
    mo_build_set_bool(b, y, "normalize_variance", true);
    mo_build_set_float(b, y, "eps", mo_node_get_float(fw, "epsilon", 1e-5, NULL));
    mo_build_set_str(b, y, "eps_mode", "inside_sqrt");
    /* Scale and Bias are flat [prod(normalized dims)] */
    struct mo_value sc = mo_pd_in_opt(b, "Scale", 0);
    if (sc.node) {
        if (na > 1)
            sc = mo_build_reshape(b, "scale_shape", sc, xs.dims + begin, na, false);
        y = mo_build_op(b, "Multiply", "scale", 2, y, sc);
    }
    struct mo_value bias = mo_pd_in_opt(b, "Bias", 0);
    if (bias.node) {
        if (na > 1)
            bias = mo_build_reshape(b, "bias_shape", bias, xs.dims + begin, na, false);
        y = mo_build_op(b, "Add", NULL, 2, y, bias);
    }
    return mo_pd_set_out(b, "Y", y);
}

static enum mo_status tr_lrn(struct mo_tctx *t, const struct mo_node *fw, void *user,
                             struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value a = mo_build_i64(b, "axes", (const int64_t[]){1}, 1);
    struct mo_value y = mo_build_op(b, "LRN", NULL, 2, x, a);
    int64_t size = mo_node_get_int(fw, "n", 5, NULL);
    /* Paddle: x / (k + alpha * sum(x^2))^beta; the IR divides alpha by size */
    mo_build_set_float(b, y, "alpha", mo_node_get_float(fw, "alpha", 1e-4, NULL) * (double)size);
    mo_build_set_float(b, y, "beta", mo_node_get_float(fw, "beta", 0.75, NULL));
    mo_build_set_float(b, y, "bias", mo_node_get_float(fw, "k", 1.0, NULL));
    return mo_pd_set_out(b, "Out", mo_build_set_int(b, y, "size", size));
}

static enum mo_status softmax_like(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int rank = mo_value_shape(x).rank;
    if (rank < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "softmax needs an input of known rank");
    int axis = mo_pd_axis(b, "axis", -1, rank ? rank : 1);
    struct mo_value y = mo_build_op(b, type, NULL, 1, x);
    return mo_pd_set_out(b, "Out", mo_build_set_int(b, y, "axis", axis));
}

MO_PD_VARIANT(tr_softmax, softmax_like, "Softmax")
MO_PD_VARIANT(tr_log_softmax, softmax_like, "LogSoftmax")

/* Channels-last (data_layout / data_format NHWC, NDHWC...) to
 * channels-first for any rank >= 3. */
static bool channels_last(const struct mo_node *fw)
{
    const char *f = mo_node_get_str(fw, "data_layout", NULL);
    if (!f)
        f = mo_node_get_str(fw, "data_format", "NCHW");
    return !strcmp(f, "NHWC") || !strcmp(f, "NDHWC") || !strcmp(f, "NLC");
}

/* An optional per-channel Scale or Bias [C]: the value, else a Const of
 * C copies of fill (C must be static then). */
static struct mo_value per_channel(struct mo_build *b, const char *slot, int64_t c,
                                   enum mo_etype et, double fill)
{
    struct mo_value v = mo_pd_in_opt(b, slot, 0);
    if (v.node || !mo_build_ok(b))
        return v;
    if (c < 0) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "no %s and a dynamic channel count", slot);
        return MO_NO_VALUE;
    }
    double vals[4096];
    if (c > (int64_t)MO_COUNT_OF(vals)) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "no %s and %lld channels", slot, (long long)c);
        return MO_NO_VALUE;
    }
    for (int64_t i = 0; i < c; i++)
        vals[i] = fill;
    struct mo_shape s = mo_shape_of(c);
    return mo_build_const(b, slot[0] == 'S' ? "scale" : "bias", et, &s, vals);
}

/* group_norm: GroupNormalization (ones / zeros for a missing Scale / Bias). */
static enum mo_status tr_group_norm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int rank = mo_value_shape(x).rank;
    bool last = channels_last(fw);
    if (mo_build_ok(b) && (rank < 2 || (last && rank < 3)))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "group_norm needs an input of known rank >= 2 (3 for NHWC)");
    struct mo_shape xs = mo_value_shape(x);
    int64_t c = xs.rank >= 2 ? xs.dims[last ? xs.rank - 1 : 1] : MO_DYN;
    enum mo_etype et = mo_value_et(x);
    if (last)
        x = mo_build_to_nchw(b, NULL, x, rank);
    int64_t groups = mo_node_get_int(fw, "groups", 1, NULL);
    if (groups < 1 || (c > 0 && c % groups))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              groups < 1 ? "groups=%lld must be positive"
                                         : "groups=%lld does not divide the channels",
                              (long long)groups);
    struct mo_value sc = per_channel(b, "Scale", c, et, 1.0);
    struct mo_value bias = per_channel(b, "Bias", c, et, 0.0);
    struct mo_value y = mo_build_op(b, "GroupNormalization", NULL, 3, x, sc, bias);
    mo_build_set_int(b, y, "num_groups", groups);
    mo_build_set_float(b, y, "epsilon", mo_node_get_float(fw, "epsilon", 1e-5, NULL));
    if (last)
        y = mo_build_to_nhwc(b, NULL, y, rank);
    return mo_pd_set_out(b, "Y", y);
}

/* instance_norm: MVN over the spatial dims, then the per-channel Scale and
 * Bias (optional) as [C, 1, ...]. */
static enum mo_status tr_instance_norm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                       struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int rank = mo_value_shape(x).rank;
    if (mo_build_ok(b) && rank < 3)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "instance_norm needs an input of known rank >= 3");
    int64_t axes[MO_MAX_RANK], tail[MO_MAX_RANK];
    for (int i = 2; i < rank; i++)
        axes[i - 2] = i, tail[i - 2] = i - 1;
    struct mo_value sc = mo_pd_in_opt(b, "Scale", 0);
    struct mo_value bias = mo_pd_in_opt(b, "Bias", 0);
    struct mo_value a = mo_build_i64(b, "axes", axes, (size_t)(rank - 2));
    struct mo_value y = mo_build_op(b, "MVN", sc.node || bias.node ? "mvn" : NULL, 2, x, a);
    mo_build_set_bool(b, y, "normalize_variance", true);
    mo_build_set_float(b, y, "eps", mo_node_get_float(fw, "epsilon", 1e-5, NULL));
    mo_build_set_str(b, y, "eps_mode", "inside_sqrt");
    if (sc.node) {
        sc = mo_build_unsqueeze(b, "scale_shape", sc, tail, rank - 2);
        y = mo_build_op(b, "Multiply", bias.node ? "scale" : NULL, 2, y, sc);
    }
    if (bias.node) {
        bias = mo_build_unsqueeze(b, "bias_shape", bias, tail, rank - 2);
        y = mo_build_op(b, "Add", NULL, 2, y, bias);
    }
    return mo_pd_set_out(b, "Y", y);
}

/* p_norm: porder 0 (count of non-zeros), inf / -inf (max / min of |x|),
 * else (sum |x|^p)^(1/p), over axis or (asvector) all of x. */
static enum mo_status tr_p_norm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int rank = mo_value_shape(x).rank;
    if (mo_build_ok(b) && rank < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "p_norm needs an input of known rank");
    double p = mo_node_get_float(fw, "porder", 2.0, NULL);
    bool keep = mo_node_get_bool(fw, "keepdim", false, NULL);
    bool asvector = mo_node_get_bool(fw, "asvector", false, NULL);
    int64_t axes[MO_MAX_RANK];
    int na = 0;
    if (asvector || rank == 0) {
        for (int i = 0; i < rank; i++)
            axes[na++] = i;
    } else {
        axes[na++] = mo_pd_axis(b, "axis", -1, rank);
    }
    enum mo_etype et = mo_value_et(x);
    struct mo_value a = mo_build_i64(b, "axes", axes, (size_t)na);
    struct mo_value y;
    if (p == 0) {
        struct mo_value z = mo_build_scalar(b, "zero", et, 0);
        struct mo_value nz = mo_build_op(b, "NotEqual", "nonzero", 2, x, z);
        nz = mo_build_convert(b, "count", nz, et);
        y = mo_build_op(b, "ReduceSum", NULL, 2, nz, a);
    } else {
        struct mo_value ab = mo_build_op(b, "Abs", "abs", 1, x);
        if (isinf(p)) {
            y = mo_build_op(b, p > 0 ? "ReduceMax" : "ReduceMin", NULL, 2, ab, a);
        } else if (p == 1) {
            y = mo_build_op(b, "ReduceSum", NULL, 2, ab, a);
        } else {
            struct mo_value pe = mo_build_scalar(b, "p", et, p);
            struct mo_value pw = mo_build_op(b, "Power", "pow", 2, ab, pe);
            struct mo_value sm = mo_build_op(b, "ReduceSum", "sum", 2, pw, a);
            mo_build_set_bool(b, sm, "keep_dims", keep);
            struct mo_value ip = mo_build_scalar(b, "inv_p", et, 1.0 / p);
            y = mo_build_op(b, "Power", NULL, 2, sm, ip);
            return mo_pd_set_out(b, "Out", y);
        }
    }
    mo_build_set_bool(b, y, "keep_dims", keep);
    return mo_pd_set_out(b, "Out", y);
}

MO_PD_TABLE(mo_pd_tr_norm,
            {"group_norm", tr_group_norm},
            {"instance_norm", tr_instance_norm},
            {"p_norm", tr_p_norm},
            {"batch_norm", tr_batch_norm},
            {"sync_batch_norm", tr_batch_norm},
            {"layer_norm", tr_layer_norm},
            {"lrn", tr_lrn},
            {"softmax", tr_softmax},
            {"log_softmax", tr_log_softmax});
