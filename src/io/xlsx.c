/* xlsx.c - write workbooks with libxlsxwriter: generic tables (allocations,
 * with a "Summa" row of real SUM() formulas) and cubes (statistics tables
 * with their suppression symbols and an "Om tabellen" sheet).
 *
 * Numbers use the format code "#,##0" (with decimals "#,##0.0..."): in an
 * xlsx file "," is the abstract thousands separator, which Excel and
 * LibreOffice show as a space under a Swedish locale ("1 234 567"). */
#include "io/xlsx.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define XLSX_MAX_DECIMALS 9
#define XLSX_MIN_WIDTH 6.0
#define XLSX_MAX_WIDTH 60.0

/* Symbols for cells without a value (legend on the "Om tabellen" sheet). */

/* Formats shared by every sheet of one workbook (owned by the workbook). */
struct fmts {
    lxw_workbook *wb;
    lxw_format *bold;
    lxw_format *title;
    lxw_format *head_num; /* bold, right aligned: header over a number column */
    lxw_format *text_right;
    lxw_format *num[XLSX_MAX_DECIMALS + 1];
    lxw_format *num_bold[XLSX_MAX_DECIMALS + 1];
};

static void fmts_init(struct fmts *f, lxw_workbook *wb)
{
    memset(f, 0, sizeof(*f));
    f->wb = wb;
    f->bold = workbook_add_format(wb);
    format_set_bold(f->bold);
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 13);
    f->head_num = workbook_add_format(wb);
    format_set_bold(f->head_num);
    format_set_align(f->head_num, LXW_ALIGN_RIGHT);
    f->text_right = workbook_add_format(wb);
    format_set_align(f->text_right, LXW_ALIGN_RIGHT);
}

/* The number format with d decimals, created on first use. */
static lxw_format *fmts_num(struct fmts *f, int d, int bold)
{
    if (d < 0)
        d = 0;
    if (d > XLSX_MAX_DECIMALS)
        d = XLSX_MAX_DECIMALS;
    lxw_format **slot = bold ? &f->num_bold[d] : &f->num[d];
    if (*slot)
        return *slot;
    char code[32] = "#,##0";
    if (d > 0) {
        size_t n = strlen(code);
        code[n++] = '.';
        for (int i = 0; i < d; i++)
            code[n++] = '0';
        code[n] = '\0';
    }
    *slot = workbook_add_format(f->wb);
    format_set_num_format(*slot, code);
    if (bold)
        format_set_bold(*slot);
    return *slot;
}

/* Display width of a UTF-8 string in characters. */
static double text_width(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
        if ((*p & 0xC0) != 0x80)
            n++;
    return (double)n;
}

/* Display width of a number shown with d decimals and grouped thousands. */
static double num_width(double v, int d)
{
    char b[64];
    int n = snprintf(b, sizeof(b), "%.*f", d < 0 ? 0 : d, v);
    if (n < 0)
        return XLSX_MIN_WIDTH;
    size_t ndig = 0;
    for (int i = 0; i < n && b[i] != '.'; i++)
        if (b[i] >= '0' && b[i] <= '9')
            ndig++;
    return (double)n + (double)(ndig ? (ndig - 1) / 3 : 0);
}

static void widen(double *w, size_t col, double width)
{
    if (width > w[col])
        w[col] = width;
}

static enum err set_widths(lxw_worksheet *ws, const double *w, size_t ncols)
{
    for (size_t c = 0; c < ncols; c++) {
        double x = w[c] + 2.0;
        if (x < XLSX_MIN_WIDTH)
            x = XLSX_MIN_WIDTH;
        if (x > XLSX_MAX_WIDTH)
            x = XLSX_MAX_WIDTH;
        if (worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, x, NULL) != LXW_NO_ERROR)
            return ERR_INVALID;
    }
    return ERR_OK;
}

static enum err lxw_to_err(lxw_error le)
{
    switch (le) {
    case LXW_NO_ERROR:
        return ERR_OK;
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
        return ERR_NOMEM;
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_PARAMETER_ERROR:
    case LXW_ERROR_ZIP_BAD_ZIP_FILE:
    case LXW_ERROR_ZIP_INTERNAL_ERROR:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
        return ERR_IO;
    default:
        return ERR_INVALID;
    }
}

static lxw_worksheet *add_sheet(lxw_workbook *wb, const char *name)
{
    if (name && workbook_validate_sheet_name(wb, name) != LXW_NO_ERROR)
        return NULL;
    return workbook_add_worksheet(wb, name);
}

/* ---- generic tables ---------------------------------------------------- */

static enum err write_table(struct fmts *f, const struct xlsx_table *t)
{
    enum err e = ERR_OK;
    double *w = NULL;
    __int128 *sums = NULL;
    lxw_error le = LXW_NO_ERROR;

    if (!t->header || t->ncols == 0 || t->ncols > LXW_COL_MAX || (t->nrows && !t->cells) ||
        t->nrows > LXW_ROW_MAX - 4)
        return ERR_INVALID;
    lxw_worksheet *ws = add_sheet(f->wb, t->sheet);
    if (!ws)
        return ERR_INVALID;
    w = calloc(t->ncols, sizeof(*w));
    sums = calloc(t->ncols, sizeof(*sums));
    if (!w || !sums) {
        e = ERR_NOMEM;
        goto out;
    }

    lxw_row_t hrow = 0;
    if (t->title) {
        le = worksheet_write_string(ws, 0, 0, t->title, f->title);
        if (le != LXW_NO_ERROR)
            goto out;
        hrow = 2;
    }
    /* A column is numeric (right aligned header, summed) if it holds only
     * XLSX_INT/XLSX_NUM/empty cells and at least one number. */
    for (size_t c = 0; c < t->ncols; c++) {
        int has_int = 0, has_text = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            enum xlsx_type ty = t->cells[r * t->ncols + c].type;
            has_int |= ty == XLSX_INT;
            has_text |= ty == XLSX_STR;
        }
        const char *h = t->header[c] ? t->header[c] : "";
        le = worksheet_write_string(ws, hrow, (lxw_col_t)c, h,
                                    has_int && !has_text ? f->head_num : f->bold);
        if (le != LXW_NO_ERROR)
            goto out;
        widen(w, c, text_width(h));
    }

    for (size_t r = 0; r < t->nrows; r++) {
        lxw_row_t row = hrow + 1 + (lxw_row_t)r;
        for (size_t c = 0; c < t->ncols; c++) {
            const struct xlsx_cell *cell = &t->cells[r * t->ncols + c];
            switch (cell->type) {
            case XLSX_EMPTY:
                break;
            case XLSX_STR:
                le = worksheet_write_string(ws, row, (lxw_col_t)c, cell->s ? cell->s : "", NULL);
                widen(w, c, text_width(cell->s));
                break;
            case XLSX_INT:
                le = worksheet_write_number(ws, row, (lxw_col_t)c, (double)cell->i,
                                            fmts_num(f, 0, 0));
                widen(w, c, num_width((double)cell->i, 0));
                sums[c] += cell->i;
                break;
            case XLSX_NUM:
                if (!isfinite(cell->d))
                    break; /* no NaN or infinity in a workbook: left empty */
                le = worksheet_write_number(ws, row, (lxw_col_t)c, cell->d, fmts_num(f, 2, 0));
                widen(w, c, num_width(cell->d, 2));
                break;
            default:
                e = ERR_INVALID;
                goto out;
            }
            if (le != LXW_NO_ERROR)
                goto out;
        }
    }

    lxw_row_t last = hrow + (lxw_row_t)t->nrows;
    if (t->sum_row) {
        lxw_row_t srow = last + 1;
        le = worksheet_write_string(ws, srow, 0, "Summa", f->bold);
        if (le != LXW_NO_ERROR)
            goto out;
        widen(w, 0, text_width("Summa"));
        for (size_t c = 0; c < t->ncols; c++) {
            int has_int = 0;
            for (size_t r = 0; r < t->nrows; r++)
                has_int |= t->cells[r * t->ncols + c].type == XLSX_INT;
            if (!has_int)
                continue;
            char range[64], formula[80];
            lxw_rowcol_to_range(range, hrow + 1, (lxw_col_t)c, last, (lxw_col_t)c);
            snprintf(formula, sizeof(formula), "=SUM(%s)", range);
            le = worksheet_write_formula_num(ws, srow, (lxw_col_t)c, formula, fmts_num(f, 0, 1),
                                             (double)sums[c]);
            if (le != LXW_NO_ERROR)
                goto out;
            widen(w, c, num_width((double)sums[c], 0));
        }
    }
    worksheet_freeze_panes(ws, hrow + 1, 0);
    e = set_widths(ws, w, t->ncols);
out:
    if (e == ERR_OK && le != LXW_NO_ERROR)
        e = lxw_to_err(le);
    free(w);
    free(sums);
    return e;
}

static enum err write_meta(struct fmts *f, const struct xlsx_meta *m)
{
    double w[2] = {0, 0};
    if (m->n && (!m->keys || !m->values))
        return ERR_INVALID;
    lxw_worksheet *ws = add_sheet(f->wb, m->sheet ? m->sheet : "Uppgifter");
    if (!ws)
        return ERR_INVALID;
    for (size_t i = 0; i < m->n; i++) {
        const char *k = m->keys[i] ? m->keys[i] : "";
        const char *v = m->values[i] ? m->values[i] : "";
        if (worksheet_write_string(ws, (lxw_row_t)i, 0, k, f->bold) != LXW_NO_ERROR ||
            worksheet_write_string(ws, (lxw_row_t)i, 1, v, NULL) != LXW_NO_ERROR)
            return ERR_INVALID;
        widen(w, 0, text_width(k));
        widen(w, 1, text_width(v));
    }
    return set_widths(ws, w, 2);
}

/* Close the workbook (writing the file) on success; on failure free it
 * without writing anything. */
static enum err finish(lxw_workbook *wb, const char *path, enum err e)
{
    if (!wb)
        return e;
    if (e != ERR_OK) {
        lxw_workbook_free(wb);
        remove(path);
        return e;
    }
    e = lxw_to_err(workbook_close(wb));
    if (e != ERR_OK)
        remove(path);
    return e;
}

/* Check that path can be created, so that an unwritable path is reported
 * as ERR_IO by us rather than by the library on stderr. */
static enum err check_writable(const char *path)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return ERR_IO;
    fclose(fp);
    return ERR_OK;
}

enum err xlsx_write_tables(const char *path, const struct xlsx_table *t, size_t nt,
                           const struct xlsx_meta *meta)
{
    enum err e = ERR_OK;
    lxw_workbook *wb = NULL;
    struct fmts f;

    if (!path || (nt && !t)) {
        e = ERR_INVALID;
        goto out;
    }
    e = check_writable(path);
    if (e != ERR_OK)
        goto out;
    wb = workbook_new(path);
    if (!wb) {
        remove(path);
        e = ERR_NOMEM;
        goto out;
    }
    fmts_init(&f, wb);
    for (size_t i = 0; i < nt && e == ERR_OK; i++)
        e = write_table(&f, &t[i]);
    if (e == ERR_OK && meta)
        e = write_meta(&f, meta);
out:
    return finish(wb, path, e);
}

/* ---- cubes ------------------------------------------------------------- */

static int measure_decimals(const struct cube *c, const struct cube_dim *cd, size_t j)
{
    if (cd && cd->val_decimals)
        return cd->val_decimals[j];
    return c->decimals;
}

/* the one set of symbols (core/cube.h), as every output writes them */
static const char *status_symbol(unsigned char st)
{
    return cube_status_symbol(st > CUBE_NA ? CUBE_MISSING : (enum cube_status)st);
}

/* Header of a value column: "label (unit)" or "label". */
static void value_header(char *out, size_t n, const char *label, const char *unit)
{
    if (unit && *unit)
        snprintf(out, n, "%s (%s)", label, unit);
    else
        snprintf(out, n, "%s", label);
}

static enum err write_cube_data(struct fmts *f, const struct cube *c, size_t counts[4])
{
    enum err e = ERR_OK;
    lxw_error le = LXW_NO_ERROR;
    size_t *idx = NULL;
    double *w = NULL;
    const struct cube_dim *cd = NULL;
    size_t cdi = 0;

    for (size_t d = 0; d < c->ndims; d++) {
        if (c->dims[d].is_contents && !cd) {
            cd = &c->dims[d];
            cdi = d;
        }
    }
    size_t nvals = cd ? cd->n : 1;
    size_t nlab = c->ndims - (cd ? 1 : 0);
    size_t ncols = nlab + nvals;
    size_t nrows = nvals ? c->ncells / nvals : 0;
    if (ncols > LXW_COL_MAX || nrows > LXW_ROW_MAX - 4)
        return ERR_LIMIT;

    lxw_worksheet *ws = add_sheet(f->wb, "Tabell");
    if (!ws)
        return ERR_INVALID;
    idx = calloc(c->ndims ? c->ndims : 1, sizeof(*idx));
    w = calloc(ncols, sizeof(*w));
    if (!idx || !w) {
        e = ERR_NOMEM;
        goto out;
    }

    lxw_row_t hrow = 0;
    if (c->title) {
        le = worksheet_write_string(ws, 0, 0, c->title, f->title);
        if (le != LXW_NO_ERROR)
            goto out;
        hrow = 2;
    }
    size_t col = 0;
    for (size_t d = 0; d < c->ndims; d++) {
        if (cd && d == cdi)
            continue;
        const char *lab = c->dims[d].label ? c->dims[d].label : c->dims[d].code;
        le = worksheet_write_string(ws, hrow, (lxw_col_t)col, lab, f->bold);
        if (le != LXW_NO_ERROR)
            goto out;
        widen(w, col, text_width(lab));
        col++;
    }
    for (size_t j = 0; j < nvals; j++) {
        char h[512];
        if (cd)
            value_header(h, sizeof(h), cd->val_labels[j],
                         cd->val_units && cd->val_units[j] ? cd->val_units[j] : c->unit);
        else
            value_header(h, sizeof(h), "Värde", c->unit);
        le = worksheet_write_string(ws, hrow, (lxw_col_t)(nlab + j), h, f->head_num);
        if (le != LXW_NO_ERROR)
            goto out;
        widen(w, nlab + j, text_width(h));
    }

    /* One row per combination of the non-contents dimensions, in cube
     * order; the contents coordinate is the column. */
    size_t row = 0;
    for (size_t cell = 0; cell < c->ncells; cell++) {
        cube_coords(c, cell, idx);
        if (cd && idx[cdi] != 0)
            continue;
        lxw_row_t r = hrow + 1 + (lxw_row_t)row;
        col = 0;
        for (size_t d = 0; d < c->ndims; d++) {
            if (cd && d == cdi)
                continue;
            const char *lab = c->dims[d].val_labels[idx[d]];
            le = worksheet_write_string(ws, r, (lxw_col_t)col, lab, NULL);
            if (le != LXW_NO_ERROR)
                goto out;
            widen(w, col, text_width(lab));
            col++;
        }
        for (size_t j = 0; j < nvals; j++) {
            if (cd)
                idx[cdi] = j;
            size_t k = cube_index(c, idx);
            unsigned char st = c->status[k];
            if (st == CUBE_OK && !isfinite(c->value[k]))
                st = CUBE_MISSING;
            lxw_col_t vc = (lxw_col_t)(nlab + j);
            counts[st < 4 ? st : CUBE_NA]++;
            if (st == CUBE_OK) {
                int dec = measure_decimals(c, cd, j);
                le = worksheet_write_number(ws, r, vc, c->value[k], fmts_num(f, dec, 0));
                widen(w, nlab + j, num_width(c->value[k], dec));
            } else {
                le = worksheet_write_string(ws, r, vc, status_symbol(st), f->text_right);
            }
            if (le != LXW_NO_ERROR)
                goto out;
        }
        row++;
    }
    worksheet_freeze_panes(ws, hrow + 1, 0);
    if (row > 0)
        le = worksheet_autofilter(ws, hrow, 0, hrow + (lxw_row_t)row, (lxw_col_t)(ncols - 1));
    if (le != LXW_NO_ERROR)
        goto out;
    e = set_widths(ws, w, ncols);
out:
    if (e == ERR_OK && le != LXW_NO_ERROR)
        e = lxw_to_err(le);
    free(idx);
    free(w);
    return e;
}

/* Key/value rows of the "Om tabellen" sheet. */
struct about {
    lxw_worksheet *ws;
    lxw_row_t row;
    double w[2];
    const struct fmts *f;
};

static enum err about_put(struct about *a, const char *k, const char *v)
{
    if (worksheet_write_string(a->ws, a->row, 0, k, a->f->bold) != LXW_NO_ERROR)
        return ERR_INVALID;
    if (v && worksheet_write_string(a->ws, a->row, 1, v, NULL) != LXW_NO_ERROR)
        return ERR_INVALID;
    widen(a->w, 0, text_width(k));
    widen(a->w, 1, text_width(v));
    a->row++;
    return ERR_OK;
}

static enum err write_cube_about(struct fmts *f, const struct cube *c, const size_t counts[4])
{
    enum err e = ERR_OK;
    struct about a = {.ws = add_sheet(f->wb, "Om tabellen"), .f = f};
    if (!a.ws)
        return ERR_INVALID;
    char buf[512];

    e = about_put(&a, "Titel", c->title ? c->title : "");
    if (e == ERR_OK)
        e = about_put(&a, "Källa", c->source ? c->source : "");
    if (e == ERR_OK && c->unit)
        e = about_put(&a, "Enhet", c->unit);
    if (e == ERR_OK && c->note)
        e = about_put(&a, "Fotnot", c->note);
    for (size_t d = 0; e == ERR_OK && d < c->ndims; d++) {
        const struct cube_dim *cd = &c->dims[d];
        if (!cd->is_contents)
            continue;
        for (size_t j = 0; e == ERR_OK && j < cd->n; j++) {
            const char *u = cd->val_units && cd->val_units[j] ? cd->val_units[j] : c->unit;
            snprintf(buf, sizeof(buf), "%s%s%s, %d decimaler", cd->val_labels[j], u ? ", " : "",
                     u ? u : "", measure_decimals(c, cd, j));
            e = about_put(&a, j == 0 ? "Mått" : "", buf);
        }
    }
    if (e != ERR_OK)
        return e;
    a.row++;
    if (worksheet_write_string(a.ws, a.row++, 0, "Teckenförklaring", f->title) != LXW_NO_ERROR)
        return ERR_INVALID;
    /* the legend: missing and not applicable always, withheld cells when
     * there are any (the symbols and words of cube_legend) */
    static const enum cube_status order[] = {CUBE_MISSING, CUBE_NA, CUBE_SUPPRESSED};
    for (size_t k = 0; k < 3 && e == ERR_OK; k++) {
        enum cube_status st = order[k];
        if (st == CUBE_SUPPRESSED && counts[st] == 0)
            continue;
        const char *label = cube_status_label(st);
        snprintf(buf, sizeof(buf), "%c%s (%zu celler)", label[0] - 32, label + 1, counts[st]);
        e = about_put(&a, cube_status_symbol(st), buf);
    }
    if (e != ERR_OK)
        return e;
    return set_widths(a.ws, a.w, 2);
}

enum err xlsx_write_cube(const struct cube *c, const char *path)
{
    enum err e = ERR_OK;
    lxw_workbook *wb = NULL;
    struct fmts f;
    size_t counts[4] = {0, 0, 0, 0};

    if (!c || !path || !c->value || !c->status) {
        e = ERR_INVALID;
        goto out;
    }
    e = check_writable(path);
    if (e != ERR_OK)
        goto out;
    wb = workbook_new(path);
    if (!wb) {
        remove(path);
        e = ERR_NOMEM;
        goto out;
    }
    fmts_init(&f, wb);
    e = write_cube_data(&f, c, counts);
    if (e == ERR_OK)
        e = write_cube_about(&f, c, counts);
out:
    return finish(wb, path, e);
}

/* ---- into a buffer ------------------------------------------------------ */

/* libxlsxwriter 1.1.4 (Debian 12) writes only to a named file: give it an
 * anonymous in-memory file (memfd) by its /proc name and read the bytes
 * back, so that no file is made on disk. */
static enum err via_memory(enum err (*write)(const void *ctx, const char *path), const void *ctx,
                           struct buf *out)
{
    int fd = (int)syscall(SYS_memfd_create, "bidrag-xlsx", 1u /* MFD_CLOEXEC */);
    if (fd < 0)
        return ERR_IO;
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    enum err e = write(ctx, path);
    if (e == ERR_OK && lseek(fd, 0, SEEK_SET) != 0)
        e = ERR_IO;
    char chunk[65536];
    while (e == ERR_OK) {
        ssize_t k = read(fd, chunk, sizeof(chunk));
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            e = ERR_IO;
        if (k <= 0)
            break;
        e = buf_append(out, chunk, (size_t)k);
    }
    close(fd);
    return e;
}

struct tables_job {
    const struct xlsx_table *t;
    size_t nt;
    const struct xlsx_meta *meta;
};

static enum err write_tables_job(const void *ctx, const char *path)
{
    const struct tables_job *j = ctx;
    return xlsx_write_tables(path, j->t, j->nt, j->meta);
}

static enum err write_cube_job(const void *ctx, const char *path)
{
    return xlsx_write_cube(ctx, path);
}

enum err xlsx_write_tables_buf(const struct xlsx_table *t, size_t nt, const struct xlsx_meta *meta,
                               struct buf *out)
{
    struct tables_job j = {t, nt, meta};
    return via_memory(write_tables_job, &j, out);
}

enum err xlsx_write_cube_buf(const struct cube *c, struct buf *out)
{
    return via_memory(write_cube_job, c, out);
}
