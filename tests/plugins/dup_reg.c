/* dup_reg.c - registers an op, then a translator for a layer type alt_ext
 * already converts at the same tier and rank: refused, and the op must go
 * with it. */
#include <mo/mo.h>

static enum mo_status translate_dup(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    return MO_ERR_DECLINED;
}

static const struct mo_op_def dup_op = {"DupRegOp", "extension", 1, 1, 1, NULL, 0, NULL, NULL};

static enum mo_status dup_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    enum mo_status st = mo_register_op(pc, &dup_op, err);
    if (st != MO_OK)
        return st;
    return mo_register_translator(pc, "mxnet", "AltExtOp", MO_TIER_EXTENSION, 0, translate_dup,
                                  NULL, err);
}

MO_PLUGIN_EXPORT(dup_reg, "dup_reg", "1.0", MO_PLUGIN_EXTENSION, dup_init, NULL)
