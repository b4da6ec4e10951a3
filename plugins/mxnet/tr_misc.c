/* tr_misc.c - MXNet pass-through ops, Cast, where, take/Embedding,
 * gather_nd, round, zeros_like/ones_like, _arange, shape_array. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "tr_util.h"

/* Dropout and friends only matter for training: the node's output is its
 * input in inference, so no IR node is made at all. */
static enum mo_status tr_identity(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    return mo_build_done(b, mo_build_in(b, 0, NULL));
}

static enum mo_status tr_cast(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    const char *dt = mo_node_get_str(fw, "dtype", NULL);
    if (!dt)
        return mo_build_fail(b, "Cast has no dtype attribute");
    enum mo_etype et = mo_mx_dtype(dt);
    if (et == MO_ET_UNDEFINED)
        return mo_mx_decline(b);
    if (mo_value_et(x) == et)
        return mo_build_done(b, x);
    return mo_build_done(b, mo_build_convert(b, NULL, x, et));
}

/* where(cond, x, y): MXNet takes any non-zero condition as true, and also
 * accepts a 1-D condition that picks whole rows of x. */
static enum mo_status tr_where(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value c = mo_build_in(b, 0, NULL), x = mo_build_in(b, 1, NULL), y = mo_build_in(b, 2, NULL);
    struct mo_shape cs = mo_value_shape(c), xs = mo_value_shape(x);
    enum mo_etype cet = mo_value_et(c);
    if (cs.rank == 1 && xs.rank > 1) {
        if (cs.dims[0] < 0)
            return mo_mx_decline(b);
        int64_t dims[MO_MAX_RANK];
        dims[0] = cs.dims[0];
        for (int i = 1; i < xs.rank; i++)
            dims[i] = 1;
        c = mo_build_reshape(b, "cond_rows", c, dims, xs.rank, false);
    }
    if (cet != MO_ET_BOOLEAN) {
        struct mo_value z = mo_build_scalar(b, "zero", cet, 0.0);
        c = mo_build_op(b, "NotEqual", "cond", 2, c, z);
    }
    return mo_build_done(b, mo_build_op(b, "Select", NULL, 3, c, x, y));
}

/* Integer indices for Gather from MXNet's (usually float, type et) index
 * tensor, clipped to [0, n-1] first as MXNet's clip mode does. */
static struct mo_value int_indices(struct mo_build *b, struct mo_value idx, enum mo_etype et, int64_t n,
                                   bool clip)
{
    if (clip) {
        idx = mo_build_op(b, "Clamp", "clip_indices", 1, idx);
        mo_build_set_float(b, idx, "min", 0.0);
        mo_build_set_float(b, idx, "max", (double)(n - 1));
    }
    if (et != MO_ET_I32 && et != MO_ET_I64)
        idx = mo_build_convert(b, "indices", idx, MO_ET_I32);
    return idx;
}

static enum mo_status tr_take(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value a = mo_build_in(b, 0, NULL), idx = mo_build_in(b, 1, NULL);
    struct mo_shape as = mo_value_shape(a);
    if (as.rank < 1)
        return mo_mx_decline(b);
    int axis;
    if (!mo_mx_axis(b, "axis", mo_node_get_int(fw, "axis", 0, NULL), as.rank, &axis))
        return mo_build_status(b);
    const char *mode = mo_node_get_str(fw, "mode", "clip");
    /* 'raise' only differs from 'clip' for indices that make MXNet fail */
    if ((strcmp(mode, "clip") && strcmp(mode, "raise")) || as.dims[axis] < 0)
        return mo_mx_decline(b);
    idx = int_indices(b, idx, mo_value_et(idx), as.dims[axis], true);
    return mo_build_done(b, mo_build_gather(b, NULL, a, idx, axis));
}

static enum mo_status tr_embedding(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value idx = mo_build_in(b, 0, NULL), w = mo_build_in(b, 1, NULL);
    struct mo_shape ws = mo_value_shape(w);
    int64_t n = mo_node_get_int(fw, "input_dim", ws.rank > 0 ? ws.dims[0] : -1, NULL);
    if (n <= 0)
        return mo_mx_decline(b);
    idx = int_indices(b, idx, mo_value_et(idx), n, true);
    return mo_build_done(b, mo_build_gather(b, NULL, w, idx, 0));
}

/* MXNet's gather_nd indexes with the first axis of `indices` (M, ...); the
 * IR's GatherND with the last (..., M). */
static enum mo_status tr_gather_nd(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value d = mo_build_in(b, 0, NULL), idx = mo_build_in(b, 1, NULL);
    int rank = mo_value_shape(idx).rank;
    if (rank < 1)
        return mo_mx_decline(b);
    idx = int_indices(b, idx, mo_value_et(idx), 0, false);
    if (rank > 1) {
        int64_t perm[MO_MAX_RANK];
        for (int i = 0; i < rank - 1; i++)
            perm[i] = i + 1;
        perm[rank - 1] = 0;
        idx = mo_build_transpose(b, "indices_last", idx, perm, rank);
    }
    struct mo_value g = mo_build_op(b, "GatherND", NULL, 2, d, idx);
    return mo_build_done(b, mo_build_set_int(b, g, "batch_dims", 0));
}

/* MXNet's round goes half away from zero; rint to the even neighbour. */
static enum mo_status tr_round(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    (void)user;
    const char *mode = strcmp(fw->type, "rint") ? "half_away_from_zero" : "half_to_even";
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    return mo_build_done(b, mo_build_set_str(b, mo_build_op(b, "Round", NULL, 1, x), "mode", mode));
}

/* zeros_like and ones_like: the value broadcast to x's shape, which is a
 * Const when static (it folds away), else ShapeOf. */
static enum mo_status tr_fill_like(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    (void)user;
    double v = strcmp(fw->type, "ones_like") ? 0.0 : 1.0;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    struct mo_value c = mo_build_scalar(b, "value", mo_value_et(x), v);
    struct mo_shape s;
    struct mo_value shape = mo_value_static(x, &s) ? mo_build_i64(b, "shape", s.dims, (size_t)s.rank)
                                                   : mo_build_shape_of(b, "shape", x, MO_ET_I64);
    struct mo_value r = mo_build_op(b, "Broadcast", NULL, 2, c, shape);
    return mo_build_done(b, mo_build_set_str(b, r, "mode", "numpy"));
}

/* _arange has no inputs: its values are known now, so it is a Const. */
static enum mo_status tr_arange(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    (void)user;
    if (mo_node_get_bool(fw, "infer_range", false, NULL))
        return MO_ERR_DECLINED;
    struct mo_build *b = mo_build_begin(t, fw, err);
    bool ok = true;
    double start = mo_node_get_float(fw, "start", 0.0, &ok);
    double step = mo_node_get_float(fw, "step", 1.0, &ok);
    int64_t repeat = mo_node_get_int(fw, "repeat", 1, &ok);
    double stop = start;
    if (mo_mx_attr_none(fw, "stop"))
        start = 0.0;
    else
        stop = mo_node_get_float(fw, "stop", 0.0, &ok);
    if (!ok || step == 0.0 || repeat < 1)
        return mo_build_fail(b, "bad start/stop/step/repeat attributes");
    enum mo_etype et = mo_mx_dtype(mo_node_get_str(fw, "dtype", "float32"));
    if (et == MO_ET_UNDEFINED)
        return MO_ERR_DECLINED;
    double span = ceil((stop - start) / step);
    int64_t n = span > 0 ? (int64_t)span : 0;
    struct mo_shape s = mo_shape_of(n * repeat);
    struct mo_tensor *v = mo_tensor_new(et, &s, err);
    for (int64_t i = 0; v && i < n * repeat; i++) {
        /* MXNet computes in the output type; float32 keeps its rounding */
        double x = start + (double)(i / repeat) * step;
        mo_tensor_set_f64(v, i, et == MO_ET_F32 ? (double)(float)x : x);
    }
    return mo_build_done(b, mo_build_tensor(b, "values", v));
}

static enum mo_status tr_shape_array(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                     struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    return mo_build_done(b, mo_build_shape_of(b, NULL, x, MO_ET_I64));
}

MO_MX_TABLE(mo_mx_tr_misc,
            {"Dropout", tr_identity},
            {"_copy", tr_identity},
            {"BlockGrad", tr_identity},
            {"identity", tr_identity},
            {"stop_gradient", tr_identity},
            {"make_loss", tr_identity},
            {"MakeLoss", tr_identity},
            {"Cast", tr_cast},
            {"cast", tr_cast},
            {"where", tr_where},
            {"take", tr_take},
            {"Embedding", tr_embedding},
            {"gather_nd", tr_gather_nd},
            {"round", tr_round},
            {"rint", tr_round},
            {"zeros_like", tr_fill_like},
            {"ones_like", tr_fill_like},
            {"_arange", tr_arange},
            {"shape_array", tr_shape_array});
