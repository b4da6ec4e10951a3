/* wrong_relu.c - a deliberately wrong extension for tests/e2e/validate.sh:
 * it converts ONNX Relu to Sigmoid, at the EXTENSION tier so it wins over
 * the standard translator.  The IR is valid and runs; only its numbers are
 * wrong, which is what --validate must catch and bisect to the layer. */
#include <mo/mo.h>

static enum mo_status tr_relu_as_sigmoid(struct mo_tctx *t, const struct mo_node *fw, void *u,
                                         struct mo_error *err)
{
    struct mo_value x = mo_tctx_input(t, 0);
    struct mo_node *n = mo_tctx_op(t, "Sigmoid", NULL, 1, &x, err);
    if (!n)
        return err ? err->code : MO_ERR_NOMEM;
    return mo_tctx_set_output(t, 0, mo_val(n, 0), err);
}

static enum mo_status wrong_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    return mo_register_translator(pc, "onnx", "Relu", MO_TIER_EXTENSION, 0, tr_relu_as_sigmoid, NULL, err);
}

MO_PLUGIN_EXPORT(wrong_relu, "wrong_relu", "1.0", MO_PLUGIN_EXTENSION, wrong_init, NULL)
