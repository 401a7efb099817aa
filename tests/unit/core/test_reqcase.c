/* test_reqcase.c - the requisition as a kind of case: the form survives
 * the trip to canonical JSON and back field by field (compared through
 * req_form_canon, written before this codec), the canonical text does not
 * depend on member order, validation through the codec gives the same
 * field messages as req_validate on the form (with the plan from the
 * context), content that cannot be read is refused under the form's field
 * names, the diff speaks in kronor per measure, and the kind is
 * registered once with its plan slot (PDF and XLSX by their bytes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/reqcase.h"
#include "../msgtext.h"

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
}

static void form_fill(struct req_form *f)
{
    req_form_init(f);
    SET(f->program, "p-2026");
    SET(f->recipient, "0180");
    f->amount_ore = 100000000;
    assert_int_equal(req_measure_add(f, "vfu", "Handledare \"på\" äldreboenden\nrad två", 60000000),
                     ERR_OK);
    assert_int_equal(req_measure_add(f, "cancer", "Koloskopi", 40000000), ERR_OK);
    SET(f->contact_name, "Åsa Öberg");
    SET(f->contact_email, "asa@example.se");
    SET(f->contact_phone, "08-123 45 67");
    SET(f->account_kind, "plusgiro");
    SET(f->account, "90 20 01-7");
    f->opt_in = 1;
    f->extra_cap_ore = 500000000;
    f->confirmed = 1;
}

static char *canon_form(const struct req_form *f)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    assert_int_equal(req_form_canon(f, &b), ERR_OK);
    assert_int_equal(buf_putc(&b, '\0'), ERR_OK);
    return buf_steal(&b);
}

static char *canon_json(const json_t *j)
{
    char *t = NULL;
    assert_int_equal(case_canon(reqcase_kind(), j, &t), ERR_OK);
    return t;
}

static void round_trip(const struct req_form *f)
{
    json_t *j = NULL;
    struct req_form back;
    struct msg_issues is = {0};
    assert_int_equal(reqcase_to_json(f, &j), ERR_OK);
    /* through its canonical text, as stored */
    char *text = canon_json(j);
    json_t *parsed = NULL;
    assert_int_equal(case_content_parse(reqcase_kind(), text, &parsed), ERR_OK);
    assert_int_equal(reqcase_from_json(parsed, &back, &is), ERR_OK);
    assert_int_equal(is.n, 0);
    char *a = canon_form(f), *b = canon_form(&back);
    assert_string_equal(a, b);
    char fields[32][32];
    assert_int_equal(req_form_diff(f, &back, fields, 32), 0);
    free(a);
    free(b);
    free(text);
    json_decref(j);
    json_decref(parsed);
    req_form_release(&back);
}

static void test_round_trip(void **state)
{
    (void)state;
    struct req_form f;
    form_fill(&f);
    round_trip(&f);
    /* the defaults: no amount, no measures, "as much as possible" */
    struct req_form e;
    req_form_init(&e);
    SET(e.program, "p-2026");
    SET(e.recipient, "01");
    e.extra_cap_ore = REQ_EXTRA_ANY;
    round_trip(&e);
    json_t *j = NULL;
    assert_int_equal(reqcase_to_json(&e, &j), ERR_OK);
    assert_null(json_object_get(j, "amount_ore")); /* not given */
    assert_int_equal(json_integer_value(json_object_get(j, "extra_cap_ore")), -1);
    json_decref(j);
    /* ten measures with long descriptions fit the kind's size */
    for (int i = (int)f.nmeasures; i < REQ_MEASURES_MAX; i++) {
        char d[2000 * 2 + 1];
        for (int k = 0; k < 2000; k++)
            memcpy(d + 2 * k, "ä", 2);
        d[4000] = '\0';
        assert_int_equal(req_measure_add(&f, "vfu", d, 0), ERR_OK);
    }
    round_trip(&f);
    req_form_release(&f);
    req_form_release(&e);
}

static void test_canonical(void **state)
{
    (void)state;
    /* the same content with its members in another order and spacing */
    json_t *a = json_loads("{\"recipient\":\"0180\", \"program\":\"p\", \"amount_ore\": 100,"
                           " \"opt_in\": false}",
                           0, NULL);
    json_t *b = json_loads("{\"opt_in\":false,\"amount_ore\":100,\"program\":\"p\","
                           "\"recipient\":\"0180\"}",
                           0, NULL);
    char *ta = canon_json(a), *tb = canon_json(b);
    assert_string_equal(ta, tb);
    assert_string_equal(ta, "{\"amount_ore\":100,\"opt_in\":false,\"program\":\"p\","
                            "\"recipient\":\"0180\"}");
    free(ta);
    free(tb);
    json_decref(a);
    json_decref(b);
}

/* The fields with a message, as one string "a b c". */
static void fields_of(const struct msg_issues *is, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < is->n; i++) {
        size_t l = strlen(out);
        snprintf(out + l, n - l, "%s%s", l ? " " : "", is->v[i].field);
    }
}

static void same_as_form(const struct req_form *f, const struct program *p, int64_t max,
                         const struct req_plan *plan, int for_submit)
{
    struct msg_issues direct, coded = {0};
    struct req_form g;
    char x[512], y[512];
    assert_int_equal(req_form_copy(&g, f), ERR_OK);
    if (plan)
        g.plan = *plan;
    req_validate(&g, p, max, for_submit, &direct);
    json_t *j = NULL;
    assert_int_equal(reqcase_to_json(f, &j), ERR_OK);
    struct reqcase_ctx ctx = {p, max, plan};
    size_t n = reqcase_kind()->codec.validate(j, &ctx, for_submit, &coded);
    assert_int_equal(n, coded.n);
    fields_of(&direct, x, sizeof(x));
    fields_of(&coded, y, sizeof(y));
    assert_string_equal(x, y);
    for (size_t i = 0; i < direct.n; i++)
        assert_string_equal(msgtext(&direct.v[i].msg), msgtext(&coded.v[i].msg));
    json_decref(j);
    req_form_release(&g);
}

static void test_validate_as_the_form(void **state)
{
    (void)state;
    struct program p, pp;
    struct req_form f;
    program_fill(&p, 0);
    program_fill(&pp, 1);
    const int64_t max = 150000000;
    form_fill(&f);
    same_as_form(&f, &p, max, NULL, 1); /* complete: nothing */
    f.amount_ore = max + 100;           /* above the maximum */
    same_as_form(&f, &p, max, NULL, 1);
    f.amount_ore = 100000000;
    f.contact_email[0] = '\0';
    f.confirmed = 0;
    SET(f.measures[1].purpose, "okänt");
    same_as_form(&f, &p, max, NULL, 1);
    same_as_form(&f, &p, max, NULL, 0); /* a draft: nothing of that */
    /* a program that requires a plan: without, and with one attached */
    req_form_release(&f);
    form_fill(&f);
    same_as_form(&f, &pp, max, NULL, 1);
    struct req_plan plan = {"plan.pdf", "application/pdf", 1234, "ab"};
    same_as_form(&f, &pp, max, &plan, 1);
    req_form_release(&f);
    /* the issues of the draft and of the full check differ: the test
     * above compares something */
    struct msg_issues is = {0};
    json_t *empty = json_pack("{s:s, s:s}", "program", "p-2026", "recipient", "0180");
    struct reqcase_ctx ctx = {&p, max, NULL};
    assert_int_equal(reqcase_kind()->codec.validate(empty, &ctx, 0, &is), 0);
    assert_true(reqcase_kind()->codec.validate(empty, &ctx, 1, &is) > 0);
    assert_non_null(issue(&is, "contact_name"));
    json_decref(empty);
}

static void test_unreadable(void **state)
{
    (void)state;
    struct req_form f;
    struct msg_issues is = {0};
    json_t *j = json_loads("{\"amount_ore\":\"many\",\"opt_in\":1,\"contact_name\":7,"
                           "\"measures\":[{\"purpose\":\"vfu\",\"planned_ore\":1.5},3],"
                           "\"recipient\":\"012345\"}",
                           0, NULL);
    assert_int_equal(reqcase_from_json(j, &f, &is), ERR_PARSE);
    req_form_release(&f);
    const char *want[] = {
        "amount", "opt_in", "contact_name", "measure.1.planned", "measure.2.purpose", "recipient"};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (!msg_issues_find(&is, want[i]))
            fail_msg("no message for %s", want[i]);
    /* and the codec refuses it even as a draft */
    msg_issues_clear(&is);
    assert_true(reqcase_kind()->codec.validate(j, NULL, 0, &is) > 0);
    json_decref(j);
    /* more measures than a form holds */
    json_t *many = json_array();
    for (int i = 0; i <= REQ_MEASURES_MAX; i++)
        json_array_append_new(many, json_pack("{s:s}", "purpose", "vfu"));
    j = json_pack("{s:o}", "measures", many);
    msg_issues_clear(&is);
    assert_int_equal(reqcase_from_json(j, &f, &is), ERR_PARSE);
    assert_non_null(msg_issues_find(&is, "measures"));
    req_form_release(&f);
    json_decref(j);
    assert_int_equal(reqcase_from_json(NULL, &f, &is), ERR_PARSE);
    req_form_release(&f);
}

static void test_diff(void **state)
{
    (void)state;
    struct req_form a, b;
    form_fill(&a);
    form_fill(&b);
    b.amount_ore = 90000000;
    b.measures[1].planned_ore = 30000000;
    b.opt_in = 0;
    json_t *ja = NULL, *jb = NULL;
    assert_int_equal(reqcase_to_json(&a, &ja), ERR_OK);
    assert_int_equal(reqcase_to_json(&b, &jb), ERR_OK);
    struct case_diff d;
    assert_int_equal(reqcase_kind()->codec.diff(ja, jb, &d), ERR_OK);
    assert_int_equal(d.n, 3);
    assert_string_equal(d.v[0].label, "Belopp");
    assert_string_equal(d.v[0].old_value, "1 000 000 kr");
    assert_string_equal(d.v[0].new_value, "900 000 kr");
    assert_string_equal(d.v[1].label, "Insatser");
    assert_string_equal(d.v[1].old_value, "2. cancer, 400 000 kr: Koloskopi");
    assert_string_equal(d.v[1].new_value, "2. cancer, 300 000 kr: Koloskopi");
    assert_string_equal(d.v[2].label, "Deltar i omfördelningen");
    assert_string_equal(d.v[2].old_value, "ja");
    assert_string_equal(d.v[2].new_value, "nej");
    /* against no version: every field given is new */
    assert_int_equal(reqcase_kind()->codec.diff(NULL, ja, &d), ERR_OK);
    assert_true(d.n >= 8);
    assert_string_equal(d.v[0].old_value, "");
    json_decref(ja);
    json_decref(jb);
    req_form_release(&a);
    req_form_release(&b);
}

static void test_kind(void **state)
{
    (void)state;
    const struct case_kind *k = reqcase_kind();
    assert_int_equal(reqcase_register(), ERR_OK);
    assert_int_equal(reqcase_register(), ERR_OK); /* again: nothing */
    assert_ptr_equal(case_kind_find("requisition"), k);
    assert_string_equal(k->prefix, "REK");
    assert_string_equal(k->decision, "BES");
    assert_int_equal(k->act.withdraw, ACT_REQ_WITHDRAW);
    assert_int_equal(k->act.note, ACT_REQ_NOTE);
    assert_int_equal(k->act.assign, ACT_REQ_ASSIGN);
    const struct case_slot *sl = case_slot_find(k, "plan");
    assert_non_null(sl);
    assert_null(case_slot_find(k, "cv"));
    assert_int_equal(sl->max_bytes, (int64_t)REQ_PLAN_MAX_BYTES);
    assert_int_equal(k->party_quota, REQ_PLAN_ORG_MAX_BYTES);
    assert_true(case_slot_allows(sl, "application/pdf"));
    assert_true(case_slot_allows(sl, REQ_XLSX_TYPE));
    assert_false(case_slot_allows(sl, "text/plain"));
    assert_true(sl->sniff("%PDF-1.7", 8, "application/pdf"));
    assert_false(sl->sniff("%PDF-1.7", 8, REQ_XLSX_TYPE));
    assert_false(sl->sniff("GIF89a", 6, "application/pdf"));
    json_t *j = json_pack("{s:I}", "amount_ore", (json_int_t)12300);
    assert_int_equal(k->codec.amount(j), 12300);
    json_decref(j);
    j = json_object();
    assert_int_equal(k->codec.amount(j), -1);
    json_decref(j);
    char n[CASE_NUMBER_LEN];
    assert_int_equal(case_number_fmt(n, sizeof(n), k->prefix, 2026, 7), ERR_OK);
    assert_string_equal(n, "REK-2026-000007");
    assert_int_equal(case_number_fmt(n, sizeof(n), "rek", 2026, 7), ERR_INVALID);
    assert_int_equal(case_number_fmt(n, sizeof(n), "REK", 2026, 0), ERR_INVALID);
    assert_int_equal(case_number_fmt(n, 8, "REK", 2026, 7), ERR_LIMIT);
    assert_string_equal(n, "");
}

/* The requisition's words for the engine's, written from the table of
 * the decision on the move (states: approved in full or in part is
 * "beviljad"; decisions: original, supplementary, rejection), every
 * combination tried. */
static void test_words(void **state)
{
    (void)state;
    static const struct {
        int st, o, want;
    } states[] = {
        {CASE_DRAFT, CASE_OUTCOME_NONE, REQ_DRAFT},
        {CASE_SUBMITTED, CASE_OUTCOME_NONE, REQ_SUBMITTED},
        {CASE_RETURNED, CASE_OUTCOME_NONE, REQ_RETURNED},
        {CASE_DECIDED, CASE_APPROVED, REQ_APPROVED},
        {CASE_DECIDED, CASE_PARTLY_APPROVED, REQ_APPROVED},
        {CASE_DECIDED, CASE_REJECTED, REQ_REJECTED},
    };
    for (int st = -1; st <= CASE_STATE_COUNT; st++)
        for (int o = -1; o <= CASE_OUTCOME_COUNT; o++) {
            int want = -1;
            for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
                if (states[i].st == st && states[i].o == o)
                    want = states[i].want;
            if (reqcase_req_state((enum case_state)st, (enum case_outcome)o) != want)
                fail_msg("state %d outcome %d: %d, not %d", st, o,
                         reqcase_req_state((enum case_state)st, (enum case_outcome)o), want);
        }
    assert_string_equal(reqcase_decision_kind("approved"), "original");
    assert_string_equal(reqcase_decision_kind("partly_approved"), "original");
    assert_string_equal(reqcase_decision_kind("supplementary"), "supplementary");
    assert_string_equal(reqcase_decision_kind("rejected"), "rejection");
    assert_string_equal(reqcase_decision_kind("original"), "");
    assert_string_equal(reqcase_decision_kind(NULL), "");
    assert_string_equal(reqcase_decision_kind_of("original", 100000, 100000), "approved");
    assert_string_equal(reqcase_decision_kind_of("original", 60000, 100000), "partly_approved");
    assert_string_equal(reqcase_decision_kind_of("original", 60000, -1), "approved");
    assert_string_equal(reqcase_decision_kind_of("supplementary", 100, 100000), "supplementary");
    assert_string_equal(reqcase_decision_kind_of("rejection", 0, 100000), "rejected");
    assert_string_equal(reqcase_decision_kind_of("approved", 0, 0), "");
    assert_string_equal(reqcase_decision_kind_of(NULL, 0, 0), "");
    /* there and back */
    static const char *const old[] = {"original", "supplementary", "rejection"};
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(reqcase_decision_kind(reqcase_decision_kind_of(old[i], 1, 2)), old[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_canonical),
        cmocka_unit_test(test_validate_as_the_form),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_diff),
        cmocka_unit_test(test_kind),
        cmocka_unit_test(test_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
