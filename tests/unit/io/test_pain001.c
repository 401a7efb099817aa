/* test_pain001.c - the bank file: every file written is validated
 * against the full ISO XSD with libxml2 (io/xsdcheck) and read back with
 * libxml2 XPath, independently of the writer: counts, sums, ids, the
 * bankgiro/plusgiro/IBAN/BBAN coding, service level and category purpose,
 * creditor names, remittance, execution dates, the character set; the
 * same batch gives the same bytes; bad input appends nothing.
 *
 * Run as "io_test_pain001 --write DIR" it writes the files it checks into
 * DIR instead, for tests/cli/test_pain001_xmllint.sh to validate them
 * again with xmllint --schema. */
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

#include "io/pain001.h"
#include "io/xsdcheck.h"

static struct xsdcheck *xsd;

static void xsd_open(void)
{
    if (xsd)
        return;
    const char *src = getenv("BIDRAG_SRC");
    char path[1024];
    snprintf(path, sizeof(path), "%s/data/%s", src ? src : BIDRAG_SOURCE_DIR, XSDCHECK_PAIN001);
    struct diag d;
    diag_init(&d, 10);
    enum err e = xsdcheck_open(path, &xsd, &d);
    if (e) {
        diag_print(&d, stderr);
        fail_msg("cannot open %s", path);
    }
    diag_release(&d);
}

static char luhn_digit(const char *digits)
{
    size_t len = strlen(digits);
    int sum = 0;
    for (size_t i = 0; i < len; i++) {
        int v = digits[len - 1 - i] - '0';
        if (i % 2 == 0) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return (char)('0' + (10 - sum % 10) % 10);
}

static void settings(struct pain001_settings *s, enum pain001_bank bank)
{
    pain001_settings_default(s, bank);
    snprintf(s->debtor_name, sizeof(s->debtor_name), "Socialstyrelsen");
    snprintf(s->debtor_iban, sizeof(s->debtor_iban), "SE4550000000058398257466");
    snprintf(s->initg_id, sizeof(s->initg_id), "123456789123B001");
}

static void header(struct pain001_header *h, const char *msg_id)
{
    memset(h, 0, sizeof(*h));
    snprintf(h->msg_id, sizeof(h->msg_id), "%s", msg_id);
    snprintf(h->created, sizeof(h->created), "2026-03-10T09:30:00");
    h->today = (struct date){2026, 3, 10};
}

static void pay(struct payment *p, int i, enum payment_acct kind, const char *number,
                const char *extra, const char *name, struct date due, int64_t amount)
{
    memset(p, 0, sizeof(*p));
    snprintf(p->decision, sizeof(p->decision), "BES-2026-%06d", i);
    p->seq = 1;
    p->issue = 1;
    snprintf(p->case_no, sizeof(p->case_no), "REK-2026-%06d", i);
    snprintf(p->diarienummer, sizeof(p->diarienummer), "Regeringsbeslut 2026-01-22 nr II:5");
    p->amount = amount;
    p->due = due;
    char msg[200];
    enum err e = payment_payee_set(&p->payee, kind, number, extra, name, msg, sizeof(msg));
    if (e)
        fail_msg("payee %s: %s", number, msg);
    p->state = PAYMENT_ATTESTED;
}

/* Six payees of every kind, two due dates (one already past). */
static size_t mixed(struct payment *p)
{
    struct date d1 = {2026, 3, 16}, d2 = {2026, 3, 20}, past = {2026, 3, 2};
    pay(&p[0], 1, PAYMENT_ACCT_BANKGIRO, "5050-1055", NULL, "Ale kommun", d1, 12500000);
    pay(&p[1], 2, PAYMENT_ACCT_PLUSGIRO, "90 20 01-7", NULL, "Region Gotland", d2, 99);
    pay(&p[2], 3, PAYMENT_ACCT_IBAN, "SE45 5000 0000 0583 9825 7466", NULL, "Åre kommun", d1,
        100000000);
    pay(&p[3], 4, PAYMENT_ACCT_IBAN, "DE89 3704 0044 0532 0130 00", "COBADEFFXXX",
        "Grenzregion Straße", d2, 5);
    pay(&p[4], 5, PAYMENT_ACCT_BBAN, "123 456 789-0", "8327-9", "Östra Göinge kommun", past,
        777777);
    pay(&p[5], 6, PAYMENT_ACCT_BANKGIRO, "5678-1230", NULL, "Söderhamns kommun", d1, 1);
    char ocr[16] = "4711000123";
    ocr[10] = luhn_digit(ocr);
    ocr[11] = '\0';
    snprintf(p[5].ocr, sizeof(p[5].ocr), "%s", ocr);
    return 6;
}

static enum err write_file(const struct pain001_settings *s, const struct pain001_header *h,
                           const struct payment *p, size_t n, struct buf *out, struct diag *d)
{
    buf_init(out, 0);
    diag_init(d, 50);
    return pain001_write(s, h, p, n, out, d);
}

/* --- reading the file back with XPath, independent of the writer --- */

struct doc {
    xmlDocPtr x;
    xmlXPathContextPtr c;
};

static void doc_open(struct doc *dc, const struct buf *b)
{
    dc->x = xmlReadMemory(b->p, (int)b->len, "pain001.xml", NULL, XML_PARSE_NONET);
    assert_non_null(dc->x);
    dc->c = xmlXPathNewContext(dc->x);
    xmlXPathRegisterNs(dc->c, (const xmlChar *)"p", (const xmlChar *)PAIN001_NS);
}

static void doc_close(struct doc *dc)
{
    xmlXPathFreeContext(dc->c);
    xmlFreeDoc(dc->x);
}

static xmlXPathObjectPtr xp(struct doc *dc, const char *expr, xmlNodePtr at)
{
    dc->c->node = at ? at : xmlDocGetRootElement(dc->x);
    xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, dc->c);
    if (!o)
        fail_msg("xpath %s", expr);
    return o;
}

static int xp_count(struct doc *dc, const char *expr, xmlNodePtr at)
{
    xmlXPathObjectPtr o = xp(dc, expr, at);
    int n = o->nodesetval ? o->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(o);
    return n;
}

/* The text of the single node expr finds ("" if none; fails on two). */
static void xp_text(struct doc *dc, const char *expr, xmlNodePtr at, char *out, size_t n)
{
    xmlXPathObjectPtr o = xp(dc, expr, at);
    int k = o->nodesetval ? o->nodesetval->nodeNr : 0;
    if (k > 1)
        fail_msg("%s: %d nodes", expr, k);
    out[0] = '\0';
    if (k == 1) {
        xmlChar *t = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
        snprintf(out, n, "%s", (const char *)t);
        xmlFree(t);
    }
    xmlXPathFreeObject(o);
}

/* "123.45" -> 12345 öre, written here without the reader's help. */
static int64_t ore_of(const char *s)
{
    const char *dot = strchr(s, '.');
    assert_non_null(dot);
    assert_int_equal(strlen(dot), 3);
    char whole[32];
    snprintf(whole, sizeof(whole), "%.*s", (int)(dot - s), s);
    return strtoll(whole, NULL, 10) * 100 + strtoll(dot + 1, NULL, 10);
}

static void check_totals(struct doc *dc, size_t n, int64_t total)
{
    char t[64];
    xp_text(dc, "/p:Document/p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", NULL, t, sizeof(t));
    assert_int_equal(strtol(t, NULL, 10), (long)n);
    xp_text(dc, "/p:Document/p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", NULL, t, sizeof(t));
    assert_int_equal(ore_of(t), total);
    assert_int_equal(xp_count(dc, "//p:CdtTrfTxInf", NULL), (int)n);
    xmlXPathObjectPtr blocks = xp(dc, "//p:PmtInf", NULL);
    int64_t all = 0;
    for (int i = 0; i < blocks->nodesetval->nodeNr; i++) {
        xmlNodePtr b = blocks->nodesetval->nodeTab[i];
        xmlXPathObjectPtr amts = xp(dc, "p:CdtTrfTxInf/p:Amt/p:InstdAmt", b);
        int64_t sum = 0;
        for (int k = 0; k < amts->nodesetval->nodeNr; k++) {
            xmlNodePtr a = amts->nodesetval->nodeTab[k];
            xmlChar *ccy = xmlGetProp(a, (const xmlChar *)"Ccy");
            assert_string_equal((const char *)ccy, "SEK");
            xmlFree(ccy);
            xmlChar *v = xmlNodeGetContent(a);
            sum += ore_of((const char *)v);
            xmlFree(v);
        }
        xp_text(dc, "p:NbOfTxs", b, t, sizeof(t));
        assert_int_equal(strtol(t, NULL, 10), amts->nodesetval->nodeNr);
        xp_text(dc, "p:CtrlSum", b, t, sizeof(t));
        assert_int_equal(ore_of(t), sum);
        xp_text(dc, "p:PmtTpInf/p:SvcLvl/p:Cd", b, t, sizeof(t));
        assert_string_equal(t, "NURG");
        xp_text(dc, "p:PmtTpInf/p:CtgyPurp/p:Cd", b, t, sizeof(t));
        assert_string_equal(t, "SUPP");
        xp_text(dc, "p:PmtMtd", b, t, sizeof(t));
        assert_string_equal(t, "TRF");
        xp_text(dc, "p:DbtrAcct/p:Ccy", b, t, sizeof(t));
        assert_string_equal(t, "SEK");
        all += sum;
        xmlXPathFreeObject(amts);
    }
    assert_int_equal(all, total);
    xmlXPathFreeObject(blocks);
    /* every transaction names its creditor */
    assert_int_equal(xp_count(dc, "//p:CdtTrfTxInf[not(p:Cdtr/p:Nm) or p:Cdtr/p:Nm='']", NULL), 0);
}

/* Only the characters the banks accept, in every text node. */
static void check_charset(const struct buf *b)
{
    const char *p = b->p;
    int in_tag = 0;
    for (; *p; p++) {
        if (*p == '<') {
            in_tag = 1;
            continue;
        }
        if (*p == '>') {
            in_tag = 0;
            continue;
        }
        if (in_tag || *p == '\n')
            continue;
        if (!strncmp(p, "&apos;", 6)) {
            p += 5;
            continue;
        }
        if (!strncmp(p, "å", 2) || !strncmp(p, "ä", 2) || !strncmp(p, "ö", 2) ||
            !strncmp(p, "Å", 2) || !strncmp(p, "Ä", 2) || !strncmp(p, "Ö", 2)) {
            p++;
            continue;
        }
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr(" /-?:().,'+", c)))
            fail_msg("character 0x%02x in the file", (unsigned char)c);
    }
}

static void validate(const struct buf *b, const char *name)
{
    xsd_open();
    struct diag d;
    diag_init(&d, 20);
    enum err e = xsdcheck_validate(xsd, b->p, b->len, name, &d);
    if (e) {
        diag_print(&d, stderr);
        fail_msg("%s does not validate", name);
    }
    diag_release(&d);
}

static void tx_text(struct doc *dc, const char *e2e, const char *rel, char *out, size_t n)
{
    char expr[300];
    snprintf(expr, sizeof(expr), "//p:CdtTrfTxInf[p:PmtId/p:EndToEndId='%s']/%s", e2e, rel);
    xp_text(dc, expr, NULL, out, n);
}

static void test_mixed(void **state)
{
    (void)state;
    struct payment p[6];
    size_t n = mixed(p);
    struct pain001_settings s;
    struct pain001_header h;
    settings(&s, PAIN001_DANSKE);
    header(&h, "UB-2026-0001-F1");
    struct buf out;
    struct diag d;
    enum err e = write_file(&s, &h, p, n, &out, &d);
    if (e) {
        diag_print(&d, stderr);
        fail_msg("write: %s", err_str(e));
    }
    validate(&out, "mixed.xml");
    check_charset(&out);
    struct doc dc;
    doc_open(&dc, &out);
    int64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += p[i].amount;
    check_totals(&dc, n, total);
    char t[300];
    /* ids: InstrId = EndToEndId = the payment's end-to-end id, each once */
    for (size_t i = 0; i < n; i++) {
        char e2e[PAYMENT_ID_SIZE], expr[200];
        assert_int_equal(payment_e2e_of(&p[i], e2e), ERR_OK);
        snprintf(expr, sizeof(expr), "//p:CdtTrfTxInf[p:PmtId/p:EndToEndId='%s']", e2e);
        assert_int_equal(xp_count(&dc, expr, NULL), 1);
        tx_text(&dc, e2e, "p:PmtId/p:InstrId", t, sizeof(t));
        assert_string_equal(t, e2e);
        tx_text(&dc, e2e, "p:Amt/p:InstdAmt", t, sizeof(t));
        assert_int_equal(ore_of(t), p[i].amount);
        tx_text(&dc, e2e, "p:Cdtr/p:Nm", t, sizeof(t));
        assert_string_equal(t, p[i].payee.name);
    }
    xp_text(&dc, "//p:GrpHdr/p:MsgId", NULL, t, sizeof(t));
    assert_string_equal(t, "UB-2026-0001-F1");
    xp_text(&dc, "//p:GrpHdr/p:InitgPty/p:Id/p:OrgId/p:Othr/p:Id", NULL, t, sizeof(t));
    assert_string_equal(t, "123456789123B001");
    xp_text(&dc, "//p:GrpHdr/p:InitgPty/p:Id/p:OrgId/p:Othr/p:SchmeNm/p:Cd", NULL, t, sizeof(t));
    assert_string_equal(t, "BANK");
    assert_int_equal(xp_count(&dc, "//p:PmtInf[p:DbtrAgt/p:FinInstnId/p:BIC='DABASESX']", NULL), 3);
    /* bankgiro: SESBA 9900, digits, BGNR */
    tx_text(&dc, "BES-2026-000001-1-1", "p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:ClrSysId/p:Cd", t,
            sizeof(t));
    assert_string_equal(t, "SESBA");
    tx_text(&dc, "BES-2026-000001-1-1", "p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId", t,
            sizeof(t));
    assert_string_equal(t, "9900");
    tx_text(&dc, "BES-2026-000001-1-1", "p:CdtrAcct/p:Id/p:Othr/p:Id", t, sizeof(t));
    assert_string_equal(t, "50501055");
    tx_text(&dc, "BES-2026-000001-1-1", "p:CdtrAcct/p:Id/p:Othr/p:SchmeNm/p:Prtry", t, sizeof(t));
    assert_string_equal(t, "BGNR");
    /* plusgiro: SESBA 9960 and BBAN (the default) */
    tx_text(&dc, "BES-2026-000002-1-1", "p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId", t,
            sizeof(t));
    assert_string_equal(t, "9960");
    tx_text(&dc, "BES-2026-000002-1-1", "p:CdtrAcct/p:Id/p:Othr/p:SchmeNm/p:Cd", t, sizeof(t));
    assert_string_equal(t, "BBAN");
    tx_text(&dc, "BES-2026-000002-1-1", "p:Amt/p:InstdAmt", t, sizeof(t));
    assert_string_equal(t, "0.99");
    /* IBAN: Swedish without BIC, German with */
    tx_text(&dc, "BES-2026-000003-1-1", "p:CdtrAcct/p:Id/p:IBAN", t, sizeof(t));
    assert_string_equal(t, "SE4550000000058398257466");
    assert_int_equal(xp_count(&dc,
                              "//p:CdtTrfTxInf[p:PmtId/p:EndToEndId='BES-2026-000003-1-1']"
                              "/p:CdtrAgt",
                              NULL),
                     0);
    tx_text(&dc, "BES-2026-000004-1-1", "p:CdtrAgt/p:FinInstnId/p:BIC", t, sizeof(t));
    assert_string_equal(t, "COBADEFFXXX");
    tx_text(&dc, "BES-2026-000004-1-1", "p:Cdtr/p:PstlAdr/p:Ctry", t, sizeof(t));
    assert_string_equal(t, "DE");
    tx_text(&dc, "BES-2026-000004-1-1", "p:Cdtr/p:Nm", t, sizeof(t));
    assert_string_equal(t, "Grenzregion Strasse");
    /* BBAN: the clearing number as member, clearing + account as BBAN */
    tx_text(&dc, "BES-2026-000005-1-1", "p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId", t,
            sizeof(t));
    assert_string_equal(t, "83279");
    tx_text(&dc, "BES-2026-000005-1-1", "p:CdtrAcct/p:Id/p:Othr/p:Id", t, sizeof(t));
    assert_string_equal(t, "832791234567890");
    /* remittance: OCR as SCOR, else Ustrd with the case and the diarienummer */
    tx_text(&dc, "BES-2026-000006-1-1", "p:RmtInf/p:Strd/p:CdtrRefInf/p:Ref", t, sizeof(t));
    assert_string_equal(t, p[5].ocr);
    tx_text(&dc, "BES-2026-000006-1-1", "p:RmtInf/p:Strd/p:CdtrRefInf/p:Tp/p:CdOrPrtry/p:Cd", t,
            sizeof(t));
    assert_string_equal(t, "SCOR");
    assert_int_equal(xp_count(&dc,
                              "//p:CdtTrfTxInf[p:PmtId/p:EndToEndId='BES-2026-000006-1-1']"
                              "/p:RmtInf/p:Ustrd",
                              NULL),
                     0);
    tx_text(&dc, "BES-2026-000001-1-1", "p:RmtInf/p:Ustrd", t, sizeof(t));
    assert_string_equal(t, "Statsbidrag REK-2026-000001, dnr Regeringsbeslut 2026-01-22 nr II:5");
    /* execution dates: one block per date, a past due date asked for today */
    assert_int_equal(xp_count(&dc, "//p:PmtInf", NULL), 3);
    assert_int_equal(xp_count(&dc, "//p:PmtInf[p:ReqdExctnDt='2026-03-10']/p:CdtTrfTxInf", NULL),
                     1);
    assert_int_equal(xp_count(&dc, "//p:PmtInf[p:ReqdExctnDt='2026-03-16']/p:CdtTrfTxInf", NULL),
                     3);
    assert_int_equal(xp_count(&dc, "//p:PmtInf[p:ReqdExctnDt='2026-03-20']/p:CdtTrfTxInf", NULL),
                     2);
    xp_text(&dc, "//p:PmtInf[p:ReqdExctnDt='2026-03-10']/p:PmtInfId", NULL, t, sizeof(t));
    assert_string_equal(t, "UB-2026-0001-F1-1");
    doc_close(&dc);

    /* the same batch and header: the same bytes (re-sending is idempotent),
     * also once the payments are in this file */
    struct buf again;
    struct diag d2;
    for (size_t i = 0; i < n; i++) {
        p[i].state = PAYMENT_IN_FILE;
        snprintf(p[i].file_id, sizeof(p[i].file_id), "UB-2026-0001-F1");
    }
    assert_int_equal(write_file(&s, &h, p, n, &again, &d2), ERR_OK);
    assert_int_equal(again.len, out.len);
    assert_memory_equal(again.p, out.p, out.len);
    buf_release(&again);
    diag_release(&d2);
    buf_release(&out);
    diag_release(&d);
}

static void test_swedbank_pgnr(void **state)
{
    (void)state;
    struct payment p[6];
    size_t n = mixed(p);
    struct pain001_settings s;
    struct pain001_header h;
    settings(&s, PAIN001_SWEDBANK);
    s.pg = PAIN001_PG_PGNR;
    s.bban_with_clearing = 0;
    s.batch_booking = 1;
    header(&h, "SWB-1");
    struct buf out;
    struct diag d;
    assert_int_equal(write_file(&s, &h, p, n, &out, &d), ERR_OK);
    validate(&out, "swedbank.xml");
    struct doc dc;
    doc_open(&dc, &out);
    char t[100];
    tx_text(&dc, "BES-2026-000002-1-1", "p:CdtrAcct/p:Id/p:Othr/p:SchmeNm/p:Prtry", t, sizeof(t));
    assert_string_equal(t, "PGNR");
    tx_text(&dc, "BES-2026-000005-1-1", "p:CdtrAcct/p:Id/p:Othr/p:Id", t, sizeof(t));
    assert_string_equal(t, "1234567890");
    assert_int_equal(xp_count(&dc, "//p:PmtInf[p:DbtrAgt/p:FinInstnId/p:BIC='SWEDSESS']", NULL), 3);
    assert_int_equal(xp_count(&dc, "//p:PmtInf[p:ChrgBr='SHAR'][p:BtchBookg='true']", NULL), 3);
    doc_close(&dc);
    buf_release(&out);
    diag_release(&d);
    struct pain001_settings dflt;
    pain001_settings_default(&dflt, PAIN001_DANSKE);
    assert_string_equal(dflt.debtor_bic, "DABASESX");
    assert_string_equal(dflt.charge_bearer, "");
    assert_string_equal(dflt.initg_id, "");
}

/* A batch as large as kompetens-2026's (311 recipients), amounts up to
 * the largest, checked the same way. */
static void test_many(void **state)
{
    (void)state;
    size_t n = 311;
    struct payment *p = calloc(n, sizeof(*p));
    assert_non_null(p);
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        char bg[16];
        /* bankgiro numbers with a valid check digit, made here */
        snprintf(bg, sizeof(bg), "%07zu", 1000000 + i * 37);
        size_t l = strlen(bg);
        bg[l] = luhn_digit(bg);
        bg[l + 1] = '\0';
        pay(&p[i], (int)i + 1, PAYMENT_ACCT_BANKGIRO, bg, NULL, "Mottagare",
            (struct date){2026, 4, 1}, (int64_t)(i + 1) * 123456789);
        total += p[i].amount;
    }
    struct pain001_settings s;
    struct pain001_header h;
    settings(&s, PAIN001_DANSKE);
    header(&h, "UB-2026-0311");
    struct buf out;
    struct diag d;
    assert_int_equal(write_file(&s, &h, p, n, &out, &d), ERR_OK);
    validate(&out, "many.xml");
    struct doc dc;
    doc_open(&dc, &out);
    check_totals(&dc, n, total);
    doc_close(&dc);
    buf_release(&out);
    diag_release(&d);
    free(p);
}

static void expect_refused(const struct pain001_settings *s, const struct pain001_header *h,
                           const struct payment *p, size_t n, const char *want)
{
    struct buf out;
    struct diag d;
    buf_init(&out, 0);
    buf_puts(&out, "keep");
    diag_init(&d, 50);
    assert_int_equal(pain001_write(s, h, p, n, &out, &d), ERR_INVALID);
    assert_string_equal(out.p, "keep"); /* nothing appended */
    int found = 0;
    for (size_t i = 0; i < d.n; i++)
        found |= strstr(d.msg[i], want) != NULL;
    if (!found) {
        diag_print(&d, stderr);
        fail_msg("no message with '%s'", want);
    }
    buf_release(&out);
    diag_release(&d);
}

static void test_refused(void **state)
{
    (void)state;
    struct payment p[6], q[6];
    size_t n = mixed(p);
    struct pain001_settings s, t;
    struct pain001_header h, g;
    settings(&s, PAIN001_DANSKE);
    header(&h, "F1");

    memcpy(q, p, sizeof(p));
    q[2].state = PAYMENT_IN_BATCH;
    expect_refused(&s, &h, q, n, "payment 'BES-2026-000003-1-1': it is in_batch, not attested");
    memcpy(q, p, sizeof(p));
    q[1].state = PAYMENT_IN_FILE;
    snprintf(q[1].file_id, sizeof(q[1].file_id), "F0");
    expect_refused(&s, &h, q, n, "it is in_file, not attested");
    memcpy(q, p, sizeof(p));
    q[3] = q[0];
    expect_refused(&s, &h, q, n, "the same payment twice");
    memcpy(q, p, sizeof(p));
    q[0].amount = 0;
    expect_refused(&s, &h, q, n, "the amount 0 öre is out of range");
    memcpy(q, p, sizeof(p));
    q[5].ocr[3] = q[5].ocr[3] == '9' ? '0' : (char)(q[5].ocr[3] + 1);
    expect_refused(&s, &h, q, n, "fails its check digit");
    memcpy(q, p, sizeof(p));
    snprintf(q[0].payee.number, sizeof(q[0].payee.number), "50501056");
    expect_refused(&s, &h, q, n, "the bankgiro number '50501056' is not valid");
    memcpy(q, p, sizeof(p));
    snprintf(q[0].payee.name, sizeof(q[0].payee.name), "Ale <kommun>");
    expect_refused(&s, &h, q, n, "the creditor name 'Ale <kommun>' is empty or not bank-safe");
    memcpy(q, p, sizeof(p));
    snprintf(q[0].diarienummer, sizeof(q[0].diarienummer), "Dnr 1 §2");
    expect_refused(&s, &h, q, n, "the character '§' in the remittance cannot go to the bank");
    memcpy(q, p, sizeof(p));
    q[3].payee.bic[0] = '\0';
    expect_refused(&s, &h, q, n, "the payee bank's BIC '' is missing or wrong");
    memcpy(q, p, sizeof(p));
    snprintf(q[4].payee.clearing, sizeof(q[4].payee.clearing), "0123");
    expect_refused(&s, &h, q, n, "are not a Swedish bank account");
    memcpy(q, p, sizeof(p));
    snprintf(q[0].decision, sizeof(q[0].decision), "BES 1");
    expect_refused(&s, &h, q, n, "make no end-to-end id");
    expect_refused(&s, &h, p, 0, "needs at least one payment");

    t = s;
    t.debtor_iban[0] = '\0';
    expect_refused(&t, &h, p, n, "settings: the debtor account '' is not an IBAN");
    t = s;
    t.initg_id[0] = '\0';
    expect_refused(&t, &h, p, n, "the initiating party id '' (from Danske Bank) is not set");
    t = s;
    snprintf(t.charge_bearer, sizeof(t.charge_bearer), "OUR");
    expect_refused(&t, &h, p, n, "the charge bearer 'OUR'");
    t = s;
    snprintf(t.debtor_bic, sizeof(t.debtor_bic), "DABA");
    expect_refused(&t, &h, p, n, "the debtor bank's BIC 'DABA' is not a BIC");
    g = h;
    snprintf(g.msg_id, sizeof(g.msg_id), "ABCDEFGHIJKLMNOPQRSTUVWXYZ12345");
    expect_refused(&s, &g, p, n, "is not a bank-safe id of 1-30 characters");
    g = h;
    snprintf(g.created, sizeof(g.created), "2026-03-10 09:30");
    expect_refused(&s, &g, p, n, "is not YYYY-MM-DDThh:mm:ss");

    /* the buffer's cap: ERR_LIMIT, and what was there is kept */
    struct buf out;
    struct diag d;
    buf_init(&out, 3000);
    buf_puts(&out, "keep");
    diag_init(&d, 10);
    assert_int_equal(pain001_write(&s, &h, p, n, &out, &d), ERR_LIMIT);
    assert_string_equal(out.p, "keep");
    buf_release(&out);
    diag_release(&d);
}

/* Write the files the tests check into dir, for the xmllint CLI test. */
static int write_all(const char *dir)
{
    struct payment p[6];
    size_t n = mixed(p);
    struct pain001_settings s;
    struct pain001_header h;
    const struct {
        const char *name;
        enum pain001_bank bank;
        enum pain001_pg pg;
    } files[] = {
        {"danske-mixed.xml", PAIN001_DANSKE, PAIN001_PG_BBAN},
        {"swedbank-mixed.xml", PAIN001_SWEDBANK, PAIN001_PG_PGNR},
    };
    for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
        settings(&s, files[k].bank);
        s.pg = files[k].pg;
        header(&h, "UB-2026-0001-F1");
        struct buf out;
        struct diag d;
        buf_init(&out, 0);
        diag_init(&d, 20);
        if (pain001_write(&s, &h, p, n, &out, &d) != ERR_OK) {
            diag_print(&d, stderr);
            return 1;
        }
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, files[k].name);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(out.p, 1, out.len, f) != out.len || fclose(f) != 0) {
            fprintf(stderr, "cannot write %s\n", path);
            return 1;
        }
        buf_release(&out);
        diag_release(&d);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xsdcheck_free(xsd);
    xsd = NULL;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write") == 0)
        return write_all(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_swedbank_pgnr),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
