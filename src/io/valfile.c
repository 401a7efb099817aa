/* valfile.c - values per recipient code from CSV files. */
#include "io/valfile.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/csv.h"
#include "util/buf.h"
#include "util/money.h"
#include "util/str.h"

/* Find YYYY-MM-DD inside s. */
static int find_date(const char *s, struct date *out)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + 10 <= n; i++) {
        char tmp[11];
        memcpy(tmp, s + i, 10);
        tmp[10] = '\0';
        if (date_parse(tmp, out) == ERR_OK)
            return 1;
    }
    return 0;
}

static int is_code_header(const char *h)
{
    static const char *names[] = {"code",    "kod",    "kommunkod", "lanskod",
                                  "länskod", "region", "kommun",    "regionkod"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcasecmp(h, names[i]) == 0)
            return 1;
    return 0;
}

static int is_value_header(const char *h)
{
    static const char *prefixes[] = {"value",  "värde", "folkmangd", "folkmängd", "population",
                                     "weight", "vikt",  "amount",    "belopp"};
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncasecmp(h, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    return 0;
}

/* "0114 Upplands Väsby" -> "0114"; returns 0 if no 2- or 4-digit code. */
static int cut_code(const char *f, char *code, size_t n)
{
    size_t k = 0;
    while (f[k] >= '0' && f[k] <= '9')
        k++;
    if (!(k == 2 || k == 4) || (f[k] && f[k] != ' ' && f[k] != '\t'))
        return 0;
    if (k >= n)
        return 0;
    memcpy(code, f, k);
    code[k] = '\0';
    return 1;
}

enum err valfile_parse(const char *text, size_t len, const char *path, enum series_kind kind,
                       const struct valfile_opts *o, struct series *out, long **lines,
                       struct diag *d)
{
    series_init(out, kind);
    *lines = NULL;
    struct csv_table t;
    enum err e = csv_read(text, len, path, &t, d);
    if (e)
        return e;
    size_t before = d->total;
    int ccol = -1, vcol = -1;
    for (size_t i = 0; i < t.ncols; i++) {
        if (ccol < 0 && is_code_header(t.header[i]))
            ccol = (int)i;
        if (o && o->value_col) {
            if (vcol < 0 && strcasecmp(t.header[i], o->value_col) == 0)
                vcol = (int)i;
        } else if (vcol < 0 && is_value_header(t.header[i])) {
            vcol = (int)i;
        }
    }
    if (ccol < 0)
        ccol = 0;
    if (vcol < 0 && !(o && o->value_col) && t.ncols >= 2)
        vcol = (int)t.ncols - 1; /* SCB exports: the value is the last column */
    if (vcol < 0 || vcol == ccol) {
        diag_add(d, path, 1, "no '%s' column in the header",
                 o && o->value_col ? o->value_col : "value");
        e = ERR_PARSE;
        goto out;
    }
    if (!find_date(t.header[vcol], &out->date) && t.comment[0])
        find_date(t.comment, &out->date);
    *lines = calloc(t.nrows ? t.nrows : 1, sizeof(long));
    if (!*lines) {
        e = ERR_NOMEM;
        goto out;
    }
    for (size_t r = 0; r < t.nrows; r++) {
        const struct csv_row *row = &t.rows[r];
        if ((size_t)ccol >= row->n || (size_t)vcol >= row->n) {
            diag_add(d, path, row->line, "expected at least %d fields, found %zu",
                     (ccol > vcol ? ccol : vcol) + 1, row->n);
            continue;
        }
        const char *cf = row->f[ccol];
        if (!strcmp(cf, "00") || str_starts(cf, "00 ") || !strcasecmp(cf, "riket"))
            continue; /* national total */
        char code[8];
        if (!cut_code(cf, code, sizeof(code))) {
            diag_add(d, path, row->line, "'%s' is not a kommunkod (4 digits) or länskod (2 digits)",
                     cf);
            continue;
        }
        int64_t v = 0;
        const char *vf = row->f[vcol];
        if (!vf[0] || money_parse_kr(vf, &v) != ERR_OK || strstr(vf, "kr")) {
            diag_add(d, path, row->line, "value '%s' for '%s' is not a whole number", vf, code);
            continue;
        }
        if (v < 0 && !(o && o->allow_negative)) {
            diag_add(d, path, row->line, "value for '%s' is negative (%s)", code, vf);
            continue;
        }
        (*lines)[out->n] = row->line;
        e = series_push(out, code, v);
        if (e)
            goto out;
    }
    if (d->total == before && out->n == 0)
        diag_add(d, path, t.header_line,
                 "the file has a header but no values for any kommun or region");
    if (d->total > before)
        e = ERR_PARSE;
out:
    csv_table_release(&t);
    if (e) {
        series_release(out);
        free(*lines);
        *lines = NULL;
    }
    return e;
}

enum err valfile_read(const char *path, enum series_kind kind, const struct valfile_opts *o,
                      struct series *out, long **lines, struct diag *d)
{
    struct buf b;
    buf_init(&b, CSV_MAX_BYTES + 1);
    series_init(out, kind);
    *lines = NULL;
    enum err e = buf_read_file_diag(&b, path, d);
    if (e) {
        buf_release(&b);
        return e;
    }
    e = valfile_parse(b.p, b.len, path, kind, o, out, lines, d);
    if (!e) {
        const char *base = strrchr(path, '/');
        str_copy(out->source, sizeof(out->source), base ? base + 1 : path);
    }
    buf_release(&b);
    return e;
}
