/* graph.c - the graph arena, nodes and ports. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/context.h>
#include <mo/graph.h>
#include <mo/op.h>

#include "graph_private.h"

/* Chunks grow geometrically so a big model costs few mallocs. */
struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

struct mo_graph *mo_graph_new(struct mo_context *ctx)
{
    struct mo_graph *g = calloc(1, sizeof *g);
    if (g)
        g->ctx = ctx;
    return g;
}

void mo_graph_free(struct mo_graph *g)
{
    if (!g)
        return;
    for (unsigned i = 0; i < g->n_subgraphs; i++)
        mo_graph_free(g->subgraphs[i]);
    free(g->subgraphs);
    for (unsigned i = 0; i < g->n_nodes; i++) {
        struct mo_node *n = g->nodes[i];
        mo_tensor_unref(n->value);
        for (unsigned a = 0; a < n->n_attrs; a++)
            if (n->attrs[a].kind == MO_ATTR_TENSOR)
                mo_tensor_unref(n->attrs[a].u.t);
    }
    struct arena_chunk *c = g->chunks;
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(g->nodes);
    free(g->outputs);
    free(g);
}

struct mo_context *mo_graph_context(const struct mo_graph *g) { return g->ctx; }

void *mo_graph_alloc(struct mo_graph *g, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct arena_chunk *c = g->chunks;
    if (!c || c->cap - c->used < n) {
        size_t cap = c ? c->cap * 2 : 64 * 1024;
        if (cap > 16u << 20)
            cap = 16u << 20;
        if (cap < n)
            cap = n;
        struct arena_chunk *nc = malloc(sizeof *nc + cap);
        if (!nc)
            return NULL;
        nc->cap = cap;
        nc->used = 0;
        /* keep the partly used chunk first only if it has more room */
        if (c && c->cap - c->used > cap - n) {
            nc->next = c->next;
            c->next = nc;
            nc->used = n;
            memset(nc->data, 0, n);
            return nc->data;
        }
        nc->next = c;
        g->chunks = c = nc;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *mo_graph_strdup(struct mo_graph *g, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = mo_graph_alloc(g, n);
    if (d)
        memcpy(d, s, n);
    return d;
}

char *mo_graph_printf(struct mo_graph *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *d = mo_graph_alloc(g, (size_t)n + 1);
    if (!d)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

unsigned mo_graph_n_nodes(const struct mo_graph *g) { return g->n_nodes; }

struct mo_node *mo_graph_node(const struct mo_graph *g, unsigned i)
{
    return i < g->n_nodes ? g->nodes[i] : NULL;
}

struct mo_node *mo_graph_find(const struct mo_graph *g, const char *name)
{
    for (unsigned i = 0; i < g->n_nodes; i++)
        if (!g->nodes[i]->dead && g->nodes[i]->name && !strcmp(g->nodes[i]->name, name))
            return g->nodes[i];
    return NULL;
}

void mo_graph_add_output(struct mo_graph *g, struct mo_value v)
{
    if (g->n_outputs == g->cap_outputs) {
        unsigned cap = g->cap_outputs ? g->cap_outputs * 2 : 4;
        struct mo_value *o = realloc(g->outputs, cap * sizeof *o);
        if (!o)
            return;
        g->outputs = o;
        g->cap_outputs = cap;
    }
    g->outputs[g->n_outputs++] = v;
}

unsigned mo_graph_n_outputs(const struct mo_graph *g) { return g->n_outputs; }

struct mo_value mo_graph_output(const struct mo_graph *g, unsigned i)
{
    struct mo_value none = {NULL, 0};
    return i < g->n_outputs ? g->outputs[i] : none;
}

static void init_outputs(struct mo_output *o, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        o[i].et = MO_ET_UNDEFINED;
        o[i].shape = mo_shape_unknown();
    }
}

struct mo_node *mo_graph_add_node(struct mo_graph *g, const char *type, const char *name,
                                  unsigned n_inputs, unsigned n_outputs)
{
    if (g->n_nodes == g->cap_nodes) {
        unsigned cap = g->cap_nodes ? g->cap_nodes * 2 : 64;
        struct mo_node **nn = realloc(g->nodes, cap * sizeof *nn);
        if (!nn)
            return NULL;
        g->nodes = nn;
        g->cap_nodes = cap;
    }
    struct mo_node *n = mo_graph_alloc(g, sizeof *n);
    if (!n)
        return NULL;
    n->graph = g;
    n->id = g->n_nodes;
    n->type = mo_graph_strdup(g, type ? type : "");
    n->name = mo_graph_strdup(g, name ? name : "");
    if (!n->type || !n->name || mo_node_resize(n, n_inputs, n_outputs) != MO_OK)
        return NULL;
    g->nodes[g->n_nodes++] = n;
    return n;
}

enum mo_status mo_node_resize(struct mo_node *n, unsigned n_inputs, unsigned n_outputs)
{
    struct mo_graph *g = n->graph;
    if (n_inputs != n->n_inputs) {
        struct mo_value *in = n_inputs ? mo_graph_alloc(g, n_inputs * sizeof *in) : NULL;
        if (n_inputs && !in)
            return MO_ERR_NOMEM;
        unsigned keep = n_inputs < n->n_inputs ? n_inputs : n->n_inputs;
        if (keep)
            memcpy(in, n->inputs, keep * sizeof *in);
        n->inputs = in;
        n->n_inputs = n_inputs;
    }
    if (n_outputs != n->n_outputs) {
        struct mo_output *out = n_outputs ? mo_graph_alloc(g, n_outputs * sizeof *out) : NULL;
        if (n_outputs && !out)
            return MO_ERR_NOMEM;
        init_outputs(out, n_outputs);
        unsigned keep = n_outputs < n->n_outputs ? n_outputs : n->n_outputs;
        if (keep)
            memcpy(out, n->outputs, keep * sizeof *out);
        n->outputs = out;
        n->n_outputs = n_outputs;
    }
    return MO_OK;
}

void mo_node_set_input(struct mo_node *n, unsigned i, struct mo_value src)
{
    if (i < n->n_inputs)
        n->inputs[i] = src;
}

unsigned mo_node_add_input(struct mo_node *n, struct mo_value src)
{
    unsigned i = n->n_inputs;
    if (mo_node_resize(n, i + 1, n->n_outputs) != MO_OK)
        return (unsigned)-1;
    n->inputs[i] = src;
    return i;
}

void mo_node_kill(struct mo_node *n) { n->dead = true; }

void mo_node_add_output_name(struct mo_node *n, unsigned port, const char *name)
{
    if (port >= n->n_outputs || !name)
        return;
    struct mo_output *o = &n->outputs[port];
    for (unsigned i = 0; i < o->n_names; i++)
        if (!strcmp(o->names[i], name))
            return;
    const char **names = mo_graph_alloc(n->graph, (o->n_names + 1) * sizeof *names);
    char *copy = mo_graph_strdup(n->graph, name);
    if (!names || !copy)
        return;
    if (o->n_names)
        memcpy(names, o->names, o->n_names * sizeof *names);
    names[o->n_names++] = copy;
    o->names = names;
}

const struct mo_output *mo_node_in(const struct mo_node *n, unsigned i)
{
    if (i >= n->n_inputs || !n->inputs[i].node)
        return NULL;
    const struct mo_node *p = n->inputs[i].node;
    if (n->inputs[i].port >= p->n_outputs)
        return NULL;
    return &p->outputs[n->inputs[i].port];
}

/* --- IR construction ---------------------------------------------------- */

struct mo_node *mo_op(struct mo_graph *g, const char *type, const char *name,
                      unsigned n_inputs, const struct mo_value *inputs, struct mo_error *err)
{
    const struct mo_op_def *def = g->ctx ? mo_context_op(g->ctx, type) : NULL;
    if (!def) {
        mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "node '%s': IR operation '%s' is not in the op table",
                     name ? name : "", type);
        return NULL;
    }
    if ((int)n_inputs < def->min_inputs || (def->max_inputs >= 0 && (int)n_inputs > def->max_inputs)) {
        mo_error_set(err, MO_ERR_INTERNAL, 0,
                     "node '%s': %s takes %d..%d inputs, %u given", name ? name : "", type,
                     def->min_inputs, def->max_inputs, n_inputs);
        return NULL;
    }
    /* the node carries the bare type: "MaxPool-8" only chose the version */
    struct mo_node *n = mo_graph_add_node(g, def->type, name, n_inputs,
                                          def->n_outputs > 0 ? (unsigned)def->n_outputs : 0);
    if (!n) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    n->def = def;
    for (unsigned i = 0; i < n_inputs; i++)
        n->inputs[i] = inputs[i];
    return n;
}

struct mo_node *mo_parameter(struct mo_graph *g, const char *name, enum mo_etype et,
                             const struct mo_shape *shape, struct mo_error *err)
{
    struct mo_node *n = mo_op(g, "Parameter", name, 0, NULL, err);
    if (!n)
        return NULL;
    n->outputs[0].et = et;
    n->outputs[0].shape = *shape;
    return n;
}

struct mo_node *mo_const(struct mo_graph *g, const char *name, struct mo_tensor *t,
                         struct mo_error *err)
{
    struct mo_node *n = mo_op(g, "Const", name, 0, NULL, err);
    if (!n) {
        mo_tensor_unref(t);
        return NULL;
    }
    n->value = t;
    n->outputs[0].et = t->et;
    n->outputs[0].shape = t->shape;
    return n;
}

static struct mo_node *const_from(struct mo_graph *g, const char *name, enum mo_etype et,
                                  const void *v, size_t n, size_t esz, bool scalar,
                                  struct mo_error *err)
{
    int64_t dim = (int64_t)n;
    struct mo_shape s = scalar ? mo_shape_scalar() : mo_shape_make(1, &dim);
    struct mo_tensor *t = mo_tensor_from_data(et, &s, v, n * esz, err);
    return t ? mo_const(g, name, t, err) : NULL;
}

struct mo_node *mo_const_i64(struct mo_graph *g, const char *name, const int64_t *v, size_t n,
                             bool scalar, struct mo_error *err)
{
    return const_from(g, name, MO_ET_I64, v, scalar ? 1 : n, 8, scalar, err);
}

struct mo_node *mo_const_f32(struct mo_graph *g, const char *name, const float *v, size_t n,
                             bool scalar, struct mo_error *err)
{
    return const_from(g, name, MO_ET_F32, v, scalar ? 1 : n, 4, scalar, err);
}

struct mo_node *mo_result(struct mo_graph *g, struct mo_value v, const char *name,
                          struct mo_error *err)
{
    return mo_op(g, "Result", name, 1, &v, err);
}

struct mo_tensor *mo_node_const_input(const struct mo_node *n, unsigned i)
{
    if (i >= n->n_inputs || !n->inputs[i].node)
        return NULL;
    const struct mo_node *p = n->inputs[i].node;
    if (strcmp(p->type, "Const") != 0)
        return NULL;
    return p->value;
}
