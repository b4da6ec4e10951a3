/* tr_msft.c - (to come). */
#include <config.h>

#include "onnx.h"

MO_OX_TABLE(mo_ox_tr_msft)
