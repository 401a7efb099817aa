/* multipart.c - multipart/form-data: boundary, part headers
 * (Content-Disposition name and filename, Content-Type), text fields
 * into the arena and file parts as slices of the body, all capped. */
#include "web/multipart.h"

#include <string.h>
#include <strings.h>

#include "util/str.h"

int mp_is_multipart(const char *ct)
{
    return ct && strncasecmp(ct, "multipart/form-data", 19) == 0 &&
           (ct[19] == '\0' || ct[19] == ';' || ct[19] == ' ');
}

/* The boundary parameter of a Content-Type value into out (at most
 * MP_BOUNDARY_MAX characters); 0 on success. */
static int boundary_of(const char *ct, char *out, size_t n)
{
    const char *p = ct;
    for (p = strchr(p, ';'); p; p = strchr(p, ';')) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, "boundary=", 9) != 0)
            continue;
        p += 9;
        size_t len = 0;
        if (*p == '"') {
            p++;
            const char *end = strchr(p, '"');
            if (!end)
                return -1;
            len = (size_t)(end - p);
        } else {
            len = strcspn(p, "; \t");
        }
        if (len == 0 || len > MP_BOUNDARY_MAX || len + 1 > n)
            return -1;
        memcpy(out, p, len);
        out[len] = '\0';
        return 0;
    }
    return -1;
}

/* First occurrence of needle (nn bytes) in hay (hn bytes), or NULL. */
static const char *find(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn == 0 || hn < nn)
        return NULL;
    for (size_t i = 0; i + nn <= hn; i++) {
        const char *c = memchr(hay + i, needle[0], hn - nn - i + 1);
        if (!c)
            return NULL;
        i = (size_t)(c - hay);
        if (memcmp(c, needle, nn) == 0)
            return c;
    }
    return NULL;
}

/* A parameter (name="...") of a Content-Disposition value, into the
 * arena; NULL if absent. *bad is set when present but malformed. */
static char *disp_param(struct arena *a, const char *h, size_t hn, const char *param, int *bad)
{
    size_t pl = strlen(param);
    for (size_t i = 0; i + pl + 2 <= hn; i++) {
        if (i > 0 && h[i - 1] != ' ' && h[i - 1] != ';')
            continue;
        if (strncasecmp(h + i, param, pl) != 0 || h[i + pl] != '=')
            continue;
        const char *v = h + i + pl + 1;
        size_t rest = hn - (i + pl + 1);
        if (rest == 0 || v[0] != '"') {
            size_t len = 0;
            while (len < rest && v[len] != ';' && v[len] != ' ')
                len++;
            return arena_strndup(a, v, len);
        }
        const char *end = memchr(v + 1, '"', rest - 1);
        if (!end) {
            *bad = 1;
            return NULL;
        }
        return arena_strndup(a, v + 1, (size_t)(end - v - 1));
    }
    return NULL;
}

enum err mp_parse(struct arena *a, const char *content_type, const char *body, size_t len,
                  size_t file_max, struct form *fields, struct mp_files *files)
{
    char bnd[MP_BOUNDARY_MAX + 1], delim[MP_BOUNDARY_MAX + 5];
    fields->n = 0;
    fields->f = NULL;
    files->n = 0;
    if (!mp_is_multipart(content_type) || boundary_of(content_type, bnd, sizeof(bnd)) != 0)
        return ERR_PARSE;
    size_t bl = strlen(bnd);
    /* "\r\n--boundary": the delimiter between parts */
    delim[0] = '\r';
    delim[1] = '\n';
    delim[2] = '-';
    delim[3] = '-';
    memcpy(delim + 4, bnd, bl + 1);
    size_t dl = bl + 4;
    fields->f = arena_alloc(a, sizeof(struct form_field) * FORM_MAX_FIELDS);
    if (!fields->f)
        return ERR_LIMIT;
    /* the first boundary may come without the leading CRLF */
    const char *p;
    if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0) {
        p = body + dl - 2;
    } else {
        const char *first = find(body, len, delim, dl);
        if (!first)
            return ERR_PARSE;
        p = first + dl;
    }
    const char *end = body + len;
    for (;;) {
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return ERR_OK; /* closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return ERR_PARSE;
        p += 2;
        const char *hend =
            find(p, (size_t)(end - p) < MP_HEADER_MAX + 4 ? (size_t)(end - p) : MP_HEADER_MAX + 4,
                 "\r\n\r\n", 4);
        const char *name = NULL, *filename = NULL, *ctype = "";
        int bad = 0;
        if (!hend) {
            /* a part with no headers at all starts with the blank line */
            if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
                return ERR_PARSE;
            return (size_t)(end - p) > MP_HEADER_MAX ? ERR_LIMIT : ERR_PARSE;
        }
        for (const char *h = p; h < hend;) {
            const char *eol = find(h, (size_t)(hend - h) + 2, "\r\n", 2);
            size_t hl = (size_t)(eol - h);
            if (!form_text_ok(h, hl, 0))
                return ERR_PARSE;
            if (hl > 20 && strncasecmp(h, "Content-Disposition:", 20) == 0) {
                name = disp_param(a, h + 20, hl - 20, "name", &bad);
                filename = disp_param(a, h + 20, hl - 20, "filename", &bad);
            } else if (hl > 13 && strncasecmp(h, "Content-Type:", 13) == 0) {
                const char *v = h + 13;
                while (v < h + hl && *v == ' ')
                    v++;
                ctype = arena_strndup(a, v, (size_t)(h + hl - v));
                if (!ctype)
                    return ERR_LIMIT;
            }
            h = eol + 2;
        }
        if (bad || !name || !name[0] || !form_text_ok(name, strlen(name), 0))
            return ERR_PARSE;
        const char *data = hend + 4;
        const char *next = find(data, (size_t)(end - data), delim, dl);
        if (!next)
            return ERR_PARSE;
        size_t dlen = (size_t)(next - data);
        if (filename) {
            if (!form_text_ok(filename, strlen(filename), 0))
                return ERR_PARSE;
            if (filename[0] || dlen) {
                if (files->n >= MP_FILES_MAX || dlen > file_max)
                    return ERR_LIMIT;
                struct mp_file *f = &files->v[files->n++];
                f->name = name;
                f->filename = filename;
                f->ctype = ctype;
                f->data = (const unsigned char *)data;
                f->len = dlen;
            }
        } else {
            if (fields->n >= FORM_MAX_FIELDS)
                return ERR_LIMIT;
            if (!form_text_ok(data, dlen, 1))
                return ERR_PARSE;
            char *v = arena_strndup(a, data, dlen);
            if (!v)
                return ERR_LIMIT;
            fields->f[fields->n].name = name;
            fields->f[fields->n].value = v;
            fields->n++;
        }
        p = next + dl;
    }
}
