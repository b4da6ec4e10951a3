/* tr_loss.c - NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss, for
 * models exported with their loss (evaluation graphs).  Both pick, for
 * every sample n and position d, the entry of class target[n, d] along axis
 * 1 (GatherElements), weight it by weight[target] (1 without weights, 0
 * where target == ignore_index), and reduce as `reduction` says. */
#include <config.h>

#include <string.h>

#include "onnx.h"

/* The loss of log-probabilities x [N, C, d...] against target [N, d...]. */
static struct mo_value nll(struct mo_build *b, const struct mo_node *fw, struct mo_value x, struct mo_value target,
                           struct mo_value weight)
{
    enum mo_etype et = mo_value_et(x);
    int r = mo_value_shape(x).rank;
    const char *reduction = mo_node_get_str(fw, "reduction", "mean");
    bool none = !strcmp(reduction, "none"), sum = !strcmp(reduction, "sum");
    if (!none && !sum && strcmp(reduction, "mean")) {
        mo_build_fail(b, "reduction '%s' is not none, sum or mean", reduction);
        return MO_NO_VALUE;
    }
    if (mo_build_ok(b) && r < 2) {
        mo_build_fail(b, "the input has rank %d; it needs [N, C, ...]", r);
        return MO_NO_VALUE;
    }
    struct mo_value t = mo_build_convert(b, "target_i64", target, MO_ET_I64);
    bool has_ii = mo_node_attr(fw, "ignore_index") != NULL;
    struct mo_value keep = MO_NO_VALUE;
    if (has_ii) {
        /* ignored positions gather class 0 and weigh nothing */
        struct mo_value ii = mo_build_i64_scalar(b, "ignore_index", mo_node_get_int(fw, "ignore_index", 0, NULL));
        keep = mo_build_op(b, "NotEqual", "kept", 2, t, ii);
        struct mo_value z = mo_build_i64_scalar(b, "class0", 0);
        t = mo_build_op(b, "Select", "target_safe", 3, keep, t, z);
    }
    struct mo_value idx = mo_build_unsqueeze(b, "indices", t, (int64_t[]){1}, 1);
    struct mo_value picked = mo_build_op(b, "GatherElements", "picked", 2, x, idx);
    mo_build_set_int(b, picked, "axis", 1);
    picked = mo_build_squeeze(b, "picked_squeezed", picked, (int64_t[]){1}, 1);
    struct mo_value loss = mo_build_op(b, "Negative", "negative", 1, picked);
    struct mo_value w = MO_NO_VALUE;
    if (weight.node)
        w = mo_build_gather(b, "weights", weight, t, 0);
    if (has_ii) {
        struct mo_value kf = mo_build_convert(b, "kept_f", keep, et);
        w = w.node ? mo_build_op(b, "Multiply", "weights_kept", 2, w, kf) : kf;
    }
    if (w.node)
        loss = mo_build_op(b, "Multiply", none ? NULL : "weighted", 2, loss, w);
    if (none)
        return loss;
    int lr = r - 1;
    int64_t axes[MO_MAX_RANK];
    for (int i = 0; i < lr; i++)
        axes[i] = i;
    struct mo_value ax = mo_build_i64(b, "axes", axes, (size_t)lr);
    if (sum || !w.node) {
        struct mo_value y = mo_build_op(b, sum ? "ReduceSum" : "ReduceMean", NULL, 2, loss, ax);
        return mo_build_set_bool(b, y, "keep_dims", false);
    }
    struct mo_value total = mo_build_op(b, "ReduceSum", "total", 2, loss, ax);
    mo_build_set_bool(b, total, "keep_dims", false);
    struct mo_value wsum = mo_build_op(b, "ReduceSum", "weight_total", 2, w, ax);
    mo_build_set_bool(b, wsum, "keep_dims", false);
    return mo_build_op(b, "Divide", NULL, 2, total, wsum);
}

static enum mo_status tr_nll(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_value target = mo_build_in(b, 1, "target");
    struct mo_value w = mo_build_in_opt(b, 2);
    return mo_build_done(b, nll(b, fw, x, target, w));
}

/* loss = NLL(LogSoftmax(scores, axis 1)); output 1 is the log-probabilities. */
static enum mo_status tr_sce(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "scores");
    struct mo_value labels = mo_build_in(b, 1, "labels");
    struct mo_value w = mo_build_in_opt(b, 2);
    struct mo_value lp = mo_build_op(b, "LogSoftmax", "log_prob", 1, x);
    mo_build_set_int(b, lp, "axis", 1);
    lp = mo_build_infer(b, lp);      /* nll reads its rank and type */
    struct mo_value loss = nll(b, fw, lp, labels, w);
    if (fw->n_outputs > 1 && fw->outputs[1].n_names)
        mo_build_output(b, 1, lp);
    return mo_build_done(b, loss);
}

MO_OX_TABLE(mo_ox_tr_loss,
    {"NegativeLogLikelihoodLoss", 12, tr_nll, NULL},
    {"SoftmaxCrossEntropyLoss", 12, tr_sce, NULL},
)
