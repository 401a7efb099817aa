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
#include "core/ledger.h"
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
    int64_t amount_ore;       /* granted (0 for a rejection) */
    int64_t requested_ore;    /* what was asked for (-1: not shown) */
    const char *block_title;  /* supplementary: the block redistributed, or NULL */
    const char *reason;       /* rejection, or less granted than requested: the reasons */
    const char *conditions;   /* NULL: the standard conditions */
    const char *appeal;       /* NULL: the clause pdfdoc_appeal_text makes */
    int appeal_none;          /* the program says its decisions cannot be appealed */
    const char *appeal_basis; /* the provision (program file's appeal_basis) */
    struct date decided_on;
    struct date reporting_deadline; /* unset: not shown */
    struct date repayment_deadline; /* unset: not shown */
    const char *decided_by;         /* the handläggare's name */
    const char *standin_note;       /* the amounts rest on stand-in data: said (NULL: not) */
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
    const char *plan_name;    /* NULL or "" if none */
    const char *standin_note; /* the amounts rest on stand-in data: said (NULL: not) */
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

/* The standard texts (Swedish), for screens that show the same words as
 * the letter: the conditions with the program's reporting and repayment
 * dates (unset: "när Socialstyrelsen begär det" / no date), and the
 * appeal clause the program states (appeal_none: it cannot be appealed;
 * basis: the provision, may be NULL). */
void pdfdoc_conditions(char *out, size_t n, struct date reporting, struct date repayment);
void pdfdoc_appeal_text(char *out, size_t n, int appeal_none, const char *basis);

/* --- applications from individuals (core/applic) ----------------------- */

/* A fact about the step decided, shown as a row ("Provtillfälle",
 * "Teoretiskt prov 2026-05-20, Umeå"). */
struct pdfdoc_row {
    const char *label;
    const char *value;
};

/* A decision on an application from an individual: the agency's header,
 * the case type, the applicant by name and masked identity (the caller
 * passes personnr_ident_mask's form: a letter is not the place for the
 * whole number), the decision's own sentence, the facts of the step, the
 * reasons (required unless granted) and the appeal clause of its type
 * and date (core/appeal, required: every decision carries one). */
struct pdfdoc_applic_decision {
    const char *number;       /* the decision's number, "BES-2026-000123" */
    const char *case_no;      /* "KPR-2026-000001" */
    const char *case_type_sv; /* "Kunskapsprov för läkare: bedömning av utbildning" */
    const char *applicant_name;
    const char *applicant_id; /* masked: "19800101-****" */
    int granted;              /* 1: bifall, 0: avslag or avvisning */
    const char *decision;     /* "Socialstyrelsen beslutar att du får göra kunskapsprovet." */
    const struct pdfdoc_row *rows;
    size_t nrows;
    const char *reasons; /* skäl */
    const char *appeal;  /* the clause's text */
    struct date decided_on;
    const char *decided_by;
};
/* Write it as PDF into out (appended). ERR_INVALID when a required field
 * is missing (number, case_no, applicant_name, applicant_id, decision,
 * appeal, decided_on; reasons unless granted), ERR_LIMIT past
 * PDFDOC_MAX_BYTES. */
enum err pdfdoc_applic_decision(const struct pdfdoc_applic_decision *d, struct buf *out);

/* The specialist certificate (bevis om specialistkompetens): holder,
 * specialty, the regime it was issued under, the day it applies from
 * (the decision date). The agency no longer signs certificates by hand:
 * the PDF says it is issued electronically. */
struct pdfdoc_specialist {
    const char *number;  /* the certificate's number */
    const char *case_no; /* "SPB-2026-000001" */
    const char *holder_name;
    const char *holder_id; /* as the caller chooses to show it (masked by default) */
    const char *specialty; /* "Allmänmedicin" */
    const char *regime;    /* "HSLF-FS 2021:8" */
    struct date valid_from;
    const char *decided_by;
};
/* Write it as PDF into out (appended). ERR_INVALID when a field is
 * missing, ERR_LIMIT past PDFDOC_MAX_BYTES. */
enum err pdfdoc_specialist_certificate(const struct pdfdoc_specialist *c, struct buf *out);

/* The agency's documents to Kammarkollegiet for one program, computed
 * from its appropriation ledger (core/ledger.h):
 * - the requisition of funds (rekvisition av medel, by the program's
 *   Kammarkollegiet date, 1 December): per appropriation item what is
 *   requisitioned, the amounts decided and the own costs booked;
 * - the repayment and financial report (återbetalning och ekonomisk
 *   redovisning, by the final report's date): per item its amount, paid,
 *   repaid, own costs, and the unused part to be paid back, amount −
 *   (paid − repaid) − own costs.
 * Each cites the program's diarienummer and government decision. */
enum pdfdoc_kk_kind { PDFDOC_KK_REQUISITION = 0, PDFDOC_KK_REPORT };
struct pdfdoc_kk {
    enum pdfdoc_kk_kind kind;
    const char *diarienummer;
    const char *program_title;
    const char *decision; /* the government decision, "Regeringsbeslut 2026-01-22 nr II:5" */
    struct date due;      /* the program's date for the document (may be unset) */
    struct date made;     /* the day it is made */
    const struct ledger *l;
    const char (*names)[200]; /* l->n item names */
};
enum err pdfdoc_kammarkollegiet(const struct pdfdoc_kk *x, struct buf *out);

#endif
