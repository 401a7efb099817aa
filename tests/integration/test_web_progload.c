/* test_web_progload.c - loading a program file from the web against a
 * real server: an officer uploads a file, a file with errors is answered
 * 422 with each message next to its line number and the line's text and
 * nothing stored; bad bytes, an empty upload and a file over the cap are
 * 4xx with nothing stored; a good file is checked, then loaded on
 * confirmation through the same service as `bidrag program load` (the
 * program is listed and the audit trail has program.load); a recipient
 * cannot reach the pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/web.h"
#include "webtest.h"

static struct wt_server server;
static const char pw[] = "programfil-losenord";
static char good[1 << 16];

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    wt_tmpdir("progload");
    const char *b = wt_bidrag();
    if (wt_sh("'%s' init --db '%s' --quiet --no-demo-accounts >/dev/null", b, wt_db) != 0)
        return -1;
    if (wt_user("p-hand", "Hanna Handläggare", pw, "handlaggare") != 0 ||
        wt_user("p-ombud", "Olle Ombud", pw, "ombud@0180") != 0)
        return -1;
    /* the shipped AT program under a new id */
    FILE *f = fopen(BIDRAG_SOURCE_DIR "/data/programs/at-2025.ini", "r");
    if (!f)
        return -1;
    size_t n = fread(good, 1, sizeof(good) - 1, f);
    fclose(f);
    good[n] = '\0';
    char *id = strstr(good, "\nid = at-2025\n");
    if (!id)
        return -1;
    memcpy(id, "\nid = at-2099\n", 14);
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

/* POST /programfil with the session's token and a file part "program". */
static long upload(struct wt_client *c, const char *csrf, const char *name, const char *data,
                   size_t len, struct wt_resp *r)
{
    char url[512];
    curl_mime *m = curl_mime_init(c->curl);
    curl_mimepart *p = curl_mime_addpart(m);
    curl_mime_name(p, "csrf");
    curl_mime_data(p, csrf, CURL_ZERO_TERMINATED);
    p = curl_mime_addpart(m);
    curl_mime_name(p, "program");
    curl_mime_filename(p, name);
    curl_mime_type(p, "text/plain");
    curl_mime_data(p, data, len);
    buf_init(&r->body, 16 << 20);
    buf_init(&r->headers, 1 << 20);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/programfil", c->port);
    curl_easy_setopt(c->curl, CURLOPT_URL, url);
    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, wt_write);
    curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, wt_write);
    curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &r->headers);
    /* a POSTFIELDS pointer left by an earlier form post (to a buffer gone
     * with its frame) must not be read */
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(c->curl, CURLOPT_MIMEPOST, m);
    r->status = 0;
    if (curl_easy_perform(c->curl) == CURLE_OK)
        curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_setopt(c->curl, CURLOPT_MIMEPOST, NULL);
    curl_mime_free(m);
    return r->status;
}

/* 1 if `bidrag program list` names id. */
static int listed(const char *id)
{
    return wt_sh("'%s' program list --db '%s' | grep -q '^%s '", wt_bidrag(), wt_db, id) == 0;
}

static void login(struct wt_client *c, const char *who, char csrf[65])
{
    wt_client_init(c, server.port);
    assert_int_equal(wt_login(c, who, pw), 303);
    wt_csrf_of(c, "/programfil", csrf);
}

static void test_errors_next_to_lines(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    char csrf[65];
    login(&c, "p-hand", csrf);
    assert_true(csrf[0]);
    wt_req(&c, "GET", "/programfil", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "enctype=\"multipart/form-data\""));
    wt_resp_release(&r);
    /* two mistakes: each with its line and the line's text */
    char bad[sizeof(good)];
    snprintf(bad, sizeof(bad), "%s", good);
    char *t = strstr(bad, "\ntotal = ");
    assert_non_null(t);
    memcpy(t, "\ntotal = 1x", 11);
    char *k = strstr(bad, "\nkey = ");
    assert_non_null(k);
    memcpy(k, "\nkey = xxxx", 11);
    upload(&c, csrf, "at-fel.ini", bad, strlen(bad), &r);
    assert_int_equal(r.status, 422);
    long tline = 1, kline = 1;
    for (const char *p = bad; p < t + 1; p++)
        tline += *p == '\n';
    for (const char *p = bad; p < k + 1; p++)
        kline += *p == '\n';
    char want[200];
    snprintf(want, sizeof(want), "<td class=\"num\">%ld</td><td><code>total = 1x", tline);
    assert_non_null(strstr(r.body.p, want));
    assert_non_null(strstr(r.body.p, "is not a whole number of kronor"));
    snprintf(want, sizeof(want), "<td class=\"num\">%ld</td><td><code>key = xxxx", kline);
    assert_non_null(strstr(r.body.p, want));
    assert_non_null(strstr(r.body.p, "Ingenting har sparats."));
    assert_null(strstr(r.body.p, "/programfil/las-in")); /* nothing to confirm */
    assert_null(strstr(r.body.p, "bidrag-prog-"));       /* no server path shown */
    wt_resp_release(&r);
    assert_false(listed("at-2099"));
    wt_client_release(&c);
}

static void test_bad_bytes_and_sizes(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    char csrf[65];
    login(&c, "p-hand", csrf);
    static const char ctl[] = "[program]\nid = x\x01y\n";
    upload(&c, csrf, "x.ini", ctl, sizeof(ctl) - 1, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "class=\"field-error\""));
    assert_non_null(strstr(r.body.p, "text i UTF-8 utan styrtecken"));
    wt_resp_release(&r);
    static const char nul[] = "[program]\nid = a\0b\n";
    assert_int_equal(upload(&c, csrf, "x.ini", nul, sizeof(nul) - 1, &r), 400);
    wt_resp_release(&r);
    static const char latin1[] = "[program]\ntitle = F\xf6rordning\n";
    assert_int_equal(upload(&c, csrf, "x.ini", latin1, sizeof(latin1) - 1, &r), 400);
    wt_resp_release(&r);
    upload(&c, csrf, "x.ini", "", 0, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "Välj en programfil."));
    wt_resp_release(&r);
    /* over the cap: refused before the body is read */
    size_t big = PROGLOAD_MAX + 1024;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, '#', big);
    long st = upload(&c, csrf, "x.ini", huge, big, &r);
    assert_true(st == 413 || st == 0); /* 0: the server closed the connection after 413 */
    wt_resp_release(&r);
    free(huge);
    /* the load step without the session's token: refused, nothing stored */
    assert_int_equal(wt_status(&c, "POST", "/programfil/las-in", "namn=x.ini&kalla=x"), 403);
    /* and with control characters: 400 */
    char body[200];
    snprintf(body, sizeof(body), "csrf=%s&namn=x.ini&kalla=%%5Bprogram%%5D%%01", csrf);
    assert_int_equal(wt_status(&c, "POST", "/programfil/las-in", body), 400);
    wt_client_release(&c);
}

static void test_check_then_load(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    char csrf[65];
    login(&c, "p-hand", csrf);
    upload(&c, csrf, "at-2099.ini", good, strlen(good), &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "action=\"/programfil/las-in\""));
    assert_non_null(strstr(r.body.p, "name=\"kalla\""));
    wt_resp_release(&r);
    assert_false(listed("at-2099")); /* checking stores nothing */
    /* confirm: the checked text, as the page's form sends it */
    char *ek = curl_easy_escape(c.curl, good, 0);
    size_t bl = strlen(ek) + 200;
    char *body = malloc(bl);
    assert_non_null(body);
    snprintf(body, bl, "csrf=%s&namn=at-2099.ini&kalla=%s", csrf, ek);
    curl_free(ek);
    wt_req(&c, "POST", "/programfil/las-in", body, &r);
    free(body);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Programmet är inläst"));
    assert_non_null(strstr(r.body.p, "href=\"/programs/at-2099\""));
    wt_resp_release(&r);
    assert_true(listed("at-2099"));
    assert_int_equal(
        wt_sh("'%s' audit list --db '%s' | grep -q 'program.load'", wt_bidrag(), wt_db), 0);
    assert_int_equal(wt_status(&c, "GET", "/programs/at-2099", NULL), 200);
    /* a text that does not load stores nothing and says why */
    char bodybad[300];
    snprintf(bodybad, sizeof(bodybad),
             "csrf=%s&namn=y.ini&kalla=%%5Bprogram%%5D%%0Aid%%20%%3D%%20y%%0A", csrf);
    wt_req(&c, "POST", "/programfil/las-in", bodybad, &r);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body.p, "Filen kan inte läsas in"));
    wt_resp_release(&r);
    assert_false(listed("y"));
    wt_client_release(&c);
}

static void test_recipient_refused(void **state)
{
    (void)state;
    struct wt_client c;
    wt_client_init(&c, server.port);
    assert_int_equal(wt_login(&c, "p-ombud", pw), 303);
    assert_int_equal(wt_status(&c, "GET", "/programfil", NULL), 403);
    wt_client_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors_next_to_lines),
        cmocka_unit_test(test_bad_bytes_and_sizes),
        cmocka_unit_test(test_check_then_load),
        cmocka_unit_test(test_recipient_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
