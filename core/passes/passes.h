/* passes.h - the graph passes between translation and writing; core only. */
#ifndef MO_PASSES_H
#define MO_PASSES_H

#include <mo/graph.h>
#include <mo/options.h>

/* Front passes on the framework graph: input overrides (--input_shape,
 * --batch, ...) applied to its Parameter nodes before translation. */
enum mo_status mo_passes_front_framework(struct mo_context *ctx, struct mo_graph *fw,
                                         const struct mo_options *opts, struct mo_error *err);
/* --input / --input_shape / --batch on the framework graph's Parameters. */
enum mo_status mo_passes_apply_inputs(struct mo_context *ctx, struct mo_graph *fw,
                                      const struct mo_options *opts, struct mo_error *err);
/* Every IR Parameter must have a known rank once the overrides are in. */
enum mo_status mo_passes_check_inputs(struct mo_graph *ir, struct mo_error *err);
/* Middle and back passes on the inferred IR graph. */
enum mo_status mo_passes_run(struct mo_context *ctx, struct mo_graph *ir,
                             const struct mo_options *opts, struct mo_error *err);
/* Give every live node a unique name (suffix "_2", "_3"... on repeats). */
enum mo_status mo_passes_unique_names(struct mo_graph *g, struct mo_error *err);

#endif
