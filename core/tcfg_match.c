/* tcfg_match.c - finding a transformations config entry's sub-graphs in a
 * framework graph, and the common replacement of one by a single node.
 *
 * scope: a node belongs to an instance when a proper prefix of its name
 * made of whole '/'-separated components ("block_1/", "block_1/inner/")
 * matches the pattern; its shortest such prefix names the instance, so
 * "block_\d+" finds "block_1/" and "block_2/" as two instances.  The
 * config's "inputs"/"outputs" regexes are matched against the rest of the
 * name below that prefix (anchored at its start, as Python's re.match);
 * without them both are derived from the edges that cross the border.
 *
 * points: every node on a path from a start point to an end point, found
 * going back from the end points and stopping at the start points; the
 * nodes that feed the path from nowhere else (weights) come along.  Going
 * back must not reach a model input that is not a start point. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/status.h>

#include "tcfg.h"

/* One instance while it is being matched; everything is malloc'ed. */
struct inst {
    const char *scope;
    struct mo_node **nodes;
    unsigned n_nodes;
    bool *in;                   /* by node id */
    struct mo_cfg_input *inputs;
    unsigned n_inputs;
    struct mo_value *uses;      /* storage behind inputs[].uses */
    unsigned n_uses, cap_uses;
    struct mo_value *outputs;
    unsigned n_outputs;
};

static void inst_clear(struct inst *s)
{
    free(s->nodes);
    free(s->in);
    free(s->inputs);
    free(s->uses);
    free(s->outputs);
    memset(s, 0, sizeof *s);
}

static enum mo_status nomem(struct mo_error *err)
{
    return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
}

static bool is_in(const struct inst *s, const struct mo_node *n)
{
    return n && s->in[n->id];
}

/* The sub-graph's nodes in graph order, from s->in. */
static enum mo_status collect_nodes(struct inst *s, struct mo_graph *fw, struct mo_error *err)
{
    unsigned nn = mo_graph_n_nodes(fw);
    s->nodes = malloc((nn + 1) * sizeof *s->nodes);
    if (!s->nodes)
        return nomem(err);
    s->n_nodes = 0;
    for (unsigned i = 0; i < nn; i++) {
        struct mo_node *x = mo_graph_node(fw, i);
        if (!x->dead && s->in[x->id])
            s->nodes[s->n_nodes++] = x;
    }
    return MO_OK;
}

static enum mo_status push_use(struct inst *s, struct mo_value u, struct mo_error *err)
{
    if (s->n_uses == s->cap_uses) {
        unsigned cap = s->cap_uses ? 2 * s->cap_uses : 8;
        struct mo_value *v = realloc(s->uses, cap * sizeof *v);
        if (!v)
            return nomem(err);
        s->uses = v;
        s->cap_uses = cap;
    }
    s->uses[s->n_uses++] = u;
    return MO_OK;
}

/* inputs[].uses point into s->uses, which may move while it grows: they
 * are stored as offsets first and turned into pointers at the end. */
static void fix_uses(struct inst *s)
{
    for (unsigned i = 0; i < s->n_inputs; i++) {
        size_t off = (size_t)s->inputs[i].uses;
        s->inputs[i].uses = s->uses ? s->uses + off : NULL;
    }
}

/* Inputs and outputs from the edges that cross the border: one input per
 * outside tensor in the order of its first use, with every use inside;
 * outputs are the inside tensors used outside (or by the graph's
 * outputs), and inside nodes nobody consumes except Consts. */
static enum mo_status derive(struct inst *s, struct mo_graph *fw, struct mo_error *err)
{
    unsigned nn = mo_graph_n_nodes(fw);
    /* a tensor is (node, port): there are at most as many distinct ones
     * crossing the border as there are edges, graph outputs and nodes */
    size_t edges = nn + mo_graph_n_outputs(fw) + 1;
    for (unsigned i = 0; i < nn; i++)
        edges += mo_graph_node(fw, i)->n_inputs;
    s->inputs = calloc(edges, sizeof *s->inputs);
    bool *consumed = calloc(nn + 1, sizeof *consumed);
    /* the tensors used outside, deduplicated by a linear search: enough
     * for the few that cross a sub-graph's border */
    struct mo_value *outs = malloc(edges * sizeof *outs);
    size_t n_outs = 0, cap_outs = edges;
    enum mo_status st = (!s->inputs || !consumed || !outs) ? nomem(err) : MO_OK;
    for (unsigned k = 0; k < s->n_nodes && st == MO_OK; k++) {
        struct mo_node *x = s->nodes[k];
        for (unsigned i = 0; i < x->n_inputs && st == MO_OK; i++) {
            struct mo_value src = x->inputs[i];
            if (!src.node || is_in(s, src.node))
                continue;
            unsigned g = 0;
            while (g < s->n_inputs && !(s->inputs[g].src.node == src.node && s->inputs[g].src.port == src.port))
                g++;
            if (g == s->n_inputs) {
                s->inputs[g].src = src;
                s->n_inputs++;
            }
        }
    }
    /* uses grouped per input, in node order within each */
    for (unsigned g = 0; g < s->n_inputs && st == MO_OK; g++) {
        s->inputs[g].uses = (const struct mo_value *)(size_t)s->n_uses;
        for (unsigned k = 0; k < s->n_nodes && st == MO_OK; k++) {
            struct mo_node *x = s->nodes[k];
            for (unsigned i = 0; i < x->n_inputs && st == MO_OK; i++)
                if (x->inputs[i].node == s->inputs[g].src.node && x->inputs[i].port == s->inputs[g].src.port) {
                    st = push_use(s, mo_val(x, i), err);
                    s->inputs[g].n_uses++;
                }
        }
    }
    for (unsigned i = 0; i < nn && st == MO_OK; i++) {
        struct mo_node *x = mo_graph_node(fw, i);
        if (x->dead)
            continue;
        for (unsigned k = 0; k < x->n_inputs; k++) {
            struct mo_value src = x->inputs[k];
            if (!src.node)
                continue;
            consumed[src.node->id] = true;
            if (is_in(s, x) || !is_in(s, src.node))
                continue;
            bool dup = false;
            for (size_t o = 0; o < n_outs && !dup; o++)
                dup = outs[o].node == src.node && outs[o].port == src.port;
            if (!dup && n_outs < cap_outs)
                outs[n_outs++] = src;
        }
    }
    for (unsigned i = 0; i < mo_graph_n_outputs(fw) && st == MO_OK; i++) {
        struct mo_value v = mo_graph_output(fw, i);
        if (!is_in(s, v.node))
            continue;
        consumed[v.node->id] = true;
        bool dup = false;
        for (size_t o = 0; o < n_outs && !dup; o++)
            dup = outs[o].node == v.node && outs[o].port == v.port;
        if (!dup && n_outs < cap_outs)
            outs[n_outs++] = v;
    }
    for (unsigned k = 0; k < s->n_nodes && st == MO_OK; k++) {
        struct mo_node *x = s->nodes[k];
        if (!consumed[x->id] && strcmp(x->type, "Const") && x->n_outputs && n_outs < cap_outs)
            outs[n_outs++] = mo_val(x, 0);
    }
    /* graph order, then port: the order a reader of the model expects */
    for (size_t a = 1; a < n_outs; a++)
        for (size_t b = a; b > 0; b--) {
            struct mo_value p = outs[b - 1], q = outs[b];
            if (p.node->id < q.node->id || (p.node == q.node && p.port <= q.port))
                break;
            outs[b - 1] = q;
            outs[b] = p;
        }
    free(consumed);
    s->outputs = outs;
    s->n_outputs = (unsigned)n_outs;
    return st;
}

static const char *below(const struct inst *s, const struct mo_node *x)
{
    return s->scope ? x->name + strlen(s->scope) : x->name;
}

/* The one node of s whose name below the scope matches p. */
static enum mo_status find_port(const struct inst *s, const struct tcfg_port *p, const char *what,
                                struct mo_node **out, struct mo_error *err)
{
    *out = NULL;
    char q1[MO_QUOTE_SIZE], q2[MO_QUOTE_SIZE];
    for (unsigned k = 0; k < s->n_nodes; k++) {
        struct mo_node *x = s->nodes[k];
        if (regexec(&p->re, below(s, x), 0, NULL, 0) != 0)
            continue;
        if (*out)
            return mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                                "%s: node pattern '%s' matches both '%s' and '%s' in scope '%s'; make it "
                                "unique (end it with '$')", what, p->node, mo_quote(q1, (*out)->name),
                                mo_quote(q2, x->name), s->scope);
        *out = x;
    }
    if (!*out)
        return mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                            "%s: node pattern '%s' matches no node of scope '%s'", what, p->node,
                            s->scope);
    return MO_OK;
}

/* Inputs and outputs as the config names them. */
static enum mo_status resolve(struct inst *s, const struct tcfg_entry *e, struct mo_error *err)
{
    char what[64], qn[MO_QUOTE_SIZE];
    s->inputs = calloc(e->n_inputs + 1, sizeof *s->inputs);
    s->outputs = calloc(e->n_outputs + 1, sizeof *s->outputs);
    if (!s->inputs || !s->outputs)
        return nomem(err);
    for (unsigned g = 0; g < e->n_inputs; g++) {
        struct mo_cfg_input *in = &s->inputs[g];
        in->uses = (const struct mo_value *)(size_t)s->n_uses;
        for (unsigned k = 0; k < e->inputs[g].n; k++) {
            const struct tcfg_port *p = &e->inputs[g].v[k];
            struct mo_node *x;
            snprintf(what, sizeof what, "inputs[%u][%u]", g, k);
            enum mo_status st = find_port(s, p, what, &x, err);
            if (st != MO_OK)
                return st;
            if (p->port >= x->n_inputs || !x->inputs[p->port].node)
                return mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                                    "%s: node '%s' has no input %u (it has %u)", what, mo_quote(qn, x->name),
                                    p->port, x->n_inputs);
            struct mo_value src = x->inputs[p->port];
            if (is_in(s, src.node))
                return mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                                    "%s: input %u of node '%s' comes from inside the scope, so it is no "
                                    "input of the sub-graph", what, p->port, mo_quote(qn, x->name));
            if (k && (src.node != in->src.node || src.port != in->src.port))
                return mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                                    "%s: the uses listed in one input must read one tensor, but node '%s' "
                                    "reads another than %s", what, mo_quote(qn, x->name), "the first use");
            in->src = src;
            st = push_use(s, mo_val(x, p->port), err);
            if (st != MO_OK)
                return st;
            in->n_uses++;
        }
    }
    s->n_inputs = e->n_inputs;
    for (unsigned o = 0; o < e->n_outputs; o++) {
        const struct tcfg_port *p = &e->outputs[o];
        struct mo_node *x;
        snprintf(what, sizeof what, "outputs[%u]", o);
        enum mo_status st = find_port(s, p, what, &x, err);
        if (st != MO_OK)
            return st;
        if (p->port >= x->n_outputs)
            return mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ, "%s: node '%s' has no output %u (it has %u)",
                                what, mo_quote(qn, x->name), p->port, x->n_outputs);
        s->outputs[o] = mo_val(x, p->port);
    }
    s->n_outputs = e->n_outputs;
    return MO_OK;
}

static enum mo_status visit(const struct mo_tcfg *c, const struct tcfg_entry *e, struct inst *s,
                            mo_tcfg_visit_fn fn, void *user, struct mo_error *err)
{
    fix_uses(s);
    struct mo_cfg_match m = {sizeof m, e->id, e->kind == TCFG_SCOPE ? "scope" : e->kind == TCFG_POINTS ? "points" : "general",
                             c->path, e->index, s->scope, s->n_nodes, s->nodes, s->n_inputs, s->inputs,
                             s->n_outputs, s->outputs, e->n_attrs, e->attrs};
    return fn(&m, user, err);
}

/* The shortest proper component prefix of name that re matches fully,
 * or 0. */
static size_t scope_prefix(const regex_t *re, const char *name, char *buf, size_t size)
{
    for (const char *p = strchr(name, '/'); p; p = strchr(p + 1, '/')) {
        size_t len = (size_t)(p - name) + 1;
        if (len >= size)
            return 0;
        memcpy(buf, name, len);
        buf[len] = 0;
        if (regexec(re, buf, 0, NULL, 0) == 0)
            return len;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static enum mo_status match_scope(const struct mo_tcfg *c, const struct tcfg_entry *e, struct mo_graph *fw,
                                  mo_tcfg_visit_fn fn, void *user, unsigned *n_found, struct mo_error *err)
{
    unsigned nn = mo_graph_n_nodes(fw);
    /* the distinct prefixes first (sorted, so instances come in name
     * order whatever order the frontend made the nodes in) */
    /* one prefix per node and pattern at most */
    size_t cap = (size_t)nn * e->n_scopes + 1;
    char **prefixes = calloc(cap, sizeof *prefixes);
    char *buf = malloc(4096);
    size_t np = 0;
    enum mo_status st = (!prefixes || !buf) ? nomem(err) : MO_OK;
    for (unsigned r = 0; r < e->n_scopes && st == MO_OK; r++) {
        for (unsigned i = 0; i < nn && st == MO_OK; i++) {
            struct mo_node *x = mo_graph_node(fw, i);
            if (x->dead || !scope_prefix(&e->scope_re[r], x->name, buf, 4096))
                continue;
            bool dup = false;
            for (size_t k = 0; k < np && !dup; k++)
                dup = !strcmp(prefixes[k], buf);
            if (!dup && np < cap && !(prefixes[np++] = strdup(buf)))
                st = nomem(err);
        }
    }
    if (st == MO_OK)
        qsort(prefixes, np, sizeof *prefixes, cmp_str);
    for (size_t k = 0; k < np && st == MO_OK; k++) {
        struct inst s = {0};
        s.scope = prefixes[k];
        s.in = calloc(nn + 1, sizeof *s.in);
        size_t plen = strlen(prefixes[k]);
        for (unsigned i = 0; s.in && i < nn; i++) {
            struct mo_node *x = mo_graph_node(fw, i);
            /* a node of a nested instance found earlier may be dead now */
            if (!x->dead && !strncmp(x->name, prefixes[k], plen) && x->name[plen])
                s.in[x->id] = true;
        }
        st = s.in ? collect_nodes(&s, fw, err) : nomem(err);
        /* an earlier instance's replacement may have removed this one */
        if (st == MO_OK && s.n_nodes) {
            st = e->has_inputs && e->has_outputs ? resolve(&s, e, err) : derive(&s, fw, err);
            if (st == MO_OK && e->has_inputs != e->has_outputs) {
                /* one given, one derived: keep the given one */
                struct inst t = {0};
                t.scope = s.scope;
                t.in = s.in;
                t.nodes = s.nodes;
                t.n_nodes = s.n_nodes;
                struct tcfg_entry half = *e;
                if (!e->has_inputs)
                    half.n_inputs = 0;
                if (!e->has_outputs)
                    half.n_outputs = 0;
                st = resolve(&t, &half, err);
                if (st == MO_OK) {
                    if (e->has_inputs) {
                        free(s.inputs);
                        free(s.uses);
                        s.inputs = t.inputs;
                        s.n_inputs = t.n_inputs;
                        s.uses = t.uses;
                        s.n_uses = t.n_uses;
                        s.cap_uses = t.cap_uses;
                        free(t.outputs);
                    } else {
                        free(s.outputs);
                        s.outputs = t.outputs;
                        s.n_outputs = t.n_outputs;
                        free(t.inputs);
                        free(t.uses);
                    }
                } else {
                    free(t.inputs);
                    free(t.uses);
                    free(t.outputs);
                }
            }
            if (st == MO_OK) {
                if (n_found)
                    (*n_found)++;
                st = visit(c, e, &s, fn, user, err);
            }
        }
        s.scope = NULL;
        inst_clear(&s);
    }
    for (size_t k = 0; prefixes && k < np; k++)
        free(prefixes[k]);
    free(prefixes);
    free(buf);
    return st;
}

static struct mo_node *find_point(struct mo_graph *fw, const char *name, const char *what, struct mo_error *err)
{
    struct mo_node *x = mo_graph_find(fw, name);
    if (!x) {
        char q[MO_QUOTE_SIZE];
        mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ, "%s '%s' is no node of the model", what, mo_quote(q, name));
    }
    return x;
}

static enum mo_status match_points(const struct mo_tcfg *c, const struct tcfg_entry *e, struct mo_graph *fw,
                                   mo_tcfg_visit_fn fn, void *user, unsigned *n_found, struct mo_error *err)
{
    unsigned nn = mo_graph_n_nodes(fw);
    struct inst s = {0};
    bool *start = calloc(nn + 1, sizeof *start);
    struct mo_node **stack = malloc((nn + 1) * sizeof *stack);
    struct mo_node **sp = calloc(e->n_start + 1, sizeof *sp), **ep = calloc(e->n_end + 1, sizeof *ep);
    s.in = calloc(nn + 1, sizeof *s.in);
    enum mo_status st = (!start || !stack || !s.in || !sp || !ep) ? nomem(err) : MO_OK;
    char q[MO_QUOTE_SIZE];
    for (unsigned i = 0; i < e->n_start && st == MO_OK; i++)
        if (!(sp[i] = find_point(fw, e->start[i], "start point", err)))
            st = MO_ERR_FORMAT;
    for (unsigned i = 0; i < e->n_end && st == MO_OK; i++)
        if (!(ep[i] = find_point(fw, e->end[i], "end point", err)))
            st = MO_ERR_FORMAT;
    /* the sub-graph's first nodes: the start points, or their consumers */
    for (unsigned i = 0; i < nn && st == MO_OK; i++) {
        struct mo_node *x = mo_graph_node(fw, i);
        for (unsigned k = 0; k < e->n_start && !x->dead; k++) {
            if (e->include_inputs && x == sp[k])
                start[x->id] = true;
            for (unsigned j = 0; !e->include_inputs && j < x->n_inputs; j++)
                if (x->inputs[j].node == sp[k])
                    start[x->id] = true;
        }
    }
    /* consumers of every node, by id (CSR): the walk goes both ways */
    unsigned *first = calloc(nn + 2, sizeof *first), *cons = NULL;
    size_t n_edges = 0;
    for (unsigned i = 0; first && i < nn; i++) {
        struct mo_node *x = mo_graph_node(fw, i);
        for (unsigned k = 0; !x->dead && k < x->n_inputs; k++)
            if (x->inputs[k].node) {
                first[x->inputs[k].node->id + 1]++;
                n_edges++;
            }
    }
    if (first && (cons = malloc((n_edges + 1) * sizeof *cons)) != NULL) {
        for (unsigned i = 0; i < nn; i++)
            first[i + 1] += first[i];
        unsigned *fill = calloc(nn + 1, sizeof *fill);
        for (unsigned i = 0; fill && i < nn; i++) {
            struct mo_node *x = mo_graph_node(fw, i);
            for (unsigned k = 0; !x->dead && k < x->n_inputs; k++)
                if (x->inputs[k].node) {
                    unsigned p = x->inputs[k].node->id;
                    cons[first[p] + fill[p]++] = x->id;
                }
        }
        if (!fill) {
            free(cons);
            cons = NULL;
        }
        free(fill);
    }
    bool *end = calloc(nn + 1, sizeof *end);
    if (st == MO_OK && (!first || !cons || !end))
        st = nomem(err);
    for (unsigned i = 0; i < e->n_end && st == MO_OK; i++) {
        if (e->include_outputs)
            end[ep[i]->id] = true;
        for (unsigned k = 0; !e->include_outputs && k < ep[i]->n_inputs; k++)
            if (ep[i]->inputs[k].node)
                end[ep[i]->inputs[k].node->id] = true;
        if (!e->include_outputs && !(ep[i]->n_inputs && ep[i]->inputs[0].node))
            st = mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ, "end point '%s' has no input, so with "
                              "include_outputs_to_sub_graph false nothing ends there", mo_quote(q, ep[i]->name));
    }
    /* as the original: forward from the start points up to the end points,
     * and back from every node but a start point, so that whatever feeds
     * the path (weights) comes along */
    unsigned top = 0;
    for (unsigned i = 0; i < nn && st == MO_OK; i++) {
        struct mo_node *x = mo_graph_node(fw, i);
        if (!x->dead && start[x->id]) {
            s.in[x->id] = true;
            stack[top++] = x;
        }
    }
    while (top && st == MO_OK) {
        struct mo_node *x = stack[--top];
        for (unsigned k = end[x->id] ? first[x->id + 1] : first[x->id]; k < first[x->id + 1]; k++) {
            struct mo_node *c2 = mo_graph_node(fw, cons[k]);
            if (!s.in[c2->id]) {
                s.in[c2->id] = true;
                stack[top++] = c2;
            }
        }
        for (unsigned k = 0; !start[x->id] && k < x->n_inputs; k++) {
            struct mo_node *p = x->inputs[k].node;
            if (p && !p->dead && !s.in[p->id]) {
                s.in[p->id] = true;
                stack[top++] = p;
            }
        }
    }
    for (unsigned i = 0; i < nn && st == MO_OK; i++) {
        struct mo_node *x = mo_graph_node(fw, i);
        if (x->dead || !s.in[x->id])
            continue;
        if (!start[x->id] && !strcmp(x->type, "Parameter"))
            st = mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                              "the sub-graph between the start and end points reaches the model input '%s' "
                              "without meeting a start point; add it to start_points", mo_quote(q, x->name));
    }
    for (unsigned i = 0; i < nn && st == MO_OK; i++) {
        struct mo_node *x = mo_graph_node(fw, i);
        if (!x->dead && end[x->id] && !s.in[x->id])
            st = mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                              "end point '%s' is not reachable from the start points", mo_quote(q, x->name));
    }
    free(first);
    free(cons);
    free(end);
    if (st == MO_OK)
        st = collect_nodes(&s, fw, err);
    if (st == MO_OK) {
        s.inputs = calloc(e->n_start + 1, sizeof *s.inputs);
        s.outputs = calloc(e->n_end + 1, sizeof *s.outputs);
        if (!s.inputs || !s.outputs)
            st = nomem(err);
    }
    for (unsigned i = 0; i < e->n_start && st == MO_OK; i++) {
        struct mo_cfg_input *in = &s.inputs[s.n_inputs++];
        in->uses = (const struct mo_value *)(size_t)s.n_uses;
        if (e->include_inputs) {
            if (!sp[i]->n_inputs || !sp[i]->inputs[0].node) {
                st = mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                                  "start point '%s' has no input 0 to be the sub-graph's input; start at "
                                  "its consumers or set include_inputs_to_sub_graph false",
                                  mo_quote(q, sp[i]->name));
                break;
            }
            in->src = sp[i]->inputs[0];
            st = push_use(&s, mo_val(sp[i], 0), err);
            in->n_uses = 1;
            continue;
        }
        in->src = mo_val(sp[i], 0);
        for (unsigned k = 0; k < s.n_nodes && st == MO_OK; k++)
            for (unsigned j = 0; j < s.nodes[k]->n_inputs && st == MO_OK; j++)
                if (s.nodes[k]->inputs[j].node == sp[i] && s.nodes[k]->inputs[j].port == 0) {
                    st = push_use(&s, mo_val(s.nodes[k], j), err);
                    in->n_uses++;
                }
    }
    for (unsigned i = 0; i < e->n_end && st == MO_OK; i++)
        s.outputs[s.n_outputs++] = e->include_outputs ? mo_val(ep[i], 0) : ep[i]->inputs[0];
    if (st == MO_OK) {
        if (n_found)
            (*n_found)++;
        st = visit(c, e, &s, fn, user, err);
    }
    inst_clear(&s);
    free(start);
    free(stack);
    free(sp);
    free(ep);
    return st;
}

enum mo_status mo_tcfg_match(const struct mo_tcfg *c, const struct tcfg_entry *e, struct mo_graph *fw,
                             mo_tcfg_visit_fn fn, void *user, unsigned *n_found, struct mo_error *err)
{
    if (n_found)
        *n_found = 0;
    if (e->kind == TCFG_SCOPE)
        return match_scope(c, e, fw, fn, user, n_found, err);
    if (e->kind == TCFG_POINTS)
        return match_points(c, e, fw, fn, user, n_found, err);
    struct inst s = {0};
    if (n_found)
        *n_found = 1;
    return visit(c, e, &s, fn, user, err);
}

/* --- the update mode's patterns ----------------------------------------- */

/* name below the scope as a regex that matches it alone: metacharacters
 * escaped, '$' at the end (the original's own form) */
static char *exact_pattern(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(2 * n + 2), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (strchr(".^$*+?()[]{}|\\", s[i]))
            *o++ = '\\';
        *o++ = s[i];
    }
    *o++ = '$';
    *o = 0;
    return out;
}

static json_t *port_json(const struct inst *s, struct mo_value v)
{
    char *pat = exact_pattern(below(s, v.node));
    json_t *j = pat ? json_pack("{s:s,s:i}", "node", pat, "port", (json_int_t)v.port) : NULL;
    free(pat);
    return j;
}

struct derive_out {
    json_t *inputs, *outputs;
};

static enum mo_status derive_json(const struct mo_cfg_match *m, void *user, struct mo_error *err)
{
    struct derive_out *d = user;
    if (d->inputs)
        return MO_OK;    /* the first instance only, as the original */
    struct inst s = {0};
    s.scope = m->scope;
    d->inputs = json_array();
    d->outputs = json_array();
    bool ok = d->inputs && d->outputs;
    for (unsigned i = 0; ok && i < m->n_inputs; i++) {
        json_t *g = json_array();
        ok = g && json_array_append_new(d->inputs, g) == 0;
        for (unsigned k = 0; ok && k < m->inputs[i].n_uses; k++)
            ok = json_array_append_new(g, port_json(&s, m->inputs[i].uses[k])) == 0;
    }
    for (unsigned i = 0; ok && i < m->n_outputs; i++)
        ok = json_array_append_new(d->outputs, port_json(&s, m->outputs[i])) == 0;
    return ok ? MO_OK : nomem(err);
}

enum mo_status mo_tcfg_derive_io(const struct tcfg_entry *e, struct mo_graph *fw, json_t **inputs,
                                 json_t **outputs, struct mo_error *err)
{
    *inputs = *outputs = NULL;
    struct tcfg_entry first = *e;
    first.n_scopes = 1;
    first.has_inputs = first.has_outputs = false;
    struct mo_tcfg none = {0};
    struct derive_out d = {NULL, NULL};
    unsigned found = 0;
    enum mo_status st = match_scope(&none, &first, fw, derive_json, &d, &found, err);
    if (st == MO_OK && !found)
        st = mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                          "scope pattern '%s' matches no node of the model", e->scopes[0]);
    if (st != MO_OK) {
        json_decref(d.inputs);
        json_decref(d.outputs);
        return st;
    }
    *inputs = d.inputs;
    *outputs = d.outputs;
    return MO_OK;
}

/* --- the common replacement --------------------------------------------- */

const struct mo_attr *mo_cfg_match_attr(const struct mo_cfg_match *m, const char *name)
{
    for (unsigned i = 0; m && i < m->n_attrs; i++)
        if (!strcmp(m->attrs[i].name, name))
            return &m->attrs[i];
    return NULL;
}

struct mo_node *mo_cfg_replace_with_node(struct mo_graph *fw, const struct mo_cfg_match *m,
                                         const char *type, const char *name, struct mo_error *err)
{
    char q1[MO_QUOTE_SIZE], q2[MO_QUOTE_SIZE];
    if (!m->n_nodes || !m->n_outputs) {
        mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ, "the sub-graph has %s; nothing to replace",
                     m->n_nodes ? "no outputs" : "no nodes");
        return NULL;
    }
    unsigned nn = mo_graph_n_nodes(fw);
    bool *in = calloc(nn + 1, sizeof *in);
    if (!in) {
        nomem(err);
        return NULL;
    }
    for (unsigned i = 0; i < m->n_nodes; i++)
        in[m->nodes[i]->id] = true;
    /* every tensor the rest of the graph reads from inside must be an output */
    for (unsigned i = 0; i < nn; i++) {
        struct mo_node *x = mo_graph_node(fw, i);
        if (x->dead || in[x->id])
            continue;
        for (unsigned k = 0; k < x->n_inputs; k++) {
            struct mo_value v = x->inputs[k];
            if (!v.node || !in[v.node->id])
                continue;
            bool listed = false;
            for (unsigned o = 0; o < m->n_outputs && !listed; o++)
                listed = m->outputs[o].node == v.node && m->outputs[o].port == v.port;
            if (!listed) {
                mo_error_set(err, MO_ERR_FORMAT, MO_TCFG_FAQ,
                             "node '%s' outside the sub-graph reads output %u of '%s' inside it, which "
                             "is not among the entry's outputs; add it to \"outputs\" or widen the sub-graph",
                             mo_quote(q1, x->name), v.port, mo_quote(q2, v.node->name));
                free(in);
                return NULL;
            }
        }
    }
    char *nm = NULL;
    if (!name && m->scope) {
        nm = strdup(m->scope);
        if (nm && *nm)
            nm[strlen(nm) - 1] = 0;
    }
    struct mo_node *n = mo_graph_add_node(fw, type, name ? name : nm ? nm : m->outputs[0].node->name,
                                          m->n_inputs, m->n_outputs);
    free(nm);
    if (!n) {
        free(in);
        nomem(err);
        return NULL;
    }
    for (unsigned i = 0; i < m->n_inputs; i++)
        mo_node_set_input(n, i, m->inputs[i].src);
    for (unsigned o = 0; o < m->n_outputs; o++) {
        struct mo_value old = m->outputs[o];
        const struct mo_output *oo = &old.node->outputs[old.port];
        n->outputs[o].et = oo->et;
        n->outputs[o].shape = oo->shape;
        for (unsigned k = 0; k < oo->n_names; k++)
            mo_node_add_output_name(n, o, oo->names[k]);
        mo_graph_replace_uses(fw, old, mo_val(n, o));
    }
    for (unsigned i = 0; i < m->n_nodes; i++)
        mo_node_kill(m->nodes[i]);
    free(in);
    return n;
}
