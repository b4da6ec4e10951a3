/* tr_norm.c - batch_norm, layer_norm, lrn, softmax, log_softmax. */
#include <config.h>

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

MO_PD_TABLE(mo_pd_tr_norm,
            {"batch_norm", tr_batch_norm},
            {"sync_batch_norm", tr_batch_norm},
            {"layer_norm", tr_layer_norm},
            {"lrn", tr_lrn},
            {"softmax", tr_softmax},
            {"log_softmax", tr_log_softmax});
