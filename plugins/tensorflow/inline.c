/* inline.c - graph functions called by a GraphDef, inlined.
 *
 * A graph that is not frozen (or was frozen without inlining) calls the
 * functions of its library: PartitionedCall / StatefulPartitionedCall
 * (attribute f), or a node whose op is a function's name.  Each call is
 * replaced by the function's nodes, named "<call>/<node>", and by an
 * IdentityN named after the call whose inputs are the function's results,
 * so that "call:k" still names result k.
 *
 * Inside a function, references have their own form: an argument by its
 * name ("x"), a node's output by "node:out_arg:index", where out_arg is the
 * name of the op's output argument.  An op with one output argument (a
 * single tensor or a list) numbers its outputs by the index; the few ops
 * with several output arguments are listed in multi_out below; a nested
 * call's outputs are its function's output arguments, in order.
 * A functional If / StatelessIf stays a node (its branches become its
 * bodies in graph.c, the IR's If in tr_flow.c) unless a branch carries a
 * resource or a TensorList: then both branches are inlined and a Select
 * picks between their results (if_node).  While / StatelessWhile stay
 * nodes likewise. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tf_load.h"

#define MAX_CALL_DEPTH 32
/* Calls nested with fan-out grow exponentially: past this many nodes the
 * graph is refused rather than expanded until memory runs out. */
#define MAX_NODES 4000000

struct flat {
    MoTf__NodeDef **v;
    size_t n, cap;
};

/* One call being expanded: its function, the name its nodes get as a
 * prefix, and the call's data inputs (already in the caller's names). */
struct scope {
    const MoTf__FunctionDef *fn;
    const char *prefix;
    char **args;
    size_t n_args;
};

struct inliner {
    const struct mo_tf_loader *L;
    struct mo_graph *fw;
    const MoTf__GraphDef *g;
    struct mo_error *err;
};

static enum mo_status oom(struct inliner *I)
{
    return mo_error_set(I->err, MO_ERR_NOMEM, 0, "out of memory reading '%s' (or more than %d nodes with its "
                        "functions inlined)", I->L->what, MAX_NODES);
}

static bool push(struct flat *f, MoTf__NodeDef *nd)
{
    if (f->n >= MAX_NODES)
        return false;
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 256;
        MoTf__NodeDef **v = realloc(f->v, cap * sizeof *v);
        if (!v)
            return false;
        f->v = v;
        f->cap = cap;
    }
    f->v[f->n++] = nd;
    return true;
}

static const MoTf__FunctionDef *find_function(const MoTf__GraphDef *g, const char *name)
{
    if (!g->library || !name)
        return NULL;
    for (size_t i = 0; i < g->library->n_function; i++) {
        const MoTf__FunctionDef *f = g->library->function[i];
        if (f->signature && f->signature->name && !strcmp(f->signature->name, name))
            return f;
    }
    return NULL;
}

/* The function node nd calls, or NULL when it is an op. */
static const MoTf__FunctionDef *callee(const MoTf__GraphDef *g, const MoTf__NodeDef *nd)
{
    if (!strcmp(nd->op, "PartitionedCall") || !strcmp(nd->op, "StatefulPartitionedCall")) {
        for (size_t i = 0; i < nd->n_attr; i++) {
            const MoTf__AttrEntry *e = nd->attr[i];
            if (e->key && !strcmp(e->key, "f") && e->value && e->value->value_case == MO_TF__ATTR_VALUE__VALUE_FUNC &&
                e->value->func)
                return find_function(g, e->value->func->name);
        }
        return NULL;
    }
    return find_function(g, nd->op);
}

/* Output arguments of the ops that have more than one, in order. */
static const struct {
    const char *op;
    const char *args[6];
} multi_out[] = {
    {"FusedBatchNorm", {"y", "batch_mean", "batch_variance", "reserve_space_1", "reserve_space_2"}},
    {"FusedBatchNormV2", {"y", "batch_mean", "batch_variance", "reserve_space_1", "reserve_space_2"}},
    {"FusedBatchNormV3",
     {"y", "batch_mean", "batch_variance", "reserve_space_1", "reserve_space_2", "reserve_space_3"}},
    {"TopKV2", {"values", "indices"}},
    {"Switch", {"output_false", "output_true"}},
    {"Merge", {"output", "value_index"}},
    {"Unique", {"y", "idx"}},
};

/* The output port "node:out_arg:index" names, node being nd. */
static long out_port(const MoTf__GraphDef *g, const MoTf__NodeDef *nd, const char *arg, long index)
{
    const MoTf__FunctionDef *f = callee(g, nd);
    if (f && strcmp(nd->op, "PartitionedCall") && strcmp(nd->op, "StatefulPartitionedCall")) {
        for (size_t i = 0; f->signature && i < f->signature->n_output_arg; i++)
            if (f->signature->output_arg[i]->name && !strcmp(f->signature->output_arg[i]->name, arg))
                return (long)i + index;
        return -1;
    }
    for (size_t i = 0; i < MO_COUNT_OF(multi_out); i++)
        if (!strcmp(nd->op, multi_out[i].op)) {
            for (long k = 0; k < 6 && multi_out[i].args[k]; k++)
                if (!strcmp(multi_out[i].args[k], arg))
                    return k + index;
            return -1;
        }
    return index;
}

static const MoTf__NodeDef *fn_node(const MoTf__FunctionDef *fn, const char *name, size_t len)
{
    for (size_t i = 0; i < fn->n_node_def; i++) {
        const char *n = fn->node_def[i]->name;
        if (n && strlen(n) == len && !memcmp(n, name, len))
            return fn->node_def[i];
    }
    return NULL;
}

/* A reference inside sc's function in the names of the expanded graph
 * (NULL: out of memory, or a reference to nothing, then err is set). */
static char *rename_ref(struct inliner *I, const struct scope *sc, const char *ref)
{
    char qr[MO_QUOTE_SIZE], qf[MO_QUOTE_SIZE];
    bool ctrl = ref[0] == '^';
    const char *body = ref + ctrl;
    const char *c1 = strchr(body, ':');
    size_t len = c1 ? (size_t)(c1 - body) : strlen(body);
    const MoTf__OpDef *sig = sc->fn->signature;
    for (size_t i = 0; !c1 && sig && i < sig->n_input_arg; i++) {
        const char *a = sig->input_arg[i]->name;
        if (!a || strcmp(a, body))
            continue;
        if (i >= sc->n_args) {
            mo_error_set(I->err, MO_ERR_FORMAT, 2, "'%s': function '%s' reads its argument %zu, which the call "
                         "'%s' does not pass", I->L->what, mo_quote(qf, sig->name), i, sc->prefix);
            return NULL;
        }
        const char *v = sc->args[i];
        if (!ctrl)
            return mo_graph_strdup(I->fw, v);
        const char *c = strchr(v, ':');
        return mo_graph_printf(I->fw, "^%.*s", c ? (int)(c - v) : (int)strlen(v), v);
    }
    if (ctrl || !c1)
        return mo_graph_printf(I->fw, "%s%s/%.*s", ctrl ? "^" : "", sc->prefix, (int)len, body);
    const MoTf__NodeDef *nd = fn_node(sc->fn, body, len);
    const char *c2 = strchr(c1 + 1, ':');
    long port = -1;
    if (nd && c2) {
        char arg[128];
        snprintf(arg, sizeof arg, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
        port = out_port(I->g, nd, arg, strtol(c2 + 1, NULL, 10));
    } else if (nd) {
        port = strtol(c1 + 1, NULL, 10);
    }
    if (port < 0) {
        mo_error_set(I->err, MO_ERR_FORMAT, 2, "'%s': function '%s' refers to '%s', which none of its nodes "
                     "produces", I->L->what, mo_quote(qf, sig ? sig->name : "?"), mo_quote(qr, ref));
        return NULL;
    }
    return port ? mo_graph_printf(I->fw, "%s/%.*s:%ld", sc->prefix, (int)len, body, port)
                : mo_graph_printf(I->fw, "%s/%.*s", sc->prefix, (int)len, body);
}

static enum mo_status expand(struct inliner *I, MoTf__NodeDef *const *nodes, size_t n, const struct scope *sc,
                             int depth, struct flat *out);

/* nd (in sc's names, sc NULL at the top) as the expanded graph names it:
 * a copy with its name and inputs renamed. */
static MoTf__NodeDef *renamed(struct inliner *I, const MoTf__NodeDef *nd, const struct scope *sc)
{
    if (!sc)
        return (MoTf__NodeDef *)nd;
    MoTf__NodeDef *c = mo_graph_alloc(I->fw, sizeof *c);
    char **in = mo_graph_alloc(I->fw, (nd->n_input + 1) * sizeof *in);
    if (!c || !in)
        return NULL;
    *c = *nd;
    if (!(c->name = mo_graph_printf(I->fw, "%s/%s", sc->prefix, nd->name)))
        return NULL;
    for (size_t i = 0; i < nd->n_input; i++)
        if (!(in[i] = rename_ref(I, sc, nd->input[i])))
            return NULL;
    c->input = in;
    return c;
}

static enum mo_status call(struct inliner *I, const MoTf__NodeDef *nd, const MoTf__FunctionDef *fn,
                           int depth, struct flat *out)
{
    char qn[MO_QUOTE_SIZE];
    const MoTf__OpDef *sig = fn->signature;
    if (depth >= MAX_CALL_DEPTH)
        return mo_error_set(I->err, MO_ERR_FORMAT, 2, "'%s': functions call each other more than %d deep at "
                            "'%s' (a recursive function?)", I->L->what, MAX_CALL_DEPTH, mo_quote(qn, nd->name));
    struct scope s = {fn, nd->name, NULL, 0};
    s.args = mo_graph_alloc(I->fw, (nd->n_input + 1) * sizeof *s.args);
    if (!s.args)
        return oom(I);
    for (size_t i = 0; i < nd->n_input; i++)
        if (nd->input[i][0] != '^')
            s.args[s.n_args++] = nd->input[i];
    enum mo_status st = expand(I, fn->node_def, fn->n_node_def, &s, depth + 1, out);
    if (st != MO_OK)
        return st;
    /* the results, under the call's name */
    size_t nr = sig ? sig->n_output_arg : 0;
    MoTf__NodeDef *r = mo_graph_alloc(I->fw, sizeof *r);
    char **in = mo_graph_alloc(I->fw, (nr + 1) * sizeof *in);
    if (!r || !in)
        return oom(I);
    mo_tf__node_def__init(r);
    r->name = nd->name;
    r->op = "IdentityN";
    for (size_t k = 0; k < nr; k++) {
        const char *an = sig->output_arg[k]->name, *val = NULL;
        for (size_t j = 0; an && j < fn->n_ret; j++)
            if (fn->ret[j]->key && !strcmp(fn->ret[j]->key, an))
                val = fn->ret[j]->value;
        if (!val)
            return mo_error_set(I->err, MO_ERR_FORMAT, 2, "'%s': function '%s' returns nothing for its result "
                                "'%s'", I->L->what, sig->name, an ? an : "?");
        if (!(in[k] = rename_ref(I, &s, val)))
            return I->err && I->err->code ? I->err->code : oom(I);
    }
    r->input = in;
    r->n_input = nr;
    return push(out, r) ? MO_OK : oom(I);
}

static const MoTf__FunctionDef *func_attr(const MoTf__GraphDef *g, const MoTf__NodeDef *nd, const char *key)
{
    for (size_t i = 0; i < nd->n_attr; i++) {
        const MoTf__AttrEntry *e = nd->attr[i];
        if (e->key && !strcmp(e->key, key) && e->value && e->value->value_case == MO_TF__ATTR_VALUE__VALUE_FUNC &&
            e->value->func)
            return find_function(g, e->value->func->name);
    }
    return NULL;
}

/* If, StatelessIf (cond, inputs...): both branches inlined as calls named
 * "<if>/then" and "<if>/else" on the inputs, and the If itself becomes
 * MO_TF_SELECT_OP (cond, then results..., else results...), which picks
 * (tr_misc.c). */
static enum mo_status if_node(struct inliner *I, const MoTf__NodeDef *nd, int depth, struct flat *out)
{
    char qn[MO_QUOTE_SIZE];
    const MoTf__FunctionDef *br[2] = {func_attr(I->g, nd, "then_branch"), func_attr(I->g, nd, "else_branch")};
    size_t nin = 0;
    for (size_t i = 0; i < nd->n_input; i++)
        nin += nd->input[i][0] != '^';
    if (!br[0] || !br[1] || nin < 1 || !br[0]->signature || !br[1]->signature ||
        br[0]->signature->n_output_arg != br[1]->signature->n_output_arg)
        return mo_error_set(I->err, MO_ERR_FORMAT, 2, "'%s': %s '%s' lacks its branches, its condition, or "
                            "branches with as many results", I->L->what, nd->op, mo_quote(qn, nd->name));
    size_t nr = br[0]->signature->n_output_arg;
    char **sel = mo_graph_alloc(I->fw, (2 * nr + 1) * sizeof *sel);
    if (!sel)
        return oom(I);
    for (int k = 0; k < 2; k++) {
        MoTf__NodeDef *c = mo_graph_alloc(I->fw, sizeof *c);
        char **in = mo_graph_alloc(I->fw, (nin + 1) * sizeof *in);
        if (!c || !in)
            return oom(I);
        mo_tf__node_def__init(c);
        c->op = "PartitionedCall";
        if (!(c->name = mo_graph_printf(I->fw, "%s/%s", nd->name, k ? "else" : "then")))
            return oom(I);
        size_t m = 0;
        for (size_t i = 0, d = 0; i < nd->n_input; i++)
            if (nd->input[i][0] != '^' && d++ > 0)
                in[m++] = nd->input[i];
        c->input = in;
        c->n_input = m;
        enum mo_status st = call(I, c, br[k], depth, out);
        if (st != MO_OK)
            return st;
        for (size_t j = 0; j < nr; j++)
            if (!(sel[1 + k * nr + j] = j ? mo_graph_printf(I->fw, "%s:%zu", c->name, j)
                                          : mo_graph_strdup(I->fw, c->name)))
                return oom(I);
    }
    for (size_t i = 0; i < nd->n_input; i++)
        if (nd->input[i][0] != '^') {
            sel[0] = nd->input[i];
            break;
        }
    MoTf__NodeDef *r = mo_graph_alloc(I->fw, sizeof *r);
    if (!r)
        return oom(I);
    mo_tf__node_def__init(r);
    r->name = nd->name;
    r->op = MO_TF_SELECT_OP;
    r->input = sel;
    r->n_input = 2 * nr + 1;
    return push(out, r) ? MO_OK : oom(I);
}

/* Whether the list-of-types attribute key of nd holds a resource or a
 * variant (a TensorList): values the IR's If and Loop cannot carry. */
static bool has_handle_type(const MoTf__NodeDef *nd, const char *key)
{
    for (size_t i = 0; i < nd->n_attr; i++) {
        const MoTf__AttrEntry *e = nd->attr[i];
        if (!e->key || strcmp(e->key, key) || !e->value || e->value->value_case != MO_TF__ATTR_VALUE__VALUE_LIST)
            continue;
        for (size_t k = 0; k < e->value->list->n_type; k++)
            if (e->value->list->type[k] == 20 || e->value->list->type[k] == 21)   /* DT_RESOURCE, DT_VARIANT */
                return true;
    }
    return false;
}

bool mo_tf_if_as_node(const MoTf__NodeDef *nd)
{
    /* a branch taking or giving a resource or a TensorList has no IR If
     * form (the IR has no such values): both branches are inlined and
     * their results picked by Select, where the handles are resolved on
     * each side */
    return !has_handle_type(nd, "Tin") && !has_handle_type(nd, "Tout");
}

static enum mo_status expand(struct inliner *I, MoTf__NodeDef *const *nodes, size_t n, const struct scope *sc,
                             int depth, struct flat *out)
{
    for (size_t i = 0; i < n; i++) {
        const MoTf__NodeDef *nd = nodes[i];
        if (!nd->name || !nd->op)
            return mo_error_set(I->err, MO_ERR_FORMAT, 2, "'%s': a node%s has no name or no op", I->L->what,
                                sc ? " of a function" : "");
        MoTf__NodeDef *c = renamed(I, nd, sc);
        if (!c)
            return I->err && I->err->code ? I->err->code : oom(I);
        const MoTf__FunctionDef *fn = callee(I->g, c);
        enum mo_status st;
        if ((!strcmp(c->op, "If") || !strcmp(c->op, "StatelessIf")) && !mo_tf_if_as_node(c))
            st = depth >= MAX_CALL_DEPTH ? mo_error_set(I->err, MO_ERR_FORMAT, 2, "'%s': conditionals nested "
                                                        "more than %d deep", I->L->what, MAX_CALL_DEPTH)
                                         : if_node(I, c, depth, out);
        else if (fn)
            st = call(I, c, fn, depth, out);
        else if (!strcmp(c->op, "PartitionedCall") || !strcmp(c->op, "StatefulPartitionedCall"))
            st = mo_error_set(I->err, MO_ERR_FORMAT, 2, "'%s': '%s' calls a function the graph's library does "
                              "not hold", I->L->what, c->name);
        else
            st = push(out, c) ? MO_OK : oom(I);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

enum mo_status mo_tf_inline_calls(const struct mo_tf_loader *L, struct mo_graph *fw, const MoTf__GraphDef *g,
                                  MoTf__NodeDef ***nodes, size_t *n, struct mo_error *err)
{
    struct inliner I = {L, fw, g, err};
    struct flat out = {NULL, 0, 0};
    enum mo_status st = expand(&I, g->node, g->n_node, NULL, 0, &out);
    if (st != MO_OK) {
        free(out.v);
        return st;
    }
    *nodes = out.v;
    *n = out.n;
    return MO_OK;
}

enum mo_status mo_tf_inline_function(const struct mo_tf_loader *L, struct mo_graph *fw, const MoTf__GraphDef *g,
                                     const MoTf__FunctionDef *fn, const char *name, char **args, size_t n_args,
                                     MoTf__NodeDef ***nodes, size_t *n, struct mo_error *err)
{
    struct inliner I = {L, fw, g, err};
    struct flat out = {NULL, 0, 0};
    MoTf__NodeDef c;
    mo_tf__node_def__init(&c);
    c.name = (char *)name;
    c.op = "PartitionedCall";
    c.input = args;
    c.n_input = n_args;
    enum mo_status st = call(&I, &c, fn, 1, &out);
    if (st != MO_OK) {
        free(out.v);
        return st;
    }
    *nodes = out.v;
    *n = out.n;
    return MO_OK;
}

const MoTf__FunctionDef *mo_tf_function_attr(const MoTf__GraphDef *g, const MoTf__NodeDef *nd, const char *key)
{
    return func_attr(g, nd, key);
}
