/* pb_wire.c - mo_pb_strip(): two walks over the message tree, one that
 * sizes every stripped message, one that writes it (a walked-into
 * submessage's new length must be written before its content).  Sizing
 * again at each level costs depth x size, and the depth is bounded. */
#include <config.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pb_wire.h"

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_I32 = 5 };

struct walk {
    const unsigned char *base;   /* the original buffer: offsets are from here */
    const struct mo_pb_rule *rules;
    size_t n_rules;
    const char *what;
    struct mo_error *err;
    unsigned char *out;          /* write walk: next byte; NULL while sizing */
    struct mo_pb_span *spans;
    size_t n_spans, cap_spans;
};

static enum mo_status corrupt(struct walk *w, const unsigned char *at, const char *why)
{
    return mo_error_set(w->err, MO_ERR_FORMAT, 2,
                        "'%s' is corrupt: %s at byte %zu; the file is truncated or not this format",
                        w->what, why, (size_t)(at - w->base));
}

/* A varint at *p (before end) into *v; false when it runs off or past 10 bytes. */
static bool get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    uint64_t x = 0;
    for (unsigned shift = 0; shift < 70; shift += 7) {
        if (*p >= end)
            return false;
        unsigned char c = *(*p)++;
        if (shift == 63 && c > 1)
            return false;
        x |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = x;
            return true;
        }
    }
    return false;
}

static size_t varint_size(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static void put_varint(struct walk *w, uint64_t v)
{
    while (v >= 0x80) {
        *w->out++ = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    *w->out++ = (unsigned char)v;
}

static const struct mo_pb_rule *rule_for(const struct walk *w, unsigned msg, uint32_t field)
{
    for (size_t i = 0; i < w->n_rules; i++)
        if (w->rules[i].msg == msg && w->rules[i].field == field)
            return &w->rules[i];
    return NULL;
}

static enum mo_status add_span(struct walk *w, const unsigned char *payload, size_t len, unsigned msg,
                               uint32_t field)
{
    if (w->n_spans == w->cap_spans) {
        size_t nc = w->cap_spans ? 2 * w->cap_spans : 64;
        struct mo_pb_span *s = realloc(w->spans, nc * sizeof *s);
        if (!s)
            return mo_error_set(w->err, MO_ERR_NOMEM, 0, "out of memory reading '%s'", w->what);
        w->spans = s;
        w->cap_spans = nc;
    }
    w->spans[w->n_spans++] = (struct mo_pb_span){(size_t)(payload - w->base), len, msg, field};
    return MO_OK;
}

/* Message kind msg in [p, end): its stripped size into *size, and, in the
 * write walk, its stripped bytes at w->out. */
static enum mo_status walk_msg(struct walk *w, const unsigned char *p, const unsigned char *end,
                               unsigned msg, int depth, size_t *size)
{
    if (depth > MO_PB_MAX_DEPTH)
        return corrupt(w, p, "messages nested too deep");
    size_t total = 0;
    while (p < end) {
        const unsigned char *field_start = p;
        uint64_t tag;
        if (!get_varint(&p, end, &tag))
            return corrupt(w, field_start, "a field tag runs off its message");
        uint64_t number = tag >> 3;
        unsigned wt = (unsigned)(tag & 7);
        if (number == 0 || number > 0x1fffffff)
            return corrupt(w, field_start, "a field number is out of range");
        const unsigned char *payload = p;
        uint64_t len = 0;
        switch (wt) {
        case WT_VARINT:
            if (!get_varint(&p, end, &len))
                return corrupt(w, field_start, "a varint runs off its message");
            break;
        case WT_I64:
        case WT_I32: {
            size_t k = wt == WT_I64 ? 8 : 4;
            if ((size_t)(end - p) < k)
                return corrupt(w, field_start, "a fixed-size field runs off its message");
            p += k;
            break;
        }
        case WT_LEN:
            if (!get_varint(&p, end, &len) || len > (uint64_t)(end - p))
                return corrupt(w, field_start, "a length-delimited field runs off its message");
            payload = p;
            p += len;
            break;
        default:
            return corrupt(w, field_start, "a field has an unknown wire type");
        }
        const struct mo_pb_rule *r = rule_for(w, msg, (uint32_t)number);
        if (r && wt != WT_LEN)
            return corrupt(w, field_start, "a message or bytes field is not length-delimited");
        if (r && (r->action == MO_PB_TAKE || r->action == MO_PB_MARK)) {
            uint32_t index = (uint32_t)w->n_spans;
            if (w->out) {
                if (w->n_spans >= UINT32_MAX)
                    return corrupt(w, field_start, "too many fields to take");
                enum mo_status rc = add_span(w, payload, (size_t)len, msg, (uint32_t)number);
                if (rc != MO_OK)
                    return rc;
            }
            if (r->action == MO_PB_MARK) {
                /* fixed width, so the sizing walk needs no span count */
                total += varint_size(tag) + 1 + MO_PB_MARK_LEN;
                if (w->out) {
                    put_varint(w, tag);
                    put_varint(w, MO_PB_MARK_LEN);
                    for (unsigned k = 0; k < MO_PB_MARK_LEN; k++)
                        *w->out++ = (unsigned char)(index >> (8 * k));
                }
            }
            continue;
        }
        if (r) {
            size_t child;
            struct walk sizing = *w;
            sizing.out = NULL;
            enum mo_status rc = walk_msg(&sizing, payload, payload + len, r->child, depth + 1, &child);
            if (rc != MO_OK)
                return rc;
            total += varint_size(tag) + varint_size(child) + child;
            if (w->out) {
                put_varint(w, tag);
                put_varint(w, child);
                rc = walk_msg(w, payload, payload + len, r->child, depth + 1, &child);
                if (rc != MO_OK)
                    return rc;
            }
            continue;
        }
        size_t k = (size_t)(p - field_start);
        total += k;
        if (w->out) {
            memcpy(w->out, field_start, k);
            w->out += k;
        }
    }
    *size = total;
    return MO_OK;
}

enum mo_status mo_pb_strip(const unsigned char *buf, size_t n, const struct mo_pb_rule *rules,
                           size_t n_rules, unsigned root, const char *what, unsigned char **out,
                           size_t *out_len, struct mo_pb_span **spans, size_t *n_spans,
                           struct mo_error *err)
{
    struct walk w = {.base = buf, .rules = rules, .n_rules = n_rules, .what = what ? what : "<memory>",
                     .err = err};
    size_t size;
    enum mo_status rc = walk_msg(&w, buf, buf + n, root, 0, &size);
    if (rc != MO_OK)
        return rc;
    unsigned char *o = malloc(size ? size : 1);
    if (!o)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory reading '%s'", w.what);
    w.out = o;
    rc = walk_msg(&w, buf, buf + n, root, 0, &size);
    if (rc != MO_OK || (size_t)(w.out - o) != size) {
        free(o);
        free(w.spans);
        return rc != MO_OK ? rc : mo_error_set(err, MO_ERR_INTERNAL, 0, "protobuf strip size mismatch");
    }
    *out = o;
    *out_len = size;
    *spans = w.spans;
    *n_spans = w.n_spans;
    return MO_OK;
}
