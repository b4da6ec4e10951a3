/* model.c - Kaldi nnet1 and nnet3 models into a framework graph (kaldi.h).
 *
 * Time.  The graph computes a whole window of frames at once: the input is
 * a matrix [T, dim] holding times 0..T-1.  Each value the frontend builds
 * remembers which times its rows hold, [lo, T-1+hi] (hi <= 0), so that
 *   Offset(x, k)  is x itself relabelled: times [lo-k, T-1+hi-k];
 *   Append/Sum    take the times all their parts have (rows sliced off
 *                 the parts that have more: a "TimeSlice" node each);
 *   Splice        (nnet1) and TdnnComponent's time offsets are an Append
 *                 of Offsets.
 * A model with context thus returns fewer rows than it was given, each the
 * exact value Kaldi computes for that time.  IfDefined(x) is x: its rows
 * exist only where x is defined, which is where Kaldi's value does not
 * depend on the zero it substitutes elsewhere. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaldi.h"
#include "kio.h"

/* A value of the window: node output 0 and the times its rows hold. */
struct tv {
    struct mo_node *n;
    int64_t lo, hi;
    int64_t dim; /* -1 when not known */
    bool fixed;  /* one row, the value at every time (ReplaceIndex(x, t, k)) */
};

struct unknown_list {
    char text[700];
    unsigned n;
};

struct ld {
    struct mo_kio r;
    struct mo_graph *fw;
    struct unknown_list unk;
    unsigned helpers; /* counter for helper node names */
    struct mo_value outs[16]; /* the model's outputs, added to fw at the end */
    const char *out_names[16];
    unsigned n_outs;
};

static enum mo_status add_out(struct ld *L, struct mo_value v, const char *name)
{
    if (L->n_outs == 16)
        return mo_kio_fail(&L->r, "more than 16 output-nodes");
    L->outs[L->n_outs] = v;
    L->out_names[L->n_outs++] = name;
    return MO_OK;
}

static void note_unknown(struct ld *L, const char *tok, size_t at)
{
    char q[MO_QUOTE_SIZE];
    size_t off = strlen(L->unk.text);
    if (L->unk.n < 6)
        snprintf(L->unk.text + off, sizeof L->unk.text - off, "%s'%s' at byte %zu", L->unk.n ? ", " : "",
                 mo_quote(q, tok), at);
    else if (L->unk.n == 6)
        snprintf(L->unk.text + off, sizeof L->unk.text - off, ", ...");
    L->unk.n++;
}

static enum mo_status nomem(struct ld *L)
{
    return mo_error_set(L->r.err, MO_ERR_NOMEM, 0, "out of memory");
}

static struct mo_node *node(struct ld *L, const char *type, const char *name, unsigned n_in,
                            const struct tv *in)
{
    struct mo_node *n = mo_graph_add_node(L->fw, type, name, n_in, 1);
    if (!n)
        return NULL;
    for (unsigned i = 0; i < n_in; i++)
        mo_node_set_input(n, i, mo_val(in[i].n, 0));
    n->outputs[0].et = MO_ET_F32;
    return n;
}

/* x restricted to times [lo, T-1+hi] (within x's own). */
static enum mo_status slice(struct ld *L, struct tv *x, int64_t lo, int64_t hi, const char *base)
{
    if (x->lo == lo && x->hi == hi)
        return MO_OK;
    char *nm = mo_graph_printf(L->fw, "%s/time_slice%u", base, ++L->helpers);
    struct mo_node *n = nm ? node(L, "TimeSlice", nm, 1, x) : NULL;
    if (!n || mo_node_set_int(n, "begin", lo - x->lo) != MO_OK || mo_node_set_int(n, "end", hi - x->hi) != MO_OK)
        return nomem(L);
    x->n = n;
    x->lo = lo;
    x->hi = hi;
    return MO_OK;
}

/* The parts aligned on their common times, joined by a node of type
 * `type` ("Append" or "Sum") named name; one part is returned as it is. */
static enum mo_status join(struct ld *L, const char *type, const char *name, struct tv *parts, unsigned n,
                           struct tv *out)
{
    if (n == 1 && name == NULL) {
        *out = parts[0];
        return MO_OK;
    }
    int64_t lo = INT64_MIN, hi = INT64_MAX, dim = 0;
    int ref = -1; /* a part that varies in time: the others take its rows */
    for (unsigned i = 0; i < n; i++) {
        if (parts[i].fixed)
            continue;
        if (ref < 0)
            ref = (int)i;
        lo = parts[i].lo > lo ? parts[i].lo : lo;
        hi = parts[i].hi < hi ? parts[i].hi : hi;
    }
    const char *base = name ? name : mo_graph_printf(L->fw, "%s%u", type, ++L->helpers);
    if (!base)
        return nomem(L);
    for (unsigned i = 0; i < n; i++) {
        enum mo_status st = ref < 0 || parts[i].fixed ? MO_OK : slice(L, &parts[i], lo, hi, base);
        if (st != MO_OK)
            return st;
        dim = dim < 0 || parts[i].dim < 0 ? -1 : !strcmp(type, "Append") ? dim + parts[i].dim : parts[i].dim;
    }
    for (unsigned i = 0; ref >= 0 && i < n; i++) {
        if (!parts[i].fixed)
            continue;
        struct tv two[2] = {parts[i], parts[ref]};
        char *nm = mo_graph_printf(L->fw, "%s/broadcast%u", base, ++L->helpers);
        struct mo_node *b = nm ? node(L, "TimeBroadcast", nm, 2, two) : NULL;
        if (!b)
            return nomem(L);
        parts[i].n = b;
    }
    struct mo_node *nd = node(L, type, base, n, parts);
    if (!nd)
        return nomem(L);
    if (ref < 0)
        *out = (struct tv){nd, parts[0].lo, parts[0].hi, dim, true};
    else
        *out = (struct tv){nd, lo, hi, dim, false};
    return MO_OK;
}

/* Kaldi's contexts are tens of frames; a bound keeps the time arithmetic
 * of any chain of offsets a file can hold far from overflowing. */
#define MAX_OFFSET 100000

/* x at the given time offsets, side by side (Splice, TdnnComponent). */
static enum mo_status splice(struct ld *L, const char *name, struct tv x, const int64_t *off, size_t n,
                             struct tv *out)
{
    if (!n)
        return mo_kio_fail(&L->r, "a splice with no time offsets");
    for (size_t i = 0; i < n; i++)
        if (off[i] > MAX_OFFSET || off[i] < -MAX_OFFSET)
            return mo_kio_fail(&L->r, "a time offset of %lld frames (at most %d)", (long long)off[i], MAX_OFFSET);
    struct tv *parts = calloc(n, sizeof *parts);
    if (!parts)
        return nomem(L);
    for (size_t i = 0; i < n; i++)
        parts[i] = (struct tv){x.n, x.lo - off[i], x.hi - off[i], x.dim, x.fixed};
    enum mo_status st = n == 1 ? (*out = parts[0], MO_OK) : join(L, "Append", name, parts, (unsigned)n, out);
    free(parts);
    return st;
}

/* --- component fields ------------------------------------------------------ */

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(s, *list))
            return true;
    return false;
}

/* Fields whose binary numbers are integers (the rest are floats). */
static const char *const int_keys[] = {
    "Dim", "InputDim", "OutputDim", "BlockDim", "RankIn", "RankOut", "RankInOut", "UpdatePeriod",
    "TimePeriod", "NumRepeats", "NumBlocks", "ConstComponentDim", "LeftContext", "RightContext",
    "NumFiltersIn", "NumFiltersOut", "PatchDim", "PatchStep", "PatchStride", "PoolSize", "PoolStride",
    "InputXDim", "InputYDim", "InputZDim", "OutputDim", "CellDim", NULL,
};
static const char *const int_vector_keys[] = {"TimeOffsets", "Context", NULL};

static enum mo_status set_nums(struct ld *L, struct mo_node *n, const char *key, bool ints, const double *v,
                               unsigned k)
{
    enum mo_status st;
    if (k == 1)
        st = ints ? mo_node_set_int(n, key, (int64_t)v[0]) : mo_node_set_float(n, key, v[0]);
    else
        st = mo_node_set_floats(n, key, v, k);
    return st == MO_OK ? MO_OK : nomem(L);
}

/* The values after one field token, up to the next token. */
static enum mo_status read_values(struct ld *L, struct mo_node *n, const char *key)
{
    struct mo_kio *r = &L->r;
    enum mo_status st;
    if (in_list(key, int_vector_keys)) {
        int64_t *v;
        size_t k;
        if ((st = mo_kio_int_vector(r, &v, &k)) != MO_OK)
            return st;
        st = mo_node_set_ints(n, key, v, k) == MO_OK ? MO_OK : nomem(L);
        free(v);
        return st;
    }
    bool ints = in_list(key, int_keys);
    double nums[16];
    unsigned k = 0, vals = 0;
    for (;;) {
        char c = mo_kio_sniff(r);
        if (c == 'T' || c == 0)
            break;
        vals++;
        if (c == 'B') {
            bool b;
            if ((st = mo_kio_bool(r, &b)) != MO_OK)
                return st;
            if (mo_node_set_bool(n, key, b) != MO_OK)
                return nomem(L);
        } else if (c == 'M' || c == 'V') {
            bool matrix = c == 'M';
            if (!r->binary) {
                /* text: a matrix opens with "[" and a newline, a vector does not */
                size_t p = r->pos;
                while (p < r->n && r->p[p] != '[')
                    p++;
                p++;
                while (p < r->n && (r->p[p] == ' ' || r->p[p] == '\t'))
                    p++;
                matrix = p < r->n && (r->p[p] == '\n' || r->p[p] == '\r');
            }
            struct mo_tensor *t;
            if ((st = matrix ? mo_kio_matrix(r, &t) : mo_kio_vector(r, &t)) != MO_OK)
                return st;
            st = mo_node_set_tensor(n, key, t);
            mo_tensor_unref(t);
            if (st != MO_OK)
                return nomem(L);
        } else {
            double x;
            if (ints) {
                int64_t i;
                st = mo_kio_int(r, &i);
                x = (double)i;
            } else {
                st = mo_kio_float(r, &x);
            }
            if (st != MO_OK)
                return st;
            if (k < 16)
                nums[k++] = x;
        }
    }
    if (k)
        return set_nums(L, n, key, ints, nums, k);
    if (!vals && mo_node_set_bool(n, key, true) != MO_OK) /* a bare flag such as <Continuous> */
        return nomem(L);
    return MO_OK;
}

/* Fields up to the closing token end_tok ("</AffineComponent>"). */
static enum mo_status read_fields(struct ld *L, struct mo_node *n, const char *end_tok)
{
    struct mo_kio *r = &L->r;
    for (;;) {
        char tok[MO_KALDI_TOKEN_MAX], q[MO_QUOTE_SIZE];
        if (mo_kio_eof(r))
            return mo_kio_fail(r, "the file ends before '%s' (truncated?)", end_tok);
        size_t at = r->pos;
        enum mo_status st = mo_kio_token(r, tok, sizeof tok);
        if (st != MO_OK)
            return st;
        if (!strcmp(tok, end_tok))
            return MO_OK;
        size_t len = strlen(tok);
        if (tok[0] != '<' || tok[len - 1] != '>' || len < 3) {
            r->pos = at;
            return mo_kio_fail(r, "expected a field token (such as <LinearParams>) or '%s', found '%s'", end_tok,
                               mo_quote(q, tok));
        }
        tok[len - 1] = 0;
        if ((st = read_values(L, n, tok + 1)) != MO_OK)
            return st;
    }
}

/* Skip an unknown component's body to its closing token. */
static enum mo_status skip_to(struct ld *L, const char *end_tok)
{
    struct mo_kio *r = &L->r;
    size_t k = strlen(end_tok);
    for (size_t p = r->pos; p + k <= r->n; p++)
        if (r->p[p] == '<' && !memcmp(r->p + p, end_tok, k)) {
            r->pos = p + k;
            return MO_OK;
        }
    return mo_kio_fail(r, "the file ends before '%s' (truncated?)", end_tok);
}

/* Strip the brackets of "<Type>" into buf. */
static bool type_of(const char *tok, char *buf, size_t cap)
{
    size_t len = strlen(tok);
    if (len < 3 || tok[0] != '<' || tok[len - 1] != '>' || tok[1] == '/' || len - 2 >= cap)
        return false;
    memcpy(buf, tok + 1, len - 2);
    buf[len - 2] = 0;
    return true;
}

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static const char *const softmax_types[] = {"Softmax", "SoftmaxComponent", "LogSoftmaxComponent", NULL};
static const char *const affine_types[] = {"AffineTransform", "AffineComponent", "NaturalGradientAffineComponent",
                                           "FixedAffineComponent", "AffineComponentPreconditionedOnline",
                                           "AffineComponentPreconditioned", "TdnnComponent", NULL};

/* The output dim a component gives for input dim in, from its fields. */
static int64_t out_dim(const struct mo_node *n, int64_t in)
{
    const struct mo_attr *a = mo_node_attr(n, "LinearParams");
    if (!a)
        a = mo_node_attr(n, "Params");
    if (a && a->kind == MO_ATTR_TENSOR && a->u.t->shape.rank == 2)
        return a->u.t->shape.dims[0];
    int64_t od = mo_node_get_int(n, "OutputDim", -1, NULL);
    if (od > 0 && strcmp(n->type, "NormalizeComponent"))
        return od;
    return in;
}

/* --- nnet1 ------------------------------------------------------------------ */

static enum mo_status check_shape(struct ld *L, const char *what, const struct mo_tensor *t, int64_t d0,
                                  int64_t d1)
{
    bool ok = d1 < 0 ? t->shape.rank == 1 && t->shape.dims[0] == d0
                     : t->shape.rank == 2 && t->shape.dims[0] == d0 && t->shape.dims[1] == d1;
    if (ok)
        return MO_OK;
    char s[64];
    if (d1 < 0)
        return mo_kio_fail(&L->r, "the %s has %s values, the component's header says %lld", what,
                           mo_shape_str(&t->shape, s, sizeof s), (long long)d0);
    return mo_kio_fail(&L->r, "the %s is %s, the component's header says %lld x %lld (output x input)", what,
                       mo_shape_str(&t->shape, s, sizeof s), (long long)d0, (long long)d1);
}

/* nnet1 learning options (<LearnRateCoef> 1 ...) before a component's data. */
static enum mo_status skip_options(struct ld *L, struct mo_node *n)
{
    struct mo_kio *r = &L->r;
    while (mo_kio_at_token(r)) {
        char tok[MO_KALDI_TOKEN_MAX];
        mo_kio_peek(r, tok, sizeof tok);
        if (!strcmp(tok, "<!EndOfComponent>") || !strcmp(tok, "</Nnet>") || !strcmp(tok, "<ReadVector>") ||
            !strcmp(tok, "<BuildVector>"))
            return MO_OK;
        enum mo_status st = mo_kio_token(r, tok, sizeof tok);
        if (st != MO_OK)
            return st;
        size_t len = strlen(tok);
        if (len > 2 && tok[len - 1] == '>')
            tok[len - 1] = 0;
        /* each option is one number; the data follows without a token */
        double v;
        if ((st = mo_kio_float(r, &v)) != MO_OK)
            return st;
        if (mo_node_set_float(n, tok + 1, v) != MO_OK)
            return nomem(L);
    }
    return MO_OK;
}

static enum mo_status nnet1_component(struct ld *L, const char *type, struct tv *x, unsigned idx)
{
    struct mo_kio *r = &L->r;
    int64_t od, id;
    enum mo_status st;
    if ((st = mo_kio_int(r, &od)) != MO_OK || (st = mo_kio_int(r, &id)) != MO_OK)
        return st;
    if (od < 0 || id < 0)
        return mo_kio_fail(r, "negative dimensions %lld x %lld", (long long)od, (long long)id);
    if (x->dim >= 0 && id != x->dim)
        return mo_kio_fail(r, "the component takes %lld values per frame, the one before it gives %lld",
                           (long long)id, (long long)x->dim);
    char *name = mo_graph_printf(L->fw, "%s_%u", type, idx);
    if (!name)
        return nomem(L);
    if (!strcmp(type, "Splice")) {
        int64_t *off;
        size_t n;
        char tok[MO_KALDI_TOKEN_MAX];
        mo_kio_peek(r, tok, sizeof tok);
        if (!strcmp(tok, "<ReadVector>") && (st = mo_kio_token(r, tok, sizeof tok)) != MO_OK)
            return st;
        if (!strcmp(tok, "<BuildVector>"))
            return mo_kio_fail(r, "<BuildVector> in a Splice is not supported yet: write the offsets as a vector");
        if ((st = mo_kio_int_vector(r, &off, &n)) != MO_OK)
            return st;
        if (n && (int64_t)n * id != od) {
            free(off);
            return mo_kio_fail(r, "the splice has %zu offsets of %lld values, the header says %lld", n,
                               (long long)id, (long long)od);
        }
        struct tv out;
        st = splice(L, name, *x, off, n, &out);
        free(off);
        if (st == MO_OK) {
            out.dim = od;
            *x = out;
        }
        return st;
    }
    static const char *const plain[] = {"Sigmoid", "Tanh", "Softmax", "RectifiedLinear", "Dropout", NULL};
    struct mo_node *n = node(L, type, name, 1, x);
    if (!n)
        return nomem(L);
    if (!in_list(type, plain)) {
        if ((st = skip_options(L, n)) != MO_OK)
            return st;
        struct mo_tensor *t = NULL;
        if (!strcmp(type, "AffineTransform") || !strcmp(type, "LinearTransform")) {
            if ((st = mo_kio_matrix(r, &t)) != MO_OK)
                return st;
            st = mo_node_set_tensor(n, "LinearParams", t);
            mo_tensor_unref(t);
            if (st != MO_OK)
                return nomem(L);
            if ((st = check_shape(L, "linearity matrix", t, od, id)) != MO_OK)
                return st;
            if (!strcmp(type, "AffineTransform")) {
                if ((st = mo_kio_vector(r, &t)) != MO_OK)
                    return st;
                st = mo_node_set_tensor(n, "BiasParams", t);
                mo_tensor_unref(t);
                if (st != MO_OK)
                    return nomem(L);
                if ((st = check_shape(L, "bias vector", t, od, -1)) != MO_OK)
                    return st;
            }
        } else if (!strcmp(type, "AddShift") || !strcmp(type, "Rescale")) {
            if (od != id)
                return mo_kio_fail(r, "a %s must keep the dimension (header: %lld x %lld)", type, (long long)od,
                                   (long long)id);
            if ((st = mo_kio_vector(r, &t)) != MO_OK)
                return st;
            st = mo_node_set_tensor(n, !strcmp(type, "AddShift") ? "Shift" : "Scale", t);
            mo_tensor_unref(t);
            if (st != MO_OK)
                return nomem(L);
            if ((st = check_shape(L, "vector", t, od, -1)) != MO_OK)
                return st;
        }
    } else if (od != id) {
        return mo_kio_fail(r, "a %s must keep the dimension (header: %lld x %lld)", type, (long long)od,
                           (long long)id);
    }
    *x = (struct tv){n, x->lo, x->hi, od, x->fixed};
    return MO_OK;
}

static const char *const nnet1_types[] = {"AffineTransform", "LinearTransform", "Splice", "Sigmoid", "Tanh",
                                          "Softmax", "RectifiedLinear", "AddShift", "Rescale", "Dropout", NULL};

/* A component of the nnet2/nnet3 kind (<XComponent> fields </XComponent>)
 * on input x; its node type is the component's. */
static enum mo_status keyed_component(struct ld *L, const char *type, const char *name, struct tv x,
                                      struct tv *out);

static enum mo_status read_nnet1(struct ld *L)
{
    struct mo_kio *r = &L->r;
    struct mo_node *in = mo_graph_add_node(L->fw, "Parameter", "input", 0, 1);
    if (!in)
        return nomem(L);
    in->outputs[0].et = MO_ET_F32;
    mo_node_add_output_name(in, 0, "input");
    struct tv x = {in, 0, 0, -1, false};
    unsigned idx = 0;
    enum mo_status st;
    for (;;) {
        char tok[MO_KALDI_TOKEN_MAX], type[MO_KALDI_TOKEN_MAX], q[MO_QUOTE_SIZE];
        if (mo_kio_eof(r))
            return mo_kio_fail(r, "the file ends before </Nnet> (truncated?)");
        size_t at = r->pos;
        if ((st = mo_kio_token(r, tok, sizeof tok)) != MO_OK)
            return st;
        if (!strcmp(tok, "</Nnet>"))
            break;
        if (!strcmp(tok, "<!EndOfComponent>") || !strcmp(tok, "<Components>") || !strcmp(tok, "</Components>"))
            continue;
        if (!strcmp(tok, "<NumComponents>")) {
            int64_t k;
            if ((st = mo_kio_int(r, &k)) != MO_OK)
                return st;
            continue;
        }
        if (!type_of(tok, type, sizeof type)) {
            r->pos = at;
            return mo_kio_fail(r, "expected a component token (such as <AffineTransform>) or </Nnet>, found '%s'",
                               mo_quote(q, tok));
        }
        idx++;
        if (ends_with(type, "Component")) {
            char *name = mo_graph_printf(L->fw, "%s_%u", type, idx);
            if (!name)
                return nomem(L);
            if ((st = keyed_component(L, type, name, x, &x)) != MO_OK)
                return st;
            continue;
        }
        if (!in_list(type, nnet1_types)) {
            note_unknown(L, tok, at);
            if ((st = skip_to(L, "<!EndOfComponent>")) != MO_OK)
                return st;
            continue;
        }
        if (in->outputs[0].shape.rank != 2) {
            /* the first component's input dim is the model's */
            size_t p = r->pos;
            int64_t od, id;
            if ((st = mo_kio_int(r, &od)) != MO_OK || (st = mo_kio_int(r, &id)) != MO_OK)
                return st;
            r->pos = p;
            in->outputs[0].shape = mo_shape_of(MO_DYN, id);
            x.dim = id;
        }
        if ((st = nnet1_component(L, type, &x, idx)) != MO_OK)
            return st;
    }
    if (!idx)
        return mo_kio_fail(r, "the nnet1 model has no components");
    if (in->outputs[0].shape.rank != 2)
        in->outputs[0].shape = mo_shape_of(MO_DYN, x.dim);
    return add_out(L, mo_val(x.n, 0), NULL);
}

/* --- nnet3 ------------------------------------------------------------------ */

struct comp {
    char *name;
    struct mo_node *tmpl; /* fields, in a scratch graph */
};

enum nkind { N_INPUT, N_COMPONENT, N_OUTPUT, N_DIMRANGE };

struct cnode {
    enum nkind kind;
    char *name, *input, *component;
    int64_t dim, dim_offset;
    size_t line_at;
    int state; /* 0 new, 1 building, 2 built */
    struct tv v;
};

struct nnet3 {
    struct ld *L;
    struct cnode *nodes;
    size_t n_nodes;
    struct comp *comps;
    size_t n_comps;
    struct mo_graph *scratch;
};

static enum mo_status resolve(struct nnet3 *N, struct cnode *c, struct tv *out);

static struct cnode *find_node(struct nnet3 *N, const char *name, size_t len)
{
    for (size_t i = 0; i < N->n_nodes; i++)
        if (N->nodes[i].kind != N_OUTPUT && strlen(N->nodes[i].name) == len && !strncmp(N->nodes[i].name, name, len))
            return &N->nodes[i];
    return NULL;
}

/* Descriptor grammar (Kaldi's nnet3 descriptors, the supported subset):
 *   D := node | Append(D, D...) | Sum(D, D) | Offset(D, t[, x]) | IfDefined(D)
 *        | ReplaceIndex(D, t, k) | Scale(f, D) */
struct dparse {
    struct nnet3 *N;
    const char *s, *p, *line_node;
    size_t at; /* the config line's offset, for messages */
};

static void ws(struct dparse *d)
{
    while (*d->p == ' ' || *d->p == '\t')
        d->p++;
}

static enum mo_status dfail(struct dparse *d, const char *what)
{
    char q[MO_QUOTE_SIZE], qn[MO_QUOTE_SIZE];
    struct mo_kio *r = &d->N->L->r;
    /* point at the config line, not at where reading stopped */
    r->pos = d->at;
    r->last[0] = 0;
    return mo_kio_fail(r, "node '%s': descriptor '%s': %s at character %ld", mo_quote(qn, d->line_node),
                       mo_quote(q, d->s), what, (long)(d->p - d->s));
}

static enum mo_status desc(struct dparse *d, struct tv *out, int depth);

static enum mo_status dlist(struct dparse *d, struct tv **parts, unsigned *n, int depth)
{
    *parts = NULL;
    *n = 0;
    unsigned cap = 0;
    for (;;) {
        struct tv v;
        enum mo_status st = desc(d, &v, depth + 1);
        if (st != MO_OK) {
            free(*parts);
            return st;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 4;
            struct tv *np = realloc(*parts, cap * sizeof *np);
            if (!np) {
                free(*parts);
                return nomem(d->N->L);
            }
            *parts = np;
        }
        (*parts)[(*n)++] = v;
        ws(d);
        if (*d->p == ',') {
            d->p++;
            continue;
        }
        if (*d->p == ')') {
            d->p++;
            return MO_OK;
        }
        free(*parts);
        return dfail(d, "expected ',' or ')'");
    }
}

static enum mo_status dint(struct dparse *d, int64_t *v)
{
    ws(d);
    char *end;
    long long x = strtoll(d->p, &end, 10);
    if (end == d->p)
        return dfail(d, "expected an integer");
    if (x > MAX_OFFSET || x < -MAX_OFFSET)
        return dfail(d, "a time offset out of range");
    d->p = end;
    *v = x;
    return MO_OK;
}

static enum mo_status desc(struct dparse *d, struct tv *out, int depth)
{
    if (depth > 64)
        return dfail(d, "nested too deeply");
    ws(d);
    const char *s = d->p;
    while (*d->p && *d->p != '(' && *d->p != ')' && *d->p != ',' && *d->p != ' ' && *d->p != '\t')
        d->p++;
    size_t len = (size_t)(d->p - s);
    if (!len)
        return dfail(d, "expected a node name or a descriptor");
    ws(d);
    if (*d->p != '(') {
        struct cnode *c = find_node(d->N, s, len);
        if (!c) {
            char nm[MO_KALDI_TOKEN_MAX];
            snprintf(nm, sizeof nm, "%.*s", (int)(len < 100 ? len : 100), s);
            char q[MO_QUOTE_SIZE], msg[300];
            snprintf(msg, sizeof msg, "no node is named '%s'", mo_quote(q, nm));
            return dfail(d, msg);
        }
        return resolve(d->N, c, out);
    }
    d->p++;
    enum mo_status st;
#define IS(w) (len == strlen(w) && !strncmp(s, w, len))
    if (IS("Append") || IS("Sum")) {
        struct tv *parts;
        unsigned n;
        if ((st = dlist(d, &parts, &n, depth)) != MO_OK)
            return st;
        if (IS("Sum") && n != 2) {
            free(parts);
            return dfail(d, "Sum takes two descriptors");
        }
        st = join(d->N->L, IS("Append") ? "Append" : "Sum", NULL, parts, n, out);
        free(parts);
        return st;
    }
    if (IS("Offset")) {
        struct tv v;
        int64_t t, x = 0;
        if ((st = desc(d, &v, depth + 1)) != MO_OK)
            return st;
        ws(d);
        if (*d->p++ != ',')
            return dfail(d, "expected ',' after Offset's descriptor");
        if ((st = dint(d, &t)) != MO_OK)
            return st;
        ws(d);
        if (*d->p == ',') {
            d->p++;
            if ((st = dint(d, &x)) != MO_OK)
                return st;
            if (x)
                return dfail(d, "an Offset in x is not supported");
            ws(d);
        }
        if (*d->p++ != ')')
            return dfail(d, "expected ')'");
        *out = (struct tv){v.n, v.lo - t, v.hi - t, v.dim, v.fixed};
        return MO_OK;
    }
    if (IS("Scale")) {
        /* Scale(f, d): d times the constant f (TDNN-F's bypass) */
        ws(d);
        char *end;
        double f = strtod(d->p, &end);
        if (end == d->p)
            return dfail(d, "expected Scale's factor");
        d->p = end;
        ws(d);
        if (*d->p++ != ',')
            return dfail(d, "expected ',' after Scale's factor");
        struct tv v;
        if ((st = desc(d, &v, depth + 1)) != MO_OK)
            return st;
        ws(d);
        if (*d->p++ != ')')
            return dfail(d, "expected ')'");
        char *nm = mo_graph_printf(d->N->L->fw, "%s/scale%u", d->line_node, ++d->N->L->helpers);
        struct mo_node *n = nm ? node(d->N->L, "Scale", nm, 1, &v) : NULL;
        if (!n || mo_node_set_float(n, "scale", f) != MO_OK)
            return nomem(d->N->L);
        *out = v;
        out->n = n;
        return MO_OK;
    }
    if (IS("ReplaceIndex")) {
        /* ReplaceIndex(x, t, k): x at time k, for every time */
        struct tv v;
        int64_t k;
        if ((st = desc(d, &v, depth + 1)) != MO_OK)
            return st;
        ws(d);
        if (*d->p++ != ',')
            return dfail(d, "expected ',' after ReplaceIndex's descriptor");
        ws(d);
        if (*d->p != 't' || (d->p[1] != ',' && d->p[1] != ' '))
            return dfail(d, "ReplaceIndex of an index other than t is not supported");
        d->p++;
        ws(d);
        if (*d->p++ != ',')
            return dfail(d, "expected ',' after ReplaceIndex's index");
        if ((st = dint(d, &k)) != MO_OK)
            return st;
        ws(d);
        if (*d->p++ != ')')
            return dfail(d, "expected ')'");
        if (v.fixed) {
            *out = v;
            return MO_OK;
        }
        if (k < v.lo || (v.hi < 0 && k > v.hi))
            return dfail(d, "ReplaceIndex asks for a time its input does not hold");
        char *nm = mo_graph_printf(d->N->L->fw, "%s/time%lld", d->line_node, (long long)k);
        struct mo_node *n = nm ? node(d->N->L, "TimeRow", nm, 1, &v) : NULL;
        if (!n || mo_node_set_int(n, "row", k - v.lo) != MO_OK)
            return nomem(d->N->L);
        *out = (struct tv){n, 0, 0, v.dim, true};
        return MO_OK;
    }
    if (IS("IfDefined")) {
        if ((st = desc(d, out, depth + 1)) != MO_OK)
            return st;
        ws(d);
        if (*d->p++ != ')')
            return dfail(d, "expected ')'");
        return MO_OK;
    }
#undef IS
    d->p = s;
    return dfail(d, "this descriptor is not supported yet (supported: Append, Sum, Offset, IfDefined, ReplaceIndex, Scale)");
}

static struct comp *find_comp(struct nnet3 *N, const char *name)
{
    for (size_t i = 0; i < N->n_comps; i++)
        if (!strcmp(N->comps[i].name, name))
            return &N->comps[i];
    return NULL;
}

static enum mo_status copy_fields(struct ld *L, struct mo_node *to, const struct mo_node *from)
{
    for (unsigned i = 0; i < from->n_attrs; i++)
        if (mo_node_copy_attr(to, &from->attrs[i]) != MO_OK)
            return nomem(L);
    return MO_OK;
}

/* A component of the keyed kind applied to x (nnet3's component-node, or
 * an nnet2-style component inside <Nnet>).  tmpl NULL: read its fields now. */
static enum mo_status apply_component(struct ld *L, const char *type, const char *name, struct tv x,
                                      const struct mo_node *tmpl, struct tv *out)
{
    struct mo_kio *r = &L->r;
    enum mo_status st;
    const char *ntype = type;
    struct mo_node *n = mo_graph_add_node(L->fw, type, name, 1, 1);
    if (!n)
        return nomem(L);
    n->outputs[0].et = MO_ET_F32;
    if (tmpl)
        st = copy_fields(L, n, tmpl);
    else {
        char end[MO_KALDI_TOKEN_MAX];
        snprintf(end, sizeof end, "</%s>", type);
        st = read_fields(L, n, end);
    }
    if (st != MO_OK)
        return st;
    /* the time structure of a component is the frontend's */
    const struct mo_attr *offs = NULL;
    if (!strcmp(type, "TdnnComponent") || !strcmp(type, "SpliceComponent")) {
        offs = mo_node_attr(n, !strcmp(type, "TdnnComponent") ? "TimeOffsets" : "Context");
        int64_t lr[64];
        size_t k = 0;
        if ((!offs || offs->kind != MO_ATTR_INTS) && !strcmp(type, "SpliceComponent")) {
            int64_t left = mo_node_get_int(n, "LeftContext", 0, NULL), right = mo_node_get_int(n, "RightContext", 0, NULL);
            for (int64_t t = -left; t <= right && k < 64; t++)
                lr[k++] = t;
        } else if (!offs || offs->kind != MO_ATTR_INTS)
            return mo_kio_fail(r, "component '%s' (%s) has no time offsets", name, type);
        char *sn = mo_graph_printf(L->fw, "%s/splice", name);
        if (!sn)
            return nomem(L);
        struct tv sp;
        if ((st = k ? splice(L, sn, x, lr, k, &sp) : splice(L, sn, x, offs->u.ints.v, offs->u.ints.n, &sp)) != MO_OK)
            return st;
        x = sp;
        if (!strcmp(type, "SpliceComponent")) {
            n->type = mo_graph_strdup(L->fw, "NoOpComponent");
            if (!n->type)
                return nomem(L);
            ntype = n->type;
        }
    }
    mo_node_set_input(n, 0, mo_val(x.n, 0));
    int64_t od = out_dim(n, x.dim);
    if (!strcmp(ntype, "ElementwiseProductComponent") || !strcmp(ntype, "SumBlockComponent"))
        od = mo_node_get_int(n, "OutputDim", -1, NULL);
    *out = (struct tv){n, x.lo, x.hi, od, x.fixed};
    return MO_OK;
}

static enum mo_status keyed_component(struct ld *L, const char *type, const char *name, struct tv x,
                                      struct tv *out)
{
    if (!mo_kaldi_known(type)) {
        char end[MO_KALDI_TOKEN_MAX + 4], tok[MO_KALDI_TOKEN_MAX + 2];
        snprintf(end, sizeof end, "</%s>", type);
        snprintf(tok, sizeof tok, "<%s>", type);
        note_unknown(L, tok, L->r.pos - strlen(tok) - (L->r.binary ? 1 : 0));
        *out = x;
        return skip_to(L, end);
    }
    return apply_component(L, type, name, x, NULL, out);
}

static enum mo_status resolve(struct nnet3 *N, struct cnode *c, struct tv *out)
{
    struct ld *L = N->L;
    if (c->state == 2) {
        *out = c->v;
        return MO_OK;
    }
    if (c->state == 1)
        return mo_kio_fail(&L->r, "node '%s' depends on itself: recurrent nnet3 graphs (memory) are not "
                                  "supported yet",
                           c->name);
    c->state = 1;
    enum mo_status st = MO_OK;
    if (c->kind == N_INPUT) {
        struct mo_node *in = mo_graph_add_node(L->fw, "Parameter", c->name, 0, 1);
        if (!in)
            return nomem(L);
        in->outputs[0].et = MO_ET_F32;
        in->outputs[0].shape = mo_shape_of(MO_DYN, c->dim);
        mo_node_add_output_name(in, 0, c->name);
        c->v = (struct tv){in, 0, 0, c->dim, false};
    } else {
        struct dparse d = {N, c->input, c->input, c->name, c->line_at};
        struct tv x;
        if ((st = desc(&d, &x, 0)) != MO_OK)
            return st;
        ws(&d);
        if (*d.p)
            return dfail(&d, "unexpected text after the descriptor");
        if (c->kind == N_COMPONENT) {
            struct comp *cp = find_comp(N, c->component);
            if (!cp)
                return mo_kio_fail(&L->r, "node '%s' uses component '%s', which the model does not have", c->name,
                                   c->component);
            if ((st = apply_component(L, cp->tmpl->type, c->name, x, cp->tmpl, &c->v)) != MO_OK)
                return st;
        } else if (c->kind == N_DIMRANGE) {
            struct mo_node *n = node(L, "DimRange", c->name, 1, &x);
            if (!n || mo_node_set_int(n, "DimOffset", c->dim_offset) != MO_OK || mo_node_set_int(n, "Dim", c->dim) != MO_OK)
                return nomem(L);
            c->v = (struct tv){n, x.lo, x.hi, c->dim, x.fixed};
        } else {
            c->v = x;
        }
    }
    c->state = 2;
    *out = c->v;
    return MO_OK;
}

/* key=value of a config line (value up to a space outside parentheses). */
static char *config_value(struct ld *L, const char *line, size_t len, const char *key)
{
    size_t k = strlen(key);
    for (size_t i = 0; i + k + 1 <= len; i++) {
        if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t') && !strncmp(line + i, key, k) && line[i + k] == '=') {
            size_t s = i + k + 1, e = s;
            int depth = 0;
            while (e < len && (depth > 0 || (line[e] != ' ' && line[e] != '\t'))) {
                if (line[e] == '(')
                    depth++;
                else if (line[e] == ')')
                    depth--;
                e++;
            }
            char *v = mo_graph_alloc(L->fw, e - s + 1);
            if (v)
                memcpy(v, line + s, e - s);
            return v;
        }
    }
    return NULL;
}

static enum mo_status read_nnet3(struct ld *L)
{
    struct mo_kio *r = &L->r;
    struct nnet3 N = {.L = L};
    enum mo_status st;
    const char *line;
    size_t len;
    /* the rest of the <Nnet3> line, then config lines up to an empty one */
    if ((st = mo_kio_line(r, &line, &len)) != MO_OK)
        return st;
    size_t cap = 0;
    for (;;) {
        size_t at = r->pos;
        if ((st = mo_kio_line(r, &line, &len)) != MO_OK)
            goto out;
        while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
            len--;
        size_t s = 0;
        while (s < len && (line[s] == ' ' || line[s] == '\t'))
            s++;
        if (s == len)
            break;
        line += s;
        len -= s;
        struct cnode c = {.line_at = at};
        const char *kinds[] = {"input-node ", "component-node ", "output-node ", "dim-range-node "};
        int kind = -1;
        for (int i = 0; i < 4; i++)
            if (len >= strlen(kinds[i]) && !strncmp(line, kinds[i], strlen(kinds[i])))
                kind = i;
        if (kind < 0) {
            char q[MO_QUOTE_SIZE], l[200];
            snprintf(l, sizeof l, "%.*s", (int)(len < 150 ? len : 150), line);
            r->pos = at;
            st = mo_kio_fail(r, "an nnet3 config line that is not input-node, component-node, output-node or "
                                "dim-range-node: '%s'",
                             mo_quote(q, l));
            goto out;
        }
        c.kind = (enum nkind)kind;
        c.name = config_value(L, line, len, "name");
        char *dim = config_value(L, line, len, "dim");
        c.dim = dim ? strtoll(dim, NULL, 10) : -1;
        c.input = config_value(L, line, len, kind == N_DIMRANGE ? "input-node" : "input");
        c.component = config_value(L, line, len, "component");
        char *dof = config_value(L, line, len, "dim-offset");
        c.dim_offset = dof ? strtoll(dof, NULL, 10) : 0;
        if (!c.name || (kind == N_INPUT && c.dim <= 0) || (kind != N_INPUT && !c.input) ||
            (kind == N_COMPONENT && !c.component) || (kind == N_DIMRANGE && c.dim <= 0)) {
            r->pos = at;
            st = mo_kio_fail(r, "an nnet3 %.*s line without its %s", (int)strlen(kinds[kind]) - 1, kinds[kind],
                             !c.name ? "name=" : kind == N_INPUT ? "dim=" : !c.input ? "input=" : kind == N_DIMRANGE ? "dim=" : "component=");
            goto out;
        }
        if (N.n_nodes == cap) {
            cap = cap ? 2 * cap : 16;
            struct cnode *nn = realloc(N.nodes, cap * sizeof *nn);
            if (!nn) {
                st = nomem(L);
                goto out;
            }
            N.nodes = nn;
        }
        N.nodes[N.n_nodes++] = c;
    }
    int64_t nc;
    if ((st = mo_kio_expect(r, "<NumComponents>")) != MO_OK || (st = mo_kio_int(r, &nc)) != MO_OK)
        goto out;
    if (nc < 0 || nc > 100000) {
        st = mo_kio_fail(r, "%lld components", (long long)nc);
        goto out;
    }
    N.scratch = mo_graph_new(NULL);
    N.comps = calloc((size_t)nc + 1, sizeof *N.comps);
    if (!N.scratch || !N.comps) {
        st = nomem(L);
        goto out;
    }
    for (int64_t i = 0; i < nc; i++) {
        char tok[MO_KALDI_TOKEN_MAX], type[MO_KALDI_TOKEN_MAX], q[MO_QUOTE_SIZE];
        if ((st = mo_kio_expect(r, "<ComponentName>")) != MO_OK || (st = mo_kio_token(r, tok, sizeof tok)) != MO_OK)
            goto out;
        struct comp *cp = &N.comps[N.n_comps];
        cp->name = mo_graph_strdup(N.scratch, tok);
        size_t at = r->pos;
        if ((st = mo_kio_token(r, tok, sizeof tok)) != MO_OK)
            goto out;
        if (!type_of(tok, type, sizeof type)) {
            r->pos = at;
            st = mo_kio_fail(r, "expected a component type token (such as <AffineComponent>), found '%s'",
                             mo_quote(q, tok));
            goto out;
        }
        char end[MO_KALDI_TOKEN_MAX + 4];
        snprintf(end, sizeof end, "</%s>", type);
        if (!mo_kaldi_known(type)) {
            note_unknown(L, tok, at);
            if ((st = skip_to(L, end)) != MO_OK)
                goto out;
            continue;
        }
        cp->tmpl = mo_graph_add_node(N.scratch, type, cp->name, 0, 1);
        if (!cp->name || !cp->tmpl) {
            st = nomem(L);
            goto out;
        }
        struct mo_graph *keep = L->fw;
        L->fw = N.scratch;
        st = read_fields(L, cp->tmpl, end);
        L->fw = keep;
        if (st != MO_OK)
            goto out;
        N.n_comps++;
    }
    if ((st = mo_kio_expect(r, "</Nnet3>")) != MO_OK)
        goto out;
    if (L->unk.n)
        goto out;
    unsigned outs = 0;
    for (size_t i = 0; i < N.n_nodes; i++) {
        if (N.nodes[i].kind != N_OUTPUT)
            continue;
        struct tv v;
        if ((st = resolve(&N, &N.nodes[i], &v)) != MO_OK)
            goto out;
        if ((st = add_out(L, mo_val(v.n, 0), N.nodes[i].name)) != MO_OK)
            goto out;
        outs++;
    }
    if (!outs)
        st = mo_kio_fail(r, "the nnet3 model has no output-node");
out:
    free(N.nodes);
    free(N.comps);
    mo_graph_free(N.scratch);
    return st;
}

/* --- options -------------------------------------------------------------- */

/* Log priors from Kaldi's class counts, as its hybrid decoders use them:
 * log(c / sum c), a count under 1e-10 floored there first. */
static enum mo_status read_priors(const char *path, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_file *f = mo_file_map(path, err);
    if (!f)
        return err ? err->code : MO_ERR_IO;
    struct mo_kio r;
    mo_kio_init(&r, f, 0, err);
    struct mo_tensor *t = NULL;
    enum mo_status st;
    if (r.binary || mo_kio_sniff(&r) == 'V') {
        st = mo_kio_vector(&r, &t);
    } else {
        /* plain numbers separated by whitespace */
        size_t n = 0, cap = 64;
        double *v = malloc(cap * sizeof *v);
        st = v ? MO_OK : MO_ERR_NOMEM;
        while (st == MO_OK && !mo_kio_eof(&r)) {
            if (n == cap) {
                double *nv = realloc(v, 2 * cap * sizeof *nv);
                if (!nv) {
                    st = MO_ERR_NOMEM;
                    break;
                }
                v = nv;
                cap *= 2;
            }
            st = mo_kio_float(&r, &v[n++]);
        }
        if (st == MO_OK) {
            struct mo_shape sh = mo_shape_of((int64_t)n);
            t = mo_tensor_new(MO_ET_F32, &sh, err);
            for (size_t i = 0; t && i < n; i++)
                mo_tensor_set_f64(t, (int64_t)i, v[i]);
            st = t ? MO_OK : MO_ERR_NOMEM;
        }
        free(v);
    }
    if (st == MO_OK && (!t || mo_tensor_numel(t) == 0)) {
        st = mo_error_set(err, MO_ERR_FORMAT, 0, "'%s': the counts file holds no counts", path);
    }
    double sum = 0;
    int64_t n = st == MO_OK ? mo_tensor_numel(t) : 0;
    for (int64_t i = 0; i < n; i++) {
        double c = mo_tensor_get_f64(t, i);
        if (!(c >= 0) || isinf(c)) {
            st = mo_error_set(err, MO_ERR_FORMAT, 0, "'%s': count %lld is %g; counts are frequencies (>= 0)", path,
                              (long long)i, c);
            break;
        }
        sum += c < 1e-10 ? 1e-10 : c;
    }
    struct mo_tensor *lp = NULL;
    if (st == MO_OK) {
        struct mo_shape sh = mo_shape_of(n);
        lp = mo_tensor_new(MO_ET_F32, &sh, err);
        for (int64_t i = 0; lp && i < n; i++) {
            double c = mo_tensor_get_f64(t, i);
            mo_tensor_set_f64(lp, i, log((c < 1e-10 ? 1e-10 : c) / sum));
        }
        st = lp ? MO_OK : MO_ERR_NOMEM;
    }
    mo_tensor_unref(t);
    mo_file_unref(f);
    *out = lp;
    return st;
}

static enum mo_status apply_options(struct ld *L, const struct mo_kaldi_opts *o, struct mo_error *err)
{
    struct mo_graph *fw = L->fw;
    if (!L->n_outs)
        return MO_OK;
    if (L->n_outs > 1 && (o->counts || o->remove_output_softmax))
        return mo_error_set(err, MO_ERR_INVALID_ARG, 0,
                            "--counts and --remove_output_softmax need a model with one output; this one has %u",
                            L->n_outs);
    struct mo_node *last = L->outs[0].node;
    struct mo_value outv = L->outs[0];
    if (o->remove_output_softmax && in_list(last->type, softmax_types) && last->n_inputs == 1) {
        outv = last->inputs[0];
        last = outv.node;
    }
    if (o->counts) {
        struct mo_tensor *lp = NULL;
        enum mo_status st = read_priors(o->counts, &lp, err);
        if (st != MO_OK)
            return st;
        int64_t n = mo_tensor_numel(lp);
        const struct mo_attr *bias = in_list(last->type, affine_types) ? mo_node_attr(last, "BiasParams") : NULL;
        if (bias && (bias->kind != MO_ATTR_TENSOR || mo_tensor_numel(bias->u.t) == 0))
            bias = NULL; /* a TdnnComponent without bias: the priors get a node of their own */
        if (bias && bias->kind == MO_ATTR_TENSOR && mo_tensor_numel(bias->u.t) == n) {
            /* fold: the affine layer's bias minus the log priors */
            struct mo_tensor *b = mo_tensor_convert(bias->u.t, MO_ET_F32, err);
            for (int64_t i = 0; b && i < n; i++)
                mo_tensor_set_f64(b, i, mo_tensor_get_f64(bias->u.t, i) - mo_tensor_get_f64(lp, i));
            mo_tensor_unref(lp);
            if (!b || mo_node_set_tensor(last, "BiasParams", b) != MO_OK) {
                mo_tensor_unref(b);
                return nomem(L);
            }
            mo_tensor_unref(b);
        } else {
            if (bias && bias->kind == MO_ATTR_TENSOR) {
                mo_tensor_unref(lp);
                return mo_error_set(err, MO_ERR_INVALID_ARG, 0,
                                    "--counts holds %lld counts, the model's output has %lld values per frame",
                                    (long long)n, (long long)mo_tensor_numel(bias->u.t));
            }
            /* a kept softmax gives posteriors: Kaldi subtracts the log priors from their log */
            struct tv x = {last, 0, 0, -1, false};
            if (!strcmp(last->type, "Softmax") || !strcmp(last->type, "SoftmaxComponent")) {
                last->type = "LogSoftmaxComponent";
            }
            char *nm = mo_graph_printf(fw, "%s/subtract_log_priors", last->name);
            struct mo_node *a = nm ? node(L, "AddShift", nm, 1, &x) : NULL;
            for (int64_t i = 0; i < n; i++)
                mo_tensor_set_f64(lp, i, -mo_tensor_get_f64(lp, i));
            if (!a || mo_node_set_tensor(a, "Shift", lp) != MO_OK) {
                mo_tensor_unref(lp);
                return nomem(L);
            }
            mo_tensor_unref(lp);
            outv = mo_val(a, 0);
        }
    }
    L->outs[0] = outv;
    return MO_OK;
}

enum mo_status mo_kaldi_read(struct mo_file *f, const struct mo_kaldi_opts *o, struct mo_graph *fw,
                             struct mo_context *ctx, struct mo_error *err)
{
    (void)ctx;
    struct ld L = {.fw = fw};
    mo_kio_init(&L.r, f, 0, err);
    char tok[MO_KALDI_TOKEN_MAX];
    enum mo_status st = mo_kio_token(&L.r, tok, sizeof tok);
    if (st != MO_OK)
        return st;
    if (!strcmp(tok, "<TransitionModel>")) {
        /* a .mdl: the transition model first, the network after it */
        if ((st = skip_to(&L, "</TransitionModel>")) != MO_OK)
            return st;
        if ((st = mo_kio_token(&L.r, tok, sizeof tok)) != MO_OK)
            return st;
    }
    if (!strcmp(tok, "<Nnet>"))
        st = read_nnet1(&L);
    else if (!strcmp(tok, "<Nnet3>"))
        st = read_nnet3(&L);
    else {
        char q[MO_QUOTE_SIZE], qt[MO_QUOTE_SIZE];
        return mo_error_set(err, MO_ERR_FORMAT, 2,
                            "'%s': not a Kaldi nnet1 or nnet3 model: it starts with '%s', not <Nnet>, <Nnet3> or "
                            "<TransitionModel>",
                            mo_quote(q, mo_file_path(f)), mo_quote(qt, tok));
    }
    if (st == MO_OK && L.unk.n) {
        char q[MO_QUOTE_SIZE];
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 0,
                            "'%s': %u component%s of a kind mo does not convert: %s (docs/kaldi.md lists the "
                            "supported ones)",
                            mo_quote(q, mo_file_path(f)), L.unk.n, L.unk.n > 1 ? "s" : "", L.unk.text);
    }
    if (st == MO_OK && o)
        st = apply_options(&L, o, err);
    for (unsigned i = 0; st == MO_OK && i < L.n_outs; i++) {
        mo_graph_add_output(fw, L.outs[i]);
        if (L.out_names[i])
            mo_node_add_output_name(L.outs[i].node, L.outs[i].port, L.out_names[i]);
    }
    return st;
}

enum mo_status mo_kaldi_load(const char *path, const struct mo_kaldi_opts *o, struct mo_graph *fw,
                             struct mo_context *ctx, struct mo_error *err)
{
    struct mo_file *f = mo_file_map(path, err);
    if (!f)
        return err ? err->code : MO_ERR_IO;
    enum mo_status st = mo_kaldi_read(f, o, fw, ctx, err);
    mo_file_unref(f);
    return st;
}
