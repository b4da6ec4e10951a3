/* frontend.c - the Caffe frontend: probing, the files of a model, and
 * registration of every translator table. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "caffe.h"

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* .caffemodel is Caffe's own extension; nothing in the bytes of a
 * NetParameter sets it apart from other protobuf files. */
static int probe(const char *path, const unsigned char *head, size_t head_len)
{
    (void)head;
    (void)head_len;
    return has_suffix(path, ".caffemodel") ? 95 : 0;
}

/* --input_model net.caffemodel [--input_proto deploy.prototxt]: without
 * --input_proto, the .prototxt beside the model with the same stem. */
static enum mo_status load(struct mo_context *ctx, const struct mo_options *opts, struct mo_graph *fw,
                           struct mo_error *err)
{
    const char *model = mo_options_get(opts, "input_model");
    const char *proto = mo_options_get(opts, "input_proto");
    char q[MO_QUOTE_SIZE], q2[MO_QUOTE_SIZE], guess[4096];
    if (!model)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 11,
                            "no model given: pass --input_model net.caffemodel --input_proto deploy.prototxt");
    if (mo_options_get(opts, "caffe_parser_path"))
        mo_log(ctx, MO_LOG_WARNING, "--caffe_parser_path is ignored: mo reads Caffe files without Python");
    if (!proto) {
        size_t n = strlen(model);
        size_t stem = has_suffix(model, ".caffemodel") ? n - 11 : n;
        if (snprintf(guess, sizeof guess, "%.*s.prototxt", (int)stem, model) >= (int)sizeof guess)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 0, "the model path is too long");
        if (access(guess, F_OK) != 0)
            return mo_error_set(err, MO_ERR_NOT_FOUND, 0,
                                "no prototxt for '%s': '%s' does not exist; pass the deploy prototxt with "
                                "--input_proto (-d)",
                                mo_quote(q, model), mo_quote(q2, guess));
        proto = guess;
    }
    struct mo_file *pf = mo_file_map(proto, err);
    if (!pf)
        return err && err->code ? err->code : MO_ERR_IO;
    struct mo_file *mf = mo_file_map(model, err);
    enum mo_status st = mf ? mo_cf_load(ctx, pf, mf, fw, err) : (err && err->code ? err->code : MO_ERR_IO);
    mo_file_unref(mf);
    mo_file_unref(pf);
    return st;
}

static const struct mo_frontend frontend = {
    sizeof(struct mo_frontend),
    MO_CF_FRAMEWORK,
    "Caffe models (.caffemodel + deploy .prototxt)",
    probe,
    load,
};

/* A Python layer runs code of the model's own; only a mapping or an
 * extension (higher tiers) can stand for it. */
static enum mo_status tr_python(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                          "is a Python layer (module '%s', layer '%s'): its code cannot run here; map it with "
                          "-k CustomLayersMapping.xml or convert it with an extension (--extensions)",
                          mo_node_get_str(fw, "module", ""), mo_node_get_str(fw, "layer", ""));
}

static const struct mo_cf_table *const tables[] = {
    &mo_cf_tr_conv, &mo_cf_tr_norm, &mo_cf_tr_eltwise, &mo_cf_tr_shape, &mo_cf_tr_detection,
};

/* user: the table entry. */
static enum mo_status dispatch(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    const struct mo_cf_translator *e = user;
    return e->fn(t, fw, (void *)e->arg, err);
}

static enum mo_status init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    enum mo_status st = mo_register_frontend(pc, &frontend, err);
    if (st == MO_OK)
        st = mo_register_translator(pc, MO_CF_FRAMEWORK, "Python", MO_TIER_STANDARD, 0, tr_python, NULL, err);
    for (size_t k = 0; k < MO_COUNT_OF(tables) && st == MO_OK; k++)
        for (unsigned i = 0; i < tables[k]->n && st == MO_OK; i++)
            st = mo_register_translator(pc, MO_CF_FRAMEWORK, tables[k]->v[i].type, MO_TIER_STANDARD, 0, dispatch,
                                        (void *)&tables[k]->v[i], err);
    return st;
}

MO_PLUGIN_EXPORT(mo_caffe, "caffe", "0.1.0", MO_PLUGIN_FRONTEND, init, NULL)
