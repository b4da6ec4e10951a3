/* test_ops_norm.c - Softmax-8, LogSoftmax-5, LRN, NormalizeL2, MVN-6,
 * BatchNormInference-5 and GRN keep the data shape; bad axes and
 * parameter shapes are reported naming the node. */
#include "test_ops_common.c"

START_TEST(softmax_shapes)
{
    expect(OP("Softmax", param(MO_ET_F32, SHP(1, 1000))), MO_ET_F32, "1,1000");
    struct mo_node *s = OP("LogSoftmax", param(MO_ET_F16, SHP(2, 3, DYN)));
    mo_node_set_int(s, "axis", -1);
    expect(s, MO_ET_F16, "2,3,?");
    s = OPN("Softmax", "softmax_axis", param(MO_ET_F32, SHP(1, 10)));
    mo_node_set_int(s, "axis", 2);
    infer_fails(s);
    /* the default axis (1) does not exist in a 1-D input */
    infer_fails(OPN("LogSoftmax", "logsoftmax_axis", param(MO_ET_F32, SHP(10))));
}
END_TEST

START_TEST(axes_norm_shapes)
{
    struct mo_node *n = OP("LRN", param(MO_ET_F32, SHP(6, 12, 10, 24)), CI64(1));
    mo_node_set_float(n, "alpha", 1e-4);
    mo_node_set_float(n, "beta", 0.75);
    mo_node_set_float(n, "bias", 1);
    mo_node_set_int(n, "size", 5);
    expect(n, MO_ET_F32, "6,12,10,24");
    n = OP("NormalizeL2", param(MO_ET_F32, SHP(6, 12, 10, 24)), CI64(2, 3));
    mo_node_set_float(n, "eps", 1e-6);
    mo_node_set_str(n, "eps_mode", "add");
    expect(n, MO_ET_F32, "6,12,10,24");
    n = OP("MVN", param(MO_ET_F32, SHP(6, 12, 10, 24)), CI64(2, 3));
    mo_node_set_bool(n, "normalize_variance", true);
    mo_node_set_float(n, "eps", 1e-9);
    mo_node_set_str(n, "eps_mode", "inside_sqrt");
    expect(n, MO_ET_F32, "6,12,10,24");
    n = OPN("LRN", "lrn_axes", param(MO_ET_F32, SHP(6, 12, 10, 24)), CI64(4));
    infer_fails(n);
    n = OPN("MVN", "mvn_mode", param(MO_ET_F32, SHP(6, 12)), CI64(1));
    mo_node_set_str(n, "eps_mode", "sideways");
    infer_fails(n);
    n = OPN("NormalizeL2", "l2_dup", param(MO_ET_F32, SHP(6, 12)), CI64(1, -1));
    mo_node_set_str(n, "eps_mode", "max");
    infer_fails(n);
}
END_TEST

START_TEST(batch_norm_shapes)
{
    struct mo_node *c = param(MO_ET_F32, SHP(3));
    struct mo_node *b = OP("BatchNormInference", param(MO_ET_F32, SHP(1, 3, 224, 224)), c, c, c, c);
    mo_node_set_float(b, "epsilon", 1e-5);
    expect(b, MO_ET_F32, "1,3,224,224");
    /* the channel count comes from the parameters when the data's is dynamic */
    b = OP("BatchNormInference", param(MO_ET_F32, SHP(1, DYN, 8)), c, c, c, c);
    expect(b, MO_ET_F32, "1,3,8");
    struct mo_node *c4 = param(MO_ET_F32, SHP(4));
    infer_fails(OPN("BatchNormInference", "bn_channels", param(MO_ET_F32, SHP(1, 3, 8, 8)), c, c4, c, c));
    infer_fails(OPN("BatchNormInference", "bn_rank", param(MO_ET_F32, SHP(3)), c, c, c, c));
    struct mo_node *g2 = OP("GRN", param(MO_ET_F32, SHP(1, 16, DYN, 4)));
    mo_node_set_float(g2, "bias", 1e-6);
    expect(g2, MO_ET_F32, "1,16,?,4");
}
END_TEST

START_TEST(group_norm_shapes)
{
    struct mo_node *n = OP("GroupNormalization", param(MO_ET_F32, SHP(2, 6, 3)), param(MO_ET_F32, SHP(6)),
                           param(MO_ET_F32, SHP(6)));
    mo_node_set_int(n, "num_groups", 3);
    mo_node_set_float(n, "epsilon", 1e-5);
    expect(n, MO_ET_F32, "2,6,3");
    n = OP("GroupNormalization", param(MO_ET_F16, SHP(DYN, DYN, 3, 3)), param(MO_ET_F16, SHP(6)),
           param(MO_ET_F16, SHP(DYN)));
    mo_node_set_int(n, "num_groups", 2);
    mo_node_set_float(n, "epsilon", 1e-5);
    expect(n, MO_ET_F16, "?,6,3,3");
    n = OPN("GroupNormalization", "gn_groups", param(MO_ET_F32, SHP(2, 6, 3)), param(MO_ET_F32, SHP(6)),
            param(MO_ET_F32, SHP(6)));
    mo_node_set_int(n, "num_groups", 4);
    mo_node_set_float(n, "epsilon", 1e-5);
    infer_fails(n);
    n = OPN("GroupNormalization", "gn_scale", param(MO_ET_F32, SHP(2, 6, 3)), param(MO_ET_F32, SHP(5)),
            param(MO_ET_F32, SHP(6)));
    mo_node_set_int(n, "num_groups", 3);
    mo_node_set_float(n, "epsilon", 1e-5);
    infer_fails(n);
}
END_TEST

static Suite *norm_suite(void)
{
    Suite *s = suite_create("ops_norm");
    TCase *tc = tcase_create("norm");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, softmax_shapes);
    tcase_add_test(tc, axes_norm_shapes);
    tcase_add_test(tc, batch_norm_shapes);
    tcase_add_test(tc, group_norm_shapes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(norm_suite());
}
