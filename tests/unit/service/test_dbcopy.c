/* test_dbcopy.c - dbcopy_run (bidrag db copy) between SQLite files: the
 * audit chain is checked whole on the target before it commits; a chain
 * already broken in the source stops the copy, says so, and leaves the
 * target empty; a target that is no database is named without its
 * password; a target in another folder is checked with the source's audit
 * key ring and checkpoints, which stay where they are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "service/audit.h"
#include "service/auth.h"
#include "service/dbcopy.h"
#include "store/store.h"

#define T0 1767225600 /* 2026-01-01 */

static char dir[128], from_url[256];

static int setup(void **state)
{
    (void)state;
    struct store *s = NULL;
    snprintf(dir, sizeof(dir), "/tmp/bidrag-test-dbcopy-%d", (int)getpid());
    snprintf(from_url, sizeof(from_url), "sqlite:%s/from.db", dir);
    if (auth_init() != ERR_OK || store_open(from_url, STORE_OPEN_CREATE, &s) != ERR_OK)
        return -1;
    enum err e = store_begin(s);
    for (int i = 0; e == ERR_OK && i < 40; i++)
        e = audit_append(s, "anna", "0180", "prov", "x", NULL, "y", T0 + i);
    if (e == ERR_OK)
        e = store_commit(s);
    store_close(s);
    return e == ERR_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static long long audit_rows(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long n = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM audit", -1, &st, NULL),
                     SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void test_chain_checked(void **state)
{
    (void)state;
    static struct dbcopy_result r;
    char to[300], path[256];
    snprintf(path, sizeof(path), "%s/good.db", dir);
    snprintf(to, sizeof(to), "sqlite:%s", path);
    assert_int_equal(dbcopy_run(from_url, to, &r), ERR_OK);
    assert_int_equal(r.audit_rows, 40);
    assert_true(r.copy.ntables >= 20);
    assert_int_equal(audit_rows(path), 40);
    assert_string_equal(r.to, to);
}

/* A target in another folder (or on PostgreSQL) looks for the trail's
 * key ring and checkpoints elsewhere: the copy is checked with the
 * source's, which are not moved, and the result says where they go. */
static void test_other_folder(void **state)
{
    (void)state;
    static struct dbcopy_result r;
    static struct audit_report rep;
    char to[300], path[256], want[300];
    snprintf(path, sizeof(path), "%s/moved/to.db", dir);
    snprintf(to, sizeof(to), "sqlite:%s", path);
    assert_int_equal(dbcopy_run(from_url, to, &r), ERR_OK);
    assert_int_equal(r.audit_rows, 40);
    assert_int_equal(audit_rows(path), 40);
    snprintf(want, sizeof(want), "%s/keys/audit.key", dir);
    assert_string_equal(r.audit_from.key, want);
    snprintf(want, sizeof(want), "%s/moved/keys/audit.key", dir);
    assert_string_equal(r.audit_to.key, want);
    snprintf(want, sizeof(want), "%s/moved/audit/checkpoints", dir);
    assert_string_equal(r.audit_to.checkpoints, want);
    assert_int_equal(access(r.audit_to.key, F_OK), -1); /* not moved */
    /* the target's own files absent, its verify says the ring is lost */
    struct store *s = NULL;
    assert_int_equal(store_open(to, STORE_OPEN_EXISTING, &s), ERR_OK);
    assert_int_equal(audit_verify(s, &rep), ERR_INVALID);
    assert_non_null(strstr(rep.msg, "key ring is lost"));
    store_close(s);
}

static void test_broken_chain(void **state)
{
    (void)state;
    static struct dbcopy_result r;
    char to[300], path[256], src[256];
    snprintf(src, sizeof(src), "%s/from.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(src, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "UPDATE audit SET actor = 'mallory' WHERE seq = 17", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    snprintf(path, sizeof(path), "%s/broken.db", dir);
    snprintf(to, sizeof(to), "sqlite:%s", path);
    assert_int_equal(dbcopy_run(from_url, to, &r), ERR_INVALID);
    assert_non_null(strstr(r.msg, "the audit chain does not hold on the target"));
    assert_non_null(strstr(r.msg, "audit row 17 was changed"));
    assert_non_null(strstr(r.msg, "broken in the source already"));
    assert_int_equal(audit_rows(path), 0); /* nothing committed */
}

static void test_refused_target(void **state)
{
    (void)state;
    static struct dbcopy_result r;
    assert_int_not_equal(dbcopy_run(from_url, "postgresql://bidrag:hemligt@127.0.0.1:1/bidrag", &r),
                         ERR_OK);
    assert_non_null(strstr(r.msg, "the target: cannot connect"));
    assert_null(strstr(r.msg, "hemligt"));
    assert_null(strstr(r.to, "hemligt"));
    assert_int_not_equal(dbcopy_run("sqlite:/nonexistent/x.db", from_url, &r), ERR_OK);
    assert_non_null(strstr(r.msg, "the source: "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain_checked),
        cmocka_unit_test(test_other_folder),
        cmocka_unit_test(test_broken_chain),
        cmocka_unit_test(test_refused_target),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
