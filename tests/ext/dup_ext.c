/* dup_ext.c - test extension built twice (dup_a, dup_b): both claim testfw "relu" at one priority.
 *
 * DUP_NAME is the module name given by the build; the second module loaded
 * must be refused with a message naming its file, the first one kept. */
#include <mo/mo.h>

#define STR2(x) #x
#define STR(x) STR2(x)
#define EXPORT2(m) MO_PLUGIN_EXPORT(m, STR(m), "1.0", MO_PLUGIN_EXTENSION, dup_init, NULL)
#define EXPORT(m) EXPORT2(m)

static enum mo_status tr_relu(struct mo_tctx *t, const struct mo_node *fw, void *u, struct mo_error *err)
{
    struct mo_value x = mo_tctx_input(t, 0);
    struct mo_node *n = mo_tctx_op(t, "Relu", NULL, 1, &x, err);
    if (!n)
        return err ? err->code : MO_ERR_NOMEM;
    return mo_tctx_set_output(t, 0, mo_val(n, 0), err);
}

static enum mo_status dup_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    return mo_register_translator(pc, "testfw", "relu", MO_TIER_EXTENSION, 0, tr_relu, NULL, err);
}

EXPORT(DUP_NAME)
