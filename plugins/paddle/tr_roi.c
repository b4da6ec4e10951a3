/* tr_roi.c - ROI and proposal ops of the detection heads: matrix_nms,
 * generate_proposals_v2, roi_align, roi_pool, psroi_pool,
 * distribute_fpn_proposals. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "paddle.h"

static struct mo_value op2(struct mo_build *b, const char *type, const char *sfx, struct mo_value a,
                           struct mo_value c)
{
    return mo_build_infer(b, mo_build_op(b, type, sfx, 2, a, c));
}

/* --- matrix_nms ------------------------------------------------------- */

/* MatrixNms-8 follows Paddle's op: rows [label, score, x1, y1, x2, y2] best
 * score first per image, indices into the flattened boxes, a count per
 * image. */
static enum mo_status tr_matrix_nms(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value boxes = mo_pd_in(b, "BBoxes", 0);
    struct mo_value scores = mo_pd_in(b, "Scores", 0);
    if (mo_value_shape(boxes).rank != 3 || mo_value_shape(scores).rank != 3)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "matrix_nms needs BBoxes [N, M, 4] and Scores [N, C, M]");
    struct mo_value n = mo_build_op(b, "MatrixNms", NULL, 2, boxes, scores);
    mo_build_set_str(b, n, "sort_result_type", "score");
    mo_build_set_bool(b, n, "sort_result_across_batch", false);
    mo_build_set_str(b, n, "output_type", "i32");
    mo_build_set_float(b, n, "score_threshold",
                       mo_node_get_float(fw, "score_threshold", 0.0, NULL));
    mo_build_set_float(b, n, "post_threshold", mo_node_get_float(fw, "post_threshold", 0.0, NULL));
    mo_build_set_int(b, n, "nms_top_k", mo_node_get_int(fw, "nms_top_k", -1, NULL));
    mo_build_set_int(b, n, "keep_top_k", mo_node_get_int(fw, "keep_top_k", -1, NULL));
    mo_build_set_int(b, n, "background_class", mo_node_get_int(fw, "background_label", 0, NULL));
    mo_build_set_str(b, n, "decay_function",
                     mo_node_get_bool(fw, "use_gaussian", false, NULL) ? "gaussian" : "linear");
    mo_build_set_float(b, n, "gaussian_sigma", mo_node_get_float(fw, "gaussian_sigma", 2.0, NULL));
    mo_build_set_bool(b, n, "normalized", mo_node_get_bool(fw, "normalized", true, NULL));
    mo_build_infer(b, n);
    mo_pd_set_out(b, "Out", mo_val(n.node, 0));
    mo_pd_set_out(b, "Index", mo_val(n.node, 1));
    return mo_pd_set_out(b, "RoisNum", mo_val(n.node, 2));
}

MO_PD_TABLE(mo_pd_tr_roi, {"matrix_nms", tr_matrix_nms});
