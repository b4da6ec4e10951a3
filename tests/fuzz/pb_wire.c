/* pb_wire.c - fuzz harness: the protobuf wire walker of plugins/common
 * (mo_pb_strip).  Input: one byte choosing a rule table, then a message.
 * Tables: an ONNX-like recursive schema (graph -> tensor raw bytes, node ->
 * attribute -> tensor / subgraph -> ...), a flat one, none.  A stripped
 * result must hold up: no larger than the input, every span inside it,
 * and stripping it again changes nothing and takes nothing. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pb_wire.h"

/* 0 model: 7 graph; 1 graph: 5 initializer, 1 node; 2 tensor: 9 raw_data;
 * 3 node: 5 attribute; 4 attribute: 5 t, 6 g, 10 tensors, 11 graphs */
static const struct mo_pb_rule onnx_like[] = {
    {0, 7, MO_PB_DESCEND, 1},  {1, 5, MO_PB_DESCEND, 2},  {2, 9, MO_PB_TAKE, 0},
    {1, 1, MO_PB_DESCEND, 3},  {3, 5, MO_PB_DESCEND, 4},  {4, 5, MO_PB_DESCEND, 2},
    {4, 6, MO_PB_DESCEND, 1},  {4, 10, MO_PB_DESCEND, 2}, {4, 11, MO_PB_DESCEND, 1},
};
static const struct mo_pb_rule flat[] = {{0, 1, MO_PB_TAKE, 0}, {0, 2, MO_PB_TAKE, 0}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const struct mo_pb_rule *rules = NULL;
    size_t nr = 0;
    switch (data[0] % 3) {
    case 0: rules = onnx_like; nr = sizeof onnx_like / sizeof *onnx_like; break;
    case 1: rules = flat; nr = sizeof flat / sizeof *flat; break;
    default: break;
    }
    /* a copy of exactly the message: reads past it are caught */
    size_t n = size - 1;
    unsigned char *msg = malloc(n ? n : 1);
    if (!msg)
        return 0;
    memcpy(msg, data + 1, n);
    unsigned char *out = NULL, *again = NULL;
    size_t out_len = 0, n_spans = 0, again_len = 0, n_again = 0;
    struct mo_pb_span *spans = NULL, *spans2 = NULL;
    struct mo_error err = {0};
    if (mo_pb_strip(msg, n, rules, nr, 0, "fuzz.pb", &out, &out_len, &spans, &n_spans, &err) == MO_OK) {
        size_t taken = 0;
        for (size_t i = 0; i < n_spans; i++) {
            if (spans[i].offset > n || spans[i].len > n - spans[i].offset)
                abort();
            taken += spans[i].len;
        }
        if (out_len > n || taken > n)
            abort();
        if (mo_pb_strip(out, out_len, rules, nr, 0, "fuzz.pb", &again, &again_len, &spans2, &n_again, &err) !=
                MO_OK ||
            n_again != 0 || again_len != out_len || memcmp(again, out, out_len) != 0)
            abort();
    }
    free(again);
    free(spans2);
    free(out);
    free(spans);
    free(msg);
    return 0;
}
