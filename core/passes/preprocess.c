/* preprocess.c - --mean_values, --scale_values, --scale,
 * --reverse_input_channels and --layout/--source_layout/--target_layout
 * embedded in the IR right after each input Parameter.
 *
 * The model sees (reverse(x) - mean) / scale, the original tool's order
 * (channels reversed first, then mean, then scale; mean and scale values are
 * given in the model's channel order).  The chain is emitted as
 *     Parameter -> [Transpose] -> Subtract(mean') -> Multiply(1/scale') -> Gather(reverse)
 * with mean' and scale' reversed, which computes the same values but puts the
 * channel permutation next to the model: there it is folded into the weights
 * of the convolutions that read it, and linear fusing then folds the scale
 * (always exact) and the mean (exact when the convolution does not pad). */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "passes.h"

#define MAX_IN 64
#define MAX_CH 4096

/* --- layouts ---------------------------------------------------------------- */

struct layout {
    int rank;                 /* -1: not given */
    char dims[MO_MAX_RANK][8];
};

/* "nchw", "NCHW", "[n,c,h,w]", "[N,?,C]" -> dims. */
static bool parse_layout(const char *s, size_t len, struct layout *l)
{
    l->rank = 0;
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len && s[0] == '[') {
        if (s[len - 1] != ']')
            return false;
        size_t i = 1;
        while (i < len - 1) {
            size_t j = i;
            while (j < len - 1 && s[j] != ',')
                j++;
            size_t w = j - i;
            while (w && isspace((unsigned char)s[i]))
                i++, w--;
            while (w && isspace((unsigned char)s[i + w - 1]))
                w--;
            if (!w || w >= sizeof l->dims[0] || l->rank == MO_MAX_RANK)
                return false;
            for (size_t k = 0; k < w; k++)
                l->dims[l->rank][k] = (char)toupper((unsigned char)s[i + k]);
            l->dims[l->rank][w] = 0;
            l->rank++;
            i = j + 1;
        }
        return l->rank > 0;
    }
    for (size_t i = 0; i < len; i++) {
        if (!isalpha((unsigned char)s[i]) && s[i] != '?')
            return false;
        if (l->rank == MO_MAX_RANK)
            return false;
        l->dims[l->rank][0] = (char)toupper((unsigned char)s[i]);
        l->dims[l->rank][1] = 0;
        l->rank++;
    }
    return l->rank > 0;
}

static int layout_find(const struct layout *l, const char *dim)
{
    for (int i = 0; i < l->rank; i++)
        if (!strcmp(l->dims[i], dim))
            return i;
    return -1;
}

static void layout_str(const struct layout *l, char *buf, size_t n)
{
    size_t off = 0;
    off += (size_t)snprintf(buf, n, "[");
    for (int i = 0; i < l->rank && off < n; i++)
        off += (size_t)snprintf(buf + off, n - off, "%s%s", i ? "," : "", l->dims[i]);
    if (off < n)
        snprintf(buf + off, n - off, "]");
}

struct named_layout {
    char name[256];
    struct layout src, dst;
};

/* One layout option: items "name(src)", "name(src->dst)", "src", "src->dst",
 * comma-separated outside brackets.  as_target puts a lone layout in dst. */
static enum mo_status parse_layout_opt(const char *opt, const char *text, bool as_target,
                                       struct named_layout *v, unsigned *n, struct mo_error *err)
{
    const char *p = text;
    while (*p) {
        const char *e = p;
        int depth = 0;
        while (*e && (depth || *e != ',')) {
            depth += *e == '[' || *e == '(';
            depth -= *e == ']' || *e == ')';
            e++;
        }
        size_t len = (size_t)(e - p);
        if (*n == MAX_IN)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 21, "--%s names too many inputs", opt);
        struct named_layout *nl = &v[(*n)++];
        memset(nl, 0, sizeof *nl);
        nl->src.rank = nl->dst.rank = -1;
        const char *body = p;
        size_t blen = len;
        const char *paren = memchr(p, '(', len);
        if (paren && p[len - 1] == ')') {
            snprintf(nl->name, sizeof nl->name, "%.*s", (int)(paren - p), p);
            body = paren + 1;
            blen = len - (size_t)(paren - p) - 2;
        }
        const char *arrow = NULL;
        for (size_t i = 0; i + 1 < blen; i++)
            if (body[i] == '-' && body[i + 1] == '>')
                arrow = body + i;
        bool ok;
        if (arrow) {
            ok = parse_layout(body, (size_t)(arrow - body), &nl->src) &&
                 parse_layout(arrow + 2, blen - (size_t)(arrow - body) - 2, &nl->dst);
        } else {
            ok = parse_layout(body, blen, as_target ? &nl->dst : &nl->src);
        }
        if (!ok)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 21,
                                "cannot read --%s '%s': write a layout like nchw or [n,c,h,w], "
                                "optionally per input: data(nchw) or data(nhwc->nchw)", opt, text);
        p = *e ? e + 1 : e;
    }
    return MO_OK;
}

/* --- mean / scale values -------------------------------------------------------- */

struct values {
    char name[256];           /* "" for a plain list */
    int n;
    double v[MAX_CH];
};

static enum mo_status parse_values_opt(const char *opt, const char *text, struct values *v,
                                       unsigned *n, struct mo_error *err)
{
    const char *p = text;
    while (*p) {
        while (isspace((unsigned char)*p) || *p == ',')
            p++;
        if (!*p)
            break;
        if (*n == MAX_IN)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 19, "--%s names too many inputs", opt);
        struct values *x = &v[(*n)++];
        memset(x->name, 0, sizeof x->name);
        x->n = 0;
        size_t k = 0;
        while (*p && *p != '[' && *p != '(') {
            if (k + 1 < sizeof x->name)
                x->name[k++] = *p;
            p++;
        }
        char close = *p == '[' ? ']' : ')';
        if (!*p)
            goto bad;
        p++;
        for (;;) {
            while (isspace((unsigned char)*p) || *p == ',')
                p++;
            if (*p == close) {
                p++;
                break;
            }
            char *end;
            double d = strtod(p, &end);
            if (end == p || x->n == MAX_CH)
                goto bad;
            x->v[x->n++] = d;
            p = end;
        }
        if (!x->n)
            goto bad;
    }
    return MO_OK;
bad:
    return mo_error_set(err, MO_ERR_INVALID_ARG, 19,
                        "cannot read --%s '%s': write [123,117,104] or data[123,117,104],info[1,2,3]",
                        opt, text);
}

/* --- the pass ------------------------------------------------------------------- */

struct input {
    struct mo_node *param;
    struct mo_value out;      /* where the model body reads the input */
    int channel;              /* channel axis in the source layout */
    struct layout src, dst;
    const struct values *mean, *scale;
};

static bool input_matches(const struct mo_node *p, const char *name)
{
    if (!strcmp(p->name, name))
        return true;
    for (unsigned i = 0; i < p->outputs[0].n_names; i++)
        if (!strcmp(p->outputs[0].names[i], name))
            return true;
    return false;
}

static struct input *find_input(struct input *in, unsigned n, const char *name)
{
    for (unsigned i = 0; i < n; i++)
        if (input_matches(in[i].param, name))
            return &in[i];
    return NULL;
}

/* Assign parsed value lists to inputs: named ones by name, plain lists in
 * input order (one per input). */
static enum mo_status assign_values(const char *opt, struct values *v, unsigned nv,
                                    struct input *in, unsigned nin, bool mean,
                                    struct mo_error *err)
{
    unsigned plain = 0;
    for (unsigned i = 0; i < nv; i++)
        plain += !v[i].name[0];
    if (plain && plain != nv)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 19,
                            "--%s mixes named and unnamed lists; name every input", opt);
    if (plain && plain != nin)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 19,
                            "--%s gives %u list(s) for %u input(s); give one per input in order or "
                            "name them (data[...])", opt, plain, nin);
    for (unsigned i = 0; i < nv; i++) {
        struct input *x = plain ? &in[i] : find_input(in, nin, v[i].name);
        if (!x)
            return mo_error_set(err, MO_ERR_NOT_FOUND, 15, "--%s names '%s', which is not an input of "
                                "the model", opt, v[i].name);
        if (mean)
            x->mean = &v[i];
        else
            x->scale = &v[i];
    }
    return MO_OK;
}

/* Fold a Gather along the channel axis into every Convolution reading it:
 * W[o, c'] = W[o, idx[c']] reverses the weights' input channels instead. */
static enum mo_status fold_reverse(struct mo_graph *g, struct mo_node *gather, const int64_t *idx,
                                   int64_t c, struct mo_pass_stats *st, struct mo_error *err)
{
    struct mo_value gv = mo_val(gather, 0);
    unsigned uses = 0;
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *x = mo_graph_node(g, i);
        if (x->dead)
            continue;
        for (unsigned k = 0; k < x->n_inputs; k++) {
            if (x->inputs[k].node != gv.node || x->inputs[k].port != gv.port)
                continue;
            uses++;
            if (!mo_pass_is(x, "Convolution") || k != 0 || !mo_pass_is_const(x->inputs[1].node))
                return MO_OK;
        }
    }
    if (!uses || gather->outputs[0].n_names)
        return MO_OK;
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *x = mo_graph_node(g, i);
        if (x->dead || !mo_pass_is(x, "Convolution") || x->inputs[0].node != gather)
            continue;
        struct mo_tensor *w = x->inputs[1].node->value;
        if (w->shape.rank < 3 || w->shape.dims[1] != c || mo_tensor_is_lazy(w))
            return MO_OK;
        struct mo_tensor *nw = mo_tensor_new(w->et, &w->shape, err);
        if (!nw)
            return err ? err->code : MO_ERR_NOMEM;
        int64_t o_n = w->shape.dims[0], inner = mo_tensor_numel(w) / (o_n * c);
        size_t esz = mo_etype_bits(w->et) / 8;
        for (int64_t o = 0; o < o_n; o++)
            for (int64_t ch = 0; ch < c; ch++)
                memcpy((char *)nw->owned + ((size_t)(o * c + ch) * (size_t)inner) * esz,
                       (const char *)w->data + ((size_t)(o * c + idx[ch]) * (size_t)inner) * esz,
                       (size_t)inner * esz);
        struct mo_node *wn = mo_const(g, mo_graph_printf(g, "%s/weights_reversed", x->name), nw, err);
        if (!wn)
            return err ? err->code : MO_ERR_NOMEM;
        x->inputs[1] = mo_val(wn, 0);
        x->inputs[0] = gather->inputs[0];
        mo_pass_stats_add(st, "preprocessing", "reverse_folded_into_convolution", 1);
    }
    mo_node_kill(gather);
    return MO_OK;
}

static enum mo_status build_chain(struct mo_graph *g, struct input *x, bool reverse,
                                  double global_scale, struct mo_pass_stats *st, struct mo_error *err)
{
    struct mo_node *p = x->param;
    enum mo_etype et = p->outputs[0].et;
    struct mo_value cur = mo_val(p, 0);
    struct mo_shape ps = p->outputs[0].shape;
    int rank = ps.rank;
    char lbuf[128];

    /* consumers of the Parameter, taken before the chain is added */
    unsigned ncons = 0;
    struct mo_node **cons = malloc((mo_graph_n_nodes(g) + 1) * sizeof *cons);
    if (!cons)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *n = mo_graph_node(g, i);
        if (n->dead)
            continue;
        for (unsigned k = 0; k < n->n_inputs; k++)
            if (n->inputs[k].node == p) {
                cons[ncons++] = n;
                break;
            }
    }
    enum mo_status rc = MO_OK;
    double *vals = NULL;
#define FAIL_IF(c)                                                                \
    do {                                                                          \
        if (c) {                                                                  \
            rc = err && err->code ? err->code : MO_ERR_NOMEM;                     \
            goto done;                                                            \
        }                                                                         \
    } while (0)

    if (x->dst.rank > 0 && x->src.rank > 0) {
        /* the IR input takes the target layout; a Transpose restores the
         * source layout for the model body */
        if (x->dst.rank != x->src.rank) {
            rc = mo_error_set(err, MO_ERR_INVALID_ARG, 21, "input '%s': the source and target layouts "
                              "have different ranks", p->name);
            goto done;
        }
        int64_t order[MO_MAX_RANK];
        struct mo_shape ns = {.rank = rank};
        bool same = true;
        for (int i = 0; i < rank; i++) {
            int j = layout_find(&x->dst, x->src.dims[i]);
            if (j < 0) {
                rc = mo_error_set(err, MO_ERR_INVALID_ARG, 21, "input '%s': dim %s of the source "
                                  "layout is not in the target layout", p->name, x->src.dims[i]);
                goto done;
            }
            order[i] = j;
            same &= j == i;
        }
        for (int i = 0; i < rank; i++)
            ns.dims[order[i]] = ps.dims[i];
        if (!same) {
            p->outputs[0].shape = ns;
            struct mo_node *oc = mo_const_i64(g, mo_graph_printf(g, "%s/layout_order", p->name), order,
                                              (size_t)rank, false, err);
            FAIL_IF(!oc);
            struct mo_node *tr = mo_op(g, "Transpose", mo_graph_printf(g, "%s/to_source_layout", p->name),
                                       2, (struct mo_value[]){cur, mo_val(oc, 0)}, err);
            FAIL_IF(!tr);
            cur = mo_val(tr, 0);
            mo_pass_stats_add(st, "preprocessing", "layout_transpose", 1);
        }
    }
    struct layout *shown = x->dst.rank > 0 ? &x->dst : &x->src;
    if (shown->rank > 0) {
        layout_str(shown, lbuf, sizeof lbuf);
        /* written into the output port's rt_info as OpenVINO does */
        if (mo_node_set_str(p, "rt_port0:layout", lbuf) != MO_OK)
            FAIL_IF(true);
        mo_pass_stats_add(st, "preprocessing", "layout_recorded", 1);
    }

    int ax = x->channel;
    int64_t c = ax >= 0 && ax < rank ? ps.dims[ax] : -1;
    bool do_rev = reverse;
    if (do_rev && c != 3) {
        mo_log(mo_graph_context(g), MO_LOG_WARNING,
               "--reverse_input_channels is not applied to input '%s': it has %lld channel(s), not 3",
               p->name, (long long)c);
        do_rev = false;
    }
    struct mo_shape cs = {.rank = rank};
    for (int i = 0; i < rank; i++)
        cs.dims[i] = 1;
    if (x->mean || x->scale || global_scale != 0) {
        if (c < 0 && ((x->mean && x->mean->n > 1) || (x->scale && x->scale->n > 1))) {
            rc = mo_error_set(err, MO_ERR_SHAPE, 19, "input '%s' has no static channel dimension for "
                              "per-channel mean/scale values", p->name);
            goto done;
        }
        vals = malloc((size_t)(c > 0 ? c : 1) * sizeof *vals);
        FAIL_IF(!vals);
    }
    const struct values *vv[2] = {x->mean, x->scale};
    for (int which = 0; which < 2; which++) {
        const struct values *v = vv[which];
        if (!v && !(which == 1 && global_scale != 0))
            continue;
        if (v && v->n != 1 && v->n != c) {
            rc = mo_error_set(err, MO_ERR_INVALID_ARG, 19,
                              "--%s gives %d value(s) for input '%s', which has %lld channel(s) in "
                              "dim %d", which ? "scale_values" : "mean_values", v->n, p->name,
                              (long long)c, ax);
            goto done;
        }
        int64_t n = v && v->n > 1 ? c : 1;
        for (int64_t i = 0; i < n; i++) {
            /* reversed order: the permutation comes after these ops */
            int64_t src = do_rev && n > 1 ? n - 1 - i : i;
            double d = v ? v->v[src] : global_scale;
            if (which == 1) {
                if (d == 0) {
                    rc = mo_error_set(err, MO_ERR_INVALID_ARG, 19, "a scale value for input '%s' is 0",
                                      p->name);
                    goto done;
                }
                d = 1.0 / d;
            }
            vals[i] = d;
        }
        struct mo_shape s = cs;
        if (n > 1)
            s.dims[ax] = n;
        struct mo_node *k = mo_pass_const(g, mo_graph_printf(g, "%s/%s_values", p->name,
                                                             which ? "scale" : "mean"),
                                          et, &s, vals, err);
        FAIL_IF(!k);
        struct mo_node *op = mo_op(g, which ? "Multiply" : "Subtract",
                                   mo_graph_printf(g, "%s/%s", p->name, which ? "scale" : "mean"), 2,
                                   (struct mo_value[]){cur, mo_val(k, 0)}, err);
        FAIL_IF(!op);
        cur = mo_val(op, 0);
        mo_pass_stats_add(st, "preprocessing", which ? "scale_inserted" : "mean_inserted", 1);
    }
    struct mo_node *gather = NULL;
    int64_t idx[3] = {2, 1, 0};
    if (do_rev) {
        struct mo_node *ic = mo_const_i64(g, mo_graph_printf(g, "%s/reverse_indices", p->name), idx, 3,
                                          false, err);
        int64_t a = ax;
        struct mo_node *ac = ic ? mo_const_i64(g, mo_graph_printf(g, "%s/reverse_axis", p->name), &a, 1,
                                               true, err) : NULL;
        FAIL_IF(!ac);
        gather = mo_op(g, "Gather", mo_graph_printf(g, "%s/reverse_channels", p->name), 3,
                       (struct mo_value[]){cur, mo_val(ic, 0), mo_val(ac, 0)}, err);
        FAIL_IF(!gather);
        mo_node_set_int(gather, "batch_dims", 0);
        cur = mo_val(gather, 0);
        mo_pass_stats_add(st, "preprocessing", "reverse_inserted", 1);
    }
    /* the body reads the chain's end */
    if (cur.node != p) {
        for (unsigned i = 0; i < ncons; i++)
            for (unsigned k = 0; k < cons[i]->n_inputs; k++)
                if (cons[i]->inputs[k].node == p)
                    cons[i]->inputs[k] = cur;
        rc = mo_pass_reinfer(g, err);
        if (rc == MO_OK && gather && ax == 1)
            rc = fold_reverse(g, gather, idx, 3, st, err);
    }
done:
#undef FAIL_IF
    free(vals);
    free(cons);
    return rc;
}

enum mo_status mo_pass_preprocess(struct mo_context *ctx, struct mo_graph *g,
                                  const struct mo_options *opts, struct mo_pass_stats *st,
                                  struct mo_error *err)
{
    const char *mean_t = mo_options_get(opts, "mean_values");
    const char *scale_vt = mo_options_get(opts, "scale_values");
    const char *scale_t = mo_options_get(opts, "scale");
    const char *lay_t = mo_options_get(opts, "layout");
    const char *src_t = mo_options_get(opts, "source_layout");
    const char *dst_t = mo_options_get(opts, "target_layout");
    bool reverse = mo_options_flag(opts, "reverse_input_channels");
    if (!mean_t && !scale_vt && !scale_t && !lay_t && !src_t && !dst_t && !reverse)
        return MO_OK;
    enum mo_status rc = mo_pass_ensure_ops(ctx, err);
    if (rc != MO_OK)
        return rc;

    double global_scale = 0;
    if (scale_t) {
        char *end;
        global_scale = strtod(scale_t, &end);
        if (end == scale_t || *end || global_scale == 0)
            return mo_error_set(err, MO_ERR_INVALID_ARG, 19,
                                "--scale must be a non-zero number, got '%s'", scale_t);
    }

    struct input in[MAX_IN];
    unsigned nin = 0;
    for (unsigned i = 0; i < mo_graph_n_nodes(g) && nin < MAX_IN; i++) {
        struct mo_node *n = mo_graph_node(g, i);
        if (n->dead || strcmp(n->type, "Parameter") != 0)
            continue;
        memset(&in[nin], 0, sizeof in[nin]);
        in[nin].param = n;
        in[nin].src.rank = in[nin].dst.rank = -1;
        nin++;
    }
    /* inputs in the order --input lists them, the model's order otherwise */
    const char *input_t = mo_options_get(opts, "input");
    if (input_t) {
        unsigned placed = 0;
        char *dup = strdup(input_t);
        if (!dup)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        for (char *save = NULL, *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            tok[strcspn(tok, "[({-")] = 0;
            for (unsigned i = placed; i < nin; i++) {
                if (!input_matches(in[i].param, tok))
                    continue;
                struct input t = in[placed];
                in[placed] = in[i];
                in[i] = t;
                placed++;
                break;
            }
        }
        free(dup);
    }

    struct values *mv = NULL, *sv = NULL;
    struct named_layout *lv = calloc(3 * MAX_IN, sizeof *lv);
    unsigned nmv = 0, nsv = 0, nl = 0;
    if (!lv)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    if (mean_t && (mv = malloc(MAX_IN * sizeof *mv)) == NULL)
        rc = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    if (rc == MO_OK && scale_vt && (sv = malloc(MAX_IN * sizeof *sv)) == NULL)
        rc = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    if (rc == MO_OK && mean_t)
        rc = parse_values_opt("mean_values", mean_t, mv, &nmv, err);
    if (rc == MO_OK && scale_vt)
        rc = parse_values_opt("scale_values", scale_vt, sv, &nsv, err);
    if (rc == MO_OK && mean_t)
        rc = assign_values("mean_values", mv, nmv, in, nin, true, err);
    if (rc == MO_OK && scale_vt)
        rc = assign_values("scale_values", sv, nsv, in, nin, false, err);
    if (rc == MO_OK && lay_t)
        rc = parse_layout_opt("layout", lay_t, false, lv, &nl, err);
    if (rc == MO_OK && src_t)
        rc = parse_layout_opt("source_layout", src_t, false, lv, &nl, err);
    if (rc == MO_OK && dst_t)
        rc = parse_layout_opt("target_layout", dst_t, true, lv, &nl, err);
    for (unsigned i = 0; rc == MO_OK && i < nl; i++) {
        /* unnamed layouts apply to every input */
        for (unsigned k = 0; k < nin; k++) {
            if (lv[i].name[0] && !input_matches(in[k].param, lv[i].name))
                continue;
            if (lv[i].src.rank > 0)
                in[k].src = lv[i].src;
            if (lv[i].dst.rank > 0)
                in[k].dst = lv[i].dst;
        }
        if (lv[i].name[0] && !find_input(in, nin, lv[i].name))
            rc = mo_error_set(err, MO_ERR_NOT_FOUND, 15, "a layout names '%s', which is not an input of "
                              "the model", lv[i].name);
    }
    for (unsigned k = 0; rc == MO_OK && k < nin; k++) {
        struct input *x = &in[k];
        int rank = x->param->outputs[0].shape.rank;
        if (x->dst.rank > 0 && x->src.rank < 0) {
            /* only a target: the model's layout is the default one of its rank */
            static const char *const dflt[] = {"", "C", "NC", "NCH", "NCHW", "NCDHW"};
            if (rank < 1 || rank > 5 || !parse_layout(dflt[rank], strlen(dflt[rank]), &x->src))
                rc = mo_error_set(err, MO_ERR_INVALID_ARG, 21, "input '%s': give --source_layout too",
                                  x->param->name);
        }
        if (rc == MO_OK && ((x->src.rank > 0 && x->src.rank != rank) ||
                            (x->dst.rank > 0 && x->dst.rank != rank))) {
            rc = mo_error_set(err, MO_ERR_INVALID_ARG, 21, "the layout given for input '%s' has %d "
                              "dims but the input has rank %d", x->param->name,
                              x->src.rank > 0 ? x->src.rank : x->dst.rank, rank);
        }
        if (rc != MO_OK)
            break;
        x->channel = x->src.rank > 0 ? layout_find(&x->src, "C") : rank >= 2 ? 1 : rank - 1;
        if (x->src.rank > 0 && x->channel < 0 && (x->mean || x->scale || reverse))
            rc = mo_error_set(err, MO_ERR_INVALID_ARG, 21, "the layout of input '%s' has no C dim, "
                              "which mean/scale values and --reverse_input_channels need",
                              x->param->name);
        if (rc == MO_OK && !mo_etype_is_float(x->param->outputs[0].et) &&
            (x->mean || x->scale || scale_t)) {
            rc = mo_error_set(err, MO_ERR_INVALID_ARG, 19, "input '%s' is of type %s; mean/scale values "
                              "need a floating-point input", x->param->name,
                              mo_etype_name(x->param->outputs[0].et));
        }
    }
    /* --scale applies to the model's own inputs, not to cut points */
    for (unsigned k = 0; rc == MO_OK && k < nin; k++) {
        struct input *x = &in[k];
        bool original = !x->param->origin || !strstr(x->param->name, "/placeholder_");
        double gs = x->scale || !original ? 0 : global_scale;
        rc = build_chain(g, x, reverse && original, gs, st, err);
    }
    free(mv);
    free(sv);
    free(lv);
    return rc;
}
