/* inputs.c - --input, --input_shape and --batch applied to the framework
 * graph's Parameter nodes before translation, so that every translator sees
 * the shapes the user asked for. */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "passes.h"

/* Parse one shape "[1,3,224,224]" / "(1,3,224,224)" starting at *p; dims
 * "?" or -1 are dynamic, "a..b" ranges become dynamic.  Advances *p. */
static bool parse_shape(const char **p, struct mo_shape *s)
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
            if (v < -1)
                return false;
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
    char name[512];
    bool has_shape;
    struct mo_shape shape;
    enum mo_etype et;
};

/* --input "a[1,3,8,8]{f32},b" -> specs.  Values (->) and ports are left to
 * the freeze and cut passes, which read the same option. */
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
        size_t k = 0;
        while (*p && *p != '[' && *p != '(' && *p != '{' && *p != ',' && strncmp(p, "->", 2)) {
            if (k + 1 < sizeof s->name)
                s->name[k++] = *p;
            p++;
        }
        s->name[k] = 0;
        if (*p == '[' || *p == '(') {
            if (!parse_shape(&p, &s->shape))
                return mo_error_set(err, MO_ERR_INVALID_ARG, 12,
                                    "cannot read the shape given for input '%s' in --input '%s'",
                                    s->name, text);
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
                                    "unknown element type '%s' for input '%s'", tname, s->name);
            p = e + 1;
        }
        if (!strncmp(p, "->", 2)) { /* skip the value: another pass freezes it */
            p += 2;
            int depth = 0;
            while (*p && (depth > 0 || *p != ',')) {
                depth += *p == '[';
                depth -= *p == ']';
                p++;
            }
        }
        if (*p == ',')
            p++;
        else if (*p)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 12, "cannot read --input '%s' near '%s'", text, p);
    }
    return MO_OK;
}

/* "name:0" or "0:name" address a port; the Parameter is found by name. */
static struct mo_node *find_parameter(struct mo_graph *fw, const char *name)
{
    struct mo_node *n = mo_graph_find(fw, name);
    if (n)
        return n;
    const char *c = strchr(name, ':');
    if (!c)
        return NULL;
    char buf[512];
    if (isdigit((unsigned char)name[0]))
        snprintf(buf, sizeof buf, "%s", c + 1);
    else
        snprintf(buf, sizeof buf, "%.*s", (int)(c - name), name);
    return mo_graph_find(fw, buf);
}

enum mo_status mo_passes_apply_inputs(struct mo_context *ctx, struct mo_graph *fw,
                                      const struct mo_options *opts, struct mo_error *err)
{
    (void)ctx;
    const char *in_text = mo_options_get(opts, "input");
    const char *shape_text = mo_options_get(opts, "input_shape");
    const char *batch_text = mo_options_get(opts, "batch");

    /* the model's own inputs, in the frontend's order */
    struct mo_node *params[256];
    unsigned np = 0;
    for (unsigned i = 0; i < mo_graph_n_nodes(fw) && np < 256; i++) {
        struct mo_node *n = mo_graph_node(fw, i);
        if (!n->dead && !strcmp(n->type, "Parameter"))
            params[np++] = n;
    }

    struct input_spec specs[64];
    unsigned ns = 0;
    if (in_text) {
        enum mo_status st = parse_inputs(in_text, specs, 64, &ns, err);
        if (st != MO_OK)
            return st;
    }
    struct mo_shape shapes[64];
    unsigned nshapes = 0;
    if (shape_text) {
        const char *p = shape_text;
        while (*p) {
            if (nshapes == 64 || !parse_shape(&p, &shapes[nshapes]))
                return mo_error_set(err, MO_ERR_INVALID_ARG, 12,
                                    "cannot read --input_shape '%s': write shapes like [1,3,224,224] "
                                    "or [1,3,224,224],[1,10] for two inputs", shape_text);
            nshapes++;
            while (isspace((unsigned char)*p))
                p++;
            if (*p == ',')
                p++;
        }
    }
    if (shape_text && batch_text)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 13,
                            "both --input_shape and --batch were given; pass only one of them");

    /* which Parameter each shape goes to */
    if (nshapes) {
        if (ns) {
            if (nshapes != ns)
                return mo_error_set(err, MO_ERR_INVALID_ARG, 12,
                                    "--input names %u input(s) but --input_shape gives %u shape(s)", ns,
                                    nshapes);
            for (unsigned i = 0; i < ns; i++) {
                if (specs[i].has_shape)
                    return mo_error_set(err, MO_ERR_INVALID_ARG, 12,
                                        "input '%s' has a shape in --input and in --input_shape; "
                                        "give it once", specs[i].name);
                specs[i].has_shape = true;
                specs[i].shape = shapes[i];
            }
        } else {
            if (nshapes != np && !(nshapes == 1 && np >= 1))
                return mo_error_set(err, MO_ERR_INVALID_ARG, 12,
                                    "--input_shape gives %u shapes but the model has %u inputs; name "
                                    "them with --input", nshapes, np);
            for (unsigned i = 0; i < nshapes && i < np; i++) {
                struct mo_node *p = params[i];
                if (p->outputs[0].shape.rank >= 0 && p->outputs[0].shape.rank != shapes[i].rank) {
                    char a[128], b[128];
                    return mo_error_set(err, MO_ERR_INVALID_ARG, 14,
                                        "--input_shape [%s] has rank %d but input '%s' has rank %d ([%s])",
                                        mo_shape_str(&shapes[i], a, sizeof a), shapes[i].rank, p->name,
                                        p->outputs[0].shape.rank,
                                        mo_shape_str(&p->outputs[0].shape, b, sizeof b));
                }
                p->outputs[0].shape = shapes[i];
            }
        }
    }
    for (unsigned i = 0; i < ns; i++) {
        struct mo_node *p = find_parameter(fw, specs[i].name);
        if (!p) {
            char names[512] = "";
            for (unsigned k = 0; k < np; k++) {
                strncat(names, k ? ", " : "", sizeof names - strlen(names) - 1);
                strncat(names, params[k]->name, sizeof names - strlen(names) - 1);
            }
            return mo_error_set(err, MO_ERR_NOT_FOUND, 15,
                                "--input names '%s', which is not a node of the model (its inputs: %s)",
                                specs[i].name, np ? names : "none");
        }
        if (strcmp(p->type, "Parameter") != 0)
            continue; /* cutting at an inner node is the cut pass's job */
        if (specs[i].has_shape) {
            const struct mo_shape *old = &p->outputs[0].shape;
            if (old->rank >= 0 && old->rank != specs[i].shape.rank)
                return mo_error_set(err, MO_ERR_INVALID_ARG, 14,
                                    "the shape given for input '%s' has rank %d, the model's has rank %d",
                                    p->name, specs[i].shape.rank, old->rank);
            p->outputs[0].shape = specs[i].shape;
        }
        if (specs[i].et != MO_ET_UNDEFINED)
            p->outputs[0].et = specs[i].et;
    }
    if (batch_text) {
        char *end;
        long long b = strtoll(batch_text, &end, 10);
        if (end == batch_text || *end || b <= 0)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 13,
                                "--batch must be a positive integer, got '%s'", batch_text);
        for (unsigned i = 0; i < np; i++) {
            struct mo_shape *s = &params[i]->outputs[0].shape;
            if (s->rank < 1)
                return mo_error_set(err, MO_ERR_INVALID_ARG, 13,
                                    "--batch cannot be applied to input '%s': its rank is %s; use "
                                    "--input_shape", params[i]->name, s->rank == 0 ? "0" : "unknown");
            s->dims[0] = b;
        }
    }
    return MO_OK;
}
