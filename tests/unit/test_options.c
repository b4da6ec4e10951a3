/* test_options.c - conversion options: set, replace, remove, flags, order. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include <mo/options.h>
#include "run_suite.h"

START_TEST(options_set_get)
{
    struct mo_options *o = mo_options_new();
    ck_assert_ptr_nonnull(o);
    ck_assert_ptr_null(mo_options_get(o, "input_model"));
    char val[] = "model.params";
    ck_assert_int_eq(mo_options_set(o, "input_model", val), MO_OK);
    val[0] = 'X'; /* values are copied */
    ck_assert_str_eq(mo_options_get(o, "input_model"), "model.params");
    ck_assert_int_eq(mo_options_set(o, "input_model", "other.params"), MO_OK);
    ck_assert_str_eq(mo_options_get(o, "input_model"), "other.params");
    ck_assert_int_eq(mo_options_set(o, "empty", ""), MO_OK);
    ck_assert_str_eq(mo_options_get(o, "empty"), "");
    /* names are exact: no prefix matching, case matters */
    ck_assert_ptr_null(mo_options_get(o, "input"));
    ck_assert_ptr_null(mo_options_get(o, "INPUT_MODEL"));
    ck_assert_ptr_null(mo_options_get(NULL, "input_model"));
    mo_options_free(o);
    mo_options_free(NULL);
}
END_TEST

START_TEST(options_remove)
{
    struct mo_options *o = mo_options_new();
    mo_options_set(o, "a", "1");
    mo_options_set(o, "b", "2");
    mo_options_set(o, "c", "3");
    ck_assert_int_eq(mo_options_set(o, "b", NULL), MO_OK);
    ck_assert_ptr_null(mo_options_get(o, "b"));
    ck_assert_int_eq(mo_options_set(o, "never_set", NULL), MO_OK);
    const char *k, *v;
    ck_assert(mo_options_at(o, 1, &k, &v));
    ck_assert_str_eq(k, "c");
    ck_assert_str_eq(v, "3");
    ck_assert(!mo_options_at(o, 2, &k, &v));
    mo_options_free(o);
}
END_TEST

START_TEST(options_flags)
{
    struct mo_options *o = mo_options_new();
    mo_options_set(o, "on", "1");
    mo_options_set(o, "yes", "True");
    mo_options_set(o, "zero", "0");
    mo_options_set(o, "false", "FALSE");
    mo_options_set(o, "no", "no");
    mo_options_set(o, "text", "anything");
    ck_assert(mo_options_flag(o, "on"));
    ck_assert(mo_options_flag(o, "yes"));
    ck_assert(mo_options_flag(o, "text"));
    ck_assert(!mo_options_flag(o, "zero"));
    ck_assert(!mo_options_flag(o, "false"));
    ck_assert(!mo_options_flag(o, "no"));
    ck_assert(!mo_options_flag(o, "absent"));
    ck_assert(!mo_options_flag(NULL, "on"));
    mo_options_free(o);
}
END_TEST

START_TEST(options_insertion_order)
{
    /* rt_info lists the parameters in the order the user gave them */
    struct mo_options *o = mo_options_new();
    static const char *const names[] = {"z", "a", "m", "input_shape", "b"};
    char buf[8];
    for (int i = 0; i < 40; i++) {
        snprintf(buf, sizeof buf, "%d", i);
        ck_assert_int_eq(mo_options_set(o, i < 5 ? names[i] : buf, buf), MO_OK);
    }
    mo_options_set(o, "a", "replaced"); /* keeps its place */
    const char *k, *v;
    for (unsigned i = 0; i < 5; i++) {
        ck_assert(mo_options_at(o, i, &k, &v));
        ck_assert_str_eq(k, names[i]);
    }
    ck_assert(mo_options_at(o, 1, &k, &v));
    ck_assert_str_eq(v, "replaced");
    ck_assert(mo_options_at(o, 39, &k, &v));
    ck_assert_str_eq(k, "39");
    ck_assert(!mo_options_at(o, 40, &k, &v));
    ck_assert(!mo_options_at(NULL, 0, &k, &v));
    mo_options_free(o);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("options");
    tcase_add_test(tc, options_set_get);
    tcase_add_test(tc, options_remove);
    tcase_add_test(tc, options_flags);
    tcase_add_test(tc, options_insertion_order);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
