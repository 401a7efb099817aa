/* test_web_hostile.c - the real server against clients that misbehave on
 * purpose, bounded to run in CI (loopback only, seconds each; the
 * full-length versions are bench/hostile.sh):
 * - requests are routed, authenticated and authorised from their head:
 *   unknown routes, strangers, wrong roles, wrong Content-Types and
 *   declared sizes over the route's cap are answered before a byte of the
 *   body is read;
 * - half-sent bodies cost the server no memory, before or after they close;
 * - an upload streams to an unlinked temporary file, not to memory;
 * - bodies held in memory share a budget; past it the server says 503;
 * - slow clients: a deadline for the whole head and body (not an idle
 *   timeout that restarts with each byte), a limit per client address,
 *   and room enough that 256 trickling connections from one address or
 *   from many leave legitimate requests served. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>

#include "webtest.h"

static struct wt_server server; /* default settings */
static struct wt_server tight;  /* short deadline, small limits */
static const char pw[] = "fientlig-klient-1";
static char token[80];
static const char upload_path[] = "/org/01/rekvisition/tillganglighet-2026";

static int setup(void **state)
{
    (void)state;
    char out[256];
    curl_global_init(CURL_GLOBAL_DEFAULT);
    wt_tmpdir("hostile");
    setenv("BIDRAG_NOW", "2026-02-10T10:00:00Z", 1); /* tillganglighet-2026 is open */
    wt_capture(out, sizeof(out), "'%s' init --db '%s' --quiet --no-demo-accounts", wt_bidrag(),
               wt_db);
    if (wt_user("rita", "Rita Representant", pw, "representant@01") ||
        wt_user("hanna", "Hanna Handläggare", pw, "handlaggare"))
        return -1;
    wt_capture(token, sizeof(token), "'%s' token create rita --name t --org 01 --db '%s'",
               wt_bidrag(), wt_db);
    if (wt_start(&server, NULL) != 0)
        return -1;
    static const char *const opts[] = {
        "--request-timeout", "3", "--max-per-address", "16", "--body-memory", "2", NULL};
    int rc = wt_start(&tight, opts);
    unsetenv("BIDRAG_NOW");
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    int rc = server.pid > 0 ? wt_stop(&server) : 0;
    int rc2 = tight.pid > 0 ? wt_stop(&tight) : 0;
    curl_global_cleanup();
    if (rc == 0 && rc2 == 0)
        wt_cleanup();
    return rc == 0 && rc2 == 0 ? 0 : -1;
}

/* Log in as login on port and put "Cookie: sid=..." into out. */
static void session_cookie(int port, const char *login, char *out, size_t n)
{
    struct wt_client c;
    char sid[128];
    wt_client_init(&c, port);
    assert_int_equal(wt_login(&c, login, pw), 303);
    wt_cookie(&c, "sid", sid, sizeof(sid));
    assert_int_equal(strlen(sid), 64);
    snprintf(out, n, "Cookie: sid=%s\r\n", sid);
    wt_client_release(&c);
}

/* Open a connection from src and send a request head; the fd. */
static int send_head(const char *src, int port, const char *method, const char *path,
                     const char *ctype, size_t length, const char *extra)
{
    char head[1024];
    int fd = wt_raw_open(src, port);
    assert_true(fd >= 0);
    int n = snprintf(head, sizeof(head),
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: %s\r\n"
                     "Content-Length: %zu\r\n%s\r\n",
                     method, path, ctype, length, extra ? extra : "");
    assert_int_equal(wt_raw_send(fd, head, (size_t)n, 2000), n);
    return fd;
}

/* The status a request head gets within 2 s while its body is withheld. */
static long status_before_body(int port, const char *method, const char *path, const char *ctype,
                               size_t length, const char *extra)
{
    int fd = send_head(NULL, port, method, path, ctype, length, extra);
    long st = wt_raw_status(fd, 2000);
    close(fd);
    return st;
}

static void test_answered_from_the_head(void **state)
{
    (void)state;
    const char *mp = "multipart/form-data; boundary=xyz";
    const char *form = "application/x-www-form-urlencoded";
    char ck[128];
    /* strangers: no route, no session, no token */
    assert_int_equal(status_before_body(server.port, "POST", "/nowhere", mp, 11000000, NULL), 404);
    assert_int_equal(status_before_body(server.port, "POST", upload_path, mp, 11000000, NULL), 401);
    assert_int_equal(status_before_body(server.port, "POST", "/admin/users", form, 900000, NULL),
                     401);
    assert_int_equal(status_before_body(server.port, "POST",
                                        "/api/v1/org/01/requisitions/tillganglighet-2026",
                                        "application/json", 900000, NULL),
                     401);
    assert_int_equal(status_before_body(server.port, "POST", "/start", form, 900000, NULL), 405);
    /* the login form: a form, and a small one */
    assert_int_equal(status_before_body(server.port, "POST", "/login", mp, 100000, NULL), 415);
    assert_int_equal(status_before_body(server.port, "POST", "/login", form, 5000000, NULL), 413);
    /* someone logged in: the wrong role, the wrong type, over the cap */
    session_cookie(server.port, "rita", ck, sizeof(ck));
    assert_int_equal(status_before_body(server.port, "POST", "/admin/users", form, 900000, ck),
                     403);
    assert_int_equal(status_before_body(server.port, "POST", "/account/password", mp, 900000, ck),
                     415);
    assert_int_equal(
        status_before_body(server.port, "POST", "/account/password", form, 5000000, ck), 413);
    assert_int_equal(status_before_body(server.port, "POST", upload_path, mp, 40000000, ck), 413);
    assert_int_equal(status_before_body(server.port, "POST", upload_path, "text/plain", 1000, ck),
                     415);
    /* the API takes JSON, and a body of at most 1 MiB */
    char bearer[128];
    snprintf(bearer, sizeof(bearer), "Authorization: Bearer %s\r\n", token);
    const char *api = "/api/v1/org/01/requisitions/tillganglighet-2026";
    assert_int_equal(status_before_body(server.port, "POST", api, form, 1000, bearer), 415);
    assert_int_equal(status_before_body(server.port, "POST", api, mp, 1000, bearer), 415);
    assert_int_equal(
        status_before_body(server.port, "POST", api, "application/json", 2000000, bearer), 413);
    assert_int_equal(status_before_body(server.port, "POST", api, "application/json; charset=utf-8",
                                        500, bearer),
                     0);
    /* within the rules the server waits for the body */
    assert_int_equal(status_before_body(server.port, "POST", upload_path, mp, 9000000, ck), 0);
}

/* Server memory while 64 anonymous connections each push 2 MiB of a
 * declared 11 MB multipart body and hold, and after they close. */
static void test_half_sent_bodies_cost_no_memory(void **state)
{
    (void)state;
    enum { N = 64 };
    static char chunk[2 << 20];
    int fd[N];
    memset(chunk, 'x', sizeof(chunk));
    long rss0 = wt_rss_kb(server.pid);
    assert_true(rss0 > 0);
    for (int i = 0; i < N; i++) {
        char src[32];
        snprintf(src, sizeof(src), "127.0.1.%d", 1 + i % 8); /* 8 per address */
        fd[i] = send_head(src, server.port, "POST", upload_path,
                          "multipart/form-data; boundary=xyz", 11000000, NULL);
    }
    for (int i = 0; i < N; i++)
        wt_raw_send(fd[i], chunk, sizeof(chunk), 20);
    usleep(500000);
    long rss1 = wt_rss_kb(server.pid);
    int answered = 0;
    for (int i = 0; i < N; i++)
        answered += wt_raw_status(fd[i], 1000) == 401;
    for (int i = 0; i < N; i++)
        close(fd[i]);
    usleep(300000);
    long rss2 = wt_rss_kb(server.pid);
    fprintf(stderr, "server RSS: %ld KiB before, %ld KiB with %d half-sent bodies, %ld KiB after\n",
            rss0, rss1, N, rss2);
    assert_int_equal(answered, N);
    assert_true(rss1 - rss0 < 24 * 1024);
    assert_true(rss2 - rss0 < 24 * 1024);
}

/* The form's csrf, revision and idempotency key for the upload page. */
static void upload_keys(struct wt_client *c, char *csrf, char *rev, char *idem)
{
    struct wt_resp r;
    wt_req(c, "GET", upload_path, NULL, &r);
    assert_int_equal(r.status, 200);
    wt_csrf(r.body.p, csrf);
    const char *names[2] = {"name=\"revision\" value=\"", "name=\"idem\" value=\""};
    char *outs[2] = {rev, idem};
    for (int k = 0; k < 2; k++) {
        const char *p = strstr(r.body.p, names[k]);
        assert_non_null(p);
        p += strlen(names[k]);
        size_t i = 0;
        while (p[i] && p[i] != '"' && i < 60) {
            outs[k][i] = p[i];
            i++;
        }
        outs[k][i] = '\0';
    }
    wt_resp_release(&r);
}

static int dir_entries(const char *path)
{
    DIR *d = opendir(path);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e = readdir(d); e; e = readdir(d))
        n++;
    closedir(d);
    return n;
}

/* A 9 MiB plan uploaded slowly by someone logged in: while 8 MiB of it
 * are in, the server's memory has not grown by them and no file is left
 * in the data folder; the whole upload is then saved with the draft. */
static void test_upload_streams_to_a_temporary_file(void **state)
{
    (void)state;
    struct wt_client c;
    char csrf[65], rev[64], idem[64], sid[128], extra[256], pre[1024];
    wt_client_init(&c, server.port);
    assert_int_equal(wt_login(&c, "rita", pw), 303);
    wt_cookie(&c, "sid", sid, sizeof(sid));
    upload_keys(&c, csrf, rev, idem);
    snprintf(extra, sizeof(extra), "Cookie: sid=%s\r\n", sid);
    const size_t plan = (size_t)9 << 20;
    int pn = snprintf(pre, sizeof(pre),
                      "--xyz\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                      "--xyz\r\nContent-Disposition: form-data; name=\"revision\"\r\n\r\n%s\r\n"
                      "--xyz\r\nContent-Disposition: form-data; name=\"idem\"\r\n\r\n%s\r\n"
                      "--xyz\r\nContent-Disposition: form-data; name=\"plan\"; "
                      "filename=\"stor-plan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n",
                      csrf, rev, idem);
    static const char post[] = "\r\n--xyz--\r\n";
    char *body = malloc(plan);
    assert_non_null(body);
    memset(body, 'p', plan);
    memcpy(body, "%PDF-1.4\n", 9);
    memcpy(body + plan - 6, "%%EOF\n", 6);
    int before = dir_entries(wt_dir);
    long rss0 = wt_rss_kb(server.pid);
    int fd =
        send_head("127.0.0.3", server.port, "POST", upload_path,
                  "multipart/form-data; boundary=xyz", (size_t)pn + plan + sizeof(post) - 1, extra);
    assert_int_equal(wt_raw_send(fd, pre, (size_t)pn, 2000), pn);
    const size_t part = (size_t)8 << 20;
    assert_int_equal(wt_raw_send(fd, body, part, 10000), (long)part);
    usleep(500000);
    long rss1 = wt_rss_kb(server.pid);
    int during = dir_entries(wt_dir);
    assert_int_equal(wt_raw_send(fd, body + part, plan - part, 10000), (long)(plan - part));
    assert_int_equal(wt_raw_send(fd, post, sizeof(post) - 1, 2000), (long)(sizeof(post) - 1));
    long st = wt_raw_status(fd, 10000);
    close(fd);
    free(body);
    fprintf(stderr, "server RSS: %ld KiB before, %ld KiB with 8 MiB of an upload in\n", rss0, rss1);
    assert_int_equal(st, 303);
    assert_true(rss1 - rss0 < 4 * 1024);
    assert_int_equal(during, before);
    assert_int_equal(dir_entries(wt_dir), before);
    struct wt_resp r;
    wt_req(&c, "GET", upload_path, NULL, &r);
    assert_non_null(strstr(r.body.p, "stor-plan.pdf"));
    wt_resp_release(&r);
    wt_client_release(&c);
}

/* Bodies held in memory share a budget (2 MiB on the tight server): a
 * third 900 kB form in flight is refused at once with 503, and once the
 * others are gone a new one is taken again. */
static void test_memory_budget(void **state)
{
    (void)state;
    char ck[128];
    const char *form = "application/x-www-form-urlencoded";
    session_cookie(tight.port, "hanna", ck, sizeof(ck));
    int a = send_head("127.0.0.4", tight.port, "POST", "/account/password", form, 900000, ck);
    int b = send_head("127.0.0.4", tight.port, "POST", "/account/password", form, 900000, ck);
    assert_int_equal(wt_raw_status(a, 300), 0);
    assert_int_equal(wt_raw_status(b, 300), 0);
    int c = send_head("127.0.0.4", tight.port, "POST", "/account/password", form, 900000, ck);
    assert_int_equal(wt_raw_status(c, 2000), 503);
    close(c);
    close(a);
    close(b);
    usleep(300000);
    int d = send_head("127.0.0.4", tight.port, "POST", "/account/password", form, 900000, ck);
    assert_int_equal(wt_raw_status(d, 300), 0);
    close(d);
}

/* 256 connections that trickle a request head one byte at a time (from
 * one address, or spread over 32), while 10 legitimate requests come from
 * another address. */
static void slow_clients(int spread)
{
    enum { N = 256 };
    int fd[N], open_at_1s = 0, served = 0;
    long long t0 = wt_ms();
    for (int i = 0; i < N; i++) {
        char src[32];
        snprintf(src, sizeof(src), "127.0.2.%d", spread ? 10 + i % 32 : 10);
        fd[i] = wt_raw_open(src, tight.port);
        assert_true(fd[i] >= 0);
    }
    static const char head[] = "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    for (int i = 0; i < N; i++)
        wt_raw_send(fd[i], head, sizeof(head) - 1, 50);
    /* keep trickling a byte every 250 ms, for longer than the deadline */
    int closed[N];
    memset(closed, 0, sizeof(closed));
    int round = 0, legit_done = 0;
    while (wt_ms() - t0 < 5000) {
        for (int i = 0; i < N; i++) {
            if (closed[i])
                continue;
            if (wt_raw_closed(fd[i]) || send(fd[i], "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
                closed[i] = 1;
        }
        if (++round == 4) {
            for (int i = 0; i < N; i++)
                open_at_1s += !closed[i];
        }
        if (round == 4 && !legit_done) {
            /* the legitimate requests, while the slow ones are held */
            struct wt_client c;
            wt_client_init(&c, tight.port);
            curl_easy_setopt(c.curl, CURLOPT_INTERFACE, "host!127.0.0.2");
            curl_easy_setopt(c.curl, CURLOPT_TIMEOUT_MS, 2000L);
            for (int k = 0; k < 10; k++)
                served += wt_status(&c, "GET", "/login", NULL) == 200;
            wt_client_release(&c);
            legit_done = 1;
        }
        usleep(250000);
    }
    int still_open = 0;
    for (int i = 0; i < N; i++) {
        still_open += !closed[i] && !wt_raw_closed(fd[i]);
        close(fd[i]);
    }
    fprintf(stderr,
            "%s: %d of %d slow connections held after 1 s, %d of 10 legitimate requests "
            "served, %d still open after 5 s\n",
            spread ? "32 addresses" : "one address", open_at_1s, N, served, still_open);
    assert_int_equal(served, 10);
    assert_int_equal(still_open, 0); /* the deadline (3 s) holds despite the trickle */
    if (spread)
        assert_true(open_at_1s > N - 16); /* 8 per address is within the limit */
    else
        assert_true(open_at_1s <= 16); /* the limit per address */
}

static void test_slow_clients_one_address(void **state)
{
    (void)state;
    slow_clients(0);
}

static void test_slow_clients_many_addresses(void **state)
{
    (void)state;
    slow_clients(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answered_from_the_head),
        cmocka_unit_test(test_half_sent_bodies_cost_no_memory),
        cmocka_unit_test(test_upload_streams_to_a_temporary_file),
        cmocka_unit_test(test_memory_budget),
        cmocka_unit_test(test_slow_clients_one_address),
        cmocka_unit_test(test_slow_clients_many_addresses),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
