/* misc.c - placeholder family, being filled in. */
#include <config.h>

#include "ops.h"

static const struct mo_op_def op_placeholder_misc = {"Placeholder_misc", "opset1", 0, 0, 0, NULL, 0, NULL, NULL};
MO_OP_FAMILY(mo_ops_misc, &op_placeholder_misc);
