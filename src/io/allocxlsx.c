/* allocxlsx.c - an allocation as an XLSX workbook: the allocation sheet
 * (one row per recipient, one column per block, a sum row with SUM()
 * formulas) and the program's metadata on a second sheet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/allocfmt.h"
#include "io/xlsx.h"
#include "util/money.h"

/* The workbook to path, or (path NULL) appended to out. */
static enum err write_xlsx(const struct allocation *a, const char *path, struct buf *out)
{
    const struct program *p = a->p;
    struct alloc_rows rs;
    enum err e = allocfmt_rows(a, &rs);
    if (e)
        return e;
    size_t nc = 4 + a->nblocks;
    const char **head = calloc(nc, sizeof(char *));
    char(*bh)[64] = calloc(a->nblocks ? a->nblocks : 1, sizeof(*bh));
    struct xlsx_cell *cells = calloc((rs.n ? rs.n : 1) * nc, sizeof(*cells));
    /* metadata: fixed rows + one per block and appropriation */
    size_t nmeta_max = 16 + 2 * a->nblocks + p->napprop + p->npurposes;
    const char **mk = calloc(nmeta_max, sizeof(char *));
    char(*mv)[420] = calloc(nmeta_max, sizeof(*mv));
    char(*mkb)[64] = calloc(nmeta_max, sizeof(*mkb));
    if (!head || !bh || !cells || !mk || !mv || !mkb) {
        e = ERR_NOMEM;
        goto out;
    }
    head[0] = "Kod";
    head[1] = "Mottagare";
    head[2] = "Roll";
    for (size_t b = 0; b < a->nblocks; b++) {
        snprintf(bh[b], sizeof(bh[b]), "Block %s (kr)", a->blocks[b].b->id);
        head[3 + b] = bh[b];
    }
    head[nc - 1] = "Summa (kr)";
    for (size_t r = 0; r < rs.n; r++) {
        struct xlsx_cell *c = &cells[r * nc];
        c[0] = (struct xlsx_cell){XLSX_STR, rs.rows[r].r.code, 0, 0};
        c[1] = (struct xlsx_cell){XLSX_STR, rs.rows[r].r.name, 0, 0};
        c[2] = (struct xlsx_cell){XLSX_STR, org_role_name(rs.rows[r].r.role), 0, 0};
        for (size_t b = 0; b < a->nblocks; b++)
            c[3 + b] = rs.rows[r].amount[b] < 0
                           ? (struct xlsx_cell){XLSX_EMPTY, NULL, 0, 0}
                           : (struct xlsx_cell){XLSX_INT, NULL, rs.rows[r].amount[b], 0};
        c[nc - 1] = (struct xlsx_cell){XLSX_INT, NULL, rs.rows[r].total, 0};
    }
    char title[300];
    snprintf(title, sizeof(title), "%s (Dnr %s)", p->title, p->diarienummer);
    struct xlsx_table t = {"Fördelning", title, nc, head, rs.n, cells, 1};

    size_t m = 0;
#define META(k, ...)                                                                               \
    do {                                                                                           \
        mk[m] = (k);                                                                               \
        snprintf(mv[m], sizeof(mv[m]), __VA_ARGS__);                                               \
        m++;                                                                                       \
    } while (0)
    char amt[32], ds[16];
    META("Program", "%s", p->title);
    META("Id", "%s", p->id);
    META("Diarienummer", "%s", p->diarienummer);
    if (p->decision[0])
        META("Beslut", "%s", p->decision);
    if (date_is_set(p->decision_date)) {
        date_fmt(ds, sizeof(ds), p->decision_date);
        META("Beslutsdatum", "%s", ds);
    }
    money_fmt_kr(amt, sizeof(amt), p->total_kr);
    META("Totalt", "%s kr", amt);
    money_fmt_kr(amt, sizeof(amt), rs.total);
    META("Fördelat", "%s kr", amt);
    for (size_t k = 0; k < p->napprop; k++) {
        snprintf(mkb[m], sizeof(mkb[m]), "Anslagspost %s", p->approp[k].id);
        money_fmt_kr(amt, sizeof(amt), p->approp[k].amount_kr);
        META(mkb[m], "%s kr, %s", amt, p->approp[k].name);
    }
    for (size_t b = 0; b < a->nblocks; b++) {
        const struct block_result *br = &a->blocks[b];
        snprintf(mkb[m], sizeof(mkb[m]), "Block %s", br->b->id);
        money_fmt_kr(amt, sizeof(amt), br->b->amount_kr);
        META(mkb[m], "%s: %s kr, nyckel %s", br->b->title, amt, key_kind_label_sv(br->b->key));
    }
    struct buf notes;
    buf_init(&notes, 1 << 16);
    allocfmt_notes(a, &notes);
    for (char *q = notes.p, *nl; q && *q && m < nmeta_max; q = nl + 1) {
        nl = strchr(q, '\n');
        if (!nl)
            break;
        *nl = '\0';
        META("Anmärkning", "%s", q);
    }
    buf_release(&notes);
    META("Metod", "%s",
         "Största-rest-metoden: exakta kvoter avrundas nedåt, återstående kronor till de största "
         "resterna, lika rest till lägre kod.");
#undef META
    struct xlsx_meta meta = {"Program", m, mk, (const char *const *)NULL};
    const char **vals = calloc(m ? m : 1, sizeof(char *));
    if (!vals) {
        e = ERR_NOMEM;
        goto out;
    }
    for (size_t k = 0; k < m; k++)
        vals[k] = mv[k];
    meta.values = vals;
    e = path ? xlsx_write_tables(path, &t, 1, &meta) : xlsx_write_tables_buf(&t, 1, &meta, out);
    free(vals);
out:
    free(head);
    free(bh);
    free(cells);
    free(mk);
    free(mv);
    free(mkb);
    alloc_rows_release(&rs);
    return e;
}

enum err allocfmt_xlsx(const struct allocation *a, const char *path)
{
    return path ? write_xlsx(a, path, NULL) : ERR_INVALID;
}

enum err allocfmt_xlsx_buf(const struct allocation *a, struct buf *out)
{
    return out ? write_xlsx(a, NULL, out) : ERR_INVALID;
}
