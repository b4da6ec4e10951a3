/* tr_eltwise.c - elementwise_{add,sub,mul,div,max,min,pow} with Paddle's
 * axis broadcasting, and scale. */
#include <config.h>

#include <string.h>

#include "paddle.h"

static enum mo_status binary(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                             struct mo_error *err)
{
    struct mo_value x, y;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "Y", &y, err);
    if (st != MO_OK)
        return st;
    struct mo_shape xs = mo_pd_shape(x), ys = mo_pd_shape(y);
    int64_t axis = mo_node_get_int(fw, "axis", -1, NULL);
    /* axis names where y's dims start inside x's; -1 is numpy's rule */
    if (axis >= 0 && xs.rank >= 0 && ys.rank >= 0 && ys.rank < xs.rank) {
        if ((st = mo_pd_align(t, "y_aligned", &y, (int)axis, xs.rank, err)) != MO_OK)
            return st;
    } else if (axis >= 0 && xs.rank >= 0 && ys.rank > xs.rank) {
        if ((st = mo_pd_align(t, "x_aligned", &x, (int)axis, ys.rank, err)) != MO_OK)
            return st;
    }
    struct mo_node *n = mo_pd_op(t, type, NULL, err, 2, x, y);
    if (!n)
        return mo_pd_status(err);
    if (!strcmp(type, "Divide") && !mo_etype_is_float(mo_pd_et(x)) &&
        mo_node_set_bool(n, "m_pythondiv", false) != MO_OK)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err);
}

#define BINARY(fn, type)                                                                    \
    static enum mo_status fn(struct mo_tctx *t, const struct mo_node *fw, void *user,       \
                             struct mo_error *err)                                          \
    {                                                                                       \
        return binary(t, fw, type, err);                                                    \
    }

BINARY(tr_add, "Add")
BINARY(tr_sub, "Subtract")
BINARY(tr_mul, "Multiply")
BINARY(tr_div, "Divide")
BINARY(tr_max, "Maximum")
BINARY(tr_min, "Minimum")
BINARY(tr_pow, "Power")
BINARY(tr_mod, "FloorMod")
BINARY(tr_eq, "Equal")
BINARY(tr_ne, "NotEqual")
BINARY(tr_lt, "Less")
BINARY(tr_le, "LessEqual")
BINARY(tr_gt, "Greater")
BINARY(tr_ge, "GreaterEqual")

static enum mo_status tr_scale(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    enum mo_etype et = mo_pd_et(x);
    double scale = mo_node_get_float(fw, "scale", 1.0, NULL);
    double bias = mo_node_get_float(fw, "bias", 0.0, NULL);
    bool after = mo_node_get_bool(fw, "bias_after_scale", true, NULL);
    struct mo_value s = mo_pd_in(t, fw, "ScaleTensor", 0);
    if (!s.node) {
        struct mo_node *c = mo_pd_scalar(t, "scale", et, scale, err);
        if (!c)
            return mo_pd_status(err);
        s = mo_val(c, 0);
    }
    struct mo_node *b = bias != 0.0 ? mo_pd_scalar(t, "bias", et, bias, err) : NULL;
    if (bias != 0.0 && !b)
        return mo_pd_status(err);
    struct mo_value y = x;
    if (!after && b) {
        struct mo_node *a = mo_pd_op(t, "Add", "biased", err, 2, y, mo_val(b, 0));
        if (!a)
            return mo_pd_status(err);
        y = mo_val(a, 0);
    }
    struct mo_node *m = mo_pd_op(t, "Multiply", after && b ? "scaled" : NULL, err, 2, y, s);
    if (!m)
        return mo_pd_status(err);
    y = mo_val(m, 0);
    if (after && b) {
        struct mo_node *a = mo_pd_op(t, "Add", NULL, err, 2, y, mo_val(b, 0));
        if (!a)
            return mo_pd_status(err);
        y = mo_val(a, 0);
    }
    return mo_pd_set_out(t, fw, "Out", y, err);
}

MO_PD_TABLE(mo_pd_tr_eltwise,
            {"elementwise_add", tr_add}, {"elementwise_sub", tr_sub},
            {"elementwise_mul", tr_mul}, {"elementwise_div", tr_div},
            {"elementwise_max", tr_max}, {"elementwise_min", tr_min},
            {"elementwise_pow", tr_pow}, {"elementwise_mod", tr_mod},
            {"equal", tr_eq}, {"not_equal", tr_ne}, {"less_than", tr_lt},
            {"less_equal", tr_le}, {"greater_than", tr_gt}, {"greater_equal", tr_ge},
            {"scale", tr_scale});
