/* tr_matmul.c - Gemm and MatMul. */
#include <config.h>

#include <string.h>

#include "onnx.h"

static enum mo_status tr_matmul(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value a = mo_build_in(b, 0, "A");
    struct mo_value c = mo_build_in(b, 1, "B");
    return mo_build_done(b, mo_build_op(b, "MatMul", NULL, 2, a, c));
}

/* Y = alpha * A' B' + beta * C, A' and B' transposed as transA/transB say;
 * before opset 7 A' B' was flattened to 2-D as well, which Gemm's rank-2
 * inputs make a no-op. */
static enum mo_status tr_gemm(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value a = mo_build_in(b, 0, "A");
    struct mo_value w = mo_build_in(b, 1, "B");
    struct mo_value c = mo_build_in_opt(b, 2);
    double alpha = mo_node_get_float(fw, "alpha", 1.0, NULL);
    double beta = mo_node_get_float(fw, "beta", 1.0, NULL);
    enum mo_etype et = mo_value_et(a);
    bool has_c = c.node && beta != 0.0;
    struct mo_value y = mo_build_op(b, "MatMul", has_c || alpha != 1.0 ? "matmul" : NULL, 2, a, w);
    mo_build_set_bool(b, y, "transpose_a", mo_node_get_int(fw, "transA", 0, NULL) != 0);
    mo_build_set_bool(b, y, "transpose_b", mo_node_get_int(fw, "transB", 0, NULL) != 0);
    if (alpha != 1.0) {
        struct mo_value s = mo_build_scalar(b, "alpha", et, alpha);
        y = mo_build_op(b, "Multiply", has_c ? "scaled" : NULL, 2, y, s);
    }
    if (has_c) {
        if (beta != 1.0) {
            struct mo_value s = mo_build_scalar(b, "beta", et, beta);
            c = mo_build_op(b, "Multiply", "c_scaled", 2, c, s);
        }
        y = mo_build_op(b, "Add", NULL, 2, y, c);
    }
    return mo_build_done(b, y);
}

MO_OX_TABLE(mo_ox_tr_matmul,
    {"MatMul", 1, tr_matmul, NULL},
    {"Gemm", 1, tr_gemm, NULL},
)
