/* tr_pool.c - pool2d: max/avg, global, adaptive, SAME/VALID padding. */
#include <config.h>

#include <string.h>

#include "paddle.h"

static enum mo_status reduce_spatial(struct mo_tctx *t, bool is_max, struct mo_value x,
                                     struct mo_value *y, struct mo_error *err)
{
    static const int64_t axes[] = {2, 3};
    struct mo_node *a = mo_pd_i64(t, "axes", axes, 2, err);
    struct mo_node *r = a ? mo_pd_op(t, is_max ? "ReduceMax" : "ReduceMean", NULL, err, 2, x,
                                     mo_val(a, 0))
                          : NULL;
    if (!r || mo_node_set_bool(r, "keep_dims", true) != MO_OK)
        return mo_pd_status(err);
    *y = mo_val(r, 0);
    return MO_OK;
}

static enum mo_status tr_pool2d(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st == MO_OK)
        st = mo_pd_to_nchw(t, fw, &x, err);
    if (st != MO_OK)
        return st;
    bool is_max = !strcmp(mo_node_get_str(fw, "pooling_type", "max"), "max");
    bool global = mo_node_get_bool(fw, "global_pooling", false, NULL);
    bool adaptive = mo_node_get_bool(fw, "adaptive", false, NULL);
    int64_t k[2] = {1, 1}, s[2] = {1, 1}, p[4] = {0, 0, 0, 0};
    int nk = mo_pd_ints(fw, "ksize", k, 2);
    if (nk == 1)
        k[1] = k[0];
    if (mo_pd_ints(fw, "strides", s, 2) == 1)
        s[1] = s[0];
    int np = mo_pd_ints(fw, "paddings", p, 4);
    int64_t pb[2], pe[2];
    if (np == 4)
        pb[0] = p[0], pe[0] = p[1], pb[1] = p[2], pe[1] = p[3];
    else if (np == 1)
        pb[0] = pe[0] = pb[1] = pe[1] = p[0];
    else
        pb[0] = pe[0] = p[0], pb[1] = pe[1] = p[1];
    struct mo_shape xs = mo_pd_shape(x);
    struct mo_value y;
    if (global || (adaptive && k[0] == 1 && k[1] == 1)) {
        if ((st = reduce_spatial(t, is_max, x, &y, err)) != MO_OK)
            return st;
    } else {
        if (adaptive) {
            /* adaptive bins are a plain pooling when the size divides */
            if (xs.rank != 4 || xs.dims[2] < 0 || xs.dims[3] < 0 || xs.dims[2] % k[0] ||
                xs.dims[3] % k[1])
                return mo_pd_bad(err, "adaptive pooling to %lldx%lld needs static input dims "
                                      "divisible by the output size",
                                 (long long)k[0], (long long)k[1]);
            int64_t ih = xs.dims[2], iw = xs.dims[3];
            s[0] = ih / k[0], s[1] = iw / k[1];
            k[0] = s[0], k[1] = s[1];
            pb[0] = pb[1] = pe[0] = pe[1] = 0;
        }
        struct mo_node *n = mo_pd_op(t, is_max ? "MaxPool" : "AvgPool", NULL, err, 1, x);
        if (!n)
            return mo_pd_status(err);
        const char *alg = mo_node_get_str(fw, "padding_algorithm", "EXPLICIT");
        int64_t zero[2] = {0, 0};
        bool valid = !strcmp(alg, "VALID");
        st = mo_node_set_ints(n, "kernel", k, 2);
        if (st == MO_OK)
            st = mo_node_set_ints(n, "strides", s, 2);
        if (st == MO_OK)
            st = mo_node_set_ints(n, "pads_begin", valid ? zero : pb, 2);
        if (st == MO_OK)
            st = mo_node_set_ints(n, "pads_end", valid ? zero : pe, 2);
        if (st == MO_OK)
            st = mo_node_set_str(n, "auto_pad", !strcmp(alg, "SAME") ? "same_upper"
                                                : valid              ? "valid"
                                                                     : "explicit");
        if (st == MO_OK)
            st = mo_node_set_str(n, "rounding_type",
                                 mo_node_get_bool(fw, "ceil_mode", false, NULL) ? "ceil" : "floor");
        if (st == MO_OK && !is_max)
            st = mo_node_set_bool(n, "exclude-pad", mo_node_get_bool(fw, "exclusive", true, NULL));
        if (st != MO_OK)
            return st;
        y = mo_val(n, 0);
    }
    if ((st = mo_pd_from_nchw(t, fw, &y, err)) != MO_OK)
        return st;
    return mo_pd_set_out(t, fw, "Out", y, err);
}

MO_PD_TABLE(mo_pd_tr_pool, {"pool2d", tr_pool2d});
