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

/* A float keyword argument (MXNet stores them as text like "1.75"); one
 * that is not a number fails the builder. */
static float float_arg(struct mo_build *b, const struct mo_node *fw, const char *name, double dflt)
{
    bool ok = true;
    double v = mo_node_get_float(fw, name, dflt, &ok);
    if (!ok)
        mo_build_fail(b, "attribute %s='%s' is not a number", name, mo_node_get_str(fw, name, ""));
    return (float)v;
}

static enum mo_status translate_my_scale(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    /* the constants below are f32; an f16 model would need them converted */
    if (mo_build_ok(b) && mo_value_et(x) != MO_ET_F32)
        return MO_ERR_DECLINED;
    float scale = float_arg(b, fw, "scale", 1.0);
    float shift = float_arg(b, fw, "shift", 0.0);

    /* helpers are named "<layer>/<suffix>"; the last op of the chain takes
     * the layer's own name (suffix NULL), so the .mapping file and the
     * output tensor names point at it */
    struct mo_value k = mo_build_scalar(b, "scale", MO_ET_F32, scale);
    struct mo_value y = mo_build_op(b, "Multiply", shift != 0.0f ? "mul" : NULL, 2, x, k);
    if (shift != 0.0f) {
        struct mo_value c = mo_build_scalar(b, "shift", MO_ET_F32, shift);
        y = mo_build_op(b, "Add", NULL, 2, y, c);
    }
    return mo_build_done(b, y);
}

static enum mo_status my_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    return mo_register_translator(pc, "mxnet", "Custom:MyScale", MO_TIER_EXTENSION, 0,
                                  translate_my_scale, NULL, err);
}

MO_PLUGIN_EXPORT(mxnet_custom_scale, "mxnet_custom_scale", "1.0", MO_PLUGIN_EXTENSION, my_init, NULL)
