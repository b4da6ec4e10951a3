/* test_build.c - the translator's builder (mo/build.h) in a real translation.
 *
 * A translator can only run inside mo_translate(), so each case registers
 * the same test translator for the layer type "Probe" of a framework
 * "buildfw", sets the body it runs, and translates a tiny framework graph:
 *     x  Parameter f32 [2,3,4,5]      d  Parameter f32 [?,3,?,5]
 *     v  Parameter f32 [3]            w  Const f32 [2,3], borrowed from a file
 *     fwn  Probe(x, d, v, w, <unconnected>) -> "fwn_out", the graph output
 * The core infers what the body built, so the case then reads the IR graph:
 * the nodes the body made in creation order (trace()), their inputs,
 * attributes, Const values and inferred shapes; for failures, the error the
 * core reports.  Ownership of tensors handed over is checked by reference
 * counts here and by LeakSanitizer in the sanitizer build. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "context_private.h"
#include "translate.h"
#include "run_suite.h"

static struct mo_context *ctx;
static struct mo_options *opts;
static struct mo_graph *fw, *ir;
static struct mo_error err;
static struct mo_file *wfile;

/* What the case's translator does; runs inside mo_translate(), where terr
 * is the translator's err (the builder's). */
typedef enum mo_status (*body_fn)(struct mo_build *b);
static body_fn body;
static struct mo_error *terr;
/* The translator's builder (valid until teardown: it lives in ir's arena)
 * and the number of IR nodes that existed before the body ran. */
static struct mo_build *last_b;
static unsigned first_new;

static enum mo_status tr_probe(struct mo_tctx *t, const struct mo_node *n, void *user, struct mo_error *e)
{
    (void)user;
    first_new = mo_graph_n_nodes(mo_tctx_graph(t));
    terr = e;
    last_b = mo_build_begin(t, n, e);
    ck_assert_ptr_nonnull(last_b);
    return body(last_b);
}

static void setup(void)
{
    ctx = mo_context_new();
    ck_assert_ptr_nonnull(ctx);
    mo_context_set_silent(ctx, true);
    opts = mo_options_new();
    memset(&err, 0, sizeof err);
    struct mo_plugin_ctx pc = {ctx, NULL};
    ck_assert_int_eq(mo_register_translator(&pc, "buildfw", "Probe", MO_TIER_STANDARD, 0, tr_probe, NULL, &err),
                     MO_OK);

    fw = mo_graph_new(NULL);
    struct mo_node *x = mo_graph_add_node(fw, "Parameter", "x", 0, 1);
    x->outputs[0].et = MO_ET_F32;
    x->outputs[0].shape = mo_shape_of(2, 3, 4, 5);
    struct mo_node *d = mo_graph_add_node(fw, "Parameter", "d", 0, 1);
    d->outputs[0].et = MO_ET_F32;
    d->outputs[0].shape = mo_shape_of(MO_DYN, 3, MO_DYN, 5);
    struct mo_node *v = mo_graph_add_node(fw, "Parameter", "v", 0, 1);
    v->outputs[0].et = MO_ET_F32;
    v->outputs[0].shape = mo_shape_of(3);
    /* a weight borrowed from a "model file", as frontends give them */
    float *bytes = malloc(6 * sizeof *bytes);
    ck_assert_ptr_nonnull(bytes);
    for (int i = 0; i < 6; i++)
        bytes[i] = (float)i;
    wfile = mo_file_from_heap(bytes, 6 * sizeof *bytes, "w.bin");
    ck_assert_ptr_nonnull(wfile);
    struct mo_shape ws = mo_shape_of(2, 3);
    struct mo_node *w = mo_graph_add_node(fw, "Const", "w", 0, 1);
    w->value = mo_tensor_borrow(wfile, 0, MO_ET_F32, &ws, &err);
    ck_assert_ptr_nonnull(w->value);
    w->outputs[0].et = MO_ET_F32;
    w->outputs[0].shape = ws;

    struct mo_node *p = mo_graph_add_node(fw, "Probe", "fwn", 5, 1);
    mo_node_set_input(p, 0, mo_val(x, 0));
    mo_node_set_input(p, 1, mo_val(d, 0));
    mo_node_set_input(p, 2, mo_val(v, 0));
    mo_node_set_input(p, 3, mo_val(w, 0));
    mo_node_set_str(p, "alpha", "0.5");
    mo_node_add_output_name(p, 0, "fwn_out");
    mo_graph_add_output(fw, mo_val(p, 0));
    ir = mo_graph_new(ctx);
    body = NULL;
    last_b = NULL;
}

static void teardown(void)
{
    mo_graph_free(ir);
    mo_graph_free(fw);
    mo_file_unref(wfile);
    mo_options_free(opts);
    mo_context_free(ctx);
}

static enum mo_status translate(body_fn fn)
{
    body = fn;
    return mo_translate(ctx, opts, "buildfw", fw, ir, &err);
}

/* Translate and insist on success. */
static void run(body_fn fn)
{
    enum mo_status st = translate(fn);
    ck_assert_msg(st == MO_OK, "translation failed (%d): %s", st, err.msg);
}

/* "Type name; Type name; ..." of the nodes the body made, in creation
 * order (the Result the core adds is left out). */
static const char *trace(void)
{
    static char buf[2048];
    size_t off = 0;
    buf[0] = 0;
    for (unsigned i = first_new; i < mo_graph_n_nodes(ir); i++) {
        const struct mo_node *n = mo_graph_node(ir, i);
        if (!strcmp(n->type, "Result"))
            continue;
        off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s %s", off ? "; " : "", n->type, n->name);
        ck_assert_uint_lt(off, sizeof buf);
    }
    return buf;
}

#define TRACE_IS(expect) ck_assert_str_eq(trace(), expect)

/* The live node called name, which must be of type type. */
static struct mo_node *N(const char *name, const char *type)
{
    struct mo_node *n = mo_graph_find(ir, name);
    ck_assert_msg(n != NULL, "no node '%s' in: %s", name, trace());
    ck_assert_str_eq(n->type, type);
    return n;
}

/* Input i of n comes from output port of the node named from. */
static void in_is(const struct mo_node *n, unsigned i, const char *from, unsigned port)
{
    ck_assert_uint_lt(i, n->n_inputs);
    ck_assert_ptr_nonnull(n->inputs[i].node);
    ck_assert_str_eq(n->inputs[i].node->name, from);
    ck_assert_uint_eq(n->inputs[i].port, port);
}

/* Inferred shape of output port of n, "2,3,?" ("?" dynamic, "" 0-D). */
static const char *shape_str(const struct mo_node *n, unsigned port)
{
    static char buf[4][128];
    static unsigned k;
    char *b = buf[k++ % 4];
    ck_assert_uint_lt(port, n->n_outputs);
    ck_assert_int_ge(n->outputs[port].shape.rank, 0);
    return mo_shape_str(&n->outputs[port].shape, b, sizeof buf[0]);
}

#define SHAPE_IS(n, expect) ck_assert_str_eq(shape_str(n, 0), expect)

/* A Const's values, "1,2,3" (integers) and its shape. */
static const char *values(const struct mo_node *n)
{
    static char buf[256];
    ck_assert_ptr_nonnull(n->value);
    size_t off = 0;
    buf[0] = 0;
    for (int64_t i = 0; i < mo_tensor_numel(n->value); i++)
        off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%g", i ? "," : "", mo_tensor_get_f64(n->value, i));
    return buf;
}

static void const_is(const char *name, enum mo_etype et, const char *shape, const char *vals)
{
    const struct mo_node *c = N(name, "Const");
    ck_assert_int_eq(c->value->et, et);
    ck_assert_int_eq(c->outputs[0].et, et);
    ck_assert_str_eq(shape_str(c, 0), shape);
    ck_assert_str_eq(values(c), vals);
}

static const struct mo_attr *attr(const struct mo_node *n, const char *name, enum mo_attr_kind kind)
{
    const struct mo_attr *a = mo_node_attr(n, name);
    ck_assert_msg(a != NULL, "node '%s' has no attribute %s", n->name, name);
    ck_assert_int_eq(a->kind, kind);
    return a;
}

static bool invalid(struct mo_value v) { return v.node == NULL && v.port == 0; }

/* --- lifecycle, names, values ---------------------------------------------- */

static enum mo_status body_context(struct mo_build *b)
{
    ck_assert(mo_build_ok(b));
    ck_assert_int_eq(mo_build_status(b), MO_OK);
    ck_assert_ptr_nonnull(mo_build_tctx(b));
    ck_assert_ptr_eq(mo_build_graph(b), ir);
    ck_assert_str_eq(mo_build_fw(b)->name, "fwn");
    ck_assert_str_eq(mo_build_name(b, NULL), "fwn");
    ck_assert_str_eq(mo_build_name(b, "a/b"), "fwn/a/b");

    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value d = mo_build_in(b, 1, NULL);
    ck_assert_str_eq(x.node->name, "x");
    ck_assert_str_eq(x.node->type, "Parameter");
    ck_assert_int_eq(mo_value_et(x), MO_ET_F32);
    struct mo_shape s;
    ck_assert(mo_value_static(x, &s));
    ck_assert_int_eq(s.rank, 4);
    ck_assert_int_eq(s.dims[3], 5);
    ck_assert(!mo_value_static(d, NULL));
    ck_assert_int_eq(mo_value_shape(d).dims[0], MO_DYN);
    ck_assert_ptr_null(mo_value_const(x));
    struct mo_value w = mo_build_in(b, 3, "weight");
    ck_assert_ptr_eq(mo_value_const(w), w.node->value);
    ck_assert_int_eq(mo_value_shape(w).rank, 2);
    /* an optional input that is not there is no failure */
    ck_assert(invalid(mo_build_in_opt(b, 4)));
    ck_assert(invalid(mo_build_in_opt(b, 9)));
    ck_assert_ptr_eq(mo_build_in_opt(b, 2).node, mo_build_in(b, 2, NULL).node);
    ck_assert(mo_build_ok(b));
    /* invalid values read as unknown */
    ck_assert_int_eq(mo_value_et(MO_NO_VALUE), MO_ET_UNDEFINED);
    ck_assert_int_eq(mo_value_shape(MO_NO_VALUE).rank, MO_RANK_UNKNOWN);
    ck_assert(!mo_value_static(MO_NO_VALUE, NULL));
    ck_assert_ptr_null(mo_value_const(MO_NO_VALUE));
    ck_assert_int_eq(mo_value_et(mo_val(x.node, 1)), MO_ET_UNDEFINED);

    struct mo_value y = mo_build_op(b, "Relu", NULL, 1, x);
    /* not inferred until asked (or until the translator returns) */
    ck_assert_int_eq(mo_value_shape(y).rank, MO_RANK_UNKNOWN);
    ck_assert_ptr_eq(mo_build_infer(b, y).node, y.node);
    ck_assert_int_eq(mo_value_shape(y).rank, 4);
    return mo_build_done(b, y);
}

START_TEST(context_inputs_values)
{
    run(body_context);
    TRACE_IS("Relu fwn");
    struct mo_node *y = N("fwn", "Relu");
    in_is(y, 0, "x", 0);
    SHAPE_IS(y, "2,3,4,5");
    /* mo_build_done declared framework output 0: its tensor name follows */
    ck_assert_uint_eq(y->outputs[0].n_names, 1);
    ck_assert_str_eq(y->outputs[0].names[0], "fwn_out");
    ck_assert_str_eq(y->origin, "fwn");
}
END_TEST

/* a Relu fed by a Reshape the core has not inferred yet */
static enum mo_status body_infer_chain(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value r = mo_build_reshape(b, "flat", x, (int64_t[]){0, -1}, 2, true);
    struct mo_value y = mo_build_infer(b, mo_build_op(b, "Relu", NULL, 1, r));
    ck_assert_msg(mo_build_ok(b), "%s", terr->msg);
    char buf[64];
    struct mo_shape s = mo_value_shape(y);
    ck_assert_str_eq(mo_shape_str(&s, buf, sizeof buf), "2,60");
    return mo_build_done(b, y);
}

START_TEST(infer_reaches_back_to_new_inputs)
{
    run(body_infer_chain);
    TRACE_IS("Const fwn/flat/shape; Reshape fwn/flat; Relu fwn");
    SHAPE_IS(N("fwn", "Relu"), "2,60");
}
END_TEST

/* --- operations and attributes ------------------------------------------------ */

static enum mo_status body_setters(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value c = mo_build_set_float(b, mo_build_set_float(b, mo_build_op(b, "Clamp", "clamp", 1, x), "min", 0.0),
                                           "max", 6.0);
    ck_assert_ptr_eq(c.node, mo_graph_find(ir, "fwn/clamp"));
    ck_assert_ptr_eq(mo_build_set_int(b, c, "i", -7).node, c.node);
    mo_build_set_bool(b, c, "b", true);
    mo_build_set_str(b, c, "s", "text");
    mo_build_set_ints(b, c, "is", (int64_t[]){1, 2, 3}, 3);
    mo_build_set_floats(b, c, "fs", (double[]){0.5, -1.25}, 2);
    mo_build_set_strs(b, c, "ss", (const char *const[]){"a", "bc"}, 2);
    mo_build_copy_attr(b, c, mo_node_attr(mo_build_fw(b), "alpha"));
    /* an attribute the model left out: nothing to copy */
    unsigned n_attrs = c.node->n_attrs;
    ck_assert_ptr_eq(mo_build_copy_attr(b, c, mo_node_attr(mo_build_fw(b), "beta")).node, c.node);
    ck_assert_uint_eq(c.node->n_attrs, n_attrs);
    ck_assert(mo_build_ok(b));
    struct mo_value in[3] = {c, x, c};
    struct mo_value many = mo_build_set_int(b, mo_build_opv(b, "Concat", "many", 3, in), "axis", 1);
    /* more inputs than the builder keeps on its stack */
    struct mo_value wide = mo_build_op(b, "Concat", "wide", 17, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, c);
    mo_build_set_int(b, wide, "axis", 0);
    return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, many, many));
}

START_TEST(setters)
{
    run(body_setters);
    TRACE_IS("Clamp fwn/clamp; Concat fwn/many; Concat fwn/wide; Add fwn");
    struct mo_node *w = N("fwn/wide", "Concat");
    ck_assert_uint_eq(w->n_inputs, 17);
    in_is(w, 15, "x", 0);
    in_is(w, 16, "fwn/clamp", 0);
    SHAPE_IS(w, "34,3,4,5");
    struct mo_node *c = N("fwn/clamp", "Clamp");
    in_is(c, 0, "x", 0);
    ck_assert_double_eq(attr(c, "min", MO_ATTR_FLOAT)->u.f, 0.0);
    ck_assert_double_eq(attr(c, "max", MO_ATTR_FLOAT)->u.f, 6.0);
    ck_assert_int_eq(attr(c, "i", MO_ATTR_INT)->u.i, -7);
    ck_assert(attr(c, "b", MO_ATTR_BOOL)->u.b);
    ck_assert_str_eq(attr(c, "s", MO_ATTR_STRING)->u.s, "text");
    const struct mo_attr *a = attr(c, "is", MO_ATTR_INTS);
    ck_assert_uint_eq(a->u.ints.n, 3);
    ck_assert_int_eq(a->u.ints.v[2], 3);
    a = attr(c, "fs", MO_ATTR_FLOATS);
    ck_assert_uint_eq(a->u.floats.n, 2);
    ck_assert_double_eq(a->u.floats.v[1], -1.25);
    a = attr(c, "ss", MO_ATTR_STRINGS);
    ck_assert_uint_eq(a->u.strs.n, 2);
    ck_assert_str_eq(a->u.strs.v[1], "bc");
    /* the framework attribute, copied as it was (MXNet keeps text) */
    ck_assert_str_eq(attr(c, "alpha", MO_ATTR_STRING)->u.s, "0.5");
    SHAPE_IS(c, "2,3,4,5");
    struct mo_node *m = N("fwn/many", "Concat");
    ck_assert_uint_eq(m->n_inputs, 3);
    in_is(m, 0, "fwn/clamp", 0);
    in_is(m, 1, "x", 0);
    in_is(m, 2, "fwn/clamp", 0);
    SHAPE_IS(m, "2,9,4,5");
    struct mo_node *s = N("fwn", "Add");
    in_is(s, 0, "fwn/many", 0);
    in_is(s, 1, "fwn/many", 0);
}
END_TEST

/* an op on invalid or impossible inputs fails the builder */
static enum mo_status body_op_invalid_input(struct mo_build *b)
{
    struct mo_value y = mo_build_op(b, "Relu", "r", 1, mo_build_in_opt(b, 4));
    ck_assert(invalid(y));
    return mo_build_done(b, y);
}

static enum mo_status body_op_unknown_type(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    return mo_build_done(b, mo_build_op(b, "NoSuchOp", NULL, 1, x));
}

static enum mo_status body_op_input_count(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    return mo_build_done(b, mo_build_op(b, "Relu", NULL, 2, x, x));
}

/* --- constants ---------------------------------------------------------------- */

static struct mo_tensor *handed;

static enum mo_status body_consts(struct mo_build *b)
{
    mo_build_i64(b, "list", (int64_t[]){1, -2, 3}, 3);
    mo_build_i64(b, "empty", NULL, 0);
    mo_build_i64_scalar(b, "one", 7);
    mo_build_scalar(b, "f", MO_ET_UNDEFINED, 1.5);
    mo_build_scalar(b, "h", MO_ET_F16, -2.5);
    mo_build_scalar(b, "n", MO_ET_I32, 4);
    struct mo_shape s = mo_shape_of(2, 2);
    mo_build_const(b, "mat", MO_ET_F32, &s, (double[]){1, 2, 3, 4});
    handed = mo_tensor_new(MO_ET_I64, &s, terr);
    ck_assert_ptr_nonnull(handed);
    struct mo_value t = mo_build_tensor(b, NULL, handed);
    ck_assert_ptr_eq(t.node->value, handed);
    return mo_build_done(b, t);
}

START_TEST(constants)
{
    run(body_consts);
    TRACE_IS("Const fwn/list; Const fwn/empty; Const fwn/one; Const fwn/f; Const fwn/h; Const fwn/n; "
             "Const fwn/mat; Const fwn");
    const_is("fwn/list", MO_ET_I64, "3", "1,-2,3");
    const_is("fwn/empty", MO_ET_I64, "0", "");
    const_is("fwn/one", MO_ET_I64, "", "7");
    const_is("fwn/f", MO_ET_F32, "", "1.5");
    const_is("fwn/h", MO_ET_F16, "", "-2.5");
    const_is("fwn/n", MO_ET_I32, "", "4");
    const_is("fwn/mat", MO_ET_F32, "2,2", "1,2,3,4");
    const_is("fwn", MO_ET_I64, "2,2", "0,0,0,0");
    /* the builder took the caller's one reference over: only the node holds it */
    ck_assert_ptr_eq(N("fwn", "Const")->value, handed);
    ck_assert_int_eq(handed->refs, 1);
}
END_TEST

/* a NULL tensor (a mo_tensor_* call that failed and wrote err) fails the
 * builder with that call's error */
static enum mo_status body_tensor_null(struct mo_build *b)
{
    struct mo_shape dyn = mo_shape_of(MO_DYN, 2);
    struct mo_value t = mo_build_tensor(b, "t", mo_tensor_new(MO_ET_F32, &dyn, terr));
    ck_assert(invalid(t));
    ck_assert(!mo_build_ok(b));
    return mo_build_done(b, t);
}

/* --- idioms ------------------------------------------------------------------- */

static enum mo_status body_reshape(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value d = mo_build_in(b, 1, "dyn");
    /* special zero: 0 copies the input dim, also a dynamic one */
    mo_build_reshape(b, "flatten", x, (int64_t[]){0, -1}, 2, true);
    mo_build_reshape(b, "dz", d, (int64_t[]){0, 3, -1}, 3, true);
    mo_build_reshape(b, "plain", x, (int64_t[]){6, -1, 2}, 3, false);
    struct mo_value keep = mo_build_dims(b, "keep", d, (int64_t[]){0, 1}, 2);
    struct mo_value rest = mo_build_i64(b, "rest", (int64_t[]){-1}, 1);
    struct mo_value target = mo_build_concat(b, "target", 0, 2, (struct mo_value[]){keep, rest});
    mo_build_reshape_to(b, "to", d, target, false);
    return mo_build_done(b, mo_build_reshape(b, NULL, x, (int64_t[]){4, 30}, 2, false));
}

START_TEST(reshape)
{
    run(body_reshape);
    TRACE_IS("Const fwn/flatten/shape; Reshape fwn/flatten; "
             "Const fwn/dz/shape; Reshape fwn/dz; "
             "Const fwn/plain/shape; Reshape fwn/plain; "
             "ShapeOf fwn/keep/shape; Const fwn/keep/indices; Const fwn/keep/axis; Gather fwn/keep; "
             "Const fwn/rest; Concat fwn/target; Reshape fwn/to; "
             "Const fwn/reshape/shape; Reshape fwn");
    struct mo_node *r = N("fwn/flatten", "Reshape");
    in_is(r, 0, "x", 0);
    in_is(r, 1, "fwn/flatten/shape", 0);
    const_is("fwn/flatten/shape", MO_ET_I64, "2", "0,-1");
    ck_assert(attr(r, "special_zero", MO_ATTR_BOOL)->u.b);
    SHAPE_IS(r, "2,60");
    SHAPE_IS(N("fwn/dz", "Reshape"), "?,3,?");
    r = N("fwn/plain", "Reshape");
    ck_assert(!attr(r, "special_zero", MO_ATTR_BOOL)->u.b);
    const_is("fwn/plain/shape", MO_ET_I64, "3", "6,-1,2");
    SHAPE_IS(r, "6,10,2");
    r = N("fwn/to", "Reshape");
    in_is(r, 0, "d", 0);
    in_is(r, 1, "fwn/target", 0);
    ck_assert(!attr(r, "special_zero", MO_ATTR_BOOL)->u.b);
    SHAPE_IS(N("fwn/target", "Concat"), "3");
    SHAPE_IS(r, "?,?,?");
    r = N("fwn", "Reshape");
    in_is(r, 1, "fwn/reshape/shape", 0);
    SHAPE_IS(r, "4,30");
}
END_TEST

static enum mo_status body_reshape_value(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value w = mo_build_in(b, 3, "weight");
    struct mo_shape s6 = mo_shape_of(6), s1 = mo_shape_of(1, 2, 3, 1), sx = mo_shape_of(6, 20);
    mo_build_reshape_value(b, "w6", w, &s6);
    mo_build_reshape_value(b, "xr", x, &sx);
    return mo_build_done(b, mo_build_reshape_value(b, NULL, w, &s1));
}

START_TEST(reshape_value)
{
    run(body_reshape_value);
    /* a Const becomes another Const, not a Reshape */
    TRACE_IS("Const fwn/w6; Const fwn/xr/shape; Reshape fwn/xr; Const fwn");
    const struct mo_node *w = mo_graph_find(ir, "w");
    ck_assert_ptr_nonnull(w);
    struct mo_node *w6 = N("fwn/w6", "Const");
    const_is("fwn/w6", MO_ET_F32, "6", "0,1,2,3,4,5");
    /* the bytes are the model file's, shared, not copied */
    ck_assert(mo_tensor_is_borrowed(w6->value));
    ck_assert_ptr_eq(w6->value->data, w->value->data);
    ck_assert_ptr_eq(w6->value->data, mo_file_data(wfile));
    ck_assert_ptr_eq(N("fwn", "Const")->value->data, w->value->data);
    SHAPE_IS(N("fwn", "Const"), "1,2,3,1");
    struct mo_node *r = N("fwn/xr", "Reshape");
    ck_assert(!attr(r, "special_zero", MO_ATTR_BOOL)->u.b);
    const_is("fwn/xr/shape", MO_ET_I64, "2", "6,20");
    SHAPE_IS(r, "6,20");
}
END_TEST

static enum mo_status body_reshape_value_mismatch(struct mo_build *b)
{
    struct mo_value w = mo_build_in(b, 3, "weight");
    struct mo_shape s4 = mo_shape_of(4);
    struct mo_value r = mo_build_reshape_value(b, "w4", w, &s4);
    ck_assert(invalid(r));
    return mo_build_done(b, r);
}

static enum mo_status body_layout(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value c = mo_build_to_nchw(b, NULL, x, 4);
    mo_build_to_nhwc(b, "back", c, 4);
    struct mo_value r5 = mo_build_reshape(b, "r5", x, (int64_t[]){2, 3, 4, 5, 1}, 5, false);
    struct mo_value c5 = mo_build_to_nchw(b, "c5", r5, 5);
    mo_build_to_nhwc(b, NULL, c5, 5);
    return mo_build_done(b, mo_build_transpose(b, NULL, x, (int64_t[]){1, 0, 3, 2}, 4));
}

START_TEST(transpose_and_layout)
{
    run(body_layout);
    TRACE_IS("Const fwn/to_nchw/order; Transpose fwn/to_nchw; "
             "Const fwn/back/order; Transpose fwn/back; "
             "Const fwn/r5/shape; Reshape fwn/r5; "
             "Const fwn/c5/order; Transpose fwn/c5; "
             "Const fwn/to_nhwc/order; Transpose fwn/to_nhwc; "
             "Const fwn/transpose/order; Transpose fwn");
    struct mo_node *t = N("fwn/to_nchw", "Transpose");
    in_is(t, 0, "x", 0);
    in_is(t, 1, "fwn/to_nchw/order", 0);
    const_is("fwn/to_nchw/order", MO_ET_I64, "4", "0,3,1,2");
    SHAPE_IS(t, "2,5,3,4");
    t = N("fwn/back", "Transpose");
    in_is(t, 0, "fwn/to_nchw", 0);
    const_is("fwn/back/order", MO_ET_I64, "4", "0,2,3,1");
    SHAPE_IS(t, "2,3,4,5");
    const_is("fwn/c5/order", MO_ET_I64, "5", "0,4,1,2,3");
    SHAPE_IS(N("fwn/c5", "Transpose"), "2,1,3,4,5");
    const_is("fwn/to_nhwc/order", MO_ET_I64, "5", "0,2,3,4,1");
    SHAPE_IS(N("fwn/to_nhwc", "Transpose"), "2,3,4,5,1");
    const_is("fwn/transpose/order", MO_ET_I64, "4", "1,0,3,2");
    SHAPE_IS(N("fwn", "Transpose"), "3,2,5,4");
}
END_TEST

static enum mo_status body_layout_rank2(struct mo_build *b)
{
    struct mo_value w = mo_build_in(b, 3, "weight");
    return mo_build_done(b, mo_build_to_nchw(b, NULL, w, 2));
}

static enum mo_status body_convert(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    mo_build_convert(b, "half", x, MO_ET_F16);
    return mo_build_done(b, mo_build_convert(b, NULL, x, MO_ET_I32));
}

START_TEST(convert)
{
    run(body_convert);
    TRACE_IS("Convert fwn/half; Convert fwn");
    struct mo_node *c = N("fwn", "Convert");
    in_is(c, 0, "x", 0);
    ck_assert_str_eq(attr(c, "destination_type", MO_ATTR_STRING)->u.s, "i32");
    ck_assert_int_eq(c->outputs[0].et, MO_ET_I32);
    SHAPE_IS(c, "2,3,4,5");
    c = N("fwn/half", "Convert");
    ck_assert_str_eq(attr(c, "destination_type", MO_ATTR_STRING)->u.s, "f16");
    ck_assert_int_eq(c->outputs[0].et, MO_ET_F16);
}
END_TEST

static enum mo_status body_squeeze(struct mo_build *b)
{
    struct mo_value v = mo_build_in(b, 2, "bias");
    struct mo_value u = mo_build_unsqueeze(b, NULL, v, (int64_t[]){0, 2}, 2);
    struct mo_value s = mo_build_squeeze(b, "sq", u, (int64_t[]){0}, 1);
    mo_build_squeeze(b, "all", u, NULL, 0);
    return mo_build_done(b, mo_build_squeeze(b, NULL, s, (int64_t[]){-1}, 1));
}

START_TEST(squeeze_unsqueeze)
{
    run(body_squeeze);
    TRACE_IS("Const fwn/unsqueeze/axes; Unsqueeze fwn; Const fwn/sq/axes; Squeeze fwn/sq; "
             "Squeeze fwn/all; Const fwn/squeeze/axes; Squeeze fwn");
    const_is("fwn/unsqueeze/axes", MO_ET_I64, "2", "0,2");
    struct mo_node *u = mo_graph_find(ir, "fwn");
    ck_assert_str_eq(u->type, "Unsqueeze");
    in_is(u, 0, "v", 0);
    in_is(u, 1, "fwn/unsqueeze/axes", 0);
    SHAPE_IS(u, "1,3,1");
    struct mo_node *s = N("fwn/sq", "Squeeze");
    in_is(s, 0, "fwn", 0);
    const_is("fwn/sq/axes", MO_ET_I64, "1", "0");
    SHAPE_IS(s, "3,1");
    s = N("fwn/all", "Squeeze");
    ck_assert_uint_eq(s->n_inputs, 1);
    SHAPE_IS(s, "3");
    const_is("fwn/squeeze/axes", MO_ET_I64, "1", "-1");
    /* the layer's output: the last Squeeze (two nodes are named fwn) */
    s = mo_graph_node(ir, mo_graph_n_nodes(ir) - 2);
    ck_assert_str_eq(s->type, "Squeeze");
    ck_assert_str_eq(s->name, "fwn");
    ck_assert_str_eq(s->outputs[0].names[0], "fwn_out");
    SHAPE_IS(s, "3");
}
END_TEST

static enum mo_status body_concat(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value d = mo_build_in(b, 1, "dyn");
    mo_build_concat(b, "dyn", 2, 2, (struct mo_value[]){d, d});
    return mo_build_done(b, mo_build_concat(b, NULL, 1, 3, (struct mo_value[]){x, x, x}));
}

START_TEST(concat)
{
    run(body_concat);
    TRACE_IS("Concat fwn/dyn; Concat fwn");
    struct mo_node *c = N("fwn", "Concat");
    ck_assert_uint_eq(c->n_inputs, 3);
    for (unsigned i = 0; i < 3; i++)
        in_is(c, i, "x", 0);
    ck_assert_int_eq(attr(c, "axis", MO_ATTR_INT)->u.i, 1);
    SHAPE_IS(c, "2,9,4,5");
    SHAPE_IS(N("fwn/dyn", "Concat"), "?,3,?,5");
}
END_TEST

static enum mo_status body_slices(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    mo_build_strided_slice(b, "ss", x, (int64_t[]){0, 1}, (int64_t[]){2, 3}, (int64_t[]){1, 1}, 2, NULL, NULL);
    mo_build_strided_slice(b, "masked", x, (int64_t[]){1, 1, 0}, (int64_t[]){2, 3, 0}, (int64_t[]){1, 1, 2},
                           3, (int64_t[]){1, 0, 0}, (int64_t[]){0, 0, 1});
    mo_build_slice(b, "sl", x, (int64_t[]){1}, (int64_t[]){3}, (int64_t[]){1}, (int64_t[]){2}, 1);
    return mo_build_done(b, mo_build_slice(b, NULL, x, (int64_t[]){0, 4}, (int64_t[]){1, 0},
                                           (int64_t[]){1, -2}, (int64_t[]){0, -1}, 2));
}

START_TEST(slices)
{
    run(body_slices);
    TRACE_IS("Const fwn/ss/begin; Const fwn/ss/end; Const fwn/ss/stride; StridedSlice fwn/ss; "
             "Const fwn/masked/begin; Const fwn/masked/end; Const fwn/masked/stride; StridedSlice fwn/masked; "
             "Const fwn/sl/start; Const fwn/sl/stop; Const fwn/sl/step; Const fwn/sl/axes; Slice fwn/sl; "
             "Const fwn/start; Const fwn/stop; Const fwn/step; Const fwn/axes; Slice fwn");
    struct mo_node *s = N("fwn/ss", "StridedSlice");
    in_is(s, 0, "x", 0);
    in_is(s, 1, "fwn/ss/begin", 0);
    in_is(s, 2, "fwn/ss/end", 0);
    in_is(s, 3, "fwn/ss/stride", 0);
    const_is("fwn/ss/begin", MO_ET_I64, "2", "0,1");
    const_is("fwn/ss/end", MO_ET_I64, "2", "2,3");
    const_is("fwn/ss/stride", MO_ET_I64, "2", "1,1");
    const struct mo_attr *a = attr(s, "begin_mask", MO_ATTR_INTS);
    ck_assert_uint_eq(a->u.ints.n, 2);
    ck_assert(a->u.ints.v[0] == 0 && a->u.ints.v[1] == 0);
    a = attr(s, "end_mask", MO_ATTR_INTS);
    ck_assert_uint_eq(a->u.ints.n, 2);
    ck_assert(a->u.ints.v[0] == 0 && a->u.ints.v[1] == 0);
    ck_assert_ptr_null(mo_node_attr(s, "new_axis_mask"));
    SHAPE_IS(s, "2,2,4,5");
    /* mask 1 ignores the bound: begin 0 on axis 0, end = the whole axis 2 */
    s = N("fwn/masked", "StridedSlice");
    a = attr(s, "begin_mask", MO_ATTR_INTS);
    ck_assert(a->u.ints.n == 3 && a->u.ints.v[0] == 1 && a->u.ints.v[1] == 0);
    a = attr(s, "end_mask", MO_ATTR_INTS);
    ck_assert(a->u.ints.n == 3 && a->u.ints.v[2] == 1);
    SHAPE_IS(s, "2,2,2,5");
    s = N("fwn/sl", "Slice");
    ck_assert_uint_eq(s->n_inputs, 5);
    in_is(s, 4, "fwn/sl/axes", 0);
    const_is("fwn/sl/axes", MO_ET_I64, "1", "2");
    SHAPE_IS(s, "2,3,2,5");
    s = N("fwn", "Slice");
    in_is(s, 1, "fwn/start", 0);
    in_is(s, 2, "fwn/stop", 0);
    in_is(s, 3, "fwn/step", 0);
    in_is(s, 4, "fwn/axes", 0);
    const_is("fwn/step", MO_ET_I64, "2", "1,-2");
    SHAPE_IS(s, "1,3,4,2");
}
END_TEST

static enum mo_status body_shape_gather(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value s = mo_build_shape_of(b, "s", x, MO_ET_UNDEFINED);
    mo_build_shape_of(b, "s32", x, MO_ET_I32);
    struct mo_value i = mo_build_i64_scalar(b, "i", 1);
    mo_build_gather(b, "g", s, i, 0);
    return mo_build_done(b, mo_build_gather(b, NULL, x, mo_build_i64(b, "ix", (int64_t[]){0, 0, 1}, 3), 1));
}

START_TEST(shape_of_and_gather)
{
    run(body_shape_gather);
    TRACE_IS("ShapeOf fwn/s; ShapeOf fwn/s32; Const fwn/i; Const fwn/g/axis; Gather fwn/g; "
             "Const fwn/ix; Const fwn/axis; Gather fwn");
    struct mo_node *s = N("fwn/s", "ShapeOf");
    ck_assert_str_eq(attr(s, "output_type", MO_ATTR_STRING)->u.s, "i64");
    ck_assert_int_eq(s->outputs[0].et, MO_ET_I64);
    SHAPE_IS(s, "4");
    s = N("fwn/s32", "ShapeOf");
    ck_assert_str_eq(attr(s, "output_type", MO_ATTR_STRING)->u.s, "i32");
    ck_assert_int_eq(s->outputs[0].et, MO_ET_I32);
    struct mo_node *g = N("fwn/g", "Gather");
    in_is(g, 0, "fwn/s", 0);
    in_is(g, 1, "fwn/i", 0);
    in_is(g, 2, "fwn/g/axis", 0);
    const_is("fwn/g/axis", MO_ET_I64, "", "0");
    SHAPE_IS(g, "");
    g = N("fwn", "Gather");
    in_is(g, 2, "fwn/axis", 0);
    const_is("fwn/axis", MO_ET_I64, "", "1");
    SHAPE_IS(g, "2,3,4,5");
}
END_TEST

static enum mo_status body_dims(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value d = mo_build_in(b, 1, "dyn");
    /* every dim asked for is static: a Const (also from a dynamic input) */
    mo_build_dims(b, NULL, x, (int64_t[]){0, -1}, 2);
    mo_build_dims(b, "ds", d, (int64_t[]){1, -1}, 2);
    /* a dynamic one among them: computed at run time */
    return mo_build_done(b, mo_build_dims(b, "dd", d, (int64_t[]){-2, 1, 0}, 3));
}

START_TEST(dims_static_and_dynamic)
{
    run(body_dims);
    TRACE_IS("Const fwn/dims; Const fwn/ds; "
             "ShapeOf fwn/dd/shape; Const fwn/dd/indices; Const fwn/dd/axis; Gather fwn/dd");
    const_is("fwn/dims", MO_ET_I64, "2", "2,5");
    const_is("fwn/ds", MO_ET_I64, "2", "3,5");
    struct mo_node *s = N("fwn/dd/shape", "ShapeOf");
    in_is(s, 0, "d", 0);
    ck_assert_str_eq(attr(s, "output_type", MO_ATTR_STRING)->u.s, "i64");
    const_is("fwn/dd/indices", MO_ET_I64, "3", "2,1,0");
    const_is("fwn/dd/axis", MO_ET_I64, "", "0");
    struct mo_node *g = N("fwn/dd", "Gather");
    in_is(g, 0, "fwn/dd/shape", 0);
    in_is(g, 1, "fwn/dd/indices", 0);
    in_is(g, 2, "fwn/dd/axis", 0);
    ck_assert_int_eq(g->outputs[0].et, MO_ET_I64);
    SHAPE_IS(g, "3");
}
END_TEST

static enum mo_status body_dims_unknown_rank(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    /* a new node is not inferred yet: its rank is unknown */
    struct mo_value r = mo_build_op(b, "Relu", "r", 1, x);
    return mo_build_done(b, mo_build_dims(b, NULL, r, (int64_t[]){0}, 1));
}

static enum mo_status body_dims_out_of_range(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    return mo_build_done(b, mo_build_dims(b, NULL, x, (int64_t[]){0, 4}, 2));
}

static enum mo_status body_align(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value v = mo_build_in(b, 2, "bias");
    struct mo_value w = mo_build_in(b, 3, "weight");
    /* nothing to do: the value itself, no node */
    ck_assert_ptr_eq(mo_build_align_numpy(b, NULL, x, 4).node, x.node);
    ck_assert_ptr_eq(mo_build_align_numpy(b, NULL, x, 2).node, x.node);
    ck_assert_ptr_eq(mo_build_align_axis(b, NULL, v, 3, 4).node, v.node);   /* reaches the last dim */
    ck_assert_ptr_eq(mo_build_align_axis(b, NULL, v, -1, 4).node, v.node);  /* numpy rules */
    ck_assert_ptr_eq(mo_build_align_axis(b, NULL, x, 0, 4).node, x.node);   /* equal ranks */
    ck_assert_uint_eq(mo_graph_n_nodes(ir), first_new);
    /* [3] -> [1,1,1,3] */
    struct mo_value n = mo_build_align_numpy(b, "np", v, 4);
    /* a new value's rank is known once it is inferred */
    ck_assert_ptr_eq(mo_build_align_numpy(b, "np5", n, 5).node, n.node);
    mo_build_align_numpy(b, "np5", mo_build_infer(b, n), 5);
    /* [2,3] at axis 0 of a rank-4 operand -> [2,3,1,1] */
    mo_build_align_axis(b, "w", w, 0, 4);
    /* [3] at axis 1 (a per-channel bias) -> [3,1,1] */
    struct mo_value a = mo_build_align_axis(b, NULL, v, 1, 4);
    return mo_build_done(b, mo_build_op(b, "Add", "add", 2, x, a));
}

START_TEST(align)
{
    run(body_align);
    TRACE_IS("Const fwn/np/axes; Unsqueeze fwn/np; Const fwn/np5/axes; Unsqueeze fwn/np5; "
             "Const fwn/w/axes; Unsqueeze fwn/w; Const fwn/align/axes; Unsqueeze fwn; Add fwn/add");
    struct mo_node *u = N("fwn/np", "Unsqueeze");
    in_is(u, 0, "v", 0);
    in_is(u, 1, "fwn/np/axes", 0);
    const_is("fwn/np/axes", MO_ET_I64, "3", "0,1,2");
    SHAPE_IS(u, "1,1,1,3");
    const_is("fwn/np5/axes", MO_ET_I64, "1", "0");
    SHAPE_IS(N("fwn/np5", "Unsqueeze"), "1,1,1,1,3");
    const_is("fwn/w/axes", MO_ET_I64, "2", "2,3");
    SHAPE_IS(N("fwn/w", "Unsqueeze"), "2,3,1,1");
    /* no suffix: the Unsqueeze is the layer's, its Const "align/axes" */
    u = N("fwn", "Unsqueeze");
    in_is(u, 1, "fwn/align/axes", 0);
    const_is("fwn/align/axes", MO_ET_I64, "2", "1,2");
    SHAPE_IS(u, "3,1,1");
    struct mo_node *add = N("fwn/add", "Add");
    in_is(add, 0, "x", 0);
    in_is(add, 1, "fwn", 0);
    SHAPE_IS(add, "2,3,4,5");
}
END_TEST

/* --- errors ---------------------------------------------------------------------- */

static enum mo_status body_missing_named(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value bias = mo_build_in(b, 4, "bias");
    ck_assert(invalid(bias));
    return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, x, bias));
}

static enum mo_status body_missing_unnamed(struct mo_build *b)
{
    return mo_build_done(b, mo_build_op(b, "Relu", NULL, 1, mo_build_in(b, 7, NULL)));
}

static struct mo_tensor *kept;

/* After the first failure: every call a no-op returning an invalid value,
 * no node made, the first error kept; tensors handed over still taken. */
static enum mo_status body_sticky(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value w = mo_build_in(b, 3, "weight");
    struct mo_value r = mo_build_op(b, "Relu", "before", 1, x);
    ck_assert_int_eq(mo_build_error(b, MO_ERR_UNSUPPORTED, 7, "first failure %d", 1), MO_ERR_UNSUPPORTED);
    ck_assert(!mo_build_ok(b));
    ck_assert_int_eq(mo_build_status(b), MO_ERR_UNSUPPORTED);
    unsigned before = mo_graph_n_nodes(ir);

    ck_assert_int_eq(mo_build_fail(b, "second"), MO_ERR_UNSUPPORTED);
    ck_assert_int_eq(mo_build_error(b, MO_ERR_SHAPE, 3, "third"), MO_ERR_UNSUPPORTED);
    ck_assert_int_eq(mo_build_check(b, MO_ERR_IO), MO_ERR_UNSUPPORTED);
    ck_assert_int_eq(mo_build_check(b, MO_OK), MO_ERR_UNSUPPORTED);
    ck_assert_ptr_null(mo_build_name(b, "n"));
    ck_assert(invalid(mo_build_in(b, 0, "data")));
    ck_assert(invalid(mo_build_in(b, 4, "bias")));
    ck_assert(invalid(mo_build_in_opt(b, 0)));
    ck_assert(invalid(mo_build_infer(b, r)));
    ck_assert(invalid(mo_build_op(b, "Relu", NULL, 1, x)));
    ck_assert(invalid(mo_build_opv(b, "Relu", NULL, 1, &x)));
    ck_assert(invalid(mo_build_set_int(b, r, "a", 1)));
    ck_assert(invalid(mo_build_set_float(b, r, "a", 1)));
    ck_assert(invalid(mo_build_set_bool(b, r, "a", true)));
    ck_assert(invalid(mo_build_set_str(b, r, "a", "s")));
    ck_assert(invalid(mo_build_set_ints(b, r, "a", (int64_t[]){1}, 1)));
    ck_assert(invalid(mo_build_set_floats(b, r, "a", (double[]){1}, 1)));
    ck_assert(invalid(mo_build_set_strs(b, r, "a", (const char *const[]){"s"}, 1)));
    ck_assert(invalid(mo_build_copy_attr(b, r, mo_node_attr(mo_build_fw(b), "alpha"))));
    ck_assert_uint_eq(r.node->n_attrs, 0);
    ck_assert(invalid(mo_build_i64(b, "c", (int64_t[]){1}, 1)));
    ck_assert(invalid(mo_build_i64_scalar(b, "c", 1)));
    ck_assert(invalid(mo_build_scalar(b, "c", MO_ET_F32, 1)));
    struct mo_shape s2 = mo_shape_of(2), s6 = mo_shape_of(6);
    ck_assert(invalid(mo_build_const(b, "c", MO_ET_F32, &s2, (double[]){1, 2})));
    /* taken over although the builder has failed: one tensor with nobody
     * else holding it (LeakSanitizer sees it if it is lost), one kept here
     * to read its count */
    ck_assert(invalid(mo_build_tensor(b, "c", mo_tensor_new(MO_ET_F32, &s2, terr))));
    kept = mo_tensor_new(MO_ET_F32, &s2, NULL);
    ck_assert_ptr_nonnull(kept);
    ck_assert(invalid(mo_build_tensor(b, "c", mo_tensor_ref(kept))));
    ck_assert_int_eq(kept->refs, 1);
    ck_assert(invalid(mo_build_tensor(b, "c", NULL)));
    ck_assert(invalid(mo_build_reshape(b, NULL, x, (int64_t[]){-1}, 1, false)));
    ck_assert(invalid(mo_build_reshape_to(b, NULL, x, w, false)));
    ck_assert(invalid(mo_build_reshape_value(b, NULL, w, &s6)));
    ck_assert(invalid(mo_build_reshape_value(b, NULL, x, &s6)));
    ck_assert(invalid(mo_build_transpose(b, NULL, x, (int64_t[]){0, 1, 3, 2}, 4)));
    ck_assert(invalid(mo_build_convert(b, NULL, x, MO_ET_F16)));
    ck_assert(invalid(mo_build_squeeze(b, NULL, x, (int64_t[]){0}, 1)));
    ck_assert(invalid(mo_build_squeeze(b, NULL, x, NULL, 0)));
    ck_assert(invalid(mo_build_unsqueeze(b, NULL, x, (int64_t[]){0}, 1)));
    ck_assert(invalid(mo_build_concat(b, NULL, 0, 2, (struct mo_value[]){x, x})));
    ck_assert(invalid(mo_build_strided_slice(b, NULL, x, (int64_t[]){0}, (int64_t[]){1}, (int64_t[]){1}, 1,
                                             NULL, NULL)));
    ck_assert(invalid(mo_build_slice(b, NULL, x, (int64_t[]){0}, (int64_t[]){1}, (int64_t[]){1},
                                     (int64_t[]){0}, 1)));
    ck_assert(invalid(mo_build_shape_of(b, NULL, x, MO_ET_I64)));
    ck_assert(invalid(mo_build_gather(b, NULL, x, w, 0)));
    ck_assert(invalid(mo_build_dims(b, NULL, x, (int64_t[]){0}, 1)));
    ck_assert(invalid(mo_build_align_numpy(b, NULL, w, 4)));
    ck_assert(invalid(mo_build_align_axis(b, NULL, w, 0, 4)));
    ck_assert(invalid(mo_build_to_nchw(b, NULL, x, 4)));
    ck_assert(invalid(mo_build_to_nhwc(b, NULL, x, 4)));
    ck_assert_int_eq(mo_build_output(b, 0, x), MO_ERR_UNSUPPORTED);
    ck_assert_uint_eq(mo_graph_n_nodes(ir), before);
    /* the message is still the first one */
    ck_assert_str_eq(terr->msg, "first failure 1");
    ck_assert_int_eq(terr->code, MO_ERR_UNSUPPORTED);
    ck_assert_int_eq(terr->faq, 7);
    return mo_build_done(b, x);
}

START_TEST(sticky_first_error)
{
    ck_assert_int_eq(translate(body_sticky), MO_ERR_UNSUPPORTED);
    ck_assert_int_eq(err.code, MO_ERR_UNSUPPORTED);
    ck_assert_int_eq(err.faq, 7);
    ck_assert_str_eq(err.msg, "buildfw node 'fwn' (Probe): first failure 1");
    TRACE_IS("Relu fwn/before");
    /* no output was declared: the input does not carry the layer's name */
    ck_assert_uint_eq(mo_graph_find(ir, "x")->outputs[0].n_names, 0);
    ck_assert_int_eq(kept->refs, 1);
    mo_tensor_unref(kept);
}
END_TEST

/* A failure inside an idiom (here: its op's inference-free construction
 * fails on a bad input) keeps that idiom's error, not a later one. */
static enum mo_status body_first_of_two(struct mo_build *b)
{
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value t = mo_build_transpose(b, "t", x, (int64_t[]){0, 1}, 2);   /* fine until inferred */
    struct mo_value y = mo_build_to_nchw(b, "bad", x, 2);
    mo_build_fail(b, "later %s", "failure");
    return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, t, y));
}

/* mo_build_check adopts a status whose message another call wrote to err */
static enum mo_status body_check_with_message(struct mo_build *b)
{
    ck_assert_int_eq(mo_build_check(b, MO_OK), MO_OK);
    ck_assert(mo_build_ok(b));
    struct mo_value x = mo_build_in(b, 0, "data");
    enum mo_status st = mo_error_set(terr, MO_ERR_FORMAT, 4, "attribute kernel='(3,' is not a tuple");
    ck_assert_int_eq(mo_build_check(b, st), MO_ERR_FORMAT);
    return mo_build_done(b, mo_build_op(b, "Relu", NULL, 1, x));
}

static enum mo_status body_check_without_message(struct mo_build *b)
{
    ck_assert_int_eq(mo_build_check(b, MO_ERR_UNSUPPORTED), MO_ERR_UNSUPPORTED);
    return mo_build_done(b, mo_build_in(b, 0, "data"));
}

/* Outputs: mo_build_output declares any output; a bad one fails. */
static enum mo_status body_output_invalid(struct mo_build *b)
{
    ck_assert_int_eq(mo_build_output(b, 0, mo_build_in_opt(b, 4)), MO_ERR_INTERNAL);
    return mo_build_done(b, mo_build_in(b, 0, "data"));
}

static enum mo_status body_output_range(struct mo_build *b)
{
    struct mo_value y = mo_build_op(b, "Relu", NULL, 1, mo_build_in(b, 0, "data"));
    ck_assert_int_eq(mo_build_output(b, 1, y), MO_ERR_INTERNAL);
    return mo_build_done(b, y);
}

static enum mo_status body_output_declared(struct mo_build *b)
{
    struct mo_value y = mo_build_op(b, "Relu", NULL, 1, mo_build_in(b, 0, "data"));
    ck_assert_int_eq(mo_build_output(b, 0, y), MO_OK);
    /* nothing more to declare: an invalid value on a healthy builder is fine */
    return mo_build_done(b, MO_NO_VALUE);
}

START_TEST(output_declared_alone)
{
    run(body_output_declared);
    TRACE_IS("Relu fwn");
    ck_assert_str_eq(N("fwn", "Relu")->outputs[0].names[0], "fwn_out");
}
END_TEST

/* Without an err of the translator's, the builder keeps its own: the
 * status still comes back, the message stays with the builder. */
static enum mo_status body_own_error(struct mo_build *b)
{
    struct mo_build *own = mo_build_begin(mo_build_tctx(b), mo_build_fw(b), NULL);
    ck_assert_ptr_nonnull(own);
    mo_build_in(own, 9, "gone");
    ck_assert_int_eq(mo_build_status(own), MO_ERR_FORMAT);
    ck_assert_int_eq(terr->code, MO_OK);
    last_b = own;
    return mo_build_done(own, MO_NO_VALUE);
}

/* A NULL builder (mo_build_begin out of memory) behaves as a failed one. */
START_TEST(null_builder)
{
    ck_assert(!mo_build_ok(NULL));
    ck_assert_int_eq(mo_build_status(NULL), MO_ERR_NOMEM);
    ck_assert_int_eq(mo_build_fail(NULL, "x"), MO_ERR_NOMEM);
    ck_assert_int_eq(mo_build_check(NULL, MO_ERR_IO), MO_ERR_NOMEM);
    ck_assert_int_eq(mo_build_done(NULL, MO_NO_VALUE), MO_ERR_NOMEM);
    ck_assert_ptr_null(mo_build_tctx(NULL));
    ck_assert_ptr_null(mo_build_fw(NULL));
    ck_assert_ptr_null(mo_build_graph(NULL));
    ck_assert_ptr_null(mo_build_name(NULL, "s"));
    ck_assert(invalid(mo_build_in(NULL, 0, NULL)));
    ck_assert(invalid(mo_build_op(NULL, "Relu", NULL, 0)));
    ck_assert(invalid(mo_build_scalar(NULL, NULL, MO_ET_F32, 1)));
    struct mo_shape s = mo_shape_of(3);
    ck_assert(invalid(mo_build_tensor(NULL, NULL, mo_tensor_new(MO_ET_F32, &s, NULL))));
}
END_TEST

/* --- failures, one row each ----------------------------------------------------- */

#define AT "buildfw node 'fwn' (Probe): "

static const struct failure {
    const char *what;
    body_fn fn;
    enum mo_status st;
    int faq;
    const char *msg;     /* the whole error the core reports */
    const char *made;    /* trace() afterwards: nodes made before the failure stay */
} failures[] = {
    {"invalid input", body_op_invalid_input, MO_ERR_INTERNAL, 0,
     AT "input 0 of the Relu node r is an invalid value", ""},
    {"unknown op", body_op_unknown_type, MO_ERR_UNSUPPORTED, 0,
     AT "node 'fwn': IR operation 'NoSuchOp' is not in the op table", ""},
    {"input count", body_op_input_count, MO_ERR_INTERNAL, 0, AT "node 'fwn': Relu takes 1..1 inputs, 2 given", ""},
    {"NULL tensor", body_tensor_null, MO_ERR_SHAPE, 0, AT "a constant needs a static shape and a defined type", ""},
    {"weight of another size", body_reshape_value_mismatch, MO_ERR_SHAPE, 0,
     AT "weight 'w' has shape [2,3], 6 values; the layer needs [4]", ""},
    {"layout of rank 2", body_layout_rank2, MO_ERR_SHAPE, 0, AT "a layout change needs rank 3..12, not 2", ""},
    {"dims of unknown rank", body_dims_unknown_rank, MO_ERR_SHAPE, 0,
     AT "the dims of an input of unknown rank are needed", "Relu fwn/r"},
    {"dim out of range", body_dims_out_of_range, MO_ERR_SHAPE, 0, AT "dim 4 of a rank-4 input does not exist", ""},
    {"missing input", body_missing_named, MO_ERR_FORMAT, 2, AT "input 4 (bias) is missing", ""},
    {"missing input, unnamed", body_missing_unnamed, MO_ERR_FORMAT, 2, AT "input 7 is missing (the node has 5)", ""},
    {"first of two failures", body_first_of_two, MO_ERR_SHAPE, 0, AT "a layout change needs rank 3..12, not 2",
     "Const fwn/t/order; Transpose fwn/t"},
    {"check with a message", body_check_with_message, MO_ERR_FORMAT, 4,
     AT "attribute kernel='(3,' is not a tuple", ""},
    {"check without a message", body_check_without_message, MO_ERR_UNSUPPORTED, 0, AT "unsupported", ""},
    {"invalid output", body_output_invalid, MO_ERR_INTERNAL, 0,
     AT "output 0 of the translation is an invalid value", ""},
    {"output out of range", body_output_range, MO_ERR_INTERNAL, 0,
     AT "output 1 declared, the node has 1", "Relu fwn"},
    /* the core only gets the status of a builder with a private err */
    {"private error", body_own_error, MO_ERR_FORMAT, 0, AT "invalid input file", ""},
};

START_TEST(failure)
{
    const struct failure *f = &failures[_i];
    ck_assert_msg(translate(f->fn) == f->st, "%s: status %d, not %d: %s", f->what, err.code, f->st, err.msg);
    ck_assert_int_eq(err.code, f->st);
    ck_assert_int_eq(err.faq, f->faq);
    ck_assert_str_eq(err.msg, f->msg);
    ck_assert_int_eq(mo_build_status(last_b), f->st);
    ck_assert_str_eq(trace(), f->made);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("build");
    TCase *tc = tcase_create("nodes");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, context_inputs_values);
    tcase_add_test(tc, infer_reaches_back_to_new_inputs);
    tcase_add_test(tc, setters);
    tcase_add_test(tc, constants);
    suite_add_tcase(s, tc);
    tc = tcase_create("idioms");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, reshape);
    tcase_add_test(tc, reshape_value);
    tcase_add_test(tc, transpose_and_layout);
    tcase_add_test(tc, convert);
    tcase_add_test(tc, squeeze_unsqueeze);
    tcase_add_test(tc, concat);
    tcase_add_test(tc, slices);
    tcase_add_test(tc, shape_of_and_gather);
    tcase_add_test(tc, dims_static_and_dynamic);
    tcase_add_test(tc, align);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, sticky_first_error);
    tcase_add_test(tc, output_declared_alone);
    tcase_add_loop_test(tc, failure, 0, (int)MO_COUNT_OF(failures));
    tcase_add_test(tc, null_builder);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
