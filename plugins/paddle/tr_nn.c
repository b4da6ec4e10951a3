/* tr_nn.c - Paddle translators: deformable conv, grid sampling,
 * quantize_linear / dequantize_linear. */
#include <config.h>

#include <string.h>

#include "paddle.h"

/* deformable_conv (with Mask: modulated, v2) and deformable_conv_v1:
 * DeformableConvolution-8; Paddle samples outside the input with zero
 * padding, the IR's bilinear_interpolation_pad. */
static enum mo_status tr_deformable_conv(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "Input", 0);
    struct mo_value off = mo_pd_in(b, "Offset", 0);
    struct mo_value w = mo_pd_in(b, "Filter", 0);
    struct mo_value mask = mo_pd_in_opt(b, "Mask", 0);
    int64_t s[2] = {1, 1}, d[2] = {1, 1}, p[4] = {0, 0, 0, 0}, pb[2], pe[2];
    if (mo_pd_ints(fw, "strides", s, 2) == 1)
        s[1] = s[0];
    if (mo_pd_ints(fw, "dilations", d, 2) == 1)
        d[1] = d[0];
    int np = mo_pd_ints(fw, "paddings", p, 4);
    if (np == 4)
        pb[0] = p[0], pe[0] = p[1], pb[1] = p[2], pe[1] = p[3];
    else if (np == 2)
        pb[0] = pe[0] = p[0], pb[1] = pe[1] = p[1];
    else if (np <= 1)
        pb[0] = pe[0] = pb[1] = pe[1] = np == 1 ? p[0] : 0;
    else
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "paddings has %d values; 2 or 4 expected",
                              np);
    int64_t groups = mo_node_get_int(fw, "groups", 1, NULL);
    int64_t dg = mo_node_get_int(fw, "deformable_groups", 1, NULL);
    if (groups < 1 || dg < 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "groups and deformable_groups must be positive");
    struct mo_value y = mask.node
                            ? mo_build_op(b, "DeformableConvolution", NULL, 4, x, off, w, mask)
                            : mo_build_op(b, "DeformableConvolution", NULL, 3, x, off, w);
    mo_build_set_ints(b, y, "strides", s, 2);
    mo_build_set_ints(b, y, "dilations", d, 2);
    mo_build_set_ints(b, y, "pads_begin", pb, 2);
    mo_build_set_ints(b, y, "pads_end", pe, 2);
    mo_build_set_str(b, y, "auto_pad", "explicit");
    mo_build_set_int(b, y, "group", groups);
    mo_build_set_int(b, y, "deformable_group", dg);
    mo_build_set_bool(b, y, "bilinear_interpolation_pad", true);
    return mo_pd_set_out(b, "Output", y);
}

/* grid_sampler: GridSample-9, the same grid convention (x, y in [-1, 1]). */
static enum mo_status tr_grid_sampler(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value g = mo_pd_in(b, "Grid", 0);
    const char *mode = mo_node_get_str(fw, "mode", "bilinear");
    const char *pad = mo_node_get_str(fw, "padding_mode", "zeros");
    if (strcmp(mode, "bilinear") && strcmp(mode, "nearest"))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "grid_sampler mode '%s' is not bilinear or nearest", mode);
    if (strcmp(pad, "zeros") && strcmp(pad, "border") && strcmp(pad, "reflection"))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "grid_sampler padding_mode '%s' is not zeros, border or reflection",
                              pad);
    if (mo_build_ok(b) && mo_value_shape(x).rank != 4)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "grid_sampler supports 4-D inputs only (got rank %d)",
                              mo_value_shape(x).rank);
    struct mo_value y = mo_build_op(b, "GridSample", NULL, 2, x, g);
    mo_build_set_str(b, y, "mode", mode);
    mo_build_set_str(b, y, "padding_mode", pad);
    mo_build_set_bool(b, y, "align_corners", mo_node_get_bool(fw, "align_corners", true, NULL));
    return mo_pd_set_out(b, "Output", y);
}

/* Scale (the abs max) over x: a scalar for per-tensor quantization, or
 * [C] placed on quant_axis.  Returns scale / qmax, the quantization step. */
static struct mo_value quant_step(struct mo_build *b, struct mo_value x, double qmax)
{
    const struct mo_node *fw = mo_build_fw(b);
    struct mo_value sc = mo_pd_in(b, "Scale", 0);
    struct mo_value zp = mo_pd_in_opt(b, "ZeroPoint", 0);
    /* Paddle's kernels never read ZeroPoint (symmetric quantization); a
     * constant non-zero one is refused rather than silently dropped */
    if (zp.node && mo_value_const(zp)) {
        struct mo_tensor *c = mo_value_const(zp);
        bool zero = true;
        for (int64_t i = 0; c && i < mo_tensor_numel(c); i++)
            zero = zero && mo_tensor_get_f64(c, i) == 0;
        if (!zero) {
            mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                           "quantization with a non-zero ZeroPoint is not supported");
            return MO_NO_VALUE;
        }
    }
    int rank = mo_value_shape(x).rank;
    struct mo_shape ss = mo_value_shape(sc);
    int64_t axis = mo_node_get_int(fw, "quant_axis", -1, NULL);
    int64_t n = 1;
    for (int i = 0; i < ss.rank; i++)
        n = ss.dims[i] < 0 || n < 0 ? -1 : n * ss.dims[i];
    if (n != 1 && axis >= 0) {
        if (rank < 0 || axis >= rank) {
            mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "quant_axis=%lld for an input of rank %d",
                           (long long)axis, rank);
            return MO_NO_VALUE;
        }
        int64_t d[MO_MAX_RANK];
        for (int i = 0; i < rank; i++)
            d[i] = i == axis ? -1 : 1;
        sc = mo_build_reshape(b, "scale_shape", sc, d, rank, false);
    } else if (n != 1) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                       "a per-channel Scale needs quant_axis >= 0 (got %lld)", (long long)axis);
        return MO_NO_VALUE;
    } else if (ss.rank > 0) {
        sc = mo_build_reshape(b, "scale_scalar", sc, NULL, 0, false);
    }
    if (mo_value_et(sc) != mo_value_et(x))
        sc = mo_build_convert(b, "scale_type", sc, mo_value_et(x));
    struct mo_value q = mo_build_scalar(b, "qmax", mo_value_et(x), qmax);
    return mo_build_op(b, "Divide", "step", 2, sc, q);
}

/* qmax (default 2^(bit_length-1) - 1); fails b and gives 0 when
 * bit_length or qmax is out of range. */
static double quant_max(struct mo_build *b)
{
    const struct mo_node *fw = mo_build_fw(b);
    int64_t bits = fw ? mo_node_get_int(fw, "bit_length", 8, NULL) : 8;
    if (bits < 2 || bits > 16) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "bit_length=%lld is not in 2..16",
                       (long long)bits);
        return 0;
    }
    int64_t q = mo_node_get_int(fw, "qmax", (1LL << (bits - 1)) - 1, NULL);
    if (q < 1 || q > 65535) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "qmax=%lld is not in 1..65535", (long long)q);
        return 0;
    }
    return (double)q;
}

/* quantize_linear: y = clamp(round(x / scale * qmax), lo, qmax), the
 * integers as x's float type (Paddle's output). */
static enum mo_status tr_quantize_linear(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    /* an observer (calibration) only passes x through */
    if (mo_node_get_bool(fw, "only_observer", false, NULL))
        return mo_pd_set_out(b, "Y", mo_pd_in(b, "X", 0));
    int64_t rt = mo_node_get_int(fw, "round_type", 0, NULL);
    if (rt != 0 && rt != 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "round_type=%lld is not 0 or 1",
                              (long long)rt);
    double qmax = quant_max(b);
    /* Paddle's kernels: round_type 0 rounds ties to even and clamps to
     * [-qmax - 1, qmax]; 1 clips x to [-scale, scale] first and rounds ties
     * away from zero, so never goes below -qmax */
    double qmin = rt == 0 ? -qmax - 1 : -qmax;
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value step = quant_step(b, x, qmax);
    struct mo_value v = mo_build_op(b, "Divide", "scaled", 2, x, step);
    v = mo_build_op(b, "Round", "round", 1, v);
    mo_build_set_str(b, v, "mode", rt == 0 ? "half_to_even" : "half_away_from_zero");
    struct mo_value y = mo_build_op(b, "Clamp", NULL, 1, v);
    mo_build_set_float(b, y, "min", qmin);
    mo_build_set_float(b, y, "max", qmax);
    return mo_pd_set_out(b, "Y", y);
}

/* dequantize_linear: y = x * scale / qmax (x float, or integers such as
 * int8 weights). */
static enum mo_status tr_dequantize_linear(struct mo_tctx *t, const struct mo_node *fw,
                                           void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    if (mo_node_get_bool(fw, "only_observer", false, NULL))
        return mo_pd_set_out(b, "Y", x);
    /* int8 weights stored quantized: computed in the Scale's float type */
    if (mo_build_ok(b) && !mo_etype_is_float(mo_value_et(x))) {
        enum mo_etype fet = mo_value_et(mo_pd_in(b, "Scale", 0));
        x = mo_build_convert(b, "x_float", x, mo_etype_is_float(fet) ? fet : MO_ET_F32);
        x = mo_build_infer(b, x);
    }
    struct mo_value step = quant_step(b, x, quant_max(b));
    return mo_pd_set_out(b, "Y", mo_build_op(b, "Multiply", NULL, 2, x, step));
}

MO_PD_TABLE(mo_pd_tr_nn,
            {"deformable_conv", tr_deformable_conv},
            {"deformable_conv_v1", tr_deformable_conv},
            {"grid_sampler", tr_grid_sampler},
            {"quantize_linear", tr_quantize_linear},
            {"dequantize_linear", tr_dequantize_linear});
