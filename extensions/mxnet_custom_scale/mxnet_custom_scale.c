/* mxnet_custom_scale.c - example extension: MXNet Custom(op_type=MyScale) as standard IR ops.
 *
 * An MXNet model may contain layers implemented in Python as
 * mx.operator.CustomOp; the symbol file keeps them as op "Custom" with an
 * attribute op_type naming the Python class registration, plus the keyword
 * arguments the model passed (as strings).  mo dispatches such a node to
 * translators registered for the layer type "Custom:<op_type>".
 *
 * MyScale (see tests/gen/mxnet_custom.py) computes y = x * scale + shift,
 * which standard IR expresses as Multiply and Add with scalar constants, so
 * the IR runs in any OpenVINO Runtime without a runtime extension. */
#include <mo/mo.h>

/* Read a float keyword argument; MXNet stores them as text like "1.75". */
static enum mo_status float_arg(const struct mo_node *fw, const char *name, double dflt, float *out,
                                struct mo_error *err)
{
    bool ok = true;
    double v = mo_node_get_float(fw, name, dflt, &ok);
    if (!ok)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "MyScale layer '%s': %s='%s' is not a number",
                            fw->name, name, mo_node_get_str(fw, name, ""));
    *out = (float)v;
    return MO_OK;
}

static enum mo_status translate_my_scale(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    struct mo_graph *g = mo_tctx_graph(t);
    struct mo_value x = mo_tctx_input(t, 0);
    if (!x.node)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "MyScale layer '%s' has no input", fw->name);
    /* the constants below are f32; an f16 model would need them converted */
    if (x.node->outputs[x.port].et != MO_ET_F32)
        return MO_ERR_DECLINED;
    float scale, shift;
    enum mo_status st = float_arg(fw, "scale", 1.0, &scale, err);
    if (st == MO_OK)
        st = float_arg(fw, "shift", 0.0, &shift, err);
    if (st != MO_OK)
        return st;

    /* the last op of the chain takes the framework layer's own name, so
     * the .mapping file and output tensor names point at it */
    struct mo_node *k = mo_const_f32(g, mo_graph_printf(g, "%s/scale", fw->name), &scale, 1, true, err);
    struct mo_node *mul = k ? mo_tctx_op(t, "Multiply", shift != 0.0f ? "mul" : NULL, 2,
                                         (struct mo_value[]){x, mo_val(k, 0)}, err)
                            : NULL;
    if (!mul)
        return err ? err->code : MO_ERR_NOMEM;
    struct mo_node *last = mul;
    if (shift != 0.0f) {
        struct mo_node *b = mo_const_f32(g, mo_graph_printf(g, "%s/shift", fw->name), &shift, 1, true, err);
        last = b ? mo_tctx_op(t, "Add", NULL, 2, (struct mo_value[]){mo_val(mul, 0), mo_val(b, 0)}, err)
                 : NULL;
        if (!last)
            return err ? err->code : MO_ERR_NOMEM;
    }
    return mo_tctx_set_output(t, 0, mo_val(last, 0), err);
}

static enum mo_status my_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    return mo_register_translator(pc, "mxnet", "Custom:MyScale", MO_TIER_EXTENSION, 0,
                                  translate_my_scale, NULL, err);
}

MO_PLUGIN_EXPORT(mxnet_custom_scale, "mxnet_custom_scale", "1.0", MO_PLUGIN_EXTENSION, my_init, NULL)
