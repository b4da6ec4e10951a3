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
/* bool attribute of a framework node whose output 0 is a tensor array
 * (held as one tensor [length, element...]): the empty array a loader
 * makes, a body Parameter capturing an array */
#define MO_PD_ARRAY "@array"

struct mo_pd_translator {
    const char *op;           /* legacy Paddle op type; NULL: none (a placeholder) */
    mo_translate_fn fn;
};

struct mo_pd_table {
    const struct mo_pd_translator *v;
    unsigned n;
};

#define MO_PD_TABLE(name, ...)                                                   \
    static const struct mo_pd_translator name##_v[] = {__VA_ARGS__};             \
    const struct mo_pd_table name = {name##_v, MO_COUNT_OF(name##_v)}

/* A translator that is impl(t, fw, arg, err): one member of a family of
 * ops sharing one implementation (arg: the IR op type, a mode...). */
#define MO_PD_VARIANT(fn, impl, arg)                                                        \
    static enum mo_status fn(struct mo_tctx *t, const struct mo_node *fw, void *user,       \
                             struct mo_error *err)                                          \
    {                                                                                       \
        return impl(t, fw, arg, err);                                                       \
    }

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
extern const struct mo_pd_table mo_pd_tr_math; /* elementwise extras, comparison, logical, math functions */
extern const struct mo_pd_table mo_pd_tr_create; /* tensor creation and shape manipulation beyond tr_shape.c */
extern const struct mo_pd_table mo_pd_tr_index; /* indexing, gather/scatter, sorting, one_hot, embedding */
extern const struct mo_pd_table mo_pd_tr_nn; /* deformable conv, group/instance norm, 3-D pools, grid sampling, quantization */
extern const struct mo_pd_table mo_pd_tr_roi; /* ROI and proposal ops: roi_align, generate_proposals_v2, matrix_nms... */
extern const struct mo_pd_table mo_pd_tr_flow; /* control flow: while, conditional_block, tensor arrays */
extern const struct mo_pd_table mo_pd_tr_rnn; /* rnn (LSTM, GRU, simple RNN) as the IR's sequence ops */
extern const struct mo_pd_table mo_pd_tr_array; /* tensor arrays: write_to_array, read_from_array, ... */

/* --- helpers for translators (tr_util.c) -----------------------------
 * IR nodes are made with the SDK builder (mo/build.h); what is here is
 * Paddle's own: slots, attribute conventions, dtype numbers.  The calls
 * taking a builder follow its rules (a failed builder makes them no-ops;
 * the nodes they make belong to the IR graph, nothing is freed by the
 * caller). */

/* Index of the k-th framework input in slot `slot`, or -1 when the slot has
 * fewer than k+1 arguments. */
int mo_pd_in_index(const struct mo_node *fw, const char *slot, unsigned k);
/* Number of arguments in input slot `slot`. */
unsigned mo_pd_in_count(const struct mo_node *fw, const char *slot);
/* Same for outputs. */
int mo_pd_out_index(const struct mo_node *fw, const char *slot, unsigned k);
unsigned mo_pd_out_count(const struct mo_node *fw, const char *slot);

/* The IR value of the k-th argument of input slot `slot` of the builder's
 * node.  A missing one fails b (MO_ERR_FORMAT: "input slot 'X' is
 * missing") and gives MO_NO_VALUE. */
struct mo_value mo_pd_in(struct mo_build *b, const char *slot, unsigned k);
/* The same for an optional input: MO_NO_VALUE when absent, no failure. */
struct mo_value mo_pd_in_opt(struct mo_build *b, const char *slot, unsigned k);
/* Declare v as the (first) argument of output slot `slot` (nothing when
 * the node has no such output) and return mo_build_status(b): a
 * translator ends with `return mo_pd_set_out(b, "Out", y);`. */
enum mo_status mo_pd_set_out(struct mo_build *b, const char *slot, struct mo_value v);

/* Axis attribute `name` (default dflt) normalized against rank.  Out of
 * range fails b (MO_ERR_FORMAT, naming the attribute) and gives 0, so that
 * the caller's loops stay in bounds until it returns. */
int mo_pd_axis(struct mo_build *b, const char *name, int64_t dflt, int rank);
/* Layout-sensitive ops work in NCHW.  mo_pd_in_nchw is mo_pd_in, moved to
 * NCHW (mo_build_to_nchw, rank 4) when the node's data_format (else
 * data_layout) attribute is NHWC; mo_pd_set_out_nchw is mo_pd_set_out of a
 * result moved back (mo_build_to_nhwc) in that case. */
struct mo_value mo_pd_in_nchw(struct mo_build *b, const char *slot);
enum mo_status mo_pd_set_out_nchw(struct mo_build *b, const char *slot, struct mo_value y);
/* Paddle's padding_algorithm on a convolution or pooling v: pads_begin and
 * pads_end from pb[0..2) and pe[0..2) (zeros for VALID) and auto_pad.
 * Returns v. */
struct mo_value mo_pd_set_pads(struct mo_build *b, struct mo_value v, const int64_t *pb,
                               const int64_t *pe);

/* Convolutions and pools have at most 3 spatial dims. */
#define MO_PD_MAX_SPATIAL 3
/* Int list attribute `name` as nsp spatial values v[0..nsp): one value
 * for all, nsp values, or dflt when absent.  Another count fails b and
 * gives false. */
bool mo_pd_spatial_ints(struct mo_build *b, const char *name, int64_t *v, int nsp, int64_t dflt);
/* The node's paddings attribute as begin and end pads pb/pe[0..nsp): Paddle
 * gives one value, nsp (symmetric) or 2*nsp (begin, end per dim); absent:
 * zeros.  Another count fails b and gives false. */
bool mo_pd_paddings(struct mo_build *b, int nsp, int64_t *pb, int64_t *pe);

/* Rewrite a Reshape target d[0..n) (special-zero semantics) so that at
 * most one entry stays unknown: zeros over static input dims become the
 * dim, and -1 is computed when every dynamic input dim is copied by a
 * zero.  Keeps the meaning; avoids "-1 plus a copied dynamic dim". */
void mo_pd_resolve_target(const struct mo_shape *xs, int64_t *d, int n);

/* Int list attribute (Paddle stores INTS or LONGS); count or -1. */
int mo_pd_ints(const struct mo_node *fw, const char *name, int64_t *out, int max);
/* A Paddle dtype (VarType.Type number) as an IR element type,
 * MO_ET_UNDEFINED for non-numeric or unknown types. */
enum mo_etype mo_pd_etype(int vartype);
/* A dtype name as PIR spells it ("float32", "int64"...). */
enum mo_etype mo_pd_etype_name(const char *name);

/* --- int lists and scalars given as attributes or tensors (tr_shape.c) ---
 * Paddle lets a list attribute (a shape, starts, axes...) come as a 1-D
 * tensor (slot tslot, e.g. "ShapeTensor") or as one tensor per entry
 * (slot lslot, e.g. "ShapeTensorList"); PIR passes a list it computes as
 * the input slot named after the attribute (pir_names.c "@attr").  NULL
 * slots: the op has none. */

/* The list operand: when its values are known now (the attribute, or a
 * constant tensor), v[0..n) holds them and n >= 0 is returned, *t set to
 * MO_NO_VALUE; when computed at run time, returns -1 and *t is a 1-D i64
 * value of them (a Concat of the entries for a list), inferred so that its
 * length can be read.  -2 when neither the
 * attribute nor a tensor is there.  More than max values fail b
 * (MO_ERR_UNSUPPORTED) and give -2. */
int mo_pd_int_list(struct mo_build *b, const char *attr, const char *tslot, const char *lslot,
                   int64_t *v, int max, struct mo_value *t);
/* The list as one 1-D i64 value: the constant v[0..n) (a Const named
 * suffix) for n >= 0, else t. */
struct mo_value mo_pd_list_value(struct mo_build *b, const char *suffix, int n, const int64_t *v,
                                 struct mo_value t);
/* v (any integer or float type, any shape of one dimension or none) as a
 * 1-D i64 value: Convert when needed, Reshape [-1] when not 1-D. */
struct mo_value mo_pd_i64_vec(struct mo_build *b, const char *suffix, struct mo_value v);
/* v (a single value of any shape [], [1]...) as a 0-D value of type et
 * (MO_ET_UNDEFINED: its own). */
struct mo_value mo_pd_scalar(struct mo_build *b, const char *suffix, struct mo_value v,
                             enum mo_etype et);

/* The translator of an op X -> Out that is one IR op `type` of one input
 * (MO_PD_VARIANT(tr_sin, mo_pd_unary, "Sin")). */
enum mo_status mo_pd_unary(struct mo_tctx *t, const struct mo_node *fw, const char *type,
                           struct mo_error *err);

/* Whether framework value v is a tensor array (write_to_array's result,
 * or a node marked MO_PD_ARRAY). */
bool mo_pd_is_array(struct mo_value v);

/* The loaders' status after a call that may have left err unset (an
 * allocation failure reported by NULL alone). */
static inline enum mo_status mo_pd_status(const struct mo_error *err)
{
    return err && err->code != MO_OK ? err->code : MO_ERR_NOMEM;
}

#endif
