/* mo/ir.h - writing an IR graph as OpenVINO IR v11.
 *
 * NAME.xml (topology), NAME.bin (constants, each distinct byte run stored
 * once) and NAME.mapping (framework tensor names -> IR layer and port) go
 * into dir under temporary names and are renamed only when all three are
 * complete: on failure nothing is left behind.  The same graph and
 * parameters always give byte-identical files. */
#ifndef MO_IR_H
#define MO_IR_H

#include <mo/graph.h>
#include <mo/options.h>
#include <mo/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mo_ir_info {
    const char *framework;            /* recorded in rt_info, may be NULL */
    const struct mo_options *params;  /* non-default parameters for rt_info, may be NULL */
};

/* Write g (validated and inferred) as dir/name.{xml,bin,mapping}. */
enum mo_status mo_ir_write(struct mo_graph *g, const char *dir, const char *name,
                           const struct mo_ir_info *info, struct mo_error *err);

#ifdef __cplusplus
}
#endif
#endif
