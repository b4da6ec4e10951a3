/* fp16.c - --compress_to_fp16 / --data_type FP16: every f32 constant is
 * stored as f16 and read through a Convert to f32 marked "decompression" in
 * its rt_info, as OpenVINO's own compressed IRs are; inputs, outputs and
 * computation stay f32.  A constant holding a value beyond the f16 range
 * (|v| > 65504) stays f32, and the warning says how many did. */
#include <config.h>

#include <math.h>
#include <string.h>

#include <mo/mo.h>

#include "passes.h"

#define F16_MAX 65504.0

enum mo_status mo_pass_fp16(struct mo_context *ctx, struct mo_graph *g, struct mo_pass_stats *st,
                            struct mo_error *err)
{
    enum mo_status rc = mo_pass_ensure_ops(ctx, err);
    if (rc != MO_OK)
        return rc;
    long kept = 0, overflow = 0, underflow = 0, done = 0;
    unsigned n0 = mo_graph_n_nodes(g);
    for (unsigned i = 0; i < n0; i++) {
        struct mo_node *c = mo_graph_node(g, i);
        if (!mo_pass_is_const(c) || c->value->et != MO_ET_F32 || !mo_tensor_numel(c->value))
            continue;
        if (!mo_pass_n_uses(g, mo_val(c, 0)))
            continue;
        const struct mo_tensor *t = c->value;
        int64_t n = mo_tensor_numel(t);
        /* one pass that converts and counts, straight on the f32 bytes */
        struct mo_tensor *h = mo_tensor_new(MO_ET_F16, &t->shape, err);
        if (!h)
            return err ? err->code : MO_ERR_NOMEM;
        uint16_t *hp = h->owned;
        long over = 0, under = 0;
        for (int64_t k = 0; k < n; k++) {
            float v;
            memcpy(&v, (const char *)t->data + k * 4, 4);
            if (isfinite(v) && fabsf(v) > F16_MAX)
                over++;
            hp[k] = mo_f32_to_f16(v);
            if (v != 0 && (hp[k] & 0x7fff) == 0)
                under++;
        }
        if (over) {
            mo_tensor_unref(h);
            kept++;
            overflow += over;
            continue;
        }
        underflow += under;
        mo_tensor_drop_pages(t);
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
        /* nothing reads a dead constant: free its f32 bytes now, so the
         * f16 copies do not pile up on top of them */
        mo_tensor_unref(c->value);
        c->value = NULL;
        done++;
    }
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
