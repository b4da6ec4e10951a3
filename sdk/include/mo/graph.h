/* mo/graph.h - the graph both frontends and the IR writer work on.
 *
 * A struct mo_graph is an arena: it owns its nodes, their names, attributes
 * and port arrays, and releases everything at once in mo_graph_free().  No
 * node is ever freed on its own; passes that drop nodes mark them dead
 * (mo_node_kill) and mo_graph_compact() forgets them.
 *
 * The same structure holds the framework graph a frontend loads (node type =
 * the framework's op type, opset NULL) and the IR graph translators build
 * (type = IR op type, def = its entry in the op table).
 *
 * Usage:
 *     struct mo_graph *g = mo_graph_new(ctx);
 *     struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, &shape);
 *     struct mo_node *r = mo_op(g, "Relu", "relu1", 1, (struct mo_value[]){{x, 0}}, err);
 *     mo_result(g, (struct mo_value){r, 0}, "out");
 *     ... mo_graph_infer(g, err); mo_ir_write(g, dir, name, opts, err);
 *     mo_graph_free(g);
 */
#ifndef MO_GRAPH_H
#define MO_GRAPH_H

#include <mo/attr.h>
#include <mo/status.h>
#include <mo/tensor.h>
#include <mo/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mo_context;
struct mo_graph;
struct mo_node;
struct mo_op_def;
struct mo_body;

/* One output port of a node: the value an edge carries. */
struct mo_value {
    struct mo_node *node;
    unsigned port;
};

struct mo_output {
    enum mo_etype et;           /* MO_ET_UNDEFINED until inferred */
    struct mo_shape shape;      /* rank MO_RANK_UNKNOWN until inferred */
    const char **names;         /* framework tensor names (for .mapping / port names) */
    unsigned n_names;
};

struct mo_node {
    uint32_t id;                /* unique in the graph, creation order */
    const char *name;
    const char *type;           /* IR op type or framework op type */
    const struct mo_op_def *def;/* IR op table entry, NULL for framework nodes */
    unsigned n_inputs;
    struct mo_value *inputs;    /* producer of each input; node NULL if unconnected */
    unsigned n_outputs;
    struct mo_output *outputs;
    unsigned n_attrs;
    struct mo_attr *attrs;
    struct mo_tensor *value;    /* Const value (the node holds a reference) */
    const char *origin;         /* framework node this came from, for messages */
    struct mo_graph *graph;
    bool dead;
    unsigned mark;              /* scratch for passes */
    void *user;                 /* scratch for frontends */
    /* ABI 1.1: control flow (mo/body.h).  If has two bodies (then, else),
     * Loop and TensorIterator one; every other node none. */
    unsigned n_bodies;
    struct mo_body **bodies;
};

/* A new empty graph bound to ctx (for the op table and logging); ctx may be
 * NULL for framework graphs built outside a conversion.  Caller owns it. */
struct mo_graph *mo_graph_new(struct mo_context *ctx);
/* Free the graph and everything in it (drops tensor references). NULL ok. */
void mo_graph_free(struct mo_graph *g);
struct mo_context *mo_graph_context(const struct mo_graph *g);

/* Arena allocation: zeroed memory that lives until mo_graph_free(). */
void *mo_graph_alloc(struct mo_graph *g, size_t n);
char *mo_graph_strdup(struct mo_graph *g, const char *s);
char *mo_graph_printf(struct mo_graph *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

unsigned mo_graph_n_nodes(const struct mo_graph *g);
/* Node i in creation order (dead nodes included until compaction). */
struct mo_node *mo_graph_node(const struct mo_graph *g, unsigned i);
/* First live node with this name, or NULL. */
struct mo_node *mo_graph_find(const struct mo_graph *g, const char *name);

/* Graph-level outputs of a framework graph (the IR graph uses Result nodes). */
void mo_graph_add_output(struct mo_graph *g, struct mo_value v);
unsigned mo_graph_n_outputs(const struct mo_graph *g);
struct mo_value mo_graph_output(const struct mo_graph *g, unsigned i);

/* A raw node with n_inputs unconnected inputs and n_outputs outputs.  The
 * graph owns it; name and type are copied.  NULL on OOM. */
struct mo_node *mo_graph_add_node(struct mo_graph *g, const char *type, const char *name,
                                  unsigned n_inputs, unsigned n_outputs);
/* Grow or shrink the input/output arrays (new inputs unconnected). */
enum mo_status mo_node_resize(struct mo_node *n, unsigned n_inputs, unsigned n_outputs);
void mo_node_set_input(struct mo_node *n, unsigned i, struct mo_value src);
/* Append an input; returns its index. */
unsigned mo_node_add_input(struct mo_node *n, struct mo_value src);
void mo_node_kill(struct mo_node *n);
/* Add a framework tensor name to output port `port` (copied). */
void mo_node_add_output_name(struct mo_node *n, unsigned port, const char *name);
static inline struct mo_value mo_val(struct mo_node *n, unsigned port)
{
    struct mo_value v = {n, port};
    return v;
}
/* The output description an input is fed from (NULL if unconnected). */
const struct mo_output *mo_node_in(const struct mo_node *n, unsigned i);

/* --- IR construction ---------------------------------------------------- */

/* A node of IR op `type` from the context's op table, connected to inputs.
 * `type` is a bare type ("MaxPool": the type's default version) or
 * "Type-N" for the version defined in opsetN ("MaxPool-8"); see
 * mo_context_op().  The node's type is the bare one either way.
 * Fails (NULL, err filled) if the type is unknown or the input count is out
 * of the op's range.  Attributes are set afterwards with mo_node_set_*. */
struct mo_node *mo_op(struct mo_graph *g, const char *type, const char *name,
                      unsigned n_inputs, const struct mo_value *inputs, struct mo_error *err);
/* Parameter with the given element type and (possibly dynamic) shape. */
struct mo_node *mo_parameter(struct mo_graph *g, const char *name, enum mo_etype et,
                             const struct mo_shape *shape, struct mo_error *err);
/* Const node holding t (takes over the caller's reference on t). */
struct mo_node *mo_const(struct mo_graph *g, const char *name, struct mo_tensor *t,
                         struct mo_error *err);
/* Small constants built from C arrays (values copied). */
struct mo_node *mo_const_i64(struct mo_graph *g, const char *name, const int64_t *v,
                             size_t n, bool scalar, struct mo_error *err);
struct mo_node *mo_const_f32(struct mo_graph *g, const char *name, const float *v,
                             size_t n, bool scalar, struct mo_error *err);
/* Result consuming v. */
struct mo_node *mo_result(struct mo_graph *g, struct mo_value v, const char *name,
                          struct mo_error *err);
/* The Const value feeding input i, or NULL if that input is not a Const. */
struct mo_tensor *mo_node_const_input(const struct mo_node *n, unsigned i);

/* --- attributes ------------------------------------------------------- */

const struct mo_attr *mo_node_attr(const struct mo_node *n, const char *name);
void mo_node_del_attr(struct mo_node *n, const char *name);
enum mo_status mo_node_set_int(struct mo_node *n, const char *name, int64_t v);
enum mo_status mo_node_set_float(struct mo_node *n, const char *name, double v);
enum mo_status mo_node_set_bool(struct mo_node *n, const char *name, bool v);
enum mo_status mo_node_set_str(struct mo_node *n, const char *name, const char *v);
enum mo_status mo_node_set_ints(struct mo_node *n, const char *name, const int64_t *v, size_t cnt);
enum mo_status mo_node_set_floats(struct mo_node *n, const char *name, const double *v, size_t cnt);
enum mo_status mo_node_set_strs(struct mo_node *n, const char *name, const char *const *v, size_t cnt);
/* Takes a new reference on t. */
enum mo_status mo_node_set_tensor(struct mo_node *n, const char *name, struct mo_tensor *t);
/* Copy one attribute (any kind) onto n under its own name. */
enum mo_status mo_node_copy_attr(struct mo_node *n, const struct mo_attr *a);

/* Typed getters with a default when absent.  String-valued attributes are
 * parsed (framework attributes often arrive as text), so get_int on "3" is 3
 * and get_ints on "(1, 1)" is {1,1}.  *ok (optional) is false when the
 * attribute is present but cannot be read as asked. */
int64_t mo_node_get_int(const struct mo_node *n, const char *name, int64_t dflt, bool *ok);
double mo_node_get_float(const struct mo_node *n, const char *name, double dflt, bool *ok);
bool mo_node_get_bool(const struct mo_node *n, const char *name, bool dflt, bool *ok);
const char *mo_node_get_str(const struct mo_node *n, const char *name, const char *dflt);
/* Reads up to max values into out; returns how many (-1 if absent or bad). */
int mo_node_get_ints(const struct mo_node *n, const char *name, int64_t *out, int max);
int mo_node_get_floats(const struct mo_node *n, const char *name, double *out, int max);

/* --- whole-graph operations ------------------------------------------- */

/* Live nodes in an order where producers precede consumers.  *order is
 * allocated in the arena.  MO_ERR_FORMAT naming a node on a cycle. */
enum mo_status mo_graph_topo(struct mo_graph *g, struct mo_node ***order, unsigned *n,
                             struct mo_error *err);
/* Infer the output types and shapes of one IR node from its inputs. */
enum mo_status mo_node_infer(struct mo_node *n, struct mo_error *err);
/* Infer every live IR node in topological order (control-flow nodes infer
 * their bodies from their inputs). */
enum mo_status mo_graph_infer(struct mo_graph *g, struct mo_error *err);
/* Structural checks before writing: every input connected to a live node's
 * existing port, input counts within the op's range, attribute kinds match
 * the op schema, no cycles, at least one Result, names unique; the bodies
 * of control-flow nodes are checked the same way, and their port maps
 * against the body and the node.  The first problem is reported naming the
 * node. */
enum mo_status mo_graph_validate(struct mo_graph *g, struct mo_error *err);
/* Mark dead every node no Result depends on, in g and (keeping their
 * Parameters and Results, which the port maps name) in the bodies of its
 * live control-flow nodes. */
void mo_graph_prune(struct mo_graph *g);
/* Whether mo_graph_prune keeps Parameters no output needs.  A frontend
 * whose framework runs every declared input (ONNX: an unused graph input is
 * still an input of the model) sets it on its framework graph; the IR
 * graph inherits it, and a cut with --input or --output clears it, since
 * then the user chose the inputs. */
void mo_graph_keep_inputs(struct mo_graph *g, bool keep);
bool mo_graph_keeps_inputs(const struct mo_graph *g);
/* Make every consumer of `from` read `to` instead. Returns how many inputs moved. */
unsigned mo_graph_replace_uses(struct mo_graph *g, struct mo_value from, struct mo_value to);

#ifdef __cplusplus
}
#endif
#endif
