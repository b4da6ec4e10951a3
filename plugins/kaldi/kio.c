/* kio.c - Kaldi's binary and text serialization (see kio.h). */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kio.h"

void mo_kio_init(struct mo_kio *r, struct mo_file *f, size_t start, struct mo_error *err)
{
    memset(r, 0, sizeof *r);
    r->file = f;
    r->p = mo_file_data(f);
    r->n = mo_file_size(f);
    r->path = mo_file_path(f);
    r->err = err;
    r->pos = start < r->n ? start : r->n;
    if (r->pos + 2 <= r->n && r->p[r->pos] == 0 && r->p[r->pos + 1] == 'B') {
        r->binary = true;
        r->pos += 2;
    }
}

enum mo_status mo_kio_fail(struct mo_kio *r, const char *fmt, ...)
{
    char what[600], q[MO_QUOTE_SIZE], qp[MO_QUOTE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (r->last[0])
        return mo_error_set(r->err, MO_ERR_FORMAT, 2, "'%s': byte %zu, after token '%s': %s",
                            mo_quote(qp, r->path), r->pos, mo_quote(q, r->last), what);
    return mo_error_set(r->err, MO_ERR_FORMAT, 2, "'%s': byte %zu: %s", mo_quote(qp, r->path), r->pos,
                        what);
}

static void skip_ws(struct mo_kio *r)
{
    while (r->pos < r->n && isspace(r->p[r->pos]))
        r->pos++;
}

bool mo_kio_eof(struct mo_kio *r)
{
    skip_ws(r);
    return r->pos >= r->n;
}

/* Read a word at pos without remembering it; returns its length or -1. */
static long word(struct mo_kio *r, char *buf, size_t cap)
{
    skip_ws(r);
    size_t s = r->pos, k = 0;
    while (r->pos < r->n && !isspace(r->p[r->pos]) && r->p[r->pos]) {
        if (k + 1 >= cap) {
            r->pos = s;
            return -1;
        }
        buf[k++] = (char)r->p[r->pos++];
    }
    buf[k] = 0;
    return (long)k;
}

enum mo_status mo_kio_token(struct mo_kio *r, char *buf, size_t cap)
{
    size_t at = r->pos;
    long k = word(r, buf, cap);
    if (k < 0)
        return mo_kio_fail(r, "a token longer than %zu bytes (not a Kaldi model, or a corrupt one)", cap - 1);
    if (k == 0) {
        buf[0] = 0;
        return mo_kio_fail(r, "the file ends where a token was expected (truncated?)");
    }
    if (r->binary && r->pos == r->n) {
        /* a binary token always ends in a space: this one was cut */
        char q[MO_QUOTE_SIZE];
        r->pos = at;
        return mo_kio_fail(r, "the file ends inside the token '%s' (truncated?)", mo_quote(q, buf));
    }
    /* binary tokens end in exactly one space, which belongs to them */
    if (r->binary && r->pos < r->n && r->p[r->pos] == ' ')
        r->pos++;
    snprintf(r->last, sizeof r->last, "%s", buf);
    return MO_OK;
}

void mo_kio_peek(struct mo_kio *r, char *buf, size_t cap)
{
    size_t s = r->pos;
    if (word(r, buf, cap) < 0)
        buf[0] = 0;
    r->pos = s;
}

bool mo_kio_at_token(struct mo_kio *r)
{
    size_t s = r->pos;
    skip_ws(r);
    bool t = r->pos < r->n && r->p[r->pos] == '<';
    r->pos = s;
    return t;
}

enum mo_status mo_kio_expect(struct mo_kio *r, const char *want)
{
    char tok[MO_KALDI_TOKEN_MAX], q[MO_QUOTE_SIZE];
    size_t s = r->pos;
    enum mo_status st = mo_kio_token(r, tok, sizeof tok);
    if (st != MO_OK)
        return st;
    if (strcmp(tok, want)) {
        r->pos = s;
        return mo_kio_fail(r, "expected '%s', found '%s'", want, mo_quote(q, tok));
    }
    return MO_OK;
}

static enum mo_status need(struct mo_kio *r, size_t k, const char *what)
{
    if (r->n - r->pos < k)
        return mo_kio_fail(r, "the file ends inside %s (%zu bytes needed, %zu left; truncated?)", what, k,
                           r->n - r->pos);
    return MO_OK;
}

static uint64_t le(const unsigned char *p, unsigned k)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < k; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static int64_t sext(uint64_t v, unsigned k)
{
    if (k < 8 && (v >> (8 * k - 1)) & 1)
        v |= ~(uint64_t)0 << (8 * k);
    return (int64_t)v;
}

static float f32_at(const unsigned char *p)
{
    uint32_t u = (uint32_t)le(p, 4);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static double f64_at(const unsigned char *p)
{
    uint64_t u = le(p, 8);
    double d;
    memcpy(&d, &u, 8);
    return d;
}

/* A binary number: a size byte out of `sizes` (a 0-terminated list), then
 * that many little-endian bytes, returned raw with their size. */
static enum mo_status bin_number(struct mo_kio *r, const char *what, const unsigned char *sizes, uint64_t *raw,
                                 unsigned *k)
{
    enum mo_status st = need(r, 1, what);
    if (st != MO_OK)
        return st;
    *k = r->p[r->pos];
    if (!*k || !strchr((const char *)sizes, (int)*k))
        return mo_kio_fail(r, "expected %s (size byte 4 or 8), found byte 0x%02x", what, *k);
    if ((st = need(r, 1 + *k, what)) != MO_OK)
        return st;
    *raw = le(r->p + r->pos + 1, *k);
    r->pos += 1 + *k;
    return MO_OK;
}

/* A text number: the next word, parsed as an integer or a float. */
static enum mo_status text_number(struct mo_kio *r, bool integer, int64_t *iv, double *fv)
{
    const char *what = integer ? "an integer" : "a number";
    char w[64], q[MO_QUOTE_SIZE], *end;
    size_t s = r->pos;
    if (word(r, w, sizeof w) <= 0) {
        r->pos = s;
        return mo_kio_fail(r, "expected %s%s", what, r->pos >= r->n ? " (the file ends; truncated?)" : "");
    }
    errno = 0;
    if (integer)
        *iv = strtoll(w, &end, 10);
    else
        *fv = strtod(w, &end);
    if (*end || (integer && errno)) {
        r->pos = s;
        return mo_kio_fail(r, "expected %s, found '%s'", what, mo_quote(q, w));
    }
    return MO_OK;
}

enum mo_status mo_kio_int(struct mo_kio *r, int64_t *v)
{
    if (!r->binary)
        return text_number(r, true, v, NULL);
    uint64_t raw;
    unsigned k;
    enum mo_status st = bin_number(r, "an integer", (const unsigned char *)"\1\2\4\10", &raw, &k);
    if (st == MO_OK)
        *v = sext(raw, k);
    return st;
}

enum mo_status mo_kio_float(struct mo_kio *r, double *v)
{
    if (!r->binary)
        return text_number(r, false, NULL, v);
    uint64_t raw;
    unsigned k;
    enum mo_status st = bin_number(r, "a float", (const unsigned char *)"\4\10", &raw, &k);
    if (st != MO_OK)
        return st;
    if (k == 4) {
        uint32_t u = (uint32_t)raw;
        float f;
        memcpy(&f, &u, 4);
        *v = f;
    } else {
        memcpy(v, &raw, 8);
    }
    return MO_OK;
}

enum mo_status mo_kio_bool(struct mo_kio *r, bool *v)
{
    skip_ws(r);
    if (r->pos >= r->n)
        return mo_kio_fail(r, "the file ends where a bool (T or F) was expected (truncated?)");
    unsigned char c = r->p[r->pos];
    if (c != 'T' && c != 'F')
        return mo_kio_fail(r, "expected a bool (T or F), found byte 0x%02x", c);
    *v = c == 'T';
    r->pos++;
    return MO_OK;
}

char mo_kio_sniff(struct mo_kio *r)
{
    size_t s = r->pos;
    if (!r->binary || (r->pos < r->n && isspace(r->p[r->pos])))
        skip_ws(r);
    char c = 0;
    if (r->pos < r->n) {
        const unsigned char *p = r->p + r->pos;
        size_t left = r->n - r->pos;
        if (p[0] == '<')
            c = 'T';
        else if (p[0] == '[')
            c = 'V'; /* text: the caller's key decides matrix or vector */
        else if ((p[0] == 'T' || p[0] == 'F') && (left == 1 || isspace(p[1]) || p[1] == '<'))
            c = 'B';
        else if (r->binary && left >= 2 && (p[0] == 'F' || p[0] == 'D') && p[1] == 'M')
            c = 'M';
        else if (r->binary && left >= 2 && p[0] == 'C' && p[1] == 'M')
            c = 'M';
        else if (r->binary && left >= 2 && (p[0] == 'F' || p[0] == 'D') && p[1] == 'V')
            c = 'V';
        else
            c = 'N';
    }
    r->pos = s;
    return c;
}

enum mo_status mo_kio_int_vector(struct mo_kio *r, int64_t **v, size_t *n)
{
    *v = NULL;
    *n = 0;
    if (r->binary) {
        enum mo_status st = need(r, 5, "an integer vector");
        if (st != MO_OK)
            return st;
        unsigned k = r->p[r->pos];
        if (k != 1 && k != 2 && k != 4 && k != 8)
            return mo_kio_fail(r, "expected an integer vector (size byte 4), found byte 0x%02x", k);
        int64_t cnt = sext(le(r->p + r->pos + 1, 4), 4);
        if (cnt < 0)
            return mo_kio_fail(r, "an integer vector of negative size %lld", (long long)cnt);
        r->pos += 5;
        if ((uint64_t)cnt > (r->n - r->pos) / k)
            return mo_kio_fail(r, "the file ends inside an integer vector of %lld elements (truncated?)",
                               (long long)cnt);
        if (cnt) {
            *v = malloc((size_t)cnt * sizeof **v);
            if (!*v)
                return mo_error_set(r->err, MO_ERR_NOMEM, 0, "out of memory");
            for (int64_t i = 0; i < cnt; i++)
                (*v)[i] = sext(le(r->p + r->pos + (size_t)i * k, k), k);
        }
        r->pos += (size_t)cnt * k;
        *n = (size_t)cnt;
        return MO_OK;
    }
    enum mo_status st = mo_kio_expect(r, "[");
    if (st != MO_OK)
        return st;
    size_t cap = 0;
    for (;;) {
        char w[64];
        size_t s = r->pos;
        if (word(r, w, sizeof w) <= 0) {
            free(*v);
            *v = NULL;
            return mo_kio_fail(r, "an integer vector without its closing ']'");
        }
        if (!strcmp(w, "]"))
            return MO_OK;
        r->pos = s;
        int64_t x;
        if ((st = mo_kio_int(r, &x)) != MO_OK) {
            free(*v);
            *v = NULL;
            return st;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            int64_t *nv = realloc(*v, cap * sizeof *nv);
            if (!nv) {
                free(*v);
                *v = NULL;
                return mo_error_set(r->err, MO_ERR_NOMEM, 0, "out of memory");
            }
            *v = nv;
        }
        (*v)[(*n)++] = x;
    }
}

/* A text "[ ... ]": the numbers and the count of rows (lines with numbers). */
static enum mo_status text_numbers(struct mo_kio *r, bool matrix, struct mo_tensor **t)
{
    enum mo_status st = mo_kio_expect(r, "[");
    if (st != MO_OK)
        return st;
    size_t cap = 256, n = 0;
    int64_t rows = 0, cols = -1, in_row = 0;
    float *v = malloc(cap * sizeof *v);
    if (!v)
        return mo_error_set(r->err, MO_ERR_NOMEM, 0, "out of memory");
    for (;;) {
        /* a newline ends a row of a matrix */
        while (r->pos < r->n && isspace(r->p[r->pos])) {
            if (r->p[r->pos] == '\n' && matrix && in_row) {
                if (cols >= 0 && in_row != cols) {
                    free(v);
                    return mo_kio_fail(r, "matrix row %lld has %lld values, the rows before it %lld",
                                       (long long)rows, (long long)in_row, (long long)cols);
                }
                cols = in_row;
                rows++;
                in_row = 0;
            }
            r->pos++;
        }
        if (r->pos >= r->n) {
            free(v);
            return mo_kio_fail(r, "the file ends inside a %s (no closing ']'; truncated?)",
                               matrix ? "matrix" : "vector");
        }
        if (r->p[r->pos] == ']') {
            r->pos++;
            break;
        }
        double x;
        if ((st = mo_kio_float(r, &x)) != MO_OK) {
            free(v);
            return st;
        }
        if (n == cap) {
            float *nv = realloc(v, 2 * cap * sizeof *nv);
            if (!nv) {
                free(v);
                return mo_error_set(r->err, MO_ERR_NOMEM, 0, "out of memory");
            }
            v = nv;
            cap *= 2;
        }
        v[n++] = (float)x;
        in_row++;
    }
    if (matrix && in_row) {
        if (cols >= 0 && in_row != cols) {
            free(v);
            return mo_kio_fail(r, "matrix row %lld has %lld values, the rows before it %lld", (long long)rows,
                               (long long)in_row, (long long)cols);
        }
        cols = in_row;
        rows++;
    }
    struct mo_shape sh = matrix ? mo_shape_of(rows, cols < 0 ? 0 : cols) : mo_shape_of((int64_t)n);
    *t = mo_tensor_from_data(MO_ET_F32, &sh, v, n * sizeof *v, r->err);
    free(v);
    return *t ? MO_OK : MO_ERR_NOMEM;
}

static enum mo_status dims(struct mo_kio *r, int nd, int64_t *d, const char *kind)
{
    for (int i = 0; i < nd; i++) {
        enum mo_status st = mo_kio_int(r, &d[i]);
        if (st != MO_OK)
            return st;
        if (d[i] < 0 || d[i] > ((int64_t)1 << 31))
            return mo_kio_fail(r, "%s with a dimension of %lld", kind, (long long)d[i]);
    }
    return MO_OK;
}

/* FM/DM/FV/DV data: elements of size es at pos. */
static enum mo_status dense(struct mo_kio *r, const struct mo_shape *sh, unsigned es, struct mo_tensor **t)
{
    int64_t numel = mo_shape_numel(sh);
    char what[96];
    snprintf(what, sizeof what, "the data of a %s of %lld elements", sh->rank == 2 ? "matrix" : "vector",
             (long long)numel);
    if ((uint64_t)numel > (r->n - r->pos) / es)
        return mo_kio_fail(r, "the file ends inside %s (%llu bytes needed, %zu left; truncated, or the "
                              "size in the header is wrong)",
                           what, (unsigned long long)numel * es, r->n - r->pos);
    if (es == 4) {
        *t = mo_tensor_borrow(r->file, r->pos, MO_ET_F32, sh, r->err);
    } else {
        *t = mo_tensor_new(MO_ET_F32, sh, r->err);
        for (int64_t i = 0; *t && i < numel; i++)
            mo_tensor_set_f64(*t, i, (float)f64_at(r->p + r->pos + (size_t)i * 8));
    }
    if (!*t)
        return r->err ? r->err->code : MO_ERR_NOMEM;
    r->pos += (size_t)numel * es;
    return MO_OK;
}

static float u16_to_f(float mn, float range, unsigned v)
{
    return mn + range * 1.52590218966964e-05F * (float)v;
}

/* Kaldi's compressed matrix: global header {f32 min, f32 range, i32 rows,
 * i32 cols}, then by kind: CM per-column headers (4 u16 percentiles each)
 * and u8 data column by column; CM2 u16 data row by row; CM3 u8 row by row. */
static enum mo_status compressed(struct mo_kio *r, const char *kind, struct mo_tensor **t)
{
    enum mo_status st = need(r, 16, "a compressed matrix header");
    if (st != MO_OK)
        return st;
    const unsigned char *h = r->p + r->pos;
    float mn = f32_at(h), range = f32_at(h + 4);
    int64_t rows = sext(le(h + 8, 4), 4), cols = sext(le(h + 12, 4), 4);
    if (rows < 0 || cols < 0 || rows > ((int64_t)1 << 31) || cols > ((int64_t)1 << 31))
        return mo_kio_fail(r, "a compressed matrix of %lld x %lld", (long long)rows, (long long)cols);
    r->pos += 16;
    int fmt = !strcmp(kind, "CM") ? 1 : !strcmp(kind, "CM2") ? 2 : 3;
    uint64_t numel = (uint64_t)rows * (uint64_t)cols;
    uint64_t bytes = fmt == 1 ? 8 * (uint64_t)cols + numel : fmt == 2 ? 2 * numel : numel;
    if (bytes > r->n - r->pos)
        return mo_kio_fail(r, "the file ends inside a %lld x %lld compressed matrix (%llu bytes needed, %zu "
                              "left; truncated, or the size in the header is wrong)",
                           (long long)rows, (long long)cols, (unsigned long long)bytes, r->n - r->pos);
    struct mo_shape sh = mo_shape_of(rows, cols);
    *t = mo_tensor_new(MO_ET_F32, &sh, r->err);
    if (!*t)
        return MO_ERR_NOMEM;
    float *out = mo_tensor_mutable(t, r->err);
    if (!out)
        return MO_ERR_NOMEM;
    const unsigned char *d = r->p + r->pos;
    if (fmt == 1) {
        const unsigned char *data = d + 8 * (size_t)cols;
        for (int64_t c = 0; c < cols; c++) {
            const unsigned char *ch = d + 8 * (size_t)c;
            float p0 = u16_to_f(mn, range, (unsigned)le(ch, 2)), p25 = u16_to_f(mn, range, (unsigned)le(ch + 2, 2));
            float p75 = u16_to_f(mn, range, (unsigned)le(ch + 4, 2)), p100 = u16_to_f(mn, range, (unsigned)le(ch + 6, 2));
            for (int64_t i = 0; i < rows; i++) {
                unsigned b = data[(size_t)(c * rows + i)];
                float x;
                if (b <= 64)
                    x = p0 + (p25 - p0) * (float)b * (1 / 64.0F);
                else if (b <= 192)
                    x = p25 + (p75 - p25) * (float)(b - 64) * (1 / 128.0F);
                else
                    x = p75 + (p100 - p75) * (float)(b - 192) * (1 / 63.0F);
                out[i * cols + c] = x;
            }
        }
    } else {
        for (uint64_t i = 0; i < numel; i++)
            out[i] = fmt == 2 ? u16_to_f(mn, range, (unsigned)le(d + 2 * i, 2))
                              : mn + range * (float)d[i] / 255.0F;
    }
    r->pos += bytes;
    return MO_OK;
}

enum mo_status mo_kio_matrix(struct mo_kio *r, struct mo_tensor **t)
{
    *t = NULL;
    if (!r->binary)
        return text_numbers(r, true, t);
    char kind[16], q[MO_QUOTE_SIZE];
    enum mo_status st = mo_kio_token(r, kind, sizeof kind);
    if (st != MO_OK)
        return st;
    if (!strcmp(kind, "CM") || !strcmp(kind, "CM2") || !strcmp(kind, "CM3"))
        return compressed(r, kind, t);
    if (strcmp(kind, "FM") && strcmp(kind, "DM"))
        return mo_kio_fail(r, "expected a matrix (FM, DM or CM), found '%s'", mo_quote(q, kind));
    int64_t d[2];
    if ((st = dims(r, 2, d, "a matrix")) != MO_OK)
        return st;
    struct mo_shape sh = mo_shape_of(d[0], d[1]);
    return dense(r, &sh, kind[0] == 'F' ? 4 : 8, t);
}

enum mo_status mo_kio_vector(struct mo_kio *r, struct mo_tensor **t)
{
    *t = NULL;
    if (!r->binary)
        return text_numbers(r, false, t);
    char kind[16], q[MO_QUOTE_SIZE];
    enum mo_status st = mo_kio_token(r, kind, sizeof kind);
    if (st != MO_OK)
        return st;
    if (strcmp(kind, "FV") && strcmp(kind, "DV"))
        return mo_kio_fail(r, "expected a vector (FV or DV), found '%s'", mo_quote(q, kind));
    int64_t d;
    if ((st = dims(r, 1, &d, "a vector")) != MO_OK)
        return st;
    struct mo_shape sh = mo_shape_of(d);
    return dense(r, &sh, kind[0] == 'F' ? 4 : 8, t);
}

enum mo_status mo_kio_line(struct mo_kio *r, const char **line, size_t *len)
{
    if (r->pos >= r->n)
        return mo_kio_fail(r, "the file ends inside the nnet3 config lines (truncated?)");
    const unsigned char *s = r->p + r->pos;
    const unsigned char *e = memchr(s, '\n', r->n - r->pos);
    size_t k = e ? (size_t)(e - s) : r->n - r->pos;
    r->pos += k + (e ? 1 : 0);
    if (k && s[k - 1] == '\r')
        k--;
    *line = (const char *)s;
    *len = k;
    return MO_OK;
}
