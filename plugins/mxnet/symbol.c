/* symbol.c - MXNet symbol JSON (every dialect since 0.8) -> framework graph.
 *
 * Dialects: 1.x keeps op parameters under "attrs", the NNVM-era 0.9-0.12
 * files under "attr", pre-0.9 ones under "param" (plus "attr" for hidden
 * keys).  All three are merged, later spellings winning.  Old files are
 * upgraded as MXNet's own loader does: bare hidden keys (lr_mult...) are
 * dropped, BatchNorm's auxiliary inputs that pre-0.9 files leave out are
 * added as variables "<name>_moving_mean"/"<name>_moving_var", the
 * deprecated op "Softmax" becomes "SoftmaxOutput", Concat's "axis" alias is
 * also given as "dim". */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mx_load.h"
#include "mxnet.h"

struct jnode {
    const char *op;
    const char *name;
    json_t *attrs;            /* merged attribute object (new reference) */
    unsigned n_in;
    unsigned *in_node, *in_port;
    unsigned n_out;
    bool reachable;
    bool is_weight;           /* a null node feeding a weight slot */
    struct mo_node *fw;
    /* extra variables added by the upgrade (BatchNorm aux) */
    unsigned n_extra;
    char *extra[2];
};

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static bool is_hidden_key(const char *k)
{
    static const char *const bare[] = {"ctx_group", "lr_mult", "wd_mult", "force_mirroring",
                                       "mirror_stage", "profiler_scope"};
    if (!strncmp(k, "__", 2))
        return true;
    for (size_t i = 0; i < MO_COUNT_OF(bare); i++)
        if (!strcmp(k, bare[i]) || (has_suffix(k, bare[i]) && strlen(k) > strlen(bare[i]) &&
                                    k[strlen(k) - strlen(bare[i]) - 1] == '_'))
            return true;
    return false;
}

/* Value of an attribute as MXNet would print it. */
static char *attr_text(json_t *v)
{
    char buf[64];
    switch (json_typeof(v)) {
    case JSON_STRING: return strdup(json_string_value(v));
    case JSON_INTEGER:
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        return strdup(buf);
    case JSON_REAL:
        snprintf(buf, sizeof buf, "%.17g", json_real_value(v));
        return strdup(buf);
    case JSON_TRUE: return strdup("True");
    case JSON_FALSE: return strdup("False");
    case JSON_NULL: return strdup("None");
    default: return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    }
}

/* Inputs of these ops at index >= 1 are learned weights, never graph inputs. */
static bool weight_slot(const char *op, unsigned idx)
{
    static const char *const ops[] = {
        "Convolution", "Deconvolution", "FullyConnected", "BatchNorm", "InstanceNorm",
        "LayerNorm", "GroupNorm", "LeakyReLU", "Embedding", "_contrib_DeformableConvolution",
        "CuDNNBatchNorm", "SyncBatchNorm", "_contrib_SyncBatchNorm", "RNN"};
    if (idx == 0)
        return false;
    for (size_t i = 0; i < MO_COUNT_OF(ops); i++)
        if (!strcmp(op, ops[i]))
            return true;
    return false;
}

static bool weight_name(const char *name)
{
    static const char *const suf[] = {"_weight", "_bias", "_gamma", "_beta", "_moving_mean",
                                      "_moving_var", "_running_mean", "_running_var"};
    for (size_t i = 0; i < MO_COUNT_OF(suf); i++)
        if (has_suffix(name, suf[i]))
            return true;
    return false;
}

static enum mo_status bad(struct mo_error *err, const char *path, const char *a, long long b)
{
    return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s' is not a valid MXNet symbol file: %s %lld",
                        path, a, b);
}

/* Parse "(1, 3, 224, 224)"; 0 or None dims are unknown (MXNet's convention). */
static struct mo_shape parse_shape(const char *s)
{
    struct mo_shape sh = {.rank = 0};
    const char *p = s;
    while (*p && sh.rank < MO_MAX_RANK) {
        while (*p == ' ' || *p == '(' || *p == '[' || *p == ',' || *p == ')' || *p == ']')
            p++;
        if (!*p)
            break;
        if (!strncmp(p, "None", 4)) {
            sh.dims[sh.rank++] = MO_DYN;
            p += 4;
            continue;
        }
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p)
            return mo_shape_unknown();
        sh.dims[sh.rank++] = v > 0 ? v : MO_DYN;
        p = end;
        while (*p == 'L')
            p++;
    }
    return sh;
}

static enum mo_status read_inputs(json_t *jin, struct jnode *jn, unsigned self, unsigned nn,
                                  const char *path, struct mo_error *err)
{
    if (!jin) {
        jn->n_in = 0;
        return MO_OK;
    }
    if (!json_is_array(jin))
        return bad(err, path, "the inputs of node", self);
    jn->n_in = (unsigned)json_array_size(jin);
    jn->in_node = calloc(jn->n_in + 2, sizeof *jn->in_node);
    jn->in_port = calloc(jn->n_in + 2, sizeof *jn->in_port);
    if (!jn->in_node || !jn->in_port)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned k = 0; k < jn->n_in; k++) {
        json_t *e = json_array_get(jin, k);
        json_t *a = json_array_get(e, 0), *b = json_array_get(e, 1);
        if (!json_is_array(e) || !json_is_integer(a) || (b && !json_is_integer(b)))
            return bad(err, path, "a malformed input entry in node", self);
        long long id = json_integer_value(a), port = b ? json_integer_value(b) : 0;
        if (id < 0 || id >= nn || id == self || port < 0 || port > 65535)
            return mo_error_set(err, MO_ERR_FORMAT, 2,
                                "'%s' is not a valid MXNet symbol file: node %u ('%s') reads "
                                "node %lld output %lld, which does not exist",
                                path, self, jn->name, id, port);
        jn->in_node[k] = (unsigned)id;
        jn->in_port[k] = (unsigned)port;
    }
    return MO_OK;
}

/* Merge attrs (1.x) over attr (NNVM) over param (pre-0.9). */
static json_t *merged_attrs(json_t *node)
{
    json_t *m = json_object();
    static const char *const keys[] = {"param", "attr", "attrs"};
    for (size_t i = 0; m && i < MO_COUNT_OF(keys); i++) {
        json_t *o = json_object_get(node, keys[i]);
        if (json_is_object(o))
            json_object_update(m, o);
    }
    return m;
}

static const char *attr_str(json_t *attrs, const char *key)
{
    return json_string_value(json_object_get(attrs, key));
}

/* Apply the old-dialect upgrades MXNet's loader performs (see the file comment). */
static enum mo_status upgrade(struct jnode *jn)
{
    if (!strcmp(jn->op, "Softmax"))
        jn->op = "SoftmaxOutput";
    if ((!strcmp(jn->op, "Concat") || !strcmp(jn->op, "concat")) && !json_object_get(jn->attrs, "dim") &&
        json_object_get(jn->attrs, "axis"))
        json_object_set(jn->attrs, "dim", json_object_get(jn->attrs, "axis"));
    if (!strcmp(jn->op, "BatchNorm") && jn->n_in >= 3 && jn->n_in < 5) {
        static const char *const aux[] = {"moving_mean", "moving_var"};
        for (unsigned k = jn->n_in; k < 5; k++) {
            size_t len = strlen(jn->name) + 16;
            char *nm = malloc(len);
            if (!nm)
                return MO_ERR_NOMEM;
            snprintf(nm, len, "%s_%s", jn->name, aux[k - 3]);
            jn->extra[jn->n_extra++] = nm;
        }
    }
    return MO_OK;
}

static void mark_reachable(struct jnode *v, unsigned id)
{
    /* iterative DFS: deep nets (ResNet-152) would be fine recursively, but
     * a hostile file could nest arbitrarily */
    unsigned *stack = malloc(sizeof *stack * 64), sp = 0, cap = 64;
    if (!stack)
        return;
    stack[sp++] = id;
    while (sp) {
        unsigned n = stack[--sp];
        if (v[n].reachable)
            continue;
        v[n].reachable = true;
        for (unsigned k = 0; k < v[n].n_in; k++) {
            if (sp == cap) {
                unsigned *s2 = realloc(stack, sizeof *stack * cap * 2);
                if (!s2)
                    break;
                stack = s2;
                cap *= 2;
            }
            stack[sp++] = v[n].in_node[k];
        }
    }
    free(stack);
}

static struct mo_node *make_variable(struct mo_graph *fw, const char *name, json_t *attrs,
                                     const struct mo_mx_params *params, bool weight,
                                     char *missing, size_t missing_sz, unsigned *n_missing)
{
    const struct mo_mx_param *p = mo_mx_params_find(params, name);
    struct mo_node *n;
    if (p && p->t) {
        n = mo_graph_add_node(fw, "Const", name, 0, 1);
        if (!n)
            return NULL;
        n->value = mo_tensor_ref(p->t);
        n->outputs[0].et = p->t->et;
        n->outputs[0].shape = p->t->shape;
    } else {
        if (weight || weight_name(name)) {
            size_t off = strlen(missing);
            if (*n_missing < 8)
                snprintf(missing + off, missing_sz - off, "%s'%s'", *n_missing ? ", " : "", name);
            else if (*n_missing == 8)
                snprintf(missing + off, missing_sz - off, ", ...");
            (*n_missing)++;
        }
        n = mo_graph_add_node(fw, "Parameter", name, 0, 1);
        if (!n)
            return NULL;
        const char *shape = attrs ? attr_str(attrs, "__shape__") : NULL;
        const char *dtype = attrs ? attr_str(attrs, "__dtype__") : NULL;
        n->outputs[0].shape = shape ? parse_shape(shape) : mo_shape_unknown();
        enum mo_etype et = dtype ? mo_mx_etype(atoi(dtype)) : MO_ET_F32;
        n->outputs[0].et = et == MO_ET_UNDEFINED ? MO_ET_F32 : et;
    }
    mo_node_add_output_name(n, 0, name);
    return n;
}

static enum mo_status build(json_t *root, const char *path, const struct mo_mx_params *params,
                            const char *params_desc, struct mo_graph *fw, struct mo_error *err)
{
    json_t *jnodes = json_object_get(root, "nodes");
    json_t *jheads = json_object_get(root, "heads");
    if (!json_is_array(jnodes) || !json_array_size(jnodes))
        return mo_error_set(err, MO_ERR_FORMAT, 2,
                            "'%s' is not an MXNet symbol file: it has no \"nodes\" list", path);
    if (!json_is_array(jheads) || !json_array_size(jheads))
        return mo_error_set(err, MO_ERR_FORMAT, 2,
                            "'%s' is not an MXNet symbol file: it has no \"heads\" list", path);
    unsigned nn = (unsigned)json_array_size(jnodes);
    struct jnode *v = calloc(nn, sizeof *v);
    if (!v)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    enum mo_status st = MO_OK;
    for (unsigned i = 0; i < nn && st == MO_OK; i++) {
        json_t *jn = json_array_get(jnodes, i);
        v[i].op = json_string_value(json_object_get(jn, "op"));
        v[i].name = json_string_value(json_object_get(jn, "name"));
        if (!json_is_object(jn) || !v[i].op || !v[i].name) {
            st = bad(err, path, "missing \"op\" or \"name\" in node", i);
            break;
        }
        v[i].attrs = merged_attrs(jn);
        if (!v[i].attrs) {
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            break;
        }
        st = read_inputs(json_object_get(jn, "inputs"), &v[i], i, nn, path, err);
        if (st == MO_OK && upgrade(&v[i]) != MO_OK)
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    /* output counts: node_row_ptr when present, else what consumers use */
    json_t *rows = json_object_get(root, "node_row_ptr");
    bool use_rows = json_is_array(rows) && json_array_size(rows) == (size_t)nn + 1;
    for (unsigned i = 0; i < nn && st == MO_OK; i++) {
        unsigned cnt = 1;
        if (use_rows) {
            long long a = json_integer_value(json_array_get(rows, i));
            long long b = json_integer_value(json_array_get(rows, i + 1));
            if (b > a && b - a < 65536)
                cnt = (unsigned)(b - a);
        } else if (!strcmp(v[i].op, "SliceChannel") || !strcmp(v[i].op, "split")) {
            const char *no = attr_str(v[i].attrs, "num_outputs");
            if (no && atoi(no) > 0)
                cnt = (unsigned)atoi(no);
        }
        if (cnt > v[i].n_out)
            v[i].n_out = cnt;
        for (unsigned k = 0; k < v[i].n_in; k++) {
            struct jnode *src = &v[v[i].in_node[k]];
            if (v[i].in_port[k] + 1 > src->n_out)
                src->n_out = v[i].in_port[k] + 1;
        }
    }
    unsigned nheads = (unsigned)json_array_size(jheads);
    unsigned *head_node = calloc(nheads, sizeof *head_node), *head_port = calloc(nheads, sizeof *head_port);
    if (st == MO_OK && (!head_node || !head_port))
        st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned h = 0; h < nheads && st == MO_OK; h++) {
        json_t *e = json_array_get(jheads, h);
        json_t *a = json_array_get(e, 0), *b = json_array_get(e, 1);
        long long id = json_integer_value(a), port = b ? json_integer_value(b) : 0;
        if (!json_is_integer(a) || id < 0 || id >= nn || port < 0 || port > 65535) {
            st = bad(err, path, "a head entry names a node that does not exist: head", h);
            break;
        }
        head_node[h] = (unsigned)id;
        head_port[h] = (unsigned)port;
        if (head_port[h] + 1 > v[id].n_out)
            v[id].n_out = head_port[h] + 1;
        mark_reachable(v, (unsigned)id);
    }
    for (unsigned i = 0; i < nn && st == MO_OK; i++) {
        if (!v[i].reachable || !strcmp(v[i].op, "null"))
            continue;
        for (unsigned k = 0; k < v[i].n_in; k++)
            if (weight_slot(v[i].op, k) && !strcmp(v[v[i].in_node[k]].op, "null"))
                v[v[i].in_node[k]].is_weight = true;
    }

    char missing[512] = "";
    unsigned n_missing = 0;
    for (unsigned i = 0; i < nn && st == MO_OK; i++) {
        struct jnode *j = &v[i];
        if (!j->reachable)
            continue;
        if (!strcmp(j->op, "null")) {
            j->fw = make_variable(fw, j->name, j->attrs, params, j->is_weight, missing,
                                  sizeof missing, &n_missing);
            if (!j->fw)
                st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            continue;
        }
        /* Custom ops are typed by their op_type so extensions can register
         * a translator for ("mxnet", "Custom:MyOp") (see mxnet.h) */
        const char *op_type = attr_str(j->attrs, "op_type");
        char *type = !strcmp(j->op, "Custom") && op_type ? mo_graph_printf(fw, "Custom:%s", op_type) : NULL;
        j->fw = mo_graph_add_node(fw, type ? type : j->op, j->name, j->n_in + j->n_extra, j->n_out);
        if (!j->fw) {
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            break;
        }
        const char *key;
        json_t *val;
        json_object_foreach(j->attrs, key, val) {
            if (is_hidden_key(key))
                continue;
            char *txt = attr_text(val);
            if (!txt || mo_node_set_str(j->fw, key, txt) != MO_OK) {
                free(txt);
                st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
                break;
            }
            free(txt);
        }
        mo_node_add_output_name(j->fw, 0, j->name);
        for (unsigned o = 1; o < j->n_out; o++) {
            char *nm = mo_graph_printf(fw, "%s_output%u", j->name, o);
            if (nm)
                mo_node_add_output_name(j->fw, o, nm);
        }
        for (unsigned k = 0; k < j->n_extra && st == MO_OK; k++) {
            struct mo_node *var = make_variable(fw, j->extra[k], NULL, params, true, missing,
                                                sizeof missing, &n_missing);
            if (!var)
                st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            else
                mo_node_set_input(j->fw, j->n_in + k, mo_val(var, 0));
        }
    }
    if (st == MO_OK && n_missing)
        st = mo_error_set(err, MO_ERR_FORMAT, 2,
                          "%u weight%s the symbol '%s' needs %s missing from %s: %s. Check that the "
                          ".params file belongs to this symbol (same prefix and epoch)",
                          n_missing, n_missing == 1 ? "" : "s", path, n_missing == 1 ? "is" : "are",
                          params_desc ? params_desc : "the parameters", missing);
    /* connect, now that every producer exists */
    for (unsigned i = 0; i < nn && st == MO_OK; i++) {
        struct jnode *j = &v[i];
        if (!j->reachable || !strcmp(j->op, "null"))
            continue;
        for (unsigned k = 0; k < j->n_in; k++) {
            struct jnode *src = &v[j->in_node[k]];
            mo_node_set_input(j->fw, k, mo_val(src->fw, j->in_port[k]));
        }
    }
    for (unsigned h = 0; h < nheads && st == MO_OK; h++)
        mo_graph_add_output(fw, mo_val(v[head_node[h]].fw, head_port[h]));

    free(head_node);
    free(head_port);
    for (unsigned i = 0; i < nn; i++) {
        json_decref(v[i].attrs);
        free(v[i].in_node);
        free(v[i].in_port);
        for (unsigned k = 0; k < v[i].n_extra; k++)
            free(v[i].extra[k]);
    }
    free(v);
    return st;
}

enum mo_status mo_mx_symbol_load(const char *path, const struct mo_mx_params *params,
                                 const char *params_desc, struct mo_graph *fw, struct mo_error *err)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (jerr.line < 0)
            return mo_error_set(err, MO_ERR_IO, 0, "cannot read the MXNet symbol file '%s': %s", path,
                                jerr.text);
        return mo_error_set(err, MO_ERR_FORMAT, 2,
                            "malformed JSON in the MXNet symbol file '%s' at line %d, column %d: %s",
                            path, jerr.line, jerr.column, jerr.text);
    }
    enum mo_status st = json_is_object(root)
                            ? build(root, path, params, params_desc, fw, err)
                            : mo_error_set(err, MO_ERR_FORMAT, 2,
                                           "'%s' is not an MXNet symbol file: the top level is "
                                           "not a JSON object",
                                           path);
    json_decref(root);
    return st;
}
