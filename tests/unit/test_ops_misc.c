/* test_ops_misc.c - Convert, ConvertLike, ShapeOf, Range, Select, Round,
 * CumSum, NonZero, Einsum, ReverseSequence, FakeQuantize: shapes, types
 * and the evaluators shape sub-graphs rely on. */
#include "test_ops_common.c"

START_TEST(convert_ops)
{
    struct mo_node *c = OP("Convert", param(MO_ET_F32, SHP(2, DYN)));
    mo_node_set_str(c, "destination_type", "f16");
    expect(c, MO_ET_F16, "2,?");
    c = OP("Convert", CF32(1.7f, -1.7f, 3.0f));
    mo_node_set_str(c, "destination_type", "i64");
    struct mo_node *v = fold(c);
    check_out(v, 0, MO_ET_I64, "3");
    CHECK_VALS(v, "1,-1,3");
    c = OP("Convert", CI64(0, 2));
    mo_node_set_str(c, "destination_type", "boolean");
    v = fold(c);
    check_out(v, 0, MO_ET_BOOLEAN, "2");
    CHECK_VALS(v, "0,1");
    c = OPN("Convert", "convert_type", param(MO_ET_F32, SHP(2)));
    mo_node_set_str(c, "destination_type", "f33");
    infer_fails(c);
    expect(OP("ConvertLike", param(MO_ET_I32, SHP(4, 5)), param(MO_ET_F16, SHP(1))), MO_ET_F16, "4,5");
}
END_TEST

START_TEST(shape_of_ops)
{
    expect(OP("ShapeOf", param(MO_ET_F32, SHP(1, DYN, 5))), MO_ET_I64, "3");
    expect(OP("ShapeOf", param(MO_ET_F32, mo_shape_unknown())), MO_ET_I64, "?");
    expect(OP("ShapeOf", param(MO_ET_F32, mo_shape_scalar())), MO_ET_I64, "0");
    struct mo_node *s = OP("ShapeOf", param(MO_ET_F32, SHP(7, 9)));
    mo_node_set_str(s, "output_type", "i32");
    struct mo_node *v = fold(s);
    check_out(v, 0, MO_ET_I32, "2");
    CHECK_VALS(v, "7,9");
    s = OPN("ShapeOf", "shapeof_type", param(MO_ET_F32, SHP(2)));
    mo_node_set_str(s, "output_type", "f32");
    infer_fails(s);
}
END_TEST

static struct mo_node *range(const char *type, struct mo_node *a, struct mo_node *b, struct mo_node *c)
{
    struct mo_node *r = OP("Range", a, b, c);
    mo_node_set_str(r, "output_type", type);
    return r;
}

START_TEST(range_ops)
{
    /* Range-4 spec examples */
    struct mo_node *r = fold(range("i32", cscalar(2), cscalar(23), cscalar(3)));
    check_out(r, 0, MO_ET_I32, "7");
    CHECK_VALS(r, "2,5,8,11,14,17,20");
    r = fold(range("i32", cscalar(23), cscalar(2), cscalar(-3)));
    CHECK_VALS(r, "23,20,17,14,11,8,5");
    r = fold(range("f32", cf32_scalar(1), cf32_scalar(2.5f), cf32_scalar(0.5f)));
    check_out(r, 0, MO_ET_F32, "3");
    CHECK_VALS(r, "1,1.5,2");
    /* integer output: the inputs are cast (toward zero) first */
    r = fold(range("i64", cf32_scalar(0.5f), cf32_scalar(3.9f), cf32_scalar(1.0f)));
    CHECK_VALS(r, "0,1,2");
    expect(range("i64", cscalar(5), cscalar(1), cscalar(1)), MO_ET_I64, "0");
    expect(range("i64", cscalar(0), param(MO_ET_I64, mo_shape_scalar()), cscalar(1)), MO_ET_I64, "?");
    infer_fails(OPN("Range", "range_step", cscalar(0), cscalar(4), cscalar(0)));
    mo_node_set_str(mo_graph_find(g, "range_step"), "output_type", "i64");
    infer_fails(mo_graph_find(g, "range_step"));
    struct mo_node *bad = OPN("Range", "range_rank", CI64(0, 1), cscalar(4), cscalar(1));
    mo_node_set_str(bad, "output_type", "i64");
    infer_fails(bad);
}
END_TEST

START_TEST(select_ops)
{
    /* all three inputs broadcast numpy-style; type of then/else */
    expect(OP("Select", param(MO_ET_BOOLEAN, SHP(2, 3, 1)), param(MO_ET_F32, SHP(1, 4)),
              param(MO_ET_F32, SHP(2, 1, 4))),
           MO_ET_F32, "2,3,4");
    struct mo_node *cond = ctensor(MO_ET_BOOLEAN, SHP(3), (const double[]){1, 0, 1});
    struct mo_node *v = fold(OP("Select", cond, CI64(1, 2, 3), cscalar(0)));
    check_out(v, 0, MO_ET_I64, "3");
    CHECK_VALS(v, "1,0,3");
    struct mo_node *s = OP("Select", param(MO_ET_BOOLEAN, SHP(2, 3)), param(MO_ET_F32, SHP(2, 3)),
                           param(MO_ET_F32, SHP(2, 3)));
    mo_node_set_str(s, "auto_broadcast", "none");
    expect(s, MO_ET_F32, "2,3");
    infer_fails(OPN("Select", "select_cond", param(MO_ET_F32, SHP(2)), param(MO_ET_F32, SHP(2)),
                    param(MO_ET_F32, SHP(2))));
    infer_fails(OPN("Select", "select_types", param(MO_ET_BOOLEAN, SHP(2)), param(MO_ET_F32, SHP(2)),
                    param(MO_ET_I32, SHP(2))));
    infer_fails(OPN("Select", "select_bcast", param(MO_ET_BOOLEAN, SHP(2)), param(MO_ET_F32, SHP(3)),
                    param(MO_ET_F32, SHP(3))));
}
END_TEST

START_TEST(elementwise_misc_ops)
{
    struct mo_node *r = OP("Round", param(MO_ET_F32, SHP(2, 3)));
    mo_node_set_str(r, "mode", "half_to_even");
    expect(r, MO_ET_F32, "2,3");
    r = OPN("Round", "round_mode", param(MO_ET_F32, SHP(2, 3)));
    mo_node_set_str(r, "mode", "up");
    infer_fails(r);
    expect(OP("CumSum", param(MO_ET_F32, SHP(2, 3)), cscalar(1)), MO_ET_F32, "2,3");
    expect(OP("CumSum", param(MO_ET_F32, SHP(5))), MO_ET_F32, "5");
    infer_fails(OPN("CumSum", "cumsum_axis", param(MO_ET_F32, SHP(2, 3)), cscalar(2)));
    /* NonZero-3: [rank, number of non-zeros] */
    expect(OP("NonZero", param(MO_ET_F32, SHP(3, 4))), MO_ET_I64, "2,?");
    struct mo_node *nz = OP("NonZero", param(MO_ET_F32, SHP(5)));
    mo_node_set_str(nz, "output_type", "i32");
    expect(nz, MO_ET_I32, "1,?");
    struct mo_node *rs = OP("ReverseSequence", param(MO_ET_F32, SHP(4, 10, 100, 200)), param(MO_ET_I32, SHP(4)));
    expect(rs, MO_ET_F32, "4,10,100,200");
    rs = OP("ReverseSequence", param(MO_ET_F32, SHP(4, 10, 100, 200)), param(MO_ET_I32, SHP(10)));
    mo_node_set_int(rs, "batch_axis", 1);
    mo_node_set_int(rs, "seq_axis", 2);
    expect(rs, MO_ET_F32, "4,10,100,200");
    infer_fails(OPN("ReverseSequence", "revseq_batch", param(MO_ET_F32, SHP(4, 10)), param(MO_ET_I32, SHP(5))));
    struct mo_node *fq = OP("FakeQuantize", param(MO_ET_F32, SHP(1, 64, 10, 10)), param(MO_ET_F32, SHP(1, 64, 1, 1)),
                            param(MO_ET_F32, SHP(1, 64, 1, 1)), cf32_scalar(0), cf32_scalar(255));
    mo_node_set_int(fq, "levels", 256);
    expect(fq, MO_ET_F32, "1,64,10,10");
    fq = OPN("FakeQuantize", "fq_bcast", param(MO_ET_F32, SHP(1, 64, 10, 10)), param(MO_ET_F32, SHP(1, 32, 1, 1)),
             cf32_scalar(0), cf32_scalar(0), cf32_scalar(255));
    mo_node_set_int(fq, "levels", 256);
    infer_fails(fq);
}
END_TEST

START_TEST(einsum_ops)
{
    struct mo_node *e = OP("Einsum", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_F32, SHP(3, 5)));
    mo_node_set_str(e, "equation", "ij,jk->ik");
    expect(e, MO_ET_F32, "2,5");
    /* implicit output: labels used once, alphabetically */
    e = OP("Einsum", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_F32, SHP(3, 5)));
    mo_node_set_str(e, "equation", "kj,ji");
    expect(e, MO_ET_F32, "5,2");
    e = OP("Einsum", param(MO_ET_F32, SHP(3, 3)));
    mo_node_set_str(e, "equation", "ii->i");
    expect(e, MO_ET_F32, "3");
    /* an ellipsis: the extra dims, broadcast between the inputs */
    e = OP("Einsum", param(MO_ET_F32, SHP(2, 3, 4)));
    mo_node_set_str(e, "equation", "...ij->...ji");
    expect(e, MO_ET_F32, "2,4,3");
    e = OP("Einsum", param(MO_ET_F32, SHP(6, 1, 3, 4)), param(MO_ET_F32, SHP(5, 4, 2)));
    mo_node_set_str(e, "equation", "...ij,...jk->...ik");
    expect(e, MO_ET_F32, "6,5,3,2");
    e = OP("Einsum", param(MO_ET_F32, SHP(7, 3, 4)), param(MO_ET_F32, SHP(4, 2)));
    mo_node_set_str(e, "equation", "...ij,jk");
    expect(e, MO_ET_F32, "7,3,2");
    e = OP("Einsum", param(MO_ET_F32, mo_shape_unknown()));
    mo_node_set_str(e, "equation", "...ij->...ji");
    expect(e, MO_ET_F32, "...");
    e = OPN("Einsum", "einsum_ell_bcast", param(MO_ET_F32, SHP(6, 3, 4)), param(MO_ET_F32, SHP(5, 4, 2)));
    mo_node_set_str(e, "equation", "...ij,...jk->...ik");
    infer_fails(e);
    e = OPN("Einsum", "einsum_dims", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_F32, SHP(4, 5)));
    mo_node_set_str(e, "equation", "ij,jk->ik");
    infer_fails(e);
    e = OPN("Einsum", "einsum_rank", param(MO_ET_F32, SHP(2, 3)));
    mo_node_set_str(e, "equation", "ijk->i");
    infer_fails(e);
}
END_TEST

START_TEST(bucketize_ops)
{
    expect(OP("Bucketize", param(MO_ET_F32, SHP(2, DYN)), param(MO_ET_F32, SHP(4))), MO_ET_I64, "2,?");
    struct mo_node *b = OP("Bucketize", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_F32, SHP(4)));
    mo_node_set_str(b, "output_type", "i32");
    expect(b, MO_ET_I32, "2,3");
    infer_fails(OPN("Bucketize", "buck_rank", param(MO_ET_F32, SHP(2)), param(MO_ET_F32, SHP(2, 2))));
    b = OPN("Bucketize", "buck_type", param(MO_ET_F32, SHP(2)), param(MO_ET_F32, SHP(2)));
    mo_node_set_str(b, "output_type", "f32");
    infer_fails(b);
    /* boundaries 1, 3, 5: with the right bound a value equal to a boundary
     * stays below it, without it goes above */
    struct mo_node *x = CF32(-1, 1, 2.5f, 3, 10), *bounds = CF32(1, 3, 5);
    CHECK_VALS(fold(OP("Bucketize", x, bounds)), "0,0,1,1,3");
    b = OP("Bucketize", x, bounds);
    mo_node_set_bool(b, "with_right_bound", false);
    CHECK_VALS(fold(b), "0,1,1,2,3");
}
END_TEST

START_TEST(roll_unique_ops)
{
    expect(OP("Roll", param(MO_ET_F32, SHP(2, DYN)), CI64(1, 2), CI64(0, -1)), MO_ET_F32, "2,?");
    expect(OP("Roll", param(MO_ET_F32, SHP(2, 3)), cscalar(1), CI64(0, 1)), MO_ET_F32, "2,3");
    infer_fails(OPN("Roll", "roll_axis", param(MO_ET_F32, SHP(2, 3)), cscalar(1), CI64(2)));
    infer_fails(OPN("Roll", "roll_count", param(MO_ET_F32, SHP(2, 3)), CI64(1, 2, 3), CI64(0, 1)));
    infer_fails(OPN("Roll", "roll_type", param(MO_ET_F32, SHP(2, 3)), cf32_scalar(1), CI64(0)));

    /* Unique without an axis works on the flattened data */
    struct mo_node *u = OP("Unique", param(MO_ET_F32, SHP(2, 3, 4)));
    infer_ok(u);
    ck_assert_uint_eq(u->n_outputs, 4);
    check_out(u, 0, MO_ET_F32, "?");
    check_out(u, 1, MO_ET_I64, "?");
    check_out(u, 2, MO_ET_I64, "24");
    check_out(u, 3, MO_ET_I64, "?");
    u = OP("Unique", param(MO_ET_I32, SHP(2, 3, 4)), cscalar(1));
    mo_node_set_str(u, "index_element_type", "i32");
    infer_ok(u);
    check_out(u, 0, MO_ET_I32, "2,?,4");
    check_out(u, 1, MO_ET_I32, "?");
    check_out(u, 2, MO_ET_I32, "3");
    check_out(u, 3, MO_ET_I64, "?");
    u = OP("Unique", param(MO_ET_F32, SHP(2, DYN)), cscalar(-1));
    mo_node_set_str(u, "count_element_type", "i32");
    infer_ok(u);
    check_out(u, 0, MO_ET_F32, "2,?");
    check_out(u, 2, MO_ET_I64, "?");
    check_out(u, 3, MO_ET_I32, "?");
    u = OP("Unique", param(MO_ET_F32, mo_shape_unknown()));
    infer_ok(u);
    check_out(u, 0, MO_ET_F32, "?");
    check_out(u, 2, MO_ET_I64, "?");
    infer_fails(OPN("Unique", "unique_axis", param(MO_ET_F32, SHP(2, 3)), cscalar(2)));
    infer_fails(OPN("Unique", "unique_axis_shape", param(MO_ET_F32, SHP(2, 3)), CI64(0, 1)));
    u = OPN("Unique", "unique_type", param(MO_ET_F32, SHP(2, 3)));
    mo_node_set_str(u, "index_element_type", "u8");
    infer_fails(u);
}
END_TEST

START_TEST(generation_ops)
{
    struct mo_node *e = OP("Eye", cscalar(3), cscalar(4), cscalar(0), CI64(2, 5));
    mo_node_set_str(e, "output_type", "i32");
    expect(e, MO_ET_I32, "2,5,3,4");
    e = OP("Eye", param(MO_ET_I64, mo_shape_scalar()), CI64(4), cscalar(0));
    mo_node_set_str(e, "output_type", "f32");
    expect(e, MO_ET_F32, "?,4");
    e = OP("Eye", cscalar(2), cscalar(2), cscalar(0), param(MO_ET_I64, SHP(3)));
    mo_node_set_str(e, "output_type", "f32");
    expect(e, MO_ET_F32, "?,?,?,2,2");
    /* the diagonal moved right by 1 on 3x4, left by 1 on 3x3 */
    e = OP("Eye", cscalar(3), cscalar(4), cscalar(1));
    mo_node_set_str(e, "output_type", "f32");
    CHECK_VALS(fold(e), "0,1,0,0,0,0,1,0,0,0,0,1");
    e = OP("Eye", cscalar(3), cscalar(3), cscalar(-1), CI64(2));
    mo_node_set_str(e, "output_type", "i64");
    struct mo_node *r = fold(e);
    check_out(r, 0, MO_ET_I64, "2,3,3");
    CHECK_VALS(r, "0,0,0,1,0,0,0,1,0,0,0,0,1,0,0,0,1,0");
    e = OPN("Eye", "eye_type", cscalar(3), cscalar(3), cscalar(0));
    infer_fails(e);
    e = OPN("Eye", "eye_rows", CI64(2, 3), cscalar(3), cscalar(0));
    mo_node_set_str(e, "output_type", "f32");
    infer_fails(e);

    struct mo_node *ru = OP("RandomUniform", CI64(2, 3), cf32_scalar(0), cf32_scalar(1));
    mo_node_set_str(ru, "output_type", "f32");
    expect(ru, MO_ET_F32, "2,3");
    ck_assert_ptr_null(ru->def->eval); /* the runtime's generator decides the values */
    ru = OP("RandomUniform", param(MO_ET_I64, SHP(3)), cscalar(0), cscalar(10));
    mo_node_set_str(ru, "output_type", "i64");
    expect(ru, MO_ET_I64, "?,?,?");
    ru = OPN("RandomUniform", "ru_types", CI64(2), ctensor(MO_ET_I32, mo_shape_scalar(), NULL), cf32_scalar(1));
    mo_node_set_str(ru, "output_type", "f32");
    infer_fails(ru);
    ru = OPN("RandomUniform", "ru_align", CI64(2), cf32_scalar(0), cf32_scalar(1));
    mo_node_set_str(ru, "output_type", "f32");
    mo_node_set_str(ru, "alignment", "numpy");
    infer_fails(ru);

    struct mo_node *m = OP("Multinomial", param(MO_ET_F32, SHP(2, 5)), cscalar(3));
    mo_node_set_str(m, "convert_type", "i32");
    mo_node_set_bool(m, "with_replacement", true);
    mo_node_set_bool(m, "log_probs", false);
    expect(m, MO_ET_I32, "2,3");
    m = OP("Multinomial", param(MO_ET_F32, SHP(DYN, 5)), param(MO_ET_I64, SHP(1)));
    mo_node_set_str(m, "convert_type", "i64");
    expect(m, MO_ET_I64, "?,?");
    m = OPN("Multinomial", "mult_rank", param(MO_ET_F32, SHP(5)), cscalar(3));
    mo_node_set_str(m, "convert_type", "i64");
    infer_fails(m);
    m = OPN("Multinomial", "mult_type", param(MO_ET_F32, SHP(2, 5)), cscalar(3));
    mo_node_set_str(m, "convert_type", "f32");
    infer_fails(m);
}
END_TEST

START_TEST(fft_ops)
{
    /* complex data [..., 2]: axes count over the dims before that last one */
    expect(OP("DFT", param(MO_ET_F32, SHP(2, 10, 6, 2)), CI64(-1), CI64(7)), MO_ET_F32, "2,10,7,2");
    expect(OP("IDFT", param(MO_ET_F32, SHP(2, 10, 6, 2)), CI64(0, 1), CI64(-1, 4)), MO_ET_F32, "2,4,6,2");
    expect(OP("DFT", param(MO_ET_F32, SHP(2, 10, 6, 2)), param(MO_ET_I64, SHP(1))), MO_ET_F32, "2,10,6,2");
    expect(OP("DFT", param(MO_ET_F32, SHP(2, 10, 6, 2)), param(MO_ET_I64, SHP(1)), param(MO_ET_I64, SHP(1))),
           MO_ET_F32, "?,?,?,2");
    /* RDFT: the last axis keeps n / 2 + 1 values, a complex dim is added */
    expect(OP("RDFT", param(MO_ET_F32, SHP(2, 10, 6)), CI64(1, 2)), MO_ET_F32, "2,10,4,2");
    expect(OP("RDFT", param(MO_ET_F32, SHP(2, 10, 6)), CI64(1, 2), CI64(-1, 9)), MO_ET_F32, "2,10,5,2");
    expect(OP("RDFT", param(MO_ET_F32, SHP(2, DYN, 6)), param(MO_ET_I64, SHP(2))), MO_ET_F32, "?,?,?,2");
    /* IRDFT: the last axis becomes 2 * (n - 1) unless signal_size says */
    expect(OP("IRDFT", param(MO_ET_F32, SHP(2, 10, 6, 2)), CI64(1, 2)), MO_ET_F32, "2,10,10");
    expect(OP("IRDFT", param(MO_ET_F32, SHP(2, 10, 6, 2)), CI64(1, 2), CI64(4, -1)), MO_ET_F32, "2,4,10");
    expect(OP("IRDFT", param(MO_ET_F32, SHP(2, 10, 6, 2)), CI64(2, 1)), MO_ET_F32, "2,18,6");
    expect(OP("IRDFT", param(MO_ET_F32, SHP(2, 10, DYN, 2)), CI64(-1)), MO_ET_F32, "2,10,?");
    expect(OP("IRDFT", param(MO_ET_F32, mo_shape_unknown()), CI64(0)), MO_ET_F32, "...");
    infer_fails(OPN("DFT", "dft_complex", param(MO_ET_F32, SHP(2, 10, 3)), CI64(0)));
    infer_fails(OPN("DFT", "dft_axis", param(MO_ET_F32, SHP(2, 10, 2)), CI64(2)));
    infer_fails(OPN("RDFT", "rdft_sizes", param(MO_ET_F32, SHP(2, 10)), CI64(0, 1), CI64(4)));
    infer_fails(OPN("IRDFT", "irdft_dup", param(MO_ET_F32, SHP(2, 10, 2)), CI64(0, -2)));
    infer_fails(OPN("RDFT", "rdft_int", param(MO_ET_I32, SHP(2, 10)), CI64(0)));
    infer_fails(OPN("DFT", "dft_zero", param(MO_ET_F32, SHP(2, 10, 2)), CI64(0), CI64(0)));
}
END_TEST

static Suite *misc_suite(void)
{
    Suite *s = suite_create("ops_misc");
    TCase *tc = tcase_create("misc");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, convert_ops);
    tcase_add_test(tc, shape_of_ops);
    tcase_add_test(tc, range_ops);
    tcase_add_test(tc, select_ops);
    tcase_add_test(tc, elementwise_misc_ops);
    tcase_add_test(tc, einsum_ops);
    tcase_add_test(tc, bucketize_ops);
    tcase_add_test(tc, roll_unique_ops);
    tcase_add_test(tc, generation_ops);
    tcase_add_test(tc, fft_ops);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(misc_suite());
}
