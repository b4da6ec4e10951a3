/* registry.c - who converts what: translators, ops, frontends, replacements.
 *
 * Resolution order for a framework layer type: tier (mapping > extension >
 * standard), then rank (higher first), then the registering plugin's name,
 * so that the order never depends on the order plugins were loaded in. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <mo/op.h>

#include "context_private.h"

const char *mo_registry_owner_name(const struct translator_rec *rec)
{
    return rec->owner && rec->owner->desc ? rec->owner->desc->name : "core";
}

static bool is_standard_opset(const char *opset) { return !strncmp(opset, "opset", 5); }

static const char *owner_label(const struct plugin_rec *owner)
{
    return owner ? owner->path : "the core";
}

static const char *rec_owner_label(const struct plugin_rec *owner)
{
    return owner && owner->desc ? owner->desc->name : "core";
}

enum mo_status mo_register_translator(struct mo_plugin_ctx *pc, const char *framework,
                                      const char *layer_type, enum mo_tier tier, int rank,
                                      mo_translate_fn fn, void *user, struct mo_error *err)
{
    struct mo_context *ctx = pc->ctx;
    if (!framework || !layer_type || !fn || (unsigned)tier >= MO_TIER_COUNT)
        return mo_error_set(err, MO_ERR_PLUGIN, 0, "%s: invalid translator registration",
                            owner_label(pc->owner));
    for (unsigned i = 0; i < ctx->translators.n; i++) {
        const struct translator_rec *t = &ctx->translators.v[i];
        /* a layer type may come from a CustomLayersMapping.xml: quoted */
        char qt[MO_QUOTE_SIZE];
        if (t->tier == tier && t->rank == rank && !strcmp(t->framework, framework) &&
            !strcmp(t->layer_type, layer_type))
            return mo_error_set(err, MO_ERR_PLUGIN, 5,
                                "%s: %s layer type '%s' is already converted by '%s' at the same "
                                "tier and rank %d; give one of them another rank",
                                owner_label(pc->owner), framework, mo_quote(qt, layer_type),
                                rec_owner_label(t->owner), rank);
    }
    free(ctx->tr_sorted);
    ctx->tr_sorted = NULL;
    struct translator_rec *t = mo_vec_push(&ctx->translators, sizeof *t);
    if (!t)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    t->framework = strdup(framework);
    t->layer_type = strdup(layer_type);
    if (!t->framework || !t->layer_type) {
        free(t->framework);
        free(t->layer_type);
        ctx->translators.n--;
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    t->tier = tier;
    t->rank = rank;
    t->fn = fn;
    t->user = user;
    t->owner = pc->owner;
    if (pc->owner)
        pc->owner->n_translators++;
    return MO_OK;
}

enum mo_status mo_register_frontend(struct mo_plugin_ctx *pc, const struct mo_frontend *fe,
                                    struct mo_error *err)
{
    struct mo_context *ctx = pc->ctx;
    if (!fe || fe->struct_size < sizeof(struct mo_frontend) || !fe->name || !fe->load)
        return mo_error_set(err, MO_ERR_PLUGIN, 0, "%s: invalid frontend descriptor",
                            owner_label(pc->owner));
    for (unsigned i = 0; i < ctx->frontends.n; i++)
        if (!strcmp(ctx->frontends.v[i].fe->name, fe->name))
            return mo_error_set(err, MO_ERR_PLUGIN, 5, "%s: a frontend named '%s' is already loaded",
                                owner_label(pc->owner), fe->name);
    struct frontend_rec *r = mo_vec_push(&ctx->frontends, sizeof *r);
    if (!r)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    r->fe = fe;
    r->owner = pc->owner;
    if (pc->owner)
        pc->owner->n_frontends++;
    return MO_OK;
}

enum mo_status mo_register_op(struct mo_plugin_ctx *pc, const struct mo_op_def *def,
                              struct mo_error *err)
{
    struct mo_context *ctx = pc->ctx;
    if (!def || !def->type || !def->opset || def->min_inputs < 0)
        return mo_error_set(err, MO_ERR_PLUGIN, 0, "%s: invalid operation definition",
                            owner_label(pc->owner));
    /* one type may have several standard versions (MaxPool opset1 and
     * opset8); anything else defined twice is a conflict */
    for (unsigned i = 0; i < ctx->ops.n; i++) {
        const struct mo_op_def *d = ctx->ops.v[i].def;
        if (!strcmp(d->type, def->type) &&
            (!is_standard_opset(d->opset) || !is_standard_opset(def->opset) ||
             !strcmp(d->opset, def->opset)))
            return mo_error_set(err, MO_ERR_PLUGIN, 5, "%s: IR operation '%s' is already defined",
                                owner_label(pc->owner), def->type);
    }
    struct op_rec *r = mo_vec_push(&ctx->ops, sizeof *r);
    if (!r)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    r->def = def;
    r->owner = pc->owner;
    if (pc->owner)
        pc->owner->n_ops++;
    return MO_OK;
}

enum mo_status mo_register_replacement(struct mo_plugin_ctx *pc, const struct mo_replacement *rp,
                                       struct mo_error *err)
{
    struct mo_context *ctx = pc->ctx;
    if (!rp || rp->struct_size < sizeof(struct mo_replacement) || !rp->framework || !rp->name ||
        !rp->fn)
        return mo_error_set(err, MO_ERR_PLUGIN, 0, "%s: invalid sub-graph replacement",
                            owner_label(pc->owner));
    struct replacement_rec *r = mo_vec_push(&ctx->replacements, sizeof *r);
    if (!r)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    r->r = rp;
    r->owner = pc->owner;
    if (pc->owner)
        pc->owner->n_replacements++;
    return MO_OK;
}

struct mo_context *mo_plugin_ctx_context(struct mo_plugin_ctx *pc) { return pc->ctx; }

void mo_registry_forget(struct mo_context *ctx, const struct plugin_rec *owner)
{
    free(ctx->tr_sorted);
    ctx->tr_sorted = NULL;
    unsigned k = 0;
    for (unsigned i = 0; i < ctx->translators.n; i++) {
        if (ctx->translators.v[i].owner == owner) {
            free(ctx->translators.v[i].framework);
            free(ctx->translators.v[i].layer_type);
        } else {
            ctx->translators.v[k++] = ctx->translators.v[i];
        }
    }
    ctx->translators.n = k;
#define FORGET(vec)                                   \
    do {                                              \
        unsigned j = 0;                               \
        for (unsigned i = 0; i < (vec).n; i++)        \
            if ((vec).v[i].owner != owner)            \
                (vec).v[j++] = (vec).v[i];            \
        (vec).n = j;                                  \
    } while (0)
    FORGET(ctx->ops);
    FORGET(ctx->frontends);
    FORGET(ctx->replacements);
    FORGET(ctx->cfg_handlers);
#undef FORGET
}

const struct mo_op_def *mo_context_op(const struct mo_context *ctx, const char *type)
{
    for (unsigned i = 0; i < ctx->ops.n; i++)
        if (!strcmp(ctx->ops.v[i].def->type, type))
            return ctx->ops.v[i].def;
    /* "MaxPool-8": the version of MaxPool defined in opset8.  Tried only
     * after the exact name, so a custom type spelt with a dash still wins. */
    const char *dash = strrchr(type, '-');
    if (!dash || dash == type || !dash[1] || strspn(dash + 1, "0123456789") != strlen(dash + 1))
        return NULL;
    size_t tlen = (size_t)(dash - type);
    for (unsigned i = 0; i < ctx->ops.n; i++) {
        const struct mo_op_def *d = ctx->ops.v[i].def;
        if (strlen(d->type) == tlen && !strncmp(d->type, type, tlen) &&
            is_standard_opset(d->opset) && !strcmp(d->opset + 5, dash + 1))
            return d;
    }
    return NULL;
}

static int cmp_candidates(const void *a, const void *b)
{
    const struct translator_rec *x = *(const struct translator_rec *const *)a;
    const struct translator_rec *y = *(const struct translator_rec *const *)b;
    if (x->tier != y->tier)
        return x->tier > y->tier ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank > y->rank ? -1 : 1;
    return strcmp(mo_registry_owner_name(x), mo_registry_owner_name(y));
}

static int cmp_keyed(const void *a, const void *b)
{
    const struct translator_rec *x = *(const struct translator_rec *const *)a;
    const struct translator_rec *y = *(const struct translator_rec *const *)b;
    int c = strcmp(x->framework, y->framework);
    if (!c)
        c = strcmp(x->layer_type, y->layer_type);
    return c ? c : cmp_candidates(a, b);
}

static int cmp_key(const struct translator_rec *t, const char *framework, const char *type)
{
    int c = strcmp(t->framework, framework);
    return c ? c : strcmp(t->layer_type, type);
}

unsigned mo_registry_candidates(const struct mo_context *ctx, const char *framework,
                                const char *type, const struct translator_rec ***out)
{
    /* asked once per framework node: a scan of every frontend's
     * translators was a tenth of converting a 4000-node graph */
    *out = NULL;
    unsigned n = ctx->translators.n;
    if (!n)
        return 0;
    struct mo_context *mut = (struct mo_context *)ctx;   /* a cache, not a change */
    if (!mut->tr_sorted) {
        const struct translator_rec **v = malloc(n * sizeof *v);
        if (!v)
            return 0;
        for (unsigned i = 0; i < n; i++)
            v[i] = &ctx->translators.v[i];
        qsort(v, n, sizeof *v, cmp_keyed);
        mut->tr_sorted = v;
    }
    const struct translator_rec **s = ctx->tr_sorted;
    unsigned lo = 0, hi = n;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (cmp_key(s[mid], framework, type) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    unsigned end = lo;
    while (end < n && !cmp_key(s[end], framework, type))
        end++;
    if (end == lo)
        return 0;
    const struct translator_rec **v = malloc((end - lo) * sizeof *v);
    if (!v)
        return 0;
    memcpy(v, s + lo, (end - lo) * sizeof *v);
    *out = v;
    return end - lo;
}

unsigned mo_context_n_frontends(const struct mo_context *ctx) { return ctx->frontends.n; }

const struct mo_frontend *mo_context_frontend_at(const struct mo_context *ctx, unsigned i)
{
    return i < ctx->frontends.n ? ctx->frontends.v[i].fe : NULL;
}

const struct mo_frontend *mo_context_frontend(const struct mo_context *ctx, const char *name)
{
    for (unsigned i = 0; i < ctx->frontends.n; i++)
        if (!strcmp(ctx->frontends.v[i].fe->name, name))
            return ctx->frontends.v[i].fe;
    return NULL;
}
