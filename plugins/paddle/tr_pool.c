/* tr_pool.c - pool2d: max/avg, global, adaptive, SAME/VALID padding. */
#include <config.h>

#include <string.h>

#include "paddle.h"

/* Global pooling: a reduction over H and W. */
static struct mo_value reduce_spatial(struct mo_build *b, bool is_max, struct mo_value x)
{
    struct mo_value a = mo_build_i64(b, "axes", (const int64_t[]){2, 3}, 2);
    struct mo_value r = mo_build_op(b, is_max ? "ReduceMax" : "ReduceMean", NULL, 2, x, a);
    return mo_build_set_bool(b, r, "keep_dims", true);
}

static enum mo_status tr_pool2d(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in_nchw(b, "X");
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
    struct mo_shape xs = mo_value_shape(x);
    struct mo_value y;
    if (global || (adaptive && k[0] == 1 && k[1] == 1)) {
        y = reduce_spatial(b, is_max, x);
    } else {
        if (adaptive) {
            /* adaptive bins are a plain pooling when the size divides */
            if (xs.rank != 4 || xs.dims[2] < 0 || xs.dims[3] < 0 || xs.dims[2] % k[0] ||
                xs.dims[3] % k[1])
                return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                      "adaptive pooling to %lldx%lld needs static input dims "
                                      "divisible by the output size",
                                      (long long)k[0], (long long)k[1]);
            s[0] = xs.dims[2] / k[0], s[1] = xs.dims[3] / k[1];
            k[0] = s[0], k[1] = s[1];
            pb[0] = pb[1] = pe[0] = pe[1] = 0;
        }
        y = mo_build_op(b, is_max ? "MaxPool" : "AvgPool", NULL, 1, x);
        mo_build_set_ints(b, y, "kernel", k, 2);
        mo_build_set_ints(b, y, "strides", s, 2);
        mo_pd_set_pads(b, y, pb, pe);
        bool ceil_mode = mo_node_get_bool(fw, "ceil_mode", false, NULL);
        mo_build_set_str(b, y, "rounding_type", ceil_mode ? "ceil" : "floor");
        if (!is_max)
            mo_build_set_bool(b, y, "exclude-pad", mo_node_get_bool(fw, "exclusive", true, NULL));
    }
    return mo_pd_set_out_nchw(b, "Out", y);
}

MO_PD_TABLE(mo_pd_tr_pool, {"pool2d", tr_pool2d});
