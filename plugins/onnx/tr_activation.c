/* tr_activation.c - elementwise activations and math functions. */
#include <config.h>

#include <string.h>

#include "onnx.h"

/* One input, one IR op of the same meaning (user: the IR type). */
static enum mo_status tr_unary(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    return mo_build_done(b, mo_build_op(b, (const char *)user, NULL, 1, x));
}

static double attr_f(const struct mo_node *fw, const char *name, double dflt)
{
    return mo_node_get_float(fw, name, dflt, NULL);
}

static enum mo_status tr_leaky_relu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value a = mo_build_scalar(b, "alpha", mo_value_et(x), attr_f(fw, "alpha", 0.01));
    a = mo_build_reshape(b, "alpha_1d", a, (int64_t[]){1}, 1, false);
    return mo_build_done(b, mo_build_op(b, "PRelu", NULL, 2, x, a));
}

/* PRelu: ONNX broadcasts slope numpy-style (from opset 7; before, it has
 * the input's shape or one value), while the IR reads a 1-D slope of C
 * values as per-channel (dim 1) whatever the data's last dim.  A slope of
 * lower rank gets leading 1s, so the IR meets numpy broadcasting too. */
static enum mo_status tr_prelu(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value s = mo_build_in(b, 1, "slope");
    struct mo_shape ss = mo_value_shape(s);
    int xr = mo_value_shape(x).rank;
    if (ss.rank >= 0 && xr >= 0 && ss.rank < xr && !(mo_shape_is_static(&ss) && mo_shape_numel(&ss) == 1))
        s = mo_build_align_numpy(b, "slope_aligned", s, xr);
    return mo_build_done(b, mo_build_op(b, "PRelu", NULL, 2, x, s));
}

static enum mo_status tr_elu(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value y = mo_build_op(b, "Elu", NULL, 1, x);
    return mo_build_done(b, mo_build_set_float(b, y, "alpha", attr_f(fw, "alpha", 1.0)));
}

/* Celu(x) = max(0, x) + min(0, alpha * (exp(x / alpha) - 1)) = alpha * Elu(x / alpha). */
static enum mo_status tr_celu(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    double alpha = attr_f(fw, "alpha", 1.0);
    if (alpha == 1.0)
        return mo_build_done(b, mo_build_set_float(b, mo_build_op(b, "Elu", NULL, 1, x), "alpha", 1.0));
    struct mo_value a = mo_build_scalar(b, "alpha", mo_value_et(x), alpha);
    struct mo_value xs = mo_build_op(b, "Divide", "scaled", 2, x, a);
    struct mo_value e = mo_build_set_float(b, mo_build_op(b, "Elu", "elu", 1, xs), "alpha", 1.0);
    return mo_build_done(b, mo_build_op(b, "Multiply", NULL, 2, e, a));
}

/* Selu: the IR takes alpha and lambda (ONNX's gamma) as inputs. */
static enum mo_status tr_selu(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    enum mo_etype et = mo_value_et(x);
    const struct mo_shape one = mo_shape_of(1);
    struct mo_value a = mo_build_const(b, "alpha", et, &one,
                                       (double[]){attr_f(fw, "alpha", 1.67326319217681884765625)});
    struct mo_value g = mo_build_const(b, "gamma", et, &one,
                                       (double[]){attr_f(fw, "gamma", 1.05070102214813232421875)});
    return mo_build_done(b, mo_build_op(b, "Selu", NULL, 3, x, a, g));
}

/* HardSigmoid: max(0, min(1, alpha * x + beta)), alpha and beta inputs of the IR op. */
static enum mo_status tr_hard_sigmoid(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    enum mo_etype et = mo_value_et(x);
    struct mo_value a = mo_build_scalar(b, "alpha", et, attr_f(fw, "alpha", 0.2));
    struct mo_value be = mo_build_scalar(b, "beta", et, attr_f(fw, "beta", 0.5));
    return mo_build_done(b, mo_build_op(b, "HardSigmoid", NULL, 3, x, a, be));
}

/* ThresholdedRelu: x where x > alpha, else 0. */
static enum mo_status tr_thresholded_relu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                          struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    enum mo_etype et = mo_value_et(x);
    struct mo_value a = mo_build_scalar(b, "alpha", et, attr_f(fw, "alpha", 1.0));
    struct mo_value zero = mo_build_scalar(b, "zero", et, 0.0);
    struct mo_value above = mo_build_op(b, "Greater", "above", 2, x, a);
    return mo_build_done(b, mo_build_op(b, "Select", NULL, 3, above, x, zero));
}

/* Shrink: x - bias where x > lambd, x + bias where x < -lambd, else 0. */
static enum mo_status tr_shrink(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    enum mo_etype et = mo_value_et(x);
    double lambd = attr_f(fw, "lambd", 0.5), bias = attr_f(fw, "bias", 0.0);
    struct mo_value lo = mo_build_scalar(b, "neg_lambd", et, -lambd);
    struct mo_value hi = mo_build_scalar(b, "lambd", et, lambd);
    struct mo_value bv = mo_build_scalar(b, "bias", et, bias);
    struct mo_value zero = mo_build_scalar(b, "zero", et, 0.0);
    struct mo_value below = mo_build_op(b, "Less", "below", 2, x, lo);
    struct mo_value above = mo_build_op(b, "Greater", "above", 2, x, hi);
    struct mo_value plus = mo_build_op(b, "Add", "plus_bias", 2, x, bv);
    struct mo_value minus = mo_build_op(b, "Subtract", "minus_bias", 2, x, bv);
    struct mo_value low = mo_build_op(b, "Select", "low", 3, below, plus, zero);
    return mo_build_done(b, mo_build_op(b, "Select", NULL, 3, above, minus, low));
}

/* The experimental activations of opsets 1-9 (gone in 10), each a*f(b*x)
 * (user: "Affine" a*x + b, "ScaledTanh" a*tanh(b*x), "ParametricSoftplus"
 * a*ln(1 + exp(b*x))). */
static enum mo_status tr_scaled(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    const char *kind = user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    enum mo_etype et = mo_value_et(x);
    bool affine = !strcmp(kind, "Affine");
    double alpha = attr_f(fw, "alpha", 1.0), beta = attr_f(fw, "beta", affine ? 0.0 : 1.0);
    struct mo_value a = mo_build_scalar(b, "alpha", et, alpha);
    struct mo_value be = mo_build_scalar(b, "beta", et, beta);
    if (affine) {
        struct mo_value ax = mo_build_op(b, "Multiply", "scaled", 2, x, a);
        return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, ax, be));
    }
    struct mo_value bx = mo_build_op(b, "Multiply", "scaled", 2, x, be);
    struct mo_value fx = mo_build_op(b, !strcmp(kind, "ScaledTanh") ? "Tanh" : "SoftPlus", "inner", 1, bx);
    return mo_build_done(b, mo_build_op(b, "Multiply", NULL, 2, fx, a));
}

static enum mo_status tr_reciprocal(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value one = mo_build_scalar(b, "one", mo_value_et(x), 1.0);
    return mo_build_done(b, mo_build_op(b, "Divide", NULL, 2, one, x));
}

/* Round: halves go to the even neighbour. */
static enum mo_status tr_round(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    return mo_build_done(b, mo_build_set_str(b, mo_build_op(b, "Round", NULL, 1, x), "mode", "half_to_even"));
}

static enum mo_status tr_isinf(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value y = mo_build_op(b, "IsInf", NULL, 1, x);
    mo_build_set_bool(b, y, "detect_negative", mo_node_get_int(fw, "detect_negative", 1, NULL) != 0);
    return mo_build_done(b, mo_build_set_bool(b, y, "detect_positive",
                                              mo_node_get_int(fw, "detect_positive", 1, NULL) != 0));
}

/* Clip: min/max attributes before opset 11, optional inputs from it. */
static enum mo_status tr_clip(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    if (user) {
        struct mo_value y = mo_build_op(b, "Clamp", NULL, 1, x);
        mo_build_set_float(b, y, "min", mo_node_get_float(fw, "min", -3.4028234663852886e38, NULL));
        return mo_build_done(b, mo_build_set_float(b, y, "max", mo_node_get_float(fw, "max", 3.4028234663852886e38, NULL)));
    }
    struct mo_value lo = mo_build_in_opt(b, 1), hi = mo_build_in_opt(b, 2);
    struct mo_tensor *tl = mo_value_const(lo), *th = mo_value_const(hi);
    if ((!lo.node || tl) && (!hi.node || th) && mo_etype_is_float(mo_value_et(x))) {
        struct mo_value y = mo_build_op(b, "Clamp", NULL, 1, x);
        mo_build_set_float(b, y, "min", tl ? mo_tensor_get_f64(tl, 0) : -3.4028234663852886e38);
        return mo_build_done(b, mo_build_set_float(b, y, "max", th ? mo_tensor_get_f64(th, 0) : 3.4028234663852886e38));
    }
    /* computed bounds, or integers (Clamp's bounds are doubles): Max then Min */
    struct mo_value y = x;
    if (lo.node)
        y = mo_build_op(b, "Maximum", hi.node ? "lower" : NULL, 2, y, lo);
    if (hi.node)
        y = mo_build_op(b, "Minimum", NULL, 2, y, hi);
    return mo_build_done(b, y);     /* no bounds: the input itself */
}

MO_OX_TABLE(mo_ox_tr_activation,
    {"Relu", 1, tr_unary, "Relu"},
    {"Sigmoid", 1, tr_unary, "Sigmoid"},
    {"Tanh", 1, tr_unary, "Tanh"},
    {"Exp", 1, tr_unary, "Exp"},
    {"Log", 1, tr_unary, "Log"},
    {"Sqrt", 1, tr_unary, "Sqrt"},
    {"Abs", 1, tr_unary, "Abs"},
    {"Neg", 1, tr_unary, "Negative"},
    {"Floor", 1, tr_unary, "Floor"},
    {"Ceil", 1, tr_unary, "Ceiling"},
    {"Erf", 9, tr_unary, "Erf"},
    {"Sin", 7, tr_unary, "Sin"},
    {"Cos", 7, tr_unary, "Cos"},
    {"Tan", 7, tr_unary, "Tan"},
    {"Asin", 7, tr_unary, "Asin"},
    {"Acos", 7, tr_unary, "Acos"},
    {"Atan", 7, tr_unary, "Atan"},
    {"Sinh", 9, tr_unary, "Sinh"},
    {"Cosh", 9, tr_unary, "Cosh"},
    {"Asinh", 9, tr_unary, "Asinh"},
    {"Acosh", 9, tr_unary, "Acosh"},
    {"Atanh", 9, tr_unary, "Atanh"},
    {"Sign", 9, tr_unary, "Sign"},
    {"Softplus", 1, tr_unary, "SoftPlus"},
    {"Softsign", 1, tr_unary, "SoftSign"},
    {"HardSwish", 14, tr_unary, "HSwish"},
    {"Mish", 18, tr_unary, "Mish"},
    {"IsNaN", 9, tr_unary, "IsNaN"},
    {"IsInf", 10, tr_isinf, NULL},
    {"Not", 1, tr_unary, "LogicalNot"},
    {"Reciprocal", 1, tr_reciprocal, NULL},
    {"Round", 11, tr_round, NULL},
    {"LeakyRelu", 1, tr_leaky_relu, NULL},
    {"PRelu", 1, tr_prelu, NULL},
    {"Elu", 1, tr_elu, NULL},
    {"Celu", 12, tr_celu, NULL},
    {"Selu", 1, tr_selu, NULL},
    {"HardSigmoid", 1, tr_hard_sigmoid, NULL},
    {"ThresholdedRelu", 1, tr_thresholded_relu, NULL},     /* experimental before 10, the same function */
    {"Affine", 1, tr_scaled, "Affine"},
    {"ScaledTanh", 1, tr_scaled, "ScaledTanh"},
    {"ParametricSoftplus", 1, tr_scaled, "ParametricSoftplus"},
    {"Shrink", 9, tr_shrink, NULL},
    {"Clip", 1, tr_clip, "attributes"},
    {"Clip", 11, tr_clip, NULL},
)
