/* tcfg.h - transformations configs (--transformations_config), core modules only.
 *
 * tcfg_read.c reads and checks the JSON file into a struct mo_tcfg;
 * tcfg_match.c finds each entry's instances in a framework graph and
 * replaces them (mo_cfg_replace_with_node); tcfg_run.c ties both to the
 * context (handlers, the built-in MO_CFG_REPLACE_WITH_OP, the replacement
 * that runs them, and the --tensorflow_custom_operations_config_update
 * mode). */
#ifndef MO_TCFG_H
#define MO_TCFG_H

#include <regex.h>
#include <stdbool.h>

#include <jansson.h>

#include <mo/graph.h>
#include <mo/replace_config.h>

/* FAQ entry of docs/faq.md for every config error */
#define MO_TCFG_FAQ 28

enum tcfg_kind { TCFG_SCOPE, TCFG_POINTS, TCFG_GENERAL, TCFG_KIND_COUNT };

/* One {"node": regex, "port": n} of "inputs"/"outputs". */
struct tcfg_port {
    const char *node;
    regex_t re;                 /* anchored at the start of the name below the scope */
    unsigned port;
};

struct tcfg_group {
    unsigned n;
    struct tcfg_port *v;
};

struct tcfg_entry {
    unsigned index;             /* in the file, from 0 */
    const char *id;
    enum tcfg_kind kind;
    json_t *raw;                /* the entry object (borrowed from the root) */
    /* scope: instance patterns ('/' appended when missing), anchored */
    unsigned n_scopes;
    const char **scopes;
    regex_t *scope_re;
    /* points */
    unsigned n_start, n_end;
    const char **start, **end;
    bool include_inputs, include_outputs;
    /* "inputs"/"outputs" as given (has_io false: absent, derived per instance) */
    bool has_inputs, has_outputs;
    unsigned n_inputs;
    struct tcfg_group *inputs;
    unsigned n_outputs;
    struct tcfg_port *outputs;
    /* "custom_attributes" */
    unsigned n_attrs;
    struct mo_attr *attrs;
};

struct mo_tcfg {
    const char *path;
    json_t *root;
    struct mo_graph *arena;     /* owns every string and array above */
    unsigned n;
    struct tcfg_entry *v;
    unsigned n_regex;           /* compiled regex_t to free, in the entries */
};

/* Read and check `size` bytes of JSON text (data need not be NUL
 * terminated) named path in messages.  On success *out is the caller's,
 * freed with mo_tcfg_free.  Errors name the file, the line and column of
 * a JSON syntax error, or the entry index, id and field. */
enum mo_status mo_tcfg_parse(const char *path, const char *data, size_t size, struct mo_tcfg **out,
                             struct mo_error *err);
/* The same, reading the file path. */
enum mo_status mo_tcfg_read(const char *path, struct mo_tcfg **out, struct mo_error *err);
void mo_tcfg_free(struct mo_tcfg *c);
/* The prefix of every message about entry e: "transformations config 'F', entry N (id 'X')" */
void mo_tcfg_entry_prefix(const struct mo_tcfg *c, const struct tcfg_entry *e, struct mo_error *err);

/* Instances of entry e in fw (tcfg_match.c).  For each instance found,
 * fn is called with the match filled in; matching stops at the first
 * error.  *n_found (optional) counts instances.  All memory is freed
 * before return. */
typedef enum mo_status (*mo_tcfg_visit_fn)(const struct mo_cfg_match *m, void *user,
                                           struct mo_error *err);
enum mo_status mo_tcfg_match(const struct mo_tcfg *c, const struct tcfg_entry *e, struct mo_graph *fw,
                             mo_tcfg_visit_fn fn, void *user, unsigned *n_found, struct mo_error *err);
/* The "inputs"/"outputs" the update mode writes for a scope entry, from its
 * first instance pattern; new JSON arrays (caller's references). */
enum mo_status mo_tcfg_derive_io(const struct tcfg_entry *e, struct mo_graph *fw, json_t **inputs,
                                 json_t **outputs, struct mo_error *err);

/* The context's config state (tcfg_run.c); freed by mo_context_free. */
struct mo_tcfg_state;
void mo_tcfg_state_free(struct mo_tcfg_state *s);
/* --tensorflow_custom_operations_config_update: fill in the "inputs" and
 * "outputs" its scope entries lack from the framework graph fw and write
 * the file back (atomically); nothing else is written. */
enum mo_status mo_tcfg_update_file(struct mo_context *ctx, struct mo_graph *fw, const char *path,
                                   struct mo_error *err);

#endif
