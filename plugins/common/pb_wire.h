/* pb_wire.h - protobuf wire format without unpacking, so that the weights
 * inside a protobuf model (an ONNX TensorProto's raw_data, a Caffe blob, a
 * TensorFlow tensor_content) are borrowed from the mapped file instead of
 * copied by protobuf-c's unpack.
 *
 * mo_pb_strip() copies a message with chosen byte fields taken out (every
 * enclosing length rewritten), and says where each taken field's bytes lie
 * in the original buffer.  The copy is small (the model without its
 * weights) and unpacks with protobuf-c as usual; the frontend then pairs
 * the spans, in document order, with the messages they were taken from,
 * which protobuf-c keeps in the same order.  Which fields to take, and
 * which submessages to walk into, is a table of rules, so recursive schemas
 * (an ONNX graph inside a node attribute inside a graph) need no code.
 * Only the SDK is included: this is plugins/common, shared by frontends. */
#ifndef MO_PB_WIRE_H
#define MO_PB_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <mo/status.h>

/* Messages are numbered by the caller (0 = the root).  A field of message
 * `msg` numbered `field` is walked into as message `child` (DESCEND),
 * taken out (TAKE), or taken out and replaced by a marker (MARK): the same
 * field with a MO_PB_MARK_LEN-byte payload holding the span's index, little
 * endian.  A marker pairs the unpacked message with its span exactly, where
 * document order cannot (protobuf-c keeps each repeated field's order, not
 * the interleaving of two of them).  Fields without a rule are copied as
 * they are. */
enum mo_pb_action { MO_PB_DESCEND, MO_PB_TAKE, MO_PB_MARK };

#define MO_PB_MARK_LEN 4u

/* The span index a marker payload holds (data: MO_PB_MARK_LEN bytes). */
static inline uint32_t mo_pb_mark_index(const unsigned char *data)
{
    return (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
           (uint32_t)data[3] << 24;
}

struct mo_pb_rule {
    unsigned msg;
    uint32_t field;
    enum mo_pb_action action;
    unsigned child;            /* DESCEND only */
};

/* A taken field: its payload (after the length) at offset in the original
 * buffer, len bytes, found in message kind msg as field number field. */
struct mo_pb_span {
    size_t offset, len;
    unsigned msg;
    uint32_t field;
};

/* The deepest nesting of walked-into messages accepted (deeper input is
 * corrupt or hostile). */
#define MO_PB_MAX_DEPTH 64

/* Strip buf[0..n), a message of kind root, by rules[0..n_rules).  On
 * success *out (malloc'd, caller frees; never NULL) holds *out_len bytes and
 * *spans (malloc'd, caller frees; NULL when none) *n_spans spans in document
 * order.  A malformed buffer fails with MO_ERR_FORMAT naming `what` (the
 * file) and the byte offset; nothing is returned then. */
enum mo_status mo_pb_strip(const unsigned char *buf, size_t n, const struct mo_pb_rule *rules,
                           size_t n_rules, unsigned root, const char *what, unsigned char **out,
                           size_t *out_len, struct mo_pb_span **spans, size_t *n_spans,
                           struct mo_error *err);

#endif
