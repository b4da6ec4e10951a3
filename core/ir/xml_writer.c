/* xml_writer.c - the IR v11 topology file through libxml2's text writer. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include <mo/body.h>
#include <mo/op.h>
#include <mo/version.h>

#include "ir_private.h"

#define X(s) BAD_CAST(s)

void mo_ir_format_double(double v, char *buf, size_t n)
{
    if (isnan(v)) {
        snprintf(buf, n, "nan");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, n, v > 0 ? "inf" : "-inf");
        return;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, n, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* Growable text for list attributes. */
struct text {
    char *s;
    size_t len, cap;
};

static bool text_add(struct text *t, const char *piece)
{
    size_t l = strlen(piece);
    if (t->len + l + 1 > t->cap) {
        size_t cap = (t->len + l + 1) * 2;
        char *ns = realloc(t->s, cap);
        if (!ns)
            return false;
        t->s = ns;
        t->cap = cap;
    }
    memcpy(t->s + t->len, piece, l + 1);
    t->len += l;
    return true;
}

static bool format_attr(const struct mo_attr *a, struct text *t)
{
    char buf[64];
    bool ok = text_add(t, "");
    switch (a->kind) {
    case MO_ATTR_INT:
        snprintf(buf, sizeof buf, "%lld", (long long)a->u.i);
        return text_add(t, buf);
    case MO_ATTR_FLOAT:
        mo_ir_format_double(a->u.f, buf, sizeof buf);
        return text_add(t, buf);
    case MO_ATTR_BOOL: return text_add(t, a->u.b ? "true" : "false");
    case MO_ATTR_STRING: return text_add(t, a->u.s);
    case MO_ATTR_INTS:
        for (size_t i = 0; ok && i < a->u.ints.n; i++) {
            snprintf(buf, sizeof buf, "%s%lld", i ? "," : "", (long long)a->u.ints.v[i]);
            ok = text_add(t, buf);
        }
        return ok;
    case MO_ATTR_FLOATS:
        for (size_t i = 0; ok && i < a->u.floats.n; i++) {
            if (i)
                ok = text_add(t, ",");
            mo_ir_format_double(a->u.floats.v[i], buf, sizeof buf);
            ok = ok && text_add(t, buf);
        }
        return ok;
    case MO_ATTR_STRINGS:
        for (size_t i = 0; ok && i < a->u.strs.n; i++)
            ok = (!i || text_add(t, ",")) && text_add(t, a->u.strs.v[i]);
        return ok;
    default: return false;
    }
}

static bool is_standard_opset(const char *opset) { return !strncmp(opset, "opset", 5); }

struct xw {
    xmlTextWriterPtr w;
    bool failed;
};

static void start(struct xw *x, const char *el)
{
    if (xmlTextWriterStartElement(x->w, X(el)) < 0)
        x->failed = true;
}

static void end(struct xw *x)
{
    if (xmlTextWriterEndElement(x->w) < 0)
        x->failed = true;
}

static void attr(struct xw *x, const char *k, const char *v)
{
    if (xmlTextWriterWriteAttribute(x->w, X(k), X(v)) < 0)
        x->failed = true;
}

static void attr_u(struct xw *x, const char *k, unsigned long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", v);
    attr(x, k, buf);
}

static void shape_text(const struct mo_shape *s, char *buf, size_t n)
{
    size_t off = 0;
    buf[0] = 0;
    for (int i = 0; i < s->rank && off < n; i++) {
        int w = s->dims[i] < 0 ? snprintf(buf + off, n - off, "%s?", i ? "," : "")
                               : snprintf(buf + off, n - off, "%s%lld", i ? "," : "",
                                          (long long)s->dims[i]);
        off += (size_t)(w > 0 ? w : 0);
    }
}

/* Port runtime info: node attributes named "rt_port<k>:<name>" become
 * <attribute name="<name>" version="0" <name>="<value>"/> of output port k
 * (the runtime reads e.g. an input's layout there). */
static void write_port_rt_info(struct xw *x, const struct mo_node *n, unsigned k)
{
    bool any = false;
    char prefix[32];
    int plen = snprintf(prefix, sizeof prefix, "rt_port%u:", k);
    for (unsigned i = 0; n && i < n->n_attrs; i++) {
        const struct mo_attr *a = &n->attrs[i];
        if (strncmp(a->name, prefix, (size_t)plen) != 0 || a->kind != MO_ATTR_STRING)
            continue;
        if (!any)
            start(x, "rt_info");
        any = true;
        start(x, "attribute");
        attr(x, "name", a->name + plen);
        attr(x, "version", "0");
        attr(x, a->name + plen, a->u.s);
        end(x);
    }
    if (any)
        end(x);
}

static void write_port(struct xw *x, unsigned id, const struct mo_output *o,
                       const struct mo_node *owner, unsigned out_index)
{
    start(x, "port");
    attr_u(x, "id", id);
    attr(x, "precision", mo_etype_precision(o->et));
    if (o->n_names) {
        struct text t = {0};
        for (unsigned i = 0; i < o->n_names; i++) {
            if (i)
                text_add(&t, ",");
            /* a comma inside a tensor name is escaped as the runtime expects */
            for (const char *p = o->names[i]; *p; p++) {
                char c[3] = {*p, 0, 0};
                if (*p == ',') {
                    c[0] = '\\';
                    c[1] = ',';
                }
                text_add(&t, c);
            }
        }
        attr(x, "names", t.s ? t.s : "");
        free(t.s);
    }
    for (int d = 0; d < o->shape.rank; d++) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)o->shape.dims[d]);
        if (xmlTextWriterWriteElement(x->w, X("dim"), X(buf)) < 0)
            x->failed = true;
    }
    write_port_rt_info(x, owner, out_index);
    end(x);
}

static void write_data(struct xw *x, const struct ir_layout *lay, const struct mo_node *n)
{
    char buf[1024];
    if (!strcmp(n->type, "Parameter")) {
        start(x, "data");
        shape_text(&n->outputs[0].shape, buf, sizeof buf);
        attr(x, "shape", buf);
        attr(x, "element_type", mo_etype_name(n->outputs[0].et));
        end(x);
        return;
    }
    if (!strcmp(n->type, "Const")) {
        start(x, "data");
        attr(x, "element_type", mo_etype_name(n->value->et));
        shape_text(&n->value->shape, buf, sizeof buf);
        attr(x, "shape", buf);
        attr_u(x, "offset", lay->offset[n->id]);
        attr_u(x, "size", n->value->nbytes);
        end(x);
        return;
    }
    const struct mo_op_def *d = n->def;
    bool any = false;
    struct text t = {0};
    for (unsigned i = 0; i < d->n_attrs; i++) {
        const struct mo_attr *a = mo_node_attr(n, d->attrs[i].name);
        if (!a && !d->attrs[i].dflt)
            continue;
        if (!any)
            start(x, "data");
        any = true;
        t.len = 0;
        if (a) {
            if (!format_attr(a, &t))
                x->failed = true;
        } else {
            text_add(&t, d->attrs[i].dflt);
        }
        attr(x, d->attrs[i].name, t.s ? t.s : "");
    }
    /* custom ops carry every framework attribute they were given */
    if (!is_standard_opset(d->opset)) {
        for (unsigned i = 0; i < n->n_attrs; i++) {
            const struct mo_attr *a = &n->attrs[i];
            bool in_schema = false;
            for (unsigned k = 0; k < d->n_attrs; k++)
                in_schema |= !strcmp(d->attrs[k].name, a->name);
            if (in_schema || a->kind == MO_ATTR_TENSOR || !strncmp(a->name, "rt:", 3) ||
                !strncmp(a->name, "rt_port", 7))
                continue;
            if (!any)
                start(x, "data");
            any = true;
            t.len = 0;
            if (!format_attr(a, &t))
                x->failed = true;
            attr(x, a->name, t.s ? t.s : "");
        }
    }
    free(t.s);
    if (any)
        end(x);
}

/* Per-layer runtime info: attributes named "rt:<name>" (e.g. rt:decompression). */
static void write_layer_rt_info(struct xw *x, const struct mo_node *n)
{
    bool any = false;
    for (unsigned i = 0; i < n->n_attrs; i++) {
        const struct mo_attr *a = &n->attrs[i];
        if (strncmp(a->name, "rt:", 3) != 0)
            continue;
        if (!any)
            start(x, "rt_info");
        any = true;
        start(x, "attribute");
        attr(x, "name", a->name + 3);
        attr(x, "version", "0");
        if (a->kind == MO_ATTR_STRING && a->u.s[0])
            attr(x, "value", a->u.s);
        end(x);
    }
    if (any)
        end(x);
}

static void attr_i(struct xw *x, const char *k, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    attr(x, k, buf);
}

static void write_slice(struct xw *x, const struct mo_slice *s)
{
    attr_i(x, "axis", s->axis);
    attr_i(x, "start", s->start);
    attr_i(x, "end", s->end);
    attr_i(x, "stride", s->stride);
    attr_i(x, "part_size", s->part_size);
}

/* One body's port map: outer input index and outer output port id (the
 * layer's port numbering: outputs follow the inputs) against the body's
 * internal layer ids; Loop's special ports have external id -1 and a
 * purpose. */
static void write_port_map(struct xw *x, const char *el, const struct mo_node *n,
                           const struct mo_body *b, const struct ir_layout *body)
{
    start(x, el);
    for (unsigned i = 0; i < b->n_inputs; i++) {
        const struct mo_body_input *in = &b->inputs[i];
        start(x, "input");
        attr_u(x, "external_port_id", in->outer);
        attr_u(x, "internal_layer_id", body->layer_id[in->param->id]);
        if (in->sliced)
            write_slice(x, &in->slice);
        end(x);
    }
    for (unsigned i = 0; i < b->n_outputs; i++) {
        const struct mo_body_output *o = &b->outputs[i];
        start(x, "output");
        attr_u(x, "external_port_id", n->n_inputs + o->outer);
        attr_u(x, "internal_layer_id", body->layer_id[o->result->id]);
        if (o->concat)
            write_slice(x, &o->slice);
        end(x);
    }
    if (b->iteration) {
        start(x, "input");
        attr(x, "external_port_id", "-1");
        attr_u(x, "internal_layer_id", body->layer_id[b->iteration->id]);
        attr(x, "purpose", "current_iteration");
        end(x);
    }
    if (b->condition) {
        start(x, "output");
        attr(x, "external_port_id", "-1");
        attr_u(x, "internal_layer_id", body->layer_id[b->condition->id]);
        attr(x, "purpose", "execution_condition");
        end(x);
    }
    end(x);
}

static void write_back_edges(struct xw *x, const struct mo_body *b, const struct ir_layout *body)
{
    if (!b->n_back_edges)
        return;
    start(x, "back_edges");
    for (unsigned i = 0; i < b->n_back_edges; i++) {
        /* a Result's only port is input 0, a Parameter's output 0 */
        start(x, "edge");
        attr_u(x, "from-layer", body->layer_id[b->back_edges[i].result->id]);
        attr_u(x, "from-port", 0);
        attr_u(x, "to-layer", body->layer_id[b->back_edges[i].param->id]);
        attr_u(x, "to-port", 0);
        end(x);
    }
    end(x);
}

static void write_graph(struct xw *x, const struct ir_layout *lay);

static void write_layer(struct xw *x, const struct ir_layout *lay, const struct mo_node *n)
{
    start(x, "layer");
    attr_u(x, "id", lay->layer_id[n->id]);
    attr(x, "name", n->name);
    attr(x, "type", n->type);
    attr(x, "version", n->def->opset);
    write_data(x, lay, n);
    write_layer_rt_info(x, n);
    /* If: then_port_map, else_port_map ... then_body, else_body; Loop and
     * TensorIterator: port_map, back_edges ... body */
    bool two = n->n_bodies == 2;
    for (unsigned b = 0; b < n->n_bodies; b++) {
        write_port_map(x, two ? (b ? "else_port_map" : "then_port_map") : "port_map", n,
                       n->bodies[b], &lay->bodies[n->id][b]);
        write_back_edges(x, n->bodies[b], &lay->bodies[n->id][b]);
    }
    if (n->n_inputs) {
        start(x, "input");
        for (unsigned i = 0; i < n->n_inputs; i++) {
            const struct mo_output *o = mo_node_in(n, i);
            struct mo_output in = *o;
            in.n_names = 0; /* names belong to the producing port only */
            write_port(x, i, &in, NULL, 0);
        }
        end(x);
    }
    if (n->n_outputs) {
        start(x, "output");
        for (unsigned i = 0; i < n->n_outputs; i++)
            write_port(x, n->n_inputs + i, &n->outputs[i], n, i);
        end(x);
    }
    for (unsigned b = 0; b < n->n_bodies; b++) {
        start(x, two ? (b ? "else_body" : "then_body") : "body");
        write_graph(x, &lay->bodies[n->id][b]);
        end(x);
    }
    end(x);
}

/* <layers> and <edges> of one graph: the net's or a body's. */
static void write_graph(struct xw *x, const struct ir_layout *lay)
{
    start(x, "layers");
    for (unsigned i = 0; i < lay->n; i++)
        write_layer(x, lay, lay->order[i]);
    end(x);
    start(x, "edges");
    for (unsigned i = 0; i < lay->n; i++) {
        const struct mo_node *n = lay->order[i];
        for (unsigned k = 0; k < n->n_inputs; k++) {
            const struct mo_node *p = n->inputs[k].node;
            start(x, "edge");
            attr_u(x, "from-layer", lay->layer_id[p->id]);
            attr_u(x, "from-port", p->n_inputs + n->inputs[k].port);
            attr_u(x, "to-layer", lay->layer_id[n->id]);
            attr_u(x, "to-port", k);
            end(x);
        }
    }
    end(x);
}

static void write_rt_info(struct xw *x, const struct mo_ir_info *info)
{
    start(x, "rt_info");
    start(x, "MO_version");
    attr(x, "value", "mo (C) " MO_VERSION_STRING);
    end(x);
    start(x, "conversion_parameters");
    if (info && info->framework) {
        start(x, "framework");
        attr(x, "value", info->framework);
        end(x);
    }
    const char *k, *v;
    for (unsigned i = 0; info && mo_options_at(info->params, i, &k, &v); i++) {
        if (!strcmp(k, "framework"))
            continue;
        start(x, k);
        attr(x, "value", v);
        end(x);
    }
    end(x);
    end(x);
}

/* Both the .xml and the .mapping are tab-indented documents. */
static bool doc_open(struct xw *x, const char *path)
{
    x->w = xmlNewTextWriterFilename(path, 0);
    x->failed = false;
    if (!x->w)
        return false;
    xmlTextWriterSetIndent(x->w, 1);
    xmlTextWriterSetIndentString(x->w, X("\t"));
    if (xmlTextWriterStartDocument(x->w, NULL, NULL, NULL) < 0)
        x->failed = true;
    return true;
}

static enum mo_status doc_close(struct xw *x, const char *path, struct mo_error *err)
{
    if (xmlTextWriterEndDocument(x->w) < 0)
        x->failed = true;
    xmlFreeTextWriter(x->w);
    if (x->failed)
        return mo_error_set(err, MO_ERR_IO, 9, "cannot write '%s' (disk full?)", path);
    return MO_OK;
}

enum mo_status mo_ir_write_xml(const struct ir_layout *lay, const char *path, const char *name,
                               const struct mo_ir_info *info, struct mo_error *err)
{
    struct xw x;
    if (!doc_open(&x, path))
        return mo_error_set(err, MO_ERR_IO, 9, "cannot create '%s'", path);
    start(&x, "net");
    attr(&x, "name", name);
    attr(&x, "version", "11");
    write_graph(&x, lay);
    write_rt_info(&x, info);
    end(&x);
    return doc_close(&x, path, err);
}

/* The .mapping entries of one graph, then of its bodies (their layer ids
 * count inside their body; the unique names tell them apart). */
static void write_maps(struct xw *x, const struct ir_layout *lay)
{
    for (unsigned i = 0; i < lay->n; i++) {
        const struct mo_node *n = lay->order[i];
        for (unsigned p = 0; p < n->n_outputs; p++) {
            const struct mo_output *o = &n->outputs[p];
            for (unsigned k = 0; k < o->n_names; k++) {
                start(x, "map");
                start(x, "framework");
                attr(x, "name", o->names[k]);
                attr_u(x, "out_port_id", 0);
                end(x);
                start(x, "IR");
                attr(x, "name", n->name);
                attr_u(x, "out_port_id", n->n_inputs + p);
                attr_u(x, "id", lay->layer_id[n->id]);
                end(x);
                end(x);
            }
        }
        for (unsigned b = 0; b < n->n_bodies; b++)
            write_maps(x, &lay->bodies[n->id][b]);
    }
}

enum mo_status mo_ir_write_mapping(const struct ir_layout *lay, const char *path,
                                   struct mo_error *err)
{
    struct xw x;
    if (!doc_open(&x, path))
        return mo_error_set(err, MO_ERR_IO, 9, "cannot create '%s'", path);
    start(&x, "mapping");
    write_maps(&x, lay);
    end(&x);
    return doc_close(&x, path, err);
}
