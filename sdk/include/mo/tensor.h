/* mo/tensor.h - constant tensors whose bytes are owned, borrowed or lazy.
 *
 * A struct mo_file is a read-only memory map of an input file.  A tensor
 * either owns a heap block, or borrows a byte range of such a map (keeping
 * the map alive with a reference), or is lazy: another tensor plus one
 * pending transform (a per-channel scale and shift, f32 -> f16, a transpose,
 * a new shape, a stack of several).  Weights go from the framework file to the .bin without
 * being copied, and a fused or compressed weight is computed chunk by chunk
 * while the .bin is streamed, never held whole: memory does not grow with
 * the model.  All kinds are reference counted.
 *
 * A lazy tensor has data == NULL.  Read its values with mo_tensor_read()
 * (a range, any size) or mo_tensor_get_f64() (one element); make it plain
 * with mo_tensor_materialize().
 *
 * Size rule: a pass may materialize (hold whole in memory) a tensor of at
 * most MO_TENSOR_SMALL_BYTES, as constant folding and shape computations
 * do; a larger one stays borrowed or lazy, and a pass that would need it
 * whole leaves the graph as it is instead (the runtime folds it). */
#ifndef MO_TENSOR_H
#define MO_TENSOR_H

#include <mo/status.h>
#include <mo/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mo_file;

/* Map path read-only.  Returns a new reference (release with mo_file_unref)
 * or NULL with err filled (names the path).  An empty file maps fine. */
struct mo_file *mo_file_map(const char *path, struct mo_error *err);
/* Wrap bytes already in memory as a file; takes ownership of data (free()d
 * on the last unref).  Used for generated or decompressed content. */
struct mo_file *mo_file_from_heap(void *data, size_t size, const char *name);
const unsigned char *mo_file_data(const struct mo_file *f);
size_t mo_file_size(const struct mo_file *f);
/* The path given to mo_file_map (owned by f). */
const char *mo_file_path(const struct mo_file *f);
struct mo_file *mo_file_ref(struct mo_file *f);
void mo_file_unref(struct mo_file *f);
/* Give back the pages of f's map that are resident (a hint: they are read
 * from the file again when touched; nothing changes for content in memory).
 * For a reader that has walked a whole model file's structure: the kernel
 * maps the pages around every byte touched (readahead, large folios), so a
 * walk over the headers between the weights leaves most of the file
 * counted in the process's RSS (62 of a TF ResNet50's 98 MB).  f is not
 * changed; since ABI 1.2. */
void mo_file_drop_pages(const struct mo_file *f);

/* The largest tensor a pass may hold whole in memory (see above). */
#define MO_TENSOR_SMALL_BYTES ((size_t)1 << 20)

struct mo_lazy_op;

struct mo_tensor {
    enum mo_etype et;
    struct mo_shape shape;        /* always static */
    const void *data;             /* nbytes bytes, little-endian, packed; NULL when lazy */
    size_t nbytes;
    /* private */
    int refs;
    void *owned;                  /* heap block when the tensor owns its bytes */
    struct mo_file *file;         /* map the bytes are borrowed from, or NULL */
    struct mo_tensor *src;        /* lazy: the tensor the transform reads */
    struct mo_lazy_op *op;        /* lazy: the transform (owned) */
};

/* Bytes a tensor of this type and static shape occupies (u1 packs 8 per
 * byte); SIZE_MAX when that does not fit a size_t, 0 for a dynamic shape. */
size_t mo_tensor_bytes_for(enum mo_etype et, const struct mo_shape *shape);

/* A new zero-filled tensor owning its bytes; caller owns the one reference.
 * NULL with err filled if the shape is not static or memory runs out. */
struct mo_tensor *mo_tensor_new(enum mo_etype et, const struct mo_shape *shape,
                                struct mo_error *err);
/* A tensor borrowing nbytes at offset of f (takes its own reference on f).
 * Fails with MO_ERR_FORMAT (naming the file) when the range lies outside
 * the file or does not match the shape's byte size. */
struct mo_tensor *mo_tensor_borrow(struct mo_file *f, size_t offset,
                                   enum mo_etype et, const struct mo_shape *shape,
                                   struct mo_error *err);
/* A new owned tensor holding a copy of n bytes at data. */
struct mo_tensor *mo_tensor_from_data(enum mo_etype et, const struct mo_shape *shape,
                                      const void *data, size_t n, struct mo_error *err);
struct mo_tensor *mo_tensor_ref(struct mo_tensor *t);
void mo_tensor_unref(struct mo_tensor *t);
/* Writable bytes of *t.  If *t is borrowed or shared, *t is replaced by a
 * private owned copy (the old reference is released).  NULL on OOM. */
void *mo_tensor_mutable(struct mo_tensor **t, struct mo_error *err);
/* Same values, another shape with the same element count (shares bytes;
 * a lazy tensor stays lazy). */
struct mo_tensor *mo_tensor_reshaped(struct mo_tensor *t, const struct mo_shape *shape,
                                     struct mo_error *err);
bool mo_tensor_is_borrowed(const struct mo_tensor *t);
/* Hint that t's bytes will not be needed again soon: for a borrowed tensor
 * the mapped pages are given back to the kernel (they are read from the
 * file again if touched), so that peak memory stays near the size of the
 * weights being written rather than of every weight ever read.  Owned
 * tensors are untouched.  Never changes what the bytes read as. */
void mo_tensor_drop_pages(const struct mo_tensor *t);
int64_t mo_tensor_numel(const struct mo_tensor *t);

/* --- lazy tensors ---------------------------------------------------------
 * Each constructor returns a new lazy tensor (caller owns the reference)
 * that holds its own reference on t; t is not changed.  NULL with err
 * filled on OOM or a bad argument. */

/* Which channel element e of a tensor belongs to, for per-channel factors:
 * ch(e) = (e / inner) % n + n * ((e / outer) % groups), n * groups channels.
 * A convolution's output channels [O, I, k...] are inner = I*k, n = O,
 * groups = 1; grouped weights [G, O, I, k...] add outer = O*I*k, groups = G.
 * With groups > 1, outer must be a multiple of inner. */
struct mo_chan_map {
    int64_t inner, n, outer, groups;
};

/* ch(e) of the formula above. */
static inline int64_t mo_chan_of(const struct mo_chan_map *m, int64_t e)
{
    int64_t ch = (e / m->inner) % m->n;
    return m->groups > 1 ? ch + m->n * ((e / m->outer) % m->groups) : ch;
}

bool mo_tensor_is_lazy(const struct mo_tensor *t);
/* v = x * scale[ch] (+ shift[ch]), computed in double and rounded once to
 * t's float type.  scale and shift (may be NULL: no shift) hold n * groups
 * values each and are copied. */
struct mo_tensor *mo_tensor_scaled(struct mo_tensor *t, const struct mo_chan_map *m,
                                   const double *scale, const double *shift,
                                   struct mo_error *err);
/* t (f32) rounded to f16 (round to nearest even, as mo_f32_to_f16). */
struct mo_tensor *mo_tensor_to_f16(struct mo_tensor *t, struct mo_error *err);
/* t with its dims permuted: result dim i is t's dim perm[i].  A lazy t is
 * materialized first when small; a large lazy t fails with
 * MO_ERR_UNSUPPORTED (the caller keeps its Transpose). */
struct mo_tensor *mo_tensor_transposed(struct mo_tensor *t, const int64_t *perm,
                                       struct mo_error *err);
/* parts[0..n) (one type and shape, not u1) one after another along a new
 * first dim: [n, shape...].  Holds a reference on each part. */
struct mo_tensor *mo_tensor_stacked(struct mo_tensor *const *parts, unsigned n, struct mo_error *err);
/* Elements [first, first + n) of t, in t's type, packed into dst
 * (n * element size bytes; for u1, first and n must be multiples of 8).
 * Works for every kind of tensor; for a lazy one the transforms are applied
 * to this range only. */
enum mo_status mo_tensor_read(const struct mo_tensor *t, int64_t first, int64_t n, void *dst,
                              struct mo_error *err);
/* Make *t plain: a lazy *t is replaced by an owned tensor holding its
 * values (the old reference is released); other tensors are left alone.
 * Any size: callers apply the size rule. */
enum mo_status mo_tensor_materialize(struct mo_tensor **t, struct mo_error *err);
/* mo_tensor_drop_pages() for the mapped pages elements [first, first + n)
 * of t were read from (through any lazy transforms); neighbours keep theirs. */
void mo_tensor_drop_range(const struct mo_tensor *t, int64_t first, int64_t n);
/* Are a and b sure to hold the same values without reading them: the same
 * bytes of the same map, or the same transform of such? */
bool mo_tensor_same_source(const struct mo_tensor *a, const struct mo_tensor *b);

/* Element i converted to double / int64 (any numeric type). */
double mo_tensor_get_f64(const struct mo_tensor *t, int64_t i);
int64_t mo_tensor_get_i64(const struct mo_tensor *t, int64_t i);
/* Store v converted to t's type at element i; t must be writable. */
void mo_tensor_set_f64(struct mo_tensor *t, int64_t i, double v);
/* A new owned tensor with the values of t converted to et. */
struct mo_tensor *mo_tensor_convert(const struct mo_tensor *t, enum mo_etype et,
                                    struct mo_error *err);

/* IEEE half / bfloat16 conversions (round to nearest even). */
uint16_t mo_f32_to_f16(float f);
float mo_f16_to_f32(uint16_t h);
uint16_t mo_f32_to_bf16(float f);
float mo_bf16_to_f32(uint16_t h);

#ifdef __cplusplus
}
#endif
#endif
