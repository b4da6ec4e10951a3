/* tr_util.c - helpers the Caffe translators share. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "caffe.h"

/* Blobs are the only Consts of a Caffe graph, and follow the bottoms. */
unsigned mo_cf_n_bottoms(const struct mo_node *fw)
{
    unsigned n = 0;
    while (n < fw->n_inputs && !(fw->inputs[n].node && !strcmp(fw->inputs[n].node->type, "Const")))
        n++;
    return n;
}

unsigned mo_cf_n_blobs(const struct mo_node *fw)
{
    return fw->n_inputs - mo_cf_n_bottoms(fw);
}

struct mo_value mo_cf_blob(struct mo_build *b, unsigned k, const char *what)
{
    const struct mo_node *fw = mo_build_fw(b);
    if (!fw)
        return MO_NO_VALUE;
    if (k >= mo_cf_n_blobs(fw)) {
        mo_build_error(b, MO_ERR_FORMAT, 2,
                       "has no blob %u (%s): the caffemodel has %u for it; a layer takes its blobs from the "
                       "caffemodel layer of the same name",
                       k, what, mo_cf_n_blobs(fw));
        return MO_NO_VALUE;
    }
    return mo_build_in(b, mo_cf_n_bottoms(fw) + k, what);
}

int mo_cf_axis(struct mo_build *b, int64_t a, int rank)
{
    if (rank < 0) {
        if (a < 0)
            mo_build_error(b, MO_ERR_SHAPE, 0, "axis %lld needs the input's rank; give --input_shape", (long long)a);
        return (int)a;
    }
    if (a < -rank || a >= rank) {
        mo_build_fail(b, "axis %lld is out of range for a rank-%d input", (long long)a, rank);
        return 0;
    }
    return (int)(a < 0 ? a + rank : a);
}

void mo_cf_spatial(struct mo_build *b, const char *list, const char *hw, int nsp, int64_t dflt, int64_t *out)
{
    const struct mo_node *fw = mo_build_fw(b);
    int64_t v[MO_MAX_RANK];
    int n = fw ? mo_node_get_ints(fw, list, v, MO_MAX_RANK) : -1;
    if (n > 0) {
        if (n != 1 && n != nsp) {
            mo_build_fail(b, "%s has %d values for %d spatial axes", list, n, nsp);
            return;
        }
        for (int i = 0; i < nsp; i++)
            out[i] = v[n == 1 ? 0 : i];
        return;
    }
    for (int i = 0; i < nsp; i++)
        out[i] = dflt;
    if (nsp == 2 && fw) {
        char h[64], w[64];
        snprintf(h, sizeof h, "%s_h", hw);
        snprintf(w, sizeof w, "%s_w", hw);
        out[0] = mo_node_get_int(fw, h, dflt, NULL);
        out[1] = mo_node_get_int(fw, w, dflt, NULL);
    }
}

int64_t mo_cf_prod(struct mo_build *b, const struct mo_shape *s, int from, int to)
{
    int64_t p = 1;
    for (int i = from; i < to; i++)
        if (s->dims[i] < 0 || __builtin_mul_overflow(p, s->dims[i], &p)) {
            mo_build_fail(b, "the input's dims %d..%d do not multiply within 64 bits", from, to - 1);
            return 0;
        }
    return p;
}

struct mo_value mo_cf_along(struct mo_build *b, const char *suffix, struct mo_value v, int axis, int rank)
{
    struct mo_shape vs = mo_value_shape(v);
    if (!mo_build_ok(b))
        return MO_NO_VALUE;
    if (vs.rank < 0 || rank < 0 || axis + vs.rank > rank) {
        mo_build_fail(b, "a parameter of rank %d does not fit axis %d of a rank-%d input", vs.rank, axis, rank);
        return MO_NO_VALUE;
    }
    struct mo_shape sh;
    sh.rank = rank;
    for (int i = 0; i < rank; i++)
        sh.dims[i] = i >= axis && i < axis + vs.rank ? vs.dims[i - axis] : 1;
    return mo_build_reshape_value(b, suffix, v, &sh);
}
