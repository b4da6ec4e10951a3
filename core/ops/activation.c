/* activation.c - unary elementwise ops: output type and shape = input's
 * (the IsNaN/IsInf/IsFinite tests give booleans of the input's shape). */
#include <config.h>

#include <math.h>
#include <string.h>

#include "ops.h"

/* Evaluate a unary float function elementwise (constant folding). */
static enum mo_status eval_unary(struct mo_node *n, struct mo_tensor **out, double (*f)(double),
                                 struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    struct mo_tensor *r = mo_tensor_new(x->et, &x->shape, err);
    if (!r)
        return err ? err->code : MO_ERR_NOMEM;
    int64_t cnt = mo_tensor_numel(x);
    for (int64_t i = 0; i < cnt; i++)
        mo_tensor_set_f64(r, i, f(mo_tensor_get_f64(x, i)));
    out[0] = r;
    return MO_OK;
}

static double f_relu(double x) { return x > 0 ? x : 0; }
static double f_sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

#define UNARY_EVAL(name, fn)                                                              \
    static enum mo_status name(struct mo_node *n, struct mo_tensor **out, struct mo_error *err) \
    {                                                                                     \
        return eval_unary(n, out, fn, err);                                               \
    }
UNARY_EVAL(eval_relu, f_relu)
UNARY_EVAL(eval_sigmoid, f_sigmoid)
UNARY_EVAL(eval_tanh, tanh)
UNARY_EVAL(eval_exp, exp)
UNARY_EVAL(eval_sqrt, sqrt)
UNARY_EVAL(eval_abs, fabs)
UNARY_EVAL(eval_floor, floor)
UNARY_EVAL(eval_ceil, ceil)
UNARY_EVAL(eval_log, log)
UNARY_EVAL(eval_acos, acos)
UNARY_EVAL(eval_acosh, acosh)
UNARY_EVAL(eval_asin, asin)
UNARY_EVAL(eval_asinh, asinh)
UNARY_EVAL(eval_atan, atan)
UNARY_EVAL(eval_atanh, atanh)
UNARY_EVAL(eval_cosh, cosh)
UNARY_EVAL(eval_sinh, sinh)
UNARY_EVAL(eval_tan, tan)

static double f_softsign(double x) { return x / (1.0 + fabs(x)); }
UNARY_EVAL(eval_softsign, f_softsign)

/* --- IsNaN, IsInf, IsFinite (opset10): float in, boolean out. */
static enum mo_status infer_is_class(struct mo_node *n, struct mo_error *err)
{
    enum mo_etype et = mo_in_et(n, 0);
    if (et != MO_ET_UNDEFINED && !mo_etype_is_float(et))
        return mo_shape_error(n, err, "input is %s; the test takes floating-point data",
                              mo_etype_name(et));
    struct mo_shape s = mo_in_shape(n, 0);
    return mo_set_out(n, 0, MO_ET_BOOLEAN, &s);
}

static enum mo_status eval_is_class(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    bool neg = true, pos = true;
    char kind = n->type[2]; /* IsNaN, IsInf, IsFinite */
    if (kind == 'I') {
        neg = mo_attr_bool(n, "detect_negative");
        pos = mo_attr_bool(n, "detect_positive");
    }
    int64_t cnt = mo_tensor_numel(x);
    for (int64_t i = 0; i < cnt; i++) {
        double v = mo_tensor_get_f64(x, i);
        bool y = kind == 'N' ? isnan(v) : kind == 'F' ? isfinite(v)
                                                      : isinf(v) && (v < 0 ? neg : pos);
        mo_tensor_set_f64(r, i, y);
    }
    out[0] = r;
    return MO_OK;
}

/* --- BitwiseNot (opset13): integers, or booleans (logical not). */
static enum mo_status infer_bitwise_not(struct mo_node *n, struct mo_error *err)
{
    enum mo_etype et = mo_in_et(n, 0);
    if (et != MO_ET_UNDEFINED && mo_etype_is_float(et))
        return mo_shape_error(n, err, "input is %s; the op takes integers or booleans",
                              mo_etype_name(et));
    return mo_infer_identity(n, err);
}

static enum mo_status eval_bitwise_not(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    int64_t cnt = mo_tensor_numel(x);
    for (int64_t i = 0; i < cnt; i++) {
        int64_t v = mo_tensor_get_i64(x, i);
        /* the store narrows ~v to the element type's width */
        mo_tensor_set_i64(r, i, x->et == MO_ET_BOOLEAN ? !v : ~v);
    }
    out[0] = r;
    return MO_OK;
}

/* --- HardSigmoid (opset1): max(0, min(1, alpha * x + beta)); alpha and
 * beta are scalar inputs of the data's type. */
static enum mo_status infer_hard_sigmoid(struct mo_node *n, struct mo_error *err)
{
    for (unsigned i = 1; i < 3; i++) {
        struct mo_shape s = mo_in_shape(n, i);
        if (s.rank >= 0 && mo_shape_is_static(&s) && mo_shape_numel(&s) != 1)
            return mo_shape_error(n, err, "%s must be a scalar", i == 1 ? "alpha" : "beta");
    }
    return mo_infer_identity(n, err);
}

static enum mo_status eval_hard_sigmoid(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    struct mo_tensor *al = mo_node_const_input(n, 1), *be = mo_node_const_input(n, 2);
    if (mo_tensor_numel(al) != 1 || mo_tensor_numel(be) != 1)
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    double a = mo_tensor_get_f64(al, 0), b = mo_tensor_get_f64(be, 0);
    int64_t cnt = mo_tensor_numel(x);
    for (int64_t i = 0; i < cnt; i++)
        mo_tensor_set_f64(r, i, fmax(0.0, fmin(1.0, a * mo_tensor_get_f64(x, i) + b)));
    out[0] = r;
    return MO_OK;
}

static enum mo_status eval_negative(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    struct mo_tensor *r = mo_tensor_new(x->et, &x->shape, err);
    if (!r)
        return MO_ERR_NOMEM;
    int64_t cnt = mo_tensor_numel(x);
    for (int64_t i = 0; i < cnt; i++) {
        if (mo_etype_is_float(x->et))
            mo_tensor_set_f64(r, i, -mo_tensor_get_f64(x, i));
        else
            mo_tensor_set_f64(r, i, (double)-mo_tensor_get_i64(x, i));
    }
    out[0] = r;
    return MO_OK;
}

#define UNARY_OP(var, type, opset, evalfn) \
    static const struct mo_op_def var = {type, opset, 1, 1, 1, NULL, 0, mo_infer_identity, evalfn}

UNARY_OP(op_relu, "Relu", "opset1", eval_relu);
UNARY_OP(op_sigmoid, "Sigmoid", "opset1", eval_sigmoid);
UNARY_OP(op_tanh, "Tanh", "opset1", eval_tanh);
UNARY_OP(op_exp, "Exp", "opset1", eval_exp);
UNARY_OP(op_sqrt, "Sqrt", "opset1", eval_sqrt);
UNARY_OP(op_abs, "Abs", "opset1", eval_abs);
UNARY_OP(op_floor, "Floor", "opset1", eval_floor);
UNARY_OP(op_ceiling, "Ceiling", "opset1", eval_ceil);
UNARY_OP(op_log, "Log", "opset1", eval_log);
UNARY_OP(op_negative, "Negative", "opset1", eval_negative);
UNARY_OP(op_softplus, "SoftPlus", "opset4", NULL);
UNARY_OP(op_hswish, "HSwish", "opset4", NULL);
UNARY_OP(op_hsigmoid, "HSigmoid", "opset5", NULL);
UNARY_OP(op_mish, "Mish", "opset4", NULL);
UNARY_OP(op_erf, "Erf", "opset1", NULL);
UNARY_OP(op_sin, "Sin", "opset1", NULL);
UNARY_OP(op_cos, "Cos", "opset1", NULL);
UNARY_OP(op_sign, "Sign", "opset1", NULL);
UNARY_OP(op_logical_not, "LogicalNot", "opset1", NULL);
/* Acosh-3, Asinh-3, Atanh-3 first appear in opset4 (opset3 has none of
 * them): the IR names the opset, so "opset4" is what the runtime reads. */
UNARY_OP(op_acos, "Acos", "opset1", eval_acos);
UNARY_OP(op_acosh, "Acosh", "opset4", eval_acosh);
UNARY_OP(op_asin, "Asin", "opset1", eval_asin);
UNARY_OP(op_asinh, "Asinh", "opset4", eval_asinh);
UNARY_OP(op_atan, "Atan", "opset1", eval_atan);
UNARY_OP(op_atanh, "Atanh", "opset4", eval_atanh);
UNARY_OP(op_cosh, "Cosh", "opset1", eval_cosh);
UNARY_OP(op_sinh, "Sinh", "opset1", eval_sinh);
UNARY_OP(op_tan, "Tan", "opset1", eval_tan);
UNARY_OP(op_softsign, "SoftSign", "opset9", eval_softsign);

static const struct mo_op_def op_isnan = {"IsNaN", "opset10", 1, 1, 1, NULL, 0, infer_is_class, eval_is_class};
static const struct mo_op_def op_isfinite = {
    "IsFinite", "opset10", 1, 1, 1, NULL, 0, infer_is_class, eval_is_class};
static const struct mo_attr_spec isinf_attrs[] = {
    {"detect_negative", MO_ATTR_BOOL, "true"},
    {"detect_positive", MO_ATTR_BOOL, "true"},
};
static const struct mo_op_def op_isinf = {
    "IsInf", "opset10", 1, 1, 1, isinf_attrs, MO_COUNT_OF(isinf_attrs), infer_is_class, eval_is_class};
static const struct mo_op_def op_bitwise_not = {
    "BitwiseNot", "opset13", 1, 1, 1, NULL, 0, infer_bitwise_not, eval_bitwise_not};
static const struct mo_op_def op_hard_sigmoid = {
    "HardSigmoid", "opset1", 3, 3, 1, NULL, 0, infer_hard_sigmoid, eval_hard_sigmoid};

static const struct mo_attr_spec elu_attrs[] = {{"alpha", MO_ATTR_FLOAT, NULL}};
static const struct mo_op_def op_elu = {"Elu", "opset1", 1, 1, 1, elu_attrs, 1, mo_infer_identity, NULL};

static const struct mo_attr_spec clamp_attrs[] = {
    {"min", MO_ATTR_FLOAT, NULL},
    {"max", MO_ATTR_FLOAT, NULL},
};
static const struct mo_op_def op_clamp = {"Clamp", "opset1", 1, 1, 1, clamp_attrs, 2, mo_infer_identity, NULL};

static const struct mo_attr_spec gelu_attrs[] = {{"approximation_mode", MO_ATTR_STRING, "ERF"}};
static const struct mo_op_def op_gelu = {"Gelu", "opset7", 1, 1, 1, gelu_attrs, 1, mo_infer_identity, NULL};

static enum mo_status infer_prelu(struct mo_node *n, struct mo_error *err)
{
    return mo_infer_identity(n, err);
}
static const struct mo_op_def op_prelu = {"PRelu", "opset1", 2, 2, 1, NULL, 0, infer_prelu, NULL};

/* Swish(x, beta) = x * sigmoid(beta * x); beta is an optional scalar input. */
static const struct mo_op_def op_swish = {"Swish", "opset4", 1, 2, 1, NULL, 0, mo_infer_identity, NULL};

/* Selu(x, alpha, lambda): alpha and lambda are inputs. */
static const struct mo_op_def op_selu = {"Selu", "opset1", 3, 3, 1, NULL, 0, mo_infer_identity, NULL};

MO_OP_FAMILY(mo_ops_activation, &op_relu, &op_sigmoid, &op_tanh, &op_exp, &op_sqrt, &op_abs,
             &op_floor, &op_ceiling, &op_log, &op_negative, &op_softplus, &op_hswish, &op_hsigmoid,
             &op_mish, &op_erf, &op_sin, &op_cos, &op_sign, &op_logical_not, &op_elu, &op_clamp,
             &op_gelu, &op_prelu, &op_swish, &op_selu, &op_acos, &op_acosh, &op_asin, &op_asinh,
             &op_atan, &op_atanh, &op_cosh, &op_sinh, &op_tan, &op_softsign, &op_isnan, &op_isinf,
             &op_isfinite, &op_bitwise_not, &op_hard_sigmoid);
