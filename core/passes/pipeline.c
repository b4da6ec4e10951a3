/* pipeline.c - which passes run, in which order, and which option turns
 * each off (the original tool's switches). */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mo/mo.h>

#include "passes.h"

enum mo_status mo_passes_front_framework(struct mo_context *ctx, struct mo_graph *fw,
                                         const struct mo_options *opts, struct mo_error *err)
{
    return mo_passes_apply_inputs(ctx, fw, opts, err);
}

enum mo_status mo_passes_check_inputs(struct mo_graph *ir, struct mo_error *err)
{
    for (unsigned i = 0; i < mo_graph_n_nodes(ir); i++) {
        struct mo_node *n = mo_graph_node(ir, i);
        if (n->dead || strcmp(n->type, "Parameter") != 0)
            continue;
        if (n->outputs[0].shape.rank < 0)
            return mo_error_set(err, MO_ERR_SHAPE, 16,
                                "the model does not give the shape of input '%s'; pass it with "
                                "--input_shape (e.g. --input_shape [1,3,224,224]) or --input %s[...]",
                                n->name, n->name);
    }
    return MO_OK;
}

/* --data_type FP16/half means compressed weights, as in the original since
 * the compressed IR became the FP16 IR; FP32/float means none. */
static enum mo_status want_fp16(const struct mo_options *opts, bool *fp16, struct mo_error *err)
{
    const char *dt = mo_options_get(opts, "data_type");
    *fp16 = mo_options_flag(opts, "compress_to_fp16");
    if (!dt)
        return MO_OK;
    if (!strcasecmp(dt, "FP16") || !strcasecmp(dt, "half")) {
        *fp16 = true;
    } else if (!strcasecmp(dt, "FP32") || !strcasecmp(dt, "float")) {
        /* an explicit --compress_to_fp16 still wins */
    } else {
        return mo_error_set(err, MO_ERR_INVALID_ARG, 22,
                            "--data_type '%s' is not one of FP16, half, FP32, float", dt);
    }
    return MO_OK;
}

enum mo_status mo_passes_run_stats(struct mo_context *ctx, struct mo_graph *ir,
                                   const struct mo_options *opts, struct mo_pass_stats *st,
                                   struct mo_error *err)
{
    bool fp16;
    enum mo_status rc = want_fp16(opts, &fp16, err);
    if (rc != MO_OK)
        return rc;
    regex_t skip;
    bool have_skip = false;
    const char *fg = mo_options_get(opts, "finegrain_fusing");
    if (fg) {
        rc = mo_pass_compile_finegrain(fg, &skip, err);
        if (rc != MO_OK)
            return rc;
        have_skip = true;
    }
    bool static_shape = mo_options_flag(opts, "static_shape");
    rc = mo_passes_check_static(ir, opts, err);
    if (rc == MO_OK)
        rc = mo_pass_ensure_ops(ctx, err);
    if (rc == MO_OK)
        rc = mo_pass_preprocess(ctx, ir, opts, st, err);
    if (rc == MO_OK)
        rc = mo_pass_const_fold(ir, static_shape, st, err);
    if (rc == MO_OK)
        rc = mo_pass_body_consts(ir, st, err);
    if (rc == MO_OK)
        rc = mo_pass_remove_identity(ir, st, err);
    /* folding left the readers of folded values with the shapes inferred
     * before (a bias whose rank was unknown until its Reshape folded), and
     * the sinking below decides by ranks */
    if (rc == MO_OK)
        rc = mo_pass_reinfer(ir, err);
    /* before fusing: a constant Multiply/Add between a convolution and its
     * layout Transpose only reaches the convolution once the Transpose moved */
    if (rc == MO_OK && !mo_options_flag(opts, "disable_transpose_sinking"))
        rc = mo_pass_transpose_sink(ir, st, err);
    if (rc == MO_OK)
        rc = mo_pass_reinfer(ir, err);
    if (rc == MO_OK && !mo_options_flag(opts, "disable_fusing"))
        rc = mo_pass_act_fuse(ir, st, err);
    if (rc == MO_OK && !mo_options_flag(opts, "disable_fusing"))
        rc = mo_pass_linear_fuse(ir, have_skip ? &skip : NULL, st, err);
    if (rc == MO_OK && !mo_options_flag(opts, "disable_gfusing"))
        rc = mo_pass_group_conv(ir, st, err);
    if (rc == MO_OK)
        rc = mo_pass_pad_fuse(ir, st, err);
    if (rc == MO_OK && !mo_options_flag(opts, "disable_resnet_optimization"))
        rc = mo_pass_stride_opt(ir, st, err);
    if (rc == MO_OK)
        rc = mo_pass_const_fold(ir, static_shape, st, err);
    if (rc == MO_OK) {
        mo_graph_prune(ir);
        rc = mo_pass_shape_simplify(ir, st, err);
    }
    if (rc == MO_OK) {
        mo_graph_prune(ir);
        rc = mo_pass_cse(ir, st, err);
    }
    if (rc == MO_OK) {
        mo_graph_prune(ir);
        rc = mo_pass_reinfer(ir, err);
    }
    if (rc == MO_OK && fp16)
        rc = mo_pass_fp16(ctx, ir, st, err);
    if (rc == MO_OK) {
        mo_graph_prune(ir);
        rc = mo_pass_reinfer(ir, err);
    }
    if (have_skip)
        regfree(&skip);
    return rc;
}

enum mo_status mo_passes_run(struct mo_context *ctx, struct mo_graph *ir,
                             const struct mo_options *opts, struct mo_error *err)
{
    return mo_passes_run_stats(ctx, ir, opts, NULL, err);
}
