/* tr_softmax.c - MXNet softmax, log_softmax, SoftmaxOutput and
 * SoftmaxActivation (training-only inputs such as the label are dropped). */
#include <config.h>

#include <math.h>
#include <string.h>

#include "tr_util.h"

/* Softmax (or LogSoftmax) of x over axis a, named after the framework node
 * unless suffix says otherwise. */
static struct mo_node *softmax_on(struct mo_tctx *t, const char *type, const char *suffix,
                                  struct mo_value x, int a, struct mo_error *err)
{
    struct mo_node *n = mo_mx_op(t, type, suffix, err, 1, x);
    if (n && mo_node_set_int(n, "axis", a)) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    return n;
}

static enum mo_status softmax_axis(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                                   struct mo_error *err)
{
    struct mo_value x;
    enum mo_status st = mo_mx_input(t, fw, 0, &x, err);
    if (st != MO_OK)
        return st;
    /* a length input masks part of the axis: no IR op does that */
    if (mo_node_get_bool(fw, "use_length", false, NULL) || fw->n_inputs > 1)
        return MO_ERR_DECLINED;
    int rank = mo_mx_in_shape(t, 0).rank;
    if (rank < 1)
        return MO_ERR_DECLINED;
    int a;
    if ((st = mo_mx_axis("axis", mo_node_get_int(fw, "axis", -1, NULL), rank, &a, err)))
        return st;
    if (!mo_mx_attr_none(fw, "temperature")) {
        bool ok = true;
        double temp = mo_node_get_float(fw, "temperature", 1.0, &ok);
        if (!ok || temp == 0.0 || !isfinite(temp))
            return mo_mx_bad(err, "bad temperature '%s'", mo_node_get_str(fw, "temperature", ""));
        if (temp != 1.0) {
            struct mo_node *c = mo_mx_scalar(t, fw, "temperature", mo_mx_in_et(t, 0), temp, err);
            struct mo_node *d = c ? mo_mx_op(t, "Divide", "scaled", err, 2, x, mo_val(c, 0)) : NULL;
            if (!d)
                return mo_mx_status(err);
            x = mo_val(d, 0);
        }
    }
    struct mo_node *n = softmax_on(t, type, NULL, x, a, err);
    return mo_mx_done(t, n, err);
}

static enum mo_status tr_softmax(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    (void)user;
    return softmax_axis(t, fw, "Softmax", err);
}

static enum mo_status tr_log_softmax(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                     struct mo_error *err)
{
    (void)user;
    return softmax_axis(t, fw, "LogSoftmax", err);
}

/* SoftmaxActivation's "instance" mode and SoftmaxOutput without
 * multi_output/preserve_shape normalize over the last axis: mshadow's
 * FlatTo2D keeps the last dim, and the label shape MXNet infers is
 * data.shape[:-1].  (For rank > 2 the non-oneDNN SoftmaxOutput kernel of
 * MXNet 1.9.1 flattens (d0, rest) instead; the PyPI build, which is what
 * users run and what the fixtures record, uses the last axis.) */
static enum mo_status softmax_instance(struct mo_tctx *t, const struct mo_node *fw,
                                       struct mo_value x, struct mo_error *err)
{
    (void)fw;
    int rank = mo_mx_in_shape(t, 0).rank;
    if (rank < 1)
        return MO_ERR_DECLINED;
    struct mo_node *n = softmax_on(t, "Softmax", NULL, x, rank - 1, err);
    return mo_mx_done(t, n, err);
}

static enum mo_status tr_softmax_output(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    (void)user;
    struct mo_value x;
    enum mo_status st = mo_mx_input(t, fw, 0, &x, err);
    if (st != MO_OK)
        return st;
    int rank = mo_mx_in_shape(t, 0).rank;
    if (rank < 1)
        return MO_ERR_DECLINED;
    int axis = -1;
    if (mo_node_get_bool(fw, "multi_output", false, NULL))
        axis = rank > 1 ? 1 : 0;
    else if (mo_node_get_bool(fw, "preserve_shape", false, NULL))
        axis = rank - 1;
    if (axis < 0)
        return softmax_instance(t, fw, x, err);
    struct mo_node *n = softmax_on(t, "Softmax", NULL, x, axis, err);
    return mo_mx_done(t, n, err);
}

static enum mo_status tr_softmax_activation(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                            struct mo_error *err)
{
    (void)user;
    struct mo_value x;
    enum mo_status st = mo_mx_input(t, fw, 0, &x, err);
    if (st != MO_OK)
        return st;
    const char *mode = mo_node_get_str(fw, "mode", "instance");
    if (!strcmp(mode, "instance"))
        return softmax_instance(t, fw, x, err);
    if (strcmp(mode, "channel"))
        return mo_mx_bad(err, "unknown mode '%s'", mode);
    int rank = mo_mx_in_shape(t, 0).rank;
    if (rank < 2)
        return MO_ERR_DECLINED;
    struct mo_node *n = softmax_on(t, "Softmax", NULL, x, 1, err);
    return mo_mx_done(t, n, err);
}

MO_MX_TABLE(mo_mx_tr_softmax,
            {"softmax", tr_softmax},
            {"log_softmax", tr_log_softmax},
            {"SoftmaxOutput", tr_softmax_output},
            {"Softmax", tr_softmax_output},
            {"SoftmaxActivation", tr_softmax_activation});
