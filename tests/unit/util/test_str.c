/* test_str.c - strict integers, trimming, UTF-8 length and padding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/str.h"

static void test_parse_i64(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(str_parse_i64(" 42 ", &v), ERR_OK);
    assert_int_equal(v, 42);
    assert_int_equal(str_parse_i64("-9223372036854775808", &v), ERR_OK);
    assert_int_equal(v, INT64_MIN);
    assert_int_equal(str_parse_i64("9223372036854775808", &v), ERR_LIMIT);
    assert_int_equal(str_parse_i64("4x", &v), ERR_PARSE);
    assert_int_equal(str_parse_i64("", &v), ERR_PARSE);
}

static void test_utf8(void **state)
{
    (void)state;
    assert_int_equal(str_utf8_len("åäö", strlen("åäö")), 3);
    assert_int_equal(str_utf8_len("\xe5", 1), -1);     /* Latin-1 å */
    assert_int_equal(str_utf8_len("\xc0\xaf", 2), -1); /* overlong */
    char out[64];
    assert_string_equal(str_pad(out, sizeof(out), "Örebro", 8, 0), "Örebro  ");
    assert_string_equal(str_pad(out, sizeof(out), "Örebro", 8, 1), "  Örebro");
    assert_string_equal(str_pad(out, sizeof(out), "Västerås", 4, 0), "Väst");
    char small[4];
    assert_string_equal(str_pad(small, sizeof(small), "abcdef", 6, 0), "abc");
}

static void test_trim_copy(void **state)
{
    (void)state;
    char s[] = "  hej \r\n";
    assert_string_equal(str_trim(s), "hej");
    char d[4];
    assert_int_equal(str_copy(d, sizeof(d), "abcd"), 1);
    assert_string_equal(d, "abc");
    assert_true(str_is_digits("0114", 4));
    assert_false(str_is_digits("011", 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_i64),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_trim_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
