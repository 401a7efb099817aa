/* sie.h - export of bookings as SIE type 4I (.SI), the file a sub-system
 * gives the agency's finance system: vouchers only, one #VER per booking
 * whose #TRANS rows sum to zero.
 *
 * The file is written as SIE 4 says: #FLAGGA 0 first, then #PROGRAM,
 * #FORMAT PC8, #GEN, #SIETYP 4, #FNAMN, #ORGNR, the dimensions (#DIM)
 * and accounts (#KONTO) used, then the vouchers; IBM PC 8-bit (code page
 * 437) with CR LF line ends; quotes in strings escaped as \". Series and
 * number of every #VER are left empty for the receiving system to assign.
 * No balances (#IB, #UB, #RES) - type 4I does not allow them - and no
 * #KSUMMA (optional, and implementations disagree on it).
 *
 * A payment booked by the bank is Dr grant account, Cr bank account; a
 * repayment the opposite; with book_financing, each voucher also carries
 * the appropriation settlement (Dr settlement, Cr financing for a
 * payment). Rows carry objects: cost centre (dimension 1, if set),
 * project = the program (dimension 6) and the appropriation item
 * (dimension 20) on the grant and financing rows. Accounts, dimensions
 * and the cost centre are settings; the defaults are in docs/payments.md
 * (from ESV's chart of accounts for state agencies, to be confirmed with
 * the agency's controller). */
#ifndef BIDRAG_IO_SIE_H
#define BIDRAG_IO_SIE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/err.h"
#include "util/str.h"

#define SIE_TEXT_MAX_CHARS 100
#define SIE_ACCOUNT_SIZE 8 /* 4-6 digits */

struct sie_account {
    char number[SIE_ACCOUNT_SIZE];
    char name[STR_UTF8_SIZE(SIE_TEXT_MAX_CHARS)];
};

struct sie_settings {
    char program[32]; /* #PROGRAM name and version */
    char version[16];
    char company[STR_UTF8_SIZE(SIE_TEXT_MAX_CHARS)]; /* #FNAMN */
    char orgnr[12];                                  /* #ORGNR "NNNNNN-NNNN" */
    struct sie_account grant;                        /* lämnade bidrag */
    struct sie_account bank;                         /* the agency's account */
    int book_financing;
    struct sie_account settlement; /* avräkning med statsverket */
    struct sie_account financing;  /* medel från statens budget för bidrag */
    struct sie_account own_cost;   /* the agency's own costs of the grant */
    char cost_centre[21];          /* object in dimension 1, "" for none */
    int dim_project;               /* 6 */
    int dim_item;                  /* 20 */
};

/* The documented defaults (docs/payments.md); orgnr is left empty for the
 * agency to fill. */
void sie_settings_default(struct sie_settings *s);

/* A payment: Dr grant, Cr bank; a repayment the opposite; an own cost:
 * Dr own cost, Cr bank (a negative amount, a correction, the opposite);
 * with book_financing each also Dr settlement, Cr financing. */
enum sie_kind { SIE_PAYMENT = 0, SIE_REPAYMENT, SIE_OWN_COST };

struct sie_booking {
    enum sie_kind kind;
    struct date date; /* booking date */
    int64_t amount;   /* öre, > 0; an own cost's may be negative (a correction), never 0 */
    char text[STR_UTF8_SIZE(SIE_TEXT_MAX_CHARS)]; /* "Utbetalning BES-2026-000001-1-1 Ale kommun" */
    char project[32];                             /* the program id */
    char item[32];                                /* the appropriation item */
};

/* Append the SIE 4I file for the n bookings to out: generated on the day
 * gen (signed by sign, may be ""). Text is converted to code page 437; a
 * character it does not have is refused. On any problem nothing is
 * appended: ERR_INVALID with "settings: ..." or "booking N: ..." in d. */
enum err sie_write(const struct sie_settings *s, struct date gen, const char *sign,
                   const struct sie_booking *b, size_t n, struct buf *out, struct diag *d);

/* UTF-8 to code page 437 into out (n bytes, terminated): ERR_INVALID with
 * the first character it lacks (UTF-8) in bad, ERR_PARSE for bad UTF-8,
 * ERR_LIMIT if out is too small. */
enum err sie_cp437(const char *in, char *out, size_t n, char bad[5]);

#endif
