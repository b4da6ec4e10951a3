/* test_ops_shape.c - shape inference and folding of the data-movement ops
 * (Reshape Concat Transpose Squeeze Unsqueeze Split VariadicSplit Tile
 * Broadcast DepthToSpace SpaceToDepth ShuffleChannels SpaceToBatch
 * BatchToSpace).  Expected shapes
 * come from the examples and formulas of the OpenVINO op specifications. */
#include "test_ops_common.c"

START_TEST(reshape_special_zero)
{
    /* Reshape-1 spec: [2,5,5,24] with [0,-1,4], special_zero -> [2,150,4] */
    struct mo_node *r = OP("Reshape", param(MO_ET_F32, SHP(2, 5, 5, 24)), CI64(0, -1, 4));
    mo_node_set_bool(r, "special_zero", true);
    expect(r, MO_ET_F32, "2,150,4");
    /* without special_zero the 0 is a real zero: [0,4] from 0 elements */
    r = OP("Reshape", param(MO_ET_F32, SHP(0)), CI64(0, 4));
    mo_node_set_bool(r, "special_zero", false);
    expect(r, MO_ET_F32, "0,4");
    /* a copied dynamic dim stays dynamic and cancels out of the -1:
     * [?,16,1,1] with [0,-1] -> [?,16] */
    r = OP("Reshape", param(MO_ET_F32, SHP(DYN, 16, 1, 1)), CI64(0, -1));
    mo_node_set_bool(r, "special_zero", true);
    expect(r, MO_ET_F32, "?,16");
    r = OPN("Reshape", "bad_reshape", param(MO_ET_F32, SHP(2, 3)), CI64(4, 2));
    mo_node_set_bool(r, "special_zero", false);
    infer_fails(r);
}
END_TEST

START_TEST(concat_shapes)
{
    /* Concat-1 spec: [1,8,50,50] x2 on axis 1 -> [1,16,50,50] */
    struct mo_node *c = OP("Concat", param(MO_ET_F32, SHP(1, 8, 50, 50)), param(MO_ET_F32, SHP(1, 8, 50, 50)));
    mo_node_set_int(c, "axis", 1);
    expect(c, MO_ET_F32, "1,16,50,50");
    c = OP("Concat", param(MO_ET_F32, SHP(DYN, 8, 5)), param(MO_ET_F32, SHP(2, DYN, 5)));
    mo_node_set_int(c, "axis", -1);
    expect(c, MO_ET_F32, "2,8,10");
    c = OPN("Concat", "bad_concat", param(MO_ET_F32, SHP(1, 8)), param(MO_ET_F32, SHP(2, 8)));
    mo_node_set_int(c, "axis", 1);
    infer_fails(c);
    c = OPN("Concat", "bad_axis", param(MO_ET_F32, SHP(1, 8)), param(MO_ET_F32, SHP(1, 8)));
    mo_node_set_int(c, "axis", 2);
    infer_fails(c);
}
END_TEST

START_TEST(transpose_shapes)
{
    /* Transpose-1 spec: [2,3,4] with order [2,0,1] -> [4,2,3]; empty order reverses */
    expect(OP("Transpose", param(MO_ET_F32, SHP(2, 3, 4)), CI64(2, 0, 1)), MO_ET_F32, "4,2,3");
    expect(OP("Transpose", param(MO_ET_F32, SHP(2, 3, 4)), cempty()), MO_ET_F32, "4,3,2");
    expect(OP("Transpose", param(MO_ET_F32, SHP(DYN, 3, 4)), CI64(1, 2, 0)), MO_ET_F32, "3,4,?");
    /* order not constant: the rank stays, dims are unknown */
    struct mo_node *ord = param(MO_ET_I64, SHP(3));
    expect(OP("Transpose", param(MO_ET_F32, SHP(2, 3, 4)), ord), MO_ET_F32, "?,?,?");
    /* unknown input rank: the order gives it */
    expect(OP("Transpose", param(MO_ET_F32, mo_shape_unknown()), CI64(1, 0)), MO_ET_F32, "?,?");
    infer_fails(OPN("Transpose", "tr_dup", param(MO_ET_F32, SHP(2, 3, 4)), CI64(0, 0, 1)));
    infer_fails(OPN("Transpose", "tr_len", param(MO_ET_F32, SHP(2, 3, 4)), CI64(1, 0)));
}
END_TEST

START_TEST(transpose_eval)
{
    struct mo_node *x = ctensor(MO_ET_I64, SHP(2, 3), NULL); /* 0..5 */
    struct mo_node *t = fold(OP("Transpose", x, CI64(1, 0)));
    check_out(t, 0, MO_ET_I64, "3,2");
    CHECK_VALS(t, "0,3,1,4,2,5");
}
END_TEST

START_TEST(squeeze_shapes)
{
    /* Squeeze-1 spec: [1,3,1,2] axes [0,2] -> [3,2]; [1] axes [0] -> scalar */
    expect(OP("Squeeze", param(MO_ET_F32, SHP(1, 3, 1, 2)), CI64(0, 2)), MO_ET_F32, "3,2");
    expect(OP("Squeeze", param(MO_ET_F32, SHP(1)), CI64(0)), MO_ET_F32, "");
    expect(OP("Squeeze", param(MO_ET_F32, SHP(1, 3, 1, 2))), MO_ET_F32, "3,2");
    expect(OP("Squeeze", param(MO_ET_F32, SHP(1, 3, 1, 2)), CI64(-2)), MO_ET_F32, "1,3,2");
    /* without axes a dynamic dim could be 1: the rank is unknown */
    expect(OP("Squeeze", param(MO_ET_F32, SHP(DYN, 3))), MO_ET_F32, "...");
    infer_fails(OPN("Squeeze", "sq_not_one", param(MO_ET_F32, SHP(1, 3)), CI64(1)));
    infer_fails(OPN("Squeeze", "sq_axis", param(MO_ET_F32, SHP(1, 3)), CI64(2)));
}
END_TEST

START_TEST(unsqueeze_shapes)
{
    /* Unsqueeze-1 spec: [2,3] axes [0,3] -> [1,2,3,1]; scalar axes [0] -> [1] */
    expect(OP("Unsqueeze", param(MO_ET_F32, SHP(2, 3)), CI64(0, 3)), MO_ET_F32, "1,2,3,1");
    expect(OP("Unsqueeze", param(MO_ET_F32, mo_shape_scalar()), CI64(0)), MO_ET_F32, "1");
    expect(OP("Unsqueeze", param(MO_ET_F32, SHP(2, DYN)), CI64(-1)), MO_ET_F32, "2,?,1");
    infer_fails(OPN("Unsqueeze", "unsq_dup", param(MO_ET_F32, SHP(2, 3)), CI64(1, 1)));
    infer_fails(OPN("Unsqueeze", "unsq_range", param(MO_ET_F32, SHP(2, 3)), CI64(5)));
}
END_TEST

START_TEST(squeeze_unsqueeze_eval)
{
    struct mo_node *x = ctensor(MO_ET_I64, SHP(1, 3), NULL);
    struct mo_node *s = fold(OP("Squeeze", x, CI64(0)));
    check_out(s, 0, MO_ET_I64, "3");
    CHECK_VALS(s, "0,1,2");
    struct mo_node *u = fold(OP("Unsqueeze", s, CI64(0, 2)));
    check_out(u, 0, MO_ET_I64, "1,3,1");
    CHECK_VALS(u, "0,1,2");
}
END_TEST

START_TEST(split_shapes)
{
    /* Split-1 spec: [6,12,10,24], axis 1, num_splits 3 -> 3 x [6,4,10,24] */
    struct mo_node *s = OP("Split", param(MO_ET_F32, SHP(6, 12, 10, 24)), cscalar(1));
    mo_node_set_int(s, "num_splits", 3);
    infer_ok(s);
    ck_assert_uint_eq(s->n_outputs, 3);
    for (unsigned i = 0; i < 3; i++)
        check_out(s, i, MO_ET_F32, "6,4,10,24");
    s = OPN("Split", "split_uneven", param(MO_ET_F32, SHP(6, 12)), cscalar(1));
    mo_node_set_int(s, "num_splits", 5);
    infer_fails(s);
    s = OPN("Split", "split_axis", param(MO_ET_F32, SHP(6, 12)), cscalar(2));
    mo_node_set_int(s, "num_splits", 2);
    infer_fails(s);
    s = OP("Split", param(MO_ET_F32, SHP(DYN, 12)), cscalar(0));
    mo_node_set_int(s, "num_splits", 2);
    infer_ok(s);
    check_out(s, 1, MO_ET_F32, "?,12");
}
END_TEST

START_TEST(split_eval)
{
    struct mo_node *x = ctensor(MO_ET_I64, SHP(2, 3), NULL);
    struct mo_node *s = OP("Split", x, cscalar(0));
    mo_node_set_int(s, "num_splits", 2);
    struct mo_node *b = fold_port(s, 1);
    check_out(b, 0, MO_ET_I64, "1,3");
    CHECK_VALS(b, "3,4,5");
    struct mo_node *v = OP("VariadicSplit", x, cscalar(1), CI64(2, -1));
    struct mo_node *v0 = fold_port(v, 0), *v1 = fold_port(v, 1);
    CHECK_VALS(v0, "0,1,3,4");
    CHECK_VALS(v1, "2,5");
}
END_TEST

START_TEST(variadic_split_shapes)
{
    /* VariadicSplit-1 spec: [6,12,10,24] axis 0, [1,2,3] -> [1,..],[2,..],[3,..];
     * axis 1, [-1,2] -> [6,10,10,24],[6,2,10,24] */
    struct mo_node *v = OP("VariadicSplit", param(MO_ET_F32, SHP(6, 12, 10, 24)), cscalar(0), CI64(1, 2, 3));
    infer_ok(v);
    ck_assert_uint_eq(v->n_outputs, 3);
    check_out(v, 0, MO_ET_F32, "1,12,10,24");
    check_out(v, 1, MO_ET_F32, "2,12,10,24");
    check_out(v, 2, MO_ET_F32, "3,12,10,24");
    v = OP("VariadicSplit", param(MO_ET_F32, SHP(6, 12, 10, 24)), cscalar(1), CI64(-1, 2));
    infer_ok(v);
    ck_assert_uint_eq(v->n_outputs, 2);
    check_out(v, 0, MO_ET_F32, "6,10,10,24");
    check_out(v, 1, MO_ET_F32, "6,2,10,24");
    infer_fails(OPN("VariadicSplit", "vs_sum", param(MO_ET_F32, SHP(6, 12)), cscalar(0), CI64(1, 2)));
    infer_fails(OPN("VariadicSplit", "vs_two_minus", param(MO_ET_F32, SHP(6, 12)), cscalar(0), CI64(-1, -1)));
}
END_TEST

START_TEST(tile_shapes)
{
    /* Tile-1 spec examples */
    expect(OP("Tile", param(MO_ET_F32, SHP(2, 3, 4)), CI64(1, 2, 3)), MO_ET_F32, "2,6,12");
    expect(OP("Tile", param(MO_ET_F32, SHP(2, 3, 4)), CI64(2, 1)), MO_ET_F32, "2,6,4");
    expect(OP("Tile", param(MO_ET_F32, SHP(2, 3, 4)), CI64(1, 2, 3, 4)), MO_ET_F32, "1,4,9,16");
    expect(OP("Tile", param(MO_ET_F32, SHP(DYN, 3)), CI64(2, 2)), MO_ET_F32, "?,6");
    infer_fails(OPN("Tile", "tile_neg", param(MO_ET_F32, SHP(2)), CI64(-1)));
}
END_TEST

START_TEST(tile_eval)
{
    struct mo_node *x = ctensor(MO_ET_I64, SHP(2, 1), NULL);
    struct mo_node *t = fold(OP("Tile", x, CI64(2, 3)));
    check_out(t, 0, MO_ET_I64, "4,3");
    CHECK_VALS(t, "0,0,0,1,1,1,0,0,0,1,1,1");
}
END_TEST

START_TEST(broadcast_shapes)
{
    /* Broadcast-3 spec examples */
    struct mo_node *b = OP("Broadcast", param(MO_ET_F32, SHP(16, 1, 1)), CI64(1, 16, 50, 50));
    expect(b, MO_ET_F32, "1,16,50,50");
    b = OP("Broadcast", param(MO_ET_F32, SHP(16)), CI64(1, 16, 50, 50), CI64(1));
    mo_node_set_str(b, "mode", "explicit");
    expect(b, MO_ET_F32, "1,16,50,50");
    b = OP("Broadcast", param(MO_ET_F32, SHP(50, 50)), CI64(1, 50, 50, 16), CI64(1, 2));
    mo_node_set_str(b, "mode", "explicit");
    expect(b, MO_ET_F32, "1,50,50,16");
    b = OP("Broadcast", param(MO_ET_F32, SHP(16, 1, 1)), CI64(1, 1, 50, 50));
    mo_node_set_str(b, "mode", "bidirectional");
    expect(b, MO_ET_F32, "1,16,50,50");
    /* target from a non-constant of known length */
    b = OP("Broadcast", param(MO_ET_F32, SHP(3)), param(MO_ET_I64, SHP(2)));
    expect(b, MO_ET_F32, "?,?");
    infer_fails(OPN("Broadcast", "bc_numpy", param(MO_ET_F32, SHP(3)), CI64(2, 4)));
    b = OPN("Broadcast", "bc_explicit", param(MO_ET_F32, SHP(16)), CI64(1, 16, 50), CI64(2));
    mo_node_set_str(b, "mode", "explicit");
    infer_fails(b);
    b = OPN("Broadcast", "bc_bidir", param(MO_ET_F32, SHP(3, 1)), CI64(4, 5));
    mo_node_set_str(b, "mode", "bidirectional");
    infer_fails(b);
}
END_TEST

START_TEST(broadcast_eval)
{
    struct mo_node *b = fold(OP("Broadcast", ctensor(MO_ET_I64, SHP(3), NULL), CI64(2, 3)));
    CHECK_VALS(b, "0,1,2,0,1,2");
    b = OP("Broadcast", CI64(5, 7), CI64(2, 3), CI64(0));
    mo_node_set_str(b, "mode", "explicit");
    CHECK_VALS(fold(b), "5,5,5,7,7,7");
    b = OP("Broadcast", ctensor(MO_ET_I64, SHP(2, 1), NULL), CI64(1, 3));
    mo_node_set_str(b, "mode", "bidirectional");
    struct mo_node *c = fold(b);
    check_out(c, 0, MO_ET_I64, "2,3");
    CHECK_VALS(c, "0,0,0,1,1,1");
}
END_TEST

START_TEST(depth_space_shapes)
{
    /* DepthToSpace-1 spec: [5,28,2,3], block 2 -> [5,7,4,6]; SpaceToDepth-1 back */
    struct mo_node *d = OP("DepthToSpace", param(MO_ET_F32, SHP(5, 28, 2, 3)));
    mo_node_set_str(d, "mode", "blocks_first");
    mo_node_set_int(d, "block_size", 2);
    expect(d, MO_ET_F32, "5,7,4,6");
    d = OP("SpaceToDepth", param(MO_ET_F32, SHP(5, 7, 4, 6)));
    mo_node_set_str(d, "mode", "depth_first");
    mo_node_set_int(d, "block_size", 2);
    expect(d, MO_ET_F32, "5,28,2,3");
    d = OPN("DepthToSpace", "d2s_bad", param(MO_ET_F32, SHP(1, 28, 2, 3)));
    mo_node_set_str(d, "mode", "blocks_first");
    mo_node_set_int(d, "block_size", 3);
    infer_fails(d);
    d = OPN("SpaceToDepth", "s2d_bad", param(MO_ET_F32, SHP(1, 1, 5, 4)));
    mo_node_set_str(d, "mode", "blocks_first");
    mo_node_set_int(d, "block_size", 2);
    infer_fails(d);
    d = OPN("DepthToSpace", "d2s_mode", param(MO_ET_F32, SHP(1, 4, 2, 2)));
    mo_node_set_str(d, "mode", "sideways");
    infer_fails(d);
}
END_TEST

START_TEST(space_batch_shapes)
{
    /* the specs' formulas: [2,6,4,3] block [1,2,4,3], pads [0,1,0,1] and
     * [0,1,0,2] -> padded [2,8,4,6] -> [2*24, 8/2, 4/4, 6/3]; [48,3,3,1]
     * with crops [0,0,1,0] twice -> [48/24, 3*2, 3*4-2, 1*3] */
    expect(OP("SpaceToBatch", param(MO_ET_F32, SHP(2, 6, 4, 3)), CI64(1, 2, 4, 3), CI64(0, 1, 0, 1),
              CI64(0, 1, 0, 2)),
           MO_ET_F32, "48,4,1,2");
    expect(OP("BatchToSpace", param(MO_ET_F32, SHP(48, 3, 3, 1)), CI64(1, 2, 4, 3), CI64(0, 0, 1, 0),
              CI64(0, 0, 1, 0)),
           MO_ET_F32, "2,6,10,3");
    /* computed blocks: the rank stays, every dim unknown */
    expect(OP("SpaceToBatch", param(MO_ET_F32, SHP(2, 6, 4, 3)), param(MO_ET_I64, SHP(4)), CI64(0, 0, 0, 0),
              CI64(0, 0, 0, 0)),
           MO_ET_F32, "?,?,?,?");
    infer_fails(OPN("SpaceToBatch", "s2b_indivisible", param(MO_ET_F32, SHP(1, 5, 4, 3)), CI64(1, 2, 2, 1),
                    CI64(0, 0, 0, 0), CI64(0, 0, 0, 0)));
    infer_fails(OPN("SpaceToBatch", "s2b_batch_block", param(MO_ET_F32, SHP(1, 4, 4, 3)), CI64(2, 2, 2, 1),
                    CI64(0, 0, 0, 0), CI64(0, 0, 0, 0)));
    infer_fails(OPN("BatchToSpace", "b2s_batch", param(MO_ET_F32, SHP(6, 4, 4, 3)), CI64(1, 2, 2, 1),
                    CI64(0, 0, 0, 0), CI64(0, 0, 0, 0)));
    infer_fails(OPN("BatchToSpace", "b2s_crops", param(MO_ET_F32, SHP(4, 2, 2, 3)), CI64(1, 2, 2, 1),
                    CI64(0, 3, 0, 0), CI64(0, 2, 0, 0)));
    infer_fails(OPN("SpaceToBatch", "s2b_count", param(MO_ET_F32, SHP(4, 2, 2, 3)), CI64(1, 2, 2),
                    CI64(0, 0, 0), CI64(0, 0, 0)));
}
END_TEST

START_TEST(shuffle_channels_shapes)
{
    struct mo_node *s = OP("ShuffleChannels", param(MO_ET_F32, SHP(5, 12, 200, 400)));
    mo_node_set_int(s, "group", 3);
    expect(s, MO_ET_F32, "5,12,200,400");
    s = OPN("ShuffleChannels", "shuffle_bad", param(MO_ET_F32, SHP(5, 12, 200, 400)));
    mo_node_set_int(s, "group", 5);
    infer_fails(s);
}
END_TEST

static Suite *shape_suite(void)
{
    Suite *s = suite_create("ops_shape");
    TCase *tc = tcase_create("shape");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, reshape_special_zero);
    tcase_add_test(tc, concat_shapes);
    tcase_add_test(tc, transpose_shapes);
    tcase_add_test(tc, transpose_eval);
    tcase_add_test(tc, squeeze_shapes);
    tcase_add_test(tc, unsqueeze_shapes);
    tcase_add_test(tc, squeeze_unsqueeze_eval);
    tcase_add_test(tc, split_shapes);
    tcase_add_test(tc, split_eval);
    tcase_add_test(tc, variadic_split_shapes);
    tcase_add_test(tc, tile_shapes);
    tcase_add_test(tc, tile_eval);
    tcase_add_test(tc, broadcast_shapes);
    tcase_add_test(tc, broadcast_eval);
    tcase_add_test(tc, depth_space_shapes);
    tcase_add_test(tc, shuffle_channels_shapes);
    tcase_add_test(tc, space_batch_shapes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(shape_suite());
}
