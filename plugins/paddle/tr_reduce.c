/* tr_reduce.c - reduce_{mean,sum,max,min,prod}, arg_max, arg_min. */
#include <config.h>

#include <string.h>

#include "paddle.h"

static enum mo_status reduce(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                             struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    int rank = mo_pd_shape(x).rank;
    int64_t axes[MO_MAX_RANK];
    int n = mo_pd_ints(fw, "dim", axes, MO_MAX_RANK);
    if (mo_node_get_bool(fw, "reduce_all", false, NULL) || n <= 0) {
        if (rank < 0)
            return mo_pd_bad(err, "reducing all axes needs an input of known rank");
        for (n = 0; n < rank; n++)
            axes[n] = n;
    }
    struct mo_node *a = mo_pd_i64(t, "axes", axes, (size_t)n, err);
    struct mo_node *r = a ? mo_pd_op(t, type, NULL, err, 2, x, mo_val(a, 0)) : NULL;
    if (!r || mo_node_set_bool(r, "keep_dims", mo_node_get_bool(fw, "keep_dim", false, NULL)) != MO_OK)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(r, 0), err);
}

#define REDUCE(fn, type)                                                                    \
    static enum mo_status fn(struct mo_tctx *t, const struct mo_node *fw, void *user,       \
                             struct mo_error *err)                                          \
    {                                                                                       \
        return reduce(t, fw, type, err);                                                    \
    }

REDUCE(tr_mean, "ReduceMean")
REDUCE(tr_sum, "ReduceSum")
REDUCE(tr_max, "ReduceMax")
REDUCE(tr_min, "ReduceMin")
REDUCE(tr_prod, "ReduceProd")

static enum mo_status arg_extreme(struct mo_tctx *t, const struct mo_node *fw, const char *mode,
                                  struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    if (mo_node_get_bool(fw, "flatten", false, NULL)) {
        struct mo_node *r = mo_pd_reshape(t, "flat", x, (int64_t[]){-1}, 1, err);
        if (!r)
            return mo_pd_status(err);
        x = mo_val(r, 0);
    }
    int rank = mo_pd_shape(x).rank, axis;
    if ((st = mo_pd_axis(fw, "axis", -1, rank, &axis, err)) != MO_OK)
        return st;
    enum mo_etype it = mo_pd_etype((int)mo_node_get_int(fw, "dtype", 3, NULL));
    if (it != MO_ET_I32)
        it = MO_ET_I64;
    struct mo_node *k = mo_pd_scalar_i64(t, "k", 1, err);
    struct mo_node *tk = k ? mo_pd_op(t, "TopK", "topk", err, 2, x, mo_val(k, 0)) : NULL;
    if (!tk || mo_node_set_int(tk, "axis", axis) != MO_OK || mo_node_set_str(tk, "mode", mode) != MO_OK ||
        mo_node_set_str(tk, "sort", "none") != MO_OK ||
        mo_node_set_str(tk, "index_element_type", mo_etype_name(it)) != MO_OK)
        return mo_pd_status(err);
    struct mo_value y = mo_val(tk, 1);
    if (!mo_node_get_bool(fw, "keepdims", false, NULL)) {
        struct mo_node *a = mo_pd_i64(t, "squeeze_axis", (int64_t[]){axis}, 1, err);
        struct mo_node *q = a ? mo_pd_op(t, "Squeeze", NULL, err, 2, y, mo_val(a, 0)) : NULL;
        if (!q)
            return mo_pd_status(err);
        y = mo_val(q, 0);
    }
    return mo_pd_set_out(t, fw, "Out", y, err);
}

static enum mo_status tr_arg_max(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    return arg_extreme(t, fw, "max", err);
}

static enum mo_status tr_arg_min(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    return arg_extreme(t, fw, "min", err);
}

MO_PD_TABLE(mo_pd_tr_reduce,
            {"reduce_mean", tr_mean}, {"reduce_sum", tr_sum}, {"reduce_max", tr_max},
            {"reduce_min", tr_min}, {"reduce_prod", tr_prod},
            {"arg_max", tr_arg_max}, {"arg_min", tr_arg_min});
