/* bad_abi.c - a plugin built for a future plugin ABI major version.  Its
 * init registers something, so a loader that called it would be caught. */
#include <mo/mo.h>

static enum mo_status never_called(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    return MO_ERR_DECLINED;
}

static enum mo_status bad_abi_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    return mo_register_translator(pc, "mxnet", "BadAbiOp", MO_TIER_EXTENSION, 0, never_called,
                                  NULL, err);
}

static const struct mo_plugin_desc bad_abi_desc = {
    MO_PLUGIN_ABI_MAJOR + 1, 0, sizeof(struct mo_plugin_desc), "bad_abi", "1.0",
    MO_PLUGIN_EXTENSION, "built for ABI 2.0", bad_abi_init, NULL};

const struct mo_plugin_desc *mo_plugin_query(void);
const struct mo_plugin_desc *mo_plugin_query(void) { return &bad_abi_desc; }
