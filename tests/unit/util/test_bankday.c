/* test_bankday.c - weekdays against the C library's own calendar over
 * four centuries; Easter against published dates; every Swedish holiday
 * and eve of 2026 and 2027 by name; the next bank day over Easter,
 * midsommar, Christmas and New Year; adding days and months. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <time.h>

#include "util/bankday.h"

static struct date D(int y, int m, int d) {
    struct date x = {y, m, d};
    return x;
}

static void
test_weekday_matches_libc(void **state)
{
    (void)state;
    /* 1900-01-01 .. 2299-12-31, every 7th day plus a few offsets */
    for (int64_t day = date_days(D(1900, 1, 1)); day < date_days(D(2300, 1, 1)); day += 5) {
        struct date d = date_from_days(day);
        struct tm tm;
        memset(&tm, 0, sizeof(tm));
        tm.tm_year = d.y - 1900;
        tm.tm_mon = d.m - 1;
        tm.tm_mday = d.d;
        tm.tm_hour = 12;
        time_t t = timegm(&tm);
        struct tm out;
        gmtime_r(&t, &out);
        int want = out.tm_wday == 0 ? 7 : out.tm_wday;
        if (bankday_weekday(d) != want)
            fail_msg("%04d-%02d-%02d: %d, libc says %d", d.y, d.m, d.d, bankday_weekday(d), want);
    }
}

static void test_easter(void **state)
{
    (void)state;
    static const int known[][3] = {
        {1900, 4, 15}, {1961, 4, 2}, {2000, 4, 23}, {2008, 3, 23}, {2011, 4, 24}, {2024, 3, 31},
        {2025, 4, 20}, {2026, 4, 5}, {2027, 3, 28}, {2038, 4, 25}, {2285, 3, 22},
    };
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        struct date e = bankday_easter(known[i][0]);
        if (e.m != known[i][1] || e.d != known[i][2])
            fail_msg("easter %d: %d-%d", known[i][0], e.m, e.d);
    }
}

static void H(int y, int m, int d, const char *name)
{
    const char *got = bankday_holiday(D(y, m, d));
    if (!name) {
        if (got)
            fail_msg("%04d-%02d-%02d: '%s', want none", y, m, d, got);
        return;
    }
    if (!got || strcmp(got, name) != 0)
        fail_msg("%04d-%02d-%02d: '%s', want '%s'", y, m, d, got ? got : "(none)", name);
}

static void test_holidays(void **state)
{
    (void)state;
    H(2026, 1, 1, "nyårsdagen");
    H(2026, 1, 6, "trettondedag jul");
    H(2026, 4, 3, "långfredagen");
    H(2026, 4, 5, "påskdagen");
    H(2026, 4, 6, "annandag påsk");
    H(2026, 5, 1, "första maj");
    H(2026, 5, 14, "Kristi himmelsfärdsdag");
    H(2026, 5, 24, "pingstdagen");
    H(2026, 6, 6, "nationaldagen");
    H(2026, 6, 19, "midsommarafton");
    H(2026, 6, 20, "midsommardagen");
    H(2026, 10, 31, "alla helgons dag");
    H(2026, 12, 24, "julafton");
    H(2026, 12, 25, "juldagen");
    H(2026, 12, 26, "annandag jul");
    H(2026, 12, 31, "nyårsafton");
    H(2027, 3, 26, "långfredagen");
    H(2027, 3, 29, "annandag påsk");
    H(2027, 5, 6, "Kristi himmelsfärdsdag");
    H(2027, 6, 25, "midsommarafton");
    H(2027, 6, 26, "midsommardagen");
    H(2027, 11, 6, "alla helgons dag");
    H(2026, 6, 26, NULL); /* a Friday, not midsommarafton in 2026 */
    H(2026, 11, 1, NULL);
    H(2026, 4, 2, NULL);
    H(2026, 11, 26, NULL);
    assert_true(bankday_is_bankday(D(2026, 11, 26)));  /* a Thursday */
    assert_false(bankday_is_bankday(D(2026, 11, 28))); /* Saturday */
    assert_false(bankday_is_bankday(D(2026, 11, 29))); /* Sunday */
    assert_false(bankday_is_bankday(D(2026, 6, 19)));  /* midsommarafton */
}

static void N(struct date from, struct date want)
{
    struct date got = bankday_next(from);
    if (date_cmp(got, want) != 0)
        fail_msg("%04d-%02d-%02d -> %04d-%02d-%02d, want %04d-%02d-%02d", from.y, from.m, from.d,
                 got.y, got.m, got.d, want.y, want.m, want.d);
}

static void test_next(void **state)
{
    (void)state;
    N(D(2026, 11, 26), D(2026, 11, 26));
    N(D(2026, 11, 28), D(2026, 11, 30));
    N(D(2026, 4, 3), D(2026, 4, 7));     /* Easter: Friday to Tuesday */
    N(D(2026, 6, 19), D(2026, 6, 22));   /* midsommar */
    N(D(2026, 12, 24), D(2026, 12, 28)); /* Christmas */
    N(D(2026, 12, 31), D(2027, 1, 4));   /* New Year, then a weekend */
    N(D(2027, 1, 6), D(2027, 1, 7));     /* trettondedag jul, a Wednesday */
}

static void test_add(void **state)
{
    (void)state;
    struct date d = bankday_add_days(D(2026, 12, 20), 15);
    assert_int_equal(date_cmp(d, D(2027, 1, 4)), 0);
    d = bankday_add_days(D(2026, 3, 1), -1);
    assert_int_equal(date_cmp(d, D(2026, 2, 28)), 0);
    d = bankday_add_months(D(2027, 1, 31), 1);
    assert_int_equal(date_cmp(d, D(2027, 2, 28)), 0);
    d = bankday_add_months(D(2028, 1, 31), 1);
    assert_int_equal(date_cmp(d, D(2028, 2, 29)), 0);
    d = bankday_add_months(D(2026, 11, 15), 3);
    assert_int_equal(date_cmp(d, D(2027, 2, 15)), 0);
    d = bankday_add_months(D(2026, 11, 15), 0);
    assert_int_equal(date_cmp(d, D(2026, 11, 15)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekday_matches_libc),
        cmocka_unit_test(test_easter),
        cmocka_unit_test(test_holidays),
        cmocka_unit_test(test_next),
        cmocka_unit_test(test_add),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
