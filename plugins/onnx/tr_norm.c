/* tr_norm.c - normalizations (Batch, Instance, Layer, Group, Lp, LRN,
 * MeanVariance) and Softmax, LogSoftmax, Hardmax. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "onnx.h"

static bool out_used(const struct mo_node *fw, unsigned i)
{
    return i < fw->n_outputs && fw->outputs[i].n_names;
}

/* A 1-D i64 Const of the axes [from, rank). */
static struct mo_value axes_from(struct mo_build *b, const char *sfx, int from, int rank)
{
    int64_t a[MO_MAX_RANK];
    int n = 0;
    for (int i = from; i < rank && n < MO_MAX_RANK; i++)
        a[n++] = i;
    return mo_build_i64(b, sfx, a, (size_t)n);
}

static struct mo_value reduce_mean(struct mo_build *b, const char *sfx, struct mo_value x, struct mo_value axes)
{
    return mo_build_set_bool(b, mo_build_op(b, "ReduceMean", sfx, 2, x, axes), "keep_dims", true);
}

/* MVN-6 over axes, the variance's epsilon inside or outside the root. */
static struct mo_value mvn(struct mo_build *b, const char *sfx, struct mo_value x, struct mo_value axes, double eps,
                           bool inside)
{
    struct mo_value y = mo_build_op(b, "MVN", sfx, 2, x, axes);
    mo_build_set_bool(b, y, "normalize_variance", true);
    mo_build_set_float(b, y, "eps", eps);
    return mo_build_set_str(b, y, "eps_mode", inside ? "inside_sqrt" : "outside_sqrt");
}

/* BatchNormalization.  Inference: BatchNormInference with per-channel
 * [C] statistics; before opset 9, spatial=0 gives them per activation,
 * [C, D1, ...], which a broadcast formula applies.  training_mode (14+)
 * normalizes with the batch's own mean and (population) variance over
 * every axis but 1 and returns the running statistics
 * input * momentum + batch * (1 - momentum). */
static enum mo_status tr_batch_norm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value g = mo_build_in(b, 1, "scale");
    struct mo_value be = mo_build_in(b, 2, "B");
    struct mo_value m = mo_build_in(b, 3, "input_mean");
    struct mo_value v = mo_build_in(b, 4, "input_var");
    double eps = mo_node_get_float(fw, "epsilon", 1e-5, NULL);
    bool training = mo_node_get_int(fw, "training_mode", 0, NULL) != 0;
    if (!training)
        for (unsigned i = 1; i < fw->n_outputs; i++)
            if (out_used(fw, i))
                return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "output %u holds training statistics; export "
                                      "the model in inference mode (model.eval())", i);
    int r = mo_value_shape(x).rank;
    enum mo_etype et = mo_value_et(x);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_value ev = mo_build_scalar(b, "epsilon", et, eps);
    if (!training) {
        int pr = mo_value_shape(g).rank;
        if (pr <= 1) {
            struct mo_value y = mo_build_op(b, "BatchNormInference", NULL, 5, x, g, be, m, v);
            return mo_build_done(b, mo_build_set_float(b, y, "epsilon", eps));
        }
        /* per-activation statistics [C, D...] line up with x's dims from 1 */
        struct mo_value c = mo_build_op(b, "Subtract", "centered", 2, x, m);
        struct mo_value ve = mo_build_op(b, "Add", "var_eps", 2, v, ev);
        struct mo_value sd = mo_build_op(b, "Sqrt", "std", 1, ve);
        struct mo_value n = mo_build_op(b, "Divide", "normalized", 2, c, sd);
        struct mo_value sc = mo_build_op(b, "Multiply", "scaled", 2, n, g);
        return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, sc, be));
    }
    if (r < 2)
        return mo_build_fail(b, "input has rank %d; BatchNormalization needs [N, C, ...]", r);
    int64_t ax[MO_MAX_RANK];
    int na = 0;
    for (int i = 0; i < r; i++)
        if (i != 1)
            ax[na++] = i;
    struct mo_value axes = mo_build_i64(b, "axes", ax, (size_t)na);
    struct mo_value mean = reduce_mean(b, "batch_mean", x, axes);
    struct mo_value c = mo_build_op(b, "Subtract", "centered", 2, x, mean);
    struct mo_value sq = mo_build_op(b, "Multiply", "squared", 2, c, c);
    struct mo_value var = reduce_mean(b, "batch_var", sq, axes);
    struct mo_value ve = mo_build_op(b, "Add", "var_eps", 2, var, ev);
    struct mo_value sd = mo_build_op(b, "Sqrt", "std", 1, ve);
    struct mo_value n = mo_build_op(b, "Divide", "normalized", 2, c, sd);
    struct mo_value gc = mo_ox_per_channel(b, "scale_c", g, r);
    struct mo_value bc = mo_ox_per_channel(b, "bias_c", be, r);
    struct mo_value sc = mo_build_op(b, "Multiply", "scaled", 2, n, gc);
    mo_build_output(b, 0, mo_build_op(b, "Add", NULL, 2, sc, bc));
    double mom = mo_node_get_float(fw, "momentum", 0.9, NULL);
    struct mo_value keep = mo_build_scalar(b, "momentum", et, mom);
    struct mo_value take = mo_build_scalar(b, "one_minus_momentum", et, 1.0 - mom);
    struct mo_value stats[2][2] = {{m, mean}, {v, var}};
    static const char *const names[2][3] = {{"mean_flat", "mean_kept", "running_mean"},
                                            {"var_flat", "var_kept", "running_var"}};
    for (unsigned i = 0; i < 2; i++) {
        if (!out_used(fw, i + 1))
            continue;
        struct mo_value flat = mo_build_reshape(b, names[i][0], stats[i][1], (int64_t[]){-1}, 1, false);
        struct mo_value old = mo_build_op(b, "Multiply", names[i][1], 2, stats[i][0], keep);
        struct mo_value nw = mo_build_op(b, "Multiply", mo_graph_printf(mo_build_graph(b), "%s_new", names[i][0]),
                                         2, flat, take);
        mo_build_output(b, i + 1, mo_build_op(b, "Add", names[i][2], 2, old, nw));
    }
    return mo_build_done(b, MO_NO_VALUE);
}

/* InstanceNormalization: each (n, c) plane normalized over its spatial
 * dims, then scale and B per channel. */
static enum mo_status tr_instance_norm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                       struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_value g = mo_build_in(b, 1, "scale");
    struct mo_value be = mo_build_in(b, 2, "B");
    int r = mo_value_shape(x).rank;
    if (mo_build_ok(b) && r < 3)
        return mo_build_fail(b, "input has rank %d; InstanceNormalization needs [N, C, D1, ...]", r);
    struct mo_value axes = axes_from(b, "axes", 2, r);
    struct mo_value n = mvn(b, "normalized", x, axes, mo_node_get_float(fw, "epsilon", 1e-5, NULL), true);
    struct mo_value gc = mo_ox_per_channel(b, "scale_c", g, r);
    struct mo_value bc = mo_ox_per_channel(b, "bias_c", be, r);
    struct mo_value sc = mo_build_op(b, "Multiply", "scaled", 2, n, gc);
    return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, sc, bc));
}

/* LayerNormalization (17): normalized over the dims from axis, times
 * Scale plus B (both broadcast against those dims).  stash_type 1 (the
 * default) computes in f32, which matters for f16/bf16 inputs.  The
 * optional Mean and InvStdDev outputs need the statistics spelled out;
 * without them MVN does it. */
static enum mo_status tr_layer_norm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value g = mo_build_in(b, 1, "Scale");
    struct mo_value be = mo_build_in_opt(b, 2);
    int r = mo_value_shape(x).rank;
    enum mo_etype et = mo_value_et(x);
    if (mo_build_ok(b) && r < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "LayerNormalization needs the input's rank");
    int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", -1, NULL), r, "axis");
    double eps = mo_node_get_float(fw, "epsilon", 1e-5, NULL);
    bool stash = mo_node_get_int(fw, "stash_type", 1, NULL) == 1 && (et == MO_ET_F16 || et == MO_ET_BF16);
    enum mo_etype ct = stash ? MO_ET_F32 : et;
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_value axes = axes_from(b, "axes", (int)axis, r);
    struct mo_value xc = stash ? mo_build_convert(b, "x_f32", x, MO_ET_F32) : x;
    struct mo_value n;
    bool stats = out_used(fw, 1) || out_used(fw, 2);
    if (!stats) {
        n = mvn(b, "normalized", xc, axes, eps, true);
    } else {
        struct mo_value mean = reduce_mean(b, "mean", xc, axes);
        struct mo_value c = mo_build_op(b, "Subtract", "centered", 2, xc, mean);
        struct mo_value sq = mo_build_op(b, "Multiply", "squared", 2, c, c);
        struct mo_value var = reduce_mean(b, "var", sq, axes);
        struct mo_value ev = mo_build_scalar(b, "epsilon", ct, eps);
        struct mo_value ve = mo_build_op(b, "Add", "var_eps", 2, var, ev);
        struct mo_value sd = mo_build_op(b, "Sqrt", "std", 1, ve);
        struct mo_value one = mo_build_scalar(b, "one", ct, 1.0);
        struct mo_value inv = mo_build_op(b, "Divide", "inv_std_dev", 2, one, sd);
        n = mo_build_op(b, "Multiply", "normalized", 2, c, inv);
        if (out_used(fw, 1))
            mo_build_output(b, 1, mean);
        if (out_used(fw, 2))
            mo_build_output(b, 2, inv);
    }
    if (stash)
        n = mo_build_convert(b, "normalized_back", n, et);
    struct mo_value y = mo_build_op(b, "Multiply", be.node ? "scaled" : NULL, 2, n, g);
    if (be.node)
        y = mo_build_op(b, "Add", NULL, 2, y, be);
    return mo_build_done(b, y);
}

/* GroupNormalization (18): scale and bias hold one value per group, which
 * the IR's GroupNormalization takes per channel: each is repeated C / G
 * times. */
static struct mo_value per_group(struct mo_build *b, const char *sfx, struct mo_value v, int64_t groups,
                                 struct mo_value per)
{
    const char *s1 = mo_graph_printf(mo_build_graph(b), "%s/column", sfx);
    const char *s2 = mo_graph_printf(mo_build_graph(b), "%s/target", sfx);
    const char *s3 = mo_graph_printf(mo_build_graph(b), "%s/repeated", sfx);
    struct mo_value col = mo_build_reshape(b, s1, v, (int64_t[]){groups, 1}, 2, false);
    struct mo_value gv = mo_build_i64(b, mo_graph_printf(mo_build_graph(b), "%s/groups", sfx), &groups, 1);
    struct mo_value target = mo_build_concat(b, s2, 0, 2, (struct mo_value[]){gv, per});
    struct mo_value rep = mo_build_op(b, "Broadcast", s3, 2, col, target);
    return mo_build_reshape(b, sfx, rep, (int64_t[]){-1}, 1, false);
}

static enum mo_status tr_group_norm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value g = mo_build_in(b, 1, "scale");
    struct mo_value be = mo_build_in(b, 2, "bias");
    int64_t groups = mo_node_get_int(fw, "num_groups", 0, NULL);
    if (groups < 1)
        return mo_build_fail(b, "num_groups is %lld; it must be positive", (long long)groups);
    struct mo_shape xs = mo_value_shape(x);
    if (mo_build_ok(b) && xs.rank < 2)
        return mo_build_fail(b, "input has rank %d; GroupNormalization needs [N, C, ...]", xs.rank);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    struct mo_value per;
    if (xs.dims[1] >= 0) {
        if (xs.dims[1] % groups)
            return mo_build_fail(b, "%lld channels do not split into %lld groups", (long long)xs.dims[1],
                                 (long long)groups);
        int64_t k = xs.dims[1] / groups;
        per = mo_build_i64(b, "per_group", &k, 1);
    } else {
        struct mo_value c = mo_build_dims(b, "channels", x, (int64_t[]){1}, 1);
        struct mo_value gv = mo_build_i64(b, "num_groups", &groups, 1);
        per = mo_build_op(b, "Divide", "per_group", 2, c, gv);
    }
    struct mo_value gc = per_group(b, "scale_c", g, groups, per);
    struct mo_value bc = per_group(b, "bias_c", be, groups, per);
    struct mo_value y = mo_build_op(b, "GroupNormalization", NULL, 3, x, gc, bc);
    mo_build_set_int(b, y, "num_groups", groups);
    return mo_build_done(b, mo_build_set_float(b, y, "epsilon", mo_node_get_float(fw, "epsilon", 1e-5, NULL)));
}

/* LpNormalization: x / ||x||_p along axis (p 1 or 2). */
static enum mo_status tr_lp_norm(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    int r = mo_value_shape(x).rank;
    int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", -1, NULL), r, "axis");
    int64_t p = mo_node_get_int(fw, "p", 2, NULL);
    if (p != 1 && p != 2)
        return mo_build_fail(b, "p is %lld; LpNormalization takes 1 or 2", (long long)p);
    struct mo_value a = mo_build_i64(b, "axes", &axis, 1);
    struct mo_value nrm = mo_build_op(b, p == 1 ? "ReduceL1" : "ReduceL2", "norm", 2, x, a);
    mo_build_set_bool(b, nrm, "keep_dims", true);
    return mo_build_done(b, mo_build_op(b, "Divide", NULL, 2, x, nrm));
}

/* LRN across channels: x / (bias + alpha / size * sum of squares)^beta,
 * the sum over channels c - floor((size-1)/2) .. c + ceil((size-1)/2).
 * For an odd size that is the IR's LRN; an even one is lopsided, which
 * the IR's window is not (nor is a bias <= 0 rescalable, see below), so
 * the sum is then an average pooling of x^2 over [N, 1, C, rest] with
 * those pads, the padding counted. */
static enum mo_status tr_lrn(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    int64_t size = mo_node_get_int(fw, "size", 0, NULL);
    double alpha = mo_node_get_float(fw, "alpha", 1e-4, NULL), beta = mo_node_get_float(fw, "beta", 0.75, NULL);
    double bias = mo_node_get_float(fw, "bias", 1.0, NULL);
    if (size < 1)
        return mo_build_fail(b, "size is %lld; it must be positive", (long long)size);
    int r = mo_value_shape(x).rank;
    enum mo_etype et = mo_value_et(x);
    if (size % 2 && bias > 0) {
        /* OpenVINO's CPU plugin takes bias as 1 whatever the attribute
         * says (measured); bias^-beta * LRN(alpha / bias, bias 1) is the
         * same function */
        struct mo_value axes = mo_build_i64(b, "axes", (int64_t[]){1}, 1);
        struct mo_value y = mo_build_op(b, "LRN", bias == 1.0 ? NULL : "unit_bias", 2, x, axes);
        mo_build_set_float(b, y, "alpha", alpha / bias);
        mo_build_set_float(b, y, "beta", beta);
        mo_build_set_float(b, y, "bias", 1.0);
        mo_build_set_int(b, y, "size", size);
        if (bias == 1.0)
            return mo_build_done(b, y);
        struct mo_value f = mo_build_scalar(b, "bias_factor", et, pow(bias, -beta));
        return mo_build_done(b, mo_build_op(b, "Multiply", NULL, 2, y, f));
    }
    if (mo_build_ok(b) && r < 2)
        return mo_build_fail(b, "input has rank %d; LRN needs [N, C, ...]", r);
    struct mo_value sq = mo_build_op(b, "Multiply", "squared", 2, x, x);
    struct mo_value shape = mo_build_shape_of(b, "shape", x, MO_ET_I64);
    struct mo_value n = mo_build_dims(b, "batch", x, (int64_t[]){0}, 1);
    struct mo_value c = mo_build_dims(b, "channels", x, (int64_t[]){1}, 1);
    struct mo_value one = mo_build_i64(b, "one", (int64_t[]){1}, 1);
    struct mo_value rest = mo_build_i64(b, "rest", (int64_t[]){-1}, 1);
    struct mo_value target = mo_build_concat(b, "pool_shape", 0, 4, (struct mo_value[]){n, one, c, rest});
    struct mo_value sq4 = mo_build_reshape_to(b, "squared_4d", sq, target, false);
    struct mo_value avg = mo_build_op(b, "AvgPool", "window_mean", 1, sq4);
    mo_build_set_ints(b, avg, "kernel", (int64_t[]){size, 1}, 2);
    mo_build_set_ints(b, avg, "strides", (int64_t[]){1, 1}, 2);
    mo_build_set_ints(b, avg, "pads_begin", (int64_t[]){(size - 1) / 2, 0}, 2);
    mo_build_set_ints(b, avg, "pads_end", (int64_t[]){size / 2, 0}, 2);
    mo_build_set_bool(b, avg, "exclude-pad", false);
    struct mo_value mean = mo_build_reshape_to(b, "window_mean_back", avg, shape, false);
    struct mo_value av = mo_build_scalar(b, "alpha", et, alpha);
    struct mo_value bv = mo_build_scalar(b, "bias", et, bias);
    struct mo_value pv = mo_build_scalar(b, "beta", et, beta);
    struct mo_value s = mo_build_op(b, "Multiply", "alpha_mean", 2, mean, av);
    s = mo_build_op(b, "Add", "plus_bias", 2, s, bv);
    s = mo_build_op(b, "Power", "denominator", 2, s, pv);
    return mo_build_done(b, mo_build_op(b, "Divide", NULL, 2, x, s));
}

/* MeanVarianceNormalization: (x - mean) / (std + 1e-9) over axes
 * ([0, 2, 3] by default), as ONNX's function body computes it. */
static enum mo_status tr_mvn(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    int r = mo_value_shape(x).rank;
    int64_t ax[MO_MAX_RANK] = {0, 2, 3};
    int n = mo_node_attr(fw, "axes") ? mo_node_get_ints(fw, "axes", ax, MO_MAX_RANK) : 3;
    for (int i = 0; i < n; i++)
        ax[i] = mo_ox_axis(b, ax[i], r, "axes value");
    struct mo_value axes = mo_build_i64(b, "axes", ax, n > 0 ? (size_t)n : 0);
    return mo_build_done(b, mvn(b, NULL, x, axes, 1e-9, false));
}

/* Before opset 13, Softmax, LogSoftmax and Hardmax see the input as 2-D,
 * [prod(dims before axis), prod(dims from axis)]: x flattened so, its
 * original shape in *shape. */
static struct mo_value flatten_2d(struct mo_build *b, struct mo_value x, int64_t axis, struct mo_value *shape)
{
    *shape = mo_build_shape_of(b, "shape", x, MO_ET_I64);
    if (axis == 0)
        return mo_build_reshape(b, "flatten", x, (int64_t[]){1, -1}, 2, false);
    struct mo_value prod_axes = mo_build_i64(b, "lead_axes", (int64_t[]){0}, 1);
    struct mo_value dims = mo_build_slice(b, "lead_dims", *shape, (int64_t[]){0}, (int64_t[]){axis},
                                          (int64_t[]){1}, (int64_t[]){0}, 1);
    struct mo_value n = mo_build_op(b, "ReduceProd", "lead_prod", 2, dims, prod_axes);
    mo_build_set_bool(b, n, "keep_dims", true);
    struct mo_value m1 = mo_build_i64(b, "rest", (int64_t[]){-1}, 1);
    struct mo_value target = mo_build_concat(b, "target", 0, 2, (struct mo_value[]){n, m1});
    return mo_build_reshape_to(b, "flatten", x, target, false);
}

/* Hardmax along axis: 1 at the first maximum, 0 elsewhere. */
static struct mo_value hardmax(struct mo_build *b, const char *sfx, struct mo_value x, int64_t axis,
                               enum mo_etype et)
{
    struct mo_value a = mo_build_i64(b, "axes", &axis, 1);
    struct mo_value m = mo_build_set_bool(b, mo_build_op(b, "ReduceMax", "max", 2, x, a), "keep_dims", true);
    struct mo_value eq = mo_build_op(b, "Equal", "is_max", 2, x, m);
    struct mo_value cnt = mo_build_convert(b, "is_max_i32", eq, MO_ET_I32);
    struct mo_value ax = mo_build_i64_scalar(b, "cumsum_axis", axis);
    struct mo_value cs = mo_build_op(b, "CumSum", "maxima_so_far", 2, cnt, ax);
    struct mo_value one = mo_build_scalar(b, "one", MO_ET_I32, 1.0);
    struct mo_value first = mo_build_op(b, "Equal", "first_so_far", 2, cs, one);
    struct mo_value sel = mo_build_op(b, "LogicalAnd", "first_max", 2, eq, first);
    return mo_build_convert(b, sfx, sel, et);
}

/* Softmax, LogSoftmax and Hardmax (user: "Softmax", "LogSoftmax",
 * "Hardmax", with a "/2-D" tail for the versions before 13: axis 1 by
 * default and the 2-D view; from 13 one axis, -1 by default). */
static enum mo_status tr_softmax(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    const char *spec = user;
    bool coerce = strchr(spec, '/') != NULL;
    bool hard = !strncmp(spec, "Hardmax", 7);
    const char *type = !strncmp(spec, "LogSoftmax", 10) ? "LogSoftmax" : "Softmax";
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    int r = mo_value_shape(x).rank;
    if (mo_build_ok(b) && r < 0 && coerce)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%s before opset 13 needs the input's rank", fw->type);
    int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", coerce ? 1 : -1, NULL), r, "axis");
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (!coerce || axis == r - 1) {
        int64_t a = coerce ? r - 1 : axis;
        if (hard)
            return mo_build_done(b, hardmax(b, NULL, x, a, mo_value_et(x)));
        struct mo_value y = mo_build_op(b, type, NULL, 1, x);
        return mo_build_done(b, mo_build_set_int(b, y, "axis", a));
    }
    /* flatten to 2-D at axis, work along the second dim, restore the shape */
    struct mo_value shape;
    struct mo_value flat = flatten_2d(b, x, axis, &shape);
    struct mo_value y;
    if (hard)
        y = hardmax(b, "2d", flat, 1, mo_value_et(x));
    else
        y = mo_build_set_int(b, mo_build_op(b, type, "2d", 1, flat), "axis", 1);
    return mo_build_done(b, mo_build_reshape_to(b, NULL, y, shape, false));
}

MO_OX_TABLE(mo_ox_tr_norm,
    {"BatchNormalization", 1, tr_batch_norm, NULL},
    {"InstanceNormalization", 1, tr_instance_norm, NULL},
    {"LayerNormalization", 17, tr_layer_norm, NULL},
    {"GroupNormalization", 18, tr_group_norm, NULL},
    {"LpNormalization", 1, tr_lp_norm, NULL},
    {"LRN", 1, tr_lrn, NULL},
    {"MeanVarianceNormalization", 9, tr_mvn, NULL},
    {"Softmax", 1, tr_softmax, "Softmax/2-D"},
    {"Softmax", 13, tr_softmax, "Softmax"},
    {"LogSoftmax", 1, tr_softmax, "LogSoftmax/2-D"},
    {"LogSoftmax", 13, tr_softmax, "LogSoftmax"},
    {"Hardmax", 1, tr_softmax, "Hardmax/2-D"},
    {"Hardmax", 13, tr_softmax, "Hardmax"},
)
