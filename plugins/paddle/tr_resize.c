/* tr_resize.c - nearest/bilinear interpolation (v1 and v2) and pad3d. */
#include <config.h>

#include <string.h>

#include "paddle.h"

static enum mo_status interp(struct mo_tctx *t, const struct mo_node *fw, const char *method,
                             struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in_nchw(b, "X");
    if (mo_pd_in_opt(b, "SizeTensor", 0).node || mo_pd_in_opt(b, "Scale", 0).node)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "interpolation with SizeTensor/Scale inputs is not supported");
    bool nearest = !strcmp(method, "nearest");
    bool align = mo_node_get_bool(fw, "align_corners", !nearest, NULL);
    int64_t align_mode = mo_node_get_int(fw, "align_mode", 1, NULL);
    int64_t oh = mo_node_get_int(fw, "out_h", -1, NULL);
    int64_t ow = mo_node_get_int(fw, "out_w", -1, NULL);
    double sc[2] = {0, 0};
    int nsc = mo_node_get_floats(fw, "scale", sc, 2);
    if (nsc < 0) {
        double s1 = mo_node_get_float(fw, "scale", 0.0, NULL);
        sc[0] = sc[1] = s1;
        nsc = s1 > 0 ? 2 : 0;
    } else if (nsc == 1) {
        sc[1] = sc[0];
        nsc = 2;
    }
    struct mo_value size_in = mo_pd_in_opt(b, "OutSize", 0);
    struct mo_value axes = mo_build_i64(b, "axes", (const int64_t[]){2, 3}, 2);
    struct mo_value sizes;
    const char *calc = "sizes";
    if (size_in.node) {
        sizes = mo_build_convert(b, "sizes", size_in, MO_ET_I64);
    } else if (nsc == 2 && sc[0] > 0 && sc[1] > 0) {
        /* the scales as f32, as Paddle holds them */
        struct mo_shape s2 = mo_shape_of(2);
        const double f[2] = {(float)sc[0], (float)sc[1]};
        sizes = mo_build_const(b, "scales", MO_ET_F32, &s2, f);
        calc = "scales";
    } else if (oh > 0 && ow > 0) {
        sizes = mo_build_i64(b, "sizes", (const int64_t[]){oh, ow}, 2);
    } else {
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "interpolation without an output size or scale");
    }
    struct mo_value y = mo_build_op(b, "Interpolate", NULL, 3, x, sizes, axes);
    const char *ctm = align                          ? "align_corners"
                      : nearest || align_mode == 1 ? "asymmetric"
                                                   : "half_pixel";
    mo_build_set_str(b, y, "mode", nearest ? "nearest" : "linear_onnx");
    mo_build_set_str(b, y, "shape_calculation_mode", calc);
    mo_build_set_str(b, y, "coordinate_transformation_mode", ctm);
    mo_build_set_str(b, y, "nearest_mode", align ? "round_prefer_ceil" : "floor");
    return mo_pd_set_out_nchw(b, "Out", y);
}

MO_PD_VARIANT(tr_nearest, interp, "nearest")
MO_PD_VARIANT(tr_bilinear, interp, "bilinear")

static enum mo_status tr_pad3d(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t p[6] = {0};
    struct mo_value pt = mo_pd_in_opt(b, "Paddings", 0);
    if (pt.node) {
        struct mo_tensor *c = mo_value_const(pt);
        if (!c || mo_tensor_numel(c) != 6)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                  "pad3d with computed Paddings is not supported");
        for (int i = 0; i < 6; i++)
            p[i] = mo_tensor_get_i64(c, i);
    } else if (mo_pd_ints(fw, "paddings", p, 6) != 6) {
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "pad3d needs 6 paddings");
    }
    const char *mode = mo_node_get_str(fw, "mode", "constant");
    const char *ir_mode = !strcmp(mode, "constant")    ? "constant"
                          : !strcmp(mode, "reflect")   ? "reflect"
                          : !strcmp(mode, "replicate") ? "edge"
                                                       : NULL;
    if (!ir_mode)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "pad3d mode '%s' is not supported", mode);
    bool last = !strcmp(mo_node_get_str(fw, "data_format", "NCDHW"), "NDHWC");
    /* paddings run (left, right, top, bottom, front, back) over W, H, D */
    int64_t pb[5] = {0}, pe[5] = {0};
    int d0 = last ? 1 : 2;
    pb[d0] = p[4], pe[d0] = p[5];
    pb[d0 + 1] = p[2], pe[d0 + 1] = p[3];
    pb[d0 + 2] = p[0], pe[d0 + 2] = p[1];
    struct mo_value cb = mo_build_i64(b, "pads_begin", pb, 5);
    struct mo_value ce = mo_build_i64(b, "pads_end", pe, 5);
    double value = mo_node_get_float(fw, "value", 0.0, NULL);
    struct mo_value cv = mo_build_scalar(b, "value", mo_value_et(x), value);
    struct mo_value y = mo_build_op(b, "Pad", NULL, 4, x, cb, ce, cv);
    return mo_pd_set_out(b, "Out", mo_build_set_str(b, y, "pad_mode", ir_mode));
}

MO_PD_TABLE(mo_pd_tr_resize,
            {"nearest_interp", tr_nearest}, {"nearest_interp_v2", tr_nearest},
            {"bilinear_interp", tr_bilinear}, {"bilinear_interp_v2", tr_bilinear},
            {"pad3d", tr_pad3d});
