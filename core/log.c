/* log.c - "[ LEVEL ]  message" lines, filtered by the context's level. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <strings.h>

#include <mo/context.h>
#include <mo/log.h>

static const char *const level_names[] = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "NOTSET"};
_Static_assert(sizeof(level_names) / sizeof(level_names[0]) == MO_LOG_LEVEL_COUNT, "level names");

int mo_log_level_parse(const char *s)
{
    for (int i = 0; i < MO_LOG_LEVEL_COUNT; i++)
        if (s && !strcasecmp(s, level_names[i]))
            return i;
    return -1;
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
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "[ %s ]  ", level_names[lvl]);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void mo_log_success(struct mo_context *ctx, const char *fmt, ...)
{
    if (ctx && mo_context_silent(ctx))
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("[ SUCCESS ] ", stdout);
    vfprintf(stdout, fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    fflush(stdout);
}
