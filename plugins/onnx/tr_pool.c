/* tr_pool.c - MaxPool (with Indices), AveragePool, LpPool, their global
 * forms, and MaxUnpool. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "onnx.h"

/* The window attributes every pooling op shares: kernel_shape (required),
 * strides and dilations (1 when absent).  Returns the spatial rank, 0 when
 * b failed. */
static int window(struct mo_build *b, const struct mo_node *fw, int64_t *k, int64_t *s, int64_t *d)
{
    int sp = mo_node_get_ints(fw, "kernel_shape", k, MO_MAX_RANK);
    if (sp <= 0)
        return mo_build_fail(b, "kernel_shape is missing"), 0;
    for (int i = 0; i < sp; i++)
        s[i] = d[i] = 1;
    if (mo_node_attr(fw, "strides") && mo_node_get_ints(fw, "strides", s, MO_MAX_RANK) != sp)
        return mo_build_fail(b, "strides has the wrong number of values for %d spatial dims", sp), 0;
    if (mo_node_attr(fw, "dilations") && mo_node_get_ints(fw, "dilations", d, MO_MAX_RANK) != sp)
        return mo_build_fail(b, "dilations has the wrong number of values for %d spatial dims", sp), 0;
    return mo_build_ok(b) ? sp : 0;
}

static bool dilated(const int64_t *d, int sp)
{
    for (int i = 0; i < sp; i++)
        if (d[i] != 1)
            return true;
    return false;
}

/* ceil_mode drops a last window that would start in the end padding (the
 * ONNX spec, after PyTorch): the IR's ceil_torch, from opset 14 of the
 * pooling ops. */
static bool ceil_mode(const struct mo_node *fw)
{
    return mo_node_get_int(fw, "ceil_mode", 0, NULL) != 0;
}

/* For ceil_mode, where the IR's divisor of a window that runs past the
 * end padding is not ONNX's (OpenVINO divides by the whole kernel when
 * pads are given), the averages are taken over the real elements only
 * (exclude-pad) and rescaled by a constant [1, 1, out...]:
 *   incl: ONNX's divisor counts the padding but not what lies past it,
 *         so the factor is real / min(start + k, in + pad_end) - start;
 *   sum:  the factor is the count of real elements (LpPool's sum).
 * Needs static spatial dims; returns MO_NO_VALUE (b failed) otherwise. */
static struct mo_value ceil_factor(struct mo_build *b, struct mo_value x, int sp, const int64_t *k,
                                   const int64_t *s, bool sum)
{
    const struct mo_node *fw = mo_build_fw(b);
    struct mo_shape xs = mo_value_shape(x);
    int64_t pads[2 * MO_MAX_RANK] = {0};
    if (!mo_build_ok(b))
        return MO_NO_VALUE;
    if (xs.rank != sp + 2 || !mo_shape_is_static(&xs))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "ceil_mode with padding counted needs static "
                              "spatial dims; give them with --input_shape"), MO_NO_VALUE;
    if (strcmp(mo_node_get_str(fw, "auto_pad", "NOTSET"), "NOTSET") == 0)
        mo_node_get_ints(fw, "pads", pads, 2 * MO_MAX_RANK);
    struct mo_shape os = {sp + 2, {1, 1}};
    int64_t total = 1;
    for (int i = 0; i < sp; i++) {
        int64_t in = xs.dims[2 + i], pb = pads[i], pe = pads[sp + i];
        int64_t o = (in + pb + pe - k[i] + s[i] - 1) / s[i] + 1;
        if ((o - 1) * s[i] >= in + pb)
            o--;
        if (o < 1)
            return mo_build_fail(b, "the kernel is larger than the padded input"), MO_NO_VALUE;
        os.dims[2 + i] = o;
        total *= o;
    }
    double *f = mo_graph_alloc(mo_build_graph(b), (size_t)total * sizeof *f);
    if (!f)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory"), MO_NO_VALUE;
    for (int64_t e = 0; e < total; e++) {
        double v = 1;
        int64_t rest = e;
        for (int i = sp - 1; i >= 0; i--) {
            int64_t o = os.dims[2 + i], j = rest % o;
            rest /= o;
            int64_t in = xs.dims[2 + i], start = j * s[i] - pads[i], end = start + k[i];
            int64_t lim = in + pads[sp + i];
            int64_t real = (end < in ? end : in) - (start > 0 ? start : 0);
            int64_t counted = (end < lim ? end : lim) - start;
            v *= sum ? (double)real : (double)real / (double)counted;
        }
        f[e] = v;
    }
    return mo_build_const(b, "ceil_factor", mo_value_et(x), &os, f);
}

/* Row-major flat indices into [N, C, D1..Dn] made column-major over the
 * spatial dims (storage_order 1): the (n, c) plane stays, the position in
 * it becomes sum_i c_i * prod_{j<i} D_j. */
static struct mo_value column_major(struct mo_build *b, struct mo_value idx, const struct mo_shape *xs)
{
    int sp = xs->rank - 2;
    int64_t plane = 1;
    if (sp < 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "storage_order=1 needs the input's rank"), MO_NO_VALUE;
    for (int i = 0; i < sp; i++) {
        if (xs->dims[2 + i] < 0)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "storage_order=1 needs static spatial dims; give "
                                   "them with --input_shape"),
                   MO_NO_VALUE;
        plane *= xs->dims[2 + i];
    }
    struct mo_value p = mo_build_scalar(b, "plane", MO_ET_I64, (double)plane);
    struct mo_value base = mo_build_op(b, "Divide", "plane_index", 2, idx, p);
    base = mo_build_op(b, "Multiply", "plane_start", 2, base, p);
    struct mo_value r = mo_build_op(b, "FloorMod", "in_plane", 2, idx, p);
    struct mo_value acc = base;
    int64_t stride = plane;
    /* coordinate i (last first) counts stride_cm(i) = prod_{j<i} D_j */
    for (int i = sp - 1; i >= 0; i--) {
        int64_t di = xs->dims[2 + i];
        stride /= di;
        char sfx[32];
        snprintf(sfx, sizeof sfx, "dim%d", i);
        struct mo_value dv = mo_build_scalar(b, sfx, MO_ET_I64, (double)di);
        snprintf(sfx, sizeof sfx, "coord%d", i);
        struct mo_value c = i ? mo_build_op(b, "FloorMod", sfx, 2, r, dv) : r;
        if (i) {
            snprintf(sfx, sizeof sfx, "rest%d", i);
            r = mo_build_op(b, "Divide", sfx, 2, r, dv);
        }
        snprintf(sfx, sizeof sfx, "stride%d", i);
        struct mo_value sv = mo_build_scalar(b, sfx, MO_ET_I64, (double)stride);
        snprintf(sfx, sizeof sfx, "term%d", i);
        struct mo_value term = mo_build_op(b, "Multiply", sfx, 2, c, sv);
        snprintf(sfx, sizeof sfx, "sum%d", i);
        acc = mo_build_op(b, "Add", i ? sfx : "indices", 2, acc, term);
    }
    return acc;
}

/* MaxPool: dilations (opset 10), the optional Indices output (8; flat over
 * the whole input, as the IR's MaxPool-8 with axis 0 counts them). */
static enum mo_status tr_maxpool(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    int64_t k[MO_MAX_RANK], s[MO_MAX_RANK], d[MO_MAX_RANK];
    int sp = window(b, fw, k, s, d);
    if (!sp)
        return mo_build_status(b);
    bool want_idx = fw->n_outputs > 1 && fw->outputs[1].n_names;
    bool ceil = ceil_mode(fw);
    const char *type = ceil ? "MaxPool-14" : want_idx || dilated(d, sp) ? "MaxPool-8" : "MaxPool";
    struct mo_value y = mo_build_op(b, type, NULL, 1, x);
    mo_build_set_ints(b, y, "kernel", k, (size_t)sp);
    mo_build_set_ints(b, y, "strides", s, (size_t)sp);
    if (strcmp(type, "MaxPool")) {
        mo_build_set_ints(b, y, "dilations", d, (size_t)sp);
        mo_build_set_str(b, y, "index_element_type", "i64");
        mo_build_set_int(b, y, "axis", 0);
    }
    mo_ox_set_pads(b, y, sp);
    mo_build_set_str(b, y, "rounding_type", ceil ? "ceil_torch" : "floor");
    if (!want_idx || !y.node)
        return mo_build_done(b, y);
    mo_build_output(b, 0, y);
    struct mo_value idx = mo_val(y.node, 1);
    if (mo_node_get_int(fw, "storage_order", 0, NULL)) {
        struct mo_shape xs = mo_value_shape(x);
        idx = column_major(b, idx, &xs);
    }
    mo_build_output(b, 1, idx);
    return mo_build_done(b, MO_NO_VALUE);
}

/* AvgPool of x with the node's window, pads and ceil_mode. */
static struct mo_value avgpool(struct mo_build *b, struct mo_value x, const char *sfx, int sp, const int64_t *k,
                               const int64_t *s, bool ceil, bool exclude_pad)
{
    struct mo_value y = mo_build_op(b, ceil ? "AvgPool-14" : "AvgPool", sfx, 1, x);
    mo_build_set_ints(b, y, "kernel", k, (size_t)sp);
    mo_build_set_ints(b, y, "strides", s, (size_t)sp);
    mo_ox_set_pads(b, y, sp);
    mo_build_set_str(b, y, "rounding_type", ceil ? "ceil_torch" : "floor");
    return mo_build_set_bool(b, y, "exclude-pad", exclude_pad);
}

static enum mo_status tr_avgpool(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    int64_t k[MO_MAX_RANK], s[MO_MAX_RANK], d[MO_MAX_RANK];
    int sp = window(b, fw, k, s, d);
    if (!sp)
        return mo_build_status(b);
    if (dilated(d, sp))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "AveragePool with dilations has no IR counterpart");
    bool ceil = ceil_mode(fw), incl = mo_node_get_int(fw, "count_include_pad", 0, NULL) != 0;
    bool rescale = ceil && incl;
    struct mo_value y = avgpool(b, x, rescale ? "mean_real" : NULL, sp, k, s, ceil, !incl || rescale);
    if (!rescale)
        return mo_build_done(b, y);
    struct mo_value f = ceil_factor(b, x, sp, k, s, false);
    return mo_build_done(b, mo_build_op(b, "Multiply", NULL, 2, y, f));
}

/* |x|^p: the first step of the Lp pools. */
static struct mo_value abs_pow(struct mo_build *b, struct mo_value x, double p)
{
    if (p == 2.0)
        return mo_build_op(b, "Multiply", "square", 2, x, x);
    struct mo_value a = mo_build_op(b, "Abs", "abs", 1, x);
    if (p == 1.0)
        return a;
    struct mo_value pv = mo_build_scalar(b, "p", mo_value_et(x), p);
    return mo_build_op(b, "Power", "pow", 2, a, pv);
}

/* s^(1/p): the last step. */
static struct mo_value root(struct mo_build *b, struct mo_value s, double p)
{
    if (p == 1.0)
        return s;
    if (p == 2.0)
        return mo_build_op(b, "Sqrt", NULL, 1, s);
    struct mo_value inv = mo_build_scalar(b, "inv_p", mo_value_et(s), 1.0 / p);
    return mo_build_op(b, "Power", NULL, 2, s, inv);
}

/* p: a float attribute in opset 1, an int from 2; 2 by default. */
static double lp_p(struct mo_build *b, const struct mo_node *fw)
{
    double p = mo_node_get_float(fw, "p", 2.0, NULL);
    if (!(p > 0.0))
        mo_build_fail(b, "p is %g; it must be positive", p);
    return p;
}

/* LpPool: (sum over the window of |x|^p)^(1/p).  The sum is the average
 * over the window with the padding counted, times the window size; in
 * ceil_mode the average over the real elements times their count. */
/* (A dilated window is summed by a convolution instead.) */
static enum mo_status tr_lppool(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    double p = lp_p(b, fw);
    int64_t k[MO_MAX_RANK], s[MO_MAX_RANK], d[MO_MAX_RANK];
    int sp = window(b, fw, k, s, d);
    if (!sp)
        return mo_build_status(b);
    double size = 1;
    for (int i = 0; i < sp; i++)
        size *= (double)k[i];
    bool ceil = ceil_mode(fw);
    struct mo_value xp = abs_pow(b, x, p);
    if (dilated(d, sp)) {
        /* no dilated average pooling in the IR: a depthwise convolution by
         * ones sums the dilated window (zero padding, as pooling pads) */
        struct mo_shape xs = mo_value_shape(x);
        if (ceil)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "LpPool with both dilations and ceil_mode has no "
                                  "IR counterpart");
        if (mo_build_ok(b) && (xs.rank != sp + 2 || xs.dims[1] < 0))
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "a dilated LpPool needs a known channel count; "
                                  "give the input's shape with --input_shape");
        if (!mo_build_ok(b))
            return mo_build_status(b);
        struct mo_shape ws = {sp + 3, {xs.dims[1], 1, 1}};
        for (int i = 0; i < sp; i++)
            ws.dims[3 + i] = k[i];
        int64_t cnt = mo_shape_numel(&ws);
        double *ones = mo_graph_alloc(mo_build_graph(b), (size_t)cnt * sizeof *ones);
        if (!ones)
            return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
        for (int64_t i = 0; i < cnt; i++)
            ones[i] = 1.0;
        struct mo_value w = mo_build_const(b, "ones", mo_value_et(x), &ws, ones);
        struct mo_value sum = mo_build_op(b, "GroupConvolution", p == 1.0 ? NULL : "sum", 2, xp, w);
        mo_build_set_ints(b, sum, "strides", s, (size_t)sp);
        mo_build_set_ints(b, sum, "dilations", d, (size_t)sp);
        mo_ox_set_pads(b, sum, sp);
        return mo_build_done(b, root(b, sum, p));
    }
    struct mo_value avg = avgpool(b, xp, "mean", sp, k, s, ceil, ceil);
    struct mo_value n = ceil ? ceil_factor(b, x, sp, k, s, true) : mo_build_scalar(b, "window", mo_value_et(x), size);
    struct mo_value sum = mo_build_op(b, "Multiply", p == 1.0 ? NULL : "sum", 2, avg, n);
    return mo_build_done(b, root(b, sum, p));
}

/* Global pooling: a reduction over every spatial axis, dims kept (user:
 * the reduction; NULL for GlobalLpPool). */
static enum mo_status tr_global(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    int r = mo_value_shape(x).rank;
    if (mo_build_ok(b) && r < 3)
        return mo_build_fail(b, "input has rank %d; global pooling needs [N, C, spatial...]", r);
    int64_t axes[MO_MAX_RANK];
    for (int i = 2; i < r; i++)
        axes[i - 2] = i;
    struct mo_value a = mo_build_i64(b, "axes", axes, r > 2 ? (size_t)(r - 2) : 0);
    const char *type = user;
    double p = 0;
    if (!type) {
        p = lp_p(b, fw);
        type = p == 1.0 ? "ReduceL1" : p == 2.0 ? "ReduceL2" : NULL;
    }
    if (type) {
        struct mo_value y = mo_build_op(b, type, NULL, 2, x, a);
        return mo_build_done(b, mo_build_set_bool(b, y, "keep_dims", true));
    }
    struct mo_value xp = abs_pow(b, x, p);
    struct mo_value sum = mo_build_set_bool(b, mo_build_op(b, "ReduceSum", "sum", 2, xp, a), "keep_dims", true);
    return mo_build_done(b, root(b, sum, p));
}

/* MaxUnpool: X scattered into zeros at the flat positions I (as MaxPool
 * gave them), in a tensor of output_shape (opset 11's input) or of the
 * size the pooling came from: (in - 1) * stride + kernel - pads. */
static enum mo_status tr_maxunpool(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value idx = mo_build_in(b, 1, "I");
    struct mo_value shape = mo_build_in_opt(b, 2);
    int64_t k[MO_MAX_RANK], s[MO_MAX_RANK], d[MO_MAX_RANK], pads[2 * MO_MAX_RANK] = {0};
    int sp = window(b, fw, k, s, d);
    if (!sp)
        return mo_build_status(b);
    int np = mo_node_get_ints(fw, "pads", pads, 2 * MO_MAX_RANK);
    if (np >= 0 && np != 2 * sp)
        return mo_build_fail(b, "pads has %d values for %d spatial dims", np, sp);
    struct mo_shape xs = mo_value_shape(x);
    if (xs.rank >= 0 && xs.rank != sp + 2)
        return mo_build_fail(b, "input has rank %d for %d spatial dims", xs.rank, sp);
    if (!shape.node) {
        int64_t lead[2] = {0, 1}, sp_idx[MO_MAX_RANK], add[MO_MAX_RANK];
        for (int i = 0; i < sp; i++) {
            sp_idx[i] = 2 + i;
            add[i] = k[i] - s[i] - pads[i] - pads[sp + i];
        }
        bool fixed = xs.rank == sp + 2 && mo_shape_is_static(&xs);
        if (fixed) {
            int64_t full[MO_MAX_RANK];
            full[0] = xs.dims[0], full[1] = xs.dims[1];
            for (int i = 0; i < sp; i++)
                full[2 + i] = xs.dims[2 + i] * s[i] + add[i];
            shape = mo_build_i64(b, "output_shape", full, (size_t)sp + 2);
        } else {
            struct mo_value nc = mo_build_dims(b, "batch_channels", x, lead, 2);
            struct mo_value in = mo_build_dims(b, "in_spatial", x, sp_idx, sp);
            struct mo_value sv = mo_build_i64(b, "strides", s, (size_t)sp);
            struct mo_value av = mo_build_i64(b, "extent", add, (size_t)sp);
            struct mo_value sc = mo_build_op(b, "Multiply", "scaled", 2, in, sv);
            struct mo_value out = mo_build_op(b, "Add", "out_spatial", 2, sc, av);
            shape = mo_build_concat(b, "output_shape", 0, 2, (struct mo_value[]){nc, out});
        }
    }
    struct mo_value zero_axis = mo_build_i64(b, "zero_axis", (int64_t[]){0}, 1);
    struct mo_value count = mo_build_op(b, "ReduceProd", "count", 2, shape, zero_axis);
    mo_build_set_bool(b, count, "keep_dims", true);
    struct mo_value zero = mo_build_scalar(b, "zero", mo_value_et(x), 0.0);
    struct mo_value zeros = mo_build_op(b, "Broadcast", "zeros", 2, zero, count);
    struct mo_value fx = mo_build_reshape(b, "flat_x", x, (int64_t[]){-1}, 1, false);
    struct mo_value fi = mo_build_reshape(b, "flat_i", idx, (int64_t[]){-1}, 1, false);
    struct mo_value axis = mo_build_i64_scalar(b, "axis", 0);
    struct mo_value flat = mo_build_op(b, "ScatterUpdate", "scatter", 4, zeros, fi, fx, axis);
    return mo_build_done(b, mo_build_reshape_to(b, NULL, flat, shape, false));
}

MO_OX_TABLE(mo_ox_tr_pool,
    {"MaxPool", 1, tr_maxpool, NULL},
    {"AveragePool", 1, tr_avgpool, NULL},
    {"LpPool", 1, tr_lppool, NULL},
    {"GlobalAveragePool", 1, tr_global, "ReduceMean"},
    {"GlobalMaxPool", 1, tr_global, "ReduceMax"},
    {"GlobalLpPool", 1, tr_global, NULL},
    {"MaxUnpool", 9, tr_maxunpool, NULL},
)
