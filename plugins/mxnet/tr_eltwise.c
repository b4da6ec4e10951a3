/* tr_eltwise.c - MXNet elementwise and broadcast arithmetic, comparison and logic.
 *
 * MXNet's comparisons and logical ops return 0/1 in the input's own type,
 * where the IR's return booleans: results are converted back, and the
 * logical ops' operands converted to boolean first.  Scalar operands
 * (_*_scalar) become 0-D constants of the input's type, which numpy
 * broadcasting applies to every element; the _r* forms swap operands.
 * One translator per family looks the MXNet op up in a table, so each
 * spelling MXNet accepts (elemwise_add, _plus, _Plus, _add...) is one row. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "tr_util.h"

enum elt_kind {
    K_ARITH,   /* result in the operands' type */
    K_CMP,     /* boolean result, converted back */
    K_LOGIC    /* boolean operands and result */
};

struct elt_row {
    const char *mx;
    const char *ir;
    enum elt_kind kind;
    bool reversed;   /* scalar ops: scalar OP x */
};

static const struct elt_row binary_rows[] = {
    {"elemwise_add", "Add", K_ARITH, false},     {"_plus", "Add", K_ARITH, false},
    {"_Plus", "Add", K_ARITH, false},            {"_add", "Add", K_ARITH, false},
    {"broadcast_add", "Add", K_ARITH, false},    {"broadcast_plus", "Add", K_ARITH, false},
    {"elemwise_sub", "Subtract", K_ARITH, false}, {"_minus", "Subtract", K_ARITH, false},
    {"_Minus", "Subtract", K_ARITH, false},      {"_sub", "Subtract", K_ARITH, false},
    {"broadcast_sub", "Subtract", K_ARITH, false}, {"broadcast_minus", "Subtract", K_ARITH, false},
    {"elemwise_mul", "Multiply", K_ARITH, false}, {"_mul", "Multiply", K_ARITH, false},
    {"_Mul", "Multiply", K_ARITH, false},        {"broadcast_mul", "Multiply", K_ARITH, false},
    {"elemwise_div", "Divide", K_ARITH, false},  {"_div", "Divide", K_ARITH, false},
    {"_Div", "Divide", K_ARITH, false},          {"broadcast_div", "Divide", K_ARITH, false},
    {"_maximum", "Maximum", K_ARITH, false},     {"_Maximum", "Maximum", K_ARITH, false},
    {"broadcast_maximum", "Maximum", K_ARITH, false},
    {"_minimum", "Minimum", K_ARITH, false},     {"_Minimum", "Minimum", K_ARITH, false},
    {"broadcast_minimum", "Minimum", K_ARITH, false},
    {"_power", "Power", K_ARITH, false},         {"_Power", "Power", K_ARITH, false},
    {"broadcast_power", "Power", K_ARITH, false},
    {"_equal", "Equal", K_CMP, false},           {"broadcast_equal", "Equal", K_CMP, false},
    {"_not_equal", "NotEqual", K_CMP, false},    {"broadcast_not_equal", "NotEqual", K_CMP, false},
    {"_greater", "Greater", K_CMP, false},       {"broadcast_greater", "Greater", K_CMP, false},
    {"_greater_equal", "GreaterEqual", K_CMP, false},
    {"broadcast_greater_equal", "GreaterEqual", K_CMP, false},
    {"_lesser", "Less", K_CMP, false},           {"broadcast_lesser", "Less", K_CMP, false},
    {"_lesser_equal", "LessEqual", K_CMP, false}, {"broadcast_lesser_equal", "LessEqual", K_CMP, false},
    {"_logical_and", "LogicalAnd", K_LOGIC, false}, {"broadcast_logical_and", "LogicalAnd", K_LOGIC, false},
    {"_logical_or", "LogicalOr", K_LOGIC, false}, {"broadcast_logical_or", "LogicalOr", K_LOGIC, false},
    {"_logical_xor", "LogicalXor", K_LOGIC, false}, {"broadcast_logical_xor", "LogicalXor", K_LOGIC, false},
};

static const struct elt_row scalar_rows[] = {
    {"_plus_scalar", "Add", K_ARITH, false},       {"_PlusScalar", "Add", K_ARITH, false},
    {"_minus_scalar", "Subtract", K_ARITH, false}, {"_MinusScalar", "Subtract", K_ARITH, false},
    {"_rminus_scalar", "Subtract", K_ARITH, true}, {"_RMinusScalar", "Subtract", K_ARITH, true},
    {"_mul_scalar", "Multiply", K_ARITH, false},   {"_MulScalar", "Multiply", K_ARITH, false},
    {"_div_scalar", "Divide", K_ARITH, false},     {"_DivScalar", "Divide", K_ARITH, false},
    {"_rdiv_scalar", "Divide", K_ARITH, true},     {"_RDivScalar", "Divide", K_ARITH, true},
    {"_power_scalar", "Power", K_ARITH, false},    {"_PowerScalar", "Power", K_ARITH, false},
    {"_rpower_scalar", "Power", K_ARITH, true},    {"_RPowerScalar", "Power", K_ARITH, true},
    {"_maximum_scalar", "Maximum", K_ARITH, false}, {"_MaximumScalar", "Maximum", K_ARITH, false},
    {"_minimum_scalar", "Minimum", K_ARITH, false}, {"_MinimumScalar", "Minimum", K_ARITH, false},
    {"_equal_scalar", "Equal", K_CMP, false},      {"_not_equal_scalar", "NotEqual", K_CMP, false},
    {"_greater_scalar", "Greater", K_CMP, false},  {"_greater_equal_scalar", "GreaterEqual", K_CMP, false},
    {"_lesser_scalar", "Less", K_CMP, false},      {"_lesser_equal_scalar", "LessEqual", K_CMP, false},
    {"_logical_and_scalar", "LogicalAnd", K_LOGIC, false},
    {"_logical_or_scalar", "LogicalOr", K_LOGIC, false},
    {"_logical_xor_scalar", "LogicalXor", K_LOGIC, false},
};

static const struct elt_row *find_row(const struct elt_row *rows, size_t n, const char *op)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows[i].mx, op))
            return &rows[i];
    return NULL;
}

/* lhs OP rhs following the row's kind; the result is named after the layer. */
static struct mo_value apply(struct mo_build *b, const struct elt_row *row, struct mo_value lhs,
                             struct mo_value rhs, enum mo_etype et)
{
    if (row->kind == K_ARITH || (row->kind == K_CMP && et == MO_ET_BOOLEAN))
        return mo_build_op(b, row->ir, NULL, 2, lhs, rhs);
    if (row->kind == K_LOGIC) {
        if (et == MO_ET_BOOLEAN)
            return mo_build_op(b, row->ir, NULL, 2, lhs, rhs);
        lhs = mo_build_convert(b, "lhs_bool", lhs, MO_ET_BOOLEAN);
        rhs = mo_build_convert(b, "rhs_bool", rhs, MO_ET_BOOLEAN);
    }
    struct mo_value r = mo_build_op(b, row->ir, row->kind == K_CMP ? "cmp" : "logic", 2, lhs, rhs);
    return mo_build_convert(b, NULL, r, et);
}

static enum mo_status tr_binary(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    const struct elt_row *row = find_row(binary_rows, MO_COUNT_OF(binary_rows), fw->type);
    if (!row)
        return MO_ERR_DECLINED;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value lhs = mo_build_in(b, 0, "lhs"), rhs = mo_build_in(b, 1, "rhs");
    return mo_build_done(b, apply(b, row, lhs, rhs, mo_value_et(lhs)));
}

static enum mo_status tr_scalar(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    const struct elt_row *row = find_row(scalar_rows, MO_COUNT_OF(scalar_rows), fw->type);
    if (!row)
        return MO_ERR_DECLINED;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    bool ok = true;
    double s = mo_node_get_float(fw, "scalar", 1.0, &ok);
    if (!ok || !mo_node_attr(fw, "scalar"))
        return mo_build_error(b, MO_ERR_FORMAT, 2, "attribute scalar is missing or not a number");
    enum mo_etype et = mo_value_et(x);
    struct mo_value c = mo_build_scalar(b, "scalar", et, s);
    return mo_build_done(b, row->reversed ? apply(b, row, c, x, et) : apply(b, row, x, c, et));
}

static enum mo_status tr_add_n(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    if (fw->n_inputs == 0)
        return mo_build_error(b, MO_ERR_FORMAT, 2, "add_n has no inputs");
    struct mo_value acc = mo_build_in(b, 0, "arg0");
    if (fw->n_inputs == 1) {
        /* a one-input sum is the input itself: keep a node named after the layer */
        struct mo_value z = mo_build_scalar(b, "zero", mo_value_et(acc), 0);
        return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, acc, z));
    }
    for (unsigned i = 1; i < fw->n_inputs; i++) {
        char suf[32];
        snprintf(suf, sizeof suf, "add%u", i);
        struct mo_value v = mo_build_in(b, i, "arg");
        acc = mo_build_op(b, "Add", i + 1 == fw->n_inputs ? NULL : suf, 2, acc, v);
    }
    return mo_build_done(b, acc);
}

/* Unary math: one IR op, or x combined with a constant c as `ir2`. */
struct unary_row {
    const char *mx;
    const char *ir;      /* applied first (NULL: none) */
    const char *ir2;     /* then combined with c: "Multiply", "Divide"... (NULL: none) */
    double c;
    bool c_first;        /* c ir2 y instead of y ir2 c */
    bool add_one_first;  /* log1p: ir applied to x + 1 */
};

static const struct unary_row unary_rows[] = {
    {"negative", "Negative", NULL, 0, false, false},
    {"abs", "Abs", NULL, 0, false, false},
    {"exp", "Exp", NULL, 0, false, false},
    {"log", "Log", NULL, 0, false, false},
    {"sqrt", "Sqrt", NULL, 0, false, false},
    {"floor", "Floor", NULL, 0, false, false},
    {"ceil", "Ceiling", NULL, 0, false, false},
    {"sign", "Sign", NULL, 0, false, false},
    {"sin", "Sin", NULL, 0, false, false},
    {"cos", "Cos", NULL, 0, false, false},
    {"square", NULL, "Power", 2, false, false},
    {"reciprocal", NULL, "Divide", 1, true, false},
    {"rsqrt", "Sqrt", "Divide", 1, true, false},
    {"log2", "Log", "Divide", 0.69314718055994530942, false, false},
    {"log10", "Log", "Divide", 2.30258509299404568402, false, false},
    {"log1p", "Log", NULL, 0, false, true},
    {"expm1", "Exp", "Subtract", 1, false, false},
};

static enum mo_status tr_unary(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    const struct unary_row *row = NULL;
    for (size_t i = 0; i < MO_COUNT_OF(unary_rows); i++)
        if (!strcmp(unary_rows[i].mx, fw->type))
            row = &unary_rows[i];
    if (!row)
        return MO_ERR_DECLINED;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    enum mo_etype et = mo_value_et(x);
    struct mo_value y = x;
    if (row->add_one_first) {
        struct mo_value one = mo_build_scalar(b, "one", et, 1);
        y = mo_build_op(b, "Add", "plus_one", 2, x, one);
    }
    if (row->ir)
        y = mo_build_op(b, row->ir, row->ir2 ? "op" : NULL, 1, y);
    if (row->ir2) {
        struct mo_value c = mo_build_scalar(b, "const", et, row->c);
        y = row->c_first ? mo_build_op(b, row->ir2, NULL, 2, c, y) : mo_build_op(b, row->ir2, NULL, 2, y, c);
    }
    return mo_build_done(b, y);
}

MO_MX_TABLE(mo_mx_tr_eltwise,
            {"elemwise_add", tr_binary}, {"_plus", tr_binary}, {"_Plus", tr_binary}, {"_add", tr_binary},
            {"broadcast_add", tr_binary}, {"broadcast_plus", tr_binary},
            {"elemwise_sub", tr_binary}, {"_minus", tr_binary}, {"_Minus", tr_binary}, {"_sub", tr_binary},
            {"broadcast_sub", tr_binary}, {"broadcast_minus", tr_binary},
            {"elemwise_mul", tr_binary}, {"_mul", tr_binary}, {"_Mul", tr_binary},
            {"broadcast_mul", tr_binary},
            {"elemwise_div", tr_binary}, {"_div", tr_binary}, {"_Div", tr_binary},
            {"broadcast_div", tr_binary},
            {"_maximum", tr_binary}, {"_Maximum", tr_binary}, {"broadcast_maximum", tr_binary},
            {"_minimum", tr_binary}, {"_Minimum", tr_binary}, {"broadcast_minimum", tr_binary},
            {"_power", tr_binary}, {"_Power", tr_binary}, {"broadcast_power", tr_binary},
            {"_equal", tr_binary}, {"broadcast_equal", tr_binary},
            {"_not_equal", tr_binary}, {"broadcast_not_equal", tr_binary},
            {"_greater", tr_binary}, {"broadcast_greater", tr_binary},
            {"_greater_equal", tr_binary}, {"broadcast_greater_equal", tr_binary},
            {"_lesser", tr_binary}, {"broadcast_lesser", tr_binary},
            {"_lesser_equal", tr_binary}, {"broadcast_lesser_equal", tr_binary},
            {"_logical_and", tr_binary}, {"broadcast_logical_and", tr_binary},
            {"_logical_or", tr_binary}, {"broadcast_logical_or", tr_binary},
            {"_logical_xor", tr_binary}, {"broadcast_logical_xor", tr_binary},
            {"_plus_scalar", tr_scalar}, {"_PlusScalar", tr_scalar},
            {"_minus_scalar", tr_scalar}, {"_MinusScalar", tr_scalar},
            {"_rminus_scalar", tr_scalar}, {"_RMinusScalar", tr_scalar},
            {"_mul_scalar", tr_scalar}, {"_MulScalar", tr_scalar},
            {"_div_scalar", tr_scalar}, {"_DivScalar", tr_scalar},
            {"_rdiv_scalar", tr_scalar}, {"_RDivScalar", tr_scalar},
            {"_power_scalar", tr_scalar}, {"_PowerScalar", tr_scalar},
            {"_rpower_scalar", tr_scalar}, {"_RPowerScalar", tr_scalar},
            {"_maximum_scalar", tr_scalar}, {"_MaximumScalar", tr_scalar},
            {"_minimum_scalar", tr_scalar}, {"_MinimumScalar", tr_scalar},
            {"_equal_scalar", tr_scalar}, {"_not_equal_scalar", tr_scalar},
            {"_greater_scalar", tr_scalar}, {"_greater_equal_scalar", tr_scalar},
            {"_lesser_scalar", tr_scalar}, {"_lesser_equal_scalar", tr_scalar},
            {"_logical_and_scalar", tr_scalar}, {"_logical_or_scalar", tr_scalar},
            {"_logical_xor_scalar", tr_scalar},
            {"add_n", tr_add_n}, {"ElementWiseSum", tr_add_n}, {"_contrib_add_n", tr_add_n},
            {"negative", tr_unary}, {"abs", tr_unary}, {"exp", tr_unary}, {"log", tr_unary},
            {"sqrt", tr_unary}, {"floor", tr_unary}, {"ceil", tr_unary}, {"sign", tr_unary},
            {"sin", tr_unary}, {"cos", tr_unary}, {"square", tr_unary}, {"reciprocal", tr_unary},
            {"rsqrt", tr_unary}, {"log2", tr_unary}, {"log10", tr_unary}, {"log1p", tr_unary},
            {"expm1", tr_unary});
