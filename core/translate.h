/* translate.h - turning a framework graph into an IR graph; core only. */
#ifndef MO_TRANSLATE_H
#define MO_TRANSLATE_H

#include <mo/graph.h>
#include <mo/options.h>

/* Translate fw (loaded by the `framework` frontend) into ir, adding one
 * Result per graph output.  Unconvertible layer types are reported all at
 * once (MO_ERR_UNSUPPORTED, FAQ 10). */
enum mo_status mo_translate(struct mo_context *ctx, const struct mo_options *opts,
                            const char *framework, struct mo_graph *fw, struct mo_graph *ir,
                            struct mo_error *err);

#endif
