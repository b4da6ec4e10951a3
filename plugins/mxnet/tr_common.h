/* tr_common.h - small helpers shared by the MXNet translators (private, header-only).
 *
 * Every helper that creates a node returns NULL with err filled on failure;
 * nodes belong to the IR graph being built (mo_tctx_graph), so nothing here
 * needs freeing.  Names of helper nodes are "<fw node>/<suffix>"; the node
 * that produces a translated layer's output carries the layer's own name. */
#ifndef MO_MX_TR_COMMON_H
#define MO_MX_TR_COMMON_H

#include <stdio.h>
#include <string.h>

#include "mxnet.h"

/* The status to return after a helper failed. */
static inline enum mo_status mx_status(const struct mo_error *err)
{
    return err && err->code != MO_OK ? err->code : MO_ERR_NOMEM;
}

#define MX_TRY(x)                                                                      \
    do {                                                                               \
        if (!(x))                                                                      \
            return mx_status(err);                                                     \
    } while (0)

static inline const struct mo_output *mx_out(struct mo_value v)
{
    return &v.node->outputs[v.port];
}

/* The constant tensor behind value v, or NULL if v is not a Const. */
static inline struct mo_tensor *mx_const_of(struct mo_value v)
{
    return v.node && v.node->value && !strcmp(v.node->type, "Const") ? v.node->value : NULL;
}

/* Framework input i; a missing one is an error naming the slot. */
static inline struct mo_value mx_in(struct mo_tctx *t, const struct mo_node *fw, unsigned i,
                                    const char *what, struct mo_error *err)
{
    struct mo_value v = mo_tctx_input(t, i);
    if (!v.node)
        mo_error_set(err, MO_ERR_FORMAT, 2, "input %u (%s) is missing", i, what);
    (void)fw;
    return v;
}

static inline struct mo_node *mx_op1(struct mo_tctx *t, const char *type, const char *suffix,
                                     struct mo_value a, struct mo_error *err)
{
    return mo_tctx_op(t, type, suffix, 1, &a, err);
}

static inline struct mo_node *mx_op2(struct mo_tctx *t, const char *type, const char *suffix,
                                     struct mo_value a, struct mo_value b, struct mo_error *err)
{
    struct mo_value in[2] = {a, b};
    return mo_tctx_op(t, type, suffix, 2, in, err);
}

static inline char *mx_name(struct mo_tctx *t, const struct mo_node *fw, const char *suffix)
{
    return mo_graph_printf(mo_tctx_graph(t), "%s/%s", fw->name, suffix);
}

/* A constant of element type et and shape sh filled from vals (converted). */
static inline struct mo_node *mx_const(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                       enum mo_etype et, const struct mo_shape *sh, const double *vals,
                                       struct mo_error *err)
{
    struct mo_tensor *c = mo_tensor_new(et, sh, err);
    if (!c)
        return NULL;
    int64_t n = mo_tensor_numel(c);
    for (int64_t i = 0; i < n; i++)
        mo_tensor_set_f64(c, i, vals[i]);
    char *name = mx_name(t, fw, suffix);
    if (!name) {
        mo_tensor_unref(c);
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    return mo_const(mo_tctx_graph(t), name, c, err);
}

/* A 0-D constant: broadcasts against anything. */
static inline struct mo_node *mx_scalar(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                        enum mo_etype et, double v, struct mo_error *err)
{
    struct mo_shape s = mo_shape_scalar();
    return mx_const(t, fw, suffix, et, &s, &v, err);
}

static inline struct mo_node *mx_i64(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                     const int64_t *v, size_t n, struct mo_error *err)
{
    char *name = mx_name(t, fw, suffix);
    if (!name) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    return mo_const_i64(mo_tctx_graph(t), name, v, n, false, err);
}

/* v with shape sh: a constant is reshaped in place of copying (its bytes
 * stay borrowed from the model file); anything else gets a Reshape op. */
static inline struct mo_value mx_reshape(struct mo_tctx *t, const struct mo_node *fw, struct mo_value v,
                                         const char *suffix, const struct mo_shape *sh,
                                         struct mo_error *err)
{
    struct mo_value none = {NULL, 0};
    struct mo_tensor *c = mx_const_of(v);
    if (c) {
        if (mo_tensor_numel(c) != mo_shape_numel(sh)) {
            char a[96], b[96];
            mo_error_set(err, MO_ERR_SHAPE, 0, "weight '%s' has shape [%s], %lld values; the layer needs [%s]",
                         v.node->name, mo_shape_str(&c->shape, a, sizeof a), (long long)mo_tensor_numel(c),
                         mo_shape_str(sh, b, sizeof b));
            return none;
        }
        struct mo_tensor *r = mo_tensor_reshaped(c, sh, err);
        char *name = r ? mx_name(t, fw, suffix) : NULL;
        struct mo_node *n = name ? mo_const(mo_tctx_graph(t), name, r, err) : NULL;
        if (!n && r && !name) {
            mo_tensor_unref(r);
            mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        }
        return n ? mo_val(n, 0) : none;
    }
    int64_t dims[MO_MAX_RANK];
    for (int i = 0; i < sh->rank; i++)
        dims[i] = sh->dims[i];
    char csuf[128];
    snprintf(csuf, sizeof csuf, "%s/shape", suffix);
    struct mo_node *s = mx_i64(t, fw, csuf, dims, (size_t)sh->rank, err);
    struct mo_node *r = s ? mx_op2(t, "Reshape", suffix, v, mo_val(s, 0), err) : NULL;
    if (r && mo_node_set_bool(r, "special_zero", false) != MO_OK)
        r = NULL;
    return r ? mo_val(r, 0) : none;
}

/* Read an MXNet tuple attribute ("(3, 3)") of exactly n values; absent or
 * "()" gives dflt everywhere.  A single value is repeated (MXNet accepts
 * kernel=3 for 1-D layers only, but older files wrote "3" for all).
 * Returns false (err filled) when the count is wrong. */
static inline bool mx_tuple(const struct mo_node *fw, const char *name, int n, int64_t dflt,
                            int64_t *out, struct mo_error *err)
{
    int64_t tmp[MO_MAX_RANK];
    int c = mo_node_get_ints(fw, name, tmp, MO_MAX_RANK);
    if (c <= 0) {
        for (int i = 0; i < n; i++)
            out[i] = dflt;
        return true;
    }
    if (c == 1) {
        for (int i = 0; i < n; i++)
            out[i] = tmp[0];
        return true;
    }
    if (c != n) {
        mo_error_set(err, MO_ERR_FORMAT, 2, "attribute %s has %d values for %d spatial dims", name, c, n);
        return false;
    }
    for (int i = 0; i < n; i++)
        out[i] = tmp[i];
    return true;
}

/* Declare the layer's output 0 (most translators have one output). */
static inline enum mo_status mx_done(struct mo_tctx *t, struct mo_node *n, struct mo_error *err)
{
    return mo_tctx_set_output(t, 0, mo_val(n, 0), err);
}

#endif
