/* ledgerfmt.h - a program's appropriation ledger as a spreadsheet: the
 * balances per item and the bookings, as CSV (comma-separated, amounts in
 * öre and in kronor with a decimal point, text cells through
 * csv_put_field so that nothing runs as a formula) and as XLSX (a sheet
 * of balances, one of bookings, one of the program's facts), into a
 * buffer. */
#ifndef BIDRAG_IO_LEDGERFMT_H
#define BIDRAG_IO_LEDGERFMT_H

#include <stddef.h>

#include "core/ledger.h"
#include "io/sie.h"
#include "util/buf.h"
#include "util/err.h"

/* The program's facts shown with the ledger. */
struct ledgerfmt_head {
    const char *program, *title, *diarienummer, *decision, *made_at;
};

/* "item,name,amount_ore,allocated_ore,decided_ore,paid_ore,repaid_ore,
 * own_cost_ore,available_ore" and one row per item, then "total". names
 * holds l->n item names (may be NULL). */
ERR_MUST_CHECK enum err ledgerfmt_balances_csv(const struct ledger *l, const char (*names)[200],
                                               struct buf *out);
/* "no,date,kind,item,amount_ore,amount_kr,ref,recipient,text" and one row
 * per booking. */
ERR_MUST_CHECK enum err ledgerfmt_bookings_csv(const struct ledger_booking *b, size_t n,
                                               struct buf *out);
ERR_MUST_CHECK enum err ledgerfmt_xlsx(const struct ledgerfmt_head *h, const struct ledger *l,
                                       const char (*names)[200], const struct ledger_booking *b,
                                       size_t n, struct buf *out);

/* The bookings that move money - payments the bank booked, repayments and
 * own costs - as a SIE 4I file (io/sie.h) of program, generated on gen
 * and signed by sign: one #VER each, in booking order, its text cut at
 * 100 characters. Allocations and decisions are commitments, not
 * vouchers, and are left out. Errors as sie_write(). */
ERR_MUST_CHECK enum err ledgerfmt_sie(const struct sie_settings *s, const char *program,
                                      const struct ledger_booking *b, size_t n, struct date gen,
                                      const char *sign, struct buf *out, struct diag *d);

#endif
