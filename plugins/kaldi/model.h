/* model.h - what the parts of the Kaldi model reader share (model.c:
 * values over time and component fields; nnet1.c, nnet3.c: the two
 * network formats; priors.c: --counts and --remove_output_softmax).
 * Internal to the plugin.  Everything made lives in the framework graph's
 * arena (L->fw); nothing here is freed by the caller. */
#ifndef MO_KALDI_MODEL_H
#define MO_KALDI_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <mo/mo.h>

#include "kaldi.h"
#include "kio.h"

/* Kaldi's contexts are tens of frames; a bound keeps the time arithmetic
 * of any chain of offsets a file can hold far from overflowing. */
#define MAX_OFFSET 100000

struct tv {
    struct mo_node *n;
    int64_t lo, hi;
    int64_t dim; /* -1 when not known */
    bool fixed;  /* one row, the value at every time (ReplaceIndex(x, t, k)) */
};

struct unknown_list {
    char text[700];
    unsigned n;
};

struct ld {
    struct mo_kio r;
    struct mo_graph *fw;
    struct unknown_list unk;
    unsigned helpers; /* counter for helper node names */
    struct mo_value outs[16]; /* the model's outputs, added to fw at the end */
    const char *out_names[16];
    unsigned n_outs;
};

/* The model's outputs, in order (name NULL: the producer's). */
enum mo_status mo_kd_add_out(struct ld *L, struct mo_value v, const char *name);
/* Remember a component of an unsupported kind (all are reported at once). */
void mo_kd_note_unknown(struct ld *L, const char *tok, size_t at);
enum mo_status mo_kd_nomem(struct ld *L);
/* A framework node of `type` on the values in[0..n_in). */
struct mo_node *mo_kd_node(struct ld *L, const char *type, const char *name, unsigned n_in, const struct tv *in);
/* x restricted to the times [lo, T-1+hi] (a TimeSlice when it changes). */
enum mo_status mo_kd_slice(struct ld *L, struct tv *x, int64_t lo, int64_t hi, const char *base);
/* parts[0..n) on their common times, joined by a node of `type` (Append, Sum). */
enum mo_status mo_kd_join(struct ld *L, const char *type, const char *name, struct tv *parts, unsigned n,
                          struct tv *out);
/* x at the time offsets off[0..n), side by side. */
enum mo_status mo_kd_splice(struct ld *L, const char *name, struct tv x, const int64_t *off, size_t n,
                            struct tv *out);
bool mo_kd_in_list(const char *s, const char *const *list);
/* The values of one field token, set as attribute `key` of n. */
enum mo_status mo_kd_read_values(struct ld *L, struct mo_node *n, const char *key);
/* Fields up to the closing token end_tok, as attributes of n. */
enum mo_status mo_kd_read_fields(struct ld *L, struct mo_node *n, const char *end_tok);
/* Skip to just after end_tok. */
enum mo_status mo_kd_skip_to(struct ld *L, const char *end_tok);
/* "<Type>" -> "Type" in buf; false for anything else. */
bool mo_kd_type_of(const char *tok, char *buf, size_t cap);
bool mo_kd_ends_with(const char *s, const char *suf);
/* Output dim of component node n for input dim in. */
int64_t mo_kd_out_dim(const struct mo_node *n, int64_t in);
enum mo_status mo_kd_copy_fields(struct ld *L, struct mo_node *to, const struct mo_node *from);
/* A keyed component (nnet2/nnet3 kind) applied to x; tmpl NULL: its
 * fields are read from the file now, else copied from tmpl. */
enum mo_status mo_kd_apply_component(struct ld *L, const char *type, const char *name, struct tv x,
                                     const struct mo_node *tmpl, struct tv *out);
/* The same, or an unknown kind skipped and noted. */
enum mo_status mo_kd_keyed_component(struct ld *L, const char *type, const char *name, struct tv x,
                                     struct tv *out);
extern const char *const mo_kd_softmax_types[];
extern const char *const mo_kd_affine_types[];

/* After "<Nnet>" / "<Nnet3>": the network (nnet1.c, nnet3.c). */
enum mo_status mo_kd_read_nnet1(struct ld *L);
enum mo_status mo_kd_read_nnet3(struct ld *L);
/* --remove_output_softmax and --counts on the first output (priors.c). */
enum mo_status mo_kd_apply_options(struct ld *L, const struct mo_kaldi_opts *o, struct mo_error *err);

#endif
