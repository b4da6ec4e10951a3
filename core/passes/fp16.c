/* fp16.c - --compress_to_fp16 / --data_type FP16: every f32 constant is
 * stored as f16 and read through a Convert to f32 marked "decompression" in
 * its rt_info, as OpenVINO's own compressed IRs are; inputs, outputs and
 * computation stay f32.  A constant holding a value beyond the f16 range
 * (|v| > 65504) stays f32, and the warning says how many did.  Constants
 * inside the bodies of control-flow nodes are compressed the same way. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "../tensor_private.h"
#include "passes.h"

/* How many f32 values of t lie beyond the f16 range (*over) and how many
 * non-zero ones become 0 (*under): read a chunk at a time (through any
 * lazy scale), pages given back as they pass. */
static enum mo_status count_range(const struct mo_tensor *t, long *over, long *under,
                                  struct mo_error *err)
{
    enum { STEP = 16384 };
    float buf[STEP];
    int64_t n = mo_tensor_numel(t), o = 0, u = 0;
    for (int64_t e = 0; e < n; e += STEP) {
        int64_t m = n - e < STEP ? n - e : STEP;
        enum mo_status rc = mo_tensor_read(t, e, m, buf, err);
        if (rc != MO_OK)
            return rc;
        mo_f16_range_count(buf, m, &o, &u);
        mo_tensor_drop_range(t, e, m);
    }
    *over += (long)o;
    *under += (long)u;
    return MO_OK;
}

/* Store constant c as f16 behind a decompression Convert, unless one of
 * its values is beyond the f16 range. */
static enum mo_status compress(struct mo_graph *g, struct mo_node *c, long *kept, long *overflow,
                               long *underflow, long *done, struct mo_error *err)
{
    /* counted first, read a chunk at a time: the f16 values themselves
     * are computed while the .bin is written */
    long over = 0, under = 0;
    enum mo_status rc = count_range(c->value, &over, &under, err);
    if (rc != MO_OK)
        return rc;
    if (over) {
        ++*kept;
        *overflow += over;
        return MO_OK;
    }
    *underflow += under;
    struct mo_tensor *h = mo_tensor_to_f16(c->value, err);
    if (!h)
        return err && err->code ? err->code : MO_ERR_NOMEM;
    struct mo_node *hc = mo_const(g, mo_graph_printf(g, "%s_compressed", c->name), h, err);
    if (!hc)
        return err ? err->code : MO_ERR_NOMEM;
    hc->origin = c->origin;
    /* the Convert takes over the constant's name, as the runtime's
     * compressed IRs do, so layer names stay stable */
    struct mo_node *cv = mo_op(g, "Convert", c->name, 1, (struct mo_value[]){mo_val(hc, 0)}, err);
    if (!cv || mo_node_set_str(cv, "destination_type", "f32") != MO_OK ||
        mo_node_set_str(cv, "rt:decompression", "") != MO_OK)
        return err && err->code ? err->code : MO_ERR_NOMEM;
    cv->origin = c->origin;
    rc = mo_node_infer(cv, err);
    if (rc != MO_OK)
        return rc;
    mo_pass_replace(g, mo_val(c, 0), mo_val(cv, 0));
    mo_node_kill(c);
    /* the f16 tensor holds its own reference on the f32 one */
    mo_tensor_unref(c->value);
    c->value = NULL;
    ++*done;
    return MO_OK;
}

struct fp16_counts {
    long kept, overflow, underflow, done;
};

/* Compress the constants g reads, then those of its bodies. */
static enum mo_status fp16_graph(struct mo_graph *g, struct fp16_counts *c, struct mo_error *err)
{
    enum mo_status rc = MO_OK;
    unsigned n0 = mo_graph_n_nodes(g);
    /* which nodes are read, found once (asking per constant is quadratic) */
    bool *used = calloc(n0 ? n0 : 1, sizeof *used);
    if (!used)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < n0; i++) {
        struct mo_node *x = mo_graph_node(g, i);
        for (unsigned k = 0; !x->dead && k < x->n_inputs; k++)
            if (x->inputs[k].node->id < n0)
                used[x->inputs[k].node->id] = true;
    }
    for (unsigned i = 0; i < n0 && rc == MO_OK; i++) {
        struct mo_node *x = mo_graph_node(g, i);
        if (!mo_pass_is_const(x) || x->value->et != MO_ET_F32 || !mo_tensor_numel(x->value) || !used[i])
            continue;
        rc = compress(g, x, &c->kept, &c->overflow, &c->underflow, &c->done, err);
    }
    free(used);
    for (unsigned i = 0; i < n0 && rc == MO_OK; i++) {
        struct mo_node *x = mo_graph_node(g, i);
        for (unsigned b = 0; !x->dead && b < x->n_bodies && rc == MO_OK; b++)
            rc = fp16_graph(x->bodies[b]->graph, c, err);
    }
    return rc;
}

enum mo_status mo_pass_fp16(struct mo_context *ctx, struct mo_graph *g, struct mo_pass_stats *st,
                            struct mo_error *err)
{
    enum mo_status rc = mo_pass_ensure_ops(ctx, err);
    if (rc != MO_OK)
        return rc;
    struct fp16_counts c = {0};
    rc = fp16_graph(g, &c, err);
    if (rc != MO_OK)
        return rc;
    long kept = c.kept, overflow = c.overflow, underflow = c.underflow, done = c.done;
    if (st) {
        st->fp16_compressed += done;
        st->fp16_kept_f32 += kept;
        st->fp16_overflow += overflow;
        st->fp16_underflow += underflow;
    }
    mo_pass_stats_add(st, "fp16_compression", "constants_compressed", done);
    mo_pass_stats_add(st, "fp16_compression", "constants_kept_f32", kept);
    if (kept)
        mo_log(ctx, MO_LOG_WARNING,
               "%ld constant(s) hold %ld value(s) beyond the FP16 range (|v| > 65504) and stay FP32 "
               "in the compressed IR", kept, overflow);
    if (underflow)
        mo_log(ctx, MO_LOG_WARNING, "%ld non-zero weight value(s) are too small for FP16 and become 0",
               underflow);
    return MO_OK;
}
