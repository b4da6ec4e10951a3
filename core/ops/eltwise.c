/* eltwise.c - binary elementwise arithmetic, comparison, logic and the
 * bitwise ops (opset13 And/Or/Xor, opset15 shifts).  All broadcast
 * numpy-style (auto_broadcast="numpy" by default). */
#include <config.h>

#include <math.h>
#include <string.h>

#include "ops.h"

enum bin_kind { B_ADD, B_SUB, B_MUL, B_DIV, B_POW, B_MAX, B_MIN, B_SQDIFF, B_FLOORMOD, B_MOD,
                B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE, B_AND, B_OR, B_XOR,
                B_BAND, B_BOR, B_BXOR, B_SHL, B_SHR };

static enum bin_kind kind_of(const char *type)
{
    static const char *const names[] = {
        "Add", "Subtract", "Multiply", "Divide", "Power", "Maximum", "Minimum",
        "SquaredDifference", "FloorMod", "Mod", "Equal", "NotEqual", "Less", "LessEqual",
        "Greater", "GreaterEqual", "LogicalAnd", "LogicalOr", "LogicalXor",
        "BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseLeftShift", "BitwiseRightShift"};
    for (unsigned i = 0; i < MO_COUNT_OF(names); i++)
        if (!strcmp(type, names[i]))
            return (enum bin_kind)i;
    return B_ADD;
}

static double apply_f(enum bin_kind k, double a, double b)
{
    switch (k) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_DIV: return a / b;
    case B_POW: return pow(a, b);
    case B_MAX: return a > b ? a : b;
    case B_MIN: return a < b ? a : b;
    case B_SQDIFF: return (a - b) * (a - b);
    case B_FLOORMOD: return a - floor(a / b) * b;
    case B_MOD: return fmod(a, b);
    case B_EQ: return a == b;
    case B_NE: return a != b;
    case B_LT: return a < b;
    case B_LE: return a <= b;
    case B_GT: return a > b;
    case B_GE: return a >= b;
    case B_AND: return (a != 0) && (b != 0);
    case B_OR: return (a != 0) || (b != 0);
    case B_XOR:
    case B_BXOR: return (a != 0) != (b != 0);
    /* reached for boolean operands only: bitwise is logical there */
    case B_BAND: return (a != 0) && (b != 0);
    case B_BOR: return (a != 0) || (b != 0);
    case B_SHL:
    case B_SHR: return 0;
    }
    return 0;
}

/* Integer arithmetic stays exact in int64 (shape computations need that). */
static int64_t apply_i(enum bin_kind k, int64_t a, int64_t b, bool pythondiv)
{
    switch (k) {
    case B_ADD: return (int64_t)((uint64_t)a + (uint64_t)b);
    case B_SUB: return (int64_t)((uint64_t)a - (uint64_t)b);
    case B_MUL: return (int64_t)((uint64_t)a * (uint64_t)b);
    case B_DIV:
        if (b == 0)
            return 0;
        if (pythondiv && ((a % b) != 0) && ((a < 0) != (b < 0)))
            return a / b - 1;
        return a / b;
    case B_MAX: return a > b ? a : b;
    case B_MIN: return a < b ? a : b;
    case B_SQDIFF: return (a - b) * (a - b);
    case B_FLOORMOD: {
        if (b == 0)
            return 0;
        int64_t m = a % b;
        return (m != 0 && ((m < 0) != (b < 0))) ? m + b : m;
    }
    case B_MOD: return b ? a % b : 0;
    case B_BAND: return a & b;
    case B_BOR: return a | b;
    case B_BXOR: return a ^ b;
    /* the count is checked to lie below the type's width first; the store
     * narrows to the element type as the runtime's own shift does */
    case B_SHL: return (int64_t)((uint64_t)a << b);
    case B_SHR: return a >> b;
    default: return (int64_t)apply_f(k, (double)a, (double)b);
    }
}

static enum mo_status eval_binary(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *a = mo_node_const_input(n, 0), *b = mo_node_const_input(n, 1);
    const struct mo_output *o = &n->outputs[0];
    if (!mo_shape_is_static(&o->shape))
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_tensor_new(o->et, &o->shape, err);
    if (!r)
        return MO_ERR_NOMEM;
    enum bin_kind k = kind_of(n->type);
    bool ints = !mo_etype_is_float(a->et);
    bool pydiv = mo_node_get_bool(n, "m_pythondiv", true, NULL);
    if (k == B_SHL || k == B_SHR) {
        int64_t bits = (int64_t)mo_etype_bits(a->et), nb = mo_tensor_numel(b);
        for (int64_t i = 0; i < nb; i++)
            if (mo_tensor_get_i64(b, i) < 0 || mo_tensor_get_i64(b, i) >= bits) {
                mo_tensor_unref(r);
                return MO_ERR_UNSUPPORTED; /* the runtime leaves such shifts undefined */
            }
    }
    int rank = o->shape.rank;
    int64_t total = mo_shape_numel(&o->shape);
    int64_t idx[MO_MAX_RANK] = {0};
    for (int64_t i = 0; i < total; i++) {
        /* broadcast index of a and b: trailing dims aligned, size-1 dims repeat */
        int64_t ia = 0, ib = 0;
        for (int d = 0; d < rank; d++) {
            int da = d - (rank - a->shape.rank), db = d - (rank - b->shape.rank);
            if (da >= 0)
                ia = ia * a->shape.dims[da] + (a->shape.dims[da] == 1 ? 0 : idx[d]);
            if (db >= 0)
                ib = ib * b->shape.dims[db] + (b->shape.dims[db] == 1 ? 0 : idx[d]);
        }
        if (ints && o->et != MO_ET_BOOLEAN) {
            int64_t v = apply_i(k, mo_tensor_get_i64(a, ia), mo_tensor_get_i64(b, ib), pydiv);
            if (o->et == MO_ET_I64)
                memcpy((char *)r->owned + i * 8, &v, 8);
            else
                mo_tensor_set_f64(r, i, (double)v);
        } else if (ints) {
            mo_tensor_set_f64(r, i, apply_f(k, (double)mo_tensor_get_i64(a, ia),
                                            (double)mo_tensor_get_i64(b, ib)));
        } else {
            mo_tensor_set_f64(r, i, apply_f(k, mo_tensor_get_f64(a, ia), mo_tensor_get_f64(b, ib)));
        }
        for (int d = rank - 1; d >= 0; d--) {
            if (++idx[d] < o->shape.dims[d])
                break;
            idx[d] = 0;
        }
    }
    out[0] = r;
    return MO_OK;
}

static enum mo_status infer_arith(struct mo_node *n, struct mo_error *err)
{
    return mo_infer_binary(n, MO_ET_UNDEFINED, err);
}

static enum mo_status infer_bool(struct mo_node *n, struct mo_error *err)
{
    return mo_infer_binary(n, MO_ET_BOOLEAN, err);
}

/* Bitwise ops take integers (and booleans, except the shifts). */
static enum mo_status infer_bitwise(struct mo_node *n, struct mo_error *err)
{
    bool shift = !strcmp(n->type, "BitwiseLeftShift") || !strcmp(n->type, "BitwiseRightShift");
    for (unsigned i = 0; i < 2; i++) {
        enum mo_etype et = mo_in_et(n, i);
        if (et != MO_ET_UNDEFINED && (mo_etype_is_float(et) || (shift && et == MO_ET_BOOLEAN)))
            return mo_shape_error(n, err, "input %u is %s; the op takes integers%s", i,
                                  mo_etype_name(et), shift ? "" : " or booleans");
    }
    return mo_infer_binary(n, MO_ET_UNDEFINED, err);
}

static const struct mo_attr_spec bc_attrs[] = {{"auto_broadcast", MO_ATTR_STRING, "numpy"}};
static const struct mo_attr_spec div_attrs[] = {
    {"auto_broadcast", MO_ATTR_STRING, "numpy"},
    {"m_pythondiv", MO_ATTR_BOOL, "true"},
};

#define BIN_OP_V(var, type, opset, infer) \
    static const struct mo_op_def var = {type, opset, 2, 2, 1, bc_attrs, 1, infer, eval_binary}
#define BIN_OP(var, type, infer) BIN_OP_V(var, type, "opset1", infer)

BIN_OP(op_add, "Add", infer_arith);
BIN_OP(op_sub, "Subtract", infer_arith);
BIN_OP(op_mul, "Multiply", infer_arith);
static const struct mo_op_def op_div = {"Divide", "opset1", 2, 2, 1, div_attrs, 2, infer_arith, eval_binary};
BIN_OP(op_pow, "Power", infer_arith);
BIN_OP(op_max, "Maximum", infer_arith);
BIN_OP(op_min, "Minimum", infer_arith);
BIN_OP(op_sqdiff, "SquaredDifference", infer_arith);
BIN_OP(op_floormod, "FloorMod", infer_arith);
BIN_OP(op_mod, "Mod", infer_arith);
BIN_OP(op_eq, "Equal", infer_bool);
BIN_OP(op_ne, "NotEqual", infer_bool);
BIN_OP(op_lt, "Less", infer_bool);
BIN_OP(op_le, "LessEqual", infer_bool);
BIN_OP(op_gt, "Greater", infer_bool);
BIN_OP(op_ge, "GreaterEqual", infer_bool);
BIN_OP(op_and, "LogicalAnd", infer_bool);
BIN_OP(op_or, "LogicalOr", infer_bool);
BIN_OP(op_xor, "LogicalXor", infer_bool);
BIN_OP_V(op_band, "BitwiseAnd", "opset13", infer_bitwise);
BIN_OP_V(op_bor, "BitwiseOr", "opset13", infer_bitwise);
BIN_OP_V(op_bxor, "BitwiseXor", "opset13", infer_bitwise);
BIN_OP_V(op_shl, "BitwiseLeftShift", "opset15", infer_bitwise);
BIN_OP_V(op_shr, "BitwiseRightShift", "opset15", infer_bitwise);

MO_OP_FAMILY(mo_ops_eltwise, &op_add, &op_sub, &op_mul, &op_div, &op_pow, &op_max, &op_min,
             &op_sqdiff, &op_floormod, &op_mod, &op_eq, &op_ne, &op_lt, &op_le, &op_gt, &op_ge,
             &op_and, &op_or, &op_xor, &op_band, &op_bor, &op_bxor, &op_shl, &op_shr);
