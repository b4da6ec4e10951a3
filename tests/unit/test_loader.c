/* test_loader.c - loading plugin modules: the deliberately bad ones in
 * tests/plugins are refused with a message naming the file and leave the
 * registry exactly as it was; the good ones load and work; directory scans
 * follow the --extensions / MO_PLUGIN_PATH rules, first basename winning. */
#include <config.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include <mo/mo.h>

#include "context_private.h"
#include "run_suite.h"

static char plugdir[PATH_MAX];  /* $top_builddir/tests/plugins */
static char scratch[256];   /* per-test temporary directory */
static struct mo_context *ctx;

static void setup(void)
{
    const char *top = getenv("top_builddir");
    char rel[2048];
    snprintf(rel, sizeof rel, "%s/tests/plugins", top ? top : ".");
    /* absolute: the scan tests symlink to the modules from elsewhere */
    ck_assert_msg(realpath(rel, plugdir) != NULL, "%s: run through make check", rel);
    /* only what a test names is searched */
    unsetenv("MO_PLUGIN_PATH");
    snprintf(scratch, sizeof scratch, "%s/mo-loader-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(scratch));
    ctx = mo_context_new();
    ck_assert_ptr_nonnull(ctx);
}

static void teardown(void)
{
    mo_context_free(ctx);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", scratch);
}

static const char *la(const char *name)
{
    static char buf[4][PATH_MAX + 64];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s.la", plugdir, name);
    return buf[k];
}

/* Everything the registry holds, as text, to compare before and after. */
static char *registry_text(void)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    ck_assert_ptr_nonnull(f);
    fprintf(f, "plugins %u\n", ctx->plugins.n);
    for (unsigned i = 0; i < ctx->plugins.n; i++)
        fprintf(f, "  %s\n", ctx->plugins.v[i]->path);
    for (unsigned i = 0; i < ctx->translators.n; i++) {
        const struct translator_rec *t = &ctx->translators.v[i];
        fprintf(f, "tr %s %s %d %d %s\n", t->framework, t->layer_type, t->tier, t->rank,
                mo_registry_owner_name(t));
    }
    for (unsigned i = 0; i < ctx->ops.n; i++)
        fprintf(f, "op %s\n", ctx->ops.v[i].def->type);
    for (unsigned i = 0; i < ctx->frontends.n; i++)
        fprintf(f, "fe %s\n", ctx->frontends.v[i].fe->name);
    for (unsigned i = 0; i < ctx->replacements.n; i++)
        fprintf(f, "rp %s\n", ctx->replacements.v[i].r->name);
    fclose(f);
    return s;
}

static bool has_translator(const char *type)
{
    const struct translator_rec **v;
    unsigned n = mo_registry_candidates(ctx, "mxnet", type, &v);
    free(v);
    return n > 0;
}

static unsigned plugins_named(const char *name)
{
    unsigned n = 0;
    for (unsigned i = 0; i < ctx->plugins.n; i++)
        n += !strcmp(ctx->plugins.v[i]->desc->name, name);
    return n;
}

/* Load path, expect MO_ERR_PLUGIN with a message naming it and containing
 * `why`, and no change at all to the registry. */
static void expect_refused(const char *path, const char *why)
{
    char *before = registry_text();
    struct mo_error err = {0};
    ck_assert_int_eq(mo_context_load_plugin(ctx, path, &err), MO_ERR_PLUGIN);
    ck_assert_int_eq(err.code, MO_ERR_PLUGIN);
    ck_assert_msg(strstr(err.msg, path) != NULL, "the message must name %s: %s", path, err.msg);
    ck_assert_msg(strstr(err.msg, why) != NULL, "'%s' expected in: %s", why, err.msg);
    ck_assert_msg(!strchr(err.msg, '\n'), "one line expected: %s", err.msg);
    char *after = registry_text();
    ck_assert_str_eq(after, before);
    free(before);
    free(after);
    /* a NULL error report is allowed too */
    ck_assert_int_eq(mo_context_load_plugin(ctx, path, NULL), MO_ERR_PLUGIN);
}

/* --- single modules ------------------------------------------------------------ */

START_TEST(good_plugin_loads)
{
    struct mo_error err = {0};
    unsigned before = ctx->translators.n;
    ck_assert_msg(mo_context_load_plugin(ctx, la("good_ext"), &err) == MO_OK, "%s", err.msg);
    ck_assert_uint_eq(ctx->plugins.n, 1);
    ck_assert_uint_eq(ctx->translators.n, before + 1);
    ck_assert(has_translator("GoodExtOp"));
    ck_assert_str_eq(ctx->plugins.v[0]->desc->name, "good_ext");
    ck_assert_str_eq(ctx->plugins.v[0]->basename, "good_ext");
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    mo_context_describe(ctx, f);
    fclose(f);
    ck_assert_msg(strstr(s, "good_ext") && strstr(s, "GoodExtOp"), "%s", s);
    free(s);
}
END_TEST

/* The loaded translator really runs: convert a graph with one GoodExtOp. */
static enum mo_status one_node_load(struct mo_context *c, const struct mo_options *o, struct mo_graph *fw,
                                    struct mo_error *err)
{
    struct mo_node *p = mo_graph_add_node(fw, "Parameter", "data", 0, 1);
    p->outputs[0].et = MO_ET_F32;
    p->outputs[0].shape = mo_shape_of(1, 4);
    struct mo_node *a = mo_graph_add_node(fw, "GoodExtOp", "ext_node", 1, 1);
    mo_node_set_input(a, 0, mo_val(p, 0));
    mo_graph_add_output(fw, mo_val(a, 0));
    return MO_OK;
}
static const struct mo_frontend fake_mxnet = {sizeof(struct mo_frontend), "mxnet", "test", NULL,
                                              one_node_load};

START_TEST(good_plugin_converts)
{
    struct mo_error err = {0};
    ck_assert_int_eq(mo_context_load_plugin(ctx, la("good_ext"), &err), MO_OK);
    struct mo_plugin_ctx pc = {ctx, NULL};
    ck_assert_int_eq(mo_register_frontend(&pc, &fake_mxnet, NULL), MO_OK);
    char model[300];
    snprintf(model, sizeof model, "%s/model.params", scratch);
    FILE *f = fopen(model, "w");
    fputs("x", f);
    fclose(f);
    struct mo_options *o = mo_options_new();
    mo_options_set(o, "input_model", model);
    mo_options_set(o, "framework", "mxnet");
    mo_options_set(o, "output_dir", scratch);
    mo_context_set_silent(ctx, true);
    ck_assert_msg(mo_convert(ctx, o, &err) == MO_OK, "%s", err.msg);
    mo_options_free(o);
    char xml[300], buf[8192] = {0};
    snprintf(xml, sizeof xml, "%s/model.xml", scratch);
    f = fopen(xml, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_gt(fread(buf, 1, sizeof buf - 1, f), 0);
    fclose(f);
    ck_assert_msg(strstr(buf, "name=\"ext_node\" type=\"Relu\""), "%s", buf);
}
END_TEST

START_TEST(wrong_abi_refused)
{
    expect_refused(la("bad_abi"), "ABI 2.0");
    ck_assert(!has_translator("BadAbiOp"));
}
END_TEST

START_TEST(missing_entry_refused)
{
    expect_refused(la("no_entry"), "mo_plugin_query");
}
END_TEST

START_TEST(incomplete_descriptor_refused)
{
    expect_refused(la("short_desc"), "incomplete descriptor");
    ck_assert(!has_translator("ShortDescOp"));
}
END_TEST

START_TEST(failing_init_rolled_back)
{
    expect_refused(la("failing_init"), "deliberate failure after registering");
    ck_assert(!has_translator("FailingInitLayer"));
    ck_assert_ptr_null(mo_context_op(ctx, "FailingInitOp"));
    ck_assert_ptr_null(mo_context_frontend(ctx, "failing_fw"));
    ck_assert_uint_eq(ctx->replacements.n, 0);
}
END_TEST

START_TEST(duplicate_registration_refused)
{
    struct mo_error err = {0};
    ck_assert_int_eq(mo_context_load_plugin(ctx, la("alt_ext"), &err), MO_OK);
    expect_refused(la("dup_reg"), "alt_ext");
    ck_assert_ptr_null(mo_context_op(ctx, "DupRegOp")); /* registered before the refusal */
    const struct translator_rec **v;
    ck_assert_uint_eq(mo_registry_candidates(ctx, "mxnet", "AltExtOp", &v), 1);
    ck_assert_str_eq(mo_registry_owner_name(v[0]), "alt_ext");
    free(v);
}
END_TEST

START_TEST(same_plugin_twice)
{
    /* the second copy clashes with the first; the first must survive the rollback */
    struct mo_error err = {0};
    ck_assert_int_eq(mo_context_load_plugin(ctx, la("good_ext"), &err), MO_OK);
    expect_refused(la("good_ext"), "GoodExtOp");
    ck_assert(has_translator("GoodExtOp"));
    ck_assert_uint_eq(plugins_named("good_ext"), 1);
}
END_TEST

START_TEST(not_a_module)
{
    expect_refused("/nonexistent-mo/none.la", "cannot open");
    char junk[300];
    snprintf(junk, sizeof junk, "%s/junk.so", scratch);
    FILE *f = fopen(junk, "w");
    fputs("not an ELF file", f);
    fclose(f);
    expect_refused(junk, "cannot open");
}
END_TEST

START_TEST(bad_then_good)
{
    /* refusals leave nothing behind that would stop later loads */
    struct mo_error err = {0};
    mo_context_load_plugin(ctx, la("failing_init"), NULL);
    mo_context_load_plugin(ctx, la("bad_abi"), NULL);
    mo_context_load_plugin(ctx, la("dup_reg"), NULL); /* nothing to clash with: loads */
    ck_assert_uint_eq(plugins_named("dup_reg"), 1);
    ck_assert_ptr_nonnull(mo_context_op(ctx, "DupRegOp"));
    /* now alt_ext is the one that clashes */
    ck_assert_int_eq(mo_context_load_plugin(ctx, la("alt_ext"), &err), MO_ERR_PLUGIN);
    ck_assert_ptr_nonnull(strstr(err.msg, "dup_reg"));
    ck_assert_int_eq(mo_context_load_plugin(ctx, la("good_ext"), &err), MO_OK);
    ck_assert_uint_eq(ctx->plugins.n, 2);
}
END_TEST

/* --- directory scans ------------------------------------------------------------- */

/* dir/<name>.so -> the built module <target>.so */
static void link_module(const char *dir, const char *name, const char *target)
{
    char from[PATH_MAX + 64], to[400];
    snprintf(from, sizeof from, "%s/.libs/%s.so", plugdir, target);
    ck_assert_msg(access(from, R_OK) == 0, "%s not built", from);
    mkdir(dir, 0777);
    snprintf(to, sizeof to, "%s/%s.so", dir, name);
    ck_assert_int_eq(symlink(from, to), 0);
}

static char *dir_a(void)
{
    static char d[300];
    snprintf(d, sizeof d, "%s/a", scratch);
    return d;
}

static char *dir_b(void)
{
    static char d[300];
    snprintf(d, sizeof d, "%s/b", scratch);
    return d;
}

/* Run load_plugins with stderr captured into *log (caller frees). */
static enum mo_status load_plugins_logged(const char *ext, struct mo_error *err, char **log)
{
    char path[300];
    snprintf(path, sizeof path, "%s/stderr.txt", scratch);
    fflush(stderr);
    int saved = dup(2);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    dup2(fd, 2);
    close(fd);
    enum mo_status st = mo_context_load_plugins(ctx, ext, err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    FILE *f = fopen(path, "r");
    *log = calloc(1, 65536);
    size_t n = fread(*log, 1, 65535, f);
    (*log)[n] = 0;
    fclose(f);
    return st;
}

static unsigned plugins_under(const char *dir)
{
    unsigned n = 0;
    for (unsigned i = 0; i < ctx->plugins.n; i++)
        n += !strncmp(ctx->plugins.v[i]->path, dir, strlen(dir));
    return n;
}

START_TEST(scan_skips_broken_with_warnings)
{
    struct mo_error err = {0};
    char *log;
    ck_assert_msg(load_plugins_logged(plugdir, &err, &log) == MO_OK, "%s", err.msg);
    /* of the build tree's test modules only the two good ones stay */
    ck_assert_uint_eq(plugins_under(plugdir), 2);
    ck_assert_uint_eq(plugins_named("alt_ext"), 1);
    ck_assert_uint_eq(plugins_named("good_ext"), 1);
    ck_assert(has_translator("GoodExtOp"));
    ck_assert(has_translator("AltExtOp"));
    /* dup_reg sorts after alt_ext and clashes with it */
    static const char *const bad[] = {"bad_abi", "no_entry", "short_desc", "failing_init", "dup_reg"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(strstr(log, la(bad[i])) != NULL, "no warning names %s:\n%s", bad[i], log);
        ck_assert_ptr_null(mo_context_op(ctx, "DupRegOp"));
    }
    ck_assert_msg(strstr(log, "[ WARNING ]") != NULL, "%s", log);
    ck_assert_ptr_null(strstr(log, "[ ERROR ]"));
    free(log);
}
END_TEST

START_TEST(scan_list_of_dirs)
{
    link_module(dir_a(), "good_ext", "good_ext");
    link_module(dir_b(), "alt_ext", "alt_ext");
    char list[700];
    snprintf(list, sizeof list, "%s,%s", dir_a(), dir_b());
    struct mo_error err = {0};
    ck_assert_msg(mo_context_load_plugins(ctx, list, &err) == MO_OK, "%s", err.msg);
    ck_assert_uint_eq(plugins_under(scratch), 2);
    ck_assert(has_translator("GoodExtOp"));
    ck_assert(has_translator("AltExtOp"));
}
END_TEST

START_TEST(scan_first_basename_wins)
{
    /* two different modules under one basename in two directories */
    link_module(dir_a(), "good_ext", "good_ext");
    link_module(dir_b(), "good_ext", "alt_ext");
    char list[700];
    snprintf(list, sizeof list, "%s,%s", dir_a(), dir_b());
    struct mo_error err = {0};
    ck_assert_int_eq(mo_context_load_plugins(ctx, list, &err), MO_OK);
    ck_assert(has_translator("GoodExtOp"));
    ck_assert(!has_translator("AltExtOp"));
    ck_assert_uint_eq(plugins_under(scratch), 1);
    mo_context_free(ctx);
    ctx = mo_context_new();
    snprintf(list, sizeof list, "%s,%s", dir_b(), dir_a());
    ck_assert_int_eq(mo_context_load_plugins(ctx, list, &err), MO_OK);
    ck_assert(has_translator("AltExtOp"));
    ck_assert(!has_translator("GoodExtOp"));
    ck_assert_uint_eq(plugins_under(scratch), 1);
}
END_TEST

START_TEST(scan_extensions_before_plugin_path)
{
    link_module(dir_a(), "good_ext", "good_ext");
    link_module(dir_b(), "good_ext", "alt_ext");
    setenv("MO_PLUGIN_PATH", dir_a(), 1);
    struct mo_error err = {0};
    ck_assert_int_eq(mo_context_load_plugins(ctx, dir_b(), &err), MO_OK);
    ck_assert(has_translator("AltExtOp"));
    ck_assert(!has_translator("GoodExtOp"));
    mo_context_free(ctx);
    /* MO_PLUGIN_PATH alone, colon-separated, first directory first */
    ctx = mo_context_new();
    char env[700];
    snprintf(env, sizeof env, "/nonexistent-mo-dir:%s:%s", dir_a(), dir_b());
    setenv("MO_PLUGIN_PATH", env, 1);
    ck_assert_msg(mo_context_load_plugins(ctx, "", &err) == MO_OK, "a missing MO_PLUGIN_PATH dir is "
                  "not an error: %s", err.msg);
    ck_assert(has_translator("GoodExtOp"));
    ck_assert(!has_translator("AltExtOp"));
    unsetenv("MO_PLUGIN_PATH");
}
END_TEST

START_TEST(scan_empty_means_none)
{
    struct mo_error err = {0};
    ck_assert_int_eq(mo_context_load_plugins(ctx, "", &err), MO_OK);
    ck_assert_uint_eq(plugins_under(plugdir), 0);
    ck_assert_uint_eq(plugins_under(scratch), 0);
}
END_TEST

START_TEST(scan_null_uses_default)
{
    /* the default extension directory need not exist */
    struct mo_error err = {0};
    ck_assert_msg(mo_context_load_plugins(ctx, NULL, &err) == MO_OK, "%s", err.msg);
    ck_assert_uint_eq(plugins_under(plugdir), 0);
}
END_TEST

START_TEST(scan_plugin_dir_replaces_installed)
{
    /* the uninstalled mo's case: another directory instead of $(pkglibdir),
     * searched last, its extensions/ the default extension directory */
    ck_assert_str_eq(mo_context_plugin_dir(ctx), mo_installed_plugin_dir());
    char ext[400];
    snprintf(ext, sizeof ext, "%s/extensions", dir_a());
    link_module(dir_a(), "good_ext", "good_ext");
    link_module(ext, "alt_ext", "alt_ext");
    struct mo_error err = {0};
    ck_assert_int_eq(mo_context_set_plugin_dir(ctx, dir_a(), &err), MO_OK);
    ck_assert_str_eq(mo_context_plugin_dir(ctx), dir_a());
    ck_assert_msg(mo_context_load_plugins(ctx, NULL, &err) == MO_OK, "%s", err.msg);
    ck_assert(has_translator("GoodExtOp"));
    ck_assert(has_translator("AltExtOp"));
    ck_assert_uint_eq(plugins_under(scratch), 2);
    /* --extensions "" turns the default extensions off, not the directory */
    mo_context_free(ctx);
    ctx = mo_context_new();
    ck_assert_int_eq(mo_context_set_plugin_dir(ctx, dir_a(), &err), MO_OK);
    ck_assert_int_eq(mo_context_load_plugins(ctx, "", &err), MO_OK);
    ck_assert(has_translator("GoodExtOp"));
    ck_assert(!has_translator("AltExtOp"));
    /* NULL restores the installed directory */
    ck_assert_int_eq(mo_context_set_plugin_dir(ctx, NULL, &err), MO_OK);
    ck_assert_str_eq(mo_context_plugin_dir(ctx), mo_installed_plugin_dir());
}
END_TEST

START_TEST(scan_missing_dir_is_error)
{
    struct mo_error err = {0};
    ck_assert_int_eq(mo_context_load_plugins(ctx, "/nonexistent-mo-ext", &err), MO_ERR_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent-mo-ext"));
    ck_assert_ptr_nonnull(strstr(err.msg, "--extensions"));
    /* also when it is one of several; the others still load */
    link_module(dir_a(), "good_ext", "good_ext");
    char list[700];
    snprintf(list, sizeof list, "%s,/nonexistent-mo-ext2", dir_a());
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(mo_context_load_plugins(ctx, list, &err), MO_ERR_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent-mo-ext2"));
    /* a regular file is not a directory either */
    char file[400];
    snprintf(file, sizeof file, "%s/a/good_ext.so", scratch);
    ck_assert_int_eq(mo_context_load_plugins(ctx, file, &err), MO_ERR_NOT_FOUND);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("loader");
    TCase *one = tcase_create("modules");
    tcase_add_checked_fixture(one, setup, teardown);
    tcase_set_timeout(one, 30);
    tcase_add_test(one, good_plugin_loads);
    tcase_add_test(one, good_plugin_converts);
    tcase_add_test(one, wrong_abi_refused);
    tcase_add_test(one, missing_entry_refused);
    tcase_add_test(one, incomplete_descriptor_refused);
    tcase_add_test(one, failing_init_rolled_back);
    tcase_add_test(one, duplicate_registration_refused);
    tcase_add_test(one, same_plugin_twice);
    tcase_add_test(one, not_a_module);
    tcase_add_test(one, bad_then_good);
    suite_add_tcase(s, one);
    TCase *dirs = tcase_create("directories");
    tcase_add_checked_fixture(dirs, setup, teardown);
    tcase_set_timeout(dirs, 30);
    tcase_add_test(dirs, scan_skips_broken_with_warnings);
    tcase_add_test(dirs, scan_list_of_dirs);
    tcase_add_test(dirs, scan_first_basename_wins);
    tcase_add_test(dirs, scan_extensions_before_plugin_path);
    tcase_add_test(dirs, scan_empty_means_none);
    tcase_add_test(dirs, scan_null_uses_default);
    tcase_add_test(dirs, scan_plugin_dir_replaces_installed);
    tcase_add_test(dirs, scan_missing_dir_is_error);
    suite_add_tcase(s, dirs);
    return run_suite(s);
}
