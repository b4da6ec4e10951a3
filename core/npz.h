/* npz.h - numpy's .npz archives (np.savez, np.savez_compressed): a zip of
 * .npy arrays, read whole into memory.  Used by --validate for its inputs
 * and references; private to libmo (the fuzz harness and the unit tests
 * include it from core/). */
#ifndef MO_NPZ_H
#define MO_NPZ_H

#include <stddef.h>
#include <stdint.h>

#include <mo/status.h>

/* The element types of the arrays we read: the ones framework outputs and
 * model inputs use.  Anything else is a clear error naming the dtype. */
enum mo_npy_dtype {
    MO_NPY_F32, /* '<f4' */
    MO_NPY_F16, /* '<f2' */
    MO_NPY_F64, /* '<f8' */
    MO_NPY_I64, /* '<i8' */
    MO_NPY_I32, /* '<i4' */
    MO_NPY_U8,  /* '|u1' */
    MO_NPY_BOOL, /* '|b1' */
    MO_NPY_DTYPE_COUNT
};

#define MO_NPY_MAX_RANK 32

struct mo_npy {
    char *name;              /* entry name without its ".npy" */
    enum mo_npy_dtype dtype;
    int rank;                /* 0 for a scalar */
    int64_t dims[MO_NPY_MAX_RANK];
    size_t count;            /* product of dims (1 for a scalar) */
    void *data;              /* count elements, C order, little-endian */
};

struct mo_npz {
    unsigned n;
    struct mo_npy *v;        /* in the archive's order */
};

/* Read the archive at path.  On success *out is a new archive the caller
 * frees with mo_npz_free(); on failure *out is NULL and err names the
 * file, the entry and what is wrong with it. */
enum mo_status mo_npz_read(const char *path, struct mo_npz **out, struct mo_error *err);

/* The same from len bytes at buf (not kept); label names it in errors. */
enum mo_status mo_npz_read_mem(const char *label, const uint8_t *buf, size_t len,
                               struct mo_npz **out, struct mo_error *err);

/* The array named name, or NULL.  Borrowed from z. */
const struct mo_npy *mo_npz_find(const struct mo_npz *z, const char *name);

void mo_npz_free(struct mo_npz *z);

/* Bytes per element of a dtype. */
size_t mo_npy_elsize(enum mo_npy_dtype t);
/* numpy's spelling of a dtype ("<f4"). Static storage. */
const char *mo_npy_dtype_str(enum mo_npy_dtype t);
/* An IEEE half (its bits) as a float. */
float mo_half_to_float(uint16_t h);
/* Element i of a as a double (f16 widened, integers converted). */
double mo_npy_get(const struct mo_npy *a, size_t i);

#endif
