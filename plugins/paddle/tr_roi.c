/* tr_roi.c - ROI and proposal ops of the detection heads: matrix_nms,
 * generate_proposals_v2, roi_align, roi_pool, psroi_pool,
 * distribute_fpn_proposals. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "paddle.h"

static struct mo_value op2(struct mo_build *b, const char *type, const char *sfx, struct mo_value a,
                           struct mo_value c)
{
    return mo_build_infer(b, mo_build_op(b, type, sfx, 2, a, c));
}

/* --- matrix_nms ------------------------------------------------------- */

/* MatrixNms-8 follows Paddle's op: rows [label, score, x1, y1, x2, y2] best
 * score first per image, indices into the flattened boxes, a count per
 * image. */
static enum mo_status tr_matrix_nms(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value boxes = mo_pd_in(b, "BBoxes", 0);
    struct mo_value scores = mo_pd_in(b, "Scores", 0);
    struct mo_shape bs = mo_value_shape(boxes);
    if (bs.rank != 3 || mo_value_shape(scores).rank != 3 || (bs.dims[2] >= 0 && bs.dims[2] != 4))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "matrix_nms needs BBoxes [N, M, 4] and Scores [N, C, M]");
    struct mo_value n = mo_build_op(b, "MatrixNms", NULL, 2, boxes, scores);
    mo_build_set_str(b, n, "sort_result_type", "score");
    mo_build_set_bool(b, n, "sort_result_across_batch", false);
    mo_build_set_str(b, n, "output_type", "i32");
    mo_build_set_float(b, n, "score_threshold",
                       mo_node_get_float(fw, "score_threshold", 0.0, NULL));
    mo_build_set_float(b, n, "post_threshold", mo_node_get_float(fw, "post_threshold", 0.0, NULL));
    mo_build_set_int(b, n, "nms_top_k", mo_node_get_int(fw, "nms_top_k", -1, NULL));
    mo_build_set_int(b, n, "keep_top_k", mo_node_get_int(fw, "keep_top_k", -1, NULL));
    mo_build_set_int(b, n, "background_class", mo_node_get_int(fw, "background_label", 0, NULL));
    mo_build_set_str(b, n, "decay_function",
                     mo_node_get_bool(fw, "use_gaussian", false, NULL) ? "gaussian" : "linear");
    mo_build_set_float(b, n, "gaussian_sigma", mo_node_get_float(fw, "gaussian_sigma", 2.0, NULL));
    mo_build_set_bool(b, n, "normalized", mo_node_get_bool(fw, "normalized", true, NULL));
    mo_build_infer(b, n);
    mo_pd_set_out(b, "Out", mo_val(n.node, 0));
    mo_pd_set_out(b, "Index", mo_val(n.node, 1));
    return mo_pd_set_out(b, "RoisNum", mo_val(n.node, 2));
}

/* --- generate_proposals_v2 --------------------------------------------- */

/* GenerateProposals-9 decodes, clips, filters and suppresses as Paddle's v2
 * op does.  What differs is taken care of around it: it has no variances
 * (they scale the deltas before anything else, so the deltas are multiplied
 * by them, laid out as [4A, H, W]), its im_info carries a scale (1: v2 has
 * none), its pixel offset is spelled normalized = !pixel_offset, and Paddle
 * raises min_size to 1. */
static enum mo_status tr_generate_proposals(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                            struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value scores = mo_pd_in(b, "Scores", 0);
    struct mo_value deltas = mo_pd_in(b, "BboxDeltas", 0);
    struct mo_value im = mo_pd_in(b, "ImShape", 0);
    struct mo_value anchors = mo_pd_in(b, "Anchors", 0);
    struct mo_value var = mo_pd_in_opt(b, "Variances", 0);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    double eta = mo_node_get_float(fw, "eta", 1.0, NULL);
    if (fabs(eta - 1.0) > 1e-6)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "generate_proposals_v2 with eta %g is not supported: the IR's "
                              "GenerateProposals-9 requires nms_eta 1 (a fixed NMS threshold)",
                              eta);
    if (mo_value_shape(scores).rank != 4 || mo_value_shape(deltas).rank != 4 ||
        mo_value_shape(im).rank != 2)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "generate_proposals_v2 needs Scores [N, A, H, W], BboxDeltas "
                              "[N, 4A, H, W] and ImShape [N, 2]");
    /* anchors (and variances) as [H, W, A, 4], also when given [H*W*A, 4] */
    struct mo_value hwa = mo_build_dims(b, "hwa", scores, (const int64_t[]){2, 3, 1}, 3);
    struct mo_value four = mo_build_i64(b, "four", (const int64_t[]){4}, 1);
    struct mo_value a_shape = mo_build_infer(b, mo_build_concat(b, "anchors_shape", 0, 2,
                                                                (struct mo_value[]){hwa, four}));
    if (mo_value_shape(anchors).rank != 4)
        anchors = mo_build_infer(b, mo_build_reshape_to(b, "anchors_4d", anchors, a_shape, false));
    if (var.node) {
        if (mo_value_shape(var).rank != 4)
            var = mo_build_infer(b, mo_build_reshape_to(b, "var_4d", var, a_shape, false));
        struct mo_value v3 = mo_build_reshape(b, "var_hw", var, (const int64_t[]){0, 0, -1}, 3, true);
        struct mo_value vt = mo_build_transpose(b, "var_chw", mo_build_infer(b, v3),
                                                (const int64_t[]){2, 0, 1}, 3);
        deltas = op2(b, "Multiply", "deltas_var", deltas, mo_build_infer(b, vt));
    }
    /* im_info [N, 3] = (h, w, scale 1) */
    struct mo_value imf = mo_build_infer(b, mo_build_convert(b, "im_f32", im, mo_value_et(scores)));
    struct mo_value pb = mo_build_i64(b, "pads_begin", (const int64_t[]){0, 0}, 2);
    struct mo_value pe = mo_build_i64(b, "pads_end", (const int64_t[]){0, 1}, 2);
    struct mo_value one = mo_build_scalar(b, "scale", mo_value_et(scores), 1.0);
    struct mo_value info = mo_build_op(b, "Pad", "im_info", 4, imf, pb, pe, one);
    mo_build_set_str(b, info, "pad_mode", "constant");
    mo_build_infer(b, info);
    double min_size = mo_node_get_float(fw, "min_size", 0.1, NULL);
    struct mo_value g = mo_build_op(b, "GenerateProposals", "proposals", 4, info, anchors, deltas, scores);
    mo_build_set_float(b, g, "min_size", min_size < 1.0 ? 1.0 : min_size);
    mo_build_set_float(b, g, "nms_threshold", mo_node_get_float(fw, "nms_thresh", 0.5, NULL));
    mo_build_set_int(b, g, "pre_nms_count", mo_node_get_int(fw, "pre_nms_topN", 6000, NULL));
    mo_build_set_int(b, g, "post_nms_count", mo_node_get_int(fw, "post_nms_topN", 1000, NULL));
    mo_build_set_bool(b, g, "normalized", !mo_node_get_bool(fw, "pixel_offset", true, NULL));
    mo_build_set_float(b, g, "nms_eta", 1.0);
    mo_build_set_str(b, g, "roi_num_type", "i32");
    mo_build_infer(b, g);
    struct mo_value probs = mo_build_unsqueeze(b, "probs", mo_val(g.node, 1), (const int64_t[]){1}, 1);
    mo_pd_set_out(b, "RpnRois", mo_val(g.node, 0));
    mo_pd_set_out(b, "RpnRoiProbs", mo_build_infer(b, probs));
    return mo_pd_set_out(b, "RpnRoisNum", mo_val(g.node, 2));
}

/* --- roi_align, roi_pool, psroi_pool ----------------------------------- */

/* The image of each ROI [R] (i32): RoisNum [N] counts the ROIs of each
 * image, in order, so ROI r belongs to the number of images whose running
 * count is at or below r.  Without RoisNum (LoD boxes, whose split the
 * inference program does not keep) every ROI is taken from image 0. */
static struct mo_value roi_batch(struct mo_build *b, struct mo_value rois, struct mo_value num)
{
    struct mo_value r = mo_build_dims(b, "rois_count", rois, (const int64_t[]){0}, 1);
    struct mo_value r32 = mo_build_infer(b, mo_build_convert(b, "rois_count_i32", r, MO_ET_I32));
    if (!num.node) {
        struct mo_value zero = mo_build_scalar(b, "batch_zero", MO_ET_I32, 0);
        return mo_build_infer(b, mo_build_op(b, "Broadcast", "batch_idx", 2, zero, r));
    }
    struct mo_value n32 = mo_build_infer(b, mo_build_convert(b, "num_i32", num, MO_ET_I32));
    struct mo_value ax0 = mo_build_i64_scalar(b, "cumsum_axis", 0);
    struct mo_value ends = op2(b, "CumSum", "ends", n32, ax0);
    struct mo_value start = mo_build_scalar(b, "range_start", MO_ET_I32, 0);
    struct mo_value step = mo_build_scalar(b, "range_step", MO_ET_I32, 1);
    struct mo_value stop = mo_build_squeeze(b, "range_stop", r32, (const int64_t[]){0}, 1);
    struct mo_value idx = mo_build_op(b, "Range", "roi_idx", 3, start, mo_build_infer(b, stop), step);
    mo_build_set_str(b, idx, "output_type", "i32");
    struct mo_value col = mo_build_unsqueeze(b, "roi_idx_col", mo_build_infer(b, idx),
                                             (const int64_t[]){1}, 1);
    struct mo_value row = mo_build_unsqueeze(b, "ends_row", ends, (const int64_t[]){0}, 1);
    struct mo_value past = op2(b, "GreaterEqual", "past", mo_build_infer(b, col), mo_build_infer(b, row));
    struct mo_value cnt = mo_build_infer(b, mo_build_convert(b, "past_i32", past, MO_ET_I32));
    struct mo_value ax1 = mo_build_i64(b, "sum_axis", (const int64_t[]){1}, 1);
    return op2(b, "ReduceSum", "batch_idx", cnt, ax1);
}

/* ROIs [R, 4] with the image index in front as a float column: [R, 5]. */
static struct mo_value rois5(struct mo_build *b, struct mo_value rois, struct mo_value num)
{
    struct mo_value bi = roi_batch(b, rois, num);
    struct mo_value bf = mo_build_infer(b, mo_build_convert(b, "batch_f", bi, mo_value_et(rois)));
    struct mo_value col = mo_build_unsqueeze(b, "batch_col", bf, (const int64_t[]){1}, 1);
    struct mo_value in[2] = {mo_build_infer(b, col), rois};
    return mo_build_infer(b, mo_build_concat(b, "rois5", 1, 2, in));
}

static bool roi_inputs(struct mo_build *b, struct mo_value *x, struct mo_value *rois,
                       struct mo_value *num, const char *op)
{
    *x = mo_pd_in(b, "X", 0);
    *rois = mo_pd_in(b, "ROIs", 0);
    *num = mo_pd_in_opt(b, "RoisNum", 0);
    if (!mo_build_ok(b))
        return false;
    struct mo_shape rs = mo_value_shape(*rois);
    if (mo_value_shape(*x).rank != 4 || rs.rank != 2 || (rs.dims[1] >= 0 && rs.dims[1] != 4)) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%s needs X [N, C, H, W] and ROIs [R, 4]", op);
        return false;
    }
    return true;
}

/* ROIAlign-9 in avg mode.  aligned takes ROI corners to x * scale - 0.5
 * and keeps ROIs under one cell as they are: the half_pixel_for_nn mode
 * (half_pixel shifts before scaling, (x + 0.5) * scale - 0.5); without it
 * corners are x * scale and ROIs are widened to one cell: asymmetric.  A
 * sampling_ratio <= 0 is adaptive in both. */
static enum mo_status tr_roi_align(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x, rois, num;
    if (!roi_inputs(b, &x, &rois, &num, "roi_align"))
        return mo_build_status(b);
    struct mo_value bi = roi_batch(b, rois, num);
    struct mo_value y = mo_build_op(b, "ROIAlign", NULL, 3, x, rois, bi);
    int64_t sr = mo_node_get_int(fw, "sampling_ratio", -1, NULL);
    mo_build_set_int(b, y, "pooled_h", mo_node_get_int(fw, "pooled_height", 1, NULL));
    mo_build_set_int(b, y, "pooled_w", mo_node_get_int(fw, "pooled_width", 1, NULL));
    mo_build_set_int(b, y, "sampling_ratio", sr > 0 ? sr : 0);
    mo_build_set_float(b, y, "spatial_scale", mo_node_get_float(fw, "spatial_scale", 1.0, NULL));
    mo_build_set_str(b, y, "mode", "avg");
    mo_build_set_str(b, y, "aligned_mode",
                     mo_node_get_bool(fw, "aligned", false, NULL) ? "half_pixel_for_nn" : "asymmetric");
    return mo_pd_set_out(b, "Out", mo_build_infer(b, y));
}

/* ROIPooling-1, max: Caffe's rounding of the ROI to whole cells, as
 * Paddle's.  Argmax (used for training) has no IR counterpart. */
static enum mo_status tr_roi_pool(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x, rois, num;
    if (!roi_inputs(b, &x, &rois, &num, "roi_pool"))
        return mo_build_status(b);
    struct mo_value y = mo_build_op(b, "ROIPooling", NULL, 2, x, rois5(b, rois, num));
    mo_build_set_int(b, y, "pooled_h", mo_node_get_int(fw, "pooled_height", 1, NULL));
    mo_build_set_int(b, y, "pooled_w", mo_node_get_int(fw, "pooled_width", 1, NULL));
    mo_build_set_float(b, y, "spatial_scale", mo_node_get_float(fw, "spatial_scale", 1.0, NULL));
    mo_build_set_str(b, y, "method", "max");
    return mo_pd_set_out(b, "Out", mo_build_infer(b, y));
}

/* PSROIPooling-1, average: one output channel per (class, cell), R-FCN's
 * rounding, as Paddle's.  The IR op has one group size, so the pooled grid
 * must be square. */
static enum mo_status tr_psroi_pool(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x, rois, num;
    if (!roi_inputs(b, &x, &rois, &num, "psroi_pool"))
        return mo_build_status(b);
    int64_t ph = mo_node_get_int(fw, "pooled_height", 1, NULL);
    int64_t pw = mo_node_get_int(fw, "pooled_width", 1, NULL);
    if (ph != pw)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "psroi_pool with a %lldx%lld grid is not supported: the IR's "
                              "PSROIPooling takes one group_size (a square grid)",
                              (long long)ph, (long long)pw);
    struct mo_value y = mo_build_op(b, "PSROIPooling", NULL, 2, x, rois5(b, rois, num));
    mo_build_set_int(b, y, "output_dim", mo_node_get_int(fw, "output_channels", 1, NULL));
    mo_build_set_int(b, y, "group_size", ph);
    mo_build_set_float(b, y, "spatial_scale", mo_node_get_float(fw, "spatial_scale", 1.0, NULL));
    mo_build_set_str(b, y, "mode", "average");
    return mo_pd_set_out(b, "Out", mo_build_infer(b, y));
}

/* --- distribute_fpn_proposals ------------------------------------------ */

static struct mo_value op1(struct mo_build *b, const char *type, const char *sfx, struct mo_value a)
{
    return mo_build_infer(b, mo_build_op(b, type, sfx, 1, a));
}

static struct mo_value cumsum(struct mo_build *b, const char *sfx, struct mo_value v, int64_t axis,
                              bool exclusive)
{
    char name[48];
    snprintf(name, sizeof name, "%s_axis", sfx);
    struct mo_value c = mo_build_op(b, "CumSum", sfx, 2, v, mo_build_i64_scalar(b, name, axis));
    return mo_build_infer(b, mo_build_set_bool(b, c, "exclusive", exclusive));
}

static struct mo_value reduce_sum(struct mo_build *b, const char *sfx, struct mo_value v, int64_t axis,
                                  bool keep)
{
    char name[48];
    snprintf(name, sizeof name, "%s_axes", sfx);
    struct mo_value r = mo_build_op(b, "ReduceSum", sfx, 2, v, mo_build_i64(b, name, &axis, 1));
    return mo_build_infer(b, mo_build_set_bool(b, r, "keep_dims", keep));
}

/* Each ROI's level is floor(log2(sqrt(area) / refer_scale + 1e-6) +
 * refer_level), clamped to [min_level, max_level] (an inverted box has
 * area 0).  Level k's ROIs keep their order (images stay in sequence), so
 * ROI i lands at (ROIs of lower levels) + (earlier ROIs of its level) in the
 * concatenation: RestoreIndex, computed from a one-hot [R, L] of the levels
 * with cumulative sums; the count per image and level is a product of the
 * image one-hot and the level one-hot. */
static enum mo_status tr_distribute_fpn(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value rois = mo_pd_in(b, "FpnRois", 0);
    struct mo_value num = mo_pd_in_opt(b, "RoisNum", 0);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int64_t lo = mo_node_get_int(fw, "min_level", 2, NULL), hi = mo_node_get_int(fw, "max_level", 5, NULL);
    int64_t rl = mo_node_get_int(fw, "refer_level", 4, NULL);
    double rs = (double)mo_node_get_int(fw, "refer_scale", 224, NULL);
    bool pixel = mo_node_get_bool(fw, "pixel_offset", false, NULL);
    int64_t L = hi - lo + 1;
    struct mo_shape sh = mo_value_shape(rois);
    if (sh.rank != 2 || (sh.dims[1] >= 0 && sh.dims[1] != 4))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "distribute_fpn_proposals needs FpnRois [R, 4]");
    if (L < 1 || L > 64 || rs <= 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "distribute_fpn_proposals has levels %lld to %lld, refer_scale %g",
                              (long long)lo, (long long)hi, rs);
    if (mo_pd_out_count(fw, "MultiFpnRois") > (unsigned)L || mo_pd_out_count(fw, "MultiLevelRoIsNum") > (unsigned)L)
        return mo_build_error(b, MO_ERR_FORMAT, 0,
                              "distribute_fpn_proposals has more outputs than its %lld levels",
                              (long long)L);
    /* level of each ROI, [R, 1] */
    struct mo_value ax = mo_build_i64_scalar(b, "corner_axis", 1);
    struct mo_value ln = mo_build_i64(b, "corner_len", (const int64_t[]){1, 1, 1, 1}, 4);
    struct mo_value c = mo_build_infer(b, mo_build_op(b, "VariadicSplit", "corners", 3, rois, ax, ln));
    struct mo_value w = op2(b, "Subtract", "w", mo_val(c.node, 2), mo_val(c.node, 0));
    struct mo_value h = op2(b, "Subtract", "h", mo_val(c.node, 3), mo_val(c.node, 1));
    enum mo_etype et = mo_value_et(rois);
    struct mo_value zero = mo_build_scalar(b, "zero", et, 0.0);
    struct mo_value valid = op2(b, "LogicalAnd", "valid", op2(b, "GreaterEqual", "w_ok", w, zero),
                                op2(b, "GreaterEqual", "h_ok", h, zero));
    if (pixel) {
        struct mo_value one = mo_build_scalar(b, "one", et, 1.0);
        w = op2(b, "Add", "w1", w, one);
        h = op2(b, "Add", "h1", h, one);
    }
    struct mo_value area = op2(b, "Multiply", "area_raw", w, h);
    area = mo_build_infer(b, mo_build_op(b, "Select", "area", 3, valid, area, zero));
    struct mo_value sc = op2(b, "Divide", "scale", op1(b, "Sqrt", "sqrt_area", area),
                             mo_build_scalar(b, "refer_scale", et, rs));
    sc = op2(b, "Add", "scale_eps", sc, mo_build_scalar(b, "eps", et, 1e-6));
    struct mo_value l2 = op2(b, "Multiply", "log2", op1(b, "Log", "log", sc),
                             mo_build_scalar(b, "inv_ln2", et, 1.0 / log(2.0)));
    l2 = op2(b, "Add", "level_raw", l2, mo_build_scalar(b, "refer_level", et, (double)rl));
    struct mo_value lvf = mo_build_op(b, "Clamp", "level_clamp", 1, op1(b, "Floor", "level_floor", l2));
    mo_build_set_float(b, lvf, "min", (double)lo);
    mo_build_set_float(b, lvf, "max", (double)hi);
    struct mo_value lv = mo_build_infer(b, mo_build_convert(b, "level", mo_build_infer(b, lvf), MO_ET_I32));
    /* one-hot [R, L] */
    double levels[64];
    for (int64_t k = 0; k < L; k++)
        levels[k] = (double)(lo + k);
    struct mo_shape ls = mo_shape_of(1, L);
    struct mo_value lc = mo_build_const(b, "levels", MO_ET_I32, &ls, levels);
    struct mo_value oh = mo_build_infer(b, mo_build_convert(b, "onehot", op2(b, "Equal", "onehot_b", lv, lc),
                                                            MO_ET_I32));
    /* the ROIs of each level, in order */
    struct mo_value lv1 = mo_build_squeeze(b, "level_1d", lv, (const int64_t[]){1}, 1);
    lv1 = mo_build_infer(b, lv1);
    for (unsigned k = 0; k < mo_pd_out_count(fw, "MultiFpnRois"); k++) {
        char n1[48], n2[48], n3[48], n4[48];
        snprintf(n1, sizeof n1, "level%u_id", k);
        snprintf(n2, sizeof n2, "level%u_mask", k);
        snprintf(n3, sizeof n3, "level%u_where", k);
        snprintf(n4, sizeof n4, "level%u_idx", k);
        struct mo_value m = op2(b, "Equal", n2, lv1, mo_build_scalar(b, n1, MO_ET_I32, (double)(lo + k)));
        struct mo_value nz = mo_build_op(b, "NonZero", n3, 1, m);
        mo_build_set_str(b, nz, "output_type", "i64");
        struct mo_value idx = mo_build_squeeze(b, n4, mo_build_infer(b, nz), (const int64_t[]){0}, 1);
        snprintf(n1, sizeof n1, "level%u_rois", k);
        struct mo_value sel = mo_build_gather(b, n1, rois, mo_build_infer(b, idx), 0);
        mo_build_output(b, (unsigned)mo_pd_out_index(fw, "MultiFpnRois", k), mo_build_infer(b, sel));
    }
    /* RestoreIndex [R, 1]: earlier ROIs of the same level + ROIs of lower levels */
    struct mo_value before = cumsum(b, "before", oh, 0, true);
    struct mo_value own = reduce_sum(b, "rank_in_level", op2(b, "Multiply", "before_own", before, oh), 1, true);
    struct mo_value counts = reduce_sum(b, "level_counts", oh, 0, true);
    struct mo_value offs = cumsum(b, "level_offsets", counts, 1, true);
    struct mo_value base = reduce_sum(b, "level_offset", op2(b, "Multiply", "offset_own", oh, offs), 1, true);
    mo_pd_set_out(b, "RestoreIndex", op2(b, "Add", "restore", own, base));
    unsigned nlv = mo_pd_out_count(fw, "MultiLevelRoIsNum");
    if (!nlv)
        return mo_build_status(b);
    /* ROIs per image and level: [N, R] x [R, L] one-hots (one image without RoisNum) */
    struct mo_value ohf = mo_build_infer(b, mo_build_convert(b, "onehot_f", oh, MO_ET_F32));
    struct mo_value per;
    if (num.node) {
        struct mo_value bi = roi_batch(b, rois, num);
        struct mo_value n = mo_build_dims(b, "images", num, (const int64_t[]){0}, 1);
        struct mo_value n32 = mo_build_infer(b, mo_build_convert(b, "images_i32", n, MO_ET_I32));
        struct mo_value stop = mo_build_infer(b, mo_build_squeeze(b, "images_stop", n32, (const int64_t[]){0}, 1));
        struct mo_value start = mo_build_scalar(b, "images_start", MO_ET_I32, 0);
        struct mo_value step = mo_build_scalar(b, "images_step", MO_ET_I32, 1);
        struct mo_value ids = mo_build_op(b, "Range", "image_ids", 3, start, stop, step);
        mo_build_set_str(b, ids, "output_type", "i32");
        struct mo_value row = mo_build_unsqueeze(b, "image_row", mo_build_infer(b, ids), (const int64_t[]){0}, 1);
        struct mo_value col = mo_build_unsqueeze(b, "batch_col", bi, (const int64_t[]){1}, 1);
        struct mo_value img = op2(b, "Equal", "image_onehot_b", mo_build_infer(b, col), mo_build_infer(b, row));
        struct mo_value imgf = mo_build_infer(b, mo_build_convert(b, "image_onehot", img, MO_ET_F32));
        struct mo_value mm = mo_build_op(b, "MatMul", "per_image_f", 2, imgf, ohf);
        mo_build_set_bool(b, mm, "transpose_a", true);
        per = mo_build_infer(b, mm);
    } else {
        per = reduce_sum(b, "per_image_f", ohf, 0, true);
    }
    per = mo_build_infer(b, mo_build_convert(b, "per_image", per, MO_ET_I32));
    for (unsigned k = 0; k < nlv; k++) {
        char n1[48], n2[48];
        snprintf(n1, sizeof n1, "level%u_count_idx", k);
        snprintf(n2, sizeof n2, "level%u_count", k);
        struct mo_value cnt = mo_build_gather(b, n2, per, mo_build_i64_scalar(b, n1, (int64_t)k), 1);
        mo_build_output(b, (unsigned)mo_pd_out_index(fw, "MultiLevelRoIsNum", k), mo_build_infer(b, cnt));
    }
    return mo_build_status(b);
}

MO_PD_TABLE(mo_pd_tr_roi, {"matrix_nms", tr_matrix_nms},
            {"generate_proposals_v2", tr_generate_proposals}, {"roi_align", tr_roi_align},
            {"roi_pool", tr_roi_pool}, {"psroi_pool", tr_psroi_pool},
            {"distribute_fpn_proposals", tr_distribute_fpn});
