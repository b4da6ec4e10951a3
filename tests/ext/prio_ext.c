/* prio_ext.c - test extension converting testfw "relu" at the EXTENSION tier (as Clamp).
 *
 * The priority test tells the tiers apart by the IR they produce: the
 * standard translator writes Relu, this extension Clamp(min=0), a mapping
 * entry a custom layer "relu" in opset extension. */
#include <mo/mo.h>

static enum mo_status tr_relu_clamp(struct mo_tctx *t, const struct mo_node *fw, void *u,
                                    struct mo_error *err)
{
    struct mo_value x = mo_tctx_input(t, 0);
    struct mo_node *n = mo_tctx_op(t, "Clamp", NULL, 1, &x, err);
    if (!n)
        return err ? err->code : MO_ERR_NOMEM;
    if (mo_node_set_float(n, "min", 0.0) != MO_OK || mo_node_set_float(n, "max", 3.0e38) != MO_OK)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return mo_tctx_set_output(t, 0, mo_val(n, 0), err);
}

static enum mo_status prio_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    return mo_register_translator(pc, "testfw", "relu", MO_TIER_EXTENSION, 0, tr_relu_clamp, NULL, err);
}

MO_PLUGIN_EXPORT(prio_ext, "prio_ext", "1.0", MO_PLUGIN_EXTENSION, prio_init, NULL)
