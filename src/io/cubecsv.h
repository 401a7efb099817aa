/* cubecsv.h - write a cube (core/cube.h) as CSV: the labelled CSV that
 * Excel opens (UTF-8 with BOM, CRLF, one row per cell, comma and decimal
 * point or, for Swedish Excel, semicolon and decimal comma), and the
 * machine CSV of codes ("csv-codes": one column per dimension and one per
 * measure). Cells without a value carry their symbol (cube_status_symbol);
 * every text field goes through csv_put_field of io/csv.h (quoting,
 * formula neutralisation). */
#ifndef BIDRAG_IO_CUBECSV_H
#define BIDRAG_IO_CUBECSV_H

#include "core/cube.h"
#include "util/buf.h"

struct cubecsv_opts {
    char sep;     /* ',' or ';' */
    char decimal; /* '.' or ',' */
};

/* The Excel CSV with comma and decimal point, appended to out. */
enum err cubecsv_write(const struct cube *c, struct buf *out);
/* The same with a separator and decimal mark (Swedish Excel: ';' ','). */
enum err cubecsv_write_opts(const struct cube *c, const struct cubecsv_opts *o, struct buf *out);
/* The machine CSV of codes, no BOM, LF: one column per dimension but the
 * last (the measures), then one per measure; decimal point. */
enum err cubecsv_write_codes(const struct cube *c, struct buf *out);

#endif
