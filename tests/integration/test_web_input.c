/* test_web_input.c - text and files at the edge, over HTTP against a real
 * server: broken UTF-8 (a surrogate, as in the report) is refused in
 * forms, JSON and on the command line instead of being stored and making
 * later pages fail; a return message of 2 000 characters is kept whole
 * (never cut in the middle of a character) and the case stays in the JSON
 * list that counts it; the limit is counted in characters; a production
 * plan that is a ZIP but no XLSX is refused, a real XLSX accepted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "webtest.h"

static struct wt_server server;
static const char pw[] = "indata-losen-1";
static char tok_hl[80], tok_olle[80];

static void hidden(const char *html, const char *name, char *out, size_t n)
{
    char pat[96];
    snprintf(pat, sizeof(pat), "name=\"%s\" value=\"", name);
    const char *p = html ? strstr(html, pat) : NULL;
    out[0] = '\0';
    if (!p)
        return;
    p += strlen(pat);
    size_t i = 0;
    while (i + 1 < n && p[i] && p[i] != '"') {
        out[i] = p[i];
        i++;
    }
    out[i] = '\0';
}

static size_t count(const char *hay, const char *needle)
{
    size_t c = 0, n = strlen(needle);
    for (const char *p = hay ? strstr(hay, needle) : NULL; p; p = strstr(p + n, needle))
        c++;
    return c;
}

static void login(struct wt_client *c, const char *user)
{
    wt_client_init(c, server.port);
    assert_int_equal(wt_login(c, user, pw), 303);
}

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    setenv("BIDRAG_NOW", "2026-03-05T10:00:00Z", 1);
    wt_tmpdir("webinput");
    char out[256];
    wt_capture(out, sizeof(out), "'%s' init --db '%s' --quiet --no-demo-accounts", wt_bidrag(),
               wt_db);
    if (wt_user("ada", "Ada Admin", pw, "admin") ||
        wt_user("hanna", "Hanna Handläggare", pw, "handlaggare") ||
        wt_user("olle", "Olle Ombud", pw, "ombud@0180") ||
        wt_user("rita", "Rita Representant", pw, "representant@01"))
        return -1;
    wt_capture(tok_hl, sizeof(tok_hl), "'%s' token create hanna --name t --db '%s'", wt_bidrag(),
               wt_db);
    wt_capture(tok_olle, sizeof(tok_olle), "'%s' token create olle --name t --org 0180 --db '%s'",
               wt_bidrag(), wt_db);
    return wt_start(&server, NULL);
}

static int teardown(void **state)
{
    (void)state;
    int rc = server.pid > 0 ? wt_stop(&server) : 0;
    curl_global_cleanup();
    if (rc == 0)
        wt_cleanup();
    return rc == 0 ? 0 : -1;
}

/* A user name with an encoded surrogate (%ed%a0%80) made /api/v1/me
 * answer 500: it is refused where it comes in, on the web and the CLI. */
static void test_surrogate_name_refused(void **state)
{
    (void)state;
    struct wt_client ada;
    struct wt_resp r;
    char csrf[65], body[512];
    login(&ada, "ada");
    wt_csrf_of(&ada, "/admin/users", csrf);
    snprintf(body, sizeof(body),
             "csrf=%s&action=add&login=sur&name=Sur%%ED%%A0%%80&password=ett-langt-losenord", csrf);
    wt_req(&ada, "POST", "/admin/users", body, &r);
    assert_int_equal(r.status, 400);
    wt_resp_release(&r);
    /* in a value the rules would otherwise accept: U+110000 and overlong */
    snprintf(body, sizeof(body),
             "csrf=%s&action=add&login=sur&name=%%F4%%90%%80%%80&password=ett-langt-losenord",
             csrf);
    assert_int_equal(wt_status(&ada, "POST", "/admin/users", body), 400);
    assert_int_not_equal(wt_sh("'%s' user list --db '%s' | grep -q '^sur '", wt_bidrag(), wt_db),
                         0);
    assert_int_not_equal(wt_sh("printf '%%s\\n' '%s' | '%s' user add sur2 --name \"$(printf "
                               "'X\\355\\240\\200')\" --db '%s' >/dev/null 2>&1",
                               pw, wt_bidrag(), wt_db),
                         0);
    /* a name of 127 characters of "å" (254 bytes) is kept whole */
    char name[1024] = "", enc[2048] = "";
    for (size_t i = 0; i < 127; i++) {
        memcpy(name + 2 * i, "å", 2);
        memcpy(enc + 6 * i, "%C3%A5", 6);
    }
    char *big = malloc(4096);
    snprintf(big, 4096, "csrf=%s&action=add&login=aaa&name=%s&password=ett-langt-losenord", csrf,
             enc);
    assert_int_equal(wt_status(&ada, "POST", "/admin/users", big), 303);
    free(big);
    wt_req(&ada, "GET", "/admin/users", NULL, &r);
    assert_non_null(strstr(r.body.p, name));
    wt_resp_release(&r);
    /* 128 characters are too many, and told so */
    snprintf(enc + strlen(enc), sizeof(enc) - strlen(enc), "%%C3%%A5");
    big = malloc(4096);
    snprintf(big, 4096, "csrf=%s&action=add&login=aab&name=%s&password=ett-langt-losenord", csrf,
             enc);
    assert_int_equal(wt_status(&ada, "POST", "/admin/users", big), 400);
    free(big);
    wt_client_release(&ada);

    /* /api/v1/me answers with the name as stored */
    struct wt_client c;
    wt_client_init(&c, server.port);
    c.bearer = tok_olle;
    wt_req(&c, "GET", "/api/v1/me", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "\"name\":\"Olle Ombud\""));
    wt_resp_release(&r);
    wt_client_release(&c);
}

static const char form_path[] = "/org/0180/rekvisition/kompetens-2026";
static const char fields[] =
    "&amount=&measure.1.purpose=vfu&measure.1.description=Fler+handledare"
    "&measure.1.planned=500000&contact_name=%C3%85sa+%C3%96berg&contact_email=asa%40example.se"
    "&contact_phone=08-123+45+67&account_kind=bankgiro&account=5050-1055";

/* Broken text in a requisition form or its JSON is refused, nothing kept. */
static void test_surrogate_in_requisition_refused(void **state)
{
    (void)state;
    struct wt_client olle;
    struct wt_resp r;
    char csrf[65], rev[32], idem[80], body[2048];
    login(&olle, "olle");
    wt_req(&olle, "GET", form_path, NULL, &r);
    assert_int_equal(r.status, 200);
    wt_csrf(r.body.p, csrf);
    hidden(r.body.p, "revision", rev, sizeof(rev));
    hidden(r.body.p, "idem", idem, sizeof(idem));
    wt_resp_release(&r);
    snprintf(body, sizeof(body),
             "csrf=%s&revision=%s&idem=%s&rows=3%s&contact_name=A%%ED%%A0%%80&action=save", csrf,
             rev, idem, fields);
    assert_int_equal(wt_status(&olle, "POST", form_path, body), 400);
    /* raw surrogate bytes in a JSON string */
    struct wt_client api;
    wt_client_init(&api, server.port);
    api.bearer = tok_olle;
    api.extra_header = "Content-Type: application/json";
    snprintf(body, sizeof(body),
             "{\"revision\":0,\"fields\":{\"contact_name\":\"A\xed\xa0\x80\","
             "\"measure.1.purpose\":\"vfu\"}}");
    wt_req(&api, "POST", "/api/v1/org/0180/requisitions/kompetens-2026", body, &r);
    assert_int_equal(r.status, 400);
    wt_resp_release(&r);
    /* a control character in a JSON value */
    snprintf(body, sizeof(body), "{\"revision\":0,\"fields\":{\"contact_name\":\"A\\u0007\"}}");
    wt_req(&api, "POST", "/api/v1/org/0180/requisitions/kompetens-2026", body, &r);
    assert_int_equal(r.status, 400);
    wt_resp_release(&r);
    wt_client_release(&api);
    /* nothing was stored */
    wt_req(&olle, "GET", "/org/0180/rekvisitioner", NULL, &r);
    assert_null(strstr(r.body.p, "REK-2026-"));
    wt_resp_release(&r);
    wt_client_release(&olle);
}

/* "ä" n times, URL-encoded, into out. */
static char *many_a(size_t n)
{
    char *s = malloc(n * 6 + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + 6 * i, "%C3%A4", 6);
    s[n * 6] = '\0';
    return s;
}

/* A 2 000-character return message of "ä" is 4 000 bytes; it was cut to
 * 2 047 bytes ending in half a character, and the case then vanished from
 * the JSON list whose counts still included it. */
static void test_long_message_kept_whole(void **state)
{
    (void)state;
    struct wt_client olle, hanna, api;
    struct wt_resp r;
    char csrf[65], rev[32], idem[80], body[2048];
    login(&olle, "olle");
    login(&hanna, "hanna");
    wt_req(&olle, "GET", form_path, NULL, &r);
    wt_csrf(r.body.p, csrf);
    hidden(r.body.p, "revision", rev, sizeof(rev));
    hidden(r.body.p, "idem", idem, sizeof(idem));
    wt_resp_release(&r);
    snprintf(body, sizeof(body), "csrf=%s&revision=%s&idem=%s&rows=3%s&confirmed=1&action=submit",
             csrf, rev, idem, fields);
    assert_int_equal(wt_status(&olle, "POST", form_path, body), 303);

    const char *case_path = "/rekvisitioner/REK-2026-000001";
    wt_req(&hanna, "GET", case_path, NULL, &r);
    assert_int_equal(r.status, 200);
    wt_csrf(r.body.p, csrf);
    hidden(r.body.p, "revision", rev, sizeof(rev));
    /* the form says the limit */
    assert_non_null(strstr(r.body.p, "maxlength=\"2000\""));
    wt_resp_release(&r);
    /* 2 001 characters: too long, said in characters */
    char *msg = many_a(2001);
    size_t blen = strlen(msg) + 256;
    char *post = malloc(blen);
    snprintf(post, blen, "csrf=%s&revision=%s&action=return&message=%s", csrf, rev, msg);
    wt_req(&hanna, "POST", case_path, post, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "2000 tecken"));
    wt_resp_release(&r);
    free(msg);
    /* 2 000 characters: kept whole */
    msg = many_a(2000);
    snprintf(post, blen, "csrf=%s&revision=%s&action=return&message=%s", csrf, rev, msg);
    assert_int_equal(wt_status(&hanna, "POST", case_path, post), 303);
    free(msg);
    free(post);

    /* the agency's JSON list: the case is there with all 2 000 characters,
     * and the list agrees with the counts */
    wt_client_init(&api, server.port);
    api.bearer = tok_hl;
    wt_req(&api, "GET", "/api/v1/programs/kompetens-2026/requisitions", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(count(r.body.p, "\"case_no\""), 1);
    assert_non_null(strstr(r.body.p, "\"returned\":1"));
    assert_int_equal(count(r.body.p, "\\u00e4") + count(r.body.p, "\\u00E4"), 2000);
    wt_resp_release(&r);
    wt_client_release(&api);
    /* the recipient reads every character */
    wt_req(&olle, "GET", form_path, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_true(count(r.body.p, "ä") >= 2000);
    wt_resp_release(&r);
    wt_client_release(&olle);
    wt_client_release(&hanna);
}

/* A minimal stored ZIP holding the named empty entries, built here by the
 * book (APPNOTE 4.3.7, 4.3.12, 4.3.16), independent of the reader. */
static size_t make_zip(unsigned char *out, const char *const *names, size_t n)
{
    size_t o = 0, cd_start, offs[8];
#define U16(v)                                                                                     \
    do {                                                                                           \
        out[o++] = (unsigned char)((v)&0xff);                                                      \
        out[o++] = (unsigned char)(((v) >> 8) & 0xff);                                             \
    } while (0)
#define U32(v)                                                                                     \
    do {                                                                                           \
        U16((v)&0xffff);                                                                           \
        U16(((v) >> 16) & 0xffff);                                                                 \
    } while (0)
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        offs[i] = o;
        U32(0x04034b50u);
        U16(20);
        U16(0);
        U16(0);
        U16(0);
        U16(0);
        U32(0);
        U32(0);
        U32(0);
        U16(len);
        U16(0);
        memcpy(out + o, names[i], len);
        o += len;
    }
    cd_start = o;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        U32(0x02014b50u);
        U16(20);
        U16(20);
        U16(0);
        U16(0);
        U16(0);
        U16(0);
        U32(0);
        U32(0);
        U32(0);
        U16(len);
        U16(0);
        U16(0);
        U16(0);
        U16(0);
        U32(0);
        U32(offs[i]);
        memcpy(out + o, names[i], len);
        o += len;
    }
    size_t cd_size = o - cd_start;
    U32(0x06054b50u);
    U16(0);
    U16(0);
    U16(n);
    U16(n);
    U32(cd_size);
    U32(cd_start);
    U16(0);
#undef U16
#undef U32
    return o;
}

/* POST a multipart form with a plan file. */
static long post_plan(struct wt_client *c, const char *path, const char *const *kv,
                      const char *filename, const char *data, size_t len, struct wt_resp *r)
{
    char url[512];
    curl_mime *m = curl_mime_init(c->curl);
    for (size_t i = 0; kv[i]; i += 2) {
        curl_mimepart *p = curl_mime_addpart(m);
        curl_mime_name(p, kv[i]);
        curl_mime_data(p, kv[i + 1], CURL_ZERO_TERMINATED);
    }
    curl_mimepart *p = curl_mime_addpart(m);
    curl_mime_name(p, "plan");
    curl_mime_filename(p, filename);
    curl_mime_data(p, data, len);
    buf_init(&r->body, 16 << 20);
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

/* Any ZIP passed as an XLSX plan; now the central directory must name
 * [Content_Types].xml and xl/workbook.xml. */
static void test_plan_zip_must_be_xlsx(void **state)
{
    (void)state;
    struct wt_client rita;
    struct wt_resp r;
    char csrf[65], rev[32], idem[80];
    const char *path = "/org/01/rekvisition/tillganglighet-2026";
    login(&rita, "rita");
    const char *kv[] = {"csrf", csrf, "revision", rev, "idem", idem, "action", "save", NULL};
    unsigned char zip[2048];
    const char *plain[] = {"hello.txt"};
    const char *half[] = {"[Content_Types].xml", "xl/styles.xml"};
    const char *const *bad[] = {plain, half};
    size_t nbad[] = {1, 2};
    for (size_t i = 0; i < 2; i++) {
        wt_req(&rita, "GET", path, NULL, &r);
        assert_int_equal(r.status, 200);
        wt_csrf(r.body.p, csrf);
        hidden(r.body.p, "revision", rev, sizeof(rev));
        hidden(r.body.p, "idem", idem, sizeof(idem));
        wt_resp_release(&r);
        size_t len = make_zip(zip, bad[i], nbad[i]);
        post_plan(&rita, path, kv, "plan.xlsx", (const char *)zip, len, &r);
        assert_int_equal(r.status, 400);
        assert_non_null(strstr(r.body.p, "id=\"f-plan-err\""));
        wt_resp_release(&r);
    }
    /* a real workbook (the allocation export, written by libxlsxwriter) */
    struct wt_resp x;
    wt_req(&rita, "GET", "/programs/at-2025/fordelning.xlsx", NULL, &x);
    assert_int_equal(x.status, 200);
    wt_req(&rita, "GET", path, NULL, &r);
    wt_csrf(r.body.p, csrf);
    hidden(r.body.p, "revision", rev, sizeof(rev));
    hidden(r.body.p, "idem", idem, sizeof(idem));
    wt_resp_release(&r);
    post_plan(&rita, path, kv, "plan.xlsx", x.body.p, x.body.len, &r);
    assert_int_equal(r.status, 303);
    wt_resp_release(&r);
    /* a ZIP built by hand with the two names is taken as well */
    const char *names[] = {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"};
    size_t len = make_zip(zip, names, 3);
    wt_req(&rita, "GET", path, NULL, &r);
    wt_csrf(r.body.p, csrf);
    hidden(r.body.p, "revision", rev, sizeof(rev));
    hidden(r.body.p, "idem", idem, sizeof(idem));
    wt_resp_release(&r);
    post_plan(&rita, path, kv, "plan.xlsx", (const char *)zip, len, &r);
    assert_int_equal(r.status, 303);
    wt_resp_release(&r);
    wt_resp_release(&x);
    wt_client_release(&rita);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surrogate_name_refused),
        cmocka_unit_test(test_surrogate_in_requisition_refused),
        cmocka_unit_test(test_long_message_kept_whole),
        cmocka_unit_test(test_plan_zip_must_be_xlsx),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
