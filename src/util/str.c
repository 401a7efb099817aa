/* str.c - small string helpers. */
#include "util/str.h"

#include <stdlib.h>
#include <string.h>

enum err str_parse_i64(const char *s, int64_t *out)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    } else if (*p == '+') {
        p++;
    }
    if (!(*p >= '0' && *p <= '9'))
        return ERR_PARSE;
    uint64_t v = 0;
    uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    while (*p >= '0' && *p <= '9') {
        unsigned d = (unsigned)(*p - '0');
        if (v > (lim - d) / 10)
            return ERR_LIMIT;
        v = v * 10 + d;
        p++;
    }
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    if (*p)
        return ERR_PARSE;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return ERR_OK;
}

char *str_trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    size_t i = 0;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    if (i)
        memmove(s, s + i, n - i + 1);
    return s;
}

int str_copy(char *dst, size_t n, const char *src)
{
    if (n == 0)
        return 1;
    size_t l = strlen(src);
    if (l >= n) {
        memcpy(dst, src, n - 1);
        dst[n - 1] = '\0';
        return 1;
    }
    memcpy(dst, src, l + 1);
    return 0;
}

char *str_dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

int str_is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(s[i] >= '0' && s[i] <= '9'))
            return 0;
    return s[n] == '\0';
}

int str_starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Length of the well-formed sequence starting at p[0] (Unicode Table 3-7),
 * or 0 if none starts there. */
static size_t utf8_seq(const unsigned char *p, size_t avail)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t k;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        k = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        k = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlong forms */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates D800-DFFF */
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4;
        if (c == 0xF0)
            lo = 0x90; /* no overlong forms */
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 0;
    }
    if (avail < k || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t j = 2; j < k; j++)
        if ((p[j] & 0xC0) != 0x80)
            return 0;
    return k;
}

long str_utf8_len(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    long count = 0;
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_seq(p + i, n - i);
        if (k == 0)
            return -1;
        i += k;
        count++;
    }
    return count;
}

long str_text_chars(const char *s, size_t n, int flags)
{
    long chars = str_utf8_len(s, n);
    if (chars < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t' || ((c == '\n' || c == '\r') && (flags & STR_TEXT_LINES)))
            continue;
        if (c < 0x20 || c == 0x7f)
            return -1;
    }
    return chars;
}

int str_text_ok(const char *s, size_t n, int flags)
{
    return str_text_chars(s, n, flags) >= 0;
}

int str_text_fits(const char *s, int flags, size_t max_chars)
{
    if (!s)
        return 0;
    long chars = str_text_chars(s, strlen(s), flags);
    return chars >= 0 && (size_t)chars <= max_chars;
}

char *str_pad(char *out, size_t n, const char *s, size_t width, int right)
{
    if (n == 0)
        return out;
    /* bytes of s that make up at most width code points */
    size_t len = strlen(s), bytes = 0, cps = 0;
    while (bytes < len && cps < width) {
        size_t k = 1;
        while (bytes + k < len && ((unsigned char)s[bytes + k] & 0xC0) == 0x80)
            k++;
        bytes += k;
        cps++;
    }
    size_t padn = width > cps ? width - cps : 0;
    size_t o = 0;
    if (right)
        for (size_t i = 0; i < padn && o + 1 < n; i++)
            out[o++] = ' ';
    for (size_t i = 0; i < bytes && o + 1 < n; i++)
        out[o++] = s[i];
    if (!right)
        for (size_t i = 0; i < padn && o + 1 < n; i++)
            out[o++] = ' ';
    out[o] = '\0';
    return out;
}
