/* tr_quant.c - QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear,
 * QLinearMatMul, QLinearConv, as float arithmetic on the IR's ops.
 *
 * Dequantization is the chain Convert -> Subtract(zero point) ->
 * Multiply(scale) that the runtime recognizes as weight decompression;
 * quantization is Divide -> Round (half to even, as ONNX rounds) -> Add
 * (zero point) -> Clamp to the integer type's range -> Convert. */
#include <config.h>

#include <string.h>

#include "onnx.h"

/* v (a per-tensor scalar or a per-axis 1-D value) shaped to broadcast
 * along axis of a rank-`rank` operand. */
static struct mo_value along(struct mo_build *b, const char *sfx, struct mo_value v, int64_t axis, int rank)
{
    struct mo_shape s = mo_value_shape(v);
    if (s.rank != 1 || rank < 0)
        return v;
    axis = mo_ox_axis(b, axis, rank, "axis");
    if (axis == rank - 1)
        return v;
    int64_t d[MO_MAX_RANK];
    d[0] = -1;
    for (int i = 1; i < rank - axis; i++)
        d[i] = 1;
    return mo_build_reshape(b, sfx, v, d, (int)(rank - axis), false);
}

static bool qrange(enum mo_etype et, double *lo, double *hi)
{
    switch (et) {
    case MO_ET_U8: *lo = 0, *hi = 255; return true;
    case MO_ET_I8: *lo = -128, *hi = 127; return true;
    case MO_ET_U16: *lo = 0, *hi = 65535; return true;
    case MO_ET_I16: *lo = -32768, *hi = 32767; return true;
    case MO_ET_I32: *lo = -2147483648.0, *hi = 2147483647.0; return true;
    default: return false;
    }
}

/* round(v) + zp clamped and converted to et; v and zp f32 (zp may be
 * invalid: 0).  The last node carries sfx. */
static struct mo_value requantize(struct mo_build *b, const char *sfx, struct mo_value v, struct mo_value zp,
                                  enum mo_etype et)
{
    double lo, hi;
    if (!qrange(et, &lo, &hi)) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "quantizing to %s is not supported", mo_etype_name(et));
        return MO_NO_VALUE;
    }
    v = mo_build_set_str(b, mo_build_op(b, "Round", "round", 1, v), "mode", "half_to_even");
    if (zp.node)
        v = mo_build_op(b, "Add", "shift", 2, v, zp);
    v = mo_build_op(b, "Clamp", "saturate", 1, v);
    mo_build_set_float(b, v, "min", lo);
    mo_build_set_float(b, v, "max", hi);
    return mo_build_convert(b, sfx, v, et);
}

/* (x - zp) as f32; zp invalid: x converted. */
static struct mo_value centered(struct mo_build *b, const char *sfx, struct mo_value x, struct mo_value zp)
{
    const char *g = mo_graph_printf(mo_build_graph(b), "%s/f32", sfx);
    struct mo_value xf = mo_build_convert(b, zp.node ? g : sfx, x, MO_ET_F32);
    if (!zp.node)
        return xf;
    struct mo_value zf = mo_build_convert(b, mo_graph_printf(mo_build_graph(b), "%s/zero_point", sfx), zp, MO_ET_F32);
    return mo_build_op(b, "Subtract", sfx, 2, xf, zf);
}

static enum mo_status tr_quantize(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x");
    struct mo_value s = mo_build_in(b, 1, "y_scale");
    struct mo_value zp = mo_build_in_opt(b, 2);
    int rank = mo_value_shape(x).rank;
    int64_t axis = mo_node_get_int(fw, "axis", 1, NULL);
    enum mo_etype et = zp.node ? mo_value_et(zp) : MO_ET_U8;
    if (mo_value_et(x) != MO_ET_F32)
        x = mo_build_convert(b, "x_f32", x, MO_ET_F32);
    s = along(b, "scale", s, axis, rank);
    if (mo_value_et(s) != MO_ET_F32)
        s = mo_build_convert(b, "scale_f32", s, MO_ET_F32);
    struct mo_value v = mo_build_op(b, "Divide", "scaled", 2, x, s);
    struct mo_value zf = MO_NO_VALUE;
    if (zp.node)
        zf = mo_build_convert(b, "zero_point_f32", along(b, "zero_point", zp, axis, rank), MO_ET_F32);
    return mo_build_done(b, requantize(b, NULL, v, zf, et));
}

static enum mo_status tr_dequantize(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x");
    struct mo_value s = mo_build_in(b, 1, "x_scale");
    struct mo_value zp = mo_build_in_opt(b, 2);
    int rank = mo_value_shape(x).rank;
    int64_t axis = mo_node_get_int(fw, "axis", 1, NULL);
    if (zp.node)
        zp = along(b, "zero_point", zp, axis, rank);
    struct mo_value v = centered(b, "centered", x, zp);
    s = along(b, "scale", s, axis, rank);
    if (mo_value_et(s) != MO_ET_F32)
        s = mo_build_convert(b, "scale_f32", s, MO_ET_F32);
    return mo_build_done(b, mo_build_op(b, "Multiply", NULL, 2, v, s));
}

/* DynamicQuantizeLinear: u8 with the range of x widened to hold 0:
 * scale = (max - min) / 255, zero point = saturate(round(-min / scale)). */
static enum mo_status tr_dynamic_quantize(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                          struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x");
    int rank = mo_value_shape(x).rank;
    if (mo_build_ok(b) && rank < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "the input's rank must be known");
    int64_t ax[MO_MAX_RANK];
    for (int i = 0; i < rank; i++)
        ax[i] = i;
    struct mo_value axes = mo_build_i64(b, "axes", ax, (size_t)(rank > 0 ? rank : 0));
    struct mo_value zero = mo_build_scalar(b, "zero", MO_ET_F32, 0.0);
    struct mo_value mn = mo_build_set_bool(b, mo_build_op(b, "ReduceMin", "min", 2, x, axes), "keep_dims", false);
    struct mo_value mx = mo_build_set_bool(b, mo_build_op(b, "ReduceMax", "max", 2, x, axes), "keep_dims", false);
    mn = mo_build_op(b, "Minimum", "min0", 2, mn, zero);
    mx = mo_build_op(b, "Maximum", "max0", 2, mx, zero);
    struct mo_value range = mo_build_op(b, "Subtract", "range", 2, mx, mn);
    struct mo_value s = mo_build_op(b, "Divide", "y_scale", 2, range, mo_build_scalar(b, "levels", MO_ET_F32, 255.0));
    struct mo_value nmin = mo_build_op(b, "Negative", "neg_min", 1, mn);
    struct mo_value zq = mo_build_op(b, "Divide", "zp_real", 2, nmin, s);
    struct mo_value zp = requantize(b, "y_zero_point", zq, MO_NO_VALUE, MO_ET_U8);
    struct mo_value zf = mo_build_convert(b, "zp_f32", zp, MO_ET_F32);
    struct mo_value v = mo_build_op(b, "Divide", "scaled", 2, x, s);
    struct mo_value y = requantize(b, NULL, v, zf, MO_ET_U8);
    mo_build_output(b, 1, s);
    mo_build_output(b, 2, zp);
    return mo_build_done(b, y);
}

/* QLinearMatMul: a, b dequantized exactly (integers in f32), multiplied,
 * then requantized with a_scale * b_scale / y_scale.  a's per-row scale
 * and zero point [M] become a column [M, 1]. */
static enum mo_status tr_qlinear_matmul(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value a = mo_build_in(b, 0, "a");
    struct mo_value as = mo_build_in(b, 1, "a_scale");
    struct mo_value az = mo_build_in(b, 2, "a_zero_point");
    struct mo_value w = mo_build_in(b, 3, "b");
    struct mo_value bs = mo_build_in(b, 4, "b_scale");
    struct mo_value bz = mo_build_in(b, 5, "b_zero_point");
    struct mo_value ys = mo_build_in(b, 6, "y_scale");
    struct mo_value yz = mo_build_in(b, 7, "y_zero_point");
    int ar = mo_value_shape(a).rank;
    if (mo_value_shape(as).rank == 1)
        as = along(b, "a_scale_col", as, ar - 2, ar);
    if (mo_value_shape(az).rank == 1)
        az = along(b, "a_zero_point_col", az, ar - 2, ar);
    as = mo_build_convert(b, "a_scale_f32", as, MO_ET_F32);
    bs = mo_build_convert(b, "b_scale_f32", bs, MO_ET_F32);
    ys = mo_build_convert(b, "y_scale_f32", ys, MO_ET_F32);
    struct mo_value ac = centered(b, "a_centered", a, az);
    struct mo_value wc = centered(b, "b_centered", w, bz);
    struct mo_value acc = mo_build_op(b, "MatMul", "acc", 2, ac, wc);
    struct mo_value m = mo_build_op(b, "Multiply", "ab_scale", 2, as, bs);
    m = mo_build_op(b, "Divide", "multiplier", 2, m, ys);
    struct mo_value v = mo_build_op(b, "Multiply", "rescaled", 2, acc, m);
    struct mo_value yzf = mo_build_convert(b, "y_zero_point_f32", yz, MO_ET_F32);
    return mo_build_done(b, requantize(b, NULL, v, yzf, mo_value_et(yz)));
}

/* QLinearConv: the convolution of the centered integers (exact in f32 for
 * the usual kernel sizes), bias B (int32, in x_scale * w_scale units)
 * added, then requantized per output channel. */
static enum mo_status tr_qlinear_conv(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x");
    struct mo_value xs = mo_build_in(b, 1, "x_scale");
    struct mo_value xz = mo_build_in(b, 2, "x_zero_point");
    struct mo_value w = mo_build_in(b, 3, "w");
    struct mo_value ws = mo_build_in(b, 4, "w_scale");
    struct mo_value wz = mo_build_in(b, 5, "w_zero_point");
    struct mo_value ys = mo_build_in(b, 6, "y_scale");
    struct mo_value yz = mo_build_in(b, 7, "y_zero_point");
    struct mo_value bias = mo_build_in_opt(b, 8);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_shape wsh = mo_value_shape(w);
    int wr = wsh.rank;
    if (wr < 3)
        return mo_build_fail(b, "weights have rank %d; QLinearConv needs rank 3 or more", wr);
    int sp = wr - 2;
    int64_t groups = mo_node_get_int(fw, "group", 1, NULL);
    if (mo_value_shape(wz).rank == 1)
        wz = along(b, "w_zero_point_b", wz, 0, wr);
    struct mo_value xc = centered(b, "x_centered", x, xz);
    struct mo_value wc = centered(b, "w_centered", w, wz);
    if (groups > 1) {
        if (!mo_shape_is_static(&wsh) || wsh.dims[0] % groups)
            return mo_build_fail(b, "weights do not split into %lld groups (static weights needed)", (long long)groups);
        int64_t d[MO_MAX_RANK + 1] = {groups, wsh.dims[0] / groups};
        for (int i = 1; i < wr; i++)
            d[i + 1] = wsh.dims[i];
        wc = mo_build_reshape(b, "w_groups", wc, d, wr + 1, false);
    }
    struct mo_value y = mo_build_op(b, groups > 1 ? "GroupConvolution" : "Convolution", "conv", 2, xc, wc);
    int64_t s[MO_MAX_RANK], dl[MO_MAX_RANK];
    for (int i = 0; i < sp; i++)
        s[i] = dl[i] = 1;
    if (mo_node_attr(fw, "strides") && mo_node_get_ints(fw, "strides", s, MO_MAX_RANK) != sp)
        return mo_build_fail(b, "strides has the wrong number of values for %d spatial dims", sp);
    if (mo_node_attr(fw, "dilations") && mo_node_get_ints(fw, "dilations", dl, MO_MAX_RANK) != sp)
        return mo_build_fail(b, "dilations has the wrong number of values for %d spatial dims", sp);
    mo_build_set_ints(b, y, "strides", s, (size_t)sp);
    mo_build_set_ints(b, y, "dilations", dl, (size_t)sp);
    mo_ox_set_pads(b, y, sp);
    if (bias.node) {
        struct mo_value bf = mo_build_convert(b, "bias_f32", along(b, "bias", bias, 1, wr), MO_ET_F32);
        y = mo_build_op(b, "Add", "biased", 2, y, bf);
    }
    xs = mo_build_convert(b, "x_scale_f32", xs, MO_ET_F32);
    ws = mo_build_convert(b, "w_scale_f32", along(b, "w_scale", ws, 1, wr), MO_ET_F32);
    ys = mo_build_convert(b, "y_scale_f32", ys, MO_ET_F32);
    struct mo_value m = mo_build_op(b, "Multiply", "xw_scale", 2, xs, ws);
    m = mo_build_op(b, "Divide", "multiplier_c", 2, m, ys);
    struct mo_value v = mo_build_op(b, "Multiply", "rescaled", 2, y, m);
    struct mo_value yzf = mo_build_convert(b, "y_zero_point_f32", yz, MO_ET_F32);
    return mo_build_done(b, requantize(b, NULL, v, yzf, mo_value_et(yz)));
}

MO_OX_TABLE(mo_ox_tr_quant,
    {"QuantizeLinear", 10, tr_quantize, NULL},
    {"DequantizeLinear", 10, tr_dequantize, NULL},
    {"DynamicQuantizeLinear", 11, tr_dynamic_quantize, NULL},
    {"QLinearMatMul", 10, tr_qlinear_matmul, NULL},
    {"QLinearConv", 10, tr_qlinear_conv, NULL},
)
