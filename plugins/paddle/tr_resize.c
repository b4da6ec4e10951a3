/* tr_resize.c - nearest/linear/bilinear/trilinear/bicubic interpolation (v1 and v2) and pad3d. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "paddle.h"

/* the mode whose kernel takes the first element for an output size of 1 */
#define METHOD_FIRST "bilinear"

/* The *_interp(_v2) ops: Interpolate-11 over the spatial axes.
 * Size: SizeTensor > OutSize > Scale tensor > scale attribute > out_d /
 * out_h / out_w, as Paddle's kernels take them.  Coordinates: align_corners,
 * else align_mode 0 half_pixel / 1 asymmetric for the linear modes (cubic
 * always half_pixel, nearest asymmetric with floor); Paddle's ratio is
 * 1/scale when a scale was given, in/out otherwise: the IR's scales and
 * sizes calculation modes. */
static enum mo_status interp(struct mo_tctx *t, const struct mo_node *fw, const char *method,
                             struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int rank = mo_value_shape(x).rank;
    if (mo_build_ok(b) && (rank < 3 || rank > 5))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "interpolation needs an input of rank 3, 4 or 5, got %d", rank);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int nsp = rank - 2;
    const char *df = mo_node_get_str(fw, "data_layout", NULL);
    if (!df)
        df = mo_node_get_str(fw, "data_format", "NCHW");
    size_t dl = strlen(df);
    bool last = dl > 2 && df[dl - 1] == 'C';
    if (last)
        x = mo_build_to_nchw(b, NULL, x, rank);
    bool nearest = !strcmp(method, "nearest"), cubic = !strcmp(method, "bicubic");
    bool align = mo_node_get_bool(fw, "align_corners", !nearest, NULL);
    int64_t align_mode = mo_node_get_int(fw, "align_mode", 1, NULL);
    if (align_mode != 0 && align_mode != 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "align_mode=%lld is not 0 or 1",
                              (long long)align_mode);
    static const char *const out_names[3] = {"out_d", "out_h", "out_w"};
    int64_t osz[3];
    bool have_osz = true;
    for (int i = 0; i < nsp; i++) {
        osz[i] = mo_node_get_int(fw, out_names[3 - nsp + i], -1, NULL);
        have_osz = have_osz && osz[i] > 0;
    }
    double sc[3] = {0, 0, 0};
    int nsc = mo_node_get_floats(fw, "scale", sc, 3);
    if (nsc < 0) {
        double s1 = mo_node_get_float(fw, "scale", 0.0, NULL);
        nsc = s1 > 0 ? 1 : 0;
        sc[0] = s1;
    }
    if (nsc == 1)
        for (int i = 1; i < nsp; i++)
            sc[i] = sc[0];
    else if (nsc > 0 && nsc != nsp)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "scale has %d values for %d spatial dims",
                              nsc, nsp);
    bool have_sc = nsc > 0;
    for (int i = 0; i < nsp; i++)
        have_sc = have_sc && sc[i] > 0;
    int64_t axv[3];
    for (int i = 0; i < nsp; i++)
        axv[i] = 2 + i;
    struct mo_value axes = mo_build_i64(b, "axes", axv, (size_t)nsp);
    struct mo_value sizes = MO_NO_VALUE, tv;
    const char *calc = "sizes";
    int64_t v[3], known[3];
    int known_n = -1; /* constant output sizes: known[0..nsp) */
    struct mo_value scale_in = mo_pd_in_opt(b, "Scale", 0);
    if (mo_pd_in_count(fw, "SizeTensor") > 0 || mo_pd_in_opt(b, "OutSize", 0).node) {
        bool list = mo_pd_in_count(fw, "SizeTensor") > 0;
        int n = mo_pd_int_list(b, NULL, list ? NULL : "OutSize", list ? "SizeTensor" : NULL, v, 3,
                               &tv);
        if (n >= 0 && n != nsp)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                  "the output size has %d values for %d spatial dims", n, nsp);
        sizes = mo_pd_list_value(b, "sizes", n, v, tv);
        if (n == nsp)
            for (int i = 0; i < nsp; i++)
                known[i] = v[i];
        known_n = n;
    } else if (scale_in.node) {
        /* one value or one per spatial dim: times ones broadcasts either */
        struct mo_shape s1 = mo_shape_of(nsp);
        const double ones[3] = {1, 1, 1};
        struct mo_value o = mo_build_const(b, "scales/ones", MO_ET_F32, &s1, ones);
        struct mo_value f = mo_build_convert(b, "scales/f32", scale_in, MO_ET_F32);
        f = mo_build_reshape(b, "scales/flat", f, (const int64_t[]){-1}, 1, false);
        sizes = mo_build_op(b, "Multiply", "scales", 2, f, o);
        calc = "scales";
    } else if (have_sc) {
        /* the scales as f32, as Paddle holds them */
        struct mo_shape s1 = mo_shape_of(nsp);
        double f[3];
        for (int i = 0; i < nsp; i++)
            f[i] = (float)sc[i];
        sizes = mo_build_const(b, "scales", MO_ET_F32, &s1, f);
        calc = "scales";
    } else if (have_osz) {
        sizes = mo_build_i64(b, "sizes", osz, (size_t)nsp);
        for (int i = 0; i < nsp; i++)
            known[i] = osz[i];
        known_n = nsp;
    } else {
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "interpolation without an output size or scale");
    }
    if (!strcmp(method, METHOD_FIRST) && !align && align_mode == 0 && known_n == nsp) {
        /* Paddle's bilinear ratio is 0 for an output size of 1: the first
         * element, where half_pixel (and Paddle's linear) take the middle;
         * slice it off first */
        for (int i = 0; i < nsp; i++) {
            if (known[i] != 1)
                continue;
            char sfx[16];
            snprintf(sfx, sizeof sfx, "first%d", i);
            const int64_t z = 0, o = 1, ax = 2 + i;
            x = mo_build_slice(b, sfx, x, &z, &o, &o, &ax, 1);
        }
    }
    if (cubic && !align && known_n == nsp) {
        /* the same for bicubic: Paddle samples at -0.5, the cubic weights of
         * t = 0.5 over the clamped rows 0, 0, 0, 1 (A = -0.75):
         * 1.09375 x[0] - 0.09375 x[1] */
        struct mo_shape xs0 = mo_value_shape(mo_build_infer(b, x));
        for (int i = 0; i < nsp; i++) {
            if (known[i] != 1 || xs0.rank != rank || xs0.dims[2 + i] < 2)
                continue;
            char sfx[24];
            const int64_t z = 0, o = 1, two = 2, ax = 2 + i;
            snprintf(sfx, sizeof sfx, "row0_%d", i);
            struct mo_value r0 = mo_build_slice(b, sfx, x, &z, &o, &o, &ax, 1);
            snprintf(sfx, sizeof sfx, "row1_%d", i);
            struct mo_value r1 = mo_build_slice(b, sfx, x, &o, &two, &o, &ax, 1);
            snprintf(sfx, sizeof sfx, "w0_%d", i);
            struct mo_value w0 = mo_build_scalar(b, sfx, mo_value_et(x), 1.09375);
            snprintf(sfx, sizeof sfx, "w1_%d", i);
            struct mo_value w1 = mo_build_scalar(b, sfx, mo_value_et(x), -0.09375);
            snprintf(sfx, sizeof sfx, "row0w_%d", i);
            r0 = mo_build_op(b, "Multiply", sfx, 2, r0, w0);
            snprintf(sfx, sizeof sfx, "row1w_%d", i);
            r1 = mo_build_op(b, "Multiply", sfx, 2, r1, w1);
            snprintf(sfx, sizeof sfx, "edge%d", i);
            x = mo_build_op(b, "Add", sfx, 2, r0, r1);
        }
    }
    struct mo_value y = mo_build_op(b, "Interpolate", NULL, 3, x, sizes, axes);
    const char *ctm = align     ? "align_corners"
                      : nearest ? "asymmetric"
                      : cubic   ? "half_pixel"
                      : align_mode == 1 ? "asymmetric"
                                        : "half_pixel";
    mo_build_set_str(b, y, "mode", nearest ? "nearest" : cubic ? "cubic" : "linear_onnx");
    mo_build_set_str(b, y, "shape_calculation_mode", calc);
    mo_build_set_str(b, y, "coordinate_transformation_mode", ctm);
    mo_build_set_str(b, y, "nearest_mode", align ? "round_prefer_ceil" : "floor");
    if (cubic)
        mo_build_set_float(b, y, "cube_coeff", -0.75);
    if (last)
        y = mo_build_to_nhwc(b, NULL, y, rank);
    return mo_pd_set_out(b, "Out", y);
}

MO_PD_VARIANT(tr_nearest, interp, "nearest")
MO_PD_VARIANT(tr_linear, interp, "linear")
MO_PD_VARIANT(tr_bilinear, interp, "bilinear")
MO_PD_VARIANT(tr_trilinear, interp, "trilinear")
MO_PD_VARIANT(tr_bicubic, interp, "bicubic")

/* circular padding (no IR pad mode for it): along each padded dim, the
 * last pb entries, x, then the first pe entries, concatenated. */
static struct mo_value pad_circular(struct mo_build *b, struct mo_value x, const int64_t *pb,
                                    const int64_t *pe, int rank)
{
    struct mo_shape xs = mo_value_shape(x);
    for (int d = 0; d < rank; d++) {
        if (!pb[d] && !pe[d])
            continue;
        if (pb[d] < 0 || pe[d] < 0 || xs.rank != rank || xs.dims[d] < 0 || pb[d] > xs.dims[d] ||
            pe[d] > xs.dims[d]) {
            mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                           "circular pad3d needs static dims no smaller than non-negative pads");
            return MO_NO_VALUE;
        }
        struct mo_value parts[3];
        unsigned n = 0;
        char sfx[32];
        const int64_t ax = d;
        if (pb[d]) {
            snprintf(sfx, sizeof sfx, "wrap_begin%d", d);
            parts[n++] = mo_build_slice(b, sfx, x, (const int64_t[]){-pb[d]}, &xs.dims[d],
                                        (const int64_t[]){1}, &ax, 1);
        }
        parts[n++] = x;
        if (pe[d]) {
            snprintf(sfx, sizeof sfx, "wrap_end%d", d);
            parts[n++] = mo_build_slice(b, sfx, x, (const int64_t[]){0}, &pe[d],
                                        (const int64_t[]){1}, &ax, 1);
        }
        snprintf(sfx, sizeof sfx, "wrap%d", d);
        x = mo_build_infer(b, mo_build_concat(b, sfx, d, n, parts));
        xs = mo_value_shape(x);
    }
    return x;
}

static enum mo_status tr_pad3d(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t p[6] = {0};
    struct mo_value pt = mo_pd_in_opt(b, "Paddings", 0), cb, ce;
    if (!pt.node)
        pt = mo_pd_in_opt(b, "paddings", 0); /* PIR's computed attribute */
    const char *mode = mo_node_get_str(fw, "mode", "constant");
    bool circular = !strcmp(mode, "circular");
    const char *ir_mode = !strcmp(mode, "constant")    ? "constant"
                          : !strcmp(mode, "reflect")   ? "reflect"
                          : !strcmp(mode, "replicate") ? "edge"
                                                       : NULL;
    if (!ir_mode && !circular)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "pad3d mode '%s' is not constant, reflect, replicate or circular",
                              mode);
    const char *df = mo_node_get_str(fw, "data_format", "NCDHW");
    bool last = !strcmp(df, "NDHWC");
    if (!last && strcmp(df, "NCDHW"))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "pad3d data_format '%s' is not NCDHW or NDHWC", df);
    if (mo_build_ok(b) && mo_value_shape(x).rank != 5)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "pad3d needs a 5-D input, got rank %d",
                              mo_value_shape(x).rank);
    int d0 = last ? 1 : 2;
    bool computed = false;
    if (pt.node) {
        struct mo_tensor *c = mo_value_const(pt);
        if (c && mo_tensor_numel(c) != 6)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "pad3d Paddings has %lld values, not 6",
                                  (long long)mo_tensor_numel(c));
        for (int i = 0; c && i < 6; i++)
            p[i] = mo_tensor_get_i64(c, i);
        computed = !c;
    } else if (mo_pd_ints(fw, "paddings", p, 6) != 6) {
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "pad3d needs 6 paddings");
    }
    if (computed) {
        if (circular)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                  "circular pad3d with computed Paddings is not supported");
        /* [6] run time pads, plus a zero at index 6 for the unpadded dims */
        struct mo_value pv = mo_pd_i64_vec(b, "paddings", pt);
        struct mo_value z = mo_build_i64(b, "paddings/zero", (const int64_t[]){0}, 1);
        struct mo_value parts[2] = {pv, z};
        struct mo_value p7 = mo_build_concat(b, "paddings/ext", 0, 2, parts);
        int64_t ib[5] = {6, 6, 6, 6, 6}, ie[5] = {6, 6, 6, 6, 6};
        ib[d0] = 4, ie[d0] = 5, ib[d0 + 1] = 2, ie[d0 + 1] = 3, ib[d0 + 2] = 0, ie[d0 + 2] = 1;
        struct mo_value gb = mo_build_i64(b, "pads_begin/indices", ib, 5);
        struct mo_value ge = mo_build_i64(b, "pads_end/indices", ie, 5);
        cb = mo_build_gather(b, "pads_begin", p7, gb, 0);
        ce = mo_build_gather(b, "pads_end", p7, ge, 0);
    } else {
        /* paddings run (left, right, top, bottom, front, back) over W, H, D */
        int64_t pb[5] = {0}, pe[5] = {0};
        pb[d0] = p[4], pe[d0] = p[5];
        pb[d0 + 1] = p[2], pe[d0 + 1] = p[3];
        pb[d0 + 2] = p[0], pe[d0 + 2] = p[1];
        if (circular)
            return mo_pd_set_out(b, "Out", pad_circular(b, x, pb, pe, 5));
        cb = mo_build_i64(b, "pads_begin", pb, 5);
        ce = mo_build_i64(b, "pads_end", pe, 5);
    }
    double value = mo_node_get_float(fw, "value", 0.0, NULL);
    struct mo_value cv = mo_build_scalar(b, "value", mo_value_et(x), value);
    struct mo_value y = mo_build_op(b, "Pad", NULL, 4, x, cb, ce, cv);
    return mo_pd_set_out(b, "Out", mo_build_set_str(b, y, "pad_mode", ir_mode));
}

MO_PD_TABLE(mo_pd_tr_resize,
            {"nearest_interp", tr_nearest}, {"nearest_interp_v2", tr_nearest},
            {"bilinear_interp", tr_bilinear}, {"bilinear_interp_v2", tr_bilinear},
            {"linear_interp", tr_linear}, {"linear_interp_v2", tr_linear},
            {"trilinear_interp", tr_trilinear}, {"trilinear_interp_v2", tr_trilinear},
            {"bicubic_interp", tr_bicubic}, {"bicubic_interp_v2", tr_bicubic},
            {"pad3d", tr_pad3d});
