/* norm.c - normalizations that keep the data shape: Softmax, LogSoftmax,
 * LRN, NormalizeL2, MVN, BatchNormInference, GRN, GroupNormalization. */
#include <config.h>

#include <string.h>

#include "ops.h"

/* Output = input 0 after checking that attribute `axis` fits the rank. */
static enum mo_status infer_axis_identity(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    int64_t axis = mo_attr_int(n, "axis");
    if (x.rank >= 0 && mo_axis_norm(axis, x.rank) < 0)
        return mo_shape_error(n, err, "axis %lld is out of range for rank %d", (long long)axis, x.rank);
    return mo_out_like_in0(n, &x);
}

static const struct mo_attr_spec softmax_attrs[] = {{"axis", MO_ATTR_INT, "1"}};
static const struct mo_op_def op_softmax = {
    "Softmax", "opset8", 1, 1, 1, softmax_attrs, 1, infer_axis_identity, NULL};
static const struct mo_op_def op_log_softmax = {
    "LogSoftmax", "opset5", 1, 1, 1, softmax_attrs, 1, infer_axis_identity, NULL};

/* Output = input 0 after checking the Const axes input (index 1). */
static enum mo_status infer_axes_identity(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), as = mo_in_shape(n, 1);
    if (as.rank > 1)
        return mo_shape_error(n, err, "axes must be a scalar or 1-D, got rank %d", as.rank);
    int64_t axes[MO_MAX_RANK];
    int cnt = mo_const_ints(n, 1, axes, MO_MAX_RANK);
    if (x.rank >= 0 && cnt >= 0) {
        if (cnt > x.rank)
            return mo_shape_error(n, err, "%d axes for rank %d", cnt, x.rank);
        enum mo_status st = mo_norm_axes(n, axes, cnt, x.rank, false, err);
        if (st != MO_OK)
            return st;
    }
    return mo_out_like_in0(n, &x);
}

static const struct mo_attr_spec lrn_attrs[] = {
    {"alpha", MO_ATTR_FLOAT, NULL},
    {"beta", MO_ATTR_FLOAT, NULL},
    {"bias", MO_ATTR_FLOAT, NULL},
    {"size", MO_ATTR_INT, NULL},
};
static const struct mo_op_def op_lrn = {
    "LRN", "opset1", 2, 2, 1, lrn_attrs, MO_COUNT_OF(lrn_attrs), infer_axes_identity, NULL};

static enum mo_status infer_normalize_l2(struct mo_node *n, struct mo_error *err)
{
    const char *mode = mo_attr_str(n, "eps_mode");
    if (strcmp(mode, "add") && strcmp(mode, "max"))
        return mo_shape_error(n, err, "eps_mode must be add or max, got '%s'", mode);
    return infer_axes_identity(n, err);
}

static const struct mo_attr_spec normalize_l2_attrs[] = {
    {"eps", MO_ATTR_FLOAT, NULL},
    {"eps_mode", MO_ATTR_STRING, NULL},
};
static const struct mo_op_def op_normalize_l2 = {
    "NormalizeL2", "opset1", 2, 2, 1, normalize_l2_attrs, MO_COUNT_OF(normalize_l2_attrs),
    infer_normalize_l2, NULL};

static enum mo_status infer_mvn(struct mo_node *n, struct mo_error *err)
{
    const char *mode = mo_attr_str(n, "eps_mode");
    if (strcmp(mode, "inside_sqrt") && strcmp(mode, "outside_sqrt"))
        return mo_shape_error(n, err, "eps_mode must be inside_sqrt or outside_sqrt, got '%s'", mode);
    return infer_axes_identity(n, err);
}

static const struct mo_attr_spec mvn_attrs[] = {
    {"normalize_variance", MO_ATTR_BOOL, NULL},
    {"eps", MO_ATTR_FLOAT, NULL},
    {"eps_mode", MO_ATTR_STRING, NULL},
};
static const struct mo_op_def op_mvn = {
    "MVN", "opset6", 2, 2, 1, mvn_attrs, MO_COUNT_OF(mvn_attrs), infer_mvn, NULL};

/* BatchNormInference (opset5): data [N, C, ...]; gamma, beta, mean and
 * variance are 1-D [C]. */
static enum mo_status infer_batch_norm(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    if (x.rank >= 0 && x.rank < 2)
        return mo_shape_error(n, err, "data must have rank 2 or more, got %d", x.rank);
    int64_t c = x.rank >= 2 ? x.dims[1] : MO_DYN;
    static const char *const names[] = {"gamma", "beta", "mean", "variance"};
    for (unsigned i = 1; i < 5; i++) {
        struct mo_shape p = mo_in_shape(n, i);
        if (p.rank < 0)
            continue;
        if (p.rank != 1)
            return mo_shape_error(n, err, "%s must be 1-D, got rank %d", names[i - 1], p.rank);
        int64_t m = mo_dim_merge(c, p.dims[0]);
        if (m == -2)
            return mo_shape_error(n, err, "%s has %lld values for %lld channels", names[i - 1],
                                  (long long)p.dims[0], (long long)c);
        c = m;
    }
    if (x.rank >= 2)
        x.dims[1] = c;
    return mo_out_like_in0(n, &x);
}

static const struct mo_attr_spec batch_norm_attrs[] = {{"epsilon", MO_ATTR_FLOAT, NULL}};
static const struct mo_op_def op_batch_norm = {
    "BatchNormInference", "opset5", 5, 5, 1, batch_norm_attrs, 1, infer_batch_norm, NULL};

static const struct mo_attr_spec grn_attrs[] = {{"bias", MO_ATTR_FLOAT, NULL}};
static const struct mo_op_def op_grn = {"GRN", "opset1", 1, 1, 1, grn_attrs, 1, mo_infer_identity, NULL};

/* GroupNormalization (opset12): data [N, C, ...] normalized over groups of
 * C / num_groups channels; scale and bias are 1-D [C]. */
static enum mo_status infer_group_norm(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    int64_t groups = mo_attr_int(n, "num_groups");
    if (groups < 1)
        return mo_shape_error(n, err, "num_groups must be positive, got %lld", (long long)groups);
    if (mo_attr_float(n, "epsilon") < 0)
        return mo_shape_error(n, err, "epsilon must not be negative");
    if (x.rank >= 0 && x.rank < 2)
        return mo_shape_error(n, err, "data must have rank 2 or more, got %d", x.rank);
    int64_t c = x.rank >= 2 ? x.dims[1] : MO_DYN;
    for (unsigned i = 1; i < 3; i++) {
        struct mo_shape p = mo_in_shape(n, i);
        if (p.rank < 0)
            continue;
        if (p.rank != 1)
            return mo_shape_error(n, err, "%s must be 1-D, got rank %d", i == 1 ? "scale" : "bias",
                                  p.rank);
        int64_t m = mo_dim_merge(c, p.dims[0]);
        if (m == -2)
            return mo_shape_error(n, err, "%s has %lld values for %lld channels",
                                  i == 1 ? "scale" : "bias", (long long)p.dims[0], (long long)c);
        c = m;
    }
    if (c >= 0 && c % groups)
        return mo_shape_error(n, err, "%lld channels do not split into %lld groups", (long long)c,
                              (long long)groups);
    if (x.rank >= 2)
        x.dims[1] = c;
    return mo_out_like_in0(n, &x);
}

static const struct mo_attr_spec group_norm_attrs[] = {
    {"num_groups", MO_ATTR_INT, NULL},
    {"epsilon", MO_ATTR_FLOAT, NULL},
};
static const struct mo_op_def op_group_norm = {
    "GroupNormalization", "opset12", 3, 3, 1, group_norm_attrs, MO_COUNT_OF(group_norm_attrs),
    infer_group_norm, NULL};

MO_OP_FAMILY(mo_ops_norm, &op_softmax, &op_log_softmax, &op_lrn, &op_normalize_l2, &op_mvn,
             &op_batch_norm, &op_grn, &op_group_norm);
