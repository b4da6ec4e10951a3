/* tf_graph.c - fuzz harness: the TensorFlow GraphDef reader
 * (plugins/tensorflow/graph.c and tensor.c: the tensor_content stripping,
 * the unpacked GraphDef, input references "name:k" and "^name", attribute
 * values, typed tensor fields with their broadcast rule).
 * Input: the bytes of a .pb or .pbtxt, given to mo_tf_load_file as an
 * in-memory file (an exact-size heap copy, so a read past its end is an
 * ASan report), read once as binary and once as text.
 * A load that succeeds must hold up: every Const has the byte size of its
 * type and shape, and one borrowed from the model lies inside it. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "fuzz.h"
#include "../../plugins/tensorflow/tf_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int text = 0; text < 2; text++) {
        void *copy = malloc(size ? size : 1);
        if (!copy)
            return 0;
        if (size)
            memcpy(copy, data, size);
        struct mo_file *f = mo_file_from_heap(copy, size, text ? "fuzz.pbtxt" : "fuzz.pb");
        if (!f) {
            free(copy);
            return 0;
        }
        struct mo_graph *fw = mo_graph_new(NULL);
        struct mo_error err = {0};
        if (fw && mo_tf_load_file(NULL, f, text, fw, &err) == MO_OK)
            mo_fuzz_check_consts(fw, f);
        mo_graph_free(fw);
        mo_file_unref(f);
    }
    return 0;
}
