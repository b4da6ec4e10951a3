/* tr_activation.c - MXNet Activation, LeakyReLU and the unary activation ops.
 *
 * Activations without an IR op of their own are composed:
 *   softsign(x)     = x / (1 + |x|)
 *   log_sigmoid(x)  = -softplus(-x)       (stable for large |x|)
 *   hard_sigmoid(x) = clamp(alpha * x + beta, 0, 1)
 * LeakyReLU's rrelu is random only in training; at inference its slope is
 * the mean of lower_bound and upper_bound. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "tr_util.h"

/* SELU's constants, as MXNet uses them. */
#define SELU_ALPHA 1.6732632423543772848170429916717
#define SELU_LAMBDA 1.0507009873554804934193349852946

static struct mo_node *softsign(struct mo_tctx *t, const struct mo_node *fw, struct mo_value x,
                                struct mo_error *err)
{
    struct mo_node *ab = mo_mx_op(t, "Abs", "abs", err, 1, x);
    struct mo_node *one = ab ? mo_mx_scalar(t, fw, "one", mo_mx_out(x)->et, 1.0, err) : NULL;
    struct mo_node *den = one ? mo_mx_op(t, "Add", "den", err, 2, mo_val(ab, 0), mo_val(one, 0)) : NULL;
    return den ? mo_mx_op(t, "Divide", NULL, err, 2, x, mo_val(den, 0)) : NULL;
}

static struct mo_node *log_sigmoid(struct mo_tctx *t, struct mo_value x, struct mo_error *err)
{
    struct mo_node *neg = mo_mx_op(t, "Negative", "neg", err, 1, x);
    struct mo_node *sp = neg ? mo_mx_op(t, "SoftPlus", "softplus", err, 1, mo_val(neg, 0)) : NULL;
    return sp ? mo_mx_op(t, "Negative", NULL, err, 1, mo_val(sp, 0)) : NULL;
}

/* One activation by MXNet's act_type name; NULL with err filled. */
static struct mo_node *activation(struct mo_tctx *t, const struct mo_node *fw, const char *act,
                                  struct mo_value x, struct mo_error *err)
{
    static const struct { const char *mx, *ir; } simple[] = {
        {"relu", "Relu"},        {"sigmoid", "Sigmoid"}, {"tanh", "Tanh"},
        {"softrelu", "SoftPlus"}, {"mish", "Mish"},      {"erf", "Erf"},
    };
    for (size_t i = 0; i < MO_COUNT_OF(simple); i++)
        if (!strcmp(act, simple[i].mx))
            return mo_mx_op(t, simple[i].ir, NULL, err, 1, x);
    if (!strcmp(act, "softsign"))
        return softsign(t, fw, x, err);
    if (!strcmp(act, "log_sigmoid"))
        return log_sigmoid(t, x, err);
    mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "act_type '%s' is not supported", act);
    return NULL;
}

static enum mo_status tr_activation(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    (void)user;
    struct mo_value x = mo_mx_in(t, fw, 0, "data", err);
    MO_MX_TRY(x.node);
    const char *act = mo_node_get_str(fw, "act_type", NULL);
    if (!act)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "attribute act_type is missing");
    struct mo_node *r = activation(t, fw, act, x, err);
    MO_MX_TRY(r);
    return mo_mx_done(t, r, err);
}

/* The standalone ops (relu, sigmoid, ...) are Activation with a fixed act_type. */
#define UNARY_ACT(fn, act)                                                                     \
    static enum mo_status fn(struct mo_tctx *t, const struct mo_node *fw, void *user,         \
                             struct mo_error *err)                                             \
    {                                                                                          \
        (void)user;                                                                            \
        struct mo_value x = mo_mx_in(t, fw, 0, "data", err);                                      \
        MO_MX_TRY(x.node);                                                                        \
        struct mo_node *r = activation(t, fw, act, x, err);                                    \
        MO_MX_TRY(r);                                                                             \
        return mo_mx_done(t, r, err);                                                             \
    }
UNARY_ACT(tr_relu, "relu")
UNARY_ACT(tr_sigmoid, "sigmoid")
UNARY_ACT(tr_tanh, "tanh")
UNARY_ACT(tr_softsign, "softsign")
UNARY_ACT(tr_erf, "erf")
UNARY_ACT(tr_log_sigmoid, "log_sigmoid")
UNARY_ACT(tr_mish, "mish")

/* PRelu with one slope for every element. */
static struct mo_node *leaky(struct mo_tctx *t, const struct mo_node *fw, struct mo_value x, double slope,
                             struct mo_error *err)
{
    struct mo_shape one = mo_shape_of(1);
    struct mo_node *s = mo_mx_const(t, fw, "slope", mo_mx_out(x)->et, &one, &slope, err);
    return s ? mo_mx_op(t, "PRelu", NULL, err, 2, x, mo_val(s, 0)) : NULL;
}

static enum mo_status tr_leaky_relu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    (void)user;
    struct mo_value x = mo_mx_in(t, fw, 0, "data", err);
    MO_MX_TRY(x.node);
    const char *act = mo_node_get_str(fw, "act_type", "leaky");
    double slope = mo_node_get_float(fw, "slope", 0.25, NULL);
    enum mo_etype et = mo_mx_out(x)->et;
    struct mo_node *r = NULL;
    if (!strcmp(act, "leaky")) {
        r = leaky(t, fw, x, slope, err);
    } else if (!strcmp(act, "rrelu")) {
        double lo = mo_node_get_float(fw, "lower_bound", 0.125, NULL);
        double hi = mo_node_get_float(fw, "upper_bound", 0.334, NULL);
        r = leaky(t, fw, x, (lo + hi) / 2, err);
    } else if (!strcmp(act, "prelu")) {
        struct mo_value g = mo_mx_in(t, fw, 1, "gamma", err);
        MO_MX_TRY(g.node);
        /* gamma [C] (or [1]) applies along axis 1, which PRelu does for a 1-D slope */
        struct mo_tensor *gc = mo_mx_const_of(g);
        const struct mo_shape *xs = &mo_mx_out(x)->shape;
        if (gc && xs->rank >= 2 && xs->dims[1] >= 0 && mo_tensor_numel(gc) != 1 &&
            mo_tensor_numel(gc) != xs->dims[1]) {
            char s[96];
            return mo_error_set(err, MO_ERR_SHAPE, 0, "gamma '%s' has shape [%s] but the data has %lld channels",
                                g.node->name, mo_shape_str(&gc->shape, s, sizeof s), (long long)xs->dims[1]);
        }
        if (gc && gc->shape.rank != 1) {
            struct mo_shape flat = mo_shape_of(mo_tensor_numel(gc));
            g = mo_mx_reshape_value(t, fw, g, "gamma", &flat, err);
            MO_MX_TRY(g.node);
        }
        r = mo_mx_op(t, "PRelu", NULL, err, 2, x, g);
    } else if (!strcmp(act, "elu")) {
        r = mo_mx_op(t, "Elu", NULL, err, 1, x);
        if (r && mo_node_set_float(r, "alpha", slope))
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    } else if (!strcmp(act, "selu")) {
        struct mo_node *a = mo_mx_scalar(t, fw, "alpha", et, SELU_ALPHA, err);
        struct mo_node *l = a ? mo_mx_scalar(t, fw, "lambda", et, SELU_LAMBDA, err) : NULL;
        struct mo_value in[3] = {x, {a, 0}, {l, 0}};
        r = l ? mo_tctx_op(t, "Selu", NULL, 3, in, err) : NULL;
    } else if (!strcmp(act, "gelu")) {
        r = mo_mx_op(t, "Gelu", NULL, err, 1, x);
        if (r && mo_node_set_str(r, "approximation_mode", "ERF"))
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    } else {
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "act_type '%s' is not supported", act);
    }
    MO_MX_TRY(r);
    return mo_mx_done(t, r, err);
}

static enum mo_status tr_clip(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_value x = mo_mx_in(t, fw, 0, "data", err);
    MO_MX_TRY(x.node);
    bool ok1 = true, ok2 = true;
    double lo = mo_node_get_float(fw, "a_min", 0, &ok1), hi = mo_node_get_float(fw, "a_max", 0, &ok2);
    if (!ok1 || !ok2 || !mo_node_attr(fw, "a_min") || !mo_node_attr(fw, "a_max"))
        return mo_error_set(err, MO_ERR_FORMAT, 2, "attributes a_min and a_max are required");
    struct mo_node *r = mo_mx_op(t, "Clamp", NULL, err, 1, x);
    MO_MX_TRY(r);
    if (mo_node_set_float(r, "min", lo) || mo_node_set_float(r, "max", hi))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return mo_mx_done(t, r, err);
}

static enum mo_status tr_hard_sigmoid(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    (void)user;
    struct mo_value x = mo_mx_in(t, fw, 0, "data", err);
    MO_MX_TRY(x.node);
    enum mo_etype et = mo_mx_out(x)->et;
    double alpha = mo_node_get_float(fw, "alpha", 0.2, NULL), beta = mo_node_get_float(fw, "beta", 0.5, NULL);
    struct mo_node *a = mo_mx_scalar(t, fw, "alpha", et, alpha, err);
    struct mo_node *m = a ? mo_mx_op(t, "Multiply", "mul", err, 2, x, mo_val(a, 0)) : NULL;
    struct mo_node *b = m ? mo_mx_scalar(t, fw, "beta", et, beta, err) : NULL;
    struct mo_node *ad = b ? mo_mx_op(t, "Add", "add", err, 2, mo_val(m, 0), mo_val(b, 0)) : NULL;
    struct mo_node *r = ad ? mo_mx_op(t, "Clamp", NULL, err, 1, mo_val(ad, 0)) : NULL;
    MO_MX_TRY(r);
    if (mo_node_set_float(r, "min", 0) || mo_node_set_float(r, "max", 1))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return mo_mx_done(t, r, err);
}

MO_MX_TABLE(mo_mx_tr_activation,
            {"Activation", tr_activation},
            {"LeakyReLU", tr_leaky_relu},
            {"relu", tr_relu},
            {"sigmoid", tr_sigmoid},
            {"tanh", tr_tanh},
            {"softsign", tr_softsign},
            {"erf", tr_erf},
            {"log_sigmoid", tr_log_sigmoid},
            {"mish", tr_mish},
            {"clip", tr_clip},
            {"hard_sigmoid", tr_hard_sigmoid});
