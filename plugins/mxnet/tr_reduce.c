/* tr_reduce.c - MXNet reductions sum/mean/max/min/prod (and their *_axis
 * aliases) with axis, keepdims and exclude. */
#include <config.h>

#include <string.h>

#include "tr_util.h"

static const struct {
    const char *mx, *ir;
} reducers[] = {
    {"sum", "ReduceSum"}, {"sum_axis", "ReduceSum"}, {"mean", "ReduceMean"}, {"max", "ReduceMax"},
    {"max_axis", "ReduceMax"}, {"min", "ReduceMin"}, {"min_axis", "ReduceMin"}, {"prod", "ReduceProd"},
};

static enum mo_status tr_reduce(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    (void)user;
    const char *ir = NULL;
    for (size_t i = 0; i < MO_COUNT_OF(reducers); i++)
        if (!strcmp(reducers[i].mx, fw->type))
            ir = reducers[i].ir;
    if (!ir)
        return MO_ERR_DECLINED;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    int rank = mo_value_shape(x).rank;
    if (rank < 0)
        return mo_mx_decline(b);
    int64_t ax[MO_MAX_RANK];
    int na = mo_mx_attr_none(fw, "axis") ? 0 : mo_node_get_ints(fw, "axis", ax, MO_MAX_RANK);
    if (na < 0) {
        /* "()" is MXNet's spelling of "every axis" */
        const char *s = mo_node_get_str(fw, "axis", "");
        if (strpbrk(s, "0123456789"))
            return mo_build_fail(b, "cannot read axis='%s'", s);
        na = 0;
    }
    bool keep = mo_node_get_bool(fw, "keepdims", false, NULL);
    bool exclude = mo_node_get_bool(fw, "exclude", false, NULL);
    bool sel[MO_MAX_RANK] = {false};
    for (int i = 0; i < na; i++) {
        int a;
        if (!mo_mx_axis(b, "axis", ax[i], rank, &a))
            return mo_build_status(b);
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
    struct mo_value c = mo_build_i64(b, "axes", axes, (size_t)n);
    /* reducing everything without keepdims gives shape (1,) in MXNet, not a scalar */
    bool to_1d = n == rank && !keep;
    struct mo_value r = mo_build_op(b, ir, to_1d ? "reduce" : NULL, 2, x, c);
    mo_build_set_bool(b, r, "keep_dims", keep);
    if (to_1d)
        r = mo_build_reshape(b, NULL, r, (const int64_t[]){1}, 1, false);
    return mo_build_done(b, r);
}

MO_MX_TABLE(mo_mx_tr_reduce,
            {"sum", tr_reduce},
            {"sum_axis", tr_reduce},
            {"mean", tr_reduce},
            {"max", tr_reduce},
            {"max_axis", tr_reduce},
            {"min", tr_reduce},
            {"min_axis", tr_reduce},
            {"prod", tr_reduce});
