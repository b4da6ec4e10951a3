/* test_pass_transpose_sink.c - transpose_sink.c on graphs built through the
 * API the way an NHWC frontend builds them: Transpose to NCHW before each
 * convolution and back after it.  Counts of Transposes before and after,
 * where the ops' axes and constants went, that the names of the model's
 * outputs stay on the values the Results read, and (on graphs the constant
 * folder can evaluate) that the values come out the same. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>
#include <mo/op.h>

#include "context_private.h"
#include "passes/passes.h"
#include "run_suite.h"

static struct mo_context *ctx;
static struct mo_graph *g;
static struct mo_error err;
static struct mo_pass_stats st;

static const int64_t TO_NCHW[] = {0, 3, 1, 2}, TO_NHWC[] = {0, 2, 3, 1};

static void setup(void)
{
    ctx = mo_context_new();
    mo_context_set_silent(ctx, true);
    g = mo_graph_new(ctx);
    memset(&err, 0, sizeof err);
    memset(&st, 0, sizeof st);
}

static void teardown(void)
{
    mo_graph_free(g);
    mo_context_free(ctx);
}

static unsigned count(const char *type)
{
    unsigned c = 0;
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *n = mo_graph_node(g, i);
        c += !n->dead && !strcmp(n->type, type);
    }
    return c;
}

static struct mo_node *find_type(const char *type)
{
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *n = mo_graph_node(g, i);
        if (!n->dead && !strcmp(n->type, type))
            return n;
    }
    return NULL;
}

static unsigned seq;
static const char *nm(const char *base) { return mo_graph_printf(g, "%s%u", base, seq++); }

static float val(int64_t i) { return (float)(((i * 37 + 11) % 23) - 11) * 0.125f; }

static struct mo_node *cnst(struct mo_shape s)
{
    int64_t n = mo_shape_numel(&s);
    float *v = malloc((size_t)n * sizeof *v);
    for (int64_t i = 0; i < n; i++)
        v[i] = val(i + seq);
    struct mo_tensor *t = mo_tensor_from_data(MO_ET_F32, &s, v, (size_t)n * 4, &err);
    free(v);
    struct mo_node *c = mo_const(g, nm("c"), t, &err);
    ck_assert_ptr_nonnull(c);
    return c;
}

static struct mo_node *op(const char *type, unsigned n, struct mo_value *in)
{
    struct mo_node *x = mo_op(g, type, nm(type), n, in, &err);
    ck_assert_msg(x != NULL, "%s", err.msg);
    return x;
}

static struct mo_node *op1(const char *type, struct mo_node *a)
{
    return op(type, 1, (struct mo_value[]){{a, 0}});
}

static struct mo_node *op2(const char *type, struct mo_node *a, struct mo_node *b)
{
    return op(type, 2, (struct mo_value[]){{a, 0}, {b, 0}});
}

static struct mo_node *ints(const int64_t *v, size_t n, bool scalar)
{
    struct mo_node *c = mo_const_i64(g, nm("i"), v, n, scalar, &err);
    ck_assert_ptr_nonnull(c);
    return c;
}

static struct mo_node *tr(struct mo_node *x, const int64_t *perm, int r)
{
    return op2("Transpose", x, ints(perm, (size_t)r, false));
}

/* NHWC in, NHWC out, NCHW inside: what mo_build_to_nchw/to_nhwc make */
static struct mo_node *conv(struct mo_node *x_nhwc, int64_t cin, int64_t cout)
{
    struct mo_node *c = op2("Convolution", tr(x_nhwc, TO_NCHW, 4), cnst(mo_shape_of(cout, cin, 3, 3)));
    int64_t one[] = {1, 1};
    mo_node_set_ints(c, "strides", one, 2);
    mo_node_set_ints(c, "dilations", one, 2);
    mo_node_set_ints(c, "pads_begin", one, 2);
    mo_node_set_ints(c, "pads_end", one, 2);
    return tr(c, TO_NHWC, 4);
}

static struct mo_node *input(void)
{
    struct mo_node *x = mo_parameter(g, "x", MO_ET_F32, &(struct mo_shape){4, {1, 6, 5, 4}}, &err);
    ck_assert_ptr_nonnull(x);
    mo_node_add_output_name(x, 0, "x");
    return x;
}

static struct mo_node *output(struct mo_node *v, const char *name)
{
    mo_node_add_output_name(v, 0, name);
    struct mo_node *r = mo_result(g, mo_val(v, 0), name, &err);
    ck_assert_ptr_nonnull(r);
    return r;
}

static void sink(void)
{
    ck_assert_msg(mo_graph_infer(g, &err) == MO_OK, "%s", err.msg);
    ck_assert_msg(mo_pass_transpose_sink(g, &st, &err) == MO_OK, "%s", err.msg);
    ck_assert_msg(mo_graph_validate(g, &err) == MO_OK, "%s", err.msg);
}

/* The value a Result reads carries the name, and is what it was before. */
static void result_reads(const struct mo_node *res, const char *name, const char *type,
                         struct mo_shape s)
{
    const struct mo_node *src = res->inputs[0].node;
    const struct mo_output *o = &src->outputs[res->inputs[0].port];
    ck_assert_msg(!strcmp(src->type, type), "%s reads %s, not %s", res->name, src->type, type);
    ck_assert_msg(mo_shape_equal(&o->shape, &s), "%s: shape changed", res->name);
    bool found = false;
    for (unsigned i = 0; i < o->n_names; i++)
        found |= !strcmp(o->names[i], name);
    ck_assert_msg(found, "%s lost the name %s", res->name, name);
}

static struct mo_shape nhwc(int64_t c) { return mo_shape_of(1, 6, 5, c); }

/* conv -> relu -> add [C] -> conv -> relu -> concat with a third conv:
 * one Transpose after the input and one before the output remain. */
START_TEST(chain_cancels_to_the_boundaries)
{
    struct mo_node *x = input();
    struct mo_node *a = conv(x, 4, 8);
    struct mo_node *y = op2("Add", op1("Relu", a), cnst(mo_shape_of(8)));
    struct mo_node *b = op1("Sigmoid", conv(y, 8, 4));
    struct mo_node *c = conv(y, 8, 2);
    struct mo_node *cat = op(
        "Concat", 2, (struct mo_value[]){{b, 0}, {c, 0}});
    mo_node_set_int(cat, "axis", -1);
    struct mo_node *res = output(conv(cat, 6, 3), "out");
    ck_assert_uint_eq(count("Transpose"), 8);
    sink();
    ck_assert_uint_eq(count("Transpose"), 2);
    ck_assert_int_ge(mo_pass_stats_get(&st, "transpose_sinking", "cancelled_pairs"), 3);
    /* the bias moved to NCHW: [8] became [1,8,1,1] with the same values */
    struct mo_node *add = find_type("Add");
    struct mo_tensor *bias = mo_node_const_input(add, 1);
    ck_assert_ptr_nonnull(bias);
    ck_assert(mo_shape_equal(&bias->shape, &(struct mo_shape){4, {1, 8, 1, 1}}));
    for (int i = 0; i < 8; i++)
        ck_assert(mo_tensor_get_f64(bias, i) == mo_tensor_get_f64(mo_node_const_input(y, 1), i));
    /* the concat joins channels, now axis 1 */
    cat = find_type("Concat");
    ck_assert_int_eq(mo_node_get_int(cat, "axis", -9, NULL), 1);
    ck_assert(mo_shape_equal(&cat->outputs[0].shape, &(struct mo_shape){4, {1, 6, 6, 5}}));
    /* every Convolution reads NCHW data from a non-Transpose except the first */
    unsigned from_t = 0;
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *n = mo_graph_node(g, i);
        if (!n->dead && !strcmp(n->type, "Convolution"))
            from_t += !strcmp(n->inputs[0].node->type, "Transpose");
    }
    ck_assert_uint_eq(from_t, 1);
    result_reads(res, "out", "Transpose", nhwc(3));
}
END_TEST

/* A Reshape sees the NHWC order: the Transpose before it stays. */
START_TEST(reshape_keeps_its_transpose)
{
    struct mo_node *x = input();
    struct mo_node *a = op1("Relu", conv(x, 4, 8));
    int64_t flat[] = {1, -1};
    struct mo_node *r = op2("Reshape", a, ints(flat, 2, false));
    mo_node_set_bool(r, "special_zero", false);
    struct mo_node *res = output(r, "flat");
    ck_assert_uint_eq(count("Transpose"), 2);
    sink();
    ck_assert_uint_eq(count("Transpose"), 2);
    /* the Transpose could pass the Relu, but nothing after it would meet
     * it: it stays where the frontend put it */
    r = find_type("Reshape");
    ck_assert_str_eq(r->inputs[0].node->type, "Relu");
    ck_assert_str_eq(r->inputs[0].node->inputs[0].node->type, "Transpose");
    result_reads(res, "flat", "Reshape", mo_shape_of(1, 240));
}
END_TEST

/* A Transpose read by a Result and by a path that cancels: a copy goes
 * down the path, the Result keeps the original. */
START_TEST(fan_out_to_a_result)
{
    struct mo_node *x = input();
    struct mo_node *a = conv(x, 4, 8);
    struct mo_node *r1 = output(a, "feat");
    struct mo_node *r2 = output(conv(op1("Tanh", a), 8, 2), "out");
    ck_assert_uint_eq(count("Transpose"), 4);
    sink();
    ck_assert_uint_eq(count("Transpose"), 3);
    result_reads(r1, "feat", "Transpose", nhwc(8));
    result_reads(r2, "out", "Transpose", nhwc(2));
    ck_assert_str_ne(find_type("Tanh")->inputs[0].node->type, "Transpose");
}
END_TEST

/* Global pooling of NHWC (ReduceMean over H, W without keep_dims) gives
 * [N, C] in either layout: no Transpose after it. */
START_TEST(reduce_without_keep_dims)
{
    struct mo_node *x = input();
    int64_t hw[] = {1, 2};
    struct mo_node *m = op2("ReduceMean", op1("Relu", conv(x, 4, 8)), ints(hw, 2, false));
    mo_node_set_bool(m, "keep_dims", false);
    struct mo_node *res = output(m, "pooled");
    sink();
    ck_assert_uint_eq(count("Transpose"), 1);
    m = find_type("ReduceMean");
    struct mo_tensor *ax = mo_node_const_input(m, 1);
    ck_assert_int_eq(mo_tensor_get_i64(ax, 0), 2);
    ck_assert_int_eq(mo_tensor_get_i64(ax, 1), 3);
    result_reads(res, "pooled", "ReduceMean", mo_shape_of(1, 8));
}
END_TEST

/* Mean over H and W keeping them, then Squeeze of them: [N, C] again. */
START_TEST(reduce_keep_dims_then_squeeze)
{
    struct mo_node *x = input();
    int64_t hw[] = {1, 2};
    struct mo_node *m = op2("ReduceMean", conv(x, 4, 8), ints(hw, 2, false));
    mo_node_set_bool(m, "keep_dims", true);
    struct mo_node *sq = op2("Squeeze", m, ints(hw, 2, false));
    struct mo_node *res = output(sq, "logits");
    sink();
    ck_assert_uint_eq(count("Transpose"), 1);
    struct mo_tensor *ax = mo_node_const_input(find_type("Squeeze"), 1);
    ck_assert_int_eq(mo_tensor_get_i64(ax, 0), 2);
    ck_assert_int_eq(mo_tensor_get_i64(ax, 1), 3);
    result_reads(res, "logits", "Squeeze", mo_shape_of(1, 8));
}
END_TEST

/* Split along channels, each half into a convolution; Pad of H and W. */
START_TEST(split_and_pad)
{
    struct mo_node *x = input();
    int64_t ax = 3;
    struct mo_node *s = op2("Split", conv(x, 4, 8), ints(&ax, 1, true));
    mo_node_set_int(s, "num_splits", 2);
    int64_t pb[] = {0, 1, 1, 0}, pe[] = {0, 0, 2, 0};
    struct mo_node *p = op(
        "Pad", 3, (struct mo_value[]){{s, 1}, {ints(pb, 4, false), 0}, {ints(pe, 4, false), 0}});
    mo_node_set_str(p, "pad_mode", "constant");
    struct mo_node *r1 = output(conv(op(
        "Relu", 1, (struct mo_value[]){{s, 0}}), 4, 2), "a");
    struct mo_node *r2 = output(conv(p, 4, 2), "b");
    ck_assert_uint_eq(count("Transpose"), 6);
    sink();
    ck_assert_uint_eq(count("Transpose"), 3);
    s = find_type("Split");
    ck_assert_int_eq(mo_tensor_get_i64(mo_node_const_input(s, 1), 0), 1);
    p = find_type("Pad");
    int64_t want_b[] = {0, 0, 1, 1}, want_e[] = {0, 0, 0, 2};
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(mo_tensor_get_i64(mo_node_const_input(p, 1), i), want_b[i]);
        ck_assert_int_eq(mo_tensor_get_i64(mo_node_const_input(p, 2), i), want_e[i]);
    }
    result_reads(r1, "a", "Transpose", nhwc(2));
    result_reads(r2, "b", "Transpose", mo_shape_of(1, 7, 8, 2));
}
END_TEST

/* Two Transposes in a row: the identity disappears, another pair becomes
 * one Transpose. */
START_TEST(pairs_merge)
{
    struct mo_node *x = input();
    int64_t swap[] = {0, 1, 3, 2};
    struct mo_node *a = tr(tr(x, TO_NCHW, 4), TO_NHWC, 4);
    struct mo_node *b = tr(tr(x, TO_NCHW, 4), swap, 4);
    struct mo_node *r1 = output(op1("Relu", a), "a");
    struct mo_node *r2 = output(b, "b");
    sink();
    ck_assert_uint_eq(count("Transpose"), 1);
    result_reads(r1, "a", "Relu", nhwc(4));
    struct mo_node *t = r2->inputs[0].node;
    ck_assert_str_eq(t->type, "Transpose");
    ck_assert_ptr_eq(t->inputs[0].node, x);
    struct mo_tensor *o = mo_node_const_input(t, 1);
    int64_t want[] = {0, 3, 2, 1};
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(mo_tensor_get_i64(o, i), want[i]);
    result_reads(r2, "b", "Transpose", mo_shape_of(1, 4, 5, 6));
}
END_TEST

/* An elementwise op whose other operand is neither constant nor
 * transposed the same way keeps the Transpose. */
START_TEST(mixed_operand_stays)
{
    struct mo_node *x = input();
    struct mo_node *y = mo_parameter(g, "y", MO_ET_F32, &(struct mo_shape){4, {1, 6, 5, 8}}, &err);
    struct mo_node *s = op2("Add", conv(x, 4, 8), y);
    output(conv(s, 8, 2), "out");
    sink();
    ck_assert_uint_eq(count("Transpose"), 4);
}
END_TEST

/* Residual blocks (ResNet in NHWC): the shortcut reads the block's input,
 * the Add joins it with the second convolution's; the input of the model
 * itself is a shortcut too (it is read through its Transpose already). */
START_TEST(residual_blocks)
{
    struct mo_node *x = input();
    struct mo_node *y = x;
    for (int b = 0; b < 3; b++) {
        struct mo_node *h = op1("Relu", conv(y, 4, 4));
        y = op1("Relu", op2("Add", conv(h, 4, 4), y));
    }
    struct mo_node *res = output(y, "out");
    ck_assert_uint_eq(count("Transpose"), 12);
    sink();
    ck_assert_uint_eq(count("Transpose"), 2);
    /* the last Relu: nothing after it meets the Transpose, which stays
     * before it (the output is NHWC either way) */
    result_reads(res, "out", "Relu", nhwc(4));
}
END_TEST

/* Values: the same graph built twice on a constant input, once sunk, both
 * folded to constants by the evaluators; the outputs must be equal bit for
 * bit (only data movement changed). */
static void build_foldable(void)
{
    struct mo_node *h = tr(cnst(mo_shape_of(2, 3, 4, 5)), TO_NHWC, 4);       /* [2,4,5,3] */
    struct mo_node *a = op2("Multiply", op1("Relu", op2("Add", h, cnst(mo_shape_of(3)))),
                            cnst(mo_shape_of(5, 1)));                        /* over W */
    struct mo_node *b = op2("Subtract", cnst(mo_shape_of(1, 1, 1)),
                            tr(cnst(mo_shape_of(2, 3, 4, 5)), TO_NHWC, 4));
    struct mo_node *cat = op("Concat", 2, (struct mo_value[]){{a, 0}, {b, 0}});
    mo_node_set_int(cat, "axis", 3);
    /* (Split has one output per part: the folder leaves it alone) */
    struct mo_node *sp = cat;
    int64_t hw[] = {1, 2}, w[] = {2};
    struct mo_node *m = op2("ReduceSum", op("Sigmoid", 1, (struct mo_value[]){{sp, 0}}),
                            ints(hw, 2, false));
    mo_node_set_bool(m, "keep_dims", false);
    struct mo_node *mx = op("ReduceMax", 2, (struct mo_value[]){{sp, 0}, {ints(w, 1, false), 0}});
    mo_node_set_bool(mx, "keep_dims", true);
    struct mo_node *m4 = op2("ReduceSum", tr(cnst(mo_shape_of(2, 3, 4, 5)), TO_NHWC, 4),
                             ints(w, 1, false));
    mo_node_set_bool(m4, "keep_dims", false);
    output(tr(op("Relu", 1, (struct mo_value[]){{sp, 0}}), TO_NCHW, 4), "o1");
    output(m, "o2");
    output(tr(mx, TO_NCHW, 4), "o3");
    output(m4, "o4");
    int64_t one[] = {1};
    struct mo_node *m5 = op2("ReduceSum", tr(cnst(mo_shape_of(2, 3, 4, 5)), TO_NHWC, 4),
                             ints(one, 1, false));
    mo_node_set_bool(m5, "keep_dims", true);
    output(op2("Squeeze", m5, ints(one, 1, false)), "o5");
    ck_assert_msg(mo_graph_infer(g, &err) == MO_OK, "%s", err.msg);
}

static struct mo_tensor *result_value(struct mo_graph *gr, const char *name)
{
    for (unsigned i = 0; i < mo_graph_n_nodes(gr); i++) {
        struct mo_node *n = mo_graph_node(gr, i);
        if (!n->dead && !strcmp(n->type, "Result") && !strcmp(n->name, name)) {
            struct mo_node *src = n->inputs[0].node;
            ck_assert_msg(!strcmp(src->type, "Const"), "%s not folded (%s)", name, src->type);
            return src->value;
        }
    }
    ck_abort_msg("no Result %s", name);
    return NULL;
}

START_TEST(values_unchanged)
{
    seq = 0;
    build_foldable();
    struct mo_graph *keep = g;
    ck_assert(mo_pass_const_fold(keep, false, NULL, &err) == MO_OK);
    g = mo_graph_new(ctx);
    seq = 0;
    build_foldable();
    ck_assert_uint_eq(count("Transpose"), 6);
    sink();
    /* only those after the ReduceSum and the Squeeze whose kept dims change
     * order */
    ck_assert_uint_eq(count("Transpose"), 2);
    ck_assert_int_gt(mo_pass_stats_get(&st, "transpose_sinking", "moved_through"), 3);
    ck_assert(mo_pass_const_fold(g, false, NULL, &err) == MO_OK);
    const char *outs[] = {"o1", "o2", "o3", "o4", "o5"};
    for (int k = 0; k < 5; k++) {
        struct mo_tensor *a = result_value(keep, outs[k]), *b = result_value(g, outs[k]);
        ck_assert_msg(mo_shape_equal(&a->shape, &b->shape), "%s: shape", outs[k]);
        for (int64_t i = 0; i < mo_tensor_numel(a); i++)
            ck_assert_msg(mo_tensor_get_f64(a, i) == mo_tensor_get_f64(b, i), "%s[%ld]", outs[k],
                          (long)i);
    }
    mo_graph_free(keep);
}
END_TEST

/* In the pipeline: on by default and counted for --report, off with
 * disable_transpose_sinking. */
START_TEST(pipeline_switch)
{
    for (int off = 0; off < 2; off++) {
        struct mo_options *o = mo_options_new();
        if (off)
            mo_options_set(o, "disable_transpose_sinking", "1");
        mo_graph_free(g);
        g = mo_graph_new(ctx);
        struct mo_node *x = input();
        output(conv(op1("Relu", conv(x, 4, 8)), 8, 2), "out");
        ck_assert(mo_graph_infer(g, &err) == MO_OK);
        memset(&st, 0, sizeof st);
        ck_assert_msg(mo_passes_run_stats(ctx, g, o, &st, &err) == MO_OK, "%s", err.msg);
        ck_assert_uint_eq(count("Transpose"), off ? 4 : 2);
        ck_assert_int_eq(mo_pass_stats_get(&st, "transpose_sinking", NULL) > 0, !off);
        mo_options_free(o);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("transpose_sink");
    TCase *t = tcase_create("transpose_sink");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, chain_cancels_to_the_boundaries);
    tcase_add_test(t, reshape_keeps_its_transpose);
    tcase_add_test(t, fan_out_to_a_result);
    tcase_add_test(t, reduce_without_keep_dims);
    tcase_add_test(t, reduce_keep_dims_then_squeeze);
    tcase_add_test(t, split_and_pad);
    tcase_add_test(t, pairs_merge);
    tcase_add_test(t, mixed_operand_stays);
    tcase_add_test(t, residual_blocks);
    tcase_add_test(t, values_unchanged);
    tcase_add_test(t, pipeline_switch);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(suite());
}
