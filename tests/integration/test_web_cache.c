/* test_web_cache.c - ETag, If-None-Match and gzip on the large tables and
 * downloads (routes flagged WEB_CACHE) against a real server: a 200
 * carries an ETag, Vary and "private, no-cache"; the same ETag back gives
 * a 304 with no body, another one the full body; a gzip answer inflates
 * byte for byte to the plain one; each change an allocation depends on
 * (a population series, a metric, the program reloaded) gives a new ETag
 * at once and the old one no 304; one person's ETag of a personal page
 * gets another person no 304; pages that are not flagged keep no-store;
 * after a statistics import and a series import the running server
 * answers byte for byte as a fresh one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <strings.h>
#include <cmocka.h>
#include <zlib.h>

#include "webtest.h"

static struct wt_server server;
static const char pw[] = "cache-losenord-1";
static char token[80];
static char prog[600], pop[600], met[600];

/* A program on the regioner: population and a metric. */
static int write_program(long long total)
{
    char text[600];
    snprintf(text, sizeof(text),
             "[program]\nid = vy\ntitle = Vy\ndiarienummer = S1\ntotal = %lld\n"
             "[block 1]\nrecipients = regioner\namount = %lld\nkey = population\n"
             "population_date = 2024-12-31\n"
             "[block 2]\nrecipients = regioner\namount = 1000\nkey = metric\nmetric = vikt\n",
             total + 1000, total);
    FILE *f = fopen(prog, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* code,value for every region: Stockholm's (01) one value, the others another. */
static int write_regions(const char *path, long long stockholm, long long other)
{
    char k[600], line[512];
    const char *src = getenv("BIDRAG_SRC");
    snprintf(k, sizeof(k), "%s/data/reference/regioner.csv", src ? src : ".");
    FILE *in = fopen(k, "r");
    FILE *out = fopen(path, "w");
    if (!in || !out) {
        if (in)
            fclose(in);
        if (out)
            fclose(out);
        return -1;
    }
    fprintf(out, "code,value\n");
    int first = 1;
    while (fgets(line, sizeof(line), in)) {
        size_t len = strcspn(line, ",");
        if (first || len == 0 || len >= 8) {
            first = 0;
            continue;
        }
        line[len] = '\0';
        fprintf(out, "%s,%lld\n", line, strcmp(line, "01") == 0 ? stockholm : other);
    }
    fclose(in);
    return fclose(out);
}

static int import_population(long long stockholm)
{
    if (write_regions(pop, stockholm, 1000) != 0)
        return -1;
    return wt_sh("'%s' population import '%s' --date 2024-12-31 --db '%s' >/dev/null", wt_bidrag(),
                 pop, wt_db);
}

static int import_metric(long long stockholm)
{
    if (write_regions(met, stockholm, 10) != 0)
        return -1;
    return wt_sh("'%s' metric import '%s' --name vikt --db '%s' >/dev/null", wt_bidrag(), met,
                 wt_db);
}

static int load_program(long long total)
{
    if (write_program(total) != 0)
        return -1;
    return wt_sh("'%s' program load '%s' --db '%s' >/dev/null", wt_bidrag(), prog, wt_db);
}

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    wt_tmpdir("cache");
    snprintf(prog, sizeof(prog), "%s/vy.ini", wt_dir);
    snprintf(pop, sizeof(pop), "%s/pop.csv", wt_dir);
    snprintf(met, sizeof(met), "%s/vikt.csv", wt_dir);
    const char *b = wt_bidrag();
    if (wt_sh("'%s' init --db '%s' --quiet --no-demo-accounts >/dev/null", b, wt_db) != 0)
        return -1;
    if (import_population(5000) != 0 || import_metric(20) != 0 || load_program(1000000) != 0)
        return -1;
    if (wt_sh("'%s' stats synth --rows 3000 --years 2023-2024 --seed 1 --out '%s/s.csv' "
              ">/dev/null",
              b, wt_dir) != 0 ||
        wt_sh("'%s' stats import '%s/s.csv' --db '%s' >/dev/null", b, wt_dir, wt_db) != 0)
        return -1;
    if (wt_user("c-hand", "Hanna Handlaggare", pw, "handlaggare") != 0 ||
        wt_user("c-gran", "Gunnar Granskare", pw, "handlaggare") != 0)
        return -1;
    wt_capture(token, sizeof(token), "'%s' token create c-hand --name t --db '%s'", b, wt_db);
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

/* The value of a response header (case-insensitive name), "" if absent. */
static void header(const struct wt_resp *r, const char *name, char *out, size_t n)
{
    size_t len = strlen(name);
    out[0] = '\0';
    for (const char *p = r->headers.p; p && *p;) {
        const char *eol = strchr(p, '\n');
        if (strncasecmp(p, name, len) == 0 && p[len] == ':') {
            const char *v = p + len + 1;
            while (*v == ' ')
                v++;
            size_t m = eol ? (size_t)(eol - v) : strlen(v);
            while (m > 0 && (v[m - 1] == '\r' || v[m - 1] == ' '))
                m--;
            if (m >= n)
                m = n - 1;
            memcpy(out, v, m);
            out[m] = '\0';
        }
        if (!eol)
            break;
        p = eol + 1;
    }
}

/* GET path with extra request headers (each "Name: value", NULL ends). */
static void get(struct wt_client *c, const char *path, struct wt_resp *r, const char *h1,
                const char *h2)
{
    struct curl_slist *hl = NULL;
    char auth[200];
    if (c->bearer) {
        snprintf(auth, sizeof(auth), "Authorization: Bearer %s", c->bearer);
        hl = curl_slist_append(hl, auth);
    }
    if (h1)
        hl = curl_slist_append(hl, h1);
    if (h2)
        hl = curl_slist_append(hl, h2);
    const char *bearer = c->bearer;
    c->bearer = NULL;
    char url[1024];
    buf_init(&r->body, 16 << 20);
    buf_init(&r->headers, 1 << 20);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", c->port, path);
    curl_easy_setopt(c->curl, CURLOPT_URL, url);
    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, wt_write);
    curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, wt_write);
    curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &r->headers);
    curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hl);
    r->status = 0;
    if (curl_easy_perform(c->curl) == CURLE_OK)
        curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(hl);
    c->bearer = bearer;
}

static void login(struct wt_client *c, const char *who)
{
    wt_client_init(c, server.port);
    assert_int_equal(wt_login(c, who, pw), 303);
}

/* The ETag of path now (a 200 with one). */
static void etag_of(struct wt_client *c, const char *path, char *tag, size_t n)
{
    struct wt_resp r;
    get(c, path, &r, NULL, NULL);
    assert_int_equal(r.status, 200);
    header(&r, "ETag", tag, n);
    assert_true(strlen(tag) > 2);
    wt_resp_release(&r);
}

static long status_with(struct wt_client *c, const char *path, const char *inm)
{
    char h[512];
    struct wt_resp r;
    snprintf(h, sizeof(h), "If-None-Match: %s", inm);
    get(c, path, &r, h, NULL);
    long st = r.status;
    if (st == 304)
        assert_int_equal(r.body.len, 0);
    wt_resp_release(&r);
    return st;
}

/* Plain, 304 and gzip for one path. */
static void check_path(struct wt_client *c, const char *path)
{
    struct wt_resp plain, again, gz, q0;
    char tag[80], v[200], h[300];
    get(c, path, &plain, NULL, NULL);
    assert_int_equal(plain.status, 200);
    assert_true(plain.body.len > 0);
    header(&plain, "ETag", tag, sizeof(tag));
    assert_true(tag[0] == '"' && strlen(tag) > 10);
    header(&plain, "Vary", v, sizeof(v));
    assert_string_equal(v, "Accept-Encoding");
    header(&plain, "Cache-Control", v, sizeof(v));
    assert_string_equal(v, "private, no-cache");
    header(&plain, "Content-Encoding", v, sizeof(v));
    assert_string_equal(v, "");
    /* the same tag: 304, no body; weak, in a list, or '*' too */
    assert_int_equal(status_with(c, path, tag), 304);
    snprintf(h, sizeof(h), "\"nope\", W/%s", tag);
    assert_int_equal(status_with(c, path, h), 304);
    assert_int_equal(status_with(c, path, "*"), 304);
    /* another tag: the full body again, the same bytes */
    snprintf(h, sizeof(h), "If-None-Match: \"0%s", tag + 1);
    get(c, path, &again, h, NULL);
    assert_int_equal(again.status, 200);
    assert_int_equal(again.body.len, plain.body.len);
    assert_memory_equal(again.body.p, plain.body.p, plain.body.len);
    wt_resp_release(&again);
    /* gzip: inflates to the very same bytes, under a tag of its own */
    get(c, path, &gz, "Accept-Encoding: gzip, deflate", NULL);
    assert_int_equal(gz.status, 200);
    header(&gz, "Content-Encoding", v, sizeof(v));
    if (plain.body.len >= 1000) {
        assert_string_equal(v, "gzip");
        assert_true(gz.body.len < plain.body.len);
        char *out = malloc(plain.body.len + 1);
        assert_non_null(out);
        z_stream z;
        memset(&z, 0, sizeof(z));
        assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
        z.next_in = (Bytef *)gz.body.p;
        z.avail_in = (uInt)gz.body.len;
        z.next_out = (Bytef *)out;
        z.avail_out = (uInt)plain.body.len + 1;
        assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
        assert_int_equal(z.total_out, plain.body.len);
        assert_memory_equal(out, plain.body.p, plain.body.len);
        inflateEnd(&z);
        free(out);
        char gtag[80];
        header(&gz, "ETag", gtag, sizeof(gtag));
        assert_string_not_equal(gtag, tag);
        header(&gz, "Vary", v, sizeof(v));
        assert_string_equal(v, "Accept-Encoding");
        assert_int_equal(status_with(c, path, gtag), 304);
    }
    wt_resp_release(&gz);
    /* gzip refused (q=0), or only identity: plain */
    get(c, path, &q0, "Accept-Encoding: gzip;q=0, identity", NULL);
    assert_int_equal(q0.status, 200);
    header(&q0, "Content-Encoding", v, sizeof(v));
    assert_string_equal(v, "");
    assert_int_equal(q0.body.len, plain.body.len);
    assert_memory_equal(q0.body.p, plain.body.p, plain.body.len);
    wt_resp_release(&q0);
    wt_resp_release(&plain);
}

static void test_etag_and_gzip(void **state)
{
    (void)state;
    struct wt_client c, api;
    login(&c, "c-hand");
    check_path(&c, "/programs/vy");
    check_path(&c, "/programs/vy/fordelning.csv");
    check_path(&c, "/programs/vy/fordelning.xlsx");
    check_path(&c, "/statistik/alder-yrke");
    wt_client_init(&api, server.port);
    api.bearer = token;
    check_path(&api, "/api/v1/programs/vy/allocation");
    check_path(&api, "/api/v1/stats");
    wt_client_release(&api);
    /* a page not flagged: no ETag, never a 304, not stored */
    struct wt_resp r;
    char v[200];
    get(&c, "/start", &r, "If-None-Match: *", "Accept-Encoding: gzip");
    assert_int_equal(r.status, 200);
    header(&r, "ETag", v, sizeof(v));
    assert_string_equal(v, "");
    header(&r, "Content-Encoding", v, sizeof(v));
    assert_string_equal(v, "");
    header(&r, "Cache-Control", v, sizeof(v));
    assert_string_equal(v, "no-store");
    wt_resp_release(&r);
    /* an error is no 304 either */
    assert_int_equal(status_with(&c, "/programs/finns-inte", "*"), 404);
    wt_client_release(&c);
}

/* After each change the allocation depends on: a new ETag on the page and
 * the API at once, and the old one no 304. */
static void test_new_etag_after_each_dependency(void **state)
{
    (void)state;
    struct wt_client c, api;
    login(&c, "c-hand");
    wt_client_init(&api, server.port);
    api.bearer = token;
    const char *page = "/programs/vy", *json = "/api/v1/programs/vy/allocation";
    char p0[80], j0[80], p1[80], j1[80];
    etag_of(&c, page, p0, sizeof(p0));
    etag_of(&api, json, j0, sizeof(j0));
    for (int step = 0; step < 3; step++) {
        if (step == 0)
            assert_int_equal(import_population(9000), 0);
        else if (step == 1)
            assert_int_equal(import_metric(70), 0);
        else
            assert_int_equal(load_program(2000000), 0);
        etag_of(&c, page, p1, sizeof(p1));
        etag_of(&api, json, j1, sizeof(j1));
        assert_string_not_equal(p0, p1);
        assert_string_not_equal(j0, j1);
        assert_int_equal(status_with(&c, page, p0), 200);
        assert_int_equal(status_with(&api, json, j0), 200);
        assert_int_equal(status_with(&c, page, p1), 304);
        assert_int_equal(status_with(&api, json, j1), 304);
        snprintf(p0, sizeof(p0), "%s", p1);
        snprintf(j0, sizeof(j0), "%s", j1);
    }
    wt_client_release(&api);
    wt_client_release(&c);
}

/* The body of path as a fresh server (nothing kept) answers it. */
static void fresh_body(const char *path, struct buf *out)
{
    struct wt_server fresh;
    struct wt_client api;
    struct wt_resp r;
    assert_int_equal(wt_start(&fresh, NULL), 0);
    wt_client_init(&api, fresh.port);
    api.bearer = token;
    get(&api, path, &r, NULL, NULL);
    assert_int_equal(r.status, 200);
    buf_init(out, 16 << 20);
    assert_int_equal(buf_append(out, r.body.p, r.body.len), ERR_OK);
    wt_resp_release(&r);
    wt_client_release(&api);
    assert_int_equal(wt_stop(&fresh), 0);
}

/* What the running server keeps (program views, the statistics store)
 * answers, after a change, byte for byte as a fresh server does. */
static void test_kept_equals_fresh(void **state)
{
    (void)state;
    static const char *const paths[] = {"/api/v1/programs/vy/allocation",
                                        "/api/v1/stats/alder-yrke/data"};
    struct wt_client api;
    struct wt_resp before[2], after;
    wt_client_init(&api, server.port);
    api.bearer = token;
    for (int i = 0; i < 2; i++) {
        get(&api, paths[i], &before[i], NULL, NULL);
        assert_int_equal(before[i].status, 200);
    }
    /* a new statistics year and a new population, imported by another process */
    assert_int_equal(wt_sh("'%s' stats synth --rows 2000 --years 2025-2025 --seed 2 --out "
                           "'%s/s2.csv' >/dev/null && '%s' stats import '%s/s2.csv' --db '%s' "
                           ">/dev/null",
                           wt_bidrag(), wt_dir, wt_bidrag(), wt_dir, wt_db),
                     0);
    assert_int_equal(import_population(12345), 0);
    for (int i = 0; i < 2; i++) {
        struct buf fresh;
        get(&api, paths[i], &after, NULL, NULL);
        assert_int_equal(after.status, 200);
        assert_false(after.body.len == before[i].body.len &&
                     memcmp(after.body.p, before[i].body.p, after.body.len) == 0);
        fresh_body(paths[i], &fresh);
        assert_int_equal(after.body.len, fresh.len);
        assert_memory_equal(after.body.p, fresh.p, fresh.len);
        buf_release(&fresh);
        wt_resp_release(&after);
        wt_resp_release(&before[i]);
    }
    wt_client_release(&api);
}

/* The program page names the person: another person's tag is no 304. */
static void test_personal_page_not_shared(void **state)
{
    (void)state;
    struct wt_client a, b;
    char ta[80], tb[80];
    login(&a, "c-hand");
    login(&b, "c-gran");
    etag_of(&a, "/programs/vy", ta, sizeof(ta));
    etag_of(&b, "/programs/vy", tb, sizeof(tb));
    assert_string_not_equal(ta, tb);
    assert_int_equal(status_with(&b, "/programs/vy", ta), 200);
    assert_int_equal(status_with(&b, "/programs/vy", tb), 304);
    wt_client_release(&a);
    wt_client_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_etag_and_gzip),
        cmocka_unit_test(test_new_etag_after_each_dependency),
        cmocka_unit_test(test_personal_page_not_shared),
        cmocka_unit_test(test_kept_equals_fresh),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
