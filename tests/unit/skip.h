/* skip.h - a cmocka test that cannot run here (a tool or a file is
 * missing) says so instead of passing: test_skip() marks the test skipped
 * and the program exits 77, which ctest shows as skipped
 * (SKIP_RETURN_CODE); under CI=true a skip is a failure. Include after
 * <cmocka.h>; end main with return test_exit(cmocka_run_group_tests(...)). */
#ifndef BIDRAG_TESTS_SKIP_H
#define BIDRAG_TESTS_SKIP_H

#include <stdlib.h>
#include <string.h>

static int test_skipped;

/* 1 when CI is "true", "1" or "yes": a missing tool is then a failure. */
static inline int test_in_ci(void)
{
    const char *ci = getenv("CI");
    return ci && (strcmp(ci, "true") == 0 || strcmp(ci, "1") == 0 || strcmp(ci, "yes") == 0);
}

/* Skip the rest of the running test, or fail it under CI=true. */
#define test_skip(why)                                                                             \
    do {                                                                                           \
        if (test_in_ci())                                                                          \
            fail_msg("cannot run: %s (CI=true: a missing tool is a failure)", why);                \
        print_message("skipped: %s\n", why);                                                       \
        test_skipped = 1;                                                                          \
        skip();                                                                                    \
    } while (0)

/* The exit status: cmocka's failure count, else 77 if anything was
 * skipped, else 0. */
static inline int test_exit(int failed)
{
    if (failed)
        return failed;
    return test_skipped ? 77 : 0;
}

#endif
