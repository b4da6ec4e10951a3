/* tr_shape.c - reshape2, transpose2, flatten_contiguous_range, flatten2,
 * concat, split, slice, strided_slice, squeeze2, unsqueeze2, stack. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "paddle.h"

/* Reshape x to the static target d[0..n) with special zeros (Paddle's 0
 * copies the input dim), the -1 resolved where the input allows. */
static enum mo_status reshape_out(struct mo_build *b, struct mo_value x, int64_t *d, int n)
{
    struct mo_shape xs = mo_value_shape(x);
    mo_pd_resolve_target(&xs, d, n);
    struct mo_value shape = mo_build_i64(b, "shape", d, (size_t)n);
    return mo_pd_set_out(b, "Out", mo_build_reshape_to(b, NULL, x, shape, true));
}

static enum mo_status tr_reshape2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value shape = mo_pd_in_opt(b, "Shape", 0);
    unsigned cnt = mo_pd_in_count(fw, "ShapeTensor");
    if (!shape.node && cnt == 0) {
        int64_t d[MO_MAX_RANK];
        int n = mo_pd_ints(fw, "shape", d, MO_MAX_RANK);
        if (n < 0)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "reshape has no shape");
        return reshape_out(b, x, d, n);
    }
    if (!shape.node) {
        /* one scalar tensor per dim: concatenate them */
        struct mo_value parts[MO_MAX_RANK];
        if (cnt > MO_MAX_RANK)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "ShapeTensor has %u entries", cnt);
        for (unsigned i = 0; i < cnt; i++) {
            struct mo_value p = mo_build_reshape(b, "dim", mo_pd_in(b, "ShapeTensor", i),
                                                 (int64_t[]){1}, 1, false);
            parts[i] = mo_build_convert(b, "dim_i64", p, MO_ET_I64);
        }
        shape = mo_build_concat(b, "shape", 0, cnt, parts);
    }
    return mo_pd_set_out(b, "Out", mo_build_reshape_to(b, NULL, x, shape, true));
}

static enum mo_status tr_transpose2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t p[MO_MAX_RANK];
    int n = mo_pd_ints(fw, "axis", p, MO_MAX_RANK);
    if (n < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "transpose has no axis attribute");
    struct mo_value order = mo_build_i64(b, "order", p, (size_t)n);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Transpose", NULL, 2, x, order));
}

/* Merge dims [start, stop] of x into one. */
static enum mo_status flatten_range(struct mo_build *b, struct mo_value x, int start, int stop)
{
    struct mo_shape xs = mo_value_shape(x);
    int64_t d[MO_MAX_RANK];
    int n = 0;
    for (int i = 0; i < start; i++)
        d[n++] = 0;          /* special zero: copy the input dim */
    d[n++] = -1;
    for (int i = stop + 1; i < xs.rank; i++) {
        if (xs.dims[i] < 0)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                  "flatten of a middle range needs static trailing dims");
        d[n++] = xs.dims[i];
    }
    if (xs.rank == 0)
        n = 1, d[0] = 1;
    return reshape_out(b, x, d, n);
}

static enum mo_status tr_flatten_range(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                       struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int rank = mo_value_shape(x).rank;
    if (rank < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "flatten needs an input of known rank");
    if (rank == 0)
        return flatten_range(b, x, 0, 0);
    int start = mo_pd_axis(b, "start_axis", 1, rank);
    int stop = mo_pd_axis(b, "stop_axis", -1, rank);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    /* Paddle refuses such a model; left alone, the target would have more
     * dims than the input (and than MO_MAX_RANK) */
    if (start > stop)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "start_axis %d is after stop_axis %d",
                              start, stop);
    return flatten_range(b, x, start, stop);
}

/* flatten/flatten2: 2-D [prod(d[:axis]), prod(d[axis:])]. */
static enum mo_status tr_flatten2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_shape xs = mo_value_shape(x);
    int64_t axis = mo_node_get_int(fw, "axis", 1, NULL);
    if (xs.rank < 0 || axis < 0 || axis > xs.rank)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "flatten axis %lld does not fit the input",
                              (long long)axis);
    int64_t d[2] = {1, -1};
    for (int i = 0; i < axis; i++)
        d[0] = xs.dims[i] < 0 || d[0] < 0 ? -1 : d[0] * xs.dims[i];
    if (d[0] < 0) {
        if (axis != 1)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                  "flatten with dynamic leading dims needs axis 1");
        d[0] = 0;
    }
    struct mo_value shape = mo_build_i64(b, "shape", d, 2);
    return mo_pd_set_out(b, "Out", mo_build_reshape_to(b, NULL, x, shape, true));
}

/* The constant behind an axis tensor (AxisTensor), or NULL after failing
 * b when it is computed. */
static struct mo_tensor *const_axis(struct mo_build *b, struct mo_value at, const char *op)
{
    struct mo_tensor *c = mo_value_const(at);
    if (!c)
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%s with a computed AxisTensor is not supported",
                       op);
    return c;
}

/* The arguments of input slot X (arena-allocated), *n of them. */
static struct mo_value *slot_values(struct mo_build *b, const char *op, unsigned *n)
{
    *n = mo_pd_in_count(mo_build_fw(b), "X");
    if (!*n) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%s has no inputs", op);
        return NULL;
    }
    struct mo_value *in = mo_graph_alloc(mo_build_graph(b), *n * sizeof *in);
    if (!in) {
        mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    for (unsigned i = 0; i < *n; i++)
        in[i] = mo_pd_in(b, "X", i);
    return mo_build_ok(b) ? in : NULL;
}

static enum mo_status tr_concat(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    unsigned n;
    struct mo_value *in = slot_values(b, "concat", &n);
    if (!in)
        return mo_build_status(b);
    int rank = mo_value_shape(in[0]).rank;
    struct mo_value at = mo_pd_in_opt(b, "AxisTensor", 0);
    int64_t axis = mo_node_get_int(fw, "axis", 0, NULL);
    if (at.node) {
        struct mo_tensor *c = const_axis(b, at, "concat");
        if (!c)
            return mo_build_status(b);
        axis = mo_tensor_get_i64(c, 0);
    }
    if (axis < 0)
        axis += rank;
    return mo_pd_set_out(b, "Out", mo_build_concat(b, NULL, axis, n, in));
}

static enum mo_status tr_split(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int rank = mo_value_shape(x).rank;
    int axis;
    struct mo_value at = mo_pd_in_opt(b, "AxisTensor", 0);
    if (at.node) {
        struct mo_tensor *c = const_axis(b, at, "split");
        if (!c)
            return mo_build_status(b);
        axis = mo_axis_norm(mo_tensor_get_i64(c, 0), rank);
        if (axis < 0)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "split axis out of range");
    } else {
        axis = mo_pd_axis(b, "axis", 0, rank);
    }
    int64_t num = mo_node_get_int(fw, "num", 0, NULL);
    int64_t sec[64];
    int ns = mo_pd_ints(fw, "sections", sec, 64);
    unsigned nout = mo_pd_out_count(fw, "Out");
    struct mo_value a = mo_build_i64_scalar(b, "axis", axis);
    struct mo_value s;
    if (num > 0 || ns <= 0) {
        s = mo_build_op(b, "Split", NULL, 2, x, a);
        mo_build_set_int(b, s, "num_splits", num > 0 ? num : nout);
    } else {
        struct mo_value len = mo_build_i64(b, "lengths", sec, (size_t)ns);
        s = mo_build_op(b, "VariadicSplit", NULL, 3, x, a, len);
    }
    /* the outputs exist once the node is inferred */
    mo_build_infer(b, s);
    for (unsigned i = 0; i < nout; i++)
        mo_build_output(b, (unsigned)mo_pd_out_index(fw, "Out", i), mo_val(s.node, i));
    return mo_build_status(b);
}

/* The list attribute `attr`, or the values of the constant in slot
 * tensor_slot that replaces it; *n is -1 when neither is there. */
static void const_list(struct mo_build *b, const char *attr, const char *tensor_slot,
                       int64_t *out, int *n)
{
    struct mo_value v = mo_pd_in_opt(b, tensor_slot, 0);
    if (v.node) {
        struct mo_tensor *c = mo_value_const(v);
        if (!c) {
            mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%s computed at run time is not supported",
                           tensor_slot);
            return;
        }
        int64_t cnt = mo_tensor_numel(c);
        if (cnt > MO_MAX_RANK) {
            mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%s has %lld values", tensor_slot,
                           (long long)cnt);
            return;
        }
        for (int64_t i = 0; i < cnt; i++)
            out[i] = mo_tensor_get_i64(c, i);
        *n = (int)cnt;
        return;
    }
    char list[64];
    snprintf(list, sizeof list, "%sList", tensor_slot);
    if (mo_pd_in_count(mo_build_fw(b), list) > 0) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "per-dim tensor lists for %s are not supported",
                       attr);
        return;
    }
    *n = mo_pd_ints(mo_build_fw(b), attr, out, MO_MAX_RANK);
}

static enum mo_status slice_common(struct mo_tctx *t, const struct mo_node *fw, bool strided,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "Input", 0);
    int64_t axes[MO_MAX_RANK], starts[MO_MAX_RANK], ends[MO_MAX_RANK], steps[MO_MAX_RANK];
    int na = mo_pd_ints(fw, "axes", axes, MO_MAX_RANK), ns = 0, ne = 0, nst = na;
    const_list(b, "starts", "StartsTensor", starts, &ns);
    const_list(b, "ends", "EndsTensor", ends, &ne);
    for (int i = 0; i < na; i++)
        steps[i] = 1;
    if (strided)
        const_list(b, "strides", "StridesTensor", steps, &nst);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (na <= 0 || ns != na || ne != na || nst != na)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "axes, starts, ends (and strides) must have the same length");
    int64_t dec[MO_MAX_RANK];
    int nd = mo_pd_ints(fw, "decrease_axis", dec, MO_MAX_RANK);
    struct mo_value c0 = mo_build_i64(b, "start", starts, (size_t)na);
    struct mo_value c1 = mo_build_i64(b, "stop", ends, (size_t)na);
    struct mo_value c2 = mo_build_i64(b, "step", steps, (size_t)na);
    struct mo_value c3 = mo_build_i64(b, "axes", axes, (size_t)na);
    struct mo_value y = mo_build_op(b, "Slice", nd > 0 ? "slice" : NULL, 5, x, c0, c1, c2, c3);
    if (nd > 0) {
        /* decrease_axis drops the sliced dims */
        mo_build_infer(b, y);
        struct mo_value a = mo_build_i64(b, "squeeze_axes", dec, (size_t)nd);
        y = mo_build_op(b, "Squeeze", "squeeze", 2, y, a);
    }
    return mo_pd_set_out(b, "Out", y);
}

MO_PD_VARIANT(tr_slice, slice_common, false)
MO_PD_VARIANT(tr_strided_slice, slice_common, true)

static enum mo_status tr_squeeze2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t axes[MO_MAX_RANK];
    int n = mo_pd_ints(fw, "axes", axes, MO_MAX_RANK);
    struct mo_shape xs = mo_value_shape(x);
    /* Paddle skips listed axes whose dim is not 1 */
    int k = 0;
    for (int i = 0; i < n; i++) {
        int a = mo_axis_norm(axes[i], xs.rank);
        if (a >= 0 && xs.dims[a] == 1)
            axes[k++] = a;
    }
    if (n > 0 && k == 0) {
        size_t rank = (size_t)(xs.rank > 0 ? xs.rank : 0);
        struct mo_value shape = mo_build_i64(b, "shape", xs.dims, rank);
        return mo_pd_set_out(b, "Out", mo_build_reshape_to(b, NULL, x, shape, true));
    }
    if (n <= 0)
        return mo_pd_set_out(b, "Out", mo_build_op(b, "Squeeze", NULL, 1, x));
    struct mo_value a = mo_build_i64(b, "axes", axes, (size_t)k);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Squeeze", NULL, 2, x, a));
}

static enum mo_status tr_unsqueeze2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t axes[MO_MAX_RANK];
    int n = 0;
    const_list(b, "axes", "AxesTensor", axes, &n);
    if (mo_build_ok(b) && n <= 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "unsqueeze has no axes");
    struct mo_value a = mo_build_i64(b, "axes", axes, (size_t)n);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Unsqueeze", NULL, 2, x, a));
}

static enum mo_status tr_stack(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    unsigned n;
    struct mo_value *in = slot_values(b, "stack", &n);
    if (!in)
        return mo_build_status(b);
    int rank = mo_value_shape(in[0]).rank;
    int axis = mo_axis_norm(mo_node_get_int(fw, "axis", 0, NULL), rank + 1);
    if (axis < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "stack axis out of range");
    struct mo_value ax = mo_build_i64(b, "axes", (int64_t[]){axis}, 1);
    for (unsigned i = 0; i < n; i++) {
        char sfx[32];
        snprintf(sfx, sizeof sfx, "unsqueeze%u", i);
        in[i] = mo_build_op(b, "Unsqueeze", sfx, 2, in[i], ax);
    }
    return mo_pd_set_out(b, "Y", mo_build_concat(b, NULL, axis, n, in));
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
