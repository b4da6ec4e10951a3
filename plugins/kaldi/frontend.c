/* frontend.c - the Kaldi frontend: probe, options, plugin entry.
 *
 * Kaldi models have no fixed extension (final.nnet, final.raw, final.mdl),
 * so the probe looks at the first token: <Nnet> (nnet1), <Nnet3>, or
 * <TransitionModel> (a .mdl: transition model, then the network), binary
 * ("\0B" first) or text. */
#include <config.h>

#include <string.h>

#include "kaldi.h"

static bool starts(const unsigned char *head, size_t n, const char *tok)
{
    size_t k = strlen(tok);
    return n >= k && !memcmp(head, tok, k);
}

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static int probe(const char *path, const unsigned char *head, size_t head_len)
{
    static const char *const first[] = {"<Nnet>", "<Nnet3>", "<TransitionModel>"};
    size_t i = 0;
    bool binary = head_len >= 2 && head[0] == 0 && head[1] == 'B';
    if (binary)
        i = 2;
    while (i < head_len && (head[i] == ' ' || head[i] == '\n' || head[i] == '\t' || head[i] == '\r'))
        i++;
    for (size_t k = 0; k < MO_COUNT_OF(first); k++)
        if (starts(head + i, head_len - i, first[k]))
            return binary ? 100 : 95;
    /* a broken file with a Kaldi name is still most likely meant for us:
     * claiming it gives a precise error instead of "unknown framework" */
    if (ends_with(path, ".nnet") || ends_with(path, ".mdl") || ends_with(path, ".raw"))
        return binary ? 40 : 20;
    return 0;
}

static enum mo_status load(struct mo_context *ctx, const struct mo_options *opts, struct mo_graph *fw,
                           struct mo_error *err)
{
    const char *path = mo_options_get(opts, "input_model");
    if (!path)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 0, "--input_model is required for a Kaldi model");
    struct mo_kaldi_opts o = {
        .remove_output_softmax = mo_options_flag(opts, "remove_output_softmax"),
        .counts = mo_options_get(opts, "counts"),
    };
    if (o.counts && !*o.counts)
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 0,
                            "--counts without a file (priors from the model) is not supported yet: give the counts file");
    if (mo_options_flag(opts, "remove_memory"))
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 0,
                            "--remove_memory: this version converts a Kaldi model into an IR over a whole window "
                            "of frames, which has no memory to remove (docs/kaldi.md)");
    return mo_kaldi_load(path, &o, fw, ctx, err);
}

static const struct mo_frontend frontend = {
    sizeof(struct mo_frontend), MO_KALDI_FRAMEWORK,
    "Kaldi nnet1 and nnet3 acoustic models (.nnet, .raw, .mdl; binary or text)", probe, load,
};

static enum mo_status init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    enum mo_status st = mo_register_frontend(pc, &frontend, err);
    return st == MO_OK ? mo_kaldi_register(pc, err) : st;
}

MO_PLUGIN_EXPORT(mo_kaldi, "kaldi", "0.1.0", MO_PLUGIN_FRONTEND, init, NULL)
