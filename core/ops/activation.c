/* activation.c - unary elementwise ops: output type and shape = input's. */
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
             &op_gelu, &op_prelu, &op_swish, &op_selu);
