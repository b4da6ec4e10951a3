/* bin_writer.h - the .bin of an IR: constants streamed, each byte run once. */
#ifndef MO_BIN_WRITER_H
#define MO_BIN_WRITER_H

#include <stdio.h>

#include <mo/tensor.h>

struct mo_bin_writer;

/* A writer appending to f (not owned).  NULL on OOM. */
struct mo_bin_writer *mo_bin_writer_new(FILE *f);
/* Free the writer (not the file). */
void mo_bin_writer_free(struct mo_bin_writer *w);
/* Store t's bytes, or find an identical run stored before; *offset gets
 * where they are.  t must stay alive until the writer is freed (the bytes
 * are compared on hash hits). */
enum mo_status mo_bin_put(struct mo_bin_writer *w, const struct mo_tensor *t, size_t *offset,
                          struct mo_error *err);
/* Bytes written so far and how many were saved by sharing. */
size_t mo_bin_size(const struct mo_bin_writer *w);
size_t mo_bin_saved(const struct mo_bin_writer *w);

#endif
