/* tr_reduce.c - reductions over the axes input (keep_dims), ArgMax and
 * ArgMin as a TopK of one, TopKV2, Cumsum. */
#include <config.h>

#include <string.h>

#include "tf.h"

/* user: the IR op type. */
static enum mo_status tr_reduce(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_value ax = mo_tf_in_i64(b, 1, "reduction_indices");
    struct mo_value y = mo_build_op(b, user, NULL, 2, x, ax);
    return mo_build_done(b, mo_build_set_bool(b, y, "keep_dims", mo_node_get_bool(fw, "keep_dims", false, NULL)));
}

/* ArgMax, ArgMin (input, dimension): the index output of TopK k=1, the
 * axis squeezed, in output_type. */
static enum mo_status tr_arg(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    int64_t a;
    if (mo_tf_const_ints(b, 1, &a, 1) != 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "the dimension (input 1) must be one constant");
    a = mo_tf_axis(b, a, mo_value_shape(x).rank);
    enum mo_etype et = mo_tf_etype((int)mo_node_get_int(fw, "output_type", 9, NULL));
    if (et != MO_ET_I32 && et != MO_ET_I64)
        return mo_build_fail(b, "output_type must be int32 or int64");
    struct mo_value k = mo_build_i64_scalar(b, "k", 1);
    struct mo_value tk = mo_build_op(b, "TopK", "topk", 2, x, k);
    mo_build_set_int(b, tk, "axis", a);
    mo_build_set_str(b, tk, "mode", !strcmp(fw->type, "ArgMin") ? "min" : "max");
    mo_build_set_str(b, tk, "sort", "none");
    mo_build_set_str(b, tk, "index_element_type", et == MO_ET_I32 ? "i32" : "i64");
    struct mo_value idx = tk.node ? mo_val(tk.node, 1) : MO_NO_VALUE;
    return mo_build_done(b, mo_build_squeeze(b, NULL, idx, &a, 1));
}

/* TopKV2(input, k): the k largest along the last dim, values and indices
 * (int32, TensorFlow's index type); sorted=false leaves the order to the
 * runtime, as TensorFlow leaves it unspecified. */
static enum mo_status tr_topk(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_value k = mo_tf_in_i64(b, 1, "k");
    int rank = mo_value_shape(x).rank;
    struct mo_value tk = mo_build_op(b, "TopK", NULL, 2, x, k);
    mo_build_set_int(b, tk, "axis", rank > 0 ? rank - 1 : -1);
    mo_build_set_str(b, tk, "mode", "max");
    mo_build_set_str(b, tk, "sort", mo_node_get_bool(fw, "sorted", true, NULL) ? "value" : "none");
    mo_build_set_str(b, tk, "index_element_type", "i32");
    if (fw->n_outputs > 1)
        mo_build_output(b, 1, tk.node ? mo_val(tk.node, 1) : MO_NO_VALUE);
    return mo_build_done(b, tk);
}

/* Cumsum(x, axis) exclusive, reverse: the IR's CumSum. */
static enum mo_status tr_cumsum(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x"), a = mo_tf_in_i64(b, 1, "axis");
    struct mo_value y = mo_build_op(b, "CumSum", NULL, 2, x, a);
    mo_build_set_bool(b, y, "exclusive", mo_node_get_bool(fw, "exclusive", false, NULL));
    return mo_build_done(b, mo_build_set_bool(b, y, "reverse", mo_node_get_bool(fw, "reverse", false, NULL)));
}

MO_TF_TABLE(mo_tf_tr_reduce,
            {"Mean", tr_reduce, "ReduceMean"},
            {"Sum", tr_reduce, "ReduceSum"},
            {"Max", tr_reduce, "ReduceMax"},
            {"Min", tr_reduce, "ReduceMin"},
            {"Prod", tr_reduce, "ReduceProd"},
            {"All", tr_reduce, "ReduceLogicalAnd"},
            {"Any", tr_reduce, "ReduceLogicalOr"},
            {"EuclideanNorm", tr_reduce, "ReduceL2"},
            {"ArgMax", tr_arg, NULL},
            {"ArgMin", tr_arg, NULL},
            {"TopKV2", tr_topk, NULL},
            {"Cumsum", tr_cumsum, NULL},)
