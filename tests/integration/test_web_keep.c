/* test_web_keep.c - answers kept in memory (routes flagged WEB_KEEP,
 * web/keep.h) against a real server: a page asked for again is served
 * from memory (the access log says "kept") with the very bytes rendered
 * the first time; after each change something it shows depends on - a
 * program loaded, a population series imported, a requisition submitted,
 * a decision, a redistribution, a statistics import, a person's roles -
 * made by another process, every kept page and API resource shows the
 * new content at once, byte for byte what a fresh server (nothing kept)
 * renders; authorisation is still checked on every request (a revoked
 * role is refused at once, another person never gets someone's kept
 * page). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <strings.h>
#include <cmocka.h>

#include "web/web.h"
#include "webtest.h"

#define NOW "2026-04-15T10:00:00Z" /* kompetens-2026's window is open */

static struct wt_server server;
static const char pw[] = "keep-losenord-1";
static char token[80];
static char prog[600], pop[600];
static struct wt_client hand, api, omb, two;

enum who { HAND, API, OMB };
static const struct page {
    enum who who;
    const char *path;
} pages[] = {
    {HAND, "/start"},
    {HAND, "/programs"},
    {HAND, "/programs/vy"},
    {HAND, "/programs/vy/fordelning.csv"},
    {HAND, "/programs/kompetens-2026"},
    {HAND, "/programs/kompetens-2026/rekvisitioner"},
    {HAND, "/programs/kompetens-2026/rekvisitionsoversikt"},
    {HAND, "/rekvisitioner/REK-2026-000001"},
    {HAND, "/rekvisitioner/REK-2026-000002"},
    {HAND, "/programs/tillganglighet-2026/omfordelning"},
    {HAND, "/programs/tillganglighet-2026/beslut"},
    {HAND, "/statistik"},
    {HAND, "/statistik/alder-yrke"},
    {API, "/api/v1/programs"},
    {API, "/api/v1/programs/vy/allocation"},
    {API, "/api/v1/programs/kompetens-2026/requisitions"},
    {API, "/api/v1/stats"},
    {API, "/api/v1/stats/alder-yrke"},
    {OMB, "/org/0180/rekvisitioner"},
};
#define NPAGES (sizeof(pages) / sizeof(pages[0]))

static int write_program(long long total)
{
    FILE *f = fopen(prog, "w");
    if (!f)
        return -1;
    fprintf(f,
            "[program]\nid = vy\ntitle = Vy\ndiarienummer = S1\ntotal = %lld\n"
            "[block 1]\nrecipients = regioner\namount = %lld\nkey = population\n"
            "population_date = 2019-12-31\n",
            total, total);
    return fclose(f);
}

static int load_program(long long total)
{
    if (write_program(total) != 0)
        return -1;
    return wt_sh("'%s' program load '%s' --db '%s' >/dev/null", wt_bidrag(), prog, wt_db);
}

/* code,value for every region: Stockholm's (01) one value, the others 1000. */
static int import_population(long long stockholm)
{
    char k[600], line[512];
    const char *src = getenv("BIDRAG_SRC");
    snprintf(k, sizeof(k), "%s/data/reference/regioner.csv", src ? src : ".");
    FILE *in = fopen(k, "r");
    FILE *out = fopen(pop, "w");
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
        fprintf(out, "%s,%lld\n", line, strcmp(line, "01") == 0 ? stockholm : 1000);
    }
    fclose(in);
    if (fclose(out) != 0)
        return -1;
    return wt_sh("'%s' population import '%s' --date 2019-12-31 --db '%s' >/dev/null", wt_bidrag(),
                 pop, wt_db);
}

static int submit_kompetens(const char *org)
{
    return wt_sh("BIDRAG_NOW=" NOW " '%s' requisition submit kompetens-2026 %s --as k-omb "
                 "--key k%s --db '%s' --set measure.1.purpose=vfu "
                 "--set 'measure.1.description=Fler handledare' --set 'contact_name=Olle Ombud' "
                 "--set contact_email=olle@example.se --set 'contact_phone=08-508 290 00' "
                 "--set account_kind=bankgiro --set account=5050-1055 --set confirmed=1 >/dev/null",
                 wt_bidrag(), org, org, wt_db);
}

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    wt_tmpdir("keep");
    snprintf(prog, sizeof(prog), "%s/vy.ini", wt_dir);
    snprintf(pop, sizeof(pop), "%s/pop.csv", wt_dir);
    const char *b = wt_bidrag();
    if (wt_sh("'%s' init --db '%s' --quiet --no-demo-accounts >/dev/null", b, wt_db) != 0)
        return -1;
    if (import_population(5000) != 0 || load_program(1000000) != 0)
        return -1;
    if (wt_sh("'%s' stats synth --rows 3000 --years 2023-2024 --seed 1 --out '%s/s.csv' "
              ">/dev/null && '%s' stats import '%s/s.csv' --db '%s' >/dev/null",
              b, wt_dir, b, wt_dir, wt_db) != 0)
        return -1;
    if (wt_user("k-hand", "Hanna Handlaggare", pw, "handlaggare") != 0 ||
        wt_user("k-two", "Tove Handlaggare", pw, "handlaggare") != 0 ||
        wt_user("k-omb", "Olle Ombud", pw, "ombud@0180 ombud@0181") != 0 ||
        wt_user("k-reg", "Regina Region", pw, "ombud@01") != 0)
        return -1;
    wt_capture(token, sizeof(token), "'%s' token create k-hand --name t --db '%s'", b, wt_db);
    if (strncmp(token, "bdr_", 4) != 0)
        return -1;
    /* REK-2026-000001: kompetens for 0180; REK-2026-000002: the
     * accessibility grant for region 01, opted in, approved */
    if (submit_kompetens("0180") != 0)
        return -1;
    if (wt_sh("BIDRAG_NOW=2026-02-10T10:00:00Z '%s' requisition submit tillganglighet-2026 01 "
              "--as k-reg --db '%s' --set measure.1.purpose=tillganglighet "
              "--set 'measure.1.description=Kortare köer' --set 'contact_name=Regina Region' "
              "--set contact_email=regina@region.example --set 'contact_phone=08-123 456 78' "
              "--set account_kind=bankgiro --set account=5050-1055 --set opt_in=1 "
              "--set 'extra_cap=1 000 000' --set confirmed=1 >/dev/null && "
              "BIDRAG_NOW=2026-02-11T10:00:00Z '%s' requisition approve REK-2026-000002 "
              "--as k-hand --db '%s' >/dev/null",
              b, wt_db, b, wt_db) != 0)
        return -1;
    setenv("BIDRAG_NOW", NOW, 1);
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

/* Log in through the form and choose the organisation (NULL: the only one). */
static void login(struct wt_client *c, const char *who, const char *org)
{
    char csrf[65], body[256];
    wt_client_init(c, server.port);
    assert_int_equal(wt_login(c, who, pw), 303);
    if (org) {
        wt_csrf_of(c, "/login/org", csrf);
        snprintf(body, sizeof(body), "csrf=%s&org=%s", csrf, org);
        assert_int_equal(wt_status(c, "POST", "/login/org", body), 303);
    }
}

static int group_setup(void **state)
{
    (void)state;
    login(&hand, "k-hand", NULL);
    login(&two, "k-two", NULL);
    login(&omb, "k-omb", "0180");
    wt_client_init(&api, server.port);
    api.bearer = token;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    wt_client_release(&hand);
    wt_client_release(&two);
    wt_client_release(&omb);
    wt_client_release(&api);
    return 0;
}

static struct wt_client *client(enum who w)
{
    return w == HAND ? &hand : w == API ? &api : &omb;
}

/* GET path on port; the body into out (a 200). */
static void get_at(struct wt_client *c, int port, const char *path, struct buf *out)
{
    struct wt_resp r;
    int keep = c->port;
    c->port = port;
    wt_req(c, "GET", path, NULL, &r);
    c->port = keep;
    if (r.status != 200)
        fail_msg("GET %s: %ld", path, r.status);
    buf_init(out, 16 << 20);
    assert_int_equal(buf_append(out, r.body.p, r.body.len), ERR_OK);
    wt_resp_release(&r);
}

static int same(const struct buf *a, const struct buf *b)
{
    return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* Lines of the running server's access log that end in " kept". */
static long kept_lines(void)
{
    char out[64];
    wt_capture(out, sizeof(out), "grep -c ' kept$' '%s' || true", server.log);
    return strtol(out, NULL, 10);
}

/* Every page twice: the second from memory, the same bytes. */
static void snapshot(struct buf *out)
{
    long before = kept_lines();
    for (size_t i = 0; i < NPAGES; i++) {
        struct buf again;
        get_at(client(pages[i].who), server.port, pages[i].path, &out[i]);
        get_at(client(pages[i].who), server.port, pages[i].path, &again);
        if (!same(&out[i], &again))
            fail_msg("%s: the kept answer differs from the one rendered", pages[i].path);
        buf_release(&again);
    }
    /* the line is written once the answer is sent: wait for it a little */
    long got = kept_lines() - before;
    for (int i = 0; i < 100 && got < (long)NPAGES; i++) {
        struct timespec nap = {0, 20 * 1000 * 1000};
        nanosleep(&nap, NULL);
        got = kept_lines() - before;
    }
    if (got < (long)NPAGES)
        fail_msg("only %ld of %zu pages asked for again were served from memory", got, NPAGES);
}

static void release_all(struct buf *b)
{
    for (size_t i = 0; i < NPAGES; i++)
        buf_release(&b[i]);
}

static void test_kept_and_served(void **state)
{
    (void)state;
    struct buf a[NPAGES], b[NPAGES];
    snapshot(a);
    snapshot(b); /* nothing changed: the same bytes again */
    for (size_t i = 0; i < NPAGES; i++)
        if (!same(&a[i], &b[i]))
            fail_msg("%s changed with nothing changed", pages[i].path);
    release_all(a);
    release_all(b);
}

/* The changes, each by another process, and the pages each must change. */
enum step { PROGRAM, SERIES, SUBMISSION, DECISION, REDISTRIBUTION, STATS, ROLES, NSTEPS };
static const char *const step_name[NSTEPS] = {
    "program load",   "series import", "submission", "decision",
    "redistribution", "stats import",  "roles",
};
static const char *const changes[NSTEPS][6] = {
    [PROGRAM] = {"/programs/vy", "/programs/vy/fordelning.csv", "/api/v1/programs/vy/allocation"},
    [SERIES] = {"/programs/vy", "/programs/vy/fordelning.csv", "/api/v1/programs/vy/allocation"},
    [SUBMISSION] = {"/programs/kompetens-2026/rekvisitioner",
                    "/programs/kompetens-2026/rekvisitionsoversikt",
                    "/api/v1/programs/kompetens-2026/requisitions"},
    [DECISION] = {"/rekvisitioner/REK-2026-000001", "/programs/kompetens-2026/rekvisitioner",
                  "/org/0180/rekvisitioner", "/api/v1/programs/kompetens-2026/requisitions"},
    [REDISTRIBUTION] = {"/programs/tillganglighet-2026/omfordelning",
                        "/programs/tillganglighet-2026/beslut"},
    [STATS] = {"/statistik/alder-yrke", "/api/v1/stats/alder-yrke"},
    [ROLES] = {"/start"},
};

static void change(enum step s)
{
    const char *b = wt_bidrag();
    int rc = 0;
    switch (s) {
    case PROGRAM:
        rc = load_program(2000000);
        break;
    case SERIES:
        rc = import_population(9000);
        break;
    case SUBMISSION:
        rc = submit_kompetens("0181");
        break;
    case DECISION:
        rc = wt_sh("'%s' requisition approve REK-2026-000001 --as k-hand --db '%s' >/dev/null", b,
                   wt_db);
        break;
    case REDISTRIBUTION:
        /* the preview names the digest the run confirms */
        rc = wt_sh("d=$('%s' requisition redistribute tillganglighet-2026 --as k-hand --db '%s' "
                   "| sed -n 's/^bekräfta: .* --confirm //p') && [ -n \"$d\" ] && "
                   "'%s' requisition redistribute tillganglighet-2026 --as k-hand --db '%s' "
                   "--confirm \"$d\" >/dev/null",
                   b, wt_db, b, wt_db);
        break;
    case STATS:
        rc = wt_sh("'%s' stats synth --rows 2000 --years 2025-2025 --seed 2 --out '%s/s2.csv' "
                   ">/dev/null && '%s' stats import '%s/s2.csv' --db '%s' >/dev/null",
                   b, wt_dir, b, wt_dir, wt_db);
        break;
    case ROLES:
        rc = wt_sh("'%s' user role k-hand analytiker --db '%s' >/dev/null && "
                   "'%s' user role k-two handlaggare --remove --db '%s' >/dev/null",
                   b, wt_db, b, wt_db);
        break;
    case NSTEPS:
        break;
    }
    if (rc != 0)
        fail_msg("%s failed", step_name[s]);
}

static int changes_with(enum step s, const char *path)
{
    for (size_t i = 0; i < 6 && changes[s][i]; i++)
        if (strcmp(changes[s][i], path) == 0)
            return 1;
    return 0;
}

static void test_each_dependency_shows_at_once(void **state)
{
    (void)state;
    for (int s = 0; s < NSTEPS; s++) {
        struct buf before[NPAGES], after[NPAGES];
        snapshot(before); /* every page kept */
        assert_int_equal(wt_status(&two, "GET", "/programs/vy", NULL), 200);
        assert_int_equal(wt_status(&two, "GET", "/programs/vy", NULL), 200);
        change((enum step)s);
        for (size_t i = 0; i < NPAGES; i++) {
            get_at(client(pages[i].who), server.port, pages[i].path, &after[i]);
            if (changes_with((enum step)s, pages[i].path) && same(&before[i], &after[i]))
                fail_msg("after the %s, %s still shows what it did before", step_name[s],
                         pages[i].path);
        }
        if (s == ROLES) /* refused at once, though a 200 was kept for it */
            assert_int_equal(wt_status(&two, "GET", "/programs/vy", NULL), 403);
        /* what a fresh server renders, nothing kept */
        struct wt_server fresh;
        assert_int_equal(wt_start(&fresh, NULL), 0);
        for (size_t i = 0; i < NPAGES; i++) {
            struct buf f;
            get_at(client(pages[i].who), fresh.port, pages[i].path, &f);
            if (!same(&after[i], &f))
                fail_msg("after the %s, %s differs from a fresh rendering", step_name[s],
                         pages[i].path);
            buf_release(&f);
        }
        assert_int_equal(wt_stop(&fresh), 0);
        release_all(before);
        release_all(after);
    }
}

/* A kept answer is one viewer's: another person with other rights is
 * checked and refused, another with the same rights gets their own. */
static void test_not_shared(void **state)
{
    (void)state;
    struct buf a;
    get_at(&hand, server.port, "/rekvisitioner/REK-2026-000001", &a);
    buf_release(&a);
    get_at(&hand, server.port, "/rekvisitioner/REK-2026-000001", &a);
    buf_release(&a);
    assert_int_equal(wt_status(&omb, "GET", "/rekvisitioner/REK-2026-000001", NULL), 403);
    assert_int_equal(wt_status(&omb, "GET", "/org/0181/rekvisitioner", NULL), 403);
    struct wt_client other;
    login(&other, "k-hand", NULL); /* the same person, another session */
    struct buf x, y;
    get_at(&hand, server.port, "/programs/vy", &x);
    get_at(&other, server.port, "/programs/vy", &y);
    assert_false(same(&x, &y)); /* each session's own CSRF value */
    buf_release(&x);
    buf_release(&y);
    wt_client_release(&other);
}

/* The statistics folder put back from a copy (no database write at
 * all): the kept tables show the folder's content at once. */
static void test_stats_folder_outside_service(void **state)
{
    (void)state;
    const char *const paths[] = {"/statistik/alder-yrke", "/api/v1/stats/alder-yrke"};
    struct buf a[2], b[2], c[2], f;
    assert_int_equal(wt_sh("cp -a '%s/stats' '%s/stats.copy'", wt_dir, wt_dir), 0);
    for (int i = 0; i < 2; i++) { /* rendered, then kept */
        get_at(client(i ? API : HAND), server.port, paths[i], &f);
        buf_release(&f);
        get_at(client(i ? API : HAND), server.port, paths[i], &a[i]);
    }
    assert_int_equal(wt_sh("'%s' stats synth --rows 1500 --years 2025-2025 --seed 3 --out "
                           "'%s/s3.csv' >/dev/null && '%s' stats import '%s/s3.csv' --db '%s' "
                           ">/dev/null",
                           wt_bidrag(), wt_dir, wt_bidrag(), wt_dir, wt_db),
                     0);
    for (int i = 0; i < 2; i++) {
        get_at(client(i ? API : HAND), server.port, paths[i], &f);
        buf_release(&f);
        get_at(client(i ? API : HAND), server.port, paths[i], &b[i]);
        assert_false(same(&a[i], &b[i]));
    }
    assert_int_equal(
        wt_sh("rm -rf '%s/stats' && mv '%s/stats.copy' '%s/stats'", wt_dir, wt_dir, wt_dir), 0);
    struct wt_server fresh;
    assert_int_equal(wt_start(&fresh, NULL), 0);
    for (int i = 0; i < 2; i++) {
        get_at(client(i ? API : HAND), server.port, paths[i], &c[i]);
        get_at(client(i ? API : HAND), fresh.port, paths[i], &f);
        if (!same(&c[i], &f))
            fail_msg("%s differs from a fresh rendering after the folder was put back", paths[i]);
        assert_false(same(&c[i], &b[i]));
        buf_release(&f);
        buf_release(&a[i]);
        buf_release(&b[i]);
        buf_release(&c[i]);
    }
    assert_int_equal(wt_stop(&fresh), 0);
}

/* A kept route under the statistics paths reads the statistics folder:
 * it must be flagged so, or a folder changed outside the service would
 * not be seen (test_stats_folder_outside_service checks two of them). */
static void test_stats_routes_flagged(void **state)
{
    (void)state;
    size_t n = 0;
    const struct web_route *rt = web_routes(&n);
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        int stats = strncmp(rt[i].pattern, "/statistik", 10) == 0 ||
                    strncmp(rt[i].pattern, "/api/v1/stats", 13) == 0;
        if (stats && (rt[i].flags & WEB_KEEP) && !(rt[i].flags & WEB_STATS))
            fail_msg("route %s %s is kept but not flagged WEB_STATS", rt[i].method, rt[i].pattern);
        seen += stats && (rt[i].flags & WEB_KEEP);
    }
    assert_true(seen >= 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_routes_flagged),
        cmocka_unit_test(test_kept_and_served),
        cmocka_unit_test(test_not_shared),
        cmocka_unit_test(test_stats_folder_outside_service),
        cmocka_unit_test(test_each_dependency_shows_at_once),
    };
    if (setup(NULL) != 0) {
        fprintf(stderr, "test_web_keep: setup failed\n");
        return 1;
    }
    int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
    if (teardown(NULL) != 0)
        rc = 1;
    return rc;
}
