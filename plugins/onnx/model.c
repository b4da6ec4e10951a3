/* model.c - ModelProto -> framework graph (see onnx.h for its shape).
 *
 * The file is mapped; its raw tensor bytes are taken out of a copy of the
 * wire bytes (a marker left in their place) before protobuf-c unpacks the
 * rest, so the unpacked model is small whatever the weights weigh, and
 * every initializer is a view of the map.
 *
 * Tensors are found by name.  ONNX requires nodes in topological order,
 * but real files break that now and then; nodes are therefore all made
 * before any input is connected, and mo_graph_topo orders them later. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onnx.h"
#include "ox_load.h"

/* Message kinds for the wire walk. */
enum { M_MODEL, M_GRAPH, M_NODE, M_TENSOR, M_SPARSE, M_FUNCTION, M_ATTR };

/* Where a TensorProto can sit, and its raw_data (field 9) marked. */
static const struct mo_pb_rule strip_rules[] = {
    {M_MODEL, 7, MO_PB_DESCEND, M_GRAPH},      /* ModelProto.graph */
    {M_MODEL, 25, MO_PB_DESCEND, M_FUNCTION},  /* ModelProto.functions */
    {M_GRAPH, 1, MO_PB_DESCEND, M_NODE},       /* GraphProto.node */
    {M_GRAPH, 5, MO_PB_DESCEND, M_TENSOR},     /* GraphProto.initializer */
    {M_GRAPH, 15, MO_PB_DESCEND, M_SPARSE},    /* GraphProto.sparse_initializer */
    {M_NODE, 5, MO_PB_DESCEND, M_ATTR},        /* NodeProto.attribute */
    {M_TENSOR, 9, MO_PB_MARK, 0},              /* TensorProto.raw_data */
    {M_SPARSE, 1, MO_PB_DESCEND, M_TENSOR},    /* SparseTensorProto.values */
    {M_SPARSE, 2, MO_PB_DESCEND, M_TENSOR},    /* SparseTensorProto.indices */
    {M_FUNCTION, 7, MO_PB_DESCEND, M_NODE},    /* FunctionProto.node */
    {M_FUNCTION, 11, MO_PB_DESCEND, M_ATTR},   /* FunctionProto.attribute_proto */
    {M_ATTR, 5, MO_PB_DESCEND, M_TENSOR},      /* AttributeProto.t */
    {M_ATTR, 6, MO_PB_DESCEND, M_GRAPH},       /* AttributeProto.g */
    {M_ATTR, 10, MO_PB_DESCEND, M_TENSOR},     /* AttributeProto.tensors */
    {M_ATTR, 11, MO_PB_DESCEND, M_GRAPH},      /* AttributeProto.graphs */
    {M_ATTR, 22, MO_PB_DESCEND, M_SPARSE},     /* AttributeProto.sparse_tensor */
};

/* --- tensor names ----------------------------------------------------------- */

struct slot {
    const char *name;
    struct mo_value v;
};

/* Open addressing; a model has tens of thousands of tensors. */
struct names {
    struct slot *s;
    size_t cap, n;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static struct slot *names_slot(struct names *t, const char *name)
{
    size_t i = (size_t)hash(name) & (t->cap - 1);
    while (t->s[i].name && strcmp(t->s[i].name, name))
        i = (i + 1) & (t->cap - 1);
    return &t->s[i];
}

static struct mo_value *names_get(struct names *t, const char *name)
{
    if (!t->cap)
        return NULL;
    struct slot *s = names_slot(t, name);
    return s->name ? &s->v : NULL;
}

/* Bind name to v (a later binding of the same name replaces it). */
static bool names_put(struct names *t, const char *name, struct mo_value v)
{
    if (2 * (t->n + 1) > t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 1024;
        struct names nt = {calloc(cap, sizeof(struct slot)), cap, 0};
        if (!nt.s)
            return false;
        for (size_t i = 0; i < t->cap; i++)
            if (t->s[i].name) {
                *names_slot(&nt, t->s[i].name) = t->s[i];
                nt.n++;
            }
        free(t->s);
        *t = nt;
    }
    struct slot *s = names_slot(t, name);
    if (!s->name)
        t->n++;
    s->name = name;
    s->v = v;
    return true;
}

/* --- the model -------------------------------------------------------------- */

/* The graph being built: the model's, or a body (If's branches, Loop's
 * and Scan's body) whose parent is the graph of its owner node. */
struct build {
    struct mo_ox_loader *L;
    struct mo_graph *fw;
    struct names names;
    const MoOnnx__ModelProto *model;
    struct mo_error *err;
    struct build *parent;       /* NULL for the model's graph */
    struct mo_node *owner;      /* the control-flow node owning fw (bodies only) */
};

static enum mo_status oom(struct build *B)
{
    return mo_error_set(B->err, MO_ERR_NOMEM, 0, "out of memory reading '%s'", B->L->what);
}

static bool is_default_domain(const char *d)
{
    return !d || !d[0] || !strcmp(d, "ai.onnx");
}

static bool same_domain(const char *a, const char *b)
{
    return is_default_domain(a) ? is_default_domain(b) : (b && !strcmp(a, b));
}

/* The version opset list ops[0..n) imports for domain d; 0 when none. */
static int64_t opset_in(MoOnnx__OperatorSetIdProto *const *ops, size_t n, const char *d)
{
    for (size_t i = 0; i < n; i++)
        if (same_domain(d, ops[i]->domain))
            return ops[i]->has_version ? ops[i]->version : 0;
    return 0;
}

static int64_t opset_of(const MoOnnx__ModelProto *m, const char *d)
{
    return opset_in(m->opset_import, m->n_opset_import, d);
}

static enum mo_status check_opsets(struct build *B)
{
    const MoOnnx__ModelProto *m = B->model;
    for (size_t i = 0; i < m->n_opset_import; i++) {
        const MoOnnx__OperatorSetIdProto *o = m->opset_import[i];
        if (is_default_domain(o->domain) && o->has_version && o->version > MO_OX_OPSET_MAX)
            return mo_error_set(B->err, MO_ERR_UNSUPPORTED, 27,
                                "'%s' imports opset %" PRId64 " of ai.onnx; this mo knows opsets up to "
                                "%d: export the model with opset %d or lower (torch.onnx.export(..., "
                                "opset_version=%d), or onnx.version_converter)",
                                B->L->what, o->version, MO_OX_OPSET_MAX, MO_OX_OPSET_MAX, MO_OX_OPSET_MAX);
    }
    return MO_OK;
}

/* The element type and shape a graph input declares. */
static enum mo_status input_type(struct build *B, const MoOnnx__ValueInfoProto *vi, enum mo_etype *et,
                                 struct mo_shape *sh)
{
    char qn[MO_QUOTE_SIZE], qt[16];
    const MoOnnx__TypeProto *tp = vi->type;
    *sh = mo_shape_unknown();
    if (!tp || tp->value_case != MO_ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE || !tp->tensor_type)
        return mo_error_set(B->err, MO_ERR_UNSUPPORTED, 10,
                            "'%s': graph input '%s' is %s; only tensor inputs can be converted", B->L->what,
                            mo_quote(qn, vi->name),
                            !tp ? "of no declared type"
                            : tp->value_case == MO_ONNX__TYPE_PROTO__VALUE_SEQUENCE_TYPE ? "a sequence"
                            : tp->value_case == MO_ONNX__TYPE_PROTO__VALUE_MAP_TYPE      ? "a map"
                            : tp->value_case == MO_ONNX__TYPE_PROTO__VALUE_OPTIONAL_TYPE ? "an optional"
                            : tp->value_case == MO_ONNX__TYPE_PROTO__VALUE_SPARSE_TENSOR_TYPE
                                ? "a sparse tensor"
                                : "of an unknown kind");
    const MoOnnx__TypeProto__Tensor *tt = tp->tensor_type;
    int dt = tt->has_elem_type ? tt->elem_type : 0;
    *et = mo_ox_etype(dt);
    if (*et == MO_ET_UNDEFINED)
        return mo_error_set(B->err, MO_ERR_UNSUPPORTED, 10,
                            "'%s': graph input '%s' has element type %s, which the IR cannot hold",
                            B->L->what, mo_quote(qn, vi->name), mo_ox_dtype_name(dt, qt));
    if (!tt->shape)
        return MO_OK;
    if (tt->shape->n_dim > MO_MAX_RANK)
        return mo_error_set(B->err, MO_ERR_UNSUPPORTED, 4, "'%s': graph input '%s' has rank %zu; the IR "
                            "allows up to %d", B->L->what, mo_quote(qn, vi->name), tt->shape->n_dim, MO_MAX_RANK);
    sh->rank = (int)tt->shape->n_dim;
    for (size_t i = 0; i < tt->shape->n_dim; i++) {
        const MoOnnx__TensorShapeProto__Dimension *d = tt->shape->dim[i];
        bool known = d->value_case == MO_ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE &&
                     d->dim_value >= 0;
        sh->dims[i] = known ? d->dim_value : MO_DYN;
    }
    return MO_OK;
}

static enum mo_status add_const(struct build *B, const char *name, struct mo_tensor *t)
{
    struct mo_node *n = mo_graph_add_node(B->fw, "Const", name, 0, 1);
    if (!n) {
        mo_tensor_unref(t);
        return oom(B);
    }
    n->value = t;
    n->outputs[0].et = t->et;
    n->outputs[0].shape = t->shape;
    mo_node_add_output_name(n, 0, name);
    return names_put(&B->names, n->name, mo_val(n, 0)) ? MO_OK : oom(B);
}

static enum mo_status set_attr(struct build *B, struct mo_node *n, const MoOnnx__NodeProto *np,
                               const MoOnnx__AttributeProto *a)
{
    char qn[MO_QUOTE_SIZE], qa[MO_QUOTE_SIZE];
    enum mo_status st = MO_OK;
    if (!a->name)
        return MO_OK;
    int type = a->has_type ? a->type : 0;
    if (a->ref_attr_name)
        return mo_error_set(B->err, MO_ERR_FORMAT, 2,
                            "'%s': node '%s' has attribute '%s' referring to a function attribute outside "
                            "any function", B->L->what, mo_quote(qn, n->name), mo_quote(qa, a->name));
    switch (type) {
    case MO_ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT:
        st = mo_node_set_float(n, a->name, a->f);
        break;
    case MO_ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT:
        st = mo_node_set_int(n, a->name, a->i);
        break;
    case MO_ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING: {
        char *s = mo_graph_alloc(B->fw, a->s.len + 1);
        if (!s)
            return oom(B);
        if (a->s.len)
            memcpy(s, a->s.data, a->s.len);
        st = mo_node_set_str(n, a->name, s);
        break;
    }
    case MO_ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS: {
        double *v = mo_graph_alloc(B->fw, (a->n_floats ? a->n_floats : 1) * sizeof *v);
        if (!v)
            return oom(B);
        for (size_t i = 0; i < a->n_floats; i++)
            v[i] = a->floats[i];
        st = mo_node_set_floats(n, a->name, v, a->n_floats);
        break;
    }
    case MO_ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS:
        st = mo_node_set_ints(n, a->name, a->ints, a->n_ints);
        break;
    case MO_ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS: {
        const char **v = mo_graph_alloc(B->fw, (a->n_strings ? a->n_strings : 1) * sizeof *v);
        if (!v)
            return oom(B);
        for (size_t i = 0; i < a->n_strings; i++) {
            char *s = mo_graph_alloc(B->fw, a->strings[i].len + 1);
            if (!s)
                return oom(B);
            if (a->strings[i].len)
                memcpy(s, a->strings[i].data, a->strings[i].len);
            v[i] = s;
        }
        st = mo_node_set_strs(n, a->name, v, a->n_strings);
        break;
    }
    case MO_ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR: {
        if (!a->t)
            return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': node '%s' attribute '%s' holds no tensor",
                                B->L->what, mo_quote(qn, n->name), mo_quote(qa, a->name));
        char *what = mo_graph_printf(B->fw, "attribute '%s' of node '%s'", mo_quote(qa, a->name),
                                     mo_quote(qn, n->name));
        struct mo_tensor *t;
        if (!what)
            return oom(B);
        st = mo_ox_tensor(B->L, a->t, what, &t, B->err);
        if (st != MO_OK)
            return st;
        st = mo_node_set_tensor(n, a->name, t);
        mo_tensor_unref(t);
        break;
    }
    default:
        /* graphs, sparse tensors, type protos: only the translators of the
         * ops that take them can say whether they matter; they are left out
         * and those ops (If, Loop, Scan) report themselves */
        (void)np;
        return MO_OK;
    }
    return st == MO_OK ? MO_OK : oom(B);
}

/* A Constant node's value, whichever attribute holds it. */
static enum mo_status constant_value(struct build *B, const MoOnnx__NodeProto *np, const char *name,
                                     struct mo_tensor **out)
{
    char qn[MO_QUOTE_SIZE];
    struct mo_error *err = B->err;
    for (size_t k = 0; k < np->n_attribute; k++) {
        const MoOnnx__AttributeProto *a = np->attribute[k];
        if (!a->name)
            continue;
        struct mo_shape scalar = mo_shape_scalar();
        if (!strcmp(a->name, "value") && a->t) {
            char *what = mo_graph_printf(B->fw, "the value of Constant '%s'", mo_quote(qn, name));
            return what ? mo_ox_tensor(B->L, a->t, what, out, err) : oom(B);
        }
        if (!strcmp(a->name, "value_float") || !strcmp(a->name, "value_int")) {
            bool f = a->name[6] == 'f';
            *out = f ? mo_tensor_from_data(MO_ET_F32, &scalar, &a->f, 4, err)
                     : mo_tensor_from_data(MO_ET_I64, &scalar, &a->i, 8, err);
            return *out ? MO_OK : oom(B);
        }
        if (!strcmp(a->name, "value_floats") || !strcmp(a->name, "value_ints")) {
            bool f = a->name[6] == 'f';
            size_t cnt = f ? a->n_floats : a->n_ints;
            struct mo_shape sh = mo_shape_make(1, (int64_t[]){(int64_t)cnt});
            *out = f ? mo_tensor_from_data(MO_ET_F32, &sh, a->floats, 4 * cnt, err)
                     : mo_tensor_from_data(MO_ET_I64, &sh, a->ints, 8 * cnt, err);
            return *out ? MO_OK : oom(B);
        }
        if (!strcmp(a->name, "value_string") || !strcmp(a->name, "value_strings"))
            return mo_error_set(err, MO_ERR_UNSUPPORTED, 10,
                                "'%s': Constant '%s' holds strings, which the IR cannot hold", B->L->what,
                                mo_quote(qn, name));
        if (!strcmp(a->name, "sparse_value"))
            return mo_error_set(err, MO_ERR_UNSUPPORTED, 10,
                                "'%s': Constant '%s' holds a sparse tensor, which this mo does not read; "
                                "store it dense (onnx.numpy_helper)", B->L->what, mo_quote(qn, name));
    }
    return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': Constant '%s' has no value attribute", B->L->what,
                        mo_quote(qn, name));
}

/* A model-local function (FunctionProto) called by a node of this
 * domain and op type, or NULL. */
static const MoOnnx__FunctionProto *find_function(const MoOnnx__ModelProto *m, const char *domain,
                                                  const char *op)
{
    for (size_t i = 0; i < m->n_functions; i++) {
        const MoOnnx__FunctionProto *f = m->functions[i];
        if (f->name && !strcmp(f->name, op) && same_domain(domain, f->domain))
            return f;
    }
    return NULL;
}

/* The opsets a node is read with: the model's, or inside a function the
 * function's own (the model's for domains the function does not list). */
struct opsets {
    MoOnnx__OperatorSetIdProto *const *v;
    size_t n;
};

#define MAX_FUNCTION_DEPTH 16

static enum mo_status add_node(struct build *B, const MoOnnx__NodeProto *np, size_t index,
                               const struct opsets *fops, int depth);

/* A function's name for tensor `name` at the call site: formal inputs and
 * outputs become the call's actual tensors, everything else is made
 * private to the call by the prefix. */
static const char *rename_in_call(struct build *B, const MoOnnx__FunctionProto *fn,
                                  const MoOnnx__NodeProto *call, const char *prefix, const char *name)
{
    if (!name[0])
        return name;
    for (size_t i = 0; i < fn->n_input; i++)
        if (!strcmp(fn->input[i], name))
            return i < call->n_input ? call->input[i] : "";
    for (size_t i = 0; i < fn->n_output; i++)
        if (!strcmp(fn->output[i], name) && i < call->n_output && call->output[i][0])
            return call->output[i];
    return mo_graph_printf(B->fw, "%s/%s", prefix, name);
}

/* Inline a call of a model-local function: each of its nodes is added as
 * if the model held it, tensors renamed (rename_in_call), attributes
 * referring to the function's (ref_attr_name) given the call's value or
 * the function's default. */
static enum mo_status expand_call(struct build *B, const MoOnnx__FunctionProto *fn,
                                  const MoOnnx__NodeProto *call, const char *prefix, int depth)
{
    char qn[MO_QUOTE_SIZE];
    if (depth >= MAX_FUNCTION_DEPTH)
        return mo_error_set(B->err, MO_ERR_FORMAT, 2,
                            "'%s': function '%s' calls functions more than %d deep (a recursive function?)",
                            B->L->what, mo_quote(qn, fn->name), MAX_FUNCTION_DEPTH);
    struct opsets fops = {fn->opset_import, fn->n_opset_import};
    for (size_t k = 0; k < fn->n_node; k++) {
        const MoOnnx__NodeProto *in = fn->node[k];
        MoOnnx__NodeProto *c = mo_graph_alloc(B->fw, sizeof *c);
        char **ins = mo_graph_alloc(B->fw, (in->n_input + 1) * sizeof *ins);
        char **outs = mo_graph_alloc(B->fw, (in->n_output + 1) * sizeof *outs);
        MoOnnx__AttributeProto **attrs = mo_graph_alloc(B->fw, (in->n_attribute + 1) * sizeof *attrs);
        char *nname = mo_graph_printf(B->fw, "%s/%s", prefix,
                                      in->name && in->name[0] ? in->name : (in->op_type ? in->op_type : "node"));
        if (!c || !ins || !outs || !attrs || !nname)
            return oom(B);
        *c = *in;
        c->name = nname;
        for (size_t i = 0; i < in->n_input; i++)
            if (!(ins[i] = (char *)rename_in_call(B, fn, call, prefix, in->input[i])))
                return oom(B);
        for (size_t i = 0; i < in->n_output; i++)
            if (!(outs[i] = (char *)rename_in_call(B, fn, call, prefix, in->output[i])))
                return oom(B);
        size_t na = 0;
        for (size_t i = 0; i < in->n_attribute; i++) {
            MoOnnx__AttributeProto *a = in->attribute[i];
            if (a->ref_attr_name) {
                const MoOnnx__AttributeProto *v = NULL;
                for (size_t j = 0; !v && j < call->n_attribute; j++)
                    if (call->attribute[j]->name && !strcmp(call->attribute[j]->name, a->ref_attr_name))
                        v = call->attribute[j];
                for (size_t j = 0; !v && j < fn->n_attribute_proto; j++)
                    if (fn->attribute_proto[j]->name && !strcmp(fn->attribute_proto[j]->name, a->ref_attr_name))
                        v = fn->attribute_proto[j];
                if (!v)
                    continue;      /* neither given nor defaulted: the attribute is absent */
                MoOnnx__AttributeProto *r = mo_graph_alloc(B->fw, sizeof *r);
                if (!r)
                    return oom(B);
                *r = *v;
                r->name = a->name;
                r->ref_attr_name = NULL;
                a = r;
            }
            attrs[na++] = a;
        }
        c->input = ins;
        c->output = outs;
        c->attribute = attrs;
        c->n_attribute = na;
        enum mo_status st = add_node(B, c, k, &fops, depth + 1);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

static enum mo_status add_node(struct build *B, const MoOnnx__NodeProto *np, size_t index,
                               const struct opsets *fops, int depth)
{
    char qn[MO_QUOTE_SIZE];
    const char *op = np->op_type ? np->op_type : "";
    if (!op[0])
        return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': node %zu has no op_type", B->L->what, index);
    /* a node without a name is known by its first output, as the tools that
     * print ONNX graphs show it */
    const char *name = np->name && np->name[0] ? np->name : NULL;
    for (size_t o = 0; !name && o < np->n_output; o++)
        if (np->output[o][0])
            name = np->output[o];
    if (!name)
        name = mo_graph_printf(B->fw, "%s_%zu", op, index);
    if (!name)
        return oom(B);
    bool dflt = is_default_domain(np->domain);
    if (dflt && !strcmp(op, "Constant")) {
        if (np->n_output < 1 || !np->output[0][0])
            return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': Constant '%s' has no output", B->L->what,
                                mo_quote(qn, name));
        struct mo_tensor *t;
        enum mo_status st = constant_value(B, np, name, &t);
        return st == MO_OK ? add_const(B, np->output[0], t) : st;
    }
    const MoOnnx__FunctionProto *fn = find_function(B->model, np->domain, op);
    if (fn)
        return expand_call(B, fn, np, name, depth);
    const char *type = dflt ? op : mo_graph_printf(B->fw, "%s:%s", np->domain, op);
    if (!type)
        return oom(B);
    if (np->n_input > 1024 || np->n_output > 1024)
        return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': node '%s' has %zu inputs and %zu outputs",
                            B->L->what, mo_quote(qn, name), np->n_input, np->n_output);
    struct mo_node *n = mo_graph_add_node(B->fw, type, name, (unsigned)np->n_input, (unsigned)np->n_output);
    if (!n)
        return oom(B);
    n->user = (void *)np;
    for (size_t k = 0; k < np->n_attribute; k++) {
        enum mo_status st = set_attr(B, n, np, np->attribute[k]);
        if (st != MO_OK)
            return st;
    }
    int64_t opset = fops ? opset_in(fops->v, fops->n, np->domain) : 0;
    if (!opset)
        opset = opset_of(B->model, np->domain);
    if (mo_node_set_int(n, MO_OX_OPSET, opset) != MO_OK)
        return oom(B);
    for (size_t o = 0; o < np->n_output; o++) {
        if (!np->output[o][0])
            continue;
        mo_node_add_output_name(n, (unsigned)o, np->output[o]);
        if (!names_put(&B->names, np->output[o], mo_val(n, (unsigned)o)))
            return oom(B);
    }
    return MO_OK;
}

static enum mo_status build_graph(struct build *B, const MoOnnx__GraphProto *g);

static struct mo_value *lookup(struct build *B, const char *name);

/* A body reads a tensor of an enclosing graph: the body gets a Parameter
 * standing for it (MO_OX_OUTER_INPUT: the owner's input that carries it)
 * and the owner node an input fed by the tensor, so that every edge stays
 * inside one graph and the owner is ordered after the tensor's producer.
 * Deeper bodies capture through each level between. */
static struct mo_value *capture(struct build *B, const char *name)
{
    struct mo_value *outer = lookup(B->parent, name);
    if (!outer)
        return NULL;
    struct mo_node *p = mo_graph_add_node(B->fw, "Parameter", name, 0, 1);
    if (!p)
        return NULL;
    const struct mo_output *o = &outer->node->outputs[outer->port];
    p->outputs[0].et = o->et;
    p->outputs[0].shape = o->shape;
    unsigned k = mo_node_add_input(B->owner, *outer);
    if (mo_node_set_int(p, MO_OX_OUTER_INPUT, k) != MO_OK || !names_put(&B->names, p->name, mo_val(p, 0)))
        return NULL;
    return names_get(&B->names, p->name);
}

static struct mo_value *lookup(struct build *B, const char *name)
{
    struct mo_value *v = names_get(&B->names, name);
    return v || !B->parent ? v : capture(B, name);
}

/* The bodies of node n, from its GRAPH attributes: If's then_branch and
 * else_branch (bodies 0 and 1, in that order), Loop's and Scan's body;
 * any other op's graphs in attribute order.  MO_OX_BODIES names them. */
static enum mo_status add_bodies(struct build *B, struct mo_node *n, const MoOnnx__NodeProto *np)
{
    static const char *const canon[] = {"then_branch", "else_branch", "body"};
    const MoOnnx__GraphProto *gs[16];
    const char *names[16];
    unsigned ng = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < np->n_attribute; k++) {
            const MoOnnx__AttributeProto *a = np->attribute[k];
            if (!a->g || !a->name)
                continue;
            bool is_canon = false;
            for (unsigned c = 0; c < MO_COUNT_OF(canon); c++)
                is_canon |= !strcmp(a->name, canon[c]);
            if (pass == 0 && is_canon) {
                /* then_branch before else_branch whatever the file's order */
                unsigned at = ng;
                if (!strcmp(a->name, "then_branch") && ng && !strcmp(names[0], "else_branch")) {
                    gs[1] = gs[0], names[1] = names[0];
                    at = 0;
                }
                if (ng < MO_COUNT_OF(gs))
                    gs[at] = a->g, names[at] = a->name, ng++;
            } else if (pass == 1 && !is_canon && ng < MO_COUNT_OF(gs)) {
                gs[ng] = a->g, names[ng] = a->name, ng++;
            }
        }
    if (!ng)
        return MO_OK;
    if (mo_node_set_strs(n, MO_OX_BODIES, names, ng) != MO_OK)
        return oom(B);
    for (unsigned i = 0; i < ng; i++) {
        struct mo_body *body = mo_body_add(n, B->err);
        if (!body)
            return B->err && B->err->code ? B->err->code : MO_ERR_NOMEM;
        struct build C = {B->L, body->graph, {NULL, 0, 0}, B->model, B->err, B, n};
        enum mo_status st = build_graph(&C, gs[i]);
        free(C.names.s);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

/* Connect every node's inputs once all producers exist, then build the
 * bodies of control-flow nodes (whose captures need every tensor of the
 * enclosing graph named). */
static enum mo_status connect(struct build *B, unsigned first, unsigned end)
{
    char qn[MO_QUOTE_SIZE], qi[MO_QUOTE_SIZE], qt[MO_QUOTE_SIZE];
    for (unsigned i = first; i < end; i++) {
        struct mo_node *n = mo_graph_node(B->fw, i);
        const MoOnnx__NodeProto *np = n->user;
        if (!np)
            continue;
        for (size_t k = 0; k < np->n_input; k++) {
            if (!np->input[k][0])
                continue;      /* an optional input left out */
            struct mo_value *v = lookup(B, np->input[k]);
            if (!v && B->err && B->err->code == MO_ERR_NOMEM)
                return MO_ERR_NOMEM;
            if (!v)
                return mo_error_set(B->err, MO_ERR_FORMAT, 2,
                                    "'%s': input '%s' of node '%s' (%s) is produced by no node, initializer "
                                    "or graph input; the model is incomplete", B->L->what,
                                    mo_quote(qi, np->input[k]), mo_quote(qn, n->name), mo_quote(qt, n->type));
            mo_node_set_input(n, (unsigned)k, *v);
        }
        n->user = NULL;     /* the NodeProto is freed with the unpacked model */
        enum mo_status st = add_bodies(B, n, np);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

static enum mo_status build_graph(struct build *B, const MoOnnx__GraphProto *g)
{
    char qn[MO_QUOTE_SIZE];
    enum mo_status st;
    for (size_t i = 0; i < g->n_initializer; i++) {
        const MoOnnx__TensorProto *tp = g->initializer[i];
        if (!tp->name || !tp->name[0])
            return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': initializer %zu has no name", B->L->what, i);
        char *what = mo_graph_printf(B->fw, "initializer '%s'", mo_quote(qn, tp->name));
        struct mo_tensor *t;
        if (!what)
            return oom(B);
        if ((st = mo_ox_tensor(B->L, tp, what, &t, B->err)) != MO_OK ||
            (st = add_const(B, tp->name, t)) != MO_OK)
            return st;
    }
    if (g->n_sparse_initializer)
        return mo_error_set(B->err, MO_ERR_UNSUPPORTED, 10,
                            "'%s' has %zu sparse initializers, which this mo does not read; store them "
                            "dense", B->L->what, g->n_sparse_initializer);
    for (size_t i = 0; i < g->n_input; i++) {
        const MoOnnx__ValueInfoProto *vi = g->input[i];
        if (!vi->name || !vi->name[0])
            return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': graph input %zu has no name", B->L->what, i);
        if (!B->parent && names_get(&B->names, vi->name))
            continue;      /* an initializer gives it its value (IR version < 4 style) */
        enum mo_etype et = MO_ET_UNDEFINED;
        struct mo_shape sh = mo_shape_unknown();
        /* a body's inputs may leave their type to the outer values */
        if ((B->parent ? vi->type != NULL : true) && (st = input_type(B, vi, &et, &sh)) != MO_OK)
            return st;
        struct mo_node *p = mo_graph_add_node(B->fw, "Parameter", vi->name, 0, 1);
        if (!p)
            return oom(B);
        if (B->parent && mo_node_set_int(p, MO_OX_BODY_INPUT, (int64_t)i) != MO_OK)
            return oom(B);
        p->outputs[0].et = et;
        p->outputs[0].shape = sh;
        mo_node_add_output_name(p, 0, vi->name);
        if (!names_put(&B->names, p->name, mo_val(p, 0)))
            return oom(B);
    }
    unsigned first = mo_graph_n_nodes(B->fw);
    for (size_t i = 0; i < g->n_node; i++)
        if ((st = add_node(B, g->node[i], i, NULL, 0)) != MO_OK)
            return st;
    if ((st = connect(B, first, mo_graph_n_nodes(B->fw))) != MO_OK)
        return st;
    if (!g->n_output)
        return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': the graph has no outputs", B->L->what);
    for (size_t i = 0; i < g->n_output; i++) {
        const char *on = g->output[i]->name ? g->output[i]->name : "";
        struct mo_value *v = lookup(B, on);
        if (!v)
            return mo_error_set(B->err, MO_ERR_FORMAT, 2, "'%s': %s output '%s' is produced by no node",
                                B->L->what, B->parent ? "a body's" : "graph", mo_quote(qn, on));
        mo_graph_add_output(B->fw, *v);
    }
    return MO_OK;
}

enum mo_status mo_ox_load_file(struct mo_context *ctx, struct mo_file *f, const char *dir,
                               struct mo_graph *fw, struct mo_error *err)
{
    const char *what = mo_file_path(f);
    unsigned char *wire = NULL;
    size_t wire_len = 0, n_spans = 0;
    struct mo_pb_span *spans = NULL;
    enum mo_status st = mo_pb_strip(mo_file_data(f), mo_file_size(f), strip_rules, MO_COUNT_OF(strip_rules),
                                    M_MODEL, what, &wire, &wire_len, &spans, &n_spans, err);
    if (st != MO_OK)
        return st;
    /* the walk over every field left most of the file resident */
    mo_file_drop_pages(f);
    MoOnnx__ModelProto *m = mo_onnx__model_proto__unpack(NULL, wire_len, wire);
    free(wire);
    if (!m) {
        free(spans);
        return mo_error_set(err, MO_ERR_FORMAT, 2,
                            "'%s' is not an ONNX model: its protobuf fields do not decode as a ModelProto; "
                            "the file is truncated, corrupt or of another format", what);
    }
    struct mo_ox_loader L = {ctx, f, what, dir, NULL, spans, n_spans, NULL, 0};
    struct build B = {&L, fw, {NULL, 0, 0}, m, err, NULL, NULL};
    /* an ONNX graph input no output reads is still an input of the model */
    mo_graph_keep_inputs(fw, true);
    if (!m->graph)
        st = mo_error_set(err, MO_ERR_FORMAT, 2, "'%s' is not an ONNX model: it holds no graph", what);
    else
        st = check_opsets(&B);
    if (st == MO_OK) {
        mo_log(ctx, MO_LOG_DEBUG, "onnx: '%s' by %s %s, IR version %" PRId64 ", opset %" PRId64 ", %zu nodes, "
               "%zu initializers, %zu weight blobs borrowed", what, m->producer_name ? m->producer_name : "?",
               m->producer_version ? m->producer_version : "", m->ir_version, opset_of(m, NULL),
               m->graph->n_node, m->graph->n_initializer, n_spans);
        st = build_graph(&B, m->graph);
    }
    /* nodes must not keep pointers into the unpacked model */
    for (unsigned i = 0; i < mo_graph_n_nodes(fw); i++)
        mo_graph_node(fw, i)->user = NULL;
    free(B.names.s);
    mo_ox_loader_fini(&L);
    mo_onnx__model_proto__free_unpacked(m, NULL);
    free(spans);
    return st;
}

enum mo_status mo_ox_load(struct mo_context *ctx, const char *path, struct mo_graph *fw,
                          struct mo_error *err)
{
    struct mo_file *f = mo_file_map(path, err);
    if (!f)
        return err && err->code ? err->code : MO_ERR_IO;
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
    enum mo_status st = dir ? mo_ox_load_file(ctx, f, dir, fw, err)
                            : mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    free(dir);
    mo_file_unref(f);
    return st;
}
