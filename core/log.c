/* log.c - "[ LEVEL ]  message" lines, filtered by the context's level,
 * escaped so that nothing raw from a model file reaches the terminal. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include <mo/context.h>
#include <mo/log.h>
#include <mo/status.h>

static const char *const level_names[] = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "NOTSET"};
_Static_assert(sizeof(level_names) / sizeof(level_names[0]) == MO_LOG_LEVEL_COUNT, "level names");

int mo_log_level_parse(const char *s)
{
    for (int i = 0; i < MO_LOG_LEVEL_COUNT; i++)
        if (s && !strcasecmp(s, level_names[i]))
            return i;
    return -1;
}

/* Print prefix, the formatted message and a newline to f, the message
 * escaped (mo_escape) whatever its source: a message may quote a name from
 * a damaged model, and no raw byte of it may reach the terminal. */
static void emit(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
    char small[1024], esc_small[4 * sizeof small];
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(small, sizeof small, fmt, aq);
    va_end(aq);
    if (n < 0)
        return;
    size_t len = (size_t)n;
    char *msg = small, *esc = esc_small;
    size_t esc_cap = sizeof esc_small;
    if (len >= sizeof small) {
        msg = malloc(len + 1);
        if (msg) {
            vsnprintf(msg, len + 1, fmt, ap);
        } else { /* out of memory: the message is cut */
            msg = small;
            len = sizeof small - 1;
        }
    }
    if (4 * len + 1 > esc_cap) {
        esc = malloc(4 * len + 1);
        if (esc)
            esc_cap = 4 * len + 1;
        else
            esc = esc_small;
    }
    mo_escape(esc, esc_cap, msg, len);
    fputs(prefix, f);
    fputs(esc, f);
    fputc('\n', f);
    if (msg != small)
        free(msg);
    if (esc != esc_small)
        free(esc);
}

void mo_log(struct mo_context *ctx, enum mo_log_level lvl, const char *fmt, ...)
{
    enum mo_log_level min = ctx ? mo_context_log_level(ctx) : MO_LOG_WARNING;
    if (min == MO_LOG_NOTSET)
        min = MO_LOG_DEBUG;
    /* silent keeps only errors, as the original's --silent */
    if (ctx && mo_context_silent(ctx) && lvl < MO_LOG_ERROR)
        return;
    /* warnings are shown at the default level: a user must see them */
    if (lvl < min && !(lvl == MO_LOG_WARNING && min == MO_LOG_ERROR))
        return;
    char prefix[32];
    snprintf(prefix, sizeof prefix, "[ %s ]  ", level_names[lvl]);
    va_list ap;
    va_start(ap, fmt);
    emit(stderr, prefix, fmt, ap);
    va_end(ap);
}

void mo_log_success(struct mo_context *ctx, const char *fmt, ...)
{
    if (ctx && mo_context_silent(ctx))
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(stdout, "[ SUCCESS ] ", fmt, ap);
    va_end(ap);
    fflush(stdout);
}
