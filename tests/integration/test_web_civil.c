/* test_web_civil.c - one civil date everywhere: the server's clock stood
 * on both sides of midnight (CET, 30-31 October 2026) and of a summer-time
 * night (CEST, 29-30 March 2026), and every page and API resource that
 * shows "today" or a requisition window must give the Stockholm answer:
 * the start page's date, the program list, the program page, the
 * organisation page, the requisition overview, the requisition form and
 * the JSON overview. (Before util/civil.h, three of them used the UTC
 * date and disagreed with the others for an hour or two every night.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "webtest.h"

static const char pw[] = "ett-langt-losenord";
static char token[128];

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    wt_tmpdir("civil");
    char out[256];
    if (wt_capture(out, sizeof(out), "'%s' init --db '%s' --quiet --no-demo-accounts", wt_bidrag(),
                   wt_db) != 0)
        return -1;
    /* a program whose window closes on the night summer time began */
    const char *src = getenv("BIDRAG_SRC");
    if (wt_sh("sed -e 's/^id = kompetens-2026/id = civil-dst/' "
              "-e 's/^requisition_closes = .*/requisition_closes = 2026-03-29/' "
              "-e 's/^redistribution_date = .*/redistribution_date = 2026-03-30/' "
              "'%s/data/programs/kompetens-2026.ini' >'%s/civil-dst.ini' && "
              "'%s' program load '%s/civil-dst.ini' --db '%s' >/dev/null",
              src ? src : "..", wt_dir, wt_bidrag(), wt_dir, wt_db) != 0)
        return -1;
    if (wt_user("olle", "Olle Ombud", pw, "ombud@0180"))
        return -1;
    if (wt_capture(token, sizeof(token), "'%s' token create olle --name t --org 0180 --db '%s'",
                   wt_bidrag(), wt_db) != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    curl_global_cleanup();
    wt_cleanup();
    return 0;
}

/* The text of the table row that links to href, tags removed. */
static void row_text(const char *html, const char *href, char *out, size_t n)
{
    out[0] = '\0';
    const char *p = strstr(html, href);
    assert_non_null(p);
    const char *end = strstr(p, "</tr>");
    assert_non_null(end);
    size_t k = 0;
    int tag = 0;
    for (; p < end && k + 1 < n; p++) {
        if (*p == '<')
            tag = 1;
        else if (*p == '>')
            tag = 0;
        else if (!tag)
            out[k++] = *p;
    }
    out[k] = '\0';
}

/* The <dd> after "Tid kvar att rekvirera". */
static void window_dd(const char *html, char *out, size_t n)
{
    const char *p = strstr(html, "<dt>Tid kvar att rekvirera</dt><dd>");
    assert_non_null(p);
    p += strlen("<dt>Tid kvar att rekvirera</dt><dd>");
    const char *end = strstr(p, "</dd>");
    assert_non_null(end);
    snprintf(out, n, "%.*s", (int)(end - p), p);
}

struct instant {
    const char *now;     /* the server's clock, UTC */
    const char *program; /* the program whose window is checked */
    const char *today;   /* the start page's date, Stockholm */
    int open;            /* 1: last day of the window; 0: closed */
};

static void check_instant(const struct instant *in)
{
    struct wt_server sv;
    setenv("BIDRAG_NOW", in->now, 1);
    int rc = wt_start(&sv, NULL);
    unsetenv("BIDRAG_NOW");
    assert_int_equal(rc, 0);
    struct wt_client c;
    struct wt_resp r;
    char text[2048], href[128], want[128];
    const char *state = in->open ? "Sista dagen i dag" : "Stängd";
    wt_client_init(&c, sv.port);
    assert_int_equal(wt_login(&c, "olle", pw), 303);

    wt_req(&c, "GET", "/start", NULL, &r);
    snprintf(want, sizeof(want), "I dag är det %s.", in->today);
    if (!strstr(r.body.p, want))
        fail_msg("%s: /start does not say '%s'", in->now, want);
    wt_resp_release(&r);

    snprintf(href, sizeof(href), "href=\"/programs/%s\"", in->program);
    const char *lists[] = {"/programs", "/org/0180"};
    for (size_t i = 0; i < 2; i++) {
        wt_req(&c, "GET", lists[i], NULL, &r);
        assert_int_equal(r.status, 200);
        row_text(r.body.p, href, text, sizeof(text));
        if (!strstr(text, state))
            fail_msg("%s: %s says '%s', want '%s'", in->now, lists[i], text, state);
        wt_resp_release(&r);
    }

    wt_req(&c, "GET", "/org/0180/rekvisitioner", NULL, &r);
    snprintf(href, sizeof(href), "href=\"/org/0180/rekvisition/%s\"", in->program);
    row_text(r.body.p, href, text, sizeof(text));
    if (!strstr(text, state))
        fail_msg("%s: the overview says '%s', want '%s'", in->now, text, state);
    wt_resp_release(&r);

    char path[128];
    snprintf(path, sizeof(path), "/programs/%s", in->program);
    wt_req(&c, "GET", path, NULL, &r);
    window_dd(r.body.p, text, sizeof(text));
    if (!strstr(text, state))
        fail_msg("%s: %s says '%s', want '%s'", in->now, path, text, state);
    wt_resp_release(&r);

    snprintf(path, sizeof(path), "/org/0180/rekvisition/%s", in->program);
    wt_req(&c, "GET", path, NULL, &r);
    window_dd(r.body.p, text, sizeof(text));
    if (!strstr(text, state))
        fail_msg("%s: %s says '%s', want '%s'", in->now, path, text, state);
    if (in->open != (strstr(r.body.p, "Rekvisitionen stängde") == NULL))
        fail_msg("%s: the form's closed notice disagrees", in->now);
    wt_resp_release(&r);
    wt_client_release(&c);

    wt_client_init(&c, sv.port);
    c.bearer = token;
    wt_req(&c, "GET", "/api/v1/org/0180/requisitions", NULL, &r);
    assert_int_equal(r.status, 200);
    json_error_t je;
    json_t *root = json_loads(r.body.p, 0, &je);
    assert_non_null(root);
    json_t *items = json_object_get(root, "requisitions");
    assert_true(json_is_array(items));
    int seen = 0;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *p = json_string_value(json_object_get(it, "program"));
        if (p && strcmp(p, in->program) == 0) {
            seen = 1;
            if (json_is_true(json_object_get(it, "window_open")) != in->open)
                fail_msg("%s: the API says window_open=%d", in->now, !in->open);
        }
    }
    assert_true(seen);
    json_decref(root);
    wt_resp_release(&r);
    wt_client_release(&c);
    assert_int_equal(wt_stop(&sv), 0);
}

static void test_midnight_cet(void **state)
{
    (void)state;
    /* 23:30 on 30 October (CET): the last day; 00:30 on the 31st: closed */
    const struct instant a = {"2026-10-30T22:30:00Z", "kompetens-2026", "30 oktober 2026", 1};
    const struct instant b = {"2026-10-30T23:30:00Z", "kompetens-2026", "31 oktober 2026", 0};
    check_instant(&a);
    check_instant(&b);
}

static void test_midnight_summer_time(void **state)
{
    (void)state;
    /* the night after summer time began: 23:30 CEST on 29 March is 21:30
     * UTC, 00:30 CEST on the 30th is still the 29th in UTC */
    const struct instant a = {"2026-03-29T21:30:00Z", "civil-dst", "29 mars 2026", 1};
    const struct instant b = {"2026-03-29T22:30:00Z", "civil-dst", "30 mars 2026", 0};
    check_instant(&a);
    check_instant(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_midnight_cet),
        cmocka_unit_test(test_midnight_summer_time),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
