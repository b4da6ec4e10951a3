/* shape.c - ops that only move data around: Reshape, Concat, Transpose,
 * Squeeze/Unsqueeze, Split, Tile, Broadcast, DepthToSpace and friends,
 * SpaceToBatch and BatchToSpace. */
#include <config.h>

#include <string.h>

#include "ops.h"

/* Reshape (opset1): target from a Const input; special_zero makes 0 copy
 * the input dim; one -1 is inferred from the element count. */
static enum mo_status infer_reshape(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    int64_t t[MO_MAX_RANK + 1];
    int cnt = mo_const_ints(n, 1, t, MO_MAX_RANK + 1);
    if (cnt < 0) {
        struct mo_shape p = mo_in_shape(n, 1);
        struct mo_shape u = mo_shape_unknown();
        if (p.rank == 1 && p.dims[0] >= 0) {
            u.rank = (int)p.dims[0];
            for (int i = 0; i < u.rank; i++)
                u.dims[i] = MO_DYN;
        }
        return mo_out_like_in0(n, &u);
    }
    if (cnt > MO_MAX_RANK)
        return mo_shape_error(n, err, "target rank %d exceeds %d", cnt, MO_MAX_RANK);
    bool special_zero = mo_attr_bool(n, "special_zero");
    struct mo_shape o = {.rank = cnt};
    int minus = -1;
    /* Dims copied by special zero cancel against the same input dims, so
     * "[0,-1]" on [?,16,1,1] still gives [?,16]: `known` and `rest` leave
     * the copied positions out of both sides. */
    int64_t known = 1, rest = 1;
    bool rest_dyn = x.rank < 0;
    bool copied[MO_MAX_RANK + 1] = {false};
    for (int i = 0; i < cnt; i++) {
        int64_t d = t[i];
        if (d == 0 && special_zero) {
            if (x.rank < 0 || i >= x.rank)
                return mo_shape_error(n, err, "special zero at %d has no input dim to copy", i);
            o.dims[i] = x.dims[i];
            copied[i] = true;
            continue;
        }
        if (d == -1) {
            if (minus >= 0)
                return mo_shape_error(n, err, "more than one -1 in the target shape");
            minus = i;
        } else if (d < -1) {
            return mo_shape_error(n, err, "invalid target dim %lld", (long long)d);
        } else {
            known *= d;
        }
        o.dims[i] = d;
    }
    for (int j = 0; j < x.rank; j++) {
        if (j < cnt && copied[j])
            continue;
        if (x.dims[j] < 0)
            rest_dyn = true;
        else
            rest *= x.dims[j];
    }
    if (minus >= 0) {
        if (rest_dyn)
            o.dims[minus] = MO_DYN;
        else if (known == 0 || rest % known)
            return mo_shape_error(n, err, "cannot infer -1: %lld elements into blocks of %lld",
                                  (long long)rest, (long long)known);
        else
            o.dims[minus] = rest / known;
    } else if (!rest_dyn && known != rest) {
        char sx[128];
        return mo_shape_error(n, err, "input [%s] does not have as many elements as the target shape",
                              mo_shape_str(&x, sx, sizeof sx));
    }
    return mo_out_like_in0(n, &o);
}

static enum mo_status eval_reshape(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    struct mo_tensor *r = mo_tensor_reshaped(x, &n->outputs[0].shape, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    out[0] = r;
    return MO_OK;
}

static const struct mo_attr_spec reshape_attrs[] = {{"special_zero", MO_ATTR_BOOL, NULL}};
static const struct mo_op_def op_reshape = {
    "Reshape", "opset1", 2, 2, 1, reshape_attrs, 1, infer_reshape, eval_reshape};

static enum mo_status infer_concat(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape o = mo_in_shape(n, 0);
    int64_t axis_attr = mo_attr_int(n, "axis");
    int axis = -1;
    for (unsigned i = 0; i < n->n_inputs; i++) {
        struct mo_shape s = mo_in_shape(n, i);
        if (s.rank < 0) {
            struct mo_shape u = mo_shape_unknown();
            return mo_out_like_in0(n, &u);
        }
        if (i == 0) {
            axis = mo_axis_norm(axis_attr, s.rank);
            if (axis < 0)
                return mo_shape_error(n, err, "axis %lld is out of range for rank %d",
                                      (long long)axis_attr, s.rank);
            continue;
        }
        if (s.rank != o.rank)
            return mo_shape_error(n, err, "input %u has rank %d, input 0 has rank %d", i, s.rank, o.rank);
        for (int d = 0; d < s.rank; d++) {
            if (d == axis) {
                o.dims[d] = (o.dims[d] < 0 || s.dims[d] < 0) ? MO_DYN : o.dims[d] + s.dims[d];
            } else if (o.dims[d] >= 0 && s.dims[d] >= 0 && o.dims[d] != s.dims[d]) {
                return mo_shape_error(n, err, "input %u has %lld in dim %d, input 0 has %lld", i,
                                      (long long)s.dims[d], d, (long long)o.dims[d]);
            } else if (o.dims[d] < 0) {
                o.dims[d] = s.dims[d];
            }
        }
    }
    return mo_out_like_in0(n, &o);
}

static enum mo_status eval_concat(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    const struct mo_shape *os = &n->outputs[0].shape;
    int axis = mo_axis_norm(mo_attr_int(n, "axis"), os->rank);
    struct mo_tensor *r = mo_tensor_new(n->outputs[0].et, os, err);
    if (!r)
        return MO_ERR_NOMEM;
    size_t esz = mo_etype_bits(r->et) / 8;
    if (esz == 0) {
        mo_tensor_unref(r);
        return MO_ERR_UNSUPPORTED;
    }
    int64_t outer = 1;
    for (int d = 0; d < axis; d++)
        outer *= os->dims[d];
    size_t off = 0;
    for (int64_t o = 0; o < outer; o++) {
        for (unsigned i = 0; i < n->n_inputs; i++) {
            struct mo_tensor *t = mo_node_const_input(n, i);
            size_t chunk = t->nbytes / (size_t)(outer ? outer : 1);
            memcpy((char *)r->owned + off, (const char *)t->data + (size_t)o * chunk, chunk);
            off += chunk;
        }
    }
    out[0] = r;
    return MO_OK;
}

static const struct mo_attr_spec concat_attrs[] = {{"axis", MO_ATTR_INT, NULL}};
static const struct mo_op_def op_concat = {
    "Concat", "opset1", 1, -1, 1, concat_attrs, 1, infer_concat, eval_concat};


/* Evaluator for ops that keep the values and only change the shape. */
static enum mo_status eval_same_data(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    if (!x || !mo_shape_is_static(&n->outputs[0].shape))
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_tensor_reshaped(x, &n->outputs[0].shape, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    out[0] = r;
    return MO_OK;
}

static struct mo_shape dyn_of_rank(int rank)
{
    struct mo_shape s = {.rank = rank};
    for (int i = 0; i < rank && i < MO_MAX_RANK; i++)
        s.dims[i] = MO_DYN;
    return s;
}

/* --- Transpose (opset1): order input; an empty order reverses the dims. */

/* perm[i] = input dim of output dim i; *known false when order is not const. */
static enum mo_status transpose_perm(struct mo_node *n, int rank, int64_t *perm, bool *known,
                                     struct mo_error *err)
{
    int64_t v[MO_MAX_RANK];
    int cnt = mo_const_ints(n, 1, v, MO_MAX_RANK);
    *known = cnt >= 0;
    if (cnt < 0)
        return MO_OK;
    if (cnt == 0) {
        for (int i = 0; i < rank; i++)
            perm[i] = rank - 1 - i;
        return MO_OK;
    }
    if (cnt != rank)
        return mo_shape_error(n, err, "order has %d values, the input has rank %d", cnt, rank);
    bool seen[MO_MAX_RANK] = {false};
    for (int i = 0; i < rank; i++) {
        if (v[i] < 0 || v[i] >= rank || seen[v[i]])
            return mo_shape_error(n, err, "order is not a permutation of 0..%d", rank - 1);
        seen[v[i]] = true;
        perm[i] = v[i];
    }
    return MO_OK;
}

static enum mo_status infer_transpose(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    if (x.rank < 0) {
        int64_t v[MO_MAX_RANK];
        int cnt = mo_const_ints(n, 1, v, MO_MAX_RANK);
        if (cnt > 0 && cnt <= MO_MAX_RANK) {
            struct mo_shape o = dyn_of_rank(cnt);
            return mo_out_like_in0(n, &o);
        }
        return mo_out_like_in0(n, &x);
    }
    int64_t perm[MO_MAX_RANK];
    bool known;
    enum mo_status st = transpose_perm(n, x.rank, perm, &known, err);
    if (st != MO_OK)
        return st;
    struct mo_shape o = dyn_of_rank(x.rank);
    if (known)
        for (int i = 0; i < x.rank; i++)
            o.dims[i] = x.dims[perm[i]];
    return mo_out_like_in0(n, &o);
}

static enum mo_status eval_transpose(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    size_t esz = mo_elem_size(x->et);
    int64_t perm[MO_MAX_RANK];
    bool known;
    if (!esz || transpose_perm(n, x->shape.rank, perm, &known, NULL) != MO_OK || !known)
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    int64_t sst[MO_MAX_RANK], idx[MO_MAX_RANK] = {0};
    mo_shape_strides(&x->shape, sst);
    const struct mo_shape *os = &r->shape;
    int64_t total = mo_shape_numel(os);
    for (int64_t i = 0; i < total; i++) {
        int64_t si = 0;
        for (int d = 0; d < os->rank; d++)
            si += idx[d] * sst[perm[d]];
        mo_copy_elem(r, i, x, si, esz);
        mo_idx_next(idx, os);
    }
    out[0] = r;
    return MO_OK;
}

static const struct mo_op_def op_transpose = {
    "Transpose", "opset1", 2, 2, 1, NULL, 0, infer_transpose, eval_transpose};

/* --- Squeeze (opset1): without axes every dim of size 1 goes. */
static enum mo_status infer_squeeze(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    if (x.rank < 0)
        return mo_out_like_in0(n, &x);
    bool drop[MO_MAX_RANK] = {false};
    if (n->n_inputs < 2) {
        for (int d = 0; d < x.rank; d++) {
            if (x.dims[d] < 0) /* could be 1: the output rank is unknown */
                return mo_out_unknown(n, 0, mo_in_et(n, 0));
            drop[d] = x.dims[d] == 1;
        }
    } else {
        int64_t axes[MO_MAX_RANK];
        int cnt = mo_const_ints(n, 1, axes, MO_MAX_RANK);
        if (cnt < 0)
            return mo_out_unknown(n, 0, mo_in_et(n, 0));
        if (cnt > x.rank)
            return mo_shape_error(n, err, "%d axes for rank %d", cnt, x.rank);
        enum mo_status st = mo_norm_axes(n, axes, cnt, x.rank, true, err);
        if (st != MO_OK)
            return st;
        for (int i = 0; i < cnt; i++) {
            if (x.dims[axes[i]] >= 0 && x.dims[axes[i]] != 1)
                return mo_shape_error(n, err, "cannot squeeze axis %lld of size %lld",
                                      (long long)axes[i], (long long)x.dims[axes[i]]);
            drop[axes[i]] = true;
        }
    }
    struct mo_shape o = {.rank = 0};
    for (int d = 0; d < x.rank; d++)
        if (!drop[d])
            o.dims[o.rank++] = x.dims[d];
    return mo_out_like_in0(n, &o);
}

static const struct mo_op_def op_squeeze = {
    "Squeeze", "opset1", 1, 2, 1, NULL, 0, infer_squeeze, eval_same_data};

/* --- Unsqueeze (opset1): axes index the output. */
static enum mo_status infer_unsqueeze(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    int64_t axes[MO_MAX_RANK];
    int cnt = mo_const_ints(n, 1, axes, MO_MAX_RANK);
    if (x.rank < 0 || cnt < 0)
        return mo_out_unknown(n, 0, mo_in_et(n, 0));
    int r = x.rank + cnt;
    if (r > MO_MAX_RANK)
        return mo_shape_error(n, err, "output rank %d exceeds %d", r, MO_MAX_RANK);
    enum mo_status st = mo_norm_axes(n, axes, cnt, r, false, err);
    if (st != MO_OK)
        return st;
    bool added[MO_MAX_RANK] = {false};
    for (int i = 0; i < cnt; i++)
        added[axes[i]] = true;
    struct mo_shape o = {.rank = r};
    for (int d = 0, j = 0; d < r; d++)
        o.dims[d] = added[d] ? 1 : x.dims[j++];
    return mo_out_like_in0(n, &o);
}

static const struct mo_op_def op_unsqueeze = {
    "Unsqueeze", "opset1", 2, 2, 1, NULL, 0, infer_unsqueeze, eval_same_data};

/* --- Split (opset1) and VariadicSplit (opset1): the output count comes
 * from num_splits / the length of split_lengths. */

/* Slices of x along axis: output k gets lens[k] rows. */
static enum mo_status eval_split_common(struct mo_node *n, struct mo_tensor **out, int axis,
                                        struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    size_t esz = mo_elem_size(x->et);
    if (!esz || axis < 0 || axis >= x->shape.rank)
        return MO_ERR_UNSUPPORTED;
    int64_t outer = 1, inner = 1;
    for (int d = 0; d < axis; d++)
        outer *= x->shape.dims[d];
    for (int d = axis + 1; d < x->shape.rank; d++)
        inner *= x->shape.dims[d];
    int64_t dim = x->shape.dims[axis], off = 0;
    for (unsigned k = 0; k < n->n_outputs; k++) {
        struct mo_tensor *r = mo_eval_out(n, k, err);
        if (!r) {
            for (unsigned j = 0; j < k; j++) {
                mo_tensor_unref(out[j]);
                out[j] = NULL;
            }
            return MO_ERR_UNSUPPORTED;
        }
        int64_t len = r->shape.dims[axis];
        for (int64_t o = 0; o < outer; o++)
            memcpy((char *)r->owned + (size_t)(o * len * inner) * esz,
                   (const char *)x->data + (size_t)((o * dim + off) * inner) * esz,
                   (size_t)(len * inner) * esz);
        off += len;
        out[k] = r;
    }
    return MO_OK;
}

static enum mo_status infer_split(struct mo_node *n, struct mo_error *err)
{
    int64_t parts = mo_attr_int(n, "num_splits");
    if (parts <= 0)
        return mo_shape_error(n, err, "num_splits must be positive, got %lld", (long long)parts);
    if (parts > 65536)
        return mo_shape_error(n, err, "num_splits %lld is unreasonably large", (long long)parts);
    enum mo_status st = mo_node_resize(n, n->n_inputs, (unsigned)parts);
    if (st != MO_OK)
        return st;
    struct mo_shape x = mo_in_shape(n, 0), o = x;
    int64_t axis;
    enum mo_etype et = mo_in_et(n, 0);
    if (x.rank >= 0 && !mo_const_scalar(n, 1, &axis)) {
        o = dyn_of_rank(x.rank);
    } else if (x.rank >= 0) {
        int a = mo_axis_norm(axis, x.rank);
        if (a < 0)
            return mo_shape_error(n, err, "axis %lld is out of range for rank %d", (long long)axis, x.rank);
        if (x.dims[a] >= 0 && x.dims[a] % parts)
            return mo_shape_error(n, err, "dim %d of size %lld cannot be split into %lld equal parts",
                                  a, (long long)x.dims[a], (long long)parts);
        o.dims[a] = x.dims[a] < 0 ? MO_DYN : x.dims[a] / parts;
    }
    for (unsigned k = 0; k < (unsigned)parts; k++)
        if ((st = mo_set_out(n, k, et, &o)) != MO_OK)
            return st;
    return MO_OK;
}

static enum mo_status eval_split(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    int64_t axis;
    struct mo_tensor *x = mo_node_const_input(n, 0);
    if (!mo_const_scalar(n, 1, &axis))
        return MO_ERR_UNSUPPORTED;
    return eval_split_common(n, out, mo_axis_norm(axis, x->shape.rank), err);
}

static const struct mo_attr_spec split_attrs[] = {{"num_splits", MO_ATTR_INT, NULL}};
static const struct mo_op_def op_split = {
    "Split", "opset1", 2, 2, -1, split_attrs, 1, infer_split, eval_split};

static enum mo_status infer_variadic_split(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    enum mo_etype et = mo_in_et(n, 0);
    int64_t lens[256];
    int cnt = mo_const_ints(n, 2, lens, 256);
    if (cnt > 256)
        return mo_shape_error(n, err, "%d split lengths are more than mo supports (256)", cnt);
    enum mo_status st;
    int64_t axis;
    bool axis_known = mo_const_scalar(n, 1, &axis);
    int a = -1;
    if (x.rank >= 0 && axis_known) {
        a = mo_axis_norm(axis, x.rank);
        if (a < 0)
            return mo_shape_error(n, err, "axis %lld is out of range for rank %d", (long long)axis, x.rank);
    }
    if (cnt < 0) {
        /* the count is still known from the shape of split_lengths */
        struct mo_shape ls = mo_in_shape(n, 2);
        if (ls.rank != 1 || ls.dims[0] < 0)
            return mo_shape_error(n, err, "split_lengths must be a constant or have a static length");
        struct mo_shape o = x;
        if (x.rank >= 0 && a >= 0)
            o.dims[a] = MO_DYN;
        else if (x.rank >= 0)
            o = dyn_of_rank(x.rank);
        if ((st = mo_node_resize(n, n->n_inputs, (unsigned)ls.dims[0])) != MO_OK)
            return st;
        for (unsigned k = 0; k < (unsigned)ls.dims[0]; k++)
            if ((st = mo_set_out(n, k, et, &o)) != MO_OK)
                return st;
        return MO_OK;
    }
    if (cnt == 0)
        return mo_shape_error(n, err, "split_lengths is empty");
    int minus = -1;
    int64_t sum = 0;
    for (int k = 0; k < cnt; k++) {
        if (lens[k] == -1) {
            if (minus >= 0)
                return mo_shape_error(n, err, "split_lengths has more than one -1");
            minus = k;
        } else if (lens[k] < 0) {
            return mo_shape_error(n, err, "split length %lld is negative", (long long)lens[k]);
        } else {
            sum += lens[k];
        }
    }
    if (a >= 0 && x.dims[a] >= 0) {
        if (minus >= 0 && sum > x.dims[a])
            return mo_shape_error(n, err, "split lengths add up to %lld, more than dim %d (%lld)",
                                  (long long)sum, a, (long long)x.dims[a]);
        if (minus < 0 && sum != x.dims[a])
            return mo_shape_error(n, err, "split lengths add up to %lld, dim %d is %lld",
                                  (long long)sum, a, (long long)x.dims[a]);
    }
    if ((st = mo_node_resize(n, n->n_inputs, (unsigned)cnt)) != MO_OK)
        return st;
    for (int k = 0; k < cnt; k++) {
        struct mo_shape o = x;
        if (x.rank >= 0 && a < 0)
            o = dyn_of_rank(x.rank);
        else if (x.rank >= 0)
            o.dims[a] = k != minus ? lens[k] : (x.dims[a] < 0 ? MO_DYN : x.dims[a] - sum);
        if ((st = mo_set_out(n, (unsigned)k, et, &o)) != MO_OK)
            return st;
    }
    return MO_OK;
}

static enum mo_status eval_variadic_split(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    int64_t axis;
    struct mo_tensor *x = mo_node_const_input(n, 0);
    if (!mo_const_scalar(n, 1, &axis))
        return MO_ERR_UNSUPPORTED;
    return eval_split_common(n, out, mo_axis_norm(axis, x->shape.rank), err);
}

static const struct mo_op_def op_variadic_split = {
    "VariadicSplit", "opset1", 3, 3, -1, NULL, 0, infer_variadic_split, eval_variadic_split};

/* --- Tile (opset1): repeats and data are aligned on the right; the
 * shorter one is padded with leading 1s. */
static enum mo_status infer_tile(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    int64_t rep[MO_MAX_RANK];
    int cnt = mo_const_ints(n, 1, rep, MO_MAX_RANK);
    if (cnt > MO_MAX_RANK)
        return mo_shape_error(n, err, "%d repeats exceed rank %d", cnt, MO_MAX_RANK);
    if (x.rank < 0)
        return mo_out_unknown(n, 0, mo_in_et(n, 0));
    if (cnt < 0) {
        struct mo_shape rs = mo_in_shape(n, 1);
        if (rs.rank != 1 || rs.dims[0] < 0)
            return mo_out_unknown(n, 0, mo_in_et(n, 0));
        struct mo_shape o = dyn_of_rank(rs.dims[0] > x.rank ? (int)rs.dims[0] : x.rank);
        return mo_out_like_in0(n, &o);
    }
    int r = cnt > x.rank ? cnt : x.rank;
    struct mo_shape o = {.rank = r};
    for (int d = 0; d < r; d++) {
        int dx = d - (r - x.rank), dr = d - (r - cnt);
        int64_t xd = dx >= 0 ? x.dims[dx] : 1, rd = dr >= 0 ? rep[dr] : 1;
        if (rd < 0)
            return mo_shape_error(n, err, "repeat %lld is negative", (long long)rd);
        o.dims[d] = mo_dim_mul(xd, rd);
    }
    return mo_out_like_in0(n, &o);
}

static enum mo_status eval_tile(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    size_t esz = mo_elem_size(x->et);
    if (!esz)
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    const struct mo_shape *os = &r->shape;
    int off = os->rank - x->shape.rank;
    int64_t idx[MO_MAX_RANK] = {0}, total = mo_shape_numel(os);
    for (int64_t i = 0; i < total; i++) {
        int64_t si = 0;
        for (int d = 0; d < x->shape.rank; d++)
            si = si * x->shape.dims[d] + idx[d + off] % x->shape.dims[d];
        mo_copy_elem(r, i, x, si, esz);
        mo_idx_next(idx, os);
    }
    out[0] = r;
    return MO_OK;
}

static const struct mo_op_def op_tile = {"Tile", "opset1", 2, 2, 1, NULL, 0, infer_tile, eval_tile};

/* --- Broadcast (opset3): numpy (data to target_shape), bidirectional
 * (numpy rules both ways) or explicit (axes_mapping places data dims). */
static enum mo_status infer_broadcast(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    const char *mode = mo_attr_str(n, "mode");
    bool explicit_mode = !strcmp(mode, "explicit");
    if (!explicit_mode && strcmp(mode, "numpy") && strcmp(mode, "bidirectional"))
        return mo_shape_error(n, err, "unknown mode '%s'", mode);
    if (explicit_mode && n->n_inputs < 3)
        return mo_shape_error(n, err, "mode explicit needs the axes_mapping input");
    int64_t t[MO_MAX_RANK];
    int cnt = mo_const_ints(n, 1, t, MO_MAX_RANK);
    if (cnt > MO_MAX_RANK)
        return mo_shape_error(n, err, "target shape rank %d exceeds %d", cnt, MO_MAX_RANK);
    if (cnt < 0) {
        struct mo_shape ts = mo_in_shape(n, 1);
        if (ts.rank != 1 || ts.dims[0] < 0 || ts.dims[0] > MO_MAX_RANK)
            return mo_out_unknown(n, 0, mo_in_et(n, 0));
        int r = (int)ts.dims[0];
        if (!strcmp(mode, "bidirectional") && x.rank > r)
            r = x.rank;
        if (!strcmp(mode, "bidirectional") && x.rank < 0)
            return mo_out_unknown(n, 0, mo_in_et(n, 0));
        struct mo_shape o = dyn_of_rank(r);
        return mo_out_like_in0(n, &o);
    }
    struct mo_shape ts = mo_shape_make(cnt, t), o;
    for (int d = 0; d < cnt; d++)
        if (t[d] < 0)
            return mo_shape_error(n, err, "target shape has a negative dim %lld", (long long)t[d]);
    if (x.rank < 0) {
        if (!strcmp(mode, "bidirectional"))
            return mo_out_unknown(n, 0, mo_in_et(n, 0));
        return mo_out_like_in0(n, &ts);
    }
    if (!strcmp(mode, "bidirectional")) {
        enum mo_status st = mo_broadcast_numpy(n, &x, &ts, &o, err);
        if (st != MO_OK)
            return st;
        return mo_out_like_in0(n, &o);
    }
    if (!explicit_mode) {
        if (x.rank > cnt)
            return mo_shape_error(n, err, "data rank %d is larger than the target rank %d", x.rank, cnt);
        for (int d = 0; d < x.rank; d++) {
            int64_t xd = x.dims[d], td = t[d + cnt - x.rank];
            if (xd >= 0 && xd != 1 && xd != td) {
                char sx[128], st2[128];
                return mo_shape_error(n, err, "data [%s] cannot be broadcast to [%s]",
                                      mo_shape_str(&x, sx, sizeof sx), mo_shape_str(&ts, st2, sizeof st2));
            }
        }
        return mo_out_like_in0(n, &ts);
    }
    int64_t map[MO_MAX_RANK];
    int nm = mo_const_ints(n, 2, map, MO_MAX_RANK);
    if (nm < 0)
        return mo_out_like_in0(n, &ts);
    if (nm != x.rank)
        return mo_shape_error(n, err, "axes_mapping has %d values for data of rank %d", nm, x.rank);
    for (int i = 0; i < nm; i++) {
        if (map[i] < 0 || map[i] >= cnt || (i > 0 && map[i] <= map[i - 1]))
            return mo_shape_error(n, err, "axes_mapping must increase within 0..%d", cnt - 1);
        if (x.dims[i] >= 0 && x.dims[i] != 1 && x.dims[i] != t[map[i]])
            return mo_shape_error(n, err, "data dim %d (%lld) does not fit target dim %lld (%lld)", i,
                                  (long long)x.dims[i], (long long)map[i], (long long)t[map[i]]);
    }
    return mo_out_like_in0(n, &ts);
}

static enum mo_status eval_broadcast(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    size_t esz = mo_elem_size(x->et);
    if (!esz)
        return MO_ERR_UNSUPPORTED;
    bool explicit_mode = !strcmp(mo_attr_str(n, "mode"), "explicit");
    int64_t map[MO_MAX_RANK];
    if (explicit_mode && mo_const_ints(n, 2, map, MO_MAX_RANK) != x->shape.rank)
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    const struct mo_shape *os = &r->shape, *xs = &x->shape;
    int64_t idx[MO_MAX_RANK] = {0}, total = mo_shape_numel(os);
    for (int64_t i = 0; i < total; i++) {
        int64_t si = 0;
        if (explicit_mode)
            for (int d = 0; d < xs->rank; d++)
                si = si * xs->dims[d] + (xs->dims[d] == 1 ? 0 : idx[map[d]]);
        else
            si = mo_bcast_index(xs, os, idx);
        mo_copy_elem(r, i, x, si, esz);
        mo_idx_next(idx, os);
    }
    out[0] = r;
    return MO_OK;
}

static const struct mo_attr_spec broadcast_attrs[] = {{"mode", MO_ATTR_STRING, "numpy"}};
static const struct mo_op_def op_broadcast = {
    "Broadcast", "opset3", 2, 3, 1, broadcast_attrs, 1, infer_broadcast, eval_broadcast};

/* --- DepthToSpace / SpaceToDepth (opset1): [N, C, D1..Dk] with block b:
 * depth-to-space gives [N, C / b^k, D1*b..Dk*b], space-to-depth the reverse. */
static enum mo_status infer_depth_space(struct mo_node *n, bool to_space, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    const char *mode = mo_attr_str(n, "mode");
    if (strcmp(mode, "blocks_first") && strcmp(mode, "depth_first"))
        return mo_shape_error(n, err, "mode must be blocks_first or depth_first, got '%s'", mode);
    int64_t b = mo_attr_int(n, "block_size");
    if (b <= 0)
        return mo_shape_error(n, err, "block_size must be positive, got %lld", (long long)b);
    if (x.rank < 0)
        return mo_out_like_in0(n, &x);
    if (x.rank < 3)
        return mo_shape_error(n, err, "data must have rank 3 or more, got %d", x.rank);
    int64_t bk = 1;
    for (int d = 2; d < x.rank; d++)
        bk *= b;
    struct mo_shape o = x;
    if (to_space) {
        if (x.dims[1] >= 0 && x.dims[1] % bk)
            return mo_shape_error(n, err, "%lld channels are not divisible by block_size^%d = %lld",
                                  (long long)x.dims[1], x.rank - 2, (long long)bk);
        o.dims[1] = x.dims[1] < 0 ? MO_DYN : x.dims[1] / bk;
        for (int d = 2; d < x.rank; d++)
            o.dims[d] = mo_dim_mul(x.dims[d], b);
    } else {
        o.dims[1] = mo_dim_mul(x.dims[1], bk);
        for (int d = 2; d < x.rank; d++) {
            if (x.dims[d] >= 0 && x.dims[d] % b)
                return mo_shape_error(n, err, "spatial dim %d (%lld) is not divisible by block_size %lld",
                                      d, (long long)x.dims[d], (long long)b);
            o.dims[d] = x.dims[d] < 0 ? MO_DYN : x.dims[d] / b;
        }
    }
    return mo_out_like_in0(n, &o);
}

static enum mo_status infer_depth_to_space(struct mo_node *n, struct mo_error *err)
{
    return infer_depth_space(n, true, err);
}

static enum mo_status infer_space_to_depth(struct mo_node *n, struct mo_error *err)
{
    return infer_depth_space(n, false, err);
}

static const struct mo_attr_spec depth_space_attrs[] = {
    {"block_size", MO_ATTR_INT, "1"},
    {"mode", MO_ATTR_STRING, NULL},
};
static const struct mo_op_def op_depth_to_space = {
    "DepthToSpace", "opset1", 1, 1, 1, depth_space_attrs, 2, infer_depth_to_space, NULL};
static const struct mo_op_def op_space_to_depth = {
    "SpaceToDepth", "opset1", 1, 1, 1, depth_space_attrs, 2, infer_space_to_depth, NULL};

/* --- ShuffleChannels (opset1): same shape; dim `axis` must split into groups. */
static enum mo_status infer_shuffle_channels(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    int64_t axis = mo_attr_int(n, "axis"), group = mo_attr_int(n, "group");
    if (group <= 0)
        return mo_shape_error(n, err, "group must be positive, got %lld", (long long)group);
    if (x.rank < 0)
        return mo_out_like_in0(n, &x);
    if (x.rank == 0)
        return mo_shape_error(n, err, "data must not be a scalar");
    int a = mo_axis_norm(axis, x.rank);
    if (a < 0)
        return mo_shape_error(n, err, "axis %lld is out of range for rank %d", (long long)axis, x.rank);
    if (x.dims[a] >= 0 && x.dims[a] % group)
        return mo_shape_error(n, err, "dim %d (%lld) is not divisible by group %lld", a,
                              (long long)x.dims[a], (long long)group);
    return mo_out_like_in0(n, &x);
}

static const struct mo_attr_spec shuffle_attrs[] = {
    {"axis", MO_ATTR_INT, "1"},
    {"group", MO_ATTR_INT, "1"},
};
static const struct mo_op_def op_shuffle_channels = {
    "ShuffleChannels", "opset1", 1, 1, 1, shuffle_attrs, 2, infer_shuffle_channels, NULL};

/* --- SpaceToBatch / BatchToSpace (opset2): block_shape, pads (crops)
 * begin and end, one value per dim of data, block_shape[0] = 1.
 * SpaceToBatch pads dim d by begin+end and divides it by block[d]; the
 * batch grows by the product of the blocks.  BatchToSpace is the inverse:
 * dim d multiplied by block[d] then cropped.  Without constant blocks the
 * dims are unknown (the rank stays). */
static enum mo_status infer_space_batch(struct mo_node *n, bool to_batch, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    if (x.rank < 0)
        return mo_out_like_in0(n, &x);
    if (x.rank < 2)
        return mo_shape_error(n, err, "data must have rank 2 or more, got %d", x.rank);
    for (unsigned i = 1; i < 4; i++) {
        struct mo_shape p = mo_in_shape(n, i);
        if (p.rank >= 0 && (p.rank != 1 || (p.dims[0] >= 0 && p.dims[0] != x.rank)))
            return mo_shape_error(n, err, "input %u must be 1-D with %d values (one per dim of data)", i,
                                  x.rank);
    }
    int64_t blk[MO_MAX_RANK], pb[MO_MAX_RANK], pe[MO_MAX_RANK];
    bool kb = mo_const_ints(n, 1, blk, MO_MAX_RANK) == x.rank;
    bool kp = mo_const_ints(n, 2, pb, MO_MAX_RANK) == x.rank && mo_const_ints(n, 3, pe, MO_MAX_RANK) == x.rank;
    struct mo_shape o = {.rank = x.rank};
    for (int d = 0; d < x.rank; d++)
        o.dims[d] = MO_DYN;
    if (!kb)
        return mo_out_like_in0(n, &o);
    if (blk[0] != 1)
        return mo_shape_error(n, err, "block_shape[0] must be 1, got %lld", (long long)blk[0]);
    int64_t prod = 1;
    for (int d = 0; d < x.rank; d++) {
        if (blk[d] <= 0)
            return mo_shape_error(n, err, "block_shape[%d] must be positive, got %lld", d, (long long)blk[d]);
        if (kp && (pb[d] < 0 || pe[d] < 0))
            return mo_shape_error(n, err, "%s of dim %d must not be negative", to_batch ? "pads" : "crops", d);
        prod *= blk[d];
    }
    if (to_batch) {
        o.dims[0] = mo_dim_mul(x.dims[0], prod);
        for (int d = 1; d < x.rank && kp; d++) {
            int64_t p = x.dims[d] < 0 ? MO_DYN : x.dims[d] + pb[d] + pe[d];
            if (p >= 0 && p % blk[d])
                return mo_shape_error(n, err, "dim %d padded to %lld is not divisible by block %lld", d,
                                      (long long)p, (long long)blk[d]);
            o.dims[d] = p < 0 ? MO_DYN : p / blk[d];
        }
    } else {
        if (x.dims[0] >= 0 && x.dims[0] % prod)
            return mo_shape_error(n, err, "batch %lld is not divisible by the blocks' product %lld",
                                  (long long)x.dims[0], (long long)prod);
        o.dims[0] = x.dims[0] < 0 ? MO_DYN : x.dims[0] / prod;
        for (int d = 1; d < x.rank && kp; d++) {
            int64_t p = x.dims[d] < 0 ? MO_DYN : x.dims[d] * blk[d] - pb[d] - pe[d];
            if (x.dims[d] >= 0 && p < 0)
                return mo_shape_error(n, err, "crops of dim %d exceed its size %lld", d,
                                      (long long)(x.dims[d] * blk[d]));
            o.dims[d] = p;
        }
    }
    return mo_out_like_in0(n, &o);
}

static enum mo_status infer_space_to_batch(struct mo_node *n, struct mo_error *err)
{
    return infer_space_batch(n, true, err);
}

static enum mo_status infer_batch_to_space(struct mo_node *n, struct mo_error *err)
{
    return infer_space_batch(n, false, err);
}

static const struct mo_op_def op_space_to_batch = {
    "SpaceToBatch", "opset2", 4, 4, 1, NULL, 0, infer_space_to_batch, NULL};
static const struct mo_op_def op_batch_to_space = {
    "BatchToSpace", "opset2", 4, 4, 1, NULL, 0, infer_batch_to_space, NULL};

MO_OP_FAMILY(mo_ops_shape, &op_reshape, &op_concat, &op_transpose, &op_squeeze, &op_unsqueeze,
             &op_split, &op_variadic_split, &op_tile, &op_broadcast, &op_depth_to_space,
             &op_space_to_depth, &op_shuffle_channels, &op_space_to_batch, &op_batch_to_space);
