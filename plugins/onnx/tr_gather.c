/* tr_gather.c - indexing: Gather, GatherElements, GatherND, Scatter,
 * ScatterElements, ScatterND, OneHot, NonZero, Compress, Where, Trilu,
 * EyeLike, Unique. */
#include <config.h>

#include <string.h>

#include "onnx.h"

static enum mo_status tr_gather(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value i = mo_build_in(b, 1, "indices");
    int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", 0, NULL), mo_value_shape(x).rank, "axis");
    return mo_build_done(b, mo_build_gather(b, NULL, x, i, axis));
}

/* GatherElements: the IR op of the same name (axis normalized; negative
 * indices count from the end in both). */
static enum mo_status tr_gather_elements(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value i = mo_build_in(b, 1, "indices");
    int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", 0, NULL), mo_value_shape(x).rank, "axis");
    struct mo_value y = mo_build_op(b, "GatherElements", NULL, 2, x, i);
    return mo_build_done(b, mo_build_set_int(b, y, "axis", axis));
}

/* GatherND with batch_dims (12+): GatherND-8 keeps the batch dims in the
 * output as ONNX does. */
static enum mo_status tr_gather_nd(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value i = mo_build_in(b, 1, "indices");
    struct mo_value y = mo_build_op(b, "GatherND", NULL, 2, x, i);
    return mo_build_done(b, mo_build_set_int(b, y, "batch_dims", mo_node_get_int(fw, "batch_dims", 0, NULL)));
}

/* ONNX's reduction names (none; add, mul from 16; max, min from 18) as the
 * IR's; NULL for an unknown one. */
static const char *ir_reduction(const char *r)
{
    static const char *const map[][2] = {{"none", "none"}, {"add", "sum"}, {"mul", "prod"},
                                         {"max", "max"},   {"min", "min"}};
    for (unsigned i = 0; i < MO_COUNT_OF(map); i++)
        if (!strcmp(r, map[i][0]))
            return map[i][1];
    return NULL;
}

/* Scatter (9-10) and ScatterElements (11+): ScatterElementsUpdate-12,
 * whose reductions combine with the data's value (use_init_val) as ONNX's
 * do. */
static enum mo_status tr_scatter_elements(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                          struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value i = mo_build_in(b, 1, "indices");
    struct mo_value u = mo_build_in(b, 2, "updates");
    const char *r = mo_node_get_str(fw, "reduction", "none"), *ir = ir_reduction(r);
    if (!ir)
        return mo_build_fail(b, "reduction '%s' is not none, add, mul, max or min", r);
    int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", 0, NULL), mo_value_shape(x).rank, "axis");
    struct mo_value a = mo_build_i64_scalar(b, "axis", axis);
    struct mo_value y = mo_build_op(b, "ScatterElementsUpdate", NULL, 4, x, i, u, a);
    mo_build_set_str(b, y, "reduction", ir);
    return mo_build_done(b, mo_build_set_bool(b, y, "use_init_val", true));
}

/* ScatterND: ScatterNDUpdate-15, with the reduction of opset 16+.  (The
 * op table's default ScatterNDUpdate says opset3, where the runtime has
 * none: it came in opset4.) */
static enum mo_status tr_scatter_nd(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value i = mo_build_in(b, 1, "indices");
    struct mo_value u = mo_build_in(b, 2, "updates");
    const char *r = mo_node_get_str(fw, "reduction", "none"), *ir = ir_reduction(r);
    if (!ir)
        return mo_build_fail(b, "reduction '%s' is not none, add, mul, max or min", r);
    struct mo_value y = mo_build_op(b, "ScatterNDUpdate-15", NULL, 3, x, i, u);
    return mo_build_done(b, mo_build_set_str(b, y, "reduction", ir));
}

/* OneHot(indices, depth, values = [off, on]).  ONNX counts an index in
 * [-depth, 0) from the end (11+) and gives all off values outside
 * [-depth, depth); the IR's OneHot gives all off for anything outside
 * [0, depth), so negative indices are moved up by depth first.  Indices and
 * depth may be of any numeric type. */
static enum mo_status tr_one_hot(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value idx = mo_ox_in_i64(b, 0, "indices");
    struct mo_value depth = mo_ox_scalar_of(b, "depth_scalar", mo_ox_in_i64(b, 1, "depth"));
    struct mo_value vals = mo_build_in(b, 2, "values");
    struct mo_value zero = mo_build_i64_scalar(b, "zero", 0);
    struct mo_value neg = mo_build_op(b, "Less", "negative", 2, idx, zero);
    struct mo_value up = mo_build_op(b, "Add", "from_end", 2, idx, depth);
    idx = mo_build_op(b, "Select", "index", 3, neg, up, idx);
    struct mo_value i0 = mo_build_i64_scalar(b, "off_index", 0);
    struct mo_value off = mo_build_gather(b, "off", vals, i0, 0);
    struct mo_value i1 = mo_build_i64_scalar(b, "on_index", 1);
    struct mo_value on = mo_build_gather(b, "on", vals, i1, 0);
    struct mo_value y = mo_build_op(b, "OneHot", NULL, 4, idx, depth, on, off);
    return mo_build_done(b, mo_build_set_int(b, y, "axis", mo_node_get_int(fw, "axis", -1, NULL)));
}

static enum mo_status tr_non_zero(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value y = mo_build_op(b, "NonZero", NULL, 1, x);
    return mo_build_done(b, mo_build_set_str(b, y, "output_type", "i64"));
}

/* Compress: the slices along axis (of the flattened input without one)
 * whose condition is true: Gather at NonZero(condition).  A condition
 * shorter than the dim leaves the rest out, as ONNX says. */
static enum mo_status tr_compress(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_value c = mo_build_in(b, 1, "condition");
    int64_t axis = 0;
    if (mo_node_attr(fw, "axis"))
        axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", 0, NULL), mo_value_shape(x).rank, "axis");
    else
        x = mo_build_reshape(b, "flat", x, (int64_t[]){-1}, 1, false);
    struct mo_value nz = mo_build_op(b, "NonZero", "true_at", 1, c);
    mo_build_set_str(b, nz, "output_type", "i64");
    struct mo_value i = mo_build_reshape(b, "indices", nz, (int64_t[]){-1}, 1, false);
    return mo_build_done(b, mo_build_gather(b, NULL, x, i, axis));
}

static enum mo_status tr_where(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value c = mo_build_in(b, 0, "condition");
    struct mo_value x = mo_build_in(b, 1, "X");
    struct mo_value y = mo_build_in(b, 2, "Y");
    return mo_build_done(b, mo_build_op(b, "Select", NULL, 3, c, x, y));
}

/* Trilu: the last two dims [N, M] keep element (i, j) when j - i >= k
 * (upper, the default) or j - i <= k (lower), zero elsewhere; k is input 1
 * (0-D, default 0).  The mask is built from two Ranges over the run-time
 * dims and folds away when they are static. */
static enum mo_status tr_trilu(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    int r = mo_value_shape(x).rank;
    if (mo_build_ok(b) && r < 2)
        return mo_build_fail(b, "the input must have rank 2 or more, got %d", r);
    struct mo_value k = mo_ox_has_in(b, 1) ? mo_ox_scalar_of(b, "k_scalar", mo_ox_in_i64(b, 1, "k"))
                                           : mo_build_i64_scalar(b, "k", 0);
    struct mo_value n = mo_ox_scalar_of(b, "rows", mo_build_dims(b, "n", x, (int64_t[]){-2}, 1));
    struct mo_value m = mo_ox_scalar_of(b, "cols", mo_build_dims(b, "m", x, (int64_t[]){-1}, 1));
    struct mo_value zero = mo_build_i64_scalar(b, "start", 0);
    struct mo_value one = mo_build_i64_scalar(b, "step", 1);
    struct mo_value ri = mo_build_op(b, "Range", "row_index", 3, zero, n, one);
    mo_build_set_str(b, ri, "output_type", "i64");
    struct mo_value ci = mo_build_op(b, "Range", "col_index", 3, zero, m, one);
    mo_build_set_str(b, ci, "output_type", "i64");
    struct mo_value col = mo_build_unsqueeze(b, "row_col", ri, (int64_t[]){1}, 1);
    struct mo_value diff = mo_build_op(b, "Subtract", "offset", 2, ci, col);
    bool upper = mo_node_get_int(fw, "upper", 1, NULL) != 0;
    struct mo_value keep = mo_build_op(b, upper ? "GreaterEqual" : "LessEqual", "keep", 2, diff, k);
    struct mo_value z = mo_build_scalar(b, "zero", mo_value_et(x), 0.0);
    return mo_build_done(b, mo_build_op(b, "Select", NULL, 3, keep, x, z));
}

/* EyeLike: ones on diagonal k of a matrix shaped like the 2-D input, of
 * the dtype attribute's type (the input's when absent). */
static enum mo_status tr_eye_like(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    if (mo_build_ok(b) && mo_value_shape(x).rank != 2)
        return mo_build_fail(b, "the input must be 2-D, got rank %d", mo_value_shape(x).rank);
    enum mo_etype et = mo_value_et(x);
    if (mo_node_attr(fw, "dtype")) {
        char q[16];
        int dt = (int)mo_node_get_int(fw, "dtype", 0, NULL);
        et = mo_ox_etype(dt);
        if (et == MO_ET_UNDEFINED)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "dtype %s: the IR has no such element type",
                                  mo_ox_dtype_name(dt, q));
    }
    struct mo_value rows = mo_build_dims(b, "rows", x, (int64_t[]){0}, 1);
    struct mo_value cols = mo_build_dims(b, "cols", x, (int64_t[]){1}, 1);
    struct mo_value k = mo_build_i64_scalar(b, "k", mo_node_get_int(fw, "k", 0, NULL));
    /* Eye makes numbers; a boolean eye is its conversion */
    bool boolean = et == MO_ET_BOOLEAN;
    struct mo_value y = mo_build_op(b, "Eye", boolean ? "numeric" : NULL, 3, rows, cols, k);
    mo_build_set_str(b, y, "output_type", mo_etype_name(boolean ? MO_ET_U8 : et));
    return mo_build_done(b, boolean ? mo_build_convert(b, NULL, y, et) : y);
}

/* Unique: Y, indices (of first occurrences), inverse_indices, counts, in
 * the IR op's output order; over the flattened input without axis;
 * sorted=0 keeps the order of first occurrence in both. */
static enum mo_status tr_unique(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value y;
    if (mo_node_attr(fw, "axis")) {
        int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", 0, NULL), mo_value_shape(x).rank, "axis");
        struct mo_value a = mo_build_i64_scalar(b, "axis", axis);
        y = mo_build_op(b, "Unique", NULL, 2, x, a);
    } else {
        y = mo_build_op(b, "Unique", NULL, 1, x);
    }
    mo_build_set_bool(b, y, "sorted", mo_node_get_int(fw, "sorted", 1, NULL) != 0);
    mo_build_set_str(b, y, "index_element_type", "i64");
    mo_build_set_str(b, y, "count_element_type", "i64");
    for (unsigned k = 1; k < fw->n_outputs && k < 4; k++)
        mo_build_output(b, k, mo_val(y.node, k));
    return mo_build_done(b, y);
}

MO_OX_TABLE(mo_ox_tr_gather,
    {"Gather", 1, tr_gather, NULL},
    {"GatherElements", 11, tr_gather_elements, NULL},
    {"GatherND", 11, tr_gather_nd, NULL},
    {"Scatter", 9, tr_scatter_elements, NULL},
    {"ScatterElements", 11, tr_scatter_elements, NULL},
    {"ScatterND", 11, tr_scatter_nd, NULL},
    {"OneHot", 9, tr_one_hot, NULL},
    {"NonZero", 9, tr_non_zero, NULL},
    {"Compress", 9, tr_compress, NULL},
    {"Where", 9, tr_where, NULL},
    {"Trilu", 14, tr_trilu, NULL},
    {"EyeLike", 9, tr_eye_like, NULL},
    {"Unique", 11, tr_unique, NULL},
)
