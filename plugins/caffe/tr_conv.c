/* tr_conv.c - Caffe Convolution, Deconvolution, Pooling and InnerProduct.
 *
 * ROIPooling (Fast R-CNN) is the IR's, whose max method rounds ROIs to
 * whole cells as Caffe does.
 * Caffe's weights are [O, C/g, k...] for Convolution and [C, O/g, k...]
 * for Deconvolution; grouped ones are split to the IR's [g, ...] form.
 * Pooling always rounds up and then drops a last window that would start
 * in the end padding: the IR's ceil_torch (opset14).  AVE counts the
 * padding inside pad in its divisor, not the part of a last window that
 * hangs past it: AvgPool with exclude-pad false, whose windows are clipped
 * to the padded input. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "caffe.h"

struct window {
    int nsp;
    int64_t kernel[MO_MAX_RANK], stride[MO_MAX_RANK], pad[MO_MAX_RANK], dil[MO_MAX_RANK];
};

static void read_window(struct mo_build *b, int nsp, struct window *w)
{
    w->nsp = nsp;
    mo_cf_spatial(b, "kernel_size", "kernel", nsp, 0, w->kernel);
    mo_cf_spatial(b, "stride", "stride", nsp, 1, w->stride);
    mo_cf_spatial(b, "pad", "pad", nsp, 0, w->pad);
    mo_cf_spatial(b, "dilation", "dilation", nsp, 1, w->dil);
    for (int i = 0; i < nsp; i++)
        if (w->kernel[i] <= 0 || w->stride[i] <= 0 || w->dil[i] <= 0) {
            mo_build_fail(b, "kernel, stride and dilation must be positive (set kernel_size)");
            return;
        }
}

static struct mo_value set_window(struct mo_build *b, struct mo_value y, const struct window *w, bool dil)
{
    size_t n = (size_t)w->nsp;
    mo_build_set_ints(b, y, "strides", w->stride, n);
    mo_build_set_ints(b, y, "pads_begin", w->pad, n);
    mo_build_set_ints(b, y, "pads_end", w->pad, n);
    if (dil)
        mo_build_set_ints(b, y, "dilations", w->dil, n);
    return mo_build_set_str(b, y, "auto_pad", "explicit");
}

/* y + blob 1 (O values), along axis 1 of a rank-`rank` y (-1: its last). */
static struct mo_value add_bias(struct mo_build *b, struct mo_value y, int64_t O, int rank)
{
    struct mo_value bv = mo_cf_blob(b, 1, "bias");
    struct mo_shape bs = mo_value_shape(bv);
    if (mo_build_ok(b) && mo_shape_numel(&bs) != O) {
        mo_build_error(b, MO_ERR_SHAPE, 2, "bias (blob 1) has %lld values for num_output %lld",
                       (long long)mo_shape_numel(&bs), (long long)O);
        return MO_NO_VALUE;
    }
    struct mo_shape one = mo_shape_make(1, &O);
    bv = mo_build_reshape_value(b, "bias", bv, &one);
    if (rank >= 0)
        bv = mo_cf_along(b, "bias/along", bv, 1, rank);
    return mo_build_op(b, "Add", NULL, 2, y, bv);
}

/* user: non-NULL for Deconvolution. */
static enum mo_status tr_conv(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    bool deconv = user != NULL;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value w = mo_cf_blob(b, 0, "weights");
    struct mo_shape xs = mo_value_shape(x), ws = mo_value_shape(w);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (mo_node_get_int(fw, "axis", 1, NULL) != 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "axis other than 1 is not supported");
    if (xs.rank < 3 || xs.dims[1] <= 0)
        return mo_build_error(b, MO_ERR_SHAPE, 0, "needs an input of rank 3 or more with known channels; give --input_shape");
    int nsp = xs.rank - 2;
    struct window win;
    read_window(b, nsp, &win);
    int64_t O = mo_node_get_int(fw, "num_output", 0, NULL), g = mo_node_get_int(fw, "group", 1, NULL);
    int64_t C = xs.dims[1];
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (O <= 0 || g <= 0 || C % g || O % g)
        return mo_build_fail(b, "num_output %lld, group %lld and %lld input channels do not fit (set num_output; "
                                "both must divide by group)", (long long)O, (long long)g, (long long)C);
    /* the IR's filter layout, and Caffe's element count check */
    struct mo_shape fs;
    int64_t a = deconv ? C : O, c = deconv ? O / g : C / g, need;
    bool big = __builtin_mul_overflow(a, c, &need);
    for (int i = 0; i < nsp; i++)
        big |= __builtin_mul_overflow(need, win.kernel[i], &need);
    if (big || mo_shape_numel(&ws) != need) {
        char s[128];
        return mo_build_error(b, MO_ERR_SHAPE, 2,
                              "weights (blob 0) have shape [%s], but num_output %lld, %lld input channels, group "
                              "%lld and the kernel need %lld values: the caffemodel does not match the prototxt",
                              mo_shape_str(&ws, s, sizeof s), (long long)O, (long long)C, (long long)g,
                              big ? -1LL : (long long)need);
    }
    if (g == 1) {
        fs.rank = nsp + 2;
        fs.dims[0] = a;
        fs.dims[1] = deconv ? O : C;
    } else {
        fs.rank = nsp + 3;
        fs.dims[0] = g;
        fs.dims[1] = deconv ? C / g : O / g;
        fs.dims[2] = deconv ? O / g : C / g;
    }
    for (int i = 0; i < nsp; i++)
        fs.dims[fs.rank - nsp + i] = win.kernel[i];
    struct mo_value f = mo_build_reshape_value(b, "weights", w, &fs);
    static const char *const types[2][2] = {{"Convolution", "GroupConvolution"},
                                            {"ConvolutionBackpropData", "GroupConvolutionBackpropData"}};
    bool bias = mo_node_get_bool(fw, "bias_term", true, NULL);
    struct mo_value y = mo_build_op(b, types[deconv][g > 1], bias ? "conv" : NULL, 2, x, f);
    set_window(b, y, &win, true);
    if (deconv) {
        int64_t zero[MO_MAX_RANK] = {0};
        mo_build_set_ints(b, y, "output_padding", zero, (size_t)nsp);
    }
    return mo_build_done(b, bias ? add_bias(b, y, O, xs.rank) : y);
}

static enum mo_status tr_pooling(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_shape xs = mo_value_shape(x);
    const char *pool = mo_node_get_str(fw, "pool", "MAX");
    bool max = !strcmp(pool, "MAX");
    if (!max && strcmp(pool, "AVE"))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "pool %s is not supported (MAX and AVE are)", pool);
    if (xs.rank < 3)
        return mo_build_error(b, MO_ERR_SHAPE, 0, "needs an input of rank 3 or more; give --input_shape");
    int nsp = xs.rank - 2;
    if (mo_node_get_bool(fw, "global_pooling", false, NULL)) {
        int64_t axes[MO_MAX_RANK];
        for (int i = 0; i < nsp; i++)
            axes[i] = 2 + i;
        struct mo_value ax = mo_build_i64(b, "axes", axes, (size_t)nsp);
        struct mo_value y = mo_build_op(b, max ? "ReduceMax" : "ReduceMean", NULL, 2, x, ax);
        return mo_build_done(b, mo_build_set_bool(b, y, "keep_dims", true));
    }
    struct window win;
    read_window(b, nsp, &win);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_value y = mo_build_op(b, max ? "MaxPool-14" : "AvgPool-14", NULL, 1, x);
    set_window(b, y, &win, false);
    mo_build_set_ints(b, y, "kernel", win.kernel, (size_t)nsp);
    mo_build_set_str(b, y, "rounding_type", "ceil_torch");
    if (max) {
        mo_build_set_ints(b, y, "dilations", win.dil, (size_t)nsp);
        mo_build_set_str(b, y, "index_element_type", "i64");
    } else {
        mo_build_set_bool(b, y, "exclude-pad", false);
    }
    return mo_build_done(b, y);
}

/* y = x W^T + b over the axes from `axis` on, flattened; transpose: W is
 * stored [K, O]. */
static enum mo_status tr_inner_product(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value w = mo_cf_blob(b, 0, "weights");
    struct mo_shape xs = mo_value_shape(x), ws = mo_value_shape(w);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int axis = mo_cf_axis(b, mo_node_get_int(fw, "axis", 1, NULL), xs.rank);
    int64_t O = mo_node_get_int(fw, "num_output", 0, NULL);
    bool tr = mo_node_get_bool(fw, "transpose", false, NULL);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (!mo_shape_is_static(&xs))
        return mo_build_error(b, MO_ERR_SHAPE, 0, "needs a static input shape; give --input_shape");
    int64_t K = mo_cf_prod(b, &xs, axis, xs.rank);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int64_t OK = 0;
    if (O <= 0 || __builtin_mul_overflow(O, K, &OK) || mo_shape_numel(&ws) != OK) {
        char s[128];
        return mo_build_error(b, MO_ERR_SHAPE, 2,
                              "weights (blob 0) have shape [%s], but num_output %lld and %lld inputs need %lld values: "
                              "the caffemodel does not match the prototxt",
                              mo_shape_str(&ws, s, sizeof s), (long long)O, (long long)K, (long long)OK);
    }
    int64_t dims[MO_MAX_RANK];
    for (int i = 0; i < axis; i++)
        dims[i] = 0;
    dims[axis] = -1;
    if (xs.rank != axis + 1)
        x = mo_build_reshape(b, "flatten", x, dims, axis + 1, true);
    struct mo_shape w2 = mo_shape_make(2, tr ? (int64_t[]){K, O} : (int64_t[]){O, K});
    struct mo_value wm = mo_build_reshape_value(b, "weights", w, &w2);
    bool bias = mo_node_get_bool(fw, "bias_term", true, NULL);
    struct mo_value y = mo_build_op(b, "MatMul", bias ? "matmul" : NULL, 2, x, wm);
    mo_build_set_bool(b, y, "transpose_b", !tr);
    return mo_build_done(b, bias ? add_bias(b, y, O, -1) : y);
}

/* bottoms: the feature map and the ROIs [R, 5] (batch index, x1, y1, x2, y2) */
static enum mo_status tr_roi_pooling(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value rois = mo_build_in(b, 1, "rois");
    int64_t ph = mo_node_get_int(fw, "pooled_h", 0, NULL), pw = mo_node_get_int(fw, "pooled_w", 0, NULL);
    if (ph <= 0 || pw <= 0)
        return mo_build_fail(b, "pooled_h and pooled_w must be positive");
    struct mo_shape rs = mo_value_shape(rois);
    if (mo_build_ok(b) && rs.rank == 4)
        rois = mo_build_reshape(b, "rois", rois, (int64_t[]){-1, 5}, 2, false);
    struct mo_value y = mo_build_op(b, "ROIPooling", NULL, 2, x, rois);
    mo_build_set_int(b, y, "pooled_h", ph);
    mo_build_set_int(b, y, "pooled_w", pw);
    mo_build_set_float(b, y, "spatial_scale", mo_node_get_float(fw, "spatial_scale", 1, NULL));
    return mo_build_done(b, mo_build_set_str(b, y, "method", "max"));
}

MO_CF_TABLE(mo_cf_tr_conv,
            {"Convolution", tr_conv, NULL},
            {"Deconvolution", tr_conv, "deconv"},
            {"Pooling", tr_pooling, NULL},
            {"InnerProduct", tr_inner_product, NULL},
            {"ROIPooling", tr_roi_pooling, NULL});
