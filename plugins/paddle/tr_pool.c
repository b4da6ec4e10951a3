/* tr_pool.c - pool2d, pool3d, max_pool2d_with_index, max_pool3d_with_index:
 * max/avg, global, adaptive, SAME/VALID padding, ceil_mode, channels-last.
 *
 * With static spatial dims the pads are made explicit and the end pads
 * grown until Paddle's output size comes out of floor rounding: every
 * window then lies inside the padded input, which gives Paddle's results
 * for ceil_mode (also a kernel larger than the padded input).  Without
 * static dims ceil_mode becomes floor over s - 1 more end pads.  A
 * non-exclusive average (Paddle divides by the window clipped to the
 * padded input; the runtime's counts a ceil window's overhang) is an
 * exclusive one over explicitly zero-padded input.  The adaptive pools
 * are the IR's AdaptiveAvgPool/AdaptiveMaxPool-8 unless the sizes divide. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "paddle.h"

#define MAX_SP MO_PD_MAX_SPATIAL

/* Global pooling: a reduction over the spatial dims. */
static struct mo_value reduce_spatial(struct mo_build *b, bool is_max, struct mo_value x, int nsp)
{
    int64_t ax[MAX_SP];
    for (int i = 0; i < nsp; i++)
        ax[i] = 2 + i;
    struct mo_value a = mo_build_i64(b, "axes", ax, (size_t)nsp);
    struct mo_value r = mo_build_op(b, is_max ? "ReduceMax" : "ReduceMean", NULL, 2, x, a);
    return mo_build_set_bool(b, r, "keep_dims", true);
}

/* x with zeros padded on spatial dims (pb[i] before, pe[i] after); pb is
 * cleared: the pooling that follows has no begin pads left. */
static struct mo_value zero_pad_as(struct mo_build *b, const char *sfx, struct mo_value x, int64_t *pb,
                                   const int64_t *pe, int nsp)
{
    int64_t zb[MAX_SP + 2] = {0}, ze[MAX_SP + 2] = {0};
    bool any = false;
    for (int i = 0; i < nsp; i++) {
        zb[2 + i] = pb[i], ze[2 + i] = pe[i];
        any = any || pb[i] || pe[i];
        pb[i] = 0;
    }
    if (!any)
        return x;
    char n[3][64];
    snprintf(n[0], sizeof n[0], "%s/begin", sfx);
    snprintf(n[1], sizeof n[1], "%s/end", sfx);
    snprintf(n[2], sizeof n[2], "%s/value", sfx);
    struct mo_value cb = mo_build_i64(b, n[0], zb, (size_t)nsp + 2);
    struct mo_value ce = mo_build_i64(b, n[1], ze, (size_t)nsp + 2);
    struct mo_value cv = mo_build_scalar(b, n[2], mo_value_et(x), 0);
    struct mo_value y = mo_build_op(b, "Pad", sfx, 4, x, cb, ce, cv);
    return mo_build_set_str(b, y, "pad_mode", "constant");
}

static struct mo_value zero_pad(struct mo_build *b, struct mo_value x, int64_t *pb,
                                const int64_t *pe, int nsp)
{
    return zero_pad_as(b, "zero_pad", x, pb, pe, nsp);
}

/* An exclusive average whose pads cover a whole window, which the runtime
 * refuses: the average of the zero-padded input over that of a padded mask
 * of ones (both without pads of their own), which is Paddle's sum over the
 * count of real elements, and its NaN where a window holds none. */
static struct mo_value masked_average(struct mo_build *b, struct mo_value x, const int64_t *k,
                                      const int64_t *s, const int64_t *pb, const int64_t *pe, int nsp)
{
    int64_t b1[MAX_SP], b2[MAX_SP], zero[MAX_SP] = {0};
    memcpy(b1, pb, sizeof b1);
    memcpy(b2, pb, sizeof b2);
    struct mo_value shape = mo_build_shape_of(b, "ones/shape", x, MO_ET_I64);
    struct mo_value one = mo_build_scalar(b, "ones/value", mo_value_et(x), 1);
    struct mo_value ones = mo_build_op(b, "Broadcast", "ones", 2, one, shape);
    struct mo_value v[2] = {zero_pad_as(b, "sum_pad", x, b1, pe, nsp),
                            zero_pad_as(b, "count_pad", ones, b2, pe, nsp)};
    static const char *const sfx[2] = {"sum", "count"};
    for (int i = 0; i < 2; i++) {
        v[i] = mo_build_op(b, "AvgPool", sfx[i], 1, v[i]);
        mo_build_set_ints(b, v[i], "kernel", k, (size_t)nsp);
        mo_build_set_ints(b, v[i], "strides", s, (size_t)nsp);
        mo_build_set_ints(b, v[i], "pads_begin", zero, (size_t)nsp);
        mo_build_set_ints(b, v[i], "pads_end", zero, (size_t)nsp);
        mo_build_set_str(b, v[i], "auto_pad", "explicit");
        mo_build_set_str(b, v[i], "rounding_type", "floor");
        mo_build_set_bool(b, v[i], "exclude-pad", false);
    }
    return mo_build_op(b, "Divide", NULL, 2, v[0], v[1]);
}

/* An int list attribute of nsp values; one value stands for all. */
/* mode: the number of spatial dims, plus WITH_INDEX for the ops that also
 * return the Mask of the maxima. */
#define WITH_INDEX 16

static enum mo_status pool(struct mo_tctx *t, const struct mo_node *fw, int mode,
                           struct mo_error *err)
{
    int nsp = mode & 3;
    bool with_index = mode & WITH_INDEX;
    struct mo_build *b = mo_build_begin(t, fw, err);
    int rank = nsp + 2;
    const char *df = mo_node_get_str(fw, "data_format", nsp == 2 ? "NCHW" : "NCDHW");
    bool last = !strcmp(df, "NHWC") || !strcmp(df, "NDHWC");
    /* older programs say AnyLayout for channels-first */
    if (!last && strcmp(df, "NCHW") && strcmp(df, "NCDHW") && strcmp(df, "AnyLayout"))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "data_format '%s' is not one of NCHW, NHWC, NCDHW, NDHWC", df);
    struct mo_value x = mo_pd_in(b, "X", 0);
    if (last)
        x = mo_build_to_nchw(b, NULL, x, rank);
    const char *ptype = mo_node_get_str(fw, "pooling_type", "max");
    if (strcmp(ptype, "max") && strcmp(ptype, "avg"))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "pooling_type '%s' is not max or avg",
                              ptype);
    bool is_max = with_index || !strcmp(ptype, "max");
    bool global = mo_node_get_bool(fw, "global_pooling", false, NULL);
    bool adaptive = mo_node_get_bool(fw, "adaptive", false, NULL);
    bool ceil_mode = mo_node_get_bool(fw, "ceil_mode", false, NULL);
    bool exclusive = mo_node_get_bool(fw, "exclusive", true, NULL);
    const char *alg = mo_node_get_str(fw, "padding_algorithm", "EXPLICIT");
    bool same = !strcmp(alg, "SAME"), valid = !strcmp(alg, "VALID");
    if (!same && !valid && strcmp(alg, "EXPLICIT"))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "padding_algorithm '%s' is not EXPLICIT, SAME or VALID", alg);
    int64_t k[MAX_SP], s[MAX_SP], pb[MAX_SP], pe[MAX_SP];
    if (!mo_pd_spatial_ints(b, "ksize", k, nsp, 1) || !mo_pd_spatial_ints(b, "strides", s, nsp, 1))
        return mo_build_status(b);
    if (!mo_pd_paddings(b, nsp, pb, pe))
        return mo_build_status(b);
    for (int i = 0; i < nsp; i++) {
        if (k[i] <= 0 || s[i] <= 0 || pb[i] < 0 || pe[i] < 0)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                  "ksize and strides must be positive, paddings not negative");
    }
    struct mo_shape xs = mo_value_shape(x);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (xs.rank >= 0 && xs.rank != rank)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "%d-D pooling needs a rank-%d input, got %d", nsp, rank, xs.rank);
    bool ones = true, stat = xs.rank == rank, divides = stat;
    for (int i = 0; i < nsp; i++) {
        ones = ones && k[i] == 1;
        stat = stat && xs.dims[2 + i] >= 0;
        divides = divides && stat && xs.dims[2 + i] % k[i] == 0;
    }
    struct mo_value y, mask = MO_NO_VALUE;
    if (global && !with_index) {
        y = reduce_spatial(b, is_max, x, nsp);
    } else if (adaptive && ones && !with_index) {
        y = reduce_spatial(b, is_max, x, nsp);
    } else if (global || (adaptive && (with_index || !divides))) {
        /* bins [floor(i*in/out), ceil((i+1)*in/out)): the IR's adaptive pools */
        if (global)
            for (int i = 0; i < nsp; i++)
                k[i] = 1;
        struct mo_value osz = mo_build_i64(b, "output_shape", k, (size_t)nsp);
        y = mo_build_op(b, is_max ? "AdaptiveMaxPool" : "AdaptiveAvgPool", NULL, 2, x, osz);
        if (is_max) {
            /* Paddle's Mask is int32, flat within each channel as the IR's */
            mo_build_set_str(b, y, "index_element_type", "i32");
            mask = mo_val(y.node, 1);
        }
    } else {
        const char *auto_pad = "explicit";
        if (adaptive) {
            /* the bins of a dividing size are a plain pooling */
            for (int i = 0; i < nsp; i++) {
                s[i] = xs.dims[2 + i] / k[i];
                k[i] = s[i];
                pb[i] = pe[i] = 0;
            }
            ceil_mode = false;
        } else if (valid) {
            for (int i = 0; i < nsp; i++)
                pb[i] = pe[i] = 0;
        } else if (same && !stat) {
            auto_pad = "same_upper";
            ceil_mode = false;
        }
        if (stat) {
            for (int i = 0; i < nsp; i++) {
                int64_t in = xs.dims[2 + i];
                if (same) {
                    /* Paddle's SAME: out = ceil(in / s), the extra pad at the end */
                    int64_t o = (in + s[i] - 1) / s[i];
                    int64_t sum = (o - 1) * s[i] + k[i] - in;
                    sum = sum > 0 ? sum : 0;
                    pb[i] = sum / 2, pe[i] = sum - sum / 2;
                }
                /* Paddle's size, C division included (a kernel a little larger than
                 * the padded input still gives one window) */
                int64_t num = in + pb[i] + pe[i] - k[i];
                int64_t o = (num + (ceil_mode ? s[i] - 1 : 0)) / s[i] + 1;
                if (o < 1)
                    return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                          "ksize %lld leaves no output for the padded input %lld",
                                          (long long)k[i], (long long)(in + pb[i] + pe[i]));
                int64_t need = (o - 1) * s[i] + k[i] - in - pb[i];
                if (need > pe[i])
                    pe[i] = need;
            }
            ceil_mode = false;
            if (!is_max && !exclusive) {
                /* Paddle divides by the window clipped to [-pb, in + pb) (the
                 * begin pad at both ends); the IR's non-exclusive average
                 * counts a window's overhang past the pads too.  Zeros padded
                 * on explicitly, then an exclusive average, give Paddle's. */
                int64_t ze[MAX_SP];
                for (int i = 0; i < nsp; i++) {
                    /* no more end zeros than the windows reach */
                    ze[i] = pe[i] < pb[i] ? pe[i] : pb[i];
                    pe[i] -= ze[i];
                }
                x = zero_pad(b, x, pb, ze, nsp);
                exclusive = true;
            }
        } else if (strcmp(auto_pad, "same_upper")) {
            if (!is_max && !exclusive) {
                /* the same without static dims: Paddle's clip end is in + pb
                 * when pe >= pb (else in + pe, where the sizes need it) */
                int64_t ze[MAX_SP];
                for (int i = 0; i < nsp; i++) {
                    ze[i] = pe[i] < pb[i] ? pe[i] : pb[i];
                    pe[i] -= ze[i];
                }
                x = zero_pad(b, x, pb, ze, nsp);
                exclusive = true;
            }
            /* ceil as floor over s - 1 more end pads: the IR's average counts
             * a ceil window's overhang past the pads, its pads it excludes */
            if (ceil_mode)
                for (int i = 0; i < nsp; i++)
                    pe[i] += s[i] - 1;
            ceil_mode = false;
        }
        bool covered = false;
        for (int i = 0; i < nsp; i++)
            covered = covered || pb[i] >= k[i] || pe[i] >= k[i];
        if (!is_max && exclusive && covered && strcmp(auto_pad, "same_upper")) {
            y = masked_average(b, x, k, s, pb, pe, nsp);
            goto done;
        }
        const char *type = with_index ? "MaxPool-8" : is_max ? "MaxPool" : "AvgPool";
        y = mo_build_op(b, type, NULL, 1, x);
        mo_build_set_ints(b, y, "kernel", k, (size_t)nsp);
        mo_build_set_ints(b, y, "strides", s, (size_t)nsp);
        mo_build_set_ints(b, y, "pads_begin", pb, (size_t)nsp);
        mo_build_set_ints(b, y, "pads_end", pe, (size_t)nsp);
        mo_build_set_str(b, y, "auto_pad", auto_pad);
        mo_build_set_str(b, y, "rounding_type", ceil_mode ? "ceil" : "floor");
        if (!is_max)
            mo_build_set_bool(b, y, "exclude-pad", exclusive);
        if (with_index) {
            const int64_t one[MAX_SP] = {1, 1, 1};
            mo_build_set_ints(b, y, "dilations", one, (size_t)nsp);
            /* indices flat over the spatial dims of each channel, as Mask */
            mo_build_set_int(b, y, "axis", 2);
            mo_build_set_str(b, y, "index_element_type", "i32");
            mask = mo_val(y.node, 1);
        }
    }
done:
    if (last) {
        y = mo_build_to_nhwc(b, NULL, y, rank);
        if (mask.node)
            mask = mo_build_to_nhwc(b, "mask", mask, rank);
    }
    mo_pd_set_out(b, "Out", y);
    return mask.node ? mo_pd_set_out(b, "Mask", mask) : mo_build_status(b);
}

MO_PD_VARIANT(tr_pool2d, pool, 2)
MO_PD_VARIANT(tr_pool3d, pool, 3)
MO_PD_VARIANT(tr_max_pool2d_with_index, pool, 2 | WITH_INDEX)
MO_PD_VARIANT(tr_max_pool3d_with_index, pool, 3 | WITH_INDEX)

MO_PD_TABLE(mo_pd_tr_pool,
            {"pool2d", tr_pool2d},
            {"pool3d", tr_pool3d},
            {"max_pool2d_with_index", tr_max_pool2d_with_index},
            {"max_pool3d_with_index", tr_max_pool3d_with_index});
