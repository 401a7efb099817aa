/* test_web_authcache.c - the server keeps sessions, tokens and roles in
 * memory (service/auth.c), yet every change to who may do what counts on
 * the very next request, whichever process makes it: each case warms the
 * kept copy with requests, changes the database with the command line (a
 * process of its own), and asks once more. A role taken away is refused,
 * a role given is let in, a disabled account, a new password and a
 * revoked token end access, a logout ends the session it ends and no
 * other, and a session's touch (last_seen) does not stop the keeping from
 * answering right. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "webtest.h"

static struct wt_server server;
static const char pw[] = "kept-losenord-1";

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    wt_tmpdir("authcache");
    if (wt_sh("'%s' init --db '%s' --quiet --no-demo-accounts >/dev/null", wt_bidrag(), wt_db) != 0)
        return -1;
    if (wt_user("k-role", "Rolf Roll", pw, "handlaggare") != 0 ||
        wt_user("k-dis", "Disa Av", pw, "handlaggare") != 0 ||
        wt_user("k-pass", "Pia Pass", pw, "handlaggare") != 0 ||
        wt_user("k-tok", "Tor Token", pw, "handlaggare") != 0 ||
        wt_user("k-out", "Ulf Ut", pw, "handlaggare") != 0 ||
        wt_user("k-new", "Nina Ny", pw, "granskare") != 0)
        return -1;
    return wt_start(&server, NULL);
}

static int teardown(void **state)
{
    (void)state;
    int rc = wt_stop(&server);
    curl_global_cleanup();
    if (rc == 0)
        wt_cleanup();
    return rc == 0 ? 0 : -1;
}

static void login(struct wt_client *c, const char *who)
{
    wt_client_init(c, server.port);
    assert_int_equal(wt_login(c, who, pw), 303);
}

/* A few requests, so that what is kept is warm. */
static void warm(struct wt_client *c, const char *path, long want)
{
    for (int i = 0; i < 3; i++)
        assert_int_equal(wt_status(c, "GET", path, NULL), want);
}

static void test_role_taken_and_given(void **state)
{
    (void)state;
    struct wt_client c;
    login(&c, "k-role");
    warm(&c, "/programs", 200);
    warm(&c, "/start", 200);
    assert_int_equal(wt_sh("'%s' user role k-role handlaggare --remove --db '%s' >/dev/null",
                           wt_bidrag(), wt_db),
                     0);
    assert_int_equal(wt_status(&c, "GET", "/programs", NULL), 403);
    assert_int_equal(
        wt_sh("'%s' user role k-role handlaggare --db '%s' >/dev/null", wt_bidrag(), wt_db), 0);
    assert_int_equal(wt_status(&c, "GET", "/programs", NULL), 200);
    wt_client_release(&c);
    /* a granskare may not read the user list; made admin, at once */
    login(&c, "k-new");
    warm(&c, "/admin/users", 403);
    assert_int_equal(wt_sh("'%s' user role k-new admin --db '%s' >/dev/null", wt_bidrag(), wt_db),
                     0);
    assert_int_equal(wt_status(&c, "GET", "/admin/users", NULL), 200);
    wt_client_release(&c);
}

static void test_disabled_account(void **state)
{
    (void)state;
    struct wt_client c;
    login(&c, "k-dis");
    warm(&c, "/programs", 200);
    assert_int_equal(wt_sh("'%s' user disable k-dis --db '%s' >/dev/null", wt_bidrag(), wt_db), 0);
    assert_int_equal(wt_status(&c, "GET", "/programs", NULL), 303); /* to /login */
    wt_client_release(&c);
}

static void test_new_password(void **state)
{
    (void)state;
    struct wt_client c;
    login(&c, "k-pass");
    warm(&c, "/programs", 200);
    assert_int_equal(wt_sh("printf '%%s\\n' 'ett-helt-nytt-losenord' | '%s' user passwd k-pass "
                           "--db '%s' >/dev/null",
                           wt_bidrag(), wt_db),
                     0);
    assert_int_equal(wt_status(&c, "GET", "/programs", NULL), 303);
    wt_client_release(&c);
}

static void test_revoked_token(void **state)
{
    (void)state;
    char token[80], list[2000];
    wt_capture(token, sizeof(token), "'%s' token create k-tok --name t --db '%s'", wt_bidrag(),
               wt_db);
    assert_int_equal(strncmp(token, "bdr_", 4), 0);
    struct wt_client api;
    wt_client_init(&api, server.port);
    api.bearer = token;
    warm(&api, "/api/v1/programs", 200);
    wt_capture(list, sizeof(list), "'%s' token list k-tok --db '%s'", wt_bidrag(), wt_db);
    long id = strtol(list + strspn(list, " \t"), NULL, 10);
    assert_true(id > 0);
    assert_int_equal(wt_sh("'%s' token revoke %ld --db '%s' >/dev/null", wt_bidrag(), id, wt_db),
                     0);
    assert_int_equal(wt_status(&api, "GET", "/api/v1/programs", NULL), 401);
    wt_client_release(&api);
}

static void test_logout_ends_only_that_session(void **state)
{
    (void)state;
    struct wt_client a, b, replay;
    char csrf[65], body[200], sid[200], hdr[260];
    login(&a, "k-out");
    login(&b, "k-out");
    warm(&a, "/programs", 200);
    warm(&b, "/programs", 200);
    wt_cookie(&a, "sid", sid, sizeof(sid));
    assert_true(sid[0]);
    wt_csrf_of(&a, "/start", csrf);
    assert_true(csrf[0]);
    snprintf(body, sizeof(body), "csrf=%s", csrf);
    assert_int_equal(wt_status(&a, "POST", "/logout", body), 303);
    /* the cookie the browser had, replayed: no session any more */
    wt_client_init(&replay, server.port);
    snprintf(hdr, sizeof(hdr), "Cookie: sid=%s", sid);
    replay.extra_header = hdr;
    assert_int_equal(wt_status(&replay, "GET", "/programs", NULL), 303);
    /* the same person's other session goes on */
    assert_int_equal(wt_status(&b, "GET", "/programs", NULL), 200);
    wt_client_release(&replay);
    wt_client_release(&a);
    wt_client_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_taken_and_given),
        cmocka_unit_test(test_disabled_account),
        cmocka_unit_test(test_new_password),
        cmocka_unit_test(test_revoked_token),
        cmocka_unit_test(test_logout_ends_only_that_session),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
