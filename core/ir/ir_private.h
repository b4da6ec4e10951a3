/* ir_private.h - shared by the IR writer's files. */
#ifndef MO_IR_PRIVATE_H
#define MO_IR_PRIVATE_H

#include <stdio.h>

#include <mo/ir.h>

/* A node's place in the IR: layer id and .bin location of a Const. */
struct ir_layout {
    struct mo_node **order;   /* live nodes, topological */
    unsigned n;
    unsigned *layer_id;       /* by node id; (unsigned)-1 if not written */
    size_t *offset;           /* by node id, Const only */
    struct ir_layout **bodies;/* by node id: the layouts of its n_bodies bodies, or NULL */
};

/* Lay out g and, recursively, the bodies of its control-flow nodes (in the
 * arenas of the graphs laid out). */
enum mo_status mo_ir_layout(struct mo_graph *g, struct ir_layout *lay, struct mo_error *err);

/* Write the .xml for g laid out as lay, with net name and rt_info. */
enum mo_status mo_ir_write_xml(const struct ir_layout *lay, const char *path, const char *name,
                               const struct mo_ir_info *info, struct mo_error *err);
/* Write the .mapping: framework tensor names -> IR layer and port. */
enum mo_status mo_ir_write_mapping(const struct ir_layout *lay, const char *path,
                                   struct mo_error *err);
/* Shortest decimal text that reads back as exactly v. */
void mo_ir_format_double(double v, char *buf, size_t n);

#endif
