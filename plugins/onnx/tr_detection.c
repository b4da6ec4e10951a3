/* tr_detection.c - NonMaxSuppression, RoiAlign, MaxRoiPool. */
#include <config.h>

#include <string.h>

#include "onnx.h"

/* NonMaxSuppression-9 keeps ONNX's order (batch, class, then score) with
 * sort_result_descending off; its rows past valid_outputs are padding, cut
 * off here so that the result is [num_selected, 3] as ONNX gives it.  An
 * optional input left out before one that is given gets ONNX's default
 * (no boxes, IoU 0). */
static enum mo_status tr_nms(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value in[5];
    in[0] = mo_build_in(b, 0, "boxes");
    in[1] = mo_build_in(b, 1, "scores");
    unsigned n = 2;
    for (unsigned i = 2; i < 5 && i < fw->n_inputs; i++)
        if (mo_ox_has_in(b, i))
            n = i + 1;
    for (unsigned i = 2; i < n; i++) {
        if (mo_ox_has_in(b, i))
            in[i] = mo_build_in(b, i, NULL);
        else if (i == 2)
            in[i] = mo_build_i64_scalar(b, "max_output_boxes_per_class", 0);
        else
            in[i] = mo_build_scalar(b, i == 3 ? "iou_threshold" : "score_threshold", MO_ET_F32, 0.0);
    }
    struct mo_value nms = mo_build_opv(b, "NonMaxSuppression", "nms", n, in);
    mo_build_set_str(b, nms, "box_encoding", mo_node_get_int(fw, "center_point_box", 0, NULL) ? "center" : "corner");
    mo_build_set_bool(b, nms, "sort_result_descending", false);
    mo_build_set_str(b, nms, "output_type", "i64");
    struct mo_value start = mo_build_i64(b, "start", (int64_t[]){0}, 1);
    struct mo_value step = mo_build_i64(b, "step", (int64_t[]){1}, 1);
    struct mo_value axes = mo_build_i64(b, "axes", (int64_t[]){0}, 1);
    struct mo_value sel = mo_build_op(b, "Slice", NULL, 5, nms, start, mo_val(nms.node, 2), step, axes);
    return mo_build_done(b, sel);
}

/* RoiAlign: rois [R, 4] as x1, y1, x2, y2, batch_indices [R].  Opset 10
 * has no coordinate_transformation_mode and behaves as output_half_pixel
 * (the IR's asymmetric); 16 defaults to half_pixel, which the IR spells
 * half_pixel_for_nn.  ONNX's max mode takes the largest of the weighted
 * corner terms of each sample, not the largest interpolated sample as the
 * IR's does: it is refused rather than converted to other numbers. */
static enum mo_status tr_roi_align(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value rois = mo_build_in(b, 1, "rois");
    struct mo_value bi = mo_build_in(b, 2, "batch_indices");
    const char *ct = mo_node_get_str(fw, "coordinate_transformation_mode", user ? "output_half_pixel" : "half_pixel");
    const char *mode = mo_node_get_str(fw, "mode", "avg");
    if (strcmp(ct, "half_pixel") && strcmp(ct, "output_half_pixel"))
        return mo_build_fail(b, "coordinate_transformation_mode '%s' is not half_pixel or output_half_pixel", ct);
    if (!strcmp(mode, "max"))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "mode 'max' pools differently from the IR's ROIAlign "
                              "(ONNX takes the largest weighted corner term, the IR the largest sample)");
    if (strcmp(mode, "avg"))
        return mo_build_fail(b, "mode '%s' is not avg or max", mode);
    struct mo_value y = mo_build_op(b, "ROIAlign", NULL, 3, x, rois, bi);
    mo_build_set_int(b, y, "pooled_h", mo_node_get_int(fw, "output_height", 1, NULL));
    mo_build_set_int(b, y, "pooled_w", mo_node_get_int(fw, "output_width", 1, NULL));
    mo_build_set_int(b, y, "sampling_ratio", mo_node_get_int(fw, "sampling_ratio", 0, NULL));
    mo_build_set_float(b, y, "spatial_scale", mo_node_get_float(fw, "spatial_scale", 1.0, NULL));
    mo_build_set_str(b, y, "mode", mode);
    return mo_build_done(b, mo_build_set_str(b, y, "aligned_mode", strcmp(ct, "half_pixel") ? "asymmetric" : "half_pixel_for_nn"));
}

/* MaxRoiPool: rois [R, 5] as batch, x1, y1, x2, y2: the layout of the IR's
 * ROIPooling. */
static enum mo_status tr_max_roi_pool(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value rois = mo_build_in(b, 1, "rois");
    int64_t ps[2];
    if (mo_node_get_ints(fw, "pooled_shape", ps, 2) != 2)
        return mo_build_fail(b, "pooled_shape must have 2 values");
    struct mo_value y = mo_build_op(b, "ROIPooling", NULL, 2, x, rois);
    mo_build_set_int(b, y, "pooled_h", ps[0]);
    mo_build_set_int(b, y, "pooled_w", ps[1]);
    mo_build_set_float(b, y, "spatial_scale", mo_node_get_float(fw, "spatial_scale", 1.0, NULL));
    return mo_build_done(b, mo_build_set_str(b, y, "method", "max"));
}

MO_OX_TABLE(mo_ox_tr_detection,
    {"NonMaxSuppression", 10, tr_nms, NULL},
    {"RoiAlign", 10, tr_roi_align, "output_half_pixel"},
    {"RoiAlign", 16, tr_roi_align, NULL},
    {"MaxRoiPool", 1, tr_max_roi_pool, NULL},
)
