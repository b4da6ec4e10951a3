/* shape_simplify.c - the shape arithmetic exporters write, in fewer nodes.
 * ONNX exporters take one dim of a shape as a scalar and make it 1-D again
 * before concatenating a new shape:
 *     Unsqueeze(Gather(s, k, axis 0), axes [0])        s 1-D, k a 0-D Const
 * is Gather(s, [k], axis 0): one node instead of two (and their Consts),
 * only where the scalar feeds nothing else.  And the dims they pick are
 * often static where others are not (a transformer's hidden size beside a
 * dynamic batch and sequence):
 *     Gather(ShapeOf(x), k, axis 0)        dims k of x static
 * is a Const, exactly, whatever the dynamic dims become. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "passes.h"

/* A Const input i holding exactly the ints want[0..n) (any integer type). */
static bool const_is(const struct mo_node *n, unsigned i, const int64_t *want, int64_t cnt)
{
    struct mo_tensor *t = i < n->n_inputs ? mo_node_const_input(n, i) : NULL;
    if (!t || mo_etype_is_float(t->et) || mo_tensor_numel(t) != cnt)
        return false;
    for (int64_t k = 0; k < cnt; k++)
        if (mo_tensor_get_i64(t, k) != want[k])
            return false;
    return true;
}

/* Gather(ShapeOf(x), k, axis 0) with every picked dim of x static: the
 * Const of those dims, or NULL. */
static struct mo_tensor *static_dims(const struct mo_node *ga, struct mo_error *err)
{
    struct mo_node *so = ga->inputs[0].node;
    struct mo_tensor *idx = mo_node_const_input(ga, 1);
    if (!so || !mo_pass_is(so, "ShapeOf") || !idx || mo_etype_is_float(idx->et) || idx->shape.rank > 1 ||
        !const_is(ga, 2, (int64_t[]){0}, 1) || mo_node_get_int(ga, "batch_dims", 0, NULL))
        return NULL;
    const struct mo_output *x = mo_node_in(so, 0);
    if (!x || x->shape.rank < 0)
        return NULL;
    int64_t cnt = mo_tensor_numel(idx), r = x->shape.rank;
    if (cnt > MO_MAX_RANK)
        return NULL;
    int64_t d[MO_MAX_RANK];
    for (int64_t k = 0; k < cnt; k++) {
        int64_t i = mo_tensor_get_i64(idx, k);
        i = i < 0 ? i + r : i;
        if (i < 0 || i >= r || x->shape.dims[i] < 0)
            return NULL;
        d[k] = x->shape.dims[i];
    }
    struct mo_tensor *t = mo_tensor_new(ga->outputs[0].et, &idx->shape, err);
    for (int64_t k = 0; t && k < cnt; k++)
        mo_tensor_set_f64(t, k, (double)d[k]);
    return t;
}

enum mo_status mo_pass_shape_simplify(struct mo_graph *g, struct mo_pass_stats *st, struct mo_error *err)
{
    unsigned n = mo_graph_n_nodes(g);
    long done = 0, folded = 0;
    for (unsigned i = 0; i < n; i++) {
        struct mo_node *ga = mo_graph_node(g, i);
        if (ga->dead || !mo_pass_is(ga, "Gather") || ga->n_inputs != 3)
            continue;
        struct mo_tensor *t = static_dims(ga, err);
        if (!t)
            continue;
        char *cname = mo_graph_printf(g, "%s/static", ga->name);
        struct mo_node *c = cname ? mo_const(g, cname, t, err) : NULL;
        if (!c) {
            if (!cname)
                mo_tensor_unref(t);
            return err && err->code ? err->code : MO_ERR_NOMEM;
        }
        enum mo_status rc = mo_node_infer(c, err);
        if (rc != MO_OK)
            return rc;
        mo_pass_replace(g, mo_val(ga, 0), mo_val(c, 0));
        mo_node_kill(ga);
        folded++;
    }
    mo_pass_stats_add(st, "shape_simplify", "static dims", folded);
    unsigned nu = 0;
    unsigned *uses = mo_pass_count_uses(g, &nu);
    if (!uses)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    enum mo_status rc = MO_OK;
    for (unsigned i = 0; i < n && rc == MO_OK; i++) {
        struct mo_node *u = mo_graph_node(g, i);
        if (u->dead || !mo_pass_is(u, "Unsqueeze") || u->n_inputs != 2 || !const_is(u, 1, (int64_t[]){0}, 1))
            continue;
        struct mo_node *ga = u->inputs[0].node;
        if (!ga || !mo_pass_is(ga, "Gather") || ga->n_inputs != 3 || mo_node_get_int(ga, "batch_dims", 0, NULL))
            continue;
        const struct mo_output *data = mo_node_in(ga, 0);
        struct mo_tensor *idx = mo_node_const_input(ga, 1);
        if (!data || data->shape.rank != 1 || !idx || idx->shape.rank != 0 || !const_is(ga, 2, (int64_t[]){0}, 1) ||
            ga->id >= nu || uses[ga->id] != 1)
            continue;
        struct mo_shape one = mo_shape_make(1, (int64_t[]){1});
        struct mo_tensor *t1 = mo_tensor_reshaped(idx, &one, err);
        char *iname = mo_graph_printf(g, "%s/indices_1d", u->name);
        struct mo_node *c = t1 && iname ? mo_const(g, iname, t1, err) : NULL;
        if (!c) {
            if (!iname)
                mo_tensor_unref(t1);
            rc = err && err->code ? err->code : MO_ERR_NOMEM;
            break;
        }
        /* the Gather now reads the 1-D indices and takes the Unsqueeze's place */
        mo_node_set_input(ga, 1, mo_val(c, 0));
        rc = mo_node_infer(c, err);
        if (rc == MO_OK)
            rc = mo_node_infer(ga, err);
        if (rc != MO_OK)
            break;
        mo_pass_replace(g, mo_val(u, 0), mo_val(ga, 0));
        mo_node_kill(u);
        done++;
    }
    free(uses);
    mo_pass_stats_add(st, "shape_simplify", "Unsqueeze(Gather)", done);
    return rc;
}
