/* pd_load.h - private to the Paddle frontend's loaders: parameter streams
 * (params.c), ProgramDesc (program.c) and PIR JSON (pir.c). */
#ifndef MO_PD_LOAD_H
#define MO_PD_LOAD_H

#include <mo/mo.h>

/* One persistable variable a loader expects in a parameter file. */
struct mo_pd_param {
    const char *name;            /* borrowed from the loader */
    enum mo_etype et;            /* declared type (UNDEFINED: take the file's) */
    struct mo_shape shape;       /* declared shape (rank unknown: take the file's) */
    struct mo_tensor *t;         /* filled by the reader; caller owns the reference */
};

/* Read the n persistable variables params[0..n) that the program at path
 * program declares, sorted by name (mo_pd_param_cmp: the order Paddle
 * writes them).  params_path is the combined .pdiparams file beside the
 * program, or NULL for the old layout (one file per variable, named after
 * it, in the program's folder).  With n == 0 the combined file need not
 * exist (Paddle 3 writes none for such a program), but one that exists must
 * be empty; with n > 0 a missing combined file is an error naming the first
 * variable and the file expected.  Tensors borrow the mapped file; on success params[i].t are
 * references owned by the caller, on error none is left.  Errors
 * (MO_ERR_FORMAT) name the file, the parameter and the offset: truncated
 * stream, corrupt header, a type or shape that differs from the
 * declaration, bytes left over after the last parameter. */
enum mo_status mo_pd_read_params(const char *program, const char *params_path,
                                 struct mo_pd_param *params, size_t n, struct mo_error *err);
/* qsort comparator on name (the order of a combined file). */
int mo_pd_param_cmp(const void *a, const void *b);

/* Build the framework graph fw from a ProgramDesc file at path; params_path
 * is the combined parameter file, or NULL to read one file per parameter
 * from the model's directory.  fw owned by the caller. */
enum mo_status mo_pd_program_load(const char *path, const char *params_path,
                                  struct mo_graph *fw, struct mo_error *err);
/* Same for a PIR JSON program (Paddle 3). */
enum mo_status mo_pd_pir_load(const char *path, const char *params_path, struct mo_graph *fw,
                              struct mo_error *err);

/* One pd_op as the PIR loader reads it: legacy type, input slots ("@attr" =
 * fold a constant input into attribute attr, or take it as the tensor input
 * attr when it is computed; "-" = ignore), output slots, attribute renames
 * "from=to".  Unlisted inputs are named in0, in1...; unlisted outputs Out. */
struct mo_pd_pir_map {
    const char *pir;
    const char *legacy;
    const char *in[6];
    const char *out[6];
    const char *rename[4];
};
/* The map of PIR op name (without the dialect) or NULL (pir_names.c);
 * static storage. */
const struct mo_pd_pir_map *mo_pd_pir_find(const char *name);

/* Helpers shared by both loaders (program.c). */
/* The framework node for a feed target. */
struct mo_node *mo_pd_add_input(struct mo_graph *fw, const char *name, enum mo_etype et,
                                const struct mo_shape *shape);
/* Append slot name s to the string-list attribute key of n. */
enum mo_status mo_pd_push_slot(struct mo_node *n, const char *key, const char *s);

#endif
