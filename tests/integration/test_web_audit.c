/* test_web_audit.c - the audit trail end to end: web actions append
 * records, the chain verifies (CLI, page, API), a backup taken while the
 * server runs is consistent, and editing, deleting or cutting rows with
 * the sqlite3 shell is found and named by `bidrag audit verify`; restore
 * refuses bad files and puts a good backup back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "webtest.h"

static const char pw[] = "granska-losenord";
static char backup[700];

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    wt_tmpdir("audit");
    if (wt_user("admin", "Ada", pw, "admin") || wt_user("gun", "Gun", pw, "granskare"))
        return -1;
    snprintf(backup, sizeof(backup), "%s/backup.db", wt_dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    curl_global_cleanup();
    wt_cleanup();
    return 0;
}

static void test_trail_and_backup(void **state)
{
    (void)state;
    struct wt_server sv;
    struct wt_client c;
    struct wt_resp r;
    char csrf[65], body[512];
    assert_int_equal(wt_start(&sv, NULL), 0);
    wt_client_init(&c, sv.port);
    assert_int_equal(wt_login(&c, "admin", pw), 303);
    wt_csrf_of(&c, "/admin/users", csrf);
    snprintf(body, sizeof(body), "csrf=%s&action=add&login=kalle&name=Kalle&password=0123456789ab",
             csrf);
    assert_int_equal(wt_status(&c, "POST", "/admin/users", body), 303);
    snprintf(body, sizeof(body), "csrf=%s&action=grant&login=kalle&role=ombud&org=0180", csrf);
    assert_int_equal(wt_status(&c, "POST", "/admin/users", body), 303);
    /* one ombud per organisation */
    assert_int_equal(wt_status(&c, "POST", "/admin/users", body), 400);
    snprintf(body, sizeof(body), "csrf=%s", csrf);
    assert_int_equal(wt_status(&c, "POST", "/logout", body), 303);
    wt_client_release(&c);

    /* granskare sees an unbroken trail holding those actions */
    wt_client_init(&c, sv.port);
    assert_int_equal(wt_login(&c, "gun", pw), 303);
    wt_req(&c, "GET", "/audit", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Loggen är obruten."));
    assert_non_null(strstr(r.body.p, "<td>user.add</td><td>user:kalle</td>"));
    assert_non_null(strstr(r.body.p, "<td>role.grant</td>"));
    assert_non_null(strstr(r.body.p, "<td>logout</td>"));
    wt_resp_release(&r);
    wt_req(&c, "GET", "/audit?object=user%3Akalle", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body.p, "<td>logout</td>"));
    wt_resp_release(&r);
    wt_client_release(&c);

    assert_int_equal(wt_sh("'%s' audit verify --db '%s' >/dev/null", wt_bidrag(), wt_db), 0);
    assert_int_equal(wt_sh("'%s' audit list --object user:kalle --db '%s' | grep -c . | grep -qx 2",
                           wt_bidrag(), wt_db),
                     0);
    /* a consistent copy while the server runs */
    assert_int_equal(wt_sh("'%s' backup '%s' --db '%s' >/dev/null", wt_bidrag(), backup, wt_db), 0);
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' >/dev/null", wt_bidrag(), backup), 0);
    assert_int_equal(wt_sh("'%s' backup '%s' --db '%s' 2>/dev/null", wt_bidrag(), backup, wt_db),
                     1); /* never overwrites */
    assert_int_equal(wt_stop(&sv), 0);
    assert_int_equal(wt_sh("grep -q '^shutting down' '%s'", sv.log), 0);
}

/* Copy the database, run sql on the copy, and check `audit verify`
 * fails with a message holding `want`. */
static void tamper(const char *sql, const char *want)
{
    char copy[700];
    snprintf(copy, sizeof(copy), "%s/tampered.db", wt_dir);
    assert_int_equal(wt_sh("rm -f '%s' && sqlite3 '%s' \".backup '%s'\" && sqlite3 '%s' \"%s\"",
                           copy, wt_db, copy, copy, sql),
                     0);
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' 2>'%s.err'", wt_bidrag(), copy, copy), 1);
    if (wt_sh("grep -q '%s' '%s.err'", want, copy) != 0) {
        wt_sh("cat '%s.err' >&2", copy);
        fail_msg("verify did not say '%s'", want);
    }
}

static void test_tamper(void **state)
{
    (void)state;
    tamper("UPDATE audit SET actor = 'mallory' WHERE seq = 3", "audit row 3 was changed");
    tamper("UPDATE audit SET object = 'user:x' WHERE seq = 1", "audit row 1 was changed");
    tamper("DELETE FROM audit WHERE seq = 2", "audit row 2 is missing");
    tamper("DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)", "cut short");
    /* a changed hash column is caught as well */
    tamper("UPDATE audit SET hash = '00' || substr(hash, 3) WHERE seq = 2", "audit row 2");
}

static void test_page_shows_break(void **state)
{
    (void)state;
    struct wt_server sv;
    struct wt_client c;
    struct wt_resp r;
    assert_int_equal(wt_sh("sqlite3 '%s' \"UPDATE audit SET action = 'x' WHERE seq = 4\"", wt_db),
                     0);
    assert_int_equal(wt_start(&sv, NULL), 0);
    wt_client_init(&c, sv.port);
    assert_int_equal(wt_login(&c, "gun", pw), 303);
    wt_req(&c, "GET", "/audit", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Loggen är bruten vid post 4."));
    wt_resp_release(&r);
    wt_client_release(&c);
    assert_int_equal(wt_stop(&sv), 0);
}

static void test_restore(void **state)
{
    (void)state;
    char junk[700], newer[700];
    snprintf(junk, sizeof(junk), "%s/junk.db", wt_dir);
    snprintf(newer, sizeof(newer), "%s/newer.db", wt_dir);
    assert_int_equal(wt_sh("echo 'not a database at all' > '%s'", junk), 0);
    assert_int_equal(wt_sh("'%s' restore '%s' --db '%s' 2>/dev/null", wt_bidrag(), junk, wt_db), 1);
    assert_int_equal(
        wt_sh("cp '%s' '%s' && sqlite3 '%s' \"INSERT INTO schema_migration (number, name) VALUES "
              "(9999, '9999_future')\"",
              backup, newer, newer),
        0);
    assert_int_equal(wt_sh("'%s' restore '%s' --db '%s' 2>/dev/null", wt_bidrag(), newer, wt_db),
                     1);
    /* the trail is broken in the live database (previous test); the backup is not */
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' 2>/dev/null", wt_bidrag(), wt_db), 1);
    assert_int_equal(wt_sh("'%s' restore '%s' --db '%s' >/dev/null", wt_bidrag(), backup, wt_db),
                     0);
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' >/dev/null", wt_bidrag(), wt_db), 0);
    assert_int_equal(wt_sh("'%s' migrate --db '%s' | grep -q 'schema: '", wt_bidrag(), wt_db), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trail_and_backup),
        cmocka_unit_test(test_tamper),
        cmocka_unit_test(test_page_shows_break),
        cmocka_unit_test(test_restore),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
