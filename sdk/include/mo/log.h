/* mo/log.h - leveled messages in the original Model Optimizer's style.
 *
 * "[ ERROR ]  text", "[ WARNING ]  text", "[ INFO ]  text", "[ DEBUG ]  text"
 * go to stderr when the context's level lets them through; mo_log_success()
 * prints "[ SUCCESS ] text" to stdout unless the context is silent. */
#ifndef MO_LOG_H
#define MO_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

struct mo_context;

enum mo_log_level {
    MO_LOG_DEBUG = 0,
    MO_LOG_INFO,
    MO_LOG_WARNING,
    MO_LOG_ERROR,
    MO_LOG_CRITICAL,
    MO_LOG_NOTSET,     /* as the original: everything is shown */
    MO_LOG_LEVEL_COUNT
};

/* Parse "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "NOTSET" (any
 * case); -1 if unknown. */
int mo_log_level_parse(const char *s);
void mo_log(struct mo_context *ctx, enum mo_log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mo_log_success(struct mo_context *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif
#endif
