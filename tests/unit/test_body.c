/* test_body.c - control flow (mo/body.h): bodies owned by their node's
 * graph, port map checks, inference of If / Loop / TensorIterator through
 * their bodies (slices, concatenation, back edges that change shapes,
 * unknown iteration counts, merged If branches), validation, pruning,
 * unique names and the passes inside bodies, and the IR the writer makes
 * of them (read back with libxml2). */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include <mo/mo.h>

#include "passes/passes.h"
#include "run_suite.h"

static struct mo_context *ctx;
static struct mo_graph *g;
static struct mo_error err;

static void setup(void)
{
    ctx = mo_context_new();
    g = mo_graph_new(ctx);
    memset(&err, 0, sizeof err);
}

static void teardown(void)
{
    mo_graph_free(g);
    mo_context_free(ctx);
}

/* --- building helpers ---------------------------------------------------- */

static struct mo_node *param(struct mo_graph *gr, const char *name, enum mo_etype et,
                             struct mo_shape s)
{
    struct mo_node *p = mo_parameter(gr, name, et, &s, &err);
    ck_assert_msg(p != NULL, "%s", err.msg);
    return p;
}

static struct mo_node *op(struct mo_graph *gr, const char *type, const char *name, unsigned n,
                          const struct mo_value *in)
{
    struct mo_node *x = mo_op(gr, type, name, n, in, &err);
    ck_assert_msg(x != NULL, "%s", err.msg);
    return x;
}

static struct mo_node *op2(struct mo_graph *gr, const char *type, const char *name,
                           struct mo_node *a, struct mo_node *b)
{
    return op(gr, type, name, 2, (struct mo_value[]){{a, 0}, {b, 0}});
}

static struct mo_node *result(struct mo_graph *gr, struct mo_node *x, const char *name)
{
    struct mo_node *r = mo_result(gr, mo_val(x, 0), name, &err);
    ck_assert_msg(r != NULL, "%s", err.msg);
    return r;
}

static struct mo_node *cbool(struct mo_graph *gr, const char *name, bool v)
{
    struct mo_shape s = mo_shape_scalar();
    uint8_t b = v;
    struct mo_node *c = mo_const(gr, name, mo_tensor_from_data(MO_ET_BOOLEAN, &s, &b, 1, &err), &err);
    ck_assert_ptr_nonnull(c);
    return c;
}

static struct mo_node *ci64(struct mo_graph *gr, const char *name, int64_t v)
{
    struct mo_node *c = mo_const_i64(gr, name, &v, 1, true, &err);
    ck_assert_ptr_nonnull(c);
    return c;
}

static void ok(enum mo_status st)
{
    ck_assert_msg(st == MO_OK, "status %d: %s", st, err.msg);
}

static void shape_is(const struct mo_shape *s, const char *want)
{
    char buf[128];
    ck_assert_str_eq(mo_shape_str(s, buf, sizeof buf), want);
}

/* A TensorIterator over seq (sliced by sl, each slice xt_shape) with h
 * [2,3] carried by a back edge: h' = h + x_t reshaped to [2,3]; outputs
 * 0 = the last h', 1 = every x_t concatenated along axis 1. */
struct ti {
    struct mo_node *n, *xt, *h, *rh, *rx;
    struct mo_body *b;
};

static struct ti make_ti(struct mo_shape seq_shape, struct mo_slice sl, struct mo_shape xt_shape)
{
    struct ti t;
    struct mo_node *seq = param(g, "seq", MO_ET_F32, seq_shape);
    struct mo_node *h0 = param(g, "h0", MO_ET_F32, mo_shape_of(2, 3));
    t.n = op(g, "TensorIterator", "ti", 2, (struct mo_value[]){{seq, 0}, {h0, 0}});
    t.b = mo_body_add(t.n, &err);
    ck_assert_ptr_nonnull(t.b);
    struct mo_graph *bg = t.b->graph;
    t.xt = param(bg, "ti/x", MO_ET_F32, xt_shape);
    t.h = param(bg, "ti/h", MO_ET_F32, mo_shape_of(2, 3));
    struct mo_node *shp = mo_const_i64(bg, "ti/shape", (int64_t[]){2, 3}, 2, false, &err);
    struct mo_node *x2 = op2(bg, "Reshape", "ti/x2", t.xt, shp);
    mo_node_set_bool(x2, "special_zero", false);
    struct mo_node *hn = op2(bg, "Add", "ti/h_next", t.h, x2);
    t.rh = result(bg, hn, "ti/h_next/r");
    t.rx = result(bg, t.xt, "ti/x/r");
    ok(mo_body_input(t.b, 0, t.xt, &sl, &err));
    ok(mo_body_input(t.b, 1, t.h, NULL, &err));
    ok(mo_body_back_edge(t.b, t.rh, t.h, &err));
    ok(mo_body_output(t.b, t.rh, 0, NULL, &err));
    struct mo_slice cat = mo_slice_axis(1);
    ok(mo_body_output(t.b, t.rx, 1, &cat, &err));
    result(g, t.n, "out0");
    ck_assert_ptr_nonnull(mo_result(g, mo_val(t.n, 1), "out1", &err));
    return t;
}

/* A Loop: inputs trip count tc, start flag, x [1,3] invariant, acc merged;
 * body acc' = acc + x, condition from cond (a body node) or Const true;
 * outputs 0 = last acc', 1 = every acc' along axis 0. */
struct loop {
    struct mo_node *n, *x, *acc, *it, *racc, *rc;
    struct mo_body *b;
};

static struct loop make_loop(struct mo_node *tc, struct mo_node *go, bool cond_const)
{
    struct loop l;
    struct mo_node *x = param(g, "x", MO_ET_F32, mo_shape_of(1, 3));
    l.n = op(g, "Loop", "loop", 4, (struct mo_value[]){{tc, 0}, {go, 0}, {x, 0}, {x, 0}});
    l.b = mo_body_add(l.n, &err);
    ck_assert_ptr_nonnull(l.b);
    struct mo_graph *bg = l.b->graph;
    l.it = param(bg, "loop/i", MO_ET_I64, mo_shape_scalar());
    l.x = param(bg, "loop/x", MO_ET_F32, mo_shape_of(1, 3));
    l.acc = param(bg, "loop/acc", MO_ET_F32, mo_shape_of(1, 3));
    struct mo_node *next = op2(bg, "Add", "loop/next", l.acc, l.x);
    l.racc = result(bg, next, "loop/next/r");
    struct mo_node *c = cond_const ? cbool(bg, "loop/true", true)
                                   : op2(bg, "Less", "loop/more", l.it, ci64(bg, "loop/five", 5));
    l.rc = result(bg, c, "loop/cond/r");
    ok(mo_body_input(l.b, 2, l.x, NULL, &err));
    ok(mo_body_input(l.b, 3, l.acc, NULL, &err));
    ok(mo_body_back_edge(l.b, l.racc, l.acc, &err));
    ok(mo_body_loop_ports(l.b, l.it, l.rc, &err));
    ok(mo_body_output(l.b, l.racc, 0, NULL, &err));
    struct mo_slice cat = mo_slice_axis(0);
    ok(mo_body_output(l.b, l.racc, 1, &cat, &err));
    result(g, l.n, "final");
    ck_assert_ptr_nonnull(mo_result(g, mo_val(l.n, 1), "all", &err));
    return l;
}

/* If on cond: then returns tv (shape ts), else ev (shape es) */
static struct mo_node *make_if(struct mo_shape ts, struct mo_shape es, enum mo_etype eet)
{
    struct mo_node *cond = param(g, "cond", MO_ET_BOOLEAN, mo_shape_scalar());
    struct mo_node *a = param(g, "a", MO_ET_F32, ts);
    struct mo_node *b = param(g, "b", eet, es);
    struct mo_node *n = op(g, "If", "if", 3, (struct mo_value[]){{cond, 0}, {a, 0}, {b, 0}});
    struct mo_body *tb = mo_body_add(n, &err), *eb = mo_body_add(n, &err);
    ck_assert_ptr_nonnull(tb);
    ck_assert_ptr_nonnull(eb);
    struct mo_node *ta = param(tb->graph, "then/a", MO_ET_F32, ts);
    struct mo_node *tr = result(tb->graph, op(tb->graph, "Relu", "then/relu", 1,
                                              (struct mo_value[]){{ta, 0}}), "then/r");
    struct mo_node *eb_ = param(eb->graph, "else/b", eet, es);
    struct mo_node *er = result(eb->graph, eb_, "else/r");
    ok(mo_body_input(tb, 1, ta, NULL, &err));
    ok(mo_body_output(tb, tr, 0, NULL, &err));
    ok(mo_body_input(eb, 2, eb_, NULL, &err));
    ok(mo_body_output(eb, er, 0, NULL, &err));
    result(g, n, "out");
    return n;
}

/* --- API ------------------------------------------------------------------ */

START_TEST(body_ownership)
{
    struct mo_node *cond = param(g, "c", MO_ET_BOOLEAN, mo_shape_scalar());
    struct mo_node *n = op(g, "If", "if", 1, (struct mo_value[]){{cond, 0}});
    ck_assert_uint_eq(n->n_bodies, 0);
    struct mo_body *t = mo_body_add(n, &err), *e = mo_body_add(n, &err);
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_eq(n->n_bodies, 2);
    ck_assert_ptr_eq(mo_node_body(n, 0), t);
    ck_assert_ptr_eq(mo_node_body(n, 1), e);
    ck_assert_ptr_null(mo_node_body(n, 2));
    ck_assert_ptr_ne(t->graph, e->graph);
    ck_assert_ptr_eq(t->owner, n);
    ck_assert_ptr_eq(mo_graph_body(t->graph), t);
    ck_assert_ptr_eq(mo_graph_body(e->graph), e);
    ck_assert_ptr_null(mo_graph_body(g));
    ck_assert_ptr_eq(mo_graph_context(t->graph), ctx);
    /* a nested body is owned by the body graph, all freed by teardown */
    struct mo_node *inner = op(t->graph, "TensorIterator", "inner", 0, NULL);
    struct mo_body *ib = mo_body_add(inner, &err);
    ck_assert_ptr_nonnull(ib);
    ck_assert_ptr_eq(mo_graph_body(ib->graph), ib);
    /* a Const in a body holds its tensor until the outer graph goes */
    struct mo_node *c = mo_const_f32(ib->graph, "w", (float[]){1, 2}, 2, false, &err);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(c->value->refs, 1);
}
END_TEST

START_TEST(body_map_errors)
{
    struct mo_node *x = param(g, "x", MO_ET_F32, mo_shape_of(4, 3));
    struct mo_node *n = op(g, "TensorIterator", "ti", 1, (struct mo_value[]){{x, 0}});
    struct mo_body *b = mo_body_add(n, &err);
    struct mo_node *p = param(b->graph, "p", MO_ET_F32, mo_shape_of(1, 3));
    struct mo_node *r = result(b->graph, p, "r");
    /* nodes of another graph, or of the wrong type */
    ck_assert_int_eq(mo_body_input(b, 0, x, NULL, &err), MO_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(err.msg, "Parameter of its body"));
    ck_assert_int_eq(mo_body_input(b, 0, r, NULL, &err), MO_ERR_INVALID_ARG);
    ck_assert_int_eq(mo_body_output(b, p, 0, NULL, &err), MO_ERR_INVALID_ARG);
    ck_assert_int_eq(mo_body_input(b, 0, NULL, NULL, &err), MO_ERR_INVALID_ARG);
    struct mo_slice bad = mo_slice_axis(0);
    bad.part_size = 0;
    ck_assert_int_eq(mo_body_input(b, 0, p, &bad, &err), MO_ERR_INVALID_ARG);
    bad = mo_slice_axis(0);
    bad.stride = 0;
    ck_assert_int_eq(mo_body_output(b, r, 0, &bad, &err), MO_ERR_INVALID_ARG);
    /* twice the same target */
    struct mo_slice s = mo_slice_axis(0);
    ok(mo_body_input(b, 0, p, &s, &err));
    ck_assert_int_eq(mo_body_input(b, 0, p, NULL, &err), MO_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(err.msg, "fed twice"));
    /* an output map grows the node's outputs */
    ck_assert_uint_eq(n->n_outputs, 0);
    ok(mo_body_output(b, r, 2, NULL, &err));
    ck_assert_uint_eq(n->n_outputs, 3);
    ck_assert_int_eq(mo_body_output(b, r, 2, NULL, &err), MO_ERR_INVALID_ARG);
    ok(mo_body_back_edge(b, r, p, &err));
    ck_assert_int_eq(mo_body_back_edge(b, r, p, &err), MO_ERR_INVALID_ARG);
    ck_assert_uint_eq(b->n_inputs, 1);
    ck_assert_uint_eq(b->n_outputs, 1);
    ck_assert_uint_eq(b->n_back_edges, 1);
    /* only a Loop has special ports */
    ck_assert_int_eq(mo_body_loop_ports(b, NULL, r, &err), MO_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(err.msg, "only a Loop"));
}
END_TEST

/* --- inference ------------------------------------------------------------ */

START_TEST(infer_ti_slices)
{
    struct mo_slice sl = mo_slice_axis(-2); /* axis 1 of rank 3 */
    struct ti t = make_ti(mo_shape_of(2, 5, 3), sl, mo_shape_of(2, 1, 3));
    ok(mo_graph_infer(g, &err));
    shape_is(&t.xt->outputs[0].shape, "2,1,3");
    ck_assert_int_eq(t.b->inputs[0].slice.axis, 1); /* normalized for the IR */
    shape_is(&t.n->outputs[0].shape, "2,3");
    shape_is(&t.n->outputs[1].shape, "2,5,3");
    ok(mo_graph_validate(g, &err));
}
END_TEST

START_TEST(infer_ti_reverse_and_parts)
{
    /* backwards over 6 steps in parts of 2: 3 iterations, 2 rows each */
    struct mo_slice sl = {1, -1, -1, 2, 0};
    struct ti t = make_ti(mo_shape_of(1, 6, 3), sl, mo_shape_of(1, 2, 3));
    t.b->outputs[1].slice.part_size = 2;
    ok(mo_graph_infer(g, &err));
    shape_is(&t.xt->outputs[0].shape, "1,2,3");
    shape_is(&t.n->outputs[1].shape, "1,6,3");
}
END_TEST

START_TEST(infer_ti_dynamic_length)
{
    struct ti t = make_ti(mo_shape_of(2, MO_DYN, 3), mo_slice_axis(1), mo_shape_of(2, 1, 3));
    ok(mo_graph_infer(g, &err));
    shape_is(&t.xt->outputs[0].shape, "2,1,3");
    shape_is(&t.n->outputs[1].shape, "2,?,3");
}
END_TEST

START_TEST(infer_body_error_named)
{
    /* a slice of [2,1,4] cannot be reshaped to [2,3]: the message says where */
    make_ti(mo_shape_of(2, 5, 4), mo_slice_axis(1), mo_shape_of(2, 1, 4));
    ck_assert_int_eq(mo_graph_infer(g, &err), MO_ERR_SHAPE);
    ck_assert_ptr_nonnull(strstr(err.msg, "in the body of TensorIterator 'ti'"));
    ck_assert_ptr_nonnull(strstr(err.msg, "ti/x2"));
}
END_TEST

START_TEST(infer_loop_counts)
{
    /* trip count 4, condition always true: 4 iterations */
    struct loop l = make_loop(ci64(g, "tc", 4), cbool(g, "go", true), true);
    ok(mo_graph_infer(g, &err));
    shape_is(&l.n->outputs[0].shape, "1,3");
    shape_is(&l.n->outputs[1].shape, "4,3");
    shape_is(&l.it->outputs[0].shape, "");
    ok(mo_graph_validate(g, &err));
}
END_TEST

START_TEST(infer_loop_unknown_count)
{
    /* the body's condition may stop it early: the count is unknown */
    struct loop l = make_loop(ci64(g, "tc", 4), cbool(g, "go", true), false);
    ok(mo_graph_infer(g, &err));
    shape_is(&l.n->outputs[1].shape, "?,3");
}
END_TEST

START_TEST(infer_loop_not_started)
{
    struct loop l = make_loop(ci64(g, "tc", 4), cbool(g, "go", false), true);
    ok(mo_graph_infer(g, &err));
    shape_is(&l.n->outputs[1].shape, "0,3");
}
END_TEST

START_TEST(infer_loop_trip_count_input)
{
    struct mo_node *tc = param(g, "tc", MO_ET_I64, mo_shape_of(1));
    struct loop l = make_loop(tc, cbool(g, "go", true), true);
    ok(mo_graph_infer(g, &err));
    shape_is(&l.n->outputs[1].shape, "?,3");
}
END_TEST

START_TEST(infer_loop_bad_inputs)
{
    /* a float trip count, then a missing condition */
    struct mo_node *tc = mo_const_f32(g, "tc", (float[]){3}, 1, true, &err);
    struct loop l = make_loop(tc, cbool(g, "go", true), true);
    ck_assert_int_eq(mo_graph_infer(g, &err), MO_ERR_SHAPE);
    ck_assert_ptr_nonnull(strstr(err.msg, "trip count"));
    l.n->inputs[0] = mo_val(ci64(g, "tc2", 3), 0);
    ok(mo_graph_infer(g, &err));
    l.b->condition = NULL;
    ck_assert_int_eq(mo_graph_infer(g, &err), MO_ERR_SHAPE);
    ck_assert_ptr_nonnull(strstr(err.msg, "condition"));
}
END_TEST

START_TEST(infer_back_edge_grows)
{
    /* acc' = concat(acc, x) along axis 0: [1,3], [2,3], ... so the body's
     * acc is [?,3] and so is the last value */
    struct mo_node *x = param(g, "x", MO_ET_F32, mo_shape_of(1, 3));
    struct mo_node *n = op(g, "Loop", "grow", 4,
                           (struct mo_value[]){{ci64(g, "tc", 3), 0}, {cbool(g, "go", true), 0}, {x, 0}, {x, 0}});
    struct mo_body *b = mo_body_add(n, &err);
    struct mo_node *px = param(b->graph, "px", MO_ET_F32, mo_shape_of(1, 3));
    struct mo_node *pa = param(b->graph, "pa", MO_ET_F32, mo_shape_of(1, 3));
    struct mo_node *cat = op2(b->graph, "Concat", "cat", pa, px);
    mo_node_set_int(cat, "axis", 0);
    struct mo_node *rcat = result(b->graph, cat, "cat/r");
    struct mo_node *rc = result(b->graph, cbool(b->graph, "t", true), "t/r");
    ok(mo_body_input(b, 2, px, NULL, &err));
    ok(mo_body_input(b, 3, pa, NULL, &err));
    ok(mo_body_back_edge(b, rcat, pa, &err));
    ok(mo_body_loop_ports(b, NULL, rc, &err));
    ok(mo_body_output(b, rcat, 0, NULL, &err));
    result(g, n, "out");
    ok(mo_graph_infer(g, &err));
    shape_is(&pa->outputs[0].shape, "?,3");
    shape_is(&cat->outputs[0].shape, "?,3");
    shape_is(&n->outputs[0].shape, "?,3");
    /* inferred again from the outer shapes: the same answer, no drift */
    ok(mo_graph_infer(g, &err));
    shape_is(&pa->outputs[0].shape, "?,3");
    ok(mo_graph_validate(g, &err));
}
END_TEST

START_TEST(infer_back_edge_type_change)
{
    struct mo_node *x = param(g, "x", MO_ET_F32, mo_shape_of(3));
    struct mo_node *n = op(g, "TensorIterator", "ti", 1, (struct mo_value[]){{x, 0}});
    struct mo_body *b = mo_body_add(n, &err);
    struct mo_node *p = param(b->graph, "p", MO_ET_F32, mo_shape_of(3));
    struct mo_node *cv = op(b->graph, "Convert", "cv", 1, (struct mo_value[]){{p, 0}});
    mo_node_set_str(cv, "destination_type", "i32");
    struct mo_node *r = result(b->graph, cv, "r");
    ok(mo_body_input(b, 0, p, NULL, &err));
    ok(mo_body_back_edge(b, r, p, &err));
    ok(mo_body_output(b, r, 0, NULL, &err));
    result(g, n, "out");
    ck_assert_int_eq(mo_graph_infer(g, &err), MO_ERR_SHAPE);
    ck_assert_ptr_nonnull(strstr(err.msg, "back edge"));
}
END_TEST

START_TEST(infer_if_merge)
{
    struct mo_node *n = make_if(mo_shape_of(2, 3), mo_shape_of(2, 3), MO_ET_F32);
    ok(mo_graph_infer(g, &err));
    shape_is(&n->outputs[0].shape, "2,3");
    ck_assert_int_eq(n->outputs[0].et, MO_ET_F32);
    ok(mo_graph_validate(g, &err));
}
END_TEST

START_TEST(infer_if_merge_dims)
{
    struct mo_node *n = make_if(mo_shape_of(2, 3, 5), mo_shape_of(2, 4, 5), MO_ET_F32);
    ok(mo_graph_infer(g, &err));
    shape_is(&n->outputs[0].shape, "2,?,5");
}
END_TEST

START_TEST(infer_if_merge_rank)
{
    struct mo_node *n = make_if(mo_shape_of(2, 3), mo_shape_of(6), MO_ET_F32);
    ok(mo_graph_infer(g, &err));
    ck_assert_int_eq(n->outputs[0].shape.rank, MO_RANK_UNKNOWN);
}
END_TEST

START_TEST(infer_if_types_differ)
{
    make_if(mo_shape_of(2), mo_shape_of(2), MO_ET_I32);
    ck_assert_int_eq(mo_graph_infer(g, &err), MO_ERR_SHAPE);
    ck_assert_ptr_nonnull(strstr(err.msg, "then body"));
}
END_TEST

START_TEST(infer_if_unmapped_output)
{
    struct mo_node *n = make_if(mo_shape_of(2), mo_shape_of(2), MO_ET_F32);
    /* a second output only the then body gives */
    struct mo_body *tb = n->bodies[0];
    struct mo_node *tr2 = result(tb->graph, tb->inputs[0].param, "then/r2");
    ok(mo_body_output(tb, tr2, 1, NULL, &err));
    ck_assert_int_eq(mo_graph_infer(g, &err), MO_ERR_SHAPE);
    ck_assert_ptr_nonnull(strstr(err.msg, "else body"));
}
END_TEST

/* --- validation ------------------------------------------------------------- */

START_TEST(validate_port_maps)
{
    struct loop l = make_loop(ci64(g, "tc", 4), cbool(g, "go", true), true);
    ok(mo_graph_infer(g, &err));
    ok(mo_graph_validate(g, &err));
    /* a body Parameter nobody feeds */
    struct mo_node *stray = param(l.b->graph, "stray", MO_ET_F32, mo_shape_of(1));
    ck_assert_int_eq(mo_graph_validate(g, &err), MO_ERR_INTERNAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "'stray'"));
    ck_assert_ptr_nonnull(strstr(err.msg, "fed by no input"));
    mo_node_kill(stray);
    ok(mo_graph_validate(g, &err));
    /* the condition is required */
    struct mo_node *rc = l.b->condition;
    l.b->condition = NULL;
    ck_assert_int_eq(mo_graph_validate(g, &err), MO_ERR_INTERNAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "condition"));
    l.b->condition = rc;
    /* an edge from the outer graph into the body */
    struct mo_node *outer_x = l.n->inputs[2].node;
    struct mo_node *next = l.racc->inputs[0].node;
    next->inputs[1] = mo_val(outer_x, 0);
    ck_assert_int_eq(mo_graph_validate(g, &err), MO_ERR_INTERNAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "in the body of Loop 'loop'"));
    next->inputs[1] = mo_val(l.x, 0);
    ok(mo_graph_validate(g, &err));
    /* an outer data input the body does not read */
    mo_node_add_input(l.n, mo_val(outer_x, 0));
    ck_assert_int_eq(mo_graph_validate(g, &err), MO_ERR_INTERNAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "input 4"));
}
END_TEST

START_TEST(validate_body_count)
{
    struct mo_node *n = make_if(mo_shape_of(2), mo_shape_of(2), MO_ET_F32);
    ok(mo_graph_infer(g, &err));
    n->n_bodies = 1;
    ck_assert_int_eq(mo_graph_validate(g, &err), MO_ERR_INTERNAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "has 1 bodies, expected 2"));
    n->n_bodies = 2;
    ok(mo_graph_validate(g, &err));
    /* a back edge in an If */
    struct mo_body *eb = n->bodies[1];
    ok(mo_body_back_edge(eb, eb->outputs[0].result, eb->inputs[0].param, &err));
    ck_assert_int_eq(mo_graph_validate(g, &err), MO_ERR_INTERNAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "loop ports"));
}
END_TEST

/* --- pruning and names ------------------------------------------------------ */

START_TEST(prune_bodies)
{
    struct mo_node *x = param(g, "x", MO_ET_F32, mo_shape_of(3));
    struct mo_node *unused = op(g, "Relu", "unused", 1, (struct mo_value[]){{x, 0}});
    struct mo_node *n = op(g, "TensorIterator", "ti", 2, (struct mo_value[]){{x, 0}, {x, 0}});
    struct mo_body *b = mo_body_add(n, &err);
    struct mo_node *p = param(b->graph, "p", MO_ET_F32, mo_shape_of(3));
    struct mo_node *q = param(b->graph, "q", MO_ET_F32, mo_shape_of(3)); /* fed, never read */
    struct mo_node *dangling = op(b->graph, "Relu", "dangling", 1, (struct mo_value[]){{p, 0}});
    struct mo_node *neg = op(b->graph, "Negative", "neg", 1, (struct mo_value[]){{p, 0}});
    struct mo_node *r = result(b->graph, neg, "r");
    ok(mo_body_input(b, 0, p, NULL, &err));
    ok(mo_body_input(b, 1, q, NULL, &err));
    ok(mo_body_output(b, r, 0, NULL, &err));
    result(g, n, "out");
    mo_graph_prune(g);
    ck_assert(unused->dead);
    ck_assert(!n->dead);
    ck_assert(dangling->dead);
    ck_assert(!neg->dead && !r->dead && !p->dead);
    ck_assert(!q->dead);
    ok(mo_graph_infer(g, &err));
    ok(mo_graph_validate(g, &err));
}
END_TEST

START_TEST(unique_names_across_bodies)
{
    struct mo_node *n = make_if(mo_shape_of(2), mo_shape_of(2), MO_ET_F32);
    struct mo_node *outer_relu = op(g, "Relu", "then/relu", 1, (struct mo_value[]){{n, 0}});
    result(g, outer_relu, "r2");
    struct mo_node *inner_relu = n->bodies[0]->outputs[0].result->inputs[0].node;
    /* the same name in both branches, and as in the outer graph */
    n->bodies[1]->inputs[0].param->name = "then/relu";
    ok(mo_passes_unique_names(g, &err));
    ck_assert_str_eq(outer_relu->name, "then/relu"); /* the outer graph keeps its names */
    ck_assert_str_eq(inner_relu->name, "then/relu_2");
    ck_assert_str_eq(n->bodies[1]->inputs[0].param->name, "then/relu_3");
    ok(mo_graph_infer(g, &err));
    ok(mo_graph_validate(g, &err));
}
END_TEST

/* --- passes inside bodies --------------------------------------------------- */

START_TEST(passes_in_bodies)
{
    struct mo_node *x = param(g, "x", MO_ET_F32, mo_shape_of(2, 3));
    struct mo_node *c_outer = mo_const_f32(g, "k", (float[]){1, 2, 3, 4, 5, 6}, 6, false, &err);
    struct mo_node *n = op(g, "TensorIterator", "ti", 2, (struct mo_value[]){{x, 0}, {c_outer, 0}});
    struct mo_body *b = mo_body_add(n, &err);
    struct mo_graph *bg = b->graph;
    struct mo_node *p = param(bg, "p", MO_ET_F32, mo_shape_of(2, 3));
    struct mo_node *k = param(bg, "k_in", MO_ET_F32, mo_shape_of(6));
    /* Reshape(Const) folds; Multiply by ones goes; the Const compresses */
    struct mo_node *w = mo_const_f32(bg, "w", (float[]){1, -2, 3, -4, 5, -6}, 6, false, &err);
    struct mo_node *shp = mo_const_i64(bg, "w/shape", (int64_t[]){2, 3}, 2, false, &err);
    struct mo_node *w2 = op2(bg, "Reshape", "w2", w, shp);
    mo_node_set_bool(w2, "special_zero", false);
    struct mo_node *ones = mo_const_f32(bg, "ones", (float[]){1}, 1, true, &err);
    struct mo_node *p1 = op2(bg, "Multiply", "p1", p, ones);
    struct mo_node *sum = op2(bg, "Add", "sum", p1, w2);
    struct mo_node *ks = op2(bg, "Reshape", "ks", k, shp);
    mo_node_set_bool(ks, "special_zero", false);
    struct mo_node *sum2 = op2(bg, "Add", "sum2", sum, ks);
    struct mo_node *r = result(bg, sum2, "r");
    ok(mo_body_input(b, 0, p, NULL, &err));
    ok(mo_body_input(b, 1, k, NULL, &err));
    ok(mo_body_output(b, r, 0, NULL, &err));
    result(g, n, "out");
    ok(mo_graph_infer(g, &err));
    struct mo_pass_stats st = {0};
    ok(mo_pass_const_fold(g, false, &st, &err));
    /* the TensorIterator reads only constants and parameters, yet stays */
    ck_assert(!n->dead);
    ck_assert(w2->dead);
    ck_assert(!ks->dead); /* reads a body Parameter */
    ck_assert_ptr_eq(sum->inputs[1].node->graph, bg);
    ck_assert_str_eq(sum->inputs[1].node->type, "Const");
    ck_assert_int_eq(mo_pass_stats_get(&st, "constant_folding", NULL), 1);
    ok(mo_pass_remove_identity(g, &st, &err));
    ck_assert(p1->dead);
    ck_assert_ptr_eq(sum->inputs[0].node, p);
    mo_graph_prune(g);
    ok(mo_graph_infer(g, &err));
    ok(mo_pass_fp16(ctx, g, &st, &err));
    /* the outer constant and the body's folded one, each behind a Convert */
    ck_assert_int_eq(st.fp16_compressed, 2);
    struct mo_node *cv = sum->inputs[1].node;
    ck_assert_str_eq(cv->type, "Convert");
    ck_assert_ptr_nonnull(mo_node_attr(cv, "rt:decompression"));
    ck_assert_int_eq(cv->inputs[0].node->value->et, MO_ET_F16);
    ck_assert_str_eq(n->inputs[1].node->type, "Convert");
    mo_graph_prune(g);
    ok(mo_graph_infer(g, &err));
    ok(mo_graph_validate(g, &err));
}
END_TEST

/* --- the IR writer --------------------------------------------------------- */

static char scratch[256];
static xmlDocPtr doc;

static void write_and_read(const char *name)
{
    snprintf(scratch, sizeof scratch, "%s/mo-body-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(scratch));
    ok(mo_graph_infer(g, &err));
    ok(mo_passes_unique_names(g, &err));
    ok(mo_graph_validate(g, &err));
    ok(mo_ir_write(g, scratch, name, NULL, &err));
    char path[512];
    snprintf(path, sizeof path, "%s/%s.xml", scratch, name);
    doc = xmlReadFile(path, NULL, 0);
    ck_assert_ptr_nonnull(doc);
}

static void cleanup_files(void)
{
    xmlFreeDoc(doc);
    doc = NULL;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    ck_assert_int_eq(system(cmd), 0);
}

static int count(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int count(const char *fmt, ...)
{
    char expr[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(expr, sizeof expr, fmt, ap);
    va_end(ap);
    xmlXPathContextPtr xc = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, xc);
    ck_assert_msg(r != NULL, "bad xpath %s", expr);
    int n = r->nodesetval ? r->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(xc);
    return n;
}

/* The value of the one attribute an XPath selects. */
static const char *text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *text(const char *fmt, ...)
{
    static char buf[16][128];
    static int k;
    char expr[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(expr, sizeof expr, fmt, ap);
    va_end(ap);
    xmlXPathContextPtr xc = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, xc);
    ck_assert_msg(r && r->nodesetval && r->nodesetval->nodeNr == 1, "%s: not one match", expr);
    xmlChar *s = xmlNodeGetContent(r->nodesetval->nodeTab[0]);
    k = (k + 1) % 16;
    snprintf(buf[k], sizeof buf[k], "%s", (const char *)s);
    xmlFree(s);
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(xc);
    return buf[k];
}

#define LOOP "/net/layers/layer[@type='Loop']"
#define BODY LOOP "/body/layers/layer"

START_TEST(write_loop)
{
    make_loop(ci64(g, "tc", 4), cbool(g, "go", true), false);
    write_and_read("loop");
    ck_assert_str_eq(text(LOOP "/@version"), "opset5");
    ck_assert_int_eq(count(LOOP "/data"), 0);
    /* inputs: x (outer 2) -> loop/x, x (outer 3) -> loop/acc */
    ck_assert_int_eq(count(LOOP "/port_map/input[not(@purpose)]"), 2);
    ck_assert_str_eq(text(LOOP "/port_map/input[@external_port_id='2']/@internal_layer_id"),
                     text(BODY "[@name='loop/x']/@id"));
    ck_assert_str_eq(text(LOOP "/port_map/input[@external_port_id='3']/@internal_layer_id"),
                     text(BODY "[@name='loop/acc']/@id"));
    /* outputs number after the 4 inputs; the concatenated one has its slice */
    const char *racc = text(BODY "[@name='loop/next/r']/@id");
    ck_assert_str_eq(text(LOOP "/port_map/output[@external_port_id='4']/@internal_layer_id"), racc);
    ck_assert_str_eq(text(LOOP "/port_map/output[@external_port_id='5']/@internal_layer_id"), racc);
    ck_assert_int_eq(count(LOOP "/port_map/output[@external_port_id='4']/@axis"), 0);
    ck_assert_str_eq(text(LOOP "/port_map/output[@external_port_id='5']/@axis"), "0");
    ck_assert_str_eq(text(LOOP "/port_map/output[@external_port_id='5']/@part_size"), "1");
    ck_assert_str_eq(text(LOOP "/port_map/output[@external_port_id='5']/@end"), "-1");
    /* special ports */
    ck_assert_str_eq(text(LOOP "/port_map/input[@purpose='current_iteration']/@internal_layer_id"),
                     text(BODY "[@name='loop/i']/@id"));
    ck_assert_str_eq(text(LOOP "/port_map/input[@purpose='current_iteration']/@external_port_id"), "-1");
    ck_assert_str_eq(text(LOOP "/port_map/output[@purpose='execution_condition']/@internal_layer_id"),
                     text(BODY "[@name='loop/cond/r']/@id"));
    /* the back edge joins the Result and the Parameter by their body ids */
    ck_assert_int_eq(count(LOOP "/back_edges/edge"), 1);
    ck_assert_str_eq(text(LOOP "/back_edges/edge/@from-layer"), racc);
    ck_assert_str_eq(text(LOOP "/back_edges/edge/@to-layer"), text(BODY "[@name='loop/acc']/@id"));
    /* the body is a graph of its own: ids from 0, edges inside */
    ck_assert_int_eq(count(BODY), 8);
    ck_assert_int_eq(count(BODY "[@id='0']"), 1);
    ck_assert_int_eq(count(LOOP "/body/edges/edge"), 6);
    ck_assert_int_eq(count("/net/layers/layer"), 6); /* x, tc, go, loop, 2 Results */
    /* the Loop's dynamic concatenation axis */
    ck_assert_str_eq(text(LOOP "/output/port[@id='5']/dim[1]"), "-1");
    ck_assert_str_eq(text(LOOP "/output/port[@id='5']/dim[2]"), "3");
    cleanup_files();
}
END_TEST

START_TEST(write_if_and_shared_weights)
{
    struct mo_node *n = make_if(mo_shape_of(2), mo_shape_of(2), MO_ET_F32);
    /* one constant both outside and in the else body: stored once */
    float v[4] = {1, 2, 3, 4};
    struct mo_node *co = mo_const_f32(g, "outer_w", v, 4, false, &err);
    result(g, co, "outer_w/r");
    struct mo_body *eb = n->bodies[1];
    struct mo_node *ci = mo_const_f32(eb->graph, "inner_w", v, 4, false, &err);
    result(eb->graph, ci, "inner_w/r");
    write_and_read("if");
    const char *L = "/net/layers/layer[@type='If']";
    ck_assert_str_eq(text("%s/@version", L), "opset8");
    ck_assert_int_eq(count("%s/then_port_map/input", L), 1);
    ck_assert_str_eq(text("%s/then_port_map/input/@external_port_id", L), "1");
    ck_assert_str_eq(text("%s/else_port_map/input/@external_port_id", L), "2");
    ck_assert_str_eq(text("%s/then_port_map/output/@external_port_id", L), "3");
    ck_assert_str_eq(text("%s/else_port_map/output/@external_port_id", L), "3");
    ck_assert_str_eq(text("%s/then_port_map/output/@internal_layer_id", L),
                     text("%s/then_body/layers/layer[@name='then/r']/@id", L));
    ck_assert_str_eq(text("%s/else_port_map/input/@internal_layer_id", L),
                     text("%s/else_body/layers/layer[@name='else/b']/@id", L));
    ck_assert_int_eq(count("%s/then_body/layers/layer", L), 3);
    ck_assert_int_eq(count("%s/else_body/layers/layer", L), 4);
    /* then before else, both after the ports */
    ck_assert_int_eq(count("%s/then_body/preceding-sibling::output", L), 1);
    ck_assert_int_eq(count("%s/else_body/preceding-sibling::then_body", L), 1);
    ck_assert_int_eq(count("%s/back_edges", L), 0);
    ck_assert_str_eq(text("/net/layers/layer[@name='outer_w']/data/@offset"),
                     text("%s/else_body/layers/layer[@name='inner_w']/data/@offset", L));
    ck_assert_str_eq(text("%s/else_body/layers/layer[@name='inner_w']/data/@size", L), "16");
    char path[512];
    snprintf(path, sizeof path, "%s/if.bin", scratch);
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    ck_assert_int_eq(ftell(f), 16);
    fclose(f);
    cleanup_files();
}
END_TEST

START_TEST(write_ti_and_mapping)
{
    struct ti t = make_ti(mo_shape_of(2, 5, 3), mo_slice_axis(-2), mo_shape_of(2, 1, 3));
    mo_node_add_output_name(t.xt, 0, "x_t_tensor");
    write_and_read("ti");
    const char *L = "/net/layers/layer[@type='TensorIterator']";
    ck_assert_str_eq(text("%s/port_map/input[@external_port_id='0']/@axis", L), "1");
    ck_assert_str_eq(text("%s/port_map/input[@external_port_id='0']/@stride", L), "1");
    ck_assert_str_eq(text("%s/port_map/input[@external_port_id='0']/@start", L), "0");
    ck_assert_int_eq(count("%s/port_map/input[@external_port_id='1']/@axis", L), 0);
    ck_assert_int_eq(count("%s/port_map/*[@purpose]", L), 0);
    ck_assert_str_eq(text("%s/output/port[@id='3']/dim[2]", L), "5");
    xmlFreeDoc(doc);
    char path[512];
    snprintf(path, sizeof path, "%s/ti.mapping", scratch);
    doc = xmlReadFile(path, NULL, 0);
    ck_assert_ptr_nonnull(doc);
    ck_assert_str_eq(text("/mapping/map[framework/@name='x_t_tensor']/IR/@name"), "ti/x");
    cleanup_files();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("body");
    TCase *api = tcase_create("api");
    tcase_add_checked_fixture(api, setup, teardown);
    tcase_add_test(api, body_ownership);
    tcase_add_test(api, body_map_errors);
    suite_add_tcase(s, api);
    TCase *inf = tcase_create("infer");
    tcase_add_checked_fixture(inf, setup, teardown);
    tcase_add_test(inf, infer_ti_slices);
    tcase_add_test(inf, infer_ti_reverse_and_parts);
    tcase_add_test(inf, infer_ti_dynamic_length);
    tcase_add_test(inf, infer_body_error_named);
    tcase_add_test(inf, infer_loop_counts);
    tcase_add_test(inf, infer_loop_unknown_count);
    tcase_add_test(inf, infer_loop_not_started);
    tcase_add_test(inf, infer_loop_trip_count_input);
    tcase_add_test(inf, infer_loop_bad_inputs);
    tcase_add_test(inf, infer_back_edge_grows);
    tcase_add_test(inf, infer_back_edge_type_change);
    tcase_add_test(inf, infer_if_merge);
    tcase_add_test(inf, infer_if_merge_dims);
    tcase_add_test(inf, infer_if_merge_rank);
    tcase_add_test(inf, infer_if_types_differ);
    tcase_add_test(inf, infer_if_unmapped_output);
    suite_add_tcase(s, inf);
    TCase *val = tcase_create("graph");
    tcase_add_checked_fixture(val, setup, teardown);
    tcase_add_test(val, validate_port_maps);
    tcase_add_test(val, validate_body_count);
    tcase_add_test(val, prune_bodies);
    tcase_add_test(val, unique_names_across_bodies);
    tcase_add_test(val, passes_in_bodies);
    suite_add_tcase(s, val);
    TCase *wr = tcase_create("writer");
    tcase_add_checked_fixture(wr, setup, teardown);
    tcase_add_test(wr, write_loop);
    tcase_add_test(wr, write_if_and_shared_weights);
    tcase_add_test(wr, write_ti_and_mapping);
    suite_add_tcase(s, wr);
    return s;
}

int main(void) { return run_suite(suite()); }
