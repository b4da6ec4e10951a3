/* tr_resize.c - MXNet UpSampling (nearest, bilinear), Pad, tile, repeat. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "tr_util.h"

static enum mo_status nomem(struct mo_error *err)
{
    return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
}

/* Nearest upsampling by an integer factor copies each pixel into an s x s
 * block: view x as (N, C, H, 1, W, 1), tile the unit axes, fold back.  That
 * is exact and needs only Reshape and Tile. */
static enum mo_status upsample_nearest(struct mo_tctx *t, const struct mo_node *fw,
                                       struct mo_value x, int64_t s, struct mo_error *err)
{
    struct mo_shape in;
    if (!mo_mx_static(t, 0, &in) || in.rank != 4)
        return MO_ERR_DECLINED;
    int64_t v6[6] = {in.dims[0], in.dims[1], in.dims[2], 1, in.dims[3], 1};
    int64_t reps[6] = {1, 1, 1, s, 1, s};
    int64_t o4[4] = {in.dims[0], in.dims[1], in.dims[2] * s, in.dims[3] * s};
    struct mo_node *a = mo_mx_reshape(t, fw, "blocks", x, v6, 6, err);
    struct mo_node *r = a ? mo_mx_const_i64(t, fw, "repeats", reps, 6, err) : NULL;
    struct mo_node *tl = r ? mo_mx_op(t, "Tile", "tile", err, 2, mo_val(a, 0), mo_val(r, 0)) : NULL;
    struct mo_node *o = tl ? mo_mx_reshape(t, fw, NULL, mo_val(tl, 0), o4, 4, err) : NULL;
    return mo_mx_done(t, o, err);
}

/* MXNet's bilinear UpSampling is a depthwise Deconvolution whose weights
 * come in as the second input: kernel 2s - s%2, stride s, pad ceil((s-1)/2),
 * num_group = num_filter, no bias. */
static enum mo_status upsample_bilinear(struct mo_tctx *t, const struct mo_node *fw,
                                        struct mo_value x, int64_t s, struct mo_error *err)
{
    struct mo_value w;
    if (fw->n_inputs < 2)
        return mo_mx_bad(err, "bilinear UpSampling needs its weight input");
    enum mo_status st = mo_mx_input(t, fw, 1, &w, err);
    if (st)
        return st;
    struct mo_shape in = mo_mx_in_shape(t, 0), ws;
    if (in.rank != 4 || in.dims[1] < 0 || !mo_mx_static(t, 1, &ws))
        return MO_ERR_DECLINED;
    int64_t c = in.dims[1];
    int64_t nf = mo_node_get_int(fw, "num_filter", c, NULL);
    int64_t k = 2 * s - s % 2, p = s / 2;
    if (nf != c)
        return MO_ERR_DECLINED;
    if (ws.rank != 4 || ws.dims[0] != c || ws.dims[1] != 1 || ws.dims[2] != k || ws.dims[3] != k)
        return mo_mx_bad(err, "bilinear UpSampling weight should be (%lld, 1, %lld, %lld)",
                         (long long)c, (long long)k, (long long)k);
    int64_t g5[5] = {c, 1, 1, k, k};
    struct mo_node *gw = mo_mx_reshape(t, fw, "weights", w, g5, 5, err);
    struct mo_node *d = gw ? mo_mx_op(t, "GroupConvolutionBackpropData", NULL, err, 2, x, mo_val(gw, 0))
                           : NULL;
    if (!d)
        return mo_mx_status(err);
    int64_t strides[2] = {s, s}, pads[2] = {p, p}, dil[2] = {1, 1}, opad[2] = {0, 0};
    if (mo_node_set_ints(d, "strides", strides, 2) || mo_node_set_ints(d, "pads_begin", pads, 2) ||
        mo_node_set_ints(d, "pads_end", pads, 2) || mo_node_set_ints(d, "dilations", dil, 2) ||
        mo_node_set_ints(d, "output_padding", opad, 2) || mo_node_set_str(d, "auto_pad", "explicit"))
        return nomem(err);
    return mo_tctx_set_output(t, 0, mo_val(d, 0), err);
}

static enum mo_status tr_upsampling(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    (void)user;
    struct mo_value x;
    enum mo_status st = mo_mx_input(t, fw, 0, &x, err);
    if (st)
        return st;
    bool ok = true;
    int64_t s = mo_node_get_int(fw, "scale", 0, &ok);
    if (!ok || s < 1)
        return mo_mx_bad(err, "UpSampling needs an integer scale >= 1");
    const char *type = mo_node_get_str(fw, "sample_type", "nearest");
    if (!strcmp(type, "bilinear"))
        return upsample_bilinear(t, fw, x, s, err);
    if (strcmp(type, "nearest"))
        return mo_mx_bad(err, "unknown sample_type '%s'", type);
    /* several inputs are upsampled to a common size and concatenated or summed */
    if (mo_node_get_int(fw, "num_args", 1, NULL) != 1 || fw->n_inputs != 1)
        return MO_ERR_DECLINED;
    return upsample_nearest(t, fw, x, s, err);
}

static enum mo_status tr_pad(struct mo_tctx *t, const struct mo_node *fw, void *user,
                             struct mo_error *err)
{
    (void)user;
    struct mo_value x;
    enum mo_status st = mo_mx_input(t, fw, 0, &x, err);
    if (st)
        return st;
    int rank = mo_mx_in_shape(t, 0).rank;
    if (rank < 1)
        return MO_ERR_DECLINED;
    int64_t pw[2 * MO_MAX_RANK];
    int n = mo_node_get_ints(fw, "pad_width", pw, 2 * MO_MAX_RANK);
    if (n != 2 * rank)
        return mo_mx_bad(err, "Pad: pad_width has %d values for an input of rank %d", n, rank);
    int64_t b[MO_MAX_RANK], e[MO_MAX_RANK];
    for (int i = 0; i < rank; i++) {
        b[i] = pw[2 * i];
        e[i] = pw[2 * i + 1];
        if (b[i] < 0 || e[i] < 0)
            return mo_mx_bad(err, "Pad: negative pad_width");
    }
    const char *mode = mo_node_get_str(fw, "mode", "constant");
    if (strcmp(mode, "constant") && strcmp(mode, "edge") && strcmp(mode, "reflect"))
        return mo_mx_bad(err, "Pad: unknown mode '%s'", mode);
    struct mo_node *cb = mo_mx_const_i64(t, fw, "pads_begin", b, (size_t)rank, err);
    struct mo_node *ce = cb ? mo_mx_const_i64(t, fw, "pads_end", e, (size_t)rank, err) : NULL;
    if (!ce)
        return mo_mx_status(err);
    struct mo_node *p;
    if (!strcmp(mode, "constant")) {
        double v = mo_node_get_float(fw, "constant_value", 0.0, NULL);
        struct mo_node *cv = mo_mx_scalar(t, fw, "pad_value", mo_mx_in_et(t, 0), v, err);
        p = cv ? mo_mx_op(t, "Pad", NULL, err, 4, x, mo_val(cb, 0), mo_val(ce, 0), mo_val(cv, 0)) : NULL;
    } else {
        p = mo_mx_op(t, "Pad", NULL, err, 3, x, mo_val(cb, 0), mo_val(ce, 0));
    }
    if (!p)
        return mo_mx_status(err);
    if (mo_node_set_str(p, "pad_mode", mode))
        return nomem(err);
    return mo_tctx_set_output(t, 0, mo_val(p, 0), err);
}

/* MXNet's tile follows numpy: short reps are padded with leading ones and
 * long ones promote the input, which is what the IR's Tile does too. */
static enum mo_status tr_tile(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    (void)user;
    struct mo_value x;
    enum mo_status st = mo_mx_input(t, fw, 0, &x, err);
    if (st)
        return st;
    int64_t reps[MO_MAX_RANK];
    int n = mo_node_get_ints(fw, "reps", reps, MO_MAX_RANK);
    if (n < 0)
        return mo_mx_bad(err, "tile needs reps");
    for (int i = 0; i < n; i++)
        if (reps[i] < 0)
            return mo_mx_bad(err, "tile: negative reps");
    if (n == 0)
        return mo_tctx_set_output(t, 0, x, err);
    struct mo_node *r = mo_mx_const_i64(t, fw, "repeats", reps, (size_t)n, err);
    struct mo_node *tl = r ? mo_mx_op(t, "Tile", NULL, err, 2, x, mo_val(r, 0)) : NULL;
    return mo_mx_done(t, tl, err);
}

/* repeat copies each element `repeats` times along axis (the flattened
 * input when axis is None): add a unit axis after it, tile that, fold. */
static enum mo_status tr_repeat(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    (void)user;
    struct mo_value x;
    enum mo_status st = mo_mx_input(t, fw, 0, &x, err);
    if (st)
        return st;
    struct mo_shape in;
    if (!mo_mx_static(t, 0, &in) || in.rank >= MO_MAX_RANK)
        return MO_ERR_DECLINED;
    bool ok = true;
    int64_t r = mo_node_get_int(fw, "repeats", 0, &ok);
    if (!ok || !mo_node_attr(fw, "repeats") || r < 0)
        return mo_mx_bad(err, "repeat needs repeats >= 0");
    int a;
    if (mo_mx_attr_none(fw, "axis")) {
        int64_t n = mo_mx_prod(&in, 0, in.rank);
        in = mo_shape_of(n);
        a = 0;
    } else if ((st = mo_mx_axis_err("axis", mo_node_get_int(fw, "axis", 0, NULL), in.rank, &a, err))) {
        return st;
    }
    int64_t v[MO_MAX_RANK], reps[MO_MAX_RANK], o[MO_MAX_RANK];
    for (int i = 0, k = 0; i <= in.rank; i++) {
        v[i] = i == a + 1 ? 1 : in.dims[k++];
        reps[i] = i == a + 1 ? r : 1;
    }
    for (int i = 0; i < in.rank; i++)
        o[i] = i == a ? in.dims[i] * r : in.dims[i];
    struct mo_node *u = mo_mx_reshape(t, fw, "unit_axis", x, v, in.rank + 1, err);
    struct mo_node *c = u ? mo_mx_const_i64(t, fw, "repeats", reps, (size_t)in.rank + 1, err) : NULL;
    struct mo_node *tl = c ? mo_mx_op(t, "Tile", "tile", err, 2, mo_val(u, 0), mo_val(c, 0)) : NULL;
    struct mo_node *f = tl ? mo_mx_reshape(t, fw, NULL, mo_val(tl, 0), o, in.rank, err) : NULL;
    return mo_mx_done(t, f, err);
}

MO_MX_TABLE(mo_mx_tr_resize,
            {"UpSampling", tr_upsampling},
            {"Pad", tr_pad},
            {"pad", tr_pad},
            {"tile", tr_tile},
            {"repeat", tr_repeat});
