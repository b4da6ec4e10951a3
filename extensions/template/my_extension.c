/* my_extension.c - template of an out-of-tree mo extension: copy, rename, fill in.
 * The MXNet layer Custom(op_type=MyReLU6), a Python CustomOp computing
 * min(max(x, 0), 6), becomes the standard IR op Clamp(min=0, max=6).
 * Build with the Makefile beside it (pkg-config mo-sdk), load with
 * mo --extensions DIR ...; docs/writing-extensions.md explains every line. */
#include <mo/mo.h>

/* One framework node in, IR nodes out.  The builder keeps the first error:
 * no line needs a check, mo_build_done returns it (or declares y). */
static enum mo_status translate_relu6(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");           /* the IR value feeding input 0 */
    struct mo_value y = mo_build_op(b, "Clamp", NULL, 1, x);  /* NULL: named like the layer */
    mo_build_set_float(b, y, "min", 0.0);
    mo_build_set_float(b, y, "max", 6.0);
    return mo_build_done(b, y);                               /* y is the layer's output 0 */
}

/* init registers everything; if it fails, mo rolls the registrations back
 * and goes on without this extension (with a warning naming the file). */
static enum mo_status my_extension_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    return mo_register_translator(pc, "mxnet", "Custom:MyReLU6", MO_TIER_EXTENSION, 0,
                                  translate_relu6, NULL, err);
}

/* The first argument is the file's basename (my_extension.so): libltdl
 * looks for my_extension_LTX_mo_plugin_query. */
MO_PLUGIN_EXPORT(my_extension, "my_extension", "0.1", MO_PLUGIN_EXTENSION, my_extension_init, NULL)
