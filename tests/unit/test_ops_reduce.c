/* test_ops_reduce.c - Reduce* (keep_dims, axes checks, folding) and TopK-11,
 * expected values from the OpenVINO op specifications. */
#include "test_ops_common.c"

START_TEST(reduce_shapes)
{
    /* ReduceSum-1 spec examples on [6,12,10,24] */
    struct mo_node *r = OP("ReduceSum", param(MO_ET_F32, SHP(6, 12, 10, 24)), CI64(2, 3));
    mo_node_set_bool(r, "keep_dims", true);
    expect(r, MO_ET_F32, "6,12,1,1");
    r = OP("ReduceMean", param(MO_ET_F32, SHP(6, 12, 10, 24)), CI64(2, 3));
    expect(r, MO_ET_F32, "6,12"); /* keep_dims defaults to false */
    r = OP("ReduceMax", param(MO_ET_F32, SHP(6, 12, 10, 24)), CI64(-2));
    mo_node_set_bool(r, "keep_dims", true);
    expect(r, MO_ET_F32, "6,12,1,24");
    r = OP("ReduceL2", param(MO_ET_F32, SHP(6, 12, 10, 24)), CI64(-2));
    expect(r, MO_ET_F32, "6,12,24");
    expect(OP("ReduceL1", param(MO_ET_F32, SHP(DYN, 12)), cscalar(1)), MO_ET_F32, "?");
    expect(OP("ReduceProd", param(MO_ET_I64, SHP(4)), CI64(0)), MO_ET_I64, "");
    /* repeated axes reduce once */
    expect(OP("ReduceMin", param(MO_ET_F32, SHP(2, 3)), CI64(1, -1)), MO_ET_F32, "2");
    /* empty axes reduce nothing */
    expect(OP("ReduceSum", param(MO_ET_F32, SHP(2, 3)), cempty()), MO_ET_F32, "2,3");
    expect(OP("ReduceLogicalAnd", param(MO_ET_BOOLEAN, SHP(2, 3)), CI64(0)), MO_ET_BOOLEAN, "3");
    expect(OP("ReduceLogicalOr", param(MO_ET_BOOLEAN, SHP(2, 3)), CI64(1)), MO_ET_BOOLEAN, "2");
    /* axes not constant: keep_dims keeps the rank */
    r = OP("ReduceSum", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_I64, SHP(1)));
    mo_node_set_bool(r, "keep_dims", true);
    expect(r, MO_ET_F32, "?,?");
    /* without keep_dims the count of (unique) axes still fixes the rank */
    expect(OP("ReduceSum", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_I64, SHP(1))), MO_ET_F32, "?");
    expect(OP("ReduceMean", param(MO_ET_F32, SHP(2, 3, 4, 5)), param(MO_ET_I64, SHP(2))), MO_ET_F32, "?,?");
    expect(OP("ReduceMax", param(MO_ET_F32, SHP(2, 3, 4)), param(MO_ET_I64, mo_shape_scalar())), MO_ET_F32,
           "?,?");
    expect(OP("ReduceSum", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_I64, SHP(2))), MO_ET_F32, "");
    /* an unknown count leaves the rank unknown */
    expect(OP("ReduceSum", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_I64, SHP(DYN))), MO_ET_F32, "...");
    infer_fails(OPN("ReduceSum", "reduce_count", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_I64, SHP(3))));
    infer_fails(OPN("ReduceSum", "reduce_axis", param(MO_ET_F32, SHP(2, 3)), CI64(2)));
    infer_fails(OPN("ReduceLogicalAnd", "reduce_bool", param(MO_ET_F32, SHP(2, 3)), CI64(0)));
}
END_TEST

START_TEST(reduce_eval)
{
    struct mo_node *m = ctensor(MO_ET_I64, SHP(2, 3), NULL); /* [[0,1,2],[3,4,5]] */
    CHECK_VALS(fold(OP("ReduceSum", m, CI64(1))), "3,12");
    CHECK_VALS(fold(OP("ReduceMax", m, CI64(0))), "3,4,5");
    struct mo_node *r = OP("ReduceMin", m, CI64(0, 1));
    mo_node_set_bool(r, "keep_dims", true);
    struct mo_node *c = fold(r);
    check_out(c, 0, MO_ET_I64, "1,1");
    CHECK_VALS(c, "0");
    struct mo_node *f = ctensor(MO_ET_F32, SHP(2, 2), (const double[]){0.5, 2, -1, 4});
    CHECK_VALS(fold(OP("ReduceProd", f, CI64(1))), "1,-4");
    CHECK_VALS(fold(OP("ReduceMax", f, CI64(0, 1))), "4");
    /* large integer products stay exact */
    CHECK_VALS(fold(OP("ReduceProd", CI64(4096, 4096, 4096, 3), CI64(0))), "206158430208");
}
END_TEST

START_TEST(topk_shapes)
{
    /* TopK-11: values and indices get dim axis = k; indices default i32 */
    struct mo_node *t = OP("TopK", param(MO_ET_F32, SHP(6, 12, 10, 24)), cscalar(10));
    mo_node_set_int(t, "axis", 3);
    mo_node_set_str(t, "mode", "max");
    mo_node_set_str(t, "sort", "value");
    infer_ok(t);
    ck_assert_uint_eq(t->n_outputs, 2);
    check_out(t, 0, MO_ET_F32, "6,12,10,10");
    check_out(t, 1, MO_ET_I32, "6,12,10,10");
    t = OP("TopK", param(MO_ET_F32, SHP(2, 5)), param(MO_ET_I64, mo_shape_scalar()));
    mo_node_set_int(t, "axis", -1);
    mo_node_set_str(t, "mode", "min");
    mo_node_set_str(t, "sort", "index");
    mo_node_set_str(t, "index_element_type", "i64");
    infer_ok(t);
    check_out(t, 0, MO_ET_F32, "2,?");
    check_out(t, 1, MO_ET_I64, "2,?");
    t = OPN("TopK", "topk_axis", param(MO_ET_F32, SHP(2, 5)), cscalar(1));
    mo_node_set_int(t, "axis", 2);
    mo_node_set_str(t, "mode", "max");
    mo_node_set_str(t, "sort", "value");
    infer_fails(t);
    t = OPN("TopK", "topk_mode", param(MO_ET_F32, SHP(2, 5)), cscalar(1));
    mo_node_set_int(t, "axis", 1);
    mo_node_set_str(t, "mode", "largest");
    mo_node_set_str(t, "sort", "value");
    infer_fails(t);
    t = OPN("TopK", "topk_k", param(MO_ET_F32, SHP(2, 5)), CI64(1, 2));
    mo_node_set_int(t, "axis", 1);
    mo_node_set_str(t, "mode", "max");
    mo_node_set_str(t, "sort", "value");
    infer_fails(t);
}
END_TEST

static Suite *reduce_suite(void)
{
    Suite *s = suite_create("ops_reduce");
    TCase *tc = tcase_create("reduce");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, reduce_shapes);
    tcase_add_test(tc, reduce_eval);
    tcase_add_test(tc, topk_shapes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(reduce_suite());
}
