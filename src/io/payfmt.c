/* payfmt.c - a payment batch as CSV and XLSX (payfmt.h). */
#include "io/payfmt.h"

#include <stdio.h>
#include <stdlib.h>

#include "io/csv.h"
#include "io/xlsx.h"

static const char *const header[] = {"decision",   "end_to_end_id", "case_no",    "program",
                                     "recipient",  "payee_name",    "payee_kind", "payee_account",
                                     "amount_ore", "amount_kr",     "due",        "state",
                                     "file",       "bank_code",     "bank_reason"};
#define NCOLS (sizeof(header) / sizeof(header[0]))

enum err payfmt_csv(const struct payfmt_row *rows, size_t n, struct buf *out)
{
    enum err e = ERR_OK;
    for (size_t c = 0; c < NCOLS && !e; c++) {
        e = buf_puts(out, c ? "," : "");
        if (!e)
            e = buf_puts(out, header[c]);
    }
    if (!e)
        e = buf_puts(out, "\n");
    for (size_t i = 0; i < n && !e; i++) {
        const struct payment *p = rows[i].p;
        char e2e[PAYMENT_ID_SIZE] = "", due[11];
        if (payment_e2e_of(p, e2e) != ERR_OK)
            e2e[0] = '\0';
        date_fmt(due, sizeof(due), p->due);
        const char *text[] = {p->decision,
                              e2e,
                              p->case_no,
                              rows[i].program,
                              rows[i].recipient,
                              p->payee.name,
                              payment_acct_id(p->payee.kind),
                              p->payee.number};
        for (size_t c = 0; c < sizeof(text) / sizeof(text[0]) && !e; c++) {
            if (c)
                e = buf_puts(out, ",");
            if (!e)
                e = csv_put_field(out, text[c]);
        }
        if (!e)
            e = buf_printf(out, ",%lld,%lld.%02lld,%s,%s,", (long long)p->amount,
                           (long long)(p->amount / 100), (long long)(p->amount % 100), due,
                           payment_state_id(p->state));
        const char *tail[] = {p->file_id, p->bank_code, p->bank_reason};
        for (size_t c = 0; c < 3 && !e; c++) {
            if (c)
                e = buf_puts(out, ",");
            if (!e)
                e = csv_put_field(out, tail[c]);
        }
        if (!e)
            e = buf_puts(out, "\n");
    }
    return e;
}

enum err payfmt_xlsx(const struct payfmt_batch *b, const struct payfmt_row *rows, size_t n,
                     struct buf *out)
{
    static const char *const xh[] = {"Beslut",      "Referens (EndToEndId)", "Ärende",    "Program",
                                     "Mottagare",   "Betalningsmottagare",   "Kontoslag", "Konto",
                                     "Belopp (kr)", "Förfallodag",           "Läge",      "Bankfil",
                                     "Bankens kod", "Bankens besked"};
    enum { XC = sizeof(xh) / sizeof(xh[0]) };
    struct xlsx_cell *cells = calloc(n ? n * XC : 1, sizeof(*cells));
    char(*ids)[PAYMENT_ID_SIZE] = calloc(n ? n : 1, sizeof(*ids));
    char(*dues)[11] = calloc(n ? n : 1, sizeof(*dues));
    enum err e = cells && ids && dues ? ERR_OK : ERR_NOMEM;
    for (size_t i = 0; i < n && !e; i++) {
        const struct payment *p = rows[i].p;
        if (payment_e2e_of(p, ids[i]) != ERR_OK)
            ids[i][0] = '\0';
        date_fmt(dues[i], sizeof(dues[i]), p->due);
        struct xlsx_cell *c = &cells[i * XC];
        c[0] = (struct xlsx_cell){XLSX_STR, p->decision, 0, 0};
        c[1] = (struct xlsx_cell){XLSX_STR, ids[i], 0, 0};
        c[2] = (struct xlsx_cell){XLSX_STR, p->case_no, 0, 0};
        c[3] = (struct xlsx_cell){XLSX_STR, rows[i].program, 0, 0};
        c[4] = (struct xlsx_cell){XLSX_STR, rows[i].recipient, 0, 0};
        c[5] = (struct xlsx_cell){XLSX_STR, p->payee.name, 0, 0};
        c[6] = (struct xlsx_cell){XLSX_STR, payment_acct_id(p->payee.kind), 0, 0};
        c[7] = (struct xlsx_cell){XLSX_STR, p->payee.number, 0, 0};
        c[8] = (struct xlsx_cell){XLSX_NUM, NULL, 0, (double)p->amount / 100.0};
        c[9] = (struct xlsx_cell){XLSX_STR, dues[i], 0, 0};
        c[10] = (struct xlsx_cell){XLSX_STR, payment_state_label_sv(p->state), 0, 0};
        c[11] = (struct xlsx_cell){XLSX_STR, p->file_id, 0, 0};
        c[12] = (struct xlsx_cell){XLSX_STR, p->bank_code, 0, 0};
        c[13] = (struct xlsx_cell){XLSX_STR, p->bank_reason, 0, 0};
    }
    if (!e) {
        struct xlsx_table t = {"Utbetalningar", b->number, XC, xh, n, cells, 0};
        static const char *const keys[] = {"Omgång",        "Läge",       "Sammanställd av",
                                           "Attesterad av", "Attesterad", "Bankfil"};
        const char *values[] = {b->number,      b->state,       b->prepared_by,
                                b->attested_by, b->attested_at, b->file};
        struct xlsx_meta m = {"Omgång", sizeof(keys) / sizeof(keys[0]), keys, values};
        e = xlsx_write_tables_buf(&t, 1, &m, out);
    }
    free(cells);
    free(ids);
    free(dues);
    return e;
}
