/* frontend.c - the ONNX frontend: probing, loading, and registration of
 * every translator table through one dispatcher per op type that picks the
 * version of the translator the node's opset calls for. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "onnx.h"
#include "ox_load.h"

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* A ModelProto written by any exporter starts with ir_version (field 1,
 * varint), and carries opset_import (field 8) and graph (field 7). */
static int probe(const char *path, const unsigned char *head, size_t head_len)
{
    if (has_suffix(path, ".onnx"))
        return 95;
    if (head_len >= 4 && head[0] == 0x08 && head[1] > 0 && head[1] < 0x20 &&
        (head[2] == 0x12 || head[2] == 0x1a || head[2] == 0x22 || head[2] == 0x3a || head[2] == 0x42))
        return 40;
    return 0;
}

static enum mo_status load(struct mo_context *ctx, const struct mo_options *opts, struct mo_graph *fw,
                           struct mo_error *err)
{
    const char *model = mo_options_get(opts, "input_model");
    if (!model)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 11, "no model given: pass --input_model model.onnx");
    return mo_ox_load(ctx, model, fw, err);
}

static const struct mo_frontend frontend = {
    sizeof(struct mo_frontend),
    MO_OX_FRAMEWORK,
    "ONNX models (.onnx), opsets 1-18, external data",
    probe,
    load,
};

int mo_ox_opset(const struct mo_node *fw)
{
    return (int)mo_node_get_int(fw, MO_OX_OPSET, 0, NULL);
}

/* user: the first entry of the op's versions in its table. */
static enum mo_status dispatch(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    const struct mo_ox_translator *e = user, *pick = NULL;
    int opset = mo_ox_opset(fw);
    for (const struct mo_ox_translator *v = e; v->op && !strcmp(v->op, e->op); v++)
        if (opset <= 0 || v->since <= opset)
            pick = v;
    if (!pick) {
        const char *colon = strchr(fw->type, ':');
        char dom[128];
        snprintf(dom, sizeof dom, "%.*s", colon ? (int)(colon - fw->type) : 7, colon ? fw->type : "ai.onnx");
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 27,
                            "%s exists from opset %d of %s, but the model imports opset %d; the model is "
                            "invalid or was written by a buggy exporter", fw->type, e->since, dom, opset);
    }
    return pick->fn(t, fw, (void *)pick->arg, err);
}

static const struct mo_ox_table *const tables[] = {
    &mo_ox_tr_activation, &mo_ox_tr_eltwise, &mo_ox_tr_conv,   &mo_ox_tr_pool,
    &mo_ox_tr_norm,       &mo_ox_tr_matmul,  &mo_ox_tr_shape,  &mo_ox_tr_gather,
    &mo_ox_tr_reduce,     &mo_ox_tr_resize,  &mo_ox_tr_misc,   &mo_ox_tr_rnn,
    &mo_ox_tr_detection,  &mo_ox_tr_quant,   &mo_ox_tr_msft,   &mo_ox_tr_control,
    &mo_ox_tr_signal, &mo_ox_tr_loss,
};

static enum mo_status init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    enum mo_status st = mo_register_frontend(pc, &frontend, err);
    for (size_t k = 0; k < MO_COUNT_OF(tables) && st == MO_OK; k++) {
        const struct mo_ox_table *tb = tables[k];
        for (unsigned i = 0; i < tb->n && st == MO_OK; i++) {
            const struct mo_ox_translator *e = &tb->v[i];
            if (i > 0 && !strcmp(tb->v[i - 1].op, e->op)) {
                if (tb->v[i - 1].since >= e->since)
                    st = mo_error_set(err, MO_ERR_INTERNAL, 0,
                                      "onnx translator table: versions of %s are not in ascending order", e->op);
                continue;      /* registered with its first version */
            }
            /* a second run of the same op (in this table or another) is
             * refused by the registry as a duplicate registration */
            st = mo_register_translator(pc, MO_OX_FRAMEWORK, e->op, MO_TIER_STANDARD, 0, dispatch, (void *)e,
                                        err);
        }
    }
    return st;
}

MO_PLUGIN_EXPORT(mo_onnx, "onnx", "0.1.0", MO_PLUGIN_FRONTEND, init, NULL)
