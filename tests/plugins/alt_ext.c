/* alt_ext.c - a second good extension: the loader tests put it under the
 * basename of good_ext in another directory to see which one wins. */
#include <mo/mo.h>

static enum mo_status translate_alt_op(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                       struct mo_error *err)
{
    struct mo_value in = mo_tctx_input(t, 0);
    struct mo_node *n = mo_tctx_op(t, "Sigmoid", NULL, 1, &in, err);
    return n ? mo_tctx_set_output(t, 0, mo_val(n, 0), err) : MO_ERR_INTERNAL;
}

static enum mo_status alt_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    return mo_register_translator(pc, "mxnet", "AltExtOp", MO_TIER_EXTENSION, 0,
                                  translate_alt_op, NULL, err);
}

MO_PLUGIN_EXPORT(alt_ext, "alt_ext", "1.0", MO_PLUGIN_EXTENSION, alt_init, NULL)
