/* test_ublcheck.c - validation before anything leaves: every invoice and
 * credit note the writer makes (ubl_samples.h) passes the UBL 2.1 XSD and
 * both Peppol schematrons with no fatal finding; the shared example
 * reclaim invoice (written by hand, elsewhere) passes; hand-broken
 * invoices are blocked with the rule named - a bad check digit in the
 * buyer's organisation number (PEPPOL-COMMON-R049), no BuyerReference
 * (PEPPOL-EN16931-R003), a seller VAT identifier (BR-O-02), elements out
 * of order (the XSD), a document that is not UBL; the rules' release
 * comes with every result; a validator without its tools does not open.
 * Prints the time one invoice and a batch take.
 *
 * Needs Java, Saxon-HE and the rules compiled at build time: skipped when
 * they are missing, and failed instead under CI=true. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../skip.h"
#include "io/ublcheck.h"
#include "ubl_samples.h"
#include "util/buf.h"

static struct ublcheck *checker;
static struct diag open_diag;

static int setup(void **state)
{
    (void)state;
    struct ublcheck_config c;
    ublcheck_config_default(&c);
    diag_init(&open_diag, 20);
    if (ublcheck_open(&c, &checker, &open_diag) != ERR_OK)
        checker = NULL;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ublcheck_free(checker);
    diag_release(&open_diag);
    return 0;
}

static void need_checker(void)
{
    if (checker)
        return;
    diag_print(&open_diag, stderr);
    test_skip("the invoice validator did not open (install default-jre-headless and "
              "libsaxonhe-java, then rebuild)");
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_findings(const struct ublcheck_result *r)
{
    struct buf t;
    buf_init(&t, 0);
    ublcheck_result_text(r, &t);
    fprintf(stderr, "%s", t.p);
    buf_release(&t);
}

static void test_samples_pass(void **state)
{
    (void)state;
    need_checker();
    struct buf b[SAMPLE_COUNT];
    const char *docs[SAMPLE_COUNT];
    size_t lens[SAMPLE_COUNT];
    const char *names[SAMPLE_COUNT];
    for (int i = 0; i < SAMPLE_COUNT; i++) {
        struct ubl_doc doc;
        struct diag d;
        diag_init(&d, 20);
        buf_init(&b[i], 0);
        assert_int_equal(sample_doc(i, &doc, &d), ERR_OK);
        assert_int_equal(ubl_write(&doc, &b[i], &d), ERR_OK);
        diag_release(&d);
        docs[i] = b[i].p;
        lens[i] = b[i].len;
        names[i] = sample_name(i);
    }
    struct ublcheck_result res[SAMPLE_COUNT];
    struct diag d;
    diag_init(&d, 50);
    double t0 = now_s();
    enum err e = ublcheck_run_many(checker, docs, lens, names, SAMPLE_COUNT, res, &d);
    double t = now_s() - t0;
    if (e)
        diag_print(&d, stderr);
    assert_int_equal(e, ERR_OK);
    for (int i = 0; i < SAMPLE_COUNT; i++) {
        if (res[i].blocked || res[i].nfatal)
            print_findings(&res[i]);
        assert_int_equal(res[i].blocked, 0);
        assert_int_equal(res[i].nfatal, 0);
        assert_string_equal(res[i].root, i < 4 ? "Invoice" : "CreditNote");
        assert_non_null(strstr(res[i].release, "PEPPOL-EN16931-UBL 3.0.19 (sha256 2840f5158f7b)"));
        assert_non_null(strstr(res[i].release, "CEN-EN16931-UBL 1.3.14.1 (sha256 3c4d9d9161ec)"));
        if (res[i].nwarning)
            print_findings(&res[i]);
        assert_int_equal(res[i].nwarning, 0);
        ublcheck_result_release(&res[i]);
        buf_release(&b[i]);
    }
    print_message("figure: %d documents validated (XSD and both schematrons) in %.2f s\n",
                  SAMPLE_COUNT, t);
    diag_release(&d);
}

static void read_shared(struct buf *b, const char *rel)
{
    char path[2200];
    const char *sh = getenv("BIDRAG_SHARED");
    const char *src = getenv("BIDRAG_SRC");
    if (sh)
        snprintf(path, sizeof(path), "%s/%s", sh, rel);
    else
        snprintf(path, sizeof(path), "%s/../shared/%s", src ? src : BIDRAG_SOURCE_DIR, rel);
    buf_init(b, 0);
    if (buf_read_file(b, path) != ERR_OK) {
        buf_release(b);
        test_skip("the shared example is not there (../shared)");
    }
}

static void test_shared_example_passes(void **state)
{
    (void)state;
    need_checker();
    struct buf b;
    read_shared(&b, "schemas/peppol-bis-billing-3/examples-se/reclaim-invoice-example.xml");
    struct ublcheck_result r;
    struct diag d;
    diag_init(&d, 50);
    double t0 = now_s();
    enum err e = ublcheck_run(checker, b.p, b.len, "reclaim-invoice-example.xml", &r, &d);
    double t = now_s() - t0;
    if (e)
        diag_print(&d, stderr);
    assert_int_equal(e, ERR_OK);
    assert_int_equal(r.blocked, 0);
    assert_int_equal(r.nfatal, 0);
    assert_string_equal(r.root, "Invoice");
    print_message("figure: one invoice validated (XSD and both schematrons) in %.2f s\n", t);
    ublcheck_result_release(&r);
    buf_release(&b);
    diag_release(&d);
}

/* Replace every occurrence of from in text by to. */
static void replace(struct buf *out, const char *text, const char *from, const char *to)
{
    buf_reset(out);
    size_t fl = strlen(from);
    const char *p = text;
    int n = 0;
    for (const char *q = strstr(p, from); q; q = strstr(p, from)) {
        buf_append(out, p, (size_t)(q - p));
        buf_puts(out, to);
        p = q + fl;
        n++;
    }
    buf_puts(out, p);
    assert_true(n > 0);
}

static int has_rule(const struct ublcheck_result *r, const char *source, const char *rule)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].flag == SVRL_FATAL && strcmp(r->v[i].source, source) == 0 &&
            strcmp(r->v[i].rule, rule) == 0)
            return 1;
    return 0;
}

static void test_broken_blocked(void **state)
{
    (void)state;
    need_checker();
    struct ubl_doc doc;
    struct diag d;
    diag_init(&d, 100);
    struct buf good;
    buf_init(&good, 0);
    assert_int_equal(sample_doc(0, &doc, &d), ERR_OK);
    assert_int_equal(ubl_write(&doc, &good, &d), ERR_OK);
    enum { N = 5 };
    struct buf b[N];
    for (int i = 0; i < N; i++)
        buf_init(&b[i], 0);
    /* the buyer's organisation number with a wrong check digit */
    replace(&b[0], good.p, "2120000142", "2120000143");
    /* no BuyerReference */
    replace(&b[1], good.p, "  <cbc:BuyerReference>KS-4711</cbc:BuyerReference>\n", "");
    /* a seller VAT identifier on a category O invoice */
    replace(&b[2], good.p, "      <cac:PartyLegalEntity>\n        <cbc:RegistrationName>Exempel",
            "      <cac:PartyTaxScheme>\n        <cbc:CompanyID>SE202100999401</cbc:CompanyID>\n"
            "        <cac:TaxScheme>\n          <cbc:ID>VAT</cbc:ID>\n        </cac:TaxScheme>\n"
            "      </cac:PartyTaxScheme>\n"
            "      <cac:PartyLegalEntity>\n        <cbc:RegistrationName>Exempel");
    /* the due date after the type code: the XSD's order */
    replace(
        &b[3], good.p,
        "  <cbc:DueDate>2027-05-17</cbc:DueDate>\n  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
        "  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>\n  "
        "<cbc:DueDate>2027-05-17</cbc:DueDate>");
    /* not UBL at all */
    buf_puts(&b[4],
             "<?xml version=\"1.0\"?>\n<Invoice xmlns=\"urn:example\"><ID>1</ID></Invoice>\n");
    const char *docs[N];
    size_t lens[N];
    const char *names[N] = {"bad-orgnr.xml", "no-buyer-reference.xml", "vat-id.xml",
                            "out-of-order.xml", "not-ubl.xml"};
    for (int i = 0; i < N; i++) {
        docs[i] = b[i].p;
        lens[i] = b[i].len;
    }
    struct ublcheck_result res[N];
    enum err e = ublcheck_run_many(checker, docs, lens, names, N, res, &d);
    if (e != ERR_INVALID)
        diag_print(&d, stderr);
    assert_int_equal(e, ERR_INVALID);
    for (int i = 0; i < N; i++)
        assert_int_equal(res[i].blocked, 1);
    assert_true(has_rule(&res[0], "PEPPOL", "PEPPOL-COMMON-R049"));
    assert_true(has_rule(&res[1], "PEPPOL", "PEPPOL-EN16931-R003"));
    assert_true(has_rule(&res[2], "CEN", "BR-O-02"));
    assert_true(res[3].nfatal >= 1);
    assert_string_equal(res[3].v[0].source, "xsd");
    assert_non_null(strstr(res[3].v[0].text, "DueDate"));
    assert_string_equal(res[4].root, "");
    assert_string_equal(res[4].v[0].source, "xsd");
    /* each fatal finding is in d, named and with the rule */
    int seen = 0;
    for (size_t i = 0; i < d.n; i++)
        seen |= strstr(d.msg[i], "no-buyer-reference.xml: PEPPOL PEPPOL-EN16931-R003: A buyer "
                                 "reference or purchase order reference MUST be provided") != NULL;
    assert_true(seen);
    /* the text kept with a document names the rules' release */
    struct buf t;
    buf_init(&t, 0);
    assert_int_equal(ublcheck_result_text(&res[1], &t), ERR_OK);
    assert_non_null(strstr(t.p, "rules: PEPPOL-EN16931-UBL 3.0.19"));
    assert_non_null(strstr(t.p, "verdict: blocked"));
    assert_non_null(strstr(t.p, "PEPPOL fatal PEPPOL-EN16931-R003: "));
    buf_release(&t);
    for (int i = 0; i < N; i++) {
        ublcheck_result_release(&res[i]);
        buf_release(&b[i]);
    }
    buf_release(&good);
    diag_release(&d);
}

static void test_missing_tools(void **state)
{
    (void)state;
    struct ublcheck_config c;
    ublcheck_config_default(&c);
    str_copy(c.java, sizeof(c.java), "/nonexistent/java");
    str_copy(c.rules_dir, sizeof(c.rules_dir), "/nonexistent/rules");
    struct ublcheck *u = NULL;
    struct diag d;
    diag_init(&d, 20);
    assert_int_equal(ublcheck_open(&c, &u, &d), ERR_NOTFOUND);
    assert_null(u);
    int java = 0, rules = 0;
    for (size_t i = 0; i < d.n; i++) {
        java |= strstr(d.msg[i], "java '/nonexistent/java' is missing") != NULL;
        rules |= strstr(d.msg[i], "the compiled PEPPOL rules are missing") != NULL;
    }
    assert_true(java);
    assert_true(rules);
    diag_release(&d);
    /* a Saxon that fails is reported, not taken for a clean result */
    if (!checker)
        return;
    ublcheck_config_default(&c);
    str_copy(c.java, sizeof(c.java), "/bin/false");
    diag_init(&d, 20);
    assert_int_equal(ublcheck_open(&c, &u, &d), ERR_OK);
    struct ublcheck_result r;
    struct ubl_doc doc;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(sample_doc(0, &doc, &d), ERR_OK);
    assert_int_equal(ubl_write(&doc, &b, &d), ERR_OK);
    assert_int_equal(ublcheck_run(u, b.p, b.len, "x.xml", &r, &d), ERR_IO);
    buf_release(&b);
    assert_int_equal(r.n, 0);
    int said = 0;
    for (size_t i = 0; i < d.n; i++)
        said |= strstr(d.msg[i], "the PEPPOL rules did not run (Saxon failed)") != NULL;
    assert_true(said);
    ublcheck_free(u);
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples_pass),
        cmocka_unit_test(test_shared_example_passes),
        cmocka_unit_test(test_broken_blocked),
        cmocka_unit_test(test_missing_tools),
    };
    return test_exit(cmocka_run_group_tests(tests, setup, teardown));
}
