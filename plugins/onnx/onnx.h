/* onnx.h - internals of the ONNX frontend plugin shared by its files.
 *
 * The loader (model.c, tensor.c) builds a framework graph from a ModelProto:
 *   - a node per NodeProto, its type the op_type for the default domain
 *     ("" or "ai.onnx") and "<domain>:<op_type>" for any other
 *     ("com.microsoft:Gelu"), its attributes typed as ONNX stores them
 *     (INT, FLOAT, STRING, INTS, FLOATS, STRINGS, TENSOR), plus MO_OX_OPSET:
 *     the opset the model imports for the node's domain;
 *   - the inputs in NodeProto order, an empty name left unconnected (an
 *     optional input the model leaves out); outputs named after their
 *     tensors (an unused optional output has no name);
 *   - graph inputs that no initializer shadows as "Parameter" nodes
 *     (symbolic dims dynamic), initializers and Constant nodes as "Const"
 *     nodes whose values are borrowed from the mapped model (or external
 *     data) file, graph outputs as graph outputs.
 * Translators live in tr_<family>.c, each exporting one table of
 * struct mo_ox_translator; frontend.c registers one dispatcher per op type
 * that picks the entry with the highest since-version at or below the
 * node's opset. */
#ifndef MO_ONNX_H
#define MO_ONNX_H

#include <mo/mo.h>

#define MO_OX_FRAMEWORK "onnx"
#define MO_OX_OPSET "@opset"
/* Control flow (If, Loop, Scan): the node owns one body per GRAPH
 * attribute (mo/body.h; only the body graphs are set by the loader, the
 * port maps are the translator's), MO_OX_BODIES naming the attributes in
 * body order.  A body Parameter is either the body graph's input
 * MO_OX_BODY_INPUT (its index) or a tensor of an enclosing graph the body
 * reads, carried by the owner's input MO_OX_OUTER_INPUT (inputs past the
 * NodeProto's own). */
#define MO_OX_BODIES "@bodies"
#define MO_OX_BODY_INPUT "@body_input"
#define MO_OX_OUTER_INPUT "@outer_input"

/* The newest ai.onnx opset this frontend knows; a model importing a newer
 * one is refused (an op's meaning may have changed there). */
#define MO_OX_OPSET_MAX 18

/* One version of one op's translator.  op is the framework node type
 * ("Conv", "com.microsoft:Gelu"); since the first opset of its domain the
 * entry applies to (a later entry of the same op takes over from its own
 * since); fn is called with arg as its user pointer, so one function serves
 * a family (arg: the IR op type, a mode). */
struct mo_ox_translator {
    const char *op;
    int since;
    mo_translate_fn fn;
    const void *arg;
};

struct mo_ox_table {
    const struct mo_ox_translator *v;
    unsigned n;
};

/* A table of entries; the versions of one op are adjacent, in ascending
 * since order (frontend.c refuses a table that breaks this).  A sentinel
 * ends the array, so the dispatcher finds an op's last version and a table
 * may be empty. */
#define MO_OX_TABLE(name, ...)                                                   \
    static const struct mo_ox_translator name##_v[] = {__VA_ARGS__ {NULL, 0, NULL, NULL}}; \
    const struct mo_ox_table name = {name##_v, MO_COUNT_OF(name##_v) - 1};

/* The translator tables (tr_*.c). */
extern const struct mo_ox_table mo_ox_tr_activation; /* Relu Sigmoid Tanh LeakyRelu Elu Clip ... */
extern const struct mo_ox_table mo_ox_tr_eltwise;    /* Add Sub Mul Div Pow Max Min Sum Mean logic ... */
extern const struct mo_ox_table mo_ox_tr_conv;       /* Conv ConvTranspose */
extern const struct mo_ox_table mo_ox_tr_pool;       /* MaxPool AveragePool Global*Pool LpPool */
extern const struct mo_ox_table mo_ox_tr_norm;       /* BatchNormalization *Normalization LRN Softmax ... */
extern const struct mo_ox_table mo_ox_tr_matmul;     /* Gemm MatMul Einsum */
extern const struct mo_ox_table mo_ox_tr_shape;      /* Reshape Shape Flatten Squeeze Concat Split Slice ... */
extern const struct mo_ox_table mo_ox_tr_gather;     /* Gather* Scatter* OneHot NonZero Compress */
extern const struct mo_ox_table mo_ox_tr_reduce;     /* Reduce* ArgMax ArgMin TopK CumSum */
extern const struct mo_ox_table mo_ox_tr_resize;     /* Resize Upsample */
extern const struct mo_ox_table mo_ox_tr_misc;       /* Cast Constant ConstantOfShape Range Identity ... */
extern const struct mo_ox_table mo_ox_tr_rnn;        /* LSTM GRU RNN */
extern const struct mo_ox_table mo_ox_tr_detection;  /* NonMaxSuppression RoiAlign MaxRoiPool */
extern const struct mo_ox_table mo_ox_tr_quant;      /* QuantizeLinear DequantizeLinear ... */
extern const struct mo_ox_table mo_ox_tr_msft;       /* com.microsoft ops */
extern const struct mo_ox_table mo_ox_tr_control;    /* If Loop Scan */
extern const struct mo_ox_table mo_ox_tr_signal;     /* GridSample *Window DFT ReverseSequence */
extern const struct mo_ox_table mo_ox_tr_loss;      /* NegativeLogLikelihoodLoss SoftmaxCrossEntropyLoss */

/* --- helpers for translators (tr_util.c) -----------------------------
 * IR nodes are made with the SDK builder (mo/build.h); what is here is
 * ONNX's own conventions.  Calls taking a builder follow its rules (a
 * failed builder makes them no-ops; the nodes they make belong to the IR
 * graph, nothing is freed by the caller). */

/* The opset of the node's domain (MO_OX_OPSET; 0 when absent). */
int mo_ox_opset(const struct mo_node *fw);

/* Axis attribute or value `a` normalized against rank (negative counts
 * from the end).  Out of range fails b (MO_ERR_FORMAT naming `what`) and
 * gives 0, so that callers' loops stay in bounds until they return. */
int64_t mo_ox_axis(struct mo_build *b, int64_t a, int rank, const char *what);

/* Integers of input i when it is a Const (count, up to max into out), -1
 * when the input is absent, -2 when it is computed (not a Const). */
int mo_ox_const_ints(struct mo_build *b, unsigned i, int64_t *out, int max);

/* Whether input i is present (connected). */
bool mo_ox_has_in(struct mo_build *b, unsigned i);

/* Reads an int list attribute, or else the Const of input i (the form an op
 * moved its attribute to in a later opset).  Returns the count, -1 when
 * neither is given; fails b (MO_ERR_UNSUPPORTED naming `name`) and returns
 * -1 when the input is computed.  out holds up to max values. */
int mo_ox_ints_attr_or_in(struct mo_build *b, const char *name, unsigned i, int64_t *out, int max);

/* An ONNX TensorProto data_type number as an IR element type;
 * MO_ET_UNDEFINED for strings, complex numbers, float8 and unknown ones. */
enum mo_etype mo_ox_etype(int data_type);
/* The ONNX name of a data_type number ("FLOAT", "STRING", "23"...), for
 * messages; buf holds at least 16 bytes. */
const char *mo_ox_dtype_name(int data_type, char *buf);

/* ONNX auto_pad / pads on a convolution or pooling node v of `sp` spatial
 * dims: pads_begin/pads_end from the "pads" attribute (begins then ends;
 * zeros when absent) and auto_pad (NOTSET -> explicit, SAME_UPPER,
 * SAME_LOWER, VALID).  Returns v. */
struct mo_value mo_ox_set_pads(struct mo_build *b, struct mo_value v, int sp);

/* v, a per-channel vector [C] (or one value, returned as it is), shaped
 * [1, C, 1, ...] to broadcast along dim 1 of a rank-`rank` value: a Const
 * is reshaped in place (named suffix), anything else gets a Reshape. */
struct mo_value mo_ox_per_channel(struct mo_build *b, const char *suffix, struct mo_value v, int rank);

/* --- helpers added for the shape, gather, misc and eltwise families ---- */

/* Input i (required; `what` names it in messages and in the suffix
 * "<what>_i64" of the Convert added when its element type is not i64). */
struct mo_value mo_ox_in_i64(struct mo_build *b, unsigned i, const char *what);

/* v, which holds one element, as a 0-D value (ONNX often accepts a
 * 1-element 1-D tensor where the IR wants a scalar): v itself when it is
 * 0-D, else a Reshape to [] named after suffix. */
struct mo_value mo_ox_scalar_of(struct mo_build *b, const char *suffix, struct mo_value v);

#endif
