/* frames.c - TF1 while loops (control flow v1 frames) as functional Whiles.
 *
 * tf.compat.v1.while_loop, and every TF2 loop a freezing lowers, is a
 * frame: Enter nodes sharing a frame_name bring values in; each loop
 * variable is Merge(Enter, NextIteration) -> Switch(Merge, LoopCond) whose
 * output 0 leaves through an Exit and output 1 feeds the body; the body's
 * value for the next iteration goes to the NextIteration; LoopCond holds
 * the condition, computed from the Merges.  A constant Enter
 * (is_constant) brings a loop invariant.
 *
 * Each outermost frame of a NodeDef list is replaced by one "While" NodeDef
 * whose inputs are the values entering (loop variables, then invariants)
 * and whose cond and body are NodeDef lists (struct mo_tf_frame) in the
 * shape fn_bodies (graph.c) gives a library function: an "@Arg" NodeDef
 * per argument, the nodes, and an IdentityN named after the body whose
 * inputs are its results.  Its Exits become Identities of the While's
 * outputs.  Inner frames stay inside the body and are lowered when that
 * body is built. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tf_load.h"

struct lst {
    MoTf__NodeDef **v;
    size_t n;
};

struct fctx {
    const struct mo_tf_loader *L;
    struct mo_graph *fw;
    MoTf__NodeDef **nodes;
    size_t n;
    struct mo_error *err;
    long *slot;                  /* name hash -> node index, -1 empty */
    size_t cap;
};

static size_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return (size_t)h;
}

static enum mo_status oom(struct fctx *F)
{
    return mo_error_set(F->err, MO_ERR_NOMEM, 0, "out of memory reading '%s'", F->L->what);
}

static const MoTf__AttrValue *attr_of(const MoTf__NodeDef *nd, const char *key)
{
    for (size_t i = 0; i < nd->n_attr; i++)
        if (nd->attr[i]->key && !strcmp(nd->attr[i]->key, key))
            return nd->attr[i]->value;
    return NULL;
}

static bool is_op(const MoTf__NodeDef *nd, const char *op)
{
    return nd->op && !strcmp(nd->op, op);
}

/* The node a reference names (port in *port), or -1. */
static long ref_node(const struct fctx *F, const char *ref, unsigned *port)
{
    if (ref[0] == '^')
        ref++;
    const char *c = strrchr(ref, ':');
    size_t len = c ? (size_t)(c - ref) : strlen(ref);
    *port = c ? (unsigned)strtoul(c + 1, NULL, 10) : 0;
    for (size_t h = hash(ref, len) & (F->cap - 1);; h = (h + 1) & (F->cap - 1)) {
        long i = F->slot[h];
        if (i < 0)
            return -1;
        if (strlen(F->nodes[i]->name) == len && !memcmp(F->nodes[i]->name, ref, len))
            return i;
    }
}

/* The first data input of node i, as a node index. */
static long data_in(const struct fctx *F, size_t i, unsigned k, unsigned *port)
{
    const MoTf__NodeDef *nd = F->nodes[i];
    for (size_t j = 0, d = 0; j < nd->n_input; j++)
        if (nd->input[j][0] != '^' && d++ == k)
            return ref_node(F, nd->input[j], port);
    return -1;
}

static bool frame_is(const MoTf__NodeDef *nd, const char *frame)
{
    const MoTf__AttrValue *a = attr_of(nd, "frame_name");
    return a && a->value_case == MO_TF__ATTR_VALUE__VALUE_S && strlen(frame) == a->s.len &&
           !memcmp(a->s.data, frame, a->s.len);
}

/* One frame: its loop variables (Merge, Switch, NextIteration, Enter) and
 * invariants (constant Enters). */
struct frame {
    const char *name;
    size_t nv, nc;
    long *merge, *sw, *next, *enter, *center;
    long loopcond;
    unsigned char *region;       /* nodes belonging to the frame */
};

/* Mark in region what computing node i needs, up to the stops (stop[k]
 * set: node k is an argument).  Iterative: a body can be a long chain. */
static void walk(const struct fctx *F, size_t i, const unsigned char *stop, unsigned char *region)
{
    if (stop[i] || region[i])
        return;
    size_t *stack = malloc((F->n + 1) * sizeof *stack), sp = 0;
    if (!stack)
        return;     /* the region stays short: the body misses nodes and its build names them */
    region[i] = 1;
    stack[sp++] = i;
    while (sp) {
        const MoTf__NodeDef *nd = F->nodes[stack[--sp]];
        for (size_t k = 0; k < nd->n_input; k++) {
            unsigned p;
            if (nd->input[k][0] == '^')
                continue;
            long q = ref_node(F, nd->input[k], &p);
            if (q >= 0 && !stop[q] && !region[q]) {
                region[q] = 1;
                stack[sp++] = (size_t)q;
            }
        }
    }
    free(stack);
}

static char *frame_name(struct fctx *F, const MoTf__NodeDef *nd)
{
    const MoTf__AttrValue *a = attr_of(nd, "frame_name");
    if (!a || a->value_case != MO_TF__ATTR_VALUE__VALUE_S)
        return NULL;
    return mo_graph_printf(F->fw, "%.*s", (int)a->s.len, (const char *)a->s.data);
}

static enum mo_status find_frame(struct fctx *F, const char *name, struct frame *fr)
{
    char qn[MO_QUOTE_SIZE];
    fr->name = name;
    fr->nv = fr->nc = 0;
    fr->loopcond = -1;
    size_t cap = F->n + 1;
    fr->merge = mo_graph_alloc(F->fw, cap * sizeof(long));
    fr->sw = mo_graph_alloc(F->fw, cap * sizeof(long));
    fr->next = mo_graph_alloc(F->fw, cap * sizeof(long));
    fr->enter = mo_graph_alloc(F->fw, cap * sizeof(long));
    fr->center = mo_graph_alloc(F->fw, cap * sizeof(long));
    fr->region = mo_graph_alloc(F->fw, cap);
    if (!fr->merge || !fr->sw || !fr->next || !fr->enter || !fr->center || !fr->region)
        return oom(F);
    memset(fr->region, 0, cap);
    for (size_t i = 0; i < F->n; i++) {
        const MoTf__NodeDef *nd = F->nodes[i];
        if (!is_op(nd, "Enter") || !frame_is(nd, name))
            continue;
        /* a loop variable's Enter feeds a Merge */
        long m = -1;
        for (size_t j = 0; j < F->n && m < 0; j++) {
            unsigned p;
            if (is_op(F->nodes[j], "Merge") && data_in(F, j, 0, &p) == (long)i)
                m = (long)j;
        }
        if (m < 0) {
            fr->center[fr->nc++] = (long)i;
            continue;
        }
        long s = -1, nx;
        unsigned p;
        for (size_t j = 0; j < F->n && s < 0; j++)
            if (is_op(F->nodes[j], "Switch") && data_in(F, j, 0, &p) == m)
                s = (long)j;
        nx = data_in(F, (size_t)m, 1, &p);
        long lc = s >= 0 ? data_in(F, (size_t)s, 1, &p) : -1;
        if (s < 0 || nx < 0 || !is_op(F->nodes[nx], "NextIteration") || lc < 0 ||
            !is_op(F->nodes[lc], "LoopCond") || (fr->loopcond >= 0 && fr->loopcond != lc))
            return mo_error_set(F->err, MO_ERR_UNSUPPORTED, 10, "'%s': the TF1 while loop '%s' has a loop "
                                "variable (Merge '%s') without its Switch, NextIteration and LoopCond",
                                F->L->what, name, mo_quote(qn, F->nodes[m]->name));
        fr->loopcond = lc;
        fr->merge[fr->nv] = m;
        fr->sw[fr->nv] = s;
        fr->next[fr->nv] = nx;
        fr->enter[fr->nv++] = (long)i;
    }
    if (!fr->nv)
        return mo_error_set(F->err, MO_ERR_UNSUPPORTED, 10, "'%s': the TF1 while loop '%s' has no loop variable",
                            F->L->what, name);
    /* the region: cond and body up to the arguments, and the loop's own
     * nodes; then whatever reads the region but its Exits (dead values of
     * the loop, such as an unused pivot) */
    unsigned char *stop = calloc(F->n + 1, 1);
    if (!stop)
        return oom(F);
    for (size_t v = 0; v < fr->nv; v++)
        stop[fr->merge[v]] = stop[fr->sw[v]] = 1;
    for (size_t c = 0; c < fr->nc; c++)
        stop[fr->center[c]] = 1;
    unsigned p;
    long li = data_in(F, (size_t)fr->loopcond, 0, &p);
    if (li >= 0)
        walk(F, (size_t)li, stop, fr->region);
    for (size_t v = 0; v < fr->nv; v++) {
        long b = data_in(F, (size_t)fr->next[v], 0, &p);
        if (b >= 0)
            walk(F, (size_t)b, stop, fr->region);
    }
    free(stop);
    for (size_t v = 0; v < fr->nv; v++)
        fr->region[fr->merge[v]] = fr->region[fr->sw[v]] = fr->region[fr->next[v]] = fr->region[fr->enter[v]] = 1;
    for (size_t c = 0; c < fr->nc; c++)
        fr->region[fr->center[c]] = 1;
    fr->region[fr->loopcond] = 1;
    for (bool more = true; more;) {
        more = false;
        for (size_t i = 0; i < F->n; i++) {
            const MoTf__NodeDef *nd = F->nodes[i];
            if (fr->region[i])
                continue;
            bool own_exit = false;
            long s = is_op(nd, "Exit") ? data_in(F, i, 0, &p) : -1;
            for (size_t v = 0; s >= 0 && v < fr->nv; v++)
                own_exit |= s == fr->sw[v];
            for (size_t k = 0; k < nd->n_input && !fr->region[i] && !own_exit; k++) {
                long q = ref_node(F, nd->input[k], &p);
                if (q >= 0 && fr->region[q])
                    fr->region[i] = 1, more = true;
            }
        }
    }
    return MO_OK;
}

/* A body or branch being built as a NodeDef list: its arguments (@Arg
 * nodes), then copies of the marked nodes of the graph with the inputs that
 * read an argument's node renamed to that argument, then one IdentityN of
 * its results, named after the body. */
struct body_build {
    char *name;
    char **args;
    size_t na;
    MoTf__NodeDef **v;
    size_t m;
    long *arg_of;                /* node index -> argument, or -1 */
    unsigned char *in, *stop;    /* walk()'s region, and the argument nodes */
};

/* Start bb: name, na arguments (bb_arg says which nodes they stand for). */
static enum mo_status bb_open(struct fctx *F, struct body_build *bb, char *name, size_t na)
{
    *bb = (struct body_build){.name = name, .na = na};
    bb->args = mo_graph_alloc(F->fw, (na + 1) * sizeof *bb->args);
    bb->v = mo_graph_alloc(F->fw, (na + F->n + 2) * sizeof *bb->v);
    bb->arg_of = malloc((F->n + 1) * sizeof *bb->arg_of);
    bb->in = calloc(F->n + 1, 1);
    bb->stop = calloc(F->n + 1, 1);
    if (!name || !bb->args || !bb->v || !bb->arg_of || !bb->in || !bb->stop)
        return oom(F);
    for (size_t i = 0; i <= F->n; i++)
        bb->arg_of[i] = -1;
    for (size_t a = 0; a < na; a++) {
        MoTf__NodeDef *nd = mo_graph_alloc(F->fw, sizeof *nd);
        if (!nd || !(bb->args[a] = mo_graph_printf(F->fw, "%s/_arg%zu", name, a)))
            return oom(F);
        mo_tf__node_def__init(nd);
        nd->op = "@Arg";
        nd->name = bb->args[a];
        bb->v[bb->m++] = nd;
    }
    return MO_OK;
}

static void bb_free(struct body_build *bb)
{
    free(bb->arg_of);
    free(bb->in);
    free(bb->stop);
}

/* Argument a stands for node q (unless an earlier one does): the walks
 * stop there. */
static void bb_arg(struct body_build *bb, long q, size_t a)
{
    if (bb->arg_of[q] < 0)
        bb->arg_of[q] = (long)a;
    bb->stop[q] = 1;
}

/* Node q's reference as the argument it stands for, or NULL. */
static const char *bb_ref(const struct body_build *bb, long q)
{
    return q >= 0 && bb->arg_of[q] >= 0 ? bb->args[bb->arg_of[q]] : NULL;
}

/* Copy the nodes walk() marked into bb, inputs renamed. */
static enum mo_status bb_copy_region(struct fctx *F, struct body_build *bb)
{
    unsigned p;
    for (size_t i = 0; i < F->n; i++) {
        if (!bb->in[i])
            continue;
        MoTf__NodeDef *c = mo_graph_alloc(F->fw, sizeof *c);
        char **ins = mo_graph_alloc(F->fw, (F->nodes[i]->n_input + 1) * sizeof *ins);
        if (!c || !ins)
            return oom(F);
        *c = *F->nodes[i];
        size_t k2 = 0;
        for (size_t k = 0; k < c->n_input; k++) {
            const char *r = c->input[k];
            long q = ref_node(F, r, &p);
            if (r[0] == '^') {
                if (q >= 0 && bb->in[q])
                    ins[k2++] = (char *)r;     /* control inputs only within the body */
                continue;
            }
            const char *a = bb_ref(bb, q);
            ins[k2++] = a ? (char *)a : (char *)r;
        }
        c->input = ins;
        c->n_input = k2;
        bb->v[bb->m++] = c;
    }
    return MO_OK;
}

/* End bb with the IdentityN of its nr results res, into *out. */
static enum mo_status bb_close(struct fctx *F, struct body_build *bb, char **res, size_t nr,
                               struct mo_tf_frame_body *out)
{
    MoTf__NodeDef *idn = mo_graph_alloc(F->fw, sizeof *idn);
    if (!idn)
        return oom(F);
    mo_tf__node_def__init(idn);
    idn->name = bb->name;
    idn->op = "IdentityN";
    idn->input = res;
    idn->n_input = nr;
    bb->v[bb->m++] = idn;
    out->nodes = bb->v;
    out->n = bb->m;
    out->name = bb->name;
    out->n_args = bb->na;
    return MO_OK;
}

/* The cond (cond true) or body NodeDef list of frame fr, in *out. */
static enum mo_status body_list(struct fctx *F, const struct frame *fr, const char *wname, bool cond,
                                struct mo_tf_frame_body *out)
{
    size_t na = fr->nv + fr->nc;
    struct body_build bb;
    enum mo_status st = bb_open(F, &bb, mo_graph_printf(F->fw, "%s/%s", wname, cond ? "cond" : "body"), na);
    if (st != MO_OK)
        goto out;
    for (size_t a = 0; a < fr->nv; a++)
        bb_arg(&bb, cond ? fr->merge[a] : fr->sw[a], a);
    for (size_t c = 0; c < fr->nc; c++)
        bb_arg(&bb, fr->center[c], fr->nv + c);
    unsigned p;
    size_t nr = cond ? 1 : na;
    char **res = mo_graph_alloc(F->fw, (nr + 1) * sizeof *res);
    if (!res) {
        st = oom(F);
        goto out;
    }
    for (size_t r = 0; r < nr; r++) {
        long from = cond ? (long)fr->loopcond : r < fr->nv ? fr->next[r] : -1;
        if (from < 0) {
            res[r] = bb.args[r];    /* an invariant: the argument itself */
            continue;
        }
        const MoTf__NodeDef *fn = F->nodes[from];
        const char *ref = NULL;
        for (size_t k = 0; k < fn->n_input && !ref; k++)
            if (fn->input[k][0] != '^')
                ref = fn->input[k];
        long q = ref ? ref_node(F, ref, &p) : -1;
        if (q < 0) {
            st = mo_error_set(F->err, MO_ERR_FORMAT, 2, "'%s': '%s' of a TF1 while loop has no input",
                              F->L->what, fn->name);
            goto out;
        }
        const char *a = bb_ref(&bb, q);
        res[r] = a ? (char *)a : (char *)ref;
        walk(F, (size_t)q, bb.stop, bb.in);
    }
    if ((st = bb_copy_region(F, &bb)) == MO_OK)
        st = bb_close(F, &bb, res, nr, out);
out:
    bb_free(&bb);
    return st;
}

/* F's NodeDefs by name: an open-addressing table of their indices, twice
 * their count in size, in the graph's arena. */
static bool index_names(struct fctx *F)
{
    for (F->cap = 16; F->cap < 2 * F->n + 2;)
        F->cap *= 2;
    if (!(F->slot = mo_graph_alloc(F->fw, F->cap * sizeof *F->slot)))
        return false;
    for (size_t h = 0; h < F->cap; h++)
        F->slot[h] = -1;
    for (size_t i = 0; i < F->n; i++) {
        size_t h = hash(F->nodes[i]->name, strlen(F->nodes[i]->name)) & (F->cap - 1);
        while (F->slot[h] >= 0)
            h = (h + 1) & (F->cap - 1);
        F->slot[h] = (long)i;
    }
    return true;
}

enum mo_status mo_tf_lower_frames(const struct mo_tf_loader *L, struct mo_graph *fw, MoTf__NodeDef ***nodes,
                                  size_t *n, struct mo_tf_frame **frames, size_t *n_frames, struct mo_error *err)
{
    struct fctx F = {L, fw, *nodes, *n, err, NULL, 0};
    *frames = NULL;
    *n_frames = 0;
    size_t ne = 0;
    for (size_t i = 0; i < F.n; i++)
        ne += is_op(F.nodes[i], "Enter");
    if (!ne)
        return MO_OK;
    if (!index_names(&F))
        return oom(&F);
    struct frame *fr = mo_graph_alloc(fw, (ne + 1) * sizeof *fr);
    size_t nf = 0;
    if (!fr)
        return oom(&F);
    for (size_t i = 0; i < F.n; i++) {
        if (!is_op(F.nodes[i], "Enter"))
            continue;
        char *name = frame_name(&F, F.nodes[i]);
        if (!name)
            return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': Enter '%s' has no frame_name", L->what,
                                F.nodes[i]->name);
        bool known = false;
        for (size_t k = 0; k < nf && !known; k++)
            known = !strcmp(fr[k].name, name);
        if (known)
            continue;
        enum mo_status st = find_frame(&F, name, &fr[nf]);
        if (st != MO_OK)
            return st;
        nf++;
    }
    /* outermost frames: their Enters lie in no other frame's region */
    struct mo_tf_frame *out = mo_graph_alloc(fw, (nf + 1) * sizeof *out);
    unsigned char *gone = calloc(F.n + 1, 1);
    MoTf__NodeDef **nv = mo_graph_alloc(fw, (F.n + nf + 1) * sizeof *nv);
    if (!out || !gone || !nv) {
        free(gone);
        return oom(&F);
    }
    size_t no = 0;
    enum mo_status st = MO_OK;
    for (size_t k = 0; k < nf && st == MO_OK; k++) {
        bool inner = false;
        for (size_t j = 0; j < nf && !inner; j++)
            inner = j != k && fr[j].region[fr[k].enter[0]];
        if (inner)
            continue;
        struct mo_tf_frame *o = &out[no];
        char *wname = mo_graph_printf(fw, "%s/@while", fr[k].name);
        MoTf__NodeDef *w = mo_graph_alloc(fw, sizeof *w);
        size_t na = fr[k].nv + fr[k].nc;
        char **ins = mo_graph_alloc(fw, (na + 1) * sizeof *ins);
        int *dt = mo_graph_alloc(fw, (na + 1) * sizeof *dt);
        if (!wname || !w || !ins || !dt) {
            st = oom(&F);
            break;
        }
        mo_tf__node_def__init(w);
        w->name = wname;
        w->op = "While";
        for (size_t a = 0; a < na; a++) {
            const MoTf__NodeDef *e = F.nodes[a < fr[k].nv ? fr[k].enter[a] : fr[k].center[a - fr[k].nv]];
            const MoTf__AttrValue *t = attr_of(e, "T");
            dt[a] = t && t->value_case == MO_TF__ATTR_VALUE__VALUE_TYPE ? (int)t->type : 0;
            ins[a] = NULL;
            for (size_t j = 0; j < e->n_input && !ins[a]; j++)
                if (e->input[j][0] != '^')
                    ins[a] = e->input[j];
            if (!ins[a]) {
                st = mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': Enter '%s' has no input", L->what, e->name);
                break;
            }
        }
        w->input = ins;
        w->n_input = na;
        o->loop = w;
        o->dtypes = dt;
        if (st == MO_OK)
            st = body_list(&F, &fr[k], wname, true, &o->cond);
        if (st == MO_OK)
            st = body_list(&F, &fr[k], wname, false, &o->body);
        for (size_t i = 0; i < F.n; i++)
            gone[i] |= fr[k].region[i];
        /* the Exits: the While's outputs */
        for (size_t i = 0; i < F.n && st == MO_OK; i++) {
            unsigned p;
            long s = is_op(F.nodes[i], "Exit") ? data_in(&F, i, 0, &p) : -1;
            for (size_t v = 0; s >= 0 && v < fr[k].nv; v++) {
                if (s != fr[k].sw[v])
                    continue;
                MoTf__NodeDef *c = mo_graph_alloc(fw, sizeof *c);
                char **ci = mo_graph_alloc(fw, 2 * sizeof *ci);
                if (!c || !ci || !(ci[0] = v ? mo_graph_printf(fw, "%s:%zu", wname, v) : wname)) {
                    st = oom(&F);
                    break;
                }
                *c = *F.nodes[i];
                c->op = "Identity";
                c->input = ci;
                c->n_input = 1;
                c->n_attr = 0;
                F.nodes[i] = c;
            }
        }
        no++;
    }
    size_t m = 0;
    for (size_t i = 0; i < F.n; i++)
        if (!gone[i])
            nv[m++] = F.nodes[i];
    for (size_t k = 0; k < no; k++)
        nv[m++] = out[k].loop;
    free(gone);
    if (st != MO_OK)
        return st;
    *nodes = nv;
    *n = m;
    *frames = out;
    *n_frames = no;
    return MO_OK;
}

/* --- TF1 conditionals -------------------------------------------------------
 * A tf.cond of control flow v1 (or a functional If a freezing lowered):
 * each value a branch reads goes through Switch(value, pred), its output 1
 * into the true branch and 0 into the false one; each result is a Merge of
 * the two branches' values.  The Merges whose Switches share a predicate
 * (looked through Identities) are one conditional, replaced by an "If"
 * NodeDef (inputs: the predicate, each Switch's value) whose then and else
 * lists are built as a loop's bodies are; the Merges become Identities of
 * its outputs.  A conditional whose Merges this does not recognize is left
 * to graph.c's lowering (a Select of both branches). */

/* The node a value comes from, looked through Identities. */
static long through_identity(const struct fctx *F, long q)
{
    unsigned p;
    for (int guard = 0; q >= 0 && is_op(F->nodes[q], "Identity") && guard < 64; guard++)
        q = data_in(F, (size_t)q, 0, &p);
    return q;
}

static long switch_pred(const struct fctx *F, size_t s)
{
    unsigned p;
    return through_identity(F, data_in(F, s, 1, &p));
}

/* The Switch (and its port) above output of node i, through data and
 * control inputs, Merges and Switches of nested conditionals counted. */
static long switch_up(const struct fctx *F, size_t i, unsigned port, int depth, unsigned char *seen, long *budget,
                      unsigned *sw_port)
{
    const MoTf__NodeDef *nd = F->nodes[i];
    if (--*budget < 0)
        return -1;
    bool sw = is_op(nd, "Switch");
    if (sw) {
        if (depth == 0) {
            *sw_port = port;
            return (long)i;
        }
        depth--;
    } else if (is_op(nd, "Merge")) {
        depth++;
    }
    if (seen[i])
        return -1;
    seen[i] = 1;
    for (size_t k = 0; k < nd->n_input; k++) {
        unsigned p;
        if (sw && k > 0)
            break;
        long q = ref_node(F, nd->input[k], &p);
        if (nd->input[k][0] == '^')
            p = 0;
        if (q < 0)
            continue;
        long r = switch_up(F, (size_t)q, p, depth, seen, budget, sw_port);
        if (r >= 0)
            return r;
    }
    return -1;
}

struct cond {
    long key;                    /* the predicate's node */
    long *merge;                 /* its Merges */
    int *true_in;                /* the input (0, 1) of each from the true branch */
    size_t nm;
    unsigned char *region;
};

/* The then (br 1) or else (br 0) list of conditional c: args[j] stands for
 * Switch sws[j]. */
static enum mo_status branch_list(struct fctx *F, const struct cond *c, const long *sws, size_t ns,
                                  const char *iname, int br, struct mo_tf_frame_body *out)
{
    struct body_build bb;
    char **res = mo_graph_alloc(F->fw, (c->nm + 1) * sizeof *res);
    enum mo_status st = bb_open(F, &bb, mo_graph_printf(F->fw, "%s/%s", iname, br ? "then" : "else"), ns);
    unsigned p;
    if (st == MO_OK && !res)
        st = oom(F);
    if (st != MO_OK)
        goto out;
    for (size_t j = 0; j < ns; j++)
        bb_arg(&bb, sws[j], j);
    for (size_t k = 0; k < c->nm; k++) {
        const MoTf__NodeDef *mg = F->nodes[c->merge[k]];
        int want = br ? c->true_in[k] : 1 - c->true_in[k];
        const char *ref = NULL;
        for (size_t j = 0, d = 0; j < mg->n_input && !ref; j++)
            if (mg->input[j][0] != '^' && (int)d++ == want)
                ref = mg->input[j];
        long q = ref ? ref_node(F, ref, &p) : -1;
        const char *a = bb_ref(&bb, q);
        res[k] = a ? (char *)a : (char *)ref;
        if (q >= 0)
            walk(F, (size_t)q, bb.stop, bb.in);
    }
    if ((st = bb_copy_region(F, &bb)) == MO_OK)
        st = bb_close(F, &bb, res, c->nm, out);
out:
    bb_free(&bb);
    return st;
}

enum mo_status mo_tf_lower_conds(const struct mo_tf_loader *L, struct mo_graph *fw, MoTf__NodeDef ***nodes,
                                 size_t *n, struct mo_tf_frame **frames, size_t *n_frames, struct mo_error *err)
{
    struct fctx F = {L, fw, *nodes, *n, err, NULL, 0};
    size_t nmerge = 0;
    for (size_t i = 0; i < F.n; i++)
        nmerge += is_op(F.nodes[i], "Merge");
    if (!nmerge)
        return MO_OK;
    if (!index_names(&F))
        return oom(&F);
    struct cond *cs = mo_graph_alloc(fw, (nmerge + 1) * sizeof *cs);
    unsigned char *seen = malloc(F.n + 1);
    size_t nc = 0;
    enum mo_status st = MO_OK;
    if (!cs || !seen) {
        free(seen);
        return oom(&F);
    }
    /* group the Merges by predicate */
    for (size_t i = 0; i < F.n && st == MO_OK; i++) {
        const MoTf__NodeDef *nd = F.nodes[i];
        size_t nin = 0;
        for (size_t k = 0; k < nd->n_input; k++)
            nin += nd->input[k][0] != '^';
        if (!is_op(nd, "Merge") || nin != 2)
            continue;
        long sw[2];
        unsigned port[2];
        for (unsigned k = 0; k < 2; k++) {
            unsigned p;
            long q = data_in(&F, i, k, &p);
            long budget = 100000;
            memset(seen, 0, F.n + 1);
            sw[k] = q >= 0 ? switch_up(&F, (size_t)q, p, 0, seen, &budget, &port[k]) : -1;
        }
        if (sw[0] < 0 || sw[1] < 0 || port[0] == port[1] || switch_pred(&F, (size_t)sw[0]) < 0 ||
            switch_pred(&F, (size_t)sw[0]) != switch_pred(&F, (size_t)sw[1]))
            continue;       /* not a conditional recognized here: graph.c's Select */
        long key = switch_pred(&F, (size_t)sw[0]);
        size_t c = 0;
        while (c < nc && cs[c].key != key)
            c++;
        if (c == nc) {
            cs[c].key = key;
            cs[c].nm = 0;
            cs[c].merge = mo_graph_alloc(fw, (nmerge + 1) * sizeof(long));
            cs[c].true_in = mo_graph_alloc(fw, (nmerge + 1) * sizeof(int));
            cs[c].region = mo_graph_alloc(fw, F.n + 1);
            if (!cs[c].merge || !cs[c].true_in || !cs[c].region) {
                st = oom(&F);
                break;
            }
            memset(cs[c].region, 0, F.n + 1);
            nc++;
        }
        cs[c].merge[cs[c].nm] = (long)i;
        cs[c].true_in[cs[c].nm++] = port[0] == 1 ? 0 : 1;
    }
    free(seen);
    if (st != MO_OK || !nc)
        return st;
    /* each conditional's region: its Switches, both branches, what reads
     * them (but the Merges' readers) */
    for (size_t c = 0; c < nc; c++) {
        unsigned char *stop = calloc(F.n + 1, 1);
        if (!stop)
            return oom(&F);
        for (size_t i = 0; i < F.n; i++)
            if (is_op(F.nodes[i], "Switch") && switch_pred(&F, i) == cs[c].key)
                stop[i] = cs[c].region[i] = 1;
        for (size_t k = 0; k < cs[c].nm; k++)
            for (unsigned j = 0; j < 2; j++) {
                unsigned p;
                long q = data_in(&F, (size_t)cs[c].merge[k], j, &p);
                if (q >= 0)
                    walk(&F, (size_t)q, stop, cs[c].region);
            }
        for (size_t i = 0; i < F.n; i++)
            if (stop[i])
                cs[c].region[i] = 1;
        free(stop);
        for (bool more = true; more;) {
            more = false;
            for (size_t i = 0; i < F.n; i++) {
                const MoTf__NodeDef *nd = F.nodes[i];
                if (cs[c].region[i])
                    continue;
                for (size_t k = 0; k < nd->n_input && !cs[c].region[i]; k++) {
                    unsigned p;
                    long q = nd->input[k][0] == '^' ? -1 : ref_node(&F, nd->input[k], &p);
                    bool own_merge = false;
                    for (size_t m = 0; q >= 0 && m < cs[c].nm; m++)
                        own_merge |= cs[c].merge[m] == q;
                    if (q >= 0 && cs[c].region[q] && !own_merge)
                        cs[c].region[i] = 1, more = true;
                }
            }
        }
        for (size_t k = 0; k < cs[c].nm; k++)
            cs[c].region[cs[c].merge[k]] = 1;
    }
    struct mo_tf_frame *out = mo_graph_alloc(fw, (nc + 1) * sizeof *out);
    unsigned char *gone = calloc(F.n + 1, 1);
    MoTf__NodeDef **nv = mo_graph_alloc(fw, (F.n + nc + 1) * sizeof *nv);
    long *sws = mo_graph_alloc(fw, (F.n + 1) * sizeof *sws);
    if (!out || !gone || !nv || !sws) {
        free(gone);
        return oom(&F);
    }
    size_t no = 0;
    for (size_t c = 0; c < nc && st == MO_OK; c++) {
        bool inner = false;
        for (size_t d = 0; d < nc && !inner; d++)
            inner = d != c && cs[d].region[cs[c].merge[0]];
        if (inner)
            continue;
        size_t ns = 0;
        for (size_t i = 0; i < F.n; i++)
            if (is_op(F.nodes[i], "Switch") && switch_pred(&F, i) == cs[c].key)
                sws[ns++] = (long)i;
        const MoTf__NodeDef *m0 = F.nodes[cs[c].merge[0]];
        char *iname = mo_graph_printf(fw, "%s/@if", m0->name);
        MoTf__NodeDef *w = mo_graph_alloc(fw, sizeof *w);
        char **ins = mo_graph_alloc(fw, (ns + 2) * sizeof *ins);
        int *dt = mo_graph_alloc(fw, (ns + 1) * sizeof *dt);
        if (!iname || !w || !ins || !dt) {
            st = oom(&F);
            break;
        }
        mo_tf__node_def__init(w);
        w->name = iname;
        w->op = "If";
        /* the predicate as a data Switch reads it (the pred_id Identity of
         * v1's tf.cond, which would be left unread otherwise, an output) */
        const MoTf__NodeDef *s0 = F.nodes[sws[0]];
        for (size_t j = 0; j < ns; j++) {
            unsigned p0, p1;
            if (data_in(&F, (size_t)sws[j], 0, &p0) != data_in(&F, (size_t)sws[j], 1, &p1)) {
                s0 = F.nodes[sws[j]];
                break;
            }
        }
        ins[0] = NULL;
        for (size_t j = 0, d = 0; j < s0->n_input && !ins[0]; j++)
            if (s0->input[j][0] != '^' && d++ == 1)
                ins[0] = s0->input[j];
        for (size_t j = 0; j < ns; j++) {
            const MoTf__NodeDef *s = F.nodes[sws[j]];
            const MoTf__AttrValue *t = attr_of(s, "T");
            dt[j] = t && t->value_case == MO_TF__ATTR_VALUE__VALUE_TYPE ? (int)t->type : 0;
            ins[1 + j] = NULL;
            for (size_t k = 0; k < s->n_input && !ins[1 + j]; k++)
                if (s->input[k][0] != '^')
                    ins[1 + j] = s->input[k];
            if (!ins[1 + j] || !ins[0]) {
                st = mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': Switch '%s' lacks its inputs", L->what, s->name);
                break;
            }
        }
        w->input = ins;
        w->n_input = ns + 1;
        struct mo_tf_frame *o = &out[no];
        o->loop = w;
        o->dtypes = dt;
        if (st == MO_OK)
            st = branch_list(&F, &cs[c], sws, ns, iname, 1, &o->cond);
        if (st == MO_OK)
            st = branch_list(&F, &cs[c], sws, ns, iname, 0, &o->body);
        for (size_t i = 0; i < F.n; i++)
            gone[i] |= cs[c].region[i];
        for (size_t k = 0; k < cs[c].nm && st == MO_OK; k++) {
            size_t i = (size_t)cs[c].merge[k];
            MoTf__NodeDef *cp = mo_graph_alloc(fw, sizeof *cp);
            char **ci = mo_graph_alloc(fw, 2 * sizeof *ci);
            if (!cp || !ci || !(ci[0] = k ? mo_graph_printf(fw, "%s:%zu", iname, k) : iname)) {
                st = oom(&F);
                break;
            }
            *cp = *F.nodes[i];
            cp->op = "Identity";
            cp->input = ci;
            cp->n_input = 1;
            cp->n_attr = 0;
            F.nodes[i] = cp;
            gone[i] = 0;
        }
        no++;
    }
    size_t m = 0;
    for (size_t i = 0; i < F.n; i++)
        if (!gone[i])
            nv[m++] = F.nodes[i];
    for (size_t k = 0; k < no; k++)
        nv[m++] = out[k].loop;
    free(gone);
    if (st != MO_OK)
        return st;
    *nodes = nv;
    *n = m;
    *frames = out;
    *n_frames = no;
    return MO_OK;
}
