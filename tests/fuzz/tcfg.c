/* tcfg.c - fuzz harness: transformations configs (core/tcfg_read.c,
 * tcfg_match.c, tcfg_run.c).
 *
 * Input: the JSON text.  It is parsed from memory; every entry that parses
 * is then matched against a small framework graph built afresh for it
 *     x (Parameter) -> blk/a (Relu) -> blk/b (Mul, also reads x) -> blk/in/c (Sigmoid)
 *       -> out (Add of blk/in/c and k (Const)), graph output out
 * and each instance found is replaced by one node, as a handler would;
 * scope entries also derive their inputs/outputs as the update mode does.
 * Last, the same bytes go through mo_context_load_transformations (from an
 * in-memory file) with a stand-in frontend, to cover the registration of
 * new ops and its rollback. */
#include <config.h>

#include <mo/mo.h>

#include "context_private.h"
#include "fuzz.h"
#include "tcfg.h"

static struct mo_node *node(struct mo_graph *g, const char *type, const char *name, unsigned n,
                            struct mo_node *a, struct mo_node *b)
{
    struct mo_node *x = mo_graph_add_node(g, type, name, n, 1);
    if (x && n > 0)
        mo_node_set_input(x, 0, mo_val(a, 0));
    if (x && n > 1)
        mo_node_set_input(x, 1, mo_val(b, 0));
    return x;
}

static struct mo_graph *small_graph(void)
{
    struct mo_graph *g = mo_graph_new(NULL);
    if (!g)
        return NULL;
    struct mo_node *x = node(g, "Parameter", "x", 0, NULL, NULL);
    struct mo_node *a = x ? node(g, "Relu", "blk/a", 1, x, NULL) : NULL;
    struct mo_node *b = a ? node(g, "Mul", "blk/b", 2, a, x) : NULL;
    struct mo_node *c = b ? node(g, "Sigmoid", "blk/in/c", 1, b, NULL) : NULL;
    struct mo_node *k = c ? node(g, "Const", "k", 0, NULL, NULL) : NULL;
    struct mo_node *o = k ? node(g, "Add", "out", 2, c, k) : NULL;
    if (!o) {
        mo_graph_free(g);
        return NULL;
    }
    mo_graph_add_output(g, mo_val(o, 0));
    return g;
}

static enum mo_status replace(const struct mo_cfg_match *m, void *user, struct mo_error *err)
{
    struct mo_graph *g = user;
    (void)mo_cfg_match_attr(m, "type");
    /* a failed replacement is an answer too: the next instance still runs */
    if (!mo_cfg_replace_with_node(g, m, "Fuzzed", NULL, err))
        *err = (struct mo_error){0};
    return MO_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mo_error err = {0};
    struct mo_tcfg *c = NULL;
    if (mo_tcfg_parse("fuzz.json", (const char *)data, size, &c, &err) == MO_OK) {
        for (unsigned i = 0; i < c->n; i++) {
            struct mo_graph *g = small_graph();
            if (!g)
                break;
            mo_tcfg_match(c, &c->v[i], g, replace, g, NULL, &err);
            mo_graph_free(g);
            if (c->v[i].kind == TCFG_SCOPE && (g = small_graph()) != NULL) {
                json_t *in = NULL, *out = NULL;
                if (mo_tcfg_derive_io(&c->v[i], g, &in, &out, &err) == MO_OK) {
                    json_decref(in);
                    json_decref(out);
                }
                mo_graph_free(g);
            }
        }
        mo_tcfg_free(c);
    }
    struct mo_fuzz_file f;
    if (mo_fuzz_file_open(&f, data, size) != 0)
        return 0;
    struct mo_context *ctx = mo_context_new();
    if (ctx) {
        mo_context_set_silent(ctx, true);
        if (mo_fuzz_add_frontend(ctx, &err) == MO_OK)
            mo_context_load_transformations(ctx, f.path, &err);
    }
    mo_context_free(ctx);
    mo_fuzz_file_close(&f);
    return 0;
}
