/* test_escape.c - mo_escape()/mo_quote(): what of a model's text may reach
 * a terminal (printable, well-formed UTF-8) and what is shown as \xNN;
 * cutting to length; the log sink escaping whatever it is given. */
#include <config.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include <mo/log.h>
#include <mo/status.h>
#include "run_suite.h"

/* mo_escape of len bytes into a roomy buffer */
static const char *esc(const char *s, size_t len)
{
    static char out[1024];
    size_t n = mo_escape(out, sizeof out, s, len);
    ck_assert_uint_eq(n, strlen(out));
    return out;
}
#define ESC(lit) esc(lit, sizeof lit - 1)

START_TEST(escape_printable_ascii_kept)
{
    ck_assert_str_eq(ESC("conv1/weights_0.tmp_0 [1,3]{f32}->x ~"), "conv1/weights_0.tmp_0 [1,3]{f32}->x ~");
    /* backslashes are kept, so escaping twice changes nothing */
    ck_assert_str_eq(ESC("a\\xff\\"), "a\\xff\\");
    ck_assert_str_eq(ESC(""), "");
    char out[8] = "zzz";
    ck_assert_uint_eq(mo_escape(out, sizeof out, NULL, 5), 0);
    ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(escape_control_bytes)
{
    ck_assert_str_eq(ESC("a\x1b[31mred"), "a\\x1b[31mred");
    ck_assert_str_eq(ESC("tab\there\nnew\rcr"), "tab\\x09here\\x0anew\\x0dcr");
    ck_assert_str_eq(ESC("\x01\x7f"), "\\x01\\x7f");
    /* a NUL inside the given length is a byte like any other */
    ck_assert_str_eq(ESC("a\0b"), "a\\x00b");
    /* C1 controls, although well-formed UTF-8: U+009B is CSI */
    ck_assert_str_eq(ESC("\xc2\x9b" "2J"), "\\xc2\\x9b2J");
    ck_assert_str_eq(ESC("\xc2\x80\xc2\x9f"), "\\xc2\\x80\\xc2\\x9f");
}
END_TEST

START_TEST(escape_valid_utf8_kept)
{
    static const char *const ok[] = {
        "\xc2\xa0",          /* U+00A0, the first after the C1 block */
        "caf\xc3\xa9",       /* é */
        "\xdf\xbf",          /* U+07FF */
        "\xe0\xa0\x80",      /* U+0800, the smallest 3-byte form */
        "\xe2\x82\xac",      /* € */
        "\xed\x9f\xbf",      /* U+D7FF, just below the surrogates */
        "\xee\x80\x80",      /* U+E000, just above */
        "\xef\xbf\xbd",      /* U+FFFD */
        "\xf0\x90\x80\x80",  /* U+10000, the smallest 4-byte form */
        "\xf0\x9f\x98\x80",  /* an emoji */
        "\xf4\x8f\xbf\xbf",  /* U+10FFFF, the last code point */
        "\xe5\x8d\xb7\xe7\xa7\xaf_0", /* 卷积_0 */
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        ck_assert_str_eq(esc(ok[i], strlen(ok[i])), ok[i]);
}
END_TEST

START_TEST(escape_invalid_utf8)
{
    /* stray continuation bytes */
    ck_assert_str_eq(ESC("a\x80z\xbf"), "a\\x80z\\xbf");
    /* overlong forms: C0/C1 leads, and E0/F0 with a too small second byte */
    ck_assert_str_eq(ESC("\xc0\xaf"), "\\xc0\\xaf");
    ck_assert_str_eq(ESC("\xc1\xbf"), "\\xc1\\xbf");
    ck_assert_str_eq(ESC("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
    ck_assert_str_eq(ESC("\xe0\x9f\xbf"), "\\xe0\\x9f\\xbf");
    ck_assert_str_eq(ESC("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf");
    ck_assert_str_eq(ESC("\xf0\x8f\xbf\xbf"), "\\xf0\\x8f\\xbf\\xbf");
    /* UTF-16 surrogates encoded as UTF-8 (CESU) */
    ck_assert_str_eq(ESC("\xed\xa0\x80"), "\\xed\\xa0\\x80");
    ck_assert_str_eq(ESC("\xed\xbf\xbf"), "\\xed\\xbf\\xbf");
    /* beyond U+10FFFF, and bytes that never occur */
    ck_assert_str_eq(ESC("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
    ck_assert_str_eq(ESC("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80");
    ck_assert_str_eq(ESC("\xfe\xff"), "\\xfe\\xff");
    /* truncated sequences: at the end, and followed by ASCII or a new lead */
    ck_assert_str_eq(ESC("x\xe2\x82"), "x\\xe2\\x82");
    ck_assert_str_eq(ESC("\xe2\x82" "A"), "\\xe2\\x82A");
    ck_assert_str_eq(ESC("\xf0\x9f\x98"), "\\xf0\\x9f\\x98");
    ck_assert_str_eq(ESC("\xc3\xc3\xa9"), "\\xc3\xc3\xa9");
    /* a sequence cut by the length given, although the byte is there */
    ck_assert_str_eq(esc("\xe2\x82\xac", 2), "\\xe2\\x82");
}
END_TEST

START_TEST(escape_is_idempotent)
{
    static const char raw[] = "n\xff\x1b[0m\xe2\x82\xac\xed\xa0\x80\\x41\xc3";
    char once[256], twice[256];
    mo_escape(once, sizeof once, raw, sizeof raw - 1);
    mo_escape(twice, sizeof twice, once, strlen(once));
    ck_assert_str_eq(once, "n\\xff\\x1b[0m\xe2\x82\xac\\xed\\xa0\\x80\\x41\\xc3");
    ck_assert_str_eq(twice, once);
}
END_TEST

START_TEST(escape_cuts_between_characters)
{
    char out[16];
    /* what fits exactly is not cut */
    ck_assert_uint_eq(mo_escape(out, 4, "abc", 3), 3);
    ck_assert_str_eq(out, "abc");
    /* room for 7: "abcd" + "€" would fit, "x" not: cut before the euro
     * sign, not inside it, to make room for the dots */
    ck_assert_uint_eq(mo_escape(out, 8, "abcd\xe2\x82\xacxyz", 10), 7);
    ck_assert_str_eq(out, "abcd...");
    ck_assert_uint_eq(mo_escape(out, 6, "ab\xe2\x82\xac" "cd", 7), 5);
    ck_assert_str_eq(out, "ab...");
    /* never inside an escape either */
    ck_assert_uint_eq(mo_escape(out, 10, "a\x01\x02\x03", 4), 8);
    ck_assert_str_eq(out, "a\\x01...");
    /* too small for the dots: cut silently, still whole units */
    ck_assert_uint_eq(mo_escape(out, 3, "\xc3\xa9\xc3\xa9", 4), 2);
    ck_assert_str_eq(out, "\xc3\xa9");
    ck_assert_uint_eq(mo_escape(out, 1, "abc", 3), 0);
    ck_assert_str_eq(out, "");
    out[0] = 'z';
    ck_assert_uint_eq(mo_escape(out, 0, "abc", 3), 0);
    ck_assert_int_eq(out[0], 'z');
}
END_TEST

START_TEST(quote_cuts_to_200_bytes)
{
    char name[1000], q[MO_QUOTE_SIZE];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = 0;
    ck_assert_uint_eq(strlen(mo_quote(q, name)), 203);
    ck_assert_str_eq(q + 200, "...");
    ck_assert_int_eq(q[199], 'n');
    /* 199 ASCII then 2-byte characters: the first would end at byte 201 */
    memset(name, 'n', 199);
    size_t i = 199;
    for (; i + 2 < sizeof name; i += 2)
        memcpy(name + i, "\xc3\xa9", 2);
    name[i] = 0;
    mo_quote(q, name);
    ck_assert_uint_eq(strlen(q), 202);
    ck_assert_int_eq(q[198], 'n');
    ck_assert_str_eq(q + 199, "...");
    /* escapes count as what they print */
    memset(name, 0xff, 100);
    name[100] = 0;
    mo_quote(q, name);
    ck_assert_uint_eq(strlen(q), 200 + 3);
    ck_assert_str_eq(q + 200, "...");
    ck_assert_str_eq(mo_quote(q, "short"), "short");
    ck_assert_str_eq(mo_quote(q, NULL), "");
}
END_TEST

START_TEST(log_sink_escapes)
{
    /* whatever a plugin formats, stderr gets the escaped form */
    char path[] = "/tmp/mo-escape-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    close(fd);
    mo_log(NULL, MO_LOG_WARNING, "node '%s' of type '%s'", "bad\xff\x1b]0;title\x07", "\xe2\x82\xac");
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char buf[512] = "";
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    unlink(path);
    ck_assert_str_eq(buf, "[ WARNING ]  node 'bad\\xff\\x1b]0;title\\x07' of type '\xe2\x82\xac'\n");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("escape");
    TCase *tc = tcase_create("escape");
    tcase_add_test(tc, escape_printable_ascii_kept);
    tcase_add_test(tc, escape_control_bytes);
    tcase_add_test(tc, escape_valid_utf8_kept);
    tcase_add_test(tc, escape_invalid_utf8);
    tcase_add_test(tc, escape_is_idempotent);
    tcase_add_test(tc, escape_cuts_between_characters);
    tcase_add_test(tc, quote_cuts_to_200_bytes);
    tcase_add_test(tc, log_sink_escapes);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
