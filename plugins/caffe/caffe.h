/* caffe.h - internals of the Caffe frontend plugin shared by its files.
 *
 * The loader (net.c) builds a framework graph from a deploy .prototxt (the
 * topology and every setting) and a .caffemodel (the blobs, matched to the
 * prototxt's layers by name, as Caffe's CopyTrainedLayersFrom does):
 *   - a node per layer (`layer` or the legacy `layers`, whose enum types
 *     become the names of today's layers: CONVOLUTION -> "Convolution"),
 *     named after the layer, its type the layer type;
 *   - inputs: the bottoms in order, then the layer's blobs as Consts
 *     (named "<layer>/blob<k>"; no bottom is a Const, so the first Const
 *     input ends the bottoms); a blob's float data is borrowed from the
 *     mapped .caffemodel;
 *   - one output per top; a top that names its bottom (in place) makes
 *     the blob name refer to the new output from then on; each blob name
 *     goes to the last output that wrote it (for --output and .mapping);
 *   - attributes: every field of the layer's *_param messages, set or with
 *     a default in caffe.proto, under its own name (nested BlobShape as
 *     the list of its dims, other nested messages as "msg.field"), enums
 *     by their value names ("MAX", "ACROSS_CHANNELS");
 *   - graph inputs from `input` + `input_shape`/`input_dim` and from Input
 *     layers; graph outputs: the blobs no layer reads.
 * Translators live in tr_<family>.c, each exporting one table. */
#ifndef MO_CF_H
#define MO_CF_H

#include <mo/mo.h>

#define MO_CF_FRAMEWORK "caffe"

struct mo_cf_translator {
    const char *type;
    mo_translate_fn fn;
    const void *arg;
};

struct mo_cf_table {
    const struct mo_cf_translator *v;
    unsigned n;
};

#define MO_CF_TABLE(name, ...)                                                        \
    static const struct mo_cf_translator name##_v[] = {__VA_ARGS__, {NULL, NULL, NULL}}; \
    const struct mo_cf_table name = {name##_v, MO_COUNT_OF(name##_v) - 1};

extern const struct mo_cf_table mo_cf_tr_conv;    /* Convolution Deconvolution Pooling InnerProduct */
extern const struct mo_cf_table mo_cf_tr_norm;    /* BatchNorm Scale Bias LRN MVN Normalize Softmax */
extern const struct mo_cf_table mo_cf_tr_eltwise; /* Eltwise, activations, Power Exp Log, Dropout */
extern const struct mo_cf_table mo_cf_tr_shape;   /* Concat Slice Split Flatten Reshape Permute Crop ... */
extern const struct mo_cf_table mo_cf_tr_detection; /* PriorBox DetectionOutput (SSD) */

/* --- the loader (net.c) -------------------------------------------------- */

struct mo_file;
/* Load the net of prototxt text `proto` (named proto_name in messages) with
 * the blobs of the binary caffemodel `model` (NULL: none) into fw.
 * Borrowed blobs take their own references on model. */
enum mo_status mo_cf_load(struct mo_context *ctx, struct mo_file *proto, struct mo_file *model,
                          struct mo_graph *fw, struct mo_error *err);

/* --- helpers for translators (tr_util.c) -------------------------------- */

/* Bottoms of the node being translated. */
unsigned mo_cf_n_bottoms(const struct mo_node *fw);
/* Blobs (weights) the caffemodel gave the layer. */
unsigned mo_cf_n_blobs(const struct mo_node *fw);
/* Blob k of the layer (what names it in the message when it is missing:
 * the caffemodel has too few blobs for the layer, or none at all). */
struct mo_value mo_cf_blob(struct mo_build *b, unsigned k, const char *what);
/* Caffe's axis a (negative counts from the end) against rank; out of
 * range fails b. */
int mo_cf_axis(struct mo_build *b, int64_t a, int rank);
/* A spatial setting of Convolution or Pooling: the list `list` (one value
 * for every spatial axis or one per axis), else hw "_h"/"_w" (2-D: "kernel"
 * gives kernel_h, kernel_w), else dflt; nsp values into out.  A wrong count
 * fails b. */
void mo_cf_spatial(struct mo_build *b, const char *list, const char *hw, int nsp, int64_t dflt, int64_t *out);
/* The product of dims [from, to) of s; one past int64 fails b (0 then). */
int64_t mo_cf_prod(struct mo_build *b, const struct mo_shape *s, int from, int to);
/* A blob v reshaped to [1, n, 1, ...] (rank dims, n at axis) so that it
 * broadcasts along axis of a rank-`rank` value: shape taken from v's own
 * dims placed at axis. */
struct mo_value mo_cf_along(struct mo_build *b, const char *suffix, struct mo_value v, int axis, int rank);

#endif
