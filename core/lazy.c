/* lazy.c - tensors computed on demand: a source tensor plus one transform
 * (per-channel scale and shift, f32 -> f16, transpose, reshape), read a
 * range at a time.  Chains are short linked lists of such tensors, each
 * holding a reference on its source, so two users of the same weights
 * share the source and neither copies it.  The .bin writer reads a lazy
 * weight chunk by chunk while streaming it; nothing here ever holds a
 * whole large tensor. */
#include <config.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define MO_HAVE_F16C_PATH 1
#endif

#include "tensor_private.h"

bool mo_tensor_is_lazy(const struct mo_tensor *t) { return t && t->src; }

void mo_lazy_op_free(struct mo_lazy_op *op)
{
    if (!op)
        return;
    free(op->scale);
    free(op->shift);
    free(op->win);
    for (unsigned i = 0; i < op->n_parts; i++)
        mo_tensor_unref(op->parts[i]);
    free(op->parts);
    free(op);
}

static struct mo_tensor *lazy_new(struct mo_tensor *src, enum mo_etype et,
                                  const struct mo_shape *shape, enum mo_lazy_kind kind,
                                  struct mo_error *err)
{
    struct mo_tensor *t = mo_tensor_alloc(et, shape, err);
    struct mo_lazy_op *op = t ? calloc(1, sizeof *op) : NULL;
    if (!op) {
        free(t);
        if (t)
            mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    op->kind = kind;
    t->op = op;
    t->src = mo_tensor_ref(src);
    return t;
}

static bool scalable(enum mo_etype et)
{
    return et == MO_ET_F32 || et == MO_ET_F16 || et == MO_ET_BF16 || et == MO_ET_F64;
}

struct mo_tensor *mo_tensor_scaled(struct mo_tensor *t, const struct mo_chan_map *m,
                                   const double *scale, const double *shift,
                                   struct mo_error *err)
{
    if (!scalable(t->et)) {
        mo_error_set(err, MO_ERR_INTERNAL, 0, "a %s constant cannot be scaled", mo_etype_name(t->et));
        return NULL;
    }
    if (m->inner < 1 || m->n < 1 || m->groups < 1 || m->n > (1 << 24) / m->groups ||
        (m->groups > 1 && (m->outer < m->inner || m->outer % m->inner))) {
        mo_error_set(err, MO_ERR_INTERNAL, 0, "bad channel map (inner %lld, n %lld, outer %lld, groups %lld)",
                     (long long)m->inner, (long long)m->n, (long long)m->outer, (long long)m->groups);
        return NULL;
    }
    size_t nch = (size_t)(m->n * m->groups);
    struct mo_tensor *r = lazy_new(t, t->et, &t->shape, MO_LAZY_SCALE, err);
    if (!r)
        return NULL;
    r->op->map = *m;
    r->op->scale = malloc(nch * sizeof *scale);
    r->op->shift = shift ? malloc(nch * sizeof *shift) : NULL;
    if (!r->op->scale || (shift && !r->op->shift)) {
        mo_tensor_unref(r);
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    memcpy(r->op->scale, scale, nch * sizeof *scale);
    if (shift)
        memcpy(r->op->shift, shift, nch * sizeof *shift);
    return r;
}

struct mo_tensor *mo_tensor_to_f16(struct mo_tensor *t, struct mo_error *err)
{
    if (t->et != MO_ET_F32) {
        mo_error_set(err, MO_ERR_INTERNAL, 0, "only f32 constants are compressed to f16, not %s",
                     mo_etype_name(t->et));
        return NULL;
    }
    return lazy_new(t, MO_ET_F16, &t->shape, MO_LAZY_F16, err);
}

struct mo_tensor *mo_tensor_transposed(struct mo_tensor *t, const int64_t *perm,
                                       struct mo_error *err)
{
    int r = t->shape.rank;
    unsigned seen = 0;
    for (int i = 0; i < r; i++) {
        if (perm[i] < 0 || perm[i] >= r || (seen & (1u << perm[i]))) {
            mo_error_set(err, MO_ERR_INVALID_ARG, 0, "transpose order is not a permutation of %d axes", r);
            return NULL;
        }
        seen |= 1u << perm[i];
    }
    if (mo_etype_bits(t->et) < 8) {
        mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "a %s constant is not transposed here", mo_etype_name(t->et));
        return NULL;
    }
    struct mo_tensor *src = mo_tensor_ref(t);
    if (src->src) {
        /* a gather over a lazy chain would evaluate it element by element */
        if (src->nbytes > MO_TENSOR_SMALL_BYTES) {
            mo_tensor_unref(src);
            mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "a large computed constant is not transposed here");
            return NULL;
        }
        if (mo_tensor_materialize(&src, err) != MO_OK) {
            mo_tensor_unref(src);
            return NULL;
        }
    }
    struct mo_shape s = {.rank = r};
    for (int i = 0; i < r; i++)
        s.dims[i] = src->shape.dims[perm[i]];
    struct mo_tensor *res = lazy_new(src, src->et, &s, MO_LAZY_TRANSPOSE, err);
    mo_tensor_unref(src);
    if (res)
        memcpy(res->op->perm, perm, (size_t)r * sizeof *perm);
    return res;
}

struct mo_tensor *mo_tensor_stacked(struct mo_tensor *const *parts, unsigned n, struct mo_error *err)
{
    if (!n || parts[0]->shape.rank >= MO_MAX_RANK || mo_etype_bits(parts[0]->et) < 8) {
        mo_error_set(err, MO_ERR_INTERNAL, 0, "cannot stack %u constants", n);
        return NULL;
    }
    for (unsigned i = 1; i < n; i++)
        if (parts[i]->et != parts[0]->et || !mo_shape_equal(&parts[i]->shape, &parts[0]->shape)) {
            mo_error_set(err, MO_ERR_INTERNAL, 0, "stacked constants differ in type or shape");
            return NULL;
        }
    struct mo_shape s = {.rank = parts[0]->shape.rank + 1};
    s.dims[0] = n;
    memcpy(&s.dims[1], parts[0]->shape.dims, (size_t)parts[0]->shape.rank * sizeof s.dims[0]);
    struct mo_tensor *r = lazy_new(parts[0], parts[0]->et, &s, MO_LAZY_STACK, err);
    if (!r)
        return NULL;
    r->op->parts = calloc(n, sizeof *r->op->parts);
    if (!r->op->parts) {
        mo_tensor_unref(r);
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    r->op->n_parts = n;
    for (unsigned i = 0; i < n; i++)
        r->op->parts[i] = mo_tensor_ref(parts[i]);
    return r;
}

/* --- kernels -------------------------------------------------------------- */

static void encode_f64(enum mo_etype et, unsigned char *p, int64_t i, double v)
{
    switch (et) {
    case MO_ET_F32: { float f = (float)v; memcpy(p + i * 4, &f, 4); break; }
    case MO_ET_F64: memcpy(p + i * 8, &v, 8); break;
    case MO_ET_F16: { uint16_t h = mo_f32_to_f16((float)v); memcpy(p + i * 2, &h, 2); break; }
    case MO_ET_BF16: { uint16_t h = mo_f32_to_bf16((float)v); memcpy(p + i * 2, &h, 2); break; }
    default: break;
    }
}

/* The scale of a run of f32 values, in double and rounded once, as the
 * eager passes computed it (kept apart from the shifted form: x*s + 0.0
 * would turn -0.0 into +0.0).  in may equal out. */
static void scale_f32_scalar(const float *in, float *out, int64_t n, double s, const double *b)
{
    if (b)
        for (int64_t j = 0; j < n; j++)
            out[j] = (float)((double)in[j] * s + *b);
    else
        for (int64_t j = 0; j < n; j++)
            out[j] = (float)((double)in[j] * s);
}

#ifdef MO_HAVE_F16C_PATH
/* The same, four at a time: an exact product and sum in double (AVX has no
 * fused multiply-add, so nothing is contracted) rounded to float once, bit
 * for bit what the scalar loop gives. */
__attribute__((target("avx"))) static void scale_f32_avx(const float *in, float *out, int64_t n,
                                                         double s, const double *b)
{
    __m256d vs = _mm256_set1_pd(s), vb = _mm256_set1_pd(b ? *b : 0);
    int64_t j = 0;
    for (; j + 4 <= n; j += 4) {
        __m256d x = _mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(in + j)), vs);
        if (b)
            x = _mm256_add_pd(x, vb);
        _mm_storeu_ps(out + j, _mm256_cvtpd_ps(x));
    }
    scale_f32_scalar(in + j, out + j, n - j, s, b);
}
#endif

static void scale_f32(const float *in, float *out, int64_t n, double s, const double *b)
{
#ifdef MO_HAVE_F16C_PATH
    if (n >= 16 && __builtin_cpu_supports("avx")) {
        scale_f32_avx(in, out, n, s, b);
        return;
    }
#endif
    scale_f32_scalar(in, out, n, s, b);
}

/* dst gets elements [first, first + n) of the source, read from in (which
 * may be dst itself), scaled. */
static void apply_scale(const struct mo_lazy_op *op, enum mo_etype et, int64_t first, int64_t n,
                        const unsigned char *in, unsigned char *dst)
{
    const struct mo_chan_map *m = &op->map;
    for (int64_t e = first, end = first + n; e < end;) {
        int64_t run = m->inner - e % m->inner;
        if (run > end - e)
            run = end - e;
        int64_t ch = mo_chan_of(m, e);
        double s = op->scale[ch];
        const double *b = op->shift ? &op->shift[ch] : NULL;
        int64_t k = e - first;
        if (et == MO_ET_F32) {
            scale_f32((const float *)(const void *)in + k, (float *)(void *)dst + k, run, s, b);
        } else {
            for (int64_t j = k; j < k + run; j++) {
                double v = mo_decode_f64(et, in, j) * s;
                encode_f64(et, dst, j, b ? v + *b : v);
            }
        }
        e += run;
    }
}

static void f16_scalar(const float *x, uint16_t *h, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        h[i] = mo_f32_to_f16(x[i]);
}

#ifdef MO_HAVE_F16C_PATH
/* The F16C instruction rounds to nearest even like mo_f32_to_f16 and keeps
 * subnormals; NaN payloads differ, so a block holding a NaN is redone by
 * the scalar code (the output never depends on the CPU). */
__attribute__((target("avx,f16c"))) static void f16_f16c(const float *x, uint16_t *h, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        __m128i r = _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm_storeu_si128((__m128i *)(void *)(h + i), r);
        if (_mm256_movemask_ps(_mm256_cmp_ps(v, v, _CMP_UNORD_Q)))
            f16_scalar(x + i, h + i, 8);
    }
    f16_scalar(x + i, h + i, n - i);
}
#endif

#ifdef MO_HAVE_F16C_PATH
/* AVX usable (the builtin checks the OS saves its registers) and F16C,
 * read from CPUID: clang's __builtin_cpu_supports does not know "f16c".
 * Asked once: CPUID traps to the hypervisor in a VM.  The cached answer is
 * a property of the machine: threads racing to fill it store the same value. */
static bool has_f16c(void)
{
    static atomic_int known = -1;
    int k = atomic_load_explicit(&known, memory_order_relaxed);
    if (k < 0) {
        unsigned a, b, c, d;
        k = __builtin_cpu_supports("avx") && __get_cpuid(1, &a, &b, &c, &d) && (c & bit_F16C);
        atomic_store_explicit(&known, k, memory_order_relaxed);
    }
    return k;
}
#endif

void mo_f32_to_f16_n(const float *x, uint16_t *h, int64_t n)
{
#ifdef MO_HAVE_F16C_PATH
    if (has_f16c()) {
        f16_f16c(x, h, n);
        return;
    }
#endif
    f16_scalar(x, h, n);
}

/* On the bits of |x|: beyond the f16 range is above 65504 (0x477fe000) and
 * finite (below 0x7f800000); too small is non-zero and at most 2^-25
 * (0x33000000), which rounds to an f16 zero.  NaN is neither. */
static void f16_count_scalar(const float *x, int64_t n, int64_t *over, int64_t *under)
{
    int64_t o = 0, u = 0;
    for (int64_t i = 0; i < n; i++) {
        uint32_t b;
        memcpy(&b, x + i, 4);
        b &= 0x7fffffffu;
        o += b - 0x477fe001u < 0x7f800000u - 0x477fe001u;
        u += b - 1u < 0x33000000u;
    }
    *over += o;
    *under += u;
}

#ifdef MO_HAVE_F16C_PATH
__attribute__((target("avx2"))) static void f16_count_avx2(const float *x, int64_t n, int64_t *over,
                                                           int64_t *under)
{
    const __m256i absm = _mm256_set1_epi32(0x7fffffff), max = _mm256_set1_epi32(0x477fe000),
                  inf = _mm256_set1_epi32(0x7f800000), zero = _mm256_setzero_si256(),
                  tiny = _mm256_set1_epi32(0x33000001);
    int64_t i = 0;
    while (i + 8 <= n) {
        /* per-lane counters in 32 bits: flushed every 2^20 blocks */
        __m256i co = zero, cu = zero;
        for (int64_t k = 0; k < (1 << 20) && i + 8 <= n; k++, i += 8) {
            __m256i b = _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(const void *)(x + i)), absm);
            __m256i o = _mm256_and_si256(_mm256_cmpgt_epi32(b, max), _mm256_cmpgt_epi32(inf, b));
            __m256i u = _mm256_and_si256(_mm256_cmpgt_epi32(b, zero), _mm256_cmpgt_epi32(tiny, b));
            co = _mm256_sub_epi32(co, o);
            cu = _mm256_sub_epi32(cu, u);
        }
        uint32_t lo[8], lu[8];
        _mm256_storeu_si256((__m256i *)(void *)lo, co);
        _mm256_storeu_si256((__m256i *)(void *)lu, cu);
        for (int l = 0; l < 8; l++) {
            *over += lo[l];
            *under += lu[l];
        }
    }
    f16_count_scalar(x + i, n - i, over, under);
}
#endif

void mo_f16_range_count(const float *x, int64_t n, int64_t *over, int64_t *under)
{
#ifdef MO_HAVE_F16C_PATH
    if (__builtin_cpu_supports("avx2")) {
        f16_count_avx2(x, n, over, under);
        return;
    }
#endif
    f16_count_scalar(x, n, over, under);
}

/* Elements [first, first + n) of plain src permuted by perm into dst. */
static void gather_transposed(const struct mo_tensor *t, int64_t first, int64_t n, unsigned char *dst)
{
    const struct mo_tensor *src = t->src;
    int r = t->shape.rank;
    size_t esz = mo_etype_bits(t->et) / 8;
    int64_t sstride[MO_MAX_RANK], ostride[MO_MAX_RANK], idx[MO_MAX_RANK];
    int64_t acc = 1;
    for (int d = r - 1; d >= 0; d--) {
        sstride[d] = acc;
        acc *= src->shape.dims[d];
    }
    int64_t off = 0, rem = first;
    for (int i = r - 1; i >= 0; i--) {
        ostride[i] = sstride[t->op->perm[i]];
        idx[i] = rem % t->shape.dims[i];
        rem /= t->shape.dims[i];
        off += idx[i] * ostride[i];
    }
    const unsigned char *s = src->data;
    /* a run along the last output dim at a time, with the element size
     * known to the compiler: a memcpy call per element was a third of a
     * TF ResNet50's conversion (its HWIO filters read as OIHW) */
    int last = r - 1;
    int64_t dl = last >= 0 ? t->shape.dims[last] : 1, sl = last >= 0 ? ostride[last] : 0;
    for (int64_t k = 0; k < n;) {
        int64_t run = last >= 0 ? dl - idx[last] : 1;
        if (run > n - k)
            run = n - k;
        unsigned char *d = dst + (size_t)k * esz;
        const unsigned char *p = s + (size_t)off * esz;
        switch (esz) {
        case 4:
            for (int64_t j = 0; j < run; j++)
                memcpy(d + 4 * j, p + (size_t)(j * sl) * 4, 4);
            break;
        case 2:
            for (int64_t j = 0; j < run; j++)
                memcpy(d + 2 * j, p + (size_t)(j * sl) * 2, 2);
            break;
        case 8:
            for (int64_t j = 0; j < run; j++)
                memcpy(d + 8 * j, p + (size_t)(j * sl) * 8, 8);
            break;
        default:
            for (int64_t j = 0; j < run; j++)
                memcpy(d + esz * (size_t)j, p + (size_t)(j * sl) * esz, esz);
        }
        k += run;
        if (last < 0)
            break;
        /* step the index past the run: the last dim wraps or ends inside */
        off += run * sl;
        idx[last] += run;
        if (idx[last] < dl)
            continue;
        off -= idx[last] * sl;
        idx[last] = 0;
        for (int i = last - 1; i >= 0; i--) {
            off += ostride[i];
            if (++idx[i] < t->shape.dims[i])
                break;
            off -= idx[i] * ostride[i];
            idx[i] = 0;
        }
    }
}

/* --- transposes of large mapped sources ------------------------------------
 *
 * Read in output order, a transpose jumps all over its source: a 1 MiB
 * chunk of an OIHW filter read from HWIO touches every page of it, so a
 * large filter became resident whole (an 85 MB one: 85 MB of RSS).  Such
 * a transpose is computed a window at a time instead: the window is a
 * range of indices of the output's first dim, which is a box of the
 * source (its dim perm[0] cut to that range).  The box is walked in
 * source order, scattering into the window, and the source pages behind
 * the walk are given back as it goes, so what is resident is the window
 * plus a few MiB of source, whatever the weights.  Each source byte is
 * read once per window that needs it, that is once in all. */

#define MO_TRANSPOSE_WINDOW ((size_t)8 << 20)  /* bytes of output per window */
#define MO_TRANSPOSE_DROP ((size_t)4 << 20)    /* source bytes walked between drops */

/* Elements of one index of the output's first dim, or 0 when the windowed
 * path does not apply (a source that is not a large map, or a first dim
 * whose single index is larger than a window). */
static int64_t window_slice(const struct mo_tensor *t)
{
    const struct mo_tensor *src = t->src;
    if (src->src || !src->file || mo_file_fd(src->file) < 0 || src->nbytes <= 2 * MO_TRANSPOSE_WINDOW ||
        t->shape.rank < 2)
        return 0;
    int64_t slice = mo_tensor_numel(t) / t->shape.dims[0];
    size_t esz = mo_etype_bits(t->et) / 8;
    return (size_t)slice * esz <= MO_TRANSPOSE_WINDOW ? slice : 0;
}

/* Fill t's window with the output indices [a, b) of its first dim. */
static enum mo_status fill_window(const struct mo_tensor *t, int64_t slice, int64_t a, int64_t b,
                                  struct mo_error *err)
{
    struct mo_lazy_op *op = t->op;
    const struct mo_tensor *src = t->src;
    int r = t->shape.rank, p = (int)op->perm[0];
    size_t esz = mo_etype_bits(t->et) / 8;
    if (!op->win && !(op->win = malloc(MO_TRANSPOSE_WINDOW)))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    /* source strides, and for each source dim the window stride of the
     * output dim it becomes (the window's first dim has b - a indices) */
    int64_t sdim[MO_MAX_RANK], sstride[MO_MAX_RANK], wstride[MO_MAX_RANK], ostride[MO_MAX_RANK];
    int64_t acc = 1;
    for (int d = r - 1; d >= 0; d--) {
        ostride[d] = acc;
        acc *= d ? t->shape.dims[d] : b - a;
    }
    acc = 1;
    for (int d = r - 1; d >= 0; d--) {
        sdim[d] = src->shape.dims[d];
        sstride[d] = acc;
        acc *= sdim[d];
    }
    for (int j = 0; j < r; j++)
        wstride[op->perm[j]] = ostride[j];
    sdim[p] = b - a; /* the box */
    const unsigned char *base = (const unsigned char *)src->data + (size_t)(a * sstride[p]) * esz;
    int64_t idx[MO_MAX_RANK] = {0}, soff = 0, woff = 0, n = (b - a) * slice;
    int last = r - 1;
    int64_t run = sdim[last], ws = wstride[last];
    size_t dropped = (size_t)(a * sstride[p]) * esz, walked = dropped;
    for (int64_t k = 0; k < n; k += run) {
        const unsigned char *s = base + (size_t)soff * esz;
        unsigned char *w = op->win + (size_t)woff * esz;
        switch (esz) {
        case 4:
            for (int64_t j = 0; j < run; j++)
                memcpy(w + (size_t)(j * ws) * 4, s + 4 * j, 4);
            break;
        case 2:
            for (int64_t j = 0; j < run; j++)
                memcpy(w + (size_t)(j * ws) * 2, s + 2 * j, 2);
            break;
        default:
            for (int64_t j = 0; j < run; j++)
                memcpy(w + (size_t)(j * ws) * esz, s + (size_t)j * esz, esz);
        }
        walked = (size_t)(s - (const unsigned char *)src->data) + (size_t)run * esz;
        if (walked - dropped >= MO_TRANSPOSE_DROP) {
            mo_tensor_drop_range(src, (int64_t)(dropped / esz), (int64_t)((walked - dropped) / esz));
            dropped = walked;
        }
        /* next run: step the source index past the last dim */
        for (int d = last - 1; d >= 0; d--) {
            soff += sstride[d];
            woff += wstride[d];
            if (++idx[d] < sdim[d])
                break;
            soff -= idx[d] * sstride[d];
            woff -= idx[d] * wstride[d];
            idx[d] = 0;
        }
    }
    /* the pages at both ends of the walk, which whole-page drops left */
    mo_tensor_drop_pages(src);
    op->win_lo = a * slice;
    op->win_hi = b * slice;
    return MO_OK;
}

/* Elements [first, first + n) of t through its windows: false when the
 * windowed path does not apply or a single element outside the current
 * window is asked for (not worth a walk; the map reads it). */
static bool read_windowed(const struct mo_tensor *t, int64_t first, int64_t n, unsigned char *dst,
                          enum mo_status *rc, struct mo_error *err)
{
    int64_t slice = window_slice(t);
    struct mo_lazy_op *op = t->op;
    bool inside = op->win && first >= op->win_lo && first + n <= op->win_hi;
    if (!slice || (n < 1024 && !inside))
        return false;
    size_t esz = mo_etype_bits(t->et) / 8;
    int64_t per = (int64_t)(MO_TRANSPOSE_WINDOW / esz) / slice, d0 = t->shape.dims[0];
    *rc = MO_OK;
    for (int64_t e = first, end = first + n; e < end;) {
        if (!op->win || e < op->win_lo || e >= op->win_hi) {
            int64_t a = e / slice, b = a + per < d0 ? a + per : d0;
            if ((*rc = fill_window(t, slice, a, b, err)) != MO_OK)
                return true;
        }
        int64_t m = (op->win_hi < end ? op->win_hi : end) - e;
        memcpy(dst + (size_t)(e - first) * esz, op->win + (size_t)(e - op->win_lo) * esz, (size_t)m * esz);
        e += m;
    }
    if (first + n == mo_tensor_numel(t)) {
        /* read to the end (the .bin writer's last chunk): give the window back */
        free(op->win);
        op->win = NULL;
    }
    return true;
}

/* Large ranges of a mapped file are read with pread(): faulting them in
 * through the map and giving the pages back costs more than the kernel's
 * copy, and the map's pages never become resident.  False: read the map. */
static bool pread_source(const struct mo_tensor *src, int64_t first, int64_t n, unsigned char *dst)
{
    size_t esz = mo_etype_bits(src->et) / 8, len = (size_t)n * esz;
    int fd = src->file ? mo_file_fd(src->file) : -1;
    if (fd < 0 || !esz || len < ((size_t)64 << 10))
        return false;
    off_t off = (off_t)((const unsigned char *)src->data - mo_file_data(src->file)) + (off_t)((size_t)first * esz);
    size_t done = 0;
    while (done < len) {
        ssize_t k = pread(fd, dst + done, len - done, off + (off_t)done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false; /* the map still reads it */
        done += (size_t)k;
    }
    return true;
}

enum mo_status mo_tensor_read(const struct mo_tensor *t, int64_t first, int64_t n, void *dst,
                              struct mo_error *err)
{
    int64_t total = mo_tensor_numel(t);
    unsigned bits = mo_etype_bits(t->et);
    if (first < 0 || n < 0 || first > total || n > total - first ||
        (bits < 8 && ((first * bits) % 8 || ((n * bits) % 8 && first + n != total))))
        return mo_error_set(err, MO_ERR_INTERNAL, 0, "bad range [%lld, +%lld) of a %lld-element constant",
                            (long long)first, (long long)n, (long long)total);
    if (!n)
        return MO_OK;
    if (!t->src) {
        size_t lo = (size_t)first * bits / 8, hi = ((size_t)(first + n) * bits + 7) / 8;
        memcpy(dst, (const unsigned char *)t->data + lo, hi - lo);
        return MO_OK;
    }
    enum mo_status rc = MO_OK;
    switch (t->op->kind) {
    case MO_LAZY_VIEW:
        return mo_tensor_read(t->src, first, n, dst, err);
    case MO_LAZY_SCALE:
        if (!t->src->src && pread_source(t->src, first, n, dst)) {
            apply_scale(t->op, t->et, first, n, dst, dst);
            return MO_OK;
        }
        if (!t->src->src) {
            /* straight from the source bytes, no copy first, where they are
             * aligned (a .pdiparams packs tensors at any byte offset) */
            size_t esz = mo_etype_bits(t->et) / 8;
            const unsigned char *in = (const unsigned char *)t->src->data + (size_t)first * esz;
            if ((uintptr_t)in % esz) {
                memcpy(dst, in, (size_t)n * esz);
                in = dst;
            }
            apply_scale(t->op, t->et, first, n, in, dst);
            return MO_OK;
        }
        rc = mo_tensor_read(t->src, first, n, dst, err);
        if (rc == MO_OK)
            apply_scale(t->op, t->et, first, n, dst, dst);
        return rc;
    case MO_LAZY_F16: {
        float buf[4096];
        for (int64_t k = 0; k < n && rc == MO_OK; k += 4096) {
            int64_t m = n - k < 4096 ? n - k : 4096;
            rc = mo_tensor_read(t->src, first + k, m, buf, err);
            if (rc == MO_OK)
                mo_f32_to_f16_n(buf, (uint16_t *)dst + k, m);
        }
        return rc;
    }
    case MO_LAZY_TRANSPOSE:
        if (read_windowed(t, first, n, dst, &rc, err))
            return rc;
        gather_transposed(t, first, n, dst);
        return MO_OK;
    case MO_LAZY_STACK: {
        int64_t per = mo_tensor_numel(t->op->parts[0]);
        size_t esz = mo_etype_bits(t->et) / 8;
        for (int64_t e = first, end = first + n; e < end && rc == MO_OK;) {
            int64_t k = e / per, lo = e - k * per, m = per - lo < end - e ? per - lo : end - e;
            rc = mo_tensor_read(t->op->parts[k], lo, m, (unsigned char *)dst + (size_t)(e - first) * esz, err);
            e += m;
        }
        return rc;
    }
    }
    return mo_error_set(err, MO_ERR_INTERNAL, 0, "unknown lazy transform");
}

double mo_lazy_get_f64(const struct mo_tensor *t, int64_t i)
{
    union {
        double d;
        unsigned char b[8];
    } u = {0};
    if (mo_tensor_read(t, i, 1, u.b, NULL) != MO_OK)
        return 0;
    return mo_decode_f64(t->et, u.b, 0);
}

enum mo_status mo_tensor_materialize(struct mo_tensor **tp, struct mo_error *err)
{
    struct mo_tensor *t = *tp;
    if (!t->src)
        return MO_OK;
    struct mo_tensor *r = mo_tensor_new(t->et, &t->shape, err);
    if (!r)
        return err ? err->code : MO_ERR_NOMEM;
    enum mo_status rc = mo_tensor_read(t, 0, mo_tensor_numel(t), r->owned, err);
    if (rc != MO_OK) {
        mo_tensor_unref(r);
        return rc;
    }
    mo_tensor_drop_pages(t);
    mo_tensor_unref(t);
    *tp = r;
    return MO_OK;
}

bool mo_tensor_same_source(const struct mo_tensor *a, const struct mo_tensor *b)
{
    if (a == b)
        return true;
    if (a->et != b->et || a->nbytes != b->nbytes || !!a->src != !!b->src)
        return false;
    if (!a->src)
        return a->file && a->file == b->file && a->data == b->data;
    const struct mo_lazy_op *x = a->op, *y = b->op;
    if (x->kind != y->kind || !mo_shape_equal(&a->shape, &b->shape))
        return false;
    if (x->kind == MO_LAZY_SCALE) {
        size_t nch = (size_t)(x->map.n * x->map.groups);
        if (memcmp(&x->map, &y->map, sizeof x->map) || !!x->shift != !!y->shift ||
            memcmp(x->scale, y->scale, nch * sizeof *x->scale) ||
            (x->shift && memcmp(x->shift, y->shift, nch * sizeof *x->shift)))
            return false;
    }
    if (x->kind == MO_LAZY_TRANSPOSE && memcmp(x->perm, y->perm, (size_t)a->shape.rank * sizeof *x->perm))
        return false;
    if (x->kind == MO_LAZY_STACK) {
        if (x->n_parts != y->n_parts)
            return false;
        for (unsigned i = 0; i < x->n_parts; i++)
            if (!mo_tensor_same_source(x->parts[i], y->parts[i]))
                return false;
        return true;
    }
    return mo_tensor_same_source(a->src, b->src);
}
