/* fuzz_util.c - in-memory files and input splitting for the harnesses (fuzz.h). */
#define _GNU_SOURCE 1
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mo/mo.h>

#include "context_private.h"
#include "fuzz.h"

void mo_fuzz_split(const uint8_t *data, size_t size, const uint8_t **a, size_t *alen,
                   const uint8_t **b, size_t *blen)
{
    const size_t sl = sizeof MO_FUZZ_SEP - 1;
    const uint8_t *sep = size >= sl ? memmem(data, size, MO_FUZZ_SEP, sl) : NULL;
    *a = data;
    *alen = sep ? (size_t)(sep - data) : size;
    *b = sep ? sep + sl : NULL;
    *blen = sep ? size - *alen - sl : 0;
}

int mo_fuzz_file_open(struct mo_fuzz_file *f, const uint8_t *data, size_t size)
{
    f->path[0] = 0;
    f->fd = memfd_create("mo-fuzz", MFD_CLOEXEC);
    if (f->fd < 0)
        return -1;
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(f->fd, data + off, size - off);
        if (w <= 0) {
            mo_fuzz_file_close(f);
            return -1;
        }
        off += (size_t)w;
    }
    snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
    return 0;
}

void mo_fuzz_file_close(struct mo_fuzz_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

void mo_fuzz_read_pair(const uint8_t *data, size_t size, mo_fuzz_pair_reader read)
{
    const uint8_t *prog, *par;
    size_t nprog, npar;
    mo_fuzz_split(data, size, &prog, &nprog, &par, &npar);
    struct mo_fuzz_file fprog, fpar = {-1, ""};
    if (mo_fuzz_file_open(&fprog, prog, nprog) != 0)
        return;
    if (mo_fuzz_file_open(&fpar, par, npar) == 0) {
        /* a framework graph needs no context (the readers never look one up),
         * and making one per input would cost more than most reads */
        struct mo_graph *fw = mo_graph_new(NULL);
        struct mo_error err = {0};
        if (fw)
            read(fprog.path, fpar.path, fw, &err);
        mo_graph_free(fw);
    }
    mo_fuzz_file_close(&fpar);
    mo_fuzz_file_close(&fprog);
}

static enum mo_status no_load(struct mo_context *ctx, const struct mo_options *opts, struct mo_graph *fw,
                              struct mo_error *err)
{
    (void)ctx;
    (void)opts;
    (void)fw;
    return mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "the fuzz frontend loads nothing");
}

static const struct mo_frontend fuzz_fe = {sizeof(struct mo_frontend), "fuzz", "stands in for a frontend",
                                           NULL, no_load};

enum mo_status mo_fuzz_add_frontend(struct mo_context *ctx, struct mo_error *err)
{
    /* the plugin context only says whom registrations are charged to */
    struct mo_plugin_ctx pc = {ctx, NULL};
    return mo_register_frontend(&pc, &fuzz_fe, err);
}

void mo_fuzz_check_consts(const struct mo_graph *fw, const struct mo_file *f)
{
    size_t size = f ? mo_file_size(f) : 0;
    for (unsigned i = 0; i < mo_graph_n_nodes(fw); i++) {
        const struct mo_tensor *t = mo_graph_node(fw, i)->value;
        if (!t)
            continue;
        unsigned __int128 bits = (unsigned __int128)mo_etype_bits(t->et);
        for (int d = 0; d < t->shape.rank; d++)
            bits *= (unsigned __int128)t->shape.dims[d];
        if (t->nbytes != (size_t)((bits + 7) / 8) || (bits + 7) / 8 > SIZE_MAX)
            abort();
        if (f && t->file == f) {
            const unsigned char *p = t->data, *base = mo_file_data(f);
            if (p < base || t->nbytes > size || (size_t)(p - base) > size - t->nbytes)
                abort();
        }
    }
}
