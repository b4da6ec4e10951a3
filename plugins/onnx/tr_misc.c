/* tr_misc.c - Identity, Dropout, Cast, CastLike, ConstantOfShape, Range. */
#include <config.h>

#include <string.h>

#include "onnx.h"

/* Identity, and Dropout at inference: the input itself; Dropout's mask
 * output, when a consumer reads it, is all true. */
static enum mo_status identity_of(struct mo_build *b, const struct mo_node *fw, struct mo_value x)
{
    if (fw->n_outputs > 1 && fw->outputs[1].n_names) {
        struct mo_value s = mo_build_shape_of(b, "mask_shape", x, MO_ET_I64);
        struct mo_value one = mo_build_scalar(b, "mask_value", MO_ET_BOOLEAN, 1.0);
        mo_build_output(b, 1, mo_build_op(b, "Broadcast", "mask", 2, one, s));
    }
    return mo_build_done(b, x);
}

static enum mo_status tr_identity(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    return identity_of(b, fw, mo_build_in(b, 0, "input"));
}

/* Dropout from opset 12, whose training_mode input may ask for training
 * behaviour: y = x * mask / (1 - ratio), mask = uniform [0, 1) >= ratio
 * (ratio input 1, 0.5 when absent).  A constant false training_mode (or
 * none) is the inference identity; a computed one selects between the two
 * at run time.  The random draws are the runtime's, not onnxruntime's:
 * only a ratio of 0 gives results that match exactly. */
static enum mo_status tr_dropout(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int64_t tm = 0;
    int n = mo_ox_const_ints(b, 2, &tm, 1);
    if (n == -1 || (n == 1 && !tm))
        return identity_of(b, fw, x);
    enum mo_etype et = mo_value_et(x);
    struct mo_value r = mo_ox_has_in(b, 1) ? mo_ox_scalar_of(b, "ratio_scalar", mo_build_in(b, 1, "ratio"))
                                           : mo_build_scalar(b, "ratio", MO_ET_F32, 0.5);
    if (mo_value_et(r) != MO_ET_F32)
        r = mo_build_convert(b, "ratio_f32", r, MO_ET_F32);
    struct mo_value s = mo_build_shape_of(b, "shape", x, MO_ET_I64);
    struct mo_value lo = mo_build_scalar(b, "low", MO_ET_F32, 0.0);
    struct mo_value hi = mo_build_scalar(b, "high", MO_ET_F32, 1.0);
    struct mo_value u = mo_build_op(b, "RandomUniform", "uniform", 3, s, lo, hi);
    mo_build_set_str(b, u, "output_type", "f32");
    int64_t seed = mo_node_get_int(fw, "seed", 0, NULL);
    mo_build_set_int(b, u, "op_seed", seed < 0 ? -seed : seed);
    struct mo_value keep = mo_build_op(b, "GreaterEqual", "keep", 2, u, r);
    struct mo_value one = mo_build_scalar(b, "one", MO_ET_F32, 1.0);
    struct mo_value kr = mo_build_op(b, "Subtract", "keep_ratio", 2, one, r);
    struct mo_value sc = mo_build_op(b, "Divide", "scale", 2, one, kr);
    struct mo_value m = mo_build_convert(b, "mask_f32", keep, MO_ET_F32);
    struct mo_value f = mo_build_op(b, "Multiply", "factor", 2, m, sc);
    if (et != MO_ET_F32)
        f = mo_build_convert(b, "factor_cast", f, et);
    bool computed = n == -2;
    struct mo_value y = mo_build_op(b, "Multiply", computed ? "trained" : NULL, 2, x, f);
    struct mo_value on = MO_NO_VALUE;
    if (computed) {
        on = mo_ox_scalar_of(b, "training_scalar", mo_build_in(b, 2, "training_mode"));
        y = mo_build_op(b, "Select", NULL, 3, on, y, x);
    }
    if (fw->n_outputs > 1 && fw->outputs[1].n_names) {
        struct mo_value mask = keep;
        if (computed) {
            struct mo_value nt = mo_build_op(b, "LogicalNot", "not_training", 1, on);
            mask = mo_build_op(b, "LogicalOr", "mask", 2, keep, nt);
        }
        mo_build_output(b, 1, mask);
    }
    return mo_build_done(b, y);
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
    {"Dropout", 12, tr_dropout, NULL},
    {"Cast", 1, tr_cast, NULL},
    {"CastLike", 15, tr_cast, "like"},
    {"ConstantOfShape", 9, tr_constant_of_shape, NULL},
    {"Range", 11, tr_range, NULL},
)
