/* tr_matmul.c - matmul (v1, with alpha), matmul_v2, mul (fc's flattening). */
#include <config.h>

#include <string.h>

#include "paddle.h"

static enum mo_status matmul(struct mo_tctx *t, const struct mo_node *fw, const char *ta,
                             const char *tb, double alpha, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value y = mo_pd_in(b, "Y", 0);
    struct mo_value z = mo_build_op(b, "MatMul", alpha != 1.0 ? "matmul" : NULL, 2, x, y);
    mo_build_set_bool(b, z, "transpose_a", mo_node_get_bool(fw, ta, false, NULL));
    mo_build_set_bool(b, z, "transpose_b", mo_node_get_bool(fw, tb, false, NULL));
    if (alpha != 1.0) {
        struct mo_value a = mo_build_scalar(b, "alpha", mo_value_et(x), alpha);
        z = mo_build_op(b, "Multiply", NULL, 2, z, a);
    }
    return mo_pd_set_out(b, "Out", z);
}

static enum mo_status tr_matmul(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    return matmul(t, fw, "transpose_X", "transpose_Y", mo_node_get_float(fw, "alpha", 1.0, NULL),
                  err);
}

static enum mo_status tr_matmul_v2(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    return matmul(t, fw, "trans_x", "trans_y", 1.0, err);
}

/* mul: X flattened to 2-D at x_num_col_dims, Y at y_num_col_dims. */
static enum mo_status tr_mul(struct mo_tctx *t, const struct mo_node *fw, void *user,
                             struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value y = mo_pd_in(b, "Y", 0);
    struct mo_shape xs = mo_value_shape(x), ys = mo_value_shape(y);
    int64_t xn = mo_node_get_int(fw, "x_num_col_dims", 1, NULL);
    int64_t yn = mo_node_get_int(fw, "y_num_col_dims", 1, NULL);
    if (xs.rank < 0 || ys.rank < 0 || xn < 1 || xn >= xs.rank || yn < 1 || yn >= ys.rank ||
        !mo_shape_is_static(&ys))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "mul needs known ranks and a static Y");
    if (xs.rank != xn + 1) {
        /* keep the leading dims (special zero), fold the rest into K */
        int64_t d[MO_MAX_RANK];
        for (int i = 0; i < xn; i++)
            d[i] = 0;
        d[xn] = -1;
        mo_pd_resolve_target(&xs, d, (int)xn + 1);
        x = mo_build_reshape(b, "x2d", x, d, (int)xn + 1, true);
    }
    int64_t k = 1, nn = 1;
    for (int i = 0; i < yn; i++)
        k *= ys.dims[i];
    for (int i = (int)yn; i < ys.rank; i++)
        nn *= ys.dims[i];
    if (ys.rank != 2)
        y = mo_build_reshape(b, "y2d", y, (int64_t[]){k, nn}, 2, false);
    return mo_pd_set_out(b, "Out", mo_build_op(b, "MatMul", NULL, 2, x, y));
}

/* bmm: [B, M, K] x [B, K, N], a plain MatMul. */
static enum mo_status tr_bmm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                             struct mo_error *err)
{
    return matmul(t, fw, "-", "-", 1.0, err);
}

MO_PD_TABLE(mo_pd_tr_matmul,
            {"bmm", tr_bmm},
            {"matmul", tr_matmul},
            {"matmul_v2", tr_matmul_v2},
            {"mul", tr_mul});
