/* tr_util.h - what the MXNet translators share beyond the SDK's builder
 * (mo/build.h), plugin-internal: MXNet's attribute spellings and axis
 * rules, and the SSD ending two translators emit.
 *
 * Ownership: nothing here allocates for the caller; nodes belong to the IR
 * graph being built, as everything made through a struct mo_build.
 * Functions taking a builder record their failure in it (the first error
 * is kept, mo/build.h) and do nothing once it has failed. */
#ifndef MO_MX_TR_UTIL_H
#define MO_MX_TR_UTIL_H

#include "mxnet.h"

/* MO_ERR_DECLINED (the node is left to another translator or an
 * extension), unless b has already failed: then b's status, so that a
 * missing input is reported rather than declined. */
static inline enum mo_status mo_mx_decline(const struct mo_build *b)
{
    return mo_build_ok(b) ? MO_ERR_DECLINED : mo_build_status(b);
}

/* Normalize the MXNet axis value `axis` of attribute attr against rank:
 * true with *out set; else false with *out 0 and b failed ("<attr>=<axis>
 * is out of range for an input of rank <rank>"; the first error stays when
 * b had failed already). */
bool mo_mx_axis(struct mo_build *b, const char *attr, int64_t axis, int rank, int *out);

/* Read the MXNet tuple attribute `name` ("(3, 3)") of b's framework node:
 * exactly n values into out; absent or "()" gives dflt everywhere.  A
 * single value is repeated (MXNet accepts kernel=3 for 1-D layers only,
 * but older files wrote "3" for all).  A wrong count fails b and returns
 * false. */
bool mo_mx_tuple(struct mo_build *b, const char *name, int n, int64_t dflt, int64_t *out);

/* Read an int list attribute that may hold "None" entries, e.g.
 * "(None, 1, -2)": present[i] false for None.  Returns the count, -1 when
 * the attribute is absent, -2 when it cannot be read. */
int mo_mx_get_opt_ints(const struct mo_node *fw, const char *name, int64_t *v, bool *present,
                       int max);

/* True when the attribute is absent or spelled "None". */
bool mo_mx_attr_none(const struct mo_node *fw, const char *name);

/* An MXNet dtype name ("float32", "int64", ...) as an IR element type;
 * MO_ET_UNDEFINED when unknown. */
enum mo_etype mo_mx_dtype(const char *name);

/* Product of dims [from, to) of a static shape. */
int64_t mo_mx_prod(const struct mo_shape *s, int from, int to);

/* The SSD ending MultiBoxDetection and GluonCV's SSD share: a
 * DetectionOutput named after the layer on (loc [N, A*4], cls [N, A*C],
 * priors), with CENTER_SIZE boxes shared by the classes, background class
 * 0, normalized boxes.  Its priors input [1, 2, A*4] is the na corner
 * boxes of anchors (any shape of na*4 values; Reshape "priors"), then
 * var[0..3] (as f32) repeated for every box (Const "variances"), joined by
 * Concat "priors_var".  d and var are only read. */
struct mo_mx_detection {
    int64_t num_classes;
    int64_t top_k;          /* <= 0: all */
    int64_t keep_top_k;
    double nms_threshold, confidence_threshold;
    bool clip_before_nms;
};
struct mo_value mo_mx_detection_output(struct mo_build *b, struct mo_value loc, struct mo_value cls,
                                       struct mo_value anchors, int64_t na, const double *var,
                                       const struct mo_mx_detection *d);

#endif
