/* frontend.c - the TensorFlow frontend: probing, loading, and registration
 * of every translator table. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint.h"
#include "tf_load.h"

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

/* The checkpoint at prefix, or *ck NULL when optional and it has no index. */
static enum mo_status open_ckpt(struct mo_context *ctx, const char *prefix, bool optional, struct mo_tf_ckpt **ck,
                                struct mo_error *err)
{
    *ck = NULL;
    if (optional) {
        char idx[4096];
        snprintf(idx, sizeof idx, "%s.index", prefix);
        if (access(idx, F_OK) != 0)
            return MO_OK;
    }
    enum mo_status st = mo_tf_ckpt_open(prefix, ck, err);
    if (st == MO_OK)
        mo_log(ctx, MO_LOG_DEBUG, "tf: checkpoint '%s', %zu tensors", prefix, mo_tf_ckpt_count(*ck));
    return st;
}

static enum mo_status load_form(struct mo_context *ctx, const char *path, bool text, struct mo_tf_form *form,
                                struct mo_graph *fw, struct mo_error *err)
{
    struct mo_file *f = mo_file_map(path, err);
    enum mo_status st = f ? mo_tf_load_form(ctx, f, text, form, fw, err) : (err && err->code ? err->code : MO_ERR_IO);
    mo_file_unref(f);
    mo_tf_ckpt_close(form->ckpt);
    return st;
}

/* The forms: --input_model graph.pb [--input_checkpoint PREFIX],
 * --input_meta_graph FILE.meta (its checkpoint FILE, or --input_checkpoint),
 * --saved_model_dir DIR (DIR/saved_model.pb, DIR/variables/variables). */
static enum mo_status load(struct mo_context *ctx, const struct mo_options *opts, struct mo_graph *fw,
                           struct mo_error *err)
{
    const char *model = mo_options_get(opts, "input_model");
    const char *sm_dir = mo_options_get(opts, "saved_model_dir");
    const char *meta = mo_options_get(opts, "input_meta_graph");
    const char *ckpt_prefix = mo_options_get(opts, "input_checkpoint");
    bool text_flag = mo_options_flag(opts, "input_model_is_text");
    char path[4096], prefix[4096];
    struct mo_tf_form form = {MO_TF_GRAPHDEF, NULL, mo_options_get(opts, "saved_model_tags")};
    enum mo_status st;
    if (sm_dir) {
        snprintf(path, sizeof path, "%s/saved_model.pb", sm_dir);
        bool text = false;
        if (access(path, F_OK) != 0) {
            snprintf(path, sizeof path, "%s/saved_model.pbtxt", sm_dir);
            text = true;
        }
        snprintf(prefix, sizeof prefix, "%s/variables/variables", sm_dir);
        form.kind = MO_TF_SAVEDMODEL;
        if ((st = open_ckpt(ctx, prefix, true, &form.ckpt, err)) != MO_OK)
            return st;
        return load_form(ctx, path, text, &form, fw, err);
    }
    if (meta) {
        size_t n = strlen(meta);
        if (ckpt_prefix)
            snprintf(prefix, sizeof prefix, "%s", ckpt_prefix);
        else
            snprintf(prefix, sizeof prefix, "%.*s", (int)(has_suffix(meta, ".meta") ? n - 5 : n), meta);
        form.kind = MO_TF_METAGRAPH;
        if ((st = open_ckpt(ctx, prefix, !ckpt_prefix, &form.ckpt, err)) != MO_OK)
            return st;
        return load_form(ctx, meta, text_flag, &form, fw, err);
    }
    if (!model)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 11, "no model given: pass --input_model frozen_graph.pb");
    bool text = text_flag || has_suffix(model, ".pbtxt");
    if (!ckpt_prefix)
        return mo_tf_load(ctx, model, text, fw, err);
    if ((st = open_ckpt(ctx, ckpt_prefix, false, &form.ckpt, err)) != MO_OK)
        return st;
    return load_form(ctx, model, text, &form, fw, err);
}

static const struct mo_frontend frontend = {
    sizeof(struct mo_frontend),
    MO_TF_FRAMEWORK,
    "TensorFlow graphs (GraphDef .pb/.pbtxt [+ checkpoint], .meta + checkpoint, SavedModel)",
    probe,
    load,
};

static const struct mo_tf_table *const tables[] = {
    &mo_tf_tr_nn, &mo_tf_tr_eltwise, &mo_tf_tr_shape, &mo_tf_tr_reduce, &mo_tf_tr_misc,
    &mo_tf_tr_flow,
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
