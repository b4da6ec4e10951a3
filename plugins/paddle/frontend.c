/* frontend.c - the PaddlePaddle frontend: which files make a model, probing,
 * and registration of every translator table. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "paddle.h"
#include "pd_load.h"

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int probe(const char *path, const unsigned char *head, size_t head_len)
{
    if (has_suffix(path, ".pdmodel") || has_suffix(path, "/__model__") ||
        !strcmp(path, "__model__"))
        return 90;
    if (is_dir(path)) {
        char buf[4096];
        snprintf(buf, sizeof buf, "%s/__model__", path);
        return is_file(buf) ? 80 : 0;
    }
    if (has_suffix(path, ".json") && head_len > 0) {
        /* a PIR program starts with its base_code header */
        size_t n = head_len < 512 ? head_len : 512;
        for (size_t i = 0; i + 9 <= n; i++)
            if (!memcmp(head + i, "base_code", 9))
                return 90;
        return 0;
    }
    return 0;
}

/* "dir/model.pdmodel" -> "dir/model<suffix>" (heap). */
static char *sibling(const char *path, const char *ext, const char *suffix)
{
    size_t len = strlen(path) - (has_suffix(path, ext) ? strlen(ext) : 0);
    char *s = malloc(len + strlen(suffix) + 1);
    if (!s)
        return NULL;
    memcpy(s, path, len);
    strcpy(s + len, suffix);
    return s;
}

static enum mo_status load(struct mo_context *ctx, const struct mo_options *opts,
                           struct mo_graph *fw, struct mo_error *err)
{
    const char *model = mo_options_get(opts, "input_model");
    if (!model)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 11,
                            "no model given: pass --input_model model.pdmodel (or model.json)");
    char *prog = NULL, *params = NULL;
    enum mo_status st;
    bool pir = has_suffix(model, ".json");
    if (is_dir(model)) {
        /* the old layout: a folder with __model__ (and maybe __params__) */
        size_t len = strlen(model) + 16;
        prog = malloc(len);
        params = malloc(len);
        if (!prog || !params) {
            free(prog);
            free(params);
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        }
        snprintf(prog, len, "%s/__model__", model);
        snprintf(params, len, "%s/__params__", model);
    } else {
        prog = strdup(model);
        params = sibling(model, pir ? ".json" : ".pdmodel", ".pdiparams");
        if (!prog || !params) {
            free(prog);
            free(params);
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        }
    }
    if (!pir && !has_suffix(model, ".pdmodel") && !is_file(params)) {
        free(params);
        params = NULL;      /* one file per parameter beside __model__ */
    }
    /* a missing .pdiparams is the loaders' call: only a program that reads
     * persistable variables needs one (mo_pd_read_params) */
    mo_log(ctx, MO_LOG_DEBUG, "paddle: program '%s', parameters %s%s%s", prog,
           params ? "'" : "", params ? params : "one file each", params ? "'" : "");
    st = pir ? mo_pd_pir_load(prog, params, fw, err) : mo_pd_program_load(prog, params, fw, err);
    /* the feed targets are the model's interface: an application feeds
     * every one, also one whose value the outputs do not need (full_like
     * of a static shape), as OpenVINO's own reader keeps them */
    mo_graph_keep_inputs(fw, true);
    free(prog);
    free(params);
    return st;
}

static const struct mo_frontend frontend = {
    sizeof(struct mo_frontend),
    MO_PD_FRAMEWORK,
    "PaddlePaddle inference models: .pdmodel + .pdiparams, the __model__ folder, PIR model.json",
    probe,
    load,
};

static const struct mo_pd_table *const tables[] = {
    &mo_pd_tr_conv,   &mo_pd_tr_pool,   &mo_pd_tr_norm,   &mo_pd_tr_activation,
    &mo_pd_tr_eltwise, &mo_pd_tr_matmul, &mo_pd_tr_shape, &mo_pd_tr_misc,
    &mo_pd_tr_resize, &mo_pd_tr_reduce, &mo_pd_tr_detection,
    &mo_pd_tr_math,   &mo_pd_tr_create, &mo_pd_tr_index, &mo_pd_tr_nn,
    &mo_pd_tr_roi,    &mo_pd_tr_flow,   &mo_pd_tr_rnn, &mo_pd_tr_array,
};

static enum mo_status init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    enum mo_status st = mo_register_frontend(pc, &frontend, err);
    for (size_t t = 0; t < MO_COUNT_OF(tables) && st == MO_OK; t++)
        for (unsigned i = 0; i < tables[t]->n && st == MO_OK; i++)
            if (tables[t]->v[i].op)
                st = mo_register_translator(pc, MO_PD_FRAMEWORK, tables[t]->v[i].op, MO_TIER_STANDARD,
                                            0, tables[t]->v[i].fn, NULL, err);
    return st;
}

MO_PLUGIN_EXPORT(mo_paddle, "paddle", "0.1.0", MO_PLUGIN_FRONTEND, init, NULL)
