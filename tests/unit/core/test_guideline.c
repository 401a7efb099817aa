/* test_guideline.c - guideline values and gaps: hand-computed cases (the
 * 2022 values, need weighting, regional and count values, rounding), the
 * versions in force on a date, bad values, and properties against an
 * independent reference in long double arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/guideline.h"

static struct guideline_value value(const char *group, const char *region, int64_t inh,
                                    int64_t fte_milli, int y, int m, int d)
{
    struct guideline_value v;
    memset(&v, 0, sizeof(v));
    snprintf(v.group, sizeof(v.group), "%s", group);
    snprintf(v.region, sizeof(v.region), "%s", region);
    v.kind = GUIDELINE_RATIO;
    v.inhabitants = inh;
    v.fte_milli = fte_milli;
    snprintf(v.unit, sizeof(v.unit), "invånare per heltid");
    snprintf(v.basis, sizeof(v.basis), "folkbokförda invånare");
    snprintf(v.source, sizeof(v.source), "test");
    v.valid_from = (struct date){y, m, d};
    return v;
}

static const struct guideline_opts plain = {0, 1000};
static const struct date day2026 = {2026, 1, 1};

static void test_defaults(void **state)
{
    (void)state;
    size_t n;
    const struct guideline_value *v = guideline_defaults(&n);
    struct diag d;
    diag_init(&d, 0);
    assert_int_equal(guideline_check(v, n, &d), ERR_OK);
    diag_release(&d);
    const struct guideline_value *g;
    assert_int_equal(guideline_find(v, n, "gp-specialist", "01", day2026, &g), ERR_OK);
    assert_int_equal(g->inhabitants, 1100);
    assert_int_equal(g->fte_milli, 1000);
    assert_int_equal(guideline_find(v, n, "st-general-practice", NULL, day2026, &g), ERR_OK);
    assert_int_equal(g->inhabitants, 550);
    /* not in force before 28 April 2022 */
    assert_int_equal(guideline_find(v, n, "gp-specialist", NULL, (struct date){2022, 4, 27}, &g),
                     ERR_NOTFOUND);
    assert_null(g);
    assert_int_equal(guideline_find(v, n, "gp-specialist", NULL, (struct date){2022, 4, 28}, &g),
                     ERR_OK);
}

/* 1 100 000 inhabitants need 1 000 GP specialists; with 800 FTE the
 * region lacks 200 FTE, 250 persons at 0.8 FTE each; 1 375 inhabitants
 * per FTE; 90.909 FTE per 100 000 required, 72.727 actual. */
static void test_gap_by_hand(void **state)
{
    (void)state;
    size_t nv;
    const struct guideline_value *v = guideline_defaults(&nv);
    struct guideline_region in[2] = {{"01", 1100000, 0, 800000, 800}, {"02", 550000, 0, 600000, 0}};
    struct guideline_gap_row rows[2], nat;
    struct diag d;
    diag_init(&d, 0);
    assert_int_equal(guideline_gap(v, nv, "gp-specialist", day2026, in, 2, &plain, rows, &nat, &d),
                     ERR_OK);
    assert_int_equal(rows[0].required_mfte, 1000000);
    assert_int_equal(rows[0].shortfall_mfte, 200000);
    assert_int_equal(rows[0].shortfall_persons, 250);
    assert_int_equal(rows[0].inhabitants_per_fte, 1375);
    assert_int_equal(rows[0].required_per100k_mfte, 90909);
    assert_int_equal(rows[0].actual_per100k_mfte, 72727);
    assert_ptr_equal(rows[0].value, &v[0]);
    /* 550 000 need 500 FTE; 600 FTE is 100 more than asked: -100 persons at 1.0 */
    assert_int_equal(rows[1].required_mfte, 500000);
    assert_int_equal(rows[1].shortfall_mfte, -100000);
    assert_int_equal(rows[1].shortfall_persons, -100);
    assert_int_equal(rows[1].inhabitants_per_fte, 917); /* 916.67 */
    /* Riket: the sums */
    assert_int_equal(nat.population, 1650000);
    assert_int_equal(nat.required_mfte, 1500000);
    assert_int_equal(nat.actual_mfte, 1400000);
    assert_int_equal(nat.shortfall_mfte, 100000);
    assert_int_equal(nat.shortfall_persons, 150);
    assert_int_equal(nat.inhabitants_per_fte, 1179); /* 1 178.57 */
    assert_true(nat.has_required);
    assert_ptr_equal(nat.value, &v[0]);
    diag_release(&d);
}

/* ST: 2 200 000 inhabitants / 550 = 4 000 ST doctors; forecast 3 600 posts. */
static void test_st_against_forecast(void **state)
{
    (void)state;
    size_t nv;
    const struct guideline_value *v = guideline_defaults(&nv);
    struct guideline_region in[1] = {{"14", 2200000, 0, 3600 * 1000, 0}};
    struct guideline_gap_row row, nat;
    struct diag d;
    diag_init(&d, 0);
    assert_int_equal(
        guideline_gap(v, nv, "st-general-practice", day2026, in, 1, &plain, &row, &nat, &d),
        ERR_OK);
    assert_int_equal(row.required_mfte, 4000000);
    assert_int_equal(row.shortfall_mfte, 400000);
    assert_int_equal(row.shortfall_persons, 400);
    diag_release(&d);
}

/* Rounding: thousandths, half away from zero, one rounding per figure. */
static void test_rounding(void **state)
{
    (void)state;
    assert_int_equal(guideline_required_mfte(1, 1100, 1000), 1); /* 0.909 */
    assert_int_equal(guideline_required_mfte(1, 2000, 1000), 1); /* 0.5 up */
    assert_int_equal(guideline_required_mfte(1, 2001, 1000), 0); /* 0.49975 */
    assert_int_equal(guideline_required_mfte(3, 2000, 1000), 2); /* 1.5 up */
    assert_int_equal(guideline_required_mfte(1650, 1100, 1000), 1500);
    assert_int_equal(guideline_required_mfte(10000, 10000, 2500), 2500); /* 2.5 per 10 000 */
    assert_int_equal(guideline_required_mfte(-1, 1100, 1000), -1);
    assert_int_equal(guideline_required_mfte(1, 0, 1000), -1);
    assert_int_equal(guideline_div_round(-3, 2), -2); /* away from zero */
    assert_int_equal(guideline_div_round(3, 2), 2);
    assert_int_equal(guideline_div_round(-5, 3), -2);
    assert_int_equal(guideline_div_round(0, 7), 0);
}

/* Need weighting moves requirement between regions; the total stays. */
static void test_need_weighting(void **state)
{
    (void)state;
    size_t nv;
    const struct guideline_value *v = guideline_defaults(&nv);
    struct guideline_region in[2] = {{"01", 1100000, 1500, 0, 0}, {"02", 1100000, 500, 0, 0}};
    struct guideline_gap_row rows[2], nat;
    struct guideline_opts o = {1, 1000};
    struct diag d;
    diag_init(&d, 0);
    assert_int_equal(guideline_gap(v, nv, "gp-specialist", day2026, in, 2, &o, rows, &nat, &d),
                     ERR_OK);
    assert_int_equal(rows[0].weighted_population, 1650000);
    assert_int_equal(rows[1].weighted_population, 550000);
    assert_int_equal(rows[0].required_mfte, 1500000);
    assert_int_equal(rows[1].required_mfte, 500000);
    assert_int_equal(nat.required_mfte, 2000000);
    assert_int_equal(nat.weighted_population, 2200000);
    /* inhabitants per FTE uses the real population */
    assert_int_equal(rows[0].inhabitants_per_fte, -1);
    /* an index of 1000 everywhere changes nothing */
    in[0].need_index = in[1].need_index = 1000;
    in[1].population = 733333;
    assert_int_equal(guideline_gap(v, nv, "gp-specialist", day2026, in, 2, &o, rows, &nat, &d),
                     ERR_OK);
    assert_int_equal(rows[1].required_mfte, guideline_required_mfte(733333, 1100, 1000));
    /* a missing index is an error when weighting */
    in[1].need_index = 0;
    assert_int_equal(guideline_gap(v, nv, "gp-specialist", day2026, in, 2, &o, rows, &nat, &d),
                     ERR_INVALID);
    assert_non_null(strstr(d.msg[d.n - 1], "need index 0 of region '02'"));
    diag_release(&d);
}

/* A region's own value beats the national one; the latest version in
 * force wins; a regional count (a baseline of posts) needs no population. */
static void test_versions_and_regions(void **state)
{
    (void)state;
    struct guideline_value v[5];
    v[0] = value("gp-specialist", "", 1500, 1000, 2000, 1, 1);
    v[1] = value("gp-specialist", "", 1100, 1000, 2022, 4, 28);
    v[2] = value("gp-specialist", "25", 1000, 1000, 2023, 1, 1);
    v[3] = value("gp-specialist", "", 900, 1000, 2030, 1, 1); /* not yet */
    v[4] = value("st-general-practice", "01", 0, 45000, 2026, 1, 1);
    v[4].kind = GUIDELINE_COUNT;
    struct diag d;
    diag_init(&d, 0);
    assert_int_equal(guideline_check(v, 5, &d), ERR_OK);
    const struct guideline_value *g;
    assert_int_equal(guideline_find(v, 5, "gp-specialist", "01", day2026, &g), ERR_OK);
    assert_ptr_equal(g, &v[1]);
    assert_int_equal(guideline_find(v, 5, "gp-specialist", "25", day2026, &g), ERR_OK);
    assert_ptr_equal(g, &v[2]);
    assert_int_equal(guideline_find(v, 5, "gp-specialist", "25", (struct date){2022, 12, 31}, &g),
                     ERR_OK);
    assert_ptr_equal(g, &v[1]);
    assert_int_equal(guideline_find(v, 5, "gp-specialist", "", (struct date){2021, 1, 1}, &g),
                     ERR_OK);
    assert_ptr_equal(g, &v[0]);
    assert_int_equal(guideline_find(v, 5, "gp-specialist", "", (struct date){2031, 1, 1}, &g),
                     ERR_OK);
    assert_ptr_equal(g, &v[3]);

    struct guideline_region in[2] = {{"01", 100000, 0, 0, 0}, {"25", 100000, 0, 0, 0}};
    struct guideline_gap_row rows[2], nat;
    assert_int_equal(guideline_gap(v, 5, "gp-specialist", day2026, in, 2, &plain, rows, &nat, &d),
                     ERR_OK);
    assert_int_equal(rows[0].required_mfte, 90909);
    assert_int_equal(rows[1].required_mfte, 100000);
    assert_null(nat.value); /* the regions used different values */
    assert_int_equal(nat.required_mfte, 190909);

    /* the ST baseline of region 01 is a count; region 25 has none */
    in[0].actual_mfte = 40000;
    assert_int_equal(
        guideline_gap(v, 5, "st-general-practice", day2026, in, 2, &plain, rows, &nat, &d), ERR_OK);
    assert_true(rows[0].has_required);
    assert_int_equal(rows[0].required_mfte, 45000);
    assert_int_equal(rows[0].shortfall_mfte, 5000);
    assert_int_equal(rows[0].shortfall_persons, 5);
    assert_false(rows[1].has_required);
    assert_int_equal(rows[1].required_per100k_mfte, -1);
    assert_false(nat.has_required);

    /* nothing in force: not found, said */
    assert_int_equal(guideline_gap(v, 5, "psychologist", day2026, in, 2, &plain, rows, &nat, &d),
                     ERR_NOTFOUND);
    assert_non_null(strstr(d.msg[d.n - 1], "no guideline value for 'psychologist'"));
    diag_release(&d);
}

static void test_bad_values(void **state)
{
    (void)state;
    struct guideline_value v[7];
    v[0] = value("GP", "", 1100, 1000, 2022, 4, 28);
    v[1] = value("gp", "x1", 1100, 1000, 2022, 4, 28);
    v[2] = value("gp", "", 0, 1000, 2022, 4, 28);
    v[3] = value("gp", "", 1100, 1000, 2022, 2, 30);
    v[4] = value("gp", "", 1100, 1000, 2021, 1, 1);
    v[5] = value("gp", "", 1000, 1000, 2021, 1, 1);
    v[6] = value("gp", "", 1100, 1000, 2020, 1, 1);
    v[6].source[0] = '\0';
    struct diag d;
    diag_init(&d, 0);
    assert_int_equal(guideline_check(v, 7, &d), ERR_INVALID);
    const char *want[] = {
        "guideline value 1: group 'GP' must be 1-31 of a-z, 0-9, -",
        "guideline value 2: region 'x1' of 'gp' must be digits or empty",
        "guideline value 3: inhabitants 0 of 'gp' must be 1-10000000",
        "guideline value 4: valid-from 2022-02-30 of 'gp' is not a date",
        "guideline value 6: 'gp' valid from 2021-01-01 is also value 5",
        "guideline value 7: 'gp' has no source",
    };
    assert_int_equal(d.n, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < d.n; i++)
        assert_string_equal(d.msg[i], want[i]);
    diag_release(&d);

    /* bad region figures */
    struct guideline_region in[1] = {{"01", -5, 0, -1, 3000}};
    struct guideline_gap_row row, nat;
    diag_init(&d, 0);
    assert_int_equal(guideline_gap(v, 1, "gp", day2026, in, 1, &plain, &row, &nat, &d),
                     ERR_INVALID);
    assert_int_equal(d.n, 3);
    assert_string_equal(d.msg[0], "population -5 of region '01' is not 0-1000000000");
    diag_release(&d);
}

/* Independent reference: every required figure is within half a
 * thousandth of population × 1000 / 1100 computed in long double, need
 * weighting preserves the total within the rounding of the regions, and
 * requirement grows with population. */
static void test_properties(void **state)
{
    (void)state;
    size_t nv;
    const struct guideline_value *v = guideline_defaults(&nv);
    struct guideline_region in[21];
    struct guideline_gap_row rows[21], nat;
    uint64_t x = 88172645463325252u;
    struct diag d;
    diag_init(&d, 0);
    for (int round = 0; round < 200; round++) {
        long double total = 0, wsum = 0;
        for (size_t i = 0; i < 21; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            in[i].code = "01";
            in[i].population = (int64_t)(x % 2500000);
            in[i].need_index = 500 + (int64_t)((x >> 24) % 1500);
            in[i].actual_mfte = (int64_t)((x >> 40) % 3000000);
            in[i].fte_per_person_milli = 0;
            total += (long double)in[i].population;
            wsum += (long double)in[i].population * (long double)in[i].need_index;
        }
        struct guideline_opts o = {round % 2, 870};
        assert_int_equal(guideline_gap(v, nv, "gp-specialist", day2026, in, 21, &o, rows, &nat, &d),
                         ERR_OK);
        int64_t sum = 0;
        for (size_t i = 0; i < 21; i++) {
            long double exact = (long double)in[i].population * 1000.0L / 1100.0L;
            if (o.weight_by_need)
                exact = exact * (long double)in[i].need_index * total / wsum;
            assert_true(fabsl((long double)rows[i].required_mfte - exact) <= 0.5L + 1e-9L);
            long double persons = (long double)rows[i].shortfall_mfte / 870.0L;
            assert_true(fabsl((long double)rows[i].shortfall_persons - persons) <= 0.5L + 1e-9L);
            sum += rows[i].required_mfte;
        }
        assert_int_equal(nat.required_mfte, sum);
        long double nat_exact = total * 1000.0L / 1100.0L;
        assert_true(fabsl((long double)sum - nat_exact) <= 21 * 0.5L + 1e-6L);
        /* more people, no less requirement */
        in[3].population += 1000;
        struct guideline_gap_row rows2[21], nat2;
        o.weight_by_need = 0;
        assert_int_equal(
            guideline_gap(v, nv, "gp-specialist", day2026, in, 21, &o, rows2, &nat2, &d), ERR_OK);
        in[3].population -= 1000;
        assert_int_equal(guideline_gap(v, nv, "gp-specialist", day2026, in, 21, &o, rows, &nat, &d),
                         ERR_OK);
        assert_true(rows2[3].required_mfte > rows[3].required_mfte);
        assert_true(nat2.required_mfte > nat.required_mfte);
    }
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_gap_by_hand),
        cmocka_unit_test(test_st_against_forecast),
        cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_need_weighting),
        cmocka_unit_test(test_versions_and_regions),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_properties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
