/* caffe_model.c - fuzz harness: the Caffe reader (plugins/caffe/net.c:
 * the prototxt through pb_text, the caffemodel's data stripping and
 * markers, blob shapes in both forms, float and double data, inputs in
 * every form, V1 layer types, parameters turned into attributes).
 * Input: the prototxt text, MO_FUZZ_SEP, the bytes of a caffemodel (no
 * separator: a prototxt alone, no caffemodel).  Each part is an
 * exact-size heap copy, so a read past its end is an ASan report.
 * A load that succeeds must hold up: every Const has the byte size of its
 * type and shape, and one borrowed from the caffemodel lies inside it. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "fuzz.h"
#include "../../plugins/caffe/caffe.h"

static struct mo_file *part(const uint8_t *data, size_t n, const char *name)
{
    void *copy = malloc(n ? n : 1);
    if (!copy)
        return NULL;
    if (n)
        memcpy(copy, data, n);
    struct mo_file *f = mo_file_from_heap(copy, n, name);
    if (!f)
        free(copy);
    return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *a, *b;
    size_t alen, blen;
    mo_fuzz_split(data, size, &a, &alen, &b, &blen);
    struct mo_file *proto = part(a, alen, "fuzz.prototxt");
    struct mo_file *model = b ? part(b, blen, "fuzz.caffemodel") : NULL;
    if (proto && (model || !b)) {
        struct mo_graph *fw = mo_graph_new(NULL);
        struct mo_error err = {0};
        if (fw && mo_cf_load(NULL, proto, model, fw, &err) == MO_OK)
            mo_fuzz_check_consts(fw, model);
        mo_graph_free(fw);
    }
    mo_file_unref(model);
    mo_file_unref(proto);
    return 0;
}
