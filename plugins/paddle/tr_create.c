/* tr_create.c - Paddle translators: tensor creation and shape manipulation beyond tr_shape.c. */
#include <config.h>

#include "paddle.h"

MO_PD_TABLE(mo_pd_tr_create,
            {NULL, NULL}, /* placeholder: a table may not be empty */
);
