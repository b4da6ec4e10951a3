/* stride_opt.c - ResNet stride optimization.  A tensor read only by 1x1
 * convolutions with stride s (no padding) is only ever sampled every s-th
 * pixel, so whatever produced it may compute just those pixels: the stride
 * moves up to the producing stride-1 convolution, through elementwise ops,
 * and an input of an elementwise op that cannot take it gets a 1x1 MaxPool
 * with stride s (plain subsampling).  Exact, because a stride-1
 * convolution sampled every s-th output equals the same convolution with
 * stride s: both give ceil(out/s) outputs at the same positions. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "passes.h"
#include "uses.h"

static bool unary(const struct mo_node *n)
{
    static const char *const t[] = {"Relu", "Sigmoid", "Tanh", "Clamp", "Elu", "Abs", "Exp",
                                    "Negative", "Swish", "HSwish", "Mish", "Gelu"};
    for (size_t i = 0; i < MO_COUNT_OF(t); i++)
        if (mo_pass_is(n, t[i]) && n->n_inputs == 1)
            return true;
    return false;
}

static bool binary(const struct mo_node *n)
{
    return mo_pass_is(n, "Add") || mo_pass_is(n, "Multiply") || mo_pass_is(n, "Subtract") ||
           mo_pass_is(n, "Maximum") || mo_pass_is(n, "Minimum");
}

static bool all_ones(const int64_t *v, int n)
{
    for (int i = 0; i < n; i++)
        if (v[i] != 1)
            return false;
    return true;
}

/* A 1x1 convolution without padding; its strides in s. */
static bool conv1x1(const struct mo_node *c, int64_t *s, int nsp)
{
    if (!mo_pass_is(c, "Convolution") || !mo_pass_is_const(c->inputs[1].node))
        return false;
    const struct mo_tensor *w = c->inputs[1].node->value;
    if (w->shape.rank != nsp + 2 || !all_ones(&w->shape.dims[2], nsp))
        return false;
    const char *ap = mo_node_get_str(c, "auto_pad", "explicit");
    int64_t p[MO_MAX_RANK];
    if (strcmp(ap, "valid") != 0) {
        if (strcmp(ap, "explicit") != 0)
            return false;
        int n = mo_node_get_ints(c, "pads_begin", p, MO_MAX_RANK);
        for (int i = 0; i < n; i++)
            if (p[i])
                return false;
        n = mo_node_get_ints(c, "pads_end", p, MO_MAX_RANK);
        for (int i = 0; i < n; i++)
            if (p[i])
                return false;
    }
    return mo_node_get_ints(c, "strides", s, MO_MAX_RANK) == nsp;
}

/* Can the producer of v take stride s?  apply: do it.  A value read by
 * anything else cannot (the others need every pixel). */
static bool push(struct mo_graph *g, struct mo_uses *u, struct mo_value v, const int64_t *s, int nsp,
                 bool apply, int depth, unsigned uses, bool *ok_alloc)
{
    struct mo_node *p = v.node;
    /* Tensor names do not block the move: a tensor a Result reads already
     * fails the reader count, and the name keeps naming the same tensor
     * (now subsampled), as in the original tool.  Frontends name nearly
     * every tensor, so refusing named ones turned the pass off on every
     * real ResNet. */
    if (depth > 64 || mo_uses_count(u, v) != uses)
        return false;
    if (mo_pass_is(p, "Convolution") || mo_pass_is(p, "GroupConvolution")) {
        int64_t st[MO_MAX_RANK];
        if (strcmp(mo_node_get_str(p, "auto_pad", "explicit"), "explicit") != 0 ||
            mo_node_get_ints(p, "strides", st, MO_MAX_RANK) != nsp || !all_ones(st, nsp))
            return false;
        if (apply)
            mo_node_set_ints(p, "strides", s, (size_t)nsp);
        return true;
    }
    if (unary(p))
        return push(g, u, p->inputs[0], s, nsp, apply, depth + 1, 1, ok_alloc);
    if (binary(p) && p->n_inputs == 2) {
        bool any = false;
        const struct mo_shape *os = &p->outputs[0].shape;
        for (unsigned i = 0; i < 2; i++) {
            struct mo_value in = p->inputs[i];
            const struct mo_shape *is = &mo_node_in(p, i)->shape;
            /* a constant broadcast over the spatial dims needs nothing */
            bool flat = is->rank <= os->rank;
            for (int d = 0; d < is->rank && flat; d++)
                flat = os->rank - is->rank + d < 2 || is->dims[d] == 1;
            if (mo_pass_is_const(in.node) && flat)
                continue;
            if (is->rank != os->rank || !mo_shape_equal(is, os))
                return false;
            if (push(g, u, in, s, nsp, false, depth + 1, 1, ok_alloc)) {
                any = true;
                if (apply)
                    push(g, u, in, s, nsp, true, depth + 1, 1, ok_alloc);
            } else if (apply) {
                struct mo_node *mp = mo_op(g, "MaxPool", mo_graph_printf(g, "%s/subsample_%u", p->name, i),
                                           1, &in, NULL);
                int64_t one[MO_MAX_RANK], zero[MO_MAX_RANK] = {0};
                for (int k = 0; k < nsp; k++)
                    one[k] = 1;
                if (!mp || mo_node_set_ints(mp, "kernel", one, (size_t)nsp) ||
                    mo_node_set_ints(mp, "strides", s, (size_t)nsp) ||
                    mo_node_set_ints(mp, "pads_begin", zero, (size_t)nsp) ||
                    mo_node_set_ints(mp, "pads_end", zero, (size_t)nsp)) {
                    *ok_alloc = false;
                    return false;
                }
                mo_uses_track(u, mp);
                mo_uses_set_input(u, p, i, mo_val(mp, 0));
            }
        }
        return any;
    }
    return false;
}

enum mo_status mo_pass_stride_opt(struct mo_graph *g, struct mo_pass_stats *st, struct mo_error *err)
{
    bool ok_alloc = true;
    unsigned n0 = mo_graph_n_nodes(g);
    struct mo_uses *u = mo_uses_new(g);
    struct mo_node **users = malloc((n0 + 1) * sizeof *users);
    enum mo_status rc = MO_OK;
    if (!u || !users) {
        rc = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        goto out;
    }
    for (unsigned i = 0; i < n0; i++) {
        struct mo_node *p = mo_graph_node(g, i);
        if (p->dead || p->n_outputs != 1 || mo_pass_is_const(p) || mo_pass_is(p, "Parameter"))
            continue;
        const struct mo_shape *os = &p->outputs[0].shape;
        int nsp = os->rank - 2;
        if (nsp < 1 || !mo_shape_is_static(os))
            continue;
        /* every reader must be a 1x1 convolution with one same stride > 1 */
        unsigned nu = 0, nr;
        int64_t s[MO_MAX_RANK] = {0};
        bool ok = true;
        const struct mo_use *r = mo_uses_of(u, mo_val(p, 0), &nr);
        for (unsigned j = 0; j < nr && ok; j++) {
            int64_t cs[MO_MAX_RANK];
            ok = r[j].port == 0 && conv1x1(r[j].node, cs, nsp) &&
                 (!nu || !memcmp(cs, s, (size_t)nsp * sizeof s[0]));
            if (ok && !nu)
                memcpy(s, cs, (size_t)nsp * sizeof s[0]);
            if (ok)
                users[nu++] = r[j].node;
        }
        if (!ok || !nu || all_ones(s, nsp))
            continue;
        struct mo_value v = mo_val(p, 0);
        bool can = push(g, u, v, s, nsp, false, 0, nu, &ok_alloc);
        if (can)
            push(g, u, v, s, nsp, true, 0, nu, &ok_alloc);
        if (!ok_alloc || mo_uses_failed(u)) {
            rc = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            goto out;
        }
        if (!can)
            continue;
        int64_t one[MO_MAX_RANK];
        for (int k = 0; k < nsp; k++)
            one[k] = 1;
        for (unsigned k = 0; k < nu; k++)
            mo_node_set_ints(users[k], "strides", one, (size_t)nsp);
        mo_pass_stats_add(st, "stride_optimization", "strides_moved_up", (long)nu);
        if ((rc = mo_pass_reinfer(g, err)) != MO_OK)
            goto out;
    }
out:
    mo_uses_free(u);
    free(users);
    return rc;
}
