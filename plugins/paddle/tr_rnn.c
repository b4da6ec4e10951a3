/* tr_rnn.c - Paddle translators: rnn (LSTM, GRU, simple RNN) as the IR's sequence ops. */
#include <config.h>

#include "paddle.h"

MO_PD_TABLE(mo_pd_tr_rnn,
            {NULL, NULL}, /* placeholder: a table may not be empty */
);
