/* test_casekind.c - the case engine's state machine (every state × every
 * verb, allowed or refused, against a list written out here from the
 * design, not from the code's table), decisions' outcomes and reasons,
 * and a toy kind through the table and the generic codec. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/casekind.h"

/* The allowed moves, from the design (casekind.h's comment): anything not
 * listed is refused. */
static const struct {
    enum case_state from;
    enum case_verb v;
    enum case_state to;
} allowed[] = {
    {CASE_DRAFT, CASE_SAVE, CASE_DRAFT},
    {CASE_DRAFT, CASE_SUBMIT, CASE_SUBMITTED},
    {CASE_DRAFT, CASE_WITHDRAW, CASE_WITHDRAWN},
    {CASE_DRAFT, CASE_ATTACH, CASE_DRAFT},
    {CASE_SUBMITTED, CASE_WITHDRAW, CASE_WITHDRAWN},
    {CASE_SUBMITTED, CASE_RETURN, CASE_RETURNED},
    {CASE_SUBMITTED, CASE_DECIDE, CASE_DECIDED},
    {CASE_SUBMITTED, CASE_NOTE, CASE_SUBMITTED},
    {CASE_SUBMITTED, CASE_ASSIGN, CASE_SUBMITTED},
    {CASE_SUBMITTED, CASE_ATTACH, CASE_SUBMITTED},
    {CASE_RETURNED, CASE_SAVE, CASE_RETURNED},
    {CASE_RETURNED, CASE_SUBMIT, CASE_SUBMITTED},
    {CASE_RETURNED, CASE_WITHDRAW, CASE_WITHDRAWN},
    {CASE_RETURNED, CASE_NOTE, CASE_RETURNED},
    {CASE_RETURNED, CASE_ASSIGN, CASE_RETURNED},
    {CASE_RETURNED, CASE_ATTACH, CASE_RETURNED},
    {CASE_DECIDED, CASE_NOTE, CASE_DECIDED},
};

static void test_every_transition(void **state)
{
    (void)state;
    size_t seen = 0;
    for (int f = 0; f < CASE_STATE_COUNT; f++) {
        for (int v = 0; v < CASE_VERB_COUNT; v++) {
            int want = -1;
            for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
                if ((int)allowed[i].from == f && (int)allowed[i].v == v)
                    want = (int)allowed[i].to;
            }
            enum case_state to = (enum case_state)99;
            enum err e = case_transition((enum case_state)f, (enum case_verb)v, &to);
            if (want < 0) {
                if (e != ERR_CONFLICT)
                    fail_msg("%s in %s: allowed, should be refused", case_verb_id(v),
                             case_state_id(f));
                assert_int_equal(to, 99); /* untouched */
            } else {
                if (e != ERR_OK)
                    fail_msg("%s in %s: refused, should be allowed", case_verb_id(v),
                             case_state_id(f));
                assert_int_equal(to, want);
                seen++;
            }
        }
    }
    assert_int_equal(seen, sizeof(allowed) / sizeof(allowed[0]));
    assert_int_equal(case_transition(CASE_DRAFT, CASE_SUBMIT, NULL), ERR_OK);
    assert_int_equal(case_transition((enum case_state)CASE_STATE_COUNT, CASE_SAVE, NULL),
                     ERR_INVALID);
    assert_int_equal(case_transition(CASE_DRAFT, (enum case_verb)CASE_VERB_COUNT, NULL),
                     ERR_INVALID);
    assert_int_equal(case_transition((enum case_state) - 1, CASE_SAVE, NULL), ERR_INVALID);
}

/* A whole life: draft, submit, return, submit again, decide; nothing
 * after a decision but notes; withdrawn takes nothing at all. */
static void test_paths(void **state)
{
    (void)state;
    enum case_state s = CASE_DRAFT;
    const enum case_verb life[] = {CASE_SAVE,   CASE_SUBMIT, CASE_RETURN, CASE_SAVE,
                                   CASE_SUBMIT, CASE_RETURN, CASE_SUBMIT, CASE_DECIDE};
    for (size_t i = 0; i < sizeof(life) / sizeof(life[0]); i++)
        assert_int_equal(case_transition(s, life[i], &s), ERR_OK);
    assert_int_equal(s, CASE_DECIDED);
    assert_true(case_state_final(s));
    assert_int_equal(case_transition(s, CASE_WITHDRAW, NULL), ERR_CONFLICT);
    assert_int_equal(case_transition(s, CASE_DECIDE, NULL), ERR_CONFLICT);
    assert_int_equal(case_transition(CASE_WITHDRAWN, CASE_NOTE, NULL), ERR_CONFLICT);
    assert_true(case_state_final(CASE_WITHDRAWN));
    assert_false(case_state_final(CASE_RETURNED));
    assert_false(case_state_final(CASE_DRAFT));
}

static void test_ids(void **state)
{
    (void)state;
    for (int i = 0; i < CASE_STATE_COUNT; i++)
        assert_int_equal(case_state_parse(case_state_id((enum case_state)i)), i);
    assert_string_equal(case_state_id(CASE_WITHDRAWN), "withdrawn");
    assert_string_equal(case_state_id((enum case_state)7), "");
    assert_int_equal(case_state_parse("approved"), -1);
    assert_int_equal(case_state_parse(NULL), -1);
    for (int i = 0; i < CASE_OUTCOME_COUNT; i++)
        assert_int_equal(case_outcome_parse(case_outcome_id((enum case_outcome)i)), i);
    assert_string_equal(case_outcome_id(CASE_PARTLY_APPROVED), "partly_approved");
    assert_int_equal(case_outcome_parse("partly"), -1);
    assert_string_equal(case_verb_id(CASE_WITHDRAW), "withdraw");
    assert_string_equal(case_verb_id((enum case_verb) - 1), "");
}

static void test_outcomes(void **state)
{
    (void)state;
    assert_int_equal(case_outcome_of(100000, 100000), CASE_APPROVED);
    assert_int_equal(case_outcome_of(100000, 200000), CASE_APPROVED);
    assert_int_equal(case_outcome_of(100000, 99999), CASE_PARTLY_APPROVED);
    assert_int_equal(case_outcome_of(100000, 1), CASE_PARTLY_APPROVED);
    assert_int_equal(case_outcome_of(100000, 0), CASE_REJECTED);
    assert_int_equal(case_outcome_of(-1, 1), CASE_APPROVED); /* no money asked */
    assert_int_equal(case_outcome_of(-1, 0), CASE_REJECTED);
    assert_false(case_outcome_needs_reasons(CASE_APPROVED));
    assert_true(case_outcome_needs_reasons(CASE_PARTLY_APPROVED));
    assert_true(case_outcome_needs_reasons(CASE_REJECTED));
}

/* --- a toy kind: a wish with a title and an amount ------------------------ */

static size_t toy_validate(const json_t *c, const void *ctx, int for_submit, struct msg_issues *out)
{
    size_t before = out->n;
    const int64_t *max = ctx;
    json_t *amt = json_object_get(c, "amount_ore");
    if (amt && !json_is_integer(amt))
        msg_issue_add(out, "amount_ore", M_("Ange ett belopp."));
    else if (amt && max && json_integer_value(amt) > *max)
        msg_issue_add(out, "amount_ore", M_("Beloppet är för stort."));
    if (for_submit && !json_is_string(json_object_get(c, "title")))
        msg_issue_add(out, "title", M_("Ange en rubrik."));
    return out->n - before;
}

static int64_t toy_amount(const json_t *c)
{
    json_t *a = json_object_get(c, "amount_ore");
    return json_is_integer(a) ? (int64_t)json_integer_value(a) : -1;
}

static const struct case_field toy_fields[] = {
    {"title", N_("Rubrik")},
    {"amount_ore", N_("Belopp")},
    {"items", N_("Poster")},
};

static enum err toy_diff(const json_t *a, const json_t *b, struct case_diff *out);

static const struct case_kind toy = {
    .id = "toy_wish",
    .prefix = "TOY",
    .decision = "TOB",
    .party = CASE_PARTY_PERSON,
    .unique = CASE_UNIQUE_NONE,
    .what = N_("Önskan"),
    .max_content = 200,
    .fields = toy_fields,
    .nfields = sizeof(toy_fields) / sizeof(toy_fields[0]),
    .act = {ACT_COUNT, ACT_COUNT, ACT_COUNT, ACT_COUNT, ACT_COUNT, ACT_COUNT, ACT_COUNT, ACT_COUNT,
            ACT_COUNT, ACT_COUNT},
    .codec = {toy_validate, case_canon_json, toy_diff, toy_amount},
};

static enum err toy_diff(const json_t *a, const json_t *b, struct case_diff *out)
{
    return case_diff_fields(&toy, a, b, out);
}

static void test_toy_table(void **state)
{
    (void)state;
    assert_int_equal(case_kind_register(&toy), ERR_OK);
    assert_int_equal(case_kind_register(&toy), ERR_OK); /* the same kind again: nothing */
    assert_ptr_equal(case_kind_find("toy_wish"), &toy);
    assert_null(case_kind_find("toy"));
    assert_null(case_kind_find(NULL));
    size_t n = 0;
    const struct case_kind *const *all = case_kinds(&n);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found += all[i] == &toy;
    assert_int_equal(found, 1);

    struct case_kind same_id = toy, same_prefix = toy, bad = toy;
    same_id.prefix = "TOZ";
    assert_int_equal(case_kind_register(&same_id), ERR_CONFLICT);
    same_prefix.id = "toy_other";
    assert_int_equal(case_kind_register(&same_prefix), ERR_CONFLICT);
    bad.id = "Toy";
    assert_int_equal(case_kind_register(&bad), ERR_INVALID);
    bad.id = "toy_bad";
    bad.prefix = "TOOLONGXX";
    assert_int_equal(case_kind_register(&bad), ERR_INVALID);
    bad.prefix = "TBD";
    bad.codec.canon = NULL;
    assert_int_equal(case_kind_register(&bad), ERR_INVALID);
    assert_int_equal(case_kind_register(NULL), ERR_INVALID);
}

static void test_toy_codec(void **state)
{
    (void)state;
    json_t *a = NULL, *b = NULL;
    /* canon: members sorted, no spaces, whatever order they came in */
    assert_int_equal(case_content_parse(&toy, "{ \"title\": \"Åsa\", \"amount_ore\": 500 }", &a),
                     ERR_OK);
    char *ca = NULL;
    assert_int_equal(case_canon(&toy, a, &ca), ERR_OK);
    assert_string_equal(ca, "{\"amount_ore\":500,\"title\":\"Åsa\"}");
    assert_int_equal(toy.codec.amount(a), 500);

    assert_int_equal(case_content_parse(&toy, "{\"amount_ore\":500,\"title\":\"Åsa\"}", &b),
                     ERR_OK);
    char *cb = NULL;
    assert_int_equal(case_canon(&toy, b, &cb), ERR_OK);
    assert_string_equal(ca, cb);
    free(cb);
    cb = NULL;

    /* diff in words: only what changed, in the kind's field order */
    struct case_diff d;
    assert_int_equal(toy.codec.diff(a, b, &d), ERR_OK);
    assert_int_equal(d.n, 0);
    json_object_set_new(b, "amount_ore", json_integer(750));
    json_object_set_new(b, "items", json_pack("[s,s]", "x", "y"));
    assert_int_equal(toy.codec.diff(a, b, &d), ERR_OK);
    assert_int_equal(d.n, 2);
    assert_string_equal(d.v[0].label, "Belopp");
    assert_string_equal(d.v[0].old_value, "500");
    assert_string_equal(d.v[0].new_value, "750");
    assert_string_equal(d.v[1].label, "Poster");
    assert_string_equal(d.v[1].old_value, "");
    assert_string_equal(d.v[1].new_value, "[\"x\",\"y\"]");
    /* against no version at all: every field present is new */
    assert_int_equal(toy.codec.diff(NULL, a, &d), ERR_OK);
    assert_int_equal(d.n, 2);
    assert_string_equal(d.v[0].label, "Rubrik");
    assert_string_equal(d.v[0].new_value, "Åsa");

    /* a long text is cut at a character, never inside one */
    json_t *l = json_object();
    char big[400];
    for (size_t i = 0; i + 2 < sizeof(big); i += 2)
        memcpy(big + i, "ä", 2);
    big[sizeof(big) - 2] = '\0';
    json_object_set_new(l, "title", json_string(big));
    assert_int_equal(toy.codec.diff(NULL, l, &d), ERR_OK);
    size_t len = strlen(d.v[0].new_value);
    assert_true(len < CASE_DIFF_VALUE_LEN);
    assert_int_equal(len % 2, 0);
    /* and content past the kind's cap is refused */
    assert_int_equal(case_canon(&toy, l, &cb), ERR_LIMIT);
    assert_null(cb);
    json_decref(l);

    /* validation with the kind's context */
    struct msg_issues is;
    msg_issues_clear(&is);
    int64_t max = 600;
    assert_int_equal(toy.codec.validate(a, &max, 1, &is), 0);
    assert_int_equal(toy.codec.validate(b, &max, 1, &is), 1);
    assert_string_equal(is.v[0].field, "amount_ore");
    json_object_del(b, "title");
    msg_issues_clear(&is);
    assert_int_equal(toy.codec.validate(b, NULL, 0, &is), 0); /* a draft may lack it */
    assert_int_equal(toy.codec.validate(b, NULL, 1, &is), 1);
    assert_string_equal(is.v[0].field, "title");

    free(ca);
    json_decref(a);
    json_decref(b);
}

static void test_parse_bad(void **state)
{
    (void)state;
    json_t *j = NULL;
    assert_int_equal(case_content_parse(&toy, "[1,2]", &j), ERR_PARSE);
    assert_int_equal(case_content_parse(&toy, "{\"a\":1,\"a\":2}", &j), ERR_PARSE);
    assert_int_equal(case_content_parse(&toy, "{\"a\":", &j), ERR_PARSE);
    assert_int_equal(case_content_parse(&toy, "", &j), ERR_PARSE);
    assert_int_equal(case_content_parse(&toy, NULL, &j), ERR_PARSE);
    char big[300];
    memset(big, ' ', sizeof(big) - 1);
    big[0] = '{';
    big[sizeof(big) - 2] = '}';
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(case_content_parse(&toy, big, &j), ERR_LIMIT);
    assert_null(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_transition),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_outcomes),
        cmocka_unit_test(test_toy_table),
        cmocka_unit_test(test_toy_codec),
        cmocka_unit_test(test_parse_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
