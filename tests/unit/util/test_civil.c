/* test_civil.c - the one civil clock, checked against the system's
 * time-zone database (tzdata's Europe/Stockholm through localtime_r) as an
 * independent reference, and windows and deadlines on both sides of
 * midnight and of the summer-time changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "util/civil.h"

static struct date d(int y, int m, int dd)
{
    struct date x = {y, m, dd};
    return x;
}

/* Every 15 minutes from 1997 to 2040, and every second around each change
 * of 2026, agree with tzdata. */
static void test_against_tzdata(void **state)
{
    (void)state;
    if (setenv("TZ", "Europe/Stockholm", 1) != 0)
        fail_msg("setenv TZ");
    tzset();
    struct tm probe;
    time_t jan = 1767225600; /* 2026-01-01T00:00:00Z */
    localtime_r(&jan, &probe);
    if (probe.tm_gmtoff != 3600)
        fail_msg("the system has no Europe/Stockholm zone (install tzdata)");
    const int64_t from = 852076800, to = 2208988800; /* 1997-01-01 .. 2040-01-01 */
    long checked = 0;
    for (int64_t t = from; t < to; t += 900) {
        time_t tt = (time_t)t;
        struct tm lt;
        localtime_r(&tt, &lt);
        if (civil_offset(t) != lt.tm_gmtoff)
            fail_msg("offset at %lld: %lld, tzdata %ld", (long long)t, (long long)civil_offset(t),
                     (long)lt.tm_gmtoff);
        struct date c = civil_date(t);
        if (c.y != lt.tm_year + 1900 || c.m != lt.tm_mon + 1 || c.d != lt.tm_mday)
            fail_msg("date at %lld", (long long)t);
        checked++;
    }
    assert_true(checked > 1500000);
    /* around the changes of 2026 (29 March and 25 October, 01:00 UTC) */
    const int64_t changes[] = {1774746000, 1792890000};
    for (size_t i = 0; i < 2; i++) {
        for (int64_t t = changes[i] - 7200; t < changes[i] + 7200; t++) {
            time_t tt = (time_t)t;
            struct tm lt;
            localtime_r(&tt, &lt);
            assert_int_equal(civil_offset(t), lt.tm_gmtoff);
            char want[64], got[CIVIL_TIME_LEN];
            snprintf(want, sizeof(want), "%04d-%02d-%02d %02d:%02d", lt.tm_year + 1900,
                     lt.tm_mon + 1, lt.tm_mday, lt.tm_hour, lt.tm_min);
            civil_fmt(got, sizeof(got), t);
            assert_string_equal(got, want);
        }
    }
    /* the start of every day of 2025-2027 is local midnight */
    for (int64_t k = date_days(d(2025, 1, 1)); k < date_days(d(2028, 1, 1)); k++) {
        struct date day = date_from_days(k);
        int64_t s = civil_day_start(day);
        time_t tt = (time_t)s;
        struct tm lt;
        localtime_r(&tt, &lt);
        assert_int_equal(lt.tm_hour, 0);
        assert_int_equal(lt.tm_min, 0);
        assert_int_equal(lt.tm_mday, day.d);
        assert_int_equal(date_cmp(civil_date(s - 1), day), -1);
        assert_int_equal(date_cmp(civil_date(s), day), 0);
    }
}

/* The finding of the consolidation issue: 2026-10-30T23:30:00Z is 00:30
 * on 31 October in Stockholm, so a window closing on 30 October is
 * closed, and "today" is the 31st. */
/* Local time with seconds, as pain.001's header carries it: written out
 * by hand on both sides of both changes of 2026, before 1970 (the floor
 * of a negative day), and then against the system's tzdata second by
 * second around the changes. */
static void test_iso_local(void **state)
{
    (void)state;
    static const struct {
        int64_t t;
        const char *want;
    } cases[] = {
        {1774746000 - 1, "2026-03-29T01:59:59"}, /* last CET second */
        {1774746000, "2026-03-29T03:00:00"},     /* first CEST second */
        {1792890000 - 1, "2026-10-25T02:59:59"}, /* last CEST second */
        {1792890000, "2026-10-25T02:00:00"},     /* the hour again, CET */
        {1773653400, "2026-03-16T10:30:00"},     /* 09:30Z in winter */
        {1781602200, "2026-06-16T11:30:00"},     /* 09:30Z in summer */
        {-3600, "1970-01-01T00:00:00"},          {-3601, "1969-12-31T23:59:59"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char got[CIVIL_ISO_LEN];
        civil_iso_local(got, sizeof(got), cases[i].t);
        assert_string_equal(got, cases[i].want);
    }
    if (setenv("TZ", "Europe/Stockholm", 1) != 0)
        fail_msg("setenv TZ");
    tzset();
    const int64_t changes[] = {1774746000, 1792890000};
    for (size_t i = 0; i < 2; i++) {
        for (int64_t t = changes[i] - 3700; t < changes[i] + 3700; t += 7) {
            time_t tt = (time_t)t;
            struct tm lt;
            localtime_r(&tt, &lt);
            char want[64], got[CIVIL_ISO_LEN];
            snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d", lt.tm_year + 1900,
                     lt.tm_mon + 1, lt.tm_mday, lt.tm_hour, lt.tm_min, lt.tm_sec);
            civil_iso_local(got, sizeof(got), t);
            assert_string_equal(got, want);
        }
    }
}

static void test_window_midnight(void **state)
{
    (void)state;
    struct date opens = d(2026, 3, 2), closes = d(2026, 10, 30);
    int64_t before = 1793403000 - 3600; /* 2026-10-30T22:30:00Z = 23:30 CET */
    int64_t after = 1793403000;         /* 2026-10-30T23:30:00Z = 00:30 CET on the 31st */
    struct civil_window w = civil_window_at(opens, closes, civil_date(before));
    assert_int_equal(w.state, CIVIL_WINDOW_LAST_DAY);
    assert_true(civil_window_is_open(&w));
    w = civil_window_at(opens, closes, civil_date(after));
    assert_int_equal(w.state, CIVIL_WINDOW_CLOSED);
    assert_false(civil_window_is_open(&w));
    assert_int_equal(date_cmp(civil_date(after), d(2026, 10, 31)), 0);
    /* summer: 2026-06-30T21:59:59Z is 23:59:59 CEST, a second later the 1st */
    w = civil_window_at(opens, d(2026, 6, 30), civil_date(1782856799));
    assert_int_equal(w.state, CIVIL_WINDOW_LAST_DAY);
    w = civil_window_at(opens, d(2026, 6, 30), civil_date(1782856800));
    assert_int_equal(w.state, CIVIL_WINDOW_CLOSED);
}

static void test_window_states(void **state)
{
    (void)state;
    struct date o = d(2026, 3, 2), c = d(2026, 3, 16);
    struct civil_window w = civil_window_at(o, c, d(2026, 3, 1));
    assert_int_equal(w.state, CIVIL_WINDOW_NOT_OPEN);
    assert_int_equal(w.days_to_open, 1);
    w = civil_window_at(o, c, d(2026, 3, 2));
    assert_int_equal(w.state, CIVIL_WINDOW_OPEN);
    assert_int_equal(w.days_left, 14);
    w = civil_window_at(o, c, d(2026, 3, 15));
    assert_int_equal(w.days_left, 1);
    w = civil_window_at(o, c, d(2026, 3, 16));
    assert_int_equal(w.state, CIVIL_WINDOW_LAST_DAY);
    assert_int_equal(w.days_left, 0);
    w = civil_window_at(o, c, d(2026, 3, 17));
    assert_int_equal(w.state, CIVIL_WINDOW_CLOSED);
    struct date unset = {0, 0, 0};
    w = civil_window_at(o, unset, d(2026, 3, 5));
    assert_int_equal(w.state, CIVIL_WINDOW_UNSET);
    w = civil_window_at(unset, c, d(2020, 1, 1));
    assert_int_equal(w.state, CIVIL_WINDOW_OPEN);
}

static void test_deadline(void **state)
{
    (void)state;
    struct date due = d(2027, 2, 28);
    struct civil_deadline x = civil_deadline_at(due, d(2027, 2, 21));
    assert_int_equal(x.state, CIVIL_DEADLINE_AHEAD);
    assert_int_equal(x.days, 7);
    x = civil_deadline_at(due, d(2027, 2, 28));
    assert_int_equal(x.state, CIVIL_DEADLINE_TODAY);
    x = civil_deadline_at(due, d(2027, 3, 3));
    assert_int_equal(x.state, CIVIL_DEADLINE_PASSED);
    assert_int_equal(x.days, 3);
    struct date unset = {0, 0, 0};
    assert_int_equal(civil_deadline_at(unset, due).state, CIVIL_DEADLINE_UNSET);
    const int offs[] = {14, 7, 0, -3};
    assert_int_equal(civil_reminder_today(due, d(2027, 2, 14), offs, 4), 0);
    assert_int_equal(civil_reminder_today(due, d(2027, 2, 21), offs, 4), 1);
    assert_int_equal(civil_reminder_today(due, d(2027, 2, 28), offs, 4), 2);
    assert_int_equal(civil_reminder_today(due, d(2027, 3, 3), offs, 4), 3);
    assert_int_equal(civil_reminder_today(due, d(2027, 2, 27), offs, 4), -1);
    /* a deadline on the day the clocks go back: the day is still the 25th
     * at 23:59 CET and the 26th one second later */
    struct date dst = d(2026, 10, 25);
    int64_t next = civil_day_start(d(2026, 10, 26));
    assert_int_equal(civil_deadline_at(dst, civil_date(next - 1)).state, CIVIL_DEADLINE_TODAY);
    assert_int_equal(civil_deadline_at(dst, civil_date(next)).state, CIVIL_DEADLINE_PASSED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_tzdata),  cmocka_unit_test(test_iso_local),
        cmocka_unit_test(test_window_midnight), cmocka_unit_test(test_window_states),
        cmocka_unit_test(test_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
