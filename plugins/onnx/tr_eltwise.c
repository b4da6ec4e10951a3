/* tr_eltwise.c - binary elementwise arithmetic, comparison, logic and
 * bitwise ops with numpy broadcasting (and the legacy broadcast/axis
 * attributes before opset 7), BitwiseNot, and the variadic
 * Sum/Mean/Max/Min. */
#include <config.h>

#include <string.h>

#include "onnx.h"

/* Binary ops; user is the IR type.  Branches for ONNX's own rules:
 *  - Div on integers truncates toward zero (C division);
 *  - Pow's exponent may have another type than its base (12+), the result
 *    having the base's: a float exponent of an integer base is applied in
 *    the exponent's type and the result converted back, anything else is
 *    converted to the base's type;
 *  - Mod (user "FloorMod") takes the divisor's sign (Python %) unless
 *    fmod=1 asks for C's fmod, the dividend's;
 *  - BitShift (user NULL) shifts left or right by direction. */
static enum mo_status tr_binary(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "A");
    struct mo_value y = mo_build_in(b, 1, "B");
    /* before opset 7, broadcast=1 with axis aligned B's dims at axis of A */
    if (mo_node_get_int(fw, "broadcast", 0, NULL) && mo_node_attr(fw, "axis")) {
        int xr = mo_value_shape(x).rank;
        int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", 0, NULL), xr, "axis");
        y = mo_build_align_axis(b, "b_aligned", y, (int)axis, xr);
    }
    const char *type = user;
    if (!type) {
        const char *dir = mo_node_get_str(fw, "direction", "");
        if (strcmp(dir, "LEFT") && strcmp(dir, "RIGHT"))
            return mo_build_fail(b, "direction '%s' is not LEFT or RIGHT", dir);
        type = !strcmp(dir, "LEFT") ? "BitwiseLeftShift" : "BitwiseRightShift";
    }
    if (!strcmp(type, "FloorMod") && mo_node_get_int(fw, "fmod", 0, NULL))
        type = "Mod";
    enum mo_etype xt = mo_value_et(x), yt = mo_value_et(y);
    bool back = false;
    if (!strcmp(type, "Power") && mo_build_ok(b) && xt != yt) {
        back = !mo_etype_is_float(xt) && mo_etype_is_float(yt);
        if (back)
            x = mo_build_convert(b, "base_cast", x, yt);
        else
            y = mo_build_convert(b, "exponent_cast", y, xt);
    }
    /* The CPU runtime divides 8-bit integers of dynamic shape in floating
     * point and rounds (OpenVINO 2026.4): they are divided as i32. */
    bool wide = !strcmp(type, "Divide") && (xt == MO_ET_I8 || xt == MO_ET_U8);
    if (wide) {
        x = mo_build_convert(b, "a_i32", x, MO_ET_I32);
        y = mo_build_convert(b, "b_i32", y, MO_ET_I32);
    }
    struct mo_value z = mo_build_op(b, type, back ? "power" : wide ? "quotient" : NULL, 2, x, y);
    if (!strcmp(type, "Divide") && !mo_etype_is_float(xt))
        mo_build_set_bool(b, z, "m_pythondiv", false);     /* C division, as ONNX defines it */
    if (back || wide)
        z = mo_build_convert(b, NULL, z, xt);
    return mo_build_done(b, z);
}

static enum mo_status tr_unary(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    return mo_build_done(b, mo_build_op(b, user, NULL, 1, x));
}

/* Sum, Mean, Max, Min of any number of inputs: a left-to-right chain. */
static enum mo_status tr_variadic(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    const char *type = !strcmp(user, "Mean") ? "Add" : user;
    unsigned n = fw->n_inputs;
    struct mo_value acc = mo_build_in(b, 0, "data_0");
    for (unsigned i = 1; i < n; i++) {
        struct mo_value v = mo_build_in(b, i, NULL);
        bool last = i + 1 == n && strcmp(user, "Mean");
        const char *sfx = last ? NULL : mo_graph_printf(mo_build_graph(b), "acc_%u", i);
        acc = mo_build_op(b, type, sfx, 2, acc, v);
    }
    if (!strcmp(user, "Mean")) {
        struct mo_value c = mo_build_scalar(b, "count", mo_value_et(acc), (double)n);
        acc = mo_build_op(b, "Divide", NULL, 2, acc, c);
    }
    return mo_build_done(b, acc);
}

MO_OX_TABLE(mo_ox_tr_eltwise,
    {"Add", 1, tr_binary, "Add"},
    {"Sub", 1, tr_binary, "Subtract"},
    {"Mul", 1, tr_binary, "Multiply"},
    {"Div", 1, tr_binary, "Divide"},
    {"Pow", 1, tr_binary, "Power"},
    {"Equal", 1, tr_binary, "Equal"},
    {"Less", 1, tr_binary, "Less"},
    {"Greater", 1, tr_binary, "Greater"},
    {"LessOrEqual", 12, tr_binary, "LessEqual"},
    {"GreaterOrEqual", 12, tr_binary, "GreaterEqual"},
    {"And", 1, tr_binary, "LogicalAnd"},
    {"Or", 1, tr_binary, "LogicalOr"},
    {"Xor", 1, tr_binary, "LogicalXor"},
    {"Mod", 10, tr_binary, "FloorMod"},
    {"BitShift", 11, tr_binary, NULL},
    {"BitwiseAnd", 18, tr_binary, "BitwiseAnd"},
    {"BitwiseOr", 18, tr_binary, "BitwiseOr"},
    {"BitwiseXor", 18, tr_binary, "BitwiseXor"},
    {"BitwiseNot", 18, tr_unary, "BitwiseNot"},
    {"Sum", 1, tr_variadic, "Add"},
    {"Mean", 1, tr_variadic, "Mean"},
    {"Max", 1, tr_variadic, "Maximum"},
    {"Min", 1, tr_variadic, "Minimum"},
)
