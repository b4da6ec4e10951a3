/* tr_norm.c - BatchNormalization, Softmax, LogSoftmax. */
#include <config.h>

#include <string.h>

#include "onnx.h"

static enum mo_status tr_batch_norm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value g = mo_build_in(b, 1, "scale");
    struct mo_value be = mo_build_in(b, 2, "B");
    struct mo_value m = mo_build_in(b, 3, "input_mean");
    struct mo_value v = mo_build_in(b, 4, "input_var");
    if (mo_node_get_int(fw, "training_mode", 0, NULL))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "training_mode=1 computes batch statistics; export "
                              "the model in inference mode (model.eval())");
    struct mo_value y = mo_build_op(b, "BatchNormInference", NULL, 5, x, g, be, m, v);
    return mo_build_done(b, mo_build_set_float(b, y, "epsilon", mo_node_get_float(fw, "epsilon", 1e-5, NULL)));
}

/* Softmax and LogSoftmax.  Before opset 13 the input is seen as 2-D,
 * [prod(dims before axis), prod(dims from axis)] (user non-NULL: the IR
 * type of the old form), axis 1 by default; from 13 one axis, -1 by
 * default. */
static enum mo_status softmax(struct mo_tctx *t, const struct mo_node *fw, const char *type, bool coerce,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    int r = mo_value_shape(x).rank;
    int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", coerce ? 1 : -1, NULL), r, "axis");
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (!coerce || axis == r - 1) {
        struct mo_value y = mo_build_op(b, type, NULL, 1, x);
        return mo_build_done(b, mo_build_set_int(b, y, "axis", coerce ? r - 1 : axis));
    }
    /* flatten to 2-D at axis, softmax over the second dim, restore the shape */
    struct mo_value shape = mo_build_shape_of(b, "shape", x, MO_ET_I64);
    struct mo_value flat;
    if (axis == 0)
        flat = mo_build_reshape(b, "flatten", x, (int64_t[]){1, -1}, 2, false);
    else {
        struct mo_value prod_axes = mo_build_i64(b, "lead_axes", (int64_t[]){0}, 1);
        struct mo_value dims = mo_build_slice(b, "lead_dims", shape, (int64_t[]){0}, (int64_t[]){axis},
                                              (int64_t[]){1}, (int64_t[]){0}, 1);
        struct mo_value n = mo_build_op(b, "ReduceProd", "lead_prod", 2, dims, prod_axes);
        mo_build_set_bool(b, n, "keep_dims", true);
        struct mo_value m1 = mo_build_i64(b, "rest", (int64_t[]){-1}, 1);
        struct mo_value target = mo_build_concat(b, "target", 0, 2, (struct mo_value[]){n, m1});
        flat = mo_build_reshape_to(b, "flatten", x, target, false);
    }
    struct mo_value y = mo_build_op(b, type, "2d", 1, flat);
    mo_build_set_int(b, y, "axis", 1);
    return mo_build_done(b, mo_build_reshape_to(b, NULL, y, shape, false));
}

static enum mo_status tr_softmax(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    return softmax(t, fw, "Softmax", user != NULL, err);
}

static enum mo_status tr_log_softmax(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                     struct mo_error *err)
{
    return softmax(t, fw, "LogSoftmax", user != NULL, err);
}

MO_OX_TABLE(mo_ox_tr_norm,
    {"BatchNormalization", 1, tr_batch_norm, NULL},
    {"Softmax", 1, tr_softmax, "2-D"},
    {"Softmax", 13, tr_softmax, NULL},
    {"LogSoftmax", 1, tr_log_softmax, "2-D"},
    {"LogSoftmax", 13, tr_log_softmax, NULL},
)
