/* convert.c - the whole conversion, as DESIGN.md's data flow draws it. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mo/mo.h>

#include "check/verify.h"
#include "context_private.h"
#include "passes/passes.h"
#include "report.h"
#include "tcfg.h"
#include "translate.h"

static int cmp_replacements(const void *a, const void *b)
{
    const struct replacement_rec *x = a, *y = b;
    if (x->r->rank != y->r->rank)
        return x->r->rank > y->r->rank ? -1 : 1;
    return strcmp(x->r->name, y->r->name);
}

static enum mo_status run_replacements(struct mo_context *ctx, const char *framework,
                                       struct mo_graph *fw, const struct mo_options *opts,
                                       struct mo_error *err)
{
    unsigned n = ctx->replacements.n;
    if (!n)
        return MO_OK;
    struct replacement_rec *v = malloc(n * sizeof *v);
    if (!v)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    memcpy(v, ctx->replacements.v, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_replacements);
    enum mo_status st = MO_OK;
    for (unsigned i = 0; i < n && st == MO_OK; i++) {
        const struct mo_replacement *r = v[i].r;
        if (strcmp(r->framework, framework) != 0)
            continue;
        if (r->enabled_by && !mo_options_flag(opts, r->enabled_by))
            continue;
        mo_log(ctx, MO_LOG_DEBUG, "running sub-graph replacement '%s'", r->name);
        st = r->fn(ctx, fw, opts, r->user, err);
        if (st != MO_OK)
            mo_error_prefix(err, "sub-graph replacement '%s'", r->name);
    }
    free(v);
    return st;
}

/* "dir/model-0000.params" -> "model-0000" */
static char *default_model_name(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    char *s = strdup(b);
    if (!s)
        return NULL;
    char *dot = strrchr(s, '.');
    if (dot && dot != s)
        *dot = 0;
    return s;
}

/* mkdir -p, so that --output_dir may name a directory still to be made. */
static enum mo_status make_dirs(const char *dir, struct mo_error *err)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 9, "output directory name is too long");
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return mo_error_set(err, MO_ERR_IO, 9, "cannot create output directory '%s': %s", buf,
                                strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return mo_error_set(err, MO_ERR_IO, 9, "cannot create output directory '%s': %s", buf,
                            strerror(errno));
    return MO_OK;
}

/* The report's directory must take a new file: checked before the IR is
 * written so that a bad --report path leaves nothing behind. */
static enum mo_status check_report_path(const char *path, struct mo_error *err)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = 0;
    else if (slash)
        *slash = 0;
    else
        snprintf(dir, sizeof dir, ".");
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return mo_error_set(err, MO_ERR_IO, 24, "--report '%s' is a directory; name a file", path);
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode) || access(dir, W_OK | X_OK) != 0)
        return mo_error_set(err, MO_ERR_IO, 24, "cannot write the report '%s': '%s' is not a "
                            "writable directory", path, dir);
    return MO_OK;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

enum mo_status mo_convert(struct mo_context *ctx, const struct mo_options *opts, struct mo_error *err)
{
    double t0 = now_seconds();
    const char *model = mo_options_get(opts, "input_model");
    if (!model)
        model = mo_options_get(opts, "input_symbol");
    const char *fwname = mo_options_get(opts, "framework");
    /* TensorFlow's other forms name no model file: they are TensorFlow's */
    if (!model && (model = mo_options_get(opts, "saved_model_dir")) != NULL && !fwname)
        fwname = "tf";
    if (!model && (model = mo_options_get(opts, "input_meta_graph")) != NULL && !fwname)
        fwname = "tf";
    if (!model)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 11,
                            "no model given: pass --input_model (or --input_symbol for MXNet)");
    const struct mo_frontend *fe;
    if (fwname) {
        fe = mo_context_frontend(ctx, fwname);
        if (!fe)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 8,
                                "framework '%s' has no frontend loaded; check --framework and "
                                "MO_PLUGIN_PATH (mo --list_plugins shows what is loaded)",
                                fwname);
    } else {
        fe = mo_context_detect(ctx, model, err);
        if (!fe)
            return err ? err->code : MO_ERR_UNSUPPORTED;
    }
    mo_log(ctx, MO_LOG_INFO, "converting '%s' with the %s frontend", model, fe->name);
    /* --validate's runtime and files first: without them nothing is written */
    struct mo_verify *verify = NULL;
    enum mo_status vst = mo_verify_prepare(ctx, opts, &verify, err);
    if (vst != MO_OK)
        return vst;

    struct mo_graph *fw = mo_graph_new(ctx);
    struct mo_graph *ir = mo_graph_new(ctx);
    char *name = NULL;
    const char *report_path = mo_options_get(opts, "report");
    struct mo_report *report = report_path ? mo_report_new() : NULL;
    struct mo_pass_stats *stats = calloc(1, sizeof *stats);
    enum mo_status st = (!fw || !ir || !stats || (report_path && !report))
                            ? mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory")
                            : MO_OK;
    if (st == MO_OK)
        st = fe->load(ctx, opts, fw, err);
    const char *update = mo_options_get(opts, "tensorflow_custom_operations_config_update");
    if (st == MO_OK && update) {
        /* the original's update mode: the config is the only output */
        st = mo_tcfg_update_file(ctx, fw, update, err);
        goto out;
    }
    if (st == MO_OK)
        st = run_replacements(ctx, fe->name, fw, opts, err);
    if (st == MO_OK)
        st = mo_passes_front_framework(ctx, fw, opts, err);
    if (st == MO_OK) {
        mo_graph_keep_inputs(ir, mo_graph_keeps_inputs(fw));
        st = mo_translate(ctx, opts, fe->name, fw, ir, err);
    }
    if (st == MO_OK) {
        mo_graph_prune(ir);
        st = mo_passes_check_inputs(ir, err);
    }
    if (st == MO_OK)
        st = mo_graph_infer(ir, err);
    if (st == MO_OK && report)
        st = mo_report_counts(report, "before", ir) == MO_OK
                 ? MO_OK
                 : mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    if (st == MO_OK)
        st = mo_passes_run_stats(ctx, ir, opts, stats, err);
    if (st == MO_OK) {
        mo_graph_prune(ir);
        st = mo_passes_unique_names(ir, err);
    }
    if (st == MO_OK)
        st = mo_graph_validate(ir, err);
    const char *outdir = mo_options_get(opts, "output_dir");
    if (!outdir)
        outdir = ".";
    const char *mname = mo_options_get(opts, "model_name");
    if (st == MO_OK && !mname) {
        name = default_model_name(model);
        mname = name;
        if (!name)
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    if (st == MO_OK && report)
        st = mo_report_counts(report, "after", ir) == MO_OK
                 ? MO_OK
                 : mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    if (st == MO_OK)
        st = make_dirs(outdir, err);
    if (st == MO_OK && report_path)
        st = check_report_path(report_path, err);
    if (st == MO_OK) {
        struct mo_ir_info info = {fe->name, opts};
        st = mo_ir_write(ir, outdir, mname, &info, err);
    }
    if (st == MO_OK) {
        char abs[PATH_MAX], xml[PATH_MAX + 256], bin[PATH_MAX + 256], map[PATH_MAX + 256];
        if (!realpath(outdir, abs))
            snprintf(abs, sizeof abs, "%s", outdir);
        snprintf(xml, sizeof xml, "%s/%s.xml", abs, mname);
        snprintf(bin, sizeof bin, "%s/%s.bin", abs, mname);
        snprintf(map, sizeof map, "%s/%s.mapping", abs, mname);
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        double secs = now_seconds() - t0;
        if (report) {
            bool fp16 = stats->fp16_compressed || stats->fp16_kept_f32;
            struct mo_report_info ri = {fe->name, xml, bin, map, stats, fp16, secs, ru.ru_maxrss};
            st = mo_report_write(report, report_path, &ri, err);
            if (st != MO_OK) {
                /* all or nothing: the IR goes too */
                unlink(xml);
                unlink(bin);
                unlink(map);
            }
        }
        if (st == MO_OK) {
            mo_log_success(ctx, "Generated IR version 11 model.");
            mo_log_success(ctx, "XML file: %s", xml);
            mo_log_success(ctx, "BIN file: %s", bin);
            mo_log_success(ctx, "Total execution time: %.2f seconds. ", secs);
            mo_log_success(ctx, "Memory consumed: %ld MB. ", ru.ru_maxrss / 1024);
        }
        if (st == MO_OK && verify)
            st = mo_verify_run(verify, ctx, opts, xml, bin, map, err);
    }
out:
    mo_verify_free(verify);
    mo_report_free(report);
    free(stats);
    free(name);
    mo_graph_free(ir);
    mo_graph_free(fw);
    return st;
}
