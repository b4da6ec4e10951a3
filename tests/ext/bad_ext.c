/* bad_ext.c - deliberately broken test extensions, one per BAD_KIND, for the mo command.
 *
 *   1 ext_bad_abi       descriptor claims plugin ABI 99.0
 *   2 ext_no_entry      exports no mo_plugin_query at all
 *   3 ext_failing_init  registers a translator for testfw "frob", then fails:
 *                       the registration must be rolled back */
#include <mo/mo.h>

#if BAD_KIND == 1
static enum mo_status bad_init(struct mo_plugin_ctx *pc, struct mo_error *err) { return MO_OK; }
static const struct mo_plugin_desc desc = {
    99, 0, sizeof(struct mo_plugin_desc), "ext_bad_abi", "1.0", MO_PLUGIN_EXTENSION, NULL, bad_init, NULL,
};
const struct mo_plugin_desc *ext_bad_abi_LTX_mo_plugin_query(void);
const struct mo_plugin_desc *ext_bad_abi_LTX_mo_plugin_query(void) { return &desc; }
#elif BAD_KIND == 2
int ext_no_entry_LTX_something_else(void);
int ext_no_entry_LTX_something_else(void) { return 42; }
#else
static enum mo_status tr_frob(struct mo_tctx *t, const struct mo_node *fw, void *u, struct mo_error *err)
{
    struct mo_value x = mo_tctx_input(t, 0);
    struct mo_node *n = mo_tctx_op(t, "Relu", NULL, 1, &x, err);
    return n ? mo_tctx_set_output(t, 0, mo_val(n, 0), err) : MO_ERR_NOMEM;
}
static enum mo_status bad_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    enum mo_status st = mo_register_translator(pc, "testfw", "frob", MO_TIER_EXTENSION, 0, tr_frob, NULL, err);
    if (st != MO_OK)
        return st;
    return mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "this test extension always refuses to start");
}
MO_PLUGIN_EXPORT(ext_failing_init, "ext_failing_init", "1.0", MO_PLUGIN_EXTENSION, bad_init, NULL)
#endif
