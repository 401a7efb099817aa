/* test_web_screens.c - the requisition form's keyboard behaviour against
 * a real server: Enter in a text field presses the form's first submit
 * button (HTML's implicit submission), so that button must save the draft
 * and never add a measure row; the start page offers only pages that
 * exist (each card's link answers 200, no card without a link); the
 * agency's queue names the program and the recipients and is searched by
 * name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "webtest.h"

static struct wt_server server;
static const char pw[] = "skarmar-losenord";

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    wt_tmpdir("screens");
    if (wt_sh("'%s' init --db '%s' --quiet --no-demo-accounts >/dev/null", wt_bidrag(), wt_db) != 0)
        return -1;
    if (wt_user("s-ombud", "Olle Ombud", pw, "ombud@0180") != 0 ||
        wt_user("s-ombud2", "Maja Ombud", pw, "ombud@1480") != 0 ||
        wt_user("s-hand", "Hanna Handläggare", pw, "handlaggare") != 0 ||
        wt_user("s-att", "Atte Attestant", pw, "attestant") != 0 ||
        wt_user("s-ana", "Ana Analytiker", pw, "analytiker") != 0 ||
        wt_user("s-gra", "Gun Granskare", pw, "granskare") != 0)
        return -1;
    setenv("BIDRAG_NOW", "2026-04-15T10:00:00Z", 1); /* kompetens-2026 is open */
    if (wt_sh("'%s' requisition submit kompetens-2026 0180 --as s-ombud --key k1 --db '%s' "
              "--set measure.1.purpose=vfu --set 'measure.1.description=Fler handledare' "
              "--set 'contact_name=Olle Ombud' --set contact_email=olle@example.se "
              "--set 'contact_phone=08-508 290 00' --set account_kind=bankgiro "
              "--set account=5050-1055 --set confirmed=1 >/dev/null",
              wt_bidrag(), wt_db) != 0)
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

static void test_enter_saves_not_adds_row(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    wt_client_init(&c, server.port);
    assert_int_equal(wt_login(&c, "s-ombud2", pw), 303);
    wt_req(&c, "GET", "/org/1480/rekvisition/kompetens-2026", NULL, &r);
    assert_int_equal(r.status, 200);
    const char *form = strstr(r.body.p, "<form method=\"post\" action=\"/org/1480/rekvisition/");
    assert_non_null(form);
    const char *first = strstr(form, "type=\"submit\"");
    assert_non_null(first);
    const char *end = strchr(first, '>');
    assert_non_null(end);
    char tag[300];
    snprintf(tag, sizeof(tag), "%.*s", (int)(end - first), first);
    assert_non_null(strstr(tag, "value=\"save\"")); /* Enter saves the draft */
    assert_null(strstr(tag, "addrow"));
    wt_resp_release(&r);
    wt_client_release(&c);
}

/* The recipient's pages name it by its official name (kommuner.csv column
 * namn), in Swedish and in English alike (a proper name): Göteborg's ombud
 * sees "Göteborgs stad", never the short "Göteborg" as its name. */
static void test_official_names(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    wt_client_init(&c, server.port);
    assert_int_equal(wt_login(&c, "s-ombud2", pw), 303);
    static const char *const paths[] = {"/org/1480/rekvisition/kompetens-2026",
                                        "/org/1480/rekvisition/kompetens-2026?lang=en"};
    for (size_t i = 0; i < 2; i++) {
        wt_req(&c, "GET", paths[i], NULL, &r);
        assert_int_equal(r.status, 200);
        if (!strstr(r.body.p, "<dd>1480 Göteborgs stad</dd>")) {
            fprintf(stderr, "%s: no '1480 Göteborgs stad'\n", paths[i]);
            fail();
        }
        assert_null(strstr(r.body.p, "<dd>1480 Göteborg</dd>"));
        wt_resp_release(&r);
    }
    wt_req(&c, "GET", "/start", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Göteborgs stad (1480)"));
    wt_resp_release(&r);
    wt_client_release(&c);
}

/* Every card on a persona's start page is a link, and it answers 200. */
static void test_start_cards_exist(void **state)
{
    (void)state;
    static const char *const who[] = {"s-ombud", "s-hand", "s-att", "s-ana", "s-gra"};
    for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
        struct wt_client c;
        struct wt_resp r;
        wt_client_init(&c, server.port);
        assert_int_equal(wt_login(&c, who[i], pw), 303);
        wt_req(&c, "GET", "/start", NULL, &r);
        assert_int_equal(r.status, 200);
        size_t cards = 0;
        for (const char *p = strstr(r.body.p, "<li class=\"card\">"); p;
             p = strstr(p + 1, "<li class=\"card\">")) {
            cards++;
            const char *h = strstr(p, "<h2><a href=\"");
            const char *close = strstr(p, "</li>");
            if (!h || !close || h > close) {
                fprintf(stderr, "%s: a card without a link\n", who[i]);
                fail();
            }
            h += strlen("<h2><a href=\"");
            char href[200];
            snprintf(href, sizeof(href), "%.*s", (int)(strchr(h, '"') - h), h);
            long st = wt_status(&c, "GET", href, NULL);
            if (st != 200)
                fprintf(stderr, "%s: card %s answers %ld\n", who[i], href, st);
            assert_int_equal(st, 200);
        }
        assert_true(cards > 0);
        assert_null(strstr(r.body.p, "Attestera utbetalningar"));
        assert_null(strstr(r.body.p, "prognoser"));
        assert_null(strstr(r.body.p, "återrapportera"));
        wt_resp_release(&r);
        wt_client_release(&c);
    }
}

/* The agency's queue names the program by its title and every recipient
 * by name, and a search by name, code or case number filters it. */
static void test_queue_names_and_search(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    wt_client_init(&c, server.port);
    assert_int_equal(wt_login(&c, "s-hand", pw), 303);
    wt_req(&c, "GET", "/programs/kompetens-2026/rekvisitioner", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Stärkt kompetensförsörjning i hälso- och sjukvården 2026"));
    /* the official name (kommuner.csv column namn), not "Stockholm kommun" */
    assert_non_null(strstr(r.body.p, "<td>0180 Stockholms stad</td>"));
    wt_resp_release(&r);
    wt_req(&c, "GET", "/programs/kompetens-2026/rekvisitioner?namn=STOCKH", NULL, &r);
    assert_non_null(strstr(r.body.p, "REK-2026-000001"));
    wt_resp_release(&r);
    wt_req(&c, "GET", "/programs/kompetens-2026/rekvisitioner?namn=0180", NULL, &r);
    assert_non_null(strstr(r.body.p, "REK-2026-000001"));
    wt_resp_release(&r);
    wt_req(&c, "GET", "/programs/kompetens-2026/rekvisitioner?namn=Lund", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body.p, "REK-2026-000001"));
    assert_non_null(strstr(r.body.p, "Ingen rekvisition matchar sökningen."));
    wt_resp_release(&r);
    /* the search is outside input: escaped where it is shown */
    wt_req(&c, "GET", "/programs/kompetens-2026/rekvisitioner?namn=%3Cb%3E", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body.p, "<b>"));
    assert_non_null(strstr(r.body.p, "&lt;b&gt;"));
    wt_resp_release(&r);
    wt_client_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enter_saves_not_adds_row),
        cmocka_unit_test(test_official_names),
        cmocka_unit_test(test_start_cards_exist),
        cmocka_unit_test(test_queue_names_and_search),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
