/* test_ops_detection.c - PriorBox-8, PriorBoxClustered-1, DetectionOutput-8,
 * Proposal-4, ROIPooling-1, ROIAlign-9, RegionYolo-1, NonMaxSuppression-9,
 * MulticlassNms-9, MatrixNms-8, GenerateProposals-9 and PSROIPooling-1
 * output shapes, from the OpenVINO spec examples. */
#include "test_ops_common.c"

START_TEST(prior_box_shapes)
{
    /* PriorBox-8 spec example: ratios {1,2,1/2}, one min and one max size:
     * 3 * 1 + 1 = 4 priors; 4 * 24 * 42 * 4 = 16128 */
    struct mo_node *p = OP("PriorBox", CI64(24, 42), CI64(384, 672));
    SET_FLOATS(p, "aspect_ratio", 2.0);
    mo_node_set_bool(p, "flip", true);
    SET_FLOATS(p, "min_size", 16.0);
    SET_FLOATS(p, "max_size", 38.46);
    mo_node_set_float(p, "offset", 0.5);
    mo_node_set_float(p, "step", 16);
    SET_FLOATS(p, "variance", 0.1, 0.1, 0.2, 0.2);
    expect(p, MO_ET_F32, "2,16128");
    /* scale_all_sizes false: ratios + |min_size| - 1 = 3 + 2 - 1 = 4 */
    p = OP("PriorBox", CI64(2, 3), CI64(300, 300));
    SET_FLOATS(p, "aspect_ratio", 2.0, 2.0);
    mo_node_set_bool(p, "flip", true);
    SET_FLOATS(p, "min_size", 16.0, 32.0);
    mo_node_set_bool(p, "scale_all_sizes", false);
    mo_node_set_float(p, "offset", 0.5);
    expect(p, MO_ET_F32, "2,96");
    /* fixed_size with density: 1 ratio * 1 size + 1 fixed_ratio * (2*2 - 1) = 4 */
    p = OP("PriorBox", CI64(1, 1), CI64(300, 300));
    SET_FLOATS(p, "fixed_size", 32.0);
    SET_FLOATS(p, "fixed_ratio", 1.0);
    SET_FLOATS(p, "density", 2.0);
    mo_node_set_float(p, "offset", 0.5);
    expect(p, MO_ET_F32, "2,16");
    expect(OP("PriorBox", param(MO_ET_I64, SHP(2)), CI64(300, 300)), MO_ET_F32, "2,?");
    infer_fails(OPN("PriorBox", "prior_size", CI64(1, 2, 3), CI64(300, 300)));
}
END_TEST

START_TEST(prior_box_clustered_shapes)
{
    /* spec example: 9 boxes on a [10,19] grid -> 4 * 10 * 19 * 9 = 6840 */
    struct mo_node *p = OP("PriorBoxClustered", CI64(10, 19), CI64(180, 320));
    SET_FLOATS(p, "width", 86.0, 13.0, 57.0, 39.0, 68.0, 34.0, 142.0, 50.0, 23.0);
    SET_FLOATS(p, "height", 44.0, 10.0, 30.0, 19.0, 94.0, 32.0, 61.0, 53.0, 17.0);
    mo_node_set_float(p, "offset", 0.5);
    mo_node_set_float(p, "step", 16);
    expect(p, MO_ET_F32, "2,6840");
    p = OPN("PriorBoxClustered", "pbc_pairs", CI64(10, 19), CI64(180, 320));
    SET_FLOATS(p, "width", 86.0, 13.0);
    SET_FLOATS(p, "height", 44.0);
    infer_fails(p);
}
END_TEST

START_TEST(detection_output_shapes)
{
    /* spec example: keep_top_k 200 -> [1,1,200,7] */
    struct mo_node *d = OP("DetectionOutput", param(MO_ET_F32, SHP(1, 5376)), param(MO_ET_F32, SHP(1, 2688)),
                           param(MO_ET_F32, SHP(1, 2, 5376)));
    SET_INTS(d, "keep_top_k", 200);
    mo_node_set_int(d, "top_k", 200);
    mo_node_set_bool(d, "normalized", true);
    mo_node_set_float(d, "nms_threshold", 0.45);
    expect(d, MO_ET_F32, "1,1,200,7");
    /* keep_top_k -1, top_k 200: N * top_k * classes; 1344 priors, 2 classes */
    d = OP("DetectionOutput", param(MO_ET_F32, SHP(1, 5376)), param(MO_ET_F32, SHP(1, 2688)),
           param(MO_ET_F32, SHP(1, 2, 5376)));
    SET_INTS(d, "keep_top_k", -1);
    mo_node_set_int(d, "top_k", 200);
    mo_node_set_bool(d, "normalized", true);
    expect(d, MO_ET_F32, "1,1,400,7");
    /* neither: N * classes * priors; unnormalized priors take 5 values */
    d = OP("DetectionOutput", param(MO_ET_F32, SHP(2, 400)), param(MO_ET_F32, SHP(2, 300)),
           param(MO_ET_F32, SHP(1, 2, 500)));
    SET_INTS(d, "keep_top_k", -1);
    expect(d, MO_ET_F32, "1,1,600,7");
    d = OP("DetectionOutput", param(MO_ET_F32, SHP(DYN, 5376)), param(MO_ET_F32, SHP(DYN, 2688)),
           param(MO_ET_F32, SHP(1, 2, 5376)));
    SET_INTS(d, "keep_top_k", 100);
    mo_node_set_bool(d, "normalized", true);
    expect(d, MO_ET_F32, "1,1,?,7");
    d = OPN("DetectionOutput", "do_batch", param(MO_ET_F32, SHP(1, 5376)), param(MO_ET_F32, SHP(2, 2688)),
            param(MO_ET_F32, SHP(1, 2, 5376)));
    SET_INTS(d, "keep_top_k", 200);
    mo_node_set_bool(d, "normalized", true);
    infer_fails(d);
    d = OPN("DetectionOutput", "do_rank", param(MO_ET_F32, SHP(1, 5376, 1)), param(MO_ET_F32, SHP(1, 2688)),
            param(MO_ET_F32, SHP(1, 2, 5376)));
    SET_INTS(d, "keep_top_k", 200);
    infer_fails(d);
}
END_TEST

START_TEST(proposal_shapes)
{
    /* spec example: batch 7, post_nms_topn 1000 -> [7000,5] and [7000] */
    struct mo_node *p = OP("Proposal", param(MO_ET_F32, SHP(7, 4, 28, 28)), param(MO_ET_F32, SHP(7, 8, 28, 28)),
                           param(MO_ET_F32, SHP(3)));
    mo_node_set_int(p, "post_nms_topn", 1000);
    mo_node_set_int(p, "pre_nms_topn", 1000);
    infer_ok(p);
    ck_assert_uint_eq(p->n_outputs, 2);
    check_out(p, 0, MO_ET_F32, "7000,5");
    check_out(p, 1, MO_ET_F32, "7000");
    p = OPN("Proposal", "proposal_info", param(MO_ET_F32, SHP(7, 4, 28, 28)), param(MO_ET_F32, SHP(7, 8, 28, 28)),
            param(MO_ET_F32, SHP(5)));
    mo_node_set_int(p, "post_nms_topn", 1000);
    infer_fails(p);
}
END_TEST

START_TEST(roi_shapes)
{
    struct mo_node *r = OP("ROIPooling", param(MO_ET_F32, SHP(1, 256, 14, 14)), param(MO_ET_F32, SHP(300, 5)));
    mo_node_set_int(r, "pooled_h", 6);
    mo_node_set_int(r, "pooled_w", 6);
    mo_node_set_float(r, "spatial_scale", 0.0625);
    expect(r, MO_ET_F32, "300,256,6,6");
    /* ROIAlign-9 spec example */
    r = OP("ROIAlign", param(MO_ET_F32, SHP(7, 256, 200, 200)), param(MO_ET_F32, SHP(1000, 4)),
           param(MO_ET_I32, SHP(1000)));
    mo_node_set_int(r, "pooled_h", 6);
    mo_node_set_int(r, "pooled_w", 6);
    mo_node_set_int(r, "sampling_ratio", 2);
    mo_node_set_float(r, "spatial_scale", 16);
    mo_node_set_str(r, "mode", "avg");
    mo_node_set_str(r, "aligned_mode", "half_pixel");
    expect(r, MO_ET_F32, "1000,256,6,6");
    r = OPN("ROIAlign", "roialign_idx", param(MO_ET_F32, SHP(7, 256, 200, 200)), param(MO_ET_F32, SHP(1000, 4)),
            param(MO_ET_I32, SHP(999)));
    mo_node_set_int(r, "pooled_h", 6);
    mo_node_set_int(r, "pooled_w", 6);
    mo_node_set_str(r, "mode", "max");
    infer_fails(r);
    r = OPN("ROIPooling", "roipool_cols", param(MO_ET_F32, SHP(1, 256, 14, 14)), param(MO_ET_F32, SHP(300, 4)));
    mo_node_set_int(r, "pooled_h", 6);
    mo_node_set_int(r, "pooled_w", 6);
    infer_fails(r);
}
END_TEST

START_TEST(psroi_generate_proposals_shapes)
{
    /* PSROIPooling-1: 8 channels = 2 * 2 * 2 -> [rois, 2, 2, 2] */
    struct mo_node *r = OP("PSROIPooling", param(MO_ET_F32, SHP(1, 8, 6, 6)), param(MO_ET_F32, SHP(3, 5)));
    mo_node_set_int(r, "output_dim", 2);
    mo_node_set_int(r, "group_size", 2);
    mo_node_set_float(r, "spatial_scale", 0.5);
    expect(r, MO_ET_F32, "3,2,2,2");
    r = OPN("PSROIPooling", "psroi_channels", param(MO_ET_F32, SHP(1, 9, 6, 6)), param(MO_ET_F32, SHP(3, 5)));
    mo_node_set_int(r, "output_dim", 2);
    mo_node_set_int(r, "group_size", 2);
    mo_node_set_float(r, "spatial_scale", 0.5);
    infer_fails(r);
    /* GenerateProposals-9: rois [?, 4], scores [?], counts [N] */
    struct mo_node *g = OP("GenerateProposals", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_F32, SHP(4, 5, 3, 4)),
                           param(MO_ET_F32, SHP(2, 12, 4, 5)), param(MO_ET_F32, SHP(2, 3, 4, 5)));
    mo_node_set_float(g, "min_size", 1);
    mo_node_set_float(g, "nms_threshold", 0.7);
    mo_node_set_int(g, "pre_nms_count", 100);
    mo_node_set_int(g, "post_nms_count", 10);
    mo_node_set_str(g, "roi_num_type", "i32");
    infer_ok(g);
    check_out(g, 0, MO_ET_F32, "?,4");
    check_out(g, 1, MO_ET_F32, "?");
    check_out(g, 2, MO_ET_I32, "2");
    g = OPN("GenerateProposals", "gp_deltas", param(MO_ET_F32, SHP(2, 3)), param(MO_ET_F32, SHP(4, 5, 3, 4)),
            param(MO_ET_F32, SHP(2, 8, 4, 5)), param(MO_ET_F32, SHP(2, 3, 4, 5)));
    mo_node_set_int(g, "pre_nms_count", 100);
    mo_node_set_int(g, "post_nms_count", 10);
    infer_fails(g);
}
END_TEST

START_TEST(region_yolo_shapes)
{
    /* spec examples: YOLO v3 (no softmax) and YOLO v2 (softmax, flattened) */
    struct mo_node *r = OP("RegionYolo", param(MO_ET_F32, SHP(1, 255, 26, 26)));
    mo_node_set_int(r, "axis", 1);
    mo_node_set_int(r, "end_axis", 3);
    mo_node_set_int(r, "classes", 80);
    mo_node_set_int(r, "coords", 4);
    mo_node_set_int(r, "num", 6);
    mo_node_set_bool(r, "do_softmax", false);
    SET_INTS(r, "mask", 0, 1, 2);
    expect(r, MO_ET_F32, "1,255,26,26");
    r = OP("RegionYolo", param(MO_ET_F32, SHP(1, 125, 13, 13)));
    mo_node_set_int(r, "axis", 1);
    mo_node_set_int(r, "end_axis", 3);
    mo_node_set_int(r, "classes", 20);
    mo_node_set_int(r, "coords", 4);
    mo_node_set_int(r, "num", 5);
    expect(r, MO_ET_F32, "1,21125");
    r = OPN("RegionYolo", "yolo_axes", param(MO_ET_F32, SHP(1, 125, 13, 13)));
    mo_node_set_int(r, "axis", 3);
    mo_node_set_int(r, "end_axis", 1);
    infer_fails(r);
}
END_TEST

START_TEST(nms_shapes)
{
    /* NonMaxSuppression-9 spec example: min(100, 10) * 3 * 5 = 150 rows */
    struct mo_node *n = OP("NonMaxSuppression", param(MO_ET_F32, SHP(3, 100, 4)), param(MO_ET_F32, SHP(3, 5, 100)),
                           cscalar(10), cf32_scalar(0.5f), cf32_scalar(0.1f), cf32_scalar(0));
    infer_ok(n);
    ck_assert_uint_eq(n->n_outputs, 3);
    check_out(n, 0, MO_ET_I64, "150,3");
    check_out(n, 1, MO_ET_F32, "150,3");
    check_out(n, 2, MO_ET_I64, "1");
    n = OP("NonMaxSuppression", param(MO_ET_F32, SHP(1, 6, 4)), param(MO_ET_F32, SHP(1, 2, 6)),
           param(MO_ET_I64, SHP(1)));
    mo_node_set_str(n, "output_type", "i32");
    infer_ok(n);
    check_out(n, 0, MO_ET_I32, "?,3");
    check_out(n, 2, MO_ET_I32, "1");
    infer_fails(OPN("NonMaxSuppression", "nms_boxes", param(MO_ET_F32, SHP(3, 100, 5)),
                    param(MO_ET_F32, SHP(3, 5, 100))));
    infer_fails(OPN("NonMaxSuppression", "nms_count", param(MO_ET_F32, SHP(3, 100, 4)),
                    param(MO_ET_F32, SHP(3, 5, 99))));
    /* MulticlassNms-9 spec examples (two and three inputs) */
    struct mo_node *m = OP("MulticlassNms", param(MO_ET_F32, SHP(3, 100, 4)), param(MO_ET_F32, SHP(3, 5, 100)));
    mo_node_set_str(m, "sort_result_type", "score");
    infer_ok(m);
    check_out(m, 0, MO_ET_F32, "?,6");
    check_out(m, 1, MO_ET_I64, "?,1");
    check_out(m, 2, MO_ET_I64, "3");
    m = OP("MulticlassNms", param(MO_ET_F32, SHP(3, 100, 4)), param(MO_ET_F32, SHP(3, 100)),
           param(MO_ET_I32, SHP(10)));
    infer_ok(m);
    check_out(m, 2, MO_ET_I64, "10");
    m = OPN("MulticlassNms", "mcnms_sort", param(MO_ET_F32, SHP(3, 100, 4)), param(MO_ET_F32, SHP(3, 5, 100)));
    mo_node_set_str(m, "sort_result_type", "random");
    infer_fails(m);
    /* MatrixNms-8: the same three outputs */
    m = OP("MatrixNms", param(MO_ET_F32, SHP(3, 100, 4)), param(MO_ET_F32, SHP(3, 5, 100)));
    mo_node_set_str(m, "decay_function", "gaussian");
    mo_node_set_str(m, "output_type", "i32");
    infer_ok(m);
    check_out(m, 0, MO_ET_F32, "?,6");
    check_out(m, 1, MO_ET_I32, "?,1");
    check_out(m, 2, MO_ET_I32, "3");
    m = OPN("MatrixNms", "mxnms_decay", param(MO_ET_F32, SHP(3, 100, 4)), param(MO_ET_F32, SHP(3, 5, 100)));
    mo_node_set_str(m, "decay_function", "cubic");
    infer_fails(m);
    infer_fails(OPN("MatrixNms", "mxnms_count", param(MO_ET_F32, SHP(3, 100, 4)),
                    param(MO_ET_F32, SHP(3, 5, 99))));
}
END_TEST

static Suite *detection_suite(void)
{
    Suite *s = suite_create("ops_detection");
    TCase *tc = tcase_create("detection");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, prior_box_shapes);
    tcase_add_test(tc, prior_box_clustered_shapes);
    tcase_add_test(tc, detection_output_shapes);
    tcase_add_test(tc, proposal_shapes);
    tcase_add_test(tc, roi_shapes);
    tcase_add_test(tc, psroi_generate_proposals_shapes);
    tcase_add_test(tc, region_yolo_shapes);
    tcase_add_test(tc, nms_shapes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(detection_suite());
}
