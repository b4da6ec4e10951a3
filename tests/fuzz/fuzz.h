/* fuzz.h - what the libFuzzer harnesses of tests/fuzz/ share.
 *
 * Every harness is one file defining LLVMFuzzerTestOneInput(); it is linked
 * either with libFuzzer (--enable-fuzzing, `make fuzz`) or with replay.c,
 * whose main() feeds it the files named on the command line (`make check`
 * replays tests/fuzz/regress/ and the seeds that way in every build).
 * A harness keeps nothing from one input to the next: it builds its
 * context, graph and files for the input and frees all of them before it
 * returns, so leak detection sees every leak and a crash reproduces from
 * its one input file. */
#ifndef MO_FUZZ_H
#define MO_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <mo/status.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs that carry two files (a program and its weights) separate them
 * with this line; the seeds script writes it between the two. */
#define MO_FUZZ_SEP "\n#mo-fuzz-next-file#\n"

/* Abort unless every constant of fw has the byte size its type and shape
 * need (counted without wrapping) and, when it borrows from f, lies inside
 * f: what a reader must guarantee whatever the input.  f may be NULL. */
void mo_fuzz_check_consts(const struct mo_graph *fw, const struct mo_file *f);

/* Split data at the first MO_FUZZ_SEP: part a before it, part b after it
 * (b is NULL with size 0 when there is no separator).  Borrowed pointers. */
void mo_fuzz_split(const uint8_t *data, size_t size, const uint8_t **a, size_t *alen,
                   const uint8_t **b, size_t *blen);

/* An input file held in memory (memfd), reachable by the readers' path
 * arguments as /proc/self/fd/N: the readers under test open paths, and
 * this lets them read the fuzzer's bytes without touching the disk. */
struct mo_fuzz_file {
    int fd;
    char path[40];
};

/* Fill f with size bytes at data.  Returns 0, or -1 (f->fd < 0) when no
 * memfd can be made; the harness then skips the input. */
int mo_fuzz_file_open(struct mo_fuzz_file *f, const uint8_t *data, size_t size);
/* Close f (a closed or failed f is fine). */
void mo_fuzz_file_close(struct mo_fuzz_file *f);

struct mo_context;
/* Register a frontend "fuzz" that loads nothing in ctx, so that what
 * registers per frontend (mapping files, transformations configs) has one. */
enum mo_status mo_fuzz_add_frontend(struct mo_context *ctx, struct mo_error *err);

struct mo_graph;
/* A reader of a program file and its parameter file into a framework graph. */
typedef enum mo_status (*mo_fuzz_pair_reader)(const char *program, const char *params, struct mo_graph *fw,
                                   struct mo_error *err);
/* Split data at MO_FUZZ_SEP into a program and its parameters (empty when
 * absent), put both in in-memory files and run read on them with a fresh
 * framework graph, freed afterwards. */
void mo_fuzz_read_pair(const uint8_t *data, size_t size, mo_fuzz_pair_reader read);

#endif
