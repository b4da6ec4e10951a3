/* tr_custom.c - MXNet op "Custom": no standard translator, by design.
 *
 * A Custom node's real identity is its op_type attribute, and the registry
 * keys translators by (framework, layer type).  So the loader gives every
 * Custom node the layer type "Custom:<op_type>" when it builds the
 * framework graph, and an extension converts it by registering
 *     mo_register_translator(pc, "mxnet", "Custom:MyOp", MO_TIER_EXTENSION, ...)
 * (or a CustomLayersMapping.xml entry for that type).  A Custom op nobody
 * registered is then reported by its op_type among the unconvertible layer
 * types.  Nothing is left for a standard translator to do, so the table is
 * empty. */
#include <config.h>

#include "mxnet.h"

const struct mo_mx_table mo_mx_tr_custom = {NULL, 0};
