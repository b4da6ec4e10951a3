/* tr_conv.c - conv2d, depthwise_conv2d, conv2d_transpose. */
#include <config.h>

#include <string.h>

#include "paddle.h"

/* Paddle pads: 2 values (symmetric per dim) or 4 (top, bottom, left, right). */
static enum mo_status read_pads(const struct mo_node *fw, int64_t *pb, int64_t *pe,
                                struct mo_error *err)
{
    int64_t p[8] = {0};
    int n = mo_pd_ints(fw, "paddings", p, 8);
    if (n <= 0) {
        pb[0] = pb[1] = pe[0] = pe[1] = 0;
    } else if (n == 2) {
        pb[0] = pe[0] = p[0];
        pb[1] = pe[1] = p[1];
    } else if (n == 4) {
        pb[0] = p[0], pe[0] = p[1], pb[1] = p[2], pe[1] = p[3];
    } else {
        return mo_pd_bad(err, "paddings has %d values; 2 or 4 expected", n);
    }
    return MO_OK;
}

/* Data layout: NHWC inputs are transposed to NCHW and back. */
static bool is_nhwc(const struct mo_node *fw)
{
    const char *f = mo_node_get_str(fw, "data_format", NULL);
    if (!f)
        f = mo_node_get_str(fw, "data_layout", "NCHW");
    return !strcmp(f, "NHWC");
}


/* Shared with tr_pool.c and tr_norm.c (ownership: nodes go to the IR graph). */
enum mo_status mo_pd_to_nchw(struct mo_tctx *t, const struct mo_node *fw, struct mo_value *x,
                             struct mo_error *err)
{
    if (!is_nhwc(fw))
        return MO_OK;
    static const int64_t perm[] = {0, 3, 1, 2};
    struct mo_node *n = mo_pd_transpose(t, "to_nchw", *x, perm, 4, err);
    if (!n)
        return mo_pd_status(err);
    *x = mo_val(n, 0);
    return MO_OK;
}

enum mo_status mo_pd_from_nchw(struct mo_tctx *t, const struct mo_node *fw, struct mo_value *y,
                               struct mo_error *err)
{
    if (!is_nhwc(fw))
        return MO_OK;
    static const int64_t perm[] = {0, 2, 3, 1};
    struct mo_node *n = mo_pd_transpose(t, "to_nhwc", *y, perm, 4, err);
    if (!n)
        return mo_pd_status(err);
    *y = mo_val(n, 0);
    return MO_OK;
}

/* Weights [O, I, kh, kw] (or [I, O, ...] for transposed) split into groups:
 * [G, d0/G, d1, kh, kw] (split_dim 0) or [G, d0/G ...] as the group op needs. */
static enum mo_status group_weights(struct mo_tctx *t, struct mo_value *w, int64_t groups,
                                    struct mo_error *err)
{
    struct mo_shape s = mo_pd_shape(*w);
    if (s.rank != 4 || !mo_shape_is_static(&s) || s.dims[0] % groups)
        return mo_pd_bad(err, "filter shape does not split into %lld groups", (long long)groups);
    int64_t d[5] = {groups, s.dims[0] / groups, s.dims[1], s.dims[2], s.dims[3]};
    if (w->node->value) {
        struct mo_shape ns = mo_shape_make(5, d);
        struct mo_tensor *r = mo_tensor_reshaped(w->node->value, &ns, err);
        struct mo_node *c = r ? mo_pd_const_tensor(t, "weights", r, err) : NULL;
        if (!c)
            return mo_pd_status(err);
        *w = mo_val(c, 0);
        return MO_OK;
    }
    struct mo_node *r = mo_pd_reshape(t, "weights", *w, d, 5, err);
    if (!r)
        return mo_pd_status(err);
    *w = mo_val(r, 0);
    return MO_OK;
}

static enum mo_status set_geometry(struct mo_node *n, const struct mo_node *fw, const int64_t *pb,
                                   const int64_t *pe)
{
    int64_t s[2] = {1, 1}, d[2] = {1, 1};
    if (mo_pd_ints(fw, "strides", s, 2) == 1)
        s[1] = s[0];
    if (mo_pd_ints(fw, "dilations", d, 2) == 1)
        d[1] = d[0];
    const char *alg = mo_node_get_str(fw, "padding_algorithm", "EXPLICIT");
    enum mo_status st = mo_node_set_ints(n, "strides", s, 2);
    if (st == MO_OK)
        st = mo_node_set_ints(n, "dilations", d, 2);
    int64_t zero[2] = {0, 0};
    bool valid = !strcmp(alg, "VALID");
    if (st == MO_OK)
        st = mo_node_set_ints(n, "pads_begin", valid ? zero : pb, 2);
    if (st == MO_OK)
        st = mo_node_set_ints(n, "pads_end", valid ? zero : pe, 2);
    if (st == MO_OK)
        st = mo_node_set_str(n, "auto_pad", !strcmp(alg, "SAME") ? "same_upper"
                                            : valid              ? "valid"
                                                                 : "explicit");
    return st;
}

static enum mo_status tr_conv2d(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_value x, w;
    enum mo_status st = mo_pd_need(t, fw, "Input", &x, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "Filter", &w, err);
    if (st == MO_OK)
        st = mo_pd_to_nchw(t, fw, &x, err);
    if (st != MO_OK)
        return st;
    int64_t pb[2], pe[2];
    if ((st = read_pads(fw, pb, pe, err)) != MO_OK)
        return st;
    int64_t groups = mo_node_get_int(fw, "groups", 1, NULL);
    if (groups < 1)
        groups = 1;
    if (groups > 1 && (st = group_weights(t, &w, groups, err)) != MO_OK)
        return st;
    struct mo_node *c = mo_pd_op(t, groups > 1 ? "GroupConvolution" : "Convolution", NULL, err, 2,
                                 x, w);
    if (!c)
        return mo_pd_status(err);
    if ((st = set_geometry(c, fw, pb, pe)) != MO_OK)
        return st;
    struct mo_value y = mo_val(c, 0);
    if ((st = mo_pd_from_nchw(t, fw, &y, err)) != MO_OK)
        return st;
    return mo_pd_set_out(t, fw, "Output", y, err);
}

static enum mo_status tr_conv2d_transpose(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                          struct mo_error *err)
{
    struct mo_value x, w;
    enum mo_status st = mo_pd_need(t, fw, "Input", &x, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "Filter", &w, err);
    if (st == MO_OK)
        st = mo_pd_to_nchw(t, fw, &x, err);
    if (st != MO_OK)
        return st;
    int64_t pb[2], pe[2];
    if ((st = read_pads(fw, pb, pe, err)) != MO_OK)
        return st;
    int64_t groups = mo_node_get_int(fw, "groups", 1, NULL);
    if (groups < 1)
        groups = 1;
    struct mo_shape ws = mo_pd_shape(w), xs = mo_pd_shape(x);
    if (groups > 1 && (st = group_weights(t, &w, groups, err)) != MO_OK)
        return st;
    struct mo_node *c = mo_pd_op(t, groups > 1 ? "GroupConvolutionBackpropData"
                                               : "ConvolutionBackpropData",
                                 NULL, err, 2, x, w);
    if (!c)
        return mo_pd_status(err);
    if ((st = set_geometry(c, fw, pb, pe)) != MO_OK)
        return st;
    int64_t op[2] = {0, 0}, osz[2];
    mo_pd_ints(fw, "output_padding", op, 2);
    /* an explicit output_size fixes the extra rows/cols at the end */
    if (mo_pd_ints(fw, "output_size", osz, 2) == 2 && ws.rank == 4 && xs.rank == 4) {
        int64_t s[2] = {1, 1}, d[2] = {1, 1};
        mo_pd_ints(fw, "strides", s, 2);
        mo_pd_ints(fw, "dilations", d, 2);
        for (int i = 0; i < 2; i++) {
            if (xs.dims[2 + i] < 0)
                return mo_pd_bad(err, "output_size needs a static input size");
            int64_t base = (xs.dims[2 + i] - 1) * s[i] - pb[i] - pe[i] + d[i] * (ws.dims[2 + i] - 1) + 1;
            op[i] = osz[i] - base;
        }
    }
    if ((st = mo_node_set_ints(c, "output_padding", op, 2)) != MO_OK)
        return st;
    struct mo_value y = mo_val(c, 0);
    if ((st = mo_pd_from_nchw(t, fw, &y, err)) != MO_OK)
        return st;
    return mo_pd_set_out(t, fw, "Output", y, err);
}

MO_PD_TABLE(mo_pd_tr_conv,
            {"conv2d", tr_conv2d},
            {"depthwise_conv2d", tr_conv2d},
            {"conv2d_transpose", tr_conv2d_transpose},
            {"depthwise_conv2d_transpose", tr_conv2d_transpose});
