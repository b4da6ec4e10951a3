/* graph.c - GraphDef -> framework graph (see tf.h for its shape).
 *
 * A binary file is mapped, and its tensor_content bytes are taken out of a
 * copy of the wire bytes (a marker left in their place) before protobuf-c
 * unpacks the rest, so the unpacked graph is small whatever the weights
 * weigh and every Const is a view of the map.  A text file goes through
 * plugins/common/pb_text (its errors carry the line and column).
 *
 * NodeDefs are found by name.  A GraphDef need not be in topological order,
 * so every node is made before any input is connected. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/pb_text.h"
#include "tf_load.h"

/* Message kinds for the wire walk. */
enum { M_GRAPH, M_NODE, M_ENTRY, M_ATTR, M_LIST, M_TENSOR, M_LIBRARY, M_FUNCTION, M_META, M_SAVED };

/* Where a TensorProto can sit, and its tensor_content (field 4) marked. */
static const struct mo_pb_rule strip_rules[] = {
    {M_GRAPH, 1, MO_PB_DESCEND, M_NODE},       /* GraphDef.node */
    {M_GRAPH, 2, MO_PB_DESCEND, M_LIBRARY},    /* GraphDef.library */
    {M_LIBRARY, 1, MO_PB_DESCEND, M_FUNCTION}, /* FunctionDefLibrary.function */
    {M_FUNCTION, 3, MO_PB_DESCEND, M_NODE},    /* FunctionDef.node_def */
    {M_FUNCTION, 5, MO_PB_DESCEND, M_ENTRY},   /* FunctionDef.attr */
    {M_NODE, 5, MO_PB_DESCEND, M_ENTRY},       /* NodeDef.attr */
    {M_ENTRY, 2, MO_PB_DESCEND, M_ATTR},       /* the entry's AttrValue */
    {M_ATTR, 8, MO_PB_DESCEND, M_TENSOR},      /* AttrValue.tensor */
    {M_ATTR, 1, MO_PB_DESCEND, M_LIST},        /* AttrValue.list */
    {M_LIST, 8, MO_PB_DESCEND, M_TENSOR},      /* ListValue.tensor */
    {M_TENSOR, 4, MO_PB_MARK, 0},              /* TensorProto.tensor_content */
    {M_META, 2, MO_PB_DESCEND, M_GRAPH},       /* MetaGraphDef.graph_def */
    {M_SAVED, 2, MO_PB_DESCEND, M_META},       /* SavedModel.meta_graphs */
};

/* --- node names ------------------------------------------------------------- */

struct names {
    const char **key;
    unsigned *val;
    size_t cap;
};

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* The slot of name[0..n) (NUL-terminated keys compared by length). */
static size_t names_slot(const struct names *t, const char *name, size_t n)
{
    size_t i = (size_t)hash(name, n) & (t->cap - 1);
    while (t->key[i] && (strlen(t->key[i]) != n || memcmp(t->key[i], name, n)))
        i = (i + 1) & (t->cap - 1);
    return i;
}

/* --- the graph -------------------------------------------------------------- */

struct build {
    struct mo_tf_loader *L;
    struct mo_graph *fw;
    const MoTf__GraphDef *g;
    struct names names;          /* NodeDef name -> index */
    unsigned *n_out;             /* outputs each NodeDef needs */
    unsigned *uses;              /* data consumers of each NodeDef */
    struct mo_node **node;       /* the framework node of each NodeDef (NULL: NoOp) */
    struct mo_error *err;
    const char *result;          /* a body: the IdentityN whose inputs are its outputs */
    struct mo_tf_frame *frames;  /* TF1 while loops made While NodeDefs (frames.c) */
    size_t n_frames;
    /* a TF2 SavedModel's captured variables: VarHandleOp var_node[i] is
     * checkpoint key var_key[i] (saved_variables; arena strings) */
    const char **var_node, **var_key;
    size_t n_var;
};

/* The op of a body's argument in the NodeDef list a body is built from
 * (fn_body): a Parameter typed by its translator. */
#define ARG_OP "@Arg"

static enum mo_status fn_bodies(struct build *B, struct mo_node *n, const MoTf__NodeDef *nd);

static enum mo_status oom(struct build *B)
{
    return mo_error_set(B->err, MO_ERR_NOMEM, 0, "out of memory reading '%s'", B->L->what);
}

/* An input reference: "^name" (control), "name", "name:k".  Returns false
 * for a control input; else the producer's name is ref[0..*len) and its
 * port *port. */
static bool parse_ref(const char *ref, size_t *len, unsigned *port)
{
    if (ref[0] == '^')
        return false;
    const char *colon = strrchr(ref, ':');
    *len = strlen(ref);
    *port = 0;
    if (colon && colon[1]) {
        char *end;
        unsigned long k = strtoul(colon + 1, &end, 10);
        if (!*end && k < 4096) {
            *len = (size_t)(colon - ref);
            *port = (unsigned)k;
        }
    }
    return true;
}

/* The NodeDef index a reference names, or -1. */
static long find_node(const struct build *B, const char *name, size_t n)
{
    size_t s = names_slot(&B->names, name, n);
    return B->names.key[s] ? (long)B->names.val[s] : -1;
}

static bool is_noop(const MoTf__NodeDef *nd)
{
    return nd->op && !strcmp(nd->op, "NoOp");
}

static const MoTf__AttrValue *attr_of(const MoTf__NodeDef *nd, const char *key)
{
    for (size_t i = 0; i < nd->n_attr; i++)
        if (nd->attr[i]->key && !strcmp(nd->attr[i]->key, key))
            return nd->attr[i]->value;
    return NULL;
}

static char *bytes_str(struct build *B, ProtobufCBinaryData d)
{
    char *s = mo_graph_alloc(B->fw, d.len + 1);
    if (s && d.len)
        memcpy(s, d.data, d.len);
    if (s)
        s[d.len] = 0;
    return s;
}

static enum mo_status set_attr(struct build *B, struct mo_node *n, const char *key, const MoTf__AttrValue *a)
{
    char qn[MO_QUOTE_SIZE], qa[MO_QUOTE_SIZE];
    enum mo_status st = MO_OK;
    switch (a->value_case) {
    case MO_TF__ATTR_VALUE__VALUE_S: {
        char *s = bytes_str(B, a->s);
        st = s ? mo_node_set_str(n, key, s) : MO_ERR_NOMEM;
        break;
    }
    case MO_TF__ATTR_VALUE__VALUE_I: st = mo_node_set_int(n, key, a->i); break;
    case MO_TF__ATTR_VALUE__VALUE_F: st = mo_node_set_float(n, key, a->f); break;
    case MO_TF__ATTR_VALUE__VALUE_B: st = mo_node_set_bool(n, key, a->b); break;
    case MO_TF__ATTR_VALUE__VALUE_TYPE: st = mo_node_set_int(n, key, a->type); break;
    case MO_TF__ATTR_VALUE__VALUE_SHAPE: {
        struct mo_shape sh;
        char *what = mo_graph_printf(B->fw, "attribute '%s' of node '%s'", mo_quote(qa, key), mo_quote(qn, n->name));
        if (!what)
            return oom(B);
        if ((st = mo_tf_shape(B->L, a->shape, what, &sh, B->err)) != MO_OK)
            return st;
        if (sh.rank >= 0)
            st = mo_node_set_ints(n, key, sh.dims, (size_t)sh.rank);
        break;
    }
    case MO_TF__ATTR_VALUE__VALUE_TENSOR: {
        char *what = mo_graph_printf(B->fw, "attribute '%s' of node '%s'", mo_quote(qa, key), mo_quote(qn, n->name));
        struct mo_tensor *t;
        if (!what)
            return oom(B);
        if ((st = mo_tf_tensor(B->L, a->tensor, what, &t, B->err)) != MO_OK)
            return st;
        st = mo_node_set_tensor(n, key, t);
        mo_tensor_unref(t);
        break;
    }
    case MO_TF__ATTR_VALUE__VALUE_LIST: {
        const MoTf__AttrValue__ListValue *l = a->list;
        if (l->n_i) {
            st = mo_node_set_ints(n, key, l->i, l->n_i);
        } else if (l->n_f) {
            double *v = mo_graph_alloc(B->fw, l->n_f * sizeof *v);
            if (!v)
                return oom(B);
            for (size_t i = 0; i < l->n_f; i++)
                v[i] = l->f[i];
            st = mo_node_set_floats(n, key, v, l->n_f);
        } else if (l->n_s) {
            const char **v = mo_graph_alloc(B->fw, l->n_s * sizeof *v);
            if (!v)
                return oom(B);
            for (size_t i = 0; i < l->n_s; i++)
                if (!(v[i] = bytes_str(B, l->s[i])))
                    return oom(B);
            st = mo_node_set_strs(n, key, v, l->n_s);
        } else if (l->n_type) {
            int64_t *v = mo_graph_alloc(B->fw, l->n_type * sizeof *v);
            if (!v)
                return oom(B);
            for (size_t i = 0; i < l->n_type; i++)
                v[i] = l->type[i];
            st = mo_node_set_ints(n, key, v, l->n_type);
        } else if (l->n_b) {
            int64_t *v = mo_graph_alloc(B->fw, l->n_b * sizeof *v);
            if (!v)
                return oom(B);
            for (size_t i = 0; i < l->n_b; i++)
                v[i] = l->b[i];
            st = mo_node_set_ints(n, key, v, l->n_b);
        } else if (!l->n_shape && !l->n_tensor && !l->n_func) {
            st = mo_node_set_ints(n, key, NULL, 0);     /* an empty list */
        }
        /* a list of shapes (a While's output_shapes): shape k as ints
         * "<key>@k", absent for an unknown rank */
        for (size_t k = 0; l->n_shape && k < l->n_shape && st == MO_OK; k++) {
            struct mo_shape sh;
            char *what = mo_graph_printf(B->fw, "attribute '%s' of node '%s'", mo_quote(qa, key), mo_quote(qn, n->name));
            char *kk = mo_graph_printf(B->fw, "%s@%zu", key, k);
            if (!what || !kk)
                return oom(B);
            if ((st = mo_tf_shape(B->L, l->shape[k], what, &sh, B->err)) != MO_OK)
                return st;
            if (sh.rank >= 0)
                st = mo_node_set_ints(n, kk, sh.dims, (size_t)sh.rank);
        }
        /* lists of tensors and functions: no translator reads them yet */
        break;
    }
    default:
        /* func, placeholder: function-valued attributes are left out; the
         * ops that need them report themselves */
        break;
    }
    return st == MO_OK ? MO_OK : oom(B);
}

/* A framework Const named name holding t (the node takes the reference;
 * on OOM t is released and NULL returned). */
static struct mo_node *const_node(struct build *B, const char *name, struct mo_tensor *t)
{
    struct mo_node *n = mo_graph_add_node(B->fw, "Const", name, 0, 1);
    if (!n) {
        mo_tensor_unref(t);
        return NULL;
    }
    n->value = t;
    n->outputs[0].et = t->et;
    n->outputs[0].shape = t->shape;
    return n;
}

static enum mo_status make_node(struct build *B, size_t i)
{
    char qn[MO_QUOTE_SIZE], qt[16];
    const MoTf__NodeDef *nd = B->g->node[i];
    const char *op = nd->op;
    if (is_noop(nd))
        return MO_OK;
    struct mo_node *n;
    if (!strcmp(op, ARG_OP)) {
        if (!(n = mo_graph_add_node(B->fw, "Parameter", nd->name, 0, 1)))
            return oom(B);
        n->outputs[0].et = MO_ET_UNDEFINED;
        n->outputs[0].shape = mo_shape_unknown();
    } else if (!strcmp(op, "Placeholder") && !B->uses[i] &&
               !strncmp(nd->name, "unused_control_flow_input", 25)) {
        /* what TensorFlow's lowering of functional control flow leaves in
         * place of a function's control input: read by nothing, fed by
         * nobody, no input of the model */
        return MO_OK;
    } else if (!strcmp(op, "Placeholder")) {
        const MoTf__AttrValue *dt = attr_of(nd, "dtype"), *sh = attr_of(nd, "shape");
        int dtype = dt && dt->value_case == MO_TF__ATTR_VALUE__VALUE_TYPE ? (int)dt->type : 0;
        enum mo_etype et = mo_tf_etype(dtype);
        if (et == MO_ET_UNDEFINED)
            return mo_error_set(B->err, MO_ERR_UNSUPPORTED, 10,
                                "'%s': Placeholder '%s' has element type %s, which the IR cannot hold",
                                B->L->what, mo_quote(qn, nd->name), mo_tf_dtype_name(dtype, qt));
        struct mo_shape s = mo_shape_unknown();
        if (sh && sh->value_case == MO_TF__ATTR_VALUE__VALUE_SHAPE) {
            char *what = mo_graph_printf(B->fw, "the shape of Placeholder '%s'", mo_quote(qn, nd->name));
            enum mo_status st = what ? mo_tf_shape(B->L, sh->shape, what, &s, B->err) : oom(B);
            if (st != MO_OK)
                return st;
        }
        if (!(n = mo_graph_add_node(B->fw, "Parameter", nd->name, 0, 1)))
            return oom(B);
        n->outputs[0].et = et;
        n->outputs[0].shape = s;
    } else if (!B->L->ckpt && (!strcmp(op, "VariableV2") || !strcmp(op, "Variable") ||
                               !strcmp(op, "VarHandleOp"))) {
        return mo_error_set(B->err, MO_ERR_FORMAT, 0,
                            "'%s': variable '%s' (%s) has no value without its checkpoint: pass "
                            "--input_checkpoint PREFIX (a meta graph's is FILE without .meta, a SavedModel's "
                            "DIR/variables/variables), or freeze the graph", B->L->what, mo_quote(qn, nd->name), op);
    } else if (!strcmp(op, "VariableV2") || !strcmp(op, "Variable") || !strcmp(op, "VarHandleOp")) {
        /* a variable is its value in the checkpoint: TF1 saves it under the
         * node's name, a resource variable under its shared_name */
        const MoTf__AttrValue *sn = attr_of(nd, "shared_name");
        const char *key = nd->name;
        const char *saved = NULL;
        for (size_t v = 0; v < B->n_var && !saved; v++)
            if (!strcmp(B->var_node[v], nd->name))
                saved = B->var_key[v];
        if (saved) {
            key = saved;
        } else if (sn && sn->value_case == MO_TF__ATTR_VALUE__VALUE_S && sn->s.len) {
            char *k = bytes_str(B, sn->s);
            if (!k)
                return oom(B);
            key = k;
        }
        struct mo_tensor *t;
        enum mo_status st = mo_tf_ckpt_tensor(B->L->ckpt, key, &t, B->err);
        if (st != MO_OK) {
            if (strcmp(key, nd->name))
                mo_error_prefix(B->err, "%s '%s'", op, mo_quote(qn, nd->name));
            return st;
        }
        /* its CRC check read every page: give them back, so that memory
         * does not grow with the checkpoint (the writer reads them again) */
        mo_tensor_drop_pages(t);
        /* the value must have the variable's declared shape, where it has
         * a static one: a part of a partitioned variable (NAME/part_K) is
         * the slice the checkpoint orders K-th, and this proves it is the
         * one the graph means */
        const MoTf__AttrValue *vs = attr_of(nd, "shape");
        struct mo_shape want;
        struct mo_error serr = {0};
        if (vs && vs->value_case == MO_TF__ATTR_VALUE__VALUE_SHAPE &&
            mo_tf_shape(B->L, vs->shape, "a variable's shape", &want, &serr) == MO_OK && want.rank >= 0 &&
            mo_shape_is_static(&want) && !mo_shape_equal(&want, &t->shape)) {
            char s1[96], s2[96];
            mo_shape_str(&want, s1, sizeof s1);
            mo_shape_str(&t->shape, s2, sizeof s2);
            mo_tensor_unref(t);
            return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': %s '%s' has shape [%s], but its value in the "
                                "checkpoint has shape [%s] (the checkpoint is not this graph's)", B->L->what, op,
                                mo_quote(qn, nd->name), s1, s2);
        }
        if (!(n = const_node(B, nd->name, t)))
            return oom(B);
    } else if (!strcmp(op, "Const")) {
        const MoTf__AttrValue *v = attr_of(nd, "value");
        if (!v || v->value_case != MO_TF__ATTR_VALUE__VALUE_TENSOR)
            return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': Const '%s' has no value tensor", B->L->what,
                                mo_quote(qn, nd->name));
        char *what = mo_graph_printf(B->fw, "the value of Const '%s'", mo_quote(qn, nd->name));
        struct mo_tensor *t;
        enum mo_status st = what ? mo_tf_tensor(B->L, v->tensor, what, &t, B->err) : oom(B);
        if (st != MO_OK)
            return st;
        if (!(n = const_node(B, nd->name, t)))
            return oom(B);
    } else {
        unsigned nin = 0;
        for (size_t k = 0; k < nd->n_input; k++)
            nin += nd->input[k][0] != '^';
        if (!(n = mo_graph_add_node(B->fw, op, nd->name, nin, B->n_out[i])))
            return oom(B);
        for (size_t k = 0; k < nd->n_attr; k++) {
            const MoTf__AttrEntry *e = nd->attr[k];
            if (!e->key || !e->value)
                continue;
            enum mo_status st = set_attr(B, n, e->key, e->value);
            if (st != MO_OK)
                return st;
        }
        enum mo_status st = fn_bodies(B, n, nd);
        if (st != MO_OK)
            return st;
    }
    for (unsigned o = 0; o < n->n_outputs; o++) {
        const char *on = o ? mo_graph_printf(B->fw, "%s:%u", nd->name, o) : nd->name;
        if (!on)
            return oom(B);
        mo_node_add_output_name(n, o, on);
    }
    B->node[i] = n;
    return MO_OK;
}

/* Index the nodes, count each one's outputs and consumers. */
static enum mo_status scan(struct build *B)
{
    char qn[MO_QUOTE_SIZE], qi[MO_QUOTE_SIZE];
    const MoTf__GraphDef *g = B->g;
    size_t cap = 16;
    while (cap < 2 * g->n_node + 2)
        cap *= 2;
    B->names.cap = cap;
    B->names.key = calloc(cap, sizeof *B->names.key);
    B->names.val = calloc(cap, sizeof *B->names.val);
    B->n_out = calloc(g->n_node + 1, sizeof *B->n_out);
    B->uses = calloc(g->n_node + 1, sizeof *B->uses);
    B->node = calloc(g->n_node + 1, sizeof *B->node);
    if (!B->names.key || !B->names.val || !B->n_out || !B->uses || !B->node)
        return oom(B);
    for (size_t i = 0; i < g->n_node; i++) {
        const MoTf__NodeDef *nd = g->node[i];
        if (!nd->name || !nd->name[0])
            return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': node %zu has no name", B->L->what, i);
        if (!nd->op || !nd->op[0])
            return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': node '%s' has no op", B->L->what,
                                mo_quote(qn, nd->name));
        if (nd->n_input > 65536)
            return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': node '%s' has %zu inputs", B->L->what,
                                mo_quote(qn, nd->name), nd->n_input);
        size_t s = names_slot(&B->names, nd->name, strlen(nd->name));
        if (B->names.key[s])
            return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': two nodes are named '%s'", B->L->what,
                                mo_quote(qn, nd->name));
        B->names.key[s] = nd->name;
        B->names.val[s] = (unsigned)i;
        B->n_out[i] = 1;
        if (B->result && !strcmp(nd->name, B->result))
            B->n_out[i] = (unsigned)nd->n_input;    /* the body's results */
    }
    for (size_t i = 0; i < g->n_node; i++) {
        const MoTf__NodeDef *nd = g->node[i];
        for (size_t k = 0; k < nd->n_input; k++) {
            size_t len;
            unsigned port;
            if (!parse_ref(nd->input[k], &len, &port)) {
                /* a node something waits for is no output either (a
                 * tf.cond's pivot) */
                long p = find_node(B, nd->input[k] + 1, strlen(nd->input[k] + 1));
                if (p >= 0)
                    B->uses[p]++;
                continue;
            }
            long p = find_node(B, nd->input[k], len);
            if (p < 0 || is_noop(g->node[p]))
                return mo_error_set(B->err, MO_ERR_FORMAT, 2,
                                    "'%s': input '%s' of node '%s' (%s) names no node of the graph; the "
                                    "graph is incomplete", B->L->what, mo_quote(qi, nd->input[k]),
                                    mo_quote(qn, nd->name), nd->op);
            if (port + 1 > B->n_out[p])
                B->n_out[p] = port + 1;
            B->uses[p]++;
        }
    }
    return MO_OK;
}

static enum mo_status connect(struct build *B)
{
    const MoTf__GraphDef *g = B->g;
    for (size_t i = 0; i < g->n_node; i++) {
        const MoTf__NodeDef *nd = g->node[i];
        struct mo_node *n = B->node[i];
        if (!n || !n->n_inputs)
            continue;
        unsigned k = 0;
        for (size_t j = 0; j < nd->n_input; j++) {
            size_t len;
            unsigned port;
            if (!parse_ref(nd->input[j], &len, &port))
                continue;
            long p = find_node(B, nd->input[j], len);
            mo_node_set_input(n, k++, mo_val(B->node[p], port));
        }
    }
    if (B->result) {
        struct mo_node *r = NULL;
        for (size_t i = 0; i < g->n_node && !r; i++)
            if (B->node[i] && !strcmp(g->node[i]->name, B->result))
                r = B->node[i];
        for (unsigned o = 0; r && o < r->n_outputs; o++)
            mo_graph_add_output(B->fw, mo_val(r, o));
        return MO_OK;
    }
    /* the outputs: what nobody reads */
    unsigned nout = 0;
    for (size_t i = 0; i < g->n_node; i++) {
        struct mo_node *n = B->node[i];
        if (!n || B->uses[i] || !strcmp(n->type, "Const") || !strcmp(n->type, "Parameter"))
            continue;
        for (unsigned o = 0; o < n->n_outputs; o++)
            mo_graph_add_output(B->fw, mo_val(n, o));
        nout++;
    }
    if (!nout)
        return mo_error_set(B->err, MO_ERR_FORMAT, 2,
                            "'%s': every node of the graph is read by another, so it has no outputs; name "
                            "them with --output", B->L->what);
    return MO_OK;
}

/* --- TF1 conditionals ------------------------------------------------------
 * A frozen tf.cond is lowered to Switch (data, pred) -> the branches ->
 * Merge.  Merge picks whichever input is alive; with both branches computed
 * that is Select(pred, true input, false input), so each Merge gets the
 * predicate as an extra input and MO_TF_TRUE_INPUT says which input is the
 * true branch.  The branch of a Merge input is the output port (1 true, 0
 * false) of the Switch its value comes through, found by walking up data
 * and control edges (a branch returning a Const reaches it through its
 * control edge to the branch's pivot, an Identity of the predicate's own
 * Switch); nested conditionals are passed through by counting Merges
 * against Switches. */

#define MAX_COND_WALK 100000

/* The Switch above output `port` of NodeDef i at nesting depth `depth`, and
 * the port through which the walk left it; -1 when none. */
static long switch_above(struct build *B, size_t i, unsigned port, int depth, unsigned char *seen, long *budget,
                         unsigned *sw_port)
{
    const MoTf__NodeDef *nd = B->g->node[i];
    if (--*budget < 0)
        return -1;
    if (!strcmp(nd->op, "Switch")) {
        if (depth == 0) {
            *sw_port = port;
            return (long)i;
        }
        depth--;
    } else if (!strcmp(nd->op, "Merge")) {
        depth++;
    }
    if (seen[i])
        return -1;
    seen[i] = 1;
    bool sw = !strcmp(nd->op, "Switch");
    for (size_t k = 0; k < nd->n_input; k++) {
        const char *ref = nd->input[k];
        size_t len;
        unsigned p = 0;
        bool ctrl = !parse_ref(ref, &len, &p);
        if (ctrl)
            ref++, len = strlen(ref), p = 0;
        if (sw && k > 0)
            break;       /* an inner Switch: on through its data only */
        long q = find_node(B, ref, len);
        if (q < 0)
            continue;
        long r = switch_above(B, (size_t)q, p, depth, seen, budget, sw_port);
        if (r >= 0)
            return r;
    }
    return -1;
}

static enum mo_status lower_merges(struct build *B)
{
    char qn[MO_QUOTE_SIZE];
    const MoTf__GraphDef *g = B->g;
    unsigned char *seen = NULL;
    enum mo_status st = MO_OK;
    for (size_t i = 0; i < g->n_node && st == MO_OK; i++) {
        const MoTf__NodeDef *nd = g->node[i];
        if (!strcmp(nd->op, "Enter") || !strcmp(nd->op, "NextIteration") || !strcmp(nd->op, "LoopCond"))
            return mo_error_set(B->err, MO_ERR_UNSUPPORTED, 10,
                                "'%s': node '%s' (%s) belongs to a TF1 while loop, which this mo does not "
                                "convert yet", B->L->what, mo_quote(qn, nd->name), nd->op);
    }
    for (size_t i = 0; i < g->n_node && st == MO_OK; i++) {
        const MoTf__NodeDef *nd = g->node[i];
        struct mo_node *n = B->node[i];
        if (strcmp(nd->op, "Merge") || !n)
            continue;
        if (n->n_inputs != 2)
            return mo_error_set(B->err, MO_ERR_UNSUPPORTED, 10, "'%s': Merge '%s' has %u inputs; only the two "
                                "of a tf.cond are supported", B->L->what, mo_quote(qn, nd->name), n->n_inputs);
        if (!seen && !(seen = malloc(g->n_node)))
            return oom(B);
        long sw[2] = {-1, -1};
        unsigned port[2] = {0, 0};
        for (unsigned k = 0; k < 2; k++) {
            size_t len;
            unsigned p;
            size_t j = 0;
            for (unsigned d = 0; j < nd->n_input; j++)
                if (nd->input[j][0] != '^' && d++ == k)
                    break;
            parse_ref(nd->input[j], &len, &p);
            long q = find_node(B, nd->input[j], len);
            long budget = MAX_COND_WALK;
            memset(seen, 0, g->n_node);
            sw[k] = q >= 0 ? switch_above(B, (size_t)q, p, 0, seen, &budget, &port[k]) : -1;
        }
        if (sw[0] < 0 || sw[1] < 0 || port[0] == port[1]) {
            st = mo_error_set(B->err, MO_ERR_UNSUPPORTED, 10,
                              "'%s': Merge '%s' is not the end of a tf.cond this mo recognizes (no Switch "
                              "with both branches above it)", B->L->what, mo_quote(qn, nd->name));
            break;
        }
        /* the predicate: input 1 of the Switch */
        const MoTf__NodeDef *s = g->node[sw[0]];
        size_t len;
        unsigned p;
        if (s->n_input < 2 || !parse_ref(s->input[1], &len, &p) || find_node(B, s->input[1], len) < 0) {
            st = mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': Switch '%s' has no predicate", B->L->what,
                              mo_quote(qn, s->name));
            break;
        }
        long pq = find_node(B, s->input[1], len);
        if (!B->node[pq] || p >= B->node[pq]->n_outputs) {
            st = mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': the predicate of Switch '%s' is no tensor",
                              B->L->what, mo_quote(qn, s->name));
            break;
        }
        mo_node_add_input(n, mo_val(B->node[pq], p));
        B->uses[pq]++;
        if (mo_node_set_int(n, MO_TF_TRUE_INPUT, port[0] == 1 ? 0 : 1) != MO_OK)
            st = oom(B);
    }
    free(seen);
    return st;
}

/* --- pruning a training graph ---------------------------------------------- */

/* Ops that save, restore or initialise variables: a meta graph or a
 * SavedModel holds them beside the model, and no output of the model
 * depends on them. */
static bool is_saver_op(const char *op)
{
    static const char *const v[] = {"SaveV2", "RestoreV2", "Save", "Restore", "SaveSlices", "RestoreSlice",
                                    "MergeV2Checkpoints", "Assign", "AssignVariableOp", "AssignAdd", "AssignSub",
                                    "AssignAddVariableOp", "AssignSubVariableOp", "VarIsInitializedOp",
                                    "IsVariableInitialized", "ShardedFilename", "StringJoin",
                                    /* resource variables saved in slices (a partitioned one) */
                                    "DisableCopyOnRead"};
    for (size_t i = 0; op && i < MO_COUNT_OF(v); i++)
        if (!strcmp(op, v[i]))
            return true;
    return false;
}

static long names_find(const struct names *t, const char *name, size_t n)
{
    size_t s = names_slot(t, name, n);
    return t->key[s] ? (long)t->val[s] : -1;
}

/* A ReadVariableOp nothing reads, right on a VarHandleOp: the value
 * tf.compat.v1.get_variable adds for each part of a partitioned variable
 * (NAME/part_K/Read/ReadVariableOp), no output of the model. */
static bool is_bare_read(const struct names *t, MoTf__NodeDef **nodes, const MoTf__NodeDef *nd)
{
    if (!nd->op || strcmp(nd->op, "ReadVariableOp") || nd->n_input < 1)
        return false;
    size_t len;
    unsigned port;
    if (!parse_ref(nd->input[0], &len, &port))
        return false;
    long j = names_find(t, nd->input[0], len);
    return j >= 0 && nodes[j]->op && !strcmp(nodes[j]->op, "VarHandleOp");
}

/* nodes[0..*n) cut down to what the roots need (data inputs, transitively):
 * roots are the n_roots names given (a ":k" suffix ignored), or, when none,
 * every node nothing reads (nor waits for) whose inputs reach no saver op. */
static enum mo_status prune(struct build *B, MoTf__NodeDef **nodes, size_t *n, const char *const *roots,
                            size_t n_roots)
{
    char q[MO_QUOTE_SIZE];
    size_t cnt = *n, cap = 16;
    while (cap < 2 * cnt + 2)
        cap *= 2;
    struct names t = {calloc(cap, sizeof(char *)), calloc(cap, sizeof(unsigned)), cap};
    unsigned char *read = calloc(cnt + 1, 1), *state = calloc(cnt + 1, 1), *keep = calloc(cnt + 1, 1);
    size_t *stack = malloc((cnt + 1) * sizeof *stack);
    enum mo_status st = MO_OK;
    if (!t.key || !t.val || !read || !state || !keep || !stack) {
        st = oom(B);
        goto out;
    }
    for (size_t i = 0; i < cnt; i++) {
        if (!nodes[i]->name)
            continue;
        size_t sl = names_slot(&t, nodes[i]->name, strlen(nodes[i]->name));
        t.key[sl] = nodes[i]->name;
        t.val[sl] = (unsigned)i;
    }
    for (size_t i = 0; i < cnt; i++)
        for (size_t k = 0; k < nodes[i]->n_input; k++) {
            const char *r = nodes[i]->input[k];
            size_t len;
            unsigned port;
            if (!parse_ref(r, &len, &port)) {
                r++;
                len = strlen(r);
            }
            long j = names_find(&t, r, len);
            if (j >= 0)
                read[j] = 1;
        }
    size_t sp = 0;
    if (n_roots) {
        for (size_t i = 0; i < n_roots; i++) {
            size_t len;
            unsigned port;
            parse_ref(roots[i], &len, &port);
            long j = names_find(&t, roots[i], len);
            if (j < 0) {
                st = mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': the signature's output '%s' is no node of "
                                  "the graph", B->L->what, mo_quote(q, roots[i]));
                goto out;
            }
            if (!keep[j])
                keep[j] = 1, stack[sp++] = (size_t)j;
        }
    } else {
        /* state: 1 visiting, 2 clean, 3 reaches a saver op (iterative DFS
         * over every input, control ones included) */
        for (size_t i0 = 0; i0 < cnt; i0++) {
            if (read[i0] || state[i0])
                continue;
            size_t top = 0;
            stack[top++] = i0;
            state[i0] = 1;
            while (top) {
                size_t i = stack[top - 1];
                bool pushed = false, dirty = is_saver_op(nodes[i]->op);
                for (size_t k = 0; k < nodes[i]->n_input && !pushed; k++) {
                    const char *r = nodes[i]->input[k];
                    size_t len;
                    unsigned port;
                    if (!parse_ref(r, &len, &port)) {
                        r++;
                        len = strlen(r);
                    }
                    long j = names_find(&t, r, len);
                    if (j < 0)
                        continue;
                    if (!state[j]) {
                        state[j] = 1;
                        stack[top++] = (size_t)j;
                        pushed = true;
                    } else if (state[j] == 3) {
                        dirty = true;
                    }
                }
                if (!pushed) {
                    state[i] = dirty ? 3 : 2;
                    top--;
                }
            }
        }
        for (size_t i = 0; i < cnt; i++)
            if (!read[i] && state[i] == 2 && !is_noop(nodes[i]) && !is_bare_read(&t, nodes, nodes[i]))
                keep[i] = 1, stack[sp++] = i;
        if (!sp) {
            st = mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': every node of the graph saves, restores or "
                              "initialises variables; name the outputs (--output)", B->L->what);
            goto out;
        }
    }
    while (sp) {
        size_t i = stack[--sp];
        for (size_t k = 0; k < nodes[i]->n_input; k++) {
            size_t len;
            unsigned port;
            if (!parse_ref(nodes[i]->input[k], &len, &port))
                continue;
            long j = names_find(&t, nodes[i]->input[k], len);
            if (j >= 0 && !keep[j])
                keep[j] = 1, stack[sp++] = (size_t)j;
        }
    }
    size_t w = 0;
    for (size_t i = 0; i < cnt; i++)
        if (keep[i])
            nodes[w++] = nodes[i];
    /* control inputs of kept nodes may name dropped ones: the loader skips
     * control inputs, so they are harmless */
    *n = w;
out:
    free(t.key);
    free(t.val);
    free(read);
    free(state);
    free(keep);
    free(stack);
    return st;
}

static enum mo_status build_graph(struct build *B)
{
    MoTf__NodeDef **nodes = B->g->node;
    size_t n = B->g->n_node;
    struct mo_tf_frame *conds = NULL;
    size_t n_conds = 0;
    enum mo_status st = mo_tf_lower_frames(B->L, B->fw, &nodes, &n, &B->frames, &B->n_frames, B->err);
    if (st == MO_OK)
        st = mo_tf_lower_conds(B->L, B->fw, &nodes, &n, &conds, &n_conds, B->err);
    if (st != MO_OK)
        return st;
    if (n_conds) {
        struct mo_tf_frame *all = mo_graph_alloc(B->fw, (B->n_frames + n_conds) * sizeof *all);
        if (!all)
            return oom(B);
        if (B->n_frames)
            memcpy(all, B->frames, B->n_frames * sizeof *all);
        memcpy(all + B->n_frames, conds, n_conds * sizeof *all);
        B->frames = all;
        B->n_frames += n_conds;
    }
    if (B->n_frames) {
        MoTf__GraphDef *g2 = mo_graph_alloc(B->fw, sizeof *g2);
        if (!g2)
            return oom(B);
        *g2 = *B->g;
        g2->node = nodes;
        g2->n_node = n;
        B->g = g2;
    }
    st = scan(B);
    for (size_t i = 0; i < B->g->n_node && st == MO_OK; i++)
        st = make_node(B, i);
    if (st == MO_OK)
        st = lower_merges(B);
    if (st == MO_OK)
        st = connect(B);
    return st;
}

static void build_free(struct build *B)
{
    free(B->names.key);
    free(B->names.val);
    free(B->n_out);
    free(B->uses);
    free(B->node);
}

/* --- functional control flow ----------------------------------------------
 * While / StatelessWhile (cond, body) and If / StatelessIf (then_branch,
 * else_branch) get their functions as framework bodies of their node, in
 * that order (tr_flow.c): a body's Parameters are the function's
 * arguments in order (an "@Arg" NodeDef each, typed from the node's
 * T / Tin list), its outputs the function's results. */

/* The element type attribute list key of nd gives its i-th input. */
static enum mo_etype list_type(const MoTf__NodeDef *nd, const char *key, size_t i)
{
    const MoTf__AttrValue *a = attr_of(nd, key);
    if (!a || a->value_case != MO_TF__ATTR_VALUE__VALUE_LIST || i >= a->list->n_type)
        return MO_ET_UNDEFINED;
    return mo_tf_etype(a->list->type[i]);
}

/* The body graph of body from nodes[0..n): n_args "@Arg" nodes first, the
 * last the IdentityN named name; argument a of DataType dt[a] (-1: entry a
 * of the list attribute types of nd). */
static enum mo_status list_body(struct build *B, struct mo_body *body, MoTf__NodeDef **nodes, size_t n,
                                const char *name, size_t n_args, const int *dt, const MoTf__NodeDef *nd,
                                const char *types)
{
    MoTf__GraphDef g2 = *B->g;
    g2.node = nodes;
    g2.n_node = n;
    mo_graph_keep_inputs(body->graph, true);
    struct build B2 = {B->L, body->graph, &g2, {NULL, NULL, 0}, NULL, NULL, NULL, B->err, name, NULL, 0,
                        B->var_node, B->var_key, B->n_var};
    enum mo_status st = build_graph(&B2);
    for (size_t i = 0; st == MO_OK && i < n_args; i++) {
        struct mo_node *p = B2.node[i];
        p->outputs[0].et = dt[i] >= 0 ? mo_tf_etype(dt[i]) : list_type(nd, types, i);
    }
    build_free(&B2);
    return st;
}

static enum mo_status fn_body(struct build *B, struct mo_node *owner, const MoTf__NodeDef *nd, const char *key,
                              const char *tag, const char *types)
{
    char qn[MO_QUOTE_SIZE];
    const MoTf__FunctionDef *fn = mo_tf_function_attr(B->g, nd, key);
    if (!fn || !fn->signature)
        return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': %s '%s' names no function of the graph's library "
                            "as its %s", B->L->what, nd->op, mo_quote(qn, nd->name), key);
    struct mo_body *body = mo_body_add(owner, B->err);
    if (!body)
        return oom(B);
    mo_graph_keep_inputs(body->graph, true);
    size_t na = fn->signature->n_input_arg;
    char *name = mo_graph_printf(B->fw, "%s/%s", nd->name, tag);
    char **refs = mo_graph_alloc(B->fw, (na + 1) * sizeof *refs);
    MoTf__NodeDef *args = mo_graph_alloc(B->fw, (na + 1) * sizeof *args);
    if (!name || !refs || !args)
        return oom(B);
    for (size_t i = 0; i < na; i++) {
        mo_tf__node_def__init(&args[i]);
        args[i].op = ARG_OP;
        if (!(args[i].name = refs[i] = mo_graph_printf(B->fw, "%s/_arg%zu", name, i)))
            return oom(B);
    }
    MoTf__NodeDef **fnodes = NULL, **all = NULL;
    size_t nf = 0;
    enum mo_status st = mo_tf_inline_function(B->L, B->fw, B->g, fn, name, refs, na, &fnodes, &nf, B->err);
    if (st != MO_OK)
        return st;
    if (!(all = malloc((na + nf + 1) * sizeof *all))) {
        free(fnodes);
        return oom(B);
    }
    for (size_t i = 0; i < na; i++)
        all[i] = &args[i];
    memcpy(all + na, fnodes, nf * sizeof *all);
    free(fnodes);
    int *dt = mo_graph_alloc(B->fw, (na + 1) * sizeof *dt);
    if (!dt) {
        free(all);
        return oom(B);
    }
    for (size_t i = 0; i < na; i++) {
        const MoTf__OpDef__ArgDef *ad = fn->signature->input_arg[i];
        dt[i] = ad->type ? (int)ad->type : -1;
    }
    st = list_body(B, body, all, na + nf, name, na, dt, nd, types);
    free(all);
    return st;
}

static enum mo_status fn_bodies(struct build *B, struct mo_node *n, const MoTf__NodeDef *nd)
{
    for (size_t k = 0; k < B->n_frames; k++) {
        const struct mo_tf_frame *f = &B->frames[k];
        if (f->loop != nd)
            continue;
        enum mo_status st = MO_OK;
        for (int j = 0; j < 2 && st == MO_OK; j++) {
            const struct mo_tf_frame_body *fb = j ? &f->body : &f->cond;
            struct mo_body *body = mo_body_add(n, B->err);
            st = body ? list_body(B, body, fb->nodes, fb->n, fb->name, fb->n_args, f->dtypes, nd, "T") : oom(B);
        }
        return st;
    }
    if (!strcmp(nd->op, "While") || !strcmp(nd->op, "StatelessWhile")) {
        enum mo_status st = fn_body(B, n, nd, "cond", "cond", "T");
        return st == MO_OK ? fn_body(B, n, nd, "body", "body", "T") : st;
    }
    if (!strcmp(nd->op, "If") || !strcmp(nd->op, "StatelessIf")) {
        enum mo_status st = fn_body(B, n, nd, "then_branch", "then", "Tin");
        return st == MO_OK ? fn_body(B, n, nd, "else_branch", "else", "Tin") : st;
    }
    return MO_OK;
}

static bool looks_binary(const unsigned char *p, size_t n)
{
    /* a GraphDef starts with a node (field 1, length-delimited: 0x0a),
     * a library (0x12), a version (0x18) or versions (0x22) */
    return n == 0 || p[0] == 0x0a || p[0] == 0x12 || p[0] == 0x18 || p[0] == 0x22;
}

enum mo_status mo_tf_load_file(struct mo_context *ctx, struct mo_file *f, bool is_text, struct mo_graph *fw,
                               struct mo_error *err)
{
    return mo_tf_load_file_ckpt(ctx, f, is_text, NULL, fw, err);
}

enum mo_status mo_tf_load_file_ckpt(struct mo_context *ctx, struct mo_file *f, bool is_text,
                                    struct mo_tf_ckpt *ckpt, struct mo_graph *fw, struct mo_error *err)
{
    struct mo_tf_form form = {MO_TF_GRAPHDEF, ckpt, NULL};
    return mo_tf_load_form(ctx, f, is_text, &form, fw, err);
}

/* Whether the comma-separated tags all are in mi's. */
static bool has_tags(const MoTf__MetaInfoDef *mi, const char *tags)
{
    for (const char *p = tags; *p;) {
        size_t n = strcspn(p, ",");
        bool found = false;
        for (size_t i = 0; mi && i < mi->n_tags && !found; i++)
            found = strlen(mi->tags[i]) == n && !memcmp(mi->tags[i], p, n);
        if (n && !found)
            return false;
        p += n + (p[n] == ',');
    }
    return true;
}

/* The graph of the meta graph the form picks (SavedModel: the one with the
 * tags), its serving_default signature's outputs in *roots (malloc'd). */
static enum mo_status pick_graph(const struct mo_tf_loader *L, const struct mo_tf_form *form,
                                 ProtobufCMessage *top, const MoTf__GraphDef **g, const char ***roots,
                                 size_t *n_roots, const MoTf__SignatureDef **sigp,
                                 const MoTf__SavedObjectGraph **ogp, struct mo_error *err)
{
    const MoTf__MetaGraphDef *mg = NULL;
    const char *tags = form->tags && form->tags[0] ? form->tags : "serve";
    if (form->kind == MO_TF_SAVEDMODEL) {
        const MoTf__SavedModel *sm = (const MoTf__SavedModel *)top;
        for (size_t i = 0; i < sm->n_meta_graphs && !mg; i++)
            if (has_tags(sm->meta_graphs[i]->meta_info_def, tags))
                mg = sm->meta_graphs[i];
        if (!mg)
            return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s': none of its %zu meta graphs has the tags '%s' "
                                "(--saved_model_tags)", L->what, sm->n_meta_graphs, tags);
    } else {
        mg = (const MoTf__MetaGraphDef *)top;
    }
    if (!mg->graph_def)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': its meta graph has no graph_def", L->what);
    *g = mg->graph_def;
    *ogp = mg->object_graph_def;
    const MoTf__SignatureDef *sig = NULL;
    for (size_t i = 0; i < mg->n_signature_def; i++)
        if (mg->signature_def[i]->key && !strcmp(mg->signature_def[i]->key, "serving_default"))
            sig = mg->signature_def[i]->value;
    *sigp = sig;
    if (!sig || !sig->n_outputs)
        return MO_OK;
    if (!(*roots = calloc(sig->n_outputs, sizeof **roots)))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory reading '%s'", L->what);
    for (size_t i = 0; i < sig->n_outputs; i++)
        if (sig->outputs[i]->value && sig->outputs[i]->value->name)
            (*roots)[(*n_roots)++] = sig->outputs[i]->value->name;
    return MO_OK;
}

/* --- a TF2 SavedModel's variables ------------------------------------------ */

/* parent/local as a checkpoint key spells an object path: TensorFlow
 * escapes '.' in a child's name as ".." and '/' as ".S".  Arena string. */
static char *path_append(struct mo_graph *fw, const char *parent, const char *local)
{
    size_t np = strlen(parent), nl = strlen(local);
    char *s = mo_graph_alloc(fw, np + 1 + 2 * nl + 1), *p = s;
    if (!s)
        return NULL;
    if (np) {
        memcpy(p, parent, np);
        p += np;
        *p++ = '/';
    }
    for (size_t i = 0; i < nl; i++) {
        if (local[i] == '.' || local[i] == '/') {
            *p++ = '.';
            *p++ = local[i] == '.' ? '.' : 'S';
        } else {
            *p++ = local[i];
        }
    }
    *p = '\0';
    return s;
}

/* The checkpoint key of each VarHandleOp a call of a concrete function
 * captures, into B->var_node/var_key.  A TF2 SavedModel's VarHandleOps
 * carry a shared_name the checkpoint need not know (Keras 3's export tracks
 * each variable twice, and the graph makes the second "dense/kernel_1");
 * what ties them to their values is the SavedObjectGraph: a concrete
 * function's bound_inputs are the objects its last inputs are, and a
 * variable object's key is its first path from the root, breadth first
 * over the children, as TensorFlow's saver names it.  A variable whose key
 * the checkpoint lacks is left to the shared_name. */
static enum mo_status saved_variables(struct build *B, const MoTf__SavedObjectGraph *og)
{
    const struct mo_tf_loader *L = B->L;
    const MoTf__GraphDef *g = B->g;
    struct mo_graph *fw = B->fw;
    struct mo_error *err = B->err;
    size_t n = og->n_nodes, cap = 0;
    if (!n || !L->ckpt)
        return MO_OK;
    for (size_t i = 0; i < og->n_concrete_functions; i++)
        if (og->concrete_functions[i]->value)
            cap += og->concrete_functions[i]->value->n_bound_inputs;
    if (!cap)
        return MO_OK;
    const char **path = calloc(n, sizeof *path);
    size_t *queue = malloc(n * sizeof *queue), head = 0, tail = 1;
    B->var_node = mo_graph_alloc(fw, cap * sizeof *B->var_node);
    B->var_key = mo_graph_alloc(fw, cap * sizeof *B->var_key);
    enum mo_status st = MO_OK;
    if (!path || !queue || !B->var_node || !B->var_key)
        st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory reading '%s'", L->what);
    if (st == MO_OK) {
        path[0] = "";
        queue[0] = 0;
    }
    while (st == MO_OK && head < tail) {
        const MoTf__SavedObject *o = og->nodes[queue[head]];
        const char *parent = path[queue[head++]];
        for (size_t k = 0; k < o->n_children && st == MO_OK; k++) {
            const MoTf__ObjectReference *c = o->children[k];
            if (c->node_id < 0 || (size_t)c->node_id >= n || path[c->node_id])
                continue;
            if (!(path[c->node_id] = path_append(fw, parent, c->local_name ? c->local_name : "")))
                st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory reading '%s'", L->what);
            queue[tail++] = (size_t)c->node_id;
        }
    }
    for (size_t i = 0; i < g->n_node && st == MO_OK; i++) {
        const MoTf__NodeDef *nd = g->node[i];
        if (!nd->op || (strcmp(nd->op, "StatefulPartitionedCall") && strcmp(nd->op, "PartitionedCall")))
            continue;
        const MoTf__FunctionDef *fn = mo_tf_function_attr(g, nd, "f");
        const char *fname = fn && fn->signature ? fn->signature->name : NULL;
        const MoTf__SavedConcreteFunction *cf = NULL;
        for (size_t k = 0; fname && k < og->n_concrete_functions && !cf; k++)
            if (og->concrete_functions[k]->key && !strcmp(og->concrete_functions[k]->key, fname))
                cf = og->concrete_functions[k]->value;
        size_t nin = 0;
        while (nin < nd->n_input && nd->input[nin][0] != '^')
            nin++;
        if (!cf || cf->n_bound_inputs > nin)
            continue;
        for (size_t j = 0; j < cf->n_bound_inputs && st == MO_OK && B->n_var < cap; j++) {
            int id = cf->bound_inputs[j];
            const char *ref = nd->input[nin - cf->n_bound_inputs + j];
            size_t len;
            unsigned port;
            if (id < 0 || (size_t)id >= n || !og->nodes[id]->variable || !path[id] || !parse_ref(ref, &len, &port))
                continue;
            char *name = mo_graph_printf(fw, "%.*s", (int)len, ref);
            char *key = mo_graph_printf(fw, "%s/.ATTRIBUTES/VARIABLE_VALUE", path[id]);
            if (!name || !key) {
                st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory reading '%s'", L->what);
                break;
            }
            if (!mo_tf_ckpt_has(L->ckpt, key))
                continue;
            B->var_node[B->n_var] = name;
            B->var_key[B->n_var++] = key;
        }
    }
    free(path);
    free(queue);
    return st;
}

/* The signature's inputs in the order of their keys, as TensorFlow feeds
 * them: the Placeholders they name trade places among themselves. */
static void order_inputs(MoTf__NodeDef **nodes, size_t n, const MoTf__SignatureDef *sig)
{
    enum { MAX_IN = 256 };
    size_t pos[MAX_IN], m = 0;
    const char *key[MAX_IN];
    MoTf__NodeDef *nd[MAX_IN];
    for (size_t i = 0; i < n && m < MAX_IN; i++)
        for (size_t k = 0; k < sig->n_inputs; k++) {
            const MoTf__TensorInfoEntry *e = sig->inputs[k];
            size_t len;
            unsigned port;
            if (!e->key || !e->value || !e->value->name || !parse_ref(e->value->name, &len, &port) ||
                !nodes[i]->name || strlen(nodes[i]->name) != len || memcmp(nodes[i]->name, e->value->name, len))
                continue;
            pos[m] = i;
            key[m] = e->key;
            nd[m++] = nodes[i];
            break;
        }
    /* insertion sort of the (key, node) pairs; few inputs */
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0 && strcmp(key[j - 1], key[j]) > 0; j--) {
            const char *tk = key[j];
            MoTf__NodeDef *tn = nd[j];
            key[j] = key[j - 1], nd[j] = nd[j - 1];
            key[j - 1] = tk, nd[j - 1] = tn;
        }
    for (size_t i = 0; i < m; i++)
        nodes[pos[i]] = nd[i];
}

enum mo_status mo_tf_load_form(struct mo_context *ctx, struct mo_file *f, bool is_text, const struct mo_tf_form *form,
                               struct mo_graph *fw, struct mo_error *err)
{
    static const ProtobufCMessageDescriptor *const desc[] = {
        &mo_tf__graph_def__descriptor, &mo_tf__meta_graph_def__descriptor, &mo_tf__saved_model__descriptor};
    static const int kinds[] = {M_GRAPH, M_META, M_SAVED};
    static const char *const names[] = {"GraphDef", "MetaGraphDef", "SavedModel"};
    int kind = form->kind;
    const unsigned char *data = mo_file_data(f);
    size_t size = mo_file_size(f);
    struct mo_tf_loader L = {f, mo_file_path(f), NULL, 0, !is_text, form->ckpt};
    struct mo_pb_span *spans = NULL;
    size_t n_spans = 0;
    ProtobufCMessage *top = NULL;
    const MoTf__GraphDef *g = NULL;
    const char **roots = NULL;
    size_t n_roots = 0;
    const MoTf__SignatureDef *sig = NULL;
    const MoTf__SavedObjectGraph *og = NULL;
    enum mo_status st;
    if (is_text) {
        st = mo_pb_text_parse((const char *)data, size, desc[kind], L.what, &top, err);
    } else {
        unsigned char *wire = NULL;
        size_t wire_len = 0;
        st = kind != MO_TF_GRAPHDEF || looks_binary(data, size)
                 ? mo_pb_strip(data, size, strip_rules, MO_COUNT_OF(strip_rules), kinds[kind], L.what, &wire,
                               &wire_len, &spans, &n_spans, err)
                 : mo_error_set(err, MO_ERR_FORMAT, 2,
                                "'%s' is not a binary TensorFlow GraphDef (a text .pbtxt? pass "
                                "--input_model_is_text)", L.what);
        if (st == MO_OK && kind == MO_TF_SAVEDMODEL && size) {
            /* the walk read every page of the map, and the wire copy now
             * holds all but the tensors' bytes: give the pages back before
             * the unpacked graph grows beside them (a SavedModel's weights
             * are in its checkpoint; a Const faults its own in again) */
            struct mo_shape all = {1, {(int64_t)size}};
            struct mo_tensor *view = mo_tensor_borrow(f, 0, MO_ET_U8, &all, NULL);
            mo_tensor_drop_pages(view);
            mo_tensor_unref(view);
        }
        if (st == MO_OK) {
            top = protobuf_c_message_unpack(desc[kind], NULL, wire_len, wire);
            if (!top)
                st = mo_error_set(err, MO_ERR_FORMAT, 2,
                                  "'%s' is not a TensorFlow %s: its protobuf fields do not decode; "
                                  "the file is truncated, corrupt or of another format", L.what, names[kind]);
        }
        free(wire);
        /* the walk over every NodeDef left most of the file resident */
        mo_file_drop_pages(f);
        L.spans = spans;
        L.n_spans = n_spans;
    }
    if (st == MO_OK) {
        if (kind == MO_TF_GRAPHDEF)
            g = (const MoTf__GraphDef *)top;
        else
            st = pick_graph(&L, form, top, &g, &roots, &n_roots, &sig, &og, err);
    }
    if (st == MO_OK && !g->n_node)
        st = mo_error_set(err, MO_ERR_FORMAT, 2, "'%s' is a TensorFlow GraphDef without nodes", L.what);
    struct build B = {&L, fw, g, {NULL, NULL, 0}, NULL, NULL, NULL, err, NULL, NULL, 0, NULL, NULL, 0};
    if (st == MO_OK && og)
        st = saved_variables(&B, og);
    if (st == MO_OK) {
        mo_log(ctx, MO_LOG_DEBUG, "tf: '%s' (%s %s), producer %d, %zu nodes, %zu weight blobs borrowed", L.what,
               is_text ? "text" : "binary", names[kind], g->versions ? g->versions->producer : 0, g->n_node,
               n_spans);
        /* a Placeholder no output reads is still an input of the model */
        mo_graph_keep_inputs(fw, true);
        /* the graph with its function calls inlined (inline.c) */
        MoTf__NodeDef **nodes = NULL;
        size_t n_nodes = 0;
        MoTf__GraphDef flat = *g, outer = *g;
        MoTf__NodeDef **kept = NULL;
        /* a signature's outputs first cut the outer graph, so that calls it
         * does not need (Keras 3's second endpoint, the saver's functions)
         * are never inlined: half the nodes of a Keras export */
        if (n_roots && kind != MO_TF_GRAPHDEF) {
            size_t nk = g->n_node;
            if (!(kept = malloc(nk * sizeof *kept))) {
                st = oom(&B);
            } else {
                memcpy(kept, g->node, nk * sizeof *kept);
                st = prune(&B, kept, &nk, roots, n_roots);
                outer.node = kept;
                outer.n_node = nk;
            }
        }
        if (st == MO_OK)
            st = mo_tf_inline_calls(&L, fw, &outer, &nodes, &n_nodes, err);
        free(kept);
        /* a meta graph or SavedModel also holds its saver and initialisers */
        if (st == MO_OK && kind != MO_TF_GRAPHDEF)
            st = prune(&B, nodes, &n_nodes, roots, n_roots);
        if (st == MO_OK && sig)
            order_inputs(nodes, n_nodes, sig);
        if (st == MO_OK) {
            flat.node = nodes;
            flat.n_node = n_nodes;
            B.g = &flat;
            st = build_graph(&B);
        }
        /* the signature's keys name its tensors too, as TensorFlow's
         * serving does ("inputs", "output_0") */
        for (int io = 0; sig && st == MO_OK && io < 2; io++) {
            MoTf__TensorInfoEntry **v = io ? sig->outputs : sig->inputs;
            size_t nv = io ? sig->n_outputs : sig->n_inputs;
            for (size_t i = 0; i < nv && st == MO_OK; i++) {
                size_t len;
                unsigned port;
                if (!v[i]->key || !v[i]->value || !v[i]->value->name || !parse_ref(v[i]->value->name, &len, &port))
                    continue;
                long j = find_node(&B, v[i]->value->name, len);
                struct mo_node *n = j >= 0 ? B.node[j] : NULL;
                if (n && port < n->n_outputs) {
                    const char *k = mo_graph_printf(fw, "%s", v[i]->key);
                    if (!k)
                        st = oom(&B);
                    else
                        mo_node_add_output_name(n, port, k);
                }
            }
        }
        free(nodes);
    }
    build_free(&B);
    free(roots);
    if (top)
        protobuf_c_message_free_unpacked(top, NULL);
    free(spans);
    return st;
}

enum mo_status mo_tf_load(struct mo_context *ctx, const char *path, bool is_text, struct mo_graph *fw,
                          struct mo_error *err)
{
    return mo_tf_load_with_ckpt(ctx, path, is_text, NULL, fw, err);
}

enum mo_status mo_tf_load_with_ckpt(struct mo_context *ctx, const char *path, bool is_text,
                                    struct mo_tf_ckpt *ckpt, struct mo_graph *fw, struct mo_error *err)
{
    struct mo_file *f = mo_file_map(path, err);
    if (!f)
        return err && err->code ? err->code : MO_ERR_IO;
    enum mo_status st = mo_tf_load_file_ckpt(ctx, f, is_text, ckpt, fw, err);
    mo_file_unref(f);
    return st;
}
