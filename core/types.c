/* types.c - element type names and shape arithmetic. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <mo/types.h>

struct etype_info {
    const char *name;
    const char *precision;
    unsigned bits;
    bool is_float, is_signed;
};

static const struct etype_info etypes[] = {
    [MO_ET_UNDEFINED] = {"undefined", "UNSPECIFIED", 0, false, false},
    [MO_ET_F32] = {"f32", "FP32", 32, true, true},
    [MO_ET_F16] = {"f16", "FP16", 16, true, true},
    [MO_ET_BF16] = {"bf16", "BF16", 16, true, true},
    [MO_ET_F64] = {"f64", "FP64", 64, true, true},
    [MO_ET_I8] = {"i8", "I8", 8, false, true},
    [MO_ET_I16] = {"i16", "I16", 16, false, true},
    [MO_ET_I32] = {"i32", "I32", 32, false, true},
    [MO_ET_I64] = {"i64", "I64", 64, false, true},
    [MO_ET_U8] = {"u8", "U8", 8, false, false},
    [MO_ET_U16] = {"u16", "U16", 16, false, false},
    [MO_ET_U32] = {"u32", "U32", 32, false, false},
    [MO_ET_U64] = {"u64", "U64", 64, false, false},
    [MO_ET_U1] = {"u1", "BIN", 1, false, false},
    [MO_ET_BOOLEAN] = {"boolean", "BOOL", 8, false, false},
};
_Static_assert(sizeof(etypes) / sizeof(etypes[0]) == MO_ET_COUNT, "every element type needs a row");

static const struct etype_info *info(enum mo_etype et)
{
    return (unsigned)et < MO_ET_COUNT ? &etypes[et] : &etypes[MO_ET_UNDEFINED];
}

unsigned mo_etype_bits(enum mo_etype et) { return info(et)->bits; }
const char *mo_etype_name(enum mo_etype et) { return info(et)->name; }
const char *mo_etype_precision(enum mo_etype et) { return info(et)->precision; }
bool mo_etype_is_float(enum mo_etype et) { return info(et)->is_float; }
bool mo_etype_is_signed(enum mo_etype et) { return info(et)->is_signed; }

enum mo_etype mo_etype_parse(const char *name)
{
    static const struct { const char *alias; enum mo_etype et; } aliases[] = {
        {"float", MO_ET_F32},   {"float32", MO_ET_F32}, {"half", MO_ET_F16},
        {"float16", MO_ET_F16}, {"double", MO_ET_F64},  {"float64", MO_ET_F64},
        {"int8", MO_ET_I8},     {"int16", MO_ET_I16},   {"int32", MO_ET_I32},
        {"int64", MO_ET_I64},   {"uint8", MO_ET_U8},    {"uint16", MO_ET_U16},
        {"uint32", MO_ET_U32},  {"uint64", MO_ET_U64},  {"bool", MO_ET_BOOLEAN},
        {"bfloat16", MO_ET_BF16},
    };
    if (!name)
        return MO_ET_UNDEFINED;
    for (int i = 1; i < MO_ET_COUNT; i++)
        if (!strcasecmp(name, etypes[i].name) || !strcasecmp(name, etypes[i].precision))
            return (enum mo_etype)i;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcasecmp(name, aliases[i].alias))
            return aliases[i].et;
    return MO_ET_UNDEFINED;
}

struct mo_shape mo_shape_make(int n, const int64_t *dims)
{
    struct mo_shape s = {0};
    if (n < 0) {
        s.rank = MO_RANK_UNKNOWN;
        return s;
    }
    if (n > MO_MAX_RANK)
        n = MO_MAX_RANK;
    s.rank = n;
    for (int i = 0; i < n; i++)
        s.dims[i] = dims[i];
    return s;
}

struct mo_shape mo_shape_unknown(void)
{
    struct mo_shape s = {.rank = MO_RANK_UNKNOWN};
    return s;
}

struct mo_shape mo_shape_scalar(void)
{
    struct mo_shape s = {.rank = 0};
    return s;
}

bool mo_shape_is_static(const struct mo_shape *s)
{
    if (s->rank < 0)
        return false;
    for (int i = 0; i < s->rank; i++)
        if (s->dims[i] < 0)
            return false;
    return true;
}

bool mo_shape_equal(const struct mo_shape *a, const struct mo_shape *b)
{
    if (a->rank != b->rank)
        return false;
    for (int i = 0; i < a->rank; i++)
        if (a->dims[i] != b->dims[i])
            return false;
    return true;
}

int64_t mo_shape_numel(const struct mo_shape *s)
{
    if (!mo_shape_is_static(s))
        return -1;
    int64_t n = 1;
    for (int i = 0; i < s->rank; i++)
        n *= s->dims[i];
    return n;
}

char *mo_shape_str(const struct mo_shape *s, char *buf, size_t n)
{
    size_t off = 0;
    if (n == 0)
        return buf;
    buf[0] = 0;
    if (s->rank < 0) {
        snprintf(buf, n, "...");
        return buf;
    }
    for (int i = 0; i < s->rank && off < n; i++) {
        int w = s->dims[i] < 0 ? snprintf(buf + off, n - off, "%s?", i ? "," : "")
                               : snprintf(buf + off, n - off, "%s%lld", i ? "," : "",
                                          (long long)s->dims[i]);
        if (w < 0)
            break;
        off += (size_t)w;
    }
    return buf;
}

int mo_axis_norm(int64_t axis, int rank)
{
    if (axis < 0)
        axis += rank;
    if (axis < 0 || axis >= rank)
        return -1;
    return (int)axis;
}
