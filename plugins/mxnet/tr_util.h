/* tr_util.h - helpers shared by the MXNet translators (plugin-internal). */
#ifndef MO_MX_TR_UTIL_H
#define MO_MX_TR_UTIL_H

#include "mxnet.h"

/* Shape / element type of framework input i as already inferred on the IR
 * side (unknown rank / undefined when the input is unconnected). */
struct mo_shape mo_mx_in_shape(struct mo_tctx *t, unsigned i);
enum mo_etype mo_mx_in_et(struct mo_tctx *t, unsigned i);

/* Input i, or an error saying it is missing (a plain bad model). */
enum mo_status mo_mx_input(struct mo_tctx *t, const struct mo_node *fw, unsigned i,
                           struct mo_value *out, struct mo_error *err);

/* Constants named "<fw node>/<suffix>". */
struct mo_node *mo_mx_const_i64(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                const int64_t *v, size_t n, struct mo_error *err);
struct mo_node *mo_mx_scalar_i64(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                 int64_t v, struct mo_error *err);
/* A constant tensor (reference taken over) named "<fw node>/<suffix>". */
struct mo_node *mo_mx_const_tensor(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                   struct mo_tensor *v, struct mo_error *err);

/* IR op of `type` on n inputs (struct mo_value each); suffix NULL names it
 * after the framework node. */
struct mo_node *mo_mx_op(struct mo_tctx *t, const char *type, const char *suffix,
                         struct mo_error *err, unsigned n, ...);

/* Reshape v to static dims (no special zero). */
struct mo_node *mo_mx_reshape(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                              struct mo_value v, const int64_t *dims, int rank,
                              struct mo_error *err);
/* Transpose v by perm (rank entries). */
struct mo_node *mo_mx_transpose(struct mo_tctx *t, const struct mo_node *fw, const char *suffix,
                                struct mo_value v, const int64_t *perm, int rank,
                                struct mo_error *err);
/* Convert v to et. */
struct mo_node *mo_mx_convert(struct mo_tctx *t, const char *suffix, struct mo_value v,
                              enum mo_etype et, struct mo_error *err);

/* Normalize an MXNet axis against rank (bad axis: error naming the attribute). */
enum mo_status mo_mx_axis(const char *attr, int64_t axis, int rank, int *out,
                          struct mo_error *err);

/* Error for a plain bad attribute or input (the core prefixes the node). */
enum mo_status mo_mx_bad(struct mo_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Status to return after a constructor returned NULL. */
static inline enum mo_status mo_mx_status(const struct mo_error *err)
{
    return err && err->code != MO_OK ? err->code : MO_ERR_NOMEM;
}

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

/* Product of dims [from, to) of a static shape. */
int64_t mo_mx_prod(const struct mo_shape *s, int from, int to);

/* Every translator needs static input shapes to compute exact targets;
 * false (after logging nothing) when input i's shape is not static. */
bool mo_mx_static(struct mo_tctx *t, unsigned i, struct mo_shape *out);

#endif
