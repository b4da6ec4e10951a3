/* graph_private.h - graph internals shared by the core's graph modules. */
#ifndef MO_GRAPH_PRIVATE_H
#define MO_GRAPH_PRIVATE_H

#include <mo/graph.h>

struct arena_chunk;

struct mo_graph {
    struct mo_context *ctx;
    struct arena_chunk *chunks;
    struct mo_node **nodes;     /* heap array, creation order */
    unsigned n_nodes, cap_nodes;
    struct mo_value *outputs;   /* heap array */
    unsigned n_outputs, cap_outputs;
    /* control flow: the body graphs of this graph's nodes (freed with it),
     * and for a body graph the body it describes */
    struct mo_graph **subgraphs;    /* heap array */
    unsigned n_subgraphs, cap_subgraphs;
    struct mo_body *body;
    /* Parameters no output needs stay (mo_graph_keep_inputs) */
    bool keep_inputs;
};

#endif
