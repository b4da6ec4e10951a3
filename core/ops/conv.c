/* conv.c - Convolution, GroupConvolution, their backprop-data forms,
 * DeformableConvolution (opset8) and Col2Im (opset15), its inverse
 * im2col step.
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

/* --- DeformableConvolution (opset8): data [N, C, H, W], offsets
 * [N, 2 * deformable_group * kH * kW, H_out, W_out], filters
 * [C_out, C / group, kH, kW], optional mask [N, deformable_group * kH * kW,
 * H_out, W_out]; the output size is Convolution's. */
static enum mo_status merge_into(struct mo_node *n, int64_t *v, int64_t d, const char *what,
                                 struct mo_error *err)
{
    int64_t m = mo_dim_merge(*v, d);
    if (m == -2)
        return mo_shape_error(n, err, "%s is %lld, expected %lld", what, (long long)d, (long long)*v);
    *v = m;
    return MO_OK;
}

static enum mo_status infer_deformable_conv(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), off = mo_in_shape(n, 1), w = mo_in_shape(n, 2);
    struct mo_shape mask = n->n_inputs > 3 ? mo_in_shape(n, 3) : mo_shape_unknown();
    const struct mo_shape *all[] = {&x, &off, &w, &mask};
    static const char *const names[] = {"data", "offsets", "filters", "mask"};
    for (unsigned i = 0; i < 4; i++)
        if (all[i]->rank >= 0 && all[i]->rank != 4)
            return mo_shape_error(n, err, "%s must have rank 4, got %d", names[i], all[i]->rank);
    int64_t group = mo_attr_int(n, "group"), dg = mo_attr_int(n, "deformable_group");
    if (group < 1 || dg < 1)
        return mo_shape_error(n, err, "group and deformable_group must be positive");
    struct spatial sp;
    enum mo_status st = read_spatial(n, 2, &sp, err);
    if (st != MO_OK)
        return st;
    struct mo_shape o = mo_shape_of(x.rank == 4 ? x.dims[0] : MO_DYN, w.rank == 4 ? w.dims[0] : MO_DYN,
                                    MO_DYN, MO_DYN);
    int64_t kern = MO_DYN;
    if (w.rank == 4) {
        kern = mo_dim_mul(w.dims[2], w.dims[3]);
        if (x.rank == 4 && x.dims[1] >= 0 && w.dims[1] >= 0 && x.dims[1] != group * w.dims[1])
            return mo_shape_error(n, err, "data has %lld channels, filters expect %lld groups of %lld",
                                  (long long)x.dims[1], (long long)group, (long long)w.dims[1]);
        if (x.rank == 4)
            for (int k = 0; k < 2; k++) {
                int64_t d = conv_out_dim(&sp, k, x.dims[2 + k], w.dims[2 + k]);
                if (d == -2)
                    return mo_shape_error(n, err, "the kernel (%lld) is larger than the padded input "
                                          "(%lld) in spatial dim %d", (long long)w.dims[2 + k],
                                          (long long)x.dims[2 + k], k);
                o.dims[2 + k] = d;
            }
    }
    for (unsigned i = 1; i < 4; i += 2) {
        const struct mo_shape *s = all[i];
        if (s->rank != 4)
            continue;
        int64_t per = i == 1 ? 2 * dg : dg, ch = mo_dim_mul(per, kern);
        if ((st = merge_into(n, &o.dims[0], s->dims[0], i == 1 ? "the offsets' batch" : "the mask's batch",
                             err)) != MO_OK ||
            (st = merge_into(n, &ch, s->dims[1], i == 1 ? "the offsets' channel count"
                                                         : "the mask's channel count", err)) != MO_OK ||
            (st = merge_into(n, &o.dims[2], s->dims[2], "an offsets/mask height", err)) != MO_OK ||
            (st = merge_into(n, &o.dims[3], s->dims[3], "an offsets/mask width", err)) != MO_OK)
            return st;
    }
    return mo_out_like_in0(n, &o);
}

static const struct mo_attr_spec deformable_attrs[] = {
    {"strides", MO_ATTR_INTS, NULL},
    {"dilations", MO_ATTR_INTS, NULL},
    {"pads_begin", MO_ATTR_INTS, NULL},
    {"pads_end", MO_ATTR_INTS, NULL},
    {"auto_pad", MO_ATTR_STRING, "explicit"},
    {"group", MO_ATTR_INT, "1"},
    {"deformable_group", MO_ATTR_INT, "1"},
    {"bilinear_interpolation_pad", MO_ATTR_BOOL, "false"},
};
static const struct mo_op_def op_deformable_conv = {
    "DeformableConvolution", "opset8", 3, 4, 1, deformable_attrs, MO_COUNT_OF(deformable_attrs),
    infer_deformable_conv, NULL};

/* --- Col2Im (opset15): data [N, C * kH * kW, L] or [C * kH * kW, L],
 * output_size [H, W], kernel_size [kH, kW] (both 1-D of 2); out
 * [N, C, H, W] or [C, H, W].  L must be the number of sliding blocks:
 * prod over the two dims of floor((out + pb + pe - d * (k - 1) - 1) / s) + 1. */
static enum mo_status infer_col2im(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    if (x.rank >= 0 && x.rank != 2 && x.rank != 3)
        return mo_shape_error(n, err, "data must have rank 2 or 3, got %d", x.rank);
    for (unsigned i = 1; i < 3; i++) {
        struct mo_shape s = mo_in_shape(n, i);
        if (s.rank >= 0 && (s.rank != 1 || (s.dims[0] >= 0 && s.dims[0] != 2)))
            return mo_shape_error(n, err, "%s must be 1-D with 2 values",
                                  i == 1 ? "output_size" : "kernel_size");
    }
    int64_t st_[2], dil[2], pb[2], pe[2], size[2] = {MO_DYN, MO_DYN}, k[2] = {MO_DYN, MO_DYN};
    struct { const char *name; int64_t *v; } at[] = {
        {"strides", st_}, {"dilations", dil}, {"pads_begin", pb}, {"pads_end", pe}};
    for (size_t i = 0; i < MO_COUNT_OF(at); i++)
        if (mo_attr_ints(n, at[i].name, at[i].v, 2) != 2)
            return mo_shape_error(n, err, "%s must have 2 values", at[i].name);
    if (st_[0] <= 0 || st_[1] <= 0 || dil[0] <= 0 || dil[1] <= 0)
        return mo_shape_error(n, err, "strides and dilations must be positive");
    int64_t v[2];
    if (mo_const_ints(n, 1, v, 2) == 2)
        memcpy(size, v, sizeof size);
    if (mo_const_ints(n, 2, v, 2) == 2) {
        if (v[0] <= 0 || v[1] <= 0)
            return mo_shape_error(n, err, "kernel_size must be positive");
        memcpy(k, v, sizeof k);
    }
    if (x.rank < 0) {
        struct mo_shape u = mo_shape_unknown();
        return mo_out_like_in0(n, &u);
    }
    int64_t cols = x.dims[x.rank - 2], blocks = x.dims[x.rank - 1], kprod = mo_dim_mul(k[0], k[1]);
    int64_t ch = MO_DYN;
    if (cols >= 0 && kprod > 0) {
        if (cols % kprod)
            return mo_shape_error(n, err, "%lld columns are not a multiple of the kernel's %lld",
                                  (long long)cols, (long long)kprod);
        ch = cols / kprod;
    }
    int64_t expect = 1;
    for (int i = 0; i < 2 && expect >= 0; i++) {
        if (size[i] < 0 || k[i] < 0) {
            expect = MO_DYN;
            break;
        }
        int64_t num = size[i] + pb[i] + pe[i] - dil[i] * (k[i] - 1) - 1;
        if (num < 0)
            return mo_shape_error(n, err, "the kernel does not fit output_size %lld in dim %d",
                                  (long long)size[i], i);
        expect *= num / st_[i] + 1;
    }
    if (expect >= 0 && blocks >= 0 && expect != blocks)
        return mo_shape_error(n, err, "data has %lld blocks, output_size and kernel_size give %lld",
                              (long long)blocks, (long long)expect);
    struct mo_shape o = x.rank == 3 ? mo_shape_of(x.dims[0], ch, size[0], size[1])
                                    : mo_shape_of(ch, size[0], size[1]);
    return mo_out_like_in0(n, &o);
}

static const struct mo_attr_spec col2im_attrs[] = {
    {"strides", MO_ATTR_INTS, "1,1"},
    {"dilations", MO_ATTR_INTS, "1,1"},
    {"pads_begin", MO_ATTR_INTS, "0,0"},
    {"pads_end", MO_ATTR_INTS, "0,0"},
};
static const struct mo_op_def op_col2im = {
    "Col2Im", "opset15", 3, 3, 1, col2im_attrs, MO_COUNT_OF(col2im_attrs), infer_col2im, NULL};

MO_OP_FAMILY(mo_ops_conv, &op_convolution, &op_group_convolution, &op_conv_backprop,
             &op_group_conv_backprop, &op_deformable_conv, &op_col2im);
