/* ledgerfmt.c - the appropriation ledger as CSV and XLSX (ledgerfmt.h). */
#include "io/ledgerfmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "io/xlsx.h"

static enum err put_row(struct buf *out, const char *id, const char *name,
                        const struct ledger_balance *b)
{
    enum err e = csv_put_field(out, id);
    if (!e)
        e = buf_puts(out, ",");
    if (!e)
        e = csv_put_field(out, name ? name : "");
    if (!e)
        e = buf_printf(out, ",%lld,%lld,%lld,%lld,%lld,%lld,%lld\n", (long long)b->amount,
                       (long long)b->allocated, (long long)b->decided, (long long)b->paid,
                       (long long)b->repaid, (long long)b->own_cost, (long long)b->available);
    return e;
}

enum err ledgerfmt_balances_csv(const struct ledger *l, const char (*names)[200], struct buf *out)
{
    enum err e = buf_puts(out, "item,name,amount_ore,allocated_ore,decided_ore,paid_ore,"
                               "repaid_ore,own_cost_ore,available_ore\n");
    for (size_t i = 0; i < l->n && !e; i++)
        e = put_row(out, l->items[i].id, names ? names[i] : "", &l->items[i].b);
    struct ledger_balance t;
    if (!e)
        e = ledger_balance(l, NULL, &t);
    if (!e)
        e = put_row(out, "total", "", &t);
    return e;
}

/* "-12.50" for -1250 öre. */
static void kr(char *out, size_t n, int64_t ore)
{
    unsigned long long a = ore < 0 ? (unsigned long long)-ore : (unsigned long long)ore;
    snprintf(out, n, "%s%llu.%02llu", ore < 0 ? "-" : "", a / 100, a % 100);
}

enum err ledgerfmt_bookings_csv(const struct ledger_booking *b, size_t n, struct buf *out)
{
    enum err e = buf_puts(out, "no,date,kind,item,amount_ore,amount_kr,ref,recipient,text\n");
    for (size_t i = 0; i < n && !e; i++) {
        char d[11], k[32];
        date_fmt(d, sizeof(d), b[i].date);
        kr(k, sizeof(k), b[i].amount);
        e = buf_printf(out, "%d,%s,%s,", b[i].no, d, ledger_kind_id(b[i].kind));
        if (!e)
            e = csv_put_field(out, b[i].item);
        if (!e)
            e = buf_printf(out, ",%lld,%s,", (long long)b[i].amount, k);
        if (!e)
            e = csv_put_field(out, b[i].ref);
        if (!e)
            e = buf_puts(out, ",");
        if (!e)
            e = csv_put_field(out, b[i].recipient);
        if (!e)
            e = buf_puts(out, ",");
        if (!e)
            e = csv_put_field(out, b[i].text);
        if (!e)
            e = buf_puts(out, "\n");
    }
    return e;
}

/* Swedish names of the kinds for the workbook. */
static const char *kind_sv(enum ledger_kind k)
{
    static const char *const sv[LEDGER_KIND_COUNT] = {"Fördelning", "Beslut", "Utbetalning",
                                                      "Återbetalning", "Egen kostnad"};
    return (unsigned)k < LEDGER_KIND_COUNT ? sv[k] : "";
}

enum err ledgerfmt_xlsx(const struct ledgerfmt_head *h, const struct ledger *l,
                        const char (*names)[200], const struct ledger_booking *b, size_t n,
                        struct buf *out)
{
    static const char *const bh[] = {"Anslagspost", "Benämning",      "Belopp (kr)",
                                     "Fördelat",    "Beslutat",       "Utbetalt",
                                     "Återbetalt",  "Egna kostnader", "Tillgängligt"};
    static const char *const vh[] = {"Nr",          "Datum",      "Slag",      "Anslagspost",
                                     "Belopp (kr)", "Hänvisning", "Mottagare", "Text"};
    enum { BC = sizeof(bh) / sizeof(bh[0]), VC = sizeof(vh) / sizeof(vh[0]) };
    struct xlsx_cell *bc = calloc(l->n ? l->n * BC : 1, sizeof(*bc));
    struct xlsx_cell *vc = calloc(n ? n * VC : 1, sizeof(*vc));
    char(*dates)[11] = calloc(n ? n : 1, sizeof(*dates));
    enum err e = bc && vc && dates ? ERR_OK : ERR_NOMEM;
    for (size_t i = 0; i < l->n && !e; i++) {
        const struct ledger_balance *x = &l->items[i].b;
        struct xlsx_cell *c = &bc[i * BC];
        c[0] = (struct xlsx_cell){XLSX_STR, l->items[i].id, 0, 0};
        c[1] = (struct xlsx_cell){XLSX_STR, names ? names[i] : "", 0, 0};
        const int64_t v[] = {x->amount, x->allocated, x->decided,  x->paid,
                             x->repaid, x->own_cost,  x->available};
        for (size_t j = 0; j < 7; j++)
            c[2 + j] = (struct xlsx_cell){XLSX_NUM, NULL, 0, (double)v[j] / 100.0};
    }
    for (size_t i = 0; i < n && !e; i++) {
        struct xlsx_cell *c = &vc[i * VC];
        date_fmt(dates[i], sizeof(dates[i]), b[i].date);
        c[0] = (struct xlsx_cell){XLSX_INT, NULL, b[i].no, 0};
        c[1] = (struct xlsx_cell){XLSX_STR, dates[i], 0, 0};
        c[2] = (struct xlsx_cell){XLSX_STR, kind_sv(b[i].kind), 0, 0};
        c[3] = (struct xlsx_cell){XLSX_STR, b[i].item, 0, 0};
        c[4] = (struct xlsx_cell){XLSX_NUM, NULL, 0, (double)b[i].amount / 100.0};
        c[5] = (struct xlsx_cell){XLSX_STR, b[i].ref, 0, 0};
        c[6] = (struct xlsx_cell){XLSX_STR, b[i].recipient, 0, 0};
        c[7] = (struct xlsx_cell){XLSX_STR, b[i].text, 0, 0};
    }
    if (!e) {
        struct xlsx_table t[2] = {{"Anslagsposter", h->title, BC, bh, l->n, bc, 0},
                                  {"Bokningar", h->title, VC, vh, n, vc, 0}};
        static const char *const keys[] = {"Program", "Benämning", "Diarienummer",
                                           "Regeringsbeslut", "Uttaget"};
        const char *values[] = {h->program, h->title, h->diarienummer, h->decision, h->made_at};
        struct xlsx_meta m = {"Program", sizeof(keys) / sizeof(keys[0]), keys, values};
        e = xlsx_write_tables_buf(t, 2, &m, out);
    }
    free(bc);
    free(vc);
    free(dates);
    return e;
}

/* Copy at most max characters of UTF-8 text. */
static void cut(char *out, size_t n, const char *in, size_t max)
{
    size_t i = 0, chars = 0;
    while (in[i] && chars < max) {
        size_t step = 1;
        while (in[i + step] && ((unsigned char)in[i + step] & 0xC0) == 0x80)
            step++;
        if (i + step >= n)
            break;
        i += step;
        chars++;
    }
    memcpy(out, in, i);
    out[i] = '\0';
}

enum err ledgerfmt_sie(const struct sie_settings *s, const char *program,
                       const struct ledger_booking *b, size_t n, struct date gen, const char *sign,
                       struct buf *out, struct diag *d)
{
    struct sie_booking *v = calloc(n ? n : 1, sizeof(*v));
    if (!v)
        return ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (b[i].kind != LEDGER_PAY && b[i].kind != LEDGER_REPAY && b[i].kind != LEDGER_OWN_COST)
            continue;
        struct sie_booking *x = &v[k++];
        x->kind = b[i].kind == LEDGER_PAY     ? SIE_PAYMENT
                  : b[i].kind == LEDGER_REPAY ? SIE_REPAYMENT
                                              : SIE_OWN_COST;
        x->date = b[i].date;
        x->amount = b[i].amount;
        if (x->kind != SIE_OWN_COST && x->amount < 0) {
            /* a reversed payment is a repayment's voucher, and back */
            x->kind = x->kind == SIE_PAYMENT ? SIE_REPAYMENT : SIE_PAYMENT;
            x->amount = -x->amount;
        }
        cut(x->text, sizeof(x->text), b[i].text, SIE_TEXT_MAX_CHARS);
        snprintf(x->project, sizeof(x->project), "%s", program);
        snprintf(x->item, sizeof(x->item), "%s", b[i].item);
    }
    enum err e = sie_write(s, gen, sign, v, k, out, d);
    free(v);
    return e;
}
