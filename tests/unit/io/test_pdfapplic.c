/* test_pdfapplic.c - the application PDFs: a decision with its reasons
 * and the appeal clause chosen by core/appeal, a grant, the specialist
 * certificate; well-formed PDF, required fields, the size cap, no whole
 * personnummer, and the Swedish texts read back with pdftotext
 * (poppler-utils); without it the text checks are reported skipped, and
 * fail under CI=true. */
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
#include "core/applic.h"
#include "core/kprov.h"
#include "core/personnr.h"
#include "core/specbevis.h"
#include "io/pdfdoc.h"

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static int has_pdftotext(void)
{
    return system("command -v pdftotext >/dev/null 2>&1") == 0;
}

static int pdf_text(const struct buf *pdf, char *out, size_t n)
{
    char path[128], cmd[300];
    snprintf(path, sizeof(path), "/tmp/bidrag-test-pdfapplic-%d.pdf", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(pdf->p, 1, pdf->len, f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' -", path);
    FILE *p = popen(cmd, "r");
    size_t k = 0;
    if (p) {
        k = fread(out, 1, n - 1, p);
        pclose(p);
    }
    out[k] = '\0';
    remove(path);
    return k > 0;
}

static void squeeze(char *s)
{
    size_t k = 0;
    for (size_t i = 0; s[i]; i++)
        if (s[i] != '\n' && s[i] != ' ' && (unsigned char)s[i] != 0xc2 &&
            (unsigned char)s[i] != 0xa0)
            s[k++] = s[i];
    s[k] = '\0';
}

static void assert_pdf(const struct buf *b)
{
    assert_true(b->len > 1000);
    assert_memory_equal(b->p, "%PDF-", 5);
}

static void want_text(const struct buf *b, const char *const *want, size_t n, const char *never)
{
    static char text[65536];
    assert_true(pdf_text(b, text, sizeof(text)));
    squeeze(text);
    for (size_t i = 0; i < n; i++)
        if (!strstr(text, want[i]))
            fail_msg("'%s' not in the text: %s", want[i], text);
    if (never && strstr(text, never))
        fail_msg("'%s' is in the text", never);
}

static struct date D(int y, int m, int d) {
    struct date x = {y, m, d};
    return x;
}

static void
test_decision(void **state)
{
    (void)state;
    /* the applicant, the decision and its clause as the core gives them */
    struct personnr_ident id;
    const char *why;
    assert_int_equal(personnr_ident_parse("811218-9876", D(2026, 3, 1), &id, &why), ERR_OK);
    char masked[PERSONNR_KEY_SIZE];
    personnr_ident_mask(&id, masked);
    size_t nb;
    const struct appeal_clause *table = appeal_builtin(&nb);
    struct applic_decision dec;
    assert_int_equal(applic_decide(KPROV_DEC_EXHAUSTED, APPLIC_REJECTED,
                                   "Du har använt alla tre försöken på det teoretiska provet.",
                                   D(2026, 10, 5), table, nb, &dec, &why),
                     ERR_OK);
    const struct pdfdoc_row rows[] = {{"Provtillfälle", "Teoretiskt prov 20 maj 2026, Umeå"},
                                      {"Försök", "3 av 3"}};
    struct pdfdoc_applic_decision d;
    memset(&d, 0, sizeof(d));
    d.number = "BES-2026-000123";
    d.case_no = "KPR-2026-000001";
    d.case_type_sv = "Kunskapsprov för läkare";
    d.applicant_name = "Amal Haddad";
    d.applicant_id = masked;
    d.granted = 0;
    d.decision = "Socialstyrelsen avslutar ärendet om kunskapsprov.";
    d.rows = rows;
    d.nrows = 2;
    d.reasons = dec.reasons;
    d.appeal = dec.appeal->text;
    d.decided_on = dec.decided_on;
    d.decided_by = "Karin Åström";
    struct buf b;
    buf_init(&b, PDFDOC_MAX_BYTES);
    assert_int_equal(pdfdoc_applic_decision(&d, &b), ERR_OK);
    assert_pdf(&b);
    if (has_pdftotext()) {
        const char *want[] = {"BESLUTOMAVSLAG",
                              "KPR-2026-000001",
                              "BES-2026-000123",
                              "AmalHaddad,19811218-****",
                              "5oktober2026",
                              "Skälförbeslutet",
                              "allatreförsöken",
                              "Hurmanöverklagar",
                              "inomtreveckor",
                              "förvaltningsrätten",
                              "3av3",
                              "KarinÅström"};
        want_text(&b, want, sizeof(want) / sizeof(want[0]), "9876");
    }
    /* a grant needs no reasons */
    buf_reset(&b);
    d.granted = 1;
    d.reasons = NULL;
    d.nrows = 0;
    d.decision = "Socialstyrelsen beslutar att du får gå vidare till kunskapsprovet.";
    assert_int_equal(pdfdoc_applic_decision(&d, &b), ERR_OK);
    assert_pdf(&b);
    /* required fields */
    buf_reset(&b);
    d.granted = 0;
    assert_int_equal(pdfdoc_applic_decision(&d, &b), ERR_INVALID); /* reasons */
    d.reasons = "Skäl.";
    d.appeal = NULL;
    assert_int_equal(pdfdoc_applic_decision(&d, &b), ERR_INVALID);
    d.appeal = "Text.";
    d.applicant_id = "";
    assert_int_equal(pdfdoc_applic_decision(&d, &b), ERR_INVALID);
    d.applicant_id = masked;
    d.decided_on = D(2026, 2, 30);
    assert_int_equal(pdfdoc_applic_decision(&d, &b), ERR_INVALID);
    assert_int_equal(b.len, 0);
    buf_release(&b);
    /* the cap holds */
    d.decided_on = D(2026, 3, 1);
    buf_init(&b, 2000);
    assert_int_equal(pdfdoc_applic_decision(&d, &b), ERR_LIMIT);
    buf_release(&b);
    if (!has_pdftotext())
        test_skip("pdftotext missing: the decision's text is not checked");
}

static void test_certificate(void **state)
{
    (void)state;
    struct pdfdoc_specialist c;
    memset(&c, 0, sizeof(c));
    c.number = "SPB-2027-000042";
    c.case_no = "SPB-2027-000042";
    c.holder_name = "Örjan Ågren";
    c.holder_id = "19811218-****";
    c.specialty = "Allmänmedicin";
    c.regime = specbevis_regime_name(SPECBEVIS_HSLF_2021_8);
    c.valid_from = D(2027, 10, 15);
    c.decided_by = "Karin Åström";
    struct buf b;
    buf_init(&b, PDFDOC_MAX_BYTES);
    assert_int_equal(pdfdoc_specialist_certificate(&c, &b), ERR_OK);
    assert_pdf(&b);
    if (has_pdftotext()) {
        const char *want[] = {"Bevisomspecialistkompetens",
                              "ÖrjanÅgren(19811218-****)",
                              "specialistkompetensinomAllmänmedicin",
                              "HSLF-FS2021:8",
                              "15oktober2027",
                              "ingenunderskrift",
                              "SPB-2027-000042"};
        want_text(&b, want, sizeof(want) / sizeof(want[0]), NULL);
    }
    buf_reset(&b);
    c.specialty = NULL;
    assert_int_equal(pdfdoc_specialist_certificate(&c, &b), ERR_INVALID);
    c.specialty = "Allmänmedicin";
    c.valid_from = D(0, 0, 0);
    assert_int_equal(pdfdoc_specialist_certificate(&c, &b), ERR_INVALID);
    buf_release(&b);
    if (!has_pdftotext())
        test_skip("pdftotext missing: the certificate's text is not checked");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decision),
        cmocka_unit_test(test_certificate),
    };
    return test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
