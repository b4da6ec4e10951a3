/* infer.c - driving shape/type inference and the helpers op files share. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mo/context.h>
#include <mo/op.h>

struct mo_shape mo_in_shape(const struct mo_node *n, unsigned i)
{
    const struct mo_output *o = mo_node_in(n, i);
    return o ? o->shape : mo_shape_unknown();
}

enum mo_etype mo_in_et(const struct mo_node *n, unsigned i)
{
    const struct mo_output *o = mo_node_in(n, i);
    return o ? o->et : MO_ET_UNDEFINED;
}

enum mo_status mo_set_out(struct mo_node *n, unsigned i, enum mo_etype et, const struct mo_shape *shape)
{
    if (i >= n->n_outputs) {
        enum mo_status st = mo_node_resize(n, n->n_inputs, i + 1);
        if (st != MO_OK)
            return st;
    }
    n->outputs[i].et = et;
    n->outputs[i].shape = *shape;
    return MO_OK;
}

enum mo_status mo_shape_error(const struct mo_node *n, struct mo_error *err, const char *fmt, ...)
{
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n->origin && strcmp(n->origin, n->name))
        return mo_error_set(err, MO_ERR_SHAPE, 4, "%s node '%s' (from framework node '%s'): %s",
                            n->type, n->name, n->origin, buf);
    return mo_error_set(err, MO_ERR_SHAPE, 4, "%s node '%s': %s", n->type, n->name, buf);
}

enum mo_status mo_broadcast_numpy(const struct mo_node *n, const struct mo_shape *a,
                                  const struct mo_shape *b, struct mo_shape *out,
                                  struct mo_error *err)
{
    if (a->rank < 0 || b->rank < 0) {
        *out = mo_shape_unknown();
        return MO_OK;
    }
    int r = a->rank > b->rank ? a->rank : b->rank;
    struct mo_shape s = {.rank = r};
    for (int i = 0; i < r; i++) {
        int ia = i - (r - a->rank), ib = i - (r - b->rank);
        int64_t da = ia >= 0 ? a->dims[ia] : 1;
        int64_t db = ib >= 0 ? b->dims[ib] : 1;
        if (da == 1)
            s.dims[i] = db;
        else if (db == 1)
            s.dims[i] = da;
        else if (da == MO_DYN)
            s.dims[i] = db;
        else if (db == MO_DYN || da == db)
            s.dims[i] = da;
        else {
            char sa[128], sb[128];
            return mo_shape_error(n, err, "shapes [%s] and [%s] cannot be broadcast",
                                  mo_shape_str(a, sa, sizeof sa), mo_shape_str(b, sb, sizeof sb));
        }
    }
    *out = s;
    return MO_OK;
}

enum mo_status mo_node_infer(struct mo_node *n, struct mo_error *err)
{
    if (!n->def)
        return mo_error_set(err, MO_ERR_INTERNAL, 0, "node '%s' of type '%s' is not an IR operation",
                            n->name, n->type);
    for (unsigned i = 0; i < n->n_inputs; i++)
        if (!mo_node_in(n, i))
            return mo_error_set(err, MO_ERR_SHAPE, 4, "%s node '%s': input %u is not connected",
                                n->type, n->name, i);
    if (!n->def->infer)
        return MO_OK;
    return n->def->infer(n, err);
}

enum mo_status mo_graph_infer(struct mo_graph *g, struct mo_error *err)
{
    struct mo_node **order;
    unsigned cnt;
    enum mo_status st = mo_graph_topo(g, &order, &cnt, err);
    for (unsigned i = 0; st == MO_OK && i < cnt; i++)
        st = mo_node_infer(order[i], err);
    return st;
}
