/* tr_activation.c - relu, relu6, sigmoid, tanh, hard_swish, hard_sigmoid,
 * swish, silu, leaky_relu, prelu, gelu, elu, clip and friends. */
#include <config.h>

#include <string.h>

#include "paddle.h"


MO_PD_VARIANT(tr_relu, mo_pd_unary, "Relu")
MO_PD_VARIANT(tr_sigmoid, mo_pd_unary, "Sigmoid")
MO_PD_VARIANT(tr_tanh, mo_pd_unary, "Tanh")
MO_PD_VARIANT(tr_exp, mo_pd_unary, "Exp")
MO_PD_VARIANT(tr_sqrt, mo_pd_unary, "Sqrt")
MO_PD_VARIANT(tr_abs, mo_pd_unary, "Abs")
MO_PD_VARIANT(tr_log, mo_pd_unary, "Log")
MO_PD_VARIANT(tr_floor, mo_pd_unary, "Floor")
MO_PD_VARIANT(tr_ceil, mo_pd_unary, "Ceiling")
MO_PD_VARIANT(tr_mish, mo_pd_unary, "Mish")
MO_PD_VARIANT(tr_silu, mo_pd_unary, "Swish")

/* Clamp named suffix (NULL: the layer's result). */
static struct mo_value clamp(struct mo_build *b, const char *suffix, struct mo_value x, double lo,
                             double hi)
{
    struct mo_value c = mo_build_op(b, "Clamp", suffix, 1, x);
    mo_build_set_float(b, c, "min", lo);
    return mo_build_set_float(b, c, "max", hi);
}

static enum mo_status tr_relu6(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    double hi = mo_node_get_float(fw, "threshold", 6.0, NULL);
    return mo_pd_set_out(b, "Out", clamp(b, NULL, x, 0.0, hi));
}

static enum mo_status tr_clip(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    double lo = mo_node_get_float(fw, "min", -3.4e38, NULL);
    double hi = mo_node_get_float(fw, "max", 3.4e38, NULL);
    /* Min/Max tensors override the attributes; only constant ones fold */
    struct mo_value mn = mo_pd_in_opt(b, "Min", 0), mx = mo_pd_in_opt(b, "Max", 0);
    if (!mn.node) /* PIR: a computed bound is the input named after the attribute */
        mn = mo_pd_in_opt(b, "min", 0);
    if (!mx.node)
        mx = mo_pd_in_opt(b, "max", 0);
    if ((mn.node && !mo_value_const(mn)) || (mx.node && !mo_value_const(mx))) {
        /* bounds computed at run time: Maximum then Minimum with them (a
         * bound given as an attribute only when the model set it) */
        enum mo_etype et = mo_value_et(x);
        struct mo_value y = x;
        if (mn.node || mo_node_attr(fw, "min"))
            y = mo_build_op(b, "Maximum", "lower", 2, y,
                            mn.node ? mo_pd_scalar(b, "min", mn, et) : mo_build_scalar(b, "min", et, lo));
        if (mx.node || mo_node_attr(fw, "max"))
            y = mo_build_op(b, "Minimum", "upper", 2, y,
                            mx.node ? mo_pd_scalar(b, "max", mx, et) : mo_build_scalar(b, "max", et, hi));
        return mo_pd_set_out(b, "Out", mo_build_convert(b, NULL, y, et));
    }
    if (mn.node)
        lo = mo_tensor_get_f64(mo_value_const(mn), 0);
    if (mx.node)
        hi = mo_tensor_get_f64(mo_value_const(mx), 0);
    return mo_pd_set_out(b, "Out", clamp(b, NULL, x, lo, hi));
}

/* y = x * clip(x * slope + offset, 0, 1) or clip(...) alone; Paddle's
 * hard_swish is x * min(max(x + offset, 0), threshold) / scale. */
static enum mo_status affine_clip(struct mo_tctx *t, const struct mo_node *fw, double mul,
                                  double add, double hi, bool times_x, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    enum mo_etype et = mo_value_et(x);
    struct mo_value cm = mo_build_scalar(b, "mul", et, mul);
    struct mo_value m = mo_build_op(b, "Multiply", "scaled", 2, x, cm);
    struct mo_value ca = mo_build_scalar(b, "add", et, add);
    struct mo_value a = mo_build_op(b, "Add", "shifted", 2, m, ca);
    struct mo_value y = clamp(b, times_x ? "clamp" : NULL, a, 0.0, hi);
    if (times_x)
        y = mo_build_op(b, "Multiply", NULL, 2, x, y);
    return mo_pd_set_out(b, "Out", y);
}

static enum mo_status tr_hard_sigmoid(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    return affine_clip(t, fw, mo_node_get_float(fw, "slope", 0.2, NULL),
                       mo_node_get_float(fw, "offset", 0.5, NULL), 1.0, false, err);
}

static enum mo_status tr_hard_swish(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    double th = mo_node_get_float(fw, "threshold", 6.0, NULL);
    double sc = mo_node_get_float(fw, "scale", 6.0, NULL);
    double off = mo_node_get_float(fw, "offset", 3.0, NULL);
    if (th == 6.0 && sc == 6.0 && off == 3.0)
        return mo_pd_unary(t, fw, "HSwish", err);
    /* x * clip((x + off) / sc, 0, th / sc) */
    return affine_clip(t, fw, 1.0 / sc, off / sc, th / sc, true, err);
}

/* A PRelu-style op of x and a scalar of x's type (attribute `attr`). */
static enum mo_status with_scalar(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                                  const char *attr, double dflt, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    double v = mo_node_get_float(fw, attr, dflt, NULL);
    struct mo_value s = mo_build_scalar(b, attr, mo_value_et(x), v);
    return mo_pd_set_out(b, "Out", mo_build_op(b, type, NULL, 2, x, s));
}

static enum mo_status tr_swish(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    return with_scalar(t, fw, "Swish", "beta", 1.0, err);
}

static enum mo_status tr_leaky_relu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    return with_scalar(t, fw, "PRelu", "alpha", 0.02, err);
}

static enum mo_status tr_prelu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value a = mo_pd_in(b, "Alpha", 0);
    const char *mode = mo_node_get_str(fw, "mode", "all");
    struct mo_shape as = mo_value_shape(a), xs = mo_value_shape(x);
    int64_t n = mo_shape_numel(&as);
    const char *fmt = mo_node_get_str(fw, "data_format", "NCHW");
    if (!strcmp(mode, "channel") && n > 0 && xs.rank >= 2) {
        /* one slope per channel, laid out along the channel axis */
        int64_t d[MO_MAX_RANK];
        bool last = !strcmp(fmt, "NHWC");
        for (int i = 0; i < xs.rank; i++)
            d[i] = 1;
        d[last ? xs.rank - 1 : 1] = n;
        a = mo_build_reshape(b, "slope", a, d + 1, xs.rank - 1, false);
    } else if (!strcmp(mode, "element") && as.rank == xs.rank && as.rank > 0) {
        /* [1, C, H, W]: numpy broadcasting applies as is */
    } else if (n == 1) {
        a = mo_build_reshape(b, "slope", a, (int64_t[]){1}, 1, false);
    }
    return mo_pd_set_out(b, "Out", mo_build_op(b, "PRelu", NULL, 2, x, a));
}

/* softplus: log(1 + exp(beta x)) / beta, or x itself once beta x passes
 * threshold (Paddle's linear tail). */
static enum mo_status tr_softplus(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    enum mo_etype et = mo_value_et(x);
    double beta = mo_node_get_float(fw, "beta", 1.0, NULL);
    double th = mo_node_get_float(fw, "threshold", 20.0, NULL);
    if (beta == 0)
        return mo_build_error(b, MO_ERR_FORMAT, 2, "softplus beta must not be 0");
    struct mo_value bx = x;
    if (beta != 1.0)
        bx = mo_build_op(b, "Multiply", "beta_x", 2, x, mo_build_scalar(b, "beta", et, beta));
    struct mo_value y = mo_build_op(b, "SoftPlus", "softplus", 1, bx);
    if (beta != 1.0)
        y = mo_build_op(b, "Divide", "unscaled", 2, y, mo_build_scalar(b, "beta_div", et, beta));
    struct mo_value m = mo_build_op(b, "Greater", "linear", 2, bx, mo_build_scalar(b, "threshold", et, th));
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Select", NULL, 3, m, x, y));
}

static enum mo_status tr_gelu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value y = mo_build_op(b, "Gelu", NULL, 1, x);
    const char *mode = mo_node_get_bool(fw, "approximate", false, NULL) ? "TANH" : "ERF";
    return mo_pd_set_out(b, "Out", mo_build_set_str(b, y, "approximation_mode", mode));
}

static enum mo_status tr_elu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                             struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value y = mo_build_op(b, "Elu", NULL, 1, x);
    double alpha = mo_node_get_float(fw, "alpha", 1.0, NULL);
    return mo_pd_set_out(b, "Out", mo_build_set_float(b, y, "alpha", alpha));
}

MO_PD_TABLE(mo_pd_tr_activation,
            {"relu", tr_relu}, {"relu6", tr_relu6}, {"sigmoid", tr_sigmoid},
            {"tanh", tr_tanh}, {"exp", tr_exp}, {"sqrt", tr_sqrt}, {"abs", tr_abs},
            {"log", tr_log}, {"floor", tr_floor}, {"ceil", tr_ceil},
            {"softplus", tr_softplus}, {"mish", tr_mish}, {"silu", tr_silu},
            {"hard_swish", tr_hard_swish}, {"hard_sigmoid", tr_hard_sigmoid},
            {"swish", tr_swish}, {"leaky_relu", tr_leaky_relu}, {"prelu", tr_prelu},
            {"gelu", tr_gelu}, {"elu", tr_elu}, {"clip", tr_clip});
