/* test_passes.c - every pass on small graphs built through the public API:
 * layer counts by type before and after, and the numbers that come out
 * (folded weights recomputed here by hand from the definitions). */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>
#include <mo/op.h>

#include "context_private.h"
#include "passes/passes.h"
#include "run_suite.h"

static struct mo_context *ctx;
static struct mo_graph *g;
static struct mo_options *opts;
static struct mo_error err;

/* the address of a shape literal */
static struct mo_shape shp_tmp[8];
static unsigned shp_i;
static const struct mo_shape *S(struct mo_shape s)
{
    shp_tmp[shp_i % 8] = s;
    return &shp_tmp[shp_i++ % 8];
}

/* Split/Pad for the tests when the op table does not have them yet. */
static enum mo_status infer_split(struct mo_node *n, struct mo_error *e)
{
    struct mo_shape x = mo_in_shape(n, 0);
    int64_t ax = 0;
    struct mo_tensor *a = mo_node_const_input(n, 1);
    if (a)
        ax = mo_tensor_get_i64(a, 0);
    int64_t k = mo_node_get_int(n, "num_splits", 1, NULL);
    x.dims[ax] /= k;
    for (int64_t i = 0; i < k; i++)
        mo_set_out(n, (unsigned)i, mo_in_et(n, 0), &x);
    (void)e;
    return MO_OK;
}
static const struct mo_attr_spec split_attrs[] = {{"num_splits", MO_ATTR_INT, NULL}};
static const struct mo_op_def t_split = {"Split", "opset1", 2, 2, -1, split_attrs, 1, infer_split, NULL};

static enum mo_status infer_pad(struct mo_node *n, struct mo_error *e)
{
    struct mo_shape x = mo_in_shape(n, 0);
    struct mo_tensor *b = mo_node_const_input(n, 1), *en = mo_node_const_input(n, 2);
    for (int i = 0; i < x.rank; i++)
        x.dims[i] += mo_tensor_get_i64(b, i) + mo_tensor_get_i64(en, i);
    (void)e;
    return mo_set_out(n, 0, mo_in_et(n, 0), &x);
}
static const struct mo_attr_spec pad_attrs[] = {{"pad_mode", MO_ATTR_STRING, "constant"}};
static const struct mo_op_def t_pad = {"Pad", "opset1", 3, 4, 1, pad_attrs, 1, infer_pad, NULL};

static void setup(void)
{
    ctx = mo_context_new();
    g = mo_graph_new(ctx);
    opts = mo_options_new();
    memset(&err, 0, sizeof err);
    struct mo_plugin_ctx pc = {ctx, NULL};
    if (!mo_context_op(ctx, "Split"))
        mo_register_op(&pc, &t_split, NULL);
    if (!mo_context_op(ctx, "Pad"))
        mo_register_op(&pc, &t_pad, NULL);
    mo_context_set_silent(ctx, true);
}

static void teardown(void)
{
    mo_graph_free(g);
    mo_options_free(opts);
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

static float val(int64_t i, float scale) { return (float)(((i * 37 + 11) % 23) - 11) * scale; }

static struct mo_node *cnst(const char *name, struct mo_shape s, float scale)
{
    int64_t n = mo_shape_numel(&s);
    float *v = malloc((size_t)n * sizeof *v);
    for (int64_t i = 0; i < n; i++)
        v[i] = val(i, scale);
    struct mo_tensor *t = mo_tensor_from_data(MO_ET_F32, &s, v, (size_t)n * 4, &err);
    free(v);
    struct mo_node *c = mo_const(g, name, t, &err);
    ck_assert_ptr_nonnull(c);
    return c;
}

static struct mo_node *op2(const char *type, const char *name, struct mo_node *a, struct mo_node *b)
{
    struct mo_node *n = mo_op(g, type, name, 2, (struct mo_value[]){{a, 0}, {b, 0}}, &err);
    ck_assert_msg(n != NULL, "%s", err.msg);
    return n;
}

static struct mo_node *conv(const char *name, struct mo_node *x, struct mo_node *w, int64_t pad,
                            int64_t stride)
{
    struct mo_node *c = op2("Convolution", name, x, w);
    int64_t s[] = {stride, stride}, d[] = {1, 1}, p[] = {pad, pad};
    mo_node_set_ints(c, "strides", s, 2);
    mo_node_set_ints(c, "dilations", d, 2);
    mo_node_set_ints(c, "pads_begin", p, 2);
    mo_node_set_ints(c, "pads_end", p, 2);
    return c;
}

static void finish(struct mo_node *out)
{
    ck_assert_ptr_nonnull(mo_result(g, mo_val(out, 0), "out", &err));
    ck_assert_msg(mo_graph_infer(g, &err) == MO_OK, "%s", err.msg);
}

static void run(void)
{
    enum mo_status st = mo_passes_run(ctx, g, opts, &err);
    ck_assert_msg(st == MO_OK, "%s", err.msg);
    ck_assert_msg(mo_graph_validate(g, &err) == MO_OK, "%s", err.msg);
}

static const struct mo_tensor *weights_of(struct mo_node *n)
{
    ck_assert_ptr_nonnull(n);
    ck_assert(!strcmp(n->inputs[1].node->type, "Const"));
    return n->inputs[1].node->value;
}

/* --- linear fusing ----------------------------------------------------------- */

START_TEST(conv_mul_add_folds)
{
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, S(mo_shape_of(1, 3, 8, 8)), &err);
    struct mo_node *w = cnst("w", mo_shape_of(4, 3, 3, 3), 0.1f);
    struct mo_node *c = conv("conv", x, w, 1, 1);
    struct mo_node *s = cnst("bn/scale", mo_shape_of(1, 4, 1, 1), 0.5f);
    struct mo_node *b = cnst("bn/shift", mo_shape_of(1, 4, 1, 1), 0.25f);
    struct mo_node *m = op2("Multiply", "bn/mul", c, s);
    struct mo_node *a = op2("Add", "bn/add", m, b);
    struct mo_node *r = mo_op(g, "Relu", "relu", 1, (struct mo_value[]){{a, 0}}, &err);
    finish(r);
    ck_assert_uint_eq(count("Multiply"), 1);
    run();
    ck_assert_uint_eq(count("Multiply"), 0);
    ck_assert_uint_eq(count("Add"), 1);
    ck_assert_uint_eq(count("Convolution"), 1);
    const struct mo_tensor *fw = weights_of(find_type("Convolution"));
    for (int64_t o = 0; o < 4; o++)
        for (int64_t e = 0; e < 27; e++) {
            float want = val(o * 27 + e, 0.1f) * val(o, 0.5f);
            ck_assert_float_eq((float)mo_tensor_get_f64(fw, o * 27 + e), want);
        }
    /* the bias Add reads the convolution directly */
    struct mo_node *add = find_type("Add");
    ck_assert(!strcmp(add->inputs[0].node->type, "Convolution"));
}
END_TEST

START_TEST(bias_then_scale_and_two_adds)
{
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, S(mo_shape_of(1, 2, 4, 4)), &err);
    struct mo_node *c = conv("conv", x, cnst("w", mo_shape_of(3, 2, 1, 1), 0.1f), 0, 1);
    struct mo_node *b1 = op2("Add", "bias", c, cnst("b1", mo_shape_of(1, 3, 1, 1), 1.0f));
    struct mo_node *m = op2("Multiply", "mul", b1, cnst("s", mo_shape_of(1, 3, 1, 1), 0.5f));
    struct mo_node *a2 = op2("Add", "add2", m, cnst("b2", mo_shape_of(1, 3, 1, 1), 0.125f));
    finish(a2);
    run();
    ck_assert_uint_eq(count("Multiply"), 0);
    ck_assert_uint_eq(count("Add"), 1);
    struct mo_node *add = find_type("Add");
    const struct mo_tensor *bt = add->inputs[1].node->value;
    for (int64_t o = 0; o < 3; o++)
        ck_assert_float_eq_tol(mo_tensor_get_f64(bt, o), val(o, 1.0f) * val(o, 0.5f) + val(o, 0.125f),
                               1e-6);
}
END_TEST

START_TEST(matmul_scale_folds)
{
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, S(mo_shape_of(2, 5)), &err);
    struct mo_node *mm = op2("MatMul", "fc", x, cnst("w", mo_shape_of(3, 5), 0.1f));
    mo_node_set_bool(mm, "transpose_b", true);
    struct mo_node *m = op2("Multiply", "mul", mm, cnst("s", mo_shape_of(3), 2.0f));
    finish(m);
    run();
    ck_assert_uint_eq(count("Multiply"), 0);
    const struct mo_tensor *w = weights_of(find_type("MatMul"));
    for (int64_t n = 0; n < 3; n++)
        for (int64_t k = 0; k < 5; k++)
            ck_assert_float_eq((float)mo_tensor_get_f64(w, n * 5 + k), val(n * 5 + k, 0.1f) * val(n, 2.0f));
}
END_TEST

START_TEST(disable_fusing_and_finegrain)
{
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, S(mo_shape_of(1, 2, 4, 4)), &err);
    struct mo_node *c = conv("conv1", x, cnst("w", mo_shape_of(3, 2, 1, 1), 0.1f), 0, 1);
    struct mo_node *m = op2("Multiply", "Scale1", c, cnst("s", mo_shape_of(1, 3, 1, 1), 0.5f));
    finish(m);
    mo_options_set(opts, "finegrain_fusing", "conv0,.*Scale.*");
    run();
    ck_assert_uint_eq(count("Multiply"), 1);
    mo_options_set(opts, "finegrain_fusing", NULL);
    mo_options_set(opts, "disable_fusing", "1");
    run();
    ck_assert_uint_eq(count("Multiply"), 1);
    mo_options_set(opts, "disable_fusing", NULL);
    run();
    ck_assert_uint_eq(count("Multiply"), 0);
}
END_TEST

START_TEST(finegrain_bad_regex)
{
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, S(mo_shape_of(1, 2)), &err);
    finish(mo_op(g, "Relu", "r", 1, (struct mo_value[]){{x, 0}}, &err));
    mo_options_set(opts, "finegrain_fusing", "conv(1");
    ck_assert_int_eq(mo_passes_run(ctx, g, opts, &err), MO_ERR_INVALID_ARG);
    ck_assert_int_eq(err.faq, 20);
}
END_TEST

/* --- preprocessing ------------------------------------------------------------ */

static struct mo_node *pre_graph(int64_t pad)
{
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, S(mo_shape_of(1, 3, 6, 6)), &err);
    mo_node_add_output_name(x, 0, "data");
    struct mo_node *c = conv("conv", x, cnst("w", mo_shape_of(2, 3, 3, 3), 0.1f), pad, 1);
    finish(c);
    return c;
}

START_TEST(mean_scale_reverse_fold_without_padding)
{
    pre_graph(0);
    mo_options_set(opts, "mean_values", "data[10,20,30]");
    mo_options_set(opts, "scale_values", "data[2,4,8]");
    mo_options_set(opts, "reverse_input_channels", "1");
    run();
    ck_assert_uint_eq(count("Subtract"), 0);
    ck_assert_uint_eq(count("Multiply"), 0);
    ck_assert_uint_eq(count("Gather"), 0);
    ck_assert_uint_eq(count("Add"), 1);
    /* y[c] = (x[2-c] - m[c]) / s[c] into conv: W'[o,c'] = W[o,2-c'] / s[2-c'],
     * bias[o] = -sum W[o,c,k] m[c] / s[c] */
    double m[3] = {10, 20, 30}, s[3] = {2, 4, 8};
    const struct mo_tensor *w = weights_of(find_type("Convolution"));
    for (int64_t o = 0; o < 2; o++) {
        double bias = 0;
        for (int64_t c = 0; c < 3; c++)
            for (int64_t k = 0; k < 9; k++) {
                double orig = val((o * 3 + c) * 9 + k, 0.1f);
                bias -= orig * m[c] / s[c];
                double got = (float)mo_tensor_get_f64(w, (o * 3 + (2 - c)) * 9 + k);
                ck_assert_float_eq_tol(got, orig / s[c], 1e-6);
            }
        const struct mo_tensor *bt = find_type("Add")->inputs[1].node->value;
        ck_assert_float_eq_tol(mo_tensor_get_f64(bt, o), bias, 1e-4);
    }
}
END_TEST

START_TEST(mean_stays_with_padding)
{
    pre_graph(1);
    mo_options_set(opts, "mean_values", "[10,20,30]");
    mo_options_set(opts, "scale", "255");
    run();
    ck_assert_uint_eq(count("Subtract"), 1);
    ck_assert_uint_eq(count("Multiply"), 0);
    const struct mo_tensor *w = weights_of(find_type("Convolution"));
    ck_assert_float_eq_tol((float)mo_tensor_get_f64(w, 0), val(0, 0.1f) / 255.0, 1e-7);
}
END_TEST

START_TEST(preprocess_bad_counts)
{
    pre_graph(0);
    mo_options_set(opts, "mean_values", "data[1,2]");
    ck_assert_int_eq(mo_passes_run(ctx, g, opts, &err), MO_ERR_INVALID_ARG);
    ck_assert_int_eq(err.faq, 19);
    mo_options_set(opts, "mean_values", "[1,2,3],[4,5,6]");
    ck_assert_int_eq(mo_passes_run(ctx, g, opts, &err), MO_ERR_INVALID_ARG);
    ck_assert_int_eq(err.faq, 19);
    mo_options_set(opts, "mean_values", "nosuch[1,2,3]");
    ck_assert_int_eq(mo_passes_run(ctx, g, opts, &err), MO_ERR_NOT_FOUND);
    ck_assert_int_eq(err.faq, 15);
}
END_TEST

START_TEST(layout_recorded_and_channel_from_layout)
{
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, S(mo_shape_of(1, 5, 5, 3)), &err);
    struct mo_node *r = mo_op(g, "Relu", "r", 1, (struct mo_value[]){{x, 0}}, &err);
    finish(r);
    mo_options_set(opts, "layout", "data(nhwc)");
    mo_options_set(opts, "mean_values", "data[1,2,3]");
    run();
    ck_assert_str_eq(mo_node_get_str(x, "rt_port0:layout", ""), "[N,H,W,C]");
    struct mo_node *sub = find_type("Subtract");
    ck_assert_ptr_nonnull(sub);
    const struct mo_tensor *mt = sub->inputs[1].node->value;
    ck_assert_int_eq(mt->shape.rank, 4);
    ck_assert_int_eq(mt->shape.dims[3], 3);
    ck_assert_int_eq(mt->shape.dims[1], 1);
    mo_options_set(opts, "layout", "data(nchw)");
    ck_assert_int_eq(mo_passes_run(ctx, g, opts, &err), MO_ERR_INVALID_ARG);
}
END_TEST

START_TEST(target_layout_transposes)
{
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, S(mo_shape_of(1, 3, 4, 5)), &err);
    finish(mo_op(g, "Relu", "r", 1, (struct mo_value[]){{x, 0}}, &err));
    mo_options_set(opts, "layout", "data(nchw->nhwc)");
    run();
    ck_assert_int_eq(x->outputs[0].shape.dims[3], 3);
    ck_assert_int_eq(x->outputs[0].shape.dims[1], 4);
    ck_assert_uint_eq(count("Transpose"), 1);
    ck_assert_str_eq(mo_node_get_str(x, "rt_port0:layout", ""), "[N,H,W,C]");
    ck_assert_int_eq(find_type("Relu")->outputs[0].shape.dims[1], 3);
}
END_TEST

/* --- folding, identities, fp16 -------------------------------------------------- */

START_TEST(const_fold_and_identity)
{
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, S(mo_shape_of(2, 3)), &err);
    struct mo_node *k = op2("Add", "k", cnst("a", mo_shape_of(2, 3), 1.0f), cnst("b", mo_shape_of(2, 3), 2.0f));
    struct mo_node *y = op2("Add", "y", x, k);
    float ones[6] = {1, 1, 1, 1, 1, 1};
    struct mo_node *one = mo_const(g, "ones", mo_tensor_from_data(MO_ET_F32, S(mo_shape_of(2, 3)), ones,
                                                                  sizeof ones, &err), &err);
    struct mo_node *m = op2("Multiply", "times_one", y, one);
    int64_t shp[] = {2, 3};
    struct mo_node *rs = op2("Reshape", "same_shape", m, mo_const_i64(g, "shape", shp, 2, false, &err));
    mo_node_set_bool(rs, "special_zero", false);
    mo_node_add_output_name(rs, 0, "result_tensor");
    finish(rs);
    run();
    ck_assert_uint_eq(count("Add"), 1);
    ck_assert_uint_eq(count("Multiply"), 0);
    ck_assert_uint_eq(count("Reshape"), 0);
    struct mo_node *add = find_type("Add");
    const struct mo_tensor *kt = add->inputs[1].node->value;
    for (int64_t i = 0; i < 6; i++)
        ck_assert_float_eq(mo_tensor_get_f64(kt, i), val(i, 1.0f) + val(i, 2.0f));
    /* the removed node's tensor name moved to the value that replaced it */
    bool named = false;
    for (unsigned i = 0; i < add->outputs[0].n_names; i++)
        named |= !strcmp(add->outputs[0].names[i], "result_tensor");
    ck_assert(named);
}
END_TEST

START_TEST(fp16_compression)
{
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, S(mo_shape_of(1, 2, 4, 4)), &err);
    struct mo_node *c = conv("conv", x, cnst("w", mo_shape_of(3, 2, 1, 1), 0.1f), 0, 1);
    float big[3] = {1e6f, 1, 2};
    struct mo_node *bc = mo_const_f32(g, "big", big, 3, false, &err);
    struct mo_tensor *bt = mo_tensor_reshaped(bc->value, S(mo_shape_of(1, 3, 1, 1)), &err);
    mo_tensor_unref(bc->value);
    bc->value = bt;
    bc->outputs[0].shape = bt->shape;
    struct mo_node *a = op2("Add", "bias", c, bc);
    finish(a);
    mo_options_set(opts, "data_type", "FP16");
    struct mo_pass_stats st = {0};
    ck_assert_int_eq(mo_passes_run_stats(ctx, g, opts, &st, &err), MO_OK);
    ck_assert_uint_eq(count("Convert"), 1);
    struct mo_node *cv = find_type("Convert");
    ck_assert_ptr_nonnull(mo_node_attr(cv, "rt:decompression"));
    ck_assert_str_eq(mo_node_get_str(cv, "destination_type", ""), "f32");
    ck_assert_int_eq(cv->inputs[0].node->value->et, MO_ET_F16);
    ck_assert_int_eq(cv->outputs[0].et, MO_ET_F32);
    ck_assert_int_eq(st.fp16_compressed, 1);
    ck_assert_int_eq(st.fp16_kept_f32, 1);
    ck_assert_int_eq(st.fp16_overflow, 1);
    ck_assert_int_eq(find_type("Add")->inputs[1].node->value->et, MO_ET_F32);
    mo_options_set(opts, "data_type", "FP8");
    ck_assert_int_eq(mo_passes_run(ctx, g, opts, &err), MO_ERR_INVALID_ARG);
    ck_assert_int_eq(err.faq, 22);
}
END_TEST

/* --- grouped convolution, pad, stride ------------------------------------------------ */

START_TEST(split_convs_concat_to_group)
{
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, S(mo_shape_of(1, 4, 5, 5)), &err);
    int64_t axis = 1;
    struct mo_node *ax = mo_const_i64(g, "axis", &axis, 1, true, &err);
    struct mo_node *sp = op2("Split", "split", x, ax);
    mo_node_set_int(sp, "num_splits", 2);
    struct mo_node *c0 = mo_op(g, "Convolution", "c0", 2,
                               (struct mo_value[]){{sp, 0}, {cnst("w0", mo_shape_of(3, 2, 3, 3), 0.1f), 0}}, &err);
    struct mo_node *c1 = mo_op(g, "Convolution", "c1", 2,
                               (struct mo_value[]){{sp, 1}, {cnst("w1", mo_shape_of(3, 2, 3, 3), 0.2f), 0}}, &err);
    int64_t one[] = {1, 1}, zero[] = {0, 0};
    struct mo_node *cs[] = {c0, c1};
    for (int i = 0; i < 2; i++) {
        mo_node_set_ints(cs[i], "strides", one, 2);
        mo_node_set_ints(cs[i], "dilations", one, 2);
        mo_node_set_ints(cs[i], "pads_begin", zero, 2);
        mo_node_set_ints(cs[i], "pads_end", zero, 2);
    }
    struct mo_node *cat = mo_op(g, "Concat", "cat", 2, (struct mo_value[]){{c0, 0}, {c1, 0}}, &err);
    mo_node_set_int(cat, "axis", 1);
    finish(cat);
    run();
    ck_assert_uint_eq(count("Convolution"), 0);
    ck_assert_uint_eq(count("GroupConvolution"), 1);
    ck_assert_uint_eq(count("Split"), 0);
    ck_assert_uint_eq(count("Concat"), 0);
    struct mo_node *gc = find_type("GroupConvolution");
    const struct mo_tensor *w = weights_of(gc);
    ck_assert_int_eq(w->shape.rank, 5);
    ck_assert_int_eq(w->shape.dims[0], 2);
    ck_assert_float_eq((float)mo_tensor_get_f64(w, 54), val(0, 0.2f));
    ck_assert_int_eq(gc->outputs[0].shape.dims[1], 6);
    mo_options_set(opts, "disable_gfusing", "1");
}
END_TEST

START_TEST(pad_into_conv)
{
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, S(mo_shape_of(1, 2, 5, 5)), &err);
    int64_t b[] = {0, 0, 1, 2}, e[] = {0, 0, 1, 0};
    struct mo_node *pad = mo_op(g, "Pad", "pad", 3,
                                (struct mo_value[]){{x, 0}, {mo_const_i64(g, "pb", b, 4, false, &err), 0},
                                                    {mo_const_i64(g, "pe", e, 4, false, &err), 0}}, &err);
    mo_node_set_str(pad, "pad_mode", "constant");
    struct mo_node *c = conv("conv", pad, cnst("w", mo_shape_of(3, 2, 3, 3), 0.1f), 1, 1);
    finish(c);
    int64_t want_h = c->outputs[0].shape.dims[2], want_w = c->outputs[0].shape.dims[3];
    run();
    ck_assert_uint_eq(count("Pad"), 0);
    int64_t pb[2], pe[2];
    ck_assert_int_eq(mo_node_get_ints(c, "pads_begin", pb, 2), 2);
    mo_node_get_ints(c, "pads_end", pe, 2);
    ck_assert_int_eq(pb[0], 2);
    ck_assert_int_eq(pb[1], 3);
    ck_assert_int_eq(pe[0], 2);
    ck_assert_int_eq(pe[1], 1);
    ck_assert_int_eq(c->outputs[0].shape.dims[2], want_h);
    ck_assert_int_eq(c->outputs[0].shape.dims[3], want_w);
}
END_TEST

/* --- activation fusing --------------------------------------------------------- */

static struct mo_node *unary(const char *type, const char *name, struct mo_node *a)
{
    struct mo_node *n = mo_op(g, type, name, 1, (struct mo_value[]){{a, 0}}, &err);
    ck_assert_msg(n != NULL, "%s", err.msg);
    return n;
}

static struct mo_node *scalar(const char *name, float v)
{
    struct mo_shape s = mo_shape_scalar();
    struct mo_node *c = mo_const(g, name, mo_tensor_from_data(MO_ET_F32, &s, &v, 4, &err), &err);
    ck_assert_ptr_nonnull(c);
    return c;
}

START_TEST(swish_and_gelu_fuse)
{
    struct mo_shape s = mo_shape_make(2, (int64_t[]){2, 8});
    struct mo_node *x = mo_parameter(g, "x", MO_ET_F32, &s, &err);
    /* x * sigmoid(x) (the sigmoid second, as torch writes SiLU) */
    struct mo_node *sw = op2("Multiply", "silu", x, unary("Sigmoid", "sig", x));
    /* (sw * (1 + erf(sw / sqrt2))) * 0.5, as torch writes GELU */
    struct mo_node *d = op2("Divide", "div", sw, scalar("sqrt2", 1.4142135f));
    struct mo_node *a = op2("Add", "add", unary("Erf", "erf", d), scalar("one", 1.0f));
    struct mo_node *ge = op2("Multiply", "gelu", op2("Multiply", "inner", sw, a), scalar("half", 0.5f));
    finish(ge);
    run();
    ck_assert_uint_eq(count("Swish"), 1);
    ck_assert_uint_eq(count("Gelu"), 1);
    ck_assert_uint_eq(count("Multiply") + count("Sigmoid") + count("Erf") + count("Divide"), 0);
    struct mo_node *gl = find_type("Gelu");
    ck_assert_str_eq(gl->name, "gelu");
    ck_assert_str_eq(gl->inputs[0].node->type, "Swish");
    ck_assert_str_eq(mo_node_get_str(gl, "approximation_mode", "?"), "ERF");
}
END_TEST

START_TEST(activation_fusing_keeps_shared_values)
{
    struct mo_shape s = mo_shape_make(2, (int64_t[]){2, 8});
    struct mo_node *x = mo_parameter(g, "x", MO_ET_F32, &s, &err);
    struct mo_node *sig = unary("Sigmoid", "sig", x);
    /* the sigmoid also feeds a second output: nothing may fuse */
    struct mo_node *m = op2("Multiply", "silu", x, sig);
    ck_assert_ptr_nonnull(mo_result(g, mo_val(sig, 0), "sig_out", &err));
    /* x * 0.5 * (1 + erf(x / 2)): not sqrt 2, not GELU */
    struct mo_node *d = op2("Divide", "div", m, scalar("two", 2.0f));
    struct mo_node *a = op2("Add", "add", unary("Erf", "erf", d), scalar("one", 1.0f));
    finish(op2("Multiply", "g", op2("Multiply", "inner", m, a), scalar("half", 0.5f)));
    run();
    ck_assert_uint_eq(count("Swish") + count("Gelu"), 0);
    ck_assert_uint_eq(count("Sigmoid"), 1);
    ck_assert_uint_eq(count("Erf"), 1);
}
END_TEST

/* --- common subexpressions, shape arithmetic ---------------------------------- */

static struct mo_node *i64c(const char *name, const int64_t *v, size_t n, bool scalar)
{
    struct mo_node *c = mo_const_i64(g, name, v, n, scalar, &err);
    ck_assert_ptr_nonnull(c);
    return c;
}

START_TEST(cse_merges_repeated_shape_arithmetic)
{
    struct mo_shape s = mo_shape_make(3, (int64_t[]){-1, 4, 6});
    struct mo_node *x = mo_parameter(g, "x", MO_ET_F32, &s, &err);
    /* the exporter's way, twice: the batch dim of x, made 1-D, with [-1] */
    struct mo_node *r[2];
    for (int k = 0; k < 2; k++) {
        char nm[64];
        snprintf(nm, sizeof nm, "shape%d", k);
        struct mo_node *sh = unary("ShapeOf", nm, x);
        snprintf(nm, sizeof nm, "gather%d", k);
        struct mo_node *ga = mo_op(g, "Gather", nm, 3,
                                   (struct mo_value[]){{sh, 0}, {i64c("k", (int64_t[]){0}, 1, true), 0},
                                                       {i64c("ax", (int64_t[]){0}, 1, true), 0}}, &err);
        ck_assert_ptr_nonnull(ga);
        snprintf(nm, sizeof nm, "unsq%d", k);
        struct mo_node *u = op2("Unsqueeze", nm, ga, i64c("uax", (int64_t[]){0}, 1, false));
        snprintf(nm, sizeof nm, "cat%d", k);
        struct mo_node *cat = op2("Concat", nm, u, i64c("m1", (int64_t[]){-1}, 1, false));
        mo_node_set_int(cat, "axis", 0);
        snprintf(nm, sizeof nm, "reshape%d", k);
        r[k] = op2("Reshape", nm, x, cat);
        mo_node_set_bool(r[k], "special_zero", false);
    }
    finish(op2("Add", "sum", r[0], r[1]));
    run();
    ck_assert_uint_eq(count("ShapeOf"), 1);
    ck_assert_uint_eq(count("Gather"), 1);
    ck_assert_uint_eq(count("Unsqueeze"), 0);
    ck_assert_uint_eq(count("Reshape"), 1);
    struct mo_node *ga = find_type("Gather");
    ck_assert_int_eq(ga->inputs[1].node->value->shape.rank, 1);
    struct mo_shape os = find_type("Reshape")->outputs[0].shape;
    ck_assert_int_eq(os.rank, 2);
    ck_assert_int_eq(os.dims[1], -1);
}
END_TEST

START_TEST(static_dims_of_a_dynamic_shape_fold)
{
    struct mo_shape s = mo_shape_make(3, (int64_t[]){-1, 4, 6});
    struct mo_node *x = mo_parameter(g, "x", MO_ET_F32, &s, &err);
    struct mo_node *sh = unary("ShapeOf", "shape", x);
    /* dims 2 and 1 are static: [6, 4] whatever the batch */
    struct mo_node *ga = mo_op(g, "Gather", "dims", 3,
                               (struct mo_value[]){{sh, 0}, {i64c("k", (int64_t[]){2, -2}, 2, false), 0},
                                                   {i64c("ax", (int64_t[]){0}, 1, true), 0}}, &err);
    ck_assert_ptr_nonnull(ga);
    /* dim 0 is not: that Gather stays */
    struct mo_node *gb = mo_op(g, "Gather", "batch", 3,
                               (struct mo_value[]){{sh, 0}, {i64c("k0", (int64_t[]){0}, 1, false), 0},
                                                   {i64c("ax0", (int64_t[]){0}, 1, true), 0}}, &err);
    struct mo_node *cat = op2("Concat", "target", gb, ga);
    mo_node_set_int(cat, "axis", 0);
    struct mo_node *r = op2("Reshape", "r", x, cat);
    mo_node_set_bool(r, "special_zero", false);
    finish(r);
    run();
    ck_assert_uint_eq(count("Gather"), 1);
    ck_assert_str_eq(find_type("Gather")->name, "batch");
    struct mo_node *c = find_type("Concat")->inputs[1].node;
    ck_assert_str_eq(c->type, "Const");
    ck_assert_int_eq(mo_tensor_get_i64(c->value, 0), 6);
    ck_assert_int_eq(mo_tensor_get_i64(c->value, 1), 4);
}
END_TEST

START_TEST(cse_keeps_outputs_apart)
{
    struct mo_shape s = mo_shape_make(2, (int64_t[]){-1, 4});
    struct mo_node *x = mo_parameter(g, "x", MO_ET_F32, &s, &err);
    /* two model outputs computing the same: each keeps its own node */
    ck_assert_ptr_nonnull(mo_result(g, mo_val(unary("Relu", "a", x), 0), "ra", &err));
    finish(unary("Relu", "b", x));
    run();
    ck_assert_uint_eq(count("Relu"), 2);
}
END_TEST

START_TEST(stride_moves_up)
{
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, S(mo_shape_of(1, 2, 9, 9)), &err);
    struct mo_node *c1 = conv("c3x3", x, cnst("w1", mo_shape_of(4, 2, 3, 3), 0.1f), 1, 1);
    struct mo_node *r = mo_op(g, "Relu", "relu", 1, (struct mo_value[]){{c1, 0}}, &err);
    struct mo_node *c2 = conv("c1x1", r, cnst("w2", mo_shape_of(4, 4, 1, 1), 0.1f), 0, 2);
    finish(c2);
    int64_t h = c2->outputs[0].shape.dims[2];
    mo_options_set(opts, "disable_resnet_optimization", "1");
    run();
    int64_t s[2];
    mo_node_get_ints(c1, "strides", s, 2);
    ck_assert_int_eq(s[0], 1);
    mo_options_set(opts, "disable_resnet_optimization", NULL);
    run();
    mo_node_get_ints(c1, "strides", s, 2);
    ck_assert_int_eq(s[0], 2);
    mo_node_get_ints(c2, "strides", s, 2);
    ck_assert_int_eq(s[0], 1);
    ck_assert_int_eq(c2->outputs[0].shape.dims[2], h);
    ck_assert_int_eq(c1->outputs[0].shape.dims[2], h);
}
END_TEST

/* A residual Add whose other input is the graph's input, which cannot take
 * the stride: that input is subsampled by a 1x1 MaxPool of stride 2. */
START_TEST(stride_subsamples_residual)
{
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, S(mo_shape_of(1, 2, 9, 9)), &err);
    struct mo_node *c1 = conv("c3x3", x, cnst("w1", mo_shape_of(2, 2, 3, 3), 0.1f), 1, 1);
    struct mo_node *r = mo_op(g, "Relu", "relu", 1, (struct mo_value[]){{c1, 0}}, &err);
    struct mo_node *add = op2("Add", "add", r, x);
    struct mo_node *c2 = conv("c1x1", add, cnst("w2", mo_shape_of(4, 2, 1, 1), 0.1f), 0, 2);
    finish(c2);
    int64_t h = c2->outputs[0].shape.dims[2];
    run();
    int64_t s[2];
    mo_node_get_ints(c1, "strides", s, 2);
    ck_assert_int_eq(s[0], 2);
    mo_node_get_ints(c2, "strides", s, 2);
    ck_assert_int_eq(s[0], 1);
    struct mo_node *mp = add->inputs[1].node;
    ck_assert_str_eq(mp->type, "MaxPool");
    ck_assert_ptr_eq(mp->inputs[0].node, x);
    mo_node_get_ints(mp, "strides", s, 2);
    ck_assert_int_eq(s[0], 2);
    ck_assert_int_eq(c2->outputs[0].shape.dims[2], h);
    ck_assert_uint_eq(count("MaxPool"), 1);
}
END_TEST

/* --- the framework-graph inputs pass -------------------------------------------------- */

static struct mo_node *fw_node(struct mo_graph *fw, const char *type, const char *name,
                               struct mo_node *in)
{
    struct mo_node *n = mo_graph_add_node(fw, type, name, in ? 1 : 0, 1);
    if (in)
        mo_node_set_input(n, 0, mo_val(in, 0));
    return n;
}

START_TEST(inputs_freeze_cut_output)
{
    struct mo_graph *fw = mo_graph_new(ctx);
    struct mo_node *p = fw_node(fw, "Parameter", "data", NULL);
    p->outputs[0].et = MO_ET_F32;
    p->outputs[0].shape = mo_shape_of(1, 3, 8, 8);
    struct mo_node *f = fw_node(fw, "Parameter", "flag", NULL);
    f->outputs[0].et = MO_ET_F32;
    f->outputs[0].shape = mo_shape_of(2);
    struct mo_node *a = fw_node(fw, "Convolution", "conv1", p);
    struct mo_node *b = fw_node(fw, "Activation", "relu1", a);
    struct mo_node *c = fw_node(fw, "Pooling", "pool1", b);
    mo_node_add_input(c, mo_val(f, 0));
    mo_graph_add_output(fw, mo_val(c, 0));

    mo_options_set(opts, "input", "flag->[1 2],relu1[1,4,8,8]");
    mo_options_set(opts, "output", "relu1");
    ck_assert_msg(mo_passes_front_framework(ctx, fw, opts, &err) == MO_OK, "%s", err.msg);
    ck_assert_str_eq(f->type, "Const");
    ck_assert_int_eq(mo_tensor_numel(f->value), 2);
    ck_assert_float_eq(mo_tensor_get_f64(f->value, 1), 2);
    /* cut at relu1's input: a new Parameter feeds it; conv1, data, pool1 go */
    struct mo_node *np = b->inputs[0].node;
    ck_assert_str_eq(np->type, "Parameter");
    ck_assert_int_eq(np->outputs[0].shape.dims[1], 4);
    ck_assert(a->dead && p->dead && c->dead && f->dead);
    ck_assert_uint_eq(mo_graph_n_outputs(fw), 1);
    ck_assert_ptr_eq(mo_graph_output(fw, 0).node, b);
    mo_graph_free(fw);
}
END_TEST

START_TEST(inputs_errors)
{
    struct mo_graph *fw = mo_graph_new(ctx);
    struct mo_node *p = fw_node(fw, "Parameter", "data", NULL);
    p->outputs[0].et = MO_ET_F32;
    p->outputs[0].shape = mo_shape_of(1, 3, 8, 8);
    mo_graph_add_output(fw, mo_val(fw_node(fw, "Activation", "relu", p), 0));
    static const struct { const char *k, *v, *k2, *v2; int faq; } cases[] = {
        {"input", "nosuch", NULL, NULL, 15},
        {"output", "nosuch", NULL, NULL, 15},
        {"input_shape", "[1,3,8]", NULL, NULL, 14},
        {"input", "data[1,3,8]", NULL, NULL, 14},
        {"batch", "-2", NULL, NULL, 13},
        {"batch", "0", NULL, NULL, 13},
        {"input_shape", "[1,3,8,8]", "batch", "2", 13},
        {"input_shape", "[1,-3,8,8]", NULL, NULL, 14},
        {"input", "data->[1 2 x]", NULL, NULL, 18},
        {"freeze_placeholder_with_value", "relu->1", NULL, NULL, 15},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct mo_options *o = mo_options_new();
        mo_options_set(o, cases[i].k, cases[i].v);
        if (cases[i].k2)
            mo_options_set(o, cases[i].k2, cases[i].v2);
        memset(&err, 0, sizeof err);
        ck_assert_msg(mo_passes_front_framework(ctx, fw, o, &err) != MO_OK, "case %zu passed", i);
        ck_assert_msg(err.faq == cases[i].faq, "case %zu: faq %d (%s)", i, err.faq, err.msg);
        mo_options_free(o);
    }
    mo_graph_free(fw);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("passes");
    TCase *t = tcase_create("passes");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, conv_mul_add_folds);
    tcase_add_test(t, bias_then_scale_and_two_adds);
    tcase_add_test(t, matmul_scale_folds);
    tcase_add_test(t, disable_fusing_and_finegrain);
    tcase_add_test(t, finegrain_bad_regex);
    tcase_add_test(t, mean_scale_reverse_fold_without_padding);
    tcase_add_test(t, mean_stays_with_padding);
    tcase_add_test(t, preprocess_bad_counts);
    tcase_add_test(t, layout_recorded_and_channel_from_layout);
    tcase_add_test(t, target_layout_transposes);
    tcase_add_test(t, const_fold_and_identity);
    tcase_add_test(t, fp16_compression);
    tcase_add_test(t, split_convs_concat_to_group);
    tcase_add_test(t, pad_into_conv);
    tcase_add_test(t, swish_and_gelu_fuse);
    tcase_add_test(t, activation_fusing_keeps_shared_values);
    tcase_add_test(t, cse_merges_repeated_shape_arithmetic);
    tcase_add_test(t, cse_keeps_outputs_apart);
    tcase_add_test(t, static_dims_of_a_dynamic_shape_fold);
    tcase_add_test(t, stride_moves_up);
    tcase_add_test(t, stride_subsamples_residual);
    tcase_add_test(t, inputs_freeze_cut_output);
    tcase_add_test(t, inputs_errors);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(suite());
}
