/* kaldi.h - internals of the Kaldi frontend plugin (not part of the SDK).
 *
 * model.c (with nnet1.c, nnet3.c, priors.c; model.h) reads an nnet1
 * (<Nnet>) or nnet3 (<Nnet3>, also inside a .mdl after its transition
 * model) model through kio.c into a framework graph
 * over whole windows of frames: every value is a matrix [frames, dim] and
 * the frontend tracks which times its rows hold (see docs/kaldi.md), so the
 * time structure of the model (Splice, TdnnComponent's time offsets, the
 * nnet3 descriptors Offset/Append/Sum/IfDefined) turns into three
 * structural node types the frontend makes itself:
 *   "TimeSlice"   rows [begin, frames + end) of its input (end <= 0)
 *   "Append"      its inputs side by side (Kaldi's Append: along the dims)
 *   "Sum"         the elementwise sum of its inputs
 * Every other node is a Kaldi component, its type the component's name
 * without brackets ("AffineTransform", "NaturalGradientAffineComponent"),
 * its attributes the component's fields by their token names without
 * brackets ("LinearParams" a tensor, "BlockDim" a number, ...), acting on
 * each frame on its own.  tr_kaldi.c translates them. */
#ifndef MO_KALDI_H
#define MO_KALDI_H

#include <stdbool.h>

#include <mo/mo.h>

#define MO_KALDI_FRAMEWORK "kaldi"

/* Is a component type (without brackets) one the frontend converts? */
bool mo_kaldi_known(const char *type);

/* Register every translator of tr_kaldi.c. */
enum mo_status mo_kaldi_register(struct mo_plugin_ctx *pc, struct mo_error *err);

struct mo_kaldi_opts {
    bool remove_output_softmax;
    const char *counts;   /* path of a counts file, or NULL */
};

/* Read the model file path into fw (model.c). */
enum mo_status mo_kaldi_load(const char *path, const struct mo_kaldi_opts *o, struct mo_graph *fw,
                             struct mo_context *ctx, struct mo_error *err);

/* Parse only (for the fuzz harness): the model's framework graph into fw
 * from the mapped file f, no options. */
enum mo_status mo_kaldi_read(struct mo_file *f, const struct mo_kaldi_opts *o, struct mo_graph *fw,
                             struct mo_context *ctx, struct mo_error *err);

#endif
