/* pipeline.c - which passes run, in which order. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "passes.h"

enum mo_status mo_passes_front_framework(struct mo_context *ctx, struct mo_graph *fw,
                                         const struct mo_options *opts, struct mo_error *err)
{
    return mo_passes_apply_inputs(ctx, fw, opts, err);
}

enum mo_status mo_passes_check_inputs(struct mo_graph *ir, struct mo_error *err)
{
    for (unsigned i = 0; i < mo_graph_n_nodes(ir); i++) {
        struct mo_node *n = mo_graph_node(ir, i);
        if (n->dead || strcmp(n->type, "Parameter") != 0)
            continue;
        if (n->outputs[0].shape.rank < 0)
            return mo_error_set(err, MO_ERR_SHAPE, 16,
                                "the model does not give the shape of input '%s'; pass it with "
                                "--input_shape (e.g. --input_shape [1,3,224,224]) or --input %s[...]",
                                n->name, n->name);
    }
    return MO_OK;
}

enum mo_status mo_passes_run(struct mo_context *ctx, struct mo_graph *ir,
                             const struct mo_options *opts, struct mo_error *err)
{
    (void)ctx;
    (void)ir;
    (void)opts;
    (void)err;
    return MO_OK;
}
