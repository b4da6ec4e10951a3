/* tr_util.h - helpers shared by the MXNet translators (plugin-internal).
 *
 * Ownership: every helper that creates a node returns NULL with err filled
 * on failure; nodes belong to the IR graph being built (mo_tctx_graph), so
 * nothing a helper returns needs freeing.  Names of helper nodes are
 * "<fw node>/<suffix>" (suffix NULL: the fw node's own name, for the node
 * that produces a translated layer's output). */
#ifndef MO_MX_TR_UTIL_H
#define MO_MX_TR_UTIL_H

#include "mxnet.h"

/* MO_ERR_DECLINED (the node is left to another translator or an
 * extension), unless b has already failed: then b's status, so that a
 * missing input is reported rather than declined. */
static inline enum mo_status mo_mx_decline(const struct mo_build *b)
{
    return mo_build_ok(b) ? MO_ERR_DECLINED : mo_build_status(b);
}

/* Normalize the MXNet axis value `axis` of attribute attr against rank:
 * true with *out set; else false with *out 0 and b failed ("<attr>=<axis>
 * is out of range for an input of rank <rank>"; the first error stays when
 * b had failed already). */
bool mo_mx_axis(struct mo_build *b, const char *attr, int64_t axis, int rank, int *out);

/* Status to return after a constructor returned NULL (err is caller's). */
static inline enum mo_status mo_mx_status(const struct mo_error *err)
{
    return err && err->code != MO_OK ? err->code : MO_ERR_NOMEM;
}

/* Return the failure status from the enclosing translator (which has a
 * `struct mo_error *err`) when x is false/NULL. */
#define MO_MX_TRY(x)                                                                   \
    do {                                                                               \
        if (!(x))                                                                      \
            return mo_mx_status(err);                                                  \
    } while (0)

/* The output port behind v (borrowed from v's node). */
const struct mo_output *mo_mx_out(struct mo_value v);

/* The constant tensor behind value v (borrowed from v's node), or NULL if
 * v is not a Const. */
struct mo_tensor *mo_mx_const_of(struct mo_value v);

/* Declare n as the layer's output 0 (most translators have one output);
 * n NULL (a failed constructor) returns mo_mx_status(err). */
enum mo_status mo_mx_done(struct mo_tctx *t, struct mo_node *n, struct mo_error *err);

/* Shape / element type of framework input i as already inferred on the IR
 * side (unknown rank / undefined when the input is unconnected). */
struct mo_shape mo_mx_in_shape(struct mo_tctx *t, unsigned i);
enum mo_etype mo_mx_in_et(struct mo_tctx *t, unsigned i);

/* Input i (value borrowed from the IR graph), or an error saying it is
 * missing (a plain bad model). */
enum mo_status mo_mx_input(struct mo_tctx *t, const struct mo_node *fw, unsigned i,
                           struct mo_value *out, struct mo_error *err);
/* Input i as a value; a missing one (node NULL) fills err naming the slot
 * `what` ("input %u (%s) is missing"). */
struct mo_value mo_mx_in(struct mo_tctx *t, const struct mo_node *fw, unsigned i, const char *what,
                         struct mo_error *err);
/* Constants named "<fw node>/<suffix>" (values copied; the node is the
 * graph's). */
struct mo_node *mo_mx_const_i64(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                const int64_t *v, size_t n, struct mo_error *err);
struct mo_node *mo_mx_scalar_i64(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                 int64_t v, struct mo_error *err);
/* A constant tensor named "<fw node>/<suffix>": the reference to v is
 * taken over, also on failure. */
struct mo_node *mo_mx_const_tensor(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                   struct mo_tensor *v, struct mo_error *err);
/* A constant of element type et and shape sh filled from vals (converted;
 * vals is only read). */
struct mo_node *mo_mx_const(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                            enum mo_etype et, const struct mo_shape *sh, const double *vals,
                            struct mo_error *err);
/* A 0-D constant of type et (MO_ET_UNDEFINED: f32): broadcasts against
 * anything. */
struct mo_node *mo_mx_scalar(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                             enum mo_etype et, double v, struct mo_error *err);

/* IR op of `type` on n inputs (struct mo_value each, at most 8; a NULL one
 * is a failure); suffix NULL names it after the framework node. */
struct mo_node *mo_mx_op(struct mo_tctx *t, const char *type, const char *suffix,
                         struct mo_error *err, unsigned n, ...);

/* Reshape v to static dims (no special zero); the shape constant is named
 * "<suffix>/shape" (suffix NULL: "reshape/shape"). */
struct mo_node *mo_mx_reshape(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                              struct mo_value v, const int64_t *dims, int rank,
                              struct mo_error *err);
/* v with shape sh: a constant is reshaped in place of copying (a new Const
 * "<fw>/<suffix>" sharing the bytes borrowed from the model file; a count
 * mismatch is a shape error naming the weight); anything else gets
 * mo_mx_reshape.  Node NULL in the result on failure. */
struct mo_value mo_mx_reshape_value(struct mo_tctx *t, const struct mo_node *fw, struct mo_value v,
                                    const char *suffix, const struct mo_shape *sh,
                                    struct mo_error *err);
/* Transpose v by perm (rank entries). */
struct mo_node *mo_mx_transpose(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                struct mo_value v, const int64_t *perm, int rank,
                                struct mo_error *err);
/* Convert v to et. */
struct mo_node *mo_mx_convert(struct mo_tctx *t, const char *suffix, struct mo_value v,
                              enum mo_etype et, struct mo_error *err);

/* Normalize an MXNet axis against rank (bad axis: error naming the attribute). */
enum mo_status mo_mx_axis_err(const char *attr, int64_t axis, int rank, int *out,
                          struct mo_error *err);

/* Error for a plain bad attribute or input (the core prefixes the node). */
enum mo_status mo_mx_bad(struct mo_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* An MXNet dtype name ("float32", "int64", ...) as an IR element type;
 * MO_ET_UNDEFINED when unknown. */
enum mo_etype mo_mx_dtype(const char *name);

/* True when the attribute is absent or spelled "None". */
bool mo_mx_attr_none(const struct mo_node *fw, const char *name);

/* Read an int list attribute that may hold "None" entries, e.g.
 * "(None, 1, -2)": present[i] false for None.  Returns the count, -1 when
 * the attribute is absent, -2 when it cannot be read. */
int mo_mx_get_opt_ints(const struct mo_node *fw, const char *name, int64_t *v, bool *present,
                       int max);

/* DetectionOutput's priors input [1, 2, na*4] ("<fw>/priors_var"): the
 * na boxes of anchors (any shape of na*4 values), then var[0..3] (read,
 * as f32) repeated for every box. */
struct mo_node *mo_mx_priors_var(struct mo_tctx *t, const struct mo_node *fw, struct mo_value anchors,
                                 int64_t na, const double *var, struct mo_error *err);

/* Read the MXNet tuple attribute `name` ("(3, 3)") of b's framework node:
 * exactly n values into out; absent or "()" gives dflt everywhere.  A
 * single value is repeated (MXNet accepts kernel=3 for 1-D layers only,
 * but older files wrote "3" for all).  A wrong count fails b and returns
 * false. */
bool mo_mx_tuple(struct mo_build *b, const char *name, int n, int64_t dflt, int64_t *out);

/* Product of dims [from, to) of a static shape. */
int64_t mo_mx_prod(const struct mo_shape *s, int from, int to);

/* Every translator needs static input shapes to compute exact targets;
 * false (after logging nothing) when input i's shape is not static. */
bool mo_mx_static(struct mo_tctx *t, unsigned i, struct mo_shape *out);

#endif
