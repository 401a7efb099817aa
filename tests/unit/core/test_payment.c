/* test_payment.c - the rules of paying out: the bank character set,
 * OCR, the end-to-end id and its inverse, the payee, the state machine
 * against a table written here from the issue's words, nothing paid
 * twice, four eyes and the attest limit, filing all or nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/payment.h"

static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);

static uint64_t rng_next(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * UINT64_C(0x2545F4914F6CDD1D);
}

/* The Luhn check digit of digits, computed here independently. */
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

static void make_payment(struct payment *p, const char *decision, int seq, int64_t amount)
{
    memset(p, 0, sizeof(*p));
    snprintf(p->decision, sizeof(p->decision), "%s", decision);
    p->seq = seq;
    p->issue = 1;
    snprintf(p->case_no, sizeof(p->case_no), "REK-2026-000042");
    snprintf(p->diarienummer, sizeof(p->diarienummer), "Regeringsbeslut 2026-01-22 nr II:5");
    p->amount = amount;
    p->due = (struct date){2026, 3, 16};
    char msg[200];
    assert_int_equal(payment_payee_set(&p->payee, PAYMENT_ACCT_BANKGIRO, "5050-1055", NULL,
                                       "Ale kommun", msg, sizeof(msg)),
                     ERR_OK);
    p->state = PAYMENT_CREATED;
}

/* --- the bank character set --- */

static void text_is(const char *in, const char *want)
{
    char out[512], bad[5];
    enum err e = payment_bank_text(in, out, sizeof(out), 140, 0, bad);
    if (e != ERR_OK)
        fail_msg("'%s': %s (bad '%s')", in, err_str(e), bad);
    assert_string_equal(out, want);
    assert_true(payment_bank_text_ok(out, 140));
}

static void text_refused(const char *in, const char *ch)
{
    char out[512], bad[5];
    assert_int_equal(payment_bank_text(in, out, sizeof(out), 140, 0, bad), ERR_INVALID);
    assert_string_equal(bad, ch);
    assert_string_equal(out, "");
}

/* The ids stored and shown for account kinds and batch states read back
 * to what they were made from, and nothing else reads as one. */
static void test_ids_round_trip(void **state)
{
    (void)state;
    static const enum payment_acct kinds[] = {PAYMENT_ACCT_BANKGIRO, PAYMENT_ACCT_PLUSGIRO,
                                              PAYMENT_ACCT_IBAN, PAYMENT_ACCT_BBAN};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(payment_acct_parse(payment_acct_id(kinds[i])), kinds[i]);
    assert_string_equal(payment_acct_id(PAYMENT_ACCT_BANKGIRO), "bankgiro");
    assert_int_equal(payment_acct_parse(NULL), PAYMENT_ACCT_NONE);
    assert_int_equal(payment_acct_parse(""), PAYMENT_ACCT_NONE);
    assert_int_equal(payment_acct_parse("Bankgiro"), PAYMENT_ACCT_NONE);
    assert_string_equal(payment_batch_state_id(PAYMENT_BATCH_OPEN), "open");
    assert_string_equal(payment_batch_state_id(PAYMENT_BATCH_ATTESTED), "attested");
    assert_string_equal(payment_batch_state_id(PAYMENT_BATCH_FILED), "filed");
    assert_string_equal(payment_batch_state_id((enum payment_batch_state)3), "");
    for (int i = 0; i < PAYMENT_BATCH_STATE_COUNT; i++)
        assert_int_equal(
            payment_batch_state_parse(payment_batch_state_id((enum payment_batch_state)i)), i);
    assert_int_equal(payment_batch_state_parse("in_file"), -1);
    assert_int_equal(payment_batch_state_parse(NULL), -1);
}

static void test_bank_text(void **state)
{
    (void)state;
    text_is("Ale kommun", "Ale kommun");
    text_is("Region Jämtland Härjedalen", "Region Jämtland Härjedalen");
    text_is("Östra Göinge kommun", "Östra Göinge kommun");
    text_is("Café Ümeå", "Cafe Umeå");
    text_is("Søren & Æbeltoft", "Sören + Äbeltoft");
    text_is("Straße", "Strasse");
    text_is("  a \t b\r\nc  ", "a b c");
    text_is("x//y///z", "x/y/z");
    text_is("“citerat” – slut", "'citerat' - slut");
    text_is("Förordning (2024:1252), bidragsår 2026", "Förordning (2024:1252), bidragsår 2026");
    text_is("a_b;c!", "a-b,c.");
    text_refused("Pris 5 \xE2\x82\xAC", "\xE2\x82\xAC"); /* € */
    text_refused("a@b", "@");
    text_refused("nr #4", "#");
    text_refused("50 %", "%");
    text_refused("\xE4\xB8\xAD", "\xE4\xB8\xAD");            /* a CJK character */
    text_refused("ok \xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"); /* an emoji */
    char out[64], bad[5];
    assert_int_equal(payment_bank_text("\xC3\x28", out, sizeof(out), 140, 0, bad), ERR_PARSE);
    /* the cap: refused, or cut at a character, never in one */
    assert_int_equal(payment_bank_text("åäöåäö", out, sizeof(out), 5, 0, bad), ERR_LIMIT);
    assert_int_equal(payment_bank_text("åäöåäö", out, sizeof(out), 5, 1, bad), ERR_OK);
    assert_string_equal(out, "åäöåä");
    assert_int_equal(payment_bank_text("ab cd", out, sizeof(out), 3, 1, bad), ERR_OK);
    assert_string_equal(out, "ab");
    assert_int_equal(payment_bank_text("åäöåäö", out, 4, 140, 0, bad), ERR_LIMIT);
    assert_false(payment_bank_text_ok("", 140));
    assert_false(payment_bank_text_ok("a  b", 140));
    assert_false(payment_bank_text_ok("é", 140));
}

/* Whatever goes in, what comes out is only the accepted characters. */
static void test_bank_text_property(void **state)
{
    (void)state;
    static const char *const pool[] = {
        "a", "Z", "0", " ", "/", "-", "?",  ":",  "(", ")", ".", ",",  "'",  "+", "å",       "Ä",
        "ö", "é", "ü", "ß", "ø", "&", "\t", "\n", "_", "@", "€", "中", "\"", "!", "\xC2\xA0"};
    size_t npool = sizeof(pool) / sizeof(pool[0]);
    for (int round = 0; round < 3000; round++) {
        char in[256] = "";
        size_t len = 1 + rng_next() % 40, at = 0;
        for (size_t i = 0; i < len; i++) {
            const char *piece = pool[rng_next() % npool];
            size_t k = strlen(piece);
            assert_true(at + k < sizeof(in));
            memcpy(in + at, piece, k + 1);
            at += k;
        }
        char out[512], bad[5];
        enum err e = payment_bank_text(in, out, sizeof(out), 140, 0, bad);
        if (e == ERR_INVALID) {
            assert_true(strcmp(bad, "@") == 0 || strcmp(bad, "€") == 0 || strcmp(bad, "中") == 0);
            continue;
        }
        assert_int_equal(e, ERR_OK);
        /* only the SWIFT set and å ä ö Å Ä Ö, no double space or slash */
        for (const char *p = out; *p;) {
            if (!strncmp(p, "å", 2) || !strncmp(p, "ä", 2) || !strncmp(p, "ö", 2) ||
                !strncmp(p, "Å", 2) || !strncmp(p, "Ä", 2) || !strncmp(p, "Ö", 2)) {
                p += 2;
                continue;
            }
            char c = *p;
            assert_true((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || strchr(" /-?:().,'+", c));
            p++;
        }
        assert_null(strstr(out, "  "));
        assert_null(strstr(out, "//"));
        assert_true(out[0] != ' ');
        /* making safe text safe again changes nothing */
        char again[512];
        assert_int_equal(payment_bank_text(out, again, sizeof(again), 140, 0, bad), ERR_OK);
        assert_string_equal(again, out);
    }
}

static void test_bank_id(void **state)
{
    (void)state;
    assert_true(payment_bank_id_ok("BES-2026-000001-1-1"));
    assert_true(payment_bank_id_ok("A/B"));
    assert_true(payment_bank_id_ok("12345678901234567890123456789012345"));
    assert_false(payment_bank_id_ok("123456789012345678901234567890123456"));
    assert_false(payment_bank_id_ok(""));
    assert_false(payment_bank_id_ok(NULL));
    assert_false(payment_bank_id_ok("/AB"));
    assert_false(payment_bank_id_ok("AB/"));
    assert_false(payment_bank_id_ok("A//B"));
    assert_false(payment_bank_id_ok("A B"));
    assert_false(payment_bank_id_ok("Å1"));
    assert_false(payment_bank_id_ok("A&B"));
}

static void test_ocr(void **state)
{
    (void)state;
    char ocr[32] = "123456789";
    size_t l = strlen(ocr);
    ocr[l] = luhn_digit(ocr);
    ocr[l + 1] = '\0';
    assert_true(payment_ocr_ok(ocr));
    ocr[l] = (char)('0' + (ocr[l] - '0' + 1) % 10);
    assert_false(payment_ocr_ok(ocr));
    assert_false(payment_ocr_ok("0"));
    assert_true(payment_ocr_ok("00"));
    assert_false(payment_ocr_ok("12345678901234567890123456")); /* 26 digits */
    assert_false(payment_ocr_ok("12 34"));
    for (int i = 0; i < 500; i++) {
        char d[32];
        size_t len = 1 + rng_next() % 24;
        for (size_t k = 0; k < len; k++)
            d[k] = (char)('0' + rng_next() % 10);
        d[len] = '\0';
        d[len] = luhn_digit(d);
        d[len + 1] = '\0';
        assert_true(payment_ocr_ok(d));
    }
}

static void test_e2e(void **state)
{
    (void)state;
    char id[PAYMENT_ID_SIZE], dec[64];
    int seq, issue;
    assert_int_equal(payment_e2e("BES-2026-000001", 1, 2, id), ERR_OK);
    assert_string_equal(id, "BES-2026-000001-1-2");
    assert_int_equal(payment_e2e_parse(id, dec, sizeof(dec), &seq, &issue), ERR_OK);
    assert_string_equal(dec, "BES-2026-000001");
    assert_int_equal(seq, 1);
    assert_int_equal(issue, 2);
    assert_int_equal(payment_e2e("BES-2026-000001", 99, 99, id), ERR_OK);
    assert_true(strlen(id) <= 35);
    assert_int_equal(payment_e2e("BES-2026-000001", 0, 1, id), ERR_INVALID);
    assert_int_equal(payment_e2e("BES-2026-000001", 1, 100, id), ERR_INVALID);
    assert_int_equal(payment_e2e("BES 2026", 1, 1, id), ERR_INVALID);
    assert_int_equal(payment_e2e("BES/2026", 1, 1, id), ERR_INVALID);
    assert_int_equal(payment_e2e("-BES", 1, 1, id), ERR_INVALID);
    assert_int_equal(payment_e2e("", 1, 1, id), ERR_INVALID);
    assert_int_equal(payment_e2e("ABCDEFGHIJKLMNOPQRSTUVWXYZ123456", 1, 1, id), ERR_LIMIT);
    assert_int_equal(payment_e2e("ABCDEFGHIJKLMNOPQRSTUVWXYZ12345", 1, 1, id), ERR_OK);
    assert_int_equal(payment_e2e("ABCDEFGHIJKLMNOPQRSTUVWXYZ123", 10, 10, id), ERR_OK);
    const char *bad[] = {"BES-2026-1",  "X-0-1",  "X-1-01", "-1-1",    "X-1-100",
                         "X--1-1",      "X-1-1-", "X-a-1",  "X 1-1-1", "",
                         "BES-2026-1-", "1-1",    "X-1--1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (payment_e2e_parse(bad[i], dec, sizeof(dec), &seq, &issue) != ERR_PARSE)
            fail_msg("'%s' parsed", bad[i]);
    /* random decision numbers: the id maps back exactly */
    static const char alpha[] = "ABCZabz0189-";
    for (int round = 0; round < 2000; round++) {
        char d[40];
        size_t len = 1 + rng_next() % 29;
        for (size_t k = 0; k < len; k++)
            d[k] = alpha[rng_next() % (sizeof(alpha) - 1)];
        d[len] = '\0';
        if (d[0] == '-' || d[len - 1] == '-')
            continue;
        int s = 1 + (int)(rng_next() % 99), r = 1 + (int)(rng_next() % 99);
        enum err e = payment_e2e(d, s, r, id);
        if (e == ERR_LIMIT) {
            assert_true(len + 4 > 35);
            continue;
        }
        assert_int_equal(e, ERR_OK);
        assert_true(payment_bank_id_ok(id));
        assert_int_equal(payment_e2e_parse(id, dec, sizeof(dec), &seq, &issue), ERR_OK);
        assert_string_equal(dec, d);
        assert_int_equal(seq, s);
        assert_int_equal(issue, r);
    }
}

static void test_payee(void **state)
{
    (void)state;
    struct payment_payee p;
    char msg[200];
    assert_int_equal(payment_payee_set(&p, PAYMENT_ACCT_BANKGIRO, "5050-1055", NULL, "Ale kommun",
                                       msg, sizeof(msg)),
                     ERR_OK);
    assert_string_equal(p.number, "50501055");
    assert_int_equal(payment_payee_set(&p, PAYMENT_ACCT_PLUSGIRO, "90 20 01-7", NULL,
                                       "Region Gotland", msg, sizeof(msg)),
                     ERR_OK);
    assert_string_equal(p.number, "9020017");
    assert_int_equal(payment_payee_set(&p, PAYMENT_ACCT_IBAN, "SE45 5000 0000 0583 9825 7466", "",
                                       "Kiruna kommun", msg, sizeof(msg)),
                     ERR_OK);
    assert_string_equal(p.number, "SE4550000000058398257466");
    assert_string_equal(p.bic, "");
    assert_int_equal(payment_payee_set(&p, PAYMENT_ACCT_IBAN, "DE89 3704 0044 0532 0130 00", NULL,
                                       "Partner GmbH", msg, sizeof(msg)),
                     ERR_INVALID);
    assert_string_equal(msg, "Ange bankens BIC för ett IBAN utanför Sverige");
    assert_int_equal(payment_payee_set(&p, PAYMENT_ACCT_IBAN, "DE89 3704 0044 0532 0130 00",
                                       "COBADEFFXXX", "Partner GmbH", msg, sizeof(msg)),
                     ERR_OK);
    assert_int_equal(payment_payee_set(&p, PAYMENT_ACCT_IBAN, "SE4550000000058398257466", "ESSESES",
                                       "X", msg, sizeof(msg)),
                     ERR_PARSE);
    assert_int_equal(payment_payee_set(&p, PAYMENT_ACCT_BBAN, "123 456 789-0", "8327-9",
                                       "Åre kommun", msg, sizeof(msg)),
                     ERR_OK);
    assert_string_equal(p.clearing, "83279");
    assert_string_equal(p.number, "1234567890");
    assert_int_equal(
        payment_payee_set(&p, PAYMENT_ACCT_BBAN, "1234567", "6789", "Å", msg, sizeof(msg)), ERR_OK);
    assert_int_equal(
        payment_payee_set(&p, PAYMENT_ACCT_BBAN, "1234567", "67890", "Å", msg, sizeof(msg)),
        ERR_PARSE);
    assert_int_equal(
        payment_payee_set(&p, PAYMENT_ACCT_BBAN, "1234567890123", "6789", "Å", msg, sizeof(msg)),
        ERR_PARSE);
    assert_int_equal(
        payment_payee_set(&p, PAYMENT_ACCT_BANKGIRO, "5050-1056", NULL, "Ale", msg, sizeof(msg)),
        ERR_INVALID);
    assert_int_equal(p.kind, PAYMENT_ACCT_NONE);
    assert_int_equal(
        payment_payee_set(&p, PAYMENT_ACCT_BANKGIRO, "5050-1055", NULL, " \t ", msg, sizeof(msg)),
        ERR_INVALID);
    assert_string_equal(msg, "Ange mottagarens namn");
    assert_int_equal(payment_payee_set(&p, PAYMENT_ACCT_BANKGIRO, "5050-1055", NULL,
                                       "Kommun @ nätet", msg, sizeof(msg)),
                     ERR_INVALID);
    assert_string_equal(msg, "Tecknet ”@” i mottagarens namn kan inte skickas till banken");
    /* a long name is cut at 70 characters */
    char name[200];
    memset(name, 'x', 150);
    name[150] = '\0';
    assert_int_equal(
        payment_payee_set(&p, PAYMENT_ACCT_BANKGIRO, "5050-1055", NULL, name, msg, sizeof(msg)),
        ERR_OK);
    assert_int_equal(strlen(p.name), 70);
    assert_true(payment_bic_ok("DABASESX"));
    assert_true(payment_bic_ok("SWEDSESSXXX"));
    assert_false(payment_bic_ok("DABASE1X")); /* the 7th character may not be 1 */
    assert_false(payment_bic_ok("DABASESO")); /* 8th character may not be O */
    assert_false(payment_bic_ok("dabasesx"));
}

/* The state machine as the issue says it, written out here:
 * created -> in batch -> attested -> in file -> accepted -> booked;
 * in file or accepted -> rejected -> (re-issue) created. */
static void test_state_table(void **state)
{
    (void)state;
    enum { OK = 0, NO = 1, SAME = 2 };
    /* want[state][event]: OK changes, SAME is ERR_OK unchanged, NO refused */
    static const int want[PAYMENT_STATE_COUNT][9] = {
        /* BATCH UNBATCH ATTEST FILE FREJ ACCEPT REJECT BOOK REISSUE */
        [PAYMENT_CREATED] = {OK, NO, NO, NO, NO, NO, NO, NO, NO},
        [PAYMENT_IN_BATCH] = {NO, OK, OK, NO, NO, NO, NO, NO, NO},
        [PAYMENT_ATTESTED] = {NO, NO, NO, OK, NO, NO, NO, NO, NO},
        [PAYMENT_IN_FILE] = {NO, NO, NO, SAME, OK, OK, OK, OK, NO},
        [PAYMENT_ACCEPTED] = {NO, NO, NO, NO, NO, SAME, OK, OK, NO},
        [PAYMENT_BOOKED] = {NO, NO, NO, NO, NO, NO, NO, SAME, NO},
        [PAYMENT_REJECTED] = {NO, NO, NO, NO, NO, NO, NO, NO, OK},
    };
    static const enum payment_state to[9] = {PAYMENT_IN_BATCH, PAYMENT_CREATED,  PAYMENT_ATTESTED,
                                             PAYMENT_IN_FILE,  PAYMENT_ATTESTED, PAYMENT_ACCEPTED,
                                             PAYMENT_REJECTED, PAYMENT_BOOKED,   PAYMENT_CREATED};
    for (int s = 0; s < PAYMENT_STATE_COUNT; s++) {
        for (int ev = 0; ev < 9; ev++) {
            struct payment p;
            make_payment(&p, "BES-2026-000007", 1, 100000);
            p.state = (enum payment_state)s;
            int live = s == PAYMENT_IN_FILE || s == PAYMENT_ACCEPTED || s == PAYMENT_BOOKED;
            if (live)
                snprintf(p.file_id, sizeof(p.file_id), "%s", "F1");
            const char *arg = (ev == PAYMENT_EV_FILE || ev == PAYMENT_EV_FILE_REJECTED) ? "F1"
                              : ev == PAYMENT_EV_BANK_REJECT ? "AC01 Felaktigt kontonummer"
                                                             : NULL;
            struct payment before = p;
            int changed = -1;
            char msg[200] = "";
            enum err e = payment_apply(&p, (enum payment_event)ev, arg, &changed, msg, sizeof(msg));
            if (want[s][ev] == NO) {
                if (e != ERR_CONFLICT)
                    fail_msg("state %s event %d: %s, want conflict", payment_state_id(s), ev,
                             err_str(e));
                assert_memory_equal(&p, &before, sizeof(p));
                assert_true(msg[0] != '\0');
            } else if (want[s][ev] == SAME) {
                assert_int_equal(e, ERR_OK);
                assert_int_equal(changed, 0);
                assert_memory_equal(&p, &before, sizeof(p));
            } else {
                if (e != ERR_OK)
                    fail_msg("state %s event %d: %s (%s)", payment_state_id(s), ev, err_str(e),
                             msg);
                assert_int_equal(changed, 1);
                assert_int_equal(p.state, to[ev]);
            }
        }
    }
}

static void test_state_details(void **state)
{
    (void)state;
    struct payment p;
    char msg[200], e1[PAYMENT_ID_SIZE], e2[PAYMENT_ID_SIZE];
    int changed;
    make_payment(&p, "BES-2026-000008", 2, 5000);
    p.state = PAYMENT_ATTESTED;
    assert_int_equal(payment_apply(&p, PAYMENT_EV_FILE, "F-1", &changed, msg, sizeof(msg)), ERR_OK);
    assert_string_equal(p.file_id, "F-1");
    /* in one live file only */
    assert_int_equal(payment_apply(&p, PAYMENT_EV_FILE, "F-2", &changed, msg, sizeof(msg)),
                     ERR_CONFLICT);
    assert_string_equal(msg, "Utbetalningen BES-2026-000008-2-1 finns redan i filen F-1");
    assert_int_equal(payment_apply(&p, PAYMENT_EV_FILE, "not an id", &changed, msg, sizeof(msg)),
                     ERR_INVALID);
    /* a file refused by the bank frees the payment for the next */
    assert_int_equal(payment_apply(&p, PAYMENT_EV_FILE_REJECTED, "F-2", &changed, msg, sizeof(msg)),
                     ERR_CONFLICT);
    assert_int_equal(payment_apply(&p, PAYMENT_EV_FILE_REJECTED, "F-1", &changed, msg, sizeof(msg)),
                     ERR_OK);
    assert_string_equal(p.file_id, "");
    assert_int_equal(payment_apply(&p, PAYMENT_EV_FILE, "F-2", &changed, msg, sizeof(msg)), ERR_OK);
    /* rejected by the bank with its reason, re-issued under a new id */
    assert_int_equal(payment_apply(&p, PAYMENT_EV_BANK_REJECT, "AC04 Kontot är avslutat", &changed,
                                   msg, sizeof(msg)),
                     ERR_OK);
    assert_string_equal(p.bank_code, "AC04");
    assert_string_equal(p.bank_reason, "Kontot är avslutat");
    assert_int_equal(payment_e2e_of(&p, e1), ERR_OK);
    assert_int_equal(payment_apply(&p, PAYMENT_EV_REISSUE, NULL, &changed, msg, sizeof(msg)),
                     ERR_OK);
    assert_int_equal(payment_e2e_of(&p, e2), ERR_OK);
    assert_string_equal(e1, "BES-2026-000008-2-1");
    assert_string_equal(e2, "BES-2026-000008-2-2");
    assert_int_equal(p.state, PAYMENT_CREATED);
    assert_string_equal(p.file_id, "");
    assert_string_equal(p.bank_code, "");
    /* the 99th issue is the last */
    p.state = PAYMENT_REJECTED;
    p.issue = 99;
    assert_int_equal(payment_apply(&p, PAYMENT_EV_REISSUE, NULL, &changed, msg, sizeof(msg)),
                     ERR_LIMIT);
    assert_int_equal(p.issue, 99);
}

static void test_remittance(void **state)
{
    (void)state;
    struct payment p;
    char out[STR_UTF8_SIZE(140)], bad[5];
    make_payment(&p, "BES-2026-000001", 1, 100);
    assert_int_equal(payment_remittance(&p, out, sizeof(out), bad), ERR_OK);
    assert_string_equal(out, "Statsbidrag REK-2026-000042, dnr Regeringsbeslut 2026-01-22 nr II:5");
    snprintf(p.diarienummer, sizeof(p.diarienummer), "Förordning (2024:1252), bidragsår 2026");
    assert_int_equal(payment_remittance(&p, out, sizeof(out), bad), ERR_OK);
    assert_string_equal(out, "Statsbidrag REK-2026-000042, dnr Förordning (2024:1252), "
                             "bidragsår 2026");
    /* 63 characters of diarienummer still fit */
    memset(p.diarienummer, 'D', 63);
    p.diarienummer[63] = '\0';
    assert_int_equal(payment_remittance(&p, out, sizeof(out), bad), ERR_OK);
    assert_non_null(strstr(out, p.diarienummer));
    assert_non_null(strstr(out, "REK-2026-000042"));
    snprintf(p.diarienummer, sizeof(p.diarienummer), "S2026/01234 §3");
    assert_int_equal(payment_remittance(&p, out, sizeof(out), bad), ERR_INVALID);
    assert_string_equal(bad, "§");
    char msg[200];
    assert_int_equal(payment_check(&p, msg, sizeof(msg)), ERR_INVALID);
    assert_string_equal(msg, "Tecknet ”§” i diarienumret kan inte skickas till banken");
}

static void test_check(void **state)
{
    (void)state;
    struct payment p;
    char msg[200];
    make_payment(&p, "BES-2026-000001", 1, 100);
    assert_int_equal(payment_check(&p, msg, sizeof(msg)), ERR_OK);
    p.amount = 0;
    assert_int_equal(payment_check(&p, msg, sizeof(msg)), ERR_INVALID);
    p.amount = 100;
    snprintf(p.ocr, sizeof(p.ocr), "%s", "1234567890");
    assert_int_equal(payment_check(&p, msg, sizeof(msg)), ERR_INVALID);
    p.ocr[9] = luhn_digit("123456789");
    assert_int_equal(payment_check(&p, msg, sizeof(msg)), ERR_OK);
    p.due = (struct date){0, 0, 0};
    assert_int_equal(payment_check(&p, msg, sizeof(msg)), ERR_INVALID);
    make_payment(&p, "BES 1", 1, 100);
    assert_int_equal(payment_check(&p, msg, sizeof(msg)), ERR_INVALID);
}

static void batch_of(struct payment *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char d[32];
        snprintf(d, sizeof(d), "BES-2026-%06zu", i + 1);
        make_payment(&p[i], d, 1, (int64_t)(i + 1) * 100000);
    }
}

static void test_batch_four_eyes(void **state)
{
    (void)state;
    struct payment p[3];
    batch_of(p, 3); /* 1 000 + 2 000 + 3 000 kr = 600 000 öre */
    struct payment_batch b;
    memset(&b, 0, sizeof(b));
    snprintf(b.id, sizeof(b.id), "%s", "UB-2026-0001");
    char msg[300];
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(payment_batch_add(&b, &p[i], "hanna", msg, sizeof(msg)), ERR_OK);
    assert_string_equal(b.prepared_by, "hanna");
    /* one batch per payment */
    assert_int_equal(payment_batch_add(&b, &p[0], "hanna", msg, sizeof(msg)), ERR_CONFLICT);
    struct payment extra;
    make_payment(&extra, "BES-2026-000099", 1, 100);
    assert_int_equal(payment_batch_add(&b, &extra, "olle", msg, sizeof(msg)), ERR_DENIED);
    assert_int_equal(extra.state, PAYMENT_CREATED);

    struct payment_attestant self = {"HANNA", 1, INT64_C(100000000)};
    struct payment_attestant notatt = {"olle", 0, INT64_C(100000000)};
    struct payment_attestant low = {"anna", 1, 599999};
    struct payment_attestant exact = {"anna", 1, 600000};
    assert_int_equal(payment_batch_attest(&b, p, 3, &self, msg, sizeof(msg)), ERR_DENIED);
    assert_string_equal(msg, "Omgången UB-2026-0001 har du förberett själv; en annan person "
                             "ska attestera den");
    assert_int_equal(payment_batch_attest(&b, p, 3, &notatt, msg, sizeof(msg)), ERR_DENIED);
    assert_int_equal(payment_batch_attest(&b, p, 3, &low, msg, sizeof(msg)), ERR_DENIED);
    assert_string_equal(msg, "Omgången UB-2026-0001 är på 6 000 kr, över din beloppsgräns "
                             "5 999,99 kr; en attestant med högre gräns behövs");
    assert_int_equal(b.state, PAYMENT_BATCH_OPEN);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(p[i].state, PAYMENT_IN_BATCH);
    assert_int_equal(payment_batch_attest(&b, p, 0, &exact, msg, sizeof(msg)), ERR_INVALID);
    /* sent back with a reason, then attested within the limit */
    assert_int_equal(payment_batch_return(&b, &self, "nej", msg, sizeof(msg)), ERR_DENIED);
    assert_int_equal(payment_batch_return(&b, &exact, "", msg, sizeof(msg)), ERR_INVALID);
    assert_int_equal(payment_batch_return(&b, &exact, "Fel belopp för Ale", msg, sizeof(msg)),
                     ERR_OK);
    assert_string_equal(b.return_reason, "Fel belopp för Ale");
    assert_int_equal(payment_batch_remove(&b, &p[2], "anna", msg, sizeof(msg)), ERR_DENIED);
    assert_int_equal(payment_batch_remove(&b, &p[2], "hanna", msg, sizeof(msg)), ERR_OK);
    assert_int_equal(p[2].state, PAYMENT_CREATED);
    assert_int_equal(payment_batch_attest(&b, p, 3, &exact, msg, sizeof(msg)), ERR_CONFLICT);
    assert_int_equal(payment_batch_attest(&b, p, 2, &low, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(b.state, PAYMENT_BATCH_ATTESTED);
    assert_string_equal(b.attested_by, "anna");
    assert_string_equal(b.return_reason, "");
    assert_int_equal(p[0].state, PAYMENT_ATTESTED);
    assert_int_equal(p[1].state, PAYMENT_ATTESTED);
    assert_int_equal(payment_batch_attest(&b, p, 2, &exact, msg, sizeof(msg)), ERR_CONFLICT);
}

static void test_batch_file(void **state)
{
    (void)state;
    struct payment p[3];
    batch_of(p, 3);
    struct payment_batch b;
    memset(&b, 0, sizeof(b));
    snprintf(b.id, sizeof(b.id), "%s", "UB-2026-0002");
    char msg[300];
    assert_int_equal(payment_batch_file(&b, p, 3, "F1", msg, sizeof(msg)), ERR_CONFLICT);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(payment_batch_add(&b, &p[i], "hanna", msg, sizeof(msg)), ERR_OK);
    struct payment_attestant a = {"anna", 1, INT64_C(1000000000)};
    assert_int_equal(payment_batch_attest(&b, p, 3, &a, msg, sizeof(msg)), ERR_OK);
    /* one payment already in another live file: nothing is filed */
    p[1].state = PAYMENT_IN_FILE;
    snprintf(p[1].file_id, sizeof(p[1].file_id), "%s", "OLD");
    assert_int_equal(payment_batch_file(&b, p, 3, "F1", msg, sizeof(msg)), ERR_CONFLICT);
    assert_int_equal(p[0].state, PAYMENT_ATTESTED);
    assert_string_equal(p[0].file_id, "");
    assert_int_equal(b.state, PAYMENT_BATCH_ATTESTED);
    p[1].state = PAYMENT_ATTESTED;
    p[1].file_id[0] = '\0';
    /* the same payment twice */
    struct payment twice[2] = {p[0], p[0]};
    assert_int_equal(payment_check_unique(twice, 2, NULL, msg, sizeof(msg)), ERR_CONFLICT);
    assert_string_equal(msg, "Utbetalningen BES-2026-000001-1-1 finns två gånger");
    assert_int_equal(payment_batch_file(&b, p, 3, "F1", msg, sizeof(msg)), ERR_OK);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(p[i].state, PAYMENT_IN_FILE);
        assert_string_equal(p[i].file_id, "F1");
    }
    /* again with the same file: idempotent; another file: refused */
    struct payment copy[3];
    memcpy(copy, p, sizeof(p));
    assert_int_equal(payment_batch_file(&b, p, 3, "F1", msg, sizeof(msg)), ERR_OK);
    assert_memory_equal(copy, p, sizeof(p));
    assert_int_equal(payment_batch_file(&b, p, 3, "F2", msg, sizeof(msg)), ERR_CONFLICT);
    /* the bank refuses the whole file: a new one may be made */
    assert_int_equal(payment_batch_file_rejected(&b, p, 3, "F2", msg, sizeof(msg)), ERR_CONFLICT);
    assert_int_equal(payment_batch_file_rejected(&b, p, 3, "F1", msg, sizeof(msg)), ERR_OK);
    assert_int_equal(p[2].state, PAYMENT_ATTESTED);
    assert_int_equal(payment_batch_file(&b, p, 3, "F2", msg, sizeof(msg)), ERR_OK);
    assert_string_equal(p[2].file_id, "F2");
    int64_t total;
    assert_int_equal(payment_sum(p, 3, &total), ERR_OK);
    assert_int_equal(total, 600000);
    p[0].amount = PAYMENT_AMOUNT_MAX;
    assert_int_equal(payment_sum(p, 3, &total), ERR_LIMIT);
}

/* The account can change only before a batch, or after the bank refused
 * the payment: never between attestation and payment. */
static void test_change_payee(void **state)
{
    (void)state;
    struct payment p;
    struct payment_payee pe;
    char msg[200];
    make_payment(&p, "BES-2026-000010", 1, 100);
    assert_int_equal(payment_payee_set(&pe, PAYMENT_ACCT_PLUSGIRO, "90 20 01-7", NULL, "Ale kommun",
                                       msg, sizeof(msg)),
                     ERR_OK);
    for (int s = 0; s < PAYMENT_STATE_COUNT; s++) {
        p.state = (enum payment_state)s;
        struct payment before = p;
        enum err e = payment_change_payee(&p, &pe, msg, sizeof(msg));
        if (s == PAYMENT_CREATED || s == PAYMENT_REJECTED) {
            assert_int_equal(e, ERR_OK);
            assert_int_equal(p.payee.kind, PAYMENT_ACCT_PLUSGIRO);
            p = before;
        } else {
            assert_int_equal(e, ERR_CONFLICT);
            assert_memory_equal(&p, &before, sizeof(p));
        }
    }
    p.state = PAYMENT_ATTESTED;
    assert_int_equal(payment_change_payee(&p, &pe, msg, sizeof(msg)), ERR_CONFLICT);
    assert_string_equal(msg, "Utbetalningen BES-2026-000010-1-1 är attesterad; kontot kan inte "
                             "ändras nu");
    p.state = PAYMENT_CREATED;
    memset(&pe, 0, sizeof(pe));
    assert_int_equal(payment_change_payee(&p, &pe, msg, sizeof(msg)), ERR_INVALID);
}

/* Repeats are found wherever they sit in a large batch, and a batch
 * without any passes (sorted, not compared pair by pair). */
static void test_unique_large(void **state)
{
    (void)state;
    size_t n = 50000;
    struct payment *p = calloc(n, sizeof(*p));
    assert_non_null(p);
    for (size_t i = 0; i < n; i++) {
        snprintf(p[i].decision, sizeof(p[i].decision), "BES-2026-%06zu", (i * 7919) % n + 1);
        p[i].seq = 1 + (int)(i % 3);
        p[i].issue = 1;
    }
    char msg[200];
    assert_int_equal(payment_check_unique(p, n, NULL, msg, sizeof(msg)), ERR_OK);
    p[n - 1] = p[3];
    assert_int_equal(payment_check_unique(p, n, NULL, msg, sizeof(msg)), ERR_CONFLICT);
    char e2e[PAYMENT_ID_SIZE], want[200];
    payment_e2e_of(&p[3], e2e);
    snprintf(want, sizeof(want), "Utbetalningen %s finns två gånger", e2e);
    assert_string_equal(msg, want);
    p[n - 1].issue = 2; /* a re-issue is another payment */
    assert_int_equal(payment_check_unique(p, n, NULL, msg, sizeof(msg)), ERR_OK);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_round_trip),
        cmocka_unit_test(test_bank_text),
        cmocka_unit_test(test_bank_text_property),
        cmocka_unit_test(test_bank_id),
        cmocka_unit_test(test_ocr),
        cmocka_unit_test(test_e2e),
        cmocka_unit_test(test_payee),
        cmocka_unit_test(test_state_table),
        cmocka_unit_test(test_state_details),
        cmocka_unit_test(test_remittance),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_batch_four_eyes),
        cmocka_unit_test(test_batch_file),
        cmocka_unit_test(test_unique_large),
        cmocka_unit_test(test_change_payee),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
