/* tr_gather.c - Gather. */
#include <config.h>

#include "onnx.h"

static enum mo_status tr_gather(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value i = mo_build_in(b, 1, "indices");
    int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", 0, NULL), mo_value_shape(x).rank, "axis");
    return mo_build_done(b, mo_build_gather(b, NULL, x, i, axis));
}

MO_OX_TABLE(mo_ox_tr_gather,
    {"Gather", 1, tr_gather, NULL},
)
