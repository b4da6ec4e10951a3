/* tr_create.c - tensor creation and data movement beyond tr_shape.c:
 * tile, range (PIR arange), linspace, eye, meshgrid, set_value,
 * partial_concat, partial_sum, pixel_shuffle, pixel_unshuffle,
 * channel_shuffle, flip, reverse, roll, tril_triu (PIR tril, triu), pad,
 * crop_tensor. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paddle.h"

/* Dim d of x as a 0-D i64 value: a Const when static. */
static struct mo_value dim_scalar(struct mo_build *b, const char *suffix, struct mo_value x, int d)
{
    struct mo_shape xs = mo_value_shape(x);
    if (xs.rank > d && xs.dims[d] >= 0)
        return mo_build_i64_scalar(b, suffix, xs.dims[d]);
    char s[96];
    snprintf(s, sizeof s, "%s/shape", suffix);
    struct mo_value shape = mo_build_shape_of(b, s, x, MO_ET_I64);
    snprintf(s, sizeof s, "%s/index", suffix);
    struct mo_value i = mo_build_i64_scalar(b, s, d);
    return mo_build_gather(b, suffix, shape, i, 0);
}

/* 0, 1, ..., n-1 (n a 0-D i64 value) as i64. */
static struct mo_value iota(struct mo_build *b, const char *suffix, struct mo_value n)
{
    char s[96];
    snprintf(s, sizeof s, "%s/zero", suffix);
    struct mo_value z = mo_build_i64_scalar(b, s, 0);
    snprintf(s, sizeof s, "%s/one", suffix);
    struct mo_value one = mo_build_i64_scalar(b, s, 1);
    struct mo_value r = mo_build_op(b, "Range", suffix, 3, z, n, one);
    return mo_build_set_str(b, r, "output_type", "i64");
}

/* --- tile -------------------------------------------------------------------- */

static enum mo_status tr_tile(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t r[MO_MAX_RANK];
    struct mo_value rt;
    int n = mo_pd_int_list(b, "repeat_times", "RepeatTimes", "repeat_times_tensor", r,
                           MO_MAX_RANK, &rt);
    if (n == -2 && mo_build_ok(b))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "tile has no repeat_times");
    /* the IR's Tile aligns data and repeats on the right as Paddle does */
    struct mo_value reps = mo_pd_list_value(b, "repeats", n, r, rt);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Tile", NULL, 2, x, reps));
}

/* --- range / arange, linspace, eye ------------------------------------------ */

/* The output type: attribute dtype when the op has one (PIR, linspace),
 * else the type of value v. */
static enum mo_etype dtype_or(const struct mo_node *fw, struct mo_value v)
{
    int64_t dt = mo_node_get_int(fw, "dtype", -1, NULL);
    return dt >= 0 ? mo_pd_etype((int)dt) : mo_value_et(v);
}

static enum mo_status tr_range(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value s0 = mo_pd_in(b, "Start", 0);
    struct mo_value s1 = mo_pd_in(b, "End", 0);
    struct mo_value s2 = mo_pd_in(b, "Step", 0);
    enum mo_etype et = dtype_or(fw, s0);
    if (mo_build_ok(b) && (et == MO_ET_UNDEFINED || et == MO_ET_BOOLEAN))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "range of this dtype is not supported");
    /* Paddle casts the bounds to the output type before counting */
    s0 = mo_pd_scalar(b, "start", s0, et);
    s1 = mo_pd_scalar(b, "end", s1, et);
    s2 = mo_pd_scalar(b, "step", s2, et);
    struct mo_value y = mo_build_op(b, "Range", NULL, 3, s0, s1, s2);
    return mo_pd_set_out(b, "Out", mo_build_set_str(b, y, "output_type", mo_etype_name(et)));
}

/* linspace: num values from start to stop; Paddle fills the first half
 * forward from start and the rest backward from stop, in double, then
 * casts to the output type (integers truncate). */
static enum mo_status tr_linspace(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value start = mo_pd_in(b, "Start", 0);
    struct mo_value stop = mo_pd_in(b, "Stop", 0);
    struct mo_value num = mo_pd_in(b, "Num", 0);
    enum mo_etype et = mo_pd_etype((int)mo_node_get_int(fw, "dtype", 5, NULL));
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (et == MO_ET_UNDEFINED || et == MO_ET_BOOLEAN)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "linspace of this dtype is not supported");
    const struct mo_tensor *c0 = mo_value_const(start), *c1 = mo_value_const(stop);
    const struct mo_tensor *cn = mo_value_const(num);
    bool ints = !mo_etype_is_float(et);
    if (c0 && c1 && cn) {
        int64_t n = mo_tensor_get_i64(cn, 0);
        if (n < 1 || n > (1 << 20))
            return mo_build_error(b, MO_ERR_FORMAT, 2, "linspace num %lld is out of range",
                                  (long long)n);
        double a = ints ? (double)mo_tensor_get_i64(c0, 0) : mo_tensor_get_f64(c0, 0);
        double z = ints ? (double)mo_tensor_get_i64(c1, 0) : mo_tensor_get_f64(c1, 0);
        double *v = malloc((size_t)n * sizeof *v);
        if (!v)
            return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
        double step = n > 1 ? (z - a) / (double)(n - 1) : 0;
        for (int64_t i = 0; i < n; i++)
            v[i] = n == 1 || i < n / 2 ? a + step * (double)i : z - step * (double)(n - 1 - i);
        struct mo_shape s = mo_shape_make(1, &n);
        struct mo_value y = mo_build_const(b, NULL, et, &s, v);
        free(v);
        return mo_pd_set_out(b, "Out", y);
    }
    /* computed at run time, in f32 (f64 for an f64 result) */
    enum mo_etype ct = et == MO_ET_F64 ? MO_ET_F64 : MO_ET_F32;
    struct mo_value a = mo_pd_scalar(b, "start", start, et);
    struct mo_value z = mo_pd_scalar(b, "stop", stop, et);
    a = mo_build_convert(b, "start/calc", a, ct);
    z = mo_build_convert(b, "stop/calc", z, ct);
    struct mo_value n = mo_pd_scalar(b, "num", num, MO_ET_I64);
    struct mo_value one = mo_build_i64_scalar(b, "one", 1);
    struct mo_value two = mo_build_i64_scalar(b, "two", 2);
    struct mo_value idx = iota(b, "index", n);
    struct mo_value nm1 = mo_build_op(b, "Subtract", "num_minus1", 2, n, one);
    struct mo_value den = mo_build_op(b, "Maximum", "den", 2, nm1, one);
    struct mo_value diff = mo_build_op(b, "Subtract", "span", 2, z, a);
    struct mo_value denf = mo_build_convert(b, "den/calc", den, ct);
    struct mo_value step = mo_build_op(b, "Divide", "step", 2, diff, denf);
    struct mo_value idxf = mo_build_convert(b, "index/calc", idx, ct);
    struct mo_value fwd = mo_build_op(b, "Multiply", "forward/offset", 2, idxf, step);
    fwd = mo_build_op(b, "Add", "forward", 2, a, fwd);
    struct mo_value back_i = mo_build_op(b, "Subtract", "backward/index", 2, nm1, idx);
    struct mo_value back_f = mo_build_convert(b, "backward/calc", back_i, ct);
    struct mo_value bwd = mo_build_op(b, "Multiply", "backward/offset", 2, back_f, step);
    bwd = mo_build_op(b, "Subtract", "backward", 2, z, bwd);
    /* num == 1 gives start: half is at least 1 */
    struct mo_value half = mo_build_op(b, "Divide", "half", 2, n, two);
    half = mo_build_op(b, "Maximum", "half/min1", 2, half, one);
    struct mo_value first = mo_build_op(b, "Less", "first_half", 2, idx, half);
    struct mo_value y = mo_build_op(b, "Select", ct == et ? NULL : "values", 3, first, fwd, bwd);
    if (ct != et)
        y = mo_build_convert(b, NULL, y, et);
    return mo_pd_set_out(b, "Out", y);
}

/* An int attribute that PIR may have folded from a float full. */
static int64_t int_attr(const struct mo_node *fw, const char *name, int64_t dflt)
{
    return mo_node_get_int(fw, name, dflt, NULL);
}

static enum mo_status tr_eye(struct mo_tctx *t, const struct mo_node *fw, void *user,
                             struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    enum mo_etype et = mo_pd_etype((int)mo_node_get_int(fw, "dtype", 5, NULL));
    struct mo_value rv = mo_pd_in_opt(b, "num_rows", 0), cv = mo_pd_in_opt(b, "num_columns", 0);
    if (et == MO_ET_UNDEFINED)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "eye dtype is not supported");
    if (rv.node || cv.node) {
        /* counts computed at run time (PIR): the IR's Eye */
        struct mo_value rows = rv.node ? mo_pd_scalar(b, "rows", rv, MO_ET_I64)
                                       : mo_build_i64_scalar(b, "rows", int_attr(fw, "num_rows", 0));
        struct mo_value cols = cv.node ? mo_pd_scalar(b, "cols", cv, MO_ET_I64) : rows;
        if (!cv.node && int_attr(fw, "num_columns", -1) >= 0)
            cols = mo_build_i64_scalar(b, "cols", int_attr(fw, "num_columns", -1));
        struct mo_value diag = mo_build_i64_scalar(b, "diagonal", 0);
        struct mo_value y = mo_build_op(b, "Eye", NULL, 3, rows, cols, diag);
        return mo_pd_set_out(b, "Out", mo_build_set_str(b, y, "output_type", mo_etype_name(et)));
    }
    int64_t r = int_attr(fw, "num_rows", 0), c = int_attr(fw, "num_columns", -1);
    if (c < 0)
        c = r;
    if (r < 0 || r * c > (1 << 22))
        return mo_build_error(b, MO_ERR_FORMAT, 2, "eye of %lld x %lld", (long long)r, (long long)c);
    double *v = calloc((size_t)(r * c > 0 ? r * c : 1), sizeof *v);
    if (!v)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    for (int64_t i = 0; i < r && i < c; i++)
        v[i * c + i] = 1.0;
    struct mo_shape s = mo_shape_make(2, (int64_t[]){r, c});
    struct mo_value y = mo_build_const(b, NULL, et, &s, v);
    free(v);
    return mo_pd_set_out(b, "Out", y);
}

/* --- meshgrid ----------------------------------------------------------------- */

static enum mo_status tr_meshgrid(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    unsigned n = mo_pd_in_count(fw, "X");
    if (n == 0 || n > MO_MAX_RANK)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "meshgrid of %u tensors", n);
    struct mo_value sizes[MO_MAX_RANK];
    for (unsigned i = 0; i < n; i++) {
        char s[32];
        snprintf(s, sizeof s, "size%u", i);
        struct mo_value x = mo_pd_in(b, "X", i);
        int r = mo_value_shape(x).rank;
        if (mo_build_ok(b) && r > 1)
            return mo_build_error(b, MO_ERR_FORMAT, 2, "meshgrid input %u has rank %d", i, r);
        sizes[i] = r == 0 ? mo_build_i64(b, s, (int64_t[]){1}, 1)
                          : mo_build_dims(b, s, x, (int64_t[]){0}, 1);
    }
    struct mo_value shape = mo_build_concat(b, "shape", 0, n, sizes);
    const char *slot = mo_pd_out_count(fw, "Out") ? "Out" : "Y";
    for (unsigned i = 0; i < n && i < mo_pd_out_count(fw, slot) && mo_build_ok(b); i++) {
        int64_t d[MO_MAX_RANK];
        for (unsigned k = 0; k < n; k++)
            d[k] = k == i ? -1 : 1;
        char s[32];
        snprintf(s, sizeof s, "axis%u", i);
        struct mo_value x = mo_build_reshape(b, s, mo_pd_in(b, "X", i), d, (int)n, false);
        snprintf(s, sizeof s, "out%u", i);
        struct mo_value y = mo_build_op(b, "Broadcast", i ? s : NULL, 2, x, shape);
        mo_build_output(b, (unsigned)mo_pd_out_index(fw, slot, i), y);
    }
    return mo_build_status(b);
}

/* --- set_value ----------------------------------------------------------------- */

/* The value set_value writes when no ValueTensor is given: attribute
 * values (Paddle 3; older releases wrote fp32_values, int64_values...) of
 * attribute shape, as a Const of type et. */
static struct mo_value set_value_const(struct mo_build *b, enum mo_etype et)
{
    const struct mo_node *fw = mo_build_fw(b);
    static const char *const keys[] = {"values", "fp32_values", "fp64_values", "int32_values",
                                       "int64_values", "bool_values", "fp16_values"};
    int64_t d[MO_MAX_RANK];
    int r = mo_pd_ints(fw, "shape", d, MO_MAX_RANK);
    if (r < 0 || r > MO_MAX_RANK)
        r = 0;
    struct mo_shape s = mo_shape_make(r, d);
    if (!mo_shape_is_static(&s) || mo_shape_numel(&s) > (1 << 20))
        return mo_build_error(b, MO_ERR_FORMAT, 2, "set_value values have a bad shape"), MO_NO_VALUE;
    int64_t cnt = mo_shape_numel(&s);
    for (size_t k = 0; k < MO_COUNT_OF(keys); k++) {
        const struct mo_attr *a = mo_node_attr(fw, keys[k]);
        double *v = a ? malloc((size_t)(cnt ? cnt : 1) * sizeof *v) : NULL;
        int got = v ? mo_node_get_floats(fw, keys[k], v, (int)cnt) : -1;
        if (got < 1) {
            free(v);
            continue;
        }
        /* one value stands for all */
        for (int64_t i = got; i < cnt; i++)
            v[i] = got == 1 ? v[0] : 0.0;
        struct mo_value c = got == cnt || got == 1 ? mo_build_const(b, "value", et, &s, v)
                                                   : MO_NO_VALUE;
        free(v);
        if (c.node)
            return c;
        return mo_build_error(b, MO_ERR_FORMAT, 2, "set_value holds %d values for shape of %lld",
                              got, (long long)cnt),
               MO_NO_VALUE;
    }
    return mo_build_error(b, MO_ERR_FORMAT, 2, "set_value has neither ValueTensor nor values"),
           MO_NO_VALUE;
}

/* set_value: x with x[slices] = value.  The slices' element indices are
 * found by slicing 0..dim-1 of every sliced axis with Paddle's own bounds
 * (the IR's Slice clamps as Paddle does, negative steps included); their
 * grid is ScatterNDUpdate's indices.  The value broadcasts to the sliced
 * shape seen without decrease_axes and with none_axes, whose dims are all
 * of size 1, so a Reshape lines it up with the grid. */
static enum mo_status tr_set_value(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "Input", 0);
    struct mo_shape xs = mo_value_shape(x);
    int64_t axes[MO_MAX_RANK], st[MO_MAX_RANK], en[MO_MAX_RANK], sp[MO_MAX_RANK];
    int64_t dec[MO_MAX_RANK], none[MO_MAX_RANK];
    struct mo_value ts, te, tp;
    int na = mo_pd_ints(fw, "axes", axes, MO_MAX_RANK);
    int ns = mo_pd_int_list(b, "starts", NULL, "StartsTensorList", st, MO_MAX_RANK, &ts);
    int ne = mo_pd_int_list(b, "ends", NULL, "EndsTensorList", en, MO_MAX_RANK, &te);
    int np = mo_pd_int_list(b, "steps", NULL, "StepsTensorList", sp, MO_MAX_RANK, &tp);
    int nd = mo_pd_ints(fw, "decrease_axes", dec, MO_MAX_RANK);
    int nn = mo_pd_ints(fw, "none_axes", none, MO_MAX_RANK);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int r = xs.rank;
    if (r <= 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "set_value needs an input of known rank");
    if (np == -2) {
        np = na;
        for (int i = 0; i < na && i < MO_MAX_RANK; i++)
            sp[i] = 1;
    }
    nd = nd < 0 ? 0 : nd;
    nn = nn < 0 ? 0 : nn;
    if (na <= 0 || na > r || ns == -2 || ne == -2 || (ns >= 0 && ns != na) ||
        (ne >= 0 && ne != na) || (np >= 0 && np != na) || nd > r || r - nd + nn > MO_MAX_RANK)
        return mo_build_error(b, MO_ERR_FORMAT, 2,
                              "set_value: axes, starts, ends and steps do not fit together");
    int which[MO_MAX_RANK];   /* position in axes of each dim, -1 when not sliced */
    for (int d = 0; d < r; d++)
        which[d] = -1;
    for (int i = 0; i < na; i++) {
        int a = mo_axis_norm(axes[i], r);
        if (a < 0)
            return mo_build_error(b, MO_ERR_FORMAT, 2, "set_value axis %lld is out of range",
                                  (long long)axes[i]);
        which[a] = i;
    }
    struct mo_value tl[3] = {ts, te, tp};
    struct mo_value idx[MO_MAX_RANK], len[MO_MAX_RANK];
    for (int d = 0; d < r; d++) {
        char s[48];
        snprintf(s, sizeof s, "dim%d", d);
        struct mo_value n = dim_scalar(b, s, x, d);
        snprintf(s, sizeof s, "index%d", d);
        idx[d] = iota(b, s, n);
        int i = which[d];
        if (i >= 0) {
            struct mo_value bound[3];
            const int64_t *lists[3] = {st, en, sp};
            const int cnt[3] = {ns, ne, np};
            static const char *const role[3] = {"start", "stop", "step"};
            for (int k = 0; k < 3; k++) {
                snprintf(s, sizeof s, "index%d/%s", d, role[k]);
                if (cnt[k] >= 0) {
                    bound[k] = mo_build_i64(b, s, &lists[k][i], 1);
                } else {
                    snprintf(s, sizeof s, "index%d/%s/at", d, role[k]);
                    struct mo_value at = mo_build_i64(b, s, (int64_t[]){i}, 1);
                    snprintf(s, sizeof s, "index%d/%s", d, role[k]);
                    bound[k] = mo_build_gather(b, s, tl[k], at, 0);
                }
            }
            snprintf(s, sizeof s, "index%d/axes", d);
            struct mo_value ax = mo_build_i64(b, s, (int64_t[]){0}, 1);
            snprintf(s, sizeof s, "index%d/sliced", d);
            idx[d] = mo_build_op(b, "Slice", s, 5, idx[d], bound[0], bound[1], bound[2], ax);
        }
        snprintf(s, sizeof s, "len%d", d);
        len[d] = mo_build_shape_of(b, s, idx[d], MO_ET_I64);
    }
    struct mo_value region = mo_build_concat(b, "region", 0, (unsigned)r, len);
    /* the grid [n0, ..., n(r-1), r] of element indices */
    struct mo_value grid[MO_MAX_RANK];
    for (int d = 0; d < r; d++) {
        int64_t sh[MO_MAX_RANK];
        for (int k = 0; k < r; k++)
            sh[k] = k == d ? -1 : 1;
        char s[48];
        snprintf(s, sizeof s, "grid%d/line", d);
        struct mo_value g = mo_build_reshape(b, s, idx[d], sh, r, false);
        snprintf(s, sizeof s, "grid%d/full", d);
        g = mo_build_op(b, "Broadcast", s, 2, g, region);
        snprintf(s, sizeof s, "grid%d", d);
        grid[d] = mo_build_unsqueeze(b, s, g, (int64_t[]){r}, 1);
    }
    struct mo_value indices = mo_build_concat(b, "indices", r, (unsigned)r, grid);
    /* the value, broadcast as Paddle sees the slice, then laid on the grid */
    struct mo_value v = mo_pd_in_opt(b, "ValueTensor", 0);
    enum mo_etype et = mo_value_et(x);
    v = v.node ? mo_build_convert(b, "value", v, et) : set_value_const(b, et);
    bool is_dec[MO_MAX_RANK] = {false}, is_none[MO_MAX_RANK] = {false};
    for (int i = 0; i < nd; i++) {
        int a = mo_axis_norm(dec[i], r);
        if (a >= 0)
            is_dec[a] = true;
    }
    int vr = r - nd + nn;
    for (int i = 0; i < nn; i++)
        if (none[i] >= 0 && none[i] < vr)
            is_none[none[i]] = true;
    struct mo_value vparts[MO_MAX_RANK];
    int kept = 0;
    for (int p = 0; p < vr; p++) {
        if (is_none[p]) {
            char s[48];
            snprintf(s, sizeof s, "value_shape/none%d", p);
            vparts[p] = mo_build_i64(b, s, (int64_t[]){1}, 1);
            continue;
        }
        while (kept < r && is_dec[kept])
            kept++;
        vparts[p] = kept < r ? len[kept++] : mo_build_i64(b, "value_shape/one", (int64_t[]){1}, 1);
    }
    struct mo_value vshape = vr > 0 ? mo_build_concat(b, "value_shape", 0, (unsigned)vr, vparts)
                                    : mo_build_i64(b, "value_shape", NULL, 0);
    struct mo_value vb = mo_build_op(b, "Broadcast", "value/broadcast", 2, v, vshape);
    struct mo_value vf = mo_build_reshape_to(b, "value/grid", vb, region, false);
    /* -15: the default version says opset3, where the runtime has none */
    struct mo_value y = mo_build_op(b, "ScatterNDUpdate-15", NULL, 3, x, indices, vf);
    return mo_pd_set_out(b, "Out", y);
}

/* --- partial_concat, partial_sum ------------------------------------------------ */

/* Columns [start_index, start_index + length) of every 2-D input (length
 * -1: to the end), concatenated (sum false) or added up (sum true). */
static enum mo_status partial_common(struct mo_tctx *t, const struct mo_node *fw, bool sum,
                                     struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    unsigned n = mo_pd_in_count(fw, "X");
    int64_t start = mo_node_get_int(fw, "start_index", 0, NULL);
    int64_t length = mo_node_get_int(fw, "length", -1, NULL);
    if (n == 0 || n > 256)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%u inputs", n);
    int64_t stop = length < 0 ? INT64_MAX : start + length;
    /* a negative start counts from the end, and so does a stop reaching it */
    if (start < 0 && stop >= 0 && length >= 0)
        stop = INT64_MAX;
    struct mo_value parts[256];
    for (unsigned i = 0; i < n; i++) {
        struct mo_value x = mo_pd_in(b, "X", i);
        if (mo_build_ok(b) && mo_value_shape(x).rank != 2)
            return mo_build_error(b, MO_ERR_FORMAT, 2, "input %u is not 2-D", i);
        char s[32];
        snprintf(s, sizeof s, "part%u", i);
        int64_t ax = 1, one = 1;
        parts[i] = mo_build_slice(b, s, x, &start, &stop, &one, &ax, 1);
    }
    if (!sum)
        return mo_pd_set_out(b, "Out", mo_build_concat(b, NULL, 1, n, parts));
    struct mo_value y = parts[0];
    for (unsigned i = 1; i < n; i++) {
        char s[32];
        snprintf(s, sizeof s, "sum%u", i);
        y = mo_build_op(b, "Add", i + 1 == n ? NULL : s, 2, y, parts[i]);
    }
    return mo_pd_set_out(b, "Out", y);
}

MO_PD_VARIANT(tr_partial_concat, partial_common, false)
MO_PD_VARIANT(tr_partial_sum, partial_common, true)

/* --- pixel and channel shuffles --------------------------------------------------- */

/* pixel_shuffle (DepthToSpace) and pixel_unshuffle (SpaceToDepth):
 * Paddle's channel order c * r * r + i * r + j is the IR's depth_first. */
static enum mo_status pixel_common(struct mo_tctx *t, const struct mo_node *fw, const char *op,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in_nchw(b, "X");
    bool up = !strcmp(op, "DepthToSpace");
    int64_t f = mo_node_get_int(fw, up ? "upscale_factor" : "downscale_factor", 1, NULL);
    if (f < 1)
        return mo_build_error(b, MO_ERR_FORMAT, 2, "factor %lld", (long long)f);
    struct mo_value y = mo_build_op(b, op, NULL, 1, x);
    mo_build_set_str(b, y, "mode", "depth_first");
    return mo_pd_set_out_nchw(b, "Out", mo_build_set_int(b, y, "block_size", f));
}

MO_PD_VARIANT(tr_pixel_shuffle, pixel_common, "DepthToSpace")
MO_PD_VARIANT(tr_pixel_unshuffle, pixel_common, "SpaceToDepth")

static enum mo_status tr_channel_shuffle(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    const char *f = mo_node_get_str(fw, "data_format", "NCHW");
    struct mo_value y = mo_build_op(b, "ShuffleChannels", NULL, 1, x);
    mo_build_set_int(b, y, "axis", f && !strcmp(f, "NHWC") ? 3 : 1);
    return mo_pd_set_out(b, "Out", mo_build_set_int(b, y, "group",
                                                    mo_node_get_int(fw, "groups", 1, NULL)));
}

/* --- flip, roll ------------------------------------------------------------------------ */

/* flip / reverse: every listed axis read backwards (a Slice with step -1). */
static enum mo_status tr_flip(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t axes[MO_MAX_RANK], start[MO_MAX_RANK], stop[MO_MAX_RANK], step[MO_MAX_RANK];
    struct mo_value at;
    int n = mo_pd_int_list(b, "axis", NULL, NULL, axes, MO_MAX_RANK, &at);
    if (n == -1 && mo_build_ok(b))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "flip axes computed at run time");
    if (n <= 0)
        return mo_pd_set_out(b, "Out", x);
    for (int i = 0; i < n; i++)
        start[i] = -1, stop[i] = -INT64_MAX, step[i] = -1;
    return mo_pd_set_out(b, "Out", mo_build_slice(b, NULL, x, start, stop, step, axes, n));
}

/* roll: shifts along axis; without axes over the flattened tensor */
static enum mo_status tr_roll(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t sh[MO_MAX_RANK], axes[MO_MAX_RANK];
    struct mo_value tsh;
    int ns = mo_pd_int_list(b, "shifts", "ShiftsTensor", NULL, sh, MO_MAX_RANK, &tsh);
    int na = mo_pd_ints(fw, "axis", axes, MO_MAX_RANK);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (ns == -2 || ns == 0 || na > MO_MAX_RANK)
        return mo_build_error(b, MO_ERR_FORMAT, 2, "roll has no shifts");
    struct mo_value shifts = mo_pd_list_value(b, "shifts", ns, sh, tsh);
    if (na > 0) {
        struct mo_value a = mo_build_i64(b, "axes", axes, (size_t)na);
        return mo_pd_set_out(b, "Out", mo_build_op(b, "Roll", NULL, 3, x, shifts, a));
    }
    struct mo_value flat = mo_build_reshape(b, "flat", x, (int64_t[]){-1}, 1, false);
    struct mo_value a = mo_build_i64(b, "axes", (int64_t[]){0}, 1);
    struct mo_value y = mo_build_op(b, "Roll", "roll", 3, flat, shifts, a);
    struct mo_shape xs;
    struct mo_value shape = mo_value_static(x, &xs)
                                ? mo_build_i64(b, "shape", xs.dims, (size_t)xs.rank)
                                : mo_build_shape_of(b, "shape", x, MO_ET_I64);
    return mo_pd_set_out(b, "Out", mo_build_reshape_to(b, NULL, y, shape, false));
}

/* --- tril / triu --------------------------------------------------------------------- */

/* x where column - row <= diagonal (lower) or >= diagonal (upper), else 0,
 * over the last two dims. */
static enum mo_status tri_common(struct mo_tctx *t, const struct mo_node *fw, int lower,
                                 struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int r = mo_value_shape(x).rank;
    if (mo_build_ok(b) && r < 2)
        return mo_build_error(b, MO_ERR_FORMAT, 2, "tril/triu needs rank 2 or more, got %d", r);
    if (lower < 0)
        lower = mo_node_get_bool(fw, "lower", true, NULL);
    int64_t diag = mo_node_get_int(fw, "diagonal", 0, NULL);
    struct mo_value rows = iota(b, "rows", dim_scalar(b, "height", x, r - 2));
    struct mo_value cols = iota(b, "cols", dim_scalar(b, "width", x, r - 1));
    rows = mo_build_unsqueeze(b, "rows/column", rows, (int64_t[]){1}, 1);
    struct mo_value diff = mo_build_op(b, "Subtract", "offset", 2, cols, rows);
    struct mo_value dv = mo_build_i64_scalar(b, "diagonal", diag);
    struct mo_value keep = mo_build_op(b, lower ? "LessEqual" : "GreaterEqual", "keep", 2, diff, dv);
    struct mo_value zero = mo_build_scalar(b, "zero", mo_value_et(x), 0.0);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Select", NULL, 3, keep, x, zero));
}

MO_PD_VARIANT(tr_tril_triu, tri_common, -1)
MO_PD_VARIANT(tr_tril, tri_common, 1)
MO_PD_VARIANT(tr_triu, tri_common, 0)

/* --- pad, crop_tensor ----------------------------------------------------------------- */

/* pad: paddings [before0, after0, before1, after1...] with pad_value. */
static enum mo_status tr_pad(struct mo_tctx *t, const struct mo_node *fw, void *user,
                             struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int r = mo_value_shape(x).rank;
    int64_t p[2 * MO_MAX_RANK], pb[MO_MAX_RANK], pe[MO_MAX_RANK];
    int n = mo_pd_ints(fw, "paddings", p, 2 * MO_MAX_RANK);
    if (mo_build_ok(b) && (r < 0 || n != 2 * r))
        return mo_build_error(b, MO_ERR_FORMAT, 2, "pad has %d paddings for rank %d", n, r);
    for (int i = 0; i < r; i++)
        pb[i] = p[2 * i], pe[i] = p[2 * i + 1];
    struct mo_value c0 = mo_build_i64(b, "pads_begin", pb, (size_t)(r > 0 ? r : 0));
    struct mo_value c1 = mo_build_i64(b, "pads_end", pe, (size_t)(r > 0 ? r : 0));
    struct mo_value pv = mo_pd_in_opt(b, "pad_value", 0);
    pv = pv.node ? mo_pd_scalar(b, "pad_value", pv, mo_value_et(x))
                 : mo_build_scalar(b, "pad_value", mo_value_et(x),
                                   mo_node_get_float(fw, "pad_value", 0.0, NULL));
    struct mo_value y = mo_build_op(b, "Pad", NULL, 4, x, c0, c1, pv);
    return mo_pd_set_out(b, "Out", mo_build_set_str(b, y, "pad_mode", "constant"));
}

/* crop_tensor (PIR crop): x[offsets : offsets + shape], a shape entry -1
 * meaning to the end of that dim. */
static enum mo_status tr_crop(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int r = mo_value_shape(x).rank;
    int64_t sh[MO_MAX_RANK], of[MO_MAX_RANK], axes[MO_MAX_RANK], step[MO_MAX_RANK];
    struct mo_value tsh, tof;
    int ns = mo_pd_int_list(b, "shape", "Shape", "ShapeTensor", sh, MO_MAX_RANK, &tsh);
    int no = mo_pd_int_list(b, "offsets", "Offsets", "OffsetsTensor", of, MO_MAX_RANK, &tof);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (r <= 0 || ns == -2 || (ns >= 0 && ns != r) || (no >= 0 && no != r))
        return mo_build_error(b, MO_ERR_FORMAT, 2, "crop shape and offsets do not fit rank %d", r);
    if (no == -2) {
        no = r;
        for (int i = 0; i < r; i++)
            of[i] = 0;
    }
    for (int i = 0; i < r; i++)
        axes[i] = i, step[i] = 1;
    struct mo_value start = mo_pd_list_value(b, "start", no, of, tof);
    struct mo_value stop;
    if (ns >= 0 && no >= 0) {
        int64_t e[MO_MAX_RANK];
        for (int i = 0; i < r; i++)
            e[i] = sh[i] == -1 ? INT64_MAX : of[i] + sh[i];
        stop = mo_build_i64(b, "stop", e, (size_t)r);
    } else {
        struct mo_value size = mo_pd_list_value(b, "size", ns, sh, tsh);
        struct mo_value end = mo_build_op(b, "Add", "stop/end", 2, start, size);
        struct mo_value m1 = mo_build_i64_scalar(b, "stop/minus1", -1);
        struct mo_value all = mo_build_op(b, "Equal", "stop/to_end", 2, size, m1);
        struct mo_value big = mo_build_i64_scalar(b, "stop/max", INT64_MAX);
        stop = mo_build_op(b, "Select", "stop", 3, all, big, end);
    }
    struct mo_value c2 = mo_build_i64(b, "step", step, (size_t)r);
    struct mo_value c3 = mo_build_i64(b, "axes", axes, (size_t)r);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Slice", NULL, 5, x, start, stop, c2, c3));
}

MO_PD_TABLE(mo_pd_tr_create,
            {"tile", tr_tile}, {"range", tr_range}, {"linspace", tr_linspace},
            {"eye", tr_eye}, {"meshgrid", tr_meshgrid}, {"set_value", tr_set_value},
            {"partial_concat", tr_partial_concat}, {"partial_sum", tr_partial_sum},
            {"pixel_shuffle", tr_pixel_shuffle}, {"pixel_unshuffle", tr_pixel_unshuffle},
            {"channel_shuffle", tr_channel_shuffle},
            {"flip", tr_flip}, {"reverse", tr_flip}, {"roll", tr_roll},
            {"tril_triu", tr_tril_triu}, {"tril", tr_tril}, {"triu", tr_triu},
            {"pad", tr_pad}, {"crop_tensor", tr_crop});
