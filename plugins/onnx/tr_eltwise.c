/* tr_eltwise.c - binary elementwise arithmetic, comparison and logic with
 * numpy broadcasting (and the legacy broadcast/axis attributes before
 * opset 7), and the variadic Sum/Mean/Max/Min. */
#include <config.h>

#include <string.h>

#include "onnx.h"

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
    struct mo_value z = mo_build_op(b, type, NULL, 2, x, y);
    if (!strcmp(type, "Divide") && !mo_etype_is_float(mo_value_et(x)))
        mo_build_set_bool(b, z, "m_pythondiv", false);     /* C division, as ONNX defines it */
    return mo_build_done(b, z);
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
    {"Sum", 1, tr_variadic, "Add"},
    {"Mean", 1, tr_variadic, "Mean"},
    {"Max", 1, tr_variadic, "Maximum"},
    {"Min", 1, tr_variadic, "Minimum"},
)
