/* test_web_standin.c - no decisions on stand-in data, over HTTP against a
 * real server (issue 11): kompetens-2026 rests on the fallback population
 * date; its page says so to everybody, an ombud's save is refused with the
 * reason (4xx, nothing written) and the ombud sees no confirm button and
 * is refused the POST; an officer's empty reason is refused next to the
 * field (400); the confirmation shows who, when and why; then the ombud's
 * draft is saved and the form says the amounts rest on stand-in data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "webtest.h"

static struct wt_server server;
static const char pw[] = "standin-losen-2026";
static const char prog_path[] = "/programs/kompetens-2026";
static const char confirm_path[] = "/programs/kompetens-2026/ersattningsuppgifter";
static const char form_path[] = "/org/0180/rekvisition/kompetens-2026";

static void login(struct wt_client *c, const char *user)
{
    wt_client_init(c, server.port);
    assert_int_equal(wt_login(c, user, pw), 303);
}

static int setup(void **state)
{
    (void)state;
    char out[256];
    curl_global_init(CURL_GLOBAL_DEFAULT);
    setenv("BIDRAG_NOW", "2026-04-15T10:00:00Z", 1);
    wt_tmpdir("webstandin");
    wt_capture(out, sizeof(out),
               "'%s' init --db '%s' --quiet --no-demo-accounts --no-confirm-standin", wt_bidrag(),
               wt_db);
    if (wt_user("olle", "Olle Ombud", pw, "ombud@0180") ||
        wt_user("hanna", "Hanna Handläggare", pw, "handlaggare"))
        return -1;
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

static const char fields[] =
    "&amount=&measure.1.purpose=vfu&measure.1.description=Fler+handledare"
    "&measure.1.planned=500000&contact_name=%C3%85sa+%C3%96berg&contact_email=asa%40example.se"
    "&contact_phone=08-123+45+67&account_kind=bankgiro&account=5050-1055";

/* Save the ombud's draft through the form; the response in r. */
static void save_draft(struct wt_client *c, struct wt_resp *r)
{
    char csrf[65], body[1024];
    wt_csrf_of(c, form_path, csrf);
    snprintf(body, sizeof(body), "csrf=%s&revision=0&rows=3%s&action=save", csrf, fields);
    wt_req(c, "POST", form_path, body, r);
}

static void test_standin(void **state)
{
    (void)state;
    struct wt_client olle, hanna;
    struct wt_resp r;
    char csrf[65], body[1024];
    login(&olle, "olle");
    login(&hanna, "hanna");

    /* everybody is told; the ombud gets no button */
    wt_req(&olle, "GET", prog_path, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Ersättningsuppgifter"));
    assert_non_null(strstr(r.body.p, "kan inte rekvireras förrän"));
    assert_null(strstr(r.body.p, "action=\"/programs/kompetens-2026/ersattningsuppgifter\""));
    wt_resp_release(&r);
    /* the form says the amounts rest on stand-in data */
    wt_req(&olle, "GET", form_path, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Beloppen bygger på ersättningsuppgifter"));
    wt_resp_release(&r);

    /* the ombud's draft is refused with the reason: 4xx, nothing stored */
    save_draft(&olle, &r);
    assert_true(r.status >= 400 && r.status < 500);
    assert_non_null(strstr(r.body.p, "kan inte rekvireras ännu"));
    wt_resp_release(&r);
    wt_req(&olle, "GET", "/org/0180/rekvisitioner", NULL, &r);
    assert_null(strstr(r.body.p, "REK-2026-"));
    wt_resp_release(&r);

    /* the ombud cannot confirm */
    wt_csrf_of(&olle, prog_path, csrf);
    snprintf(body, sizeof(body), "csrf=%s&reason=vi+vill+b%%C3%%B6rja", csrf);
    assert_int_equal(wt_status(&olle, "POST", confirm_path, body), 403);

    /* the officer: a button; an empty reason is refused next to the field */
    wt_req(&hanna, "GET", prog_path, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "action=\"/programs/kompetens-2026/ersattningsuppgifter\""));
    wt_resp_release(&r);
    wt_csrf_of(&hanna, prog_path, csrf);
    snprintf(body, sizeof(body), "csrf=%s&reason=+++", csrf);
    wt_req(&hanna, "POST", confirm_path, body, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "id=\"f-standin-reason-err\""));
    assert_non_null(strstr(r.body.p, "Ange varför statsbidraget får öppnas"));
    wt_resp_release(&r);
    /* without the session's token: refused */
    assert_int_equal(wt_status(&hanna, "POST", confirm_path, "reason=x"), 403);

    /* confirmed: who, when and why on the page */
    snprintf(body, sizeof(body),
             "csrf=%s&reason=SCB%%3As+tabell+per+1+november+2025+publiceras+i+februari", csrf);
    wt_req(&hanna, "POST", confirm_path, body, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Bekräftat av hanna 2026-04-15 12:00"));
    assert_non_null(strstr(r.body.p, "SCB:s tabell per 1 november 2025 publiceras i februari"));
    wt_resp_release(&r);
    /* again: a conflict, said on the page */
    wt_req(&hanna, "POST", confirm_path, body, &r);
    assert_int_equal(r.status, 409);
    assert_non_null(strstr(r.body.p, "redan bekräftade"));
    wt_resp_release(&r);
    wt_req(&olle, "GET", prog_path, NULL, &r);
    assert_non_null(strstr(r.body.p, "Bekräftat av hanna"));
    assert_null(strstr(r.body.p, "kan inte rekvireras förrän"));
    wt_resp_release(&r);
    /* in English too */
    wt_req(&olle, "GET", "/programs/kompetens-2026?lang=en", NULL, &r);
    assert_non_null(strstr(r.body.p, "Stand-in data"));
    assert_non_null(strstr(r.body.p, "Confirmed by hanna"));
    wt_resp_release(&r);

    /* now the ombud's draft is saved */
    save_draft(&olle, &r);
    assert_true(r.status == 200 || r.status == 303);
    wt_resp_release(&r);
    wt_req(&olle, "GET", "/org/0180/rekvisitioner", NULL, &r);
    assert_non_null(strstr(r.body.p, "REK-2026-"));
    wt_resp_release(&r);
    wt_client_release(&olle);
    wt_client_release(&hanna);
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' >/dev/null", wt_bidrag(), wt_db), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standin),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
