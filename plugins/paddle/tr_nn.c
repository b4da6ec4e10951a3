/* tr_nn.c - Paddle translators: deformable conv, group/instance norm, 3-D pools, grid sampling, quantization. */
#include <config.h>

#include "paddle.h"

MO_PD_TABLE(mo_pd_tr_nn,
            {NULL, NULL}, /* placeholder: a table may not be empty */
);
