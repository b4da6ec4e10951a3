/* tr_matmul.c - matmul (v1, with alpha), matmul_v2, mul (fc's flattening). */
#include <config.h>

#include <string.h>

#include "paddle.h"

static enum mo_status matmul(struct mo_tctx *t, const struct mo_node *fw, const char *ta,
                             const char *tb, double alpha, struct mo_error *err)
{
    struct mo_value x, y;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "Y", &y, err);
    if (st != MO_OK)
        return st;
    struct mo_node *n = mo_pd_op(t, "MatMul", alpha != 1.0 ? "matmul" : NULL, err, 2, x, y);
    if (!n)
        return mo_pd_status(err);
    st = mo_node_set_bool(n, "transpose_a", mo_node_get_bool(fw, ta, false, NULL));
    if (st == MO_OK)
        st = mo_node_set_bool(n, "transpose_b", mo_node_get_bool(fw, tb, false, NULL));
    if (st != MO_OK)
        return st;
    struct mo_value out = mo_val(n, 0);
    if (alpha != 1.0) {
        struct mo_node *a = mo_pd_scalar(t, "alpha", mo_pd_et(x), alpha, err);
        struct mo_node *m = a ? mo_pd_op(t, "Multiply", NULL, err, 2, out, mo_val(a, 0)) : NULL;
        if (!m)
            return mo_pd_status(err);
        out = mo_val(m, 0);
    }
    return mo_pd_set_out(t, fw, "Out", out, err);
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
    struct mo_value x, y;
    enum mo_status st = mo_pd_need(t, fw, "X", &x, err);
    if (st == MO_OK)
        st = mo_pd_need(t, fw, "Y", &y, err);
    if (st != MO_OK)
        return st;
    struct mo_shape xs = mo_pd_shape(x), ys = mo_pd_shape(y);
    int64_t xn = mo_node_get_int(fw, "x_num_col_dims", 1, NULL);
    int64_t yn = mo_node_get_int(fw, "y_num_col_dims", 1, NULL);
    if (xs.rank < 0 || ys.rank < 0 || xn < 1 || xn >= xs.rank || yn < 1 || yn >= ys.rank ||
        !mo_shape_is_static(&ys))
        return mo_pd_bad(err, "mul needs known ranks and a static Y");
    if (xs.rank != xn + 1) {
        /* keep the leading dims (special zero), fold the rest into K */
        int64_t d[MO_MAX_RANK];
        for (int i = 0; i < xn; i++)
            d[i] = 0;
        d[xn] = -1;
        mo_pd_resolve_target(&xs, d, (int)xn + 1);
        struct mo_node *r = mo_pd_reshape(t, "x2d", x, d, (int)xn + 1, err);
        if (!r || mo_node_set_bool(r, "special_zero", true) != MO_OK)
            return mo_pd_status(err);
        x = mo_val(r, 0);
    }
    int64_t k = 1, nn = 1;
    for (int i = 0; i < yn; i++)
        k *= ys.dims[i];
    for (int i = (int)yn; i < ys.rank; i++)
        nn *= ys.dims[i];
    if (ys.rank != 2) {
        int64_t d[2] = {k, nn};
        struct mo_node *r = mo_pd_reshape(t, "y2d", y, d, 2, err);
        if (!r)
            return mo_pd_status(err);
        y = mo_val(r, 0);
    }
    struct mo_node *m = mo_pd_op(t, "MatMul", NULL, err, 2, x, y);
    if (!m)
        return mo_pd_status(err);
    return mo_pd_set_out(t, fw, "Out", mo_val(m, 0), err);
}

MO_PD_TABLE(mo_pd_tr_matmul,
            {"matmul", tr_matmul},
            {"matmul_v2", tr_matmul_v2},
            {"mul", tr_mul});
