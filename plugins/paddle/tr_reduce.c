/* tr_reduce.c - reduce_{mean,sum,max,min,prod}, arg_max, arg_min. */
#include <config.h>

#include <string.h>

#include "paddle.h"

/* The axes a reduction runs over (attribute `attr`; every axis when
 * reduce_all is set or the list is empty): a 1-D i64 Const, or MO_NO_VALUE
 * with b failed. */
static struct mo_value reduce_axes(struct mo_build *b, const struct mo_node *fw, const char *attr,
                                   int rank)
{
    /* PIR: axes computed at run time come as the input named after the
     * attribute (constant ones were folded into it) */
    struct mo_value t = mo_pd_in_opt(b, attr, 0);
    if (t.node)
        return mo_pd_i64_vec(b, "axes", t);
    int64_t axes[MO_MAX_RANK];
    int n = mo_pd_ints(fw, attr, axes, MO_MAX_RANK);
    if (mo_node_get_bool(fw, "reduce_all", false, NULL) || n <= 0) {
        if (rank < 0) {
            mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "reducing all axes needs an input of known rank");
            return MO_NO_VALUE;
        }
        for (n = 0; n < rank; n++)
            axes[n] = n;
    }
    return mo_build_i64(b, "axes", axes, (size_t)n);
}

/* The result type of a reduction: legacy out_dtype or PIR dtype when set;
 * reduce_sum of bool or of integers narrower than int64 gives int64, as
 * Paddle's sum does. */
static enum mo_etype reduce_out_type(const struct mo_node *fw, const char *type, enum mo_etype et)
{
    int64_t d = mo_node_get_int(fw, "out_dtype", -1, NULL);
    if (d < 0)
        d = mo_node_get_int(fw, "dtype", -1, NULL);
    enum mo_etype o = d >= 0 ? mo_pd_etype((int)d) : MO_ET_UNDEFINED;
    if (o != MO_ET_UNDEFINED)
        return o;
    if (!strcmp(type, "ReduceSum") &&
        (et == MO_ET_BOOLEAN || et == MO_ET_I32 || et == MO_ET_I16 || et == MO_ET_I8 || et == MO_ET_U8))
        return MO_ET_I64;
    return et;
}

static enum mo_status reduce(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                             struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    enum mo_etype et = mo_value_et(x);
    bool logical = !strncmp(type, "ReduceLogical", 13);
    if (logical && et != MO_ET_BOOLEAN) /* all / any of non-zero values */
        x = mo_build_convert(b, "as_bool", x, MO_ET_BOOLEAN);
    enum mo_etype ot = logical ? MO_ET_BOOLEAN : reduce_out_type(fw, type, et);
    if (!logical && ot != et)   /* Paddle casts before it reduces */
        x = mo_build_convert(b, "cast", x, ot);
    struct mo_value a = reduce_axes(b, fw, "dim", mo_value_shape(x).rank);
    struct mo_value y = mo_build_op(b, type, NULL, 2, x, a);
    bool keep = mo_node_get_bool(fw, "keep_dim", false, NULL);
    return mo_pd_set_out(b, "Out", mo_build_set_bool(b, y, "keep_dims", keep));
}

/* logsumexp = m + log(sum(exp(x - m))), m the max over the same axes:
 * exp never overflows. */
static enum mo_status tr_logsumexp(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value a = reduce_axes(b, fw, "axis", mo_value_shape(x).rank);
    bool keep = mo_node_get_bool(fw, "keepdim", false, NULL);
    struct mo_value mk = mo_build_op(b, "ReduceMax", "max_keep", 2, x, a);
    mo_build_set_bool(b, mk, "keep_dims", true);
    struct mo_value e = mo_build_op(b, "Exp", "exp", 1, mo_build_op(b, "Subtract", "shifted", 2, x, mk));
    struct mo_value s = mo_build_op(b, "ReduceSum", "sum", 2, e, a);
    mo_build_set_bool(b, s, "keep_dims", keep);
    struct mo_value m = mk;
    if (!keep) {
        m = mo_build_op(b, "ReduceMax", "max", 2, x, a);
        mo_build_set_bool(b, m, "keep_dims", false);
    }
    struct mo_value l = mo_build_op(b, "Log", "log", 1, s);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Add", NULL, 2, l, m));
}

MO_PD_VARIANT(tr_mean, reduce, "ReduceMean")
MO_PD_VARIANT(tr_sum, reduce, "ReduceSum")
MO_PD_VARIANT(tr_max, reduce, "ReduceMax")
MO_PD_VARIANT(tr_min, reduce, "ReduceMin")
MO_PD_VARIANT(tr_prod, reduce, "ReduceProd")
MO_PD_VARIANT(tr_all, reduce, "ReduceLogicalAnd")
/* amax / amin differ from max / min in their gradient only */
MO_PD_VARIANT(tr_any, reduce, "ReduceLogicalOr")

static enum mo_status arg_extreme(struct mo_tctx *t, const struct mo_node *fw, const char *mode,
                                  struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    bool flatten = mo_node_get_bool(fw, "flatten", false, NULL);
    int rank = mo_value_shape(x).rank;
    if (!flatten && mo_pd_in_opt(b, "axis", 0).node)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "%s with an axis computed at run time is not supported (TopK needs "
                              "a constant axis)", fw->type);
    /* flatten: the index into the flattened tensor, whatever axis says */
    int axis = flatten ? 0 : mo_pd_axis(b, "axis", -1, rank);
    if (flatten)
        x = mo_build_reshape(b, "flat", x, (int64_t[]){-1}, 1, false);
    int64_t dt = mo_node_get_int(fw, "dtype", 3, NULL);
    enum mo_etype it = dt < 0 ? MO_ET_I64 : mo_pd_etype((int)dt);   /* -1: the default */
    if (it != MO_ET_I32 && it != MO_ET_I64)
        return mo_build_error(b, MO_ERR_FORMAT, 2, "%s dtype %lld is not int32 or int64", fw->type,
                              (long long)dt);
    struct mo_value k = mo_build_i64_scalar(b, "k", 1);
    struct mo_value tk = mo_build_op(b, "TopK", "topk", 2, x, k);
    mo_build_set_int(b, tk, "axis", axis);
    mo_build_set_str(b, tk, "mode", mode);
    mo_build_set_str(b, tk, "sort", "none");
    mo_build_set_str(b, tk, "index_element_type", mo_etype_name(it));
    struct mo_value y = mo_val(tk.node, 1);
    bool keep = mo_node_get_bool(fw, "keepdims", false, NULL);
    if (!keep) {
        struct mo_value a = mo_build_i64(b, "squeeze_axis", (int64_t[]){axis}, 1);
        y = mo_build_op(b, "Squeeze", NULL, 2, y, a);
    } else if (flatten && rank > 1) {
        /* kept dims of the flattened input: rank ones, as Paddle gives */
        int64_t ones[MO_MAX_RANK];
        for (int i = 0; i < rank; i++)
            ones[i] = 1;
        y = mo_build_reshape(b, NULL, y, ones, rank, false);
    }
    return mo_pd_set_out(b, "Out", y);
}

MO_PD_VARIANT(tr_arg_max, arg_extreme, "max")
MO_PD_VARIANT(tr_arg_min, arg_extreme, "min")

MO_PD_TABLE(mo_pd_tr_reduce,
            {"reduce_mean", tr_mean}, {"reduce_sum", tr_sum}, {"reduce_max", tr_max},
            {"reduce_min", tr_min}, {"reduce_prod", tr_prod},
            {"reduce_all", tr_all}, {"reduce_any", tr_any}, {"logsumexp", tr_logsumexp},
            {"reduce_amax", tr_max}, {"reduce_amin", tr_min},
            {"arg_max", tr_arg_max}, {"arg_min", tr_arg_min});
