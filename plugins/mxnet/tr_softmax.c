/* tr_softmax.c - MXNet softmax, log_softmax, SoftmaxOutput and
 * SoftmaxActivation (training-only inputs such as the label are dropped). */
#include <config.h>

#include <math.h>
#include <string.h>

#include "tr_util.h"

/* Softmax (or LogSoftmax) of x over axis a, named after the layer. */
static enum mo_status softmax_on(struct mo_build *b, const char *type, struct mo_value x, int a)
{
    return mo_build_done(b, mo_build_set_int(b, mo_build_op(b, type, NULL, 1, x), "axis", a));
}

/* softmax and log_softmax: the IR op is named after the MXNet one. */
static enum mo_status tr_softmax(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    (void)user;
    const char *type = strcmp(fw->type, "log_softmax") ? "Softmax" : "LogSoftmax";
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    /* a length input masks part of the axis: no IR op does that */
    if (mo_node_get_bool(fw, "use_length", false, NULL) || fw->n_inputs > 1)
        return mo_mx_decline(b);
    int rank = mo_value_shape(x).rank, a;
    if (rank < 1)
        return mo_mx_decline(b);
    if (!mo_mx_axis(b, "axis", mo_node_get_int(fw, "axis", -1, NULL), rank, &a))
        return mo_build_status(b);
    if (!mo_mx_attr_none(fw, "temperature")) {
        bool ok = true;
        double temp = mo_node_get_float(fw, "temperature", 1.0, &ok);
        if (!ok || temp == 0.0 || !isfinite(temp))
            return mo_build_fail(b, "bad temperature '%s'", mo_node_get_str(fw, "temperature", ""));
        if (temp != 1.0) {
            struct mo_value c = mo_build_scalar(b, "temperature", mo_value_et(x), temp);
            x = mo_build_op(b, "Divide", "scaled", 2, x, c);
        }
    }
    return softmax_on(b, type, x, a);
}

/* SoftmaxActivation's "instance" mode and SoftmaxOutput without
 * multi_output normalize over the last axis: preserve_shape names that
 * axis, and without it mshadow's FlatTo2D keeps the last dim (the label
 * shape MXNet infers is data.shape[:-1]); multi_output normalizes over
 * axis 1.  (For rank > 2 the non-oneDNN SoftmaxOutput kernel of MXNet
 * 1.9.1 flattens (d0, rest) instead; the PyPI build, which is what users
 * run and what the fixtures record, uses the last axis.) */
static enum mo_status tr_softmax_output(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    int rank = mo_value_shape(x).rank;
    if (rank < 1)
        return mo_mx_decline(b);
    int axis = rank - 1;
    if (mo_node_get_bool(fw, "multi_output", false, NULL))
        axis = rank > 1 ? 1 : 0;
    return softmax_on(b, "Softmax", x, axis);
}

static enum mo_status tr_softmax_activation(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                            struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    const char *mode = mo_node_get_str(fw, "mode", "instance");
    bool instance = !strcmp(mode, "instance");
    if (!instance && strcmp(mode, "channel"))
        return mo_build_fail(b, "unknown mode '%s'", mode);
    int rank = mo_value_shape(x).rank;
    if (rank < (instance ? 1 : 2))
        return mo_mx_decline(b);
    return softmax_on(b, "Softmax", x, instance ? rank - 1 : 1);
}

MO_MX_TABLE(mo_mx_tr_softmax,
            {"softmax", tr_softmax},
            {"log_softmax", tr_softmax},
            {"SoftmaxOutput", tr_softmax_output},
            {"Softmax", tr_softmax_output},
            {"SoftmaxActivation", tr_softmax_activation});
