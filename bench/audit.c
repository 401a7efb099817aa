/* audit.c - the cost of the audit trail per record (bench/audit.sh): N
 * state changes, each in a transaction of its own with its one record
 * appended by audit_append(), on a new database in FOLDER - first records
 * whose object names no entity ("addr:..."), then records of a user
 * ("user:LOGIN": the digest of its rows too); then the same N each all in
 * one transaction (the record's own cost, without a commit). Prints records per second
 * and microseconds per record. The same program links against any
 * version of the library (audit_append's signature is the same), so a
 * version before the signed trail can be measured the same way.
 * Usage: bench_audit FOLDER N EACH (EACH records in transactions of their
 * own, N in one) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "service/audit.h"
#include "store/store.h"
#include "store/store_auth.h"
#include "util/str.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* n records of object, each in a transaction of its own (one = 0) or all
 * in one (one = 1: the cost of the record without the commit's fsync). */
static int run(struct store *s, const char *label, const char *object, long long n, int64_t t0,
               int one)
{
    double t = now_s();
    if (one && store_begin(s) != ERR_OK) {
        fprintf(stderr, "bench_audit: %s\n", store_errmsg(s));
        return 1;
    }
    for (long long i = 0; i < n; i++) {
        if ((!one && store_begin(s) != ERR_OK) ||
            audit_append(s, "bench", "", "bench.step", object, NULL, "after", t0 + i) != ERR_OK) {
            fprintf(stderr, "bench_audit: record %lld: %s\n", i + 1, store_errmsg(s));
            store_rollback(s);
            return 1;
        }
        if ((!one || i == n - 1) && store_commit(s) != ERR_OK) {
            fprintf(stderr, "bench_audit: commit %lld: %s\n", i + 1, store_errmsg(s));
            return 1;
        }
    }
    double dt = now_s() - t;
    printf("%-28s %8lld records %8.2f s %9.0f records/s %7.1f us/record\n", label, n, dt,
           (double)n / dt, dt * 1e6 / (double)n);
    return 0;
}

int main(int argc, char **argv)
{
    char url[1024];
    int64_t n = 0, each = 0;
    struct store *s = NULL;
    struct store_account a;
    long long id = 0;
    if (argc != 4 || str_parse_i64(argv[2], &n) != ERR_OK || n < 1 ||
        str_parse_i64(argv[3], &each) != ERR_OK || each < 1) {
        fprintf(stderr, "usage: bench_audit FOLDER N EACH\n");
        return 2;
    }
    snprintf(url, sizeof(url), "%s/bench.db", argv[1]);
    if (store_open(url, STORE_OPEN_CREATE, &s) != ERR_OK) {
        fprintf(stderr, "bench_audit: %s\n", store_open_error());
        return 1;
    }
    memset(&a, 0, sizeof(a));
    str_copy(a.login, sizeof(a.login), "bench");
    str_copy(a.name, sizeof(a.name), "Bench");
    str_copy(a.created_at, sizeof(a.created_at), "2026-01-01T00:00:00Z");
    int rc = 1;
    if (store_begin(s) != ERR_OK || store_account_add(s, &a, &id) != ERR_OK ||
        store_commit(s) != ERR_OK) {
        fprintf(stderr, "bench_audit: %s\n", store_errmsg(s));
        goto out;
    }
    rc = run(s, "no entity, one tx each", "addr:10.0.0.1", each, 1767225600, 0);
    if (rc == 0)
        rc = run(s, "user:bench, one tx each", "user:bench", each, 1767225600 + n, 0);
    if (rc == 0)
        rc = run(s, "no entity, all in one tx", "addr:10.0.0.1", n, 1767225600 + 2 * n, 1);
    if (rc == 0)
        rc = run(s, "user:bench, all in one tx", "user:bench", n, 1767225600 + 3 * n, 1);
out:
    store_close(s);
    return rc;
}
