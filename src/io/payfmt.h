/* payfmt.h - a payment batch as a spreadsheet: CSV (comma-separated,
 * amounts in öre and in kronor with a decimal point, text cells through
 * csv_put_field so that nothing runs as a formula) and XLSX (one sheet of
 * payments, one of the batch's facts), into a buffer. */
#ifndef BIDRAG_IO_PAYFMT_H
#define BIDRAG_IO_PAYFMT_H

#include <stddef.h>

#include "core/payment.h"
#include "util/buf.h"
#include "util/err.h"

/* One payment with where it belongs. */
struct payfmt_row {
    const struct payment *p;
    const char *program;
    const char *recipient;
};

/* The batch's facts: number, state, who gathered and attested, file. */
struct payfmt_batch {
    const char *number, *state, *prepared_by, *attested_by, *attested_at, *file;
};

ERR_MUST_CHECK enum err payfmt_csv(const struct payfmt_row *rows, size_t n, struct buf *out);
ERR_MUST_CHECK enum err payfmt_xlsx(const struct payfmt_batch *b, const struct payfmt_row *rows,
                                    size_t n, struct buf *out);

#endif
