/* ops.h - the built-in op table, one family per file; core only. */
#ifndef MO_OPS_H
#define MO_OPS_H

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
extern const struct mo_op_family mo_ops_shape;       /* Reshape Transpose Squeeze ... */
extern const struct mo_op_family mo_ops_gather;      /* Gather GatherND StridedSlice ... */
extern const struct mo_op_family mo_ops_reduce;
extern const struct mo_op_family mo_ops_norm;        /* Softmax LRN MVN NormalizeL2 ... */
extern const struct mo_op_family mo_ops_resize;      /* Interpolate Pad Tile Broadcast */
extern const struct mo_op_family mo_ops_misc;        /* Convert ShapeOf Range TopK Select Round */
extern const struct mo_op_family mo_ops_detection;   /* PriorBox DetectionOutput Proposal ROIPooling */

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
/* Read a 1-D integer Const input into out (returns count, -1 if not const). */
int mo_const_ints(const struct mo_node *n, unsigned input, int64_t *out, int max);

#endif
