/* form.c - parsers for URL-encoded forms, query strings, cookies and a
 * proxy's forwarded client address. */
#include "web/form.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "util/str.h"

int form_text_ok(const char *s, size_t n, int allow_newlines)
{
    return str_text_ok(s, n, allow_newlines ? STR_TEXT_LINES : 0);
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

/* Decode s[0..n) ('+' and %XX) into an arena string. */
static enum err decode(struct arena *a, const char *s, size_t n, int allow_newlines, char **out)
{
    char *d = arena_alloc(a, n + 1);
    if (!d)
        return ERR_LIMIT;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            d[j++] = ' ';
        } else if (s[i] == '%') {
            if (n - i < 3)
                return ERR_PARSE;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return ERR_PARSE;
            d[j++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            d[j++] = s[i];
        }
    }
    d[j] = '\0';
    if (!form_text_ok(d, j, allow_newlines))
        return ERR_PARSE;
    *out = d;
    return ERR_OK;
}

static enum err add(struct arena *a, struct form *f, size_t *cap, char *name, char *value)
{
    if (f->n >= FORM_MAX_FIELDS)
        return ERR_LIMIT;
    if (f->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        struct form_field *nf = arena_alloc(a, nc * sizeof(*nf));
        if (!nf)
            return ERR_LIMIT;
        if (f->n)
            memcpy(nf, f->f, f->n * sizeof(*nf));
        f->f = nf;
        *cap = nc;
    }
    f->f[f->n].name = name;
    f->f[f->n].value = value;
    f->n++;
    return ERR_OK;
}

enum err form_parse(struct arena *a, const char *s, size_t n, struct form *out)
{
    size_t cap = 0;
    out->f = NULL;
    out->n = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '&')
            j++;
        if (j > i) {
            size_t eq = i;
            while (eq < j && s[eq] != '=')
                eq++;
            char *name = NULL, *value = NULL;
            enum err e = decode(a, s + i, eq - i, 0, &name);
            if (e != ERR_OK)
                return e;
            if (eq < j)
                e = decode(a, s + eq + 1, j - eq - 1, 1, &value);
            else
                e = decode(a, "", 0, 1, &value);
            if (e != ERR_OK)
                return e;
            e = add(a, out, &cap, name, value);
            if (e != ERR_OK)
                return e;
        }
        i = j + 1;
    }
    return ERR_OK;
}

enum err form_parse_cookies(struct arena *a, const char *s, size_t n, struct form *out)
{
    size_t cap = 0;
    out->f = NULL;
    out->n = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        size_t j = i;
        while (j < n && s[j] != ';')
            j++;
        size_t end = j;
        while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
            end--;
        if (end > i) {
            size_t eq = i;
            while (eq < end && s[eq] != '=')
                eq++;
            if (eq < end) {
                size_t vs = eq + 1, ve = end;
                if (ve - vs >= 2 && s[vs] == '"' && s[ve - 1] == '"') {
                    vs++;
                    ve--;
                }
                if (!form_text_ok(s + i, eq - i, 0) || !form_text_ok(s + vs, ve - vs, 0))
                    return ERR_PARSE;
                char *name = arena_strndup(a, s + i, eq - i);
                char *value = arena_strndup(a, s + vs, ve - vs);
                if (!name || !value)
                    return ERR_LIMIT;
                enum err e = add(a, out, &cap, name, value);
                if (e != ERR_OK)
                    return e;
            }
        }
        i = j + 1;
    }
    return ERR_OK;
}

const char *form_get(const struct form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->f[i].name, name) == 0)
            return f->f[i].value;
    return NULL;
}

enum err form_forwarded_addr(const char *h, char *out, size_t n)
{
    unsigned char bin[16];
    char a[48];
    if (n)
        out[0] = '\0';
    if (!h)
        return ERR_PARSE;
    const char *last = strrchr(h, ',');
    last = last ? last + 1 : h;
    while (*last == ' ' || *last == '\t')
        last++;
    size_t len = strlen(last);
    while (len && (last[len - 1] == ' ' || last[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= sizeof(a) || len >= n)
        return ERR_PARSE;
    memcpy(a, last, len);
    a[len] = '\0';
    if (inet_pton(AF_INET, a, bin) != 1 && inet_pton(AF_INET6, a, bin) != 1)
        return ERR_PARSE;
    memcpy(out, a, len + 1);
    return ERR_OK;
}

/* A q-value of zero: "0", "0.", "0.0", ... */
static int q_zero(const char *q)
{
    if (*q != '0')
        return 0;
    q++;
    if (*q == '.')
        for (q++; *q == '0'; q++)
            ;
    return *q == '\0' || *q == ',' || *q == ';' || *q == ' ' || *q == '\t';
}

int form_takes_gzip(const char *ae)
{
    while (ae && *ae) {
        while (*ae == ' ' || *ae == '\t' || *ae == ',')
            ae++;
        const char *tok = ae;
        while (*ae && *ae != ',' && *ae != ';' && *ae != ' ' && *ae != '\t')
            ae++;
        size_t len = (size_t)(ae - tok);
        int named = (len == 4 && strncasecmp(tok, "gzip", 4) == 0) ||
                    (len == 6 && strncasecmp(tok, "x-gzip", 6) == 0) || (len == 1 && tok[0] == '*');
        int zero = 0;
        while (*ae && *ae != ',') {
            if (*ae == ';') {
                ae++;
                while (*ae == ' ' || *ae == '\t')
                    ae++;
                if ((ae[0] == 'q' || ae[0] == 'Q') && ae[1] == '=')
                    zero = q_zero(ae + 2);
            } else {
                ae++;
            }
        }
        if (named && !zero)
            return 1;
    }
    return 0;
}

int form_none_match(const char *inm, const char *tag, const char *tag2)
{
    if (!inm)
        return 0;
    size_t n1 = tag ? strlen(tag) : 0, n2 = tag2 ? strlen(tag2) : 0;
    for (const char *p = inm; *p;) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == 1 && p[0] == '*')
            return 1;
        if (len > 2 && p[0] == 'W' && p[1] == '/') {
            p += 2;
            len -= 2;
        }
        if ((n1 && len == n1 && strncmp(p, tag, len) == 0) ||
            (n2 && len == n2 && strncmp(p, tag2, len) == 0))
            return 1;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}
