/* main.c - the `mo` command: parse options, load plugins, convert. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mo/mo.h>

#include "cli_options.h"
#include "uninstalled.h"

static void print_error(const struct mo_error *err)
{
    /* the message may quote a model's names: escaped here, at the sink,
     * whoever wrote it (a plugin may not have quoted them) */
    char line[4 * MO_ERROR_MSG_MAX];
    const char *msg = err->msg[0] ? err->msg : mo_status_str(err->code);
    mo_escape(line, sizeof line, msg, strnlen(msg, MO_ERROR_MSG_MAX));
    fprintf(stderr, "[ ERROR ]  %s\n", line);
    if (err->faq > 0)
        fprintf(stderr, "[ ERROR ]  For more information see docs/faq.md, question #%d.\n", err->faq);
}

/* The output directory must exist and be writable, or be creatable under
 * a writable ancestor: checked before any work so a long conversion does
 * not fail at the very end. */
static bool check_output_dir(const char *dir, struct mo_error *err)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", dir);
    for (;;) {
        struct stat st;
        if (stat(buf, &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                mo_error_set(err, MO_ERR_IO, 9, "output directory '%s': '%s' is not a directory", dir, buf);
                return false;
            }
            if (access(buf, W_OK | X_OK) != 0) {
                mo_error_set(err, MO_ERR_IO, 9, "output directory '%s' is not writable; pass another "
                             "--output_dir", dir);
                return false;
            }
            return true;
        }
        char *slash = strrchr(buf, '/');
        if (!slash)
            return access(".", W_OK) == 0 ||
                   (mo_error_set(err, MO_ERR_IO, 9, "output directory '%s' cannot be created here", dir), false);
        if (slash == buf) {
            buf[1] = 0;
        } else {
            *slash = 0;
        }
    }
}

int main(int argc, char **argv)
{
    struct mo_options *opts = mo_options_new();
    if (!opts) {
        fputs("[ ERROR ]  out of memory\n", stderr);
        return 1;
    }
    enum cli_result r = mo_cli_parse(argc, argv, opts, stdout, stderr);
    if (r != CLI_RUN) {
        mo_options_free(opts);
        return r == CLI_EXIT_OK ? 0 : 2;
    }
    struct mo_context *ctx = mo_context_new();
    if (!ctx) {
        fputs("[ ERROR ]  out of memory\n", stderr);
        mo_options_free(opts);
        return 1;
    }
    const char *lvl = mo_options_get(opts, "log_level");
    if (lvl)
        mo_context_set_log_level(ctx, (enum mo_log_level)mo_log_level_parse(lvl));
    mo_context_set_silent(ctx, mo_options_flag(opts, "silent"));

    struct mo_error err = {0};
    int rc = 0;
    enum mo_status st = MO_OK;
    char tree_plugins[PATH_MAX];
    if (mo_cli_build_tree_plugin_dir(tree_plugins, sizeof tree_plugins)) {
        mo_log(ctx, MO_LOG_DEBUG, "this mo runs uninstalled from its build tree: plugins from %s, "
               "not from the installed %s", tree_plugins, mo_installed_plugin_dir());
        st = mo_context_set_plugin_dir(ctx, tree_plugins, &err);
    }
    if (st == MO_OK)
        st = mo_context_load_plugins(ctx, mo_options_get(opts, "extensions"), &err);
    /* after the plugins: the mapping registers for every loaded frontend */
    const char *mapping = mo_options_get(opts, "k");
    if (st == MO_OK && mapping && *mapping)
        st = mo_context_load_mapping(ctx, mapping, &err);
    /* after the plugins too: every entry's id must have a handler */
    const char *tcfg = mo_options_get(opts, "transformations_config");
    if (st == MO_OK && tcfg)
        st = mo_context_load_transformations(ctx, tcfg, &err);
    if (st == MO_OK && mo_options_get(opts, "tensorboard_logdir")) {
        st = mo_error_set(&err, MO_ERR_INVALID_ARG, 0,
                          "--tensorboard_logdir is not supported: mo writes no TensorBoard event files. "
                          "Drop the option; to look at the graph, open the model file in TensorBoard or "
                          "Netron, or use --log_level DEBUG and --report FILE.json for what mo did");
        rc = 2;
    }
    if (st == MO_OK && mo_options_flag(opts, "list_plugins")) {
        mo_context_describe(ctx, stdout);
        goto done;
    }
    if (st == MO_OK) {
        const char *model = mo_options_get(opts, "input_model");
        if (!model)
            model = mo_options_get(opts, "input_symbol");
        if (!model)
            model = mo_options_get(opts, "saved_model_dir");
        if (!model)
            model = mo_options_get(opts, "input_meta_graph");
        if (!model) {
            st = mo_error_set(&err, MO_ERR_INVALID_ARG, 11,
                              "the following argument is required: --input_model (or --input_symbol)");
            rc = 2;
        } else if (access(model, R_OK) != 0) {
            st = mo_error_set(&err, MO_ERR_IO, 1, "cannot read the model file '%s': %s", model,
                              strerror(errno));
        }
    }
    if (st == MO_OK && !check_output_dir(mo_options_get(opts, "output_dir") ? mo_options_get(opts, "output_dir") : ".", &err))
        st = MO_ERR_IO;
    if (st == MO_OK)
        st = mo_convert(ctx, opts, &err);
    if (st != MO_OK) {
        print_error(&err);
        /* 3: --validate found the IR written but wrong (docs/validate.md) */
        if (!rc)
            rc = err.code == MO_ERR_INVALID_ARG ? 2 : err.code == MO_ERR_MISMATCH ? 3 : 1;
    }
done:
    mo_context_free(ctx);
    mo_options_free(opts);
    return rc;
}
