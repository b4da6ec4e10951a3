/* program.c - ProgramDesc (.pdmodel, __model__) -> framework graph.
 *
 * Block 0 is the graph; the sub-blocks of while and conditional_block ops
 * become body graphs of their nodes (see "blocks" below).
 * "feed" ops name the inputs in column order, "fetch" ops the outputs;
 * every other op becomes a framework node whose inputs are flattened slot
 * by slot (see paddle.h).  Persistable variables are the weights. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framework.pb-c.h"
#include "paddle.h"
#include "pd_load.h"

/* Variable name -> the framework value that produces it. */
struct binding {
    const char *name;
    struct mo_value v;
};

struct env {
    struct binding *v;
    size_t n, cap;
};

static struct mo_value *env_find(struct env *e, const char *name)
{
    /* later definitions shadow earlier ones (in-place ops rewrite a name) */
    for (size_t i = e->n; i-- > 0;)
        if (!strcmp(e->v[i].name, name))
            return &e->v[i].v;
    return NULL;
}

static enum mo_status env_bind(struct env *e, const char *name, struct mo_value v,
                               struct mo_error *err)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 64;
        struct binding *nv = realloc(e->v, cap * sizeof *nv);
        if (!nv)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        e->v = nv;
        e->cap = cap;
    }
    e->v[e->n].name = name;
    e->v[e->n].v = v;
    e->n++;
    return MO_OK;
}

struct mo_node *mo_pd_add_input(struct mo_graph *fw, const char *name, enum mo_etype et,
                                const struct mo_shape *shape)
{
    struct mo_node *n = mo_graph_add_node(fw, "Parameter", name, 0, 1);
    if (!n)
        return NULL;
    n->outputs[0].et = et;
    n->outputs[0].shape = *shape;
    mo_node_add_output_name(n, 0, name);
    return n;
}

enum mo_status mo_pd_push_slot(struct mo_node *n, const char *key, const char *s)
{
    const struct mo_attr *a = mo_node_attr(n, key);
    size_t cnt = a && a->kind == MO_ATTR_STRINGS ? a->u.strs.n : 0;
    const char **v = malloc((cnt + 1) * sizeof *v);
    if (!v)
        return MO_ERR_NOMEM;
    for (size_t i = 0; i < cnt; i++)
        v[i] = a->u.strs.v[i];
    v[cnt] = s;
    enum mo_status st = mo_node_set_strs(n, key, v, cnt + 1);
    free(v);
    return st;
}

static bool is_tensor_var(const MoPd__VarDesc *vd)
{
    if (!vd->type || !vd->type->has_type)
        return false;
    return vd->type->type == MO_PD__VAR_TYPE__TYPE__LOD_TENSOR;
}

static const MoPd__VarDesc *find_var(const MoPd__BlockDesc *b, const char *name)
{
    for (size_t i = 0; i < b->n_vars; i++)
        if (b->vars[i]->name && !strcmp(b->vars[i]->name, name))
            return b->vars[i];
    return NULL;
}

static struct mo_shape var_shape(const MoPd__VarDesc *vd, enum mo_etype *et)
{
    struct mo_shape s = mo_shape_unknown();
    *et = MO_ET_UNDEFINED;
    if (!vd || !vd->type || !vd->type->lod_tensor || !vd->type->lod_tensor->tensor)
        return s;
    const MoPd__VarType__TensorDesc *td = vd->type->lod_tensor->tensor;
    *et = mo_pd_etype(td->data_type);
    if (td->n_dims > MO_MAX_RANK)
        return s;
    s.rank = (int)td->n_dims;
    for (size_t i = 0; i < td->n_dims; i++)
        s.dims[i] = td->dims[i] < 0 ? MO_DYN : td->dims[i];
    return s;
}

/* Copy a Paddle attribute onto the framework node with its own type. */
static enum mo_status copy_attr(struct mo_node *n, const MoPd__OpDesc__Attr *a)
{
    if (!a->name)
        return MO_OK;
    int64_t *iv = NULL;
    double *fv = NULL;
    enum mo_status st = MO_OK;
    switch (a->type) {
    case MO_PD__ATTR_TYPE__INT: return mo_node_set_int(n, a->name, a->i);
    case MO_PD__ATTR_TYPE__LONG: return mo_node_set_int(n, a->name, a->l);
    case MO_PD__ATTR_TYPE__FLOAT: return mo_node_set_float(n, a->name, a->f);
    case MO_PD__ATTR_TYPE__FLOAT64: return mo_node_set_float(n, a->name, a->float64);
    case MO_PD__ATTR_TYPE__STRING: return mo_node_set_str(n, a->name, a->s ? a->s : "");
    case MO_PD__ATTR_TYPE__BOOLEAN: return mo_node_set_bool(n, a->name, a->b);
    case MO_PD__ATTR_TYPE__STRINGS:
        return mo_node_set_strs(n, a->name, (const char *const *)a->strings, a->n_strings);
    case MO_PD__ATTR_TYPE__SCALAR:
        if (!a->scalar)
            return MO_OK;
        if (a->scalar->type == MO_PD__SCALAR__TYPE__LONG)
            return mo_node_set_int(n, a->name, a->scalar->i);
        if (a->scalar->type == MO_PD__SCALAR__TYPE__BOOLEAN)
            return mo_node_set_bool(n, a->name, a->scalar->b);
        return mo_node_set_float(n, a->name, a->scalar->r);
    case MO_PD__ATTR_TYPE__INTS:
    case MO_PD__ATTR_TYPE__LONGS:
    case MO_PD__ATTR_TYPE__BOOLEANS: {
        size_t cnt = a->type == MO_PD__ATTR_TYPE__INTS    ? a->n_ints
                     : a->type == MO_PD__ATTR_TYPE__LONGS ? a->n_longs
                                                          : a->n_bools;
        iv = malloc((cnt ? cnt : 1) * sizeof *iv);
        if (!iv)
            return MO_ERR_NOMEM;
        for (size_t i = 0; i < cnt; i++)
            iv[i] = a->type == MO_PD__ATTR_TYPE__INTS    ? a->ints[i]
                    : a->type == MO_PD__ATTR_TYPE__LONGS ? a->longs[i]
                                                         : a->bools[i];
        st = mo_node_set_ints(n, a->name, iv, cnt);
        free(iv);
        return st;
    }
    case MO_PD__ATTR_TYPE__FLOATS:
    case MO_PD__ATTR_TYPE__FLOAT64S:
    case MO_PD__ATTR_TYPE__SCALARS: {
        size_t cnt = a->type == MO_PD__ATTR_TYPE__FLOATS    ? a->n_floats
                     : a->type == MO_PD__ATTR_TYPE__FLOAT64S ? a->n_float64s
                                                              : a->n_scalars;
        fv = malloc((cnt ? cnt : 1) * sizeof *fv);
        if (!fv)
            return MO_ERR_NOMEM;
        for (size_t i = 0; i < cnt; i++) {
            if (a->type == MO_PD__ATTR_TYPE__FLOATS)
                fv[i] = a->floats[i];
            else if (a->type == MO_PD__ATTR_TYPE__FLOAT64S)
                fv[i] = a->float64s[i];
            else {
                const MoPd__Scalar *s = a->scalars[i];
                fv[i] = s->type == MO_PD__SCALAR__TYPE__LONG ? (double)s->i
                        : s->type == MO_PD__SCALAR__TYPE__BOOLEAN ? (double)s->b
                                                                   : s->r;
            }
        }
        st = mo_node_set_floats(n, a->name, fv, cnt);
        free(fv);
        return st;
    }
    default:
        return MO_OK;   /* blocks and variable references: not graph attributes */
    }
}

/* How many variables attribute a names (VAR: one, VARS: its list). */
static size_t attr_var_count(const MoPd__OpDesc__Attr *a)
{
    if (a->type == MO_PD__ATTR_TYPE__VAR)
        return a->var_name ? 1 : 0;
    return a->type == MO_PD__ATTR_TYPE__VARS ? a->n_vars_name : 0;
}

static const char *op_input(const MoPd__OpDesc *op, const char *slot)
{
    for (size_t i = 0; i < op->n_inputs; i++)
        if (op->inputs[i]->parameter && !strcmp(op->inputs[i]->parameter, slot) &&
            op->inputs[i]->n_arguments)
            return op->inputs[i]->arguments[0];
    return NULL;
}

static const char *op_output(const MoPd__OpDesc *op, const char *slot)
{
    for (size_t i = 0; i < op->n_outputs; i++)
        if (op->outputs[i]->parameter && !strcmp(op->outputs[i]->parameter, slot) &&
            op->outputs[i]->n_arguments)
            return op->outputs[i]->arguments[0];
    return NULL;
}

static int64_t op_int_attr(const MoPd__OpDesc *op, const char *name, int64_t dflt)
{
    for (size_t i = 0; i < op->n_attrs; i++)
        if (op->attrs[i]->name && !strcmp(op->attrs[i]->name, name))
            return op->attrs[i]->type == MO_PD__ATTR_TYPE__LONG ? op->attrs[i]->l : op->attrs[i]->i;
    return dflt;
}

/* --- blocks ------------------------------------------------------------------
 * Block 0 is the program; a while or conditional_block op runs another
 * block (its sub_block attribute), which reads the variables of the blocks
 * around it by name and writes some of them back (the op's Out list).  Each
 * such block becomes a framework body graph of the op's node (mo/body.h):
 * a variable the block reads before writing it becomes a Parameter of the
 * body fed by a new input of the op's node (a capture; attribute "@outer"
 * on the Parameter gives the input's index), and the final values of the Out
 * variables are the body's outputs.  Bodies nest: a capture in a nested body
 * captures in turn in the body around it. */

struct scope {
    struct env *env;
    struct mo_graph *g;
    struct scope *parent;
    struct mo_node *owner;      /* the node in parent->g whose body g is */
    const char *path;
    const MoPd__ProgramDesc *prog;
    struct mo_error *err;
    unsigned depth;
};

/* Paddle nests blocks a few deep; a corrupt file may claim any depth */
#define PD_MAX_BLOCK_DEPTH 32

/* The value of variable name seen from scope S (captured from the scopes
 * around it when S's block has not written it), or NULL; *st set on OOM. */
static struct mo_value *empty_array(struct scope *S, const char *name, enum mo_status *st);

static struct mo_value *lookup(struct scope *S, const char *name, enum mo_status *st)
{
    struct mo_value *v = env_find(S->env, name);
    if (v)
        return v;
    if (!S->parent)
        return empty_array(S, name, st);
    struct mo_value *pv = lookup(S->parent, name, st);
    if (!pv)
        return NULL;
    const struct mo_output *o = &pv->node->outputs[pv->port];
    struct mo_node *p = mo_pd_add_input(S->g, name, o->et, &o->shape);
    unsigned idx = p ? mo_node_add_input(S->owner, *pv) : 0;
    if (p && mo_pd_is_array(*pv) && (*st = mo_node_set_bool(p, MO_PD_ARRAY, true)) != MO_OK)
        return NULL;
    if (!p || (*st = mo_pd_push_slot(S->owner, MO_PD_IN_SLOTS, "@capture")) != MO_OK ||
        (*st = mo_node_set_int(p, "@outer", idx)) != MO_OK ||
        (*st = env_bind(S->env, name, mo_val(p, 0), S->err)) != MO_OK) {
        if (*st == MO_OK)
            *st = mo_error_set(S->err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    return env_find(S->env, name);
}

/* The owner input index a captured variable arrives by (captured now if
 * it is not yet), or -1 when no scope around S has the variable. */
static int64_t capture_index(struct scope *S, const char *name, enum mo_status *st)
{
    struct mo_value *v = lookup(S, name, st);
    if (!v || strcmp(v->node->type, "Parameter") != 0 || mo_graph_body(v->node->graph) == NULL)
        return -1;
    return mo_node_get_int(v->node, "@outer", -1, NULL);
}

/* A tensor array read before any op writes it: Paddle's arrays start
 * empty, and the translators hold an array as one tensor [length,
 * element...] (tr_array.c), so an empty one is a Const of length 0 with
 * the element type and shape its declaration gives.  NULL when name is no
 * array the program declares. */
static struct mo_value *empty_array(struct scope *S, const char *name, enum mo_status *st)
{
    const MoPd__VarDesc *vd = NULL;
    for (size_t b = 0; !vd && b < S->prog->n_blocks; b++) {
        const MoPd__VarDesc *d = S->prog->blocks[b] ? find_var(S->prog->blocks[b], name) : NULL;
        if (d && d->type && d->type->has_type && d->type->type == MO_PD__VAR_TYPE__TYPE__LOD_TENSOR_ARRAY)
            vd = d;
    }
    const MoPd__VarType__TensorDesc *td =
        vd && vd->type->tensor_array ? vd->type->tensor_array->tensor : NULL;
    if (!td)
        return NULL;
    struct mo_shape s = {(int)td->n_dims + 1, {0}};
    enum mo_etype et = mo_pd_etype(td->data_type);
    bool ok = td->n_dims < MO_MAX_RANK && et != MO_ET_UNDEFINED;
    for (size_t i = 0; ok && i < td->n_dims; i++) {
        ok = td->dims[i] >= 0;
        s.dims[i + 1] = td->dims[i];
    }
    if (!ok) {
        *st = mo_error_set(S->err, MO_ERR_UNSUPPORTED, 2,
                           "'%s': tensor array '%s' is read before it is written and its elements "
                           "have no static shape (declared rank %zu); write it once before the "
                           "loop, or give the elements a static shape",
                           S->path, name, td->n_dims);
        return NULL;
    }
    struct mo_tensor *t = mo_tensor_new(et, &s, S->err);
    struct mo_node *c = t ? mo_graph_add_node(S->g, "Const", name, 0, 1) : NULL;
    if (!c) {
        mo_tensor_unref(t);
        *st = mo_pd_status(S->err);
        return NULL;
    }
    c->value = t;
    c->outputs[0].et = et;
    c->outputs[0].shape = s;
    mo_node_add_output_name(c, 0, name);
    if ((*st = mo_node_set_bool(c, MO_PD_ARRAY, true)) != MO_OK ||
        (*st = env_bind(S->env, name, mo_val(c, 0), S->err)) != MO_OK)
        return NULL;
    return env_find(S->env, name);
}

static const MoPd__OpDesc__Attr *block_attr(const MoPd__OpDesc *op)
{
    for (size_t i = 0; i < op->n_attrs; i++)
        if (op->attrs[i]->type == MO_PD__ATTR_TYPE__BLOCK)
            return op->attrs[i];
    return NULL;
}

static enum mo_status walk_block(struct scope *S, const MoPd__BlockDesc *b);

/* The body of n (op, in scope S) from its sub-block: while's outputs are
 * [the condition, each Out variable] with "@back" naming, per output, the
 * input whose Parameter it becomes in the next iteration; a
 * conditional_block's are its Out variables, with "@else" naming the input
 * holding each one's value before the block (-1: none).  "@cond" is the
 * input holding the condition. */
static enum mo_status sub_block(struct scope *S, struct mo_node *n, const MoPd__OpDesc *op,
                                const MoPd__OpDesc__Attr *ba)
{
    bool loop = !strcmp(op->type, "while");
    if (!loop && strcmp(op->type, "conditional_block") != 0)
        return mo_error_set(S->err, MO_ERR_UNSUPPORTED, 2,
                            "'%s': op %s runs a sub-block; only while and conditional_block do here",
                            S->path, op->type);
    if (ba->block_idx <= 0 || (size_t)ba->block_idx >= S->prog->n_blocks ||
        !S->prog->blocks[ba->block_idx])
        return mo_error_set(S->err, MO_ERR_FORMAT, 2, "'%s': op %s runs block %d, which the program lacks",
                            S->path, op->type, ba->block_idx);
    if (S->depth >= PD_MAX_BLOCK_DEPTH)
        return mo_error_set(S->err, MO_ERR_FORMAT, 2, "'%s': blocks nest deeper than %d", S->path,
                            PD_MAX_BLOCK_DEPTH);
    const char *cond = op_input(op, loop ? "Condition" : "Cond");
    if (!cond)
        return mo_error_set(S->err, MO_ERR_FORMAT, 2, "'%s': op %s has no condition input", S->path,
                            op->type);
    struct mo_body *body = mo_body_add(n, S->err);
    if (!body)
        return mo_pd_status(S->err);
    struct env env = {0};
    struct scope C = {&env, body->graph, S, n, S->path, S->prog, S->err, S->depth + 1};
    const MoPd__OpDesc__Var *outs = NULL;
    for (size_t k = 0; k < op->n_outputs; k++)
        if (op->outputs[k]->parameter && !strcmp(op->outputs[k]->parameter, "Out"))
            outs = op->outputs[k];
    size_t nout = outs ? outs->n_arguments : 0;
    int64_t *map = calloc(nout + 2, sizeof *map);
    enum mo_status st = map ? MO_OK : mo_error_set(S->err, MO_ERR_NOMEM, 0, "out of memory");
    /* the condition and the Out variables the scopes around hold enter
     * first, so that each has a Parameter even when the block writes it
     * before reading it */
    int64_t ci = st == MO_OK ? capture_index(&C, cond, &st) : -1;
    if (st == MO_OK && ci < 0)
        st = mo_error_set(S->err, MO_ERR_FORMAT, 2, "'%s': op %s reads condition '%s' that no earlier op writes",
                          S->path, op->type, cond);
    for (size_t k = 0; k < nout && st == MO_OK; k++)
        map[k + loop] = capture_index(&C, outs->arguments[k], &st);
    if (loop) {
        /* one back edge per Parameter: the condition's own, then the
         * first time Out names a variable */
        map[0] = ci;
        for (size_t k = 0; k < nout; k++)
            for (size_t q = 0; q <= k && map[k + 1] >= 0; q++)
                if (map[q] == map[k + 1] && q != k + 1)
                    map[k + 1] = -1;
    }
    if (st == MO_OK)
        st = walk_block(&C, S->prog->blocks[ba->block_idx]);
    for (size_t k = 0; k < nout + loop && st == MO_OK; k++) {
        const char *var = loop && k == 0 ? cond : outs->arguments[k - loop];
        struct mo_value *v = env_find(&env, var);
        if (!v)
            st = mo_error_set(S->err, MO_ERR_FORMAT, 2,
                              "'%s': op %s (block %d) gives '%s', which the block neither reads nor writes",
                              S->path, op->type, ba->block_idx, var);
        else
            mo_graph_add_output(body->graph, *v);
    }
    if (st == MO_OK)
        st = mo_node_set_int(n, "@cond", ci);
    if (st == MO_OK)
        st = mo_node_set_ints(n, loop ? "@back" : "@else", map, nout + loop);
    free(map);
    free(env.v);
    return st;
}

/* Every op of block b but feed and fetch, as nodes of S->g. */
static enum mo_status walk_block(struct scope *S, const MoPd__BlockDesc *b)
{
    struct env *envp = S->env;
    const char *path = S->path;
    struct mo_graph *fw = S->g;
    struct mo_error *err = S->err;
    size_t nops = b->n_ops;
    enum mo_status st = MO_OK;
    for (size_t i = 0; i < nops && st == MO_OK; i++) {
        const MoPd__OpDesc *op = b->ops[i];
        if (!op->type) {
            st = mo_error_set(err, MO_ERR_FORMAT, 2, "'%s' is corrupt: op %zu has no type", path, i);
            break;
        }
        if (!strcmp(op->type, "feed") || !strcmp(op->type, "fetch"))
            continue;
        const char *name = NULL;
        unsigned nout = 0, nin = 0;
        for (size_t k = 0; k < op->n_outputs; k++) {
            nout += (unsigned)op->outputs[k]->n_arguments;
            /* in-place outputs (batch_norm's MeanOut...) carry a weight's
             * name; the node is named after a fresh result instead */
            for (size_t a = 0; !name && a < op->outputs[k]->n_arguments; a++) {
                struct mo_value *prev = env_find(envp, op->outputs[k]->arguments[a]);
                if (!prev || strcmp(prev->node->type, "Const") != 0)
                    name = op->outputs[k]->arguments[a];
            }
        }
        for (size_t k = 0; k < op->n_inputs; k++)
            nin += (unsigned)op->inputs[k]->n_arguments;
        for (size_t k = 0; k < op->n_attrs; k++)
            nin += (unsigned)attr_var_count(op->attrs[k]);
        char fallback[64];
        if (!name) {
            snprintf(fallback, sizeof fallback, "%s_%zu", op->type, i);
            name = fallback;
        }
        struct mo_node *n = mo_graph_add_node(fw, op->type, name, nin, nout);
        if (!n) {
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            break;
        }
        unsigned ii = 0;
        for (size_t k = 0; k < op->n_inputs && st == MO_OK; k++) {
            const MoPd__OpDesc__Var *v = op->inputs[k];
            for (size_t a = 0; a < v->n_arguments && st == MO_OK; a++) {
                struct mo_value *src = lookup(S, v->arguments[a], &st);
                if (!src) {
                    if (st == MO_OK)
                        st = mo_error_set(err, MO_ERR_FORMAT, 2,
                                      "'%s': op %zu (%s) reads variable '%s' (slot %s) that no "
                                      "earlier op writes and no parameter holds",
                                      path, i, op->type, v->arguments[a], v->parameter ? v->parameter : "?");
                    break;
                }
                mo_node_set_input(n, ii++, *src);
                st = mo_pd_push_slot(n, MO_PD_IN_SLOTS, v->parameter ? v->parameter : "");
            }
        }
        /* an attribute given as a variable (Paddle's VAR / VARS attributes,
         * e.g. squeeze2's axes as a tensor) is an input in the slot named
         * after the attribute, as PIR's loader does it */
        for (size_t k = 0; k < op->n_attrs && st == MO_OK; k++) {
            const MoPd__OpDesc__Attr *a = op->attrs[k];
            for (size_t q = 0; q < attr_var_count(a) && st == MO_OK; q++) {
                const char *vn = a->type == MO_PD__ATTR_TYPE__VAR ? a->var_name : a->vars_name[q];
                struct mo_value *src = vn ? lookup(S, vn, &st) : NULL;
                if (!src) {
                    if (st == MO_OK)
                        st = mo_error_set(err, MO_ERR_FORMAT, 2,
                                      "'%s': op %zu (%s) attribute %s reads variable '%s' that no "
                                      "earlier op writes",
                                      path, i, op->type, a->name ? a->name : "?", vn ? vn : "?");
                    break;
                }
                mo_node_set_input(n, ii++, *src);
                st = mo_pd_push_slot(n, MO_PD_IN_SLOTS, a->name ? a->name : "");
            }
        }
        /* write_to_array changes its Out array in place: the value it
         * changes is an input (slot Array) of the node, so that the
         * translator computes the new array from it */
        if (st == MO_OK && !strcmp(op->type, "write_to_array") && op_output(op, "Out")) {
            struct mo_value *prior = lookup(S, op_output(op, "Out"), &st);
            if (prior) {
                mo_node_add_input(n, *prior);
                st = mo_pd_push_slot(n, MO_PD_IN_SLOTS, "Array");
            }
        }
        /* a sub-block reads the values the op's inputs had, before its
         * outputs rebind their names */
        const MoPd__OpDesc__Attr *ba = block_attr(op);
        if (ba && st == MO_OK)
            st = sub_block(S, n, op, ba);
        unsigned oi = 0;
        for (size_t k = 0; k < op->n_outputs && st == MO_OK; k++) {
            const MoPd__OpDesc__Var *v = op->outputs[k];
            for (size_t a = 0; a < v->n_arguments && st == MO_OK; a++) {
                mo_node_add_output_name(n, oi, v->arguments[a]);
                st = mo_pd_push_slot(n, MO_PD_OUT_SLOTS, v->parameter ? v->parameter : "");
                if (st == MO_OK)
                    st = env_bind(envp, v->arguments[a], mo_val(n, oi), err);
                oi++;
            }
        }
        for (size_t k = 0; k < op->n_attrs && st == MO_OK; k++)
            st = copy_attr(n, op->attrs[k]);
    }
    return st;
}

struct io_ref {
    const char *var;
    int64_t col;
};

static int cmp_col(const void *a, const void *b)
{
    const struct io_ref *x = a, *y = b;
    return x->col < y->col ? -1 : x->col > y->col;
}

static enum mo_status build(const char *path, const char *params_path, MoPd__ProgramDesc *prog,
                            struct mo_graph *fw, struct mo_error *err)
{
    if (prog->n_blocks == 0 || !prog->blocks[0])
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s' is not a Paddle inference program: it has no blocks",
                            path);
    const MoPd__BlockDesc *b = prog->blocks[0];
    struct env env = {0};
    enum mo_status st = MO_OK;
    size_t nops = b->n_ops;
    struct io_ref *feeds = calloc(nops + 1, sizeof *feeds), *fetches = calloc(nops + 1, sizeof *fetches);
    struct mo_pd_param *params = calloc(b->n_vars + 1, sizeof *params);
    size_t nfeed = 0, nfetch = 0, nparams = 0;
    if (!feeds || !fetches || !params) {
        st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        goto out;
    }
    /* weights: persistable dense tensors (feed/fetch holders are other types) */
    for (size_t i = 0; i < b->n_vars; i++) {
        const MoPd__VarDesc *vd = b->vars[i];
        if (!vd->name || !vd->persistable || !is_tensor_var(vd))
            continue;
        if (!strcmp(vd->name, "feed") || !strcmp(vd->name, "fetch"))
            continue;
        params[nparams].name = vd->name;
        params[nparams].shape = var_shape(vd, &params[nparams].et);
        nparams++;
    }
    qsort(params, nparams, sizeof *params, mo_pd_param_cmp);
    st = mo_pd_read_params(path, params_path, params, nparams, err);
    if (st != MO_OK)
        goto out;
    for (size_t i = 0; i < nparams && st == MO_OK; i++) {
        struct mo_node *c = mo_graph_add_node(fw, "Const", params[i].name, 0, 1);
        if (!c) {
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            break;
        }
        c->value = params[i].t;     /* the node takes the reference */
        params[i].t = NULL;
        c->outputs[0].et = c->value->et;
        c->outputs[0].shape = c->value->shape;
        mo_node_add_output_name(c, 0, params[i].name);
        st = env_bind(&env, params[i].name, mo_val(c, 0), err);
    }
    /* inputs first, in column order, so Parameter order follows the model */
    for (size_t i = 0; i < nops; i++) {
        const MoPd__OpDesc *op = b->ops[i];
        if (!op->type)
            continue;
        if (!strcmp(op->type, "feed") && op_output(op, "Out"))
            feeds[nfeed++] = (struct io_ref){op_output(op, "Out"), op_int_attr(op, "col", (int64_t)i)};
        else if (!strcmp(op->type, "fetch") && op_input(op, "X"))
            fetches[nfetch++] = (struct io_ref){op_input(op, "X"), op_int_attr(op, "col", (int64_t)i)};
    }
    qsort(feeds, nfeed, sizeof *feeds, cmp_col);
    qsort(fetches, nfetch, sizeof *fetches, cmp_col);
    for (size_t i = 0; i < nfeed && st == MO_OK; i++) {
        enum mo_etype et;
        struct mo_shape sh = var_shape(find_var(b, feeds[i].var), &et);
        if (et == MO_ET_UNDEFINED)
            et = MO_ET_F32;
        struct mo_node *p = mo_pd_add_input(fw, feeds[i].var, et, &sh);
        st = p ? env_bind(&env, feeds[i].var, mo_val(p, 0), err)
               : mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    struct scope top = {&env, fw, NULL, NULL, path, prog, err, 0};
    if (st == MO_OK)
        st = walk_block(&top, b);
    for (size_t i = 0; i < nfetch && st == MO_OK; i++) {
        struct mo_value *src = env_find(&env, fetches[i].var);
        if (!src) {
            st = mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': fetch target '%s' is never computed", path,
                              fetches[i].var);
            break;
        }
        mo_graph_add_output(fw, *src);
    }
    if (st == MO_OK && !nfetch)
        st = mo_error_set(err, MO_ERR_FORMAT, 2,
                          "'%s' has no fetch ops: save it with paddle.jit.save or "
                          "paddle.static.save_inference_model",
                          path);
out:
    for (size_t i = 0; params && i < nparams; i++)
        mo_tensor_unref(params[i].t);
    free(params);
    free(feeds);
    free(fetches);
    free(env.v);
    return st;
}

enum mo_status mo_pd_program_load(const char *path, const char *params_path, struct mo_graph *fw,
                                  struct mo_error *err)
{
    struct mo_file *f = mo_file_map(path, err);
    if (!f)
        return mo_pd_status(err);
    MoPd__ProgramDesc *prog = mo_pd__program_desc__unpack(NULL, mo_file_size(f), mo_file_data(f));
    enum mo_status st;
    if (!prog)
        st = mo_error_set(err, MO_ERR_FORMAT, 2,
                          "'%s' is truncated or corrupt: it does not decode as a Paddle "
                          "ProgramDesc",
                          path);
    else
        st = build(path, params_path, prog, fw, err);
    if (prog)
        mo_pd__program_desc__free_unpacked(prog, NULL);
    mo_file_unref(f);
    return st;
}
