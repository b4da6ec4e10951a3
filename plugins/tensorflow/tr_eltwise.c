/* tr_eltwise.c - binary elementwise ops (numpy broadcasting, as in
 * TensorFlow), activations and unary math. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "tf.h"

/* user: the IR op type. */
static enum mo_status tr_binary(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x"), y = mo_build_in(b, 1, "y");
    struct mo_value r = mo_build_op(b, user, NULL, 2, x, y);
    if (!strcmp(user, "Divide"))
        /* Div and RealDiv truncate integers; FloorDiv is the python one */
        mo_build_set_bool(b, r, "m_pythondiv", !strcmp(fw->type, "FloorDiv"));
    return mo_build_done(b, r);
}

/* FloorDiv: the floor of the quotient.  For integers (x - floormod(x, y))
 * / y, an exact division, since the runtime's integer Divide truncates
 * whatever m_pythondiv says. */
static enum mo_status tr_floordiv(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x"), y = mo_build_in(b, 1, "y");
    enum mo_etype et = mo_value_et(x);
    if (et == MO_ET_F32 || et == MO_ET_F16 || et == MO_ET_F64 || et == MO_ET_BF16) {
        struct mo_value q = mo_build_op(b, "Divide", "div", 2, x, y);
        return mo_build_done(b, mo_build_op(b, "Floor", NULL, 1, q));
    }
    struct mo_value m = mo_build_op(b, "FloorMod", "mod", 2, x, y);
    struct mo_value d = mo_build_op(b, "Subtract", "exact", 2, x, m);
    struct mo_value q = mo_build_op(b, "Divide", NULL, 2, d, y);
    return mo_build_done(b, mo_build_set_bool(b, q, "m_pythondiv", false));
}

/* AddN: a chain of Adds. */
static enum mo_status tr_addn(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value acc = mo_build_in(b, 0, "inputs");
    for (unsigned i = 1; i < fw->n_inputs; i++) {
        char sfx[32];
        snprintf(sfx, sizeof sfx, "sum%u", i);
        struct mo_value v = mo_build_in(b, i, "inputs");
        acc = mo_build_op(b, "Add", i + 1 == fw->n_inputs ? NULL : sfx, 2, acc, v);
    }
    return mo_build_done(b, acc);
}

/* user: the IR op type of a one-input op. */
static enum mo_status tr_unary(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x");
    return mo_build_done(b, mo_build_op(b, user, NULL, 1, x));
}

/* Erfc: 1 - erf(x) (tf.nn.gelu writes its exact form with it). */
static enum mo_status tr_erfc(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x");
    struct mo_value e = mo_build_op(b, "Erf", "erf", 1, x);
    struct mo_value one = mo_build_scalar(b, "one", mo_value_et(x), 1.0);
    return mo_build_done(b, mo_build_op(b, "Subtract", NULL, 2, one, e));
}

/* x to the power p (Rsqrt -0.5, Reciprocal -1), or x * x (Square). */
static enum mo_status tr_power(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x");
    if (!strcmp(fw->type, "Square"))
        return mo_build_done(b, mo_build_op(b, "Multiply", NULL, 2, x, x));
    double p = !strcmp(user, "rsqrt") ? -0.5 : -1.0;
    struct mo_value e = mo_build_scalar(b, "exponent", mo_value_et(x), p);
    return mo_build_done(b, mo_build_op(b, "Power", NULL, 2, x, e));
}

static enum mo_status tr_relu6(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value y = mo_build_op(b, "Clamp", NULL, 1, mo_build_in(b, 0, "features"));
    mo_build_set_float(b, y, "min", 0.0);
    return mo_build_done(b, mo_build_set_float(b, y, "max", 6.0));
}

static enum mo_status tr_elu(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value y = mo_build_op(b, "Elu", NULL, 1, mo_build_in(b, 0, "features"));
    return mo_build_done(b, mo_build_set_float(b, y, "alpha", 1.0));
}

/* Selu's constants are fixed in TensorFlow. */
static enum mo_status tr_selu(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "features");
    enum mo_etype et = mo_value_et(x);
    struct mo_value a = mo_build_scalar(b, "alpha", et, 1.6732632423543772848170429916717);
    struct mo_value l = mo_build_scalar(b, "lambda", et, 1.0507009873554804934193349852946);
    return mo_build_done(b, mo_build_op(b, "Selu", NULL, 3, x, a, l));
}

/* LeakyRelu: x for x > 0, alpha x below: PRelu with one slope. */
static enum mo_status tr_leaky_relu(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "features");
    struct mo_shape one = mo_shape_make(1, (int64_t[]){1});
    double alpha = mo_node_get_float(fw, "alpha", 0.2, NULL);
    struct mo_value s = mo_build_const(b, "alpha", mo_value_et(x), &one, &alpha);
    return mo_build_done(b, mo_build_op(b, "PRelu", NULL, 2, x, s));
}

/* Select (v1: a 1-D condition picks rows of the operands) and SelectV2
 * (numpy broadcasting of all three). */
static enum mo_status tr_select(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value c = mo_build_in(b, 0, "condition");
    struct mo_value x = mo_build_in(b, 1, "t"), y = mo_build_in(b, 2, "e");
    int cr = mo_value_shape(c).rank, xr = mo_value_shape(x).rank;
    if (!strcmp(fw->type, "Select") && cr == 1 && xr > 1) {
        int64_t axes[MO_MAX_RANK];
        for (int i = 0; i < xr - 1; i++)
            axes[i] = 1 + i;
        c = mo_build_unsqueeze(b, "condition", c, axes, xr - 1);
    }
    return mo_build_done(b, mo_build_op(b, "Select", NULL, 3, c, x, y));
}

/* ClipByValue(t, min, max): the bounds may be tensors that broadcast. */
static enum mo_status tr_clip(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "t");
    struct mo_value lo = mo_build_in(b, 1, "clip_value_min"), hi = mo_build_in(b, 2, "clip_value_max");
    struct mo_value y = mo_build_op(b, "Maximum", "min", 2, x, lo);
    return mo_build_done(b, mo_build_op(b, "Minimum", NULL, 2, y, hi));
}

/* Round: halves to even, as TensorFlow rounds. */
static enum mo_status tr_round(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value y = mo_build_op(b, "Round", NULL, 1, mo_build_in(b, 0, "x"));
    return mo_build_done(b, mo_build_set_str(b, y, "mode", "half_to_even"));
}

/* Log1p: log(1 + x); Expm1: exp(x) - 1.  Composed, so for |x| far below
 * 1e-4 they lose the relative precision TensorFlow's kernels keep. */
static enum mo_status tr_log1p_expm1(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x");
    struct mo_value one = mo_build_scalar(b, "one", mo_value_et(x), 1.0);
    if (user) {
        struct mo_value e = mo_build_op(b, "Exp", "exp", 1, x);
        return mo_build_done(b, mo_build_op(b, "Subtract", NULL, 2, e, one));
    }
    return mo_build_done(b, mo_build_op(b, "Log", NULL, 1, mo_build_op(b, "Add", "plus_one", 2, x, one)));
}

/* DivNoNan: x / y, and 0 where y is 0. */
static enum mo_status tr_div_no_nan(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x"), y = mo_build_in(b, 1, "y");
    struct mo_value zero = mo_build_scalar(b, "zero", mo_value_et(x), 0.0);
    struct mo_value q = mo_build_op(b, "Divide", "quotient", 2, x, y);
    struct mo_value z = mo_build_op(b, "Equal", "y_is_zero", 2, y, zero);
    return mo_build_done(b, mo_build_op(b, "Select", NULL, 3, z, zero, q));
}

static const char expm1_tag;

MO_TF_TABLE(mo_tf_tr_eltwise,
            {"Add", tr_binary, "Add"},
            {"AddV2", tr_binary, "Add"},
            {"Sub", tr_binary, "Subtract"},
            {"Mul", tr_binary, "Multiply"},
            {"RealDiv", tr_binary, "Divide"},
            {"Div", tr_binary, "Divide"},
            {"FloorDiv", tr_floordiv, NULL},
            {"FloorMod", tr_binary, "FloorMod"},
            {"Maximum", tr_binary, "Maximum"},
            {"Minimum", tr_binary, "Minimum"},
            {"Pow", tr_binary, "Power"},
            {"SquaredDifference", tr_binary, "SquaredDifference"},
            {"Equal", tr_binary, "Equal"},
            {"NotEqual", tr_binary, "NotEqual"},
            {"Less", tr_binary, "Less"},
            {"LessEqual", tr_binary, "LessEqual"},
            {"Greater", tr_binary, "Greater"},
            {"GreaterEqual", tr_binary, "GreaterEqual"},
            {"LogicalAnd", tr_binary, "LogicalAnd"},
            {"LogicalOr", tr_binary, "LogicalOr"},
            {"AddN", tr_addn, NULL},
            {"Relu", tr_unary, "Relu"},
            {"Relu6", tr_relu6, NULL},
            {"Sigmoid", tr_unary, "Sigmoid"},
            {"Tanh", tr_unary, "Tanh"},
            {"Elu", tr_elu, NULL},
            {"Selu", tr_selu, NULL},
            {"Softplus", tr_unary, "SoftPlus"},
            {"Softsign", tr_unary, "SoftSign"},
            {"LeakyRelu", tr_leaky_relu, NULL},
            {"Erf", tr_unary, "Erf"},
            {"Erfc", tr_erfc, NULL},
            {"Sqrt", tr_unary, "Sqrt"},
            {"Rsqrt", tr_power, "rsqrt"},
            {"Reciprocal", tr_power, "reciprocal"},
            {"Inv", tr_power, "reciprocal"},
            {"Square", tr_power, "square"},
            {"Exp", tr_unary, "Exp"},
            {"Log", tr_unary, "Log"},
            {"Neg", tr_unary, "Negative"},
            {"Abs", tr_unary, "Abs"},
            {"Floor", tr_unary, "Floor"},
            {"Ceil", tr_unary, "Ceiling"},
            {"Sign", tr_unary, "Sign"},
            {"Sin", tr_unary, "Sin"},
            {"Cos", tr_unary, "Cos"},
            {"LogicalNot", tr_unary, "LogicalNot"},
            {"Select", tr_select, NULL},
            {"SelectV2", tr_select, NULL},
            {"ClipByValue", tr_clip, NULL},
            {"Round", tr_round, NULL},
            {"Tan", tr_unary, "Tan"},
            {"Asin", tr_unary, "Asin"},
            {"Acos", tr_unary, "Acos"},
            {"Atan", tr_unary, "Atan"},
            {"Sinh", tr_unary, "Sinh"},
            {"Cosh", tr_unary, "Cosh"},
            {"Asinh", tr_unary, "Asinh"},
            {"Acosh", tr_unary, "Acosh"},
            {"Atanh", tr_unary, "Atanh"},
            {"IsNan", tr_unary, "IsNaN"},
            {"IsInf", tr_unary, "IsInf"},
            {"IsFinite", tr_unary, "IsFinite"},
            {"TruncateDiv", tr_binary, "Divide"},
            {"TruncateMod", tr_binary, "Mod"},
            {"Log1p", tr_log1p_expm1, NULL},
            {"Expm1", tr_log1p_expm1, &expm1_tag},
            {"DivNoNan", tr_div_no_nan, NULL},)
