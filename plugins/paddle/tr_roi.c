/* tr_roi.c - Paddle translators: ROI and proposal ops: roi_align, generate_proposals_v2, matrix_nms.... */
#include <config.h>

#include "paddle.h"

MO_PD_TABLE(mo_pd_tr_roi,
            {NULL, NULL}, /* placeholder: a table may not be empty */
);
