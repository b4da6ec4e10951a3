/* tr_shape.c - reshape2, transpose2, flatten_contiguous_range, flatten2,
 * concat, split, slice, strided_slice, squeeze2, unsqueeze2, stack,
 * unstack; and the helpers for list operands that Paddle gives as
 * attributes or as tensors (paddle.h). */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "paddle.h"

/* --- list and scalar operands ------------------------------------------ */

struct mo_value mo_pd_i64_vec(struct mo_build *b, const char *suffix, struct mo_value v)
{
    if (!mo_build_ok(b))
        return MO_NO_VALUE;
    char s[96];
    if (mo_value_et(v) != MO_ET_I64) {
        snprintf(s, sizeof s, "%s/i64", suffix);
        v = mo_build_convert(b, s, v, MO_ET_I64);
    }
    if (mo_value_shape(v).rank != 1) {
        snprintf(s, sizeof s, "%s/vec", suffix);
        v = mo_build_reshape(b, s, v, (int64_t[]){-1}, 1, false);
    }
    return v;
}

struct mo_value mo_pd_scalar(struct mo_build *b, const char *suffix, struct mo_value v,
                             enum mo_etype et)
{
    if (!mo_build_ok(b))
        return MO_NO_VALUE;
    char s[96];
    if (et != MO_ET_UNDEFINED && mo_value_et(v) != et) {
        snprintf(s, sizeof s, "%s/%s", suffix, mo_etype_name(et));
        v = mo_build_convert(b, s, v, et);
    }
    if (mo_value_shape(v).rank != 0) {
        snprintf(s, sizeof s, "%s/scalar", suffix);
        v = mo_build_reshape(b, s, v, NULL, 0, false);
    }
    return v;
}

struct mo_value mo_pd_list_value(struct mo_build *b, const char *suffix, int n, const int64_t *v,
                                 struct mo_value t)
{
    return n >= 0 ? mo_build_i64(b, suffix, v, (size_t)n) : t;
}

static int const_values(struct mo_build *b, const struct mo_tensor *c, const char *what,
                        int64_t *v, int max)
{
    int64_t n = mo_tensor_numel(c);
    if (n > max) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%s has %lld values, more than %d", what,
                       (long long)n, max);
        return -2;
    }
    for (int64_t i = 0; i < n; i++)
        v[i] = mo_tensor_get_i64(c, i);
    return (int)n;
}

int mo_pd_int_list(struct mo_build *b, const char *attr, const char *tslot, const char *lslot,
                   int64_t *v, int max, struct mo_value *t)
{
    *t = MO_NO_VALUE;
    if (!mo_build_ok(b))
        return -2;
    const struct mo_node *fw = mo_build_fw(b);
    const char *slots[2] = {tslot, attr};
    for (int k = 0; k < 2; k++) {
        struct mo_value x = slots[k] ? mo_pd_in_opt(b, slots[k], 0) : MO_NO_VALUE;
        if (!x.node)
            continue;
        const struct mo_tensor *c = mo_value_const(x);
        if (c)
            return const_values(b, c, slots[k], v, max);
        /* inferred now, so that callers can read its length */
        *t = mo_build_infer(b, mo_pd_i64_vec(b, slots[k], x));
        return -1;
    }
    unsigned cnt = lslot ? mo_pd_in_count(fw, lslot) : 0;
    if (cnt > 0) {
        if (cnt > (unsigned)max) {
            mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%s has %u tensors, more than %d", lslot, cnt,
                           max);
            return -2;
        }
        bool known = true;
        for (unsigned i = 0; i < cnt; i++) {
            const struct mo_tensor *c = mo_value_const(mo_pd_in(b, lslot, i));
            if (c && mo_tensor_numel(c) == 1)
                v[i] = mo_tensor_get_i64(c, 0);
            else
                known = false;
        }
        if (known || !mo_build_ok(b))
            return mo_build_ok(b) ? (int)cnt : -2;
        struct mo_value parts[64];
        for (unsigned i = 0; i < cnt && i < 64; i++) {
            char s[96];
            snprintf(s, sizeof s, "%s/%u", lslot, i);
            parts[i] = mo_pd_i64_vec(b, s, mo_pd_in(b, lslot, i));
        }
        *t = mo_build_infer(b, mo_build_concat(b, lslot, 0, cnt < 64 ? cnt : 64, parts));
        return -1;
    }
    int n = mo_pd_ints(fw, attr, v, max);
    if (n > max) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%s has %d values, more than %d", attr, n, max);
        return -2;
    }
    return n < 0 ? -2 : n;
}

/* An axis given as attribute `attr` or as a constant tensor (slot tslot,
 * or PIR's slot named attr), normalized against rank (rank + 1 with
 * extend, for ops that add a dim).  Computed axes fail b: the IR needs
 * them to know its output ranks. */
static int axis_operand(struct mo_build *b, const char *attr, const char *tslot, int64_t dflt,
                        int rank)
{
    int64_t v[1];
    struct mo_value t;
    int n = mo_pd_int_list(b, attr, tslot, NULL, v, 1, &t);
    if (n == -1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "an axis computed at run time is not supported"), 0;
    int64_t a = n == 1 ? v[0] : dflt;
    int r = mo_axis_norm(a, rank);
    if (mo_build_ok(b) && r < 0)
        mo_build_error(b, MO_ERR_FORMAT, 2, "axis %lld is out of range for rank %d", (long long)a,
                       rank);
    return r < 0 ? 0 : r;
}

/* --- reshape, transpose, flatten ----------------------------------------- */

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
    int64_t d[MO_MAX_RANK];
    struct mo_value shape;
    int n = mo_pd_int_list(b, "shape", "Shape", "ShapeTensor", d, MO_MAX_RANK, &shape);
    if (n >= 0)
        return reshape_out(b, x, d, n);
    if (n == -2)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "reshape has no shape");
    /* a target computed at run time: the IR's special zero is Paddle's 0 */
    return mo_pd_set_out(b, "Out", mo_build_reshape_to(b, NULL, x, shape, true));
}

static enum mo_status tr_transpose2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t p[MO_MAX_RANK];
    int n = mo_pd_ints(fw, "axis", p, MO_MAX_RANK);
    if (n < 0 || n > MO_MAX_RANK)
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
    bool tail_static = true;
    for (int i = stop + 1; i < xs.rank; i++)
        tail_static = tail_static && xs.dims[i] >= 0;
    if (xs.rank == 0)
        return reshape_out(b, x, (int64_t[]){1}, 1);
    if (!tail_static) {
        /* a dynamic dim after the range: the target is computed from the
         * input's shape, the merged dims as their product */
        struct mo_value parts[3];
        unsigned np = 0;
        int64_t head[MO_MAX_RANK], mid[MO_MAX_RANK], tail[MO_MAX_RANK];
        for (int i = 0; i < start; i++)
            head[i] = i;
        for (int i = start; i <= stop; i++)
            mid[i - start] = i;
        for (int i = stop + 1; i < xs.rank; i++)
            tail[i - stop - 1] = i;
        if (start > 0)
            parts[np++] = mo_build_dims(b, "head", x, head, start);
        struct mo_value m = mo_build_dims(b, "range", x, mid, stop - start + 1);
        struct mo_value ax = mo_build_i64(b, "range/axis", (int64_t[]){0}, 1);
        struct mo_value prod = mo_build_op(b, "ReduceProd", "range/prod", 2, m, ax);
        parts[np++] = mo_build_set_bool(b, prod, "keep_dims", true);
        parts[np++] = mo_build_dims(b, "tail", x, tail, xs.rank - stop - 1);
        struct mo_value shape = mo_build_concat(b, "shape", 0, np, parts);
        return mo_pd_set_out(b, "Out", mo_build_reshape_to(b, NULL, x, shape, false));
    }
    for (int i = 0; i < start; i++)
        d[n++] = 0;          /* special zero: copy the input dim */
    d[n++] = -1;
    for (int i = stop + 1; i < xs.rank; i++)
        d[n++] = xs.dims[i];
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

/* --- concat, split, stack, unstack --------------------------------------- */

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
    int axis = axis_operand(b, "axis", "AxisTensor", 0, mo_value_shape(in[0]).rank);
    return mo_pd_set_out(b, "Out", mo_build_concat(b, NULL, axis, n, in));
}

/* Declare output k of the multi-output node s as the k-th argument of
 * output slot `slot`, for every argument. */
static enum mo_status outputs_from(struct mo_build *b, const char *slot, struct mo_value s,
                                   unsigned nout)
{
    const struct mo_node *fw = mo_build_fw(b);
    for (unsigned i = 0; i < nout && mo_build_ok(b); i++)
        mo_build_output(b, (unsigned)mo_pd_out_index(fw, slot, i), mo_val(s.node, i));
    return mo_build_status(b);
}

static enum mo_status tr_split(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int axis = axis_operand(b, "axis", "AxisTensor", 0, mo_value_shape(x).rank);
    int64_t num = mo_node_get_int(fw, "num", 0, NULL);
    int64_t sec[64];
    struct mo_value st;
    int ns = mo_pd_int_list(b, "sections", NULL, "SectionsTensorList", sec, 64, &st);
    unsigned nout = mo_pd_out_count(fw, "Out");
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_value a = mo_build_i64_scalar(b, "axis", axis);
    struct mo_value s;
    if (num > 0 || ns == 0 || ns == -2) {
        s = mo_build_op(b, "Split", NULL, 2, x, a);
        mo_build_set_int(b, s, "num_splits", num > 0 ? num : nout);
    } else {
        /* VariadicSplit takes Paddle's -1 (the rest) as it is */
        struct mo_value len = mo_pd_list_value(b, "lengths", ns, sec, st);
        s = mo_build_op(b, "VariadicSplit", NULL, 3, x, a, len);
    }
    /* the outputs exist once the node is inferred */
    mo_build_infer(b, s);
    return outputs_from(b, "Out", s, nout);
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

/* unstack: num slices along axis, each without that dim.  PIR names the
 * outputs Out (its vector is unpacked by builtin.split). */
static enum mo_status tr_unstack(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_shape xs = mo_value_shape(x);
    int axis = mo_pd_axis(b, "axis", 0, xs.rank);
    const char *slot = mo_pd_out_count(fw, "Y") ? "Y" : "Out";
    unsigned nout = mo_pd_out_count(fw, slot);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (nout == 0 || (xs.dims[axis] >= 0 && xs.dims[axis] != (int64_t)nout))
        return mo_build_error(b, MO_ERR_FORMAT, 2, "unstack of a dim of %lld into %u outputs",
                              (long long)xs.dims[axis], nout);
    struct mo_value a = mo_build_i64_scalar(b, "axis", axis);
    struct mo_value s = mo_build_op(b, "Split", "split", 2, x, a);
    mo_build_set_int(b, s, "num_splits", nout);
    mo_build_infer(b, s);
    struct mo_value ax = mo_build_i64(b, "axes", (int64_t[]){axis}, 1);
    for (unsigned i = 0; i < nout && mo_build_ok(b); i++) {
        char sfx[32];
        snprintf(sfx, sizeof sfx, "out%u", i);
        struct mo_value y = mo_build_op(b, "Squeeze", i ? sfx : NULL, 2, mo_val(s.node, i), ax);
        mo_build_output(b, (unsigned)mo_pd_out_index(fw, slot, i), y);
    }
    return mo_build_status(b);
}

/* --- slice, strided_slice ------------------------------------------------- */

static enum mo_status slice_common(struct mo_tctx *t, const struct mo_node *fw, bool strided,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "Input", 0);
    int64_t axes[MO_MAX_RANK], starts[MO_MAX_RANK], ends[MO_MAX_RANK], steps[MO_MAX_RANK];
    struct mo_value ts, te, tst = MO_NO_VALUE;
    int na = mo_pd_ints(fw, "axes", axes, MO_MAX_RANK);
    int ns = mo_pd_int_list(b, "starts", "StartsTensor", "StartsTensorList", starts, MO_MAX_RANK,
                            &ts);
    int ne = mo_pd_int_list(b, "ends", "EndsTensor", "EndsTensorList", ends, MO_MAX_RANK, &te);
    int nst = na;
    for (int i = 0; i < na && i < MO_MAX_RANK; i++)
        steps[i] = 1;
    if (strided)
        nst = mo_pd_int_list(b, "strides", "StridesTensor", "StridesTensorList", steps,
                             MO_MAX_RANK, &tst);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (na <= 0 || na > MO_MAX_RANK || ns == -2 || ne == -2 || nst == -2 ||
        (ns >= 0 && ns != na) || (ne >= 0 && ne != na) || (nst >= 0 && nst != na))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "axes, starts, ends (and strides) must have the same length");
    int64_t dec[MO_MAX_RANK];
    int nd = mo_pd_ints(fw, "decrease_axis", dec, MO_MAX_RANK);
    struct mo_value c0 = mo_pd_list_value(b, "start", ns, starts, ts);
    struct mo_value c1 = mo_pd_list_value(b, "stop", ne, ends, te);
    struct mo_value c2 = mo_pd_list_value(b, "step", nst, steps, tst);
    struct mo_value c3 = mo_build_i64(b, "axes", axes, (size_t)na);
    struct mo_value y = mo_build_op(b, "Slice", nd > 0 ? "slice" : NULL, 5, x, c0, c1, c2, c3);
    if (nd > 0 && nd <= MO_MAX_RANK) {
        /* decrease_axis drops the sliced dims */
        struct mo_value a = mo_build_i64(b, "squeeze_axes", dec, (size_t)nd);
        y = mo_build_op(b, "Squeeze", NULL, 2, y, a);
    }
    return mo_pd_set_out(b, "Out", y);
}

MO_PD_VARIANT(tr_slice, slice_common, false)
MO_PD_VARIANT(tr_strided_slice, slice_common, true)

/* --- squeeze, unsqueeze ----------------------------------------------------- */

static enum mo_status tr_squeeze2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t axes[MO_MAX_RANK];
    struct mo_value at;
    int n = mo_pd_int_list(b, "axes", "AxesTensor", NULL, axes, MO_MAX_RANK, &at);
    if (n == -1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "squeeze axes computed at run time are not supported");
    struct mo_shape xs = mo_value_shape(x);
    if (!mo_build_ok(b))
        return mo_build_status(b);
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

/* Unsqueeze by axes computed at run time (1-D i64, of a static count k):
 * the runtime gives Unsqueeze with such axes an unknown rank, so this is a
 * Reshape to the target worked out from x's shape instead: output dim p is
 * 1 where p is one of the axes (normalized against rank + k), else the next
 * dim of x. */
/* "<pre>/<role>" in the graph's arena (the builder copies names, but a
 * chain of calls needs them apart). */
static const char *nm(struct mo_build *b, const char *pre, const char *role)
{
    return mo_graph_printf(mo_build_graph(b), "%s/%s", pre, role);
}

static struct mo_value unsqueeze_computed(struct mo_build *b, const char *suffix,
                                          struct mo_value x, struct mo_value axes)
{
    int xr = mo_value_shape(x).rank;
    struct mo_shape as = mo_value_shape(axes);
    if (!mo_build_ok(b))
        return MO_NO_VALUE;
    if (xr < 0 || as.rank != 1 || as.dims[0] < 0 || xr + as.dims[0] > MO_MAX_RANK)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "unsqueeze by computed axes needs a known rank and axis count"),
               MO_NO_VALUE;
    int r = xr + (int)as.dims[0];
    const char *pre = suffix ? suffix : "unsqueeze";
    int64_t p[MO_MAX_RANK];
    for (int i = 0; i < r; i++)
        p[i] = i;
    struct mo_value pos = mo_build_i64(b, nm(b, pre, "positions"), p, (size_t)r);
    struct mo_value rv = mo_build_i64_scalar(b, nm(b, pre, "rank"), r);
    struct mo_value zero = mo_build_i64_scalar(b, nm(b, pre, "zero"), 0);
    struct mo_value neg = mo_build_op(b, "Less", nm(b, pre, "negative"), 2, axes, zero);
    struct mo_value wrapped = mo_build_op(b, "Add", nm(b, pre, "wrapped"), 2, axes, rv);
    struct mo_value an = mo_build_op(b, "Select", nm(b, pre, "axes"), 3, neg, wrapped, axes);
    struct mo_value pc = mo_build_unsqueeze(b, nm(b, pre, "pos_col"), pos, (int64_t[]){1}, 1);
    struct mo_value ar = mo_build_unsqueeze(b, nm(b, pre, "axes_row"), an, (int64_t[]){0}, 1);
    struct mo_value hit = mo_build_op(b, "Equal", nm(b, pre, "hit"), 2, pc, ar);
    struct mo_value one_ax = mo_build_i64(b, nm(b, pre, "hit_axis"), (int64_t[]){1}, 1);
    struct mo_value added = mo_build_op(b, "ReduceLogicalOr", nm(b, pre, "added"), 2, hit, one_ax);
    mo_build_set_bool(b, added, "keep_dims", false);
    struct mo_value cnt = mo_build_convert(b, nm(b, pre, "added_i64"), added, MO_ET_I64);
    struct mo_value cs = mo_build_op(b, "CumSum", nm(b, pre, "added_before"), 2, cnt, zero);
    struct mo_value src = mo_build_op(b, "Subtract", nm(b, pre, "source"), 2, pos, cs);
    src = mo_build_op(b, "Maximum", nm(b, pre, "source_clamped"), 2, src, zero);
    struct mo_value xs = mo_build_shape_of(b, nm(b, pre, "shape"), x, MO_ET_I64);
    struct mo_value one = mo_build_i64(b, nm(b, pre, "one"), (int64_t[]){1}, 1);
    struct mo_value ext = mo_build_concat(b, nm(b, pre, "dims"), 0, 2, (struct mo_value[]){xs, one});
    struct mo_value dims = mo_build_gather(b, nm(b, pre, "picked"), ext, src, 0);
    struct mo_value one_s = mo_build_i64_scalar(b, nm(b, pre, "one_scalar"), 1);
    struct mo_value target = mo_build_op(b, "Select", nm(b, pre, "target"), 3, added, one_s, dims);
    return mo_build_reshape_to(b, suffix, x, target, false);
}

static enum mo_status tr_unsqueeze2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t axes[MO_MAX_RANK];
    struct mo_value at;
    int n = mo_pd_int_list(b, "axes", "AxesTensor", "AxesTensorList", axes, MO_MAX_RANK, &at);
    if (mo_build_ok(b) && (n == -2 || n == 0))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "unsqueeze has no axes");
    if (n == -1) {
        /* Paddle inserts the axes one after another, each into the shape
         * the earlier ones made: so does the chain */
        struct mo_shape as = mo_value_shape(at);
        int k = as.rank == 1 && as.dims[0] > 0 ? (int)as.dims[0] : 1;
        for (int i = 0; i < k && k > 1 && mo_build_ok(b); i++) {
            char s[32];
            snprintf(s, sizeof s, "axis%d", i);
            struct mo_value ai = mo_build_slice(b, s, at, (int64_t[]){i}, (int64_t[]){i + 1},
                                                (int64_t[]){1}, (int64_t[]){0}, 1);
            snprintf(s, sizeof s, "step%d", i);
            x = mo_build_infer(b, unsqueeze_computed(b, i + 1 < k ? s : NULL, x,
                                                     mo_build_infer(b, ai)));
        }
        if (k > 1)
            return mo_pd_set_out(b, "Out", x);
        return mo_pd_set_out(b, "Out", unsqueeze_computed(b, NULL, x, at));
    }
    /* the same with known axes: where each inserted 1 ends up */
    int r = mo_value_shape(x).rank;
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (r < 0 || r + n > MO_MAX_RANK)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "unsqueeze of rank %d by %d axes", r, n);
    bool one[MO_MAX_RANK + 1] = {false};
    int cur = r;
    for (int i = 0; i < n; i++) {
        int64_t a = axes[i] < 0 ? axes[i] + cur + 1 : axes[i];
        if (a < 0 || a > cur)
            return mo_build_error(b, MO_ERR_FORMAT, 2, "unsqueeze axis %lld is out of range",
                                  (long long)axes[i]);
        memmove(one + a + 1, one + a, (size_t)(cur - a) * sizeof *one);
        one[a] = true;
        cur++;
    }
    int k = 0;
    for (int i = 0; i < cur; i++)
        if (one[i])
            axes[k++] = i;
    struct mo_value a = mo_build_i64(b, "axes", axes, (size_t)k);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Unsqueeze", NULL, 2, x, a));
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
            {"stack", tr_stack}, {"unstack", tr_unstack});
