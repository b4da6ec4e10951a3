/* tr_misc.c - the identities, Cast, Fill, Range, Shape, ZerosLike/OnesLike,
 * GatherV2, GatherNd, the image resizes and the fake quantizations; OneHot,
 * Where, the non-max suppressions, CropAndResize, Bucketize and the
 * scatters. */
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

/* FakeQuantWithMinMaxVars(PerChannel)(inputs, min, max) and
 * FakeQuantWithMinMaxArgs(inputs) min, max; num_bits, narrow_range:
 * FakeQuantize with TensorFlow's nudged range (moved so that zero is one
 * of the levels), computed here from the constant bounds.  user: the
 * bounds are attributes (MinMaxArgs). */
static enum mo_status tr_fake_quant(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "inputs");
    double lo[4096], hi[4096];
    struct mo_shape sh = {.rank = 0};
    int64_t n = 1;
    if (user) {
        lo[0] = mo_node_get_float(fw, "min", -6.0, NULL);
        hi[0] = mo_node_get_float(fw, "max", 6.0, NULL);
    } else {
        struct mo_tensor *mn = mo_value_const(mo_build_in(b, 1, "min"));
        struct mo_tensor *mx = mo_value_const(mo_build_in(b, 2, "max"));
        if (mo_build_ok(b) && (!mn || !mx || mo_tensor_numel(mn) != mo_tensor_numel(mx) || mo_tensor_numel(mn) > 4096))
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "min and max must be constants of one size (at most 4096)");
        if (!mo_build_ok(b))
            return mo_build_status(b);
        n = mo_tensor_numel(mn);
        sh = mn->shape; /* per channel: bounds [C] on the last dim, numpy broadcasting */
        for (int64_t i = 0; i < n; i++)
            lo[i] = mo_tensor_get_f64(mn, i), hi[i] = mo_tensor_get_f64(mx, i);
    }
    int64_t bits = mo_node_get_int(fw, "num_bits", 8, NULL);
    bool narrow = mo_node_get_bool(fw, "narrow_range", false, NULL);
    if (bits < 2 || bits > 16)
        return mo_build_fail(b, "num_bits=%lld (2 to 16 supported)", (long long)bits);
    /* in float, as TensorFlow nudges: a zero point of 127.5 in double is
     * 127.49999 there, and rounds the other way */
    float qmin = narrow ? 1.0f : 0.0f, qmax = (float)((1 << bits) - 1);
    for (int64_t i = 0; i < n; i++) {
        float a = (float)lo[i], c = (float)hi[i];
        float scale = (c - a) / (qmax - qmin);
        float zp = scale > 0 ? qmin - a / scale : qmin;
        float nzp = zp < qmin ? qmin : zp > qmax ? qmax : roundf(zp);
        lo[i] = (double)((qmin - nzp) * scale);
        hi[i] = (double)((qmax - nzp) * scale);
    }
    enum mo_etype et = mo_value_et(x);
    int64_t levels = (int64_t)(qmax - qmin) + 1;
    struct mo_value il = mo_build_const(b, "input_low", et, &sh, lo);
    struct mo_value ih = mo_build_const(b, "input_high", et, &sh, hi);
    if (n > 1 && levels < 256) {
        /* OpenVINO 2026.4's CPU FakeQuantize with per-channel bounds misses
         * the grid of any level count but 256 (up to 40% of a step).  The
         * same grid as 256 levels: clamp to [lo, hi] first, then quantize
         * over [lo, lo + 255 steps]; the clamped input never reaches the
         * steps past hi, so every output is one of the original levels. */
        struct mo_value cx = mo_build_op(b, "Minimum", "clamp_high",  2,
                                         mo_build_op(b, "Maximum", "clamp_low", 2, x, il), ih);
        double wide[4096];
        for (int64_t i = 0; i < n; i++)
            wide[i] = lo[i] + (hi[i] - lo[i]) / (double)(levels - 1) * 255.0;
        struct mo_value iw = mo_build_const(b, "input_high_256", et, &sh, wide);
        struct mo_value y = mo_build_op(b, "FakeQuantize", NULL, 5, cx, il, iw, il, iw);
        return mo_build_done(b, mo_build_set_int(b, y, "levels", 256));
    }
    struct mo_value y = mo_build_op(b, "FakeQuantize", NULL, 5, x, il, ih, il, ih);
    return mo_build_done(b, mo_build_set_int(b, y, "levels", levels));
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

/* OneHot(indices, depth, on_value, off_value) axis: the IR's OneHot-1
 * (an index outside [0, depth) gives a row of off_value, as in TensorFlow). */
static enum mo_status tr_one_hot(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value i = mo_build_in(b, 0, "indices"), d = mo_build_in(b, 1, "depth");
    struct mo_value on = mo_build_in(b, 2, "on_value"), off = mo_build_in(b, 3, "off_value");
    int rank = mo_value_shape(i).rank;
    int64_t a = mo_tf_axis(b, mo_node_get_int(fw, "axis", -1, NULL), rank < 0 ? -1 : rank + 1);
    struct mo_value y = mo_build_op(b, "OneHot", NULL, 4, i, d, on, off);
    return mo_build_done(b, mo_build_set_int(b, y, "axis", a));
}

/* Where(condition): the coordinates of its true (non-zero) elements, one
 * row each in row-major order, [count, rank] i64 = NonZero transposed. */
static enum mo_status tr_where(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "condition");
    if (fw->n_inputs == 3) {
        struct mo_value y = mo_build_in(b, 1, "x"), z = mo_build_in(b, 2, "y");
        return mo_build_done(b, mo_build_op(b, "Select", NULL, 3, x, y, z));
    }
    /* a number is true when not zero; said explicitly, since the CPU
     * plugin runs NonZero on the input of a Convert before it (the f32 of
     * a Cast to int, 0.4 not truncated to 0) */
    if (mo_build_ok(b) && mo_value_et(x) != MO_ET_BOOLEAN)
        x = mo_build_op(b, "NotEqual", "true", 2, x, mo_build_scalar(b, "zero", mo_value_et(x), 0.0));
    struct mo_value nz = mo_build_op(b, "NonZero", "non_zero", 1, x);
    mo_build_set_str(b, nz, "output_type", "i64");
    return mo_build_done(b, mo_build_transpose(b, NULL, nz, (int64_t[]){1, 0}, 2));
}

/* Element k along axis of v (rows [S, 3] on axis 1 -> [S]). */
static struct mo_value column(struct mo_build *b, const char *suffix, struct mo_value v, int64_t k, int64_t axis)
{
    char s[64];
    snprintf(s, sizeof s, "%s/index", suffix);
    return mo_build_gather(b, suffix, v, mo_build_i64_scalar(b, s, k), axis);
}

/* "<base>/<part>" in buf (for the helper nodes of one NMS result). */
static const char *part(char *buf, size_t n, const char *base, const char *p)
{
    snprintf(buf, n, "%s/%s", base, p);
    return buf;
}

/* TensorFlow's 1-D result of an NMS from a column of the IR's [S, 3]
 * rows, S >= valid: its first `valid` values, or, padded (V4, V5
 * pad_to_max_output_size), `max` values whose tail past `valid` is 0.
 * Helpers are named "<base>/...", the result after out (NULL: the node);
 * et is col's element type (not inferred yet). */
static struct mo_value nms_result(struct mo_build *b, const char *base, const char *out, struct mo_value col,
                                  enum mo_etype et, struct mo_value valid, struct mo_value max, bool pad)
{
    char s[96];
    struct mo_value start = mo_build_i64(b, part(s, sizeof s, base, "start"), (int64_t[]){0}, 1);
    struct mo_value step = mo_build_i64(b, part(s, sizeof s, base, "step"), (int64_t[]){1}, 1);
    struct mo_value axes = mo_build_i64(b, part(s, sizeof s, base, "axes"), (int64_t[]){0}, 1);
    if (!pad) {
        struct mo_value stop = mo_build_unsqueeze(b, part(s, sizeof s, base, "stop"), valid, (int64_t[]){0}, 1);
        return mo_build_op(b, "Slice", out, 5, col, start, stop, step, axes);
    }
    /* col may be shorter than max (fewer boxes than max_output_size):
     * zeros appended, cut to max, and everything from valid on zeroed */
    enum mo_etype it = mo_value_et(max);
    struct mo_value zero = mo_build_scalar(b, part(s, sizeof s, base, "zero"), et, 0.0);
    struct mo_value max1 = mo_build_reshape(b, part(s, sizeof s, base, "max"), max, (int64_t[]){1}, 1, false);
    struct mo_value zeros = mo_build_op(b, "Broadcast", part(s, sizeof s, base, "zeros"), 2, zero, max1);
    struct mo_value both[2] = {col, zeros};
    struct mo_value cat = mo_build_concat(b, part(s, sizeof s, base, "padded"), 0, 2, both);
    struct mo_value head = mo_build_op(b, "Slice", part(s, sizeof s, base, "head"), 5, cat, start, max1, step, axes);
    struct mo_value from = mo_build_scalar(b, part(s, sizeof s, base, "from"), it, 0);
    struct mo_value by = mo_build_scalar(b, part(s, sizeof s, base, "by"), it, 1);
    struct mo_value pos = mo_build_op(b, "Range", part(s, sizeof s, base, "positions"), 3, from, max, by);
    mo_build_set_str(b, pos, "output_type", mo_etype_name(it));
    struct mo_value kept = mo_build_op(b, "Less", part(s, sizeof s, base, "kept"), 2, pos, valid);
    return mo_build_op(b, "Select", out, 3, kept, head, zero);
}

/* NonMaxSuppression (iou_threshold an attribute), V2 (iou_threshold an
 * input), V3 (score_threshold), V4 (pad_to_max_output_size, valid_outputs),
 * V5 (soft_nms_sigma, selected_scores): the IR's NonMaxSuppression-9 on one
 * batch and one class (boxes [1, N, 4] in TensorFlow's [y1, x1, y2, x2],
 * either diagonal: "corner"; scores [1, 1, N]); its [S, 3] rows (batch,
 * class, box) in selection order give TensorFlow's 1-D results. */
static enum mo_status tr_nms(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    bool v1 = !strcmp(fw->type, "NonMaxSuppression"), v5 = !strcmp(fw->type, "NonMaxSuppressionV5");
    bool v4 = !strcmp(fw->type, "NonMaxSuppressionV4");
    struct mo_value boxes = mo_build_in(b, 0, "boxes"), scores = mo_build_in(b, 1, "scores");
    struct mo_value max = mo_build_in(b, 2, "max_output_size");
    if (mo_build_ok(b) && (mo_value_shape(boxes).rank != 2 || mo_value_shape(scores).rank != 1))
        return mo_build_fail(b, "boxes must be [N, 4] and scores [N]");
    if (mo_build_ok(b) && mo_value_shape(max).rank > 0)
        max = mo_build_reshape(b, "max_scalar", max, NULL, 0, false);
    enum mo_etype ft = mo_value_et(scores);
    struct mo_value iou = v1 ? mo_build_scalar(b, "iou_threshold", ft, mo_node_get_float(fw, "iou_threshold", 0.5, NULL))
                             : mo_build_in(b, 3, "iou_threshold");
    struct mo_value sth = fw->n_inputs > 4 ? mo_build_in(b, 4, "score_threshold")
                                           : mo_build_scalar(b, "score_threshold", ft, -3.4028234663852886e38);
    struct mo_value b3 = mo_build_unsqueeze(b, "boxes3", boxes, (int64_t[]){0}, 1);
    struct mo_value s3 = mo_build_unsqueeze(b, "scores3", scores, (int64_t[]){0, 1}, 2);
    struct mo_value in[6] = {b3, s3, max, iou, sth, v5 ? mo_build_in(b, 5, "soft_nms_sigma") : MO_NO_VALUE};
    struct mo_value nms = mo_build_opv(b, "NonMaxSuppression", "nms", v5 ? 6 : 5, in);
    mo_build_set_str(b, nms, "box_encoding", "corner");
    mo_build_set_bool(b, nms, "sort_result_descending", false);
    mo_build_set_str(b, nms, "output_type", "i32");
    if (!mo_build_ok(b))
        return mo_build_status(b);
    bool pad = (v4 || v5) && mo_node_get_bool(fw, "pad_to_max_output_size", false, NULL);
    struct mo_value valid1 = mo_val(nms.node, 2);
    struct mo_value valid = mo_build_squeeze(b, "valid", valid1, (int64_t[]){0}, 1);
    if (pad && mo_value_et(max) != MO_ET_I32)
        max = mo_build_convert(b, "max_i32", max, MO_ET_I32);
    struct mo_value idx = column(b, "indices", nms, 2, 1);
    mo_build_output(b, 0, nms_result(b, "selected_indices", NULL, idx, MO_ET_I32, valid, max, pad));
    if (v5 && fw->n_outputs > 1) {
        struct mo_value sc = column(b, "scores", mo_val(nms.node, 1), 2, 1);
        mo_build_output(b, 1, nms_result(b, "selected_scores", "selected_scores", sc, ft, valid, max, pad));
    }
    unsigned vo = v5 ? 2 : 1;
    if ((v4 || v5) && fw->n_outputs > vo)
        mo_build_output(b, vo, valid);
    return mo_build_status(b);
}

/* The sampling coordinates of CropAndResize along one image axis, as
 * TensorFlow's kernel computes them (in f32, in its order): for crop size
 * c > 1, lo * (size - 1) + i * ((hi - lo) * (size - 1) / (c - 1)) for
 * i = 0..c-1, else 0.5 * (lo + hi) * (size - 1); lo, hi [N, 1]; [N, c].
 * The runtime does not keep that rounding: OpenVINO's CPU plugin fuses a
 * multiply and an add into one FMA and its f32 Divide is not correctly
 * rounded (an ulp off for a third of the quotients), so a point TensorFlow
 * puts exactly on the first or last pixel (a box edge on a pixel row,
 * -0.2 * 5 + 1 = 0) can land an ulp outside.  *inside therefore accepts a
 * few ulps of the axis beyond its ends, slack = size * 2^-20: -slack <=
 * coordinate <= size - 1 + slack.  (Nearest's rounding of a coordinate
 * within an ulp of .5 has no such fix: which side TensorFlow's own
 * rounding put it on is not known.) */
static struct mo_value crop_coords(struct mo_build *b, const char *axis, struct mo_value lo, struct mo_value hi,
                                   struct mo_value last, int64_t c, struct mo_value *inside)
{
    char s[64];
    struct mo_value at;
    if (c > 1) {
        double steps[4096];
        for (int64_t i = 0; i < c; i++)
            steps[i] = (double)i;
        struct mo_shape sh = mo_shape_of(1, c);
        struct mo_value d = mo_build_op(b, "Subtract", part(s, sizeof s, axis, "extent"), 2, hi, lo);
        struct mo_value dl = mo_build_op(b, "Multiply", part(s, sizeof s, axis, "extent_px"), 2, d, last);
        struct mo_value cm1 = mo_build_scalar(b, part(s, sizeof s, axis, "steps"), MO_ET_F32, (double)(c - 1));
        struct mo_value scale = mo_build_op(b, "Divide", part(s, sizeof s, axis, "scale"), 2, dl, cm1);
        struct mo_value l0 = mo_build_op(b, "Multiply", part(s, sizeof s, axis, "origin"), 2, lo, last);
        struct mo_value ii = mo_build_const(b, part(s, sizeof s, axis, "index"), MO_ET_F32, &sh, steps);
        struct mo_value off = mo_build_op(b, "Multiply", part(s, sizeof s, axis, "offset"), 2, ii, scale);
        at = mo_build_op(b, "Add", part(s, sizeof s, axis, "at"), 2, l0, off);
    } else {
        struct mo_value sum = mo_build_op(b, "Add", part(s, sizeof s, axis, "sum"), 2, lo, hi);
        struct mo_value half = mo_build_scalar(b, part(s, sizeof s, axis, "half"), MO_ET_F32, 0.5);
        struct mo_value mid = mo_build_op(b, "Multiply", part(s, sizeof s, axis, "mid"), 2, sum, half);
        at = mo_build_op(b, "Multiply", part(s, sizeof s, axis, "at"), 2, mid, last);
    }
    struct mo_value one = mo_build_scalar(b, part(s, sizeof s, axis, "one"), MO_ET_F32, 1.0);
    struct mo_value ulps = mo_build_scalar(b, part(s, sizeof s, axis, "ulps"), MO_ET_F32, 0x1p-20);
    struct mo_value size = mo_build_op(b, "Add", part(s, sizeof s, axis, "size"), 2, last, one);
    struct mo_value slack = mo_build_op(b, "Multiply", part(s, sizeof s, axis, "slack"), 2, size, ulps);
    struct mo_value from = mo_build_op(b, "Negative", part(s, sizeof s, axis, "from"), 1, slack);
    struct mo_value to = mo_build_op(b, "Add", part(s, sizeof s, axis, "to"), 2, last, slack);
    struct mo_value ge = mo_build_op(b, "GreaterEqual", part(s, sizeof s, axis, "above_first"), 2, at, from);
    struct mo_value le = mo_build_op(b, "LessEqual", part(s, sizeof s, axis, "below_last"), 2, at, to);
    *inside = mo_build_op(b, "LogicalAnd", part(s, sizeof s, axis, "inside"), 2, ge, le);
    return at;
}

/* An index from a sampling coordinate already rounded (Floor, Ceiling,
 * Round), clamped into the image (points outside it are replaced by the
 * extrapolation value anyway) and made i32. */
static struct mo_value crop_index(struct mo_build *b, const char *name, struct mo_value v, struct mo_value last)
{
    char s[64];
    struct mo_value zero = mo_build_scalar(b, part(s, sizeof s, name, "zero"), MO_ET_F32, 0.0);
    struct mo_value lo = mo_build_op(b, "Maximum", part(s, sizeof s, name, "low"), 2, v, zero);
    struct mo_value in = mo_build_op(b, "Minimum", part(s, sizeof s, name, "clamped"), 2, lo, last);
    return mo_build_convert(b, name, in, MO_ET_I32);
}

/* Rows (axis 1) or columns (axis 2) of the per-box images at [N, k]
 * indices: Gather with batch_dims 1. */
static struct mo_value crop_take(struct mo_build *b, const char *name, struct mo_value img, struct mo_value idx,
                                 int64_t axis)
{
    return mo_build_set_int(b, mo_build_gather(b, name, img, idx, axis), "batch_dims", 1);
}

/* CropAndResize(image [B, H, W, C], boxes [N, 4] normalized [y1, x1, y2,
 * x2], box_ind [N], crop_size [h, w]) method, extrapolation_value.  Not
 * ROIAlign (which averages bins): TensorFlow samples each output point
 * once.  So the same points are computed here and the pixels gathered:
 * each box's image (Gather on box_ind), its rows, then its columns; bilinear
 * blends the four neighbours in TensorFlow's order (top, bottom, then
 * between them), nearest takes the pixel at the coordinates rounded half
 * away from zero.  A point outside the image is extrapolation_value (see
 * crop_coords for the points on its edge). */
static enum mo_status tr_crop_and_resize(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "image"), bx = mo_build_in(b, 1, "boxes"), bi = mo_build_in(b, 2, "box_ind");
    int64_t cs[2];
    if (mo_tf_const_ints(b, 3, cs, 2) != 2 && mo_build_ok(b))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "crop_size (input 3) must be a constant of 2 values");
    if (mo_build_ok(b) && (cs[0] < 1 || cs[1] < 1 || cs[0] > 4096 || cs[1] > 4096))
        return mo_build_fail(b, "crop_size [%lld, %lld] (1 to 4096 each)", (long long)cs[0], (long long)cs[1]);
    if (mo_build_ok(b) && (mo_value_shape(x).rank != 4 || mo_value_shape(bx).rank != 2))
        return mo_build_fail(b, "image must be [batch, height, width, depth] and boxes [N, 4]");
    const char *method = mo_node_get_str(fw, "method", "bilinear");
    bool nearest = !strcmp(method, "nearest");
    if (!nearest && strcmp(method, "bilinear"))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "method '%s' is not bilinear or nearest", method);
    if (mo_build_ok(b) && mo_value_et(x) != MO_ET_F32)
        x = mo_build_convert(b, "image_f32", x, MO_ET_F32);
    if (mo_build_ok(b) && mo_value_et(bx) != MO_ET_F32)
        bx = mo_build_convert(b, "boxes_f32", bx, MO_ET_F32);
    struct mo_value hw = mo_build_convert(b, "size", mo_build_dims(b, "dims", x, (int64_t[]){1, 2}, 2), MO_ET_F32);
    struct mo_value last = mo_build_op(b, "Subtract", "last", 2, hw, mo_build_scalar(b, "one", MO_ET_F32, 1.0));
    struct mo_value lh = column(b, "last_y", last, 0, 0);
    struct mo_value lw = column(b, "last_x", last, 1, 0);
    struct mo_value corner[4];
    static const char *const cn[] = {"y1", "x1", "y2", "x2"};
    for (int k = 0; k < 4; k++) {
        char s[16];
        snprintf(s, sizeof s, "%s_col", cn[k]);
        corner[k] = mo_build_unsqueeze(b, cn[k], column(b, s, bx, k, 1), (int64_t[]){1}, 1);
    }
    int64_t ch = mo_build_ok(b) ? cs[0] : 1, cw = mo_build_ok(b) ? cs[1] : 1;
    struct mo_value iny, inx;
    struct mo_value ay = crop_coords(b, "y", corner[0], corner[2], lh, ch, &iny);
    struct mo_value ax = crop_coords(b, "x", corner[1], corner[3], lw, cw, &inx);
    struct mo_value img = mo_build_gather(b, "per_box", x, bi, 0);
    struct mo_value y;
    if (nearest) {
        struct mo_value ry = mo_build_set_str(b, mo_build_op(b, "Round", "y_round", 1, ay), "mode", "half_away_from_zero");
        struct mo_value rx = mo_build_set_str(b, mo_build_op(b, "Round", "x_round", 1, ax), "mode", "half_away_from_zero");
        struct mo_value iy = crop_index(b, "y_index", ry, lh), ix = crop_index(b, "x_index", rx, lw);
        struct mo_value rows = crop_take(b, "rows", img, iy, 1);
        y = crop_take(b, "sampled", rows, ix, 2);
    } else {
        struct mo_value ty = mo_build_op(b, "Floor", "top_y", 1, ay), by = mo_build_op(b, "Ceiling", "bottom_y", 1, ay);
        struct mo_value lx = mo_build_op(b, "Floor", "left_x", 1, ax), rx = mo_build_op(b, "Ceiling", "right_x", 1, ax);
        struct mo_value yl = mo_build_op(b, "Subtract", "y_lerp", 2, ay, ty);
        struct mo_value xl = mo_build_op(b, "Subtract", "x_lerp", 2, ax, lx);
        yl = mo_build_unsqueeze(b, "y_lerp4", yl, (int64_t[]){2, 3}, 2);
        xl = mo_build_unsqueeze(b, "x_lerp4", xl, (int64_t[]){1, 3}, 2);
        struct mo_value ity = crop_index(b, "top_index", ty, lh), iby = crop_index(b, "bottom_index", by, lh);
        struct mo_value ilx = crop_index(b, "left_index", lx, lw), irx = crop_index(b, "right_index", rx, lw);
        struct mo_value top = crop_take(b, "top_rows", img, ity, 1);
        struct mo_value bot = crop_take(b, "bottom_rows", img, iby, 1);
        struct mo_value tl = crop_take(b, "top_left", top, ilx, 2), tr = crop_take(b, "top_right", top, irx, 2);
        struct mo_value bl = crop_take(b, "bottom_left", bot, ilx, 2), br = crop_take(b, "bottom_right", bot, irx, 2);
        struct mo_value dt = mo_build_op(b, "Subtract", "top_diff", 2, tr, tl);
        struct mo_value tv = mo_build_op(b, "Add", "top", 2, tl, mo_build_op(b, "Multiply", "top_step", 2, dt, xl));
        struct mo_value db = mo_build_op(b, "Subtract", "bottom_diff", 2, br, bl);
        struct mo_value bv = mo_build_op(b, "Add", "bottom", 2, bl, mo_build_op(b, "Multiply", "bottom_step", 2, db, xl));
        struct mo_value dv = mo_build_op(b, "Subtract", "vertical_diff", 2, bv, tv);
        y = mo_build_op(b, "Add", "sampled", 2, tv, mo_build_op(b, "Multiply", "vertical_step", 2, dv, yl));
    }
    struct mo_value vy = mo_build_unsqueeze(b, "inside_y4", iny, (int64_t[]){2, 3}, 2);
    struct mo_value vx = mo_build_unsqueeze(b, "inside_x4", inx, (int64_t[]){1, 3}, 2);
    struct mo_value in = mo_build_op(b, "LogicalAnd", "inside", 2, vy, vx);
    struct mo_value ev = mo_build_scalar(b, "extrapolation_value", MO_ET_F32,
                                         mo_node_get_float(fw, "extrapolation_value", 0.0, NULL));
    return mo_build_done(b, mo_build_op(b, "Select", NULL, 3, in, y, ev));
}

/* Bucketize(input) boundaries: the IR's Bucketize with the left bound in
 * each bucket (boundaries[i-1] <= x < boundaries[i] gives i). */
static enum mo_status tr_bucketize(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    double bd[4096];
    int n = mo_node_get_floats(fw, "boundaries", bd, 4096);
    if (n < 0 || n > 4096)
        return mo_build_fail(b, "the boundaries attribute is missing or has more than 4096 values");
    struct mo_shape sh = mo_shape_of(n);
    struct mo_value bs = mo_build_const(b, "boundaries", mo_value_et(x), &sh, bd);
    struct mo_value y = mo_build_op(b, "Bucketize", NULL, 2, x, bs);
    mo_build_set_str(b, y, "output_type", "i32");
    return mo_build_done(b, mo_build_set_bool(b, y, "with_right_bound", false));
}

/* ScatterNd(indices, updates, shape): zeros of shape with the updates
 * added (TensorFlow sums repeated indices): ScatterNDUpdate-15 "sum". */
static enum mo_status tr_scatter_nd(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value i = mo_build_in(b, 0, "indices"), u = mo_build_in(b, 1, "updates");
    struct mo_value sh = mo_tf_in_i64(b, 2, "shape");
    struct mo_value zeros = mo_build_op(b, "Broadcast", "zeros", 2, mo_build_scalar(b, "zero", mo_value_et(u), 0.0), sh);
    struct mo_value y = mo_build_op(b, "ScatterNDUpdate-15", NULL, 3, zeros, i, u);
    return mo_build_done(b, mo_build_set_str(b, y, "reduction", "sum"));
}

/* TensorScatterUpdate, TensorScatterAdd/Sub/Max/Min(tensor, indices,
 * updates): ScatterNDUpdate (opset4) and ScatterNDUpdate-15's reductions. */
static enum mo_status tr_tensor_scatter(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "tensor"), i = mo_build_in(b, 1, "indices");
    struct mo_value u = mo_build_in(b, 2, "updates");
    if (!user)
        return mo_build_done(b, mo_build_op(b, "ScatterNDUpdate", NULL, 3, x, i, u));
    struct mo_value y = mo_build_op(b, "ScatterNDUpdate-15", NULL, 3, x, i, u);
    return mo_build_done(b, mo_build_set_str(b, y, "reduction", user));
}

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
            {"FakeQuantWithMinMaxArgs", tr_fake_quant, &tag},
            {"Switch", tr_switch, NULL},
            {"Merge", tr_merge, NULL},
            {MO_TF_SELECT_OP, tr_if_select, NULL},
            {"OneHot", tr_one_hot, NULL},
            {"Where", tr_where, NULL},
            {"NonMaxSuppression", tr_nms, NULL},
            {"NonMaxSuppressionV2", tr_nms, NULL},
            {"NonMaxSuppressionV3", tr_nms, NULL},
            {"NonMaxSuppressionV4", tr_nms, NULL},
            {"NonMaxSuppressionV5", tr_nms, NULL},
            {"CropAndResize", tr_crop_and_resize, NULL},
            {"Bucketize", tr_bucketize, NULL},
            {"ScatterNd", tr_scatter_nd, NULL},
            {"TensorScatterUpdate", tr_tensor_scatter, NULL},
            {"TensorScatterAdd", tr_tensor_scatter, "sum"},
            {"TensorScatterSub", tr_tensor_scatter, "sub"},
            {"TensorScatterMax", tr_tensor_scatter, "max"},
            {"TensorScatterMin", tr_tensor_scatter, "min"},)
