/* test_date.c - civil dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/date.h"

static void test_parse(void **state)
{
    (void)state;
    struct date d;
    assert_int_equal(date_parse("2026-01-22", &d), ERR_OK);
    assert_int_equal(d.y, 2026);
    assert_int_equal(d.m, 1);
    assert_int_equal(d.d, 22);
    assert_int_equal(date_parse("2024-02-29", &d), ERR_OK);
    assert_int_not_equal(date_parse("2025-02-29", &d), ERR_OK);
    assert_int_not_equal(date_parse("2025-13-01", &d), ERR_OK);
    assert_int_not_equal(date_parse("2025-1-01", &d), ERR_OK);
    assert_int_not_equal(date_parse("2025-01-01x", &d), ERR_OK);
    assert_int_not_equal(date_parse("", &d), ERR_OK);
    assert_int_not_equal(date_parse("1900-02-29", &d), ERR_OK);
    assert_int_equal(date_parse("2000-02-29", &d), ERR_OK);
}

static void test_days_roundtrip(void **state)
{
    (void)state;
    struct date e = {1970, 1, 1};
    assert_int_equal(date_days(e), 0);
    struct date d = {2026, 12, 1};
    assert_int_equal(date_days(d), 20788);
    for (int64_t k = -30000; k < 400000; k += 7) {
        struct date x = date_from_days(k);
        assert_true(date_valid(x) || x.y < 1900 || x.y > 2999);
        assert_int_equal(date_days(x), k);
    }
    struct date a = {2026, 3, 16}, b = {2026, 3, 17};
    assert_int_equal(date_cmp(a, b), -1);
    assert_int_equal(date_cmp(b, a), 1);
    assert_int_equal(date_cmp(a, a), 0);
}

static void test_format(void **state)
{
    (void)state;
    char b[40];
    struct date d = {2027, 3, 31};
    date_fmt(b, sizeof(b), d);
    assert_string_equal(b, "2027-03-31");
    date_fmt_sv(b, sizeof(b), d);
    assert_string_equal(b, "31 mars 2027");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_days_roundtrip),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
