/* test_ops_resize.c - Interpolate-11 (sizes/scales, axes, pads) and Pad-12
 * (negative pads, modes), expected values from the OpenVINO op specs. */
#include "test_ops_common.c"

static struct mo_node *interp(const char *calc, struct mo_node *x, struct mo_node *v, struct mo_node *axes)
{
    struct mo_node *n = axes ? OP("Interpolate", x, v, axes) : OP("Interpolate", x, v);
    mo_node_set_str(n, "mode", "nearest");
    mo_node_set_str(n, "shape_calculation_mode", calc);
    return n;
}

START_TEST(interpolate_shapes)
{
    /* spec example: [1,2,48,80], scales [0.5,2.0] on axes [2,3] -> [1,2,24,160] */
    struct mo_node *n = interp("scales", param(MO_ET_F32, SHP(1, 2, 48, 80)), CF32(0.5f, 2.0f), CI64(2, 3));
    mo_node_set_str(n, "mode", "bicubic_pillow");
    expect(n, MO_ET_F32, "1,2,24,160");
    expect(interp("sizes", param(MO_ET_F32, SHP(1, 3, 10, 10)), CI64(20, 30), CI64(2, 3)), MO_ET_F32, "1,3,20,30");
    /* axes in any order map to the sizes in the same order */
    expect(interp("sizes", param(MO_ET_F32, SHP(1, 3, 10, 10)), CI64(7, 5), CI64(3, 1)), MO_ET_F32, "1,5,10,7");
    /* no axes input: every dim is listed */
    expect(interp("scales", param(MO_ET_U8, SHP(1, 3, 10, 10)), CF32(1, 1, 2, 2), NULL), MO_ET_U8, "1,3,20,20");
    /* pads apply to every dim before resizing; other dims keep the padded size */
    n = interp("sizes", param(MO_ET_F32, SHP(1, 3, 10, 10)), CI64(5), CI64(2));
    SET_INTS(n, "pads_begin", 0, 0, 1, 1);
    SET_INTS(n, "pads_end", 0, 0, 1, 1);
    expect(n, MO_ET_F32, "1,3,5,12");
    n = interp("scales", param(MO_ET_F32, SHP(1, 3, 10, 10)), CF32(0.5f), CI64(3));
    SET_INTS(n, "pads_begin", 0, 0, 0, 2);
    expect(n, MO_ET_F32, "1,3,10,6");
    /* a scale stored inexactly still floors to the intended size */
    expect(interp("scales", param(MO_ET_F32, SHP(1, 3)), CF32(1.0f / 3.0f), CI64(1)), MO_ET_F32, "1,1");
    expect(interp("scales", param(MO_ET_F32, SHP(1, 3, DYN, 10)), CF32(2, 2), CI64(2, 3)), MO_ET_F32, "1,3,?,20");
    expect(interp("sizes", param(MO_ET_F32, SHP(1, 3, 10, 10)), param(MO_ET_I64, SHP(2)), CI64(2, 3)), MO_ET_F32,
           "1,3,?,?");
    infer_fails(OPN("Interpolate", "interp_count", param(MO_ET_F32, SHP(1, 3, 10, 10)), CI64(5, 5, 5), CI64(2, 3)));
    mo_node_set_str(mo_graph_find(g, "interp_count"), "mode", "linear");
    n = OPN("Interpolate", "interp_mode", param(MO_ET_F32, SHP(1, 3, 10, 10)), CI64(5), CI64(2));
    mo_node_set_str(n, "mode", "area");
    mo_node_set_str(n, "shape_calculation_mode", "sizes");
    infer_fails(n);
    n = OPN("Interpolate", "interp_axis", param(MO_ET_F32, SHP(1, 3, 10, 10)), CI64(5), CI64(4));
    mo_node_set_str(n, "mode", "linear");
    mo_node_set_str(n, "shape_calculation_mode", "sizes");
    infer_fails(n);
}
END_TEST

static struct mo_node *pad(const char *mode, struct mo_node *x, struct mo_node *pb, struct mo_node *pe)
{
    struct mo_node *n = OP("Pad", x, pb, pe);
    mo_node_set_str(n, "pad_mode", mode);
    return n;
}

START_TEST(pad_shapes)
{
    /* out = in + pads_begin + pads_end */
    expect(pad("constant", param(MO_ET_F32, SHP(1, 3, 32, 40)), CI64(0, 5, 2, 1), CI64(1, 0, 3, 7)), MO_ET_F32,
           "2,8,37,48");
    /* Pad-12: negative pads crop */
    expect(pad("constant", param(MO_ET_F32, SHP(1, 3, 32, 40)), CI64(0, 0, -1, -2), CI64(0, 0, -1, 2)), MO_ET_F32,
           "1,3,30,40");
    expect(pad("edge", param(MO_ET_F32, SHP(DYN, 3)), CI64(1, 1), CI64(1, 1)), MO_ET_F32, "?,5");
    expect(pad("reflect", param(MO_ET_F32, SHP(2, 3)), CI64(1, 2), CI64(1, 0)), MO_ET_F32, "4,5");
    struct mo_node *n = OP("Pad", param(MO_ET_F32, SHP(2, 3)), CI64(1, 1), CI64(1, 1), cf32_scalar(0));
    mo_node_set_str(n, "pad_mode", "constant");
    expect(n, MO_ET_F32, "4,5");
    expect(pad("symmetric", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_I64, SHP(2)), CI64(1, 1)), MO_ET_F32, "?,?");
    n = OPN("Pad", "pad_negative", param(MO_ET_F32, SHP(2, 3)), CI64(0, -2), CI64(0, -2));
    mo_node_set_str(n, "pad_mode", "constant");
    infer_fails(n);
    n = OPN("Pad", "pad_reflect", param(MO_ET_F32, SHP(2, 3)), CI64(0, 3), CI64(0, 0));
    mo_node_set_str(n, "pad_mode", "reflect");
    infer_fails(n);
    n = OPN("Pad", "pad_len", param(MO_ET_F32, SHP(2, 3)), CI64(0, 1, 1), CI64(0, 0, 0));
    mo_node_set_str(n, "pad_mode", "constant");
    infer_fails(n);
    n = OPN("Pad", "pad_mode", param(MO_ET_F32, SHP(2, 3)), CI64(0, 1), CI64(0, 0));
    mo_node_set_str(n, "pad_mode", "wrap");
    infer_fails(n);
}
END_TEST

START_TEST(grid_sample_shapes)
{
    expect(OP("GridSample", param(MO_ET_F32, SHP(2, 3, 5, 6)), param(MO_ET_F32, SHP(2, 7, 8, 2))), MO_ET_F32,
           "2,3,7,8");
    struct mo_node *n = OP("GridSample", param(MO_ET_F32, SHP(DYN, 3, 5, 6)), param(MO_ET_F32, SHP(2, DYN, 8, 2)));
    mo_node_set_str(n, "mode", "nearest");
    mo_node_set_str(n, "padding_mode", "reflection");
    expect(n, MO_ET_F32, "2,3,?,8");
    infer_fails(OPN("GridSample", "gs_last", param(MO_ET_F32, SHP(2, 3, 5, 6)), param(MO_ET_F32, SHP(2, 7, 8, 3))));
    infer_fails(OPN("GridSample", "gs_batch", param(MO_ET_F32, SHP(2, 3, 5, 6)), param(MO_ET_F32, SHP(1, 7, 8, 2))));
    n = OPN("GridSample", "gs_mode", param(MO_ET_F32, SHP(2, 3, 5, 6)), param(MO_ET_F32, SHP(2, 7, 8, 2)));
    mo_node_set_str(n, "mode", "cubic");
    infer_fails(n);
}
END_TEST

static Suite *resize_suite(void)
{
    Suite *s = suite_create("ops_resize");
    TCase *tc = tcase_create("resize");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, interpolate_shapes);
    tcase_add_test(tc, pad_shapes);
    tcase_add_test(tc, grid_sample_shapes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(resize_suite());
}
