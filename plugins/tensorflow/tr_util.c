/* tr_util.c - TensorFlow's conventions shared by the translators: data
 * formats, constant inputs, axes. */
#include <config.h>

#include <string.h>

#include "tf.h"

bool mo_tf_nhwc(struct mo_build *b)
{
    const char *df = mo_node_get_str(mo_build_fw(b), "data_format", "NHWC");
    if (!strcmp(df, "NHWC") || !strcmp(df, "NDHWC") || !strcmp(df, "NWC"))
        return true;
    if (!strcmp(df, "NCHW") || !strcmp(df, "NCDHW") || !strcmp(df, "NCW"))
        return false;
    mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "data_format '%s' is not supported", df);
    return false;
}

struct mo_value mo_tf_in_nchw(struct mo_build *b, unsigned i, const char *what, int rank)
{
    struct mo_value x = mo_build_in(b, i, what);
    return mo_build_ok(b) && mo_tf_nhwc(b) ? mo_build_to_nchw(b, NULL, x, rank) : x;
}

enum mo_status mo_tf_out_nhwc(struct mo_build *b, struct mo_value y, int rank)
{
    if (mo_build_ok(b) && mo_tf_nhwc(b))
        y = mo_build_to_nhwc(b, NULL, y, rank);
    return mo_build_done(b, y);
}

int mo_tf_const_ints(struct mo_build *b, unsigned i, int64_t *out, int max)
{
    struct mo_value v = mo_build_in_opt(b, i);
    if (!v.node)
        return -1;
    struct mo_tensor *t = mo_value_const(v);
    if (!t)
        return -2;
    int64_t n = mo_tensor_numel(t);
    if (n > max) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "input %u holds %lld values (at most %d are supported)", i,
                       (long long)n, max);
        return -2;
    }
    for (int64_t k = 0; k < n; k++)
        out[k] = mo_tensor_get_i64(t, k);
    return (int)n;
}

int64_t mo_tf_axis(struct mo_build *b, int64_t a, int rank)
{
    if (rank < 0)
        return a;
    if (a < -rank || a >= rank) {
        mo_build_fail(b, "axis %lld is out of range for rank %d", (long long)a, rank);
        return 0;
    }
    return a < 0 ? a + rank : a;
}

void mo_tf_spatial(struct mo_build *b, const char *name, int rank, int64_t *out)
{
    int64_t v[MO_MAX_RANK];
    int nsp = rank - 2;
    int n = mo_node_get_ints(mo_build_fw(b), name, v, MO_MAX_RANK);
    bool last = mo_tf_nhwc(b);
    for (int i = 0; i < nsp; i++)
        out[i] = 1;
    if (n <= 0)
        return;
    if (n != rank) {
        mo_build_fail(b, "%s has %d values for a rank-%d input", name, n, rank);
        return;
    }
    for (int i = 0; i < nsp; i++)
        out[i] = v[last ? 1 + i : 2 + i];
}

struct mo_value mo_tf_in_i64(struct mo_build *b, unsigned i, const char *what)
{
    struct mo_value v = mo_build_in(b, i, what);
    if (mo_build_ok(b) && mo_value_et(v) != MO_ET_I64)
        v = mo_build_convert(b, mo_build_name(b, what) ? what : NULL, v, MO_ET_I64);
    return v;
}
