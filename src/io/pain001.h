/* pain001.h - write a bank file: ISO 20022 pain.001.001.03
 * (CustomerCreditTransferInitiationV03), UTF-8, SEK, one file per attested
 * payment batch, into a buffer.
 *
 * The coding follows the Swedish bank guides (docs/payments.md):
 * - bankgiro payee: CdtrAgt ClrSysMmbId SESBA/9900, CdtrAcct Othr with the
 *   bankgiro digits and SchmeNm/Prtry BGNR;
 * - plusgiro payee: SESBA/9960 and SchmeNm/Cd BBAN, or Prtry PGNR (a bank
 *   setting);
 * - bank account: IBAN (with the BIC when given), or the Swedish clearing
 *   number (SESBA) and the account as BBAN;
 * - service level NURG, category purpose SUPP (a bank setting), the
 *   creditor name always present, NbOfTxs and CtrlSum in the group header
 *   and in every payment information block (one per execution date);
 * - remittance: 140 characters of Ustrd with the case number and the
 *   diarienummer, or the payee's OCR as structured SCOR;
 * - EndToEndId and InstrId: the payment's end-to-end id
 *   (payment_e2e_of), so that pain.002 and camt.054 map back exactly;
 * - only bank-safe characters (core/payment).
 *
 * The initiating party, the debtor account and agent, the plusgiro coding
 * and the category purpose are settings per bank, with defaults for the
 * state's framework banks Danske Bank and Swedbank; the agreement id and
 * the account are the agency's and have no default. The same batch and
 * header give the same bytes, so re-sending a file is idempotent (the
 * bank's duplicate check on MsgId does the rest). */
#ifndef BIDRAG_IO_PAIN001_H
#define BIDRAG_IO_PAIN001_H

#include <stddef.h>

#include "core/payment.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/err.h"

#define PAIN001_NS "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
#define PAIN001_MSG_ID_MAX 30 /* leaves room for "-<n>" in PmtInfId */

enum pain001_bank { PAIN001_DANSKE = 0, PAIN001_SWEDBANK };

enum pain001_pg {
    PAIN001_PG_BBAN = 0, /* SESBA 9960, Othr/SchmeNm/Cd BBAN */
    PAIN001_PG_PGNR      /* SESBA 9960, Othr/SchmeNm/Prtry PGNR */
};

struct pain001_settings {
    char bank[32];                                           /* for messages: "Danske Bank" */
    char debtor_name[STR_UTF8_SIZE(PAYMENT_NAME_MAX_CHARS)]; /* the agency */
    char debtor_iban[40];                                    /* the agency's account */
    char debtor_bic[12];                                     /* its bank: DABASESX, SWEDSESS */
    char initg_id[PAYMENT_ID_SIZE];                          /* the id the bank gave the agency */
    char initg_scheme[5];                                    /* SchmeNm/Cd of it: "BANK" */
    enum pain001_pg pg;
    char category_purpose[5]; /* "SUPP" */
    char charge_bearer[5];    /* "" to leave out, else SHAR, SLEV, DEBT, CRED */
    int bban_with_clearing;   /* 1: a BBAN's Othr/Id is clearing + account */
    int batch_booking;        /* 0: the bank debits each payment on its own */
};

/* The documented defaults for a bank (docs/payments.md); debtor_name,
 * debtor_iban and initg_id are left empty for the agency to fill. */
void pain001_settings_default(struct pain001_settings *s, enum pain001_bank bank);

struct pain001_header {
    char msg_id[PAYMENT_ID_SIZE]; /* the file's id, bank-safe, 1-30 characters */
    char created[20];             /* "2026-03-16T09:30:00", Stockholm time, from the clock */
    struct date today;            /* a payment due before today is asked for today */
};

/* Append the file for the n payments of one attested batch to out. Every
 * payment must be attested (or already in this very file, when a file is
 * made again) and pass the rules of core/payment; every setting must be
 * usable. On any problem nothing is appended: ERR_INVALID with each
 * problem as "payment 'E2E': ..." or "settings: ..." in d; ERR_LIMIT if
 * out's cap is reached. */
enum err pain001_write(const struct pain001_settings *s, const struct pain001_header *h,
                       const struct payment *p, size_t n, struct buf *out, struct diag *d);

#endif
