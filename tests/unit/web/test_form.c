/* test_form.c - URL-encoded form and cookie parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "web/form.h"

static void test_form_basic(void **state)
{
    (void)state;
    struct arena a;
    struct form f;
    arena_init(&a, 0);
    const char *s = "a=1&b=x+y%21&&c&d=%C3%A5%C3%A4%C3%B6&a=2&e=";
    assert_int_equal(form_parse(&a, s, strlen(s), &f), ERR_OK);
    assert_int_equal(f.n, 6);
    assert_string_equal(form_get(&f, "a"), "1");
    assert_string_equal(form_get(&f, "b"), "x y!");
    assert_string_equal(form_get(&f, "c"), "");
    assert_string_equal(form_get(&f, "d"), "åäö");
    assert_string_equal(form_get(&f, "e"), "");
    assert_null(form_get(&f, "z"));
    arena_release(&a);
}

static void test_form_rejects(void **state)
{
    (void)state;
    struct arena a;
    struct form f;
    arena_init(&a, 0);
    /* a surrogate, a code point above U+10FFFF, an overlong slash */
    const char *bad[] = {"a=%zz",  "a=%4",   "a=%",         "a=%00",          "a=%C3",   "a=%FF%FE",
                         "a%01=b", "a=\x01", "a=%ED%A0%80", "a=%F4%90%80%80", "a=%C0%AF"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_not_equal(form_parse(&a, bad[i], strlen(bad[i]), &f), ERR_OK);
    /* newlines are fine in values, not in names */
    assert_int_equal(form_parse(&a, "t=a%0Ab", 7, &f), ERR_OK);
    assert_string_equal(form_get(&f, "t"), "a\nb");
    assert_int_not_equal(form_parse(&a, "t%0A=b", 7, &f), ERR_OK);
    /* an embedded NUL byte in the raw body */
    assert_int_not_equal(form_parse(&a, "a=b\0c", 5, &f), ERR_OK);
    arena_release(&a);
}

static void test_form_limits(void **state)
{
    (void)state;
    struct arena a;
    struct form f;
    char big[FORM_MAX_FIELDS * 4 + 16];
    size_t n = 0;
    for (int i = 0; i <= FORM_MAX_FIELDS; i++) {
        big[n++] = 'a';
        big[n++] = '=';
        big[n++] = '1';
        big[n++] = '&';
    }
    arena_init(&a, 0);
    assert_int_equal(form_parse(&a, big, n, &f), ERR_LIMIT);
    arena_release(&a);
    arena_init(&a, 1024);
    char longv[4096];
    memset(longv, 'x', sizeof(longv));
    longv[0] = 'v';
    longv[1] = '=';
    assert_int_equal(form_parse(&a, longv, sizeof(longv), &f), ERR_LIMIT);
    arena_release(&a);
}

static void test_cookies(void **state)
{
    (void)state;
    struct arena a;
    struct form f;
    arena_init(&a, 0);
    const char *s = " sid=abc123 ; lang=en;empty=; q=\"quoted\";noeq";
    assert_int_equal(form_parse_cookies(&a, s, strlen(s), &f), ERR_OK);
    assert_string_equal(form_get(&f, "sid"), "abc123");
    assert_string_equal(form_get(&f, "lang"), "en");
    assert_string_equal(form_get(&f, "empty"), "");
    assert_string_equal(form_get(&f, "q"), "quoted");
    assert_null(form_get(&f, "noeq"));
    assert_int_not_equal(form_parse_cookies(&a, "a=\x01", 3, &f), ERR_OK);
    arena_release(&a);
}

static void test_forwarded_addr(void **state)
{
    (void)state;
    char a[64];
    assert_int_equal(form_forwarded_addr("203.0.113.5", a, sizeof(a)), ERR_OK);
    assert_string_equal(a, "203.0.113.5");
    /* the last address counts: the client wrote the ones before it */
    assert_int_equal(form_forwarded_addr("10.0.0.1, 198.51.100.7", a, sizeof(a)), ERR_OK);
    assert_string_equal(a, "198.51.100.7");
    assert_int_equal(form_forwarded_addr("1.2.3.4,2001:db8::1 ", a, sizeof(a)), ERR_OK);
    assert_string_equal(a, "2001:db8::1");
    /* not an address: refused, never passed on */
    assert_int_equal(form_forwarded_addr("198.51.100.7, unknown", a, sizeof(a)), ERR_PARSE);
    assert_string_equal(a, "");
    assert_int_equal(form_forwarded_addr("", a, sizeof(a)), ERR_PARSE);
    assert_int_equal(form_forwarded_addr("1.2.3.4,", a, sizeof(a)), ERR_PARSE);
    assert_int_equal(form_forwarded_addr("203.0.113.5:443", a, sizeof(a)), ERR_PARSE);
    assert_int_equal(form_forwarded_addr("[2001:db8::1]", a, sizeof(a)), ERR_PARSE);
    assert_int_equal(form_forwarded_addr("1.2.3.4 5.6.7.8", a, sizeof(a)), ERR_PARSE);
    assert_int_equal(form_forwarded_addr(NULL, a, sizeof(a)), ERR_PARSE);
    assert_int_equal(form_forwarded_addr("203.0.113.5", a, 5), ERR_PARSE); /* no room */
}

static void test_accept_encoding(void **state)
{
    (void)state;
    assert_true(form_takes_gzip("gzip"));
    assert_true(form_takes_gzip("gzip, deflate, br"));
    assert_true(form_takes_gzip("br;q=1.0, GZIP;q=0.5"));
    assert_true(form_takes_gzip("deflate, x-gzip"));
    assert_true(form_takes_gzip("*"));
    assert_true(form_takes_gzip("gzip;q=0.001"));
    assert_false(form_takes_gzip(NULL));
    assert_false(form_takes_gzip(""));
    assert_false(form_takes_gzip("identity"));
    assert_false(form_takes_gzip("deflate, br"));
    assert_false(form_takes_gzip("gzip;q=0"));
    assert_false(form_takes_gzip("gzip; q=0.000, identity"));
    assert_false(form_takes_gzip("*;q=0"));
    assert_false(form_takes_gzip("gzipx, xgzip, gzi"));
}

static void test_if_none_match(void **state)
{
    (void)state;
    const char *t = "\"abc\"", *g = "\"abc-gz\"";
    assert_true(form_none_match("\"abc\"", t, g));
    assert_true(form_none_match("\"abc-gz\"", t, g));
    assert_true(form_none_match("W/\"abc\"", t, g));
    assert_true(form_none_match("\"x\", \"y\" ,  \"abc\"  ", t, g));
    assert_true(form_none_match("*", t, g));
    assert_true(form_none_match(" * ", t, NULL));
    assert_false(form_none_match(NULL, t, g));
    assert_false(form_none_match("", t, g));
    assert_false(form_none_match("\"abcd\"", t, g));
    assert_false(form_none_match("\"ab\"", t, g));
    assert_false(form_none_match("abc", t, g)); /* without its quotes */
    assert_false(form_none_match("\"x\", \"y\"", t, g));
    assert_false(form_none_match("*x", t, g));
    assert_false(form_none_match("W/", t, g));
    assert_false(form_none_match(",,, ,", t, g));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form_basic),     cmocka_unit_test(test_form_rejects),
        cmocka_unit_test(test_form_limits),    cmocka_unit_test(test_cookies),
        cmocka_unit_test(test_forwarded_addr), cmocka_unit_test(test_accept_encoding),
        cmocka_unit_test(test_if_none_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
