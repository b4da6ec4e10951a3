/* npz.c - numpy's .npz archives: the zip container (central directory,
 * local headers, zip64 records, stored and deflated entries) and the .npy
 * array format inside (versions 1 to 3).  Every field is checked against
 * the bytes there are, so a truncated or forged archive is an error that
 * names the file and the entry, never a read out of bounds; sizes are
 * bounded by the file's own size so a forged length cannot make us
 * allocate more than deflate can produce from what is there. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "npz.h"

/* deflate cannot expand less than this: a larger claimed size is forged */
#define DEFLATE_MAX_RATIO 1032u

static const struct {
    const char *str;
    size_t size;
} dtypes[MO_NPY_DTYPE_COUNT] = {
    [MO_NPY_F32] = {"<f4", 4}, [MO_NPY_F16] = {"<f2", 2}, [MO_NPY_F64] = {"<f8", 8},
    [MO_NPY_I64] = {"<i8", 8}, [MO_NPY_I32] = {"<i4", 4}, [MO_NPY_U8] = {"|u1", 1},
    [MO_NPY_BOOL] = {"|b1", 1},
};

size_t mo_npy_elsize(enum mo_npy_dtype t)
{
    return t < MO_NPY_DTYPE_COUNT ? dtypes[t].size : 0;
}

const char *mo_npy_dtype_str(enum mo_npy_dtype t)
{
    return t < MO_NPY_DTYPE_COUNT ? dtypes[t].str : "?";
}

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

float mo_half_to_float(uint16_t h)
{
    int e = (h >> 10) & 0x1f, m = h & 0x3ff;
    float v;
    if (e == 0)
        v = ldexpf((float)m, -24);
    else if (e == 31)
        v = m ? NAN : INFINITY;
    else
        v = ldexpf((float)(m | 0x400), e - 25);
    return (h & 0x8000) ? -v : v;
}

double mo_npy_get(const struct mo_npy *a, size_t i)
{
    const uint8_t *p = (const uint8_t *)a->data + i * dtypes[a->dtype].size;
    switch (a->dtype) {
    case MO_NPY_F32: {
        float f;
        memcpy(&f, p, 4);
        return f;
    }
    case MO_NPY_F16:
        return mo_half_to_float(rd16(p));
    case MO_NPY_F64: {
        double d;
        memcpy(&d, p, 8);
        return d;
    }
    case MO_NPY_I64:
        return (double)(int64_t)rd64(p);
    case MO_NPY_I32:
        return (double)(int32_t)rd32(p);
    case MO_NPY_U8:
        return p[0];
    case MO_NPY_BOOL:
        return p[0] != 0;
    default:
        return NAN;
    }
}

/* ---- the .npy header: a Python dict literal ---- */

struct hdr {
    const char *p, *end;
};

static void skip_ws(struct hdr *h)
{
    while (h->p < h->end && (*h->p == ' ' || *h->p == '\t' || *h->p == '\n'))
        h->p++;
}

/* a quoted Python string without escapes (numpy never writes any) */
static bool parse_str(struct hdr *h, char *out, size_t cap)
{
    skip_ws(h);
    if (h->p >= h->end || (*h->p != '\'' && *h->p != '"'))
        return false;
    char q = *h->p++;
    size_t n = 0;
    while (h->p < h->end && *h->p != q) {
        if (*h->p == '\\' || n + 1 >= cap)
            return false;
        out[n++] = *h->p++;
    }
    if (h->p >= h->end)
        return false;
    h->p++;
    out[n] = 0;
    return true;
}

static bool eat(struct hdr *h, char c)
{
    skip_ws(h);
    if (h->p < h->end && *h->p == c) {
        h->p++;
        return true;
    }
    return false;
}

static bool parse_word(struct hdr *h, const char *w)
{
    skip_ws(h);
    size_t n = strlen(w);
    if ((size_t)(h->end - h->p) < n || memcmp(h->p, w, n) != 0)
        return false;
    h->p += n;
    return true;
}

static bool parse_shape(struct hdr *h, struct mo_npy *a)
{
    if (!eat(h, '('))
        return false;
    a->rank = 0;
    for (;;) {
        if (eat(h, ')'))
            return true;
        skip_ws(h);
        int64_t v = 0;
        bool any = false;
        while (h->p < h->end && *h->p >= '0' && *h->p <= '9') {
            if (v > (INT64_MAX - 9) / 10)
                return false;
            v = v * 10 + (*h->p++ - '0');
            any = true;
        }
        /* numpy writes Python ints, possibly as 3L from Python 2 */
        if (h->p < h->end && *h->p == 'L')
            h->p++;
        if (!any || a->rank >= MO_NPY_MAX_RANK)
            return false;
        a->dims[a->rank++] = v;
        if (eat(h, ')'))
            return true;
        if (!eat(h, ','))
            return false;
    }
}

/* Parses the dict; what is wrong goes to why. */
static bool parse_header(const char *txt, size_t len, struct mo_npy *a, bool *fortran, char *why,
                         size_t why_cap)
{
    struct hdr h = {txt, txt + len};
    bool have_descr = false, have_order = false, have_shape = false;
    if (!eat(&h, '{')) {
        snprintf(why, why_cap, "its header is not a Python dict");
        return false;
    }
    for (;;) {
        if (eat(&h, '}'))
            break;
        char key[32], val[32];
        if (!parse_str(&h, key, sizeof key) || !eat(&h, ':')) {
            snprintf(why, why_cap, "its header dict is malformed");
            return false;
        }
        if (!strcmp(key, "descr")) {
            if (!parse_str(&h, val, sizeof val)) {
                snprintf(why, why_cap, "its 'descr' is not a dtype string (structured dtypes are not supported)");
                return false;
            }
            int t = 0;
            while (t < MO_NPY_DTYPE_COUNT && strcmp(dtypes[t].str, val))
                t++;
            /* numpy spells one-byte types '|u1' but a hand-made file may say '<u1' */
            if (t == MO_NPY_DTYPE_COUNT && (!strcmp(val, "<u1") || !strcmp(val, ">u1")))
                t = MO_NPY_U8;
            if (t == MO_NPY_DTYPE_COUNT) {
                snprintf(why, why_cap, "dtype '%s' is not supported (use one of <f4 <f2 <f8 <i8 <i4 |u1 |b1, "
                         "little-endian)", val);
                return false;
            }
            a->dtype = (enum mo_npy_dtype)t;
            have_descr = true;
        } else if (!strcmp(key, "fortran_order")) {
            if (parse_word(&h, "True"))
                *fortran = true;
            else if (parse_word(&h, "False"))
                *fortran = false;
            else {
                snprintf(why, why_cap, "its 'fortran_order' is neither True nor False");
                return false;
            }
            have_order = true;
        } else if (!strcmp(key, "shape")) {
            if (!parse_shape(&h, a)) {
                snprintf(why, why_cap, "its 'shape' is not a tuple of non-negative integers");
                return false;
            }
            have_shape = true;
        } else {
            snprintf(why, why_cap, "its header has an unknown key '%s'", key);
            return false;
        }
        if (eat(&h, '}'))
            break;
        if (!eat(&h, ',')) {
            snprintf(why, why_cap, "its header dict is malformed");
            return false;
        }
    }
    skip_ws(&h);
    if (h.p != h.end) {
        snprintf(why, why_cap, "its header has bytes after the dict");
        return false;
    }
    if (!have_descr || !have_order || !have_shape) {
        snprintf(why, why_cap, "its header lacks '%s'", !have_descr ? "descr" : !have_order ? "fortran_order" : "shape");
        return false;
    }
    return true;
}

/* The .npy bytes of one entry into a (data copied). */
static enum mo_status parse_npy(const char *label, const char *entry, const uint8_t *p, size_t len,
                                struct mo_npy *a, struct mo_error *err)
{
    char q1[MO_QUOTE_SIZE], q2[MO_QUOTE_SIZE];
    if (len < 10 || memcmp(p, "\x93NUMPY", 6) != 0)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': not a .npy array (no \\x93NUMPY magic)",
                            mo_quote(q1, label), mo_quote(q2, entry));
    unsigned major = p[6];
    size_t hlen, off;
    if (major == 1) {
        hlen = rd16(p + 8);
        off = 10;
    } else if (major == 2 || major == 3) {
        if (len < 12)
            return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': the .npy header is truncated",
                                mo_quote(q1, label), mo_quote(q2, entry));
        hlen = rd32(p + 8);
        off = 12;
    } else {
        return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': .npy format version %u.%u is not "
                            "supported (1, 2 and 3 are)", mo_quote(q1, label), mo_quote(q2, entry), major, p[7]);
    }
    if (hlen > len - off)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': the .npy header is truncated",
                            mo_quote(q1, label), mo_quote(q2, entry));
    bool fortran = false;
    char why[160];
    if (!parse_header((const char *)p + off, hlen, a, &fortran, why, sizeof why))
        return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': %s", mo_quote(q1, label),
                            mo_quote(q2, entry), why);
    size_t count = 1;
    bool zero = false;
    for (int i = 0; i < a->rank; i++) {
        if (a->dims[i] == 0)
            zero = true;
        else if (!zero && (uint64_t)a->dims[i] > SIZE_MAX / count)
            return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': its shape is too large",
                                mo_quote(q1, label), mo_quote(q2, entry));
        else if (!zero)
            count *= (size_t)a->dims[i];
    }
    if (zero)
        count = 0;
    size_t es = dtypes[a->dtype].size;
    size_t have = len - off - hlen;
    if (count > have / es || count * es != have)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': shape and dtype %s need %s bytes of "
                            "data, the entry has %zu", mo_quote(q1, label), mo_quote(q2, entry),
                            dtypes[a->dtype].str, count > have / es ? "more" : "fewer", have);
    /* a 1-D or scalar array reads the same in either order */
    int big = 0;
    for (int i = 0; i < a->rank; i++)
        big += a->dims[i] > 1;
    if (fortran && big > 1)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': the array is in Fortran order; save "
                            "np.ascontiguousarray(x) instead", mo_quote(q1, label), mo_quote(q2, entry));
    a->count = count;
    a->data = malloc(have ? have : 1);
    if (!a->data)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    memcpy(a->data, p + off + hlen, have);
    return MO_OK;
}

/* ---- the zip container ---- */

static enum mo_status inflate_entry(const char *label, const char *entry, const uint8_t *src,
                                    size_t clen, uint8_t *dst, size_t ulen, struct mo_error *err)
{
    char q1[MO_QUOTE_SIZE], q2[MO_QUOTE_SIZE];
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    int rc = Z_OK;
    size_t in_left = clen, out_left = ulen;
    zs.next_in = (Bytef *)src;
    zs.next_out = dst;
    /* avail_in/avail_out are uInt: fed in pieces for entries over 4 GiB */
    while (rc == Z_OK) {
        if (!zs.avail_in && in_left) {
            zs.avail_in = in_left > UINT_MAX ? UINT_MAX : (uInt)in_left;
            in_left -= zs.avail_in;
        }
        if (!zs.avail_out && out_left) {
            zs.avail_out = out_left > UINT_MAX ? UINT_MAX : (uInt)out_left;
            out_left -= zs.avail_out;
        }
        uInt ai = zs.avail_in, ao = zs.avail_out;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc == Z_BUF_ERROR || (rc == Z_OK && ai == zs.avail_in && ao == zs.avail_out))
            break;
    }
    bool ok = rc == Z_STREAM_END && zs.total_out == ulen;
    inflateEnd(&zs);
    if (!ok)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': the compressed data is corrupt or "
                            "truncated", mo_quote(q1, label), mo_quote(q2, entry));
    return MO_OK;
}

/* In a zip64 extra field, the 64-bit values of those fields whose 32-bit
 * ones are all ones, in the order usize, csize, offset. */
static bool zip64_extra(const uint8_t *x, size_t xlen, uint64_t *usize, uint64_t *csize, uint64_t *off)
{
    while (xlen >= 4) {
        unsigned id = rd16(x), sz = rd16(x + 2);
        if (sz > xlen - 4)
            return false;
        if (id == 1) {
            const uint8_t *p = x + 4, *e = x + 4 + sz;
            uint64_t *f[3] = {usize, csize, off};
            for (int i = 0; i < 3; i++) {
                if (*f[i] != 0xffffffffu)
                    continue;
                if (e - p < 8)
                    return false;
                *f[i] = rd64(p);
                p += 8;
            }
            return true;
        }
        x += 4 + sz;
        xlen -= 4 + sz;
    }
    /* no zip64 record: every all-ones field must then be its real value */
    return true;
}

static enum mo_status fmt_err(struct mo_error *err, const char *label, const char *what)
{
    char q[MO_QUOTE_SIZE];
    return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s' is not a valid .npz (zip) file: %s", mo_quote(q, label),
                        what);
}

/* Where the central directory is and how many entries it has. */
static enum mo_status find_cd(const char *label, const uint8_t *buf, size_t len, uint64_t *cd_off,
                              uint64_t *cd_size, uint64_t *n_ent, struct mo_error *err)
{
    if (len < 22)
        return fmt_err(err, label, "it is too short to hold a zip directory");
    size_t lo = len > 22 + 65535 ? len - 22 - 65535 : 0;
    size_t eocd = SIZE_MAX;
    for (size_t i = len - 22 + 1; i-- > lo;) {
        if (rd32(buf + i) == 0x06054b50u && i + 22 + rd16(buf + i + 20) == len) {
            eocd = i;
            break;
        }
    }
    if (eocd == SIZE_MAX)
        return fmt_err(err, label, "no end of central directory record (truncated, or not a zip)");
    const uint8_t *e = buf + eocd;
    if (rd16(e + 4) != 0 || rd16(e + 6) != 0)
        return fmt_err(err, label, "multi-volume archives are not supported");
    *n_ent = rd16(e + 10);
    *cd_size = rd32(e + 12);
    *cd_off = rd32(e + 16);
    if (*n_ent == 0xffff || *cd_size == 0xffffffffu || *cd_off == 0xffffffffu) {
        if (eocd < 20 || rd32(buf + eocd - 20) != 0x07064b50u)
            return fmt_err(err, label, "a zip64 archive without its zip64 locator");
        uint64_t z = rd64(buf + eocd - 20 + 8);
        if (z > len || len - z < 56 || rd32(buf + z) != 0x06064b50u)
            return fmt_err(err, label, "the zip64 end of central directory record is missing");
        *n_ent = rd64(buf + z + 32);
        *cd_size = rd64(buf + z + 40);
        *cd_off = rd64(buf + z + 48);
    }
    if (*cd_off > len || *cd_size > len - *cd_off)
        return fmt_err(err, label, "the central directory lies outside the file");
    /* each entry takes at least 46 bytes of the directory */
    if (*n_ent > *cd_size / 46)
        return fmt_err(err, label, "the central directory is shorter than its entry count says");
    return MO_OK;
}

static enum mo_status read_entry(const char *label, const uint8_t *buf, size_t len, const uint8_t *c,
                                 size_t cleft, size_t *used, struct mo_npy *a, struct mo_error *err)
{
    char q1[MO_QUOTE_SIZE], q2[MO_QUOTE_SIZE];
    if (cleft < 46 || rd32(c) != 0x02014b50u)
        return fmt_err(err, label, "a central directory entry is corrupt");
    unsigned flags = rd16(c + 8), method = rd16(c + 10);
    uint32_t crc = rd32(c + 16);
    uint64_t csize = rd32(c + 20), usize = rd32(c + 24), loff = rd32(c + 42);
    size_t nlen = rd16(c + 28), xlen = rd16(c + 30), mlen = rd16(c + 32);
    if (46 + nlen + xlen + mlen > cleft)
        return fmt_err(err, label, "a central directory entry is truncated");
    *used = 46 + nlen + xlen + mlen;
    char *name = malloc(nlen + 1);
    if (!name)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    memcpy(name, c + 46, nlen);
    name[nlen] = 0;
    a->name = name;
    if (memchr(name, 0, nlen))
        return fmt_err(err, label, "an entry name holds a NUL byte");
    if (!zip64_extra(c + 46 + nlen, xlen, &usize, &csize, &loff))
        return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': its zip64 extra field is corrupt",
                            mo_quote(q1, label), mo_quote(q2, name));
    if (flags & 1)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': encrypted entries are not supported",
                            mo_quote(q1, label), mo_quote(q2, name));
    if (method != 0 && method != 8)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': compression method %u is not supported "
                            "(np.savez and np.savez_compressed write 0 and 8)", mo_quote(q1, label),
                            mo_quote(q2, name), method);
    if (loff > len || len - loff < 30 || rd32(buf + loff) != 0x04034b50u)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': its local header is missing or corrupt",
                            mo_quote(q1, label), mo_quote(q2, name));
    uint64_t data = loff + 30 + rd16(buf + loff + 26) + rd16(buf + loff + 28);
    if (data > len || csize > len - data)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': its data runs past the end of the file "
                            "(truncated?)", mo_quote(q1, label), mo_quote(q2, name));
    if (method == 0 ? usize != csize : usize > csize * DEFLATE_MAX_RATIO + 64)
        return mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': its sizes are inconsistent",
                            mo_quote(q1, label), mo_quote(q2, name));
    const uint8_t *raw = buf + data;
    uint8_t *tmp = NULL;
    if (method == 8) {
        tmp = malloc(usize ? usize : 1);
        if (!tmp)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        enum mo_status st = inflate_entry(label, name, raw, csize, tmp, usize, err);
        if (st != MO_OK) {
            free(tmp);
            return st;
        }
        raw = tmp;
    }
    enum mo_status st = MO_OK;
    if (crc32_z(0L, raw, usize) != crc)
        st = mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': CRC mismatch (the file is corrupt)",
                          mo_quote(q1, label), mo_quote(q2, name));
    if (st == MO_OK && (nlen < 4 || strcmp(name + nlen - 4, ".npy") != 0))
        st = mo_error_set(err, MO_ERR_FORMAT, 0, "'%s', entry '%s': not a .npy array (an .npz holds only "
                          "NAME.npy entries)", mo_quote(q1, label), mo_quote(q2, name));
    if (st == MO_OK)
        st = parse_npy(label, name, raw, usize, a, err);
    if (st == MO_OK)
        name[nlen - 4] = 0;
    free(tmp);
    return st;
}

enum mo_status mo_npz_read_mem(const char *label, const uint8_t *buf, size_t len, struct mo_npz **out,
                               struct mo_error *err)
{
    *out = NULL;
    uint64_t cd_off = 0, cd_size = 0, n = 0;
    enum mo_status st = find_cd(label, buf, len, &cd_off, &cd_size, &n, err);
    if (st != MO_OK)
        return st;
    struct mo_npz *z = calloc(1, sizeof *z);
    if (!z || !(z->v = calloc(n ? n : 1, sizeof *z->v))) {
        free(z);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    const uint8_t *c = buf + cd_off;
    size_t left = cd_size;
    for (uint64_t i = 0; i < n && st == MO_OK; i++) {
        size_t used = 0;
        z->n++;
        st = read_entry(label, buf, len, c, left, &used, &z->v[i], err);
        c += used;
        left -= used;
        for (uint64_t j = 0; st == MO_OK && j < i; j++)
            if (!strcmp(z->v[j].name, z->v[i].name)) {
                char q1[MO_QUOTE_SIZE], q2[MO_QUOTE_SIZE];
                st = mo_error_set(err, MO_ERR_FORMAT, 0, "'%s': the array '%s' is stored twice",
                                  mo_quote(q1, label), mo_quote(q2, z->v[i].name));
            }
    }
    if (st != MO_OK) {
        mo_npz_free(z);
        return st;
    }
    *out = z;
    return MO_OK;
}

enum mo_status mo_npz_read(const char *path, struct mo_npz **out, struct mo_error *err)
{
    char q[MO_QUOTE_SIZE];
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mo_error_set(err, MO_ERR_IO, 0, "cannot open '%s': %s", mo_quote(q, path), strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return mo_error_set(err, MO_ERR_IO, 0, "'%s' is not a regular file", mo_quote(q, path));
    }
    if (sb.st_size == 0) {
        close(fd);
        return fmt_err(err, path, "the file is empty");
    }
    void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return mo_error_set(err, MO_ERR_IO, 0, "cannot read '%s': %s", mo_quote(q, path), strerror(errno));
    enum mo_status st = mo_npz_read_mem(path, m, (size_t)sb.st_size, out, err);
    munmap(m, (size_t)sb.st_size);
    return st;
}

const struct mo_npy *mo_npz_find(const struct mo_npz *z, const char *name)
{
    for (unsigned i = 0; z && i < z->n; i++)
        if (!strcmp(z->v[i].name, name))
            return &z->v[i];
    return NULL;
}

void mo_npz_free(struct mo_npz *z)
{
    if (!z)
        return;
    for (unsigned i = 0; i < z->n; i++) {
        free(z->v[i].name);
        free(z->v[i].data);
    }
    free(z->v);
    free(z);
}
