/* matmul.c - MatMul (opset1) with transpose_a/transpose_b and numpy
 * semantics: 1-D operands are promoted and the added dim removed again,
 * batch dims broadcast; Inverse (opset14) of square matrices. */
#include <config.h>

#include "ops.h"

static const struct mo_attr_spec matmul_attrs[] = {
    {"transpose_a", MO_ATTR_BOOL, "false"},
    {"transpose_b", MO_ATTR_BOOL, "false"},
};

static enum mo_status infer_matmul(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape a = mo_in_shape(n, 0), b = mo_in_shape(n, 1);
    if (a.rank < 0 || b.rank < 0) {
        struct mo_shape u = mo_shape_unknown();
        return mo_out_like_in0(n, &u);
    }
    if (a.rank == 0 || b.rank == 0)
        return mo_shape_error(n, err, "MatMul inputs must not be scalars");
    bool ta = mo_attr_bool(n, "transpose_a"), tb = mo_attr_bool(n, "transpose_b");
    bool a1 = a.rank == 1, b1 = b.rank == 1;
    /* 1-D: a becomes [1,K], b becomes [K,1]; transposes do not apply */
    if (a1) {
        a.dims[1] = a.dims[0];
        a.dims[0] = 1;
        a.rank = 2;
        ta = false;
    }
    if (b1) {
        b.dims[1] = 1;
        b.rank = 2;
        tb = false;
    }
    int64_t m = ta ? a.dims[a.rank - 1] : a.dims[a.rank - 2];
    int64_t ka = ta ? a.dims[a.rank - 2] : a.dims[a.rank - 1];
    int64_t kb = tb ? b.dims[b.rank - 1] : b.dims[b.rank - 2];
    int64_t nn = tb ? b.dims[b.rank - 2] : b.dims[b.rank - 1];
    if (ka >= 0 && kb >= 0 && ka != kb)
        return mo_shape_error(n, err, "inner dimensions differ (%lld vs %lld)", (long long)ka,
                              (long long)kb);
    struct mo_shape ba = {.rank = a.rank - 2}, bb = {.rank = b.rank - 2}, batch;
    for (int i = 0; i < ba.rank; i++)
        ba.dims[i] = a.dims[i];
    for (int i = 0; i < bb.rank; i++)
        bb.dims[i] = b.dims[i];
    enum mo_status st = mo_broadcast_numpy(n, &ba, &bb, &batch, err);
    if (st != MO_OK)
        return st;
    struct mo_shape o = batch;
    if (!a1)
        o.dims[o.rank++] = m;
    if (!b1)
        o.dims[o.rank++] = nn;
    return mo_out_like_in0(n, &o);
}

static const struct mo_op_def op_matmul = {
    "MatMul", "opset1", 2, 2, 1, matmul_attrs, MO_COUNT_OF(matmul_attrs), infer_matmul, NULL};

/* Inverse (opset14): [..., n, n] floating-point in, the same shape out;
 * adjoint asks for the adjugate instead. */
static enum mo_status infer_inverse(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    enum mo_etype et = mo_in_et(n, 0);
    if (et != MO_ET_UNDEFINED && !mo_etype_is_float(et))
        return mo_shape_error(n, err, "input must be floating-point, got %s", mo_etype_name(et));
    if (x.rank >= 0 && x.rank < 2)
        return mo_shape_error(n, err, "input must have rank 2 or more, got %d", x.rank);
    if (x.rank >= 2) {
        int64_t m = mo_dim_merge(x.dims[x.rank - 2], x.dims[x.rank - 1]);
        if (m == -2)
            return mo_shape_error(n, err, "matrices must be square, got %lld x %lld",
                                  (long long)x.dims[x.rank - 2], (long long)x.dims[x.rank - 1]);
        x.dims[x.rank - 2] = x.dims[x.rank - 1] = m;
    }
    return mo_out_like_in0(n, &x);
}

static const struct mo_attr_spec inverse_attrs[] = {{"adjoint", MO_ATTR_BOOL, "false"}};
static const struct mo_op_def op_inverse = {
    "Inverse", "opset14", 1, 1, 1, inverse_attrs, 1, infer_inverse, NULL};

MO_OP_FAMILY(mo_ops_matmul, &op_matmul, &op_inverse);
