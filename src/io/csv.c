/* csv.c - small CSV files into memory, with line numbers. */
#include "io/csv.h"

#include <csv.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/str.h"

struct state {
    struct csv_table *t;
    char **fields;
    size_t nfields;
    long line;     /* physical line being fed */
    long row_line; /* line where the current row started */
    int in_row;
    int header_done;
    enum err e;
};

static void on_field(void *s, size_t len, void *data)
{
    struct state *st = data;
    if (st->e)
        return;
    if (!st->in_row) {
        st->in_row = 1;
        st->row_line = st->line;
    }
    char **nf = realloc(st->fields, (st->nfields + 1) * sizeof(*nf));
    char *v = malloc(len + 1);
    if (!nf || !v) {
        free(v);
        if (nf)
            st->fields = nf;
        st->e = ERR_NOMEM;
        return;
    }
    st->fields = nf;
    if (len)
        memcpy(v, s, len);
    v[len] = '\0';
    st->fields[st->nfields++] = str_trim(v);
}

static void free_fields(char **f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i]);
    free(f);
}

static void on_row(int c, void *data)
{
    (void)c;
    struct state *st = data;
    if (st->e) {
        free_fields(st->fields, st->nfields);
        goto reset;
    }
    if (!st->header_done) {
        st->t->header = st->fields;
        st->t->ncols = st->nfields;
        st->t->header_line = st->row_line;
        st->header_done = 1;
        goto reset;
    }
    if (st->t->nrows >= CSV_MAX_ROWS) {
        free_fields(st->fields, st->nfields);
        st->e = ERR_LIMIT;
        goto reset;
    }
    if ((st->t->nrows & (st->t->nrows - 1)) == 0) {
        size_t cap = st->t->nrows ? st->t->nrows * 2 : 64;
        struct csv_row *nr = realloc(st->t->rows, cap * sizeof(*nr));
        if (!nr) {
            free_fields(st->fields, st->nfields);
            st->e = ERR_NOMEM;
            goto reset;
        }
        st->t->rows = nr;
    }
    struct csv_row *r = &st->t->rows[st->t->nrows++];
    r->line = st->row_line;
    r->n = st->nfields;
    r->f = st->fields;
reset:
    st->fields = NULL;
    st->nfields = 0;
    st->in_row = 0;
}

static char pick_delim(const char *line, size_t n)
{
    size_t comma = 0, semi = 0, tab = 0;
    int q = 0;
    for (size_t i = 0; i < n && line[i] != '\n'; i++) {
        if (line[i] == '"')
            q = !q;
        else if (!q && line[i] == ',')
            comma++;
        else if (!q && line[i] == ';')
            semi++;
        else if (!q && line[i] == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

/* Convert Windows-1252/Latin-1 to UTF-8 into out. */
static enum err to_utf8(const char *in, size_t len, struct buf *out)
{
    iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
    if (cd == (iconv_t)-1)
        cd = iconv_open("UTF-8", "ISO-8859-1");
    if (cd == (iconv_t)-1)
        return ERR_PARSE;
    enum err e = ERR_OK;
    char *src = (char *)in;
    size_t left = len;
    while (left > 0 && !e) {
        char chunk[4096];
        char *dst = chunk;
        size_t room = sizeof(chunk);
        size_t rc = iconv(cd, &src, &left, &dst, &room);
        e = buf_append(out, chunk, sizeof(chunk) - room);
        if (rc == (size_t)-1 && room == sizeof(chunk))
            e = ERR_PARSE;
    }
    iconv_close(cd);
    return e;
}

enum err csv_read(const char *text, size_t len, const char *path, struct csv_table *t,
                  struct diag *d)
{
    memset(t, 0, sizeof(*t));
    struct buf conv;
    buf_init(&conv, CSV_MAX_BYTES * 2);
    enum err e = ERR_OK;
    if (len > CSV_MAX_BYTES) {
        diag_add(d, path, 0, "the file is larger than %u MiB", CSV_MAX_BYTES >> 20);
        return ERR_LIMIT;
    }
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF) {
        text += 3;
        len -= 3;
    }
    if (memchr(text, '\0', len)) {
        diag_add(d, path, 0, "the file holds a NUL byte (not a text file)");
        return ERR_PARSE;
    }
    if (str_utf8_len(text, len) < 0) {
        if (to_utf8(text, len, &conv)) {
            diag_add(d, path, 0, "the file is neither UTF-8 nor Latin-1 text");
            buf_release(&conv);
            return ERR_PARSE;
        }
        text = conv.p;
        len = conv.len;
    }

    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        buf_release(&conv);
        return ERR_NOMEM;
    }
    struct state st;
    memset(&st, 0, sizeof(st));
    st.t = t;
    const char *q = text, *end = text + len;
    int delim_set = 0;
    while (q < end && !st.e) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        size_t n = nl ? (size_t)(nl - q) + 1 : (size_t)(end - q);
        st.line++;
        if (!st.in_row) {
            const char *b = q;
            while (b < q + n && (*b == ' ' || *b == '\t' || *b == '\r' || *b == '\n'))
                b++;
            if (b == q + n) { /* blank line */
                q += n;
                continue;
            }
            if (*b == '#') {
                if (!t->comment[0]) {
                    size_t k = n - (size_t)(b + 1 - q);
                    while (k && (b[k] == '\n' || b[k] == '\r'))
                        k--;
                    char tmp[512];
                    size_t cp = k < sizeof(tmp) - 1 ? k : sizeof(tmp) - 1;
                    memcpy(tmp, b + 1, cp);
                    tmp[cp] = '\0';
                    str_copy(t->comment, sizeof(t->comment), str_trim(tmp));
                }
                q += n;
                continue;
            }
            if (!delim_set) {
                csv_set_delim(&p, (unsigned char)pick_delim(q, n));
                delim_set = 1;
            }
        }
        if (csv_parse(&p, q, n, on_field, on_row, &st) != n) {
            diag_add(d, path, st.line, "%s", csv_strerror(csv_error(&p)));
            e = ERR_PARSE;
            break;
        }
        q += n;
    }
    if (!e && !st.e && csv_fini(&p, on_field, on_row, &st) != 0) {
        diag_add(d, path, st.line, "%s", csv_strerror(csv_error(&p)));
        e = ERR_PARSE;
    }
    if (!e && st.e) {
        e = st.e;
        diag_add(d, path, st.line, "%s",
                 e == ERR_LIMIT ? "too many rows" : "out of memory reading the file");
    }
    free_fields(st.fields, st.nfields);
    csv_free(&p);
    buf_release(&conv);
    if (!e && !st.header_done) {
        diag_add(d, path, 0, "the file is empty (no header line)");
        e = ERR_PARSE;
    }
    if (e)
        csv_table_release(t);
    return e;
}

enum err csv_read_file(const char *path, struct csv_table *t, struct diag *d)
{
    struct buf b;
    buf_init(&b, CSV_MAX_BYTES + 1);
    enum err e = buf_read_file_diag(&b, path, d);
    if (e) {
        buf_release(&b);
        memset(t, 0, sizeof(*t));
        return e;
    }
    e = csv_read(b.p, b.len, path, t, d);
    buf_release(&b);
    return e;
}

void csv_table_release(struct csv_table *t)
{
    free_fields(t->header, t->ncols);
    for (size_t i = 0; i < t->nrows; i++)
        free_fields(t->rows[i].f, t->rows[i].n);
    free(t->rows);
    memset(t, 0, sizeof(*t));
}

int csv_col(const struct csv_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcasecmp(t->header[i], name) == 0)
            return (int)i;
    return -1;
}

/* A plain number ("-4", "+46", "-1.5", "-1,5"): a spreadsheet reads it as
 * a number, never as a formula, so it is left as it is. */
static int plain_number(const char *s)
{
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0, digits = 0, marks = 0;
    for (; s[i]; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if ((s[i] == '.' || s[i] == ',') && marks == 0 && digits > 0)
            marks++;
        else
            return 0;
    }
    return digits > 0 && s[i - 1] >= '0' && s[i - 1] <= '9';
}

enum err csv_put_field(struct buf *out, const char *s)
{
    /* OWASP, CSV injection: a cell a spreadsheet would run as a formula
     * gets a leading ' (shown, never evaluated) and quotes */
    if (!s)
        s = "";
    int formula = s[0] && strchr("=+-@\t\r", s[0]) != NULL && !plain_number(s);
    if (!formula && !strpbrk(s, ",;\"\n\r\t"))
        return buf_puts(out, s);
    enum err e = buf_puts(out, formula ? "\"'" : "\"");
    for (const char *q = s; *q && !e; q++)
        e = *q == '"' ? buf_puts(out, "\"\"") : buf_putc(out, *q);
    return e ? e : buf_putc(out, '"');
}

enum err csv_put_number(struct buf *out, double v, int decimals, char dec)
{
    char num[400];
    if (decimals < 0 || decimals > 15)
        decimals = 15;
    snprintf(num, sizeof(num), "%.*f", decimals, v);
    /* no "-0" for a value that rounds to zero */
    if (num[0] == '-' && strspn(num + 1, "0.") == strlen(num + 1))
        memmove(num, num + 1, strlen(num));
    char *point = dec != '.' ? strchr(num, '.') : NULL;
    if (point)
        *point = dec;
    return buf_puts(out, num);
}
