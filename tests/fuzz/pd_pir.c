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
    mo_fuzz_read_pair(data, size, mo_pd_pir_load);
    return 0;
}
