/* ubl.c - Peppol BIS Billing 3.0 invoices and credit notes on UBL 2.1. */
#include "io/ubl.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/payacct.h"
#include "core/payment.h"

/* --- writing ---------------------------------------------------------- */

static void put_text(struct buf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '&':
            buf_puts(b, "&amp;");
            break;
        case '<':
            buf_puts(b, "&lt;");
            break;
        case '>':
            buf_puts(b, "&gt;");
            break;
        case '"':
            buf_puts(b, "&quot;");
            break;
        case '\'':
            buf_puts(b, "&apos;");
            break;
        case '\r':
            buf_puts(b, "&#13;");
            break;
        default:
            buf_putc(b, *p);
        }
    }
}

static void el(struct buf *b, int depth, const char *tag, const char *text)
{
    buf_printf(b, "%*s<%s>", depth * 2, "", tag);
    put_text(b, text);
    buf_printf(b, "</%s>\n", tag);
}

/* <tag attr="value">text</tag> */
static void el_attr(struct buf *b, int depth, const char *tag, const char *attr, const char *value,
                    const char *text)
{
    buf_printf(b, "%*s<%s %s=\"", depth * 2, "", tag, attr);
    put_text(b, value);
    buf_puts(b, "\">");
    put_text(b, text);
    buf_printf(b, "</%s>\n", tag);
}

static void open_el(struct buf *b, int depth, const char *tag)
{
    buf_printf(b, "%*s<%s>\n", depth * 2, "", tag);
}

static void close_el(struct buf *b, int depth, const char *tag)
{
    buf_printf(b, "%*s</%s>\n", depth * 2, "", tag);
}

static void amount_text(char *out, size_t n, int64_t ore)
{
    snprintf(out, n, "%" PRId64 ".%02" PRId64, ore / 100, ore % 100);
}

static void money(struct buf *b, int depth, const char *tag, int64_t ore)
{
    char a[32];
    amount_text(a, sizeof(a), ore);
    el_attr(b, depth, tag, "currencyID", "SEK", a);
}

static void day(struct buf *b, int depth, const char *tag, struct date d)
{
    char s[16];
    date_fmt(s, sizeof(s), d);
    el(b, depth, tag, s);
}

static void party(struct buf *b, const char *role, const struct ubl_party *p, int seller)
{
    open_el(b, 1, role);
    open_el(b, 2, "cac:Party");
    el_attr(b, 3, "cbc:EndpointID", "schemeID", "0007", p->orgnr);
    open_el(b, 3, "cac:PartyName");
    el(b, 4, "cbc:Name", p->name);
    close_el(b, 3, "cac:PartyName");
    open_el(b, 3, "cac:PostalAddress");
    if (p->street[0])
        el(b, 4, "cbc:StreetName", p->street);
    if (p->city[0])
        el(b, 4, "cbc:CityName", p->city);
    if (p->postal_zone[0])
        el(b, 4, "cbc:PostalZone", p->postal_zone);
    open_el(b, 4, "cac:Country");
    el(b, 5, "cbc:IdentificationCode", "SE");
    close_el(b, 4, "cac:Country");
    close_el(b, 3, "cac:PostalAddress");
    open_el(b, 3, "cac:PartyLegalEntity");
    el(b, 4, "cbc:RegistrationName", p->name);
    el_attr(b, 4, "cbc:CompanyID", "schemeID", "0007", p->orgnr);
    close_el(b, 3, "cac:PartyLegalEntity");
    if (seller && (p->contact[0] || p->email[0] || p->phone[0])) {
        open_el(b, 3, "cac:Contact");
        if (p->contact[0])
            el(b, 4, "cbc:Name", p->contact);
        if (p->phone[0])
            el(b, 4, "cbc:Telephone", p->phone);
        if (p->email[0])
            el(b, 4, "cbc:ElectronicMail", p->email);
        close_el(b, 3, "cac:Contact");
    }
    close_el(b, 2, "cac:Party");
    close_el(b, 1, role);
}

static void tax_category(struct buf *b, int depth, const char *tag, const char *reason)
{
    open_el(b, depth, tag);
    el(b, depth + 1, "cbc:ID", "O");
    if (reason) {
        el(b, depth + 1, "cbc:TaxExemptionReasonCode", "VATEX-EU-O");
        el(b, depth + 1, "cbc:TaxExemptionReason", reason);
    }
    open_el(b, depth + 1, "cac:TaxScheme");
    el(b, depth + 2, "cbc:ID", "VAT");
    close_el(b, depth + 1, "cac:TaxScheme");
    close_el(b, depth, tag);
}

static void emit(const struct ubl_doc *doc, struct buf *b)
{
    int inv = doc->kind == UBL_INVOICE;
    const char *root = inv ? "Invoice" : "CreditNote";
    int64_t total = ubl_total(doc);
    const char *reason = doc->exemption_reason[0] ? doc->exemption_reason : UBL_EXEMPTION_DEFAULT;
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    buf_printf(b,
               "<%s xmlns=\"%s\"\n"
               "  xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:"
               "CommonAggregateComponents-2\"\n"
               "  xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:"
               "CommonBasicComponents-2\">\n",
               root, inv ? UBL_NS_INVOICE : UBL_NS_CREDIT_NOTE);
    el(b, 1, "cbc:CustomizationID", UBL_CUSTOMIZATION);
    el(b, 1, "cbc:ProfileID", UBL_PROFILE);
    el(b, 1, "cbc:ID", doc->id);
    day(b, 1, "cbc:IssueDate", doc->issued);
    if (inv) {
        day(b, 1, "cbc:DueDate", doc->due);
        el(b, 1, "cbc:InvoiceTypeCode", "380");
    } else {
        el(b, 1, "cbc:CreditNoteTypeCode", "381");
    }
    if (doc->note[0])
        el(b, 1, "cbc:Note", doc->note);
    el(b, 1, "cbc:DocumentCurrencyCode", "SEK");
    el(b, 1, "cbc:BuyerReference", doc->buyer_reference);
    if (!inv) {
        open_el(b, 1, "cac:BillingReference");
        open_el(b, 2, "cac:InvoiceDocumentReference");
        el(b, 3, "cbc:ID", doc->billing_ref);
        if (date_is_set(doc->billing_ref_date))
            day(b, 3, "cbc:IssueDate", doc->billing_ref_date);
        close_el(b, 2, "cac:InvoiceDocumentReference");
        close_el(b, 1, "cac:BillingReference");
    }
    if (doc->contract_ref[0]) {
        open_el(b, 1, "cac:ContractDocumentReference");
        el(b, 2, "cbc:ID", doc->contract_ref);
        close_el(b, 1, "cac:ContractDocumentReference");
    }
    if (doc->decision_ref[0]) {
        open_el(b, 1, "cac:AdditionalDocumentReference");
        el(b, 2, "cbc:ID", doc->decision_ref);
        el(b, 2, "cbc:DocumentDescription", "Beslut om återkrav");
        close_el(b, 1, "cac:AdditionalDocumentReference");
    }
    party(b, "cac:AccountingSupplierParty", &doc->seller, 1);
    party(b, "cac:AccountingCustomerParty", &doc->buyer, 0);
    if (inv) {
        open_el(b, 1, "cac:PaymentMeans");
        el_attr(b, 2, "cbc:PaymentMeansCode", "name", "Credit transfer", "30");
        el(b, 2, "cbc:PaymentID", doc->payment_id);
        open_el(b, 2, "cac:PayeeFinancialAccount");
        el(b, 3, "cbc:ID", doc->bankgiro);
        open_el(b, 3, "cac:FinancialInstitutionBranch");
        el(b, 4, "cbc:ID", "SE:BANKGIRO");
        close_el(b, 3, "cac:FinancialInstitutionBranch");
        close_el(b, 2, "cac:PayeeFinancialAccount");
        close_el(b, 1, "cac:PaymentMeans");
    }
    if (doc->payment_terms[0]) {
        open_el(b, 1, "cac:PaymentTerms");
        el(b, 2, "cbc:Note", doc->payment_terms);
        close_el(b, 1, "cac:PaymentTerms");
    }
    open_el(b, 1, "cac:TaxTotal");
    money(b, 2, "cbc:TaxAmount", 0);
    open_el(b, 2, "cac:TaxSubtotal");
    money(b, 3, "cbc:TaxableAmount", total);
    money(b, 3, "cbc:TaxAmount", 0);
    tax_category(b, 3, "cac:TaxCategory", reason);
    close_el(b, 2, "cac:TaxSubtotal");
    close_el(b, 1, "cac:TaxTotal");
    open_el(b, 1, "cac:LegalMonetaryTotal");
    money(b, 2, "cbc:LineExtensionAmount", total);
    money(b, 2, "cbc:TaxExclusiveAmount", total);
    money(b, 2, "cbc:TaxInclusiveAmount", total);
    money(b, 2, "cbc:PayableAmount", total);
    close_el(b, 1, "cac:LegalMonetaryTotal");
    for (size_t i = 0; i < doc->nlines; i++) {
        const struct ubl_line *l = &doc->lines[i];
        char id[16];
        snprintf(id, sizeof(id), "%zu", i + 1);
        open_el(b, 1, inv ? "cac:InvoiceLine" : "cac:CreditNoteLine");
        el(b, 2, "cbc:ID", id);
        el_attr(b, 2, inv ? "cbc:InvoicedQuantity" : "cbc:CreditedQuantity", "unitCode", "C62",
                "1");
        money(b, 2, "cbc:LineExtensionAmount", l->amount);
        if (l->block[0])
            el(b, 2, "cbc:AccountingCost", l->block);
        open_el(b, 2, "cac:Item");
        el(b, 3, "cbc:Name", l->name);
        tax_category(b, 3, "cac:ClassifiedTaxCategory", NULL);
        close_el(b, 2, "cac:Item");
        open_el(b, 2, "cac:Price");
        money(b, 3, "cbc:PriceAmount", l->amount);
        close_el(b, 2, "cac:Price");
        close_el(b, 1, inv ? "cac:InvoiceLine" : "cac:CreditNoteLine");
    }
    buf_printf(b, "</%s>\n", root);
}

/* --- checking before writing ------------------------------------------ */

int64_t ubl_total(const struct ubl_doc *doc)
{
    int64_t t = 0;
    for (size_t i = 0; i < doc->nlines && i < RECLAIM_MAX_LINES; i++)
        t += doc->lines[i].amount;
    return t;
}

/* Text for a field: well-formed UTF-8, no control character but tab (and
 * line ends where lines is set), at most max characters; non-empty when
 * need is set (and not only spaces). */
static int text(const char *s, size_t max, int lines, int need)
{
    if (!str_text_fits(s, lines ? STR_TEXT_LINES : 0, max))
        return 0;
    if (!need)
        return 1;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 1;
    return 0;
}

static int doc_id_ok(const char *s)
{
    return s[0] && payment_bank_id_ok(s);
}

static void check_party(const char *what, const char *id, const char *role,
                        const struct ubl_party *p, struct diag *d, int *bad)
{
    if (!text(p->name, UBL_NAME_MAX_CHARS, 0, 1)) {
        diag_add(d, NULL, 0, "%s '%s': the %s's name is missing or not text", what, id, role);
        (*bad)++;
    }
    if (!orgnr_ok(p->orgnr)) {
        diag_add(d, NULL, 0, "%s '%s': the %s's organisation number '%s' is not valid", what, id,
                 role, p->orgnr);
        (*bad)++;
    }
    if (!text(p->street, UBL_NAME_MAX_CHARS, 0, 0) || !text(p->city, UBL_NAME_MAX_CHARS, 0, 0) ||
        !text(p->postal_zone, sizeof(p->postal_zone) - 1, 0, 0) ||
        !text(p->contact, UBL_NAME_MAX_CHARS, 0, 0) || !text(p->email, UBL_NAME_MAX_CHARS, 0, 0) ||
        !text(p->phone, sizeof(p->phone) - 1, 0, 0)) {
        diag_add(d, NULL, 0, "%s '%s': the %s's address or contact is not text", what, id, role);
        (*bad)++;
    }
}

static int check(const struct ubl_doc *doc, struct diag *d)
{
    int bad = 0;
    int inv = doc->kind == UBL_INVOICE;
    const char *what = inv ? "invoice" : "credit note";
    const char *id = doc->id;
    if (doc->kind != UBL_INVOICE && doc->kind != UBL_CREDIT_NOTE) {
        diag_add(d, NULL, 0, "document '%s': the type is neither 380 nor 381", id);
        return 1;
    }
    if (!doc_id_ok(id)) {
        diag_add(d, NULL, 0, "%s '%s': the number is not a document number", what, id);
        bad++;
    }
    if (!date_valid(doc->issued)) {
        diag_add(d, NULL, 0, "%s '%s': the issue date is missing", what, id);
        bad++;
    }
    if (inv && (!date_valid(doc->due) || date_cmp(doc->due, doc->issued) < 0)) {
        diag_add(d, NULL, 0, "%s '%s': the due date is missing or before the issue date", what, id);
        bad++;
    }
    if (!text(doc->buyer_reference, RECLAIM_BUYER_REF_MAX_CHARS, 0, 1)) {
        diag_add(d, NULL, 0,
                 "%s '%s': the buyer reference is missing (Peppol requires it; ask the "
                 "recipient for it)",
                 what, id);
        bad++;
    }
    if (!text(doc->note, UBL_TEXT_MAX_CHARS, 1, 0) ||
        !text(doc->payment_terms, UBL_TEXT_MAX_CHARS, 1, 0) ||
        !text(doc->contract_ref, RECLAIM_DNR_MAX_CHARS, 0, 0) ||
        !text(doc->exemption_reason, UBL_NAME_MAX_CHARS, 0, 0)) {
        diag_add(d, NULL, 0, "%s '%s': a note or reference is not text or too long", what, id);
        bad++;
    }
    if (doc->decision_ref[0] && !doc_id_ok(doc->decision_ref)) {
        diag_add(d, NULL, 0, "%s '%s': the decision number '%s' is not a document number", what, id,
                 doc->decision_ref);
        bad++;
    }
    check_party(what, id, "seller", &doc->seller, d, &bad);
    check_party(what, id, "buyer", &doc->buyer, d, &bad);
    if (doc->seller.orgnr[0] && strcmp(doc->seller.orgnr, doc->buyer.orgnr) == 0) {
        diag_add(d, NULL, 0, "%s '%s': the seller and the buyer are the same organisation", what,
                 id);
        bad++;
    }
    if (inv) {
        size_t n = strlen(doc->bankgiro);
        if ((n != 7 && n != 8) || !str_is_digits(doc->bankgiro, n) ||
            !payacct_mod10_ok(doc->bankgiro)) {
            diag_add(d, NULL, 0, "%s '%s': the bankgiro '%s' is not 7-8 digits with a check digit",
                     what, id, doc->bankgiro);
            bad++;
        }
        if (!payment_ocr_ok(doc->payment_id)) {
            diag_add(d, NULL, 0, "%s '%s': the payment reference '%s' is not an OCR number", what,
                     id, doc->payment_id);
            bad++;
        }
    } else {
        if (!doc_id_ok(doc->billing_ref)) {
            diag_add(d, NULL, 0, "%s '%s': the invoice it credits is missing", what, id);
            bad++;
        }
        if (date_is_set(doc->billing_ref_date) &&
            date_cmp(doc->billing_ref_date, doc->issued) > 0) {
            diag_add(d, NULL, 0, "%s '%s': the invoice it credits is dated after it", what, id);
            bad++;
        }
    }
    if (doc->nlines == 0 || doc->nlines > RECLAIM_MAX_LINES) {
        diag_add(d, NULL, 0, "%s '%s': it needs 1-%d lines", what, id, RECLAIM_MAX_LINES);
        return bad + 1;
    }
    for (size_t i = 0; i < doc->nlines; i++) {
        const struct ubl_line *l = &doc->lines[i];
        if (l->amount <= 0 || l->amount > RECLAIM_AMOUNT_MAX) {
            diag_add(d, NULL, 0, "%s '%s': line %zu: the amount must be above zero", what, id,
                     i + 1);
            bad++;
        }
        if (!text(l->name, UBL_NAME_MAX_CHARS + 20, 0, 1) ||
            !text(l->block, RECLAIM_BLOCK_SIZE - 1, 0, 0)) {
            diag_add(d, NULL, 0, "%s '%s': line %zu: the name is missing or not text", what, id,
                     i + 1);
            bad++;
        }
    }
    return bad;
}

enum err ubl_write(const struct ubl_doc *doc, struct buf *out, struct diag *d)
{
    if (check(doc, d))
        return ERR_INVALID;
    size_t before = out->len;
    int failed = out->failed;
    out->failed = 0;
    emit(doc, out);
    if (out->failed) {
        out->len = before;
        out->p[before] = '\0';
        diag_add(d, NULL, 0, "document '%s': larger than the buffer allows", doc->id);
        return ERR_LIMIT;
    }
    out->failed = failed;
    return ERR_OK;
}

/* --- from a reclaim --------------------------------------------------- */

/* The buyer: the recipient as the reclaim names it (its registered name
 * is the caller's to give) with its organisation number. */
static void buyer_of(const struct reclaim *r, struct ubl_party *p)
{
    memset(p, 0, sizeof(*p));
    str_copy(p->name, sizeof(p->name), r->recipient_name);
    str_copy(p->orgnr, sizeof(p->orgnr), r->orgnr);
}

static enum err common(const struct reclaim *r, const struct ubl_party *seller, const char *number,
                       struct date issued, struct ubl_doc *out, struct diag *d)
{
    if (!r->decided_by[0] || !date_is_set(r->decided_on)) {
        diag_add(d, NULL, 0, "reclaim '%s': not decided, so not invoiced", r->number);
        return ERR_INVALID;
    }
    if (!number || str_copy(out->id, sizeof(out->id), number)) {
        diag_add(d, NULL, 0, "reclaim '%s': no document number", r->number);
        return ERR_INVALID;
    }
    out->issued = issued;
    out->seller = *seller;
    buyer_of(r, &out->buyer);
    str_copy(out->buyer_reference, sizeof(out->buyer_reference), r->buyer_reference);
    str_copy(out->contract_ref, sizeof(out->contract_ref), r->diarienummer);
    str_copy(out->decision_ref, sizeof(out->decision_ref), r->number);
    return ERR_OK;
}

enum err ubl_invoice_from_reclaim(const struct reclaim *r, const struct ubl_party *seller,
                                  const char *bankgiro, const char *number, const char *ocr,
                                  struct date issued, struct ubl_doc *out, struct diag *d)
{
    memset(out, 0, sizeof(*out));
    out->kind = UBL_INVOICE;
    enum err e = common(r, seller, number, issued, out, d);
    if (e)
        return e;
    out->due = reclaim_due(r->decided_on, &r->terms);
    if (date_cmp(out->due, issued) < 0)
        out->due = reclaim_due(issued, &r->terms);
    str_copy(out->bankgiro, sizeof(out->bankgiro), bankgiro ? bankgiro : "");
    str_copy(out->payment_id, sizeof(out->payment_id), ocr ? ocr : "");
    for (size_t i = 0; i < r->nlines && i < RECLAIM_MAX_LINES; i++) {
        int64_t a = reclaim_line_amount(&r->lines[i]);
        if (a <= 0)
            continue;
        struct ubl_line *l = &out->lines[out->nlines++];
        snprintf(l->name, sizeof(l->name), "Återkrav: %s", r->lines[i].title);
        str_copy(l->block, sizeof(l->block), r->lines[i].block);
        l->amount = a;
    }
    if (out->nlines == 0) {
        diag_add(d, NULL, 0, "reclaim '%s': nothing to invoice (all waived)", r->number);
        return ERR_INVALID;
    }
    char due[16], dnr[300];
    date_fmt(due, sizeof(due), out->due);
    snprintf(dnr, sizeof(dnr), "%s", r->diarienummer);
    snprintf(out->note, sizeof(out->note),
             "Återkrav av statsbidrag enligt beslut %s (%s, dnr %s). %s.", r->number,
             r->program_title, dnr, reclaim_ground_label_sv(r->ground));
    char bg[16] = "";
    size_t n = strlen(out->bankgiro);
    if (n == 7 || n == 8)
        snprintf(bg, sizeof(bg), "%.*s-%s", (int)(n - 4), out->bankgiro, out->bankgiro + n - 4);
    snprintf(out->payment_terms, sizeof(out->payment_terms),
             "Betalas senast %s till bankgiro %s med OCR %s.%s", due, bg, out->payment_id,
             r->terms.interest ? " Vid sen betalning tas dröjsmålsränta ut enligt beslutet." : "");
    return ERR_OK;
}

enum err ubl_credit_from_reclaim(const struct reclaim *r, const struct reclaim_credit *c,
                                 const struct ubl_party *seller, const char *number,
                                 struct date issued, struct date invoice_issued,
                                 struct ubl_doc *out, struct diag *d)
{
    memset(out, 0, sizeof(*out));
    out->kind = UBL_CREDIT_NOTE;
    enum err e = common(r, seller, number, issued, out, d);
    if (e)
        return e;
    str_copy(out->billing_ref, sizeof(out->billing_ref), c->invoice);
    out->billing_ref_date = invoice_issued;
    for (size_t i = 0; i < c->nlines && i < RECLAIM_MAX_LINES; i++) {
        struct ubl_line *l = &out->lines[out->nlines++];
        snprintf(l->name, sizeof(l->name), "%s: %s",
                 c->cancels ? "Makulerat återkrav" : "Sänkt återkrav", c->lines[i].title);
        str_copy(l->block, sizeof(l->block), c->lines[i].block);
        l->amount = c->lines[i].proposed;
    }
    if (out->nlines == 0) {
        diag_add(d, NULL, 0, "reclaim '%s': nothing to credit", r->number);
        return ERR_INVALID;
    }
    snprintf(out->note, sizeof(out->note), "%s av faktura %s enligt beslut %s (dnr %s).",
             c->cancels ? "Kreditering av hela" : "Delkreditering", c->invoice, r->number,
             r->diarienummer);
    return ERR_OK;
}
