/* test_types.c - element type names, precisions, parsing; shapes; axes. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include <mo/types.h>
#include "run_suite.h"

/* The IR's spellings, from OpenVINO's element::Type names and its IR
 * port precision names (FP32, BIN for u1, BOOL for boolean...). */
static const struct {
    enum mo_etype et;
    const char *name, *precision;
    unsigned bits;
    bool is_float, is_signed;
} expected[] = {
    {MO_ET_F32, "f32", "FP32", 32, true, true},     {MO_ET_F16, "f16", "FP16", 16, true, true},
    {MO_ET_BF16, "bf16", "BF16", 16, true, true},   {MO_ET_F64, "f64", "FP64", 64, true, true},
    {MO_ET_I8, "i8", "I8", 8, false, true},         {MO_ET_I16, "i16", "I16", 16, false, true},
    {MO_ET_I32, "i32", "I32", 32, false, true},     {MO_ET_I64, "i64", "I64", 64, false, true},
    {MO_ET_U8, "u8", "U8", 8, false, false},        {MO_ET_U16, "u16", "U16", 16, false, false},
    {MO_ET_U32, "u32", "U32", 32, false, false},    {MO_ET_U64, "u64", "U64", 64, false, false},
    {MO_ET_U1, "u1", "BIN", 1, false, false},       {MO_ET_BOOLEAN, "boolean", "BOOL", 8, false, false},
};
#define N_EXPECTED (sizeof expected / sizeof expected[0])

START_TEST(etype_every_type_named)
{
    ck_assert_uint_eq(N_EXPECTED, MO_ET_COUNT - 1);
    for (size_t i = 0; i < N_EXPECTED; i++) {
        ck_assert_str_eq(mo_etype_name(expected[i].et), expected[i].name);
        ck_assert_str_eq(mo_etype_precision(expected[i].et), expected[i].precision);
        ck_assert_uint_eq(mo_etype_bits(expected[i].et), expected[i].bits);
        ck_assert_int_eq(mo_etype_is_float(expected[i].et), expected[i].is_float);
        ck_assert_int_eq(mo_etype_is_signed(expected[i].et), expected[i].is_signed);
    }
    ck_assert_uint_eq(mo_etype_bits(MO_ET_UNDEFINED), 0);
}
END_TEST

START_TEST(etype_out_of_range_is_undefined)
{
    ck_assert_str_eq(mo_etype_name((enum mo_etype)MO_ET_COUNT), mo_etype_name(MO_ET_UNDEFINED));
    ck_assert_str_eq(mo_etype_name((enum mo_etype)-1), mo_etype_name(MO_ET_UNDEFINED));
    ck_assert_uint_eq(mo_etype_bits((enum mo_etype)1000), 0);
}
END_TEST

START_TEST(etype_parse_both_spellings)
{
    for (size_t i = 0; i < N_EXPECTED; i++) {
        ck_assert_int_eq(mo_etype_parse(expected[i].name), expected[i].et);
        ck_assert_int_eq(mo_etype_parse(expected[i].precision), expected[i].et);
    }
}
END_TEST

START_TEST(etype_parse_aliases)
{
    /* --data_type and framework dtype spellings */
    ck_assert_int_eq(mo_etype_parse("float"), MO_ET_F32);
    ck_assert_int_eq(mo_etype_parse("float32"), MO_ET_F32);
    ck_assert_int_eq(mo_etype_parse("half"), MO_ET_F16);
    ck_assert_int_eq(mo_etype_parse("float16"), MO_ET_F16);
    ck_assert_int_eq(mo_etype_parse("FP16"), MO_ET_F16);
    ck_assert_int_eq(mo_etype_parse("fp16"), MO_ET_F16);
    ck_assert_int_eq(mo_etype_parse("double"), MO_ET_F64);
    ck_assert_int_eq(mo_etype_parse("float64"), MO_ET_F64);
    ck_assert_int_eq(mo_etype_parse("bfloat16"), MO_ET_BF16);
    ck_assert_int_eq(mo_etype_parse("int8"), MO_ET_I8);
    ck_assert_int_eq(mo_etype_parse("int32"), MO_ET_I32);
    ck_assert_int_eq(mo_etype_parse("int64"), MO_ET_I64);
    ck_assert_int_eq(mo_etype_parse("uint8"), MO_ET_U8);
    ck_assert_int_eq(mo_etype_parse("uint64"), MO_ET_U64);
    ck_assert_int_eq(mo_etype_parse("bool"), MO_ET_BOOLEAN);
    ck_assert_int_eq(mo_etype_parse("F32"), MO_ET_F32);
}
END_TEST

START_TEST(etype_parse_unknown)
{
    ck_assert_int_eq(mo_etype_parse(NULL), MO_ET_UNDEFINED);
    ck_assert_int_eq(mo_etype_parse(""), MO_ET_UNDEFINED);
    ck_assert_int_eq(mo_etype_parse("f33"), MO_ET_UNDEFINED);
    ck_assert_int_eq(mo_etype_parse("float322"), MO_ET_UNDEFINED);
    ck_assert_int_eq(mo_etype_parse("i4"), MO_ET_UNDEFINED);
}
END_TEST

START_TEST(shape_make_and_literal)
{
    struct mo_shape s = mo_shape_of(1, 3, 224, 224);
    ck_assert_int_eq(s.rank, 4);
    ck_assert_int_eq(s.dims[0], 1);
    ck_assert_int_eq(s.dims[3], 224);
    ck_assert(mo_shape_is_static(&s));
    ck_assert_int_eq(mo_shape_numel(&s), 3 * 224 * 224);

    struct mo_shape sc = mo_shape_scalar();
    ck_assert_int_eq(sc.rank, 0);
    ck_assert(mo_shape_is_static(&sc));
    ck_assert_int_eq(mo_shape_numel(&sc), 1); /* a scalar holds one element */

    int64_t dims[MO_MAX_RANK + 3];
    for (int i = 0; i < MO_MAX_RANK + 3; i++)
        dims[i] = 1;
    struct mo_shape big = mo_shape_make(MO_MAX_RANK + 3, dims);
    ck_assert_int_eq(big.rank, MO_MAX_RANK);

    struct mo_shape neg = mo_shape_make(-1, NULL);
    ck_assert_int_eq(neg.rank, MO_RANK_UNKNOWN);
}
END_TEST

START_TEST(shape_dynamic)
{
    struct mo_shape s = mo_shape_of(MO_DYN, 3, 224, 224);
    ck_assert(!mo_shape_is_static(&s));
    ck_assert_int_eq(mo_shape_numel(&s), -1);
    struct mo_shape u = mo_shape_unknown();
    ck_assert_int_eq(u.rank, MO_RANK_UNKNOWN);
    ck_assert(!mo_shape_is_static(&u));
    ck_assert_int_eq(mo_shape_numel(&u), -1);
    struct mo_shape z = mo_shape_of(2, 0, 5);
    ck_assert(mo_shape_is_static(&z));
    ck_assert_int_eq(mo_shape_numel(&z), 0);
}
END_TEST

START_TEST(shape_equal)
{
    struct mo_shape a = mo_shape_of(1, 2, 3), b = mo_shape_of(1, 2, 3), c = mo_shape_of(1, 2),
                    d = mo_shape_of(1, 2, 4);
    /* dims past the rank must not matter */
    b.dims[5] = 77;
    ck_assert(mo_shape_equal(&a, &b));
    ck_assert(!mo_shape_equal(&a, &c));
    ck_assert(!mo_shape_equal(&a, &d));
    struct mo_shape u1 = mo_shape_unknown(), u2 = mo_shape_unknown();
    ck_assert(mo_shape_equal(&u1, &u2));
    ck_assert(!mo_shape_equal(&u1, &a));
}
END_TEST

START_TEST(shape_str)
{
    char buf[64];
    struct mo_shape s = mo_shape_of(1, MO_DYN, 224, 224);
    ck_assert_str_eq(mo_shape_str(&s, buf, sizeof buf), "1,?,224,224");
    struct mo_shape sc = mo_shape_scalar();
    ck_assert_str_eq(mo_shape_str(&sc, buf, sizeof buf), "");
    struct mo_shape u = mo_shape_unknown();
    ck_assert_str_eq(mo_shape_str(&u, buf, sizeof buf), "...");
    /* a short buffer truncates and stays terminated */
    char small[5];
    mo_shape_str(&s, small, sizeof small);
    ck_assert_uint_lt(strlen(small), sizeof small);
    ck_assert(!strncmp(small, "1,?,", 4));
}
END_TEST

START_TEST(axis_norm)
{
    ck_assert_int_eq(mo_axis_norm(0, 4), 0);
    ck_assert_int_eq(mo_axis_norm(3, 4), 3);
    ck_assert_int_eq(mo_axis_norm(-1, 4), 3);
    ck_assert_int_eq(mo_axis_norm(-4, 4), 0);
    ck_assert_int_eq(mo_axis_norm(4, 4), -1);
    ck_assert_int_eq(mo_axis_norm(-5, 4), -1);
    ck_assert_int_eq(mo_axis_norm(0, 0), -1);
    ck_assert_int_eq(mo_axis_norm(INT64_MIN, 4), -1);
    ck_assert_int_eq(mo_axis_norm(INT64_MAX, 4), -1);
    ck_assert_int_eq(mo_axis_norm((int64_t)1 << 32, 4), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("types");
    TCase *et = tcase_create("element types");
    tcase_add_test(et, etype_every_type_named);
    tcase_add_test(et, etype_out_of_range_is_undefined);
    tcase_add_test(et, etype_parse_both_spellings);
    tcase_add_test(et, etype_parse_aliases);
    tcase_add_test(et, etype_parse_unknown);
    suite_add_tcase(s, et);
    TCase *sh = tcase_create("shapes");
    tcase_add_test(sh, shape_make_and_literal);
    tcase_add_test(sh, shape_dynamic);
    tcase_add_test(sh, shape_equal);
    tcase_add_test(sh, shape_str);
    tcase_add_test(sh, axis_norm);
    suite_add_tcase(s, sh);
    return run_suite(s);
}
