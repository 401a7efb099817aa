/* px.c - read PC-Axis (PX) files into a cube, write a cube as PX 2013.
 *
 * Reading goes in three steps: the bytes are converted to UTF-8 (iconv)
 * keeping every line where it was; the keyword part is split into entries
 * (keyword, [language], (subkeys), values, line); then the entries are
 * checked and turned into the cube's dimensions, and the DATA part is read
 * straight into the cells, remembering the line of every value. A syntax
 * error in a keyword that shapes the table (MATRIX, STUB, VALUES, UNITS,
 * ...) is fatal; in a descriptive one (NOTE, CONTACT, ...) it is a warning
 * and the keyword is skipped, as PxWeb does. */
#include "io/px.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

#define PX_MAX_ITEMS ((size_t)1 << 22)   /* values in one keyword */
#define PX_MAX_ENTRIES ((size_t)1 << 20) /* keywords in one file */
#define PX_MAX_STRING ((size_t)1 << 20)  /* bytes in one string */
#define PX_MAX_KW 64                     /* bytes in a keyword name */

struct px_entry {
    char *kw;   /* upper case */
    char *lang; /* NULL = main language */
    char **sub; /* subkeys: ("region") or ("region","01") */
    size_t nsub;
    char **val; /* the values, strings unquoted, bare tokens as written */
    size_t nval;
    long line; /* line of the keyword */
    char *bad; /* syntax error (entry unusable), or NULL */
    long bad_line;
};

struct px_file {
    const char *path;
    struct diag *dg;
    char *text; /* UTF-8, NUL-terminated */
    size_t len;
    size_t pos;
    long line;
    struct px_entry *e;
    size_t n, cap;
    int has_data;
    size_t data_pos;
    long data_line;
    const char *main_lang;        /* LANGUAGE, or NULL */
    const struct px_entry *langs; /* LANGUAGES, or NULL */
    const char *lang;             /* chosen language, NULL = main */
    size_t semis;                 /* ";" taken as separators in DATA */
    char msg[512];                /* last syntax error */
    long msg_line;
};

/* One variable (STUB or HEADING) while the cube is built. */
struct px_var {
    const char *name;                   /* main language */
    const char *name_lang;              /* chosen language */
    const struct px_entry *values;      /* main language VALUES */
    const struct px_entry *values_lang; /* chosen language VALUES */
    struct px_entry *codes;             /* CODES or NULL (empty codes get fixed) */
    int keyed;                          /* KEYS given */
    int key_codes;                      /* KEYS=CODES */
};

/* ---- small helpers ---- */

static void px_warn(struct px_file *f, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void px_warn(struct px_file *f, long line, const char *fmt, ...)
{
    char body[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof(body), fmt, ap);
    va_end(ap);
    diag_add(f->dg, f->path, line, "warning: %s", body);
}

static void px_error(struct px_file *f, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void px_error(struct px_file *f, long line, const char *fmt, ...)
{
    char body[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof(body), fmt, ap);
    va_end(ap);
    diag_add(f->dg, f->path, line, "%s", body);
}

static void px_syntax(struct px_file *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void px_syntax(struct px_file *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
    va_end(ap);
    f->msg_line = f->line;
}

/* Describe the character at the current position for a message. */
static void px_what(const struct px_file *f, char *out, size_t n)
{
    if (f->pos >= f->len) {
        snprintf(out, n, "end of file");
        return;
    }
    unsigned char ch = (unsigned char)f->text[f->pos];
    if (ch == '\n' || ch == '\r')
        snprintf(out, n, "end of line");
    else if (ch >= 0x21 && ch < 0x7f)
        snprintf(out, n, "\"%c\"", ch);
    else
        snprintf(out, n, "byte 0x%02x", ch);
}

static void strv_free(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static enum err strv_push(char ***v, size_t *n, size_t *cap, char *s)
{
    if (*n >= PX_MAX_ITEMS) {
        free(s);
        return ERR_LIMIT;
    }
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        char **nv = realloc(*v, nc * sizeof(*nv));
        if (!nv) {
            free(s);
            return ERR_NOMEM;
        }
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = s;
    return ERR_OK;
}

static void entry_release(struct px_entry *e)
{
    free(e->kw);
    free(e->lang);
    strv_free(e->sub, e->nsub);
    strv_free(e->val, e->nval);
    free(e->bad);
    memset(e, 0, sizeof(*e));
}

static int px_is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v';
}

static int px_is_kwchar(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '_';
}

static void px_skip_ws(struct px_file *f)
{
    while (f->pos < f->len && px_is_ws(f->text[f->pos])) {
        if (f->text[f->pos] == '\n')
            f->line++;
        f->pos++;
    }
}

static int px_peek(const struct px_file *f)
{
    return f->pos < f->len ? (unsigned char)f->text[f->pos] : -1;
}

/* ---- encoding ---- */

/* Find CODEPAGE="..." at the start of a line before DATA. */
static int px_find_codepage(const char *p, size_t len, char *out, size_t n, long *line)
{
    size_t i = 0;
    long ln = 1;
    while (i < len) {
        size_t eol = i;
        while (eol < len && p[eol] != '\n')
            eol++;
        if (eol - i >= 4 && memcmp(p + i, "DATA", 4) == 0 &&
            (eol - i == 4 || p[i + 4] == '=' || px_is_ws(p[i + 4])))
            return 0;
        if (eol - i > 9 && memcmp(p + i, "CODEPAGE", 8) == 0) {
            size_t j = i + 8;
            while (j < eol && (p[j] == ' ' || p[j] == '\t'))
                j++;
            if (j < eol && p[j] == '=') {
                j++;
                while (j < eol && (p[j] == ' ' || p[j] == '\t'))
                    j++;
                if (j < eol && p[j] == '"') {
                    size_t k = ++j;
                    while (k < eol && p[k] != '"')
                        k++;
                    if (k < eol && k - j < n && k > j) {
                        memcpy(out, p + j, k - j);
                        out[k - j] = '\0';
                        *line = ln;
                        return 1;
                    }
                }
            }
        }
        i = eol + 1;
        ln++;
    }
    return 0;
}

static enum err px_iconv(const char *from, const char *in, size_t len, char **out, size_t *outlen,
                         size_t *bad_at)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return ERR_NOTFOUND;
    enum err e = ERR_OK;
    size_t cap = len * 2 + 16;
    char *o = malloc(cap);
    if (!o) {
        e = ERR_NOMEM;
        goto out;
    }
    char *ip = (char *)in;
    size_t il = len;
    char *op = o;
    size_t ol = cap - 1;
    while (il > 0) {
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        if (r != (size_t)-1)
            continue;
        if (errno == E2BIG) {
            size_t used = (size_t)(op - o);
            if (cap > len * 4 + 64) {
                e = ERR_LIMIT;
                goto out;
            }
            size_t nc = cap * 2;
            char *no = realloc(o, nc);
            if (!no) {
                e = ERR_NOMEM;
                goto out;
            }
            o = no;
            cap = nc;
            op = o + used;
            ol = cap - used - 1;
            continue;
        }
        *bad_at = (size_t)(ip - in);
        e = ERR_PARSE;
        goto out;
    }
    *op = '\0';
    *outlen = (size_t)(op - o);
    *out = o;
    o = NULL;
out:
    free(o);
    iconv_close(cd);
    return e;
}

static long px_line_at(const char *p, size_t off)
{
    long ln = 1;
    for (size_t i = 0; i < off; i++)
        if (p[i] == '\n')
            ln++;
    return ln;
}

/* Convert bytes to UTF-8 into f->text. */
static enum err px_decode(struct px_file *f, const char *bytes, size_t len)
{
    const char *nul = memchr(bytes, '\0', len);
    if (nul) {
        px_error(f, px_line_at(bytes, (size_t)(nul - bytes)),
                 "NUL byte in file (not a PX text file; UTF-16 is not supported)");
        return ERR_PARSE;
    }
    if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) {
        bytes += 3;
        len -= 3;
        if (str_utf8_len(bytes, len) < 0) {
            px_error(f, 0, "file starts with a UTF-8 BOM but is not valid UTF-8");
            return ERR_PARSE;
        }
    }
    char cp[64] = "";
    long cp_line = 0;
    int has_cp = px_find_codepage(bytes, len, cp, sizeof(cp), &cp_line);
    int ascii = 1;
    for (size_t i = 0; i < len && ascii; i++)
        if ((unsigned char)bytes[i] >= 0x80)
            ascii = 0;
    if (ascii || str_utf8_len(bytes, len) >= 0) {
        if (!ascii && has_cp && strcasecmp(cp, "utf-8") != 0 && strcasecmp(cp, "utf8") != 0)
            px_warn(f, cp_line, "CODEPAGE is \"%s\" but the file is valid UTF-8; read as UTF-8",
                    cp);
        f->text = malloc(len + 1);
        if (!f->text)
            return ERR_NOMEM;
        memcpy(f->text, bytes, len);
        f->text[len] = '\0';
        f->len = len;
        return ERR_OK;
    }
    const char *from = has_cp ? cp : "ISO-8859-1";
    /* Windows-1252 is what "ANSI" Latin-1 files hold in 0x80-0x9f. */
    if (strcasecmp(from, "iso-8859-1") == 0 || strcasecmp(from, "latin1") == 0)
        from = "WINDOWS-1252";
    size_t bad = 0;
    enum err e = px_iconv(from, bytes, len, &f->text, &f->len, &bad);
    if (e == ERR_PARSE && strcasecmp(from, "WINDOWS-1252") == 0)
        e = px_iconv("ISO-8859-1", bytes, len, &f->text, &f->len, &bad);
    if (e == ERR_NOTFOUND) {
        px_error(f, cp_line, "CODEPAGE \"%s\" is not a known encoding", cp);
        return ERR_INVALID;
    }
    if (e == ERR_PARSE) {
        px_error(f, px_line_at(bytes, bad), "byte 0x%02x is not valid %s (CODEPAGE)",
                 (unsigned char)bytes[bad], from);
        return ERR_PARSE;
    }
    if (e)
        px_error(f, 0, "cannot convert the file to UTF-8: %s", err_str(e));
    return e;
}

/* ---- keyword part ---- */

/* Read a quoted string at f->pos into b (appending). */
static int px_string(struct px_file *f, struct buf *b)
{
    long start = f->line;
    f->pos++; /* opening quote */
    size_t from = f->pos;
    while (f->pos < f->len && f->text[f->pos] != '"') {
        char ch = f->text[f->pos];
        if (ch == '\n') {
            f->line++;
        } else if (ch != '\r') {
            if (buf_putc(b, ch) != ERR_OK) {
                px_syntax(f, "string is longer than %zu bytes", (size_t)PX_MAX_STRING);
                return -1;
            }
        }
        f->pos++;
    }
    if (f->pos >= f->len) {
        f->pos = from;
        f->line = start;
        px_syntax(f, "string is not closed by a quote");
        return -1;
    }
    f->pos++;
    return 0;
}

/* Read a bare token (YES, 12, TLIST(A1, "1990"-"1999"), VALUES) into b. */
static int px_bare(struct px_file *f, struct buf *b)
{
    int depth = 0;
    while (f->pos < f->len) {
        char ch = f->text[f->pos];
        if (depth == 0 && (px_is_ws(ch) || ch == ',' || ch == ';' || ch == '"'))
            break;
        if (depth > 0 && ch == '"') {
            if (buf_putc(b, '"') || px_string(f, b) || buf_putc(b, '"')) {
                if (!f->msg[0])
                    px_syntax(f, "value is too long");
                return -1;
            }
            continue;
        }
        if (ch == '\n' || ch == '\r') {
            px_syntax(f, "\"(\" is not closed on its line");
            return -1;
        }
        if (ch == '(')
            depth++;
        else if (ch == ')')
            depth--;
        if (depth < 0) {
            px_syntax(f, "unexpected \")\"");
            return -1;
        }
        if (buf_putc(b, ch)) {
            px_syntax(f, "value is too long");
            return -1;
        }
        f->pos++;
    }
    return 0;
}

/* Parse KEYWORD[lang]("sub",...)= ; fills kw/lang/sub of e. Returns -1 on
 * a syntax error (e->kw may already be set). */
static int px_header(struct px_file *f, struct px_entry *e, struct buf *b)
{
    char what[32];
    size_t s = f->pos;
    while (f->pos < f->len && px_is_kwchar(f->text[f->pos]))
        f->pos++;
    if (f->pos == s || f->pos - s > PX_MAX_KW) {
        px_what(f, what, sizeof(what));
        px_syntax(f, f->pos == s ? "expected a keyword, found %s" : "keyword is too long%.0s",
                  what);
        return -1;
    }
    e->kw = strndup(f->text + s, f->pos - s);
    if (!e->kw) {
        px_syntax(f, "out of memory");
        return -1;
    }
    for (char *p = e->kw; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    if (px_peek(f) == '[') {
        size_t ls = ++f->pos;
        while (f->pos < f->len && px_is_kwchar(f->text[f->pos]))
            f->pos++;
        if (px_peek(f) != ']' || f->pos == ls || f->pos - ls > 16) {
            px_syntax(f, "malformed language code in %s[...]", e->kw);
            return -1;
        }
        e->lang = strndup(f->text + ls, f->pos - ls);
        f->pos++;
        if (!e->lang) {
            px_syntax(f, "out of memory");
            return -1;
        }
    }
    px_skip_ws(f);
    if (px_peek(f) == '(') {
        f->pos++;
        size_t cap = 0;
        for (;;) {
            px_skip_ws(f);
            if (px_peek(f) != '"') {
                px_what(f, what, sizeof(what));
                px_syntax(f, "expected a quoted name in %s(...), found %s", e->kw, what);
                return -1;
            }
            buf_reset(b);
            if (px_string(f, b))
                return -1;
            char *sub = strdup(b->p ? b->p : "");
            if (!sub || strv_push(&e->sub, &e->nsub, &cap, sub)) {
                px_syntax(f, "too many names in %s(...)", e->kw);
                return -1;
            }
            px_skip_ws(f);
            int ch = px_peek(f);
            if (ch == ',') {
                f->pos++;
                continue;
            }
            if (ch == ')') {
                f->pos++;
                break;
            }
            px_what(f, what, sizeof(what));
            px_syntax(f, "expected \",\" or \")\" in %s(...), found %s", e->kw, what);
            return -1;
        }
        px_skip_ws(f);
    }
    if (px_peek(f) != '=') {
        px_what(f, what, sizeof(what));
        px_syntax(f, "expected \"=\" after %s, found %s", e->kw, what);
        return -1;
    }
    f->pos++;
    return 0;
}

/* Parse the values after "=" up to and including ";". */
static int px_values(struct px_file *f, struct px_entry *e, struct buf *b)
{
    char what[32];
    size_t cap = 0;
    px_skip_ws(f);
    if (px_peek(f) == ';') {
        f->pos++;
        return 0;
    }
    for (;;) {
        px_skip_ws(f);
        int ch = px_peek(f);
        buf_reset(b);
        if (ch == '"') {
            if (px_string(f, b))
                return -1;
            /* "abc" "def" on the next line continue the same string */
            for (;;) {
                size_t save = f->pos;
                long save_line = f->line;
                px_skip_ws(f);
                if (px_peek(f) != '"') {
                    f->pos = save;
                    f->line = save_line;
                    break;
                }
                if (px_string(f, b))
                    return -1;
            }
            /* HIERARCHIES("x")="parent":"child",... : keep "parent:child" */
            while (px_peek(f) == ':') {
                f->pos++;
                if (px_peek(f) != '"' || buf_putc(b, ':') || px_string(f, b)) {
                    if (!f->msg[0])
                        px_syntax(f, "expected a quoted name after \":\"");
                    return -1;
                }
            }
        } else if (ch > 0x20 && ch != ',' && ch != ';' && ch != '=') {
            if (px_bare(f, b))
                return -1;
        } else {
            px_what(f, what, sizeof(what));
            px_syntax(f, "expected a value, found %s", what);
            return -1;
        }
        char *item = strdup(b->p ? b->p : "");
        if (!item || strv_push(&e->val, &e->nval, &cap, item)) {
            px_syntax(f, "too many values");
            return -1;
        }
        px_skip_ws(f);
        ch = px_peek(f);
        if (ch == ',') {
            f->pos++;
            px_skip_ws(f);
            if (px_peek(f) == ';') {
                /* "a","b",; : an empty last value, as some PxWeb files have */
                char *empty = strdup("");
                if (!empty || strv_push(&e->val, &e->nval, &cap, empty)) {
                    px_syntax(f, "too many values");
                    return -1;
                }
                f->pos++;
                return 0;
            }
            continue;
        }
        if (ch == ';') {
            f->pos++;
            return 0;
        }
        px_what(f, what, sizeof(what));
        px_syntax(f, "expected \",\" or \";\" after a value, found %s", what);
        return -1;
    }
}

/* After a syntax error: skip to a ";" that ends a line. */
static void px_recover(struct px_file *f)
{
    while (f->pos < f->len) {
        char ch = f->text[f->pos++];
        if (ch == '\n') {
            f->line++;
            continue;
        }
        if (ch != ';')
            continue;
        size_t j = f->pos;
        while (j < f->len && (f->text[j] == ' ' || f->text[j] == '\t' || f->text[j] == '\r'))
            j++;
        if (j >= f->len || f->text[j] == '\n') {
            f->pos = j;
            return;
        }
    }
}

/* Does a ";" at f->text[at] end the DATA part? Yes when only white space
 * or another keyword follows; otherwise it is taken as a separator (some
 * files end every data row with ";"). */
static int px_data_ends(const struct px_file *f, size_t at)
{
    size_t j = at + 1;
    while (j < f->len && (px_is_ws(f->text[j]) || f->text[j] == ';'))
        j++;
    if (j >= f->len)
        return 1;
    size_t k = j;
    while (k < f->len && px_is_kwchar(f->text[k]))
        k++;
    if (k == j)
        return 0;
    while (k < f->len && (f->text[k] == ' ' || f->text[k] == '\t'))
        k++;
    return k < f->len && (f->text[k] == '=' || f->text[k] == '[' || f->text[k] == '(');
}

/* Skip the DATA part (up to its ";"), remembering where it starts. */
static void px_skip_data(struct px_file *f)
{
    while (f->pos < f->len) {
        char ch = f->text[f->pos++];
        if (ch == '\n') {
            f->line++;
        } else if (ch == ';') {
            if (px_data_ends(f, f->pos - 1))
                return;
        } else if (ch == '"') {
            while (f->pos < f->len && f->text[f->pos] != '"' && f->text[f->pos] != '\n')
                f->pos++;
            if (f->pos < f->len && f->text[f->pos] == '"')
                f->pos++;
        }
    }
}

static enum err px_add_entry(struct px_file *f, struct px_entry *e)
{
    if (f->n >= PX_MAX_ENTRIES)
        return ERR_LIMIT;
    if (f->n == f->cap) {
        size_t nc = f->cap ? f->cap * 2 : 64;
        struct px_entry *ne = realloc(f->e, nc * sizeof(*ne));
        if (!ne)
            return ERR_NOMEM;
        f->e = ne;
        f->cap = nc;
    }
    f->e[f->n++] = *e;
    memset(e, 0, sizeof(*e));
    return ERR_OK;
}

/* Split the keyword part into entries. */
static enum err px_parse_keywords(struct px_file *f)
{
    struct buf b;
    buf_init(&b, PX_MAX_STRING);
    struct px_entry e;
    memset(&e, 0, sizeof(e));
    enum err err = ERR_OK;
    f->line = 1;
    for (;;) {
        px_skip_ws(f);
        if (f->pos >= f->len)
            break;
        if (px_peek(f) == ';') {
            f->pos++; /* an empty statement, e.g. "DATA=...;;" */
            continue;
        }
        e.line = f->line;
        f->msg[0] = '\0';
        if (px_header(f, &e, &b)) {
            if (!e.kw) {
                px_error(f, f->msg_line, "%s", f->msg);
                err = ERR_PARSE;
                goto out;
            }
        } else if (strcmp(e.kw, "DATA") == 0 && !e.lang && e.nsub == 0) {
            if (f->has_data) {
                px_error(f, e.line, "DATA given twice");
                err = ERR_PARSE;
                goto out;
            }
            f->has_data = 1;
            f->data_pos = f->pos;
            f->data_line = e.line;
            px_skip_data(f);
            entry_release(&e);
            continue;
        } else if (px_values(f, &e, &b) == 0) {
            err = px_add_entry(f, &e);
            if (err) {
                px_error(f, e.line, "too many keywords");
                goto out;
            }
            continue;
        }
        /* syntax error in a keyword: keep it as a bad entry */
        if (strcmp(f->msg, "out of memory") == 0) {
            err = ERR_NOMEM;
            goto out;
        }
        e.bad = strdup(f->msg);
        e.bad_line = f->msg_line;
        px_recover(f);
        err = px_add_entry(f, &e);
        if (err) {
            px_error(f, e.line, "too many keywords");
            goto out;
        }
    }
out:
    entry_release(&e);
    buf_release(&b);
    return err;
}

/* ---- finding entries ---- */

static int px_is_main(const struct px_file *f, const char *lang)
{
    return !lang || (f->main_lang && strcmp(lang, f->main_lang) == 0);
}

/* The first usable entry kw[lang](s0[,s1]) with exactly nsub subkeys;
 * lang NULL = the main language. */
static const struct px_entry *px_find(const struct px_file *f, const char *kw, const char *lang,
                                      size_t nsub, const char *s0, const char *s1)
{
    for (size_t i = 0; i < f->n; i++) {
        const struct px_entry *e = &f->e[i];
        if (e->bad || e->nsub != nsub || strcmp(e->kw, kw) != 0)
            continue;
        if (lang ? !(e->lang && strcmp(e->lang, lang) == 0) : !px_is_main(f, e->lang))
            continue;
        if (nsub >= 1 && strcmp(e->sub[0], s0) != 0)
            continue;
        if (nsub >= 2 && strcmp(e->sub[1], s1) != 0)
            continue;
        return e;
    }
    return NULL;
}

/* kw in the chosen language (subkeys s0l/s1l), else in the main one. */
static const struct px_entry *px_get(const struct px_file *f, const char *kw, size_t nsub,
                                     const char *s0m, const char *s1m, const char *s0l,
                                     const char *s1l)
{
    if (f->lang) {
        const struct px_entry *e = px_find(f, kw, f->lang, nsub, s0l, s1l);
        if (e)
            return e;
    }
    return px_find(f, kw, NULL, nsub, s0m, s1m);
}

static const char *px_first(const struct px_entry *e)
{
    return e && e->nval > 0 ? e->val[0] : NULL;
}

static int px_in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

/* Keywords whose syntax errors make the table unreadable. */
static const char *const px_critical[] = {
    "MATRIX",   "SUBJECT-AREA", "SUBJECT-CODE", "TITLE",    "CONTENTS", "UNITS",
    "DECIMALS", "STUB",         "HEADING",      "VALUES",   "CODES",    "CONTVARIABLE",
    "KEYS",     "VARIABLECODE", "CHARSET",      "CODEPAGE", "LANGUAGE", "LANGUAGES",
    NULL};

/* Keywords whose first subkey names a variable: fatal when unknown. */
static const char *const px_var_fatal[] = {"VALUES", "CODES", "KEYS", "VARIABLECODE", NULL};

/* ... and the ones where an unknown variable is only a warning. */
static const char *const px_var_warn[] = {"TIMEVAL",
                                          "DOMAIN",
                                          "ELIMINATION",
                                          "NOTE",
                                          "NOTEX",
                                          "DOUBLECOLUMN",
                                          "PRESTEXT",
                                          "MAP",
                                          "PARTITIONED",
                                          "VARIABLE-TYPE",
                                          "HIERARCHIES",
                                          "HIERARCHYLEVELS",
                                          "HIERARCHYLEVELSOPEN",
                                          "HIERARCHYNAMES",
                                          "VALUENOTE",
                                          "VALUENOTEX",
                                          "PRECISION",
                                          NULL};

/* Keywords whose subkey names a value of the contents variable. */
static const char *const px_cont_kw[] = {
    "UNITS",      "LAST-UPDATED", "STOCKFA", "CONTACT", "REFPERIOD",
    "BASEPERIOD", "CFPRICES",     "DAYADJ",  "SEASADJ", NULL};

/* Index of a variable name (in the entry's language) or -1. */
static long px_var_index(const struct px_var *v, size_t nv, const char *name, int lang_names)
{
    for (size_t i = 0; i < nv; i++)
        if (strcmp(lang_names ? v[i].name_lang : v[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* ---- building the cube ---- */

static enum err px_parse_int(const char *s, int lo, int hi, int *out)
{
    int64_t v = 0;
    if (!s || str_parse_i64(s, &v) != ERR_OK || v < lo || v > hi)
        return ERR_PARSE;
    *out = (int)v;
    return ERR_OK;
}

/* "20040212 16:28" -> "2004-02-12T16:28:00"; NULL if not in that form. */
static char *px_iso_time(const char *s)
{
    if (!s || strlen(s) < 8)
        return NULL;
    char date[9];
    memcpy(date, s, 8);
    date[8] = '\0';
    if (!str_is_digits(date, 8))
        return NULL;
    char hh[3] = "00", mm[3] = "00", ss[3] = "00";
    const char *t = s + 8;
    if (*t == ' ' && strlen(t) >= 6 && t[3] == ':') {
        memcpy(hh, t + 1, 2);
        memcpy(mm, t + 4, 2);
        if (t[6] == ':' && strlen(t) >= 9)
            memcpy(ss, t + 7, 2);
    } else if (*t) {
        return NULL;
    }
    if (!str_is_digits(hh, 2) || !str_is_digits(mm, 2) || !str_is_digits(ss, 2))
        return NULL;
    char out[40];
    snprintf(out, sizeof(out), "%.4s-%.2s-%.2sT%s:%s:%s", date, date + 4, date + 6, hh, mm, ss);
    return strdup(out);
}

/* Append the values of every table-level kw entry (chosen language, else
 * main) to b, separated by "#"; returns 1 if there were any. */
static int px_join_notes(const struct px_file *f, const char *kw, struct buf *b)
{
    const char *lang = f->lang;
    int found = 0;
    for (int pass = 0; pass < 2 && !found; pass++) {
        for (size_t i = 0; i < f->n; i++) {
            const struct px_entry *e = &f->e[i];
            if (e->bad || e->nsub || strcmp(e->kw, kw) != 0)
                continue;
            int match = pass == 0 ? (lang && e->lang && strcmp(e->lang, lang) == 0)
                                  : px_is_main(f, e->lang);
            if (!match)
                continue;
            for (size_t k = 0; k < e->nval; k++) {
                if (found)
                    buf_putc(b, '#');
                buf_puts(b, e->val[k]);
                found = 1;
            }
        }
    }
    return found;
}

static int px_symbol(const char *s, size_t n, double *v, unsigned char *st)
{
    if (n == 1 && s[0] == '-') {
        *v = 0;
        *st = CUBE_OK;
        return 0;
    }
    size_t dots = 0;
    while (dots < n && s[dots] == '.')
        dots++;
    if (dots == n && n >= 1 && n <= 6) {
        static const unsigned char map[7] = {
            0,           CUBE_NA, CUBE_MISSING, CUBE_SUPPRESSED, CUBE_SUPPRESSED, CUBE_SUPPRESSED,
            CUBE_MISSING};
        *v = 0;
        *st = map[n];
        return 0;
    }
    return -1;
}

static int px_number(const char *s, size_t n, double *v)
{
    char tmp[64];
    if (n == 0 || n >= sizeof(tmp))
        return -1;
    int digit = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch >= '0' && ch <= '9')
            digit = 1;
        else if (ch != '.' && ch != '-' && ch != '+' && ch != 'e' && ch != 'E')
            return -1;
    }
    if (!digit)
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *end = NULL;
    errno = 0;
    double d = strtod(tmp, &end);
    if (end != tmp + n || !isfinite(d))
        return -1;
    *v = d;
    return 0;
}

/* Next DATA token: 1 = token, 0 = ";" or end, -1 = error. */
static int px_data_token(struct px_file *f, const char **s, size_t *n, long *line, int *quoted)
{
    while (f->pos < f->len) {
        char ch = f->text[f->pos];
        if (ch == '\n')
            f->line++;
        else if (ch == ';' && !px_data_ends(f, f->pos))
            f->semis++;
        else if (!px_is_ws(ch) && ch != ',')
            break;
        f->pos++;
    }
    if (f->pos >= f->len)
        return 0;
    char ch = f->text[f->pos];
    *line = f->line;
    if (ch == ';') {
        f->pos++;
        return 0;
    }
    if (ch == '"') {
        size_t st = ++f->pos;
        while (f->pos < f->len && f->text[f->pos] != '"' && f->text[f->pos] != '\n')
            f->pos++;
        if (f->pos >= f->len || f->text[f->pos] != '"') {
            px_error(f, *line, "DATA: string is not closed on its line");
            return -1;
        }
        *s = f->text + st;
        *n = f->pos - st;
        *quoted = 1;
        f->pos++;
        return 1;
    }
    size_t st = f->pos;
    while (f->pos < f->len && !px_is_ws(f->text[f->pos]) && f->text[f->pos] != ',' &&
           f->text[f->pos] != ';' && f->text[f->pos] != '"')
        f->pos++;
    *s = f->text + st;
    *n = f->pos - st;
    *quoted = 0;
    return 1;
}

static void px_bad_value(struct px_file *f, long line, const char *s, size_t n)
{
    px_error(f, line, "DATA value \"%.*s\" is not a number or a data symbol",
             (int)(n > 40 ? 40 : n), s);
}

/* Read the DATA part into c's cells. */
static enum err px_read_data(struct px_file *f, struct cube *c, const struct px_var *vars,
                             size_t nstub, size_t nkeys, long *lines)
{
    f->pos = f->data_pos;
    f->line = f->data_line;
    const char *s = NULL;
    size_t n = 0;
    long line = 0;
    int quoted = 0;
    if (nkeys == 0) {
        size_t count = 0;
        int r;
        for (;;) {
            r = px_data_token(f, &s, &n, &line, &quoted);
            if (r != 1)
                break;
            if (count < c->ncells) {
                double v = 0;
                unsigned char st = CUBE_OK;
                if (px_symbol(s, n, &v, &st) && px_number(s, n, &v)) {
                    px_bad_value(f, line, s, n);
                    return ERR_PARSE;
                }
                c->value[count] = v;
                c->status[count] = st;
                if (lines)
                    lines[count] = line;
            }
            count++;
        }
        if (r < 0)
            return ERR_PARSE;
        if (count != c->ncells) {
            size_t ns = 1, nh = 1;
            for (size_t i = 0; i < c->ndims; i++) {
                if (i < nstub)
                    ns *= c->dims[i].n;
                else
                    nh *= c->dims[i].n;
            }
            px_error(f, f->data_line,
                     "DATA has %zu values, expected %zu (STUB × HEADING = %zu × %zu)", count,
                     c->ncells, ns, nh);
            return ERR_INVALID;
        }
        return ERR_OK;
    }
    /* KEYS: each row starts with the keys of the first nkeys variables */
    size_t rowlen = 1;
    for (size_t i = nkeys; i < c->ndims; i++)
        rowlen *= c->dims[i].n;
    size_t hint[PX_MAX_DIMS] = {0};
    for (;;) {
        size_t base = 0;
        long row_line = 0;
        for (size_t k = 0; k < nkeys; k++) {
            int r = px_data_token(f, &s, &n, &line, &quoted);
            if (r < 0)
                return ERR_PARSE;
            if (r == 0) {
                if (k == 0)
                    return ERR_OK;
                px_error(f, row_line, "DATA row ends after %zu of its %zu keys", k, nkeys);
                return ERR_INVALID;
            }
            if (k == 0)
                row_line = line;
            const struct px_entry *src = vars[k].key_codes ? vars[k].codes : vars[k].values;
            size_t dn = c->dims[k].n, found = dn;
            for (size_t t = 0; t < dn; t++) {
                size_t j = (hint[k] + t) % dn;
                if (strlen(src->val[j]) == n && memcmp(src->val[j], s, n) == 0) {
                    found = j;
                    break;
                }
            }
            if (found == dn) {
                px_error(f, line, "DATA key \"%.*s\" is not one of the %s of \"%s\" (KEYS)",
                         (int)(n > 60 ? 60 : n), s, vars[k].key_codes ? "CODES" : "VALUES",
                         vars[k].name);
                return ERR_INVALID;
            }
            hint[k] = found;
            base = base * dn + found;
        }
        base *= rowlen;
        for (size_t j = 0; j < rowlen; j++) {
            int r = px_data_token(f, &s, &n, &line, &quoted);
            if (r < 0)
                return ERR_PARSE;
            if (r == 0) {
                px_error(f, row_line, "DATA row has %zu values, expected %zu", j, rowlen);
                return ERR_INVALID;
            }
            double v = 0;
            unsigned char st = CUBE_OK;
            if (px_symbol(s, n, &v, &st) && px_number(s, n, &v)) {
                px_bad_value(f, line, s, n);
                return ERR_PARSE;
            }
            c->value[base + j] = v;
            c->status[base + j] = st;
            if (lines)
                lines[base + j] = line;
        }
    }
}

/* Check that the names of a variable's values (or codes) are unique. */
static int px_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *px_duplicate(char **v, size_t n)
{
    if (n < 2)
        return NULL;
    char **copy = malloc(n * sizeof(*copy));
    if (!copy)
        return NULL;
    memcpy(copy, v, n * sizeof(*copy));
    qsort(copy, n, sizeof(*copy), px_cmp_str);
    const char *dup = NULL;
    for (size_t i = 1; i < n && !dup; i++)
        if (strcmp(copy[i - 1], copy[i]) == 0)
            dup = copy[i];
    free(copy);
    return dup;
}

/* Report warnings for keywords in unknown languages and fatal syntax
 * errors; returns ERR_OK or the error. */
static enum err px_check_entries(struct px_file *f)
{
    for (size_t i = 0; i < f->n; i++) {
        const struct px_entry *e = &f->e[i];
        if (e->bad && px_in_list(e->kw, px_critical)) {
            px_error(f, e->bad_line, "%s: %s", e->kw, e->bad);
            return ERR_PARSE;
        }
    }
    for (size_t i = 0; i < f->n; i++) {
        const struct px_entry *e = &f->e[i];
        if (e->bad) {
            px_warn(f, e->bad_line, "%s skipped: %s", e->kw, e->bad);
            continue;
        }
        if (!e->lang || px_is_main(f, e->lang))
            continue;
        int known = 0;
        for (size_t k = 0; f->langs && k < f->langs->nval; k++)
            if (strcmp(f->langs->val[k], e->lang) == 0)
                known = 1;
        if (!known)
            px_warn(f, e->line, "%s[%s]: language \"%s\" is not in LANGUAGES; ignored", e->kw,
                    e->lang, e->lang);
    }
    return ERR_OK;
}

/* Check that keywords with a variable subkey name a known variable. */
static enum err px_check_refs(struct px_file *f, const struct px_var *v, size_t nv, long cont)
{
    for (size_t i = 0; i < f->n; i++) {
        const struct px_entry *e = &f->e[i];
        if (e->bad || e->nsub == 0)
            continue;
        int main = px_is_main(f, e->lang);
        if (!main && !(f->lang && strcmp(e->lang, f->lang) == 0))
            continue; /* other languages are not used */
        int fatal = px_in_list(e->kw, px_var_fatal);
        if (fatal || px_in_list(e->kw, px_var_warn)) {
            if (px_var_index(v, nv, e->sub[0], !main) >= 0)
                continue;
            if (fatal) {
                px_error(f, e->line, "%s(\"%s\"): \"%s\" is not a variable in STUB or HEADING",
                         e->kw, e->sub[0], e->sub[0]);
                return ERR_INVALID;
            }
            px_warn(f, e->line, "%s(\"%s\"): no such variable; ignored", e->kw, e->sub[0]);
        } else if (cont >= 0 && e->nsub == 1 && px_in_list(e->kw, px_cont_kw)) {
            const struct px_var *cv = &v[cont];
            const struct px_entry *vals = main ? cv->values : cv->values_lang;
            int ok = 0;
            for (size_t k = 0; vals && k < vals->nval && !ok; k++)
                ok = strcmp(vals->val[k], e->sub[0]) == 0;
            if (!ok)
                px_warn(f, e->line,
                        "%s(\"%s\"): not a value of the contents variable \"%s\"; ignored", e->kw,
                        e->sub[0], main ? cv->name : cv->name_lang);
        }
    }
    return ERR_OK;
}

static const struct px_entry *px_need(struct px_file *f, const char *kw, long end_line,
                                      enum err *err)
{
    const struct px_entry *e = px_find(f, kw, NULL, 0, NULL, NULL);
    if (!e && !*err) {
        px_error(f, end_line, "mandatory keyword %s is missing", kw);
        *err = ERR_INVALID;
    }
    return e;
}

static enum err px_build(struct px_file *f, struct cube *c, long **cell_line)
{
    enum err err = ERR_OK;
    struct px_var vars[PX_MAX_DIMS];
    size_t nv = 0, nstub = 0;
    long *lines = NULL;
    struct buf b;
    buf_init(&b, PX_MAX_STRING * 4);
    long end_line = f->has_data ? f->data_line : f->line;

    err = px_check_entries(f);
    if (err)
        goto out;
    const struct px_entry *matrix = px_need(f, "MATRIX", end_line, &err);
    const struct px_entry *scode = px_need(f, "SUBJECT-CODE", end_line, &err);
    const struct px_entry *sarea = px_need(f, "SUBJECT-AREA", end_line, &err);
    const struct px_entry *decimals = px_need(f, "DECIMALS", end_line, &err);
    const struct px_entry *title = px_need(f, "TITLE", end_line, &err);
    const struct px_entry *contents = px_need(f, "CONTENTS", end_line, &err);
    const struct px_entry *units = px_need(f, "UNITS", end_line, &err);
    if (err)
        goto out;
    const struct px_entry *stub = px_find(f, "STUB", NULL, 0, NULL, NULL);
    const struct px_entry *heading = px_find(f, "HEADING", NULL, 0, NULL, NULL);
    if (!stub && !heading) {
        px_error(f, end_line, "mandatory keywords STUB and HEADING are both missing");
        err = ERR_INVALID;
        goto out;
    }
    int dec = 0;
    if (px_parse_int(px_first(decimals), 0, 15, &dec)) {
        px_error(f, decimals->line, "DECIMALS must be a whole number 0-15, not \"%s\"",
                 px_first(decimals) ? px_first(decimals) : "");
        err = ERR_INVALID;
        goto out;
    }
    int show = dec;
    const struct px_entry *sd = px_find(f, "SHOWDECIMALS", NULL, 0, NULL, NULL);
    if (sd) {
        int s = 0;
        if (px_parse_int(px_first(sd), 0, 15, &s))
            px_warn(f, sd->line, "SHOWDECIMALS must be a whole number 0-15, not \"%s\"; ignored",
                    px_first(sd) ? px_first(sd) : "");
        else if (s > dec)
            px_warn(f, sd->line, "SHOWDECIMALS %d is more than DECIMALS %d; ignored", s, dec);
        else
            show = s;
    }

    /* variables: STUB then HEADING, names in the main and chosen language */
    const struct px_entry *parts[2] = {stub, heading};
    const char *pkw[2] = {"STUB", "HEADING"};
    for (int p = 0; p < 2; p++) {
        const struct px_entry *pe = parts[p];
        if (!pe)
            continue;
        const struct px_entry *pl = f->lang ? px_find(f, pkw[p], f->lang, 0, NULL, NULL) : NULL;
        if (pl && pl->nval != pe->nval) {
            px_warn(f, pl->line, "%s[%s] has %zu names, %s has %zu; using the main language",
                    pkw[p], f->lang, pl->nval, pkw[p], pe->nval);
            pl = NULL;
        }
        for (size_t i = 0; i < pe->nval; i++) {
            if (nv >= PX_MAX_DIMS) {
                px_error(f, pe->line, "more than %d variables in STUB and HEADING", PX_MAX_DIMS);
                err = ERR_LIMIT;
                goto out;
            }
            if (px_var_index(vars, nv, pe->val[i], 0) >= 0) {
                px_error(f, pe->line, "%s: variable \"%s\" appears twice", pkw[p], pe->val[i]);
                err = ERR_INVALID;
                goto out;
            }
            memset(&vars[nv], 0, sizeof(vars[nv]));
            vars[nv].name = pe->val[i];
            vars[nv].name_lang = pl ? pl->val[i] : pe->val[i];
            nv++;
        }
        if (p == 0)
            nstub = nv;
    }
    if (nv == 0) {
        px_error(f, (stub ? stub : heading)->line, "STUB and HEADING name no variables");
        err = ERR_INVALID;
        goto out;
    }
    const struct px_entry *cv = px_find(f, "CONTVARIABLE", NULL, 0, NULL, NULL);
    long cont = -1;
    if (cv) {
        cont = px_first(cv) ? px_var_index(vars, nv, px_first(cv), 0) : -1;
        if (cont < 0) {
            px_error(f, cv->line, "CONTVARIABLE \"%s\" is not a variable in STUB or HEADING",
                     px_first(cv) ? px_first(cv) : "");
            err = ERR_INVALID;
            goto out;
        }
    }
    for (size_t i = 0; i < nv; i++) {
        vars[i].values = px_find(f, "VALUES", NULL, 1, vars[i].name, NULL);
        if (f->lang)
            vars[i].values_lang = px_find(f, "VALUES", f->lang, 1, vars[i].name_lang, NULL);
    }
    err = px_check_refs(f, vars, nv, cont);
    if (err)
        goto out;

    size_t nkeys = 0;
    size_t ncells = 1;
    for (size_t i = 0; i < nv; i++) {
        struct px_var *v = &vars[i];
        const char *where = i < nstub ? "STUB" : "HEADING";
        long wline = (i < nstub ? stub : heading)->line;
        if (!v->values || v->values->nval == 0) {
            px_error(f, wline, "VALUES(\"%s\") is missing for the %s variable \"%s\"", v->name,
                     where, v->name);
            err = ERR_INVALID;
            goto out;
        }
        size_t n = v->values->nval;
        if (v->values_lang && v->values_lang->nval != n) {
            px_warn(f, v->values_lang->line,
                    "VALUES[%s](\"%s\") has %zu values, expected %zu; using the main language",
                    f->lang, v->name_lang, v->values_lang->nval, n);
            v->values_lang = NULL;
        }
        /* the entries belong to f, which is not const here */
        v->codes = (struct px_entry *)px_find(f, "CODES", NULL, 1, v->name, NULL);
        if (v->codes && v->codes->nval != n) {
            px_error(f, v->codes->line, "CODES(\"%s\") has %zu codes, expected %zu (VALUES)",
                     v->name, v->codes->nval, n);
            err = ERR_INVALID;
            goto out;
        }
        if (v->codes) {
            for (size_t k = 0; k < n; k++) {
                if (v->codes->val[k][0])
                    continue;
                px_warn(f, v->codes->line,
                        "CODES(\"%s\"): code %zu is empty; using the value "
                        "\"%s\"",
                        v->name, k + 1, v->values->val[k]);
                char *cp = strdup(v->values->val[k]);
                if (!cp) {
                    err = ERR_NOMEM;
                    goto out;
                }
                free(v->codes->val[k]);
                v->codes->val[k] = cp;
            }
        }
        const struct px_entry *ids = v->codes ? v->codes : v->values;
        const char *dup = px_duplicate(ids->val, n);
        if (dup) {
            px_error(f, ids->line, "%s(\"%s\"): \"%s\" appears twice", ids->kw, v->name, dup);
            err = ERR_INVALID;
            goto out;
        }
        const struct px_entry *keys = px_find(f, "KEYS", NULL, 1, v->name, NULL);
        if (keys) {
            const char *k = px_first(keys);
            if (!k || (strcmp(k, "VALUES") != 0 && strcmp(k, "CODES") != 0)) {
                px_error(f, keys->line, "KEYS(\"%s\") must be VALUES or CODES", v->name);
                err = ERR_INVALID;
                goto out;
            }
            if (i >= nstub || i != nkeys) {
                px_error(f, keys->line, "KEYS(\"%s\"): variables with KEYS must come first in STUB",
                         v->name);
                err = ERR_INVALID;
                goto out;
            }
            v->keyed = 1;
            v->key_codes = strcmp(k, "CODES") == 0;
            if (v->key_codes && !v->codes) {
                px_error(f, keys->line, "KEYS(\"%s\")=CODES but CODES(\"%s\") is missing", v->name,
                         v->name);
                err = ERR_INVALID;
                goto out;
            }
            nkeys++;
        }
        if (ncells > PX_MAX_CELLS / n) {
            px_error(f, wline, "the table has more than %zu cells (STUB × HEADING)",
                     (size_t)PX_MAX_CELLS);
            err = ERR_LIMIT;
            goto out;
        }
        ncells *= n;
    }
    if (cont >= 0) {
        const struct px_var *v = &vars[cont];
        for (size_t k = 0; k < v->values->nval; k++) {
            if (!px_find(f, "UNITS", NULL, 1, v->values->val[k], NULL)) {
                px_error(f, cv->line,
                         "UNITS(\"%s\") is missing for the contents value \"%s\" "
                         "(CONTVARIABLE)",
                         v->values->val[k], v->values->val[k]);
                err = ERR_INVALID;
                goto out;
            }
        }
    }
    if (!f->has_data) {
        px_error(f, f->line, "mandatory keyword DATA is missing");
        err = ERR_INVALID;
        goto out;
    }

    /* the cube */
    for (size_t i = 0; i < nv; i++) {
        const struct px_var *v = &vars[i];
        const struct px_entry *vc = px_get(f, "VARIABLECODE", 1, v->name, NULL, v->name_lang, NULL);
        const char *code = px_first(vc) ? px_first(vc) : v->name;
        const struct px_entry *ids = v->codes ? v->codes : v->values;
        const struct px_entry *lab = v->values_lang ? v->values_lang : v->values;
        err = cube_add_dim(c, code, v->name_lang, v->values->nval, (const char *const *)ids->val,
                           (const char *const *)lab->val);
        if (err)
            goto out;
        struct cube_dim *d = &c->dims[c->ndims - 1];
        const struct px_entry *tv = px_get(f, "TIMEVAL", 1, v->name, NULL, v->name_lang, NULL);
        if (tv) {
            d->is_time = 1;
            const char *t0 = px_first(tv);
            if (!t0 || strncmp(t0, "TLIST(", 6) != 0)
                px_warn(f, tv->line, "TIMEVAL(\"%s\") does not start with TLIST(...)",
                        v->name_lang);
            else if (tv->nval > 1 && tv->nval - 1 != d->n)
                px_warn(f, tv->line, "TIMEVAL(\"%s\") lists %zu periods, VALUES has %zu",
                        v->name_lang, tv->nval - 1, d->n);
        }
        if ((long)i == cont) {
            d->is_contents = 1;
            d->val_units = calloc(d->n, sizeof(char *));
            d->val_decimals = calloc(d->n, sizeof(int));
            if (!d->val_units || !d->val_decimals) {
                err = ERR_NOMEM;
                goto out;
            }
            for (size_t k = 0; k < d->n; k++) {
                const char *vm = v->values->val[k];
                const char *vl = lab->val[k];
                const struct px_entry *u = px_get(f, "UNITS", 1, vm, NULL, vl, NULL);
                d->val_units[k] = strdup(px_first(u) ? px_first(u) : "");
                if (!d->val_units[k]) {
                    err = ERR_NOMEM;
                    goto out;
                }
                int pd = show;
                const struct px_entry *pr = px_find(f, "PRECISION", NULL, 2, v->name, vm);
                if (pr && px_parse_int(px_first(pr), 0, 15, &pd)) {
                    px_warn(f, pr->line, "PRECISION(\"%s\",\"%s\") is not a number 0-15; ignored",
                            v->name, vm);
                    pd = show;
                }
                d->val_decimals[k] = pd;
            }
        }
    }
    err = cube_alloc_cells(c);
    if (err)
        goto out;
    if (cell_line) {
        lines = calloc(c->ncells ? c->ncells : 1, sizeof(long));
        if (!lines) {
            err = ERR_NOMEM;
            goto out;
        }
    }
    c->heading = nv - nstub;
    err = px_read_data(f, c, vars, nstub, nkeys, lines);
    if (err)
        goto out;
    if (f->semis)
        px_warn(f, f->data_line, "DATA: %zu \";\" inside the data taken as separators", f->semis);

    /* descriptive fields */
    c->decimals = show;
    const struct px_entry *e;
    e = px_get(f, "TITLE", 0, NULL, NULL, NULL, NULL);
    err = cube_set_str(&c->title, px_first(e ? e : title));
    if (!err) {
        e = px_get(f, "CONTENTS", 0, NULL, NULL, NULL, NULL);
        err = cube_set_str(&c->contents, px_first(e ? e : contents));
    }
    if (!err) {
        e = px_get(f, "UNITS", 0, NULL, NULL, NULL, NULL);
        err = cube_set_str(&c->unit, px_first(e ? e : units));
    }
    if (!err)
        err = cube_set_str(&c->source, px_first(px_get(f, "SOURCE", 0, NULL, NULL, NULL, NULL)));
    if (!err)
        err = cube_set_str(&c->matrix, px_first(matrix));
    if (!err)
        err = cube_set_str(&c->subject_code, px_first(scode));
    if (!err) {
        e = px_get(f, "SUBJECT-AREA", 0, NULL, NULL, NULL, NULL);
        err = cube_set_str(&c->subject_area, px_first(e ? e : sarea));
    }
    if (!err)
        err = cube_set_str(&c->lang, f->lang ? f->lang : f->main_lang);
    if (err)
        goto out;
    const struct px_entry *lu = px_find(f, "LAST-UPDATED", NULL, 0, NULL, NULL);
    if (!lu && cont >= 0)
        lu = px_find(f, "LAST-UPDATED", NULL, 1, vars[cont].values->val[0], NULL);
    c->updated = px_iso_time(px_first(lu));
    struct buf nb;
    buf_init(&nb, PX_MAX_STRING * 4);
    int has_note = px_join_notes(f, "NOTEX", &b);
    if (px_join_notes(f, "NOTE", &nb)) {
        if (has_note)
            buf_putc(&b, '#');
        buf_append(&b, nb.p, nb.len);
        has_note = 1;
    }
    if (nb.failed)
        b.failed = 1;
    buf_release(&nb);
    if (b.failed) {
        err = ERR_NOMEM;
        goto out;
    }
    if (has_note) {
        err = cube_set_str(&c->note, b.p ? b.p : "");
        if (err)
            goto out;
    }
    if (cell_line) {
        *cell_line = lines;
        lines = NULL;
    }
out:
    if (err == ERR_NOMEM && f->dg)
        px_error(f, 0, "out of memory");
    free(lines);
    buf_release(&b);
    return err;
}

enum err px_read_cube(const char *bytes, size_t len, const char *path, const char *lang,
                      struct cube *out, long **cell_line, struct diag *dg)
{
    struct px_file f;
    memset(&f, 0, sizeof(f));
    f.path = path ? path : "(px)";
    f.dg = dg;
    enum err err = ERR_OK;
    cube_release(out);
    if (cell_line)
        *cell_line = NULL;
    if (len > PX_MAX_BYTES) {
        px_error(&f, 0, "file is %zu bytes, more than the limit of %zu MiB", len,
                 (size_t)(PX_MAX_BYTES >> 20));
        return ERR_LIMIT;
    }
    err = px_decode(&f, bytes ? bytes : "", bytes ? len : 0);
    if (err)
        goto out;
    err = px_parse_keywords(&f);
    if (err)
        goto out;
    const struct px_entry *ml = px_find(&f, "LANGUAGE", NULL, 0, NULL, NULL);
    f.main_lang = px_first(ml);
    f.langs = px_find(&f, "LANGUAGES", NULL, 0, NULL, NULL);
    if (lang && *lang && !px_is_main(&f, lang)) {
        int known = 0;
        for (size_t k = 0; f.langs && k < f.langs->nval; k++)
            if (strcmp(f.langs->val[k], lang) == 0)
                known = 1;
        if (!known) {
            px_error(&f, f.langs ? f.langs->line : 0,
                     "language \"%s\" is not in the file (LANGUAGE \"%s\"%s)", lang,
                     f.main_lang ? f.main_lang : "",
                     f.langs ? ", see LANGUAGES" : ", no LANGUAGES");
            err = ERR_NOTFOUND;
            goto out;
        }
        f.lang = lang;
    }
    err = px_build(&f, out, cell_line);
out:
    if (err)
        cube_release(out);
    for (size_t i = 0; i < f.n; i++)
        entry_release(&f.e[i]);
    free(f.e);
    free(f.text);
    return err;
}

/* ---- writing ---- */

struct px_w {
    struct buf *o;
    size_t col; /* bytes on the current line */
};

static void pw_raw(struct px_w *w, const char *s)
{
    buf_puts(w->o, s);
    const char *nl = strrchr(s, '\n');
    w->col = nl ? strlen(nl + 1) : w->col + strlen(s);
}

/* A quoted string; '"' becomes '\'', new lines become '#'; long strings are
 * split over lines as "..." "..." at UTF-8 boundaries. */
static void pw_str(struct px_w *w, const char *s)
{
    if (!s)
        s = "";
    buf_putc(w->o, '"');
    w->col++;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char ch = *p;
        if (w->col >= 200 && (ch & 0xC0) != 0x80) {
            buf_puts(w->o, "\"\n\"");
            w->col = 1;
        }
        if (ch == '"')
            ch = '\'';
        else if (ch == '\n')
            ch = '#';
        else if (ch == '\r' || ch < 0x20)
            continue;
        buf_putc(w->o, (char)ch);
        w->col++;
    }
    buf_putc(w->o, '"');
    w->col++;
}

/* KEYWORD("sub","sub2")= */
static void pw_kw(struct px_w *w, const char *kw, const char *s0, const char *s1)
{
    pw_raw(w, kw);
    if (s0) {
        pw_raw(w, "(");
        pw_str(w, s0);
        if (s1) {
            pw_raw(w, ",");
            pw_str(w, s1);
        }
        pw_raw(w, ")");
    }
    pw_raw(w, "=");
}

static void pw_kv(struct px_w *w, const char *kw, const char *s0, const char *s1, const char *v)
{
    pw_kw(w, kw, s0, s1);
    pw_str(w, v);
    pw_raw(w, ";\n");
}

static void pw_list(struct px_w *w, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            pw_raw(w, ",");
            if (w->col > 200)
                pw_raw(w, "\n");
        }
        pw_str(w, v[i]);
    }
    pw_raw(w, ";\n");
}

/* Format v with at most dec decimals, without trailing zeros. */
static void px_fmt(char *out, size_t n, double v, int dec)
{
    snprintf(out, n, "%.*f", dec, v);
    if (strchr(out, '.')) {
        size_t l = strlen(out);
        while (l > 0 && out[l - 1] == '0')
            out[--l] = '\0';
        if (l > 0 && out[l - 1] == '.')
            out[--l] = '\0';
    }
    if (strcmp(out, "-0") == 0)
        snprintf(out, n, "0");
}

static int px_needed_decimals(double v)
{
    char tmp[400];
    for (int d = 0; d < 15; d++) {
        snprintf(tmp, sizeof(tmp), "%.*f", d, v);
        if (strtod(tmp, NULL) == v)
            return d;
    }
    return 15;
}

/* The TLIST format of a time dimension's codes, or NULL if unknown. */
static const char *px_tlist(const struct cube_dim *d)
{
    static const struct {
        const char *fmt;
        char letter; /* 0 = plain year */
        size_t digits;
    } forms[] = {{"A1", 0, 0}, {"H1", 'H', 1}, {"Q1", 'Q', 1}, {"M1", 'M', 2}, {"W1", 'W', 2}};
    for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
        int ok = d->n > 0;
        for (size_t i = 0; i < d->n && ok; i++) {
            const char *s = d->val_codes[i];
            size_t l = strlen(s);
            if (!forms[f].letter)
                ok = l == 4 && str_is_digits(s, 4);
            else
                ok = l == 5 + forms[f].digits && str_is_digits(s, 4) && s[4] == forms[f].letter &&
                     str_is_digits(s + 5, forms[f].digits);
        }
        if (ok)
            return forms[f].fmt;
    }
    return NULL;
}

enum err px_write_cube(const struct cube *c, struct buf *out)
{
    if (c->ndims == 0 || c->ndims > PX_MAX_DIMS || !c->value || !c->status)
        return ERR_INVALID;
    for (size_t i = 0; i < c->ndims; i++)
        if (c->dims[i].n == 0)
            return ERR_INVALID; /* PX needs at least one value per variable */
    for (size_t i = 0; i < c->ndims; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->dims[i].label, c->dims[j].label) == 0)
                return ERR_INVALID; /* PX names variables by their label */
    struct px_w w = {out, 0};
    size_t start = out->len;
    /* DECIMALS: the measures' decimals, or more where a value needs them
     * (a table from a PX file keeps its stored precision) */
    int stored = c->decimals;
    const struct cube_dim *cd = NULL;
    for (size_t i = 0; i < c->ndims; i++)
        if (c->dims[i].is_contents)
            cd = &c->dims[i];
    for (size_t i = 0; cd && cd->val_decimals && i < cd->n; i++)
        if (cd->val_decimals[i] > stored)
            stored = cd->val_decimals[i];
    int any[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < c->ncells; i++) {
        if (c->status[i] == CUBE_OK) {
            int d = px_needed_decimals(c->value[i]);
            if (d > stored)
                stored = d;
        } else if (c->status[i] < 4) {
            any[c->status[i]] = 1;
        }
    }
    char num[64];
    pw_raw(&w, "CHARSET=\"ANSI\";\nAXIS-VERSION=\"2013\";\nCODEPAGE=\"utf-8\";\n");
    if (c->lang)
        pw_kv(&w, "LANGUAGE", NULL, NULL, c->lang);
    if (c->updated && strlen(c->updated) >= 16) {
        const char *u = c->updated;
        snprintf(num, sizeof(num), "%.4s%.2s%.2s %.5s", u, u + 5, u + 8, u + 11);
        pw_kv(&w, "CREATION-DATE", NULL, NULL, num);
    }
    snprintf(num, sizeof(num), "DECIMALS=%d;\nSHOWDECIMALS=%d;\n", stored,
             c->decimals < stored ? c->decimals : stored);
    pw_raw(&w, num);
    pw_kv(&w, "MATRIX", NULL, NULL, c->matrix ? c->matrix : "BIDRAG");
    pw_kv(&w, "SUBJECT-CODE", NULL, NULL, c->subject_code ? c->subject_code : "BIDRAG");
    pw_kv(&w, "SUBJECT-AREA", NULL, NULL, c->subject_area ? c->subject_area : "Bidrag");
    pw_kv(&w, "TITLE", NULL, NULL, c->title ? c->title : "");
    pw_kv(&w, "CONTENTS", NULL, NULL, c->contents ? c->contents : (c->title ? c->title : ""));
    const char *unit = c->unit;
    if (!unit && cd && cd->val_units && cd->n > 0)
        unit = cd->val_units[0];
    pw_kv(&w, "UNITS", NULL, NULL, unit ? unit : "");
    /* the dimensions across are the cube's trailing heading ones (the
     * table's column dimensions and the measures), the last by default */
    size_t nhead = c->heading ? c->heading : 1;
    if (nhead >= c->ndims)
        nhead = c->ndims > 1 ? c->ndims - 1 : 0;
    size_t nstub = c->ndims - nhead;
    if (nhead > 0) {
        pw_kw(&w, "STUB", NULL, NULL);
        for (size_t i = 0; i < nstub; i++) {
            if (i)
                pw_raw(&w, ",");
            pw_str(&w, c->dims[i].label);
        }
        pw_raw(&w, ";\n");
        pw_kw(&w, "HEADING", NULL, NULL);
        for (size_t i = nstub; i < c->ndims; i++) {
            if (i > nstub)
                pw_raw(&w, ",");
            pw_str(&w, c->dims[i].label);
        }
        pw_raw(&w, ";\n");
    } else {
        pw_kv(&w, "STUB", NULL, NULL, c->dims[0].label);
    }
    if (cd)
        pw_kv(&w, "CONTVARIABLE", NULL, NULL, cd->label);
    for (size_t i = 0; i < c->ndims; i++) {
        const struct cube_dim *d = &c->dims[i];
        if (strcmp(d->code, d->label) != 0)
            pw_kv(&w, "VARIABLECODE", d->label, NULL, d->code);
        pw_kw(&w, "VALUES", d->label, NULL);
        pw_list(&w, d->val_labels, d->n);
    }
    for (size_t i = 0; i < c->ndims; i++) {
        const struct cube_dim *d = &c->dims[i];
        const char *tl = d->is_time ? px_tlist(d) : NULL;
        if (!tl)
            continue;
        pw_kw(&w, "TIMEVAL", d->label, NULL);
        snprintf(num, sizeof(num), "TLIST(%s),", tl);
        pw_raw(&w, num);
        pw_list(&w, d->val_codes, d->n);
    }
    for (size_t i = 0; i < c->ndims; i++) {
        pw_kw(&w, "CODES", c->dims[i].label, NULL);
        pw_list(&w, c->dims[i].val_codes, c->dims[i].n);
    }
    /* a variable with a total can be left out of a table: its total then */
    for (size_t i = 0; i < c->ndims; i++) {
        const struct cube_dim *d = &c->dims[i];
        if (d->total >= 0 && (size_t)d->total < d->n && !d->is_contents && !d->is_time)
            pw_kv(&w, "ELIMINATION", d->label, NULL, d->val_labels[d->total]);
    }
    if (cd) {
        for (size_t k = 0; cd->val_decimals && k < cd->n; k++) {
            if (cd->val_decimals[k] == c->decimals)
                continue;
            pw_kw(&w, "PRECISION", cd->label, cd->val_labels[k]);
            snprintf(num, sizeof(num), "%d;\n", cd->val_decimals[k]);
            pw_raw(&w, num);
        }
    }
    char upd[32] = "";
    if (c->updated && strlen(c->updated) >= 16) {
        const char *u = c->updated;
        snprintf(upd, sizeof(upd), "%.4s%.2s%.2s %.5s", u, u + 5, u + 8, u + 11);
        pw_kv(&w, "LAST-UPDATED", NULL, NULL, upd);
    }
    if (cd) {
        for (size_t k = 0; k < cd->n; k++) {
            if (upd[0])
                pw_kv(&w, "LAST-UPDATED", cd->val_labels[k], NULL, upd);
            const char *u = cd->val_units && cd->val_units[k] ? cd->val_units[k] : unit;
            pw_kv(&w, "UNITS", cd->val_labels[k], NULL, u ? u : "");
        }
    }
    if (c->source)
        pw_kv(&w, "SOURCE", NULL, NULL, c->source);
    if (c->no_aggregation)
        pw_raw(&w, "AGGREGALLOWED=NO;\n");
    if (c->note)
        pw_kv(&w, "NOTE", NULL, NULL, c->note);
    if (any[CUBE_SUPPRESSED])
        pw_kv(&w, "DATASYMBOL3", NULL, NULL, cube_status_symbol(CUBE_SUPPRESSED));
    pw_raw(&w, "DATA=\n");
    size_t row = 1; /* a line of DATA: the HEADING's cells */
    for (size_t i = nstub; i < c->ndims; i++)
        row *= c->dims[i].n;
    if (c->ndims == 1)
        row = c->dims[0].n; /* one variable: one line */
    for (size_t i = 0; i < c->ncells; i++) {
        const char *sym = NULL;
        switch (c->status[i]) {
        case CUBE_OK:
            px_fmt(num, sizeof(num), c->value[i], stored);
            break;
        case CUBE_SUPPRESSED:
            sym = "\"...\"";
            break;
        case CUBE_NA:
            sym = "\".\"";
            break;
        default:
            sym = "\"..\"";
            break;
        }
        pw_raw(&w, sym ? sym : num);
        int last_in_row = row == 0 || (i + 1) % row == 0;
        if (last_in_row)
            pw_raw(&w, "\n");
        else if (w.col > 200)
            pw_raw(&w, "\n");
        else
            pw_raw(&w, " ");
    }
    pw_raw(&w, ";\n");
    if (out->failed && out->len == start)
        return ERR_LIMIT;
    if (out->failed)
        return ERR_LIMIT;
    return ERR_OK;
}
