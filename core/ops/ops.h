/* ops.h - the built-in op table, one family per file; core only. */
#ifndef MO_OPS_H
#define MO_OPS_H

#include <string.h>

#include <mo/op.h>

/* One file's ops.  Each family file defines one of these. */
struct mo_op_family {
    const struct mo_op_def *const *defs;
    unsigned n;
};

#define MO_OP_FAMILY(name, ...)                                                    \
    static const struct mo_op_def *const name##_defs[] = {__VA_ARGS__};          \
    const struct mo_op_family name = {name##_defs, MO_COUNT_OF(name##_defs)}

extern const struct mo_op_family mo_ops_io;          /* Parameter Const Result */
extern const struct mo_op_family mo_ops_conv;        /* Convolution and friends */
extern const struct mo_op_family mo_ops_pool;
extern const struct mo_op_family mo_ops_activation;
extern const struct mo_op_family mo_ops_eltwise;
extern const struct mo_op_family mo_ops_matmul;
extern const struct mo_op_family mo_ops_shape;       /* Reshape Concat Transpose Split Tile Broadcast ... */
extern const struct mo_op_family mo_ops_gather;      /* Gather GatherND StridedSlice ... */
extern const struct mo_op_family mo_ops_reduce;      /* Reduce* TopK */
extern const struct mo_op_family mo_ops_norm;        /* Softmax LRN MVN NormalizeL2 ... */
extern const struct mo_op_family mo_ops_resize;      /* Interpolate Pad */
extern const struct mo_op_family mo_ops_misc;        /* Convert ShapeOf Range Select Round ... */
extern const struct mo_op_family mo_ops_detection;   /* PriorBox DetectionOutput Proposal NMS ... */
extern const struct mo_op_family mo_ops_control;     /* If Loop TensorIterator (bodies: mo/body.h) */
extern const struct mo_op_family mo_ops_rnn;         /* LSTMSequence GRUSequence RNNSequence */
extern const struct mo_op_family mo_ops_fft;         /* DFT IDFT RDFT IRDFT */
extern const struct mo_op_family mo_ops_movement;    /* Roll Unique */
extern const struct mo_op_family mo_ops_generation;  /* Eye RandomUniform Multinomial */

/* --- helpers shared by the op files ------------------------------------ */

/* The same element type as input 0 and the shape s on output 0. */
enum mo_status mo_out_like_in0(struct mo_node *n, const struct mo_shape *s);
/* Output 0 = input 0 (type and shape): unary elementwise ops. */
enum mo_status mo_infer_identity(struct mo_node *n, struct mo_error *err);
/* Numpy broadcast of inputs 0 and 1 honouring auto_broadcast; output type
 * out_et (MO_ET_UNDEFINED: that of input 0). */
enum mo_status mo_infer_binary(struct mo_node *n, enum mo_etype out_et, struct mo_error *err);
/* Read an int list attribute, or its spec default; returns the count, -1 if missing. */
int mo_attr_ints(const struct mo_node *n, const char *name, int64_t *out, int max);
/* The string attribute, or its spec default, or "". */
const char *mo_attr_str(const struct mo_node *n, const char *name);
/* Integer/float/bool attribute honouring the op's default. */
int64_t mo_attr_int(const struct mo_node *n, const char *name);
double mo_attr_float(const struct mo_node *n, const char *name);
bool mo_attr_bool(const struct mo_node *n, const char *name);
/* Read a 1-D integer Const input into out (returns count, -1 if not const).
 * The count may exceed max; only max values are stored then. */
int mo_const_ints(const struct mo_node *n, unsigned input, int64_t *out, int max);

/* --- more helpers (shape inference and evaluators) --------------------- */

/* Float list attribute or its spec default ("0.1,0.2"; "" is empty);
 * returns the count, -1 if missing. */
int mo_attr_floats(const struct mo_node *n, const char *name, double *out, int max);
/* A 0-D/1-D Const input read as doubles (count, -1 if not const). */
int mo_const_f64s(const struct mo_node *n, unsigned input, double *out, int max);
/* A scalar or one-element Const input as an integer; false if not const. */
bool mo_const_scalar(const struct mo_node *n, unsigned input, int64_t *v);
/* Output i gets type et and an unknown rank. */
enum mo_status mo_out_unknown(struct mo_node *n, unsigned i, enum mo_etype et);
/* Normalize cnt axes against rank in place.  MO_ERR_SHAPE naming the node
 * when one is out of range, or (unless allow_dup) repeated. */
enum mo_status mo_norm_axes(const struct mo_node *n, int64_t *axes, int cnt, int rank,
                            bool allow_dup, struct mo_error *err);
/* a*b where either may be MO_DYN. */
static inline int64_t mo_dim_mul(int64_t a, int64_t b)
{
    return a < 0 || b < 0 ? MO_DYN : a * b;
}
static inline int64_t mo_dim_add(int64_t a, int64_t b)
{
    return a < 0 || b < 0 ? MO_DYN : a + b;
}
/* Merge two views of one dim: -2 when both are static and differ. */
static inline int64_t mo_dim_merge(int64_t a, int64_t b)
{
    if (a < 0)
        return b;
    if (b < 0 || a == b)
        return a;
    return -2;
}

/* Evaluator helpers.  A new zero-filled tensor for output i (its shape must
 * be static); NULL when it is not (err filled) or memory runs out. */
struct mo_tensor *mo_eval_out(struct mo_node *n, unsigned i, struct mo_error *err);
/* Bytes of one element; 0 for u1 (bit-packed types are not folded). */
size_t mo_elem_size(enum mo_etype et);
/* Row-major strides (in elements) of a static shape. */
void mo_shape_strides(const struct mo_shape *s, int64_t *strides);
/* Step a row-major multi-index through shape s. */
static inline void mo_idx_next(int64_t *idx, const struct mo_shape *s)
{
    for (int d = s->rank - 1; d >= 0; d--) {
        if (++idx[d] < s->dims[d])
            return;
        idx[d] = 0;
    }
}
/* Flat index in src of output index idx under numpy broadcasting (src's
 * dims aligned to the right of out's; size-1 dims repeat). */
int64_t mo_bcast_index(const struct mo_shape *src, const struct mo_shape *out, const int64_t *idx);
/* Store v exactly at element i of an integer tensor (converted for floats). */
void mo_tensor_set_i64(struct mo_tensor *t, int64_t i, int64_t v);
/* Copy element si of src to element di of dst (same element type). */
static inline void mo_copy_elem(struct mo_tensor *dst, int64_t di, const struct mo_tensor *src,
                                int64_t si, size_t esz)
{
    memcpy((char *)dst->owned + (size_t)di * esz, (const char *)src->data + (size_t)si * esz, esz);
}

#endif
