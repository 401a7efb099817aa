/* test_camt054.c - the bank's debit and credit notification: the seed in
 * tests/fuzz/corpus/camt054 read transaction by transaction (a batch
 * entry split, a fee without details, a reversal and a pending credit
 * told apart, the OCR of a repayment recognised); booked debits map back
 * to payments and book them; malformed notifications give "name:line:
 * message" and nothing half-read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/camt054.h"
#include "util/buf.h"

static void read_seed(const char *name, struct camt054_report *r)
{
    const char *src = getenv("BIDRAG_SRC");
    char path[1024];
    snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/camt054/%s", src ? src : BIDRAG_SOURCE_DIR,
             name);
    struct buf b;
    buf_init(&b, 0);
    if (buf_read_file(&b, path) != ERR_OK)
        fail_msg("cannot read %s", path);
    struct diag d;
    diag_init(&d, 20);
    enum err e = camt054_read(b.p, b.len, name, r, &d);
    if (e) {
        diag_print(&d, stderr);
        fail_msg("%s: %s", name, err_str(e));
    }
    diag_release(&d);
    buf_release(&b);
}

static void test_mixed(void **state)
{
    (void)state;
    struct camt054_report r;
    read_seed("mixed.xml", &r);
    assert_string_equal(r.msg_id, "CAMT-20260317-0001");
    assert_string_equal(r.account, "SE4550000000058398257466");
    assert_int_equal(r.n, 7);
    /* a single debit with our id: paid */
    const struct camt054_item *it = &r.items[0];
    assert_false(it->credit);
    assert_true(it->booked);
    assert_int_equal(it->amount, 12500000);
    assert_string_equal(it->e2e, "BES-2026-000001-1-1");
    assert_string_equal(it->party, "Ale kommun");
    assert_string_equal(it->bank_ref, "DB-0001");
    assert_int_equal(it->date.y, 2026);
    assert_int_equal(it->date.m, 3);
    assert_int_equal(it->date.d, 16);
    assert_true(camt054_is_paid(it));
    /* a batch debit split into its transactions, each with its amount */
    assert_int_equal(r.items[1].amount, 100000000);
    assert_string_equal(r.items[1].e2e, "BES-2026-000003-1-1");
    assert_string_equal(r.items[1].bank_ref, "DB-0002-1");
    assert_int_equal(r.items[2].amount, 99);
    assert_string_equal(r.items[2].e2e, "BES-2026-000002-1-1");
    assert_string_equal(r.items[2].bank_ref, "DB-0002");
    assert_int_equal(r.items[2].date.d, 16); /* from a DtTm */
    assert_true(camt054_is_paid(&r.items[1]) && camt054_is_paid(&r.items[2]));
    /* a repayment with an OCR: amount, payer, reference */
    it = &r.items[3];
    assert_true(it->credit);
    assert_true(it->booked);
    assert_int_equal(it->amount, 4821050);
    assert_string_equal(it->e2e, ""); /* NOTPROVIDED */
    assert_string_equal(it->ref, "47110001238");
    assert_true(it->ocr);
    assert_string_equal(it->party, "Östra Göinge kommun");
    assert_false(camt054_is_paid(it));
    /* a pending credit with free text, dated by its value date */
    it = &r.items[4];
    assert_true(it->credit);
    assert_false(it->booked);
    assert_string_equal(it->ustrd, "Återbetalning REK-2026-000007");
    assert_string_equal(it->ref, "");
    assert_false(it->ocr);
    assert_int_equal(it->date.d, 18);
    /* a reversal never books a payment */
    assert_true(r.items[5].reversal);
    assert_false(camt054_is_paid(&r.items[5]));
    /* a fee without details: one item, no id */
    assert_int_equal(r.items[6].amount, 2500);
    assert_string_equal(r.items[6].e2e, "");
    assert_false(camt054_is_paid(&r.items[6]));
    assert_true(r.items[6].line > r.items[5].line);
    camt054_release(&r);
}

/* Booked debits map back to payments exactly and book them. */
static void test_books_payments(void **state)
{
    (void)state;
    struct payment p[3];
    memset(p, 0, sizeof(p));
    for (int i = 0; i < 3; i++) {
        snprintf(p[i].decision, sizeof(p[i].decision), "BES-2026-%06d", i + 1);
        p[i].seq = 1;
        p[i].issue = 1;
        p[i].state = i == 1 ? PAYMENT_ACCEPTED : PAYMENT_IN_FILE;
        snprintf(p[i].file_id, sizeof(p[i].file_id), "F1");
    }
    struct camt054_report r;
    read_seed("mixed.xml", &r);
    int booked = 0;
    for (size_t k = 0; k < r.n; k++) {
        if (!camt054_is_paid(&r.items[k]))
            continue;
        char d[PAYMENT_DECISION_SIZE], msg[200];
        int seq, issue;
        assert_int_equal(payment_e2e_parse(r.items[k].e2e, d, sizeof(d), &seq, &issue), ERR_OK);
        for (int i = 0; i < 3; i++) {
            if (strcmp(p[i].decision, d) || p[i].seq != seq || p[i].issue != issue)
                continue;
            assert_int_equal(payment_apply(&p[i], PAYMENT_EV_BOOK, NULL, NULL, msg, sizeof(msg)),
                             ERR_OK);
            booked++;
        }
    }
    assert_int_equal(booked, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(p[i].state, PAYMENT_BOOKED);
    camt054_release(&r);
}

#define HEAD                                                                                       \
    "<?xml version=\"1.0\"?>\n"                                                                    \
    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\">\n"                        \
    "<BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>C</MsgId><CreDtTm>2026-03-17T06:00:00</CreDtTm>"        \
    "</GrpHdr>\n"                                                                                  \
    "<Ntfctn><Id>N</Id><CreDtTm>2026-03-17T06:00:00</CreDtTm><Acct><Id><IBAN>"                     \
    "SE4550000000058398257466</IBAN></Id></Acct>\n"
#define TAIL "</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n"
#define NTRY(amt, ind, sts, rest)                                                                  \
    "<Ntry><Amt Ccy=\"SEK\">" amt "</Amt><CdtDbtInd>" ind "</CdtDbtInd><Sts>" sts "</Sts>" rest    \
    "</Ntry>\n"

static void bad(const char *doc, const char *want)
{
    struct camt054_report r;
    struct diag d;
    diag_init(&d, 20);
    assert_int_not_equal(camt054_read(doc, strlen(doc), "c.xml", &r, &d), ERR_OK);
    assert_int_equal(r.n, 0);
    assert_null(r.items);
    int found = 0;
    for (size_t i = 0; i < d.n; i++)
        found |= strstr(d.msg[i], want) != NULL;
    if (!found) {
        diag_print(&d, stderr);
        fail_msg("no message with '%s'", want);
    }
    diag_release(&d);
}

static void test_bad_input(void **state)
{
    (void)state;
    bad("", "c.xml: the file is empty");
    bad("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"/>",
        "c.xml:1: the namespace is 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02'");
    bad("<!DOCTYPE x [<!ENTITY e \"e\">]><Document "
        "xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\"/>",
        "a document type declaration is not accepted");
    bad(HEAD NTRY("10.00", "DBIT", "BOOK", "") TAIL "<extra/>", "not well-formed XML");
    bad(HEAD NTRY("10.00", "DEBIT", "BOOK", "") TAIL, "c.xml:5: 'CdtDbtInd' is not CRDT or DBIT");
    bad(HEAD NTRY("10.00", "DBIT", "OTHR", "") TAIL, "c.xml:5: 'Sts' is not BOOK, PDNG or INFO");
    bad(HEAD NTRY("10.005", "DBIT", "BOOK", "") TAIL,
        "c.xml:5: 'Amt' is not an amount with at most two decimals");
    bad(HEAD NTRY("-10.00", "DBIT", "BOOK", "") TAIL, "'Amt' is not an amount");
    bad(HEAD NTRY("1e3", "DBIT", "BOOK", "") TAIL, "'Amt' is not an amount");
    bad(HEAD NTRY("12345678901234.00", "DBIT", "BOOK", "") TAIL, "'Amt' is not an amount");
    bad(HEAD NTRY("0.00", "DBIT", "BOOK", "") TAIL, "c.xml:5: an entry or transaction of zero");
    bad(HEAD "<Ntry><Amt Ccy=\"EUR\">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>"
             "</Ntry>\n" TAIL,
        "c.xml:5: 'Amt' is in 'EUR'; only SEK is read");
    bad(HEAD "<Ntry><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts></Ntry>\n" TAIL,
        "c.xml:5: an entry without 'Amt'");
    bad(HEAD NTRY("10.00", "DBIT", "BOOK", "<BookgDt><Dt>2026-02-30</Dt></BookgDt>") TAIL,
        "c.xml:5: 'BookgDt' has no valid 'Dt' or 'DtTm'");
    bad(HEAD NTRY("10.00", "DBIT", "BOOK", "<RvslInd>yes</RvslInd>") TAIL,
        "c.xml:5: 'RvslInd' is not a boolean");
    bad(HEAD NTRY("10.00", "DBIT", "BOOK",
                  "<NtryDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy=\"SEK\">4.00</Amt></TxAmt>"
                  "</AmtDtls></TxDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy=\"SEK\">5.00</Amt>"
                  "</TxAmt></AmtDtls></TxDtls></NtryDtls>") TAIL,
        "c.xml:5: the transactions of a batch entry do not add up to its 'Amt'");
    bad(HEAD NTRY("10.00", "DBIT", "BOOK",
                  "<NtryDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy=\"SEK\">4.00</Amt></TxAmt>"
                  "</AmtDtls></TxDtls><TxDtls/></NtryDtls>") TAIL,
        "a batch entry whose transactions do not all give their amount");
    bad(HEAD NTRY("10.00", "DBIT", "BOOK",
                  "<NtryDtls><TxDtls><Refs><EndToEndId>"
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789</EndToEndId></Refs></TxDtls></NtryDtls>")
            TAIL,
        "c.xml:5: 'EndToEndId' is longer than 35 characters");
    bad("<?xml version=\"1.0\"?>\n<Document "
        "xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\">\n"
        "<BkToCstmrDbtCdtNtfctn><Ntfctn/></BkToCstmrDbtCdtNtfctn></Document>",
        "c.xml:3: no 'GrpHdr/MsgId'");
    bad("<?xml version=\"1.0\"?>\n<Document "
        "xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\">\n"
        "<BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>C</MsgId></GrpHdr></BkToCstmrDbtCdtNtfctn>"
        "</Document>",
        "c.xml:3: no 'Ntfctn'");
    /* one good entry and one bad: nothing is read */
    bad(HEAD NTRY("10.00", "DBIT", "BOOK", "") NTRY("10.00", "DBIT", "BOOKED", "") TAIL,
        "c.xml:6: 'Sts' is not BOOK, PDNG or INFO");
    /* an empty notification reads as nothing */
    struct camt054_report r;
    struct diag d;
    diag_init(&d, 5);
    const char *empty = HEAD TAIL;
    assert_int_equal(camt054_read(empty, strlen(empty), "c.xml", &r, &d), ERR_OK);
    assert_int_equal(r.n, 0);
    camt054_release(&r);
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_books_payments),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
