/* unique_names.c - IR layer names must be unique; translators may repeat
 * a framework name, so repeats get "_2", "_3"... in topological order. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "passes.h"

static int cmp_node_name(const void *a, const void *b)
{
    const struct mo_node *x = *(const struct mo_node *const *)a;
    const struct mo_node *y = *(const struct mo_node *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->id < y->id ? -1 : x->id > y->id);
}

enum mo_status mo_passes_unique_names(struct mo_graph *g, struct mo_error *err)
{
    unsigned n = mo_graph_n_nodes(g), k = 0;
    struct mo_node **v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < n; i++)
        if (!mo_graph_node(g, i)->dead)
            v[k++] = mo_graph_node(g, i);
    qsort(v, k, sizeof *v, cmp_node_name);
    const char *group = k ? v[0]->name : NULL;
    for (unsigned i = 1; i < k; i++) {
        if (strcmp(v[i]->name, group) != 0) {
            group = v[i]->name;
            continue;
        }
        const char *base = group;
        for (unsigned suffix = 2;; suffix++) {
            char *cand = mo_graph_printf(g, "%s_%u", base, suffix);
            if (!cand) {
                free(v);
                return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            }
            if (!mo_graph_find(g, cand)) {
                v[i]->name = cand;
                break;
            }
        }
    }
    free(v);
    return MO_OK;
}
