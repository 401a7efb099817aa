/* test_web_requisition.c - the requisition e-service over HTTP against a
 * real server: a draft by the uppgiftssamordnare, a conflict between two
 * editors, field errors in Swedish next to their fields (400, never 5xx),
 * submission by the ombud with the confirmation, a repeated POST with the
 * same idempotency key giving one version, return -> resubmit -> approve,
 * the decision PDF on both sides, the JSON API, the closed window and a
 * production plan uploaded as multipart/form-data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "webtest.h"

static struct wt_server server;
static const char pw[] = "rekvisition-losen";
static char tok_om0114[80], tok_hl[80], tok_om2[80];

/* The value of a hidden (or any) input named name ("" if none). */
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

/* The form's csrf, revision and idempotency key as a body prefix. */
static void form_keys(struct wt_client *c, const char *path, char *out, size_t n)
{
    struct wt_resp r;
    char csrf[65], rev[32], idem[80];
    wt_req(c, "GET", path, NULL, &r);
    assert_int_equal(r.status, 200);
    wt_csrf(r.body.p, csrf);
    hidden(r.body.p, "revision", rev, sizeof(rev));
    hidden(r.body.p, "idem", idem, sizeof(idem));
    snprintf(out, n, "csrf=%s&revision=%s&idem=%s&rows=3", csrf, rev, idem);
    wt_resp_release(&r);
}

static const char fields[] =
    "&amount=&measure.1.purpose=vfu&measure.1.description=Fler+handledare+f%C3%B6r+VFU"
    "&measure.1.planned=500000&contact_name=%C3%85sa+%C3%96berg&contact_email=asa%40example.se"
    "&contact_phone=08-123+45+67&account_kind=bankgiro&account=5050-1055&opt_in=1";

static long location(const struct wt_resp *r, char *out, size_t n)
{
    const char *p = r->headers.p ? strstr(r->headers.p, "\nLocation: ") : NULL;
    out[0] = '\0';
    if (!p)
        return -1;
    p += 11;
    size_t i = 0;
    while (i + 1 < n && p[i] && p[i] != '\r' && p[i] != '\n') {
        out[i] = p[i];
        i++;
    }
    out[i] = '\0';
    return (long)i;
}

static void login(struct wt_client *c, const char *user)
{
    wt_client_init(c, server.port);
    assert_int_equal(wt_login(c, user, pw), 303);
}

static int start_at(const char *now)
{
    setenv("BIDRAG_NOW", now, 1);
    return wt_start(&server, NULL);
}

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    setenv("BIDRAG_NOW", "2026-04-15T10:00:00Z", 1);
    wt_tmpdir("webreq");
    char out[256];
    wt_capture(out, sizeof(out), "'%s' init --db '%s' --quiet --no-demo-accounts", wt_bidrag(),
               wt_db);
    if (wt_user("sam", "Sam Samordnare", pw, "uppgiftssamordnare@0180") ||
        wt_user("olle", "Olle Ombud", pw, "ombud@0180") ||
        wt_user("otto", "Otto Ombud", pw, "ombud@1480") ||
        wt_user("anna", "Anna Ombud", pw, "ombud@0114") ||
        wt_user("rita", "Rita Representant", pw, "representant@01") ||
        wt_user("hanna", "Hanna Handläggare", pw, "handlaggare"))
        return -1;
    wt_capture(tok_om0114, sizeof(tok_om0114),
               "'%s' token create anna --name t --org 0114 --db '%s'", wt_bidrag(), wt_db);
    wt_capture(tok_om2, sizeof(tok_om2), "'%s' token create otto --name t --org 1480 --db '%s'",
               wt_bidrag(), wt_db);
    wt_capture(tok_hl, sizeof(tok_hl), "'%s' token create hanna --name t --db '%s'", wt_bidrag(),
               wt_db);
    return start_at("2026-04-15T10:00:00Z");
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

static const char form_path[] = "/org/0180/rekvisition/kompetens-2026";

static void test_draft_conflict_and_field_errors(void **state)
{
    (void)state;
    struct wt_client sam, olle;
    struct wt_resp r;
    char keys_s[400], keys_o[400], body[2048];
    login(&sam, "sam");
    login(&olle, "olle");

    /* the uppgiftssamordnare sees "Spara utkast" but no "Skicka in" */
    wt_req(&sam, "GET", form_path, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Spara utkast"));
    assert_null(strstr(r.body.p, "value=\"submit\""));
    assert_non_null(strstr(r.body.p, "Tid kvar att rekvirera"));
    assert_non_null(strstr(r.body.p, "value=\"9432954\"")); /* the maximum by default */
    wt_resp_release(&r);

    /* one more measure row, without script: a fourth fieldset, nothing stored */
    form_keys(&sam, form_path, keys_s, sizeof(keys_s));
    snprintf(body, sizeof(body), "%s%s&action=addrow", keys_s, fields);
    wt_req(&sam, "POST", form_path, body, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "name=\"measure.4.purpose\""));
    assert_non_null(strstr(r.body.p, "Fler handledare för VFU"));
    wt_resp_release(&r);

    /* a draft by the uppgiftssamordnare */
    snprintf(body, sizeof(body), "%s%s&action=save", keys_s, fields);
    wt_req(&sam, "POST", form_path, body, &r);
    assert_int_equal(r.status, 303);
    wt_resp_release(&r);
    wt_req(&sam, "GET", "/org/0180/rekvisition/kompetens-2026?sparat=1", NULL, &r);
    assert_non_null(strstr(r.body.p, "Utkastet är sparat."));
    assert_non_null(strstr(r.body.p, "REK-2026-000001"));
    wt_resp_release(&r);

    /* both open the draft; the uppgiftssamordnare saves first */
    form_keys(&sam, form_path, keys_s, sizeof(keys_s));
    form_keys(&olle, form_path, keys_o, sizeof(keys_o));
    snprintf(body, sizeof(body), "%s%s&contact_phone=08-765+43+21&action=save", keys_s, fields);
    assert_int_equal(wt_status(&sam, "POST", form_path, body), 303);
    snprintf(body, sizeof(body), "%s%s&action=save", keys_o, fields);
    wt_req(&olle, "POST", form_path, body, &r);
    assert_int_equal(r.status, 409);
    assert_non_null(strstr(r.body.p, "har ändrats av sam"));
    wt_resp_release(&r);

    /* the uppgiftssamordnare may not submit */
    form_keys(&sam, form_path, keys_s, sizeof(keys_s));
    snprintf(body, sizeof(body), "%s%s&confirmed=1&action=submit", keys_s, fields);
    wt_req(&sam, "POST", form_path, body, &r);
    assert_int_equal(r.status, 403);
    wt_resp_release(&r);

    /* field errors: Swedish, next to their fields, with a summary; 400 */
    form_keys(&olle, form_path, keys_o, sizeof(keys_o));
    snprintf(body, sizeof(body), "%s%s&amount=nio+miljoner&action=submit", keys_o, fields);
    wt_req(&olle, "POST", form_path, body, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "class=\"error-summary\""));
    assert_non_null(strstr(r.body.p, "<span id=\"f-amount-err\" class=\"field-error\">"));
    assert_non_null(strstr(r.body.p, "aria-invalid=\"true\" aria-describedby=\"f-amount-err"));
    wt_resp_release(&r);
    snprintf(body, sizeof(body), "%s%s&account=5050-1056&action=submit", keys_o, fields);
    wt_req(&olle, "POST", form_path, body, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "<span id=\"f-account-err\" class=\"field-error\">"
                                     "Kontrollsiffran stämmer inte för bankgironumret"));
    assert_non_null(strstr(r.body.p, "<span id=\"f-confirmed-err\" class=\"field-error\">"));
    assert_non_null(strstr(r.body.p, "<a href=\"#f-confirmed\">"));
    assert_non_null(strstr(r.body.p, "value=\"5050-1056\"")); /* what was typed stays */
    wt_resp_release(&r);
    /* English screen texts, and the rules' messages in English too (they
     * are catalog keys rendered in the reader's language, issue 9) */
    olle.accept_language = "en";
    wt_req(&olle, "GET", form_path, NULL, &r);
    assert_non_null(strstr(r.body.p, "Save draft"));
    wt_resp_release(&r);
    olle.accept_language = NULL;
    char en_path[160];
    snprintf(en_path, sizeof(en_path), "%s?lang=en", form_path);
    wt_req(&olle, "POST", en_path, body, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "<span id=\"f-account-err\" class=\"field-error\">"
                                     "The check digit of the bankgiro number is wrong"));
    assert_null(strstr(r.body.p, "Kontrollsiffran"));
    wt_resp_release(&r);
    olle.accept_language = NULL;
    wt_client_release(&sam);
    wt_client_release(&olle);
}

static void test_submit_idempotent_return_approve(void **state)
{
    (void)state;
    struct wt_client olle, hanna, otto;
    struct wt_resp r;
    char keys[400], body[2048], loc[256], loc2[256], csrf[65], rev[32];
    login(&olle, "olle");
    login(&hanna, "hanna");
    login(&otto, "otto");

    /* the start page: what waits, from the one civil date (15 April to
     * 30 October: 198 days) */
    wt_req(&olle, "GET", "/start", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "0 ärenden att komplettera"));
    assert_non_null(strstr(r.body.p, "1 öppen rekvisition att skicka in"));
    assert_non_null(strstr(r.body.p, "<a href=\"/org/0180/rekvisition/kompetens-2026\">"));
    assert_non_null(strstr(r.body.p, "rekvirera senast 30 oktober 2026 (198 dagar kvar)"));
    wt_resp_release(&r);
    wt_req(&olle, "GET", "/start?lang=en", NULL, &r);
    assert_non_null(strstr(r.body.p, "0 cases to complete"));
    assert_non_null(strstr(r.body.p, "(198 days left)"));
    wt_resp_release(&r);
    assert_int_equal(wt_status(&olle, "GET", "/start?lang=sv", NULL), 200); /* back to Swedish */

    /* submit with the confirmation; the same POST again = the same receipt */
    form_keys(&olle, form_path, keys, sizeof(keys));
    snprintf(body, sizeof(body), "%s%s&confirmed=1&action=submit", keys, fields);
    wt_req(&olle, "POST", form_path, body, &r);
    assert_int_equal(r.status, 303);
    location(&r, loc, sizeof(loc));
    assert_string_equal(loc, "/org/0180/kvittens/REK-2026-000001/1");
    wt_resp_release(&r);
    wt_req(&olle, "POST", form_path, body, &r);
    assert_int_equal(r.status, 303);
    location(&r, loc2, sizeof(loc2));
    assert_string_equal(loc, loc2);
    wt_resp_release(&r);
    assert_int_equal(wt_status(&olle, "GET", "/org/0180/kvittens/REK-2026-000001/2", NULL), 404);
    wt_req(&olle, "GET", loc, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "<dd id=\"case-no\">REK-2026-000001</dd>"));
    assert_non_null(strstr(r.body.p, "Regeringsbeslut 2026-01-22 nr II:5"));
    assert_non_null(strstr(r.body.p, "2026-04-15 12:00"));
    wt_resp_release(&r);
    wt_req(&olle, "GET", "/org/0180/kvittens/REK-2026-000001/1/pdf", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body.p, "%PDF", 4);
    wt_resp_release(&r);
    /* another organisation's ombud cannot read it by URL */
    assert_int_equal(wt_status(&otto, "GET", "/org/0180/kvittens/REK-2026-000001/1", NULL), 403);
    assert_int_equal(wt_status(&otto, "GET", "/org/1480/kvittens/REK-2026-000001/1", NULL), 404);

    /* the handläggare returns it: without a message first */
    wt_req(&hanna, "GET", "/rekvisitioner/REK-2026-000001", NULL, &r);
    assert_int_equal(r.status, 200);
    wt_csrf(r.body.p, csrf);
    hidden(r.body.p, "revision", rev, sizeof(rev));
    wt_resp_release(&r);
    snprintf(body, sizeof(body), "csrf=%s&revision=%s&action=return&message=", csrf, rev);
    wt_req(&hanna, "POST", "/rekvisitioner/REK-2026-000001", body, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "id=\"f-return-message-err\""));
    assert_non_null(strstr(r.body.p, "aria-describedby=\"f-return-message-err\""));
    wt_resp_release(&r);
    snprintf(body, sizeof(body),
             "csrf=%s&revision=%s&action=return&message=Beskriv+hur+m%%C3%%A5nga+platser", csrf,
             rev);
    assert_int_equal(wt_status(&hanna, "POST", "/rekvisitioner/REK-2026-000001", body), 303);

    /* the start page says so, with a link to the case; the receipt and
     * the return are in the outbox, once each, to the form's address */
    wt_req(&olle, "GET", "/start", NULL, &r);
    assert_non_null(strstr(r.body.p, "1 ärende att komplettera"));
    assert_non_null(strstr(r.body.p, "REK-2026-000001 är returnerad för komplettering"));
    assert_non_null(strstr(r.body.p, "<a href=\"/org/0180/rekvisition/kompetens-2026\">"));
    wt_resp_release(&r);
    assert_int_equal(
        wt_sh("test \"$('%s' outbox list --db '%s' | grep -c 'REK-2026-000001 *asa@example.se')\" "
              "= 2 && '%s' outbox list --db '%s' | grep -Eq '^2 +returned +pending'",
              wt_bidrag(), wt_db, wt_bidrag(), wt_db),
        0);

    /* the recipient sees the message and submits again, for less */
    wt_req(&olle, "GET", form_path, NULL, &r);
    assert_non_null(strstr(r.body.p, "Beskriv hur många platser"));
    assert_non_null(strstr(r.body.p, "returnerat"));
    wt_resp_release(&r);
    form_keys(&olle, form_path, keys, sizeof(keys));
    snprintf(body, sizeof(body), "%s%s&amount=9000000&confirmed=1&action=submit", keys, fields);
    wt_req(&olle, "POST", form_path, body, &r);
    assert_int_equal(r.status, 303);
    location(&r, loc, sizeof(loc));
    assert_string_equal(loc, "/org/0180/kvittens/REK-2026-000001/2");
    wt_resp_release(&r);

    /* both versions and what changed; then approve as requested */
    wt_req(&hanna, "GET", "/rekvisitioner/REK-2026-000001", NULL, &r);
    assert_non_null(strstr(r.body.p, "<td>Belopp</td>"));
    hidden(r.body.p, "revision", rev, sizeof(rev));
    wt_resp_release(&r);
    /* granting less than requested needs its reasons (förvaltningslagen
     * 32 §): said next to the field, the amount kept, nothing written */
    snprintf(body, sizeof(body), "csrf=%s&revision=%s&action=approve&amount=50000&reasons=+", csrf,
             rev);
    wt_req(&hanna, "POST", "/rekvisitioner/REK-2026-000001", body, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "id=\"f-approve-reasons-err\""));
    assert_non_null(strstr(r.body.p, "aria-describedby=\"f-approve-reasons-err\""));
    assert_non_null(strstr(r.body.p, "Skriv skälen till att mindre än det rekvirerade"));
    assert_non_null(strstr(r.body.p, "value=\"50000\""));
    wt_resp_release(&r);
    snprintf(body, sizeof(body), "csrf=%s&revision=%s&action=approve&amount=", csrf, rev);
    assert_int_equal(wt_status(&hanna, "POST", "/rekvisitioner/REK-2026-000001", body), 303);
    /* a new decision on the start page, linked; nothing left to complete */
    wt_req(&olle, "GET", "/start", NULL, &r);
    assert_non_null(strstr(r.body.p, "1 nytt beslut"));
    assert_non_null(strstr(r.body.p, "0 ärenden att komplettera"));
    assert_non_null(strstr(r.body.p, "0 öppna rekvisitioner att skicka in"));
    assert_non_null(strstr(r.body.p, "<a href=\"/org/0180/beslut/BES-2026-000001\">"));
    wt_resp_release(&r);
    /* the same revision again: someone (here: she) changed it first */
    wt_req(&hanna, "POST", "/rekvisitioner/REK-2026-000001", body, &r);
    assert_true(r.status == 409 || r.status == 403);
    wt_resp_release(&r);

    /* the decision, downloadable by both sides, not by another organisation */
    wt_req(&hanna, "GET", "/programs/kompetens-2026/beslut", NULL, &r);
    assert_non_null(strstr(r.body.p, "BES-2026-000001"));
    wt_resp_release(&r);
    wt_req(&hanna, "GET", "/beslut/BES-2026-000001", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body.p, "%PDF", 4);
    wt_resp_release(&r);
    wt_req(&olle, "GET", "/org/0180/rekvisitioner", NULL, &r);
    assert_non_null(strstr(r.body.p, "/org/0180/beslut/BES-2026-000001"));
    assert_non_null(strstr(r.body.p, "beviljad"));
    wt_resp_release(&r);
    wt_req(&olle, "GET", "/org/0180/beslut/BES-2026-000001", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body.p, "%PDF", 4);
    assert_true(wt_has_header(&r, "Content-Type: application/pdf"));
    wt_resp_release(&r);
    assert_int_equal(wt_status(&otto, "GET", "/org/1480/beslut/BES-2026-000001", NULL), 404);

    /* dashboard with its chart, and the export */
    wt_req(&hanna, "GET", "/programs/kompetens-2026/rekvisitionsoversikt", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "<svg role=\"img\""));
    assert_non_null(strstr(r.body.p, "9\xc2\xa0"
                                     "000\xc2\xa0"
                                     "000"));
    /* the län by the reference data's name, not its code */
    assert_non_null(strstr(r.body.p, "<tr><th scope=\"row\">Stockholms län</th>"));
    assert_non_null(strstr(r.body.p, "<tr><th scope=\"row\">Västra Götalands län</th>"));
    assert_null(strstr(r.body.p, "<tr><th scope=\"row\">01</th>"));
    wt_resp_release(&r);
    wt_req(&hanna, "GET", "/programs/kompetens-2026/rekvisitionsoversikt.xlsx", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body.p, "PK", 2);
    wt_resp_release(&r);
    wt_client_release(&olle);
    wt_client_release(&hanna);
    wt_client_release(&otto);
}

static void test_api(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    const char *body =
        "{\"idempotency_key\":\"api-0114-1\",\"revision\":0,\"fields\":{\"amount\":\"\","
        "\"measure.1.purpose\":\"vfu\",\"measure.1.description\":\"Fler handledare\","
        "\"measure.1.planned\":100000,\"contact_name\":\"Anna\",\"contact_email\":"
        "\"anna@example.se\",\"contact_phone\":\"08-1234567\",\"account_kind\":\"bankgiro\","
        "\"account\":\"5050-1055\",\"opt_in\":true,\"confirmed\":true}}";
    wt_client_init(&c, server.port);
    c.bearer = tok_om0114;
    c.extra_header = "Content-Type: application/json";
    wt_req(&c, "POST", "/api/v1/org/0114/requisitions/kompetens-2026", body, &r);
    assert_int_equal(r.status, 201);
    assert_non_null(strstr(r.body.p, "\"case_no\":\"REK-2026-000002\""));
    wt_resp_release(&r);
    wt_req(&c, "POST", "/api/v1/org/0114/requisitions/kompetens-2026", body, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "\"repeated\":true"));
    wt_resp_release(&r);
    /* field errors as JSON */
    wt_req(&c, "POST", "/api/v1/org/0114/requisitions/kompetens-2026",
           "{\"fields\":{\"amount\":\"x\"}}", &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "{\"error\":{\"code\":\"invalid\""));
    assert_non_null(strstr(r.body.p, "\"field\":\"amount\""));
    wt_resp_release(&r);
    wt_req(&c, "GET", "/api/v1/org/0114/requisitions", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "\"state\":\"submitted\""));
    wt_resp_release(&r);
    /* another organisation: neither read nor write */
    c.bearer = tok_om2;
    assert_int_equal(wt_status(&c, "GET", "/api/v1/org/0114/requisitions", NULL), 403);
    wt_req(&c, "POST", "/api/v1/org/0114/requisitions/kompetens-2026", body, &r);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body.p, "{\"error\":{\"code\":\"forbidden\""));
    wt_resp_release(&r);
    wt_req(&c, "GET", "/api/v1/org/1480/requisitions", NULL, &r);
    assert_null(strstr(r.body.p, "REK-2026-00000"));
    wt_resp_release(&r);
    /* the agency's list with counts */
    c.bearer = tok_hl;
    wt_req(&c, "GET", "/api/v1/programs/kompetens-2026/requisitions?state=submitted", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "\"submitted\":1"));
    assert_non_null(strstr(r.body.p, "\"approved\":1"));
    assert_non_null(strstr(r.body.p, "REK-2026-000002"));
    wt_resp_release(&r);
    /* the bulk approval's preview: bad bodies refused, a recipient refused */
    wt_req(&c, "POST", "/api/v1/programs/kompetens-2026/requisitions/bulk-approve", "[1]", &r);
    assert_int_equal(r.status, 400);
    wt_resp_release(&r);
    wt_req(&c, "POST", "/api/v1/programs/kompetens-2026/requisitions/bulk-approve",
           "{\"selection\":5}", &r);
    assert_int_equal(r.status, 400);
    wt_resp_release(&r);
    wt_req(&c, "POST", "/api/v1/programs/kompetens-2026/requisitions/bulk-approve", "{\"sel", &r);
    assert_int_equal(r.status, 400);
    wt_resp_release(&r);
    c.bearer = tok_om0114;
    assert_int_equal(
        wt_status(&c, "POST", "/api/v1/programs/kompetens-2026/requisitions/bulk-approve", "{}"),
        403);
    c.bearer = tok_hl;
    wt_req(&c, "POST", "/api/v1/programs/kompetens-2026/requisitions/bulk-approve", "{}", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "\"approved\":false"));
    assert_non_null(strstr(r.body.p, "\"case_no\":\"REK-2026-000002\""));
    assert_non_null(strstr(r.body.p, "\"question\":\"Bevilja "));
    wt_resp_release(&r);
    wt_req(&c, "GET", "/api/v1/programs/kompetens-2026/requisitions?state=approved", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "\"approved\":1")); /* as before the preview */
    wt_resp_release(&r);
    wt_client_release(&c);
}

static void test_closed_window(void **state)
{
    (void)state;
    struct wt_client otto;
    struct wt_resp r;
    char keys[400], body[2048];
    assert_int_equal(wt_stop(&server), 0);
    assert_int_equal(start_at("2026-11-01T10:00:00Z"), 0);
    login(&otto, "otto");
    wt_req(&otto, "GET", "/org/1480/rekvisition/kompetens-2026", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "stängde"));
    assert_null(strstr(r.body.p, "value=\"submit\""));
    wt_resp_release(&r);
    form_keys(&otto, "/org/1480/rekvisition/kompetens-2026", keys, sizeof(keys));
    snprintf(body, sizeof(body), "%s%s&confirmed=1&action=submit", keys, fields);
    wt_req(&otto, "POST", "/org/1480/rekvisition/kompetens-2026", body, &r);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body.p, "stängde"));
    wt_resp_release(&r);
    /* nothing stored */
    wt_req(&otto, "GET", "/org/1480/rekvisitioner", NULL, &r);
    assert_non_null(strstr(r.body.p, "Inte påbörjad"));
    wt_resp_release(&r);
    wt_client_release(&otto);
}

/* POST a multipart form with a plan file of the given bytes. */
static long post_plan(struct wt_client *c, const char *path, const char *const *kv,
                      const char *data, size_t len, struct wt_resp *r)
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
    curl_mime_filename(p, "plan.pdf");
    curl_mime_type(p, "application/pdf");
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

static void test_production_plan_upload(void **state)
{
    (void)state;
    struct wt_client rita;
    struct wt_resp r;
    char csrf[65], rev[32], idem[80];
    const char *path = "/org/01/rekvisition/tillganglighet-2026";
    assert_int_equal(wt_stop(&server), 0);
    assert_int_equal(start_at("2026-02-10T10:00:00Z"), 0);
    login(&rita, "rita");
    wt_req(&rita, "GET", path, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "enctype=\"multipart/form-data\""));
    assert_non_null(strstr(r.body.p, "type=\"file\""));
    wt_csrf(r.body.p, csrf);
    hidden(r.body.p, "revision", rev, sizeof(rev));
    hidden(r.body.p, "idem", idem, sizeof(idem));
    wt_resp_release(&r);
    const char *kv[] = {"csrf",
                        csrf,
                        "revision",
                        rev,
                        "idem",
                        idem,
                        "measure.1.purpose",
                        "tillganglighet",
                        "measure.1.description",
                        "Kortare köer",
                        "contact_name",
                        "Rita R",
                        "contact_email",
                        "rita@example.se",
                        "contact_phone",
                        "08-1234567",
                        "account_kind",
                        "bankgiro",
                        "account",
                        "5050-1055",
                        "confirmed",
                        "1",
                        "action",
                        "submit",
                        NULL};
    /* not a PDF or XLSX: told next to the file field */
    static const char text[] = "just some text, not a plan";
    post_plan(&rita, path, kv, text, sizeof(text) - 1, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "id=\"f-plan-err\""));
    wt_resp_release(&r);
    static const char pdf[] = "%PDF-1.4\n% a small plan\n%%EOF\n";
    post_plan(&rita, path, kv, pdf, sizeof(pdf) - 1, &r);
    if (r.status != 303)
        fprintf(stderr, "%s\n", r.body.p ? strstr(r.body.p, "<main") : "");
    assert_int_equal(r.status, 303);
    wt_resp_release(&r);
    wt_client_release(&rita);
    /* the agency sees the plan with the version and downloads it */
    struct wt_client hanna;
    login(&hanna, "hanna");
    wt_req(&hanna, "GET", "/rekvisitioner/REK-2026-000003", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "plan.pdf"));
    assert_non_null(strstr(r.body.p, "/rekvisitioner/REK-2026-000003/plan/1"));
    wt_resp_release(&r);
    wt_req(&hanna, "GET", "/rekvisitioner/REK-2026-000003/plan/1", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body.len, sizeof(pdf) - 1);
    assert_memory_equal(r.body.p, pdf, sizeof(pdf) - 1);
    wt_resp_release(&r);
    wt_client_release(&hanna);
}

/* The selection a bulk approval's preview asks to confirm. */
/* The 64 hex digits of the hidden field NAME in the answer. */
static void hidden_digest(const struct wt_resp *r, const char *name, char out[65])
{
    char field[64];
    snprintf(field, sizeof(field), "name=\"%s\" value=\"", name);
    const char *p = strstr(r->body.p, field);
    assert_non_null(p);
    p += strlen(field);
    assert_true(strlen(p) > 64 && p[64] == '"');
    memcpy(out, p, 64);
    out[64] = '\0';
}

static void bulk_urval(const struct wt_resp *r, char out[65])
{
    hidden_digest(r, "urval", out);
}

static void test_bulk_and_redistribution(void **state)
{
    (void)state;
    struct wt_client hanna;
    struct wt_resp r;
    char csrf[65], body[300], loc[256];
    /* kompetens: the decision provides no redistribution; refused and said */
    assert_int_equal(wt_stop(&server), 0);
    assert_int_equal(start_at("2026-11-03T10:00:00Z"), 0);
    login(&hanna, "hanna");
    wt_csrf_of(&hanna, "/programs/kompetens-2026/rekvisitioner", csrf);
    snprintf(body, sizeof(body), "csrf=%s", csrf);
    wt_req(&hanna, "POST", "/programs/kompetens-2026/omfordelning", body, &r);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body.p, "class=\"error\" role=\"alert\""));
    assert_non_null(strstr(r.body.p, "medger ingen omfördelning"));
    wt_resp_release(&r);
    /* bulk approval of what is complete: first the question and the list,
     * nothing approved */
    char urval[65];
    assert_int_equal(wt_sh("'%s' requisition list kompetens-2026 --db '%s' >'%s/list.before'",
                           wt_bidrag(), wt_db, wt_dir),
                     0);
    snprintf(body, sizeof(body), "csrf=%s&action=bulk", csrf);
    wt_req(&hanna, "POST", "/programs/kompetens-2026/rekvisitioner", body, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Bevilja 1 rekvisitioner, totalt "));
    assert_non_null(strstr(r.body.p, "id=\"bulk-preview\""));
    bulk_urval(&r, urval);
    wt_resp_release(&r);
    assert_int_equal(
        wt_sh("'%s' requisition list kompetens-2026 --db '%s' | cmp -s - '%s/list.before'",
              wt_bidrag(), wt_db, wt_dir),
        0);
    /* a confirmation naming another selection: nothing approved, the
     * selection as it is now shown again */
    snprintf(body, sizeof(body), "csrf=%s&action=bulk&urval=%064d", csrf, 0);
    wt_req(&hanna, "POST", "/programs/kompetens-2026/rekvisitioner", body, &r);
    assert_int_equal(r.status, 409);
    assert_non_null(strstr(r.body.p, "Urvalet har ändrats"));
    assert_non_null(strstr(r.body.p, urval));
    wt_resp_release(&r);
    assert_int_equal(
        wt_sh("'%s' requisition list kompetens-2026 --db '%s' | cmp -s - '%s/list.before'",
              wt_bidrag(), wt_db, wt_dir),
        0);
    {
        /* the API's preview names the same selection (one rule) */
        struct wt_client api;
        char want[100];
        wt_client_init(&api, server.port);
        api.bearer = tok_hl;
        api.extra_header = "Content-Type: application/json";
        wt_req(&api, "POST", "/api/v1/programs/kompetens-2026/requisitions/bulk-approve", "", &r);
        assert_int_equal(r.status, 200);
        snprintf(want, sizeof(want), "\"selection\":\"%s\"", urval);
        assert_non_null(strstr(r.body.p, want));
        wt_resp_release(&r);
        wt_client_release(&api);
    }
    snprintf(body, sizeof(body), "csrf=%s&action=bulk&urval=%s", csrf, urval);
    wt_req(&hanna, "POST", "/programs/kompetens-2026/rekvisitioner", body, &r);
    assert_int_equal(r.status, 303);
    location(&r, loc, sizeof(loc));
    assert_non_null(strstr(loc, "beviljade=1"));
    wt_resp_release(&r);
    wt_req(&hanna, "GET", loc, NULL, &r);
    assert_non_null(strstr(r.body.p, "Beviljade: 1"));
    wt_resp_release(&r);
    wt_client_release(&hanna);

    /* tillgänglighet provides it: refused before its date (21:00 on 16
     * March in Stockholm), then done once */
    assert_int_equal(wt_stop(&server), 0);
    assert_int_equal(start_at("2026-03-16T20:00:00Z"), 0);
    login(&hanna, "hanna");
    wt_csrf_of(&hanna, "/programs/tillganglighet-2026/rekvisitioner", csrf);
    snprintf(body, sizeof(body), "csrf=%s", csrf);
    wt_req(&hanna, "POST", "/programs/tillganglighet-2026/omfordelning", body, &r);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body.p, "tidigast"));
    wt_resp_release(&r);
    wt_client_release(&hanna);
    assert_int_equal(wt_stop(&server), 0);
    assert_int_equal(start_at("2026-03-18T10:00:00Z"), 0);
    login(&hanna, "hanna");
    wt_csrf_of(&hanna, "/programs/tillganglighet-2026/rekvisitioner", csrf);
    snprintf(body, sizeof(body), "csrf=%s&action=bulk", csrf);
    wt_req(&hanna, "POST", "/programs/tillganglighet-2026/rekvisitioner", body, &r);
    assert_int_equal(r.status, 200);
    bulk_urval(&r, urval);
    wt_resp_release(&r);
    {
        /* confirmed through the API: a stale selection is refused with
         * the new preview, the one shown is approved */
        struct wt_client api;
        char json[120];
        wt_client_init(&api, server.port);
        api.bearer = tok_hl;
        api.extra_header = "Content-Type: application/json";
        snprintf(json, sizeof(json), "{\"selection\":\"%064d\"}", 0);
        wt_req(&api, "POST", "/api/v1/programs/tillganglighet-2026/requisitions/bulk-approve", json,
               &r);
        assert_int_equal(r.status, 409);
        assert_non_null(strstr(r.body.p, "{\"error\":{\"code\":\"conflict\""));
        assert_non_null(strstr(r.body.p, urval));
        wt_resp_release(&r);
        snprintf(json, sizeof(json), "{\"selection\":\"%s\"}", urval);
        wt_req(&api, "POST", "/api/v1/programs/tillganglighet-2026/requisitions/bulk-approve", json,
               &r);
        assert_int_equal(r.status, 200);
        assert_non_null(strstr(r.body.p, "\"approved\":true"));
        wt_resp_release(&r);
        wt_client_release(&api);
    }
    /* first the preview: nothing is written until it is confirmed */
    char shown[65], now_shown[65];
    snprintf(body, sizeof(body), "csrf=%s", csrf);
    wt_req(&hanna, "POST", "/programs/tillganglighet-2026/omfordelning", body, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Förhandsgranskning"));
    hidden_digest(&r, "confirm", shown);
    assert_null(strstr(r.body.p, "Omfördelningen är gjord."));
    wt_resp_release(&r);
    /* a confirmation of anything but the preview shown is refused, and the
     * preview as it is now is shown to confirm instead */
    snprintf(body, sizeof(body), "csrf=%s&confirm=%064d", csrf, 0);
    wt_req(&hanna, "POST", "/programs/tillganglighet-2026/omfordelning", body, &r);
    assert_int_equal(r.status, 409);
    assert_non_null(strstr(r.body.p, "Underlaget har ändrats"));
    hidden_digest(&r, "confirm", now_shown);
    assert_string_equal(now_shown, shown);
    wt_resp_release(&r);
    snprintf(body, sizeof(body), "csrf=%s&confirm=%s", csrf, shown);
    wt_req(&hanna, "POST", "/programs/tillganglighet-2026/omfordelning", body, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Omfördelningen är gjord."));
    wt_resp_release(&r);
    /* region 01 did not opt in: nobody takes part, nothing is added, the
     * rest stays unpaid */
    wt_req(&hanna, "GET", "/programs/tillganglighet-2026/beslut", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body.p, "Tilläggsbeslut efter omfördelning"));
    wt_resp_release(&r);
    /* the same confirmation again: the block is done now, so what it
     * named is gone; refused, nothing written, the new preview offered */
    wt_req(&hanna, "POST", "/programs/tillganglighet-2026/omfordelning", body, &r);
    assert_int_equal(r.status, 409);
    assert_non_null(strstr(r.body.p, "gjort tidigare"));
    hidden_digest(&r, "confirm", now_shown);
    assert_string_not_equal(now_shown, shown);
    wt_resp_release(&r);
    /* confirming that one changes nothing */
    snprintf(body, sizeof(body), "csrf=%s&confirm=%s", csrf, now_shown);
    wt_req(&hanna, "POST", "/programs/tillganglighet-2026/omfordelning", body, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "gjort tidigare"));
    wt_resp_release(&r);
    wt_client_release(&hanna);
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' >/dev/null", wt_bidrag(), wt_db), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draft_conflict_and_field_errors),
        cmocka_unit_test(test_submit_idempotent_return_approve),
        cmocka_unit_test(test_api),
        cmocka_unit_test(test_closed_window),
        cmocka_unit_test(test_production_plan_upload),
        cmocka_unit_test(test_bulk_and_redistribution),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
