/* tcfg_read.c - reading and checking a transformations config (JSON).
 *
 * The file is the original Model Optimizer's sub-graph replacement
 * config: a list of entries
 *
 *     {"id": "X", "match_kind": "scope", "instances": ["block_.*"],
 *      "inputs": [[{"node": "mul$", "port": 0}, {"node": "Sigmoid$", "port": 0}]],
 *      "outputs": [{"node": "mul$", "port": 0}],
 *      "custom_attributes": {...}}
 *
 * Everything is checked here, before the model is read, so a typo costs
 * the user no conversion: field types, the match kinds, every regex.  The
 * patterns are Python regexes in the original; POSIX extended regexes
 * cover the forms configs use, after \d and \D are spelled out. */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/status.h>

#include "tcfg.h"

static const char *const kind_names[TCFG_KIND_COUNT] = {"scope", "points", "general"};

void mo_tcfg_entry_prefix(const struct mo_tcfg *c, const struct tcfg_entry *e, struct mo_error *err)
{
    char q[MO_QUOTE_SIZE];
    if (e->id)
        mo_error_prefix(err, "transformations config '%s', entry %u (id '%s')", c->path, e->index,
                        mo_quote(q, e->id));
    else
        mo_error_prefix(err, "transformations config '%s', entry %u", c->path, e->index);
}

static enum mo_status bad(struct mo_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static enum mo_status bad(struct mo_error *err, const char *fmt, ...)
{
    char msg[MO_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ, "%s", msg);
}

/* Python's \d and \D have no POSIX spelling; everything else configs use
 * (., *, +, ?, [], (), |, ^, $, \w, \s, \.) means the same in both. */
static char *to_posix(struct mo_graph *a, const char *pat, const char *prefix, const char *suffix)
{
    size_t n = strlen(pat);
    char *out = mo_graph_alloc(a, strlen(prefix) + 6 * n + strlen(suffix) + 1);
    if (!out)
        return NULL;
    char *o = out;
    o += sprintf(o, "%s", prefix);
    bool in_set = false;
    for (size_t i = 0; i < n; i++) {
        char ch = pat[i];
        if (ch == '\\' && i + 1 < n && (pat[i + 1] == 'd' || pat[i + 1] == 'D')) {
            bool neg = pat[i + 1] == 'D';
            o += sprintf(o, "%s", in_set ? "0-9" : neg ? "[^0-9]" : "[0-9]");
            i++;
            continue;
        }
        if (ch == '\\' && i + 1 < n) {
            *o++ = ch;
            *o++ = pat[++i];
            continue;
        }
        if (ch == '[' && !in_set)
            in_set = true;
        else if (ch == ']' && in_set && o[-1] != '[')
            in_set = false;
        *o++ = ch;
    }
    sprintf(o, "%s", suffix);
    return out;
}

static enum mo_status compile(struct mo_tcfg *c, regex_t *re, const char *pat, const char *prefix,
                              const char *suffix, const char *field, struct mo_error *err)
{
    char *p = to_posix(c->arena, pat, prefix, suffix);
    if (!p)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    if (strstr(pat, "(?"))
        return bad(err, "%s: regex '%s' uses a (?...) group, which mo does not support; write it "
                   "without", field, pat);
    int rc = regcomp(re, p, REG_EXTENDED);
    if (rc != 0) {
        char why[128];
        regerror(rc, re, why, sizeof why);
        return bad(err, "%s: bad regex '%s': %s", field, pat, why);
    }
    c->n_regex++;
    return MO_OK;
}

static const char *dup_str(struct mo_tcfg *c, const char *s)
{
    return mo_graph_strdup(c->arena, s);
}

/* Reject keys outside `known` (NULL-terminated), since a misspelt key
 * would otherwise be ignored without a word. */
static enum mo_status check_keys(json_t *obj, const char *const *known, const char *what,
                                 struct mo_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool ok = false;
        for (const char *const *k = known; *k && !ok; k++)
            ok = !strcmp(key, *k);
        if (!ok) {
            char list[256] = "";
            for (const char *const *k = known; *k; k++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s'%s'", k == known ? "" : ", ", *k);
            return bad(err, "%s: unknown field '%s' (known: %s)", what, key, list);
        }
    }
    return MO_OK;
}

static enum mo_status read_port(struct mo_tcfg *c, json_t *j, struct tcfg_port *p, const char *what,
                                struct mo_error *err)
{
    static const char *const keys[] = {"node", "port", NULL};
    if (!json_is_object(j))
        return bad(err, "%s: expected an object {\"node\": regex, \"port\": number}", what);
    enum mo_status st = check_keys(j, keys, what, err);
    if (st != MO_OK)
        return st;
    json_t *node = json_object_get(j, "node"), *port = json_object_get(j, "port");
    if (!json_is_string(node) || !*json_string_value(node))
        return bad(err, "%s: field 'node' must be a non-empty string (a regex)", what);
    if (!json_is_integer(port) || json_integer_value(port) < 0 || json_integer_value(port) > 65535)
        return bad(err, "%s: field 'port' must be an integer from 0 to 65535", what);
    p->node = dup_str(c, json_string_value(node));
    p->port = (unsigned)json_integer_value(port);
    if (!p->node)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return compile(c, &p->re, p->node, "^(", ")", what, err);
}

static enum mo_status read_inputs(struct mo_tcfg *c, struct tcfg_entry *e, json_t *j, struct mo_error *err)
{
    if (!json_is_array(j))
        return bad(err, "field 'inputs': expected a list of lists of {\"node\", \"port\"}");
    e->has_inputs = true;
    e->n_inputs = (unsigned)json_array_size(j);
    e->inputs = mo_graph_alloc(c->arena, (e->n_inputs + 1) * sizeof *e->inputs);
    if (!e->inputs)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < e->n_inputs; i++) {
        json_t *g = json_array_get(j, i);
        char what[64];
        snprintf(what, sizeof what, "field 'inputs'[%u]", i);
        if (!json_is_array(g) || !json_array_size(g))
            return bad(err, "%s: expected a non-empty list of {\"node\", \"port\"} (the uses of one "
                       "input tensor)", what);
        struct tcfg_group *grp = &e->inputs[i];
        grp->n = (unsigned)json_array_size(g);
        grp->v = mo_graph_alloc(c->arena, grp->n * sizeof *grp->v);
        if (!grp->v)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        for (unsigned k = 0; k < grp->n; k++) {
            snprintf(what, sizeof what, "field 'inputs'[%u][%u]", i, k);
            enum mo_status st = read_port(c, json_array_get(g, k), &grp->v[k], what, err);
            if (st != MO_OK)
                return st;
        }
    }
    return MO_OK;
}

static enum mo_status read_outputs(struct mo_tcfg *c, struct tcfg_entry *e, json_t *j, struct mo_error *err)
{
    if (!json_is_array(j))
        return bad(err, "field 'outputs': expected a list of {\"node\", \"port\"}");
    e->has_outputs = true;
    e->n_outputs = (unsigned)json_array_size(j);
    e->outputs = mo_graph_alloc(c->arena, (e->n_outputs + 1) * sizeof *e->outputs);
    if (!e->outputs)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < e->n_outputs; i++) {
        char what[64];
        snprintf(what, sizeof what, "field 'outputs'[%u]", i);
        enum mo_status st = read_port(c, json_array_get(j, i), &e->outputs[i], what, err);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

/* A list of non-empty strings (points' names). */
static enum mo_status read_names(struct mo_tcfg *c, json_t *j, const char *field, unsigned *n,
                                 const char ***out, struct mo_error *err)
{
    if (!json_is_array(j) || !json_array_size(j))
        return bad(err, "field 'instances'.%s: expected a non-empty list of node names", field);
    *n = (unsigned)json_array_size(j);
    *out = mo_graph_alloc(c->arena, *n * sizeof **out);
    if (!*out)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < *n; i++) {
        json_t *s = json_array_get(j, i);
        if (!json_is_string(s) || !*json_string_value(s))
            return bad(err, "field 'instances'.%s[%u]: expected a non-empty node name", field, i);
        if (!((*out)[i] = dup_str(c, json_string_value(s))))
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    return MO_OK;
}

static enum mo_status read_instances(struct mo_tcfg *c, struct tcfg_entry *e, json_t *j,
                                     struct mo_error *err)
{
    if (e->kind == TCFG_GENERAL)
        return MO_OK;
    if (!j)
        return bad(err, "field 'instances' is missing (%s)",
                   e->kind == TCFG_SCOPE ? "a list of scope name patterns"
                                         : "{\"start_points\": [...], \"end_points\": [...]}");
    if (e->kind == TCFG_POINTS) {
        static const char *const keys[] = {"start_points", "end_points", NULL};
        if (!json_is_object(j))
            return bad(err, "field 'instances': expected {\"start_points\": [...], \"end_points\": [...]}");
        enum mo_status st = check_keys(j, keys, "field 'instances'", err);
        if (st == MO_OK)
            st = read_names(c, json_object_get(j, "start_points"), "start_points", &e->n_start, &e->start, err);
        if (st == MO_OK)
            st = read_names(c, json_object_get(j, "end_points"), "end_points", &e->n_end, &e->end, err);
        return st;
    }
    if (!json_is_array(j) || !json_array_size(j))
        return bad(err, "field 'instances': expected a non-empty list of scope name patterns");
    e->n_scopes = (unsigned)json_array_size(j);
    e->scopes = mo_graph_alloc(c->arena, e->n_scopes * sizeof *e->scopes);
    e->scope_re = mo_graph_alloc(c->arena, e->n_scopes * sizeof *e->scope_re);
    if (!e->scopes || !e->scope_re)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < e->n_scopes; i++) {
        json_t *s = json_array_get(j, i);
        char what[64];
        snprintf(what, sizeof what, "field 'instances'[%u]", i);
        if (!json_is_string(s) || !*json_string_value(s))
            return bad(err, "%s: expected a non-empty scope name pattern", what);
        const char *pat = json_string_value(s);
        size_t len = strlen(pat);
        /* a scope is a name prefix ending in '/', as the original reads it */
        e->scopes[i] = pat[len - 1] == '/' ? dup_str(c, pat) : mo_graph_printf(c->arena, "%s/", pat);
        if (!e->scopes[i])
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        enum mo_status st = compile(c, &e->scope_re[i], e->scopes[i], "^(", ")$", what, err);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

/* custom_attributes value -> attribute; see mo/replace_config.h. */
static enum mo_status read_attr(struct mo_tcfg *c, const char *key, json_t *v, struct mo_attr *a)
{
    a->name = dup_str(c, key);
    if (!a->name)
        return MO_ERR_NOMEM;
    size_t n = json_is_array(v) ? json_array_size(v) : 0;
    bool ints = json_is_array(v), nums = ints, strs = ints && n > 0, bools = ints && n > 0;
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(v, i);
        ints = ints && json_is_integer(x);
        nums = nums && json_is_number(x);
        strs = strs && json_is_string(x);
        bools = bools && json_is_boolean(x);
    }
    if (json_is_integer(v)) {
        a->kind = MO_ATTR_INT;
        a->u.i = json_integer_value(v);
    } else if (json_is_real(v)) {
        a->kind = MO_ATTR_FLOAT;
        a->u.f = json_real_value(v);
    } else if (json_is_boolean(v)) {
        a->kind = MO_ATTR_BOOL;
        a->u.b = json_is_true(v);
    } else if (json_is_string(v)) {
        a->kind = MO_ATTR_STRING;
        a->u.s = dup_str(c, json_string_value(v));
        return a->u.s ? MO_OK : MO_ERR_NOMEM;
    } else if (ints || nums) {
        if (ints) {
            int64_t *iv = mo_graph_alloc(c->arena, (n + 1) * sizeof *iv);
            if (!iv)
                return MO_ERR_NOMEM;
            for (size_t i = 0; i < n; i++)
                iv[i] = json_integer_value(json_array_get(v, i));
            a->kind = MO_ATTR_INTS;
            a->u.ints.v = iv;
            a->u.ints.n = n;
        } else {
            double *fv = mo_graph_alloc(c->arena, (n + 1) * sizeof *fv);
            if (!fv)
                return MO_ERR_NOMEM;
            for (size_t i = 0; i < n; i++)
                fv[i] = json_number_value(json_array_get(v, i));
            a->kind = MO_ATTR_FLOATS;
            a->u.floats.v = fv;
            a->u.floats.n = n;
        }
    } else if (strs) {
        const char **sv = mo_graph_alloc(c->arena, n * sizeof *sv);
        if (!sv)
            return MO_ERR_NOMEM;
        for (size_t i = 0; i < n; i++)
            if (!(sv[i] = dup_str(c, json_string_value(json_array_get(v, i)))))
                return MO_ERR_NOMEM;
        a->kind = MO_ATTR_STRINGS;
        a->u.strs.v = sv;
        a->u.strs.n = n;
    } else {
        /* objects, nulls, bool or mixed lists: the handler parses the text */
        (void)bools;
        char *txt = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
        if (!txt)
            return MO_ERR_NOMEM;
        a->kind = MO_ATTR_STRING;
        a->u.s = dup_str(c, txt);
        free(txt);
        return a->u.s ? MO_OK : MO_ERR_NOMEM;
    }
    return MO_OK;
}

static enum mo_status read_entry(struct mo_tcfg *c, struct tcfg_entry *e, json_t *j, struct mo_error *err)
{
    static const char *const keys[] = {"id", "match_kind", "instances", "inputs", "outputs",
                                       "custom_attributes", "include_inputs_to_sub_graph",
                                       "include_outputs_to_sub_graph", "op", NULL};
    if (!json_is_object(j))
        return bad(err, "expected an object with \"id\" and \"match_kind\"");
    json_t *id = json_object_get(j, "id");
    if (json_is_string(id) && *json_string_value(id) && !(e->id = dup_str(c, json_string_value(id))))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    enum mo_status st = check_keys(j, keys, "entry", err);
    if (st != MO_OK)
        return st;
    if (!e->id)
        return bad(err, "field 'id' is missing or not a non-empty string");
    json_t *mk = json_object_get(j, "match_kind");
    if (!json_is_string(mk))
        return bad(err, "field 'match_kind' is missing or not a string; it is \"scope\", "
                   "\"points\" or \"general\"");
    e->kind = TCFG_KIND_COUNT;
    for (int k = 0; k < TCFG_KIND_COUNT; k++)
        if (!strcmp(json_string_value(mk), kind_names[k]))
            e->kind = (enum tcfg_kind)k;
    if (e->kind == TCFG_KIND_COUNT) {
        char q[MO_QUOTE_SIZE];
        return bad(err, "unknown match_kind '%s'; it is \"scope\", \"points\" or \"general\"",
                   mo_quote(q, json_string_value(mk)));
    }
    st = read_instances(c, e, json_object_get(j, "instances"), err);
    json_t *v;
    if (st == MO_OK && (v = json_object_get(j, "inputs")) != NULL)
        st = read_inputs(c, e, v, err);
    if (st == MO_OK && (v = json_object_get(j, "outputs")) != NULL)
        st = read_outputs(c, e, v, err);
    e->include_inputs = e->include_outputs = true;
    static const char *const incl[2] = {"include_inputs_to_sub_graph", "include_outputs_to_sub_graph"};
    for (int k = 0; k < 2 && st == MO_OK; k++) {
        if (!(v = json_object_get(j, incl[k])))
            continue;
        if (!json_is_boolean(v))
            return bad(err, "field '%s' must be true or false", incl[k]);
        *(k ? &e->include_outputs : &e->include_inputs) = json_is_true(v);
    }
    if (st != MO_OK)
        return st;
    if (e->kind == TCFG_POINTS && (e->has_inputs || e->has_outputs))
        return bad(err, "a \"points\" entry takes its inputs and outputs from start_points and "
                   "end_points; remove 'inputs'/'outputs'");
    v = json_object_get(j, "custom_attributes");
    if (v && !json_is_object(v))
        return bad(err, "field 'custom_attributes' must be an object");
    if (v) {
        e->n_attrs = (unsigned)json_object_size(v);
        e->attrs = mo_graph_alloc(c->arena, (e->n_attrs + 1) * sizeof *e->attrs);
        if (!e->attrs)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        const char *key;
        json_t *x;
        unsigned i = 0;
        json_object_foreach(v, key, x) {
            if (read_attr(c, key, x, &e->attrs[i++]) != MO_OK)
                return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        }
    }
    e->raw = j;
    return MO_OK;
}

static enum mo_status parse_root(struct mo_tcfg *c, struct mo_error *err)
{
    if (!json_is_array(c->root))
        return mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                            "transformations config '%s': expected a JSON list of replacement "
                            "entries at the top", c->path);
    c->n = (unsigned)json_array_size(c->root);
    c->v = mo_graph_alloc(c->arena, (c->n + 1) * sizeof *c->v);
    if (!c->v)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < c->n; i++) {
        c->v[i].index = i;
        enum mo_status st = read_entry(c, &c->v[i], json_array_get(c->root, i), err);
        if (st != MO_OK) {
            mo_tcfg_entry_prefix(c, &c->v[i], err);
            return st;
        }
    }
    return MO_OK;
}

/* From the JSON jansson read (root NULL: its error in je) to *out. */
static enum mo_status from_root(const char *path, json_t *root, const json_error_t *je, struct mo_tcfg **out,
                                struct mo_error *err)
{
    *out = NULL;
    struct mo_tcfg *c = calloc(1, sizeof *c);
    if (!c || !(c->arena = mo_graph_new(NULL)) || !(c->path = mo_graph_strdup(c->arena, path))) {
        json_decref(root);
        mo_tcfg_free(c);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    c->root = root;
    enum mo_status st = root ? parse_root(c, err)
                             : mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                                            "transformations config '%s': line %d, column %d: %s", path,
                                            je->line, je->column, je->text);
    if (st != MO_OK) {
        mo_tcfg_free(c);
        return st;
    }
    *out = c;
    return MO_OK;
}

enum mo_status mo_tcfg_parse(const char *path, const char *data, size_t size, struct mo_tcfg **out,
                             struct mo_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(data, size, JSON_REJECT_DUPLICATES, &je);
    return from_root(path, root, &je, out, err);
}

enum mo_status mo_tcfg_read(const char *path, struct mo_tcfg **out, struct mo_error *err)
{
    *out = NULL;
    /* jansson's own message for a file it cannot open is less clear */
    FILE *f = fopen(path, "rb");
    if (!f)
        return mo_error_set(err, MO_ERR_IO, MO_TCFG_FAQ, "cannot read the transformations config '%s': %s",
                            path, strerror(errno));
    json_error_t je;
    json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    fclose(f);
    return from_root(path, root, &je, out, err);
}

void mo_tcfg_free(struct mo_tcfg *c)
{
    if (!c)
        return;
    /* compile() counts what it compiled; the entries are walked in the
     * order it ran, so exactly those are freed */
    unsigned left = c->n_regex;
    for (unsigned i = 0; i < c->n && left; i++) {
        struct tcfg_entry *e = &c->v[i];
        for (unsigned k = 0; k < e->n_scopes && left; k++, left--)
            regfree(&e->scope_re[k]);
        for (unsigned g = 0; g < e->n_inputs && left && e->inputs; g++)
            for (unsigned k = 0; k < e->inputs[g].n && left && e->inputs[g].v; k++, left--)
                regfree(&e->inputs[g].v[k].re);
        for (unsigned k = 0; k < e->n_outputs && left && e->outputs; k++, left--)
            regfree(&e->outputs[k].re);
    }
    json_decref(c->root);
    mo_graph_free(c->arena);
    free(c);
}
