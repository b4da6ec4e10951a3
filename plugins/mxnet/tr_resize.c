/* tr_resize.c - MXNet UpSampling (nearest, bilinear), Pad, tile, repeat. */
#include <config.h>

#include <string.h>

#include "tr_util.h"

/* x viewed as v[0..nv) (Reshape "<view>"), tiled by reps (Tile "tile"),
 * folded back to o[0..no) (the layer's output): how an element is copied
 * into a block, exactly and with Reshape and Tile only. */
static struct mo_value tile_fold(struct mo_build *b, const char *view, struct mo_value x, const int64_t *v,
                                 const int64_t *reps, int nv, const int64_t *o, int no)
{
    struct mo_value a = mo_build_reshape(b, view, x, v, nv, false);
    struct mo_value r = mo_build_i64(b, "repeats", reps, (size_t)nv);
    struct mo_value tl = mo_build_op(b, "Tile", "tile", 2, a, r);
    return mo_build_reshape(b, NULL, tl, o, no, false);
}

/* Nearest upsampling by an integer factor copies each pixel into an s x s
 * block: view x as (N, C, H, 1, W, 1), tile the unit axes, fold back. */
static enum mo_status upsample_nearest(struct mo_build *b, struct mo_value x, int64_t s)
{
    struct mo_shape in;
    if (!mo_value_static(x, &in) || in.rank != 4)
        return mo_mx_decline(b);
    int64_t v6[6] = {in.dims[0], in.dims[1], in.dims[2], 1, in.dims[3], 1};
    int64_t reps[6] = {1, 1, 1, s, 1, s};
    int64_t o4[4] = {in.dims[0], in.dims[1], in.dims[2] * s, in.dims[3] * s};
    return mo_build_done(b, tile_fold(b, "blocks", x, v6, reps, 6, o4, 4));
}

/* MXNet's bilinear UpSampling is a depthwise Deconvolution whose weights
 * come in as the second input: kernel 2s - s%2, stride s, pad ceil((s-1)/2),
 * num_group = num_filter, no bias. */
static enum mo_status upsample_bilinear(struct mo_build *b, const struct mo_node *fw, struct mo_value x,
                                        int64_t s)
{
    if (fw->n_inputs < 2)
        return mo_build_fail(b, "bilinear UpSampling needs its weight input");
    struct mo_value w = mo_build_in(b, 1, NULL);
    struct mo_shape in = mo_value_shape(x), ws;
    if (in.rank != 4 || in.dims[1] < 0 || !mo_value_static(w, &ws))
        return mo_mx_decline(b);
    int64_t c = in.dims[1];
    int64_t k = 2 * s - s % 2, p = s / 2;
    if (mo_node_get_int(fw, "num_filter", c, NULL) != c)
        return MO_ERR_DECLINED;
    if (ws.rank != 4 || ws.dims[0] != c || ws.dims[1] != 1 || ws.dims[2] != k || ws.dims[3] != k)
        return mo_build_fail(b, "bilinear UpSampling weight should be (%lld, 1, %lld, %lld)", (long long)c,
                             (long long)k, (long long)k);
    struct mo_value gw = mo_build_reshape(b, "weights", w, (const int64_t[]){c, 1, 1, k, k}, 5, false);
    struct mo_value d = mo_build_op(b, "GroupConvolutionBackpropData", NULL, 2, x, gw);
    mo_build_set_ints(b, d, "strides", (const int64_t[]){s, s}, 2);
    mo_build_set_ints(b, d, "pads_begin", (const int64_t[]){p, p}, 2);
    mo_build_set_ints(b, d, "pads_end", (const int64_t[]){p, p}, 2);
    mo_build_set_ints(b, d, "dilations", (const int64_t[]){1, 1}, 2);
    mo_build_set_ints(b, d, "output_padding", (const int64_t[]){0, 0}, 2);
    return mo_build_done(b, mo_build_set_str(b, d, "auto_pad", "explicit"));
}

static enum mo_status tr_upsampling(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    bool ok = true;
    int64_t s = mo_node_get_int(fw, "scale", 0, &ok);
    if (!ok || s < 1)
        return mo_build_fail(b, "UpSampling needs an integer scale >= 1");
    const char *type = mo_node_get_str(fw, "sample_type", "nearest");
    if (!strcmp(type, "bilinear"))
        return upsample_bilinear(b, fw, x, s);
    if (strcmp(type, "nearest"))
        return mo_build_fail(b, "unknown sample_type '%s'", type);
    /* several inputs are upsampled to a common size and concatenated or summed */
    if (mo_node_get_int(fw, "num_args", 1, NULL) != 1 || fw->n_inputs != 1)
        return mo_mx_decline(b);
    return upsample_nearest(b, x, s);
}

static enum mo_status tr_pad(struct mo_tctx *t, const struct mo_node *fw, void *user,
                             struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    int rank = mo_value_shape(x).rank;
    if (rank < 1)
        return mo_mx_decline(b);
    int64_t pw[2 * MO_MAX_RANK];
    int n = mo_node_get_ints(fw, "pad_width", pw, 2 * MO_MAX_RANK);
    if (n != 2 * rank)
        return mo_build_fail(b, "Pad: pad_width has %d values for an input of rank %d", n, rank);
    int64_t pb[MO_MAX_RANK], pe[MO_MAX_RANK];
    for (int i = 0; i < rank; i++) {
        pb[i] = pw[2 * i];
        pe[i] = pw[2 * i + 1];
        if (pb[i] < 0 || pe[i] < 0)
            return mo_build_fail(b, "Pad: negative pad_width");
    }
    const char *mode = mo_node_get_str(fw, "mode", "constant");
    bool constant = !strcmp(mode, "constant");
    if (!constant && strcmp(mode, "edge") && strcmp(mode, "reflect"))
        return mo_build_fail(b, "Pad: unknown mode '%s'", mode);
    struct mo_value cb = mo_build_i64(b, "pads_begin", pb, (size_t)rank);
    struct mo_value ce = mo_build_i64(b, "pads_end", pe, (size_t)rank);
    struct mo_value p;
    if (constant) {
        double v = mo_node_get_float(fw, "constant_value", 0.0, NULL);
        struct mo_value cv = mo_build_scalar(b, "pad_value", mo_value_et(x), v);
        p = mo_build_op(b, "Pad", NULL, 4, x, cb, ce, cv);
    } else {
        p = mo_build_op(b, "Pad", NULL, 3, x, cb, ce);
    }
    return mo_build_done(b, mo_build_set_str(b, p, "pad_mode", mode));
}

/* MXNet's tile follows numpy: short reps are padded with leading ones and
 * long ones promote the input, which is what the IR's Tile does too. */
static enum mo_status tr_tile(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    int64_t reps[MO_MAX_RANK];
    int n = mo_node_get_ints(fw, "reps", reps, MO_MAX_RANK);
    if (n < 0)
        return mo_build_fail(b, "tile needs reps");
    for (int i = 0; i < n; i++)
        if (reps[i] < 0)
            return mo_build_fail(b, "tile: negative reps");
    if (n == 0)
        return mo_build_done(b, x);
    struct mo_value r = mo_build_i64(b, "repeats", reps, (size_t)n);
    return mo_build_done(b, mo_build_op(b, "Tile", NULL, 2, x, r));
}

/* repeat copies each element `repeats` times along axis (the flattened
 * input when axis is None): add a unit axis after it, tile that, fold. */
static enum mo_status tr_repeat(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    struct mo_shape in;
    if (!mo_value_static(x, &in) || in.rank >= MO_MAX_RANK)
        return mo_mx_decline(b);
    bool ok = true;
    int64_t r = mo_node_get_int(fw, "repeats", 0, &ok);
    if (!ok || !mo_node_attr(fw, "repeats") || r < 0)
        return mo_build_fail(b, "repeat needs repeats >= 0");
    int a = 0;
    if (mo_mx_attr_none(fw, "axis"))
        in = mo_shape_of(mo_mx_prod(&in, 0, in.rank));
    else if (!mo_mx_axis(b, "axis", mo_node_get_int(fw, "axis", 0, NULL), in.rank, &a))
        return mo_build_status(b);
    int64_t v[MO_MAX_RANK], reps[MO_MAX_RANK], o[MO_MAX_RANK];
    for (int i = 0, k = 0; i <= in.rank; i++) {
        v[i] = i == a + 1 ? 1 : in.dims[k++];
        reps[i] = i == a + 1 ? r : 1;
    }
    for (int i = 0; i < in.rank; i++)
        o[i] = i == a ? in.dims[i] * r : in.dims[i];
    return mo_build_done(b, tile_fold(b, "unit_axis", x, v, reps, in.rank + 1, o, in.rank));
}

MO_MX_TABLE(mo_mx_tr_resize,
            {"UpSampling", tr_upsampling},
            {"Pad", tr_pad},
            {"pad", tr_pad},
            {"tile", tr_tile},
            {"repeat", tr_repeat});
