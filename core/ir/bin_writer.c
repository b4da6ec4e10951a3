/* bin_writer.c - streams constants to the .bin, storing each distinct byte
 * run once.
 *
 * Deduplication must not read every weight twice: only constants of equal
 * size can be equal, so a constant is compared only with earlier ones of
 * its size, first by where its bytes come from (the same range of the same
 * file through the same transforms needs no reading), then by a hash of its
 * first 4 KiB, and only on a hash match byte for byte.  Distinct weights of
 * one size (the repeated blocks of a ResNet) differ in their first page, so
 * the extra reading is a page per constant. */
#define _GNU_SOURCE
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tensor_private.h"
#include "bin_writer.h"

#define CHUNK ((size_t)1 << 20)     /* bytes computed and written at a time */
#define PREFIX 4096                 /* bytes hashed to tell constants apart */

struct entry {
    struct mo_tensor *t;   /* reference held */
    size_t offset;
    uint64_t prefix;       /* hash of the first PREFIX bytes, once has_prefix */
    bool has_prefix;
    long next;             /* next entry of the same size, or -1 */
};

struct slot {              /* size -> first entry of that size */
    size_t size;
    long first;            /* -1: empty */
};

struct mo_bin_writer {
    int fd;
    struct entry *ent;
    size_t n_ent, cap_ent;
    struct slot *tab;
    size_t cap;            /* power of two */
    size_t size, saved;
    unsigned char *buf, *cmp;   /* CHUNK bytes each, allocated on first use */
};

struct mo_bin_writer *mo_bin_writer_new(int fd)
{
    struct mo_bin_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->fd = fd;
    w->cap = 256;
    w->tab = malloc(w->cap * sizeof *w->tab);
    if (!w->tab) {
        free(w);
        return NULL;
    }
    for (size_t i = 0; i < w->cap; i++)
        w->tab[i].first = -1;
    return w;
}

void mo_bin_writer_free(struct mo_bin_writer *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n_ent; i++)
        mo_tensor_unref(w->ent[i].t);
    free(w->ent);
    free(w->tab);
    free(w->buf);
    free(w->cmp);
    free(w);
}

static size_t slot_of(const struct mo_bin_writer *w, size_t size)
{
    size_t j = (size * 0x9e3779b97f4a7c15ull) >> 20 & (w->cap - 1);
    while (w->tab[j].first >= 0 && w->tab[j].size != size)
        j = (j + 1) & (w->cap - 1);
    return j;
}

static bool grow(struct mo_bin_writer *w)
{
    struct slot *old = w->tab;
    size_t oc = w->cap;
    w->cap *= 2;
    w->tab = malloc(w->cap * sizeof *w->tab);
    if (!w->tab) {
        w->tab = old;
        w->cap = oc;
        return false;
    }
    for (size_t i = 0; i < w->cap; i++)
        w->tab[i].first = -1;
    for (size_t i = 0; i < oc; i++)
        if (old[i].first >= 0)
            w->tab[slot_of(w, old[i].size)] = old[i];
    free(old);
    return true;
}

static bool buffers(struct mo_bin_writer *w)
{
    if (!w->buf)
        w->buf = malloc(CHUNK);
    if (!w->cmp)
        w->cmp = malloc(CHUNK);
    return w->buf && w->cmp;
}

/* Elements per CHUNK bytes (a multiple of 8, so u1 ranges stay whole bytes). */
static int64_t chunk_elems(const struct mo_tensor *t)
{
    unsigned bits = mo_etype_bits(t->et);
    return (int64_t)(CHUNK * 8 / (bits ? bits : 8)) & ~(int64_t)7;
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull ^ n;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static enum mo_status prefix_hash(struct mo_bin_writer *w, struct entry *e, struct mo_error *err)
{
    if (e->has_prefix)
        return MO_OK;
    const struct mo_tensor *t = e->t;
    unsigned bits = mo_etype_bits(t->et);
    int64_t total = mo_tensor_numel(t);
    int64_t n = (int64_t)PREFIX * 8 / (bits ? bits : 8);
    if (n > total)
        n = total;
    enum mo_status rc = mo_tensor_read(t, 0, n, w->buf, err);
    if (rc != MO_OK)
        return rc;
    e->prefix = fnv1a(w->buf, ((size_t)n * bits + 7) / 8);
    e->has_prefix = true;
    return MO_OK;
}

/* Do a and b hold the same bytes?  Read side by side, a chunk at a time. */
static enum mo_status same_bytes(struct mo_bin_writer *w, const struct mo_tensor *a,
                                 const struct mo_tensor *b, bool *same, struct mo_error *err)
{
    int64_t total = mo_tensor_numel(a), step = chunk_elems(a);
    unsigned bits = mo_etype_bits(a->et);
    *same = true;
    for (int64_t e = 0; e < total && *same; e += step) {
        int64_t m = total - e < step ? total - e : step;
        enum mo_status rc = mo_tensor_read(a, e, m, w->buf, err);
        if (rc == MO_OK)
            rc = mo_tensor_read(b, e, m, w->cmp, err);
        if (rc != MO_OK)
            return rc;
        *same = !memcmp(w->buf, w->cmp, ((size_t)m * bits + 7) / 8);
        mo_tensor_drop_range(a, e, m);
        mo_tensor_drop_range(b, e, m);
    }
    return MO_OK;
}

static enum mo_status write_all(struct mo_bin_writer *w, const void *p, size_t n, struct mo_error *err)
{
    const unsigned char *c = p;
    while (n) {
        ssize_t k = write(w->fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return mo_error_set(err, MO_ERR_IO, 9, "cannot write the .bin file: %s",
                                k < 0 ? strerror(errno) : "nothing written");
        c += k;
        n -= (size_t)k;
    }
    return MO_OK;
}

/* Borrowed bytes of a mapped file: the kernel copies file to file, and
 * nothing passes through (or stays in) this process's memory.  *done gets
 * how many bytes went; 0 with MO_OK means "not possible here, copy by hand". */
static enum mo_status copy_range(struct mo_bin_writer *w, const struct mo_tensor *t, size_t *done,
                                 struct mo_error *err)
{
    *done = 0;
    int in = mo_file_fd(t->file);
    if (in < 0 || !t->nbytes)
        return MO_OK;
    loff_t off = (loff_t)((const unsigned char *)t->data - mo_file_data(t->file));
    while (*done < t->nbytes) {
        ssize_t k = copy_file_range(in, &off, w->fd, NULL, t->nbytes - *done, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && *done == 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP ||
                                    errno == EINVAL || errno == EBADF || errno == EPERM))
            return MO_OK;
        if (k < 0)
            return mo_error_set(err, MO_ERR_IO, 9, "cannot write the .bin file: %s", strerror(errno));
        if (k == 0)
            return mo_error_set(err, MO_ERR_IO, 9, "cannot write the .bin file: '%s' ended early",
                                mo_file_path(t->file));
        *done += (size_t)k;
    }
    return MO_OK;
}

/* Give back the resident pages of the model file t's bytes come from.
 * Reading a tensor through the map (a transpose, a comparison, a prefix
 * hash) makes the kernel map the pages around it as well, other tensors'
 * included (readahead, large folios), which no range drop reaches: a TF
 * ResNet50 had 35 MB of its file resident while written.  After every
 * tensor read through the map, then, the whole map: on a map with few
 * pages in it, cheap. */
static void give_back(const struct mo_tensor *t)
{
    while (t && t->src && t->op->kind != MO_LAZY_STACK)
        t = t->src;
    if (t && t->src)
        mo_tensor_drop_pages(t);  /* a stack's parts, each its own range */
    else if (t && t->file)
        mo_file_drop_pages(t->file);
}

static enum mo_status stream(struct mo_bin_writer *w, const struct mo_tensor *t, struct mo_error *err)
{
    enum mo_status rc = MO_OK;
    if (!t->src) {
        size_t done = 0;
        if (t->file)
            rc = copy_range(w, t, &done, err);
        /* in memory, or a file system that cannot copy_file_range: write
         * from the bytes, giving mapped pages back as they pass */
        for (size_t off = done, prev = done; rc == MO_OK && off < t->nbytes; prev = off, off += CHUNK) {
            size_t m = t->nbytes - off < CHUNK ? t->nbytes - off : CHUNK;
            rc = write_all(w, (const unsigned char *)t->data + off, m, err);
            unsigned esz = mo_etype_bits(t->et) / 8;
            if (esz)
                mo_tensor_drop_range(t, (int64_t)(prev / esz), (int64_t)((off + m - prev) / esz));
        }
        /* bytes copied by copy_file_range never entered the map */
        if (done < t->nbytes)
            give_back(t);
        return rc;
    }
    int64_t total = mo_tensor_numel(t), step = chunk_elems(t);
    unsigned bits = mo_etype_bits(t->et);
    for (int64_t e = 0, prev = 0; rc == MO_OK && e < total; prev = e, e += step) {
        int64_t m = total - e < step ? total - e : step;
        rc = mo_tensor_read(t, e, m, w->buf, err);
        if (rc == MO_OK)
            rc = write_all(w, w->buf, ((size_t)m * bits + 7) / 8, err);
        /* from the previous chunk's start: a page both chunks read goes too */
        mo_tensor_drop_range(t, prev, e + m - prev);
    }
    give_back(t);
    return rc;
}

enum mo_status mo_bin_put(struct mo_bin_writer *w, struct mo_tensor *t, size_t *offset,
                          struct mo_error *err)
{
    if (!buffers(w))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    size_t j = slot_of(w, t->nbytes);
    struct entry self = {.t = t, .next = -1};
    enum mo_status rc = MO_OK;
    bool compared = false;   /* bytes read through the map to compare */
    for (long i = w->tab[j].first; i >= 0 && rc == MO_OK; i = w->ent[i].next) {
        struct entry *c = &w->ent[i];
        bool same = mo_tensor_same_source(c->t, t);
        if (!same) {
            compared = true;
            rc = prefix_hash(w, &self, err);
            if (rc == MO_OK)
                rc = prefix_hash(w, c, err);
            if (rc == MO_OK && self.prefix == c->prefix)
                rc = same_bytes(w, c->t, t, &same, err);
        }
        if (rc == MO_OK && same) {
            *offset = c->offset;
            w->saved += t->nbytes;
            if (compared)
                give_back(t);
            return MO_OK;
        }
    }
    if (compared)
        give_back(t);
    if (rc != MO_OK)
        return rc;
    if (w->n_ent == w->cap_ent) {
        size_t nc = w->cap_ent ? 2 * w->cap_ent : 256;
        struct entry *ne = realloc(w->ent, nc * sizeof *ne);
        if (!ne)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        w->ent = ne;
        w->cap_ent = nc;
    }
    rc = stream(w, t, err);
    if (rc != MO_OK)
        return rc;
    self.t = mo_tensor_ref(t);
    self.offset = w->size;
    self.next = w->tab[j].first;
    w->ent[w->n_ent] = self;
    if (w->tab[j].first < 0)
        w->tab[j].size = t->nbytes;
    w->tab[j].first = (long)w->n_ent++;
    *offset = w->size;
    w->size += t->nbytes;
    if (w->n_ent * 2 > w->cap && !grow(w))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return MO_OK;
}

size_t mo_bin_size(const struct mo_bin_writer *w) { return w->size; }
size_t mo_bin_saved(const struct mo_bin_writer *w) { return w->saved; }
