/* tf.h - internals of the TensorFlow frontend plugin shared by its files.
 *
 * The loader (graph.c, tensor.c, inline.c) builds a framework graph from a
 * GraphDef (binary .pb, or text .pbtxt), its library's function calls and
 * functional Ifs inlined first (inline.c):
 *   - a node per NodeDef, its type the op name, its attributes typed as
 *     TensorFlow stores them: s -> string, i -> int, f -> float, b -> bool,
 *     type -> int (the DataType number), shape -> ints (dims, -1 unknown;
 *     absent for an unknown rank), tensor -> tensor, lists -> ints, floats,
 *     strings (list(type) -> ints);
 *   - data inputs in NodeDef order ("name" is output 0, "name:k" output k);
 *     control inputs ("^name") and NoOp nodes are left out; a node has as
 *     many outputs as its consumers reach (at least one), output 0 named
 *     after the node, output k "name:k";
 *   - Placeholder as "Parameter" (dtype, shape attr), Const as "Const"
 *     whose tensor_content is borrowed from the mapped file;
 *   - graph outputs: every node no other node reads or waits for (a
 *     control input), but Const and Parameter;
 *   - the Merge ending a lowered tf.cond gets the predicate as an extra
 *     input (MO_TF_TRUE_INPUT below);
 *   - While / StatelessWhile / If / StatelessIf nodes own their functions
 *     as framework bodies, and TF1 while frames and conditionals become
 *     such While and If nodes first (frames.c); tr_flow.c makes them the
 *     IR's Loop and If.
 * Identity, IdentityN, StopGradient and Snapshot stay nodes and translate to
 * their inputs, so their names (TF2's outputs are "Identity", "Identity_1")
 * remain addressable by --output.
 * Translators live in tr_<family>.c, each exporting one table.  Layout:
 * TensorFlow's NHWC ops are surrounded by mo_build_to_nchw/to_nhwc
 * (mo_tf_in_nchw / mo_tf_out_nhwc); the IR keeps the model's layout at its
 * inputs and outputs. */
#ifndef MO_TF_H
#define MO_TF_H

#include <mo/mo.h>

#define MO_TF_FRAMEWORK "tf"
/* A Merge ending a TF1 tf.cond: input 2 is the predicate (added by the
 * loader), this attribute the index (0 or 1) of the true branch's input. */
#define MO_TF_TRUE_INPUT "@true_input"
/* A functional If with both branches inlined (inline.c): inputs (cond,
 * then results..., else results...), output k the then or else result k. */
#define MO_TF_SELECT_OP "@IfSelect"

/* One op's translator: fn is called with arg as its user pointer, so one
 * function serves a family (arg: the IR op type, a mode). */
struct mo_tf_translator {
    const char *op;
    mo_translate_fn fn;
    const void *arg;
};

struct mo_tf_table {
    const struct mo_tf_translator *v;
    unsigned n;
};

#define MO_TF_TABLE(name, ...)                                                       \
    static const struct mo_tf_translator name##_v[] = {__VA_ARGS__ {NULL, NULL, NULL}}; \
    const struct mo_tf_table name = {name##_v, MO_COUNT_OF(name##_v) - 1};

extern const struct mo_tf_table mo_tf_tr_nn;      /* Conv* Pool* FusedBatchNorm* BiasAdd MatMul Softmax Einsum LRN */
extern const struct mo_tf_table mo_tf_tr_eltwise; /* binary ops, activations, unary math, ClipByValue */
extern const struct mo_tf_table mo_tf_tr_shape;   /* Reshape Transpose Concat Split Slice Pad Tile Reverse ... */
extern const struct mo_tf_table mo_tf_tr_reduce;  /* Mean Sum Max Min Prod All Any ArgMax TopKV2 Cumsum */
extern const struct mo_tf_table mo_tf_tr_misc;    /* Identity Cast Fill Range Shape Gather* Resize FakeQuant */
extern const struct mo_tf_table mo_tf_tr_flow;    /* While StatelessWhile If StatelessIf (tr_flow.c) */

/* --- the loader (graph.c, tensor.c) ------------------------------------ */

/* Load the GraphDef at path (text when is_text) into fw.  Errors name the
 * file (and, for text, the line and column). */
enum mo_status mo_tf_load(struct mo_context *ctx, const char *path, bool is_text, struct mo_graph *fw,
                          struct mo_error *err);

struct mo_tf_ckpt;
/* mo_tf_load with the variables read from the checkpoint ckpt (VariableV2
 * and Variable by node name, VarHandleOp by shared_name) as Consts. */
enum mo_status mo_tf_load_with_ckpt(struct mo_context *ctx, const char *path, bool is_text,
                                    struct mo_tf_ckpt *ckpt, struct mo_graph *fw, struct mo_error *err);

/* A TensorFlow DataType number as an IR element type; MO_ET_UNDEFINED for
 * strings, resources, variants, complex and quantized types. */
enum mo_etype mo_tf_etype(int dtype);
/* The TensorFlow name of a DataType ("DT_FLOAT", "DT_STRING", "42"...);
 * buf holds at least 16 bytes. */
const char *mo_tf_dtype_name(int dtype, char *buf);

/* --- helpers for translators (tr_util.c) ------------------------------- */

/* Whether the node's data_format attribute says channels last (NHWC,
 * NDHWC, NWC, or absent: TensorFlow's default); an unknown one fails b. */
bool mo_tf_nhwc(struct mo_build *b);
/* Input i moved to channels-first when the node is channels-last. */
struct mo_value mo_tf_in_nchw(struct mo_build *b, unsigned i, const char *what, int rank);
/* The end of a layout-sensitive translator: y moved back to channels-last
 * when the node is, declared as output 0. */
enum mo_status mo_tf_out_nhwc(struct mo_build *b, struct mo_value y, int rank);

/* Integers of input i when it is a Const (count, up to max into out), -2
 * when it is computed, -1 when absent. */
int mo_tf_const_ints(struct mo_build *b, unsigned i, int64_t *out, int max);
/* Axis value a normalized against rank; out of range fails b. */
int64_t mo_tf_axis(struct mo_build *b, int64_t a, int rank);
/* The int list attribute `name` of a rank-`rank` NHWC/NCHW op (strides,
 * ksize, dilations: one value per dim) as its spatial values out[0..rank-2),
 * in the order of the data format; a wrong count fails b. */
void mo_tf_spatial(struct mo_build *b, const char *name, int rank, int64_t *out);
/* Input i as an i64 value (a Convert added when it is another type). */
struct mo_value mo_tf_in_i64(struct mo_build *b, unsigned i, const char *what);

#endif
