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

struct mo_value mo_mx_in(struct mo_tctx *t, const struct mo_node *fw, unsigned i, const char *what,
                         struct mo_error *err)
{
    (void)fw;
    struct mo_value v = mo_tctx_input(t, i);
    if (!v.node)
        mo_error_set(err, MO_ERR_FORMAT, 2, "input %u (%s) is missing", i, what);
    return v;
}

const struct mo_output *mo_mx_out(struct mo_value v)
{
    return &v.node->outputs[v.port];
}

struct mo_tensor *mo_mx_const_of(struct mo_value v)
{
    return v.node && v.node->value && !strcmp(v.node->type, "Const") ? v.node->value : NULL;
}

enum mo_status mo_mx_done(struct mo_tctx *t, struct mo_node *n, struct mo_error *err)
{
    return n ? mo_tctx_set_output(t, 0, mo_val(n, 0), err) : mo_mx_status(err);
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

struct mo_node *mo_mx_const(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                            enum mo_etype et, const struct mo_shape *sh, const double *vals,
                            struct mo_error *err)
{
    struct mo_tensor *c = mo_tensor_new(et, sh, err);
    if (!c)
        return NULL;
    int64_t n = mo_tensor_numel(c);
    for (int64_t i = 0; i < n; i++)
        mo_tensor_set_f64(c, i, vals[i]);
    return mo_mx_const_tensor(t, fw, suffix, c, err);
}

struct mo_node *mo_mx_scalar(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                             enum mo_etype et, double v, struct mo_error *err)
{
    struct mo_shape s = mo_shape_scalar();
    return mo_mx_const(t, fw, suffix, et == MO_ET_UNDEFINED ? MO_ET_F32 : et, &s, &v, err);
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

struct mo_value mo_mx_reshape_value(struct mo_tctx *t, const struct mo_node *fw, struct mo_value v,
                                    const char *suffix, const struct mo_shape *sh,
                                    struct mo_error *err)
{
    struct mo_value none = {NULL, 0};
    struct mo_tensor *c = mo_mx_const_of(v);
    if (c) {
        if (mo_tensor_numel(c) != mo_shape_numel(sh)) {
            char a[96], b[96];
            mo_error_set(err, MO_ERR_SHAPE, 0, "weight '%s' has shape [%s], %lld values; the layer needs [%s]",
                         v.node->name, mo_shape_str(&c->shape, a, sizeof a), (long long)mo_tensor_numel(c),
                         mo_shape_str(sh, b, sizeof b));
            return none;
        }
        struct mo_tensor *r = mo_tensor_reshaped(c, sh, err);
        struct mo_node *n = r ? mo_mx_const_tensor(t, fw, suffix, r, err) : NULL;
        return n ? mo_val(n, 0) : none;
    }
    int64_t dims[MO_MAX_RANK];
    for (int i = 0; i < sh->rank; i++)
        dims[i] = sh->dims[i];
    struct mo_node *r = mo_mx_reshape(t, fw, suffix, v, dims, sh->rank, err);
    return r ? mo_val(r, 0) : none;
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

enum mo_status mo_mx_axis_err(const char *attr, int64_t axis, int rank, int *out,
                          struct mo_error *err)
{
    int a = mo_axis_norm(axis, rank);
    if (a < 0)
        return mo_mx_bad(err, "%s=%lld is out of range for an input of rank %d", attr,
                         (long long)axis, rank);
    *out = a;
    return MO_OK;
}

bool mo_mx_axis(struct mo_build *b, const char *attr, int64_t axis, int rank, int *out)
{
    *out = mo_axis_norm(axis, rank);
    if (*out >= 0)
        return true;
    *out = 0;
    mo_build_fail(b, "%s=%lld is out of range for an input of rank %d", attr, (long long)axis, rank);
    return false;
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

struct mo_node *mo_mx_priors_var(struct mo_tctx *t, const struct mo_node *fw, struct mo_value anchors,
                                 int64_t na, const double *var, struct mo_error *err)
{
    int64_t p3[3] = {1, 1, na * 4};
    struct mo_node *pb = mo_mx_reshape(t, fw, "priors", anchors, p3, 3, err);
    if (!pb)
        return NULL;
    struct mo_shape vs = mo_shape_of(1, 1, na * 4);
    struct mo_tensor *vt = mo_tensor_new(MO_ET_F32, &vs, err);
    if (!vt)
        return NULL;
    for (int64_t i = 0; i < na * 4; i++)
        mo_tensor_set_f64(vt, i, (double)(float)var[i % 4]);
    struct mo_node *vc = mo_mx_const_tensor(t, fw, "variances", vt, err);
    if (!vc)
        return NULL;
    struct mo_value pp[2] = {mo_val(pb, 0), mo_val(vc, 0)};
    struct mo_node *pr = mo_tctx_op(t, "Concat", "priors_var", 2, pp, err);
    if (pr && mo_node_set_int(pr, "axis", 1)) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    return pr;
}

bool mo_mx_tuple(struct mo_build *b, const char *name, int n, int64_t dflt, int64_t *out)
{
    int64_t tmp[MO_MAX_RANK];
    int c = mo_node_get_ints(mo_build_fw(b), name, tmp, MO_MAX_RANK);
    if (c != n && c > 1) {
        mo_build_error(b, MO_ERR_FORMAT, 2, "attribute %s has %d values for %d spatial dims", name, c, n);
        return false;
    }
    for (int i = 0; i < n; i++)
        out[i] = c <= 0 ? dflt : c == 1 ? tmp[0] : tmp[i];
    return true;
}

int64_t mo_mx_prod(const struct mo_shape *s, int from, int to)
{
    int64_t p = 1;
    for (int i = from; i < to; i++)
        p *= s->dims[i];
    return p;
}
