/* test_ops_nn.c - the families written first: Convolution and friends,
 * MaxPool/AvgPool, binary elementwise ops, MatMul and the activations.
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
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(nn_suite());
}
