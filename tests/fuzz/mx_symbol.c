/* mx_symbol.c - fuzz harness: MXNet symbol JSON (plugins/mxnet/symbol.c).
 *
 * Input: the -symbol.json text, optionally followed by MO_FUZZ_SEP and a
 * .params container whose arrays become the weights (so that the paths
 * taken when a weight is present are reached too).  The params are read
 * with the real container reader; when they do not parse, the symbol is
 * read with no weights. */
#include <config.h>

#include <mo/mo.h>

#include "fuzz.h"
#include "../../plugins/mxnet/mx_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *sym, *par;
    size_t nsym, npar;
    mo_fuzz_split(data, size, &sym, &nsym, &par, &npar);
    struct mo_fuzz_file fs, fp = {-1, ""};
    if (mo_fuzz_file_open(&fs, sym, nsym) != 0)
        return 0;
    struct mo_mx_params params = {0};
    struct mo_error err = {0};
    if (par && mo_fuzz_file_open(&fp, par, npar) == 0 &&
        mo_mx_params_load(&params, fp.path, MO_MX_PARAM_PLAIN, &err) != MO_OK)
        mo_mx_params_clear(&params);
    /* a framework graph needs no context (the readers never look one up),
     * and making one per input would cost more than most reads */
    struct mo_graph *fw = mo_graph_new(NULL);
    if (fw) {
        err = (struct mo_error){0};
        mo_mx_symbol_load(fs.path, &params, "the fuzzed parameters", fw, &err);
    }
    mo_graph_free(fw);
    mo_mx_params_clear(&params);
    mo_fuzz_file_close(&fp);
    mo_fuzz_file_close(&fs);
    return 0;
}
