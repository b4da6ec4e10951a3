/* tr_reduce.c - reductions (Reduce*), ArgMax/ArgMin, TopK, CumSum. */
#include <config.h>

#include <string.h>

#include "onnx.h"

/* How one ONNX reduction is built from the IR's: an optional elementwise
 * step before the IR reduction and one after it.  noop is what the op
 * computes over an empty set of axes when noop_with_empty_axes asks for no
 * reduction (ONNX then still applies the elementwise part: ReduceL1 of no
 * axes is |x|). */
enum red_pre { PRE_NONE, PRE_SQUARE, PRE_LSE };
enum red_post { POST_NONE, POST_LOG };
struct reduction {
    const char *ir;
    enum red_pre pre;
    enum red_post post;
    const char *noop; /* NULL: the input itself; "Square": x*x; else a unary IR op */
};

static const struct reduction r_sum = {"ReduceSum", PRE_NONE, POST_NONE, NULL};
static const struct reduction r_mean = {"ReduceMean", PRE_NONE, POST_NONE, NULL};
static const struct reduction r_max = {"ReduceMax", PRE_NONE, POST_NONE, NULL};
static const struct reduction r_min = {"ReduceMin", PRE_NONE, POST_NONE, NULL};
static const struct reduction r_prod = {"ReduceProd", PRE_NONE, POST_NONE, NULL};
static const struct reduction r_l1 = {"ReduceL1", PRE_NONE, POST_NONE, "Abs"};
static const struct reduction r_l2 = {"ReduceL2", PRE_NONE, POST_NONE, "Abs"};
static const struct reduction r_log_sum = {"ReduceSum", PRE_NONE, POST_LOG, "Log"};
static const struct reduction r_log_sum_exp = {"ReduceSum", PRE_LSE, POST_LOG, NULL};
static const struct reduction r_sum_square = {"ReduceSum", PRE_SQUARE, POST_NONE, "Square"};

static struct mo_value reduce_op(struct mo_build *b, const char *type, const char *sfx, struct mo_value x,
                                 struct mo_value axes, bool keep)
{
    return mo_build_set_bool(b, mo_build_op(b, type, sfx, 2, x, axes), "keep_dims", keep);
}

/* Axes from the attribute (ReduceSum before 13, the others before 18) or
 * input 1; none or an empty list reduces every axis unless
 * noop_with_empty_axes says the op is then the identity. */
static enum mo_status tr_reduce(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    const struct reduction *r = user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    bool keep = mo_node_get_int(fw, "keepdims", 1, NULL) != 0;
    bool noop = mo_node_get_int(fw, "noop_with_empty_axes", 0, NULL) != 0;
    int rank = mo_value_shape(x).rank;
    int64_t ax[MO_MAX_RANK];
    struct mo_value axes = MO_NO_VALUE;
    int n;
    if (mo_node_attr(fw, "axes") || !mo_ox_has_in(b, 1) || mo_value_const(mo_build_in(b, 1, "axes"))) {
        n = mo_ox_ints_attr_or_in(b, "axes", 1, ax, MO_MAX_RANK);
        if (n <= 0 && noop) {
            if (!r->noop)
                return mo_build_done(b, x);
            if (!strcmp(r->noop, "Square"))
                return mo_build_done(b, mo_build_op(b, "Multiply", NULL, 2, x, x));
            return mo_build_done(b, mo_build_op(b, r->noop, NULL, 1, x));
        }
        if (n <= 0) {
            if (mo_build_ok(b) && rank < 0)
                return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "reducing every axis needs a known input rank");
            for (n = 0; n < rank; n++)
                ax[n] = n;
        }
        for (int i = 0; i < n; i++)
            ax[i] = mo_ox_axis(b, ax[i], rank, "axis");
        axes = mo_build_i64(b, "axes", ax, (size_t)n);
    } else {
        /* computed axes: the IR reduces nothing over an empty list, which
         * is ONNX's meaning only with noop_with_empty_axes */
        axes = mo_build_in(b, 1, "axes");
        struct mo_shape as = mo_value_shape(axes);
        if (!noop && !(as.rank == 1 && as.dims[0] > 0))
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "axes computed in the graph can be converted only "
                                  "when their count is known not to be 0, or with noop_with_empty_axes=1");
    }
    /* max and min of booleans: the IR's logical reductions */
    const char *ir = r->ir;
    if (mo_value_et(x) == MO_ET_BOOLEAN && (r == &r_max || r == &r_min))
        ir = r == &r_max ? "ReduceLogicalOr" : "ReduceLogicalAnd";
    struct mo_value y = x, mx = MO_NO_VALUE;
    switch (r->pre) {
    case PRE_NONE:
        break;
    case PRE_SQUARE:
        y = mo_build_op(b, "Multiply", "square", 2, x, x);
        break;
    case PRE_LSE:
        /* log(sum(exp(x - m))) + m with m the max: exp never overflows */
        mx = reduce_op(b, "ReduceMax", "max", x, axes, true);
        y = mo_build_op(b, "Subtract", "shifted", 2, x, mx);
        y = mo_build_op(b, "Exp", "exp", 1, y);
        break;
    }
    bool last = r->post == POST_NONE;
    y = reduce_op(b, ir, last ? NULL : "reduce", y, axes, keep || r->pre == PRE_LSE);
    if (r->post == POST_LOG)
        y = mo_build_op(b, "Log", r->pre == PRE_LSE ? "log" : NULL, 1, y);
    if (r->pre == PRE_LSE) {
        y = mo_build_op(b, "Add", keep ? NULL : "keep", 2, y, mx);
        if (!keep)
            y = mo_build_op(b, "Squeeze", NULL, 2, y, axes);
    }
    return mo_build_done(b, y);
}

/* ArgMax/ArgMin: TopK with k 1 (stable, so ties give the first index as
 * ONNX wants); select_last_index looks at the axis reversed and maps the
 * index back. */
static enum mo_status tr_arg(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int rank = mo_value_shape(x).rank;
    int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", 0, NULL), rank, "axis");
    bool keep = mo_node_get_int(fw, "keepdims", 1, NULL) != 0;
    bool last = mo_node_get_int(fw, "select_last_index", 0, NULL) != 0;
    struct mo_value d = last ? mo_build_dims(b, "dim", x, &axis, 1) : MO_NO_VALUE;
    if (last)
        x = mo_build_slice(b, "reversed", x, (int64_t[]){-1}, (int64_t[]){INT64_MIN}, (int64_t[]){-1}, &axis, 1);
    struct mo_value k = mo_build_i64_scalar(b, "k", 1);
    struct mo_value tk = mo_build_op(b, "TopK", "topk", 2, x, k);
    mo_build_set_int(b, tk, "axis", axis);
    mo_build_set_str(b, tk, "mode", user);
    mo_build_set_str(b, tk, "sort", "value");
    mo_build_set_str(b, tk, "index_element_type", "i64");
    mo_build_set_bool(b, tk, "stable", true);
    struct mo_value idx = mo_val(tk.node, 1);
    if (last) {
        struct mo_value one = mo_build_i64(b, "one", (int64_t[]){1}, 1);
        struct mo_value top = mo_build_op(b, "Subtract", "last", 2, d, one);
        idx = mo_build_op(b, "Subtract", keep ? NULL : "index", 2, top, idx);
    }
    if (!keep)
        idx = mo_build_squeeze(b, NULL, idx, &axis, 1);
    return mo_build_done(b, idx);
}

/* TopK: k an attribute (opset 1) or a 1-element input (10+); largest and
 * sorted from 11.  Ties keep the lower index first, as ONNX defines. */
static enum mo_status tr_topk(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    int rank = mo_value_shape(x).rank;
    int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", -1, NULL), rank, "axis");
    struct mo_value k;
    if (user) {
        bool ok = false;
        int64_t kv = mo_node_get_int(fw, "k", 0, &ok);
        if (!ok)
            return mo_build_fail(b, "the k attribute is missing");
        k = mo_build_i64_scalar(b, "k", kv);
    } else {
        int64_t kv;
        if (mo_ox_const_ints(b, 1, &kv, 1) == 1)
            k = mo_build_i64_scalar(b, "k", kv);
        else
            k = mo_build_squeeze(b, "k", mo_build_in(b, 1, "K"), NULL, 0);
    }
    bool largest = mo_node_get_int(fw, "largest", 1, NULL) != 0;
    struct mo_value tk = mo_build_op(b, "TopK", NULL, 2, x, k);
    mo_build_set_int(b, tk, "axis", axis);
    mo_build_set_str(b, tk, "mode", largest ? "max" : "min");
    /* sorted=0 leaves the order to the implementation: sorted is one */
    mo_build_set_str(b, tk, "sort", "value");
    mo_build_set_str(b, tk, "index_element_type", "i64");
    mo_build_set_bool(b, tk, "stable", true);
    mo_build_output(b, 1, mo_val(tk.node, 1));
    return mo_build_done(b, tk);
}

/* CumSum: the axis input may be 0-D or a 1-element 1-D tensor; the IR's
 * is 0-D. */
static enum mo_status tr_cumsum(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x");
    struct mo_value a = mo_build_in(b, 1, "axis");
    int64_t av;
    if (mo_ox_const_ints(b, 1, &av, 1) == 1)
        a = mo_build_i64_scalar(b, "axis", mo_ox_axis(b, av, mo_value_shape(x).rank, "axis"));
    else if (mo_value_shape(a).rank != 0)
        a = mo_build_squeeze(b, "axis", a, NULL, 0);
    struct mo_value y = mo_build_op(b, "CumSum", NULL, 2, x, a);
    mo_build_set_bool(b, y, "exclusive", mo_node_get_int(fw, "exclusive", 0, NULL) != 0);
    return mo_build_done(b, mo_build_set_bool(b, y, "reverse", mo_node_get_int(fw, "reverse", 0, NULL) != 0));
}

MO_OX_TABLE(mo_ox_tr_reduce,
    {"ReduceSum", 1, tr_reduce, &r_sum},
    {"ReduceMean", 1, tr_reduce, &r_mean},
    {"ReduceMax", 1, tr_reduce, &r_max},
    {"ReduceMin", 1, tr_reduce, &r_min},
    {"ReduceProd", 1, tr_reduce, &r_prod},
    {"ReduceL1", 1, tr_reduce, &r_l1},
    {"ReduceL2", 1, tr_reduce, &r_l2},
    {"ReduceLogSum", 1, tr_reduce, &r_log_sum},
    {"ReduceLogSumExp", 1, tr_reduce, &r_log_sum_exp},
    {"ReduceSumSquare", 1, tr_reduce, &r_sum_square},
    {"ArgMax", 1, tr_arg, "max"},
    {"ArgMin", 1, tr_arg, "min"},
    {"TopK", 1, tr_topk, "attribute"},
    {"TopK", 10, tr_topk, NULL},
    {"CumSum", 11, tr_cumsum, NULL},
)
