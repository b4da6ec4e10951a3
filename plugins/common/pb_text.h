/* pb_text.h - the protobuf text format (TensorFlow's .pbtxt, Caffe's
 * .prototxt), read by one parser driven by protobuf-c's message
 * descriptors, so that every frontend with a minimal .proto of its own gets
 * a text reader without code of its own.  protobuf-c has no text parser.
 *
 * The text is translated into the binary wire format, field by field as
 * the descriptors give their numbers and types, and the result is unpacked
 * by protobuf-c as a binary file would be: one decoding path for both
 * forms, and nothing to free but the unpacked message.
 *
 * Accepted: `name: value`, `name { ... }` and `name < ... >` (the colon is
 * optional before a message), repeated fields as repeated entries or as a
 * list `name: [v, v]`, `#` comments, `,` or `;` after an entry, strings in
 * single or double quotes with C escapes (\n \t \\ \' \" \ooo \xHH) and
 * adjacent strings concatenated, integers in decimal, hex (0x) and octal,
 * floats with exponent, an `f` suffix, inf/infinity/nan (any case, with a
 * sign), booleans true/false/t/f/1/0, enum values by name or number.
 * Fields the descriptor does not know are skipped (our .proto files are
 * minimal on purpose), as are extension and Any entries `[type.name] ...`;
 * their values must still be well formed.
 * Only the SDK and protobuf-c are included: this is plugins/common. */
#ifndef MO_PB_TEXT_H
#define MO_PB_TEXT_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

#include <mo/status.h>

/* The deepest nesting of messages accepted (deeper input is corrupt or
 * hostile). */
#define MO_PB_TEXT_MAX_DEPTH 100

/* Translate text[0..n) (a message of type desc) into the wire format.  On
 * success *out (malloc'd, caller frees; never NULL) holds *out_len bytes.
 * Errors (MO_ERR_FORMAT) name `what` (the file), the line and column, and
 * what was expected there; nothing is returned then. */
enum mo_status mo_pb_text_to_wire(const char *text, size_t n, const ProtobufCMessageDescriptor *desc,
                                  const char *what, unsigned char **out, size_t *out_len,
                                  struct mo_error *err);

/* Parse text[0..n) into a message of type desc: *msg is owned by the
 * caller, freed with protobuf_c_message_free_unpacked(*msg, NULL).  Errors
 * as mo_pb_text_to_wire; *msg is NULL then. */
enum mo_status mo_pb_text_parse(const char *text, size_t n, const ProtobufCMessageDescriptor *desc,
                                const char *what, ProtobufCMessage **msg, struct mo_error *err);

#endif
