/* test_ops_nn.c - Convolution and friends (DeformableConvolution, Col2Im),
 * MaxPool/AvgPool and their later versions, binary elementwise and bitwise
 * ops, MatMul, Inverse, the activations and the recurrent sequences.
 * Output sizes follow the formulas of the OpenVINO op specifications. */
#include "test_ops_common.c"

static void set_conv(struct mo_node *n, int64_t s, int64_t p, int64_t d)
{
    SET_INTS(n, "strides", s, s);
    SET_INTS(n, "pads_begin", p, p);
    SET_INTS(n, "pads_end", p, p);
    SET_INTS(n, "dilations", d, d);
}

START_TEST(conv_shapes)
{
    /* out = floor((in + pb + pe - d*(k-1) - 1) / s) + 1 */
    struct mo_node *c = OP("Convolution", param(MO_ET_F32, SHP(1, 3, 224, 224)), param(MO_ET_F32, SHP(64, 3, 7, 7)));
    set_conv(c, 2, 3, 1);
    expect(c, MO_ET_F32, "1,64,112,112");
    c = OP("Convolution", param(MO_ET_F32, SHP(1, 3, 5, 5)), param(MO_ET_F32, SHP(8, 3, 3, 3)));
    set_conv(c, 1, 0, 2);
    expect(c, MO_ET_F32, "1,8,1,1");
    c = OP("Convolution", param(MO_ET_F32, SHP(DYN, 3, 5, DYN)), param(MO_ET_F32, SHP(8, 3, 3, 3)));
    set_conv(c, 1, 1, 1);
    mo_node_set_str(c, "auto_pad", "same_upper");
    expect(c, MO_ET_F32, "?,8,5,?");
    /* GroupConvolution: filter [G, O/G, C/G, k...] */
    c = OP("GroupConvolution", param(MO_ET_F32, SHP(1, 12, 224, 224)), param(MO_ET_F32, SHP(4, 1, 3, 5, 5)));
    set_conv(c, 1, 2, 1);
    expect(c, MO_ET_F32, "1,4,224,224");
    /* backprop data: out = s*(in-1) + d*(k-1) + 1 - pb - pe + output_padding */
    c = OP("ConvolutionBackpropData", param(MO_ET_F32, SHP(1, 20, 224, 224)), param(MO_ET_F32, SHP(20, 10, 3, 3)));
    set_conv(c, 2, 1, 1);
    expect(c, MO_ET_F32, "1,10,447,447");
    SET_INTS(c, "output_padding", 1, 1);
    expect(c, MO_ET_F32, "1,10,448,448");
    c = OP("ConvolutionBackpropData", param(MO_ET_F32, SHP(1, 20, 224, 224)), param(MO_ET_F32, SHP(20, 10, 3, 3)),
           CI64(450, 450));
    set_conv(c, 2, 1, 1);
    expect(c, MO_ET_F32, "1,10,450,450");
    c = OP("GroupConvolutionBackpropData", param(MO_ET_F32, SHP(1, 20, 224, 224)),
           param(MO_ET_F32, SHP(4, 5, 2, 3, 3)));
    set_conv(c, 2, 1, 1);
    expect(c, MO_ET_F32, "1,8,447,447");
    c = OPN("Convolution", "conv_channels", param(MO_ET_F32, SHP(1, 4, 8, 8)), param(MO_ET_F32, SHP(8, 3, 3, 3)));
    set_conv(c, 1, 0, 1);
    infer_fails(c);
    c = OPN("Convolution", "conv_kernel", param(MO_ET_F32, SHP(1, 3, 2, 2)), param(MO_ET_F32, SHP(8, 3, 3, 3)));
    set_conv(c, 1, 0, 1);
    infer_fails(c);
    c = OPN("Convolution", "conv_rank", param(MO_ET_F32, SHP(1, 3, 8)), param(MO_ET_F32, SHP(8, 3, 3, 3)));
    set_conv(c, 1, 0, 1);
    infer_fails(c);
}
END_TEST

static struct mo_node *pool(const char *type, const char *name, struct mo_shape in, int64_t k, int64_t s,
                            int64_t p, const char *rounding)
{
    struct mo_node *n = OPN(type, name, param(MO_ET_F32, in));
    SET_INTS(n, "kernel", k, k);
    SET_INTS(n, "strides", s, s);
    SET_INTS(n, "pads_begin", p, p);
    SET_INTS(n, "pads_end", p, p);
    if (rounding)
        mo_node_set_str(n, "rounding_type", rounding);
    return n;
}

START_TEST(pool_shapes)
{
    expect(pool("MaxPool", NULL, SHP(1, 3, 32, 32), 2, 2, 0, NULL), MO_ET_F32, "1,3,16,16");
    expect(pool("MaxPool", NULL, SHP(1, 3, 32, 32), 3, 2, 0, "floor"), MO_ET_F32, "1,3,15,15");
    expect(pool("MaxPool", NULL, SHP(1, 3, 32, 32), 3, 2, 0, "ceil"), MO_ET_F32, "1,3,16,16");
    /* ceil never starts a window in the end padding: 112 + 1 pad, k 3, s 2 -> 56 */
    struct mo_node *p = pool("AvgPool", NULL, SHP(1, 64, 112, 112), 3, 2, 0, "ceil");
    SET_INTS(p, "pads_end", 1, 1);
    mo_node_set_bool(p, "exclude-pad", true);
    expect(p, MO_ET_F32, "1,64,56,56");
    p = pool("AvgPool", NULL, SHP(1, 3, 32, DYN), 3, 2, 0, NULL);
    mo_node_set_str(p, "auto_pad", "same_upper");
    mo_node_set_bool(p, "exclude-pad", false);
    expect(p, MO_ET_F32, "1,3,16,?");
    infer_fails(pool("MaxPool", "pool_big", SHP(1, 3, 2, 2), 3, 1, 0, NULL));
    infer_fails(pool("MaxPool", "pool_rank", SHP(3, 2), 3, 1, 0, NULL));
}
END_TEST

START_TEST(eltwise_shapes)
{
    /* numpy broadcast: [8,1,6,1] + [7,1,5] -> [8,7,6,5] */
    expect(OP("Add", param(MO_ET_F32, SHP(8, 1, 6, 1)), param(MO_ET_F32, SHP(7, 1, 5))), MO_ET_F32, "8,7,6,5");
    expect(OP("Multiply", param(MO_ET_F32, SHP(DYN, 3)), param(MO_ET_F32, SHP(4, 1))), MO_ET_F32, "4,3");
    expect(OP("Less", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_F32, mo_shape_scalar())), MO_ET_BOOLEAN, "2,3");
    expect(OP("LogicalAnd", param(MO_ET_BOOLEAN, SHP(2, 1)), param(MO_ET_BOOLEAN, SHP(3))), MO_ET_BOOLEAN, "2,3");
    struct mo_node *n = OP("Subtract", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_F32, SHP(2, 3)));
    mo_node_set_str(n, "auto_broadcast", "none");
    expect(n, MO_ET_F32, "2,3");
    infer_fails(OPN("Add", "add_bcast", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_F32, SHP(4, 3))));
    infer_fails(OPN("Add", "add_types", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_I32, SHP(2, 3))));
    n = OPN("Add", "add_none", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_F32, SHP(1, 3)));
    mo_node_set_str(n, "auto_broadcast", "none");
    infer_fails(n);
}
END_TEST

START_TEST(eltwise_eval)
{
    CHECK_VALS(fold(OP("Add", CI64(1, 2, 3), cscalar(10))), "11,12,13");
    /* integer Divide rounds toward -inf (m_pythondiv defaults to true) */
    CHECK_VALS(fold(OP("Divide", CI64(7, -7), cscalar(2))), "3,-4");
    struct mo_node *m = fold(OP("Multiply", ctensor(MO_ET_I64, SHP(2, 1), NULL), CI64(1, 10, 100)));
    check_out(m, 0, MO_ET_I64, "2,3");
    CHECK_VALS(m, "0,0,0,1,10,100");
    struct mo_node *e = fold(OP("Equal", CI64(1, 2, 3), cscalar(2)));
    check_out(e, 0, MO_ET_BOOLEAN, "3");
    CHECK_VALS(e, "0,1,0");
}
END_TEST

START_TEST(matmul_shapes)
{
    expect(OP("MatMul", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_F32, SHP(3, 4))), MO_ET_F32, "2,4");
    struct mo_node *n = OP("MatMul", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_F32, SHP(4, 3)));
    mo_node_set_bool(n, "transpose_b", true);
    expect(n, MO_ET_F32, "2,4");
    n = OP("MatMul", param(MO_ET_F32, SHP(3, 2)), param(MO_ET_F32, SHP(3, 4)));
    mo_node_set_bool(n, "transpose_a", true);
    expect(n, MO_ET_F32, "2,4");
    /* 1-D operands: the added dim is removed again */
    expect(OP("MatMul", param(MO_ET_F32, SHP(3)), param(MO_ET_F32, SHP(3, 4))), MO_ET_F32, "4");
    expect(OP("MatMul", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_F32, SHP(3))), MO_ET_F32, "2");
    expect(OP("MatMul", param(MO_ET_F32, SHP(3)), param(MO_ET_F32, SHP(3))), MO_ET_F32, "");
    /* batch dims broadcast */
    expect(OP("MatMul", param(MO_ET_F32, SHP(5, 1, 2, 3)), param(MO_ET_F32, SHP(7, 3, 4))), MO_ET_F32, "5,7,2,4");
    infer_fails(OPN("MatMul", "matmul_inner", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_F32, SHP(4, 5))));
    infer_fails(OPN("MatMul", "matmul_batch", param(MO_ET_F32, SHP(2, 2, 3)), param(MO_ET_F32, SHP(3, 3, 4))));
}
END_TEST

START_TEST(activation_shapes)
{
    static const char *const unary[] = {"Relu", "Sigmoid", "Tanh", "Exp", "Sqrt", "Abs", "Floor", "Ceiling",
                                        "Log", "Negative", "SoftPlus", "HSwish", "HSigmoid", "Mish", "Erf",
                                        "Sin", "Cos", "Sign", "Elu", "Clamp", "Gelu", "Swish"};
    for (size_t i = 0; i < sizeof unary / sizeof *unary; i++)
        expect(OP(unary[i], param(MO_ET_F16, SHP(1, DYN, 7))), MO_ET_F16, "1,?,7");
    expect(OP("PRelu", param(MO_ET_F32, SHP(1, 3, 8)), param(MO_ET_F32, SHP(3, 1))), MO_ET_F32, "1,3,8");
    CHECK_VALS(fold(OP("Relu", CF32(-1.5f, 0, 2.5f))), "0,0,2.5");
    CHECK_VALS(fold(OP("Negative", CI64(3, -4))), "-3,4");
    CHECK_VALS(fold(OP("Floor", CF32(-1.5f, 2.5f))), "-2,2");
}
END_TEST

/* MaxPool-8/-14 and AvgPool-14 are versions of their types: "Type-N" picks
 * them, the bare type stays opset1 (what the MXNet and Paddle IR uses). */
START_TEST(pool_versions)
{
    struct mo_node *p1 = pool("MaxPool", NULL, SHP(1, 3, 32, 32), 2, 2, 0, NULL);
    ck_assert_str_eq(p1->def->opset, "opset1");
    ck_assert_int_eq(p1->def->n_outputs, 1);
    struct mo_node *p8 = pool("MaxPool-8", NULL, SHP(1, 3, 32, 32), 3, 2, 0, NULL);
    ck_assert_str_eq(p8->type, "MaxPool");
    ck_assert_str_eq(p8->def->opset, "opset8");
    /* dilation 2 makes the 3-kernel span 5: (32 - 5) / 2 + 1 = 14 */
    SET_INTS(p8, "dilations", 2, 2);
    infer_ok(p8);
    check_out(p8, 0, MO_ET_F32, "1,3,14,14");
    check_out(p8, 1, MO_ET_I64, "1,3,14,14");
    mo_node_set_str(p8, "index_element_type", "i32");
    infer_ok(p8);
    check_out(p8, 1, MO_ET_I32, "1,3,14,14");
    struct mo_node *pd = pool("MaxPool-8", NULL, SHP(DYN, 3, DYN, 8), 2, 2, 0, NULL);
    SET_INTS(pd, "dilations", 1, 1);
    infer_ok(pd);
    check_out(pd, 0, MO_ET_F32, "?,3,?,4");
    check_out(pd, 1, MO_ET_I64, "?,3,?,4");
    ck_assert_str_eq(pool("AvgPool-14", NULL, SHP(1, 1, 4, 4), 2, 2, 0, NULL)->def->opset, "opset14");
    ck_assert_str_eq(pool("AvgPool-1", NULL, SHP(1, 1, 4, 4), 2, 2, 0, NULL)->def->opset, "opset1");
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(mo_op(g, "MaxPool-9", "mp9", 1, (struct mo_value[]){{param(MO_ET_F32, SHP(1, 1, 4, 4)), 0}}, &err));
    ck_assert_int_eq(err.code, MO_ERR_UNSUPPORTED);

    /* in 4, kernel 1, stride 2, end pad 1: ceil((4 + 1 - 1) / 2) + 1 = 3.
     * MaxPool-8 keeps the window that starts in the padding, opset1 here
     * and ceil_torch (MaxPool-14) drop it: (3 - 1) * 2 >= 4 */
    struct mo_node *c1 = pool("MaxPool", NULL, SHP(1, 1, 4, 4), 1, 2, 0, "ceil");
    SET_INTS(c1, "pads_end", 1, 1);
    expect(c1, MO_ET_F32, "1,1,2,2");
    struct mo_node *c8 = pool("MaxPool-8", NULL, SHP(1, 1, 4, 4), 1, 2, 0, "ceil");
    SET_INTS(c8, "pads_end", 1, 1);
    SET_INTS(c8, "dilations", 1, 1);
    expect(c8, MO_ET_F32, "1,1,3,3");
    struct mo_node *c14 = pool("MaxPool-14", NULL, SHP(1, 1, 4, 4), 1, 2, 0, "ceil_torch");
    SET_INTS(c14, "pads_end", 1, 1);
    SET_INTS(c14, "dilations", 1, 1);
    expect(c14, MO_ET_F32, "1,1,2,2");
    mo_node_set_str(c14, "rounding_type", "ceil");
    expect(c14, MO_ET_F32, "1,1,3,3");
    /* AvgPool-14, in 4, kernel 2, stride 3, pads 1/1: ceil(4 / 3) + 1 = 3;
     * ceil_torch drops the last, (3 - 1) * 3 >= 4 + 1 */
    struct mo_node *a14 = pool("AvgPool-14", NULL, SHP(1, 1, 4, 4), 2, 3, 1, "ceil_torch");
    mo_node_set_bool(a14, "exclude-pad", true);
    expect(a14, MO_ET_F32, "1,1,2,2");
    mo_node_set_str(a14, "rounding_type", "ceil");
    expect(a14, MO_ET_F32, "1,1,3,3");

    infer_fails(pool("MaxPool", "v1_no_torch", SHP(1, 1, 4, 4), 2, 2, 0, "ceil_torch"));
    infer_fails(pool("MaxPool-8", "v8_no_dilations", SHP(1, 1, 4, 4), 2, 2, 0, NULL));
    struct mo_node *bad = pool("MaxPool-8", "v8_index_type", SHP(1, 1, 4, 4), 2, 2, 0, NULL);
    SET_INTS(bad, "dilations", 1, 1);
    mo_node_set_str(bad, "index_element_type", "f32");
    infer_fails(bad);
    bad = pool("MaxPool-14", "v14_axis", SHP(1, 1, 4, 4), 2, 2, 0, NULL);
    SET_INTS(bad, "dilations", 1, 1);
    mo_node_set_int(bad, "axis", 4);
    infer_fails(bad);
    bad = pool("MaxPool-8", "v8_dilated_big", SHP(1, 1, 4, 4), 3, 1, 0, NULL);
    SET_INTS(bad, "dilations", 2, 2);
    infer_fails(bad);
}
END_TEST

START_TEST(bitwise_ops)
{
    expect(OP("BitwiseAnd", param(MO_ET_I32, SHP(2, 1)), param(MO_ET_I32, SHP(3))), MO_ET_I32, "2,3");
    expect(OP("BitwiseOr", param(MO_ET_BOOLEAN, SHP(DYN, 4)), param(MO_ET_BOOLEAN, SHP(4))), MO_ET_BOOLEAN, "?,4");
    expect(OP("BitwiseLeftShift", param(MO_ET_U8, SHP(5)), param(MO_ET_U8, SHP(1))), MO_ET_U8, "5");
    expect(OP("BitwiseNot", param(MO_ET_I16, SHP(DYN, 2))), MO_ET_I16, "?,2");
    CHECK_VALS(fold(OP("BitwiseAnd", CI64(12, 10), cscalar(6))), "4,2");
    CHECK_VALS(fold(OP("BitwiseOr", CI64(12, 10), cscalar(6))), "14,14");
    CHECK_VALS(fold(OP("BitwiseXor", CI64(12, 10), cscalar(6))), "10,12");
    CHECK_VALS(fold(OP("BitwiseLeftShift", CI64(1, 3), CI64(2, 4))), "4,48");
    CHECK_VALS(fold(OP("BitwiseRightShift", CI64(-16, 20), cscalar(2))), "-4,5");
    /* i32 keeps 32 bits: 1 << 31 is the sign bit */
    struct mo_node *s32 = fold(OP("BitwiseLeftShift", ctensor(MO_ET_I32, SHP(1), (const double[]){1}),
                                  ctensor(MO_ET_I32, SHP(1), (const double[]){31})));
    CHECK_VALS(s32, "-2147483648");
    struct mo_node *b = fold(OP("BitwiseXor", ctensor(MO_ET_BOOLEAN, SHP(2), (const double[]){1, 0}),
                                ctensor(MO_ET_BOOLEAN, SHP(2), (const double[]){1, 1})));
    check_out(b, 0, MO_ET_BOOLEAN, "2");
    CHECK_VALS(b, "0,1");
    CHECK_VALS(fold(OP("BitwiseNot", CI64(0, 5, -1))), "-1,-6,0");
    CHECK_VALS(fold(OP("BitwiseNot", ctensor(MO_ET_U8, SHP(2), (const double[]){0, 15}))), "255,240");
    CHECK_VALS(fold(OP("BitwiseNot", ctensor(MO_ET_BOOLEAN, SHP(2), (const double[]){1, 0}))), "0,1");
    /* a shift by the width or more is left to the runtime */
    struct mo_node *wide = OP("BitwiseLeftShift", CI64(1), CI64(64));
    infer_ok(wide);
    struct mo_tensor *out[1] = {NULL};
    ck_assert_int_eq(wide->def->eval(wide, out, &err), MO_ERR_UNSUPPORTED);
    ck_assert_ptr_null(out[0]);
    infer_fails(OPN("BitwiseAnd", "band_float", param(MO_ET_F32, SHP(2)), param(MO_ET_F32, SHP(2))));
    infer_fails(OPN("BitwiseRightShift", "shr_bool", param(MO_ET_BOOLEAN, SHP(2)), param(MO_ET_BOOLEAN, SHP(2))));
    infer_fails(OPN("BitwiseXor", "bxor_bcast", param(MO_ET_I32, SHP(2, 3)), param(MO_ET_I32, SHP(4))));
    infer_fails(OPN("BitwiseNot", "bnot_float", param(MO_ET_F32, SHP(2))));
}
END_TEST

START_TEST(unary_math_ops)
{
    static const char *const unary[] = {"Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh",
                                        "Cosh", "Sinh", "Tan", "SoftSign"};
    /* the *h ops are version 3 but first listed in opset4 */
    static const char *const opsets[] = {"opset1", "opset4", "opset1", "opset4", "opset1", "opset4",
                                         "opset1", "opset1", "opset1", "opset9"};
    for (size_t i = 0; i < sizeof unary / sizeof *unary; i++) {
        struct mo_node *n = OP(unary[i], param(MO_ET_F16, SHP(1, DYN, 7)));
        expect(n, MO_ET_F16, "1,?,7");
        ck_assert_str_eq(n->def->opset, opsets[i]);
        expect(OP(unary[i], param(MO_ET_F32, mo_shape_unknown())), MO_ET_F32, "...");
    }
    /* x / (1 + |x|) */
    CHECK_VALS(fold(OP("SoftSign", CF32(-3, 1, 0))), "-0.75,0.5,0");
    CHECK_VALS(fold(OP("Acos", CF32(1, 0))), "0,1.5708");
    CHECK_VALS(fold(OP("Acosh", CF32(1))), "0");
    /* cosh(ln 2) = (2 + 1/2) / 2, sinh(ln 2) = (2 - 1/2) / 2 */
    CHECK_VALS(fold(OP("Cosh", CF32(0.693147181f))), "1.25");
    CHECK_VALS(fold(OP("Sinh", CF32(0.693147181f))), "0.75");
    CHECK_VALS(fold(OP("Atan", CF32(1))), "0.785398");

    double special[] = {INFINITY, -INFINITY, NAN, 1.5};
    struct mo_node *x = ctensor(MO_ET_F32, SHP(4), special);
    struct mo_node *inf = OP("IsInf", x);
    expect(inf, MO_ET_BOOLEAN, "4");
    CHECK_VALS(fold(inf), "1,1,0,0");
    struct mo_node *pos = OP("IsInf", x);
    mo_node_set_bool(pos, "detect_negative", false);
    CHECK_VALS(fold(pos), "1,0,0,0");
    struct mo_node *neg = OP("IsInf", x);
    mo_node_set_bool(neg, "detect_positive", false);
    CHECK_VALS(fold(neg), "0,1,0,0");
    CHECK_VALS(fold(OP("IsNaN", x)), "0,0,1,0");
    CHECK_VALS(fold(OP("IsFinite", x)), "0,0,0,1");
    expect(OP("IsFinite", param(MO_ET_F16, SHP(DYN, 3))), MO_ET_BOOLEAN, "?,3");
    infer_fails(OPN("IsNaN", "isnan_int", param(MO_ET_I32, SHP(3))));

    /* HardSigmoid: max(0, min(1, 0.2 x + 0.5)) */
    struct mo_node *hs = OP("HardSigmoid", CF32(-10, 0, 1, 10), cf32_scalar(0.2f), cf32_scalar(0.5f));
    expect(hs, MO_ET_F32, "4");
    CHECK_VALS(fold(hs), "0,0.5,0.7,1");
    expect(OP("HardSigmoid", param(MO_ET_F32, SHP(2, DYN)), cf32_scalar(0.2f), cf32_scalar(0.5f)), MO_ET_F32, "2,?");
    infer_fails(OPN("HardSigmoid", "hs_alpha", param(MO_ET_F32, SHP(2)), CF32(0.1f, 0.2f), cf32_scalar(0.5f)));
}
END_TEST

START_TEST(deformable_conv_shapes)
{
    /* data [1, 4, 8, 8], group 2 of 2 channels, 3x3 kernel: offsets carry
     * 2 * 3 * 3 = 18 channels, the mask 9; out 8 - 3 + 1 = 6 */
    struct mo_node *c = OP("DeformableConvolution", param(MO_ET_F32, SHP(1, 4, 8, 8)),
                           param(MO_ET_F32, SHP(1, 18, 6, 6)), param(MO_ET_F32, SHP(6, 2, 3, 3)));
    set_conv(c, 1, 0, 1);
    mo_node_set_int(c, "group", 2);
    expect(c, MO_ET_F32, "1,6,6,6");
    c = OP("DeformableConvolution", param(MO_ET_F32, SHP(1, 4, 8, 8)), param(MO_ET_F32, SHP(1, 36, 4, 4)),
           param(MO_ET_F32, SHP(6, 4, 3, 3)), param(MO_ET_F32, SHP(1, 18, 4, 4)));
    set_conv(c, 2, 1, 1);
    mo_node_set_int(c, "deformable_group", 2);
    expect(c, MO_ET_F32, "1,6,4,4");
    c = OP("DeformableConvolution", param(MO_ET_F32, SHP(DYN, 4, 8, DYN)), param(MO_ET_F32, SHP(DYN, 18, DYN, DYN)),
           param(MO_ET_F32, SHP(6, 4, 3, 3)));
    set_conv(c, 1, 0, 1);
    expect(c, MO_ET_F32, "?,6,6,?");
    c = OPN("DeformableConvolution", "dconv_offsets", param(MO_ET_F32, SHP(1, 4, 8, 8)),
            param(MO_ET_F32, SHP(1, 17, 6, 6)), param(MO_ET_F32, SHP(6, 4, 3, 3)));
    set_conv(c, 1, 0, 1);
    infer_fails(c);
    c = OPN("DeformableConvolution", "dconv_size", param(MO_ET_F32, SHP(1, 4, 8, 8)),
            param(MO_ET_F32, SHP(1, 18, 5, 6)), param(MO_ET_F32, SHP(6, 4, 3, 3)));
    set_conv(c, 1, 0, 1);
    infer_fails(c);
    c = OPN("DeformableConvolution", "dconv_group", param(MO_ET_F32, SHP(1, 4, 8, 8)),
            param(MO_ET_F32, SHP(1, 18, 6, 6)), param(MO_ET_F32, SHP(6, 2, 3, 3)));
    set_conv(c, 1, 0, 1);
    infer_fails(c);
}
END_TEST

/* AdaptiveAvgPool/AdaptiveMaxPool-8: the spatial dims become output_shape;
 * the max one's indices follow index_element_type. */
START_TEST(adaptive_pool_shapes)
{
    expect(OP("AdaptiveAvgPool", param(MO_ET_F32, SHP(1, 3, 7, 10)), CI64(4, 3)), MO_ET_F32,
           "1,3,4,3");
    expect(OP("AdaptiveAvgPool", param(MO_ET_F32, SHP(DYN, 2, DYN, 6, 5)), CI64(2, 4, 3)),
           MO_ET_F32, "?,2,2,4,3");
    struct mo_node *m = OP("AdaptiveMaxPool", param(MO_ET_F32, SHP(2, 3, 9)), CI64(4));
    infer_ok(m);
    check_out(m, 0, MO_ET_F32, "2,3,4");
    check_out(m, 1, MO_ET_I64, "2,3,4");
    mo_node_set_str(m, "index_element_type", "i32");
    infer_ok(m);
    check_out(m, 1, MO_ET_I32, "2,3,4");
    m = OP("AdaptiveMaxPool", param(MO_ET_F32, SHP(1, 3, 8, 8)), param(MO_ET_I64, SHP(2)));
    infer_ok(m);
    check_out(m, 0, MO_ET_F32, "1,3,?,?");
    infer_fails(OPN("AdaptiveAvgPool", "ap_count", param(MO_ET_F32, SHP(1, 3, 8, 8)), CI64(2)));
    infer_fails(OPN("AdaptiveAvgPool", "ap_zero", param(MO_ET_F32, SHP(1, 3, 8, 8)), CI64(2, 0)));
    infer_fails(OPN("AdaptiveAvgPool", "ap_rank", param(MO_ET_F32, SHP(3, 8)), CI64(2)));
    m = OPN("AdaptiveMaxPool", "amp_idx", param(MO_ET_F32, SHP(1, 3, 8, 8)), CI64(2, 2));
    mo_node_set_str(m, "index_element_type", "f32");
    infer_fails(m);
}
END_TEST

START_TEST(col2im_shapes)
{
    /* 5x5 output, 2x2 kernel, stride 3: (5 - 2) / 3 + 1 = 2 blocks a dim,
     * 4 in all; 12 columns / 4 = 3 channels */
    struct mo_node *c = OP("Col2Im", param(MO_ET_F32, SHP(2, 12, 4)), CI64(5, 5), CI64(2, 2));
    SET_INTS(c, "strides", 3, 3);
    expect(c, MO_ET_F32, "2,3,5,5");
    /* unbatched, defaults: (4 - 2) / 1 + 1 = 3 blocks a dim */
    expect(OP("Col2Im", param(MO_ET_F32, SHP(12, 9)), CI64(4, 4), CI64(2, 2)), MO_ET_F32, "3,4,4");
    expect(OP("Col2Im", param(MO_ET_F32, SHP(2, 12, DYN)), param(MO_ET_I64, SHP(2)), CI64(2, 2)), MO_ET_F32,
           "2,3,?,?");
    c = OPN("Col2Im", "col2im_blocks", param(MO_ET_F32, SHP(2, 12, 5)), CI64(5, 5), CI64(2, 2));
    SET_INTS(c, "strides", 3, 3);
    infer_fails(c);
    infer_fails(OPN("Col2Im", "col2im_cols", param(MO_ET_F32, SHP(2, 11, 9)), CI64(4, 4), CI64(2, 2)));
    infer_fails(OPN("Col2Im", "col2im_rank", param(MO_ET_F32, SHP(1, 2, 12, 9)), CI64(4, 4), CI64(2, 2)));
}
END_TEST

START_TEST(inverse_shapes)
{
    expect(OP("Inverse", param(MO_ET_F32, SHP(2, 3, 3))), MO_ET_F32, "2,3,3");
    expect(OP("Inverse", param(MO_ET_F32, SHP(DYN, DYN, 3))), MO_ET_F32, "?,3,3");
    infer_fails(OPN("Inverse", "inv_square", param(MO_ET_F32, SHP(2, 3))));
    infer_fails(OPN("Inverse", "inv_rank", param(MO_ET_F32, SHP(3))));
    infer_fails(OPN("Inverse", "inv_int", param(MO_ET_I32, SHP(3, 3))));
}
END_TEST

static struct mo_node *rnn_seq(const char *type, const char *name, const char *dir, int64_t hidden,
                               int64_t batch, int64_t seq, int64_t in, int gates_w, int gates_b, int64_t nd)
{
    struct mo_node *x = param(MO_ET_F32, SHP(batch, seq, in));
    struct mo_node *h0 = param(MO_ET_F32, SHP(batch < 0 ? 2 : batch, nd, hidden));
    struct mo_node *sl = param(MO_ET_I32, SHP(batch < 0 ? 2 : batch));
    struct mo_node *w = param(MO_ET_F32, SHP(nd, gates_w * hidden, in < 0 ? 3 : in));
    struct mo_node *r = param(MO_ET_F32, SHP(nd, gates_w * hidden, hidden));
    struct mo_node *b = param(MO_ET_F32, SHP(nd, gates_b * hidden));
    struct mo_node *n = !strcmp(type, "LSTMSequence")
                            ? OPN(type, name, x, h0, param(MO_ET_F32, SHP(batch < 0 ? 2 : batch, nd, hidden)), sl, w, r, b)
                            : OPN(type, name, x, h0, sl, w, r, b);
    mo_node_set_str(n, "direction", dir);
    mo_node_set_int(n, "hidden_size", hidden);
    return n;
}

START_TEST(rnn_sequence_shapes)
{
    struct mo_node *l = rnn_seq("LSTMSequence", NULL, "forward", 5, 2, 4, 3, 4, 4, 1);
    infer_ok(l);
    check_out(l, 0, MO_ET_F32, "2,1,4,5");
    check_out(l, 1, MO_ET_F32, "2,1,5");
    check_out(l, 2, MO_ET_F32, "2,1,5");
    l = rnn_seq("LSTMSequence", NULL, "bidirectional", 5, 2, 4, 3, 4, 4, 2);
    infer_ok(l);
    check_out(l, 0, MO_ET_F32, "2,2,4,5");
    check_out(l, 2, MO_ET_F32, "2,2,5");
    /* batch and sequence unknown in X: the states give the batch */
    l = rnn_seq("LSTMSequence", NULL, "reverse", 5, DYN, DYN, DYN, 4, 4, 1);
    infer_ok(l);
    check_out(l, 0, MO_ET_F32, "2,1,?,5");
    struct mo_node *gr = rnn_seq("GRUSequence", NULL, "forward", 5, 2, 4, 3, 3, 3, 1);
    infer_ok(gr);
    ck_assert_uint_eq(gr->n_outputs, 2);
    check_out(gr, 0, MO_ET_F32, "2,1,4,5");
    check_out(gr, 1, MO_ET_F32, "2,1,5");
    /* linear_before_reset: B has a fourth gate's worth */
    gr = rnn_seq("GRUSequence", NULL, "forward", 5, 2, 4, 3, 3, 4, 1);
    mo_node_set_bool(gr, "linear_before_reset", true);
    infer_ok(gr);
    struct mo_node *rn = rnn_seq("RNNSequence", NULL, "bidirectional", 7, 1, 9, 3, 1, 1, 2);
    infer_ok(rn);
    check_out(rn, 0, MO_ET_F32, "1,2,9,7");
    check_out(rn, 1, MO_ET_F32, "1,2,7");
    infer_fails(rnn_seq("LSTMSequence", "lstm_w", "forward", 5, 2, 4, 3, 3, 4, 1));
    infer_fails(rnn_seq("GRUSequence", "gru_lbr", "forward", 5, 2, 4, 3, 3, 4, 1));
    infer_fails(rnn_seq("RNNSequence", "rnn_dir", "sideways", 5, 2, 4, 3, 1, 1, 1));
    /* forward with the weights of two directions */
    infer_fails(rnn_seq("RNNSequence", "rnn_ndir", "forward", 5, 2, 4, 3, 1, 1, 2));
    struct mo_node *h = rnn_seq("RNNSequence", "rnn_hidden", "forward", 5, 2, 4, 3, 1, 1, 1);
    mo_node_set_int(h, "hidden_size", 6);
    infer_fails(h);
}
END_TEST

static Suite *nn_suite(void)
{
    Suite *s = suite_create("ops_nn");
    TCase *tc = tcase_create("nn");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, conv_shapes);
    tcase_add_test(tc, pool_shapes);
    tcase_add_test(tc, eltwise_shapes);
    tcase_add_test(tc, eltwise_eval);
    tcase_add_test(tc, matmul_shapes);
    tcase_add_test(tc, activation_shapes);
    tcase_add_test(tc, pool_versions);
    tcase_add_test(tc, bitwise_ops);
    tcase_add_test(tc, unary_math_ops);
    tcase_add_test(tc, deformable_conv_shapes);
    tcase_add_test(tc, adaptive_pool_shapes);
    tcase_add_test(tc, col2im_shapes);
    tcase_add_test(tc, inverse_shapes);
    tcase_add_test(tc, rnn_sequence_shapes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(nn_suite());
}
