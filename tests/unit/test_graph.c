/* test_graph.c - the graph arena, nodes and ports, typed attributes (with
 * MXNet-style text values), topological order, cycle detection, pruning,
 * rewiring and the validator. */
#include <config.h>

#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include <mo/mo.h>

#include "context_private.h"
#include "run_suite.h"

static struct mo_context *ctx;
static struct mo_graph *g;

/* Ops of our own, so these tests do not depend on the built-in table
 * beyond Parameter, Const and Result. */
static enum mo_status infer_same(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape s = mo_in_shape(n, 0);
    return mo_set_out(n, 0, mo_in_et(n, 0), &s);
}
static const struct mo_attr_spec unary_attrs[] = {
    {"alpha", MO_ATTR_FLOAT, NULL},
    {"mode", MO_ATTR_STRING, "fast"},
    {"sizes", MO_ATTR_INTS, "1,1"},
};
static const struct mo_op_def op_unary = {"TestUnary", "extension", 1, 1, 1, unary_attrs,
                                          MO_COUNT_OF(unary_attrs), infer_same, NULL};
static const struct mo_op_def op_binary = {"TestBinary", "extension", 2, 2, 1, NULL, 0, infer_same,
                                           NULL};
static const struct mo_op_def op_variadic = {"TestVariadic", "extension", 1, -1, 1, NULL, 0,
                                             infer_same, NULL};

static void setup(void)
{
    ctx = mo_context_new();
    ck_assert_ptr_nonnull(ctx);
    struct mo_plugin_ctx pc = {ctx, NULL};
    ck_assert_int_eq(mo_register_op(&pc, &op_unary, NULL), MO_OK);
    ck_assert_int_eq(mo_register_op(&pc, &op_binary, NULL), MO_OK);
    ck_assert_int_eq(mo_register_op(&pc, &op_variadic, NULL), MO_OK);
    g = mo_graph_new(ctx);
    ck_assert_ptr_nonnull(g);
}

static void teardown(void)
{
    mo_graph_free(g);
    mo_context_free(ctx);
}

static struct mo_node *param(const char *name)
{
    struct mo_shape s = mo_shape_of(1, 3);
    struct mo_node *p = mo_parameter(g, name, MO_ET_F32, &s, NULL);
    ck_assert_ptr_nonnull(p);
    return p;
}

static struct mo_node *unary(const char *name, struct mo_node *in)
{
    struct mo_value v = {in, 0};
    struct mo_node *n = mo_op(g, "TestUnary", name, 1, &v, NULL);
    ck_assert_ptr_nonnull(n);
    ck_assert_int_eq(mo_node_set_float(n, "alpha", 1.0), MO_OK);
    return n;
}

static unsigned pos_in(struct mo_node **order, unsigned n, const struct mo_node *x)
{
    for (unsigned i = 0; i < n; i++)
        if (order[i] == x)
            return i;
    ck_abort_msg("node '%s' missing from the order", x->name);
    return 0;
}

/* --- arena --------------------------------------------------------------- */

START_TEST(arena_alloc)
{
    unsigned char *a = mo_graph_alloc(g, 3);
    unsigned char *b = mo_graph_alloc(g, 40);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq((uintptr_t)a % 16, 0);
    ck_assert_uint_eq((uintptr_t)b % 16, 0);
    for (int i = 0; i < 40; i++)
        ck_assert_uint_eq(b[i], 0);
    memset(a, 0xff, 3);
    /* bigger than a chunk, then many small ones: all distinct and zeroed */
    unsigned char *big = mo_graph_alloc(g, 3u << 20);
    ck_assert_ptr_nonnull(big);
    ck_assert_uint_eq(big[(3u << 20) - 1], 0);
    memset(big, 0xab, 3u << 20);
    void *prev = NULL;
    for (int i = 0; i < 20000; i++) {
        unsigned char *p = mo_graph_alloc(g, 24);
        ck_assert_ptr_nonnull(p);
        ck_assert_ptr_ne(p, prev);
        ck_assert_uint_eq(p[23], 0);
        memset(p, 0x5a, 24);
        prev = p;
    }
    ck_assert_uint_eq(b[0], 0);
    ck_assert_uint_eq(big[0], 0xab);
}
END_TEST

START_TEST(arena_strings)
{
    char src[] = "conv1_weight";
    char *d = mo_graph_strdup(g, src);
    src[0] = 'X';
    ck_assert_str_eq(d, "conv1_weight");
    ck_assert_ptr_null(mo_graph_strdup(g, NULL));
    ck_assert_str_eq(mo_graph_printf(g, "%s/%d", "a", 42), "a/42");
    ck_assert_ptr_eq(mo_graph_context(g), ctx);
}
END_TEST

/* --- nodes and ports ------------------------------------------------------ */

START_TEST(nodes_and_ports)
{
    char name[] = "n0";
    struct mo_node *a = mo_graph_add_node(g, "FwOp", name, 2, 3);
    ck_assert_ptr_nonnull(a);
    name[0] = 'X';
    ck_assert_str_eq(a->name, "n0");
    ck_assert_str_eq(a->type, "FwOp");
    ck_assert_ptr_null(a->def);
    ck_assert_uint_eq(a->id, 0);
    ck_assert_uint_eq(a->n_inputs, 2);
    ck_assert_uint_eq(a->n_outputs, 3);
    ck_assert_ptr_null(a->inputs[0].node);
    for (unsigned i = 0; i < 3; i++) {
        ck_assert_int_eq(a->outputs[i].et, MO_ET_UNDEFINED);
        ck_assert_int_eq(a->outputs[i].shape.rank, MO_RANK_UNKNOWN);
    }
    struct mo_node *b = mo_graph_add_node(g, "FwOp", "n1", 0, 1);
    ck_assert_uint_eq(b->id, 1);
    ck_assert_uint_eq(mo_graph_n_nodes(g), 2);
    ck_assert_ptr_eq(mo_graph_node(g, 1), b);
    ck_assert_ptr_null(mo_graph_node(g, 2));

    b->outputs[0].et = MO_ET_I32;
    mo_node_set_input(a, 1, mo_val(b, 0));
    mo_node_set_input(a, 7, mo_val(b, 0)); /* out of range: ignored */
    ck_assert_ptr_null(mo_node_in(a, 0));
    ck_assert_ptr_eq(mo_node_in(a, 1), &b->outputs[0]);
    ck_assert_ptr_null(mo_node_in(a, 2));
    unsigned k = mo_node_add_input(a, mo_val(b, 0));
    ck_assert_uint_eq(k, 2);
    ck_assert_uint_eq(a->n_inputs, 3);
    ck_assert_ptr_eq(a->inputs[1].node, b); /* kept across the resize */
    /* a port the producer does not have reads as unconnected */
    mo_node_set_input(a, 0, mo_val(b, 5));
    ck_assert_ptr_null(mo_node_in(a, 0));

    ck_assert_int_eq(mo_node_resize(a, 1, 1), MO_OK);
    ck_assert_uint_eq(a->n_inputs, 1);
    ck_assert_uint_eq(a->n_outputs, 1);
    ck_assert_int_eq(mo_node_resize(a, 1, 2), MO_OK);
    ck_assert_int_eq(a->outputs[1].shape.rank, MO_RANK_UNKNOWN);

    /* names: copied, deduplicated, per port */
    mo_node_add_output_name(b, 0, "t0");
    mo_node_add_output_name(b, 0, "t1");
    mo_node_add_output_name(b, 0, "t0");
    mo_node_add_output_name(b, 3, "nope");
    ck_assert_uint_eq(b->outputs[0].n_names, 2);
    ck_assert_str_eq(b->outputs[0].names[0], "t0");
    ck_assert_str_eq(b->outputs[0].names[1], "t1");

    ck_assert_ptr_eq(mo_graph_find(g, "n1"), b);
    mo_node_kill(b);
    ck_assert_ptr_null(mo_graph_find(g, "n1"));
    ck_assert_ptr_null(mo_graph_find(g, "missing"));
}
END_TEST

START_TEST(graph_outputs)
{
    struct mo_node *a = mo_graph_add_node(g, "X", "a", 0, 2);
    for (unsigned i = 0; i < 9; i++)
        mo_graph_add_output(g, mo_val(a, i % 2));
    ck_assert_uint_eq(mo_graph_n_outputs(g), 9);
    ck_assert_uint_eq(mo_graph_output(g, 8).port, 0);
    ck_assert_uint_eq(mo_graph_output(g, 7).port, 1);
    ck_assert_ptr_null(mo_graph_output(g, 9).node);
}
END_TEST

START_TEST(ir_construction)
{
    struct mo_error err = {0};
    ck_assert_ptr_null(mo_op(g, "NoSuchOp", "x", 0, NULL, &err));
    ck_assert_int_eq(err.code, MO_ERR_UNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(err.msg, "NoSuchOp"));
    struct mo_node *p = param("data");
    struct mo_value two[2] = {{p, 0}, {p, 0}};
    ck_assert_ptr_null(mo_op(g, "TestUnary", "u", 2, two, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "'u'"));
    ck_assert_ptr_null(mo_op(g, "TestBinary", "b", 1, two, &err));
    struct mo_node *v = mo_op(g, "TestVariadic", "v", 2, two, &err);
    ck_assert_ptr_nonnull(v);
    ck_assert_ptr_eq(v->def, &op_variadic);

    ck_assert_int_eq(p->outputs[0].et, MO_ET_F32);
    ck_assert_int_eq(p->outputs[0].shape.dims[1], 3);

    int64_t iv[3] = {4, 5, 6};
    struct mo_node *c = mo_const_i64(g, "c", iv, 3, false, &err);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(c->outputs[0].et, MO_ET_I64);
    ck_assert_int_eq(c->outputs[0].shape.rank, 1);
    ck_assert_int_eq(c->outputs[0].shape.dims[0], 3);
    ck_assert_int_eq(mo_tensor_get_i64(c->value, 2), 6);
    float fv = 0.25f;
    struct mo_node *s = mo_const_f32(g, "s", &fv, 1, true, &err);
    ck_assert_int_eq(s->outputs[0].shape.rank, 0);
    ck_assert(mo_tensor_get_f64(s->value, 0) == 0.25);

    struct mo_value cv[2] = {{p, 0}, {c, 0}};
    struct mo_node *b = mo_op(g, "TestBinary", "b", 2, cv, &err);
    ck_assert_ptr_null(mo_node_const_input(b, 0));
    ck_assert_ptr_eq(mo_node_const_input(b, 1), c->value);
    ck_assert_ptr_null(mo_node_const_input(b, 2));
    struct mo_node *r = mo_result(g, mo_val(b, 0), "out", &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->type, "Result");
    ck_assert_ptr_eq(r->inputs[0].node, b);
}
END_TEST

START_TEST(const_takes_reference)
{
    struct mo_shape s = mo_shape_of(2);
    struct mo_tensor *t = mo_tensor_new(MO_ET_F32, &s, NULL);
    mo_tensor_ref(t); /* ours; the node takes over the other one */
    struct mo_node *c = mo_const(g, "c", t, NULL);
    ck_assert_ptr_eq(c->value, t);
    ck_assert_int_eq(t->refs, 2);
    mo_graph_free(g);
    g = NULL;
    ck_assert_int_eq(t->refs, 1);
    mo_tensor_unref(t);
}
END_TEST

/* --- attributes ------------------------------------------------------------ */

START_TEST(attr_set_get_typed)
{
    struct mo_node *n = mo_graph_add_node(g, "Fw", "n", 0, 1);
    ck_assert_int_eq(mo_node_set_int(n, "i", -7), MO_OK);
    ck_assert_int_eq(mo_node_set_float(n, "f", 0.125), MO_OK);
    ck_assert_int_eq(mo_node_set_bool(n, "b", true), MO_OK);
    ck_assert_int_eq(mo_node_set_str(n, "s", "hello"), MO_OK);
    int64_t iv[3] = {1, -2, INT64_MAX};
    ck_assert_int_eq(mo_node_set_ints(n, "is", iv, 3), MO_OK);
    double fv[2] = {0.5, -1.5};
    ck_assert_int_eq(mo_node_set_floats(n, "fs", fv, 2), MO_OK);
    const char *sv[2] = {"a", "b,c"};
    ck_assert_int_eq(mo_node_set_strs(n, "ss", sv, 2), MO_OK);
    iv[0] = 99; /* setters copy */
    ck_assert_uint_eq(n->n_attrs, 7);

    bool ok = false;
    ck_assert_int_eq(mo_node_get_int(n, "i", 0, &ok), -7);
    ck_assert(ok);
    ck_assert(mo_node_get_float(n, "f", 0, &ok) == 0.125);
    ck_assert(mo_node_get_bool(n, "b", false, &ok));
    ck_assert_str_eq(mo_node_get_str(n, "s", NULL), "hello");
    int64_t out[4] = {0};
    ck_assert_int_eq(mo_node_get_ints(n, "is", out, 4), 3);
    ck_assert_int_eq(out[0], 1);
    ck_assert_int_eq(out[2], INT64_MAX);
    double fo[2];
    ck_assert_int_eq(mo_node_get_floats(n, "fs", fo, 2), 2);
    ck_assert(fo[1] == -1.5);
    const struct mo_attr *a = mo_node_attr(n, "ss");
    ck_assert_int_eq(a->kind, MO_ATTR_STRINGS);
    ck_assert_uint_eq(a->u.strs.n, 2);
    ck_assert_str_eq(a->u.strs.v[1], "b,c");
    /* conversions between numeric kinds */
    ck_assert(mo_node_get_float(n, "i", 0, NULL) == -7.0);
    ck_assert_int_eq(mo_node_get_int(n, "b", 0, NULL), 1);
    ck_assert_int_eq(mo_node_get_ints(n, "i", out, 4), 1);
    ck_assert_int_eq(out[0], -7);
    ck_assert_int_eq(mo_node_get_floats(n, "is", fo, 2), 3); /* count, only 2 written */
    ck_assert(fo[1] == -2.0);
    /* absent: default, ok stays true */
    ck_assert_int_eq(mo_node_get_int(n, "zz", 5, &ok), 5);
    ck_assert(ok);
    ck_assert_int_eq(mo_node_get_ints(n, "zz", out, 4), -1);
    ck_assert_str_eq(mo_node_get_str(n, "i", "dflt"), "dflt");
    /* wrong kind: default and ok false */
    ck_assert_int_eq(mo_node_get_int(n, "ss", 3, &ok), 3);
    ck_assert(!ok);
    ck_assert_int_eq(mo_node_get_ints(n, "ss", out, 4), -1);
}
END_TEST

START_TEST(attr_replace_and_delete)
{
    struct mo_node *n = mo_graph_add_node(g, "Fw", "n", 0, 1);
    mo_node_set_int(n, "k", 1);
    mo_node_set_str(n, "k", "text");
    ck_assert_uint_eq(n->n_attrs, 1);
    ck_assert_int_eq(mo_node_attr(n, "k")->kind, MO_ATTR_STRING);
    /* many attributes: the array grows and keeps every value */
    char name[16];
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "a%d", i);
        ck_assert_int_eq(mo_node_set_int(n, name, i * 10), MO_OK);
    }
    ck_assert_uint_eq(n->n_attrs, 41);
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "a%d", i);
        ck_assert_int_eq(mo_node_get_int(n, name, -1, NULL), i * 10);
    }
    mo_node_del_attr(n, "a0");
    mo_node_del_attr(n, "missing");
    ck_assert_uint_eq(n->n_attrs, 40);
    ck_assert_ptr_null(mo_node_attr(n, "a0"));
    ck_assert_int_eq(mo_node_get_int(n, "a39", -1, NULL), 390);
    ck_assert_str_eq(mo_node_get_str(n, "k", NULL), "text");
}
END_TEST

START_TEST(attr_tensor_references)
{
    struct mo_shape s = mo_shape_of(2);
    struct mo_tensor *t = mo_tensor_new(MO_ET_F32, &s, NULL);
    struct mo_tensor *u = mo_tensor_new(MO_ET_F32, &s, NULL);
    struct mo_node *n = mo_graph_add_node(g, "Fw", "n", 0, 1);
    struct mo_node *m = mo_graph_add_node(g, "Fw", "m", 0, 1);
    ck_assert_int_eq(mo_node_set_tensor(n, "w", t), MO_OK);
    ck_assert_int_eq(t->refs, 2);
    ck_assert_int_eq(mo_node_set_tensor(n, "w", t), MO_OK);
    ck_assert_int_eq(t->refs, 2);
    /* setting the very same tensor again when the node holds the only
     * reference must not free it on the way (the sanitizer build sees it) */
    struct mo_tensor *x = mo_tensor_new(MO_ET_I8, &s, NULL);
    mo_node_set_tensor(m, "x", x);
    mo_tensor_unref(x);
    ck_assert_int_eq(mo_node_set_tensor(m, "x", mo_node_attr(m, "x")->u.t), MO_OK);
    ck_assert_int_eq(mo_node_attr(m, "x")->u.t->refs, 1);
    ck_assert_int_eq(mo_node_attr(m, "x")->u.t->et, MO_ET_I8);
    ck_assert_int_eq(mo_node_copy_attr(m, mo_node_attr(n, "w")), MO_OK);
    ck_assert_int_eq(t->refs, 3);
    /* replacing releases the old value, deleting too */
    ck_assert_int_eq(mo_node_set_tensor(n, "w", u), MO_OK);
    ck_assert_int_eq(t->refs, 2);
    ck_assert_int_eq(u->refs, 2);
    mo_node_set_int(m, "w", 3);
    ck_assert_int_eq(t->refs, 1);
    mo_node_del_attr(n, "w");
    ck_assert_int_eq(u->refs, 1);
    mo_node_set_tensor(m, "w2", u);
    mo_graph_free(g); /* releases what attributes still hold */
    g = NULL;
    ck_assert_int_eq(u->refs, 1);
    mo_tensor_unref(t);
    mo_tensor_unref(u);
}
END_TEST

START_TEST(attr_copy_every_kind)
{
    struct mo_node *n = mo_graph_add_node(g, "Fw", "n", 0, 1);
    struct mo_node *m = mo_graph_add_node(g, "Fw", "m", 0, 1);
    int64_t iv[2] = {3, 4};
    double fv[1] = {2.5};
    const char *sv[1] = {"x"};
    mo_node_set_int(n, "i", 1);
    mo_node_set_float(n, "f", 1.5);
    mo_node_set_bool(n, "b", false);
    mo_node_set_str(n, "s", "str");
    mo_node_set_ints(n, "is", iv, 2);
    mo_node_set_floats(n, "fs", fv, 1);
    mo_node_set_strs(n, "ss", sv, 1);
    mo_node_set_ints(n, "empty", NULL, 0);
    for (unsigned i = 0; i < n->n_attrs; i++)
        ck_assert_int_eq(mo_node_copy_attr(m, &n->attrs[i]), MO_OK);
    ck_assert_uint_eq(m->n_attrs, n->n_attrs);
    /* an attribute copied onto its own node stays intact */
    for (unsigned i = 0; i < n->n_attrs; i++)
        ck_assert_int_eq(mo_node_copy_attr(n, &n->attrs[i]), MO_OK);
    ck_assert_uint_eq(n->n_attrs, 8);
    ck_assert_str_eq(mo_node_get_str(n, "s", NULL), "str");
    ck_assert_str_eq(mo_node_get_str(m, "s", NULL), "str");
    ck_assert_int_eq(mo_node_get_ints(m, "is", iv, 2), 2);
    ck_assert_int_eq(iv[1], 4);
    ck_assert_int_eq(mo_node_get_ints(m, "empty", iv, 2), 0);
    ck_assert_str_eq(mo_node_attr(m, "ss")->u.strs.v[0], "x");
    ck_assert(!mo_node_get_bool(m, "b", true, NULL));
    struct mo_attr none = {"none", MO_ATTR_NONE, {0}};
    ck_assert_int_ne(mo_node_copy_attr(m, &none), MO_OK);
}
END_TEST

/* MXNet writes every attribute as Python's repr of the value. */
START_TEST(attr_mxnet_strings)
{
    struct mo_node *n = mo_graph_add_node(g, "Convolution", "conv", 0, 1);
    mo_node_set_str(n, "kernel", "(3, 3)");
    mo_node_set_str(n, "stride", "[2,2]");
    mo_node_set_str(n, "pad", "(1L, 2L)");
    mo_node_set_str(n, "one", "(5,)");
    mo_node_set_str(n, "empty", "()");
    mo_node_set_str(n, "num_filter", "64");
    mo_node_set_str(n, "long", "64L");
    mo_node_set_str(n, "no_bias", "True");
    mo_node_set_str(n, "flag", "False");
    mo_node_set_str(n, "lower", "true");
    mo_node_set_str(n, "zero", "0");
    mo_node_set_str(n, "workspace", "None");
    mo_node_set_str(n, "eps", "1e-05");
    mo_node_set_str(n, "scales", "(0.5, 2.0)");
    mo_node_set_str(n, "word", "relu");
    mo_node_set_str(n, "neg", " -3 ");
    int64_t v[4] = {0};
    ck_assert_int_eq(mo_node_get_ints(n, "kernel", v, 4), 2);
    ck_assert_int_eq(v[0], 3);
    ck_assert_int_eq(v[1], 3);
    ck_assert_int_eq(mo_node_get_ints(n, "stride", v, 4), 2);
    ck_assert_int_eq(v[1], 2);
    ck_assert_int_eq(mo_node_get_ints(n, "pad", v, 4), 2);
    ck_assert_int_eq(v[0], 1);
    ck_assert_int_eq(v[1], 2);
    ck_assert_int_eq(mo_node_get_ints(n, "one", v, 4), 1);
    ck_assert_int_eq(v[0], 5);
    ck_assert_int_eq(mo_node_get_ints(n, "empty", v, 4), 0);
    ck_assert_int_eq(mo_node_get_ints(n, "num_filter", v, 4), 1);
    ck_assert_int_eq(v[0], 64);
    ck_assert_int_eq(mo_node_get_ints(n, "word", v, 4), -1);

    bool ok;
    ck_assert_int_eq(mo_node_get_int(n, "num_filter", 0, &ok), 64);
    ck_assert(ok);
    ck_assert_int_eq(mo_node_get_int(n, "long", 0, &ok), 64);
    ck_assert(ok);
    ck_assert_int_eq(mo_node_get_int(n, "neg", 0, &ok), -3);
    ck_assert_int_eq(mo_node_get_int(n, "no_bias", 0, &ok), 1);
    ck_assert_int_eq(mo_node_get_int(n, "flag", 7, &ok), 0);
    ck_assert(ok);
    ck_assert_int_eq(mo_node_get_int(n, "workspace", 1024, &ok), 1024); /* None: the default */
    ck_assert(ok);
    ck_assert_int_eq(mo_node_get_int(n, "kernel", 9, &ok), 9); /* two values are not one */
    ck_assert(!ok);
    ck_assert_int_eq(mo_node_get_int(n, "word", 9, &ok), 9);
    ck_assert(!ok);

    ck_assert(mo_node_get_bool(n, "no_bias", false, &ok));
    ck_assert(ok);
    ck_assert(!mo_node_get_bool(n, "flag", true, &ok));
    ck_assert(mo_node_get_bool(n, "lower", false, &ok));
    ck_assert(!mo_node_get_bool(n, "zero", true, &ok));
    ck_assert(ok);
    ck_assert(mo_node_get_bool(n, "workspace", true, &ok)); /* None: the default */
    ck_assert(ok);
    ck_assert(!mo_node_get_bool(n, "word", false, &ok));
    ck_assert(!ok);

    ck_assert(mo_node_get_float(n, "eps", 0, &ok) == 1e-05);
    ck_assert(ok);
    ck_assert(mo_node_get_float(n, "num_filter", 0, &ok) == 64.0);
    ck_assert(mo_node_get_float(n, "workspace", 0.5, &ok) == 0.5);
    ck_assert(mo_node_get_float(n, "word", 0.5, &ok) == 0.5);
    ck_assert(!ok);
    double d[4];
    ck_assert_int_eq(mo_node_get_floats(n, "scales", d, 4), 2);
    ck_assert(d[0] == 0.5 && d[1] == 2.0);
    ck_assert_int_eq(mo_node_get_floats(n, "pad", d, 4), 2);
    ck_assert(d[1] == 2.0);
}
END_TEST

/* Integer lists in text must come back exact even beyond 2^53: slice ends
 * are often INT64_MAX or INT32_MAX sentinels. */
START_TEST(attr_big_ints_in_text)
{
    struct mo_node *n = mo_graph_add_node(g, "slice", "s", 0, 1);
    mo_node_set_str(n, "end", "(9223372036854775807, -9223372036854775808, 9007199254740993)");
    mo_node_set_str(n, "one", "9007199254740993");
    int64_t v[3] = {0};
    ck_assert_int_eq(mo_node_get_ints(n, "end", v, 3), 3);
    ck_assert_int_eq(v[0], INT64_MAX);
    ck_assert_int_eq(v[1], INT64_MIN);
    ck_assert_int_eq(v[2], INT64_C(9007199254740993));
    ck_assert_int_eq(mo_node_get_int(n, "one", 0, NULL), INT64_C(9007199254740993));
    /* tuples with None keep their place (-1 marks it) */
    mo_node_set_str(n, "begin", "(None, 2)");
    ck_assert_int_eq(mo_node_get_ints(n, "begin", v, 3), 2);
    ck_assert_int_eq(v[0], -1);
    ck_assert_int_eq(v[1], 2);
}
END_TEST

/* --- whole-graph walks ------------------------------------------------------ */

START_TEST(topo_producers_first)
{
    /* created consumers first, so creation order is not a valid order */
    struct mo_node *r = mo_graph_add_node(g, "Result", "r", 1, 0);
    struct mo_node *join = mo_graph_add_node(g, "Add", "join", 2, 1);
    struct mo_node *left = mo_graph_add_node(g, "Relu", "left", 1, 1);
    struct mo_node *right = mo_graph_add_node(g, "Tanh", "right", 1, 1);
    struct mo_node *in = mo_graph_add_node(g, "Parameter", "in", 0, 1);
    struct mo_node *dead = mo_graph_add_node(g, "Relu", "dead", 1, 1);
    mo_node_set_input(r, 0, mo_val(join, 0));
    mo_node_set_input(join, 0, mo_val(left, 0));
    mo_node_set_input(join, 1, mo_val(right, 0));
    mo_node_set_input(left, 0, mo_val(in, 0));
    mo_node_set_input(right, 0, mo_val(in, 0));
    mo_node_set_input(dead, 0, mo_val(in, 0));
    mo_node_kill(dead);
    struct mo_node **order;
    unsigned cnt;
    struct mo_error err = {0};
    ck_assert_int_eq(mo_graph_topo(g, &order, &cnt, &err), MO_OK);
    ck_assert_uint_eq(cnt, 5);
    for (unsigned i = 0; i < cnt; i++)
        ck_assert_ptr_ne(order[i], dead);
    ck_assert_uint_lt(pos_in(order, cnt, in), pos_in(order, cnt, left));
    ck_assert_uint_lt(pos_in(order, cnt, in), pos_in(order, cnt, right));
    ck_assert_uint_lt(pos_in(order, cnt, left), pos_in(order, cnt, join));
    ck_assert_uint_lt(pos_in(order, cnt, right), pos_in(order, cnt, join));
    ck_assert_uint_lt(pos_in(order, cnt, join), pos_in(order, cnt, r));
    /* the same graph always gives the same order */
    struct mo_node **order2;
    unsigned cnt2;
    ck_assert_int_eq(mo_graph_topo(g, &order2, &cnt2, &err), MO_OK);
    ck_assert_uint_eq(cnt2, cnt);
    ck_assert_mem_eq(order, order2, cnt * sizeof *order);
}
END_TEST

START_TEST(topo_long_chain)
{
    /* deeper than any recursive walk could go on a default stack */
    enum { N = 200000 };
    struct mo_node *prev = mo_graph_add_node(g, "Parameter", "p", 0, 1);
    struct mo_node *first = prev;
    for (int i = 0; i < N; i++) {
        struct mo_node *n = mo_graph_add_node(g, "Relu", NULL, 1, 1);
        mo_node_set_input(n, 0, mo_val(prev, 0));
        prev = n;
    }
    struct mo_node **order;
    unsigned cnt;
    ck_assert_int_eq(mo_graph_topo(g, &order, &cnt, NULL), MO_OK);
    ck_assert_uint_eq(cnt, N + 1);
    ck_assert_ptr_eq(order[0], first);
    ck_assert_ptr_eq(order[N], prev);
}
END_TEST

START_TEST(topo_cycle_named)
{
    struct mo_node *p = mo_graph_add_node(g, "Parameter", "input", 0, 1);
    struct mo_node *a = mo_graph_add_node(g, "Add", "cyc_a", 2, 1);
    struct mo_node *b = mo_graph_add_node(g, "Relu", "cyc_b", 1, 1);
    struct mo_node *c = mo_graph_add_node(g, "Tanh", "cyc_c", 1, 1);
    mo_node_set_input(a, 0, mo_val(p, 0));
    mo_node_set_input(a, 1, mo_val(c, 0));
    mo_node_set_input(b, 0, mo_val(a, 0));
    mo_node_set_input(c, 0, mo_val(b, 0));
    struct mo_node **order;
    unsigned cnt;
    struct mo_error err = {0};
    ck_assert_int_eq(mo_graph_topo(g, &order, &cnt, &err), MO_ERR_FORMAT);
    ck_assert_int_eq(err.code, MO_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, "'cyc_a'") || strstr(err.msg, "'cyc_b'") || strstr(err.msg, "'cyc_c'"),
                  "the message must name a node on the cycle: %s", err.msg);
    ck_assert_ptr_null(strstr(err.msg, "'input'"));
}
END_TEST

START_TEST(topo_self_loop)
{
    struct mo_node *a = mo_graph_add_node(g, "Relu", "self", 1, 1);
    mo_node_set_input(a, 0, mo_val(a, 0));
    struct mo_node **order;
    unsigned cnt;
    struct mo_error err = {0};
    ck_assert_int_eq(mo_graph_topo(g, &order, &cnt, &err), MO_ERR_FORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "'self'"));
}
END_TEST

START_TEST(prune_keeps_what_results_need)
{
    struct mo_node *p = param("data");
    struct mo_node *used = unary("used", p);
    struct mo_node *unused = unary("unused", p);
    struct mo_node *unused2 = unary("unused2", unused);
    struct mo_node *r = mo_result(g, mo_val(used, 0), "out", NULL);
    struct mo_node *kept_by_output = unary("fw_out", p);
    mo_graph_add_output(g, mo_val(kept_by_output, 0));
    mo_graph_prune(g);
    ck_assert(!p->dead);
    ck_assert(!used->dead);
    ck_assert(!r->dead);
    ck_assert(!kept_by_output->dead);
    ck_assert(unused->dead);
    ck_assert(unused2->dead);
    /* a dead node's inputs are not kept alive through it */
    struct mo_node *p2 = param("only_for_dead");
    struct mo_node *d = unary("d", p2);
    struct mo_node *r2 = mo_result(g, mo_val(d, 0), "r2", NULL);
    mo_node_kill(r2);
    mo_graph_prune(g);
    ck_assert(p2->dead);
    ck_assert(d->dead);
}
END_TEST

START_TEST(replace_uses_moves_consumers)
{
    struct mo_node *p = param("data");
    struct mo_node *x = unary("x", p);
    struct mo_node *c1 = unary("c1", x);
    struct mo_value xx[2] = {{x, 0}, {x, 0}};
    struct mo_node *c2 = mo_op(g, "TestBinary", "c2", 2, xx, NULL);
    struct mo_node *y = unary("y", x); /* the replacement consumes x itself */
    mo_graph_add_output(g, mo_val(x, 0));
    struct mo_node *other = unary("other", p);
    ck_assert_uint_eq(mo_graph_replace_uses(g, mo_val(x, 0), mo_val(y, 0)), 4);
    ck_assert_ptr_eq(c1->inputs[0].node, y);
    ck_assert_ptr_eq(c2->inputs[0].node, y);
    ck_assert_ptr_eq(c2->inputs[1].node, y);
    ck_assert_ptr_eq(y->inputs[0].node, x); /* no self loop */
    ck_assert_ptr_eq(mo_graph_output(g, 0).node, y);
    ck_assert_ptr_eq(other->inputs[0].node, p);
    ck_assert_uint_eq(mo_graph_replace_uses(g, mo_val(x, 1), mo_val(y, 0)), 0);
}
END_TEST

/* --- validator -------------------------------------------------------------- */

static struct mo_node *valid_graph(void)
{
    struct mo_node *p = param("data");
    struct mo_node *u = unary("u", p);
    ck_assert_ptr_nonnull(mo_result(g, mo_val(u, 0), "out", NULL));
    ck_assert_int_eq(mo_graph_infer(g, NULL), MO_OK);
    return u;
}

static void expect_invalid(enum mo_status code, const char *needle)
{
    struct mo_error err = {0};
    ck_assert_int_eq(mo_graph_validate(g, &err), code);
    ck_assert_msg(strstr(err.msg, needle) != NULL, "'%s' not in: %s", needle, err.msg);
}

START_TEST(validate_ok)
{
    valid_graph();
    struct mo_error err = {0};
    ck_assert_msg(mo_graph_validate(g, &err) == MO_OK, "%s", err.msg);
}
END_TEST

START_TEST(validate_no_result)
{
    struct mo_node *p = param("data");
    unary("u", p);
    mo_graph_infer(g, NULL);
    expect_invalid(MO_ERR_INVALID_ARG, "Result");
}
END_TEST

START_TEST(validate_unconnected_input)
{
    struct mo_node *u = valid_graph();
    u->inputs[0].node = NULL;
    expect_invalid(MO_ERR_INTERNAL, "'u'");
}
END_TEST

START_TEST(validate_dead_producer)
{
    struct mo_node *u = valid_graph();
    mo_node_kill(u->inputs[0].node);
    expect_invalid(MO_ERR_INTERNAL, "'u'");
}
END_TEST

START_TEST(validate_bad_port)
{
    struct mo_node *u = valid_graph();
    u->inputs[0].port = 3;
    expect_invalid(MO_ERR_INTERNAL, "'u'");
}
END_TEST

START_TEST(validate_foreign_node)
{
    struct mo_graph *other = mo_graph_new(ctx);
    struct mo_shape s = mo_shape_of(1, 3);
    struct mo_node *op = mo_parameter(other, "elsewhere", MO_ET_F32, &s, NULL);
    struct mo_node *u = valid_graph();
    u->inputs[0].node = op;
    expect_invalid(MO_ERR_INTERNAL, "'u'");
    mo_graph_free(other);
}
END_TEST

START_TEST(validate_framework_node)
{
    valid_graph();
    mo_graph_add_node(g, "MXNetThing", "leftover", 0, 1);
    expect_invalid(MO_ERR_INTERNAL, "'leftover'");
}
END_TEST

START_TEST(validate_input_count)
{
    struct mo_node *u = valid_graph();
    mo_node_add_input(u, u->inputs[0]);
    expect_invalid(MO_ERR_INTERNAL, "'u'");
}
END_TEST

START_TEST(validate_required_attr)
{
    struct mo_node *u = valid_graph();
    mo_node_del_attr(u, "alpha");
    expect_invalid(MO_ERR_INTERNAL, "'alpha'");
}
END_TEST

START_TEST(validate_attr_kind)
{
    struct mo_node *u = valid_graph();
    mo_node_set_str(u, "sizes", "1,1");
    expect_invalid(MO_ERR_INTERNAL, "'sizes'");
}
END_TEST

START_TEST(validate_attr_kind_widening)
{
    /* one number is a one-element list, an int is a float */
    struct mo_node *u = valid_graph();
    mo_node_set_int(u, "sizes", 4);
    mo_node_set_int(u, "alpha", 2);
    struct mo_error err = {0};
    ck_assert_msg(mo_graph_validate(g, &err) == MO_OK, "%s", err.msg);
}
END_TEST

START_TEST(validate_uninferred)
{
    struct mo_node *u = valid_graph();
    u->outputs[0].et = MO_ET_UNDEFINED;
    expect_invalid(MO_ERR_SHAPE, "'u'");
}
END_TEST

START_TEST(validate_duplicate_names)
{
    struct mo_node *u = valid_graph();
    unary("u", u);
    mo_graph_infer(g, NULL);
    expect_invalid(MO_ERR_INTERNAL, "'u'");
}
END_TEST

START_TEST(validate_cycle)
{
    struct mo_node *p = param("data");
    struct mo_value pv[2] = {{p, 0}, {p, 0}};
    struct mo_node *a = mo_op(g, "TestBinary", "loop_a", 2, pv, NULL);
    struct mo_node *b = unary("loop_b", a);
    mo_node_set_input(a, 1, mo_val(b, 0));
    mo_result(g, mo_val(b, 0), "out", NULL);
    /* types by hand: inference cannot order a cycle */
    a->outputs[0].et = b->outputs[0].et = MO_ET_F32;
    a->outputs[0].shape = b->outputs[0].shape = mo_shape_of(1, 3);
    expect_invalid(MO_ERR_FORMAT, "loop_");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("graph");
    TCase *ar = tcase_create("arena and nodes");
    tcase_add_checked_fixture(ar, setup, teardown);
    tcase_add_test(ar, arena_alloc);
    tcase_add_test(ar, arena_strings);
    tcase_add_test(ar, nodes_and_ports);
    tcase_add_test(ar, graph_outputs);
    tcase_add_test(ar, ir_construction);
    tcase_add_test(ar, const_takes_reference);
    suite_add_tcase(s, ar);
    TCase *at = tcase_create("attributes");
    tcase_add_checked_fixture(at, setup, teardown);
    tcase_add_test(at, attr_set_get_typed);
    tcase_add_test(at, attr_replace_and_delete);
    tcase_add_test(at, attr_tensor_references);
    tcase_add_test(at, attr_copy_every_kind);
    tcase_add_test(at, attr_mxnet_strings);
    tcase_add_test(at, attr_big_ints_in_text);
    suite_add_tcase(s, at);
    TCase *wk = tcase_create("walks");
    tcase_add_checked_fixture(wk, setup, teardown);
    tcase_set_timeout(wk, 30);
    tcase_add_test(wk, topo_producers_first);
    tcase_add_test(wk, topo_long_chain);
    tcase_add_test(wk, topo_cycle_named);
    tcase_add_test(wk, topo_self_loop);
    tcase_add_test(wk, prune_keeps_what_results_need);
    tcase_add_test(wk, replace_uses_moves_consumers);
    suite_add_tcase(s, wk);
    TCase *va = tcase_create("validator");
    tcase_add_checked_fixture(va, setup, teardown);
    tcase_add_test(va, validate_ok);
    tcase_add_test(va, validate_no_result);
    tcase_add_test(va, validate_unconnected_input);
    tcase_add_test(va, validate_dead_producer);
    tcase_add_test(va, validate_bad_port);
    tcase_add_test(va, validate_foreign_node);
    tcase_add_test(va, validate_framework_node);
    tcase_add_test(va, validate_input_count);
    tcase_add_test(va, validate_required_attr);
    tcase_add_test(va, validate_attr_kind);
    tcase_add_test(va, validate_attr_kind_widening);
    tcase_add_test(va, validate_uninferred);
    tcase_add_test(va, validate_duplicate_names);
    tcase_add_test(va, validate_cycle);
    suite_add_tcase(s, va);
    return run_suite(s);
}
