/* tr_nn.c - convolutions, pooling, batch norm, LRN, bias, matrix products
 * (Einsum too) and softmax: the layout-sensitive ops run in NCHW between a Transpose in and
 * a Transpose out (see tf.h); TensorFlow's padding SAME is the IR's
 * same_upper (the odd row at the end), VALID no padding, EXPLICIT the
 * explicit_paddings list (begin, end per dim in the data format's order). */
#include <config.h>

#include <string.h>

#include "tf.h"

/* Pads of a rank-`rank` op: auto_pad and, for EXPLICIT, pb/pe. */
static const char *padding(struct mo_build *b, int rank, int64_t *pb, int64_t *pe)
{
    const struct mo_node *fw = mo_build_fw(b);
    const char *p = mo_node_get_str(fw, "padding", "VALID");
    int nsp = rank - 2;
    for (int i = 0; i < nsp; i++)
        pb[i] = pe[i] = 0;
    if (!strcmp(p, "SAME"))
        return "same_upper";
    if (!strcmp(p, "VALID"))
        return "valid";
    if (!strcmp(p, "EXPLICIT")) {
        int64_t v[2 * MO_MAX_RANK];
        int n = mo_node_get_ints(fw, "explicit_paddings", v, 2 * MO_MAX_RANK);
        if (n != 2 * rank) {
            mo_build_fail(b, "explicit_paddings has %d values for a rank-%d input", n, rank);
            return "explicit";
        }
        int first = mo_tf_nhwc(b) ? 1 : 2;
        for (int i = 0; i < nsp; i++)
            pb[i] = v[2 * (first + i)], pe[i] = v[2 * (first + i) + 1];
        return "explicit";
    }
    mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "padding '%s' is not SAME, VALID or EXPLICIT", p);
    return "explicit";
}

static int filter_rank(struct mo_build *b, struct mo_value w)
{
    int r = mo_value_shape(w).rank;
    if (mo_build_ok(b) && r != 4 && r != 5)
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "a filter of rank %d (4 or 5 expected)", r);
    return r == 5 ? 5 : 4;
}

/* Conv2D, Conv3D: filter [k..., I, O] -> [O, I, k...]; a filter with fewer
 * input channels than the data has is a grouped convolution. */
static enum mo_status tr_conv(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value w = mo_build_in(b, 1, "filter");
    int rank = filter_rank(b, w), nsp = rank - 2;
    struct mo_value x = mo_tf_in_nchw(b, 0, "input", rank);
    int64_t s[MO_MAX_RANK], d[MO_MAX_RANK], pb[MO_MAX_RANK], pe[MO_MAX_RANK];
    mo_tf_spatial(b, "strides", rank, s);
    mo_tf_spatial(b, "dilations", rank, d);
    const char *ap = padding(b, rank, pb, pe);
    int64_t perm[MO_MAX_RANK] = {rank - 1, rank - 2};
    for (int i = 0; i < nsp; i++)
        perm[2 + i] = i;
    w = mo_build_transpose(b, "filter", w, perm, rank);
    struct mo_shape xs = mo_value_shape(mo_build_in(b, 0, "input")), ws = mo_value_shape(mo_build_in(b, 1, NULL));
    int64_t cin = xs.rank == rank ? xs.dims[mo_tf_nhwc(b) ? rank - 1 : 1] : -1;
    int64_t fin = ws.rank == rank ? ws.dims[rank - 2] : -1;
    const char *type = "Convolution";
    if (cin > 0 && fin > 0 && cin != fin) {
        if (cin % fin)
            return mo_build_fail(b, "the input's %lld channels do not split into groups of %lld",
                                 (long long)cin, (long long)fin);
        int64_t g = cin / fin, o = ws.dims[rank - 1];
        int64_t gd[MO_MAX_RANK + 1] = {g, o / g, fin};
        for (int i = 0; i < nsp; i++)
            gd[3 + i] = ws.dims[i];
        w = mo_build_reshape(b, "filter_groups", w, gd, rank + 1, false);
        type = "GroupConvolution";
    }
    struct mo_value y = mo_build_op(b, type, NULL, 2, x, w);
    mo_build_set_ints(b, y, "strides", s, (size_t)nsp);
    mo_build_set_ints(b, y, "dilations", d, (size_t)nsp);
    mo_build_set_ints(b, y, "pads_begin", pb, (size_t)nsp);
    mo_build_set_ints(b, y, "pads_end", pe, (size_t)nsp);
    mo_build_set_str(b, y, "auto_pad", ap);
    return mo_tf_out_nhwc(b, y, rank);
}

/* DepthwiseConv2dNative: filter [kh, kw, C, M] -> [C, M, 1, kh, kw]. */
static enum mo_status tr_depthwise(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_tf_in_nchw(b, 0, "input", 4);
    struct mo_value w = mo_build_in(b, 1, "filter");
    if (mo_build_ok(b) && mo_value_shape(w).rank != 4)
        return mo_build_fail(b, "a depthwise filter of rank %d (4 expected)", mo_value_shape(w).rank);
    int64_t s[2], d[2], pb[2], pe[2];
    mo_tf_spatial(b, "strides", 4, s);
    mo_tf_spatial(b, "dilations", 4, d);
    const char *ap = padding(b, 4, pb, pe);
    w = mo_build_transpose(b, "filter", w, (int64_t[]){2, 3, 0, 1}, 4);
    w = mo_build_unsqueeze(b, "filter_groups", w, (int64_t[]){2}, 1);
    struct mo_value y = mo_build_op(b, "GroupConvolution", NULL, 2, x, w);
    mo_build_set_ints(b, y, "strides", s, 2);
    mo_build_set_ints(b, y, "dilations", d, 2);
    mo_build_set_ints(b, y, "pads_begin", pb, 2);
    mo_build_set_ints(b, y, "pads_end", pe, 2);
    mo_build_set_str(b, y, "auto_pad", ap);
    return mo_tf_out_nhwc(b, y, 4);
}

/* Conv2DBackpropInput(input_sizes, filter [kh, kw, I, O], out_backprop):
 * ConvolutionBackpropData with weights [O, I, kh, kw].  With a constant
 * input_sizes and static spatial dims the pads are TensorFlow's own (those
 * of the forward convolution that input_sizes would go through: SAME puts
 * the odd one at the end) and output_padding makes up the rest; else the
 * spatial input_sizes become the op's output_shape. */
static enum mo_status tr_conv_bp(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value w = mo_build_in(b, 1, "filter");
    int rank = filter_rank(b, w), nsp = rank - 2;
    struct mo_shape ws = mo_value_shape(w), xs = mo_value_shape(mo_build_in(b, 2, "out_backprop"));
    struct mo_value x = mo_tf_in_nchw(b, 2, "out_backprop", rank);
    int64_t s[MO_MAX_RANK], d[MO_MAX_RANK], pb[MO_MAX_RANK], pe[MO_MAX_RANK], idx[MO_MAX_RANK];
    int64_t op[MO_MAX_RANK] = {0}, sizes[MO_MAX_RANK];
    mo_tf_spatial(b, "strides", rank, s);
    mo_tf_spatial(b, "dilations", rank, d);
    const char *ap = padding(b, rank, pb, pe);
    int64_t perm[MO_MAX_RANK] = {rank - 1, rank - 2};
    bool last = mo_tf_nhwc(b);
    for (int i = 0; i < nsp; i++)
        perm[2 + i] = i, idx[i] = last ? 1 + i : 2 + i;
    w = mo_build_transpose(b, "filter", w, perm, rank);
    bool known = mo_tf_const_ints(b, 0, sizes, MO_MAX_RANK) == rank && xs.rank == rank && ws.rank == rank;
    for (int i = 0; i < nsp && known; i++)
        known = xs.dims[idx[i]] > 0;
    struct mo_value y;
    if (known) {
        for (int i = 0; i < nsp; i++) {
            int64_t in = xs.dims[idx[i]], out = sizes[idx[i]], keff = (ws.dims[i] - 1) * d[i] + 1;
            if (!strcmp(ap, "same_upper")) {
                int64_t total = (in - 1) * s[i] + keff - out;
                total = total > 0 ? total : 0;
                pb[i] = total / 2, pe[i] = total - total / 2;
            }
            op[i] = out - ((in - 1) * s[i] + keff - pb[i] - pe[i]);
            if (op[i] < 0)
                return mo_build_fail(b, "input_sizes %lld cannot come from %lld rows", (long long)out,
                                     (long long)in);
        }
        y = mo_build_op(b, "ConvolutionBackpropData", NULL, 2, x, w);
        ap = "explicit";
    } else {
        struct mo_value sz = mo_tf_in_i64(b, 0, "input_sizes");
        struct mo_value ids = mo_build_i64(b, "spatial", idx, (size_t)nsp);
        struct mo_value osz = mo_build_gather(b, "output_shape", sz, ids, 0);
        y = mo_build_op(b, "ConvolutionBackpropData", NULL, 3, x, w, osz);
    }
    mo_build_set_ints(b, y, "strides", s, (size_t)nsp);
    mo_build_set_ints(b, y, "dilations", d, (size_t)nsp);
    mo_build_set_ints(b, y, "pads_begin", pb, (size_t)nsp);
    mo_build_set_ints(b, y, "pads_end", pe, (size_t)nsp);
    mo_build_set_str(b, y, "auto_pad", ap);
    mo_build_set_ints(b, y, "output_padding", op, (size_t)nsp);
    return mo_tf_out_nhwc(b, y, rank);
}

/* MaxPool, AvgPool (and their 3-D forms): ksize and strides per dim;
 * TensorFlow's average leaves the padding out of the count. */
static enum mo_status tr_pool(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    bool avg = user != NULL;
    struct mo_build *b = mo_build_begin(t, fw, err);
    int rank = strchr(fw->type, '3') ? 5 : 4, nsp = rank - 2;
    struct mo_value x = mo_tf_in_nchw(b, 0, "input", rank);
    int64_t k[MO_MAX_RANK], s[MO_MAX_RANK], pb[MO_MAX_RANK], pe[MO_MAX_RANK];
    mo_tf_spatial(b, "ksize", rank, k);
    mo_tf_spatial(b, "strides", rank, s);
    const char *ap = padding(b, rank, pb, pe);
    struct mo_value y = mo_build_op(b, avg ? "AvgPool" : "MaxPool", NULL, 1, x);
    mo_build_set_ints(b, y, "strides", s, (size_t)nsp);
    mo_build_set_ints(b, y, "kernel", k, (size_t)nsp);
    mo_build_set_ints(b, y, "pads_begin", pb, (size_t)nsp);
    mo_build_set_ints(b, y, "pads_end", pe, (size_t)nsp);
    mo_build_set_str(b, y, "auto_pad", ap);
    if (avg)
        mo_build_set_bool(b, y, "exclude-pad", true);
    return mo_tf_out_nhwc(b, y, rank);
}

/* FusedBatchNorm, V2, V3 at inference: BatchNormInference on the channels;
 * the batch mean and variance outputs (1, 2, and the reserve copies 3, 4)
 * are the given statistics. */
static enum mo_status tr_batch_norm(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    if (mo_node_get_bool(fw, "is_training", false, NULL))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "is_training is true; freeze the model in inference mode (training=False)");
    int rank = mo_value_shape(mo_build_in(b, 0, "x")).rank == 5 ? 5 : 4;
    struct mo_value x = mo_tf_in_nchw(b, 0, "x", rank);
    struct mo_value g = mo_build_in(b, 1, "scale"), be = mo_build_in(b, 2, "offset");
    struct mo_value m = mo_build_in(b, 3, "mean"), v = mo_build_in(b, 4, "variance");
    struct mo_value y = mo_build_op(b, "BatchNormInference", NULL, 5, x, g, be, m, v);
    mo_build_set_float(b, y, "epsilon", mo_node_get_float(fw, "epsilon", 1e-4, NULL));
    for (unsigned o = 1; o < fw->n_outputs && o < 5; o++)
        mo_build_output(b, o, o % 2 ? m : v);
    return mo_tf_out_nhwc(b, y, rank);
}

/* BiasAdd: the bias [C] on the channel dim; channels last is plain numpy
 * broadcasting, channels first needs trailing dims of size 1. */
static enum mo_status tr_bias_add(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "value"), bias = mo_build_in(b, 1, "bias");
    int rank = mo_value_shape(x).rank;
    if (mo_build_ok(b) && !mo_tf_nhwc(b) && rank > 2) {
        int64_t axes[MO_MAX_RANK];
        for (int i = 0; i < rank - 2; i++)
            axes[i] = 1 + i;
        bias = mo_build_unsqueeze(b, "bias", bias, axes, rank - 2);
    }
    return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, x, bias));
}

/* MatMul (transpose_a/b), BatchMatMul* (adj_x/y): the IR's MatMul. */
static enum mo_status tr_matmul(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    bool batch = user != NULL;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value a = mo_build_in(b, 0, "a"), c = mo_build_in(b, 1, "b");
    struct mo_value y = mo_build_op(b, "MatMul", NULL, 2, a, c);
    mo_build_set_bool(b, y, "transpose_a", mo_node_get_bool(fw, batch ? "adj_x" : "transpose_a", false, NULL));
    mo_build_set_bool(b, y, "transpose_b", mo_node_get_bool(fw, batch ? "adj_y" : "transpose_b", false, NULL));
    return mo_build_done(b, y);
}

/* Softmax, LogSoftmax: over the last dim. */
static enum mo_status tr_softmax(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "logits");
    int rank = mo_value_shape(x).rank;
    struct mo_value y = mo_build_op(b, user ? "LogSoftmax" : "Softmax", NULL, 1, x);
    return mo_build_done(b, mo_build_set_int(b, y, "axis", rank > 0 ? rank - 1 : -1));
}

/* Einsum: the IR's, equation as TensorFlow writes it. */
static enum mo_status tr_einsum(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value in[16];
    if (fw->n_inputs < 1 || fw->n_inputs > MO_COUNT_OF(in))
        return mo_build_fail(b, "%u inputs (1 to 16 supported)", fw->n_inputs);
    for (unsigned i = 0; i < fw->n_inputs; i++)
        in[i] = mo_build_in(b, i, "inputs");
    struct mo_value y = mo_build_opv(b, "Einsum", NULL, fw->n_inputs, in);
    return mo_build_done(b, mo_build_set_str(b, y, "equation", mo_node_get_str(fw, "equation", "")));
}

/* LRN over the last dim (TensorFlow's depth): the IR's LRN across the
 * channels of the NCHW form (the only one the CPU plugin runs), whose alpha
 * is divided by the window size where TensorFlow's is not. */
static enum mo_status tr_lrn(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_tf_in_nchw(b, 0, "input", 4);
    int64_t r = mo_node_get_int(fw, "depth_radius", 5, NULL), size = 2 * r + 1, axis = 1;
    struct mo_value ax = mo_build_i64(b, "axes", &axis, 1);
    struct mo_value y = mo_build_op(b, "LRN", NULL, 2, x, ax);
    mo_build_set_float(b, y, "alpha", mo_node_get_float(fw, "alpha", 1.0, NULL) * (double)size);
    mo_build_set_float(b, y, "beta", mo_node_get_float(fw, "beta", 0.5, NULL));
    mo_build_set_float(b, y, "bias", mo_node_get_float(fw, "bias", 1.0, NULL));
    return mo_tf_out_nhwc(b, mo_build_set_int(b, y, "size", size), 4);
}

static const char avg_tag;

MO_TF_TABLE(mo_tf_tr_nn,
            {"Conv2D", tr_conv, NULL},
            {"Conv3D", tr_conv, NULL},
            {"DepthwiseConv2dNative", tr_depthwise, NULL},
            {"Conv2DBackpropInput", tr_conv_bp, NULL},
            {"Conv3DBackpropInputV2", tr_conv_bp, NULL},
            {"MaxPool", tr_pool, NULL},
            {"MaxPool3D", tr_pool, NULL},
            {"AvgPool", tr_pool, &avg_tag},
            {"AvgPool3D", tr_pool, &avg_tag},
            {"FusedBatchNorm", tr_batch_norm, NULL},
            {"FusedBatchNormV2", tr_batch_norm, NULL},
            {"FusedBatchNormV3", tr_batch_norm, NULL},
            {"BiasAdd", tr_bias_add, NULL},
            {"MatMul", tr_matmul, NULL},
            {"BatchMatMul", tr_matmul, &avg_tag},
            {"BatchMatMulV2", tr_matmul, &avg_tag},
            {"BatchMatMulV3", tr_matmul, &avg_tag},
            {"Softmax", tr_softmax, NULL},
            {"LogSoftmax", tr_softmax, &avg_tag},
            {"Einsum", tr_einsum, NULL},
            {"LRN", tr_lrn, NULL},)
