/* pain002.h - read the bank's payment status report, ISO 20022
 * pain.002.001.03 (CustomerPaymentStatusReportV03): the status of the
 * original file (group), of each payment information block, and of the
 * transactions the bank lists, with their reason codes.
 *
 * Status codes are classified, never guessed: ACCP, ACSP, ACSC and ACWC
 * accept; RJCT rejects; ACTC (technical check passed), RCVD and PDNG are
 * pending; PART (group or block) says some were rejected; any other code
 * is "unknown" - not "rejected" - and is kept as the bank wrote it. A
 * reason code outside the list is kept with the text "okänd orsakskod".
 *
 * Reading is all or nothing: a malformed report (not XML, a DTD, another
 * message, a missing OrgnlMsgId, an over-long field, a transaction that
 * names no payment) gives "name:line: message" errors in d and an empty
 * report. The file is outside input: parsed by io/isoxml with no network
 * and no entities, capped in size and in count. */
#ifndef BIDRAG_IO_PAIN002_H
#define BIDRAG_IO_PAIN002_H

#include <stddef.h>

#include "core/payment.h"
#include "util/err.h"
#include "util/str.h"

#define PAIN002_NS "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"
#define PAIN002_TX_MAX 1000000
#define PAIN002_PMTINF_MAX 10000
#define PAIN002_INFO_MAX_CHARS 105 /* AddtlInf, Max105Text */

enum pain002_outcome {
    PAIN002_NONE = 0, /* no status given at this level */
    PAIN002_UNKNOWN,  /* a code this reader does not know */
    PAIN002_PENDING,  /* RCVD, PDNG, ACTC */
    PAIN002_ACCEPTED, /* ACCP, ACSP, ACSC, ACWC */
    PAIN002_PARTIAL,  /* PART: some accepted, some rejected */
    PAIN002_REJECTED  /* RJCT */
};

/* "none", "unknown", "pending", "accepted", "partial", "rejected". */
const char *pain002_outcome_id(enum pain002_outcome o);
/* The outcome of a status code ("" is NONE). */
enum pain002_outcome pain002_outcome_of(const char *code);
/* Swedish text of an ISO status reason code ("AC01" -> "Felaktigt
 * kontonummer"), "okänd orsakskod" for one not in the list. */
const char *pain002_reason_label_sv(const char *code);

struct pain002_reason {
    char code[36]; /* Rsn/Cd (1-4 capitals) or Rsn/Prtry; "" if none */
    int proprietary;
    char info[STR_UTF8_SIZE(PAIN002_INFO_MAX_CHARS)]; /* the first AddtlInf */
};

struct pain002_status {
    char code[5]; /* as written: "RJCT", "ACCP", "XYZ"...; "" if none */
    enum pain002_outcome outcome;
    struct pain002_reason reason; /* the first StsRsnInf */
    long line;
};

struct pain002_tx {
    char e2e[PAYMENT_ID_SIZE]; /* OrgnlEndToEndId, else OrgnlInstrId */
    size_t pmtinf;             /* index into pmtinfs */
    struct pain002_status st;
};

struct pain002_pmtinf {
    char id[PAYMENT_ID_SIZE]; /* OrgnlPmtInfId */
    struct pain002_status st;
};

struct pain002_report {
    char msg_id[PAYMENT_ID_SIZE];      /* the report's own id */
    char orig_msg_id[PAYMENT_ID_SIZE]; /* our file's MsgId */
    struct pain002_status group;       /* GrpSts */
    struct pain002_pmtinf *pmtinfs;
    size_t npmtinfs;
    struct pain002_tx *txs;
    size_t ntxs;
};

void pain002_init(struct pain002_report *r);
void pain002_release(struct pain002_report *r);

/* Read n bytes named name (for messages). On failure r is empty. */
enum err pain002_read(const char *data, size_t n, const char *name, struct pain002_report *r,
                      struct diag *d);

/* What the report says of the payment with end-to-end id e2e in payment
 * information block pmtinf_id (NULL if not known): its own status if it
 * is listed with one, else its block's unless PART, else the group's
 * unless PART, else NONE (the report says nothing of it). *why (may be
 * NULL) points at the status that decided, or is NULL for NONE. */
enum pain002_outcome pain002_effective(const struct pain002_report *r, const char *e2e,
                                       const char *pmtinf_id, const struct pain002_status **why);

#endif
