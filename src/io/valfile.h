/* valfile.h - read a file of whole-number values per recipient code: a
 * population series (SCB CSV export or our own CSV), a metric (header
 * code,value), weights for a one-off key (code,weight) or an explicit key
 * table (code,amount). Syntax problems (non-numeric, negative, bad code
 * form) are reported as path:line; whether the codes are recipients is a
 * rule checked by the caller (series_check_codes). */
#ifndef BIDRAG_IO_VALFILE_H
#define BIDRAG_IO_VALFILE_H

#include "core/series.h"
#include "util/err.h"

struct valfile_opts {
    const char *value_col; /* header of the value column; NULL = detect */
    int allow_negative;    /* 0 = negative values are errors */
};

/* Read path into out (series_init'd here with kind; caller releases) and
 * *lines (caller frees: one line number per value, same order as out->v
 * before sorting). If the header or a comment names a reference date
 * (YYYY-MM-DD), it is put in out->date. Codes like "0114 Upplands Väsby"
 * are cut to their leading digits; the national total "00"/"Riket" is
 * skipped. A file with no value left (a header alone) is an error. */
enum err valfile_read(const char *path, enum series_kind kind, const struct valfile_opts *o,
                      struct series *out, long **lines, struct diag *d);
/* The same from memory. */
enum err valfile_parse(const char *text, size_t len, const char *path, enum series_kind kind,
                       const struct valfile_opts *o, struct series *out, long **lines,
                       struct diag *d);

#endif
