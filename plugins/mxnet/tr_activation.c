/* tr_activation.c - MXNet Activation, LeakyReLU and the unary activation ops.
 *
 * Activations without an IR op of their own are composed:
 *   softsign(x)     = x / (1 + |x|)
 *   log_sigmoid(x)  = -softplus(-x)       (stable for large |x|)
 *   hard_sigmoid(x) = clamp(alpha * x + beta, 0, 1)
 * LeakyReLU's rrelu is random only in training; at inference its slope is
 * the mean of lower_bound and upper_bound. */
#include <config.h>

#include <string.h>

#include "tr_util.h"

/* SELU's constants, as MXNet uses them. */
#define SELU_ALPHA 1.6732632423543772848170429916717
#define SELU_LAMBDA 1.0507009873554804934193349852946

static struct mo_value softsign(struct mo_build *b, struct mo_value x)
{
    struct mo_value ab = mo_build_op(b, "Abs", "abs", 1, x);
    struct mo_value one = mo_build_scalar(b, "one", mo_value_et(x), 1.0);
    struct mo_value den = mo_build_op(b, "Add", "den", 2, ab, one);
    return mo_build_op(b, "Divide", NULL, 2, x, den);
}

static struct mo_value log_sigmoid(struct mo_build *b, struct mo_value x)
{
    struct mo_value neg = mo_build_op(b, "Negative", "neg", 1, x);
    struct mo_value sp = mo_build_op(b, "SoftPlus", "softplus", 1, neg);
    return mo_build_op(b, "Negative", NULL, 1, sp);
}

/* One activation by MXNet's act_type name. */
static struct mo_value activation(struct mo_build *b, const char *act, struct mo_value x)
{
    static const struct { const char *mx, *ir; } simple[] = {
        {"relu", "Relu"},        {"sigmoid", "Sigmoid"}, {"tanh", "Tanh"},
        {"softrelu", "SoftPlus"}, {"mish", "Mish"},      {"erf", "Erf"},
    };
    for (size_t i = 0; i < MO_COUNT_OF(simple); i++)
        if (!strcmp(act, simple[i].mx))
            return mo_build_op(b, simple[i].ir, NULL, 1, x);
    if (!strcmp(act, "softsign"))
        return softsign(b, x);
    if (!strcmp(act, "log_sigmoid"))
        return log_sigmoid(b, x);
    mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "act_type '%s' is not supported", act);
    return MO_NO_VALUE;
}

static enum mo_status tr_activation(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    const char *act = mo_node_get_str(fw, "act_type", NULL);
    if (!act)
        return mo_build_error(b, MO_ERR_FORMAT, 2, "attribute act_type is missing");
    return mo_build_done(b, activation(b, act, x));
}

/* The standalone ops (relu, sigmoid, ...) are Activation with act_type
 * their own name. */
static enum mo_status tr_unary_act(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    return mo_build_done(b, activation(b, fw->type, x));
}

/* PRelu with one slope for every element. */
static struct mo_value leaky(struct mo_build *b, struct mo_value x, double slope)
{
    struct mo_shape one = mo_shape_of(1);
    struct mo_value s = mo_build_const(b, "slope", mo_value_et(x), &one, &slope);
    return mo_build_op(b, "PRelu", NULL, 2, x, s);
}

/* gamma [C] (or [1]) applies along axis 1, which PRelu does for a 1-D slope. */
static struct mo_value prelu(struct mo_build *b, struct mo_value x)
{
    struct mo_value g = mo_build_in(b, 1, "gamma");
    struct mo_tensor *gc = mo_value_const(g);
    struct mo_shape xs = mo_value_shape(x);
    if (gc && xs.rank >= 2 && xs.dims[1] >= 0 && mo_tensor_numel(gc) != 1 && mo_tensor_numel(gc) != xs.dims[1]) {
        char s[96];
        mo_build_error(b, MO_ERR_SHAPE, 0, "gamma '%s' has shape [%s] but the data has %lld channels",
                       g.node->name, mo_shape_str(&gc->shape, s, sizeof s), (long long)xs.dims[1]);
        return MO_NO_VALUE;
    }
    if (gc && gc->shape.rank != 1) {
        struct mo_shape flat = mo_shape_of(mo_tensor_numel(gc));
        g = mo_build_reshape_value(b, "gamma", g, &flat);
    }
    return mo_build_op(b, "PRelu", NULL, 2, x, g);
}

static enum mo_status tr_leaky_relu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    const char *act = mo_node_get_str(fw, "act_type", "leaky");
    double slope = mo_node_get_float(fw, "slope", 0.25, NULL);
    enum mo_etype et = mo_value_et(x);
    if (!strcmp(act, "leaky"))
        return mo_build_done(b, leaky(b, x, slope));
    if (!strcmp(act, "rrelu")) {
        double lo = mo_node_get_float(fw, "lower_bound", 0.125, NULL);
        double hi = mo_node_get_float(fw, "upper_bound", 0.334, NULL);
        return mo_build_done(b, leaky(b, x, (lo + hi) / 2));
    }
    if (!strcmp(act, "prelu"))
        return mo_build_done(b, prelu(b, x));
    if (!strcmp(act, "elu"))
        return mo_build_done(b, mo_build_set_float(b, mo_build_op(b, "Elu", NULL, 1, x), "alpha", slope));
    if (!strcmp(act, "selu")) {
        struct mo_value a = mo_build_scalar(b, "alpha", et, SELU_ALPHA);
        struct mo_value l = mo_build_scalar(b, "lambda", et, SELU_LAMBDA);
        return mo_build_done(b, mo_build_op(b, "Selu", NULL, 3, x, a, l));
    }
    if (!strcmp(act, "gelu")) {
        struct mo_value g = mo_build_op(b, "Gelu", NULL, 1, x);
        return mo_build_done(b, mo_build_set_str(b, g, "approximation_mode", "ERF"));
    }
    return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "act_type '%s' is not supported", act);
}

/* Clamp of x to [lo, hi], named after the layer. */
static struct mo_value clamp(struct mo_build *b, struct mo_value x, double lo, double hi)
{
    struct mo_value c = mo_build_op(b, "Clamp", NULL, 1, x);
    mo_build_set_float(b, c, "min", lo);
    return mo_build_set_float(b, c, "max", hi);
}

static enum mo_status tr_clip(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    bool ok1 = true, ok2 = true;
    double lo = mo_node_get_float(fw, "a_min", 0, &ok1), hi = mo_node_get_float(fw, "a_max", 0, &ok2);
    if (!ok1 || !ok2 || !mo_node_attr(fw, "a_min") || !mo_node_attr(fw, "a_max"))
        return mo_build_error(b, MO_ERR_FORMAT, 2, "attributes a_min and a_max are required");
    return mo_build_done(b, clamp(b, x, lo, hi));
}

static enum mo_status tr_hard_sigmoid(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    enum mo_etype et = mo_value_et(x);
    double alpha = mo_node_get_float(fw, "alpha", 0.2, NULL), beta = mo_node_get_float(fw, "beta", 0.5, NULL);
    struct mo_value a = mo_build_scalar(b, "alpha", et, alpha);
    struct mo_value m = mo_build_op(b, "Multiply", "mul", 2, x, a);
    struct mo_value c = mo_build_scalar(b, "beta", et, beta);
    struct mo_value ad = mo_build_op(b, "Add", "add", 2, m, c);
    return mo_build_done(b, clamp(b, ad, 0, 1));
}

MO_MX_TABLE(mo_mx_tr_activation,
            {"Activation", tr_activation},
            {"LeakyReLU", tr_leaky_relu},
            {"relu", tr_unary_act},
            {"sigmoid", tr_unary_act},
            {"tanh", tr_unary_act},
            {"softsign", tr_unary_act},
            {"erf", tr_unary_act},
            {"log_sigmoid", tr_unary_act},
            {"mish", tr_unary_act},
            {"clip", tr_clip},
            {"hard_sigmoid", tr_hard_sigmoid});
