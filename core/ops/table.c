/* table.c - registers every built-in op family and the helpers they share. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "../context_private.h"
#include "ops.h"

static const struct mo_op_family *const families[] = {
    &mo_ops_io,     &mo_ops_conv,    &mo_ops_pool,   &mo_ops_activation, &mo_ops_eltwise,
    &mo_ops_matmul, &mo_ops_shape,   &mo_ops_gather, &mo_ops_reduce,     &mo_ops_norm,
    &mo_ops_resize, &mo_ops_misc,    &mo_ops_detection, &mo_ops_control, &mo_ops_rnn,
    &mo_ops_fft,    &mo_ops_movement, &mo_ops_generation,
};

enum mo_status mo_ops_register_builtin(struct mo_context *ctx, struct mo_error *err)
{
    struct mo_plugin_ctx pc = {ctx, NULL};
    for (size_t f = 0; f < MO_COUNT_OF(families); f++)
        for (unsigned i = 0; i < families[f]->n; i++) {
            enum mo_status st = mo_register_op(&pc, families[f]->defs[i], err);
            if (st != MO_OK)
                return st;
        }
    return MO_OK;
}

static const struct mo_attr_spec *spec_of(const struct mo_node *n, const char *name)
{
    if (!n->def)
        return NULL;
    for (unsigned i = 0; i < n->def->n_attrs; i++)
        if (!strcmp(n->def->attrs[i].name, name))
            return &n->def->attrs[i];
    return NULL;
}

int mo_attr_ints(const struct mo_node *n, const char *name, int64_t *out, int max)
{
    int c = mo_node_get_ints(n, name, out, max);
    if (c >= 0)
        return c;
    const struct mo_attr_spec *s = spec_of(n, name);
    if (!s || !s->dflt)
        return -1;
    /* defaults are written like "1,1" */
    int k = 0;
    const char *p = s->dflt;
    while (*p && k < max) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p)
            break;
        out[k++] = v;
        p = *end == ',' ? end + 1 : end;
    }
    return k;
}

const char *mo_attr_str(const struct mo_node *n, const char *name)
{
    const char *v = mo_node_get_str(n, name, NULL);
    if (v)
        return v;
    const struct mo_attr_spec *s = spec_of(n, name);
    return s && s->dflt ? s->dflt : "";
}

int64_t mo_attr_int(const struct mo_node *n, const char *name)
{
    if (mo_node_attr(n, name))
        return mo_node_get_int(n, name, 0, NULL);
    const struct mo_attr_spec *s = spec_of(n, name);
    if (s && s->dflt) {
        if (!strcmp(s->dflt, "true"))
            return 1;
        if (!strcmp(s->dflt, "false"))
            return 0;
        return strtoll(s->dflt, NULL, 10);
    }
    return 0;
}

double mo_attr_float(const struct mo_node *n, const char *name)
{
    if (mo_node_attr(n, name))
        return mo_node_get_float(n, name, 0, NULL);
    const struct mo_attr_spec *s = spec_of(n, name);
    return s && s->dflt ? strtod(s->dflt, NULL) : 0;
}

bool mo_attr_bool(const struct mo_node *n, const char *name)
{
    if (mo_node_attr(n, name))
        return mo_node_get_bool(n, name, false, NULL);
    const struct mo_attr_spec *s = spec_of(n, name);
    return s && s->dflt && !strcmp(s->dflt, "true");
}

int mo_const_ints(const struct mo_node *n, unsigned input, int64_t *out, int max)
{
    struct mo_tensor *t = mo_node_const_input(n, input);
    if (!t || t->shape.rank > 1)
        return -1;
    int64_t cnt = mo_tensor_numel(t);
    for (int64_t i = 0; i < cnt && i < max; i++)
        out[i] = mo_tensor_get_i64(t, i);
    return (int)cnt;
}

enum mo_status mo_out_like_in0(struct mo_node *n, const struct mo_shape *s)
{
    return mo_set_out(n, 0, mo_in_et(n, 0), s);
}

enum mo_status mo_infer_identity(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape s = mo_in_shape(n, 0);
    return mo_out_like_in0(n, &s);
}

enum mo_status mo_infer_binary(struct mo_node *n, enum mo_etype out_et, struct mo_error *err)
{
    struct mo_shape a = mo_in_shape(n, 0), b = mo_in_shape(n, 1), o;
    const char *ab = mo_attr_str(n, "auto_broadcast");
    if (!strcmp(ab, "none")) {
        if (a.rank >= 0 && b.rank >= 0 && mo_shape_is_static(&a) && mo_shape_is_static(&b) &&
            !mo_shape_equal(&a, &b)) {
            char sa[128], sb[128];
            return mo_shape_error(n, err, "auto_broadcast=none needs equal shapes, got [%s] and [%s]",
                                  mo_shape_str(&a, sa, sizeof sa), mo_shape_str(&b, sb, sizeof sb));
        }
        o = a.rank >= 0 ? a : b;
    } else {
        enum mo_status st = mo_broadcast_numpy(n, &a, &b, &o, err);
        if (st != MO_OK)
            return st;
    }
    enum mo_etype ea = mo_in_et(n, 0), eb = mo_in_et(n, 1);
    if (ea != MO_ET_UNDEFINED && eb != MO_ET_UNDEFINED && ea != eb)
        return mo_shape_error(n, err, "inputs have different element types (%s and %s)",
                              mo_etype_name(ea), mo_etype_name(eb));
    return mo_set_out(n, 0, out_et == MO_ET_UNDEFINED ? ea : out_et, &o);
}

int mo_attr_floats(const struct mo_node *n, const char *name, double *out, int max)
{
    int c = mo_node_get_floats(n, name, out, max);
    if (c >= 0)
        return c;
    const struct mo_attr_spec *s = spec_of(n, name);
    if (!s || !s->dflt)
        return -1;
    int k = 0;
    const char *p = s->dflt;
    while (*p && k < max) {
        char *end;
        double v = strtod(p, &end);
        if (end == p)
            break;
        out[k++] = v;
        p = *end == ',' ? end + 1 : end;
    }
    return k;
}

int mo_const_f64s(const struct mo_node *n, unsigned input, double *out, int max)
{
    struct mo_tensor *t = mo_node_const_input(n, input);
    if (!t || t->shape.rank > 1)
        return -1;
    int64_t cnt = mo_tensor_numel(t);
    for (int64_t i = 0; i < cnt && i < max; i++)
        out[i] = mo_tensor_get_f64(t, i);
    return (int)cnt;
}

bool mo_const_scalar(const struct mo_node *n, unsigned input, int64_t *v)
{
    struct mo_tensor *t = mo_node_const_input(n, input);
    if (!t || mo_tensor_numel(t) != 1)
        return false;
    *v = mo_tensor_get_i64(t, 0);
    return true;
}

enum mo_status mo_out_unknown(struct mo_node *n, unsigned i, enum mo_etype et)
{
    struct mo_shape u = mo_shape_unknown();
    return mo_set_out(n, i, et, &u);
}

enum mo_status mo_norm_axes(const struct mo_node *n, int64_t *axes, int cnt, int rank,
                            bool allow_dup, struct mo_error *err)
{
    bool seen[MO_MAX_RANK] = {false};
    for (int i = 0; i < cnt; i++) {
        int a = mo_axis_norm(axes[i], rank);
        if (a < 0)
            return mo_shape_error(n, err, "axis %lld is out of range for rank %d",
                                  (long long)axes[i], rank);
        if (seen[a] && !allow_dup)
            return mo_shape_error(n, err, "axis %d is given twice", a);
        seen[a] = true;
        axes[i] = a;
    }
    return MO_OK;
}

struct mo_tensor *mo_eval_out(struct mo_node *n, unsigned i, struct mo_error *err)
{
    if (i >= n->n_outputs || !mo_shape_is_static(&n->outputs[i].shape) ||
        n->outputs[i].et == MO_ET_UNDEFINED)
        return NULL;
    return mo_tensor_new(n->outputs[i].et, &n->outputs[i].shape, err);
}

size_t mo_elem_size(enum mo_etype et)
{
    unsigned bits = mo_etype_bits(et);
    return bits % 8 ? 0 : bits / 8;
}

void mo_shape_strides(const struct mo_shape *s, int64_t *strides)
{
    int64_t st = 1;
    for (int d = s->rank - 1; d >= 0; d--) {
        strides[d] = st;
        st *= s->dims[d];
    }
}

int64_t mo_bcast_index(const struct mo_shape *src, const struct mo_shape *out, const int64_t *idx)
{
    int64_t flat = 0;
    int off = out->rank - src->rank;
    for (int d = 0; d < src->rank; d++)
        flat = flat * src->dims[d] + (src->dims[d] == 1 ? 0 : idx[d + off]);
    return flat;
}

void mo_tensor_set_i64(struct mo_tensor *t, int64_t i, int64_t v)
{
    switch (t->et) {
    case MO_ET_I64:
    case MO_ET_U64:
        memcpy((char *)t->owned + i * 8, &v, 8);
        break;
    case MO_ET_I32: {
        int32_t x = (int32_t)v;
        memcpy((char *)t->owned + i * 4, &x, 4);
        break;
    }
    default:
        mo_tensor_set_f64(t, i, (double)v);
    }
}
