/* tr_detection.c - MXNet _contrib_MultiBoxPrior / MultiBoxDetection,
 * _contrib_Proposal / MultiProposal and ROIPooling. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tr_util.h"

static enum mo_status nomem(struct mo_error *err)
{
    return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
}

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

/* MultiBoxPrior's boxes depend only on the feature map's H and W, so with
 * a static input they are computed here, in float like MXNet, and emitted
 * as a Const [1, H*W*(sizes+ratios-1), 4] of corner boxes: exact, and
 * nothing for the runtime to do. */
static enum mo_status tr_multibox_prior(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    (void)user;
    struct mo_shape in;
    if (!mo_tctx_input(t, 0).node)
        return mo_mx_bad(err, "input 0 is missing");
    if (!mo_mx_static(t, 0, &in) || in.rank != 4)
        return MO_ERR_DECLINED;
    double sizes[64], ratios[64], steps[2], offs[2];
    static const double one = 1.0, nsteps[2] = {-1.0, -1.0}, half[2] = {0.5, 0.5};
    int ns = floats_or(fw, "sizes", sizes, 64, &one, 1);
    int nr = floats_or(fw, "ratios", ratios, 64, &one, 1);
    if (ns < 1 || nr < 1 || floats_or(fw, "steps", steps, 2, nsteps, 2) != 2 ||
        floats_or(fw, "offsets", offs, 2, half, 2) != 2)
        return mo_mx_bad(err, "MultiBoxPrior: bad sizes/ratios/steps/offsets");
    bool clip = mo_node_get_bool(fw, "clip", false, NULL);
    int64_t h = in.dims[2], w = in.dims[3];
    int64_t per = ns + nr - 1;
    struct mo_shape os = mo_shape_of(1, h * w * per, 4);
    struct mo_tensor *v = mo_tensor_new(MO_ET_F32, &os, err);
    if (!v)
        return mo_mx_status(err);
    float *o = (float *)mo_tensor_mutable(&v, err);
    if (!o) {
        mo_tensor_unref(v);
        return mo_mx_status(err);
    }
    float step_y = steps[0] > 0 ? (float)steps[0] : 1.0f / (float)h;
    float step_x = steps[1] > 0 ? (float)steps[1] : 1.0f / (float)w;
    float ratio_hw = (float)h / (float)w;
    int64_t k = 0;
    for (int64_t r = 0; r < h; r++) {
        float cy = ((float)r + (float)offs[0]) * step_y;
        for (int64_t c = 0; c < w; c++) {
            float cx = ((float)c + (float)offs[1]) * step_x;
            /* every size at ratio 1, then ratios[1:] at sizes[0] */
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
                    float b = box[i];
                    if (clip)
                        b = b < 0.0f ? 0.0f : b > 1.0f ? 1.0f : b;
                    o[k++] = b;
                }
            }
        }
    }
    struct mo_node *n = mo_mx_const_tensor(t, fw, "priors", v, err);
    return mo_mx_done(t, n, err);
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
    struct mo_value cls, loc, anc;
    enum mo_status st;
    if ((st = mo_mx_input(t, fw, 0, &cls, err)) || (st = mo_mx_input(t, fw, 1, &loc, err)) ||
        (st = mo_mx_input(t, fw, 2, &anc, err)))
        return st;
    struct mo_shape cs, as;
    if (!mo_mx_static(t, 0, &cs) || !mo_mx_static(t, 2, &as))
        return MO_ERR_DECLINED;
    if (cs.rank != 3 || as.rank != 3 || as.dims[2] != 4 || as.dims[1] != cs.dims[2])
        return mo_mx_bad(err, "MultiBoxDetection: expected cls_prob (N, C, A) and anchors (1, A, 4)");
    /* cross-class suppression has no DetectionOutput equivalent */
    if (mo_node_get_bool(fw, "force_suppress", false, NULL))
        return MO_ERR_DECLINED;
    double thr = mo_node_get_float(fw, "threshold", 0.01, NULL);
    int64_t bg = mo_node_get_int(fw, "background_id", 0, NULL);
    if (thr <= 0.0 || bg != 0)
        return MO_ERR_DECLINED;
    double var[4];
    static const double dvar[4] = {0.1, 0.1, 0.2, 0.2};
    if (floats_or(fw, "variances", var, 4, dvar, 4) != 4)
        return mo_mx_bad(err, "MultiBoxDetection: variances needs 4 values");
    int64_t nb = cs.dims[0], nc = cs.dims[1], na = cs.dims[2];
    if (nc < 2)
        return mo_mx_bad(err, "MultiBoxDetection: cls_prob has %lld classes", (long long)nc);

    struct mo_value scores = cls;
    if (nc > 2) {
        int64_t b1[3] = {0, 1, 0}, e1[3] = {nb, nc, na}, one[3] = {1, 1, 1}, z[3] = {0, 0, 0};
        struct mo_node *cb = mo_mx_const_i64(t, fw, "fg/begin", b1, 3, err);
        struct mo_node *ce = cb ? mo_mx_const_i64(t, fw, "fg/end", e1, 3, err) : NULL;
        struct mo_node *cs1 = ce ? mo_mx_const_i64(t, fw, "fg/stride", one, 3, err) : NULL;
        struct mo_node *fg = cs1 ? mo_mx_op(t, "StridedSlice", "fg", err, 4, cls, mo_val(cb, 0),
                                            mo_val(ce, 0), mo_val(cs1, 0))
                                 : NULL;
        if (!fg)
            return mo_mx_status(err);
        if (mo_node_set_ints(fg, "begin_mask", z, 3) || mo_node_set_ints(fg, "end_mask", z, 3))
            return nomem(err);
        int64_t ax1 = 1;
        struct mo_node *axc = mo_mx_const_i64(t, fw, "best/axes", &ax1, 1, err);
        struct mo_node *mx = axc ? mo_mx_op(t, "ReduceMax", "best", err, 2, mo_val(fg, 0), mo_val(axc, 0)) : NULL;
        if (!mx || mo_node_set_bool(mx, "keep_dims", true))
            return mx ? nomem(err) : mo_mx_status(err);
        struct mo_node *ge = mo_mx_op(t, "GreaterEqual", "is_best", err, 2, mo_val(fg, 0), mo_val(mx, 0));
        struct mo_node *zero = ge ? mo_mx_scalar(t, fw, "zero", mo_mx_in_et(t, 0), 0.0, err) : NULL;
        struct mo_node *sel = zero ? mo_mx_op(t, "Select", "best_only", err, 3, mo_val(ge, 0), mo_val(fg, 0),
                                              mo_val(zero, 0))
                                   : NULL;
        /* the background column is ignored by DetectionOutput; keep a copy in place */
        int64_t b0[3] = {0, 0, 0}, e0[3] = {nb, 1, na};
        struct mo_node *bb = sel ? mo_mx_const_i64(t, fw, "bg/begin", b0, 3, err) : NULL;
        struct mo_node *be = bb ? mo_mx_const_i64(t, fw, "bg/end", e0, 3, err) : NULL;
        struct mo_node *bs = be ? mo_mx_const_i64(t, fw, "bg/stride", one, 3, err) : NULL;
        struct mo_node *bgs = bs ? mo_mx_op(t, "StridedSlice", "bg", err, 4, cls, mo_val(bb, 0), mo_val(be, 0),
                                            mo_val(bs, 0))
                                 : NULL;
        if (!bgs)
            return mo_mx_status(err);
        if (mo_node_set_ints(bgs, "begin_mask", z, 3) || mo_node_set_ints(bgs, "end_mask", z, 3))
            return nomem(err);
        struct mo_value parts[2] = {mo_val(bgs, 0), mo_val(sel, 0)};
        struct mo_node *cat = mo_tctx_op(t, "Concat", "scores", 2, parts, err);
        if (!cat || mo_node_set_int(cat, "axis", 1))
            return cat ? nomem(err) : mo_mx_status(err);
        scores = mo_val(cat, 0);
    }
    /* (N, C, A) -> (N, A, C) -> (N, A*C): DetectionOutput's class layout */
    int64_t perm[3] = {0, 2, 1};
    struct mo_node *tr = mo_mx_transpose(t, fw, "cls_t", scores, perm, 3, err);
    int64_t flat[2] = {nb, na * nc};
    struct mo_node *cf = tr ? mo_mx_reshape(t, fw, "cls_flat", mo_val(tr, 0), flat, 2, err) : NULL;
    int64_t lflat[2] = {nb, na * 4};
    struct mo_node *lf = cf ? mo_mx_reshape(t, fw, "loc_flat", loc, lflat, 2, err) : NULL;
    if (!lf)
        return mo_mx_status(err);
    /* priors [1, 2, A*4]: the boxes, then the variances for every box */
    struct mo_node *pr = mo_mx_priors_var(t, fw, anc, na, var, err);
    if (!pr)
        return mo_mx_status(err);

    struct mo_node *d = mo_mx_op(t, "DetectionOutput", NULL, err, 3, mo_val(lf, 0), mo_val(cf, 0),
                                 mo_val(pr, 0));
    if (!d)
        return mo_mx_status(err);
    int64_t topk = mo_node_get_int(fw, "nms_topk", -1, NULL);
    /* every anchor can yield at most one detection, as in MXNet's output */
    int64_t keep = na;
    if (mo_node_set_int(d, "num_classes", nc) || mo_node_set_int(d, "background_label_id", 0) ||
        mo_node_set_int(d, "top_k", topk > 0 ? topk : -1) ||
        mo_node_set_bool(d, "variance_encoded_in_target", false) ||
        mo_node_set_ints(d, "keep_top_k", &keep, 1) ||
        mo_node_set_str(d, "code_type", "caffe.PriorBoxParameter.CENTER_SIZE") ||
        mo_node_set_bool(d, "share_location", true) ||
        mo_node_set_float(d, "nms_threshold", mo_node_get_float(fw, "nms_threshold", 0.5, NULL)) ||
        mo_node_set_float(d, "confidence_threshold", thr) ||
        mo_node_set_bool(d, "clip_after_nms", false) ||
        mo_node_set_bool(d, "clip_before_nms", mo_node_get_bool(fw, "clip", true, NULL)) ||
        mo_node_set_bool(d, "decrease_label_id", false) || mo_node_set_bool(d, "normalized", true) ||
        mo_node_set_int(d, "input_height", 1) || mo_node_set_int(d, "input_width", 1) ||
        mo_node_set_float(d, "objectness_score", 0.0))
        return nomem(err);
    return mo_tctx_set_output(t, 0, mo_val(d, 0), err);
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
    struct mo_value cls, bbox, info;
    enum mo_status st;
    if ((st = mo_mx_input(t, fw, 0, &cls, err)) || (st = mo_mx_input(t, fw, 1, &bbox, err)) ||
        (st = mo_mx_input(t, fw, 2, &info, err)))
        return st;
    if (mo_node_get_bool(fw, "iou_loss", false, NULL) || mo_node_get_bool(fw, "output_score", false, NULL))
        return MO_ERR_DECLINED;
    struct mo_shape is;
    if (!mo_mx_static(t, 2, &is) || is.rank != 2 || is.dims[0] != 1)
        return MO_ERR_DECLINED;
    int64_t three = is.dims[1];
    if (three != 3 && three != 4)
        return mo_mx_bad(err, "Proposal: im_info should be (1, 3)");
    struct mo_node *im = mo_mx_reshape(t, fw, "image_shape", info, &three, 1, err);
    struct mo_node *p = im ? mo_mx_op(t, "Proposal", NULL, err, 3, cls, bbox, mo_val(im, 0)) : NULL;
    if (!p)
        return mo_mx_status(err);
    double scales[16], ratios[16];
    static const double dsc[4] = {4, 8, 16, 32}, drt[3] = {0.5, 1, 2};
    int nsc = floats_or(fw, "scales", scales, 16, dsc, 4);
    int nrt = floats_or(fw, "ratios", ratios, 16, drt, 3);
    int64_t stride = mo_node_get_int(fw, "feature_stride", 16, NULL);
    if (nsc < 1 || nrt < 1 || stride < 1)
        return mo_mx_bad(err, "Proposal: bad scales/ratios/feature_stride");
    if (mo_node_set_int(p, "base_size", stride) ||
        mo_node_set_int(p, "pre_nms_topn", mo_node_get_int(fw, "rpn_pre_nms_top_n", 6000, NULL)) ||
        mo_node_set_int(p, "post_nms_topn", mo_node_get_int(fw, "rpn_post_nms_top_n", 300, NULL)) ||
        mo_node_set_float(p, "nms_thresh", mo_node_get_float(fw, "threshold", 0.7, NULL)) ||
        mo_node_set_int(p, "feat_stride", stride) ||
        mo_node_set_int(p, "min_size", mo_node_get_int(fw, "rpn_min_size", 16, NULL)) ||
        mo_node_set_floats(p, "ratio", ratios, (size_t)nrt) ||
        mo_node_set_floats(p, "scale", scales, (size_t)nsc) ||
        mo_node_set_bool(p, "clip_before_nms", true) || mo_node_set_bool(p, "clip_after_nms", false) ||
        mo_node_set_bool(p, "normalize", false) || mo_node_set_float(p, "box_size_scale", 1.0) ||
        mo_node_set_float(p, "box_coordinate_scale", 1.0) || mo_node_set_str(p, "framework", ""))
        return nomem(err);
    return mo_tctx_set_output(t, 0, mo_val(p, 0), err);
}

static enum mo_status tr_roi_pooling(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                     struct mo_error *err)
{
    (void)user;
    struct mo_value x, rois;
    enum mo_status st;
    if ((st = mo_mx_input(t, fw, 0, &x, err)) || (st = mo_mx_input(t, fw, 1, &rois, err)))
        return st;
    int64_t ps[2];
    if (mo_node_get_ints(fw, "pooled_size", ps, 2) != 2 || ps[0] < 1 || ps[1] < 1)
        return mo_mx_bad(err, "ROIPooling needs pooled_size=(h, w)");
    bool ok = true;
    double scale = mo_node_get_float(fw, "spatial_scale", 0.0, &ok);
    if (!ok || scale <= 0.0)
        return mo_mx_bad(err, "ROIPooling needs spatial_scale > 0");
    struct mo_node *n = mo_mx_op(t, "ROIPooling", NULL, err, 2, x, rois);
    if (!n)
        return mo_mx_status(err);
    if (mo_node_set_int(n, "pooled_h", ps[0]) || mo_node_set_int(n, "pooled_w", ps[1]) ||
        mo_node_set_float(n, "spatial_scale", scale) || mo_node_set_str(n, "method", "max"))
        return nomem(err);
    return mo_tctx_set_output(t, 0, mo_val(n, 0), err);
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
