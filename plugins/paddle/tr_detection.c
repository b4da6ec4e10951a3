/* tr_detection.c - detection heads: prior_box, box_coder, multiclass_nms3,
 * yolo_box, and assign_value (constants such as yolo_box's image size). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paddle.h"

/* Nodes are inferred as soon as they are complete: later steps (the
 * splits) need their input shapes, and the core's own pass only runs
 * after the translator. */
static struct mo_value op1(struct mo_build *b, const char *type, const char *sfx, struct mo_value a)
{
    return mo_build_infer(b, mo_build_op(b, type, sfx, 1, a));
}

static struct mo_value op2(struct mo_build *b, const char *type, const char *sfx, struct mo_value a,
                           struct mo_value c)
{
    return mo_build_infer(b, mo_build_op(b, type, sfx, 2, a, c));
}

static struct mo_value f32(struct mo_build *b, const char *sfx, double v)
{
    return mo_build_scalar(b, sfx, MO_ET_F32, v);
}

/* An f32 constant of the given shape (values copied). */
static struct mo_value f32_tensor(struct mo_build *b, const char *sfx, const float *v, int rank,
                                  const int64_t *dims, struct mo_error *err)
{
    if (!mo_build_ok(b))
        return MO_NO_VALUE;
    struct mo_shape s = mo_shape_make(rank, dims);
    size_t bytes = (size_t)mo_shape_numel(&s) * sizeof *v;
    return mo_build_tensor(b, sfx, mo_tensor_from_data(MO_ET_F32, &s, v, bytes, err));
}

/* Split v along its last axis into n pieces of sizes len[] (outputs in
 * out[]): Consts "<sfx>_axis" and "<sfx>_len", VariadicSplit "<sfx>". */
static void split_last(struct mo_build *b, const char *sfx, struct mo_value v, const int64_t *len,
                       unsigned n, struct mo_value *out)
{
    char name[48];
    snprintf(name, sizeof name, "%s_axis", sfx);
    struct mo_value ax = mo_build_i64_scalar(b, name, -1);
    snprintf(name, sizeof name, "%s_len", sfx);
    struct mo_value ln = mo_build_i64(b, name, len, n);
    /* the outputs exist once the node is inferred */
    struct mo_value s = mo_build_infer(b, mo_build_op(b, "VariadicSplit", sfx, 3, v, ax, ln));
    for (unsigned i = 0; i < n; i++)
        out[i] = mo_val(s.node, i);
}

static struct mo_value concat_last(struct mo_build *b, const char *sfx, const struct mo_value *v,
                                   unsigned n)
{
    struct mo_value c = mo_build_opv(b, "Concat", sfx, n, v);
    return mo_build_infer(b, mo_build_set_int(b, c, "axis", -1));
}

/* --- prior_box ------------------------------------------------------- */

/* Paddle's aspect ratios: 1, then each given one not seen yet (and its
 * inverse with flip).  Returns the count. */
static int expand_ratios(const double *ar, int nar, bool flip, double *out, int max)
{
    int n = 0;
    out[n++] = 1.0;
    for (int i = 0; i < nar && n + 2 <= max; i++) {
        bool seen = false;
        for (int j = 0; j < n; j++)
            seen |= fabs(out[j] - ar[i]) < 1e-6;
        if (seen)
            continue;
        out[n++] = ar[i];
        if (flip)
            out[n++] = 1.0 / ar[i];
    }
    return n;
}

/* The priors of one point as corner offsets from its centre, in pixels
 * ({-w/2, -h/2, w/2, h/2} per prior), in Paddle's order: per min size
 * either (square, max square, other ratios) with min_max_aspect_ratios_order
 * or (every ratio, max square).  Returns the count. */
static int prior_offsets(const double *mn, int nmn, const double *mx, int nmx, const double *r,
                         int nr, bool mm_order, double *o)
{
    int p = 0;
#define PUT(w, h) (o[4 * p] = -(w) / 2, o[4 * p + 1] = -(h) / 2, o[4 * p + 2] = (w) / 2, \
                   o[4 * p + 3] = (h) / 2, p++)
    for (int i = 0; i < nmn; i++) {
        double s = mn[i], big = nmx > 0 ? sqrt(s * mx[i]) : 0;
        if (mm_order) {
            PUT(s, s);
            if (nmx > 0)
                PUT(big, big);
            for (int k = 0; k < nr; k++)
                if (fabs(r[k] - 1.0) >= 1e-6)
                    PUT(s * sqrt(r[k]), s / sqrt(r[k]));
        } else {
            for (int k = 0; k < nr; k++)
                PUT(s * sqrt(r[k]), s / sqrt(r[k]));
            if (nmx > 0)
                PUT(big, big);
        }
    }
#undef PUT
    return p;
}

/* Dim d of v's shape as a 1-element f32 value. */
static struct mo_value dim_f32(struct mo_build *b, const char *sfx, struct mo_value v, int64_t d)
{
    char name[48];
    snprintf(name, sizeof name, "%s_i", sfx);
    struct mo_value i = mo_build_dims(b, name, v, &d, 1);
    return mo_build_infer(b, mo_build_convert(b, sfx, i, MO_ET_F32));
}

/* Centres along one axis: (range(n) + offset) * step, reshaped to rank 4
 * with the values on axis `axis` (0: rows, 1: columns). */
static struct mo_value centres(struct mo_build *b, const char *sfx, struct mo_value n_f32,
                               struct mo_value step, double offset, int axis)
{
    char name[48];
    snprintf(name, sizeof name, "%s_zero", sfx);
    struct mo_value zero = f32(b, name, 0.0);
    snprintf(name, sizeof name, "%s_one", sfx);
    struct mo_value one = f32(b, name, 1.0);
    snprintf(name, sizeof name, "%s_n", sfx);
    struct mo_value n = mo_build_squeeze(b, name, n_f32, (const int64_t[]){0}, 1);
    snprintf(name, sizeof name, "%s_range", sfx);
    struct mo_value rg = mo_build_op(b, "Range", name, 3, zero, mo_build_infer(b, n), one);
    mo_build_set_str(b, rg, "output_type", "f32");
    snprintf(name, sizeof name, "%s_offset", sfx);
    struct mo_value off = f32(b, name, offset);
    snprintf(name, sizeof name, "%s_shift", sfx);
    struct mo_value c = op2(b, "Add", name, mo_build_infer(b, rg), off);
    snprintf(name, sizeof name, "%s_scaled", sfx);
    c = op2(b, "Multiply", name, c, step);
    snprintf(name, sizeof name, "%s_4d", sfx);
    const int64_t rows[4] = {-1, 1, 1, 1}, cols[4] = {1, -1, 1, 1};
    return mo_build_infer(b, mo_build_reshape(b, name, c, axis ? cols : rows, 4, false));
}

/* prior_box computed with elementwise ops: boxes [H, W, P, 4] =
 * (centre + offsets) / image size.  For what PriorBox-8 cannot take: a
 * feature map or image of dynamic size (the CPU plugin's PriorBox-8 has no
 * shape inference for computed sizes) or step_w != step_h. */
static void prior_box_ops(struct mo_build *b, struct mo_value x, struct mo_value img,
                          const double *o, int np, double sw, double sh, double offset, bool clip,
                          const double *var, struct mo_error *err)
{
    struct mo_value fh = dim_f32(b, "feat_h", x, 2), fw = dim_f32(b, "feat_w", x, 3);
    struct mo_value ih = dim_f32(b, "img_h", img, 2), iw = dim_f32(b, "img_w", img, 3);
    struct mo_value stw = sw > 0 ? f32(b, "step_w", sw) : op2(b, "Divide", "step_w", iw, fw);
    struct mo_value sth = sh > 0 ? f32(b, "step_h", sh) : op2(b, "Divide", "step_h", ih, fh);
    struct mo_value cy = centres(b, "cy", fh, sth, offset, 0);
    struct mo_value cx = centres(b, "cx", fw, stw, offset, 1);
    /* [cx, cy, cx, cy] on the last axis: [H, W, 1, 4] */
    static const float mx[4] = {1, 0, 1, 0}, my[4] = {0, 1, 0, 1};
    const int64_t d4[1] = {4};
    cx = op2(b, "Multiply", "cx4", cx, f32_tensor(b, "cx_mask", mx, 1, d4, err));
    cy = op2(b, "Multiply", "cy4", cy, f32_tensor(b, "cy_mask", my, 1, d4, err));
    struct mo_value c = op2(b, "Add", "centre", cy, cx);
    float of[4 * 256];
    for (int i = 0; i < 4 * np; i++)
        of[i] = (float)o[i];
    const int64_t od[2] = {np, 4};
    struct mo_value corner = op2(b, "Add", "corners", c, f32_tensor(b, "offsets", of, 2, od, err));
    struct mo_value wh[4] = {iw, ih, iw, ih};
    struct mo_value size = mo_build_infer(b, mo_build_concat(b, "img_size", 0, 4, wh));
    struct mo_value box = op2(b, "Divide", clip ? "boxes_raw" : NULL, corner, size);
    if (clip) {
        box = mo_build_op(b, "Clamp", NULL, 1, box);
        mo_build_set_float(b, box, "min", 0.0);
        mo_build_set_float(b, mo_build_infer(b, box), "max", 1.0);
    }
    float vf[4] = {(float)var[0], (float)var[1], (float)var[2], (float)var[3]};
    struct mo_value shape = mo_build_shape_of(b, "boxes_shape", box, MO_ET_I64);
    struct mo_value v = mo_build_op(b, "Broadcast", "variances", 2,
                                    f32_tensor(b, "variance", vf, 1, d4, err), mo_build_infer(b, shape));
    mo_pd_set_out(b, "Boxes", box);
    mo_pd_set_out(b, "Variances", mo_build_infer(b, v));
}

/* PriorBox-8 gives [2, H*W*P*4] (boxes, then variances); Paddle gives two
 * [H, W, P, 4] tensors.  The op was shaped after Paddle's (min/max order
 * switch, the {1} + flipped ratio expansion), so only the layout differs. */
static enum mo_status tr_prior_box(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "Input", 0);
    struct mo_value img = mo_pd_in(b, "Image", 0);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    double mn[64], mx[64], ar[64], var[8];
    int nmn = mo_node_get_floats(fw, "min_sizes", mn, 64);
    int nmx = mo_node_get_floats(fw, "max_sizes", mx, 64);
    int nar = mo_node_get_floats(fw, "aspect_ratios", ar, 64);
    int nvar = mo_node_get_floats(fw, "variances", var, 8);
    if (nmn <= 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "prior_box needs min_sizes");
    if (nmx > 0 && nmx != nmn)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "prior_box has %d max_sizes for %d min_sizes", nmx, nmn);
    if (nvar != 4 && nvar > 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "prior_box needs 4 variances, has %d",
                              nvar);
    if (mo_value_shape(x).rank != 4 || mo_value_shape(img).rank != 4)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "prior_box needs 4-D Input and Image");
    static const double one[4] = {1, 1, 1, 1};
    const double *vr = nvar == 4 ? var : one;
    double sw = mo_node_get_float(fw, "step_w", 0.0, NULL);
    double sh = mo_node_get_float(fw, "step_h", 0.0, NULL);
    double offset = mo_node_get_float(fw, "offset", 0.5, NULL);
    bool flip = mo_node_get_bool(fw, "flip", false, NULL);
    bool clip = mo_node_get_bool(fw, "clip", false, NULL);
    bool mm_order = mo_node_get_bool(fw, "min_max_aspect_ratios_order", false, NULL);
    struct mo_shape xs = mo_value_shape(x), ims = mo_value_shape(img);
    bool sizes_static = xs.dims[2] >= 0 && xs.dims[3] >= 0 && ims.dims[2] >= 0 && ims.dims[3] >= 0;
    if (!sizes_static || fabs(sw - sh) > 1e-6) {
        double r[130], o[4 * 256];
        int nr = expand_ratios(ar, nar > 0 ? nar : 0, flip, r, 130);
        if ((int64_t)nmn * (nr + 1) > 256)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "prior_box has too many priors");
        int np = prior_offsets(mn, nmn, mx, nmx > 0 ? nmx : 0, r, nr, mm_order, o);
        prior_box_ops(b, x, img, o, np, sw, sh, offset, clip, vr, err);
        return mo_build_status(b);
    }
    /* output_size and image_size are the spatial dims of both inputs */
    struct mo_value xsh = op1(b, "ShapeOf", "x_shape", x);
    struct mo_value is = op1(b, "ShapeOf", "img_shape", img);
    struct mo_value hw_idx = mo_build_i64(b, "hw_idx", (const int64_t[]){2, 3}, 2);
    struct mo_value ax0 = mo_build_i64_scalar(b, "gather_axis", 0);
    struct mo_value ohw = mo_build_infer(b, mo_build_op(b, "Gather", "out_hw", 3, xsh, hw_idx, ax0));
    struct mo_value ihw = mo_build_infer(b, mo_build_op(b, "Gather", "img_hw", 3, is, hw_idx, ax0));
    struct mo_value pb = mo_build_op(b, "PriorBox", "priors", 2, ohw, ihw);
    mo_build_set_floats(b, pb, "min_size", mn, (size_t)nmn);
    mo_build_set_floats(b, pb, "max_size", mx, nmx > 0 ? (size_t)nmx : 0);
    mo_build_set_floats(b, pb, "aspect_ratio", ar, nar > 0 ? (size_t)nar : 0);
    mo_build_set_bool(b, pb, "flip", flip);
    mo_build_set_bool(b, pb, "clip", clip);
    mo_build_set_float(b, pb, "step", sw);
    mo_build_set_float(b, pb, "offset", offset);
    mo_build_set_floats(b, pb, "variance", vr, 4);
    mo_build_set_bool(b, pb, "scale_all_sizes", true);
    mo_build_set_bool(b, pb, "min_max_aspect_ratios_order", mm_order);
    /* [2, L] -> two [1, L] rows -> [H, W, -1, 4] each */
    struct mo_value ax = mo_build_i64_scalar(b, "split_axis", 0);
    struct mo_value sp = mo_build_op(b, "Split", "rows", 2, pb, ax);
    mo_build_set_int(b, sp, "num_splits", 2);
    mo_build_infer(b, pb);
    mo_build_infer(b, sp);
    struct mo_value hw64 = mo_build_infer(b, mo_build_convert(b, "out_hw_i64", ohw, MO_ET_I64));
    struct mo_value tail = mo_build_i64(b, "tail", (const int64_t[]){-1, 4}, 2);
    struct mo_value tgt = mo_build_op(b, "Concat", "target", 2, hw64, tail);
    mo_build_infer(b, mo_build_set_int(b, tgt, "axis", 0));
    static const char *const slot[2] = {"Boxes", "Variances"};
    static const char *const sfx[2] = {"boxes", "variances"};
    for (unsigned i = 0; i < 2; i++) {
        struct mo_value r = mo_build_reshape_to(b, sfx[i], mo_val(sp.node, i), tgt, false);
        mo_pd_set_out(b, slot[i], mo_build_infer(b, r));
    }
    return mo_build_status(b);
}

/* --- density_prior_box ------------------------------------------------ */

/* Paddle's dense priors (PaddleDetection's BlazeFace and face detectors):
 * for each cell, each fixed size s and ratio r, a density[s] x density[s]
 * grid of boxes of width size*sqrt(r) and height size/sqrt(r), spread
 * over the cell's step.  They depend on the shapes only, so with static
 * feature and image sizes they are constants computed here, in Paddle's
 * arithmetic (double intermediates, stored as float). */
#define DPB_MAX 64

static enum mo_status tr_density_prior_box(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                           struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_shape xs = mo_value_shape(mo_pd_in(b, "Input", 0));
    struct mo_shape is = mo_value_shape(mo_pd_in(b, "Image", 0));
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (xs.rank != 4 || is.rank != 4 || xs.dims[2] < 0 || xs.dims[3] < 0 || is.dims[2] < 0 ||
        is.dims[3] < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "density_prior_box needs static 4-D Input and Image heights and "
                              "widths (here [%d-D] and [%d-D]); give the model a fixed input "
                              "size with --input_shape", xs.rank, is.rank);
    double fs[DPB_MAX], fr[DPB_MAX], var[4] = {0.1, 0.1, 0.2, 0.2};
    int64_t den[DPB_MAX];
    int nfs = mo_node_get_floats(fw, "fixed_sizes", fs, DPB_MAX);
    int nfr = mo_node_get_floats(fw, "fixed_ratios", fr, DPB_MAX);
    int nden = mo_pd_ints(fw, "densities", den, DPB_MAX);
    int nvar = mo_node_get_floats(fw, "variances", var, 4);
    if (nfs < 1 || nfr < 1 || nden != nfs || (nvar != 4 && nvar != -1))
        return mo_build_error(b, MO_ERR_FORMAT, 0,
                              "density_prior_box has %d fixed_sizes, %d fixed_ratios, %d "
                              "densities and %d variances; it needs as many densities as sizes, "
                              "a ratio and 4 variances (at most %d of each)",
                              nfs, nfr, nden, nvar, DPB_MAX);
    int64_t np = 0;
    for (int i = 0; i < nden; i++) {
        if (den[i] < 1 || den[i] > 64)
            return mo_build_error(b, MO_ERR_FORMAT, 0, "density_prior_box: density %lld is not in 1..64",
                                  (long long)den[i]);
        np += (int64_t)nfr * den[i] * den[i];
    }
    for (int i = 0; i < nfr; i++)
        if (fr[i] <= 0)
            return mo_build_error(b, MO_ERR_FORMAT, 0, "density_prior_box: ratio %g is not positive", fr[i]);
    int64_t fh = xs.dims[2], fwd = xs.dims[3], ih = is.dims[2], iw = is.dims[3];
    double sw = mo_node_get_float(fw, "step_w", 0, NULL), sh = mo_node_get_float(fw, "step_h", 0, NULL);
    double off = mo_node_get_float(fw, "offset", 0.5, NULL);
    bool clip = mo_node_get_bool(fw, "clip", false, NULL);
    bool flat = mo_node_get_bool(fw, "flatten_to_2d", false, NULL);
    if (sw == 0 || sh == 0) {
        sw = (float)iw / (float)fwd;
        sh = (float)ih / (float)fh;
    }
    int64_t n = fh * fwd * np;
    if (n > ((int64_t)1 << 26) || fh == 0 || fwd == 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "density_prior_box: %lld priors", (long long)n);
    float *box = malloc((size_t)n * 4 * sizeof *box), *vv = malloc((size_t)n * 4 * sizeof *vv);
    if (!box || !vv) {
        free(box);
        free(vv);
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    }
    int step_avg = (int)((sw + sh) * 0.5);
    float *o = box;
    for (int64_t h = 0; h < fh; h++)
        for (int64_t w = 0; w < fwd; w++) {
            float cx = (float)((w + off) * sw), cy = (float)((h + off) * sh);
            for (int s = 0; s < nfs; s++) {
                int d = (int)den[s];
                int shift = step_avg / d;
                for (int r = 0; r < nfr; r++) {
                    float bw = (float)(fs[s] * sqrt(fr[r])), bh = (float)(fs[s] / sqrt(fr[r]));
                    float dcx = (float)(cx - step_avg / 2. + shift / 2.);
                    float dcy = (float)(cy - step_avg / 2. + shift / 2.);
                    for (int di = 0; di < d; di++)
                        for (int dj = 0; dj < d; dj++) {
                            float x = dcx + dj * shift, y = dcy + di * shift;
                            o[0] = (float)fmax((x - bw / 2.) / iw, 0.);
                            o[1] = (float)fmax((y - bh / 2.) / ih, 0.);
                            o[2] = (float)fmin((x + bw / 2.) / iw, 1.);
                            o[3] = (float)fmin((y + bh / 2.) / ih, 1.);
                            if (clip)
                                for (int k = 0; k < 4; k++)
                                    o[k] = o[k] < 0 ? 0 : o[k] > 1 ? 1 : o[k];
                            o += 4;
                        }
                }
            }
        }
    for (int64_t i = 0; i < n * 4; i++)
        vv[i] = (float)var[i % 4];
    int64_t dims4[4] = {fh, fwd, np, 4}, dims2[2] = {n, 4};
    struct mo_value bx = f32_tensor(b, "boxes", box, flat ? 2 : 4, flat ? dims2 : dims4, err);
    struct mo_value vr = f32_tensor(b, "variances", vv, flat ? 2 : 4, flat ? dims2 : dims4, err);
    free(box);
    free(vv);
    mo_pd_set_out(b, "Boxes", bx);
    return mo_pd_set_out(b, "Variances", vr);
}

/* --- box_coder ------------------------------------------------------- */

/* Prior corners -> centre and size; unnormalized boxes count both end
 * pixels, hence the +1 on the size. */
static void prior_geometry(struct mo_build *b, struct mo_value p, bool normalized,
                           struct mo_value *pcx, struct mo_value *pcy, struct mo_value *pw,
                           struct mo_value *ph)
{
    struct mo_value c[4];
    split_last(b, "prior_split", p, (const int64_t[]){1, 1, 1, 1}, 4, c);
    struct mo_value half = f32(b, "half", 0.5);
    *pw = op2(b, "Subtract", "pw", c[2], c[0]);
    *ph = op2(b, "Subtract", "ph", c[3], c[1]);
    if (!normalized) {
        struct mo_value one = f32(b, "one", 1.0);
        *pw = op2(b, "Add", "pw1", *pw, one);
        *ph = op2(b, "Add", "ph1", *ph, one);
    }
    *pcx = op2(b, "Add", "pcx", c[0], op2(b, "Multiply", "pw_half", *pw, half));
    *pcy = op2(b, "Add", "pcy", c[1], op2(b, "Multiply", "ph_half", *ph, half));
}

static enum mo_status tr_box_coder(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value prior = mo_pd_in(b, "PriorBox", 0);
    struct mo_value target = mo_pd_in(b, "TargetBox", 0);
    const char *code = mo_node_get_str(fw, "code_type", "encode_center_size");
    bool normalized = mo_node_get_bool(fw, "box_normalized", true, NULL);
    int64_t axis = mo_node_get_int(fw, "axis", 0, NULL);
    struct mo_value pvar = mo_pd_in_opt(b, "PriorBoxVar", 0);
    double var[8];
    int nvar = mo_node_get_floats(fw, "variance", var, 8);
    if (strcmp(code, "decode_center_size") && strcmp(code, "encode_center_size"))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "box_coder code_type '%s' is unknown",
                              code);
    bool decode = !strcmp(code, "decode_center_size");
    int trank = mo_value_shape(target).rank;
    if (decode && trank != 3)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "box_coder decoding needs a 3-D TargetBox");
    if (decode && axis != 0 && axis != 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "box_coder axis must be 0 or 1, got %lld",
                              (long long)axis);
    if (!decode && trank != 2)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "box_coder encoding needs a 2-D TargetBox");
    /* Prior rows broadcast along axis `axis` of the [N, M, 4] targets: for
     * axis 0 they pair with dim 1 (numpy broadcasting does that), for axis 1
     * with dim 0 (a unit axis is inserted).  Encoding pairs every target
     * with every prior: targets [N, 1, 4] against priors [M, 4]. */
    if (decode && axis == 1) {
        struct mo_value a = mo_build_i64(b, "unsq_axis", (const int64_t[]){1}, 1);
        prior = op2(b, "Unsqueeze", "prior_unsq", prior, a);
        if (pvar.node)
            pvar = op2(b, "Unsqueeze", "var_unsq", pvar, a);
    }
    if (!decode) {
        struct mo_value a = mo_build_i64(b, "unsq_axis", (const int64_t[]){1}, 1);
        target = op2(b, "Unsqueeze", "target_unsq", target, a);
    }
    struct mo_value pcx, pcy, pw, ph, v[4], tb[4];
    prior_geometry(b, prior, normalized, &pcx, &pcy, &pw, &ph);
    if (pvar.node) {
        split_last(b, "var_split", pvar, (const int64_t[]){1, 1, 1, 1}, 4, v);
    } else {
        static const char *const vn[4] = {"var0", "var1", "var2", "var3"};
        for (int i = 0; i < 4; i++)
            v[i] = f32(b, vn[i], nvar == 4 ? var[i] : 1.0);
    }
    split_last(b, "target_split", target, (const int64_t[]){1, 1, 1, 1}, 4, tb);
    struct mo_value half = f32(b, "half_t", 0.5), o[4];
    if (decode) {
        /* centre = var * t * prior_size + prior_centre; size = exp(var * t) * prior_size */
        struct mo_value cx = op2(b, "Multiply", "cx_v", v[0], tb[0]);
        cx = op2(b, "Add", "cx", op2(b, "Multiply", "cx_m", cx, pw), pcx);
        struct mo_value cy = op2(b, "Multiply", "cy_v", v[1], tb[1]);
        cy = op2(b, "Add", "cy", op2(b, "Multiply", "cy_m", cy, ph), pcy);
        struct mo_value w = op1(b, "Exp", "w_exp", op2(b, "Multiply", "w_v", v[2], tb[2]));
        w = op2(b, "Multiply", "w", w, pw);
        struct mo_value h = op1(b, "Exp", "h_exp", op2(b, "Multiply", "h_v", v[3], tb[3]));
        h = op2(b, "Multiply", "h", h, ph);
        struct mo_value hw = op2(b, "Multiply", "w_half", w, half);
        struct mo_value hh = op2(b, "Multiply", "h_half", h, half);
        o[0] = op2(b, "Subtract", "xmin", cx, hw);
        o[1] = op2(b, "Subtract", "ymin", cy, hh);
        o[2] = op2(b, "Add", "xmax", cx, hw);
        o[3] = op2(b, "Add", "ymax", cy, hh);
        if (!normalized) {
            struct mo_value one = f32(b, "one_t", 1.0);
            o[2] = op2(b, "Subtract", "xmax1", o[2], one);
            o[3] = op2(b, "Subtract", "ymax1", o[3], one);
        }
    } else {
        /* (centre - prior_centre) / prior_size / var; log|size / prior_size| / var */
        struct mo_value tw = op2(b, "Subtract", "tw", tb[2], tb[0]);
        struct mo_value th = op2(b, "Subtract", "th", tb[3], tb[1]);
        if (!normalized) {
            struct mo_value one = f32(b, "one_t", 1.0);
            tw = op2(b, "Add", "tw1", tw, one);
            th = op2(b, "Add", "th1", th, one);
        }
        /* the target's centre is the corners' mean, without the +1
         * (Paddle's encoder; the prior's centre has it) */
        struct mo_value tcx = op2(b, "Add", "tx_sum", tb[0], tb[2]);
        tcx = op2(b, "Multiply", "tcx", tcx, half);
        struct mo_value tcy = op2(b, "Add", "ty_sum", tb[1], tb[3]);
        tcy = op2(b, "Multiply", "tcy", tcy, half);
        o[0] = op2(b, "Divide", "ox_p", op2(b, "Subtract", "ox_d", tcx, pcx), pw);
        o[0] = op2(b, "Divide", "ox", o[0], v[0]);
        o[1] = op2(b, "Divide", "oy_p", op2(b, "Subtract", "oy_d", tcy, pcy), ph);
        o[1] = op2(b, "Divide", "oy", o[1], v[1]);
        o[2] = op1(b, "Abs", "ow_abs", op2(b, "Divide", "ow_r", tw, pw));
        o[2] = op2(b, "Divide", "ow", op1(b, "Log", "ow_log", o[2]), v[2]);
        o[3] = op1(b, "Abs", "oh_abs", op2(b, "Divide", "oh_r", th, ph));
        o[3] = op2(b, "Divide", "oh", op1(b, "Log", "oh_log", o[3]), v[3]);
    }
    return mo_pd_set_out(b, "OutputBox", concat_last(b, "boxes", o, 4));
}

/* --- multiclass_nms3 ------------------------------------------------- */

/* MulticlassNms-9 was made to Paddle's measure: rows [label, score, x1, y1,
 * x2, y2], indices into the flattened boxes, a per-image count, and
 * "classid" order: an image's rows class by class, best score first, as
 * Paddle lists them.  With RoisNum (the boxes of all images stacked, per
 * class: BBoxes [M, C, 4], Scores [M, C]) the op wants the class axis
 * first. */
static enum mo_status tr_multiclass_nms(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value boxes = mo_pd_in(b, "BBoxes", 0);
    struct mo_value scores = mo_pd_in(b, "Scores", 0);
    struct mo_value num = mo_pd_in_opt(b, "RoisNum", 0);
    struct mo_shape bs = mo_value_shape(boxes);
    int br = bs.rank, sr = mo_value_shape(scores).rank;
    if (br > 0 && bs.dims[br - 1] >= 0 && bs.dims[br - 1] != 4)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "multiclass_nms3 with %lld coordinates per box (polygons) is not "
                              "supported: the IR's MulticlassNms takes boxes of 4",
                              (long long)bs.dims[br - 1]);
    struct mo_value n;
    if (num.node) {
        if (br != 3 || sr != 2)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                  "multiclass_nms3 with RoisNum needs BBoxes [M, C, 4] and "
                                  "Scores [M, C], got ranks %d and %d", br, sr);
        boxes = mo_build_transpose(b, "boxes_cm", boxes, (const int64_t[]){1, 0, 2}, 3);
        scores = mo_build_transpose(b, "scores_cm", scores, (const int64_t[]){1, 0}, 2);
        n = mo_build_op(b, "MulticlassNms", NULL, 3, boxes, scores, num);
    } else {
        if (br != 3 || sr != 3)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                  "multiclass_nms3 needs BBoxes [N, M, 4] and Scores [N, C, M] "
                                  "(or RoisNum), got ranks %d and %d", br, sr);
        n = mo_build_op(b, "MulticlassNms", NULL, 2, boxes, scores);
    }
    mo_build_set_str(b, n, "sort_result_type", "classid");
    mo_build_set_bool(b, n, "sort_result_across_batch", false);
    mo_build_set_str(b, n, "output_type", "i32");
    mo_build_set_float(b, n, "iou_threshold", mo_node_get_float(fw, "nms_threshold", 0.3, NULL));
    mo_build_set_float(b, n, "score_threshold",
                       mo_node_get_float(fw, "score_threshold", 0.0, NULL));
    mo_build_set_int(b, n, "nms_top_k", mo_node_get_int(fw, "nms_top_k", -1, NULL));
    mo_build_set_int(b, n, "keep_top_k", mo_node_get_int(fw, "keep_top_k", -1, NULL));
    mo_build_set_int(b, n, "background_class", mo_node_get_int(fw, "background_label", 0, NULL));
    mo_build_set_bool(b, n, "normalized", mo_node_get_bool(fw, "normalized", true, NULL));
    mo_build_set_float(b, n, "nms_eta", mo_node_get_float(fw, "nms_eta", 1.0, NULL));
    mo_build_infer(b, n);
    mo_pd_set_out(b, "Out", mo_val(n.node, 0));
    mo_pd_set_out(b, "Index", mo_val(n.node, 1));
    return mo_pd_set_out(b, "NmsRoisNum", mo_val(n.node, 2));
}

/* --- yolo_box -------------------------------------------------------- */

/* Decomposed (RegionYolo lacks the image scaling and score threshold), on
 * X seen as [N, A, 5 + C, H, W]: each field is [N, A, 1, H, W], the grid
 * offsets are ranges over H and W (so both may be dynamic), the anchors
 * constants over A.  With iou_aware X starts with A IoU channels, which
 * temper the objectness.  Rows come out in Paddle's (anchor, y, x) order. */
static enum mo_status tr_yolo_box(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value img = mo_pd_in(b, "ImgSize", 0);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int64_t anchors[128];
    int na2 = mo_pd_ints(fw, "anchors", anchors, 128);
    int64_t C = mo_node_get_int(fw, "class_num", 1, NULL);
    int64_t ds = mo_node_get_int(fw, "downsample_ratio", 32, NULL);
    double thresh = mo_node_get_float(fw, "conf_thresh", 0.01, NULL);
    double sxy = mo_node_get_float(fw, "scale_x_y", 1.0, NULL);
    bool clip = mo_node_get_bool(fw, "clip_bbox", true, NULL);
    bool iou_aware = mo_node_get_bool(fw, "iou_aware", false, NULL);
    double iou_factor = mo_node_get_float(fw, "iou_aware_factor", 0.5, NULL);
    if (na2 <= 0 || na2 % 2 || C <= 0 || ds <= 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "yolo_box needs anchor pairs, class_num and downsample_ratio");
    struct mo_shape xs = mo_value_shape(x);
    int64_t A = na2 / 2;
    if (xs.rank != 4)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "yolo_box needs a 4-D input");
    int64_t want = A * (5 + C) + (iou_aware ? A : 0);
    if (xs.dims[1] >= 0 && xs.dims[1] != want)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "yolo_box input has %lld channels, expected %lld",
                              (long long)xs.dims[1], (long long)want);
    struct mo_value iou = MO_NO_VALUE;
    if (iou_aware) {
        struct mo_value ax1 = mo_build_i64_scalar(b, "iou_axis", 1);
        struct mo_value ln = mo_build_i64(b, "iou_len", (const int64_t[]){A, A * (5 + C)}, 2);
        struct mo_value sp = mo_build_infer(b, mo_build_op(b, "VariadicSplit", "iou_split", 3, x, ax1, ln));
        iou = mo_build_unsqueeze(b, "iou_5d", mo_val(sp.node, 0), (const int64_t[]){2}, 1);
        iou = mo_build_infer(b, iou);
        x = mo_val(sp.node, 1);
    }
    /* [N, A, 5 + C, H, W] and its fields */
    struct mo_value n = mo_build_dims(b, "n", x, (const int64_t[]){0}, 1);
    struct mo_value ac = mo_build_i64(b, "anchor_fields", (const int64_t[]){A, 5 + C}, 2);
    struct mo_value hw = mo_build_dims(b, "hw", x, (const int64_t[]){2, 3}, 2);
    struct mo_value s5 = mo_build_infer(b, mo_build_concat(b, "shape_5d", 0, 3,
                                                           (struct mo_value[]){n, ac, hw}));
    struct mo_value x5 = mo_build_infer(b, mo_build_reshape_to(b, "x_5d", x, s5, false));
    struct mo_value fax = mo_build_i64_scalar(b, "fields_axis", 2);
    struct mo_value fln = mo_build_i64(b, "fields_len", (const int64_t[]){1, 1, 1, 1, 1, C}, 6);
    struct mo_value fs = mo_build_infer(b, mo_build_op(b, "VariadicSplit", "fields", 3, x5, fax, fln));
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_value p[6];
    for (unsigned i = 0; i < 6; i++)
        p[i] = mo_val(fs.node, i);
    /* grid sizes, the grid, the anchors */
    struct mo_value gh = dim_f32(b, "grid_h", x, 2), gw = dim_f32(b, "grid_w", x, 3);
    struct mo_value gy = centres(b, "gy", gh, f32(b, "gy_step", 1.0), 0.0, 0);
    struct mo_value gx = centres(b, "gx", gw, f32(b, "gx_step", 1.0), 0.0, 1);
    /* centres() gives [H, 1, 1, 1] and [1, W, 1, 1]: as [.., H, 1] and [.., 1, W] */
    gy = mo_build_infer(b, mo_build_reshape(b, "gy_5d", gy, (const int64_t[]){1, 1, 1, -1, 1}, 5, false));
    gx = mo_build_infer(b, mo_build_reshape(b, "gx_5d", gx, (const int64_t[]){1, 1, 1, 1, -1}, 5, false));
    float awv[64], ahv[64];
    if (A > 64)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "yolo_box has more than 64 anchors");
    for (int64_t a = 0; a < A; a++) {
        awv[a] = (float)anchors[2 * a];
        ahv[a] = (float)anchors[2 * a + 1];
    }
    const int64_t ad[5] = {1, A, 1, 1, 1};
    struct mo_value aw = f32_tensor(b, "anchor_w", awv, 5, ad, err);
    struct mo_value ah = f32_tensor(b, "anchor_h", ahv, 5, ad, err);
    struct mo_value dsv = f32(b, "downsample", (double)ds);
    struct mo_value in_w = op2(b, "Multiply", "input_w", gw, dsv);
    struct mo_value in_h = op2(b, "Multiply", "input_h", gh, dsv);
    /* image size [N, 2] (h, w) -> f32 [N, 1, 1, 1, 1] each */
    struct mo_value imf = mo_build_infer(b, mo_build_convert(b, "img_f32", img, MO_ET_F32));
    struct mo_value im5 = mo_build_reshape(b, "img_5d", imf, (const int64_t[]){-1, 1, 1, 1, 2}, 5, false);
    struct mo_value ih_iw[2];
    split_last(b, "img_split", mo_build_infer(b, im5), (const int64_t[]){1, 1}, 2, ih_iw);
    struct mo_value ih = ih_iw[0], iw = ih_iw[1];
    struct mo_value sc = f32(b, "scale_xy", sxy), bias = f32(b, "bias_xy", -0.5 * (sxy - 1.0));
    struct mo_value half = f32(b, "half", 0.5);
    /* centre = (grid + sigmoid(t) * scale + bias) * image / grid size */
    struct mo_value ox = op2(b, "Multiply", "sx", op1(b, "Sigmoid", "sig_x", p[0]), sc);
    struct mo_value oy = op2(b, "Multiply", "sy", op1(b, "Sigmoid", "sig_y", p[1]), sc);
    ox = op2(b, "Add", "gx_add", gx, op2(b, "Add", "off_x", ox, bias));
    oy = op2(b, "Add", "gy_add", gy, op2(b, "Add", "off_y", oy, bias));
    struct mo_value cx = op2(b, "Divide", "cx", op2(b, "Multiply", "cx_g", ox, iw), gw);
    struct mo_value cy = op2(b, "Divide", "cy", op2(b, "Multiply", "cy_g", oy, ih), gh);
    /* size = exp(t) * anchor * image / input size */
    struct mo_value bw = op2(b, "Multiply", "bw_a", op1(b, "Exp", "exp_w", p[2]), aw);
    struct mo_value bh = op2(b, "Multiply", "bh_a", op1(b, "Exp", "exp_h", p[3]), ah);
    bw = op2(b, "Divide", "bw", op2(b, "Multiply", "bw_i", bw, iw), in_w);
    bh = op2(b, "Divide", "bh", op2(b, "Multiply", "bh_i", bh, ih), in_h);
    struct mo_value hwd = op2(b, "Multiply", "bw_half", bw, half);
    struct mo_value hhd = op2(b, "Multiply", "bh_half", bh, half);
    struct mo_value corner[4];
    corner[0] = op2(b, "Subtract", "x1", cx, hwd);
    corner[1] = op2(b, "Subtract", "y1", cy, hhd);
    corner[2] = op2(b, "Add", "x2", cx, hwd);
    corner[3] = op2(b, "Add", "y2", cy, hhd);
    if (clip) {
        struct mo_value zero = f32(b, "zero", 0.0), one = f32(b, "one", 1.0);
        corner[0] = op2(b, "Maximum", "x1_clip", corner[0], zero);
        corner[1] = op2(b, "Maximum", "y1_clip", corner[1], zero);
        corner[2] = op2(b, "Minimum", "x2_clip", corner[2], op2(b, "Subtract", "iw_1", iw, one));
        corner[3] = op2(b, "Minimum", "y2_clip", corner[3], op2(b, "Subtract", "ih_1", ih, one));
    }
    /* rows under the confidence threshold stay all zero */
    struct mo_value conf = op1(b, "Sigmoid", "conf", p[4]);
    if (iou_aware) {
        /* conf = sigmoid(obj)^(1 - f) * sigmoid(iou)^f */
        struct mo_value po = op2(b, "Power", "conf_pow", conf, f32(b, "obj_exp", 1.0 - iou_factor));
        struct mo_value si = op1(b, "Sigmoid", "iou_sig", iou);
        struct mo_value pi = op2(b, "Power", "iou_pow", si, f32(b, "iou_exp", iou_factor));
        conf = op2(b, "Multiply", "conf_iou", po, pi);
    }
    struct mo_value keep = op2(b, "GreaterEqual", "keep", conf, f32(b, "thresh", thresh));
    struct mo_value keepf = mo_build_infer(b, mo_build_convert(b, "keep_f32", keep, MO_ET_F32));
    struct mo_value box = mo_build_infer(b, mo_build_concat(b, "box_cat", 2, 4, corner));
    box = op2(b, "Multiply", "box_keep", box, keepf);
    struct mo_value score = op2(b, "Multiply", "conf_keep", conf, keepf);
    score = op2(b, "Multiply", "score_5d", op1(b, "Sigmoid", "cls", p[5]), score);
    /* [N, A, F, H, W] -> [N, A*H*W, F] */
    static const int64_t perm[5] = {0, 1, 3, 4, 2};
    struct mo_value bt = mo_build_infer(b, mo_build_transpose(b, "box_rows", box, perm, 5));
    struct mo_value st = mo_build_infer(b, mo_build_transpose(b, "score_rows", score, perm, 5));
    struct mo_value bo = mo_build_reshape(b, "boxes", bt, (const int64_t[]){0, -1, 4}, 3, true);
    struct mo_value so = mo_build_reshape(b, "scores", st, (const int64_t[]){0, -1, C}, 3, true);
    mo_pd_set_out(b, "Boxes", mo_build_infer(b, bo));
    return mo_pd_set_out(b, "Scores", mo_build_infer(b, so));
}

/* --- assign_value ---------------------------------------------------- */

/* The first value list that holds cnt values (Paddle's attribute name
 * depends on the dtype and the version), or NULL. */
static const struct mo_attr *value_list(const struct mo_node *fw, int64_t cnt)
{
    static const char *const keys[] = {"values", "fp32_values", "int32_values", "int64_values",
                                       "bool_values", "fp64_values"};
    for (size_t i = 0; i < MO_COUNT_OF(keys); i++) {
        const struct mo_attr *a = mo_node_attr(fw, keys[i]);
        if (a && (a->kind == MO_ATTR_FLOATS || a->kind == MO_ATTR_INTS)) {
            double probe[1];
            int64_t iprobe[1];
            int n = a->kind == MO_ATTR_FLOATS ? mo_node_get_floats(fw, keys[i], probe, 0)
                                              : mo_node_get_ints(fw, keys[i], iprobe, 0);
            if (n == cnt)
                return a;
        }
    }
    return NULL;
}

static enum mo_status tr_assign_value(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    int64_t d[MO_MAX_RANK];
    int rank = mo_pd_ints(fw, "shape", d, MO_MAX_RANK);
    if (rank < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "assign_value has no shape");
    enum mo_etype et = mo_pd_etype((int)mo_node_get_int(fw, "dtype", 5, NULL));
    if (et == MO_ET_UNDEFINED)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "assign_value dtype is not supported");
    struct mo_shape s = mo_shape_make(rank, d);
    if (!mo_shape_is_static(&s) || mo_shape_numel(&s) > (1 << 20))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "assign_value has a bad shape");
    int64_t cnt = mo_shape_numel(&s);
    const struct mo_attr *a = value_list(fw, cnt);
    if (!a)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "assign_value holds no %lld values",
                              (long long)cnt);
    double *buf = malloc((size_t)(cnt ? cnt : 1) * sizeof *buf);
    int64_t *ibuf = malloc((size_t)(cnt ? cnt : 1) * sizeof *ibuf);
    if (!buf || !ibuf) {
        free(buf);
        free(ibuf);
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    }
    if (a->kind == MO_ATTR_FLOATS) {
        mo_node_get_floats(fw, a->name, buf, (int)cnt);
    } else {
        mo_node_get_ints(fw, a->name, ibuf, (int)cnt);
        for (int64_t i = 0; i < cnt; i++)
            buf[i] = (double)ibuf[i];
    }
    struct mo_value c = mo_build_const(b, NULL, et, &s, buf);
    free(buf);
    free(ibuf);
    return mo_pd_set_out(b, "Out", c);
}

MO_PD_TABLE(mo_pd_tr_detection,
            {"prior_box", tr_prior_box}, {"density_prior_box", tr_density_prior_box},
            {"box_coder", tr_box_coder},
            {"multiclass_nms3", tr_multiclass_nms}, {"yolo_box", tr_yolo_box},
            {"assign_value", tr_assign_value});
