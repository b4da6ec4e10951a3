/* mapping.c - fuzz harness: CustomLayersMapping.xml (core/mapping.c).
 * Input: the XML text.  A stand-in frontend is registered first, so a file
 * that parses also goes through registering its translators, ops and the
 * unused-entry check, and through rolling them back when one fails. */
#include <config.h>

#include <mo/mo.h>

#include "context_private.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mo_fuzz_file f;
    if (mo_fuzz_file_open(&f, data, size) != 0)
        return 0;
    struct mo_context *ctx = mo_context_new();
    if (ctx) {
        mo_context_set_silent(ctx, true);
        struct mo_error err = {0};
        if (mo_fuzz_add_frontend(ctx, &err) == MO_OK)
            mo_context_load_mapping(ctx, f.path, &err);
    }
    mo_context_free(ctx);
    mo_fuzz_file_close(&f);
    return 0;
}
