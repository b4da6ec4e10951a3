/* tr_conv.c - conv2d, depthwise_conv2d, conv3d and their transposes:
 * groups, dilations, EXPLICIT/SAME/VALID padding, channels-last layouts,
 * output_size / output_padding of the transposed ones. */
#include <config.h>

#include <string.h>

#include "paddle.h"

#define MAX_SP MO_PD_MAX_SPATIAL

/* Weights [O, I, k...] (or [I, O, ...] for transposed) split into groups:
 * [G, d0/G, d1, k...], as the group ops take them. */
static struct mo_value group_weights(struct mo_build *b, struct mo_value w, int64_t groups)
{
    struct mo_shape s = mo_value_shape(w);
    if (s.rank < 3 || !mo_shape_is_static(&s) || s.dims[0] % groups) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "filter shape does not split into %lld groups",
                       (long long)groups);
        return MO_NO_VALUE;
    }
    int64_t d[MO_MAX_RANK];
    d[0] = groups, d[1] = s.dims[0] / groups;
    for (int i = 1; i < s.rank; i++)
        d[i + 1] = s.dims[i];
    struct mo_shape ns = mo_shape_make(s.rank + 1, d);
    return mo_build_reshape_value(b, "weights", w, &ns);
}

/* An int list attribute of nsp values; one value stands for all. */
/* Paddle's SAME on a transposed conv of input x (NCHW...) whose spatial
 * dims are known at run time only: y, the output without pads, sliced to
 * [pb, pb + out) on each spatial axis, where with r = (in - 1) mod s + 1
 * the pads total sum = max(k - r, 0), pb = sum / 2, and out =
 * (in - 1) * s + k - sum. */
static struct mo_value same_crop_out(struct mo_build *b, struct mo_value x, struct mo_value y,
                                     const int64_t *s, const int64_t *k, int nsp)
{
    int64_t idx[MAX_SP], ones[MAX_SP], zeros[MAX_SP];
    for (int i = 0; i < nsp; i++)
        idx[i] = 2 + i, ones[i] = 1, zeros[i] = 0;
    x = mo_build_infer(b, x);
    struct mo_value in = mo_build_dims(b, "same/in", x, idx, nsp);
    struct mo_value one = mo_build_i64(b, "same/one", ones, (size_t)nsp);
    struct mo_value sv = mo_build_i64(b, "same/strides", s, (size_t)nsp);
    struct mo_value kv = mo_build_i64(b, "same/kernel", k, (size_t)nsp);
    struct mo_value zero = mo_build_i64(b, "same/zero", zeros, (size_t)nsp);
    struct mo_value two = mo_build_i64_scalar(b, "same/two", 2);
    struct mo_value in1 = mo_build_op(b, "Subtract", "same/in_1", 2, in, one);
    struct mo_value r = mo_build_op(b, "FloorMod", "same/mod", 2, in1, sv);
    r = mo_build_op(b, "Add", "same/r", 2, r, one);
    struct mo_value sum = mo_build_op(b, "Subtract", "same/k_r", 2, kv, r);
    sum = mo_build_op(b, "Maximum", "same/sum", 2, sum, zero);
    struct mo_value begin = mo_build_op(b, "Divide", "same/begin", 2, sum, two);
    struct mo_value full = mo_build_op(b, "Multiply", "same/in_s", 2, in1, sv);
    full = mo_build_op(b, "Add", "same/full", 2, full, kv);
    struct mo_value out = mo_build_op(b, "Subtract", "same/out", 2, full, sum);
    struct mo_value end = mo_build_op(b, "Add", "same/end", 2, begin, out);
    struct mo_value axes = mo_build_i64(b, "same/axes", idx, (size_t)nsp);
    return mo_build_op(b, "Slice", NULL, 5, y, begin, end, one, axes);
}

/* conv and its transpose (and their depthwise forms): the same
 * attributes; groups split the weights; the transposed one adds the
 * output padding. */
static enum mo_status conv(struct mo_tctx *t, const struct mo_node *fw, bool transposed,
                           struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "Input", 0);
    struct mo_value w = mo_pd_in(b, "Filter", 0);
    struct mo_shape ws = mo_value_shape(w);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (ws.rank != 4 && ws.rank != 5)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "a convolution filter of rank %d (4 or 5 expected)", ws.rank);
    int rank = ws.rank, nsp = rank - 2;
    /* conv3d_transpose says NCHW for its channels-first 5-D input */
    const char *df = mo_node_get_str(fw, "data_format", "NCHW");
    bool last = !strcmp(df, "NHWC") || !strcmp(df, "NDHWC");
    if (!last && strcmp(df, "NCHW") && strcmp(df, "NCDHW") && strcmp(df, "AnyLayout"))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "data_format '%s' is not supported", df);
    if (last)
        x = mo_build_to_nchw(b, NULL, x, rank);
    struct mo_shape xs = mo_value_shape(x);
    if (xs.rank >= 0 && xs.rank != rank)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "input of rank %d for a rank-%d filter",
                              xs.rank, rank);
    int64_t s[MAX_SP], d[MAX_SP], pb[MAX_SP], pe[MAX_SP];
    mo_pd_spatial_ints(b, "strides", s, nsp, 1);
    mo_pd_spatial_ints(b, "dilations", d, nsp, 1);
    if (!mo_pd_paddings(b, nsp, pb, pe))
        return mo_build_status(b);
    for (int i = 0; i < nsp; i++) {
        if (s[i] <= 0 || d[i] <= 0)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                  "strides and dilations must be positive");
    }
    const char *alg = mo_node_get_str(fw, "padding_algorithm", "EXPLICIT");
    bool same = !strcmp(alg, "SAME"), valid = !strcmp(alg, "VALID");
    if (!same && !valid && strcmp(alg, "EXPLICIT"))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "padding_algorithm '%s' is not EXPLICIT, SAME or VALID", alg);
    bool stat = xs.rank == rank;
    for (int i = 0; i < nsp && stat; i++)
        stat = xs.dims[2 + i] >= 0;
    const char *auto_pad = "explicit";
    if (valid) {
        for (int i = 0; i < nsp; i++)
            pb[i] = pe[i] = 0;
    } else if (same) {
        /* Paddle's SAME, also for the transposed op: the pads a forward
         * convolution of the input would take, out = ceil(in / s), the extra
         * one at the end, dilations reset to 1 */
        for (int i = 0; i < nsp; i++) {
            d[i] = 1;
            if (!stat)
                continue;
            int64_t in = xs.dims[2 + i], k = ws.dims[2 + i];
            int64_t sum = ((in + s[i] - 1) / s[i] - 1) * s[i] + k - in;
            sum = sum > 0 ? sum : 0;
            pb[i] = sum / 2, pe[i] = sum - sum / 2;
        }
        if (!stat && !transposed)
            auto_pad = "same_upper";
    }
    int64_t groups = mo_node_get_int(fw, "groups", 1, NULL);
    if (groups < 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "groups=%lld must be positive",
                              (long long)groups);
    if (groups > 1)
        w = group_weights(b, w, groups);
    static const char *const types[2][2] = {
        {"Convolution", "GroupConvolution"},
        {"ConvolutionBackpropData", "GroupConvolutionBackpropData"},
    };
    /* a transposed SAME conv without static dims: the full output (no pads),
     * cropped at run time to Paddle's pads (same_crop) */
    bool same_crop = transposed && same && !stat;
    if (same_crop)
        for (int i = 0; i < nsp; i++)
            pb[i] = pe[i] = 0;
    struct mo_value run_size = MO_NO_VALUE;
    int64_t op[MAX_SP] = {0}, osz[MAX_SP];
    if (transposed) {
        mo_pd_spatial_ints(b, "output_padding", op, nsp, 0);
        /* an explicit output_size fixes the extra rows/cols at the end */
        int no = mo_pd_ints(fw, "output_size", osz, MAX_SP);
        run_size = no <= 0 ? mo_pd_in_opt(b, "output_size", 0) : MO_NO_VALUE;
        if (run_size.node) {
            /* known at run time only: the largest output_padding Paddle
             * allows, then the rows and columns past output_size cut off
             * (output_padding only adds outputs at the end) */
            for (int i = 0; i < nsp; i++)
                op[i] = (s[i] > d[i] ? s[i] : d[i]) - 1;
        } else if (no > 0) {
            if (no != nsp)
                return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                      "output_size has %d values for %d spatial dims", no, nsp);
            if (!stat)
                return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                      "output_size needs static spatial input dims");
            for (int i = 0; i < nsp; i++) {
                int64_t base = (xs.dims[2 + i] - 1) * s[i] - pb[i] - pe[i] +
                               d[i] * (ws.dims[2 + i] - 1) + 1;
                op[i] = osz[i] - base;
                if (op[i] < 0 || op[i] >= (s[i] > d[i] ? s[i] : d[i]))
                    return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                          "output_size %lld is not reachable from input %lld "
                                          "(between %lld and %lld)",
                                          (long long)osz[i], (long long)xs.dims[2 + i],
                                          (long long)base,
                                          (long long)(base + (s[i] > d[i] ? s[i] : d[i]) - 1));
            }
        }
    }
    const char *type = types[transposed][groups > 1];
    struct mo_value y = mo_build_op(b, type, run_size.node || same_crop ? "deconv" : NULL, 2, x, w);
    mo_build_set_ints(b, y, "strides", s, (size_t)nsp);
    mo_build_set_ints(b, y, "dilations", d, (size_t)nsp);
    mo_build_set_ints(b, y, "pads_begin", pb, (size_t)nsp);
    mo_build_set_ints(b, y, "pads_end", pe, (size_t)nsp);
    mo_build_set_str(b, y, "auto_pad", auto_pad);
    if (transposed) {
        mo_build_set_ints(b, y, "output_padding", op, (size_t)nsp);
        if (run_size.node) {
            int64_t ax[MAX_SP], zero[MAX_SP] = {0}, one[MAX_SP] = {1, 1, 1};
            for (int i = 0; i < nsp; i++)
                ax[i] = 2 + i;
            struct mo_value stop = mo_pd_i64_vec(b, "output_size", run_size);
            struct mo_value c0 = mo_build_i64(b, "crop/start", zero, (size_t)nsp);
            struct mo_value c1 = mo_build_i64(b, "crop/step", one, (size_t)nsp);
            struct mo_value ca = mo_build_i64(b, "crop/axes", ax, (size_t)nsp);
            y = mo_build_op(b, "Slice", NULL, 5, y, c0, stop, c1, ca);
        } else if (same_crop) {
            y = same_crop_out(b, x, y, s, ws.dims + 2, nsp);
        }
    }
    if (last)
        y = mo_build_to_nhwc(b, NULL, y, rank);
    return mo_pd_set_out(b, "Output", y);
}

MO_PD_VARIANT(tr_conv, conv, false)
MO_PD_VARIANT(tr_conv_transpose, conv, true)

MO_PD_TABLE(mo_pd_tr_conv,
            {"conv2d", tr_conv},
            {"depthwise_conv2d", tr_conv},
            {"conv3d", tr_conv},
            {"conv2d_transpose", tr_conv_transpose},
            {"depthwise_conv2d_transpose", tr_conv_transpose},
            {"conv3d_transpose", tr_conv_transpose});
