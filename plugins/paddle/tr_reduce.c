/* tr_reduce.c - reduce_{mean,sum,max,min,prod}, arg_max, arg_min. */
#include <config.h>

#include <string.h>

#include "paddle.h"

static enum mo_status reduce(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                             struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int rank = mo_value_shape(x).rank;
    int64_t axes[MO_MAX_RANK];
    int n = mo_pd_ints(fw, "dim", axes, MO_MAX_RANK);
    if (mo_node_get_bool(fw, "reduce_all", false, NULL) || n <= 0) {
        if (rank < 0)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                  "reducing all axes needs an input of known rank");
        for (n = 0; n < rank; n++)
            axes[n] = n;
    }
    struct mo_value a = mo_build_i64(b, "axes", axes, (size_t)n);
    struct mo_value y = mo_build_op(b, type, NULL, 2, x, a);
    bool keep = mo_node_get_bool(fw, "keep_dim", false, NULL);
    return mo_pd_set_out(b, "Out", mo_build_set_bool(b, y, "keep_dims", keep));
}

MO_PD_VARIANT(tr_mean, reduce, "ReduceMean")
MO_PD_VARIANT(tr_sum, reduce, "ReduceSum")
MO_PD_VARIANT(tr_max, reduce, "ReduceMax")
MO_PD_VARIANT(tr_min, reduce, "ReduceMin")
MO_PD_VARIANT(tr_prod, reduce, "ReduceProd")

static enum mo_status arg_extreme(struct mo_tctx *t, const struct mo_node *fw, const char *mode,
                                  struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    if (mo_node_get_bool(fw, "flatten", false, NULL))
        x = mo_build_reshape(b, "flat", x, (int64_t[]){-1}, 1, false);
    int axis = mo_pd_axis(b, "axis", -1, mo_value_shape(x).rank);
    enum mo_etype it = mo_pd_etype((int)mo_node_get_int(fw, "dtype", 3, NULL));
    if (it != MO_ET_I32)
        it = MO_ET_I64;
    struct mo_value k = mo_build_i64_scalar(b, "k", 1);
    struct mo_value tk = mo_build_op(b, "TopK", "topk", 2, x, k);
    mo_build_set_int(b, tk, "axis", axis);
    mo_build_set_str(b, tk, "mode", mode);
    mo_build_set_str(b, tk, "sort", "none");
    mo_build_set_str(b, tk, "index_element_type", mo_etype_name(it));
    struct mo_value y = mo_val(tk.node, 1);
    if (!mo_node_get_bool(fw, "keepdims", false, NULL)) {
        struct mo_value a = mo_build_i64(b, "squeeze_axis", (int64_t[]){axis}, 1);
        y = mo_build_op(b, "Squeeze", NULL, 2, y, a);
    }
    return mo_pd_set_out(b, "Out", y);
}

MO_PD_VARIANT(tr_arg_max, arg_extreme, "max")
MO_PD_VARIANT(tr_arg_min, arg_extreme, "min")

MO_PD_TABLE(mo_pd_tr_reduce,
            {"reduce_mean", tr_mean}, {"reduce_sum", tr_sum}, {"reduce_max", tr_max},
            {"reduce_min", tr_min}, {"reduce_prod", tr_prod},
            {"arg_max", tr_arg_max}, {"arg_min", tr_arg_min});
