/* tr_conv.c - MXNet Convolution, Deconvolution and FullyConnected translators.
 *
 * Layout: MXNet's default (NCW/NCHW/NCDHW) only; channels-last layouts are
 * GPU-only in MXNet and refused.  Weights: Convolution [O, C/g, k...],
 * Deconvolution [C, O/g, k...], FullyConnected [num_hidden, K]. */
#include <config.h>

#include <string.h>

#include "tr_util.h"

/* Channels-first layouts only (the IR's convolutions are NC...). */
static void check_layout(struct mo_build *b, const struct mo_node *fw)
{
    const char *l = mo_node_get_str(fw, "layout", NULL);
    if (l && strcmp(l, "None") && strncmp(l, "NC", 2))
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                       "layout %s is not supported (MXNet runs it on GPUs only); use NCHW", l);
}

/* bias [C] -> [1,C,1,...] added to v (rank of the output). */
static struct mo_value add_channel_bias(struct mo_build *b, struct mo_value v, struct mo_value bias,
                                        int64_t channels, int rank)
{
    struct mo_shape bs = {.rank = rank};
    for (int i = 0; i < rank; i++)
        bs.dims[i] = 1;
    bs.dims[1] = channels;
    struct mo_value bv = mo_build_reshape_value(b, "bias", bias, &bs);
    return mo_build_op(b, "Add", NULL, 2, v, bv);
}

/* Shared by Convolution and Deconvolution: read the spatial attributes. */
struct conv_attrs {
    int nsp;
    int64_t kernel[MO_MAX_RANK], stride[MO_MAX_RANK], dilate[MO_MAX_RANK], pad[MO_MAX_RANK];
    int64_t adj[MO_MAX_RANK], target[MO_MAX_RANK];
    int64_t num_filter, num_group;
    bool no_bias, has_target;
};

/* Fails b on a bad attribute; a is complete when b is still ok. */
static void read_conv(struct mo_build *b, const struct mo_node *fw, bool deconv, struct conv_attrs *a)
{
    check_layout(b, fw);
    if (!mo_build_ok(b))
        return;
    int64_t k[MO_MAX_RANK];
    a->nsp = mo_node_get_ints(fw, "kernel", k, MO_MAX_RANK);
    if (a->nsp < 1 || a->nsp > 3) {
        mo_build_error(b, MO_ERR_FORMAT, 2, "attribute kernel is missing or not 1-3 values");
        return;
    }
    memcpy(a->kernel, k, sizeof(int64_t) * (size_t)a->nsp);
    if (!mo_mx_tuple(b, "stride", a->nsp, 1, a->stride) || !mo_mx_tuple(b, "dilate", a->nsp, 1, a->dilate) ||
        !mo_mx_tuple(b, "pad", a->nsp, 0, a->pad) || !mo_mx_tuple(b, "adj", a->nsp, 0, a->adj) ||
        !mo_mx_tuple(b, "target_shape", a->nsp, 0, a->target))
        return;
    a->has_target = false;
    for (int i = 0; i < a->nsp; i++)
        a->has_target |= a->target[i] != 0;
    bool ok = true;
    a->num_filter = mo_node_get_int(fw, "num_filter", -1, &ok);
    if (!ok || a->num_filter <= 0) {
        mo_build_error(b, MO_ERR_FORMAT, 2, "attribute num_filter is missing or not positive");
        return;
    }
    a->num_group = mo_node_get_int(fw, "num_group", 1, NULL);
    if (a->num_group < 1 || a->num_filter % a->num_group) {
        mo_build_error(b, MO_ERR_FORMAT, 2, "num_group %lld does not divide num_filter %lld",
                       (long long)a->num_group, (long long)a->num_filter);
        return;
    }
    /* MXNet's Deconvolution has no bias unless asked; Convolution has one */
    a->no_bias = mo_node_get_bool(fw, "no_bias", deconv, NULL);
}

/* The layer's data and weight inputs, with the data's rank checked against
 * the kernel (x's shape in *xs). */
static void conv_inputs(struct mo_build *b, const struct conv_attrs *a, struct mo_value *x,
                        struct mo_value *w, struct mo_shape *xs)
{
    *x = mo_build_in(b, 0, "data");
    *w = mo_build_in(b, 1, "weight");
    *xs = mo_value_shape(*x);
    if (xs->rank >= 0 && xs->rank != 2 + a->nsp)
        mo_build_error(b, MO_ERR_SHAPE, 0, "data has rank %d but the kernel has %d dims", xs->rank, a->nsp);
}

/* Weight shape as the layer expects it (C/g or O/g unknown: -1). */
static void check_weight(struct mo_build *b, struct mo_value w, const struct conv_attrs *a, int64_t d0,
                         int64_t d1)
{
    struct mo_shape s = mo_value_shape(w);
    if (s.rank < 0)
        return;
    bool ok = s.rank == 2 + a->nsp && (d0 < 0 || s.dims[0] == d0) && (d1 < 0 || s.dims[1] == d1);
    for (int i = 0; ok && i < a->nsp; i++)
        ok = s.dims[2 + i] == a->kernel[i];
    if (ok)
        return;
    char got[96], want[128];
    struct mo_shape need = {.rank = 2 + a->nsp};
    need.dims[0] = d0;
    need.dims[1] = d1;
    for (int i = 0; i < a->nsp; i++)
        need.dims[2 + i] = a->kernel[i];
    mo_build_error(b, MO_ERR_SHAPE, 0, "weight '%s' has shape [%s] but the layer's attributes need [%s]",
                   w.node->name, mo_shape_str(&s, got, sizeof got), mo_shape_str(&need, want, sizeof want));
}

/* The weight of a (de)convolution: grouped, [A, B, k...] -> [g, A/g, B, k...];
 * `what` names the layer in the error. */
static struct mo_value conv_weight(struct mo_build *b, struct mo_value w, const struct conv_attrs *a,
                                   const char *what)
{
    if (a->num_group == 1 || !mo_build_ok(b))
        return w;
    struct mo_shape ws = mo_value_shape(w);
    if (!mo_shape_is_static(&ws)) {
        mo_build_error(b, MO_ERR_SHAPE, 0, "grouped %s needs a weight of known shape", what);
        return MO_NO_VALUE;
    }
    struct mo_shape gs = {.rank = ws.rank + 1};
    gs.dims[0] = a->num_group;
    gs.dims[1] = ws.dims[0] / a->num_group;
    for (int i = 1; i < ws.rank; i++)
        gs.dims[i + 1] = ws.dims[i];
    return mo_build_reshape_value(b, "weight", w, &gs);
}

/* The layer's output: c itself without bias, else c plus input 2. */
static enum mo_status finish_bias(struct mo_build *b, const struct conv_attrs *a, struct mo_value c)
{
    if (a->no_bias)
        return mo_build_done(b, c);
    struct mo_value bias = mo_build_in(b, 2, "bias");
    return mo_build_done(b, add_channel_bias(b, c, bias, a->num_filter, 2 + a->nsp));
}

static enum mo_status tr_convolution(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                     struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct conv_attrs a;
    read_conv(b, fw, false, &a);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_value x, w;
    struct mo_shape xs;
    conv_inputs(b, &a, &x, &w, &xs);
    int64_t cin = xs.rank > 1 && xs.dims[1] >= 0 ? xs.dims[1] / a.num_group : -1;
    check_weight(b, w, &a, a.num_filter, cin);
    /* grouped: [O, C/g, k...] -> [g, O/g, C/g, k...] */
    struct mo_value wv = conv_weight(b, w, &a, "convolution");
    const char *type = a.num_group > 1 ? "GroupConvolution" : "Convolution";
    struct mo_value c = mo_build_op(b, type, a.no_bias ? NULL : "conv", 2, x, wv);
    size_t n = (size_t)a.nsp;
    mo_build_set_ints(b, c, "strides", a.stride, n);
    mo_build_set_ints(b, c, "dilations", a.dilate, n);
    mo_build_set_ints(b, c, "pads_begin", a.pad, n);
    mo_build_set_ints(b, c, "pads_end", a.pad, n);
    mo_build_set_str(b, c, "auto_pad", "explicit");
    return finish_bias(b, &a, c);
}

static enum mo_status tr_deconvolution(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                       struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct conv_attrs a;
    read_conv(b, fw, true, &a);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_value x, w;
    struct mo_shape xs;
    conv_inputs(b, &a, &x, &w, &xs);
    check_weight(b, w, &a, xs.rank > 1 ? xs.dims[1] : -1, a.num_filter / a.num_group);
    int64_t pb[MO_MAX_RANK], pe[MO_MAX_RANK], opad[MO_MAX_RANK];
    for (int i = 0; i < a.nsp && mo_build_ok(b); i++) {
        pb[i] = pe[i] = a.pad[i];
        opad[i] = a.adj[i];
        if (a.has_target) {
            /* MXNet derives symmetric pads and an adjustment from target_shape */
            int64_t in = xs.rank > 0 ? xs.dims[2 + i] : -1;
            if (in < 0)
                return mo_build_error(b, MO_ERR_SHAPE, 0, "target_shape needs a data shape known at conversion");
            int64_t total = a.stride[i] * (in - 1) + a.dilate[i] * (a.kernel[i] - 1) + 1 - a.target[i];
            if (total < 0)
                return mo_build_error(b, MO_ERR_SHAPE, 0, "target_shape %lld is too big for input %lld",
                                      (long long)a.target[i], (long long)in);
            opad[i] = total % 2;
            pb[i] = pe[i] = (total + 1) / 2;
        }
    }
    /* grouped: [C, O/g, k...] -> [g, C/g, O/g, k...] */
    struct mo_value wv = conv_weight(b, w, &a, "deconvolution");
    const char *type = a.num_group > 1 ? "GroupConvolutionBackpropData" : "ConvolutionBackpropData";
    struct mo_value c = mo_build_op(b, type, a.no_bias ? NULL : "deconv", 2, x, wv);
    size_t n = (size_t)a.nsp;
    mo_build_set_ints(b, c, "strides", a.stride, n);
    mo_build_set_ints(b, c, "dilations", a.dilate, n);
    mo_build_set_ints(b, c, "pads_begin", pb, n);
    mo_build_set_ints(b, c, "pads_end", pe, n);
    mo_build_set_ints(b, c, "output_padding", opad, n);
    mo_build_set_str(b, c, "auto_pad", "explicit");
    return finish_bias(b, &a, c);
}

static enum mo_status tr_fully_connected(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    bool ok = true;
    int64_t hidden = mo_node_get_int(fw, "num_hidden", -1, &ok);
    if (!ok || hidden <= 0)
        return mo_build_error(b, MO_ERR_FORMAT, 2, "attribute num_hidden is missing or not positive");
    bool no_bias = mo_node_get_bool(fw, "no_bias", false, NULL);
    bool flatten = mo_node_get_bool(fw, "flatten", true, NULL);
    struct mo_value x = mo_build_in(b, 0, "data"), w = mo_build_in(b, 1, "weight");
    struct mo_shape xs = mo_value_shape(x), ws = mo_value_shape(w);
    /* K: the flattened feature count, or the last dim without flatten */
    int64_t k = -1;
    if (xs.rank >= 1 && mo_shape_is_static(&xs))
        k = mo_mx_prod(&xs, flatten ? 1 : xs.rank - 1, xs.rank);
    if (ws.rank >= 0 && (ws.rank != 2 || ws.dims[0] != hidden || (k >= 0 && ws.dims[1] != k))) {
        char got[96];
        return mo_build_error(b, MO_ERR_SHAPE, 0,
                              "weight '%s' has shape [%s] but the layer needs [%lld,%lld] "
                              "(num_hidden, input features)",
                              w.node->name, mo_shape_str(&ws, got, sizeof got), (long long)hidden, (long long)k);
    }
    if (flatten && xs.rank != 2)
        x = mo_build_reshape(b, "flatten", x, (const int64_t[]){0, -1}, 2, true);
    struct mo_value mm = mo_build_op(b, "MatMul", no_bias ? NULL : "matmul", 2, x, w);
    mo_build_set_bool(b, mm, "transpose_a", false);
    mo_build_set_bool(b, mm, "transpose_b", true);
    if (no_bias)
        return mo_build_done(b, mm);
    struct mo_value bias = mo_build_in(b, 2, "bias");
    struct mo_shape bs = mo_value_shape(bias);
    if (bs.rank >= 0 && mo_shape_numel(&bs) != hidden) {
        char got[96];
        return mo_build_error(b, MO_ERR_SHAPE, 0, "bias '%s' has shape [%s] but the layer needs [%lld]",
                              bias.node->name, mo_shape_str(&bs, got, sizeof got), (long long)hidden);
    }
    struct mo_shape flat = mo_shape_of(hidden);
    struct mo_value bv = mo_build_reshape_value(b, "bias", bias, &flat);
    return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, mm, bv));
}

MO_MX_TABLE(mo_mx_tr_conv,
            {"Convolution", tr_convolution},
            {"Convolution_v1", tr_convolution},
            {"Deconvolution", tr_deconvolution},
            {"FullyConnected", tr_fully_connected});
