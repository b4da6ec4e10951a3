/* tr_detection.c - Caffe SSD's PriorBox and DetectionOutput.
 *
 * The IR's PriorBox-8 and DetectionOutput-8 were shaped after SSD's Caffe
 * layers: the settings carry over, the layouts are the same ([N, P*4]
 * locations, [N, P*C] confidences, [1, 2, P*4] priors); only DetectionOutput's
 * result differs in length: Caffe's holds the detections kept, the IR's
 * N * keep_top_k rows, the ones past the end marked with image -1. */
#include <config.h>

#include <float.h>
#include <stdio.h>
#include <string.h>

#include "caffe.h"

/* SSD's PriorBox: the IR's PriorBox-8 was shaped after it (ratio 1 first,
 * then flipped ratios; min, max, then ratios per min size).  Bottoms: the
 * feature map, the image (or img_size / img_h, img_w); out [1, 2, L]. */
static enum mo_status tr_prior_box(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "feature map");
    struct mo_shape xs, ims;
    if (!mo_value_static(x, &xs))
        return mo_build_error(b, MO_ERR_SHAPE, 0, "needs a static feature map shape; give --input_shape");
    double mn[64], mx[64], ar[64], var[8];
    int nmn = mo_node_get_floats(fw, "min_size", mn, 64), nmx = mo_node_get_floats(fw, "max_size", mx, 64);
    int nar = mo_node_get_floats(fw, "aspect_ratio", ar, 64), nvar = mo_node_get_floats(fw, "variance", var, 8);
    if (nmn <= 0)
        return mo_build_fail(b, "needs min_size");
    if (nmx > 0 && nmx != nmn)
        return mo_build_fail(b, "has %d max_size for %d min_size", nmx, nmn);
    if (nvar > 1 && nvar != 4)
        return mo_build_fail(b, "needs 1 or 4 variance values, has %d", nvar);
    int64_t ih = mo_node_get_int(fw, "img_h", 0, NULL), iw = mo_node_get_int(fw, "img_w", 0, NULL);
    int64_t isz = mo_node_get_int(fw, "img_size", 0, NULL);
    if (isz > 0)
        ih = iw = isz;
    if (ih <= 0 || iw <= 0) {
        struct mo_value img = mo_build_in(b, 1, "image");
        if (!mo_build_ok(b))
            return mo_build_status(b);
        if (!mo_value_static(img, &ims))
            return mo_build_error(b, MO_ERR_SHAPE, 0, "needs a static image shape; give --input_shape");
        if (ims.rank != 4)
            return mo_build_fail(b, "the image bottom must be 4-D");
        ih = ims.dims[2];
        iw = ims.dims[3];
    }
    double step = mo_node_get_float(fw, "step", 0, NULL);
    double sh = mo_node_get_float(fw, "step_h", step, NULL), sw = mo_node_get_float(fw, "step_w", step, NULL);
    if (sh != sw)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "step_h %g and step_w %g differ; the IR's PriorBox has one step",
                              sh, sw);
    if (xs.rank != 4)
        return mo_build_fail(b, "the feature map must be 4-D");
    struct mo_value osz = mo_build_i64(b, "output_size", (int64_t[]){xs.dims[2], xs.dims[3]}, 2);
    struct mo_value isv = mo_build_i64(b, "image_size", (int64_t[]){ih, iw}, 2);
    struct mo_value pb = mo_build_op(b, "PriorBox", "priors", 2, osz, isv);
    static const double v01 = 0.1;
    mo_build_set_floats(b, pb, "min_size", mn, (size_t)nmn);
    mo_build_set_floats(b, pb, "max_size", mx, nmx > 0 ? (size_t)nmx : 0);
    mo_build_set_floats(b, pb, "aspect_ratio", ar, nar > 0 ? (size_t)nar : 0);
    mo_build_set_bool(b, pb, "flip", mo_node_get_bool(fw, "flip", true, NULL));
    mo_build_set_bool(b, pb, "clip", mo_node_get_bool(fw, "clip", false, NULL));
    mo_build_set_float(b, pb, "step", sh);
    mo_build_set_float(b, pb, "offset", mo_node_get_float(fw, "offset", 0.5, NULL));
    mo_build_set_floats(b, pb, "variance", nvar > 0 ? var : &v01, nvar > 0 ? (size_t)nvar : 1);
    mo_build_set_bool(b, pb, "scale_all_sizes", true);
    mo_build_set_bool(b, pb, "min_max_aspect_ratios_order", true);
    return mo_build_done(b, mo_build_unsqueeze(b, NULL, pb, (int64_t[]){0}, 1));
}

static enum mo_status tr_detection_output(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value loc = mo_build_in(b, 0, "locations");
    struct mo_value conf = mo_build_in(b, 1, "confidences");
    struct mo_value pri = mo_build_in(b, 2, "priors");
    if (mo_cf_n_bottoms(fw) > 3)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "has %u bottoms; the ARM-style 5-input form is not supported",
                              mo_cf_n_bottoms(fw));
    const char *code = mo_node_get_str(fw, "code_type", "CORNER");
    if (strcmp(code, "CORNER") && strcmp(code, "CENTER_SIZE") && strcmp(code, "CORNER_SIZE"))
        return mo_build_fail(b, "code_type %s is unknown", code);
    char ct[64];
    snprintf(ct, sizeof ct, "caffe.PriorBoxParameter.%s", code);
    int64_t keep = mo_node_get_int(fw, "keep_top_k", -1, NULL);
    struct mo_value y = mo_build_op(b, "DetectionOutput", NULL, 3, loc, conf, pri);
    mo_build_set_int(b, y, "background_label_id", mo_node_get_int(fw, "background_label_id", 0, NULL));
    mo_build_set_int(b, y, "top_k", mo_node_get_int(fw, "nms_param.top_k", -1, NULL));
    mo_build_set_ints(b, y, "keep_top_k", &keep, 1);
    mo_build_set_str(b, y, "code_type", ct);
    mo_build_set_bool(b, y, "share_location", mo_node_get_bool(fw, "share_location", true, NULL));
    mo_build_set_float(b, y, "nms_threshold", mo_node_get_float(fw, "nms_param.nms_threshold", 0.3, NULL));
    /* Caffe keeps every score when no threshold is set */
    mo_build_set_float(b, y, "confidence_threshold", mo_node_get_float(fw, "confidence_threshold", -FLT_MAX, NULL));
    mo_build_set_bool(b, y, "variance_encoded_in_target",
                      mo_node_get_bool(fw, "variance_encoded_in_target", false, NULL));
    mo_build_set_bool(b, y, "normalized", true);
    return mo_build_done(b, y);
}

MO_CF_TABLE(mo_cf_tr_detection,
            {"PriorBox", tr_prior_box, NULL},
            {"DetectionOutput", tr_detection_output, NULL});
