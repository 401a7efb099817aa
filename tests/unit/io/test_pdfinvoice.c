/* test_pdfinvoice.c - the PDF invoice and credit note for recipients who
 * do not receive Peppol, drawn from the same documents as the e-invoices
 * (ubl_samples.h): a well-formed PDF with its title; (when pdftotext from
 * poppler-utils is installed) the numbers, both parties' organisation
 * numbers, the reference, every line and the total, and how to pay -
 * bankgiro, OCR, due date - or the invoice a credit note credits; a long
 * invoice runs over pages; missing fields are refused; the size cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../skip.h"
#include "io/pdfdoc.h"
#include "ubl_samples.h"

/* fontconfig leaks a little while parsing its configuration (outside our
 * reach); tell LeakSanitizer, when present. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static int has_pdftotext(void)
{
    return system("command -v pdftotext >/dev/null 2>&1") == 0;
}

/* The PDF's text by pdftotext with spaces and line breaks folded away;
 * 0 if unavailable. */
static int pdf_text(const struct buf *pdf, char *out, size_t n, int *pages)
{
    char path[128], cmd[300];
    snprintf(path, sizeof(path), "/tmp/bidrag-test-pdfinvoice-%d.pdf", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(pdf->p, 1, pdf->len, f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "pdftotext -layout -enc UTF-8 '%s' -", path);
    FILE *p = popen(cmd, "r");
    size_t k = 0;
    if (p) {
        k = fread(out, 1, n - 1, p);
        pclose(p);
    }
    out[k] = '\0';
    remove(path);
    *pages = 0;
    size_t j = 0;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = (unsigned char)out[i];
        if (c == '\f')
            (*pages)++;
        if (c != '\n' && c != ' ' && c != '\f' && c != 0xc2 && c != 0xa0)
            out[j++] = out[i];
    }
    out[j] = '\0';
    return k > 0;
}

static void pdf_of(int i, struct buf *b, struct ubl_doc *doc)
{
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(sample_doc(i, doc, &d), ERR_OK);
    diag_release(&d);
    buf_init(b, PDFDOC_MAX_BYTES);
    assert_int_equal(pdfdoc_invoice(doc, b), ERR_OK);
    assert_true(b->len > 1000);
    assert_memory_equal(b->p, "%PDF-", 5);
}

static void want_all(const char *text, const char *const *want, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (!strstr(text, want[i]))
            fail_msg("'%s' not in the %s", want[i], what);
}

static void test_invoice(void **state)
{
    (void)state;
    struct buf b;
    struct ubl_doc doc;
    pdf_of(0, &b, &doc);
    if (!has_pdftotext()) {
        buf_release(&b);
        test_skip("pdftotext missing: the invoice's text is not checked");
    }
    static char text[1 << 17];
    int pages = 0;
    assert_true(pdf_text(&b, text, sizeof(text), &pages));
    const char *want[] = {"FAKTURA",
                          "FAK-2027-000001",
                          "2027-04-15",
                          "Förfallodag2027-05-17",
                          "ATK-2027-000001",
                          "S2026/00123",
                          "ErreferensKS-4711",
                          "StockholmskommunOrg.nr212000-0142",
                          "ExempelmyndighetenOrg.nr202100-9994",
                          "Återkrav:Kommuner100000kr",
                          "Återkrav:Ledarskap25000,50kr",
                          "Attbetala125000,50kr",
                          "Bankgiro5050-1055",
                          "OCR-nummer202700000120",
                          "Senast2027-05-17"};
    want_all(text, want, sizeof(want) / sizeof(want[0]), "invoice's text");
    buf_release(&b);
}

static void test_credit_note(void **state)
{
    (void)state;
    struct buf b;
    struct ubl_doc doc;
    pdf_of(4, &b, &doc);
    if (!has_pdftotext()) {
        buf_release(&b);
        test_skip("pdftotext missing: the credit note's text is not checked");
    }
    {
        static char text[1 << 17];
        int pages = 0;
        assert_true(pdf_text(&b, text, sizeof(text), &pages));
        const char *want[] = {"KREDITFAKTURA", "KRE-2027-000001",
                              "KrediterarfakturaFAK-2027-000001(2027-04-15)",
                              "Attkreditera20000,50kr"};
        want_all(text, want, sizeof(want) / sizeof(want[0]), "credit note's text");
        assert_null(strstr(text, "OCR-nummer"));
    }
    buf_release(&b);
}

static void test_long_and_refused(void **state)
{
    (void)state;
    struct buf b;
    struct ubl_doc doc;
    pdf_of(3, &b, &doc); /* sixteen lines, awkward characters */
    if (has_pdftotext()) {
        static char text[1 << 17];
        int pages = 0;
        assert_true(pdf_text(&b, text, sizeof(text), &pages));
        assert_non_null(strstr(text, "Block16:\"A\"&<B>'ö'"));
        assert_non_null(strstr(text, "999999999999,99kr"));
    }
    buf_release(&b);
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(sample_doc(0, &doc, &d), ERR_OK);
    diag_release(&d);
    struct ubl_doc bad = doc;
    buf_init(&b, PDFDOC_MAX_BYTES);
    bad.due.y = 0;
    assert_int_equal(pdfdoc_invoice(&bad, &b), ERR_INVALID);
    bad = doc;
    bad.payment_id[0] = '\0';
    assert_int_equal(pdfdoc_invoice(&bad, &b), ERR_INVALID);
    bad = doc;
    str_copy(bad.buyer.orgnr, sizeof(bad.buyer.orgnr), "2120000143");
    assert_int_equal(pdfdoc_invoice(&bad, &b), ERR_INVALID);
    bad = doc;
    bad.nlines = 0;
    assert_int_equal(pdfdoc_invoice(&bad, &b), ERR_INVALID);
    bad = doc;
    bad.kind = UBL_CREDIT_NOTE;
    assert_int_equal(pdfdoc_invoice(&bad, &b), ERR_INVALID); /* no invoice to credit */
    assert_int_equal(b.len, 0);
    /* a recipient outside Peppol may have given no reference */
    bad = doc;
    bad.buyer_reference[0] = '\0';
    assert_int_equal(pdfdoc_invoice(&bad, &b), ERR_OK);
    buf_release(&b);
    struct buf small;
    buf_init(&small, 2000);
    assert_int_equal(pdfdoc_invoice(&doc, &small), ERR_LIMIT);
    buf_release(&small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invoice),
        cmocka_unit_test(test_credit_note),
        cmocka_unit_test(test_long_and_refused),
    };
    return test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
