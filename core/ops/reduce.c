/* reduce.c - placeholder family, being filled in. */
#include <config.h>

#include "ops.h"

static const struct mo_op_def op_placeholder_reduce = {"Placeholder_reduce", "opset1", 0, 0, 0, NULL, 0, NULL, NULL};
MO_OP_FAMILY(mo_ops_reduce, &op_placeholder_reduce);
