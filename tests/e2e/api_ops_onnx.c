/* api_ops_onnx.c - one small IR per group of the ops added for the ONNX
 * frontend, built through the public API alone, so that api_ops_onnx.py can
 * run each in the real OpenVINO Runtime and compare it with numpy.
 *
 * Every case NAME becomes OUTDIR/NAME.{xml,bin,mapping}.  Inputs are
 * Parameters the Python side feeds; weights are Consts of reproducible
 * random values, also written raw (little-endian f32) to
 * OUTDIR/NAME.CONST.f32 for the reference.  Small Consts (axes, sizes)
 * are repeated literally in the Python file.
 *
 * usage: api_ops_onnx OUTDIR */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

static const char *dir;
static const char *case_name;
static struct mo_context *ctx;
static struct mo_graph *g;
static struct mo_error err;

static void die(const char *what)
{
    fprintf(stderr, "api_ops_onnx: %s: %s: %s\n", case_name ? case_name : "-", what, err.msg);
    exit(1);
}

/* xorshift: reproducible values without libc's rand() differences */
static uint32_t rng_state = 2463534242u;
static float next_uniform(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return (float)(rng_state & 0xffffff) / (float)0x1000000 * 2.0f - 1.0f;
}

static void begin(const char *name)
{
    case_name = name;
    g = mo_graph_new(ctx);
    if (!g)
        die("graph");
}

static void finish(void)
{
    if (mo_graph_infer(g, &err) != MO_OK)
        die("infer");
    if (mo_graph_validate(g, &err) != MO_OK)
        die("validate");
    if (mo_ir_write(g, dir, case_name, NULL, &err) != MO_OK)
        die("write");
    mo_graph_free(g);
    g = NULL;
}

static struct mo_value param(const char *name, enum mo_etype et, struct mo_shape s)
{
    struct mo_node *p = mo_parameter(g, name, et, &s, &err);
    if (!p)
        die(name);
    mo_node_add_output_name(p, 0, name);
    return mo_val(p, 0);
}

/* A Const of random f32 values in [lo, hi), also written for the reference. */
static struct mo_value weights(const char *name, struct mo_shape s, float lo, float hi)
{
    struct mo_tensor *t = mo_tensor_new(MO_ET_F32, &s, &err);
    float *p = t ? mo_tensor_mutable(&t, &err) : NULL;
    if (!p)
        die(name);
    int64_t n = mo_shape_numel(&s);
    for (int64_t i = 0; i < n; i++)
        p[i] = lo + (next_uniform() + 1.0f) * 0.5f * (hi - lo);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s.f32", dir, case_name, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 4, (size_t)n, f) != (size_t)n || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    struct mo_node *c = mo_const(g, name, t, &err);
    if (!c)
        die(name);
    return mo_val(c, 0);
}

static struct mo_value ints(const char *name, const int64_t *v, size_t n, bool scalar)
{
    struct mo_node *c = mo_const_i64(g, name, v, n, scalar, &err);
    if (!c)
        die(name);
    return mo_val(c, 0);
}
#define I64(name, ...) ints(name, (const int64_t[]){__VA_ARGS__}, sizeof((int64_t[]){__VA_ARGS__}) / 8, false)
#define I64S(name, v) ints(name, (const int64_t[]){v}, 1, true)

static struct mo_value f32_scalar(const char *name, float v)
{
    struct mo_node *c = mo_const_f32(g, name, &v, 1, true, &err);
    if (!c)
        die(name);
    return mo_val(c, 0);
}

static struct mo_value f32s(const char *name, const float *v, size_t n)
{
    struct mo_node *c = mo_const_f32(g, name, v, n, false, &err);
    if (!c)
        die(name);
    return mo_val(c, 0);
}
#define F32(name, ...) f32s(name, (const float[]){__VA_ARGS__}, sizeof((float[]){__VA_ARGS__}) / 4)

static struct mo_node *opv(const char *type, const char *name, unsigned n, const struct mo_value *in)
{
    struct mo_node *x = mo_op(g, type, name, n, in, &err);
    if (!x)
        die(name);
    return x;
}
#define OP(type, name, ...) \
    opv(type, name, sizeof((struct mo_value[]){__VA_ARGS__}) / sizeof(struct mo_value), (struct mo_value[]){__VA_ARGS__})

/* Output `port` of n becomes model output `name`. */
static void out(struct mo_node *n, unsigned port, const char *name)
{
    mo_node_add_output_name(n, port, name);
    char rn[256];
    snprintf(rn, sizeof rn, "%s/sink_port_0", name);
    if (!mo_result(g, mo_val(n, port), rn, &err))
        die(name);
}

static void set_ints(struct mo_node *n, const char *a, const int64_t *v, size_t c)
{
    if (mo_node_set_ints(n, a, v, c) != MO_OK)
        die(a);
}
#define SET_INTS(n, a, ...) set_ints(n, a, (const int64_t[]){__VA_ARGS__}, sizeof((int64_t[]){__VA_ARGS__}) / 8)

static void unary_case(void)
{
    begin("unary");
    struct mo_value x = param("x", MO_ET_F32, mo_shape_of(2, 5));   /* in (-0.9, 0.9) */
    struct mo_value y = param("y", MO_ET_F32, mo_shape_of(2, 5));   /* in [1, 3) */
    struct mo_value s = param("s", MO_ET_F32, mo_shape_of(8));      /* with inf, -inf, nan */
    static const char *const names[] = {"Acos", "Asin", "Atan", "Atanh", "Cosh", "Sinh", "Tan",
                                        "SoftSign", "Asinh"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        out(OP(names[i], names[i], x), 0, names[i]);
    out(OP("Acosh", "Acosh", y), 0, "Acosh");
    struct mo_node *hs = OP("HardSigmoid", "HardSigmoid", y, f32_scalar("alpha", 0.3f), f32_scalar("beta", -0.2f));
    out(hs, 0, "HardSigmoid");
    out(OP("IsNaN", "IsNaN", s), 0, "IsNaN");
    out(OP("IsFinite", "IsFinite", s), 0, "IsFinite");
    out(OP("IsInf", "IsInf", s), 0, "IsInf");
    struct mo_node *pos = OP("IsInf", "IsInfPos", s);
    mo_node_set_bool(pos, "detect_negative", false);
    out(pos, 0, "IsInfPos");
    finish();
}

static void bitwise_case(void)
{
    begin("bitwise");
    struct mo_value a = param("a", MO_ET_I32, mo_shape_of(2, 3));
    struct mo_value b = param("b", MO_ET_I32, mo_shape_of(3));      /* shift counts 0..7 */
    struct mo_value p = param("p", MO_ET_BOOLEAN, mo_shape_of(4));
    struct mo_value q = param("q", MO_ET_BOOLEAN, mo_shape_of(4));
    out(OP("BitwiseAnd", "BitwiseAnd", a, b), 0, "BitwiseAnd");
    out(OP("BitwiseOr", "BitwiseOr", a, b), 0, "BitwiseOr");
    out(OP("BitwiseXor", "BitwiseXor", a, b), 0, "BitwiseXor");
    out(OP("BitwiseNot", "BitwiseNot", a), 0, "BitwiseNot");
    out(OP("BitwiseLeftShift", "BitwiseLeftShift", a, b), 0, "BitwiseLeftShift");
    out(OP("BitwiseRightShift", "BitwiseRightShift", a, b), 0, "BitwiseRightShift");
    out(OP("BitwiseAnd", "BoolAnd", p, q), 0, "BoolAnd");
    out(OP("BitwiseNot", "BoolNot", p), 0, "BoolNot");
    finish();
}

static void gather_case(void)
{
    begin("gather");
    struct mo_value d = param("data", MO_ET_F32, mo_shape_of(3, 4));
    struct mo_value gi = param("gidx", MO_ET_I64, mo_shape_of(3, 2));   /* -4..3 */
    struct mo_value si = param("sidx", MO_ET_I64, mo_shape_of(2, 4));   /* 0..2 */
    struct mo_value up = param("upd", MO_ET_F32, mo_shape_of(2, 4));
    struct mo_node *ge = OP("GatherElements", "GatherElements", d, gi);
    mo_node_set_int(ge, "axis", 1);
    out(ge, 0, "GatherElements");
    struct mo_node *ss = OP("ScatterElementsUpdate", "ScatterSum", d, si, up, I64S("axis0", 0));
    mo_node_set_str(ss, "reduction", "sum");
    mo_node_set_bool(ss, "use_init_val", false);
    out(ss, 0, "ScatterSum");
    struct mo_node *sm = OP("ScatterElementsUpdate", "ScatterMax", d, si, up, I64S("axis1", -2));
    mo_node_set_str(sm, "reduction", "max");
    out(sm, 0, "ScatterMax");
    struct mo_node *sn = OP("ScatterElementsUpdate", "ScatterMean", d, si, up, I64S("axis2", 0));
    mo_node_set_str(sn, "reduction", "mean");
    out(sn, 0, "ScatterMean");
    /* rows 1, 1 and 2 of data get update rows added */
    struct mo_value nd_upd = param("ndupd", MO_ET_F32, mo_shape_of(3, 4));
    struct mo_value nd_idx = I64("ndidx", 1, 1, 2);
    struct mo_node *nd_idx2 = OP("Unsqueeze", "ndidx2", nd_idx, I64("ndaxes", 1));
    struct mo_node *nd = OP("ScatterNDUpdate-15", "ScatterND", d, mo_val(nd_idx2, 0), nd_upd);
    mo_node_set_str(nd, "reduction", "sum");
    out(nd, 0, "ScatterND");
    finish();
}

static void pool_case(void)
{
    begin("pool");
    struct mo_value x = param("x", MO_ET_F32, mo_shape_of(1, 2, 7, 7));
    struct mo_node *m8 = OP("MaxPool-8", "MaxPool8", x);
    SET_INTS(m8, "kernel", 2, 2);
    SET_INTS(m8, "strides", 2, 2);
    SET_INTS(m8, "dilations", 2, 2);
    SET_INTS(m8, "pads_begin", 0, 0);
    SET_INTS(m8, "pads_end", 1, 1);
    mo_node_set_str(m8, "rounding_type", "ceil");
    out(m8, 0, "MaxPool8");
    out(m8, 1, "MaxPool8_idx");
    struct mo_node *m14 = OP("MaxPool-14", "MaxPool14", x);
    SET_INTS(m14, "kernel", 2, 2);
    SET_INTS(m14, "strides", 2, 2);
    SET_INTS(m14, "dilations", 1, 1);
    SET_INTS(m14, "pads_begin", 1, 1);
    SET_INTS(m14, "pads_end", 1, 1);
    mo_node_set_str(m14, "rounding_type", "ceil_torch");
    mo_node_set_str(m14, "index_element_type", "i32");
    out(m14, 0, "MaxPool14");
    out(m14, 1, "MaxPool14_idx");
    struct mo_node *a14 = OP("AvgPool-14", "AvgPool14", x);
    SET_INTS(a14, "kernel", 3, 3);
    SET_INTS(a14, "strides", 3, 3);
    SET_INTS(a14, "pads_begin", 1, 1);
    SET_INTS(a14, "pads_end", 1, 1);
    mo_node_set_bool(a14, "exclude-pad", true);
    mo_node_set_str(a14, "rounding_type", "ceil_torch");
    out(a14, 0, "AvgPool14");
    finish();
}

/* batch 2, seq 4, input 3, hidden 5 */
static void rnn_case(void)
{
    begin("rnn");
    struct mo_value x = param("x", MO_ET_F32, mo_shape_of(2, 4, 3));
    struct mo_value h2 = param("h2", MO_ET_F32, mo_shape_of(2, 2, 5));
    struct mo_value c2 = param("c2", MO_ET_F32, mo_shape_of(2, 2, 5));
    struct mo_value h1 = param("h1", MO_ET_F32, mo_shape_of(2, 1, 5));
    struct mo_value len = I64("len", 4, 4);
    struct mo_node *l = OP("LSTMSequence", "LSTM", x, h2, c2, len, weights("lw", mo_shape_of(2, 20, 3), -0.5f, 0.5f),
                           weights("lr", mo_shape_of(2, 20, 5), -0.5f, 0.5f), weights("lb", mo_shape_of(2, 20), -0.5f, 0.5f));
    mo_node_set_str(l, "direction", "bidirectional");
    mo_node_set_int(l, "hidden_size", 5);
    out(l, 0, "LSTM_Y");
    out(l, 1, "LSTM_H");
    out(l, 2, "LSTM_C");
    struct mo_node *gr = OP("GRUSequence", "GRU", x, h1, len, weights("gw", mo_shape_of(1, 15, 3), -0.5f, 0.5f),
                            weights("gr", mo_shape_of(1, 15, 5), -0.5f, 0.5f), weights("gb", mo_shape_of(1, 20), -0.5f, 0.5f));
    mo_node_set_str(gr, "direction", "forward");
    mo_node_set_int(gr, "hidden_size", 5);
    mo_node_set_bool(gr, "linear_before_reset", true);
    out(gr, 0, "GRU_Y");
    out(gr, 1, "GRU_H");
    struct mo_node *rn = OP("RNNSequence", "RNN", x, h1, len, weights("rw", mo_shape_of(1, 5, 3), -0.5f, 0.5f),
                            weights("rr", mo_shape_of(1, 5, 5), -0.5f, 0.5f), weights("rb", mo_shape_of(1, 5), -0.5f, 0.5f));
    mo_node_set_str(rn, "direction", "reverse");
    mo_node_set_int(rn, "hidden_size", 5);
    mo_node_set_float(rn, "clip", 0.7);
    out(rn, 0, "RNN_Y");
    out(rn, 1, "RNN_H");
    finish();
}

static void misc_case(void)
{
    begin("misc");
    struct mo_value x = param("x", MO_ET_F32, mo_shape_of(3, 4));
    struct mo_value u = param("u", MO_ET_F32, mo_shape_of(10));      /* small integers, repeated */
    out(OP("Roll", "Roll", x, I64("shift", 1, -2), I64("raxes", 0, 1)), 0, "Roll");
    struct mo_node *bk = OP("Bucketize", "Bucketize", x, F32("bounds", -0.5f, 0.0f, 0.5f));
    mo_node_set_str(bk, "output_type", "i32");
    mo_node_set_bool(bk, "with_right_bound", false);
    out(bk, 0, "Bucketize");
    struct mo_node *un = OP("Unique", "Unique", u);
    out(un, 0, "Unique");
    out(un, 1, "Unique_idx");
    out(un, 2, "Unique_rev");
    out(un, 3, "Unique_cnt");
    struct mo_node *ua = OP("Unique", "UniqueAxis", x, I64S("uaxis", 1));
    mo_node_set_str(ua, "index_element_type", "i32");
    out(ua, 0, "UniqueAxis");
    out(ua, 2, "UniqueAxis_rev");
    struct mo_node *eye = OP("Eye", "Eye", I64S("rows", 3), I64S("cols", 4), I64S("diag", 1), I64("batch", 2));
    mo_node_set_str(eye, "output_type", "f32");
    /* multiplied by x so that the output depends on an input */
    out(OP("Multiply", "EyeX", mo_val(eye, 0), x), 0, "EyeX");
    finish();
}

static void random_case(void)
{
    begin("random");
    struct mo_value p = param("p", MO_ET_F32, mo_shape_of(2, 4));
    struct mo_node *ru = OP("RandomUniform", "RandomUniform", I64("rshape", 4, 16), f32_scalar("lo", 2.0f),
                            f32_scalar("hi", 5.0f));
    mo_node_set_str(ru, "output_type", "f32");
    mo_node_set_int(ru, "global_seed", 7);
    mo_node_set_int(ru, "op_seed", 3);
    out(OP("Add", "RandomUniformP", mo_val(ru, 0), mo_val(OP("ReduceSum", "psum", p, I64("pall", 0, 1)), 0)), 0,
        "RandomUniform");
    struct mo_node *m = OP("Multinomial", "Multinomial", p, I64S("nsamp", 6));
    mo_node_set_str(m, "convert_type", "i32");
    mo_node_set_bool(m, "with_replacement", true);
    mo_node_set_bool(m, "log_probs", false);
    mo_node_set_int(m, "global_seed", 1);
    out(m, 0, "Multinomial");
    finish();
}

static void fft_case(void)
{
    begin("fft");
    struct mo_value c = param("c", MO_ET_F32, mo_shape_of(2, 8, 2));
    struct mo_value r = param("r", MO_ET_F32, mo_shape_of(3, 8));
    struct mo_value h = param("h", MO_ET_F32, mo_shape_of(3, 5, 2));
    out(OP("DFT", "DFT", c, I64("dax", 1)), 0, "DFT");
    out(OP("IDFT", "IDFT", c, I64("iax", 0, 1), I64("isz", -1, 6)), 0, "IDFT");
    out(OP("RDFT", "RDFT", r, I64("rax", -1)), 0, "RDFT");
    out(OP("IRDFT", "IRDFT", h, I64("hax", 1)), 0, "IRDFT");
    finish();
}

static void vision_case(void)
{
    begin("vision");
    struct mo_value img = param("img", MO_ET_F32, mo_shape_of(1, 2, 5, 6));
    struct mo_value grid = param("grid", MO_ET_F32, mo_shape_of(1, 3, 4, 2));   /* in (-1.2, 1.2) */
    out(OP("GridSample", "GridSample", img, grid), 0, "GridSample");
    struct mo_node *gn = OP("GridSample", "GridSampleNearest", img, grid);
    mo_node_set_bool(gn, "align_corners", true);
    mo_node_set_str(gn, "padding_mode", "border");
    out(gn, 0, "GridSampleBorder");
    struct mo_value cols = param("cols", MO_ET_F32, mo_shape_of(1, 8, 6));
    struct mo_node *ci = OP("Col2Im", "Col2Im", cols, I64("osz", 4, 5), I64("ksz", 2, 2));
    SET_INTS(ci, "strides", 2, 2);
    SET_INTS(ci, "pads_begin", 0, 1);
    SET_INTS(ci, "pads_end", 0, 0);
    out(ci, 0, "Col2Im");
    struct mo_value m = param("m", MO_ET_F32, mo_shape_of(2, 3, 3));
    out(OP("Inverse", "Inverse", m), 0, "Inverse");
    struct mo_value gx = param("gx", MO_ET_F32, mo_shape_of(2, 6, 3, 3));
    struct mo_node *gnorm = OP("GroupNormalization", "GroupNorm", gx, weights("gscale", mo_shape_of(6), 0.5f, 1.5f),
                               weights("gbias", mo_shape_of(6), -0.5f, 0.5f));
    mo_node_set_int(gnorm, "num_groups", 3);
    mo_node_set_float(gnorm, "epsilon", 1e-5);
    out(gnorm, 0, "GroupNorm");
    /* data [1, 4, 8, 8], 2 groups, 2 deformable groups, 3x3, stride 2:
     * offsets in [0, 0.9) keep every sample inside the image */
    struct mo_value dx = param("dx", MO_ET_F32, mo_shape_of(1, 4, 8, 8));
    struct mo_value off = param("off", MO_ET_F32, mo_shape_of(1, 36, 3, 3));
    struct mo_value mask = param("mask", MO_ET_F32, mo_shape_of(1, 18, 3, 3));
    struct mo_node *dc = OP("DeformableConvolution", "DeformConv", dx, off,
                            weights("dw", mo_shape_of(6, 2, 3, 3), -0.5f, 0.5f), mask);
    SET_INTS(dc, "strides", 2, 2);
    SET_INTS(dc, "dilations", 1, 1);
    SET_INTS(dc, "pads_begin", 0, 0);
    SET_INTS(dc, "pads_end", 0, 0);
    mo_node_set_int(dc, "group", 2);
    mo_node_set_int(dc, "deformable_group", 2);
    out(dc, 0, "DeformConv");
    finish();
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: api_ops_onnx OUTDIR\n");
        return 2;
    }
    dir = argv[1];
    ctx = mo_context_new();
    if (!ctx)
        die("context");
    unary_case();
    bitwise_case();
    gather_case();
    pool_case();
    rnn_case();
    misc_case();
    random_case();
    fft_case();
    vision_case();
    mo_context_free(ctx);
    return 0;
}
