/* resize.c - ops that change spatial sizes: Interpolate (opset11), Pad
 * (opset12) and GridSample (opset9), which samples data at grid points.
 *
 * Interpolate: opset11 is the newest version and OpenVINO 2024+ reads it;
 * its second input holds either sizes or scales (shape_calculation_mode
 * says which) and the optional third the axes.  One version per type, so
 * the opset4 form (separate sizes and scales inputs) is not offered. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "ops.h"

static bool one_of(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, set[i]))
            return true;
    return false;
}

/* Pads of an attribute, zero-extended to rank. */
static enum mo_status read_pads(struct mo_node *n, const char *name, int rank, int64_t *p,
                                struct mo_error *err)
{
    int64_t v[MO_MAX_RANK + 1];
    int c = mo_attr_ints(n, name, v, MO_MAX_RANK + 1);
    if (c > rank && rank >= 0) {
        /* trailing zeros beyond the rank are harmless ("0" is the default) */
        for (int i = rank; i < c; i++)
            if (v[i] != 0)
                return mo_shape_error(n, err, "%s has %d values for rank %d", name, c, rank);
    }
    for (int i = 0; i < MO_MAX_RANK; i++)
        p[i] = i < c ? v[i] : 0;
    for (int i = 0; i < rank; i++)
        if (p[i] < 0)
            return mo_shape_error(n, err, "%s must not be negative", name);
    return MO_OK;
}

/* Interpolate-11:
 *   sizes:  out[axes[i]] = sizes[i]
 *   scales: out[axes[i]] = floor(scales[i] * (in + pads_begin + pads_end))
 *   other dims: in + pads_begin + pads_end.
 * A small epsilon guards the floor against scales stored inexactly
 * (1/3 as 0.33333334f times 3 must give 1), as the runtime does. */
static enum mo_status infer_interpolate(struct mo_node *n, struct mo_error *err)
{
    static const char *const modes[] = {"nearest", "linear", "linear_onnx", "cubic",
                                        "bilinear_pillow", "bicubic_pillow"};
    static const char *const coord[] = {"half_pixel", "pytorch_half_pixel", "asymmetric",
                                        "tf_half_pixel_for_nn", "align_corners"};
    static const char *const nearest[] = {"round_prefer_floor", "round_prefer_ceil", "floor",
                                          "ceil", "simple"};
    const char *mode = mo_attr_str(n, "mode"), *calc = mo_attr_str(n, "shape_calculation_mode");
    if (!one_of(mode, modes, MO_COUNT_OF(modes)))
        return mo_shape_error(n, err, "unknown mode '%s'", mode);
    if (!one_of(mo_attr_str(n, "coordinate_transformation_mode"), coord, MO_COUNT_OF(coord)))
        return mo_shape_error(n, err, "unknown coordinate_transformation_mode '%s'",
                              mo_attr_str(n, "coordinate_transformation_mode"));
    if (!one_of(mo_attr_str(n, "nearest_mode"), nearest, MO_COUNT_OF(nearest)))
        return mo_shape_error(n, err, "unknown nearest_mode '%s'", mo_attr_str(n, "nearest_mode"));
    bool sizes = !strcmp(calc, "sizes");
    if (!sizes && strcmp(calc, "scales"))
        return mo_shape_error(n, err, "shape_calculation_mode must be sizes or scales, got '%s'", calc);
    struct mo_shape x = mo_in_shape(n, 0);
    if (x.rank < 0)
        return mo_out_like_in0(n, &x);
    int64_t pb[MO_MAX_RANK], pe[MO_MAX_RANK];
    enum mo_status st;
    if ((st = read_pads(n, "pads_begin", x.rank, pb, err)) != MO_OK ||
        (st = read_pads(n, "pads_end", x.rank, pe, err)) != MO_OK)
        return st;
    struct mo_shape o = x;
    for (int d = 0; d < x.rank; d++)
        o.dims[d] = x.dims[d] < 0 ? MO_DYN : x.dims[d] + pb[d] + pe[d];
    int64_t axes[MO_MAX_RANK];
    int na;
    if (n->n_inputs > 2) {
        na = mo_const_ints(n, 2, axes, MO_MAX_RANK);
        if (na < 0) {
            for (int d = 0; d < x.rank; d++)
                o.dims[d] = MO_DYN;
            return mo_out_like_in0(n, &o);
        }
        if (na > x.rank)
            return mo_shape_error(n, err, "%d axes for rank %d", na, x.rank);
        if ((st = mo_norm_axes(n, axes, na, x.rank, false, err)) != MO_OK)
            return st;
    } else {
        na = x.rank;
        for (int d = 0; d < na; d++)
            axes[d] = d;
    }
    struct mo_shape ss = mo_in_shape(n, 1);
    if (ss.rank > 1)
        return mo_shape_error(n, err, "scales_or_sizes must be 1-D, got rank %d", ss.rank);
    if (ss.rank == 1 && ss.dims[0] >= 0 && ss.dims[0] != na)
        return mo_shape_error(n, err, "scales_or_sizes has %lld values for %d axes",
                              (long long)ss.dims[0], na);
    double v[MO_MAX_RANK];
    int cnt = mo_const_f64s(n, 1, v, MO_MAX_RANK);
    int64_t iv[MO_MAX_RANK];
    if (sizes)
        cnt = mo_const_ints(n, 1, iv, MO_MAX_RANK);
    for (int i = 0; i < na; i++) {
        int a = (int)axes[i];
        if (cnt < 0) {
            o.dims[a] = MO_DYN;
        } else if (sizes) {
            if (iv[i] < 0)
                return mo_shape_error(n, err, "size %lld is negative", (long long)iv[i]);
            o.dims[a] = iv[i];
        } else {
            if (!(v[i] >= 0))
                return mo_shape_error(n, err, "scale %g must not be negative", v[i]);
            o.dims[a] = o.dims[a] < 0 ? MO_DYN : (int64_t)floor(v[i] * (double)o.dims[a] + 1e-5);
        }
    }
    return mo_out_like_in0(n, &o);
}

static const struct mo_attr_spec interpolate_attrs[] = {
    {"mode", MO_ATTR_STRING, NULL},
    {"shape_calculation_mode", MO_ATTR_STRING, NULL},
    {"coordinate_transformation_mode", MO_ATTR_STRING, "half_pixel"},
    {"nearest_mode", MO_ATTR_STRING, "round_prefer_floor"},
    {"antialias", MO_ATTR_BOOL, "false"},
    {"pads_begin", MO_ATTR_INTS, "0"},
    {"pads_end", MO_ATTR_INTS, "0"},
    {"cube_coeff", MO_ATTR_FLOAT, "-0.75"},
};
static const struct mo_op_def op_interpolate = {
    "Interpolate", "opset11", 2, 3, 1, interpolate_attrs, MO_COUNT_OF(interpolate_attrs),
    infer_interpolate, NULL};

/* Pad (opset12): out = in + pads_begin + pads_end; pads may be negative
 * (they crop) but no dim may end up negative. */
static enum mo_status infer_pad(struct mo_node *n, struct mo_error *err)
{
    static const char *const modes[] = {"constant", "edge", "reflect", "symmetric"};
    const char *mode = mo_attr_str(n, "pad_mode");
    if (!one_of(mode, modes, MO_COUNT_OF(modes)))
        return mo_shape_error(n, err, "pad_mode must be constant, edge, reflect or symmetric, got '%s'",
                              mode);
    struct mo_shape x = mo_in_shape(n, 0);
    if (n->n_inputs > 3) {
        struct mo_shape pv = mo_in_shape(n, 3);
        if (pv.rank > 0)
            return mo_shape_error(n, err, "pad_value must be a scalar");
    }
    if (x.rank < 0)
        return mo_out_like_in0(n, &x);
    int64_t pb[MO_MAX_RANK], pe[MO_MAX_RANK];
    int cb = mo_const_ints(n, 1, pb, MO_MAX_RANK), ce = mo_const_ints(n, 2, pe, MO_MAX_RANK);
    struct mo_shape bs = mo_in_shape(n, 1), es = mo_in_shape(n, 2);
    for (int i = 0; i < 2; i++) {
        const struct mo_shape *s = i ? &es : &bs;
        if (s->rank > 1 || (s->rank == 1 && s->dims[0] >= 0 && s->dims[0] != x.rank))
            return mo_shape_error(n, err, "%s must be 1-D with %d values", i ? "pads_end" : "pads_begin",
                                  x.rank);
    }
    struct mo_shape o = x;
    for (int d = 0; d < x.rank; d++) {
        if (cb < 0 || ce < 0 || x.dims[d] < 0) {
            o.dims[d] = MO_DYN;
            continue;
        }
        int64_t lim = !strcmp(mode, "reflect") ? x.dims[d] - 1 : x.dims[d];
        if ((!strcmp(mode, "reflect") || !strcmp(mode, "symmetric")) && (pb[d] > lim || pe[d] > lim))
            return mo_shape_error(n, err, "%s padding of dim %d (%lld) needs pads of at most %lld",
                                  mode, d, (long long)x.dims[d], (long long)lim);
        o.dims[d] = x.dims[d] + pb[d] + pe[d];
        if (o.dims[d] < 0)
            return mo_shape_error(n, err, "pads make dim %d negative (%lld)", d, (long long)o.dims[d]);
    }
    return mo_out_like_in0(n, &o);
}

static const struct mo_attr_spec pad_attrs[] = {{"pad_mode", MO_ATTR_STRING, NULL}};
static const struct mo_op_def op_pad = {"Pad", "opset12", 3, 4, 1, pad_attrs, 1, infer_pad, NULL};

/* GridSample (opset9): data [N, C, H, W], grid [N, H_out, W_out, 2] of
 * (x, y) in [-1, 1]; out [N, C, H_out, W_out]. */
static enum mo_status infer_grid_sample(struct mo_node *n, struct mo_error *err)
{
    static const char *const modes[] = {"bilinear", "bicubic", "nearest"};
    static const char *const pads[] = {"zeros", "border", "reflection"};
    const char *m = mo_attr_str(n, "mode"), *p = mo_attr_str(n, "padding_mode");
    if (!one_of(m, modes, MO_COUNT_OF(modes)))
        return mo_shape_error(n, err, "mode '%s' is not bilinear, bicubic or nearest", m);
    if (!one_of(p, pads, MO_COUNT_OF(pads)))
        return mo_shape_error(n, err, "padding_mode '%s' is not zeros, border or reflection", p);
    struct mo_shape x = mo_in_shape(n, 0), g = mo_in_shape(n, 1);
    if (x.rank >= 0 && x.rank != 4)
        return mo_shape_error(n, err, "data must have rank 4, got %d", x.rank);
    if (g.rank >= 0 && g.rank != 4)
        return mo_shape_error(n, err, "grid must have rank 4, got %d", g.rank);
    if (g.rank == 4 && g.dims[3] >= 0 && g.dims[3] != 2)
        return mo_shape_error(n, err, "the grid's last dim must be 2, got %lld", (long long)g.dims[3]);
    int64_t batch = mo_dim_merge(x.rank == 4 ? x.dims[0] : MO_DYN, g.rank == 4 ? g.dims[0] : MO_DYN);
    if (batch == -2)
        return mo_shape_error(n, err, "data batch %lld and grid batch %lld differ",
                              (long long)x.dims[0], (long long)g.dims[0]);
    struct mo_shape o = mo_shape_of(batch, x.rank == 4 ? x.dims[1] : MO_DYN,
                                    g.rank == 4 ? g.dims[1] : MO_DYN, g.rank == 4 ? g.dims[2] : MO_DYN);
    return mo_out_like_in0(n, &o);
}

static const struct mo_attr_spec grid_sample_attrs[] = {
    {"align_corners", MO_ATTR_BOOL, "false"},
    {"mode", MO_ATTR_STRING, "bilinear"},
    {"padding_mode", MO_ATTR_STRING, "zeros"},
};
static const struct mo_op_def op_grid_sample = {
    "GridSample", "opset9", 2, 2, 1, grid_sample_attrs, MO_COUNT_OF(grid_sample_attrs),
    infer_grid_sample, NULL};

MO_OP_FAMILY(mo_ops_resize, &op_interpolate, &op_pad, &op_grid_sample);
