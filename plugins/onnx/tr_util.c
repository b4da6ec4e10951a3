/* tr_util.c - ONNX conventions the translators share: axes, attributes an
 * op moved to inputs in later opsets, padding. */
#include <config.h>

#include <inttypes.h>
#include <string.h>

#include "onnx.h"

int64_t mo_ox_axis(struct mo_build *b, int64_t a, int rank, const char *what)
{
    if (rank < 0)
        return a;
    int64_t r = a < 0 ? a + rank : a;
    if (r < 0 || r >= (rank ? rank : 1)) {
        mo_build_fail(b, "%s %" PRId64 " is out of range for a rank-%d input", what, a, rank);
        return 0;
    }
    return r;
}

bool mo_ox_has_in(struct mo_build *b, unsigned i)
{
    const struct mo_node *fw = mo_build_fw(b);
    return fw && i < fw->n_inputs && fw->inputs[i].node;
}

int mo_ox_const_ints(struct mo_build *b, unsigned i, int64_t *out, int max)
{
    if (!mo_ox_has_in(b, i))
        return -1;
    struct mo_value v = mo_build_in(b, i, NULL);
    struct mo_tensor *t = mo_value_const(v);
    if (!t)
        return -2;
    int64_t n = mo_tensor_numel(t);
    for (int64_t k = 0; k < n && k < max; k++)
        out[k] = mo_tensor_get_i64(t, k);
    return (int)(n < max ? n : max);
}

int mo_ox_ints_attr_or_in(struct mo_build *b, const char *name, unsigned i, int64_t *out, int max)
{
    const struct mo_node *fw = mo_build_fw(b);
    if (!fw)
        return -1;
    if (mo_node_attr(fw, name))
        return mo_node_get_ints(fw, name, out, max);
    int n = mo_ox_const_ints(b, i, out, max);
    if (n == -2) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "input %u (%s) is computed in the graph; only a constant "
                       "%s can be converted", i, name, name);
        return -1;
    }
    return n;
}

struct mo_value mo_ox_set_pads(struct mo_build *b, struct mo_value v, int sp)
{
    const struct mo_node *fw = mo_build_fw(b);
    int64_t pads[2 * MO_MAX_RANK] = {0}, pb[MO_MAX_RANK] = {0}, pe[MO_MAX_RANK] = {0};
    if (!fw || sp < 0 || sp > MO_MAX_RANK)
        return mo_build_fail(b, "cannot pad a rank-%d input", sp + 2), MO_NO_VALUE;
    const char *ap = mo_node_get_str(fw, "auto_pad", "NOTSET");
    int n = mo_node_get_ints(fw, "pads", pads, 2 * MO_MAX_RANK);
    if (n > 0 && n != 2 * sp)
        return mo_build_fail(b, "pads has %d values for %d spatial dims (needs %d)", n, sp, 2 * sp),
               MO_NO_VALUE;
    for (int i = 0; n > 0 && i < sp; i++) {
        pb[i] = pads[i];
        pe[i] = pads[sp + i];
    }
    const char *irpad = !strcmp(ap, "SAME_UPPER") ? "same_upper"
                        : !strcmp(ap, "SAME_LOWER") ? "same_lower"
                        : !strcmp(ap, "VALID")      ? "valid"
                                                    : "explicit";
    if (strcmp(ap, "NOTSET") && strcmp(irpad, "explicit") == 0)
        return mo_build_fail(b, "auto_pad '%s' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID", ap),
               MO_NO_VALUE;
    if (strcmp(irpad, "explicit"))
        memset(pb, 0, sizeof pb), memset(pe, 0, sizeof pe);
    mo_build_set_ints(b, v, "pads_begin", pb, (size_t)sp);
    mo_build_set_ints(b, v, "pads_end", pe, (size_t)sp);
    return mo_build_set_str(b, v, "auto_pad", irpad);
}

struct mo_value mo_ox_per_channel(struct mo_build *b, const char *suffix, struct mo_value v, int rank)
{
    struct mo_shape vs = mo_value_shape(v);
    if (vs.rank == 0 || (vs.rank == 1 && vs.dims[0] == 1) || rank < 2 || rank > MO_MAX_RANK)
        return v;
    int64_t d[MO_MAX_RANK];
    for (int i = 0; i < rank; i++)
        d[i] = i == 1 ? -1 : 1;
    if (mo_value_const(v) && vs.rank == 1) {
        d[1] = vs.dims[0];
        struct mo_shape ns = mo_shape_make(rank, d);
        return mo_build_reshape_value(b, suffix, v, &ns);
    }
    return mo_build_reshape(b, suffix, v, d, rank, false);
}

/* --- helpers added for the shape, gather, misc and eltwise families ---- */

struct mo_value mo_ox_in_i64(struct mo_build *b, unsigned i, const char *what)
{
    struct mo_value v = mo_build_in(b, i, what);
    if (!mo_build_ok(b) || mo_value_et(v) == MO_ET_I64)
        return v;
    return mo_build_convert(b, mo_graph_printf(mo_build_graph(b), "%s_i64", what), v, MO_ET_I64);
}

struct mo_value mo_ox_scalar_of(struct mo_build *b, const char *suffix, struct mo_value v)
{
    if (!mo_build_ok(b) || mo_value_shape(v).rank == 0)
        return v;
    return mo_build_reshape(b, suffix, v, NULL, 0, false);
}
