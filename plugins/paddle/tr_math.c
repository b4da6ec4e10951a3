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
    if (mo_node_get_bool(fw, "flatten", false, NULL)) {
        /* Paddle sums the flattened tensor; the result stays 1-D */
        x = mo_build_reshape(b, "flat", x, (int64_t[]){-1}, 1, false);
        axis = 0;
    } else {
        axis = mo_pd_axis(b, "axis", -1, mo_value_shape(x).rank);
    }
    struct mo_value a = mo_build_i64_scalar(b, "axis", axis);
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

static enum mo_status unary(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                            struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    return mo_pd_set_out(b, "Out", mo_build_op(b, type, NULL, 1, x));
}

MO_PD_VARIANT(tr_sin, unary, "Sin")
MO_PD_VARIANT(tr_cos, unary, "Cos")
MO_PD_VARIANT(tr_tan, unary, "Tan")
MO_PD_VARIANT(tr_asin, unary, "Asin")
MO_PD_VARIANT(tr_acos, unary, "Acos")
MO_PD_VARIANT(tr_atan, unary, "Atan")
MO_PD_VARIANT(tr_sinh, unary, "Sinh")
MO_PD_VARIANT(tr_cosh, unary, "Cosh")
MO_PD_VARIANT(tr_asinh, unary, "Asinh")
MO_PD_VARIANT(tr_acosh, unary, "Acosh")
MO_PD_VARIANT(tr_atanh, unary, "Atanh")
MO_PD_VARIANT(tr_erf, unary, "Erf")
MO_PD_VARIANT(tr_sign, unary, "Sign")
MO_PD_VARIANT(tr_softsign, unary, "SoftSign")

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
            {"thresholded_relu", tr_thresholded_relu}, {"selu", tr_selu}, {"celu", tr_celu});
