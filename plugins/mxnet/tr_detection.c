/* tr_detection.c - MXNet _contrib_MultiBoxPrior / MultiBoxDetection,
 * _contrib_Proposal / MultiProposal and ROIPooling. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "tr_util.h"

/* Float list attribute with a default when absent. */
static int floats_or(const struct mo_node *fw, const char *name, double *v, int max,
                     const double *dflt, int nd)
{
    int n = mo_node_attr(fw, name) ? mo_node_get_floats(fw, name, v, max) : -1;
    if (n > 0)
        return n;
    for (int i = 0; i < nd; i++)
        v[i] = dflt[i];
    return nd;
}

/* MultiBoxPrior's corner boxes for an h x w feature map into o: every
 * size at ratio 1, then ratios[1:] at sizes[0], computed in float like
 * MXNet. */
static void multibox_priors(float *o, int64_t h, int64_t w, const double *sizes, int ns, const double *ratios,
                            int nr, const double *steps, const double *offs, bool clip)
{
    float step_y = steps[0] > 0 ? (float)steps[0] : 1.0f / (float)h;
    float step_x = steps[1] > 0 ? (float)steps[1] : 1.0f / (float)w;
    float ratio_hw = (float)h / (float)w;
    int64_t k = 0, per = ns + nr - 1;
    for (int64_t r = 0; r < h; r++) {
        float cy = ((float)r + (float)offs[0]) * step_y;
        for (int64_t c = 0; c < w; c++) {
            float cx = ((float)c + (float)offs[1]) * step_x;
            for (int64_t a = 0; a < per; a++) {
                float bw, bh;
                if (a < ns) {
                    bw = (float)sizes[a] * ratio_hw / 2;
                    bh = (float)sizes[a] / 2;
                } else {
                    float q = sqrtf((float)ratios[a - ns + 1]);
                    bw = (float)sizes[0] * ratio_hw * q / 2;
                    bh = (float)sizes[0] / q / 2;
                }
                float box[4] = {cx - bw, cy - bh, cx + bw, cy + bh};
                for (int i = 0; i < 4; i++) {
                    float v = box[i];
                    if (clip)
                        v = v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
                    o[k++] = v;
                }
            }
        }
    }
}

/* MultiBoxPrior's boxes depend only on the feature map's H and W, so with
 * a static input they are computed here and emitted as a Const
 * [1, H*W*(sizes+ratios-1), 4] of corner boxes: exact, and nothing for the
 * runtime to do. */
static enum mo_status tr_multibox_prior(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in_opt(b, 0);
    struct mo_shape in;
    if (!x.node)
        return mo_build_fail(b, "input 0 is missing");
    if (!mo_value_static(x, &in) || in.rank != 4)
        return MO_ERR_DECLINED;
    double sizes[64], ratios[64], steps[2], offs[2];
    static const double one = 1.0, nsteps[2] = {-1.0, -1.0}, half[2] = {0.5, 0.5};
    int ns = floats_or(fw, "sizes", sizes, 64, &one, 1);
    int nr = floats_or(fw, "ratios", ratios, 64, &one, 1);
    if (ns < 1 || nr < 1 || floats_or(fw, "steps", steps, 2, nsteps, 2) != 2 ||
        floats_or(fw, "offsets", offs, 2, half, 2) != 2)
        return mo_build_fail(b, "MultiBoxPrior: bad sizes/ratios/steps/offsets");
    int64_t h = in.dims[2], w = in.dims[3];
    struct mo_shape os = mo_shape_of(1, h * w * (ns + nr - 1), 4);
    struct mo_tensor *v = mo_tensor_new(MO_ET_F32, &os, err);
    float *o = v ? mo_tensor_mutable(&v, err) : NULL;
    if (o) {
        multibox_priors(o, h, w, sizes, ns, ratios, nr, steps, offs, mo_node_get_bool(fw, "clip", false, NULL));
    } else {
        mo_tensor_unref(v);
        v = NULL;
    }
    return mo_build_done(b, mo_build_tensor(b, "priors", v));
}

/* The best foreground score of every anchor, the others zeroed, after the
 * background column: cls_prob (N, C, A) with C > 2. */
static struct mo_value best_class_only(struct mo_build *b, struct mo_value cls, int64_t nb, int64_t nc,
                                       int64_t na)
{
    const int64_t one[3] = {1, 1, 1};
    struct mo_value fg = mo_build_strided_slice(b, "fg", cls, (const int64_t[]){0, 1, 0},
                                                (const int64_t[]){nb, nc, na}, one, 3, NULL, NULL);
    struct mo_value axes = mo_build_i64(b, "best/axes", (const int64_t[]){1}, 1);
    struct mo_value best = mo_build_op(b, "ReduceMax", "best", 2, fg, axes);
    mo_build_set_bool(b, best, "keep_dims", true);
    struct mo_value is_best = mo_build_op(b, "GreaterEqual", "is_best", 2, fg, best);
    struct mo_value zero = mo_build_scalar(b, "zero", mo_value_et(cls), 0.0);
    struct mo_value sel = mo_build_op(b, "Select", "best_only", 3, is_best, fg, zero);
    /* the background column is ignored by DetectionOutput; keep a copy in place */
    struct mo_value bg = mo_build_strided_slice(b, "bg", cls, (const int64_t[]){0, 0, 0},
                                                (const int64_t[]){nb, 1, na}, one, 3, NULL, NULL);
    return mo_build_concat(b, "scores", 1, 2, (const struct mo_value[]){bg, sel});
}

/* MultiBoxDetection keeps, per anchor, only its best foreground class, then
 * runs NMS among equal classes; DetectionOutput scores every class of every
 * anchor.  Zeroing all but each anchor's best foreground score (under a
 * positive threshold a zero is never kept) makes the two agree.  Output
 * layout is the IR's [1, 1, N, 7] (image, label with background 0, score,
 * box), not MXNet's [N, A, 6]. */
static enum mo_status tr_multibox_detection(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                            struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value cls = mo_build_in(b, 0, NULL), loc = mo_build_in(b, 1, NULL), anc = mo_build_in(b, 2, NULL);
    struct mo_shape cs, as;
    if (!mo_value_static(cls, &cs) || !mo_value_static(anc, &as))
        return mo_mx_decline(b);
    if (cs.rank != 3 || as.rank != 3 || as.dims[2] != 4 || as.dims[1] != cs.dims[2])
        return mo_build_fail(b, "MultiBoxDetection: expected cls_prob (N, C, A) and anchors (1, A, 4)");
    /* cross-class suppression has no DetectionOutput equivalent */
    if (mo_node_get_bool(fw, "force_suppress", false, NULL))
        return mo_mx_decline(b);
    double thr = mo_node_get_float(fw, "threshold", 0.01, NULL);
    if (thr <= 0.0 || mo_node_get_int(fw, "background_id", 0, NULL) != 0)
        return mo_mx_decline(b);
    double var[4];
    static const double dvar[4] = {0.1, 0.1, 0.2, 0.2};
    if (floats_or(fw, "variances", var, 4, dvar, 4) != 4)
        return mo_build_fail(b, "MultiBoxDetection: variances needs 4 values");
    int64_t nb = cs.dims[0], nc = cs.dims[1], na = cs.dims[2];
    if (nc < 2)
        return mo_build_fail(b, "MultiBoxDetection: cls_prob has %lld classes", (long long)nc);
    struct mo_value scores = nc > 2 ? best_class_only(b, cls, nb, nc, na) : cls;
    /* (N, C, A) -> (N, A, C) -> (N, A*C): DetectionOutput's class layout */
    struct mo_value ct = mo_build_transpose(b, "cls_t", scores, (const int64_t[]){0, 2, 1}, 3);
    struct mo_value cf = mo_build_reshape(b, "cls_flat", ct, (const int64_t[]){nb, na * nc}, 2, false);
    struct mo_value lf = mo_build_reshape(b, "loc_flat", loc, (const int64_t[]){nb, na * 4}, 2, false);
    /* every anchor can yield at most one detection, as in MXNet's output */
    struct mo_mx_detection d = {nc, mo_node_get_int(fw, "nms_topk", -1, NULL), na,
                                mo_node_get_float(fw, "nms_threshold", 0.5, NULL), thr,
                                mo_node_get_bool(fw, "clip", true, NULL)};
    return mo_build_done(b, mo_mx_detection_output(b, lf, cf, anc, na, var, &d));
}

/* MXNet's Proposal builds Caffe-style anchors (base size = feature stride)
 * and scores with the second half of cls_prob's channels, as the IR's
 * Proposal with framework "" does; im_info's row becomes the image_shape.
 * Not exact: OpenVINO decodes x2/y2 as ctr + w/2 where MXNet uses
 * ctr + (w-1)/2, so unclipped right/bottom edges come out one pixel larger
 * (the legacy Model Optimizer's mapping has the same difference; the
 * fixture "proposal" records it as a known mismatch). */
static enum mo_status tr_proposal(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value cls = mo_build_in(b, 0, NULL), bbox = mo_build_in(b, 1, NULL), info = mo_build_in(b, 2, NULL);
    if (mo_node_get_bool(fw, "iou_loss", false, NULL) || mo_node_get_bool(fw, "output_score", false, NULL))
        return mo_mx_decline(b);
    struct mo_shape is;
    if (!mo_value_static(info, &is) || is.rank != 2 || is.dims[0] != 1)
        return mo_mx_decline(b);
    int64_t three = is.dims[1];
    if (three != 3 && three != 4)
        return mo_build_fail(b, "Proposal: im_info should be (1, 3)");
    struct mo_value im = mo_build_reshape(b, "image_shape", info, &three, 1, false);
    struct mo_value p = mo_build_op(b, "Proposal", NULL, 3, cls, bbox, im);
    double scales[16], ratios[16];
    static const double dsc[4] = {4, 8, 16, 32}, drt[3] = {0.5, 1, 2};
    int nsc = floats_or(fw, "scales", scales, 16, dsc, 4);
    int nrt = floats_or(fw, "ratios", ratios, 16, drt, 3);
    int64_t stride = mo_node_get_int(fw, "feature_stride", 16, NULL);
    if (nsc < 1 || nrt < 1 || stride < 1)
        return mo_build_fail(b, "Proposal: bad scales/ratios/feature_stride");
    mo_build_set_int(b, p, "base_size", stride);
    mo_build_set_int(b, p, "pre_nms_topn", mo_node_get_int(fw, "rpn_pre_nms_top_n", 6000, NULL));
    mo_build_set_int(b, p, "post_nms_topn", mo_node_get_int(fw, "rpn_post_nms_top_n", 300, NULL));
    mo_build_set_float(b, p, "nms_thresh", mo_node_get_float(fw, "threshold", 0.7, NULL));
    mo_build_set_int(b, p, "feat_stride", stride);
    mo_build_set_int(b, p, "min_size", mo_node_get_int(fw, "rpn_min_size", 16, NULL));
    mo_build_set_floats(b, p, "ratio", ratios, (size_t)nrt);
    mo_build_set_floats(b, p, "scale", scales, (size_t)nsc);
    mo_build_set_bool(b, p, "clip_before_nms", true);
    mo_build_set_bool(b, p, "clip_after_nms", false);
    mo_build_set_bool(b, p, "normalize", false);
    mo_build_set_float(b, p, "box_size_scale", 1.0);
    mo_build_set_float(b, p, "box_coordinate_scale", 1.0);
    return mo_build_done(b, mo_build_set_str(b, p, "framework", ""));
}

static enum mo_status tr_roi_pooling(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                     struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL), rois = mo_build_in(b, 1, NULL);
    int64_t ps[2];
    if (mo_node_get_ints(fw, "pooled_size", ps, 2) != 2 || ps[0] < 1 || ps[1] < 1)
        return mo_build_fail(b, "ROIPooling needs pooled_size=(h, w)");
    bool ok = true;
    double scale = mo_node_get_float(fw, "spatial_scale", 0.0, &ok);
    if (!ok || scale <= 0.0)
        return mo_build_fail(b, "ROIPooling needs spatial_scale > 0");
    struct mo_value n = mo_build_op(b, "ROIPooling", NULL, 2, x, rois);
    mo_build_set_int(b, n, "pooled_h", ps[0]);
    mo_build_set_int(b, n, "pooled_w", ps[1]);
    mo_build_set_float(b, n, "spatial_scale", scale);
    return mo_build_done(b, mo_build_set_str(b, n, "method", "max"));
}

MO_MX_TABLE(mo_mx_tr_detection,
            {"_contrib_MultiBoxPrior", tr_multibox_prior},
            {"MultiBoxPrior", tr_multibox_prior},
            {"_contrib_MultiBoxDetection", tr_multibox_detection},
            {"MultiBoxDetection", tr_multibox_detection},
            {"_contrib_Proposal", tr_proposal},
            {"_contrib_MultiProposal", tr_proposal},
            {"Proposal", tr_proposal},
            {"MultiProposal", tr_proposal},
            {"ROIPooling", tr_roi_pooling});
