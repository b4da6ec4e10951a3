/* tr_shape.c - reshape2, transpose2, flatten_contiguous_range, flatten2,
 * concat, split, slice, strided_slice, squeeze2, unsqueeze2, stack. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "paddle.h"

static enum mo_status finish(struct mo_tctx *t, const struct mo_node *fw, struct mo_node *n,
                             struct mo_error *err)
{
    if (!n)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(n, 0), err);
}

static enum mo_status tr_reshape2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    struct mo_value shape = mo_pd_in(t, fw, "Shape", 0);
    if (!shape.node && mo_pd_in_count(fw, "ShapeTensor") == 0) {
        int64_t d[MO_MAX_RANK];
        int n = mo_pd_ints(fw, "shape", d, MO_MAX_RANK);
        if (n < 0)
            return mo_pd_bad(err, "reshape has no shape");
        struct mo_shape xs = mo_pd_shape(x);
        mo_pd_resolve_target(&xs, d, n);
        struct mo_node *c = mo_pd_i64(t, "shape", d, (size_t)n, err);
        if (!c)
            return mo_pd_status(err);
        shape = mo_val(c, 0);
    } else if (!shape.node) {
        /* one scalar tensor per dim: concatenate them */
        unsigned cnt = mo_pd_in_count(fw, "ShapeTensor");
        struct mo_value parts[MO_MAX_RANK];
        if (cnt > MO_MAX_RANK)
            return mo_pd_bad(err, "ShapeTensor has %u entries", cnt);
        for (unsigned i = 0; i < cnt; i++) {
            struct mo_value p = mo_pd_in(t, fw, "ShapeTensor", i);
            struct mo_node *r = mo_pd_reshape(t, "dim", p, (int64_t[]){1}, 1, err);
            struct mo_node *cv = r ? mo_pd_convert(t, "dim_i64", mo_val(r, 0), MO_ET_I64, err) : NULL;
            if (!cv)
                return mo_pd_status(err);
            parts[i] = mo_val(cv, 0);
        }
        struct mo_node *c = mo_tctx_op(t, "Concat", "shape", cnt, parts, err);
        if (!c || mo_node_set_int(c, "axis", 0) != MO_OK)
            return mo_pd_status(err);
        shape = mo_val(c, 0);
    }
    struct mo_node *r = mo_pd_op(t, "Reshape", NULL, err, 2, x, shape);
    if (r && mo_node_set_bool(r, "special_zero", true) != MO_OK)
        return mo_pd_status(err);
    return finish(t, fw, r, err);
}

static enum mo_status tr_transpose2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    int64_t p[MO_MAX_RANK];
    int n = mo_pd_ints(fw, "axis", p, MO_MAX_RANK);
    if (n < 0)
        return mo_pd_bad(err, "transpose has no axis attribute");
    struct mo_node *c = mo_pd_i64(t, "order", p, (size_t)n, err);
    return finish(t, fw, c ? mo_pd_op(t, "Transpose", NULL, err, 2, x, mo_val(c, 0)) : NULL, err);
}

/* Merge dims [start, stop] of x into one. */
static enum mo_status flatten_range(struct mo_tctx *t, const struct mo_node *fw, struct mo_value x,
                                    int start, int stop, struct mo_error *err)
{
    struct mo_shape xs = mo_pd_shape(x);
    int64_t d[MO_MAX_RANK];
    int n = 0;
    for (int i = 0; i < start; i++)
        d[n++] = 0;          /* special zero: copy the input dim */
    d[n++] = -1;
    for (int i = stop + 1; i < xs.rank; i++) {
        if (xs.dims[i] < 0)
            return mo_pd_bad(err, "flatten of a middle range needs static trailing dims");
        d[n++] = xs.dims[i];
    }
    if (xs.rank == 0)
        n = 1, d[0] = 1;
    mo_pd_resolve_target(&xs, d, n);
    struct mo_node *c = mo_pd_i64(t, "shape", d, (size_t)n, err);
    struct mo_node *r = c ? mo_pd_op(t, "Reshape", NULL, err, 2, x, mo_val(c, 0)) : NULL;
    if (r && mo_node_set_bool(r, "special_zero", true) != MO_OK)
        return mo_pd_status(err);
    return finish(t, fw, r, err);
}

static enum mo_status tr_flatten_range(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                       struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    int rank = mo_pd_shape(x).rank;
    if (rank < 0)
        return mo_pd_bad(err, "flatten needs an input of known rank");
    if (rank == 0)
        return flatten_range(t, fw, x, 0, 0, err);
    int a, b;
    if ((st = mo_pd_axis(fw, "start_axis", 1, rank, &a, err)) != MO_OK ||
        (st = mo_pd_axis(fw, "stop_axis", -1, rank, &b, err)) != MO_OK)
        return st;
    return flatten_range(t, fw, x, a, b, err);
}

/* flatten/flatten2: 2-D [prod(d[:axis]), prod(d[axis:])]. */
static enum mo_status tr_flatten2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    struct mo_shape xs = mo_pd_shape(x);
    int64_t axis = mo_node_get_int(fw, "axis", 1, NULL);
    if (xs.rank < 0 || axis < 0 || axis > xs.rank)
        return mo_pd_bad(err, "flatten axis %lld does not fit the input", (long long)axis);
    int64_t d[2] = {1, -1};
    for (int i = 0; i < axis; i++)
        d[0] = xs.dims[i] < 0 || d[0] < 0 ? -1 : d[0] * xs.dims[i];
    if (d[0] < 0) {
        if (axis != 1)
            return mo_pd_bad(err, "flatten with dynamic leading dims needs axis 1");
        d[0] = 0;
    }
    struct mo_node *c = mo_pd_i64(t, "shape", d, 2, err);
    struct mo_node *r = c ? mo_pd_op(t, "Reshape", NULL, err, 2, x, mo_val(c, 0)) : NULL;
    if (r && mo_node_set_bool(r, "special_zero", true) != MO_OK)
        return mo_pd_status(err);
    return finish(t, fw, r, err);
}

static enum mo_status tr_concat(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    unsigned n = mo_pd_in_count(fw, "X");
    if (!n)
        return mo_pd_bad(err, "concat has no inputs");
    struct mo_value *in = mo_graph_alloc(mo_tctx_graph(t), n * sizeof *in);
    if (!in)
        return MO_ERR_NOMEM;
    for (unsigned i = 0; i < n; i++)
        in[i] = mo_pd_in(t, fw, "X", i);
    int rank = mo_pd_shape(in[0]).rank;
    struct mo_value at = mo_pd_in(t, fw, "AxisTensor", 0);
    int64_t axis = mo_node_get_int(fw, "axis", 0, NULL);
    if (at.node) {
        if (!at.node->value)
            return mo_pd_bad(err, "concat with a computed AxisTensor is not supported");
        axis = mo_tensor_get_i64(at.node->value, 0);
    }
    if (axis < 0)
        axis += rank;
    struct mo_node *c = mo_tctx_op(t, "Concat", NULL, n, in, err);
    if (c && mo_node_set_int(c, "axis", axis) != MO_OK)
        return mo_pd_status(err);
    return finish(t, fw, c, err);
}

static enum mo_status tr_split(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    int rank = mo_pd_shape(x).rank;
    int axis;
    struct mo_value at = mo_pd_in(t, fw, "AxisTensor", 0);
    if (at.node) {
        if (!at.node->value)
            return mo_pd_bad(err, "split with a computed AxisTensor is not supported");
        axis = mo_axis_norm(mo_tensor_get_i64(at.node->value, 0), rank);
        if (axis < 0)
            return mo_pd_bad(err, "split axis out of range");
    } else if ((st = mo_pd_axis(fw, "axis", 0, rank, &axis, err)) != MO_OK) {
        return st;
    }
    int64_t num = mo_node_get_int(fw, "num", 0, NULL);
    int64_t sec[64];
    int ns = mo_pd_ints(fw, "sections", sec, 64);
    unsigned nout = 0;
    while (mo_pd_out_index(fw, "Out", nout) >= 0)
        nout++;
    struct mo_node *a = mo_pd_scalar_i64(t, "axis", axis, err);
    if (!a)
        return mo_pd_status(err);
    struct mo_node *s;
    if (num > 0 || ns <= 0) {
        s = mo_pd_op(t, "Split", NULL, err, 2, x, mo_val(a, 0));
        if (s && mo_node_set_int(s, "num_splits", num > 0 ? num : nout) != MO_OK)
            return mo_pd_status(err);
    } else {
        struct mo_node *l = mo_pd_i64(t, "lengths", sec, (size_t)ns, err);
        s = l ? mo_pd_op(t, "VariadicSplit", NULL, err, 3, x, mo_val(a, 0), mo_val(l, 0)) : NULL;
    }
    if (!s)
        return mo_pd_status(err);
    if ((st = mo_node_infer(s, err)) != MO_OK)
        return st;
    for (unsigned i = 0; i < nout && st == MO_OK; i++)
        st = mo_tctx_set_output(t, (unsigned)mo_pd_out_index(fw, "Out", i), mo_val(s, i), err);
    return st;
}

/* Squeeze the listed axes (decrease_axis of slice ops). */
static enum mo_status squeeze_axes(struct mo_tctx *t, struct mo_value *y, const int64_t *axes,
                                   int n, struct mo_error *err)
{
    if (n <= 0)
        return MO_OK;
    struct mo_node *a = mo_pd_i64(t, "squeeze_axes", axes, (size_t)n, err);
    struct mo_node *q = a ? mo_pd_op(t, "Squeeze", "squeeze", err, 2, *y, mo_val(a, 0)) : NULL;
    if (!q)
        return mo_pd_status(err);
    *y = mo_val(q, 0);
    return MO_OK;
}

static enum mo_status const_list(struct mo_tctx *t, const struct mo_node *fw, const char *attr,
                                 const char *tensor_slot, int64_t *out, int *n,
                                 struct mo_error *err)
{
    struct mo_value v = mo_pd_in(t, fw, tensor_slot, 0);
    if (v.node) {
        if (!v.node->value)
            return mo_pd_bad(err, "%s computed at run time is not supported", tensor_slot);
        int64_t c = mo_tensor_numel(v.node->value);
        if (c > MO_MAX_RANK)
            return mo_pd_bad(err, "%s has %lld values", tensor_slot, (long long)c);
        for (int64_t i = 0; i < c; i++)
            out[i] = mo_tensor_get_i64(v.node->value, i);
        *n = (int)c;
        return MO_OK;
    }
    char list[64];
    snprintf(list, sizeof list, "%sList", tensor_slot);
    if (mo_pd_in_count(fw, list) > 0)
        return mo_pd_bad(err, "per-dim tensor lists for %s are not supported", attr);
    *n = mo_pd_ints(fw, attr, out, MO_MAX_RANK);
    return MO_OK;
}

static enum mo_status slice_common(struct mo_tctx *t, const struct mo_node *fw, bool strided,
                                   struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "Input", &x, err);
    if (st != MO_OK)
        return st;
    int64_t axes[MO_MAX_RANK], starts[MO_MAX_RANK], ends[MO_MAX_RANK], steps[MO_MAX_RANK];
    int na = mo_pd_ints(fw, "axes", axes, MO_MAX_RANK), ns = 0, ne = 0, nst = na;
    if ((st = const_list(t, fw, "starts", "StartsTensor", starts, &ns, err)) != MO_OK ||
        (st = const_list(t, fw, "ends", "EndsTensor", ends, &ne, err)) != MO_OK)
        return st;
    for (int i = 0; i < na; i++)
        steps[i] = 1;
    if (strided && (st = const_list(t, fw, "strides", "StridesTensor", steps, &nst, err)) != MO_OK)
        return st;
    if (na <= 0 || ns != na || ne != na || nst != na)
        return mo_pd_bad(err, "axes, starts, ends (and strides) must have the same length");
    struct mo_node *cb = mo_pd_i64(t, "start", starts, (size_t)na, err);
    struct mo_node *ce = cb ? mo_pd_i64(t, "stop", ends, (size_t)na, err) : NULL;
    struct mo_node *cs = ce ? mo_pd_i64(t, "step", steps, (size_t)na, err) : NULL;
    struct mo_node *ca = cs ? mo_pd_i64(t, "axes", axes, (size_t)na, err) : NULL;
    struct mo_value in[5] = {x, mo_val(cb, 0), mo_val(ce, 0), mo_val(cs, 0), mo_val(ca, 0)};
    int64_t dec[MO_MAX_RANK];
    int nd = mo_pd_ints(fw, "decrease_axis", dec, MO_MAX_RANK);
    struct mo_node *s = ca ? mo_tctx_op(t, "Slice", nd > 0 ? "slice" : NULL, 5, in, err) : NULL;
    if (!s)
        return mo_pd_status(err);
    struct mo_value y = mo_val(s, 0);
    if (nd > 0) {
        if ((st = mo_node_infer(s, err)) != MO_OK)
            return st;
        if ((st = squeeze_axes(t, &y, dec, nd, err)) != MO_OK)
            return st;
    }
    return mo_pd_set_out(t, fw, "Out", y, err);
}

static enum mo_status tr_slice(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    return slice_common(t, fw, false, err);
}

static enum mo_status tr_strided_slice(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                       struct mo_error *err)
{
    return slice_common(t, fw, true, err);
}

static enum mo_status tr_squeeze2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    int64_t axes[MO_MAX_RANK];
    int n = mo_pd_ints(fw, "axes", axes, MO_MAX_RANK);
    struct mo_shape xs = mo_pd_shape(x);
    /* Paddle skips listed axes whose dim is not 1 */
    int k = 0;
    for (int i = 0; i < n; i++) {
        int a = mo_axis_norm(axes[i], xs.rank);
        if (a >= 0 && xs.dims[a] == 1)
            axes[k++] = a;
    }
    if (n > 0 && k == 0) {
        struct mo_node *c = mo_pd_i64(t, "shape", xs.dims, (size_t)xs.rank, err);
        struct mo_node *r = c ? mo_pd_op(t, "Reshape", NULL, err, 2, x, mo_val(c, 0)) : NULL;
        if (r && mo_node_set_bool(r, "special_zero", true) != MO_OK)
            return mo_pd_status(err);
        return finish(t, fw, r, err);
    }
    if (n <= 0)
        return finish(t, fw, mo_pd_op(t, "Squeeze", NULL, err, 1, x), err);
    struct mo_node *c = mo_pd_i64(t, "axes", axes, (size_t)k, err);
    return finish(t, fw, c ? mo_pd_op(t, "Squeeze", NULL, err, 2, x, mo_val(c, 0)) : NULL, err);
}

static enum mo_status tr_unsqueeze2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st != MO_OK)
        return st;
    int64_t axes[MO_MAX_RANK];
    int n = 0;
    if ((st = const_list(t, fw, "axes", "AxesTensor", axes, &n, err)) != MO_OK)
        return st;
    if (n <= 0)
        return mo_pd_bad(err, "unsqueeze has no axes");
    struct mo_node *c = mo_pd_i64(t, "axes", axes, (size_t)n, err);
    return finish(t, fw, c ? mo_pd_op(t, "Unsqueeze", NULL, err, 2, x, mo_val(c, 0)) : NULL, err);
}

static enum mo_status tr_stack(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    unsigned n = mo_pd_in_count(fw, "X");
    if (!n)
        return mo_pd_bad(err, "stack has no inputs");
    struct mo_value *in = mo_graph_alloc(mo_tctx_graph(t), n * sizeof *in);
    if (!in)
        return MO_ERR_NOMEM;
    int rank = mo_pd_shape(mo_pd_in(t, fw, "X", 0)).rank;
    int axis = mo_axis_norm(mo_node_get_int(fw, "axis", 0, NULL), rank + 1);
    if (axis < 0)
        return mo_pd_bad(err, "stack axis out of range");
    struct mo_node *ax = mo_pd_i64(t, "axes", (int64_t[]){axis}, 1, err);
    if (!ax)
        return mo_pd_status(err);
    for (unsigned i = 0; i < n; i++) {
        char sfx[32];
        snprintf(sfx, sizeof sfx, "unsqueeze%u", i);
        struct mo_node *u = mo_pd_op(t, "Unsqueeze", sfx, err, 2, mo_pd_in(t, fw, "X", i), mo_val(ax, 0));
        if (!u)
            return mo_pd_status(err);
        in[i] = mo_val(u, 0);
    }
    struct mo_node *c = mo_tctx_op(t, "Concat", NULL, n, in, err);
    if (!c || mo_node_set_int(c, "axis", axis) != MO_OK)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Y", mo_val(c, 0), err);
}

MO_PD_TABLE(mo_pd_tr_shape,
            {"reshape2", tr_reshape2}, {"reshape", tr_reshape2},
            {"transpose2", tr_transpose2}, {"transpose", tr_transpose2},
            {"flatten_contiguous_range", tr_flatten_range},
            {"flatten2", tr_flatten2}, {"flatten", tr_flatten2},
            {"concat", tr_concat}, {"split", tr_split},
            {"slice", tr_slice}, {"strided_slice", tr_strided_slice},
            {"squeeze2", tr_squeeze2}, {"squeeze", tr_squeeze2},
            {"unsqueeze2", tr_unsqueeze2}, {"unsqueeze", tr_unsqueeze2},
            {"stack", tr_stack});
