/* tr_math.c - Paddle translators: elementwise extras, comparison, logical, math functions.
 *
 * Logical and bitwise ops, floor division, pow with a factor, cumsum,
 * add_n (legacy "sum"), where, the unary math functions the IR has no
 * single op for (rsqrt, log2, expm1...) and the shrink-style activations.
 * The plain binary ops and comparisons are in tr_eltwise.c, the common
 * activations in tr_activation.c, the reductions in tr_reduce.c. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paddle.h"

/* v as booleans (Paddle's logical ops take any type: non-zero is true). */
static struct mo_value as_bool(struct mo_build *b, const char *suffix, struct mo_value v)
{
    if (mo_value_et(v) == MO_ET_BOOLEAN)
        return v;
    return mo_build_convert(b, suffix, v, MO_ET_BOOLEAN);
}

/* --- logical, bitwise ------------------------------------------------------ */

static enum mo_status logical(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = as_bool(b, "x_bool", mo_pd_in(b, "X", 0));
    if (!strcmp(type, "LogicalNot"))
        return mo_pd_set_out(b, "Out", mo_build_op(b, type, NULL, 1, x));
    struct mo_value y = as_bool(b, "y_bool", mo_pd_in(b, "Y", 0));
    return mo_pd_set_out(b, "Out", mo_build_op(b, type, NULL, 2, x, y));
}

MO_PD_VARIANT(tr_logical_and, logical, "LogicalAnd")
MO_PD_VARIANT(tr_logical_or, logical, "LogicalOr")
MO_PD_VARIANT(tr_logical_xor, logical, "LogicalXor")
MO_PD_VARIANT(tr_logical_not, logical, "LogicalNot")

/* Paddle's bitwise ops broadcast numpy-style (no axis attribute). */
static enum mo_status bitwise(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    if (mo_etype_is_float(mo_value_et(x)))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "%s takes integer or bool tensors, not %s", mo_build_fw(b)->type,
                              mo_etype_name(mo_value_et(x)));
    if (!strcmp(type, "BitwiseNot"))
        return mo_pd_set_out(b, "Out", mo_build_op(b, type, NULL, 1, x));
    struct mo_value y = mo_pd_in(b, "Y", 0);
    return mo_pd_set_out(b, "Out", mo_build_op(b, type, NULL, 2, x, y));
}

MO_PD_VARIANT(tr_bitwise_and, bitwise, "BitwiseAnd")
MO_PD_VARIANT(tr_bitwise_or, bitwise, "BitwiseOr")
MO_PD_VARIANT(tr_bitwise_xor, bitwise, "BitwiseXor")
MO_PD_VARIANT(tr_bitwise_not, bitwise, "BitwiseNot")

/* --- floor division, pow ------------------------------------------------------ */

/* x and y of a legacy elementwise op, y lined up by the axis attribute. */
static void eltwise_in(struct mo_build *b, const struct mo_node *fw, struct mo_value *x,
                       struct mo_value *y)
{
    *x = mo_pd_in(b, "X", 0);
    *y = mo_pd_in(b, "Y", 0);
    int xr = mo_value_shape(*x).rank, yr = mo_value_shape(*y).rank;
    int64_t axis = mo_node_get_int(fw, "axis", -1, NULL);
    if (axis >= 0 && xr >= 0 && yr >= 0 && yr < xr)
        *y = mo_build_align_axis(b, "y_aligned", *y, (int)axis, xr);
    else if (axis >= 0 && xr >= 0 && yr > xr)
        *x = mo_build_align_axis(b, "x_aligned", *x, (int)axis, yr);
}

/* floor(x / y).  Floats: Floor of the true quotient.  Integers: (x -
 * floormod(x, y)) / y, an exact division, so truncating it is flooring;
 * Divide's own m_pythondiv rounding is not used: OpenVINO's CPU plugin
 * gets some negative quotients wrong with it (2 / -3 gives 0). */
static enum mo_status tr_floordiv(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x, y;
    eltwise_in(b, fw, &x, &y);
    if (mo_etype_is_float(mo_value_et(x))) {
        struct mo_value q = mo_build_op(b, "Divide", "div", 2, x, y);
        return mo_pd_set_out(b, "Out", mo_build_op(b, "Floor", NULL, 1, q));
    }
    struct mo_value m = mo_build_op(b, "FloorMod", "mod", 2, x, y);
    struct mo_value d = mo_build_op(b, "Subtract", "multiple", 2, x, m);
    struct mo_value q = mo_build_op(b, "Divide", NULL, 2, d, y);
    return mo_pd_set_out(b, "Out", mo_build_set_bool(b, q, "m_pythondiv", false));
}

/* pow: x ** factor, the factor an attribute or a FactorTensor. */
static enum mo_status tr_pow(struct mo_tctx *t, const struct mo_node *fw, void *user,
                             struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    enum mo_etype et = mo_value_et(x);
    struct mo_value f = mo_pd_in_opt(b, "FactorTensor", 0);
    if (f.node)
        f = mo_pd_scalar(b, "factor", f, et);
    else
        f = mo_build_scalar(b, "factor", et, mo_node_get_float(fw, "factor", 1.0, NULL));
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Power", NULL, 2, x, f));
}

/* --- cumsum, add_n, where ---------------------------------------------------------- */

static enum mo_status tr_cumsum(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t axis = mo_node_get_int(fw, "axis", -1, NULL);
    struct mo_value at = mo_pd_in_opt(b, "axis", 0); /* PIR: computed at run time */
    if (mo_node_get_bool(fw, "flatten", false, NULL)) {
        /* Paddle sums the flattened tensor; the result stays 1-D */
        x = mo_build_reshape(b, "flat", x, (int64_t[]){-1}, 1, false);
        axis = 0;
        at = MO_NO_VALUE;
    } else if (!at.node) {
        axis = mo_pd_axis(b, "axis", -1, mo_value_shape(x).rank);
    }
    struct mo_value a = at.node ? mo_pd_scalar(b, "axis", at, MO_ET_I64)
                                : mo_build_i64_scalar(b, "axis", axis);
    struct mo_value y = mo_build_op(b, "CumSum", NULL, 2, x, a);
    mo_build_set_bool(b, y, "exclusive", mo_node_get_bool(fw, "exclusive", false, NULL));
    return mo_pd_set_out(b, "Out",
                         mo_build_set_bool(b, y, "reverse", mo_node_get_bool(fw, "reverse", false, NULL)));
}

/* legacy "sum" (add_n): the sum of every X. */
static enum mo_status tr_add_n(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    unsigned n = mo_pd_in_count(fw, "X");
    if (n == 0)
        return mo_build_error(b, MO_ERR_FORMAT, 2, "sum (add_n) has no X inputs");
    struct mo_value acc = mo_pd_in(b, "X", 0);
    if (n == 1) /* an op of its own, so that the output has a node to name */
        return mo_pd_set_out(b, "Out", mo_build_convert(b, NULL, acc, mo_value_et(acc)));
    for (unsigned k = 1; k < n; k++) {
        char sfx[32];
        snprintf(sfx, sizeof sfx, "add%u", k);
        acc = mo_build_op(b, "Add", k + 1 == n ? NULL : sfx, 2, acc, mo_pd_in(b, "X", k));
    }
    return mo_pd_set_out(b, "Out", acc);
}

static enum mo_status tr_where(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value c = as_bool(b, "cond_bool", mo_pd_in(b, "Condition", 0));
    struct mo_value x = mo_pd_in(b, "X", 0), y = mo_pd_in(b, "Y", 0);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Select", NULL, 3, c, x, y));
}

/* --- unary math ------------------------------------------------------------------- */


MO_PD_VARIANT(tr_sin, mo_pd_unary, "Sin")
MO_PD_VARIANT(tr_cos, mo_pd_unary, "Cos")
MO_PD_VARIANT(tr_tan, mo_pd_unary, "Tan")
MO_PD_VARIANT(tr_asin, mo_pd_unary, "Asin")
MO_PD_VARIANT(tr_acos, mo_pd_unary, "Acos")
MO_PD_VARIANT(tr_atan, mo_pd_unary, "Atan")
MO_PD_VARIANT(tr_sinh, mo_pd_unary, "Sinh")
MO_PD_VARIANT(tr_cosh, mo_pd_unary, "Cosh")
MO_PD_VARIANT(tr_asinh, mo_pd_unary, "Asinh")
MO_PD_VARIANT(tr_acosh, mo_pd_unary, "Acosh")
MO_PD_VARIANT(tr_atanh, mo_pd_unary, "Atanh")
MO_PD_VARIANT(tr_erf, mo_pd_unary, "Erf")
MO_PD_VARIANT(tr_sign, mo_pd_unary, "Sign")
MO_PD_VARIANT(tr_softsign, mo_pd_unary, "SoftSign")

/* The float tests: integers are never NaN or infinite (Paddle answers
 * false / false / true for them). */
static enum mo_status is_class(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    if (!mo_etype_is_float(mo_value_et(x)))
        x = mo_build_convert(b, "as_float", x, MO_ET_F32);
    return mo_pd_set_out(b, "Out", mo_build_op(b, type, NULL, 1, x));
}

MO_PD_VARIANT(tr_isnan, is_class, "IsNaN")
MO_PD_VARIANT(tr_isinf, is_class, "IsInf")
MO_PD_VARIANT(tr_isfinite, is_class, "IsFinite")

/* f(x) op c for an op of x and a scalar of x's type: kind 'm' Multiply,
 * 'a' Add, 's' Subtract, 'd' c / x (Divide). */
static struct mo_value with_const(struct mo_build *b, const char *suffix, struct mo_value x,
                                  char kind, double c)
{
    char cs[48];
    snprintf(cs, sizeof cs, "%s_const", suffix ? suffix : "out");
    struct mo_value k = mo_build_scalar(b, cs, mo_value_et(x), c);
    switch (kind) {
    case 'm': return mo_build_op(b, "Multiply", suffix, 2, x, k);
    case 'a': return mo_build_op(b, "Add", suffix, 2, x, k);
    case 's': return mo_build_op(b, "Subtract", suffix, 2, x, k);
    default: return mo_build_op(b, "Divide", suffix, 2, k, x);
    }
}

enum unary_kind { U_RSQRT, U_RECIP, U_SQUARE, U_LOG1P, U_LOG2, U_LOG10, U_EXPM1, U_TANH_SHRINK,
                  U_LOGSIGMOID };

static enum mo_status composed(struct mo_tctx *t, const struct mo_node *fw, enum unary_kind k,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0), y = MO_NO_VALUE;
    switch (k) {
    case U_RSQRT:
        y = with_const(b, NULL, mo_build_op(b, "Sqrt", "sqrt", 1, x), 'd', 1.0);
        break;
    case U_RECIP:
        y = with_const(b, NULL, x, 'd', 1.0);
        break;
    case U_SQUARE:
        y = mo_build_op(b, "Multiply", NULL, 2, x, x);
        break;
    case U_LOG1P:
        y = mo_build_op(b, "Log", NULL, 1, with_const(b, "plus1", x, 'a', 1.0));
        break;
    case U_LOG2:
        y = with_const(b, NULL, mo_build_op(b, "Log", "ln", 1, x), 'm', 1.0 / log(2.0));
        break;
    case U_LOG10:
        y = with_const(b, NULL, mo_build_op(b, "Log", "ln", 1, x), 'm', 1.0 / log(10.0));
        break;
    case U_EXPM1:
        y = with_const(b, NULL, mo_build_op(b, "Exp", "exp", 1, x), 's', 1.0);
        break;
    case U_TANH_SHRINK:
        y = mo_build_op(b, "Subtract", NULL, 2, x, mo_build_op(b, "Tanh", "tanh", 1, x));
        break;
    case U_LOGSIGMOID:
        /* -softplus(-x): no log of a vanishing sigmoid for large -x */
        y = mo_build_op(b, "Negative", "neg", 1, x);
        y = mo_build_op(b, "SoftPlus", "softplus", 1, y);
        y = mo_build_op(b, "Negative", NULL, 1, y);
        break;
    }
    return mo_pd_set_out(b, "Out", y);
}

MO_PD_VARIANT(tr_rsqrt, composed, U_RSQRT)
MO_PD_VARIANT(tr_reciprocal, composed, U_RECIP)
MO_PD_VARIANT(tr_square, composed, U_SQUARE)
MO_PD_VARIANT(tr_log1p, composed, U_LOG1P)
MO_PD_VARIANT(tr_log2, composed, U_LOG2)
MO_PD_VARIANT(tr_log10, composed, U_LOG10)
MO_PD_VARIANT(tr_expm1, composed, U_EXPM1)
MO_PD_VARIANT(tr_tanh_shrink, composed, U_TANH_SHRINK)
MO_PD_VARIANT(tr_logsigmoid, composed, U_LOGSIGMOID)

/* round: Paddle 3.3 rounds halves to even (0.5 -> 0, 2.5 -> 2, -2.5 -> -2
 * in both formats; older Paddle used std::round, away from zero);
 * `decimals` scales by 10^d first and back after, as Paddle does (a
 * division for d < 0). */
static enum mo_status tr_round(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t d = mo_node_get_int(fw, "decimals", 0, NULL);
    if (d < -30 || d > 30)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "round decimals=%lld is out of the supported range [-30, 30]",
                              (long long)d);
    if (!mo_etype_is_float(mo_value_et(x)))
        return mo_pd_set_out(b, "Out", mo_build_convert(b, NULL, x, mo_value_et(x)));
    double p = pow(10.0, (double)(d < 0 ? -d : d));
    if (d > 0)
        x = with_const(b, "scaled", x, 'm', p);
    else if (d < 0)
        x = mo_build_op(b, "Divide", "scaled", 2, x, mo_build_scalar(b, "scale", mo_value_et(x), p));
    struct mo_value y = mo_build_op(b, "Round", d ? "round" : NULL, 1, x);
    mo_build_set_str(b, y, "mode", "half_to_even");
    if (d > 0)
        y = mo_build_op(b, "Divide", NULL, 2, y, mo_build_scalar(b, "unscale", mo_value_et(x), p));
    else if (d < 0)
        y = with_const(b, NULL, y, 'm', p);
    return mo_pd_set_out(b, "Out", y);
}

/* --- shrink-style activations -------------------------------------------------------- */

/* softshrink: x - clamp(x, -l, l) is x - l above l, x + l below -l, 0 between. */
static enum mo_status tr_softshrink(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    double l = mo_node_get_float(fw, "lambda", 0.5, NULL);
    if (l < 0)
        return mo_build_error(b, MO_ERR_FORMAT, 2, "softshrink lambda=%g must be >= 0", l);
    struct mo_value c = mo_build_op(b, "Clamp", "clamp", 1, x);
    mo_build_set_float(b, c, "min", -l);
    mo_build_set_float(b, c, "max", l);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Subtract", NULL, 2, x, c));
}

/* hard_shrink: x where |x| > threshold, else 0. */
static enum mo_status tr_hard_shrink(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                     struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    enum mo_etype et = mo_value_et(x);
    double th = mo_node_get_float(fw, "threshold", 0.5, NULL);
    struct mo_value a = mo_build_op(b, "Abs", "abs", 1, x);
    struct mo_value m = mo_build_op(b, "Greater", "mask", 2, a, mo_build_scalar(b, "threshold", et, th));
    return mo_pd_set_out(b, "Out",
                         mo_build_op(b, "Select", NULL, 3, m, x, mo_build_scalar(b, "zero", et, 0.0)));
}

/* thresholded_relu: x where x > threshold, else value. */
static enum mo_status tr_thresholded_relu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                          struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    enum mo_etype et = mo_value_et(x);
    double th = mo_node_get_float(fw, "threshold", 1.0, NULL);
    double v = mo_node_get_float(fw, "value", 0.0, NULL);
    struct mo_value m = mo_build_op(b, "Greater", "mask", 2, x, mo_build_scalar(b, "threshold", et, th));
    return mo_pd_set_out(b, "Out",
                         mo_build_op(b, "Select", NULL, 3, m, x, mo_build_scalar(b, "value", et, v)));
}

static enum mo_status tr_selu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    enum mo_etype et = mo_value_et(x);
    double scale = mo_node_get_float(fw, "scale", 1.0507009873554804934193349852946, NULL);
    double alpha = mo_node_get_float(fw, "alpha", 1.6732632423543772848170429916717, NULL);
    struct mo_value a = mo_build_const(b, "alpha", et, &(struct mo_shape){1, {1}}, &alpha);
    struct mo_value l = mo_build_const(b, "lambda", et, &(struct mo_shape){1, {1}}, &scale);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Selu", NULL, 3, x, a, l));
}

/* celu(x, a) = max(0, x) + min(0, a (exp(x / a) - 1)) = a * elu(x / a). */
static enum mo_status tr_celu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    double a = mo_node_get_float(fw, "alpha", 1.0, NULL);
    if (a == 0)
        return mo_build_error(b, MO_ERR_FORMAT, 2, "celu alpha must not be 0");
    if (a != 1.0)
        x = with_const(b, "scaled", x, 'm', 1.0 / a);
    struct mo_value y = mo_build_op(b, "Elu", a != 1.0 ? "elu" : NULL, 1, x);
    mo_build_set_float(b, y, "alpha", 1.0);
    if (a != 1.0)
        y = with_const(b, NULL, y, 'm', a);
    return mo_pd_set_out(b, "Out", y);
}


/* --- more elementwise functions ---------------------------------------------------------- */

/* atan2(X1, X2) = atan(x1 / x2), moved by +-pi where x2 < 0 (to the side
 * of x1's sign; x1 = +0 counts as positive, as in C's atan2). */
static enum mo_status tr_atan2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value y = mo_pd_in(b, "X1", 0), x = mo_pd_in(b, "X2", 0);
    enum mo_etype et = mo_value_et(y);
    if (!mo_etype_is_float(et))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "atan2 takes float tensors, not %s",
                              mo_etype_name(et));
    struct mo_value zero = mo_build_scalar(b, "zero", et, 0.0);
    struct mo_value a = mo_build_op(b, "Atan", "atan", 1, mo_build_op(b, "Divide", "ratio", 2, y, x));
    struct mo_value pos = mo_build_op(b, "GreaterEqual", "y_nonneg", 2, y, zero);
    struct mo_value turn = mo_build_op(b, "Select", "half_turn", 3, pos,
                                       mo_build_scalar(b, "pi", et, M_PI),
                                       mo_build_scalar(b, "minus_pi", et, -M_PI));
    struct mo_value neg = mo_build_op(b, "Less", "x_neg", 2, x, zero);
    struct mo_value adj = mo_build_op(b, "Select", "adjust", 3, neg, turn, zero);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Add", NULL, 2, a, adj));
}

/* trunc: towards zero, sign(x) * floor(|x|); integers are kept. */
static enum mo_status tr_trunc(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    if (!mo_etype_is_float(mo_value_et(x)))
        return mo_pd_set_out(b, "Out", mo_build_convert(b, NULL, x, mo_value_et(x)));
    struct mo_value f = mo_build_op(b, "Floor", "floor", 1, mo_build_op(b, "Abs", "abs", 1, x));
    struct mo_value sg = mo_build_op(b, "Sign", "sign", 1, x);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Multiply", NULL, 2, sg, f));
}

/* fmax / fmin: Maximum / Minimum that ignore a NaN operand (the other
 * one wins), as C's fmax does. */
static enum mo_status fextreme(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x, y;
    eltwise_in(b, fw, &x, &y);
    if (!mo_etype_is_float(mo_value_et(x)))
        return mo_pd_set_out(b, "Out", mo_build_op(b, type, NULL, 2, x, y));
    struct mo_value m = mo_build_op(b, type, "plain", 2, x, y);
    m = mo_build_op(b, "Select", "y_nan", 3, mo_build_op(b, "IsNaN", "y_isnan", 1, y), x, m);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Select", NULL, 3,
                                               mo_build_op(b, "IsNaN", "x_isnan", 1, x), y, m));
}

MO_PD_VARIANT(tr_fmax, fextreme, "Maximum")
MO_PD_VARIANT(tr_fmin, fextreme, "Minimum")

/* heaviside(x, y): 0 for x < 0, y where x == 0, 1 for x > 0. */
static enum mo_status tr_heaviside(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x, y;
    eltwise_in(b, fw, &x, &y);
    enum mo_etype et = mo_value_et(x);
    struct mo_value zero = mo_build_scalar(b, "zero", et, 0.0);
    struct mo_value step = mo_build_op(b, "Select", "step", 3,
                                       mo_build_op(b, "Greater", "pos", 2, x, zero),
                                       mo_build_scalar(b, "one", et, 1.0), zero);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Select", NULL, 3,
                                               mo_build_op(b, "Equal", "at_zero", 2, x, zero), y, step));
}

/* lerp: x + weight * (y - x), the weight a tensor (broadcast). */
static enum mo_status tr_lerp(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0), y = mo_pd_in(b, "Y", 0);
    struct mo_value w = mo_pd_in(b, "Weight", 0);
    if (mo_value_et(w) != mo_value_et(x))
        w = mo_build_convert(b, "weight", w, mo_value_et(x));
    struct mo_value d = mo_build_op(b, "Subtract", "diff", 2, y, x);
    struct mo_value s = mo_build_op(b, "Multiply", "step", 2, w, d);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Add", NULL, 2, x, s));
}

/* stanh: scale_b * tanh(scale_a * x). */
static enum mo_status tr_stanh(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    double sa = mo_node_get_float(fw, "scale_a", 0.67, NULL);
    double sb = mo_node_get_float(fw, "scale_b", 1.7159, NULL);
    struct mo_value y = mo_build_op(b, "Tanh", "tanh", 1, with_const(b, "scaled", x, 'm', sa));
    return mo_pd_set_out(b, "Out", with_const(b, NULL, y, 'm', sb));
}

/* logit: log(x / (1 - x)), x first clamped to [eps, 1 - eps] when eps > 0. */
static enum mo_status tr_logit(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    double eps = mo_node_get_float(fw, "eps", 0.0, NULL);
    if (eps > 0) {
        x = mo_build_op(b, "Clamp", "clamped", 1, x);
        mo_build_set_float(b, x, "min", eps);
        mo_build_set_float(b, x, "max", 1.0 - eps);
    }
    struct mo_value one_minus = mo_build_op(b, "Subtract", "one_minus", 2,
                                            mo_build_scalar(b, "one", mo_value_et(x), 1.0), x);
    struct mo_value r = mo_build_op(b, "Divide", "odds", 2, x, one_minus);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Log", NULL, 1, r));
}

/* brelu (PIR hardtanh): clamp to [t_min, t_max]. */
static enum mo_status tr_brelu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    double lo = mo_node_get_float(fw, "t_min", 0.0, NULL);
    double hi = mo_node_get_float(fw, "t_max", 24.0, NULL);
    if (lo > hi)
        return mo_build_error(b, MO_ERR_FORMAT, 2, "brelu t_min=%g is above t_max=%g", lo, hi);
    struct mo_value y = mo_build_op(b, "Clamp", NULL, 1, x);
    mo_build_set_float(b, y, "min", lo);
    return mo_pd_set_out(b, "Out", mo_build_set_float(b, y, "max", hi));
}

/* rrelu at inference (is_test): a leaky relu of slope (lower + upper) / 2. */
static enum mo_status tr_rrelu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    if (!mo_node_get_bool(fw, "is_test", true, NULL))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "rrelu with is_test=false (random slopes, training) is not supported");
    double lo = mo_node_get_float(fw, "lower", 1.0 / 8, NULL);
    double hi = mo_node_get_float(fw, "upper", 1.0 / 3, NULL);
    struct mo_value s = mo_build_const(b, "slope", mo_value_et(x), &(struct mo_shape){1, {1}},
                                       &(double){(lo + hi) / 2});
    return mo_pd_set_out(b, "Out", mo_build_op(b, "PRelu", NULL, 2, x, s));
}

/* logcumsumexp: log(cumsum(exp(x - m))) + m, m the max along the axis
 * (whole tensor with flatten): exp cannot overflow. */
static enum mo_status tr_logcumsumexp(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t axis;
    if (mo_node_get_bool(fw, "flatten", false, NULL)) {
        x = mo_build_reshape(b, "flat", x, (int64_t[]){-1}, 1, false);
        axis = 0;
    } else {
        axis = mo_pd_axis(b, "axis", -1, mo_value_shape(x).rank);
    }
    struct mo_value m = mo_build_op(b, "ReduceMax", "max", 2, x, mo_build_i64(b, "max_axes", &axis, 1));
    mo_build_set_bool(b, m, "keep_dims", true);
    struct mo_value e = mo_build_op(b, "Exp", "exp", 1, mo_build_op(b, "Subtract", "shifted", 2, x, m));
    struct mo_value c = mo_build_op(b, "CumSum", "cumsum", 2, e, mo_build_i64_scalar(b, "axis", axis));
    mo_build_set_bool(b, c, "exclusive", mo_node_get_bool(fw, "exclusive", false, NULL));
    mo_build_set_bool(b, c, "reverse", mo_node_get_bool(fw, "reverse", false, NULL));
    struct mo_value l = mo_build_op(b, "Log", "log", 1, c);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Add", NULL, 2, l, m));
}

/* cumprod along `dim`: the running products, one Multiply per position
 * (the IR has no cumulative product); needs a static length along dim. */
static enum mo_status tr_cumprod(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_shape xs = mo_value_shape(x);
    int axis = mo_pd_axis(b, "dim", -1, xs.rank);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int64_t n = xs.dims[axis];
    if (n == MO_DYN || n < 1 || n > 256)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "cumprod needs a static length of 1..256 along dim %d (got %lld)", axis,
                              (long long)n);
    bool excl = mo_node_get_bool(fw, "exclusive", false, NULL);
    bool rev = mo_node_get_bool(fw, "reverse", false, NULL);
    struct mo_value part[256];
    struct mo_value acc = MO_NO_VALUE;
    for (int64_t k = 0; k < n; k++) {
        int64_t i = rev ? n - 1 - k : k;
        char sfx[32];
        snprintf(sfx, sizeof sfx, "at%lld", (long long)i);
        struct mo_value s = mo_build_slice(b, sfx, x, &i, (int64_t[]){i + 1}, (int64_t[]){1},
                                           (int64_t[]){axis}, 1);
        struct mo_value prev = acc;
        snprintf(sfx, sizeof sfx, "prod%lld", (long long)i);
        acc = k == 0 ? s : mo_build_op(b, "Multiply", sfx, 2, acc, s);
        if (excl) {
            snprintf(sfx, sizeof sfx, "one%lld", (long long)i);
            /* the first exclusive product is 1: s ** 0 (1 also for s = 0) */
            part[i] = k == 0 ? mo_build_op(b, "Power", sfx, 2, s,
                                           mo_build_scalar(b, "zero", mo_value_et(x), 0.0))
                             : prev;
        } else {
            part[i] = acc;
        }
    }
    if (n == 1 && !excl)
        return mo_pd_set_out(b, "Out", mo_build_convert(b, NULL, part[0], mo_value_et(x)));
    return mo_pd_set_out(b, "Out", mo_build_concat(b, NULL, axis, (unsigned)n, part));
}

/* maxout: channels in groups of `groups`, the max of each group. */
static enum mo_status tr_maxout(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_shape xs = mo_value_shape(x);
    int64_t g = mo_node_get_int(fw, "groups", 1, NULL);
    int axis = mo_pd_axis(b, "axis", 1, xs.rank);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int64_t c = xs.dims[axis];
    if (g < 1 || c == MO_DYN || c % g || xs.rank + 1 > MO_MAX_RANK)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "maxout groups=%lld must divide a static channel count (got %lld)",
                              (long long)g, (long long)c);
    /* dims before the axis are copied (special zero: they may be dynamic);
     * those after it shift by one, so they must be static but for one -1 */
    int64_t d[MO_MAX_RANK];
    int dyn_after = 0;
    for (int i = 0, j = 0; i < xs.rank; i++) {
        if (i == axis) {
            d[j++] = c / g;
            d[j++] = g;
        } else if (i < axis) {
            d[j++] = 0;
        } else {
            dyn_after += xs.dims[i] == MO_DYN;
            d[j++] = xs.dims[i] == MO_DYN ? -1 : xs.dims[i];
        }
    }
    if (dyn_after > 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "maxout needs static dims after axis %d (all but one)", axis);
    struct mo_value r = mo_build_reshape(b, "grouped", x, d, xs.rank + 1, true);
    struct mo_value y = mo_build_op(b, "ReduceMax", NULL, 2, r,
                                    mo_build_i64(b, "axes", (int64_t[]){axis + 1}, 1));
    return mo_pd_set_out(b, "Out", mo_build_set_bool(b, y, "keep_dims", false));
}


/* A tolerance of isclose / allclose: the tensor in slot `tslot` (legacy)
 * or `aslot` (PIR, computed), else the attribute `attr`, which legacy
 * programs store as a string ("1e-05") and PIR as a number. */
static struct mo_value tolerance(struct mo_build *b, const struct mo_node *fw, const char *tslot,
                                 const char *attr, double dflt, enum mo_etype et)
{
    struct mo_value v = mo_pd_in_opt(b, tslot, 0);
    if (!v.node)
        v = mo_pd_in_opt(b, attr, 0);
    if (v.node)
        return mo_pd_scalar(b, attr, v, et);
    const struct mo_attr *a = mo_node_attr(fw, attr);
    double x = dflt;
    if (a && a->kind == MO_ATTR_STRING) {
        char *end;
        x = strtod(a->u.s, &end);
        if (end == a->u.s || *end) {
            mo_build_error(b, MO_ERR_FORMAT, 2, "%s attribute %s='%s' is not a number", fw->type,
                           attr, a->u.s);
            return MO_NO_VALUE;
        }
    } else if (a) {
        x = mo_node_get_float(fw, attr, dflt, NULL);
    }
    return mo_build_scalar(b, attr, et, x);
}

/* isclose: |x - y| <= atol + rtol |y|, or x == y (equal infinities), or
 * both NaN with equal_nan; allclose: all of it. */
static enum mo_status close_to(struct mo_tctx *t, const struct mo_node *fw, const char *all,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "Input", 0), y = mo_pd_in(b, "Other", 0);
    enum mo_etype et = mo_value_et(x);
    if (!mo_etype_is_float(et))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%s takes float tensors, not %s", fw->type,
                              mo_etype_name(et));
    struct mo_value rtol = tolerance(b, fw, "Rtol", "rtol", 1e-5, et);
    struct mo_value atol = tolerance(b, fw, "Atol", "atol", 1e-8, et);
    struct mo_value d = mo_build_op(b, "Abs", "abs_diff", 1, mo_build_op(b, "Subtract", "diff", 2, x, y));
    struct mo_value lim = mo_build_op(b, "Multiply", "rel", 2, rtol, mo_build_op(b, "Abs", "abs_y", 1, y));
    lim = mo_build_op(b, "Add", "limit", 2, atol, lim);
    struct mo_value c = mo_build_op(b, "LessEqual", "within", 2, d, lim);
    c = mo_build_op(b, "LogicalOr", all || mo_node_get_bool(fw, "equal_nan", false, NULL) ? "or_equal" : NULL,
                    2, c, mo_build_op(b, "Equal", "equal", 2, x, y));
    if (mo_node_get_bool(fw, "equal_nan", false, NULL)) {
        struct mo_value nn = mo_build_op(b, "LogicalAnd", "both_nan", 2,
                                         mo_build_op(b, "IsNaN", "x_nan", 1, x),
                                         mo_build_op(b, "IsNaN", "y_nan", 1, y));
        c = mo_build_op(b, "LogicalOr", all ? "or_nan" : NULL, 2, c, nn);
    }
    if (all) {
        /* the broadcast rank: the larger of the two */
        int rank = mo_value_shape(x).rank, ry = mo_value_shape(y).rank;
        if (rank >= 0 && ry > rank)
            rank = ry;
        if (rank < 0 || ry < 0)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "allclose needs inputs of known rank");
        int64_t axes[MO_MAX_RANK];
        for (int i = 0; i < rank; i++)
            axes[i] = i;
        c = mo_build_op(b, "ReduceLogicalAnd", NULL, 2, c, mo_build_i64(b, "axes", axes, (size_t)rank));
        mo_build_set_bool(b, c, "keep_dims", false);
    }
    return mo_pd_set_out(b, "Out", c);
}

MO_PD_VARIANT(tr_isclose, close_to, NULL)
MO_PD_VARIANT(tr_allclose, close_to, "all")


/* The smallest value of a signed integer type (a power of two, exact in
 * a double), 0 for other types. */
static double signed_min(enum mo_etype et)
{
    switch (et) {
    case MO_ET_I8: return -128.0;
    case MO_ET_I16: return -32768.0;
    case MO_ET_I32: return -2147483648.0;
    case MO_ET_I64: return -9223372036854775808.0;
    default: return 0.0;
    }
}

/* bitwise_left_shift / bitwise_right_shift (slots x, y -> out, lower case
 * in legacy programs too).  is_arithmetic=false shifts a signed value as
 * its unsigned bits, zeros coming in from the left: one arithmetic shift
 * by 1 with the sign bit cleared, then the remaining s - 1 (s = 0 keeps x).
 * Converting to the unsigned type instead does not work: OpenVINO's CPU
 * plugin runs u32 as i32, so its shift stays arithmetic. */
static enum mo_status shift(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                            struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "x", 0), y = mo_pd_in(b, "y", 0);
    enum mo_etype et = mo_value_et(x);
    if (mo_etype_is_float(et) || et == MO_ET_BOOLEAN)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%s takes integer tensors, not %s",
                              fw->type, mo_etype_name(et));
    bool logical = !mo_node_get_bool(fw, "is_arithmetic", true, NULL) &&
                   !strcmp(type, "BitwiseRightShift") && signed_min(et) != 0.0;
    if (!logical)
        return mo_pd_set_out(b, "out", mo_build_op(b, type, NULL, 2, x, y));
    struct mo_value one = mo_build_scalar(b, "one", et, 1.0);
    struct mo_value zero = mo_build_scalar(b, "zero", et, 0.0);
    struct mo_value maxpos = mo_build_op(b, "BitwiseNot", "max_positive", 1,
                                         mo_build_scalar(b, "min_value", et, signed_min(et)));
    struct mo_value h = mo_build_op(b, type, "by_one", 2, x, one);
    h = mo_build_op(b, "BitwiseAnd", "sign_cleared", 2, h, maxpos);
    struct mo_value rest = mo_build_op(b, "Maximum", "rest", 2,
                                       mo_build_op(b, "Subtract", "y_minus_1", 2, y, one), zero);
    struct mo_value r = mo_build_op(b, type, "shifted", 2, h, rest);
    struct mo_value none = mo_build_op(b, "Equal", "no_shift", 2, y, zero);
    return mo_pd_set_out(b, "out", mo_build_op(b, "Select", NULL, 3, none, x, r));
}

MO_PD_VARIANT(tr_shl, shift, "BitwiseLeftShift")
MO_PD_VARIANT(tr_shr, shift, "BitwiseRightShift")

/* mean (the old loss op): the mean of every element, a 0-D result. */
static enum mo_status tr_mean_all(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int rank = mo_value_shape(x).rank;
    if (rank < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "mean needs an input of known rank");
    int64_t axes[MO_MAX_RANK];
    for (int i = 0; i < rank; i++)
        axes[i] = i;
    struct mo_value y = mo_build_op(b, "ReduceMean", NULL, 2, x, mo_build_i64(b, "axes", axes, (size_t)rank));
    return mo_pd_set_out(b, "Out", mo_build_set_bool(b, y, "keep_dims", false));
}


/* swiglu: silu(x) * y; without y, x's last axis halves play x and y. */
static enum mo_status tr_swiglu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0), y = mo_pd_in_opt(b, "Y", 0);
    if (!y.node) {
        struct mo_shape xs = mo_value_shape(x);
        int64_t n = xs.rank > 0 ? xs.dims[xs.rank - 1] : MO_DYN;
        if (n == MO_DYN || n % 2)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                  "swiglu without y needs an even static last dim (got %lld)",
                                  (long long)n);
        int64_t ax = xs.rank - 1, h = n / 2;
        y = mo_build_slice(b, "second", x, &h, &n, (int64_t[]){1}, &ax, 1);
        x = mo_build_slice(b, "first", x, (int64_t[]){0}, &h, (int64_t[]){1}, &ax, 1);
    }
    struct mo_value s = mo_build_op(b, "Swish", "silu", 1, x);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Multiply", NULL, 2, s, y));
}

MO_PD_TABLE(mo_pd_tr_math,
            {"logical_and", tr_logical_and}, {"logical_or", tr_logical_or},
            {"logical_xor", tr_logical_xor}, {"logical_not", tr_logical_not},
            {"bitwise_and", tr_bitwise_and}, {"bitwise_or", tr_bitwise_or},
            {"bitwise_xor", tr_bitwise_xor}, {"bitwise_not", tr_bitwise_not},
            {"elementwise_floordiv", tr_floordiv}, {"pow", tr_pow},
            {"cumsum", tr_cumsum}, {"sum", tr_add_n}, {"where", tr_where},
            {"sin", tr_sin}, {"cos", tr_cos}, {"tan", tr_tan}, {"asin", tr_asin},
            {"acos", tr_acos}, {"atan", tr_atan}, {"sinh", tr_sinh}, {"cosh", tr_cosh},
            {"asinh", tr_asinh}, {"acosh", tr_acosh}, {"atanh", tr_atanh},
            {"erf", tr_erf}, {"sign", tr_sign}, {"softsign", tr_softsign},
            {"isnan_v2", tr_isnan}, {"isinf_v2", tr_isinf}, {"isfinite_v2", tr_isfinite},
            {"rsqrt", tr_rsqrt}, {"reciprocal", tr_reciprocal}, {"square", tr_square},
            {"log1p", tr_log1p}, {"log2", tr_log2}, {"log10", tr_log10}, {"expm1", tr_expm1},
            {"tanh_shrink", tr_tanh_shrink}, {"logsigmoid", tr_logsigmoid},
            {"round", tr_round}, {"softshrink", tr_softshrink}, {"hard_shrink", tr_hard_shrink},
            {"thresholded_relu", tr_thresholded_relu}, {"selu", tr_selu}, {"celu", tr_celu},
            {"atan2", tr_atan2}, {"trunc", tr_trunc}, {"elementwise_fmax", tr_fmax},
            {"elementwise_fmin", tr_fmin}, {"elementwise_heaviside", tr_heaviside},
            {"lerp", tr_lerp}, {"stanh", tr_stanh}, {"logit", tr_logit}, {"brelu", tr_brelu},
            {"rrelu", tr_rrelu}, {"logcumsumexp", tr_logcumsumexp}, {"cumprod", tr_cumprod},
            {"maxout", tr_maxout}, {"isclose", tr_isclose}, {"allclose", tr_allclose},
            {"bitwise_left_shift", tr_shl}, {"bitwise_right_shift", tr_shr}, {"mean", tr_mean_all},
            {"swiglu", tr_swiglu});
