/* tr_norm.c - MXNet BatchNorm, InstanceNorm, LRN and L2Normalization translators.
 *
 * BatchNorm at inference is an affine map per channel, so it is folded into
 * one Multiply and one Add whose constants are computed here in double
 * precision: scale = gamma / sqrt(var + eps), shift = beta - mean * scale
 * (gamma = 1 when fix_gamma, MXNet's default).  momentum and
 * use_global_stats only matter for training. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr_util.h"

/* [1,..,C,..,1] of rank `rank` with C at `axis`. */
static struct mo_shape channel_shape(int rank, int axis, int64_t c)
{
    struct mo_shape s = {.rank = rank};
    for (int i = 0; i < rank; i++)
        s.dims[i] = 1;
    s.dims[axis] = c;
    return s;
}

/* A per-channel statistic: a constant with C values, named in errors. */
static enum mo_status channel_const(struct mo_tctx *t, unsigned i, const char *what, int64_t c,
                                    struct mo_tensor **out, struct mo_error *err)
{
    struct mo_value v = mo_tctx_input(t, i);
    if (!v.node)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "input %u (%s) is missing", i, what);
    struct mo_tensor *k = mo_mx_const_of(v);
    if (!k)
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 0,
                            "%s '%s' is computed, not a stored parameter; only constant statistics "
                            "can be folded", what, v.node->name);
    if (c >= 0 && mo_tensor_numel(k) != c) {
        char s[96];
        return mo_error_set(err, MO_ERR_SHAPE, 0, "%s '%s' has shape [%s] but the data has %lld channels",
                            what, v.node->name, mo_shape_str(&k->shape, s, sizeof s), (long long)c);
    }
    *out = k;
    return MO_OK;
}

static enum mo_status tr_batchnorm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    (void)user;
    struct mo_value x = mo_mx_in(t, fw, 0, "data", err);
    MO_MX_TRY(x.node);
    const struct mo_output *xo = mo_mx_out(x);
    if (xo->shape.rank < 1)
        return mo_error_set(err, MO_ERR_SHAPE, 0, "BatchNorm needs the rank of its input at conversion");
    int axis = mo_axis_norm(mo_node_get_int(fw, "axis", 1, NULL), xo->shape.rank);
    if (axis < 0)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "axis %lld is out of range for rank %d",
                            (long long)mo_node_get_int(fw, "axis", 1, NULL), xo->shape.rank);
    int64_t c = xo->shape.dims[axis];
    struct mo_tensor *g, *b, *m, *v;
    enum mo_status st;
    if ((st = channel_const(t, 1, "gamma", c, &g, err)) || (st = channel_const(t, 2, "beta", c, &b, err)) ||
        (st = channel_const(t, 3, "moving_mean", c, &m, err)) ||
        (st = channel_const(t, 4, "moving_var", c, &v, err)))
        return st;
    c = mo_tensor_numel(m);
    if (mo_tensor_numel(g) != c || mo_tensor_numel(b) != c || mo_tensor_numel(v) != c)
        return mo_error_set(err, MO_ERR_SHAPE, 0, "gamma, beta, moving_mean and moving_var differ in size");
    double eps = mo_node_get_float(fw, "eps", 1e-3, NULL);
    bool fix_gamma = mo_node_get_bool(fw, "fix_gamma", true, NULL);
    double *scale = malloc(sizeof(double) * (size_t)(2 * c + 1)), *shift = scale + c;
    if (!scale)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (int64_t i = 0; i < c; i++) {
        double gi = fix_gamma ? 1.0 : mo_tensor_get_f64(g, i);
        scale[i] = gi / sqrt(mo_tensor_get_f64(v, i) + eps);
        shift[i] = mo_tensor_get_f64(b, i) - mo_tensor_get_f64(m, i) * scale[i];
    }
    struct mo_shape cs = channel_shape(xo->shape.rank, axis, c);
    enum mo_etype et = xo->et == MO_ET_UNDEFINED ? MO_ET_F32 : xo->et;
    struct mo_node *sc = mo_mx_const(t, fw, "scale", et, &cs, scale, err);
    struct mo_node *sh = sc ? mo_mx_const(t, fw, "shift", et, &cs, shift, err) : NULL;
    free(scale);
    MO_MX_TRY(sh);
    struct mo_node *mul = mo_mx_op(t, "Multiply", "mul", err, 2, x, mo_val(sc, 0));
    struct mo_node *add = mul ? mo_mx_op(t, "Add", NULL, err, 2, mo_val(mul, 0), mo_val(sh, 0)) : NULL;
    MO_MX_TRY(add);
    st = mo_mx_done(t, add, err);
    /* output_mean_var: at inference the statistics are the moving ones */
    for (unsigned o = 1; st == MO_OK && o < fw->n_outputs && o < 3; o++)
        st = mo_tctx_set_output(t, o, mo_tctx_input(t, o + 2), err);
    return st;
}

/* (x - mean) / sqrt(var + eps) over the spatial axes, from ops any opset has. */
static struct mo_node *instance_normalize(struct mo_tctx *t, const struct mo_node *fw, struct mo_value x,
                                          double eps, struct mo_error *err)
{
    const struct mo_output *xo = mo_mx_out(x);
    int rank = xo->shape.rank;
    if (mo_context_op(mo_tctx_context(t), "MVN")) {
        int64_t axes[MO_MAX_RANK];
        for (int i = 2; i < rank; i++)
            axes[i - 2] = i;
        struct mo_node *ax = mo_mx_const_i64(t, fw, "axes", axes, (size_t)(rank - 2), err);
        struct mo_node *n = ax ? mo_mx_op(t, "MVN", "mvn", err, 2, x, mo_val(ax, 0)) : NULL;
        if (n && (mo_node_set_bool(n, "normalize_variance", true) || mo_node_set_float(n, "eps", eps) ||
                  mo_node_set_str(n, "eps_mode", "inside_sqrt"))) {
            mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            return NULL;
        }
        return n;
    }
    /* without MVN: the mean over the whole spatial extent is a global AvgPool */
    if (rank < 3 || !mo_shape_is_static(&xo->shape)) {
        mo_error_set(err, MO_ERR_SHAPE, 0, "InstanceNorm needs the input shape at conversion");
        return NULL;
    }
    int64_t k[MO_MAX_RANK], ones[MO_MAX_RANK], zeros[MO_MAX_RANK];
    for (int i = 2; i < rank; i++) {
        k[i - 2] = xo->shape.dims[i];
        ones[i - 2] = 1;
        zeros[i - 2] = 0;
    }
    size_t nsp = (size_t)(rank - 2);
    struct mo_node *mean = mo_mx_op(t, "AvgPool", "mean", err, 1, x);
    struct mo_node *d = mean ? mo_mx_op(t, "Subtract", "centered", err, 2, x, mo_val(mean, 0)) : NULL;
    struct mo_node *sq = d ? mo_mx_op(t, "Multiply", "sq", err, 2, mo_val(d, 0), mo_val(d, 0)) : NULL;
    struct mo_node *var = sq ? mo_mx_op(t, "AvgPool", "var", err, 1, mo_val(sq, 0)) : NULL;
    struct mo_node *e = var ? mo_mx_scalar(t, fw, "eps", xo->et, eps, err) : NULL;
    struct mo_node *ve = e ? mo_mx_op(t, "Add", "var_eps", err, 2, mo_val(var, 0), mo_val(e, 0)) : NULL;
    struct mo_node *sd = ve ? mo_mx_op(t, "Sqrt", "std", err, 1, mo_val(ve, 0)) : NULL;
    struct mo_node *r = sd ? mo_mx_op(t, "Divide", "normalized", err, 2, mo_val(d, 0), mo_val(sd, 0)) : NULL;
    struct mo_node *pools[2] = {mean, var};
    for (int i = 0; r && i < 2; i++)
        if (mo_node_set_ints(pools[i], "kernel", k, nsp) || mo_node_set_ints(pools[i], "strides", ones, nsp) ||
            mo_node_set_ints(pools[i], "pads_begin", zeros, nsp) ||
            mo_node_set_ints(pools[i], "pads_end", zeros, nsp) || mo_node_set_bool(pools[i], "exclude-pad", false)) {
            mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            return NULL;
        }
    return r;
}

static enum mo_status tr_instancenorm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    (void)user;
    struct mo_value x = mo_mx_in(t, fw, 0, "data", err);
    MO_MX_TRY(x.node);
    const struct mo_output *xo = mo_mx_out(x);
    if (xo->shape.rank < 3)
        return mo_error_set(err, MO_ERR_SHAPE, 0, "InstanceNorm needs data of rank 3 or more with a known rank");
    int64_t c = xo->shape.dims[1];
    struct mo_tensor *g, *b;
    enum mo_status st;
    if ((st = channel_const(t, 1, "gamma", c, &g, err)) || (st = channel_const(t, 2, "beta", c, &b, err)))
        return st;
    double eps = mo_node_get_float(fw, "eps", 1e-3, NULL);
    struct mo_node *n = instance_normalize(t, fw, x, eps, err);
    MO_MX_TRY(n);
    struct mo_shape cs = channel_shape(xo->shape.rank, 1, mo_tensor_numel(g));
    struct mo_value gv = mo_mx_reshape_value(t, fw, mo_tctx_input(t, 1), "gamma", &cs, err);
    struct mo_value bv = gv.node ? mo_mx_reshape_value(t, fw, mo_tctx_input(t, 2), "beta", &cs, err) : gv;
    MO_MX_TRY(bv.node);
    struct mo_node *mul = mo_mx_op(t, "Multiply", "mul", err, 2, mo_val(n, 0), gv);
    struct mo_node *add = mul ? mo_mx_op(t, "Add", NULL, err, 2, mo_val(mul, 0), bv) : NULL;
    MO_MX_TRY(add);
    return mo_mx_done(t, add, err);
}

static enum mo_status tr_lrn(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_value x = mo_mx_in(t, fw, 0, "data", err);
    MO_MX_TRY(x.node);
    bool ok = true;
    int64_t nsize = mo_node_get_int(fw, "nsize", -1, &ok);
    if (!ok || nsize <= 0)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "attribute nsize is missing or not positive");
    /* MXNet and the IR both divide alpha by the window size, but OpenVINO's
     * CPU plugin ignores bias (takes it as 1).  Since
     *   x / (k + a/n*S)^b = k^-b * x / (1 + (a/k)/n*S)^b
     * the layer is written with bias 1 and the factor k^-b applied after. */
    double alpha = mo_node_get_float(fw, "alpha", 1e-4, NULL);
    double beta = mo_node_get_float(fw, "beta", 0.75, NULL);
    double knorm = mo_node_get_float(fw, "knorm", 2, NULL);
    if (knorm <= 0)
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "knorm %g is not positive", knorm);
    int64_t axis = 1;
    struct mo_node *ax = mo_mx_const_i64(t, fw, "axes", &axis, 1, err);
    struct mo_node *n = ax ? mo_mx_op(t, "LRN", knorm == 1 ? NULL : "lrn", err, 2, x, mo_val(ax, 0)) : NULL;
    MO_MX_TRY(n);
    if (mo_node_set_float(n, "alpha", alpha / knorm) || mo_node_set_float(n, "beta", beta) ||
        mo_node_set_float(n, "bias", 1.0) || mo_node_set_int(n, "size", nsize))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    if (knorm == 1)
        return mo_mx_done(t, n, err);
    struct mo_node *f = mo_mx_scalar(t, fw, "scale", mo_mx_out(x)->et, pow(knorm, -beta), err);
    struct mo_node *r = f ? mo_mx_op(t, "Multiply", NULL, err, 2, mo_val(n, 0), mo_val(f, 0)) : NULL;
    MO_MX_TRY(r);
    return mo_mx_done(t, r, err);
}

static enum mo_status tr_l2norm(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_value x = mo_mx_in(t, fw, 0, "data", err);
    MO_MX_TRY(x.node);
    int rank = mo_mx_out(x)->shape.rank;
    const char *mode = mo_node_get_str(fw, "mode", "instance");
    int64_t axes[MO_MAX_RANK];
    size_t na = 0;
    if (rank < 2)
        return mo_error_set(err, MO_ERR_SHAPE, 0, "L2Normalization needs data of rank 2 or more with a known rank");
    int first;
    if (!strcmp(mode, "instance"))
        first = 1;
    else if (!strcmp(mode, "spatial"))
        first = 2;
    else if (!strcmp(mode, "channel"))
        first = -1;
    else
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "mode '%s' is unknown", mode);
    if (first < 0)
        axes[na++] = 1;
    else
        for (int i = first; i < rank; i++)
            axes[na++] = i;
    if (!na)
        return mo_error_set(err, MO_ERR_SHAPE, 0, "mode '%s' needs spatial dims", mode);
    struct mo_node *ax = mo_mx_const_i64(t, fw, "axes", axes, na, err);
    struct mo_node *n = ax ? mo_mx_op(t, "NormalizeL2", NULL, err, 2, x, mo_val(ax, 0)) : NULL;
    MO_MX_TRY(n);
    /* MXNet: x / sqrt(sum(x^2) + eps) */
    if (mo_node_set_float(n, "eps", mo_node_get_float(fw, "eps", 1e-10, NULL)) ||
        mo_node_set_str(n, "eps_mode", "add"))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return mo_mx_done(t, n, err);
}

MO_MX_TABLE(mo_mx_tr_norm,
            {"BatchNorm", tr_batchnorm},
            {"BatchNorm_v1", tr_batchnorm},
            {"CuDNNBatchNorm", tr_batchnorm},
            {"InstanceNorm", tr_instancenorm},
            {"LRN", tr_lrn},
            {"L2Normalization", tr_l2norm});
