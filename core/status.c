/* status.c - status names and error reports. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include <mo/status.h>

static const char *const status_names[] = {
    [MO_OK] = "success",
    [MO_ERR_NOMEM] = "out of memory",
    [MO_ERR_IO] = "I/O error",
    [MO_ERR_FORMAT] = "invalid input file",
    [MO_ERR_INVALID_ARG] = "invalid argument",
    [MO_ERR_UNSUPPORTED] = "unsupported",
    [MO_ERR_SHAPE] = "shape error",
    [MO_ERR_PLUGIN] = "plugin error",
    [MO_ERR_DECLINED] = "declined",
    [MO_ERR_NOT_FOUND] = "not found",
    [MO_ERR_INTERNAL] = "internal error",
    [MO_ERR_MISMATCH] = "results differ from the reference",
};
_Static_assert(sizeof(status_names) / sizeof(status_names[0]) == MO_STATUS_COUNT,
               "every status needs a name");

const char *mo_status_str(enum mo_status st)
{
    if ((unsigned)st >= MO_STATUS_COUNT)
        return "unknown status";
    return status_names[st];
}

enum mo_status mo_error_vset(struct mo_error *err, enum mo_status code, int faq,
                             const char *fmt, va_list ap)
{
    if (err) {
        err->code = code;
        err->faq = faq;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    }
    return code;
}

enum mo_status mo_error_set(struct mo_error *err, enum mo_status code, int faq,
                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mo_error_vset(err, code, faq, fmt, ap);
    va_end(ap);
    return code;
}

void mo_error_prefix(struct mo_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char prefix[512];
    char old[MO_ERROR_MSG_MAX];
    size_t plen;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    plen = strlen(prefix);
    if (plen + 2 >= sizeof err->msg)
        return;
    memcpy(err->msg, prefix, plen);
    memcpy(err->msg + plen, ": ", 2);
    size_t room = sizeof err->msg - plen - 3;
    size_t olen = strnlen(old, room);
    memcpy(err->msg + plen + 2, old, olen);
    err->msg[plen + 2 + olen] = 0;
}
