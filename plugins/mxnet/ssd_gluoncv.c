/* ssd_gluoncv.c - --enable_ssd_gluoncv: GluonCV SSD post-processing (box decoding, per-class
 * score decoding, _contrib_box_nms) replaced with one DetectionOutput.
 *
 * GluonCV's SSD ends in ops that the runtime has no single equivalent for
 * and that are slow when translated one by one (a [B, A*C, 6] candidate
 * table, then box_nms over it).  The tail is recognised from its fixed
 * points rather than op by op, so that small spelling differences between
 * GluonCV versions (split vs SliceChannel, where the threshold sits) do not
 * matter:
 *   - the _contrib_box_nms node (and the slice_axis that keeps its first
 *     post_nms rows, when present);
 *   - among its ancestors, the softmax that yields the class scores
 *     [B, A, C+1] (background first), and the box decoder: either GluonCV
 *     0.10's fused _contrib_box_decode (box predictions, anchors, std0..3)
 *     or, as older GluonCV spells it, two 4-way splits on the last axis:
 *     the box predictions, whose parts are scaled by the variances
 *     (_mul_scalar), and the anchors (center form: cx, cy, w, h).
 * The replacement is a framework node of type MO_MX_SSD_GLUONCV_OP fed by
 * (scores, box predictions, anchors); every graph output computed from
 * box_nms is redirected to it.  Its output is DetectionOutput's
 * [1, 1, N, 7] (image, label, score, x1, y1, x2, y2) with label = GluonCV
 * class id + 1, boxes in the anchors' units (pixels for GluonCV). */
#include <config.h>

#include <stdbool.h>
#include <string.h>

#include "tr_util.h"

#define MO_MX_SSD_GLUONCV_OP "_mo_mx_ssd_gluoncv_detection"

static bool is_type(const struct mo_node *n, const char *a, const char *b)
{
    return !strcmp(n->type, a) || (b && !strcmp(n->type, b));
}

static bool is_box_nms(const struct mo_node *n)
{
    return is_type(n, "_contrib_box_nms", "box_nms") || is_type(n, "_contrib_box_non_maximum_suppression", NULL);
}

static bool is_split(const struct mo_node *n)
{
    return is_type(n, "SliceChannel", "split");
}

/* The first live consumer of (n, port) of type a/b, or NULL. */
static struct mo_node *consumer(struct mo_graph *g, const struct mo_node *n, unsigned port, const char *a,
                                const char *b)
{
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *x = mo_graph_node(g, i);
        if (x->dead || !is_type(x, a, b))
            continue;
        for (unsigned k = 0; k < x->n_inputs; k++)
            if (x->inputs[k].node == n && x->inputs[k].port == port)
                return x;
    }
    return NULL;
}

struct tail {
    struct mo_node *softmax;
    struct mo_node *decode;  /* _contrib_box_decode, when fused */
    struct mo_node *splits[2];
    unsigned n_splits;
    double threshold;  /* the score decoder's "> thresh", 0 if not found */
};

/* Walk the ancestors of n, stopping at the softmax and the splits (what
 * lies above them is the network, not the post-processing). */
static enum mo_status walk(struct mo_node *n, bool *seen, struct tail *tl, struct mo_error *err)
{
    if (!n || seen[n->id])
        return MO_OK;
    seen[n->id] = true;
    if (is_type(n, "softmax", "SoftmaxActivation")) {
        if (tl->softmax && tl->softmax != n)
            return mo_error_set(err, MO_ERR_FORMAT, 0, "two softmax nodes ('%s', '%s') feed '%s'",
                                tl->softmax->name, n->name, "box_nms");
        tl->softmax = n;
        return MO_OK;
    }
    if (is_type(n, "_contrib_box_decode", "box_decode")) {
        if (tl->decode && tl->decode != n)
            return mo_error_set(err, MO_ERR_FORMAT, 0,
                                "two box decoders ('%s', '%s') feed box_nms", tl->decode->name, n->name);
        tl->decode = n;
        return MO_OK;
    }
    if (is_split(n)) {
        if (tl->n_splits == 2)
            return mo_error_set(err, MO_ERR_FORMAT, 0,
                                "more than two 4-way splits feed box_nms (at '%s')", n->name);
        tl->splits[tl->n_splits++] = n;
        return MO_OK;
    }
    if (is_type(n, "_greater_scalar", NULL))
        tl->threshold = mo_node_get_float(n, "scalar", 0.0, NULL);
    for (unsigned i = 0; i < n->n_inputs; i++) {
        enum mo_status st = walk(n->inputs[i].node, seen, tl, err);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

/* The variance that scales part `port` of the box-prediction split: the
 * scalar of the _mul_scalar consuming it, or 0 when there is none (then
 * the split is the anchors'). */
static double variance_of(struct mo_graph *g, const struct mo_node *split, unsigned port)
{
    struct mo_node *m = consumer(g, split, port, "_mul_scalar", NULL);
    return m ? mo_node_get_float(m, "scalar", 0.0, NULL) : 0.0;
}

static bool in_tail(const struct mo_node *n, const struct mo_node *nms, const struct mo_node *keep)
{
    if (n == nms || (keep && n == keep))
        return true;
    for (unsigned k = 0; k < n->n_inputs; k++)
        if (n->inputs[k].node == nms || (keep && n->inputs[k].node == keep))
            return true;
    return false;
}

static enum mo_status replace_one(struct mo_graph *g, struct mo_node *nms, struct mo_error *err)
{
    unsigned nn = mo_graph_n_nodes(g);
    bool *seen = mo_graph_alloc(g, nn * sizeof *seen);
    if (!seen)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    memset(seen, 0, nn * sizeof *seen);
    struct tail tl = {NULL, NULL, {NULL, NULL}, 0, 0.0};
    enum mo_status st = walk(nms->n_inputs ? nms->inputs[0].node : NULL, seen, &tl, err);
    if (st != MO_OK)
        return st;
    struct mo_value box_in, anc_in;
    double var[4];
    bool center = true;
    if (tl.softmax && tl.decode) {
        static const char *const stds[4] = {"std0", "std1", "std2", "std3"};
        for (unsigned p = 0; p < 4; p++)
            var[p] = mo_node_get_float(tl.decode, stds[p], 1.0, NULL);
        if (mo_node_get_float(tl.decode, "clip", -1.0, NULL) > 0.0)
            return mo_error_set(err, MO_ERR_FORMAT, 0,
                                "'%s': clip > 0 bounds exp() of the box sizes; DetectionOutput cannot",
                                tl.decode->name);
        const char *fmt = mo_node_get_str(tl.decode, "format", "center");
        if (strcmp(fmt, "center") != 0 && strcmp(fmt, "corner") != 0)
            return mo_error_set(err, MO_ERR_FORMAT, 0,
                                "'%s': unknown anchor format '%s'", tl.decode->name, fmt);
        center = !strcmp(fmt, "center");
        if (tl.decode->n_inputs < 2 || !tl.decode->inputs[0].node || !tl.decode->inputs[1].node)
            return mo_error_set(err, MO_ERR_FORMAT, 0,
                                "'%s' needs box predictions and anchors", tl.decode->name);
        box_in = tl.decode->inputs[0];
        anc_in = tl.decode->inputs[1];
    } else {
        if (!tl.softmax || tl.n_splits != 2)
            return mo_error_set(err, MO_ERR_FORMAT, 0,
                                "'%s' is not a GluonCV SSD tail: expected a softmax and a box decoder "
                                "(_contrib_box_decode, or two 4-way splits of box predictions and anchors) "
                                "above it, found %s and %u split(s)",
                                nms->name, tl.softmax ? "a softmax" : "no softmax", tl.n_splits);
        struct mo_node *box = NULL, *anc = NULL;
        for (unsigned s = 0; s < 2; s++) {
            if (variance_of(g, tl.splits[s], 0) > 0.0)
                box = tl.splits[s];
            else
                anc = tl.splits[s];
        }
        if (!box || !anc)
            return mo_error_set(err, MO_ERR_FORMAT, 0,
                                "'%s': cannot tell the box predictions from the anchors (no variance "
                                "_mul_scalar after either split)", nms->name);
        for (unsigned p = 0; p < 4; p++) {
            var[p] = variance_of(g, box, p);
            if (var[p] <= 0.0)
                return mo_error_set(err, MO_ERR_FORMAT, 0,
                                    "'%s': part %u of the box predictions is not scaled by a variance",
                                    box->name, p);
        }
        box_in = box->inputs[0];
        anc_in = anc->inputs[0];
    }
    if (mo_node_get_bool(nms, "force_suppress", false, NULL))
        return mo_error_set(err, MO_ERR_FORMAT, 0,
                            "'%s': force_suppress=True (NMS across classes) has no DetectionOutput "
                            "equivalent", nms->name);
    if (mo_node_get_int(nms, "id_index", -1, NULL) != 0 || mo_node_get_int(nms, "score_index", 0, NULL) != 1 ||
        mo_node_get_int(nms, "coord_start", 2, NULL) != 2 ||
        strcmp(mo_node_get_str(nms, "in_format", "corner"), "corner") != 0)
        return mo_error_set(err, MO_ERR_FORMAT, 0,
                            "'%s': expected GluonCV's layout (id_index=0, score_index=1, "
                            "coord_start=2, corner boxes)", nms->name);
    double thr = mo_node_get_float(nms, "valid_thresh", 0.0, NULL);
    if (tl.threshold > thr)
        thr = tl.threshold;
    int64_t topk = mo_node_get_int(nms, "topk", -1, NULL);
    /* GluonCV keeps the first post_nms rows of box_nms's sorted output */
    int64_t keep = -1;
    struct mo_node *kept = consumer(g, nms, 0, "slice_axis", NULL);
    if (kept && mo_node_get_int(kept, "axis", 0, NULL) == 1 && mo_node_get_int(kept, "begin", 1, NULL) == 0 &&
        !mo_mx_attr_none(kept, "end"))
        keep = mo_node_get_int(kept, "end", -1, NULL);
    else
        kept = NULL;

    struct mo_node *d = mo_graph_add_node(g, MO_MX_SSD_GLUONCV_OP, nms->name, 3, 1);
    if (!d)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    d->origin = nms->name;
    mo_node_set_input(d, 0, mo_val(tl.softmax, 0));
    mo_node_set_input(d, 1, box_in);
    mo_node_set_input(d, 2, anc_in);
    if (mo_node_set_floats(d, "variances", var, 4) || mo_node_set_bool(d, "center_anchors", center) ||
        mo_node_set_float(d, "nms_threshold", mo_node_get_float(nms, "overlap_thresh", 0.5, NULL)) ||
        mo_node_set_float(d, "confidence_threshold", thr) || mo_node_set_int(d, "top_k", topk) ||
        mo_node_set_int(d, "keep_top_k", keep))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    /* a graph output may be box_nms itself, the post_nms slice, or one of
     * the ids/scores/boxes slices after it: all become the detections */
    unsigned moved = 0;
    for (unsigned i = 0; i < mo_graph_n_outputs(g); i++) {
        struct mo_value o = mo_graph_output(g, i);
        if (o.node && o.node != d && in_tail(o.node, nms, kept))
            moved += mo_graph_replace_uses(g, o, mo_val(d, 0));
    }
    if (!moved)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s': no graph output is computed from it", nms->name);
    return MO_OK;
}

enum mo_status mo_mx_replace_ssd_gluoncv(struct mo_context *ctx, struct mo_graph *fw,
                                         const struct mo_options *opts, void *user, struct mo_error *err)
{
    (void)ctx, (void)opts, (void)user;
    unsigned found = 0;
    unsigned n = mo_graph_n_nodes(fw);  /* nodes added below are not box_nms */
    for (unsigned i = 0; i < n; i++) {
        struct mo_node *x = mo_graph_node(fw, i);
        if (x->dead || !is_box_nms(x))
            continue;
        enum mo_status st = replace_one(fw, x, err);
        if (st != MO_OK)
            return st;
        found++;
    }
    if (!found)
        return mo_error_set(err, MO_ERR_FORMAT, 0,
                            "--enable_ssd_gluoncv: the model has no _contrib_box_nms node");
    return MO_OK;
}

/* (scores [B, A, C+1], box predictions [B, A, 4], center anchors [1, A, 4])
 * -> DetectionOutput.  GluonCV decodes x = p0*v0*aw + ax, w/2 = exp(p2*v2)*aw/2
 * (same for y, h), exactly DetectionOutput's CENTER_SIZE code with the
 * variances beside the priors; the anchors only need turning into corners,
 * a fixed linear map done as one MatMul.  Decoding and IoU are the same in
 * any unit, so pixel anchors work with normalized=true and no clipping. */
static enum mo_status tr_ssd_gluoncv(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                     struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value cls = mo_build_in(b, 0, NULL), loc = mo_build_in(b, 1, NULL), anc = mo_build_in(b, 2, NULL);
    struct mo_shape cs, as;
    if (!mo_value_static(cls, &cs) || !mo_value_static(anc, &as))
        return mo_build_fail(b, "GluonCV SSD: the class scores and anchors need static shapes "
                             "(give --input_shape)");
    if (cs.rank != 3 || as.rank != 3 || as.dims[2] != 4 || as.dims[1] != cs.dims[1] || cs.dims[2] < 2)
        return mo_build_fail(b, "GluonCV SSD: expected scores (B, A, C+1) and anchors (1, A, 4)");
    int64_t nb = cs.dims[0], na = cs.dims[1], nc = cs.dims[2];
    double var[4];
    if (mo_node_get_floats(fw, "variances", var, 4) != 4)
        return mo_build_fail(b, "GluonCV SSD: variances missing");
    struct mo_value cf = mo_build_reshape(b, "cls_flat", cls, (const int64_t[]){nb, na * nc}, 2, false);
    struct mo_value lf = mo_build_reshape(b, "loc_flat", loc, (const int64_t[]){nb, na * 4}, 2, false);
    struct mo_value corners = anc;
    if (mo_node_get_bool(fw, "center_anchors", true, NULL)) {
        /* rows: cx, cy, w, h; columns: x1, y1, x2, y2 */
        static const double to_corner[16] = {1, 0, 1, 0, 0, 1, 0, 1, -0.5, 0, 0.5, 0, 0, -0.5, 0, 0.5};
        struct mo_shape ms = mo_shape_of(4, 4);
        struct mo_value m = mo_build_const(b, "to_corner", MO_ET_F32, &ms, to_corner);
        corners = mo_build_op(b, "MatMul", "anchors_corner", 2, anc, m);
        mo_build_set_bool(b, corners, "transpose_a", false);
        mo_build_set_bool(b, corners, "transpose_b", false);
    }
    int64_t keep = mo_node_get_int(fw, "keep_top_k", -1, NULL);
    struct mo_mx_detection d = {nc, mo_node_get_int(fw, "top_k", -1, NULL), keep > 0 ? keep : na * (nc - 1),
                                mo_node_get_float(fw, "nms_threshold", 0.45, NULL),
                                mo_node_get_float(fw, "confidence_threshold", 0.01, NULL), false};
    return mo_build_done(b, mo_mx_detection_output(b, lf, cf, corners, na, var, &d));
}

MO_MX_TABLE(mo_mx_tr_ssd_gluoncv, {MO_MX_SSD_GLUONCV_OP, tr_ssd_gluoncv});
