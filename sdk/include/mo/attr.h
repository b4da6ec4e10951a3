/* mo/attr.h - typed node attributes.
 *
 * A node carries a small list of named attributes.  Framework nodes keep the
 * framework's own attributes (MXNet's are strings, ONNX's are typed); IR
 * nodes carry the attributes of the IR operation.  All attribute storage
 * belongs to the node's graph arena: setters copy what they are given,
 * getters return pointers valid until mo_graph_free(). */
#ifndef MO_ATTR_H
#define MO_ATTR_H

#include <mo/status.h>
#include <mo/tensor.h>

#ifdef __cplusplus
extern "C" {
#endif

enum mo_attr_kind {
    MO_ATTR_NONE = 0,
    MO_ATTR_INT,
    MO_ATTR_FLOAT,
    MO_ATTR_BOOL,
    MO_ATTR_STRING,
    MO_ATTR_INTS,
    MO_ATTR_FLOATS,
    MO_ATTR_TENSOR,
    MO_ATTR_STRINGS,
    MO_ATTR_KIND_COUNT
};

struct mo_attr {
    const char *name;
    enum mo_attr_kind kind;
    union {
        int64_t i;
        double f;
        bool b;
        const char *s;
        struct { const int64_t *v; size_t n; } ints;
        struct { const double *v; size_t n; } floats;
        struct { const char *const *v; size_t n; } strs;
        struct mo_tensor *t;     /* the node holds one reference */
    } u;
};

#ifdef __cplusplus
}
#endif
#endif
