/* test_clock.c - time values and the arena. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/arena.h"
#include "util/clock.h"

static void test_iso_roundtrip(void **state)
{
    (void)state;
    char s[CLOCK_ISO_LEN];
    int64_t t;
    clock_iso(s, sizeof(s), 0);
    assert_string_equal(s, "1970-01-01T00:00:00Z");
    assert_int_equal(clock_parse("2026-01-22T10:00:05Z", &t), ERR_OK);
    clock_iso(s, sizeof(s), t);
    assert_string_equal(s, "2026-01-22T10:00:05Z");
    assert_int_equal(clock_parse("2026-01-22", &t), ERR_OK);
    assert_int_equal(t % 86400, 0);
    assert_int_equal(clock_parse("1769076000", &t), ERR_OK);
    assert_int_equal(t, 1769076000);
    assert_int_not_equal(clock_parse("2026-01-22T25:00:00Z", &t), ERR_OK);
    assert_int_not_equal(clock_parse("2026-01-22 10:00:00", &t), ERR_OK);
    assert_int_not_equal(clock_parse("", &t), ERR_OK);
    assert_int_not_equal(clock_parse(NULL, &t), ERR_OK);
}

static void test_env(void **state)
{
    (void)state;
    setenv("BIDRAG_NOW", "2026-03-01T12:00:00Z", 1);
    int64_t t = clock_from_env();
    char s[CLOCK_ISO_LEN];
    clock_iso(s, sizeof(s), t);
    assert_string_equal(s, "2026-03-01T12:00:00Z");
    unsetenv("BIDRAG_NOW");
}

static void test_arena(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 100000);
    char *p = arena_strdup(&a, "hej");
    assert_string_equal(p, "hej");
    char *q = arena_printf(&a, "%d-%s", 7, "x");
    assert_string_equal(q, "7-x");
    void *big = arena_alloc(&a, 50000);
    assert_non_null(big);
    assert_null(arena_alloc(&a, 60000)); /* past the cap */
    assert_null(arena_alloc(&a, SIZE_MAX));
    assert_null(arena_strdup(&a, NULL));
    arena_release(&a);
    assert_non_null(arena_alloc(&a, 10));
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso_roundtrip),
        cmocka_unit_test(test_env),
        cmocka_unit_test(test_arena),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
