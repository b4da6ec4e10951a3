/* tensor.c - an ONNX TensorProto's value as a tensor.
 *
 * Three places hold a tensor's bytes: raw_data inside the model (taken out
 * of the wire bytes before unpacking and replaced by a marker naming its
 * span, so it is borrowed from the map), an external data file beside the
 * model (mapped once, borrowed), or the typed repeated fields protobuf-c
 * has already decoded (small by nature: exporters use raw_data for
 * weights; converted into an owned tensor). */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onnx.h"
#include "ox_load.h"

enum mo_etype mo_ox_etype(int dt)
{
    switch (dt) {
    case MO_ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT: return MO_ET_F32;
    case MO_ONNX__TENSOR_PROTO__DATA_TYPE__UINT8: return MO_ET_U8;
    case MO_ONNX__TENSOR_PROTO__DATA_TYPE__INT8: return MO_ET_I8;
    case MO_ONNX__TENSOR_PROTO__DATA_TYPE__UINT16: return MO_ET_U16;
    case MO_ONNX__TENSOR_PROTO__DATA_TYPE__INT16: return MO_ET_I16;
    case MO_ONNX__TENSOR_PROTO__DATA_TYPE__INT32: return MO_ET_I32;
    case MO_ONNX__TENSOR_PROTO__DATA_TYPE__INT64: return MO_ET_I64;
    case MO_ONNX__TENSOR_PROTO__DATA_TYPE__BOOL: return MO_ET_BOOLEAN;
    case MO_ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16: return MO_ET_F16;
    case MO_ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE: return MO_ET_F64;
    case MO_ONNX__TENSOR_PROTO__DATA_TYPE__UINT32: return MO_ET_U32;
    case MO_ONNX__TENSOR_PROTO__DATA_TYPE__UINT64: return MO_ET_U64;
    case MO_ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16: return MO_ET_BF16;
    default: return MO_ET_UNDEFINED;
    }
}

const char *mo_ox_dtype_name(int dt, char *buf)
{
    static const char *const names[] = {
        "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64",
        "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64",
        "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2",
        "FLOAT8E5M2FNUZ", "UINT4", "INT4"};
    if (dt >= 0 && (size_t)dt < MO_COUNT_OF(names))
        return names[dt];
    snprintf(buf, 16, "%d", dt);
    return buf;
}

void mo_ox_loader_fini(struct mo_ox_loader *L)
{
    for (size_t i = 0; i < L->n_ext; i++) {
        free(L->ext[i].location);
        mo_file_unref(L->ext[i].f);
    }
    free(L->ext);
    free(L->dir_real);
    L->ext = NULL;
    L->n_ext = 0;
    L->dir_real = NULL;
}

/* --- external data -------------------------------------------------------- */

/* Refuse a location that names a place outside the model's folder before
 * touching the file system: absolute, or with a ".." component.  A symlink
 * out is caught after resolving (ext_open). */
static bool location_escapes(const char *loc)
{
    if (loc[0] == '/')
        return true;
    for (const char *p = loc; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return true;
        p += n;
        while (*p == '/')
            p++;
    }
    return false;
}

static enum mo_status ext_open(struct mo_ox_loader *L, const char *loc, const char *what,
                               struct mo_file **out, struct mo_error *err)
{
    char ql[MO_QUOTE_SIZE], qw[MO_QUOTE_SIZE];
    for (size_t i = 0; i < L->n_ext; i++)
        if (!strcmp(L->ext[i].location, loc)) {
            *out = L->ext[i].f;
            return MO_OK;
        }
    if (!L->dir)
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 26,
                            "'%s': %s keeps its data in the external file '%s', which cannot be read "
                            "for a model given from memory", L->what, what, mo_quote(ql, loc));
    if (!loc[0] || location_escapes(loc))
        return mo_error_set(err, MO_ERR_FORMAT, 26,
                            "'%s': %s keeps its data in '%s', outside the model's folder; external "
                            "data must lie in the folder of the .onnx file (or below it)",
                            L->what, mo_quote(qw, what), mo_quote(ql, loc));
    if (!L->dir_real) {
        L->dir_real = realpath(L->dir, NULL);
        if (!L->dir_real)
            return mo_error_set(err, MO_ERR_IO, 26, "'%s': cannot resolve the model's folder '%s': %s",
                                L->what, L->dir, strerror(errno));
    }
    size_t n = strlen(L->dir) + strlen(loc) + 2;
    char *path = malloc(n);
    if (!path)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    snprintf(path, n, "%s/%s", L->dir, loc);
    char *real = realpath(path, NULL);
    if (!real) {
        int e = errno;
        free(path);
        return mo_error_set(err, MO_ERR_IO, 26,
                            "'%s': the external data file '%s' of %s cannot be opened: %s; copy it "
                            "beside the model", L->what, mo_quote(ql, loc), what, strerror(e));
    }
    size_t dl = strlen(L->dir_real);
    bool inside = !strncmp(real, L->dir_real, dl) && (real[dl] == '/' || (dl == 1 && real[0] == '/'));
    free(real);
    if (!inside) {
        free(path);
        return mo_error_set(err, MO_ERR_FORMAT, 26,
                            "'%s': %s keeps its data in '%s', which leads outside the model's folder "
                            "(a symbolic link); external data must lie in the folder of the .onnx file",
                            L->what, mo_quote(qw, what), mo_quote(ql, loc));
    }
    struct mo_ox_ext *ne = realloc(L->ext, (L->n_ext + 1) * sizeof *ne);
    if (!ne) {
        free(path);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    L->ext = ne;
    struct mo_error ferr = {0};
    struct mo_file *f = mo_file_map(path, &ferr);
    free(path);
    if (!f)
        return mo_error_set(err, ferr.code ? ferr.code : MO_ERR_IO, 26,
                            "'%s': the external data file '%s' of %s cannot be read: %s", L->what,
                            mo_quote(ql, loc), what, ferr.msg);
    char *dup = strdup(loc);
    if (!dup) {
        mo_file_unref(f);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    L->ext[L->n_ext].location = dup;
    L->ext[L->n_ext].f = f;
    L->n_ext++;
    *out = f;
    return MO_OK;
}

/* A non-negative decimal integer; false for anything else. */
static bool parse_size(const char *s, uint64_t *v)
{
    if (!s || !*s)
        return false;
    uint64_t x = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || x > (UINT64_MAX - 9) / 10)
            return false;
        x = x * 10 + (uint64_t)(*s - '0');
    }
    *v = x;
    return true;
}

static enum mo_status external(struct mo_ox_loader *L, const MoOnnx__TensorProto *tp, const char *what,
                               enum mo_etype et, const struct mo_shape *sh, size_t nbytes,
                               struct mo_tensor **out, struct mo_error *err)
{
    const char *loc = NULL, *off_s = NULL, *len_s = NULL;
    for (size_t i = 0; i < tp->n_external_data; i++) {
        const MoOnnx__StringStringEntryProto *e = tp->external_data[i];
        if (!e->key || !e->value)
            continue;
        if (!strcmp(e->key, "location"))
            loc = e->value;
        else if (!strcmp(e->key, "offset"))
            off_s = e->value;
        else if (!strcmp(e->key, "length"))
            len_s = e->value;
    }
    if (!loc)
        return mo_error_set(err, MO_ERR_FORMAT, 26,
                            "'%s': %s is marked as external data but names no location", L->what, what);
    uint64_t off = 0, len = nbytes;
    if ((off_s && !parse_size(off_s, &off)) || (len_s && !parse_size(len_s, &len)))
        return mo_error_set(err, MO_ERR_FORMAT, 26,
                            "'%s': %s has an external data offset or length that is not a number",
                            L->what, what);
    if (len != nbytes)
        return mo_error_set(err, MO_ERR_FORMAT, 26,
                            "'%s': %s is %zu bytes by its shape, but its external data length is %" PRIu64,
                            L->what, what, nbytes, len);
    struct mo_file *f = NULL;
    enum mo_status st = ext_open(L, loc, what, &f, err);
    if (st != MO_OK)
        return st;
    char ql[MO_QUOTE_SIZE];
    size_t fsize = mo_file_size(f);
    if (off > fsize || len > fsize - off)
        return mo_error_set(err, MO_ERR_FORMAT, 26,
                            "'%s': %s lies at bytes %" PRIu64 "..%" PRIu64 " of '%s', which has only %zu "
                            "bytes: the external data file is truncated or belongs to another model",
                            L->what, what, off, off + len, mo_quote(ql, loc), fsize);
    *out = nbytes ? mo_tensor_borrow(f, (size_t)off, et, sh, err) : mo_tensor_new(et, sh, err);
    return *out ? MO_OK : (err && err->code ? err->code : MO_ERR_NOMEM);
}

/* --- typed fields ---------------------------------------------------------- */

static enum mo_status count_mismatch(struct mo_ox_loader *L, const char *what, size_t have, int64_t want,
                                     struct mo_error *err)
{
    return mo_error_set(err, MO_ERR_FORMAT, 2,
                        "'%s': %s holds %zu values but its shape needs %" PRId64, L->what, what, have, want);
}

static enum mo_status typed(struct mo_ox_loader *L, const MoOnnx__TensorProto *tp, const char *what,
                            enum mo_etype et, const struct mo_shape *sh, int64_t numel,
                            struct mo_tensor **out, struct mo_error *err)
{
    size_t have;
    switch (et) {
    case MO_ET_F32: have = tp->n_float_data; break;
    case MO_ET_F64: have = tp->n_double_data; break;
    case MO_ET_I64: have = tp->n_int64_data; break;
    case MO_ET_U32:
    case MO_ET_U64: have = tp->n_uint64_data; break;
    default: have = tp->n_int32_data; break;
    }
    if ((int64_t)have != numel)
        return count_mismatch(L, what, have, numel, err);
    struct mo_tensor *t = mo_tensor_new(et, sh, err);
    if (!t)
        return err && err->code ? err->code : MO_ERR_NOMEM;
    unsigned char *p = t->owned;
    for (size_t i = 0; i < have; i++) {
        switch (et) {
        case MO_ET_F32: memcpy(p + 4 * i, &tp->float_data[i], 4); break;
        case MO_ET_F64: memcpy(p + 8 * i, &tp->double_data[i], 8); break;
        case MO_ET_I64: memcpy(p + 8 * i, &tp->int64_data[i], 8); break;
        case MO_ET_U64: memcpy(p + 8 * i, &tp->uint64_data[i], 8); break;
        case MO_ET_U32: { uint32_t v = (uint32_t)tp->uint64_data[i]; memcpy(p + 4 * i, &v, 4); break; }
        case MO_ET_I32: memcpy(p + 4 * i, &tp->int32_data[i], 4); break;
        case MO_ET_I16:
        case MO_ET_U16:
        case MO_ET_F16:
        case MO_ET_BF16: { uint16_t v = (uint16_t)tp->int32_data[i]; memcpy(p + 2 * i, &v, 2); break; }
        case MO_ET_BOOLEAN: p[i] = tp->int32_data[i] != 0; break;
        default: p[i] = (unsigned char)tp->int32_data[i]; break;     /* i8, u8 */
        }
    }
    *out = t;
    return MO_OK;
}

enum mo_status mo_ox_tensor(struct mo_ox_loader *L, const MoOnnx__TensorProto *tp, const char *what,
                            struct mo_tensor **out, struct mo_error *err)
{
    char qt[16];
    *out = NULL;
    int dt = tp->has_data_type ? tp->data_type : 0;
    enum mo_etype et = mo_ox_etype(dt);
    if (et == MO_ET_UNDEFINED)
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 10,
                            "'%s': %s has element type %s, which the IR cannot hold", L->what, what,
                            mo_ox_dtype_name(dt, qt));
    if (tp->n_dims > MO_MAX_RANK)
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 4, "'%s': %s has rank %zu; the IR allows up to %d",
                            L->what, what, tp->n_dims, MO_MAX_RANK);
    struct mo_shape sh = {(int)tp->n_dims, {0}};
    int64_t numel = 1;
    for (size_t i = 0; i < tp->n_dims; i++) {
        int64_t d = tp->dims[i];
        /* bounded so that numel times the widest element's 64 bits stays
         * in range: mo_tensor_bytes_for counts bits, and a wrapped count
         * gave a huge shape a 0-byte tensor that folding then overran */
        if (d < 0 || (d && numel > INT64_MAX / 64 / d))
            return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': %s has an impossible dim %" PRId64,
                                L->what, what, d);
        sh.dims[i] = d;
        numel *= d;
    }
    size_t nbytes = mo_tensor_bytes_for(et, &sh);
    if (tp->has_data_location && tp->data_location == MO_ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL)
        return external(L, tp, what, et, &sh, nbytes, out, err);
    if (tp->has_raw_data) {
        size_t off = 0, len = tp->raw_data.len;
        struct mo_file *f = NULL;
        if (L->spans) {
            uint32_t k = len == MO_PB_MARK_LEN ? mo_pb_mark_index(tp->raw_data.data) : UINT32_MAX;
            if (k >= L->n_spans)
                return mo_error_set(err, MO_ERR_INTERNAL, 0, "'%s': %s lost its raw data marker", L->what, what);
            off = L->spans[k].offset;
            len = L->spans[k].len;
            f = L->file;
        }
        if (len != nbytes)
            return mo_error_set(err, MO_ERR_FORMAT, 2,
                                "'%s': %s has %zu bytes of raw data but its type and shape need %zu",
                                L->what, what, len, nbytes);
        if (!nbytes)
            *out = mo_tensor_new(et, &sh, err);
        else if (f)
            *out = mo_tensor_borrow(f, off, et, &sh, err);
        else
            *out = mo_tensor_from_data(et, &sh, tp->raw_data.data, len, err);
        return *out ? MO_OK : (err && err->code ? err->code : MO_ERR_NOMEM);
    }
    return typed(L, tp, what, et, &sh, numel, out, err);
}
