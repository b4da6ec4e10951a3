/* tr_misc.c - dropout, assign, shape, cast, gather, fill_constant,
 * expand_v2, shuffle_channel. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "paddle.h"

static enum mo_status tr_dropout(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    const char *impl = mo_node_get_str(fw, "dropout_implementation", "downgrade_in_infer");
    if (!strcmp(impl, "upscale_in_train"))
        return mo_pd_set_out(t, fw, "Out", x, err);
    /* downgrade_in_infer scales by the keep probability at inference */
    double p = mo_node_get_float(fw, "dropout_prob", 0.5, NULL);
    struct mo_node *c = mo_pd_scalar(t, "keep", mo_pd_et(x), 1.0 - p, err);
    struct mo_node *m = c ? mo_pd_op(t, "Multiply", NULL, err, 2, x, mo_val(c, 0)) : NULL;
    if (!m)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(m, 0), err);
}

static enum mo_status tr_assign(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    return mo_pd_set_out(t, fw, "Out", x, err);
}

static enum mo_status tr_shape(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "Input", &x, err);
    if (st != MO_OK)
        return st;
    /* Paddle's shape op yields int32 */
    struct mo_node *n = mo_pd_op(t, "ShapeOf", NULL, err, 1, x);
    if (!n || mo_node_set_str(n, "output_type", "i32") != MO_OK)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err);
}

static enum mo_status tr_cast(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    int64_t dt = mo_node_get_int(fw, "out_dtype", 5, NULL);
    enum mo_etype et = mo_pd_etype((int)dt);
    if (et == MO_ET_UNDEFINED)
        et = mo_pd_etype_name(mo_node_get_str(fw, "out_dtype", NULL));
    if (et == MO_ET_UNDEFINED)
        return mo_pd_bad(err, "cast to Paddle dtype %lld is not supported", (long long)dt);
    struct mo_node *n = mo_pd_convert(t, NULL, x, et, err);
    if (!n)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err);
}

static enum mo_status tr_gather(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_value x, idx;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "Index", &idx, err);
    if (st != MO_OK)
        return st;
    struct mo_value axis = mo_pd_in(t, fw, "Axis", 0);
    if (!axis.node) {
        struct mo_node *a = mo_pd_scalar_i64(t, "axis", mo_node_get_int(fw, "axis", 0, NULL), err);
        if (!a)
            return mo_pd_status(err);
        axis = mo_val(a, 0);
    }
    struct mo_node *g = mo_pd_op(t, "Gather", NULL, err, 3, x, idx, axis);
    if (!g)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(g, 0), err);
}

static enum mo_status tr_fill_constant(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                       struct mo_error *err)
{
    if (mo_pd_in(t, fw, "ShapeTensor", 0).node || mo_pd_in_count(fw, "ShapeTensorList") ||
        mo_pd_in(t, fw, "ValueTensor", 0).node)
        return mo_pd_bad(err, "fill_constant with tensor-valued shape or value is not supported");
    int64_t d[MO_MAX_RANK];
    int n = mo_pd_ints(fw, "shape", d, MO_MAX_RANK);
    if (n < 0)
        n = 0;
    enum mo_etype et = mo_pd_etype((int)mo_node_get_int(fw, "dtype", 5, NULL));
    if (et == MO_ET_UNDEFINED)
        return mo_pd_bad(err, "fill_constant dtype is not supported");
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
    if (!x)
        return mo_pd_status(err);
    if (!mo_tensor_mutable(&x, err)) {
        mo_tensor_unref(x);
        return mo_pd_status(err);
    }
    for (int64_t i = 0; i < mo_tensor_numel(x); i++)
        mo_tensor_set_f64(x, i, v);
    struct mo_node *c = mo_pd_const_tensor(t, NULL, x, err);
    if (!c)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(c, 0), err);
}

static enum mo_status tr_expand_v2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    struct mo_value shape = mo_pd_in(t, fw, "Shape", 0);
    if (!shape.node) {
        int64_t d[MO_MAX_RANK];
        int n = mo_pd_ints(fw, "shape", d, MO_MAX_RANK);
        if (n < 0)
            return mo_pd_bad(err, "expand_v2 has no shape");
        /* -1 keeps the input dim: in bidirectional mode a 1 does that */
        for (int i = 0; i < n; i++)
            if (d[i] == -1)
                d[i] = 1;
        struct mo_node *c = mo_pd_i64(t, "shape", d, (size_t)n, err);
        if (!c)
            return mo_pd_status(err);
        shape = mo_val(c, 0);
    }
    struct mo_node *b = mo_pd_op(t, "Broadcast", NULL, err, 2, x, shape);
    if (!b || mo_node_set_str(b, "mode", "bidirectional") != MO_OK)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(b, 0), err);
}

static enum mo_status tr_shuffle_channel(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    struct mo_node *n = mo_pd_op(t, "ShuffleChannels", NULL, err, 1, x);
    if (!n || mo_node_set_int(n, "axis", 1) != MO_OK ||
        mo_node_set_int(n, "group", mo_node_get_int(fw, "group", 1, NULL)) != MO_OK)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err);
}

MO_PD_TABLE(mo_pd_tr_misc,
            {"dropout", tr_dropout}, {"assign", tr_assign},
            {"shape", tr_shape}, {"cast", tr_cast}, {"gather", tr_gather},
            {"fill_constant", tr_fill_constant}, {"expand_v2", tr_expand_v2},
            {"shuffle_channel", tr_shuffle_channel});
