/* ubl.h - write a reclaim as a Peppol BIS Billing 3.0 document on UBL 2.1,
 * into a buffer: an Invoice (type 380) for a reclaim, a CreditNote (type
 * 381) referring to the invoice for a reduced or cancelled one.
 *
 * The coding (docs/invoices.md):
 * - CustomizationID urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0,
 *   ProfileID urn:fdc:peppol.eu:2017:poacc:billing:01:1.0, currency SEK;
 * - seller (the agency) and buyer (the kommun or region): EndpointID and
 *   PartyLegalEntity/CompanyID with scheme 0007 and the ten digits of the
 *   organisation number; no VAT identifier at all; country SE;
 * - the buyer reference (BuyerReference) the recipient gave, mandatory;
 * - VAT category O (outside the scope of VAT) with exemption code
 *   VATEX-EU-O and a reason, tax 0.00, no rate on the lines;
 * - payment means 30 (credit transfer) to the agency's bankgiro
 *   (PayeeFinancialAccount/ID, FinancialInstitutionBranch/ID SE:BANKGIRO)
 *   with the OCR as PaymentID, and the due date (invoices only);
 * - the program's diarienummer as ContractDocumentReference and the
 *   reclaim decision's number as AdditionalDocumentReference;
 * - one line per block (quantity 1, price = amount);
 * - a credit note's BillingReference names the invoice and its date.
 *
 * The writer refuses a document the rules would refuse for a reason it can
 * see itself (a missing buyer reference, a bad organisation number or
 * bankgiro, an OCR without its check digit, amounts that do not add up);
 * every document that leaves is still validated by io/ublcheck (UBL XSD
 * and both schematrons). The same document gives the same bytes. */
#ifndef BIDRAG_IO_UBL_H
#define BIDRAG_IO_UBL_H

#include <stddef.h>
#include <stdint.h>

#include "core/orgnr.h"
#include "core/reclaim.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/err.h"
#include "util/str.h"

#define UBL_CUSTOMIZATION                                                                          \
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
#define UBL_PROFILE "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
#define UBL_NS_INVOICE "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
#define UBL_NS_CREDIT_NOTE "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
#define UBL_EXEMPTION_DEFAULT "Återkrav av statsbidrag; ej föremål för mervärdesskatt"
#define UBL_NAME_MAX_CHARS 100
#define UBL_TEXT_MAX_CHARS 1000

enum ubl_kind { UBL_INVOICE = 380, UBL_CREDIT_NOTE = 381 };

struct ubl_party {
    char name[STR_UTF8_SIZE(UBL_NAME_MAX_CHARS)];
    char orgnr[ORGNR_SIZE]; /* ten digits */
    char street[STR_UTF8_SIZE(UBL_NAME_MAX_CHARS)];
    char city[STR_UTF8_SIZE(UBL_NAME_MAX_CHARS)];
    char postal_zone[16];
    char contact[STR_UTF8_SIZE(UBL_NAME_MAX_CHARS)]; /* "" to leave out */
    char email[STR_UTF8_SIZE(UBL_NAME_MAX_CHARS)];   /* "" to leave out */
    char phone[32];                                  /* "" to leave out */
};

struct ubl_line {
    char name[STR_UTF8_SIZE(UBL_NAME_MAX_CHARS + 20)];
    char block[RECLAIM_BLOCK_SIZE]; /* written as the line's accounting cost */
    int64_t amount;                 /* öre, > 0 */
};

struct ubl_doc {
    enum ubl_kind kind;
    char id[RECLAIM_NUMBER_SIZE];
    struct date issued;
    struct date due; /* invoice: mandatory; credit note: unused */
    char buyer_reference[STR_UTF8_SIZE(RECLAIM_BUYER_REF_MAX_CHARS)];
    char note[STR_UTF8_SIZE(UBL_TEXT_MAX_CHARS)];
    char contract_ref[STR_UTF8_SIZE(RECLAIM_DNR_MAX_CHARS)]; /* the diarienummer */
    char decision_ref[RECLAIM_NUMBER_SIZE];                  /* the decision's number */
    char billing_ref[RECLAIM_NUMBER_SIZE];                   /* credit note: the invoice */
    struct date billing_ref_date;                            /* and its issue date */
    struct ubl_party seller, buyer;
    char bankgiro[9];                  /* invoice: the agency's, 7-8 digits */
    char payment_id[RECLAIM_OCR_SIZE]; /* invoice: the OCR */
    char payment_terms[STR_UTF8_SIZE(UBL_TEXT_MAX_CHARS)];
    char exemption_reason[STR_UTF8_SIZE(UBL_NAME_MAX_CHARS)]; /* "" = UBL_EXEMPTION_DEFAULT */
    struct ubl_line lines[RECLAIM_MAX_LINES];
    size_t nlines;
};

/* The total of the lines, öre. */
int64_t ubl_total(const struct ubl_doc *doc);

/* Append the document as UTF-8 XML to out. ERR_INVALID with every
 * problem as "invoice 'ID': ..." (or "credit note 'ID': ...") in d and
 * nothing appended when a rule it can see is broken; ERR_LIMIT if out's
 * cap is reached. */
enum err ubl_write(const struct ubl_doc *doc, struct buf *out, struct diag *d);

/* The invoice for a decided reclaim: one line per block with something
 * left to pay after waiver, the buyer the reclaim's recipient, due date
 * from the terms (core/reclaim), the OCR of (year, seq) of the number.
 * seller is the agency with its bankgiro; number e.g. "FAK-2027-000001"
 * and ocr from reclaim_ocr(). ERR_INVALID (d) when the reclaim is not
 * decided, has nothing to invoice or lacks the buyer reference. */
enum err ubl_invoice_from_reclaim(const struct reclaim *r, const struct ubl_party *seller,
                                  const char *bankgiro, const char *number, const char *ocr,
                                  struct date issued, struct ubl_doc *out, struct diag *d);

/* The credit note for c (reclaim_credit_for), crediting the invoice
 * invoice_number issued on invoice_issued. */
enum err ubl_credit_from_reclaim(const struct reclaim *r, const struct reclaim_credit *c,
                                 const struct ubl_party *seller, const char *number,
                                 struct date issued, struct date invoice_issued,
                                 struct ubl_doc *out, struct diag *d);

#endif
