/* ox_load.h - the ONNX loader's entry points and the state its two files
 * (model.c: the graph, tensor.c: TensorProto values) share. */
#ifndef MO_OX_LOAD_H
#define MO_OX_LOAD_H

#include <mo/mo.h>

#include "../common/pb_wire.h"
#include "onnx.pb-c.h"

/* Load the ONNX model in f into fw (see onnx.h for the graph it builds).
 * dir is the folder external data locations are relative to (NULL: a model
 * with external data is refused); name is the model's path for messages.
 * f and dir are only read; tensors borrowed from f take references on it.
 * On failure err names the file and the node, fw may hold a partial graph
 * (the caller frees it). */
enum mo_status mo_ox_load_file(struct mo_context *ctx, struct mo_file *f, const char *dir,
                               struct mo_graph *fw, struct mo_error *err);

/* Map path and load it (mo_ox_load_file with the file's folder). */
enum mo_status mo_ox_load(struct mo_context *ctx, const char *path, struct mo_graph *fw,
                          struct mo_error *err);

/* --- shared between model.c and tensor.c -------------------------------- */

/* An external data file, mapped once however many tensors it holds. */
struct mo_ox_ext {
    char *location;
    struct mo_file *f;
};

struct mo_ox_loader {
    struct mo_context *ctx;
    struct mo_file *file;             /* the model (a reference held by the caller) */
    const char *what;                 /* its path, for messages */
    const char *dir;                  /* folder for external data, NULL: refused */
    char *dir_real;                   /* dir resolved (lazily, heap) */
    const struct mo_pb_span *spans;   /* raw_data payloads taken out of the wire bytes */
    size_t n_spans;
    struct mo_ox_ext *ext;            /* heap */
    size_t n_ext;
};

/* The value of TensorProto tp as a new tensor (*out; the caller owns the
 * reference): raw_data borrowed from the model file through its marker,
 * external data borrowed from its mapped file, typed fields converted.
 * `what` names the tensor's place for messages ("initializer 'w'").
 * MO_ERR_UNSUPPORTED for strings and types the IR lacks, MO_ERR_FORMAT for
 * sizes that do not match, MO_ERR_IO / MO_ERR_FORMAT for external data
 * that is missing, too short or outside the model's folder. */
enum mo_status mo_ox_tensor(struct mo_ox_loader *L, const MoOnnx__TensorProto *tp, const char *what,
                            struct mo_tensor **out, struct mo_error *err);

/* Release what L holds (not L itself, not its file). */
void mo_ox_loader_fini(struct mo_ox_loader *L);

#endif
