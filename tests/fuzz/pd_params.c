/* pd_params.c - fuzz harness: Paddle's combined parameter file, .pdiparams
 * (plugins/paddle/params.c).  Input: one byte, then the file.  The low six
 * bits of the first byte are how many persistable variables the "program"
 * declares (0 to 63; names p00, p01... in the sorted order Paddle writes);
 * bit 6 declares each as f32 instead of taking the file's type, bit 7 as
 * of shape [4] instead of the file's, so the checks of a declaration
 * against the file are reached as well.  Tensors read are
 * touched end to end to catch a borrowed range outside the map. */
#include <config.h>

#include <stdio.h>

#include <mo/mo.h>

#include "fuzz.h"
#include "../../plugins/paddle/pd_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t n = data[0] & 0x3f;
    bool typed = data[0] & 0x40, shaped = data[0] & 0x80;
    struct mo_fuzz_file f;
    if (mo_fuzz_file_open(&f, data + 1, size - 1) != 0)
        return 0;
    char names[64][4];
    struct mo_pd_param prm[64];
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "p%02zu", i);
        prm[i] = (struct mo_pd_param){names[i], typed ? MO_ET_F32 : MO_ET_UNDEFINED,
                                      shaped ? mo_shape_of(4) : mo_shape_unknown(), NULL};
    }
    struct mo_error err = {0};
    if (mo_pd_read_params("fuzz.pdmodel", f.path, prm, n, &err) == MO_OK) {
        volatile unsigned sum = 0;
        for (size_t i = 0; i < n; i++) {
            const unsigned char *b = prm[i].t->data;
            for (size_t k = 0; k < prm[i].t->nbytes; k++)
                sum += b[k];
            mo_tensor_unref(prm[i].t);
        }
        (void)sum;
    }
    mo_fuzz_file_close(&f);
    return 0;
}
