/* short_desc.c - a descriptor whose struct_size says it ends before init
 * and fini, as a module built against a broken SDK would report. */
#include <stddef.h>

#include <mo/mo.h>

static enum mo_status never_called(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    return MO_ERR_DECLINED;
}

static enum mo_status short_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    return mo_register_translator(pc, "mxnet", "ShortDescOp", MO_TIER_EXTENSION, 0, never_called,
                                  NULL, err);
}

static const struct mo_plugin_desc short_desc_desc = {
    MO_PLUGIN_ABI_MAJOR, MO_PLUGIN_ABI_MINOR, offsetof(struct mo_plugin_desc, init), "short_desc",
    "1.0", MO_PLUGIN_EXTENSION, NULL, short_init, NULL};

const struct mo_plugin_desc *mo_plugin_query(void);
const struct mo_plugin_desc *mo_plugin_query(void) { return &short_desc_desc; }
