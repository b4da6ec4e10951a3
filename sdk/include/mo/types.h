/* mo/types.h - element types and shapes, the vocabulary of every tensor.
 *
 * Shapes are plain values (no allocation): a rank and up to MO_MAX_RANK dims.
 * A dim of MO_DYN (-1) is dynamic; a rank of MO_RANK_UNKNOWN means even the
 * rank is not known yet. */
#ifndef MO_TYPES_H
#define MO_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* IR element types.  Append-only; MO_ET_COUNT stays last. */
enum mo_etype {
    MO_ET_UNDEFINED = 0,
    MO_ET_F32,
    MO_ET_F16,
    MO_ET_BF16,
    MO_ET_F64,
    MO_ET_I8,
    MO_ET_I16,
    MO_ET_I32,
    MO_ET_I64,
    MO_ET_U8,
    MO_ET_U16,
    MO_ET_U32,
    MO_ET_U64,
    MO_ET_U1,
    MO_ET_BOOLEAN,
    MO_ET_COUNT
};

/* Bits one element occupies (1 for u1, 8 for boolean). 0 for undefined. */
unsigned mo_etype_bits(enum mo_etype et);
/* The IR's element_type spelling: "f32", "boolean"...  Static storage. */
const char *mo_etype_name(enum mo_etype et);
/* The IR port precision spelling: "FP32", "BOOL"...  Static storage. */
const char *mo_etype_precision(enum mo_etype et);
/* Parse either spelling (also "float", "half", "FP16"...); MO_ET_UNDEFINED
 * if the name is unknown. */
enum mo_etype mo_etype_parse(const char *name);
bool mo_etype_is_float(enum mo_etype et);
bool mo_etype_is_signed(enum mo_etype et);

#define MO_MAX_RANK 12
#define MO_DYN ((int64_t)-1)
#define MO_RANK_UNKNOWN (-1)

struct mo_shape {
    int rank;                     /* MO_RANK_UNKNOWN, or 0..MO_MAX_RANK */
    int64_t dims[MO_MAX_RANK];    /* MO_DYN for a dynamic dim */
};

/* Build a shape from n dims (n <= MO_MAX_RANK; extra dims are dropped). */
struct mo_shape mo_shape_make(int n, const int64_t *dims);
struct mo_shape mo_shape_unknown(void);
struct mo_shape mo_shape_scalar(void);
/* mo_shape_of(1,3,224,224): a shape literal from up to 8 dims. */
#define mo_shape_of(...) \
    mo_shape_make((int)(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t)), (int64_t[]){__VA_ARGS__})
bool mo_shape_is_static(const struct mo_shape *s);
bool mo_shape_equal(const struct mo_shape *a, const struct mo_shape *b);
/* Number of elements; -1 if not static. */
int64_t mo_shape_numel(const struct mo_shape *s);
/* Format "1,3,224,224" ("?" for dynamic dims) into buf; returns buf. */
char *mo_shape_str(const struct mo_shape *s, char *buf, size_t n);
/* Normalize a possibly negative axis against rank; -1 when out of range. */
int mo_axis_norm(int64_t axis, int rank);

#ifdef __cplusplus
}
#endif
#endif
