/* tr_pool.c - MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool. */
#include <config.h>

#include <string.h>

#include "onnx.h"

static enum mo_status tr_pool(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    const char *type = user;
    bool avg = !strcmp(type, "AvgPool");
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    int64_t k[MO_MAX_RANK], s[MO_MAX_RANK], d[MO_MAX_RANK];
    int sp = mo_node_get_ints(fw, "kernel_shape", k, MO_MAX_RANK);
    if (sp <= 0)
        return mo_build_fail(b, "kernel_shape is missing");
    for (int i = 0; i < sp; i++)
        s[i] = d[i] = 1;
    if (mo_node_attr(fw, "strides") && mo_node_get_ints(fw, "strides", s, MO_MAX_RANK) != sp)
        return mo_build_fail(b, "strides has the wrong number of values for %d spatial dims", sp);
    if (mo_node_get_ints(fw, "dilations", d, MO_MAX_RANK) > 0)
        for (int i = 0; i < sp; i++)
            if (d[i] != 1)
                return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "pooling with dilations is not supported yet");
    if (!avg && fw->n_outputs > 1 && fw->outputs[1].n_names)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "the Indices output of MaxPool is not supported yet");
    struct mo_value y = mo_build_op(b, type, NULL, 1, x);
    mo_build_set_ints(b, y, "kernel", k, (size_t)sp);
    mo_build_set_ints(b, y, "strides", s, (size_t)sp);
    mo_ox_set_pads(b, y, sp);
    mo_build_set_str(b, y, "rounding_type", mo_node_get_int(fw, "ceil_mode", 0, NULL) ? "ceil" : "floor");
    if (avg)
        mo_build_set_bool(b, y, "exclude-pad", !mo_node_get_int(fw, "count_include_pad", 0, NULL));
    return mo_build_done(b, y);
}

/* Global pooling: a reduction over every spatial axis, dims kept. */
static enum mo_status tr_global(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    int r = mo_value_shape(x).rank;
    if (mo_build_ok(b) && r < 3)
        return mo_build_fail(b, "input has rank %d; global pooling needs [N, C, spatial...]", r);
    int64_t axes[MO_MAX_RANK];
    for (int i = 2; i < r; i++)
        axes[i - 2] = i;
    struct mo_value a = mo_build_i64(b, "axes", axes, r > 2 ? (size_t)(r - 2) : 0);
    struct mo_value y = mo_build_op(b, (const char *)user, NULL, 2, x, a);
    return mo_build_done(b, mo_build_set_bool(b, y, "keep_dims", true));
}

MO_OX_TABLE(mo_ox_tr_pool,
    {"MaxPool", 1, tr_pool, "MaxPool"},
    {"AveragePool", 1, tr_pool, "AvgPool"},
    {"GlobalAveragePool", 1, tr_global, "ReduceMean"},
    {"GlobalMaxPool", 1, tr_global, "ReduceMax"},
)
