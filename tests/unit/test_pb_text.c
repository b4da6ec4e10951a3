/* test_pb_text.c - the protobuf text-format parser (plugins/common/pb_text.c)
 * on the schema of pb_text_test.proto: every scalar type with its edge
 * values, the number and string syntaxes, enums, nested and repeated
 * messages, lists, maps, oneofs, unknown fields skipped, and errors that
 * name the line and column.  Expected values are written here by hand from
 * the text format's rules, not computed by the parser. */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "pb_text.h"
#include "pb_text_test.pb-c.h"
#include "run_suite.h"

static MoTest__All *parse_all(const char *text)
{
    ProtobufCMessage *m = NULL;
    struct mo_error err = {0};
    enum mo_status st = mo_pb_text_parse(text, strlen(text), &mo_test__all__descriptor, "t.pbtxt", &m, &err);
    ck_assert_msg(st == MO_OK, "parse failed: %s", err.msg);
    ck_assert_ptr_nonnull(m);
    return (MoTest__All *)m;
}

/* The error message of a text that must fail. */
static const char *parse_fail(const char *text, const ProtobufCMessageDescriptor *d)
{
    static struct mo_error err;
    memset(&err, 0, sizeof err);
    ProtobufCMessage *m = (ProtobufCMessage *)1;
    enum mo_status st = mo_pb_text_parse(text, strlen(text), d ? d : &mo_test__all__descriptor,
                                         "bad.pbtxt", &m, &err);
    ck_assert_msg(st == MO_ERR_FORMAT, "'%s' parsed (status %d)", text, st);
    ck_assert_ptr_null(m);
    ck_assert_ptr_nonnull(strstr(err.msg, "bad.pbtxt"));
    return err.msg;
}

START_TEST(scalars)
{
    MoTest__All *a = parse_all("i32: -2147483648 i64: 9223372036854775807 u32: 4294967295\n"
                               "u64: 18446744073709551615 s32: -5 s64: -9223372036854775808\n"
                               "f32: 0xFFFFFFFF f64: 017 sf32: -1 sf64: -2\n"
                               "fl: 1.5e-3f db: -0.25 b: true s: \"hi\" by: 'a\\x00\\101\\n'\n");
    ck_assert_int_eq(a->i32, INT32_MIN);
    ck_assert(a->i64 == INT64_MAX);
    ck_assert_uint_eq(a->u32, UINT32_MAX);
    ck_assert(a->u64 == UINT64_MAX);
    ck_assert_int_eq(a->s32, -5);
    ck_assert(a->s64 == INT64_MIN);
    ck_assert_uint_eq(a->f32, 0xFFFFFFFFu);
    ck_assert(a->f64 == 15);               /* octal */
    ck_assert_int_eq(a->sf32, -1);
    ck_assert(a->sf64 == -2);
    ck_assert_float_eq(a->fl, 1.5e-3f);
    ck_assert_double_eq(a->db, -0.25);
    ck_assert(a->has_b && a->b);
    ck_assert_str_eq(a->s, "hi");
    ck_assert_uint_eq(a->by.len, 4);
    ck_assert_mem_eq(a->by.data, "a\0A\n", 4);
    protobuf_c_message_free_unpacked(&a->base, NULL);
}
END_TEST

START_TEST(floats_and_bools)
{
    MoTest__All *a = parse_all("fl: -inf db: NaN b: f rf: [1, -2.5, 3e2, .5, inf, -Infinity, 0x10]");
    ck_assert(isinf(a->fl) && a->fl < 0);
    ck_assert(isnan(a->db));
    ck_assert(a->has_b && !a->b);
    ck_assert_uint_eq(a->n_rf, 7);
    float want[] = {1, -2.5f, 300, 0.5f, INFINITY, -INFINITY, 16};
    for (int i = 0; i < 7; i++)
        ck_assert_float_eq(a->rf[i], want[i]);
    protobuf_c_message_free_unpacked(&a->base, NULL);
    a = parse_all("b: 1");
    ck_assert(a->b);
    protobuf_c_message_free_unpacked(&a->base, NULL);
    a = parse_all("b: False");
    ck_assert(a->has_b && !a->b);
    protobuf_c_message_free_unpacked(&a->base, NULL);
}
END_TEST

START_TEST(strings)
{
    /* adjacent strings join; both quotes; every escape */
    MoTest__All *a = parse_all("s: \"a\" 'b' \"\\t\\\"\\\\\\'\\?\" rs: 'x' rs: \"\" rs: [\"y\", 'z']");
    ck_assert_str_eq(a->s, "ab\t\"\\'?");
    ck_assert_uint_eq(a->n_rs, 4);
    ck_assert_str_eq(a->rs[0], "x");
    ck_assert_str_eq(a->rs[1], "");
    ck_assert_str_eq(a->rs[3], "z");
    protobuf_c_message_free_unpacked(&a->base, NULL);
}
END_TEST

START_TEST(enums)
{
    MoTest__All *a = parse_all("color: BLUE colors: [GREEN, 0, -2] colors: RED");
    ck_assert_int_eq(a->color, MO_TEST__COLOR__BLUE);
    ck_assert_uint_eq(a->n_colors, 4);
    ck_assert_int_eq(a->colors[0], MO_TEST__COLOR__GREEN);
    ck_assert_int_eq(a->colors[1], MO_TEST__COLOR__RED);
    ck_assert_int_eq(a->colors[2], MO_TEST__COLOR__BLUE);
    ck_assert_int_eq(a->colors[3], MO_TEST__COLOR__RED);
    protobuf_c_message_free_unpacked(&a->base, NULL);
}
END_TEST

START_TEST(messages)
{
    /* both brackets, optional colon, separators, comments, nesting */
    MoTest__All *a = parse_all("# a comment\n"
                               "inner { name: \"one\" v: 1 v: [2, 3] child < name: 'deep' v: -4 > }\n"
                               "inner: { name: 'two' }, inner <>;\n"
                               "m { key: \"k\" value { v: 9 } }  # trailing comment\n"
                               "m: { key: 'j' }\n"
                               "pa: 5\n");
    ck_assert_uint_eq(a->n_inner, 3);
    ck_assert_str_eq(a->inner[0]->name, "one");
    ck_assert_uint_eq(a->inner[0]->n_v, 3);
    ck_assert_int_eq(a->inner[0]->v[2], 3);
    ck_assert_str_eq(a->inner[0]->child->name, "deep");
    ck_assert_int_eq(a->inner[0]->child->v[0], -4);
    ck_assert_str_eq(a->inner[1]->name, "two");
    ck_assert_ptr_null(a->inner[2]->name);
    ck_assert_uint_eq(a->n_m, 2);
    ck_assert_str_eq(a->m[0]->key, "k");
    ck_assert_int_eq(a->m[0]->value->v[0], 9);
    ck_assert_str_eq(a->m[1]->key, "j");
    ck_assert_int_eq(a->pick_case, MO_TEST__ALL__PICK_PA);
    ck_assert_int_eq(a->pa, 5);
    protobuf_c_message_free_unpacked(&a->base, NULL);
}
END_TEST

START_TEST(unknown_fields_skipped)
{
    MoTest__All *a = parse_all("future: 3 later { deep { x: 'y' z: [1, 2] } w: -inf } i32: 4\n"
                               "[ext.thing] { q: 1 } [type.googleapis.com/a.B] { r: 2 } s: 'kept'");
    ck_assert_int_eq(a->i32, 4);
    ck_assert_str_eq(a->s, "kept");
    protobuf_c_message_free_unpacked(&a->base, NULL);
    /* an empty text is an empty message */
    a = parse_all("  # nothing\n");
    ck_assert(!a->has_i32 && !a->s && !a->n_inner);
    protobuf_c_message_free_unpacked(&a->base, NULL);
}
END_TEST

START_TEST(errors)
{
    /* line 2, column 6: the value of i32 */
    const char *m = parse_fail("s: 'a'\ni32: x", NULL);
    ck_assert_msg(strstr(m, "line 2, column 6"), "%s", m);
    ck_assert_msg(strstr(parse_fail("i32: 2147483648", NULL), "out of range"), "range");
    ck_assert_msg(strstr(parse_fail("u32: -1", NULL), "out of range"), "unsigned");
    ck_assert_msg(strstr(parse_fail("color: PURPLE", NULL), "PURPLE"), "enum");
    ck_assert_msg(strstr(parse_fail("inner: 3", NULL), "is a message"), "message");
    ck_assert_msg(strstr(parse_fail("i32 { }", NULL), "not a message"), "scalar");
    ck_assert_msg(strstr(parse_fail("i32: [1, 2]", NULL), "not repeated"), "list");
    ck_assert_msg(strstr(parse_fail("inner { name: 'x'", NULL), "ends before"), "unclosed");
    ck_assert_msg(strstr(parse_fail("s: 'abc", NULL), "unterminated"), "string");
    ck_assert_msg(strstr(parse_fail("s: 'a\\q'", NULL), "escape"), "escape");
    ck_assert_msg(strstr(parse_fail("i32 5", NULL), "expected ':'"), "colon");
    ck_assert_msg(strstr(parse_fail("}", NULL), "field name"), "stray");
    ck_assert_msg(strstr(parse_fail("b: maybe", NULL), "bool"), "bool");
    ck_assert_msg(strstr(parse_fail("rf: [1, 2", NULL), "']'"), "list end");
    ck_assert_msg(strstr(parse_fail("fl: 1.2.3", NULL), "number"), "float");
    ck_assert_msg(strstr(parse_fail("unknown { a: }", NULL), "value"), "unknown value");
    ck_assert_msg(strstr(parse_fail("", &mo_test__req__descriptor), "required"), "required");
}
END_TEST

START_TEST(depth_limit)
{
    for (int depth = MO_PB_TEXT_MAX_DEPTH - 1; depth <= MO_PB_TEXT_MAX_DEPTH + 1; depth += 2) {
        size_t n = (size_t)depth * 16 + 16;
        char *t = malloc(n), *p = t;
        p += sprintf(p, "inner {");
        for (int i = 1; i < depth; i++)
            p += sprintf(p, " child {");
        for (int i = 0; i < depth; i++)
            p += sprintf(p, "}");
        ProtobufCMessage *m = NULL;
        struct mo_error err = {0};
        enum mo_status st = mo_pb_text_parse(t, strlen(t), &mo_test__all__descriptor, "d", &m, &err);
        if (depth < MO_PB_TEXT_MAX_DEPTH) {
            ck_assert_msg(st == MO_OK, "%s", err.msg);
            protobuf_c_message_free_unpacked(m, NULL);
        } else {
            ck_assert_msg(st == MO_ERR_FORMAT && strstr(err.msg, "deeper"), "%s", err.msg);
        }
        free(t);
    }
}
END_TEST

START_TEST(wire_equals_protobuf)
{
    /* bytes as protobuf's encoder writes them, worked out by hand */
    unsigned char *w;
    size_t n;
    struct mo_error err = {0};
    const char *t = "i32: -1 s32: -1 s: 'A' inner { v: 1 }";
    ck_assert_int_eq(mo_pb_text_to_wire(t, strlen(t), &mo_test__all__descriptor, "w", &w, &n, &err), MO_OK);
    static const unsigned char want[] = {
        0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, /* int32 -1: ten bytes */
        0x28, 0x01,                                                       /* sint32 -1 zigzag */
        0x72, 0x01, 'A',                                                  /* string */
        0x92, 0x01, 0x02, 0x10, 0x01,                                     /* inner {v: 1} */
    };
    ck_assert_uint_eq(n, sizeof want);
    ck_assert_mem_eq(w, want, sizeof want);
    free(w);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pb_text");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, scalars);
    tcase_add_test(tc, floats_and_bools);
    tcase_add_test(tc, strings);
    tcase_add_test(tc, enums);
    tcase_add_test(tc, messages);
    tcase_add_test(tc, unknown_fields_skipped);
    tcase_add_test(tc, errors);
    tcase_add_test(tc, depth_limit);
    tcase_add_test(tc, wire_equals_protobuf);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
