/* tr_pool.c - MXNet Pooling (max, avg, sum, lp; global; valid/full/same) translator.
 *
 * MXNet's conventions against the IR's: 'valid' is floor rounding, 'full'
 * is ceil rounding (Caffe's), 'same' (1-D max pooling only in MXNet) is
 * auto_pad same_upper.  count_include_pad is the negation of exclude-pad.
 * sum and lp pooling have no IR op: sum = AvgPool counting pads x window
 * area; lp = (sum |x|^p)^(1/p) built from the same. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "tr_util.h"

struct pool_attrs {
    int nsp;
    int64_t kernel[MO_MAX_RANK], stride[MO_MAX_RANK], pad[MO_MAX_RANK];
    const char *rounding, *auto_pad;
    bool exclude_pad;
};

static struct mo_node *pool_node(struct mo_tctx *t, const char *type, const char *suffix, struct mo_value x,
                                 const struct pool_attrs *a, struct mo_error *err)
{
    struct mo_node *p = mo_mx_op(t, type, suffix, err, 1, x);
    if (!p)
        return NULL;
    size_t n = (size_t)a->nsp;
    if (mo_node_set_ints(p, "strides", a->stride, n) || mo_node_set_ints(p, "pads_begin", a->pad, n) ||
        mo_node_set_ints(p, "pads_end", a->pad, n) || mo_node_set_ints(p, "kernel", a->kernel, n) ||
        mo_node_set_str(p, "rounding_type", a->rounding) || mo_node_set_str(p, "auto_pad", a->auto_pad) ||
        (!strcmp(type, "AvgPool") && mo_node_set_bool(p, "exclude-pad", a->exclude_pad))) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    return p;
}

/* x scaled by the window area (AvgPool counting pads -> sum).  et is x's
 * element type: x may be a node created just now, not inferred yet. */
static struct mo_node *sum_pool(struct mo_tctx *t, const struct mo_node *fw, struct mo_value x,
                                enum mo_etype et, const struct pool_attrs *a, const char *suffix,
                                struct mo_error *err)
{
    struct pool_attrs s = *a;
    s.exclude_pad = false;
    double area = 1;
    for (int i = 0; i < a->nsp; i++)
        area *= (double)a->kernel[i];
    struct mo_node *avg = pool_node(t, "AvgPool", "avg", x, &s, err);
    struct mo_node *k = avg ? mo_mx_scalar(t, fw, "area", et, area, err) : NULL;
    return k ? mo_mx_op(t, "Multiply", suffix, err, 2, mo_val(avg, 0), mo_val(k, 0)) : NULL;
}

static enum mo_status tr_pooling(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    const char *layout = mo_node_get_str(fw, "layout", NULL);
    if (layout && strcmp(layout, "None") && strncmp(layout, "NC", 2))
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "layout %s is not supported; use NCHW", layout);
    struct mo_value x = mo_mx_in(t, fw, 0, "data", err);
    MO_MX_TRY(x.node);
    const struct mo_shape *xs = &mo_mx_out(x)->shape;
    const char *type = mo_node_get_str(fw, "pool_type", "max");
    const char *conv = mo_node_get_str(fw, "pooling_convention", "valid");
    bool global = mo_node_get_bool(fw, "global_pool", false, NULL);
    struct pool_attrs a = {0};
    a.rounding = "floor";
    a.auto_pad = "explicit";
    a.exclude_pad = !mo_node_get_bool(fw, "count_include_pad", true, NULL);
    if (global) {
        if (xs->rank < 3 || !mo_shape_is_static(xs))
            return mo_error_set(err, MO_ERR_SHAPE, 0,
                                "global pooling needs the input shape at conversion; give --input_shape");
        a.nsp = xs->rank - 2;
        for (int i = 0; i < a.nsp; i++) {
            a.kernel[i] = xs->dims[2 + i];
            a.stride[i] = 1;
            a.pad[i] = 0;
        }
    } else {
        a.nsp = mo_node_get_ints(fw, "kernel", a.kernel, MO_MAX_RANK);
        if (a.nsp < 1 || a.nsp > 3)
            return mo_error_set(err, MO_ERR_FORMAT, 2, "attribute kernel is missing or not 1-3 values");
        if (!mo_mx_tuple(fw, "stride", a.nsp, 1, a.stride, err) || !mo_mx_tuple(fw, "pad", a.nsp, 0, a.pad, err))
            return MO_ERR_FORMAT;
        if (xs->rank >= 0 && xs->rank != a.nsp + 2)
            return mo_error_set(err, MO_ERR_SHAPE, 0, "data has rank %d but the kernel has %d dims",
                                xs->rank, a.nsp);
        if (!strcmp(conv, "full")) {
            a.rounding = "ceil";
        } else if (!strcmp(conv, "same")) {
            a.auto_pad = "same_upper";
        } else if (strcmp(conv, "valid")) {
            return mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "pooling_convention '%s' is unknown", conv);
        }
    }
    struct mo_node *r;
    if (!strcmp(type, "max")) {
        r = pool_node(t, "MaxPool", NULL, x, &a, err);
    } else if (!strcmp(type, "avg")) {
        r = pool_node(t, "AvgPool", NULL, x, &a, err);
    } else if (!strcmp(type, "sum")) {
        r = sum_pool(t, fw, x, mo_mx_out(x)->et, &a, NULL, err);
    } else if (!strcmp(type, "lp")) {
        bool ok = true;
        double p = mo_node_get_float(fw, "p_value", 2, &ok);
        if (!ok || p <= 0)
            return mo_error_set(err, MO_ERR_FORMAT, 2, "p_value must be positive for lp pooling");
        enum mo_etype et = mo_mx_out(x)->et;
        struct mo_node *ab = mo_mx_op(t, "Abs", "abs", err, 1, x);
        struct mo_node *pc = ab ? mo_mx_scalar(t, fw, "p", et, p, err) : NULL;
        struct mo_node *pw = pc ? mo_mx_op(t, "Power", "pow", err, 2, mo_val(ab, 0), mo_val(pc, 0)) : NULL;
        struct mo_node *sm = pw ? sum_pool(t, fw, mo_val(pw, 0), et, &a, "sum", err) : NULL;
        struct mo_node *ip = sm ? mo_mx_scalar(t, fw, "inv_p", et, 1.0 / p, err) : NULL;
        r = ip ? mo_mx_op(t, "Power", NULL, err, 2, mo_val(sm, 0), mo_val(ip, 0)) : NULL;
    } else {
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "pool_type '%s' is not supported", type);
    }
    MO_MX_TRY(r);
    return mo_mx_done(t, r, err);
}

MO_MX_TABLE(mo_mx_tr_pool,
            {"Pooling", tr_pooling},
            {"Pooling_v1", tr_pooling});
