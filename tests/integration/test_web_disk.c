/* test_web_disk.c - the server when its disk or database fails. The disk
 * is made to fail by faultfs.c, preloaded into the server: while a flag
 * file exists, writes under the test's folder fail with ENOSPC (a full
 * disk) or EROFS (a file system gone read-only), as a real disk would
 * make them fail, so SQLite and the server meet the real errors.
 * - a full disk: writes answer a clear 503 page in Swedish (and English,
 *   and JSON for the API) that never shows SQLite's words, reads keep
 *   working, /healthz says what is wrong, and all is well again once there
 *   is room;
 * - a database that turns read-only while the server runs: the same;
 * - a read-only or damaged database at start: the server refuses to
 *   start and says why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "webtest.h"

static struct wt_server server;
static const char pw[] = "full-disk-losen-1";
static char flag[700], token[80], faultfs[600];
static const char form_path[] = "/org/01/rekvisition/tillganglighet-2026";

/* Start a server with faultfs preloaded, failing with kind ("ENOSPC" or
 * "EROFS") while the flag file exists. */
static int start_faulty(struct wt_server *sv, const char *kind)
{
    setenv("LD_PRELOAD", faultfs, 1);
    setenv("BIDRAG_FAULT", kind, 1);
    setenv("BIDRAG_FAULT_FLAG", flag, 1);
    setenv("BIDRAG_FAULT_DIR", wt_dir, 1);
    setenv("BIDRAG_NOW", "2026-03-05T10:00:00Z", 1); /* both programs are open */
    int rc = wt_start(sv, NULL);
    unsetenv("LD_PRELOAD");
    unsetenv("BIDRAG_FAULT");
    unsetenv("BIDRAG_NOW");
    return rc;
}

static void fault(int on)
{
    if (on)
        assert_int_equal(wt_sh("touch '%s'", flag), 0);
    else
        unlink(flag);
}

static int setup(void **state)
{
    (void)state;
    char out[256];
    curl_global_init(CURL_GLOBAL_DEFAULT);
    wt_tmpdir("disk");
    snprintf(flag, sizeof(flag), "%s/fault-now", wt_dir);
    /* the library is built next to the bidrag binary */
    const char *b = wt_bidrag(), *sl = strrchr(b, '/');
    snprintf(faultfs, sizeof(faultfs), "%.*s/libbidrag_faultfs.so", sl ? (int)(sl - b) : 1,
             sl ? b : ".");
    if (access(faultfs, R_OK) != 0) {
        fprintf(stderr, "missing %s\n", faultfs);
        return -1;
    }
    wt_capture(out, sizeof(out), "'%s' init --db '%s' --quiet --no-demo-accounts", wt_bidrag(),
               wt_db);
    if (wt_user("rita", "Rita Representant", pw, "representant@01") ||
        wt_user("olle", "Olle Ombud", pw, "ombud@0180") ||
        wt_user("hanna", "Hanna Handläggare", pw, "handlaggare"))
        return -1;
    wt_capture(token, sizeof(token), "'%s' token create olle --name t --org 0180 --db '%s'",
               wt_bidrag(), wt_db);
    return start_faulty(&server, "ENOSPC");
}

static int teardown(void **state)
{
    (void)state;
    unlink(flag);
    int rc = server.pid > 0 ? wt_stop(&server) : 0;
    curl_global_cleanup();
    if (rc == 0)
        wt_cleanup();
    return rc == 0 ? 0 : -1;
}

/* No SQLite words on a page meant for people. */
static void no_sqlite_words(const struct wt_resp *r)
{
    assert_non_null(r->body.p);
    assert_null(strstr(r->body.p, "sqlite"));
    assert_null(strstr(r->body.p, "SQLite"));
    assert_null(strstr(r->body.p, "SQLITE"));
    assert_null(strstr(r->body.p, "database or disk is full"));
    assert_null(strstr(r->body.p, "disk I/O error"));
    assert_null(strstr(r->body.p, "readonly database"));
}

/* POST a multipart form with a small plan file to path. */
static long post_plan(struct wt_client *c, const char *path, const char *csrf, struct wt_resp *r)
{
    char url[512];
    static const char pdf[] = "%PDF-1.4\n% en liten plan\n%%EOF\n";
    curl_mime *m = curl_mime_init(c->curl);
    curl_mimepart *p = curl_mime_addpart(m);
    curl_mime_name(p, "csrf");
    curl_mime_data(p, csrf, CURL_ZERO_TERMINATED);
    p = curl_mime_addpart(m);
    curl_mime_name(p, "plan");
    curl_mime_filename(p, "plan.pdf");
    curl_mime_type(p, "application/pdf");
    curl_mime_data(p, pdf, sizeof(pdf) - 1);
    buf_init(&r->body, 1 << 20);
    buf_init(&r->headers, 1 << 20);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", c->port, path);
    curl_easy_setopt(c->curl, CURLOPT_URL, url);
    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, wt_write);
    curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, wt_write);
    curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &r->headers);
    curl_easy_setopt(c->curl, CURLOPT_MIMEPOST, m);
    r->status = 0;
    if (curl_easy_perform(c->curl) == CURLE_OK)
        curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_setopt(c->curl, CURLOPT_MIMEPOST, NULL);
    curl_mime_free(m);
    return r->status;
}

static void test_full_disk(void **state)
{
    (void)state;
    struct wt_client rita, hanna, api;
    struct wt_resp r;
    char csrf[65], body[256];
    wt_client_init(&rita, server.port);
    assert_int_equal(wt_login(&rita, "rita", pw), 303);
    wt_csrf_of(&rita, form_path, csrf);
    assert_int_equal(strlen(csrf), 64);

    fault(1);
    /* logging in writes a session: refused, in words */
    wt_client_init(&hanna, server.port);
    char hcsrf[65], hbody[256];
    wt_csrf_of(&hanna, "/login", hcsrf);
    snprintf(hbody, sizeof(hbody), "csrf=%s&login=hanna&password=%s", hcsrf, pw);
    wt_req(&hanna, "POST", "/login", hbody, &r);
    assert_int_equal(r.status, 503);
    assert_non_null(strstr(r.body.p, "Servern har inte plats att spara något mer just nu"));
    assert_true(wt_has_header(&r, "Retry-After: "));
    no_sqlite_words(&r);
    wt_resp_release(&r);
    /* in English too */
    hanna.accept_language = "en";
    wt_req(&hanna, "POST", "/login", hbody, &r);
    assert_int_equal(r.status, 503);
    assert_non_null(strstr(r.body.p, "The server has no room to save anything more"));
    no_sqlite_words(&r);
    wt_resp_release(&r);
    /* reads keep working */
    wt_req(&rita, "GET", form_path, NULL, &r);
    assert_int_equal(r.status, 200);
    wt_resp_release(&r);
    assert_int_equal(wt_status(&rita, "GET", "/org/01/rekvisitioner", NULL), 200);
    /* writes: a form, an upload, the API */
    snprintf(body, sizeof(body), "csrf=%s&contact_name=Rita", csrf);
    wt_req(&rita, "POST", form_path, body, &r);
    assert_int_equal(r.status, 503);
    assert_non_null(strstr(r.body.p, "inget har sparats") || strstr(r.body.p, "ingenting"));
    no_sqlite_words(&r);
    wt_resp_release(&r);
    post_plan(&rita, form_path, csrf, &r);
    assert_int_equal(r.status, 503);
    assert_non_null(strstr(r.body.p, "Servern har inte plats att spara något mer just nu"));
    wt_resp_release(&r);
    wt_client_init(&api, server.port);
    api.bearer = token;
    api.extra_header = "Content-Type: application/json";
    wt_req(&api, "POST", "/api/v1/org/0180/requisitions/kompetens-2026",
           "{\"idempotency_key\":\"disk-1\",\"revision\":0,\"fields\":{\"amount\":\"\","
           "\"measure.1.purpose\":\"vfu\",\"measure.1.description\":\"Fler handledare\","
           "\"measure.1.planned\":100000,\"contact_name\":\"Olle\",\"contact_email\":"
           "\"olle@example.se\",\"contact_phone\":\"08-1234567\",\"account_kind\":"
           "\"bankgiro\",\"account\":\"5050-1055\",\"opt_in\":true,\"confirmed\":true}}",
           &r);
    assert_int_equal(r.status, 503);
    assert_non_null(strstr(r.body.p, "\"code\":\"disk_full\""));
    no_sqlite_words(&r);
    wt_resp_release(&r);
    /* /healthz says what is wrong */
    wt_req(&api, "GET", "/healthz", NULL, &r);
    assert_int_equal(r.status, 503);
    assert_non_null(strstr(r.body.p, "disk: full"));
    wt_resp_release(&r);
    /* the operator finds SQLite's words in the log */
    assert_int_equal(wt_sh("grep -q 'error 503: .*full' '%s'", server.log), 0);

    /* room again: all is well */
    fault(0);
    wt_csrf_of(&hanna, "/login", hcsrf);
    snprintf(hbody, sizeof(hbody), "csrf=%s&login=hanna&password=%s", hcsrf, pw);
    assert_int_equal(wt_status(&hanna, "POST", "/login", hbody), 303);
    wt_req(&api, "GET", "/healthz", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body.p, "ok\n");
    wt_resp_release(&r);
    assert_int_equal(post_plan(&rita, form_path, csrf, &r), 303);
    wt_resp_release(&r);
    wt_client_release(&api);
    wt_client_release(&hanna);
    wt_client_release(&rita);
}

static void test_read_only_while_running(void **state)
{
    (void)state;
    struct wt_server sv;
    struct wt_client c;
    struct wt_resp r;
    char csrf[65], body[256];
    assert_int_equal(start_faulty(&sv, "EROFS"), 0);
    wt_client_init(&c, sv.port);
    assert_int_equal(wt_login(&c, "rita", pw), 303);
    wt_req(&c, "GET", form_path, NULL, &r);
    wt_csrf(r.body.p, csrf);
    const char *rev = strstr(r.body.p, "name=\"revision\" value=\"");
    assert_non_null(rev);
    snprintf(body, sizeof(body), "csrf=%s&contact_name=Rita&revision=%ld", csrf,
             strtol(rev + strlen("name=\"revision\" value=\""), NULL, 10));
    wt_resp_release(&r);
    fault(1);
    wt_req(&c, "POST", form_path, body, &r);
    assert_int_equal(r.status, 503);
    if (!strstr(r.body.p, "Databasen går bara att läsa just nu"))
        fprintf(stderr, "%s\n", r.body.p);
    assert_non_null(strstr(r.body.p, "Databasen går bara att läsa just nu"));
    no_sqlite_words(&r);
    wt_resp_release(&r);
    assert_int_equal(wt_status(&c, "GET", form_path, NULL), 200);
    wt_req(&c, "GET", "/healthz", NULL, &r);
    assert_int_equal(r.status, 503);
    assert_non_null(strstr(r.body.p, "database: read-only"));
    wt_resp_release(&r);
    fault(0);
    wt_client_release(&c);
    assert_int_equal(wt_stop(&sv), 0);
}

/* Start a server that must refuse (faultfs failing with kind, or not
 * preloaded when kind is NULL); its exit status and first stderr line. */
static int refused(const char *kind, const char *db, char *err, size_t n)
{
    char env[3000] = "";
    if (kind)
        snprintf(env, sizeof(env),
                 "LD_PRELOAD='%s' BIDRAG_FAULT=%s BIDRAG_FAULT_FLAG='%s' BIDRAG_FAULT_DIR='%s' ",
                 faultfs, kind, flag, wt_dir);
    /* a server that does not refuse is stopped by timeout (exit 124) */
    int rc = wt_sh("%stimeout 20 '%s' serve --listen 127.0.0.1:0 --db '%s' </dev/null >/dev/null "
                   "2>'%s/refused.err'",
                   env, wt_bidrag(), db, wt_dir);
    wt_capture(err, n, "cat '%s/refused.err'", wt_dir);
    return rc;
}

static void test_refuses_read_only_or_damaged_database(void **state)
{
    (void)state;
    char err[600], copy[700];
    /* read-only from the start */
    fault(1);
    assert_int_equal(refused("EROFS", wt_db, err, sizeof(err)), 1);
    fault(0);
    fprintf(stderr, "%s\n", err);
    assert_non_null(strstr(err, "is read-only"));
    /* damaged: a copy with pages overwritten */
    snprintf(copy, sizeof(copy), "%s/damaged.db", wt_dir);
    assert_int_equal(wt_sh("'%s' backup '%s' --db '%s' >/dev/null", wt_bidrag(), copy, wt_db), 0);
    assert_int_equal(wt_sh("dd if=/dev/urandom of='%s' bs=4096 seek=3 count=40 conv=notrunc "
                           "status=none",
                           copy),
                     0);
    assert_int_equal(refused(NULL, copy, err, sizeof(err)), 1);
    fprintf(stderr, "%s\n", err);
    assert_non_null(strstr(err, "damaged"));
    assert_non_null(strstr(err, "bidrag restore"));
    /* not a database at all */
    assert_int_equal(wt_sh("head -c 100000 /dev/urandom >'%s'", copy), 0);
    assert_int_equal(refused(NULL, copy, err, sizeof(err)), 1);
    fprintf(stderr, "%s\n", err);
    assert_non_null(strstr(err, "damaged"));
}

/* Less free space than the reserve on the database's disk: /healthz says
 * so before any write fails. */
static void test_health_watches_free_space(void **state)
{
    (void)state;
    struct wt_server sv;
    struct wt_client c;
    struct wt_resp r;
    static const char *const opts[] = {"--disk-reserve", "100000000", NULL}; /* 95 TiB */
    assert_int_equal(wt_start(&sv, opts), 0);
    wt_client_init(&c, sv.port);
    wt_req(&c, "GET", "/healthz", NULL, &r);
    assert_int_equal(r.status, 503);
    assert_true(strncmp(r.body.p, "fail\ndisk: full (", 17) == 0);
    wt_resp_release(&r);
    wt_client_release(&c);
    assert_int_equal(wt_stop(&sv), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_disk),
        cmocka_unit_test(test_read_only_while_running),
        cmocka_unit_test(test_refuses_read_only_or_damaged_database),
        cmocka_unit_test(test_health_watches_free_space),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
