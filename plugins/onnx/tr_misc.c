/* tr_misc.c - Identity, Dropout, Cast, CastLike, ConstantOfShape, Range. */
#include <config.h>

#include <string.h>

#include "onnx.h"

/* Identity and inference-time Dropout: the input itself.  Dropout's mask
 * output, when a consumer reads it, is all true at inference. */
static enum mo_status tr_identity(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    if (fw->n_outputs > 1 && fw->outputs[1].n_names) {
        struct mo_value s = mo_build_shape_of(b, "mask_shape", x, MO_ET_I64);
        struct mo_value one = mo_build_scalar(b, "mask_value", MO_ET_BOOLEAN, 1.0);
        mo_build_output(b, 1, mo_build_op(b, "Broadcast", "mask", 2, one, s));
    }
    return mo_build_done(b, x);
}

static enum mo_status tr_cast(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    if (user) {
        struct mo_value like = mo_build_in(b, 1, "target_type");
        return mo_build_done(b, mo_build_op(b, "ConvertLike", NULL, 2, x, like));
    }
    char q[16];
    int to = (int)mo_node_get_int(fw, "to", 0, NULL);
    enum mo_etype et = mo_ox_etype(to);
    if (et == MO_ET_UNDEFINED)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "casting to %s: the IR has no such element type",
                              mo_ox_dtype_name(to, q));
    return mo_build_done(b, mo_build_convert(b, NULL, x, et));
}

/* ConstantOfShape: the value attribute (a 1-element tensor; f32 0 when
 * absent) broadcast to the shape input. */
static enum mo_status tr_constant_of_shape(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                           struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value s = mo_build_in(b, 0, "input");
    const struct mo_attr *a = mo_node_attr(fw, "value");
    struct mo_value v;
    if (a && a->kind == MO_ATTR_TENSOR) {
        if (mo_tensor_numel(a->u.t) != 1)
            return mo_build_fail(b, "value holds %lld elements; ConstantOfShape needs one",
                                 (long long)mo_tensor_numel(a->u.t));
        struct mo_shape sc = mo_shape_scalar();
        v = mo_build_tensor(b, "value", mo_tensor_reshaped(a->u.t, &sc, err));
    } else {
        v = mo_build_scalar(b, "value", MO_ET_F32, 0.0);
    }
    return mo_build_done(b, mo_build_op(b, "Broadcast", NULL, 2, v, s));
}

static enum mo_status tr_range(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value s = mo_build_in(b, 0, "start");
    struct mo_value l = mo_build_in(b, 1, "limit");
    struct mo_value d = mo_build_in(b, 2, "delta");
    struct mo_value y = mo_build_op(b, "Range", NULL, 3, s, l, d);
    return mo_build_done(b, mo_build_set_str(b, y, "output_type", mo_etype_name(mo_value_et(s))));
}

MO_OX_TABLE(mo_ox_tr_misc,
    {"Identity", 1, tr_identity, NULL},
    {"Dropout", 1, tr_identity, NULL},
    {"Cast", 1, tr_cast, NULL},
    {"CastLike", 15, tr_cast, "like"},
    {"ConstantOfShape", 9, tr_constant_of_shape, NULL},
    {"Range", 11, tr_range, NULL},
)
