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

static enum mo_status tr_leaky_relu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value a = mo_build_scalar(b, "alpha", mo_value_et(x), mo_node_get_float(fw, "alpha", 0.01, NULL));
    a = mo_build_reshape(b, "alpha_1d", a, (int64_t[]){1}, 1, false);
    return mo_build_done(b, mo_build_op(b, "PRelu", NULL, 2, x, a));
}

static enum mo_status tr_elu(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value y = mo_build_op(b, "Elu", NULL, 1, x);
    return mo_build_done(b, mo_build_set_float(b, y, "alpha", mo_node_get_float(fw, "alpha", 1.0, NULL)));
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
    {"Sign", 9, tr_unary, "Sign"},
    {"Softplus", 1, tr_unary, "SoftPlus"},
    {"HardSwish", 14, tr_unary, "HSwish"},
    {"Mish", 18, tr_unary, "Mish"},
    {"Not", 1, tr_unary, "LogicalNot"},
    {"LeakyRelu", 1, tr_leaky_relu, NULL},
    {"Elu", 1, tr_elu, NULL},
    {"Clip", 1, tr_clip, "attributes"},
    {"Clip", 11, tr_clip, NULL},
)
