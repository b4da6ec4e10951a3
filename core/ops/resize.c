/* resize.c - placeholder family, being filled in. */
#include <config.h>

#include "ops.h"

static const struct mo_op_def op_placeholder_resize = {"Placeholder_resize", "opset1", 0, 0, 0, NULL, 0, NULL, NULL};
MO_OP_FAMILY(mo_ops_resize, &op_placeholder_resize);
