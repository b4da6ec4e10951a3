/* tf_load.h - the loader's own internals (graph.c, tensor.c). */
#ifndef MO_TF_LOAD_H
#define MO_TF_LOAD_H

#include "tf.h"
#include "tf.pb-c.h"
#include "../common/pb_wire.h"
#include "checkpoint.h"

struct mo_tf_loader {
    struct mo_file *file;          /* the mapped model */
    const char *what;              /* its path, for messages */
    const struct mo_pb_span *spans; /* tensor_content taken out (binary files) */
    size_t n_spans;
    bool binary;                   /* tensor_content holds markers */
    struct mo_tf_ckpt *ckpt;       /* variables' values, or NULL (frozen graph) */
};

/* mo_tf_load on a file already mapped (or in memory: the fuzz harness);
 * borrowed tensors take their own references on f. */
enum mo_status mo_tf_load_file(struct mo_context *ctx, struct mo_file *f, bool is_text, struct mo_graph *fw,
                               struct mo_error *err);

/* mo_tf_load_file with the variables (VariableV2, VarHandleOp) taken
 * from ckpt by name (NULL: none) as Consts. */
enum mo_status mo_tf_load_file_ckpt(struct mo_context *ctx, struct mo_file *f, bool is_text,
                                    struct mo_tf_ckpt *ckpt, struct mo_graph *fw, struct mo_error *err);

/* The form of a model file: a GraphDef, a MetaGraphDef (.meta) or a
 * SavedModel (saved_model.pb, its meta graph picked by tags: comma
 * separated, NULL for "serve"); a meta graph or SavedModel is cut down to
 * what its serving_default outputs (or else its non-saver leaves) need. */
enum { MO_TF_GRAPHDEF, MO_TF_METAGRAPH, MO_TF_SAVEDMODEL };
struct mo_tf_form {
    int kind;
    struct mo_tf_ckpt *ckpt;       /* variables' values, or NULL */
    const char *tags;
};
enum mo_status mo_tf_load_form(struct mo_context *ctx, struct mo_file *f, bool is_text, const struct mo_tf_form *form,
                               struct mo_graph *fw, struct mo_error *err);

/* The nodes of g with every call of a library function inlined
 * (inline.c): *nodes (malloc'd, caller frees; the NodeDefs are g's own or
 * live in fw's arena) holds *n of them. */
enum mo_status mo_tf_inline_calls(const struct mo_tf_loader *L, struct mo_graph *fw, const MoTf__GraphDef *g,
                                  MoTf__NodeDef ***nodes, size_t *n, struct mo_error *err);

/* Function fn called as `name` on the references args[0..n_args), its
 * body and nested calls inlined as mo_tf_inline_calls does: *nodes
 * (malloc'd, caller frees) ends with the IdentityN named `name` whose
 * inputs are fn's results. */
enum mo_status mo_tf_inline_function(const struct mo_tf_loader *L, struct mo_graph *fw, const MoTf__GraphDef *g,
                                     const MoTf__FunctionDef *fn, const char *name, char **args, size_t n_args,
                                     MoTf__NodeDef ***nodes, size_t *n, struct mo_error *err);
/* The library function attribute key of nd names, or NULL. */
const MoTf__FunctionDef *mo_tf_function_attr(const MoTf__GraphDef *g, const MoTf__NodeDef *nd, const char *key);
/* Whether a functional If / StatelessIf stays a node with its branches as
 * bodies (the IR's If); false: inlined and picked by Select. */
bool mo_tf_if_as_node(const MoTf__NodeDef *nd);

/* A TF1 while loop as a functional While (frames.c): loop is its NodeDef
 * (op "While", inputs the values entering); cond and body its bodies as
 * NodeDef lists: n_args "@Arg" nodes, the body's nodes, and last an
 * IdentityN named `name` whose inputs are the results; dtypes[a] the
 * DataType of argument a. */
struct mo_tf_frame_body {
    MoTf__NodeDef **nodes;
    size_t n, n_args;
    const char *name;
};
struct mo_tf_frame {
    MoTf__NodeDef *loop;
    struct mo_tf_frame_body cond, body;
    const int *dtypes;
};
/* nodes[0..*n) with each outermost TF1 while loop replaced by a While
 * NodeDef (*frames says what each holds; arena-allocated like *nodes). */
enum mo_status mo_tf_lower_frames(const struct mo_tf_loader *L, struct mo_graph *fw, MoTf__NodeDef ***nodes,
                                  size_t *n, struct mo_tf_frame **frames, size_t *n_frames, struct mo_error *err);

/* The same for TF1 conditionals (Switch ... Merge): each outermost one an
 * If NodeDef (inputs: the predicate, the values its Switches take), its
 * then list in cond, its else list in body. */
enum mo_status mo_tf_lower_conds(const struct mo_tf_loader *L, struct mo_graph *fw, MoTf__NodeDef ***nodes,
                                 size_t *n, struct mo_tf_frame **frames, size_t *n_frames, struct mo_error *err);

/* The value of TensorProto tp as a tensor (*out: a new reference).
 * tensor_content is borrowed from the map (binary) or copied (text); the
 * typed fields are converted, one value standing for the whole shape.
 * what names the tensor in messages. */
enum mo_status mo_tf_tensor(const struct mo_tf_loader *L, const MoTf__TensorProto *tp, const char *what,
                            struct mo_tensor **out, struct mo_error *err);

/* A TensorShapeProto as a shape (unknown rank when it says so or is
 * NULL); fails with MO_ERR_UNSUPPORTED past MO_MAX_RANK. */
enum mo_status mo_tf_shape(const struct mo_tf_loader *L, const MoTf__TensorShapeProto *sp, const char *what,
                           struct mo_shape *out, struct mo_error *err);

#endif
