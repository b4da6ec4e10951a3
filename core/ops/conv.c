/* conv.c - Convolution, GroupConvolution and their backprop-data forms.
 *
 * Output size follows the IR specification:
 *   explicit:   out = floor((in + pb + pe - d*(k-1) - 1) / s) + 1
 *   same_upper/same_lower: out = ceil(in / s)
 *   valid:      pads are 0.
 * Backprop data (transposed convolution):
 *   out = s*(in-1) + d*(k-1) + 1 - pb - pe + output_padding
 *   or, with an output_shape input, that shape. */
#include <config.h>

#include <string.h>

#include "ops.h"

static const struct mo_attr_spec conv_attrs[] = {
    {"strides", MO_ATTR_INTS, NULL},
    {"dilations", MO_ATTR_INTS, NULL},
    {"pads_begin", MO_ATTR_INTS, NULL},
    {"pads_end", MO_ATTR_INTS, NULL},
    {"auto_pad", MO_ATTR_STRING, "explicit"},
};

static const struct mo_attr_spec deconv_attrs[] = {
    {"strides", MO_ATTR_INTS, NULL},
    {"dilations", MO_ATTR_INTS, NULL},
    {"pads_begin", MO_ATTR_INTS, NULL},
    {"pads_end", MO_ATTR_INTS, NULL},
    {"auto_pad", MO_ATTR_STRING, "explicit"},
    {"output_padding", MO_ATTR_INTS, NULL},
};

struct spatial {
    int n;
    int64_t strides[MO_MAX_RANK], dil[MO_MAX_RANK], pb[MO_MAX_RANK], pe[MO_MAX_RANK];
    int64_t opad[MO_MAX_RANK];
    const char *auto_pad;
};

/* Read the spatial attributes, filling the optional ones with their IR defaults. */
static enum mo_status read_spatial(struct mo_node *n, int nsp, struct spatial *sp, struct mo_error *err)
{
    sp->n = nsp;
    sp->auto_pad = mo_attr_str(n, "auto_pad");
    struct { const char *name; int64_t *v; int64_t dflt; bool required; } rd[] = {
        {"strides", sp->strides, 1, true},   {"dilations", sp->dil, 1, true},
        {"pads_begin", sp->pb, 0, true},     {"pads_end", sp->pe, 0, true},
        {"output_padding", sp->opad, 0, false},
    };
    for (size_t i = 0; i < MO_COUNT_OF(rd); i++) {
        int c = mo_node_get_ints(n, rd[i].name, rd[i].v, MO_MAX_RANK);
        if (c < 0) {
            if (rd[i].required && strcmp(sp->auto_pad, "explicit") == 0 &&
                (!strcmp(rd[i].name, "pads_begin") || !strcmp(rd[i].name, "pads_end")))
                return mo_shape_error(n, err, "attribute %s is required", rd[i].name);
            for (int k = 0; k < nsp; k++)
                rd[i].v[k] = rd[i].dflt;
        } else if (c != nsp) {
            return mo_shape_error(n, err, "attribute %s has %d values for %d spatial dims",
                                  rd[i].name, c, nsp);
        }
    }
    for (int k = 0; k < nsp; k++)
        if (sp->strides[k] <= 0 || sp->dil[k] <= 0)
            return mo_shape_error(n, err, "strides and dilations must be positive");
    return MO_OK;
}

static int64_t conv_out_dim(const struct spatial *sp, int k, int64_t in, int64_t kernel)
{
    if (in < 0 || kernel < 0)
        return MO_DYN;
    if (!strcmp(sp->auto_pad, "same_upper") || !strcmp(sp->auto_pad, "same_lower"))
        return (in + sp->strides[k] - 1) / sp->strides[k];
    int64_t pb = sp->pb[k], pe = sp->pe[k];
    if (!strcmp(sp->auto_pad, "valid"))
        pb = pe = 0;
    int64_t eff = sp->dil[k] * (kernel - 1) + 1;
    int64_t num = in + pb + pe - eff;
    if (num < 0)
        return -2; /* reported by the caller */
    return num / sp->strides[k] + 1;
}

/* What both convolution forms check first: ranks, channel count, spatial
 * attributes; o gets batch and channel dims.  *unknown is set (and the
 * output made rank-unknown) when an input's rank is not known yet. */
static enum mo_status conv_prologue(struct mo_node *n, int w_spatial0, int64_t in_ch, int64_t out_ch,
                                    struct mo_shape *x, struct mo_shape *w, struct mo_shape *o,
                                    struct spatial *sp, bool *unknown, struct mo_error *err)
{
    *x = mo_in_shape(n, 0);
    *w = mo_in_shape(n, 1);
    *unknown = x->rank < 0 || w->rank < 0;
    if (*unknown) {
        struct mo_shape u = mo_shape_unknown();
        return mo_out_like_in0(n, &u);
    }
    int nsp = x->rank - 2;
    if (nsp < 1 || w->rank - w_spatial0 != nsp)
        return mo_shape_error(n, err, "data rank %d and filter rank %d do not fit", x->rank, w->rank);
    if (in_ch >= 0 && x->dims[1] >= 0 && x->dims[1] != in_ch)
        return mo_shape_error(n, err, "data has %lld channels, the filter expects %lld",
                              (long long)x->dims[1], (long long)in_ch);
    enum mo_status st = read_spatial(n, nsp, sp, err);
    if (st != MO_OK)
        return st;
    *o = (struct mo_shape){.rank = x->rank};
    o->dims[0] = x->dims[0];
    o->dims[1] = out_ch;
    return MO_OK;
}

/* Shared by both convolution forms: w_spatial0 is the index of the first
 * spatial dim in the filter, out_ch the output channel count. */
static enum mo_status infer_conv_common(struct mo_node *n, int w_spatial0, int64_t in_ch_expected,
                                        int64_t out_ch, struct mo_error *err)
{
    struct mo_shape x, w, o;
    struct spatial sp;
    bool unknown;
    enum mo_status st = conv_prologue(n, w_spatial0, in_ch_expected, out_ch, &x, &w, &o, &sp, &unknown, err);
    if (st != MO_OK || unknown)
        return st;
    int nsp = sp.n;
    for (int k = 0; k < nsp; k++) {
        int64_t d = conv_out_dim(&sp, k, x.dims[2 + k], w.dims[w_spatial0 + k]);
        if (d == -2)
            return mo_shape_error(n, err, "the kernel (%lld) is larger than the padded input (%lld) "
                                  "in spatial dim %d",
                                  (long long)w.dims[w_spatial0 + k], (long long)x.dims[2 + k], k);
        o.dims[2 + k] = d;
    }
    return mo_out_like_in0(n, &o);
}

static enum mo_status infer_convolution(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape w = mo_in_shape(n, 1);
    return infer_conv_common(n, 2, w.rank >= 2 ? w.dims[1] : MO_DYN,
                             w.rank >= 1 ? w.dims[0] : MO_DYN, err);
}

static enum mo_status infer_group_convolution(struct mo_node *n, struct mo_error *err)
{
    /* filter [G, O/G, C/G, k...] */
    struct mo_shape w = mo_in_shape(n, 1);
    int64_t in_ch = MO_DYN, out_ch = MO_DYN;
    if (w.rank >= 3 && w.dims[0] >= 0 && w.dims[1] >= 0 && w.dims[2] >= 0) {
        in_ch = w.dims[0] * w.dims[2];
        out_ch = w.dims[0] * w.dims[1];
    }
    return infer_conv_common(n, 3, in_ch, out_ch, err);
}

static enum mo_status infer_backprop_common(struct mo_node *n, int w_spatial0, int64_t in_ch,
                                            int64_t out_ch, struct mo_error *err)
{
    struct mo_shape x, w, o;
    struct spatial sp;
    bool unknown;
    enum mo_status st = conv_prologue(n, w_spatial0, in_ch, out_ch, &x, &w, &o, &sp, &unknown, err);
    if (st != MO_OK || unknown)
        return st;
    int nsp = sp.n;
    int64_t given[MO_MAX_RANK];
    int ng = n->n_inputs > 2 ? mo_const_ints(n, 2, given, MO_MAX_RANK) : -1;
    if (n->n_inputs > 2 && ng != nsp && ng >= 0)
        return mo_shape_error(n, err, "output_shape has %d values for %d spatial dims", ng, nsp);
    for (int k = 0; k < nsp; k++) {
        int64_t in = x.dims[2 + k], kern = w.dims[w_spatial0 + k];
        if (n->n_inputs > 2) {
            o.dims[2 + k] = ng == nsp ? given[k] : MO_DYN;
        } else if (in < 0 || kern < 0) {
            o.dims[2 + k] = MO_DYN;
        } else if (!strcmp(sp.auto_pad, "same_upper") || !strcmp(sp.auto_pad, "same_lower")) {
            o.dims[2 + k] = in * sp.strides[k];
        } else {
            int64_t pb = sp.pb[k], pe = sp.pe[k];
            if (!strcmp(sp.auto_pad, "valid"))
                pb = pe = 0;
            o.dims[2 + k] = sp.strides[k] * (in - 1) + sp.dil[k] * (kern - 1) + 1 - pb - pe + sp.opad[k];
            if (o.dims[2 + k] <= 0)
                return mo_shape_error(n, err, "pads make spatial dim %d empty", k);
        }
    }
    return mo_out_like_in0(n, &o);
}

static enum mo_status infer_conv_backprop(struct mo_node *n, struct mo_error *err)
{
    /* filter [C_in, C_out, k...] */
    struct mo_shape w = mo_in_shape(n, 1);
    return infer_backprop_common(n, 2, w.rank >= 1 ? w.dims[0] : MO_DYN,
                                 w.rank >= 2 ? w.dims[1] : MO_DYN, err);
}

static enum mo_status infer_group_conv_backprop(struct mo_node *n, struct mo_error *err)
{
    /* filter [G, C_in/G, C_out/G, k...] */
    struct mo_shape w = mo_in_shape(n, 1);
    int64_t in_ch = MO_DYN, out_ch = MO_DYN;
    if (w.rank >= 3 && w.dims[0] >= 0 && w.dims[1] >= 0 && w.dims[2] >= 0) {
        in_ch = w.dims[0] * w.dims[1];
        out_ch = w.dims[0] * w.dims[2];
    }
    return infer_backprop_common(n, 3, in_ch, out_ch, err);
}

static const struct mo_op_def op_convolution = {
    "Convolution", "opset1", 2, 2, 1, conv_attrs, MO_COUNT_OF(conv_attrs), infer_convolution, NULL};
static const struct mo_op_def op_group_convolution = {
    "GroupConvolution", "opset1", 2, 2, 1, conv_attrs, MO_COUNT_OF(conv_attrs),
    infer_group_convolution, NULL};
static const struct mo_op_def op_conv_backprop = {
    "ConvolutionBackpropData", "opset1", 2, 3, 1, deconv_attrs, MO_COUNT_OF(deconv_attrs),
    infer_conv_backprop, NULL};
static const struct mo_op_def op_group_conv_backprop = {
    "GroupConvolutionBackpropData", "opset1", 2, 3, 1, deconv_attrs, MO_COUNT_OF(deconv_attrs),
    infer_group_conv_backprop, NULL};

MO_OP_FAMILY(mo_ops_conv, &op_convolution, &op_group_convolution, &op_conv_backprop,
             &op_group_conv_backprop);
