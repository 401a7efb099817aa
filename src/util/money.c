/* money.c - parse and format amounts of money held as öre. */
#include "util/money.h"

#include <stdio.h>
#include <string.h>

/* Parse [-]digits with optional thousands separators (space, '_', NBSP,
 * narrow NBSP, each followed by exactly three digits), an optional decimal
 * part of one or two digits after ',' or '.', and an optional "kr". */
static enum err parse(const char *s, int64_t *ore, int allow_decimals)
{
    int64_t kr = 0, frac = 0;
    int digits = 0, neg = 0;
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    for (;;) {
        unsigned char c = (unsigned char)*p;
        size_t sep = 0;
        if (c >= '0' && c <= '9') {
            if (kr > MONEY_MAX_KR / 10)
                return ERR_LIMIT;
            kr = kr * 10 + (c - '0');
            if (kr > MONEY_MAX_KR)
                return ERR_LIMIT;
            digits++;
            p++;
            continue;
        }
        if (c == ' ' || c == '_')
            sep = 1;
        else if (c == 0xC2 && (unsigned char)p[1] == 0xA0)
            sep = 2;
        else if (c == 0xE2 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0xAF)
            sep = 3;
        if (sep && digits > 0 && p[sep] >= '0' && p[sep] <= '9' && p[sep + 1] >= '0' &&
            p[sep + 1] <= '9' && p[sep + 2] >= '0' && p[sep + 2] <= '9' &&
            !(p[sep + 3] >= '0' && p[sep + 3] <= '9')) {
            p += sep;
            continue;
        }
        break;
    }
    if (digits == 0)
        return ERR_PARSE;
    if ((*p == ',' || *p == '.') && allow_decimals) {
        p++;
        int nd = 0;
        while (*p >= '0' && *p <= '9') {
            if (nd >= 2)
                return ERR_PARSE;
            frac = frac * 10 + (*p - '0');
            nd++;
            p++;
        }
        if (nd == 0)
            return ERR_PARSE;
        if (nd == 1)
            frac *= 10;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncmp(p, "kr", 2) == 0) {
        p += 2;
        while (*p == ' ' || *p == '\t')
            p++;
    }
    if (*p)
        return ERR_PARSE;
    int64_t v = kr * MONEY_ORE_PER_KR + frac;
    *ore = neg ? -v : v;
    return ERR_OK;
}

enum err money_parse(const char *s, int64_t *ore)
{
    return parse(s, ore, 1);
}

enum err money_parse_kr(const char *s, int64_t *kr)
{
    int64_t ore;
    enum err e = parse(s, &ore, 0);
    if (e)
        return e;
    *kr = ore / MONEY_ORE_PER_KR;
    return ERR_OK;
}

size_t money_fmt_int(char *out, size_t n, int64_t v)
{
    char digits[32];
    int neg = v < 0;
    /* work with unsigned magnitude to cope with INT64_MIN */
    unsigned long long mag = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int nd = snprintf(digits, sizeof(digits), "%llu", mag);
    char tmp[48];
    size_t t = 0;
    if (neg)
        tmp[t++] = '-';
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            tmp[t++] = ' ';
        tmp[t++] = digits[i];
    }
    tmp[t] = '\0';
    if (n == 0)
        return t;
    snprintf(out, n, "%s", tmp);
    return t;
}

size_t money_fmt_kr(char *out, size_t n, int64_t kr)
{
    return money_fmt_int(out, n, kr);
}

size_t money_fmt_ore(char *out, size_t n, int64_t ore)
{
    char whole[48];
    int neg = ore < 0;
    unsigned long long mag = neg ? 0ULL - (unsigned long long)ore : (unsigned long long)ore;
    money_fmt_int(whole, sizeof(whole), (int64_t)(mag / 100));
    unsigned frac = (unsigned)(mag % 100);
    int w;
    if (frac)
        w = snprintf(out, n, "%s%s,%02u kr", neg ? "-" : "", whole, frac);
    else
        w = snprintf(out, n, "%s%s kr", neg ? "-" : "", whole);
    return w < 0 ? 0 : (size_t)w;
}
