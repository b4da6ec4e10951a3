/* frontend.c - the TensorFlow frontend: probing, loading, and registration
 * of every translator table. */
#include <config.h>

#include <string.h>

#include "checkpoint.h"
#include "tf.h"

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* .pb is TensorFlow's own extension (ONNX and Caffe use others); a text
 * graph starts with `node {`.  A binary GraphDef without the extension
 * starts with a node: field 1, length-delimited, whose first field is its
 * name (field 1: 0x0a) -- weak, as many protobuf files begin so. */
static int probe(const char *path, const unsigned char *head, size_t head_len)
{
    if (has_suffix(path, ".pb") || has_suffix(path, ".pbtxt"))
        return 90;
    if (head_len >= 6 && !memcmp(head, "node {", 6))
        return 60;
    if (head_len >= 4 && head[0] == 0x0a && head[2] == 0x0a)
        return 20;
    return 0;
}

static enum mo_status load(struct mo_context *ctx, const struct mo_options *opts, struct mo_graph *fw,
                           struct mo_error *err)
{
    const char *model = mo_options_get(opts, "input_model");
    if (!model)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 11, "no model given: pass --input_model frozen_graph.pb");
    if (mo_options_get(opts, "saved_model_dir") || mo_options_get(opts, "input_meta_graph"))
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 0,
                            "this mo reads GraphDefs only (.pb, .pbtxt, with --input_checkpoint for their "
                            "variables); freeze a SavedModel or meta graph first "
                            "(convert_variables_to_constants_v2)");
    bool text = mo_options_flag(opts, "input_model_is_text") || has_suffix(model, ".pbtxt");
    const char *ckpt_prefix = mo_options_get(opts, "input_checkpoint");
    if (!ckpt_prefix)
        return mo_tf_load(ctx, model, text, fw, err);
    struct mo_tf_ckpt *ck;
    enum mo_status st = mo_tf_ckpt_open(ckpt_prefix, &ck, err);
    if (st != MO_OK)
        return st;
    mo_log(ctx, MO_LOG_DEBUG, "tf: checkpoint '%s', %zu tensors", ckpt_prefix, mo_tf_ckpt_count(ck));
    st = mo_tf_load_with_ckpt(ctx, model, text, ck, fw, err);
    mo_tf_ckpt_close(ck);
    return st;
}

static const struct mo_frontend frontend = {
    sizeof(struct mo_frontend),
    MO_TF_FRAMEWORK,
    "TensorFlow frozen graphs (GraphDef .pb, text .pbtxt)",
    probe,
    load,
};

static const struct mo_tf_table *const tables[] = {
    &mo_tf_tr_nn, &mo_tf_tr_eltwise, &mo_tf_tr_shape, &mo_tf_tr_reduce, &mo_tf_tr_misc,
};

/* user: the table entry. */
static enum mo_status dispatch(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    const struct mo_tf_translator *e = user;
    return e->fn(t, fw, (void *)e->arg, err);
}

static enum mo_status init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    enum mo_status st = mo_register_frontend(pc, &frontend, err);
    for (size_t k = 0; k < MO_COUNT_OF(tables) && st == MO_OK; k++)
        for (unsigned i = 0; i < tables[k]->n && st == MO_OK; i++)
            st = mo_register_translator(pc, MO_TF_FRAMEWORK, tables[k]->v[i].op, MO_TIER_STANDARD, 0, dispatch,
                                        (void *)&tables[k]->v[i], err);
    return st;
}

MO_PLUGIN_EXPORT(mo_tensorflow, "tensorflow", "0.1.0", MO_PLUGIN_FRONTEND, init, NULL)
