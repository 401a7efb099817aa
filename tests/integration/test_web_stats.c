/* test_web_stats.c - the statistics pages and API against a real server
 * on a temporary database with a small synthetic statistics store: the
 * table builder and its presets render; a selection gives the same
 * numbers as `bidrag stats table --format csv-codes`; a sum over chosen
 * values outside the table is refused next to its field; the cell limit is
 * stated and enforced before a table is built; saved queries have a
 * stable URL; every download has its content type and signature and a
 * chart is offered only where one can be drawn; the API gives metadata and
 * data in JSON-stat, CSV, PX and XLSX; bad input gives 400, hostile input
 * comes back escaped, and an empty store says so. */
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
    assert_non_null(strstr(r.body.p, "href=\"/statistik/bygg\">Bygg en egen tabell<"));
    assert_non_null(strstr(r.body.p, "Personal efter yrke, region och kön"));
    assert_non_null(strstr(r.body.p, "Legitimerad personal efter region och år"));
    assert_non_null(strstr(r.body.p, "Primärvårdens yrkesgrupper efter region"));
    assert_non_null(strstr(r.body.p, "SYNTETISKA DATA"));
    wt_resp_release(&r);

    static const char *const ids[] = {"bygg",
                                      "yrke-region-kon",
                                      "legitimerade-region",
                                      "legitimerade-yrke-sektor-kon",
                                      "primarvard-region",
                                      "alder-yrke",
                                      "lakare-allmanmedicin"};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        char path[128];
        snprintf(path, sizeof(path), "/statistik/%s", ids[i]);
        wt_req(&c, "GET", path, NULL, &r);
        assert_int_equal(r.status, 200);
        assert_non_null(strstr(r.body.p, "<form method=\"get\" action=\"/statistik/"));
        assert_non_null(strstr(r.body.p, "<table class=\"stats\">"));
        assert_non_null(strstr(r.body.p, ".. = uppgift saknas; . = uppgift kan inte förekomma"));
        assert_non_null(strstr(r.body.p, "SYNTETISKA DATA, inte verkliga personer"));
        assert_non_null(strstr(r.body.p, "cell key method"));
        assert_non_null(strstr(r.body.p, "Tabellen får ha högst 20000 celler"));
        assert_non_null(strstr(r.body.p, "/data.csv?"));
        assert_non_null(strstr(r.body.p, "/data-excel.csv?"));
        assert_non_null(strstr(r.body.p, "action=\"/statistik/spara\""));
        wt_resp_release(&r);
    }
    /* profession × region × sex for one year: the selection stays in the
     * form, the cell count is stated, the stable link is the query */
    wt_req(&c, "GET",
           "/statistik/bygg?place-occupation=rows&place-region=rows&place-sex=cols&senaste=1&"
           "measure=headcount",
           NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "<option value=\"rows\" selected>Rader</option>"));
    assert_non_null(strstr(r.body.p, "<option value=\"cols\" selected>Kolumner</option>"));
    assert_non_null(strstr(r.body.p, "name=\"senaste\" min=\"1\" max=\"200\" value=\"1\""));
    assert_non_null(strstr(r.body.p, "Tabellen har 2508 celler.")); /* 38 × 22 × 3 */
    assert_non_null(strstr(r.body.p, "rows=occupation,region&amp;cols=sex&amp;measure=headcount"
                                     "&amp;year=top(1)"));
    /* a chart cannot show two varying dimensions: none is offered */
    assert_null(strstr(r.body.p, "diagram.svg"));
    wt_resp_release(&r);
    wt_req(&c, "GET", "/statistik/bygg?rows=region&sex=2&year=top(1)", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "/statistik/bygg/diagram.svg?"));
    wt_resp_release(&r);
    /* every logged-in role may read published statistics */
    struct wt_client o;
    login(&o, "s-ombud");
    assert_int_equal(wt_status(&o, "GET", "/statistik/alder-yrke", NULL), 200);
    assert_int_equal(wt_status(&o, "GET", "/statistik/bygg?rows=kommun&year=top(1)", NULL), 200);
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
    compare("/api/v1/stats/bygg/data?rows=region&cols=year&year=2023,2024&sector=region&"
            "licence=lakare&measure=headcount,fte",
            "--rows region --cols year --filter year=2023,year=2024,sector=region,"
            "licence=lakare --measure headcount,fte");
    compare("/api/v1/stats/legitimerade-yrke-sektor-kon/data",
            "--rows licence,sector --cols sex --filter 'year=top(1),licence=members(leg),"
            "licence=leg'");
    size_t small = compare("/api/v1/stats/bygg/data?rows=occupation&cols=ageband&year=2024&"
                           "sex=1&region=09",
                           "--rows occupation --cols ageband --filter "
                           "year=2024,sex=1,region=09 --measure headcount");
    assert_int_equal(small, 0); /* never a published 1 or 2, even in a small region by sex */
    compare("/api/v1/stats/bygg/data?rows=kommun&cols=occupation&year=2024&"
            "kommun=0980,1060,1080,09,10,0000&occupation=kurator,underskoterska,pv",
            "--rows kommun --cols occupation --filter "
            "year=2024,kommun=0980,kommun=1060,kommun=1080,kommun=09,kommun=10,kommun=0000,"
            "occupation=kurator,occupation=underskoterska,occupation=pv --measure headcount");

    /* Riket is one number: the kommun table's and the region table's */
    struct wt_client c;
    struct wt_resp r1, r2;
    wt_client_init(&c, server.port);
    c.bearer = token;
    wt_req(&c, "GET", "/api/v1/stats/bygg/data?rows=kommun&year=2024&kommun=0000&format=csv", NULL,
           &r1);
    wt_req(&c, "GET", "/api/v1/stats/bygg/data?rows=region&year=2024&region=00&format=csv", NULL,
           &r2);
    assert_int_equal(r1.status, 200);
    assert_int_equal(r2.status, 200);
    buf_putc(&r1.body, '\0');
    buf_putc(&r2.body, '\0');
    const char *n1 = strrchr(r1.body.p, ','), *n2 = strrchr(r2.body.p, ',');
    assert_non_null(n1);
    assert_non_null(n2);
    assert_string_equal(n1, n2);
    wt_resp_release(&r1);
    wt_resp_release(&r2);
    wt_client_release(&c);

    /* the page explains the protection */
    login(&c, "s-ana");
    wt_req(&c, "GET",
           "/statistik/alder-yrke?rows=occupation&cols=ageband&year=2024&sex=1&region=09", NULL,
           &r1);
    assert_int_equal(r1.status, 200);
    assert_non_null(strstr(r1.body.p, "kan avvika med högst 4"));
    wt_resp_release(&r1);
    wt_client_release(&c);
}

/* A saved query: POST gives a stable address made from the query; the
 * same query saved again has the same address; the page and the API read
 * it back. */
static void test_saved_query(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    char csrf[65], body[1024];
    login(&c, "s-ombud");
    wt_csrf_of(&c, "/statistik/bygg", csrf);
    assert_true(csrf[0] != '\0');
    snprintf(body, sizeof(body),
             "csrf=%s&namn=L%%C3%%A4kare+per+l%%C3%%A4n&q=rows%%3Dregion%%26cols%%3Dsex%%26"
             "licence%%3Dlakare%%26year%%3Dtop(1)",
             csrf);
    wt_req(&c, "POST", "/statistik/spara", body, &r);
    assert_int_equal(r.status, 303);
    buf_putc(&r.headers, '\0');
    const char *loc = strstr(r.headers.p, "Location: /statistik/q/");
    assert_non_null(loc);
    char id[16] = "";
    assert_int_equal(sscanf(loc, "Location: /statistik/q/%12[0-9a-f]", id), 1);
    assert_int_equal(strlen(id), 12);
    wt_resp_release(&r);
    /* the same query (in its canonical form) saved again: the same id */
    wt_req(&c, "POST", "/statistik/spara", body, &r);
    assert_int_equal(r.status, 303);
    buf_putc(&r.headers, '\0');
    assert_non_null(strstr(r.headers.p, id));
    wt_resp_release(&r);
    char path[128];
    snprintf(path, sizeof(path), "/statistik/q/%s", id);
    wt_req(&c, "GET", path, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "<h1>Läkare per län</h1>"));
    assert_non_null(strstr(r.body.p, "Urval: legitimation läkare"));
    wt_resp_release(&r);
    assert_int_equal(wt_status(&c, "GET", "/statistik/q/000000000000", NULL), 404);
    assert_int_equal(wt_status(&c, "GET", "/statistik/q/..%2f..%2fetc", NULL), 404);
    /* no CSRF token: refused */
    assert_int_equal(wt_status(&c, "POST", "/statistik/spara", "q=rows%3Dregion"), 403);
    /* a query the builder refuses is not kept */
    snprintf(body, sizeof(body), "csrf=%s&q=rows%%3Dregion%%26licence%%3Dlakare,sjukskoterska",
             csrf);
    assert_int_equal(wt_status(&c, "POST", "/statistik/spara", body), 400);
    wt_client_release(&c);
    /* the API reads it */
    wt_client_init(&c, server.port);
    c.bearer = token;
    snprintf(path, sizeof(path), "/api/v1/stats/q/%s", id);
    wt_req(&c, "GET", path, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "\"version\": \"2.0\""));
    wt_resp_release(&r);
    wt_client_release(&c);
}

static void test_api(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    wt_client_init(&c, server.port);
    c.bearer = token;
    wt_req(&c, "GET", "/api/v1/stats", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "\"id\":\"bygg\""));
    assert_non_null(strstr(r.body.p, "\"metadata\":\"/api/v1/stats/bygg/metadata\""));
    assert_non_null(strstr(r.body.p, "\"available\":true"));
    wt_resp_release(&r);
    wt_req(&c, "GET", "/api/v1/stats/bygg/metadata", NULL, &r);
    assert_int_equal(r.status, 200);
    buf_putc(&r.body, '\0');
    json_error_t je;
    json_t *m = json_loads(r.body.p, 0, &je);
    assert_non_null(m);
    assert_int_equal(json_integer_value(json_object_get(m, "cellLimit")), 20000);
    json_t *prot = json_object_get(m, "protection");
    assert_string_equal(json_string_value(json_object_get(prot, "method")), "cell key method");
    assert_int_equal(json_integer_value(json_object_get(prot, "maxNoise")), 4);
    json_t *vars = json_object_get(m, "variables");
    assert_true(json_array_size(vars) >= 9);
    int seen_kommun = 0;
    for (size_t i = 0; i < json_array_size(vars); i++) {
        json_t *v = json_array_get(vars, i);
        if (strcmp(json_string_value(json_object_get(v, "code")), "kommun") != 0)
            continue;
        seen_kommun = 1;
        /* 290 kommuner, 21 regions as groups, Riket */
        assert_int_equal(json_array_size(json_object_get(v, "values")), 290 + 21 + 1);
        assert_int_equal(json_array_size(json_object_get(v, "groups")), 21);
        assert_string_equal(json_string_value(json_object_get(v, "eliminationValue")), "0000");
    }
    assert_true(seen_kommun);
    json_decref(m);
    wt_resp_release(&r);
    static const struct {
        const char *format, *ctype, *start;
        size_t n;
    } f[] = {
        {"json-stat2", "Content-Type: application/json", "{", 1},
        {"csv", "Content-Type: text/csv", "\xEF\xBB\xBF", 3},
        {"csv-excel", "Content-Type: text/csv", "\xEF\xBB\xBF", 3},
        {"px", "Content-Type: application/x-pcaxis", "CHARSET", 7},
        {"xlsx", "Content-Type: application/vnd.openxmlformats", "PK\x03\x04", 4},
    };
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        char path[256];
        snprintf(path, sizeof(path),
                 "/api/v1/stats/bygg/data?rows=region&cols=sex&year=top(1)&measure=fte&format=%s",
                 f[i].format);
        wt_req(&c, "GET", path, NULL, &r);
        assert_int_equal(r.status, 200);
        assert_true(wt_has_header(&r, f[i].ctype));
        assert_true(r.body.len > f[i].n && memcmp(r.body.p, f[i].start, f[i].n) == 0);
        if (strcmp(f[i].format, "csv-excel") == 0) {
            buf_putc(&r.body, '\0');
            assert_non_null(strstr(r.body.p, "region (code);region;"));
            assert_non_null(strstr(r.body.p, ",")); /* decimal comma in FTE */
        }
        wt_resp_release(&r);
    }
    assert_int_equal(wt_status(&c, "GET", "/api/v1/stats/bygg/data?rows=region&format=doc", NULL),
                     400);
    assert_int_equal(wt_status(&c, "GET", "/api/v1/stats/bygg/other", NULL), 404);
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
        {"data.csv", "Content-Type: text/csv", "\xEF\xBB\xBF", 3, "Region Stockholm"},
        {"data-excel.csv", "Content-Type: text/csv", "\xEF\xBB\xBF", 3, ";Region Stockholm;"},
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
        snprintf(path, sizeof(path),
                 "/statistik/legitimerade-region/%s?rows=region&cols=year&"
                 "licence=leg&sex=2",
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
        wt_resp_release(&r);
    }
    /* a chart the table cannot give is a 400; an unknown file a 404 */
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
    wt_req(&c, "GET", "/statistik/bygg?rows=region&region=99", NULL, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(
        r.body.p, "<p class=\"error\" id=\"err-region\">Okänt värde &#39;99&#39; (region)."));
    assert_non_null(strstr(r.body.p, "aria-describedby=\"err-region\""));
    wt_resp_release(&r);
    /* a sum over chosen values outside the table: refused next to its field */
    wt_req(&c, "GET", "/statistik/bygg?rows=kommun&year=top(1)&licence=lakare&licence=psykolog",
           NULL, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "<p class=\"error\" id=\"err-licence\">Välj ett värde"));
    wt_resp_release(&r);
    static const char *const bad[] = {
        "/statistik/bygg?rows=region&year=1999",
        "/statistik/bygg?rows=region&measure=persons",
        "/statistik/bygg?place-region=planet",
        "/statistik/bygg?rows=region,region",
        "/statistik/bygg?rows=nothing",
        "/statistik/bygg?rows=region&threshold=1",
        "/statistik/bygg?rows=region&no-protect=1",
        "/statistik/bygg?rows=region&person=1",
        "/statistik/bygg?rows=region&senaste=0",
        "/statistik/bygg?rows=region&year=%ff",
        "/statistik/bygg?measure=headcount",
        "/statistik/bygg?rows=sex",
        "/statistik/bygg/data.csv?rows=region&region=99",
        "/statistik/bygg/diagram.png?rows=region&sex=3",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        long st = wt_status(&c, "GET", bad[i], NULL);
        if (st != 400) {
            fprintf(stderr, "%s: got %ld\n", bad[i], st);
            fail();
        }
    }
    /* the cell limit, before the table is built */
    wt_req(&c, "GET", "/statistik/bygg?rows=kommun,occupation&cols=year", NULL, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "Tabellen blir för stor"));
    assert_non_null(strstr(r.body.p, "(högst 20000)"));
    wt_resp_release(&r);
    /* hostile input comes back escaped */
    wt_req(&c, "GET",
           "/statistik/bygg?rows=region&region=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27", NULL,
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
    wt_req(&c, "GET", "/api/v1/stats/bygg/data?rows=region&region=99", NULL, &r);
    assert_int_equal(r.status, 400);
    assert_true(wt_has_header(&r, "Content-Type: application/json"));
    assert_non_null(strstr(r.body.p, "{\"error\":{\"code\":\"bad_request\",\"message\":"
                                     "\"unknown value '99' for 'region'\"}}"));
    wt_resp_release(&r);
    wt_req(&c, "GET", "/api/v1/stats/nothing", NULL, &r);
    assert_int_equal(r.status, 404);
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
        cmocka_unit_test(test_saved_query),  cmocka_unit_test(test_api),
        cmocka_unit_test(test_downloads),    cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_empty_store),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
