/* tr_matmul.c - Gemm, MatMul, MatMulInteger and Einsum. */
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

/* MatMulInteger: (A - a_zero_point) x (B - b_zero_point) summed in
 * int32; a's zero point is one value or one per row ([M]: it varies along
 * A's second last dim), b's one value or one per column ([N], the last
 * dim, where numpy broadcasting puts it anyway). */
static enum mo_status tr_matmul_integer(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value a = mo_build_in(b, 0, "A");
    struct mo_value c = mo_build_in(b, 1, "B");
    struct mo_value az = mo_build_in_opt(b, 2), bz = mo_build_in_opt(b, 3);
    int ar = mo_value_shape(a).rank;
    a = mo_build_convert(b, "a_i32", a, MO_ET_I32);
    c = mo_build_convert(b, "b_i32", c, MO_ET_I32);
    if (az.node) {
        struct mo_shape zs = mo_value_shape(az);
        az = mo_build_convert(b, "a_zero_point_i32", az, MO_ET_I32);
        if (zs.rank == 1 && zs.dims[0] != 1 && ar >= 2)
            az = mo_build_reshape(b, "a_zero_point_per_row", az, (int64_t[]){-1, 1}, 2, false);
        a = mo_build_op(b, "Subtract", "a_shifted", 2, a, az);
    }
    if (bz.node) {
        bz = mo_build_convert(b, "b_zero_point_i32", bz, MO_ET_I32);
        c = mo_build_op(b, "Subtract", "b_shifted", 2, c, bz);
    }
    return mo_build_done(b, mo_build_op(b, "MatMul", NULL, 2, a, c));
}

static bool is_label(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The equation eq with blanks dropped and, when it has an ellipsis and the
 * inputs' ranks rk[0..n) are known, every "..." spelled out as labels no
 * term uses (right-aligned across the terms, numpy's way) and the output
 * made explicit: the core infers no shape through an ellipsis, and an
 * output needs one.  Allocated in b's graph; NULL once b failed. */
static char *einsum_equation(struct mo_build *b, const char *eq, const int *rk, unsigned n)
{
    size_t len = strlen(eq), k = 0;
    char *clean = mo_graph_alloc(mo_build_graph(b), len + 1);
    if (!clean)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory"), NULL;
    for (size_t i = 0; i < len; i++)
        if (eq[i] != ' ' && eq[i] != '\t')
            clean[k++] = eq[i];
    clean[k] = 0;
    if (!strstr(clean, "..."))
        return clean;
    for (unsigned i = 0; i < n; i++)
        if (rk[i] < 0)
            return clean;
    /* per term: its explicit labels; the ellipsis stands for the rest */
    int once[128] = {0}, ell[MO_MAX_RANK + 1] = {0}, max_ell = 0;
    bool used[128] = {false};
    unsigned term = 0;
    int labels = 0;
    bool has_ell = false;
    const char *arrow = strstr(clean, "->");
    const char *end = arrow ? arrow : clean + strlen(clean);
    for (const char *p = clean;; p++) {
        if (p == end || *p == ',') {
            if (term >= n)
                return mo_build_fail(b, "equation '%s' has more terms than the %u inputs", eq, n), NULL;
            int e = has_ell ? rk[term] - labels : 0;
            if (e < 0 || (!has_ell && labels != rk[term]))
                return mo_build_fail(b, "input %u has rank %d, which equation '%s' does not fit", term, rk[term],
                                     eq), NULL;
            if (term < MO_MAX_RANK + 1)
                ell[term] = e;
            max_ell = e > max_ell ? e : max_ell;
            term++, labels = 0, has_ell = false;
            if (p == end)
                break;
        } else if (*p == '.') {
            has_ell = true;
        } else if (is_label(*p)) {
            labels++;
            once[(unsigned char)*p]++;
        }
    }
    if (term != n || n > MO_MAX_RANK + 1)
        return mo_build_fail(b, "equation '%s' has %u terms for %u inputs", eq, term, n), NULL;
    for (const char *p = clean; *p; p++)
        if (is_label(*p))
            used[(unsigned char)*p] = true;
    char fresh[MO_MAX_RANK];
    int nf = 0;
    for (int c = 'A'; c <= 'z' && nf < max_ell; c++)
        if (is_label((char)c) && !used[c])
            fresh[nf++] = (char)c;
    if (nf < max_ell)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "equation '%s' leaves no labels for its ellipsis", eq),
               NULL;
    /* at most 52 labels per term, the output as long again */
    char *out = mo_graph_alloc(mo_build_graph(b), len + (size_t)(n + 1) * MO_MAX_RANK + 64);
    if (!out)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory"), NULL;
    size_t o = 0;
    term = 0;
    for (const char *p = clean; p < end; p++) {
        if (*p == '.') {
            for (int j = max_ell - ell[term]; j < max_ell; j++)
                out[o++] = fresh[j];
            p += 2;
        } else {
            term += *p == ',';
            out[o++] = *p;
        }
    }
    out[o++] = '-', out[o++] = '>';
    if (arrow) {
        for (const char *p = arrow + 2; *p; p++) {
            if (*p == '.') {
                for (int j = 0; j < max_ell; j++)
                    out[o++] = fresh[j];
                p += 2;
            } else {
                out[o++] = *p;
            }
        }
    } else {
        /* implicit output: the ellipsis, then the labels used once, sorted */
        for (int j = 0; j < max_ell; j++)
            out[o++] = fresh[j];
        for (int c = 'A'; c <= 'z'; c++)
            if (is_label((char)c) && once[c] == 1)
                out[o++] = (char)c;
    }
    out[o] = 0;
    return out;
}

/* Einsum: the IR's (its equation without blanks, ellipses spelled out). */
static enum mo_status tr_einsum(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    const char *eq = mo_node_get_str(fw, "equation", NULL);
    if (!eq)
        return mo_build_fail(b, "the equation attribute is missing");
    unsigned n = fw->n_inputs;
    if (!n || n > MO_MAX_RANK + 1)
        return mo_build_fail(b, "Einsum has %u inputs", n);
    struct mo_value in[MO_MAX_RANK + 1];
    int rk[MO_MAX_RANK + 1];
    for (unsigned i = 0; i < n; i++) {
        in[i] = mo_build_in(b, i, NULL);
        rk[i] = mo_value_shape(in[i]).rank;
    }
    const char *spelled = einsum_equation(b, eq, rk, n);
    struct mo_value y = mo_build_opv(b, "Einsum", NULL, n, in);
    return mo_build_done(b, mo_build_set_str(b, y, "equation", spelled ? spelled : ""));
}

MO_OX_TABLE(mo_ox_tr_matmul,
    {"MatMul", 1, tr_matmul, NULL},
    {"Gemm", 1, tr_gemm, NULL},
    {"MatMulInteger", 10, tr_matmul_integer, NULL},
    {"Einsum", 12, tr_einsum, NULL},
)
