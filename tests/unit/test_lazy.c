/* test_lazy.c - lazy tensors and the streaming .bin writer: every transform
 * against values computed here from multi-indices (not through the
 * channel-map formula under test), ranges read at odd offsets equal to the
 * whole, the vectorized f16 path equal to the scalar conversion bit for
 * bit, and the writer's bytes, copies and sharing. */
#include <config.h>

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include <mo/tensor.h>

#include "ir/bin_writer.h"
#include "run_suite.h"
#include "tensor_private.h"

static struct mo_error err;

static float val(int64_t i) { return (float)sin((double)i * 0.37 + 0.1) * 3.0f; }

/* An owned f32 tensor of shape s holding val(i). */
static struct mo_tensor *ramp(struct mo_shape s)
{
    struct mo_tensor *t = mo_tensor_new(MO_ET_F32, &s, &err);
    ck_assert_ptr_nonnull(t);
    float *p = t->owned;
    for (int64_t i = 0; i < mo_tensor_numel(t); i++)
        p[i] = val(i);
    return t;
}

static float *read_all(const struct mo_tensor *t)
{
    float *p = malloc((size_t)mo_tensor_numel(t) * 4 + 4);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(mo_tensor_read(t, 0, mo_tensor_numel(t), p, &err), MO_OK);
    return p;
}

/* --- per-channel scale ---------------------------------------------------- */

START_TEST(scale_conv_output_channels)
{
    /* [O=4, I=3, 2, 2]: output channel = first index */
    struct mo_tensor *w = ramp(mo_shape_of(4, 3, 2, 2));
    double v[4] = {0.5, -2.0, 3.25, 1e-3};
    struct mo_chan_map m = {12, 4, 1, 1};
    struct mo_tensor *s = mo_tensor_scaled(w, &m, v, NULL, &err);
    ck_assert_ptr_nonnull(s);
    ck_assert(mo_tensor_is_lazy(s));
    ck_assert_ptr_null(s->data);
    ck_assert_int_eq(s->et, MO_ET_F32);
    ck_assert_uint_eq(s->nbytes, w->nbytes);
    float *got = read_all(s);
    for (int o = 0, e = 0; o < 4; o++)
        for (int r = 0; r < 12; r++, e++) {
            float want = (float)((double)val(e) * v[o]);
            ck_assert_msg(got[e] == want, "element %d: %g != %g", e, got[e], want);
            ck_assert(mo_tensor_get_f64(s, e) == want);
        }
    free(got);
    /* the source is unchanged */
    ck_assert(((float *)w->owned)[13] == val(13));
    mo_tensor_unref(s);
    mo_tensor_unref(w);
}
END_TEST

START_TEST(scale_grouped_input_channels)
{
    /* GroupConvolution weights [G=2, O=3, I=2, k=2]: input channel g*I + i */
    struct mo_tensor *w = ramp(mo_shape_of(2, 3, 2, 2));
    double v[4] = {2, 3, 5, 7};
    struct mo_chan_map m = {2, 2, 12, 2};
    struct mo_tensor *s = mo_tensor_scaled(w, &m, v, NULL, &err);
    ck_assert_ptr_nonnull(s);
    float *got = read_all(s);
    int e = 0;
    for (int g = 0; g < 2; g++)
        for (int o = 0; o < 3; o++)
            for (int i = 0; i < 2; i++)
                for (int k = 0; k < 2; k++, e++)
                    ck_assert(got[e] == (float)((double)val(e) * v[g * 2 + i]));
    free(got);
    /* outer not a multiple of inner: refused, not silently wrong */
    struct mo_chan_map bad = {5, 2, 12, 2};
    ck_assert_ptr_null(mo_tensor_scaled(w, &bad, v, NULL, &err));
    mo_tensor_unref(s);
    mo_tensor_unref(w);
}
END_TEST

START_TEST(scale_shift_and_negative_zero)
{
    struct mo_shape sh = mo_shape_of(2, 3);
    struct mo_tensor *w = mo_tensor_new(MO_ET_F32, &sh, &err);
    float *p = w->owned;
    for (int i = 0; i < 6; i++)
        p[i] = i == 4 ? -0.0f : (float)i - 2.5f;
    /* MatMul [I=2, O=3] without transpose_b: output channel = last index */
    double sc[3] = {1.5, 2, -1}, sf[3] = {0.25, -1, 10};
    struct mo_chan_map m = {1, 3, 1, 1};
    struct mo_tensor *a = mo_tensor_scaled(w, &m, sc, NULL, &err);
    struct mo_tensor *b = mo_tensor_scaled(w, &m, sc, sf, &err);
    float *ga = read_all(a), *gb = read_all(b);
    for (int i = 0; i < 6; i++) {
        ck_assert(ga[i] == (float)((double)p[i] * sc[i % 3]));
        ck_assert(gb[i] == (float)((double)p[i] * sc[i % 3] + sf[i % 3]));
    }
    /* -0.0 * 2 stays -0.0 without a shift (x*s + 0.0 would give +0.0) */
    ck_assert(signbit(ga[4]));
    free(ga);
    free(gb);
    mo_tensor_unref(a);
    mo_tensor_unref(b);
    mo_tensor_unref(w);
}
END_TEST

START_TEST(scale_refuses_integers)
{
    struct mo_shape sh = mo_shape_of(4);
    struct mo_tensor *t = mo_tensor_new(MO_ET_I32, &sh, &err);
    double v = 2;
    struct mo_chan_map m = {4, 1, 1, 1};
    ck_assert_ptr_null(mo_tensor_scaled(t, &m, &v, NULL, &err));
    ck_assert_ptr_null(mo_tensor_to_f16(t, &err));
    mo_tensor_unref(t);
}
END_TEST

/* --- f16 ------------------------------------------------------------------ */

static uint32_t rng = 12345;
static uint32_t next_u32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

START_TEST(f16_vector_path_matches_scalar)
{
    /* random bit patterns, every f16-subnormal-range magnitude step and the
     * specials, converted by the lazy tensor's path (vectorized where the
     * CPU has F16C) and one at a time by mo_f32_to_f16 */
    enum { N = 1 << 20 };
    struct mo_shape sh = mo_shape_of(N);
    struct mo_tensor *t = mo_tensor_new(MO_ET_F32, &sh, &err);
    uint32_t *x = t->owned;
    for (int i = 0; i < N; i++)
        x[i] = next_u32();
    static const uint32_t specials[] = {0, 0x80000000u, 0x7f800000u, 0xff800000u, 0x7fc00000u,
                                        0x7f800001u, 0xffc00123u, 0x33000000u, 0x33000001u,
                                        0x477fe000u, 0x477ff000u, 0x477fefffu, 0x38800000u,
                                        0x387fffffu, 0x00000001u};
    for (size_t i = 0; i < sizeof specials / sizeof *specials; i++)
        x[i * 7 + 3] = specials[i];
    for (int i = 0; i < 4096; i++) /* 2^-26 .. 2^-13, small steps */
        x[200000 + i] = 0x32800000u + (uint32_t)i * 0x2000u;
    struct mo_tensor *h = mo_tensor_to_f16(t, &err);
    ck_assert_ptr_nonnull(h);
    ck_assert_int_eq(h->et, MO_ET_F16);
    ck_assert_uint_eq(h->nbytes, (size_t)N * 2);
    uint16_t *got = malloc((size_t)N * 2);
    ck_assert_int_eq(mo_tensor_read(h, 0, N, got, &err), MO_OK);
    int bad = 0, first = -1;
    for (int i = 0; i < N; i++) {
        float f;
        memcpy(&f, &x[i], 4);
        if (got[i] != mo_f32_to_f16(f) && !bad++)
            first = i;
    }
    ck_assert_msg(!bad, "%d differ, first 0x%08x -> 0x%04x", bad, first >= 0 ? x[first] : 0,
                  first >= 0 ? got[first] : 0);
    free(got);
    mo_tensor_unref(h);
    mo_tensor_unref(t);
}
END_TEST

START_TEST(f16_range_count_matches_definition)
{
    /* the bit-level (and vectorized) count against the plain definition:
     * finite |x| > 65504 overflows, non-zero |x| <= 2^-25 becomes 0 */
    enum { N = 1 << 18 };
    float *x = malloc(N * sizeof *x);
    for (int i = 0; i < N; i++) {
        uint32_t b = next_u32();
        if (i % 3 == 0) /* many near the two limits */
            b = (i % 2 ? 0x477fe000u : 0x33000000u) + (next_u32() % 64) - 32;
        memcpy(&x[i], &b, 4);
    }
    static const float specials[] = {65504.0f, 65505.0f, -65520.0f, INFINITY, -INFINITY, NAN, 0.0f,
                                     -0.0f, 0x1p-25f, -0x1p-25f, 0x1.000002p-25f, 1e-30f, -1e-45f};
    for (size_t i = 0; i < sizeof specials / sizeof *specials; i++)
        x[i * 11 + 5] = specials[i];
    int64_t o = 0, u = 0, wo = 0, wu = 0;
    mo_f16_range_count(x, N, &o, &u);
    for (int i = 0; i < N; i++) {
        float a = fabsf(x[i]);
        wo += isfinite(a) && a > 65504.0f;
        wu += a != 0 && a <= 0x1p-25f;
        /* and 'becomes 0' is what the conversion does */
        if (a != 0 && a <= 0x1p-25f)
            ck_assert_uint_eq(mo_f32_to_f16(x[i]) & 0x7fff, 0);
        else if (a != 0 && !isnan(a))
            ck_assert_uint_ne(mo_f32_to_f16(x[i]) & 0x7fff, 0);
    }
    ck_assert_int_gt(wo, 1000);
    ck_assert_int_gt(wu, 1000);
    ck_assert_int_eq(o, wo);
    ck_assert_int_eq(u, wu);
    free(x);
}
END_TEST

/* --- chains, ranges, transposes -------------------------------------------- */

START_TEST(chain_ranges_equal_whole)
{
    /* scale, scale again, reshape, f16: any range reads as that slice of
     * the whole, across chunk and run boundaries */
    struct mo_tensor *w = ramp(mo_shape_of(7, 5, 3, 3));
    double v1[7], v2[5];
    for (int i = 0; i < 7; i++)
        v1[i] = 0.5 + i;
    for (int i = 0; i < 5; i++)
        v2[i] = -1.0 / (i + 1);
    struct mo_chan_map m1 = {45, 7, 1, 1}, m2 = {9, 5, 1, 1};
    struct mo_tensor *a = mo_tensor_scaled(w, &m1, v1, NULL, &err);
    struct mo_tensor *b = mo_tensor_scaled(a, &m2, v2, NULL, &err);
    struct mo_shape flat = mo_shape_of(315);
    struct mo_tensor *c = mo_tensor_reshaped(b, &flat, &err);
    ck_assert_ptr_nonnull(c);
    ck_assert(mo_tensor_is_lazy(c));
    struct mo_tensor *h = mo_tensor_to_f16(c, &err);
    uint16_t whole[315], part[315];
    ck_assert_int_eq(mo_tensor_read(h, 0, 315, whole, &err), MO_OK);
    for (int e = 0; e < 315; e++) {
        float step = (float)((double)val(e) * v1[e / 45]);
        float want = (float)((double)step * v2[(e / 9) % 5]);
        ck_assert_uint_eq(whole[e], mo_f32_to_f16(want));
    }
    for (int first = 0; first < 315; first += 37)
        for (int n = 1; first + n <= 315; n += 53) {
            ck_assert_int_eq(mo_tensor_read(h, first, n, part, &err), MO_OK);
            ck_assert(!memcmp(part, whole + first, (size_t)n * 2));
        }
    /* out of range is an error, not a read past the end */
    ck_assert_int_ne(mo_tensor_read(h, 300, 16, part, &err), MO_OK);
    ck_assert_int_ne(mo_tensor_read(h, -1, 1, part, &err), MO_OK);
    /* the chain keeps its sources alive: drop every other reference */
    mo_tensor_unref(w);
    mo_tensor_unref(a);
    mo_tensor_unref(b);
    mo_tensor_unref(c);
    ck_assert_int_eq(mo_tensor_read(h, 0, 315, part, &err), MO_OK);
    ck_assert(!memcmp(part, whole, sizeof whole));
    mo_tensor_unref(h);
}
END_TEST

START_TEST(transpose_values)
{
    struct mo_tensor *w = ramp(mo_shape_of(2, 3, 4));
    int64_t perm[3] = {2, 0, 1};
    struct mo_tensor *t = mo_tensor_transposed(w, perm, &err);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(t->shape.dims[0], 4);
    ck_assert_int_eq(t->shape.dims[1], 2);
    ck_assert_int_eq(t->shape.dims[2], 3);
    float *got = read_all(t);
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                ck_assert(got[(k * 2 + i) * 3 + j] == val((i * 3 + j) * 4 + k));
    float part[5];
    ck_assert_int_eq(mo_tensor_read(t, 7, 5, part, &err), MO_OK);
    ck_assert(!memcmp(part, got + 7, sizeof part));
    free(got);
    int64_t bad[3] = {0, 0, 1};
    ck_assert_ptr_null(mo_tensor_transposed(w, bad, &err));
    /* a small lazy source is materialized first; the values still agree */
    double v[2] = {2, -3};
    struct mo_chan_map m = {12, 2, 1, 1};
    struct mo_tensor *s = mo_tensor_scaled(w, &m, v, NULL, &err);
    struct mo_tensor *st = mo_tensor_transposed(s, perm, &err);
    ck_assert_ptr_nonnull(st);
    ck_assert(mo_tensor_get_f64(st, 5) == (float)((double)val(((5 / 3 % 2) * 3 + 5 % 3) * 4 + 5 / 6) *
                                                  v[5 / 3 % 2]));
    mo_tensor_unref(st);
    mo_tensor_unref(s);
    mo_tensor_unref(t);
    mo_tensor_unref(w);
}
END_TEST

START_TEST(stack_parts)
{
    /* three [2, 5] parts, one of them lazy, as grouped weights [3, 2, 5] */
    struct mo_tensor *a = ramp(mo_shape_of(2, 5)), *b = ramp(mo_shape_of(2, 5));
    double v[2] = {10, -1};
    struct mo_chan_map m = {5, 2, 1, 1};
    struct mo_tensor *bs = mo_tensor_scaled(b, &m, v, NULL, &err);
    struct mo_tensor *parts[3] = {a, bs, a};
    struct mo_tensor *st = mo_tensor_stacked(parts, 3, &err);
    ck_assert_ptr_nonnull(st);
    ck_assert(mo_tensor_is_lazy(st));
    ck_assert_int_eq(st->shape.rank, 3);
    ck_assert_int_eq(st->shape.dims[0], 3);
    ck_assert_uint_eq(st->nbytes, 3 * a->nbytes);
    float *got = read_all(st);
    for (int e = 0; e < 30; e++) {
        int k = e / 10, i = e % 10;
        float want = k == 1 ? (float)((double)val(i) * v[i / 5]) : val(i);
        ck_assert_msg(got[e] == want, "element %d", e);
    }
    /* a range across part boundaries */
    float part[13];
    ck_assert_int_eq(mo_tensor_read(st, 7, 13, part, &err), MO_OK);
    ck_assert(!memcmp(part, got + 7, sizeof part));
    free(got);
    struct mo_tensor *odd = ramp(mo_shape_of(5, 2));
    struct mo_tensor *bad[2] = {a, odd};
    ck_assert_ptr_null(mo_tensor_stacked(bad, 2, &err));
    mo_tensor_unref(odd);
    mo_tensor_unref(a);
    mo_tensor_unref(b);
    mo_tensor_unref(bs);
    /* the stack keeps its parts */
    ck_assert(mo_tensor_get_f64(st, 25) == val(5));
    mo_tensor_unref(st);
}
END_TEST

START_TEST(materialize_and_mutable)
{
    struct mo_tensor *w = ramp(mo_shape_of(3, 4));
    double v[3] = {1, 2, 4};
    struct mo_chan_map m = {4, 3, 1, 1};
    struct mo_tensor *s = mo_tensor_scaled(w, &m, v, NULL, &err);
    struct mo_tensor *keep = mo_tensor_ref(s);
    ck_assert_int_eq(mo_tensor_materialize(&s, &err), MO_OK);
    ck_assert(!mo_tensor_is_lazy(s));
    ck_assert_ptr_nonnull(s->owned);
    for (int e = 0; e < 12; e++)
        ck_assert(((float *)s->owned)[e] == (float)mo_tensor_get_f64(keep, e));
    mo_tensor_unref(s);
    /* mutable on a lazy tensor gives a private plain copy */
    float *p = mo_tensor_mutable(&keep, &err);
    ck_assert_ptr_nonnull(p);
    ck_assert(!mo_tensor_is_lazy(keep));
    ck_assert(p[5] == (float)((double)val(5) * 2));
    ck_assert_int_eq(mo_tensor_get_i64(keep, 11), (int64_t)((float)((double)val(11) * 4)));
    mo_tensor_unref(keep);
    mo_tensor_unref(w);
}
END_TEST

START_TEST(same_source_rules)
{
    struct mo_tensor *w = ramp(mo_shape_of(2, 8));
    struct mo_shape sh = mo_shape_of(2, 8);
    struct mo_tensor *w2 = mo_tensor_from_data(MO_ET_F32, &sh, w->owned, w->nbytes, &err);
    double v[2] = {3, 4}, u[2] = {3, 5};
    struct mo_chan_map m = {8, 2, 1, 1};
    struct mo_tensor *a = mo_tensor_scaled(w, &m, v, NULL, &err);
    struct mo_tensor *b = mo_tensor_scaled(w, &m, v, NULL, &err);
    struct mo_tensor *c = mo_tensor_scaled(w, &m, u, NULL, &err);
    struct mo_tensor *d = mo_tensor_scaled(w2, &m, v, NULL, &err);
    ck_assert(mo_tensor_same_source(a, b));
    ck_assert(!mo_tensor_same_source(a, c));
    /* equal values from another owned block: not known without reading */
    ck_assert(!mo_tensor_same_source(a, d));
    ck_assert(!mo_tensor_same_source(w, w2));
    mo_tensor_unref(a);
    mo_tensor_unref(b);
    mo_tensor_unref(c);
    mo_tensor_unref(d);
    mo_tensor_unref(w);
    mo_tensor_unref(w2);
}
END_TEST

/* --- the .bin writer ---------------------------------------------------- */

static char dir[256];

static int open_out(const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    return fd;
}

/* A file of n floats val(i + base) under dir, mapped. */
static struct mo_file *weights_file(const char *name, int64_t n, int64_t base)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    for (int64_t i = 0; i < n; i++) {
        float x = val(i + base);
        fwrite(&x, 4, 1, f);
    }
    fclose(f);
    struct mo_file *m = mo_file_map(p, &err);
    ck_assert_msg(m != NULL, "%s", err.msg);
    return m;
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/mo-lazy-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Transposes of sources over 16 MiB are computed a window of the output's
 * first dim at a time, walking the source in its own order: every element
 * equal to the multi-index formula, whether read in the writer's 1 MiB
 * chunks, across windows, or one element outside the current window. */
static void check_windowed(const char *name, struct mo_shape s, const int64_t *perm)
{
    int r = s.rank;
    int64_t n = mo_shape_numel(&s);
    struct mo_file *f = weights_file(name, n, 0);
    struct mo_tensor *src = mo_tensor_borrow(f, 0, MO_ET_F32, &s, &err);
    ck_assert_ptr_nonnull(src);
    struct mo_tensor *t = mo_tensor_transposed(src, perm, &err);
    ck_assert_ptr_nonnull(t);
    int64_t sstride[MO_MAX_RANK], acc = 1;
    for (int d = r - 1; d >= 0; d--) {
        sstride[d] = acc;
        acc *= s.dims[d];
    }
    enum { CH = 1 << 18 };
    float *buf = malloc(CH * sizeof *buf);
    ck_assert_ptr_nonnull(buf);
    /* the writer's order, then ranges that straddle windows, then singles */
    int64_t starts[] = {0, n / 3 - 700, n / 2 + 13, n - 2000, 5, n - 1, n / 2};
    int64_t lens[] = {CH, CH, 4096, 2000, 1, 1, 1};
    for (int pass = 0; pass < 2; pass++) {
        int64_t nr = pass ? (int64_t)(sizeof starts / sizeof *starts) : (n + CH - 1) / CH;
        for (int64_t q = 0; q < nr; q++) {
            int64_t first = pass ? starts[q] : q * CH, len = pass ? lens[q] : (n - first < CH ? n - first : CH);
            ck_assert_int_eq(mo_tensor_read(t, first, len, buf, &err), MO_OK);
            for (int64_t e = first; e < first + len; e++) {
                int64_t rem = e, so = 0;
                for (int i = r - 1; i >= 0; i--) {
                    so += rem % t->shape.dims[i] * sstride[perm[i]];
                    rem /= t->shape.dims[i];
                }
                if (buf[e - first] != val(so))
                    ck_abort_msg("%s: element %lld is %g, not %g", name, (long long)e, buf[e - first], val(so));
            }
        }
    }
    free(buf);
    mo_tensor_unref(t);
    mo_tensor_unref(src);
    mo_file_unref(f);
}

START_TEST(transpose_large_windows)
{
    int64_t hwio_to_oihw[4] = {3, 2, 0, 1}, keep_first[3] = {0, 2, 1}, swap[2] = {1, 0};
    check_windowed("hwio.bin", mo_shape_of(3, 3, 160, 3000), hwio_to_oihw);
    check_windowed("rows.bin", mo_shape_of(5000, 30, 30), keep_first);
    check_windowed("square.bin", mo_shape_of(2100, 2100), swap);
}
END_TEST

START_TEST(writer_streams_and_shares)
{
    /* 3 MiB of weights (more than one chunk) in two files of equal bytes */
    enum { N = 3 << 18 };
    struct mo_file *f1 = weights_file("a.params", N + 16, 0);
    struct mo_file *f2 = weights_file("b.params", N + 16, 0);
    struct mo_shape sh = mo_shape_of(N / 64, 64), small = mo_shape_of(16);
    struct mo_tensor *b1 = mo_tensor_borrow(f1, 64, MO_ET_F32, &sh, &err);
    struct mo_tensor *b2 = mo_tensor_borrow(f2, 64, MO_ET_F32, &sh, &err);
    struct mo_tensor *other = mo_tensor_borrow(f1, 0, MO_ET_F32, &sh, &err); /* same size, other bytes */
    struct mo_tensor *tail = mo_tensor_borrow(f1, 0, MO_ET_F32, &small, &err);
    double *v = malloc((N / 64) * sizeof *v);
    for (int i = 0; i < N / 64; i++)
        v[i] = 1.0 + i * 0.01;
    struct mo_chan_map m = {64, N / 64, 1, 1};
    struct mo_tensor *s1 = mo_tensor_scaled(b1, &m, v, NULL, &err);
    struct mo_tensor *s2 = mo_tensor_scaled(b2, &m, v, NULL, &err); /* equal values, other file */
    struct mo_tensor *h1 = mo_tensor_to_f16(s1, &err);
    int fd = open_out("w.bin");
    struct mo_bin_writer *w = mo_bin_writer_new(fd);
    size_t off[7];
    struct mo_tensor *put[7] = {b1, s1, b2, other, s2, h1, tail};
    for (int i = 0; i < 7; i++)
        ck_assert_msg(mo_bin_put(w, put[i], &off[i], &err) == MO_OK, "%s", err.msg);
    size_t total = mo_bin_size(w);
    ck_assert_uint_eq(off[0], 0);
    ck_assert_uint_eq(off[1], (size_t)N * 4);
    ck_assert_uint_eq(off[2], off[0]);        /* same bytes, other file: shared */
    ck_assert_uint_eq(off[3], (size_t)N * 8); /* same size, other bytes: stored */
    ck_assert_uint_eq(off[4], off[1]);        /* same computed values: shared */
    ck_assert_uint_eq(off[5], (size_t)N * 12);
    ck_assert_uint_eq(off[6], (size_t)N * 14);
    ck_assert_uint_eq(total, (size_t)N * 14 + 64);
    ck_assert_uint_eq(mo_bin_saved(w), (size_t)N * 8);
    mo_bin_writer_free(w);
    /* the writer held its own references; the bytes read back right */
    struct stat st;
    ck_assert_int_eq(fstat(fd, &st), 0);
    ck_assert_int_eq(st.st_size, (off_t)total);
    unsigned char *back = malloc(total);
    ck_assert_int_eq(pread(fd, back, total, 0), (ssize_t)total);
    close(fd);
    ck_assert(!memcmp(back, b1->data, (size_t)N * 4));
    for (int64_t e = 0; e < N; e += 997) {
        float x;
        memcpy(&x, back + off[1] + e * 4, 4);
        ck_assert(x == (float)((double)val(e + 16) * v[e / 64]));
        uint16_t hx;
        memcpy(&hx, back + off[5] + e * 2, 2);
        ck_assert_uint_eq(hx, mo_f32_to_f16(x));
    }
    ck_assert(!memcmp(back + off[6], tail->data, 64));
    free(back);
    free(v);
    for (int i = 0; i < 7; i++)
        mo_tensor_unref(put[i]);
    mo_file_unref(f1);
    mo_file_unref(f2);
}
END_TEST

START_TEST(scale_misaligned_source)
{
    /* a .pdiparams packs tensors at any byte offset: a borrowed f32 range
     * at an odd address scales right (and UBSan sees no misaligned load) */
    unsigned char raw[4 * 40 + 3];
    for (int i = 0; i < 40; i++) {
        float x = val(i);
        memcpy(raw + 3 + 4 * i, &x, 4);
    }
    char p[512];
    snprintf(p, sizeof p, "%s/odd.bin", dir);
    FILE *f = fopen(p, "wb");
    fwrite(raw, 1, sizeof raw, f);
    fclose(f);
    struct mo_file *m = mo_file_map(p, &err);
    struct mo_shape sh = mo_shape_of(2, 20);
    struct mo_tensor *b = mo_tensor_borrow(m, 3, MO_ET_F32, &sh, &err);
    double v[2] = {2, -0.5};
    struct mo_chan_map cm = {20, 2, 1, 1};
    struct mo_tensor *s = mo_tensor_scaled(b, &cm, v, NULL, &err);
    float *got = read_all(s);
    for (int i = 0; i < 40; i++)
        ck_assert(got[i] == (float)((double)val(i) * v[i / 20]));
    free(got);
    mo_tensor_unref(s);
    mo_tensor_unref(b);
    mo_file_unref(m);
}
END_TEST

START_TEST(writer_copies_heap_borrowed)
{
    /* bytes borrowed from an in-memory file have no descriptor to copy
     * from: written from memory, in chunks, the same bytes */
    enum { N = (3 << 18) + 5 };
    float *data = malloc(N * sizeof *data);
    for (int i = 0; i < N; i++)
        data[i] = val(i);
    struct mo_file *m = mo_file_from_heap(data, N * sizeof *data, "heap");
    struct mo_shape sh = mo_shape_of(N - 1);
    struct mo_tensor *b = mo_tensor_borrow(m, 4, MO_ET_F32, &sh, &err);
    int fd = open_out("h.bin");
    struct mo_bin_writer *w = mo_bin_writer_new(fd);
    size_t off;
    ck_assert_int_eq(mo_bin_put(w, b, &off, &err), MO_OK);
    ck_assert_uint_eq(mo_bin_size(w), (size_t)(N - 1) * 4);
    mo_bin_writer_free(w);
    unsigned char *back = malloc((size_t)N * 4);
    ck_assert_int_eq(pread(fd, back, (size_t)N * 4, 0), (ssize_t)(N - 1) * 4);
    ck_assert(!memcmp(back, data + 1, (size_t)(N - 1) * 4));
    close(fd);
    free(back);
    mo_tensor_unref(b);
    mo_file_unref(m);
}
END_TEST

START_TEST(writer_reports_write_errors)
{
    struct mo_tensor *t = ramp(mo_shape_of(16));
    int fd = open("/dev/full", O_WRONLY);
    if (fd < 0)
        return; /* no /dev/full here */
    struct mo_bin_writer *w = mo_bin_writer_new(fd);
    size_t off;
    struct mo_error e = {0};
    ck_assert_int_eq(mo_bin_put(w, t, &off, &e), MO_ERR_IO);
    ck_assert_msg(strstr(e.msg, "No space left"), "%s", e.msg);
    mo_bin_writer_free(w);
    close(fd);
    mo_tensor_unref(t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lazy");
    TCase *tc = tcase_create("lazy");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, scale_conv_output_channels);
    tcase_add_test(tc, scale_grouped_input_channels);
    tcase_add_test(tc, scale_shift_and_negative_zero);
    tcase_add_test(tc, scale_refuses_integers);
    tcase_add_test(tc, f16_vector_path_matches_scalar);
    tcase_add_test(tc, f16_range_count_matches_definition);
    tcase_add_test(tc, chain_ranges_equal_whole);
    tcase_add_test(tc, transpose_values);
    tcase_add_test(tc, stack_parts);
    tcase_add_test(tc, materialize_and_mutable);
    tcase_add_test(tc, same_source_rules);
    suite_add_tcase(s, tc);
    TCase *wc = tcase_create("bin_writer");
    tcase_add_checked_fixture(wc, setup, teardown);
    tcase_set_timeout(wc, 60);
    tcase_add_test(wc, writer_streams_and_shares);
    tcase_add_test(wc, transpose_large_windows);
    tcase_add_test(wc, scale_misaligned_source);
    tcase_add_test(wc, writer_copies_heap_borrowed);
    tcase_add_test(wc, writer_reports_write_errors);
    suite_add_tcase(s, wc);
    return run_suite(s);
}
