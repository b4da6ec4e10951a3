/* tr_msft.c - com.microsoft ops that exporters (onnxruntime's transformer
 * optimizer, PyTorch's) emit: Gelu, FastGelu, BiasGelu, QuickGelu,
 * SkipLayerNormalization, LayerNormalization, FusedMatMul, BiasAdd. */
#include <config.h>

#include <string.h>

#include "onnx.h"

/* Gelu (erf), BiasGelu (erf of A + B), FastGelu (tanh form, optional
 * bias); user: the IR's approximation_mode. */
static enum mo_status tr_gelu(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value bias = mo_build_in_opt(b, 1);
    if (bias.node)
        x = mo_build_op(b, "Add", "biased", 2, x, bias);
    struct mo_value y = mo_build_op(b, "Gelu", NULL, 1, x);
    return mo_build_done(b, mo_build_set_str(b, y, "approximation_mode", user));
}

/* QuickGelu: x * sigmoid(alpha * x), the IR's Swish with beta = alpha. */
static enum mo_status tr_quick_gelu(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value a = mo_build_scalar(b, "alpha", mo_value_et(x), mo_node_get_float(fw, "alpha", 1.702, NULL));
    return mo_build_done(b, mo_build_op(b, "Swish", NULL, 2, x, a));
}

/* x normalized over axes [axis, rank) (MVN, variance inside the square
 * root as ONNX's layer norms take it), times scale, plus bias.  The mean
 * and 1/sqrt(var + eps) outputs, when read, are computed beside it. */
static struct mo_value layer_norm(struct mo_build *b, struct mo_value x, struct mo_value scale, struct mo_value bias,
                                  int64_t axis, double eps, unsigned mean_out, unsigned inv_out)
{
    const struct mo_node *fw = mo_build_fw(b);
    int rank = mo_value_shape(x).rank;
    if (mo_build_ok(b) && rank < 0) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "the input's rank must be known");
        return MO_NO_VALUE;
    }
    axis = mo_ox_axis(b, axis, rank, "axis");
    int64_t ax[MO_MAX_RANK];
    int n = 0;
    for (int64_t i = axis; i < rank; i++)
        ax[n++] = i;
    struct mo_value axes = mo_build_i64(b, "axes", ax, (size_t)n);
    struct mo_value y = mo_build_op(b, "MVN", "mvn", 2, x, axes);
    mo_build_set_bool(b, y, "normalize_variance", true);
    mo_build_set_float(b, y, "eps", eps);
    mo_build_set_str(b, y, "eps_mode", "inside_sqrt");
    y = mo_build_op(b, "Multiply", bias.node ? "scaled" : NULL, 2, y, scale);
    if (bias.node)
        y = mo_build_op(b, "Add", NULL, 2, y, bias);
    bool want_mean = mean_out < fw->n_outputs && fw->outputs[mean_out].n_names;
    bool want_inv = inv_out < fw->n_outputs && fw->outputs[inv_out].n_names;
    if (want_mean || want_inv) {
        struct mo_value mean = mo_build_set_bool(b, mo_build_op(b, "ReduceMean", "mean", 2, x, axes), "keep_dims", true);
        if (want_mean)
            mo_build_output(b, mean_out, mean);
        if (want_inv) {
            struct mo_value d = mo_build_op(b, "Subtract", "centered", 2, x, mean);
            d = mo_build_op(b, "Multiply", "squared", 2, d, d);
            struct mo_value var = mo_build_set_bool(b, mo_build_op(b, "ReduceMean", "variance", 2, d, axes),
                                                    "keep_dims", true);
            var = mo_build_op(b, "Add", "variance_eps", 2, var, mo_build_scalar(b, "eps", mo_value_et(x), eps));
            var = mo_build_op(b, "Sqrt", "std", 1, var);
            struct mo_value one = mo_build_scalar(b, "one", mo_value_et(x), 1.0);
            mo_build_output(b, inv_out, mo_build_op(b, "Divide", "inv_std_var", 2, one, var));
        }
    }
    return y;
}

static enum mo_status tr_layer_norm(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value scale = mo_build_in(b, 1, "Scale");
    struct mo_value bias = mo_build_in_opt(b, 2);
    if (mo_node_get_int(fw, "stash_type", 1, NULL) != 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "stash_type other than float is not supported");
    struct mo_value y = layer_norm(b, x, scale, bias, mo_node_get_int(fw, "axis", -1, NULL),
                                   mo_node_get_float(fw, "epsilon", 1e-5, NULL), 1, 2);
    return mo_build_done(b, y);
}

/* SkipLayerNormalization: LN(input + skip + bias) over the last axis;
 * output 3 is the sum itself. */
static enum mo_status tr_skip_layer_norm(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_value skip = mo_build_in(b, 1, "skip");
    struct mo_value gamma = mo_build_in(b, 2, "gamma");
    struct mo_value beta = mo_build_in_opt(b, 3);
    struct mo_value bias = mo_build_in_opt(b, 4);
    struct mo_value s = mo_build_op(b, "Add", "skip_sum", 2, x, skip);
    if (bias.node)
        s = mo_build_op(b, "Add", "skip_bias_sum", 2, s, bias);
    if (fw->n_outputs > 3 && fw->outputs[3].n_names)
        mo_build_output(b, 3, s);
    s = mo_build_infer(b, s);        /* layer_norm reads its rank */
    struct mo_value y = layer_norm(b, s, gamma, beta, -1, mo_node_get_float(fw, "epsilon", 1e-12, NULL), 1, 2);
    return mo_build_done(b, y);
}

/* FusedMatMul: alpha * A' B' with A', B' transposed in their last two
 * dims as transA/transB say. */
static enum mo_status tr_fused_matmul(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value a = mo_build_in(b, 0, "A");
    struct mo_value c = mo_build_in(b, 1, "B");
    if (mo_node_get_int(fw, "transBatchA", 0, NULL) || mo_node_get_int(fw, "transBatchB", 0, NULL))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "transBatchA/transBatchB are not supported");
    double alpha = mo_node_get_float(fw, "alpha", 1.0, NULL);
    struct mo_value y = mo_build_op(b, "MatMul", alpha != 1.0 ? "matmul" : NULL, 2, a, c);
    mo_build_set_bool(b, y, "transpose_a", mo_node_get_int(fw, "transA", 0, NULL) != 0);
    mo_build_set_bool(b, y, "transpose_b", mo_node_get_int(fw, "transB", 0, NULL) != 0);
    if (alpha != 1.0)
        y = mo_build_op(b, "Multiply", NULL, 2, y, mo_build_scalar(b, "alpha", mo_value_et(a), alpha));
    return mo_build_done(b, y);
}

/* BiasAdd: X + bias + skip. */
static enum mo_status tr_bias_add(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value bias = mo_build_in(b, 1, "bias");
    struct mo_value skip = mo_build_in(b, 2, "skip");
    struct mo_value y = mo_build_op(b, "Add", "biased", 2, x, bias);
    return mo_build_done(b, mo_build_op(b, "Add", NULL, 2, y, skip));
}

MO_OX_TABLE(mo_ox_tr_msft,
    {"com.microsoft:Gelu", 1, tr_gelu, "ERF"},
    {"com.microsoft:BiasGelu", 1, tr_gelu, "ERF"},
    {"com.microsoft:FastGelu", 1, tr_gelu, "TANH"},
    {"com.microsoft:QuickGelu", 1, tr_quick_gelu, NULL},
    {"com.microsoft:LayerNormalization", 1, tr_layer_norm, NULL},
    {"com.microsoft:SkipLayerNormalization", 1, tr_skip_layer_norm, NULL},
    {"com.microsoft:FusedMatMul", 1, tr_fused_matmul, NULL},
    {"com.microsoft:BiasAdd", 1, tr_bias_add, NULL},
)
