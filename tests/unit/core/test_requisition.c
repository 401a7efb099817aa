/* test_requisition.c - requisition rules: validation per field, drafts,
 * window (inclusive, Stockholm dates), roles, states, plan types, diff,
 * canonical text and the exact split over blocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/action.h"
#include "core/perm.h"
#include "core/requisition.h"
#include "../msgtext.h"

/* May someone holding roles for 0180 (and nothing else) do act there? */
static int may(enum action_id act, unsigned roles)
{
    struct action_who w = {1, 0, roles, roles, roles & PERM_RECIPIENT_MASK ? "0180" : ""};
    return action_allowed(action_get(act), &w, "0180", NULL) == ERR_OK;
}

#define SET(dst, v) snprintf(dst, sizeof(dst), "%s", v)

static struct purpose purposes[2] = {{"vfu", "VFU", 1, ""}, {"cancer", "Cancer", 2, ""}};

static void program_fill(struct program *p, int plan)
{
    memset(p, 0, sizeof(*p));
    SET(p->id, "p-2026");
    SET(p->title, "Programmet");
    p->purposes = purposes;
    p->npurposes = 2;
    p->production_plan = plan;
    date_parse("2026-03-02", &p->requisition_opens);
    date_parse("2026-10-30", &p->requisition_closes);
}

static void form_fill(struct req_form *f)
{
    req_form_init(f);
    SET(f->program, "p-2026");
    SET(f->recipient, "0180");
    f->amount_ore = 100000000;
    assert_int_equal(req_measure_add(f, "vfu", "Handledare", 60000000), ERR_OK);
    assert_int_equal(req_measure_add(f, "cancer", "Koloskopi", 40000000), ERR_OK);
    SET(f->contact_name, "Åsa");
    SET(f->contact_email, "asa@example.se");
    SET(f->contact_phone, "08-123 45 67");
    SET(f->account_kind, "plusgiro");
    SET(f->account, "90 20 01-7");
    f->confirmed = 1;
}

static void test_validate(void **state)
{
    (void)state;
    struct program p;
    struct req_form f;
    struct msg_issues is;
    program_fill(&p, 0);
    form_fill(&f);
    const int64_t max = 150000000;
    assert_int_equal(req_validate(&f, &p, max, 1, &is), 0);
    /* the maximum by default */
    f.amount_ore = -1;
    assert_int_equal(req_validate(&f, &p, max, 1, &is), 0);
    f.amount_ore = max + 100;
    assert_int_equal(req_validate(&f, &p, max, 1, &is), 1);
    assert_string_equal(issue(&is, "amount"), "Beloppet får vara högst 1 500 000 kr");
    f.amount_ore = 99999950;
    req_validate(&f, &p, max, 1, &is);
    assert_string_equal(issue(&is, "amount"), "Ange beloppet i hela kronor");
    f.amount_ore = 0;
    req_validate(&f, &p, max, 1, &is);
    assert_string_equal(issue(&is, "amount"), "Ange ett belopp större än 0 kr");
    /* planned amounts may not exceed the amount */
    f.amount_ore = 90000000;
    req_validate(&f, &p, max, 1, &is);
    assert_string_equal(issue(&is, "measures"),
                        "Insatsernas planerade belopp (1 000 000 kr) är större än det "
                        "rekvirerade beloppet (900 000 kr)");
    f.amount_ore = 100000000;
    /* measures: purpose, description */
    SET(f.measures[1].purpose, "okänt");
    free(f.measures[0].description);
    f.measures[0].description = strdup("   ");
    f.measures[1].planned_ore = -1;
    req_validate(&f, &p, max, 1, &is);
    assert_string_equal(issue(&is, "measure.2.purpose"), "Syftet finns inte i statsbidraget");
    assert_string_equal(issue(&is, "measure.1.description"), "Beskriv insatsen");
    assert_string_equal(issue(&is, "measure.2.planned"),
                        "Det planerade beloppet får inte vara negativt");
    free(f.measures[0].description);
    char big[2101 * 2 + 1];
    for (int i = 0; i < 2001; i++)
        memcpy(big + 2 * i, "ö", 2);
    big[2001 * 2] = '\0';
    f.measures[0].description = strdup(big);
    req_validate(&f, &p, max, 1, &is);
    assert_string_equal(issue(&is, "measure.1.description"),
                        "Beskrivningen får ha högst 2000 tecken (nu 2001)");
    big[2000 * 2] = '\0';
    free(f.measures[0].description);
    f.measures[0].description = strdup(big);
    SET(f.measures[1].purpose, "cancer");
    f.measures[1].planned_ore = 0;
    assert_int_equal(req_validate(&f, &p, max, 1, &is), 0);
    /* at most ten measures */
    for (int i = 2; i < REQ_MEASURES_MAX; i++)
        assert_int_equal(req_measure_add(&f, "vfu", "x", 0), ERR_OK);
    assert_int_equal(req_measure_add(&f, "vfu", "x", 0), ERR_LIMIT);
    req_form_release(&f);

    /* contact, account, confirmation, plan */
    form_fill(&f);
    SET(f.contact_email, "asa@");
    SET(f.contact_phone, "ring mig");
    SET(f.account, "90 20 01-8");
    f.confirmed = 0;
    f.nmeasures = 2;
    program_fill(&p, 1);
    req_validate(&f, &p, max, 1, &is);
    assert_string_equal(issue(&is, "contact_email"),
                        "E-postadressen ser inte ut som en e-postadress");
    assert_non_null(issue(&is, "contact_phone"));
    assert_string_equal(issue(&is, "account"), "Kontrollsiffran stämmer inte för plusgironumret");
    assert_non_null(issue(&is, "confirmed"));
    /* the production plan "kan komma att begäras in": not required (issue 11) */
    assert_null(issue(&is, "plan"));
    /* drafts: nothing of that blocks */
    assert_int_equal(req_validate(&f, &p, max, 0, &is), 0);
    /* ... but an unknown file or broken text does */
    static const unsigned char gif[] = "GIF89a....";
    f.plan_data = gif;
    f.plan_len = sizeof(gif) - 1;
    SET(f.contact_name, "\xc3\x28");
    assert_int_equal(req_validate(&f, &p, max, 0, &is), 2);
    assert_non_null(issue(&is, "plan"));
    assert_non_null(issue(&is, "contact_name"));
    req_form_release(&f);
    /* no allocation: nothing to requisition */
    form_fill(&f);
    req_validate(&f, &p, 0, 1, &is);
    assert_non_null(issue(&is, "amount"));
    req_form_release(&f);
}

static void test_plan_type(void **state)
{
    (void)state;
    assert_string_equal(req_plan_type((const unsigned char *)"%PDF-1.4\n", 9), "application/pdf");
    /* a ZIP's first bytes are not enough: any ZIP passed as XLSX before */
    assert_null(req_plan_type((const unsigned char *)"PK\x03\x04xx", 6));
    assert_null(req_plan_type((const unsigned char *)"%PD", 3));
    assert_null(req_plan_type(NULL, 0));
    struct req_form f;
    struct msg_issues is;
    struct program p;
    program_fill(&p, 1);
    form_fill(&f);
    static unsigned char pdf[] = "%PDF-1.7";
    f.plan_data = pdf;
    f.plan_len = REQ_PLAN_MAX_BYTES + 1; /* only the length is looked at */
    req_validate(&f, &p, 150000000, 0, &is);
    assert_string_equal(issue(&is, "plan"), "Produktionsplanen får vara högst 10 MiB");
    req_form_release(&f);
}

static void test_window_roles_states(void **state)
{
    (void)state;
    struct program p;
    struct date d;
    struct msg msg;
    program_fill(&p, 0);
    date_parse("2026-03-01", &d);
    assert_int_equal(req_window_check(&p, d, &msg), ERR_DENIED);
    assert_string_equal(msgtext(&msg), "Rekvisitionen öppnar 2 mars 2026");
    date_parse("2026-03-02", &d);
    assert_int_equal(req_window_check(&p, d, &msg), ERR_OK);
    date_parse("2026-10-30", &d);
    assert_int_equal(req_window_check(&p, d, &msg), ERR_OK);
    date_parse("2026-10-31", &d);
    assert_int_equal(req_window_check(&p, d, &msg), ERR_DENIED);
    assert_string_equal(msgtext(&msg), "Rekvisitionen stängde 30 oktober 2026");

    /* who may save and submit is the action table's */
    assert_true(may(ACT_REQ_SAVE, PERM_UPPGIFTSSAMORDNARE));
    assert_false(may(ACT_REQ_SUBMIT, PERM_UPPGIFTSSAMORDNARE));
    assert_true(may(ACT_REQ_SUBMIT, PERM_OMBUD));
    assert_true(may(ACT_REQ_SUBMIT, PERM_REPRESENTANT));
    assert_false(may(ACT_REQ_SUBMIT, PERM_HANDLAGGARE));

    assert_true(req_action_allowed(REQ_DRAFT, REQ_ACT_SUBMIT));
    assert_true(req_action_allowed(REQ_RETURNED, REQ_ACT_SAVE));
    assert_false(req_action_allowed(REQ_SUBMITTED, REQ_ACT_SAVE));
    assert_true(req_action_allowed(REQ_SUBMITTED, REQ_ACT_APPROVE));
    assert_false(req_action_allowed(REQ_APPROVED, REQ_ACT_REJECT));
    assert_false(req_action_allowed(REQ_DRAFT, REQ_ACT_RETURN));
    assert_int_equal(req_state_parse("returned"), REQ_RETURNED);
    assert_int_equal(req_state_parse("x"), -1);
    assert_string_equal(req_state_label_sv(REQ_APPROVED), "beviljad");
}

static void test_civil_date(void **state)
{
    (void)state;
    char b[11];
    struct {
        int64_t t;
        const char *want;
    } cases[] = {
        {1767222000, "2026-01-01"}, /* 2025-12-31T23:00:00Z = 00:00 CET */
        {1767221999, "2025-12-31"}, /* 22:59:59Z = 23:59:59 CET */
        {1782856800, "2026-07-01"}, /* 2026-06-30T22:00:00Z = 00:00 CEST */
        {1782856799, "2026-06-30"},
    };
    for (size_t i = 0; i < 4; i++) {
        date_fmt(b, sizeof(b), civil_date(cases[i].t));
        assert_string_equal(b, cases[i].want);
    }
    /* 2026-10-30T22:59:59Z is 23:59:59 CET (summer time ended 25 Oct) */
    date_fmt(b, sizeof(b), civil_date(1793401199));
    assert_string_equal(b, "2026-10-30");
    date_fmt(b, sizeof(b), civil_date(1793401200));
    assert_string_equal(b, "2026-10-31");
    /* 2026-03-29: the change at 01:00 UTC */
    date_fmt(b, sizeof(b), civil_date(1774738800)); /* 2026-03-28T23:00:00Z, CET */
    assert_string_equal(b, "2026-03-29");
}

static void test_diff_canon(void **state)
{
    (void)state;
    struct req_form a, b;
    char fields[20][32];
    form_fill(&a);
    assert_int_equal(req_form_copy(&b, &a), ERR_OK);
    assert_int_equal(req_form_diff(&a, &b, fields, 20), 0);
    b.amount_ore = 1;
    free(b.measures[1].description);
    b.measures[1].description = strdup("Annat");
    b.opt_in = 1;
    assert_int_equal(req_measure_add(&b, "vfu", "ny", 0), ERR_OK);
    size_t n = req_form_diff(&a, &b, fields, 20);
    assert_int_equal(n, 5);
    assert_string_equal(fields[0], "amount");
    assert_string_equal(fields[1], "measures");
    assert_string_equal(fields[2], "measure.2.description");
    assert_string_equal(fields[3], "measure.3");
    assert_string_equal(fields[4], "opt_in");
    struct buf x, y;
    buf_init(&x, 1 << 16);
    buf_init(&y, 1 << 16);
    assert_int_equal(req_form_canon(&a, &x), ERR_OK);
    assert_int_equal(req_form_canon(&b, &y), ERR_OK);
    assert_string_not_equal(x.p, y.p);
    assert_non_null(strstr(x.p, "amount=100000000\n"));
    /* a newline in a description cannot forge a field */
    free(a.measures[0].description);
    a.measures[0].description = strdup("x\namount=1");
    buf_reset(&x);
    req_form_canon(&a, &x);
    assert_null(strstr(x.p, "\namount=1\n"));
    buf_release(&x);
    buf_release(&y);
    req_form_release(&a);
    req_form_release(&b);
}

static void test_split(void **state)
{
    (void)state;
    struct alloc_line l1[2], l2[1];
    memset(l1, 0, sizeof(l1));
    memset(l2, 0, sizeof(l2));
    SET(l1[0].r.code, "01");
    l1[0].amount_kr = 300;
    SET(l1[1].r.code, "03");
    l1[1].amount_kr = 100;
    SET(l2[0].r.code, "01");
    l2[0].amount_kr = 701;
    struct block_result br[2];
    memset(br, 0, sizeof(br));
    br[0].lines = l1;
    br[0].n = 2;
    br[1].lines = l2;
    br[1].n = 1;
    struct allocation a;
    memset(&a, 0, sizeof(a));
    a.blocks = br;
    a.nblocks = 2;
    assert_int_equal(req_max_ore(&a, "01"), 100100);
    assert_int_equal(req_max_ore(&a, "03"), 10000);
    assert_int_equal(req_max_ore(&a, "05"), 0);
    int64_t out[2];
    req_split_blocks(&a, "01", 1001, out);
    assert_int_equal(out[0], 300);
    assert_int_equal(out[1], 701);
    req_split_blocks(&a, "01", 500, out);
    assert_int_equal(out[0] + out[1], 500);
    assert_int_equal(out[0], 150); /* 500*300/1001 = 149.85 -> 149, +1 to the first */
    assert_int_equal(out[1], 350);
    req_split_blocks(&a, "03", 7, out);
    assert_int_equal(out[0], 7);
    assert_int_equal(out[1], 0);
    req_split_blocks(&a, "01", 0, out);
    assert_int_equal(out[0] + out[1], 0);
}

static void test_form_set(void **state)
{
    (void)state;
    struct req_form f;
    struct msg_issues is;
    memset(&is, 0, sizeof(is));
    req_form_init(&f);
    assert_int_equal(req_form_set(&f, "amount", "1 250 000", &is), ERR_OK);
    assert_int_equal(f.amount_ore, 125000000);
    assert_int_equal(req_form_set(&f, "amount", " 1 250 000 kr ", &is), ERR_OK);
    assert_int_equal(f.amount_ore, 125000000);
    assert_int_equal(req_form_set(&f, "amount", "", &is), ERR_OK);
    assert_int_equal(f.amount_ore, -1);
    assert_int_equal(req_form_set(&f, "amount", "mycket", &is), ERR_PARSE);
    assert_string_equal(issue(&is, "amount"), "Ange beloppet i kronor, till exempel 1 250 000");
    assert_int_equal(req_form_set(&f, "measure.3.description", "Tredje", &is), ERR_OK);
    assert_int_equal(f.nmeasures, 3);
    assert_int_equal(req_form_set(&f, "measure.1.purpose", "vfu", &is), ERR_OK);
    assert_int_equal(req_form_set(&f, "measure.1.planned", "100 000", &is), ERR_OK);
    assert_int_equal(f.measures[0].planned_ore, 10000000);
    assert_int_equal(req_form_set(&f, "measure.11.purpose", "vfu", &is), ERR_PARSE);
    assert_int_equal(req_form_set(&f, "measure.0.purpose", "vfu", &is), ERR_NOTFOUND);
    assert_int_equal(req_form_set(&f, "measure.1.other", "x", &is), ERR_NOTFOUND);
    assert_int_equal(req_form_set(&f, "csrf", "x", &is), ERR_NOTFOUND);
    assert_int_equal(req_form_set(&f, "opt_in", "on", &is), ERR_OK);
    assert_true(f.opt_in);
    assert_int_equal(req_form_set(&f, "confirmed", "0", &is), ERR_OK);
    assert_false(f.confirmed);
    char longname[300];
    memset(longname, 'x', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    assert_int_equal(req_form_set(&f, "contact_name", longname, &is), ERR_PARSE);
    assert_non_null(issue(&is, "contact_name"));
    assert_int_equal(req_form_set(&f, "account", "5050-1055", &is), ERR_OK);
    assert_string_equal(f.account, "5050-1055");
    /* limits are characters: 120 of "Å" (240 bytes) fit whole, 121 do not */
    char aa[2 * 121 + 1];
    for (int i = 0; i < 121; i++)
        memcpy(aa + 2 * i, "\xc3\x85", 2);
    aa[2 * 120] = '\0';
    memset(&is, 0, sizeof(is));
    assert_int_equal(req_form_set(&f, "contact_name", aa, &is), ERR_OK);
    assert_int_equal(strlen(f.contact_name), 240);
    assert_string_equal(f.contact_name, aa);
    aa[2 * 120] = '\xc3';
    aa[2 * 121] = '\0';
    aa[2 * 120 + 1] = '\x85';
    assert_int_equal(req_form_set(&f, "contact_name", aa, &is), ERR_PARSE);
    assert_string_equal(issue(&is, "contact_name"), "Texten är för lång (högst 120 tecken)");
    /* broken text and line breaks in a one-line field */
    memset(&is, 0, sizeof(is));
    assert_int_equal(req_form_set(&f, "contact_phone", "08\xed\xa0\x80", &is), ERR_PARSE);
    assert_string_equal(issue(&is, "contact_phone"), "Texten innehåller ogiltiga tecken");
    assert_int_equal(req_form_set(&f, "contact_email", "a@b.se\nBcc: x", &is), ERR_PARSE);
    /* the plan's file name: whole, or an issue for "plan" */
    memset(&is, 0, sizeof(is));
    assert_int_equal(req_form_set_plan_name(&f, "plan \xc3\xa5r 2026.pdf", &is), ERR_OK);
    assert_string_equal(f.plan.name, "plan \xc3\xa5r 2026.pdf");
    char fname[2 * 201 + 1];
    for (int i = 0; i < 201; i++)
        memcpy(fname + 2 * i, "\xc3\xa5", 2);
    fname[2 * 201] = '\0';
    assert_int_equal(req_form_set_plan_name(&f, fname, &is), ERR_PARSE);
    assert_non_null(issue(&is, "plan"));
    /* the empty second measure goes; the others keep their order */
    req_form_trim(&f);
    assert_int_equal(f.nmeasures, 2);
    assert_string_equal(f.measures[0].purpose, "vfu");
    assert_string_equal(f.measures[1].description, "Tredje");
    req_form_release(&f);
}

/* Case and decision numbers are formatted here, not in the store. */
static void test_number_fmt(void **state)
{
    (void)state;
    char b[REQ_CASE_LEN];
    assert_int_equal(req_number_fmt(b, sizeof(b), "REK", 2026, 1), ERR_OK);
    assert_string_equal(b, "REK-2026-000001");
    assert_int_equal(req_number_fmt(b, sizeof(b), "BES", 2027, 123456), ERR_OK);
    assert_string_equal(b, "BES-2027-123456");
    assert_int_equal(req_number_fmt(b, sizeof(b), "BES", 2027, 1234567), ERR_OK);
    assert_string_equal(b, "BES-2027-1234567"); /* wider, never cut */
    assert_int_equal(req_number_fmt(b, sizeof(b), "REK", 2026, 0), ERR_INVALID);
    assert_string_equal(b, "");
    assert_int_equal(req_number_fmt(b, sizeof(b), "rek", 2026, 1), ERR_INVALID);
    assert_int_equal(req_number_fmt(b, sizeof(b), "", 2026, 1), ERR_INVALID);
    assert_int_equal(req_number_fmt(b, sizeof(b), NULL, 2026, 1), ERR_INVALID);
    assert_int_equal(req_number_fmt(b, sizeof(b), "ABCDEFGHI", 2026, 1), ERR_INVALID);
    assert_int_equal(req_number_fmt(b, sizeof(b), "REK", 999, 1), ERR_INVALID);
    assert_int_equal(req_number_fmt(b, sizeof(b), "REK", 10000, 1), ERR_INVALID);
    assert_int_equal(req_number_fmt(b, sizeof(b), "ABCDEFGH", 2026, 9223372036854775807LL),
                     ERR_LIMIT);
    assert_string_equal(b, "");
    assert_int_equal(req_number_fmt(b, 10, "REK", 2026, 1), ERR_LIMIT);
}

/* left to redistribute: before the run allocated less approved (never
 * negative: a supplementary decision may pass it), after it the run's rest */
static void test_left(void **state)
{
    (void)state;
    assert_int_equal(req_left_ore(100000, 40000, 0, 0), 60000);
    assert_int_equal(req_left_ore(100000, 120000, 0, 0), 0);
    assert_int_equal(req_left_ore(100000, 40000, 1, 300), 300);
    assert_int_equal(req_left_ore(100000, 100000, 1, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_plan_type),
        cmocka_unit_test(test_window_roles_states),
        cmocka_unit_test(test_civil_date),
        cmocka_unit_test(test_diff_canon),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_left),
        cmocka_unit_test(test_form_set),
        cmocka_unit_test(test_number_fmt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
