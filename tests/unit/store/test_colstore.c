/* test_colstore.c - column store generations: write, switch, map, abort,
 * one writer at a time, old generations removed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/colstore.h"

static char dir[512];

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/colstore-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int count_entries(const char *path, const char *prefix)
{
    DIR *d = opendir(path);
    int n = 0;
    struct dirent *de;
    if (!d)
        return -1;
    for (de = readdir(d); de; de = readdir(d))
        if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

static void test_generations(void **state)
{
    (void)state;
    struct colstore_writer w;
    struct colstore s;
    const void *p;
    size_t len;
    char sub[600];
    snprintf(sub, sizeof(sub), "%s/stats", dir);
    assert_int_equal(colstore_open(&s, sub), ERR_NOTFOUND);

    uint16_t a[3] = {1, 2, 3};
    assert_int_equal(colstore_begin(&w, sub), ERR_OK);
    assert_int_equal(colstore_put(&w, "a.u16", a, sizeof(a)), ERR_OK);
    assert_int_equal(colstore_put(&w, "empty", "", 0), ERR_OK);
    /* a second writer must wait */
    struct colstore_writer w2;
    assert_int_equal(colstore_begin(&w2, sub), ERR_CONFLICT);
    colstore_abort(&w2);
    /* nothing visible before commit */
    assert_int_equal(colstore_open(&s, sub), ERR_NOTFOUND);
    assert_int_equal(colstore_commit(&w), ERR_OK);
    colstore_abort(&w);

    assert_int_equal(colstore_open(&s, sub), ERR_OK);
    assert_string_equal(s.gen, "gen-1");
    assert_int_equal(colstore_get(&s, "a.u16", &p, &len), ERR_OK);
    assert_int_equal(len, sizeof(a));
    assert_memory_equal(p, a, sizeof(a));
    assert_int_equal(colstore_get(&s, "empty", &p, &len), ERR_OK);
    assert_int_equal(len, 0);
    assert_int_equal(colstore_get(&s, "nope", &p, &len), ERR_NOTFOUND);

    /* an aborted write changes nothing and leaves no folder */
    assert_int_equal(colstore_begin(&w, sub), ERR_OK);
    assert_int_equal(colstore_put(&w, "a.u16", "xx", 2), ERR_OK);
    colstore_abort(&w);
    assert_int_equal(count_entries(sub, "gen-"), 1);

    /* a new generation replaces the old one; the old mapping stays valid */
    uint16_t b[2] = {7, 8};
    assert_int_equal(colstore_begin(&w, sub), ERR_OK);
    assert_int_equal(colstore_put(&w, "a.u16", b, sizeof(b)), ERR_OK);
    assert_int_equal(colstore_commit(&w), ERR_OK);
    colstore_abort(&w);
    assert_int_equal(colstore_get(&s, "a.u16", &p, &len), ERR_OK);
    assert_memory_equal(p, a, sizeof(a));
    colstore_close(&s);
    assert_int_equal(count_entries(sub, "gen-"), 1);
    assert_int_equal(colstore_open(&s, sub), ERR_OK);
    assert_string_equal(s.gen, "gen-2");
    assert_int_equal(colstore_get(&s, "a.u16", &p, &len), ERR_OK);
    assert_int_equal(len, sizeof(b));
    assert_memory_equal(p, b, sizeof(b));
    colstore_close(&s);

    /* a folder left by a crashed writer is cleaned by the next one */
    char crashed[700];
    snprintf(crashed, sizeof(crashed), "%s/gen-9.tmp-1", sub);
    assert_int_equal(mkdir(crashed, 0755), 0);
    assert_int_equal(colstore_begin(&w, sub), ERR_OK);
    assert_int_equal(count_entries(sub, "gen-9"), 0);
    colstore_abort(&w);
}

static int teardown(void **state)
{
    (void)state;
    static const char *const files[] = {"stats/gen-3.tmp-0", "stats/gen-2/a.u16",
                                        "stats/gen-2/empty", "stats/CURRENT", "stats/lock"};
    char p[700];
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
        unlink(p);
    }
    snprintf(p, sizeof(p), "%s/stats/gen-2", dir);
    rmdir(p);
    snprintf(p, sizeof(p), "%s/stats", dir);
    rmdir(p);
    rmdir(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
