/* tr_activation.c - relu, relu6, sigmoid, tanh, hard_swish, hard_sigmoid,
 * swish, silu, leaky_relu, prelu, gelu, elu, clip and friends. */
#include <config.h>

#include <string.h>

#include "paddle.h"

static enum mo_status unary(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                            struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    struct mo_node *n = mo_pd_op(t, type, NULL, err, 1, x);
    if (!n)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err);
}

#define UNARY(fn, type)                                                                     \
    static enum mo_status fn(struct mo_tctx *t, const struct mo_node *fw, void *user,       \
                             struct mo_error *err)                                          \
    {                                                                                       \
        return unary(t, fw, type, err);                                                     \
    }

UNARY(tr_relu, "Relu")
UNARY(tr_sigmoid, "Sigmoid")
UNARY(tr_tanh, "Tanh")
UNARY(tr_exp, "Exp")
UNARY(tr_sqrt, "Sqrt")
UNARY(tr_abs, "Abs")
UNARY(tr_log, "Log")
UNARY(tr_floor, "Floor")
UNARY(tr_ceil, "Ceiling")
UNARY(tr_softplus, "SoftPlus")
UNARY(tr_mish, "Mish")
UNARY(tr_silu, "Swish")

static enum mo_status clamp(struct mo_tctx *t, const struct mo_node *fw, struct mo_value x,
                            double lo, double hi, struct mo_error *err)
{
    struct mo_node *n = mo_pd_op(t, "Clamp", NULL, err, 1, x);
    if (!n || mo_node_set_float(n, "min", lo) != MO_OK || mo_node_set_float(n, "max", hi) != MO_OK)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err);
}

static enum mo_status tr_relu6(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    return clamp(t, fw, x, 0.0, mo_node_get_float(fw, "threshold", 6.0, NULL), err);
}

static enum mo_status tr_clip(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    double lo = mo_node_get_float(fw, "min", -3.4e38, NULL);
    double hi = mo_node_get_float(fw, "max", 3.4e38, NULL);
    /* Min/Max tensors override the attributes; only constant ones fold */
    struct mo_value mn = mo_pd_in(t, fw, "Min", 0), mx = mo_pd_in(t, fw, "Max", 0);
    if ((mn.node && !mn.node->value) || (mx.node && !mx.node->value))
        return mo_pd_bad(err, "clip with computed Min/Max tensors is not supported");
    if (mn.node)
        lo = mo_tensor_get_f64(mn.node->value, 0);
    if (mx.node)
        hi = mo_tensor_get_f64(mx.node->value, 0);
    return clamp(t, fw, x, lo, hi, err);
}

/* y = x * clip(x * slope + offset, 0, 1) or clip(...) alone; Paddle's
 * hard_swish is x * min(max(x + offset, 0), threshold) / scale. */
static enum mo_status affine_clip(struct mo_tctx *t, const struct mo_node *fw, double mul,
                                  double add, double hi, bool times_x, struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    enum mo_etype et = mo_pd_et(x);
    struct mo_node *cm = mo_pd_scalar(t, "mul", et, mul, err);
    struct mo_node *m = cm ? mo_pd_op(t, "Multiply", "scaled", err, 2, x, mo_val(cm, 0)) : NULL;
    struct mo_node *ca = m ? mo_pd_scalar(t, "add", et, add, err) : NULL;
    struct mo_node *a = ca ? mo_pd_op(t, "Add", "shifted", err, 2, mo_val(m, 0), mo_val(ca, 0)) : NULL;
    struct mo_node *c = a ? mo_pd_op(t, "Clamp", times_x ? "clamp" : NULL, err, 1, mo_val(a, 0)) : NULL;
    if (!c || mo_node_set_float(c, "min", 0.0) != MO_OK || mo_node_set_float(c, "max", hi) != MO_OK)
        return mo_pd_status(err);
    struct mo_value y = mo_val(c, 0);
    if (times_x) {
        struct mo_node *p = mo_pd_op(t, "Multiply", NULL, err, 2, x, y);
        if (!p)
            return mo_pd_status(err);
        y = mo_val(p, 0);
    }
    return mo_pd_set_out(t, fw, "Out", y, err);
}

static enum mo_status tr_hard_sigmoid(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    return affine_clip(t, fw, mo_node_get_float(fw, "slope", 0.2, NULL),
                       mo_node_get_float(fw, "offset", 0.5, NULL), 1.0, false, err);
}

static enum mo_status tr_hard_swish(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    double th = mo_node_get_float(fw, "threshold", 6.0, NULL);
    double sc = mo_node_get_float(fw, "scale", 6.0, NULL);
    double off = mo_node_get_float(fw, "offset", 3.0, NULL);
    if (th == 6.0 && sc == 6.0 && off == 3.0)
        return unary(t, fw, "HSwish", err);
    /* x * clip((x + off) / sc, 0, th / sc) */
    return affine_clip(t, fw, 1.0 / sc, off / sc, th / sc, true, err);
}

static enum mo_status tr_swish(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    double beta = mo_node_get_float(fw, "beta", 1.0, NULL);
    struct mo_node *b = mo_pd_scalar(t, "beta", mo_pd_et(x), beta, err);
    struct mo_node *n = b ? mo_pd_op(t, "Swish", NULL, err, 2, x, mo_val(b, 0)) : NULL;
    if (!n)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err);
}

static enum mo_status tr_leaky_relu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    struct mo_node *a = mo_pd_scalar(t, "alpha", mo_pd_et(x),
                                     mo_node_get_float(fw, "alpha", 0.02, NULL), err);
    struct mo_node *n = a ? mo_pd_op(t, "PRelu", NULL, err, 2, x, mo_val(a, 0)) : NULL;
    if (!n)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err);
}

static enum mo_status tr_prelu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_value x, a;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "Alpha", &a, err);
    if (st != MO_OK)
        return st;
    const char *mode = mo_node_get_str(fw, "mode", "all");
    struct mo_shape as = mo_pd_shape(a), xs = mo_pd_shape(x);
    int64_t n = mo_shape_numel(&as);
    const char *fmt = mo_node_get_str(fw, "data_format", "NCHW");
    if (!strcmp(mode, "channel") && n > 0 && xs.rank >= 2) {
        /* one slope per channel, laid out along the channel axis */
        int64_t d[MO_MAX_RANK];
        bool last = !strcmp(fmt, "NHWC");
        for (int i = 0; i < xs.rank; i++)
            d[i] = 1;
        d[last ? xs.rank - 1 : 1] = n;
        struct mo_node *r = mo_pd_reshape(t, "slope", a, d + 1, xs.rank - 1, err);
        if (!r)
            return mo_pd_status(err);
        a = mo_val(r, 0);
    } else if (!strcmp(mode, "element") && as.rank == xs.rank && as.rank > 0) {
        /* [1, C, H, W]: numpy broadcasting applies as is */
    } else if (n == 1) {
        struct mo_node *r = mo_pd_reshape(t, "slope", a, (int64_t[]){1}, 1, err);
        if (!r)
            return mo_pd_status(err);
        a = mo_val(r, 0);
    }
    struct mo_node *p = mo_pd_op(t, "PRelu", NULL, err, 2, x, a);
    if (!p)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(p, 0), err);
}

static enum mo_status tr_gelu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    struct mo_node *n = mo_pd_op(t, "Gelu", NULL, err, 1, x);
    if (!n || mo_node_set_str(n, "approximation_mode",
                              mo_node_get_bool(fw, "approximate", false, NULL) ? "TANH" : "ERF") != MO_OK)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err);
}

static enum mo_status tr_elu(struct mo_tctx *t, const struct mo_node *fw, void *user,
                             struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    struct mo_node *n = mo_pd_op(t, "Elu", NULL, err, 1, x);
    if (!n || mo_node_set_float(n, "alpha", mo_node_get_float(fw, "alpha", 1.0, NULL)) != MO_OK)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err);
}

MO_PD_TABLE(mo_pd_tr_activation,
            {"relu", tr_relu}, {"relu6", tr_relu6}, {"sigmoid", tr_sigmoid},
            {"tanh", tr_tanh}, {"exp", tr_exp}, {"sqrt", tr_sqrt}, {"abs", tr_abs},
            {"log", tr_log}, {"floor", tr_floor}, {"ceil", tr_ceil},
            {"softplus", tr_softplus}, {"mish", tr_mish}, {"silu", tr_silu},
            {"hard_swish", tr_hard_swish}, {"hard_sigmoid", tr_hard_sigmoid},
            {"swish", tr_swish}, {"leaky_relu", tr_leaky_relu}, {"prelu", tr_prelu},
            {"gelu", tr_gelu}, {"elu", tr_elu}, {"clip", tr_clip});
