/* tr_misc.c - dropout, assign, shape, cast, gather, fill_constant,
 * expand_v2, shuffle_channel. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "paddle.h"

static enum mo_status tr_dropout(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    const char *impl = mo_node_get_str(fw, "dropout_implementation", "downgrade_in_infer");
    if (!strcmp(impl, "upscale_in_train"))
        return mo_pd_set_out(b, "Out", x);
    /* downgrade_in_infer scales by the keep probability at inference */
    double p = mo_node_get_float(fw, "dropout_prob", 0.5, NULL);
    struct mo_value keep = mo_build_scalar(b, "keep", mo_value_et(x), 1.0 - p);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Multiply", NULL, 2, x, keep));
}

static enum mo_status tr_assign(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    return mo_pd_set_out(b, "Out", mo_pd_in(b, "X", 0));
}

static enum mo_status tr_shape(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "Input", 0);
    /* Paddle's shape op yields int32 */
    return mo_pd_set_out(b, "Out", mo_build_shape_of(b, NULL, x, MO_ET_I32));
}

static enum mo_status tr_cast(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t dt = mo_node_get_int(fw, "out_dtype", 5, NULL);
    enum mo_etype et = mo_pd_etype((int)dt);
    if (et == MO_ET_UNDEFINED)
        et = mo_pd_etype_name(mo_node_get_str(fw, "out_dtype", NULL));
    if (et == MO_ET_UNDEFINED)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "cast to Paddle dtype %lld is not supported", (long long)dt);
    return mo_pd_set_out(b, "Out", mo_build_convert(b, NULL, x, et));
}

static enum mo_status tr_gather(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value idx = mo_pd_in(b, "Index", 0);
    struct mo_value axis = mo_pd_in_opt(b, "Axis", 0);
    if (!axis.node)
        axis = mo_build_i64_scalar(b, "axis", mo_node_get_int(fw, "axis", 0, NULL));
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Gather", NULL, 3, x, idx, axis));
}

static enum mo_status tr_fill_constant(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                       struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    if (mo_pd_in_opt(b, "ShapeTensor", 0).node || mo_pd_in_count(fw, "ShapeTensorList") ||
        mo_pd_in_opt(b, "ValueTensor", 0).node)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "fill_constant with tensor-valued shape or value is not supported");
    int64_t d[MO_MAX_RANK];
    int n = mo_pd_ints(fw, "shape", d, MO_MAX_RANK);
    if (n < 0)
        n = 0;
    enum mo_etype et = mo_pd_etype((int)mo_node_get_int(fw, "dtype", 5, NULL));
    if (et == MO_ET_UNDEFINED)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "fill_constant dtype is not supported");
    double v = mo_node_get_float(fw, "value", 0.0, NULL);
    const char *sv = mo_node_get_str(fw, "str_value", "");
    if (sv && *sv) {
        char *end;
        double p = strtod(sv, &end);
        if (end != sv)
            v = p;
    }
    struct mo_shape s = mo_shape_make(n, d);
    struct mo_tensor *x = mo_tensor_new(et, &s, err);
    for (int64_t i = 0; x && i < mo_tensor_numel(x); i++)
        mo_tensor_set_f64(x, i, v);
    return mo_pd_set_out(b, "Out", mo_build_tensor(b, NULL, x));
}

static enum mo_status tr_expand_v2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value shape = mo_pd_in_opt(b, "Shape", 0);
    if (!shape.node) {
        int64_t d[MO_MAX_RANK];
        int n = mo_pd_ints(fw, "shape", d, MO_MAX_RANK);
        if (n < 0)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "expand_v2 has no shape");
        /* -1 keeps the input dim: in bidirectional mode a 1 does that */
        for (int i = 0; i < n; i++)
            if (d[i] == -1)
                d[i] = 1;
        shape = mo_build_i64(b, "shape", d, (size_t)n);
    }
    struct mo_value y = mo_build_op(b, "Broadcast", NULL, 2, x, shape);
    return mo_pd_set_out(b, "Out", mo_build_set_str(b, y, "mode", "bidirectional"));
}

static enum mo_status tr_shuffle_channel(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value y = mo_build_op(b, "ShuffleChannels", NULL, 1, x);
    mo_build_set_int(b, y, "axis", 1);
    int64_t group = mo_node_get_int(fw, "group", 1, NULL);
    return mo_pd_set_out(b, "Out", mo_build_set_int(b, y, "group", group));
}

MO_PD_TABLE(mo_pd_tr_misc,
            {"dropout", tr_dropout}, {"assign", tr_assign},
            {"shape", tr_shape}, {"cast", tr_cast}, {"gather", tr_gather},
            {"fill_constant", tr_fill_constant}, {"expand_v2", tr_expand_v2},
            {"shuffle_channel", tr_shuffle_channel});
