/* cli_options.c - option table, parsing and --help of the `mo` command. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <mo/log.h>
#include <mo/status.h>
#include <mo/version.h>

#include "cli_options.h"

enum group { G_GENERAL, G_AGNOSTIC, G_CAFFE, G_TF, G_MXNET, G_KALDI, G_ONNX, G_PADDLE, G_COUNT };

static const char *const group_titles[G_COUNT] = {
    "optional arguments",    "Framework-agnostic parameters", "Caffe*-specific parameters",
    "TensorFlow*-specific parameters", "MXNet-specific parameters", "Kaldi-specific parameters",
    "ONNX*-specific parameters", "PaddlePaddle-specific parameters",
};

struct cli_opt {
    const char *name;    /* long name without dashes */
    const char *shrt;    /* short form with its dash, or NULL */
    bool takes_value;
    enum group group;
    const char *help;
};

static const struct cli_opt opts_table[] = {
    {"help", "-h", false, G_GENERAL, "Show this help message and exit."},
    {"framework", NULL, true, G_GENERAL,
     "Name of the framework used to train the input model (mxnet, paddle, onnx, caffe, tf, kaldi). "
     "Detected from the model file when absent."},
    {"input_model", "-m", true, G_AGNOSTIC, "Framework file with the trained model (MXNet: the .params file)."},
    {"model_name", "-n", true, G_AGNOSTIC,
     "Name of the network in the IR and of the output .xml/.bin files; the model file's name by default."},
    {"output_dir", "-o", true, G_AGNOSTIC, "Directory that receives the IR; the current directory by default."},
    {"input_shape", NULL, true, G_AGNOSTIC,
     "Shape(s) for the model input(s), e.g. [1,3,227,227] or [1,3,227,227],[2,4] for two inputs."},
    {"scale", "-s", true, G_AGNOSTIC, "All input values are divided by this value."},
    {"reverse_input_channels", NULL, false, G_AGNOSTIC,
     "Switch the input channels order from RGB to BGR (or back); applied before mean and scale."},
    {"log_level", NULL, true, G_AGNOSTIC, "Logger level: CRITICAL, ERROR, WARNING, INFO, DEBUG, NOTSET."},
    {"input", NULL, true, G_AGNOSTIC,
     "Input node name(s), with optional port, shape, type and value: name[1,3,224,224]{f32}->value."},
    {"output", NULL, true, G_AGNOSTIC, "Output node name(s); the graph is cut there."},
    {"mean_values", "-ms", true, G_AGNOSTIC, "Mean values per channel, e.g. [123,117,104] or data[123,117,104]."},
    {"scale_values", NULL, true, G_AGNOSTIC, "Scale values per channel, e.g. [58,57,57] or data[58,57,57]."},
    {"source_layout", NULL, true, G_AGNOSTIC, "Layout of the model's input(s)/output(s), e.g. nchw."},
    {"target_layout", NULL, true, G_AGNOSTIC, "Layout the IR's inputs should have, e.g. nhwc."},
    {"layout", NULL, true, G_AGNOSTIC, "Layout of the inputs, e.g. data(nchw) or nchw->nhwc."},
    {"data_type", NULL, true, G_AGNOSTIC, "Data type for weights and activations: FP16, FP32, half, float."},
    {"compress_to_fp16", NULL, false, G_AGNOSTIC, "Store weights in FP16 with decompression to FP32."},
    {"transform", NULL, true, G_AGNOSTIC, "Extra transformations to apply."},
    {"disable_fusing", NULL, false, G_AGNOSTIC, "Turn off fusing of linear operations to Convolution."},
    {"disable_resnet_optimization", NULL, false, G_AGNOSTIC, "Turn off the ResNet stride optimization."},
    {"finegrain_fusing", NULL, true, G_AGNOSTIC,
     "Regex for layers/operations that won't be fused, e.g. Convolution1,.*Scale.*"},
    {"disable_gfusing", NULL, false, G_AGNOSTIC, "Turn off fusing of grouped convolutions."},
    {"disable_transpose_sinking", NULL, false, G_AGNOSTIC,
     "Keep the layout Transposes a frontend puts around each NHWC op (no sinking to the model's boundaries)."},
    {"enable_concat_optimization", NULL, false, G_AGNOSTIC, "Turn on Concat optimization."},
    {"move_to_preprocess", NULL, false, G_AGNOSTIC, "Move mean values to the IR preprocess section."},
    {"extensions", NULL, true, G_AGNOSTIC,
     "Directory or comma-separated directories with extensions; an empty string disables all of them, "
     "the default directory included."},
    {"transformations_config", NULL, true, G_AGNOSTIC,
     "JSON file of sub-graph replacements (the original's format: id, match_kind scope/points/general, "
     "instances, inputs, outputs, custom_attributes), applied right after the model is read."},
    {"batch", "-b", true, G_AGNOSTIC, "Input batch size."},
    {"version", NULL, false, G_AGNOSTIC, "Version of Model Optimizer."},
    {"silent", NULL, false, G_AGNOSTIC, "Only print errors."},
    {"freeze_placeholder_with_value", NULL, true, G_AGNOSTIC,
     "Replace input(s) with constant(s), e.g. \"node_name->True\"."},
    {"static_shape", NULL, false, G_AGNOSTIC, "Make the IR's shapes static (no reshape in the runtime)."},
    {"report", NULL, true, G_AGNOSTIC, "Write a JSON report of the conversion to this file."},
    {"progress", NULL, false, G_AGNOSTIC, "Show conversion progress."},
    {"stream_output", NULL, false, G_AGNOSTIC, "Print progress in a machine-readable form."},
    {"list_plugins", NULL, false, G_AGNOSTIC,
     "List the loaded frontends and extensions, their versions and what they register, then exit."},
    {"validate", NULL, false, G_AGNOSTIC,
     "After writing the IR, run it in the OpenVINO Runtime (libopenvino_c, found at run time) at f32 and "
     "compare with --validate_reference; on a mismatch name the first wrong layer. Exit status 3: "
     "converted but wrong (docs/validate.md)."},
    {"validate_inputs", NULL, true, G_AGNOSTIC,
     "--validate: .npz with the model's inputs by tensor name (or in0, in1, ...); seeded random values "
     "otherwise."},
    {"validate_reference", NULL, true, G_AGNOSTIC,
     "--validate: .npz with the framework's outputs (out0, out1, ... or by tensor name) and optionally "
     "intermediate tensors by framework name."},
    {"validate_rtol", NULL, true, G_AGNOSTIC,
     "--validate: largest error relative to the reference's largest magnitude (default 1e-4)."},
    {"validate_atol", NULL, true, G_AGNOSTIC, "--validate: largest absolute error also accepted (default 0)."},
    {"validate_seed", NULL, true, G_AGNOSTIC, "--validate: seed of the random inputs (default 1)."},
    {"input_proto", "-d", true, G_CAFFE, "Deploy-ready prototxt file with the topology."},
    {"caffe_parser_path", NULL, true, G_CAFFE, "Path to the Python Caffe parser (ignored: mo reads caffe.proto itself)."},
    {"k", "-k", true, G_AGNOSTIC, "Path to CustomLayersMapping.xml (custom layers, highest priority)."},
    {"disable_omitting_optional", NULL, false, G_CAFFE, "Keep optional attributes of custom layers."},
    {"enable_flattening_nested_params", NULL, false, G_CAFFE, "Flatten nested parameters of custom layers."},
    {"input_model_is_text", NULL, false, G_TF, "The TensorFlow model file is a text protobuf."},
    {"input_checkpoint", NULL, true, G_TF, "TensorFlow checkpoint file."},
    {"input_meta_graph", NULL, true, G_TF, "TensorFlow .meta file."},
    {"saved_model_dir", NULL, true, G_TF, "TensorFlow SavedModel directory."},
    {"saved_model_tags", NULL, true, G_TF, "Tags of the SavedModel meta graph to load."},
    {"tensorflow_custom_operations_config_update", NULL, true, G_TF,
     "Fill in the \"inputs\"/\"outputs\" of the scope entries of this transformations config from the "
     "model, write the file back and exit without converting."},
    {"tensorflow_object_detection_api_pipeline_config", NULL, true, G_TF, "Object Detection API pipeline.config."},
    {"tensorboard_logdir", NULL, true, G_TF,
     "Not supported (refused): mo writes no TensorBoard logs; open the model in TensorBoard or Netron instead."},
    {"tensorflow_custom_layer_libraries", NULL, true, G_TF, "TensorFlow custom operation libraries."},
    {"input_symbol", NULL, true, G_MXNET,
     "Symbol file (for example, model-symbol.json) with the topology and layer attributes."},
    {"nd_prefix_name", NULL, true, G_MXNET, "Prefix name for args.nd and argx.nd files."},
    {"pretrained_model_name", NULL, true, G_MXNET,
     "Name of a pretrained MXNet model without extension and epoch number; merged with the .nd files."},
    {"save_params_from_nd", NULL, false, G_MXNET, "Save the parameters built from .nd files as a .params file."},
    {"legacy_mxnet_model", NULL, false, G_MXNET,
     "The model was trained with MXNet older than 1.0.0 (its symbols are upgraded natively)."},
    {"enable_ssd_gluoncv", NULL, false, G_MXNET, "Convert the post-processing of GluonCV SSD topologies."},
    {"counts", NULL, true, G_KALDI, "Path to the counts file."},
    {"remove_output_softmax", NULL, false, G_KALDI, "Remove the SoftMax layer at the output."},
    {"remove_memory", NULL, false, G_KALDI, "Remove the Memory layer and add inputs/outputs instead."},
};

#define N_OPTS (sizeof opts_table / sizeof opts_table[0])

static int cmp_opt_names(const void *a, const void *b)
{
    return strcmp((*(const struct cli_opt *const *)a)->name, (*(const struct cli_opt *const *)b)->name);
}

/* The long option `name` (len bytes, no dashes) stands for, as Python's
 * argparse decides it, since the original tool's users write abbreviations
 * in their scripts: an exact name always wins (--input is not ambiguous
 * although --input_model exists), else the one option the name is a prefix
 * of.  NULL when nothing matches, or when several do: then *n_cand (> 1)
 * options are in cand, sorted by name. */
static const struct cli_opt *find_long(const char *name, size_t len, const struct cli_opt **cand,
                                       size_t *n_cand)
{
    *n_cand = 0;
    if (!len)
        return NULL;
    for (size_t i = 0; i < N_OPTS; i++) {
        if (strncmp(opts_table[i].name, name, len))
            continue;
        if (!opts_table[i].name[len])
            return &opts_table[i];
        cand[(*n_cand)++] = &opts_table[i];
    }
    if (*n_cand == 1)
        return cand[0];
    qsort(cand, *n_cand, sizeof *cand, cmp_opt_names);
    return NULL;
}

static const struct cli_opt *find_short(const char *arg)
{
    for (size_t i = 0; i < N_OPTS; i++)
        if (opts_table[i].shrt && !strcmp(opts_table[i].shrt, arg))
            return &opts_table[i];
    return NULL;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = malloc((lb + 1) * sizeof *row);
    if (!row)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

const char *mo_cli_suggest(const char *name)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < N_OPTS; i++) {
        size_t d = edit_distance(name, opts_table[i].name);
        if (d < best_d) {
            best_d = d;
            best = opts_table[i].name;
        }
    }
    /* a suggestion far from what was typed helps nobody; for a name of one
     * or two letters, replacing every letter is no resemblance at all */
    size_t len = strlen(name);
    size_t max_d = len >= 6 ? len / 2 : len > 2 ? 2 : len ? len - 1 : 0;
    if (best_d > max_d)
        return NULL;
    return best;
}

void mo_cli_help(FILE *out)
{
    fprintf(out, "usage: mo --input_model INPUT_MODEL [options]\n\n"
                 "mo converts a trained model into OpenVINO IR (.xml + .bin + .mapping).\n");
    for (int g = 0; g < G_COUNT; g++) {
        bool any = false;
        for (size_t i = 0; i < N_OPTS; i++) {
            const struct cli_opt *o = &opts_table[i];
            if ((int)o->group != g)
                continue;
            if (!any)
                fprintf(out, "\n%s:\n", group_titles[g]);
            any = true;
            char lhs[96];
            int w = snprintf(lhs, sizeof lhs, "  --%s%s%s%s%s", o->name, o->takes_value ? " VALUE" : "",
                             o->shrt ? ", " : "", o->shrt ? o->shrt : "",
                             o->shrt && o->takes_value ? " VALUE" : "");
            if (w < 30)
                fprintf(out, "%-30s%s\n", lhs, o->help);
            else
                fprintf(out, "%s\n%-30s%s\n", lhs, "", o->help);
        }
    }
    fprintf(out, "\nLong options may be abbreviated to any unambiguous prefix (--input_m for "
                 "--input_model).\n"
                 "Environment: MO_PLUGIN_PATH (colon-separated) adds plugin directories, searched\n"
                 "before the plugin directory that --list_plugins names.\n");
}

static int usage_error(FILE *errf, const char *fmt, const char *a, const char *b)
    __attribute__((format(printf, 2, 0)));
static int usage_error(FILE *errf, const char *fmt, const char *a, const char *b)
{
    /* a and b are the user's words, escaped as any message is */
    char msg[2048], line[4 * sizeof msg];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    int n = snprintf(msg, sizeof msg, fmt, a, b);
#pragma GCC diagnostic pop
    size_t len = n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1;
    mo_escape(line, sizeof line, msg, len);
    fprintf(errf, "[ ERROR ]  %s (mo --help lists the options)\n", line);
    return CLI_EXIT_USAGE;
}

enum cli_result mo_cli_parse(int argc, char **argv, struct mo_options *opts, FILE *out, FILE *errf)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const struct cli_opt *o = NULL;
        const char *inline_val = NULL;
        if (!strncmp(arg, "--", 2)) {
            const char *name = arg + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            const struct cli_opt *cand[N_OPTS];
            size_t n_cand;
            o = find_long(name, len, cand, &n_cand);
            if (!o) {
                char buf[256];
                snprintf(buf, sizeof buf, "%.*s", (int)len, name);
                if (n_cand > 1) {
                    char list[1024] = "";
                    for (size_t c = 0; c < n_cand; c++) {
                        strncat(list, c ? ", --" : "--", sizeof list - strlen(list) - 1);
                        strncat(list, cand[c]->name, sizeof list - strlen(list) - 1);
                    }
                    return usage_error(errf, "ambiguous option '--%s' could match %s", buf, list);
                }
                const char *s = mo_cli_suggest(buf);
                if (s)
                    return usage_error(errf, "unrecognized argument '--%s'; did you mean '--%s'?", buf, s);
                return usage_error(errf, "unrecognized argument '--%s'%s", buf, "");
            }
            if (eq)
                inline_val = eq + 1;
        } else if (arg[0] == '-' && arg[1]) {
            o = find_short(arg);
            if (!o) {
                const char *s = mo_cli_suggest(arg + 1);
                if (s)
                    return usage_error(errf, "unrecognized argument '%s'; did you mean '--%s'?", arg, s);
                return usage_error(errf, "unrecognized argument '%s'%s", arg, "");
            }
        } else {
            return usage_error(errf, "unexpected argument '%s'; options start with --%s", arg, "");
        }
        if (!strcmp(o->name, "help")) {
            mo_cli_help(out);
            return CLI_EXIT_OK;
        }
        if (!strcmp(o->name, "version")) {
            fprintf(out, "Version of Model Optimizer is: mo (C) %s\n", mo_version());
            return CLI_EXIT_OK;
        }
        const char *val = "1";
        if (o->takes_value) {
            if (inline_val) {
                val = inline_val;
            } else {
                /* name the option as typed: "-m" reads better than "--input_model" */
                if (i + 1 >= argc)
                    return usage_error(errf, "option '%s' needs a value%s", arg, "");
                val = argv[++i];
            }
        } else if (inline_val) {
            return usage_error(errf, "option '--%s' takes no value (got '%s')", o->name, inline_val);
        }
        if (mo_options_set(opts, o->name, val) != MO_OK)
            return usage_error(errf, "out of memory%s%s", "", "");
    }
    const char *lvl = mo_options_get(opts, "log_level");
    if (lvl && mo_log_level_parse(lvl) < 0)
        return usage_error(errf, "invalid --log_level '%s'; use one of %s", lvl,
                           "CRITICAL, ERROR, WARNING, INFO, DEBUG, NOTSET");
    return CLI_RUN;
}
