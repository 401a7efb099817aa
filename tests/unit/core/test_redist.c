/* test_redist.c - capped redistribution against a reference computation
 * written here from the rule's words (not with alloc.h), over thousands of
 * random cases, plus the properties the decision requires: the pot is met
 * exactly or the rest reported, nobody above its cap, nothing to those who
 * do not take part, the same input gives the same output, and the cases
 * measured in the e-service review (issue 11). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/redist.h"

#define NCASES 4000
#define MAXN 40

static uint64_t rng_state = UINT64_C(0xD1B54A32D192ED03);

static uint64_t rng_next(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * UINT64_C(0x2545F4914F6CDD1D);
}

static int64_t rng_range(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rng_next() % ((uint64_t)(hi - lo) + 1));
}

/* ---- the reference, from the rule's words ----
 * "The pot is split by the block's key among those taking part, exactly
 * (largest remainder, ties to the lower code), capped at each one's
 * stated amount; what a cap leaves over is split again among the rest,
 * until the pot is spent or everybody is capped." */
struct ref_in {
    int64_t w, cap; /* cap < 0: no cap */
    int part;
};

static void ref_compute(int64_t pot, const struct ref_in *in, size_t n, int64_t *out,
                        int64_t *remaining)
{
    int done[MAXN] = {0};
    for (size_t i = 0; i < n; i++) {
        out[i] = 0;
        done[i] = !in[i].part || in[i].w == 0 || in[i].cap == 0;
    }
    for (;;) {
        __int128 wsum = 0;
        for (size_t i = 0; i < n; i++)
            if (!done[i])
                wsum += in[i].w;
        if (pot == 0 || wsum == 0)
            break;
        /* exact quotas floored, then one krona each to the largest
         * fractions; a simple selection, lower code first on ties */
        int64_t share[MAXN];
        __int128 frac[MAXN];
        int64_t given = 0;
        for (size_t i = 0; i < n; i++) {
            share[i] = 0;
            frac[i] = -1;
            if (done[i])
                continue;
            __int128 num = (__int128)pot * in[i].w;
            share[i] = (int64_t)(num / wsum);
            frac[i] = num % wsum;
            given += share[i];
        }
        for (int64_t k = given; k < pot; k++) {
            size_t best = n;
            for (size_t i = 0; i < n; i++)
                if (frac[i] >= 0 && (best == n || frac[i] > frac[best]))
                    best = i;
            share[best]++;
            frac[best] = -1;
        }
        int any = 0;
        for (size_t i = 0; i < n; i++) {
            if (!done[i] && in[i].cap >= 0 && share[i] >= in[i].cap) {
                out[i] = in[i].cap;
                pot -= in[i].cap;
                done[i] = 1;
                any = 1;
            }
        }
        if (!any) {
            for (size_t i = 0; i < n; i++)
                if (!done[i])
                    out[i] = share[i];
            pot = 0;
            break;
        }
    }
    *remaining = pot;
}

static void fill(struct redist_line *l, const struct ref_in *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        memset(&l[i], 0, sizeof(l[i]));
        l[i].weight = in[i].w;
        l[i].takes_part = in[i].part;
        l[i].cap_kr = in[i].cap < 0 ? REDIST_NO_CAP : in[i].cap;
    }
}

static void test_against_reference(void **state)
{
    (void)state;
    struct ref_in in[MAXN];
    struct redist_line l[MAXN];
    int64_t want[MAXN];
    for (int c = 0; c < NCASES; c++) {
        size_t n = (size_t)rng_range(1, MAXN);
        int64_t pot = rng_range(0, 3) == 0 ? rng_range(0, 50) : rng_range(0, INT64_C(5000000000));
        for (size_t i = 0; i < n; i++) {
            in[i].w = rng_range(0, 9) == 0 ? 0 : rng_range(1, INT64_C(3000000));
            in[i].part = rng_range(0, 3) != 0;
            int k = (int)rng_range(0, 4);
            in[i].cap = k == 0 ? -1 : k == 1 ? rng_range(0, 100) : rng_range(0, pot / 4 + 1);
        }
        int64_t ref_rem = 0;
        ref_compute(pot, in, n, want, &ref_rem);
        fill(l, in, n);
        struct redist_result res;
        assert_int_equal(redist_split(pot, l, n, &res), ERR_OK);
        int64_t sum = 0;
        for (size_t i = 0; i < n; i++) {
            if (l[i].extra_kr != want[i])
                fail_msg("case %d line %zu: engine %lld, reference %lld", c, i,
                         (long long)l[i].extra_kr, (long long)want[i]);
            assert_true(l[i].extra_kr >= 0);
            if (in[i].cap >= 0)
                assert_true(l[i].extra_kr <= in[i].cap); /* nobody above its cap */
            if (!in[i].part)
                assert_int_equal(l[i].extra_kr, 0); /* no share to a non-participant */
            sum += l[i].extra_kr;
        }
        assert_int_equal(res.remaining_kr, ref_rem);
        assert_int_equal(sum + res.remaining_kr, pot); /* every krona accounted for */
        assert_int_equal(res.redistributed_kr, sum);
        /* something remains only if nobody can take more */
        if (res.remaining_kr > 0)
            for (size_t i = 0; i < n; i++)
                assert_true(!in[i].part || in[i].w == 0 || l[i].capped || in[i].cap == 0);
        /* re-running changes nothing */
        int64_t first[MAXN];
        for (size_t i = 0; i < n; i++)
            first[i] = l[i].extra_kr;
        struct redist_result again;
        fill(l, in, n);
        assert_int_equal(redist_split(pot, l, n, &again), ERR_OK);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(l[i].extra_kr, first[i]);
        redist_result_release(&again);
        redist_result_release(&res);
    }
}

/* Hand-computed: 1 000 kr among weights 1, 1, 2 (A, B, C); C can use only
 * 100. Round 1: 250, 250, 500 -> C capped at 100. Round 2: 900 between A
 * and B: 450 each. */
static void test_rounds_by_hand(void **state)
{
    (void)state;
    struct redist_line l[3];
    struct ref_in in[3] = {{1, -1, 1}, {1, -1, 1}, {2, 100, 1}};
    fill(l, in, 3);
    struct redist_result r;
    assert_int_equal(redist_split(1000, l, 3, &r), ERR_OK);
    assert_int_equal(l[0].extra_kr, 450);
    assert_int_equal(l[1].extra_kr, 450);
    assert_int_equal(l[2].extra_kr, 100);
    assert_true(l[2].capped);
    assert_int_equal(l[2].round, 1);
    assert_int_equal(l[0].round, 2);
    assert_int_equal(r.nrounds, 2);
    assert_int_equal(r.rounds[0].pot_kr, 1000);
    assert_int_equal(r.rounds[0].ncapped, 1);
    assert_int_equal(r.rounds[1].pot_kr, 900);
    assert_int_equal(r.rounds[1].total_weight, 2);
    assert_int_equal(r.remaining_kr, 0);
    redist_result_release(&r);
    /* everybody capped: the rest stays unpaid and is reported */
    struct ref_in in2[3] = {{1, 10, 1}, {1, 20, 1}, {5, 30, 0}};
    fill(l, in2, 3);
    assert_int_equal(redist_split(1000, l, 3, &r), ERR_OK);
    assert_int_equal(l[0].extra_kr, 10);
    assert_int_equal(l[1].extra_kr, 20);
    assert_int_equal(l[2].extra_kr, 0);
    assert_int_equal(r.remaining_kr, 970);
    redist_result_release(&r);
    /* nobody takes part */
    struct ref_in in3[2] = {{1, -1, 0}, {1, -1, 0}};
    fill(l, in3, 2);
    assert_int_equal(redist_split(500, l, 2, &r), ERR_OK);
    assert_int_equal(r.remaining_kr, 500);
    assert_int_equal(r.nrounds, 0);
    redist_result_release(&r);
}

/* The review's measurements: a recipient that asked for 1 kr more cannot
 * receive 44 283 866 kr; Region Stockholm cannot get 19 times its share. */
static void test_caps_hold(void **state)
{
    (void)state;
    struct redist_line l[3];
    struct ref_in in[3] = {{2400000, 1, 1}, {300000, -1, 1}, {100000, 500000, 1}};
    fill(l, in, 3);
    struct redist_result r;
    assert_int_equal(redist_split(44283866, l, 3, &r), ERR_OK);
    assert_int_equal(l[0].extra_kr, 1);
    assert_int_equal(l[2].extra_kr, 500000);
    assert_int_equal(l[1].extra_kr, 44283866 - 1 - 500000);
    redist_result_release(&r);
}

static void test_errors(void **state)
{
    (void)state;
    struct redist_line l[1];
    struct ref_in in[1] = {{1, -1, 1}};
    struct redist_result r;
    fill(l, in, 1);
    assert_int_equal(redist_split(-1, l, 1, &r), ERR_INVALID);
    redist_result_release(&r);
    l[0].weight = -3;
    assert_int_equal(redist_split(10, l, 1, &r), ERR_INVALID);
    redist_result_release(&r);
    fill(l, in, 1);
    l[0].cap_kr = -5;
    assert_int_equal(redist_split(10, l, 1, &r), ERR_INVALID);
    redist_result_release(&r);
    assert_int_equal(redist_split(0, l, 0, &r), ERR_OK);
    assert_int_equal(r.remaining_kr, 0);
    redist_result_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_reference),
        cmocka_unit_test(test_rounds_by_hand),
        cmocka_unit_test(test_caps_hold),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
