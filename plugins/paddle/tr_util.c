/* tr_util.c - helpers shared by the Paddle translators: slot lookup,
 * constants, small op builders, Paddle's axis rules. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "paddle.h"

static int slot_index(const struct mo_node *fw, const char *key, const char *slot, unsigned k)
{
    const struct mo_attr *a = mo_node_attr(fw, key);
    if (!a || a->kind != MO_ATTR_STRINGS)
        return -1;
    for (size_t i = 0; i < a->u.strs.n; i++)
        if (!strcmp(a->u.strs.v[i], slot) && k-- == 0)
            return (int)i;
    return -1;
}

int mo_pd_in_index(const struct mo_node *fw, const char *slot, unsigned k)
{
    return slot_index(fw, MO_PD_IN_SLOTS, slot, k);
}

int mo_pd_out_index(const struct mo_node *fw, const char *slot, unsigned k)
{
    return slot_index(fw, MO_PD_OUT_SLOTS, slot, k);
}

unsigned mo_pd_in_count(const struct mo_node *fw, const char *slot)
{
    unsigned c = 0;
    while (mo_pd_in_index(fw, slot, c) >= 0)
        c++;
    return c;
}

struct mo_value mo_pd_in(struct mo_tctx *t, const struct mo_node *fw, const char *slot,
                         unsigned k)
{
    int i = mo_pd_in_index(fw, slot, k);
    if (i < 0)
        return (struct mo_value){NULL, 0};
    return mo_tctx_input(t, (unsigned)i);
}

enum mo_status mo_pd_need(struct mo_tctx *t, const struct mo_node *fw, const char *slot,
                          struct mo_value *out, struct mo_error *err)
{
    *out = mo_pd_in(t, fw, slot, 0);
    if (!out->node)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "input slot '%s' is missing", slot);
    return MO_OK;
}

enum mo_status mo_pd_set_out(struct mo_tctx *t, const struct mo_node *fw, const char *slot,
                             struct mo_value v, struct mo_error *err)
{
    int i = mo_pd_out_index(fw, slot, 0);
    if (i < 0)
        return MO_OK;
    return mo_tctx_set_output(t, (unsigned)i, v, err);
}

struct mo_shape mo_pd_shape(struct mo_value v)
{
    if (!v.node || v.port >= v.node->n_outputs)
        return mo_shape_unknown();
    return v.node->outputs[v.port].shape;
}

enum mo_etype mo_pd_et(struct mo_value v)
{
    if (!v.node || v.port >= v.node->n_outputs)
        return MO_ET_UNDEFINED;
    return v.node->outputs[v.port].et;
}

struct mo_node *mo_pd_op(struct mo_tctx *t, const char *type, const char *suffix,
                         struct mo_error *err, unsigned n, ...)
{
    struct mo_value in[8];
    va_list ap;
    va_start(ap, n);
    for (unsigned i = 0; i < n && i < 8; i++)
        in[i] = va_arg(ap, struct mo_value);
    va_end(ap);
    return mo_tctx_op(t, type, suffix, n < 8 ? n : 8, in, err);
}

/* Const named after the framework node: mo_tctx_op gives the name, the
 * value is attached before the core infers the node. Takes t's reference. */
static struct mo_node *named_const(struct mo_tctx *t, const char *suffix, struct mo_tensor *v,
                                   struct mo_error *err)
{
    if (!v)
        return NULL;
    struct mo_node *c = mo_tctx_op(t, "Const", suffix, 0, NULL, err);
    if (!c) {
        mo_tensor_unref(v);
        return NULL;
    }
    c->value = v;
    c->outputs[0].et = v->et;
    c->outputs[0].shape = v->shape;
    return c;
}

struct mo_node *mo_pd_i64(struct mo_tctx *t, const char *suffix, const int64_t *v, size_t n,
                          struct mo_error *err)
{
    struct mo_shape s = mo_shape_of((int64_t)n);
    return named_const(t, suffix, mo_tensor_from_data(MO_ET_I64, &s, v, n * sizeof *v, err), err);
}

struct mo_node *mo_pd_scalar_i64(struct mo_tctx *t, const char *suffix, int64_t v,
                                 struct mo_error *err)
{
    struct mo_shape s = mo_shape_scalar();
    return named_const(t, suffix, mo_tensor_from_data(MO_ET_I64, &s, &v, sizeof v, err), err);
}

struct mo_node *mo_pd_scalar(struct mo_tctx *t, const char *suffix, enum mo_etype et, double v,
                             struct mo_error *err)
{
    struct mo_shape s = mo_shape_scalar();
    if (et == MO_ET_UNDEFINED)
        et = MO_ET_F32;
    struct mo_tensor *x = mo_tensor_new(et, &s, err);
    if (!x)
        return NULL;
    if (!mo_tensor_mutable(&x, err)) {
        mo_tensor_unref(x);
        return NULL;
    }
    mo_tensor_set_f64(x, 0, v);
    return named_const(t, suffix, x, err);
}

struct mo_node *mo_pd_const_tensor(struct mo_tctx *t, const char *suffix, struct mo_tensor *v,
                                   struct mo_error *err)
{
    return named_const(t, suffix, v, err);
}

struct mo_node *mo_pd_reshape(struct mo_tctx *t, const char *suffix, struct mo_value v,
                              const int64_t *dims, int rank, struct mo_error *err)
{
    char cs[128];
    snprintf(cs, sizeof cs, "%s/shape", suffix ? suffix : "reshape");
    struct mo_node *s = mo_pd_i64(t, cs, dims, (size_t)rank, err);
    struct mo_node *r = s ? mo_pd_op(t, "Reshape", suffix, err, 2, v, mo_val(s, 0)) : NULL;
    if (r && mo_node_set_bool(r, "special_zero", false) != MO_OK)
        return NULL;
    return r;
}

struct mo_node *mo_pd_transpose(struct mo_tctx *t, const char *suffix, struct mo_value v,
                                const int64_t *perm, int rank, struct mo_error *err)
{
    char cs[128];
    snprintf(cs, sizeof cs, "%s/order", suffix ? suffix : "transpose");
    struct mo_node *s = mo_pd_i64(t, cs, perm, (size_t)rank, err);
    return s ? mo_pd_op(t, "Transpose", suffix, err, 2, v, mo_val(s, 0)) : NULL;
}

struct mo_node *mo_pd_convert(struct mo_tctx *t, const char *suffix, struct mo_value v,
                              enum mo_etype et, struct mo_error *err)
{
    struct mo_node *c = mo_pd_op(t, "Convert", suffix, err, 1, v);
    if (c && mo_node_set_str(c, "destination_type", mo_etype_name(et)) != MO_OK)
        return NULL;
    return c;
}

enum mo_status mo_pd_align(struct mo_tctx *t, const char *suffix, struct mo_value *v, int axis,
                           int rank, struct mo_error *err)
{
    struct mo_shape s = mo_pd_shape(*v);
    if (s.rank < 0 || axis < 0 || s.rank == rank || axis + s.rank >= rank)
        return MO_OK;
    /* Paddle lines y's dims up with x's starting at `axis`: numpy
     * broadcasting needs y's trailing dims padded with ones */
    int64_t axes[MO_MAX_RANK];
    int n = rank - axis - s.rank;
    for (int i = 0; i < n && i < MO_MAX_RANK; i++)
        axes[i] = s.rank + i;
    char cs[128];
    snprintf(cs, sizeof cs, "%s/axes", suffix);
    struct mo_node *a = mo_pd_i64(t, cs, axes, (size_t)n, err);
    struct mo_node *u = a ? mo_pd_op(t, "Unsqueeze", suffix, err, 2, *v, mo_val(a, 0)) : NULL;
    if (!u)
        return mo_pd_status(err);
    *v = mo_val(u, 0);
    return MO_OK;
}

enum mo_status mo_pd_bad(struct mo_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum mo_status st = mo_error_vset(err, MO_ERR_UNSUPPORTED, 0, fmt, ap);
    va_end(ap);
    return st;
}

int mo_pd_ints(const struct mo_node *fw, const char *name, int64_t *out, int max)
{
    return mo_node_get_ints(fw, name, out, max);
}

enum mo_etype mo_pd_etype(int vt)
{
    switch (vt) {
    case 0: return MO_ET_BOOLEAN;
    case 1: return MO_ET_I16;
    case 2: return MO_ET_I32;
    case 3: return MO_ET_I64;
    case 4: return MO_ET_F16;
    case 5: return MO_ET_F32;
    case 6: return MO_ET_F64;
    case 20: return MO_ET_U8;
    case 21: return MO_ET_I8;
    case 22: return MO_ET_BF16;
    case 36: return MO_ET_U16;
    case 37: return MO_ET_U32;
    case 38: return MO_ET_U64;
    default: return MO_ET_UNDEFINED;
    }
}

enum mo_etype mo_pd_etype_name(const char *name)
{
    static const struct { const char *n; enum mo_etype et; } v[] = {
        {"bool", MO_ET_BOOLEAN}, {"int16", MO_ET_I16},  {"int32", MO_ET_I32},
        {"int64", MO_ET_I64},    {"float16", MO_ET_F16}, {"float32", MO_ET_F32},
        {"float64", MO_ET_F64},  {"uint8", MO_ET_U8},    {"int8", MO_ET_I8},
        {"bfloat16", MO_ET_BF16}, {"uint16", MO_ET_U16}, {"uint32", MO_ET_U32},
        {"uint64", MO_ET_U64},   {"b", MO_ET_BOOLEAN},   {"i16", MO_ET_I16},
        {"i32", MO_ET_I32},      {"i64", MO_ET_I64},     {"f16", MO_ET_F16},
        {"f32", MO_ET_F32},      {"f64", MO_ET_F64},     {"ui8", MO_ET_U8},
        {"i8", MO_ET_I8},        {"bf16", MO_ET_BF16},
    };
    for (size_t i = 0; name && i < MO_COUNT_OF(v); i++)
        if (!strcmp(name, v[i].n))
            return v[i].et;
    return MO_ET_UNDEFINED;
}

enum mo_status mo_pd_axis(const struct mo_node *fw, const char *name, int64_t dflt, int rank,
                          int *out, struct mo_error *err)
{
    int64_t a = mo_node_get_int(fw, name, dflt, NULL);
    int v = mo_axis_norm(a, rank);
    if (v < 0)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "attribute %s=%lld is out of range for rank %d",
                            name, (long long)a, rank);
    *out = v;
    return MO_OK;
}

void mo_pd_resolve_target(const struct mo_shape *xs, int64_t *d, int n)
{
    if (xs->rank < 0)
        return;
    int minus = -1, dyn_in = 0, dyn_copied = 0;
    int64_t in_static = 1, out_static = 1;
    for (int i = 0; i < xs->rank; i++) {
        if (xs->dims[i] < 0)
            dyn_in++;
        else
            in_static *= xs->dims[i];
    }
    for (int i = 0; i < n; i++) {
        if (d[i] == 0 && i < xs->rank) {
            if (xs->dims[i] >= 0)
                d[i] = xs->dims[i];
            else {
                dyn_copied++;
                continue;
            }
        }
        if (d[i] == -1)
            minus = i;
        else
            out_static *= d[i];
    }
    /* the dynamic dims are all carried over by zeros: -1 is computable */
    if (minus >= 0 && dyn_copied > 0 && dyn_copied == dyn_in && out_static > 0 &&
        in_static % out_static == 0)
        d[minus] = in_static / out_static;
}
