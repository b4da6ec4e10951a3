/* tr_norm.c - Caffe BatchNorm, Scale, Bias, LRN, MVN, Normalize, Softmax.
 *
 * BatchNorm keeps its statistics scaled by blob 2 (the moving-average
 * factor: mean = blob0 / blob2, 0 meaning 0); at test time it is a
 * per-channel Multiply and Add, which the linear fusing pass merges with a
 * following Scale and into the convolution before it.  MVN adds eps to the
 * standard deviation (outside the root), Normalize (SSD) to the sum of
 * squares, BatchNorm to the variance. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "caffe.h"

/* The C values of Const blob v into out (C of them), or false (b failed). */
static bool blob_values(struct mo_build *b, struct mo_value v, const char *what, int64_t C, double *out)
{
    struct mo_tensor *t = mo_value_const(v);
    if (!mo_build_ok(b))
        return false;
    if (!t || mo_tensor_numel(t) != C) {
        mo_build_error(b, MO_ERR_SHAPE, 2, "%s has %lld values for %lld channels: the caffemodel does not match",
                       what, t ? (long long)mo_tensor_numel(t) : -1LL, (long long)C);
        return false;
    }
    for (int64_t i = 0; i < C; i++)
        out[i] = mo_tensor_get_f64(t, i);
    return true;
}

static enum mo_status tr_batch_norm(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_shape xs = mo_value_shape(x);
    double eps = mo_node_get_float(fw, "eps", 1e-5, NULL);
    if (xs.rank < 2 || xs.dims[1] <= 0)
        return mo_build_error(b, MO_ERR_SHAPE, 0, "needs an input with known channels; give --input_shape");
    if (!mo_node_get_bool(fw, "use_global_stats", true, NULL)) {
        /* statistics of the batch itself, over every axis but channels */
        int64_t axes[MO_MAX_RANK];
        int n = 0;
        for (int i = 0; i < xs.rank; i++)
            if (i != 1)
                axes[n++] = i;
        struct mo_value ax = mo_build_i64(b, "axes", axes, (size_t)n);
        struct mo_value y = mo_build_op(b, "MVN", NULL, 2, x, ax);
        mo_build_set_bool(b, y, "normalize_variance", true);
        mo_build_set_float(b, y, "eps", eps);
        return mo_build_done(b, mo_build_set_str(b, y, "eps_mode", "inside_sqrt"));
    }
    int64_t C = xs.dims[1];
    struct mo_value mean = mo_cf_blob(b, 0, "mean");
    struct mo_value var = mo_cf_blob(b, 1, "variance");
    double factor = 1;
    if (mo_cf_n_blobs(fw) > 2) {
        double sf;
        if (!blob_values(b, mo_cf_blob(b, 2, "scale factor"), "the scale factor (blob 2)", 1, &sf))
            return mo_build_status(b);
        factor = sf == 0 ? 0 : 1 / sf;
    }
    double *m = calloc((size_t)C, sizeof *m), *v = calloc((size_t)C, sizeof *v);
    if (!m || !v) {
        free(m);
        free(v);
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    }
    if (blob_values(b, mean, "the mean (blob 0)", C, m) && blob_values(b, var, "the variance (blob 1)", C, v)) {
        for (int64_t c = 0; c < C; c++) {
            double s = 1 / sqrt(v[c] * factor + eps);
            v[c] = s;
            m[c] = -m[c] * factor * s;
        }
        struct mo_shape cs = mo_shape_make(1, &C);
        struct mo_value sc = mo_build_const(b, "scale", MO_ET_F32, &cs, v);
        struct mo_value sh = mo_build_const(b, "shift", MO_ET_F32, &cs, m);
        sc = mo_cf_along(b, "scale/along", sc, 1, xs.rank);
        sh = mo_cf_along(b, "shift/along", sh, 1, xs.rank);
        struct mo_value y = mo_build_op(b, "Multiply", "mul", 2, x, sc);
        y = mo_build_op(b, "Add", NULL, 2, y, sh);
        mo_build_done(b, y);
    }
    free(m);
    free(v);
    return mo_build_status(b);
}

/* Scale (user NULL: y = x * s (+ bias)) and Bias (y = x + bias), with the
 * parameter a second bottom or the layer's blob. */
static enum mo_status tr_scale_bias(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    bool is_bias = user != NULL;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int rank = mo_value_shape(x).rank;
    int axis = mo_cf_axis(b, mo_node_get_int(fw, "axis", 1, NULL), rank);
    bool two = mo_cf_n_bottoms(fw) > 1;
    unsigned k = 0;
    struct mo_value p = two ? mo_build_in(b, 1, is_bias ? "bias" : "scale") : mo_cf_blob(b, k++, is_bias ? "bias" : "scale");
    /* a one-element parameter is a scalar whatever its shape says */
    struct mo_shape ps = mo_value_shape(p);
    if (mo_build_ok(b) && ps.rank >= 0 && mo_shape_numel(&ps) == 1 && ps.rank + axis > rank) {
        struct mo_shape s0 = mo_shape_scalar();
        p = mo_build_reshape_value(b, "scalar", p, &s0);
    }
    struct mo_value pa = mo_cf_along(b, "along", p, axis, rank);
    if (is_bias)
        return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, x, pa));
    bool bias = mo_node_get_bool(fw, "bias_term", false, NULL);
    struct mo_value y = mo_build_op(b, "Multiply", bias ? "mul" : NULL, 2, x, pa);
    if (bias) {
        struct mo_value bv = mo_cf_blob(b, k, "bias");
        struct mo_shape bs = mo_value_shape(bv);
        if (mo_build_ok(b) && bs.rank >= 0 && mo_shape_numel(&bs) == 1 && bs.rank + axis > rank) {
            struct mo_shape s0 = mo_shape_scalar();
            bv = mo_build_reshape_value(b, "bias/scalar", bv, &s0);
        }
        bv = mo_cf_along(b, "bias/along", bv, axis, rank);
        y = mo_build_op(b, "Add", NULL, 2, y, bv);
    }
    return mo_build_done(b, y);
}

static enum mo_status tr_lrn(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    const char *region = mo_node_get_str(fw, "norm_region", "ACROSS_CHANNELS");
    bool within = !strcmp(region, "WITHIN_CHANNEL");
    if (!within && strcmp(region, "ACROSS_CHANNELS"))
        return mo_build_fail(b, "norm_region %s is unknown", region);
    /* within a channel Caffe adds 1, not k, to the windowed mean */
    static const int64_t across[] = {1}, spatial[] = {2, 3};
    struct mo_value ax = within ? mo_build_i64(b, "axes", spatial, 2) : mo_build_i64(b, "axes", across, 1);
    struct mo_value y = mo_build_op(b, "LRN", NULL, 2, x, ax);
    mo_build_set_float(b, y, "alpha", mo_node_get_float(fw, "alpha", 1, NULL));
    mo_build_set_float(b, y, "beta", mo_node_get_float(fw, "beta", 0.75, NULL));
    mo_build_set_float(b, y, "bias", within ? 1.0 : mo_node_get_float(fw, "k", 1, NULL));
    mo_build_set_int(b, y, "size", mo_node_get_int(fw, "local_size", 5, NULL));
    return mo_build_done(b, y);
}

static enum mo_status tr_mvn(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int rank = mo_value_shape(x).rank;
    if (rank < 2)
        return mo_build_error(b, MO_ERR_SHAPE, 0, "needs an input of rank 2 or more; give --input_shape");
    int64_t axes[MO_MAX_RANK];
    int n = 0;
    for (int i = mo_node_get_bool(fw, "across_channels", false, NULL) ? 1 : 2; i < rank; i++)
        axes[n++] = i;
    struct mo_value ax = mo_build_i64(b, "axes", axes, (size_t)n);
    struct mo_value y = mo_build_op(b, "MVN", NULL, 2, x, ax);
    mo_build_set_bool(b, y, "normalize_variance", mo_node_get_bool(fw, "normalize_variance", true, NULL));
    mo_build_set_float(b, y, "eps", mo_node_get_float(fw, "eps", 1e-9, NULL));
    return mo_build_done(b, mo_build_set_str(b, y, "eps_mode", "outside_sqrt"));
}

static enum mo_status tr_normalize(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value s = mo_cf_blob(b, 0, "scale");
    int rank = mo_value_shape(x).rank;
    if (rank < 2)
        return mo_build_error(b, MO_ERR_SHAPE, 0, "needs an input of rank 2 or more; give --input_shape");
    int64_t axes[MO_MAX_RANK];
    int n = 0;
    bool spatial = mo_node_get_bool(fw, "across_spatial", true, NULL);
    for (int i = 1; i < (spatial ? rank : 2); i++)
        axes[n++] = i;
    struct mo_value ax = mo_build_i64(b, "axes", axes, (size_t)n);
    struct mo_value y = mo_build_op(b, "NormalizeL2", "norm", 2, x, ax);
    mo_build_set_float(b, y, "eps", mo_node_get_float(fw, "eps", 1e-10, NULL));
    mo_build_set_str(b, y, "eps_mode", "add");
    struct mo_shape ss = mo_value_shape(s);
    if (mo_build_ok(b) && mo_shape_numel(&ss) == 1) {
        struct mo_shape s0 = mo_shape_scalar();
        s = mo_build_reshape_value(b, "scale", s, &s0);
    } else {
        int64_t c = mo_shape_numel(&ss);
        struct mo_shape s1 = mo_shape_make(1, &c);
        s = mo_build_reshape_value(b, "scale", s, &s1);
        s = mo_cf_along(b, "scale/along", s, 1, rank);
    }
    return mo_build_done(b, mo_build_op(b, "Multiply", NULL, 2, y, s));
}

static enum mo_status tr_softmax(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int axis = mo_cf_axis(b, mo_node_get_int(fw, "axis", 1, NULL), mo_value_shape(x).rank);
    return mo_build_done(b, mo_build_set_int(b, mo_build_op(b, "Softmax", NULL, 1, x), "axis", axis));
}

/* Reduction over every axis from `axis` on (Caffe reduces only tails):
 * SUM, ASUM (L1), SUMSQ, MEAN, times coeff. */
static enum mo_status tr_reduction(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int rank = mo_value_shape(x).rank;
    int axis = mo_cf_axis(b, mo_node_get_int(fw, "axis", 0, NULL), rank);
    const char *op = mo_node_get_str(fw, "operation", "SUM");
    double coeff = mo_node_get_float(fw, "coeff", 1, NULL);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int64_t axes[MO_MAX_RANK];
    int n = 0;
    for (int i = axis; i < rank; i++)
        axes[n++] = i;
    const char *type = !strcmp(op, "SUM") || !strcmp(op, "SUMSQ") ? "ReduceSum"
                       : !strcmp(op, "ASUM")                     ? "ReduceL1"
                       : !strcmp(op, "MEAN")                     ? "ReduceMean"
                                                                 : NULL;
    if (!type)
        return mo_build_fail(b, "operation %s is unknown", op);
    if (!strcmp(op, "SUMSQ"))
        x = mo_build_op(b, "Multiply", "square", 2, x, x);
    struct mo_value ax = mo_build_i64(b, "axes", axes, (size_t)n);
    struct mo_value y = mo_build_op(b, type, coeff == 1 ? NULL : "reduce", 2, x, ax);
    mo_build_set_bool(b, y, "keep_dims", false);
    if (coeff != 1) {
        struct mo_value c = mo_build_scalar(b, "coeff", mo_value_et(x), coeff);
        y = mo_build_op(b, "Multiply", NULL, 2, y, c);
    }
    return mo_build_done(b, y);
}

MO_CF_TABLE(mo_cf_tr_norm,
            {"BatchNorm", tr_batch_norm, NULL},
            {"Scale", tr_scale_bias, NULL},
            {"Bias", tr_scale_bias, "bias"},
            {"LRN", tr_lrn, NULL},
            {"MVN", tr_mvn, NULL},
            {"Normalize", tr_normalize, NULL},
            {"Softmax", tr_softmax, NULL},
            {"Reduction", tr_reduction, NULL});
