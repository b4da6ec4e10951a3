/* bin_writer.h - the .bin of an IR: constants streamed, each byte run once. */
#ifndef MO_BIN_WRITER_H
#define MO_BIN_WRITER_H

#include <mo/tensor.h>

struct mo_bin_writer;

/* A writer appending to the open file descriptor fd (not owned; written at
 * its current offset).  NULL on OOM. */
struct mo_bin_writer *mo_bin_writer_new(int fd);
/* Free the writer and the references it holds (not the file). */
void mo_bin_writer_free(struct mo_bin_writer *w);
/* Store t's values, or find an identical run stored before; *offset gets
 * where they are.  The writer keeps its own reference on t (later puts
 * compare against it).  Borrowed bytes are copied file to file by the
 * kernel (copy_file_range); lazy tensors are computed and written chunk by
 * chunk, and the mapped pages they were read from are given back. */
enum mo_status mo_bin_put(struct mo_bin_writer *w, struct mo_tensor *t, size_t *offset,
                          struct mo_error *err);
/* Bytes written so far and how many were saved by sharing. */
size_t mo_bin_size(const struct mo_bin_writer *w);
size_t mo_bin_saved(const struct mo_bin_writer *w);

#endif
