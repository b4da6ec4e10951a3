/* tr_flow.c - TensorFlow translators: functional control flow as the IR's
 * Loop-5 and If-8.
 *
 * The loader (graph.c, fn_bodies) gives While / StatelessWhile the
 * framework bodies (0 cond, 1 body) and If / StatelessIf (0 then, 1 else),
 * each Parameter one argument of the function in order, each output one
 * result.  TensorFlow's While carries every value it reads as a loop
 * variable (an invariant is one the body returns unchanged); its cond
 * function decides before each iteration, so it is translated twice: on
 * the initial values outside the Loop (the execution condition) and on the
 * body's results inside it (the condition for the next iteration).
 * parallel_iterations and shape_invariants change nothing here. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "tf.h"

/* One framework body being translated: its Parameters in node order, the
 * IR Parameter each became and the Result of each output. */
struct tbody {
    struct mo_graph *fw;
    unsigned n_params, n_results;
    struct mo_node **fw_params, **params, **results;
};

static enum mo_status tbody_init(struct mo_build *b, unsigned k, struct tbody *tb)
{
    struct mo_graph *arena = mo_build_graph(b);
    struct mo_body *src = mo_node_body(mo_build_fw(b), k);
    if (!src)
        return mo_build_fail(b, "body %u is missing", k);
    tb->fw = src->graph;
    tb->n_params = 0;
    unsigned nn = mo_graph_n_nodes(tb->fw);
    for (unsigned i = 0; i < nn; i++) {
        struct mo_node *n = mo_graph_node(tb->fw, i);
        tb->n_params += !n->dead && !strcmp(n->type, "Parameter");
    }
    tb->n_results = mo_graph_n_outputs(tb->fw);
    tb->fw_params = mo_graph_alloc(arena, (tb->n_params + 1) * sizeof *tb->fw_params);
    tb->params = mo_graph_alloc(arena, (tb->n_params + 1) * sizeof *tb->params);
    tb->results = mo_graph_alloc(arena, (tb->n_results + 1) * sizeof *tb->results);
    if (!tb->fw_params || !tb->params || !tb->results)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0, j = 0; i < nn; i++) {
        struct mo_node *n = mo_graph_node(tb->fw, i);
        if (!n->dead && !strcmp(n->type, "Parameter"))
            tb->fw_params[j++] = n;
    }
    return MO_OK;
}

/* Translate tb into IR graph ir, its Parameters typed like vals[0..n)
 * (with shapes[i] instead of their shapes when shapes is not NULL). */
static enum mo_status tbody_translate_as(struct mo_build *b, struct tbody *tb, struct mo_graph *ir,
                                         const struct mo_value *vals, const struct mo_shape *shapes, unsigned n,
                                         struct mo_error *err)
{
    if (tb->n_params != n)
        return mo_build_fail(b, "a body takes %u arguments, the node passes %u", tb->n_params, n);
    for (unsigned i = 0; i < n; i++) {
        tb->fw_params[i]->outputs[0].et = mo_value_et(vals[i]);
        tb->fw_params[i]->outputs[0].shape = shapes ? shapes[i] : mo_value_shape(vals[i]);
    }
    return mo_build_check(b, mo_tctx_translate_body(mo_build_tctx(b), tb->fw, ir, tb->params, tb->results, err));
}

static enum mo_status tbody_translate(struct mo_build *b, struct tbody *tb, struct mo_graph *ir,
                                      const struct mo_value *vals, unsigned n, struct mo_error *err)
{
    return tbody_translate_as(b, tb, ir, vals, NULL, n, err);
}

/* The value a body Result gives. */
static struct mo_value result_value(const struct mo_node *r)
{
    return r->inputs[0];
}

/* tb translated into graph ir on the values vals[0..n) themselves (its
 * Parameters replaced by them, its Results dropped): out[k] gets output k. */
static enum mo_status tbody_inline(struct mo_build *b, struct tbody *tb, struct mo_graph *ir,
                                   const struct mo_value *vals, unsigned n, struct mo_value *out,
                                   struct mo_error *err)
{
    if (tbody_translate(b, tb, ir, vals, n, err) != MO_OK)
        return mo_build_status(b);
    for (unsigned i = 0; i < n; i++) {
        mo_graph_replace_uses(ir, mo_val(tb->params[i], 0), vals[i]);
        mo_node_kill(tb->params[i]);
    }
    for (unsigned k = 0; k < tb->n_results; k++) {
        out[k] = result_value(tb->results[k]);
        mo_node_kill(tb->results[k]);
    }
    return MO_OK;
}

/* A predicate as the boolean scalar the IR wants: TensorFlow takes a
 * number (non-zero is true) or a one-element tensor too. */
static struct mo_value predicate(struct mo_build *b, struct mo_value c)
{
    struct mo_shape s = mo_value_shape(c);
    if (s.rank > 0) {
        char buf[128];
        for (int d = 0; d < s.rank; d++)
            if (s.dims[d] != 1) {
                mo_build_fail(b, "the predicate has shape %s; a tensor of one element is needed (a larger "
                              "one is true when not empty: reduce it to a scalar first)",
                              mo_shape_str(&s, buf, sizeof buf));
                return MO_NO_VALUE;
            }
        c = mo_build_reshape(b, "pred/scalar", c, NULL, 0, false);
    }
    return mo_value_et(c) == MO_ET_BOOLEAN ? c : mo_build_convert(b, "pred/bool", c, MO_ET_BOOLEAN);
}

/* --- While / StatelessWhile -> Loop-5 -------------------------------------- */

static enum mo_status tr_while(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_graph *g = mo_build_graph(b);
    unsigned n = fw->n_inputs;
    struct mo_value *vals = mo_graph_alloc(g, (n + 1) * sizeof *vals);
    struct mo_value *in = mo_graph_alloc(g, (n + 3) * sizeof *in);
    struct mo_value c0;
    if (!vals || !in)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < n; i++)
        vals[i] = mo_build_in(b, i, NULL);
    struct tbody cond, body;
    if (!mo_build_ok(b) || tbody_init(b, 0, &cond) != MO_OK || tbody_init(b, 1, &body) != MO_OK)
        return mo_build_status(b);
    /* the body is typed from the initial values, but a dim output_shapes
     * leaves unknown (shape_invariants) may change between iterations:
     * the Parameter leaves it dynamic */
    struct mo_shape *shapes = mo_graph_alloc(g, (n + 1) * sizeof *shapes);
    if (!shapes)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < n; i++) {
        char key[32];
        int64_t d[MO_MAX_RANK];
        shapes[i] = mo_value_shape(vals[i]);
        snprintf(key, sizeof key, "output_shapes@%u", i);
        int r = mo_node_attr(fw, key) ? mo_node_get_ints(fw, key, d, MO_MAX_RANK) : -1;
        for (int k = 0; r == shapes[i].rank && k < r; k++)
            if (d[k] < 0)
                shapes[i].dims[k] = MO_DYN;
    }
    /* a shape the body changes (shape_invariants; a TF1 frame says
     * nothing of them): translated once aside, each dim a result gives
     * otherwise than its Parameter received is left dynamic, until they
     * agree */
    for (int pass = 0; pass < 3 && mo_build_ok(b) && body.n_params == n && body.n_results == n; pass++) {
        struct mo_graph *aside = mo_graph_new(mo_tctx_context(t));
        if (!aside)
            return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
        bool changed = false;
        if (tbody_translate_as(b, &body, aside, vals, shapes, n, err) == MO_OK)
            for (unsigned i = 0; i < n; i++) {
                struct mo_shape r = mo_value_shape(result_value(body.results[i]));
                struct mo_shape *p = &shapes[i];
                if (p->rank < 0)
                    continue;
                if (r.rank != p->rank) {
                    *p = mo_shape_unknown();
                    changed = true;
                    continue;
                }
                for (int k = 0; k < r.rank; k++)
                    if (p->dims[k] >= 0 && r.dims[k] != p->dims[k])
                        p->dims[k] = MO_DYN, changed = true;
            }
        mo_graph_free(aside);
        if (!changed)
            break;
    }
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (cond.n_results != 1 || body.n_results != n)
        return mo_build_fail(b, "its cond gives %u values (1 needed) and its body %u for %u loop variables",
                             cond.n_results, body.n_results, n);
    /* the first condition, on the initial values */
    if (tbody_inline(b, &cond, g, vals, n, &c0, err) != MO_OK)
        return mo_build_status(b);
    in[0] = mo_build_i64_scalar(b, "trip_count", -1);
    in[1] = predicate(b, c0);
    for (unsigned i = 0; i < n; i++)
        in[2 + i] = vals[i];
    struct mo_value y = mo_build_opv(b, "Loop", NULL, n + 2, in);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_body *ir = mo_body_add(y.node, err);
    if (!ir)
        return mo_build_check(b, err && err->code ? err->code : MO_ERR_NOMEM);
    if (tbody_translate_as(b, &body, ir->graph, vals, shapes, n, err) != MO_OK)
        return mo_build_status(b);
    /* the next condition, on the body's results */
    struct mo_value *next = mo_graph_alloc(g, (n + 1) * sizeof *next);
    if (!next)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < n; i++)
        next[i] = result_value(body.results[i]);
    if (tbody_translate(b, &cond, ir->graph, next, n, err) != MO_OK)
        return mo_build_status(b);
    for (unsigned i = 0; i < n; i++) {
        mo_graph_replace_uses(ir->graph, mo_val(cond.params[i], 0), next[i]);
        mo_node_kill(cond.params[i]);
    }
    struct mo_node *go = cond.results[0];
    if (mo_value_et(result_value(go)) != MO_ET_BOOLEAN || mo_value_shape(result_value(go)).rank != 0) {
        /* the condition Result must be a boolean scalar: a Convert and a
         * Reshape inside the body (mo_build makes them in the outer
         * graph, so by hand) */
        char *cn = mo_graph_printf(ir->graph, "%s/cond/bool", mo_build_name(b, NULL));
        char *sn = mo_graph_printf(ir->graph, "%s/cond/shape", mo_build_name(b, NULL));
        char *rn = mo_graph_printf(ir->graph, "%s/cond/scalar", mo_build_name(b, NULL));
        struct mo_node *cv = cn ? mo_op(ir->graph, "Convert", cn, 1, (struct mo_value[]){result_value(go)}, err)
                                : NULL;
        if (cv)
            mo_node_set_str(cv, "destination_type", "boolean");
        struct mo_node *sh = cv && sn ? mo_const_i64(ir->graph, sn, NULL, 0, false, err) : NULL;
        struct mo_node *rs = sh && rn ? mo_op(ir->graph, "Reshape", rn, 2,
                                              (struct mo_value[]){mo_val(cv, 0), mo_val(sh, 0)}, err)
                                      : NULL;
        if (rs)
            mo_node_set_bool(rs, "special_zero", false);
        if (!rs || mo_node_infer(cv, err) != MO_OK || mo_node_infer(rs, err) != MO_OK)
            return mo_build_check(b, err && err->code ? err->code : MO_ERR_NOMEM);
        mo_node_set_input(go, 0, mo_val(rs, 0));
        mo_build_check(b, mo_node_infer(go, err));
    }
    unsigned k = 0;
    for (unsigned i = 0; i < n && mo_build_ok(b); i++) {
        mo_build_check(b, mo_body_input(ir, 2 + i, body.params[i], NULL, err));
        if (result_value(body.results[i]).node == body.params[i]) {
            /* an invariant: the same value after the loop as before */
            if (i < fw->n_outputs)
                mo_build_output(b, i, vals[i]);
            continue;
        }
        mo_build_check(b, mo_body_back_edge(ir, body.results[i], body.params[i], err));
        mo_build_check(b, mo_body_output(ir, body.results[i], k, NULL, err));
        if (i < fw->n_outputs)
            mo_build_output(b, i, mo_val(y.node, k));
        k++;
    }
    if (mo_build_ok(b))
        mo_build_check(b, mo_body_loop_ports(ir, NULL, go, err));
    if (mo_build_ok(b) && !k) {
        /* nothing changes: the loop is only its condition; keep one
         * output so that the Loop is well formed */
        mo_build_check(b, mo_body_output(ir, body.results[0], 0, NULL, err));
    }
    return mo_build_done(b, MO_NO_VALUE);
}

/* --- If / StatelessIf -> If-8 ----------------------------------------------- */

/* Whether a constant predicate holds, as TensorFlow reads one. */
static bool const_true(const struct mo_tensor *t)
{
    int64_t n = mo_tensor_numel(t);
    if (t->shape.rank > 0)
        return n == 1 ? mo_tensor_get_f64(t, 0) != 0 : n > 0;
    return mo_tensor_get_f64(t, 0) != 0;
}

static enum mo_status tr_if(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_graph *g = mo_build_graph(b);
    if (fw->n_inputs < 1)
        return mo_build_fail(b, "it has no predicate");
    unsigned n = fw->n_inputs - 1;
    struct mo_value c = mo_build_in(b, 0, "cond");
    struct mo_value *in = mo_graph_alloc(g, (n + 2) * sizeof *in);
    if (!in)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < n; i++)
        in[1 + i] = mo_build_in(b, 1 + i, NULL);
    struct tbody br[2];
    if (!mo_build_ok(b) || tbody_init(b, 0, &br[0]) != MO_OK || tbody_init(b, 1, &br[1]) != MO_OK)
        return mo_build_status(b);
    unsigned nr = br[0].n_results;
    if (br[1].n_results != nr)
        return mo_build_fail(b, "its branches give %u and %u values", nr, br[1].n_results);
    struct mo_tensor *ct = mo_value_const(c);
    if (ct) {
        /* a constant predicate: the branch taken, in place of the If */
        struct mo_value *out = mo_graph_alloc(g, (nr + 1) * sizeof *out);
        if (!out)
            return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
        if (tbody_inline(b, &br[const_true(ct) ? 0 : 1], g, in + 1, n, out, err) != MO_OK)
            return mo_build_status(b);
        for (unsigned j = 0; j < nr && j < fw->n_outputs; j++)
            mo_build_output(b, j, out[j]);
        return mo_build_done(b, MO_NO_VALUE);
    }
    in[0] = predicate(b, c);
    struct mo_value y = mo_build_opv(b, "If", NULL, n + 1, in);
    for (unsigned k = 0; k < 2 && mo_build_ok(b); k++) {
        struct mo_body *ir = mo_body_add(y.node, err);
        if (!ir)
            return mo_build_check(b, err && err->code ? err->code : MO_ERR_NOMEM);
        if (tbody_translate(b, &br[k], ir->graph, in + 1, n, err) != MO_OK)
            return mo_build_status(b);
        for (unsigned i = 0; i < n && mo_build_ok(b); i++)
            mo_build_check(b, mo_body_input(ir, 1 + i, br[k].params[i], NULL, err));
        for (unsigned j = 0; j < nr && mo_build_ok(b); j++)
            mo_build_check(b, mo_body_output(ir, br[k].results[j], j, NULL, err));
    }
    for (unsigned j = 0; j < nr && j < fw->n_outputs && mo_build_ok(b); j++)
        mo_build_output(b, j, mo_val(y.node, j));
    return mo_build_done(b, MO_NO_VALUE);
}

/* --- TensorLists (tf.TensorArray, Keras RNNs) -------------------------------
 * A TensorList is held as one dense tensor, its items stacked along a new
 * axis 0: reserving is zeros of [n, element_shape...], an item is read by
 * Gather and written by ScatterUpdate, stacking is the tensor itself.  A
 * While carries it as any other loop variable (its shape does not change:
 * every item has the element shape).  A list made without its element
 * shape (a tf.TensorArray without element_shape) takes the one its
 * TensorListStack gives; with neither it is refused at its Reserve. */

/* The element shape a TensorListStack of the list gives (into dims, up to
 * max; -1 when none is found): a tf.TensorArray made without
 * element_shape has it only where it is stacked, after the loop writing
 * it (the While's output of the same index). */
static int stack_shape(const struct mo_node *reserve, int64_t *dims, int max)
{
    struct mo_graph *g = reserve->graph;
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        const struct mo_node *w = mo_graph_node(g, i);
        for (unsigned j = 0; !w->dead && j < w->n_inputs; j++) {
            if (w->inputs[j].node != reserve)
                continue;
            bool loop = !strcmp(w->type, "While") || !strcmp(w->type, "StatelessWhile");
            for (unsigned k = 0; k < mo_graph_n_nodes(g); k++) {
                const struct mo_node *s = mo_graph_node(g, k);
                if (s->dead || strcmp(s->type, "TensorListStack") || s->n_inputs < 2)
                    continue;
                struct mo_value in = s->inputs[0];
                while (in.node && !strcmp(in.node->type, "Identity") && in.node->n_inputs)
                    in = in.node->inputs[0];     /* a lowered loop's Exit */
                bool ours = loop ? in.node == w && in.port == j : s == w;
                struct mo_tensor *t = ours ? mo_node_const_input(s, 1) : NULL;
                if (!t || t->shape.rank != 1 || mo_tensor_numel(t) > max)
                    continue;
                int n = (int)mo_tensor_numel(t);
                bool known = true;
                for (int d = 0; d < n; d++)
                    known &= (dims[d] = mo_tensor_get_i64(t, d)) >= 0;
                if (known)
                    return n;
            }
        }
    }
    return -1;
}

static enum mo_status tr_list_reserve(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    char q[16];
    int dt = (int)mo_node_get_int(fw, "element_dtype", 0, NULL);
    enum mo_etype et = mo_tf_etype(dt);
    if (et == MO_ET_UNDEFINED)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 10, "a TensorList of %s, which the IR cannot hold",
                              mo_tf_dtype_name(dt, q));
    int64_t dims[MO_MAX_RANK];
    int nd = mo_tf_const_ints(b, 0, dims, MO_MAX_RANK);
    struct mo_tensor *es = mo_value_const(mo_build_in(b, 0, "element_shape"));
    bool known = nd >= 0 && es && es->shape.rank == 1;
    for (int i = 0; known && i < nd; i++)
        known = dims[i] >= 0;
    int64_t sdims[MO_MAX_RANK];
    int ns = known ? -1 : stack_shape(fw, sdims, MO_MAX_RANK);
    if (ns >= 0) {
        memcpy(dims, sdims, (size_t)ns * sizeof *dims);
        nd = ns;
        known = true;
    }
    /* a rank with unknown dims (a Keras RNN traced with a dynamic batch:
     * [-1, units]): those dims start as 1, zeros that TensorListSetItem
     * broadcasts to its item's size on the first write (tr_list_set) */
    bool rank_known = nd >= 0 && es && es->shape.rank == 1 && !(nd == 1 && dims[0] == -1);
    if (!known && rank_known) {
        for (int i = 0; i < nd; i++)
            if (dims[i] < 0)
                dims[i] = 1;
        known = true;
    }
    if (!known)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "a TensorList whose element shape is not known when it "
                              "is made (element_shape -1: not even its rank) is not supported; give the "
                              "tf.TensorArray its element_shape");
    struct mo_value n = mo_build_reshape(b, "num_elements/1d", mo_tf_in_i64(b, 1, "num_elements"),
                                         (int64_t[]){1}, 1, false);
    struct mo_value shape = mo_build_concat(b, "shape", 0, 2, (struct mo_value[]){n, mo_build_i64(b, "element_shape",
                                                                                                  dims, (size_t)nd)});
    struct mo_value zero = mo_build_scalar(b, "zero", et, 0.0);
    return mo_build_done(b, mo_build_op(b, "Broadcast", NULL, 2, zero, shape));
}

/* TensorListFromTensor, TensorListStack: the dense tensor itself. */
static enum mo_status tr_list_same(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    return mo_build_done(b, mo_build_in(b, 0, "tensor"));
}

static enum mo_status tr_list_get(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value l = mo_build_in(b, 0, "input_handle");
    struct mo_value i = mo_build_reshape(b, "index/scalar", mo_tf_in_i64(b, 1, "index"), NULL, 0, false);
    return mo_build_done(b, mo_build_gather(b, NULL, l, i, 0));
}

static enum mo_status tr_list_set(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value l = mo_build_in(b, 0, "input_handle");
    struct mo_value i = mo_build_reshape(b, "index/1d", mo_tf_in_i64(b, 1, "index"), (int64_t[]){1}, 1, false);
    struct mo_value v = mo_build_unsqueeze(b, "item/1", mo_build_in(b, 2, "item"), (int64_t[]){0}, 1);
    struct mo_value axis = mo_build_i64_scalar(b, "axis", 0);
    /* a list made with size-1 stand-ins for unknown dims (tr_list_reserve)
     * takes the item's size there: its zeros broadcast, written items
     * already have it */
    struct mo_shape ls = mo_value_shape(l), vs = mo_value_shape(v);
    bool same = ls.rank == vs.rank && ls.rank > 0;
    for (int d = 1; same && d < ls.rank; d++)
        same = ls.dims[d] >= 0 && ls.dims[d] == vs.dims[d];
    if (!same) {
        struct mo_value n = mo_build_slice(b, "list/n", mo_build_shape_of(b, "list/shape", l, MO_ET_I64),
                                           (int64_t[]){0}, (int64_t[]){1}, (int64_t[]){1}, (int64_t[]){0}, 1);
        struct mo_value rest = mo_build_slice(b, "item/dims", mo_build_shape_of(b, "item/shape", v, MO_ET_I64),
                                              (int64_t[]){1}, (int64_t[]){INT64_MAX}, (int64_t[]){1},
                                              (int64_t[]){0}, 1);
        struct mo_value shape = mo_build_concat(b, "list/wide", 0, 2, (struct mo_value[]){n, rest});
        l = mo_build_set_str(b, mo_build_op(b, "Broadcast", "list/widened", 2, l, shape), "mode", "bidirectional");
    }
    return mo_build_done(b, mo_build_op(b, "ScatterUpdate", NULL, 4, l, i, v, axis));
}

static enum mo_status tr_list_length(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value s = mo_build_shape_of(b, "shape", mo_build_in(b, 0, "input_handle"), MO_ET_I32);
    return mo_build_done(b, mo_build_gather(b, NULL, s, mo_build_i64_scalar(b, "first", 0), 0));
}

static enum mo_status tr_list_eshape(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    int dt = (int)mo_node_get_int(fw, "shape_type", 3, NULL);
    enum mo_etype et = mo_tf_etype(dt) == MO_ET_I64 ? MO_ET_I64 : MO_ET_I32;
    struct mo_value l = mo_build_in(b, 0, "input_handle");
    int r = mo_value_shape(l).rank;
    if (r < 1)
        return mo_build_fail(b, "the list's rank is unknown");
    int64_t idx[MO_MAX_RANK];
    for (int k = 1; k < r; k++)
        idx[k - 1] = k;
    struct mo_value s = mo_build_dims(b, "dims", l, idx, r - 1);
    return mo_build_done(b, et == MO_ET_I64 ? s : mo_build_convert(b, NULL, s, et));
}

MO_TF_TABLE(mo_tf_tr_flow,
            {"TensorListReserve", tr_list_reserve, NULL},
            {"TensorListFromTensor", tr_list_same, NULL},
            {"TensorListStack", tr_list_same, NULL},
            {"TensorListGetItem", tr_list_get, NULL},
            {"TensorListSetItem", tr_list_set, NULL},
            {"TensorListLength", tr_list_length, NULL},
            {"TensorListElementShape", tr_list_eshape, NULL},
            {"While", tr_while, NULL},
            {"StatelessWhile", tr_while, NULL},
            {"If", tr_if, NULL},
            {"StatelessIf", tr_if, NULL},
)
