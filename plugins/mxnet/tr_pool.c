/* tr_pool.c - MXNet Pooling (max, avg, sum, lp; global; valid/full/same) translator.
 *
 * MXNet's conventions against the IR's: 'valid' is floor rounding, 'full'
 * is ceil rounding (Caffe's), 'same' (1-D max pooling only in MXNet) is
 * auto_pad same_upper.  count_include_pad is the negation of exclude-pad.
 * sum and lp pooling have no IR op: sum = AvgPool counting pads x window
 * area; lp = (sum |x|^p)^(1/p) built from the same. */
#include <config.h>

#include <string.h>

#include "tr_util.h"

struct pool_attrs {
    int nsp;
    int64_t kernel[MO_MAX_RANK], stride[MO_MAX_RANK], pad[MO_MAX_RANK];
    const char *rounding, *auto_pad;
    bool exclude_pad;
};

static struct mo_value pool_node(struct mo_build *b, const char *type, const char *suffix, struct mo_value x,
                                 const struct pool_attrs *a)
{
    struct mo_value p = mo_build_op(b, type, suffix, 1, x);
    size_t n = (size_t)a->nsp;
    mo_build_set_ints(b, p, "strides", a->stride, n);
    mo_build_set_ints(b, p, "pads_begin", a->pad, n);
    mo_build_set_ints(b, p, "pads_end", a->pad, n);
    mo_build_set_ints(b, p, "kernel", a->kernel, n);
    mo_build_set_str(b, p, "rounding_type", a->rounding);
    mo_build_set_str(b, p, "auto_pad", a->auto_pad);
    if (!strcmp(type, "AvgPool"))
        mo_build_set_bool(b, p, "exclude-pad", a->exclude_pad);
    return p;
}

/* x scaled by the window area (AvgPool counting pads -> sum).  et is x's
 * element type: x may be a node created just now, not inferred yet. */
static struct mo_value sum_pool(struct mo_build *b, struct mo_value x, enum mo_etype et,
                                const struct pool_attrs *a, const char *suffix)
{
    struct pool_attrs s = *a;
    s.exclude_pad = false;
    double area = 1;
    for (int i = 0; i < a->nsp; i++)
        area *= (double)a->kernel[i];
    struct mo_value avg = pool_node(b, "AvgPool", "avg", x, &s);
    struct mo_value k = mo_build_scalar(b, "area", et, area);
    return mo_build_op(b, "Multiply", suffix, 2, avg, k);
}

/* lp = (sum |x|^p)^(1/p) */
static struct mo_value lp_pool(struct mo_build *b, struct mo_value x, const struct pool_attrs *a)
{
    bool ok = true;
    double p = mo_node_get_float(mo_build_fw(b), "p_value", 2, &ok);
    if (!ok || p <= 0) {
        mo_build_error(b, MO_ERR_FORMAT, 2, "p_value must be positive for lp pooling");
        return MO_NO_VALUE;
    }
    enum mo_etype et = mo_value_et(x);
    struct mo_value ab = mo_build_op(b, "Abs", "abs", 1, x);
    struct mo_value pc = mo_build_scalar(b, "p", et, p);
    struct mo_value pw = mo_build_op(b, "Power", "pow", 2, ab, pc);
    struct mo_value sm = sum_pool(b, pw, et, a, "sum");
    struct mo_value ip = mo_build_scalar(b, "inv_p", et, 1.0 / p);
    return mo_build_op(b, "Power", NULL, 2, sm, ip);
}

/* Fails b on a bad attribute; a is complete when b is still ok. */
static void read_pool(struct mo_build *b, const struct mo_node *fw, const struct mo_shape *xs,
                      struct pool_attrs *a)
{
    a->rounding = "floor";
    a->auto_pad = "explicit";
    a->exclude_pad = !mo_node_get_bool(fw, "count_include_pad", true, NULL);
    if (mo_node_get_bool(fw, "global_pool", false, NULL)) {
        if (xs->rank < 3 || !mo_shape_is_static(xs)) {
            mo_build_error(b, MO_ERR_SHAPE, 0,
                           "global pooling needs the input shape at conversion; give --input_shape");
            return;
        }
        a->nsp = xs->rank - 2;
        for (int i = 0; i < a->nsp; i++) {
            a->kernel[i] = xs->dims[2 + i];
            a->stride[i] = 1;
            a->pad[i] = 0;
        }
        return;
    }
    a->nsp = mo_node_get_ints(fw, "kernel", a->kernel, MO_MAX_RANK);
    if (a->nsp < 1 || a->nsp > 3) {
        mo_build_error(b, MO_ERR_FORMAT, 2, "attribute kernel is missing or not 1-3 values");
        return;
    }
    if (!mo_mx_tuple(b, "stride", a->nsp, 1, a->stride) || !mo_mx_tuple(b, "pad", a->nsp, 0, a->pad))
        return;
    if (xs->rank >= 0 && xs->rank != a->nsp + 2) {
        mo_build_error(b, MO_ERR_SHAPE, 0, "data has rank %d but the kernel has %d dims", xs->rank, a->nsp);
        return;
    }
    const char *conv = mo_node_get_str(fw, "pooling_convention", "valid");
    if (!strcmp(conv, "full"))
        a->rounding = "ceil";
    else if (!strcmp(conv, "same"))
        a->auto_pad = "same_upper";
    else if (strcmp(conv, "valid"))
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "pooling_convention '%s' is unknown", conv);
}

static enum mo_status tr_pooling(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    const char *layout = mo_node_get_str(fw, "layout", NULL);
    if (layout && strcmp(layout, "None") && strncmp(layout, "NC", 2))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "layout %s is not supported; use NCHW", layout);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_shape xs = mo_value_shape(x);
    struct pool_attrs a = {0};
    read_pool(b, fw, &xs, &a);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    const char *type = mo_node_get_str(fw, "pool_type", "max");
    if (!strcmp(type, "max"))
        return mo_build_done(b, pool_node(b, "MaxPool", NULL, x, &a));
    if (!strcmp(type, "avg"))
        return mo_build_done(b, pool_node(b, "AvgPool", NULL, x, &a));
    if (!strcmp(type, "sum"))
        return mo_build_done(b, sum_pool(b, x, mo_value_et(x), &a, NULL));
    if (!strcmp(type, "lp"))
        return mo_build_done(b, lp_pool(b, x, &a));
    return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "pool_type '%s' is not supported", type);
}

MO_MX_TABLE(mo_mx_tr_pool,
            {"Pooling", tr_pooling},
            {"Pooling_v1", tr_pooling});
