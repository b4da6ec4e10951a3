/* table.c - registers every built-in op family and the helpers they share. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "../context_private.h"
#include "ops.h"

static const struct mo_op_family *const families[] = {
    &mo_ops_io,     &mo_ops_conv,    &mo_ops_pool,   &mo_ops_activation, &mo_ops_eltwise,
    &mo_ops_matmul, &mo_ops_shape,   &mo_ops_gather, &mo_ops_reduce,     &mo_ops_norm,
    &mo_ops_resize, &mo_ops_misc,    &mo_ops_detection,
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
