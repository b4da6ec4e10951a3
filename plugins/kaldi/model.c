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
#include "model.h"

enum mo_status mo_kd_add_out(struct ld *L, struct mo_value v, const char *name)
{
    if (L->n_outs == 16)
        return mo_kio_fail(&L->r, "more than 16 output-nodes");
    L->outs[L->n_outs] = v;
    L->out_names[L->n_outs++] = name;
    return MO_OK;
}

void mo_kd_note_unknown(struct ld *L, const char *tok, size_t at)
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

enum mo_status mo_kd_nomem(struct ld *L)
{
    return mo_error_set(L->r.err, MO_ERR_NOMEM, 0, "out of memory");
}

struct mo_node *mo_kd_node(struct ld *L, const char *type, const char *name, unsigned n_in,
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
enum mo_status mo_kd_slice(struct ld *L, struct tv *x, int64_t lo, int64_t hi, const char *base)
{
    if (x->lo == lo && x->hi == hi)
        return MO_OK;
    char *nm = mo_graph_printf(L->fw, "%s/time_slice%u", base, ++L->helpers);
    struct mo_node *n = nm ? mo_kd_node(L, "TimeSlice", nm, 1, x) : NULL;
    if (!n || mo_node_set_int(n, "begin", lo - x->lo) != MO_OK || mo_node_set_int(n, "end", hi - x->hi) != MO_OK)
        return mo_kd_nomem(L);
    x->n = n;
    x->lo = lo;
    x->hi = hi;
    return MO_OK;
}

/* The parts aligned on their common times, joined by a node of type
 * `type` ("Append" or "Sum") named name; one part is returned as it is. */
enum mo_status mo_kd_join(struct ld *L, const char *type, const char *name, struct tv *parts, unsigned n,
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
        return mo_kd_nomem(L);
    for (unsigned i = 0; i < n; i++) {
        enum mo_status st = ref < 0 || parts[i].fixed ? MO_OK : mo_kd_slice(L, &parts[i], lo, hi, base);
        if (st != MO_OK)
            return st;
        dim = dim < 0 || parts[i].dim < 0 ? -1 : !strcmp(type, "Append") ? dim + parts[i].dim : parts[i].dim;
    }
    for (unsigned i = 0; ref >= 0 && i < n; i++) {
        if (!parts[i].fixed)
            continue;
        struct tv two[2] = {parts[i], parts[ref]};
        char *nm = mo_graph_printf(L->fw, "%s/broadcast%u", base, ++L->helpers);
        struct mo_node *b = nm ? mo_kd_node(L, "TimeBroadcast", nm, 2, two) : NULL;
        if (!b)
            return mo_kd_nomem(L);
        parts[i].n = b;
    }
    struct mo_node *nd = mo_kd_node(L, type, base, n, parts);
    if (!nd)
        return mo_kd_nomem(L);
    if (ref < 0)
        *out = (struct tv){nd, parts[0].lo, parts[0].hi, dim, true};
    else
        *out = (struct tv){nd, lo, hi, dim, false};
    return MO_OK;
}


/* x at the given time offsets, side by side (Splice, TdnnComponent). */
enum mo_status mo_kd_splice(struct ld *L, const char *name, struct tv x, const int64_t *off, size_t n,
                             struct tv *out)
{
    if (!n)
        return mo_kio_fail(&L->r, "a splice with no time offsets");
    for (size_t i = 0; i < n; i++)
        if (off[i] > MAX_OFFSET || off[i] < -MAX_OFFSET)
            return mo_kio_fail(&L->r, "a time offset of %lld frames (at most %d)", (long long)off[i], MAX_OFFSET);
    struct tv *parts = calloc(n, sizeof *parts);
    if (!parts)
        return mo_kd_nomem(L);
    for (size_t i = 0; i < n; i++)
        parts[i] = (struct tv){x.n, x.lo - off[i], x.hi - off[i], x.dim, x.fixed};
    enum mo_status st = n == 1 ? (*out = parts[0], MO_OK) : mo_kd_join(L, "Append", name, parts, (unsigned)n, out);
    free(parts);
    return st;
}

/* --- component fields ------------------------------------------------------ */

bool mo_kd_in_list(const char *s, const char *const *list)
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
    return st == MO_OK ? MO_OK : mo_kd_nomem(L);
}

/* The values after one field token, up to the next token. */
enum mo_status mo_kd_read_values(struct ld *L, struct mo_node *n, const char *key)
{
    struct mo_kio *r = &L->r;
    enum mo_status st;
    if (mo_kd_in_list(key, int_vector_keys)) {
        int64_t *v;
        size_t k;
        if ((st = mo_kio_int_vector(r, &v, &k)) != MO_OK)
            return st;
        st = mo_node_set_ints(n, key, v, k) == MO_OK ? MO_OK : mo_kd_nomem(L);
        free(v);
        return st;
    }
    bool ints = mo_kd_in_list(key, int_keys);
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
                return mo_kd_nomem(L);
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
                return mo_kd_nomem(L);
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
        return mo_kd_nomem(L);
    return MO_OK;
}

/* Fields up to the closing token end_tok ("</AffineComponent>"). */
enum mo_status mo_kd_read_fields(struct ld *L, struct mo_node *n, const char *end_tok)
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
        if ((st = mo_kd_read_values(L, n, tok + 1)) != MO_OK)
            return st;
    }
}

/* Skip an unknown component's body to its closing token. */
enum mo_status mo_kd_skip_to(struct ld *L, const char *end_tok)
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
bool mo_kd_type_of(const char *tok, char *buf, size_t cap)
{
    size_t len = strlen(tok);
    if (len < 3 || tok[0] != '<' || tok[len - 1] != '>' || tok[1] == '/' || len - 2 >= cap)
        return false;
    memcpy(buf, tok + 1, len - 2);
    buf[len - 2] = 0;
    return true;
}

bool mo_kd_ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

const char *const mo_kd_softmax_types[] = {"Softmax", "SoftmaxComponent", "LogSoftmaxComponent", NULL};
const char *const mo_kd_affine_types[] = {"AffineTransform", "AffineComponent", "NaturalGradientAffineComponent",
                                           "FixedAffineComponent", "AffineComponentPreconditionedOnline",
                                           "AffineComponentPreconditioned", "TdnnComponent", NULL};

/* The output dim a component gives for input dim in, from its fields. */
int64_t mo_kd_out_dim(const struct mo_node *n, int64_t in)
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

enum mo_status mo_kd_copy_fields(struct ld *L, struct mo_node *to, const struct mo_node *from)
{
    for (unsigned i = 0; i < from->n_attrs; i++)
        if (mo_node_copy_attr(to, &from->attrs[i]) != MO_OK)
            return mo_kd_nomem(L);
    return MO_OK;
}

/* A component of the keyed kind applied to x (nnet3's component-node, or
 * an nnet2-style component inside <Nnet>).  tmpl NULL: read its fields now. */
enum mo_status mo_kd_apply_component(struct ld *L, const char *type, const char *name, struct tv x,
                                      const struct mo_node *tmpl, struct tv *out)
{
    struct mo_kio *r = &L->r;
    enum mo_status st;
    const char *ntype = type;
    struct mo_node *n = mo_graph_add_node(L->fw, type, name, 1, 1);
    if (!n)
        return mo_kd_nomem(L);
    n->outputs[0].et = MO_ET_F32;
    if (tmpl)
        st = mo_kd_copy_fields(L, n, tmpl);
    else {
        char end[MO_KALDI_TOKEN_MAX];
        snprintf(end, sizeof end, "</%s>", type);
        st = mo_kd_read_fields(L, n, end);
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
            return mo_kd_nomem(L);
        struct tv sp;
        if ((st = k ? mo_kd_splice(L, sn, x, lr, k, &sp) : mo_kd_splice(L, sn, x, offs->u.ints.v, offs->u.ints.n, &sp)) != MO_OK)
            return st;
        x = sp;
        if (!strcmp(type, "SpliceComponent")) {
            n->type = mo_graph_strdup(L->fw, "NoOpComponent");
            if (!n->type)
                return mo_kd_nomem(L);
            ntype = n->type;
        }
    }
    mo_node_set_input(n, 0, mo_val(x.n, 0));
    int64_t od = mo_kd_out_dim(n, x.dim);
    if (!strcmp(ntype, "ElementwiseProductComponent") || !strcmp(ntype, "SumBlockComponent"))
        od = mo_node_get_int(n, "OutputDim", -1, NULL);
    *out = (struct tv){n, x.lo, x.hi, od, x.fixed};
    return MO_OK;
}

enum mo_status mo_kd_keyed_component(struct ld *L, const char *type, const char *name, struct tv x,
                                      struct tv *out)
{
    if (!mo_kaldi_known(type)) {
        char end[MO_KALDI_TOKEN_MAX + 4], tok[MO_KALDI_TOKEN_MAX + 2];
        snprintf(end, sizeof end, "</%s>", type);
        snprintf(tok, sizeof tok, "<%s>", type);
        mo_kd_note_unknown(L, tok, L->r.pos - strlen(tok) - (L->r.binary ? 1 : 0));
        *out = x;
        return mo_kd_skip_to(L, end);
    }
    return mo_kd_apply_component(L, type, name, x, NULL, out);
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
        if ((st = mo_kd_skip_to(&L, "</TransitionModel>")) != MO_OK)
            return st;
        if ((st = mo_kio_token(&L.r, tok, sizeof tok)) != MO_OK)
            return st;
    }
    if (!strcmp(tok, "<Nnet>"))
        st = mo_kd_read_nnet1(&L);
    else if (!strcmp(tok, "<Nnet3>"))
        st = mo_kd_read_nnet3(&L);
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
        st = mo_kd_apply_options(&L, o, err);
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
