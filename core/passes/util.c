/* util.c - helpers the pass files share: uses, rewiring, constants, stats,
 * and fallback definitions of the few ops the passes create. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>
#include <mo/op.h>

#include "../context_private.h"
#include "../ops/ops.h"
#include "passes.h"

/* --- statistics ---------------------------------------------------------- */

void mo_pass_stats_add(struct mo_pass_stats *s, const char *pass, const char *what, long n)
{
    if (!s || !n)
        return;
    for (unsigned i = 0; i < s->n; i++) {
        if (!strcmp(s->items[i].pass, pass) && !strcmp(s->items[i].what, what)) {
            s->items[i].count += n;
            return;
        }
    }
    if (s->n == MO_PASS_STATS_MAX)
        return;
    s->items[s->n].pass = pass;
    s->items[s->n].what = what;
    s->items[s->n].count = n;
    s->n++;
}

long mo_pass_stats_get(const struct mo_pass_stats *s, const char *pass, const char *what)
{
    long sum = 0;
    for (unsigned i = 0; s && i < s->n; i++)
        if (!strcmp(s->items[i].pass, pass) && (!what || !strcmp(s->items[i].what, what)))
            sum += s->items[i].count;
    return sum;
}

/* --- graph helpers -------------------------------------------------------- */

bool mo_pass_is(const struct mo_node *n, const char *type)
{
    /* a custom layer (mapping, extension) may share a standard op's name;
     * only the op table's own definition is the standard op */
    return n && !n->dead && !strcmp(n->type, type) &&
           (!n->def || n->def == mo_context_op(mo_graph_context(n->graph), type));
}

bool mo_pass_is_const(const struct mo_node *n)
{
    return mo_pass_is(n, "Const") && n->value;
}

unsigned mo_pass_n_uses(struct mo_graph *g, struct mo_value v)
{
    unsigned c = 0;
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *x = mo_graph_node(g, i);
        if (x->dead)
            continue;
        for (unsigned k = 0; k < x->n_inputs; k++)
            c += x->inputs[k].node == v.node && x->inputs[k].port == v.port;
    }
    return c;
}

unsigned *mo_pass_count_uses(struct mo_graph *g, unsigned *n_out)
{
    unsigned n = mo_graph_n_nodes(g);
    unsigned *uses = calloc(n ? n : 1, sizeof *uses);
    if (!uses)
        return NULL;
    for (unsigned i = 0; i < n; i++) {
        struct mo_node *x = mo_graph_node(g, i);
        for (unsigned k = 0; !x->dead && k < x->n_inputs; k++)
            if (x->inputs[k].node && x->inputs[k].node->id < n)
                uses[x->inputs[k].node->id]++;
    }
    *n_out = n;
    return uses;
}

struct mo_node *mo_pass_only_user(struct mo_graph *g, struct mo_value v, unsigned *in_port)
{
    struct mo_node *user = NULL;
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *x = mo_graph_node(g, i);
        if (x->dead)
            continue;
        for (unsigned k = 0; k < x->n_inputs; k++) {
            if (x->inputs[k].node != v.node || x->inputs[k].port != v.port)
                continue;
            if (user)
                return NULL;
            user = x;
            if (in_port)
                *in_port = k;
        }
    }
    return user;
}

void mo_pass_replace(struct mo_graph *g, struct mo_value from, struct mo_value to)
{
    mo_graph_replace_uses(g, from, to);
    /* the framework tensor names follow the value so that .mapping and the
     * runtime's tensor lookup still find it */
    const struct mo_output *o = &from.node->outputs[from.port];
    for (unsigned i = 0; i < o->n_names; i++)
        mo_node_add_output_name(to.node, to.port, o->names[i]);
}

struct mo_node *mo_pass_const(struct mo_graph *g, const char *name, enum mo_etype et,
                              const struct mo_shape *s, const double *vals, struct mo_error *err)
{
    struct mo_tensor *t = mo_tensor_new(et, s, err);
    if (!t)
        return NULL;
    int64_t n = mo_tensor_numel(t);
    for (int64_t i = 0; i < n; i++)
        mo_tensor_set_f64(t, i, vals[i]);
    return mo_const(g, name, t, err);
}

bool mo_pass_per_channel(const struct mo_tensor *t, int rank, int axis, int64_t c, double *out)
{
    int tr = t->shape.rank;
    if (tr > rank)
        return false;
    int64_t n = mo_tensor_numel(t);
    if (n == 1) {
        double v = mo_tensor_get_f64(t, 0);
        for (int64_t i = 0; i < c; i++)
            out[i] = v;
        return true;
    }
    /* right-aligned broadcast: only the dim that lands on axis may be > 1 */
    for (int d = 0; d < tr; d++) {
        int target = rank - tr + d;
        if (target == axis) {
            if (t->shape.dims[d] != c)
                return false;
        } else if (t->shape.dims[d] != 1) {
            return false;
        }
    }
    if (axis < rank - tr)
        return false;
    for (int64_t i = 0; i < c; i++)
        out[i] = mo_tensor_get_f64(t, i);
    return true;
}

enum mo_status mo_pass_reinfer(struct mo_graph *g, struct mo_error *err)
{
    return mo_graph_infer(g, err);
}

/* --- fallback ops ---------------------------------------------------------- */

static enum mo_status infer_convert(struct mo_node *n, struct mo_error *err)
{
    enum mo_etype et = mo_etype_parse(mo_node_get_str(n, "destination_type", ""));
    if (et == MO_ET_UNDEFINED)
        return mo_shape_error(n, err, "unknown destination_type");
    struct mo_shape s = mo_in_shape(n, 0);
    return mo_set_out(n, 0, et, &s);
}

static enum mo_status eval_convert(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    out[0] = mo_tensor_convert(x, n->outputs[0].et, err);
    return out[0] ? MO_OK : MO_ERR_NOMEM;
}

static const struct mo_attr_spec convert_attrs[] = {{"destination_type", MO_ATTR_STRING, NULL}};
static const struct mo_op_def fb_convert = {
    "Convert", "opset1", 1, 1, 1, convert_attrs, 1, infer_convert, eval_convert};

/* Gather-8 with a scalar axis and 1-D indices: all the passes need. */
static enum mo_status infer_gather(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), ix = mo_in_shape(n, 1);
    int64_t axv[1];
    if (mo_const_ints(n, 2, axv, 1) != 1 || x.rank < 0 || ix.rank != 1)
        return mo_shape_error(n, err, "Gather needs a constant axis and 1-D indices");
    int axis = mo_axis_norm(axv[0], x.rank);
    if (axis < 0)
        return mo_shape_error(n, err, "axis out of range");
    x.dims[axis] = ix.dims[0];
    return mo_set_out(n, 0, mo_in_et(n, 0), &x);
}
static const struct mo_attr_spec gather_attrs[] = {{"batch_dims", MO_ATTR_INT, "0"}};
static const struct mo_op_def fb_gather = {
    "Gather", "opset8", 3, 3, 1, gather_attrs, 1, infer_gather, NULL};

static enum mo_status infer_transpose(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), o;
    int64_t order[MO_MAX_RANK];
    int c = mo_const_ints(n, 1, order, MO_MAX_RANK);
    if (x.rank < 0 || c != x.rank)
        return mo_shape_error(n, err, "Transpose needs a constant order of the input's rank");
    o.rank = x.rank;
    for (int i = 0; i < c; i++) {
        if (order[i] < 0 || order[i] >= x.rank)
            return mo_shape_error(n, err, "order value out of range");
        o.dims[i] = x.dims[order[i]];
    }
    return mo_set_out(n, 0, mo_in_et(n, 0), &o);
}
static const struct mo_op_def fb_transpose = {
    "Transpose", "opset1", 2, 2, 1, NULL, 0, infer_transpose, NULL};

enum mo_status mo_pass_ensure_ops(struct mo_context *ctx, struct mo_error *err)
{
    static const struct mo_op_def *const defs[] = {&fb_convert, &fb_gather, &fb_transpose};
    if (!ctx)
        return MO_OK;
    struct mo_plugin_ctx pc = {ctx, NULL};
    for (size_t i = 0; i < MO_COUNT_OF(defs); i++) {
        if (mo_context_op(ctx, defs[i]->type))
            continue;
        enum mo_status st = mo_register_op(&pc, defs[i], err);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

/* --- --finegrain_fusing ----------------------------------------------------- */

enum mo_status mo_pass_compile_finegrain(const char *text, regex_t *out, struct mo_error *err)
{
    /* "a,b" -> "^(a)|^(b)": each alternative anchored like a prefix match */
    size_t len = strlen(text);
    char *re = malloc(len * 2 + 16);
    if (!re)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    size_t k = 0;
    bool first = true;
    const char *p = text;
    while (1) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l) {
            if (!first)
                re[k++] = '|';
            first = false;
            re[k++] = '^';
            re[k++] = '(';
            memcpy(re + k, p, l);
            k += l;
            re[k++] = ')';
        }
        if (!e)
            break;
        p = e + 1;
    }
    re[k] = 0;
    if (first) {
        free(re);
        return mo_error_set(err, MO_ERR_INVALID_ARG, 20,
                            "--finegrain_fusing '%s' holds no regular expression", text);
    }
    int rc = regcomp(out, re, REG_EXTENDED | REG_NOSUB);
    free(re);
    if (rc != 0) {
        char msg[256];
        regerror(rc, out, msg, sizeof msg);
        return mo_error_set(err, MO_ERR_INVALID_ARG, 20,
                            "--finegrain_fusing '%s' is not a valid regular expression: %s", text, msg);
    }
    return MO_OK;
}
