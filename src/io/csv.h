/* csv.h - read small CSV files (population, metrics, weights, key tables)
 * into memory with the physical line number of every row, on libcsv.
 * Comment lines starting with '#' and blank lines are skipped; the
 * delimiter (',' ';' or tab) is taken from the header line; a UTF-8 BOM is
 * skipped and Latin-1/Windows-1252 files are converted to UTF-8. */
#ifndef BIDRAG_IO_CSV_H
#define BIDRAG_IO_CSV_H

#include <stddef.h>
#include "util/buf.h"
#include "util/err.h"

struct csv_row {
    long line;
    size_t n;
    char **f;
};

struct csv_table {
    size_t ncols; /* header fields */
    char **header;
    long header_line; /* physical line of the header */
    size_t nrows;
    struct csv_row *rows;
    char comment[512]; /* the first comment line's text, without '#' */
};

#define CSV_MAX_ROWS 2000000
#define CSV_MAX_BYTES (64u << 20)

/* Parse text into t (caller releases). Errors go to d as path:line. */
enum err csv_read(const char *text, size_t len, const char *path, struct csv_table *t,
                  struct diag *d);
/* Read a file and parse it. */
enum err csv_read_file(const char *path, struct csv_table *t, struct diag *d);
void csv_table_release(struct csv_table *t);
/* Index of the header column named name (case-insensitive), or -1. */
int csv_col(const struct csv_table *t, const char *name);
/* Append one CSV field to out: quoted when it holds a separator (, ; tab),
 * a quote or a line end; a field a spreadsheet would take for a formula
 * (starting with = + - @ tab or CR) is written as '... in quotes, so that
 * it shows as text and never runs (OWASP, CSV injection); a plain number
 * ("-4", "+46", "-1,5") is a number to a spreadsheet and is left alone.
 * Every CSV that can carry text from outside writes its text cells with
 * this. */
enum err csv_put_field(struct buf *out, const char *s);
/* Append v with decimals decimals and the decimal mark dec ('.' or ','),
 * without a "-0". */
enum err csv_put_number(struct buf *out, double v, int decimals, char dec);

#endif
