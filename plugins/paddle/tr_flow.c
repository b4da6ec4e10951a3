/* tr_flow.c - Paddle translators: control flow: while, conditional_block, tensor arrays. */
#include <config.h>

#include "paddle.h"

MO_PD_TABLE(mo_pd_tr_flow,
            {NULL, NULL}, /* placeholder: a table may not be empty */
);
