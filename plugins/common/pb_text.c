/* pb_text.c - protobuf text format -> wire format, by the descriptors. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pb_text.h"

/* A growing byte buffer; a failed allocation is remembered, not checked at
 * every append. */
struct obuf {
    unsigned char *b;
    size_t n, cap;
    bool nomem;
};

static void put(struct obuf *o, const void *p, size_t n)
{
    /* n == 0 comes with p NULL (an empty string or message): memcpy must
     * not see it */
    if (o->nomem || n == 0)
        return;
    if (o->n + n > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->n + n)
            cap *= 2;
        unsigned char *nb = realloc(o->b, cap);
        if (!nb) {
            o->nomem = true;
            return;
        }
        o->b = nb;
        o->cap = cap;
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void put_varint(struct obuf *o, uint64_t v)
{
    unsigned char c[10];
    size_t k = 0;
    do {
        c[k] = v & 0x7f;
        v >>= 7;
        c[k++] |= v ? 0x80 : 0;
    } while (v);
    put(o, c, k);
}

static void put_tag(struct obuf *o, uint32_t field, unsigned wt)
{
    put_varint(o, (uint64_t)field << 3 | wt);
}

static void put_fixed(struct obuf *o, uint64_t v, unsigned bytes)
{
    unsigned char c[8];
    for (unsigned i = 0; i < bytes; i++)
        c[i] = (unsigned char)(v >> (8 * i));
    put(o, c, bytes);
}

struct lex {
    const char *s, *end, *p;
    const char *what;
    struct mo_error *err;
    bool failed;
};

static void where(const struct lex *l, const char *at, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (const char *q = l->s; q < at && q < l->end; q++) {
        if (*q == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static bool fail(struct lex *l, const char *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(struct lex *l, const char *at, const char *fmt, ...)
{
    if (l->failed)
        return false;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line, col;
    where(l, at, &line, &col);
    mo_error_set(l->err, MO_ERR_FORMAT, 2, "'%s' line %d, column %d: %s", l->what, line, col, msg);
    l->failed = true;
    return false;
}

/* Skip blanks and # comments. */
static void skip_ws(struct lex *l)
{
    while (l->p < l->end) {
        if (isspace((unsigned char)*l->p)) {
            l->p++;
        } else if (*l->p == '#') {
            while (l->p < l->end && *l->p != '\n')
                l->p++;
        } else {
            break;
        }
    }
}

static bool at_char(struct lex *l, char c)
{
    skip_ws(l);
    return l->p < l->end && *l->p == c;
}

static bool eat(struct lex *l, char c)
{
    if (!at_char(l, c))
        return false;
    l->p++;
    return true;
}

static bool is_ident_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool is_ident(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* An identifier at p (after blanks): its length, 0 when none. */
static size_t ident(struct lex *l)
{
    skip_ws(l);
    const char *q = l->p;
    if (q >= l->end || !is_ident_start(*q))
        return 0;
    while (q < l->end && is_ident(*q))
        q++;
    return (size_t)(q - l->p);
}

/* A scalar token: an identifier, a number (with sign, '.', exponent, hex
 * digits, suffix), returned as [*tok, *tok + *len). */
static bool scalar_token(struct lex *l, const char **tok, size_t *len)
{
    skip_ws(l);
    const char *q = l->p;
    if (q < l->end && (*q == '-' || *q == '+'))
        q++;
    while (q < l->end && (is_ident(*q) || *q == '.' ||
                          ((*q == '-' || *q == '+') && q > l->p && (q[-1] == 'e' || q[-1] == 'E'))))
        q++;
    if (q == l->p || (q == l->p + 1 && (*l->p == '-' || *l->p == '+')))
        return fail(l, l->p, "expected a value");
    *tok = l->p;
    *len = (size_t)(q - l->p);
    l->p = q;
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* One or more adjacent quoted strings, unescaped into o. */
static bool string_value(struct lex *l, struct obuf *o)
{
    if (!at_char(l, '"') && !at_char(l, '\''))
        return fail(l, l->p, "expected a quoted string");
    while (at_char(l, '"') || at_char(l, '\'')) {
        char q = *l->p++;
        for (;;) {
            if (l->p >= l->end || *l->p == '\n')
                return fail(l, l->p, "unterminated string");
            char c = *l->p++;
            if (c == q)
                break;
            if (c != '\\') {
                put(o, &c, 1);
                continue;
            }
            if (l->p >= l->end)
                return fail(l, l->p, "unterminated string");
            char e = *l->p++;
            unsigned char v;
            switch (e) {
            case 'n': v = '\n'; break;
            case 't': v = '\t'; break;
            case 'r': v = '\r'; break;
            case 'a': v = '\a'; break;
            case 'b': v = '\b'; break;
            case 'f': v = '\f'; break;
            case 'v': v = '\v'; break;
            case '\\': case '\'': case '"': case '?': v = (unsigned char)e; break;
            case 'x': case 'X': {
                int d, acc = 0, k = 0;
                while (k < 2 && l->p < l->end && (d = hexval(*l->p)) >= 0) {
                    acc = acc * 16 + d;
                    l->p++;
                    k++;
                }
                if (!k)
                    return fail(l, l->p, "\\x without hex digits");
                v = (unsigned char)acc;
                break;
            }
            default:
                if (e >= '0' && e <= '7') {
                    int acc = e - '0', k = 1;
                    while (k < 3 && l->p < l->end && *l->p >= '0' && *l->p <= '7') {
                        acc = acc * 8 + (*l->p++ - '0');
                        k++;
                    }
                    if (acc > 255)
                        return fail(l, l->p, "octal escape above \\377");
                    v = (unsigned char)acc;
                    break;
                }
                return fail(l, l->p - 1, "unknown escape '\\%c'", e);
            }
            put(o, &v, 1);
        }
    }
    return true;
}

static bool tok_is(const char *t, size_t n, const char *word)
{
    return strlen(word) == n && !strncasecmp(t, word, n);
}

/* An integer token: *neg and the magnitude. */
static bool parse_int(struct lex *l, const char *t, size_t n, bool *neg, uint64_t *mag)
{
    char buf[72];
    if (n >= sizeof buf)
        return fail(l, t, "number too long");
    memcpy(buf, t, n);
    buf[n] = 0;
    const char *s = buf;
    *neg = false;
    if (*s == '-' || *s == '+')
        *neg = *s++ == '-';
    if (!isdigit((unsigned char)*s))
        return fail(l, t, "expected an integer, not '%s'", buf);
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    } else if (s[0] == '0' && s[1]) {
        base = 8;
    }
    char *endp;
    errno = 0;
    unsigned long long v = strtoull(s, &endp, base);
    if (*endp || endp == s)
        return fail(l, t, "expected an integer, not '%s'", buf);
    if (errno == ERANGE)
        return fail(l, t, "integer '%s' out of range", buf);
    *mag = v;
    return true;
}

static bool parse_float(struct lex *l, const char *t, size_t n, double *out)
{
    char buf[72];
    if (n >= sizeof buf)
        return fail(l, t, "number too long");
    memcpy(buf, t, n);
    buf[n] = 0;
    const char *s = buf;
    bool neg = false;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    size_t m = strlen(s);
    if (tok_is(s, m, "inf") || tok_is(s, m, "infinity") || tok_is(s, m, "inff") ||
        tok_is(s, m, "infinityf")) {
        *out = neg ? -INFINITY : INFINITY;
        return true;
    }
    if (tok_is(s, m, "nan") || tok_is(s, m, "nanf")) {
        *out = NAN;
        return true;
    }
    if (m && (s[m - 1] == 'f' || s[m - 1] == 'F') && !(m > 1 && (s[1] == 'x' || s[1] == 'X')))
        buf[strlen(buf) - 1] = 0;
    char *endp;
    double v;
    if (!isdigit((unsigned char)*s) && *s != '.')
        return fail(l, t, "expected a number, not '%.*s'", (int)n, t);
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        bool ng;
        uint64_t mag;
        if (!parse_int(l, t, n, &ng, &mag))
            return false;
        *out = ng ? -(double)mag : (double)mag;
        return true;
    }
    v = strtod(s, &endp);
    if (*endp)
        return fail(l, t, "expected a number, not '%.*s'", (int)n, t);
    *out = neg ? -v : v;
    return true;
}

/* A scalar value of field f appended to o, tag included. */
static bool scalar_field(struct lex *l, const ProtobufCFieldDescriptor *f, struct obuf *o)
{
    if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_BYTES) {
        struct obuf s = {0};
        const char *at = l->p;
        bool ok = string_value(l, &s);
        if (ok) {
            put_tag(o, f->id, 2);
            put_varint(o, s.n);
            put(o, s.b, s.n);
            ok = !s.nomem;
            if (!ok)
                fail(l, at, "out of memory");
        }
        free(s.b);
        return ok;
    }
    const char *t;
    size_t n;
    if (!scalar_token(l, &t, &n))
        return false;
    bool neg = false;
    uint64_t mag = 0;
    double d = 0;
    switch (f->type) {
    case PROTOBUF_C_TYPE_BOOL: {
        uint64_t v;
        if (tok_is(t, n, "true") || tok_is(t, n, "t") || (n == 1 && *t == '1'))
            v = 1;
        else if (tok_is(t, n, "false") || tok_is(t, n, "f") || (n == 1 && *t == '0'))
            v = 0;
        else
            return fail(l, t, "field '%s' is a bool, not '%.*s'", f->name, (int)n, t);
        put_tag(o, f->id, 0);
        put_varint(o, v);
        return true;
    }
    case PROTOBUF_C_TYPE_ENUM: {
        int64_t v;
        if (is_ident_start(*t)) {
            const ProtobufCEnumDescriptor *ed = f->descriptor;
            char name[128];
            if (n >= sizeof name)
                return fail(l, t, "enum value name too long");
            memcpy(name, t, n);
            name[n] = 0;
            const ProtobufCEnumValue *ev = ed ? protobuf_c_enum_descriptor_get_value_by_name(ed, name) : NULL;
            if (!ev)
                return fail(l, t, "'%s' is not a value of %s (field '%s')", name,
                            ed ? ed->name : "the enum", f->name);
            v = ev->value;
        } else {
            if (!parse_int(l, t, n, &neg, &mag) || (mag > (neg ? 2147483648u : 2147483647u)))
                return l->failed ? false : fail(l, t, "enum number out of range");
            v = neg ? -(int64_t)mag : (int64_t)mag;
        }
        put_tag(o, f->id, 0);
        put_varint(o, (uint64_t)v);
        return true;
    }
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_DOUBLE: {
        if (!parse_float(l, t, n, &d))
            return false;
        if (f->type == PROTOBUF_C_TYPE_FLOAT) {
            float fv = (float)d;
            uint32_t bits;
            memcpy(&bits, &fv, 4);
            put_tag(o, f->id, 5);
            put_fixed(o, bits, 4);
        } else {
            uint64_t bits;
            memcpy(&bits, &d, 8);
            put_tag(o, f->id, 1);
            put_fixed(o, bits, 8);
        }
        return true;
    }
    default:
        break;
    }
    if (!parse_int(l, t, n, &neg, &mag))
        return false;
    bool is_signed = f->type == PROTOBUF_C_TYPE_INT32 || f->type == PROTOBUF_C_TYPE_SINT32 ||
                     f->type == PROTOBUF_C_TYPE_SFIXED32 || f->type == PROTOBUF_C_TYPE_INT64 ||
                     f->type == PROTOBUF_C_TYPE_SINT64 || f->type == PROTOBUF_C_TYPE_SFIXED64;
    bool wide = f->type == PROTOBUF_C_TYPE_INT64 || f->type == PROTOBUF_C_TYPE_SINT64 ||
                f->type == PROTOBUF_C_TYPE_SFIXED64 || f->type == PROTOBUF_C_TYPE_UINT64 ||
                f->type == PROTOBUF_C_TYPE_FIXED64;
    uint64_t maxpos = is_signed ? (wide ? INT64_MAX : INT32_MAX) : (wide ? UINT64_MAX : UINT32_MAX);
    uint64_t maxneg = is_signed ? (wide ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT32_MAX + 1) : 0;
    if ((neg && mag > maxneg) || (!neg && mag > maxpos))
        return fail(l, t, "%.*s is out of range for field '%s'", (int)n, t, f->name);
    int64_t sv = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_UINT64:
        put_tag(o, f->id, 0);
        put_varint(o, (uint64_t)sv);   /* negative int32 takes ten bytes, as in protobuf */
        break;
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SINT64:
        put_tag(o, f->id, 0);
        put_varint(o, ((uint64_t)sv << 1) ^ (uint64_t)(sv >> 63));
        break;
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_SFIXED32:
        put_tag(o, f->id, 5);
        put_fixed(o, (uint64_t)sv, 4);
        break;
    default:
        put_tag(o, f->id, 1);
        put_fixed(o, (uint64_t)sv, 8);
        break;
    }
    return true;
}

static bool message_body(struct lex *l, const ProtobufCMessageDescriptor *desc, struct obuf *o,
                         char close, int depth);

/* A value of a field no descriptor knows: checked for form, dropped. */
static bool skip_value(struct lex *l, int depth)
{
    if (at_char(l, '{') || at_char(l, '<')) {
        char close = *l->p == '{' ? '}' : '>';
        l->p++;
        return message_body(l, NULL, NULL, close, depth + 1);
    }
    if (at_char(l, '"') || at_char(l, '\'')) {
        struct obuf s = {0};
        bool ok = string_value(l, &s);
        free(s.b);
        return ok;
    }
    const char *t;
    size_t n;
    return scalar_token(l, &t, &n);
}

/* A nested message value (after the opening bracket was seen). */
static bool message_value(struct lex *l, const ProtobufCFieldDescriptor *f, struct obuf *o, int depth)
{
    char close = *l->p == '{' ? '}' : '>';
    l->p++;
    struct obuf sub = {0};
    bool ok = message_body(l, f->descriptor, &sub, close, depth + 1);
    if (ok) {
        put_tag(o, f->id, 2);
        put_varint(o, sub.n);
        put(o, sub.b, sub.n);
        if (sub.nomem)
            ok = fail(l, l->p, "out of memory");
    }
    free(sub.b);
    return ok;
}

/* One value of field f (NULL: unknown, skipped), a message or a scalar. */
static bool one_value(struct lex *l, const ProtobufCFieldDescriptor *f, struct obuf *o, int depth)
{
    if (!f)
        return skip_value(l, depth);
    if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
        if (!at_char(l, '{') && !at_char(l, '<'))
            return fail(l, l->p, "field '%s' is a message: expected '{'", f->name);
        return message_value(l, f, o, depth);
    }
    if (at_char(l, '{') || at_char(l, '<'))
        return fail(l, l->p, "field '%s' is not a message", f->name);
    return scalar_field(l, f, o);
}

/* Entries up to `close` ('\0': the end of the text). */
static bool message_body(struct lex *l, const ProtobufCMessageDescriptor *desc, struct obuf *o,
                         char close, int depth)
{
    if (depth > MO_PB_TEXT_MAX_DEPTH)
        return fail(l, l->p, "messages nested deeper than %d", MO_PB_TEXT_MAX_DEPTH);
    for (;;) {
        skip_ws(l);
        if (l->p >= l->end) {
            if (close)
                return fail(l, l->p, "the text ends before '%c' closes a message", close);
            break;
        }
        if (close && *l->p == close) {
            l->p++;
            break;
        }
        const char *at = l->p;
        const ProtobufCFieldDescriptor *f = NULL;
        if (*l->p == '[') {
            /* an extension or Any type URL: [a.b.c] or [type.googleapis.com/x.y] */
            while (l->p < l->end && *l->p != ']' && *l->p != '\n')
                l->p++;
            if (l->p >= l->end || *l->p != ']')
                return fail(l, at, "unterminated '[' field name");
            l->p++;
        } else {
            size_t n = ident(l);
            if (!n)
                return fail(l, l->p, "expected a field name%s", close ? " or the end of the message" : "");
            char name[256];
            if (n >= sizeof name)
                return fail(l, at, "field name too long");
            memcpy(name, l->p, n);
            name[n] = 0;
            l->p += n;
            f = desc ? protobuf_c_message_descriptor_get_field_by_name(desc, name) : NULL;
        }
        bool colon = eat(l, ':');
        if (!colon && !at_char(l, '{') && !at_char(l, '<'))
            return fail(l, l->p, "expected ':' or '{' after field '%.*s'", (int)(l->p - at), at);
        bool ok;
        if (at_char(l, '[')) {
            l->p++;
            if (f && f->label != PROTOBUF_C_LABEL_REPEATED)
                return fail(l, at, "field '%s' is not repeated: a list is not allowed", f->name);
            ok = true;
            if (!eat(l, ']')) {
                do
                    ok = one_value(l, f, o, depth);
                while (ok && eat(l, ','));
                if (ok && !eat(l, ']'))
                    ok = fail(l, l->p, "expected ',' or ']' in a list");
            }
        } else {
            ok = one_value(l, f, o, depth);
        }
        if (!ok)
            return false;
        if (!eat(l, ','))
            eat(l, ';');
    }
    if (o && o->nomem)
        return fail(l, l->p, "out of memory");
    return true;
}

enum mo_status mo_pb_text_to_wire(const char *text, size_t n, const ProtobufCMessageDescriptor *desc,
                                  const char *what, unsigned char **out, size_t *out_len,
                                  struct mo_error *err)
{
    *out = NULL;
    *out_len = 0;
    struct lex l = {text, text + n, text, what, err, false};
    struct obuf o = {0};
    if (!message_body(&l, desc, &o, 0, 0)) {
        free(o.b);
        return err ? err->code : MO_ERR_FORMAT;
    }
    if (!o.b && !(o.b = malloc(1))) {
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    *out = o.b;
    *out_len = o.n;
    return MO_OK;
}

enum mo_status mo_pb_text_parse(const char *text, size_t n, const ProtobufCMessageDescriptor *desc,
                                const char *what, ProtobufCMessage **msg, struct mo_error *err)
{
    *msg = NULL;
    unsigned char *wire;
    size_t len;
    enum mo_status st = mo_pb_text_to_wire(text, n, desc, what, &wire, &len, err);
    if (st != MO_OK)
        return st;
    *msg = protobuf_c_message_unpack(desc, NULL, len, wire);
    free(wire);
    if (!*msg)
        /* the wire bytes are well formed by construction: only a required
         * field left out, or memory, makes unpacking fail */
        return mo_error_set(err, MO_ERR_FORMAT, 2,
                            "'%s': the text lacks a required field of %s (or memory ran out)", what,
                            desc->name);
    return MO_OK;
}
