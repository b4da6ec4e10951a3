/* tr_reduce.c - reductions. */
#include <config.h>

#include "onnx.h"

MO_OX_TABLE(mo_ox_tr_reduce)
