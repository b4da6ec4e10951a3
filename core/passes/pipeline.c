/* pipeline.c - which passes run, in which order. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "passes.h"

enum mo_status mo_passes_front_framework(struct mo_context *ctx, struct mo_graph *fw,
                                         const struct mo_options *opts, struct mo_error *err)
{
    (void)ctx;
    (void)fw;
    (void)opts;
    (void)err;
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
