/* tr_index.c - Paddle translators: indexing, gather/scatter, sorting, one_hot, embedding. */
#include <config.h>

#include "paddle.h"

MO_PD_TABLE(mo_pd_tr_index,
            {NULL, NULL}, /* placeholder: a table may not be empty */
);
