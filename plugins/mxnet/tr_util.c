/* tr_util.c - helpers shared by the MXNet translators: constants, small op
 * builders, axis checks, attribute parsing. */
#include <config.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr_util.h"

/* A translator runs after the node's inputs are translated and inferred, so
 * the IR side carries the shapes; the framework graph does not. */
struct mo_shape mo_mx_in_shape(struct mo_tctx *t, unsigned i)
{
    struct mo_value v = mo_tctx_input(t, i);
    if (!v.node || v.port >= v.node->n_outputs)
        return mo_shape_unknown();
    return v.node->outputs[v.port].shape;
}

enum mo_etype mo_mx_in_et(struct mo_tctx *t, unsigned i)
{
    struct mo_value v = mo_tctx_input(t, i);
    if (!v.node || v.port >= v.node->n_outputs)
        return MO_ET_UNDEFINED;
    return v.node->outputs[v.port].et;
}

bool mo_mx_static(struct mo_tctx *t, unsigned i, struct mo_shape *out)
{
    *out = mo_mx_in_shape(t, i);
    return out->rank >= 0 && mo_shape_is_static(out);
}

enum mo_status mo_mx_input(struct mo_tctx *t, const struct mo_node *fw, unsigned i,
                           struct mo_value *out, struct mo_error *err)
{
    *out = mo_tctx_input(t, i);
    if (!out->node)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "input %u is missing (the node has %u)", i,
                            fw->n_inputs);
    return MO_OK;
}

enum mo_status mo_mx_bad(struct mo_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum mo_status st = mo_error_vset(err, MO_ERR_FORMAT, 0, fmt, ap);
    va_end(ap);
    return st;
}

static char *child_name(struct mo_tctx *t, const struct mo_node *fw, const char *suffix)
{
    struct mo_graph *g = mo_tctx_graph(t);
    return suffix ? mo_graph_printf(g, "%s/%s", fw->name, suffix) : mo_graph_strdup(g, fw->name);
}

struct mo_node *mo_mx_const_i64(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                const int64_t *v, size_t n, struct mo_error *err)
{
    char *name = child_name(t, fw, suffix);
    if (!name) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    /* a zero-length list still needs a valid pointer for the copy */
    static const int64_t none = 0;
    return mo_const_i64(mo_tctx_graph(t), name, n ? v : &none, n, false, err);
}

struct mo_node *mo_mx_scalar_i64(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                 int64_t v, struct mo_error *err)
{
    char *name = child_name(t, fw, suffix);
    if (!name) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    return mo_const_i64(mo_tctx_graph(t), name, &v, 1, true, err);
}

struct mo_node *mo_mx_const_tensor(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                   struct mo_tensor *v, struct mo_error *err)
{
    char *name = child_name(t, fw, suffix);
    if (!name) {
        mo_tensor_unref(v);
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    return mo_const(mo_tctx_graph(t), name, v, err);
}

struct mo_node *mo_mx_op(struct mo_tctx *t, const char *type, const char *suffix,
                         struct mo_error *err, unsigned n, ...)
{
    struct mo_value in[8];
    if (n > MO_COUNT_OF(in)) {
        mo_error_set(err, MO_ERR_INTERNAL, 0, "mo_mx_op: too many inputs");
        return NULL;
    }
    va_list ap;
    va_start(ap, n);
    for (unsigned i = 0; i < n; i++)
        in[i] = va_arg(ap, struct mo_value);
    va_end(ap);
    for (unsigned i = 0; i < n; i++)
        if (!in[i].node) {
            if (err && err->code == MO_OK)
                mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            return NULL;
        }
    return mo_tctx_op(t, type, suffix, n, in, err);
}

struct mo_node *mo_mx_scalar_const(struct mo_tctx *t, const char *suffix, enum mo_etype et,
                                   double v, struct mo_error *err)
{
    struct mo_shape s = mo_shape_scalar();
    struct mo_tensor *tv = mo_tensor_new(et == MO_ET_UNDEFINED ? MO_ET_F32 : et, &s, err);
    if (!tv)
        return NULL;
    mo_tensor_set_f64(tv, 0, v);
    /* mo_tctx_op names the node; a Const made that way has no value yet */
    struct mo_node *n = mo_tctx_op(t, "Const", suffix, 0, NULL, err);
    if (!n) {
        mo_tensor_unref(tv);
        return NULL;
    }
    n->value = tv;
    return n;
}

struct mo_node *mo_mx_reshape(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                              struct mo_value v, const int64_t *dims, int rank,
                              struct mo_error *err)
{
    char cs[64];
    snprintf(cs, sizeof cs, "%s/shape", suffix ? suffix : "reshape");
    struct mo_node *c = mo_mx_const_i64(t, fw, cs, dims, (size_t)rank, err);
    if (!c)
        return NULL;
    struct mo_node *r = mo_mx_op(t, "Reshape", suffix, err, 2, v, mo_val(c, 0));
    if (r && mo_node_set_bool(r, "special_zero", false) != MO_OK) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    return r;
}

struct mo_node *mo_mx_transpose(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                struct mo_value v, const int64_t *perm, int rank,
                                struct mo_error *err)
{
    char cs[64];
    snprintf(cs, sizeof cs, "%s/order", suffix ? suffix : "transpose");
    struct mo_node *c = mo_mx_const_i64(t, fw, cs, perm, (size_t)rank, err);
    if (!c)
        return NULL;
    return mo_mx_op(t, "Transpose", suffix, err, 2, v, mo_val(c, 0));
}

struct mo_node *mo_mx_convert(struct mo_tctx *t, const char *suffix, struct mo_value v,
                              enum mo_etype et, struct mo_error *err)
{
    struct mo_node *n = mo_mx_op(t, "Convert", suffix, err, 1, v);
    if (n && mo_node_set_str(n, "destination_type", mo_etype_name(et)) != MO_OK) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    return n;
}

enum mo_status mo_mx_axis(const char *attr, int64_t axis, int rank, int *out,
                          struct mo_error *err)
{
    int a = mo_axis_norm(axis, rank);
    if (a < 0)
        return mo_mx_bad(err, "%s=%lld is out of range for an input of rank %d", attr,
                         (long long)axis, rank);
    *out = a;
    return MO_OK;
}

enum mo_etype mo_mx_dtype(const char *name)
{
    static const struct {
        const char *mx;
        enum mo_etype et;
    } map[] = {
        {"float32", MO_ET_F32}, {"float16", MO_ET_F16}, {"float64", MO_ET_F64},
        {"bfloat16", MO_ET_BF16}, {"uint8", MO_ET_U8},  {"int8", MO_ET_I8},
        {"int32", MO_ET_I32},   {"int64", MO_ET_I64},   {"bool", MO_ET_BOOLEAN},
    };
    for (size_t i = 0; name && i < MO_COUNT_OF(map); i++)
        if (!strcmp(name, map[i].mx))
            return map[i].et;
    return MO_ET_UNDEFINED;
}

bool mo_mx_attr_none(const struct mo_node *fw, const char *name)
{
    const char *s = mo_node_get_str(fw, name, NULL);
    return !s || !strcmp(s, "None") || !*s;
}

int mo_mx_get_opt_ints(const struct mo_node *fw, const char *name, int64_t *v, bool *present,
                       int max)
{
    const char *s = mo_node_get_str(fw, name, NULL);
    if (!s) {
        /* attributes set programmatically may be typed lists already */
        int n = mo_node_get_ints(fw, name, v, max);
        for (int i = 0; i < n; i++)
            present[i] = true;
        return n;
    }
    int n = 0;
    const char *p = s;
    while (*p) {
        while (*p && (isspace((unsigned char)*p) || *p == '(' || *p == '[' || *p == ','))
            p++;
        if (!*p || *p == ')' || *p == ']')
            break;
        if (n >= max)
            return -2;
        if (!strncmp(p, "None", 4)) {
            present[n] = false;
            v[n++] = 0;
            p += 4;
            continue;
        }
        char *end;
        long long x = strtoll(p, &end, 10);
        if (end == p)
            return -2;
        /* "3L" spellings from Python 2 era symbols */
        while (*end == 'L' || *end == 'l')
            end++;
        present[n] = true;
        v[n++] = x;
        p = end;
    }
    return n;
}

int64_t mo_mx_prod(const struct mo_shape *s, int from, int to)
{
    int64_t p = 1;
    for (int i = from; i < to; i++)
        p *= s->dims[i];
    return p;
}
