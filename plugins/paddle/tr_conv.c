/* tr_conv.c - conv2d, depthwise_conv2d, conv2d_transpose. */
#include <config.h>

#include <string.h>

#include "paddle.h"

/* Paddle pads: 2 values (symmetric per dim) or 4 (top, bottom, left, right). */
static void read_pads(struct mo_build *b, const struct mo_node *fw, int64_t *pb, int64_t *pe)
{
    int64_t p[8] = {0};
    int n = mo_pd_ints(fw, "paddings", p, 8);
    pb[0] = pb[1] = pe[0] = pe[1] = 0;
    if (n == 2) {
        pb[0] = pe[0] = p[0];
        pb[1] = pe[1] = p[1];
    } else if (n == 4) {
        pb[0] = p[0], pe[0] = p[1], pb[1] = p[2], pe[1] = p[3];
    } else if (n > 0) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "paddings has %d values; 2 or 4 expected", n);
    }
}

/* Weights [O, I, kh, kw] (or [I, O, ...] for transposed) split into groups:
 * [G, d0/G, d1, kh, kw], as the group ops take them. */
static struct mo_value group_weights(struct mo_build *b, struct mo_value w, int64_t groups)
{
    struct mo_shape s = mo_value_shape(w);
    if (s.rank != 4 || !mo_shape_is_static(&s) || s.dims[0] % groups) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "filter shape does not split into %lld groups",
                       (long long)groups);
        return MO_NO_VALUE;
    }
    int64_t d[5] = {groups, s.dims[0] / groups, s.dims[1], s.dims[2], s.dims[3]};
    struct mo_shape ns = mo_shape_make(5, d);
    return mo_build_reshape_value(b, "weights", w, &ns);
}

/* conv2d and conv2d_transpose (and their depthwise forms): the same
 * attributes; groups split the weights; the transposed one adds the
 * output padding. */
static enum mo_status conv(struct mo_tctx *t, const struct mo_node *fw, bool transposed,
                           struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in_nchw(b, "Input");
    struct mo_value w = mo_pd_in(b, "Filter", 0);
    int64_t pb[2], pe[2];
    read_pads(b, fw, pb, pe);
    struct mo_shape ws = mo_value_shape(w), xs = mo_value_shape(x);
    int64_t groups = mo_node_get_int(fw, "groups", 1, NULL);
    if (groups > 1)
        w = group_weights(b, w, groups);
    static const char *const types[2][2] = {
        {"Convolution", "GroupConvolution"},
        {"ConvolutionBackpropData", "GroupConvolutionBackpropData"},
    };
    struct mo_value y = mo_build_op(b, types[transposed][groups > 1], NULL, 2, x, w);
    int64_t s[2] = {1, 1}, d[2] = {1, 1};
    if (mo_pd_ints(fw, "strides", s, 2) == 1)
        s[1] = s[0];
    if (mo_pd_ints(fw, "dilations", d, 2) == 1)
        d[1] = d[0];
    mo_build_set_ints(b, y, "strides", s, 2);
    mo_build_set_ints(b, y, "dilations", d, 2);
    mo_pd_set_pads(b, y, pb, pe);
    if (transposed) {
        int64_t op[2] = {0, 0}, osz[2];
        mo_pd_ints(fw, "output_padding", op, 2);
        /* an explicit output_size fixes the extra rows/cols at the end */
        if (mo_pd_ints(fw, "output_size", osz, 2) == 2 && ws.rank == 4 && xs.rank == 4) {
            int64_t st[2] = {1, 1}, dl[2] = {1, 1};
            mo_pd_ints(fw, "strides", st, 2);
            mo_pd_ints(fw, "dilations", dl, 2);
            for (int i = 0; i < 2; i++) {
                if (xs.dims[2 + i] < 0)
                    return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                          "output_size needs a static input size");
                int64_t base = (xs.dims[2 + i] - 1) * st[i] - pb[i] - pe[i] +
                               dl[i] * (ws.dims[2 + i] - 1) + 1;
                op[i] = osz[i] - base;
            }
        }
        mo_build_set_ints(b, y, "output_padding", op, 2);
    }
    return mo_pd_set_out_nchw(b, "Output", y);
}

MO_PD_VARIANT(tr_conv2d, conv, false)
MO_PD_VARIANT(tr_conv2d_transpose, conv, true)

MO_PD_TABLE(mo_pd_tr_conv,
            {"conv2d", tr_conv2d},
            {"depthwise_conv2d", tr_conv2d},
            {"conv2d_transpose", tr_conv2d_transpose},
            {"depthwise_conv2d_transpose", tr_conv2d_transpose});
