/* tensor_private.h - what tensor.c, lazy.c and the .bin writer share
 * beyond the public tensor API. */
#ifndef MO_TENSOR_PRIVATE_H
#define MO_TENSOR_PRIVATE_H

#include <mo/tensor.h>

enum mo_lazy_kind {
    MO_LAZY_VIEW,       /* same elements in the same order, another shape */
    MO_LAZY_SCALE,      /* x * scale[ch] (+ shift[ch]) */
    MO_LAZY_F16,        /* f32 -> f16 */
    MO_LAZY_TRANSPOSE,  /* dims permuted; src is plain */
    MO_LAZY_STACK,      /* parts of one shape one after another along a new dim 0 */
};

struct mo_lazy_op {
    enum mo_lazy_kind kind;
    struct mo_chan_map map;      /* SCALE */
    double *scale, *shift;       /* SCALE: n * groups each (shift may be NULL); owned */
    int64_t perm[MO_MAX_RANK];   /* TRANSPOSE */
    /* TRANSPOSE of a large mapped source: output elements [win_lo, win_hi)
     * computed in one walk of the source (lazy.c's window); owned, or NULL */
    unsigned char *win;
    int64_t win_lo, win_hi;
    struct mo_tensor **parts;    /* STACK: n_parts references (src is parts[0]) */
    unsigned n_parts;
};

/* A tensor of type et and static shape with no bytes yet (one reference,
 * nbytes set; data, owned, file, src and op NULL): what every constructor
 * fills in.  NULL with err filled for a dynamic shape or on OOM. */
struct mo_tensor *mo_tensor_alloc(enum mo_etype et, const struct mo_shape *shape, struct mo_error *err);
/* The descriptor f was mapped from (kept open for copy_file_range), or -1
 * for in-memory content.  Owned by f. */
int mo_file_fd(const struct mo_file *f);
/* Free a lazy tensor's transform (tensor.c calls it on the last unref). */
void mo_lazy_op_free(struct mo_lazy_op *op);
/* Element i of a lazy tensor as double (mo_tensor_get_f64's lazy branch). */
double mo_lazy_get_f64(const struct mo_tensor *t, int64_t i);
/* n f32 values rounded to f16 (mo_f32_to_f16 of each, vectorized where
 * the CPU can). */
void mo_f32_to_f16_n(const float *x, uint16_t *h, int64_t n);
/* Add to *over how many of n f32 values are finite and beyond the f16
 * range (|x| > 65504), to *under how many non-zero ones round to an f16
 * zero (|x| <= 2^-25). */
void mo_f16_range_count(const float *x, int64_t n, int64_t *over, int64_t *under);
/* Decode element i of packed bytes p of type et. */
double mo_decode_f64(enum mo_etype et, const unsigned char *p, int64_t i);

#endif
