/* npz.c - fuzz harness: .npz archives (core/npz.c), the zip container and
 * the .npy arrays in it.  Input: the archive's bytes, read from memory;
 * every array read is walked element by element so a size the reader got
 * wrong shows as an out-of-bounds read. */
#include <config.h>

#include "fuzz.h"
#include "npz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mo_npz *z = NULL;
    struct mo_error err = {0};
    if (mo_npz_read_mem("fuzz.npz", data, size, &z, &err) != MO_OK)
        return 0;
    volatile double sink = 0;
    for (unsigned i = 0; i < z->n; i++) {
        const struct mo_npy *a = &z->v[i];
        for (size_t k = 0; k < a->count; k++)
            sink += mo_npy_get(a, k);
        (void)mo_npz_find(z, a->name);
    }
    (void)sink;
    mo_npz_free(z);
    return 0;
}
