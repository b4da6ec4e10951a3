/* tr_conv.c - MXNet Convolution, Deconvolution and FullyConnected translators.
 *
 * Layout: MXNet's default (NCW/NCHW/NCDHW) only; channels-last layouts are
 * GPU-only in MXNet and refused.  Weights: Convolution [O, C/g, k...],
 * Deconvolution [C, O/g, k...], FullyConnected [num_hidden, K]. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "tr_util.h"

/* Channels-first layouts only (the IR's convolutions are NC...). */
static enum mo_status check_layout(const struct mo_node *fw, struct mo_error *err)
{
    const char *l = mo_node_get_str(fw, "layout", NULL);
    if (l && strcmp(l, "None") && strncmp(l, "NC", 2))
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 0,
                            "layout %s is not supported (MXNet runs it on GPUs only); use NCHW", l);
    return MO_OK;
}

/* bias [C] -> [1,C,1,...] added to v (rank of the output). */
static struct mo_node *add_channel_bias(struct mo_tctx *t, const struct mo_node *fw, struct mo_value v,
                                        struct mo_value bias, int64_t channels, int rank,
                                        struct mo_error *err)
{
    struct mo_shape bs = {.rank = rank};
    for (int i = 0; i < rank; i++)
        bs.dims[i] = 1;
    bs.dims[1] = channels;
    struct mo_value b = mo_mx_reshape_value(t, fw, bias, "bias", &bs, err);
    return b.node ? mo_mx_op(t, "Add", NULL, err, 2, v, b) : NULL;
}

static char *shape_txt(const struct mo_shape *s, char *buf, size_t n)
{
    return mo_shape_str(s, buf, n);
}

/* Shared by Convolution and Deconvolution: read the spatial attributes. */
struct conv_attrs {
    int nsp;
    int64_t kernel[MO_MAX_RANK], stride[MO_MAX_RANK], dilate[MO_MAX_RANK], pad[MO_MAX_RANK];
    int64_t adj[MO_MAX_RANK], target[MO_MAX_RANK];
    int64_t num_filter, num_group;
    bool no_bias, has_target;
};

static enum mo_status read_conv(const struct mo_node *fw, bool deconv, struct conv_attrs *a,
                                struct mo_error *err)
{
    enum mo_status st = check_layout(fw, err);
    if (st != MO_OK)
        return st;
    int64_t k[MO_MAX_RANK];
    a->nsp = mo_node_get_ints(fw, "kernel", k, MO_MAX_RANK);
    if (a->nsp < 1 || a->nsp > 3)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "attribute kernel is missing or not 1-3 values");
    memcpy(a->kernel, k, sizeof(int64_t) * (size_t)a->nsp);
    if (!mo_mx_tuple(fw, "stride", a->nsp, 1, a->stride, err) ||
        !mo_mx_tuple(fw, "dilate", a->nsp, 1, a->dilate, err) ||
        !mo_mx_tuple(fw, "pad", a->nsp, 0, a->pad, err) || !mo_mx_tuple(fw, "adj", a->nsp, 0, a->adj, err) ||
        !mo_mx_tuple(fw, "target_shape", a->nsp, 0, a->target, err))
        return MO_ERR_FORMAT;
    a->has_target = false;
    for (int i = 0; i < a->nsp; i++)
        a->has_target |= a->target[i] != 0;
    bool ok = true;
    a->num_filter = mo_node_get_int(fw, "num_filter", -1, &ok);
    if (!ok || a->num_filter <= 0)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "attribute num_filter is missing or not positive");
    a->num_group = mo_node_get_int(fw, "num_group", 1, NULL);
    if (a->num_group < 1 || a->num_filter % a->num_group)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "num_group %lld does not divide num_filter %lld",
                            (long long)a->num_group, (long long)a->num_filter);
    /* MXNet's Deconvolution has no bias unless asked; Convolution has one */
    a->no_bias = mo_node_get_bool(fw, "no_bias", deconv, NULL);
    return MO_OK;
}

/* Weight shape as the layer expects it (C/g or O/g unknown: -1). */
static enum mo_status check_weight(struct mo_value w, const struct conv_attrs *a, int64_t d0, int64_t d1,
                                   struct mo_error *err)
{
    struct mo_tensor *c = mo_mx_const_of(w);
    const struct mo_shape *s = c ? &c->shape : &mo_mx_out(w)->shape;
    if (s->rank < 0)
        return MO_OK;
    bool ok = s->rank == 2 + a->nsp && (d0 < 0 || s->dims[0] == d0) && (d1 < 0 || s->dims[1] == d1);
    for (int i = 0; ok && i < a->nsp; i++)
        ok = s->dims[2 + i] == a->kernel[i];
    if (ok)
        return MO_OK;
    char got[96], want[128];
    struct mo_shape need = {.rank = 2 + a->nsp};
    need.dims[0] = d0;
    need.dims[1] = d1;
    for (int i = 0; i < a->nsp; i++)
        need.dims[2 + i] = a->kernel[i];
    shape_txt(&need, want, sizeof want);
    return mo_error_set(err, MO_ERR_SHAPE, 0,
                        "weight '%s' has shape [%s] but the layer's attributes need [%s]",
                        w.node->name, shape_txt(s, got, sizeof got), want);
}

/* The weight of a grouped (de)convolution, [A, B, k...] -> [g, A/g, B, k...];
 * `what` names the layer in the error. */
static enum mo_status group_weight(struct mo_tctx *t, const struct mo_node *fw, struct mo_value w,
                                   const struct conv_attrs *a, const char *what, struct mo_value *out,
                                   struct mo_error *err)
{
    struct mo_shape ws = mo_mx_const_of(w) ? mo_mx_const_of(w)->shape : mo_mx_out(w)->shape;
    if (!mo_shape_is_static(&ws))
        return mo_error_set(err, MO_ERR_SHAPE, 0, "grouped %s needs a weight of known shape", what);
    struct mo_shape gs = {.rank = ws.rank + 1};
    gs.dims[0] = a->num_group;
    gs.dims[1] = ws.dims[0] / a->num_group;
    for (int i = 1; i < ws.rank; i++)
        gs.dims[i + 1] = ws.dims[i];
    *out = mo_mx_reshape_value(t, fw, w, "weight", &gs, err);
    MO_MX_TRY(out->node);
    return MO_OK;
}

/* The layer's output: c itself without bias, else c plus input 2. */
static enum mo_status finish_bias(struct mo_tctx *t, const struct mo_node *fw, const struct conv_attrs *a,
                                  struct mo_node *c, struct mo_error *err)
{
    if (a->no_bias)
        return mo_mx_done(t, c, err);
    struct mo_value b = mo_mx_in(t, fw, 2, "bias", err);
    MO_MX_TRY(b.node);
    struct mo_node *r = add_channel_bias(t, fw, mo_val(c, 0), b, a->num_filter, 2 + a->nsp, err);
    MO_MX_TRY(r);
    return mo_mx_done(t, r, err);
}

static enum mo_status tr_convolution(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                     struct mo_error *err)
{
    (void)user;
    struct conv_attrs a;
    enum mo_status st = read_conv(fw, false, &a, err);
    if (st != MO_OK)
        return st;
    struct mo_value x = mo_mx_in(t, fw, 0, "data", err), w = mo_mx_in(t, fw, 1, "weight", err);
    MO_MX_TRY(x.node && w.node);
    const struct mo_shape *xs = &mo_mx_out(x)->shape;
    if (xs->rank >= 0 && xs->rank != 2 + a.nsp)
        return mo_error_set(err, MO_ERR_SHAPE, 0, "data has rank %d but the kernel has %d dims", xs->rank,
                            a.nsp);
    int64_t cin = xs->rank > 1 && xs->dims[1] >= 0 ? xs->dims[1] / a.num_group : -1;
    if ((st = check_weight(w, &a, a.num_filter, cin, err)) != MO_OK)
        return st;
    struct mo_value wv = w;
    const char *type = "Convolution";
    if (a.num_group > 1) {
        /* [O, C/g, k...] -> [g, O/g, C/g, k...] */
        if ((st = group_weight(t, fw, w, &a, "convolution", &wv, err)) != MO_OK)
            return st;
        type = "GroupConvolution";
    }
    struct mo_node *c = mo_mx_op(t, type, a.no_bias ? NULL : "conv", err, 2, x, wv);
    MO_MX_TRY(c);
    int64_t zeros_end[MO_MAX_RANK];
    memcpy(zeros_end, a.pad, sizeof zeros_end);
    if (mo_node_set_ints(c, "strides", a.stride, (size_t)a.nsp) || mo_node_set_ints(c, "dilations", a.dilate, (size_t)a.nsp) ||
        mo_node_set_ints(c, "pads_begin", a.pad, (size_t)a.nsp) || mo_node_set_ints(c, "pads_end", zeros_end, (size_t)a.nsp) ||
        mo_node_set_str(c, "auto_pad", "explicit"))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return finish_bias(t, fw, &a, c, err);
}

static enum mo_status tr_deconvolution(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                       struct mo_error *err)
{
    (void)user;
    struct conv_attrs a;
    enum mo_status st = read_conv(fw, true, &a, err);
    if (st != MO_OK)
        return st;
    struct mo_value x = mo_mx_in(t, fw, 0, "data", err), w = mo_mx_in(t, fw, 1, "weight", err);
    MO_MX_TRY(x.node && w.node);
    const struct mo_shape *xs = &mo_mx_out(x)->shape;
    if (xs->rank >= 0 && xs->rank != 2 + a.nsp)
        return mo_error_set(err, MO_ERR_SHAPE, 0, "data has rank %d but the kernel has %d dims", xs->rank,
                            a.nsp);
    int64_t cin = xs->rank > 1 ? xs->dims[1] : -1;
    if ((st = check_weight(w, &a, cin, a.num_filter / a.num_group, err)) != MO_OK)
        return st;
    int64_t pb[MO_MAX_RANK], pe[MO_MAX_RANK], opad[MO_MAX_RANK];
    for (int i = 0; i < a.nsp; i++) {
        pb[i] = pe[i] = a.pad[i];
        opad[i] = a.adj[i];
        if (a.has_target) {
            /* MXNet derives symmetric pads and an adjustment from target_shape */
            int64_t in = xs->rank > 0 ? xs->dims[2 + i] : -1;
            if (in < 0)
                return mo_error_set(err, MO_ERR_SHAPE, 0, "target_shape needs a data shape known at conversion");
            int64_t total = a.stride[i] * (in - 1) + a.dilate[i] * (a.kernel[i] - 1) + 1 - a.target[i];
            if (total < 0)
                return mo_error_set(err, MO_ERR_SHAPE, 0, "target_shape %lld is too big for input %lld",
                                    (long long)a.target[i], (long long)in);
            opad[i] = total % 2;
            pb[i] = pe[i] = (total + 1) / 2;
        }
    }
    struct mo_value wv = w;
    const char *type = "ConvolutionBackpropData";
    if (a.num_group > 1) {
        /* [C, O/g, k...] -> [g, C/g, O/g, k...] */
        if ((st = group_weight(t, fw, w, &a, "deconvolution", &wv, err)) != MO_OK)
            return st;
        type = "GroupConvolutionBackpropData";
    }
    struct mo_node *c = mo_mx_op(t, type, a.no_bias ? NULL : "deconv", err, 2, x, wv);
    MO_MX_TRY(c);
    size_t n = (size_t)a.nsp;
    if (mo_node_set_ints(c, "strides", a.stride, n) || mo_node_set_ints(c, "dilations", a.dilate, n) ||
        mo_node_set_ints(c, "pads_begin", pb, n) || mo_node_set_ints(c, "pads_end", pe, n) ||
        mo_node_set_ints(c, "output_padding", opad, n) || mo_node_set_str(c, "auto_pad", "explicit"))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return finish_bias(t, fw, &a, c, err);
}

static enum mo_status tr_fully_connected(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    (void)user;
    bool ok = true;
    int64_t hidden = mo_node_get_int(fw, "num_hidden", -1, &ok);
    if (!ok || hidden <= 0)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "attribute num_hidden is missing or not positive");
    bool no_bias = mo_node_get_bool(fw, "no_bias", false, NULL);
    bool flatten = mo_node_get_bool(fw, "flatten", true, NULL);
    struct mo_value x = mo_mx_in(t, fw, 0, "data", err), w = mo_mx_in(t, fw, 1, "weight", err);
    MO_MX_TRY(x.node && w.node);
    const struct mo_shape *xs = &mo_mx_out(x)->shape;
    struct mo_tensor *wc = mo_mx_const_of(w);
    const struct mo_shape *ws = wc ? &wc->shape : &mo_mx_out(w)->shape;
    /* K: the flattened feature count, or the last dim without flatten */
    int64_t k = -1;
    if (xs->rank >= 1 && mo_shape_is_static(xs)) {
        k = 1;
        for (int i = flatten ? 1 : xs->rank - 1; i < xs->rank; i++)
            k *= xs->dims[i];
    }
    if (ws->rank >= 0 && (ws->rank != 2 || ws->dims[0] != hidden || (k >= 0 && ws->dims[1] != k))) {
        char got[96];
        return mo_error_set(err, MO_ERR_SHAPE, 0,
                            "weight '%s' has shape [%s] but the layer needs [%lld,%lld] "
                            "(num_hidden, input features)",
                            w.node->name, shape_txt(ws, got, sizeof got), (long long)hidden, (long long)k);
    }
    struct mo_value in = x;
    if (flatten && xs->rank != 2) {
        int64_t dims[2] = {0, -1};
        struct mo_node *s = mo_mx_const_i64(t, fw, "flatten/shape", dims, 2, err);
        struct mo_node *r = s ? mo_mx_op(t, "Reshape", "flatten", err, 2, x, mo_val(s, 0)) : NULL;
        MO_MX_TRY(r);
        if (mo_node_set_bool(r, "special_zero", true))
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        in = mo_val(r, 0);
    }
    struct mo_node *mm = mo_mx_op(t, "MatMul", no_bias ? NULL : "matmul", err, 2, in, w);
    MO_MX_TRY(mm);
    if (mo_node_set_bool(mm, "transpose_a", false) || mo_node_set_bool(mm, "transpose_b", true))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    if (no_bias)
        return mo_mx_done(t, mm, err);
    struct mo_value b = mo_mx_in(t, fw, 2, "bias", err);
    MO_MX_TRY(b.node);
    struct mo_tensor *bc = mo_mx_const_of(b);
    const struct mo_shape *bs = bc ? &bc->shape : &mo_mx_out(b)->shape;
    if (bs->rank >= 0 && mo_shape_numel(bs) != hidden) {
        char got[96];
        return mo_error_set(err, MO_ERR_SHAPE, 0, "bias '%s' has shape [%s] but the layer needs [%lld]",
                            b.node->name, shape_txt(bs, got, sizeof got), (long long)hidden);
    }
    struct mo_shape flat = mo_shape_of(hidden);
    struct mo_value bv = mo_mx_reshape_value(t, fw, b, "bias", &flat, err);
    MO_MX_TRY(bv.node);
    struct mo_node *r = mo_mx_op(t, "Add", NULL, err, 2, mo_val(mm, 0), bv);
    MO_MX_TRY(r);
    return mo_mx_done(t, r, err);
}

MO_MX_TABLE(mo_mx_tr_conv,
            {"Convolution", tr_convolution},
            {"Convolution_v1", tr_convolution},
            {"Deconvolution", tr_deconvolution},
            {"FullyConnected", tr_fully_connected});
