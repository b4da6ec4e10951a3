/* good_ext.c - a well-formed extension the loader tests expect to load. */
#include <mo/mo.h>

static enum mo_status translate_test_op(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    struct mo_value in = mo_tctx_input(t, 0);
    struct mo_node *n = mo_tctx_op(t, "Relu", NULL, 1, &in, err);
    return n ? mo_tctx_set_output(t, 0, mo_val(n, 0), err) : MO_ERR_INTERNAL;
}

static enum mo_status good_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    return mo_register_translator(pc, "mxnet", "GoodExtOp", MO_TIER_EXTENSION, 0,
                                  translate_test_op, NULL, err);
}

MO_PLUGIN_EXPORT(good_ext, "good_ext", "1.0", MO_PLUGIN_EXTENSION, good_init, NULL)
