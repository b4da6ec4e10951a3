/* uses.c - the reader index of uses.h: per producer a small array of its
 * readers, updated in place, so that a pass's rewrites cost the degree of
 * the nodes they touch. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "../graph_private.h"
#include "uses.h"

struct ulist {
    struct mo_use *v;
    unsigned n, cap;
};

struct mo_uses {
    struct mo_graph *g;
    struct ulist *by_id;    /* [n_ids], by producer id */
    unsigned n_ids;
    bool oom;
};

static struct ulist *ulist_of(struct mo_uses *u, const struct mo_node *src, bool grow)
{
    if (src->id >= u->n_ids) {
        if (!grow)
            return NULL;
        unsigned n = src->id + 1 + u->n_ids / 2;
        struct ulist *l = realloc(u->by_id, n * sizeof *l);
        if (!l) {
            u->oom = true;
            return NULL;
        }
        memset(l + u->n_ids, 0, (n - u->n_ids) * sizeof *l);
        u->by_id = l;
        u->n_ids = n;
    }
    return &u->by_id[src->id];
}

/* Record that input k of x reads its current source. */
static void use_add(struct mo_uses *u, struct mo_node *x, unsigned k)
{
    struct mo_node *src = x->inputs[k].node;
    struct ulist *l = src ? ulist_of(u, src, true) : NULL;
    if (!l)
        return;
    if (l->n == l->cap) {
        unsigned cap = l->cap ? 2 * l->cap : 4;
        struct mo_use *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            u->oom = true;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    /* sorted by the producer's port, so one port's readers are a run */
    unsigned at = l->n++;
    while (at > 0 && l->v[at - 1].port_of > x->inputs[k].port) {
        l->v[at] = l->v[at - 1];
        at--;
    }
    l->v[at] = (struct mo_use){x, k, x->inputs[k].port};
}

/* Forget that input k of x reads its current source. */
static void use_del(struct mo_uses *u, struct mo_node *x, unsigned k)
{
    struct mo_node *src = x->inputs[k].node;
    struct ulist *l = src ? ulist_of(u, src, false) : NULL;
    for (unsigned i = 0; l && i < l->n; i++)
        if (l->v[i].node == x && l->v[i].port == k) {
            memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof *l->v);
            l->n--;
            return;
        }
}

struct mo_uses *mo_uses_new(struct mo_graph *g)
{
    struct mo_uses *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->g = g;
    for (unsigned i = 0; i < g->n_nodes; i++) {
        struct mo_node *x = g->nodes[i];
        for (unsigned k = 0; !x->dead && k < x->n_inputs; k++)
            use_add(u, x, k);
    }
    if (u->oom) {
        mo_uses_free(u);
        return NULL;
    }
    return u;
}

void mo_uses_free(struct mo_uses *u)
{
    if (!u)
        return;
    for (unsigned i = 0; i < u->n_ids; i++)
        free(u->by_id[i].v);
    free(u->by_id);
    free(u);
}

bool mo_uses_failed(const struct mo_uses *u) { return u->oom; }

const struct mo_use *mo_uses_of(struct mo_uses *u, struct mo_value v, unsigned *n)
{
    static const struct mo_use none;
    *n = 0;
    struct ulist *l = ulist_of(u, v.node, false);
    if (!l)
        return &none;
    unsigned a = 0;
    while (a < l->n && l->v[a].port_of < v.port)
        a++;
    unsigned e = a;
    while (e < l->n && l->v[e].port_of == v.port)
        e++;
    *n = e - a;
    return a < l->n ? &l->v[a] : &none;
}

struct mo_use *mo_uses_copy(struct mo_uses *u, struct mo_value v, unsigned *n)
{
    const struct mo_use *s = mo_uses_of(u, v, n);
    struct mo_use *c = malloc((*n ? *n : 1) * sizeof *c);
    if (c && *n)
        memcpy(c, s, *n * sizeof *c);
    return c;
}

unsigned mo_uses_count(struct mo_uses *u, struct mo_value v)
{
    unsigned n;
    mo_uses_of(u, v, &n);
    return n;
}

struct mo_node *mo_uses_only(struct mo_uses *u, struct mo_value v, unsigned *in_port)
{
    unsigned n;
    const struct mo_use *s = mo_uses_of(u, v, &n);
    if (n != 1)
        return NULL;
    if (in_port)
        *in_port = s[0].port;
    return s[0].node;
}

void mo_uses_set_input(struct mo_uses *u, struct mo_node *n, unsigned i, struct mo_value v)
{
    if (i >= n->n_inputs)
        return;
    use_del(u, n, i);
    mo_node_set_input(n, i, v);
    use_add(u, n, i);
}

void mo_uses_track(struct mo_uses *u, struct mo_node *n)
{
    for (unsigned k = 0; k < n->n_inputs; k++)
        use_add(u, n, k);
}

void mo_uses_kill(struct mo_uses *u, struct mo_node *n)
{
    if (n->dead)
        return;
    for (unsigned k = 0; k < n->n_inputs; k++)
        use_del(u, n, k);
    mo_node_kill(n);
}

void mo_uses_replace(struct mo_uses *u, struct mo_value from, struct mo_value to)
{
    if (from.node == to.node && from.port == to.port)
        return;
    /* the list is looked up each time: set_input may grow the index.  A
     * reader that is `to` itself keeps its input (no cycle), as
     * mo_graph_replace_uses does. */
    for (unsigned i = 0;;) {
        struct ulist *l = ulist_of(u, from.node, false);
        if (!l || i >= l->n)
            break;
        struct mo_use x = l->v[i];
        if (x.port_of != from.port || x.node == to.node) {
            i++;
            continue;
        }
        mo_uses_set_input(u, x.node, x.port, to);
    }
    struct mo_graph *g = u->g;
    for (unsigned i = 0; i < g->n_outputs; i++)
        if (g->outputs[i].node == from.node && g->outputs[i].port == from.port)
            g->outputs[i] = to;
    /* the framework tensor names follow the value (as mo_pass_replace) */
    const struct mo_output *o = &from.node->outputs[from.port];
    for (unsigned i = 0; i < o->n_names; i++)
        mo_node_add_output_name(to.node, to.port, o->names[i]);
}
