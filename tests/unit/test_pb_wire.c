/* test_pb_wire.c - mo_pb_strip() on messages encoded here by a separate
 * little encoder: the stripped copy equals the same message encoded
 * without the taken fields (lengths rewritten, also where a length varint
 * shrinks), spans point at the taken payloads, recursion through a schema
 * cycle works, and every malformed or truncated buffer is refused. */
#include <config.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "pb_wire.h"
#include "run_suite.h"

/* --- an encoder, independent of the code under test ------------------- */

struct buf {
    unsigned char b[8192];
    size_t n;
};

static void varint(struct buf *o, uint64_t v)
{
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        o->b[o->n++] = c | (v ? 0x80 : 0);
    } while (v);
}

static void tag(struct buf *o, unsigned field, unsigned wt) { varint(o, (uint64_t)field << 3 | wt); }

static void bytes(struct buf *o, unsigned field, const void *p, size_t n)
{
    tag(o, field, 2);
    varint(o, n);
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void sub(struct buf *o, unsigned field, const struct buf *m) { bytes(o, field, m->b, m->n); }

/* Schema: 0 = Graph {1: varint id, 2: string name, 3: Tensor (repeated), 15: fixed64}
 *         1 = Tensor {1: varint, 4: fixed32, 9: raw bytes (taken), 5: Graph (a subgraph)} */
static const struct mo_pb_rule rules[] = {
    {0, 3, MO_PB_DESCEND, 1},
    {1, 9, MO_PB_TAKE, 0},
    {1, 5, MO_PB_DESCEND, 0},
};

static unsigned char raw_a[300], raw_b[7], raw_c[200];

/* A tensor, with or without its raw bytes; sub_graph may be NULL. */
static void tensor(struct buf *t, bool with_raw, const unsigned char *raw, size_t rn,
                   const struct buf *sub_graph)
{
    t->n = 0;
    tag(t, 1, 0);
    varint(t, 42);
    if (with_raw)
        bytes(t, 9, raw, rn);
    tag(t, 4, 5);
    memcpy(t->b + t->n, "\x01\x02\x03\x04", 4);
    t->n += 4;
    if (sub_graph)
        sub(t, 5, sub_graph);
}

/* The whole model, or (with_raw false) what stripping must give. */
static void model(struct buf *g, bool with_raw)
{
    struct buf inner_t, inner_g, t1, t2;
    tensor(&inner_t, with_raw, raw_c, sizeof raw_c, NULL);
    inner_g.n = 0;
    sub(&inner_g, 3, &inner_t);
    tensor(&t1, with_raw, raw_a, sizeof raw_a, NULL);
    tensor(&t2, with_raw, raw_b, sizeof raw_b, &inner_g);
    g->n = 0;
    tag(g, 1, 0);
    varint(g, 300);
    bytes(g, 2, "net", 3);
    sub(g, 3, &t1);
    tag(g, 15, 1);
    memcpy(g->b + g->n, "abcdefgh", 8);
    g->n += 8;
    sub(g, 3, &t2);
}

static void fill(void)
{
    for (size_t i = 0; i < sizeof raw_a; i++)
        raw_a[i] = (unsigned char)(i * 7 + 1);
    for (size_t i = 0; i < sizeof raw_b; i++)
        raw_b[i] = (unsigned char)(0xb0 + i);
    for (size_t i = 0; i < sizeof raw_c; i++)
        raw_c[i] = (unsigned char)(255 - i);
}

static size_t find(const struct buf *in, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i + n <= in->n; i++)
        if (!memcmp(in->b + i, p, n))
            return i;
    ck_abort_msg("payload not in the input");
    return 0;
}

START_TEST(strips_and_spans)
{
    fill();
    struct buf full, want;
    model(&full, true);
    model(&want, false);
    unsigned char *out;
    size_t out_len, n_spans;
    struct mo_pb_span *spans;
    struct mo_error err = {0};
    ck_assert_int_eq(mo_pb_strip(full.b, full.n, rules, 3, 0, "m.onnx", &out, &out_len, &spans, &n_spans, &err),
                     MO_OK);
    ck_assert_uint_eq(out_len, want.n);
    ck_assert(!memcmp(out, want.b, want.n));
    /* document order: t1's raw, t2's own raw, then the raw of the tensor in
     * t2's subgraph */
    ck_assert_uint_eq(n_spans, 3);
    ck_assert_uint_eq(spans[0].offset, find(&full, raw_a, sizeof raw_a));
    ck_assert_uint_eq(spans[0].len, sizeof raw_a);
    ck_assert_uint_eq(spans[1].offset, find(&full, raw_b, sizeof raw_b));
    ck_assert_uint_eq(spans[1].len, sizeof raw_b);
    ck_assert_uint_eq(spans[2].offset, find(&full, raw_c, sizeof raw_c));
    ck_assert_uint_eq(spans[2].len, sizeof raw_c);
    for (int i = 0; i < 3; i++) {
        ck_assert_uint_eq(spans[i].msg, 1);
        ck_assert_uint_eq(spans[i].field, 9);
    }
    free(out);
    free(spans);
}
END_TEST

/* MARK leaves the field in place with the span's index as its payload,
 * so a decoder pairs each message with its own bytes. */
START_TEST(marks_carry_the_index)
{
    fill();
    static const struct mo_pb_rule mark_rules[] = {
        {0, 3, MO_PB_DESCEND, 1},
        {1, 9, MO_PB_MARK, 0},
        {1, 5, MO_PB_DESCEND, 0},
    };
    struct buf full, want, inner_t, inner_g, t1, t2;
    model(&full, true);
    /* the expected copy: each raw field replaced by a 4-byte marker, in
     * document order 0, 1, 2 */
    unsigned char m0[4] = {0, 0, 0, 0}, m1[4] = {1, 0, 0, 0}, m2[4] = {2, 0, 0, 0};
    tensor(&inner_t, true, m2, 4, NULL);
    inner_g.n = 0;
    sub(&inner_g, 3, &inner_t);
    tensor(&t1, true, m0, 4, NULL);
    tensor(&t2, true, m1, 4, &inner_g);
    want.n = 0;
    tag(&want, 1, 0);
    varint(&want, 300);
    bytes(&want, 2, "net", 3);
    sub(&want, 3, &t1);
    tag(&want, 15, 1);
    memcpy(want.b + want.n, "abcdefgh", 8);
    want.n += 8;
    sub(&want, 3, &t2);
    unsigned char *out;
    size_t out_len, n_spans;
    struct mo_pb_span *spans;
    ck_assert_int_eq(mo_pb_strip(full.b, full.n, mark_rules, 3, 0, "m.onnx", &out, &out_len, &spans,
                                 &n_spans, NULL), MO_OK);
    ck_assert_uint_eq(out_len, want.n);
    ck_assert(!memcmp(out, want.b, want.n));
    ck_assert_uint_eq(n_spans, 3);
    ck_assert_uint_eq(spans[1].offset, find(&full, raw_b, sizeof raw_b));
    ck_assert_uint_eq(mo_pb_mark_index(m2), 2);
    ck_assert_uint_eq(mo_pb_mark_index((const unsigned char *)"\x01\x02\x03\x04"), 0x04030201u);
    free(out);
    free(spans);
}
END_TEST

START_TEST(no_rules_copies)
{
    fill();
    struct buf full;
    model(&full, true);
    unsigned char *out;
    size_t out_len, n_spans;
    struct mo_pb_span *spans;
    ck_assert_int_eq(mo_pb_strip(full.b, full.n, NULL, 0, 0, NULL, &out, &out_len, &spans, &n_spans, NULL),
                     MO_OK);
    ck_assert_uint_eq(out_len, full.n);
    ck_assert(!memcmp(out, full.b, full.n));
    ck_assert_uint_eq(n_spans, 0);
    free(out);
    free(spans);
    /* an empty message is a valid one */
    ck_assert_int_eq(mo_pb_strip(full.b, 0, rules, 3, 0, NULL, &out, &out_len, &spans, &n_spans, NULL), MO_OK);
    ck_assert_uint_eq(out_len, 0);
    free(out);
    free(spans);
}
END_TEST

START_TEST(truncated_everywhere)
{
    /* every prefix either parses (cut between top-level fields) or is
     * refused as corrupt: never a read past the end (ASan) */
    fill();
    struct buf full;
    model(&full, true);
    int ok = 0, refused = 0;
    for (size_t n = 0; n < full.n; n++) {
        unsigned char *cut = malloc(n ? n : 1), *out = NULL;
        memcpy(cut, full.b, n);
        size_t out_len, n_spans;
        struct mo_pb_span *spans = NULL;
        struct mo_error err = {0};
        enum mo_status rc = mo_pb_strip(cut, n, rules, 3, 0, "cut.onnx", &out, &out_len, &spans, &n_spans, &err);
        if (rc == MO_OK) {
            ok++;
            free(out);
            free(spans);
        } else {
            refused++;
            ck_assert_int_eq(rc, MO_ERR_FORMAT);
            ck_assert_msg(strstr(err.msg, "'cut.onnx' is corrupt") && strstr(err.msg, "at byte"), "%s", err.msg);
        }
        free(cut);
    }
    ck_assert_int_eq(ok, 5); /* 0 bytes and after each of the first four top-level fields */
    ck_assert_int_gt(refused, 500);
}
END_TEST

static enum mo_status strip(const struct buf *b, const struct mo_pb_rule *r, size_t nr, struct mo_error *err)
{
    unsigned char *out = NULL;
    size_t out_len, n_spans;
    struct mo_pb_span *spans = NULL;
    enum mo_status rc = mo_pb_strip(b->b, b->n, r, nr, 0, "bad.pb", &out, &out_len, &spans, &n_spans, err);
    free(out);
    free(spans);
    return rc;
}

START_TEST(malformed)
{
    struct mo_error err = {0};
    struct buf b = {.n = 0};
    tag(&b, 3, 3); /* a group: not supported, not ours */
    ck_assert_int_eq(strip(&b, rules, 3, &err), MO_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, "wire type"), "%s", err.msg);
    b.n = 0;
    tag(&b, 3, 0); /* the tensor field as a varint */
    varint(&b, 5);
    ck_assert_int_eq(strip(&b, rules, 3, &err), MO_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, "not length-delimited"), "%s", err.msg);
    b.n = 0;
    tag(&b, 0, 0); /* field number 0 */
    varint(&b, 1);
    ck_assert_int_eq(strip(&b, rules, 3, &err), MO_ERR_FORMAT);
    b.n = 0;
    for (int i = 0; i < 11; i++) /* a varint of 11 bytes */
        b.b[b.n++] = 0xff;
    ck_assert_int_eq(strip(&b, rules, 3, &err), MO_ERR_FORMAT);
    b.n = 0;
    bytes(&b, 2, "x", 1);
    b.b[1] = 9; /* the length says 9, one byte follows */
    ck_assert_int_eq(strip(&b, rules, 3, &err), MO_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, "at byte 0"), "%s", err.msg);
}
END_TEST

START_TEST(depth_bomb)
{
    /* message 0 holds itself as field 1: 70 levels deep is refused, 60 is fine */
    static const struct mo_pb_rule self[] = {{0, 1, MO_PB_DESCEND, 0}};
    for (int depth = 60; depth <= 70; depth += 10) {
        struct buf a = {.n = 0}, b;
        for (int i = 0; i < depth; i++) {
            b = a;
            a.n = 0;
            sub(&a, 1, &b);
        }
        struct mo_error err = {0};
        enum mo_status rc = strip(&a, self, 1, &err);
        if (depth == 60)
            ck_assert_int_eq(rc, MO_OK);
        else
            ck_assert_msg(rc == MO_ERR_FORMAT && strstr(err.msg, "too deep"), "%s", err.msg);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pb_wire");
    TCase *tc = tcase_create("strip");
    tcase_add_test(tc, strips_and_spans);
    tcase_add_test(tc, marks_carry_the_index);
    tcase_add_test(tc, no_rules_copies);
    tcase_add_test(tc, truncated_everywhere);
    tcase_add_test(tc, malformed);
    tcase_add_test(tc, depth_bomb);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
