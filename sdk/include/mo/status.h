/* mo/status.h - status codes and error reports shared by libmo and plugins.
 *
 * Every fallible function returns enum mo_status and, when given a non-NULL
 * struct mo_error, fills it with a one-line message that names the file or
 * node at fault and the fix.  The library never prints errors itself and
 * never exits; the caller decides what to do with the report. */
#ifndef MO_STATUS_H
#define MO_STATUS_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Append-only: plugins compiled against an older SDK see the same numbers. */
enum mo_status {
    MO_OK = 0,
    MO_ERR_NOMEM,       /* allocation failed */
    MO_ERR_IO,          /* a file could not be read or written */
    MO_ERR_FORMAT,      /* an input file is truncated, corrupt or of the wrong kind */
    MO_ERR_INVALID_ARG, /* a bad command-line option or API argument */
    MO_ERR_UNSUPPORTED, /* valid input that mo cannot convert (unknown layer...) */
    MO_ERR_SHAPE,       /* shapes or element types do not fit */
    MO_ERR_PLUGIN,      /* a plugin is broken or incompatible */
    MO_ERR_DECLINED,    /* a translator declines a node; the next one is tried */
    MO_ERR_NOT_FOUND,   /* a named thing (node, option, file) does not exist */
    MO_ERR_INTERNAL,    /* a bug in mo */
    MO_ERR_MISMATCH,    /* --validate: the IR was written but its results differ from the reference */
    MO_STATUS_COUNT
};

#define MO_ERROR_MSG_MAX 1024

struct mo_error {
    enum mo_status code;
    int faq;                       /* entry number in docs/faq.md, 0 if none */
    char msg[MO_ERROR_MSG_MAX];
};

/* Short English name of a status ("I/O error"...).  Static storage. */
const char *mo_status_str(enum mo_status st);

/* Fill err (if non-NULL) with code, FAQ number and a printf-style message,
 * and return code, so that callers can write `return mo_error_set(...)`.
 * An error already set is overwritten. */
enum mo_status mo_error_set(struct mo_error *err, enum mo_status code, int faq,
                            const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
enum mo_status mo_error_vset(struct mo_error *err, enum mo_status code, int faq,
                             const char *fmt, va_list ap);

/* Prefix the message already in err with "prefix: " (context added on the
 * way up, e.g. the file name).  No-op when err is NULL. */
void mo_error_prefix(struct mo_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Text from a model file (a node name, a layer type, an attribute string)
 * made safe for a message: every byte that is not part of a printable,
 * well-formed UTF-8 character (ASCII and C1 controls, invalid, overlong,
 * surrogate or truncated sequences) is written as the four characters
 * \xNN; valid multi-byte characters pass through; backslashes are kept,
 * so escaping escaped text changes nothing.  Writes at most cap - 1
 * characters and a NUL into dst; text that does not fit is cut between two
 * characters (never inside one or inside an escape) and ends in "...".
 * src may hold NULs (escaped like any control byte).  Returns the length
 * written.  Nothing is allocated. */
size_t mo_escape(char *dst, size_t cap, const char *src, size_t len);

/* Size of the buffer mo_quote() fills: 200 bytes of text, "...", NUL. */
#define MO_QUOTE_SIZE 204

/* mo_escape() of the C string s into buf, cut to 200 bytes; returns buf,
 * to be used right in the argument list:
 *     char q[MO_QUOTE_SIZE];
 *     mo_error_set(err, ..., "node '%s' ...", mo_quote(q, node->name));
 * s may be NULL (gives ""). */
const char *mo_quote(char buf[MO_QUOTE_SIZE], const char *s);

#ifdef __cplusplus
}
#endif
#endif
