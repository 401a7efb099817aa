/* test_pdfdoc.c - decision and receipt PDFs: well-formed PDF, metadata,
 * required fields, the size cap, a long text over several pages, and
 * the Swedish texts read back with pdftotext (poppler-utils); without it the
 * tests are reported skipped, and fail under CI=true. */
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

/* fontconfig leaks a little while parsing its configuration (outside our
 * reach); tell LeakSanitizer, when present. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* First occurrence of needle in the buffer, NULL if none. */
static const char *find(const struct buf *b, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= b->len && i <= b->len - n; i++)
        if (memcmp(b->p + i, needle, n) == 0)
            return b->p + i;
    return NULL;
}

static int has_pdftotext(void)
{
    return system("command -v pdftotext >/dev/null 2>&1") == 0;
}

/* The text of a PDF by pdftotext, into out; 0 if unavailable. */
static int pdf_text(const struct buf *pdf, char *out, size_t n)
{
    char path[128], cmd[300];
    snprintf(path, sizeof(path), "/tmp/bidrag-test-pdfdoc-%d.pdf", (int)getpid());
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

static long digits_value(const char *s)
{
    long v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (*s++ - '0');
    return v;
}

static void assert_pdf(const struct buf *b)
{
    assert_true(b->len > 1000);
    assert_memory_equal(b->p, "%PDF-", 5);
    struct buf tail = {b->p + b->len - 8, 8, 8, 8, 0};
    assert_non_null(find(&tail, "%%EOF"));
}

/* The text with pdftotext's layout breaks and spaces folded away. */
static void squeeze(char *s)
{
    size_t k = 0;
    for (size_t i = 0; s[i]; i++)
        if (s[i] != '\n' && s[i] != ' ' && (unsigned char)s[i] != 0xc2 &&
            (unsigned char)s[i] != 0xa0)
            s[k++] = s[i];
    s[k] = '\0';
}

static void test_decision(void **state)
{
    (void)state;
    struct pdfdoc_decision d;
    memset(&d, 0, sizeof(d));
    d.kind = PDFDOC_ORIGINAL;
    d.number = "BES-2026-000001";
    d.case_no = "REK-2026-000001";
    d.diarienummer = "Regeringsbeslut 2026-01-22 nr II:5";
    d.program_title = "Stärkt kompetensförsörjning i hälso- och sjukvården 2026";
    d.recipient_code = "0180";
    d.recipient_name = "Stockholm";
    d.amount_ore = INT64_C(1234567800);
    d.requested_ore = INT64_C(1234567800);
    date_parse("2026-05-04", &d.decided_on);
    date_parse("2027-01-31", &d.reporting_deadline);
    date_parse("2027-03-31", &d.repayment_deadline);
    d.decided_by = "Karin Åström";
    d.appeal_basis = "förvaltningslagen (2017:900) 40–41 §§";
    struct buf b;
    buf_init(&b, PDFDOC_MAX_BYTES);
    assert_int_equal(pdfdoc_decision(&d, &b), ERR_OK);
    assert_pdf(&b);
    assert_non_null(find(&b, "Beslut BES-2026-000001"));
    assert_non_null(find(&b, "Socialstyrelsen"));
    if (has_pdftotext()) {
        static char text[65536];
        assert_true(pdf_text(&b, text, sizeof(text)));
        squeeze(text);
        const char *want[] = {
            "Socialstyrelsen", "BESLUT", "REK-2026-000001", "Regeringsbeslut2026-01-22nrII:5",
            "Stockholm(0180)", "12345678kr", "4maj2026", "31januari2027", "31mars2027",
            "Hurmanöverklagar", "förvaltningsrätten", "KarinÅström",
            /* the conditions quote the dates; the clause is definite */
            "tillSocialstyrelsensenastden31januari2027", "skabetalastillbakasenastden31mars2027",
            "överklagashosförvaltningsrätten(förvaltningslagen(2017:900)40–41" /* § squeezed */};
        for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
            if (!strstr(text, want[i]))
                fail_msg("'%s' not in the decision's text", want[i]);
        const char *never[] = {"detdatumsomangesnedan", "förordningsägeratt"};
        for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
            if (strstr(text, never[i]))
                fail_msg("'%s' in the decision's text", never[i]);
        /* a program whose decisions cannot be appealed says so, and only that */
        buf_reset(&b);
        d.appeal_none = 1;
        d.appeal_basis = "20 § förordningen (2099:1)";
        assert_int_equal(pdfdoc_decision(&d, &b), ERR_OK);
        assert_true(pdf_text(&b, text, sizeof(text)));
        squeeze(text);
        assert_non_null(strstr(text, "Beslutetfårinteöverklagas(20")); /* § squeezed */
        assert_non_null(strstr(text, "förordningen(2099:1))."));
        assert_null(strstr(text, "förvaltningsrätten"));
        d.appeal_none = 0;
        d.appeal_basis = NULL;
        /* a grant in full gives no reasons; less than requested gives
         * them under "Skäl för beslutet" (förvaltningslagen 32 §) */
        assert_null(strstr(text, "Skälförbeslutet"));
        buf_reset(&b);
        d.requested_ore = INT64_C(2000000000);
        d.reason = "Insats 2 ryms inte i syftet.";
        assert_int_equal(pdfdoc_decision(&d, &b), ERR_OK);
        assert_true(pdf_text(&b, text, sizeof(text)));
        squeeze(text);
        assert_non_null(strstr(text, "Skälförbeslutet"));
        assert_non_null(strstr(text, "Insats2rymsinteisyftet."));
        d.requested_ore = INT64_C(1234567800);
        d.reason = NULL;
    }
    buf_release(&b);

    /* rejection and supplementary decisions */
    buf_init(&b, PDFDOC_MAX_BYTES);
    d.kind = PDFDOC_REJECTION;
    d.amount_ore = 0;
    d.reason = "Insatserna avser inte statsbidragets syfte.";
    assert_int_equal(pdfdoc_decision(&d, &b), ERR_OK);
    assert_pdf(&b);
    buf_reset(&b);
    d.kind = PDFDOC_SUPPLEMENTARY;
    d.amount_ore = 98700;
    d.block_title = "Kommuner: fast belopp och befolkning";
    assert_int_equal(pdfdoc_decision(&d, &b), ERR_OK);
    assert_pdf(&b);
    buf_reset(&b);
    /* required fields */
    d.case_no = NULL;
    assert_int_equal(pdfdoc_decision(&d, &b), ERR_INVALID);
    buf_release(&b);
    if (!has_pdftotext())
        test_skip("pdftotext missing: the decision's text is not checked");
}

static void test_receipt(void **state)
{
    (void)state;
    static char longtext[30000];
    size_t k = 0;
    while (k + 13 < sizeof(longtext)) {
        memcpy(longtext + k, "Åtgärd än ", 12);
        k += 12;
    }
    longtext[k] = '\0';
    struct pdfdoc_measure m[2] = {
        {"Fler VFU-platser", "Handledarutbildning för sjuksköterskor i hemsjukvården.", 50000000},
        {"Cancervården", longtext, 25000000}};
    struct pdfdoc_receipt r;
    memset(&r, 0, sizeof(r));
    r.case_no = "REK-2026-000007";
    r.version = 2;
    r.received_at = "2026-04-15 12:00";
    r.diarienummer = "Regeringsbeslut 2026-01-22 nr II:5";
    r.program_title = "Stärkt kompetensförsörjning i hälso- och sjukvården 2026";
    r.recipient_code = "2580";
    r.recipient_name = "Luleå";
    r.submitted_by = "Örjan Ågren";
    r.amount_ore = 75000000;
    r.measures = m;
    r.nmeasures = 2;
    r.contact = "Åsa Öberg, asa@example.se, 0920-45 50 00";
    r.account = "Bankgiro 5050-1055";
    r.opt_in = 1;
    struct buf b;
    buf_init(&b, PDFDOC_MAX_BYTES);
    assert_int_equal(pdfdoc_receipt(&r, &b), ERR_OK);
    assert_pdf(&b);
    assert_non_null(find(&b, "Kvittens REK-2026-000007 version 2"));
    /* several pages */
    const char *count = find(&b, "/Count ");
    assert_non_null(count);
    assert_true(digits_value(count + 7) >= 2);
    if (has_pdftotext()) {
        static char text[262144];
        assert_true(pdf_text(&b, text, sizeof(text)));
        squeeze(text);
        const char *want[] = {"KVITTENS",   "REK-2026-000007", "Luleå(2580)",    "750000kr",
                              "ÖrjanÅgren", "2026-04-1512:00", "FlerVFU-platser"};
        for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
            if (!strstr(text, want[i]))
                fail_msg("'%s' not in the receipt's text", want[i]);
    }
    buf_release(&b);
    /* the cap holds */
    buf_init(&b, 2000);
    assert_int_equal(pdfdoc_receipt(&r, &b), ERR_LIMIT);
    buf_release(&b);
    if (!has_pdftotext())
        test_skip("pdftotext missing: the receipt's text is not checked");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decision),
        cmocka_unit_test(test_receipt),
    };
    return test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
