/* pool.c - MaxPool (opset1, opset8, opset14) and AvgPool (opset1, opset14).
 *
 * With k the kernel after dilation, (k - 1) * d + 1 (MaxPool-8/-14 only):
 *   floor: out = floor((in + pb + pe - k) / s) + 1
 *   ceil:  out = ceil((in + pb + pe - k) / s) + 1; opset1 here also drops a
 *          last window starting inside the end padding (the behaviour the
 *          MXNet and Paddle translators were written against), the later
 *          versions do not: only ceil_torch (opset14) drops it
 *   same_upper/same_lower: out = ceil(in / s); valid: pads are 0.
 * Opset1 is each type's default version; MaxPool-8 adds dilations and the
 * indices output, MaxPool-14 and AvgPool-14 the ceil_torch rounding. */
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

/* Which pooling version a def is; the attribute schema says it. */
struct pool_rules {
    bool dilations;      /* a dilations attribute exists */
    bool ceil_drops;     /* "ceil" drops a window starting in the end padding */
    bool ceil_torch;     /* "ceil_torch" is accepted */
};

static enum mo_status infer_pool_with(struct mo_node *n, const struct pool_rules *r,
                                      struct mo_shape *o, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    *o = x;
    if (x.rank < 0)
        return MO_OK;
    int nsp = x.rank - 2;
    if (nsp < 1)
        return mo_shape_error(n, err, "pooling needs data of rank 3 or more, got %d", x.rank);
    int64_t k[MO_MAX_RANK], s[MO_MAX_RANK], pb[MO_MAX_RANK], pe[MO_MAX_RANK], d[MO_MAX_RANK];
    const char *ap = mo_attr_str(n, "auto_pad");
    bool explicit_pads = !strcmp(ap, "explicit");
    if (mo_node_get_ints(n, "kernel", k, MO_MAX_RANK) != nsp)
        return mo_shape_error(n, err, "kernel must have %d values", nsp);
    if (mo_node_get_ints(n, "strides", s, MO_MAX_RANK) != nsp)
        return mo_shape_error(n, err, "strides must have %d values", nsp);
    if (r->dilations && mo_node_get_ints(n, "dilations", d, MO_MAX_RANK) != nsp)
        return mo_shape_error(n, err, "dilations must have %d values", nsp);
    int cb = mo_node_get_ints(n, "pads_begin", pb, MO_MAX_RANK);
    int ce = mo_node_get_ints(n, "pads_end", pe, MO_MAX_RANK);
    if (explicit_pads && (cb != nsp || ce != nsp))
        return mo_shape_error(n, err, "pads_begin and pads_end must have %d values", nsp);
    const char *rt = mo_attr_str(n, "rounding_type");
    bool torch = r->ceil_torch && !strcmp(rt, "ceil_torch");
    bool ceil_mode = torch || !strcmp(rt, "ceil");
    if (!ceil_mode && strcmp(rt, "floor"))
        return mo_shape_error(n, err, "rounding_type '%s' is not one of floor, ceil%s", rt,
                              r->ceil_torch ? ", ceil_torch" : "");
    bool drop = torch || (ceil_mode && r->ceil_drops);
    for (int i = 0; i < nsp; i++) {
        int64_t in = x.dims[2 + i];
        if (s[i] <= 0 || k[i] <= 0 || (r->dilations && d[i] <= 0))
            return mo_shape_error(n, err, "kernel, strides and dilations must be positive");
        int64_t kk = r->dilations ? (k[i] - 1) * d[i] + 1 : k[i];
        if (in < 0) {
            o->dims[2 + i] = MO_DYN;
            continue;
        }
        if (!strcmp(ap, "same_upper") || !strcmp(ap, "same_lower")) {
            o->dims[2 + i] = (in + s[i] - 1) / s[i];
            continue;
        }
        int64_t b = explicit_pads ? pb[i] : 0, e = explicit_pads ? pe[i] : 0;
        int64_t num = in + b + e - kk;
        if (num < 0)
            return mo_shape_error(n, err, "kernel %lld is larger than the padded input %lld",
                                  (long long)kk, (long long)(in + b + e));
        int64_t out = (ceil_mode ? (num + s[i] - 1) / s[i] : num / s[i]) + 1;
        if (drop && (out - 1) * s[i] >= in + b)
            out--;
        o->dims[2 + i] = out;
    }
    return MO_OK;
}

static enum mo_status infer_pool(struct mo_node *n, struct mo_error *err)
{
    static const struct pool_rules v1 = {false, true, false};
    struct mo_shape o;
    enum mo_status st = infer_pool_with(n, &v1, &o, err);
    return st != MO_OK ? st : mo_out_like_in0(n, &o);
}

static enum mo_status infer_avgpool14(struct mo_node *n, struct mo_error *err)
{
    static const struct pool_rules v14 = {false, false, true};
    struct mo_shape o;
    enum mo_status st = infer_pool_with(n, &v14, &o, err);
    return st != MO_OK ? st : mo_out_like_in0(n, &o);
}

/* MaxPool-8/-14: output 1 holds the flat indices of the maxima, counted
 * from the dim named by axis (index_element_type i64 or i32). */
static enum mo_status infer_maxpool_idx(struct mo_node *n, bool torch, struct mo_error *err)
{
    const struct pool_rules rules = {true, false, torch};
    struct mo_shape o;
    enum mo_status st = infer_pool_with(n, &rules, &o, err);
    if (st != MO_OK)
        return st;
    const char *ie = mo_attr_str(n, "index_element_type");
    enum mo_etype iet = !strcmp(ie, "i32") ? MO_ET_I32 : MO_ET_I64;
    if (strcmp(ie, "i32") && strcmp(ie, "i64"))
        return mo_shape_error(n, err, "index_element_type must be i32 or i64, not '%s'", ie);
    struct mo_shape x = mo_in_shape(n, 0);
    int64_t axis = mo_attr_int(n, "axis");
    if (x.rank >= 0 && mo_axis_norm(axis, x.rank) < 0)
        return mo_shape_error(n, err, "axis %lld is out of range for rank %d", (long long)axis, x.rank);
    st = mo_out_like_in0(n, &o);
    return st != MO_OK ? st : mo_set_out(n, 1, iet, &o);
}

static enum mo_status infer_maxpool8(struct mo_node *n, struct mo_error *err)
{
    return infer_maxpool_idx(n, false, err);
}

static enum mo_status infer_maxpool14(struct mo_node *n, struct mo_error *err)
{
    return infer_maxpool_idx(n, true, err);
}

static const struct mo_attr_spec maxpool8_attrs[] = {
    {"strides", MO_ATTR_INTS, NULL},
    {"dilations", MO_ATTR_INTS, NULL},
    {"pads_begin", MO_ATTR_INTS, NULL},
    {"pads_end", MO_ATTR_INTS, NULL},
    {"kernel", MO_ATTR_INTS, NULL},
    {"rounding_type", MO_ATTR_STRING, "floor"},
    {"auto_pad", MO_ATTR_STRING, "explicit"},
    {"index_element_type", MO_ATTR_STRING, "i64"},
    {"axis", MO_ATTR_INT, "0"},
};

static const struct mo_op_def op_maxpool = {
    "MaxPool", "opset1", 1, 1, 1, maxpool_attrs, MO_COUNT_OF(maxpool_attrs), infer_pool, NULL};
static const struct mo_op_def op_avgpool = {
    "AvgPool", "opset1", 1, 1, 1, avgpool_attrs, MO_COUNT_OF(avgpool_attrs), infer_pool, NULL};
static const struct mo_op_def op_maxpool8 = {
    "MaxPool", "opset8", 1, 1, 2, maxpool8_attrs, MO_COUNT_OF(maxpool8_attrs), infer_maxpool8, NULL};
static const struct mo_op_def op_maxpool14 = {
    "MaxPool", "opset14", 1, 1, 2, maxpool8_attrs, MO_COUNT_OF(maxpool8_attrs), infer_maxpool14, NULL};
static const struct mo_op_def op_avgpool14 = {
    "AvgPool", "opset14", 1, 1, 1, avgpool_attrs, MO_COUNT_OF(avgpool_attrs), infer_avgpool14, NULL};

/* --- AdaptiveAvgPool / AdaptiveMaxPool (opset8): data [N, C, spatial...],
 * output_shape a 1-D integer tensor of the spatial output sizes; bin i of
 * a dim spans [floor(i * in / out), ceil((i + 1) * in / out)).  The max one
 * also returns the indices of the maxima, flat within each channel's
 * spatial dims. */
static enum mo_status infer_adaptive(struct mo_node *n, bool with_idx, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), o = x;
    enum mo_etype iet = MO_ET_I64;
    if (with_idx) {
        const char *ie = mo_attr_str(n, "index_element_type");
        if (strcmp(ie, "i32") && strcmp(ie, "i64"))
            return mo_shape_error(n, err, "index_element_type must be i32 or i64, not '%s'", ie);
        iet = !strcmp(ie, "i32") ? MO_ET_I32 : MO_ET_I64;
    }
    if (x.rank >= 0) {
        if (x.rank < 3)
            return mo_shape_error(n, err, "adaptive pooling needs data of rank 3 or more, got %d",
                                  x.rank);
        int64_t sz[MO_MAX_RANK];
        int c = mo_const_ints(n, 1, sz, MO_MAX_RANK);
        if (c >= 0 && c != x.rank - 2)
            return mo_shape_error(n, err, "output_shape has %d values for %d spatial dims", c,
                                  x.rank - 2);
        for (int i = 2; i < x.rank; i++) {
            if (c >= 0 && sz[i - 2] <= 0)
                return mo_shape_error(n, err, "output_shape values must be positive");
            o.dims[i] = c >= 0 ? sz[i - 2] : MO_DYN;
        }
    }
    enum mo_status st = mo_out_like_in0(n, &o);
    return st != MO_OK || !with_idx ? st : mo_set_out(n, 1, iet, &o);
}

static enum mo_status infer_adaptive_avg(struct mo_node *n, struct mo_error *err)
{
    return infer_adaptive(n, false, err);
}

static enum mo_status infer_adaptive_max(struct mo_node *n, struct mo_error *err)
{
    return infer_adaptive(n, true, err);
}

static const struct mo_attr_spec adaptive_max_attrs[] = {
    {"index_element_type", MO_ATTR_STRING, "i64"},
};

static const struct mo_op_def op_adaptive_avg = {
    "AdaptiveAvgPool", "opset8", 2, 2, 1, NULL, 0, infer_adaptive_avg, NULL};
static const struct mo_op_def op_adaptive_max = {
    "AdaptiveMaxPool", "opset8", 2, 2, 2, adaptive_max_attrs, MO_COUNT_OF(adaptive_max_attrs),
    infer_adaptive_max, NULL};

/* the opset1 versions first: they are the defaults a bare type gives */
MO_OP_FAMILY(mo_ops_pool, &op_maxpool, &op_avgpool, &op_maxpool8, &op_maxpool14, &op_avgpool14,
             &op_adaptive_avg, &op_adaptive_max);
