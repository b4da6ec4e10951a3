/* tr_shape.c - Caffe Concat, Slice, Split, Flatten, Reshape, Permute,
 * Crop, Tile, ArgMax, Interp and ShuffleChannel.
 *
 * Caffe nets have static shapes (their inputs declare them), so output
 * shapes are computed here with Caffe's own rules and given to Reshape as
 * constants. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "caffe.h"

/* axis, or the deprecated alias (slice_dim, concat_dim) when only that one
 * was moved off the shared default 1 */
static int64_t axis_or_alias(const struct mo_node *fw, const char *alias)
{
    int64_t a = mo_node_get_int(fw, "axis", 1, NULL), d = mo_node_get_int(fw, alias, 1, NULL);
    return a == 1 && d != 1 ? d : a;
}

static bool static_in(struct mo_build *b, struct mo_value x, struct mo_shape *xs)
{
    if (!mo_build_ok(b))
        return false;
    if (!mo_value_static(x, xs)) {
        mo_build_error(b, MO_ERR_SHAPE, 0, "needs a static input shape; give --input_shape");
        return false;
    }
    return true;
}

static enum mo_status tr_concat(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    unsigned n = mo_cf_n_bottoms(fw);
    struct mo_value in[256];
    if (n < 1 || n > 256)
        return mo_build_fail(b, "has %u bottoms", n);
    for (unsigned i = 0; i < n; i++)
        in[i] = mo_build_in(b, i, NULL);
    if (n == 1)
        return mo_build_done(b, in[0]);
    int axis = mo_cf_axis(b, axis_or_alias(fw, "concat_dim"), mo_value_shape(in[0]).rank);
    return mo_build_done(b, mo_build_concat(b, NULL, axis, n, in));
}

static enum mo_status tr_split(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    for (unsigned i = 0; i < fw->n_outputs; i++)
        mo_build_output(b, i, x);
    return mo_build_status(b);
}

static enum mo_status tr_slice(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_shape xs;
    if (!static_in(b, x, &xs))
        return mo_build_status(b);
    int axis = mo_cf_axis(b, axis_or_alias(fw, "slice_dim"), xs.rank);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    unsigned n = fw->n_outputs;
    int64_t pts[256], len[257], dim = xs.dims[axis];
    int np = mo_node_get_ints(fw, "slice_point", pts, 256);
    if (np > 0) {
        if ((unsigned)np + 1 != n)
            return mo_build_fail(b, "has %d slice points for %u tops (give one fewer than tops)", np, n);
        int64_t prev = 0;
        for (int i = 0; i <= np; i++) {
            int64_t p = i < np ? pts[i] : dim;
            if (p <= prev || p > dim)
                return mo_build_fail(b, "slice points must increase within the %lld of axis %d", (long long)dim, axis);
            len[i] = p - prev;
            prev = p;
        }
    } else {
        if (n == 0 || dim % n)
            return mo_build_fail(b, "axis %d (%lld) does not split evenly into %u tops", axis, (long long)dim, n);
        for (unsigned i = 0; i < n; i++)
            len[i] = dim / n;
    }
    struct mo_value ax = mo_build_i64_scalar(b, "axis", axis);
    struct mo_value ls = mo_build_i64(b, "lengths", len, n);
    struct mo_value y = mo_build_infer(b, mo_build_op(b, "VariadicSplit", NULL, 3, x, ax, ls));
    for (unsigned i = 0; i < n && mo_build_ok(b); i++)
        mo_build_output(b, i, mo_val(y.node, i));
    return mo_build_status(b);
}

static enum mo_status tr_flatten(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_shape xs;
    if (!static_in(b, x, &xs))
        return mo_build_status(b);
    int a = mo_cf_axis(b, mo_node_get_int(fw, "axis", 1, NULL), xs.rank);
    int e = mo_cf_axis(b, mo_node_get_int(fw, "end_axis", -1, NULL), xs.rank);
    if (mo_build_ok(b) && e < a)
        return mo_build_fail(b, "end_axis %d comes before axis %d", e, a);
    int64_t d[MO_MAX_RANK];
    int r = 0;
    for (int i = 0; i < a; i++)
        d[r++] = xs.dims[i];
    d[r++] = mo_cf_prod(b, &xs, a, e + 1);
    for (int i = e + 1; i < xs.rank; i++)
        d[r++] = xs.dims[i];
    return mo_build_done(b, mo_build_reshape(b, NULL, x, d, r, false));
}

/* Caffe's reshape: dims [axis, axis + num_axes) of the input replaced by
 * shape (0: copy the input dim there, -1: inferred). */
static enum mo_status tr_reshape(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_shape xs;
    if (!static_in(b, x, &xs))
        return mo_build_status(b);
    int64_t sh[MO_MAX_RANK];
    int ns = mo_node_get_ints(fw, "shape", sh, MO_MAX_RANK);
    if (ns < 0)
        return mo_build_fail(b, "has no reshape_param shape");
    int64_t axis = mo_node_get_int(fw, "axis", 0, NULL), num = mo_node_get_int(fw, "num_axes", -1, NULL);
    int64_t start = axis < 0 ? xs.rank + 1 + axis : axis;
    int64_t end = num == -1 ? xs.rank : start + num;
    if (start < 0 || start > xs.rank || num < -1 || end > xs.rank)
        return mo_build_fail(b, "axis %lld and num_axes %lld do not fit a rank-%d input", (long long)axis,
                             (long long)num, xs.rank);
    int r = (int)(start + ns + (xs.rank - end));
    if (r > MO_MAX_RANK)
        return mo_build_fail(b, "the output would have rank %d", r);
    int64_t d[MO_MAX_RANK];
    int k = 0;
    for (int64_t i = 0; i < start; i++)
        d[k++] = xs.dims[i];
    for (int i = 0; i < ns; i++) {
        if (sh[i] == 0 && start + i >= xs.rank)
            return mo_build_fail(b, "shape dim %d is 0 but the input has no dim %lld to copy", i, (long long)(start + i));
        d[k++] = sh[i] == 0 ? xs.dims[start + i] : sh[i];
    }
    for (int64_t i = end; i < xs.rank; i++)
        d[k++] = xs.dims[i];
    return mo_build_done(b, mo_build_reshape(b, NULL, x, d, r, false));
}

/* order lists the leading axes; the others follow in their order (SSD). */
static enum mo_status tr_permute(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int rank = mo_value_shape(x).rank;
    int64_t ord[MO_MAX_RANK], perm[MO_MAX_RANK];
    int n = mo_node_get_ints(fw, "order", ord, MO_MAX_RANK);
    if (rank < 0)
        return mo_build_error(b, MO_ERR_SHAPE, 0, "needs the input's rank; give --input_shape");
    if (n < 0)
        n = 0;
    bool seen[MO_MAX_RANK] = {false};
    if (n > rank)
        return mo_build_fail(b, "order has %d axes for a rank-%d input", n, rank);
    for (int i = 0; i < n; i++) {
        if (ord[i] < 0 || ord[i] >= rank || seen[ord[i]])
            return mo_build_fail(b, "order repeats or leaves the %d axes", rank);
        seen[ord[i]] = true;
        perm[i] = ord[i];
    }
    for (int i = 0, k = n; i < rank; i++)
        if (!seen[i])
            perm[k++] = i;
    return mo_build_done(b, mo_build_transpose(b, NULL, x, perm, rank));
}

/* x cropped to the dims of bottom 1 from axis on, each shifted by offset. */
static enum mo_status tr_crop(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value ref = mo_build_in(b, 1, "reference");
    struct mo_shape xs, rs;
    if (!static_in(b, x, &xs) || !static_in(b, ref, &rs))
        return mo_build_status(b);
    if (rs.rank != xs.rank)
        return mo_build_fail(b, "the two bottoms have ranks %d and %d", xs.rank, rs.rank);
    int axis = mo_cf_axis(b, mo_node_get_int(fw, "axis", 2, NULL), xs.rank);
    int64_t off[MO_MAX_RANK];
    int no = mo_node_get_ints(fw, "offset", off, MO_MAX_RANK);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int n = xs.rank - axis;
    if (no > 1 && no != n)
        return mo_build_fail(b, "has %d offsets for %d cropped axes", no, n);
    int64_t start[MO_MAX_RANK], stop[MO_MAX_RANK], step[MO_MAX_RANK], axes[MO_MAX_RANK];
    for (int i = 0; i < n; i++) {
        int64_t o = no <= 0 ? 0 : off[no == 1 ? 0 : i];
        int d = axis + i;
        if (o + rs.dims[d] > xs.dims[d])
            return mo_build_fail(b, "offset %lld + %lld passes the %lld of axis %d", (long long)o,
                                 (long long)rs.dims[d], (long long)xs.dims[d], d);
        start[i] = o;
        stop[i] = o + rs.dims[d];
        step[i] = 1;
        axes[i] = d;
    }
    return mo_build_done(b, mo_build_slice(b, NULL, x, start, stop, step, axes, n));
}

static enum mo_status tr_tile(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int rank = mo_value_shape(x).rank;
    int axis = mo_cf_axis(b, mo_node_get_int(fw, "axis", 1, NULL), rank);
    int64_t tiles = mo_node_get_int(fw, "tiles", 0, NULL);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (tiles < 1)
        return mo_build_fail(b, "tiles must be positive (set tile_param tiles)");
    int64_t rep[MO_MAX_RANK];
    for (int i = 0; i < rank; i++)
        rep[i] = i == axis ? tiles : 1;
    struct mo_value r = mo_build_i64(b, "repeats", rep, (size_t)rank);
    return mo_build_done(b, mo_build_op(b, "Tile", NULL, 2, x, r));
}

/* With axis: the top_k indices (or, out_max_val, values) along it.
 * Without: over each sample flattened, [N, 1 (2 with values), top_k, 1...]
 * of rank max(3, rank), indices before values. */
static enum mo_status tr_argmax(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_shape xs;
    if (!static_in(b, x, &xs))
        return mo_build_status(b);
    int64_t k = mo_node_get_int(fw, "top_k", 1, NULL);
    bool vals = mo_node_get_bool(fw, "out_max_val", false, NULL);
    bool has_axis = mo_node_get_int(fw, "axis", INT64_MIN, NULL) != INT64_MIN;
    int axis = has_axis ? mo_cf_axis(b, mo_node_get_int(fw, "axis", 0, NULL), xs.rank) : 2;
    if (k < 1)
        return mo_build_fail(b, "top_k must be positive");
    if (!has_axis) {
        int64_t d[3] = {0, 1, -1};
        x = mo_build_reshape(b, "flat", x, d, 3, true);
    }
    struct mo_value kc = mo_build_i64_scalar(b, "k", k);
    struct mo_value tk = mo_build_op(b, "TopK", "topk", 2, x, kc);
    mo_build_set_int(b, tk, "axis", axis);
    mo_build_set_str(b, tk, "mode", "max");
    mo_build_set_str(b, tk, "sort", "value");
    mo_build_set_str(b, tk, "index_element_type", "i64");
    mo_build_set_bool(b, tk, "stable", true);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_value idx = mo_val(tk.node, 1), val = mo_val(tk.node, 0);
    if (has_axis) {
        if (vals)
            return mo_build_done(b, val);
        return mo_build_done(b, mo_build_convert(b, NULL, idx, MO_ET_F32));
    }
    int r = xs.rank > 3 ? xs.rank : 3;
    int64_t d[MO_MAX_RANK];
    d[0] = xs.dims[0];
    d[1] = vals ? 2 : 1;
    d[2] = k;
    for (int i = 3; i < r; i++)
        d[i] = 1;
    struct mo_value fi = mo_build_convert(b, vals ? "index" : "indices", idx, MO_ET_F32);
    struct mo_value y = fi;
    if (vals) {
        struct mo_value parts[2] = {fi, val};
        y = mo_build_concat(b, "pairs", 1, 2, parts);
    }
    return mo_build_done(b, mo_build_reshape(b, NULL, y, d, r, false));
}

/* PSPNet's Interp: bilinear with corners aligned, to a size from
 * shrink_factor and zoom_factor (out = in + (in - 1)(zoom - 1)), from
 * height and width, or from a second bottom. */
static enum mo_status tr_interp(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_shape xs;
    if (!static_in(b, x, &xs))
        return mo_build_status(b);
    if (xs.rank != 4)
        return mo_build_fail(b, "needs a 4-D input");
    if (mo_node_get_int(fw, "pad_beg", 0, NULL) || mo_node_get_int(fw, "pad_end", 0, NULL))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "pad_beg and pad_end other than 0 are not supported");
    int64_t zoom = mo_node_get_int(fw, "zoom_factor", 1, NULL), shrink = mo_node_get_int(fw, "shrink_factor", 1, NULL);
    int64_t h = mo_node_get_int(fw, "height", 0, NULL), w = mo_node_get_int(fw, "width", 0, NULL);
    int64_t size[2] = {xs.dims[2], xs.dims[3]};
    if (zoom < 1 || shrink < 1)
        return mo_build_fail(b, "zoom_factor and shrink_factor must be positive");
    if (mo_cf_n_bottoms(fw) > 1) {
        struct mo_shape rs;
        if (!static_in(b, mo_build_in(b, 1, "reference"), &rs))
            return mo_build_status(b);
        if (rs.rank != 4)
            return mo_build_fail(b, "the reference bottom must be 4-D");
        size[0] = rs.dims[2];
        size[1] = rs.dims[3];
    } else if (zoom != 1 || shrink != 1) {
        for (int i = 0; i < 2; i++) {
            size[i] = (size[i] - 1) / shrink + 1;
            size[i] = size[i] + (size[i] - 1) * (zoom - 1);
        }
    } else if (h > 0 && w > 0) {
        size[0] = h;
        size[1] = w;
    } else {
        return mo_build_fail(b, "gives no output size (set zoom_factor, shrink_factor, or height and width)");
    }
    struct mo_value sz = mo_build_i64(b, "sizes", size, 2);
    struct mo_value ax = mo_build_i64(b, "axes", (int64_t[]){2, 3}, 2);
    struct mo_value y = mo_build_op(b, "Interpolate", NULL, 3, x, sz, ax);
    mo_build_set_str(b, y, "mode", "linear_onnx");
    mo_build_set_str(b, y, "shape_calculation_mode", "sizes");
    mo_build_set_str(b, y, "coordinate_transformation_mode", "align_corners");
    return mo_build_done(b, y);
}

/* [N, C, ...] -> [N, g, C/g, rest] -> swap g and C/g -> back */
static enum mo_status tr_shuffle_channel(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_shape xs;
    if (!static_in(b, x, &xs))
        return mo_build_status(b);
    int64_t g = mo_node_get_int(fw, "group", 1, NULL);
    if (xs.rank < 2 || g < 1 || xs.dims[1] % g)
        return mo_build_fail(b, "group %lld does not divide the channels", (long long)g);
    int64_t rest = mo_cf_prod(b, &xs, 2, xs.rank);
    int64_t d[4] = {xs.dims[0], g, xs.dims[1] / g, rest};
    struct mo_value r = mo_build_reshape(b, "split", x, d, 4, false);
    struct mo_value tr = mo_build_transpose(b, "swap", r, (int64_t[]){0, 2, 1, 3}, 4);
    return mo_build_done(b, mo_build_reshape(b, NULL, tr, xs.dims, xs.rank, false));
}

MO_CF_TABLE(mo_cf_tr_shape,
            {"Concat", tr_concat, NULL},
            {"Slice", tr_slice, NULL},
            {"Split", tr_split, NULL},
            {"Flatten", tr_flatten, NULL},
            {"Reshape", tr_reshape, NULL},
            {"Permute", tr_permute, NULL},
            {"Crop", tr_crop, NULL},
            {"Tile", tr_tile, NULL},
            {"ArgMax", tr_argmax, NULL},
            {"Interp", tr_interp, NULL},
            {"ShuffleChannel", tr_shuffle_channel, NULL});
