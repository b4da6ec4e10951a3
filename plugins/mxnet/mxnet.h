/* mxnet.h - internals of the MXNet frontend plugin (not part of the SDK).
 *
 * The frontend (frontend.c) reads <prefix>-symbol.json (symbol.c) and the
 * NDArray container (ndarray.c) into a framework graph:
 *   - every `null` variable with a value in the params becomes a node of
 *     type "Const" (value borrowed from the mapped .params file),
 *   - every other `null` variable becomes a "Parameter",
 *   - every operator node keeps its MXNet op name as type ("Convolution",
 *     "_plus_scalar", ...) and its attributes as strings, exactly as the
 *     JSON has them (old spellings upgraded to 1.x ones by symbol.c),
 *   - op "Custom" nodes get the type "Custom:<op_type>" (from their
 *     `op_type` attribute), so an extension registers a translator for
 *     ("mxnet", "Custom:MyOp"); tr_custom.c explains why its table is empty.
 * Translators live in tr_<family>.c files, each exporting one table. */
#ifndef MO_MXNET_H
#define MO_MXNET_H

#include <mo/mo.h>

#define MO_MX_FRAMEWORK "mxnet"

struct mo_mx_translator {
    const char *op;           /* MXNet op name */
    mo_translate_fn fn;
};

struct mo_mx_table {
    const struct mo_mx_translator *v;
    unsigned n;
};

#define MO_MX_TABLE(name, ...)                                                   \
    static const struct mo_mx_translator name##_v[] = {__VA_ARGS__};             \
    const struct mo_mx_table name = {name##_v, MO_COUNT_OF(name##_v)}

/* One table per translator family; frontend.c registers them all at
 * MO_TIER_STANDARD, rank 0. */
extern const struct mo_mx_table mo_mx_tr_conv;       /* Convolution Deconvolution FullyConnected */
extern const struct mo_mx_table mo_mx_tr_pool;       /* Pooling */
extern const struct mo_mx_table mo_mx_tr_norm;       /* BatchNorm InstanceNorm LRN L2Normalization */
extern const struct mo_mx_table mo_mx_tr_activation; /* Activation LeakyReLU relu sigmoid ... clip */
extern const struct mo_mx_table mo_mx_tr_eltwise;    /* elemwise_*, broadcast_*, _*_scalar, add_n ... */
extern const struct mo_mx_table mo_mx_tr_shape;      /* Reshape Flatten transpose slice* concat stack ... */
extern const struct mo_mx_table mo_mx_tr_reduce;     /* sum mean max min prod */
extern const struct mo_mx_table mo_mx_tr_softmax;    /* softmax log_softmax SoftmaxOutput SoftmaxActivation */
extern const struct mo_mx_table mo_mx_tr_resize;     /* UpSampling Pad tile repeat */
extern const struct mo_mx_table mo_mx_tr_misc;       /* Dropout _copy BlockGrad Cast where take Embedding ... */
extern const struct mo_mx_table mo_mx_tr_detection;  /* _contrib_MultiBoxPrior/Detection Proposal ROIPooling */
extern const struct mo_mx_table mo_mx_tr_custom;     /* Custom (dispatch by op_type) */
extern const struct mo_mx_table mo_mx_tr_ssd_gluoncv; /* the --enable_ssd_gluoncv replacement's node */

/* The --enable_ssd_gluoncv sub-graph replacement (ssd_gluoncv.c). */
struct mo_context;
struct mo_options;
enum mo_status mo_mx_replace_ssd_gluoncv(struct mo_context *ctx, struct mo_graph *fw,
                                         const struct mo_options *opts, void *user, struct mo_error *err);

/* Helpers shared by the translators: tr_util.h. */

#endif
