/* ndarray.c - MXNet's NDArray list container (.params, .nd): read zero-copy, write back.
 *
 * Layout (little-endian), as MXNet's NDArray::Save writes it:
 *   u64 0x112, u64 reserved, u64 n_arrays, arrays..., u64 n_names,
 *   names (u64 length + bytes each).
 * One array:
 *   V2/V3 (magic 0xF993fac9 / 0xF993faca): i32 storage type, [storage shape
 *     if sparse], shape (i32 ndim + i64 dims), context (i32 dev_type, i32
 *     dev_id), i32 type flag, raw data.  ndim 0 is an empty ("none") array
 *     for V2, a 0-D scalar for V3 (whose "none" is ndim -1).
 *   V1 (0xF993fac8): shape (i32 ndim + i64 dims), context, type, data.
 *   legacy (no magic): the first u32 is ndim, then u32 dims, context, type, data.
 *   "none" arrays stop after the shape. */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mx_load.h"

#define LIST_MAGIC 0x112u
#define V1_MAGIC 0xF993fac8u
#define V2_MAGIC 0xF993fac9u
#define V3_MAGIC 0xF993facau
#define STORAGE_DENSE 0

enum mo_etype mo_mx_etype(int flag)
{
    switch (flag) {
    case 0: return MO_ET_F32;
    case 1: return MO_ET_F64;
    case 2: return MO_ET_F16;
    case 3: return MO_ET_U8;
    case 4: return MO_ET_I32;
    case 5: return MO_ET_I8;
    case 6: return MO_ET_I64;
    case 7: return MO_ET_BOOLEAN;
    case 8: return MO_ET_I16;
    case 9: return MO_ET_U16;
    case 10: return MO_ET_U32;
    case 11: return MO_ET_U64;
    case 12: return MO_ET_BF16;
    default: return MO_ET_UNDEFINED;
    }
}

int mo_mx_type_flag(enum mo_etype et)
{
    for (int f = 0; f <= 12; f++)
        if (mo_mx_etype(f) == et)
            return f;
    return -1;
}

/* --- bounds-checked reading ------------------------------------------- */

struct rd {
    const unsigned char *p;
    size_t size, off;
    const char *path;
    long index;          /* array being read, -1 in the header */
    struct mo_error *err;
};

static enum mo_status truncated(struct rd *r, const char *what)
{
    if (r->index >= 0)
        return mo_error_set(r->err, MO_ERR_FORMAT, 2,
                            "'%s' is truncated or corrupt: array %ld: %s at offset %zu runs past "
                            "the end of the file (%zu bytes)",
                            r->path, r->index, what, r->off, r->size);
    return mo_error_set(r->err, MO_ERR_FORMAT, 2,
                        "'%s' is truncated or corrupt: %s at offset %zu runs past the end of the "
                        "file (%zu bytes)",
                        r->path, what, r->off, r->size);
}

static enum mo_status rd_bytes(struct rd *r, void *out, size_t n, const char *what)
{
    if (n > r->size - r->off)
        return truncated(r, what);
    memcpy(out, r->p + r->off, n);
    r->off += n;
    return MO_OK;
}

static enum mo_status rd_u32(struct rd *r, uint32_t *v, const char *what)
{
    return rd_bytes(r, v, 4, what);
}

static enum mo_status rd_u64(struct rd *r, uint64_t *v, const char *what)
{
    return rd_bytes(r, v, 8, what);
}

static enum mo_status corrupt(struct rd *r, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum mo_status corrupt(struct rd *r, size_t at, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->index >= 0)
        return mo_error_set(r->err, MO_ERR_FORMAT, 2, "'%s' is corrupt: array %ld at offset %zu: %s",
                            r->path, r->index, at, msg);
    return mo_error_set(r->err, MO_ERR_FORMAT, 2, "'%s' is corrupt at offset %zu: %s", r->path, at, msg);
}

/* One array; *t is NULL for a "none" array. */
static enum mo_status read_array(struct rd *r, struct mo_file *f, struct mo_tensor **t)
{
    *t = NULL;
    size_t start = r->off;
    uint32_t magic = 0;
    enum mo_status st = rd_u32(r, &magic, "the array header");
    if (st != MO_OK)
        return st;
    bool v3 = magic == V3_MAGIC;
    bool wide = magic == V1_MAGIC || magic == V2_MAGIC || v3;  /* i64 dims */
    if (magic == V2_MAGIC || v3) {
        int32_t stype = 0;
        if ((st = rd_bytes(r, &stype, 4, "the storage type")) != MO_OK)
            return st;
        if (stype != STORAGE_DENSE)
            return mo_error_set(r->err, MO_ERR_UNSUPPORTED, 2,
                                "'%s': array %ld at offset %zu is %s (storage type %d); only dense "
                                "arrays can be converted: save the parameters with "
                                "tostype('default') and convert again",
                                r->path, r->index, start,
                                stype == 1 ? "row_sparse" : stype == 2 ? "csr" : "not dense", (int)stype);
    }
    int32_t ndim = 0;
    if (wide) {
        if ((st = rd_bytes(r, &ndim, 4, "the shape")) != MO_OK)
            return st;
    } else {
        ndim = (int32_t)magic;  /* legacy: no magic, the first word is ndim */
    }
    if ((v3 && ndim == -1) || (!v3 && ndim == 0))
        return MO_OK;  /* a "none" array: nothing follows */
    if (ndim < 0 || ndim > MO_MAX_RANK)
        return corrupt(r, start, "%s %d is not a valid rank (mo supports 0 to 12 dims)",
                       wide ? "ndim" : "unknown array magic or ndim", (int)ndim);
    struct mo_shape shape = {.rank = ndim};
    /* product of the non-zero dims: with a zero dim the array is empty
     * and passes the size check below, yet the element count itself
     * must stay countable */
    double nonzero = 1;
    for (int i = 0; i < ndim; i++) {
        if (wide) {
            int64_t d = 0;
            if ((st = rd_bytes(r, &d, 8, "the shape")) != MO_OK)
                return st;
            shape.dims[i] = d;
        } else {
            uint32_t d = 0;
            if ((st = rd_u32(r, &d, "the shape")) != MO_OK)
                return st;
            shape.dims[i] = d;
        }
        if (shape.dims[i] < 0 || shape.dims[i] > ((int64_t)1 << 40))
            return corrupt(r, start, "dim %lld is not a valid dimension", (long long)shape.dims[i]);
        if (shape.dims[i])
            nonzero *= (double)shape.dims[i];
        if (nonzero > (double)((int64_t)1 << 56))
            return corrupt(r, start, "its dims multiply to more elements than any array holds "
                                     "(dim %d is %lld)", i, (long long)shape.dims[i]);
    }
    int32_t ctx[2] = {0, 0}, flag = -1;
    if ((st = rd_bytes(r, ctx, 8, "the context")) != MO_OK)
        return st;
    if ((st = rd_bytes(r, &flag, 4, "the type flag")) != MO_OK)
        return st;
    enum mo_etype et = mo_mx_etype(flag);
    if (et == MO_ET_UNDEFINED)
        return corrupt(r, start, "type flag %d is not an MXNet data type", (int)flag);
    /* guard the product before mo_tensor_borrow computes it */
    double approx = 1;
    for (int i = 0; i < ndim; i++)
        approx *= (double)shape.dims[i];
    if (approx * (mo_etype_bits(et) / 8.0) > (double)(r->size - r->off))
        return truncated(r, "the data");
    size_t nbytes = mo_tensor_bytes_for(et, &shape);
    *t = mo_tensor_borrow(f, r->off, et, &shape, r->err);
    if (!*t)
        return r->err ? r->err->code : MO_ERR_FORMAT;
    r->off += nbytes;
    return MO_OK;
}

const struct mo_mx_param *mo_mx_params_find(const struct mo_mx_params *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->v[i].name, name))
            return &p->v[i];
    return NULL;
}

void mo_mx_params_clear(struct mo_mx_params *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].name);
        mo_tensor_unref(p->v[i].t);
    }
    free(p->v);
    p->v = NULL;
    p->n = p->cap = 0;
}

/* Insert or replace; takes over name and the reference on t. */
static enum mo_status params_put(struct mo_mx_params *p, char *name, enum mo_mx_param_kind kind,
                                 struct mo_tensor *t)
{
    for (size_t i = 0; i < p->n; i++) {
        if (!strcmp(p->v[i].name, name)) {
            free(p->v[i].name);
            mo_tensor_unref(p->v[i].t);
            p->v[i] = (struct mo_mx_param){name, kind, t};
            return MO_OK;
        }
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        struct mo_mx_param *v = realloc(p->v, cap * sizeof *v);
        if (!v)
            return MO_ERR_NOMEM;
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n++] = (struct mo_mx_param){name, kind, t};
    return MO_OK;
}

enum mo_status mo_mx_params_load(struct mo_mx_params *p, const char *path,
                                 enum mo_mx_param_kind plain_kind, struct mo_error *err)
{
    struct mo_file *f = mo_file_map(path, err);
    if (!f)
        return err ? err->code : MO_ERR_IO;
    struct rd r = {mo_file_data(f), mo_file_size(f), 0, path, -1, err};
    struct mo_tensor **arrays = NULL;
    char **names = NULL;
    uint64_t n = 0, nnames = 0, magic = 0, reserved = 0;
    enum mo_status st = rd_u64(&r, &magic, "the file header");
    if (st == MO_OK && magic != LIST_MAGIC)
        st = mo_error_set(err, MO_ERR_FORMAT, 2,
                          "'%s' is not an MXNet NDArray file (.params/.nd): its first 8 bytes are "
                          "0x%llx, not the magic 0x112",
                          path, (unsigned long long)magic);
    if (st == MO_OK)
        st = rd_u64(&r, &reserved, "the file header");
    if (st == MO_OK)
        st = rd_u64(&r, &n, "the array count");
    /* each array takes at least 4 bytes: a count beyond that is corruption */
    if (st == MO_OK && n > (r.size - r.off) / 4)
        st = mo_error_set(err, MO_ERR_FORMAT, 2,
                          "'%s' is corrupt: it claims %llu arrays at offset 16 but has only %zu bytes",
                          path, (unsigned long long)n, r.size);
    if (st == MO_OK && !(arrays = calloc(n ? n : 1, sizeof *arrays)))
        st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (uint64_t i = 0; st == MO_OK && i < n; i++) {
        r.index = (long)i;
        st = read_array(&r, f, &arrays[i]);
    }
    r.index = -1;
    if (st == MO_OK)
        st = rd_u64(&r, &nnames, "the name count");
    if (st == MO_OK && nnames != 0 && nnames != n)
        st = mo_error_set(err, MO_ERR_FORMAT, 2,
                          "'%s' is corrupt: %llu arrays but %llu names (offset %zu)", path,
                          (unsigned long long)n, (unsigned long long)nnames, r.off - 8);
    if (st == MO_OK && !(names = calloc(n ? n : 1, sizeof *names)))
        st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (uint64_t i = 0; st == MO_OK && i < nnames; i++) {
        uint64_t len = 0;
        if ((st = rd_u64(&r, &len, "a name length")) != MO_OK)
            break;
        if (len > r.size - r.off) {
            st = truncated(&r, "a name");
            break;
        }
        names[i] = malloc(len + 1);
        if (!names[i]) {
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            break;
        }
        memcpy(names[i], r.p + r.off, len);
        names[i][len] = 0;
        if (strlen(names[i]) != len)
            st = mo_error_set(err, MO_ERR_FORMAT, 2, "'%s' is corrupt: name %llu at offset %zu holds a NUL byte",
                              path, (unsigned long long)i, r.off);
        r.off += len;
    }
    if (st == MO_OK && nnames == 0 && n > 0)
        st = mo_error_set(err, MO_ERR_FORMAT, 2,
                          "'%s' holds %llu unnamed arrays; a .params/.nd file needs names", path,
                          (unsigned long long)n);
    /* commit only a fully read file, so p stays as it was on failure */
    struct mo_mx_params add = {0};
    for (uint64_t i = 0; st == MO_OK && i < n; i++) {
        const char *key = names[i];
        enum mo_mx_param_kind kind = plain_kind;
        if (!strncmp(key, "arg:", 4)) {
            kind = MO_MX_PARAM_ARG;
            key += 4;
        } else if (!strncmp(key, "aux:", 4)) {
            kind = MO_MX_PARAM_AUX;
            key += 4;
        }
        char *nm = strdup(key);
        if (!nm || params_put(&add, nm, kind, arrays[i]) != MO_OK) {
            free(nm);
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            break;
        }
        arrays[i] = NULL;
    }
    for (size_t i = 0; st == MO_OK && i < add.n; i++) {
        if (params_put(p, add.v[i].name, add.v[i].kind, add.v[i].t) != MO_OK) {
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            break;
        }
        add.v[i].name = NULL;
        add.v[i].t = NULL;
    }
    mo_mx_params_clear(&add);
    for (uint64_t i = 0; arrays && i < n; i++)
        mo_tensor_unref(arrays[i]);
    for (uint64_t i = 0; names && i < n; i++)
        free(names[i]);
    free(arrays);
    free(names);
    mo_file_unref(f);  /* the tensors keep the map alive */
    return st;
}

/* --- writing ---------------------------------------------------------- */

static bool put(FILE *fp, const void *v, size_t n)
{
    return n == 0 || fwrite(v, 1, n, fp) == n;
}

enum mo_status mo_mx_params_save(const struct mo_mx_params *p, const char *path, struct mo_error *err)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    snprintf(tmp, plen + 16, "%s.tmp%ld", path, (long)getpid());
    FILE *fp = fopen(tmp, "wb");
    if (!fp) {
        enum mo_status st = mo_error_set(err, MO_ERR_IO, 0, "cannot write '%s': %s", path, strerror(errno));
        free(tmp);
        return st;
    }
    bool ok = true;
    uint64_t hdr[3] = {LIST_MAGIC, 0, 0};
    for (size_t i = 0; i < p->n; i++)
        hdr[2] += p->v[i].t != NULL;
    ok = put(fp, hdr, sizeof hdr);
    for (size_t i = 0; ok && i < p->n; i++) {
        const struct mo_tensor *t = p->v[i].t;
        if (!t)
            continue;
        int32_t flag = mo_mx_type_flag(t->et);
        if (flag < 0) {
            fclose(fp);
            remove(tmp);
            free(tmp);
            return mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "cannot save '%s': MXNet has no type for %s",
                                p->v[i].name, mo_etype_name(t->et));
        }
        /* MXNet reads a V2 array with ndim 0 as "none": write 0-D as shape (1,) */
        uint32_t magic = V2_MAGIC;
        int32_t stype = STORAGE_DENSE, ndim = t->shape.rank ? t->shape.rank : 1;
        int32_t ctx[2] = {1, 0};  /* cpu(0) */
        ok = put(fp, &magic, 4) && put(fp, &stype, 4) && put(fp, &ndim, 4);
        for (int d = 0; ok && d < ndim; d++) {
            int64_t v = t->shape.rank ? t->shape.dims[d] : 1;
            ok = put(fp, &v, 8);
        }
        ok = ok && put(fp, ctx, 8) && put(fp, &flag, 4) && put(fp, t->data, t->nbytes);
    }
    ok = ok && put(fp, &hdr[2], 8);
    for (size_t i = 0; ok && i < p->n; i++) {
        if (!p->v[i].t)
            continue;
        const char *pre = p->v[i].kind == MO_MX_PARAM_AUX ? "aux:" : "arg:";
        uint64_t len = 4 + strlen(p->v[i].name);
        ok = put(fp, &len, 8) && put(fp, pre, 4) && put(fp, p->v[i].name, len - 4);
    }
    if (fclose(fp) != 0)
        ok = false;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        free(tmp);
        return mo_error_set(err, MO_ERR_IO, 0, "cannot write '%s': %s", path, strerror(e));
    }
    free(tmp);
    return MO_OK;
}
