/* test_tcfg.c - transformations configs (core/tcfg_*.c): the reader's
 * errors, scope and points matching (derived and given inputs/outputs,
 * several instances of one pattern, Python's \d), the common replacement
 * and its refusal, and the handler registry. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include <mo/mo.h>

#include "context_private.h"
#include "run_suite.h"
#include "tcfg.h"

static struct mo_node *add(struct mo_graph *g, const char *type, const char *name, struct mo_node *a,
                           struct mo_node *b)
{
    struct mo_node *x = mo_graph_add_node(g, type, name, b ? 2 : a ? 1 : 0, 1);
    ck_assert_ptr_nonnull(x);
    if (a)
        mo_node_set_input(x, 0, mo_val(a, 0));
    if (b)
        mo_node_set_input(x, 1, mo_val(b, 0));
    return x;
}

/* x -> blk_1/a (Relu) -> blk_1/b (Mul, also x) -> blk_2/a (Relu) -> blk_2/b (Mul,
 * also blk_1/b) -> out (Relu), graph output out */
static struct mo_graph *graph(void)
{
    struct mo_graph *g = mo_graph_new(NULL);
    struct mo_node *x = add(g, "Parameter", "x", NULL, NULL);
    struct mo_node *a1 = add(g, "Relu", "blk_1/a", x, NULL);
    struct mo_node *b1 = add(g, "Mul", "blk_1/b", a1, x);
    struct mo_node *a2 = add(g, "Relu", "blk_2/a", b1, NULL);
    struct mo_node *b2 = add(g, "Mul", "blk_2/b", a2, b1);
    struct mo_node *o = add(g, "Relu", "out", b2, NULL);
    mo_graph_add_output(g, mo_val(o, 0));
    return g;
}

static struct mo_tcfg *parse_ok(const char *json)
{
    struct mo_tcfg *c = NULL;
    struct mo_error err = {0};
    ck_assert_msg(mo_tcfg_parse("t.json", json, strlen(json), &c, &err) == MO_OK, "%s", err.msg);
    return c;
}

static void parse_bad(const char *json, const char *want)
{
    struct mo_tcfg *c = NULL;
    struct mo_error err = {0};
    ck_assert_int_eq(mo_tcfg_parse("t.json", json, strlen(json), &c, &err), MO_ERR_FORMAT);
    ck_assert_ptr_null(c);
    ck_assert_msg(strstr(err.msg, want) != NULL, "'%s' lacks '%s'", err.msg, want);
    ck_assert_int_eq(err.faq, MO_TCFG_FAQ);
}

START_TEST(reader_errors)
{
    parse_bad("[{\"id\": \"a\",\n \"match_kind\": }]", "t.json': line 2, column");
    parse_bad("{}", "expected a JSON list");
    parse_bad("[{\"id\": \"a\", \"match_kind\": \"tree\"}]", "entry 0 (id 'a'): unknown match_kind 'tree'");
    parse_bad("[{\"id\": \"a\", \"match_kind\": \"scope\", \"instances\": [\"(\"]}]",
              "field 'instances'[0]: bad regex '(/'");
    parse_bad("[{\"id\": \"a\", \"match_kind\": \"scope\", \"instances\": [\"(?:x)\"]}]", "(?...) group");
    parse_bad("[{\"id\": \"a\", \"match_kind\": \"scope\", \"instances\": [\"x\"], \"extra\": 1}]",
              "unknown field 'extra'");
    parse_bad("[{\"id\": \"a\", \"match_kind\": \"scope\"}]", "field 'instances' is missing");
    parse_bad("[{\"id\": \"a\", \"match_kind\": \"points\", \"instances\": {\"start_points\": []}}]",
              "'instances'.start_points: expected a non-empty list");
    parse_bad("[{\"id\": \"a\", \"match_kind\": \"scope\", \"instances\": [\"x\"], \"outputs\": "
              "[{\"node\": \"b\", \"port\": -1}]}]", "field 'outputs'[0]: field 'port' must be");
    parse_bad("[{\"id\": \"a\", \"match_kind\": \"general\", \"id\": \"b\"}]", "duplicate");
    /* and one that is fine, with typed custom attributes */
    struct mo_tcfg *c = parse_ok("[{\"id\": \"a\", \"match_kind\": \"general\", \"custom_attributes\": "
                                 "{\"i\": 3, \"f\": 0.5, \"l\": [1, 2], \"m\": [1, 0.5], \"s\": [\"p\"], "
                                 "\"o\": {\"k\": null}}}]");
    ck_assert_uint_eq(c->v[0].n_attrs, 6);
    struct mo_cfg_match m = {.n_attrs = c->v[0].n_attrs, .attrs = c->v[0].attrs};
    ck_assert_int_eq(mo_cfg_match_attr(&m, "i")->kind, MO_ATTR_INT);
    ck_assert_int_eq(mo_cfg_match_attr(&m, "f")->kind, MO_ATTR_FLOAT);
    ck_assert_int_eq(mo_cfg_match_attr(&m, "l")->kind, MO_ATTR_INTS);
    ck_assert_int_eq(mo_cfg_match_attr(&m, "m")->kind, MO_ATTR_FLOATS);
    ck_assert_int_eq(mo_cfg_match_attr(&m, "s")->kind, MO_ATTR_STRINGS);
    ck_assert_str_eq(mo_cfg_match_attr(&m, "o")->u.s, "{\"k\":null}");
    ck_assert_ptr_null(mo_cfg_match_attr(&m, "none"));
    mo_tcfg_free(c);
}
END_TEST

struct seen {
    unsigned n;
    char scope[4][32];
    unsigned n_inputs[4], n_uses[4], n_outputs[4], n_nodes[4];
    struct mo_value src[4], out[4];
};

static enum mo_status note(const struct mo_cfg_match *m, void *user, struct mo_error *err)
{
    (void)err;
    struct seen *s = user;
    unsigned i = s->n++;
    ck_assert_uint_lt(i, 4);
    snprintf(s->scope[i], sizeof s->scope[i], "%s", m->scope ? m->scope : "-");
    s->n_inputs[i] = m->n_inputs;
    s->n_uses[i] = m->n_inputs ? m->inputs[0].n_uses : 0;
    s->n_outputs[i] = m->n_outputs;
    s->n_nodes[i] = m->n_nodes;
    s->src[i] = m->n_inputs ? m->inputs[0].src : (struct mo_value){NULL, 0};
    s->out[i] = m->n_outputs ? m->outputs[0] : (struct mo_value){NULL, 0};
    return MO_OK;
}

START_TEST(scope_instances_derived)
{
    struct mo_graph *g = graph();
    struct mo_tcfg *c = parse_ok("[{\"id\": \"a\", \"match_kind\": \"scope\", \"instances\": [\"blk_\\\\d+\"]}]");
    struct seen s = {0};
    struct mo_error err = {0};
    unsigned found = 0;
    ck_assert_int_eq(mo_tcfg_match(c, &c->v[0], g, note, &s, &found, &err), MO_OK);
    ck_assert_uint_eq(found, 2);
    ck_assert_str_eq(s.scope[0], "blk_1/");
    ck_assert_str_eq(s.scope[1], "blk_2/");
    /* blk_1: one input (x, used by a and b), one output (b) */
    ck_assert_uint_eq(s.n_inputs[0], 1);
    ck_assert_uint_eq(s.n_uses[0], 2);
    ck_assert_str_eq(s.src[0].node->name, "x");
    ck_assert_uint_eq(s.n_outputs[0], 1);
    ck_assert_str_eq(s.out[0].node->name, "blk_1/b");
    ck_assert_uint_eq(s.n_nodes[0], 2);
    /* the update mode's patterns: relative, escaped, '$'-terminated */
    json_t *in, *out;
    ck_assert_int_eq(mo_tcfg_derive_io(&c->v[0], g, &in, &out, &err), MO_OK);
    char *ti = json_dumps(in, JSON_COMPACT), *to = json_dumps(out, JSON_COMPACT);
    ck_assert_str_eq(ti, "[[{\"node\":\"a$\",\"port\":0},{\"node\":\"b$\",\"port\":1}]]");
    ck_assert_str_eq(to, "[{\"node\":\"b$\",\"port\":0}]");
    free(ti);
    free(to);
    json_decref(in);
    json_decref(out);
    mo_tcfg_free(c);
    mo_graph_free(g);
}
END_TEST

static enum mo_status replace(const struct mo_cfg_match *m, void *user, struct mo_error *err)
{
    return mo_cfg_replace_with_node(user, m, "Fused", NULL, err) ? MO_OK : err->code;
}

START_TEST(scope_given_and_replaced)
{
    struct mo_graph *g = graph();
    /* outputs that leave blk_1/b out: the rest of the graph reads it */
    struct mo_tcfg *c = parse_ok("[{\"id\": \"a\", \"match_kind\": \"scope\", \"instances\": [\"blk_1\"],"
                                 " \"inputs\": [[{\"node\": \"a\", \"port\": 0}]],"
                                 " \"outputs\": [{\"node\": \"a\", \"port\": 0}]}]");
    struct mo_error err = {0};
    ck_assert_int_eq(mo_tcfg_match(c, &c->v[0], g, replace, g, NULL, &err), MO_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, "reads output 0 of 'blk_1/b' inside it") != NULL, "%s", err.msg);
    mo_tcfg_free(c);
    /* the right outputs: one node named after the scope, the graph rewired */
    c = parse_ok("[{\"id\": \"a\", \"match_kind\": \"scope\", \"instances\": [\"blk_1/\"],"
                 " \"inputs\": [[{\"node\": \"a\", \"port\": 0}, {\"node\": \"b$\", \"port\": 1}]],"
                 " \"outputs\": [{\"node\": \"b\", \"port\": 0}]}]");
    ck_assert_int_eq(mo_tcfg_match(c, &c->v[0], g, replace, g, NULL, &err), MO_OK);
    struct mo_node *f = mo_graph_find(g, "blk_1");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->type, "Fused");
    ck_assert_str_eq(f->inputs[0].node->name, "x");
    ck_assert_ptr_eq(mo_graph_find(g, "blk_2/a")->inputs[0].node, f);
    ck_assert_ptr_eq(mo_graph_find(g, "blk_2/b")->inputs[1].node, f);
    ck_assert_ptr_null(mo_graph_find(g, "blk_1/a"));
    mo_tcfg_free(c);
    /* an ambiguous node pattern */
    c = parse_ok("[{\"id\": \"a\", \"match_kind\": \"scope\", \"instances\": [\"blk_2\"],"
                 " \"inputs\": [[{\"node\": \".\", \"port\": 0}]], \"outputs\": [{\"node\": \"b\", \"port\": 0}]}]");
    ck_assert_int_eq(mo_tcfg_match(c, &c->v[0], g, replace, g, NULL, &err), MO_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, "matches both 'blk_2/a' and 'blk_2/b'") != NULL, "%s", err.msg);
    mo_tcfg_free(c);
    mo_graph_free(g);
}
END_TEST

START_TEST(points)
{
    struct mo_graph *g = graph();
    struct mo_tcfg *c = parse_ok("[{\"id\": \"a\", \"match_kind\": \"points\", \"instances\": "
                                 "{\"start_points\": [\"blk_2/a\"], \"end_points\": [\"blk_2/b\"]}}]");
    struct seen s = {0};
    struct mo_error err = {0};
    /* blk_2/b also reads blk_1/b, which going back pulls in up to x */
    ck_assert_int_eq(mo_tcfg_match(c, &c->v[0], g, note, &s, NULL, &err), MO_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, "reaches the model input 'x'") != NULL, "%s", err.msg);
    mo_tcfg_free(c);
    /* start at blk_1/b's consumers: blk_2/a and blk_2/b, one input with two uses */
    c = parse_ok("[{\"id\": \"a\", \"match_kind\": \"points\", \"include_inputs_to_sub_graph\": false,"
                 " \"instances\": {\"start_points\": [\"blk_1/b\"], \"end_points\": [\"blk_2/b\"]}}]");
    ck_assert_int_eq(mo_tcfg_match(c, &c->v[0], g, note, &s, NULL, &err), MO_OK);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_uint_eq(s.n_nodes[0], 2);
    ck_assert_uint_eq(s.n_inputs[0], 1);
    ck_assert_uint_eq(s.n_uses[0], 2);
    ck_assert_str_eq(s.src[0].node->name, "blk_1/b");
    ck_assert_str_eq(s.out[0].node->name, "blk_2/b");
    mo_tcfg_free(c);
    c = parse_ok("[{\"id\": \"a\", \"match_kind\": \"points\", \"instances\": "
                 "{\"start_points\": [\"nope\"], \"end_points\": [\"blk_2/b\"]}}]");
    ck_assert_int_eq(mo_tcfg_match(c, &c->v[0], g, note, &s, NULL, &err), MO_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, "start point 'nope' is no node") != NULL, "%s", err.msg);
    mo_tcfg_free(c);
    mo_graph_free(g);
}
END_TEST

static enum mo_status nop(struct mo_context *c, struct mo_graph *fw, const struct mo_cfg_match *m, void *u,
                          struct mo_error *err)
{
    (void)c, (void)fw, (void)m, (void)u, (void)err;
    return MO_OK;
}

START_TEST(handlers)
{
    struct mo_context *ctx = mo_context_new();
    static const struct mo_plugin_desc d = {1, 2, sizeof d, "p", "1", MO_PLUGIN_EXTENSION, NULL, NULL, NULL};
    static struct plugin_rec owner = {"/fake/p.so", "p", NULL, &d, 0, 0, 0, 0};
    struct mo_plugin_ctx pc = {ctx, &owner};
    static const struct mo_cfg_handler h = {sizeof h, "X", nop, NULL};
    static const struct mo_cfg_handler own = {sizeof own, MO_CFG_REPLACE_WITH_OP, nop, NULL};
    static const struct mo_cfg_handler small = {4, "Y", nop, NULL};
    struct mo_error err = {0};
    ck_assert_int_eq(mo_register_cfg_handler(&pc, &h, &err), MO_OK);
    ck_assert_int_eq(mo_register_cfg_handler(&pc, &h, &err), MO_ERR_PLUGIN);
    ck_assert_msg(strstr(err.msg, "already handled by p") != NULL, "%s", err.msg);
    ck_assert_int_eq(mo_register_cfg_handler(&pc, &own, &err), MO_ERR_PLUGIN);
    ck_assert_int_eq(mo_register_cfg_handler(&pc, &small, &err), MO_ERR_PLUGIN);
    ck_assert_uint_eq(ctx->cfg_handlers.n, 1);
    mo_registry_forget(ctx, &owner);
    ck_assert_uint_eq(ctx->cfg_handlers.n, 0);
    mo_context_free(ctx);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("tcfg");
    TCase *tc = tcase_create("tcfg");
    tcase_add_test(tc, reader_errors);
    tcase_add_test(tc, scope_instances_derived);
    tcase_add_test(tc, scope_given_and_replaced);
    tcase_add_test(tc, points);
    tcase_add_test(tc, handlers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return run_suite(suite()); }
