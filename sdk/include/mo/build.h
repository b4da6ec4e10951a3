/* mo/build.h - the translator's builder: IR nodes for one framework node,
 * written as a straight line of calls with one check at the end.
 *
 * A translator (mo/plugin.h: mo_translate_fn) turns one framework node into
 * a few IR nodes.  Done with the raw graph calls, every line is followed by
 * "if it failed, return".  The builder keeps the first error instead, the
 * way ferror() does for a FILE or sqlite3_str for a string: once a call has
 * failed, every later call does nothing and returns an invalid value, and
 * the translator checks once, when it hands its result over.
 *
 * A complete translator (MXNet's FullyConnected without bias, y = x W^T):
 *
 *     #include <mo/mo.h>
 *
 *     static enum mo_status tr_fc(struct mo_tctx *t, const struct mo_node *fw,
 *                                 void *user, struct mo_error *err)
 *     {
 *         (void)user;
 *         struct mo_build *b = mo_build_begin(t, fw, err);
 *         struct mo_value x = mo_build_in(b, 0, "data");
 *         struct mo_value w = mo_build_in(b, 1, "weight");
 *         if (mo_value_shape(x).rank != 2)                    // flatten [N, ...] to [N, K]
 *             x = mo_build_reshape(b, "flatten", x, (int64_t[]){0, -1}, 2, true);
 *         struct mo_value y = mo_build_op(b, "MatMul", NULL, 2, x, w);
 *         mo_build_set_bool(b, y, "transpose_b", true);
 *         return mo_build_done(b, y);
 *     }
 *
 * which emits, for a framework node named "fc1":
 *     Const   "fc1/flatten/shape"  [0, -1]
 *     Reshape "fc1/flatten"        special_zero=true
 *     MatMul  "fc1"                transpose_b=true      (the layer's output 0)
 * and, when input 1 is missing, returns MO_ERR_FORMAT with err reading
 * "input 1 (weight) is missing" (the core prefixes the node's name); no line
 * after mo_build_in needed a check.
 *
 * --- Rules ------------------------------------------------------------------
 *
 * Values.  Every call that makes a node returns a struct mo_value (the node
 * and output port; mo/graph.h).  An invalid value has node NULL
 * (MO_NO_VALUE); it is what every call returns once the builder has failed,
 * and passing one as an input to a healthy builder is itself a failure.
 * Output k of a multi-output op v is mo_val(v.node, k) (still invalid when
 * v is).
 *
 * Names.  A node is named "<framework node>/<suffix>", or after the
 * framework node itself when suffix is NULL: that is the name the layer's
 * output should carry, so give NULL to the node that produces the layer's
 * result and a suffix to every helper node.  The idioms below also make
 * helper constants; the name each one uses is documented with it ("<s>/shape"
 * means "<framework node>/<suffix>/shape", with the listed default standing
 * in for <s> when suffix is NULL).  To name a helper otherwise, build it
 * yourself with the generic calls (mo_build_i64 + mo_build_op): the idioms
 * are shorthand, not the only way.
 *
 * Order.  Nodes are created in call order, and the IR lists them in that
 * order where the topology allows, so a translator's output is
 * deterministic.  C does not fix the order in which a call's arguments are
 * evaluated: never nest two node-creating calls as arguments of one call
 * (bind them to variables first).  One nested call is fine.
 *
 * Errors.  The first failure is kept in the struct mo_error given to
 * mo_build_begin (normally the translator's own err), with its status; the
 * core prefixes the framework node's name and type, so messages say what is
 * wrong and how to fix it, not where.  mo_build_fail() records a plain bad
 * input or attribute.  Ownership never depends on success: a tensor handed
 * over is taken over, also when the builder had already failed.
 *
 * Shapes.  The inputs of the framework node (mo_build_in) arrive inferred:
 * their element type and shape are known.  Nodes the translator creates are
 * inferred by the core after it returns, so their shapes are unknown until
 * then; call mo_build_infer() on one whose shape you need (e.g. a Split
 * whose outputs are counted).
 *
 * Checks.  A translator validates attributes and input shapes as it goes
 * and reports with `return mo_build_error(...)` or mo_build_fail().  After
 * a failure the values it reads are invalid (unknown rank, undefined type),
 * so write checks that hold for rank MO_RANK_UNKNOWN (test the rank before
 * indexing dims, and never dereference v.node without knowing v is valid);
 * any error they record then is dropped in favour of the first.  Where a
 * computation cannot go on without valid inputs (array sizes taken from a
 * shape), test mo_build_ok() once and return mo_build_status().  A Const's
 * mo_value_shape() is its tensor's shape.
 *
 * Memory.  The builder, its names and its nodes live in the IR graph's
 * arena; nothing here is ever freed by the translator.  A translator that
 * returns MO_ERR_DECLINED has every node it made discarded by the core.
 *
 * Attributes.  Setters (mo_build_set_*) copy their arguments and return the
 * value they were given, so they nest:  return mo_build_done(b,
 * mo_build_set_int(b, mo_build_op(b, "Softmax", NULL, 1, x), "axis", 1));
 * The XML writer writes an op's attributes in the order of its schema
 * (mo/op.h), whatever order they were set in. */
#ifndef MO_BUILD_H
#define MO_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mo/attr.h>
#include <mo/graph.h>
#include <mo/plugin.h>
#include <mo/status.h>
#include <mo/tensor.h>
#include <mo/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque: its layout is libmo's own and may change between versions. */
struct mo_build;

#define MO_NO_VALUE ((struct mo_value){NULL, 0})

/* --- lifecycle and status ------------------------------------------------ */

/* A builder for translating fw (the node the translator was called for)
 * within t.  The first error is written to err (NULL: the builder keeps a
 * private one).  Allocated in the IR graph's arena, never freed by the
 * caller.  Returns NULL only when memory runs out (err filled); every
 * function below accepts a NULL builder as one that has failed. */
struct mo_build *mo_build_begin(struct mo_tctx *t, const struct mo_node *fw, struct mo_error *err);

/* True while nothing has failed. */
bool mo_build_ok(const struct mo_build *b);
/* MO_OK, or the status of the first failure (MO_ERR_NOMEM for b NULL). */
enum mo_status mo_build_status(const struct mo_build *b);

/* Record a failure: code, FAQ entry (docs/faq.md, 0 for none) and a
 * printf-style message.  Ignored when the builder has already failed (the
 * first error is the one the user needs).  Returns mo_build_status(b), so
 * `return mo_build_error(...)` works. */
enum mo_status mo_build_error(struct mo_build *b, enum mo_status code, int faq, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* mo_build_error(b, MO_ERR_FORMAT, 0, ...): a bad attribute or input of the
 * model ("kernel has 4 values for a 2-D input"). */
enum mo_status mo_build_fail(struct mo_build *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Adopt the status of a call made outside the builder that wrote its
 * message into the builder's err itself (a frontend's attribute parser):
 * st != MO_OK fails the builder with st (the message already in err; if
 * there is none, mo_status_str(st)).  Returns mo_build_status(b). */
enum mo_status mo_build_check(struct mo_build *b, enum mo_status st);

/* The end of a translator: declare v as framework output 0 (its framework
 * tensor names follow it into the .mapping file) and return the status.
 * v invalid on a healthy builder declares nothing (for translators that
 * declared their outputs with mo_build_output already). */
enum mo_status mo_build_done(struct mo_build *b, struct mo_value v);
/* Declare v as framework output i (mo_tctx_set_output).  v invalid or i
 * past the node's outputs on a healthy builder is a failure (MO_ERR_INTERNAL).
 * Returns mo_build_status(b). */
enum mo_status mo_build_output(struct mo_build *b, unsigned i, struct mo_value v);

/* --- context ------------------------------------------------------------- */

struct mo_tctx *mo_build_tctx(const struct mo_build *b);
/* The framework node being translated (NULL for b NULL). */
const struct mo_node *mo_build_fw(const struct mo_build *b);
/* The IR graph nodes go to (NULL for b NULL). */
struct mo_graph *mo_build_graph(const struct mo_build *b);
/* "<framework node>/<suffix>" (suffix NULL: the node's name), in the graph
 * arena; NULL once failed or when memory runs out (then the builder fails). */
const char *mo_build_name(struct mo_build *b, const char *suffix);

/* --- inputs and values ----------------------------------------------------- */

/* The IR value feeding framework input i.  A missing one (i past the
 * node's inputs, or unconnected) fails with MO_ERR_FORMAT, FAQ 2, and the
 * message "input <i> (<what>) is missing", or, what NULL, "input <i> is
 * missing (the node has <n>)". */
struct mo_value mo_build_in(struct mo_build *b, unsigned i, const char *what);
/* Like mo_build_in for an optional input: missing gives MO_NO_VALUE and no
 * failure. */
struct mo_value mo_build_in_opt(struct mo_build *b, unsigned i);

/* Element type and shape of a value as inferred so far (undefined /
 * MO_RANK_UNKNOWN for an invalid or not yet inferred value).  No builder
 * needed: these only read. */
enum mo_etype mo_value_et(struct mo_value v);
struct mo_shape mo_value_shape(struct mo_value v);
/* True when v's shape is known and static (then *out, if non-NULL, holds it). */
bool mo_value_static(struct mo_value v, struct mo_shape *out);
/* The tensor behind v when v is a Const (borrowed from the node), else NULL. */
struct mo_tensor *mo_value_const(struct mo_value v);

/* Infer v's node now, so that its output shapes can be read (the core
 * infers every new node after the translator anyway), together with the
 * nodes of this translation it depends on, which are not inferred yet
 * either.  Returns v. */
struct mo_value mo_build_infer(struct mo_build *b, struct mo_value v);

/* --- operations ------------------------------------------------------------- */

/* An IR op of any registered type (mo/op.h; built-in or an extension's) on
 * n inputs, each a struct mo_value passed by value.  type may name a
 * version, "Type-N" (opsetN): mo_build_op(b, "MaxPool-8", NULL, 1, x) for
 * the MaxPool that also returns indices; the bare name is the default
 * version (mo/op.h, Versions).  Named after suffix
 * (see Names).  Attributes are set afterwards.  Fails when the type is not
 * in the op table, the input count is out of the op's range, or an input
 * is invalid.  Returns output 0. */
struct mo_value mo_build_op(struct mo_build *b, const char *type, const char *suffix, unsigned n, ...);
/* The same with the inputs in an array (in is only read; n may be 0). */
struct mo_value mo_build_opv(struct mo_build *b, const char *type, const char *suffix, unsigned n,
                             const struct mo_value *in);

/* Attributes of v's node; each returns v (MO_NO_VALUE once failed).
 * Strings and lists are copied into the graph. */
struct mo_value mo_build_set_int(struct mo_build *b, struct mo_value v, const char *name, int64_t x);
struct mo_value mo_build_set_float(struct mo_build *b, struct mo_value v, const char *name, double x);
struct mo_value mo_build_set_bool(struct mo_build *b, struct mo_value v, const char *name, bool x);
struct mo_value mo_build_set_str(struct mo_build *b, struct mo_value v, const char *name, const char *x);
struct mo_value mo_build_set_ints(struct mo_build *b, struct mo_value v, const char *name,
                                  const int64_t *x, size_t n);
struct mo_value mo_build_set_floats(struct mo_build *b, struct mo_value v, const char *name,
                                    const double *x, size_t n);
struct mo_value mo_build_set_strs(struct mo_build *b, struct mo_value v, const char *name,
                                  const char *const *x, size_t n);
/* Copy attribute a (any kind, e.g. one of the framework node's) under its
 * own name.  a NULL (mo_node_attr() of an attribute the model left out)
 * copies nothing and is no failure. */
struct mo_value mo_build_copy_attr(struct mo_build *b, struct mo_value v, const struct mo_attr *a);

/* --- constants ---------------------------------------------------------------- */

/* A 1-D i64 Const of n values (copied; n may be 0, then v may be NULL). */
struct mo_value mo_build_i64(struct mo_build *b, const char *suffix, const int64_t *v, size_t n);
/* A 0-D i64 Const. */
struct mo_value mo_build_i64_scalar(struct mo_build *b, const char *suffix, int64_t v);
/* A 0-D Const of element type et (MO_ET_UNDEFINED: f32) holding x
 * converted; broadcasts against anything under numpy rules. */
struct mo_value mo_build_scalar(struct mo_build *b, const char *suffix, enum mo_etype et, double x);
/* A Const of type et and static shape sh filled from vals[0..numel)
 * (converted to et; vals is only read). */
struct mo_value mo_build_const(struct mo_build *b, const char *suffix, enum mo_etype et,
                               const struct mo_shape *sh, const double *vals);
/* A Const holding tensor t: the caller's reference is taken over, also on
 * failure and also when the builder had already failed.  t NULL (a failed
 * mo_tensor_* call that wrote err) fails the builder with what is in err. */
struct mo_value mo_build_tensor(struct mo_build *b, const char *suffix, struct mo_tensor *t);

/* --- idioms ----------------------------------------------------------------------
 * Each returns the value of its last node, named after suffix. */

/* Reshape v to dims[0..rank) (a Const "<s>/shape", s = "reshape"), with
 * special_zero as given (true: a 0 copies the input dim, -1 infers). */
struct mo_value mo_build_reshape(struct mo_build *b, const char *suffix, struct mo_value v,
                                 const int64_t *dims, int rank, bool special_zero);
/* Reshape v to the 1-D i64 value shape (computed, or a Const you named). */
struct mo_value mo_build_reshape_to(struct mo_build *b, const char *suffix, struct mo_value v,
                                    struct mo_value shape, bool special_zero);
/* v with static shape sh.  A Const is reshaped in place of being copied: a
 * new Const named after suffix sharing v's bytes (borrowed from the model
 * file); an element count that does not fit fails with MO_ERR_SHAPE naming
 * v's node ("weight '<name>' has shape [..]").  Anything else gets
 * mo_build_reshape(b, suffix, v, sh->dims, sh->rank, false). */
struct mo_value mo_build_reshape_value(struct mo_build *b, const char *suffix, struct mo_value v,
                                       const struct mo_shape *sh);
/* Transpose v by perm[0..rank) (a Const "<s>/order", s = "transpose"). */
struct mo_value mo_build_transpose(struct mo_build *b, const char *suffix, struct mo_value v,
                                   const int64_t *perm, int rank);
/* Convert v to et (destination_type). */
struct mo_value mo_build_convert(struct mo_build *b, const char *suffix, struct mo_value v, enum mo_etype et);
/* Squeeze the axes[0..n) of v (a Const "<s>/axes", s = "squeeze"); n 0:
 * every dim of size 1 (a one-input Squeeze, no Const). */
struct mo_value mo_build_squeeze(struct mo_build *b, const char *suffix, struct mo_value v,
                                 const int64_t *axes, int n);
/* Insert dims of size 1 at axes[0..n) of the output (a Const "<s>/axes",
 * s = "unsqueeze"). */
struct mo_value mo_build_unsqueeze(struct mo_build *b, const char *suffix, struct mo_value v,
                                   const int64_t *axes, int n);
/* Concat of in[0..n) along axis (already normalized, >= 0). */
struct mo_value mo_build_concat(struct mo_build *b, const char *suffix, int64_t axis, unsigned n,
                                const struct mo_value *in);
/* StridedSlice of v over its first n axes: Consts "<s>/begin", "<s>/end",
 * "<s>/stride" (bare "begin", "end", "stride" when suffix is NULL),
 * begin_mask/end_mask from the arrays (NULL: zeros: every bound is used).
 * The other masks (new_axis, shrink_axis, ellipsis) are left unset; set
 * them with mo_build_set_ints when they matter. */
struct mo_value mo_build_strided_slice(struct mo_build *b, const char *suffix, struct mo_value v,
                                       const int64_t *begin, const int64_t *end,
                                       const int64_t *stride, int n, const int64_t *begin_mask,
                                       const int64_t *end_mask);
/* Slice-8 of v: start/stop/step on axes[0..n): Consts "<s>/start",
 * "<s>/stop", "<s>/step", "<s>/axes" (bare names when suffix is NULL). */
struct mo_value mo_build_slice(struct mo_build *b, const char *suffix, struct mo_value v,
                               const int64_t *start, const int64_t *stop, const int64_t *step,
                               const int64_t *axes, int n);
/* ShapeOf v as et (MO_ET_I64 or MO_ET_I32; MO_ET_UNDEFINED: i64). */
struct mo_value mo_build_shape_of(struct mo_build *b, const char *suffix, struct mo_value v, enum mo_etype et);
/* Gather of data at indices idx along axis (a 0-D Const "<s>/axis", bare
 * "axis" when suffix is NULL); batch_dims left at its default 0. */
struct mo_value mo_build_gather(struct mo_build *b, const char *suffix, struct mo_value data,
                                struct mo_value idx, int64_t axis);
/* Dims idx[0..n) of v's shape as a 1-D i64 value, for targets computed at
 * run time.  When those dims are static it is a Const "<s>" holding them
 * (it folds away); else ShapeOf "<s>/shape" -> Gather "<s>" with Consts
 * "<s>/indices" and "<s>/axis" (s = "dims").  Negative idx count from the
 * end; v's rank must be known. */
struct mo_value mo_build_dims(struct mo_build *b, const char *suffix, struct mo_value v,
                              const int64_t *idx, int n);
/* Numpy-style alignment: v with leading dims of size 1 added until it has
 * rank `rank` (Unsqueeze with Const "<s>/axes", s = "align"); v itself when
 * its rank is unknown or not lower. */
struct mo_value mo_build_align_numpy(struct mo_build *b, const char *suffix, struct mo_value v, int rank);
/* Axis-style alignment of the legacy elementwise ops (Caffe's, MXNet's and
 * Paddle's `axis`): v's dims line up with those of a rank-`rank` operand
 * starting at `axis`, so trailing dims of size 1 are added (Unsqueeze with
 * Const "<s>/axes", s = "align") until numpy broadcasting applies.  v
 * itself when nothing is needed: unknown rank, axis < 0, equal ranks, or
 * v already reaching the last dim. */
struct mo_value mo_build_align_axis(struct mo_build *b, const char *suffix, struct mo_value v,
                                    int axis, int rank);
/* Layout moves of a rank-`rank` value (rank >= 3): channels-last to
 * channels-first, perm {0, rank-1, 1, ..., rank-2} (Transpose "<s>", its
 * Const "<s>/order", s = "to_nchw"), and back, perm {0, 2, ..., rank-1, 1}
 * (s = "to_nhwc").  Put one before and one after a layout-sensitive op. */
struct mo_value mo_build_to_nchw(struct mo_build *b, const char *suffix, struct mo_value v, int rank);
struct mo_value mo_build_to_nhwc(struct mo_build *b, const char *suffix, struct mo_value v, int rank);

#ifdef __cplusplus
}
#endif
#endif
