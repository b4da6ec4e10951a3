/* test_ops_gather.c - Gather, GatherND, GatherElements, StridedSlice, Slice,
 * ScatterUpdate, ScatterNDUpdate (opset4 and -15), ScatterElementsUpdate
 * and OneHot: shapes from the OpenVINO specification
 * examples, evaluators, and a ShapeOf -> Gather -> Concat shape sub-graph
 * folded the way constant folding does it. */
#include "test_ops_common.c"

#include <stdint.h>

START_TEST(gather_shapes)
{
    /* Gather-8: out = data[:axis] + indices[batch_dims:] + data[axis+1:] */
    struct mo_node *x = OP("Gather", param(MO_ET_F32, SHP(6, 12, 10, 24)),
                           param(MO_ET_I32, SHP(15, 4, 20, 28)), cscalar(1));
    expect(x, MO_ET_F32, "6,15,4,20,28,10,24");
    x = OP("Gather", param(MO_ET_F32, SHP(2, 5)), param(MO_ET_I64, SHP(2, 3)), cscalar(1));
    mo_node_set_int(x, "batch_dims", 1);
    expect(x, MO_ET_F32, "2,3");
    x = OP("Gather", param(MO_ET_F32, SHP(2, 5, 7)), param(MO_ET_I64, SHP(2, 3)), cscalar(-1));
    mo_node_set_int(x, "batch_dims", -1);
    expect(x, MO_ET_F32, "2,5,3");
    /* scalar index removes the axis */
    expect(OP("Gather", param(MO_ET_F32, SHP(3, 4)), cscalar(0), cscalar(0)), MO_ET_F32, "4");
    expect(OP("Gather", param(MO_ET_F32, SHP(DYN, 4)), param(MO_ET_I64, SHP(DYN)), cscalar(1)),
           MO_ET_F32, "?,?");
    /* axis not constant: only the rank is known */
    expect(OP("Gather", param(MO_ET_F32, SHP(3, 4)), param(MO_ET_I64, SHP(2)), param(MO_ET_I64, SHP(1))),
           MO_ET_F32, "?,?");
    infer_fails(OPN("Gather", "gather_axis", param(MO_ET_F32, SHP(3, 4)), CI64(0), cscalar(2)));
    x = OPN("Gather", "gather_batch", param(MO_ET_F32, SHP(2, 5)), param(MO_ET_I64, SHP(2, 3)), cscalar(0));
    mo_node_set_int(x, "batch_dims", 1);
    infer_fails(x);
    x = OPN("Gather", "gather_batch_dim", param(MO_ET_F32, SHP(2, 5)), param(MO_ET_I64, SHP(3, 3)), cscalar(1));
    mo_node_set_int(x, "batch_dims", 1);
    infer_fails(x);
}
END_TEST

START_TEST(gather_eval)
{
    /* negative indices count from the end; out-of-range ones give 0 */
    struct mo_node *d = CI64(1, 2, 3, 4, 5);
    CHECK_VALS(fold(OP("Gather", d, CI64(0, -1, 2), cscalar(0))), "1,5,3");
    CHECK_VALS(fold(OP("Gather", d, CI64(7), cscalar(0))), "0");
    /* [[0,1,2],[3,4,5]] gathered along axis 1 */
    struct mo_node *m = ctensor(MO_ET_I64, SHP(2, 3), NULL);
    struct mo_node *r = fold(OP("Gather", m, CI64(2, 0), cscalar(1)));
    check_out(r, 0, MO_ET_I64, "2,2");
    CHECK_VALS(r, "2,0,5,3");
    /* batch_dims 1: row b takes its own index */
    struct mo_node *gb = OP("Gather", m, ctensor(MO_ET_I64, SHP(2, 1), (const double[]){1, 2}), cscalar(1));
    mo_node_set_int(gb, "batch_dims", 1);
    r = fold(gb);
    check_out(r, 0, MO_ET_I64, "2,1");
    CHECK_VALS(r, "1,5");
}
END_TEST

START_TEST(gather_nd_shapes)
{
    /* GatherND-8 spec examples */
    expect(OP("GatherND", param(MO_ET_F32, SHP(1000, 256, 10, 15)), param(MO_ET_I32, SHP(25, 125, 3))),
           MO_ET_F32, "25,125,15");
    struct mo_node *n = OP("GatherND", param(MO_ET_F32, SHP(30, 2, 100, 35)), param(MO_ET_I32, SHP(30, 2, 3, 1)));
    mo_node_set_int(n, "batch_dims", 2);
    expect(n, MO_ET_F32, "30,2,3,35");
    n = OP("GatherND", param(MO_ET_F32, SHP(1, 64, 64, 320)), param(MO_ET_I32, SHP(1, 64, 64, 1, 1)));
    mo_node_set_int(n, "batch_dims", 3);
    expect(n, MO_ET_F32, "1,64,64,1");
    /* examples 4/5: batch_dims 1, indices [2,1] */
    n = OP("GatherND", param(MO_ET_I32, SHP(2, 2)), param(MO_ET_I32, SHP(2, 1)));
    mo_node_set_int(n, "batch_dims", 1);
    expect(n, MO_ET_I32, "2");
    n = OP("GatherND", param(MO_ET_I32, SHP(2, 3, 4)), param(MO_ET_I32, SHP(2, 1)));
    mo_node_set_int(n, "batch_dims", 1);
    expect(n, MO_ET_I32, "2,4");
    infer_fails(OPN("GatherND", "gnd_long", param(MO_ET_F32, SHP(2, 2)), param(MO_ET_I32, SHP(3, 3))));
    n = OPN("GatherND", "gnd_batch", param(MO_ET_F32, SHP(2, 2)), param(MO_ET_I32, SHP(2, 1)));
    mo_node_set_int(n, "batch_dims", 2);
    infer_fails(n);
}
END_TEST

static struct mo_node *sslice(struct mo_node *x, struct mo_node *b, struct mo_node *e, struct mo_node *s)
{
    struct mo_node *n = s ? OP("StridedSlice", x, b, e, s) : OP("StridedSlice", x, b, e);
    SET_INTS(n, "begin_mask", 0);
    SET_INTS(n, "end_mask", 0);
    return n;
}

START_TEST(strided_slice_shapes)
{
    /* StridedSlice-1 spec: array[0:4, 1:4, 0:4:2, 1:4:2, 3:0:-1, 3:0:-2] on 4^6.
     * The slicing rules of the spec give 3 elements for 3:0:-1 ([3,2,1];
     * the example's comment says 4). */
    struct mo_node *n = sslice(param(MO_ET_F32, SHP(4, 4, 4, 4, 4, 4)), CI64(0, 1, 0, 1, 3, 3),
                               CI64(4, 4, 4, 4, 0, 0), CI64(1, 1, 2, 2, -1, -2));
    expect(n, MO_ET_F32, "4,3,2,2,3,2");
    /* array[0:2, 0:2, 0:-1] on [2,3,4] */
    n = sslice(param(MO_ET_F32, SHP(2, 3, 4)), CI64(0, 0, 0), CI64(2, 2, -1), CI64(1, 1, 1));
    expect(n, MO_ET_F32, "2,2,3");
    /* without the stride input the stride is 1 */
    n = sslice(param(MO_ET_F32, SHP(2, 3, 4)), CI64(1, 0, 0), CI64(2, 3, 4), NULL);
    expect(n, MO_ET_F32, "1,3,4");
    /* begin_mask/end_mask: array[1:, :, :] */
    n = sslice(param(MO_ET_F32, SHP(2, 3, 4)), CI64(1, 1, 123), CI64(0, 0, 2), CI64(1, 1, 1));
    SET_INTS(n, "begin_mask", 0, 1, 1);
    SET_INTS(n, "end_mask", 1, 1, 1);
    expect(n, MO_ET_F32, "1,3,4");
    /* new_axis_mask: array[np.newaxis, 0:2, np.newaxis, 0:4] on [2,4] */
    n = sslice(param(MO_ET_F32, SHP(2, 4)), CI64(1234, 0, -1, 0), CI64(1234, 2, 9876, 4),
               CI64(132, 1, 241, 1));
    SET_INTS(n, "begin_mask", 0, 0, 0, 0);
    SET_INTS(n, "end_mask", 0, 0, 0, 0);
    SET_INTS(n, "new_axis_mask", 1, 0, 1, 0);
    expect(n, MO_ET_F32, "1,2,1,4");
    /* shrink_axis_mask: array[0:1, 0, 0:384, 0:640, 0:8] */
    n = sslice(param(MO_ET_F32, SHP(1, 2, 384, 640, 8)), CI64(0, 0, 0, 0, 0), CI64(1, 0, 384, 640, 8),
               CI64(1, 1, 1, 1, 1));
    SET_INTS(n, "shrink_axis_mask", 0, 1, 0, 0, 0);
    expect(n, MO_ET_F32, "1,384,640,8");
    /* ellipsis_mask: array[0:4, ..., 0:5] on a 10-D array */
    n = sslice(param(MO_ET_F32, SHP(10, 10, 10, 10, 10, 10, 10, 10, 10, 10)), CI64(0, 0, 0), CI64(4, 0, 5),
               CI64(1, -1, 1));
    SET_INTS(n, "ellipsis_mask", 0, 1, 0);
    expect(n, MO_ET_F32, "4,10,10,10,10,10,10,10,10,5");
    /* array[2:, ..., np.newaxis, :10] with masks of unequal lengths */
    n = sslice(param(MO_ET_F32, SHP(10, 10, 10, 10, 10, 10, 10, 10, 10, 10)), CI64(2, 1, 10, 10),
               CI64(123, 1, 10, 5), CI64(1, -1, 1, 1));
    SET_INTS(n, "begin_mask", 0, 0, 1, 1);
    SET_INTS(n, "end_mask", 1, 1, 0, 0);
    SET_INTS(n, "new_axis_mask", 0, 0, 1);
    SET_INTS(n, "shrink_axis_mask", 0);
    SET_INTS(n, "ellipsis_mask", 0, 1);
    expect(n, MO_ET_F32, "8,10,10,10,10,10,10,10,10,1,5");
    /* dynamic dims stay dynamic where they are sliced, pass through elsewhere */
    n = sslice(param(MO_ET_F32, SHP(DYN, 8)), CI64(0, 2), CI64(1, 6), CI64(1, 1));
    expect(n, MO_ET_F32, "?,4");
    /* non-constant bounds: the rank is still known */
    n = sslice(param(MO_ET_F32, SHP(4, 8)), param(MO_ET_I64, SHP(2)), param(MO_ET_I64, SHP(2)), NULL);
    SET_INTS(n, "shrink_axis_mask", 1);
    expect(n, MO_ET_F32, "?");
    n = OPN("StridedSlice", "ss_zero", param(MO_ET_F32, SHP(4)), CI64(0), CI64(4), CI64(0));
    SET_INTS(n, "begin_mask", 0);
    SET_INTS(n, "end_mask", 0);
    infer_fails(n);
    n = OPN("StridedSlice", "ss_rank", param(MO_ET_F32, SHP(4)), CI64(0, 0), CI64(4, 4));
    SET_INTS(n, "begin_mask", 0);
    SET_INTS(n, "end_mask", 0);
    infer_fails(n);
    n = OPN("StridedSlice", "ss_shrink", param(MO_ET_F32, SHP(4)), CI64(9), CI64(10));
    SET_INTS(n, "begin_mask", 0);
    SET_INTS(n, "end_mask", 0);
    SET_INTS(n, "shrink_axis_mask", 1);
    infer_fails(n);
}
END_TEST

START_TEST(strided_slice_eval)
{
    struct mo_node *x = ctensor(MO_ET_I64, SHP(2, 4), NULL); /* [[0,1,2,3],[4,5,6,7]] */
    struct mo_node *r = fold(sslice(x, CI64(1, 3), CI64(2, 0), CI64(1, -2)));
    check_out(r, 0, MO_ET_I64, "1,2");
    CHECK_VALS(r, "7,5");
    /* shape[1:] and shape[-1] as shape sub-graphs produce them */
    struct mo_node *shape = CI64(1, 3, 224, 224);
    struct mo_node *n = sslice(shape, CI64(1), CI64(0), CI64(1));
    SET_INTS(n, "end_mask", 1);
    CHECK_VALS(fold(n), "3,224,224");
    n = sslice(shape, CI64(-1), CI64(0), CI64(1));
    SET_INTS(n, "shrink_axis_mask", 1);
    r = fold(n);
    check_out(r, 0, MO_ET_I64, "");
    CHECK_VALS(r, "224");
}
END_TEST

START_TEST(slice_shapes)
{
    /* Slice-8: numpy slicing per axis */
    expect(OP("Slice", param(MO_ET_F32, SHP(10)), CI64(1), CI64(8), CI64(1)), MO_ET_F32, "7");
    expect(OP("Slice", param(MO_ET_F32, SHP(10)), CI64(8), CI64(1), CI64(-1)), MO_ET_F32, "7");
    expect(OP("Slice", param(MO_ET_F32, SHP(10)), CI64(INT64_MAX), CI64(INT64_MIN), CI64(-1)), MO_ET_F32, "10");
    expect(OP("Slice", param(MO_ET_F32, SHP(10)), CI64(-20), CI64(20), CI64(3)), MO_ET_F32, "4");
    expect(OP("Slice", param(MO_ET_F32, SHP(2, 5)), CI64(0, 1), CI64(2, 5), CI64(1, 2)), MO_ET_F32, "2,2");
    expect(OP("Slice", param(MO_ET_F32, SHP(2, 5)), CI64(-3), CI64(100), CI64(1), CI64(1)), MO_ET_F32, "2,3");
    expect(OP("Slice", param(MO_ET_F32, SHP(2, 5)), CI64(3), CI64(1), CI64(1), CI64(-1)), MO_ET_F32, "2,0");
    expect(OP("Slice", param(MO_ET_F32, SHP(DYN, 5)), CI64(0, 1), CI64(1, 3), CI64(1, 1)), MO_ET_F32, "?,2");
    /* bounds not constant: the listed axes become dynamic */
    expect(OP("Slice", param(MO_ET_F32, SHP(4, 5)), param(MO_ET_I64, SHP(1)), CI64(3), CI64(1), CI64(0)),
           MO_ET_F32, "?,5");
    infer_fails(OPN("Slice", "slice_step0", param(MO_ET_F32, SHP(10)), CI64(1), CI64(8), CI64(0)));
    infer_fails(OPN("Slice", "slice_axes", param(MO_ET_F32, SHP(4, 5)), CI64(0, 0), CI64(1, 1), CI64(1, 1),
                    CI64(1, 1)));
    infer_fails(OPN("Slice", "slice_axis", param(MO_ET_F32, SHP(4, 5)), CI64(0), CI64(1), CI64(1), CI64(2)));
}
END_TEST

START_TEST(slice_eval)
{
    struct mo_node *x = ctensor(MO_ET_I64, SHP(10), NULL);
    CHECK_VALS(fold(OP("Slice", x, CI64(8), CI64(1), CI64(-3))), "8,5,2");
    struct mo_node *m = ctensor(MO_ET_I64, SHP(2, 3), NULL);
    struct mo_node *r = fold(OP("Slice", m, CI64(-1), CI64(INT64_MIN), CI64(-1), CI64(1)));
    check_out(r, 0, MO_ET_I64, "2,3");
    CHECK_VALS(r, "2,1,0,5,4,3");
}
END_TEST

START_TEST(scatter_shapes)
{
    /* ScatterUpdate-3 / ScatterNDUpdate-3 spec examples: output = data */
    expect(OP("ScatterUpdate", param(MO_ET_F32, SHP(1000, 256, 7, 7)), param(MO_ET_I32, SHP(125, 20)),
              param(MO_ET_F32, SHP(1000, 125, 20, 7, 7)), cscalar(1)),
           MO_ET_F32, "1000,256,7,7");
    expect(OP("ScatterNDUpdate", param(MO_ET_F32, SHP(1000, 256, 10, 15)), param(MO_ET_I32, SHP(25, 125, 3)),
              param(MO_ET_F32, SHP(25, 125, 15))),
           MO_ET_F32, "1000,256,10,15");
    infer_fails(OPN("ScatterUpdate", "scatter_axis", param(MO_ET_F32, SHP(4, 4)), param(MO_ET_I32, SHP(2)),
                    param(MO_ET_F32, SHP(2, 4)), cscalar(2)));
    infer_fails(OPN("ScatterNDUpdate", "scatter_nd_idx", param(MO_ET_F32, SHP(4, 4)), param(MO_ET_I32, SHP(2, 3)),
                    param(MO_ET_F32, SHP(2))));
}
END_TEST

START_TEST(one_hot_shapes)
{
    /* OneHot-1: depth inserted at axis; type of on_value */
    struct mo_node *n = OP("OneHot", param(MO_ET_I64, SHP(3)), cscalar(5), cf32_scalar(1), cf32_scalar(0));
    mo_node_set_int(n, "axis", -1);
    expect(n, MO_ET_F32, "3,5");
    n = OP("OneHot", param(MO_ET_I32, SHP(2, 2)), cscalar(3), cf32_scalar(1), cf32_scalar(0));
    mo_node_set_int(n, "axis", 1);
    expect(n, MO_ET_F32, "2,3,2");
    n = OP("OneHot", param(MO_ET_I32, SHP(2)), param(MO_ET_I64, mo_shape_scalar()), cscalar(1), cscalar(0));
    mo_node_set_int(n, "axis", 0);
    expect(n, MO_ET_I64, "?,2");
    n = OPN("OneHot", "onehot_axis", param(MO_ET_I32, SHP(2, 2)), cscalar(3), cf32_scalar(1), cf32_scalar(0));
    mo_node_set_int(n, "axis", 3);
    infer_fails(n);
}
END_TEST

START_TEST(shape_subgraph_folds)
{
    /* Reshape(x, Concat(Gather(ShapeOf(x), [0,1]), [-1])) on [1,3,224,224]:
     * ShapeOf folds from the static shape, the rest from constants. */
    struct mo_node *x = param(MO_ET_F32, SHP(1, 3, 224, 224));
    struct mo_node *shape = fold(OP("ShapeOf", x));
    check_out(shape, 0, MO_ET_I64, "4");
    CHECK_VALS(shape, "1,3,224,224");
    struct mo_node *lead = fold(OP("Gather", shape, CI64(0, 1), cscalar(0)));
    CHECK_VALS(lead, "1,3");
    struct mo_node *cat = OP("Concat", lead, CI64(-1));
    mo_node_set_int(cat, "axis", 0);
    struct mo_node *target = fold(cat);
    CHECK_VALS(target, "1,3,-1");
    struct mo_node *r = OP("Reshape", x, target);
    mo_node_set_bool(r, "special_zero", false);
    expect(r, MO_ET_F32, "1,3,50176");
    /* i32 shapes through Convert, reduced with ReduceProd */
    struct mo_node *s32 = OP("ShapeOf", x);
    mo_node_set_str(s32, "output_type", "i32");
    struct mo_node *s32c = fold(s32);
    check_out(s32c, 0, MO_ET_I32, "4");
    struct mo_node *cv = OP("Convert", s32c);
    mo_node_set_str(cv, "destination_type", "i64");
    struct mo_node *s64 = fold(cv);
    check_out(s64, 0, MO_ET_I64, "4");
    struct mo_node *prod = OP("ReduceProd", s64, CI64(0));
    mo_node_set_bool(prod, "keep_dims", true);
    struct mo_node *p = fold(prod);
    check_out(p, 0, MO_ET_I64, "1");
    CHECK_VALS(p, "150528");
}
END_TEST

START_TEST(gather_elements_ops)
{
    /* GatherElements-6: out has the indices' shape */
    struct mo_node *n = OP("GatherElements", param(MO_ET_F32, SHP(3, 4)), param(MO_ET_I32, SHP(3, 2)));
    mo_node_set_int(n, "axis", 1);
    expect(n, MO_ET_F32, "3,2");
    n = OP("GatherElements", param(MO_ET_F32, SHP(3, 4)), param(MO_ET_I64, SHP(5, 4)));
    mo_node_set_int(n, "axis", -2);
    expect(n, MO_ET_F32, "5,4");
    n = OP("GatherElements", param(MO_ET_F32, SHP(DYN, 4)), param(MO_ET_I64, SHP(3, DYN)));
    mo_node_set_int(n, "axis", 1);
    expect(n, MO_ET_F32, "3,?");
    n = OP("GatherElements", param(MO_ET_F32, SHP(2, 4)), param(MO_ET_I64, mo_shape_unknown()));
    mo_node_set_int(n, "axis", 1);
    expect(n, MO_ET_F32, "?,?");
    n = OPN("GatherElements", "ge_dim", param(MO_ET_F32, SHP(3, 4)), param(MO_ET_I64, SHP(2, 2)));
    mo_node_set_int(n, "axis", 1);
    infer_fails(n);
    n = OPN("GatherElements", "ge_rank", param(MO_ET_F32, SHP(3, 4)), param(MO_ET_I64, SHP(3)));
    mo_node_set_int(n, "axis", 0);
    infer_fails(n);
    n = OPN("GatherElements", "ge_axis", param(MO_ET_F32, SHP(3, 4)), param(MO_ET_I64, SHP(3, 4)));
    mo_node_set_int(n, "axis", 2);
    infer_fails(n);
    /* [[1,2],[3,4]] with [[0,0],[1,0]] along axis 1: [[1,1],[4,3]];
     * -1 counts from the end */
    n = OP("GatherElements", ctensor(MO_ET_I64, SHP(2, 2), (const double[]){1, 2, 3, 4}),
           ctensor(MO_ET_I64, SHP(2, 2), (const double[]){0, 0, -1, 0}));
    mo_node_set_int(n, "axis", 1);
    CHECK_VALS(fold(n), "1,1,4,3");
    n = OP("GatherElements", ctensor(MO_ET_F32, SHP(2, 3), (const double[]){1, 2, 3, 4, 5, 6}),
           ctensor(MO_ET_I32, SHP(1, 3), (const double[]){1, 0, 1}));
    mo_node_set_int(n, "axis", 0);
    struct mo_node *r = fold(n);
    check_out(r, 0, MO_ET_F32, "1,3");
    CHECK_VALS(r, "4,2,6");
}
END_TEST

static struct mo_node *scatter_el(struct mo_node *data, struct mo_node *ind, struct mo_node *upd,
                                  const char *red, bool init)
{
    struct mo_node *n = OP("ScatterElementsUpdate", data, ind, upd, cscalar(0));
    mo_node_set_str(n, "reduction", red);
    mo_node_set_bool(n, "use_init_val", init);
    return n;
}

START_TEST(scatter_elements_ops)
{
    expect(OP("ScatterElementsUpdate", param(MO_ET_F32, SHP(3, 3)), param(MO_ET_I64, SHP(2, 3)),
              param(MO_ET_F32, SHP(2, 3)), cscalar(0)), MO_ET_F32, "3,3");
    expect(OP("ScatterElementsUpdate", param(MO_ET_F32, SHP(DYN, 3)), param(MO_ET_I64, SHP(2, DYN)),
              param(MO_ET_F32, SHP(2, 3)), param(MO_ET_I64, mo_shape_scalar())), MO_ET_F32, "?,3");
    infer_fails(OPN("ScatterElementsUpdate", "seu_upd", param(MO_ET_F32, SHP(3, 3)), param(MO_ET_I64, SHP(2, 3)),
                    param(MO_ET_F32, SHP(2, 2)), cscalar(0)));
    infer_fails(OPN("ScatterElementsUpdate", "seu_axis", param(MO_ET_F32, SHP(3, 3)), param(MO_ET_I64, SHP(2, 3)),
                    param(MO_ET_F32, SHP(2, 3)), cscalar(-3)));
    struct mo_node *n = OPN("ScatterElementsUpdate", "seu_red", param(MO_ET_F32, SHP(3)), param(MO_ET_I64, SHP(1)),
                            param(MO_ET_F32, SHP(1)), cscalar(0));
    mo_node_set_str(n, "reduction", "avg");
    infer_fails(n);
    /* zeros 3x3, indices [[1,0,2],[0,2,1]], updates [[1,2,3],[4,5,6]] on
     * axis 0: out[ind[i][j]][j] = upd[i][j] */
    n = OP("ScatterElementsUpdate", ctensor(MO_ET_I64, SHP(3, 3), (const double[]){0, 0, 0, 0, 0, 0, 0, 0, 0}),
           ctensor(MO_ET_I64, SHP(2, 3), (const double[]){1, 0, 2, 0, 2, 1}),
           ctensor(MO_ET_I64, SHP(2, 3), (const double[]){1, 2, 3, 4, 5, 6}), cscalar(0));
    CHECK_VALS(fold(n), "4,2,0,1,0,6,0,5,3");
    /* data [1..5], updates 10, 20 at index 1 and 30 at 3 */
    static const double d5[] = {1, 2, 3, 4, 5}, ix[] = {1, 1, 3}, up[] = {10, 20, 30}, up2[] = {0, 7, 1};
#define D5(et) ctensor(et, SHP(5), d5)
#define IX ctensor(MO_ET_I64, SHP(3), ix)
    CHECK_VALS(fold(scatter_el(D5(MO_ET_I64), IX, ctensor(MO_ET_I64, SHP(3), up), "sum", true)), "1,32,3,34,5");
    CHECK_VALS(fold(scatter_el(D5(MO_ET_I64), IX, ctensor(MO_ET_I64, SHP(3), up), "sum", false)), "1,30,3,30,5");
    CHECK_VALS(fold(scatter_el(D5(MO_ET_I64), IX, ctensor(MO_ET_I64, SHP(3), up), "prod", true)), "1,400,3,120,5");
    CHECK_VALS(fold(scatter_el(D5(MO_ET_I64), IX, ctensor(MO_ET_I64, SHP(3), up), "prod", false)), "1,200,3,30,5");
    CHECK_VALS(fold(scatter_el(D5(MO_ET_I32), IX, ctensor(MO_ET_I32, SHP(3), up2), "max", true)), "1,7,3,4,5");
    CHECK_VALS(fold(scatter_el(D5(MO_ET_I32), IX, ctensor(MO_ET_I32, SHP(3), up2), "max", false)), "1,7,3,1,5");
    CHECK_VALS(fold(scatter_el(D5(MO_ET_I32), IX, ctensor(MO_ET_I32, SHP(3), up2), "min", true)), "1,0,3,1,5");
    CHECK_VALS(fold(scatter_el(D5(MO_ET_I32), IX, ctensor(MO_ET_I32, SHP(3), up2), "none", true)), "1,7,3,1,5");
    /* mean: (2 + 10 + 20) / 3 and (4 + 30) / 2; without the data 15 and 30 */
    CHECK_VALS(fold(scatter_el(D5(MO_ET_F32), IX, ctensor(MO_ET_F32, SHP(3), up), "mean", true)), "1,10.6667,3,17,5");
    CHECK_VALS(fold(scatter_el(D5(MO_ET_F32), IX, ctensor(MO_ET_F32, SHP(3), up), "mean", false)), "1,15,3,30,5");
#undef D5
#undef IX
}
END_TEST

START_TEST(scatter_nd_versions)
{
    /* the first form has no attribute and is written as opset4 (the op
     * class is v3, but OpenVINO's runtime finds it in opset4 only);
     * ScatterNDUpdate-15 adds reduction */
    struct mo_node *v3 = OP("ScatterNDUpdate", param(MO_ET_F32, SHP(4, 4)), param(MO_ET_I64, SHP(2, 1)),
                            param(MO_ET_F32, SHP(2, 4)));
    ck_assert_str_eq(v3->def->opset, "opset4");
    ck_assert_uint_eq(v3->def->n_attrs, 0);
    struct mo_node *v15 = OP("ScatterNDUpdate-15", param(MO_ET_F32, SHP(4, 4)), param(MO_ET_I64, SHP(2, 1)),
                             param(MO_ET_F32, SHP(2, 4)));
    ck_assert_str_eq(v15->def->opset, "opset15");
    ck_assert_str_eq(v15->type, "ScatterNDUpdate");
    mo_node_set_str(v15, "reduction", "sub");
    expect(v15, MO_ET_F32, "4,4");
    struct mo_node *bad = OPN("ScatterNDUpdate-15", "snd_red", param(MO_ET_F32, SHP(4, 4)),
                              param(MO_ET_I64, SHP(2, 1)), param(MO_ET_F32, SHP(2, 4)));
    mo_node_set_str(bad, "reduction", "mean");
    infer_fails(bad);
    infer_fails(OPN("ScatterNDUpdate-15", "snd_tuple", param(MO_ET_F32, SHP(4, 4)), param(MO_ET_I64, SHP(2, 3)),
                    param(MO_ET_F32, SHP(2))));
}
END_TEST

static Suite *gather_suite(void)
{
    Suite *s = suite_create("ops_gather");
    TCase *tc = tcase_create("gather");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, gather_shapes);
    tcase_add_test(tc, gather_eval);
    tcase_add_test(tc, gather_nd_shapes);
    tcase_add_test(tc, strided_slice_shapes);
    tcase_add_test(tc, strided_slice_eval);
    tcase_add_test(tc, slice_shapes);
    tcase_add_test(tc, slice_eval);
    tcase_add_test(tc, scatter_shapes);
    tcase_add_test(tc, one_hot_shapes);
    tcase_add_test(tc, shape_subgraph_folds);
    tcase_add_test(tc, gather_elements_ops);
    tcase_add_test(tc, scatter_elements_ops);
    tcase_add_test(tc, scatter_nd_versions);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(gather_suite());
}
