/* tr_conv.c - Conv and ConvTranspose (groups, dilations, auto_pad). */
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

/* Bias [C] added to y [N, C, ...] of rank r. */
static struct mo_value add_bias(struct mo_build *b, struct mo_value y, struct mo_value bias, int r,
                                const char *conv_suffix)
{
    if (!bias.node)
        return y;
    int64_t d[MO_MAX_RANK];
    for (int i = 0; i < r; i++)
        d[i] = i == 1 ? -1 : 1;
    struct mo_shape bs = mo_value_shape(bias);
    struct mo_value bb;
    if (mo_value_const(bias) && bs.rank == 1) {
        d[1] = bs.dims[0];
        struct mo_shape ns = mo_shape_make(r, d);
        bb = mo_build_reshape_value(b, "bias", bias, &ns);
    } else {
        bb = mo_build_reshape(b, "bias", bias, d, r, false);
    }
    (void)conv_suffix;
    return mo_build_op(b, "Add", NULL, 2, y, bb);
}

static enum mo_status tr_conv(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    bool transposed = user != NULL;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value w = mo_build_in(b, 1, "W");
    struct mo_value bias = mo_build_in_opt(b, 2);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int wr = mo_value_shape(w).rank;
    if (wr < 3)
        return mo_build_fail(b, "weights have rank %d; Conv needs rank 3 or more", wr);
    int sp = wr - 2;
    int64_t groups = mo_node_get_int(fw, "group", 1, NULL);
    if (groups < 1)
        return mo_build_fail(b, "group is %lld", (long long)groups);
    if (groups > 1)
        w = group_weights(b, w, groups);
    static const char *const types[2][2] = {
        {"Convolution", "GroupConvolution"},
        {"ConvolutionBackpropData", "GroupConvolutionBackpropData"},
    };
    const char *sfx = bias.node ? "conv" : NULL;
    struct mo_value y = mo_build_op(b, types[transposed][groups > 1], sfx, 2, x, w);
    int64_t s[MO_MAX_RANK], d[MO_MAX_RANK], op[MO_MAX_RANK];
    for (int i = 0; i < sp; i++)
        s[i] = d[i] = 1, op[i] = 0;
    if (mo_node_attr(fw, "strides") && mo_node_get_ints(fw, "strides", s, MO_MAX_RANK) != sp)
        return mo_build_fail(b, "strides has the wrong number of values for %d spatial dims", sp);
    if (mo_node_attr(fw, "dilations") && mo_node_get_ints(fw, "dilations", d, MO_MAX_RANK) != sp)
        return mo_build_fail(b, "dilations has the wrong number of values for %d spatial dims", sp);
    mo_build_set_ints(b, y, "strides", s, (size_t)sp);
    mo_build_set_ints(b, y, "dilations", d, (size_t)sp);
    mo_ox_set_pads(b, y, sp);
    if (transposed) {
        if (mo_node_attr(fw, "output_padding") && mo_node_get_ints(fw, "output_padding", op, MO_MAX_RANK) != sp)
            return mo_build_fail(b, "output_padding has the wrong number of values for %d spatial dims", sp);
        mo_build_set_ints(b, y, "output_padding", op, (size_t)sp);
        if (mo_node_attr(fw, "output_shape"))
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "output_shape is not supported yet");
    }
    return mo_build_done(b, add_bias(b, y, bias, sp + 2, sfx));
}

MO_OX_TABLE(mo_ox_tr_conv,
    {"Conv", 1, tr_conv, NULL},
    {"ConvTranspose", 1, tr_conv, "transposed"},
)
