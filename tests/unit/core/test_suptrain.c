/* test_suptrain.c - recognising a completed supervisor training: every
 * problem named, the areas missing, hours and validity as configuration,
 * and the look-up the specialist-certificate check makes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/suptrain.h"

static struct date D(int y, int m, int d) {
    struct date x = {y, m, d};
    return x;
}

static void
good(struct suptrain_application *a)
{
    memset(a, 0, sizeof(*a));
    snprintf(a->person, sizeof(a->person), "197001011234");
    snprintf(a->provider, sizeof(a->provider), "Region Stockholm");
    snprintf(a->course, sizeof(a->course), "Handledarutbildning för ST-handledare");
    a->completed_on = D(2026, 3, 15);
    a->hours = 24;
    a->areas = SUPTRAIN_ALL_AREAS;
    a->certificate = 1;
}

static void test_check(void **state)
{
    (void)state;
    struct suptrain_rules r;
    suptrain_rules_default(&r);
    struct suptrain_application a;
    const char *why[8];
    unsigned miss;
    good(&a);
    assert_int_equal(suptrain_check(&r, &a, D(2026, 3, 15), why, 8, &miss), 0);
    assert_int_equal(miss, 0);
    /* each problem named */
    a.areas = SUPTRAIN_SUPERVISION | SUPTRAIN_PEDAGOGY | SUPTRAIN_ETHICS;
    assert_int_equal(suptrain_check(&r, &a, D(2026, 3, 15), why, 8, &miss), 1);
    assert_string_equal(why[0], SUPTRAIN_MSG_AREAS);
    assert_int_equal(miss, SUPTRAIN_ASSESSMENT | SUPTRAIN_COMMUNICATION);
    assert_string_equal(suptrain_area_label_sv(SUPTRAIN_ASSESSMENT), "Bedömningsmetoder");
    assert_string_equal(suptrain_area_id(SUPTRAIN_COMMUNICATION), "communication");
    assert_string_equal(suptrain_area_id(3), "");
    good(&a);
    assert_int_equal(suptrain_check(&r, &a, D(2026, 3, 14), why, 8, NULL), 1);
    assert_string_equal(why[0], SUPTRAIN_MSG_DATE);
    r.min_hours = 25;
    assert_int_equal(suptrain_check(&r, &a, D(2026, 4, 1), why, 8, NULL), 1);
    assert_string_equal(why[0], SUPTRAIN_MSG_HOURS);
    r.min_hours = 24;
    memset(&a, 0, sizeof(a));
    assert_int_equal(suptrain_check(&r, &a, D(2026, 4, 1), why, 8, NULL), 7);
    assert_string_equal(why[0], SUPTRAIN_MSG_PERSON);
    assert_string_equal(why[4], SUPTRAIN_MSG_HOURS);
    assert_string_equal(why[6], SUPTRAIN_MSG_CERTIFICATE);
    assert_int_equal(suptrain_check(&r, &a, D(2026, 4, 1), why, 2, NULL), 7);
    good(&a);
    a.provider[0] = '\x01'; /* not text */
    assert_int_equal(suptrain_check(&r, &a, D(2026, 4, 1), why, 8, NULL), 1);
    assert_string_equal(why[0], SUPTRAIN_MSG_PROVIDER);
}

static void test_recognise_find(void **state)
{
    (void)state;
    struct suptrain_rules r;
    suptrain_rules_default(&r);
    struct suptrain_application a;
    struct suptrain_record recs[3];
    const char *why;
    good(&a);
    a.certificate = 0;
    assert_int_equal(suptrain_recognise(&r, &a, D(2026, 4, 1), &recs[0], &why), ERR_INVALID);
    assert_string_equal(why, SUPTRAIN_MSG_CERTIFICATE);
    good(&a);
    assert_int_equal(suptrain_recognise(&r, &a, D(2026, 4, 1), &recs[0], &why), ERR_OK);
    a.completed_on = D(2016, 2, 29);
    assert_int_equal(suptrain_recognise(&r, &a, D(2016, 4, 1), &recs[1], &why), ERR_OK);
    good(&a);
    snprintf(a.person, sizeof(a.person), "F19800101USAB1");
    assert_int_equal(suptrain_recognise(&r, &a, D(2026, 5, 1), &recs[2], &why), ERR_OK);
    /* not before it is recognised; the latest completed wins */
    assert_ptr_equal(suptrain_find(&r, recs, 3, "197001011234", D(2026, 3, 31)), &recs[1]);
    assert_ptr_equal(suptrain_find(&r, recs, 3, "197001011234", D(2026, 4, 1)), &recs[0]);
    assert_null(suptrain_find(&r, recs, 3, "197001011234", D(2016, 3, 31)));
    assert_ptr_equal(suptrain_find(&r, recs, 3, "F19800101USAB1", D(2026, 5, 1)), &recs[2]);
    assert_null(suptrain_find(&r, recs, 3, "", D(2026, 5, 1)));
    /* validity: ten years from completion (2016-02-29 -> 2026-02-28) */
    r.valid_years = 10;
    assert_ptr_equal(suptrain_find(&r, recs + 1, 1, "197001011234", D(2026, 2, 27)), &recs[1]);
    assert_null(suptrain_find(&r, recs + 1, 1, "197001011234", D(2026, 2, 28)));
    /* stricter rules later: a record without an area no longer counts */
    r.valid_years = 0;
    recs[0].areas &= ~(unsigned)SUPTRAIN_ETHICS;
    assert_ptr_equal(suptrain_find(&r, recs, 1, "197001011234", D(2026, 5, 1)), NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_recognise_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
