/* linear_fuse.c - folds per-channel Multiply/Divide/Add/Subtract by
 * constants into the weights and bias of Convolution, GroupConvolution,
 * ConvolutionBackpropData, GroupConvolutionBackpropData and MatMul.
 *
 * After the op:   op -> Mul(s)            => op(W*s)
 *                 op -> Add(b) -> Mul(s)  => op(W*s) -> Add(b*s)
 *                 op -> Add(b1) -> Add(b2)=> op -> Add(b1+b2)
 *                 op -> Sub(b)            => op -> Add(-b)
 * Before the op:  Mul(s) -> op            => op(W scaled on its input channels)
 *                 Add(b) -> op            => op -> Add(sum W*b), only where
 *                 the op does not pad (padding would see b where it sees 0).
 * That covers BatchNorm decomposed by translators (x*scale + shift) and
 * ScaleShift-like pairs, and the preprocessing's mean and scale.  A
 * BatchNormInference a frontend kept whole (Paddle) is first decomposed the
 * same way when its parameters are constants, as the original does before
 * fusing.  Names matching --finegrain_fusing are left alone. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "passes.h"
#include "uses.h"

enum lin_kind { L_NONE, L_CONV, L_GCONV, L_DECONV, L_GDECONV, L_MATMUL };

static enum lin_kind kind_of(const struct mo_node *n)
{
    if (mo_pass_is(n, "Convolution"))
        return L_CONV;
    if (mo_pass_is(n, "GroupConvolution"))
        return L_GCONV;
    if (mo_pass_is(n, "ConvolutionBackpropData"))
        return L_DECONV;
    if (mo_pass_is(n, "GroupConvolutionBackpropData"))
        return L_GDECONV;
    if (mo_pass_is(n, "MatMul"))
        return L_MATMUL;
    return L_NONE;
}

/* A linear op whose weights (input 1) are a float Const of the expected rank. */
static enum lin_kind linear_op(const struct mo_node *n)
{
    enum lin_kind k = kind_of(n);
    if (k == L_NONE || n->n_inputs < 2 || !mo_pass_is_const(n->inputs[1].node))
        return L_NONE;
    const struct mo_tensor *w = n->inputs[1].node->value;
    if (!mo_etype_is_float(w->et) || !mo_etype_is_float(n->outputs[0].et))
        return L_NONE;
    if (k == L_MATMUL) {
        if (w->shape.rank != 2 || mo_node_get_bool(n, "transpose_a", false, NULL))
            return L_NONE;
    } else if (w->shape.rank < 3) {
        return L_NONE;
    }
    return k;
}

/* Output / input channel counts and the channel of weight element e. */
struct wmap {
    enum lin_kind k;
    int64_t d[MO_MAX_RANK];
    int rank;
    int64_t K;       /* spatial block */
    bool tb;
};

static void wmap_init(struct wmap *m, enum lin_kind k, const struct mo_node *op)
{
    const struct mo_tensor *w = op->inputs[1].node->value;
    m->k = k;
    m->rank = w->shape.rank;
    memcpy(m->d, w->shape.dims, sizeof m->d);
    int sp0 = (k == L_GCONV || k == L_GDECONV) ? 3 : 2;
    m->K = 1;
    for (int i = sp0; i < m->rank && k != L_MATMUL; i++)
        m->K *= m->d[i];
    m->tb = k == L_MATMUL && mo_node_get_bool(op, "transpose_b", false, NULL);
}

/* Where the per-channel factors of output (out) or input channels fall in
 * the flat weight tensor (mo_chan_of gives an element's channel). */
static struct mo_chan_map chan_map(const struct wmap *m, bool out)
{
    int64_t K = m->K;
    switch (m->k) {
    case L_CONV: /* [O, I, k] */
        return out ? (struct mo_chan_map){m->d[1] * K, m->d[0], 1, 1}
                   : (struct mo_chan_map){K, m->d[1], 1, 1};
    case L_GCONV: /* [G, O, I, k] */
        return out ? (struct mo_chan_map){m->d[2] * K, m->d[0] * m->d[1], 1, 1}
                   : (struct mo_chan_map){K, m->d[2], m->d[1] * m->d[2] * K, m->d[0]};
    case L_DECONV: /* [I, O, k] */
        return out ? (struct mo_chan_map){K, m->d[1], 1, 1}
                   : (struct mo_chan_map){m->d[1] * K, m->d[0], 1, 1};
    case L_GDECONV: /* [G, I, O, k] */
        return out ? (struct mo_chan_map){K, m->d[2], m->d[1] * m->d[2] * K, m->d[0]}
                   : (struct mo_chan_map){m->d[2] * K, m->d[0] * m->d[1], 1, 1};
    case L_MATMUL: /* [O, I] with transpose_b, else [I, O] */
        if (m->tb)
            return out ? (struct mo_chan_map){m->d[1], m->d[0], 1, 1}
                       : (struct mo_chan_map){1, m->d[1], 1, 1};
        return out ? (struct mo_chan_map){1, m->d[1], 1, 1} : (struct mo_chan_map){m->d[1], m->d[0], 1, 1};
    default:
        return (struct mo_chan_map){1, 1, 1, 1};
    }
}

/* How many output (out) or input channels the weights have. */
static int64_t n_chan(const struct wmap *m, bool out)
{
    struct mo_chan_map c = chan_map(m, out);
    return c.n * c.groups;
}

/* Channel axis of the op's output (or of its data input): 1 for the
 * convolutions, the last one for MatMul. */
static int chan_axis(enum lin_kind k, int rank)
{
    return k == L_MATMUL ? rank - 1 : 1;
}

/* op's weights times v per output (out) or input channel.  The product is
 * lazy: the writer computes it while streaming the .bin, so the weights are
 * neither copied nor held.  A weights node read by other ops too is
 * duplicated for this one. */
static enum mo_status scale_weights(struct mo_graph *g, struct mo_uses *u, struct mo_node *op, const struct wmap *wm,
                                    bool out, const double *v, struct mo_error *err)
{
    struct mo_node *c = op->inputs[1].node;
    struct mo_chan_map map = chan_map(wm, out);
    struct mo_tensor *w = mo_tensor_scaled(c->value, &map, v, NULL, err);
    if (!w)
        return err && err->code ? err->code : MO_ERR_NOMEM;
    if (mo_uses_count(u, mo_val(c, 0)) > 1) {
        struct mo_node *nc = mo_const(g, mo_graph_printf(g, "%s/fused_weights", op->name), w, err);
        if (!nc)
            return err && err->code ? err->code : MO_ERR_NOMEM;
        mo_uses_set_input(u, op, 1, mo_val(nc, 0));
        return MO_OK;
    }
    mo_tensor_unref(c->value);
    c->value = w;
    return MO_OK;
}

static bool skipped(const regex_t *skip, const struct mo_node *n)
{
    return skip && regexec(skip, n->name, 0, NULL, 0) == 0;
}

/* The const operand of an elementwise node and the other input's port, or
 * -1.  Subtract and Divide only take their constant on the right. */
static int const_operand(const struct mo_node *n, int *data_port)
{
    if (n->n_inputs != 2)
        return -1;
    bool comm = mo_pass_is(n, "Multiply") || mo_pass_is(n, "Add");
    bool right = comm || mo_pass_is(n, "Subtract") || mo_pass_is(n, "Divide");
    if (!right)
        return -1;
    if (mo_pass_is_const(n->inputs[1].node) && !mo_pass_is_const(n->inputs[0].node)) {
        *data_port = 0;
        return 1;
    }
    if (comm && mo_pass_is_const(n->inputs[0].node) && !mo_pass_is_const(n->inputs[1].node)) {
        *data_port = 1;
        return 0;
    }
    return -1;
}

/* Per-channel factors of elementwise node n along axis of its output,
 * turned into a multiplier (Divide -> 1/s) or an addend (Subtract -> -b). */
static bool factors(const struct mo_node *n, int cport, int dport, int axis, int64_t c, double *v)
{
    const struct mo_output *o = &n->outputs[0];
    const struct mo_output *d = mo_node_in(n, (unsigned)dport);
    if (!d || !mo_shape_equal(&d->shape, &o->shape) || d->et != o->et)
        return false;
    if (!mo_pass_per_channel(n->inputs[cport].node->value, o->shape.rank, axis, c, v))
        return false;
    for (int64_t i = 0; i < c; i++) {
        if (mo_pass_is(n, "Divide"))
            v[i] = 1.0 / v[i];
        else if (mo_pass_is(n, "Subtract"))
            v[i] = -v[i];
    }
    return true;
}

static bool is_mul(const struct mo_node *n) { return mo_pass_is(n, "Multiply") || mo_pass_is(n, "Divide"); }
static bool is_add(const struct mo_node *n) { return mo_pass_is(n, "Add") || mo_pass_is(n, "Subtract"); }

/* A bias Add: const per-channel addend of a linear op's output. */
static struct mo_node *bias_const(struct mo_graph *g, struct mo_node *like, const char *name,
                                  const double *b, int64_t c, int rank, int axis,
                                  struct mo_error *err)
{
    struct mo_shape s = {.rank = rank};
    for (int i = 0; i < rank; i++)
        s.dims[i] = 1;
    s.dims[axis] = c;
    return mo_pass_const(g, name, like->outputs[0].et, &s, b, err);
}

static bool no_padding(const struct mo_node *op)
{
    const char *ap = mo_node_get_str(op, "auto_pad", "explicit");
    if (!strcmp(ap, "valid"))
        return true;
    if (strcmp(ap, "explicit") != 0 && strcmp(ap, "notset") != 0)
        return false;
    int64_t p[MO_MAX_RANK];
    int n = mo_node_get_ints(op, "pads_begin", p, MO_MAX_RANK);
    for (int i = 0; i < n; i++)
        if (p[i])
            return false;
    n = mo_node_get_ints(op, "pads_end", p, MO_MAX_RANK);
    for (int i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* Try every rule on elementwise node m; true when something changed. */
/* b[out] += sum over the weights w[e] * v[in]: a shift before the op as a
 * bias after it.  The weights are read a chunk at a time (through any lazy
 * scale) and their pages given back, so large weights are never resident. */
static enum mo_status input_shift(const struct mo_tensor *w, const struct wmap *wm, const double *v,
                                  double *b, struct mo_error *err)
{
    enum { STEP = 16384 };
    int64_t ne = mo_tensor_numel(w), cn = ne < STEP ? ne : STEP;
    struct mo_shape s = mo_shape_make(1, &cn);
    struct mo_tensor *chunk = mo_tensor_new(w->et, &s, err);
    if (!chunk)
        return err && err->code ? err->code : MO_ERR_NOMEM;
    struct mo_chan_map out = chan_map(wm, true), in = chan_map(wm, false);
    enum mo_status rc = MO_OK;
    for (int64_t e0 = 0; e0 < ne && rc == MO_OK; e0 += STEP) {
        int64_t m = ne - e0 < STEP ? ne - e0 : STEP;
        rc = mo_tensor_read(w, e0, m, chunk->owned, err);
        for (int64_t k = 0; k < m && rc == MO_OK; k++)
            b[mo_chan_of(&out, e0 + k)] += mo_tensor_get_f64(chunk, k) * v[mo_chan_of(&in, e0 + k)];
        mo_tensor_drop_range(w, e0, m);
    }
    mo_tensor_unref(chunk);
    return rc;
}

static bool fuse_one(struct mo_graph *g, struct mo_uses *u, struct mo_node *m, const regex_t *skip,
                     struct mo_pass_stats *st, double *v, struct mo_error *err, enum mo_status *rc)
{
    int dport, cport = const_operand(m, &dport);
    if (cport < 0 || skipped(skip, m) || !mo_etype_is_float(m->outputs[0].et))
        return false;
    struct mo_value x = m->inputs[dport];
    struct mo_node *p = x.node;
    int rank = m->outputs[0].shape.rank;

    /* after the op, maybe behind its bias Add */
    struct mo_node *op = p, *bias = NULL;
    if (is_add(p) && !linear_op(p)) {
        int bd, bc = const_operand(p, &bd);
        if (bc >= 0 && mo_pass_is(p, "Add") && mo_uses_count(u, mo_val(p, 0)) == 1) {
            bias = p;
            op = p->inputs[bd].node;
        }
    }
    enum lin_kind k = linear_op(op);
    if (k != L_NONE && !skipped(skip, op) && mo_uses_count(u, mo_val(op, 0)) == 1 &&
        mo_uses_count(u, x) == 1) {
        struct wmap wm;
        wmap_init(&wm, k, op);
        int64_t c = n_chan(&wm, true);
        int axis = chan_axis(k, rank);
        if (c > 0 && c <= 65536 && rank > axis && m->outputs[0].shape.dims[axis] == c &&
            factors(m, cport, dport, axis, c, v)) {
            if (is_mul(m)) {
                *rc = scale_weights(g, u, op, &wm, true, v, err);
                if (*rc != MO_OK)
                    return false;
                if (bias) {
                    int bd, bc = const_operand(bias, &bd);
                    double *b = malloc((size_t)c * sizeof *b);
                    if (!b || !mo_pass_per_channel(bias->inputs[bc].node->value, rank, axis, c, b)) {
                        free(b);
                        return false; /* unreachable for a checked bias; keeps the graph valid */
                    }
                    for (int64_t i = 0; i < c; i++)
                        b[i] *= v[i];
                    struct mo_node *nb = bias_const(g, bias, mo_graph_printf(g, "%s/fused_bias", bias->name),
                                                    b, c, rank, axis, err);
                    free(b);
                    if (!nb) {
                        *rc = err ? err->code : MO_ERR_NOMEM;
                        return false;
                    }
                    mo_uses_set_input(u, bias, bc, mo_val(nb, 0));
                }
                mo_uses_replace(u, mo_val(m, 0), x);
                mo_uses_kill(u, m);
                mo_pass_stats_add(st, "linear_fusing", "multiply_into_weights", 1);
                return true;
            }
            if (bias) {
                /* two addends in a row become one */
                int bd, bc = const_operand(bias, &bd);
                double *b = malloc((size_t)c * sizeof *b);
                if (!b || !mo_pass_per_channel(bias->inputs[bc].node->value, rank, axis, c, b)) {
                    free(b);
                    return false;
                }
                for (int64_t i = 0; i < c; i++)
                    b[i] += v[i];
                struct mo_node *nb = bias_const(g, bias, mo_graph_printf(g, "%s/fused_bias", bias->name), b,
                                                c, rank, axis, err);
                free(b);
                if (!nb) {
                    *rc = err ? err->code : MO_ERR_NOMEM;
                    return false;
                }
                mo_uses_set_input(u, bias, bc, mo_val(nb, 0));
                mo_uses_replace(u, mo_val(m, 0), x);
                mo_uses_kill(u, m);
                mo_pass_stats_add(st, "linear_fusing", "add_into_bias", 1);
                return true;
            }
            if (mo_pass_is(m, "Subtract")) {
                /* op -> Sub(b) is op -> Add(-b): the bias form */
                struct mo_node *nb = bias_const(g, m, mo_graph_printf(g, "%s/negated", m->name), v, c, rank,
                                                axis, err);
                struct mo_node *add = nb ? mo_op(g, "Add", m->name, 2,
                                                 (struct mo_value[]){x, mo_val(nb, 0)}, err) : NULL;
                if (!add) {
                    *rc = err ? err->code : MO_ERR_NOMEM;
                    return false;
                }
                mo_uses_track(u, add);
                add->origin = m->origin;
                mo_uses_kill(u, m);
                add->outputs[0] = m->outputs[0];
                mo_uses_replace(u, mo_val(m, 0), mo_val(add, 0));
                mo_pass_stats_add(st, "linear_fusing", "subtract_to_bias", 1);
                return true;
            }
        }
    }

    /* before the op: m's only consumer reads it as data */
    unsigned port;
    struct mo_node *user = mo_uses_only(u, mo_val(m, 0), &port);
    k = linear_op(user);
    if (k == L_NONE || port != 0 || skipped(skip, user) || m->outputs[0].n_names)
        return false;
    struct wmap wm;
    wmap_init(&wm, k, user);
    int64_t c = n_chan(&wm, false);
    int axis = chan_axis(k, rank);
    if (c <= 0 || c > 65536 || rank <= axis || m->outputs[0].shape.dims[axis] != c ||
        !factors(m, cport, dport, axis, c, v))
        return false;
    if (is_mul(m)) {
        *rc = scale_weights(g, u, user, &wm, false, v, err);
        if (*rc != MO_OK)
            return false;
        mo_uses_set_input(u, user, 0, x);
        mo_uses_kill(u, m);
        mo_pass_stats_add(st, "linear_fusing", "input_scale_into_weights", 1);
        return true;
    }
    /* an addend before the op becomes a bias after it, when nothing pads */
    if (k == L_DECONV || k == L_GDECONV || (k != L_MATMUL && !no_padding(user)))
        return false;
    int64_t co = n_chan(&wm, true);
    double *b = calloc((size_t)co, sizeof *b);
    if (!b) {
        *rc = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return false;
    }
    *rc = input_shift(user->inputs[1].node->value, &wm, v, b, err);
    if (*rc != MO_OK) {
        free(b);
        return false;
    }
    int orank = user->outputs[0].shape.rank;
    struct mo_node *nb = bias_const(g, user, mo_graph_printf(g, "%s/input_shift", user->name), b, co, orank,
                                    chan_axis(k, orank), err);
    free(b);
    struct mo_node *add = nb ? mo_op(g, "Add", mo_graph_printf(g, "%s/input_shift_add", user->name), 2,
                                     (struct mo_value[]){mo_val(user, 0), mo_val(nb, 0)}, err) : NULL;
    if (!add) {
        *rc = err ? err->code : MO_ERR_NOMEM;
        return false;
    }
    mo_uses_track(u, add);
    add->origin = user->origin;
    add->outputs[0] = user->outputs[0];
    mo_uses_replace(u, mo_val(user, 0), mo_val(add, 0));
    user->outputs[0].names = NULL;
    user->outputs[0].n_names = 0;
    mo_uses_set_input(u, user, 0, x);
    mo_uses_kill(u, m);
    mo_pass_stats_add(st, "linear_fusing", "input_shift_into_bias", 1);
    return true;
}

/* BatchNormInference(x, gamma, beta, mean, var) with constant parameters
 * -> x * s + b, s = gamma / sqrt(var + eps), b = beta - mean * s, both
 * [1, C, 1...] constants, so the rules below fold it into a neighbour. */
static enum mo_status decompose_bn(struct mo_graph *g, struct mo_uses *u, struct mo_node *n, const regex_t *skip,
                                   struct mo_pass_stats *st, struct mo_error *err, bool *done)
{
    *done = false;
    if (!mo_pass_is(n, "BatchNormInference") || n->n_inputs != 5 || skipped(skip, n))
        return MO_OK;
    const struct mo_output *o = &n->outputs[0];
    int rank = o->shape.rank;
    if (rank < 2 || rank > MO_MAX_RANK || o->shape.dims[1] < 1 || !mo_etype_is_float(o->et))
        return MO_OK;
    int64_t c = o->shape.dims[1];
    for (unsigned i = 1; i < 5; i++) {
        const struct mo_node *k = n->inputs[i].node;
        if (!mo_pass_is_const(k) || !mo_etype_is_float(k->value->et) ||
            mo_tensor_numel(k->value) != c)
            return MO_OK;
    }
    double eps = mo_node_get_float(n, "epsilon", 1e-5, NULL);
    double *sv = malloc(2 * (size_t)c * sizeof *sv);
    if (!sv)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    double *bv = sv + c;
    for (int64_t i = 0; i < c; i++) {
        double gamma = mo_tensor_get_f64(n->inputs[1].node->value, i);
        double beta = mo_tensor_get_f64(n->inputs[2].node->value, i);
        double mean = mo_tensor_get_f64(n->inputs[3].node->value, i);
        double var = mo_tensor_get_f64(n->inputs[4].node->value, i);
        sv[i] = gamma / sqrt(var + eps);
        bv[i] = beta - mean * sv[i];
    }
    struct mo_shape s = {.rank = rank};
    for (int d = 0; d < rank; d++)
        s.dims[d] = d == 1 ? c : 1;
    enum mo_status rc = MO_ERR_NOMEM;
    struct mo_node *sk = mo_pass_const(g, mo_graph_printf(g, "%s/scale", n->name), o->et, &s, sv, err);
    struct mo_node *bk = sk ? mo_pass_const(g, mo_graph_printf(g, "%s/shift", n->name), o->et, &s, bv, err)
                            : NULL;
    struct mo_node *mul = bk ? mo_op(g, "Multiply", mo_graph_printf(g, "%s/mul", n->name), 2,
                                     (struct mo_value[]){n->inputs[0], mo_val(sk, 0)}, err)
                             : NULL;
    struct mo_node *add = mul ? mo_op(g, "Add", mo_graph_printf(g, "%s/add", n->name), 2,
                                      (struct mo_value[]){mo_val(mul, 0), mo_val(bk, 0)}, err)
                              : NULL;
    free(sv);
    if (!add)
        return err && err->code != MO_OK ? err->code : rc;
    mo_uses_track(u, mul);
    mo_uses_track(u, add);
    mo_uses_replace(u, mo_val(n, 0), mo_val(add, 0));
    mo_uses_kill(u, n);
    mo_pass_stats_add(st, "linear_fusing", "batchnorm_decomposed", 1);
    *done = true;
    return MO_OK;
}

enum mo_status mo_pass_linear_fuse(struct mo_graph *g, const regex_t *skip,
                                   struct mo_pass_stats *st, struct mo_error *err)
{
    enum mo_status rc = MO_OK;
    double *v = malloc(65536 * sizeof *v);
    struct mo_uses *u = v ? mo_uses_new(g) : NULL;
    if (!u) {
        free(v);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    bool any_bn = false;
    for (unsigned i = 0; rc == MO_OK && i < mo_graph_n_nodes(g); i++) {
        bool done;
        rc = decompose_bn(g, u, mo_graph_node(g, i), skip, st, err, &done);
        any_bn |= done;
    }
    if (rc == MO_OK && any_bn)
        rc = mo_pass_reinfer(g, err);
    /* rules expose new matches (Add+Add after Mul folding), so repeat */
    for (int round = 0; round < 16 && rc == MO_OK; round++) {
        bool changed = false;
        struct mo_node **order;
        unsigned cnt;
        rc = mo_graph_topo(g, &order, &cnt, err);
        for (unsigned i = 0; rc == MO_OK && i < cnt; i++) {
            struct mo_node *m = order[i];
            if (m->dead || !(is_mul(m) || is_add(m)))
                continue;
            changed |= fuse_one(g, u, m, skip, st, v, err, &rc);
        }
        /* once a round, not after every fold: a fold keeps every shape
         * (new nodes are made with theirs), and re-inferring the whole
         * graph after each of a ResNet's hundreds of folds was quadratic */
        if (rc == MO_OK && changed)
            rc = mo_pass_reinfer(g, err);
        if (!changed)
            break;
    }
    if (rc == MO_OK && mo_uses_failed(u))
        rc = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    mo_uses_free(u);
    free(v);
    return rc;
}
