/* test_web_auth.c - the real server over HTTP: login and logout, session
 * expiry, throttling, CSRF, escaping of hostile input, security headers,
 * languages, single sign-on, and a clean stop on SIGTERM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "webtest.h"

static struct wt_server server;
static const char pw[] = "ett-langt-losenord";

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    wt_tmpdir("auth");
    if (wt_sh("'%s' migrate --db '%s' >/dev/null", wt_bidrag(), wt_db) != 0)
        return -1;
    if (wt_user("admin", "Ada Admin", pw, "admin") ||
        wt_user("gun", "Gun Granskare", pw, "granskare") ||
        wt_user("olle", "Olle Ombud", pw, "ombud@0180") ||
        wt_user("multi", "Maja Flera", pw, "representant@0180 ombud@1480") ||
        wt_user("throttled", "Tore", pw, "handlaggare") ||
        wt_user("nobody", "Ingen Roll", pw, NULL))
        return -1;
    if (wt_sh("'%s' user add 197001011234 --name 'Sven SSO' --sso --db '%s' >/dev/null "
              "</dev/null && '%s' user role 197001011234 analytiker --db '%s' >/dev/null",
              wt_bidrag(), wt_db, wt_bidrag(), wt_db) != 0)
        return -1;
    setenv("BIDRAG_NOW", "2026-01-22T09:00:00Z", 1); /* the server's clock starts here */
    int rc = wt_start(&server, NULL);
    unsetenv("BIDRAG_NOW");
    return rc;
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

static void test_login_logout(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    char csrf[65], body[256];
    wt_client_init(&c, server.port);
    assert_int_equal(wt_status(&c, "GET", "/start", NULL), 303);
    assert_int_equal(wt_login(&c, "admin", pw), 303);
    wt_req(&c, "GET", "/start", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Ada Admin"));
    assert_non_null(strstr(r.body.p, "I dag är det 22 januari 2026."));
    assert_non_null(strstr(r.body.p, "<h1>"));
    assert_null(strstr(strstr(r.body.p, "<h1>") + 1, "<h1>")); /* one h1 */
    assert_non_null(strstr(r.body.p, "href=\"#main\""));
    assert_non_null(strstr(r.body.p, "<main id=\"main\""));
    wt_csrf(r.body.p, csrf);
    wt_resp_release(&r);
    assert_int_equal(strlen(csrf), 64);
    snprintf(body, sizeof(body), "csrf=%s", csrf);
    assert_int_equal(wt_status(&c, "POST", "/logout", body), 303);
    assert_int_equal(wt_status(&c, "GET", "/start", NULL), 303);
    wt_client_release(&c);
}

static void test_bad_password(void **state)
{
    (void)state;
    struct wt_client c;
    wt_client_init(&c, server.port);
    assert_int_equal(wt_login(&c, "admin", "fel-losenord-helt"), 401);
    assert_int_equal(wt_login(&c, "finns-inte", "fel-losenord-helt"), 401);
    assert_int_equal(wt_status(&c, "GET", "/start", NULL), 303);
    wt_client_release(&c);
}

static void test_throttle(void **state)
{
    (void)state;
    struct wt_client c;
    wt_client_init(&c, server.port);
    for (int i = 0; i < 4; i++)
        assert_int_equal(wt_login(&c, "throttled", "fel-losenord-helt"), 401);
    assert_int_equal(wt_login(&c, "throttled", "fel-losenord-helt"), 429);
    /* locked now: even the right password is refused */
    assert_int_equal(wt_login(&c, "throttled", pw), 429);
    assert_int_equal(wt_status(&c, "GET", "/start", NULL), 303);
    /* other accounts from the same address still work (address limit is higher) */
    assert_int_equal(wt_login(&c, "admin", pw), 303);
    wt_client_release(&c);
}

static void test_csrf(void **state)
{
    (void)state;
    struct wt_client c;
    wt_client_init(&c, server.port);
    /* login form without or with a wrong token */
    char csrf[65];
    wt_csrf_of(&c, "/login", csrf);
    assert_int_equal(wt_status(&c, "POST", "/login", "login=admin&password=ett-langt-losenord"),
                     403);
    assert_int_equal(
        wt_status(&c, "POST", "/login",
                  "csrf=0000000000000000000000000000000000000000000000000000000000000000"
                  "&login=admin&password=ett-langt-losenord"),
        403);
    assert_int_equal(wt_login(&c, "admin", pw), 303);
    /* state-changing forms need the session's token */
    assert_int_equal(wt_status(&c, "POST", "/logout", ""), 403);
    assert_int_equal(wt_status(&c, "POST", "/logout", "csrf=abc"), 403);
    assert_int_equal(wt_status(&c, "POST", "/admin/users",
                               "action=add&login=evil&name=Evil&password=0123456789ab"),
                     403);
    assert_int_equal(wt_status(&c, "GET", "/start", NULL), 200);
    /* another session's token does not work either */
    struct wt_client d;
    wt_client_init(&d, server.port);
    assert_int_equal(wt_login(&d, "admin", pw), 303);
    char other[65], body[128];
    wt_csrf_of(&d, "/start", other);
    snprintf(body, sizeof(body), "csrf=%s", other);
    assert_int_equal(wt_status(&c, "POST", "/logout", body), 403);
    wt_client_release(&d);
    wt_client_release(&c);
}

static void test_escaping(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    char csrf[65], body[1024];
    wt_client_init(&c, server.port);
    /* the login name is echoed back escaped */
    wt_csrf_of(&c, "/login", csrf);
    snprintf(body, sizeof(body),
             "csrf=%s&login=%%22%%3E%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E&password=x", csrf);
    wt_req(&c, "POST", "/login", body, &r);
    assert_int_equal(r.status, 401);
    assert_null(strstr(r.body.p, "<script>"));
    assert_non_null(strstr(r.body.p, "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(r.body.p, "aria-describedby=\"login-error\""));
    assert_null(strstr(r.body.p, "&quot;login-error"));
    wt_resp_release(&r);

    /* a hostile display name stored through the admin form */
    assert_int_equal(wt_login(&c, "admin", pw), 303);
    wt_csrf_of(&c, "/admin/users", csrf);
    snprintf(body, sizeof(body),
             "csrf=%s&action=add&login=hostile&name=%%3Cimg+src%%3Dx+onerror%%3Dalert(1)%%3E"
             "%%22%%27%%26&password=0123456789ab",
             csrf);
    assert_int_equal(wt_status(&c, "POST", "/admin/users", body), 303);
    wt_req(&c, "GET", "/admin/users", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body.p, "<img"));
    assert_non_null(strstr(r.body.p, "&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"));
    wt_resp_release(&r);

    /* an error tied to its field */
    snprintf(body, sizeof(body), "csrf=%s&action=add&login=kort&name=K&password=kort", csrf);
    wt_req(&c, "POST", "/admin/users", body, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "id=\"form-error\""));
    assert_non_null(strstr(r.body.p, "aria-describedby=\"form-error\""));
    wt_resp_release(&r);

    /* a hostile path is escaped on the 404 page and in links */
    wt_req(&c, "GET", "/%3Cb%3Ex", NULL, &r);
    assert_int_equal(r.status, 404);
    assert_null(strstr(r.body.p, "<b>x"));
    wt_resp_release(&r);
    /* bodies past the cap are refused */
    {
        size_t big = (size_t)2 << 20;
        char *huge = malloc(big + 1);
        assert_non_null(huge);
        memset(huge, 'a', big);
        memcpy(huge, "csrf=", 5);
        huge[big] = '\0';
        assert_int_equal(wt_status(&c, "POST", "/admin/users", huge), 413);
        free(huge);
    }
    /* malformed form bodies are refused, not misread */
    assert_int_equal(wt_status(&c, "POST", "/admin/users", "csrf=%zz"), 400);
    assert_int_equal(wt_status(&c, "POST", "/admin/users", "a=%00"), 400);
    wt_client_release(&c);
}

static void test_headers_and_css(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    wt_client_init(&c, server.port);
    wt_req(&c, "GET", "/login", NULL, &r);
    assert_true(wt_has_header(&r, "Content-Security-Policy: default-src 'none'"));
    assert_non_null(strstr(r.headers.p, "frame-ancestors 'none'"));
    assert_true(wt_has_header(&r, "X-Content-Type-Options: nosniff"));
    assert_true(wt_has_header(&r, "Referrer-Policy: no-referrer"));
    assert_non_null(strstr(r.headers.p, "HttpOnly; SameSite=Strict"));
    assert_null(strstr(r.body.p, "<script"));
    assert_null(strstr(r.body.p, "style=\""));
    wt_resp_release(&r);
    assert_int_equal(wt_login(&c, "admin", pw), 303);
    wt_req(&c, "GET", "/static/bidrag.css", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_true(wt_has_header(&r, "Content-Type: text/css"));
    assert_non_null(strstr(r.body.p, ":focus"));
    wt_resp_release(&r);
    wt_client_release(&c);
}

static void test_language(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    wt_client_init(&c, server.port);
    wt_req(&c, "GET", "/login?lang=en", NULL, &r);
    assert_non_null(strstr(r.body.p, "<html lang=\"en\">"));
    assert_non_null(strstr(r.body.p, "<h1>Log in</h1>"));
    wt_resp_release(&r);
    /* the choice sticks (cookie) */
    wt_req(&c, "GET", "/login", NULL, &r);
    assert_non_null(strstr(r.body.p, "<h1>Log in</h1>"));
    wt_resp_release(&r);
    wt_client_release(&c);

    wt_client_init(&c, server.port);
    c.accept_language = "en-GB,en;q=0.9,sv;q=0.5";
    wt_req(&c, "GET", "/login", NULL, &r);
    assert_non_null(strstr(r.body.p, "<h1>Log in</h1>"));
    wt_resp_release(&r);
    c.accept_language = "sv-SE,en;q=0.5";
    wt_req(&c, "GET", "/login", NULL, &r);
    assert_non_null(strstr(r.body.p, "<h1>Logga in</h1>"));
    wt_resp_release(&r);
    wt_client_release(&c);
}

static void test_choose_org(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    char csrf[65], body[256];
    wt_client_init(&c, server.port);
    assert_int_equal(wt_login(&c, "multi", pw), 303);
    assert_int_equal(wt_status(&c, "GET", "/start", NULL), 303); /* to /login/org */
    wt_req(&c, "GET", "/login/org", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "value=\"0180\""));
    assert_non_null(strstr(r.body.p, "value=\"1480\""));
    wt_csrf(r.body.p, csrf);
    wt_resp_release(&r);
    snprintf(body, sizeof(body), "csrf=%s&org=9999", csrf);
    assert_int_equal(wt_status(&c, "POST", "/login/org", body), 403);
    snprintf(body, sizeof(body), "csrf=%s&org=1480", csrf);
    assert_int_equal(wt_status(&c, "POST", "/login/org", body), 303);
    wt_req(&c, "GET", "/start", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "href=\"/login/org\""));
    wt_resp_release(&r);
    assert_int_equal(wt_status(&c, "GET", "/org/1480", NULL), 200);
    assert_int_equal(wt_status(&c, "GET", "/org/0180", NULL), 403);
    wt_client_release(&c);

    /* no role at all: may log in, but nothing more */
    wt_client_init(&c, server.port);
    assert_int_equal(wt_login(&c, "nobody", pw), 303);
    assert_int_equal(wt_status(&c, "GET", "/start", NULL), 303);
    wt_req(&c, "GET", "/login/org", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "ingen roll"));
    wt_resp_release(&r);
    wt_client_release(&c);
}

static void test_expiry(void **state)
{
    (void)state;
    struct wt_server sv;
    const char *extra[] = {"--idle-timeout", "2", NULL};
    assert_int_equal(wt_start(&sv, extra), 0);
    struct wt_client c;
    wt_client_init(&c, sv.port);
    assert_int_equal(wt_login(&c, "admin", pw), 303);
    assert_int_equal(wt_status(&c, "GET", "/start", NULL), 200);
    sleep(1);
    assert_int_equal(wt_status(&c, "GET", "/start", NULL), 200); /* activity keeps it */
    sleep(4);
    assert_int_equal(wt_status(&c, "GET", "/start", NULL), 303);
    wt_client_release(&c);
    assert_int_equal(wt_stop(&sv), 0);
}

static void test_sso(void **state)
{
    (void)state;
    struct wt_server sv;
    const char *trusted[] = {"--trusted-header", "X-Remote-User", "--trusted-proxy", "127.0.0.1",
                             NULL};
    assert_int_equal(wt_start(&sv, trusted), 0);
    struct wt_client c;
    struct wt_resp r;
    wt_client_init(&c, sv.port);
    c.extra_header = "X-Remote-User: 197001011234";
    wt_req(&c, "GET", "/start", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Sven SSO"));
    wt_resp_release(&r);
    c.extra_header = "X-Remote-User: 199912319999"; /* no such account */
    wt_client_release(&c);
    wt_client_init(&c, sv.port);
    c.extra_header = "X-Remote-User: 199912319999";
    assert_int_equal(wt_status(&c, "GET", "/start", NULL), 303);
    wt_client_release(&c);
    assert_int_equal(wt_stop(&sv), 0);

    /* from an address that is not the proxy, the header counts for nothing */
    const char *other[] = {"--trusted-header", "X-Remote-User", "--trusted-proxy", "127.0.0.2",
                           NULL};
    assert_int_equal(wt_start(&sv, other), 0);
    wt_client_init(&c, sv.port);
    c.extra_header = "X-Remote-User: 197001011234";
    assert_int_equal(wt_status(&c, "GET", "/start", NULL), 303);
    wt_client_release(&c);
    assert_int_equal(wt_stop(&sv), 0);
}

static void test_access_log(void **state)
{
    (void)state;
    struct wt_client c;
    wt_client_init(&c, server.port);
    assert_int_equal(wt_status(&c, "GET", "/healthz", NULL), 200);
    assert_int_equal(wt_login(&c, "gun", pw), 303);
    assert_int_equal(wt_status(&c, "GET", "/audit", NULL), 200);
    assert_int_equal(wt_status(&c, "GET", "/x%0Afake%20line", NULL), 400);
    wt_client_release(&c);
    usleep(200000);
    assert_int_equal(wt_sh("grep -q ' GET /healthz 200 3 [0-9]*ms -$' '%s'", server.log), 0);
    assert_int_equal(wt_sh("grep -q '^fake' '%s'", server.log), 1);
    assert_int_equal(wt_sh("grep -q ' GET /x%%0Afake%%20line 400 ' '%s'", server.log), 0);
    assert_int_equal(wt_sh("grep -q ' GET /audit 200 [0-9]* [0-9]*ms gun$' '%s'", server.log), 0);
}

static void test_account_page(void **state)
{
    (void)state;
    struct wt_client c, api;
    struct wt_resp r;
    char csrf[65], body[512], tok[80] = "";
    assert_int_equal(wt_user("konto", "Karin Konto", pw, "analytiker"), 0);
    wt_client_init(&c, server.port);
    assert_int_equal(wt_login(&c, "konto", pw), 303);
    wt_csrf_of(&c, "/account", csrf);
    /* a token made on the page works on the API until revoked there */
    snprintf(body, sizeof(body), "csrf=%s&action=create&name=%%3Cmitt+skript%%3E", csrf);
    wt_req(&c, "POST", "/account/tokens", body, &r);
    assert_int_equal(r.status, 200);
    const char *p = strstr(r.body.p, "<code id=\"new-token\">");
    assert_non_null(p);
    snprintf(tok, sizeof(tok), "%.68s", p + strlen("<code id=\"new-token\">"));
    assert_non_null(strstr(r.body.p, "&lt;mitt skript&gt;"));
    wt_resp_release(&r);
    wt_client_init(&api, server.port);
    api.bearer = tok;
    assert_int_equal(wt_status(&api, "GET", "/api/v1/me", NULL), 200);
    wt_req(&c, "GET", "/account", NULL, &r);
    assert_null(strstr(r.body.p, tok)); /* shown once only */
    const char *idp = strstr(r.body.p, "name=\"id\" value=\"");
    assert_non_null(idp);
    long id = strtol(idp + strlen("name=\"id\" value=\""), NULL, 10);
    wt_resp_release(&r);
    snprintf(body, sizeof(body), "csrf=%s&action=revoke&id=1", csrf); /* someone else's */
    if (id != 1)
        assert_int_equal(wt_status(&c, "POST", "/account/tokens", body), 404);
    snprintf(body, sizeof(body), "csrf=%s&action=revoke&id=%ld", csrf, id);
    assert_int_equal(wt_status(&c, "POST", "/account/tokens", body), 303);
    assert_int_equal(wt_status(&api, "GET", "/api/v1/me", NULL), 401);
    wt_client_release(&api);

    /* password change: the current one is required; afterwards log in again */
    snprintf(body, sizeof(body), "csrf=%s&current=fel-fel-fel-fel&password=ett-nytt-losenord",
             csrf);
    wt_req(&c, "POST", "/account/password", body, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "aria-describedby=\"form-error\""));
    wt_resp_release(&r);
    snprintf(body, sizeof(body), "csrf=%s&current=%s&password=ett-nytt-losenord", csrf, pw);
    assert_int_equal(wt_status(&c, "POST", "/account/password", body), 303);
    assert_int_equal(wt_status(&c, "GET", "/start", NULL), 303);
    assert_int_equal(wt_login(&c, "konto", pw), 401);
    assert_int_equal(wt_login(&c, "konto", "ett-nytt-losenord"), 303);
    wt_client_release(&c);
}

/* SIGTERM while a request is half received: the server stops accepting,
 * finishes that request, answers it, and only then exits 0. */
static void test_graceful_shutdown(void **state)
{
    (void)state;
    struct wt_server sv;
    assert_int_equal(wt_start(&sv, NULL), 0);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)sv.port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    const char head[] = "POST /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                        "Content-Type: application/x-www-form-urlencoded\r\n"
                        "Content-Length: 19\r\n\r\nlogin=admin&";
    const char rest[] = "passwor";
    assert_int_equal(write(fd, head, sizeof(head) - 1), (ssize_t)(sizeof(head) - 1));
    usleep(200000);
    kill(sv.pid, SIGTERM);
    usleep(300000);
    /* still running: the request is in flight */
    assert_int_equal(waitpid(sv.pid, NULL, WNOHANG), 0);
    assert_int_equal(write(fd, rest, sizeof(rest) - 1), (ssize_t)(sizeof(rest) - 1));
    char resp[256] = "";
    ssize_t got = read(fd, resp, sizeof(resp) - 1);
    close(fd);
    assert_true(got > 12);
    resp[got] = '\0';
    assert_true(strncmp(resp, "HTTP/1.1 403", 12) == 0); /* answered (no CSRF token) */
    int st = 0;
    assert_int_equal(waitpid(sv.pid, &st, 0), sv.pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    /* nobody is let in any more */
    struct wt_client c;
    wt_client_init(&c, sv.port);
    assert_int_equal(wt_status(&c, "GET", "/healthz", NULL), 0);
    wt_client_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_logout),
        cmocka_unit_test(test_bad_password),
        cmocka_unit_test(test_throttle),
        cmocka_unit_test(test_csrf),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_headers_and_css),
        cmocka_unit_test(test_language),
        cmocka_unit_test(test_choose_org),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_sso),
        cmocka_unit_test(test_access_log),
        cmocka_unit_test(test_account_page),
        cmocka_unit_test(test_graceful_shutdown),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
