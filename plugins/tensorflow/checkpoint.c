/* checkpoint.c - a TensorFlow V2 checkpoint (tf.train.Saver, tf.train.Checkpoint,
 * a SavedModel's variables/) read for its tensors.
 *
 * A checkpoint PREFIX is two kinds of files:
 *   - PREFIX.index: a sorted string table in the LevelDB-derived format
 *     TensorFlow keeps.  Its last 48 bytes are the footer: two block
 *     handles (metaindex, index: each a varint offset and size), zero
 *     padding to 40 bytes, then the magic 0xdb4775248b80fb57 as a
 *     little-endian fixed64.  A block is a run of entries (varint shared
 *     key prefix length, varint unshared length, varint value length, the
 *     unshared key bytes, the value), then the restart points (uint32 each)
 *     and their count (uint32); every block is followed by a 1-byte
 *     compression type (0, none: the only one TensorFlow writes for
 *     checkpoints) and the masked CRC32C of the block and that byte.  The
 *     index block maps the last key of each data block to its handle.
 *     The values are BundleEntryProto (dtype, shape, shard, offset, size,
 *     masked CRC32C of the bytes); the empty key holds BundleHeaderProto.
 *   - PREFIX.data-0000N-of-0000M: the shards, raw little-endian tensor
 *     bytes; each is mapped and the tensors borrow from the map.
 *
 * Every CRC is checked (the blocks when opening, a tensor's bytes when it
 * is taken), as TensorFlow does, so that a corrupt file is an error rather
 * than wrong weights.  Errors name the file, the key and what is wrong.
 *
 * A partitioned variable (TF1 get_variable with a partitioner) is saved as
 * slices: its own entry holds the full dtype and shape and a list of
 * TensorSliceProto, and each slice's bytes are an entry of their own under
 * a binary key: OrderedCode's increasing encoding of 0, the name, the rank,
 * then per dim the start and the length (-1 for a whole dim) as signed
 * numbers.  Those keys begin with a 0 byte, so they sort before every name.
 * The graph reads the parts, NAME/part_K, as variables of their own and
 * concatenates them; a part is its slice borrowed from the shard, and the
 * full NAME is assembled by copying the slices into place. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <nmmintrin.h>
#endif

#include "checkpoint.h"
#include "tf_load.h"

#define FOOTER_LEN 48
#define TABLE_MAGIC 0xdb4775248b80fb57ull
#define MAX_SHARDS 4096

struct ckpt_entry {
    char *key;
    MoTf__BundleEntryProto *e;
};

/* a slice's entry, under its binary key */
struct slice_entry {
    unsigned char *key;
    size_t klen;
    MoTf__BundleEntryProto *e;
};

struct mo_tf_ckpt {
    struct slice_entry *sl;      /* sorted by key, bytewise */
    size_t n_sl, cap_sl;
    char *prefix;
    char *index_path;
    struct ckpt_entry *v;        /* sorted by key (the table's order) */
    size_t n, cap;
    int num_shards;
    struct mo_file **shards;     /* mapped on first use */
    char **alias;                /* TF2: pairs (variable name, checkpoint key) */
    size_t n_alias;
    bool aliases_read;
};

#define OBJECT_GRAPH_KEY "_CHECKPOINTABLE_OBJECT_GRAPH"
#define DT_STRING 7

/* --- CRC32C (Castagnoli, reflected polynomial 0x82f63b78) ------------------ */

static uint32_t crc_table[256];

static void crc_init(void)
{
    if (crc_table[1])
        return;
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32c_bytes(uint32_t crc, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return crc;
}

#if defined(__x86_64__) && defined(__GNUC__)
/* SSE4.2's crc32 instruction computes CRC-32C: every variable's bytes are
 * checked, and at a byte a cycle the table made a checkpoint's CRCs cost
 * as much as the rest of the conversion (~0.2 s per 100 MB). */
__attribute__((target("sse4.2"))) static uint32_t crc32c_sse42(uint32_t crc, const unsigned char *p, size_t n)
{
    uint64_t c = crc;
    for (; n && ((uintptr_t)p & 7); n--)
        c = _mm_crc32_u8((uint32_t)c, *p++);
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = _mm_crc32_u64(c, w);
    }
    for (; n; n--)
        c = _mm_crc32_u8((uint32_t)c, *p++);
    return (uint32_t)c;
}
#endif

static uint32_t crc32c(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
#if defined(__x86_64__) && defined(__GNUC__)
    if (__builtin_cpu_supports("sse4.2"))
        return ~crc32c_sse42(crc, p, n);
#endif
    return ~crc32c_bytes(crc, p, n);
}

/* LevelDB stores CRCs masked, so that a CRC of data holding CRCs is not
 * trivially related to them. */
static uint32_t crc_mask(uint32_t crc)
{
    return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A varint at *p below end; false when truncated or longer than 10 bytes. */
static bool varint(const unsigned char **p, const unsigned char *end, uint64_t *out)
{
    uint64_t v = 0;
    for (int s = 0; s < 64 && *p < end; s += 7) {
        unsigned char c = *(*p)++;
        v |= (uint64_t)(c & 0x7f) << s;
        if (!(c & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* --- the table ------------------------------------------------------------- */

struct rd {
    struct mo_tf_ckpt *c;
    const unsigned char *data;
    size_t size;
    struct mo_error *err;
};

static enum mo_status bad(struct rd *r, const char *what)
{
    return mo_error_set(r->err, MO_ERR_FORMAT, 2, "'%s': %s (a corrupt or truncated checkpoint index)",
                        r->c->index_path, what);
}

/* The contents of the block at handle (off, len), its trailer checked. */
static enum mo_status block(struct rd *r, uint64_t off, uint64_t len, const char *which,
                            const unsigned char **out)
{
    char msg[160];
    if (off > r->size || len > r->size - off || r->size - off - len < 5) {
        snprintf(msg, sizeof msg, "the %s block (offset %" PRIu64 ", %" PRIu64 " bytes) lies past the end", which,
                 off, len);
        return bad(r, msg);
    }
    const unsigned char *b = r->data + off;
    if (b[len] != 0) {
        snprintf(msg, sizeof msg, "the %s block is compressed (type %u); TensorFlow checkpoints are not", which,
                 b[len]);
        return bad(r, msg);
    }
    uint32_t want = le32(b + len + 1), got = crc_mask(crc32c(0, b, len + 1));
    if (want != got) {
        snprintf(msg, sizeof msg, "CRC mismatch in the %s block at offset %" PRIu64 " (stored %08x, computed %08x)",
                 which, off, want, got);
        return bad(r, msg);
    }
    *out = b;
    return MO_OK;
}

typedef enum mo_status (*entry_fn)(struct rd *r, const char *key, size_t klen, const unsigned char *val,
                                   size_t vlen);

/* Call fn on every entry of block b[0..len). */
static enum mo_status walk(struct rd *r, const unsigned char *b, uint64_t len, const char *which, entry_fn fn)
{
    char msg[160];
    if (len < 4)
        return bad(r, "a block is shorter than its restart count");
    uint32_t nr = le32(b + len - 4);
    if (nr > (len - 4) / 4) {
        snprintf(msg, sizeof msg, "the %s block claims %u restart points in %" PRIu64 " bytes", which, nr, len);
        return bad(r, msg);
    }
    const unsigned char *p = b, *end = b + len - 4 - 4 * (size_t)nr;
    char *key = NULL;
    size_t klen = 0;
    enum mo_status st = MO_OK;
    while (p < end && st == MO_OK) {
        uint64_t shared, unshared, vlen;
        if (!varint(&p, end, &shared) || !varint(&p, end, &unshared) || !varint(&p, end, &vlen) ||
            shared > klen || unshared > (size_t)(end - p) || vlen > (size_t)(end - p) - unshared) {
            snprintf(msg, sizeof msg, "a truncated entry in the %s block at offset %td", which, p - r->data);
            st = bad(r, msg);
            break;
        }
        char *k = realloc(key, shared + unshared + 1);
        if (!k) {
            st = mo_error_set(r->err, MO_ERR_NOMEM, 0, "out of memory reading '%s'", r->c->index_path);
            break;
        }
        key = k;
        memcpy(key + shared, p, unshared);
        klen = shared + unshared;
        key[klen] = 0;
        p += unshared;
        st = fn(r, key, klen, p, vlen);
        p += vlen;
    }
    free(key);
    return st;
}

/* Array v of *cap elements of size bytes with room for element n: v
 * itself, or v grown (doubled) with *cap updated; NULL when out of memory
 * (v is then left as it was). */
static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return v;
    size_t c = *cap ? 2 * *cap : 16;
    void *p = realloc(v, c * size);
    if (p)
        *cap = c;
    return p;
}

static int key_cmp(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
    int d = memcmp(a, b, an < bn ? an : bn);
    return d ? d : (an > bn) - (an < bn);
}

/* A slice's entry (a key beginning with 0: not a name). */
static enum mo_status add_slice_entry(struct rd *r, const char *key, size_t klen, const unsigned char *val,
                                      size_t vlen)
{
    struct mo_tf_ckpt *c = r->c;
    const unsigned char *k = (const unsigned char *)key;
    if (c->n || (c->n_sl && key_cmp(c->sl[c->n_sl - 1].key, c->sl[c->n_sl - 1].klen, k, klen) >= 0))
        return bad(r, "a slice's key is out of order");
    MoTf__BundleEntryProto *e = mo_tf__bundle_entry_proto__unpack(NULL, vlen, val);
    if (!e)
        return bad(r, "the entry of a slice does not decode");
    struct slice_entry *v = grow(c->sl, &c->cap_sl, c->n_sl, sizeof *v);
    if (!v) {
        mo_tf__bundle_entry_proto__free_unpacked(e, NULL);
        return mo_error_set(r->err, MO_ERR_NOMEM, 0, "out of memory reading '%s'", c->index_path);
    }
    c->sl = v;
    unsigned char *copy = malloc(klen);
    if (!copy) {
        mo_tf__bundle_entry_proto__free_unpacked(e, NULL);
        return mo_error_set(r->err, MO_ERR_NOMEM, 0, "out of memory reading '%s'", c->index_path);
    }
    memcpy(copy, k, klen);
    c->sl[c->n_sl++] = (struct slice_entry){copy, klen, e};
    return MO_OK;
}

static enum mo_status add_entry(struct rd *r, const char *key, size_t klen, const unsigned char *val, size_t vlen)
{
    struct mo_tf_ckpt *c = r->c;
    char q[MO_QUOTE_SIZE];
    if (klen == 0) {
        MoTf__BundleHeaderProto *h = mo_tf__bundle_header_proto__unpack(NULL, vlen, val);
        if (!h)
            return bad(r, "its header (the empty key) does not decode");
        int ns = h->num_shards, big = h->endianness == MO_TF__BUNDLE_HEADER_PROTO__ENDIANNESS__BIG;
        mo_tf__bundle_header_proto__free_unpacked(h, NULL);
        if (big)
            return mo_error_set(r->err, MO_ERR_UNSUPPORTED, 0, "'%s': a big-endian checkpoint", c->index_path);
        if (ns < 1 || ns > MAX_SHARDS)
            return bad(r, "its header gives an impossible shard count");
        c->num_shards = ns;
        return MO_OK;
    }
    if (key[0] == 0)
        return add_slice_entry(r, key, klen, val, vlen);
    if (c->n && strcmp(c->v[c->n - 1].key, key) >= 0)
        return mo_error_set(r->err, MO_ERR_FORMAT, 2, "'%s': key '%s' is out of order", c->index_path,
                            mo_quote(q, key));
    MoTf__BundleEntryProto *e = mo_tf__bundle_entry_proto__unpack(NULL, vlen, val);
    if (!e)
        return mo_error_set(r->err, MO_ERR_FORMAT, 2, "'%s': the entry of '%s' does not decode", c->index_path,
                            mo_quote(q, key));
    struct ckpt_entry *v = grow(c->v, &c->cap, c->n, sizeof *v);
    if (!v) {
        mo_tf__bundle_entry_proto__free_unpacked(e, NULL);
        return mo_error_set(r->err, MO_ERR_NOMEM, 0, "out of memory reading '%s'", c->index_path);
    }
    c->v = v;
    char *k = strdup(key);
    if (!k) {
        mo_tf__bundle_entry_proto__free_unpacked(e, NULL);
        return mo_error_set(r->err, MO_ERR_NOMEM, 0, "out of memory reading '%s'", c->index_path);
    }
    c->v[c->n].key = k;
    c->v[c->n].e = e;
    c->n++;
    return MO_OK;
}

/* An index entry: the handle of a data block, whose entries are added. */
static enum mo_status data_block(struct rd *r, const char *key, size_t klen, const unsigned char *val, size_t vlen)
{
    (void)key, (void)klen;
    const unsigned char *p = val, *end = val + vlen, *b;
    uint64_t off, len;
    if (!varint(&p, end, &off) || !varint(&p, end, &len))
        return bad(r, "a data block handle in the index block is truncated");
    enum mo_status st = block(r, off, len, "data", &b);
    return st == MO_OK ? walk(r, b, len, "data", add_entry) : st;
}

static enum mo_status read_index(struct rd *r)
{
    if (r->size < FOOTER_LEN)
        return bad(r, "it is shorter than the table footer");
    const unsigned char *f = r->data + r->size - FOOTER_LEN;
    uint64_t magic = (uint64_t)le32(f + 40) | (uint64_t)le32(f + 44) << 32;
    if (magic != TABLE_MAGIC)
        return mo_error_set(r->err, MO_ERR_FORMAT, 2,
                            "'%s' is not a TensorFlow checkpoint index: no table magic at its end",
                            r->c->index_path);
    const unsigned char *p = f, *end = f + 40, *b;
    uint64_t moff, mlen, ioff, ilen;
    if (!varint(&p, end, &moff) || !varint(&p, end, &mlen) || !varint(&p, end, &ioff) ||
        !varint(&p, end, &ilen))
        return bad(r, "its footer's block handles do not decode");
    enum mo_status st = block(r, ioff, ilen, "index", &b);
    if (st == MO_OK)
        st = walk(r, b, ilen, "index", data_block);
    if (st == MO_OK && !r->c->num_shards)
        st = bad(r, "it has no header (the empty key)");
    return st;
}

/* --- the public side ------------------------------------------------------- */

void mo_tf_ckpt_close(struct mo_tf_ckpt *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].key);
        mo_tf__bundle_entry_proto__free_unpacked(c->v[i].e, NULL);
    }
    for (size_t i = 0; i < c->n_sl; i++) {
        free(c->sl[i].key);
        mo_tf__bundle_entry_proto__free_unpacked(c->sl[i].e, NULL);
    }
    free(c->sl);
    if (c->shards)
        for (int i = 0; i < c->num_shards; i++)
            mo_file_unref(c->shards[i]);
    free(c->shards);
    for (size_t i = 0; i < 2 * c->n_alias; i++)
        free(c->alias[i]);
    free(c->alias);
    free(c->v);
    free(c->index_path);
    free(c->prefix);
    free(c);
}

enum mo_status mo_tf_ckpt_open_index(struct mo_file *index, const char *prefix, struct mo_tf_ckpt **out,
                                     struct mo_error *err)
{
    crc_init();
    *out = NULL;
    struct mo_tf_ckpt *c = calloc(1, sizeof *c);
    if (!c || !(c->prefix = strdup(prefix)) || !(c->index_path = strdup(mo_file_path(index)))) {
        mo_tf_ckpt_close(c);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory reading checkpoint '%s'", prefix);
    }
    struct rd r = {c, mo_file_data(index), mo_file_size(index), err};
    enum mo_status st = read_index(&r);
    if (st == MO_OK && !(c->shards = calloc((size_t)c->num_shards, sizeof *c->shards)))
        st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory reading checkpoint '%s'", prefix);
    if (st != MO_OK) {
        mo_tf_ckpt_close(c);
        return st;
    }
    *out = c;
    return MO_OK;
}

enum mo_status mo_tf_ckpt_open(const char *prefix, struct mo_tf_ckpt **out, struct mo_error *err)
{
    *out = NULL;
    size_t n = strlen(prefix);
    /* a prefix given as its index file's path is accepted too */
    if (n > 6 && !strcmp(prefix + n - 6, ".index"))
        n -= 6;
    char *pre = malloc(n + 7);
    if (!pre)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    memcpy(pre, prefix, n);
    strcpy(pre + n, ".index");
    struct mo_file *f = mo_file_map(pre, err);
    pre[n] = 0;
    enum mo_status st = f ? mo_tf_ckpt_open_index(f, pre, out, err) : (err && err->code ? err->code : MO_ERR_IO);
    mo_file_unref(f);
    free(pre);
    return st;
}

static const struct ckpt_entry *find(const struct mo_tf_ckpt *c, const char *key)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = strcmp(c->v[mid].key, key);
        if (!d)
            return &c->v[mid];
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

bool mo_tf_ckpt_has(const struct mo_tf_ckpt *c, const char *key)
{
    return find(c, key) != NULL;
}

bool mo_tf_ckpt_set_shard(struct mo_tf_ckpt *c, int i, struct mo_file *f)
{
    if (i < 0 || i >= c->num_shards)
        return false;
    mo_file_unref(c->shards[i]);
    c->shards[i] = mo_file_ref(f);
    return true;
}

const char *mo_tf_ckpt_key(const struct mo_tf_ckpt *c, size_t i)
{
    return i < c->n ? c->v[i].key : NULL;
}

size_t mo_tf_ckpt_count(const struct mo_tf_ckpt *c)
{
    return c->n;
}

/* Map shard `shard` of c (key: the variable needing it, for messages). */
static enum mo_status map_shard(struct mo_tf_ckpt *c, const char *key, int shard, struct mo_error *err)
{
    char q[MO_QUOTE_SIZE];
    enum mo_status st;
    if (!c->shards[shard]) {
        size_t pn = strlen(c->prefix) + 32;
        char *path = malloc(pn);
        if (!path)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        snprintf(path, pn, "%s.data-%05d-of-%05d", c->prefix, shard, c->num_shards);
        struct mo_error ferr = {0};
        c->shards[shard] = mo_file_map(path, &ferr);
        if (!c->shards[shard]) {
            st = mo_error_set(err, MO_ERR_IO, 0, "checkpoint '%s': variable '%s' lives in shard '%s', which "
                              "cannot be read: %s", c->prefix, mo_quote(q, key), path, ferr.msg);
            free(path);
            return st;
        }
        free(path);
    }
    return MO_OK;
}

/* TF2 checkpoints key variables by object path; their object graph gives
 * each variable's name (a VarHandleOp's shared_name) and key.  Its bytes:
 * a DT_STRING scalar, stored as the varint length, a 4-byte checksum of
 * the lengths, then the string; the entry's CRC covers the length as 4
 * little-endian bytes, the 4 checksum bytes and the string. */
static enum mo_status read_aliases(struct mo_tf_ckpt *c, struct mo_error *err)
{
    char q[MO_QUOTE_SIZE];
    c->aliases_read = true;
    const struct ckpt_entry *ce = find(c, OBJECT_GRAPH_KEY);
    if (!ce)
        return MO_OK;
    const MoTf__BundleEntryProto *e = ce->e;
    const char *key = OBJECT_GRAPH_KEY;
    if (!e->has_dtype || (int)e->dtype != DT_STRING || e->shard_id < 0 || e->shard_id >= c->num_shards ||
        e->offset < 0 || e->size < 5)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': '%s' is not a string tensor", c->index_path,
                            mo_quote(q, key));
    enum mo_status st = map_shard(c, key, e->shard_id, err);
    if (st != MO_OK)
        return st;
    struct mo_file *f = c->shards[e->shard_id];
    size_t fsz = mo_file_size(f);
    if ((uint64_t)e->offset > fsz || (uint64_t)e->size > fsz - (uint64_t)e->offset)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': '%s' lies past its end: the shard is truncated",
                            mo_file_path(f), mo_quote(q, key));
    const unsigned char *p = mo_file_data(f) + e->offset, *end = p + e->size, *s0 = p;
    uint64_t len;
    if (!varint(&p, end, &len) || (size_t)(end - p) < 4 || len != (uint64_t)(end - p - 4))
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': '%s' is not one string", mo_file_path(f),
                            mo_quote(q, key));
    unsigned char l4[4];
    for (int i = 0; i < 4; i++)
        l4[i] = (unsigned char)(len >> (8 * i));
    uint32_t got = crc32c(crc32c(crc32c(0, l4, 4), p, 4), p + 4, (size_t)len);
    if (e->has_crc32c && crc_mask(got) != e->crc32c)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': CRC mismatch in the bytes of '%s' (stored %08x, "
                            "computed %08x)", mo_file_path(f), mo_quote(q, key), e->crc32c, crc_mask(got));
    (void)s0;
    MoTf__TrackableObjectGraph *g = mo_tf__trackable_object_graph__unpack(NULL, (size_t)len, p + 4);
    if (!g)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': '%s' does not decode", c->index_path, mo_quote(q, key));
    size_t n = 0;
    for (size_t i = 0; i < g->n_nodes; i++)
        n += g->nodes[i]->n_attributes;
    if (n && !(c->alias = calloc(2 * n, sizeof *c->alias)))
        st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (size_t i = 0; i < g->n_nodes && st == MO_OK; i++)
        for (size_t k = 0; k < g->nodes[i]->n_attributes && st == MO_OK; k++) {
            const MoTf__SerializedTensor *a = g->nodes[i]->attributes[k];
            if (!a->name || strcmp(a->name, "VARIABLE_VALUE") || !a->full_name || !a->checkpoint_key)
                continue;
            char *x = strdup(a->full_name), *y = strdup(a->checkpoint_key);
            if (!x || !y) {
                free(x);
                free(y);
                st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
                break;
            }
            c->alias[2 * c->n_alias] = x;
            c->alias[2 * c->n_alias + 1] = y;
            c->n_alias++;
        }
    mo_tf__trackable_object_graph__free_unpacked(g, NULL);
    return st;
}

/* The tensor of entry e (key: its name for messages); want: the shape it
 * must have (a slice's extents), or NULL for its own. */
static enum mo_status entry_tensor(struct mo_tf_ckpt *c, const char *key, const MoTf__BundleEntryProto *e,
                                   const struct mo_shape *want, struct mo_tensor **out, struct mo_error *err)
{
    char q[MO_QUOTE_SIZE], qt[16];
    *out = NULL;
    int dt = e->has_dtype ? (int)e->dtype : 0;
    enum mo_etype et = mo_tf_etype(dt);
    if (et == MO_ET_UNDEFINED)
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 10, "'%s': variable '%s' has element type %s, which the IR "
                            "cannot hold", c->index_path, mo_quote(q, key), mo_tf_dtype_name(dt, qt));
    struct mo_tf_loader L = {NULL, c->index_path, NULL, 0, true, NULL};
    struct mo_shape sh;
    enum mo_status st = mo_tf_shape(&L, e->shape, "a variable's shape", &sh, err);
    if (st != MO_OK)
        return st;
    if (sh.rank < 0)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': variable '%s' has no shape", c->index_path,
                            mo_quote(q, key));
    if (want && !mo_shape_equal(&sh, want))
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': the shape of variable '%s' is not its slice's",
                            c->index_path, mo_quote(q, key));
    for (int i = 0; i < sh.rank; i++)
        if (sh.dims[i] < 0 || sh.dims[i] > (int64_t)1 << 40)
            return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': variable '%s' has an impossible dim", c->index_path,
                                mo_quote(q, key));
    size_t nbytes = mo_tensor_bytes_for(et, &sh);
    int shard = e->shard_id;
    if (shard < 0 || shard >= c->num_shards || e->offset < 0 || e->size < 0)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': variable '%s' points to shard %d of %d", c->index_path,
                            mo_quote(q, key), shard, c->num_shards);
    if ((uint64_t)e->size != nbytes)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': variable '%s' has %" PRId64 " bytes but its type and "
                            "shape need %zu", c->index_path, mo_quote(q, key), e->size, nbytes);
    if ((st = map_shard(c, key, shard, err)) != MO_OK)
        return st;
    struct mo_file *f = c->shards[shard];
    size_t fsz = mo_file_size(f);
    if ((uint64_t)e->offset > fsz || (uint64_t)e->size > fsz - (uint64_t)e->offset)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': variable '%s' (offset %" PRId64 ", %" PRId64 " bytes) "
                            "lies past its end: the shard is truncated", mo_file_path(f), mo_quote(q, key),
                            e->offset, e->size);
    const unsigned char *p = mo_file_data(f) + e->offset;
    if (e->has_crc32c) {
        uint32_t got = crc_mask(crc32c(0, p, nbytes));
        if (got != e->crc32c)
            return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': CRC mismatch in the bytes of variable '%s' "
                                "(stored %08x, computed %08x)", mo_file_path(f), mo_quote(q, key), e->crc32c, got);
    }
    *out = nbytes ? mo_tensor_borrow(f, (size_t)e->offset, et, &sh, err) : mo_tensor_new(et, &sh, err);
    /* the check read every page: they would stay resident until written */
    mo_tensor_drop_pages(*out);
    return *out ? MO_OK : (err && err->code ? err->code : MO_ERR_NOMEM);
}

/* --- partitioned variables --------------------------------------------------- */

/* OrderedCode: an unsigned number as its byte count, then its bytes big-endian. */
static size_t oc_unsigned(unsigned char *b, uint64_t v)
{
    int n = 0;
    for (uint64_t x = v; x; x >>= 8)
        n++;
    b[0] = (unsigned char)n;
    for (int i = 0; i < n; i++)
        b[1 + i] = (unsigned char)(v >> (8 * (n - 1 - i)));
    return (size_t)n + 1;
}

/* OrderedCode: a signed number in L bytes, the smallest L whose 7L-1 bits
 * hold its magnitude; the two's complement bytes, big-endian and sign
 * extended, with L's unary header (L-1 one bits after the sign bit, then a
 * zero) XORed onto the leading bits; -1 is 0x7f, 0 is 0x80, 130 is 0xc0 0x82. */
static size_t oc_signed(unsigned char *b, int64_t v)
{
    uint64_t x = v < 0 ? ~(uint64_t)v : (uint64_t)v;
    int len = 1;
    while (len < 10 && x >> (7 * len - 1))
        len++;
    unsigned char buf[10];
    memset(buf, v < 0 ? 0xff : 0, 2);
    for (int i = 0; i < 8; i++)
        buf[2 + i] = (unsigned char)((uint64_t)v >> (8 * (7 - i)));
    /* the header: len one bits from the top, across the first two bytes */
    unsigned hdr = (0xffffu << (16 - len)) & 0xffffu;
    buf[10 - len] ^= (unsigned char)(hdr >> 8);
    if (len > 8)
        buf[11 - len] ^= (unsigned char)hdr;
    memcpy(b, buf + 10 - len, (size_t)len);
    return (size_t)len;
}

struct slice_box {
    int rank;
    int64_t start[MO_MAX_RANK], len[MO_MAX_RANK];  /* len -1: the whole dim */
};

/* The key TensorFlow stores slice s of variable name under; *klen its
 * length.  NULL when out of memory (the caller frees the key). */
static unsigned char *slice_key(const char *name, const struct slice_box *s, size_t *klen)
{
    size_t nl = strlen(name);
    unsigned char *k = malloc(1 + 2 * nl + 2 + 9 + (size_t)s->rank * 20), *p = k;
    if (!k)
        return NULL;
    p += oc_unsigned(p, 0);
    for (size_t i = 0; i < nl; i++) {
        unsigned char ch = (unsigned char)name[i];
        *p++ = ch;
        if (ch == 0x00 || ch == 0xff)
            *p++ = ch ? 0x00 : 0xff;
    }
    *p++ = 0x00;
    *p++ = 0x01;
    p += oc_unsigned(p, (uint64_t)s->rank);
    for (int d = 0; d < s->rank; d++) {
        p += oc_signed(p, s->start[d]);
        p += oc_signed(p, s->len[d]);
    }
    *klen = (size_t)(p - k);
    return k;
}

static const struct slice_entry *find_slice(const struct mo_tf_ckpt *c, const unsigned char *k, size_t kn)
{
    size_t lo = 0, hi = c->n_sl;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = key_cmp(c->sl[mid].key, c->sl[mid].klen, k, kn);
        if (!d)
            return &c->sl[mid];
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Slice i of e (full shape full) as a box; false when it does not fit. */
static bool slice_of(const MoTf__BundleEntryProto *e, size_t i, const struct mo_shape *full, struct slice_box *b)
{
    const MoTf__TensorSliceProto *sp = e->slices[i];
    if (!sp || (int)sp->n_extent != full->rank)
        return false;
    b->rank = full->rank;
    for (int d = 0; d < b->rank; d++) {
        const MoTf__TensorSliceProto__Extent *x = sp->extent[d];
        b->start[d] = x && x->has_start ? x->start : 0;
        b->len[d] = x && x->has_length ? x->length : -1;
        int64_t n = b->len[d] < 0 ? full->dims[d] : b->len[d];
        if (b->len[d] < -1 || b->start[d] < 0 || (b->len[d] == -1 && b->start[d]) || b->start[d] > full->dims[d] ||
            n > full->dims[d] - b->start[d])
            return false;
    }
    return true;
}

static struct mo_shape box_shape(const struct slice_box *b, const struct mo_shape *full)
{
    struct mo_shape s = *full;
    for (int d = 0; d < b->rank; d++)
        if (b->len[d] >= 0)
            s.dims[d] = b->len[d];
    return s;
}

/* "[0:24, :]", for messages */
static const char *box_str(char *buf, size_t n, const struct slice_box *b)
{
    size_t k = (size_t)snprintf(buf, n, "[");
    for (int d = 0; d < b->rank && k < n; d++) {
        if (b->len[d] < 0)
            k += (size_t)snprintf(buf + k, n - k, "%s:", d ? ", " : "");
        else
            k += (size_t)snprintf(buf + k, n - k, "%s%" PRId64 ":%" PRId64, d ? ", " : "", b->start[d],
                                  b->start[d] + b->len[d]);
    }
    if (k < n)
        snprintf(buf + k, n - k, "]");
    return buf;
}

/* The checked tensor of slice i of the sliced variable key (entry e of full
 * shape full), borrowed from its shard; *box its place. */
static enum mo_status slice_tensor(struct mo_tf_ckpt *c, const char *key, const MoTf__BundleEntryProto *e,
                                   const struct mo_shape *full, size_t i, struct slice_box *box,
                                   struct mo_tensor **out, struct mo_error *err)
{
    char q[MO_QUOTE_SIZE], bs[128];
    *out = NULL;
    if (!slice_of(e, i, full, box))
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': slice %zu of variable '%s' does not lie inside its "
                            "shape", c->index_path, i, mo_quote(q, key));
    size_t kn;
    unsigned char *k = slice_key(key, box, &kn);
    if (!k)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    const struct slice_entry *se = find_slice(c, k, kn);
    free(k);
    if (!se)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': slice %s of partitioned variable '%s' is missing "
                            "(the checkpoint is incomplete: save it again)", c->index_path,
                            box_str(bs, sizeof bs, box), mo_quote(q, key));
    if ((e->has_dtype ? e->dtype : 0) != (se->e->has_dtype ? se->e->dtype : 0))
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': slice %s of variable '%s' has another element type",
                            c->index_path, box_str(bs, sizeof bs, box), mo_quote(q, key));
    struct mo_shape want = box_shape(box, full);
    return entry_tensor(c, key, se->e, &want, out, err);
}

/* The full shape and element size of sliced entry e. */
static enum mo_status sliced_shape(struct mo_tf_ckpt *c, const char *key, const MoTf__BundleEntryProto *e,
                                   struct mo_shape *full, struct mo_error *err)
{
    char q[MO_QUOTE_SIZE];
    struct mo_tf_loader L = {NULL, c->index_path, NULL, 0, true, NULL};
    enum mo_status st = mo_tf_shape(&L, e->shape, "a variable's shape", full, err);
    if (st != MO_OK)
        return st;
    if (full->rank < 1)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': partitioned variable '%s' has no rank", c->index_path,
                            mo_quote(q, key));
    for (int d = 0; d < full->rank; d++)
        if (full->dims[d] < 0 || full->dims[d] > (int64_t)1 << 40)
            return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': variable '%s' has an impossible dim", c->index_path,
                                mo_quote(q, key));
    return MO_OK;
}

static bool boxes_meet(const struct slice_box *a, const struct slice_box *b, const struct mo_shape *full)
{
    for (int d = 0; d < a->rank; d++) {
        int64_t a0 = a->start[d], a1 = a->len[d] < 0 ? full->dims[d] : a0 + a->len[d];
        int64_t b0 = b->start[d], b1 = b->len[d] < 0 ? full->dims[d] : b0 + b->len[d];
        if (a1 <= b0 || b1 <= a0)
            return false;
    }
    return true;
}

/* A partitioned variable whole: its slices copied into place (one slice
 * covering it all is borrowed as it is).  The slices must tile the shape:
 * none overlaps another and together they hold every element. */
static enum mo_status assemble(struct mo_tf_ckpt *c, const char *key, const MoTf__BundleEntryProto *e,
                               struct mo_tensor **out, struct mo_error *err)
{
    char q[MO_QUOTE_SIZE], qt[16];
    *out = NULL;
    struct mo_shape full;
    enum mo_status st = sliced_shape(c, key, e, &full, err);
    if (st != MO_OK)
        return st;
    int dt = e->has_dtype ? (int)e->dtype : 0;
    enum mo_etype et = mo_tf_etype(dt);
    unsigned bits = et == MO_ET_UNDEFINED ? 0 : mo_etype_bits(et);
    if (!bits || bits % 8)
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 10, "'%s': partitioned variable '%s' has element type %s, "
                            "which mo does not assemble", c->index_path, mo_quote(q, key), mo_tf_dtype_name(dt, qt));
    size_t esz = bits / 8, ns = e->n_slices;
    struct slice_box *boxes = calloc(ns, sizeof *boxes);
    struct mo_tensor **parts = calloc(ns, sizeof *parts);
    if (!boxes || !parts) {
        free(boxes);
        free(parts);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    uint64_t covered = 0, total = 1;
    for (int d = 0; d < full.rank; d++)
        total *= (uint64_t)full.dims[d];
    for (size_t i = 0; i < ns && st == MO_OK; i++) {
        st = slice_tensor(c, key, e, &full, i, &boxes[i], &parts[i], err);
        if (st != MO_OK)
            break;
        uint64_t n = 1;
        for (int d = 0; d < full.rank; d++)
            n *= (uint64_t)parts[i]->shape.dims[d];
        covered += n;
        for (size_t j = 0; j < i && st == MO_OK; j++)
            if (boxes_meet(&boxes[i], &boxes[j], &full))
                st = mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': two slices of variable '%s' overlap",
                                  c->index_path, mo_quote(q, key));
    }
    if (st == MO_OK && covered != total)
        st = mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': the slices of variable '%s' hold %" PRIu64 " of its %" PRIu64
                          " elements", c->index_path, mo_quote(q, key), covered, total);
    if (st == MO_OK && ns == 1) {
        *out = parts[0];
        parts[0] = NULL;
    } else if (st == MO_OK) {
        struct mo_tensor *t = mo_tensor_new(et, &full, err);
        if (!t)
            st = err && err->code ? err->code : MO_ERR_NOMEM;
        /* each slice is copied a row (its last dim's run) at a time */
        for (size_t i = 0; t && i < ns; i++) {
            const struct mo_tensor *p = parts[i];
            const struct slice_box *b = &boxes[i];
            int r = full.rank;
            size_t run = (size_t)p->shape.dims[r - 1] * esz, rows = run ? p->nbytes / run : 0;
            int64_t idx[MO_MAX_RANK] = {0};
            for (size_t row = 0; row < rows; row++) {
                size_t off = 0;
                for (int d = 0; d < r; d++)
                    off = off * (size_t)full.dims[d] + (size_t)(b->start[d] + (d < r - 1 ? idx[d] : 0));
                memcpy((unsigned char *)t->owned + off * esz, (const unsigned char *)p->data + row * run, run);
                for (int d = r - 2; d >= 0; d--) {
                    if (++idx[d] < p->shape.dims[d])
                        break;
                    idx[d] = 0;
                }
            }
        }
        *out = t;
    }
    for (size_t i = 0; i < ns; i++)
        mo_tensor_unref(parts[i]);
    free(parts);
    free(boxes);
    return st;
}

/* A part NAME/part_K of a partitioned variable NAME, as the graph reads it:
 * its K-th slice in the order of their starts (the partitioner's order),
 * borrowed from the shard.  Otherwise key is missing. */
static enum mo_status part_tensor(struct mo_tf_ckpt *c, const char *key, struct mo_tensor **out,
                                  struct mo_error *err)
{
    char q[MO_QUOTE_SIZE];
    const char *p = strrchr(key, '/');
    char *end = NULL;
    unsigned long k = 0;
    if (p && !strncmp(p, "/part_", 6) && p[6] >= '0' && p[6] <= '9')
        k = strtoul(p + 6, &end, 10);
    if (end && !*end) {
        char *name = strndup(key, (size_t)(p - key));
        if (!name)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        const struct ckpt_entry *ce = find(c, name);
        enum mo_status st = MO_OK;
        if (ce && ce->e->n_slices) {
            struct mo_shape full;
            st = sliced_shape(c, name, ce->e, &full, err);
            /* the slice whose start comes k-th */
            size_t pick = SIZE_MAX, ns = ce->e->n_slices;
            struct slice_box bi, bj;
            for (size_t i = 0; st == MO_OK && i < ns && pick == SIZE_MAX; i++) {
                if (!slice_of(ce->e, i, &full, &bi))
                    continue;
                size_t before = 0;
                for (size_t j = 0; j < ns; j++)
                    if (j != i && slice_of(ce->e, j, &full, &bj)) {
                        int d = 0;
                        while (d < full.rank && bj.start[d] == bi.start[d])
                            d++;
                        before += d < full.rank && bj.start[d] < bi.start[d];
                    }
                if (before == k)
                    pick = i;
            }
            if (st == MO_OK && pick == SIZE_MAX)
                st = mo_error_set(err, MO_ERR_FORMAT, 2, "checkpoint '%s' has no part %lu of partitioned variable "
                                  "'%s' (%zu slices)", c->prefix, k, mo_quote(q, name), ns);
            if (st == MO_OK)
                st = slice_tensor(c, name, ce->e, &full, pick, &bi, out, err);
            free(name);
            return st;
        }
        free(name);
    }
    return mo_error_set(err, MO_ERR_FORMAT, 2, "checkpoint '%s' has no variable '%s' (%zu variables in '%s')",
                        c->prefix, mo_quote(q, key), c->n, c->index_path);
}

enum mo_status mo_tf_ckpt_tensor(struct mo_tf_ckpt *c, const char *key, struct mo_tensor **out,
                                 struct mo_error *err)
{
    *out = NULL;
    const struct ckpt_entry *ce = find(c, key);
    /* a TF2 variable: its name through the object graph */
    if (!ce && !c->aliases_read) {
        enum mo_status ast = read_aliases(c, err);
        if (ast != MO_OK)
            return ast;
    }
    for (size_t i = 0; !ce && i < c->n_alias; i++)
        if (!strcmp(c->alias[2 * i], key))
            ce = find(c, c->alias[2 * i + 1]);
    if (!ce)
        return part_tensor(c, key, out, err);
    if (ce->e->n_slices)
        return assemble(c, key, ce->e, out, err);
    return entry_tensor(c, key, ce->e, NULL, out, err);
}
