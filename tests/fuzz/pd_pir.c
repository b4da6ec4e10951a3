/* pd_pir.c - fuzz harness: Paddle 3 PIR program JSON, model.json
 * (plugins/paddle/pir.c, which reads its weights through params.c).
 * Input: the PIR JSON text, optionally followed by MO_FUZZ_SEP and the
 * combined .pdiparams; without one the parameter file is empty, which is
 * right for a program without persistable variables. */
#include <config.h>

#include <mo/mo.h>

#include "fuzz.h"
#include "../../plugins/paddle/pd_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *prog, *par;
    size_t nprog, npar;
    mo_fuzz_split(data, size, &prog, &nprog, &par, &npar);
    struct mo_fuzz_file fprog, fpar = {-1, ""};
    if (mo_fuzz_file_open(&fprog, prog, nprog) != 0)
        return 0;
    if (mo_fuzz_file_open(&fpar, par, npar) == 0) {
        /* a framework graph needs no context (the readers never look one up),
         * and making one per input would cost more than most reads */
        struct mo_graph *fw = mo_graph_new(NULL);
        struct mo_error err = {0};
        if (fw)
            mo_pd_pir_load(fprog.path, fpar.path, fw, &err);
        mo_graph_free(fw);
    }
    mo_fuzz_file_close(&fpar);
    mo_fuzz_file_close(&fprog);
    return 0;
}
