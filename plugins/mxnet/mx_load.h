/* mx_load.h - private to the MXNet frontend: the NDArray container (ndarray.c)
 * and the symbol JSON reader (symbol.c) that frontend.c combines. */
#ifndef MO_MX_LOAD_H
#define MO_MX_LOAD_H

#include <mo/mo.h>

/* Where a parameter came from: the "arg:"/"aux:" prefix of its key, or
 * none (Gluon's prefix-less names, or the .nd files). */
enum mo_mx_param_kind {
    MO_MX_PARAM_PLAIN = 0,
    MO_MX_PARAM_ARG,
    MO_MX_PARAM_AUX,
    MO_MX_PARAM_KIND_COUNT
};

struct mo_mx_param {
    char *name;                  /* key without its prefix (heap, owned by the set) */
    enum mo_mx_param_kind kind;
    struct mo_tensor *t;         /* one reference owned by the set; NULL for a "none" array */
};

/* A set of named arrays read from one or more containers. */
struct mo_mx_params {
    struct mo_mx_param *v;
    size_t n, cap;
};

/* Read every array of the NDArray container at path into p.  A key already
 * in p is replaced (so later files override earlier ones); arrays without a
 * prefix get `plain_kind`.  Dense data is borrowed from the mapped file, not
 * copied.  MO_ERR_FORMAT naming the file and the offset or array index when
 * the container is truncated, corrupt or sparse.  On failure p keeps what
 * it held before the call. */
enum mo_status mo_mx_params_load(struct mo_mx_params *p, const char *path,
                                 enum mo_mx_param_kind plain_kind, struct mo_error *err);
/* The array stored under name (prefix-less), or NULL. */
const struct mo_mx_param *mo_mx_params_find(const struct mo_mx_params *p, const char *name);
/* Release every name and tensor reference; p is empty afterwards. */
void mo_mx_params_clear(struct mo_mx_params *p);
/* Write p as an MXNet .params container (keys "arg:NAME"/"aux:NAME", plain
 * ones as arg:) that mx.nd.load / load_checkpoint read.  Written to a
 * temporary name and renamed, so a failure leaves nothing behind. */
enum mo_status mo_mx_params_save(const struct mo_mx_params *p, const char *path,
                                 struct mo_error *err);
/* Element type of an MXNet type flag, MO_ET_UNDEFINED if unknown. */
enum mo_etype mo_mx_etype(int flag);
/* MXNet type flag of an element type, -1 if MXNet has none. */
int mo_mx_type_flag(enum mo_etype et);

/* Read <prefix>-symbol.json at path and build the framework graph fw (see
 * mxnet.h) with weights from params; params_desc names where they came from
 * for messages.  Only nodes the heads depend on are built.  Malformed JSON
 * is reported with line and column; weights the symbol needs but params
 * lack are reported together, by name.  fw is owned by the caller. */
enum mo_status mo_mx_symbol_load(const char *path, const struct mo_mx_params *params,
                                 const char *params_desc, struct mo_graph *fw,
                                 struct mo_error *err);

#endif
