/* mo/op.h - describing an IR operation once.
 *
 * Each IR operation is one const struct mo_op_def: its type, the opset that
 * defines the version mo emits, how many inputs and outputs it has, the
 * schema of its attributes (the order and defaults the XML writer follows),
 * shape/type inference and optionally an evaluator for constant folding.
 * The built-in table lives in core/ops/; extensions add their own with
 * mo_register_op() (see mo/plugin.h).  Definitions are never copied: the
 * registry keeps the pointer, so they must outlive the plugin's use.
 *
 * Versions.  A type may have several definitions, one per opset
 * (MaxPool: opset1, opset8, opset14), when a later opset changed its
 * attributes, inputs or outputs.  The first registered is the default
 * that a bare type name gives; a translator that needs a later version
 * names it "Type-N" (mo_op(g, "MaxPool-8", ...), mo_build_op(b,
 * "AvgPool-14", ...)), N being the opset number.  Passes that match ops by
 * type (mo_pass_is) see only the default version. */
#ifndef MO_OP_H
#define MO_OP_H

#include <mo/attr.h>
#include <mo/graph.h>
#include <mo/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One attribute of an op.  dflt is the IR text of the default value
 * ("1,1", "explicit", "false"), or NULL if the attribute must be set by
 * whoever creates the node.  An attribute is written to the XML when it is
 * set or has a default. */
struct mo_attr_spec {
    const char *name;
    enum mo_attr_kind kind;
    const char *dflt;
};

/* Inference: read the inputs (mo_node_in), write n->outputs[*].et/shape.
 * Fails with MO_ERR_SHAPE naming the node when inputs do not fit. */
typedef enum mo_status (*mo_infer_fn)(struct mo_node *n, struct mo_error *err);
/* Evaluation for constant folding: every input is a Const; write one new
 * tensor per output into out[] (caller owns them).  MO_ERR_UNSUPPORTED to
 * leave the node unfolded. */
typedef enum mo_status (*mo_eval_fn)(struct mo_node *n, struct mo_tensor **out,
                                     struct mo_error *err);

struct mo_op_def {
    const char *type;          /* "Convolution" */
    const char *opset;         /* "opset1"; "extension" for custom ops */
    int min_inputs, max_inputs;
    int n_outputs;             /* -1: the infer function sizes the outputs */
    const struct mo_attr_spec *attrs;
    unsigned n_attrs;
    mo_infer_fn infer;
    mo_eval_fn eval;           /* NULL: never folded */
};

#define MO_COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* --- helpers for infer functions -------------------------------------- */

/* Shape / type of input i (unknown shape, undefined type if unconnected). */
struct mo_shape mo_in_shape(const struct mo_node *n, unsigned i);
enum mo_etype mo_in_et(const struct mo_node *n, unsigned i);
/* Set output i; grows n->outputs when an op has a variable output count. */
enum mo_status mo_set_out(struct mo_node *n, unsigned i, enum mo_etype et,
                          const struct mo_shape *shape);
/* Numpy-style broadcast of a and b (dynamic dims allowed).  MO_ERR_SHAPE
 * naming node n when the dims are incompatible. */
enum mo_status mo_broadcast_numpy(const struct mo_node *n, const struct mo_shape *a,
                                  const struct mo_shape *b, struct mo_shape *out,
                                  struct mo_error *err);
/* Report a shape problem naming node n and its type. */
enum mo_status mo_shape_error(const struct mo_node *n, struct mo_error *err,
                              const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif
#endif
