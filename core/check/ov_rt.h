/* ov_rt.h - the OpenVINO Runtime, reached through its C API
 * (libopenvino_c) opened at run time with libltdl: never a build or link
 * dependency of mo.  Only the few calls --validate needs are declared, in
 * ov_rt.c, after OpenVINO's public headers (openvino/c/ov_*.h). */
#ifndef MO_OV_RT_H
#define MO_OV_RT_H

#include <stddef.h>
#include <stdint.h>

#include <mo/status.h>

#include "npz.h"

struct mo_ov;

/* Find and open libopenvino_c: the file or directory $MO_OPENVINO_LIB
 * names, else the dynamic linker's search path, else the libs/ directory
 * of the `openvino` package of the python3 on PATH.  On success *out is
 * the runtime (free with mo_ov_close); on failure err says what to install
 * or set.  `where` receives the path opened (may be NULL). */
enum mo_status mo_ov_open(struct mo_ov **out, char *where, size_t where_cap, struct mo_error *err);
void mo_ov_close(struct mo_ov *ov);

/* One array handed to or taken from the runtime. */
struct mo_ov_tensor {
    char *name;               /* the port's tensor names, comma-separated */
    enum mo_npy_dtype dtype;  /* outputs: MO_NPY_F64 always (converted) */
    int rank;
    int64_t dims[MO_NPY_MAX_RANK];
    size_t count;
    void *data;
};

/* What the caller gives for a model input it is asked about: fill t
 * (dtype, rank, dims, count, data; data stays the caller's, and dtype must
 * be `want`) for the input with tensor name `name`, element type want
 * (MO_NPY_DTYPE_COUNT: one --validate cannot feed) and static shape, if
 * known, rank/dims (rank -1: dynamic). */
typedef enum mo_status (*mo_ov_feed_fn)(void *user, unsigned index, const char *name,
                                        enum mo_npy_dtype want, int rank, const int64_t *dims,
                                        struct mo_ov_tensor *t, struct mo_error *err);

/* Read xml (+ bin), compile it for CPU at INFERENCE_PRECISION_HINT f32,
 * feed every input through feed, infer once.  On success *outs holds
 * *n_outs outputs in the model's order, values as doubles (free with
 * mo_ov_tensors_free). */
enum mo_status mo_ov_run(struct mo_ov *ov, const char *xml, const char *bin, mo_ov_feed_fn feed,
                         void *user, struct mo_ov_tensor **outs, unsigned *n_outs,
                         struct mo_error *err);

void mo_ov_tensors_free(struct mo_ov_tensor *t, unsigned n);

#endif
