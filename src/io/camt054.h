/* camt054.h - read the bank's debit and credit notification, ISO 20022
 * camt.054.001.02 (BankToCustomerDebitCreditNotificationV02), as a flat
 * list of transactions:
 * - a booked debit carrying one of our end-to-end ids marks that payment
 *   booked (paid);
 * - a credit is a repayment to match (the follow-up's repayment matching):
 *   its amount, booking date, payer, creditor reference (OCR) and
 *   unstructured remittance.
 *
 * An entry (Ntry) with several transactions (TxDtls, a batch booking)
 * gives one item per transaction, each with its own amount; their sum
 * must be the entry's amount. An entry without details gives one item
 * with the entry's amount. Only SEK is read.
 *
 * Reading is all or nothing: a malformed notification gives "name:line:
 * message" errors in d and an empty report. The file is outside input:
 * parsed by io/isoxml with no network and no entities, capped in size and
 * in count. */
#ifndef BIDRAG_IO_CAMT054_H
#define BIDRAG_IO_CAMT054_H

#include <stddef.h>
#include <stdint.h>

#include "core/payment.h"
#include "util/date.h"
#include "util/err.h"
#include "util/str.h"

#define CAMT054_NS "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"
#define CAMT054_ITEMS_MAX 1000000
#define CAMT054_TEXT_MAX_CHARS 140

struct camt054_item {
    int credit;                     /* 1: CRDT (money in), 0: DBIT (money out) */
    int booked;                     /* Sts BOOK (PDNG and INFO are not booked) */
    int reversal;                   /* RvslInd true: a reversal of an earlier entry */
    int64_t amount;                 /* öre, > 0 */
    struct date date;               /* BookgDt, else ValDt; unset if neither */
    char e2e[PAYMENT_ID_SIZE];      /* Refs/EndToEndId, "" if none or NOTPROVIDED */
    char bank_ref[PAYMENT_ID_SIZE]; /* the bank's reference (AcctSvcrRef), "" if none */
    char ref[PAYMENT_ID_SIZE];      /* Strd/CdtrRefInf/Ref as written, "" if none */
    int ocr;                        /* ref is an OCR (digits, Luhn) */
    char ustrd[STR_UTF8_SIZE(CAMT054_TEXT_MAX_CHARS)]; /* the first Ustrd */
    char party[STR_UTF8_SIZE(CAMT054_TEXT_MAX_CHARS)]; /* payer (credit) or payee (debit) name */
    long line;                                         /* of the transaction, or the entry */
};

struct camt054_report {
    char msg_id[PAYMENT_ID_SIZE];
    char account[40]; /* the first notification's account: IBAN or Othr/Id */
    struct camt054_item *items;
    size_t n;
};

void camt054_init(struct camt054_report *r);
void camt054_release(struct camt054_report *r);

/* Read n bytes named name (for messages). On failure r is empty. */
enum err camt054_read(const char *data, size_t n, const char *name, struct camt054_report *r,
                      struct diag *d);

/* 1 if the item books one of our payments as paid: a booked debit, not a
 * reversal, with an end-to-end id. */
int camt054_is_paid(const struct camt054_item *it);

#endif
