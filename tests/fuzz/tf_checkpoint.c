/* tf_checkpoint.c - fuzz harness: the TensorFlow V2 checkpoint reader
 * (plugins/tensorflow/checkpoint.c: the table footer, block trailers and
 * CRCs, prefix-compressed entries, BundleEntryProto values, the TF2 object
 * graph's string tensor, tensors borrowed from a shard).
 * Input: the .index bytes, the separator line of fuzz.h, then the bytes of
 * shard 0 (both exact-size heap copies, so a read past either end is an
 * ASan report).  Every key is taken as a tensor (a partitioned one
 * assembled from its slices), so are KEY/part_K (one slice), and a lookup
 * of a name that is no key goes through the object graph.
 * A tensor taken must hold up: its byte size is its type and shape's, and
 * its bytes lie inside the shard. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "fuzz.h"
#include "../../plugins/tensorflow/checkpoint.h"

static struct mo_file *heap_file(const uint8_t *data, size_t size, const char *name)
{
    void *copy = malloc(size ? size : 1);
    if (!copy)
        return NULL;
    if (size)
        memcpy(copy, data, size);
    struct mo_file *f = mo_file_from_heap(copy, size, name);
    if (!f)
        free(copy);
    return f;
}

static void check(const struct mo_tensor *t, const struct mo_file *shard)
{
    unsigned __int128 bits = (unsigned __int128)mo_etype_bits(t->et);
    for (int d = 0; d < t->shape.rank; d++)
        bits *= (unsigned __int128)t->shape.dims[d];
    if (t->nbytes != (size_t)((bits + 7) / 8))
        abort();
    if (t->file) {
        const unsigned char *p = t->data, *base = mo_file_data(shard);
        size_t size = mo_file_size(shard);
        if (t->file != shard || p < base || t->nbytes > size || (size_t)(p - base) > size - t->nbytes)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *a, *b;
    size_t alen, blen;
    mo_fuzz_split(data, size, &a, &alen, &b, &blen);
    struct mo_file *index = heap_file(a, alen, "fuzz.index");
    struct mo_file *shard = heap_file(b ? b : (const uint8_t *)"", blen, "fuzz.data-00000-of-00001");
    struct mo_tf_ckpt *c = NULL;
    struct mo_error err = {0};
    /* the prefix names no file: shards past 0 fail to open, as missing */
    if (index && shard && mo_tf_ckpt_open_index(index, "/nonexistent/mo-fuzz", &c, &err) == MO_OK) {
        mo_tf_ckpt_set_shard(c, 0, shard);
        for (size_t i = 0; i < mo_tf_ckpt_count(c) && i < 256; i++) {
            struct mo_tensor *t = NULL;
            if (mo_tf_ckpt_tensor(c, mo_tf_ckpt_key(c, i), &t, &err) == MO_OK) {
                check(t, shard);
                mo_tensor_unref(t);
            }
        }
        /* the parts of a partitioned variable, as its graph names them */
        for (size_t i = 0; i < mo_tf_ckpt_count(c) && i < 16; i++)
            for (int k = 0; k < 3; k++) {
                char name[300];
                struct mo_tensor *t = NULL;
                snprintf(name, sizeof name, "%.280s/part_%d", mo_tf_ckpt_key(c, i), k);
                if (mo_tf_ckpt_tensor(c, name, &t, &err) == MO_OK) {
                    check(t, shard);
                    mo_tensor_unref(t);
                }
            }
        struct mo_tensor *t = NULL;
        if (mo_tf_ckpt_tensor(c, "sequential/dense/kernel", &t, &err) == MO_OK) {
            check(t, shard);
            mo_tensor_unref(t);
        }
        mo_tf_ckpt_close(c);
    }
    mo_file_unref(index);
    mo_file_unref(shard);
    return 0;
}
