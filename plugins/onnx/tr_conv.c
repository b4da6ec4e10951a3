/* tr_conv.c - Conv, ConvTranspose and ConvInteger (groups, dilations,
 * auto_pad, 1-D to 3-D). */
#include <config.h>

#include <string.h>

#include "onnx.h"

/* Weights [d0, d1, k...] split into groups: [G, d0/G, d1, k...], as the
 * group ops take them (d0 is O for Conv, I for ConvTranspose). */
static struct mo_value group_weights(struct mo_build *b, struct mo_value w, int64_t groups)
{
    struct mo_shape s = mo_value_shape(w);
    if (s.rank < 3 || s.rank >= MO_MAX_RANK || !mo_shape_is_static(&s) || s.dims[0] % groups) {
        mo_build_fail(b, "weights of shape rank %d do not split into %lld groups (static weights needed)",
                      s.rank, (long long)groups);
        return MO_NO_VALUE;
    }
    struct mo_shape ns = {s.rank + 1, {groups, s.dims[0] / groups}};
    for (int i = 1; i < s.rank; i++)
        ns.dims[i + 1] = s.dims[i];
    return mo_build_reshape_value(b, "weights", w, &ns);
}

/* Integers of attribute name, exactly sp of them (else fail b), or dflt
 * in each of the sp slots when the attribute is absent. */
static void spatial_attr(struct mo_build *b, const struct mo_node *fw, const char *name, int sp, int64_t dflt,
                         int64_t *out)
{
    for (int i = 0; i < sp; i++)
        out[i] = dflt;
    if (mo_node_attr(fw, name) && mo_node_get_ints(fw, name, out, MO_MAX_RANK) != sp)
        mo_build_fail(b, "%s has the wrong number of values for %d spatial dims", name, sp);
}

/* ConvTranspose's padding once output_shape or SAME_* fixes the output
 * size `out`: total = s*(in-1) + output_padding + (k-1)*d + 1 - out, the
 * odd unit at the end for SAME_UPPER and at the start otherwise (ONNX's
 * formula, which onnxruntime follows).  A negative total (the output is
 * larger than the kernel reaches) grows the output at the end, which the
 * IR says with output_padding.  Needs the input's spatial dims static;
 * false when they are not. */
static bool transposed_pads(struct mo_value x, struct mo_value w, const struct mo_node *fw, int sp, bool upper,
                            const int64_t *out, const int64_t *s, const int64_t *d, int64_t *op, int64_t *pb,
                            int64_t *pe)
{
    struct mo_shape xs = mo_value_shape(x), ws = mo_value_shape(w);
    int64_t k[MO_MAX_RANK];
    if (mo_node_get_ints(fw, "kernel_shape", k, MO_MAX_RANK) != sp) {
        if (ws.rank != sp + 2)
            return false;
        for (int i = 0; i < sp; i++)
            k[i] = ws.dims[2 + i];
    }
    if (xs.rank != sp + 2)
        return false;
    for (int i = 0; i < sp; i++)
        if (xs.dims[2 + i] < 0 || k[i] < 0)
            return false;
    for (int i = 0; i < sp; i++) {
        int64_t total = s[i] * (xs.dims[2 + i] - 1) + op[i] + (k[i] - 1) * d[i] + 1 - out[i];
        if (total < 0) {
            pb[i] = pe[i] = 0;
            op[i] -= total;
            continue;
        }
        pb[i] = upper ? total / 2 : total - total / 2;
        pe[i] = total - pb[i];
    }
    return true;
}

/* The convolution of x by w as the node's attributes say, without bias. */
static struct mo_value conv(struct mo_build *b, const struct mo_node *fw, struct mo_value x, struct mo_value w,
                            bool transposed, const char *sfx)
{
    if (!mo_build_ok(b))
        return MO_NO_VALUE;
    struct mo_value w0 = w;
    int wr = mo_value_shape(w).rank;
    if (wr < 3)
        return mo_build_fail(b, "weights have rank %d; %s needs rank 3 or more", wr, fw->type), MO_NO_VALUE;
    int sp = wr - 2;
    int64_t groups = mo_node_get_int(fw, "group", 1, NULL);
    if (groups < 1)
        return mo_build_fail(b, "group is %lld", (long long)groups), MO_NO_VALUE;
    if (groups > 1)
        w = group_weights(b, w, groups);
    static const char *const types[2][2] = {
        {"Convolution", "GroupConvolution"},
        {"ConvolutionBackpropData", "GroupConvolutionBackpropData"},
    };
    int64_t s[MO_MAX_RANK], d[MO_MAX_RANK], op[MO_MAX_RANK], out[MO_MAX_RANK + 2];
    spatial_attr(b, fw, "strides", sp, 1, s);
    spatial_attr(b, fw, "dilations", sp, 1, d);
    if (!transposed) {
        struct mo_value y = mo_build_op(b, types[0][groups > 1], sfx, 2, x, w);
        mo_build_set_ints(b, y, "strides", s, (size_t)sp);
        mo_build_set_ints(b, y, "dilations", d, (size_t)sp);
        return mo_ox_set_pads(b, y, sp);
    }
    spatial_attr(b, fw, "output_padding", sp, 0, op);
    const char *ap = mo_node_get_str(fw, "auto_pad", "NOTSET");
    bool same = !strcmp(ap, "SAME_UPPER") || !strcmp(ap, "SAME_LOWER");
    int n_out = mo_node_get_ints(fw, "output_shape", out, MO_MAX_RANK + 2);
    if (n_out == sp + 2)            /* some exporters give [N, C, spatial...] */
        memmove(out, out + 2, (size_t)sp * sizeof *out);
    else if (n_out >= 0 && n_out != sp)
        return mo_build_fail(b, "output_shape has %d values for %d spatial dims", n_out, sp), MO_NO_VALUE;
    struct mo_shape xs = mo_value_shape(x);
    bool given = n_out >= 0, upper = !strcmp(ap, "SAME_UPPER");
    if (!given && same && xs.rank == sp + 2) {
        n_out = sp;
        for (int i = 0; i < sp; i++)
            out[i] = xs.dims[2 + i] < 0 ? -1 : xs.dims[2 + i] * s[i];
    }
    int64_t pb[MO_MAX_RANK], pe[MO_MAX_RANK];
    if (n_out >= 0 && transposed_pads(x, w0, fw, sp, upper, out, s, d, op, pb, pe)) {
        struct mo_value y = mo_build_op(b, types[1][groups > 1], sfx, 2, x, w);
        mo_build_set_ints(b, y, "strides", s, (size_t)sp);
        mo_build_set_ints(b, y, "dilations", d, (size_t)sp);
        mo_build_set_ints(b, y, "pads_begin", pb, (size_t)sp);
        mo_build_set_ints(b, y, "pads_end", pe, (size_t)sp);
        mo_build_set_str(b, y, "auto_pad", "explicit");
        return mo_build_set_ints(b, y, "output_padding", op, (size_t)sp);
    }
    struct mo_value y;
    if (given || same) {
        /* dynamic input: the IR works the pads out from an output_shape
         * input (SAME_*: the input's dims times the strides).  Its
         * same_upper puts the odd unit at the start, as ONNX does but for
         * SAME_UPPER, which same_lower matches (measured in OpenVINO). */
        struct mo_value os;
        if (given) {
            os = mo_build_i64(b, "output_shape", out, (size_t)sp);
        } else {
            int64_t idx[MO_MAX_RANK];
            for (int i = 0; i < sp; i++)
                idx[i] = 2 + i;
            struct mo_value in_sp = mo_build_dims(b, "in_spatial", x, idx, sp);
            struct mo_value st = mo_build_i64(b, "strides", s, (size_t)sp);
            os = mo_build_op(b, "Multiply", "output_shape", 2, in_sp, st);
        }
        y = mo_build_op(b, types[1][groups > 1], sfx, 3, x, w, os);
        int64_t zero[MO_MAX_RANK] = {0};
        mo_build_set_ints(b, y, "pads_begin", zero, (size_t)sp);
        mo_build_set_ints(b, y, "pads_end", zero, (size_t)sp);
        mo_build_set_str(b, y, "auto_pad", upper ? "same_lower" : "same_upper");
    } else {
        y = mo_build_op(b, types[1][groups > 1], sfx, 2, x, w);
        mo_ox_set_pads(b, y, sp);
    }
    mo_build_set_ints(b, y, "strides", s, (size_t)sp);
    mo_build_set_ints(b, y, "dilations", d, (size_t)sp);
    return mo_build_set_ints(b, y, "output_padding", op, (size_t)sp);
}

/* Conv and ConvTranspose (user non-NULL), with the optional bias B [M]. */
static enum mo_status tr_conv(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value w = mo_build_in(b, 1, "W");
    struct mo_value bias = mo_build_in_opt(b, 2);
    struct mo_value y = conv(b, fw, x, w, user != NULL, bias.node ? "conv" : NULL);
    if (!bias.node)
        return mo_build_done(b, y);
    bias = mo_ox_per_channel(b, "bias", bias, mo_value_shape(w).rank);
    return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, y, bias));
}

/* ConvInteger: (x - x_zero_point) * (w - w_zero_point) summed in int32;
 * x's zero point is one value, w's one or one per output channel. */
static enum mo_status tr_conv_integer(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x");
    struct mo_value w = mo_build_in(b, 1, "w");
    struct mo_value xz = mo_build_in_opt(b, 2), wz = mo_build_in_opt(b, 3);
    int wr = mo_value_shape(w).rank;
    x = mo_build_convert(b, "x_i32", x, MO_ET_I32);
    w = mo_build_convert(b, "w_i32", w, MO_ET_I32);
    if (xz.node) {
        xz = mo_build_convert(b, "x_zero_point_i32", xz, MO_ET_I32);
        x = mo_build_op(b, "Subtract", "x_shifted", 2, x, xz);
    }
    if (wz.node) {
        /* one per output channel: [M] along dim 0 of the weights */
        struct mo_shape zs = mo_value_shape(wz);
        wz = mo_build_convert(b, "w_zero_point_i32", wz, MO_ET_I32);
        if (zs.rank == 1 && zs.dims[0] != 1 && wr > 1) {
            int64_t d[MO_MAX_RANK];
            for (int i = 0; i < wr; i++)
                d[i] = i ? 1 : -1;
            wz = mo_build_reshape(b, "w_zero_point_per_channel", wz, d, wr, false);
        }
        w = mo_build_op(b, "Subtract", "w_shifted", 2, w, wz);
    }
    w = mo_build_infer(b, w);      /* conv() reads the weights' rank and dims */
    return mo_build_done(b, conv(b, fw, x, w, false, NULL));
}

MO_OX_TABLE(mo_ox_tr_conv,
    {"Conv", 1, tr_conv, NULL},
    {"ConvTranspose", 1, tr_conv, "transposed"},
    {"ConvInteger", 10, tr_conv_integer, NULL},
)
