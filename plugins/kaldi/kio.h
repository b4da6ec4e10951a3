/* kio.h - a reader of Kaldi's own serialization (binary and text), for the
 * Kaldi frontend (not part of the SDK).
 *
 * Kaldi writes a model as a stream of tokens ("<Nnet>", "<LinearParams>")
 * and typed values.  A binary file starts with "\0B"; then a token is its
 * characters followed by one space, an integer or float is a size byte (4 or
 * 8) followed by that many little-endian bytes, a bool is 'T' or 'F', an
 * integer vector is a size byte, an int32 count and the packed elements, and
 * a matrix or vector is a kind token (FM DM CM CM2 CM3 / FV DV) followed by
 * int32 dims and the data.  The text form writes the same things as
 * whitespace-separated words, matrices as "[ rows separated by newlines ]".
 *
 * Every failure is reported in the reader's err as
 *   "'<file>': byte <offset>, after token '<last token>': <what>"
 * so that the user can find the place in a hex dump or an editor.  Nothing
 * here allocates except matrices and vectors that are not float32 in the
 * file (double, compressed, text): float32 data is borrowed from the map. */
#ifndef MO_KALDI_KIO_H
#define MO_KALDI_KIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mo/mo.h>

#define MO_KALDI_TOKEN_MAX 128

struct mo_kio {
    struct mo_file *file;        /* borrowed: the caller keeps it alive */
    const unsigned char *p;
    size_t n;
    size_t pos;
    bool binary;
    const char *path;
    char last[MO_KALDI_TOKEN_MAX]; /* the last token read, for messages */
    struct mo_error *err;
};

/* Start reading f at byte `start` (a "\0B" there switches to binary and is
 * skipped).  f and err are borrowed for the reader's lifetime. */
void mo_kio_init(struct mo_kio *r, struct mo_file *f, size_t start, struct mo_error *err);

/* Record a format error at the current position (see above); returns
 * MO_ERR_FORMAT.  FAQ 2 (a corrupt or unsupported model file). */
enum mo_status mo_kio_fail(struct mo_kio *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

bool mo_kio_eof(struct mo_kio *r);
/* Read a token (whitespace-free word) into buf (cap bytes).  A token longer
 * than cap - 1 is an error.  Also remembered as the last token. */
enum mo_status mo_kio_token(struct mo_kio *r, char *buf, size_t cap);
/* The next token without consuming it ("" at the end of the file). */
void mo_kio_peek(struct mo_kio *r, char *buf, size_t cap);
/* True when the next value starts with '<' (a token, not a number). */
bool mo_kio_at_token(struct mo_kio *r);
/* Read a token and fail unless it is `want`. */
enum mo_status mo_kio_expect(struct mo_kio *r, const char *want);

enum mo_status mo_kio_int(struct mo_kio *r, int64_t *v);
enum mo_status mo_kio_float(struct mo_kio *r, double *v);
enum mo_status mo_kio_bool(struct mo_kio *r, bool *v);
/* An integer vector; *v is malloc()ed (caller frees; NULL when empty). */
enum mo_status mo_kio_int_vector(struct mo_kio *r, int64_t **v, size_t *n);
/* A matrix ([rows, cols] f32 tensor) or vector ([dim] f32); the caller owns
 * the reference.  Float32 binary data is borrowed from the file. */
enum mo_status mo_kio_matrix(struct mo_kio *r, struct mo_tensor **t);
enum mo_status mo_kio_vector(struct mo_kio *r, struct mo_tensor **t);
/* A line of text ending in '\n' (not included; a trailing '\r' dropped),
 * for nnet3's config section.  *line points into the map, *len its size. */
enum mo_status mo_kio_line(struct mo_kio *r, const char **line, size_t *len);

/* What kind of value follows, judged from its first bytes (for skipping
 * values of keys the reader does not know): 'M' matrix, 'V' vector,
 * 'B' bool, 'N' number, 'T' a token, 0 end of file. */
char mo_kio_sniff(struct mo_kio *r);

#endif
