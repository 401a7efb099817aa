/* test_perm.c - roles and the recipient rights. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/perm.h"

static void test_parse(void **state)
{
    (void)state;
    enum perm_role r;
    assert_int_equal(perm_parse("handlaggare", &r), ERR_OK);
    assert_int_equal(r, PERM_HANDLAGGARE);
    assert_int_equal(perm_parse("handläggare", &r), ERR_OK);
    assert_int_equal(r, PERM_HANDLAGGARE);
    assert_int_equal(perm_parse("uppgiftssamordnare", &r), ERR_OK);
    assert_int_equal(r, PERM_UPPGIFTSSAMORDNARE);
    assert_int_not_equal(perm_parse("root", &r), ERR_OK);
    assert_int_not_equal(perm_parse(NULL, &r), ERR_OK);
    for (int i = 0; i < PERM_COUNT; i++) {
        assert_int_equal(perm_parse(perm_id(perm_at(i)), &r), ERR_OK);
        assert_int_equal(r, perm_at(i));
        assert_true(perm_is_agency(r) != perm_is_recipient(r));
    }
    assert_string_equal(perm_id(PERM_ADMIN | PERM_OMBUD), "?");
    assert_false(perm_is_agency(PERM_ADMIN | PERM_GRANSKARE));
}

static void test_rights(void **state)
{
    (void)state;
    assert_true(perm_may_submit_case(PERM_OMBUD));
    assert_true(perm_may_submit_case(PERM_REPRESENTANT));
    assert_false(perm_may_submit_case(PERM_UPPGIFTSSAMORDNARE));
    assert_true(perm_may_edit_case(PERM_UPPGIFTSSAMORDNARE));
    assert_false(perm_may_start_case(PERM_UPPGIFTSSAMORDNARE));
    assert_false(perm_may_submit_case(PERM_HANDLAGGARE | PERM_ADMIN));
    assert_true(perm_may_invite(PERM_OMBUD, PERM_REPRESENTANT));
    assert_true(perm_may_invite(PERM_OMBUD, PERM_UPPGIFTSSAMORDNARE));
    assert_false(perm_may_invite(PERM_OMBUD, PERM_OMBUD));
    assert_false(perm_may_invite(PERM_REPRESENTANT, PERM_REPRESENTANT));
    assert_true(perm_may_invite(PERM_REPRESENTANT, PERM_UPPGIFTSSAMORDNARE));
    assert_false(perm_may_invite(PERM_UPPGIFTSSAMORDNARE, PERM_UPPGIFTSSAMORDNARE));
    assert_false(perm_may_invite(PERM_ADMIN, PERM_REPRESENTANT));
    assert_true(perm_may_remove(PERM_OMBUD, PERM_REPRESENTANT));
    assert_true(perm_may_remove(PERM_OMBUD, PERM_UPPGIFTSSAMORDNARE));
    assert_false(perm_may_remove(PERM_REPRESENTANT, PERM_UPPGIFTSSAMORDNARE));
    assert_false(perm_may_remove(PERM_OMBUD, PERM_OMBUD));
}

/* Agency staff never hold a recipient role, nor the other way round. */
static void test_separation(void **state)
{
    (void)state;
    for (int i = 0; i < PERM_COUNT; i++) {
        enum perm_role r = perm_at(i);
        assert_true(perm_may_hold(0, r));
        assert_int_equal(perm_may_hold(PERM_HANDLAGGARE, r), perm_is_agency(r));
        assert_int_equal(perm_may_hold(PERM_GRANSKARE, r), perm_is_agency(r));
        assert_int_equal(perm_may_hold(PERM_OMBUD, r), perm_is_recipient(r));
        assert_int_equal(perm_may_hold(PERM_UPPGIFTSSAMORDNARE, r), perm_is_recipient(r));
    }
    assert_false(perm_may_hold(0, (enum perm_role)(PERM_ADMIN | PERM_OMBUD)));
    assert_false(perm_mixed(PERM_ADMIN | PERM_HANDLAGGARE));
    assert_false(perm_mixed(PERM_OMBUD | PERM_REPRESENTANT));
    assert_true(perm_mixed(PERM_HANDLAGGARE | PERM_REPRESENTANT));
    assert_false(perm_mixed(0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_rights),
        cmocka_unit_test(test_separation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
