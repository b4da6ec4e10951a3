/* inputs.c - --input, --output, --input_shape, --batch and freezing applied
 * to the framework graph before translation, so that every translator sees
 * the inputs, shapes and outputs the user asked for, whatever the frontend.
 *
 * --input items: name, name:port (cut at that output port), port:name (cut
 * at that input port), each with an optional [shape], {type} and ->value.
 * An item naming a Parameter overrides it; an item naming an inner node cuts
 * the graph there with a new Parameter (or a Const when a value is given).
 * --output items name where the graph ends; what no output needs is removed. */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mo/mo.h>

#include "../graph_private.h"
#include "passes.h"

#define MAX_SPECS 64

/* Parse one shape "[1,3,224,224]" / "(1,3,224,224)" starting at *p; dims
 * "?" or -1 are dynamic, "a..b" ranges become dynamic.  Advances *p.
 * *neg is set when a dim below -1 was written (reported by the caller). */
static bool parse_shape(const char **p, struct mo_shape *s, bool *neg)
{
    const char *q = *p;
    while (isspace((unsigned char)*q))
        q++;
    char close = *q == '[' ? ']' : *q == '(' ? ')' : 0;
    if (!close)
        return false;
    q++;
    s->rank = 0;
    while (isspace((unsigned char)*q))
        q++;
    if (*q == close) {
        *p = q + 1;
        return true;
    }
    for (;;) {
        while (isspace((unsigned char)*q))
            q++;
        if (s->rank >= MO_MAX_RANK)
            return false;
        if (*q == '?') {
            s->dims[s->rank++] = MO_DYN;
            q++;
        } else {
            char *end;
            long long v = strtoll(q, &end, 10);
            if (end == q)
                return false;
            q = end;
            if (!strncmp(q, "..", 2)) { /* a range: keep it dynamic */
                q += 2;
                strtoll(q, &end, 10);
                q = end;
                v = -1;
            }
            if (v < -1) {
                if (neg)
                    *neg = true;
                return false;
            }
            s->dims[s->rank++] = v < 0 ? MO_DYN : v;
        }
        while (isspace((unsigned char)*q))
            q++;
        if (*q == ',') {
            q++;
            continue;
        }
        if (*q == close) {
            *p = q + 1;
            return true;
        }
        return false;
    }
}

struct input_spec {
    char text[512];       /* the item as written, without shape/type/value */
    char name[512];       /* node name once the port is split off */
    int in_port, out_port;
    bool has_shape;
    struct mo_shape shape;
    enum mo_etype et;
    bool has_value;
    char value[1024];
    struct mo_node *node; /* the framework node it resolves to */
};

/* Copy a "->value" starting at p (after the arrow) up to a top-level comma. */
static const char *read_value(const char *p, char *out, size_t max)
{
    int depth = 0;
    size_t k = 0;
    while (*p && (depth > 0 || *p != ',')) {
        depth += *p == '[' || *p == '(';
        depth -= *p == ']' || *p == ')';
        if (k + 1 < max)
            out[k++] = *p;
        p++;
    }
    out[k] = 0;
    return p;
}

static enum mo_status parse_inputs(const char *text, struct input_spec *v, unsigned max,
                                   unsigned *n, struct mo_error *err)
{
    const char *p = text;
    *n = 0;
    while (*p) {
        if (*n == max)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 12, "--input names more than %u inputs", max);
        struct input_spec *s = &v[(*n)++];
        memset(s, 0, sizeof *s);
        s->in_port = s->out_port = -1;
        size_t k = 0;
        while (*p && *p != '[' && *p != '(' && *p != '{' && *p != ',' && strncmp(p, "->", 2)) {
            if (k + 1 < sizeof s->text)
                s->text[k++] = *p;
            p++;
        }
        s->text[k] = 0;
        if (!k)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 12, "an item of --input '%s' has no name", text);
        if (*p == '[' || *p == '(') {
            bool neg = false;
            if (!parse_shape(&p, &s->shape, &neg))
                return mo_error_set(err, MO_ERR_INVALID_ARG, neg ? 14 : 12,
                                    neg ? "the shape given for input '%s' in --input '%s' has a "
                                          "negative dimension"
                                        : "cannot read the shape given for input '%s' in --input '%s'",
                                    s->text, text);
            s->has_shape = true;
        }
        if (*p == '{') {
            const char *e = strchr(p, '}');
            if (!e)
                return mo_error_set(err, MO_ERR_INVALID_ARG, 12, "unclosed '{' in --input '%s'", text);
            char tname[32];
            snprintf(tname, sizeof tname, "%.*s", (int)(e - p - 1), p + 1);
            s->et = mo_etype_parse(tname);
            if (s->et == MO_ET_UNDEFINED)
                return mo_error_set(err, MO_ERR_INVALID_ARG, 12,
                                    "unknown element type '%s' for input '%s'", tname, s->text);
            p = e + 1;
        }
        if (!strncmp(p, "->", 2)) {
            p = read_value(p + 2, s->value, sizeof s->value);
            s->has_value = true;
        }
        if (*p == ',')
            p++;
        else if (*p)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 12, "cannot read --input '%s' near '%s'", text, p);
    }
    return MO_OK;
}

static bool all_digits(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* Resolve "name", "name:k" or "k:name" against the graph: a node whose
 * whole name matches wins (framework names may contain ':'). */
static struct mo_node *resolve(struct mo_graph *g, const char *text, char *name, size_t nmax,
                               int *in_port, int *out_port)
{
    *in_port = *out_port = -1;
    snprintf(name, nmax, "%s", text);
    struct mo_node *n = mo_graph_find(g, text);
    if (n)
        return n;
    /* a tensor name (ONNX names tensors and nodes apart): its producer and port */
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *x = mo_graph_node(g, i);
        for (unsigned o = 0; !x->dead && o < x->n_outputs; o++)
            for (unsigned k = 0; k < x->outputs[o].n_names; k++)
                if (!strcmp(x->outputs[o].names[k], text)) {
                    snprintf(name, nmax, "%s", x->name);
                    *out_port = (int)o;
                    return x;
                }
    }
    const char *first = strchr(text, ':'), *last = strrchr(text, ':');
    if (last && all_digits(last + 1, strlen(last + 1))) {
        snprintf(name, nmax, "%.*s", (int)(last - text), text);
        if ((n = mo_graph_find(g, name))) {
            *out_port = atoi(last + 1);
            return n;
        }
    }
    if (first && all_digits(text, (size_t)(first - text))) {
        snprintf(name, nmax, "%s", first + 1);
        if ((n = mo_graph_find(g, name))) {
            *in_port = atoi(text);
            return n;
        }
    }
    snprintf(name, nmax, "%s", text);
    return NULL;
}

static void list_inputs(struct mo_graph *g, char *buf, size_t n)
{
    buf[0] = 0;
    bool any = false;
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *x = mo_graph_node(g, i);
        if (x->dead || strcmp(x->type, "Parameter") != 0)
            continue;
        strncat(buf, any ? ", " : "", n - strlen(buf) - 1);
        strncat(buf, x->name, n - strlen(buf) - 1);
        any = true;
    }
    if (!any)
        snprintf(buf, n, "none");
}

/* --- values for freezing ----------------------------------------------------- */

/* "True", "3", "[1 2]", "[1,2.5]" -> numbers; returns the count or -1. */
static int parse_values(const char *text, double *out, int max, bool *is_bool)
{
    const char *p = text;
    int n = 0;
    *is_bool = false;
    while (isspace((unsigned char)*p))
        p++;
    bool bracket = *p == '[' || *p == '(';
    if (bracket)
        p++;
    for (;;) {
        while (isspace((unsigned char)*p) || *p == ',')
            p++;
        if (!*p || *p == ']' || *p == ')')
            break;
        if (n == max)
            return -1;
        if (!strncasecmp(p, "true", 4) || !strncasecmp(p, "false", 5)) {
            out[n++] = tolower((unsigned char)*p) == 't';
            p += out[n - 1] ? 4 : 5;
            *is_bool = true;
            continue;
        }
        char *end;
        double v = strtod(p, &end);
        if (end == p)
            return -1;
        out[n++] = v;
        p = end;
    }
    if (bracket && *p != ']' && *p != ')')
        return -1;
    if (*p)
        p++;
    while (isspace((unsigned char)*p))
        p++;
    return *p ? -1 : n;
}

/* Turn node n into a Const holding value text (shape: the spec's, else the
 * node's static one when the count fits, else scalar / 1-D). */
static enum mo_status make_const(struct mo_graph *g, struct mo_node *n, const char *what,
                                 const char *value, enum mo_etype et, const struct mo_shape *given,
                                 struct mo_error *err)
{
    double *vals = malloc(65536 * sizeof *vals);
    if (!vals)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    bool is_bool;
    int cnt = parse_values(value, vals, 65536, &is_bool);
    if (cnt < 0) {
        free(vals);
        return mo_error_set(err, MO_ERR_INVALID_ARG, 18,
                            "cannot read the value '%s' given to freeze '%s'; write a number, "
                            "True/False or a list like [1 2 3]", value, what);
    }
    if (et == MO_ET_UNDEFINED)
        et = n->outputs[0].et != MO_ET_UNDEFINED ? n->outputs[0].et
                                                 : is_bool ? MO_ET_BOOLEAN : MO_ET_F32;
    struct mo_shape s;
    const struct mo_shape *ns = &n->outputs[0].shape;
    if (given) {
        s = *given;
    } else if (mo_shape_is_static(ns) && mo_shape_numel(ns) == cnt) {
        s = *ns;
    } else if (cnt == 1) {
        s = ns->rank >= 0 && mo_shape_is_static(ns) && mo_shape_numel(ns) == 1 ? *ns : mo_shape_scalar();
    } else {
        int64_t d = cnt;
        s = mo_shape_make(1, &d);
    }
    int64_t need = mo_shape_numel(&s);
    if (need < 0 || (need != cnt && cnt != 1)) {
        free(vals);
        char b[128];
        return mo_error_set(err, MO_ERR_INVALID_ARG, 18,
                            "the value given to freeze '%s' has %d element(s) but its shape [%s] "
                            "needs %lld", what, cnt, mo_shape_str(&s, b, sizeof b), (long long)need);
    }
    struct mo_tensor *t = mo_tensor_new(et, &s, err);
    if (!t) {
        free(vals);
        return err ? err->code : MO_ERR_NOMEM;
    }
    for (int64_t i = 0; i < need; i++)
        mo_tensor_set_f64(t, i, vals[cnt == 1 ? 0 : i]);
    free(vals);
    mo_tensor_unref(n->value);
    n->value = t;
    n->type = mo_graph_strdup(g, "Const");
    n->outputs[0].et = et;
    n->outputs[0].shape = s;
    return n->type ? MO_OK : mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
}

/* --- cuts ---------------------------------------------------------------- */

/* A new framework Parameter (or Const when frozen) replacing input port
 * `port` of node n, or output port `oport` of n (every consumer moves). */
static struct mo_node *cut_at(struct mo_graph *g, struct input_spec *s, struct mo_error *err)
{
    struct mo_node *n = s->node;
    char *pname = s->in_port >= 0 ? mo_graph_printf(g, "%s/placeholder_port_%d", n->name, s->in_port)
                                  : mo_graph_printf(g, "%s/placeholder_out_port_%d", n->name, s->out_port);
    struct mo_node *p = pname ? mo_graph_add_node(g, "Parameter", pname, 0, 1) : NULL;
    if (!p) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    p->origin = n->name;
    if (s->in_port >= 0) {
        struct mo_value src = n->inputs[s->in_port];
        if (src.node && src.port < src.node->n_outputs)
            p->outputs[0].et = src.node->outputs[src.port].et;
        n->inputs[s->in_port] = mo_val(p, 0);
    } else {
        p->outputs[0].et = n->outputs[s->out_port].et;
        const struct mo_output *o = &n->outputs[s->out_port];
        for (unsigned k = 0; k < o->n_names; k++)
            mo_node_add_output_name(p, 0, o->names[k]);
        mo_graph_replace_uses(g, mo_val(n, (unsigned)s->out_port), mo_val(p, 0));
    }
    if (p->outputs[0].et == MO_ET_UNDEFINED)
        p->outputs[0].et = MO_ET_F32;
    /* the name the user typed finds this input later (mean/scale values) */
    mo_node_add_output_name(p, 0, s->text);
    return p;
}

static enum mo_status apply_outputs(struct mo_graph *g, const char *text, struct mo_error *err)
{
    struct mo_value outs[MAX_SPECS];
    unsigned no = 0;
    char *dup = strdup(text);
    if (!dup)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    enum mo_status st = MO_OK;
    for (char *save = NULL, *tok = strtok_r(dup, ",", &save); tok && st == MO_OK;
         tok = strtok_r(NULL, ",", &save)) {
        while (isspace((unsigned char)*tok))
            tok++;
        char name[512];
        int in_port, out_port;
        struct mo_node *n = resolve(g, tok, name, sizeof name, &in_port, &out_port);
        if (!n) {
            st = mo_error_set(err, MO_ERR_NOT_FOUND, 15,
                              "--output names '%s', which is not a node of the model", tok);
            break;
        }
        if (in_port >= 0) {
            if ((unsigned)in_port >= n->n_inputs || !n->inputs[in_port].node) {
                st = mo_error_set(err, MO_ERR_NOT_FOUND, 17, "--output '%s': node '%s' has %u input(s)",
                                  tok, n->name, n->n_inputs);
                break;
            }
            if (no < MAX_SPECS)
                outs[no++] = n->inputs[in_port];
        } else if (out_port >= 0) {
            if ((unsigned)out_port >= n->n_outputs) {
                st = mo_error_set(err, MO_ERR_NOT_FOUND, 17, "--output '%s': node '%s' has %u output(s)",
                                  tok, n->name, n->n_outputs);
                break;
            }
            if (no < MAX_SPECS)
                outs[no++] = mo_val(n, (unsigned)out_port);
        } else {
            for (unsigned k = 0; k < n->n_outputs && no < MAX_SPECS; k++)
                outs[no++] = mo_val(n, k);
        }
    }
    free(dup);
    if (st != MO_OK)
        return st;
    g->n_outputs = 0;
    for (unsigned i = 0; i < no; i++)
        mo_graph_add_output(g, outs[i]);
    return MO_OK;
}

/* --- the pass ------------------------------------------------------------- */

static enum mo_status parse_shape_list(const char *text, struct mo_shape *shapes, unsigned *n,
                                       struct mo_error *err)
{
    const char *p = text;
    *n = 0;
    while (*p) {
        bool neg = false;
        if (*n == MAX_SPECS || !parse_shape(&p, &shapes[*n], &neg)) {
            if (neg)
                return mo_error_set(err, MO_ERR_INVALID_ARG, 14,
                                    "--input_shape '%s' has a negative dimension; use ? or -1 for a "
                                    "dynamic one", text);
            return mo_error_set(err, MO_ERR_INVALID_ARG, 12,
                                "cannot read --input_shape '%s': write shapes like [1,3,224,224] "
                                "or [1,3,224,224],[1,10] for two inputs", text);
        }
        (*n)++;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == ',')
            p++;
    }
    return MO_OK;
}

static enum mo_status set_shape(struct mo_node *p, const struct mo_shape *s, struct mo_error *err)
{
    const struct mo_shape *old = &p->outputs[0].shape;
    if (old->rank >= 0 && old->rank != s->rank) {
        char a[128], b[128];
        return mo_error_set(err, MO_ERR_INVALID_ARG, 14,
                            "the shape [%s] given for input '%s' has rank %d but the model's input "
                            "has rank %d ([%s])", mo_shape_str(s, a, sizeof a), p->name, s->rank,
                            old->rank, mo_shape_str(old, b, sizeof b));
    }
    p->outputs[0].shape = *s;
    return MO_OK;
}

static enum mo_status freeze_list(struct mo_graph *g, const char *text, struct mo_error *err)
{
    const char *p = text;
    while (*p) {
        char name[512], value[1024];
        size_t k = 0;
        while (*p && strncmp(p, "->", 2) && *p != ',') {
            if (k + 1 < sizeof name)
                name[k++] = *p;
            p++;
        }
        name[k] = 0;
        if (strncmp(p, "->", 2) != 0)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 18,
                                "--freeze_placeholder_with_value '%s': write name->value", text);
        p = read_value(p + 2, value, sizeof value);
        if (*p == ',')
            p++;
        struct mo_node *n = mo_graph_find(g, name);
        if (!n || strcmp(n->type, "Parameter") != 0) {
            char names[512];
            list_inputs(g, names, sizeof names);
            return mo_error_set(err, MO_ERR_NOT_FOUND, 15,
                                "--freeze_placeholder_with_value names '%s', which is not an input of "
                                "the model (its inputs: %s)", name, names);
        }
        enum mo_status st = make_const(g, n, name, value, MO_ET_UNDEFINED, NULL, err);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

enum mo_status mo_passes_apply_inputs(struct mo_context *ctx, struct mo_graph *fw,
                                      const struct mo_options *opts, struct mo_error *err)
{
    (void)ctx;
    const char *in_text = mo_options_get(opts, "input");
    const char *shape_text = mo_options_get(opts, "input_shape");
    const char *batch_text = mo_options_get(opts, "batch");
    const char *out_text = mo_options_get(opts, "output");
    const char *freeze_text = mo_options_get(opts, "freeze_placeholder_with_value");
    enum mo_status st;

    if (shape_text && batch_text)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 13,
                            "both --input_shape and --batch were given; pass only one of them");
    long long batch = 0;
    if (batch_text) {
        char *end;
        batch = strtoll(batch_text, &end, 10);
        if (end == batch_text || *end || batch <= 0)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 13,
                                "--batch must be a positive integer, got '%s'", batch_text);
    }

    /* the model's own inputs, in the frontend's order */
    struct mo_node *params[256];
    unsigned np = 0;
    for (unsigned i = 0; i < mo_graph_n_nodes(fw) && np < 256; i++) {
        struct mo_node *n = mo_graph_node(fw, i);
        if (!n->dead && !strcmp(n->type, "Parameter"))
            params[np++] = n;
    }

    struct input_spec *specs = calloc(MAX_SPECS, sizeof *specs);
    struct mo_shape shapes[MAX_SPECS];
    unsigned ns = 0, nshapes = 0;
    if (!specs)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    st = in_text ? parse_inputs(in_text, specs, MAX_SPECS, &ns, err) : MO_OK;
    if (st == MO_OK && shape_text)
        st = parse_shape_list(shape_text, shapes, &nshapes, err);
    if (st != MO_OK)
        goto out;

    /* resolve every --input item before changing anything */
    for (unsigned i = 0; i < ns; i++) {
        struct input_spec *s = &specs[i];
        s->node = resolve(fw, s->text, s->name, sizeof s->name, &s->in_port, &s->out_port);
        if (!s->node) {
            char names[512];
            list_inputs(fw, names, sizeof names);
            st = mo_error_set(err, MO_ERR_NOT_FOUND, 15,
                              "--input names '%s', which is not a node of the model (its inputs: %s)",
                              s->text, names);
            goto out;
        }
        struct mo_node *n = s->node;
        if (s->in_port >= 0 && ((unsigned)s->in_port >= n->n_inputs || !n->inputs[s->in_port].node)) {
            st = mo_error_set(err, MO_ERR_NOT_FOUND, 17, "--input '%s': node '%s' has %u input(s)",
                              s->text, n->name, n->n_inputs);
            goto out;
        }
        if (s->out_port >= 0 && (unsigned)s->out_port >= n->n_outputs) {
            st = mo_error_set(err, MO_ERR_NOT_FOUND, 17, "--input '%s': node '%s' has %u output(s)",
                              s->text, n->name, n->n_outputs);
            goto out;
        }
        /* an inner node without a port is cut at its first input */
        bool is_param = !strcmp(n->type, "Parameter") && s->in_port < 0 && s->out_port <= 0;
        if (!is_param && s->in_port < 0 && s->out_port < 0) {
            if (!n->n_inputs) {
                st = mo_error_set(err, MO_ERR_INVALID_ARG, 15,
                                  "--input '%s' names a node without inputs that is not a model input",
                                  s->text);
                goto out;
            }
            s->in_port = 0;
        }
    }

    /* --input_shape: one shape per --input item, else per model input */
    if (nshapes) {
        if (ns) {
            if (nshapes != ns) {
                st = mo_error_set(err, MO_ERR_INVALID_ARG, 12,
                                  "--input names %u input(s) but --input_shape gives %u shape(s)", ns,
                                  nshapes);
                goto out;
            }
            for (unsigned i = 0; i < ns; i++) {
                if (specs[i].has_shape) {
                    st = mo_error_set(err, MO_ERR_INVALID_ARG, 12,
                                      "input '%s' has a shape in --input and in --input_shape; give it "
                                      "once", specs[i].text);
                    goto out;
                }
                specs[i].has_shape = true;
                specs[i].shape = shapes[i];
            }
        } else {
            if (nshapes != np) {
                st = mo_error_set(err, MO_ERR_INVALID_ARG, 12,
                                  "--input_shape gives %u shape(s) but the model has %u input(s); name "
                                  "them with --input", nshapes, np);
                goto out;
            }
            for (unsigned i = 0; i < nshapes && st == MO_OK; i++)
                st = set_shape(params[i], &shapes[i], err);
            if (st != MO_OK)
                goto out;
        }
    }

    /* apply the items: overrides, freezes and cuts */
    for (unsigned i = 0; i < ns && st == MO_OK; i++) {
        struct input_spec *s = &specs[i];
        struct mo_node *p = s->node;
        if (s->in_port >= 0 || s->out_port > 0 || strcmp(p->type, "Parameter") != 0) {
            p = cut_at(fw, s, err);
            if (!p) {
                st = err ? err->code : MO_ERR_NOMEM;
                break;
            }
        }
        if (s->et != MO_ET_UNDEFINED)
            p->outputs[0].et = s->et;
        if (s->has_shape)
            st = set_shape(p, &s->shape, err);
        if (st == MO_OK && s->has_value)
            st = make_const(fw, p, s->text, s->value, s->et, s->has_shape ? &s->shape : NULL, err);
    }
    if (st == MO_OK && freeze_text)
        st = freeze_list(fw, freeze_text, err);
    if (st == MO_OK && out_text)
        st = apply_outputs(fw, out_text, err);
    if (st != MO_OK)
        goto out;
    /* what no output needs goes, the inputs it read included; inputs the
     * model declares stay where the framework keeps them, unless the user
     * cut the graph */
    if (in_text || out_text)
        mo_graph_keep_inputs(fw, false);
    if (mo_graph_n_outputs(fw))
        mo_graph_prune(fw);

    if (batch) {
        for (unsigned i = 0; i < mo_graph_n_nodes(fw); i++) {
            struct mo_node *n = mo_graph_node(fw, i);
            if (n->dead || strcmp(n->type, "Parameter") != 0)
                continue;
            struct mo_shape *s = &n->outputs[0].shape;
            if (s->rank < 1) {
                st = mo_error_set(err, MO_ERR_INVALID_ARG, 13,
                                  "--batch cannot be applied to input '%s': its rank is %s; use "
                                  "--input_shape", n->name, s->rank == 0 ? "0" : "unknown");
                goto out;
            }
            s->dims[0] = batch;
        }
    }
out:
    free(specs);
    return st;
}

enum mo_status mo_passes_check_static(struct mo_graph *ir, const struct mo_options *opts,
                                      struct mo_error *err)
{
    if (!mo_options_flag(opts, "static_shape"))
        return MO_OK;
    for (unsigned i = 0; i < mo_graph_n_nodes(ir); i++) {
        struct mo_node *n = mo_graph_node(ir, i);
        if (n->dead || strcmp(n->type, "Parameter") != 0)
            continue;
        if (!mo_shape_is_static(&n->outputs[0].shape)) {
            char b[128];
            return mo_error_set(err, MO_ERR_SHAPE, 23,
                                "--static_shape needs a static shape for input '%s', which is [%s]; give "
                                "every dimension with --input_shape or --batch",
                                n->name, mo_shape_str(&n->outputs[0].shape, b, sizeof b));
        }
    }
    return MO_OK;
}
