/* uses.h - who reads each value, kept current while a pass rewires the
 * graph.
 *
 * Passes ask "how many readers has v" and "replace v by w" once per node
 * they rewrite; answering by walking the graph made those passes quadratic
 * (NASNetMobile: half its conversion time in such walks).  An index is
 * built once per pass; every change the pass makes to inputs goes through
 * mo_uses_set_input / _track / _kill / _replace so the index stays exact.
 * A change made around it (mo_node_set_input directly) leaves it stale:
 * a pass using an index makes all its rewiring through it. */
#ifndef MO_PASSES_USES_H
#define MO_PASSES_USES_H

#include <mo/graph.h>

struct mo_use {
    struct mo_node *node;   /* the reader */
    unsigned port;          /* the reader's input */
    unsigned port_of;       /* the producer's output it reads */
};

struct mo_uses;

/* An index of g's live readers.  Caller owns it (mo_uses_free).  NULL on
 * OOM. */
struct mo_uses *mo_uses_new(struct mo_graph *g);
void mo_uses_free(struct mo_uses *u);
/* true when an update ran out of memory: the index is then incomplete and
 * the pass must fail with MO_ERR_NOMEM. */
bool mo_uses_failed(const struct mo_uses *u);

/* Readers of v, sorted by nothing in particular; *n = how many.  The array
 * belongs to the index and is valid until its next change. */
const struct mo_use *mo_uses_of(struct mo_uses *u, struct mo_value v, unsigned *n);
/* The same, copied: the caller frees it.  NULL on OOM. */
struct mo_use *mo_uses_copy(struct mo_uses *u, struct mo_value v, unsigned *n);
unsigned mo_uses_count(struct mo_uses *u, struct mo_value v);
/* The one reader of v (its input port in *in_port), or NULL if v has none
 * or several readers (one node reading v twice counts as two). */
struct mo_node *mo_uses_only(struct mo_uses *u, struct mo_value v, unsigned *in_port);

/* Input i of n reads v from now on. */
void mo_uses_set_input(struct mo_uses *u, struct mo_node *n, unsigned i, struct mo_value v);
/* n was made by the pass (mo_op ...): its inputs join the index. */
void mo_uses_track(struct mo_uses *u, struct mo_node *n);
/* mo_node_kill, n's reads leaving the index. */
void mo_uses_kill(struct mo_uses *u, struct mo_node *n);
/* mo_pass_replace through the index: every reader of from (and the graph
 * outputs naming it) reads to; from's names go with it. */
void mo_uses_replace(struct mo_uses *u, struct mo_value from, struct mo_value to);

#endif
