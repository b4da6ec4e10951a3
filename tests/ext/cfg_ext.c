/* cfg_ext.c - test extension handling a transformations config id.
 *
 * "TestSwishReplacement" replaces each matched sub-graph (x * sigmoid(x)
 * in tests/e2e/tf_cfg.sh) by one framework node "TestSwish" carrying the
 * entry's custom_attributes.beta; the translator of the same plugin turns
 * that node into the IR's Swish(x, beta).  So the test sees both halves
 * of an extension: the handler on the framework graph and its translator. */
#include <mo/mo.h>

static enum mo_status swish_replace(struct mo_context *ctx, struct mo_graph *fw,
                                    const struct mo_cfg_match *m, void *user, struct mo_error *err)
{
    (void)ctx;
    (void)user;
    if (m->n_inputs != 1 || m->n_outputs != 1)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "TestSwishReplacement wants 1 input and 1 output, "
                            "not %u and %u", m->n_inputs, m->n_outputs);
    const struct mo_attr *beta = mo_cfg_match_attr(m, "beta");
    if (beta && beta->kind != MO_ATTR_FLOAT && beta->kind != MO_ATTR_INT)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "custom_attributes.beta must be a number");
    struct mo_node *n = mo_cfg_replace_with_node(fw, m, "TestSwish", NULL, err);
    if (!n)
        return err ? err->code : MO_ERR_FORMAT;
    double b = !beta ? 1.0 : beta->kind == MO_ATTR_FLOAT ? beta->u.f : (double)beta->u.i;
    return mo_node_set_float(n, "beta", b);
}

static enum mo_status tr_test_swish(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x");
    struct mo_value beta = mo_build_scalar(b, "beta", MO_ET_F32, mo_node_get_float(fw, "beta", 1.0, NULL));
    struct mo_value y = mo_build_op(b, "Swish", NULL, 2, x, beta);
    return mo_build_done(b, y);
}

static const struct mo_cfg_handler swish_handler = {sizeof swish_handler, "TestSwishReplacement",
                                                    swish_replace, NULL};

static enum mo_status cfg_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    enum mo_status st = mo_register_cfg_handler(pc, &swish_handler, err);
    if (st == MO_OK)
        st = mo_register_translator(pc, "tf", "TestSwish", MO_TIER_EXTENSION, 0, tr_test_swish, NULL, err);
    return st;
}

MO_PLUGIN_EXPORT(cfg_ext, "cfg_ext", "1.0", MO_PLUGIN_EXTENSION, cfg_init, NULL)
