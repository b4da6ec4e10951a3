/* frontend.c - the MXNet frontend: probe, file naming and options, plugin entry.
 *
 * File naming follows MXNet's checkpoints: <prefix>-<epoch>.params beside
 * <prefix>-symbol.json.  --input_symbol names the symbol explicitly; the
 * style-transfer recipe of the user guide merges <nd_prefix>_args.nd and
 * <nd_prefix>_auxs.nd (found beside the symbol) into a pretrained
 * checkpoint, and may save the result as <symbol prefix>-0000.params. */
#include <config.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mx_load.h"
#include "mxnet.h"

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static bool is_file(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Whether needle occurs in the first n bytes of hay (memmem is not C11). */
static bool contains(const unsigned char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(hay + i, needle, k))
            return true;
    return false;
}

static int probe(const char *path, const unsigned char *head, size_t head_len)
{
    if (head_len >= 8) {
        uint64_t magic;
        memcpy(&magic, head, 8);
        if (magic == 0x112)
            return ends_with(path, ".params") || ends_with(path, ".nd") ? 95 : 80;
    }
    if (ends_with(path, "-symbol.json"))
        return 95;
    if (ends_with(path, ".json") && head_len &&
        contains(head, head_len, "\"nodes\"") && contains(head, head_len, "\"op\""))
        return 70;
    /* a .params file with the wrong magic is still most likely meant for
     * us: claiming it gives the user a precise error about the magic */
    if (ends_with(path, ".params"))
        return 30;
    return 0;
}

/* "dir/prefix-0007.params" -> "dir/prefix" (also "dir/prefix.params" -> "dir/prefix"). */
static char *checkpoint_prefix(const char *model)
{
    char *s = strdup(model);
    if (!s)
        return NULL;
    char *dot = strrchr(s, '.');
    char *slash = strrchr(s, '/');
    if (dot && (!slash || dot > slash))
        *dot = 0;
    char *dash = strrchr(s, '-');
    if (dash && (!slash || dash > slash) && dash[1]) {
        const char *p = dash + 1;
        while (*p >= '0' && *p <= '9')
            p++;
        if (!*p)
            *dash = 0;
    }
    return s;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    size_t n = (size_t)(slash - path);
    char *d = malloc(n + 2);
    if (!d)
        return NULL;
    memcpy(d, path, n ? n : 1);
    d[n ? n : 1] = 0;
    return d;
}

/* The newest "<prefix>-NNNN.params", or NULL. */
static char *newest_checkpoint(const char *prefix)
{
    char *dir = dir_of(prefix);
    if (!dir)
        return NULL;
    const char *base = strrchr(prefix, '/');
    base = base ? base + 1 : prefix;
    size_t bl = strlen(base);
    DIR *d = opendir(dir);
    long best = -1;
    char *found = NULL;
    for (struct dirent *e; d && (e = readdir(d));) {
        const char *nm = e->d_name;
        if (strncmp(nm, base, bl) || nm[bl] != '-' || !ends_with(nm, ".params"))
            continue;
        char *end;
        long ep = strtol(nm + bl + 1, &end, 10);
        if (end == nm + bl + 1 || strcmp(end, ".params") || ep <= best)
            continue;
        size_t len = strlen(dir) + strlen(nm) + 2;
        char *p = malloc(len);
        if (!p)
            break;
        snprintf(p, len, "%s/%s", dir, nm);
        free(found);
        found = p;
        best = ep;
    }
    if (d)
        closedir(d);
    free(dir);
    return found;
}

static char *str_printf(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s", a, b);
    return s;
}

/* The pretrained checkpoint the user named: a file, or a name without
 * epoch and extension (the option's documented form). */
static char *resolve_pretrained(const char *name)
{
    if (is_file(name))
        return strdup(name);
    char *p = str_printf(name, "-0000.params");
    if (p && is_file(p))
        return p;
    free(p);
    return newest_checkpoint(name);
}

/* Merge mode: --nd_prefix_name + --pretrained_model_name + --input_symbol. */
static enum mo_status load_nd(struct mo_context *ctx, const struct mo_options *opts, const char *sym,
                              struct mo_mx_params *params, struct mo_error *err)
{
    const char *nd = mo_options_get(opts, "nd_prefix_name");
    const char *pre = mo_options_get(opts, "pretrained_model_name");
    if (!nd || !pre || !sym) {
        const char *miss[3];
        int k = 0;
        if (!nd)
            miss[k++] = "--nd_prefix_name";
        if (!pre)
            miss[k++] = "--pretrained_model_name";
        if (!sym)
            miss[k++] = "--input_symbol";
        return mo_error_set(err, MO_ERR_INVALID_ARG, 0,
                            "--nd_prefix_name, --pretrained_model_name and --input_symbol are used "
                            "together (missing: %s%s%s%s%s)",
                            miss[0], k > 1 ? ", " : "", k > 1 ? miss[1] : "", k > 2 ? ", " : "",
                            k > 2 ? miss[2] : "");
    }
    char *pfile = resolve_pretrained(pre);
    if (!pfile)
        return mo_error_set(err, MO_ERR_NOT_FOUND, 0,
                            "the pretrained model '%s' was not found (tried '%s', '%s-0000.params' "
                            "and '%s-<epoch>.params')",
                            pre, pre, pre, pre);
    enum mo_status st = mo_mx_params_load(params, pfile, MO_MX_PARAM_ARG, err);
    free(pfile);
    if (st != MO_OK)
        return st;
    char *dir = strchr(nd, '/') ? NULL : dir_of(sym);
    char *stem = dir ? malloc(strlen(dir) + strlen(nd) + 2) : strdup(nd);
    if (!stem) {
        free(dir);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    if (dir)
        sprintf(stem, "%s/%s", dir, nd);
    free(dir);
    static const char *const suf[] = {"_args.nd", "_auxs.nd"};
    for (int i = 0; i < 2 && st == MO_OK; i++) {
        char *f = str_printf(stem, suf[i]);
        if (!f)
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        else if (!is_file(f))
            st = mo_error_set(err, MO_ERR_NOT_FOUND, 0,
                              "'%s' was not found: --nd_prefix_name %s needs %s_args.nd and "
                              "%s_auxs.nd beside the symbol file",
                              f, nd, nd, nd);
        else
            st = mo_mx_params_load(params, f, i ? MO_MX_PARAM_AUX : MO_MX_PARAM_ARG, err);
        free(f);
    }
    free(stem);
    if (st != MO_OK || !mo_options_flag(opts, "save_params_from_nd"))
        return st;
    char *sp = checkpoint_prefix(sym);
    if (sp && ends_with(sp, "-symbol"))
        sp[strlen(sp) - 7] = 0;
    char *out = sp ? str_printf(sp, "-0000.params") : NULL;
    free(sp);
    if (!out)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    st = mo_mx_params_save(params, out, err);
    if (st == MO_OK)
        mo_log(ctx, MO_LOG_INFO, "saved the parameters merged from the .nd files as '%s'", out);
    free(out);
    return st;
}

static enum mo_status load(struct mo_context *ctx, const struct mo_options *opts, struct mo_graph *fw,
                           struct mo_error *err)
{
    const char *model = mo_options_get(opts, "input_model");
    const char *sym_opt = mo_options_get(opts, "input_symbol");
    struct mo_mx_params params = {0};
    char *sym = NULL, *pfile = NULL, *desc = NULL;
    enum mo_status st = MO_OK;
    if (mo_options_flag(opts, "legacy_mxnet_model"))
        mo_log(ctx, MO_LOG_DEBUG, "--legacy_mxnet_model: pre-1.0 symbols are upgraded natively");

    if (mo_options_get(opts, "nd_prefix_name") || mo_options_get(opts, "pretrained_model_name")) {
        const char *s = sym_opt ? sym_opt : (model && ends_with(model, ".json") ? model : NULL);
        st = load_nd(ctx, opts, s, &params, err);
        if (st == MO_OK) {
            sym = strdup(s);
            desc = str_printf("the pretrained model and the .nd files of --nd_prefix_name ",
                              mo_options_get(opts, "nd_prefix_name"));
        }
    } else {
        if (mo_options_flag(opts, "save_params_from_nd"))
            mo_log(ctx, MO_LOG_WARNING, "--save_params_from_nd has no effect without --nd_prefix_name");
        if (model && ends_with(model, ".json")) {
            /* the symbol given as the model: its checkpoint is optional */
            sym = strdup(sym_opt ? sym_opt : model);
            char *prefix = checkpoint_prefix(model);
            if (prefix && ends_with(prefix, "-symbol"))
                prefix[strlen(prefix) - 7] = 0;
            pfile = prefix ? newest_checkpoint(prefix) : NULL;
            free(prefix);
        } else if (model) {
            pfile = strdup(model);
            if (sym_opt) {
                sym = strdup(sym_opt);
            } else {
                char *prefix = checkpoint_prefix(model);
                sym = prefix ? str_printf(prefix, "-symbol.json") : NULL;
                free(prefix);
                if (sym && !is_file(sym)) {
                    st = mo_error_set(err, MO_ERR_NOT_FOUND, 11,
                                      "the symbol file '%s' for '%s' was not found; name it with "
                                      "--input_symbol",
                                      sym, model);
                }
            }
        } else if (sym_opt) {
            sym = strdup(sym_opt);
            char *prefix = checkpoint_prefix(sym_opt);
            if (prefix && ends_with(prefix, "-symbol"))
                prefix[strlen(prefix) - 7] = 0;
            pfile = prefix ? newest_checkpoint(prefix) : NULL;
            free(prefix);
        } else {
            st = mo_error_set(err, MO_ERR_INVALID_ARG, 11, "no MXNet model given: pass --input_model");
        }
        if (st == MO_OK && !sym)
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        if (st == MO_OK && pfile) {
            st = mo_mx_params_load(&params, pfile, MO_MX_PARAM_PLAIN, err);
            desc = str_printf(pfile, "'");
            if (desc) {
                char *q = str_printf("'", desc);
                free(desc);
                desc = q;
            }
        }
    }
    if (st == MO_OK)
        st = mo_mx_symbol_load(sym, &params, desc, fw, err);
    if (st == MO_OK)
        mo_log(ctx, MO_LOG_DEBUG, "MXNet symbol '%s', %zu parameter arrays", sym, params.n);
    mo_mx_params_clear(&params);  /* the graph holds its own tensor references */
    free(sym);
    free(pfile);
    free(desc);
    return st;
}

static const struct mo_frontend frontend = {
    sizeof(struct mo_frontend), MO_MX_FRAMEWORK,
    "Apache MXNet: <prefix>-symbol.json + <prefix>-<epoch>.params (or .nd files)", probe, load,
};

static const struct mo_replacement ssd_gluoncv = {
    sizeof(struct mo_replacement), MO_MX_FRAMEWORK, "mxnet_ssd_gluoncv", "enable_ssd_gluoncv", 0,
    mo_mx_replace_ssd_gluoncv, NULL,
};

static const struct mo_mx_table *const tables[] = {
    &mo_mx_tr_conv,   &mo_mx_tr_pool,    &mo_mx_tr_norm,   &mo_mx_tr_activation,
    &mo_mx_tr_eltwise, &mo_mx_tr_shape,  &mo_mx_tr_reduce, &mo_mx_tr_softmax,
    &mo_mx_tr_resize, &mo_mx_tr_misc,    &mo_mx_tr_detection, &mo_mx_tr_custom,
    &mo_mx_tr_ssd_gluoncv,
};

/* Whether an earlier table entry already claimed op (tables are written by
 * different people; the first claim wins instead of failing the plugin). */
static bool claimed_before(size_t ti, unsigned ei, const char *op)
{
    for (size_t a = 0; a <= ti; a++)
        for (unsigned b = 0; b < tables[a]->n && (a < ti || b < ei); b++)
            if (!strcmp(tables[a]->v[b].op, op))
                return true;
    return false;
}

static enum mo_status init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    enum mo_status st = mo_register_frontend(pc, &frontend, err);
    for (size_t ti = 0; ti < MO_COUNT_OF(tables) && st == MO_OK; ti++) {
        for (unsigned i = 0; i < tables[ti]->n && st == MO_OK; i++) {
            const struct mo_mx_translator *tr = &tables[ti]->v[i];
            if (claimed_before(ti, i, tr->op)) {
                mo_log(mo_plugin_ctx_context(pc), MO_LOG_DEBUG,
                       "mxnet: op '%s' is listed twice in the translator tables; the first wins", tr->op);
                continue;
            }
            st = mo_register_translator(pc, MO_MX_FRAMEWORK, tr->op, MO_TIER_STANDARD, 0, tr->fn, NULL, err);
        }
    }
    if (st == MO_OK)
        st = mo_register_replacement(pc, &ssd_gluoncv, err);
    return st;
}

MO_PLUGIN_EXPORT(mo_mxnet, "mxnet", "0.1.0", MO_PLUGIN_FRONTEND, init, NULL)
