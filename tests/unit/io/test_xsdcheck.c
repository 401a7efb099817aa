/* test_xsdcheck.c - XSD validation in memory: the shipped schema is the
 * byte-exact copy its PROVENANCE names; the hand-written sample in
 * ../shared validates; documents breaking the schema, not well-formed,
 * with a DTD or empty are refused with "name:line: message"; a missing or
 * broken schema is an error; threads may share one compiled schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/xsdcheck.h"
#include "util/buf.h"
#include "util/sha256.h"

static const char *src(void)
{
    const char *s = getenv("BIDRAG_SRC");
    return s ? s : BIDRAG_SOURCE_DIR;
}

static const char *shared(void)
{
    static char path[1024];
    const char *s = getenv("BIDRAG_SHARED");
    if (s)
        return s;
    snprintf(path, sizeof(path), "%s/../shared", src());
    return path;
}

static struct xsdcheck *open_pain001(void)
{
    char path[2200];
    snprintf(path, sizeof(path), "%s/data/%s", src(), XSDCHECK_PAIN001);
    struct xsdcheck *x = NULL;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(xsdcheck_open(path, &x, &d), ERR_OK);
    diag_release(&d);
    return x;
}

static void read_file(const char *path, struct buf *b)
{
    buf_init(b, 0);
    if (buf_read_file(b, path) != ERR_OK)
        fail_msg("cannot read %s", path);
}

static void test_provenance(void **state)
{
    (void)state;
    char path[2200];
    snprintf(path, sizeof(path), "%s/data/%s", src(), XSDCHECK_PAIN001);
    struct buf b;
    read_file(path, &b);
    struct sha256 s;
    unsigned char dig[32];
    char hex[65];
    sha256_init(&s);
    sha256_update(&s, b.p, b.len);
    sha256_final(&s, dig);
    sha256_hex(dig, hex);
    /* the value written in data/schemas/iso20022/PROVENANCE.md */
    assert_string_equal(hex, "ed4be42522e3e35b108b3ad2ebbcc65da987cddbf6cfdc20828cd4fd0d69c51a");
    struct buf prov;
    snprintf(path, sizeof(path), "%s/data/schemas/iso20022/PROVENANCE.md", src());
    read_file(path, &prov);
    assert_non_null(strstr(prov.p, hex));
    buf_release(&prov);
    /* the same bytes as the collected copy, when it is there */
    struct buf other;
    buf_init(&other, 0);
    snprintf(path, sizeof(path), "%s/schemas/iso20022/pain.001.001.03.xsd", shared());
    if (buf_read_file(&other, path) == ERR_OK) {
        assert_int_equal(other.len, b.len);
        assert_memory_equal(other.p, b.p, b.len);
    }
    buf_release(&other);
    buf_release(&b);
}

static void test_sample_validates(void **state)
{
    (void)state;
    struct xsdcheck *x = open_pain001();
    char path[2200];
    snprintf(path, sizeof(path), "%s/schemas/iso20022/example-pain.001.001.03-bankgiro.xml",
             shared());
    struct buf b;
    buf_init(&b, 0);
    if (buf_read_file(&b, path) != ERR_OK) {
        buf_release(&b);
        xsdcheck_free(x);
        skip();
    }
    struct diag d;
    diag_init(&d, 10);
    enum err e = xsdcheck_validate(x, b.p, b.len, "sample.xml", &d);
    if (e)
        diag_print(&d, stderr);
    assert_int_equal(e, ERR_OK);
    assert_int_equal(d.total, 0);
    diag_release(&d);
    buf_release(&b);
    xsdcheck_free(x);
}

static const char good[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\">\n"
    "<CstmrCdtTrfInitn>\n"
    "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-01-15T09:30:00</CreDtTm><NbOfTxs>1</NbOfTxs>\n"
    "<InitgPty><Nm>X</Nm></InitgPty></GrpHdr>\n"
    "<PmtInf><PmtInfId>P1</PmtInfId><PmtMtd>TRF</PmtMtd><ReqdExctnDt>2026-01-20</ReqdExctnDt>\n"
    "<Dbtr><Nm>X</Nm></Dbtr><DbtrAcct><Id><IBAN>SE4550000000058398257466</IBAN></Id></DbtrAcct>\n"
    "<DbtrAgt><FinInstnId><BIC>ESSESESS</BIC></FinInstnId></DbtrAgt>\n"
    "<CdtTrfTxInf><PmtId><EndToEndId>E1</EndToEndId></PmtId>\n"
    "<Amt><InstdAmt Ccy=\"SEK\">1.00</InstdAmt></Amt>\n"
    "<Cdtr><Nm>Y</Nm></Cdtr></CdtTrfTxInf></PmtInf>\n"
    "</CstmrCdtTrfInitn>\n"
    "</Document>\n";

/* Replace the first from with to in good; caller frees. */
static char *variant(const char *from, const char *to)
{
    const char *at = strstr(good, from);
    assert_non_null(at);
    size_t n = strlen(good) - strlen(from) + strlen(to) + 1;
    char *s = malloc(n);
    assert_non_null(s);
    snprintf(s, n, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
    return s;
}

static void refused(struct xsdcheck *x, const char *doc, const char *want)
{
    struct diag d;
    diag_init(&d, 20);
    assert_int_equal(xsdcheck_validate(x, doc, strlen(doc), "f.xml", &d), ERR_INVALID);
    int found = 0;
    for (size_t i = 0; i < d.n; i++)
        found |= strstr(d.msg[i], want) != NULL;
    if (!found) {
        diag_print(&d, stderr);
        fail_msg("no message with '%s'", want);
    }
    diag_release(&d);
}

static void test_refusals(void **state)
{
    (void)state;
    struct xsdcheck *x = open_pain001();
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(xsdcheck_validate(x, good, strlen(good), "good.xml", &d), ERR_OK);
    diag_release(&d);

    char *v = variant("Ccy=\"SEK\"", "Ccy=\"sek\"");
    refused(x, v,
            "f.xml:10: element 'InstdAmt', attribute 'Ccy': [facet 'pattern'] the value "
            "'sek' is not accepted by the pattern '[A-Z]{3,3}'");
    free(v);
    v = variant("<NbOfTxs>1</NbOfTxs>", "");
    refused(x, v, "f.xml:5: element 'InitgPty': this element is not expected");
    free(v);
    v = variant(">1.00<", ">1.000001<");
    refused(x, v, "f.xml:10: element 'InstdAmt'");
    free(v);
    v = variant("<EndToEndId>E1</EndToEndId>",
                "<EndToEndId>E123456789012345678901234567890123456</EndToEndId>");
    refused(x, v, "f.xml:9: element 'EndToEndId'");
    free(v);
    v = variant("</Cdtr>", "</Cdtr><Bogus/>");
    refused(x, v, "f.xml:11: element 'Bogus': this element is not expected");
    free(v);
    v = variant("</Document>", "</Documen>");
    refused(x, v, "f.xml:13: ");
    free(v);
    v = variant("<Document ", "<!DOCTYPE Document SYSTEM \"http://example.invalid/x.dtd\">\n"
                              "<Document ");
    refused(x, v, "a document type declaration is not accepted");
    free(v);
    v = variant("<Document ", "<!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
                              "<Document ");
    refused(x, v, "a document type declaration is not accepted");
    free(v);
    v = variant("urn:iso:std:iso:20022:tech:xsd:pain.001.001.03",
                "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09");
    refused(x, v, "f.xml:2: element 'Document': no matching global declaration available");
    free(v);
    refused(x, "", "f.xml: the document is empty");
    refused(x, "plain text", "f.xml:1: ");
    xsdcheck_free(x);
}

static void test_bad_schema(void **state)
{
    (void)state;
    struct xsdcheck *x = NULL;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(xsdcheck_open("/nonexistent/schema.xsd", &x, &d), ERR_NOTFOUND);
    assert_null(x);
    assert_string_equal(d.msg[0], "/nonexistent/schema.xsd: no such file");
    diag_release(&d);
    char path[2200];
    snprintf(path, sizeof(path), "%s/data/schemas/iso20022/PROVENANCE.md", src());
    diag_init(&d, 10);
    assert_int_equal(xsdcheck_open(path, &x, &d), ERR_PARSE);
    assert_null(x);
    assert_true(d.n > 0);
    diag_release(&d);
    /* a well-formed document that is not a schema */
    snprintf(path, sizeof(path), "%s/schemas/iso20022/example-pain.001.001.03-bankgiro.xml",
             shared());
    diag_init(&d, 10);
    enum err e = xsdcheck_open(path, &x, &d);
    assert_true(e == ERR_PARSE || e == ERR_NOTFOUND);
    assert_null(x);
    diag_release(&d);
}

struct job {
    struct xsdcheck *x;
    int failures;
};

static void *worker(void *arg)
{
    struct job *j = arg;
    for (int i = 0; i < 40; i++) {
        struct diag d;
        diag_init(&d, 5);
        if (xsdcheck_validate(j->x, good, strlen(good), "t.xml", &d) != ERR_OK)
            j->failures++;
        diag_release(&d);
        diag_init(&d, 5);
        if (xsdcheck_validate(j->x, "<a/>", 4, "t.xml", &d) != ERR_INVALID)
            j->failures++;
        diag_release(&d);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    struct xsdcheck *x = open_pain001();
    pthread_t t[4];
    struct job j[4];
    for (int i = 0; i < 4; i++) {
        j[i] = (struct job){x, 0};
        assert_int_equal(pthread_create(&t[i], NULL, worker, &j[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(j[i].failures, 0);
    }
    xsdcheck_free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_provenance), cmocka_unit_test(test_sample_validates),
        cmocka_unit_test(test_refusals),   cmocka_unit_test(test_bad_schema),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
