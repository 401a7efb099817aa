/* pdfdoc.h - the requisition e-service's PDF documents: the decision
 * (beslut) and the receipt (kvittens), drawn with cairo's PDF surface and
 * laid out with pango (Swedish text, wrapped paragraphs, new pages as
 * needed), written into a memory buffer for download or archiving.
 *
 * Every document carries the agency's header, the program's diarienummer
 * and the case number. Amounts are öre, written the Swedish way
 * ("1 234 567 kr"). Nothing here reads the clock: dates come in. */
#ifndef BIDRAG_IO_PDFDOC_H
#define BIDRAG_IO_PDFDOC_H

#include <stddef.h>
#include <stdint.h>

#include "io/ubl.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/err.h"

#define PDFDOC_AGENCY "Socialstyrelsen"
#define PDFDOC_MAX_BYTES ((size_t)16 * 1024 * 1024)

enum pdfdoc_decision_kind {
    PDFDOC_ORIGINAL = 0,  /* beslut om statsbidrag */
    PDFDOC_SUPPLEMENTARY, /* tilläggsbeslut efter omfördelning */
    PDFDOC_REJECTION      /* beslut om avslag */
};

struct pdfdoc_decision {
    enum pdfdoc_decision_kind kind;
    const char *number;       /* "BES-2026-000001" */
    const char *case_no;      /* "REK-2026-000001" */
    const char *diarienummer; /* the program's */
    const char *program_title;
    const char *recipient_code;
    const char *recipient_name;
    int64_t amount_ore;      /* granted (0 for a rejection) */
    int64_t requested_ore;   /* what was asked for (-1: not shown) */
    const char *block_title; /* supplementary: the block redistributed, or NULL */
    const char *reason;      /* rejection: the reason */
    const char *conditions;  /* NULL: the standard conditions */
    const char *appeal;      /* NULL: the standard text on appeal */
    struct date decided_on;
    struct date reporting_deadline; /* unset: not shown */
    struct date repayment_deadline; /* unset: not shown */
    const char *decided_by;         /* the handläggare's name */
};

struct pdfdoc_measure {
    const char *purpose; /* the purpose's title */
    const char *description;
    int64_t planned_ore;
};

struct pdfdoc_receipt {
    const char *case_no;
    int version;
    const char *received_at; /* "2026-04-15 12:00" (Swedish time) */
    const char *diarienummer;
    const char *program_title;
    const char *recipient_code;
    const char *recipient_name;
    const char *submitted_by;
    int64_t amount_ore;
    const struct pdfdoc_measure *measures;
    size_t nmeasures;
    const char *contact; /* "Åsa Öberg, asa@example.se, 08-123 45 67" */
    const char *account; /* "Bankgiro 5050-1055" */
    int opt_in;
    const char *plan_name; /* NULL or "" if none */
};

/* Write the decision as PDF into out (appended). ERR_INVALID when a
 * required field is missing, ERR_LIMIT past PDFDOC_MAX_BYTES. */
enum err pdfdoc_decision(const struct pdfdoc_decision *d, struct buf *out);
/* Write the receipt as PDF into out (appended). */
enum err pdfdoc_receipt(const struct pdfdoc_receipt *r, struct buf *out);

/* Write an invoice or credit note (io/ubl's document, the same one that
 * goes out by Peppol) as a PDF for a recipient who does not receive
 * e-invoices: seller and buyer with their organisation numbers, the
 * buyer's reference (when given), the decision and the diarienummer, one
 * line per block, the total, the VAT note, and for an invoice how to pay
 * (bankgiro, OCR, due date); for a credit note the invoice it credits.
 * ERR_INVALID when a required field is missing, ERR_LIMIT past
 * PDFDOC_MAX_BYTES. */
enum err pdfdoc_invoice(const struct ubl_doc *doc, struct buf *out);

/* The standard texts (Swedish), for screens that show the same words. */
const char *pdfdoc_standard_conditions(void);
const char *pdfdoc_standard_appeal(void);

#endif
