/* act_fuse.c - activations that exporters write out as arithmetic become
 * the IR's single ops again, so the IR is as small as the converters it is
 * compared with and the runtime picks its fused kernels:
 *  - Swish:  x * Sigmoid(x)                                  -> Swish(x)
 *  - GELU:   x * 0.5 * (1 + Erf(x / sqrt(2)))  (any grouping
 *            of the three factors; x * (1/sqrt(2)) also)     -> Gelu(x), ERF
 * Only where every inner node feeds nothing else, so no value the graph
 * still needs disappears.  Both rewrites compute the same function (the
 * runtime's Gelu in ERF mode is the erf formula). */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "passes.h"

struct ctx {
    struct mo_graph *g;
    unsigned *uses;     /* by node id: inputs of live nodes reading any of its outputs */
    unsigned n;         /* nodes counted (those made by the pass are not) */
};

static bool single_use(const struct ctx *c, const struct mo_node *n)
{
    return n && !n->dead && n->id < c->n && c->uses[n->id] == 1;
}

static bool same_value(struct mo_value a, struct mo_value b)
{
    return a.node == b.node && a.port == b.port;
}

/* The value of a one-element float Const feeding input i of n. */
static bool scalar_in(const struct mo_node *n, unsigned i, double *v)
{
    struct mo_tensor *t = i < n->n_inputs ? mo_node_const_input(n, i) : NULL;
    if (!t || mo_tensor_numel(t) != 1 || !mo_etype_is_float(t->et))
        return false;
    *v = mo_tensor_get_f64(t, 0);
    return true;
}

static bool near(double a, double b)
{
    return fabs(a - b) <= 1e-6 * fabs(b);
}

/* n = x * Sigmoid(x), either order: x. */
static bool match_swish(const struct ctx *c, const struct mo_node *n, struct mo_value *x)
{
    if (!mo_pass_is(n, "Multiply") || n->n_inputs != 2)
        return false;
    for (unsigned k = 0; k < 2; k++) {
        struct mo_node *s = n->inputs[k].node;
        if (s && mo_pass_is(s, "Sigmoid") && single_use(c, s) && same_value(s->inputs[0], n->inputs[1 - k])) {
            *x = n->inputs[1 - k];
            return true;
        }
    }
    return false;
}

/* 1 + Erf(x / sqrt 2) (or x * (1 / sqrt 2)), single use all along: x. */
static bool match_erf_term(const struct ctx *c, struct mo_value v, struct mo_value *x)
{
    struct mo_node *add = v.node;
    double one;
    if (!add || !mo_pass_is(add, "Add") || !single_use(c, add))
        return false;
    for (unsigned k = 0; k < 2; k++) {
        struct mo_node *erf = add->inputs[k].node;
        if (!scalar_in(add, 1 - k, &one) || !near(one, 1.0) || !erf || !mo_pass_is(erf, "Erf") ||
            !single_use(c, erf))
            continue;
        struct mo_node *sc = erf->inputs[0].node;
        double d;
        if (!sc || !single_use(c, sc))
            return false;
        if (mo_pass_is(sc, "Divide") && scalar_in(sc, 1, &d) && near(d, sqrt(2.0))) {
            *x = sc->inputs[0];
            return true;
        }
        if (mo_pass_is(sc, "Multiply"))
            for (unsigned j = 0; j < 2; j++)
                if (scalar_in(sc, 1 - j, &d) && near(d, 1.0 / sqrt(2.0))) {
                    *x = sc->inputs[j];
                    return true;
                }
        return false;
    }
    return false;
}

/* The factors of a product tree rooted at n (n itself may have any number
 * of users; inner Multiplys a single one), at most 3. */
static unsigned factors(const struct ctx *c, const struct mo_node *n, struct mo_value *f, unsigned nf,
                        bool root)
{
    if (nf > 3)
        return nf;
    if (!mo_pass_is(n, "Multiply") || n->n_inputs != 2 || (!root && !single_use(c, n)))
        return nf;
    for (unsigned k = 0; k < 2 && nf <= 3; k++) {
        struct mo_node *in = n->inputs[k].node;
        if (in && mo_pass_is(in, "Multiply") && single_use(c, in)) {
            nf = factors(c, in, f, nf, false);
        } else {
            if (nf == 3)
                return 4;
            f[nf++] = n->inputs[k];
        }
    }
    return nf;
}

/* n = x * 0.5 * (1 + Erf(x / sqrt 2)) in any grouping: x. */
static bool match_gelu(const struct ctx *c, const struct mo_node *n, struct mo_value *x)
{
    struct mo_value f[4];
    if (factors(c, n, f, 0, true) != 3)
        return false;
    for (unsigned e = 0; e < 3; e++) {
        struct mo_value ex;
        if (!match_erf_term(c, f[e], &ex))
            continue;
        /* the other two: ex itself and the constant 0.5 */
        unsigned a = (e + 1) % 3, b = (e + 2) % 3;
        for (int s = 0; s < 2; s++, a ^= b, b ^= a, a ^= b) {
            struct mo_tensor *t = f[b].node ? f[b].node->value : NULL;
            if (same_value(f[a], ex) && f[b].node && mo_pass_is(f[b].node, "Const") && t &&
                mo_tensor_numel(t) == 1 && mo_etype_is_float(t->et) && near(mo_tensor_get_f64(t, 0), 0.5)) {
                *x = ex;
                return true;
            }
        }
        return false;
    }
    return false;
}

static enum mo_status replace(struct ctx *c, struct mo_node *n, const char *type, struct mo_value x,
                              struct mo_error *err)
{
    const char *name = n->name;
    n->name = mo_graph_printf(c->g, "%s/unfused", name);
    struct mo_node *r = mo_op(c->g, type, name, 1, &x, err);
    if (!r || !n->name)
        return err && err->code ? err->code : MO_ERR_NOMEM;
    r->origin = n->origin;
    if (!strcmp(type, "Gelu") && mo_node_set_str(r, "approximation_mode", "ERF") != MO_OK)
        return MO_ERR_NOMEM;
    enum mo_status st = mo_node_infer(r, err);
    if (st != MO_OK)
        return st;
    mo_pass_replace(c->g, mo_val(n, 0), mo_val(r, 0));
    mo_node_kill(n);
    return MO_OK;
}

enum mo_status mo_pass_act_fuse(struct mo_graph *g, struct mo_pass_stats *st, struct mo_error *err)
{
    unsigned n = 0;
    struct ctx c = {g, mo_pass_count_uses(g, &n), 0};
    if (!c.uses)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    c.n = n;
    enum mo_status rc = MO_OK;
    /* only the nodes there were at the start: new ones match nothing */
    for (unsigned i = 0; i < n && rc == MO_OK; i++) {
        struct mo_node *m = mo_graph_node(g, i);
        struct mo_value x;
        if (m->dead || !mo_pass_is(m, "Multiply") || !mo_etype_is_float(m->outputs[0].et))
            continue;
        if (match_swish(&c, m, &x)) {
            rc = replace(&c, m, "Swish", x, err);
            mo_pass_stats_add(st, "activation_fusing", "Swish", 1);
        } else if (match_gelu(&c, m, &x)) {
            rc = replace(&c, m, "Gelu", x, err);
            mo_pass_stats_add(st, "activation_fusing", "Gelu", 1);
        }
    }
    free(c.uses);
    return rc;
}
