/* i18n.c - catalog lookup, language negotiation and number/date formats. */
#include "util/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n_catalog.h"

const char *i18n_tr(enum lang l, const char *sv)
{
    if (l != LANG_EN || !sv)
        return sv ? sv : "";
    /* the generated table is sorted by msgid (tools/po2c.c) */
    size_t lo = 0, hi = i18n_catalog_en_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(i18n_catalog_en[mid].sv, sv);
        if (c == 0)
            return i18n_catalog_en[mid].tr;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return sv;
}

size_t i18n_catalog_size(void)
{
    return i18n_catalog_en_count;
}

const char *i18n_code(enum lang l)
{
    return l == LANG_EN ? "en" : "sv";
}

static int lang_from(const char *s, enum lang *out)
{
    if (!s)
        return 0;
    if (strcmp(s, "en") == 0) {
        *out = LANG_EN;
        return 1;
    }
    if (strcmp(s, "sv") == 0) {
        *out = LANG_SV;
        return 1;
    }
    return 0;
}

/* Quality of one Accept-Language entry's ";q=" part, in thousandths. */
static int quality(const char *p, const char *end)
{
    const char *q = p;
    while (q < end && *q != ';')
        q++;
    if (q >= end)
        return 1000;
    q++;
    while (q < end && *q == ' ')
        q++;
    if (end - q < 3 || q[0] != 'q' || q[1] != '=')
        return 1000;
    q += 2;
    int v = 0, digits = 0, frac = 0;
    if (*q == '1')
        return 1000;
    if (*q != '0')
        return 0;
    q++;
    if (q < end && *q == '.') {
        q++;
        while (q < end && *q >= '0' && *q <= '9' && digits < 3) {
            v = v * 10 + (*q - '0');
            digits++;
            q++;
        }
        frac = digits;
    }
    while (frac++ < 3)
        v *= 10;
    return v;
}

enum lang i18n_negotiate(const char *query, const char *cookie, const char *accept)
{
    enum lang l = LANG_SV;
    if (lang_from(query, &l) || lang_from(cookie, &l))
        return l;
    if (!accept)
        return LANG_SV;
    int best_q = -1;
    enum lang best = LANG_SV;
    const char *p = accept;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        if (end == p)
            break;
        enum lang cand;
        int known = 0;
        if (end - p >= 2 && (strncmp(p, "sv", 2) == 0 || strncmp(p, "en", 2) == 0) &&
            (end - p == 2 || p[2] == '-' || p[2] == ';')) {
            cand = p[0] == 's' ? LANG_SV : LANG_EN;
            known = 1;
        }
        if (known) {
            int q = quality(p, end);
            if (q > best_q && q > 0) {
                best_q = q;
                best = cand;
            }
        }
        p = end;
    }
    return best;
}

void i18n_fmt_int(enum lang l, char *out, size_t n, int64_t v)
{
    char digits[32];
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int nd = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)u);
    const char *sep = l == LANG_EN ? "," : "\xc2\xa0";
    size_t seplen = strlen(sep);
    size_t j = 0;
    if (n == 0)
        return;
    if (v < 0 && j + 1 < n)
        out[j++] = l == LANG_EN ? '-' : '-';
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0) {
            if (j + seplen >= n)
                break;
            memcpy(out + j, sep, seplen);
            j += seplen;
        }
        if (j + 1 >= n)
            break;
        out[j++] = digits[i];
    }
    out[j] = '\0';
}

void i18n_fmt_money(enum lang l, char *out, size_t n, int64_t ore)
{
    char kr[40];
    int64_t whole = ore / 100;
    int64_t cents = ore % 100;
    if (cents < 0)
        cents = -cents;
    if (ore < 0 && whole == 0)
        snprintf(kr, sizeof(kr), "-0");
    else
        i18n_fmt_int(l, kr, sizeof(kr), whole);
    if (l == LANG_EN)
        snprintf(out, n, "SEK %s.%02lld", kr, (long long)cents);
    else
        snprintf(out, n, "%s,%02lld\xc2\xa0kr", kr, (long long)cents);
}

void i18n_fmt_date(enum lang l, char *out, size_t n, struct date d)
{
    static const char *const en[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};
    if (l != LANG_EN) {
        date_fmt_sv(out, n, d);
        return;
    }
    if (d.m < 1 || d.m > 12) {
        snprintf(out, n, "?");
        return;
    }
    snprintf(out, n, "%d %s %d", d.d, en[d.m - 1], d.y);
}
