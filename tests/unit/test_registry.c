/* test_registry.c - translator priority (tier > rank > plugin name),
 * refusals, ops/frontends/replacements, rollback, frontend detection, and
 * declining translators and the unresolved-type report in a real
 * conversion of a tiny framework graph. */
#include <config.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include <mo/mo.h>

#include "context_private.h"
#include "run_suite.h"

static struct mo_context *ctx;

/* Fake plugins: the registry only needs a record with a descriptor. */
#define FAKE_PLUGIN(id, nm)                                                                  \
    static const struct mo_plugin_desc id##_desc = {1, 0, sizeof(struct mo_plugin_desc), nm, \
                                                    "1", MO_PLUGIN_EXTENSION, NULL, NULL,    \
                                                    NULL};                                   \
    static struct plugin_rec id##_rec = {"/fake/" nm ".so", nm, NULL, &id##_desc, 0, 0, 0, 0}
FAKE_PLUGIN(alpha, "alpha");
FAKE_PLUGIN(beta, "beta");
FAKE_PLUGIN(zeta, "zeta");

static struct mo_plugin_ctx pc_of(struct plugin_rec *owner)
{
    struct mo_plugin_ctx pc = {ctx, owner};
    return pc;
}

static void setup(void)
{
    ctx = mo_context_new();
    ck_assert_ptr_nonnull(ctx);
    alpha_rec.n_translators = beta_rec.n_translators = zeta_rec.n_translators = 0;
}

static void teardown(void) { mo_context_free(ctx); }

/* Translators that only say who they are through their user pointer. */
static enum mo_status tr_noop(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    return MO_ERR_DECLINED;
}

static void reg(struct plugin_rec *owner, const char *fw, const char *type, enum mo_tier tier,
                int rank, const char *tag)
{
    struct mo_plugin_ctx pc = pc_of(owner);
    struct mo_error err = {0};
    ck_assert_msg(mo_register_translator(&pc, fw, type, tier, rank, tr_noop, (void *)tag, &err) == MO_OK,
                  "%s", err.msg);
}

/* The user tags of the candidates for (fw, type), joined by spaces. */
static const char *order_of(const char *fw, const char *type)
{
    static char buf[256];
    const struct translator_rec **v;
    unsigned n = mo_registry_candidates(ctx, fw, type, &v);
    buf[0] = 0;
    for (unsigned i = 0; i < n; i++) {
        strcat(buf, i ? " " : "");
        strcat(buf, (const char *)v[i]->user);
    }
    free(v);
    return buf;
}

/* --- priority ------------------------------------------------------------ */

START_TEST(tier_beats_rank)
{
    /* registered lowest tier first, and with ranks that would invert the
     * order if rank counted before tier */
    reg(&alpha_rec, "mxnet", "Conv", MO_TIER_STANDARD, 100, "standard");
    reg(&beta_rec, "mxnet", "Conv", MO_TIER_MAPPING, -100, "mapping");
    reg(NULL, "mxnet", "Conv", MO_TIER_EXTENSION, 0, "extension");
    ck_assert_str_eq(order_of("mxnet", "Conv"), "mapping extension standard");
    /* other frameworks and types are separate */
    reg(&zeta_rec, "onnx", "Conv", MO_TIER_STANDARD, 0, "onnx");
    ck_assert_str_eq(order_of("onnx", "Conv"), "onnx");
    ck_assert_str_eq(order_of("mxnet", "conv"), "");
    ck_assert_str_eq(order_of("paddle", "Conv"), "");
}
END_TEST

START_TEST(rank_within_tier)
{
    reg(&alpha_rec, "mxnet", "Pool", MO_TIER_EXTENSION, 1, "r1");
    reg(&alpha_rec, "mxnet", "Pool", MO_TIER_EXTENSION, -3, "r-3");
    reg(&beta_rec, "mxnet", "Pool", MO_TIER_EXTENSION, 10, "r10");
    reg(NULL, "mxnet", "Pool", MO_TIER_STANDARD, 50, "std");
    ck_assert_str_eq(order_of("mxnet", "Pool"), "r10 r1 r-3 std");
}
END_TEST

START_TEST(load_order_does_not_matter)
{
    reg(&zeta_rec, "mxnet", "A", MO_TIER_EXTENSION, 2, "z2");
    reg(&alpha_rec, "mxnet", "A", MO_TIER_STANDARD, 0, "a0");
    reg(&beta_rec, "mxnet", "A", MO_TIER_EXTENSION, 1, "b1");
    char first[256];
    snprintf(first, sizeof first, "%s", order_of("mxnet", "A"));
    mo_context_free(ctx);
    ctx = mo_context_new();
    reg(&beta_rec, "mxnet", "A", MO_TIER_EXTENSION, 1, "b1");
    reg(&alpha_rec, "mxnet", "A", MO_TIER_STANDARD, 0, "a0");
    reg(&zeta_rec, "mxnet", "A", MO_TIER_EXTENSION, 2, "z2");
    ck_assert_str_eq(order_of("mxnet", "A"), first);
    ck_assert_str_eq(first, "z2 b1 a0");
}
END_TEST

/* Registration refuses equal tier and rank for one type, so the plugin-name
 * tie-break is a guard; reach it by putting records in directly. */
START_TEST(name_breaks_ties)
{
    static const char *const owners_tags[][2] = {{"zeta", "z"}, {"core", "c"}, {"alpha", "a"}, {"beta", "b"}};
    struct plugin_rec *recs[] = {&zeta_rec, NULL, &alpha_rec, &beta_rec};
    for (int i = 0; i < 4; i++) {
        struct translator_rec *t = mo_vec_push(&ctx->translators, sizeof *t);
        ck_assert_ptr_nonnull(t);
        t->framework = strdup("mxnet");
        t->layer_type = strdup("Tie");
        t->tier = MO_TIER_EXTENSION;
        t->rank = 0;
        t->fn = tr_noop;
        t->user = (void *)owners_tags[i][1];
        t->owner = recs[i];
    }
    ck_assert_str_eq(order_of("mxnet", "Tie"), "a b c z");
}
END_TEST

START_TEST(duplicate_refused)
{
    reg(&alpha_rec, "mxnet", "Dup", MO_TIER_EXTENSION, 0, "first");
    unsigned before = ctx->translators.n;
    struct mo_plugin_ctx pc = pc_of(&beta_rec);
    struct mo_error err = {0};
    ck_assert_int_eq(mo_register_translator(&pc, "mxnet", "Dup", MO_TIER_EXTENSION, 0, tr_noop,
                                            "second", &err),
                     MO_ERR_PLUGIN);
    ck_assert_int_eq(err.code, MO_ERR_PLUGIN);
    ck_assert_msg(strstr(err.msg, "/fake/beta.so") && strstr(err.msg, "alpha") && strstr(err.msg, "Dup"),
                  "the refusal must name the new plugin, the holder and the type: %s", err.msg);
    ck_assert_uint_eq(ctx->translators.n, before);
    ck_assert_uint_eq(beta_rec.n_translators, 0);
    /* another rank, tier or framework is fine */
    reg(&beta_rec, "mxnet", "Dup", MO_TIER_EXTENSION, 1, "rank1");
    reg(&beta_rec, "mxnet", "Dup", MO_TIER_MAPPING, 0, "mapping");
    reg(&beta_rec, "onnx", "Dup", MO_TIER_EXTENSION, 0, "onnx");
    ck_assert_str_eq(order_of("mxnet", "Dup"), "mapping rank1 first");
    ck_assert_uint_eq(beta_rec.n_translators, 3);
}
END_TEST

START_TEST(invalid_translators_refused)
{
    struct mo_plugin_ctx pc = pc_of(&alpha_rec);
    struct mo_error err = {0};
    unsigned before = ctx->translators.n;
    ck_assert_int_eq(mo_register_translator(&pc, "mxnet", "X", MO_TIER_EXTENSION, 0, NULL, NULL, &err),
                     MO_ERR_PLUGIN);
    ck_assert_int_eq(mo_register_translator(&pc, NULL, "X", MO_TIER_EXTENSION, 0, tr_noop, NULL, &err),
                     MO_ERR_PLUGIN);
    ck_assert_int_eq(mo_register_translator(&pc, "mxnet", NULL, MO_TIER_EXTENSION, 0, tr_noop, NULL, &err),
                     MO_ERR_PLUGIN);
    ck_assert_int_eq(mo_register_translator(&pc, "mxnet", "X", MO_TIER_COUNT, 0, tr_noop, NULL, &err),
                     MO_ERR_PLUGIN);
    ck_assert_int_eq(mo_register_translator(&pc, "mxnet", "X", (enum mo_tier)-1, 0, tr_noop, NULL, &err),
                     MO_ERR_PLUGIN);
    ck_assert_ptr_nonnull(strstr(err.msg, "/fake/alpha.so"));
    ck_assert_uint_eq(ctx->translators.n, before);
}
END_TEST

/* --- ops, frontends, replacements ------------------------------------------ */

static const struct mo_op_def my_op = {"MyCustomOp", "extension", 1, 1, 1, NULL, 0, NULL, NULL};
static const struct mo_op_def relu_again = {"Relu", "extension", 1, 1, 1, NULL, 0, NULL, NULL};
static const struct mo_op_def no_type = {NULL, "extension", 1, 1, 1, NULL, 0, NULL, NULL};

START_TEST(ops_registered_once)
{
    ck_assert_ptr_nonnull(mo_context_op(ctx, "Relu"));
    ck_assert_ptr_null(mo_context_op(ctx, "MyCustomOp"));
    unsigned before = ctx->ops.n;
    struct mo_plugin_ctx pc = pc_of(&alpha_rec);
    struct mo_error err = {0};
    ck_assert_int_eq(mo_register_op(&pc, &relu_again, &err), MO_ERR_PLUGIN);
    ck_assert_ptr_nonnull(strstr(err.msg, "Relu"));
    ck_assert_ptr_ne(mo_context_op(ctx, "Relu"), &relu_again);
    ck_assert_int_eq(mo_register_op(&pc, &no_type, &err), MO_ERR_PLUGIN);
    ck_assert_int_eq(mo_register_op(&pc, NULL, &err), MO_ERR_PLUGIN);
    ck_assert_uint_eq(ctx->ops.n, before);
    ck_assert_int_eq(mo_register_op(&pc, &my_op, &err), MO_OK);
    ck_assert_ptr_eq(mo_context_op(ctx, "MyCustomOp"), &my_op);
    ck_assert_int_eq(mo_register_op(&pc, &my_op, &err), MO_ERR_PLUGIN);
    ck_assert_uint_eq(ctx->ops.n, before + 1);
}
END_TEST

static int probe_magic(const char *path, const unsigned char *head, size_t n)
{
    return n >= 5 && !memcmp(head, "MAGIC", 5) ? 80 : 0;
}
static int probe_50(const char *path, const unsigned char *head, size_t n) { return 50; }
static int probe_0(const char *path, const unsigned char *head, size_t n) { return 0; }
static enum mo_status load_none(struct mo_context *c, const struct mo_options *o,
                                struct mo_graph *fw, struct mo_error *err)
{
    return mo_error_set(err, MO_ERR_INTERNAL, 0, "not loadable");
}
static const struct mo_frontend fe_magic_b = {sizeof(struct mo_frontend), "bmagic", "", probe_magic, load_none};
static const struct mo_frontend fe_magic_a = {sizeof(struct mo_frontend), "amagic", "", probe_magic, load_none};
static const struct mo_frontend fe_50 = {sizeof(struct mo_frontend), "fifty", "", probe_50, load_none};
static const struct mo_frontend fe_0 = {sizeof(struct mo_frontend), "never", "", probe_0, load_none};
static const struct mo_frontend fe_small = {8, "small", "", probe_0, load_none};
static const struct mo_frontend fe_noload = {sizeof(struct mo_frontend), "noload", "", probe_0, NULL};

/* Later versions of a standard op sit beside the default; "Type-N" finds them. */
static const struct mo_op_def relu7 = {"Relu", "opset7", 1, 1, 1, NULL, 0, NULL, NULL};
static const struct mo_op_def dashed = {"My-2", "extension", 1, 1, 1, NULL, 0, NULL, NULL};

START_TEST(op_versions)
{
    const struct mo_op_def *relu1 = mo_context_op(ctx, "Relu");
    ck_assert_str_eq(relu1->opset, "opset1");
    ck_assert_ptr_eq(mo_context_op(ctx, "Relu-1"), relu1);
    ck_assert_ptr_null(mo_context_op(ctx, "Relu-7"));
    ck_assert_ptr_eq(mo_context_op(ctx, "MaxPool"), mo_context_op(ctx, "MaxPool-1"));
    ck_assert_str_eq(mo_context_op(ctx, "MaxPool-8")->opset, "opset8");
    ck_assert_str_eq(mo_context_op(ctx, "MaxPool-8")->type, "MaxPool");
    ck_assert_ptr_null(mo_context_op(ctx, "MaxPool-"));
    ck_assert_ptr_null(mo_context_op(ctx, "MaxPool-8x"));
    ck_assert_ptr_null(mo_context_op(ctx, "-8"));
    struct mo_plugin_ctx pc = pc_of(&alpha_rec);
    struct mo_error err = {0};
    ck_assert_int_eq(mo_register_op(&pc, &relu7, &err), MO_OK);
    ck_assert_ptr_eq(mo_context_op(ctx, "Relu"), relu1); /* the default stays */
    ck_assert_ptr_eq(mo_context_op(ctx, "Relu-7"), &relu7);
    ck_assert_int_eq(mo_register_op(&pc, &relu7, &err), MO_ERR_PLUGIN);
    /* a custom type spelt with a dash is found by its own name */
    ck_assert_int_eq(mo_register_op(&pc, &dashed, &err), MO_OK);
    ck_assert_ptr_eq(mo_context_op(ctx, "My-2"), &dashed);
    mo_registry_forget(ctx, &alpha_rec);
    ck_assert_ptr_null(mo_context_op(ctx, "Relu-7"));
    ck_assert_ptr_null(mo_context_op(ctx, "My-2"));
    ck_assert_ptr_eq(mo_context_op(ctx, "Relu"), relu1);
}
END_TEST

START_TEST(frontends_registered)
{
    struct mo_plugin_ctx pc = pc_of(&alpha_rec);
    struct mo_error err = {0};
    ck_assert_uint_eq(mo_context_n_frontends(ctx), 0);
    ck_assert_int_eq(mo_register_frontend(&pc, &fe_small, &err), MO_ERR_PLUGIN);
    ck_assert_int_eq(mo_register_frontend(&pc, &fe_noload, &err), MO_ERR_PLUGIN);
    ck_assert_int_eq(mo_register_frontend(&pc, NULL, &err), MO_ERR_PLUGIN);
    ck_assert_int_eq(mo_register_frontend(&pc, &fe_50, &err), MO_OK);
    ck_assert_int_eq(mo_register_frontend(&pc, &fe_50, &err), MO_ERR_PLUGIN);
    ck_assert_ptr_nonnull(strstr(err.msg, "fifty"));
    ck_assert_uint_eq(mo_context_n_frontends(ctx), 1);
    ck_assert_ptr_eq(mo_context_frontend(ctx, "fifty"), &fe_50);
    ck_assert_ptr_eq(mo_context_frontend_at(ctx, 0), &fe_50);
    ck_assert_ptr_null(mo_context_frontend_at(ctx, 1));
    ck_assert_ptr_null(mo_context_frontend(ctx, "mxnet"));
}
END_TEST

START_TEST(detect_highest_score_then_name)
{
    char path[] = "/tmp/mo-detect-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "MAGIC and more", 14), 14);
    close(fd);
    struct mo_plugin_ctx pc = pc_of(NULL);
    struct mo_error err = {0};
    /* no frontend at all */
    ck_assert_ptr_null(mo_context_detect(ctx, path, &err));
    ck_assert_int_eq(err.code, MO_ERR_UNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(err.msg, path));
    mo_register_frontend(&pc, &fe_0, NULL);
    mo_register_frontend(&pc, &fe_50, NULL);
    ck_assert_ptr_eq(mo_context_detect(ctx, path, &err), &fe_50);
    /* a higher score wins; on a tie the smaller name, whatever the order */
    mo_register_frontend(&pc, &fe_magic_b, NULL);
    mo_register_frontend(&pc, &fe_magic_a, NULL);
    ck_assert_ptr_eq(mo_context_detect(ctx, path, &err), &fe_magic_a);
    unlink(path);
    /* an unreadable path scores on the name alone: only fifty answers */
    ck_assert_ptr_eq(mo_context_detect(ctx, "/nonexistent/x.bin", &err), &fe_50);
}
END_TEST

START_TEST(detect_nobody_claims)
{
    struct mo_plugin_ctx pc = pc_of(NULL);
    mo_register_frontend(&pc, &fe_0, NULL);
    struct mo_error err = {0};
    ck_assert_ptr_null(mo_context_detect(ctx, "/nonexistent/model.xyz", &err));
    ck_assert_int_eq(err.code, MO_ERR_UNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/model.xyz"));
    ck_assert_ptr_nonnull(strstr(err.msg, "never"));     /* lists what is loaded */
    ck_assert_ptr_nonnull(strstr(err.msg, "--framework")); /* and says what to do */
}
END_TEST

static enum mo_status rp_noop(struct mo_context *c, struct mo_graph *fw, const struct mo_options *o,
                              void *user, struct mo_error *err)
{
    return MO_OK;
}
static const struct mo_replacement rp_ok = {sizeof(struct mo_replacement), "mxnet", "rp", NULL, 0, rp_noop, NULL};
static const struct mo_replacement rp_small = {4, "mxnet", "rp", NULL, 0, rp_noop, NULL};
static const struct mo_replacement rp_nofn = {sizeof(struct mo_replacement), "mxnet", "rp", NULL, 0, NULL, NULL};

START_TEST(replacements_and_forget)
{
    struct mo_plugin_ctx pa = pc_of(&alpha_rec), pb = pc_of(&beta_rec);
    struct mo_error err = {0};
    ck_assert_int_eq(mo_register_replacement(&pa, &rp_small, &err), MO_ERR_PLUGIN);
    ck_assert_int_eq(mo_register_replacement(&pa, &rp_nofn, &err), MO_ERR_PLUGIN);
    ck_assert_int_eq(mo_register_replacement(&pa, &rp_ok, &err), MO_OK);
    unsigned t0 = ctx->translators.n, o0 = ctx->ops.n;
    reg(&alpha_rec, "mxnet", "F", MO_TIER_EXTENSION, 0, "a");
    reg(&beta_rec, "mxnet", "F", MO_TIER_EXTENSION, 1, "b");
    ck_assert_int_eq(mo_register_op(&pa, &my_op, &err), MO_OK);
    ck_assert_int_eq(mo_register_frontend(&pa, &fe_50, &err), MO_OK);
    ck_assert_int_eq(mo_register_frontend(&pb, &fe_0, &err), MO_OK);
    ck_assert_ptr_eq(mo_plugin_ctx_context(&pa), ctx);
    mo_registry_forget(ctx, &alpha_rec);
    ck_assert_str_eq(order_of("mxnet", "F"), "b");
    ck_assert_uint_eq(ctx->translators.n, t0 + 1);
    ck_assert_uint_eq(ctx->ops.n, o0);
    ck_assert_ptr_null(mo_context_op(ctx, "MyCustomOp"));
    ck_assert_ptr_nonnull(mo_context_op(ctx, "Relu")); /* the core's stay */
    ck_assert_uint_eq(ctx->replacements.n, 0);
    ck_assert_uint_eq(mo_context_n_frontends(ctx), 1);
    ck_assert_ptr_eq(mo_context_frontend_at(ctx, 0), &fe_0);
}
END_TEST

/* --- a real conversion ------------------------------------------------------- */

static char workdir[256], model_path[300];
static int calls_mapping, calls_ext_high, calls_ext, calls_std;

/* A framework graph: data -> <type> x n_act (each fed by data) -> outputs. */
static const char *fw_types[8];
static unsigned fw_n;

static enum mo_status tiny_load(struct mo_context *c, const struct mo_options *o, struct mo_graph *fw,
                                struct mo_error *err)
{
    struct mo_node *p = mo_graph_add_node(fw, "Parameter", "data", 0, 1);
    p->outputs[0].et = MO_ET_F32;
    p->outputs[0].shape = mo_shape_of(1, 3, 2, 2);
    mo_node_add_output_name(p, 0, "data");
    for (unsigned i = 0; i < fw_n; i++) {
        char name[32], tname[40];
        snprintf(name, sizeof name, "act%u", i);
        snprintf(tname, sizeof tname, "act%u_out", i);
        struct mo_node *a = mo_graph_add_node(fw, fw_types[i], name, 1, 1);
        mo_node_set_input(a, 0, mo_val(p, 0));
        mo_node_add_output_name(a, 0, tname);
        mo_graph_add_output(fw, mo_val(a, 0));
    }
    return MO_OK;
}
static const struct mo_frontend tiny_fe = {sizeof(struct mo_frontend), "tinyfw", "test frontend",
                                           probe_0, tiny_load};

static enum mo_status make_op(struct mo_tctx *t, const char *type)
{
    struct mo_value in = mo_tctx_input(t, 0);
    struct mo_node *n = mo_tctx_op(t, type, NULL, 1, &in, NULL);
    if (!n)
        return MO_ERR_INTERNAL;
    return mo_tctx_set_output(t, 0, mo_val(n, 0), NULL);
}

/* builds something, then declines: what it built must vanish */
static enum mo_status tr_mapping_declines(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                          struct mo_error *err)
{
    calls_mapping++;
    ck_assert_int_eq(make_op(t, "Tanh"), MO_OK);
    return MO_ERR_DECLINED;
}
static enum mo_status tr_ext_high_declines(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                           struct mo_error *err)
{
    calls_ext_high++;
    return MO_ERR_DECLINED;
}
static enum mo_status tr_ext_converts(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    calls_ext++;
    return make_op(t, "Relu");
}
static enum mo_status tr_std(struct mo_tctx *t, const struct mo_node *fw, void *user,
                             struct mo_error *err)
{
    calls_std++;
    return make_op(t, "Sigmoid");
}
static enum mo_status tr_fails(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    return mo_error_set(err, MO_ERR_SHAPE, 0, "deliberate translator failure");
}

static void conv_setup(void)
{
    setup();
    snprintf(workdir, sizeof workdir, "/tmp/mo-registry-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(workdir));
    snprintf(model_path, sizeof model_path, "%s/model.tiny", workdir);
    FILE *f = fopen(model_path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("tiny", f);
    fclose(f);
    char out[300];
    snprintf(out, sizeof out, "%s/out", workdir);
    ck_assert_int_eq(mkdir(out, 0777), 0);
    calls_mapping = calls_ext_high = calls_ext = calls_std = 0;
    struct mo_plugin_ctx pc = pc_of(NULL);
    ck_assert_int_eq(mo_register_frontend(&pc, &tiny_fe, NULL), MO_OK);
}

static void conv_teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", workdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", workdir);
    teardown();
}

static enum mo_status convert(struct mo_error *err)
{
    struct mo_options *o = mo_options_new();
    char out[300];
    snprintf(out, sizeof out, "%s/out", workdir);
    mo_options_set(o, "input_model", model_path);
    mo_options_set(o, "framework", "tinyfw");
    mo_options_set(o, "output_dir", out);
    mo_options_set(o, "model_name", "m");
    mo_context_set_silent(ctx, true);
    enum mo_status st = mo_convert(ctx, o, err);
    mo_options_free(o);
    return st;
}

static unsigned files_in_out(void)
{
    char out[300];
    snprintf(out, sizeof out, "%s/out", workdir);
    DIR *d = opendir(out);
    ck_assert_ptr_nonnull(d);
    unsigned n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static int xpath_count(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr xc = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, xc);
    ck_assert_ptr_nonnull(r);
    int n = r->nodesetval ? r->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(xc);
    return n;
}

START_TEST(decline_falls_through_in_priority_order)
{
    struct mo_plugin_ctx pa = pc_of(&alpha_rec), pb = pc_of(&beta_rec), pz = pc_of(&zeta_rec);
    ck_assert_int_eq(mo_register_translator(&pz, "tinyfw", "MyAct", MO_TIER_STANDARD, 0, tr_std, NULL, NULL), MO_OK);
    ck_assert_int_eq(mo_register_translator(&pb, "tinyfw", "MyAct", MO_TIER_EXTENSION, 0, tr_ext_converts, NULL, NULL), MO_OK);
    ck_assert_int_eq(mo_register_translator(&pa, "tinyfw", "MyAct", MO_TIER_MAPPING, 0, tr_mapping_declines, NULL, NULL), MO_OK);
    ck_assert_int_eq(mo_register_translator(&pa, "tinyfw", "MyAct", MO_TIER_EXTENSION, 5, tr_ext_high_declines, NULL, NULL), MO_OK);
    fw_types[0] = "MyAct";
    fw_n = 1;
    struct mo_error err = {0};
    ck_assert_msg(convert(&err) == MO_OK, "%s", err.msg);
    ck_assert_int_eq(calls_mapping, 1);
    ck_assert_int_eq(calls_ext_high, 1);
    ck_assert_int_eq(calls_ext, 1);
    ck_assert_int_eq(calls_std, 0);

    char path[400];
    snprintf(path, sizeof path, "%s/out/m.xml", workdir);
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);
    ck_assert_int_eq(xpath_count(doc, "/net/layers/layer"), 3);
    ck_assert_int_eq(xpath_count(doc, "/net/layers/layer[@type='Parameter']"), 1);
    ck_assert_int_eq(xpath_count(doc, "/net/layers/layer[@type='Relu' and @name='act0']"), 1);
    ck_assert_int_eq(xpath_count(doc, "/net/layers/layer[@type='Result']"), 1);
    ck_assert_int_eq(xpath_count(doc, "//layer[@type='Tanh' or @type='Sigmoid']"), 0);
    xmlFreeDoc(doc);
    snprintf(path, sizeof path, "%s/out/m.mapping", workdir);
    doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);
    ck_assert_int_eq(xpath_count(doc, "/mapping/map[framework/@name='act0_out' and IR/@name='act0']"), 1);
    xmlFreeDoc(doc);
}
END_TEST

START_TEST(all_decline_is_unresolved)
{
    struct mo_plugin_ctx pa = pc_of(&alpha_rec);
    mo_register_translator(&pa, "tinyfw", "Shy", MO_TIER_EXTENSION, 0, tr_ext_high_declines, NULL, NULL);
    fw_types[0] = "Shy";
    fw_n = 1;
    struct mo_error err = {0};
    ck_assert_int_eq(convert(&err), MO_ERR_UNSUPPORTED);
    ck_assert_int_eq(calls_ext_high, 1);
    ck_assert_ptr_nonnull(strstr(err.msg, "'Shy'"));
    ck_assert_uint_eq(files_in_out(), 0);
}
END_TEST

START_TEST(unresolved_reported_together)
{
    struct mo_plugin_ctx pb = pc_of(&beta_rec);
    mo_register_translator(&pb, "tinyfw", "MyAct", MO_TIER_EXTENSION, 0, tr_ext_converts, NULL, NULL);
    static const char *const types[] = {"Mystery", "MyAct", "Mystery", "Enigma", "Mystery", "Mystery"};
    for (unsigned i = 0; i < 6; i++)
        fw_types[i] = types[i];
    fw_n = 6;
    struct mo_error err = {0};
    ck_assert_int_eq(convert(&err), MO_ERR_UNSUPPORTED);
    ck_assert_int_eq(err.code, MO_ERR_UNSUPPORTED);
    /* both types in one message, with counts and the first node names */
    ck_assert_msg(strstr(err.msg, "'Mystery'") && strstr(err.msg, "'Enigma'"), "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "4 nodes"), "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "act0") && strstr(err.msg, "act3"), "%s", err.msg);
    ck_assert_msg(!strstr(err.msg, "'MyAct'"), "%s", err.msg);
    ck_assert_uint_eq(files_in_out(), 0);
}
END_TEST

START_TEST(translator_error_stops)
{
    struct mo_plugin_ctx pa = pc_of(&alpha_rec), pb = pc_of(&beta_rec);
    mo_register_translator(&pa, "tinyfw", "MyAct", MO_TIER_EXTENSION, 1, tr_fails, NULL, NULL);
    mo_register_translator(&pb, "tinyfw", "MyAct", MO_TIER_EXTENSION, 0, tr_ext_converts, NULL, NULL);
    fw_types[0] = "MyAct";
    fw_n = 1;
    struct mo_error err = {0};
    ck_assert_int_eq(convert(&err), MO_ERR_SHAPE);
    ck_assert_int_eq(calls_ext, 0); /* an error is not a decline */
    ck_assert_msg(strstr(err.msg, "act0") && strstr(err.msg, "deliberate translator failure"), "%s",
                  err.msg);
    ck_assert_uint_eq(files_in_out(), 0);
}
END_TEST

START_TEST(unknown_framework_name)
{
    struct mo_options *o = mo_options_new();
    mo_options_set(o, "input_model", model_path);
    mo_options_set(o, "framework", "foo");
    struct mo_error err = {0};
    ck_assert_int_eq(mo_convert(ctx, o, &err), MO_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(err.msg, "'foo'"));
    mo_options_free(o);
    ck_assert_uint_eq(files_in_out(), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("registry");
    TCase *pr = tcase_create("priority");
    tcase_add_checked_fixture(pr, setup, teardown);
    tcase_add_test(pr, tier_beats_rank);
    tcase_add_test(pr, rank_within_tier);
    tcase_add_test(pr, load_order_does_not_matter);
    tcase_add_test(pr, name_breaks_ties);
    tcase_add_test(pr, duplicate_refused);
    tcase_add_test(pr, invalid_translators_refused);
    tcase_add_test(pr, ops_registered_once);
    tcase_add_test(pr, op_versions);
    tcase_add_test(pr, frontends_registered);
    tcase_add_test(pr, detect_highest_score_then_name);
    tcase_add_test(pr, detect_nobody_claims);
    tcase_add_test(pr, replacements_and_forget);
    suite_add_tcase(s, pr);
    TCase *cv = tcase_create("conversion");
    tcase_add_checked_fixture(cv, conv_setup, conv_teardown);
    tcase_add_test(cv, decline_falls_through_in_priority_order);
    tcase_add_test(cv, all_decline_is_unresolved);
    tcase_add_test(cv, unresolved_reported_together);
    tcase_add_test(cv, translator_error_stops);
    tcase_add_test(cv, unknown_framework_name);
    suite_add_tcase(s, cv);
    int rc = run_suite(s);
    xmlCleanupParser();
    return rc;
}
