/* const_fold.c - constant folding: a node whose inputs are all Const and
 * whose op has an evaluator (def->eval) becomes a Const.  With
 * --static_shape, ShapeOf of a static shape folds too (the IR then cannot be
 * reshaped, which is what the user asked for). */
#include <config.h>

#include <string.h>

#include <mo/mo.h>
#include <mo/op.h>

#include "passes.h"

static bool foldable(const struct mo_node *n)
{
    if (n->dead || !n->def || !n->def->eval || !n->n_inputs || n->n_outputs != 1)
        return false;
    if (mo_pass_is(n, "Const") || mo_pass_is(n, "Parameter") || mo_pass_is(n, "Result"))
        return false;
    /* decompression Converts stay: the runtime folds them itself, and the
     * f16 weights are what the user asked to keep */
    if (mo_node_attr(n, "rt:decompression"))
        return false;
    for (unsigned i = 0; i < n->n_inputs; i++)
        if (!mo_pass_is_const(n->inputs[i].node))
            return false;
    return mo_shape_is_static(&n->outputs[0].shape);
}

static struct mo_tensor *shape_of(const struct mo_node *n, struct mo_error *err)
{
    const struct mo_output *in = mo_node_in(n, 0);
    if (!in || !mo_shape_is_static(&in->shape))
        return NULL;
    enum mo_etype et = mo_etype_parse(mo_node_get_str(n, "output_type", "i64"));
    if (et != MO_ET_I32)
        et = MO_ET_I64;
    int64_t r = in->shape.rank;
    struct mo_shape s = mo_shape_make(1, &r);
    struct mo_tensor *t = mo_tensor_new(et, &s, err);
    for (int i = 0; t && i < in->shape.rank; i++)
        mo_tensor_set_f64(t, i, (double)in->shape.dims[i]);
    return t;
}

enum mo_status mo_pass_const_fold(struct mo_graph *g, bool static_shape, struct mo_pass_stats *st,
                                  struct mo_error *err)
{
    struct mo_node **order;
    unsigned cnt;
    enum mo_status rc = mo_graph_topo(g, &order, &cnt, err);
    if (rc != MO_OK)
        return rc;
    for (unsigned i = 0; i < cnt; i++) {
        struct mo_node *n = order[i];
        struct mo_tensor *t = NULL;
        if (static_shape && mo_pass_is(n, "ShapeOf")) {
            t = shape_of(n, err);
        } else if (foldable(n)) {
            struct mo_error e2 = {0};
            enum mo_status s = n->def->eval(n, &t, &e2);
            if (s == MO_ERR_NOMEM)
                return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory folding '%s'", n->name);
            if (s != MO_OK)
                t = NULL;
        }
        if (!t)
            continue;
        struct mo_node *c = mo_const(g, n->name, t, err);
        if (!c)
            return err ? err->code : MO_ERR_NOMEM;
        c->origin = n->origin;
        mo_pass_replace(g, mo_val(n, 0), mo_val(c, 0));
        mo_node_kill(n);
        mo_pass_stats_add(st, "constant_folding", n->def ? n->def->type : "ShapeOf", 1);
    }
    return MO_OK;
}
