/* net.c - the Caffe loader: a deploy .prototxt (text NetParameter) and a
 * .caffemodel (binary NetParameter, only its blobs used) into a framework
 * graph (caffe.h says what the graph holds). */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caffe.h"
#include "caffe.pb-c.h"
#include "../common/pb_text.h"
#include "../common/pb_wire.h"

/* message kinds of the weight file's strip rules */
enum { M_NET, M_LAYER, M_V1, M_BLOB };
static const struct mo_pb_rule strip_rules[] = {
    {M_NET, 100, MO_PB_DESCEND, M_LAYER}, /* NetParameter.layer */
    {M_NET, 2, MO_PB_DESCEND, M_V1},      /* NetParameter.layers (V1) */
    {M_LAYER, 7, MO_PB_DESCEND, M_BLOB},  /* LayerParameter.blobs */
    {M_V1, 6, MO_PB_DESCEND, M_BLOB},     /* V1LayerParameter.blobs */
    {M_BLOB, 5, MO_PB_MARK, 0},           /* BlobProto.data (packed float) */
    {M_BLOB, 8, MO_PB_MARK, 0},           /* BlobProto.double_data (packed double) */
};

/* The names today's Caffe gives the legacy enum types. */
static const struct {
    int v;
    const char *name;
} v1_types[] = {
    {35, "AbsVal"}, {1, "Accuracy"}, {30, "ArgMax"}, {2, "BNLL"}, {3, "Concat"},
    {37, "ContrastiveLoss"}, {4, "Convolution"}, {5, "Data"}, {39, "Deconvolution"},
    {6, "Dropout"}, {32, "DummyData"}, {7, "EuclideanLoss"}, {25, "Eltwise"}, {38, "Exp"},
    {8, "Flatten"}, {9, "HDF5Data"}, {10, "HDF5Output"}, {28, "HingeLoss"}, {11, "Im2col"},
    {12, "ImageData"}, {13, "InfogainLoss"}, {14, "InnerProduct"}, {15, "LRN"},
    {29, "MemoryData"}, {16, "MultinomialLogisticLoss"}, {34, "MVN"}, {17, "Pooling"},
    {26, "Power"}, {18, "ReLU"}, {19, "Sigmoid"}, {27, "SigmoidCrossEntropyLoss"},
    {36, "Silence"}, {20, "Softmax"}, {21, "SoftmaxWithLoss"}, {22, "Split"}, {33, "Slice"},
    {23, "TanH"}, {24, "WindowData"}, {31, "Threshold"},
};

static const char *v1_type_name(int v)
{
    for (size_t i = 0; i < MO_COUNT_OF(v1_types); i++)
        if (v1_types[i].v == v)
            return v1_types[i].name;
    return NULL;
}

/* A blob name and the value that last wrote it. */
struct blob {
    const char *name;
    struct mo_value v;
    bool used;
};

/* One layer of either form, as the builder needs it. */
struct layer {
    const char *name, *type;
    size_t n_bottom, n_top, n_blobs;
    char **bottom, **top;
    MoCf__BlobProto **blobs;
    const ProtobufCMessage *msg;   /* the LayerParameter or V1LayerParameter */
};

struct loader {
    struct mo_context *ctx;
    struct mo_graph *fw;
    struct mo_file *model;         /* NULL: no weights file */
    const char *proto_name, *model_name;
    const struct mo_pb_span *spans;
    size_t n_spans;
    const MoCf__WeightNet *w;      /* the caffemodel's layers, or NULL */
    struct blob *blobs;
    size_t n_blobs, cap_blobs;
    struct mo_error *err;
};

static enum mo_status oom(struct loader *L)
{
    return mo_error_set(L->err, MO_ERR_NOMEM, 0, "out of memory loading '%s'", L->proto_name);
}

static struct blob *find_blob(struct loader *L, const char *name)
{
    for (size_t i = L->n_blobs; i-- > 0;)
        if (!strcmp(L->blobs[i].name, name))
            return &L->blobs[i];
    return NULL;
}

/* name now refers to v (a top, possibly in place). */
static enum mo_status set_blob(struct loader *L, const char *name, struct mo_value v)
{
    struct blob *b = find_blob(L, name);
    if (b) {
        b->v = v;
        b->used = false;
        return MO_OK;
    }
    if (L->n_blobs == L->cap_blobs) {
        size_t cap = L->cap_blobs ? 2 * L->cap_blobs : 64;
        struct blob *nb = realloc(L->blobs, cap * sizeof *nb);
        if (!nb)
            return oom(L);
        L->blobs = nb;
        L->cap_blobs = cap;
    }
    L->blobs[L->n_blobs++] = (struct blob){mo_graph_strdup(L->fw, name), v, false};
    return L->blobs[L->n_blobs - 1].name ? MO_OK : oom(L);
}

/* --- blobs ------------------------------------------------------------- */

/* The span a marker float stands for, or NULL. */
static const struct mo_pb_span *marker_span(const struct loader *L, float marker)
{
    uint32_t k;
    memcpy(&k, &marker, sizeof k);
    return k < L->n_spans ? &L->spans[k] : NULL;
}

static enum mo_status blob_shape(struct loader *L, const MoCf__BlobProto *bp, const char *lname, unsigned k,
                                 size_t n_values, struct mo_shape *sh)
{
    char q[MO_QUOTE_SIZE];
    if (bp->shape) {
        if (bp->shape->n_dim > MO_MAX_RANK)
            return mo_error_set(L->err, MO_ERR_UNSUPPORTED, 0, "'%s': blob %u of layer '%s' has %zu dims", L->model_name,
                                k, mo_quote(q, lname), bp->shape->n_dim);
        sh->rank = (int)bp->shape->n_dim;
        for (size_t i = 0; i < bp->shape->n_dim; i++)
            sh->dims[i] = bp->shape->dim[i];
    } else if (bp->has_num || bp->has_channels || bp->has_height || bp->has_width) {
        /* the legacy 4-D form */
        int64_t d[4] = {bp->num, bp->channels, bp->height, bp->width};
        *sh = mo_shape_make(4, d);
    } else {
        int64_t d = (int64_t)n_values;
        *sh = mo_shape_make(1, &d);
    }
    int64_t numel = 1;
    for (int i = 0; i < sh->rank; i++) {
        if (sh->dims[i] < 0 || (sh->dims[i] && numel > INT64_MAX / 16 / sh->dims[i]))
            return mo_error_set(L->err, MO_ERR_FORMAT, 2, "'%s': blob %u of layer '%s' has an impossible dim %" PRId64,
                                L->model_name, k, mo_quote(q, lname), sh->dims[i]);
        numel *= sh->dims[i];
    }
    if ((uint64_t)numel != n_values) {
        char s[128];
        return mo_error_set(L->err, MO_ERR_FORMAT, 2,
                            "'%s': blob %u of layer '%s' holds %zu values but its shape [%s] needs %" PRId64
                            "; the file is truncated or corrupt",
                            L->model_name, k, mo_quote(q, lname), n_values, mo_shape_str(sh, s, sizeof s), numel);
    }
    return MO_OK;
}

/* Blob k of layer lname as a tensor (*out: a new reference).  marked:
 * its data are markers of spans of the mapped caffemodel. */
static enum mo_status blob_tensor(struct loader *L, const MoCf__BlobProto *bp, bool marked, const char *lname,
                                  unsigned k, struct mo_tensor **out)
{
    char q[MO_QUOTE_SIZE];
    *out = NULL;
    bool dbl = bp->n_double_data > 0;
    size_t n_values = 0, esz = dbl ? 8 : 4;
    size_t n_parts = dbl ? bp->n_double_data : bp->n_data;
    const float *parts = dbl ? bp->double_data : bp->data;
    if (marked) {
        for (size_t i = 0; i < n_parts; i++) {
            const struct mo_pb_span *s = marker_span(L, parts[i]);
            if (!s)
                return mo_error_set(L->err, MO_ERR_INTERNAL, 0, "'%s': blob %u of layer '%s' lost its data marker",
                                    L->model_name, k, mo_quote(q, lname));
            if (s->len % esz)
                return mo_error_set(L->err, MO_ERR_FORMAT, 2,
                                    "'%s': blob %u of layer '%s' has %zu bytes of data, not a whole number of values",
                                    L->model_name, k, mo_quote(q, lname), s->len);
            n_values += s->len / esz;
        }
    } else {
        n_values = n_parts;
    }
    struct mo_shape sh;
    enum mo_status st = blob_shape(L, bp, lname, k, n_values, &sh);
    if (st != MO_OK)
        return st;
    if (!n_values) {
        *out = mo_tensor_new(MO_ET_F32, &sh, L->err);
    } else if (marked && !dbl && n_parts == 1) {
        *out = mo_tensor_borrow(L->model, marker_span(L, parts[0])->offset, MO_ET_F32, &sh, L->err);
    } else {
        struct mo_tensor *t = mo_tensor_new(MO_ET_F32, &sh, L->err);
        if (!t)
            return L->err && L->err->code ? L->err->code : MO_ERR_NOMEM;
        float *dst = t->owned;
        size_t j = 0;
        for (size_t i = 0; i < n_parts; i++) {
            if (!marked) {
                dst[j++] = parts[i];
                continue;
            }
            const struct mo_pb_span *s = marker_span(L, parts[i]);
            const unsigned char *src = mo_file_data(L->model) + s->offset;
            for (size_t e = 0; e < s->len / esz; e++, src += esz) {
                if (dbl) {
                    double d;
                    memcpy(&d, src, 8);
                    dst[j++] = (float)d;
                } else {
                    memcpy(&dst[j++], src, 4);
                }
            }
        }
        *out = t;
    }
    return *out ? MO_OK : (L->err && L->err->code ? L->err->code : MO_ERR_NOMEM);
}

/* The caffemodel's blobs of the layer named name (*n 0 when it has none). */
static MoCf__BlobProto **model_blobs(const struct loader *L, const char *name, size_t *n)
{
    *n = 0;
    if (!L->w || !name)
        return NULL;
    for (size_t i = 0; i < L->w->n_layer; i++)
        if (L->w->layer[i]->name && !strcmp(L->w->layer[i]->name, name)) {
            *n = L->w->layer[i]->n_blobs;
            return L->w->layer[i]->blobs;
        }
    for (size_t i = 0; i < L->w->n_layers; i++)
        if (L->w->layers[i]->name && !strcmp(L->w->layers[i]->name, name)) {
            *n = L->w->layers[i]->n_blobs;
            return L->w->layers[i]->blobs;
        }
    return NULL;
}

/* --- parameters as attributes ----------------------------------------- */

static bool present(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    const char *base = (const char *)m;
    if (f->label == PROTOBUF_C_LABEL_REPEATED)
        return *(const size_t *)(base + f->quantifier_offset) > 0;
    if (f->type == PROTOBUF_C_TYPE_MESSAGE || f->type == PROTOBUF_C_TYPE_STRING) {
        const void *p = *(const void *const *)(base + f->offset);
        return p && p != f->default_value;
    }
    return *(const protobuf_c_boolean *)(base + f->quantifier_offset);
}

static double num_at(const ProtobufCFieldDescriptor *f, const void *p, size_t i)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_ENUM:
        return ((const int32_t *)p)[i];
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        return ((const uint32_t *)p)[i];
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        return (double)((const int64_t *)p)[i];
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return (double)((const uint64_t *)p)[i];
    case PROTOBUF_C_TYPE_FLOAT:
        return ((const float *)p)[i];
    case PROTOBUF_C_TYPE_DOUBLE:
        return ((const double *)p)[i];
    case PROTOBUF_C_TYPE_BOOL:
        return ((const protobuf_c_boolean *)p)[i];
    default:
        return 0;
    }
}

static bool is_float(const ProtobufCFieldDescriptor *f)
{
    return f->type == PROTOBUF_C_TYPE_FLOAT || f->type == PROTOBUF_C_TYPE_DOUBLE;
}

static const char *enum_name(const ProtobufCFieldDescriptor *f, int v, struct mo_graph *g)
{
    const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(f->descriptor, v);
    return ev ? ev->name : mo_graph_printf(g, "%d", v);
}

/* The fields of m (set, or with a default) as attributes of n, named
 * prefix + field name. */
static enum mo_status set_params(struct loader *L, struct mo_node *n, const ProtobufCMessage *m, const char *prefix)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    enum mo_status st = MO_OK;
    for (unsigned i = 0; i < d->n_fields && st == MO_OK; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        bool rep = f->label == PROTOBUF_C_LABEL_REPEATED;
        bool has = present(m, f);
        if (!has && (rep || !f->default_value))
            continue;
        const char *name = prefix ? mo_graph_printf(L->fw, "%s%s", prefix, f->name) : f->name;
        if (!name)
            return oom(L);
        const char *base = (const char *)m;
        const void *val = has ? (rep ? *(const void *const *)(base + f->offset) : base + f->offset) : f->default_value;
        size_t cnt = rep ? *(const size_t *)(base + f->quantifier_offset) : 1;
        if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
            if (rep)
                continue;
            const ProtobufCMessage *sub = *(const ProtobufCMessage *const *)val;
            if (sub->descriptor == &mo_cf__blob_shape__descriptor) {
                const MoCf__BlobShape *bs = (const MoCf__BlobShape *)sub;
                st = mo_node_set_ints(n, name, bs->dim, bs->n_dim);
            } else {
                const char *pre = mo_graph_printf(L->fw, "%s.", name);
                st = pre ? set_params(L, n, sub, pre) : oom(L);
            }
        } else if (f->type == PROTOBUF_C_TYPE_STRING) {
            st = mo_node_set_str(n, name, has ? *(const char *const *)val : (const char *)f->default_value);
        } else if (f->type == PROTOBUF_C_TYPE_BYTES) {
            continue;
        } else if (f->type == PROTOBUF_C_TYPE_ENUM && !rep) {
            st = mo_node_set_str(n, name, enum_name(f, *(const int32_t *)val, L->fw));
        } else if (f->type == PROTOBUF_C_TYPE_BOOL && !rep) {
            st = mo_node_set_bool(n, name, *(const protobuf_c_boolean *)val);
        } else if (!rep) {
            st = is_float(f) ? mo_node_set_float(n, name, num_at(f, val, 0))
                             : mo_node_set_int(n, name, (int64_t)num_at(f, val, 0));
        } else if (is_float(f)) {
            double *v = mo_graph_alloc(L->fw, cnt * sizeof *v);
            if (!v)
                return oom(L);
            for (size_t k = 0; k < cnt; k++)
                v[k] = num_at(f, val, k);
            st = mo_node_set_floats(n, name, v, cnt);
        } else {
            int64_t *v = mo_graph_alloc(L->fw, cnt * sizeof *v);
            if (!v)
                return oom(L);
            for (size_t k = 0; k < cnt; k++)
                v[k] = (int64_t)num_at(f, val, k);
            st = mo_node_set_ints(n, name, v, cnt);
        }
    }
    return st;
}

/* Every *_param message of layer message m. */
static enum mo_status set_layer_params(struct loader *L, struct mo_node *n, const ProtobufCMessage *m)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        size_t len = strlen(f->name);
        if (f->type != PROTOBUF_C_TYPE_MESSAGE || f->label == PROTOBUF_C_LABEL_REPEATED || len < 6 ||
            strcmp(f->name + len - 6, "_param") || !present(m, f))
            continue;
        enum mo_status st = set_params(L, n, *(const ProtobufCMessage *const *)((const char *)m + f->offset), NULL);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

/* --- the net ------------------------------------------------------------ */

/* Caffe's deploy state is phase TEST: a layer is in unless a rule says no. */
static bool included(MoCf__NetStateRule **inc, size_t n_inc, MoCf__NetStateRule **exc, size_t n_exc)
{
    for (size_t i = 0; i < n_exc; i++)
        if (!exc[i]->has_phase || exc[i]->phase == MO_CF__PHASE__TEST)
            return false;
    if (!n_inc)
        return true;
    for (size_t i = 0; i < n_inc; i++)
        if (!inc[i]->has_phase || inc[i]->phase == MO_CF__PHASE__TEST)
            return true;
    return false;
}

static enum mo_status add_input(struct loader *L, const char *name, const struct mo_shape *sh)
{
    struct mo_node *p = mo_graph_add_node(L->fw, "Parameter", name, 0, 1);
    if (!p)
        return oom(L);
    p->outputs[0].et = MO_ET_F32;
    p->outputs[0].shape = *sh;
    return set_blob(L, name, mo_val(p, 0));
}

static enum mo_status shape_of(struct loader *L, const MoCf__BlobShape *bs, const char *what, struct mo_shape *sh)
{
    char q[MO_QUOTE_SIZE];
    if (bs->n_dim > MO_MAX_RANK)
        return mo_error_set(L->err, MO_ERR_UNSUPPORTED, 0, "'%s': the shape of input '%s' has %zu dims",
                            L->proto_name, mo_quote(q, what), bs->n_dim);
    sh->rank = (int)bs->n_dim;
    for (size_t i = 0; i < bs->n_dim; i++)
        sh->dims[i] = bs->dim[i] < 0 ? MO_DYN : bs->dim[i];
    return MO_OK;
}

static enum mo_status net_inputs(struct loader *L, const MoCf__NetParameter *net)
{
    char q[MO_QUOTE_SIZE];
    bool dims4 = net->n_input_dim > 0;
    if (net->n_input_shape && net->n_input_shape != net->n_input)
        return mo_error_set(L->err, MO_ERR_FORMAT, 2, "'%s': %zu inputs but %zu input_shape entries; give one per input",
                            L->proto_name, net->n_input, net->n_input_shape);
    if (dims4 && net->n_input_dim != 4 * net->n_input)
        return mo_error_set(L->err, MO_ERR_FORMAT, 2,
                            "'%s': %zu inputs but %zu input_dim values; give four (N, C, H, W) per input",
                            L->proto_name, net->n_input, net->n_input_dim);
    for (size_t i = 0; i < net->n_input; i++) {
        struct mo_shape sh = mo_shape_unknown();
        enum mo_status st = MO_OK;
        if (net->n_input_shape)
            st = shape_of(L, net->input_shape[i], net->input[i], &sh);
        else if (dims4) {
            int64_t d[4];
            for (int k = 0; k < 4; k++)
                d[k] = net->input_dim[4 * i + k] < 0 ? MO_DYN : net->input_dim[4 * i + k];
            sh = mo_shape_make(4, d);
        }
        if (st == MO_OK && !net->input[i][0])
            st = mo_error_set(L->err, MO_ERR_FORMAT, 2, "'%s': input %zu has no name", L->proto_name, i);
        if (st == MO_OK && find_blob(L, net->input[i]))
            st = mo_error_set(L->err, MO_ERR_FORMAT, 2, "'%s': input '%s' is declared twice", L->proto_name,
                              mo_quote(q, net->input[i]));
        if (st == MO_OK)
            st = add_input(L, net->input[i], &sh);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

static enum mo_status input_layer(struct loader *L, const struct layer *ly, const MoCf__InputParameter *ip)
{
    char q[MO_QUOTE_SIZE];
    size_t ns = ip ? ip->n_shape : 0;
    if (ns > 1 && ns != ly->n_top)
        return mo_error_set(L->err, MO_ERR_FORMAT, 2, "'%s': Input layer '%s' has %zu tops but %zu shapes",
                            L->proto_name, mo_quote(q, ly->name), ly->n_top, ns);
    for (size_t i = 0; i < ly->n_top; i++) {
        struct mo_shape sh = mo_shape_unknown();
        enum mo_status st = ns ? shape_of(L, ip->shape[ns > 1 ? i : 0], ly->top[i], &sh) : MO_OK;
        if (st == MO_OK)
            st = add_input(L, ly->top[i], &sh);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

/* The layer's blobs come from the caffemodel; a prototxt carrying blobs
 * itself is used when the caffemodel has none for the layer. */
static enum mo_status add_layer(struct loader *L, const struct layer *ly)
{
    char q[MO_QUOTE_SIZE], q2[MO_QUOTE_SIZE];
    size_t nb = ly->n_blobs, mn;
    MoCf__BlobProto **blobs = ly->blobs;
    MoCf__BlobProto **mb = model_blobs(L, ly->name, &mn);
    bool marked = mn > 0;
    if (marked) {
        blobs = mb;
        nb = mn;
    }
    if (ly->n_bottom + nb > 4096 || ly->n_top > 4096)
        return mo_error_set(L->err, MO_ERR_UNSUPPORTED, 0, "'%s': layer '%s' has too many bottoms, tops or blobs",
                            L->proto_name, mo_quote(q, ly->name));
    struct mo_node *n = mo_graph_add_node(L->fw, ly->type, ly->name, (unsigned)(ly->n_bottom + nb),
                                          (unsigned)(ly->n_top ? ly->n_top : 1));
    if (!n)
        return oom(L);
    for (size_t i = 0; i < ly->n_bottom; i++) {
        struct blob *b = find_blob(L, ly->bottom[i]);
        if (!b)
            return mo_error_set(L->err, MO_ERR_FORMAT, 2,
                                "'%s': layer '%s' reads blob '%s', which no input or earlier layer produces",
                                L->proto_name, mo_quote(q, ly->name), mo_quote(q2, ly->bottom[i]));
        b->used = true;
        mo_node_set_input(n, (unsigned)i, b->v);
    }
    for (size_t k = 0; k < nb; k++) {
        struct mo_tensor *t;
        enum mo_status st = blob_tensor(L, blobs[k], marked, ly->name, (unsigned)k, &t);
        if (st != MO_OK)
            return st;
        const char *cname = mo_graph_printf(L->fw, "%s/blob%zu", ly->name, k);
        struct mo_node *c = cname ? mo_graph_add_node(L->fw, "Const", cname, 0, 1) : NULL;
        if (!c) {
            mo_tensor_unref(t);
            return oom(L);
        }
        c->value = t;
        c->outputs[0].et = t->et;
        c->outputs[0].shape = t->shape;
        mo_node_set_input(n, (unsigned)(ly->n_bottom + k), mo_val(c, 0));
    }
    enum mo_status st = set_layer_params(L, n, ly->msg);
    for (size_t i = 0; i < ly->n_top && st == MO_OK; i++)
        st = set_blob(L, ly->top[i], mo_val(n, (unsigned)i));
    return st;
}

static enum mo_status build(struct loader *L, const MoCf__NetParameter *net)
{
    char q[MO_QUOTE_SIZE];
    enum mo_status st = net_inputs(L, net);
    size_t n_layers = net->n_layer ? net->n_layer : net->n_layers;
    for (size_t i = 0; i < n_layers && st == MO_OK; i++) {
        struct layer ly;
        char tbuf[32];
        if (net->n_layer) {
            const MoCf__LayerParameter *p = net->layer[i];
            if (!included(p->include, p->n_include, p->exclude, p->n_exclude))
                continue;
            ly = (struct layer){p->name, p->type, p->n_bottom, p->n_top, p->n_blobs, p->bottom, p->top, p->blobs,
                                &p->base};
            if (ly.type && !strcmp(ly.type, "Input")) {
                st = input_layer(L, &ly, p->input_param);
                continue;
            }
        } else {
            const MoCf__V1LayerParameter *p = net->layers[i];
            if (!included(p->include, p->n_include, p->exclude, p->n_exclude))
                continue;
            const char *t = v1_type_name((int)p->type);
            if (!t) {
                snprintf(tbuf, sizeof tbuf, "V1 type %d", (int)p->type);
                t = tbuf;
            }
            ly = (struct layer){p->name, t, p->n_bottom, p->n_top, p->n_blobs, p->bottom, p->top, p->blobs, &p->base};
        }
        if (!ly.name || !ly.name[0])
            ly.name = mo_graph_printf(L->fw, "layer%zu", i);
        if (!ly.type || !ly.type[0])
            st = mo_error_set(L->err, MO_ERR_FORMAT, 2, "'%s': layer '%s' has no type", L->proto_name,
                              mo_quote(q, ly.name));
        else if (!ly.name)
            st = oom(L);
        else if (mo_graph_find(L->fw, ly.name))
            st = mo_error_set(L->err, MO_ERR_FORMAT, 2, "'%s': two layers are named '%s'", L->proto_name,
                              mo_quote(q, ly.name));
        else
            st = add_layer(L, &ly);
    }
    if (st != MO_OK)
        return st;
    /* each blob name on the output that wrote it last; unread ones are the
     * net's outputs */
    for (size_t i = 0; i < L->n_blobs; i++) {
        struct blob *b = &L->blobs[i];
        mo_node_add_output_name(b->v.node, b->v.port, b->name);
        if (!b->used && strcmp(b->v.node->type, "Parameter"))
            mo_graph_add_output(L->fw, b->v);
    }
    if (!mo_graph_n_outputs(L->fw))
        return mo_error_set(L->err, MO_ERR_FORMAT, 2, "'%s': the net has no layers producing an output",
                            L->proto_name);
    return MO_OK;
}

enum mo_status mo_cf_load(struct mo_context *ctx, struct mo_file *proto, struct mo_file *model,
                          struct mo_graph *fw, struct mo_error *err)
{
    struct loader L = {ctx, fw, model, mo_file_path(proto), model ? mo_file_path(model) : NULL,
                       NULL, 0, NULL, NULL, 0, 0, err};
    ProtobufCMessage *net = NULL;
    MoCf__WeightNet *w = NULL;
    struct mo_pb_span *spans = NULL;
    size_t n_spans = 0;
    enum mo_status st = mo_pb_text_parse((const char *)mo_file_data(proto), mo_file_size(proto),
                                         &mo_cf__net_parameter__descriptor, L.proto_name, &net, err);
    if (st == MO_OK && model) {
        unsigned char *wire = NULL;
        size_t wire_len = 0;
        st = mo_pb_strip(mo_file_data(model), mo_file_size(model), strip_rules, MO_COUNT_OF(strip_rules), M_NET,
                         L.model_name, &wire, &wire_len, &spans, &n_spans, err);
        if (st == MO_OK) {
            w = mo_cf__weight_net__unpack(NULL, wire_len, wire);
            if (!w)
                st = mo_error_set(err, MO_ERR_FORMAT, 2,
                                  "'%s' is not a Caffe model: its protobuf fields do not decode; the file is "
                                  "truncated, corrupt or of another format",
                                  L.model_name);
        }
        free(wire);
        L.spans = spans;
        L.n_spans = n_spans;
        L.w = w;
    }
    if (st == MO_OK) {
        const MoCf__NetParameter *np = (const MoCf__NetParameter *)net;
        if (!np->n_layer && !np->n_layers)
            st = mo_error_set(err, MO_ERR_FORMAT, 2, "'%s' has no layers: is it a Caffe deploy prototxt?", L.proto_name);
        else if (np->n_layer && np->n_layers)
            st = mo_error_set(err, MO_ERR_FORMAT, 2,
                              "'%s' mixes `layer` and the legacy `layers`; Caffe accepts one form per net",
                              L.proto_name);
        if (st == MO_OK) {
            mo_log(ctx, MO_LOG_DEBUG, "caffe: '%s' (%zu %s layers), weights '%s' (%zu blobs borrowed)",
                   L.proto_name, np->n_layer ? np->n_layer : np->n_layers, np->n_layer ? "" : "V1",
                   L.model_name ? L.model_name : "none", n_spans);
            st = build(&L, np);
        }
    }
    free(L.blobs);
    free(spans);
    if (w)
        mo_cf__weight_net__free_unpacked(w, NULL);
    if (net)
        protobuf_c_message_free_unpacked(net, NULL);
    return st;
}
