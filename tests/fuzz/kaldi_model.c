/* kaldi_model.c - fuzz harness: Kaldi models, binary and text (plugins/kaldi
 * kio.c, model.c).  Input: a model file's bytes.  The whole reader runs,
 * nnet1, nnet3 and .mdl, with --remove_output_softmax; every tensor a node
 * keeps is touched end to end, so a borrowed range outside the input shows
 * up as an ASan report. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "fuzz.h"
#include "../../plugins/kaldi/kaldi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    void *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    struct mo_file *f = mo_file_from_heap(copy, size, "fuzz.nnet");
    struct mo_graph *fw = f ? mo_graph_new(NULL) : NULL;
    if (!fw) {
        mo_file_unref(f);
        return 0;
    }
    struct mo_kaldi_opts o = {.remove_output_softmax = size & 1};
    struct mo_error err = {0};
    if (mo_kaldi_read(f, &o, fw, NULL, &err) == MO_OK) {
        volatile unsigned sum = 0;
        for (unsigned i = 0; i < mo_graph_n_nodes(fw); i++) {
            const struct mo_node *n = mo_graph_node(fw, i);
            for (unsigned a = 0; a < n->n_attrs; a++) {
                if (n->attrs[a].kind != MO_ATTR_TENSOR || !n->attrs[a].u.t->data)
                    continue;
                const unsigned char *b = n->attrs[a].u.t->data;
                for (size_t k = 0; k < n->attrs[a].u.t->nbytes; k++)
                    sum += b[k];
            }
        }
        (void)sum;
    }
    mo_graph_free(fw);
    mo_file_unref(f);
    return 0;
}
