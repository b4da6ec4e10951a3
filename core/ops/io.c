/* io.c - Parameter, Const, Result: the ends of every graph. */
#include <config.h>

#include "ops.h"

static enum mo_status infer_parameter(struct mo_node *n, struct mo_error *err)
{
    if (n->outputs[0].et == MO_ET_UNDEFINED)
        return mo_shape_error(n, err, "the input has no element type");
    return MO_OK; /* the shape was set by whoever created the node */
}

static enum mo_status infer_const(struct mo_node *n, struct mo_error *err)
{
    if (!n->value)
        return mo_shape_error(n, err, "the constant has no value");
    return mo_set_out(n, 0, n->value->et, &n->value->shape);
}

static enum mo_status eval_const(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    out[0] = mo_tensor_ref(n->value);
    return MO_OK;
}

/* Parameter's shape/element_type and Const's element_type/shape/offset/size
 * are not node attributes: the IR writer derives them from the output port
 * and the .bin layout, so neither op has an attribute schema. */
static const struct mo_op_def op_parameter = {
    "Parameter", "opset1", 0, 0, 1, NULL, 0, infer_parameter, NULL};
static const struct mo_op_def op_const = {
    "Const", "opset1", 0, 0, 1, NULL, 0, infer_const, eval_const};

static enum mo_status infer_result(struct mo_node *n, struct mo_error *err)
{
    (void)err;
    return mo_node_resize(n, n->n_inputs, 0);
}
static const struct mo_op_def op_result = {"Result", "opset1", 1, 1, 0, NULL, 0, infer_result, NULL};

MO_OP_FAMILY(mo_ops_io, &op_parameter, &op_const, &op_result);
