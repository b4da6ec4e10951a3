/* pir.c - Paddle 3's PIR program (model.json) -> framework graph.
 *
 * The JSON holds base_code {magic "pir", version} and program.regions[0]
 * .blocks[0].ops[], each op {"#": "<dialect>.<name>", "A": attributes,
 * "I": [{"%": value id}], "O": [{"%": id, "TT": type}]}; "p" ops are the
 * parameters, builtin "combine"/"split" pack and unpack value vectors,
 * value id 0 is an absent optional input.  Each pd_op is mapped onto the
 * legacy operator the translators know (table below): positional inputs get
 * the legacy slot names, and inputs PIR computes with full / full_int_array
 * where the legacy op had an attribute are folded back into that
 * attribute.  Parameters are read from the .pdiparams beside the JSON in
 * sorted-name order, as Paddle writes them. */
#include <config.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "paddle.h"
#include "pd_load.h"

#define PIR_MIN_VERSION 1
#define PIR_MAX_VERSION 4

/* What a value id stands for. */
struct slot {
    struct mo_value v;            /* a tensor */
    struct mo_tensor *konst;      /* full / full_int_array value (borrowed from the Const node) */
    struct mo_value *vec;         /* combine: the packed values, resolved (heap) */
    unsigned nvec;
    bool set;
};

/* A block being read into a body graph (pd_op.while's and pd_op.if's
 * regions).  Its ops read values of the blocks around it directly by id:
 * each such value becomes, once, a Parameter of the body fed by a new input
 * of the owner node (a capture, "@outer" naming the input), as program.c
 * does for legacy sub-blocks.  Block arguments (negative ids) are the loop's
 * carried values. */
struct pscope {
    struct mo_graph *g;
    struct mo_node *owner;          /* in parent's graph (the top: p->top) */
    struct pscope *parent;          /* NULL: a body of the program's block */
    struct cap { struct mo_value outer, inner; } *caps;
    unsigned ncaps;
    struct arg { json_int_t id; struct slot s; } *args;
    unsigned nargs;
    json_t *yield;                  /* the block's yield inputs */
    unsigned depth;
    /* ids of outer values the block changes in place (array_write_ of an
     * array made outside): the loop carries them as extra values */
    struct write { json_int_t id; struct mo_value old; } *writes;
    unsigned nwrites;
};

struct pir {
    const char *path;
    struct mo_graph *fw;            /* the graph being built: the program's or a body's */
    struct slot *ids;
    size_t nids;
    struct mo_error *err;
    struct pscope *cur;             /* NULL in the program's block */
};

/* regions nest a few deep in real programs; a corrupt file may claim any depth */
#define PIR_MAX_DEPTH 32

/* Value ids are small and dense in the files Paddle writes; the table is
 * indexed by id, so a larger one is refused (see walk) rather than letting
 * one number in a corrupt file allocate gigabytes. */
#define PIR_MAX_ID (1 << 22)

/* The slot of a value id being defined (the table grows), or NULL. */
static struct slot *slot_of(struct pir *p, json_int_t id)
{
    if (id <= 0 || id > PIR_MAX_ID)
        return NULL;
    if ((size_t)id >= p->nids) {
        size_t n = p->nids ? p->nids : 256;
        while (n <= (size_t)id)
            n *= 2;
        struct slot *s = realloc(p->ids, n * sizeof *s);
        if (!s)
            return NULL;
        memset(s + p->nids, 0, (n - p->nids) * sizeof *s);
        p->ids = s;
        p->nids = n;
    }
    return &p->ids[id];
}

/* The slot of a value id being read, or NULL if it was never defined. */
static struct slot *slot_find(struct pir *p, json_int_t id)
{
    if (id < 0)
        for (struct pscope *S = p->cur; S; S = S->parent)
            for (unsigned i = 0; i < S->nargs; i++)
                if (S->args[i].id == id)
                    return &S->args[i].s;
    return id > 0 && (size_t)id < p->nids ? &p->ids[id] : NULL;
}

/* v as seen from the graph of scope S: itself when it lives there, else
 * the body Parameter capturing it (made on first use, through every scope
 * between). */
static struct mo_value value_in(struct pir *p, struct pscope *S, struct mo_value v, enum mo_status *st)
{
    if (!S || !v.node || v.node->graph == S->g)
        return v;
    for (unsigned i = 0; i < S->ncaps; i++)
        if (S->caps[i].outer.node == v.node && S->caps[i].outer.port == v.port)
            return S->caps[i].inner;
    struct mo_value o = value_in(p, S->parent, v, st);
    if (!o.node)
        return MO_NO_VALUE;
    struct cap *nc = realloc(S->caps, (S->ncaps + 1) * sizeof *nc);
    char name[64];
    snprintf(name, sizeof name, "%s/capture%u", S->owner->name, S->ncaps);
    const struct mo_output *out = &o.node->outputs[o.port];
    struct mo_node *prm = nc ? mo_pd_add_input(S->g, name, out->et, &out->shape) : NULL;
    if (nc)
        S->caps = nc;
    unsigned idx = prm ? mo_node_add_input(S->owner, o) : 0;
    if (!prm || (*st = mo_pd_push_slot(S->owner, MO_PD_IN_SLOTS, "@capture")) != MO_OK ||
        (*st = mo_node_set_int(prm, "@outer", idx)) != MO_OK ||
        (mo_pd_is_array(o) && (*st = mo_node_set_bool(prm, MO_PD_ARRAY, true)) != MO_OK)) {
        if (*st == MO_OK)
            *st = mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
        return MO_NO_VALUE;
    }
    S->caps[S->ncaps].outer = o;
    S->caps[S->ncaps].inner = mo_val(prm, 0);
    return S->caps[S->ncaps++].inner;
}

static enum mo_status bad(struct pir *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static enum mo_status bad(struct pir *p, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mo_error_set(p->err, MO_ERR_FORMAT, 2, "'%s' is not a valid PIR program: %s", p->path, msg);
}

static int vartype_of(const char *dtype)
{
    static const struct { const char *n; int v; } t[] = {
        {"bool", 0}, {"int16", 1}, {"int32", 2}, {"int64", 3}, {"float16", 4}, {"float32", 5},
        {"float64", 6}, {"uint8", 20}, {"int8", 21}, {"bfloat16", 22},
    };
    for (size_t i = 0; dtype && i < MO_COUNT_OF(t); i++)
        if (!strcmp(dtype, t[i].n))
            return t[i].v;
    return -1;
}

/* The element type and shape of a "TT" type object. */
static bool tensor_type(json_t *tt, enum mo_etype *et, struct mo_shape *sh)
{
    json_t *d = json_object_get(tt, "D");
    const char *kind = json_string_value(json_object_get(tt, "#"));
    if (!kind || (!strstr(kind, "t_dtensor") && !strstr(kind, "t_dense_tensor_array")) ||
        !json_is_array(d))
        return false;
    const char *ets = json_string_value(json_object_get(json_array_get(d, 0), "#"));
    const char *dot = ets ? strstr(ets, "t_") : NULL;
    *et = dot ? mo_pd_etype_name(dot + 2) : MO_ET_UNDEFINED;
    json_t *dims = json_array_get(d, 1);
    if (!json_is_array(dims) || json_array_size(dims) > MO_MAX_RANK)
        return false;
    sh->rank = (int)json_array_size(dims);
    for (int i = 0; i < sh->rank; i++) {
        json_int_t v = json_integer_value(json_array_get(dims, (size_t)i));
        sh->dims[i] = v < 0 ? MO_DYN : v;
    }
    return true;
}

/* The attribute list of an op as name -> value objects {"#": kind, "D": data}. */
static json_t *attr_get(json_t *op, const char *name)
{
    json_t *a = json_object_get(op, "A");
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) {
        const char *n = json_string_value(json_object_get(e, "N"));
        if (n && !strcmp(n, name))
            return json_object_get(e, "AT");
    }
    return NULL;
}

static const char *kind_of(json_t *at)
{
    const char *k = json_string_value(json_object_get(at, "#"));
    const char *dot = k ? strchr(k, '.') : NULL;
    return dot ? dot + 1 : (k ? k : "");
}

/* Set one PIR attribute on n under name. */
static enum mo_status set_attr(struct mo_node *n, const char *name, json_t *at)
{
    const char *k = kind_of(at);
    json_t *d = json_object_get(at, "D");
    if (!strcmp(k, "a_i32") || !strcmp(k, "a_i64"))
        return mo_node_set_int(n, name, json_integer_value(d));
    if ((!strcmp(k, "a_f32") || !strcmp(k, "a_f64")) && !d) {
        /* values JSON cannot hold come as strings under "VD": INF, -INF, NAN */
        const char *vd = json_string_value(json_object_get(at, "VD"));
        double v = !vd ? 0.0 : !strcmp(vd, "INF") ? HUGE_VAL : !strcmp(vd, "-INF") ? -HUGE_VAL
                                                                                   : NAN;
        return mo_node_set_float(n, name, v);
    }
    if (!strcmp(k, "a_f32") || !strcmp(k, "a_f64"))
        return mo_node_set_float(n, name, json_number_value(d));
    if (!strcmp(k, "a_bool"))
        return mo_node_set_bool(n, name, json_is_true(d));
    if (!strcmp(k, "a_str"))
        return mo_node_set_str(n, name, json_string_value(d) ? json_string_value(d) : "");
    if (!strcmp(k, "a_dtype"))
        return mo_node_set_int(n, name, vartype_of(json_string_value(d)));
    if (!strcmp(k, "a_scalar") && json_is_object(d))
        return set_attr(n, name, d);
    if (!strcmp(k, "a_intarray") || !strcmp(k, "a_array")) {
        size_t cnt = json_array_size(d);
        bool floats = false;
        for (size_t i = 0; i < cnt; i++) {
            json_t *e = json_array_get(d, i);
            json_t *v = json_is_object(e) ? json_object_get(e, "D") : e;
            if (json_is_real(v))
                floats = true;
            else if (!json_is_integer(v) && !json_is_boolean(v))
                return MO_OK;      /* arrays of strings or places: not needed */
        }
        int64_t iv[64];
        double fv[64];
        if (cnt > 64)
            return MO_OK;
        for (size_t i = 0; i < cnt; i++) {
            json_t *e = json_array_get(d, i);
            json_t *v = json_is_object(e) ? json_object_get(e, "D") : e;
            fv[i] = json_is_boolean(v) ? json_is_true(v) : json_number_value(v);
            /* used only when no element is real: v is an integer or a bool
             * (converting a real here could overflow int64) */
            iv[i] = json_is_integer(v) ? json_integer_value(v) : (int64_t)json_is_true(v);
        }
        return floats ? mo_node_set_floats(n, name, fv, cnt) : mo_node_set_ints(n, name, iv, cnt);
    }
    return MO_OK;
}

static const char *renamed(const struct mo_pd_pir_map *m, const char *name, char *buf, size_t n)
{
    for (int i = 0; m && i < 4 && m->rename[i]; i++) {
        const char *eq = strchr(m->rename[i], '=');
        if (eq && (size_t)(eq - m->rename[i]) == strlen(name) &&
            !strncmp(m->rename[i], name, strlen(name))) {
            snprintf(buf, n, "%s", eq + 1);
            return buf;
        }
    }
    return name;
}

/* A constant's values as an attribute (ints, or floats for float types). */
static enum mo_status fold_const(struct mo_node *n, const char *name, const struct mo_tensor *t)
{
    int64_t cnt = mo_tensor_numel(t);
    if (cnt > 64)
        return MO_OK;
    if (mo_etype_is_float(t->et)) {
        double v[64];
        for (int64_t i = 0; i < cnt; i++)
            v[i] = mo_tensor_get_f64(t, i);
        if (t->shape.rank == 0 || cnt == 1)
            return mo_node_set_float(n, name, v[0]);
        return mo_node_set_floats(n, name, v, (size_t)cnt);
    }
    int64_t v[64];
    for (int64_t i = 0; i < cnt; i++)
        v[i] = mo_tensor_get_i64(t, i);
    if (!strcmp(name, "axis") && cnt == 1)
        return mo_node_set_int(n, name, v[0]);
    return mo_node_set_ints(n, name, v, (size_t)cnt);
}

/* full / full_int_array: a framework Const. */
static enum mo_status make_const(struct pir *p, json_t *op, const char *opname, json_int_t id)
{
    enum mo_etype et = MO_ET_UNDEFINED;
    struct mo_shape sh;
    json_t *o0 = json_array_get(json_object_get(op, "O"), 0);
    if (!tensor_type(json_object_get(o0, "TT"), &et, &sh) || et == MO_ET_UNDEFINED)
        return bad(p, "%s value %lld has no tensor type", opname, (long long)id);
    bool int_array = !strcmp(opname, "full_int_array");
    json_t *val = attr_get(op, "value");
    json_t *d = json_object_get(val, "D");
    if (int_array) {
        sh.rank = 1;
        sh.dims[0] = (int64_t)json_array_size(d);
    } else {
        json_t *shape = json_object_get(attr_get(op, "shape"), "D");
        if (json_is_array(shape) && json_array_size(shape) <= MO_MAX_RANK) {
            sh.rank = (int)json_array_size(shape);
            for (int i = 0; i < sh.rank; i++)
                sh.dims[i] = json_integer_value(json_array_get(shape, (size_t)i));
        }
    }
    /* dims from the file may multiply past int64: count the non-zero
     * ones in floating point before anything multiplies them exactly */
    double cnt = 1;
    for (int i = 0; i < sh.rank; i++)
        cnt *= sh.dims[i] > 0 ? (double)sh.dims[i] : 1.0;
    if (!mo_shape_is_static(&sh) || cnt > (1 << 24))
        return bad(p, "%s value %lld has a bad shape", opname, (long long)id);
    struct mo_tensor *t = mo_tensor_new(et, &sh, p->err);
    if (!t || !mo_tensor_mutable(&t, p->err)) {
        mo_tensor_unref(t);
        return mo_pd_status(p->err);
    }
    for (int64_t i = 0; i < mo_shape_numel(&sh); i++) {
        json_t *e = int_array ? json_array_get(d, (size_t)i) : d;
        json_t *v = json_is_object(e) ? json_object_get(e, "D") : e;
        mo_tensor_set_f64(t, i, json_number_value(v));
    }
    char name[64];
    snprintf(name, sizeof name, "%s_%lld", opname, (long long)id);
    struct mo_node *c = mo_graph_add_node(p->fw, "Const", name, 0, 1);
    if (!c) {
        mo_tensor_unref(t);
        return mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
    }
    c->value = t;
    c->outputs[0].et = et;
    c->outputs[0].shape = sh;
    struct slot *s = slot_of(p, id);
    if (!s)
        return mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
    s->v = mo_val(c, 0);
    s->konst = t;
    s->set = true;
    return MO_OK;
}

static json_int_t out_id(json_t *op, size_t i)
{
    return json_integer_value(json_object_get(json_array_get(json_object_get(op, "O"), i), "%"));
}

/* Value id now holds v (an op changed it in place); inside a block, an id
 * whose value came from outside is noted, once, as changed by the block. */
static enum mo_status rebind(struct pir *p, json_int_t id, struct mo_value v)
{
    struct slot *s = slot_find(p, id);
    if (!s || !s->set)
        return bad(p, "an in-place op changes value %lld before it is defined", (long long)id);
    struct pscope *S = p->cur;
    bool outside = S && s->v.node && s->v.node->graph != S->g;
    for (unsigned i = 0; outside && i < S->nwrites; i++)
        outside = S->writes[i].id != id;
    if (outside) {
        struct write *nw = realloc(S->writes, (S->nwrites + 1) * sizeof *nw);
        if (!nw)
            return mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
        S->writes = nw;
        S->writes[S->nwrites].id = id;
        S->writes[S->nwrites++].old = s->v;
    }
    s->v = v;
    return MO_OK;
}

/* pd_op.create_array: an empty array, held as a Const [0, element...]
 * (tr_array.c) of the element type and shape the op's type gives. */
static enum mo_status create_array(struct pir *p, json_t *op, json_int_t id)
{
    enum mo_etype et;
    struct mo_shape el;
    json_t *o0 = json_array_get(json_object_get(op, "O"), 0);
    if (!tensor_type(json_object_get(o0, "TT"), &et, &el) || et == MO_ET_UNDEFINED ||
        el.rank >= MO_MAX_RANK)
        return bad(p, "create_array value %lld has no element type", (long long)id);
    struct mo_shape sh = {el.rank + 1, {0}};
    for (int i = 0; i < el.rank; i++) {
        if (el.dims[i] < 0)
            return mo_error_set(p->err, MO_ERR_UNSUPPORTED, 2,
                                "'%s': tensor array %lld has elements of no static shape; give "
                                "them a static shape, or write the array before reading it in a loop",
                                p->path, (long long)id);
        sh.dims[i + 1] = el.dims[i];
    }
    char name[48];
    snprintf(name, sizeof name, "create_array_%lld", (long long)id);
    struct mo_tensor *t = mo_tensor_new(et, &sh, p->err);
    struct mo_node *c = t ? mo_graph_add_node(p->fw, "Const", name, 0, 1) : NULL;
    struct slot *s = c ? slot_of(p, id) : NULL;
    if (!s) {
        if (!c)
            mo_tensor_unref(t);
        return mo_pd_status(p->err);
    }
    c->value = t;
    c->outputs[0].et = et;
    c->outputs[0].shape = sh;
    mo_node_add_output_name(c, 0, name);
    s->v = mo_val(c, 0);
    s->set = true;
    return mo_node_set_bool(c, MO_PD_ARRAY, true);
}

/* Connect input id to node n under slot (vectors expand to several). */
static enum mo_status connect(struct pir *p, struct mo_node *n, const char *slot, json_int_t id,
                              const char *opname)
{
    struct slot *s = slot_find(p, id);
    if (!s || !s->set)
        return bad(p, "op %s reads value %lld before it is defined", opname, (long long)id);
    enum mo_status st = MO_OK;
    if (s->vec) {
        for (unsigned k = 0; k < s->nvec; k++) {
            struct mo_value v = value_in(p, p->cur, s->vec[k], &st);
            if (!v.node)
                return st;
            mo_node_add_input(n, v);
            if ((st = mo_pd_push_slot(n, MO_PD_IN_SLOTS, slot)) != MO_OK)
                return st;
        }
        return MO_OK;
    }
    struct mo_value v = value_in(p, p->cur, s->v, &st);
    if (!v.node)
        return st != MO_OK ? st : bad(p, "op %s reads value %lld, which holds no tensor", opname, (long long)id);
    mo_node_add_input(n, v);
    return mo_pd_push_slot(n, MO_PD_IN_SLOTS, slot);
}

static enum mo_status pd_op(struct pir *p, json_t *op, const char *opname, json_t *ins,
                            json_t *outs)
{
    const struct mo_pd_pir_map *m = mo_pd_pir_find(opname);
    char name[96];
    json_int_t first = out_id(op, 0);
    snprintf(name, sizeof name, "%s_%lld", m ? m->legacy : opname, (long long)first);
    size_t nout = json_array_size(outs);
    struct mo_node *n = mo_graph_add_node(p->fw, m ? m->legacy : opname, name, 0, (unsigned)nout);
    if (!n)
        return mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
    enum mo_status st = MO_OK;
    size_t i;
    json_t *in;
    json_array_foreach(ins, i, in) {
        json_int_t id = json_integer_value(json_object_get(in, "%"));
        if (id == 0)
            continue;          /* an absent optional input */
        const char *slotname = m && i < 6 && m->in[i] ? m->in[i] : NULL;
        char fallback[32];
        if (!slotname) {
            snprintf(fallback, sizeof fallback, "in%zu", i);
            slotname = fallback;
        }
        if (!strcmp(slotname, "-"))
            continue;
        struct slot *s = slot_find(p, id);
        if (slotname[0] == '@') {
            if (s && s->set && s->konst) {
                st = fold_const(n, slotname + 1, s->konst);
                if (st != MO_OK)
                    return st;
                continue;
            }
            slotname++;        /* computed at run time: a tensor input */
        }
        if ((st = connect(p, n, slotname, id, opname)) != MO_OK)
            return st;
    }
    json_t *a;
    json_array_foreach(json_object_get(op, "A"), i, a) {
        const char *an = json_string_value(json_object_get(a, "N"));
        char buf[64];
        if (an && (st = set_attr(n, renamed(m, an, buf, sizeof buf), json_object_get(a, "AT"))) != MO_OK)
            return st;
    }
    for (size_t k = 0; k < nout; k++) {
        json_int_t id = out_id(op, k);
        const char *oslot = m && k < 6 && m->out[k] ? m->out[k] : "Out";
        char oname[48];
        snprintf(oname, sizeof oname, "%s_%lld", m ? m->legacy : opname, (long long)id);
        mo_node_add_output_name(n, (unsigned)k, oname);
        if ((st = mo_pd_push_slot(n, MO_PD_OUT_SLOTS, oslot)) != MO_OK)
            return st;
        struct slot *s = slot_of(p, id);
        if (!s)
            return mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
        s->v = mo_val(n, (unsigned)k);
        s->set = true;
    }
    /* the array array_write_ is given is the array it changes */
    if (!strcmp(opname, "array_write_") && nout == 1 && json_array_size(ins) > 0)
        return rebind(p, json_integer_value(json_object_get(json_array_get(ins, 0), "%")), mo_val(n, 0));
    return MO_OK;
}

struct fetch_ref {
    json_int_t id;
    int64_t col;
};

static enum mo_status control_op(struct pir *p, json_t *op, const char *opname, json_t *ins,
                                 json_t *outs);

/* The ops of one block into p->fw; fetch (NULL in a body) collects the
 * fetch ops. */
static enum mo_status walk_ops(struct pir *p, json_t *ops, struct fetch_ref *fetch, size_t *nfetch)
{
    enum mo_status st = MO_OK;
    size_t i;
    json_t *op;
    json_array_foreach(ops, i, op) {
        if (st != MO_OK)
            break;
        const char *k = json_string_value(json_object_get(op, "#"));
        json_t *ins = json_object_get(op, "I"), *outs = json_object_get(op, "O");
        if (!k) {
            st = bad(p, "op %s%lld has no name", "", (long long)i);
            break;
        }
        if (!strcmp(k, "p"))
            continue;
        const char *dot = strchr(k, '.');
        const char *opname = dot ? dot + 1 : k;
        bool builtin = dot && !strncmp(k, "0.", 2);
        if (!json_is_array(ins) || !json_is_array(outs)) {
            st = bad(p, "op '%s' (%lld) lacks its input or output list", k, (long long)i);
            break;
        }
        for (size_t q = 0; q < json_array_size(outs) && st == MO_OK; q++) {
            json_int_t id = out_id(op, q);
            if (id < 0 || id > PIR_MAX_ID)
                st = bad(p, "op '%s' (%lld) defines value id %lld; ids run from 1 to %d", k,
                         (long long)i, (long long)id, PIR_MAX_ID);
        }
        if (st != MO_OK)
            break;
        if (builtin && !strcmp(opname, "combine")) {
            struct slot *s = slot_of(p, out_id(op, 0));
            if (!s) {
                st = bad(p, "combine op %s%lld has a bad output", "", (long long)i);
                break;
            }
            /* resolved now, to the values the ids hold at this point: a
             * vector packed into a vector is flattened, and no id can
             * refer back to the vector being built */
            size_t nin = json_array_size(ins), nv = 0;
            struct mo_value *vec = calloc(nin + 1, sizeof *vec);
            for (size_t q = 0; vec && q < nin && st == MO_OK; q++) {
                json_int_t id = json_integer_value(json_object_get(json_array_get(ins, q), "%"));
                const struct slot *e = slot_find(p, id);
                if (!e || !e->set) {
                    st = bad(p, "combine op %lld packs value %lld before it is defined", (long long)i,
                             (long long)id);
                    break;
                }
                size_t add = e->vec ? e->nvec : 1;
                if (nv + add > 65536) {
                    st = bad(p, "combine op %lld packs more than %d values", (long long)i, 65536);
                    break;
                }
                if (e->vec) {
                    struct mo_value *nvec = realloc(vec, (nv + add + nin - q) * sizeof *vec);
                    if (!nvec) {
                        st = mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
                        break;
                    }
                    vec = nvec;
                    memcpy(vec + nv, e->vec, add * sizeof *vec);
                } else {
                    vec[nv] = e->v;
                }
                nv += add;
            }
            if (st == MO_OK && !vec)
                st = mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
            if (st != MO_OK) {
                free(vec);
                break;
            }
            free(s->vec);
            s->vec = vec;
            s->nvec = (unsigned)nv;
            s->set = true;
        } else if (builtin && !strcmp(opname, "split")) {
            /* unpack a vector result: element 0 stays at the vector's port,
             * element q > 0 goes to a new port at the producer's end, in
             * the vector's output slot (so that an op with several outputs,
             * vectors among them, keeps each slot's elements in order) */
            struct slot *src = slot_find(p, json_integer_value(json_object_get(json_array_get(ins, 0), "%")));
            if (!src || !src->set || !src->v.node) {
                st = bad(p, "split op %s%lld reads an unknown vector", "", (long long)i);
                break;
            }
            struct mo_node *prod = src->v.node;
            size_t nq = json_array_size(outs);
            unsigned port0 = src->v.port, first = prod->n_outputs;
            const struct mo_attr *os = mo_node_attr(prod, MO_PD_OUT_SLOTS);
            char vslot[64] = "Out";
            if (os && os->kind == MO_ATTR_STRINGS && port0 < os->u.strs.n)
                snprintf(vslot, sizeof vslot, "%s", os->u.strs.v[port0]);
            if (nq > 1 && (st = mo_node_resize(prod, prod->n_inputs, first + (unsigned)nq - 1)) != MO_OK)
                break;
            for (size_t q = 0; q < nq && st == MO_OK; q++) {
                json_int_t id = out_id(op, q);
                struct slot *s = slot_of(p, id);
                unsigned port = q == 0 ? port0 : first + (unsigned)q - 1;
                if (!s) {
                    st = mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
                    break;
                }
                if (q > 0)
                    st = mo_pd_push_slot(prod, MO_PD_OUT_SLOTS, vslot);
                char oname[48];
                snprintf(oname, sizeof oname, "%s_%lld", prod->type, (long long)id);
                mo_node_add_output_name(prod, port, oname);
                s->v = mo_val(prod, port);
                s->set = true;
            }
        } else if (!strcmp(opname, "data")) {
            enum mo_etype et;
            struct mo_shape sh;
            const char *name = json_string_value(json_object_get(attr_get(op, "name"), "D"));
            json_t *o0 = json_array_get(outs, 0);
            if (!name || !tensor_type(json_object_get(o0, "TT"), &et, &sh)) {
                st = bad(p, "data op %s%lld has no name or type", "", (long long)i);
                break;
            }
            struct mo_node *in = mo_pd_add_input(p->fw, name, et == MO_ET_UNDEFINED ? MO_ET_F32 : et, &sh);
            struct slot *s = slot_of(p, out_id(op, 0));
            if (!in || !s) {
                st = mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
                break;
            }
            s->v = mo_val(in, 0);
            s->set = true;
        } else if (json_object_get(op, "regions")) {
            st = control_op(p, op, opname, ins, outs);
        } else if (!strcmp(opname, "yield") && p->cur) {
            p->cur->yield = ins;
        } else if (!strcmp(opname, "fetch")) {
            if (!fetch) {
                st = bad(p, "a fetch op (%lld) inside a control-flow block", (long long)i);
                break;
            }
            fetch[*nfetch].id = json_integer_value(json_object_get(json_array_get(ins, 0), "%"));
            fetch[*nfetch].col = json_integer_value(json_object_get(attr_get(op, "col"), "D"));
            (*nfetch)++;
        } else if (!builtin && !strcmp(opname, "create_array")) {
            st = create_array(p, op, out_id(op, 0));
        } else if (!builtin && (!strcmp(opname, "full") || !strcmp(opname, "full_int_array"))) {
            st = make_const(p, op, opname, out_id(op, 0));
        } else if (builtin && !strcmp(opname, "parameter")) {
            st = bad(p, "builtin.parameter op %s%lld is not supported", "", (long long)i);
        } else {
            st = pd_op(p, op, opname, ins, outs);
        }
    }
    return st;
}

/* pd_op.while (one region: the body, whose block arguments are the carried
 * values and whose yield gives [the next condition, each next value]) and
 * pd_op.if (two regions: the branches, each yielding the outputs) as the
 * nodes tr_flow.c translates: "while" with "@cond" and "@back", and
 * "conditional_block" with both branches as bodies. */
static enum mo_status control_op(struct pir *p, json_t *op, const char *opname, json_t *ins,
                                 json_t *outs)
{
    bool loop = !strcmp(opname, "while");
    json_t *regions = json_object_get(op, "regions");
    size_t nreg = json_array_size(regions), nin = json_array_size(ins), nout = json_array_size(outs);
    if (!loop && strcmp(opname, "if") != 0)
        return bad(p, "op %s has regions; control flow is read for while and if only", opname);
    if (nreg != (loop ? 1u : 2u) || nin < 1)
        return bad(p, "op %s has %zu regions and %zu inputs; it needs %d and a condition", opname, nreg,
                   nin, loop ? 1 : 2);
    unsigned depth = p->cur ? p->cur->depth + 1 : 1;
    if (depth > PIR_MAX_DEPTH)
        return bad(p, "control flow nests deeper than %d ops (%s)", PIR_MAX_DEPTH, opname);
    char name[96];
    snprintf(name, sizeof name, "%s_%lld", opname, (long long)out_id(op, 0));
    struct mo_node *n = mo_graph_add_node(p->fw, loop ? "while" : "conditional_block", name, 0, (unsigned)nout);
    if (!n)
        return mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
    enum mo_status st = MO_OK;
    struct write *writes = NULL;
    unsigned nwrites = 0;
    int64_t *wback = NULL;
    for (size_t i = 0; i < nin && st == MO_OK; i++) {
        json_int_t id = json_integer_value(json_object_get(json_array_get(ins, i), "%"));
        st = connect(p, n, i == 0 ? (loop ? "Condition" : "Cond") : "X", id, opname);
    }
    if (st == MO_OK && n->n_inputs != nin)
        st = bad(p, "op %s takes a vector; its inputs must be single values", opname);
    for (size_t r = 0; r < nreg && st == MO_OK; r++) {
        json_t *blk = json_array_get(json_object_get(json_array_get(regions, r), "blocks"), 0);
        json_t *args = json_object_get(blk, "args"), *bops = json_object_get(blk, "ops");
        if (!json_is_array(bops))
            return bad(p, "op %s: region %zu has no block of ops", opname, r);
        size_t na = json_array_size(args);
        if (na != (loop ? nin - 1 : 0))
            return bad(p, "op %s: its block takes %zu arguments for %zu carried values", opname, na,
                       loop ? nin - 1 : 0);
        struct mo_body *body = mo_body_add(n, p->err);
        if (!body)
            return mo_pd_status(p->err);
        struct pscope C = {body->graph, n, p->cur, NULL, 0, NULL, 0, NULL, depth, NULL, 0};
        C.args = calloc(na + 1, sizeof *C.args);
        if (!C.args)
            return mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
        /* argument k is the value carried from input k + 1 */
        for (size_t k = 0; k < na && st == MO_OK; k++) {
            json_t *a = json_array_get(args, k);
            json_int_t id = json_integer_value(json_object_get(a, "#"));
            enum mo_etype et;
            struct mo_shape sh;
            if (id >= 0 || !tensor_type(json_object_get(a, "TT"), &et, &sh)) {
                st = bad(p, "op %s: block argument %zu has no negative id or tensor type", opname, k);
                break;
            }
            char an[128];
            snprintf(an, sizeof an, "%s/carried%zu", name, k);
            struct mo_node *prm = mo_pd_add_input(C.g, an, et, &sh);
            if (!prm || mo_node_set_int(prm, "@outer", (int64_t)k + 1) != MO_OK) {
                st = mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
                break;
            }
            C.args[C.nargs].id = id;
            C.args[C.nargs].s.v = mo_val(prm, 0);
            C.args[C.nargs].s.set = true;
            C.nargs++;
        }
        struct mo_graph *outer = p->fw;
        struct pscope *up = p->cur;
        p->fw = C.g;
        p->cur = &C;
        if (st == MO_OK)
            st = walk_ops(p, bops, NULL, NULL);
        size_t ny = json_array_size(C.yield);
        if (st == MO_OK && (!C.yield || ny != (loop ? nin : nout)))
            st = bad(p, "op %s: region %zu yields %zu values; it must yield %zu", opname, r, ny,
                     loop ? nin : nout);
        for (size_t k = 0; k < ny && st == MO_OK; k++) {
            json_int_t id = json_integer_value(json_object_get(json_array_get(C.yield, k), "%"));
            struct slot *ys = slot_find(p, id);
            struct mo_value v = ys && ys->set && !ys->vec ? value_in(p, &C, ys->v, &st) : MO_NO_VALUE;
            if (!v.node && st == MO_OK)
                st = bad(p, "op %s: region %zu yields value %lld, which is not a defined tensor", opname,
                         r, (long long)id);
            if (st == MO_OK)
                mo_graph_add_output(C.g, v);
        }
        if (st == MO_OK && C.nwrites && !loop)
            st = mo_error_set(p->err, MO_ERR_UNSUPPORTED, 2,
                              "'%s': a branch of if op %s changes tensor array %lld made outside "
                              "it in place; write the array outside the if",
                              p->path, name, (long long)C.writes[0].id);
        /* an array the loop writes in place: one more carried value, its
         * Parameter the capture of the array's value before the loop */
        wback = C.nwrites ? calloc(C.nwrites, sizeof *wback) : NULL;
        if (C.nwrites && !wback)
            st = mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
        for (unsigned w = 0; w < C.nwrites && st == MO_OK; w++) {
            struct slot *ws = slot_find(p, C.writes[w].id);
            struct mo_value in = value_in(p, &C, C.writes[w].old, &st);
            struct mo_value fin = ws && st == MO_OK ? value_in(p, &C, ws->v, &st) : MO_NO_VALUE;
            if (st == MO_OK && (!in.node || !fin.node))
                st = bad(p, "op %s: the array %lld it writes has no value", opname, (long long)C.writes[w].id);
            if (st == MO_OK) {
                mo_graph_add_output(C.g, fin);
                wback[w] = mo_node_get_int(in.node, "@outer", -1, NULL);
            }
        }
        p->fw = outer;
        p->cur = up;
        free(C.caps);
        free(C.args);
        writes = C.writes;
        nwrites = C.nwrites;
    }
    /* the loop's final arrays replace the ones it changed (rebound from
     * their values before the loop, so that a block around this one notes
     * the change in turn) */
    if (st == MO_OK && nwrites &&
        (st = mo_node_resize(n, n->n_inputs, (unsigned)(nout + nwrites))) == MO_OK) {
        for (unsigned w = 0; w < nwrites && st == MO_OK; w++) {
            char oname[64];
            snprintf(oname, sizeof oname, "%s_%lld/array%u", opname, (long long)out_id(op, 0), w);
            mo_node_add_output_name(n, (unsigned)nout + w, oname);
            slot_find(p, writes[w].id)->v = writes[w].old;
            if ((st = mo_pd_push_slot(n, MO_PD_OUT_SLOTS, "Out")) == MO_OK)
                st = rebind(p, writes[w].id, mo_val(n, (unsigned)nout + w));
        }
    }
    if (st == MO_OK)
        st = mo_node_set_int(n, "@cond", 0);
    if (st == MO_OK && loop) {
        int64_t *back = calloc(nin + nwrites + 1, sizeof *back);
        if (!back) {
            free(writes);
            free(wback);
            return mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
        }
        back[0] = -1;                /* the condition is no block argument */
        for (size_t k = 1; k < nin; k++)
            back[k] = (int64_t)k;
        for (unsigned w = 0; w < nwrites; w++)
            back[nin + w] = wback[w];
        st = mo_node_set_ints(n, "@back", back, nin + nwrites);
        free(back);
    }
    for (size_t k = 0; k < nout && st == MO_OK; k++) {
        json_int_t id = out_id(op, k);
        char oname[48];
        snprintf(oname, sizeof oname, "%s_%lld", opname, (long long)id);
        mo_node_add_output_name(n, (unsigned)k, oname);
        st = mo_pd_push_slot(n, MO_PD_OUT_SLOTS, "Out");
        struct slot *s = st == MO_OK ? slot_of(p, id) : NULL;
        if (st == MO_OK && !s)
            st = mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
        if (st == MO_OK) {
            s->v = mo_val(n, (unsigned)k);
            s->set = true;
        }
    }
    free(writes);
    free(wback);
    return st;
}

static enum mo_status walk(struct pir *p, json_t *ops, const char *params_path)
{
    enum mo_status st = MO_OK;
    size_t nops = json_array_size(ops), i, np = 0;
    json_t *op;
    struct mo_pd_param *params = calloc(nops + 1, sizeof *params);
    json_int_t *pid = calloc(nops + 1, sizeof *pid);
    struct fetch_ref *fetch = calloc(nops + 1, sizeof *fetch);
    size_t nfetch = 0;
    if (!params || !pid || !fetch) {
        st = mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
        goto out;
    }
    /* parameters first: they are read from one file in sorted-name order */
    json_array_foreach(ops, i, op) {
        const char *k = json_string_value(json_object_get(op, "#"));
        if (!k || strcmp(k, "p") != 0)
            continue;
        json_t *a = json_object_get(op, "A");
        const char *name = json_string_value(json_array_get(a, json_array_size(a) - 1));
        json_t *o = json_object_get(op, "O");
        if (!name || !json_is_object(o))
            { st = bad(p, "parameter op %s%lld has no name or output", "", (long long)i); goto out; }
        params[np].name = name;
        if (!tensor_type(json_object_get(o, "TT"), &params[np].et, &params[np].shape))
            { st = bad(p, "parameter '%s' (op %lld) has no tensor type", name, (long long)i); goto out; }
        /* OA[0] is "persistable": a non-persistable one (an rnn's dropout
         * state) is not in the parameter file; inference never reads it,
         * so it is a zero Const of its declared type */
        json_t *oa = json_array_get(json_object_get(op, "OA"), 0);
        if (json_is_integer(oa) && json_integer_value(oa) == 0) {
            struct mo_shape zs = params[np].shape;
            if (!mo_shape_is_static(&zs) || params[np].et == MO_ET_UNDEFINED)
                { st = bad(p, "parameter '%s' (op %lld) is not persistable and has no static type", name, (long long)i); goto out; }
            struct mo_tensor *t = mo_tensor_new(params[np].et, &zs, p->err);
            struct mo_node *c = t ? mo_graph_add_node(p->fw, "Const", name, 0, 1) : NULL;
            struct slot *zslot = c ? slot_of(p, json_integer_value(json_object_get(o, "%"))) : NULL;
            if (!zslot) {
                if (!c)
                    mo_tensor_unref(t);
                st = mo_pd_status(p->err);
                goto out;
            }
            c->value = t;
            c->outputs[0].et = t->et;
            c->outputs[0].shape = zs;
            mo_node_add_output_name(c, 0, name);
            zslot->v = mo_val(c, 0);
            zslot->set = true;
            continue;
        }
        pid[np] = json_integer_value(json_object_get(o, "%"));
        if (pid[np] <= 0 || pid[np] > PIR_MAX_ID)
            { st = bad(p, "parameter '%s' (op %lld) has no valid value id", name, (long long)i); goto out; }
        np++;
    }
    /* sort params and ids together */
    for (size_t a = 1; a < np; a++)
        for (size_t b = a; b > 0 && strcmp(params[b - 1].name, params[b].name) > 0; b--) {
            struct mo_pd_param tp = params[b];
            params[b] = params[b - 1];
            params[b - 1] = tp;
            json_int_t ti = pid[b];
            pid[b] = pid[b - 1];
            pid[b - 1] = ti;
        }
    if ((st = mo_pd_read_params(p->path, params_path, params, np, p->err)) != MO_OK)
        goto out;
    for (size_t k = 0; k < np && st == MO_OK; k++) {
        struct mo_node *c = mo_graph_add_node(p->fw, "Const", params[k].name, 0, 1);
        struct slot *s = slot_of(p, pid[k]);
        if (!c || !s) {
            st = mo_error_set(p->err, MO_ERR_NOMEM, 0, "out of memory");
            break;
        }
        c->value = params[k].t;
        params[k].t = NULL;
        c->outputs[0].et = c->value->et;
        c->outputs[0].shape = c->value->shape;
        mo_node_add_output_name(c, 0, params[k].name);
        s->v = mo_val(c, 0);
        s->set = true;
    }
    if (st == MO_OK)
        st = walk_ops(p, ops, fetch, &nfetch);
    for (size_t a = 0; a < nfetch && st == MO_OK; a++) {
        size_t best = a;
        for (size_t b = a + 1; b < nfetch; b++)
            if (fetch[b].col < fetch[best].col)
                best = b;
        json_int_t id = fetch[best].id;
        int64_t col = fetch[best].col;
        fetch[best] = fetch[a];
        fetch[a].id = id;
        fetch[a].col = col;
        struct slot *s = slot_find(p, id);
        if (!s || !s->set || !s->v.node) {
            st = bad(p, "a fetch reads value %s%lld, which is never computed", "", (long long)id);
            break;
        }
        mo_graph_add_output(p->fw, s->v);
    }
    if (st == MO_OK && !nfetch)
        st = bad(p, "the program has no fetch ops%s (%lld)", "", 0LL);
out:
    for (size_t k = 0; params && k < np; k++)
        mo_tensor_unref(params[k].t);
    free(params);
    free(pid);
    free(fetch);
    return st;
}

enum mo_status mo_pd_pir_load(const char *path, const char *params_path, struct mo_graph *fw,
                              struct mo_error *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root)
        return mo_error_set(err, MO_ERR_FORMAT, 2,
                            "'%s' is not valid JSON (line %d, column %d: %s); is the file truncated?",
                            path, je.line, je.column, je.text);
    struct pir p = {path, fw, NULL, 0, err, NULL};
    enum mo_status st;
    json_t *bc = json_object_get(root, "base_code");
    const char *magic = json_string_value(json_object_get(bc, "magic"));
    json_t *ver = json_object_get(bc, "version");
    json_t *ops = json_object_get(
        json_array_get(json_object_get(json_array_get(json_object_get(json_object_get(root, "program"), "regions"), 0),
                                       "blocks"),
                       0),
        "ops");
    if (!magic || strcmp(magic, "pir") != 0) {
        st = mo_error_set(err, MO_ERR_FORMAT, 2,
                          "'%s' is not a Paddle PIR program (no base_code.magic \"pir\")", path);
    } else if (!json_is_integer(ver) || json_integer_value(ver) < PIR_MIN_VERSION ||
               json_integer_value(ver) > PIR_MAX_VERSION) {
        st = mo_error_set(err, MO_ERR_UNSUPPORTED, 2,
                          "'%s' is PIR version %lld; mo reads PIR versions %d to %d. Save the model "
                          "with a Paddle release that writes one of those, or in the .pdmodel "
                          "format (FLAGS_enable_pir_api=0)",
                          path, json_is_integer(ver) ? (long long)json_integer_value(ver) : -1LL,
                          PIR_MIN_VERSION, PIR_MAX_VERSION);
    } else if (!json_is_array(ops)) {
        st = mo_error_set(err, MO_ERR_FORMAT, 2, "'%s' has no program.regions[0].blocks[0].ops", path);
    } else {
        st = walk(&p, ops, params_path);
    }
    for (size_t i = 0; i < p.nids; i++)
        free(p.ids[i].vec);
    free(p.ids);
    json_decref(root);
    return st;
}
