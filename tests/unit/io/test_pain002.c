/* test_pain002.c - the bank's status report: the seed reports in
 * tests/fuzz/corpus/pain002 read as the bank meant them (an unknown code
 * is unknown, not rejected); the answers map back exactly to payments
 * made by core/payment and move them through their states; malformed
 * reports give "name:line: message" and nothing half-read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/isoxml.h"
#include "io/pain002.h"
#include "util/buf.h"

static void seed(const char *name, struct buf *b)
{
    const char *src = getenv("BIDRAG_SRC");
    char path[1024];
    snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/pain002/%s", src ? src : BIDRAG_SOURCE_DIR,
             name);
    buf_init(b, 0);
    if (buf_read_file(b, path) != ERR_OK)
        fail_msg("cannot read %s", path);
}

static void read_ok(const char *name, struct pain002_report *r)
{
    struct buf b;
    seed(name, &b);
    struct diag d;
    diag_init(&d, 20);
    enum err e = pain002_read(b.p, b.len, name, r, &d);
    if (e) {
        diag_print(&d, stderr);
        fail_msg("%s: %s", name, err_str(e));
    }
    diag_release(&d);
    buf_release(&b);
}

static void test_partial(void **state)
{
    (void)state;
    struct pain002_report r;
    read_ok("partial.xml", &r);
    assert_string_equal(r.msg_id, "STS-20260316-0001");
    assert_string_equal(r.orig_msg_id, "UB-2026-0001-F1");
    assert_string_equal(r.group.code, "PART");
    assert_int_equal(r.group.outcome, PAIN002_PARTIAL);
    assert_int_equal(r.npmtinfs, 2);
    assert_int_equal(r.ntxs, 4);
    assert_string_equal(r.txs[0].e2e, "BES-2026-000001-1-1");
    assert_int_equal(r.txs[0].st.outcome, PAIN002_REJECTED);
    assert_string_equal(r.txs[0].st.reason.code, "AC01");
    assert_string_equal(r.txs[0].st.reason.info, "Kontonumret finns inte");
    assert_string_equal(pain002_reason_label_sv(r.txs[0].st.reason.code), "Felaktigt kontonummer");
    assert_int_equal(r.txs[0].st.line, 25);
    assert_int_equal(r.txs[1].st.outcome, PAIN002_ACCEPTED);
    /* an unknown status code is unknown, not rejected, and kept as written */
    assert_string_equal(r.txs[2].st.code, "XYZQ");
    assert_int_equal(r.txs[2].st.outcome, PAIN002_UNKNOWN);
    assert_string_equal(pain002_reason_label_sv("ZZ99"), "okänd orsakskod");
    /* no end-to-end id: the instruction id stands in (ours are the same) */
    assert_string_equal(r.txs[3].e2e, "BES-2026-000009-1-2");
    assert_string_equal(r.txs[3].st.reason.code, "K123");
    assert_int_equal(r.txs[3].st.reason.proprietary, 1);

    /* what the report says of each payment */
    const struct pain002_status *why;
    assert_int_equal(pain002_effective(&r, "BES-2026-000001-1-1", NULL, &why), PAIN002_REJECTED);
    assert_ptr_equal(why, &r.txs[0].st);
    assert_int_equal(pain002_effective(&r, "BES-2026-000006-1-1", NULL, &why), PAIN002_UNKNOWN);
    /* not listed, in the accepted block */
    assert_int_equal(pain002_effective(&r, "BES-2026-000005-1-1", "UB-2026-0001-F1-3", &why),
                     PAIN002_ACCEPTED);
    assert_ptr_equal(why, &r.pmtinfs[1].st);
    /* not listed, in the partial block, under a partial group: nothing said */
    assert_int_equal(pain002_effective(&r, "BES-2026-000002-1-1", "UB-2026-0001-F1-2", &why),
                     PAIN002_NONE);
    assert_null(why);
    pain002_release(&r);
}

static void test_file_rejected(void **state)
{
    (void)state;
    struct pain002_report r;
    read_ok("file-rejected.xml", &r);
    assert_int_equal(r.group.outcome, PAIN002_REJECTED);
    assert_string_equal(r.group.reason.code, "FF01");
    assert_string_equal(r.group.reason.info, "Filen kunde inte läsas");
    assert_int_equal(r.ntxs, 0);
    const struct pain002_status *why;
    assert_int_equal(pain002_effective(&r, "BES-2026-000001-1-1", NULL, &why), PAIN002_REJECTED);
    assert_ptr_equal(why, &r.group);
    pain002_release(&r);
    read_ok("accepted.xml", &r);
    assert_int_equal(r.group.outcome, PAIN002_PENDING); /* ACTC: checked, not yet accepted */
    pain002_release(&r);
    assert_int_equal(pain002_outcome_of("ACSC"), PAIN002_ACCEPTED);
    assert_int_equal(pain002_outcome_of("ACWC"), PAIN002_ACCEPTED);
    assert_int_equal(pain002_outcome_of("RCVD"), PAIN002_PENDING);
    assert_int_equal(pain002_outcome_of("PDNG"), PAIN002_PENDING);
    assert_int_equal(pain002_outcome_of("RJCT"), PAIN002_REJECTED);
    assert_int_equal(pain002_outcome_of("rjct"), PAIN002_UNKNOWN);
    assert_int_equal(pain002_outcome_of(""), PAIN002_NONE);
    assert_string_equal(pain002_outcome_id(PAIN002_UNKNOWN), "unknown");
}

/* The report's ids map back to the payments exactly, and move them. */
static void test_maps_back(void **state)
{
    (void)state;
    struct payment p[4];
    memset(p, 0, sizeof(p));
    const char *dec[4] = {"BES-2026-000001", "BES-2026-000003", "BES-2026-000006",
                          "BES-2026-000009"};
    for (int i = 0; i < 4; i++) {
        snprintf(p[i].decision, sizeof(p[i].decision), "%s", dec[i]);
        p[i].seq = 1;
        p[i].issue = i == 3 ? 2 : 1;
        p[i].state = PAYMENT_IN_FILE;
        snprintf(p[i].file_id, sizeof(p[i].file_id), "UB-2026-0001-F1");
    }
    struct pain002_report r;
    read_ok("partial.xml", &r);
    for (size_t t = 0; t < r.ntxs; t++) {
        char d[PAYMENT_DECISION_SIZE];
        int seq, issue;
        assert_int_equal(payment_e2e_parse(r.txs[t].e2e, d, sizeof(d), &seq, &issue), ERR_OK);
        int found = -1;
        for (int i = 0; i < 4; i++)
            if (!strcmp(p[i].decision, d) && p[i].seq == seq && p[i].issue == issue)
                found = i;
        assert_int_not_equal(found, -1);
        char msg[200], reason[600];
        snprintf(reason, sizeof(reason), "%s %s", r.txs[t].st.reason.code, r.txs[t].st.reason.info);
        switch (r.txs[t].st.outcome) {
        case PAIN002_REJECTED:
            assert_int_equal(
                payment_apply(&p[found], PAYMENT_EV_BANK_REJECT, reason, NULL, msg, sizeof(msg)),
                ERR_OK);
            break;
        case PAIN002_ACCEPTED:
            assert_int_equal(
                payment_apply(&p[found], PAYMENT_EV_BANK_ACCEPT, NULL, NULL, msg, sizeof(msg)),
                ERR_OK);
            break;
        default:
            break; /* unknown or pending: the payment stays in its file */
        }
    }
    assert_int_equal(p[0].state, PAYMENT_REJECTED);
    assert_string_equal(p[0].bank_code, "AC01");
    assert_string_equal(p[0].bank_reason, "Kontonumret finns inte");
    assert_int_equal(p[1].state, PAYMENT_ACCEPTED);
    assert_int_equal(p[2].state, PAYMENT_IN_FILE);
    assert_int_equal(p[3].state, PAYMENT_REJECTED);
    pain002_release(&r);
}

static const char head[] = "<?xml version=\"1.0\"?>\n"
                           "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\">\n"
                           "<CstmrPmtStsRpt>\n";

/* doc as it is is refused with a message holding want, nothing read. */
static void bad_raw(const char *doc, const char *want)
{
    struct pain002_report r;
    struct diag d;
    diag_init(&d, 20);
    assert_int_not_equal(pain002_read(doc, strlen(doc), "s.xml", &r, &d), ERR_OK);
    /* nothing half-read */
    assert_int_equal(r.ntxs, 0);
    assert_int_equal(r.npmtinfs, 0);
    assert_null(r.txs);
    assert_string_equal(r.orig_msg_id, "");
    int found = 0;
    for (size_t i = 0; i < d.n; i++)
        found |= strstr(d.msg[i], want) != NULL;
    if (!found) {
        diag_print(&d, stderr);
        fail_msg("no message with '%s'", want);
    }
    diag_release(&d);
}

/* The report's head, then body. */
static void bad(const char *body, const char *want)
{
    char doc[8192];
    snprintf(doc, sizeof(doc), "%s%s", head, body);
    bad_raw(doc, want);
}

#define GRP "<GrpHdr><MsgId>S</MsgId><CreDtTm>2026-03-16T08:00:00</CreDtTm></GrpHdr>\n"
#define ORIG(sts)                                                                                  \
    "<OrgnlGrpInfAndSts><OrgnlMsgId>F1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>"   \
    "<GrpSts>" sts "</GrpSts></OrgnlGrpInfAndSts>\n"
#define TAIL "</CstmrPmtStsRpt></Document>\n"

static void test_bad_input(void **state)
{
    (void)state;
    bad_raw("", "s.xml: the file is empty");
    bad_raw("plain text", "s.xml:1: not well-formed XML");
    bad(GRP ORIG("ACCP") "<OrgnlPmtInfAndSts>", "s.xml:6: not well-formed XML");
    bad_raw("<!DOCTYPE Document [<!ENTITY a \"aaaa\">]>\n"
            "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\"/>",
            "s.xml:1: a document type declaration is not accepted");
    bad_raw("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10\"/>",
            "s.xml:1: the namespace is 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.10', not");
    bad_raw("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\"/>",
            "the namespace is 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.02'");
    bad_raw("<Doc xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\"/>",
            "s.xml:1: the root element is 'Doc', not 'Document'");
    bad_raw("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\"><X/></Document>",
            "s.xml:1: 'Document' has no 'CstmrPmtStsRpt'");
    bad(ORIG("ACCP") TAIL, "s.xml:3: no 'GrpHdr/MsgId'");
    bad(GRP TAIL, "s.xml:3: no 'OrgnlGrpInfAndSts/OrgnlMsgId'");
    bad(GRP "<OrgnlGrpInfAndSts><OrgnlMsgId>F1</OrgnlMsgId><OrgnlMsgNmId>camt.054.001.02"
            "</OrgnlMsgNmId></OrgnlGrpInfAndSts>" TAIL,
        "s.xml:5: the report is on a 'camt.054.001.02', not on a pain.001 file");
    bad(GRP ORIG("rejected") TAIL, "s.xml:5: 'GrpSts' is not a status code of 1-4 capitals");
    bad(GRP ORIG("PART") "<OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId>\n"
                         "<TxInfAndSts><TxSts>RJCT</TxSts></TxInfAndSts>\n"
                         "</OrgnlPmtInfAndSts>" TAIL,
        "s.xml:7: a transaction status names no 'OrgnlEndToEndId' or 'OrgnlInstrId'");
    bad(GRP ORIG("PART") "<OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId>\n"
                         "<TxInfAndSts><OrgnlEndToEndId>ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                         "</OrgnlEndToEndId></TxInfAndSts>\n"
                         "</OrgnlPmtInfAndSts>" TAIL,
        "s.xml:7: 'OrgnlEndToEndId' is longer than 35 characters");
    bad(GRP ORIG("PART") "<OrgnlPmtInfAndSts>\n<TxInfAndSts><OrgnlEndToEndId>E</OrgnlEndToEndId>"
                         "</TxInfAndSts></OrgnlPmtInfAndSts>" TAIL,
        "s.xml:6: no 'OrgnlPmtInfId'");
    bad(GRP ORIG("PART") "<OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId>\n"
                         "<TxInfAndSts><OrgnlEndToEndId>E</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
                         "<StsRsnInf><Rsn><Cd>AC-01</Cd></Rsn></StsRsnInf></TxInfAndSts>\n"
                         "</OrgnlPmtInfAndSts>" TAIL,
        "s.xml:7: 'Rsn/Cd' is longer than 4 characters");
    char info[300];
    memset(info, 'x', 106);
    info[106] = '\0';
    char body[2048];
    snprintf(body, sizeof(body),
             GRP "<OrgnlGrpInfAndSts><OrgnlMsgId>F1</OrgnlMsgId><GrpSts>RJCT</GrpSts>"
                 "<StsRsnInf><AddtlInf>%s</AddtlInf></StsRsnInf></OrgnlGrpInfAndSts>" TAIL,
             info);
    bad(body, "s.xml:5: 'AddtlInf' is longer than 105 characters");
    /* too large: refused before reading */
    size_t big = ISOXML_MAX_BYTES + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, ' ', big);
    struct pain002_report r;
    struct diag d;
    diag_init(&d, 5);
    assert_int_equal(pain002_read(huge, big, "big.xml", &r, &d), ERR_LIMIT);
    assert_string_equal(d.msg[0], "big.xml: the file is larger than 64 MiB");
    diag_release(&d);
    free(huge);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partial),
        cmocka_unit_test(test_file_rejected),
        cmocka_unit_test(test_maps_back),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
