/* xlsx.h - write workbooks with libxlsxwriter: generic tables (used for
 * allocations) and cubes (statistics tables). */
#ifndef BIDRAG_IO_XLSX_H
#define BIDRAG_IO_XLSX_H

#include <stddef.h>
#include <stdint.h>
#include "core/cube.h"
#include "util/buf.h"
#include "util/err.h"

enum xlsx_type { XLSX_EMPTY = 0, XLSX_STR, XLSX_INT, XLSX_NUM };

struct xlsx_cell {
    enum xlsx_type type;
    const char *s; /* XLSX_STR */
    int64_t i;     /* XLSX_INT (written as a number with thousands separators) */
    double d;      /* XLSX_NUM */
};

/* One sheet of rows under a header row. */
struct xlsx_table {
    const char *sheet; /* sheet name (at most 31 characters) */
    const char *title; /* optional title above the header, or NULL */
    size_t ncols;
    const char *const *header; /* ncols column names */
    size_t nrows;
    const struct xlsx_cell *cells; /* nrows × ncols, row-major */
    int sum_row;                   /* 1 = append a "Summa" row with SUM() over XLSX_INT columns */
};

/* Key/value metadata written as a two-column sheet. */
struct xlsx_meta {
    const char *sheet; /* e.g. "Program" */
    size_t n;
    const char *const *keys;
    const char *const *values;
};

/* Write the tables (in order) and, if meta is not NULL, a metadata sheet
 * after them, to path. */
enum err xlsx_write_tables(const char *path, const struct xlsx_table *t, size_t nt,
                           const struct xlsx_meta *meta);

/* Write a cube as a sheet (dimensions as columns, cells as rows; suppressed
 * cells marked), with a second sheet holding title, source and notes. */
enum err xlsx_write_cube(const struct cube *c, const char *path);

/* The same, appended to a buffer (no file is made on disk). */
enum err xlsx_write_tables_buf(const struct xlsx_table *t, size_t nt, const struct xlsx_meta *meta,
                               struct buf *out);
enum err xlsx_write_cube_buf(const struct cube *c, struct buf *out);

#endif
