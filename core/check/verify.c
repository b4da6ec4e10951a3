/* verify.c - --validate.  The IR on disk is what is checked, not the graph
 * in memory: the runtime reads exactly the files the user gets.  Inputs
 * come from --validate_inputs (by tensor name, in0.. by position, or the
 * one array of a one-input model), else from the reference file when it
 * holds them, else from a seeded generator.  References are keyed out0..
 * (model outputs by position) or by framework tensor name, which the
 * .mapping takes to an IR layer's port.  On a mismatch, references of
 * intermediate tensors become extra Result layers of a temporary copy of
 * the .xml and the first layer in the IR's (topological) layer order whose
 * output differs is named; without them the model is converted again with
 * each optimization switched off in turn. */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "context_private.h"
#include "npz.h"
#include "ov_rt.h"
#include "verify.h"

struct mo_verify {
    struct mo_ov *ov;
    char ov_where[4096];
    struct mo_npz *inputs, *ref;
    const char *inputs_path, *ref_path;
    double rtol, atol;
    uint64_t seed;
};

/* ---- the IR and its .mapping, as far as probing needs them ---- */

struct ir_port {
    long layer, port;
    char *names;      /* the port's names attribute, or NULL */
    xmlNodePtr node;  /* the <port> element */
};

struct ir_layer {
    long id;
    char *name, *type;
};

struct map_ent {
    char *fw;
    long layer, port;
};

struct ir_doc {
    xmlDocPtr doc;
    xmlNodePtr layers, edges;
    struct ir_layer *l;
    unsigned nl;
    struct ir_port *p;
    unsigned np;
    struct map_ent *m;
    unsigned nm;
    long max_id;
};

static char *xattr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = strdup((const char *)v);
    xmlFree(v);
    return s;
}

static long xattr_long(xmlNodePtr n, const char *name)
{
    char *s = xattr(n, name);
    long v = s ? strtol(s, NULL, 10) : -1;
    free(s);
    return v;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
            return c;
    return NULL;
}

/* Room for one more element of size sz in *v (n used, *cap allocated). */
static bool grow(void *v, unsigned n, unsigned *cap, size_t sz)
{
    if (n < *cap)
        return true;
    unsigned c = *cap ? *cap * 2 : 64;
    void *nv = realloc(*(void **)v, c * sz);
    if (!nv)
        return false;
    *(void **)v = nv;
    *cap = c;
    return true;
}

static void ir_doc_free(struct ir_doc *d)
{
    for (unsigned i = 0; i < d->nl; i++) {
        free(d->l[i].name);
        free(d->l[i].type);
    }
    for (unsigned i = 0; i < d->np; i++)
        free(d->p[i].names);
    for (unsigned i = 0; i < d->nm; i++)
        free(d->m[i].fw);
    free(d->l);
    free(d->p);
    free(d->m);
    if (d->doc)
        xmlFreeDoc(d->doc);
    memset(d, 0, sizeof *d);
}

static enum mo_status ir_doc_load(struct ir_doc *d, const char *xml, const char *mapping, struct mo_error *err)
{
    memset(d, 0, sizeof *d);
    d->doc = xmlReadFile(xml, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    xmlNodePtr root = d->doc ? xmlDocGetRootElement(d->doc) : NULL;
    d->layers = child(root, "layers");
    d->edges = child(root, "edges");
    if (!d->layers || !d->edges)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "--validate cannot read back the IR '%s'", xml);
    unsigned cap_l = 0, cap_p = 0;
    for (xmlNodePtr L = d->layers->children; L; L = L->next) {
        if (L->type != XML_ELEMENT_NODE)
            continue;
        if (!grow(&d->l, d->nl, &cap_l, sizeof *d->l))
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        struct ir_layer *l = &d->l[d->nl++];
        l->id = xattr_long(L, "id");
        l->name = xattr(L, "name");
        l->type = xattr(L, "type");
        if (l->id > d->max_id)
            d->max_id = l->id;
        for (xmlNodePtr P = child(child(L, "output"), "port"); P; P = P->next) {
            if (P->type != XML_ELEMENT_NODE)
                continue;
            if (!grow(&d->p, d->np, &cap_p, sizeof *d->p))
                return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            struct ir_port *p = &d->p[d->np++];
            p->layer = l->id;
            p->port = xattr_long(P, "id");
            p->names = xattr(P, "names");
            p->node = P;
        }
    }
    xmlDocPtr mdoc = xmlReadFile(mapping, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    xmlNodePtr mroot = mdoc ? xmlDocGetRootElement(mdoc) : NULL;
    if (!mroot) {
        if (mdoc)
            xmlFreeDoc(mdoc);
        return mo_error_set(err, MO_ERR_FORMAT, 0, "--validate cannot read back the mapping '%s'", mapping);
    }
    unsigned cap_m = 0;
    enum mo_status st = MO_OK;
    for (xmlNodePtr M = mroot->children; M && st == MO_OK; M = M->next) {
        xmlNodePtr fw = child(M, "framework"), ir = child(M, "IR");
        if (!fw || !ir)
            continue;
        if (!grow(&d->m, d->nm, &cap_m, sizeof *d->m)) {
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            break;
        }
        struct map_ent *e = &d->m[d->nm++];
        e->fw = xattr(fw, "name");
        e->layer = xattr_long(ir, "id");
        e->port = xattr_long(ir, "out_port_id");
        if (!e->fw)
            d->nm--;
    }
    xmlFreeDoc(mdoc);
    return st;
}

static const struct ir_layer *layer_by_id(const struct ir_doc *d, long id)
{
    for (unsigned i = 0; i < d->nl; i++)
        if (d->l[i].id == id)
            return &d->l[i];
    return NULL;
}

static struct ir_port *port_of(struct ir_doc *d, long layer, long port)
{
    for (unsigned i = 0; i < d->np; i++)
        if (d->p[i].layer == layer && d->p[i].port == port)
            return &d->p[i];
    return NULL;
}

static const struct map_ent *map_find(const struct ir_doc *d, const char *fw)
{
    for (unsigned i = 0; i < d->nm; i++)
        if (!strcmp(d->m[i].fw, fw))
            return &d->m[i];
    return NULL;
}

/* is name one of the comma-separated names of list */
static bool in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len == n && !memcmp(p, name, n))
            return true;
        p = c ? c + 1 : p + len;
    }
    return false;
}

/* ---- inputs ---- */

struct feed {
    struct mo_verify *v;
    void **bufs;
    unsigned nbufs;
    bool random_used;
};

static uint64_t next_rand(uint64_t *s)
{
    /* splitmix64: the same inputs on every machine for one seed */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void put(void *buf, enum mo_npy_dtype t, size_t i, double x)
{
    switch (t) {
    case MO_NPY_F32: ((float *)buf)[i] = (float)x; break;
    case MO_NPY_F64: ((double *)buf)[i] = x; break;
    case MO_NPY_I64: ((int64_t *)buf)[i] = (int64_t)x; break;
    case MO_NPY_I32: ((int32_t *)buf)[i] = (int32_t)x; break;
    case MO_NPY_U8: ((uint8_t *)buf)[i] = (uint8_t)x; break;
    case MO_NPY_BOOL: ((uint8_t *)buf)[i] = x != 0; break;
    default: break;
    }
}

static const struct mo_npy *find_input(struct mo_verify *v, unsigned index, const char *name)
{
    char pos[32];
    snprintf(pos, sizeof pos, "in%u", index);
    const struct mo_npy *a = NULL;
    if (v->inputs && !(a = mo_npz_find(v->inputs, name)) && !(a = mo_npz_find(v->inputs, pos)) &&
        v->inputs->n == 1 && index == 0)
        a = &v->inputs->v[0];
    if (!a && v->ref)
        a = mo_npz_find(v->ref, name);
    return a;
}

static enum mo_status feed_input(void *user, unsigned index, const char *name, enum mo_npy_dtype want,
                                 int rank, const int64_t *dims, struct mo_ov_tensor *t,
                                 struct mo_error *err)
{
    struct feed *f = user;
    struct mo_verify *v = f->v;
    if (want == MO_NPY_DTYPE_COUNT || want == MO_NPY_F16)
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "--validate cannot feed input '%s': its element type "
                            "is not one of f32 f64 i64 i32 u8 boolean", name);
    const struct mo_npy *a = find_input(v, index, name);
    if (a) {
        if (rank >= 0) {
            bool same = rank == a->rank;
            for (int i = 0; same && i < rank; i++)
                same = dims[i] == a->dims[i];
            if (!same)
                return mo_error_set(err, MO_ERR_SHAPE, 0, "--validate: the array '%s' given for input '%s' "
                                    "has another shape than the IR's input", a->name, name);
        }
        t->rank = a->rank;
        memcpy(t->dims, a->dims, sizeof t->dims);
        t->count = a->count;
    } else {
        if (v->inputs_path)
            return mo_error_set(err, MO_ERR_NOT_FOUND, 0, "--validate_inputs '%s' has no array for the model "
                                "input '%s' (name it so, or in%u)", v->inputs_path, name, index);
        if (rank < 0)
            return mo_error_set(err, MO_ERR_SHAPE, 0, "--validate: input '%s' has a dynamic shape; give its "
                                "data with --validate_inputs FILE.npz", name);
        t->rank = rank;
        memcpy(t->dims, dims, (size_t)rank * sizeof *dims);
        t->count = 1;
        for (int i = 0; i < rank; i++)
            t->count *= (size_t)dims[i];
        f->random_used = true;
    }
    void *buf = malloc((t->count ? t->count : 1) * mo_npy_elsize(want));
    void **nb = realloc(f->bufs, (f->nbufs + 1) * sizeof *nb);
    if (!buf || !nb) {
        free(buf);
        if (nb)
            f->bufs = nb;
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    f->bufs = nb;
    f->bufs[f->nbufs++] = buf;
    uint64_t s = v->seed + index;
    for (size_t i = 0; i < t->count; i++) {
        double x;
        if (a)
            x = mo_npy_get(a, i);
        else if (want == MO_NPY_F32 || want == MO_NPY_F64)
            x = (double)(next_rand(&s) >> 11) / 9007199254740992.0 * 2 - 1; /* [-1, 1) */
        else if (want == MO_NPY_BOOL)
            x = (double)(next_rand(&s) & 1);
        else
            x = (double)(next_rand(&s) % 10); /* small non-negative: indices, counts */
        put(buf, want, i, x);
    }
    t->dtype = want;
    t->data = buf;
    return MO_OK;
}

static void feed_free(struct feed *f)
{
    for (unsigned i = 0; i < f->nbufs; i++)
        free(f->bufs[i]);
    free(f->bufs);
}

/* ---- comparing ---- */

struct cmp {
    bool ok, shape_ok;
    double max_abs, rel;
    size_t count;
};

/* As tests/e2e/run_ir.py decides: the largest absolute error relative to
 * the reference's largest magnitude, within rtol, or the absolute error
 * within atol.  Shapes must hold as many values (a [1,10] IR output
 * against a [10] reference is the same tensor). */
static struct cmp compare(const struct mo_verify *v, const struct mo_ov_tensor *got, const struct mo_npy *want)
{
    struct cmp c = {false, true, 0, 0, got->count};
    if (got->count != want->count) {
        c.shape_ok = false;
        return c;
    }
    const double *g = got->data;
    double scale = 0;
    bool finite = true;
    for (size_t i = 0; i < got->count; i++) {
        double r = mo_npy_get(want, i);
        if (isnan(r) && isnan(g[i]))
            continue;
        if (!isfinite(r) || !isfinite(g[i])) {
            if (r != g[i])
                finite = false;
            continue;
        }
        double e = fabs(g[i] - r);
        if (e > c.max_abs)
            c.max_abs = e;
        if (fabs(r) > scale)
            scale = fabs(r);
    }
    c.rel = scale > 0 ? c.max_abs / scale : c.max_abs;
    c.ok = finite && (c.rel <= v->rtol || c.max_abs <= v->atol);
    if (!finite)
        c.max_abs = c.rel = INFINITY;
    return c;
}

static void say(struct mo_context *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct mo_context *ctx, const char *fmt, ...)
{
    if (mo_context_silent(ctx))
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("[ VALIDATE ] ", stdout);
    vfprintf(stdout, fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    fflush(stdout);
}

static double parse_tol(const struct mo_options *opts, const char *name, double dflt, bool *bad)
{
    const char *s = mo_options_get(opts, name);
    if (!s)
        return dflt;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (errno || end == s || *end || !(x >= 0))
        *bad = true;
    return x;
}

enum mo_status mo_verify_prepare(struct mo_context *ctx, const struct mo_options *opts, struct mo_verify **out,
                                 struct mo_error *err)
{
    *out = NULL;
    const char *in = mo_options_get(opts, "validate_inputs"), *ref = mo_options_get(opts, "validate_reference");
    if (!mo_options_flag(opts, "validate")) {
        if (in || ref || mo_options_get(opts, "validate_rtol") || mo_options_get(opts, "validate_atol"))
            return mo_error_set(err, MO_ERR_INVALID_ARG, 0, "--validate_inputs, --validate_reference and the "
                                "tolerances need --validate");
        return MO_OK;
    }
    struct mo_verify *v = calloc(1, sizeof *v);
    if (!v)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    bool bad = false;
    v->rtol = parse_tol(opts, "validate_rtol", 1e-4, &bad);
    v->atol = parse_tol(opts, "validate_atol", 0, &bad);
    const char *seed = mo_options_get(opts, "validate_seed");
    v->seed = seed ? strtoull(seed, NULL, 10) : 1;
    enum mo_status st = bad ? mo_error_set(err, MO_ERR_INVALID_ARG, 0, "--validate_rtol and --validate_atol "
                                           "take a non-negative number, e.g. 1e-4")
                            : MO_OK;
    v->inputs_path = in;
    v->ref_path = ref;
    if (st == MO_OK && in)
        st = mo_npz_read(in, &v->inputs, err);
    if (st == MO_OK && ref)
        st = mo_npz_read(ref, &v->ref, err);
    if (st != MO_OK)
        mo_error_prefix(err, "--validate");
    if (st == MO_OK)
        st = mo_ov_open(&v->ov, v->ov_where, sizeof v->ov_where, err);
    if (st != MO_OK) {
        mo_verify_free(v);
        return st;
    }
    mo_log(ctx, MO_LOG_INFO, "--validate uses the OpenVINO Runtime at %s", v->ov_where);
    *out = v;
    return MO_OK;
}

void mo_verify_free(struct mo_verify *v)
{
    if (!v)
        return;
    mo_ov_close(v->ov);
    mo_npz_free(v->inputs);
    mo_npz_free(v->ref);
    free(v);
}

/* out%u, or a framework name the mapping takes to a port with this name */
static const struct mo_npy *ref_for_output(struct mo_verify *v, const struct ir_doc *d, unsigned i,
                                           const char *name)
{
    char key[32];
    snprintf(key, sizeof key, "out%u", i);
    const struct mo_npy *a = mo_npz_find(v->ref, key);
    if (a)
        return a;
    if ((a = mo_npz_find(v->ref, name)) != NULL)
        return a;
    for (unsigned k = 0; k < v->ref->n; k++) {
        const struct map_ent *m = map_find(d, v->ref->v[k].name);
        const struct ir_port *p = m ? port_of((struct ir_doc *)d, m->layer, m->port) : NULL;
        if (p && p->names && in_list(p->names, name))
            return &v->ref->v[k];
    }
    return NULL;
}

static enum mo_status run_ir(struct mo_verify *v, const char *xml, const char *bin, struct mo_ov_tensor **outs,
                             unsigned *n, bool *random_used, struct mo_error *err)
{
    struct feed f = {v, NULL, 0, false};
    enum mo_status st = mo_ov_run(v->ov, xml, bin, feed_input, &f, outs, n, err);
    feed_free(&f);
    if (random_used)
        *random_used = f.random_used;
    return st;
}

/* Compare the model outputs; *worst gets the largest relative error. */
static bool outputs_match(struct mo_verify *v, struct mo_context *ctx, const struct ir_doc *d,
                          const struct mo_ov_tensor *outs, unsigned n, bool print, unsigned *n_cmp,
                          double *worst)
{
    bool ok = true;
    *n_cmp = 0;
    *worst = 0;
    for (unsigned i = 0; i < n; i++) {
        const struct mo_npy *r = ref_for_output(v, d, i, outs[i].name);
        if (!r) {
            if (print)
                say(ctx, "output %u '%s': no reference (name it out%u or by its framework tensor name)", i,
                    outs[i].name, i);
            continue;
        }
        struct cmp c = compare(v, &outs[i], r);
        (*n_cmp)++;
        if (!c.shape_ok) {
            if (print)
                say(ctx, "output %u '%s': %zu values, the reference '%s' has %zu: MISMATCH", i, outs[i].name,
                    outs[i].count, r->name, r->count);
            ok = false;
            *worst = INFINITY;
            continue;
        }
        if (c.rel > *worst)
            *worst = c.rel;
        if (print)
            say(ctx, "output %u '%s' vs '%s': %zu values, max abs error %.3e, max rel error %.3e: %s", i,
                outs[i].name, r->name, c.count, c.max_abs, c.rel, c.ok ? "ok" : "MISMATCH");
        ok &= c.ok;
    }
    return ok;
}

/* ---- bisection by intermediate references ---- */

struct probe {
    long layer, port;
    char *tensor;            /* the port's names: the runtime reports one of them */
    const struct mo_npy **refs;
    unsigned nrefs;
};

static int cmp_probe(const void *a, const void *b)
{
    const struct probe *x = a, *y = b;
    return x->layer != y->layer ? (x->layer < y->layer ? -1 : 1) : (x->port < y->port ? -1 : x->port > y->port);
}

/* Adds a Result for each probe to d's document; gives ports without a
 * name one, so the runtime's output can be told apart. */
static enum mo_status add_probe_results(struct ir_doc *d, struct probe *pr, unsigned n, struct mo_error *err)
{
    long id = d->max_id;
    for (unsigned i = 0; i < n; i++) {
        struct ir_port *p = port_of(d, pr[i].layer, pr[i].port);
        char buf[64];
        if (!p->names || !*p->names) {
            snprintf(buf, sizeof buf, "mo_probe_%ld_%ld", pr[i].layer, pr[i].port);
            xmlSetProp(p->node, (const xmlChar *)"names", (const xmlChar *)buf);
            pr[i].tensor = strdup(buf);
        } else {
            pr[i].tensor = strdup(p->names);
        }
        if (!pr[i].tensor)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        id++;
        xmlNodePtr L = xmlNewChild(d->layers, NULL, (const xmlChar *)"layer", NULL);
        snprintf(buf, sizeof buf, "%ld", id);
        xmlNewProp(L, (const xmlChar *)"id", (const xmlChar *)buf);
        snprintf(buf, sizeof buf, "mo_probe_%ld", id);
        xmlNewProp(L, (const xmlChar *)"name", (const xmlChar *)buf);
        xmlNewProp(L, (const xmlChar *)"type", (const xmlChar *)"Result");
        xmlNewProp(L, (const xmlChar *)"version", (const xmlChar *)"opset1");
        xmlNodePtr in = xmlNewChild(L, NULL, (const xmlChar *)"input", NULL);
        xmlNodePtr port = xmlCopyNode(p->node, 1);
        if (!L || !in || !port)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        xmlUnsetProp(port, (const xmlChar *)"names");
        xmlSetProp(port, (const xmlChar *)"id", (const xmlChar *)"0");
        xmlAddChild(in, port);
        xmlNodePtr e = xmlNewChild(d->edges, NULL, (const xmlChar *)"edge", NULL);
        snprintf(buf, sizeof buf, "%ld", pr[i].layer);
        xmlNewProp(e, (const xmlChar *)"from-layer", (const xmlChar *)buf);
        snprintf(buf, sizeof buf, "%ld", pr[i].port);
        xmlNewProp(e, (const xmlChar *)"from-port", (const xmlChar *)buf);
        snprintf(buf, sizeof buf, "%ld", id);
        xmlNewProp(e, (const xmlChar *)"to-layer", (const xmlChar *)buf);
        xmlNewProp(e, (const xmlChar *)"to-port", (const xmlChar *)"0");
    }
    return MO_OK;
}

/* framework names the mapping takes to this port, comma-separated */
static void fw_names(const struct ir_doc *d, long layer, long port, char *buf, size_t cap)
{
    buf[0] = 0;
    for (unsigned i = 0; i < d->nm; i++) {
        if (d->m[i].layer != layer || d->m[i].port != port)
            continue;
        size_t len = strlen(buf);
        snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", d->m[i].fw);
    }
}

/* 1: found the first wrong layer (printed); 0: no intermediate reference
 * to compare or none differs; errors as usual. */
static enum mo_status bisect_layers(struct mo_verify *v, struct mo_context *ctx, struct ir_doc *d,
                                    const char *xml, const char *bin, const char *tmpdir, int *found,
                                    char *culprit, size_t culprit_cap, struct mo_error *err)
{
    *found = 0;
    struct probe *pr = calloc(v->ref->n ? v->ref->n : 1, sizeof *pr);
    if (!pr)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    unsigned n = 0;
    enum mo_status st = MO_OK;
    for (unsigned k = 0; k < v->ref->n && st == MO_OK; k++) {
        const struct mo_npy *r = &v->ref->v[k];
        const struct map_ent *m = map_find(d, r->name);
        if (!m) {
            if (strncmp(r->name, "out", 3) != 0 && !find_input(v, 0, r->name))
                mo_log(ctx, MO_LOG_WARNING, "--validate: the reference '%s' names no tensor of the .mapping; "
                       "it is not compared", r->name);
            continue;
        }
        const struct ir_layer *l = layer_by_id(d, m->layer);
        if (!port_of(d, m->layer, m->port) || !l || !strcmp(l->type, "Parameter") || !strcmp(l->type, "Const"))
            continue;
        unsigned j = 0;
        while (j < n && !(pr[j].layer == m->layer && pr[j].port == m->port))
            j++;
        if (j == n) {
            pr[n].layer = m->layer;
            pr[n].port = m->port;
            n++;
        }
        const struct mo_npy **nr = realloc(pr[j].refs, (pr[j].nrefs + 1) * sizeof *nr);
        if (!nr) {
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            break;
        }
        pr[j].refs = nr;
        pr[j].refs[pr[j].nrefs++] = r;
    }
    char probe_xml[4400];
    snprintf(probe_xml, sizeof probe_xml, "%s/probe.xml", tmpdir);
    struct mo_ov_tensor *outs = NULL;
    unsigned nout = 0;
    if (st == MO_OK && n > 0) {
        qsort(pr, n, sizeof *pr, cmp_probe);
        st = add_probe_results(d, pr, n, err);
        if (st == MO_OK && xmlSaveFormatFileEnc(probe_xml, d->doc, "UTF-8", 1) < 0)
            st = mo_error_set(err, MO_ERR_IO, 0, "--validate cannot write '%s'", probe_xml);
        if (st == MO_OK)
            st = run_ir(v, probe_xml, bin, &outs, &nout, NULL, err);
        unlink(probe_xml);
    }
    if (st == MO_OK && n > 0)
        say(ctx, "bisecting: %u intermediate tensor(s) of the reference map to IR layers", n);
    long last_ok = -1;
    for (unsigned i = 0; st == MO_OK && i < n && !*found; i++) {
        const struct mo_ov_tensor *o = NULL;
        for (unsigned k = 0; k < nout && !o; k++)
            if (in_list(pr[i].tensor, outs[k].name))
                o = &outs[k];
        if (!o)
            continue;
        /* a port several framework tensors map to (a fused BatchNorm's
         * convolution) holds the last of them: any match is a match */
        struct cmp best = {0};
        const struct mo_npy *best_ref = NULL;
        bool any = false;
        for (unsigned r = 0; r < pr[i].nrefs; r++) {
            struct cmp c = compare(v, o, pr[i].refs[r]);
            if (c.ok)
                any = true;
            if (!best_ref || (c.shape_ok && (!best.shape_ok || c.rel < best.rel))) {
                best = c;
                best_ref = pr[i].refs[r];
            }
        }
        const struct ir_layer *l = layer_by_id(d, pr[i].layer);
        if (any) {
            last_ok = pr[i].layer;
            continue;
        }
        char fw[1024];
        fw_names(d, pr[i].layer, pr[i].port, fw, sizeof fw);
        const struct ir_layer *prev = last_ok >= 0 ? layer_by_id(d, last_ok) : NULL;
        say(ctx, "first differing IR layer: id %ld '%s' (type %s), output port %ld", l->id, l->name, l->type,
            pr[i].port);
        say(ctx, "  framework node(s) of that tensor: %s", fw);
        if (best.shape_ok)
            say(ctx, "  vs reference '%s': max abs error %.3e, max rel error %.3e", best_ref->name, best.max_abs,
                best.rel);
        else
            say(ctx, "  vs reference '%s': %zu values, the reference has %zu", best_ref->name, o->count,
                best_ref->count);
        if (prev)
            say(ctx, "  the last compared layer before it, id %ld '%s' (type %s), matches: the error is "
                "between the two", prev->id, prev->name, prev->type);
        else
            say(ctx, "  no compared layer before it: the error is in it or in a layer feeding it");
        say(ctx, "  passes that touched it: not recorded per layer (a '/fused_...' or '/sink...' suffix of a "
            "layer name shows a fusion); rerun with --disable_fusing and the other switches to rule them out");
        snprintf(culprit, culprit_cap, "IR layer '%s' (%s) of framework node(s) %s", l->name, l->type, fw);
        *found = 1;
    }
    mo_ov_tensors_free(outs, nout);
    for (unsigned i = 0; i < n; i++) {
        free(pr[i].tensor);
        free(pr[i].refs);
    }
    free(pr);
    return st;
}

/* ---- bisection by optimization switches ---- */

static const char *const switches[] = {
    "disable_fusing", "disable_gfusing", "disable_resnet_optimization", "disable_transpose_sinking",
};

static enum mo_status copy_options(const struct mo_options *src, struct mo_options **out)
{
    struct mo_options *o = mo_options_new();
    const char *k, *val;
    for (unsigned i = 0; o && mo_options_at(src, i, &k, &val); i++) {
        /* the re-conversion must not validate, report or land beside the IR */
        if (!strncmp(k, "validate", 8) || !strcmp(k, "report") || !strcmp(k, "output_dir") ||
            !strcmp(k, "model_name"))
            continue;
        if (mo_options_set(o, k, val) != MO_OK) {
            mo_options_free(o);
            o = NULL;
        }
    }
    *out = o;
    return o ? MO_OK : MO_ERR_NOMEM;
}

static enum mo_status bisect_passes(struct mo_verify *v, struct mo_context *ctx, const struct mo_options *opts,
                                    const char *tmpdir, char *culprit, size_t culprit_cap, struct mo_error *err)
{
    const char *fp16 = (mo_options_flag(opts, "compress_to_fp16") ||
                        (mo_options_get(opts, "data_type") && !strncasecmp(mo_options_get(opts, "data_type"), "FP16", 4)) ||
                        (mo_options_get(opts, "data_type") && !strcasecmp(mo_options_get(opts, "data_type"), "half")))
                           ? "fp16"
                           : NULL;
    unsigned n_sw = sizeof switches / sizeof switches[0] + (fp16 != NULL);
    say(ctx, "bisecting: no intermediate reference differs or none was given; converting again with each "
        "optimization switched off");
    bool was_silent = mo_context_silent(ctx);
    enum mo_status st = MO_OK;
    bool any = false;
    for (unsigned s = 0; s < n_sw && st == MO_OK; s++) {
        const char *sw = s < sizeof switches / sizeof switches[0] ? switches[s] : fp16;
        if (sw != fp16 && mo_options_flag(opts, sw))
            continue;
        struct mo_options *o;
        if (copy_options(opts, &o) != MO_OK)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        if (sw == fp16) {
            mo_options_set(o, "compress_to_fp16", NULL);
            mo_options_set(o, "data_type", "FP32");
        } else {
            mo_options_set(o, sw, "1");
        }
        mo_options_set(o, "output_dir", tmpdir);
        mo_options_set(o, "model_name", "pass");
        struct mo_error e2 = {0};
        mo_context_set_silent(ctx, true);
        enum mo_status cst = mo_convert(ctx, o, &e2);
        mo_context_set_silent(ctx, was_silent);
        mo_options_free(o);
        char x[4400], b[4400], m[4400];
        snprintf(x, sizeof x, "%s/pass.xml", tmpdir);
        snprintf(b, sizeof b, "%s/pass.bin", tmpdir);
        snprintf(m, sizeof m, "%s/pass.mapping", tmpdir);
        const char *label = sw == fp16 ? "without FP16 compression (--data_type FP32)" : sw;
        if (cst != MO_OK) {
            say(ctx, "  --%s: the conversion fails (%s)", label, e2.msg);
        } else {
            struct ir_doc d;
            struct mo_ov_tensor *outs = NULL;
            unsigned n = 0, n_cmp;
            double worst;
            st = ir_doc_load(&d, x, m, err);
            if (st == MO_OK)
                st = run_ir(v, x, b, &outs, &n, NULL, err);
            if (st == MO_OK) {
                bool ok = outputs_match(v, ctx, &d, outs, n, false, &n_cmp, &worst);
                say(ctx, "  %s%s: max rel error %.3e: %s", sw == fp16 ? "" : "--", label, worst,
                    ok ? "MATCHES: this optimization changes the result" : "still differs");
                if (ok && !any) {
                    if (sw == fp16)
                        snprintf(culprit, culprit_cap, "the FP16 compression of the weights (--data_type FP32 "
                                 "gives a matching IR)");
                    else
                        snprintf(culprit, culprit_cap, "the optimization that --%s switches off", sw);
                    any = true;
                }
            }
            mo_ov_tensors_free(outs, n);
            ir_doc_free(&d);
        }
        unlink(x);
        unlink(b);
        unlink(m);
    }
    if (st == MO_OK && !any)
        say(ctx, "  no single optimization explains it: the error is in a translator or an op; give references "
            "of intermediate tensors (by framework name) in --validate_reference to find the layer");
    return st;
}

enum mo_status mo_verify_run(struct mo_verify *v, struct mo_context *ctx, const struct mo_options *opts,
                             const char *xml, const char *bin, const char *mapping, struct mo_error *err)
{
    struct ir_doc d;
    struct mo_ov_tensor *outs = NULL;
    unsigned n = 0;
    bool random_used = false;
    enum mo_status st = ir_doc_load(&d, xml, mapping, err);
    if (st == MO_OK)
        st = run_ir(v, xml, bin, &outs, &n, &random_used, err);
    if (st != MO_OK) {
        ir_doc_free(&d);
        mo_error_prefix(err, "--validate");
        return st;
    }
    if (random_used)
        say(ctx, "inputs: seeded random values (seed %llu; --validate_inputs gives real ones)",
            (unsigned long long)v->seed);
    if (!v->ref) {
        bool finite = true;
        for (unsigned i = 0; i < n; i++) {
            const double *g = outs[i].data;
            size_t bad = 0;
            for (size_t k = 0; k < outs[i].count; k++)
                bad += !isfinite(g[k]);
            say(ctx, "output %u '%s': %zu values, %zu not finite%s", i, outs[i].name, outs[i].count, bad,
                bad ? ": MISMATCH" : "");
            finite &= bad == 0;
        }
        mo_log(ctx, MO_LOG_WARNING, "--validate without --validate_reference only checks that the IR runs "
               "and gives finite values");
        mo_ov_tensors_free(outs, n);
        ir_doc_free(&d);
        return finite ? MO_OK
                      : mo_error_set(err, MO_ERR_MISMATCH, 0, "--validate: the IR '%s' gives non-finite values",
                                     xml);
    }
    unsigned n_cmp;
    double worst;
    bool ok = outputs_match(v, ctx, &d, outs, n, true, &n_cmp, &worst);
    mo_ov_tensors_free(outs, n);
    if (n_cmp == 0) {
        ir_doc_free(&d);
        return mo_error_set(err, MO_ERR_NOT_FOUND, 0, "--validate_reference '%s' has no array for any output "
                            "of the IR (name them out0, out1, ... or by framework tensor name)", v->ref_path);
    }
    if (ok) {
        say(ctx, "the IR matches the reference (%u output(s), rtol %g, atol %g)", n_cmp, v->rtol, v->atol);
        ir_doc_free(&d);
        return MO_OK;
    }
    char dir[4200];
    snprintf(dir, sizeof dir, "%s", xml);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        snprintf(dir, sizeof dir, ".");
    char tmpdir[4300];
    snprintf(tmpdir, sizeof tmpdir, "%s/.mo-validate-XXXXXX", dir);
    if (!mkdtemp(tmpdir)) {
        ir_doc_free(&d);
        return mo_error_set(err, MO_ERR_IO, 0, "--validate cannot make a temporary directory in '%s': %s", dir,
                            strerror(errno));
    }
    char culprit[1400] = "";
    int found = 0;
    st = bisect_layers(v, ctx, &d, xml, bin, tmpdir, &found, culprit, sizeof culprit, err);
    ir_doc_free(&d);
    if (st == MO_OK && !found)
        st = bisect_passes(v, ctx, opts, tmpdir, culprit, sizeof culprit, err);
    rmdir(tmpdir);
    if (st != MO_OK) {
        mo_error_prefix(err, "--validate");
        return st;
    }
    return mo_error_set(err, MO_ERR_MISMATCH, 0, "--validate: the IR '%s' gives other results than '%s' "
                        "(max rel error %.3e > rtol %g)%s%s; the IR is kept", xml, v->ref_path, worst, v->rtol,
                        culprit[0] ? ": the first cause found is " : "", culprit);
}
