/* test_money.c - money parsing and formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/money.h"

static void test_parse_forms(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_int_equal(money_parse("1 013 000 000", &v), ERR_OK);
    assert_int_equal(v, INT64_C(101300000000));
    assert_int_equal(money_parse("1013000000", &v), ERR_OK);
    assert_int_equal(v, INT64_C(101300000000));
    assert_int_equal(money_parse("1_013_000_000 kr", &v), ERR_OK);
    assert_int_equal(v, INT64_C(101300000000));
    assert_int_equal(money_parse("12,5", &v), ERR_OK);
    assert_int_equal(v, 1250);
    assert_int_equal(money_parse("12.05", &v), ERR_OK);
    assert_int_equal(v, 1205);
    assert_int_equal(money_parse("1\xc2\xa0"
                                 "000",
                                 &v),
                     ERR_OK);
    assert_int_equal(v, 100000);
    assert_int_equal(money_parse("-5", &v), ERR_OK);
    assert_int_equal(v, -500);
}

static void test_parse_rejects(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_int_not_equal(money_parse("", &v), ERR_OK);
    assert_int_not_equal(money_parse("abc", &v), ERR_OK);
    assert_int_not_equal(money_parse("1 00", &v), ERR_OK);
    assert_int_not_equal(money_parse("1 0000", &v), ERR_OK);
    assert_int_not_equal(money_parse("12,345", &v), ERR_OK);
    assert_int_not_equal(money_parse("12,", &v), ERR_OK);
    assert_int_not_equal(money_parse("5 kronor", &v), ERR_OK);
    assert_int_equal(money_parse("99999999999999999999", &v), ERR_LIMIT);
    assert_int_not_equal(money_parse_kr("12,50", &v), ERR_OK);
}

static void test_format(void **state)
{
    (void)state;
    char b[64];
    money_fmt_kr(b, sizeof(b), INT64_C(1013000000));
    assert_string_equal(b, "1 013 000 000");
    money_fmt_kr(b, sizeof(b), 999);
    assert_string_equal(b, "999");
    money_fmt_kr(b, sizeof(b), 1000);
    assert_string_equal(b, "1 000");
    money_fmt_kr(b, sizeof(b), -1234567);
    assert_string_equal(b, "-1 234 567");
    money_fmt_kr(b, sizeof(b), INT64_MIN);
    assert_string_equal(b, "-9 223 372 036 854 775 808");
    money_fmt_ore(b, sizeof(b), 123456);
    assert_string_equal(b, "1 234,56 kr");
    money_fmt_ore(b, sizeof(b), 100);
    assert_string_equal(b, "1 kr");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
