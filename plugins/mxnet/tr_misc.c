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
    struct mo_value x;
    enum mo_status st = mo_mx_input(t, fw, 0, &x, err);
    if (st != MO_OK)
        return st;
    return mo_tctx_set_output(t, 0, x, err);
}

static enum mo_status tr_cast(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    (void)user;
    struct mo_value x;
    enum mo_status st = mo_mx_input(t, fw, 0, &x, err);
    if (st != MO_OK)
        return st;
    const char *dt = mo_node_get_str(fw, "dtype", NULL);
    if (!dt)
        return mo_mx_bad(err, "Cast has no dtype attribute");
    enum mo_etype et = mo_mx_dtype(dt);
    if (et == MO_ET_UNDEFINED)
        return MO_ERR_DECLINED;
    if (mo_mx_in_et(t, 0) == et)
        return mo_tctx_set_output(t, 0, x, err);
    struct mo_node *c = mo_mx_convert(t, NULL, x, et, err);
    return mo_mx_done(t, c, err);
}

/* where(cond, x, y): MXNet takes any non-zero condition as true, and also
 * accepts a 1-D condition that picks whole rows of x. */
static enum mo_status tr_where(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    (void)user;
    struct mo_value c, x, y;
    enum mo_status st;
    if ((st = mo_mx_input(t, fw, 0, &c, err)) || (st = mo_mx_input(t, fw, 1, &x, err)) ||
        (st = mo_mx_input(t, fw, 2, &y, err)))
        return st;
    struct mo_shape cs = mo_mx_in_shape(t, 0), xs = mo_mx_in_shape(t, 1);
    if (cs.rank == 1 && xs.rank > 1) {
        int64_t dims[MO_MAX_RANK];
        dims[0] = cs.dims[0];
        for (int i = 1; i < xs.rank; i++)
            dims[i] = 1;
        if (cs.dims[0] < 0)
            return MO_ERR_DECLINED;
        struct mo_node *r = mo_mx_reshape(t, fw, "cond_rows", c, dims, xs.rank, err);
        if (!r)
            return mo_mx_status(err);
        c = mo_val(r, 0);
    }
    if (mo_mx_in_et(t, 0) != MO_ET_BOOLEAN) {
        struct mo_node *z = mo_mx_scalar(t, fw, "zero", mo_mx_in_et(t, 0), 0.0, err);
        struct mo_node *ne = z ? mo_mx_op(t, "NotEqual", "cond", err, 2, c, mo_val(z, 0)) : NULL;
        if (!ne)
            return mo_mx_status(err);
        c = mo_val(ne, 0);
    }
    struct mo_node *s = mo_mx_op(t, "Select", NULL, err, 3, c, x, y);
    return mo_mx_done(t, s, err);
}

/* Integer indices for Gather from MXNet's (usually float) index tensor,
 * clipped to [0, n-1] first as MXNet's clip mode does. */
static enum mo_status clipped_indices(struct mo_tctx *t, unsigned in, int64_t n, bool clip,
                                      struct mo_value *idx, struct mo_error *err)
{
    if (clip) {
        struct mo_node *cl = mo_mx_op(t, "Clamp", "clip_indices", err, 1, *idx);
        if (!cl)
            return mo_mx_status(err);
        if (mo_node_set_float(cl, "min", 0.0) || mo_node_set_float(cl, "max", (double)(n - 1)))
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        *idx = mo_val(cl, 0);
    }
    enum mo_etype et = mo_mx_in_et(t, in);
    if (et != MO_ET_I32 && et != MO_ET_I64) {
        struct mo_node *cv = mo_mx_convert(t, "indices", *idx, MO_ET_I32, err);
        if (!cv)
            return mo_mx_status(err);
        *idx = mo_val(cv, 0);
    }
    return MO_OK;
}

static enum mo_status gather(struct mo_tctx *t, const struct mo_node *fw, struct mo_value data,
                             struct mo_value idx, int axis, struct mo_error *err)
{
    struct mo_node *ax = mo_mx_scalar_i64(t, fw, "axis", axis, err);
    struct mo_node *g = ax ? mo_mx_op(t, "Gather", NULL, err, 3, data, idx, mo_val(ax, 0)) : NULL;
    if (!g)
        return mo_mx_status(err);
    if (mo_node_set_int(g, "batch_dims", 0))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return mo_tctx_set_output(t, 0, mo_val(g, 0), err);
}

static enum mo_status tr_take(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    (void)user;
    struct mo_value a, idx;
    enum mo_status st;
    if ((st = mo_mx_input(t, fw, 0, &a, err)) || (st = mo_mx_input(t, fw, 1, &idx, err)))
        return st;
    struct mo_shape as = mo_mx_in_shape(t, 0);
    if (as.rank < 1)
        return MO_ERR_DECLINED;
    int axis;
    if ((st = mo_mx_axis_err("axis", mo_node_get_int(fw, "axis", 0, NULL), as.rank, &axis, err)))
        return st;
    const char *mode = mo_node_get_str(fw, "mode", "clip");
    /* 'raise' only differs from 'clip' for indices that make MXNet fail */
    if (strcmp(mode, "clip") && strcmp(mode, "raise"))
        return MO_ERR_DECLINED;
    if (as.dims[axis] < 0)
        return MO_ERR_DECLINED;
    if ((st = clipped_indices(t, 1, as.dims[axis], true, &idx, err)))
        return st;
    return gather(t, fw, a, idx, axis, err);
}

static enum mo_status tr_embedding(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    (void)user;
    struct mo_value idx, w;
    enum mo_status st;
    if ((st = mo_mx_input(t, fw, 0, &idx, err)) || (st = mo_mx_input(t, fw, 1, &w, err)))
        return st;
    struct mo_shape ws = mo_mx_in_shape(t, 1);
    int64_t n = mo_node_get_int(fw, "input_dim", ws.rank > 0 ? ws.dims[0] : -1, NULL);
    if (n <= 0)
        return MO_ERR_DECLINED;
    if ((st = clipped_indices(t, 0, n, true, &idx, err)))
        return st;
    return gather(t, fw, w, idx, 0, err);
}

/* MXNet's gather_nd indexes with the first axis of `indices` (M, ...); the
 * IR's GatherND with the last (..., M). */
static enum mo_status tr_gather_nd(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    (void)user;
    struct mo_value d, idx;
    enum mo_status st;
    if ((st = mo_mx_input(t, fw, 0, &d, err)) || (st = mo_mx_input(t, fw, 1, &idx, err)))
        return st;
    struct mo_shape is = mo_mx_in_shape(t, 1);
    if (is.rank < 1)
        return MO_ERR_DECLINED;
    if ((st = clipped_indices(t, 1, 0, false, &idx, err)))
        return st;
    if (is.rank > 1) {
        int64_t perm[MO_MAX_RANK];
        for (int i = 0; i < is.rank - 1; i++)
            perm[i] = i + 1;
        perm[is.rank - 1] = 0;
        struct mo_node *tr = mo_mx_transpose(t, fw, "indices_last", idx, perm, is.rank, err);
        if (!tr)
            return mo_mx_status(err);
        idx = mo_val(tr, 0);
    }
    struct mo_node *g = mo_mx_op(t, "GatherND", NULL, err, 2, d, idx);
    if (!g)
        return mo_mx_status(err);
    if (mo_node_set_int(g, "batch_dims", 0))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return mo_tctx_set_output(t, 0, mo_val(g, 0), err);
}

static enum mo_status round_mode(struct mo_tctx *t, const struct mo_node *fw, const char *mode,
                                 struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_mx_input(t, fw, 0, &x, err);
    if (st != MO_OK)
        return st;
    struct mo_node *r = mo_mx_op(t, "Round", NULL, err, 1, x);
    if (!r)
        return mo_mx_status(err);
    if (mo_node_set_str(r, "mode", mode))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return mo_tctx_set_output(t, 0, mo_val(r, 0), err);
}

/* MXNet's round goes half away from zero; rint to the even neighbour. */
static enum mo_status tr_round(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    (void)user;
    return round_mode(t, fw, "half_away_from_zero", err);
}

static enum mo_status tr_rint(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    (void)user;
    return round_mode(t, fw, "half_to_even", err);
}

/* The target shape of x: a Const when static (folds away), else ShapeOf. */
static struct mo_node *shape_of(struct mo_tctx *t, const struct mo_node *fw, struct mo_value x,
                                struct mo_error *err)
{
    struct mo_shape s;
    if (mo_mx_static(t, 0, &s))
        return mo_mx_const_i64(t, fw, "shape", s.dims, (size_t)s.rank, err);
    struct mo_node *n = mo_mx_op(t, "ShapeOf", "shape", err, 1, x);
    if (n && mo_node_set_str(n, "output_type", "i64")) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    return n;
}

static enum mo_status fill_like(struct mo_tctx *t, const struct mo_node *fw, double v,
                                struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_mx_input(t, fw, 0, &x, err);
    if (st != MO_OK)
        return st;
    struct mo_node *c = mo_mx_scalar(t, fw, "value", mo_mx_in_et(t, 0), v, err);
    struct mo_node *s = c ? shape_of(t, fw, x, err) : NULL;
    struct mo_node *b = s ? mo_mx_op(t, "Broadcast", NULL, err, 2, mo_val(c, 0), mo_val(s, 0)) : NULL;
    if (!b)
        return mo_mx_status(err);
    if (mo_node_set_str(b, "mode", "numpy"))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return mo_tctx_set_output(t, 0, mo_val(b, 0), err);
}

static enum mo_status tr_zeros_like(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    (void)user;
    return fill_like(t, fw, 0.0, err);
}

static enum mo_status tr_ones_like(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    (void)user;
    return fill_like(t, fw, 1.0, err);
}

/* _arange has no inputs: its values are known now, so it is a Const. */
static enum mo_status tr_arange(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    (void)user;
    if (mo_node_get_bool(fw, "infer_range", false, NULL))
        return MO_ERR_DECLINED;
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
        return mo_mx_bad(err, "bad start/stop/step/repeat attributes");
    enum mo_etype et = mo_mx_dtype(mo_node_get_str(fw, "dtype", "float32"));
    if (et == MO_ET_UNDEFINED)
        return MO_ERR_DECLINED;
    double span = ceil((stop - start) / step);
    int64_t n = span > 0 ? (int64_t)span : 0;
    struct mo_shape s = mo_shape_of(n * repeat);
    struct mo_tensor *v = mo_tensor_new(et, &s, err);
    if (!v)
        return mo_mx_status(err);
    for (int64_t i = 0; i < n * repeat; i++) {
        /* MXNet computes in the output type; float32 keeps its rounding */
        double x = start + (double)(i / repeat) * step;
        mo_tensor_set_f64(v, i, et == MO_ET_F32 ? (double)(float)x : x);
    }
    struct mo_node *c = mo_mx_const_tensor(t, fw, "values", v, err);
    return mo_mx_done(t, c, err);
}

static enum mo_status tr_shape_array(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                     struct mo_error *err)
{
    (void)user;
    struct mo_value x;
    enum mo_status st = mo_mx_input(t, fw, 0, &x, err);
    if (st != MO_OK)
        return st;
    struct mo_node *n = mo_mx_op(t, "ShapeOf", NULL, err, 1, x);
    if (!n)
        return mo_mx_status(err);
    if (mo_node_set_str(n, "output_type", "i64"))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return mo_tctx_set_output(t, 0, mo_val(n, 0), err);
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
            {"rint", tr_rint},
            {"zeros_like", tr_zeros_like},
            {"ones_like", tr_ones_like},
            {"_arange", tr_arange},
            {"shape_array", tr_shape_array});
