/* tr_math.c - Paddle translators: elementwise extras, comparison, logical, math functions. */
#include <config.h>

#include "paddle.h"

MO_PD_TABLE(mo_pd_tr_math,
            {NULL, NULL}, /* placeholder: a table may not be empty */
);
