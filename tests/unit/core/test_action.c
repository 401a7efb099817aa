/* test_action.c - the action table: every action once, in enum order, with
 * a unique name and a description; who may do what by scope and role; and
 * separation of duties: agency staff never act for a recipient, a
 * recipient's people never decide for the agency, an account holding both
 * (from before the rule) is refused on both sides, and the operator's
 * account takes no decision. Gotland's kommun and region are one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/action.h"
#include "core/org.h"
#include "core/perm.h"

static enum action_deny check(enum action_id act, unsigned roles, unsigned held, const char *org,
                              const char *owner)
{
    struct action_who w = {1, 0, roles, held, org};
    enum action_deny why = ACT_DENY_NONE;
    enum err e = action_allowed(action_get(act), &w, owner, &why);
    assert_int_equal(e == ERR_OK, why == ACT_DENY_NONE);
    return why;
}

static void test_table(void **state)
{
    (void)state;
    size_t n;
    const struct action *t = action_table(&n);
    assert_int_equal(n, ACT_COUNT);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(t[i].id, (enum action_id)i);
        assert_ptr_equal(action_get((enum action_id)i), &t[i]);
        assert_non_null(t[i].name);
        assert_true(t[i].name[0]);
        assert_non_null(t[i].what_sv);
        assert_ptr_equal(action_find(t[i].name), &t[i]);
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(t[i].name, t[k].name);
        /* public and self actions need no role; the others name roles */
        if (t[i].scope == ACT_SCOPE_PUBLIC || t[i].scope == ACT_SCOPE_SELF)
            assert_int_equal(t[i].roles, 0);
        else
            assert_int_not_equal(t[i].roles, 0);
        /* organisation actions are for recipient roles, agency ones for
         * agency roles */
        if (t[i].scope == ACT_SCOPE_ORG)
            assert_int_equal(t[i].roles & PERM_AGENCY_MASK, 0);
        if (t[i].scope == ACT_SCOPE_AGENCY)
            assert_int_equal(t[i].roles & PERM_RECIPIENT_MASK, 0);
        /* a decision is written and audited */
        if (t[i].flags & ACT_FOUR_EYES)
            assert_true(t[i].flags & ACT_WRITES);
    }
    assert_null(action_find("no.such"));
    assert_string_equal(action_get(ACT_REQ_SUBMIT)->name, "requisition.submit");
}

static void test_scopes(void **state)
{
    (void)state;
    struct action_who nobody = {0, 0, 0, 0, ""};
    enum action_deny why;
    assert_int_equal(action_allowed(action_get(ACT_LOGIN), &nobody, NULL, &why), ERR_OK);
    assert_int_equal(action_allowed(action_get(ACT_LOGOUT), &nobody, NULL, &why), ERR_DENIED);
    assert_int_equal(why, ACT_DENY_LOGIN);
    assert_int_equal(action_allowed(action_get(ACT_START), &nobody, NULL, &why), ERR_DENIED);
    /* a person with no role at all: their own session, nothing else */
    assert_int_equal(check(ACT_SESSION_ORG, 0, 0, "", NULL), ACT_DENY_NONE);
    assert_int_equal(check(ACT_START, 0, 0, "", NULL), ACT_DENY_ROLE);
    /* agency actions are done acting for the agency */
    assert_int_equal(check(ACT_AUDIT_READ, PERM_GRANSKARE, PERM_GRANSKARE, "", NULL),
                     ACT_DENY_NONE);
    assert_int_equal(check(ACT_AUDIT_READ, PERM_HANDLAGGARE, PERM_HANDLAGGARE, "", NULL),
                     ACT_DENY_ROLE);
    assert_int_equal(check(ACT_REQ_REVIEW_READ, PERM_ANALYTIKER, PERM_ANALYTIKER, "", NULL),
                     ACT_DENY_ROLE);
    assert_int_equal(check(ACT_REQ_REVIEW_READ, PERM_OMBUD, PERM_OMBUD, "0180", NULL),
                     ACT_DENY_CONTEXT);
    /* organisation actions for the organisation the object belongs to */
    assert_int_equal(
        check(ACT_REQ_SAVE, PERM_UPPGIFTSSAMORDNARE, PERM_UPPGIFTSSAMORDNARE, "0180", "0180"),
        ACT_DENY_NONE);
    assert_int_equal(
        check(ACT_REQ_SUBMIT, PERM_UPPGIFTSSAMORDNARE, PERM_UPPGIFTSSAMORDNARE, "0180", "0180"),
        ACT_DENY_ROLE);
    assert_int_equal(check(ACT_REQ_SUBMIT, PERM_OMBUD, PERM_OMBUD, "0180", "1480"), ACT_DENY_OWNER);
    assert_int_equal(check(ACT_REQ_SUBMIT, PERM_OMBUD, PERM_OMBUD, "", "0180"), ACT_DENY_CONTEXT);
    /* Gotland: kommun 0980 and region 09 are one organisation */
    assert_int_equal(check(ACT_REQ_SUBMIT, PERM_OMBUD, PERM_OMBUD, "0980", "09"), ACT_DENY_NONE);
    assert_int_equal(check(ACT_REQ_SUBMIT, PERM_OMBUD, PERM_OMBUD, "09", "0980"), ACT_DENY_NONE);
    assert_int_equal(check(ACT_REQ_SUBMIT, PERM_OMBUD, PERM_OMBUD, "0180", "01"), ACT_DENY_OWNER);
    assert_true(org_same("0980", "09"));
    assert_false(org_same("0180", "01"));
    assert_false(org_same("", ""));
}

static void test_separation_of_duties(void **state)
{
    (void)state;
    const unsigned mixed = PERM_HANDLAGGARE | PERM_OMBUD;
    /* agency staff never act for a recipient */
    assert_int_equal(check(ACT_REQ_SAVE, PERM_OMBUD, mixed, "0180", "0180"), ACT_DENY_AGENCY);
    assert_int_equal(check(ACT_REQ_READ, PERM_OMBUD, mixed, "0180", "0180"), ACT_DENY_AGENCY);
    /* a recipient's people never decide for the agency */
    assert_int_equal(check(ACT_REQ_APPROVE, PERM_HANDLAGGARE, mixed, "", NULL), ACT_DENY_RECIPIENT);
    assert_int_equal(check(ACT_REQ_BULK_APPROVE, PERM_HANDLAGGARE, mixed, "", NULL),
                     ACT_DENY_RECIPIENT);
    assert_int_equal(check(ACT_REQ_APPROVE, PERM_HANDLAGGARE, PERM_HANDLAGGARE, "", NULL),
                     ACT_DENY_NONE);
    /* the operator's account reads and administers, but decides nothing */
    struct action_who op = {1, 1, PERM_ADMIN, PERM_ADMIN, ""};
    enum action_deny why;
    assert_int_equal(action_allowed(action_get(ACT_USER_ADD), &op, NULL, &why), ERR_OK);
    assert_int_equal(action_allowed(action_get(ACT_REQ_REVIEW_READ), &op, NULL, &why), ERR_OK);
    assert_int_equal(action_allowed(action_get(ACT_REQ_APPROVE), &op, NULL, &why), ERR_DENIED);
    assert_int_equal(why, ACT_DENY_IMPERSONAL);
    assert_int_equal(action_allowed(action_get(ACT_REQ_REDISTRIBUTE), &op, NULL, &why), ERR_DENIED);
    assert_int_equal(why, ACT_DENY_IMPERSONAL);
}

/* The case engine's actions on a requisition: the party's submitters
 * withdraw (not the uppgiftssamordnare, not another organisation's), the
 * handläggare notes and assigns (not admin, granskare or a recipient). */
static void test_case_actions(void **state)
{
    (void)state;
    const unsigned O = PERM_OMBUD, R = PERM_REPRESENTANT, U = PERM_UPPGIFTSSAMORDNARE;
    assert_int_equal(check(ACT_REQ_WITHDRAW, O, O, "0180", "0180"), ACT_DENY_NONE);
    assert_int_equal(check(ACT_REQ_WITHDRAW, R, R, "0180", "0180"), ACT_DENY_NONE);
    assert_int_equal(check(ACT_REQ_WITHDRAW, U, U, "0180", "0180"), ACT_DENY_ROLE);
    assert_int_equal(check(ACT_REQ_WITHDRAW, O, O, "1480", "0180"), ACT_DENY_OWNER);
    assert_int_not_equal(check(ACT_REQ_WITHDRAW, PERM_HANDLAGGARE, PERM_HANDLAGGARE, "", "0180"),
                         ACT_DENY_NONE);
    const enum action_id agency[] = {ACT_REQ_NOTE, ACT_REQ_ASSIGN};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(check(agency[i], PERM_HANDLAGGARE, PERM_HANDLAGGARE, "", NULL),
                         ACT_DENY_NONE);
        assert_int_equal(check(agency[i], PERM_ADMIN, PERM_ADMIN, "", NULL), ACT_DENY_ROLE);
        assert_int_equal(check(agency[i], PERM_GRANSKARE, PERM_GRANSKARE, "", NULL), ACT_DENY_ROLE);
        assert_int_not_equal(check(agency[i], O, O, "0180", NULL), ACT_DENY_NONE);
        assert_true(action_get(agency[i])->flags & ACT_WRITES);
    }
    assert_true(action_get(ACT_REQ_WITHDRAW)->flags & ACT_WRITES);
    assert_string_equal(action_get(ACT_REQ_WITHDRAW)->name, "requisition.withdraw");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_separation_of_duties),
        cmocka_unit_test(test_case_actions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
