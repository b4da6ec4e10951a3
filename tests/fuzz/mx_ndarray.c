/* mx_ndarray.c - fuzz harness: MXNet's NDArray container, .params / .nd
 * (plugins/mxnet/ndarray.c).  Input: the container's bytes.  Every tensor
 * read is looked up by name and touched end to end, so a borrowed range
 * that lies outside the mapped file shows up as an ASan report. */
#include <config.h>

#include <mo/mo.h>

#include "fuzz.h"
#include "../../plugins/mxnet/mx_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mo_fuzz_file f;
    if (mo_fuzz_file_open(&f, data, size) != 0)
        return 0;
    struct mo_mx_params p = {0};
    struct mo_error err = {0};
    if (mo_mx_params_load(&p, f.path, MO_MX_PARAM_PLAIN, &err) == MO_OK) {
        volatile unsigned sum = 0;
        for (size_t i = 0; i < p.n; i++) {
            const struct mo_mx_param *q = mo_mx_params_find(&p, p.v[i].name);
            if (!q || !q->t)
                continue;
            const unsigned char *b = q->t->data;
            for (size_t k = 0; k < q->t->nbytes; k++)
                sum += b[k];
        }
        (void)sum;
    }
    mo_mx_params_clear(&p);
    mo_fuzz_file_close(&f);
    return 0;
}
