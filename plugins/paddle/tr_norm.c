/* tr_norm.c - batch_norm, layer_norm, lrn, softmax, log_softmax. */
#include <config.h>

#include <string.h>

#include "paddle.h"

static enum mo_status tr_batch_norm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_value x, sc, b, m, v;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "Scale", &sc, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "Bias", &b, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "Mean", &m, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "Variance", &v, err);
    if (st == MO_OK)
        st = mo_pd_to_nchw(t, fw, &x, err);
    if (st != MO_OK)
        return st;
    struct mo_node *n = mo_pd_op(t, "BatchNormInference", NULL, err, 5, x, sc, b, m, v);
    if (!n)
        return mo_pd_status(err);
    if ((st = mo_node_set_float(n, "epsilon", mo_node_get_float(fw, "epsilon", 1e-5, NULL))) != MO_OK)
        return st;
    struct mo_value y = mo_val(n, 0);
    if ((st = mo_pd_from_nchw(t, fw, &y, err)) != MO_OK)
        return st;
    return mo_pd_set_out(t, fw, "Y", y, err);
}

static enum mo_status tr_layer_norm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    struct mo_shape xs = mo_pd_shape(x);
    if (xs.rank < 1)
        return mo_pd_bad(err, "layer_norm needs an input of known rank");
    int begin;
    if ((st = mo_pd_axis(fw, "begin_norm_axis", 1, xs.rank, &begin, err)) != MO_OK)
        return st;
    int64_t axes[MO_MAX_RANK];
    int na = 0;
    for (int i = begin; i < xs.rank; i++)
        axes[na++] = i;
    struct mo_node *a = mo_pd_i64(t, "axes", axes, (size_t)na, err);
    struct mo_node *n = a ? mo_pd_op(t, "MVN", "mvn", err, 2, x, mo_val(a, 0)) : NULL;
    if (!n)
        return mo_pd_status(err);
    st = mo_node_set_bool(n, "normalize_variance", true);
    if (st == MO_OK)
        st = mo_node_set_float(n, "eps", mo_node_get_float(fw, "epsilon", 1e-5, NULL));
    if (st == MO_OK)
        st = mo_node_set_str(n, "eps_mode", "inside_sqrt");
    if (st != MO_OK)
        return st;
    struct mo_value y = mo_val(n, 0);
    /* Scale and Bias are flat [prod(normalized dims)] */
    int64_t dims[MO_MAX_RANK];
    for (int i = begin; i < xs.rank; i++)
        dims[i - begin] = xs.dims[i];
    static const char *const slots[] = {"Scale", "Bias"};
    for (int k = 0; k < 2; k++) {
        struct mo_value p = mo_pd_in(t, fw, slots[k], 0);
        if (!p.node)
            continue;
        if (na > 1) {
            struct mo_node *r = mo_pd_reshape(t, k ? "bias_shape" : "scale_shape", p, dims, na, err);
            if (!r)
                return mo_pd_status(err);
            p = mo_val(r, 0);
        }
        struct mo_node *o = mo_pd_op(t, k ? "Add" : "Multiply", k ? (const char *)NULL : "scale",
                                     err, 2, y, p);
        if (!o)
            return mo_pd_status(err);
        y = mo_val(o, 0);
    }
    return mo_pd_set_out(t, fw, "Y", y, err);
}

static enum mo_status tr_lrn(struct mo_tctx *t, const struct mo_node *fw, void *user,
                             struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    static const int64_t ax[] = {1};
    struct mo_node *a = mo_pd_i64(t, "axes", ax, 1, err);
    struct mo_node *n = a ? mo_pd_op(t, "LRN", NULL, err, 2, x, mo_val(a, 0)) : NULL;
    if (!n)
        return mo_pd_status(err);
    int64_t size = mo_node_get_int(fw, "n", 5, NULL);
    /* Paddle: x / (k + alpha * sum(x^2))^beta; the IR divides alpha by size */
    st = mo_node_set_float(n, "alpha", mo_node_get_float(fw, "alpha", 1e-4, NULL) * (double)size);
    if (st == MO_OK)
        st = mo_node_set_float(n, "beta", mo_node_get_float(fw, "beta", 0.75, NULL));
    if (st == MO_OK)
        st = mo_node_set_float(n, "bias", mo_node_get_float(fw, "k", 1.0, NULL));
    if (st == MO_OK)
        st = mo_node_set_int(n, "size", size);
    if (st != MO_OK)
        return st;
    return mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err);
}

static enum mo_status softmax_like(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                                   struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    struct mo_shape xs = mo_pd_shape(x);
    int axis;
    if (xs.rank < 0)
        return mo_pd_bad(err, "softmax needs an input of known rank");
    if ((st = mo_pd_axis(fw, "axis", -1, xs.rank ? xs.rank : 1, &axis, err)) != MO_OK)
        return st;
    struct mo_node *n = mo_pd_op(t, type, NULL, err, 1, x);
    if (!n || mo_node_set_int(n, "axis", axis) != MO_OK)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err);
}

static enum mo_status tr_softmax(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    return softmax_like(t, fw, "Softmax", err);
}

static enum mo_status tr_log_softmax(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                     struct mo_error *err)
{
    return softmax_like(t, fw, "LogSoftmax", err);
}

MO_PD_TABLE(mo_pd_tr_norm,
            {"batch_norm", tr_batch_norm},
            {"sync_batch_norm", tr_batch_norm},
            {"layer_norm", tr_layer_norm},
            {"lrn", tr_lrn},
            {"softmax", tr_softmax},
            {"log_softmax", tr_log_softmax});
