/* test_web_durability.c - a receipt means the requisition is kept. Many
 * clients (threads with libcurl) submit requisitions to the real server
 * over the JSON API while the test kills the server with SIGKILL; the
 * server is restarted on the same database, and every requisition that
 * got a receipt (201 with its case number) must be there, submitted, with
 * its amount, and `bidrag audit verify` must pass. Bounded: NORGS
 * organisations, NTHREADS threads, a few seconds. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "webtest.h"

#define NORGS 48
#define NTHREADS 8
#define KILL_AFTER 12 /* receipts before the kill */

static struct wt_server server;
static char codes[NORGS][8];
static char tokens[NORGS][80];
static char tok_hl[80];

struct outcome {
    int receipt; /* 1: 201/200 with a case number */
    char case_no[32];
    long status;
};
static struct outcome outcomes[NORGS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int receipts;
static int next_org;

static const char body_fmt[] =
    "{\"idempotency_key\":\"dur-%s\",\"revision\":0,\"fields\":{\"amount\":\"%d\","
    "\"measure.1.purpose\":\"vfu\",\"measure.1.description\":\"Fler handledare i %s\","
    "\"measure.1.planned\":1000,\"contact_name\":\"Kontakt %s\",\"contact_email\":"
    "\"k%s@example.se\",\"contact_phone\":\"08-1234567\",\"account_kind\":\"bankgiro\","
    "\"account\":\"5050-1055\",\"opt_in\":true,\"confirmed\":true}}";

static void *client(void *arg)
{
    (void)arg;
    struct wt_client c;
    wt_client_init(&c, server.port);
    c.extra_header = "Content-Type: application/json";
    curl_easy_setopt(c.curl, CURLOPT_TIMEOUT, 10L);
    for (;;) {
        pthread_mutex_lock(&lock);
        int i = next_org < NORGS ? next_org++ : -1;
        pthread_mutex_unlock(&lock);
        if (i < 0)
            break;
        char path[128], body[1024];
        snprintf(path, sizeof(path), "/api/v1/org/%s/requisitions/kompetens-2026", codes[i]);
        snprintf(body, sizeof(body), body_fmt, codes[i], 100000 + i, codes[i], codes[i], codes[i]);
        c.bearer = tokens[i];
        struct wt_resp r;
        wt_req(&c, "POST", path, body, &r);
        outcomes[i].status = r.status;
        const char *p = r.body.p ? strstr(r.body.p, "\"case_no\":\"") : NULL;
        if ((r.status == 201 || r.status == 200) && p) {
            p += 11;
            size_t k = 0;
            while (k + 1 < sizeof(outcomes[i].case_no) && p[k] && p[k] != '"') {
                outcomes[i].case_no[k] = p[k];
                k++;
            }
            outcomes[i].case_no[k] = '\0';
            outcomes[i].receipt = 1;
            pthread_mutex_lock(&lock);
            receipts++;
            pthread_mutex_unlock(&lock);
        }
        wt_resp_release(&r);
    }
    wt_client_release(&c);
    return NULL;
}

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    setenv("BIDRAG_NOW", "2026-04-15T10:00:00Z", 1);
    wt_tmpdir("durable");
    char out[256];
    wt_capture(out, sizeof(out), "'%s' init --db '%s' --quiet --no-demo-accounts", wt_bidrag(),
               wt_db);
    if (wt_user("dur", "Dur Ombud", "durabel-losenord", NULL) != 0 ||
        wt_user("hl", "Hl Handläggare", "durabel-losenord", "handlaggare") != 0)
        return -1;
    wt_capture(tok_hl, sizeof(tok_hl), "'%s' token create hl --name t --db '%s'", wt_bidrag(),
               wt_db);
    /* the first NORGS kommuner, with an ombud role and a token each */
    char list[600];
    snprintf(list, sizeof(list), "%s/codes", wt_dir);
    if (wt_sh("'%s' orgs --role kommun --format csv --db '%s' | tail -n +2 | cut -d, -f1 | "
              "head -%d > '%s'",
              wt_bidrag(), wt_db, NORGS, list) != 0)
        return -1;
    FILE *f = fopen(list, "r");
    if (!f)
        return -1;
    for (int i = 0; i < NORGS; i++) {
        if (!fgets(codes[i], sizeof(codes[i]), f))
            break;
        codes[i][strcspn(codes[i], "\r\n")] = '\0';
        if (wt_sh("'%s' user role dur ombud --org '%s' --db '%s' >/dev/null", wt_bidrag(), codes[i],
                  wt_db) != 0)
            return -1;
        wt_capture(tokens[i], sizeof(tokens[i]),
                   "'%s' token create dur --name t --org '%s' --db '%s'", wt_bidrag(), codes[i],
                   wt_db);
        if (strncmp(tokens[i], "bdr_", 4) != 0)
            return -1;
    }
    fclose(f);
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

static void test_receipts_survive_sigkill(void **state)
{
    (void)state;
    pthread_t th[NTHREADS];
    for (int i = 0; i < NTHREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, client, NULL), 0);
    /* kill once some receipts are out and more are in flight (at most 10 s) */
    for (int ms = 0; ms < 10000; ms++) {
        pthread_mutex_lock(&lock);
        int n = receipts;
        pthread_mutex_unlock(&lock);
        if (n >= KILL_AFTER)
            break;
        struct timespec t = {0, 1000000};
        nanosleep(&t, NULL);
    }
    kill(server.pid, SIGKILL);
    int st = 0;
    assert_int_equal(waitpid(server.pid, &st, 0), server.pid);
    server.pid = 0;
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(th[i], NULL);
    int got = 0, refused = 0;
    for (int i = 0; i < NORGS; i++) {
        got += outcomes[i].receipt;
        refused += !outcomes[i].receipt && outcomes[i].status >= 400;
    }
    fprintf(stderr, "durability: %d receipts, %d refused, %d cut off by the kill\n", got, refused,
            NORGS - got - refused);
    assert_true(got >= KILL_AFTER);
    assert_int_equal(refused, 0); /* a 4xx or 5xx before the kill would be a bug */

    /* restart on the same database: every receipt is there, intact */
    assert_int_equal(wt_start(&server, NULL), 0);
    struct wt_client c;
    struct wt_resp r;
    wt_client_init(&c, server.port);
    c.bearer = tok_hl;
    wt_req(&c, "GET", "/api/v1/programs/kompetens-2026/requisitions?state=submitted", NULL, &r);
    assert_int_equal(r.status, 200);
    int missing = 0;
    for (int i = 0; i < NORGS; i++) {
        if (!outcomes[i].receipt)
            continue;
        char want[512];
        snprintf(want, sizeof(want),
                 "\"case_no\":\"%s\",\"program\":\"kompetens-2026\",\"recipient\":\"%s\","
                 "\"state\":\"submitted\",\"version\":1",
                 outcomes[i].case_no, codes[i]);
        if (!strstr(r.body.p, want)) {
            fprintf(stderr, "lost after the kill: %s (%s)\n", outcomes[i].case_no, codes[i]);
            missing++;
        }
        char amount[64];
        snprintf(amount, sizeof(amount), "\"requested_kr\":%d", 100000 + i);
        const char *at = strstr(r.body.p, outcomes[i].case_no);
        const char *end = at ? strchr(at, '}') : NULL;
        const char *am = at ? strstr(at, amount) : NULL;
        if (!am || (end && am > end)) {
            fprintf(stderr, "amount of %s not intact\n", outcomes[i].case_no);
            missing++;
        }
    }
    wt_resp_release(&r);
    /* the recipient's own view and the receipt PDF too, for one of them */
    for (int i = 0; i < NORGS; i++) {
        if (!outcomes[i].receipt)
            continue;
        char path[128];
        c.bearer = tokens[i];
        snprintf(path, sizeof(path), "/api/v1/org/%s/requisitions", codes[i]);
        wt_req(&c, "GET", path, NULL, &r);
        assert_int_equal(r.status, 200);
        assert_non_null(strstr(r.body.p, outcomes[i].case_no));
        wt_resp_release(&r);
        break;
    }
    wt_client_release(&c);
    assert_int_equal(missing, 0);
    assert_int_equal(wt_stop(&server), 0);
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' >/dev/null", wt_bidrag(), wt_db), 0);
    assert_int_equal(
        wt_sh("'%s' requisition list kompetens-2026 --db '%s' >/dev/null", wt_bidrag(), wt_db), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_receipts_survive_sigkill),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
