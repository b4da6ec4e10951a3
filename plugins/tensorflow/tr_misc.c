/* tr_misc.c - the identities, Cast, Fill, Range, Shape, ZerosLike/OnesLike,
 * GatherV2, GatherNd, the image resizes and the fake quantizations. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tf.h"

/* Identity, StopGradient, Snapshot...: the input itself; IdentityN: each
 * input is the output of the same index. */
static enum mo_status tr_identity(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    for (unsigned o = 1; o < fw->n_outputs; o++)
        mo_build_output(b, o, mo_build_in(b, o, "input"));
    return mo_build_done(b, mo_build_in(b, 0, "input"));
}

static enum mo_status tr_cast(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x");
    int dt = (int)mo_node_get_int(fw, "DstT", 0, NULL);
    enum mo_etype et = mo_tf_etype(dt);
    char q[16];
    if (et == MO_ET_UNDEFINED)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 10, "a cast to %s, which the IR cannot hold",
                              mo_tf_dtype_name(dt, q));
    return mo_build_done(b, mo_build_convert(b, NULL, x, et));
}

/* Fill(dims, value): the value broadcast to dims. */
static enum mo_status tr_fill(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value dims = mo_tf_in_i64(b, 0, "dims");
    struct mo_value v = mo_build_in(b, 1, "value");
    return mo_build_done(b, mo_build_op(b, "Broadcast", NULL, 2, v, dims));
}

/* ZerosLike, OnesLike: a scalar of x's type broadcast to x's shape. */
static enum mo_status tr_like(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x");
    struct mo_value v = mo_build_scalar(b, "value", mo_value_et(x), user ? 1.0 : 0.0);
    struct mo_value s = mo_build_shape_of(b, "shape", x, MO_ET_I64);
    return mo_build_done(b, mo_build_op(b, "Broadcast", NULL, 2, v, s));
}

static enum mo_status tr_range(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value s = mo_build_in(b, 0, "start"), l = mo_build_in(b, 1, "limit"), d = mo_build_in(b, 2, "delta");
    enum mo_etype et = mo_tf_etype((int)mo_node_get_int(fw, "Tidx", 3, NULL));
    struct mo_value y = mo_build_op(b, "Range", NULL, 3, s, l, d);
    return mo_build_done(b, mo_build_set_str(b, y, "output_type", mo_etype_name(et)));
}

/* Shape (out_type), Size, Rank. */
static enum mo_status tr_shape(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    enum mo_etype et = mo_tf_etype((int)mo_node_get_int(fw, "out_type", 3, NULL));
    if (et != MO_ET_I64)
        et = MO_ET_I32;
    if (!strcmp(fw->type, "Shape"))
        return mo_build_done(b, mo_build_shape_of(b, NULL, x, et));
    struct mo_value s = mo_build_shape_of(b, "shape", x, et);
    if (!strcmp(fw->type, "Rank"))
        return mo_build_done(b, mo_build_squeeze(b, NULL, mo_build_shape_of(b, "rank", s, et), (int64_t[]){0}, 1));
    struct mo_value ax = mo_build_i64_scalar(b, "axis", 0);
    struct mo_value y = mo_build_op(b, "ReduceProd", NULL, 2, s, ax);
    return mo_build_done(b, mo_build_set_bool(b, y, "keep_dims", false));
}

/* GatherV2(params, indices, axis) batch_dims; Gather (v1) on axis 0. */
static enum mo_status tr_gather(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value p = mo_build_in(b, 0, "params"), i = mo_build_in(b, 1, "indices");
    int64_t a = 0;
    if (!strcmp(fw->type, "GatherV2") && mo_tf_const_ints(b, 2, &a, 1) != 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "the axis (input 2) must be one constant");
    a = mo_tf_axis(b, a, mo_value_shape(p).rank);
    struct mo_value y = mo_build_gather(b, NULL, p, i, a);
    return mo_build_done(b, mo_build_set_int(b, y, "batch_dims", mo_node_get_int(fw, "batch_dims", 0, NULL)));
}

/* ResizeBilinear, ResizeNearestNeighbor (images NHWC, size [h, w]):
 * Interpolate-11 on axes 1 and 2 by sizes.  align_corners and
 * half_pixel_centers pick the coordinate transformation (and, for nearest,
 * the rounding TensorFlow uses with it). */
static enum mo_status tr_resize(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    bool nearest = user != NULL;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "images");
    struct mo_value sz = mo_tf_in_i64(b, 1, "size");
    bool ac = mo_node_get_bool(fw, "align_corners", false, NULL);
    bool hp = mo_node_get_bool(fw, "half_pixel_centers", false, NULL);
    if (ac && hp)
        return mo_build_fail(b, "align_corners and half_pixel_centers are both true");
    const char *coord = ac ? "align_corners" : hp ? (nearest ? "tf_half_pixel_for_nn" : "half_pixel") : "asymmetric";
    const char *nm = ac ? "round_prefer_ceil" : "floor";
    struct mo_value axes = mo_build_i64(b, "axes", (int64_t[]){1, 2}, 2);
    struct mo_value y = mo_build_op(b, "Interpolate", NULL, 3, x, sz, axes);
    mo_build_set_str(b, y, "mode", nearest ? "nearest" : "linear_onnx");
    mo_build_set_str(b, y, "shape_calculation_mode", "sizes");
    mo_build_set_str(b, y, "coordinate_transformation_mode", coord);
    mo_build_set_str(b, y, "nearest_mode", nm);
    return mo_build_done(b, y);
}

/* GatherNd(params, indices): the IR's GatherND. */
static enum mo_status tr_gather_nd(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value p = mo_build_in(b, 0, "params"), i = mo_build_in(b, 1, "indices");
    return mo_build_done(b, mo_build_op(b, "GatherND", NULL, 2, p, i));
}

/* FakeQuantWithMinMaxVars(PerChannel)(inputs, min, max) num_bits,
 * narrow_range: FakeQuantize with TensorFlow's nudged range (moved so that
 * zero is one of the levels), computed here from the constant bounds. */
static enum mo_status tr_fake_quant(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "inputs");
    struct mo_tensor *mn = mo_value_const(mo_build_in(b, 1, "min")), *mx = mo_value_const(mo_build_in(b, 2, "max"));
    if (mo_build_ok(b) && (!mn || !mx || mo_tensor_numel(mn) != mo_tensor_numel(mx) || mo_tensor_numel(mn) > 4096))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "min and max must be constants of one size (at most 4096)");
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int64_t bits = mo_node_get_int(fw, "num_bits", 8, NULL);
    bool narrow = mo_node_get_bool(fw, "narrow_range", false, NULL);
    if (bits < 2 || bits > 16)
        return mo_build_fail(b, "num_bits=%lld (2 to 16 supported)", (long long)bits);
    /* in float, as TensorFlow nudges: a zero point of 127.5 in double is
     * 127.49999 there, and rounds the other way */
    float qmin = narrow ? 1.0f : 0.0f, qmax = (float)((1 << bits) - 1);
    int64_t n = mo_tensor_numel(mn);
    double lo[4096], hi[4096];
    for (int64_t i = 0; i < n; i++) {
        float a = (float)mo_tensor_get_f64(mn, i), c = (float)mo_tensor_get_f64(mx, i);
        float scale = (c - a) / (qmax - qmin);
        float zp = scale > 0 ? qmin - a / scale : qmin;
        float nzp = zp < qmin ? qmin : zp > qmax ? qmax : roundf(zp);
        lo[i] = (double)((qmin - nzp) * scale);
        hi[i] = (double)((qmax - nzp) * scale);
    }
    /* per channel: bounds [C] on the last dim, numpy broadcasting */
    struct mo_shape sh = mn->shape;
    enum mo_etype et = mo_value_et(x);
    struct mo_value il = mo_build_const(b, "input_low", et, &sh, lo);
    struct mo_value ih = mo_build_const(b, "input_high", et, &sh, hi);
    struct mo_value y = mo_build_op(b, "FakeQuantize", NULL, 5, x, il, ih, il, ih);
    return mo_build_done(b, mo_build_set_int(b, y, "levels", (int64_t)(qmax - qmin) + 1));
}

/* Switch (TF1 tf.cond): both branches get the data; the Merge below
 * picks (tr_merge). */
static enum mo_status tr_switch(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    for (unsigned o = 1; o < fw->n_outputs; o++)
        mo_build_output(b, o, x);
    return mo_build_done(b, x);
}

/* Merge of a tf.cond (see tf.h, MO_TF_TRUE_INPUT): Select on the
 * predicate the loader wired to input 2; value_index is the index of the
 * input chosen. */
static enum mo_status tr_merge(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    bool ok;
    int64_t ti = mo_node_get_int(fw, MO_TF_TRUE_INPUT, 0, &ok);
    if (!ok || fw->n_inputs != 3)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "a Merge that does not end a tf.cond");
    struct mo_value pred = mo_build_in(b, 2, "pred");
    struct mo_value yt = mo_build_in(b, (unsigned)ti, "inputs"), yf = mo_build_in(b, (unsigned)(1 - ti), "inputs");
    if (fw->n_outputs > 1) {
        struct mo_value it = mo_build_scalar(b, "index_true", MO_ET_I32, (double)ti);
        struct mo_value ie = mo_build_scalar(b, "index_false", MO_ET_I32, (double)(1 - ti));
        mo_build_output(b, 1, mo_build_op(b, "Select", "value_index", 3, pred, it, ie));
    }
    return mo_build_done(b, mo_build_op(b, "Select", NULL, 3, pred, yt, yf));
}

/* A functional If, inlined (MO_TF_SELECT_OP): Select per result on the
 * condition, a scalar (a number is true when not zero). */
static enum mo_status tr_if_select(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value c = mo_build_in(b, 0, "cond");
    unsigned n = fw->n_inputs > 0 ? (fw->n_inputs - 1) / 2 : 0;
    if (mo_build_ok(b) && mo_value_shape(c).rank > 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "a condition of rank %d (a scalar is supported)",
                              mo_value_shape(c).rank);
    if (mo_build_ok(b) && mo_value_et(c) != MO_ET_BOOLEAN) {
        struct mo_value zero = mo_build_scalar(b, "zero", mo_value_et(c), 0.0);
        c = mo_build_op(b, "NotEqual", "cond", 2, c, zero);
    }
    for (unsigned k = 0; k < n && k < fw->n_outputs; k++) {
        char sfx[32];
        snprintf(sfx, sizeof sfx, "out%u", k);
        struct mo_value yt = mo_build_in(b, 1 + k, "then"), ye = mo_build_in(b, 1 + n + k, "else");
        mo_build_output(b, k, mo_build_op(b, "Select", k ? sfx : NULL, 3, c, yt, ye));
    }
    return mo_build_status(b);
}

static const char tag;

MO_TF_TABLE(mo_tf_tr_misc,
            {"Identity", tr_identity, NULL},
            {"IdentityN", tr_identity, NULL},
            {"StopGradient", tr_identity, NULL},
            {"ReadVariableOp", tr_identity, NULL},
            {"PreventGradient", tr_identity, NULL},
            {"Snapshot", tr_identity, NULL},
            {"PlaceholderWithDefault", tr_identity, NULL},
            {"EnsureShape", tr_identity, NULL},
            {"Cast", tr_cast, NULL},
            {"Fill", tr_fill, NULL},
            {"ZerosLike", tr_like, NULL},
            {"OnesLike", tr_like, &tag},
            {"Range", tr_range, NULL},
            {"Shape", tr_shape, NULL},
            {"Size", tr_shape, NULL},
            {"Rank", tr_shape, NULL},
            {"GatherV2", tr_gather, NULL},
            {"Gather", tr_gather, NULL},
            {"ResizeBilinear", tr_resize, NULL},
            {"ResizeNearestNeighbor", tr_resize, &tag},
            {"GatherNd", tr_gather_nd, NULL},
            {"FakeQuantWithMinMaxVars", tr_fake_quant, NULL},
            {"FakeQuantWithMinMaxVarsPerChannel", tr_fake_quant, NULL},
            {"Switch", tr_switch, NULL},
            {"Merge", tr_merge, NULL},
            {MO_TF_SELECT_OP, tr_if_select, NULL},)
