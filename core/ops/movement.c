/* movement.c - data movement ops that came with later opsets: Roll-7
 * (elements shifted cyclically along axes) and Unique-10 (distinct
 * elements or slices, so its outputs have data-dependent sizes). */
#include <config.h>

#include <string.h>

#include "ops.h"

/* --- Roll (opset7): data, shift, axes; out = data's shape.  shift and axes
 * are scalars or 1-D; a 1-D shift of several values pairs with the axes. */
static enum mo_status infer_roll(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), sh = mo_in_shape(n, 1), ax = mo_in_shape(n, 2);
    if (sh.rank > 1 || ax.rank > 1)
        return mo_shape_error(n, err, "shift and axes must be scalars or 1-D");
    for (unsigned i = 1; i < 3; i++) {
        enum mo_etype et = mo_in_et(n, i);
        if (et != MO_ET_UNDEFINED && et != MO_ET_I32 && et != MO_ET_I64)
            return mo_shape_error(n, err, "%s must be i32 or i64, got %s", i == 1 ? "shift" : "axes",
                                  mo_etype_name(et));
    }
    if (sh.rank == 1 && ax.rank == 1 && sh.dims[0] > 1 && ax.dims[0] >= 0 && sh.dims[0] != ax.dims[0])
        return mo_shape_error(n, err, "shift has %lld values for %lld axes", (long long)sh.dims[0],
                              (long long)ax.dims[0]);
    int64_t axes[MO_MAX_RANK];
    int c = x.rank >= 0 ? mo_const_ints(n, 2, axes, MO_MAX_RANK) : -1;
    for (int i = 0; i < c && i < MO_MAX_RANK; i++)
        if (mo_axis_norm(axes[i], x.rank) < 0)
            return mo_shape_error(n, err, "axis %lld is out of range for rank %d", (long long)axes[i],
                                  x.rank);
    return mo_out_like_in0(n, &x);
}

static const struct mo_op_def op_roll = {"Roll", "opset7", 3, 3, 1, NULL, 0, infer_roll, NULL};

/* --- Unique (opset10): data and an optional scalar axis.
 *   0 unique values: 1-D [?] of the flattened data, or data's shape with
 *     dim `axis` unknown;
 *   1 indices of the first occurrences: [?];
 *   2 for every input element (or slice) the index of its unique value:
 *     [numel] or [dim at axis];
 *   3 occurrence counts: [?].
 * Outputs 1 and 2 have index_element_type, 3 count_element_type. */
static enum mo_status infer_unique(struct mo_node *n, struct mo_error *err)
{
    const char *ie = mo_attr_str(n, "index_element_type"), *ce = mo_attr_str(n, "count_element_type");
    enum mo_etype iet = mo_etype_parse(ie), cet = mo_etype_parse(ce);
    if ((iet != MO_ET_I32 && iet != MO_ET_I64) || (cet != MO_ET_I32 && cet != MO_ET_I64))
        return mo_shape_error(n, err, "index_element_type and count_element_type must be i32 or i64, "
                              "got '%s' and '%s'", ie, ce);
    struct mo_shape x = mo_in_shape(n, 0);
    enum mo_etype et = mo_in_et(n, 0);
    struct mo_shape vals, rev, dyn1 = mo_shape_of(MO_DYN);
    if (n->n_inputs < 2) {
        vals = dyn1;
        rev = mo_shape_of(x.rank >= 0 && mo_shape_is_static(&x) ? mo_shape_numel(&x) : MO_DYN);
    } else {
        struct mo_shape as = mo_in_shape(n, 1);
        if (as.rank > 1 || (as.rank == 1 && as.dims[0] >= 0 && as.dims[0] != 1))
            return mo_shape_error(n, err, "axis must be a scalar or hold one value");
        enum mo_etype aet = mo_in_et(n, 1);
        if (aet != MO_ET_UNDEFINED && aet != MO_ET_I32 && aet != MO_ET_I64)
            return mo_shape_error(n, err, "axis must be i32 or i64, got %s", mo_etype_name(aet));
        int64_t axis;
        if (x.rank == 0)
            return mo_shape_error(n, err, "an axis needs data of rank 1 or more");
        if (x.rank < 0 || !mo_const_scalar(n, 1, &axis)) {
            vals = x.rank < 0 ? mo_shape_unknown() : x;
            for (int d = 0; d < vals.rank; d++)
                vals.dims[d] = MO_DYN;
            rev = dyn1;
        } else {
            int a = mo_axis_norm(axis, x.rank);
            if (a < 0)
                return mo_shape_error(n, err, "axis %lld is out of range for rank %d", (long long)axis,
                                      x.rank);
            vals = x;
            vals.dims[a] = MO_DYN;
            rev = mo_shape_of(x.dims[a]);
        }
    }
    enum mo_status st = mo_set_out(n, 0, et, &vals);
    if (st == MO_OK)
        st = mo_set_out(n, 1, iet, &dyn1);
    if (st == MO_OK)
        st = mo_set_out(n, 2, iet, &rev);
    if (st == MO_OK)
        st = mo_set_out(n, 3, cet, &dyn1);
    return st;
}

static const struct mo_attr_spec unique_attrs[] = {
    {"sorted", MO_ATTR_BOOL, "true"},
    {"index_element_type", MO_ATTR_STRING, "i64"},
    {"count_element_type", MO_ATTR_STRING, "i64"},
};
static const struct mo_op_def op_unique = {
    "Unique", "opset10", 1, 2, 4, unique_attrs, MO_COUNT_OF(unique_attrs), infer_unique, NULL};

/* --- GatherTree (opset1): step_ids [T, B, W], parent_idx [T, B, W],
 * max_seq_len [B], end_token scalar; out = step_ids' shape and type (the
 * beams backtracked from the last step). */
static enum mo_status infer_gather_tree(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape ids = mo_in_shape(n, 0), par = mo_in_shape(n, 1);
    struct mo_shape len = mo_in_shape(n, 2), end = mo_in_shape(n, 3);
    if ((ids.rank >= 0 && ids.rank != 3) || (par.rank >= 0 && par.rank != 3))
        return mo_shape_error(n, err, "step_ids and parent_idx must have rank 3");
    if (len.rank >= 0 && len.rank != 1)
        return mo_shape_error(n, err, "max_seq_len must be 1-D");
    if (end.rank > 1 || (end.rank == 1 && end.dims[0] > 1))
        return mo_shape_error(n, err, "end_token must be a scalar");
    for (int d = 0; ids.rank == 3 && par.rank == 3 && d < 3; d++)
        if (ids.dims[d] >= 0 && par.dims[d] >= 0 && ids.dims[d] != par.dims[d])
            return mo_shape_error(n, err, "step_ids and parent_idx differ in dim %d (%lld, %lld)", d,
                                  (long long)ids.dims[d], (long long)par.dims[d]);
    if (ids.rank == 3 && len.rank == 1 && ids.dims[1] >= 0 && len.dims[0] >= 0 &&
        ids.dims[1] != len.dims[0])
        return mo_shape_error(n, err, "max_seq_len has %lld values for a batch of %lld",
                              (long long)len.dims[0], (long long)ids.dims[1]);
    for (unsigned i = 1; i < 4; i++)
        if (mo_in_et(n, i) != MO_ET_UNDEFINED && mo_in_et(n, 0) != MO_ET_UNDEFINED &&
            mo_in_et(n, i) != mo_in_et(n, 0))
            return mo_shape_error(n, err, "every input must have step_ids' type %s, input %u is %s",
                                  mo_etype_name(mo_in_et(n, 0)), i, mo_etype_name(mo_in_et(n, i)));
    return mo_out_like_in0(n, &ids);
}

static const struct mo_op_def op_gather_tree = {
    "GatherTree", "opset1", 4, 4, 1, NULL, 0, infer_gather_tree, NULL};

MO_OP_FAMILY(mo_ops_movement, &op_roll, &op_unique, &op_gather_tree);
