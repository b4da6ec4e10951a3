/* onnx_model.c - fuzz harness: the ONNX loader (plugins/onnx/model.c and
 * tensor.c: the raw_data stripping, the unpacked ModelProto, Constant
 * nodes, typed tensor fields, external data descriptors).
 * Input: the bytes of a .onnx file, given to mo_ox_load_file as an
 * in-memory file (an exact-size heap copy, so a read past its end is an
 * ASan report).  The folder for external data is one that does not exist:
 * locations are parsed and checked against escaping it, and opening them
 * then fails, so the harness touches no file.
 * A load that succeeds must hold up: every Const has the byte size of its
 * type and shape (counted in 128 bits: a wrapped count once gave a huge
 * shape no bytes), and one borrowed from the model lies inside it. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "fuzz.h"
#include "../../plugins/onnx/ox_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    void *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);
    struct mo_file *f = mo_file_from_heap(copy, size, "fuzz.onnx");
    if (!f) {
        free(copy);
        return 0;
    }
    struct mo_graph *fw = mo_graph_new(NULL);
    struct mo_error err = {0};
    if (fw && mo_ox_load_file(NULL, f, "/nonexistent-mo-fuzz", fw, &err) == MO_OK)
        mo_fuzz_check_consts(fw, f);
    mo_graph_free(fw);
    mo_file_unref(f);
    return 0;
}
