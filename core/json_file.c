/* json_file.c - writing a JSON file atomically (see json_file.h). */
#include <config.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_file.h"

enum mo_status mo_json_write_atomic(const char *path, const json_t *root, size_t flags, const char *what,
                                    int faq, struct mo_error *err)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + 16);
    if (!tmp)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    snprintf(tmp, len + 16, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        enum mo_status st = mo_error_set(err, MO_ERR_IO, faq, "cannot write the %s '%s': %s", what, path,
                                         strerror(errno));
        free(tmp);
        return st;
    }
    FILE *f = fdopen(fd, "w");
    bool ok = f && json_dumpf(root, f, flags) == 0 && fputc('\n', f) != EOF && fflush(f) == 0 &&
              fsync(fd) == 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    else
        close(fd);
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        int e = errno;
        unlink(tmp);
        free(tmp);
        return mo_error_set(err, MO_ERR_IO, faq, "cannot write the %s '%s': %s", what, path, strerror(e));
    }
    free(tmp);
    return MO_OK;
}
