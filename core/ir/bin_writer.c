/* bin_writer.c - streams constants to the .bin, storing each distinct byte
 * run once (open-addressing table keyed by an FNV-1a hash of the bytes). */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bin_writer.h"

struct slot {
    uint64_t hash;
    const void *data;   /* bytes of the first tensor stored with this content */
    size_t size, offset;
    bool used;
};

struct mo_bin_writer {
    FILE *f;
    struct slot *tab;
    size_t cap, n;
    size_t size, saved;
};

struct mo_bin_writer *mo_bin_writer_new(FILE *f)
{
    struct mo_bin_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->f = f;
    w->cap = 256;
    w->tab = calloc(w->cap, sizeof *w->tab);
    if (!w->tab) {
        free(w);
        return NULL;
    }
    return w;
}

void mo_bin_writer_free(struct mo_bin_writer *w)
{
    if (!w)
        return;
    free(w->tab);
    free(w);
}

static uint64_t fnv1a(const unsigned char *p, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* The hash only picks candidates: equal hashes are confirmed with memcmp,
 * so it may skip bytes.  Hashing every byte of a large model's weights cost
 * more than all the rest of a conversion; small runs are hashed whole, large
 * ones by their size, both ends and 64 bytes of every 4 KiB page. */
static uint64_t content_hash(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)n;
    if (n <= 16384)
        return fnv1a(p, n, h);
    h = fnv1a(p, 4096, h);
    for (size_t off = 4096; off + 64 <= n - 4096; off += 4096)
        h = fnv1a(p + off, 64, h);
    return fnv1a(p + n - 4096, 4096, h);
}

static bool grow(struct mo_bin_writer *w)
{
    size_t cap = w->cap * 2;
    struct slot *t = calloc(cap, sizeof *t);
    if (!t)
        return false;
    for (size_t i = 0; i < w->cap; i++) {
        if (!w->tab[i].used)
            continue;
        size_t j = w->tab[i].hash & (cap - 1);
        while (t[j].used)
            j = (j + 1) & (cap - 1);
        t[j] = w->tab[i];
    }
    free(w->tab);
    w->tab = t;
    w->cap = cap;
    return true;
}

enum mo_status mo_bin_put(struct mo_bin_writer *w, const struct mo_tensor *t, size_t *offset,
                          struct mo_error *err)
{
    uint64_t h = content_hash(t->data, t->nbytes);
    size_t j = h & (w->cap - 1);
    while (w->tab[j].used) {
        struct slot *s = &w->tab[j];
        if (s->hash == h && s->size == t->nbytes && !memcmp(s->data, t->data, t->nbytes)) {
            *offset = s->offset;
            w->saved += t->nbytes;
            return MO_OK;
        }
        j = (j + 1) & (w->cap - 1);
    }
    if (t->nbytes && fwrite(t->data, 1, t->nbytes, w->f) != t->nbytes)
        return mo_error_set(err, MO_ERR_IO, 9, "cannot write the .bin file: %s", strerror(errno));
    /* streamed out: mapped weights need not stay resident */
    mo_tensor_drop_pages(t);
    struct slot *s = &w->tab[j];
    s->used = true;
    s->hash = h;
    s->data = t->data;
    s->size = t->nbytes;
    s->offset = w->size;
    *offset = w->size;
    w->size += t->nbytes;
    if (++w->n * 2 > w->cap && !grow(w))
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    return MO_OK;
}

size_t mo_bin_size(const struct mo_bin_writer *w) { return w->size; }
size_t mo_bin_saved(const struct mo_bin_writer *w) { return w->saved; }
