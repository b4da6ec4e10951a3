/* pool.c - MaxPool and AvgPool (opset1).
 *
 *   floor: out = floor((in + pb + pe - k) / s) + 1
 *   ceil:  out = ceil((in + pb + pe - k) / s) + 1, minus one when the last
 *          window would start inside the end padding only
 *   same_upper/same_lower: out = ceil(in / s); valid: pads are 0. */
#include <config.h>

#include <string.h>

#include "ops.h"

static const struct mo_attr_spec maxpool_attrs[] = {
    {"strides", MO_ATTR_INTS, NULL},
    {"pads_begin", MO_ATTR_INTS, NULL},
    {"pads_end", MO_ATTR_INTS, NULL},
    {"kernel", MO_ATTR_INTS, NULL},
    {"rounding_type", MO_ATTR_STRING, "floor"},
    {"auto_pad", MO_ATTR_STRING, "explicit"},
};

static const struct mo_attr_spec avgpool_attrs[] = {
    {"strides", MO_ATTR_INTS, NULL},
    {"pads_begin", MO_ATTR_INTS, NULL},
    {"pads_end", MO_ATTR_INTS, NULL},
    {"kernel", MO_ATTR_INTS, NULL},
    {"exclude-pad", MO_ATTR_BOOL, NULL},
    {"rounding_type", MO_ATTR_STRING, "floor"},
    {"auto_pad", MO_ATTR_STRING, "explicit"},
};

static enum mo_status infer_pool(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    if (x.rank < 0)
        return mo_out_like_in0(n, &x);
    int nsp = x.rank - 2;
    if (nsp < 1)
        return mo_shape_error(n, err, "pooling needs data of rank 3 or more, got %d", x.rank);
    int64_t k[MO_MAX_RANK], s[MO_MAX_RANK], pb[MO_MAX_RANK], pe[MO_MAX_RANK];
    const char *ap = mo_attr_str(n, "auto_pad");
    bool explicit_pads = !strcmp(ap, "explicit");
    if (mo_node_get_ints(n, "kernel", k, MO_MAX_RANK) != nsp)
        return mo_shape_error(n, err, "kernel must have %d values", nsp);
    if (mo_node_get_ints(n, "strides", s, MO_MAX_RANK) != nsp)
        return mo_shape_error(n, err, "strides must have %d values", nsp);
    int cb = mo_node_get_ints(n, "pads_begin", pb, MO_MAX_RANK);
    int ce = mo_node_get_ints(n, "pads_end", pe, MO_MAX_RANK);
    if (explicit_pads && (cb != nsp || ce != nsp))
        return mo_shape_error(n, err, "pads_begin and pads_end must have %d values", nsp);
    bool ceil_mode = !strcmp(mo_attr_str(n, "rounding_type"), "ceil");
    struct mo_shape o = x;
    for (int i = 0; i < nsp; i++) {
        int64_t in = x.dims[2 + i];
        if (s[i] <= 0 || k[i] <= 0)
            return mo_shape_error(n, err, "kernel and strides must be positive");
        if (in < 0) {
            o.dims[2 + i] = MO_DYN;
            continue;
        }
        if (!strcmp(ap, "same_upper") || !strcmp(ap, "same_lower")) {
            o.dims[2 + i] = (in + s[i] - 1) / s[i];
            continue;
        }
        int64_t b = explicit_pads ? pb[i] : 0, e = explicit_pads ? pe[i] : 0;
        int64_t num = in + b + e - k[i];
        if (num < 0)
            return mo_shape_error(n, err, "kernel %lld is larger than the padded input %lld",
                                  (long long)k[i], (long long)(in + b + e));
        int64_t out = (ceil_mode ? (num + s[i] - 1) / s[i] : num / s[i]) + 1;
        if (ceil_mode && (out - 1) * s[i] >= in + b)
            out--;
        o.dims[2 + i] = out;
    }
    return mo_out_like_in0(n, &o);
}

static const struct mo_op_def op_maxpool = {
    "MaxPool", "opset1", 1, 1, 1, maxpool_attrs, MO_COUNT_OF(maxpool_attrs), infer_pool, NULL};
static const struct mo_op_def op_avgpool = {
    "AvgPool", "opset1", 1, 1, 1, avgpool_attrs, MO_COUNT_OF(avgpool_attrs), infer_pool, NULL};

MO_OP_FAMILY(mo_ops_pool, &op_maxpool, &op_avgpool);
