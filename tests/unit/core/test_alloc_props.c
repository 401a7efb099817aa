/* test_alloc_props.c - property tests of alloc_split over thousands of
 * random inputs (fixed-seed xorshift, so every run sees the same cases),
 * plus hand-computed cases and the error cases.
 *
 * Properties: the pot is met exactly; every share is within 1 kr of its
 * exact quota (|share × W − pot × w| < W, in 128-bit integers); more weight
 * never gives less money; ineligible or zero-weight items get nothing; the
 * leftover kronor go to the largest remainders, ties to the lower index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#define NCASES 6000
#define MAXN 400

/* xorshift64* (Vigna); never seeded with 0. */
static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);

static uint64_t rng_next(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * UINT64_C(0x2545F4914F6CDD1D);
}

/* Uniform in [0, n) (n > 0); the tiny modulo bias does not matter here. */
static uint64_t rng_below(uint64_t n)
{
    return rng_next() % n;
}

static int64_t rng_range(int64_t lo, int64_t hi)
{
    return lo + (int64_t)rng_below((uint64_t)(hi - lo) + 1);
}

static int participates(const struct alloc_item *it)
{
    return it->eligible && it->weight > 0;
}

/* For sorting item indices by (weight ascending). */
static const struct alloc_item *sort_items;

static int cmp_weight(const void *a, const void *b)
{
    const struct alloc_item *x = &sort_items[*(const size_t *)a];
    const struct alloc_item *y = &sort_items[*(const size_t *)b];
    return (x->weight > y->weight) - (x->weight < y->weight);
}

/* Largest remainder first, equal remainders lower index first. */
static int cmp_priority(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const struct alloc_item *x = &sort_items[i], *y = &sort_items[j];
    if (x->rem_num != y->rem_num)
        return x->rem_num > y->rem_num ? -1 : 1;
    return (i > j) - (i < j);
}

/* Check every property of a successful split. */
static void check_split(int64_t pot, const struct alloc_item *it, size_t n,
                        const struct alloc_result *res)
{
    __int128 W = 0, sum = 0, sumq = 0;
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        if (participates(&it[i])) {
            W += it[i].weight;
            np++;
        }
    }
    assert_true(W == res->total_weight);
    assert_int_equal(np, res->nparticipants);

    for (size_t i = 0; i < n; i++) {
        const struct alloc_item *x = &it[i];
        sum += x->share;
        if (!participates(x)) {
            /* zero weight or ineligible: nothing at all */
            assert_int_equal(x->share, 0);
            assert_int_equal(x->extra, 0);
            continue;
        }
        __int128 exact = (__int128)pot * x->weight; /* quota × W */
        __int128 diff = (__int128)x->share * W - exact;
        if (diff < 0)
            diff = -diff;
        assert_true(diff < W); /* within 1 kr of the exact quota */
        assert_true((__int128)x->quota_int == exact / W);
        assert_true((__int128)x->rem_num == exact % W);
        assert_true(x->extra == 0 || x->extra == 1);
        assert_int_equal(x->share, x->quota_int + x->extra);
        assert_true(x->share >= 0);
        sumq += x->quota_int;
    }
    assert_true(sum == pot); /* the pot is met to the krona */
    assert_true((__int128)res->leftover == pot - sumq);
    assert_true(res->leftover >= 0 && (size_t)res->leftover <= (np ? np - 1 : 0));

    size_t *ord = malloc((n ? n : 1) * sizeof(*ord));
    assert_non_null(ord);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (participates(&it[i]))
            ord[k++] = i;

    /* monotonicity: w_i > w_j => share_i >= share_j. In weight order, the
     * largest share among lighter items never exceeds the smallest share
     * of a heavier group. */
    sort_items = it;
    qsort(ord, k, sizeof(*ord), cmp_weight);
    int64_t lighter_max = INT64_MIN;
    for (size_t g = 0; g < k;) {
        size_t h = g;
        int64_t gmin = INT64_MAX, gmax = INT64_MIN;
        while (h < k && it[ord[h]].weight == it[ord[g]].weight) {
            int64_t s = it[ord[h]].share;
            gmin = s < gmin ? s : gmin;
            gmax = s > gmax ? s : gmax;
            h++;
        }
        assert_true(gmax - gmin <= 1); /* equal weights: at most 1 kr apart */
        assert_true(lighter_max <= gmin);
        lighter_max = gmax > lighter_max ? gmax : lighter_max;
        g = h;
    }

    /* the extra kronor are exactly the first `leftover` items in
     * (remainder descending, index ascending) order */
    qsort(ord, k, sizeof(*ord), cmp_priority);
    for (size_t r = 0; r < k; r++)
        assert_int_equal(it[ord[r]].extra, r < (size_t)res->leftover ? 1 : 0);
    free(ord);
}

/* One random case: weights from one of several distributions. */
static void random_case(struct alloc_item *it, size_t *pn, int64_t *ppot)
{
    size_t n = (size_t)rng_range(1, MAXN);
    int kind = (int)rng_below(5);
    int64_t wmax;
    switch (kind) {
    case 0:
        wmax = 3; /* many ties */
        break;
    case 1:
        wmax = 2500000; /* population-like */
        break;
    case 2:
        wmax = 100000;
        break;
    case 3:
        wmax = INT64_MAX / MAXN; /* huge, but the sum fits */
        break;
    default:
        wmax = 1; /* equal split */
        break;
    }
    for (size_t i = 0; i < n; i++) {
        it[i].weight = rng_range(0, wmax);
        if (rng_below(10) == 0)
            it[i].weight = 0;
        it[i].eligible = rng_below(5) != 0;
        if (!it[i].eligible && rng_below(4) == 0)
            it[i].weight = -rng_range(1, 1000); /* ignored when ineligible */
    }
    /* make sure someone takes part */
    size_t j = (size_t)rng_below(n);
    it[j].eligible = 1;
    if (it[j].weight <= 0)
        it[j].weight = 1;

    int64_t pot;
    switch (rng_below(4)) {
    case 0:
        pot = rng_range(0, 50); /* fewer kronor than recipients */
        break;
    case 1:
        pot = rng_range(0, INT64_C(1000000000)); /* typical grant */
        break;
    case 2:
        pot = rng_range(0, INT64_C(1000000000000000)); /* MONEY_MAX_KR */
        break;
    default:
        pot = rng_range(INT64_MAX / 2, INT64_MAX); /* arithmetic limits */
        break;
    }
    *pn = n;
    *ppot = pot;
}

static void test_random_properties(void **state)
{
    (void)state;
    struct alloc_item *it = calloc(MAXN, sizeof(*it));
    assert_non_null(it);
    size_t with_left = 0;
    for (int c = 0; c < NCASES; c++) {
        size_t n;
        int64_t pot;
        random_case(it, &n, &pot);
        struct alloc_result res;
        memset(&res, 0xA5, sizeof(res));
        assert_int_equal(alloc_split(pot, it, n, &res), ERR_OK);
        check_split(pot, it, n, &res);
        with_left += res.leftover > 0;
    }
    assert_true(with_left > NCASES / 2); /* the rounding step was exercised */
    free(it);
}

/* Splitting twice gives the same result: outputs from a previous run are
 * overwritten, not accumulated. */
static void test_rerun_is_idempotent(void **state)
{
    (void)state;
    struct alloc_item a[50], b[50];
    memset(a, 0, sizeof(a));
    for (size_t i = 0; i < 50; i++) {
        a[i].weight = rng_range(0, 1000);
        a[i].eligible = 1;
    }
    a[0].weight = 7;
    memcpy(b, a, sizeof(a));
    assert_int_equal(alloc_split(123457, a, 50, NULL), ERR_OK);
    assert_int_equal(alloc_split(123457, a, 50, NULL), ERR_OK);
    assert_int_equal(alloc_split(123457, b, 50, NULL), ERR_OK);
    for (size_t i = 0; i < 50; i++)
        assert_int_equal(a[i].share, b[i].share);
}

static void test_equal_split_21(void **state)
{
    (void)state;
    struct alloc_item it[21];
    memset(it, 0, sizeof(it));
    for (size_t i = 0; i < 21; i++) {
        it[i].weight = 1;
        it[i].eligible = 1;
    }
    struct alloc_result res;
    /* 100 000 000 / 21 = 4 761 904 remainder 16 */
    assert_int_equal(alloc_split(100000000, it, 21, &res), ERR_OK);
    for (size_t i = 0; i < 21; i++) {
        assert_int_equal(it[i].quota_int, 4761904);
        assert_int_equal(it[i].rem_num, 16);
        assert_int_equal(it[i].share, i < 16 ? 4761905 : 4761904);
        assert_int_equal(it[i].extra, i < 16);
    }
    assert_int_equal(res.total_weight, 21);
    assert_int_equal(res.leftover, 16);
    assert_int_equal(res.nparticipants, 21);
}

static void test_ties(void **state)
{
    (void)state;
    /* 10 kr among three equals: 3.33 each; the leftover krona goes to
     * the lowest index */
    struct alloc_item a[3] = {
        {.weight = 5, .eligible = 1}, {.weight = 5, .eligible = 1}, {.weight = 5, .eligible = 1}};
    assert_int_equal(alloc_split(10, a, 3, NULL), ERR_OK);
    assert_int_equal(a[0].share, 4);
    assert_int_equal(a[1].share, 3);
    assert_int_equal(a[2].share, 3);

    /* 2 kr by 2:1:1: quotas 1, 0.5, 0.5; the tied half goes to index 1 */
    struct alloc_item b[3] = {
        {.weight = 2, .eligible = 1}, {.weight = 1, .eligible = 1}, {.weight = 1, .eligible = 1}};
    assert_int_equal(alloc_split(2, b, 3, NULL), ERR_OK);
    assert_int_equal(b[0].share, 1);
    assert_int_equal(b[1].share, 1);
    assert_int_equal(b[2].share, 0);

    /* a larger remainder beats a lower index: 7 kr by 1:2 gives quotas
     * 2.33 and 4.67, so index 1 takes the leftover */
    struct alloc_item c[2] = {{.weight = 1, .eligible = 1}, {.weight = 2, .eligible = 1}};
    assert_int_equal(alloc_split(7, c, 2, NULL), ERR_OK);
    assert_int_equal(c[0].share, 2);
    assert_int_equal(c[1].share, 5);

    /* an ineligible item in between does not take part in the tie */
    struct alloc_item d[3] = {
        {.weight = 1, .eligible = 0}, {.weight = 1, .eligible = 1}, {.weight = 1, .eligible = 1}};
    assert_int_equal(alloc_split(1, d, 3, NULL), ERR_OK);
    assert_int_equal(d[0].share, 0);
    assert_int_equal(d[1].share, 1);
    assert_int_equal(d[2].share, 0);
}

static void test_pot_zero(void **state)
{
    (void)state;
    struct alloc_item it[3] = {
        {.weight = 4, .eligible = 1}, {.weight = 0, .eligible = 1}, {.weight = 9, .eligible = 0}};
    struct alloc_result res;
    assert_int_equal(alloc_split(0, it, 3, &res), ERR_OK);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(it[i].share, 0);
    assert_int_equal(res.total_weight, 4);
    assert_int_equal(res.leftover, 0);
    assert_int_equal(res.nparticipants, 1);
    /* nobody eligible is fine when there is nothing to hand out */
    it[0].eligible = 0;
    assert_int_equal(alloc_split(0, it, 3, NULL), ERR_OK);
    assert_int_equal(alloc_split(0, NULL, 0, NULL), ERR_OK);
}

static void test_errors(void **state)
{
    (void)state;
    struct alloc_item it[3] = {
        {.weight = 4, .eligible = 0}, {.weight = 0, .eligible = 1}, {.weight = 9, .eligible = 0}};
    /* no eligible item with weight */
    assert_int_equal(alloc_split(100, it, 3, NULL), ERR_INVALID);
    assert_int_equal(alloc_split(100, NULL, 0, NULL), ERR_INVALID);
    /* negative pot */
    it[0].eligible = 1;
    assert_int_equal(alloc_split(-1, it, 3, NULL), ERR_INVALID);
    /* negative weight of an eligible item, even with a zero pot */
    it[2].eligible = 1;
    it[2].weight = -1;
    assert_int_equal(alloc_split(100, it, 3, NULL), ERR_INVALID);
    assert_int_equal(alloc_split(0, it, 3, NULL), ERR_INVALID);
    /* ineligible negative weight is ignored */
    it[2].eligible = 0;
    assert_int_equal(alloc_split(100, it, 3, NULL), ERR_OK);
    assert_int_equal(it[0].share, 100);
    assert_int_equal(it[2].share, 0);
    /* total weight overflows int64 */
    struct alloc_item big[2] = {{.weight = INT64_MAX, .eligible = 1}, {.weight = 1, .eligible = 1}};
    assert_int_equal(alloc_split(100, big, 2, NULL), ERR_LIMIT);
    struct alloc_item big3[3] = {{.weight = INT64_MAX / 2, .eligible = 1},
                                 {.weight = INT64_MAX / 2, .eligible = 1},
                                 {.weight = 2, .eligible = 1}};
    assert_int_equal(alloc_split(100, big3, 3, NULL), ERR_LIMIT);
    /* ... but exactly INT64_MAX is fine, with the largest pot */
    big3[2].weight = 1;
    struct alloc_result res;
    assert_int_equal(alloc_split(INT64_MAX, big3, 3, &res), ERR_OK);
    check_split(INT64_MAX, big3, 3, &res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_split_21),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_pot_zero),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_rerun_is_idempotent),
        cmocka_unit_test(test_random_properties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
