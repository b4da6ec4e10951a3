/* pb_text.c - fuzz harness: the protobuf text-format parser of
 * plugins/common (mo_pb_text_to_wire / mo_pb_text_parse) on the schema of
 * tests/unit/pb_text_test.proto (every scalar type, enums, nested and
 * recursive messages, a map, a oneof).  Input: the text.  What it writes
 * must hold up: well-formed wire bytes that protobuf-c unpacks (the schema
 * has no required field, so any accepted text must unpack), and a failure
 * leaves no output and an error naming the input. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pb_text.h"
#include "pb_text_test.pb-c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly the text: reads past it are caught */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    unsigned char *wire = (unsigned char *)1;
    size_t len = 1;
    struct mo_error err = {0};
    enum mo_status st = mo_pb_text_to_wire(text, size, &mo_test__all__descriptor, "fuzz.pbtxt", &wire,
                                           &len, &err);
    if (st == MO_OK) {
        ProtobufCMessage *m = protobuf_c_message_unpack(&mo_test__all__descriptor, NULL, len, wire);
        if (!m)
            abort();   /* the parser wrote bytes protobuf-c cannot read */
        protobuf_c_message_free_unpacked(m, NULL);
        free(wire);
    } else if (wire || len || !strstr(err.msg, "fuzz.pbtxt")) {
        abort();
    }
    free(text);
    return 0;
}
