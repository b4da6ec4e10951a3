/* mo/replace_config.h - sub-graph replacement configs (--transformations_config).
 *
 * A transformations config is the original Model Optimizer's JSON file: a
 * list of entries, each naming a replacement "id", how its sub-graph is
 * found ("match_kind": "scope", "points" or "general"), where
 * ("instances"), its ordered "inputs" and "outputs", and free-form
 * "custom_attributes".  mo reads the file (core, framework-neutral), finds
 * every instance of each entry in the framework graph right after the
 * frontend loaded it, and hands each one to the handler registered for the
 * entry's id.  An id nobody handles is an error.
 *
 * The core itself handles the id MO_CFG_REPLACE_WITH_OP: the sub-graph is
 * replaced by one IR operation whose "type" (and every other attribute)
 * comes from custom_attributes; see docs/writing-extensions.md.
 *
 * A plugin handles its own ids:
 *
 *     static enum mo_status my_swish(struct mo_context *ctx, struct mo_graph *fw,
 *                                    const struct mo_cfg_match *m, void *user,
 *                                    struct mo_error *err)
 *     {
 *         // one framework node "MySwish" (a translator of the plugin turns it into IR)
 *         return mo_cfg_replace_with_node(fw, m, "MySwish", NULL, err) ? MO_OK : err->code;
 *     }
 *     static const struct mo_cfg_handler h = {sizeof h, "MySwishReplacement", my_swish, NULL};
 *     ... in init: mo_register_cfg_handler(pc, &h, err);
 *
 * Added in plugin ABI 1.2. */
#ifndef MO_REPLACE_CONFIG_H
#define MO_REPLACE_CONFIG_H

#include <stdint.h>

#include <mo/attr.h>
#include <mo/graph.h>
#include <mo/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The id the core handles: the matched sub-graph becomes one IR op. */
#define MO_CFG_REPLACE_WITH_OP "mo.ReplaceWithOp"

/* One input of a matched sub-graph: a tensor produced outside it (src)
 * and every use of it inside that the config lists, in the config's
 * order (node inside the sub-graph, port = that node's input index). */
struct mo_cfg_input {
    struct mo_value src;
    unsigned n_uses;
    const struct mo_value *uses;
};

/* One instance of one config entry, found in the framework graph.  Every
 * pointer is valid during the handler call only (the core owns it all). */
struct mo_cfg_match {
    uint32_t struct_size;          /* sizeof(struct mo_cfg_match) of the core */
    const char *id;
    const char *match_kind;        /* "scope", "points" or "general" */
    const char *config;            /* the file's path, for messages */
    unsigned entry;                /* index of the entry in the file, from 0 */
    /* scope: the name prefix this instance matched ("block_1/");
     * points and general: NULL */
    const char *scope;
    /* the sub-graph's nodes in graph order (general: none, the handler
     * works on the whole graph) */
    unsigned n_nodes;
    struct mo_node *const *nodes;
    /* "inputs" in the config's order (points: one per start point) */
    unsigned n_inputs;
    const struct mo_cfg_input *inputs;
    /* "outputs" in the config's order: node inside, output port */
    unsigned n_outputs;
    const struct mo_value *outputs;
    /* "custom_attributes": JSON integers, reals, booleans, strings and
     * homogeneous arrays of them map onto the matching attribute kinds
     * (an empty array is MO_ATTR_INTS); anything else (objects, mixed
     * arrays, null) arrives as MO_ATTR_STRING holding its compact JSON. */
    unsigned n_attrs;
    const struct mo_attr *attrs;
};

/* Replace m in fw.  Called once per instance, in the file's order, then
 * instance order.  Return MO_OK, or an error (err filled) that stops the
 * conversion; the core prefixes it with the config file and entry. */
typedef enum mo_status (*mo_cfg_replace_fn)(struct mo_context *ctx, struct mo_graph *fw,
                                            const struct mo_cfg_match *m, void *user,
                                            struct mo_error *err);

/* What a plugin registers; must have static storage (the registry points
 * at it for the context's life). */
struct mo_cfg_handler {
    uint32_t struct_size;
    const char *id;                /* the config's "id" this handles */
    mo_cfg_replace_fn fn;
    void *user;
};

struct mo_plugin_ctx;

/* Register a handler (only from init).  One handler per id: a second one,
 * or MO_CFG_REPLACE_WITH_OP, is refused (MO_ERR_PLUGIN). */
enum mo_status mo_register_cfg_handler(struct mo_plugin_ctx *pc, const struct mo_cfg_handler *h,
                                       struct mo_error *err);

/* custom_attributes entry `name` of m, or NULL.  Points into m. */
const struct mo_attr *mo_cfg_match_attr(const struct mo_cfg_match *m, const char *name);

/* The common replacement: a new framework node of `type` named `name`
 * (NULL: the scope without its trailing '/', else the first output's
 * node name) with one input per m->inputs (fed by its src) and one
 * output per m->outputs; every use of an output outside the sub-graph
 * (graph outputs included) moves to the new node, which also takes over
 * the outputs' tensor names; the sub-graph's nodes are killed.  Fails
 * (NULL, err filled) if a node outside still uses a sub-graph tensor that
 * is not among the outputs, naming both.  The node belongs to fw. */
struct mo_node *mo_cfg_replace_with_node(struct mo_graph *fw, const struct mo_cfg_match *m,
                                         const char *type, const char *name, struct mo_error *err);

#ifdef __cplusplus
}
#endif
#endif
