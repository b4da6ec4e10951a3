/* tr_index.c - Paddle translators: indexing, gather/scatter, sorting, one_hot, embedding.
 *
 * gather_nd, index_select, index_sample, take_along_axis, put_along_axis,
 * scatter, scatter_nd_add, lookup_table(_v2), one_hot(_v2), top_k(_v2),
 * argsort, unique, where_index, masked_select, index_put, gather_tree.
 * (gather itself is in tr_misc.c.) */
#include <config.h>

#include <string.h>

#include "paddle.h"

static struct mo_value op2(struct mo_build *b, const char *type, const char *sfx, struct mo_value a,
                           struct mo_value c)
{
    return mo_build_infer(b, mo_build_op(b, type, sfx, 2, a, c));
}

/* v converted to et when its type differs. */
static struct mo_value as_type(struct mo_build *b, const char *sfx, struct mo_value v, enum mo_etype et)
{
    if (!v.node || et == MO_ET_UNDEFINED || mo_value_et(v) == et)
        return v;
    return mo_build_infer(b, mo_build_convert(b, sfx, v, et));
}

/* The first present input slot among names (legacy spelling first, then the
 * PIR "@attr" one); MO_NO_VALUE when none is there. */
static struct mo_value in_any(struct mo_build *b, const char *s1, const char *s2)
{
    struct mo_value v = mo_pd_in_opt(b, s1, 0);
    if (!v.node && s2)
        v = mo_pd_in_opt(b, s2, 0);
    return v;
}

/* A Paddle dtype attribute (VarType number in a ProgramDesc, a name in
 * PIR) as an IR type; dflt when the attribute is absent. */
static enum mo_etype dtype_attr(const struct mo_node *fw, const char *name, enum mo_etype dflt)
{
    bool ok = false;
    int64_t v = mo_node_get_int(fw, name, -1, &ok);
    if (ok)
        return v < 0 ? dflt : mo_pd_etype((int)v);
    const char *s = mo_node_get_str(fw, name, NULL);
    return s ? mo_pd_etype_name(s) : dflt;
}

/* --- gather_nd, index_select, index_sample, take_along_axis ------------- */

static enum mo_status tr_gather_nd(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value idx = mo_pd_in(b, "Index", 0);
    struct mo_shape is = mo_value_shape(idx);
    if (is.rank > 0 && is.dims[is.rank - 1] == 0 && mo_build_ok(b)) {
        /* an empty index tuple selects all of x, once per index row:
         * x broadcast to index.shape[:-1] + x.shape */
        struct mo_value ish = mo_build_shape_of(b, "index/shape", idx, MO_ET_I64);
        struct mo_value lead = mo_build_slice(b, "index/lead", ish, (const int64_t[]){0},
                                              (const int64_t[]){-1}, (const int64_t[]){1},
                                              (const int64_t[]){0}, 1);
        struct mo_value xsh = mo_build_shape_of(b, "x/shape", x, MO_ET_I64);
        struct mo_value target = mo_build_concat(b, "target", 0, 2, (struct mo_value[]){lead, xsh});
        return mo_pd_set_out(b, "Out", mo_build_op(b, "Broadcast", NULL, 2, x, target));
    }
    if (is.rank == 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "gather_nd needs an Index of rank 1 or more");
    /* GatherND-8 with batch_dims 0 is Paddle's op: index tuples address the
     * leading dims of X */
    return mo_pd_set_out(b, "Out", mo_build_op(b, "GatherND", NULL, 2, x, idx));
}

static enum mo_status tr_index_select(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value idx = mo_pd_in(b, "Index", 0);
    int axis = mo_pd_axis(b, "dim", 0, mo_value_shape(x).rank);
    if (mo_value_shape(idx).rank > 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "index_select needs a 1-D Index");
    return mo_pd_set_out(b, "Out", mo_build_gather(b, NULL, x, idx, axis));
}

static enum mo_status tr_index_sample(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value idx = mo_pd_in(b, "Index", 0);
    if (mo_value_shape(x).rank != 2 || mo_value_shape(idx).rank != 2)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "index_sample needs 2-D X and Index");
    struct mo_value y = mo_build_op(b, "GatherElements", NULL, 2, x, idx);
    return mo_pd_set_out(b, "Out", mo_build_set_int(b, y, "axis", 1));
}

static enum mo_status tr_take_along_axis(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "Input", 0);
    struct mo_value idx = mo_pd_in(b, "Index", 0);
    int rank = mo_value_shape(x).rank;
    int axis = mo_pd_axis(b, "Axis", 0, rank);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (mo_value_shape(idx).rank != rank)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "take_along_axis needs Index of the rank of Input (%d)", rank);
    /* Paddle's python API broadcasts Index and Input to one shape before
     * the op; GatherElements needs the other dims equal, so an Input larger
     * than Index there is cut down to it (what Paddle's kernel reads) */
    struct mo_shape xs = mo_value_shape(x), is = mo_value_shape(idx);
    /* (a StridedSlice over every dim: the CPU plugin drops a Slice-8 in
     * front of GatherElements and then rejects the shapes) */
    int64_t start[MO_MAX_RANK], stop[MO_MAX_RANK], step[MO_MAX_RANK], emask[MO_MAX_RANK];
    int n = 0;
    for (int d = 0; d < rank; d++) {
        start[d] = 0, stop[d] = 0, step[d] = 1, emask[d] = 1;
        if (d != axis && is.dims[d] >= 0 && (xs.dims[d] < 0 || xs.dims[d] > is.dims[d])) {
            stop[d] = is.dims[d], emask[d] = 0;
            n++;
        }
    }
    if (n)
        x = mo_build_infer(b, mo_build_strided_slice(b, "input_cut", x, start, stop, step, rank,
                                                     NULL, emask));
    struct mo_value y = mo_build_op(b, "GatherElements", NULL, 2, x, idx);
    return mo_pd_set_out(b, "Result", mo_build_set_int(b, y, "axis", axis));
}

/* --- put_along_axis ------------------------------------------------------- */

static enum mo_status tr_put_along_axis(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "Input", 0);
    struct mo_value idx = mo_pd_in(b, "Index", 0);
    struct mo_value v = mo_pd_in(b, "Value", 0);
    int rank = mo_value_shape(x).rank;
    int axis = mo_pd_axis(b, "Axis", 0, rank);
    const char *red = mo_node_get_str(fw, "Reduce", "assign");
    static const char *const names[][2] = {
        {"assign", "none"}, {"add", "sum"}, {"mul", "prod"}, {"multiply", "prod"},
        {"amin", "min"},    {"amax", "max"}, {"mean", "mean"},
    };
    const char *ir = NULL;
    for (size_t i = 0; red && i < MO_COUNT_OF(names); i++)
        if (!strcmp(red, names[i][0]))
            ir = names[i][1];
    if (!ir)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "put_along_axis Reduce '%s' is not supported: assign, add, mul, "
                              "multiply, amin, amax and mean are", red ? red : "");
    /* Value has Index's shape after the python API's broadcast; a smaller
     * one (a scalar) is broadcast here */
    v = as_type(b, "value_cast", v, mo_value_et(x));
    struct mo_shape vs = mo_value_shape(v), is = mo_value_shape(idx);
    if (vs.rank >= 0 && is.rank >= 0 && !(mo_shape_is_static(&vs) && mo_shape_is_static(&is) &&
                                          mo_shape_numel(&vs) == mo_shape_numel(&is) &&
                                          vs.rank == is.rank)) {
        struct mo_value sh = mo_build_shape_of(b, "index_shape", idx, MO_ET_I64);
        v = op2(b, "Broadcast", "value_bcast", v, sh);
    }
    struct mo_value ax = mo_build_i64_scalar(b, "axis", axis);
    struct mo_value y = mo_build_op(b, "ScatterElementsUpdate", NULL, 4, x, idx, v, ax);
    mo_build_set_str(b, y, "reduction", ir);
    mo_build_set_bool(b, y, "use_init_val", mo_node_get_bool(fw, "Include_self", true, NULL));
    return mo_pd_set_out(b, "Result", y);
}

/* --- scatter, scatter_nd_add ------------------------------------------- */

/* Paddle's scatter: rows Ids of X replaced by Updates.  overwrite True:
 * the last update of a row wins (Paddle's CPU kernel writes in order, as
 * ScatterUpdate does); False: the indexed rows are zeroed, then every
 * update added (duplicates accumulate). */
static enum mo_status tr_scatter(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value idx = mo_pd_in(b, "Ids", 0);
    struct mo_value upd = mo_pd_in(b, "Updates", 0);
    struct mo_shape is = mo_value_shape(idx);
    if (is.rank > 2 || (is.rank == 2 && is.dims[1] != 1))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "scatter needs Ids of rank 0 or 1 (or [N, 1])");
    if (is.rank == 2)
        idx = mo_build_infer(b, mo_build_reshape(b, "ids_1d", idx, (const int64_t[]){-1}, 1, false));
    upd = as_type(b, "updates_cast", upd, mo_value_et(x));
    struct mo_value ax = mo_build_i64_scalar(b, "axis", 0);
    bool overwrite = mo_node_get_bool(fw, "overwrite", true, NULL);
    if (overwrite)
        return mo_pd_set_out(b, "Out", mo_build_op(b, "ScatterUpdate", NULL, 4, x, idx, upd, ax));
    struct mo_value zero = mo_build_scalar(b, "zero", mo_value_et(x), 0.0);
    struct mo_value ush = mo_build_shape_of(b, "updates_shape", upd, MO_ET_I64);
    struct mo_value zeros = op2(b, "Broadcast", "zeros", zero, ush);
    struct mo_value cleared =
        mo_build_infer(b, mo_build_op(b, "ScatterUpdate", "cleared", 4, x, idx, zeros, ax));
    struct mo_value nd = mo_build_infer(b, mo_build_unsqueeze(b, "ids_nd", idx, (const int64_t[]){-1}, 1));
    struct mo_value y = mo_build_op(b, "ScatterNDUpdate-15", NULL, 3, cleared, nd, upd);
    return mo_pd_set_out(b, "Out", mo_build_set_str(b, y, "reduction", "sum"));
}

static enum mo_status tr_scatter_nd_add(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value idx = mo_pd_in(b, "Index", 0);
    struct mo_value upd = mo_pd_in(b, "Updates", 0);
    struct mo_shape is = mo_value_shape(idx);
    if (is.rank == 0 || (is.rank > 0 && is.dims[is.rank - 1] == 0))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "scatter_nd_add needs Index of rank 1 or more whose last dim is not 0");
    upd = as_type(b, "updates_cast", upd, mo_value_et(x));
    struct mo_value y = mo_build_op(b, "ScatterNDUpdate-15", NULL, 3, x, idx, upd);
    return mo_pd_set_out(b, "Out", mo_build_set_str(b, y, "reduction", "sum"));
}

/* --- lookup_table(_v2) / embedding ------------------------------------------ */

/* Rows of W at Ids; ids equal to padding_idx (>= 0; -1: none) give zero
 * rows whatever W holds there.  v1's Ids carry a trailing dim of 1. */
static enum mo_status embedding_impl(struct mo_tctx *t, const struct mo_node *fw, bool v1,
                                     struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value ids = mo_pd_in(b, "Ids", 0);
    struct mo_value w = mo_pd_in(b, "W", 0);
    if (mo_value_shape(w).rank != 2)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "lookup_table needs a 2-D W");
    struct mo_shape is = mo_value_shape(ids);
    if (v1 && is.rank >= 2 && is.dims[is.rank - 1] == 1)
        ids = mo_build_infer(b, mo_build_squeeze(b, "ids", ids, (const int64_t[]){-1}, 1));
    int64_t pad = mo_node_get_int(fw, "padding_idx", -1, NULL);
    int64_t rows = mo_value_shape(w).dims[0];
    /* Paddle's python API turns a negative padding_idx into rows + it;
     * the op itself only knows -1 (none) */
    if (pad < -1 && rows > 0)
        pad += rows;
    if (pad < 0)
        return mo_pd_set_out(b, "Out", mo_build_gather(b, NULL, w, ids, 0));
    struct mo_value rowsv = mo_build_gather(b, "rows", w, ids, 0);
    struct mo_value pv = mo_build_scalar(b, "padding_idx", mo_value_et(ids), (double)pad);
    struct mo_value keep = op2(b, "NotEqual", "keep", ids, pv);
    struct mo_value kf = as_type(b, "keep_f", keep, mo_value_et(w));
    struct mo_value kc = mo_build_infer(b, mo_build_unsqueeze(b, "keep_col", kf, (const int64_t[]){-1}, 1));
    return mo_pd_set_out(b, "Out", mo_build_op(b, "Multiply", NULL, 2, rowsv, kc));
}
MO_PD_VARIANT(tr_lookup_table_v2, embedding_impl, false)
MO_PD_VARIANT(tr_lookup_table, embedding_impl, true)

/* --- one_hot(_v2) ---------------------------------------------------------------- */

static enum mo_status one_hot_impl(struct mo_tctx *t, const struct mo_node *fw, bool v1,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value dt = in_any(b, "depth_tensor", "depth");
    struct mo_value depth;
    if (dt.node) {
        depth = mo_pd_scalar(b, "depth", dt, MO_ET_I64);
    } else {
        int64_t d = mo_node_get_int(fw, "depth", -1, NULL);
        if (d < 1)
            return mo_build_error(b, MO_ERR_FORMAT, 0,
                                  "one_hot depth %lld: it must be 1 or more (or come as depth_tensor)",
                                  (long long)d);
        depth = mo_build_i64_scalar(b, "depth", d);
    }
    enum mo_etype et = dtype_attr(fw, "dtype", MO_ET_F32);
    if (et == MO_ET_UNDEFINED)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "one_hot dtype is not a numeric type");
    struct mo_shape xs = mo_value_shape(x);
    if (v1 && xs.rank >= 2 && xs.dims[xs.rank - 1] == 1)
        x = mo_build_infer(b, mo_build_squeeze(b, "x", x, (const int64_t[]){-1}, 1));
    /* OneHot gives zero rows to out-of-range ids: allow_out_of_range's
     * result, and what Paddle would refuse to compute without it */
    struct mo_value on = mo_build_scalar(b, "on", et, 1.0);
    struct mo_value off = mo_build_scalar(b, "off", et, 0.0);
    struct mo_value y = mo_build_op(b, "OneHot", NULL, 4, x, depth, on, off);
    return mo_pd_set_out(b, "Out", mo_build_set_int(b, y, "axis", -1));
}
MO_PD_VARIANT(tr_one_hot_v2, one_hot_impl, false)
MO_PD_VARIANT(tr_one_hot, one_hot_impl, true)

/* --- top_k(_v2), argsort ---------------------------------------------------------- */

static enum mo_status topk_impl(struct mo_tctx *t, const struct mo_node *fw, bool v1,
                                struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int rank = mo_value_shape(x).rank;
    if (rank == 0)
        x = mo_build_infer(b, mo_build_reshape(b, "x_1d", x, (const int64_t[]){1}, 1, false));
    int axis = v1 ? (rank > 0 ? rank - 1 : 0) : mo_pd_axis(b, "axis", -1, rank == 0 ? 1 : rank);
    struct mo_value kt = in_any(b, "K", "k");
    struct mo_value k;
    if (kt.node) {
        k = mo_pd_scalar(b, "k", kt, MO_ET_I64);
    } else {
        int64_t kv = mo_node_get_int(fw, "k", 1, NULL);
        if (kv < 0)
            return mo_build_error(b, MO_ERR_FORMAT, 0, "top_k k is %lld: it must not be negative",
                                  (long long)kv);
        k = mo_build_i64_scalar(b, "k", kv);
    }
    bool largest = v1 ? true : mo_node_get_bool(fw, "largest", true, NULL);
    /* sorted False leaves Paddle's order unspecified: by value is one of them */
    struct mo_value y = mo_build_op(b, "TopK", NULL, 2, x, k);
    mo_build_set_int(b, y, "axis", axis);
    mo_build_set_str(b, y, "mode", largest ? "max" : "min");
    mo_build_set_str(b, y, "sort", "value");
    mo_build_set_str(b, y, "index_element_type", "i64");
    mo_build_set_bool(b, y, "stable", true);
    mo_build_infer(b, y);
    struct mo_value vals = mo_val(y.node, 0), ind = mo_val(y.node, 1);
    if (rank == 0) {
        vals = mo_build_infer(b, mo_build_squeeze(b, "values", vals, (const int64_t[]){0}, 1));
        ind = mo_build_infer(b, mo_build_squeeze(b, "indices", ind, (const int64_t[]){0}, 1));
    }
    mo_pd_set_out(b, "Out", vals);
    return mo_pd_set_out(b, "Indices", ind);
}
MO_PD_VARIANT(tr_top_k_v2, topk_impl, false)
MO_PD_VARIANT(tr_top_k, topk_impl, true)

/* A full sort along the axis: TopK of every element there, stable so that
 * equal values keep their order (Paddle's stable=True; for stable=False
 * any order of ties is Paddle's). */
static enum mo_status tr_argsort(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int rank = mo_value_shape(x).rank;
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (rank == 0) {
        struct mo_value zero = mo_build_i64_scalar(b, "indices", 0);
        mo_pd_set_out(b, "Out", x);
        return mo_pd_set_out(b, "Indices", zero);
    }
    int axis = mo_pd_axis(b, "axis", -1, rank);
    struct mo_value kd = mo_build_dims(b, "n", x, (const int64_t[]){axis}, 1);
    struct mo_value k = mo_pd_scalar(b, "k", kd, MO_ET_I64);
    bool desc = mo_node_get_bool(fw, "descending", false, NULL);
    struct mo_value y = mo_build_op(b, "TopK", NULL, 2, x, k);
    mo_build_set_int(b, y, "axis", axis);
    mo_build_set_str(b, y, "mode", desc ? "max" : "min");
    mo_build_set_str(b, y, "sort", "value");
    mo_build_set_str(b, y, "index_element_type", "i64");
    mo_build_set_bool(b, y, "stable", true);
    mo_build_infer(b, y);
    mo_pd_set_out(b, "Out", mo_val(y.node, 0));
    return mo_pd_set_out(b, "Indices", mo_val(y.node, 1));
}

/* --- unique -------------------------------------------------------------------------- */

/* Unique-10: values (sorted or in order of appearance), the index of each
 * value's first occurrence (Paddle's Indices), the value each element maps
 * to (Paddle's Index, the inverse) and the counts, over the flattened input
 * or along one axis. */
static enum mo_status tr_unique(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    int64_t axes[4];
    int na = mo_pd_ints(fw, "axis", axes, 4);
    if (na > 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "unique over %d axes is not supported: none or one", na);
    enum mo_etype it = dtype_attr(fw, "dtype", MO_ET_I64);
    if (it != MO_ET_I32 && it != MO_ET_I64)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "unique dtype must be int32 or int64");
    bool sorted = mo_node_get_bool(fw, "is_sorted", false, NULL);
    struct mo_value y;
    if (na == 1) {
        int rank = mo_value_shape(x).rank;
        int64_t a = axes[0] < 0 && rank > 0 ? axes[0] + rank : axes[0];
        if (rank >= 0 && (a < 0 || a >= rank) && mo_build_ok(b))
            return mo_build_error(b, MO_ERR_FORMAT, 0, "unique axis %lld is out of range for rank %d",
                                  (long long)axes[0], rank);
        struct mo_value ax = mo_build_i64_scalar(b, "axis", a);
        y = mo_build_op(b, "Unique", NULL, 2, x, ax);
    } else {
        y = mo_build_op(b, "Unique", NULL, 1, x);
    }
    const char *tn = it == MO_ET_I32 ? "i32" : "i64";
    mo_build_set_bool(b, y, "sorted", sorted);
    mo_build_set_str(b, y, "index_element_type", tn);
    mo_build_set_str(b, y, "count_element_type", tn);
    mo_build_infer(b, y);
    mo_pd_set_out(b, "Out", mo_val(y.node, 0));
    mo_pd_set_out(b, "Indices", mo_val(y.node, 1));
    mo_pd_set_out(b, "Index", mo_val(y.node, 2));
    return mo_pd_set_out(b, "Counts", mo_val(y.node, 3));
}

/* --- where_index (nonzero), masked_select -------------------------------------------------- */

/* [N, rank] int64 coordinates of the non-zero elements, row-major order:
 * NonZero's [rank, N] transposed. */
static struct mo_value coords(struct mo_build *b, const char *sfx, struct mo_value c)
{
    struct mo_value nz = mo_build_op(b, "NonZero", sfx, 1, c);
    mo_build_set_str(b, nz, "output_type", "i64");
    mo_build_infer(b, nz);
    return nz;
}

static enum mo_status tr_where_index(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                     struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value c = mo_pd_in(b, "Condition", 0);
    if (mo_value_shape(c).rank == 0)
        c = mo_build_infer(b, mo_build_reshape(b, "cond_1d", c, (const int64_t[]){1}, 1, false));
    struct mo_value nz = coords(b, "nonzero", c);
    return mo_pd_set_out(b, "Out", mo_build_transpose(b, NULL, nz, (const int64_t[]){1, 0}, 2));
}

/* X and Mask broadcast against each other, then the elements of X where
 * Mask holds, in row-major order: GatherND at the mask's coordinates. */
static enum mo_status tr_masked_select(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                       struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value m = mo_pd_in(b, "Mask", 0);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_shape xs = mo_value_shape(x), ms = mo_value_shape(m);
    bool same = xs.rank >= 0 && xs.rank == ms.rank && mo_shape_is_static(&xs) &&
                mo_shape_is_static(&ms) && !memcmp(xs.dims, ms.dims, sizeof(int64_t) * xs.rank);
    if (!same) {
        struct mo_value msh = mo_build_shape_of(b, "mask_shape", m, MO_ET_I64);
        struct mo_value xb = mo_build_op(b, "Broadcast", "x_bcast", 2, x, msh);
        x = mo_build_infer(b, mo_build_set_str(b, xb, "mode", "bidirectional"));
        struct mo_value xsh = mo_build_shape_of(b, "x_shape", x, MO_ET_I64);
        struct mo_value mb = mo_build_op(b, "Broadcast", "mask_bcast", 2, m, xsh);
        m = mo_build_infer(b, mo_build_set_str(b, mb, "mode", "bidirectional"));
    }
    if (mo_value_shape(x).rank == 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "masked_select of a 0-D X is not supported");
    struct mo_value nz = coords(b, "nonzero", m);
    struct mo_value at = mo_build_infer(b, mo_build_transpose(b, "coords", nz, (const int64_t[]){1, 0}, 2));
    return mo_pd_set_out(b, "Y", mo_build_op(b, "GatherND", NULL, 2, x, at));
}

/* --- index_put ---------------------------------------------------------------------------------- */

/* x[indices] = value (accumulate: +=): the k index tensors (integer, one
 * shape) stacked into k-tuples for ScatterNDUpdate-15, value broadcast to
 * the updates' shape (the index shape, then x's dims past k). */
static enum mo_status tr_index_put(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "x", 0);
    struct mo_value v = mo_pd_in(b, "value", 0);
    unsigned k = mo_pd_in_count(fw, "indices");
    int rank = mo_value_shape(x).rank;
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (k < 1 || (rank >= 0 && (int)k > rank) || k > MO_MAX_RANK)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "index_put needs 1 to rank(x) index tensors, got %u", k);
    struct mo_value cols[MO_MAX_RANK];
    struct mo_shape s0 = mo_shape_unknown();
    for (unsigned i = 0; i < k; i++) {
        struct mo_value ii = mo_pd_in(b, "indices", i);
        enum mo_etype et = mo_value_et(ii);
        if (et != MO_ET_I32 && et != MO_ET_I64 && mo_build_ok(b))
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                  "index_put with %s indices is not supported: int32 or int64 "
                                  "(bool masks are not)", mo_etype_name(et));
        struct mo_shape si = mo_value_shape(ii);
        if (i == 0)
            s0 = si;
        else if (si.rank != s0.rank || memcmp(si.dims, s0.dims, sizeof(int64_t) * (si.rank > 0 ? si.rank : 0)))
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                  "index_put with index tensors of different shapes is not supported");
        ii = as_type(b, "index_i64", ii, MO_ET_I64);
        cols[i] = mo_build_infer(b, mo_build_unsqueeze(b, "index_col", ii, (const int64_t[]){-1}, 1));
    }
    struct mo_value nd = k == 1 ? cols[0] : mo_build_infer(b, mo_build_concat(b, "index_nd", s0.rank, k, cols));
    v = as_type(b, "value_cast", v, mo_value_et(x));
    struct mo_value ish = mo_build_shape_of(b, "index_shape", mo_pd_in(b, "indices", 0), MO_ET_I64);
    struct mo_value ush = ish;
    if (rank > (int)k) {
        int64_t rest[MO_MAX_RANK];
        for (int d = (int)k; d < rank; d++)
            rest[d - k] = d;
        struct mo_value tail = mo_build_dims(b, "x_tail", x, rest, rank - (int)k);
        ush = mo_build_infer(b, mo_build_concat(b, "updates_shape", 0, 2, (struct mo_value[]){ish, tail}));
    }
    struct mo_value upd = op2(b, "Broadcast", "updates", v, ush);
    struct mo_value y = mo_build_op(b, "ScatterNDUpdate-15", NULL, 3, x, nd, upd);
    bool acc = mo_node_get_bool(fw, "accumulate", false, NULL);
    return mo_pd_set_out(b, "out", mo_build_set_str(b, y, "reduction", acc ? "sum" : "none"));
}

/* --- gather_tree ------------------------------------------------------------------------------------ */

/* GatherTree-1 backtracks beams as Paddle's op does when no sequence ends
 * early: every max_seq_len is the step count, and end_token -1 (no id)
 * never cuts a beam.  The runtime computes it in i32. */
static enum mo_status tr_gather_tree(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                     struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value ids = mo_pd_in(b, "Ids", 0);
    struct mo_value par = mo_pd_in(b, "Parents", 0);
    if (mo_value_shape(ids).rank != 3 || mo_value_shape(par).rank != 3)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "gather_tree needs Ids and Parents of shape [T, B, beam]");
    enum mo_etype et = mo_value_et(ids);
    struct mo_value i32 = as_type(b, "ids_i32", ids, MO_ET_I32);
    struct mo_value p32 = as_type(b, "parents_i32", par, MO_ET_I32);
    struct mo_value tdim = mo_build_dims(b, "steps", ids, (const int64_t[]){0}, 1);
    struct mo_value bdim = mo_build_dims(b, "batch", ids, (const int64_t[]){1}, 1);
    struct mo_value t32 = as_type(b, "steps_i32", tdim, MO_ET_I32);
    struct mo_value len = op2(b, "Broadcast", "max_seq_len", t32, bdim);
    struct mo_value end = mo_build_scalar(b, "end_token", MO_ET_I32, -1.0);
    struct mo_value g = mo_build_infer(b, mo_build_op(b, "GatherTree", et == MO_ET_I32 ? NULL : "tree",
                                                      4, i32, p32, len, end));
    if (et != MO_ET_I32)
        g = mo_build_convert(b, NULL, g, et);
    return mo_pd_set_out(b, "Out", g);
}

MO_PD_TABLE(mo_pd_tr_index,
            {"gather_nd", tr_gather_nd},
            {"index_select", tr_index_select},
            {"index_sample", tr_index_sample},
            {"take_along_axis", tr_take_along_axis},
            {"put_along_axis", tr_put_along_axis},
            {"scatter", tr_scatter},
            {"scatter_nd_add", tr_scatter_nd_add},
            {"lookup_table_v2", tr_lookup_table_v2},
            {"lookup_table", tr_lookup_table},
            {"one_hot_v2", tr_one_hot_v2},
            {"one_hot", tr_one_hot},
            {"top_k_v2", tr_top_k_v2},
            {"top_k", tr_top_k},
            {"argsort", tr_argsort},
            {"unique", tr_unique},
            {"where_index", tr_where_index},
            {"masked_select", tr_masked_select},
            {"index_put", tr_index_put},
            {"gather_tree", tr_gather_tree},
);
