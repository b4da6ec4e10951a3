/* escape.c - text from a model file made safe to print.
 *
 * Names, types and attribute strings come from the file being converted;
 * a damaged or hostile one can hold bytes that are not UTF-8 or that a
 * terminal obeys (ESC sequences).  Every message therefore shows such
 * bytes as \xNN.  Backslashes are left alone on purpose: escaping is then
 * idempotent, so the CLI can escape a whole message line at the sink
 * although parts of it were already quoted with mo_quote(). */
#include <config.h>

#include <stdbool.h>
#include <string.h>

#include <mo/status.h>

/* Length of the well-formed UTF-8 sequence at s (n bytes available) that
 * encodes a printable character, or 0 when s[0] is to be escaped: an
 * ASCII or C1 control, a stray continuation byte, an overlong form, a
 * surrogate, a code point above U+10FFFF, or a sequence cut short.  The
 * ranges are those of RFC 3629's UTF8-2/3/4 rules. */
static size_t printable_utf8(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return c >= 0x20 && c != 0x7f;
    size_t len;
    unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0)
            lo = 0xa0; /* below: overlong */
        else if (c == 0xed)
            hi = 0x9f; /* above: UTF-16 surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0)
            lo = 0x90; /* below: overlong */
        else if (c == 0xf4)
            hi = 0x8f; /* above: beyond U+10FFFF */
    } else {
        return 0; /* 0x80-0xc1 (continuation, overlong lead), 0xf5-0xff */
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    /* U+0080-U+009F: C1 controls (0x9b is CSI for some terminals) */
    if (c == 0xc2 && s[1] < 0xa0)
        return 0;
    return len;
}

size_t mo_escape(char *dst, size_t cap, const char *src, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    if (!cap)
        return 0;
    const unsigned char *s = (const unsigned char *)(src ? src : "");
    if (!src)
        len = 0;
    size_t room = cap - 1, out = 0;
    /* the last output length after which "..." still fits */
    size_t cut = 0;
    for (size_t i = 0; i < len;) {
        size_t u = printable_utf8(s + i, len - i);
        size_t w = u ? u : 4;
        if (out + w > room) {
            /* cut before the unit that does not fit, never inside one */
            if (room >= 3) {
                memcpy(dst + cut, "...", 3);
                out = cut + 3;
            }
            break;
        }
        if (u) {
            memcpy(dst + out, s + i, u);
            i += u;
        } else {
            dst[out] = '\\';
            dst[out + 1] = 'x';
            dst[out + 2] = hex[s[i] >> 4];
            dst[out + 3] = hex[s[i] & 15];
            i++;
        }
        out += w;
        if (out + 3 <= room)
            cut = out;
    }
    dst[out] = 0;
    return out;
}

const char *mo_quote(char buf[MO_QUOTE_SIZE], const char *s)
{
    mo_escape(buf, MO_QUOTE_SIZE, s, s ? strlen(s) : 0);
    return buf;
}
