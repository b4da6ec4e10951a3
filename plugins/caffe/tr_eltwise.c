/* tr_eltwise.c - Caffe Eltwise, the activations (ReLU, PReLU, ELU, ReLU6,
 * Sigmoid, TanH, AbsVal, BNLL), Power, Exp, Log and Dropout.
 *
 * Threshold, Axpy (SENet: a * x + y, a per channel) and Silence.
 * Power, Exp and Log share Caffe's inner affine form shift + scale * x;
 * each factor that is the identity is left out. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "caffe.h"

static enum mo_status tr_eltwise(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    unsigned n = mo_cf_n_bottoms(fw);
    const char *op = mo_node_get_str(fw, "operation", "SUM");
    double coeff[64];
    int nc = mo_node_get_floats(fw, "coeff", coeff, 64);
    if (n < 1)
        return mo_build_fail(b, "has no bottoms");
    if (nc > 0 && (nc != (int)n || strcmp(op, "SUM")))
        return mo_build_fail(b, "has %d coeff values for %u bottoms (coeff is for SUM, one per bottom)", nc, n);
    const char *type = !strcmp(op, "SUM") ? "Add" : !strcmp(op, "PROD") ? "Multiply" : !strcmp(op, "MAX") ? "Maximum" : NULL;
    if (!type)
        return mo_build_fail(b, "operation %s is unknown", op);
    struct mo_value acc = MO_NO_VALUE;
    for (unsigned i = 0; i < n; i++) {
        struct mo_value x = mo_build_in(b, i, NULL);
        if (nc > 0 && coeff[i] != 1) {
            char sfx[32];
            snprintf(sfx, sizeof sfx, "coeff%u", i);
            struct mo_value c = mo_build_scalar(b, sfx, mo_value_et(x), coeff[i]);
            snprintf(sfx, sizeof sfx, "scaled%u", i);
            x = mo_build_op(b, "Multiply", n == 1 ? NULL : sfx, 2, x, c);
        }
        if (i == 0) {
            acc = x;
            continue;
        }
        char sfx[32];
        snprintf(sfx, sizeof sfx, "%s%u", type, i);
        acc = mo_build_op(b, type, i + 1 == n ? NULL : sfx, 2, acc, x);
    }
    return mo_build_done(b, acc);
}

/* One IR op on the layer's input: user is the op type. */
static enum mo_status tr_unary(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    return mo_build_done(b, mo_build_op(b, user, NULL, 1, x));
}

static enum mo_status tr_identity(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    return mo_build_done(b, mo_build_in(b, 0, "data"));
}

static enum mo_status tr_relu(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    double slope = mo_node_get_float(fw, "negative_slope", 0, NULL);
    if (slope == 0)
        return mo_build_done(b, mo_build_op(b, "Relu", NULL, 1, x));
    struct mo_shape one = mo_shape_make(1, (int64_t[]){1});
    struct mo_value s = mo_build_const(b, "slope", mo_value_et(x), &one, &slope);
    return mo_build_done(b, mo_build_op(b, "PRelu", NULL, 2, x, s));
}

static enum mo_status tr_prelu(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value s = mo_cf_blob(b, 0, "slope");
    struct mo_shape xs = mo_value_shape(x), ss = mo_value_shape(s);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int64_t n = mo_shape_numel(&ss);
    bool shared = mo_node_get_bool(fw, "channel_shared", false, NULL);
    if (shared ? n != 1 : (xs.rank < 2 || n != xs.dims[1]))
        return mo_build_error(b, MO_ERR_SHAPE, 2, "the slope (blob 0) has %lld values for %s", (long long)n,
                              shared ? "channel_shared" : "the input's channels");
    struct mo_shape s1 = mo_shape_make(1, &n);
    s = mo_build_reshape_value(b, "slope", s, &s1);
    return mo_build_done(b, mo_build_op(b, "PRelu", NULL, 2, x, s));
}

static enum mo_status tr_elu(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value y = mo_build_op(b, "Elu", NULL, 1, x);
    return mo_build_done(b, mo_build_set_float(b, y, "alpha", mo_node_get_float(fw, "alpha", 1, NULL)));
}

static enum mo_status tr_relu6(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value y = mo_build_op(b, "Clamp", NULL, 1, x);
    mo_build_set_float(b, y, "min", 0);
    return mo_build_done(b, mo_build_set_float(b, y, "max", 6));
}

/* shift + scale * x, x itself when both are the identity; last: the name
 * the result takes when nothing follows it (NULL: the layer's). */
static struct mo_value affine(struct mo_build *b, struct mo_value x, double scale, double shift, bool last)
{
    enum mo_etype et = mo_value_et(x);
    if (scale != 1) {
        struct mo_value s = mo_build_scalar(b, "scale", et, scale);
        x = mo_build_op(b, "Multiply", last && shift == 0 ? NULL : "mul", 2, x, s);
    }
    if (shift != 0) {
        struct mo_value s = mo_build_scalar(b, "shift", et, shift);
        x = mo_build_op(b, "Add", last ? NULL : "add", 2, x, s);
    }
    return x;
}

/* y = (shift + scale * x) ^ power */
static enum mo_status tr_power(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    double power = mo_node_get_float(fw, "power", 1, NULL);
    double scale = mo_node_get_float(fw, "scale", 1, NULL), shift = mo_node_get_float(fw, "shift", 0, NULL);
    struct mo_value y = affine(b, x, scale, shift, power == 1);
    if (power != 1) {
        struct mo_value p = mo_build_scalar(b, "power", mo_value_et(x), power);
        y = mo_build_op(b, "Power", NULL, 2, y, p);
    }
    return mo_build_done(b, y);
}

/* y = base ^ (shift + scale * x), base -1 meaning e: exp of the affine
 * form scaled by ln(base) */
static enum mo_status tr_exp(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    double base = mo_node_get_float(fw, "base", -1, NULL);
    if (base != -1 && base <= 0)
        return mo_build_fail(b, "base must be positive (or -1 for e), got %g", base);
    double lb = base == -1 ? 1 : log(base);
    double scale = mo_node_get_float(fw, "scale", 1, NULL) * lb, shift = mo_node_get_float(fw, "shift", 0, NULL) * lb;
    struct mo_value y = affine(b, x, scale, shift, false);
    return mo_build_done(b, mo_build_op(b, "Exp", NULL, 1, y));
}

/* y = log_base(shift + scale * x), base -1 meaning e */
static enum mo_status tr_log(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    double base = mo_node_get_float(fw, "base", -1, NULL);
    if (base != -1 && (base <= 0 || base == 1))
        return mo_build_fail(b, "base must be positive and not 1 (or -1 for e), got %g", base);
    double scale = mo_node_get_float(fw, "scale", 1, NULL), shift = mo_node_get_float(fw, "shift", 0, NULL);
    struct mo_value y = affine(b, x, scale, shift, false);
    y = mo_build_op(b, "Log", base == -1 ? NULL : "ln", 1, y);
    if (base != -1) {
        struct mo_value k = mo_build_scalar(b, "inv_ln_base", mo_value_et(x), 1 / log(base));
        y = mo_build_op(b, "Multiply", NULL, 2, y, k);
    }
    return mo_build_done(b, y);
}

/* y = x > threshold ? 1 : 0 */
static enum mo_status tr_threshold(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value k = mo_build_scalar(b, "threshold", mo_value_et(x), mo_node_get_float(fw, "threshold", 0, NULL));
    struct mo_value g = mo_build_op(b, "Greater", "greater", 2, x, k);
    return mo_build_done(b, mo_build_convert(b, NULL, g, mo_value_et(x)));
}

/* bottoms a [N, C(, 1, 1)], x and y [N, C, ...]: a * x + y */
static enum mo_status tr_axpy(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value a = mo_build_in(b, 0, "scale");
    struct mo_value x = mo_build_in(b, 1, "x");
    struct mo_value y = mo_build_in(b, 2, "y");
    int rank = mo_value_shape(x).rank;
    a = mo_build_align_axis(b, "align", a, 0, rank);
    struct mo_value ax = mo_build_op(b, "Multiply", "mul", 2, a, x);
    return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, ax, y));
}

/* reads its bottoms and gives nothing */
static enum mo_status tr_silence(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    return mo_build_done(mo_build_begin(t, fw, err), MO_NO_VALUE);
}

MO_CF_TABLE(mo_cf_tr_eltwise,
            {"Eltwise", tr_eltwise, NULL},
            {"ReLU", tr_relu, NULL},
            {"PReLU", tr_prelu, NULL},
            {"ELU", tr_elu, NULL},
            {"ReLU6", tr_relu6, NULL},
            {"Sigmoid", tr_unary, "Sigmoid"},
            {"TanH", tr_unary, "Tanh"},
            {"AbsVal", tr_unary, "Abs"},
            {"BNLL", tr_unary, "SoftPlus"},
            {"Power", tr_power, NULL},
            {"Exp", tr_exp, NULL},
            {"Log", tr_log, NULL},
            {"Dropout", tr_identity, NULL},
            {"Threshold", tr_threshold, NULL},
            {"Axpy", tr_axpy, NULL},
            {"Silence", tr_silence, NULL});
