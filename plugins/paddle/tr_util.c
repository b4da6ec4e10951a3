/* tr_util.c - what the Paddle translators share beyond the SDK builder:
 * slot lookup, Paddle's attribute conventions and dtype numbers. */
#include <config.h>

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

unsigned mo_pd_out_count(const struct mo_node *fw, const char *slot)
{
    unsigned c = 0;
    while (mo_pd_out_index(fw, slot, c) >= 0)
        c++;
    return c;
}

struct mo_value mo_pd_in_opt(struct mo_build *b, const char *slot, unsigned k)
{
    if (!mo_build_ok(b))
        return MO_NO_VALUE;
    int i = mo_pd_in_index(mo_build_fw(b), slot, k);
    return i < 0 ? MO_NO_VALUE : mo_build_in_opt(b, (unsigned)i);
}

struct mo_value mo_pd_in(struct mo_build *b, const char *slot, unsigned k)
{
    struct mo_value v = mo_pd_in_opt(b, slot, k);
    if (!v.node)
        mo_build_error(b, MO_ERR_FORMAT, 2, "input slot '%s' is missing", slot);
    return v;
}

enum mo_status mo_pd_set_out(struct mo_build *b, const char *slot, struct mo_value v)
{
    int i = mo_build_ok(b) ? mo_pd_out_index(mo_build_fw(b), slot, 0) : -1;
    return i < 0 ? mo_build_status(b) : mo_build_output(b, (unsigned)i, v);
}

int mo_pd_axis(struct mo_build *b, const char *name, int64_t dflt, int rank)
{
    if (!mo_build_ok(b))
        return 0;
    int64_t a = mo_node_get_int(mo_build_fw(b), name, dflt, NULL);
    int v = mo_axis_norm(a, rank);
    if (v >= 0)
        return v;
    mo_build_error(b, MO_ERR_FORMAT, 2, "attribute %s=%lld is out of range for rank %d", name,
                   (long long)a, rank);
    return 0;
}

static bool is_nhwc(const struct mo_node *fw)
{
    const char *f = mo_node_get_str(fw, "data_format", NULL);
    if (!f)
        f = mo_node_get_str(fw, "data_layout", "NCHW");
    return !strcmp(f, "NHWC");
}

struct mo_value mo_pd_in_nchw(struct mo_build *b, const char *slot)
{
    struct mo_value x = mo_pd_in(b, slot, 0);
    return mo_build_ok(b) && is_nhwc(mo_build_fw(b)) ? mo_build_to_nchw(b, NULL, x, 4) : x;
}

enum mo_status mo_pd_set_out_nchw(struct mo_build *b, const char *slot, struct mo_value y)
{
    if (mo_build_ok(b) && is_nhwc(mo_build_fw(b)))
        y = mo_build_to_nhwc(b, NULL, y, 4);
    return mo_pd_set_out(b, slot, y);
}

struct mo_value mo_pd_set_pads(struct mo_build *b, struct mo_value v, const int64_t *pb,
                               const int64_t *pe)
{
    if (!mo_build_ok(b))
        return MO_NO_VALUE;
    const char *alg = mo_node_get_str(mo_build_fw(b), "padding_algorithm", "EXPLICIT");
    static const int64_t zero[2] = {0, 0};
    bool valid = !strcmp(alg, "VALID");
    mo_build_set_ints(b, v, "pads_begin", valid ? zero : pb, 2);
    mo_build_set_ints(b, v, "pads_end", valid ? zero : pe, 2);
    return mo_build_set_str(b, v, "auto_pad", !strcmp(alg, "SAME") ? "same_upper"
                                              : valid              ? "valid"
                                                                   : "explicit");
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

bool mo_pd_is_array(struct mo_value v)
{
    return v.node && (!strcmp(v.node->type, "write_to_array") ||
                      mo_node_get_bool(v.node, MO_PD_ARRAY, false, NULL));
}

enum mo_status mo_pd_unary(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                           struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    return mo_pd_set_out(b, "Out", mo_build_op(b, type, NULL, 1, x));
}

bool mo_pd_spatial_ints(struct mo_build *b, const char *name, int64_t *v, int nsp, int64_t dflt)
{
    int64_t tmp[2 * MO_PD_MAX_SPATIAL];
    int n = mo_pd_ints(mo_build_fw(b), name, tmp, 2 * MO_PD_MAX_SPATIAL);
    for (int i = 0; i < nsp; i++)
        v[i] = n == 1 ? tmp[0] : n == nsp ? tmp[i] : dflt;
    if (n > 1 && n != nsp) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%s has %d values for %d spatial dims", name, n, nsp);
        return false;
    }
    return true;
}

bool mo_pd_paddings(struct mo_build *b, int nsp, int64_t *pb, int64_t *pe)
{
    int64_t p[2 * MO_PD_MAX_SPATIAL] = {0};
    int np = mo_pd_ints(mo_build_fw(b), "paddings", p, 2 * MO_PD_MAX_SPATIAL);
    if (np > 1 && np != nsp && np != 2 * nsp) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "paddings has %d values; %d or %d expected", np, nsp,
                       2 * nsp);
        return false;
    }
    for (int i = 0; i < nsp; i++) {
        if (np == 2 * nsp)
            pb[i] = p[2 * i], pe[i] = p[2 * i + 1];
        else if (np == nsp)
            pb[i] = pe[i] = p[i];
        else
            pb[i] = pe[i] = np == 1 ? p[0] : 0;
    }
    return true;
}
