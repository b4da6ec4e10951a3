/* tr_reduce.c - MXNet reductions sum/mean/max/min/prod (and their *_axis
 * aliases) with axis, keepdims and exclude. */
#include <config.h>

#include <string.h>

#include "tr_util.h"

static enum mo_status reduce(struct mo_tctx *t, const struct mo_node *fw, const char *ir_type,
                             struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_mx_input(t, fw, 0, &x, err);
    if (st != MO_OK)
        return st;
    int rank = mo_mx_in_shape(t, 0).rank;
    if (rank < 0)
        return MO_ERR_DECLINED;
    int64_t ax[MO_MAX_RANK];
    int na = mo_mx_attr_none(fw, "axis") ? 0 : mo_node_get_ints(fw, "axis", ax, MO_MAX_RANK);
    if (na < 0) {
        /* "()" is MXNet's spelling of "every axis" */
        const char *s = mo_node_get_str(fw, "axis", "");
        if (strpbrk(s, "0123456789"))
            return mo_mx_bad(err, "cannot read axis='%s'", s);
        na = 0;
    }
    bool keep = mo_node_get_bool(fw, "keepdims", false, NULL);
    bool exclude = mo_node_get_bool(fw, "exclude", false, NULL);
    bool sel[MO_MAX_RANK] = {false};
    for (int i = 0; i < na; i++) {
        int a;
        if ((st = mo_mx_axis("axis", ax[i], rank, &a, err)))
            return st;
        sel[a] = true;
    }
    /* an empty axis list means every axis; with exclude it would mean none,
     * which MXNet treats inconsistently across versions */
    if (na == 0 && exclude)
        return MO_ERR_DECLINED;
    int64_t axes[MO_MAX_RANK];
    int n = 0;
    for (int i = 0; i < rank; i++)
        if (na == 0 || sel[i] != exclude)
            axes[n++] = i;
    struct mo_node *c = mo_mx_const_i64(t, fw, "axes", axes, (size_t)n, err);
    bool all = n == rank;
    /* reducing everything without keepdims gives shape (1,) in MXNet, not a scalar */
    const char *sfx = all && !keep ? "reduce" : NULL;
    struct mo_node *r = c ? mo_mx_op(t, ir_type, sfx, err, 2, x, mo_val(c, 0)) : NULL;
    if (!r)
        return mo_mx_status(err);
    if (mo_node_set_bool(r, "keep_dims", keep))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    if (all && !keep) {
        int64_t one = 1;
        struct mo_node *rs = mo_mx_reshape(t, fw, NULL, mo_val(r, 0), &one, 1, err);
        if (!rs)
            return mo_mx_status(err);
        r = rs;
    }
    return mo_tctx_set_output(t, 0, mo_val(r, 0), err);
}

#define REDUCER(fn, ir)                                                                   \
    static enum mo_status fn(struct mo_tctx *t, const struct mo_node *fw, void *user,     \
                             struct mo_error *err)                                        \
    {                                                                                     \
        (void)user;                                                                       \
        return reduce(t, fw, ir, err);                                                    \
    }

REDUCER(tr_sum, "ReduceSum")
REDUCER(tr_mean, "ReduceMean")
REDUCER(tr_max, "ReduceMax")
REDUCER(tr_min, "ReduceMin")
REDUCER(tr_prod, "ReduceProd")

MO_MX_TABLE(mo_mx_tr_reduce,
            {"sum", tr_sum},
            {"sum_axis", tr_sum},
            {"mean", tr_mean},
            {"max", tr_max},
            {"max_axis", tr_max},
            {"min", tr_min},
            {"min_axis", tr_min},
            {"prod", tr_prod});
