/* options.c - fuzz harness: the command line and the option grammars
 * (core/cli/cli_options.c; --input, --output, --input_shape, --batch and
 * --freeze_placeholder_with_value read by core/passes/inputs.c;
 * --mean_values, --scale_values, --scale, --layout, --source_layout,
 * --target_layout, --reverse_input_channels by core/passes/preprocess.c).
 *
 * Input: the arguments after "mo", one per line (at most 64).  They are
 * parsed as `mo` parses its argv; when that succeeds the options are
 * applied to two small graphs built afresh for the input: a framework
 * graph (Parameters data [1,3,8,8] and flag [2] -> conv1 -> relu1 -> pool1)
 * through the front passes, and an inferred IR graph (Parameters data
 * [1,3,6,6] and data2 [?,3,6,6] -> Add -> Convolution -> Result) through
 * preprocessing. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>
#include <mo/op.h>

#include "cli/cli_options.h"
#include "fuzz.h"
#include "passes/passes.h"

#define MAX_ARGS 64

static struct mo_node *fw_node(struct mo_graph *fw, const char *type, const char *name,
                               struct mo_node *in)
{
    struct mo_node *n = mo_graph_add_node(fw, type, name, in ? 1 : 0, 1);
    if (n && in)
        mo_node_set_input(n, 0, mo_val(in, 0));
    return n;
}

static void front(struct mo_context *ctx, const struct mo_options *opts)
{
    struct mo_graph *fw = mo_graph_new(ctx);
    struct mo_node *p = fw ? fw_node(fw, "Parameter", "data", NULL) : NULL;
    struct mo_node *f = p ? fw_node(fw, "Parameter", "flag", NULL) : NULL;
    struct mo_node *a = f ? fw_node(fw, "Convolution", "conv1", p) : NULL;
    struct mo_node *b = a ? fw_node(fw, "Activation", "relu1", a) : NULL;
    struct mo_node *c = b ? fw_node(fw, "Pooling", "pool1", b) : NULL;
    if (c) {
        p->outputs[0].et = MO_ET_F32;
        p->outputs[0].shape = mo_shape_of(1, 3, 8, 8);
        mo_node_add_output_name(p, 0, "data");
        f->outputs[0].et = MO_ET_F32;
        f->outputs[0].shape = mo_shape_of(2);
        mo_node_add_output_name(f, 0, "flag");
        mo_node_add_input(c, mo_val(f, 0));
        mo_graph_add_output(fw, mo_val(c, 0));
        struct mo_error err = {0};
        mo_passes_front_framework(ctx, fw, opts, &err);
    }
    mo_graph_free(fw);
}

static void preprocess(struct mo_context *ctx, const struct mo_options *opts)
{
    struct mo_error err = {0};
    struct mo_graph *g = mo_graph_new(ctx);
    if (!g || mo_pass_ensure_ops(ctx, &err) != MO_OK) {
        mo_graph_free(g);
        return;
    }
    struct mo_shape s1 = mo_shape_of(1, 3, 6, 6), s2 = mo_shape_of(MO_DYN, 3, 6, 6);
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, &s1, &err);
    struct mo_node *y = x ? mo_parameter(g, "data2", MO_ET_F32, &s2, &err) : NULL;
    float w[2 * 3 * 3 * 3];
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        w[i] = (float)((int)(i * 7 % 11) - 5) / 8.0f;
    struct mo_shape ws = mo_shape_of(2, 3, 3, 3);
    struct mo_tensor *t = y ? mo_tensor_from_data(MO_ET_F32, &ws, w, sizeof w, &err) : NULL;
    struct mo_node *wc = t ? mo_const(g, "w", t, &err) : NULL;
    struct mo_node *sum = NULL, *conv = NULL;
    if (wc) {
        mo_node_add_output_name(x, 0, "data");
        mo_node_add_output_name(y, 0, "data2");
        sum = mo_op(g, "Add", "sum", 2, (struct mo_value[]){{x, 0}, {y, 0}}, &err);
    }
    if (sum)
        conv = mo_op(g, "Convolution", "conv", 2, (struct mo_value[]){{sum, 0}, {wc, 0}}, &err);
    if (conv) {
        static const int64_t one[] = {1, 1}, zero[] = {0, 0};
        mo_node_set_ints(conv, "strides", one, 2);
        mo_node_set_ints(conv, "dilations", one, 2);
        mo_node_set_ints(conv, "pads_begin", zero, 2);
        mo_node_set_ints(conv, "pads_end", zero, 2);
        if (mo_result(g, mo_val(conv, 0), "out", &err) && mo_graph_infer(g, &err) == MO_OK)
            mo_pass_preprocess(ctx, g, opts, NULL, &err);
    }
    mo_graph_free(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* argv strings are NUL-terminated copies of the lines */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    char *argv[MAX_ARGS + 2] = {"mo"};
    int argc = 1;
    for (char *p = text; argc <= MAX_ARGS;) {
        argv[argc++] = p;
        char *nl = memchr(p, '\n', (size_t)(text + size - p));
        if (!nl)
            break;
        *nl = 0;
        p = nl + 1;
    }
    argv[argc] = NULL;
    FILE *sink = fopen("/dev/null", "w");
    struct mo_options *opts = mo_options_new();
    struct mo_context *ctx = mo_context_new();
    if (sink && opts && ctx) {
        mo_context_set_silent(ctx, true);
        if (mo_cli_parse(argc, argv, opts, sink, sink) == CLI_RUN) {
            front(ctx, opts);
            preprocess(ctx, opts);
        }
    }
    mo_context_free(ctx);
    mo_options_free(opts);
    if (sink)
        fclose(sink);
    free(text);
    return 0;
}
