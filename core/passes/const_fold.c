/* const_fold.c - constant folding: a node whose inputs are all Const and
 * whose op has an evaluator (def->eval) becomes a Const.  With
 * --static_shape, ShapeOf of a static shape folds too (the IR then cannot be
 * reshaped, which is what the user asked for).
 *
 * The size rule of mo/tensor.h: evaluators hold their inputs and result
 * whole, so a node reading a constant larger than MO_TENSOR_SMALL_BYTES
 * folds only where the result can stay lazy (a reshape, a transpose, a
 * per-channel or scalar Multiply/Add/Subtract: computed while the .bin is
 * written); otherwise it is left for the runtime to fold.
 * The bodies of control-flow nodes are folded inside, on their own. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>
#include <mo/op.h>

#include "../graph_private.h"
#include "../ops/ops.h"
#include "../tensor_private.h"
#include "passes.h"
#include "uses.h"

static bool foldable(struct mo_node *n)
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
    /* the shape was inferred when the inputs were not constants yet (a
     * Reshape whose target came through a Convert): with every input
     * folded above it, inference now knows it, and a node left unfolded
     * here would keep the unknown rank, and so its layout Transposes, for
     * the passes after this one */
    if (!mo_shape_is_static(&n->outputs[0].shape)) {
        struct mo_error ignored = {0};
        if (mo_node_infer(n, &ignored) != MO_OK)
            return false;
    }
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

/* Does small (broadcast against shape s, trailing dims aligned) vary along
 * at most one axis of s?  Then *m and v (n values, caller frees) give its
 * value per element of s. */
static bool per_axis(const struct mo_tensor *small, const struct mo_shape *s, struct mo_chan_map *m,
                     double **v)
{
    int r = s->rank, sr = small->shape.rank, axis = -1;
    if (sr > r || !mo_etype_is_float(small->et) || small->nbytes > MO_TENSOR_SMALL_BYTES)
        return false;
    for (int d = 0; d < sr; d++) {
        int64_t k = small->shape.dims[d];
        if (k == 1)
            continue;
        if (axis >= 0 || k != s->dims[d + r - sr])
            return false;
        axis = d + r - sr;
    }
    int64_t n = axis < 0 ? 1 : s->dims[axis], inner = 1;
    for (int d = axis + 1; axis >= 0 && d < r; d++)
        inner *= s->dims[d];
    *m = (struct mo_chan_map){inner, n, 1, 1};
    *v = malloc((size_t)n * sizeof **v);
    if (!*v)
        return false;
    for (int64_t i = 0; i < n; i++)
        (*v)[i] = mo_tensor_get_f64(small, i);
    return true;
}

/* n reads a large constant: its value as a lazy tensor, or NULL (not folded). */
static struct mo_tensor *fold_lazy(struct mo_node *n, struct mo_error *err)
{
    struct mo_tensor *a = mo_node_const_input(n, 0);
    const struct mo_output *o = &n->outputs[0];
    if (mo_pass_is(n, "Reshape") || mo_pass_is(n, "Squeeze") || mo_pass_is(n, "Unsqueeze"))
        return mo_tensor_reshaped(a, &o->shape, err);
    if (mo_pass_is(n, "Transpose")) {
        int64_t perm[MO_MAX_RANK];
        int cnt = mo_const_ints(n, 1, perm, MO_MAX_RANK), r = a->shape.rank;
        if (cnt == 0)
            for (int i = 0; i < r; i++)
                perm[i] = r - 1 - i;
        else if (cnt != r)
            return NULL;
        return mo_tensor_transposed(a, perm, NULL);
    }
    bool mul = mo_pass_is(n, "Multiply"), add = mo_pass_is(n, "Add"), sub = mo_pass_is(n, "Subtract");
    if (!(mul || add || sub) || n->n_inputs != 2)
        return NULL;
    /* the large operand keeps its shape and type; the small one broadcasts */
    struct mo_tensor *b = mo_node_const_input(n, 1);
    bool big_left = a->nbytes >= b->nbytes;
    struct mo_tensor *w = big_left ? a : b, *k = big_left ? b : a;
    if (!mo_etype_is_float(w->et) || o->et != w->et || !mo_shape_equal(&o->shape, &w->shape))
        return NULL;
    struct mo_chan_map m;
    double *v;
    if (!per_axis(k, &w->shape, &m, &v))
        return NULL;
    struct mo_tensor *r;
    /* x*1 + c and x*-1 + c are exact: the values equal the evaluator's */
    if (mul) {
        r = mo_tensor_scaled(w, &m, v, NULL, err);
    } else {
        double *one = malloc((size_t)m.n * sizeof *one);
        for (int64_t i = 0; one && i < m.n; i++) {
            one[i] = sub && !big_left ? -1.0 : 1.0;
            if (sub && big_left)
                v[i] = -v[i];
        }
        r = one ? mo_tensor_scaled(w, &m, one, v, err) : NULL;
        free(one);
    }
    free(v);
    return r;
}

/* Weights still in the model file (or already lazy) above this size stay
 * out of memory when a fold can leave them lazy: a model's many filters
 * under MO_TENSOR_SMALL_BYTES each add up to all of its weights (66 MB of
 * InceptionV3's 95 MB were copies made by its filter Transposes). */
#define LAZY_WEIGHT_BYTES ((size_t)16 << 10)

static bool weight_like(const struct mo_tensor *t)
{
    return t->nbytes > LAZY_WEIGHT_BYTES && (mo_tensor_is_lazy(t) || mo_tensor_is_borrowed(t));
}

/* Fold n?  A large input, or a file-backed weight, folds lazily where
 * fold_lazy can; otherwise small lazy inputs are made plain for the
 * evaluator first. */
static enum mo_status fold(struct mo_node *n, struct mo_tensor **t, struct mo_error *err)
{
    bool large = false, weights = false;
    for (unsigned i = 0; i < n->n_inputs; i++) {
        const struct mo_tensor *v = n->inputs[i].node->value;
        large |= v->nbytes > MO_TENSOR_SMALL_BYTES;
        weights |= weight_like(v);
    }
    if (large || weights) {
        *t = fold_lazy(n, NULL);
        if (*t || large)
            return MO_OK;
    }
    for (unsigned i = 0; i < n->n_inputs; i++)
        if (mo_tensor_materialize(&n->inputs[i].node->value, err) != MO_OK)
            return MO_ERR_NOMEM;
    struct mo_error e2 = {0};
    enum mo_status s = n->def->eval(n, t, &e2);
    if (s == MO_ERR_NOMEM)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory folding '%s'", n->name);
    if (s != MO_OK)
        *t = NULL;
    return MO_OK;
}

/* Folding read the small weights, and the kernel mapped the file around
 * each (readahead, large folios): a TF ResNet50 kept 20 of its 98 MB
 * resident after this pass.  Give back the pages of every model file the
 * graph's constants borrow from; they are read again as they are written. */
static void drop_weight_pages(const struct mo_graph *g)
{
    const struct mo_file *seen[8];
    unsigned n_seen = 0;
    for (unsigned i = 0; i < g->n_nodes; i++) {
        const struct mo_tensor *t = g->nodes[i]->dead ? NULL : g->nodes[i]->value;
        while (t && t->src)
            t = t->src;
        if (!t || !t->file)
            continue;
        unsigned k = 0;
        while (k < n_seen && seen[k] != t->file)
            k++;
        if (k < n_seen)
            continue;
        mo_file_drop_pages(t->file);
        if (n_seen < 8)
            seen[n_seen++] = t->file;
    }
}

enum mo_status mo_pass_const_fold(struct mo_graph *g, bool static_shape, struct mo_pass_stats *st,
                                  struct mo_error *err)
{
    struct mo_node **order;
    unsigned cnt;
    enum mo_status rc = mo_graph_topo(g, &order, &cnt, err);
    if (rc != MO_OK)
        return rc;
    struct mo_uses *u = mo_uses_new(g);
    if (!u)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < cnt && rc == MO_OK; i++) {
        struct mo_node *n = order[i];
        struct mo_tensor *t = NULL;
        if (static_shape && mo_pass_is(n, "ShapeOf")) {
            t = shape_of(n, err);
        } else if (foldable(n)) {
            rc = fold(n, &t, err);
            if (rc != MO_OK)
                break;
        }
        if (!t)
            continue;
        struct mo_node *c = mo_const(g, n->name, t, err);
        if (!c) {
            rc = err ? err->code : MO_ERR_NOMEM;
            break;
        }
        c->origin = n->origin;
        mo_uses_replace(u, mo_val(n, 0), mo_val(c, 0));
        mo_uses_kill(u, n);
        mo_pass_stats_add(st, "constant_folding", n->def ? n->def->type : "ShapeOf", 1);
    }
    if (rc == MO_OK && mo_uses_failed(u))
        rc = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    mo_uses_free(u);
    /* bodies fold their own constants; a control-flow node itself has no
     * evaluator, so nothing that depends on a body folds out here */
    for (unsigned i = 0; i < cnt && rc == MO_OK; i++)
        for (unsigned b = 0; !order[i]->dead && b < order[i]->n_bodies && rc == MO_OK; b++)
            rc = mo_pass_const_fold(order[i]->bodies[b]->graph, static_shape, st, err);
    drop_weight_pages(g);
    return rc;
}
