/* test_tensor.c - mapped files, borrowed and owned tensors, reference
 * counts, copy on write, element access, and the f16/bf16 conversions
 * checked against IEEE 754 bit patterns worked out by hand. */
#include <config.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include <mo/tensor.h>
#include "run_suite.h"

static char tmp_path[256];

/* A temporary file holding n bytes of data; its path is in tmp_path. */
static void make_file(const void *data, size_t n)
{
    snprintf(tmp_path, sizeof tmp_path, "%s/mo-tensor-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemp(tmp_path);
    ck_assert_int_ge(fd, 0);
    if (n)
        ck_assert_int_eq(write(fd, data, n), (ssize_t)n);
    close(fd);
}

static float f32_of(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static uint32_t bits_of(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    return x;
}

/* --- mapped files ------------------------------------------------------- */

START_TEST(file_map_reads_bytes)
{
    const unsigned char bytes[] = {1, 2, 3, 4, 5, 6, 7, 8};
    make_file(bytes, sizeof bytes);
    struct mo_error err = {0};
    struct mo_file *f = mo_file_map(tmp_path, &err);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(mo_file_size(f), 8);
    ck_assert_mem_eq(mo_file_data(f), bytes, 8);
    ck_assert_str_eq(mo_file_path(f), tmp_path);
    unlink(tmp_path);
    /* the map stays valid after the name is gone */
    ck_assert_int_eq(mo_file_data(f)[7], 8);
    mo_file_unref(f);
}
END_TEST

START_TEST(file_map_empty)
{
    make_file(NULL, 0);
    struct mo_error err = {0};
    struct mo_file *f = mo_file_map(tmp_path, &err);
    unlink(tmp_path);
    ck_assert_msg(f != NULL, "an empty file must map: %s", err.msg);
    ck_assert_uint_eq(mo_file_size(f), 0);
    /* a zero-element tensor may borrow from it */
    struct mo_shape s = mo_shape_of(0);
    struct mo_tensor *t = mo_tensor_borrow(f, 0, MO_ET_F32, &s, &err);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(t->nbytes, 0);
    ck_assert_ptr_nonnull(t->data);
    /* but not one byte more */
    struct mo_shape one = mo_shape_of(1);
    ck_assert_ptr_null(mo_tensor_borrow(f, 0, MO_ET_U8, &one, &err));
    ck_assert_int_eq(err.code, MO_ERR_FORMAT);
    mo_tensor_unref(t);
    mo_file_unref(f);
}
END_TEST

START_TEST(file_map_missing)
{
    struct mo_error err = {0};
    const char *path = "/nonexistent-dir-mo/model.params";
    ck_assert_ptr_null(mo_file_map(path, &err));
    ck_assert_int_eq(err.code, MO_ERR_IO);
    ck_assert_msg(strstr(err.msg, path) != NULL, "message must name the file: %s", err.msg);
    /* err is optional */
    ck_assert_ptr_null(mo_file_map(path, NULL));
}
END_TEST

START_TEST(file_map_directory)
{
    struct mo_error err = {0};
    ck_assert_ptr_null(mo_file_map("/", &err));
    ck_assert_int_eq(err.code, MO_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.msg, "'/'"));
}
END_TEST

START_TEST(file_from_heap_owns)
{
    unsigned char *data = malloc(4);
    memcpy(data, "\x0a\x0b\x0c\x0d", 4);
    struct mo_file *f = mo_file_from_heap(data, 4, "generated");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(mo_file_path(f), "generated");
    ck_assert_ptr_eq(mo_file_data(f), data);
    ck_assert_ptr_eq(mo_file_ref(f), f);
    mo_file_unref(f);
    ck_assert_int_eq(mo_file_data(f)[3], 0x0d); /* one reference left */
    mo_file_unref(f);                            /* frees data (sanitizer checks) */
    mo_file_unref(NULL);
    struct mo_file *g = mo_file_from_heap(NULL, 0, NULL);
    ck_assert_str_eq(mo_file_path(g), "<memory>");
    mo_file_unref(g);
}
END_TEST

/* --- borrowing ---------------------------------------------------------- */

START_TEST(borrow_is_zero_copy)
{
    float vals[6] = {1, 2, 3, 4, 5, 6};
    unsigned char buf[4 + sizeof vals];
    memset(buf, 0xee, 4);
    memcpy(buf + 4, vals, sizeof vals);
    make_file(buf, sizeof buf);
    struct mo_error err = {0};
    struct mo_file *f = mo_file_map(tmp_path, &err);
    unlink(tmp_path);
    ck_assert_ptr_nonnull(f);
    struct mo_shape s = mo_shape_of(2, 3);
    struct mo_tensor *t = mo_tensor_borrow(f, 4, MO_ET_F32, &s, &err);
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_eq(t->data, mo_file_data(f) + 4);
    ck_assert(mo_tensor_is_borrowed(t));
    ck_assert_uint_eq(t->nbytes, 24);
    ck_assert_int_eq(mo_tensor_numel(t), 6);
    ck_assert(mo_tensor_get_f64(t, 5) == 6.0);
    /* the tensor keeps the map alive after the caller lets go of it */
    mo_file_unref(f);
    ck_assert(mo_tensor_get_f64(t, 0) == 1.0);
    mo_tensor_unref(t);
}
END_TEST

START_TEST(borrow_bounds)
{
    unsigned char buf[16] = {0};
    make_file(buf, sizeof buf);
    struct mo_error err = {0};
    struct mo_file *f = mo_file_map(tmp_path, &err);
    unlink(tmp_path);
    ck_assert_ptr_nonnull(f);
    struct mo_shape four = mo_shape_of(4);
    /* exactly up to the end is fine */
    struct mo_tensor *t = mo_tensor_borrow(f, 0, MO_ET_F32, &four, &err);
    ck_assert_ptr_nonnull(t);
    mo_tensor_unref(t);
    struct mo_shape two = mo_shape_of(2);
    t = mo_tensor_borrow(f, 8, MO_ET_F32, &two, &err);
    ck_assert_ptr_nonnull(t);
    mo_tensor_unref(t);
    /* one byte past the end */
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(mo_tensor_borrow(f, 1, MO_ET_F32, &four, &err));
    ck_assert_int_eq(err.code, MO_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, tmp_path) != NULL, "message must name the file: %s", err.msg);
    /* offset past the end, and offsets that would overflow size_t arithmetic */
    ck_assert_ptr_null(mo_tensor_borrow(f, 17, MO_ET_U8, &(struct mo_shape){.rank = 0}, &err));
    ck_assert_int_eq(err.code, MO_ERR_FORMAT);
    ck_assert_ptr_null(mo_tensor_borrow(f, SIZE_MAX, MO_ET_U8, &two, &err));
    ck_assert_ptr_null(mo_tensor_borrow(f, SIZE_MAX - 1, MO_ET_U8, &four, &err));
    /* a zero-byte tensor at the very end is in bounds */
    struct mo_shape zero = mo_shape_of(0);
    t = mo_tensor_borrow(f, 16, MO_ET_F32, &zero, &err);
    ck_assert_ptr_nonnull(t);
    mo_tensor_unref(t);
    /* constants need a static shape */
    struct mo_shape dyn = mo_shape_of(MO_DYN);
    ck_assert_ptr_null(mo_tensor_borrow(f, 0, MO_ET_F32, &dyn, &err));
    ck_assert_int_eq(err.code, MO_ERR_SHAPE);
    mo_file_unref(f);
}
END_TEST

/* --- owned tensors, refcounts, copy on write ----------------------------- */

START_TEST(bytes_for)
{
    struct mo_shape s23 = mo_shape_of(2, 3), s10 = mo_shape_of(10), s8 = mo_shape_of(8),
                    sc = mo_shape_scalar(), s0 = mo_shape_of(4, 0), dyn = mo_shape_of(MO_DYN, 2);
    ck_assert_uint_eq(mo_tensor_bytes_for(MO_ET_F32, &s23), 24);
    ck_assert_uint_eq(mo_tensor_bytes_for(MO_ET_F16, &s23), 12);
    ck_assert_uint_eq(mo_tensor_bytes_for(MO_ET_I64, &s23), 48);
    ck_assert_uint_eq(mo_tensor_bytes_for(MO_ET_BOOLEAN, &s10), 10);
    ck_assert_uint_eq(mo_tensor_bytes_for(MO_ET_U1, &s10), 2); /* 10 bits -> 2 bytes */
    ck_assert_uint_eq(mo_tensor_bytes_for(MO_ET_U1, &s8), 1);
    ck_assert_uint_eq(mo_tensor_bytes_for(MO_ET_F64, &sc), 8);
    ck_assert_uint_eq(mo_tensor_bytes_for(MO_ET_F32, &s0), 0);
    ck_assert_uint_eq(mo_tensor_bytes_for(MO_ET_F32, &dyn), 0);
}
END_TEST

START_TEST(tensor_new_zeroed)
{
    struct mo_error err = {0};
    struct mo_shape s = mo_shape_of(3, 5);
    struct mo_tensor *t = mo_tensor_new(MO_ET_I32, &s, &err);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(t->refs, 1);
    ck_assert(!mo_tensor_is_borrowed(t));
    for (int64_t i = 0; i < 15; i++)
        ck_assert_int_eq(mo_tensor_get_i64(t, i), 0);
    mo_tensor_unref(t);
    struct mo_shape dyn = mo_shape_of(MO_DYN);
    ck_assert_ptr_null(mo_tensor_new(MO_ET_F32, &dyn, &err));
    ck_assert_int_eq(err.code, MO_ERR_SHAPE);
    ck_assert_ptr_null(mo_tensor_new(MO_ET_UNDEFINED, &s, &err));
    struct mo_shape unk = mo_shape_unknown();
    ck_assert_ptr_null(mo_tensor_new(MO_ET_F32, &unk, &err));
    /* an empty tensor still has a usable data pointer */
    struct mo_shape empty = mo_shape_of(0, 3);
    t = mo_tensor_new(MO_ET_F32, &empty, &err);
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_nonnull(t->data);
    mo_tensor_unref(t);
}
END_TEST

START_TEST(tensor_from_data_checks_size)
{
    struct mo_error err = {0};
    int64_t v[3] = {7, -8, INT64_MAX};
    struct mo_shape s = mo_shape_of(3);
    struct mo_tensor *t = mo_tensor_from_data(MO_ET_I64, &s, v, sizeof v, &err);
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_ne(t->data, v); /* copied */
    ck_assert_int_eq(mo_tensor_get_i64(t, 2), INT64_MAX);
    ck_assert_int_eq(mo_tensor_get_i64(t, 1), -8);
    mo_tensor_unref(t);
    ck_assert_ptr_null(mo_tensor_from_data(MO_ET_I64, &s, v, 16, &err));
    ck_assert_int_eq(err.code, MO_ERR_SHAPE);
}
END_TEST

START_TEST(tensor_refcount)
{
    struct mo_shape s = mo_shape_of(2);
    struct mo_tensor *t = mo_tensor_new(MO_ET_F32, &s, NULL);
    ck_assert_ptr_eq(mo_tensor_ref(t), t);
    ck_assert_int_eq(t->refs, 2);
    mo_tensor_unref(t);
    ck_assert_int_eq(t->refs, 1);
    mo_tensor_unref(t);
    mo_tensor_unref(NULL);
    ck_assert_ptr_null(mo_tensor_ref(NULL));
}
END_TEST

START_TEST(mutable_sole_owner_no_copy)
{
    struct mo_shape s = mo_shape_of(4);
    struct mo_tensor *t = mo_tensor_new(MO_ET_F32, &s, NULL);
    struct mo_tensor *orig = t;
    const void *orig_data = t->data;
    float *p = mo_tensor_mutable(&t, NULL);
    ck_assert_ptr_eq(t, orig);
    ck_assert_ptr_eq(p, orig_data);
    p[2] = 2.5f;
    ck_assert(mo_tensor_get_f64(t, 2) == 2.5);
    mo_tensor_unref(t);
}
END_TEST

START_TEST(mutable_shared_copies)
{
    float v[2] = {1.0f, 2.0f};
    struct mo_shape s = mo_shape_of(2);
    struct mo_tensor *a = mo_tensor_from_data(MO_ET_F32, &s, v, sizeof v, NULL);
    struct mo_tensor *b = mo_tensor_ref(a);
    float *p = mo_tensor_mutable(&b, NULL);
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_ne(b, a);
    ck_assert_int_eq(a->refs, 1); /* b's old reference was released */
    ck_assert_int_eq(b->refs, 1);
    p[0] = 9.0f;
    ck_assert(mo_tensor_get_f64(a, 0) == 1.0); /* the other holder sees no change */
    ck_assert(mo_tensor_get_f64(b, 0) == 9.0);
    ck_assert(mo_tensor_get_f64(b, 1) == 2.0);
    mo_tensor_unref(a);
    mo_tensor_unref(b);
}
END_TEST

START_TEST(mutable_borrowed_copies)
{
    int32_t v[3] = {10, 20, 30};
    make_file(v, sizeof v);
    struct mo_file *f = mo_file_map(tmp_path, NULL);
    unlink(tmp_path);
    struct mo_shape s = mo_shape_of(3);
    struct mo_tensor *t = mo_tensor_borrow(f, 0, MO_ET_I32, &s, NULL);
    struct mo_tensor *other = mo_tensor_borrow(f, 0, MO_ET_I32, &s, NULL);
    mo_file_unref(f);
    int32_t *p = mo_tensor_mutable(&t, NULL);
    ck_assert_ptr_nonnull(p);
    ck_assert(!mo_tensor_is_borrowed(t));
    ck_assert_ptr_ne(p, other->data);
    ck_assert_int_eq(p[2], 30);
    p[2] = -1;
    ck_assert_int_eq(mo_tensor_get_i64(other, 2), 30); /* the file's bytes are untouched */
    ck_assert_int_eq(mo_tensor_get_i64(t, 2), -1);
    /* a second call on the now private copy does not copy again */
    ck_assert_ptr_eq(mo_tensor_mutable(&t, NULL), p);
    mo_tensor_unref(t);
    mo_tensor_unref(other);
}
END_TEST

START_TEST(reshaped_shares_or_copies)
{
    float v[6] = {0, 1, 2, 3, 4, 5};
    make_file(v, sizeof v);
    struct mo_file *f = mo_file_map(tmp_path, NULL);
    unlink(tmp_path);
    struct mo_shape s6 = mo_shape_of(6), s23 = mo_shape_of(2, 3), s5 = mo_shape_of(5);
    struct mo_tensor *t = mo_tensor_borrow(f, 0, MO_ET_F32, &s6, NULL);
    mo_file_unref(f);
    struct mo_error err = {0};
    struct mo_tensor *r = mo_tensor_reshaped(t, &s23, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_eq(r->data, t->data); /* borrowed bytes are shared */
    ck_assert(mo_shape_equal(&r->shape, &s23));
    ck_assert_ptr_null(mo_tensor_reshaped(t, &s5, &err));
    ck_assert_int_eq(err.code, MO_ERR_SHAPE);
    mo_tensor_unref(t);
    ck_assert(mo_tensor_get_f64(r, 5) == 5.0); /* r keeps the map alive */
    struct mo_tensor *o = mo_tensor_from_data(MO_ET_F32, &s6, v, sizeof v, NULL);
    struct mo_tensor *ro = mo_tensor_reshaped(o, &s23, NULL);
    ck_assert_ptr_nonnull(ro);
    mo_tensor_unref(o);
    ck_assert(mo_tensor_get_f64(ro, 4) == 4.0);
    mo_tensor_unref(ro);
    mo_tensor_unref(r);
}
END_TEST

/* --- element access ------------------------------------------------------ */

START_TEST(element_access_packing)
{
    struct mo_shape s10 = mo_shape_of(10);
    struct mo_tensor *b = mo_tensor_new(MO_ET_U1, &s10, NULL);
    mo_tensor_set_f64(b, 0, 1);
    mo_tensor_set_f64(b, 9, 1);
    /* u1 packs the first element into the most significant bit */
    const unsigned char *p = b->data;
    ck_assert_uint_eq(p[0], 0x80);
    ck_assert_uint_eq(p[1], 0x40);
    ck_assert_int_eq(mo_tensor_get_i64(b, 0), 1);
    ck_assert_int_eq(mo_tensor_get_i64(b, 1), 0);
    ck_assert_int_eq(mo_tensor_get_i64(b, 9), 1);
    mo_tensor_set_f64(b, 0, 0);
    ck_assert_uint_eq(p[0], 0x00);
    mo_tensor_unref(b);

    struct mo_shape s1 = mo_shape_of(1);
    struct mo_tensor *h = mo_tensor_new(MO_ET_F16, &s1, NULL);
    mo_tensor_set_f64(h, 0, 1.0);
    p = h->data;
    ck_assert_uint_eq(p[0], 0x00); /* little-endian 0x3c00 */
    ck_assert_uint_eq(p[1], 0x3c);
    mo_tensor_unref(h);
}
END_TEST

/* u64 values above INT64_MAX read as the large positive numbers they are,
 * and storing them does not go through int64. */
START_TEST(u64_above_int64_max)
{
    struct mo_shape s1 = mo_shape_of(1);
    struct mo_tensor *u = mo_tensor_new(MO_ET_U64, &s1, NULL);
    uint64_t big = UINT64_C(0xfffffffffffffffe);
    memcpy(mo_tensor_mutable(&u, NULL), &big, 8);
    ck_assert(mo_tensor_get_f64(u, 0) == 18446744073709551614.0);
    mo_tensor_set_f64(u, 0, 1e19); /* above INT64_MAX, exactly representable */
    memcpy(&big, u->data, 8);
    ck_assert(big == UINT64_C(10000000000000000000));
    mo_tensor_set_f64(u, 0, -5.0); /* negative clamps to 0 */
    memcpy(&big, u->data, 8);
    ck_assert(big == 0);
    mo_tensor_unref(u);
}
END_TEST

START_TEST(element_set_integer_truncates)
{
    struct mo_shape s = mo_shape_of(4);
    struct mo_tensor *t = mo_tensor_new(MO_ET_I32, &s, NULL);
    mo_tensor_set_f64(t, 0, 1.9);
    mo_tensor_set_f64(t, 1, -1.9);
    mo_tensor_set_f64(t, 2, NAN);
    mo_tensor_set_f64(t, 3, 7);
    ck_assert_int_eq(mo_tensor_get_i64(t, 0), 1);
    ck_assert_int_eq(mo_tensor_get_i64(t, 1), -1);
    ck_assert_int_eq(mo_tensor_get_i64(t, 2), 0);
    ck_assert_int_eq(mo_tensor_get_i64(t, 3), 7);
    mo_tensor_unref(t);
    struct mo_tensor *i = mo_tensor_new(MO_ET_I64, &s, NULL);
    mo_tensor_set_f64(i, 0, 1e30);
    mo_tensor_set_f64(i, 1, -1e30);
    ck_assert_int_gt(mo_tensor_get_i64(i, 0), INT64_C(9000000000000000000));
    ck_assert_int_lt(mo_tensor_get_i64(i, 1), -INT64_C(9000000000000000000));
    mo_tensor_unref(i);
}
END_TEST

START_TEST(convert_types)
{
    float v[4] = {1.5f, -2.5f, 3.75f, 0.0f};
    struct mo_shape s = mo_shape_of(2, 2);
    struct mo_tensor *t = mo_tensor_from_data(MO_ET_F32, &s, v, sizeof v, NULL);
    struct mo_error err = {0};
    struct mo_tensor *i = mo_tensor_convert(t, MO_ET_I32, &err);
    ck_assert_ptr_nonnull(i);
    ck_assert(mo_shape_equal(&i->shape, &s));
    ck_assert_int_eq(mo_tensor_get_i64(i, 0), 1);
    ck_assert_int_eq(mo_tensor_get_i64(i, 1), -2);
    ck_assert_int_eq(mo_tensor_get_i64(i, 2), 3);
    struct mo_tensor *h = mo_tensor_convert(t, MO_ET_F16, &err);
    const uint16_t *hp = h->data;
    ck_assert_uint_eq(hp[0], 0x3e00); /* 1.5 */
    ck_assert_uint_eq(hp[1], 0xc100); /* -2.5 */
    ck_assert_uint_eq(hp[2], 0x4380); /* 3.75 */
    ck_assert_uint_eq(hp[3], 0x0000);
    int64_t big[2] = {INT64_C(9007199254740993), -INT64_C(9007199254740993)};
    struct mo_shape s2 = mo_shape_of(2);
    struct mo_tensor *b = mo_tensor_from_data(MO_ET_I64, &s2, big, sizeof big, NULL);
    /* integer to integer must not go through double (2^53 + 1 is not a double) */
    struct mo_tensor *b2 = mo_tensor_convert(b, MO_ET_I64, &err);
    ck_assert_int_eq(mo_tensor_get_i64(b2, 0), INT64_C(9007199254740993));
    ck_assert_int_eq(mo_tensor_get_i64(b2, 1), -INT64_C(9007199254740993));
    mo_tensor_unref(t);
    mo_tensor_unref(i);
    mo_tensor_unref(h);
    mo_tensor_unref(b);
    mo_tensor_unref(b2);
}
END_TEST

/* --- IEEE half ------------------------------------------------------------ */

START_TEST(f16_exact_values)
{
    ck_assert_uint_eq(mo_f32_to_f16(1.0f), 0x3c00);
    ck_assert_uint_eq(mo_f32_to_f16(-2.0f), 0xc000);
    ck_assert_uint_eq(mo_f32_to_f16(0.5f), 0x3800);
    ck_assert_uint_eq(mo_f32_to_f16(0.0f), 0x0000);
    ck_assert_uint_eq(mo_f32_to_f16(-0.0f), 0x8000);
    ck_assert_uint_eq(mo_f32_to_f16(65504.0f), 0x7bff);         /* largest finite */
    ck_assert_uint_eq(mo_f32_to_f16(ldexpf(1, -14)), 0x0400);   /* smallest normal */
    ck_assert_uint_eq(mo_f32_to_f16(ldexpf(1023, -24)), 0x03ff);/* largest subnormal */
    ck_assert_uint_eq(mo_f32_to_f16(ldexpf(1, -24)), 0x0001);   /* smallest subnormal */
    ck_assert_uint_eq(mo_f32_to_f16(-ldexpf(1, -24)), 0x8001);
    ck_assert_uint_eq(mo_f32_to_f16(ldexpf(3, -24)), 0x0003);
}
END_TEST

START_TEST(f16_inf_nan_overflow)
{
    ck_assert_uint_eq(mo_f32_to_f16(INFINITY), 0x7c00);
    ck_assert_uint_eq(mo_f32_to_f16(-INFINITY), 0xfc00);
    ck_assert_uint_eq(mo_f32_to_f16(1e6f), 0x7c00);
    ck_assert_uint_eq(mo_f32_to_f16(-1e6f), 0xfc00);
    ck_assert_uint_eq(mo_f32_to_f16(FLT_MAX), 0x7c00);
    /* 65520 is half-way between 65504 and 2^16: ties to even rounds up to inf */
    ck_assert_uint_eq(mo_f32_to_f16(65520.0f), 0x7c00);
    ck_assert_uint_eq(mo_f32_to_f16(65519.0f), 0x7bff);
    uint16_t n = mo_f32_to_f16(NAN);
    ck_assert_uint_eq(n & 0x7c00, 0x7c00);
    ck_assert_uint_ne(n & 0x03ff, 0);
    /* a NaN whose payload lies only in bits a plain shift drops stays NaN */
    n = mo_f32_to_f16(f32_of(0x7f800001u));
    ck_assert_uint_eq(n & 0x7c00, 0x7c00);
    ck_assert_uint_ne(n & 0x03ff, 0);
    n = mo_f32_to_f16(f32_of(0xff800001u));
    ck_assert_uint_eq(n & 0xfc00, 0xfc00);
    ck_assert_uint_ne(n & 0x03ff, 0);
}
END_TEST

START_TEST(f16_round_to_nearest_even)
{
    /* near 1.0 one f16 ulp is 2^-10 */
    ck_assert_uint_eq(mo_f32_to_f16(1.0f + ldexpf(1, -11)), 0x3c00);     /* tie -> even 0x3c00 */
    ck_assert_uint_eq(mo_f32_to_f16(1.0f + ldexpf(3, -11)), 0x3c02);     /* tie -> even 0x3c02 */
    ck_assert_uint_eq(mo_f32_to_f16(1.0f + ldexpf(1, -11) + ldexpf(1, -20)), 0x3c01); /* above tie */
    ck_assert_uint_eq(mo_f32_to_f16(1.0f + ldexpf(1, -11) - ldexpf(1, -20)), 0x3c00); /* below tie */
    /* a tie at the top of a binade carries into the exponent */
    ck_assert_uint_eq(mo_f32_to_f16(2.0f - ldexpf(1, -11)), 0x4000);
    ck_assert_uint_eq(mo_f32_to_f16(0.1f), 0x2e66);
    ck_assert_uint_eq(mo_f32_to_f16(1.0f / 3.0f), 0x3555);
}
END_TEST

START_TEST(f16_subnormal_rounding)
{
    /* in units of the smallest subnormal 2^-24 */
    ck_assert_uint_eq(mo_f32_to_f16(ldexpf(1, -25)), 0x0000);        /* 0.5 -> even 0 */
    ck_assert_uint_eq(mo_f32_to_f16(ldexpf(3, -26)), 0x0001);        /* 0.75 -> 1 */
    ck_assert_uint_eq(mo_f32_to_f16(ldexpf(1, -26)), 0x0000);        /* 0.25 -> 0 */
    ck_assert_uint_eq(mo_f32_to_f16(ldexpf(3, -25)), 0x0002);        /* 1.5 -> even 2 */
    ck_assert_uint_eq(mo_f32_to_f16(ldexpf(5, -25)), 0x0002);        /* 2.5 -> even 2 */
    ck_assert_uint_eq(mo_f32_to_f16(ldexpf(1, -25) + ldexpf(1, -40)), 0x0001); /* above 0.5 */
    ck_assert_uint_eq(mo_f32_to_f16(ldexpf(1, -30)), 0x0000);
    ck_assert_uint_eq(mo_f32_to_f16(-ldexpf(1, -30)), 0x8000);       /* sign survives underflow */
    ck_assert_uint_eq(mo_f32_to_f16(f32_of(0x00000001u)), 0x0000);   /* f32 subnormal */
    /* half-way between the largest subnormal and the smallest normal: to even */
    ck_assert_uint_eq(mo_f32_to_f16(ldexpf(2047, -25)), 0x0400);
}
END_TEST

START_TEST(f16_to_f32_values)
{
    ck_assert(mo_f16_to_f32(0x3c00) == 1.0f);
    ck_assert(mo_f16_to_f32(0xc000) == -2.0f);
    ck_assert(mo_f16_to_f32(0x7bff) == 65504.0f);
    ck_assert(mo_f16_to_f32(0x0400) == ldexpf(1, -14));
    ck_assert(mo_f16_to_f32(0x0001) == ldexpf(1, -24));
    ck_assert(mo_f16_to_f32(0x03ff) == ldexpf(1023, -24));
    ck_assert(mo_f16_to_f32(0x8001) == -ldexpf(1, -24));
    ck_assert(mo_f16_to_f32(0x3555) == 0.333251953125f);
    ck_assert_uint_eq(bits_of(mo_f16_to_f32(0x8000)), 0x80000000u);
    ck_assert(isinf(mo_f16_to_f32(0x7c00)) && mo_f16_to_f32(0x7c00) > 0);
    ck_assert(isinf(mo_f16_to_f32(0xfc00)) && mo_f16_to_f32(0xfc00) < 0);
    ck_assert(isnan(mo_f16_to_f32(0x7e00)));
    ck_assert(isnan(mo_f16_to_f32(0x7c01)));
}
END_TEST

/* Every f16 value is exactly representable in f32, so the round trip must
 * give back the same bits (NaNs: some NaN of the same sign). */
START_TEST(f16_round_trip_all)
{
    for (uint32_t h = 0; h <= 0xffff; h++) {
        float f = mo_f16_to_f32((uint16_t)h);
        uint16_t back = mo_f32_to_f16(f);
        bool nan = (h & 0x7c00) == 0x7c00 && (h & 0x03ff);
        if (nan) {
            ck_assert_msg(isnan(f), "0x%04x must read as NaN", h);
            ck_assert_msg((back & 0x7c00) == 0x7c00 && (back & 0x03ff) && (back & 0x8000) == (h & 0x8000),
                          "0x%04x -> 0x%04x is not a NaN of the same sign", h, back);
        } else {
            ck_assert_msg(back == h, "0x%04x -> %a -> 0x%04x", h, (double)f, back);
        }
    }
}
END_TEST

/* --- bfloat16 --------------------------------------------------------------- */

START_TEST(bf16_values)
{
    ck_assert_uint_eq(mo_f32_to_bf16(1.0f), 0x3f80);
    ck_assert_uint_eq(mo_f32_to_bf16(-2.0f), 0xc000);
    ck_assert_uint_eq(mo_f32_to_bf16(3.0f), 0x4040);
    ck_assert_uint_eq(mo_f32_to_bf16(-0.0f), 0x8000);
    ck_assert_uint_eq(mo_f32_to_bf16(INFINITY), 0x7f80);
    ck_assert_uint_eq(mo_f32_to_bf16(-INFINITY), 0xff80);
    /* bf16 keeps f32's exponent: 1e30 stays finite */
    ck_assert_uint_eq(mo_f32_to_bf16(f32_of(0x7149f2cau)), 0x714a);
    ck_assert(mo_bf16_to_f32(0x3f80) == 1.0f);
    ck_assert(mo_bf16_to_f32(0x4040) == 3.0f);
    ck_assert_uint_eq(bits_of(mo_bf16_to_f32(0x0001)), 0x00010000u); /* subnormal 2^-133 */
    ck_assert(mo_bf16_to_f32(0x0001) == ldexpf(1, -133));
    ck_assert(isnan(mo_bf16_to_f32(0x7fc0)));
}
END_TEST

START_TEST(bf16_rounding)
{
    /* near 1.0 one bf16 ulp is 2^-7; f32 bits make the ties exact */
    ck_assert_uint_eq(mo_f32_to_bf16(f32_of(0x3f808000u)), 0x3f80); /* tie -> even */
    ck_assert_uint_eq(mo_f32_to_bf16(f32_of(0x3f818000u)), 0x3f82); /* tie -> even */
    ck_assert_uint_eq(mo_f32_to_bf16(f32_of(0x3f808001u)), 0x3f81); /* above tie */
    ck_assert_uint_eq(mo_f32_to_bf16(f32_of(0x3f807fffu)), 0x3f80); /* below tie */
    ck_assert_uint_eq(mo_f32_to_bf16(f32_of(0x3fffffffu)), 0x4000); /* carry into exponent */
    ck_assert_uint_eq(mo_f32_to_bf16(FLT_MAX), 0x7f80);             /* rounds past the largest */
    ck_assert_uint_eq(mo_f32_to_bf16(f32_of(0x7f7f7fffu)), 0x7f7f);
    /* subnormals round the same way */
    ck_assert_uint_eq(mo_f32_to_bf16(f32_of(0x00008000u)), 0x0000);
    ck_assert_uint_eq(mo_f32_to_bf16(f32_of(0x00018000u)), 0x0002);
    ck_assert_uint_eq(mo_f32_to_bf16(f32_of(0x00008001u)), 0x0001);
    ck_assert_uint_eq(mo_f32_to_bf16(f32_of(0x80000001u)), 0x8000);
}
END_TEST

START_TEST(bf16_nan_stays_nan)
{
    uint16_t n = mo_f32_to_bf16(NAN);
    ck_assert_uint_eq(n & 0x7f80, 0x7f80);
    ck_assert_uint_ne(n & 0x007f, 0);
    /* payload only in the low 16 bits: truncating would make it infinity */
    n = mo_f32_to_bf16(f32_of(0x7f800001u));
    ck_assert_uint_eq(n & 0x7f80, 0x7f80);
    ck_assert_uint_ne(n & 0x007f, 0);
    /* and rounding must not carry a NaN with a full payload into the sign */
    n = mo_f32_to_bf16(f32_of(0x7fffffffu));
    ck_assert_uint_eq(n & 0x8000, 0);
    ck_assert_uint_eq(n & 0x7f80, 0x7f80);
    ck_assert_uint_ne(n & 0x007f, 0);
    n = mo_f32_to_bf16(f32_of(0xffc00001u));
    ck_assert_uint_eq(n & 0xff80, 0xff80);
    ck_assert_uint_ne(n & 0x007f, 0);
}
END_TEST

START_TEST(bf16_round_trip_all)
{
    for (uint32_t h = 0; h <= 0xffff; h++) {
        float f = mo_bf16_to_f32((uint16_t)h);
        uint16_t back = mo_f32_to_bf16(f);
        bool nan = (h & 0x7f80) == 0x7f80 && (h & 0x007f);
        if (nan)
            ck_assert_msg(isnan(f) && (back & 0x7f80) == 0x7f80 && (back & 0x7f) &&
                              (back & 0x8000) == (h & 0x8000),
                          "0x%04x -> 0x%04x", h, back);
        else
            ck_assert_msg(back == h, "0x%04x -> 0x%04x", h, back);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tensor");
    TCase *fc = tcase_create("files");
    tcase_add_test(fc, file_map_reads_bytes);
    tcase_add_test(fc, file_map_empty);
    tcase_add_test(fc, file_map_missing);
    tcase_add_test(fc, file_map_directory);
    tcase_add_test(fc, file_from_heap_owns);
    tcase_add_test(fc, borrow_is_zero_copy);
    tcase_add_test(fc, borrow_bounds);
    suite_add_tcase(s, fc);
    TCase *tc = tcase_create("tensors");
    tcase_add_test(tc, bytes_for);
    tcase_add_test(tc, tensor_new_zeroed);
    tcase_add_test(tc, tensor_from_data_checks_size);
    tcase_add_test(tc, tensor_refcount);
    tcase_add_test(tc, mutable_sole_owner_no_copy);
    tcase_add_test(tc, mutable_shared_copies);
    tcase_add_test(tc, mutable_borrowed_copies);
    tcase_add_test(tc, reshaped_shares_or_copies);
    tcase_add_test(tc, element_access_packing);
    tcase_add_test(tc, u64_above_int64_max);
    tcase_add_test(tc, element_set_integer_truncates);
    tcase_add_test(tc, convert_types);
    suite_add_tcase(s, tc);
    TCase *hc = tcase_create("half precision");
    tcase_add_test(hc, f16_exact_values);
    tcase_add_test(hc, f16_inf_nan_overflow);
    tcase_add_test(hc, f16_round_to_nearest_even);
    tcase_add_test(hc, f16_subnormal_rounding);
    tcase_add_test(hc, f16_to_f32_values);
    tcase_add_test(hc, f16_round_trip_all);
    tcase_add_test(hc, bf16_values);
    tcase_add_test(hc, bf16_rounding);
    tcase_add_test(hc, bf16_nan_stays_nan);
    tcase_add_test(hc, bf16_round_trip_all);
    suite_add_tcase(s, hc);
    return run_suite(s);
}
