/* passes.h - the graph passes between loading and writing; core only.
 *
 * Two families: front passes on the framework graph before translation
 * (inputs.c: --input, --output, --input_shape, --batch, freezing), and the
 * passes on the inferred IR graph that mo_passes_run() drives in the order
 * pipeline.c fixes.  Every IR pass leaves the graph inferred and reports
 * what it changed through struct mo_pass_stats (for --report).
 *
 * Bodies of control-flow nodes (mo/body.h): constant folding, identity
 * removal and fp16 compression also run inside them (recursively); the
 * other passes (preprocessing, linear/grouped-convolution/Pad fusing,
 * stride optimization) work on the graph they are given only, where a
 * control-flow node is an opaque op none of them matches. */
#ifndef MO_PASSES_H
#define MO_PASSES_H

#include <regex.h>

#include <mo/graph.h>
#include <mo/options.h>

/* --- statistics ----------------------------------------------------------- */

#define MO_PASS_STATS_MAX 96

/* What the passes changed, by (pass, what).  Plain data, caller-owned. */
struct mo_pass_stats {
    unsigned n;
    struct {
        const char *pass;   /* static strings */
        const char *what;
        long count;
    } items[MO_PASS_STATS_MAX];
    long fp16_compressed;   /* f32 constants stored as f16 */
    long fp16_kept_f32;     /* constants left f32 because a value overflows f16 */
    long fp16_overflow;     /* values that would have been clipped to +-65504/inf */
    long fp16_underflow;    /* non-zero values that became zero in f16 */
};

/* Add n to the (pass, what) counter; NULL stats and n == 0 are no-ops. */
void mo_pass_stats_add(struct mo_pass_stats *s, const char *pass, const char *what, long n);
/* Sum of the counters of one pass (what NULL) or of one (pass, what). */
long mo_pass_stats_get(const struct mo_pass_stats *s, const char *pass, const char *what);

/* --- front passes (framework graph) ---------------------------------------- */

/* Front passes on the framework graph: --input (ports, shapes, types,
 * values, cuts at inner nodes), --output cuts, --input_shape, --batch,
 * --freeze_placeholder_with_value, --static_shape checks. */
enum mo_status mo_passes_front_framework(struct mo_context *ctx, struct mo_graph *fw,
                                         const struct mo_options *opts, struct mo_error *err);
/* The same as mo_passes_front_framework (kept for callers of the first API). */
enum mo_status mo_passes_apply_inputs(struct mo_context *ctx, struct mo_graph *fw,
                                      const struct mo_options *opts, struct mo_error *err);
/* Every IR Parameter must have a known rank once the overrides are in; with
 * --static_shape every dim must be known too. */
enum mo_status mo_passes_check_inputs(struct mo_graph *ir, struct mo_error *err);
enum mo_status mo_passes_check_static(struct mo_graph *ir, const struct mo_options *opts,
                                      struct mo_error *err);

/* --- IR passes --------------------------------------------------------------- */

/* Middle and back passes on the inferred IR graph (stats may be NULL). */
enum mo_status mo_passes_run(struct mo_context *ctx, struct mo_graph *ir,
                             const struct mo_options *opts, struct mo_error *err);
enum mo_status mo_passes_run_stats(struct mo_context *ctx, struct mo_graph *ir,
                                   const struct mo_options *opts, struct mo_pass_stats *stats,
                                   struct mo_error *err);
/* Give every live node a unique name (suffix "_2", "_3"... on repeats). */
enum mo_status mo_passes_unique_names(struct mo_graph *g, struct mo_error *err);

/* The individual passes, each usable alone on an inferred IR graph.  They
 * re-infer what they touch; unchanged weights stay borrowed. */
enum mo_status mo_pass_preprocess(struct mo_context *ctx, struct mo_graph *g,
                                  const struct mo_options *opts, struct mo_pass_stats *st,
                                  struct mo_error *err);
enum mo_status mo_pass_const_fold(struct mo_graph *g, bool static_shape,
                                  struct mo_pass_stats *st, struct mo_error *err);
/* Constant inputs of If/Loop/TensorIterator that reach their bodies
 * whole and uncarried become Consts of the bodies (body_consts.c). */
enum mo_status mo_pass_body_consts(struct mo_graph *g, struct mo_pass_stats *st, struct mo_error *err);
enum mo_status mo_pass_remove_identity(struct mo_graph *g, struct mo_pass_stats *st,
                                       struct mo_error *err);
/* skip: compiled --finegrain_fusing (NULL: fuse everything). */
enum mo_status mo_pass_linear_fuse(struct mo_graph *g, const regex_t *skip,
                                   struct mo_pass_stats *st, struct mo_error *err);
/* Unsqueeze(Gather(shape, scalar)) -> Gather(shape, [k]) (shape_simplify.c). */
enum mo_status mo_pass_shape_simplify(struct mo_graph *g, struct mo_pass_stats *st, struct mo_error *err);
/* Merge nodes that compute the same value (cse.c). */
enum mo_status mo_pass_cse(struct mo_graph *g, struct mo_pass_stats *st, struct mo_error *err);
/* x * Sigmoid(x) -> Swish, the erf form of GELU -> Gelu (act_fuse.c). */
enum mo_status mo_pass_act_fuse(struct mo_graph *g, struct mo_pass_stats *st, struct mo_error *err);
/* Layout Transposes moved forward through the ops that commute with them
 * until they meet their inverse and cancel (transpose_sink.c). */
enum mo_status mo_pass_transpose_sink(struct mo_graph *g, struct mo_pass_stats *st,
                                      struct mo_error *err);
enum mo_status mo_pass_group_conv(struct mo_graph *g, struct mo_pass_stats *st,
                                  struct mo_error *err);
enum mo_status mo_pass_pad_fuse(struct mo_graph *g, struct mo_pass_stats *st,
                                struct mo_error *err);
enum mo_status mo_pass_stride_opt(struct mo_graph *g, struct mo_pass_stats *st,
                                  struct mo_error *err);
enum mo_status mo_pass_fp16(struct mo_context *ctx, struct mo_graph *g, struct mo_pass_stats *st,
                            struct mo_error *err);

/* Compile a --finegrain_fusing value ("conv1,.*Scale.*": comma-separated
 * POSIX extended regexes, each anchored at the start of the node name).
 * *out is regfree()d by the caller on MO_OK. */
enum mo_status mo_pass_compile_finegrain(const char *text, regex_t *out, struct mo_error *err);

/* --- helpers shared by the pass files (util.c) ------------------------------ */

/* Register the ops the passes create (Convert, Gather, Transpose, Pad...)
 * when the op table lacks them, so passes work while core/ops grows. */
enum mo_status mo_pass_ensure_ops(struct mo_context *ctx, struct mo_error *err);
bool mo_pass_is(const struct mo_node *n, const char *type);
bool mo_pass_is_const(const struct mo_node *n);
/* How many inputs of live nodes read v. */
unsigned mo_pass_n_uses(struct mo_graph *g, struct mo_value v);
/* How many inputs of live nodes read each node (any output port), by node
 * id, for the *n nodes there are now (heap, caller frees; NULL on OOM):
 * one walk for a pass that asks about many nodes, where mo_pass_n_uses
 * walks the graph per question. */
unsigned *mo_pass_count_uses(struct mo_graph *g, unsigned *n);
/* The single live consumer of v (NULL if none or several). */
struct mo_node *mo_pass_only_user(struct mo_graph *g, struct mo_value v, unsigned *in_port);
/* Replace every use of from by to, moving from's tensor names to to. */
void mo_pass_replace(struct mo_graph *g, struct mo_value from, struct mo_value to);
/* A Const of element type et and shape s filled from vals (rounded to et). */
struct mo_node *mo_pass_const(struct mo_graph *g, const char *name, enum mo_etype et,
                              const struct mo_shape *s, const double *vals, struct mo_error *err);
/* If t broadcasts against a tensor of rank `rank` along axis `axis` only
 * (all other dims 1, or a scalar), fill out[0..c) (scalars repeated) and
 * return true. */
bool mo_pass_per_channel(const struct mo_tensor *t, int rank, int axis, int64_t c, double *out);
/* Re-infer the whole graph (after a pass rewired it). */
enum mo_status mo_pass_reinfer(struct mo_graph *g, struct mo_error *err);

#endif
