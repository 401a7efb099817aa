/* test_ubl.c - the Peppol BIS Billing 3.0 writer, read back with libxml2
 * XPath independently of the writer: the profile, the parties by scheme
 * 0007 with no VAT identifier anywhere, the buyer reference, VAT category O
 * with its exemption, payment means 30 to SE:BANKGIRO with the OCR, the due
 * date, one line per block whose sum is every total, the diarienummer and
 * decision as references, a credit note's BillingReference; escaping;
 * the same document gives the same bytes; documents the rules would
 * refuse are refused with the reason (missing buyer reference, bad
 * organisation number, bad bankgiro or OCR, bad amounts) and nothing is
 * written. The schemas shipped in data/schemas (UBL 2.1, the Peppol and
 * CEN rules, SchXslt) are the byte-exact copies their PROVENANCE.md
 * names, file by file. Every document here is also validated against the XSD and both
 * schematrons in test_ublcheck.c and, written with "--write DIR", by
 * xmllint in tests/cli/test_ubl_xmllint.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <dirent.h>
#include <sys/stat.h>

#include "io/ubl.h"
#include "ubl_samples.h"
#include "util/sha256.h"

struct doc {
    xmlDocPtr x;
    xmlXPathContextPtr c;
};

static void doc_open(struct doc *dc, const struct buf *b)
{
    dc->x = xmlReadMemory(b->p, (int)b->len, "ubl.xml", NULL, XML_PARSE_NONET);
    assert_non_null(dc->x);
    dc->c = xmlXPathNewContext(dc->x);
    xmlXPathRegisterNs(dc->c, (const xmlChar *)"inv", (const xmlChar *)UBL_NS_INVOICE);
    xmlXPathRegisterNs(dc->c, (const xmlChar *)"cn", (const xmlChar *)UBL_NS_CREDIT_NOTE);
    xmlXPathRegisterNs(
        dc->c, (const xmlChar *)"cac",
        (const xmlChar
             *)"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2");
    xmlXPathRegisterNs(
        dc->c, (const xmlChar *)"cbc",
        (const xmlChar *)"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2");
}

static void doc_close(struct doc *dc)
{
    xmlXPathFreeContext(dc->c);
    xmlFreeDoc(dc->x);
}

static int xp_count(struct doc *dc, const char *expr)
{
    dc->c->node = xmlDocGetRootElement(dc->x);
    xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, dc->c);
    if (!o)
        fail_msg("xpath %s", expr);
    int n = o->nodesetval ? o->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(o);
    return n;
}

static void xp_text(struct doc *dc, const char *expr, char *out, size_t n)
{
    dc->c->node = xmlDocGetRootElement(dc->x);
    xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, dc->c);
    if (!o)
        fail_msg("xpath %s", expr);
    int k = o->nodesetval ? o->nodesetval->nodeNr : 0;
    if (k != 1)
        fail_msg("%s: %d nodes", expr, k);
    xmlChar *t = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
    snprintf(out, n, "%s", (const char *)t);
    xmlFree(t);
    xmlXPathFreeObject(o);
}

static void expect_text(struct doc *dc, const char *expr, const char *want)
{
    char got[2048];
    xp_text(dc, expr, got, sizeof(got));
    if (strcmp(got, want) != 0)
        fail_msg("%s: '%s', want '%s'", expr, got, want);
}

/* "123.45" -> 12345 öre, written here */
static int64_t ore_of(const char *s)
{
    const char *dot = strchr(s, '.');
    assert_non_null(dot);
    assert_int_equal(strlen(dot), 3);
    char whole[32];
    snprintf(whole, sizeof(whole), "%.*s", (int)(dot - s), s);
    return strtoll(whole, NULL, 10) * 100 + strtoll(dot + 1, NULL, 10);
}

static void write_sample(int i, struct buf *out, struct ubl_doc *doc)
{
    struct diag d;
    diag_init(&d, 20);
    enum err e = sample_doc(i, doc, &d);
    if (!e)
        e = ubl_write(doc, out, &d);
    if (e) {
        diag_print(&d, stderr);
        fail_msg("sample %d: %s", i, err_str(e));
    }
    diag_release(&d);
}

/* What every document must hold, checked on each sample. */
static void check_common(struct doc *dc, const char *r, const struct ubl_doc *doc)
{
    char p[256], got[256];
    snprintf(p, sizeof(p), "/%s/cbc:CustomizationID", r);
    expect_text(dc, p, UBL_CUSTOMIZATION);
    snprintf(p, sizeof(p), "/%s/cbc:ProfileID", r);
    expect_text(dc, p, UBL_PROFILE);
    snprintf(p, sizeof(p), "/%s/cbc:ID", r);
    expect_text(dc, p, doc->id);
    snprintf(p, sizeof(p), "/%s/cbc:DocumentCurrencyCode", r);
    expect_text(dc, p, "SEK");
    snprintf(p, sizeof(p), "/%s/cbc:BuyerReference", r);
    expect_text(dc, p, doc->buyer_reference);
    snprintf(p, sizeof(p), "/%s/cbc:Note", r);
    assert_true(xp_count(dc, p) <= 1); /* Peppol allows one note */
    /* parties by organisation number, scheme 0007, both places */
    const char *party[2] = {"AccountingSupplierParty", "AccountingCustomerParty"};
    const char *nr[2] = {doc->seller.orgnr, doc->buyer.orgnr};
    for (int k = 0; k < 2; k++) {
        snprintf(p, sizeof(p), "/%s/cac:%s/cac:Party/cbc:EndpointID[@schemeID='0007']", r,
                 party[k]);
        expect_text(dc, p, nr[k]);
        snprintf(p, sizeof(p),
                 "/%s/cac:%s/cac:Party/cac:PartyLegalEntity/cbc:CompanyID[@schemeID='0007']", r,
                 party[k]);
        expect_text(dc, p, nr[k]);
        snprintf(p, sizeof(p),
                 "/%s/cac:%s/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode", r,
                 party[k]);
        expect_text(dc, p, "SE");
    }
    /* no VAT identifier anywhere (BR-O-02) */
    assert_int_equal(xp_count(dc, "//cac:PartyTaxScheme"), 0);
    /* VAT category O, zero tax, an exemption reason; no rate on lines */
    snprintf(p, sizeof(p), "/%s/cac:TaxTotal/cbc:TaxAmount", r);
    expect_text(dc, p, "0.00");
    snprintf(p, sizeof(p), "/%s/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID", r);
    expect_text(dc, p, "O");
    snprintf(p, sizeof(p),
             "/%s/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode", r);
    expect_text(dc, p, "VATEX-EU-O");
    snprintf(p, sizeof(p),
             "/%s/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReason", r);
    xp_text(dc, p, got, sizeof(got));
    assert_true(strlen(got) > 0);
    assert_int_equal(xp_count(dc, "//cbc:Percent"), 0);
    /* the lines: one per block, quantity 1, price = amount, category O */
    const char *line = strcmp(r, "inv:Invoice") == 0 ? "cac:InvoiceLine" : "cac:CreditNoteLine";
    snprintf(p, sizeof(p), "/%s/%s", r, line);
    assert_int_equal(xp_count(dc, p), (int)doc->nlines);
    int64_t sum = 0;
    for (size_t i = 0; i < doc->nlines; i++) {
        snprintf(p, sizeof(p), "/%s/%s[%zu]/cbc:LineExtensionAmount[@currencyID='SEK']", r, line,
                 i + 1);
        xp_text(dc, p, got, sizeof(got));
        assert_int_equal(ore_of(got), doc->lines[i].amount);
        sum += ore_of(got);
        snprintf(p, sizeof(p), "/%s/%s[%zu]/cac:Price/cbc:PriceAmount", r, line, i + 1);
        xp_text(dc, p, got, sizeof(got));
        assert_int_equal(ore_of(got), doc->lines[i].amount);
        snprintf(p, sizeof(p), "/%s/%s[%zu]/cac:Item/cac:ClassifiedTaxCategory/cbc:ID", r, line,
                 i + 1);
        expect_text(dc, p, "O");
        snprintf(p, sizeof(p), "/%s/%s[%zu]/cac:Item/cbc:Name", r, line, i + 1);
        expect_text(dc, p, doc->lines[i].name);
    }
    const char *totals[] = {"LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount",
                            "PayableAmount"};
    for (int k = 0; k < 4; k++) {
        snprintf(p, sizeof(p), "/%s/cac:LegalMonetaryTotal/cbc:%s", r, totals[k]);
        xp_text(dc, p, got, sizeof(got));
        assert_int_equal(ore_of(got), sum);
    }
    snprintf(p, sizeof(p), "/%s/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount", r);
    xp_text(dc, p, got, sizeof(got));
    assert_int_equal(ore_of(got), sum);
    /* the references */
    snprintf(p, sizeof(p), "/%s/cac:ContractDocumentReference/cbc:ID", r);
    expect_text(dc, p, doc->contract_ref);
    snprintf(p, sizeof(p), "/%s/cac:AdditionalDocumentReference/cbc:ID", r);
    expect_text(dc, p, doc->decision_ref);
}

static void test_invoices(void **state)
{
    (void)state;
    for (int i = 0; i < 4; i++) {
        struct buf b;
        buf_init(&b, 0);
        struct ubl_doc doc;
        write_sample(i, &b, &doc);
        struct doc dc;
        doc_open(&dc, &b);
        check_common(&dc, "inv:Invoice", &doc);
        expect_text(&dc, "/inv:Invoice/cbc:InvoiceTypeCode", "380");
        expect_text(&dc, "/inv:Invoice/cbc:IssueDate", "2027-04-15");
        /* 30 days from 2027-04-15 is Saturday 15 May: due Monday 17 May */
        expect_text(&dc, "/inv:Invoice/cbc:DueDate", "2027-05-17");
        expect_text(&dc, "/inv:Invoice/cac:PaymentMeans/cbc:PaymentMeansCode", "30");
        expect_text(&dc, "/inv:Invoice/cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID",
                    SAMPLE_BANKGIRO);
        expect_text(&dc,
                    "/inv:Invoice/cac:PaymentMeans/cac:PayeeFinancialAccount/"
                    "cac:FinancialInstitutionBranch/cbc:ID",
                    "SE:BANKGIRO");
        char ocr[RECLAIM_OCR_SIZE];
        reclaim_ocr(2027, i + 1, ocr);
        expect_text(&dc, "/inv:Invoice/cac:PaymentMeans/cbc:PaymentID", ocr);
        assert_int_equal(xp_count(&dc, "/inv:Invoice/cac:BillingReference"), 0);
        doc_close(&dc);
        buf_release(&b);
    }
}

static void test_invoice_content(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    struct ubl_doc doc;
    /* the region: a waiver in part lowers the first line */
    write_sample(1, &b, &doc);
    struct doc dc;
    doc_open(&dc, &b);
    assert_int_equal(xp_count(&dc, "/inv:Invoice/cac:InvoiceLine"), 3);
    expect_text(&dc, "/inv:Invoice/cac:InvoiceLine[1]/cbc:LineExtensionAmount", "1000000.00");
    expect_text(&dc, "/inv:Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount", "19.99");
    expect_text(&dc, "/inv:Invoice/cac:InvoiceLine[1]/cbc:AccountingCost", "regioner");
    expect_text(&dc, "/inv:Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount", "1001019.99");
    expect_text(&dc, "/inv:Invoice/cac:AccountingCustomerParty/cac:Party/cbc:EndpointID",
                "2321000016");
    expect_text(&dc, "/inv:Invoice/cac:PaymentTerms/cbc:Note",
                "Betalas senast 2027-05-17 till bankgiro 5050-1055 med OCR 202700000229. Vid "
                "sen betalning tas dröjsmålsränta ut enligt beslutet.");
    expect_text(&dc, "/inv:Invoice/cbc:Note",
                "Återkrav av statsbidrag enligt beslut ATK-2027-000002 (Statsbidrag för "
                "kompetensförsörjning i primärvården 2026, dnr S2026/00123). Medel som har "
                "använts i strid med syftet.");
    doc_close(&dc);
    buf_release(&b);
    /* Gotland's region: the kommun's number */
    buf_init(&b, 0);
    write_sample(2, &b, &doc);
    doc_open(&dc, &b);
    expect_text(&dc, "/inv:Invoice/cac:AccountingCustomerParty/cac:Party/cbc:EndpointID",
                "2120000803");
    doc_close(&dc);
    buf_release(&b);
}

static void test_escapes_and_bytes(void **state)
{
    (void)state;
    struct buf b, again;
    buf_init(&b, 0);
    buf_init(&again, 0);
    struct ubl_doc doc;
    write_sample(3, &b, &doc);
    write_sample(3, &again, &doc);
    assert_int_equal(b.len, again.len);
    assert_memory_equal(b.p, again.p, b.len); /* the same document, the same bytes */
    struct doc dc;
    doc_open(&dc, &b);
    expect_text(&dc, "/inv:Invoice/cbc:BuyerReference", "A&O <\"ref\"> 'x'");
    expect_text(&dc, "/inv:Invoice/cac:ContractDocumentReference/cbc:ID", "S2026/00123 & <x>");
    assert_int_equal(xp_count(&dc, "/inv:Invoice/cac:InvoiceLine"), 16);
    expect_text(&dc, "/inv:Invoice/cac:InvoiceLine[1]/cbc:LineExtensionAmount", "999999999999.99");
    expect_text(&dc, "/inv:Invoice/cac:InvoiceLine[3]/cac:Item/cbc:Name",
                "Återkrav: Block 3: \"A\" & <B> 'ö'");
    doc_close(&dc);
    assert_null(strstr(b.p, "& ")); /* every ampersand escaped */
    buf_release(&b);
    buf_release(&again);
}

static void test_credit_notes(void **state)
{
    (void)state;
    for (int i = 4; i < 6; i++) {
        struct buf b;
        buf_init(&b, 0);
        struct ubl_doc doc;
        write_sample(i, &b, &doc);
        struct doc dc;
        doc_open(&dc, &b);
        check_common(&dc, "cn:CreditNote", &doc);
        expect_text(&dc, "/cn:CreditNote/cbc:CreditNoteTypeCode", "381");
        expect_text(&dc, "/cn:CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID",
                    i == 4 ? "FAK-2027-000001" : "FAK-2027-000002");
        expect_text(&dc,
                    "/cn:CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/"
                    "cbc:IssueDate",
                    "2027-04-15");
        assert_int_equal(xp_count(&dc, "//cbc:DueDate"), 0);
        assert_int_equal(xp_count(&dc, "//cac:PaymentMeans"), 0);
        if (i == 4) {
            /* the second block came down from 25 000.50 kr to 5 000 kr */
            assert_int_equal(xp_count(&dc, "/cn:CreditNote/cac:CreditNoteLine"), 1);
            expect_text(&dc, "/cn:CreditNote/cac:LegalMonetaryTotal/cbc:PayableAmount", "20000.50");
        } else {
            expect_text(&dc, "/cn:CreditNote/cac:LegalMonetaryTotal/cbc:PayableAmount",
                        "1001019.99");
        }
        doc_close(&dc);
        buf_release(&b);
    }
}

static void refused(struct ubl_doc *doc, const char *want)
{
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "kept");
    struct diag d;
    diag_init(&d, 20);
    assert_int_equal(ubl_write(doc, &b, &d), ERR_INVALID);
    assert_string_equal(b.p, "kept"); /* nothing written */
    int found = 0;
    for (size_t i = 0; i < d.n; i++)
        found |= strstr(d.msg[i], want) != NULL;
    if (!found) {
        diag_print(&d, stderr);
        fail_msg("want '%s'", want);
    }
    diag_release(&d);
    buf_release(&b);
}

static void test_refused(void **state)
{
    (void)state;
    struct ubl_doc doc;
    struct diag d;
    diag_init(&d, 20);
    assert_int_equal(sample_doc(0, &doc, &d), ERR_OK);
    struct ubl_doc bad = doc;
    bad.buyer_reference[0] = '\0';
    refused(&bad, "invoice 'FAK-2027-000001': the buyer reference is missing");
    bad = doc;
    str_copy(bad.buyer_reference, sizeof(bad.buyer_reference), "   ");
    refused(&bad, "the buyer reference is missing");
    bad = doc;
    str_copy(bad.buyer.orgnr, sizeof(bad.buyer.orgnr), "2120000143");
    refused(&bad, "the buyer's organisation number '2120000143' is not valid");
    bad = doc;
    str_copy(bad.seller.orgnr, sizeof(bad.seller.orgnr), "202100999");
    refused(&bad, "the seller's organisation number '202100999' is not valid");
    bad = doc;
    str_copy(bad.bankgiro, sizeof(bad.bankgiro), "50501056");
    refused(&bad, "the bankgiro '50501056' is not 7-8 digits with a check digit");
    bad = doc;
    str_copy(bad.payment_id, sizeof(bad.payment_id), "202700000121");
    refused(&bad, "the payment reference '202700000121' is not an OCR number");
    bad = doc;
    bad.lines[1].amount = 0;
    refused(&bad, "line 2: the amount must be above zero");
    bad = doc;
    bad.nlines = 0;
    refused(&bad, "it needs 1-16 lines");
    bad = doc;
    bad.due = sample_day(2027, 4, 1);
    refused(&bad, "the due date is missing or before the issue date");
    bad = doc;
    bad.buyer = bad.seller;
    refused(&bad, "the seller and the buyer are the same organisation");
    bad = doc;
    bad.note[0] = '\x01';
    refused(&bad, "a note or reference is not text or too long");
    bad = doc;
    bad.kind = UBL_CREDIT_NOTE;
    refused(&bad, "credit note 'FAK-2027-000001': the invoice it credits is missing");
    bad = doc;
    bad.kind = (enum ubl_kind)384;
    refused(&bad, "the type is neither 380 nor 381");
    /* a reclaim that is not decided, or waived in whole, is no invoice */
    struct reclaim *r = malloc(sizeof(*r));
    struct ubl_party s;
    sample_seller(&s);
    sample_reclaim(r, 0);
    r->decided_by[0] = '\0';
    assert_int_equal(ubl_invoice_from_reclaim(r, &s, SAMPLE_BANKGIRO, "FAK-2027-000009",
                                              "202700000120", sample_day(2027, 4, 15), &bad, &d),
                     ERR_INVALID);
    sample_reclaim(r, 0);
    r->lines[0].waived = r->lines[0].proposed;
    r->lines[1].waived = r->lines[1].proposed;
    assert_int_equal(ubl_invoice_from_reclaim(r, &s, SAMPLE_BANKGIRO, "FAK-2027-000009",
                                              "202700000120", sample_day(2027, 4, 15), &bad, &d),
                     ERR_INVALID);
    assert_non_null(strstr(d.msg[d.n - 1], "nothing to invoice"));
    free(r);
    diag_release(&d);
    /* a buffer too small keeps what it had */
    struct buf small;
    buf_init(&small, 100);
    diag_init(&d, 5);
    assert_int_equal(ubl_write(&doc, &small, &d), ERR_LIMIT);
    assert_int_equal(small.len, 0);
    diag_release(&d);
    buf_release(&small);
}

/* --- the shipped schemas are the copies their provenance names -------- */

static const char *src_dir(void)
{
    const char *s = getenv("BIDRAG_SRC");
    return s ? s : BIDRAG_SOURCE_DIR;
}

static void file_sha(const char *path, char hex[65])
{
    struct buf b;
    buf_init(&b, 0);
    if (buf_read_file(&b, path) != ERR_OK)
        fail_msg("cannot read %s", path);
    struct sha256 s;
    unsigned char dig[32];
    sha256_init(&s);
    sha256_update(&s, b.p, b.len);
    sha256_final(&s, dig);
    sha256_hex(dig, hex);
    buf_release(&b);
}

/* Every file under dir (relative names into names, at most max). */
static size_t list_files(const char *root, const char *rel, char (*names)[256], size_t n,
                         size_t max)
{
    char path[1500];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *e = readdir(d);
    for (; e; e = readdir(d)) {
        if (e->d_name[0] == '.')
            continue;
        char sub[512], full[2100];
        snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(full, sizeof(full), "%s/%s", root, sub);
        struct stat st;
        assert_int_equal(stat(full, &st), 0);
        if (S_ISDIR(st.st_mode))
            n = list_files(root, sub, names, n, max);
        else if (n < max)
            snprintf(names[n++], 256, "%.255s", sub);
    }
    closedir(d);
    return n;
}

static void check_copies(const char *folder)
{
    char root[1200], prov_path[1300];
    snprintf(root, sizeof(root), "%s/data/schemas/%s", src_dir(), folder);
    snprintf(prov_path, sizeof(prov_path), "%s/PROVENANCE.md", root);
    struct buf prov;
    buf_init(&prov, 0);
    assert_int_equal(buf_read_file(&prov, prov_path), ERR_OK);
    static char names[64][256];
    size_t n = list_files(root, "", names, 0, 64);
    const char *sh = getenv("BIDRAG_SHARED");
    char shared[1200];
    if (sh)
        snprintf(shared, sizeof(shared), "%s/schemas/%s", sh, folder);
    else
        snprintf(shared, sizeof(shared), "%s/../shared/schemas/%s", src_dir(), folder);
    size_t checked = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], "PROVENANCE.md") == 0)
            continue;
        char path[1500], hex[65], row[400];
        snprintf(path, sizeof(path), "%s/%s", root, names[i]);
        file_sha(path, hex);
        snprintf(row, sizeof(row), "| %s | `%s` |", names[i], hex);
        if (!strstr(prov.p, row))
            fail_msg("%s/%s: '%s' is not in its PROVENANCE.md", folder, names[i], row);
        snprintf(path, sizeof(path), "%s/%s", shared, names[i]);
        struct stat st;
        if (stat(path, &st) == 0) {
            char other[65];
            file_sha(path, other);
            if (strcmp(hex, other) != 0)
                fail_msg("%s/%s differs from ../shared", folder, names[i]);
        }
        checked++;
    }
    assert_true(checked >= 5);
    buf_release(&prov);
}

static void test_schema_copies(void **state)
{
    (void)state;
    check_copies("ubl-2.1");
    check_copies("peppol-bis-billing-3");
    check_copies("schxslt-2.0");
    /* the rules are the releases ../shared/schemas/PROVENANCE.md names */
    char path[1500], hex[65];
    snprintf(path, sizeof(path),
             "%s/data/schemas/peppol-bis-billing-3/rules/sch/PEPPOL-EN16931-UBL.sch", src_dir());
    file_sha(path, hex);
    assert_string_equal(hex, "2840f5158f7bbdbf3b3f5d2ea391b9ac9e649e1fdbba8502bd8c15ec52924f23");
    snprintf(path, sizeof(path),
             "%s/data/schemas/peppol-bis-billing-3/rules/sch/CEN-EN16931-UBL.sch", src_dir());
    file_sha(path, hex);
    assert_string_equal(hex, "3c4d9d9161eca5f0a7e02d8a83975a90838439364d7c34007e8e4a32f342be1e");
    snprintf(path, sizeof(path), "%s/data/schemas/ubl-2.1/xsd/maindoc/UBL-Invoice-2.1.xsd",
             src_dir());
    file_sha(path, hex);
    assert_string_equal(hex, "40fae8cb436f3a9506d7acce65ba162caef3b0bed4d5cbc0992b2153ded4edf4");
}

/* io_test_ubl --write DIR: the samples as files, for xmllint */
static int write_all(const char *dir)
{
    for (int i = 0; i < SAMPLE_COUNT; i++) {
        struct buf b;
        buf_init(&b, 0);
        struct ubl_doc doc;
        struct diag d;
        diag_init(&d, 20);
        enum err e = sample_doc(i, &doc, &d);
        if (!e)
            e = ubl_write(&doc, &b, &d);
        if (e) {
            diag_print(&d, stderr);
            return 1;
        }
        char path[2048];
        snprintf(path, sizeof(path), "%s/%s", dir, sample_name(i));
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(b.p, 1, b.len, f) != b.len || fclose(f) != 0) {
            fprintf(stderr, "cannot write %s\n", path);
            return 1;
        }
        diag_release(&d);
        buf_release(&b);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write") == 0)
        return write_all(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invoices),          cmocka_unit_test(test_invoice_content),
        cmocka_unit_test(test_escapes_and_bytes), cmocka_unit_test(test_credit_notes),
        cmocka_unit_test(test_refused),           cmocka_unit_test(test_schema_copies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
