/* test_programs.c - opening programs: the web and the API name stored
 * programs only (programs_open never reads a file, whatever the id looks
 * like), a file is opened by programs_open_file, and an oversized program
 * file is refused without leaking its buffer (LeakSanitizer in the ASan
 * build). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "service/programs.h"
#include "service/refdata.h"

static char dir[256], dbpath[300], local[320];
static struct store *s;
static struct svc_actor sys; /* the system: every action allowed */
static struct svc_result res;
static const int64_t T0 = 1767225600; /* 2026-01-01T00:00:00Z */

static int setup(void **state)
{
    (void)state;
    const char *src = getenv("BIDRAG_SRC");
    char k[512], r[512], cmd[1200];
    struct diag d;
    if (!src)
        src = BIDRAG_SOURCE_DIR;
    snprintf(dir, sizeof(dir), "/tmp/bidrag-test-programs-%d", (int)getpid());
    snprintf(dbpath, sizeof(dbpath), "%s/x.db", dir);
    if (store_open(dbpath, STORE_OPEN_CREATE, &s) != ERR_OK)
        return -1;
    svc_actor_system(&sys);
    diag_init(&d, 20);
    snprintf(k, sizeof(k), "%s/data/reference/kommuner.csv", src);
    snprintf(r, sizeof(r), "%s/data/reference/regioner.csv", src);
    int rc = refdata_load_orgs(s, &sys, T0, k, r, &d, &res) != ERR_OK;
    diag_release(&d);
    /* a program file of its own (equal split, nothing to import) */
    snprintf(local, sizeof(local), "%s/lokal.ini", dir);
    snprintf(cmd, sizeof(cmd),
             "printf '[program]\\nid = lokal\\ntitle = Lokal\\ndiarienummer = S1\\n"
             "total = 2 100\\n[block 1]\\nrecipients = regioner\\namount = 2 100\\n"
             "key = equal\\n' >'%s'",
             local);
    if (!rc)
        rc = system(cmd) != 0;
    return rc ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    store_close(s);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_stored_only(void **state)
{
    (void)state;
    struct program_view v;
    struct diag d;
    diag_init(&d, 10);
    /* a path, and a name ending in .ini: neither is read as a file */
    assert_int_equal(programs_open(s, &sys, T0, local, &v, &d, &res), ERR_NOTFOUND);
    assert_string_equal(v.prog.id, "");
    program_view_release(&v);
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(programs_open(s, &sys, T0, "lokal.ini", &v, &d, &res), ERR_NOTFOUND);
    program_view_release(&v);
    /* the file, by the function for files */
    assert_int_equal(programs_open_file(s, &sys, T0, local, &v, &d, &res), ERR_OK);
    assert_string_equal(v.prog.id, "lokal");
    assert_true(v.allocated);
    program_view_release(&v);
    /* once loaded, by its id */
    assert_int_equal(programs_load(s, &sys, T0, local, &d, &res), ERR_OK);
    assert_int_equal(programs_open(s, &sys, T0, "lokal", &v, &d, &res), ERR_OK);
    assert_int_equal(v.alloc.blocks[0].allocated_kr, 2100);
    program_view_release(&v);
    diag_release(&d);
}

static void test_oversized_file(void **state)
{
    (void)state;
    char path[400], cmd[600];
    snprintf(path, sizeof(path), "%s/big.ini", dir);
    /* a comment line repeated past the 1 MiB limit */
    snprintf(cmd, sizeof(cmd), "yes '# %0150d' | head -c 1200000 >'%s'", 0, path);
    assert_int_equal(system(cmd), 0);
    struct program_view v;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(programs_open_file(s, &sys, T0, path, &v, &d, &res), ERR_LIMIT);
    program_view_release(&v);
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.msg[0], "big.ini: the file is too large"));
    assert_int_equal(programs_check(s, &sys, T0, path, &d, &res), ERR_LIMIT);
    assert_int_equal(programs_load(s, &sys, T0, path, &d, &res), ERR_LIMIT);
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stored_only),
        cmocka_unit_test(test_oversized_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
