/* failing_init.c - init registers one of everything, then fails: the
 * loader must roll every registration back. */
#include <mo/mo.h>

static enum mo_status never_called(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    return MO_ERR_DECLINED;
}

static enum mo_status load_nothing(struct mo_context *ctx, const struct mo_options *opts,
                                   struct mo_graph *fw, struct mo_error *err)
{
    return mo_error_set(err, MO_ERR_INTERNAL, 0, "never called");
}

static enum mo_status replace_nothing(struct mo_context *ctx, struct mo_graph *fw,
                                      const struct mo_options *opts, void *user,
                                      struct mo_error *err)
{
    return MO_OK;
}

static const struct mo_frontend failing_fe = {sizeof(struct mo_frontend), "failing_fw",
                                              "never usable", NULL, load_nothing};
static const struct mo_op_def failing_op = {"FailingInitOp", "extension", 1, 1, 1, NULL, 0, NULL,
                                            NULL};
static const struct mo_replacement failing_rp = {sizeof(struct mo_replacement), "mxnet",
                                                 "failing_replacement", NULL, 0, replace_nothing,
                                                 NULL};

static enum mo_status fail_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    enum mo_status st = mo_register_translator(pc, "mxnet", "FailingInitLayer", MO_TIER_EXTENSION,
                                               0, never_called, NULL, err);
    if (st == MO_OK)
        st = mo_register_frontend(pc, &failing_fe, err);
    if (st == MO_OK)
        st = mo_register_op(pc, &failing_op, err);
    if (st == MO_OK)
        st = mo_register_replacement(pc, &failing_rp, err);
    if (st != MO_OK)
        return st;
    return mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "deliberate failure after registering");
}

/* The loader calls fini after a failed init too; an empty one is enough for
 * the sanitizer build to see that path run. */
static void failing_fini(void) {}

MO_PLUGIN_EXPORT(failing_init, "failing_init", "1.0", MO_PLUGIN_EXTENSION, fail_init,
                 failing_fini)
