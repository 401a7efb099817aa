/* test_web_stats.c - the statistics pages and API against a real server
 * on a temporary database with a small synthetic statistics store: the
 * pages render, a selection gives the same numbers as `bidrag stats table
 * --format csv-codes`, suppressed cells are marked, every download has its
 * content type and signature, bad input gives 400 with a message next to
 * the field, hostile input comes back escaped, and an empty store says so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>

#include "webtest.h"

static struct wt_server server;
static const char pw[] = "statistik-losenord";
static char token[80];
static char main_db[560];

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    wt_tmpdir("stats");
    snprintf(main_db, sizeof(main_db), "%s", wt_db);
    const char *b = wt_bidrag();
    if (wt_sh("'%s' init --db '%s' --quiet --no-demo-accounts >/dev/null", b, wt_db) != 0)
        return -1;
    if (wt_sh("'%s' stats synth --rows 20000 --years 2020-2024 --seed 1 --out '%s/s.csv' "
              ">/dev/null",
              b, wt_dir) != 0)
        return -1;
    if (wt_sh("'%s' stats import '%s/s.csv' --db '%s' >/dev/null", b, wt_dir, wt_db) != 0)
        return -1;
    if (wt_user("s-ana", "Ana Analys", pw, "analytiker") != 0 ||
        wt_user("s-ombud", "Olle Ombud", pw, "ombud@0180") != 0)
        return -1;
    wt_capture(token, sizeof(token), "'%s' token create s-ana --name t --db '%s'", b, wt_db);
    if (strncmp(token, "bdr_", 4) != 0)
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

static void test_pages_render(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    login(&c, "s-ana");
    wt_req(&c, "GET", "/statistik", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "href=\"/statistik\" aria-current=\"page\">Statistik<"));
    assert_non_null(strstr(r.body.p, "Legitimerad personal efter region och år"));
    assert_non_null(strstr(r.body.p, "Legitimerad personal efter yrke, sektor och kön"));
    assert_non_null(strstr(r.body.p, "Primärvårdens yrkesgrupper efter region"));
    assert_non_null(strstr(r.body.p, "Åldersstruktur per yrke"));
    assert_non_null(strstr(r.body.p, "SYNTETISKA DATA"));
    wt_resp_release(&r);

    static const char *const ids[] = {"legitimerade-region", "legitimerade-yrke-sektor-kon",
                                      "primarvard-region", "alder-yrke"};
    for (size_t i = 0; i < 4; i++) {
        char path[128];
        snprintf(path, sizeof(path), "/statistik/%s", ids[i]);
        wt_req(&c, "GET", path, NULL, &r);
        assert_int_equal(r.status, 200);
        assert_non_null(strstr(r.body.p, "<form method=\"get\" action=\"/statistik/"));
        assert_non_null(strstr(r.body.p, "<table class=\"stats\">"));
        assert_non_null(strstr(r.body.p, ".. = uppgift saknas; . = ej tillämpligt"));
        assert_non_null(strstr(r.body.p, "SYNTETISKA DATA, inte verkliga personer"));
        assert_non_null(strstr(r.body.p, "cell key method"));
        assert_non_null(strstr(r.body.p, "/data.csv?"));
        assert_non_null(strstr(r.body.p, "/diagram.png?"));
        wt_resp_release(&r);
    }
    /* a selection keeps its choices in the form and the links */
    wt_req(&c, "GET", "/statistik/legitimerade-region?level=riket&year=2023&measure=fte", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "name=\"year\" value=\"2023\" checked>"));
    assert_non_null(strstr(r.body.p, "name=\"measure\" value=\"fte\" checked>"));
    assert_non_null(strstr(r.body.p,
                           "/statistik/legitimerade-region/data.xlsx?level=riket&amp;measure=fte"
                           "&amp;year=2023&amp;licence=apotekare&amp;"));
    wt_resp_release(&r);
    /* every logged-in role may read published statistics */
    struct wt_client o;
    login(&o, "s-ombud");
    assert_int_equal(wt_status(&o, "GET", "/statistik/alder-yrke", NULL), 200);
    wt_client_release(&o);
    wt_client_release(&c);
    /* and nobody without a login */
    wt_client_init(&c, server.port);
    assert_int_equal(wt_status(&c, "GET", "/statistik", NULL), 303);
    assert_int_equal(wt_status(&c, "GET", "/statistik/alder-yrke/data.csv", NULL), 303);
    wt_client_release(&c);
}

/* Read the whole of a file into b. */
static void slurp(const char *path, struct buf *b)
{
    buf_init(b, 16 << 20);
    assert_int_equal(buf_read_file(b, path), ERR_OK);
    buf_putc(b, '\0');
}

/* The API's JSON-stat values equal the CLI's csv-codes for one selection,
 * cell by cell (both row-major over the same dimensions). Returns the
 * number of published values of 1 or 2 (which the protection never
 * publishes). */
static size_t compare(const char *api_path, const char *cli_args)
{
    struct wt_client c;
    struct wt_resp r;
    wt_client_init(&c, server.port);
    c.bearer = token;
    wt_req(&c, "GET", api_path, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_true(wt_has_header(&r, "Content-Type: application/json"));
    json_error_t je;
    buf_putc(&r.body, '\0');
    json_t *root = json_loads(r.body.p, 0, &je);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "version")), "2.0");
    json_t *vals = json_object_get(root, "value");
    assert_true(json_is_array(vals));

    char out[700];
    snprintf(out, sizeof(out), "%s/cli.csv", wt_dir);
    assert_int_equal(wt_sh("'%s' stats table %s --format csv-codes --out '%s' --db '%s' "
                           "2>/dev/null",
                           wt_bidrag(), cli_args, out, main_db),
                     0);
    struct buf csv;
    slurp(out, &csv);
    size_t cell = 0, suppressed = 0;
    char *line = strchr(csv.p, '\n'); /* skip the header */
    assert_non_null(line);
    line++;
    /* the measure columns are the last ones; count them from the header */
    size_t nmeas = 0;
    {
        char *hdr_end = line - 1;
        *hdr_end = '\0';
        for (const char *m = csv.p; m && *m; m = strchr(m, ','), m = m ? m + 1 : NULL)
            nmeas +=
                !strncmp(m, "headcount", 9) || !strncmp(m, "fte", 3) || !strncmp(m, "per100k", 7);
    }
    assert_true(nmeas >= 1);
    while (*line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        /* the last nmeas fields */
        const char *f[8];
        size_t nf = 0;
        for (char *p = line + strlen(line); nf < nmeas && p > line; p--)
            if (p[-1] == ',') {
                f[nmeas - 1 - nf++] = p;
                p[-1] = '\0';
            }
        assert_int_equal(nf, nmeas);
        for (size_t k = 0; k < nmeas; k++, cell++) {
            json_t *v = json_array_get(vals, cell);
            if (strcmp(f[k], "x") == 0 || strcmp(f[k], "..") == 0) {
                assert_true(json_is_null(v));
            } else {
                assert_true(json_is_number(v));
                double want = strtod(f[k], NULL);
                suppressed += k == 0 && (want == 1 || want == 2);
                double got = json_number_value(v);
                if (got - want > 0.005 || want - got > 0.005) {
                    fprintf(stderr, "cell %zu: api %g, cli %s\n", cell, got, f[k]);
                    fail();
                }
            }
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    assert_int_equal(cell, json_array_size(vals));
    assert_true(cell > 0);
    buf_release(&csv);
    json_decref(root);
    wt_resp_release(&r);
    wt_client_release(&c);
    return suppressed;
}

static void test_same_numbers_as_cli(void **state)
{
    (void)state;
    compare("/api/v1/stats/legitimerade-region?level=region&year=2023&year=2024&sector=region&"
            "licence=lakare&measure=headcount&measure=fte",
            "--rows region --cols year --filter year=2023,year=2024,sector=region,"
            "licence=lakare --measure headcount,fte");
    /* a table about licensed personnel leaves out the unlicensed when no licence is given */
    compare("/api/v1/stats/legitimerade-yrke-sektor-kon?sex=2",
            "--rows year,licence,sector --cols sex --filter year=2024,sex=2,licence=apotekare,"
            "licence=arbetsterapeut,licence=audionom,licence=barnmorska,"
            "licence=biomedicinsk-analytiker,licence=dietist,licence=fysioterapeut,"
            "licence=hs-kurator,licence=kiropraktor,licence=logoped,licence=lakare,"
            "licence=naprapat,licence=optiker,licence=ortopedingenjor,licence=psykolog,"
            "licence=psykoterapeut,licence=receptarie,licence=rontgensjukskoterska,"
            "licence=sjukhusfysiker,licence=sjukskoterska,licence=tandhygienist,"
            "licence=tandlakare,licence=leg,sex=total");
    size_t small = compare("/api/v1/stats/alder-yrke?year=2024&sex=1&region=09",
                           "--rows year,occupation --cols ageband --filter "
                           "year=2024,sex=1,region=09 --measure headcount");
    assert_int_equal(small, 0); /* never a published 1 or 2, even in a small region by sex */
    compare("/api/v1/stats/primarvard-region?level=kommun&year=2024&region=09&region=10&"
            "occupation=underskoterska&occupation=kurator",
            "--rows year,kommun --cols occupation --filter "
            "year=2024,kommun=0980,kommun=1060,kommun=1080,kommun=1081,kommun=1082,kommun=1083,"
            "kommun=09,kommun=10,occupation=kurator,occupation=underskoterska,occupation=pv "
            "--measure headcount");

    /* the page explains the protection */
    struct wt_client c;
    struct wt_resp r;
    login(&c, "s-ana");
    wt_req(&c, "GET", "/statistik/alder-yrke?year=2024&sex=1&region=09", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "kan avvika med högst 4"));
    wt_resp_release(&r);
    wt_client_release(&c);
}

static void test_downloads(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *ctype;
        const char *start;
        size_t n;
        const char *also;
    } dl[] = {
        {"data.csv", "Content-Type: text/csv", "\xEF\xBB\xBF", 3, NULL},
        {"data.xlsx", "Content-Type: application/vnd.openxmlformats", "PK\x03\x04", 4, NULL},
        {"data.px", "Content-Type: application/x-pcaxis", "CHARSET", 7, "AXIS-VERSION"},
        {"data.json", "Content-Type: application/json", "{", 1, "\"version\": \"2.0\""},
        {"diagram.svg", "Content-Type: image/svg+xml", "<?xml", 5, "<svg"},
        {"diagram.png", "Content-Type: image/png", "\x89PNG\r\n\x1a\n", 8, NULL},
    };
    struct wt_client c;
    login(&c, "s-ana");
    for (size_t i = 0; i < sizeof(dl) / sizeof(dl[0]); i++) {
        char path[256];
        struct wt_resp r;
        snprintf(path, sizeof(path), "/statistik/legitimerade-region/%s?level=region&year=2024",
                 dl[i].file);
        wt_req(&c, "GET", path, NULL, &r);
        if (r.status != 200 || !wt_has_header(&r, dl[i].ctype) || r.body.len < dl[i].n ||
            memcmp(r.body.p, dl[i].start, dl[i].n) != 0) {
            fprintf(stderr, "%s: status %ld, %zu bytes\n%.300s\n", dl[i].file, r.status, r.body.len,
                    r.headers.p);
            fail();
        }
        assert_true(wt_has_header(&r, "Content-Disposition: attachment"));
        if (dl[i].also) {
            buf_putc(&r.body, '\0');
            assert_non_null(strstr(r.body.p, dl[i].also));
        }
        if (i == 0) {
            buf_putc(&r.body, '\0');
            assert_non_null(strstr(r.body.p, "Region Stockholm"));
        }
        wt_resp_release(&r);
    }
    /* the chart over the years (lines) */
    assert_int_equal(wt_status(&c, "GET", "/statistik/legitimerade-region/diagram.svg", NULL), 200);
    /* a chart of several measures shows the first; a table the chart cannot show is a 400 */
    assert_int_equal(
        wt_status(&c, "GET", "/statistik/legitimerade-yrke-sektor-kon/diagram.png", NULL), 400);
    assert_int_equal(wt_status(&c, "GET", "/statistik/legitimerade-region/data.exe", NULL), 404);
    wt_client_release(&c);
}

static void test_bad_input(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    login(&c, "s-ana");
    wt_req(&c, "GET", "/statistik/legitimerade-region?region=99", NULL, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(
        r.body.p, "<p class=\"error\" id=\"err-region\">Okänt värde &#39;99&#39; (region)."));
    assert_non_null(strstr(r.body.p, "aria-describedby=\"err-region\""));
    wt_resp_release(&r);
    static const char *const bad[] = {
        "/statistik/legitimerade-region?year=1999",
        "/statistik/legitimerade-region?measure=persons",
        "/statistik/legitimerade-region?level=planet",
        "/statistik/alder-yrke?level=kommun",
        "/statistik/legitimerade-region?threshold=1",
        "/statistik/legitimerade-region?no-suppress=1",
        "/statistik/legitimerade-region?person=1",
        "/statistik/legitimerade-region?specialty=allm%C3%A4nmedicin",
        "/statistik/legitimerade-region?year=%ff",
        "/statistik/"
        "primarvard-region?level=kommun&measure=fte&year=2023&year=2024&measure=per100k&measure="
        "headcount",
        "/statistik/legitimerade-region/data.csv?region=99",
        "/statistik/legitimerade-region/diagram.png?sex=3",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        long st = wt_status(&c, "GET", bad[i], NULL);
        if (st != 400) {
            fprintf(stderr, "%s: got %ld\n", bad[i], st);
            fail();
        }
    }
    wt_req(&c, "GET",
           "/statistik/primarvard-region?level=kommun&year=2020&year=2021&year=2022&year=2023&"
           "year=2024",
           NULL, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "Tabellen blir för stor"));
    wt_resp_release(&r);
    /* hostile input comes back escaped */
    wt_req(&c, "GET",
           "/statistik/legitimerade-region?region=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27", NULL,
           &r);
    assert_int_equal(r.status, 400);
    assert_null(strstr(r.body.p, "<script>"));
    assert_non_null(strstr(r.body.p, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;"));
    wt_resp_release(&r);
    assert_int_equal(wt_status(&c, "GET", "/statistik/no-such-table", NULL), 404);
    wt_client_release(&c);

    /* the API answers in JSON */
    wt_client_init(&c, server.port);
    c.bearer = token;
    wt_req(&c, "GET", "/api/v1/stats/legitimerade-region?region=99", NULL, &r);
    assert_int_equal(r.status, 400);
    assert_true(wt_has_header(&r, "Content-Type: application/json"));
    assert_non_null(strstr(r.body.p, "{\"error\":{\"code\":\"bad_request\",\"message\":"
                                     "\"unknown value '99' for 'region'\"}}"));
    wt_resp_release(&r);
    wt_req(&c, "GET", "/api/v1/stats/nothing", NULL, &r);
    assert_int_equal(r.status, 404);
    wt_resp_release(&r);
    wt_req(&c, "GET", "/api/v1/stats", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "\"id\":\"legitimerade-region\""));
    assert_non_null(strstr(r.body.p, "\"available\":true"));
    wt_resp_release(&r);
    wt_client_release(&c);
}

/* A database without a statistics store: the pages say how to import. */
static void test_empty_store(void **state)
{
    (void)state;
    char saved[560];
    snprintf(saved, sizeof(saved), "%s", wt_db);
    char sub[600];
    snprintf(sub, sizeof(sub), "%s/empty", wt_dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(wt_db, sizeof(wt_db), "%s/empty/b.db", wt_dir);
    assert_int_equal(
        wt_sh("'%s' init --db '%s' --quiet --no-demo-accounts >/dev/null", wt_bidrag(), wt_db), 0);
    assert_int_equal(wt_user("e-ana", "E", pw, "analytiker"), 0);
    struct wt_server sv;
    assert_int_equal(wt_start(&sv, NULL), 0);
    struct wt_client c;
    struct wt_resp r;
    wt_client_init(&c, sv.port);
    assert_int_equal(wt_login(&c, "e-ana", pw), 303);
    wt_req(&c, "GET", "/statistik", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Det finns ingen statistik inläst ännu."));
    assert_non_null(strstr(r.body.p, "bidrag stats import"));
    wt_resp_release(&r);
    wt_req(&c, "GET", "/statistik/alder-yrke", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "bidrag stats import"));
    wt_resp_release(&r);
    assert_int_equal(wt_status(&c, "GET", "/statistik/alder-yrke/data.csv", NULL), 404);
    wt_client_release(&c);
    assert_int_equal(wt_stop(&sv), 0);
    snprintf(wt_db, sizeof(wt_db), "%s", saved);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_render), cmocka_unit_test(test_same_numbers_as_cli),
        cmocka_unit_test(test_downloads),    cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_empty_store),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
