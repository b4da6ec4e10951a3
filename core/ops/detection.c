/* detection.c - object detection ops: PriorBox (opset8), PriorBoxClustered,
 * DetectionOutput (opset8), Proposal (opset4), ROIPooling, ROIAlign
 * (opset9), RegionYolo, NonMaxSuppression (opset9), MulticlassNms (opset9),
 * MatrixNms (opset8), GenerateProposals (opset9), PSROIPooling. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "ops.h"

#define MAX_LIST 256

/* [2, 4 * H * W * priors] from the Const output_size input (f32 boxes). */
static enum mo_status prior_out(struct mo_node *n, int64_t priors, struct mo_error *err)
{
    struct mo_shape os = mo_in_shape(n, 0);
    if (os.rank >= 0 && (os.rank != 1 || (os.dims[0] >= 0 && os.dims[0] != 2)))
        return mo_shape_error(n, err, "output_size must be 1-D with 2 values");
    if (n->n_inputs > 1) {
        struct mo_shape is = mo_in_shape(n, 1);
        if (is.rank >= 0 && (is.rank != 1 || (is.dims[0] >= 0 && is.dims[0] != 2)))
            return mo_shape_error(n, err, "image_size must be 1-D with 2 values");
    }
    int64_t hw[2], len = MO_DYN;
    if (mo_const_ints(n, 0, hw, 2) == 2) {
        if (hw[0] < 0 || hw[1] < 0)
            return mo_shape_error(n, err, "output_size [%lld, %lld] is negative", (long long)hw[0],
                                  (long long)hw[1]);
        len = 4 * hw[0] * hw[1] * priors;
    }
    struct mo_shape o = mo_shape_of(2, len);
    return mo_set_out(n, 0, MO_ET_F32, &o);
}

/* PriorBox-8: boxes per point.  Aspect ratios are {1} plus the distinct
 * given ones (and their inverses with flip); then
 *   scale_all_sizes: ratios * |min_size| + |max_size|, else ratios + |min_size| - 1
 *   fixed_size set:  ratios * |fixed_size|
 *   each density d adds (d*d - 1) * (|fixed_ratio| or ratios). */
static int64_t prior_box_count(struct mo_node *n)
{
    double ar[MAX_LIST], uniq[2 * MAX_LIST + 1], tmp[MAX_LIST];
    int nar = mo_attr_floats(n, "aspect_ratio", ar, MAX_LIST);
    bool flip = mo_attr_bool(n, "flip");
    int nu = 0;
    uniq[nu++] = 1.0;
    for (int i = 0; i < nar; i++) {
        bool dup = false;
        for (int j = 0; j < nu; j++)
            if (fabs(uniq[j] - ar[i]) < 1e-6)
                dup = true;
        if (dup)
            continue;
        uniq[nu++] = ar[i];
        if (flip)
            uniq[nu++] = 1.0 / ar[i];
    }
    int nmin = mo_attr_floats(n, "min_size", tmp, MAX_LIST);
    int nmax = mo_attr_floats(n, "max_size", tmp, MAX_LIST);
    int nfs = mo_attr_floats(n, "fixed_size", tmp, MAX_LIST);
    int nfr = mo_attr_floats(n, "fixed_ratio", tmp, MAX_LIST);
    double dens[MAX_LIST];
    int nd = mo_attr_floats(n, "density", dens, MAX_LIST);
    nmin = nmin < 0 ? 0 : nmin, nmax = nmax < 0 ? 0 : nmax;
    nfs = nfs < 0 ? 0 : nfs, nfr = nfr < 0 ? 0 : nfr;
    int64_t cnt = mo_attr_bool(n, "scale_all_sizes") ? (int64_t)nu * nmin + nmax : nu + nmin - 1;
    if (nfs > 0)
        cnt = (int64_t)nu * nfs;
    for (int i = 0; i < nd; i++) {
        int64_t d = (int64_t)dens[i];
        cnt += (int64_t)(nfr > 0 ? nfr : nu) * (d * d - 1);
    }
    return cnt;
}

static enum mo_status infer_prior_box(struct mo_node *n, struct mo_error *err)
{
    return prior_out(n, prior_box_count(n), err);
}

static const struct mo_attr_spec prior_box_attrs[] = {
    {"min_size", MO_ATTR_FLOATS, ""},
    {"max_size", MO_ATTR_FLOATS, ""},
    {"aspect_ratio", MO_ATTR_FLOATS, ""},
    {"flip", MO_ATTR_BOOL, "false"},
    {"clip", MO_ATTR_BOOL, "false"},
    {"step", MO_ATTR_FLOAT, "0"},
    {"offset", MO_ATTR_FLOAT, NULL},
    {"variance", MO_ATTR_FLOATS, ""},
    {"scale_all_sizes", MO_ATTR_BOOL, "true"},
    {"fixed_ratio", MO_ATTR_FLOATS, ""},
    {"fixed_size", MO_ATTR_FLOATS, ""},
    {"density", MO_ATTR_FLOATS, ""},
    {"min_max_aspect_ratios_order", MO_ATTR_BOOL, "true"},
};
static const struct mo_op_def op_prior_box = {
    "PriorBox", "opset8", 2, 2, 1, prior_box_attrs, MO_COUNT_OF(prior_box_attrs), infer_prior_box, NULL};

/* PriorBoxClustered-1: one box per width (widths and heights pair up). */
static enum mo_status infer_prior_box_clustered(struct mo_node *n, struct mo_error *err)
{
    double w[MAX_LIST], h[MAX_LIST];
    int nw = mo_attr_floats(n, "width", w, MAX_LIST), nh = mo_attr_floats(n, "height", h, MAX_LIST);
    if (nw != nh)
        return mo_shape_error(n, err, "width has %d values, height %d", nw, nh);
    return prior_out(n, nw < 0 ? 0 : nw, err);
}

static const struct mo_attr_spec prior_box_clustered_attrs[] = {
    {"width", MO_ATTR_FLOATS, "1.0"},
    {"height", MO_ATTR_FLOATS, "1.0"},
    {"clip", MO_ATTR_BOOL, "true"},
    {"step", MO_ATTR_FLOAT, "0"},
    {"step_w", MO_ATTR_FLOAT, "0"},
    {"step_h", MO_ATTR_FLOAT, "0"},
    {"offset", MO_ATTR_FLOAT, NULL},
    {"variance", MO_ATTR_FLOATS, ""},
};
static const struct mo_op_def op_prior_box_clustered = {
    "PriorBoxClustered", "opset1", 1, 2, 1, prior_box_clustered_attrs,
    MO_COUNT_OF(prior_box_clustered_attrs), infer_prior_box_clustered, NULL};

/* DetectionOutput-8: [1, 1, R, 7] where R is N * keep_top_k[0] when that is
 * positive, else N * top_k * classes when top_k is positive, else
 * N * classes * priors.  priors = proposals[2] / (normalized ? 4 : 5) and
 * classes = class_preds[1] / priors (opset8 dropped num_classes). */
static enum mo_status infer_detection_output(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape loc = mo_in_shape(n, 0), conf = mo_in_shape(n, 1), pri = mo_in_shape(n, 2);
    if (loc.rank >= 0 && loc.rank != 2)
        return mo_shape_error(n, err, "box_logits must be 2-D, got rank %d", loc.rank);
    if (conf.rank >= 0 && conf.rank != 2)
        return mo_shape_error(n, err, "class_preds must be 2-D, got rank %d", conf.rank);
    if (pri.rank >= 0 && pri.rank != 3)
        return mo_shape_error(n, err, "proposals must be 3-D, got rank %d", pri.rank);
    int64_t keep[MAX_LIST];
    int nk = mo_attr_ints(n, "keep_top_k", keep, MAX_LIST);
    if (nk < 1)
        return mo_shape_error(n, err, "keep_top_k is required");
    int64_t top_k = mo_attr_int(n, "top_k");
    int64_t batch = MO_DYN;
    if (loc.rank == 2)
        batch = loc.dims[0];
    if (conf.rank == 2) {
        int64_t m = mo_dim_merge(batch, conf.dims[0]);
        if (m == -2)
            return mo_shape_error(n, err, "box_logits batch %lld differs from class_preds batch %lld",
                                  (long long)batch, (long long)conf.dims[0]);
        batch = m;
    }
    int64_t psize = mo_attr_bool(n, "normalized") ? 4 : 5;
    int64_t priors = MO_DYN, classes = MO_DYN;
    if (pri.rank == 3 && pri.dims[2] >= 0) {
        if (pri.dims[2] % psize)
            return mo_shape_error(n, err, "proposals last dim %lld is not a multiple of %lld",
                                  (long long)pri.dims[2], (long long)psize);
        priors = pri.dims[2] / psize;
    }
    if (priors > 0 && conf.rank == 2 && conf.dims[1] >= 0) {
        if (conf.dims[1] % priors)
            return mo_shape_error(n, err, "class_preds dim 1 (%lld) is not a multiple of %lld priors",
                                  (long long)conf.dims[1], (long long)priors);
        classes = conf.dims[1] / priors;
    }
    if (priors > 0 && loc.rank == 2 && loc.dims[1] >= 0) {
        int64_t loc_classes = mo_attr_bool(n, "share_location") ? 1 : classes;
        if (loc_classes >= 0 && loc.dims[1] != priors * loc_classes * 4)
            return mo_shape_error(n, err, "box_logits dim 1 is %lld, expected %lld", (long long)loc.dims[1],
                                  (long long)(priors * loc_classes * 4));
    }
    int64_t rows;
    if (keep[0] > 0)
        rows = mo_dim_mul(batch, keep[0]);
    else if (top_k > 0)
        rows = mo_dim_mul(mo_dim_mul(batch, top_k), classes);
    else
        rows = mo_dim_mul(mo_dim_mul(batch, classes), priors);
    struct mo_shape o = mo_shape_of(1, 1, rows, 7);
    return mo_out_like_in0(n, &o);
}

static const struct mo_attr_spec detection_output_attrs[] = {
    {"background_label_id", MO_ATTR_INT, "0"},
    {"top_k", MO_ATTR_INT, "-1"},
    {"variance_encoded_in_target", MO_ATTR_BOOL, "false"},
    {"keep_top_k", MO_ATTR_INTS, NULL},
    {"code_type", MO_ATTR_STRING, "caffe.PriorBoxParameter.CORNER"},
    {"share_location", MO_ATTR_BOOL, "true"},
    {"nms_threshold", MO_ATTR_FLOAT, NULL},
    {"confidence_threshold", MO_ATTR_FLOAT, "0"},
    {"clip_after_nms", MO_ATTR_BOOL, "false"},
    {"clip_before_nms", MO_ATTR_BOOL, "false"},
    {"decrease_label_id", MO_ATTR_BOOL, "false"},
    {"normalized", MO_ATTR_BOOL, "false"},
    {"input_height", MO_ATTR_INT, "1"},
    {"input_width", MO_ATTR_INT, "1"},
    {"objectness_score", MO_ATTR_FLOAT, "0"},
};
static const struct mo_op_def op_detection_output = {
    "DetectionOutput", "opset8", 3, 5, 1, detection_output_attrs, MO_COUNT_OF(detection_output_attrs),
    infer_detection_output, NULL};

/* Proposal-4: boxes [N * post_nms_topn, 5] and scores [N * post_nms_topn]. */
static enum mo_status infer_proposal(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape cls = mo_in_shape(n, 0), bbox = mo_in_shape(n, 1), info = mo_in_shape(n, 2);
    if (cls.rank >= 0 && cls.rank != 4)
        return mo_shape_error(n, err, "class_probs must be 4-D, got rank %d", cls.rank);
    if (bbox.rank >= 0 && bbox.rank != 4)
        return mo_shape_error(n, err, "bbox_deltas must be 4-D, got rank %d", bbox.rank);
    if (info.rank >= 0 && (info.rank != 1 || (info.dims[0] >= 0 && info.dims[0] != 3 && info.dims[0] != 4)))
        return mo_shape_error(n, err, "image_shape must be 1-D with 3 or 4 values");
    int64_t post = mo_attr_int(n, "post_nms_topn");
    if (post <= 0)
        return mo_shape_error(n, err, "post_nms_topn must be positive, got %lld", (long long)post);
    int64_t batch = cls.rank == 4 ? cls.dims[0] : MO_DYN;
    if (bbox.rank == 4) {
        int64_t m = mo_dim_merge(batch, bbox.dims[0]);
        if (m == -2)
            return mo_shape_error(n, err, "class_probs batch %lld differs from bbox_deltas batch %lld",
                                  (long long)batch, (long long)bbox.dims[0]);
        batch = m;
        if (cls.rank == 4 && cls.dims[1] >= 0 && bbox.dims[1] >= 0 && cls.dims[1] * 2 != bbox.dims[1])
            return mo_shape_error(n, err, "bbox_deltas needs %lld channels (2x class_probs), has %lld",
                                  (long long)(cls.dims[1] * 2), (long long)bbox.dims[1]);
    }
    int64_t rows = mo_dim_mul(batch, post);
    struct mo_shape o0 = mo_shape_of(rows, 5), o1 = mo_shape_make(1, &rows);
    enum mo_status st = mo_out_like_in0(n, &o0);
    if (st != MO_OK)
        return st;
    return mo_set_out(n, 1, mo_in_et(n, 0), &o1);
}

static const struct mo_attr_spec proposal_attrs[] = {
    {"base_size", MO_ATTR_INT, NULL},
    {"pre_nms_topn", MO_ATTR_INT, NULL},
    {"post_nms_topn", MO_ATTR_INT, NULL},
    {"nms_thresh", MO_ATTR_FLOAT, NULL},
    {"feat_stride", MO_ATTR_INT, NULL},
    {"min_size", MO_ATTR_INT, NULL},
    {"ratio", MO_ATTR_FLOATS, NULL},
    {"scale", MO_ATTR_FLOATS, NULL},
    {"clip_before_nms", MO_ATTR_BOOL, "true"},
    {"clip_after_nms", MO_ATTR_BOOL, "false"},
    {"normalize", MO_ATTR_BOOL, "false"},
    {"box_size_scale", MO_ATTR_FLOAT, "1.0"},
    {"box_coordinate_scale", MO_ATTR_FLOAT, "1.0"},
    {"framework", MO_ATTR_STRING, ""},
};
static const struct mo_op_def op_proposal = {
    "Proposal", "opset4", 3, 3, 2, proposal_attrs, MO_COUNT_OF(proposal_attrs), infer_proposal, NULL};

/* ROIPooling-1 and ROIAlign-9: [num_rois, C, pooled_h, pooled_w]. */
static enum mo_status infer_roi_common(struct mo_node *n, int64_t roi_cols, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), rois = mo_in_shape(n, 1);
    if (x.rank >= 0 && x.rank != 4)
        return mo_shape_error(n, err, "feature maps must be 4-D, got rank %d", x.rank);
    if (rois.rank >= 0 && rois.rank != 2)
        return mo_shape_error(n, err, "rois must be 2-D, got rank %d", rois.rank);
    if (rois.rank == 2 && rois.dims[1] >= 0 && rois.dims[1] != roi_cols)
        return mo_shape_error(n, err, "rois must have %lld columns, got %lld", (long long)roi_cols,
                              (long long)rois.dims[1]);
    int64_t ph = mo_attr_int(n, "pooled_h"), pw = mo_attr_int(n, "pooled_w");
    if (ph <= 0 || pw <= 0)
        return mo_shape_error(n, err, "pooled_h and pooled_w must be positive");
    int64_t nr = rois.rank == 2 ? rois.dims[0] : MO_DYN;
    if (n->n_inputs > 2) {
        struct mo_shape bi = mo_in_shape(n, 2);
        if (bi.rank >= 0 && bi.rank != 1)
            return mo_shape_error(n, err, "batch_indices must be 1-D, got rank %d", bi.rank);
        int64_t m = bi.rank == 1 ? mo_dim_merge(nr, bi.dims[0]) : nr;
        if (m == -2)
            return mo_shape_error(n, err, "%lld rois but %lld batch indices", (long long)nr,
                                  (long long)bi.dims[0]);
        nr = m;
    }
    struct mo_shape o = mo_shape_of(nr, x.rank == 4 ? x.dims[1] : MO_DYN, ph, pw);
    return mo_out_like_in0(n, &o);
}

static enum mo_status infer_roi_pooling(struct mo_node *n, struct mo_error *err)
{
    const char *m = mo_attr_str(n, "method");
    if (strcmp(m, "max") && strcmp(m, "bilinear"))
        return mo_shape_error(n, err, "method must be max or bilinear, got '%s'", m);
    return infer_roi_common(n, 5, err);
}

static enum mo_status infer_roi_align(struct mo_node *n, struct mo_error *err)
{
    const char *m = mo_attr_str(n, "mode"), *am = mo_attr_str(n, "aligned_mode");
    if (strcmp(m, "max") && strcmp(m, "avg"))
        return mo_shape_error(n, err, "mode must be max or avg, got '%s'", m);
    if (strcmp(am, "asymmetric") && strcmp(am, "half_pixel_for_nn") && strcmp(am, "half_pixel"))
        return mo_shape_error(n, err, "unknown aligned_mode '%s'", am);
    if (mo_attr_int(n, "sampling_ratio") < 0)
        return mo_shape_error(n, err, "sampling_ratio must not be negative");
    return infer_roi_common(n, 4, err);
}

static const struct mo_attr_spec roi_pooling_attrs[] = {
    {"pooled_h", MO_ATTR_INT, NULL},
    {"pooled_w", MO_ATTR_INT, NULL},
    {"spatial_scale", MO_ATTR_FLOAT, NULL},
    {"method", MO_ATTR_STRING, "max"},
};
static const struct mo_op_def op_roi_pooling = {
    "ROIPooling", "opset1", 2, 2, 1, roi_pooling_attrs, MO_COUNT_OF(roi_pooling_attrs),
    infer_roi_pooling, NULL};

static const struct mo_attr_spec roi_align_attrs[] = {
    {"pooled_h", MO_ATTR_INT, NULL},
    {"pooled_w", MO_ATTR_INT, NULL},
    {"sampling_ratio", MO_ATTR_INT, NULL},
    {"spatial_scale", MO_ATTR_FLOAT, NULL},
    {"mode", MO_ATTR_STRING, NULL},
    {"aligned_mode", MO_ATTR_STRING, "asymmetric"},
};
static const struct mo_op_def op_roi_align = {
    "ROIAlign", "opset9", 3, 3, 1, roi_align_attrs, MO_COUNT_OF(roi_align_attrs), infer_roi_align, NULL};

/* RegionYolo-1: without softmax [N, (classes + coords + 1) * len(mask), H, W];
 * with it dims axis..end_axis are flattened into one. */
static enum mo_status infer_region_yolo(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    if (x.rank < 0)
        return mo_out_like_in0(n, &x);
    if (x.rank != 4)
        return mo_shape_error(n, err, "data must be 4-D, got rank %d", x.rank);
    if (!mo_attr_bool(n, "do_softmax")) {
        int64_t mask[MAX_LIST];
        int nm = mo_attr_ints(n, "mask", mask, MAX_LIST);
        int64_t per = mo_attr_int(n, "classes") + mo_attr_int(n, "coords") + 1;
        struct mo_shape o = x;
        o.dims[1] = per * (nm < 0 ? 0 : nm);
        return mo_out_like_in0(n, &o);
    }
    int64_t ax = mo_attr_int(n, "axis"), ex = mo_attr_int(n, "end_axis");
    int a = mo_axis_norm(ax, x.rank), e = mo_axis_norm(ex, x.rank);
    if (a < 0 || e < 0 || e < a)
        return mo_shape_error(n, err, "axis %lld and end_axis %lld do not give a range of rank %d",
                              (long long)ax, (long long)ex, x.rank);
    struct mo_shape o = {.rank = 0};
    for (int d = 0; d < a; d++)
        o.dims[o.rank++] = x.dims[d];
    int64_t flat = 1;
    for (int d = a; d <= e; d++)
        flat = mo_dim_mul(flat, x.dims[d]);
    o.dims[o.rank++] = flat;
    for (int d = e + 1; d < x.rank; d++)
        o.dims[o.rank++] = x.dims[d];
    return mo_out_like_in0(n, &o);
}

static const struct mo_attr_spec region_yolo_attrs[] = {
    {"anchors", MO_ATTR_FLOATS, NULL},
    {"axis", MO_ATTR_INT, NULL},
    {"coords", MO_ATTR_INT, NULL},
    {"classes", MO_ATTR_INT, NULL},
    {"end_axis", MO_ATTR_INT, NULL},
    {"num", MO_ATTR_INT, NULL},
    {"do_softmax", MO_ATTR_BOOL, "true"},
    {"mask", MO_ATTR_INTS, ""},
};
static const struct mo_op_def op_region_yolo = {
    "RegionYolo", "opset1", 1, 1, 1, region_yolo_attrs, MO_COUNT_OF(region_yolo_attrs),
    infer_region_yolo, NULL};

/* Output type attribute of the NMS ops: i64 or i32. */
static enum mo_status nms_index_type(struct mo_node *n, enum mo_etype *it, struct mo_error *err)
{
    *it = mo_etype_parse(mo_attr_str(n, "output_type"));
    if (*it != MO_ET_I64 && *it != MO_ET_I32)
        return mo_shape_error(n, err, "output_type must be i64 or i32, got '%s'",
                              mo_attr_str(n, "output_type"));
    return MO_OK;
}

/* NonMaxSuppression-9: selected_indices and selected_scores [S, 3] where
 * S = min(num_boxes, max_output_boxes_per_class) * batches * classes when
 * that bound is known (the runtime fills the tail with -1); valid_outputs [1]. */
static enum mo_status infer_nms(struct mo_node *n, struct mo_error *err)
{
    enum mo_etype it;
    enum mo_status st = nms_index_type(n, &it, err);
    if (st != MO_OK)
        return st;
    const char *enc = mo_attr_str(n, "box_encoding");
    if (strcmp(enc, "corner") && strcmp(enc, "center"))
        return mo_shape_error(n, err, "box_encoding must be corner or center, got '%s'", enc);
    struct mo_shape b = mo_in_shape(n, 0), s = mo_in_shape(n, 1);
    if (b.rank >= 0 && (b.rank != 3 || (b.dims[2] >= 0 && b.dims[2] != 4)))
        return mo_shape_error(n, err, "boxes must be [batches, boxes, 4]");
    if (s.rank >= 0 && s.rank != 3)
        return mo_shape_error(n, err, "scores must be [batches, classes, boxes], got rank %d", s.rank);
    if (b.rank == 3 && s.rank == 3 &&
        (mo_dim_merge(b.dims[0], s.dims[0]) == -2 || mo_dim_merge(b.dims[1], s.dims[2]) == -2))
        return mo_shape_error(n, err, "boxes and scores disagree on batches or box count");
    for (unsigned i = 2; i < n->n_inputs; i++) {
        struct mo_shape p = mo_in_shape(n, i);
        if (p.rank > 1 || (p.rank == 1 && p.dims[0] > 1))
            return mo_shape_error(n, err, "input %u must be a scalar or have one element", i);
    }
    int64_t rows = MO_DYN, maxb = 0;
    if (b.rank == 3 && s.rank == 3) {
        if (n->n_inputs < 3)
            rows = 0; /* the default max_output_boxes_per_class is 0 */
        else if (mo_const_scalar(n, 2, &maxb)) {
            int64_t boxes = mo_dim_merge(b.dims[1], s.dims[2]);
            int64_t per = boxes >= 0 && boxes < maxb ? boxes : (maxb < 0 ? 0 : maxb);
            if (boxes < 0 && maxb > 0)
                per = MO_DYN;
            rows = mo_dim_mul(mo_dim_mul(per, mo_dim_merge(b.dims[0], s.dims[0])), s.dims[1]);
        }
    }
    enum mo_etype ft = mo_in_et(n, 1);
    if (n->n_inputs > 3 && mo_in_et(n, 3) != MO_ET_UNDEFINED)
        ft = mo_in_et(n, 3);
    struct mo_shape o = mo_shape_of(rows, 3), one = mo_shape_of(1);
    if ((st = mo_set_out(n, 0, it, &o)) != MO_OK || (st = mo_set_out(n, 1, ft, &o)) != MO_OK)
        return st;
    return mo_set_out(n, 2, it, &one);
}

static const struct mo_attr_spec nms_attrs[] = {
    {"box_encoding", MO_ATTR_STRING, "corner"},
    {"sort_result_descending", MO_ATTR_BOOL, "true"},
    {"output_type", MO_ATTR_STRING, "i64"},
};
static const struct mo_op_def op_nms = {
    "NonMaxSuppression", "opset9", 2, 6, 3, nms_attrs, MO_COUNT_OF(nms_attrs), infer_nms, NULL};

/* MulticlassNms-9 (the spec calls it MulticlassNonMaxSuppression; the IR
 * type name the runtime reads is MulticlassNms): outputs [?, 6], [?, 1] and
 * [batches].  Batches come from scores (2 inputs) or roisnum (3 inputs). */
static enum mo_status infer_multiclass_nms(struct mo_node *n, struct mo_error *err)
{
    enum mo_etype it;
    enum mo_status st = nms_index_type(n, &it, err);
    if (st != MO_OK)
        return st;
    const char *sort = mo_attr_str(n, "sort_result_type");
    /* the runtime's enum spells the class order "classid" */
    if (strcmp(sort, "classid") && strcmp(sort, "score") && strcmp(sort, "none"))
        return mo_shape_error(n, err, "sort_result_type must be classid, score or none, got '%s'", sort);
    struct mo_shape b = mo_in_shape(n, 0), s = mo_in_shape(n, 1);
    if (b.rank >= 0 && (b.rank != 3 || (b.dims[2] >= 0 && b.dims[2] != 4)))
        return mo_shape_error(n, err, "boxes must be 3-D with 4 coordinates per box");
    int64_t batches = MO_DYN;
    if (n->n_inputs == 2) {
        if (s.rank >= 0 && s.rank != 3)
            return mo_shape_error(n, err, "scores must be [batches, classes, boxes], got rank %d", s.rank);
        if (b.rank == 3 && s.rank == 3 &&
            (mo_dim_merge(b.dims[0], s.dims[0]) == -2 || mo_dim_merge(b.dims[1], s.dims[2]) == -2))
            return mo_shape_error(n, err, "boxes and scores disagree on batches or box count");
        if (s.rank == 3)
            batches = mo_dim_merge(b.rank == 3 ? b.dims[0] : MO_DYN, s.dims[0]);
    } else {
        struct mo_shape r = mo_in_shape(n, 2);
        if (s.rank >= 0 && s.rank != 2)
            return mo_shape_error(n, err, "scores must be [classes, boxes] with roisnum, got rank %d", s.rank);
        if (r.rank >= 0 && r.rank != 1)
            return mo_shape_error(n, err, "roisnum must be 1-D, got rank %d", r.rank);
        if (r.rank == 1)
            batches = r.dims[0];
    }
    enum mo_etype ft = mo_in_et(n, 0);
    struct mo_shape o0 = mo_shape_of(MO_DYN, 6), o1 = mo_shape_of(MO_DYN, 1);
    struct mo_shape o2 = mo_shape_make(1, &batches);
    if ((st = mo_set_out(n, 0, ft, &o0)) != MO_OK || (st = mo_set_out(n, 1, it, &o1)) != MO_OK)
        return st;
    return mo_set_out(n, 2, it, &o2);
}

/* Attribute names as the runtime's reader spells them (sort_result_type). */
static const struct mo_attr_spec multiclass_nms_attrs[] = {
    {"sort_result_type", MO_ATTR_STRING, "none"},
    {"sort_result_across_batch", MO_ATTR_BOOL, "false"},
    {"output_type", MO_ATTR_STRING, "i64"},
    {"iou_threshold", MO_ATTR_FLOAT, "0"},
    {"score_threshold", MO_ATTR_FLOAT, "0"},
    {"nms_top_k", MO_ATTR_INT, "-1"},
    {"keep_top_k", MO_ATTR_INT, "-1"},
    {"background_class", MO_ATTR_INT, "-1"},
    {"normalized", MO_ATTR_BOOL, "true"},
    {"nms_eta", MO_ATTR_FLOAT, "1.0"},
};
static const struct mo_op_def op_multiclass_nms = {
    "MulticlassNms", "opset9", 2, 3, 3, multiclass_nms_attrs, MO_COUNT_OF(multiclass_nms_attrs),
    infer_multiclass_nms, NULL};

/* MatrixNms-8: the outputs of MulticlassNms-9 without roisnum: [?, 6],
 * [?, 1] and [batches]. */
static enum mo_status infer_matrix_nms(struct mo_node *n, struct mo_error *err)
{
    enum mo_etype it;
    enum mo_status st = nms_index_type(n, &it, err);
    if (st != MO_OK)
        return st;
    const char *sort = mo_attr_str(n, "sort_result_type"), *decay = mo_attr_str(n, "decay_function");
    if (strcmp(sort, "classid") && strcmp(sort, "score") && strcmp(sort, "none"))
        return mo_shape_error(n, err, "sort_result_type must be classid, score or none, got '%s'", sort);
    if (strcmp(decay, "linear") && strcmp(decay, "gaussian"))
        return mo_shape_error(n, err, "decay_function must be linear or gaussian, got '%s'", decay);
    struct mo_shape b = mo_in_shape(n, 0), s = mo_in_shape(n, 1);
    if (b.rank >= 0 && (b.rank != 3 || (b.dims[2] >= 0 && b.dims[2] != 4)))
        return mo_shape_error(n, err, "boxes must be 3-D with 4 coordinates per box");
    if (s.rank >= 0 && s.rank != 3)
        return mo_shape_error(n, err, "scores must be [batches, classes, boxes], got rank %d", s.rank);
    int64_t batches = MO_DYN;
    if (b.rank == 3 && s.rank == 3) {
        batches = mo_dim_merge(b.dims[0], s.dims[0]);
        if (batches == -2 || mo_dim_merge(b.dims[1], s.dims[2]) == -2)
            return mo_shape_error(n, err, "boxes and scores disagree on batches or box count");
    }
    struct mo_shape o0 = mo_shape_of(MO_DYN, 6), o1 = mo_shape_of(MO_DYN, 1);
    struct mo_shape o2 = mo_shape_make(1, &batches);
    if ((st = mo_set_out(n, 0, mo_in_et(n, 0), &o0)) != MO_OK ||
        (st = mo_set_out(n, 1, it, &o1)) != MO_OK)
        return st;
    return mo_set_out(n, 2, it, &o2);
}

static const struct mo_attr_spec matrix_nms_attrs[] = {
    {"sort_result_type", MO_ATTR_STRING, "none"},
    {"output_type", MO_ATTR_STRING, "i64"},
    {"nms_top_k", MO_ATTR_INT, "-1"},
    {"keep_top_k", MO_ATTR_INT, "-1"},
    {"sort_result_across_batch", MO_ATTR_BOOL, "false"},
    {"score_threshold", MO_ATTR_FLOAT, "0"},
    {"background_class", MO_ATTR_INT, "-1"},
    {"decay_function", MO_ATTR_STRING, "linear"},
    {"gaussian_sigma", MO_ATTR_FLOAT, "2.0"},
    {"post_threshold", MO_ATTR_FLOAT, "0"},
    {"normalized", MO_ATTR_BOOL, "true"},
};
static const struct mo_op_def op_matrix_nms = {
    "MatrixNms", "opset8", 2, 2, 3, matrix_nms_attrs, MO_COUNT_OF(matrix_nms_attrs),
    infer_matrix_nms, NULL};

/* GenerateProposals-9: im_info [N, 3|4], anchors [H, W, A, 4], deltas
 * [N, 4A, H, W], scores [N, A, H, W] -> rois [?, 4], scores [?], and the
 * count per image [N] (roi_num_type). */
static enum mo_status infer_generate_proposals(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape im = mo_in_shape(n, 0), an = mo_in_shape(n, 1);
    struct mo_shape de = mo_in_shape(n, 2), sc = mo_in_shape(n, 3);
    if (im.rank >= 0 && (im.rank != 2 || (im.dims[1] >= 0 && im.dims[1] != 3 && im.dims[1] != 4)))
        return mo_shape_error(n, err, "im_info must be [N, 3] or [N, 4]");
    if (an.rank >= 0 && (an.rank != 4 || (an.dims[3] >= 0 && an.dims[3] != 4)))
        return mo_shape_error(n, err, "anchors must be [H, W, A, 4]");
    if (de.rank >= 0 && de.rank != 4)
        return mo_shape_error(n, err, "deltas must be 4-D, got rank %d", de.rank);
    if (sc.rank >= 0 && sc.rank != 4)
        return mo_shape_error(n, err, "scores must be 4-D, got rank %d", sc.rank);
    if (de.rank == 4 && sc.rank == 4 && de.dims[1] >= 0 && sc.dims[1] >= 0 &&
        de.dims[1] != 4 * sc.dims[1])
        return mo_shape_error(n, err, "deltas need 4 channels per anchor (%lld), have %lld",
                              (long long)(4 * sc.dims[1]), (long long)de.dims[1]);
    if (mo_attr_int(n, "post_nms_count") <= 0 || mo_attr_int(n, "pre_nms_count") <= 0)
        return mo_shape_error(n, err, "pre_nms_count and post_nms_count must be positive");
    enum mo_etype it = mo_etype_parse(mo_attr_str(n, "roi_num_type"));
    if (it != MO_ET_I64 && it != MO_ET_I32)
        return mo_shape_error(n, err, "roi_num_type must be i64 or i32, got '%s'",
                              mo_attr_str(n, "roi_num_type"));
    int64_t batch = im.rank == 2 ? im.dims[0] : MO_DYN;
    if (sc.rank == 4)
        batch = mo_dim_merge(batch, sc.dims[0]);
    if (de.rank == 4 && batch != -2)
        batch = mo_dim_merge(batch, de.dims[0]);
    if (batch == -2)
        return mo_shape_error(n, err, "im_info, deltas and scores disagree on the batch");
    struct mo_shape o0 = mo_shape_of(MO_DYN, 4), o1 = mo_shape_of(MO_DYN), o2 = mo_shape_make(1, &batch);
    enum mo_etype ft = mo_in_et(n, 3);
    enum mo_status st;
    if ((st = mo_set_out(n, 0, ft, &o0)) != MO_OK || (st = mo_set_out(n, 1, ft, &o1)) != MO_OK)
        return st;
    return mo_set_out(n, 2, it, &o2);
}

static const struct mo_attr_spec generate_proposals_attrs[] = {
    {"min_size", MO_ATTR_FLOAT, NULL},
    {"nms_threshold", MO_ATTR_FLOAT, NULL},
    {"post_nms_count", MO_ATTR_INT, NULL},
    {"pre_nms_count", MO_ATTR_INT, NULL},
    {"normalized", MO_ATTR_BOOL, "true"},
    {"nms_eta", MO_ATTR_FLOAT, "1.0"},
    {"roi_num_type", MO_ATTR_STRING, "i64"},
};
static const struct mo_op_def op_generate_proposals = {
    "GenerateProposals", "opset9", 4, 4, 3, generate_proposals_attrs,
    MO_COUNT_OF(generate_proposals_attrs), infer_generate_proposals, NULL};

/* PSROIPooling-1: [num_rois, output_dim, group_size, group_size]; in
 * average mode the input has output_dim * group_size^2 channels. */
static enum mo_status infer_psroi_pooling(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), rois = mo_in_shape(n, 1);
    const char *mode = mo_attr_str(n, "mode");
    int64_t od = mo_attr_int(n, "output_dim"), gs = mo_attr_int(n, "group_size");
    if (strcmp(mode, "average") && strcmp(mode, "bilinear"))
        return mo_shape_error(n, err, "mode must be average or bilinear, got '%s'", mode);
    if (od <= 0 || gs <= 0)
        return mo_shape_error(n, err, "output_dim and group_size must be positive");
    if (x.rank >= 0 && x.rank != 4)
        return mo_shape_error(n, err, "feature maps must be 4-D, got rank %d", x.rank);
    if (rois.rank >= 0 && (rois.rank != 2 || (rois.dims[1] >= 0 && rois.dims[1] != 5)))
        return mo_shape_error(n, err, "rois must be [num_rois, 5]");
    if (!strcmp(mode, "average") && x.rank == 4 && x.dims[1] >= 0 && x.dims[1] != od * gs * gs)
        return mo_shape_error(n, err, "%lld input channels, expected output_dim * group_size^2 = %lld",
                              (long long)x.dims[1], (long long)(od * gs * gs));
    struct mo_shape o = mo_shape_of(rois.rank == 2 ? rois.dims[0] : MO_DYN, od, gs, gs);
    return mo_out_like_in0(n, &o);
}

static const struct mo_attr_spec psroi_pooling_attrs[] = {
    {"output_dim", MO_ATTR_INT, NULL},
    {"group_size", MO_ATTR_INT, "1"},
    {"spatial_scale", MO_ATTR_FLOAT, NULL},
    {"mode", MO_ATTR_STRING, "average"},
    {"spatial_bins_x", MO_ATTR_INT, "1"},
    {"spatial_bins_y", MO_ATTR_INT, "1"},
};
static const struct mo_op_def op_psroi_pooling = {
    "PSROIPooling", "opset1", 2, 2, 1, psroi_pooling_attrs, MO_COUNT_OF(psroi_pooling_attrs),
    infer_psroi_pooling, NULL};

MO_OP_FAMILY(mo_ops_detection, &op_prior_box, &op_prior_box_clustered, &op_detection_output,
             &op_proposal, &op_roi_pooling, &op_roi_align, &op_region_yolo, &op_nms, &op_multiclass_nms,
             &op_matrix_nms, &op_generate_proposals, &op_psroi_pooling);
