/* nnet3.c - Kaldi nnet3 networks: config lines (input-node, component-node,
 * output-node, dim-range-node; descriptors), then the components. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaldi.h"
#include "kio.h"
#include "model.h"

/* --- nnet3 ------------------------------------------------------------------ */

struct comp {
    char *name;
    struct mo_node *tmpl; /* fields, in a scratch graph */
};

enum nkind { N_INPUT, N_COMPONENT, N_OUTPUT, N_DIMRANGE };

struct cnode {
    enum nkind kind;
    char *name, *input, *component;
    int64_t dim, dim_offset;
    size_t line_at;
    int state; /* 0 new, 1 building, 2 built */
    struct tv v;
};

struct nnet3 {
    struct ld *L;
    struct cnode *nodes;
    size_t n_nodes;
    struct comp *comps;
    size_t n_comps;
    struct mo_graph *scratch;
};

static enum mo_status resolve(struct nnet3 *N, struct cnode *c, struct tv *out);

static struct cnode *find_node(struct nnet3 *N, const char *name, size_t len)
{
    for (size_t i = 0; i < N->n_nodes; i++)
        if (N->nodes[i].kind != N_OUTPUT && strlen(N->nodes[i].name) == len && !strncmp(N->nodes[i].name, name, len))
            return &N->nodes[i];
    return NULL;
}

/* Descriptor grammar (Kaldi's nnet3 descriptors, the supported subset):
 *   D := node | Append(D, D...) | Sum(D, D) | Offset(D, t[, x]) | IfDefined(D)
 *        | ReplaceIndex(D, t, k) | Scale(f, D) */
struct dparse {
    struct nnet3 *N;
    const char *s, *p, *line_node;
    size_t at; /* the config line's offset, for messages */
};

static void ws(struct dparse *d)
{
    while (*d->p == ' ' || *d->p == '\t')
        d->p++;
}

static enum mo_status dfail(struct dparse *d, const char *what)
{
    char q[MO_QUOTE_SIZE], qn[MO_QUOTE_SIZE];
    struct mo_kio *r = &d->N->L->r;
    /* point at the config line, not at where reading stopped */
    r->pos = d->at;
    r->last[0] = 0;
    return mo_kio_fail(r, "node '%s': descriptor '%s': %s at character %ld", mo_quote(qn, d->line_node),
                       mo_quote(q, d->s), what, (long)(d->p - d->s));
}

static enum mo_status desc(struct dparse *d, struct tv *out, int depth);

static enum mo_status dlist(struct dparse *d, struct tv **parts, unsigned *n, int depth)
{
    *parts = NULL;
    *n = 0;
    unsigned cap = 0;
    for (;;) {
        struct tv v;
        enum mo_status st = desc(d, &v, depth + 1);
        if (st != MO_OK) {
            free(*parts);
            return st;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 4;
            struct tv *np = realloc(*parts, cap * sizeof *np);
            if (!np) {
                free(*parts);
                return mo_kd_nomem(d->N->L);
            }
            *parts = np;
        }
        (*parts)[(*n)++] = v;
        ws(d);
        if (*d->p == ',') {
            d->p++;
            continue;
        }
        if (*d->p == ')') {
            d->p++;
            return MO_OK;
        }
        free(*parts);
        return dfail(d, "expected ',' or ')'");
    }
}

static enum mo_status dint(struct dparse *d, int64_t *v)
{
    ws(d);
    char *end;
    long long x = strtoll(d->p, &end, 10);
    if (end == d->p)
        return dfail(d, "expected an integer");
    if (x > MAX_OFFSET || x < -MAX_OFFSET)
        return dfail(d, "a time offset out of range");
    d->p = end;
    *v = x;
    return MO_OK;
}

static enum mo_status desc(struct dparse *d, struct tv *out, int depth)
{
    if (depth > 64)
        return dfail(d, "nested too deeply");
    ws(d);
    const char *s = d->p;
    while (*d->p && *d->p != '(' && *d->p != ')' && *d->p != ',' && *d->p != ' ' && *d->p != '\t')
        d->p++;
    size_t len = (size_t)(d->p - s);
    if (!len)
        return dfail(d, "expected a node name or a descriptor");
    ws(d);
    if (*d->p != '(') {
        struct cnode *c = find_node(d->N, s, len);
        if (!c) {
            char nm[MO_KALDI_TOKEN_MAX];
            snprintf(nm, sizeof nm, "%.*s", (int)(len < 100 ? len : 100), s);
            char q[MO_QUOTE_SIZE], msg[300];
            snprintf(msg, sizeof msg, "no node is named '%s'", mo_quote(q, nm));
            return dfail(d, msg);
        }
        return resolve(d->N, c, out);
    }
    d->p++;
    enum mo_status st;
#define IS(w) (len == strlen(w) && !strncmp(s, w, len))
    if (IS("Append") || IS("Sum")) {
        struct tv *parts;
        unsigned n;
        if ((st = dlist(d, &parts, &n, depth)) != MO_OK)
            return st;
        if (IS("Sum") && n != 2) {
            free(parts);
            return dfail(d, "Sum takes two descriptors");
        }
        st = mo_kd_join(d->N->L, IS("Append") ? "Append" : "Sum", NULL, parts, n, out);
        free(parts);
        return st;
    }
    if (IS("Offset")) {
        struct tv v;
        int64_t t, x = 0;
        if ((st = desc(d, &v, depth + 1)) != MO_OK)
            return st;
        ws(d);
        if (*d->p++ != ',')
            return dfail(d, "expected ',' after Offset's descriptor");
        if ((st = dint(d, &t)) != MO_OK)
            return st;
        ws(d);
        if (*d->p == ',') {
            d->p++;
            if ((st = dint(d, &x)) != MO_OK)
                return st;
            if (x)
                return dfail(d, "an Offset in x is not supported");
            ws(d);
        }
        if (*d->p++ != ')')
            return dfail(d, "expected ')'");
        *out = (struct tv){v.n, v.lo - t, v.hi - t, v.dim, v.fixed};
        return MO_OK;
    }
    if (IS("Scale")) {
        /* Scale(f, d): d times the constant f (TDNN-F's bypass) */
        ws(d);
        char *end;
        double f = strtod(d->p, &end);
        if (end == d->p)
            return dfail(d, "expected Scale's factor");
        d->p = end;
        ws(d);
        if (*d->p++ != ',')
            return dfail(d, "expected ',' after Scale's factor");
        struct tv v;
        if ((st = desc(d, &v, depth + 1)) != MO_OK)
            return st;
        ws(d);
        if (*d->p++ != ')')
            return dfail(d, "expected ')'");
        char *nm = mo_graph_printf(d->N->L->fw, "%s/scale%u", d->line_node, ++d->N->L->helpers);
        struct mo_node *n = nm ? mo_kd_node(d->N->L, "Scale", nm, 1, &v) : NULL;
        if (!n || mo_node_set_float(n, "scale", f) != MO_OK)
            return mo_kd_nomem(d->N->L);
        *out = v;
        out->n = n;
        return MO_OK;
    }
    if (IS("ReplaceIndex")) {
        /* ReplaceIndex(x, t, k): x at time k, for every time */
        struct tv v;
        int64_t k;
        if ((st = desc(d, &v, depth + 1)) != MO_OK)
            return st;
        ws(d);
        if (*d->p++ != ',')
            return dfail(d, "expected ',' after ReplaceIndex's descriptor");
        ws(d);
        if (*d->p != 't' || (d->p[1] != ',' && d->p[1] != ' '))
            return dfail(d, "ReplaceIndex of an index other than t is not supported");
        d->p++;
        ws(d);
        if (*d->p++ != ',')
            return dfail(d, "expected ',' after ReplaceIndex's index");
        if ((st = dint(d, &k)) != MO_OK)
            return st;
        ws(d);
        if (*d->p++ != ')')
            return dfail(d, "expected ')'");
        if (v.fixed) {
            *out = v;
            return MO_OK;
        }
        if (k < v.lo || (v.hi < 0 && k > v.hi))
            return dfail(d, "ReplaceIndex asks for a time its input does not hold");
        char *nm = mo_graph_printf(d->N->L->fw, "%s/time%lld", d->line_node, (long long)k);
        struct mo_node *n = nm ? mo_kd_node(d->N->L, "TimeRow", nm, 1, &v) : NULL;
        if (!n || mo_node_set_int(n, "row", k - v.lo) != MO_OK)
            return mo_kd_nomem(d->N->L);
        *out = (struct tv){n, 0, 0, v.dim, true};
        return MO_OK;
    }
    if (IS("IfDefined")) {
        if ((st = desc(d, out, depth + 1)) != MO_OK)
            return st;
        ws(d);
        if (*d->p++ != ')')
            return dfail(d, "expected ')'");
        return MO_OK;
    }
#undef IS
    d->p = s;
    return dfail(d, "this descriptor is not supported yet (supported: Append, Sum, Offset, IfDefined, ReplaceIndex, Scale)");
}

static struct comp *find_comp(struct nnet3 *N, const char *name)
{
    for (size_t i = 0; i < N->n_comps; i++)
        if (!strcmp(N->comps[i].name, name))
            return &N->comps[i];
    return NULL;
}

static enum mo_status resolve(struct nnet3 *N, struct cnode *c, struct tv *out)
{
    struct ld *L = N->L;
    if (c->state == 2) {
        *out = c->v;
        return MO_OK;
    }
    if (c->state == 1)
        return mo_kio_fail(&L->r, "node '%s' depends on itself: recurrent nnet3 graphs (memory) are not "
                                  "supported yet",
                           c->name);
    c->state = 1;
    enum mo_status st = MO_OK;
    if (c->kind == N_INPUT) {
        struct mo_node *in = mo_graph_add_node(L->fw, "Parameter", c->name, 0, 1);
        if (!in)
            return mo_kd_nomem(L);
        in->outputs[0].et = MO_ET_F32;
        in->outputs[0].shape = mo_shape_of(MO_DYN, c->dim);
        mo_node_add_output_name(in, 0, c->name);
        c->v = (struct tv){in, 0, 0, c->dim, false};
    } else {
        struct dparse d = {N, c->input, c->input, c->name, c->line_at};
        struct tv x;
        if ((st = desc(&d, &x, 0)) != MO_OK)
            return st;
        ws(&d);
        if (*d.p)
            return dfail(&d, "unexpected text after the descriptor");
        if (c->kind == N_COMPONENT) {
            struct comp *cp = find_comp(N, c->component);
            if (!cp)
                return mo_kio_fail(&L->r, "node '%s' uses component '%s', which the model does not have", c->name,
                                   c->component);
            if ((st = mo_kd_apply_component(L, cp->tmpl->type, c->name, x, cp->tmpl, &c->v)) != MO_OK)
                return st;
        } else if (c->kind == N_DIMRANGE) {
            struct mo_node *n = mo_kd_node(L, "DimRange", c->name, 1, &x);
            if (!n || mo_node_set_int(n, "DimOffset", c->dim_offset) != MO_OK || mo_node_set_int(n, "Dim", c->dim) != MO_OK)
                return mo_kd_nomem(L);
            c->v = (struct tv){n, x.lo, x.hi, c->dim, x.fixed};
        } else {
            c->v = x;
        }
    }
    c->state = 2;
    *out = c->v;
    return MO_OK;
}

/* key=value of a config line (value up to a space outside parentheses). */
static char *config_value(struct ld *L, const char *line, size_t len, const char *key)
{
    size_t k = strlen(key);
    for (size_t i = 0; i + k + 1 <= len; i++) {
        if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t') && !strncmp(line + i, key, k) && line[i + k] == '=') {
            size_t s = i + k + 1, e = s;
            int depth = 0;
            while (e < len && (depth > 0 || (line[e] != ' ' && line[e] != '\t'))) {
                if (line[e] == '(')
                    depth++;
                else if (line[e] == ')')
                    depth--;
                e++;
            }
            char *v = mo_graph_alloc(L->fw, e - s + 1);
            if (v)
                memcpy(v, line + s, e - s);
            return v;
        }
    }
    return NULL;
}

enum mo_status mo_kd_read_nnet3(struct ld *L)
{
    struct mo_kio *r = &L->r;
    struct nnet3 N = {.L = L};
    enum mo_status st;
    const char *line;
    size_t len;
    /* the rest of the <Nnet3> line, then config lines up to an empty one */
    if ((st = mo_kio_line(r, &line, &len)) != MO_OK)
        return st;
    size_t cap = 0;
    for (;;) {
        size_t at = r->pos;
        if ((st = mo_kio_line(r, &line, &len)) != MO_OK)
            goto out;
        while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
            len--;
        size_t s = 0;
        while (s < len && (line[s] == ' ' || line[s] == '\t'))
            s++;
        if (s == len)
            break;
        line += s;
        len -= s;
        struct cnode c = {.line_at = at};
        const char *kinds[] = {"input-node ", "component-node ", "output-node ", "dim-range-node "};
        int kind = -1;
        for (int i = 0; i < 4; i++)
            if (len >= strlen(kinds[i]) && !strncmp(line, kinds[i], strlen(kinds[i])))
                kind = i;
        if (kind < 0) {
            char q[MO_QUOTE_SIZE], l[200];
            snprintf(l, sizeof l, "%.*s", (int)(len < 150 ? len : 150), line);
            r->pos = at;
            st = mo_kio_fail(r, "an nnet3 config line that is not input-node, component-node, output-node or "
                                "dim-range-node: '%s'",
                             mo_quote(q, l));
            goto out;
        }
        c.kind = (enum nkind)kind;
        c.name = config_value(L, line, len, "name");
        char *dim = config_value(L, line, len, "dim");
        c.dim = dim ? strtoll(dim, NULL, 10) : -1;
        c.input = config_value(L, line, len, kind == N_DIMRANGE ? "input-node" : "input");
        c.component = config_value(L, line, len, "component");
        char *dof = config_value(L, line, len, "dim-offset");
        c.dim_offset = dof ? strtoll(dof, NULL, 10) : 0;
        if (!c.name || (kind == N_INPUT && c.dim <= 0) || (kind != N_INPUT && !c.input) ||
            (kind == N_COMPONENT && !c.component) || (kind == N_DIMRANGE && c.dim <= 0)) {
            r->pos = at;
            st = mo_kio_fail(r, "an nnet3 %.*s line without its %s", (int)strlen(kinds[kind]) - 1, kinds[kind],
                             !c.name ? "name=" : kind == N_INPUT ? "dim=" : !c.input ? "input=" : kind == N_DIMRANGE ? "dim=" : "component=");
            goto out;
        }
        if (N.n_nodes == cap) {
            cap = cap ? 2 * cap : 16;
            struct cnode *nn = realloc(N.nodes, cap * sizeof *nn);
            if (!nn) {
                st = mo_kd_nomem(L);
                goto out;
            }
            N.nodes = nn;
        }
        N.nodes[N.n_nodes++] = c;
    }
    int64_t nc;
    if ((st = mo_kio_expect(r, "<NumComponents>")) != MO_OK || (st = mo_kio_int(r, &nc)) != MO_OK)
        goto out;
    if (nc < 0 || nc > 100000) {
        st = mo_kio_fail(r, "%lld components", (long long)nc);
        goto out;
    }
    N.scratch = mo_graph_new(NULL);
    N.comps = calloc((size_t)nc + 1, sizeof *N.comps);
    if (!N.scratch || !N.comps) {
        st = mo_kd_nomem(L);
        goto out;
    }
    for (int64_t i = 0; i < nc; i++) {
        char tok[MO_KALDI_TOKEN_MAX], type[MO_KALDI_TOKEN_MAX], q[MO_QUOTE_SIZE];
        if ((st = mo_kio_expect(r, "<ComponentName>")) != MO_OK || (st = mo_kio_token(r, tok, sizeof tok)) != MO_OK)
            goto out;
        struct comp *cp = &N.comps[N.n_comps];
        cp->name = mo_graph_strdup(N.scratch, tok);
        size_t at = r->pos;
        if ((st = mo_kio_token(r, tok, sizeof tok)) != MO_OK)
            goto out;
        if (!mo_kd_type_of(tok, type, sizeof type)) {
            r->pos = at;
            st = mo_kio_fail(r, "expected a component type token (such as <AffineComponent>), found '%s'",
                             mo_quote(q, tok));
            goto out;
        }
        char end[MO_KALDI_TOKEN_MAX + 4];
        snprintf(end, sizeof end, "</%s>", type);
        if (!mo_kaldi_known(type)) {
            mo_kd_note_unknown(L, tok, at);
            if ((st = mo_kd_skip_to(L, end)) != MO_OK)
                goto out;
            continue;
        }
        cp->tmpl = mo_graph_add_node(N.scratch, type, cp->name, 0, 1);
        if (!cp->name || !cp->tmpl) {
            st = mo_kd_nomem(L);
            goto out;
        }
        struct mo_graph *keep = L->fw;
        L->fw = N.scratch;
        st = mo_kd_read_fields(L, cp->tmpl, end);
        L->fw = keep;
        if (st != MO_OK)
            goto out;
        N.n_comps++;
    }
    if ((st = mo_kio_expect(r, "</Nnet3>")) != MO_OK)
        goto out;
    if (L->unk.n)
        goto out;
    unsigned outs = 0;
    for (size_t i = 0; i < N.n_nodes; i++) {
        if (N.nodes[i].kind != N_OUTPUT)
            continue;
        struct tv v;
        if ((st = resolve(&N, &N.nodes[i], &v)) != MO_OK)
            goto out;
        if ((st = mo_kd_add_out(L, mo_val(v.n, 0), N.nodes[i].name)) != MO_OK)
            goto out;
        outs++;
    }
    if (!outs)
        st = mo_kio_fail(r, "the nnet3 model has no output-node");
out:
    free(N.nodes);
    free(N.comps);
    mo_graph_free(N.scratch);
    return st;
}
