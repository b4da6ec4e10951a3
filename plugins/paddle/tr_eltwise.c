/* tr_eltwise.c - elementwise_{add,sub,mul,div,max,min,pow} with Paddle's
 * axis broadcasting, and scale. */
#include <config.h>

#include <string.h>

#include "paddle.h"

static enum mo_status binary(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                             struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value y = mo_pd_in(b, "Y", 0);
    int xr = mo_value_shape(x).rank, yr = mo_value_shape(y).rank;
    int64_t axis = mo_node_get_int(fw, "axis", -1, NULL);
    /* axis names where y's dims start inside x's; -1 is numpy's rule */
    if (axis >= 0 && xr >= 0 && yr >= 0 && yr < xr)
        y = mo_build_align_axis(b, "y_aligned", y, (int)axis, xr);
    else if (axis >= 0 && xr >= 0 && yr > xr)
        x = mo_build_align_axis(b, "x_aligned", x, (int)axis, yr);
    if (mo_value_et(x) == MO_ET_BOOLEAN && mo_value_et(y) == MO_ET_BOOLEAN) {
        /* the IR's arithmetic takes no booleans; on {0, 1} Paddle's add and
         * max are "or", mul and min are "and" */
        if (!strcmp(type, "Add") || !strcmp(type, "Maximum"))
            type = "LogicalOr";
        else if (!strcmp(type, "Multiply") || !strcmp(type, "Minimum"))
            type = "LogicalAnd";
    }
    struct mo_value z = mo_build_op(b, type, NULL, 2, x, y);
    if (!strcmp(type, "Divide") && !mo_etype_is_float(mo_value_et(x)))
        mo_build_set_bool(b, z, "m_pythondiv", false);
    return mo_pd_set_out(b, "Out", z);
}

MO_PD_VARIANT(tr_add, binary, "Add")
MO_PD_VARIANT(tr_sub, binary, "Subtract")
MO_PD_VARIANT(tr_mul, binary, "Multiply")
MO_PD_VARIANT(tr_div, binary, "Divide")
MO_PD_VARIANT(tr_max, binary, "Maximum")
MO_PD_VARIANT(tr_min, binary, "Minimum")
MO_PD_VARIANT(tr_pow, binary, "Power")
MO_PD_VARIANT(tr_mod, binary, "FloorMod")
MO_PD_VARIANT(tr_eq, binary, "Equal")
MO_PD_VARIANT(tr_ne, binary, "NotEqual")
MO_PD_VARIANT(tr_lt, binary, "Less")
MO_PD_VARIANT(tr_le, binary, "LessEqual")
MO_PD_VARIANT(tr_gt, binary, "Greater")
MO_PD_VARIANT(tr_ge, binary, "GreaterEqual")

static enum mo_status tr_scale(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    enum mo_etype et = mo_value_et(x);
    double scale = mo_node_get_float(fw, "scale", 1.0, NULL);
    double bias = mo_node_get_float(fw, "bias", 0.0, NULL);
    bool after = mo_node_get_bool(fw, "bias_after_scale", true, NULL);
    struct mo_value s = mo_pd_in_opt(b, "ScaleTensor", 0);
    if (!s.node) /* PIR passes a computed scale as the input "scale" */
        s = mo_pd_in_opt(b, "scale", 0);
    if (s.node)
        s = mo_pd_scalar(b, "scale", s, et);
    else
        s = mo_build_scalar(b, "scale", et, scale);
    if (bias == 0.0)
        return mo_pd_set_out(b, "Out", mo_build_op(b, "Multiply", NULL, 2, x, s));
    struct mo_value c = mo_build_scalar(b, "bias", et, bias);
    if (!after) {
        struct mo_value y = mo_build_op(b, "Add", "biased", 2, x, c);
        return mo_pd_set_out(b, "Out", mo_build_op(b, "Multiply", NULL, 2, y, s));
    }
    struct mo_value y = mo_build_op(b, "Multiply", "scaled", 2, x, s);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Add", NULL, 2, y, c));
}

MO_PD_TABLE(mo_pd_tr_eltwise,
            {"elementwise_add", tr_add}, {"elementwise_sub", tr_sub},
            {"elementwise_mul", tr_mul}, {"elementwise_div", tr_div},
            {"elementwise_max", tr_max}, {"elementwise_min", tr_min},
            {"elementwise_pow", tr_pow}, {"elementwise_mod", tr_mod},
            {"equal", tr_eq}, {"not_equal", tr_ne}, {"less_than", tr_lt},
            {"less_equal", tr_le}, {"greater_than", tr_gt}, {"greater_equal", tr_ge},
            {"scale", tr_scale});
