/* test_ops_common.c - fixture and helpers the op-table suites include
 * (#include'd, not compiled alone: Check suites are single files). */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "run_suite.h"

static struct mo_context *ctx;
static struct mo_graph *g;
static struct mo_error err;
static unsigned name_seq;

static void setup(void)
{
    ctx = mo_context_new();
    ck_assert_ptr_nonnull(ctx);
    g = mo_graph_new(ctx);
    ck_assert_ptr_nonnull(g);
    memset(&err, 0, sizeof err);
    name_seq = 0;
}

static void teardown(void)
{
    mo_graph_free(g);
    mo_context_free(ctx);
    g = NULL;
    ctx = NULL;
}

static inline const char *auto_name(void)
{
    return mo_graph_printf(g, "n%u", ++name_seq);
}

/* Shapes are compared in their text form: "1,3,?" ("?" dynamic, "..."
 * unknown rank, "" scalar), which keeps failures readable. */
#define SHP(...) mo_shape_of(__VA_ARGS__)
#define DYN MO_DYN

static inline struct mo_node *param(enum mo_etype et, struct mo_shape s)
{
    struct mo_node *p = mo_parameter(g, auto_name(), et, &s, &err);
    ck_assert_msg(p != NULL, "parameter: %s", err.msg);
    return p;
}

static inline struct mo_node *ci64n(const int64_t *v, size_t n)
{
    struct mo_node *c = mo_const_i64(g, auto_name(), v, n, false, &err);
    ck_assert_msg(c != NULL, "const: %s", err.msg);
    return c;
}
#define CI64(...) ci64n((const int64_t[]){__VA_ARGS__}, sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t))

static inline struct mo_node *cempty(void)
{
    static const int64_t none[1] = {0};
    struct mo_node *c = mo_const_i64(g, auto_name(), none, 0, false, &err);
    ck_assert_msg(c != NULL, "const: %s", err.msg);
    return c;
}

static inline struct mo_node *cscalar(int64_t v)
{
    struct mo_node *c = mo_const_i64(g, auto_name(), &v, 1, true, &err);
    ck_assert_msg(c != NULL, "const: %s", err.msg);
    return c;
}

static inline struct mo_node *cf32n(const float *v, size_t n)
{
    struct mo_node *c = mo_const_f32(g, auto_name(), v, n, false, &err);
    ck_assert_msg(c != NULL, "const: %s", err.msg);
    return c;
}
#define CF32(...) cf32n((const float[]){__VA_ARGS__}, sizeof((float[]){__VA_ARGS__}) / sizeof(float))

static inline struct mo_node *cf32_scalar(float v)
{
    struct mo_node *c = mo_const_f32(g, auto_name(), &v, 1, true, &err);
    ck_assert_msg(c != NULL, "const: %s", err.msg);
    return c;
}

/* A Const of any type and shape filled from doubles. */
static inline struct mo_node *ctensor(enum mo_etype et, struct mo_shape s, const double *v)
{
    struct mo_tensor *t = mo_tensor_new(et, &s, &err);
    ck_assert_msg(t != NULL, "tensor: %s", err.msg);
    for (int64_t i = 0; i < mo_shape_numel(&s); i++)
        mo_tensor_set_f64(t, i, v ? v[i] : (double)i);
    struct mo_node *c = mo_const(g, auto_name(), t, &err);
    ck_assert_msg(c != NULL, "const: %s", err.msg);
    return c;
}

/* An IR node of `type` named `name` (NULL: automatic) on the given nodes' port 0. */
static inline struct mo_node *opn(const char *type, const char *name, unsigned n, struct mo_node *const *in)
{
    struct mo_value v[16];
    for (unsigned i = 0; i < n; i++)
        v[i] = mo_val(in[i], 0);
    struct mo_node *r = mo_op(g, type, name ? name : auto_name(), n, v, &err);
    ck_assert_msg(r != NULL, "mo_op(%s): %s", type, err.msg);
    return r;
}
#define OP(type, ...) \
    opn(type, NULL, sizeof((struct mo_node *[]){__VA_ARGS__}) / sizeof(struct mo_node *), (struct mo_node *[]){__VA_ARGS__})
#define OPN(type, name, ...) \
    opn(type, name, sizeof((struct mo_node *[]){__VA_ARGS__}) / sizeof(struct mo_node *), (struct mo_node *[]){__VA_ARGS__})

#define SET_INTS(node, name, ...) \
    mo_node_set_ints(node, name, (const int64_t[]){__VA_ARGS__}, sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t))
#define SET_FLOATS(node, name, ...) \
    mo_node_set_floats(node, name, (const double[]){__VA_ARGS__}, sizeof((double[]){__VA_ARGS__}) / sizeof(double))

static inline void infer_ok(struct mo_node *n)
{
    memset(&err, 0, sizeof err);
    enum mo_status st = mo_node_infer(n, &err);
    ck_assert_msg(st == MO_OK, "%s '%s' failed to infer: %s", n->type, n->name, err.msg);
}

/* Inference fails with MO_ERR_SHAPE and a message naming the node. */
static inline void infer_fails(struct mo_node *n)
{
    memset(&err, 0, sizeof err);
    enum mo_status st = mo_node_infer(n, &err);
    ck_assert_msg(st == MO_ERR_SHAPE, "%s '%s': expected MO_ERR_SHAPE, got %d (%s)", n->type, n->name,
                  st, err.msg);
    ck_assert_int_eq(err.code, MO_ERR_SHAPE);
    char quoted[256];
    snprintf(quoted, sizeof quoted, "'%s'", n->name);
    ck_assert_msg(strstr(err.msg, quoted) != NULL, "message does not name %s: %s", quoted, err.msg);
}

static inline void check_out(struct mo_node *n, unsigned port, enum mo_etype et, const char *shape)
{
    char buf[256];
    ck_assert_msg(port < n->n_outputs, "%s has %u outputs, port %u asked", n->name, n->n_outputs, port);
    const struct mo_output *o = &n->outputs[port];
    mo_shape_str(&o->shape, buf, sizeof buf);
    ck_assert_msg(strcmp(buf, shape) == 0, "%s '%s' port %u: shape [%s], expected [%s]", n->type, n->name,
                  port, buf, shape);
    if (et != MO_ET_UNDEFINED)
        ck_assert_msg(o->et == et, "%s '%s' port %u: type %s, expected %s", n->type, n->name, port,
                      mo_etype_name(o->et), mo_etype_name(et));
}

/* Infer and check output 0. */
static inline void expect(struct mo_node *n, enum mo_etype et, const char *shape)
{
    infer_ok(n);
    check_out(n, 0, et, shape);
}

/* Infer then evaluate n (its inputs must be Consts); returns a Const node
 * holding output `port`, as constant folding would. */
static inline struct mo_node *fold_port(struct mo_node *n, unsigned port)
{
    infer_ok(n);
    ck_assert_msg(n->def->eval != NULL, "%s has no evaluator", n->type);
    struct mo_tensor *out[16] = {NULL};
    ck_assert(n->n_outputs <= 16);
    enum mo_status st = n->def->eval(n, out, &err);
    ck_assert_msg(st == MO_OK, "%s '%s' failed to evaluate (%d): %s", n->type, n->name, st, err.msg);
    for (unsigned i = 0; i < n->n_outputs; i++) {
        ck_assert_msg(out[i] != NULL, "%s output %u not evaluated", n->type, i);
        ck_assert(mo_shape_equal(&out[i]->shape, &n->outputs[i].shape));
        ck_assert_int_eq(out[i]->et, n->outputs[i].et);
    }
    struct mo_node *c = mo_const(g, auto_name(), out[port], &err);
    for (unsigned i = 0; i < n->n_outputs; i++)
        if (i != port)
            mo_tensor_unref(out[i]);
    ck_assert_msg(c != NULL, "const: %s", err.msg);
    return c;
}

static inline struct mo_node *fold(struct mo_node *n)
{
    return fold_port(n, 0);
}

/* The values of a Const as "1,2,3" (integers) for comparisons. */
static inline const char *vals(const struct mo_node *c)
{
    static char buf[1024];
    size_t off = 0;
    buf[0] = 0;
    int64_t cnt = mo_tensor_numel(c->value);
    for (int64_t i = 0; i < cnt && off < sizeof buf - 32; i++) {
        if (mo_etype_is_float(c->value->et))
            off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%g", i ? "," : "",
                                    mo_tensor_get_f64(c->value, i));
        else
            off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%lld", i ? "," : "",
                                    (long long)mo_tensor_get_i64(c->value, i));
    }
    return buf;
}

#define CHECK_VALS(c, expected) \
    ck_assert_msg(strcmp(vals(c), expected) == 0, "values [%s], expected [%s]", vals(c), expected)

