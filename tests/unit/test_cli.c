/* test_cli.c - the `mo` command line: abbreviated long options as Python's
 * argparse takes them (exact name first, else a unique prefix), ambiguous
 * prefixes refused with the sorted candidates. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include <mo/options.h>

#include "cli/cli_options.h"
#include "run_suite.h"

/* Parse the NULL-terminated words after "mo"; *msg gets what was printed
 * on the error stream (static storage, overwritten by the next call). */
static enum cli_result parse(struct mo_options *o, const char **msg, ...)
{
    char *argv[32] = {"mo"};
    int argc = 1;
    va_list ap;
    va_start(ap, msg);
    for (const char *w; (w = va_arg(ap, const char *)) && argc < 31;)
        argv[argc++] = (char *)w;
    va_end(ap);
    static char errbuf[4096];
    memset(errbuf, 0, sizeof errbuf);
    FILE *errf = fmemopen(errbuf, sizeof errbuf - 1, "w");
    FILE *out = fopen("/dev/null", "w");
    ck_assert_ptr_nonnull(errf);
    ck_assert_ptr_nonnull(out);
    enum cli_result r = mo_cli_parse(argc, argv, o, out, errf);
    fclose(errf);
    fclose(out);
    *msg = errbuf;
    return r;
}

START_TEST(cli_unique_prefix)
{
    struct mo_options *o = mo_options_new();
    const char *msg;
    /* seed 001's style-transfer command abbreviates --pretrained_model_name */
    ck_assert_int_eq(parse(o, &msg, "--input_symbol", "nst-symbol.json", "--nd_prefix_name", "13_decoder",
                           "--pretrained_model", "vgg19-0000.params", NULL),
                     CLI_RUN);
    ck_assert_str_eq(msg, "");
    ck_assert_str_eq(mo_options_get(o, "pretrained_model_name"), "vgg19-0000.params");
    ck_assert_ptr_null(mo_options_get(o, "pretrained_model"));
    /* the --name=value form, and flags */
    ck_assert_int_eq(parse(o, &msg, "--model_n=net", "--rev", "--compress", NULL), CLI_RUN);
    ck_assert_str_eq(mo_options_get(o, "model_name"), "net");
    ck_assert(mo_options_flag(o, "reverse_input_channels"));
    ck_assert(mo_options_flag(o, "compress_to_fp16"));
    mo_options_free(o);
}
END_TEST

START_TEST(cli_exact_name_wins)
{
    /* each of these is also a prefix of longer options */
    struct mo_options *o = mo_options_new();
    const char *msg;
    ck_assert_int_eq(parse(o, &msg, "--input", "data", "--output=prob", "--scale", "255", "--k", "m.xml",
                           "--input_model", "a.params", NULL),
                     CLI_RUN);
    ck_assert_str_eq(mo_options_get(o, "input"), "data");
    ck_assert_str_eq(mo_options_get(o, "output"), "prob");
    ck_assert_str_eq(mo_options_get(o, "scale"), "255");
    ck_assert_str_eq(mo_options_get(o, "k"), "m.xml");
    ck_assert_str_eq(mo_options_get(o, "input_model"), "a.params");
    ck_assert_ptr_null(mo_options_get(o, "output_dir"));
    ck_assert_ptr_null(mo_options_get(o, "scale_values"));
    /* --input_model is exact although --input_model_is_text exists */
    ck_assert_ptr_null(mo_options_get(o, "input_model_is_text"));
    mo_options_free(o);
}
END_TEST

START_TEST(cli_ambiguous_prefix)
{
    struct mo_options *o = mo_options_new();
    const char *msg;
    ck_assert_int_eq(parse(o, &msg, "--in", "x.params", NULL), CLI_EXIT_USAGE);
    ck_assert_str_eq(msg, "[ ERROR ]  ambiguous option '--in' could match --input, --input_checkpoint, "
                          "--input_meta_graph, --input_model, --input_model_is_text, --input_proto, "
                          "--input_shape, --input_symbol (mo --help lists the options)\n");
    ck_assert_int_eq(parse(o, &msg, "--out=x", NULL), CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(msg, "'--out' could match --output, --output_dir ("));
    ck_assert_int_eq(parse(o, &msg, "--input_mod", "x", NULL), CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(msg, "could match --input_model, --input_model_is_text ("));
    const char *k, *v;
    ck_assert(!mo_options_at(o, 0, &k, &v)); /* nothing was set */
    mo_options_free(o);
}
END_TEST

START_TEST(cli_not_a_prefix)
{
    struct mo_options *o = mo_options_new();
    const char *msg;
    ck_assert_int_eq(parse(o, &msg, "--", NULL), CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(msg, "unrecognized argument '--'"));
    ck_assert_int_eq(parse(o, &msg, "--=x", NULL), CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(msg, "unrecognized argument"));
    /* longer than every option it starts like */
    ck_assert_int_eq(parse(o, &msg, "--input_shapes", "[1]", NULL), CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(msg, "unrecognized argument '--input_shapes'; did you mean '--input_shape'?"));
    /* a prefix is a prefix of the long name only: no case folding */
    ck_assert_int_eq(parse(o, &msg, "--Input_model", "x", NULL), CLI_EXIT_USAGE);
    /* a flag's abbreviation still takes no value */
    ck_assert_int_eq(parse(o, &msg, "--sil=yes", NULL), CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(msg, "option '--silent' takes no value"));
    /* short options are exact: -m is --input_model, -mx is nothing */
    ck_assert_int_eq(parse(o, &msg, "-mx", "a", NULL), CLI_EXIT_USAGE);
    mo_options_free(o);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");
    tcase_add_test(tc, cli_unique_prefix);
    tcase_add_test(tc, cli_exact_name_wins);
    tcase_add_test(tc, cli_ambiguous_prefix);
    tcase_add_test(tc, cli_not_a_prefix);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
