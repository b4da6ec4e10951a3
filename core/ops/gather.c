/* gather.c - indexing ops: Gather, GatherND, GatherElements, StridedSlice,
 * Slice, the Scatter updates and OneHot. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

static struct mo_shape dyn_of_rank(int rank)
{
    struct mo_shape s = {.rank = rank};
    for (int i = 0; i < rank && i < MO_MAX_RANK; i++)
        s.dims[i] = MO_DYN;
    return s;
}

/* --- Gather (opset8): out = data[:axis] + indices[batch_dims:] + data[axis+1:];
 * negative indices count from the end, out-of-range ones give zeros. */
struct gather_geom {
    int axis, batch;
};

static enum mo_status gather_geom(struct mo_node *n, const struct mo_shape *x,
                                  const struct mo_shape *ind, int64_t axis_v,
                                  struct gather_geom *g, struct mo_error *err)
{
    int64_t b = mo_attr_int(n, "batch_dims");
    int a = mo_axis_norm(axis_v, x->rank);
    if (a < 0)
        return mo_shape_error(n, err, "axis %lld is out of range for rank %d", (long long)axis_v, x->rank);
    if (b < 0)
        b += ind->rank;
    if (b < 0 || b > ind->rank)
        return mo_shape_error(n, err, "batch_dims %lld is out of range for indices of rank %d",
                              (long long)mo_attr_int(n, "batch_dims"), ind->rank);
    if (b > a)
        return mo_shape_error(n, err, "batch_dims %lld must not exceed axis %d", (long long)b, a);
    for (int d = 0; d < b; d++)
        if (mo_dim_merge(x->dims[d], ind->dims[d]) == -2)
            return mo_shape_error(n, err, "batch dim %d differs: data %lld, indices %lld", d,
                                  (long long)x->dims[d], (long long)ind->dims[d]);
    g->axis = a;
    g->batch = (int)b;
    return MO_OK;
}

static enum mo_status infer_gather(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), ind = mo_in_shape(n, 1);
    enum mo_etype et = mo_in_et(n, 0);
    int64_t axis;
    if (x.rank < 0 || ind.rank < 0)
        return mo_out_unknown(n, 0, et);
    if (x.rank == 0)
        return mo_shape_error(n, err, "data must not be a scalar");
    int64_t b = mo_attr_int(n, "batch_dims");
    if (b < 0)
        b += ind.rank;
    int r = x.rank + ind.rank - 1 - (int)b;
    if (r > MO_MAX_RANK)
        return mo_shape_error(n, err, "output rank %d exceeds %d", r, MO_MAX_RANK);
    if (!mo_const_scalar(n, 2, &axis)) {
        struct mo_shape o = dyn_of_rank(r);
        return mo_set_out(n, 0, et, &o);
    }
    struct gather_geom g;
    enum mo_status st = gather_geom(n, &x, &ind, axis, &g, err);
    if (st != MO_OK)
        return st;
    struct mo_shape o = {.rank = 0};
    for (int d = 0; d < g.axis; d++)
        o.dims[o.rank++] = d < g.batch ? mo_dim_merge(x.dims[d], ind.dims[d]) : x.dims[d];
    for (int d = g.batch; d < ind.rank; d++)
        o.dims[o.rank++] = ind.dims[d];
    for (int d = g.axis + 1; d < x.rank; d++)
        o.dims[o.rank++] = x.dims[d];
    return mo_set_out(n, 0, et, &o);
}

static enum mo_status eval_gather(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0), *ind = mo_node_const_input(n, 1);
    size_t esz = mo_elem_size(x->et);
    int64_t axis;
    struct gather_geom g;
    if (!esz || !mo_const_scalar(n, 2, &axis) ||
        gather_geom(n, &x->shape, &ind->shape, axis, &g, NULL) != MO_OK)
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    const struct mo_shape *os = &r->shape, *xs = &x->shape, *is = &ind->shape;
    int ir = is->rank, nind = ir - g.batch;
    int64_t xst[MO_MAX_RANK], ist[MO_MAX_RANK], idx[MO_MAX_RANK] = {0};
    mo_shape_strides(xs, xst);
    mo_shape_strides(is, ist);
    int64_t total = mo_shape_numel(os), dim = xs->dims[g.axis];
    for (int64_t i = 0; i < total; i++) {
        int64_t ii = 0, si = 0;
        for (int d = 0; d < g.batch; d++)
            ii += idx[d] * ist[d];
        for (int d = 0; d < nind; d++)
            ii += idx[g.axis + d] * ist[g.batch + d];
        int64_t k = mo_tensor_get_i64(ind, ii);
        if (k < 0)
            k += dim;
        if (k >= 0 && k < dim) {
            for (int d = 0; d < g.axis; d++)
                si += idx[d] * xst[d];
            si += k * xst[g.axis];
            for (int d = g.axis + 1; d < xs->rank; d++)
                si += idx[d - 1 + nind] * xst[d];
            mo_copy_elem(r, i, x, si, esz);
        }
        mo_idx_next(idx, os);
    }
    out[0] = r;
    return MO_OK;
}

static const struct mo_attr_spec gather_attrs[] = {{"batch_dims", MO_ATTR_INT, "0"}};
static const struct mo_op_def op_gather = {
    "Gather", "opset8", 3, 3, 1, gather_attrs, 1, infer_gather, eval_gather};

/* --- GatherND (opset8): out = indices[:b] + indices[b:-1] + data[b + indices[-1]:]. */
static enum mo_status infer_gather_nd(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), ind = mo_in_shape(n, 1);
    enum mo_etype et = mo_in_et(n, 0);
    if (x.rank < 0 || ind.rank < 0)
        return mo_out_unknown(n, 0, et);
    int64_t b = mo_attr_int(n, "batch_dims");
    if (x.rank < 1 || ind.rank < 1)
        return mo_shape_error(n, err, "data and indices must have rank 1 or more");
    if (b < 0 || b >= x.rank || b >= ind.rank)
        return mo_shape_error(n, err, "batch_dims %lld must be below both ranks (%d, %d)",
                              (long long)b, x.rank, ind.rank);
    int64_t last = ind.dims[ind.rank - 1];
    if (last < 0)
        return mo_out_unknown(n, 0, et);
    if (last > x.rank - b)
        return mo_shape_error(n, err, "indices tuples have %lld values, data has only %lld dims after "
                              "the batch dims", (long long)last, (long long)(x.rank - b));
    struct mo_shape o = {.rank = 0};
    for (int d = 0; d < b; d++) {
        int64_t m = mo_dim_merge(ind.dims[d], x.dims[d]);
        if (m == -2 && ind.dims[d] != 1 && x.dims[d] != 1)
            return mo_shape_error(n, err, "batch dim %d differs: data %lld, indices %lld", d,
                                  (long long)x.dims[d], (long long)ind.dims[d]);
        o.dims[o.rank++] = m == -2 ? (ind.dims[d] == 1 ? x.dims[d] : ind.dims[d]) : m;
    }
    for (int d = (int)b; d < ind.rank - 1; d++)
        o.dims[o.rank++] = ind.dims[d];
    for (int d = (int)(b + last); d < x.rank; d++) {
        if (o.rank >= MO_MAX_RANK)
            return mo_shape_error(n, err, "output rank exceeds %d", MO_MAX_RANK);
        o.dims[o.rank++] = x.dims[d];
    }
    return mo_set_out(n, 0, et, &o);
}

static const struct mo_op_def op_gather_nd = {
    "GatherND", "opset8", 2, 2, 1, gather_attrs, 1, infer_gather_nd, NULL};

/* --- StridedSlice (opset1) and Slice (opset8) share a plan: for every
 * input dim where it starts, its step, and which output dim walks it
 * (-1 when a shrink keeps one element). */
struct slice_plan {
    int in_rank;
    int64_t start[MO_MAX_RANK], step[MO_MAX_RANK];
    int out_dim[MO_MAX_RANK];
    struct mo_shape out;
};

/* Elements of dim taken by a python-style slice; begin/end already
 * adjusted for negatives and clamped. */
static int64_t slice_len(int64_t b, int64_t e, int64_t s)
{
    if (s > 0)
        return e > b ? (e - b + s - 1) / s : 0;
    return b > e ? (b - e + (-s) - 1) / (-s) : 0;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static bool mask_bit(const int64_t *m, int cnt, int i)
{
    return i < cnt && m[i] != 0;
}

/* vals false: begin/end/stride are not constants, only the ranks are known
 * (m is their length). */
static enum mo_status strided_slice_plan(struct mo_node *n, const struct mo_shape *x, bool vals,
                                         const int64_t *bg, const int64_t *en, const int64_t *sd,
                                         int m, struct slice_plan *p, struct mo_error *err)
{
    int64_t bm[64], em[64], nm[64], sm[64], elm[64];
    int cb = mo_attr_ints(n, "begin_mask", bm, 64), ce = mo_attr_ints(n, "end_mask", em, 64);
    int cn = mo_attr_ints(n, "new_axis_mask", nm, 64), cs = mo_attr_ints(n, "shrink_axis_mask", sm, 64);
    int cl = mo_attr_ints(n, "ellipsis_mask", elm, 64);
    int ell = -1, n_new = 0;
    for (int i = 0; i < m; i++) {
        if (mask_bit(elm, cl, i)) {
            if (ell >= 0)
                return mo_shape_error(n, err, "ellipsis_mask has more than one bit set");
            ell = i;
        } else if (mask_bit(nm, cn, i)) {
            n_new++;
        }
    }
    int used = m - n_new - (ell >= 0 ? 1 : 0);
    if (used > x->rank)
        return mo_shape_error(n, err, "%d slicing steps for data of rank %d", used, x->rank);
    p->in_rank = x->rank;
    p->out.rank = 0;
    int j = 0;
    for (int i = 0; i < m; i++) {
        if (i == ell) {
            for (int k = 0; k < x->rank - used; k++, j++) {
                p->start[j] = 0;
                p->step[j] = 1;
                p->out_dim[j] = p->out.rank;
                p->out.dims[p->out.rank++] = x->dims[j];
            }
            continue;
        }
        if (p->out.rank >= MO_MAX_RANK)
            return mo_shape_error(n, err, "output rank exceeds %d", MO_MAX_RANK);
        if (mask_bit(nm, cn, i)) {
            p->out.dims[p->out.rank++] = 1;
            continue;
        }
        int64_t dim = x->dims[j];
        bool known = vals && dim >= 0;
        if (mask_bit(sm, cs, i)) {
            int64_t b = mask_bit(bm, cb, i) ? 0 : (vals ? bg[i] : 0);
            if (known) {
                if (b < 0)
                    b += dim;
                if (b < 0 || b >= dim)
                    return mo_shape_error(n, err, "shrink index %lld is out of range for dim %d (%lld)",
                                          (long long)(vals ? bg[i] : 0), j, (long long)dim);
            }
            p->start[j] = b;
            p->step[j] = 1;
            p->out_dim[j++] = -1;
            continue;
        }
        int64_t s = vals ? sd[i] : 1;
        if (s == 0)
            return mo_shape_error(n, err, "stride %d is zero", i);
        int64_t len = MO_DYN, b = 0;
        if (known) {
            int64_t e;
            b = vals ? bg[i] : 0;
            e = vals ? en[i] : 0;
            if (s > 0) {
                b = mask_bit(bm, cb, i) ? 0 : clamp64(b < 0 ? b + dim : b, 0, dim);
                e = mask_bit(em, ce, i) ? dim : clamp64(e < 0 ? e + dim : e, 0, dim);
            } else {
                b = mask_bit(bm, cb, i) ? dim - 1 : clamp64(b < 0 ? b + dim : b, 0, dim - 1);
                /* end -1 means "before the first element" here, so that
                 * data[::-1] takes every element */
                e = mask_bit(em, ce, i) ? -1 : clamp64(e < 0 ? e + dim : e, -1, dim);
            }
            len = slice_len(b, e, s);
        }
        p->start[j] = b;
        p->step[j] = s;
        p->out_dim[j++] = p->out.rank;
        p->out.dims[p->out.rank++] = len;
    }
    for (; j < x->rank; j++) {
        if (p->out.rank >= MO_MAX_RANK)
            return mo_shape_error(n, err, "output rank exceeds %d", MO_MAX_RANK);
        p->start[j] = 0;
        p->step[j] = 1;
        p->out_dim[j] = p->out.rank;
        p->out.dims[p->out.rank++] = x->dims[j];
    }
    return MO_OK;
}

/* Read begin/end/stride; *m their length, *vals whether they are constants. */
static enum mo_status strided_slice_inputs(struct mo_node *n, int64_t *bg, int64_t *en, int64_t *sd,
                                           int *m, bool *vals, struct mo_error *err)
{
    int cb = mo_const_ints(n, 1, bg, 64), ce = mo_const_ints(n, 2, en, 64), cs = -2;
    if (n->n_inputs > 3)
        cs = mo_const_ints(n, 3, sd, 64);
    *vals = cb >= 0 && ce >= 0 && cs != -1;
    if (*vals) {
        if (cb != ce || (cs >= 0 && cs != cb))
            return mo_shape_error(n, err, "begin, end and stride have different lengths (%d, %d, %d)",
                                  cb, ce, cs);
        if (cb > 64)
            return mo_shape_error(n, err, "%d slicing steps are more than mo supports (64)", cb);
        if (cs < 0)
            for (int i = 0; i < cb; i++)
                sd[i] = 1;
        *m = cb;
        return MO_OK;
    }
    struct mo_shape bs = mo_in_shape(n, 1);
    *m = bs.rank == 1 && bs.dims[0] >= 0 && bs.dims[0] <= 64 ? (int)bs.dims[0] : -1;
    return MO_OK;
}

static enum mo_status infer_strided_slice(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    int64_t bg[64], en[64], sd[64];
    int m;
    bool vals;
    enum mo_status st = strided_slice_inputs(n, bg, en, sd, &m, &vals, err);
    if (st != MO_OK)
        return st;
    if (x.rank < 0 || m < 0)
        return mo_out_unknown(n, 0, mo_in_et(n, 0));
    struct slice_plan p;
    if ((st = strided_slice_plan(n, &x, vals, bg, en, sd, m, &p, err)) != MO_OK)
        return st;
    return mo_out_like_in0(n, &p.out);
}

static enum mo_status eval_slice_plan(struct mo_node *n, const struct slice_plan *p,
                                      struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    size_t esz = mo_elem_size(x->et);
    if (!esz || !mo_shape_equal(&p->out, &n->outputs[0].shape))
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    int64_t xst[MO_MAX_RANK], idx[MO_MAX_RANK] = {0}, total = mo_shape_numel(&r->shape);
    mo_shape_strides(&x->shape, xst);
    for (int64_t i = 0; i < total; i++) {
        int64_t si = 0;
        for (int d = 0; d < p->in_rank; d++) {
            int64_t k = p->out_dim[d] >= 0 ? idx[p->out_dim[d]] : 0;
            si += (p->start[d] + k * p->step[d]) * xst[d];
        }
        mo_copy_elem(r, i, x, si, esz);
        mo_idx_next(idx, &r->shape);
    }
    out[0] = r;
    return MO_OK;
}

static enum mo_status eval_strided_slice(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    int64_t bg[64], en[64], sd[64];
    int m;
    bool vals;
    struct slice_plan p;
    if (strided_slice_inputs(n, bg, en, sd, &m, &vals, NULL) != MO_OK || !vals ||
        strided_slice_plan(n, &x->shape, true, bg, en, sd, m, &p, NULL) != MO_OK)
        return MO_ERR_UNSUPPORTED;
    return eval_slice_plan(n, &p, out, err);
}

static const struct mo_attr_spec strided_slice_attrs[] = {
    {"begin_mask", MO_ATTR_INTS, NULL},
    {"end_mask", MO_ATTR_INTS, NULL},
    {"new_axis_mask", MO_ATTR_INTS, ""},
    {"shrink_axis_mask", MO_ATTR_INTS, ""},
    {"ellipsis_mask", MO_ATTR_INTS, ""},
};
static const struct mo_op_def op_strided_slice = {
    "StridedSlice", "opset1", 3, 4, 1, strided_slice_attrs, MO_COUNT_OF(strided_slice_attrs),
    infer_strided_slice, eval_strided_slice};

/* Slice (opset8): start/stop/step per listed axis (default 0..n-1), numpy
 * rules: negatives count from the end, out-of-range values clamp. */
static enum mo_status slice_plan(struct mo_node *n, const struct mo_shape *x, struct slice_plan *p,
                                 struct mo_error *err)
{
    int64_t b[MO_MAX_RANK], e[MO_MAX_RANK], s[MO_MAX_RANK], ax[MO_MAX_RANK];
    int cb = mo_const_ints(n, 1, b, MO_MAX_RANK), ce = mo_const_ints(n, 2, e, MO_MAX_RANK);
    int cs = mo_const_ints(n, 3, s, MO_MAX_RANK);
    int ca = n->n_inputs > 4 ? mo_const_ints(n, 4, ax, MO_MAX_RANK) : -2;
    p->in_rank = x->rank;
    p->out = *x;
    for (int d = 0; d < x->rank; d++) {
        p->start[d] = 0;
        p->step[d] = 1;
        p->out_dim[d] = d;
    }
    if (cb < 0 || ce < 0 || cs < 0 || ca == -1) {
        /* values unknown: dims the listed axes touch become dynamic */
        if (ca >= 0 && mo_norm_axes(n, ax, ca, x->rank, false, err) == MO_OK) {
            for (int i = 0; i < ca; i++)
                p->out.dims[ax[i]] = MO_DYN;
        } else {
            if (ca >= 0)
                return err ? err->code : MO_ERR_SHAPE;
            for (int d = 0; d < x->rank; d++)
                p->out.dims[d] = MO_DYN;
        }
        return MO_ERR_UNSUPPORTED; /* not an error: the plan is incomplete */
    }
    if (cb != ce || cb != cs || (ca >= 0 && ca != cb))
        return mo_shape_error(n, err, "start, stop, step and axes have different lengths");
    if (cb > x->rank)
        return mo_shape_error(n, err, "%d slices for data of rank %d", cb, x->rank);
    if (ca < 0)
        for (int i = 0; i < cb; i++)
            ax[i] = i;
    enum mo_status st = mo_norm_axes(n, ax, cb, x->rank, false, err);
    if (st != MO_OK)
        return st;
    for (int i = 0; i < cb; i++) {
        int a = (int)ax[i];
        int64_t dim = x->dims[a];
        if (s[i] == 0)
            return mo_shape_error(n, err, "step %d is zero", i);
        p->step[a] = s[i];
        if (dim < 0) {
            p->out.dims[a] = MO_DYN;
            continue;
        }
        int64_t lo = s[i] > 0 ? 0 : -1, hi = s[i] > 0 ? dim : dim - 1;
        int64_t bb = clamp64(b[i] < 0 ? b[i] + dim : b[i], lo, hi);
        int64_t ee = clamp64(e[i] < 0 ? e[i] + dim : e[i], lo, hi);
        p->start[a] = bb;
        p->out.dims[a] = slice_len(bb, ee, s[i]);
    }
    return MO_OK;
}

static enum mo_status infer_slice(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    if (x.rank < 0)
        return mo_out_like_in0(n, &x);
    struct slice_plan p;
    enum mo_status st = slice_plan(n, &x, &p, err);
    if (st != MO_OK && st != MO_ERR_UNSUPPORTED)
        return st;
    return mo_out_like_in0(n, &p.out);
}

static enum mo_status eval_slice(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    struct slice_plan p;
    if (slice_plan(n, &x->shape, &p, NULL) != MO_OK)
        return MO_ERR_UNSUPPORTED;
    return eval_slice_plan(n, &p, out, err);
}

static const struct mo_op_def op_slice = {"Slice", "opset8", 4, 5, 1, NULL, 0, infer_slice, eval_slice};

/* --- ScatterUpdate (opset3), ScatterNDUpdate (opset4; its spec is named
 * ScatterNDUpdate-3, but the runtime reads it from opset4 only): output =
 * data. */
static enum mo_status infer_scatter_update(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    int64_t axis;
    if (x.rank >= 0 && mo_const_scalar(n, 3, &axis) && mo_axis_norm(axis, x.rank) < 0)
        return mo_shape_error(n, err, "axis %lld is out of range for rank %d", (long long)axis, x.rank);
    return mo_out_like_in0(n, &x);
}

static enum mo_status infer_scatter_nd_update(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), ind = mo_in_shape(n, 1);
    if (x.rank >= 0 && ind.rank >= 1 && ind.dims[ind.rank - 1] > x.rank)
        return mo_shape_error(n, err, "index tuples have %lld values, data has rank %d",
                              (long long)ind.dims[ind.rank - 1], x.rank);
    return mo_out_like_in0(n, &x);
}

/* ScatterNDUpdate-15 adds `reduction`; a version of its own so that the
 * opset3 IR the existing translators write keeps no such attribute. */
static enum mo_status infer_scatter_nd_update15(struct mo_node *n, struct mo_error *err)
{
    static const char *const kinds[] = {"none", "sum", "sub", "prod", "min", "max"};
    const char *r = mo_attr_str(n, "reduction");
    bool known = false;
    for (unsigned i = 0; i < MO_COUNT_OF(kinds); i++)
        known |= !strcmp(r, kinds[i]);
    if (!known)
        return mo_shape_error(n, err, "reduction '%s' is not one of none, sum, sub, prod, min, max", r);
    return infer_scatter_nd_update(n, err);
}

static const struct mo_attr_spec scatter_nd15_attrs[] = {{"reduction", MO_ATTR_STRING, "none"}};
static const struct mo_op_def op_scatter_nd_update15 = {
    "ScatterNDUpdate", "opset15", 3, 3, 1, scatter_nd15_attrs, 1, infer_scatter_nd_update15, NULL};

/* --- GatherElements (opset6): out[i...] = data[i... with indices[i...] at
 * axis]; out has the indices' shape, data and indices agree off the axis. */
static enum mo_status elements_geom(struct mo_node *n, const struct mo_shape *x,
                                    const struct mo_shape *ind, int64_t axis_v, int *axis,
                                    const char *what, struct mo_error *err)
{
    if (x->rank >= 0 && ind->rank >= 0 && x->rank != ind->rank)
        return mo_shape_error(n, err, "data (rank %d) and %s (rank %d) must have the same rank",
                              x->rank, what, ind->rank);
    int rank = x->rank >= 0 ? x->rank : ind->rank;
    if (rank == 0)
        return mo_shape_error(n, err, "data must not be a scalar");
    *axis = -1;
    if (rank < 0)
        return MO_OK;
    *axis = mo_axis_norm(axis_v, rank);
    if (*axis < 0)
        return mo_shape_error(n, err, "axis %lld is out of range for rank %d", (long long)axis_v, rank);
    return MO_OK;
}

static enum mo_status infer_gather_elements(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), ind = mo_in_shape(n, 1);
    int axis;
    enum mo_status st = elements_geom(n, &x, &ind, mo_attr_int(n, "axis"), &axis, "indices", err);
    if (st != MO_OK)
        return st;
    if (x.rank < 0 || ind.rank < 0) {
        /* rank -1 when both are unknown */
        struct mo_shape o = ind.rank >= 0 ? ind : dyn_of_rank(x.rank);
        return mo_out_like_in0(n, &o);
    }
    struct mo_shape o = ind;
    for (int d = 0; d < x.rank; d++) {
        if (d == axis)
            continue;
        int64_t m = mo_dim_merge(x.dims[d], ind.dims[d]);
        if (m == -2)
            return mo_shape_error(n, err, "dim %d differs: data %lld, indices %lld", d,
                                  (long long)x.dims[d], (long long)ind.dims[d]);
        o.dims[d] = m;
    }
    return mo_out_like_in0(n, &o);
}

static enum mo_status eval_gather_elements(struct mo_node *n, struct mo_tensor **out,
                                           struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0), *ind = mo_node_const_input(n, 1);
    size_t esz = mo_elem_size(x->et);
    int axis;
    if (!esz || elements_geom(n, &x->shape, &ind->shape, mo_attr_int(n, "axis"), &axis,
                              "indices", NULL) != MO_OK)
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    int64_t xst[MO_MAX_RANK], idx[MO_MAX_RANK] = {0}, dim = x->shape.dims[axis];
    mo_shape_strides(&x->shape, xst);
    int64_t total = mo_shape_numel(&r->shape);
    for (int64_t i = 0; i < total; i++) {
        int64_t k = mo_tensor_get_i64(ind, i);
        if (k < 0)
            k += dim;
        if (k < 0 || k >= dim) {
            mo_tensor_unref(r);
            return mo_error_set(err, MO_ERR_SHAPE, 0, "GatherElements node '%s': index %lld is out "
                                "of range for a dim of %lld", n->name,
                                (long long)mo_tensor_get_i64(ind, i), (long long)dim);
        }
        int64_t si = 0;
        for (int d = 0; d < x->shape.rank; d++)
            si += (d == axis ? k : idx[d]) * xst[d];
        mo_copy_elem(r, i, x, si, esz);
        mo_idx_next(idx, &r->shape);
    }
    out[0] = r;
    return MO_OK;
}

static const struct mo_attr_spec gather_elements_attrs[] = {{"axis", MO_ATTR_INT, NULL}};
static const struct mo_op_def op_gather_elements = {
    "GatherElements", "opset6", 2, 2, 1, gather_elements_attrs, 1, infer_gather_elements,
    eval_gather_elements};

/* --- ScatterElementsUpdate (opset12): data with updates[i...] put at
 * indices[i...] along axis, combined there by `reduction`; use_init_val
 * false leaves the data's own value out of that combination. */
enum scatter_red { SR_NONE, SR_SUM, SR_PROD, SR_MIN, SR_MAX, SR_MEAN, SR_COUNT };

static enum scatter_red scatter_red_of(const char *r)
{
    static const char *const names[] = {"none", "sum", "prod", "min", "max", "mean"};
    for (unsigned i = 0; i < MO_COUNT_OF(names); i++)
        if (!strcmp(r, names[i]))
            return (enum scatter_red)i;
    return SR_COUNT;
}

static enum mo_status infer_scatter_elements(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), ind = mo_in_shape(n, 1), upd = mo_in_shape(n, 2);
    if (scatter_red_of(mo_attr_str(n, "reduction")) == SR_COUNT)
        return mo_shape_error(n, err, "reduction '%s' is not one of none, sum, prod, min, max, mean",
                              mo_attr_str(n, "reduction"));
    if (ind.rank >= 0 && upd.rank >= 0) {
        bool same = ind.rank == upd.rank;
        for (int d = 0; same && d < ind.rank; d++)
            same = mo_dim_merge(ind.dims[d], upd.dims[d]) != -2;
        if (!same) {
            char a[128], b[128];
            return mo_shape_error(n, err, "indices [%s] and updates [%s] must have one shape",
                                  mo_shape_str(&ind, a, sizeof a), mo_shape_str(&upd, b, sizeof b));
        }
    }
    int64_t axis_v = 0;
    bool has_axis = mo_const_scalar(n, 3, &axis_v);
    int axis;
    enum mo_status st = elements_geom(n, &x, &ind, has_axis ? axis_v : 0, &axis, "indices", err);
    if (st != MO_OK)
        return st;
    return mo_out_like_in0(n, &x);
}

static enum mo_status eval_scatter_elements(struct mo_node *n, struct mo_tensor **out,
                                            struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0), *ind = mo_node_const_input(n, 1);
    struct mo_tensor *upd = mo_node_const_input(n, 2);
    enum scatter_red red = scatter_red_of(mo_attr_str(n, "reduction"));
    bool init = mo_attr_bool(n, "use_init_val"), fl = mo_etype_is_float(x->et);
    int64_t axis_v;
    int axis;
    if (!mo_elem_size(x->et) || !mo_const_scalar(n, 3, &axis_v) || red == SR_COUNT ||
        (red == SR_MEAN && !fl) ||
        elements_geom(n, &x->shape, &ind->shape, axis_v, &axis, "indices", NULL) != MO_OK ||
        !mo_shape_equal(&ind->shape, &upd->shape))
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    int64_t total = mo_tensor_numel(x), cnt = mo_tensor_numel(ind);
    /* accumulated in doubles: folded tensors are small shape-like data */
    double *acc = r ? malloc((size_t)(total ? total : 1) * (sizeof(double) + sizeof(int64_t))) : NULL;
    if (!acc) {
        mo_tensor_unref(r);
        return MO_ERR_UNSUPPORTED;
    }
    int64_t *seen = (int64_t *)(acc + total);
    for (int64_t i = 0; i < total; i++) {
        acc[i] = fl ? mo_tensor_get_f64(x, i) : (double)mo_tensor_get_i64(x, i);
        seen[i] = 0;
    }
    int64_t xst[MO_MAX_RANK], idx[MO_MAX_RANK] = {0}, dim = x->shape.dims[axis];
    mo_shape_strides(&x->shape, xst);
    for (int64_t i = 0; i < cnt; i++) {
        int64_t k = mo_tensor_get_i64(ind, i);
        if (k < 0)
            k += dim;
        if (k < 0 || k >= dim) {
            free(acc);
            mo_tensor_unref(r);
            return MO_ERR_UNSUPPORTED;
        }
        int64_t di = 0;
        for (int d = 0; d < x->shape.rank; d++)
            di += (d == axis ? k : idx[d]) * xst[d];
        double u = fl ? mo_tensor_get_f64(upd, i) : (double)mo_tensor_get_i64(upd, i);
        bool first = !seen[di]++ && (!init || red == SR_NONE);
        switch (first ? SR_NONE : red) {
        case SR_NONE: acc[di] = u; break;
        case SR_SUM:
        case SR_MEAN: acc[di] += u; break;
        case SR_PROD: acc[di] *= u; break;
        case SR_MIN: acc[di] = fmin(acc[di], u); break;
        case SR_MAX: acc[di] = fmax(acc[di], u); break;
        case SR_COUNT: break;
        }
        mo_idx_next(idx, &ind->shape);
    }
    for (int64_t i = 0; i < total; i++) {
        double v = acc[i];
        if (red == SR_MEAN && seen[i])
            v /= (double)(seen[i] + (init ? 1 : 0));
        if (fl)
            mo_tensor_set_f64(r, i, v);
        else
            mo_tensor_set_i64(r, i, (int64_t)v);
    }
    free(acc);
    out[0] = r;
    return MO_OK;
}

static const struct mo_attr_spec scatter_elements_attrs[] = {
    {"reduction", MO_ATTR_STRING, "none"},
    {"use_init_val", MO_ATTR_BOOL, "true"},
};
static const struct mo_op_def op_scatter_elements = {
    "ScatterElementsUpdate", "opset12", 4, 4, 1, scatter_elements_attrs,
    MO_COUNT_OF(scatter_elements_attrs), infer_scatter_elements, eval_scatter_elements};

static const struct mo_op_def op_scatter_update = {
    "ScatterUpdate", "opset3", 4, 4, 1, NULL, 0, infer_scatter_update, NULL};
static const struct mo_op_def op_scatter_nd_update = {
    "ScatterNDUpdate", "opset4", 3, 3, 1, NULL, 0, infer_scatter_nd_update, NULL};

/* --- OneHot (opset1): depth is inserted at axis; the type is on_value's. */
static enum mo_status infer_one_hot(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape ind = mo_in_shape(n, 0);
    enum mo_etype et = mo_in_et(n, 2);
    if (mo_in_et(n, 3) != MO_ET_UNDEFINED && et != MO_ET_UNDEFINED && mo_in_et(n, 3) != et)
        return mo_shape_error(n, err, "on_value and off_value have different types");
    if (ind.rank < 0)
        return mo_out_unknown(n, 0, et);
    if (ind.rank + 1 > MO_MAX_RANK)
        return mo_shape_error(n, err, "output rank exceeds %d", MO_MAX_RANK);
    int64_t axis = mo_attr_int(n, "axis"), depth = MO_DYN;
    int a = mo_axis_norm(axis, ind.rank + 1);
    if (a < 0)
        return mo_shape_error(n, err, "axis %lld is out of range for output rank %d",
                              (long long)axis, ind.rank + 1);
    if (mo_const_scalar(n, 1, &depth) && depth < 0)
        return mo_shape_error(n, err, "depth %lld is negative", (long long)depth);
    struct mo_shape o = {.rank = ind.rank + 1};
    for (int d = 0, j = 0; d < o.rank; d++)
        o.dims[d] = d == a ? depth : ind.dims[j++];
    return mo_set_out(n, 0, et, &o);
}

static const struct mo_attr_spec one_hot_attrs[] = {{"axis", MO_ATTR_INT, NULL}};
static const struct mo_op_def op_one_hot = {"OneHot", "opset1", 4, 4, 1, one_hot_attrs, 1, infer_one_hot, NULL};

MO_OP_FAMILY(mo_ops_gather, &op_gather, &op_gather_nd, &op_strided_slice, &op_slice,
             &op_scatter_update, &op_scatter_nd_update, &op_one_hot, &op_scatter_nd_update15,
             &op_gather_elements, &op_scatter_elements);
