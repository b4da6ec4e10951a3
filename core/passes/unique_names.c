/* unique_names.c - IR layer names must be unique; translators may repeat
 * a framework name, so repeats get "_2", "_3"... in topological order.
 * Body graphs of control-flow nodes take part: a name is unique across the
 * whole model, so the .mapping and messages name one layer each.  Names of
 * the outer graph win over those of bodies (they are collected first). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <mo/body.h>

#include "passes.h"

struct named {
    struct mo_node *n;
    unsigned pos;       /* collection order: the tie-break */
};

struct bag {
    struct named *v;
    unsigned n, cap;
};

static bool collect(struct bag *b, struct mo_graph *g)
{
    unsigned cnt = mo_graph_n_nodes(g);
    for (unsigned i = 0; i < cnt; i++) {
        struct mo_node *x = mo_graph_node(g, i);
        if (x->dead)
            continue;
        if (b->n == b->cap) {
            unsigned cap = b->cap ? b->cap * 2 : 64;
            struct named *nv = realloc(b->v, cap * sizeof *nv);
            if (!nv)
                return false;
            b->v = nv;
            b->cap = cap;
        }
        b->v[b->n] = (struct named){x, b->n};
        b->n++;
    }
    for (unsigned i = 0; i < cnt; i++) {
        struct mo_node *x = mo_graph_node(g, i);
        for (unsigned k = 0; !x->dead && k < x->n_bodies; k++)
            if (!collect(b, x->bodies[k]->graph))
                return false;
    }
    return true;
}

static int cmp_named(const void *a, const void *b)
{
    const struct named *x = a, *y = b;
    int c = strcmp(x->n->name, y->n->name);
    return c ? c : (x->pos < y->pos ? -1 : x->pos > y->pos);
}

static bool taken(const struct bag *b, const char *name)
{
    for (unsigned i = 0; i < b->n; i++)
        if (!strcmp(b->v[i].n->name, name))
            return true;
    return false;
}

enum mo_status mo_passes_unique_names(struct mo_graph *g, struct mo_error *err)
{
    struct bag b = {0};
    if (!collect(&b, g)) {
        free(b.v);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    /* the sorted copy groups repeats; b itself is searched for free names */
    struct named *v = malloc((b.n ? b.n : 1) * sizeof *v);
    if (!v) {
        free(b.v);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    memcpy(v, b.v, b.n * sizeof *v);
    qsort(v, b.n, sizeof *v, cmp_named);
    enum mo_status st = MO_OK;
    const char *group = b.n ? v[0].n->name : NULL;
    unsigned suffix = 2; /* suffixes already given in this group are not tried again */
    for (unsigned i = 1; i < b.n && st == MO_OK; i++) {
        if (strcmp(v[i].n->name, group) != 0) {
            group = v[i].n->name;
            suffix = 2;
            continue;
        }
        for (;; suffix++) {
            char *cand = mo_graph_printf(v[i].n->graph, "%s_%u", group, suffix);
            if (!cand) {
                st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
                break;
            }
            if (!taken(&b, cand)) {
                v[i].n->name = cand;
                break;
            }
        }
    }
    free(v);
    free(b.v);
    return st;
}
