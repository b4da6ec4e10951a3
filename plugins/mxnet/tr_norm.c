/* tr_norm.c - MXNet BatchNorm, InstanceNorm, LRN and L2Normalization translators.
 *
 * BatchNorm at inference is an affine map per channel, so it is folded into
 * one Multiply and one Add whose constants are computed here in double
 * precision: scale = gamma / sqrt(var + eps), shift = beta - mean * scale
 * (gamma = 1 when fix_gamma, MXNet's default).  momentum and
 * use_global_stats only matter for training. */
#include <config.h>

#include <math.h>
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

/* A per-channel statistic: the Const tensor of input i with c values
 * (c < 0: any count), named in errors; NULL when b has failed. */
static struct mo_tensor *channel_const(struct mo_build *b, unsigned i, const char *what, int64_t c)
{
    struct mo_value v = mo_build_in(b, i, what);
    struct mo_tensor *k = mo_value_const(v);
    if (!mo_build_ok(b))
        return NULL;
    if (!k) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                       "%s '%s' is computed, not a stored parameter; only constant statistics can be folded",
                       what, v.node->name);
        return NULL;
    }
    if (c >= 0 && mo_tensor_numel(k) != c) {
        char s[96];
        mo_build_error(b, MO_ERR_SHAPE, 0, "%s '%s' has shape [%s] but the data has %lld channels", what,
                       v.node->name, mo_shape_str(&k->shape, s, sizeof s), (long long)c);
        return NULL;
    }
    return k;
}

static enum mo_status tr_batchnorm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_shape xs = mo_value_shape(x);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (xs.rank < 1)
        return mo_build_error(b, MO_ERR_SHAPE, 0, "BatchNorm needs the rank of its input at conversion");
    int64_t ax = mo_node_get_int(fw, "axis", 1, NULL);
    int axis = mo_axis_norm(ax, xs.rank);
    if (axis < 0)
        return mo_build_error(b, MO_ERR_FORMAT, 2, "axis %lld is out of range for rank %d", (long long)ax,
                              xs.rank);
    int64_t c = xs.dims[axis];
    struct mo_tensor *g = channel_const(b, 1, "gamma", c), *be = channel_const(b, 2, "beta", c);
    struct mo_tensor *m = channel_const(b, 3, "moving_mean", c), *v = channel_const(b, 4, "moving_var", c);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    c = mo_tensor_numel(m);
    if (mo_tensor_numel(g) != c || mo_tensor_numel(be) != c || mo_tensor_numel(v) != c)
        return mo_build_error(b, MO_ERR_SHAPE, 0, "gamma, beta, moving_mean and moving_var differ in size");
    double eps = mo_node_get_float(fw, "eps", 1e-3, NULL);
    bool fix_gamma = mo_node_get_bool(fw, "fix_gamma", true, NULL);
    double *scale = malloc(sizeof(double) * (size_t)(2 * c + 1)), *shift = scale + c;
    if (!scale)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    for (int64_t i = 0; i < c; i++) {
        double gi = fix_gamma ? 1.0 : mo_tensor_get_f64(g, i);
        scale[i] = gi / sqrt(mo_tensor_get_f64(v, i) + eps);
        shift[i] = mo_tensor_get_f64(be, i) - mo_tensor_get_f64(m, i) * scale[i];
    }
    struct mo_shape cs = channel_shape(xs.rank, axis, c);
    enum mo_etype et = mo_value_et(x) == MO_ET_UNDEFINED ? MO_ET_F32 : mo_value_et(x);
    struct mo_value sc = mo_build_const(b, "scale", et, &cs, scale);
    struct mo_value sh = mo_build_const(b, "shift", et, &cs, shift);
    free(scale);
    struct mo_value mul = mo_build_op(b, "Multiply", "mul", 2, x, sc);
    mo_build_done(b, mo_build_op(b, "Add", NULL, 2, mul, sh));
    /* output_mean_var: at inference the statistics are the moving ones */
    for (unsigned o = 1; o < fw->n_outputs && o < 3; o++)
        mo_build_output(b, o, mo_build_in(b, o + 2, NULL));
    return mo_build_status(b);
}

/* (x - mean) / sqrt(var + eps) over the spatial axes, with MVN when the
 * context has it. */
static struct mo_value mvn(struct mo_build *b, struct mo_value x, double eps)
{
    int rank = mo_value_shape(x).rank;
    int64_t axes[MO_MAX_RANK];
    for (int i = 2; i < rank; i++)
        axes[i - 2] = i;
    struct mo_value ax = mo_build_i64(b, "axes", axes, (size_t)(rank - 2));
    struct mo_value n = mo_build_op(b, "MVN", "mvn", 2, x, ax);
    mo_build_set_bool(b, n, "normalize_variance", true);
    mo_build_set_float(b, n, "eps", eps);
    return mo_build_set_str(b, n, "eps_mode", "inside_sqrt");
}

/* A global AvgPool over the spatial dims of a static [N, C, ...] shape. */
static struct mo_value spatial_mean(struct mo_build *b, const char *suffix, struct mo_value x,
                                    const struct mo_shape *xs)
{
    int64_t k[MO_MAX_RANK], ones[MO_MAX_RANK], zeros[MO_MAX_RANK];
    for (int i = 2; i < xs->rank; i++) {
        k[i - 2] = xs->dims[i];
        ones[i - 2] = 1;
        zeros[i - 2] = 0;
    }
    size_t nsp = (size_t)(xs->rank - 2);
    struct mo_value p = mo_build_op(b, "AvgPool", suffix, 1, x);
    mo_build_set_ints(b, p, "kernel", k, nsp);
    mo_build_set_ints(b, p, "strides", ones, nsp);
    mo_build_set_ints(b, p, "pads_begin", zeros, nsp);
    mo_build_set_ints(b, p, "pads_end", zeros, nsp);
    return mo_build_set_bool(b, p, "exclude-pad", false);
}

/* The same normalization from ops any opset has: the mean over the whole
 * spatial extent is a global AvgPool. */
static struct mo_value instance_normalize(struct mo_build *b, struct mo_value x, double eps)
{
    if (mo_context_op(mo_tctx_context(mo_build_tctx(b)), "MVN"))
        return mvn(b, x, eps);
    struct mo_shape xs = mo_value_shape(x);
    if (xs.rank < 3 || !mo_shape_is_static(&xs)) {
        mo_build_error(b, MO_ERR_SHAPE, 0, "InstanceNorm needs the input shape at conversion");
        return MO_NO_VALUE;
    }
    struct mo_value mean = spatial_mean(b, "mean", x, &xs);
    struct mo_value d = mo_build_op(b, "Subtract", "centered", 2, x, mean);
    struct mo_value sq = mo_build_op(b, "Multiply", "sq", 2, d, d);
    struct mo_value var = spatial_mean(b, "var", sq, &xs);
    struct mo_value e = mo_build_scalar(b, "eps", mo_value_et(x), eps);
    struct mo_value ve = mo_build_op(b, "Add", "var_eps", 2, var, e);
    struct mo_value sd = mo_build_op(b, "Sqrt", "std", 1, ve);
    return mo_build_op(b, "Divide", "normalized", 2, d, sd);
}

static enum mo_status tr_instancenorm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int rank = mo_value_shape(x).rank;
    if (mo_build_ok(b) && rank < 3)
        return mo_build_error(b, MO_ERR_SHAPE, 0, "InstanceNorm needs data of rank 3 or more with a known rank");
    int64_t c = rank > 1 ? mo_value_shape(x).dims[1] : -1;
    struct mo_tensor *g = channel_const(b, 1, "gamma", c);
    channel_const(b, 2, "beta", c);  /* checked like gamma, reshaped below */
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_value n = instance_normalize(b, x, mo_node_get_float(fw, "eps", 1e-3, NULL));
    struct mo_shape cs = channel_shape(rank, 1, mo_tensor_numel(g));
    struct mo_value gv = mo_build_reshape_value(b, "gamma", mo_build_in(b, 1, "gamma"), &cs);
    struct mo_value bv = mo_build_reshape_value(b, "beta", mo_build_in(b, 2, "beta"), &cs);
    struct mo_value mul = mo_build_op(b, "Multiply", "mul", 2, n, gv);
    return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, mul, bv));
}

static enum mo_status tr_lrn(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    bool ok = true;
    int64_t nsize = mo_node_get_int(fw, "nsize", -1, &ok);
    if (!ok || nsize <= 0)
        return mo_build_error(b, MO_ERR_FORMAT, 2, "attribute nsize is missing or not positive");
    /* MXNet and the IR both divide alpha by the window size, but OpenVINO's
     * CPU plugin ignores bias (takes it as 1).  Since
     *   x / (k + a/n*S)^b = k^-b * x / (1 + (a/k)/n*S)^b
     * the layer is written with bias 1 and the factor k^-b applied after. */
    double alpha = mo_node_get_float(fw, "alpha", 1e-4, NULL);
    double beta = mo_node_get_float(fw, "beta", 0.75, NULL);
    double knorm = mo_node_get_float(fw, "knorm", 2, NULL);
    if (knorm <= 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "knorm %g is not positive", knorm);
    struct mo_value ax = mo_build_i64(b, "axes", (const int64_t[]){1}, 1);
    struct mo_value n = mo_build_op(b, "LRN", knorm == 1 ? NULL : "lrn", 2, x, ax);
    mo_build_set_float(b, n, "alpha", alpha / knorm);
    mo_build_set_float(b, n, "beta", beta);
    mo_build_set_float(b, n, "bias", 1.0);
    mo_build_set_int(b, n, "size", nsize);
    if (knorm == 1)
        return mo_build_done(b, n);
    struct mo_value f = mo_build_scalar(b, "scale", mo_value_et(x), pow(knorm, -beta));
    return mo_build_done(b, mo_build_op(b, "Multiply", NULL, 2, n, f));
}

static enum mo_status tr_l2norm(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int rank = mo_value_shape(x).rank;
    const char *mode = mo_node_get_str(fw, "mode", "instance");
    if (mo_build_ok(b) && rank < 2)
        return mo_build_error(b, MO_ERR_SHAPE, 0,
                              "L2Normalization needs data of rank 2 or more with a known rank");
    int64_t axes[MO_MAX_RANK];
    size_t na = 0;
    if (!strcmp(mode, "channel"))
        axes[na++] = 1;
    else if (!strcmp(mode, "instance") || !strcmp(mode, "spatial"))
        for (int i = strcmp(mode, "spatial") ? 1 : 2; i < rank; i++)
            axes[na++] = i;
    else
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "mode '%s' is unknown", mode);
    if (!na)
        return mo_build_error(b, MO_ERR_SHAPE, 0, "mode '%s' needs spatial dims", mode);
    struct mo_value ax = mo_build_i64(b, "axes", axes, na);
    struct mo_value n = mo_build_op(b, "NormalizeL2", NULL, 2, x, ax);
    /* MXNet: x / sqrt(sum(x^2) + eps) */
    mo_build_set_float(b, n, "eps", mo_node_get_float(fw, "eps", 1e-10, NULL));
    return mo_build_done(b, mo_build_set_str(b, n, "eps_mode", "add"));
}

MO_MX_TABLE(mo_mx_tr_norm,
            {"BatchNorm", tr_batchnorm},
            {"BatchNorm_v1", tr_batchnorm},
            {"CuDNNBatchNorm", tr_batchnorm},
            {"InstanceNorm", tr_instancenorm},
            {"LRN", tr_lrn},
            {"L2Normalization", tr_l2norm});
