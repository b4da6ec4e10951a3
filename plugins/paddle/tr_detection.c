/* tr_detection.c - detection heads: prior_box, box_coder, multiclass_nms3,
 * yolo_box, and assign_value (constants such as yolo_box's image size). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paddle.h"

/* Nodes are inferred as soon as they are complete: later builders (the
 * splits) need their input shapes, and the core's own pass only runs
 * after the translator. */
static struct mo_node *done(struct mo_node *n, struct mo_error *err)
{
    return n && mo_node_infer(n, err) == MO_OK ? n : NULL;
}

/* The arithmetic below is chained: each builder returns a null value once
 * anything failed, so a sequence needs only one check at its end. */
static struct mo_value op1(struct mo_tctx *t, const char *type, const char *sfx, struct mo_value a,
                           struct mo_error *err)
{
    struct mo_node *n = a.node ? done(mo_pd_op(t, type, sfx, err, 1, a), err) : NULL;
    return n ? mo_val(n, 0) : (struct mo_value){NULL, 0};
}

static struct mo_value op2(struct mo_tctx *t, const char *type, const char *sfx, struct mo_value a,
                           struct mo_value b, struct mo_error *err)
{
    struct mo_node *n = a.node && b.node ? done(mo_pd_op(t, type, sfx, err, 2, a, b), err) : NULL;
    return n ? mo_val(n, 0) : (struct mo_value){NULL, 0};
}

static struct mo_value f32(struct mo_tctx *t, const char *sfx, double v, struct mo_error *err)
{
    struct mo_node *n = mo_pd_scalar(t, sfx, MO_ET_F32, v, err);
    return n ? mo_val(n, 0) : (struct mo_value){NULL, 0};
}

static struct mo_value i64s(struct mo_tctx *t, const char *sfx, const int64_t *v, size_t n,
                            struct mo_error *err)
{
    struct mo_node *c = mo_pd_i64(t, sfx, v, n, err);
    return c ? mo_val(c, 0) : (struct mo_value){NULL, 0};
}

/* An f32 constant of the given shape (values copied). */
static struct mo_value f32_tensor(struct mo_tctx *t, const char *sfx, const float *v, int rank,
                                  const int64_t *dims, struct mo_error *err)
{
    struct mo_shape s = mo_shape_make(rank, dims);
    struct mo_tensor *tv =
        mo_tensor_from_data(MO_ET_F32, &s, v, (size_t)mo_shape_numel(&s) * sizeof *v, err);
    struct mo_node *c = tv ? mo_pd_const_tensor(t, sfx, tv, err) : NULL;
    return c ? mo_val(c, 0) : (struct mo_value){NULL, 0};
}

/* Split v along its last axis into n pieces of sizes len[] (outputs in out[]). */
static enum mo_status split_last(struct mo_tctx *t, const char *sfx, struct mo_value v,
                                 const int64_t *len, unsigned n, struct mo_value *out,
                                 struct mo_error *err)
{
    char name[48];
    snprintf(name, sizeof name, "%s_axis", sfx);
    struct mo_node *ax = mo_pd_scalar_i64(t, name, -1, err);
    snprintf(name, sizeof name, "%s_len", sfx);
    struct mo_node *ln = ax ? mo_pd_i64(t, name, len, n, err) : NULL;
    struct mo_node *s = ln && v.node
                            ? mo_pd_op(t, "VariadicSplit", sfx, err, 3, v, mo_val(ax, 0), mo_val(ln, 0))
                            : NULL;
    if (!s)
        return mo_pd_status(err);
    /* the outputs exist once the node is inferred */
    enum mo_status st = mo_node_infer(s, err);
    if (st != MO_OK)
        return st;
    for (unsigned i = 0; i < n; i++)
        out[i] = mo_val(s, i);
    return MO_OK;
}

static struct mo_value concat_last(struct mo_tctx *t, const char *sfx, struct mo_value *v, unsigned n,
                                   struct mo_error *err)
{
    for (unsigned i = 0; i < n; i++)
        if (!v[i].node)
            return (struct mo_value){NULL, 0};
    struct mo_node *c = NULL;
    if (n == 4)
        c = mo_pd_op(t, "Concat", sfx, err, 4, v[0], v[1], v[2], v[3]);
    else if (n == 2)
        c = mo_pd_op(t, "Concat", sfx, err, 2, v[0], v[1]);
    if (!c || mo_node_set_int(c, "axis", -1) != MO_OK || !done(c, err))
        return (struct mo_value){NULL, 0};
    return mo_val(c, 0);
}

/* --- prior_box ------------------------------------------------------- */

/* PriorBox-8 gives [2, H*W*P*4] (boxes, then variances); Paddle gives two
 * [H, W, P, 4] tensors.  The op was shaped after Paddle's (min/max order
 * switch, the {1} + flipped ratio expansion), so only the layout differs. */
static enum mo_status tr_prior_box(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_value x, img;
    enum mo_status st = mo_pd_need(t, fw, "Input", &x, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "Image", &img, err);
    if (st != MO_OK)
        return st;
    double mn[64], mx[64], ar[64], var[8];
    int nmn = mo_node_get_floats(fw, "min_sizes", mn, 64);
    int nmx = mo_node_get_floats(fw, "max_sizes", mx, 64);
    int nar = mo_node_get_floats(fw, "aspect_ratios", ar, 64);
    int nvar = mo_node_get_floats(fw, "variances", var, 8);
    if (nmn <= 0)
        return mo_pd_bad(err, "prior_box needs min_sizes");
    if (nmx > 0 && nmx != nmn)
        return mo_pd_bad(err, "prior_box has %d max_sizes for %d min_sizes", nmx, nmn);
    if (nvar != 4 && nvar > 0)
        return mo_pd_bad(err, "prior_box needs 4 variances, has %d", nvar);
    double sw = mo_node_get_float(fw, "step_w", 0.0, NULL);
    double sh = mo_node_get_float(fw, "step_h", 0.0, NULL);
    if (fabs(sw - sh) > 1e-6)
        return mo_pd_bad(err, "prior_box with step_w %g != step_h %g is not supported", sw, sh);
    /* output_size and image_size are the spatial dims of both inputs */
    struct mo_node *xs = done(mo_pd_op(t, "ShapeOf", "x_shape", err, 1, x), err);
    struct mo_node *is = xs ? done(mo_pd_op(t, "ShapeOf", "img_shape", err, 1, img), err) : NULL;
    struct mo_value hw_idx = i64s(t, "hw_idx", (const int64_t[]){2, 3}, 2, err);
    struct mo_node *ax0 = mo_pd_scalar_i64(t, "gather_axis", 0, err);
    if (!is || !hw_idx.node || !ax0)
        return mo_pd_status(err);
    struct mo_node *ohw =
        done(mo_pd_op(t, "Gather", "out_hw", err, 3, mo_val(xs, 0), hw_idx, mo_val(ax0, 0)), err);
    struct mo_node *ihw =
        ohw ? done(mo_pd_op(t, "Gather", "img_hw", err, 3, mo_val(is, 0), hw_idx, mo_val(ax0, 0)), err)
            : NULL;
    struct mo_node *pb =
        ihw ? mo_pd_op(t, "PriorBox", "priors", err, 2, mo_val(ohw, 0), mo_val(ihw, 0)) : NULL;
    if (!pb)
        return mo_pd_status(err);
    double one[4] = {1, 1, 1, 1};
    if ((st = mo_node_set_floats(pb, "min_size", mn, (size_t)nmn)) != MO_OK ||
        (st = mo_node_set_floats(pb, "max_size", mx, nmx > 0 ? (size_t)nmx : 0)) != MO_OK ||
        (st = mo_node_set_floats(pb, "aspect_ratio", ar, nar > 0 ? (size_t)nar : 0)) != MO_OK ||
        (st = mo_node_set_bool(pb, "flip", mo_node_get_bool(fw, "flip", false, NULL))) != MO_OK ||
        (st = mo_node_set_bool(pb, "clip", mo_node_get_bool(fw, "clip", false, NULL))) != MO_OK ||
        (st = mo_node_set_float(pb, "step", sw)) != MO_OK ||
        (st = mo_node_set_float(pb, "offset", mo_node_get_float(fw, "offset", 0.5, NULL))) != MO_OK ||
        (st = mo_node_set_floats(pb, "variance", nvar == 4 ? var : one, 4)) != MO_OK ||
        (st = mo_node_set_bool(pb, "scale_all_sizes", true)) != MO_OK ||
        (st = mo_node_set_bool(pb, "min_max_aspect_ratios_order",
                               mo_node_get_bool(fw, "min_max_aspect_ratios_order", false, NULL))) !=
            MO_OK)
        return st;
    /* [2, L] -> two [1, L] rows -> [H, W, -1, 4] each */
    struct mo_node *ax = mo_pd_scalar_i64(t, "split_axis", 0, err);
    struct mo_node *sp = ax ? mo_pd_op(t, "Split", "rows", err, 2, mo_val(pb, 0), mo_val(ax, 0)) : NULL;
    if (!sp || mo_node_set_int(sp, "num_splits", 2) != MO_OK)
        return mo_pd_status(err);
    if ((st = mo_node_infer(pb, err)) != MO_OK || (st = mo_node_infer(sp, err)) != MO_OK)
        return st;
    struct mo_node *hw64 = done(mo_pd_convert(t, "out_hw_i64", mo_val(ohw, 0), MO_ET_I64, err), err);
    struct mo_value tail = i64s(t, "tail", (const int64_t[]){-1, 4}, 2, err);
    if (!hw64 || !tail.node)
        return mo_pd_status(err);
    struct mo_node *tgt = mo_pd_op(t, "Concat", "target", err, 2, mo_val(hw64, 0), tail);
    if (!tgt || mo_node_set_int(tgt, "axis", 0) != MO_OK || !done(tgt, err))
        return mo_pd_status(err);
    static const char *const slot[2] = {"Boxes", "Variances"};
    static const char *const sfx[2] = {"boxes", "variances"};
    for (unsigned i = 0; i < 2; i++) {
        struct mo_node *r = mo_pd_op(t, "Reshape", sfx[i], err, 2, mo_val(sp, i), mo_val(tgt, 0));
        if (!r || mo_node_set_bool(r, "special_zero", false) != MO_OK || !done(r, err))
            return mo_pd_status(err);
        if ((st = mo_pd_set_out(t, fw, slot[i], mo_val(r, 0), err)) != MO_OK)
            return st;
    }
    return MO_OK;
}

/* --- box_coder ------------------------------------------------------- */

/* Prior corners -> centre and size; unnormalized boxes count both end
 * pixels, hence the +1 on the size. */
static enum mo_status prior_geometry(struct mo_tctx *t, struct mo_value p, bool normalized,
                                     struct mo_value *pcx, struct mo_value *pcy, struct mo_value *pw,
                                     struct mo_value *ph, struct mo_error *err)
{
    struct mo_value c[4];
    enum mo_status st = split_last(t, "prior_split", p, (const int64_t[]){1, 1, 1, 1}, 4, c, err);
    if (st != MO_OK)
        return st;
    struct mo_value half = f32(t, "half", 0.5, err);
    *pw = op2(t, "Subtract", "pw", c[2], c[0], err);
    *ph = op2(t, "Subtract", "ph", c[3], c[1], err);
    if (!normalized) {
        struct mo_value one = f32(t, "one", 1.0, err);
        *pw = op2(t, "Add", "pw1", *pw, one, err);
        *ph = op2(t, "Add", "ph1", *ph, one, err);
    }
    *pcx = op2(t, "Add", "pcx", c[0], op2(t, "Multiply", "pw_half", *pw, half, err), err);
    *pcy = op2(t, "Add", "pcy", c[1], op2(t, "Multiply", "ph_half", *ph, half, err), err);
    return pcx->node && pcy->node ? MO_OK : mo_pd_status(err);
}

static enum mo_status tr_box_coder(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_value prior, target;
    enum mo_status st = mo_pd_need(t, fw, "PriorBox", &prior, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "TargetBox", &target, err);
    if (st != MO_OK)
        return st;
    const char *code = mo_node_get_str(fw, "code_type", "encode_center_size");
    bool normalized = mo_node_get_bool(fw, "box_normalized", true, NULL);
    int64_t axis = mo_node_get_int(fw, "axis", 0, NULL);
    struct mo_value pvar = mo_pd_in(t, fw, "PriorBoxVar", 0);
    double var[8];
    int nvar = mo_node_get_floats(fw, "variance", var, 8);
    if (strcmp(code, "decode_center_size") && strcmp(code, "encode_center_size"))
        return mo_pd_bad(err, "box_coder code_type '%s' is unknown", code);
    if (strcmp(code, "decode_center_size") == 0) {
        if (mo_pd_shape(target).rank != 3)
            return mo_pd_bad(err, "box_coder decoding needs a 3-D TargetBox");
        if (axis != 0 && axis != 1)
            return mo_pd_bad(err, "box_coder axis must be 0 or 1, got %lld", (long long)axis);
    } else if (mo_pd_shape(target).rank != 2) {
        return mo_pd_bad(err, "box_coder encoding needs a 2-D TargetBox");
    }
    bool decode = !strcmp(code, "decode_center_size");
    /* Prior rows broadcast along axis `axis` of the [N, M, 4] targets: for
     * axis 0 they pair with dim 1 (numpy broadcasting does that), for axis 1
     * with dim 0 (a unit axis is inserted).  Encoding pairs every target
     * with every prior: targets [N, 1, 4] against priors [M, 4]. */
    if (decode && axis == 1) {
        struct mo_value a = i64s(t, "unsq_axis", (const int64_t[]){1}, 1, err);
        prior = op2(t, "Unsqueeze", "prior_unsq", prior, a, err);
        if (pvar.node)
            pvar = op2(t, "Unsqueeze", "var_unsq", pvar, a, err);
    }
    if (!decode) {
        struct mo_value a = i64s(t, "unsq_axis", (const int64_t[]){1}, 1, err);
        target = op2(t, "Unsqueeze", "target_unsq", target, a, err);
    }
    if (!prior.node || !target.node)
        return mo_pd_status(err);
    struct mo_value pcx, pcy, pw, ph, v[4], tb[4];
    if ((st = prior_geometry(t, prior, normalized, &pcx, &pcy, &pw, &ph, err)) != MO_OK)
        return st;
    if (pvar.node) {
        if ((st = split_last(t, "var_split", pvar, (const int64_t[]){1, 1, 1, 1}, 4, v, err)) != MO_OK)
            return st;
    } else {
        static const char *const vn[4] = {"var0", "var1", "var2", "var3"};
        for (int i = 0; i < 4; i++)
            v[i] = f32(t, vn[i], nvar == 4 ? var[i] : 1.0, err);
    }
    if ((st = split_last(t, "target_split", target, (const int64_t[]){1, 1, 1, 1}, 4, tb, err)) !=
        MO_OK)
        return st;
    struct mo_value half = f32(t, "half_t", 0.5, err), o[4];
    if (decode) {
        /* centre = var * t * prior_size + prior_centre; size = exp(var * t) * prior_size */
        struct mo_value cx = op2(t, "Multiply", "cx_v", v[0], tb[0], err);
        cx = op2(t, "Add", "cx", op2(t, "Multiply", "cx_m", cx, pw, err), pcx, err);
        struct mo_value cy = op2(t, "Multiply", "cy_v", v[1], tb[1], err);
        cy = op2(t, "Add", "cy", op2(t, "Multiply", "cy_m", cy, ph, err), pcy, err);
        struct mo_value w = op1(t, "Exp", "w_exp", op2(t, "Multiply", "w_v", v[2], tb[2], err), err);
        w = op2(t, "Multiply", "w", w, pw, err);
        struct mo_value h = op1(t, "Exp", "h_exp", op2(t, "Multiply", "h_v", v[3], tb[3], err), err);
        h = op2(t, "Multiply", "h", h, ph, err);
        struct mo_value hw = op2(t, "Multiply", "w_half", w, half, err);
        struct mo_value hh = op2(t, "Multiply", "h_half", h, half, err);
        o[0] = op2(t, "Subtract", "xmin", cx, hw, err);
        o[1] = op2(t, "Subtract", "ymin", cy, hh, err);
        o[2] = op2(t, "Add", "xmax", cx, hw, err);
        o[3] = op2(t, "Add", "ymax", cy, hh, err);
        if (!normalized) {
            struct mo_value one = f32(t, "one_t", 1.0, err);
            o[2] = op2(t, "Subtract", "xmax1", o[2], one, err);
            o[3] = op2(t, "Subtract", "ymax1", o[3], one, err);
        }
    } else {
        /* (centre - prior_centre) / prior_size / var; log|size / prior_size| / var */
        struct mo_value tw = op2(t, "Subtract", "tw", tb[2], tb[0], err);
        struct mo_value th = op2(t, "Subtract", "th", tb[3], tb[1], err);
        if (!normalized) {
            struct mo_value one = f32(t, "one_t", 1.0, err);
            tw = op2(t, "Add", "tw1", tw, one, err);
            th = op2(t, "Add", "th1", th, one, err);
        }
        struct mo_value tcx = op2(t, "Multiply", "tw_half", tw, half, err);
        tcx = op2(t, "Add", "tcx", tb[0], tcx, err);
        struct mo_value tcy = op2(t, "Multiply", "th_half", th, half, err);
        tcy = op2(t, "Add", "tcy", tb[1], tcy, err);
        o[0] = op2(t, "Divide", "ox_p", op2(t, "Subtract", "ox_d", tcx, pcx, err), pw, err);
        o[0] = op2(t, "Divide", "ox", o[0], v[0], err);
        o[1] = op2(t, "Divide", "oy_p", op2(t, "Subtract", "oy_d", tcy, pcy, err), ph, err);
        o[1] = op2(t, "Divide", "oy", o[1], v[1], err);
        o[2] = op1(t, "Abs", "ow_abs", op2(t, "Divide", "ow_r", tw, pw, err), err);
        o[2] = op2(t, "Divide", "ow", op1(t, "Log", "ow_log", o[2], err), v[2], err);
        o[3] = op1(t, "Abs", "oh_abs", op2(t, "Divide", "oh_r", th, ph, err), err);
        o[3] = op2(t, "Divide", "oh", op1(t, "Log", "oh_log", o[3], err), v[3], err);
    }
    struct mo_value y = concat_last(t, "boxes", o, 4, err);
    if (!y.node)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "OutputBox", y, err);
}

/* --- multiclass_nms3 ------------------------------------------------- */

/* MulticlassNms-9 was made to Paddle's measure: rows [label, score, x1, y1,
 * x2, y2], indices into the flattened boxes, a per-image count.  Paddle
 * lists an image's detections class by class, best score first; the
 * runtime spells that order "classid", which the core's op table does not
 * accept (it knows "class"), so rows come best score first instead: the
 * same set per image, in another order. */
static enum mo_status tr_multiclass_nms(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    struct mo_value boxes, scores;
    enum mo_status st = mo_pd_need(t, fw, "BBoxes", &boxes, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "Scores", &scores, err);
    if (st != MO_OK)
        return st;
    if (mo_pd_in(t, fw, "RoisNum", 0).node)
        return mo_pd_bad(err, "multiclass_nms3 with RoisNum (LoD boxes) is not supported");
    if (mo_pd_shape(scores).rank != 3 || mo_pd_shape(boxes).rank != 3)
        return mo_pd_bad(err, "multiclass_nms3 needs BBoxes [N, M, 4] and Scores [N, C, M]");
    struct mo_node *n = mo_pd_op(t, "MulticlassNms", NULL, err, 2, boxes, scores);
    if (!n)
        return mo_pd_status(err);
    if ((st = mo_node_set_str(n, "sort_result_type", "score")) != MO_OK ||
        (st = mo_node_set_bool(n, "sort_result_across_batch", false)) != MO_OK ||
        (st = mo_node_set_str(n, "output_type", "i32")) != MO_OK ||
        (st = mo_node_set_float(n, "iou_threshold",
                                mo_node_get_float(fw, "nms_threshold", 0.3, NULL))) != MO_OK ||
        (st = mo_node_set_float(n, "score_threshold",
                                mo_node_get_float(fw, "score_threshold", 0.0, NULL))) != MO_OK ||
        (st = mo_node_set_int(n, "nms_top_k", mo_node_get_int(fw, "nms_top_k", -1, NULL))) != MO_OK ||
        (st = mo_node_set_int(n, "keep_top_k", mo_node_get_int(fw, "keep_top_k", -1, NULL))) != MO_OK ||
        (st = mo_node_set_int(n, "background_class",
                              mo_node_get_int(fw, "background_label", 0, NULL))) != MO_OK ||
        (st = mo_node_set_bool(n, "normalized", mo_node_get_bool(fw, "normalized", true, NULL))) !=
            MO_OK ||
        (st = mo_node_set_float(n, "nms_eta", mo_node_get_float(fw, "nms_eta", 1.0, NULL))) != MO_OK)
        return st;
    if ((st = mo_node_infer(n, err)) != MO_OK)
        return st;
    if ((st = mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err)) != MO_OK ||
        (st = mo_pd_set_out(t, fw, "Index", mo_val(n, 1), err)) != MO_OK)
        return st;
    return mo_pd_set_out(t, fw, "NmsRoisNum", mo_val(n, 2), err);
}

/* --- yolo_box -------------------------------------------------------- */

/* Decomposed (RegionYolo lacks the image scaling and score threshold):
 * X [N, A*(5+C), H, W] -> [N, A*H*W, 5+C] rows in Paddle's (anchor, y, x)
 * order; grid offsets and anchor sizes are constants over those rows. */
static enum mo_status tr_yolo_box(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_value x, img;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "ImgSize", &img, err);
    if (st != MO_OK)
        return st;
    int64_t anchors[128];
    int na2 = mo_pd_ints(fw, "anchors", anchors, 128);
    int64_t C = mo_node_get_int(fw, "class_num", 1, NULL);
    int64_t ds = mo_node_get_int(fw, "downsample_ratio", 32, NULL);
    double thresh = mo_node_get_float(fw, "conf_thresh", 0.01, NULL);
    double sxy = mo_node_get_float(fw, "scale_x_y", 1.0, NULL);
    bool clip = mo_node_get_bool(fw, "clip_bbox", true, NULL);
    if (mo_node_get_bool(fw, "iou_aware", false, NULL))
        return mo_pd_bad(err, "yolo_box with iou_aware is not supported");
    if (na2 <= 0 || na2 % 2 || C <= 0 || ds <= 0)
        return mo_pd_bad(err, "yolo_box needs anchor pairs, class_num and downsample_ratio");
    struct mo_shape xs = mo_pd_shape(x);
    int64_t A = na2 / 2;
    if (xs.rank != 4 || xs.dims[2] <= 0 || xs.dims[3] <= 0)
        return mo_pd_bad(err, "yolo_box needs a 4-D input with static height and width");
    if (xs.dims[1] >= 0 && xs.dims[1] != A * (5 + C))
        return mo_pd_bad(err, "yolo_box input has %lld channels, expected %lld", (long long)xs.dims[1],
                         (long long)(A * (5 + C)));
    int64_t H = xs.dims[2], W = xs.dims[3], rows = A * H * W;
    if (rows > (1 << 22))
        return mo_pd_bad(err, "yolo_box grid is too large");
    struct mo_node *r5 =
        done(mo_pd_reshape(t, "split_anchors", x, (const int64_t[]){-1, A, 5 + C, H, W}, 5, err), err);
    struct mo_node *tr = r5 ? done(mo_pd_transpose(t, "to_rows", mo_val(r5, 0),
                                                   (const int64_t[]){0, 1, 3, 4, 2}, 5, err),
                                   err)
                            : NULL;
    struct mo_node *r3 =
        tr ? done(mo_pd_reshape(t, "rows", mo_val(tr, 0), (const int64_t[]){-1, rows, 5 + C}, 3, err),
                  err)
           : NULL;
    if (!r3)
        return mo_pd_status(err);
    struct mo_value p[6];
    if ((st = split_last(t, "fields", mo_val(r3, 0), (const int64_t[]){1, 1, 1, 1, 1, C}, 6, p, err)) !=
        MO_OK)
        return st;
    /* per-row constants: grid x, grid y, anchor w / input w, anchor h / input h */
    float *g = malloc((size_t)rows * 4 * sizeof *g);
    if (!g)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (int64_t a = 0; a < A; a++)
        for (int64_t k = 0; k < H; k++)
            for (int64_t l = 0; l < W; l++) {
                int64_t i = (a * H + k) * W + l;
                g[i] = (float)l;
                g[rows + i] = (float)k;
                g[2 * rows + i] = (float)((double)anchors[2 * a] / (double)(ds * W));
                g[3 * rows + i] = (float)((double)anchors[2 * a + 1] / (double)(ds * H));
            }
    int64_t gd[3] = {1, rows, 1};
    struct mo_value gx = f32_tensor(t, "grid_x", g, 3, gd, err);
    struct mo_value gy = f32_tensor(t, "grid_y", g + rows, 3, gd, err);
    struct mo_value aw = f32_tensor(t, "anchor_w", g + 2 * rows, 3, gd, err);
    struct mo_value ah = f32_tensor(t, "anchor_h", g + 3 * rows, 3, gd, err);
    free(g);
    /* image size [N, 2] (h, w) -> f32 [N, 1, 1] each */
    struct mo_node *imf = done(mo_pd_convert(t, "img_f32", img, MO_ET_F32, err), err);
    struct mo_node *im3 =
        imf ? done(mo_pd_reshape(t, "img_3d", mo_val(imf, 0), (const int64_t[]){-1, 1, 2}, 3, err), err)
            : NULL;
    if (!im3)
        return mo_pd_status(err);
    struct mo_value ih_iw[2];
    if ((st = split_last(t, "img_split", mo_val(im3, 0), (const int64_t[]){1, 1}, 2, ih_iw, err)) !=
        MO_OK)
        return st;
    struct mo_value ih = ih_iw[0], iw = ih_iw[1];
    struct mo_value sc = f32(t, "scale_xy", sxy, err),
                    bias = f32(t, "bias_xy", -0.5 * (sxy - 1.0), err);
    struct mo_value half = f32(t, "half", 0.5, err);
    struct mo_value inv_w = f32(t, "inv_w", 1.0 / (double)W, err),
                    inv_h = f32(t, "inv_h", 1.0 / (double)H, err);
    /* centre = (grid + sigmoid(t) * scale + bias) * image / grid size */
    struct mo_value ox = op2(t, "Multiply", "sx", op1(t, "Sigmoid", "sig_x", p[0], err), sc, err);
    struct mo_value oy = op2(t, "Multiply", "sy", op1(t, "Sigmoid", "sig_y", p[1], err), sc, err);
    ox = op2(t, "Add", "gx_add", gx, op2(t, "Add", "off_x", ox, bias, err), err);
    oy = op2(t, "Add", "gy_add", gy, op2(t, "Add", "off_y", oy, bias, err), err);
    struct mo_value cx = op2(t, "Multiply", "cx", op2(t, "Multiply", "cx_g", ox, iw, err), inv_w, err);
    struct mo_value cy = op2(t, "Multiply", "cy", op2(t, "Multiply", "cy_g", oy, ih, err), inv_h, err);
    /* size = exp(t) * anchor / input size * image */
    struct mo_value bw = op2(t, "Multiply", "bw_a", op1(t, "Exp", "exp_w", p[2], err), aw, err);
    struct mo_value bh = op2(t, "Multiply", "bh_a", op1(t, "Exp", "exp_h", p[3], err), ah, err);
    bw = op2(t, "Multiply", "bw", bw, iw, err);
    bh = op2(t, "Multiply", "bh", bh, ih, err);
    struct mo_value hw = op2(t, "Multiply", "bw_half", bw, half, err),
                    hh = op2(t, "Multiply", "bh_half", bh, half, err);
    struct mo_value b[4] = {
        op2(t, "Subtract", "x1", cx, hw, err),
        op2(t, "Subtract", "y1", cy, hh, err),
        op2(t, "Add", "x2", cx, hw, err),
        op2(t, "Add", "y2", cy, hh, err),
    };
    if (clip) {
        struct mo_value zero = f32(t, "zero", 0.0, err), one = f32(t, "one", 1.0, err);
        b[0] = op2(t, "Maximum", "x1_clip", b[0], zero, err);
        b[1] = op2(t, "Maximum", "y1_clip", b[1], zero, err);
        b[2] = op2(t, "Minimum", "x2_clip", b[2], op2(t, "Subtract", "iw_1", iw, one, err), err);
        b[3] = op2(t, "Minimum", "y2_clip", b[3], op2(t, "Subtract", "ih_1", ih, one, err), err);
    }
    /* rows under the confidence threshold stay all zero */
    struct mo_value conf = op1(t, "Sigmoid", "conf", p[4], err);
    struct mo_value keep = op2(t, "GreaterEqual", "keep", conf, f32(t, "thresh", thresh, err), err);
    struct mo_node *keepf =
        keep.node ? done(mo_pd_convert(t, "keep_f32", keep, MO_ET_F32, err), err) : NULL;
    if (!keepf)
        return mo_pd_status(err);
    struct mo_value box = concat_last(t, "box_cat", b, 4, err);
    box = op2(t, "Multiply", "boxes", box, mo_val(keepf, 0), err);
    struct mo_value score = op2(t, "Multiply", "conf_keep", conf, mo_val(keepf, 0), err);
    score = op2(t, "Multiply", "scores", op1(t, "Sigmoid", "cls", p[5], err), score, err);
    if (!box.node || !score.node)
        return mo_pd_status(err);
    if ((st = mo_pd_set_out(t, fw, "Boxes", box, err)) != MO_OK)
        return st;
    return mo_pd_set_out(t, fw, "Scores", score, err);
}

/* --- assign_value ---------------------------------------------------- */

static enum mo_status tr_assign_value(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    int64_t d[MO_MAX_RANK];
    int rank = mo_pd_ints(fw, "shape", d, MO_MAX_RANK);
    if (rank < 0)
        return mo_pd_bad(err, "assign_value has no shape");
    enum mo_etype et = mo_pd_etype((int)mo_node_get_int(fw, "dtype", 5, NULL));
    if (et == MO_ET_UNDEFINED)
        return mo_pd_bad(err, "assign_value dtype is not supported");
    struct mo_shape s = mo_shape_make(rank, d);
    if (!mo_shape_is_static(&s) || mo_shape_numel(&s) > (1 << 20))
        return mo_pd_bad(err, "assign_value has a bad shape");
    int64_t cnt = mo_shape_numel(&s);
    static const char *const keys[] = {"values", "fp32_values", "int32_values", "int64_values",
                                       "bool_values", "fp64_values"};
    const char *key = NULL;
    for (size_t i = 0; i < MO_COUNT_OF(keys) && !key; i++) {
        const struct mo_attr *a = mo_node_attr(fw, keys[i]);
        if (a && (a->kind == MO_ATTR_FLOATS || a->kind == MO_ATTR_INTS)) {
            double probe[1];
            int64_t iprobe[1];
            int n = a->kind == MO_ATTR_FLOATS ? mo_node_get_floats(fw, keys[i], probe, 0)
                                              : mo_node_get_ints(fw, keys[i], iprobe, 0);
            if (n == cnt)
                key = keys[i];
        }
    }
    if (!key)
        return mo_pd_bad(err, "assign_value holds no %lld values", (long long)cnt);
    const struct mo_attr *a = mo_node_attr(fw, key);
    struct mo_tensor *v = mo_tensor_new(et, &s, err);
    if (!v || !mo_tensor_mutable(&v, err)) {
        mo_tensor_unref(v);
        return mo_pd_status(err);
    }
    double *buf = malloc((size_t)(cnt ? cnt : 1) * sizeof *buf);
    int64_t *ibuf = malloc((size_t)(cnt ? cnt : 1) * sizeof *ibuf);
    if (!buf || !ibuf) {
        free(buf);
        free(ibuf);
        mo_tensor_unref(v);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    if (a->kind == MO_ATTR_FLOATS) {
        mo_node_get_floats(fw, key, buf, (int)cnt);
    } else {
        mo_node_get_ints(fw, key, ibuf, (int)cnt);
        for (int64_t i = 0; i < cnt; i++)
            buf[i] = (double)ibuf[i];
    }
    for (int64_t i = 0; i < cnt; i++)
        mo_tensor_set_f64(v, i, buf[i]);
    free(buf);
    free(ibuf);
    struct mo_node *c = mo_pd_const_tensor(t, NULL, v, err);
    if (!c)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(c, 0), err);
}

MO_PD_TABLE(mo_pd_tr_detection,
            {"prior_box", tr_prior_box}, {"box_coder", tr_box_coder},
            {"multiclass_nms3", tr_multiclass_nms}, {"yolo_box", tr_yolo_box},
            {"assign_value", tr_assign_value});
