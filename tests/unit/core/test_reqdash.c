/* test_reqdash.c - the dashboard's one definition (core/reqdash.h):
 * percentages of a whole that holds their part, never above 100 %, also
 * for a recipient that received many times its share by redistribution;
 * what is left never negative; checked against an independent 128-bit
 * computation over random sums. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/reqdash.h"

/* The measured case of issue 11: Region Stockholm received 19 times its
 * share. Granted (decision and supplements) of what may be granted is
 * 100 %, not the 1 900 % of granted over the allocation. */
static void test_supplements_do_not_exceed(void **state)
{
    (void)state;
    struct dash_sum s = {10000, 10000, 10000, 180000};
    assert_int_equal(dash_granted(&s), 190000);
    assert_int_equal(dash_base(&s), 190000);
    assert_int_equal(dash_pct_granted(&s), 100);
    assert_int_equal(dash_pct_requested(&s), 100);
    assert_int_equal(dash_left(&s), 0);
    /* the old reading, granted over the allocation, would say 1 900 % */
    assert_int_equal(dash_granted(&s) * 100 / s.allocated_ore, 1900);
}

static void test_edges(void **state)
{
    (void)state;
    struct dash_sum z = {0, 0, 0, 0};
    assert_int_equal(dash_pct_granted(&z), 0);
    assert_int_equal(dash_pct_requested(&z), 0);
    assert_int_equal(dash_pct(5, 0), 0);
    assert_int_equal(dash_pct(-5, 10), 0);
    assert_int_equal(dash_pct(11, 10), 100); /* a part is held to its whole */
    assert_int_equal(dash_pct(1, 3), 33);
    assert_int_equal(dash_pct(2, 3), 66);
    /* half granted, the rest left */
    struct dash_sum h = {200000, 200000, 100000, 0};
    assert_int_equal(dash_pct_granted(&h), 50);
    assert_int_equal(dash_left(&h), 100000);
    /* the whole programme: 5 042 500 200 kr in öre */
    assert_int_equal(dash_pct(504250020000LL - 1, 504250020000LL), 99);
    assert_int_equal(dash_pct(504250020000LL, 504250020000LL), 100);
}

static uint64_t rng = 88172645463325252ULL;
static int64_t rnd(int64_t max)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (int64_t)(rng % (uint64_t)(max + 1));
}

/* Random recipients and their sums (a län, a block): every percentage is
 * 0-100 and equals floor(100 * part / whole) computed in 128 bits; the
 * sum of lines behaves like one line; granted never exceeds the base. */
static void test_random_sums(void **state)
{
    (void)state;
    for (int round = 0; round < 2000; round++) {
        struct dash_sum total = {0, 0, 0, 0};
        int lines = 1 + (int)rnd(40);
        for (int i = 0; i < lines; i++) {
            struct dash_sum l;
            l.allocated_ore = rnd(100000000000LL);
            l.requested_ore = rnd(l.allocated_ore);
            l.approved_ore = rnd(l.requested_ore);
            l.supplementary_ore = rnd(4) == 0 ? rnd(2000000000000LL) : 0;
            assert_true(dash_granted(&l) <= dash_base(&l));
            assert_true(dash_left(&l) >= 0);
            assert_int_equal(dash_left(&l) + l.approved_ore, l.allocated_ore);
            dash_add(&total, &l);
        }
        int pg = dash_pct_granted(&total), pr = dash_pct_requested(&total);
        assert_true(pg >= 0 && pg <= 100);
        assert_true(pr >= 0 && pr <= 100);
        __int128 base = dash_base(&total), gr = dash_granted(&total);
        int want = base > 0 ? (int)(gr * 100 / base) : 0;
        assert_int_equal(pg, want);
        want = total.allocated_ore > 0
                   ? (int)((__int128)total.requested_ore * 100 / total.allocated_ore)
                   : 0;
        assert_int_equal(pr, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_supplements_do_not_exceed),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_random_sums),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
