/* mo/plugin.h - the plugin ABI: how a frontend or extension module talks to mo.
 *
 * A module exports exactly one function, mo_plugin_query, returning a
 * pointer to a const struct mo_plugin_desc with static storage.  libltdl's
 * convention lets in-tree modules export it as <module>_LTX_mo_plugin_query
 * so many of them can be linked statically; MO_PLUGIN_EXPORT does both.
 *
 * The loader reads abi_major/abi_minor/struct_size before anything else: a
 * module built for another major ABI, or whose descriptor is smaller than
 * ABI 1.0's, is refused without calling into it.  Then init() registers what
 * the module provides through the struct mo_plugin_ctx it is handed.  If
 * init() fails, every registration it made is rolled back and the module is
 * closed.  fini() (optional) runs before the module is closed.
 *
 * Minimal extension:
 *
 *     #include <mo/mo.h>
 *     static enum mo_status my_init(struct mo_plugin_ctx *pc, struct mo_error *err)
 *     {
 *         return mo_register_translator(pc, "mxnet", "MyLayer", MO_TIER_EXTENSION, 0,
 *                                       translate_my_layer, NULL, err);
 *     }
 *     MO_PLUGIN_EXPORT(my_ext, "my_ext", "1.0", MO_PLUGIN_EXTENSION, my_init, NULL)
 */
#ifndef MO_PLUGIN_H
#define MO_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include <mo/graph.h>
#include <mo/op.h>
#include <mo/options.h>
#include <mo/status.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MO_PLUGIN_ABI_MAJOR 1
#define MO_PLUGIN_ABI_MINOR 2

enum mo_plugin_kind {
    MO_PLUGIN_FRONTEND = 1,   /* reads a framework's files */
    MO_PLUGIN_EXTENSION = 2,  /* adds translators, ops, replacements */
    MO_PLUGIN_KIND_COUNT
};

struct mo_plugin_ctx;

/* Append-only: new fields go at the end, guarded by struct_size. */
struct mo_plugin_desc {
    uint32_t abi_major;
    uint32_t abi_minor;
    uint32_t struct_size;      /* sizeof(struct mo_plugin_desc) the module saw */
    const char *name;
    const char *version;
    enum mo_plugin_kind kind;
    const char *description;
    enum mo_status (*init)(struct mo_plugin_ctx *pc, struct mo_error *err);
    void (*fini)(void);
};

typedef const struct mo_plugin_desc *(*mo_plugin_query_fn)(void);

#define MO_PLUGIN_EXPORT(modname, name_, version_, kind_, init_, fini_)                 \
    static const struct mo_plugin_desc modname##_desc_ = {                              \
        MO_PLUGIN_ABI_MAJOR, MO_PLUGIN_ABI_MINOR, sizeof(struct mo_plugin_desc),        \
        name_, version_, kind_, NULL, init_, fini_};                                     \
    const struct mo_plugin_desc *modname##_LTX_mo_plugin_query(void);                   \
    const struct mo_plugin_desc *modname##_LTX_mo_plugin_query(void)                    \
    {                                                                                   \
        return &modname##_desc_;                                                        \
    }                                                                                   \
    const struct mo_plugin_desc *mo_plugin_query(void);                                 \
    const struct mo_plugin_desc *mo_plugin_query(void) { return &modname##_desc_; }

/* --- frontends ---------------------------------------------------------- */

struct mo_context;

/* A frontend turns framework files into a framework graph: nodes with the
 * framework's op types and attributes, graph inputs as nodes of type
 * "Parameter" (output 0 carries element type and shape, MO_DYN where the
 * model leaves a dim open), weights as nodes of type "Const" (value set,
 * preferably borrowed from a mapped file), and graph outputs added with
 * mo_graph_add_output().  The core turns Parameter/Const itself and every
 * other node through the registry. */
struct mo_frontend {
    uint32_t struct_size;
    const char *name;          /* the --framework value, "mxnet" */
    const char *description;
    /* How sure the frontend is that path is its format: 0 (not mine) to
     * 100.  head holds up to head_len first bytes of the file. */
    int (*probe)(const char *path, const unsigned char *head, size_t head_len);
    /* Fill fw from the files named by opts ("input_model", ...). */
    enum mo_status (*load)(struct mo_context *ctx, const struct mo_options *opts,
                           struct mo_graph *fw, struct mo_error *err);
};

/* --- translators ------------------------------------------------------ */

/* Tiers, highest priority first in resolution (seed 004). */
enum mo_tier {
    MO_TIER_STANDARD = 0,
    MO_TIER_EXTENSION = 1,
    MO_TIER_MAPPING = 2,
    MO_TIER_COUNT
};

struct mo_tctx;

/* Translate framework node fw into IR nodes.  Return MO_ERR_DECLINED to let
 * the next candidate try; any other error stops the conversion. */
typedef enum mo_status (*mo_translate_fn)(struct mo_tctx *t, const struct mo_node *fw,
                                          void *user, struct mo_error *err);

/* The IR graph being built (owned by the conversion). */
struct mo_graph *mo_tctx_graph(struct mo_tctx *t);
struct mo_context *mo_tctx_context(struct mo_tctx *t);
const struct mo_options *mo_tctx_options(struct mo_tctx *t);
/* IR value that feeds framework input i of the node being translated; its
 * element type and shape are inferred already.  node NULL if i is out of
 * range or the input is unconnected. */
struct mo_value mo_tctx_input(struct mo_tctx *t, unsigned i);
/* Declare that framework output i of the node is IR value v.  Its framework
 * tensor names follow it into the .mapping file. */
enum mo_status mo_tctx_set_output(struct mo_tctx *t, unsigned i, struct mo_value v,
                                  struct mo_error *err);
/* Control flow (mo/body.h): translate the framework graph fw (a body of
 * the node being translated, from mo_node_body) into the IR graph ir
 * (normally the graph of a body made with mo_body_add on the IR node),
 * through the same registry.  fw's Parameters become IR Parameters of the
 * element type and shape their framework nodes declare (a translator that
 * knows better sets those first); every graph output of fw gets its own
 * Result, in order.  params (optional) receives the IR Parameter of each
 * framework Parameter in node order, results (optional) the Result of each
 * output; the caller sizes both.  Everything made belongs to ir. */
enum mo_status mo_tctx_translate_body(struct mo_tctx *t, struct mo_graph *fw, struct mo_graph *ir,
                                      struct mo_node **params, struct mo_node **results,
                                      struct mo_error *err);
/* Shortcut for the common case: create IR op `type` named like the
 * framework node (or with suffix appended when suffix is non-NULL). */
struct mo_node *mo_tctx_op(struct mo_tctx *t, const char *type, const char *suffix,
                           unsigned n_inputs, const struct mo_value *inputs,
                           struct mo_error *err);

/* --- registration (only from init) ------------------------------------ */

/* Register a translator for framework layer type `layer_type`.  Within a
 * tier, higher rank wins; equal ranks are ordered by plugin name so the
 * order never depends on load order.  Two translators for one type at the
 * same tier and rank are refused (MO_ERR_PLUGIN). */
enum mo_status mo_register_translator(struct mo_plugin_ctx *pc, const char *framework,
                                      const char *layer_type, enum mo_tier tier, int rank,
                                      mo_translate_fn fn, void *user, struct mo_error *err);
/* Register a frontend (desc must have static storage). */
enum mo_status mo_register_frontend(struct mo_plugin_ctx *pc, const struct mo_frontend *fe,
                                    struct mo_error *err);
/* Register a new IR operation type (def must have static storage).  A type
 * that already exists is refused, except a further version of a standard
 * op: a def whose opset ("opset8") differs from those registered for the
 * type, both standard, is added beside them and chosen with "Type-8"
 * (mo_context_op); the first registered stays the default. */
enum mo_status mo_register_op(struct mo_plugin_ctx *pc, const struct mo_op_def *def,
                              struct mo_error *err);

/* A sub-graph replacement rewrites the framework graph after loading and
 * before translation (pattern match + replace).  Runs when `enabled_by` is
 * NULL or names an option that is set; in rank order, then by name. */
typedef enum mo_status (*mo_replace_fn)(struct mo_context *ctx, struct mo_graph *fw,
                                        const struct mo_options *opts, void *user,
                                        struct mo_error *err);
struct mo_replacement {
    uint32_t struct_size;
    const char *framework;
    const char *name;
    const char *enabled_by;
    int rank;
    mo_replace_fn fn;
    void *user;
};
enum mo_status mo_register_replacement(struct mo_plugin_ctx *pc, const struct mo_replacement *r,
                                       struct mo_error *err);

/* The context a plugin is being loaded into (for logging). */
struct mo_context *mo_plugin_ctx_context(struct mo_plugin_ctx *pc);

#ifdef __cplusplus
}
#endif
#endif
