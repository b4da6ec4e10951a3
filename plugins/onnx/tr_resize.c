/* tr_resize.c - Resize and Upsample as the IR's Interpolate-11. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "onnx.h"

/* Where an op version keeps its scales: Upsample-7's attribute, input 1
 * (Upsample-9, Resize-10), or Resize-11's X, roi, scales, sizes. */
enum rs_form { RS_ATTR, RS_IN1, RS_FULL };
static const enum rs_form f_attr = RS_ATTR, f_in1 = RS_IN1, f_full = RS_FULL;

static const char *pick(const char *s, const char *const (*map)[2], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, map[i][0]))
            return map[i][1];
    return NULL;
}

/* Whether input i is present and not an empty tensor (opsets 11 and 12
 * pass an empty scales next to sizes). */
static bool given(struct mo_build *b, unsigned i)
{
    if (!mo_ox_has_in(b, i))
        return false;
    struct mo_shape s = mo_value_shape(mo_build_in(b, i, NULL));
    return !(s.rank == 1 && s.dims[0] == 0);
}


/* --- the exact decomposition ------------------------------------------
 * What Interpolate cannot say (tf_crop_and_resize, half_pixel_symmetric,
 * cubic with exclude_outside, antialias, keep_aspect_ratio_policy, and
 * align_corners with scales, where ONNX divides by scale * in rather than
 * by the integer output size) is built the way ONNX defines Resize: one
 * axis after the other, each output position a weighted sum of a few
 * input positions along that axis.  Positions and weights are computed in
 * the graph from the (possibly computed) sizes, scales and roi, so nothing
 * needs to be constant but the number of taps (antialias: a constant
 * scale). */
struct rs_ax {
    struct mo_build *b;
    int a, rank;
};

static const char *nm(struct rs_ax *c, const char *what)
{
    return mo_graph_printf(mo_build_graph(c->b), "ax%d/%s", c->a, what);
}

static struct mo_value f32(struct rs_ax *c, const char *what, double v)
{
    return mo_build_scalar(c->b, nm(c, what), MO_ET_F32, v);
}

static struct mo_value bin(struct rs_ax *c, const char *op, const char *what, struct mo_value l, struct mo_value r)
{
    return mo_build_op(c->b, op, nm(c, what), 2, l, r);
}

static struct mo_value sel(struct rs_ax *c, const char *what, struct mo_value m, struct mo_value t, struct mo_value f)
{
    return mo_build_op(c->b, "Select", nm(c, what), 3, m, t, f);
}

/* Element i of a 1-D value, 0-D. */
static struct mo_value elem(struct mo_build *b, const char *sfx, struct mo_value v, int i)
{
    struct mo_value idx = mo_build_i64_scalar(b, mo_graph_printf(mo_build_graph(b), "%s/index", sfx), i);
    return mo_build_gather(b, sfx, v, idx, 0);
}

/* Horner: sum k[j] d^j, j from high to low (k[0] the highest power). */
static struct mo_value poly(struct rs_ax *c, const char *what, struct mo_value d, const double *k, int n)
{
    struct mo_value acc = f32(c, mo_graph_printf(mo_build_graph(c->b), "%s/k0", what), k[0]);
    for (int j = 1; j < n; j++) {
        acc = bin(c, "Multiply", mo_graph_printf(mo_build_graph(c->b), "%s/m%d", what, j), acc, d);
        struct mo_value kj = f32(c, mo_graph_printf(mo_build_graph(c->b), "%s/k%d", what, j), k[j]);
        acc = bin(c, "Add", mo_graph_printf(mo_build_graph(c->b), "%s/a%d", what, j), acc, kj);
    }
    return acc;
}

struct rs_params {
    const char *mode, *coord, *nearest;
    double A, extrapolation;
    bool exclude, antialias;
    double aa_scale;        /* antialias: the constant scale of this axis */
    double aa[MO_MAX_RANK]; /* antialias: the constant scale of each resized axis */
};

/* One axis: x resized along c->a from in (f32 0-D) to out (i64 0-D) at
 * scale (f32 0-D); roi_s/roi_e the crop box (tf_crop_and_resize). */
static struct mo_value resize_axis(struct rs_ax *c, const struct rs_params *p, struct mo_value x,
                                   struct mo_value in, struct mo_value out, struct mo_value scale,
                                   struct mo_value roi_s, struct mo_value roi_e, bool last)
{
    struct mo_build *b = c->b;
    struct mo_value outf = mo_build_convert(b, nm(c, "out_f"), out, MO_ET_F32);
    struct mo_value r0 = f32(c, "range/start", 0), r1 = f32(c, "range/step", 1);
    struct mo_value y = mo_build_set_str(b, mo_build_op(b, "Range", nm(c, "y"), 3, r0, outf, r1), "output_type", "f32");
    struct mo_value ow = bin(c, "Multiply", "width", scale, in);
    struct mo_value one = f32(c, "one", 1), half = f32(c, "half", 0.5);
    struct mo_value in1 = bin(c, "Subtract", "in_last", in, one);
    struct mo_value ow1 = bin(c, "Equal", "width_is_1", ow, one);
    struct mo_value hp = bin(c, "Add", "y_half", y, half);
    hp = bin(c, "Divide", "y_half_scaled", hp, scale);
    struct mo_value xo, ext = MO_NO_VALUE;
    const char *cm = p->coord;
    if (!strcmp(cm, "half_pixel")) {
        xo = bin(c, "Subtract", "x", hp, half);
    } else if (!strcmp(cm, "pytorch_half_pixel")) {
        xo = bin(c, "Subtract", "x_hp", hp, half);
        xo = sel(c, "x", ow1, f32(c, "minus_half", -0.5), xo);
    } else if (!strcmp(cm, "align_corners")) {
        struct mo_value ow_1 = bin(c, "Subtract", "width_1", ow, one);
        xo = bin(c, "Multiply", "y_in", y, in1);
        xo = bin(c, "Divide", "x_ac", xo, ow_1);
        xo = sel(c, "x", ow1, f32(c, "zero", 0), xo);
    } else if (!strcmp(cm, "asymmetric")) {
        xo = bin(c, "Divide", "x", y, scale);
    } else if (!strcmp(cm, "tf_half_pixel_for_nn")) {
        xo = hp;
    } else if (!strcmp(cm, "half_pixel_symmetric")) {
        struct mo_value adj = bin(c, "Divide", "adjust", outf, ow);
        adj = bin(c, "Subtract", "one_adjust", one, adj);
        struct mo_value ctr = bin(c, "Multiply", "center", in, half);
        struct mo_value off = bin(c, "Multiply", "offset", ctr, adj);
        xo = bin(c, "Subtract", "x_hp", hp, half);
        xo = bin(c, "Add", "x", xo, off);
    } else { /* tf_crop_and_resize */
        struct mo_value span = bin(c, "Subtract", "roi_span", roi_e, roi_s);
        span = bin(c, "Multiply", "roi_span_in", span, in1);
        struct mo_value mid = bin(c, "Multiply", "mid", span, half);
        struct mo_value ow_1 = bin(c, "Subtract", "width_1", ow, one);
        struct mo_value st = bin(c, "Divide", "step", span, ow_1);
        xo = bin(c, "Multiply", "x_steps", y, st);
        xo = sel(c, "x_rel", ow1, mid, xo);
        struct mo_value org = bin(c, "Multiply", "origin", roi_s, in1);
        xo = bin(c, "Add", "x", xo, org);
        struct mo_value lo = bin(c, "Less", "before", xo, f32(c, "zero", 0));
        struct mo_value hi = bin(c, "Greater", "after", xo, in1);
        ext = bin(c, "LogicalOr", "outside", lo, hi);
    }
    struct mo_value fl = mo_build_op(b, "Floor", nm(c, "floor"), 1, xo);
    struct mo_value frac = bin(c, "Subtract", "frac", xo, fl);
    struct mo_value zero = f32(c, "zero_f", 0);
    struct mo_value isint = bin(c, "Equal", "is_int", frac, zero);
    int64_t ones[MO_MAX_RANK + 1] = {0, 0};
    for (int i = 0; i < MO_MAX_RANK - 1; i++)
        ones[i + 2] = 1;
    int tail = c->rank - c->a - 1;
    struct mo_value idx, res;
    bool nearest = !strcmp(p->mode, "nearest");
    if (nearest) {
        const char *n = p->nearest;
        struct mo_value up = MO_NO_VALUE;
        if (!strcmp(n, "round_prefer_floor"))
            up = bin(c, "Greater", "up", frac, half);
        else if (!strcmp(n, "round_prefer_ceil"))
            up = bin(c, "GreaterEqual", "up", frac, half);
        else if (!strcmp(n, "ceil"))
            up = bin(c, "Greater", "up", frac, zero);
        idx = fl;
        if (up.node)
            idx = bin(c, "Add", "nearest", fl, mo_build_convert(b, nm(c, "up_f"), up, MO_ET_F32));
    } else {
        int n;
        double s = p->aa_scale < 1 ? p->aa_scale : 1;
        if (p->antialias)
            n = !strcmp(p->mode, "cubic") ? 2 - 2 * ((int)floor(-2 / s) + 1) : 2 - 2 * ((int)floor(-1 / s) + 1);
        else
            n = !strcmp(p->mode, "cubic") ? 4 : 2;
        if (n < 2 || n > 64)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "an antialiased scale of %g needs %d taps", s, n),
                   MO_NO_VALUE;
        struct mo_value ratio = sel(c, "ratio", isint, one, frac);
        struct mo_value taps[64];
        double A = p->A;
        const double inner[] = {A + 2, -(A + 3), 0, 1}, outer[] = {A, -5 * A, 8 * A, -4 * A};
        int first = p->antialias ? (!strcmp(p->mode, "cubic") ? (int)floor(-2 / s) + 1 : (int)floor(-1 / s) + 1)
                                 : 1 - n / 2;
        for (int k = 0; k < n; k++) {
            const char *tk = mo_graph_printf(mo_build_graph(b), "tap%d", k);
            /* distance of tap k from the source point, in input pixels */
            struct mo_value d = bin(c, "Subtract", mo_graph_printf(mo_build_graph(b), "%s/d", tk),
                                    f32(c, mo_graph_printf(mo_build_graph(b), "%s/pos", tk), first + k), ratio);
            if (p->antialias)
                d = bin(c, "Multiply", mo_graph_printf(mo_build_graph(b), "%s/ds", tk), d,
                        f32(c, mo_graph_printf(mo_build_graph(b), "%s/s", tk), s));
            d = mo_build_op(b, "Abs", nm(c, mo_graph_printf(mo_build_graph(b), "%s/abs", tk)), 1, d);
            struct mo_value w;
            if (!strcmp(p->mode, "linear")) {
                w = bin(c, "Subtract", mo_graph_printf(mo_build_graph(b), "%s/lin", tk), one, d);
                w = bin(c, "Maximum", mo_graph_printf(mo_build_graph(b), "%s/w", tk), w, zero);
            } else {
                struct mo_value wi = poly(c, mo_graph_printf(mo_build_graph(b), "%s/inner", tk), d, inner, 4);
                struct mo_value wo = poly(c, mo_graph_printf(mo_build_graph(b), "%s/outer", tk), d, outer, 4);
                struct mo_value le1 = bin(c, "LessEqual", mo_graph_printf(mo_build_graph(b), "%s/near", tk), d, one);
                struct mo_value lt2 = bin(c, "Less", mo_graph_printf(mo_build_graph(b), "%s/far", tk), d,
                                          f32(c, mo_graph_printf(mo_build_graph(b), "%s/two", tk), 2));
                wo = sel(c, mo_graph_printf(mo_build_graph(b), "%s/wo", tk), lt2, wo, zero);
                w = sel(c, mo_graph_printf(mo_build_graph(b), "%s/w", tk), le1, wi, wo);
            }
            taps[k] = mo_build_unsqueeze(b, nm(c, mo_graph_printf(mo_build_graph(b), "%s/col", tk)), w,
                                         (int64_t[]){1}, 1);
        }
        struct mo_value cw = mo_build_concat(b, nm(c, "weights"), 1, (unsigned)n, taps);
        /* first tap: floor + first, one less when the point is on a pixel */
        struct mo_value off = sel(c, "first", isint, f32(c, "first_on", first - 1), f32(c, "first_off", first));
        struct mo_value st = bin(c, "Add", "start", fl, off);
        st = mo_build_unsqueeze(b, nm(c, "start_col"), st, (int64_t[]){1}, 1);
        double kk[64];
        for (int k = 0; k < n; k++)
            kk[k] = k;
        struct mo_shape ks = mo_shape_make(1, (int64_t[]){n});
        idx = bin(c, "Add", "taps", st, mo_build_const(b, nm(c, "tap_offsets"), MO_ET_F32, &ks, kk));
        if (p->exclude || p->antialias) {
            if (p->exclude) {
                struct mo_value ge = bin(c, "GreaterEqual", "inside_lo", idx, zero);
                struct mo_value le = bin(c, "LessEqual", "inside_hi", idx, in1);
                struct mo_value ins = bin(c, "LogicalAnd", "inside", ge, le);
                cw = sel(c, "weights_inside", ins, cw, zero);
            }
            struct mo_value ax1 = mo_build_i64(b, nm(c, "sum_axis"), (int64_t[]){1}, 1);
            struct mo_value sum = mo_build_set_bool(b, mo_build_op(b, "ReduceSum", nm(c, "weight_sum"), 2, cw, ax1),
                                                    "keep_dims", true);
            struct mo_value z = bin(c, "Equal", "sum_zero", sum, zero);
            sum = sel(c, "sum_safe", z, one, sum);
            cw = bin(c, "Divide", "weights_norm", cw, sum);
        }
        res = mo_build_reshape(b, nm(c, "weights_b"), cw, ones, tail + 2, true);
        if (mo_value_et(x) != MO_ET_F32)
            res = mo_build_op(b, "ConvertLike", nm(c, "weights_t"), 2, res, x);
    }
    idx = bin(c, "Maximum", "clamp_lo", idx, zero);
    idx = bin(c, "Minimum", "clamp_hi", idx, in1);
    idx = mo_build_convert(b, nm(c, "index"), idx, MO_ET_I64);
    bool named = last && !ext.node;
    struct mo_value g = mo_build_gather(b, nearest && named ? NULL : nm(c, "gather"), x, idx, c->a);
    if (!nearest) {
        g = bin(c, "Multiply", "weighted", g, res);
        struct mo_value ax = mo_build_i64(b, nm(c, "tap_axis"), (int64_t[]){c->a + 1}, 1);
        g = mo_build_set_bool(b, mo_build_op(b, "ReduceSum", named ? NULL : nm(c, "sum"), 2, g, ax), "keep_dims", false);
    }
    if (ext.node) {
        struct mo_value m = mo_build_reshape(b, nm(c, "outside_b"), ext, ones + 1, tail + 1, true);
        struct mo_value e = mo_build_scalar(b, nm(c, "extrapolation"), mo_value_et(x), p->extrapolation);
        g = mo_build_op(b, "Select", last ? NULL : nm(c, "extrapolated"), 3, m, e, g);
    }
    return g;
}

/* The whole decomposition.  ax[0..na) the resized axes; ss the scales
 * (f32) or sizes (i64) of those axes; roi as ONNX gives it (2 * na or
 * 2 * rank values), or invalid. */
static struct mo_value resize_decomposed(struct mo_build *b, struct rs_params *p, struct mo_value x, int rank,
                                         const int64_t *ax, int na, struct mo_value ss, bool sizes,
                                         const char *policy, struct mo_value roi, bool roi_all_dims)
{
    struct mo_value in = mo_build_convert(b, "in_f", mo_build_dims(b, "in", x, ax, na), MO_ET_F32);
    struct mo_value scales, outs;
    if (sizes) {
        struct mo_value sf = mo_build_convert(b, "sizes_f", ss, MO_ET_F32);
        scales = mo_build_op(b, "Divide", "scales", 2, sf, in);
        if (strcmp(policy, "stretch")) {
            struct mo_value a0 = mo_build_i64(b, "policy/axes", (int64_t[]){0}, 1);
            struct mo_value s = mo_build_op(b, !strcmp(policy, "not_larger") ? "ReduceMin" : "ReduceMax", "policy", 2,
                                            scales, a0);
            scales = mo_build_set_bool(b, s, "keep_dims", true);
            struct mo_value o = mo_build_op(b, "Multiply", "policy/out", 2, scales, in);
            o = mo_build_op(b, "Add", "policy/round", 2, o, mo_build_scalar(b, "policy/half", MO_ET_F32, 0.5));
            o = mo_build_op(b, "Floor", "policy/floor", 1, o);
            outs = mo_build_convert(b, "outs", o, MO_ET_I64);
            scales = mo_build_op(b, "Multiply", "policy/scales", 2, scales,
                                 mo_build_op(b, "Divide", "policy/ones", 2, in, in));
        } else {
            outs = ss;
        }
    } else {
        scales = ss;
        struct mo_value o = mo_build_op(b, "Multiply", "outs_f", 2, ss, in);
        outs = mo_build_convert(b, "outs", mo_build_op(b, "Floor", "outs_floor", 1, o), MO_ET_I64);
    }
    if (roi.node)
        roi = mo_build_convert(b, "roi_f", roi, MO_ET_F32);
    struct mo_value v = x;
    for (int i = 0; i < na && mo_build_ok(b); i++) {
        struct rs_ax c = {b, (int)ax[i], rank};
        struct mo_value si = elem(b, nm(&c, "scale"), scales, i), oi = elem(b, nm(&c, "out"), outs, i);
        struct mo_value ii = elem(b, nm(&c, "in"), in, i);
        struct mo_value rs = MO_NO_VALUE, re = MO_NO_VALUE;
        if (roi.node) {
            int k = roi_all_dims ? (int)ax[i] : i, span = roi_all_dims ? rank : na;
            rs = elem(b, nm(&c, "roi_start"), roi, k);
            re = elem(b, nm(&c, "roi_end"), roi, k + span);
        }
        p->aa_scale = p->aa[i];
        v = resize_axis(&c, p, v, ii, oi, si, rs, re, i + 1 == na);
    }
    return v;
}

static enum mo_status tr_resize(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    static const char *const modes[][2] = {{"nearest", "nearest"}, {"linear", "linear_onnx"},
                                           {"bilinear", "linear_onnx"}, {"cubic", "cubic"}};
    static const char *const coords[][2] = {
        {"half_pixel", "half_pixel"}, {"pytorch_half_pixel", "pytorch_half_pixel"},
        {"align_corners", "align_corners"}, {"asymmetric", "asymmetric"},
        {"tf_half_pixel_for_nn", "tf_half_pixel_for_nn"}, {"tf_crop_and_resize", NULL},
        {"half_pixel_symmetric", NULL}};
    static const char *const nearests[][2] = {{"round_prefer_floor", "round_prefer_floor"},
                                              {"round_prefer_ceil", "round_prefer_ceil"},
                                              {"floor", "floor"}, {"ceil", "ceil"}};
    enum rs_form form = *(const enum rs_form *)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    int rank = mo_value_shape(x).rank;
    const char *mode = mo_node_get_str(fw, "mode", "nearest");
    const char *irmode = pick(mode, modes, MO_COUNT_OF(modes));
    if (!irmode)
        return mo_build_fail(b, "mode '%s' is not one of nearest, linear, cubic", mode);
    if (!strcmp(mode, "bilinear"))
        mode = "linear";
    /* before Resize-11 the source coordinate is x / scale, and nearest
     * takes floor when enlarging, ceil when shrinking: the IR's "simple" */
    const char *coord = form == RS_FULL ? mo_node_get_str(fw, "coordinate_transformation_mode", "half_pixel")
                                        : "asymmetric";
    size_t ci;
    for (ci = 0; ci < MO_COUNT_OF(coords) && strcmp(coord, coords[ci][0]); ci++)
        ;
    if (ci == MO_COUNT_OF(coords))
        return mo_build_fail(b, "unknown coordinate_transformation_mode '%s'", coord);
    const char *ircoord = coords[ci][1];
    const char *nmode = mo_node_get_str(fw, "nearest_mode", "round_prefer_floor");
    const char *irnm = form == RS_FULL ? pick(nmode, nearests, MO_COUNT_OF(nearests)) : "simple";
    if (!irnm)
        return mo_build_fail(b, "nearest_mode '%s' is not one of round_prefer_floor, round_prefer_ceil, floor, "
                             "ceil", nmode);
    const char *policy = mo_node_get_str(fw, "keep_aspect_ratio_policy", "stretch");
    if (strcmp(policy, "stretch") && strcmp(policy, "not_larger") && strcmp(policy, "not_smaller"))
        return mo_build_fail(b, "keep_aspect_ratio_policy '%s' is not one of stretch, not_larger, not_smaller",
                             policy);
    struct rs_params p = {.mode = mode, .coord = coord, .nearest = nmode,
                          .A = mo_node_get_float(fw, "cubic_coeff_a", -0.75, NULL),
                          .extrapolation = mo_node_get_float(fw, "extrapolation_value", 0.0, NULL),
                          .exclude = mo_node_get_int(fw, "exclude_outside", 0, NULL) != 0,
                          .antialias = mo_node_get_int(fw, "antialias", 0, NULL) != 0};

    struct mo_value ss;
    bool sizes = false;
    if (form == RS_ATTR) {
        double sc[MO_MAX_RANK];
        int n = mo_node_get_floats(fw, "scales", sc, MO_MAX_RANK);
        if (n <= 0)
            return mo_build_fail(b, "the scales attribute is missing");
        struct mo_shape s1 = mo_shape_make(1, (int64_t[]){n});
        ss = mo_build_const(b, "scales", MO_ET_F32, &s1, sc);
    } else if (form == RS_IN1) {
        ss = mo_build_in(b, 1, "scales");
    } else if (given(b, 3)) {
        sizes = true;
        ss = mo_build_in(b, 3, "sizes");
    } else if (given(b, 2)) {
        ss = mo_build_in(b, 2, "scales");
    } else {
        return mo_build_fail(b, "neither scales nor sizes is given");
    }
    if (sizes && mo_value_et(ss) != MO_ET_I64)
        ss = mo_build_convert(b, "sizes", ss, MO_ET_I64);
    else if (!sizes && mo_value_et(ss) != MO_ET_F32)
        ss = mo_build_convert(b, "scales", ss, MO_ET_F32);

    int64_t ax[MO_MAX_RANK];
    int na = mo_node_get_ints(fw, "axes", ax, MO_MAX_RANK);
    bool axes_attr = na > 0;
    if (!axes_attr) {
        if (mo_build_ok(b) && rank < 0)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "resizing an input of unknown rank");
        for (na = 0; na < rank; na++)
            ax[na] = na;
    }
    for (int i = 0; i < na; i++)
        ax[i] = mo_ox_axis(b, ax[i], rank, "axis");

    /* Interpolate's align_corners divides by the integer output size less
     * one, ONNX by scale * in - 1: the same only with sizes */
    bool exact = ircoord && !(p.exclude && !strcmp(mode, "cubic")) && !p.antialias && !strcmp(policy, "stretch") &&
                 !(!sizes && !strcmp(coord, "align_corners") && strcmp(mode, "nearest"));
    if (!exact && form == RS_FULL) {
        if (p.antialias && strcmp(mode, "nearest")) {
            /* the number of taps follows the scale: it must be known */
            double sc[MO_MAX_RANK];
            struct mo_tensor *tc = mo_value_const(ss);
            struct mo_shape xs = mo_value_shape(x);
            bool known = tc && mo_tensor_numel(tc) == na;
            for (int i = 0; known && i < na; i++) {
                sc[i] = sizes ? (xs.dims[ax[i]] > 0 ? (double)mo_tensor_get_i64(tc, i) / (double)xs.dims[ax[i]] : -1)
                              : mo_tensor_get_f64(tc, i);
                known = sc[i] > 0;
            }
            if (!known)
                return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "antialias needs constant scales or sizes and "
                                      "static input dims (the filter's width follows the scale)");
            if (strcmp(policy, "stretch")) {       /* one scale for all: the smallest or largest */
                double m = sc[0];
                for (int i = 1; i < na; i++)
                    m = !strcmp(policy, "not_larger") ? (sc[i] < m ? sc[i] : m) : (sc[i] > m ? sc[i] : m);
                for (int i = 0; i < na; i++)
                    sc[i] = m;
            }
            for (int i = 0; i < na; i++)
                p.aa[i] = sc[i];
        }
        if (strcmp(mode, "nearest") && !mo_etype_is_float(mo_value_et(x)))
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%s interpolation of integers needs Interpolate's "
                                  "modes; this one has none", mode);
        struct mo_value roi = MO_NO_VALUE;
        bool roi_all = false;
        if (!strcmp(coord, "tf_crop_and_resize")) {
            if (!given(b, 1))
                return mo_build_fail(b, "tf_crop_and_resize needs roi");
            roi = mo_build_in(b, 1, "roi");
            struct mo_shape rs = mo_value_shape(roi);
            roi_all = !axes_attr || (rs.rank == 1 && rs.dims[0] == 2 * rank);
        }
        return mo_build_done(b, resize_decomposed(b, &p, x, rank, ax, na, ss, sizes, policy, roi, roi_all));
    }
    if (!exact)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "this Resize has no counterpart in the IR");

    struct mo_value y;
    if (axes_attr) {
        struct mo_value axes = mo_build_i64(b, "axes", ax, (size_t)na);
        y = mo_build_op(b, "Interpolate", NULL, 3, x, ss, axes);
    } else {
        y = mo_build_op(b, "Interpolate", NULL, 2, x, ss);
    }
    mo_build_set_str(b, y, "mode", irmode);
    mo_build_set_str(b, y, "shape_calculation_mode", sizes ? "sizes" : "scales");
    mo_build_set_str(b, y, "coordinate_transformation_mode", ircoord);
    mo_build_set_str(b, y, "nearest_mode", irnm);
    mo_build_set_float(b, y, "cube_coeff", p.A);
    return mo_build_done(b, y);
}

MO_OX_TABLE(mo_ox_tr_resize,
    {"Resize", 10, tr_resize, &f_in1},
    {"Resize", 11, tr_resize, &f_full},
    {"Upsample", 7, tr_resize, &f_attr},
    {"Upsample", 9, tr_resize, &f_in1},
)
