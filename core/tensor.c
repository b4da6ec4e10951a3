/* tensor.c - mapped files and reference-counted constant tensors. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tensor_private.h"

struct mo_file {
    int refs;
    unsigned char *data;
    size_t size;
    bool mapped;        /* munmap on release, else free */
    int fd;             /* kept open: the .bin writer copies from it; -1 if none */
    char *path;
};

int mo_file_fd(const struct mo_file *f) { return f ? f->fd : -1; }

struct mo_file *mo_file_map(const char *path, struct mo_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        mo_error_set(err, MO_ERR_IO, 1, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        mo_error_set(err, MO_ERR_IO, 1, "'%s' is not a regular file", path);
        close(fd);
        return NULL;
    }
    struct mo_file *f = calloc(1, sizeof *f);
    char *p = strdup(path);
    if (!f || !p) {
        free(f);
        free(p);
        close(fd);
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory mapping '%s'", path);
        return NULL;
    }
    f->refs = 1;
    f->path = p;
    f->fd = -1;
    f->size = (size_t)st.st_size;
    if (f->size > 0) {
        void *m = mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            mo_error_set(err, MO_ERR_IO, 1, "cannot map '%s': %s", path, strerror(errno));
            close(fd);
            free(p);
            free(f);
            return NULL;
        }
        f->data = m;
        f->mapped = true;
        /* weights are mostly read once, front to back */
        madvise(m, f->size, MADV_SEQUENTIAL);
    }
    f->fd = fd;
    return f;
}

struct mo_file *mo_file_from_heap(void *data, size_t size, const char *name)
{
    struct mo_file *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->refs = 1;
    f->data = data;
    f->size = size;
    f->fd = -1;
    f->path = strdup(name ? name : "<memory>");
    if (!f->path) {
        free(f);
        return NULL;
    }
    return f;
}

const unsigned char *mo_file_data(const struct mo_file *f) { return f->data; }
size_t mo_file_size(const struct mo_file *f) { return f->size; }
const char *mo_file_path(const struct mo_file *f) { return f->path; }

struct mo_file *mo_file_ref(struct mo_file *f)
{
    if (f)
        f->refs++;
    return f;
}

void mo_file_unref(struct mo_file *f)
{
    if (!f || --f->refs > 0)
        return;
    if (f->mapped)
        munmap(f->data, f->size);
    else
        free(f->data);
    if (f->fd >= 0)
        close(f->fd);
    free(f->path);
    free(f);
}

size_t mo_tensor_bytes_for(enum mo_etype et, const struct mo_shape *shape)
{
    if (!mo_shape_is_static(shape))
        return 0;
    /* in bits, checked: a hostile shape must not wrap to a small size */
    size_t bits = mo_etype_bits(et);
    for (int i = 0; i < shape->rank; i++)
        if (__builtin_mul_overflow(bits, (size_t)shape->dims[i], &bits))
            return SIZE_MAX;
    return bits / 8 + (bits % 8 != 0);
}

struct mo_tensor *mo_tensor_alloc(enum mo_etype et, const struct mo_shape *shape, struct mo_error *err)
{
    if (!mo_shape_is_static(shape) || et == MO_ET_UNDEFINED || et >= MO_ET_COUNT) {
        mo_error_set(err, MO_ERR_SHAPE, 0, "a constant needs a static shape and a defined type");
        return NULL;
    }
    struct mo_tensor *t = calloc(1, sizeof *t);
    if (!t) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    t->et = et;
    t->shape = *shape;
    t->nbytes = mo_tensor_bytes_for(et, shape);
    t->refs = 1;
    return t;
}

struct mo_tensor *mo_tensor_new(enum mo_etype et, const struct mo_shape *shape,
                                struct mo_error *err)
{
    struct mo_tensor *t = mo_tensor_alloc(et, shape, err);
    if (!t)
        return NULL;
    /* calloc(0) may return NULL; keep a valid pointer for empty tensors */
    t->owned = calloc(1, t->nbytes ? t->nbytes : 1);
    if (!t->owned) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory for a %zu-byte constant", t->nbytes);
        free(t);
        return NULL;
    }
    t->data = t->owned;
    return t;
}

struct mo_tensor *mo_tensor_from_data(enum mo_etype et, const struct mo_shape *shape,
                                      const void *data, size_t n, struct mo_error *err)
{
    struct mo_tensor *t = mo_tensor_new(et, shape, err);
    if (!t)
        return NULL;
    if (n != t->nbytes) {
        mo_error_set(err, MO_ERR_SHAPE, 0, "constant data has %zu bytes, its shape needs %zu",
                     n, t->nbytes);
        mo_tensor_unref(t);
        return NULL;
    }
    if (n)
        memcpy(t->owned, data, n);
    return t;
}

struct mo_tensor *mo_tensor_borrow(struct mo_file *f, size_t offset, enum mo_etype et,
                                   const struct mo_shape *shape, struct mo_error *err)
{
    struct mo_tensor *t = mo_tensor_alloc(et, shape, err);
    if (!t)
        return NULL;
    if (offset > f->size || t->nbytes > f->size - offset) {
        mo_error_set(err, MO_ERR_FORMAT, 2,
                     "'%s' is truncated: a %zu-byte tensor at offset %zu runs past its end (%zu bytes)",
                     f->path, t->nbytes, offset, f->size);
        free(t);
        return NULL;
    }
    t->file = mo_file_ref(f);
    t->data = f->data ? f->data + offset : (const void *)"";
    return t;
}

struct mo_tensor *mo_tensor_ref(struct mo_tensor *t)
{
    if (t)
        t->refs++;
    return t;
}

void mo_tensor_unref(struct mo_tensor *t)
{
    if (!t || --t->refs > 0)
        return;
    free(t->owned);
    mo_file_unref(t->file);
    mo_lazy_op_free(t->op);
    mo_tensor_unref(t->src);
    free(t);
}

bool mo_tensor_is_borrowed(const struct mo_tensor *t) { return t->file != NULL; }

void mo_file_drop_pages(const struct mo_file *f)
{
    /* the map starts on a page; its tail page is whole in memory */
    if (f && f->mapped && f->size)
        madvise(f->data, f->size, MADV_DONTNEED);
}

/* Give back the whole pages of t's map inside bytes [lo, hi) of t. */
static void drop_bytes(const struct mo_tensor *t, size_t lo, size_t hi)
{
    if (!t->file || !t->file->mapped || hi <= lo)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)t->data + lo + page - 1) & ~(page - 1);
    uintptr_t b = ((uintptr_t)t->data + hi) & ~(page - 1);
    /* only whole pages inside the range: neighbours keep theirs */
    if (b > a)
        madvise((void *)a, b - a, MADV_DONTNEED);
}

void mo_tensor_drop_pages(const struct mo_tensor *t)
{
    if (!t)
        return;
    if (t->src && t->op->kind == MO_LAZY_STACK) {
        for (unsigned i = 0; i < t->op->n_parts; i++)
            mo_tensor_drop_pages(t->op->parts[i]);
        return;
    }
    if (t->src)
        mo_tensor_drop_pages(t->src);
    else
        drop_bytes(t, 0, t->nbytes);
}

void mo_tensor_drop_range(const struct mo_tensor *t, int64_t first, int64_t n)
{
    /* views, scales and conversions read the same element range of their
     * source; a transpose reads all over it; a stack reads its parts' */
    while (t && t->src) {
        if (t->op->kind == MO_LAZY_TRANSPOSE) {
            mo_tensor_drop_pages(t->src);
            return;
        }
        if (t->op->kind == MO_LAZY_STACK) {
            int64_t per = mo_tensor_numel(t->op->parts[0]);
            for (unsigned i = 0; per > 0 && i < t->op->n_parts; i++) {
                int64_t lo = first > i * per ? first - i * per : 0, hi = first + n - i * per;
                if (hi > per)
                    hi = per;
                if (hi > lo)
                    mo_tensor_drop_range(t->op->parts[i], lo, hi - lo);
            }
            return;
        }
        t = t->src;
    }
    if (!t || first < 0 || n <= 0)
        return;
    unsigned bits = mo_etype_bits(t->et);
    drop_bytes(t, (size_t)first * bits / 8, ((size_t)(first + n) * bits + 7) / 8);
}

int64_t mo_tensor_numel(const struct mo_tensor *t) { return mo_shape_numel(&t->shape); }

void *mo_tensor_mutable(struct mo_tensor **tp, struct mo_error *err)
{
    if (mo_tensor_materialize(tp, err) != MO_OK)
        return NULL;
    struct mo_tensor *t = *tp;
    if (t->owned && t->refs == 1)
        return t->owned;
    struct mo_tensor *c = mo_tensor_from_data(t->et, &t->shape, t->data, t->nbytes, err);
    if (!c)
        return NULL;
    /* the copy replaces the mapped bytes for this user: release the pages
     * (another user of the same bytes simply reads them from the file again) */
    mo_tensor_drop_pages(t);
    mo_tensor_unref(t);
    *tp = c;
    return c->owned;
}

struct mo_tensor *mo_tensor_reshaped(struct mo_tensor *t, const struct mo_shape *shape,
                                     struct mo_error *err)
{
    if (mo_shape_numel(shape) != mo_tensor_numel(t)) {
        mo_error_set(err, MO_ERR_SHAPE, 0, "cannot reshape a constant of %lld elements to %lld",
                     (long long)mo_tensor_numel(t), (long long)mo_shape_numel(shape));
        return NULL;
    }
    struct mo_tensor *r = mo_tensor_alloc(t->et, shape, err);
    if (!r)
        return NULL;
    /* a lazy or a large owned tensor gets a view (owned bytes have one
     * owner); a small owned one, as folded shapes are, a plain copy */
    if (t->src || (!t->file && t->nbytes > MO_TENSOR_SMALL_BYTES)) {
        r->op = calloc(1, sizeof *r->op);
        if (!r->op) {
            free(r);
            mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            return NULL;
        }
        r->op->kind = MO_LAZY_VIEW;
        r->src = mo_tensor_ref(t);
    } else if (t->file) {
        r->file = mo_file_ref(t->file);
        r->data = t->data;
    } else {
        r->owned = malloc(t->nbytes ? t->nbytes : 1);
        if (!r->owned) {
            free(r);
            mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            return NULL;
        }
        memcpy(r->owned, t->data, t->nbytes);
        r->data = r->owned;
    }
    return r;
}

/* --- half precision ---------------------------------------------------- */

uint16_t mo_f32_to_f16(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000u;
    uint32_t mant = x & 0x7fffffu;
    int exp = (int)((x >> 23) & 0xff);
    if (exp == 0xff) /* inf or nan; keep nan quiet */
        return (uint16_t)(sign | 0x7c00u | (mant ? 0x200u : 0));
    int e = exp - 127 + 15;
    if (e >= 0x1f)
        return (uint16_t)(sign | 0x7c00u);
    if (e <= 0) {
        if (e < -10)
            return (uint16_t)sign;
        mant |= 0x800000u;
        unsigned shift = (unsigned)(14 - e);
        uint32_t half = mant >> shift;
        uint32_t rem = mant & ((1u << shift) - 1);
        uint32_t mid = 1u << (shift - 1);
        if (rem > mid || (rem == mid && (half & 1)))
            half++;
        return (uint16_t)(sign | half);
    }
    uint32_t h = sign | ((uint32_t)e << 10) | (mant >> 13);
    uint32_t rem = mant & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1)))
        h++; /* may carry into the exponent, which is the right rounding */
    return (uint16_t)h;
}

float mo_f16_to_f32(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1f;
    uint32_t mant = h & 0x3ffu;
    uint32_t x;
    if (exp == 0) {
        if (mant == 0) {
            x = sign;
        } else {
            int e = -1;
            do {
                e++;
                mant <<= 1;
            } while (!(mant & 0x400u));
            x = sign | ((uint32_t)(127 - 15 - e) << 23) | ((mant & 0x3ffu) << 13);
        }
    } else if (exp == 0x1f) {
        x = sign | 0x7f800000u | (mant << 13);
    } else {
        x = sign | ((exp - 15 + 127) << 23) | (mant << 13);
    }
    float f;
    memcpy(&f, &x, 4);
    return f;
}

uint16_t mo_f32_to_bf16(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    if ((x & 0x7fffffffu) > 0x7f800000u)
        return (uint16_t)((x >> 16) | 0x40);
    x += 0x7fffu + ((x >> 16) & 1);
    return (uint16_t)(x >> 16);
}

float mo_bf16_to_f32(uint16_t h)
{
    uint32_t x = (uint32_t)h << 16;
    float f;
    memcpy(&f, &x, 4);
    return f;
}

/* --- element access ---------------------------------------------------- */

#define LOAD(T) do { T v; memcpy(&v, p + (size_t)i * sizeof(T), sizeof(T)); return v; } while (0)

double mo_tensor_get_f64(const struct mo_tensor *t, int64_t i)
{
    if (t->src)
        return mo_lazy_get_f64(t, i);
    return mo_decode_f64(t->et, t->data, i);
}

double mo_decode_f64(enum mo_etype et, const unsigned char *p, int64_t i)
{
    switch (et) {
    case MO_ET_F32: LOAD(float);
    case MO_ET_F64: LOAD(double);
    case MO_ET_F16: { uint16_t h; memcpy(&h, p + i * 2, 2); return mo_f16_to_f32(h); }
    case MO_ET_BF16: { uint16_t h; memcpy(&h, p + i * 2, 2); return mo_bf16_to_f32(h); }
    case MO_ET_I8: LOAD(int8_t);
    case MO_ET_I16: LOAD(int16_t);
    case MO_ET_I32: LOAD(int32_t);
    case MO_ET_I64: LOAD(int64_t);
    case MO_ET_U8: LOAD(uint8_t);
    case MO_ET_U16: LOAD(uint16_t);
    case MO_ET_U32: LOAD(uint32_t);
    case MO_ET_U64: { uint64_t v; memcpy(&v, p + (size_t)i * 8, 8); return (double)v; }
    case MO_ET_BOOLEAN: return p[i] != 0;
    case MO_ET_U1: return (p[i / 8] >> (7 - i % 8)) & 1;
    default: return 0;
    }
}

int64_t mo_tensor_get_i64(const struct mo_tensor *t, int64_t i)
{
    const unsigned char *p = t->data;
    /* lazy tensors are float: their integer value comes from the double */
    switch (t->src ? MO_ET_F64 : t->et) {
    case MO_ET_I64: LOAD(int64_t);
    case MO_ET_U64: { uint64_t v; memcpy(&v, p + i * 8, 8); return (int64_t)v; }
    case MO_ET_I32: LOAD(int32_t);
    case MO_ET_U32: LOAD(uint32_t);
    case MO_ET_I16: LOAD(int16_t);
    case MO_ET_U16: LOAD(uint16_t);
    case MO_ET_I8: LOAD(int8_t);
    case MO_ET_U8: LOAD(uint8_t);
    case MO_ET_BOOLEAN: return p[i] != 0;
    case MO_ET_U1: return (p[i / 8] >> (7 - i % 8)) & 1;
    default: {
        double d = mo_tensor_get_f64(t, i);
        if (isnan(d))
            return 0;
        if (d >= 9.2e18)
            return INT64_MAX;
        if (d <= -9.2e18)
            return INT64_MIN;
        return (int64_t)d;
    }
    }
}
#undef LOAD

#define STORE(T, x) do { T v = (T)(x); memcpy(p + (size_t)i * sizeof(T), &v, sizeof(T)); } while (0)

void mo_tensor_set_f64(struct mo_tensor *t, int64_t i, double d)
{
    unsigned char *p = t->owned;
    /* integer targets: truncate toward zero like a C cast, saturating */
    double c = d;
    if (!mo_etype_is_float(t->et)) {
        if (isnan(c))
            c = 0;
        c = trunc(c);
        if (c > 9.2e18)
            c = 9.2e18;
        if (c < -9.2e18)
            c = -9.2e18;
    }
    switch (t->et) {
    case MO_ET_F32: STORE(float, d); break;
    case MO_ET_F64: STORE(double, d); break;
    case MO_ET_F16: STORE(uint16_t, mo_f32_to_f16((float)d)); break;
    case MO_ET_BF16: STORE(uint16_t, mo_f32_to_bf16((float)d)); break;
    case MO_ET_I8: STORE(int8_t, (int64_t)c); break;
    case MO_ET_I16: STORE(int16_t, (int64_t)c); break;
    case MO_ET_I32: STORE(int32_t, (int64_t)c); break;
    case MO_ET_I64: STORE(int64_t, c); break;
    case MO_ET_U8: STORE(uint8_t, (int64_t)c); break;
    case MO_ET_U16: STORE(uint16_t, (int64_t)c); break;
    case MO_ET_U32: STORE(uint32_t, (int64_t)c); break;
    case MO_ET_U64: {
        /* unsigned: clamp to 0..UINT64_MAX rather than through int64 */
        double u = isnan(d) ? 0 : trunc(d);
        uint64_t v = u <= 0 ? 0 : u >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)u;
        memcpy(p + (size_t)i * 8, &v, 8);
        break;
    }
    case MO_ET_BOOLEAN: p[i] = d != 0; break;
    case MO_ET_U1:
        if (d != 0)
            p[i / 8] |= (unsigned char)(0x80u >> (i % 8));
        else
            p[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
        break;
    default: break;
    }
}
#undef STORE

struct mo_tensor *mo_tensor_convert(const struct mo_tensor *t, enum mo_etype et,
                                    struct mo_error *err)
{
    struct mo_tensor *r = mo_tensor_new(et, &t->shape, err);
    if (!r)
        return NULL;
    int64_t n = mo_tensor_numel(t);
    bool ints = !mo_etype_is_float(t->et) && !mo_etype_is_float(et);
    for (int64_t i = 0; i < n; i++) {
        if (ints && et == MO_ET_I64) {
            int64_t v = mo_tensor_get_i64(t, i);
            memcpy((char *)r->owned + i * 8, &v, 8);
        } else {
            mo_tensor_set_f64(r, i, mo_tensor_get_f64(t, i));
        }
    }
    return r;
}
