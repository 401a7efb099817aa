/* allocfmt.h - an allocation (core/key.h) as a text table with Swedish
 * number formatting, CSV (plain integers), JSON, XLSX, and the line-by-line
 * explanation of one recipient's amount. Output is byte-for-byte the same
 * for the same allocation. */
#ifndef BIDRAG_IO_ALLOCFMT_H
#define BIDRAG_IO_ALLOCFMT_H

#include "core/key.h"
#include "util/buf.h"

/* The recipients of an allocation as rows: kommuner then regioner, each by
 * code; amount[block] per row, -1 when not a recipient of that block. */
struct alloc_row {
    struct recipient r;
    int64_t *amount; /* nblocks */
    int64_t total;
};
struct alloc_rows {
    size_t n, nblocks;
    struct alloc_row *rows;
    int64_t *block_total; /* nblocks */
    int64_t total;
};
enum err allocfmt_rows(const struct allocation *a, struct alloc_rows *out);
void alloc_rows_release(struct alloc_rows *r);

/* Notes every output carries: population date used (and whether it was a
 * demo fallback), illustrative data, forfeited shares. One per line. */
enum err allocfmt_notes(const struct allocation *a, struct buf *out);
/* The same notes in language l (the program file's note_en, the catalog's
 * English); allocfmt_notes is this in Swedish. */
enum err allocfmt_notes_lang(const struct allocation *a, enum lang l, struct buf *out);

enum err allocfmt_table(const struct allocation *a, struct buf *out);
enum err allocfmt_csv(const struct allocation *a, struct buf *out);
enum err allocfmt_json(const struct allocation *a, struct buf *out);
enum err allocfmt_xlsx(const struct allocation *a, const char *path);
/* The same workbook appended to out (no file on disk). */
enum err allocfmt_xlsx_buf(const struct allocation *a, struct buf *out);
/* How the recipient with this code got its amount, block by block.
 * ERR_NOTFOUND if it is a recipient of no block. */
enum err allocfmt_explain(const struct allocation *a, const char *code, struct buf *out);

#endif
