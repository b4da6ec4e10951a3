/* tr_resize.c - nearest/bilinear interpolation (v1 and v2) and pad3d. */
#include <config.h>

#include <string.h>

#include "paddle.h"

static enum mo_status interp(struct mo_tctx *t, const struct mo_node *fw, const char *method,
                             struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st == MO_OK)
        st = mo_pd_to_nchw(t, fw, &x, err);
    if (st != MO_OK)
        return st;
    if (mo_pd_in(t, fw, "SizeTensor", 0).node || mo_pd_in(t, fw, "Scale", 0).node)
        return mo_pd_bad(err, "interpolation with SizeTensor/Scale inputs is not supported");
    bool nearest = !strcmp(method, "nearest");
    bool align = mo_node_get_bool(fw, "align_corners", !nearest, NULL);
    int64_t align_mode = mo_node_get_int(fw, "align_mode", 1, NULL);
    int64_t oh = mo_node_get_int(fw, "out_h", -1, NULL), ow = mo_node_get_int(fw, "out_w", -1, NULL);
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
    struct mo_value size_in = mo_pd_in(t, fw, "OutSize", 0);
    struct mo_node *axes = mo_pd_i64(t, "axes", (const int64_t[]){2, 3}, 2, err);
    if (!axes)
        return mo_pd_status(err);
    struct mo_value sizes;
    const char *calc;
    if (size_in.node) {
        struct mo_node *c = mo_pd_convert(t, "sizes", size_in, MO_ET_I64, err);
        if (!c)
            return mo_pd_status(err);
        sizes = mo_val(c, 0);
        calc = "sizes";
    } else if (nsc == 2 && sc[0] > 0 && sc[1] > 0) {
        float f[2] = {(float)sc[0], (float)sc[1]};
        struct mo_shape s2 = mo_shape_of(2);
        struct mo_tensor *tv = mo_tensor_from_data(MO_ET_F32, &s2, f, sizeof f, err);
        struct mo_node *cs = tv ? mo_pd_const_tensor(t, "scales", tv, err) : NULL;
        if (!cs)
            return mo_pd_status(err);
        sizes = mo_val(cs, 0);
        calc = "scales";
    } else if (oh > 0 && ow > 0) {
        struct mo_node *c = mo_pd_i64(t, "sizes", (const int64_t[]){oh, ow}, 2, err);
        if (!c)
            return mo_pd_status(err);
        sizes = mo_val(c, 0);
        calc = "sizes";
    } else {
        return mo_pd_bad(err, "interpolation without an output size or scale");
    }
    struct mo_node *n = mo_pd_op(t, "Interpolate", NULL, err, 3, x, sizes, mo_val(axes, 0));
    if (!n)
        return mo_pd_status(err);
    const char *ctm = align ? "align_corners" : nearest || align_mode == 1 ? "asymmetric" : "half_pixel";
    st = mo_node_set_str(n, "mode", nearest ? "nearest" : "linear_onnx");
    if (st == MO_OK)
        st = mo_node_set_str(n, "shape_calculation_mode", calc);
    if (st == MO_OK)
        st = mo_node_set_str(n, "coordinate_transformation_mode", ctm);
    if (st == MO_OK)
        st = mo_node_set_str(n, "nearest_mode", align ? "round_prefer_ceil" : "floor");
    if (st != MO_OK)
        return st;
    struct mo_value y = mo_val(n, 0);
    if ((st = mo_pd_from_nchw(t, fw, &y, err)) != MO_OK)
        return st;
    return mo_pd_set_out(t, fw, "Out", y, err);
}

static enum mo_status tr_nearest(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    return interp(t, fw, "nearest", err);
}

static enum mo_status tr_bilinear(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    return interp(t, fw, "bilinear", err);
}

static enum mo_status tr_pad3d(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    int64_t p[6] = {0};
    struct mo_value pt = mo_pd_in(t, fw, "Paddings", 0);
    if (pt.node) {
        if (!pt.node->value || mo_tensor_numel(pt.node->value) != 6)
            return mo_pd_bad(err, "pad3d with computed Paddings is not supported");
        for (int i = 0; i < 6; i++)
            p[i] = mo_tensor_get_i64(pt.node->value, i);
    } else if (mo_pd_ints(fw, "paddings", p, 6) != 6) {
        return mo_pd_bad(err, "pad3d needs 6 paddings");
    }
    const char *mode = mo_node_get_str(fw, "mode", "constant");
    const char *ir_mode = !strcmp(mode, "constant")    ? "constant"
                          : !strcmp(mode, "reflect")   ? "reflect"
                          : !strcmp(mode, "replicate") ? "edge"
                                                       : NULL;
    if (!ir_mode)
        return mo_pd_bad(err, "pad3d mode '%s' is not supported", mode);
    bool last = !strcmp(mo_node_get_str(fw, "data_format", "NCDHW"), "NDHWC");
    /* paddings run (left, right, top, bottom, front, back) over W, H, D */
    int64_t b[5] = {0}, e[5] = {0};
    int d0 = last ? 1 : 2;
    b[d0] = p[4], e[d0] = p[5];
    b[d0 + 1] = p[2], e[d0 + 1] = p[3];
    b[d0 + 2] = p[0], e[d0 + 2] = p[1];
    struct mo_node *cb = mo_pd_i64(t, "pads_begin", b, 5, err);
    struct mo_node *ce = cb ? mo_pd_i64(t, "pads_end", e, 5, err) : NULL;
    struct mo_node *cv = ce ? mo_pd_scalar(t, "value", mo_pd_et(x),
                                           mo_node_get_float(fw, "value", 0.0, NULL), err)
                            : NULL;
    struct mo_node *n = cv ? mo_pd_op(t, "Pad", NULL, err, 4, x, mo_val(cb, 0), mo_val(ce, 0), mo_val(cv, 0))
                           : NULL;
    if (!n || mo_node_set_str(n, "pad_mode", ir_mode) != MO_OK)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err);
}

MO_PD_TABLE(mo_pd_tr_resize,
            {"nearest_interp", tr_nearest}, {"nearest_interp_v2", tr_nearest},
            {"bilinear_interp", tr_bilinear}, {"bilinear_interp_v2", tr_bilinear},
            {"pad3d", tr_pad3d});
