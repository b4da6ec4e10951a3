/* test_npz.c - the .npz reader (core/npz.c) on files numpy wrote
 * (tests/gen/npz_files.py -> tests/fixtures/npz/): both np.savez and
 * np.savez_compressed, every supported dtype, .npy versions 1 to 3, and
 * the clear errors for what it does not take, truncation and corruption. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "npz.h"
#include "run_suite.h"

static char path_buf[4096];

static const char *fixture(const char *name)
{
    const char *top = getenv("top_srcdir");
    snprintf(path_buf, sizeof path_buf, "%s/tests/fixtures/npz/%s", top ? top : ".", name);
    return path_buf;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)n);
    ck_assert_uint_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void check_all_arrays(const char *file)
{
    struct mo_npz *z;
    struct mo_error err = {0};
    ck_assert_int_eq(mo_npz_read(fixture(file), &z, &err), MO_OK);
    ck_assert_uint_eq(z->n, 9);
    /* the archive's order is np.savez's, the keyword order */
    ck_assert_str_eq(z->v[0].name, "f32");

    const struct mo_npy *a = mo_npz_find(z, "f32");
    ck_assert_int_eq(a->dtype, MO_NPY_F32);
    ck_assert_int_eq(a->rank, 3);
    ck_assert_int_eq(a->dims[0], 2);
    ck_assert_int_eq(a->dims[1], 3);
    ck_assert_int_eq(a->dims[2], 4);
    ck_assert_uint_eq(a->count, 24);
    for (size_t i = 0; i < 24; i++)
        ck_assert_double_eq(mo_npy_get(a, i), i * 0.5 - 3);

    a = mo_npz_find(z, "f16");
    ck_assert_int_eq(a->dtype, MO_NPY_F16);
    ck_assert_double_eq(mo_npy_get(a, 0), 1.5);
    ck_assert_double_eq(mo_npy_get(a, 1), -2.25);
    ck_assert_double_eq(mo_npy_get(a, 2), 65504);
    /* 6e-8 is a subnormal half: 1 * 2^-24 */
    ck_assert_double_eq(mo_npy_get(a, 3), ldexp(1, -24));

    a = mo_npz_find(z, "f64");
    ck_assert_int_eq(a->dtype, MO_NPY_F64);
    ck_assert_double_eq(mo_npy_get(a, 0), 1e300);
    ck_assert_double_eq(mo_npy_get(a, 2), 3.25);

    a = mo_npz_find(z, "i64");
    ck_assert_int_eq(a->dtype, MO_NPY_I64);
    ck_assert_int_eq(((const int64_t *)a->data)[0], -(INT64_C(1) << 62));
    ck_assert_double_eq(mo_npy_get(a, 2), 1099511627776.0);

    a = mo_npz_find(z, "i32");
    ck_assert_int_eq(a->dtype, MO_NPY_I32);
    ck_assert_double_eq(mo_npy_get(a, 0), -5);
    ck_assert_double_eq(mo_npy_get(a, 1), 2147483647);

    a = mo_npz_find(z, "u8");
    ck_assert_int_eq(a->dtype, MO_NPY_U8);
    ck_assert_double_eq(mo_npy_get(a, 2), 255);

    a = mo_npz_find(z, "b");
    ck_assert_int_eq(a->dtype, MO_NPY_BOOL);
    ck_assert_double_eq(mo_npy_get(a, 0), 1);
    ck_assert_double_eq(mo_npy_get(a, 1), 0);

    a = mo_npz_find(z, "scalar");
    ck_assert_int_eq(a->rank, 0);
    ck_assert_uint_eq(a->count, 1);
    ck_assert_double_eq(mo_npy_get(a, 0), 2.5);

    a = mo_npz_find(z, "empty");
    ck_assert_int_eq(a->rank, 2);
    ck_assert_uint_eq(a->count, 0);

    ck_assert_ptr_null(mo_npz_find(z, "nope"));
    mo_npz_free(z);
}

START_TEST(npz_savez_stored)
{
    check_all_arrays("stored.npz");
}
END_TEST

START_TEST(npz_savez_compressed)
{
    check_all_arrays("compressed.npz");
}
END_TEST

START_TEST(npz_npy_versions)
{
    static const char *const files[] = {"v2.npz", "v3.npz"};
    for (int f = 0; f < 2; f++) {
        struct mo_npz *z;
        struct mo_error err = {0};
        ck_assert_int_eq(mo_npz_read(fixture(files[f]), &z, &err), MO_OK);
        const struct mo_npy *a = mo_npz_find(z, "x");
        ck_assert_ptr_nonnull(a);
        ck_assert_int_eq(a->dtype, MO_NPY_I32);
        ck_assert_int_eq(a->rank, 2);
        ck_assert_double_eq(mo_npy_get(a, 5), 5);
        mo_npz_free(z);
    }
}
END_TEST

static void expect_error(const char *file, const char *needle)
{
    struct mo_npz *z = (struct mo_npz *)1;
    struct mo_error err = {0};
    ck_assert_int_ne(mo_npz_read(fixture(file), &z, &err), MO_OK);
    ck_assert_ptr_null(z);
    ck_assert_msg(strstr(err.msg, needle) != NULL, "'%s' lacks '%s'", err.msg, needle);
    ck_assert_msg(strstr(err.msg, file) != NULL, "'%s' does not name the file", err.msg);
}

START_TEST(npz_unsupported_arrays)
{
    expect_error("fortran.npz", "entry 'x.npy': the array is in Fortran order");
    expect_error("bigendian.npz", "dtype '>f4' is not supported");
    expect_error("complex.npz", "dtype '<c8' is not supported");
    expect_error("no-such.npz", "cannot open");
}
END_TEST

/* Every prefix of a real archive is rejected cleanly (ASan watches). */
START_TEST(npz_truncated)
{
    size_t len;
    uint8_t *b = slurp(fixture("compressed.npz"), &len);
    for (size_t n = 0; n < len; n++) {
        struct mo_npz *z;
        struct mo_error err = {0};
        uint8_t *cut = malloc(n ? n : 1);
        memcpy(cut, b, n);
        ck_assert_int_ne(mo_npz_read_mem("cut.npz", cut, n, &z, &err), MO_OK);
        ck_assert_ptr_null(z);
        ck_assert_msg(strstr(err.msg, "cut.npz") != NULL, "%s", err.msg);
        free(cut);
    }
    free(b);
}
END_TEST

START_TEST(npz_corrupt)
{
    size_t len;
    uint8_t *b = slurp(fixture("stored.npz"), &len);
    /* the last data byte of the first entry (f32.npy: 128-byte header + 96) */
    size_t at = 30 + strlen("f32.npy") + 128 + 95;
    struct mo_npz *z;
    struct mo_error err = {0};
    b[at] ^= 0x40;
    ck_assert_int_eq(mo_npz_read_mem("bad.npz", b, len, &z, &err), MO_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, "'bad.npz', entry 'f32.npy': CRC mismatch") != NULL, "%s", err.msg);
    b[at] ^= 0x40;
    /* every single flipped byte: an error or a clean read, never a crash */
    for (size_t i = 0; i < len; i++) {
        b[i] ^= 0xff;
        if (mo_npz_read_mem("x.npz", b, len, &z, &err) == MO_OK)
            mo_npz_free(z);
        b[i] ^= 0xff;
    }
    free(b);
}
END_TEST

static Suite *npz_suite(void)
{
    Suite *s = suite_create("npz");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, npz_savez_stored);
    tcase_add_test(tc, npz_savez_compressed);
    tcase_add_test(tc, npz_npy_versions);
    tcase_add_test(tc, npz_unsupported_arrays);
    tcase_add_test(tc, npz_truncated);
    tcase_add_test(tc, npz_corrupt);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(npz_suite());
}
