/* tr_shape.c - Reshape, Flatten, Transpose, Concat, Shape. */
#include <config.h>

#include <string.h>

#include "onnx.h"

/* Reshape: the shape as an attribute (opset 1-4) or an input (5+); 0
 * copies the input dim unless allowzero (14+) says it is a real 0. */
static enum mo_status tr_reshape(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    bool allowzero = mo_node_get_int(fw, "allowzero", 0, NULL) != 0;
    if (user) {
        int64_t d[MO_MAX_RANK];
        int n = mo_node_get_ints(fw, "shape", d, MO_MAX_RANK);
        if (n < 0)
            return mo_build_fail(b, "the shape attribute is missing");
        return mo_build_done(b, mo_build_reshape(b, NULL, x, d, n, true));
    }
    struct mo_value s = mo_build_in(b, 1, "shape");
    return mo_build_done(b, mo_build_reshape_to(b, NULL, x, s, !allowzero));
}

/* Flatten at axis: [prod(dims before), prod(dims from)]. */
static enum mo_status tr_flatten(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_shape s = mo_value_shape(x);
    int64_t axis = mo_node_get_int(fw, "axis", 1, NULL);
    if (axis < 0)
        axis += s.rank;
    if (mo_build_ok(b) && (s.rank < 0 || axis < 0 || axis > s.rank))
        return mo_build_fail(b, "axis %lld does not fit an input of rank %d", (long long)axis, s.rank);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int64_t lead = 1, rest = 1;
    bool lead_static = true, rest_static = true;
    for (int i = 0; i < s.rank; i++) {
        bool st = s.dims[i] >= 0;
        if (i < axis) {
            lead_static &= st;
            lead *= st ? s.dims[i] : 1;
        } else {
            rest_static &= st;
            rest *= st ? s.dims[i] : 1;
        }
    }
    if (lead_static || rest_static) {
        int64_t d[2] = {lead_static ? lead : -1, rest_static ? rest : -1};
        if (axis == 1 && !lead_static)
            d[0] = 0;      /* keeps a dynamic batch as it is */
        return mo_build_done(b, mo_build_reshape(b, NULL, x, d, 2, axis == 1 && !lead_static));
    }
    struct mo_value shape = mo_build_shape_of(b, "shape", x, MO_ET_I64);
    struct mo_value head = mo_build_slice(b, "head", shape, (int64_t[]){0}, (int64_t[]){axis}, (int64_t[]){1},
                                          (int64_t[]){0}, 1);
    struct mo_value zero = mo_build_i64(b, "axis0", (int64_t[]){0}, 1);
    struct mo_value n = mo_build_op(b, "ReduceProd", "lead", 2, head, zero);
    mo_build_set_bool(b, n, "keep_dims", true);
    struct mo_value m1 = mo_build_i64(b, "rest", (int64_t[]){-1}, 1);
    struct mo_value target = mo_build_concat(b, "target", 0, 2, (struct mo_value[]){n, m1});
    return mo_build_done(b, mo_build_reshape_to(b, NULL, x, target, false));
}

static enum mo_status tr_transpose(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int r = mo_value_shape(x).rank;
    int64_t p[MO_MAX_RANK];
    int n = mo_node_get_ints(fw, "perm", p, MO_MAX_RANK);
    if (n < 0) {
        if (r < 0)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "Transpose without perm needs a known rank");
        for (int i = 0; i < r; i++)
            p[i] = r - 1 - i;
        n = r;
    }
    return mo_build_done(b, mo_build_transpose(b, NULL, x, p, n));
}

static enum mo_status tr_concat(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    unsigned n = fw->n_inputs;
    struct mo_value *in = mo_graph_alloc(mo_build_graph(b), (n ? n : 1) * sizeof *in);
    if (!in && mo_build_ok(b))
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    unsigned k = 0;
    for (unsigned i = 0; i < n && in; i++)
        if (fw->inputs[i].node)
            in[k++] = mo_build_in(b, i, NULL);
    if (!k)
        return mo_build_fail(b, "Concat has no inputs");
    int r = mo_value_shape(in[0]).rank;
    int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", 1, NULL), r, "axis");
    return mo_build_done(b, mo_build_concat(b, NULL, axis, k, in));
}

/* Shape, with start/end (15+) slicing the result. */
static enum mo_status tr_shape(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int r = mo_value_shape(x).rank;
    bool sliced = mo_node_attr(fw, "start") || mo_node_attr(fw, "end");
    struct mo_value s = mo_build_shape_of(b, sliced ? "full" : NULL, x, MO_ET_I64);
    if (!sliced)
        return mo_build_done(b, s);
    int64_t st = mo_node_get_int(fw, "start", 0, NULL), en = mo_node_get_int(fw, "end", INT64_MAX, NULL);
    if (r >= 0) {   /* clamp as ONNX does: out-of-range bounds are not errors */
        st = st < 0 ? (st + r < 0 ? 0 : st + r) : (st > r ? r : st);
        en = en < 0 ? (en + r < 0 ? 0 : en + r) : (en > r ? r : en);
    }
    return mo_build_done(b, mo_build_slice(b, NULL, s, &st, &en, (int64_t[]){1}, (int64_t[]){0}, 1));
}

MO_OX_TABLE(mo_ox_tr_shape,
    {"Reshape", 1, tr_reshape, "attribute"},
    {"Reshape", 5, tr_reshape, NULL},
    {"Flatten", 1, tr_flatten, NULL},
    {"Transpose", 1, tr_transpose, NULL},
    {"Concat", 1, tr_concat, NULL},
    {"Shape", 1, tr_shape, NULL},
)
