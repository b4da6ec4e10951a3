/* new_op.c - example extension: a new IR operation "ScaledTanh" and a translator producing it.
 *
 * ScaledTanh(x) = alpha * tanh(beta * x), element-wise, in opset
 * "extension".  OpenVINO Runtime runs it only with a matching runtime
 * extension; mo's part is to describe it (type, opset, attributes with
 * defaults, shape inference) so the IR writer serialises it like any
 * standard op.  The op definition must outlive the registry's use of it,
 * hence static storage.
 *
 * Framework layers that become ScaledTanh:
 *   mxnet   Custom(op_type=ScaledTanh, alpha=..., beta=...)
 *   testfw  ScaledTanh (mo's text test frontend, tests/ext/testfw.c)
 * Registering for a framework whose frontend is not loaded costs nothing. */
#include <mo/mo.h>

/* Defaults are IR text: what the writer puts in <data> when unset. */
static const struct mo_attr_spec scaled_tanh_attrs[] = {
    {"alpha", MO_ATTR_FLOAT, "1.0"},
    {"beta", MO_ATTR_FLOAT, "1.0"},
};

/* Same shape and element type as the input; only float types make sense. */
static enum mo_status infer_scaled_tanh(struct mo_node *n, struct mo_error *err)
{
    enum mo_etype et = mo_in_et(n, 0);
    if (et != MO_ET_UNDEFINED && !mo_etype_is_float(et))
        return mo_shape_error(n, err, "ScaledTanh needs a floating-point input, got %s",
                              mo_etype_name(et));
    struct mo_shape s = mo_in_shape(n, 0);
    return mo_set_out(n, 0, et, &s);
}

static const struct mo_op_def scaled_tanh_def = {
    "ScaledTanh", "extension", 1, 1, 1,
    scaled_tanh_attrs, MO_COUNT_OF(scaled_tanh_attrs), infer_scaled_tanh, NULL,
};

static enum mo_status translate_scaled_tanh(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                            struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value y = mo_build_op(b, "ScaledTanh", NULL, 1, mo_build_in(b, 0, "data"));
    /* attributes the model leaves out are not set: the writer then emits
     * the schema defaults, as the runtime extension expects */
    static const char *const names[] = {"alpha", "beta"};
    for (unsigned i = 0; i < MO_COUNT_OF(names); i++) {
        if (!mo_node_attr(fw, names[i]))
            continue;
        bool ok = true;
        double v = mo_node_get_float(fw, names[i], 1.0, &ok);
        if (!ok)
            mo_build_fail(b, "attribute %s='%s' is not a number", names[i],
                          mo_node_get_str(fw, names[i], ""));
        mo_build_set_float(b, y, names[i], v);
    }
    return mo_build_done(b, y);
}

static enum mo_status new_op_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    /* the op first: a translator may only emit ops the table knows */
    enum mo_status st = mo_register_op(pc, &scaled_tanh_def, err);
    if (st == MO_OK)
        st = mo_register_translator(pc, "mxnet", "Custom:ScaledTanh", MO_TIER_EXTENSION, 0,
                                    translate_scaled_tanh, NULL, err);
    if (st == MO_OK)
        st = mo_register_translator(pc, "testfw", "ScaledTanh", MO_TIER_EXTENSION, 0,
                                    translate_scaled_tanh, NULL, err);
    return st;
}

MO_PLUGIN_EXPORT(new_op, "new_op", "1.0", MO_PLUGIN_EXTENSION, new_op_init, NULL)
