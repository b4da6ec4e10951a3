/* my_extension.c - template of an out-of-tree mo extension: copy, rename, fill in.
 *
 * Builds against the installed SDK alone (see Makefile):
 *     cc -shared -fPIC -o my_extension.so my_extension.c $(pkg-config --cflags --libs mo-sdk)
 * and is used with
 *     mo --extensions DIR_WITH_THE_SO --input_model ...
 *
 * What it does, as an example: the MXNet layer Custom(op_type=MyReLU6),
 * a Python CustomOp computing min(max(x, 0), 6), becomes the standard IR op
 * Clamp(min=0, max=6).  docs/writing-extensions.md explains every step. */
#include <mo/mo.h>

/* A translator: one framework node in, IR nodes out.  Return
 * MO_ERR_DECLINED to let a lower-priority translator handle this node. */
static enum mo_status translate_relu6(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    struct mo_value x = mo_tctx_input(t, 0);
    if (!x.node)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "MyReLU6 layer '%s' has no input", fw->name);
    /* named like the framework node: the .mapping file points at it */
    struct mo_node *n = mo_tctx_op(t, "Clamp", NULL, 1, &x, err);
    if (!n)
        return err ? err->code : MO_ERR_NOMEM;
    if (mo_node_set_float(n, "min", 0.0) != MO_OK || mo_node_set_float(n, "max", 6.0) != MO_OK)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return mo_tctx_set_output(t, 0, mo_val(n, 0), err);
}

/* init registers everything; if it fails, mo rolls the registrations back
 * and goes on without this extension (with a warning naming the file). */
static enum mo_status my_extension_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    return mo_register_translator(pc, "mxnet", "Custom:MyReLU6", MO_TIER_EXTENSION, 0,
                                  translate_relu6, NULL, err);
}

/* The first argument must be the file's basename (my_extension.so ->
 * my_extension): libltdl looks for my_extension_LTX_mo_plugin_query. */
MO_PLUGIN_EXPORT(my_extension, "my_extension", "0.1", MO_PLUGIN_EXTENSION, my_extension_init, NULL)
