/* tr_kaldi.c - translators of the Kaldi components, each acting on every
 * frame (row) of a [frames, dim] matrix, and of the frontend's structural
 * nodes TimeSlice, Append, Sum, DimRange (kaldi.h).
 *
 * Formulas are Kaldi's (nnet1 nnet-*.h, nnet3 nnet-simple-component.cc,
 * nnet-normalize-component.cc):
 *   affine          y = x W^T + b    (W: LinearParams [out, in], b: BiasParams)
 *   BatchNorm       y = (x - mean) * target_rms / sqrt(var + epsilon), by
 *                   blocks of BlockDim (test mode: the stored statistics)
 *   Normalize       y = x * target_rms / sqrt(max(mean(x^2), 2^-66)), by blocks
 *   ElementwiseProduct  the InputDim/OutputDim slices of x multiplied
 *   SumBlock        y_j = scale * sum of block j of x (InputDim/OutputDim wide) */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kaldi.h"

static const struct mo_tensor *field(const struct mo_node *fw, const char *key)
{
    const struct mo_attr *a = mo_node_attr(fw, key);
    return a && a->kind == MO_ATTR_TENSOR ? a->u.t : NULL;
}

static struct mo_value weight(struct mo_build *b, const struct mo_node *fw, const char *key, const char *suffix)
{
    const struct mo_tensor *t = field(fw, key);
    if (!t) {
        mo_build_fail(b, "the component has no <%s>", key);
        return MO_NO_VALUE;
    }
    return mo_build_tensor(b, suffix, mo_tensor_ref((struct mo_tensor *)t));
}

static int64_t in_dim(struct mo_value x)
{
    struct mo_shape s = mo_value_shape(x);
    return s.rank == 2 ? s.dims[1] : -1;
}

static enum mo_status tr_affine(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    const char *key = field(fw, "LinearParams") ? "LinearParams" : "Params";
    const struct mo_tensor *w = field(fw, key), *bias = field(fw, "BiasParams");
    if (!w || w->shape.rank != 2)
        return mo_build_fail(b, "the component has no <LinearParams> matrix");
    if (in_dim(x) >= 0 && w->shape.dims[1] != in_dim(x))
        return mo_build_error(b, MO_ERR_SHAPE, 0, "<%s> is %lld x %lld: it takes %lld values per frame, its input gives %lld",
                              key, (long long)w->shape.dims[0], (long long)w->shape.dims[1],
                              (long long)w->shape.dims[1], (long long)in_dim(x));
    bool has_bias = bias && mo_tensor_numel(bias) > 0;
    if (has_bias && mo_tensor_numel(bias) != w->shape.dims[0])
        return mo_build_error(b, MO_ERR_SHAPE, 0, "<BiasParams> has %lld values for %lld outputs",
                              (long long)mo_tensor_numel(bias), (long long)w->shape.dims[0]);
    struct mo_value wv = weight(b, fw, key, "weights");
    struct mo_value y = mo_build_op(b, "MatMul", has_bias ? "matmul" : NULL, 2, x, wv);
    mo_build_set_bool(b, y, "transpose_b", true);
    if (has_bias) {
        struct mo_value bv = weight(b, fw, "BiasParams", "biases");
        y = mo_build_op(b, "Add", NULL, 2, y, bv);
    }
    return mo_build_done(b, y);
}

/* y = x (op) vector from a field, for AddShift, Rescale and the fixed and
 * per-element scales and offsets. */
static enum mo_status tr_vector_op(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    const char *op = user;
    static const char *const keys[] = {"Shift", "Scale", "Scales", "Bias", "Params", "Offsets"};
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    const char *key = NULL;
    for (size_t i = 0; i < MO_COUNT_OF(keys) && !key; i++)
        if (field(fw, keys[i]))
            key = keys[i];
    if (!key)
        return mo_build_fail(b, "the component has no vector of values");
    const struct mo_tensor *v = field(fw, key);
    if (in_dim(x) >= 0 && mo_tensor_numel(v) != in_dim(x))
        return mo_build_error(b, MO_ERR_SHAPE, 0, "<%s> has %lld values, the input %lld per frame", key,
                              (long long)mo_tensor_numel(v), (long long)in_dim(x));
    struct mo_value c = weight(b, fw, key, !strcmp(op, "Add") ? "shift" : "scale");
    return mo_build_done(b, mo_build_op(b, op, NULL, 2, x, c));
}

static enum mo_status tr_unary(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value y = mo_build_op(b, (const char *)user, NULL, 1, x);
    if (!strcmp(user, "Softmax") || !strcmp(user, "LogSoftmax"))
        mo_build_set_int(b, y, "axis", 1);
    return mo_build_done(b, y);
}

static enum mo_status tr_identity(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    return mo_build_done(b, mo_build_in(b, 0, "data"));
}

/* x as [-1, block] rows when the component works on blocks of the frame. */
static struct mo_value to_blocks(struct mo_build *b, struct mo_value x, int64_t block, int64_t *dim)
{
    *dim = in_dim(x);
    if (block <= 0 || block == *dim)
        return x;
    if (*dim < 0 || *dim % block) {
        mo_build_fail(b, "<BlockDim> %lld does not divide the input's %lld values per frame", (long long)block,
                      (long long)*dim);
        return MO_NO_VALUE;
    }
    return mo_build_reshape(b, "blocks", x, (int64_t[]){-1, block}, 2, false);
}

/* Back to [-1, dim] rows; the layer's output when blocks were made. */
static struct mo_value from_blocks(struct mo_build *b, struct mo_value y, int64_t block, int64_t dim)
{
    if (block <= 0 || block == dim)
        return y;
    return mo_build_reshape(b, NULL, y, (int64_t[]){-1, dim}, 2, false);
}

static enum mo_status tr_batchnorm(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    const struct mo_tensor *mean = field(fw, "StatsMean"), *var = field(fw, "StatsVar");
    if (!mean || !var || mo_tensor_numel(mean) != mo_tensor_numel(var))
        return mo_build_fail(b, "the component has no <StatsMean> and <StatsVar> of one size");
    int64_t n = mo_tensor_numel(mean);
    int64_t block = mo_node_get_int(fw, "BlockDim", n, NULL), dim;
    if (block != n)
        return mo_build_fail(b, "<BlockDim> %lld but %lld statistics", (long long)block, (long long)n);
    double eps = mo_node_get_float(fw, "Epsilon", 0.001, NULL), rms = mo_node_get_float(fw, "TargetRms", 1.0, NULL);
    double *sc = malloc(2 * (size_t)(n ? n : 1) * sizeof *sc);
    if (!sc)
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    double *sh = sc + n;
    for (int64_t i = 0; i < n; i++) {
        sc[i] = rms / sqrt(mo_tensor_get_f64(var, i) + eps);
        sh[i] = -mo_tensor_get_f64(mean, i) * sc[i];
    }
    struct mo_shape s = mo_shape_of(n);
    struct mo_value xb = to_blocks(b, x, block, &dim);
    struct mo_value scv = mo_build_const(b, "scale", MO_ET_F32, &s, sc);
    struct mo_value shv = mo_build_const(b, "shift", MO_ET_F32, &s, sh);
    free(sc);
    bool blocks = block != dim;
    struct mo_value m = mo_build_op(b, "Multiply", "mul", 2, xb, scv);
    struct mo_value y = mo_build_op(b, "Add", blocks ? "add" : NULL, 2, m, shv);
    return mo_build_done(b, from_blocks(b, y, block, dim));
}

static enum mo_status tr_normalize(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    if (mo_node_get_bool(fw, "AddLogStddev", false, NULL))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "NormalizeComponent with <AddLogStddev> T is not supported yet");
    int64_t dim, block = mo_node_get_int(fw, "BlockDim", -1, NULL);
    double rms = mo_node_get_float(fw, "TargetRms", 1.0, NULL);
    struct mo_value xb = to_blocks(b, x, block, &dim);
    bool blocks = block > 0 && block != dim;
    struct mo_value sq = mo_build_op(b, "Multiply", "square", 2, xb, xb);
    struct mo_value axes = mo_build_i64(b, "axes", (int64_t[]){1}, 1);
    struct mo_value ms = mo_build_set_bool(b, mo_build_op(b, "ReduceMean", "mean_square", 2, sq, axes), "keep_dims", true);
    struct mo_value fl = mo_build_scalar(b, "floor", MO_ET_F32, 1.3552527156068805425e-20);
    struct mo_value mx = mo_build_op(b, "Maximum", "floored", 2, ms, fl);
    struct mo_value rt = mo_build_op(b, "Sqrt", "rms", 1, mx);
    struct mo_value sc = mo_build_scalar(b, "target_rms", MO_ET_F32, rms);
    struct mo_value num = mo_build_op(b, "Multiply", "scaled", 2, xb, sc);
    struct mo_value y = mo_build_op(b, "Divide", blocks ? "div" : NULL, 2, num, rt);
    return mo_build_done(b, from_blocks(b, y, block, dim));
}

static enum mo_status tr_eltwise_product(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int64_t id = mo_node_get_int(fw, "InputDim", -1, NULL), od = mo_node_get_int(fw, "OutputDim", -1, NULL);
    if (id <= 0 || od <= 0 || id % od || id / od > 64)
        return mo_build_fail(b, "<InputDim> %lld is not a multiple of <OutputDim> %lld", (long long)id, (long long)od);
    int64_t k = id / od;
    struct mo_value ax = mo_build_i64_scalar(b, "axis", 1);
    struct mo_value sp = mo_build_set_int(b, mo_build_op(b, "Split", "split", 2, x, ax), "num_splits", k);
    struct mo_value y = mo_val(sp.node, 0);
    for (int64_t i = 1; i < k; i++) {
        char sfx[32];
        snprintf(sfx, sizeof sfx, "mul%lld", (long long)i);
        y = mo_build_op(b, "Multiply", i == k - 1 ? NULL : sfx, 2, y, mo_val(sp.node, (unsigned)i));
    }
    if (k == 1)
        y = mo_build_op(b, "Multiply", NULL, 2, y, mo_build_scalar(b, "one", MO_ET_F32, 1.0));
    return mo_build_done(b, y);
}

static enum mo_status tr_sum_block(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int64_t id = mo_node_get_int(fw, "InputDim", -1, NULL), od = mo_node_get_int(fw, "OutputDim", -1, NULL);
    double scale = mo_node_get_float(fw, "Scale", 1.0, NULL);
    if (id <= 0 || od <= 0 || id % od)
        return mo_build_fail(b, "<InputDim> %lld is not a multiple of <OutputDim> %lld", (long long)id, (long long)od);
    struct mo_value r = mo_build_reshape(b, "blocks", x, (int64_t[]){-1, od, id / od}, 3, false);
    struct mo_value axes = mo_build_i64(b, "axes", (int64_t[]){2}, 1);
    struct mo_value s = mo_build_set_bool(b, mo_build_op(b, "ReduceSum", scale != 1.0 ? "sum" : NULL, 2, r, axes),
                                          "keep_dims", false);
    if (scale != 1.0)
        s = mo_build_op(b, "Multiply", NULL, 2, s, mo_build_scalar(b, "scale", MO_ET_F32, scale));
    return mo_build_done(b, s);
}

/* --- the frontend's structural nodes -------------------------------------- */

static enum mo_status tr_time_slice(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int64_t begin = mo_node_get_int(fw, "begin", 0, NULL), end = mo_node_get_int(fw, "end", 0, NULL);
    int64_t stop = end == 0 ? INT64_MAX : end, step = 1, axis = 0;
    return mo_build_done(b, mo_build_slice(b, NULL, x, &begin, &stop, &step, &axis, 1));
}

/* Row `row` of x, [1, dim]: a value that is the same at every time. */
static enum mo_status tr_time_row(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int64_t row = mo_node_get_int(fw, "row", 0, NULL), stop = row + 1, step = 1, axis = 0;
    return mo_build_done(b, mo_build_slice(b, NULL, x, &row, &stop, &step, &axis, 1));
}

/* x ([1, dim]) repeated for every row of ref. */
static enum mo_status tr_time_broadcast(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value ref = mo_build_in(b, 1, "reference");
    struct mo_value rows = mo_build_dims(b, "rows", ref, (int64_t[]){0}, 1);
    struct mo_value cols = mo_build_dims(b, "cols", x, (int64_t[]){1}, 1);
    struct mo_value in[2] = {rows, cols};
    struct mo_value shape = mo_build_concat(b, "shape", 0, 2, in);
    return mo_build_done(b, mo_build_op(b, "Broadcast", NULL, 2, x, shape));
}

static enum mo_status tr_dim_range(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int64_t off = mo_node_get_int(fw, "DimOffset", 0, NULL), dim = mo_node_get_int(fw, "Dim", 0, NULL);
    int64_t stop = off + dim, step = 1, axis = 1;
    if (in_dim(x) >= 0 && (off < 0 || stop > in_dim(x)))
        return mo_build_fail(b, "dims [%lld, %lld) of an input with %lld", (long long)off, (long long)stop,
                             (long long)in_dim(x));
    return mo_build_done(b, mo_build_slice(b, NULL, x, &off, &stop, &step, &axis, 1));
}

static enum mo_status tr_append(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value in[256];
    unsigned n = fw->n_inputs < 256 ? fw->n_inputs : 256;
    for (unsigned i = 0; i < n; i++)
        in[i] = mo_build_in(b, i, NULL);
    return mo_build_done(b, mo_build_concat(b, NULL, 1, n, in));
}

static enum mo_status tr_sum(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value a = mo_build_in(b, 0, NULL);
    struct mo_value c = mo_build_in(b, 1, NULL);
    return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, a, c));
}

static enum mo_status tr_scale(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    struct mo_value f = mo_build_scalar(b, "factor", MO_ET_F32, mo_node_get_float(fw, "scale", 1.0, NULL));
    return mo_build_done(b, mo_build_op(b, "Multiply", NULL, 2, x, f));
}

/* PnormComponent: y_j = (sum of |x_i|^p over group j)^(1/p), groups of
 * InputDim/OutputDim consecutive values. */
static enum mo_status tr_pnorm(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int64_t id = mo_node_get_int(fw, "InputDim", -1, NULL), od = mo_node_get_int(fw, "OutputDim", -1, NULL);
    double p = mo_node_get_float(fw, "P", 2.0, NULL);
    if (id <= 0 || od <= 0 || id % od)
        return mo_build_fail(b, "<InputDim> %lld is not a multiple of <OutputDim> %lld", (long long)id, (long long)od);
    if (!(p > 0))
        return mo_build_fail(b, "<P> is %g; a p-norm needs p > 0", p);
    struct mo_value r = mo_build_reshape(b, "groups", x, (int64_t[]){-1, od, id / od}, 3, false);
    struct mo_value a = mo_build_op(b, "Abs", "abs", 1, r);
    struct mo_value pw = mo_build_op(b, "Power", "pow", 2, a, mo_build_scalar(b, "p", MO_ET_F32, p));
    struct mo_value axes = mo_build_i64(b, "axes", (int64_t[]){2}, 1);
    struct mo_value s = mo_build_set_bool(b, mo_build_op(b, "ReduceSum", "sum", 2, pw, axes), "keep_dims", false);
    return mo_build_done(b, mo_build_op(b, "Power", NULL, 2, s, mo_build_scalar(b, "inv_p", MO_ET_F32, 1.0 / p)));
}

static const struct {
    const char *type;
    mo_translate_fn fn;
    const char *user;
} table[] = {
    /* nnet1 */
    {"AffineTransform", tr_affine, NULL},
    {"LinearTransform", tr_affine, NULL},
    {"Sigmoid", tr_unary, "Sigmoid"},
    {"Tanh", tr_unary, "Tanh"},
    {"Softmax", tr_unary, "Softmax"},
    {"RectifiedLinear", tr_unary, "Relu"},
    {"AddShift", tr_vector_op, "Add"},
    {"Rescale", tr_vector_op, "Multiply"},
    {"Dropout", tr_identity, NULL},
    /* nnet2 / nnet3 */
    {"AffineComponent", tr_affine, NULL},
    {"AffineComponentPreconditioned", tr_affine, NULL},
    {"AffineComponentPreconditionedOnline", tr_affine, NULL},
    {"NaturalGradientAffineComponent", tr_affine, NULL},
    {"FixedAffineComponent", tr_affine, NULL},
    {"LinearComponent", tr_affine, NULL},
    {"TdnnComponent", tr_affine, NULL},
    {"SigmoidComponent", tr_unary, "Sigmoid"},
    {"TanhComponent", tr_unary, "Tanh"},
    {"RectifiedLinearComponent", tr_unary, "Relu"},
    {"SoftmaxComponent", tr_unary, "Softmax"},
    {"LogSoftmaxComponent", tr_unary, "LogSoftmax"},
    {"FixedScaleComponent", tr_vector_op, "Multiply"},
    {"FixedBiasComponent", tr_vector_op, "Add"},
    {"PerElementScaleComponent", tr_vector_op, "Multiply"},
    {"NaturalGradientPerElementScaleComponent", tr_vector_op, "Multiply"},
    {"PerElementOffsetComponent", tr_vector_op, "Add"},
    {"BatchNormComponent", tr_batchnorm, NULL},
    {"NormalizeComponent", tr_normalize, NULL},
    {"ElementwiseProductComponent", tr_eltwise_product, NULL},
    {"SumBlockComponent", tr_sum_block, NULL},
    {"PnormComponent", tr_pnorm, NULL},
    {"NoOpComponent", tr_identity, NULL},
    {"SpliceComponent", tr_identity, NULL},
    {"GeneralDropoutComponent", tr_identity, NULL},
    {"DropoutComponent", tr_identity, NULL},
    {"BackpropTruncationComponent", tr_identity, NULL},
    {"ClipGradientComponent", tr_identity, NULL},
    {"SpecAugmentTimeMaskComponent", tr_identity, NULL},
    /* made by the frontend */
    {"TimeSlice", tr_time_slice, NULL},
    {"TimeRow", tr_time_row, NULL},
    {"TimeBroadcast", tr_time_broadcast, NULL},
    {"Append", tr_append, NULL},
    {"Sum", tr_sum, NULL},
    {"Scale", tr_scale, NULL},
    {"DimRange", tr_dim_range, NULL},
};

bool mo_kaldi_known(const char *type)
{
    for (size_t i = 0; i < MO_COUNT_OF(table); i++)
        if (!strcmp(table[i].type, type))
            return true;
    return false;
}

enum mo_status mo_kaldi_register(struct mo_plugin_ctx *pc, struct mo_error *err)
{
    enum mo_status st = MO_OK;
    for (size_t i = 0; i < MO_COUNT_OF(table) && st == MO_OK; i++)
        st = mo_register_translator(pc, MO_KALDI_FRAMEWORK, table[i].type, MO_TIER_STANDARD, 0, table[i].fn,
                                    (void *)table[i].user, err);
    return st;
}
