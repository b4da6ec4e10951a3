/* testfw.c - a tiny text-format frontend ("testfw") so extension tests need no real framework.
 *
 * Format (one statement per line, '#' starts a comment):
 *     input NAME ETYPE DIMS          input NAME f32 1,3,4,4
 *     layer TYPE NAME INPUTS [k=v]   layer relu r1 data        (INPUTS: a,b or -)
 *     output NAME
 * Every layer has one output, named like the layer; attributes stay strings
 * as in an MXNet symbol file.  The frontend also registers STANDARD
 * translators for "relu" (IR Relu) and "tanh" (IR Tanh), as a real
 * frontend does for the layers it knows. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

static int tfw_probe(const char *path, const unsigned char *head, size_t head_len)
{
    size_t l = strlen(path);
    if (l > 4 && !strcmp(path + l - 4, ".tfw"))
        return 100;
    return head_len >= 8 && !memcmp(head, "# testfw", 8) ? 90 : 0;
}

static char *next_tok(char **p)
{
    while (**p && isspace((unsigned char)**p))
        (*p)++;
    if (!**p)
        return NULL;
    char *t = *p;
    while (**p && !isspace((unsigned char)**p))
        (*p)++;
    if (**p)
        *(*p)++ = 0;
    return t;
}

static enum mo_status parse_line(struct mo_graph *g, char *s, const char *path, int ln,
                                 struct mo_error *err)
{
    char *p = s;
    char *kw = next_tok(&p);
    if (!kw || kw[0] == '#')
        return MO_OK;
    if (!strcmp(kw, "input")) {
        char *name = next_tok(&p), *et = next_tok(&p), *dims = next_tok(&p);
        if (!name || !et || !dims)
            return mo_error_set(err, MO_ERR_FORMAT, 2, "%s:%d: input NAME ETYPE DIMS", path, ln);
        struct mo_shape sh = {0};
        for (char *d = dims; *d && sh.rank < MO_MAX_RANK;) {
            sh.dims[sh.rank++] = strtoll(d, &d, 10);
            if (*d == ',')
                d++;
        }
        struct mo_node *n = mo_graph_add_node(g, "Parameter", name, 0, 1);
        if (!n)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        n->outputs[0].et = mo_etype_parse(et);
        n->outputs[0].shape = sh;
        mo_node_add_output_name(n, 0, name);
        return MO_OK;
    }
    if (!strcmp(kw, "layer")) {
        char *type = next_tok(&p), *name = next_tok(&p), *ins = next_tok(&p);
        if (!type || !name || !ins)
            return mo_error_set(err, MO_ERR_FORMAT, 2, "%s:%d: layer TYPE NAME INPUTS [k=v...]", path, ln);
        struct mo_node *n = mo_graph_add_node(g, type, name, 0, 1);
        if (!n)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        mo_node_add_output_name(n, 0, name);
        if (strcmp(ins, "-") != 0) {
            char *save = NULL;
            for (char *in = strtok_r(ins, ",", &save); in; in = strtok_r(NULL, ",", &save)) {
                struct mo_node *src = mo_graph_find(g, in);
                if (!src)
                    return mo_error_set(err, MO_ERR_FORMAT, 2, "%s:%d: unknown input '%s'", path, ln, in);
                mo_node_add_input(n, mo_val(src, 0));
            }
        }
        for (char *kv = next_tok(&p); kv; kv = next_tok(&p)) {
            char *eq = strchr(kv, '=');
            if (!eq)
                return mo_error_set(err, MO_ERR_FORMAT, 2, "%s:%d: '%s' is not key=value", path, ln, kv);
            *eq = 0;
            if (mo_node_set_str(n, kv, eq + 1) != MO_OK)
                return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        }
        return MO_OK;
    }
    if (!strcmp(kw, "output")) {
        char *name = next_tok(&p);
        struct mo_node *src = name ? mo_graph_find(g, name) : NULL;
        if (!src)
            return mo_error_set(err, MO_ERR_FORMAT, 2, "%s:%d: output names no layer", path, ln);
        mo_graph_add_output(g, mo_val(src, 0));
        return MO_OK;
    }
    return mo_error_set(err, MO_ERR_FORMAT, 2, "%s:%d: unknown statement '%s'", path, ln, kw);
}

static enum mo_status tfw_load(struct mo_context *ctx, const struct mo_options *opts,
                               struct mo_graph *fw, struct mo_error *err)
{
    const char *path = mo_options_get(opts, "input_model");
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f)
        return mo_error_set(err, MO_ERR_IO, 1, "cannot open '%s': %s", path ? path : "(none)",
                            strerror(errno));
    char line[4096];
    int ln = 0;
    enum mo_status st = MO_OK;
    while (st == MO_OK && fgets(line, sizeof line, f)) {
        ln++;
        st = parse_line(fw, line, path, ln, err);
    }
    fclose(f);
    if (st == MO_OK && !mo_graph_n_outputs(fw))
        st = mo_error_set(err, MO_ERR_FORMAT, 2, "%s: no output statement", path);
    return st;
}

static enum mo_status unary(struct mo_tctx *t, const char *type, struct mo_error *err)
{
    struct mo_value x = mo_tctx_input(t, 0);
    struct mo_node *n = mo_tctx_op(t, type, NULL, 1, &x, err);
    if (!n)
        return err ? err->code : MO_ERR_NOMEM;
    return mo_tctx_set_output(t, 0, mo_val(n, 0), err);
}

static enum mo_status tr_relu(struct mo_tctx *t, const struct mo_node *fw, void *u, struct mo_error *err)
{
    return unary(t, "Relu", err);
}

static enum mo_status tr_tanh(struct mo_tctx *t, const struct mo_node *fw, void *u, struct mo_error *err)
{
    return unary(t, "Tanh", err);
}

static const struct mo_frontend tfw_frontend = {
    sizeof(struct mo_frontend), "testfw", "mo's text test format (tests/ext)", tfw_probe, tfw_load,
};

static enum mo_status tfw_init(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    enum mo_status st = mo_register_frontend(pc, &tfw_frontend, err);
    if (st == MO_OK)
        st = mo_register_translator(pc, "testfw", "relu", MO_TIER_STANDARD, 0, tr_relu, NULL, err);
    if (st == MO_OK)
        st = mo_register_translator(pc, "testfw", "tanh", MO_TIER_STANDARD, 0, tr_tanh, NULL, err);
    return st;
}

MO_PLUGIN_EXPORT(testfw, "testfw", "1.0", MO_PLUGIN_FRONTEND, tfw_init, NULL)
