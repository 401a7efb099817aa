/* test_reclaim.c - the reclaim decision: a good decision passes and each
 * rule broken is named on its field (amounts per block, waivers in whole
 * and in part with their reasons, appeal clause, organisation number for
 * the role, terms); four eyes; document numbers; the OCR reference
 * (checked with core/payment's OCR rule and a Luhn written here) and its
 * inverse; due dates moved past weekends and holidays; instalments only
 * where the terms allow them, exact to the öre; late interest; payments
 * interest first, part payments flagged; credit notes for a reduced or
 * cancelled reclaim, never for a raised one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/payment.h"
#include "core/reclaim.h"

static struct date D(int y, int m, int d) {
    struct date x = {y, m, d};
    return x;
}

static void
good(struct reclaim *r)
{
    memset(r, 0, sizeof(*r));
    str_copy(r->number, sizeof(r->number), "ATK-2027-000001");
    str_copy(r->case_no, sizeof(r->case_no), "ATK-2027-000001");
    str_copy(r->program, sizeof(r->program), "kompetens-2026");
    str_copy(r->program_title, sizeof(r->program_title),
             "Statsbidrag för kompetensförsörjning i primärvården 2026");
    str_copy(r->diarienummer, sizeof(r->diarienummer), "S2026/00123");
    str_copy(r->recipient_code, sizeof(r->recipient_code), "0180");
    r->role = ROLE_KOMMUN;
    str_copy(r->recipient_name, sizeof(r->recipient_name), "Stockholm");
    str_copy(r->orgnr, sizeof(r->orgnr), "2120000142");
    str_copy(r->buyer_reference, sizeof(r->buyer_reference), "KS-4711");
    r->ground = RECLAIM_UNUSED;
    str_copy(r->reasons, sizeof(r->reasons),
             "Kommunen har redovisat att 125 000 kronor inte har använts.\nBeloppet återkrävs.");
    r->nlines = 2;
    str_copy(r->lines[0].block, sizeof(r->lines[0].block), "kommuner");
    str_copy(r->lines[0].title, sizeof(r->lines[0].title), "Kommuner");
    r->lines[0].paid = 50000000;
    r->lines[0].proposed = 10000000;
    str_copy(r->lines[1].block, sizeof(r->lines[1].block), "ledarskap");
    str_copy(r->lines[1].title, sizeof(r->lines[1].title), "Ledarskap");
    r->lines[1].paid = 3000000;
    r->lines[1].proposed = 2500000;
    str_copy(r->appeal, sizeof(r->appeal),
             "Beslutet kan överklagas hos allmän förvaltningsdomstol inom tre veckor.");
    r->terms.days = 30;
    r->terms.instalments = 1;
    str_copy(r->prepared_by, sizeof(r->prepared_by), "hanna");
}

static void expect_issue(struct reclaim *r, const char *field, const char *msg)
{
    struct reclaim_issues is;
    assert_int_equal(reclaim_check(r, &is), ERR_INVALID);
    const char *got = reclaim_issues_find(&is, field);
    if (!got || strcmp(got, msg) != 0) {
        for (size_t i = 0; i < is.n; i++)
            fprintf(stderr, "  %s: %s\n", is.v[i].field, is.v[i].msg);
        fail_msg("%s: want '%s'", field, msg);
    }
}

static void test_good_decision(void **state)
{
    (void)state;
    struct reclaim *r = malloc(sizeof(*r));
    good(r);
    struct reclaim_issues is;
    enum err e = reclaim_check(r, &is);
    for (size_t i = 0; i < is.n; i++)
        fprintf(stderr, "  %s: %s\n", is.v[i].field, is.v[i].msg);
    assert_int_equal(e, ERR_OK);
    assert_int_equal(reclaim_total(r), 12500000);
    assert_int_equal(reclaim_proposed(r), 12500000);
    /* a region, and Gotland's region with the kommun's number */
    str_copy(r->recipient_code, sizeof(r->recipient_code), "01");
    r->role = ROLE_REGION;
    str_copy(r->orgnr, sizeof(r->orgnr), "2321000016");
    assert_int_equal(reclaim_check(r, &is), ERR_OK);
    str_copy(r->recipient_code, sizeof(r->recipient_code), "09");
    str_copy(r->orgnr, sizeof(r->orgnr), ORGNR_GOTLAND);
    assert_int_equal(reclaim_check(r, &is), ERR_OK);
    free(r);
}

static void test_amount_rules(void **state)
{
    (void)state;
    struct reclaim *r = malloc(sizeof(*r));
    good(r);
    r->lines[1].proposed = 3000001;
    expect_issue(r, "lines.2.proposed",
                 "Det går inte att kräva tillbaka mer än som betalats ut för blocket");
    good(r);
    r->lines[0].proposed = -1;
    expect_issue(r, "lines.1.proposed", "Beloppet som krävs tillbaka kan inte vara negativt");
    good(r);
    r->lines[0].waived = 10000001;
    r->waiver = RECLAIM_WAIVER_PARTIAL;
    str_copy(r->waiver_reason, sizeof(r->waiver_reason), "Särskilda skäl");
    expect_issue(r, "lines.1.waived",
                 "Eftergiften kan inte vara större än beloppet som krävs tillbaka");
    good(r);
    r->lines[0].proposed = 0;
    r->lines[1].proposed = 0;
    expect_issue(r, "lines", "Ange ett belopp som krävs tillbaka");
    good(r);
    r->nlines = 0;
    expect_issue(r, "lines", "Ange belopp för 1–16 block");
    good(r);
    str_copy(r->lines[1].block, sizeof(r->lines[1].block), "kommuner");
    expect_issue(r, "lines.2.block", "Blocket kommuner finns redan på en annan rad");
    good(r);
    str_copy(r->lines[1].block, sizeof(r->lines[1].block), "led ar");
    expect_issue(r, "lines.2.block", "Ange blockets id (bokstäver, siffror, - och _)");
    free(r);
}

static void test_waivers(void **state)
{
    (void)state;
    struct reclaim *r = malloc(sizeof(*r));
    struct reclaim_issues is;
    /* in part: something waived, not everything, with its reason */
    good(r);
    r->waiver = RECLAIM_WAIVER_PARTIAL;
    r->lines[0].waived = 5000000;
    str_copy(r->waiver_reason, sizeof(r->waiver_reason),
             "Kommunen har haft oförutsedda kostnader för rekrytering.");
    assert_int_equal(reclaim_check(r, &is), ERR_OK);
    assert_int_equal(reclaim_total(r), 7500000);
    r->waiver_reason[0] = '\0';
    expect_issue(r, "waiver_reason",
                 "Skriv de särskilda skälen för eftergiften (högst 1000 tecken)");
    str_copy(r->waiver_reason, sizeof(r->waiver_reason), "   \n ");
    expect_issue(r, "waiver_reason",
                 "Skriv de särskilda skälen för eftergiften (högst 1000 tecken)");
    str_copy(r->waiver_reason, sizeof(r->waiver_reason), "Skäl");
    r->lines[0].waived = 10000000;
    r->lines[1].waived = 2500000;
    expect_issue(r, "waiver",
                 "Eftergift i del ska efterge en del av beloppet, inte inget och inte allt");
    /* in whole: everything waived, with its reason; nothing to invoice */
    r->waiver = RECLAIM_WAIVER_WHOLE;
    assert_int_equal(reclaim_check(r, &is), ERR_OK);
    assert_int_equal(reclaim_total(r), 0);
    r->lines[1].waived = 0;
    expect_issue(r, "waiver", "Eftergift i sin helhet ska efterge hela beloppet");
    /* none: nothing waived, no reason */
    good(r);
    r->lines[1].waived = 1;
    expect_issue(r, "waiver", "Ett belopp är eftergivet men beslutet säger ingen eftergift");
    good(r);
    str_copy(r->waiver_reason, sizeof(r->waiver_reason), "x");
    expect_issue(r, "waiver_reason", "Skäl för eftergift utan eftergift");
    free(r);
}

static void test_other_rules(void **state)
{
    (void)state;
    struct reclaim *r = malloc(sizeof(*r));
    good(r);
    r->appeal[0] = '\0';
    expect_issue(r, "appeal", "Beslutet ska ha statsbidragets text om hur man överklagar");
    good(r);
    str_copy(r->orgnr, sizeof(r->orgnr), "2120000143");
    expect_issue(r, "orgnr", "Mottagarens organisationsnummer saknas eller är fel");
    good(r);
    str_copy(r->orgnr, sizeof(r->orgnr), "2321000016");
    expect_issue(r, "orgnr", "Organisationsnumret hör inte till en kommun");
    good(r);
    str_copy(r->recipient_code, sizeof(r->recipient_code), "09");
    r->role = ROLE_REGION;
    str_copy(r->orgnr, sizeof(r->orgnr), "2321000016");
    expect_issue(r, "orgnr", "Organisationsnumret hör inte till en region");
    good(r);
    r->role = ROLE_REGION;
    expect_issue(r, "recipient_code", "Ange mottagarens kommunkod eller länskod");
    good(r);
    r->ground = RECLAIM_GROUND_NONE;
    expect_issue(r, "ground", "Ange skälet till återkravet");
    good(r);
    r->reasons[0] = '\0';
    expect_issue(r, "reasons", "Skriv beslutets motivering (högst 2000 tecken)");
    good(r);
    r->reasons[0] = '\xff';
    expect_issue(r, "reasons", "Skriv beslutets motivering (högst 2000 tecken)");
    good(r);
    r->terms.interest = 1;
    expect_issue(r, "terms.interest_rate_bp", "Ange räntesatsen (0,01–50 procent)");
    good(r);
    r->terms.interest_rate_bp = 1050;
    expect_issue(r, "terms.interest_rate_bp", "Ränta anges bara när statsbidraget tar ut ränta");
    good(r);
    r->terms.days = 400;
    expect_issue(r, "terms.days", "Betalningsvillkoret ska vara 1–365 dagar");
    good(r);
    r->terms.instalments = 25;
    expect_issue(r, "terms.instalments", "Delbetalning kan medges i högst 24 delar");
    good(r);
    r->prepared_by[0] = '\0';
    expect_issue(r, "prepared_by", "Ange vem som berett beslutet");
    good(r);
    r->diarienummer[0] = '\0';
    expect_issue(r, "diarienummer", "Ange statsbidragets diarienummer");
    /* ids and labels */
    assert_string_equal(reclaim_ground_id(RECLAIM_MISUSED), "misused");
    assert_int_equal(reclaim_ground_parse("no_report"), RECLAIM_NO_REPORT);
    assert_int_equal(reclaim_ground_parse("x"), RECLAIM_GROUND_NONE);
    assert_int_equal(reclaim_ground_parse(NULL), RECLAIM_GROUND_NONE);
    assert_string_equal(reclaim_ground_label_sv(RECLAIM_UNUSED), "Medel som inte har använts");
    assert_string_equal(reclaim_ground_id(RECLAIM_GROUND_NONE), "");
    free(r);
}

static void test_four_eyes(void **state)
{
    (void)state;
    struct reclaim *r = malloc(sizeof(*r));
    char msg[200];
    good(r);
    assert_false(reclaim_four_eyes_ok("hanna", "hanna"));
    assert_false(reclaim_four_eyes_ok("hanna", "HANNA"));
    assert_false(reclaim_four_eyes_ok("", "olle"));
    assert_false(reclaim_four_eyes_ok("hanna", NULL));
    assert_true(reclaim_four_eyes_ok("hanna", "olle"));
    assert_int_equal(reclaim_decide(r, "Hanna", D(2027, 4, 15), msg, sizeof(msg)), ERR_DENIED);
    assert_string_equal(
        msg, "Du har berett återkravet ATK-2027-000001 själv; en annan person ska besluta");
    assert_string_equal(r->decided_by, "");
    assert_int_equal(reclaim_decide(r, "", D(2027, 4, 15), msg, sizeof(msg)), ERR_DENIED);
    r->appeal[0] = '\0';
    assert_int_equal(reclaim_decide(r, "olle", D(2027, 4, 15), msg, sizeof(msg)), ERR_INVALID);
    assert_string_equal(msg, "Beslutet ska ha statsbidragets text om hur man överklagar");
    good(r);
    assert_int_equal(reclaim_decide(r, "olle", D(2027, 4, 15), msg, sizeof(msg)), ERR_OK);
    assert_string_equal(r->decided_by, "olle");
    assert_int_equal(date_cmp(r->decided_on, D(2027, 4, 15)), 0);
    assert_int_equal(reclaim_decide(r, "karin", D(2027, 4, 16), msg, sizeof(msg)), ERR_CONFLICT);
    assert_string_equal(msg, "Återkravet ATK-2027-000001 är redan beslutat av olle");
    free(r);
}

/* Luhn over the whole reference, written here */
static int luhn_ok(const char *s)
{
    int sum = 0, n = (int)strlen(s);
    for (int i = 0; i < n; i++) {
        int v = s[n - 1 - i] - '0';
        if (i & 1)
            v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        sum += v;
    }
    return sum % 10 == 0;
}

static void test_numbers_and_ocr(void **state)
{
    (void)state;
    char no[RECLAIM_NUMBER_SIZE], ocr[RECLAIM_OCR_SIZE];
    assert_int_equal(reclaim_doc_number("FAK", 2027, 1, no), ERR_OK);
    assert_string_equal(no, "FAK-2027-000001");
    assert_int_equal(reclaim_doc_number("KRE", 2027, 999999, no), ERR_OK);
    assert_string_equal(no, "KRE-2027-999999");
    assert_int_equal(reclaim_doc_number("fak", 2027, 1, no), ERR_INVALID);
    assert_int_equal(reclaim_doc_number("FAKTU", 2027, 1, no), ERR_INVALID);
    assert_int_equal(reclaim_doc_number("FAK", 2027, 0, no), ERR_INVALID);
    assert_int_equal(reclaim_doc_number("FAK", 2027, 1000000, no), ERR_INVALID);
    assert_int_equal(reclaim_doc_number("FAK", 1999, 1, no), ERR_INVALID);
    assert_string_equal(no, "");
    assert_int_equal(reclaim_ocr(2027, 1, ocr), ERR_OK);
    assert_string_equal(ocr, "202700000120");
    for (long seq = 1; seq <= 999999; seq += 997) {
        assert_int_equal(reclaim_ocr(2027, seq, ocr), ERR_OK);
        assert_int_equal(strlen(ocr), 12);
        assert_true(luhn_ok(ocr));
        assert_true(payment_ocr_ok(ocr)); /* core/payment's rule agrees */
        assert_int_equal(ocr[10], '2');   /* the length digit */
        int y;
        long q;
        assert_int_equal(reclaim_ocr_parse(ocr, &y, &q), ERR_OK);
        assert_int_equal(y, 2027);
        assert_int_equal(q, seq);
    }
    int y;
    long q;
    assert_int_equal(reclaim_ocr_parse("2027 0000 0120", &y, &q), ERR_OK);
    assert_int_equal(q, 1);
    assert_int_equal(reclaim_ocr_parse("202700000121", &y, &q), ERR_PARSE); /* check digit */
    assert_int_equal(reclaim_ocr_parse("202700000130", &y, &q), ERR_PARSE); /* length digit */
    assert_int_equal(reclaim_ocr_parse("20270000012", &y, &q), ERR_PARSE);
    assert_int_equal(reclaim_ocr_parse("2027000001200", &y, &q), ERR_PARSE);
    assert_int_equal(reclaim_ocr_parse("20270000012A", &y, &q), ERR_PARSE);
    assert_int_equal(reclaim_ocr_parse("", &y, &q), ERR_PARSE);
    assert_int_equal(reclaim_ocr_parse(NULL, &y, &q), ERR_PARSE);
    assert_int_equal(y, 0);
    assert_int_equal(reclaim_ocr(2027, 0, ocr), ERR_INVALID);
    assert_int_equal(reclaim_ocr(3000, 1, ocr), ERR_INVALID);
}

static void DUE(struct date on, int days, struct date want)
{
    struct reclaim_terms t = {days, 1, 0, 0};
    struct date got = reclaim_due(on, &t);
    if (date_cmp(got, want) != 0)
        fail_msg("due %04d-%02d-%02d: %04d-%02d-%02d", on.y, on.m, on.d, got.y, got.m, got.d);
}

static void test_due(void **state)
{
    (void)state;
    DUE(D(2027, 4, 15), 30, D(2027, 5, 17));   /* a Saturday moves to Monday */
    DUE(D(2027, 4, 14), 30, D(2027, 5, 14));   /* a Friday stays */
    DUE(D(2027, 5, 26), 30, D(2027, 6, 28));   /* midsommarafton moves past the weekend */
    DUE(D(2026, 11, 24), 30, D(2026, 12, 28)); /* julafton moves past Christmas */
    DUE(D(2027, 4, 15), 0, D(2027, 5, 17));    /* 0 days: the default 30 */
    DUE(D(2027, 4, 15), 10, D(2027, 4, 26));   /* a Sunday */
}

static void test_instalments(void **state)
{
    (void)state;
    struct reclaim_terms none = {30, 1, 0, 0}, four = {30, 4, 0, 0};
    struct reclaim_instalment v[RECLAIM_MAX_INSTALMENTS];
    char msg[200];
    assert_int_equal(reclaim_instalments(&none, 100000, 2, D(2027, 5, 17), v, msg, sizeof(msg)),
                     ERR_DENIED);
    assert_string_equal(msg, "Statsbidraget medger inte delbetalning");
    assert_int_equal(reclaim_instalments(&four, 100000, 5, D(2027, 5, 17), v, msg, sizeof(msg)),
                     ERR_DENIED);
    assert_string_equal(msg, "Statsbidraget medger delbetalning i högst 4 delar");
    assert_int_equal(reclaim_instalments(&four, 100000, 1, D(2027, 5, 17), v, msg, sizeof(msg)),
                     ERR_INVALID);
    assert_int_equal(reclaim_instalments(&four, 2, 3, D(2027, 5, 17), v, msg, sizeof(msg)),
                     ERR_INVALID);
    assert_int_equal(reclaim_instalments(&four, 100000, 3, D(2027, 5, 17), v, msg, sizeof(msg)),
                     ERR_OK);
    assert_int_equal(v[0].amount, 33334);
    assert_int_equal(v[1].amount, 33333);
    assert_int_equal(v[2].amount, 33333);
    assert_int_equal(v[0].amount + v[1].amount + v[2].amount, 100000);
    assert_int_equal(date_cmp(v[0].due, D(2027, 5, 17)), 0);
    assert_int_equal(date_cmp(v[1].due, D(2027, 6, 17)), 0);
    assert_int_equal(date_cmp(v[2].due, D(2027, 7, 19)), 0); /* the 17th is a Saturday */
}

static void test_interest(void **state)
{
    (void)state;
    struct reclaim_terms none = {30, 1, 0, 0}, rate = {30, 1, 1, 1050};
    /* 10 000 kr, 10.5 % a year, 30 days: 86.30137 kr */
    assert_int_equal(reclaim_interest(&rate, 1000000, D(2027, 5, 17), D(2027, 6, 16)), 8630);
    assert_int_equal(reclaim_interest(&rate, 1000000, D(2027, 5, 17), D(2027, 5, 17)), 0);
    assert_int_equal(reclaim_interest(&rate, 1000000, D(2027, 5, 17), D(2027, 5, 1)), 0);
    assert_int_equal(reclaim_interest(&none, 1000000, D(2027, 5, 17), D(2027, 6, 16)), 0);
    /* one day on 1 kr: 0.0029 öre rounds to 0; on 36 500 kr: exactly 10.50 kr */
    assert_int_equal(reclaim_interest(&rate, 100, D(2027, 5, 17), D(2027, 5, 18)), 0);
    assert_int_equal(reclaim_interest(&rate, 3650000, D(2027, 5, 17), D(2027, 5, 18)), 1050);
    /* half an öre rounds up: 200 öre at 3650 bp for 1 day = 2 öre exactly; 1
     * öre at 18250 bp... use 10000 bp: 73 öre * 1 * 1 / 365 = 0.2 öre */
    assert_int_equal(
        reclaim_interest(&(struct reclaim_terms){30, 1, 1, 5000}, 73, D(2027, 1, 1), D(2027, 1, 6)),
        1); /* 73 * 0.5 * 5 / 365 = 0.5 öre: half up */
}

static void test_payments(void **state)
{
    (void)state;
    struct reclaim_terms none = {30, 1, 0, 0}, rate = {30, 1, 1, 1050}, parts = {30, 3, 0, 0};
    struct reclaim_account a;
    struct reclaim_payment_result res;
    char msg[200];
    /* in full, on time */
    memset(&a, 0, sizeof(a));
    a.invoiced = 12500000;
    a.due = D(2027, 5, 17);
    assert_int_equal(reclaim_state_of(&a), RECLAIM_OPEN);
    assert_int_equal(reclaim_pay(&a, &none, 12500000, D(2027, 5, 17), &res, msg, sizeof(msg)),
                     ERR_OK);
    assert_int_equal(res.state, RECLAIM_PAID);
    assert_int_equal(res.to_principal, 12500000);
    assert_int_equal(res.partial_not_agreed, 0);
    assert_int_equal(reclaim_owed(&a), 0);
    assert_string_equal(reclaim_state_label_sv(res.state), "betald");
    /* a part payment the terms do not allow: booked and flagged */
    memset(&a, 0, sizeof(a));
    a.invoiced = 12500000;
    a.due = D(2027, 5, 17);
    assert_int_equal(reclaim_pay(&a, &none, 5000000, D(2027, 5, 10), &res, msg, sizeof(msg)),
                     ERR_OK);
    assert_int_equal(res.state, RECLAIM_PART_PAID);
    assert_int_equal(res.partial_not_agreed, 1);
    assert_int_equal(reclaim_owed(&a), 7500000);
    /* with instalments allowed it is not flagged */
    memset(&a, 0, sizeof(a));
    a.invoiced = 12500000;
    a.due = D(2027, 5, 17);
    assert_int_equal(reclaim_pay(&a, &parts, 5000000, D(2027, 5, 10), &res, msg, sizeof(msg)),
                     ERR_OK);
    assert_int_equal(res.partial_not_agreed, 0);
    /* late with interest: interest is charged and settled first */
    memset(&a, 0, sizeof(a));
    a.invoiced = 1000000;
    a.due = D(2027, 5, 17);
    assert_int_equal(reclaim_pay(&a, &rate, 500000, D(2027, 6, 16), &res, msg, sizeof(msg)),
                     ERR_OK);
    assert_int_equal(res.interest_new, 8630);
    assert_int_equal(res.to_interest, 8630);
    assert_int_equal(res.to_principal, 491370);
    assert_int_equal(reclaim_principal_left(&a), 508630);
    assert_int_equal(res.state, RECLAIM_PART_PAID);
    /* the next payment charges interest only from the last payment on */
    assert_int_equal(reclaim_pay(&a, &rate, 508630, D(2027, 6, 16), &res, msg, sizeof(msg)),
                     ERR_OK);
    assert_int_equal(res.interest_new, 0);
    assert_int_equal(res.state, RECLAIM_PAID);
    /* paid twice: the excess is to be paid back */
    assert_int_equal(reclaim_pay(&a, &rate, 1000, D(2027, 6, 17), &res, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(res.excess, 1000);
    assert_int_equal(res.state, RECLAIM_OVERPAID);
    assert_int_equal(reclaim_owed(&a), -1000);
    /* refused amounts */
    assert_int_equal(reclaim_pay(&a, &rate, 0, D(2027, 6, 17), &res, msg, sizeof(msg)),
                     ERR_INVALID);
    assert_string_equal(msg, "Ange ett belopp större än noll");
    assert_int_equal(reclaim_pay(&a, &rate, -5, D(2027, 6, 17), &res, msg, sizeof(msg)),
                     ERR_INVALID);
    /* credited in full before anything was paid: cancelled */
    memset(&a, 0, sizeof(a));
    a.invoiced = 1000000;
    a.credited = 1000000;
    assert_int_equal(reclaim_state_of(&a), RECLAIM_CANCELLED);
    assert_string_equal(reclaim_state_id(RECLAIM_CANCELLED), "cancelled");
}

static void test_credit_notes(void **state)
{
    (void)state;
    struct reclaim *inv = malloc(sizeof(*inv)), *rev = malloc(sizeof(*rev));
    struct reclaim_credit c;
    char msg[200];
    good(inv);
    /* reduced: one block comes down by a waiver in part */
    good(rev);
    rev->waiver = RECLAIM_WAIVER_PARTIAL;
    rev->lines[0].waived = 4000000;
    str_copy(rev->waiver_reason, sizeof(rev->waiver_reason), "Skäl");
    assert_int_equal(reclaim_credit_for(inv, "FAK-2027-000001", rev, &c, msg, sizeof(msg)), ERR_OK);
    assert_string_equal(c.invoice, "FAK-2027-000001");
    assert_int_equal(c.nlines, 1);
    assert_string_equal(c.lines[0].block, "kommuner");
    assert_int_equal(c.lines[0].proposed, 4000000);
    assert_int_equal(c.total, 4000000);
    assert_int_equal(c.cancels, 0);
    /* a block dropped from the decision is credited whole */
    good(rev);
    rev->nlines = 1;
    assert_int_equal(reclaim_credit_for(inv, "FAK-2027-000001", rev, &c, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(c.nlines, 1);
    assert_string_equal(c.lines[0].block, "ledarskap");
    assert_int_equal(c.total, 2500000);
    /* cancelled: everything */
    assert_int_equal(reclaim_credit_for(inv, "FAK-2027-000001", NULL, &c, msg, sizeof(msg)),
                     ERR_OK);
    assert_int_equal(c.nlines, 2);
    assert_int_equal(c.total, 12500000);
    assert_int_equal(c.cancels, 1);
    /* raised: a new invoice, not a credit note */
    good(rev);
    rev->lines[1].proposed = 2600000;
    assert_int_equal(reclaim_credit_for(inv, "FAK-2027-000001", rev, &c, msg, sizeof(msg)),
                     ERR_INVALID);
    assert_string_equal(msg, "Beloppet för blocket ledarskap har höjts; ett högre krav är en ny "
                             "faktura, inte en kreditnota");
    good(rev);
    str_copy(rev->lines[1].block, sizeof(rev->lines[1].block), "nytt");
    assert_int_equal(reclaim_credit_for(inv, "FAK-2027-000001", rev, &c, msg, sizeof(msg)),
                     ERR_INVALID);
    good(rev);
    assert_int_equal(reclaim_credit_for(inv, "FAK-2027-000001", rev, &c, msg, sizeof(msg)),
                     ERR_INVALID);
    assert_string_equal(msg, "Inget belopp har sänkts; det finns inget att kreditera");
    good(rev);
    str_copy(rev->recipient_code, sizeof(rev->recipient_code), "0114");
    assert_int_equal(reclaim_credit_for(inv, "FAK-2027-000001", rev, &c, msg, sizeof(msg)),
                     ERR_INVALID);
    assert_int_equal(reclaim_credit_for(inv, "", NULL, &c, msg, sizeof(msg)), ERR_INVALID);
    free(inv);
    free(rev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_decision), cmocka_unit_test(test_amount_rules),
        cmocka_unit_test(test_waivers),       cmocka_unit_test(test_other_rules),
        cmocka_unit_test(test_four_eyes),     cmocka_unit_test(test_numbers_and_ocr),
        cmocka_unit_test(test_due),           cmocka_unit_test(test_instalments),
        cmocka_unit_test(test_interest),      cmocka_unit_test(test_payments),
        cmocka_unit_test(test_credit_notes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
