/* test_kprov.c - the knowledge-test route walked by hand: completion,
 * assessment, registration closing a month before the sitting (the last
 * day open, the day after closed), capacity, attempts under both sources'
 * limits (3 + 3 and 5 + 3), the five-year period and its expiry, absences, exhaustion as a
 * decision, the later steps and the licence with its fee. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/kprov.h"

static struct date D(int y, int m, int d) {
    struct date x = {y, m, d};
    return x;
}

static struct kprov_sitting
sitting(const char *id, enum kprov_part part, struct date on, int cap)
{
    struct kprov_sitting s;
    memset(&s, 0, sizeof(s));
    snprintf(s.id, sizeof(s.id), "%s", id);
    s.part = part;
    s.on = on;
    snprintf(s.place, sizeof(s.place), "Umeå");
    s.capacity = cap;
    return s;
}

static void test_walk(void **state)
{
    (void)state;
    struct kprov_rules r;
    kprov_rules_agency(&r);
    struct kprov_case c;
    const char *why, *dec;
    kprov_init(&c, "lakare", D(2026, 1, 10));
    assert_int_equal(c.state, KPROV_SUBMITTED);
    /* not yet at the test */
    struct kprov_sitting t1 = sitting("T-2026-05", KPROV_PART_THEORY, D(2026, 5, 20), 2);
    assert_int_equal(kprov_register(&r, &c, &t1, D(2026, 2, 1), &why), ERR_INVALID);
    assert_string_equal(why, KPROV_MSG_STATE);
    /* completion, then assessment */
    assert_int_equal(kprov_request_completion(&c, D(2026, 2, 10), &why), ERR_OK);
    assert_int_equal(kprov_assess(&c, 1, D(2026, 2, 1), &why), ERR_INVALID);
    assert_int_equal(kprov_complete(&c, &why), ERR_OK);
    assert_int_equal(kprov_assess(&c, 1, D(2026, 1, 9), &why), ERR_INVALID); /* before */
    assert_string_equal(why, KPROV_MSG_DATE);
    assert_int_equal(kprov_assess(&c, 1, D(2026, 3, 1), &why), ERR_OK);
    assert_int_equal(c.state, KPROV_THEORY);
    /* registration closes a month before: 2026-04-20 is the last day */
    struct date closes = kprov_registration_closes(&r, &t1);
    assert_int_equal(date_cmp(closes, D(2026, 4, 20)), 0);
    assert_int_equal(kprov_register(&r, &c, &t1, D(2026, 4, 21), &why), ERR_INVALID);
    assert_string_equal(why, KPROV_MSG_CLOSED);
    /* the practical sitting is not for this part */
    struct kprov_sitting p1 = sitting("P-2026-10", KPROV_PART_PRACTICAL, D(2026, 10, 1), 10);
    assert_int_equal(kprov_register(&r, &c, &p1, D(2026, 4, 1), &why), ERR_INVALID);
    assert_string_equal(why, KPROV_MSG_PART);
    assert_int_equal(kprov_register(&r, &c, &t1, D(2026, 4, 20), &why), ERR_OK);
    assert_int_equal(t1.registered, 1);
    assert_int_equal(kprov_register(&r, &c, &t1, D(2026, 4, 20), &why), ERR_INVALID);
    assert_string_equal(why, KPROV_MSG_ALREADY);
    /* a result for another sitting is refused; one dated before it too */
    assert_int_equal(kprov_result(&r, &c, "T-2026-09", KPROV_FAIL, D(2026, 6, 1), &dec, &why),
                     ERR_INVALID);
    assert_int_equal(kprov_result(&r, &c, "T-2026-05", KPROV_FAIL, D(2026, 5, 19), &dec, &why),
                     ERR_INVALID);
    assert_string_equal(why, KPROV_MSG_BEFORE);
    assert_int_equal(kprov_result(&r, &c, "T-2026-05", KPROV_FAIL, D(2026, 6, 1), &dec, &why),
                     ERR_OK);
    assert_null(dec);
    assert_int_equal(c.attempts[KPROV_PART_THEORY], 1);
    assert_int_equal(date_cmp(c.first_attempt, D(2026, 5, 20)), 0);
    assert_int_equal(kprov_attempts_left(&r, &c, KPROV_PART_THEORY, D(2026, 9, 1)), 2);
    /* second theory attempt passes */
    struct kprov_sitting t2 = sitting("T-2026-09", KPROV_PART_THEORY, D(2026, 9, 15), 1);
    assert_int_equal(kprov_register(&r, &c, &t2, D(2026, 8, 1), &why), ERR_OK);
    assert_int_equal(kprov_result(&r, &c, "T-2026-09", KPROV_PASS, D(2026, 10, 1), &dec, &why),
                     ERR_OK);
    assert_int_equal(c.state, KPROV_PRACTICAL);
    assert_int_equal(c.attempts[KPROV_PART_THEORY], 2);
    /* practical */
    assert_int_equal(kprov_register(&r, &c, &t2, D(2026, 8, 1), &why), ERR_INVALID);
    struct kprov_sitting p2 = sitting("P-2027-03", KPROV_PART_PRACTICAL, D(2027, 3, 31), 5);
    /* 31 March less a month: the last day of February */
    assert_int_equal(date_cmp(kprov_registration_closes(&r, &p2), D(2027, 2, 28)), 0);
    assert_int_equal(kprov_register(&r, &c, &p2, D(2027, 3, 1), &why), ERR_INVALID);
    assert_int_equal(kprov_register(&r, &c, &p2, D(2027, 2, 28), &why), ERR_OK);
    assert_int_equal(kprov_result(&r, &c, "P-2027-03", KPROV_PASS, D(2027, 4, 10), &dec, &why),
                     ERR_OK);
    assert_int_equal(c.state, KPROV_COURSE);
    /* the rest, in order only */
    assert_int_equal(kprov_service_done(&c, D(2027, 6, 1), &why), ERR_INVALID);
    assert_int_equal(kprov_course_done(&c, D(2027, 5, 1), &why), ERR_OK);
    assert_int_equal(kprov_apply_licence(&c, D(2027, 6, 1), &why), ERR_INVALID);
    assert_int_equal(kprov_service_done(&c, D(2027, 12, 1), &why), ERR_OK);
    assert_int_equal(kprov_apply_licence(&c, D(2027, 11, 30), &why), ERR_INVALID);
    assert_int_equal(kprov_apply_licence(&c, D(2027, 12, 5), &why), ERR_OK);
    assert_int_equal(kprov_decide_licence(&c, 1, 0, D(2027, 12, 20), &why), ERR_INVALID);
    assert_string_equal(why, KPROV_MSG_FEE);
    assert_int_equal(kprov_decide_licence(&c, 1, 1, D(2027, 12, 20), &why), ERR_OK);
    assert_int_equal(c.state, KPROV_LICENSED);
    assert_true(kprov_final(c.state));
    assert_string_equal(kprov_state_id(c.state), "licensed");
}

static void test_attempts(void **state)
{
    (void)state;
    struct kprov_rules agency, umu;
    kprov_rules_agency(&agency);
    kprov_rules_umu(&umu);
    assert_int_equal(agency.theory_attempts, 3);
    assert_int_equal(umu.theory_attempts, 5);
    assert_int_equal(umu.practical_attempts, 3);
    const struct kprov_rules *rules[2] = {&agency, &umu};
    for (int k = 0; k < 2; k++) {
        const struct kprov_rules *r = rules[k];
        struct kprov_case c;
        const char *why, *dec = NULL;
        kprov_init(&c, "lakare", D(2026, 1, 1));
        assert_int_equal(kprov_assess(&c, 1, D(2026, 2, 1), &why), ERR_OK);
        int n = 0;
        for (;;) {
            char id[24];
            snprintf(id, sizeof(id), "T-%d", n);
            struct kprov_sitting s =
                sitting(id, KPROV_PART_THEORY, D(2026 + n / 2, n % 2 ? 10 : 4, 15), 30);
            assert_int_equal(kprov_register(r, &c, &s, D(2026 + n / 2, n % 2 ? 9 : 3, 1), &why),
                             ERR_OK);
            /* an absence does not count (absent_counts = 0) */
            if (n == 0) {
                assert_int_equal(kprov_result(r, &c, id, KPROV_ABSENT, s.on, &dec, &why), ERR_OK);
                assert_int_equal(c.attempts[KPROV_PART_THEORY], 0);
                assert_false(date_is_set(c.first_attempt));
                assert_int_equal(kprov_register(r, &c, &s, D(2026, 3, 1), &why), ERR_OK);
            }
            assert_int_equal(kprov_result(r, &c, id, KPROV_FAIL, s.on, &dec, &why), ERR_OK);
            n++;
            if (dec)
                break;
            assert_true(n < 10);
        }
        assert_int_equal(n, r->theory_attempts);
        assert_string_equal(dec, KPROV_DEC_EXHAUSTED);
        assert_int_equal(c.state, KPROV_EXHAUSTED);
        assert_true(kprov_final(c.state));
    }

    /* absent_counts: an absence uses an attempt */
    struct kprov_rules strict = agency;
    strict.absent_counts = 1;
    struct kprov_case c;
    const char *why, *dec;
    kprov_init(&c, "tandlakare", D(2026, 1, 1));
    assert_int_equal(kprov_assess(&c, 1, D(2026, 2, 1), &why), ERR_OK);
    struct kprov_sitting s = sitting("T-A", KPROV_PART_THEORY, D(2026, 6, 1), 1);
    assert_int_equal(kprov_register(&strict, &c, &s, D(2026, 4, 1), &why), ERR_OK);
    assert_int_equal(kprov_result(&strict, &c, "T-A", KPROV_ABSENT, s.on, &dec, &why), ERR_OK);
    assert_int_equal(c.attempts[KPROV_PART_THEORY], 1);
}

static void test_period_capacity(void **state)
{
    (void)state;
    struct kprov_rules r;
    kprov_rules_agency(&r);
    struct kprov_case c;
    const char *why, *dec;
    kprov_init(&c, "lakare", D(2020, 1, 1));
    assert_int_equal(kprov_assess(&c, 1, D(2020, 2, 1), &why), ERR_OK);
    struct kprov_sitting s = sitting("T-1", KPROV_PART_THEORY, D(2020, 6, 1), 1);
    assert_int_equal(kprov_register(&r, &c, &s, D(2020, 4, 1), &why), ERR_OK);
    assert_int_equal(kprov_result(&r, &c, "T-1", KPROV_PASS, D(2020, 6, 20), &dec, &why), ERR_OK);
    /* five years from the first attempt (2020-06-01): 2025-05-31 is the
     * last day a sitting may fall on */
    struct kprov_sitting late = sitting("P-late", KPROV_PART_PRACTICAL, D(2025, 6, 1), 5);
    assert_int_equal(kprov_attempts_left(&r, &c, KPROV_PART_PRACTICAL, D(2025, 6, 1)), 0);
    assert_int_equal(kprov_register(&r, &c, &late, D(2025, 4, 1), &why), ERR_INVALID);
    assert_string_equal(why, KPROV_MSG_PERIOD);
    assert_int_equal(late.registered, 0);
    struct kprov_sitting last = sitting("P-last", KPROV_PART_PRACTICAL, D(2025, 5, 31), 1);
    assert_int_equal(kprov_attempts_left(&r, &c, KPROV_PART_PRACTICAL, D(2025, 5, 31)), 3);
    /* capacity: one seat */
    struct kprov_case other;
    kprov_init(&other, "lakare", D(2020, 1, 1));
    other.state = KPROV_PRACTICAL;
    assert_int_equal(kprov_register(&r, &other, &last, D(2025, 4, 1), &why), ERR_OK);
    assert_int_equal(kprov_register(&r, &c, &last, D(2025, 4, 1), &why), ERR_LIMIT);
    assert_string_equal(why, KPROV_MSG_FULL);
    /* withdrawn before the close, the seat is free again */
    assert_int_equal(kprov_unregister(&r, &other, &last, D(2025, 4, 30), &why), ERR_OK);
    assert_int_equal(last.registered, 0);
    assert_int_equal(kprov_unregister(&r, &other, &last, D(2025, 4, 30), &why), ERR_INVALID);
    assert_int_equal(kprov_register(&r, &c, &last, D(2025, 4, 30), &why), ERR_OK);
    /* after the close a registration stands */
    assert_int_equal(kprov_unregister(&r, &c, &last, D(2025, 5, 1), &why), ERR_INVALID);
    assert_string_equal(why, KPROV_MSG_CLOSED);
    /* a rejected assessment is final */
    struct kprov_case no;
    kprov_init(&no, "lakare", D(2026, 1, 1));
    assert_int_equal(kprov_assess(&no, 0, D(2026, 3, 1), &why), ERR_OK);
    assert_int_equal(no.state, KPROV_REJECTED);
    assert_true(kprov_final(no.state));
    assert_int_equal(kprov_assess(&no, 1, D(2026, 3, 2), &why), ERR_INVALID);
}

static void test_expire(void **state)
{
    (void)state;
    struct kprov_rules r;
    kprov_rules_agency(&r);
    struct kprov_case c;
    const char *why, *dec;
    kprov_init(&c, "lakare", D(2020, 1, 1));
    assert_int_equal(kprov_assess(&c, 1, D(2020, 2, 1), &why), ERR_OK);
    /* no attempt yet: no period, nothing expires */
    assert_false(date_is_set(kprov_period_ends(&r, &c)));
    kprov_expire(&r, &c, D(2030, 1, 1), &dec);
    assert_null(dec);
    assert_int_equal(c.state, KPROV_THEORY);
    struct kprov_sitting s = sitting("T-1", KPROV_PART_THEORY, D(2020, 6, 1), 9);
    assert_int_equal(kprov_register(&r, &c, &s, D(2020, 4, 1), &why), ERR_OK);
    assert_int_equal(kprov_result(&r, &c, "T-1", KPROV_FAIL, D(2020, 6, 1), &dec, &why), ERR_OK);
    assert_int_equal(date_cmp(kprov_period_ends(&r, &c), D(2025, 6, 1)), 0);
    /* registered for the last sitting inside the period: not yet */
    struct kprov_sitting last = sitting("T-2", KPROV_PART_THEORY, D(2025, 5, 31), 9);
    assert_int_equal(kprov_register(&r, &c, &last, D(2025, 4, 1), &why), ERR_OK);
    kprov_expire(&r, &c, D(2025, 6, 1), &dec);
    assert_null(dec);
    assert_int_equal(kprov_result(&r, &c, "T-2", KPROV_FAIL, D(2025, 6, 10), &dec, &why), ERR_OK);
    assert_null(dec); /* 2 of 3 attempts used */
    kprov_expire(&r, &c, D(2025, 5, 31), &dec);
    assert_null(dec);
    kprov_expire(&r, &c, D(2025, 6, 10), &dec);
    assert_string_equal(dec, KPROV_DEC_EXHAUSTED);
    assert_int_equal(c.state, KPROV_EXHAUSTED);
    assert_int_equal(date_cmp(c.decided_on, D(2025, 6, 10)), 0);
    /* a final case stays as it is */
    kprov_expire(&r, &c, D(2026, 1, 1), &dec);
    assert_null(dec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_attempts),
        cmocka_unit_test(test_period_capacity),
        cmocka_unit_test(test_expire),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
