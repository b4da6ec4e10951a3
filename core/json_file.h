/* json_file.h - JSON files the core writes (the --report, an updated
 * transformations config); core only. */
#ifndef MO_JSON_FILE_H
#define MO_JSON_FILE_H

#include <stddef.h>

#include <jansson.h>

#include <mo/status.h>

/* Write root (jansson dump flags, then a newline) to path through a
 * temporary file beside it renamed over it at the end, so that a failure
 * leaves whatever path held.  Errors read "cannot write the <what> 'path':
 * reason" with FAQ entry faq.  root stays the caller's. */
enum mo_status mo_json_write_atomic(const char *path, const json_t *root, size_t flags, const char *what,
                                    int faq, struct mo_error *err);

#endif
