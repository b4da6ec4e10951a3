/* paddle.h - internals of the PaddlePaddle frontend plugin shared by its files.
 *
 * The loaders (program.c for ProgramDesc .pdmodel / __model__, pir.c for
 * Paddle 3's PIR model.json) build one and the same framework graph:
 *   - a node per Paddle operator, its type the legacy operator name
 *     ("conv2d", "elementwise_add", "reshape2"...; PIR op names are mapped
 *     onto those), its attributes typed as Paddle stores them;
 *   - the inputs flattened slot by slot in the order the op lists them; the
 *     string-list attribute MO_PD_IN_SLOTS names the slot of each input and
 *     MO_PD_OUT_SLOTS the slot of each output, so translators ask for
 *     "Filter" or "Bias" rather than for a position;
 *   - feed targets as "Parameter" nodes, persistable variables as "Const"
 *     nodes whose values are borrowed from the mapped parameter file, fetch
 *     targets as graph outputs.
 * Translators live in tr_<family>.c, each exporting one table that
 * frontend.c registers at MO_TIER_STANDARD, rank 0. */
#ifndef MO_PADDLE_H
#define MO_PADDLE_H

#include <mo/mo.h>

#define MO_PD_FRAMEWORK "paddle"
#define MO_PD_IN_SLOTS "@in_slots"
#define MO_PD_OUT_SLOTS "@out_slots"

struct mo_pd_translator {
    const char *op;           /* legacy Paddle op type */
    mo_translate_fn fn;
};

struct mo_pd_table {
    const struct mo_pd_translator *v;
    unsigned n;
};

#define MO_PD_TABLE(name, ...)                                                   \
    static const struct mo_pd_translator name##_v[] = {__VA_ARGS__};             \
    const struct mo_pd_table name = {name##_v, MO_COUNT_OF(name##_v)}

extern const struct mo_pd_table mo_pd_tr_conv;       /* conv2d depthwise_conv2d conv2d_transpose */
extern const struct mo_pd_table mo_pd_tr_pool;       /* pool2d */
extern const struct mo_pd_table mo_pd_tr_norm;       /* batch_norm layer_norm lrn softmax log_softmax */
extern const struct mo_pd_table mo_pd_tr_activation; /* relu relu6 sigmoid hard_* swish gelu clip ... */
extern const struct mo_pd_table mo_pd_tr_eltwise;    /* elementwise_* scale */
extern const struct mo_pd_table mo_pd_tr_matmul;     /* matmul matmul_v2 mul */
extern const struct mo_pd_table mo_pd_tr_shape;      /* reshape2 transpose2 flatten concat split slice ... */
extern const struct mo_pd_table mo_pd_tr_misc;       /* dropout shape cast gather fill_constant ... */
extern const struct mo_pd_table mo_pd_tr_resize;     /* *_interp(_v2) pad3d */
extern const struct mo_pd_table mo_pd_tr_reduce;     /* reduce_* arg_max */
extern const struct mo_pd_table mo_pd_tr_detection;  /* prior_box box_coder multiclass_nms3 yolo_box */

/* --- helpers for translators (tr_util.c) ----------------------------- */

/* Index of the k-th framework input in slot `slot`, or -1 when the slot has
 * fewer than k+1 arguments. */
int mo_pd_in_index(const struct mo_node *fw, const char *slot, unsigned k);
/* Number of arguments in input slot `slot`. */
unsigned mo_pd_in_count(const struct mo_node *fw, const char *slot);
/* Same for outputs. */
int mo_pd_out_index(const struct mo_node *fw, const char *slot, unsigned k);

/* The IR value of the k-th argument of input slot `slot`; node NULL when
 * the slot is absent (optional inputs). */
struct mo_value mo_pd_in(struct mo_tctx *t, const struct mo_node *fw, const char *slot,
                         unsigned k);
/* Like mo_pd_in but a missing input is an error naming the slot. */
enum mo_status mo_pd_need(struct mo_tctx *t, const struct mo_node *fw, const char *slot,
                          struct mo_value *out, struct mo_error *err);
/* Declare v as the k-th argument of output slot `slot` (no-op when the
 * node has no such output). */
enum mo_status mo_pd_set_out(struct mo_tctx *t, const struct mo_node *fw, const char *slot,
                             struct mo_value v, struct mo_error *err);

/* Shape and element type of an IR value (unknown rank if node is NULL). */
struct mo_shape mo_pd_shape(struct mo_value v);
enum mo_etype mo_pd_et(struct mo_value v);

/* IR op named after the framework node ("<node>/<suffix>" with a suffix). */
struct mo_node *mo_pd_op(struct mo_tctx *t, const char *type, const char *suffix,
                         struct mo_error *err, unsigned n, ...);
/* Constants named "<node>/<suffix>"; 1-D unless scalar. */
struct mo_node *mo_pd_i64(struct mo_tctx *t, const char *suffix, const int64_t *v, size_t n,
                          struct mo_error *err);
struct mo_node *mo_pd_scalar_i64(struct mo_tctx *t, const char *suffix, int64_t v,
                                 struct mo_error *err);
/* A scalar constant of element type et holding v (broadcasts anywhere). */
struct mo_node *mo_pd_scalar(struct mo_tctx *t, const char *suffix, enum mo_etype et,
                             double v, struct mo_error *err);
/* Const holding v, named after the node (takes the reference on v). */
struct mo_node *mo_pd_const_tensor(struct mo_tctx *t, const char *suffix, struct mo_tensor *v,
                                   struct mo_error *err);
/* Reshape to static dims (special_zero false). */
struct mo_node *mo_pd_reshape(struct mo_tctx *t, const char *suffix, struct mo_value v,
                              const int64_t *dims, int rank, struct mo_error *err);
struct mo_node *mo_pd_transpose(struct mo_tctx *t, const char *suffix, struct mo_value v,
                                const int64_t *perm, int rank, struct mo_error *err);
struct mo_node *mo_pd_convert(struct mo_tctx *t, const char *suffix, struct mo_value v,
                              enum mo_etype et, struct mo_error *err);
/* Unsqueeze v (rank r) so that it broadcasts against a rank-`rank` tensor
 * starting at axis `axis` (Paddle's elementwise axis rule); v itself when
 * no reshape is needed. */
enum mo_status mo_pd_align(struct mo_tctx *t, const char *suffix, struct mo_value *v,
                           int axis, int rank, struct mo_error *err);

/* NHWC <-> NCHW around layout-sensitive ops, by the node's data_format /
 * data_layout attribute; no-op for NCHW (tr_conv.c).  New nodes belong to
 * the IR graph. */
enum mo_status mo_pd_to_nchw(struct mo_tctx *t, const struct mo_node *fw, struct mo_value *x,
                             struct mo_error *err);
enum mo_status mo_pd_from_nchw(struct mo_tctx *t, const struct mo_node *fw, struct mo_value *y,
                               struct mo_error *err);

/* Rewrite a Reshape target d[0..n) (special-zero semantics) so that at
 * most one entry stays unknown: zeros over static input dims become the
 * dim, and -1 is computed when every dynamic input dim is copied by a
 * zero.  Keeps the meaning; avoids "-1 plus a copied dynamic dim". */
void mo_pd_resolve_target(const struct mo_shape *xs, int64_t *d, int n);

/* Error for a bad attribute/input (the core prefixes the node). */
enum mo_status mo_pd_bad(struct mo_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline enum mo_status mo_pd_status(const struct mo_error *err)
{
    return err && err->code != MO_OK ? err->code : MO_ERR_NOMEM;
}

/* Int list attribute (Paddle stores INTS or LONGS); count or -1. */
int mo_pd_ints(const struct mo_node *fw, const char *name, int64_t *out, int max);
/* A Paddle dtype (VarType.Type number) as an IR element type,
 * MO_ET_UNDEFINED for non-numeric or unknown types. */
enum mo_etype mo_pd_etype(int vartype);
/* A dtype name as PIR spells it ("float32", "int64"...). */
enum mo_etype mo_pd_etype_name(const char *name);

/* Axis attribute `name` (default dflt) normalized against rank; error
 * naming the attribute when out of range. */
enum mo_status mo_pd_axis(const struct mo_node *fw, const char *name, int64_t dflt, int rank,
                          int *out, struct mo_error *err);

#endif
