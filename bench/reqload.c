/* reqload.c - load driver for bench/requisition.sh (run by hand, not by
 * CI). Two modes:
 *
 *   reqload submit BASE[,BASE...] TOKENS PROGRAMS THREADS
 *     BASE: a server's URL; with several (servers sharing one database)
 *     thread i talks to the (i mod n)-th;
 *     TOKENS: lines "CODE TOKEN" (a bearer token acting for CODE);
 *     PROGRAMS: lines with a program id. Every (program, code) pair is
 *     submitted once over HTTP (POST /api/v1/org/CODE/requisitions/PROG,
 *     keep-alive, one connection per thread) by THREADS threads. Prints
 *     submissions, receipts, seconds, receipts per second and latency
 *     percentiles.
 *
 *   reqload fsync DIR SECONDS
 *     write 4 KiB + fdatasync in a loop in a file in DIR (the raw rate of
 *     durable appends on that disk, what SQLite's WAL commit needs once
 *     per transaction with synchronous=FULL), and the same with fsync. */
#include <curl/curl.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_CODES 400
#define MAX_PROGS 64

static char codes[MAX_CODES][8], tokens[MAX_CODES][80];
static char progs[MAX_PROGS][64];
static size_t ncodes, nprogs, next_job, ok_count, fail_count;
#define MAX_BASES 8
static char bases[MAX_BASES][256];
static size_t nbases;
static double *lat;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t sink(char *p, size_t sz, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return sz * n;
}

static void *worker(void *arg)
{
    const char *base = bases[(size_t)(uintptr_t)arg % nbases];
    CURL *c = curl_easy_init();
    char url[512], body[1024], auth[128];
    for (;;) {
        pthread_mutex_lock(&lock);
        size_t j = next_job < ncodes * nprogs ? next_job++ : (size_t)-1;
        pthread_mutex_unlock(&lock);
        if (j == (size_t)-1)
            break;
        const char *code = codes[j % ncodes], *prog = progs[j / ncodes];
        snprintf(url, sizeof(url), "%s/api/v1/org/%s/requisitions/%s", base, code, prog);
        snprintf(body, sizeof(body),
                 "{\"idempotency_key\":\"b-%s-%s\",\"fields\":{\"amount\":\"\","
                 "\"measure.1.purpose\":\"vfu\",\"measure.1.description\":\"Fler handledare\","
                 "\"measure.1.planned\":1000,\"contact_name\":\"Kontakt\",\"contact_email\":"
                 "\"k@example.se\",\"contact_phone\":\"08-1234567\",\"account_kind\":"
                 "\"bankgiro\",\"account\":\"5050-1055\",\"opt_in\":true,\"confirmed\":true}}",
                 prog, code);
        snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tokens[j % ncodes]);
        struct curl_slist *h = curl_slist_append(NULL, auth);
        h = curl_slist_append(h, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
        double t0 = now_s();
        long st = 0;
        if (curl_easy_perform(c) == CURLE_OK)
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st);
        double dt = now_s() - t0;
        curl_slist_free_all(h);
        pthread_mutex_lock(&lock);
        if (st == 201)
            lat[ok_count++] = dt;
        else
            fail_count++;
        pthread_mutex_unlock(&lock);
    }
    curl_easy_cleanup(c);
    return NULL;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int submit(int argc, char **argv)
{
    if (argc != 6)
        return 2;
    for (const char *b = argv[2]; *b && nbases < MAX_BASES;) {
        size_t len = strcspn(b, ",");
        if (len && len < sizeof(bases[0])) {
            memcpy(bases[nbases], b, len);
            bases[nbases++][len] = 0;
        }
        b += len + (b[len] == ',');
    }
    FILE *f = fopen(argv[3], "r");
    char line[256];
    while (f && ncodes < MAX_CODES && fgets(line, sizeof(line), f))
        if (sscanf(line, "%7s %79s", codes[ncodes], tokens[ncodes]) == 2)
            ncodes++;
    if (f)
        fclose(f);
    f = fopen(argv[4], "r");
    while (f && nprogs < MAX_PROGS && fgets(line, sizeof(line), f))
        if (sscanf(line, "%63s", progs[nprogs]) == 1)
            nprogs++;
    if (f)
        fclose(f);
    int threads = (int)strtol(argv[5], NULL, 10);
    if (!nbases || !ncodes || !nprogs || threads < 1 || threads > 256) {
        fprintf(stderr, "reqload: nothing to do\n");
        return 2;
    }
    lat = calloc(ncodes * nprogs, sizeof(double));
    if (!lat) {
        fprintf(stderr, "reqload: out of memory\n");
        return 2;
    }
    pthread_t th[256];
    curl_global_init(CURL_GLOBAL_DEFAULT);
    double t0 = now_s();
    for (int i = 0; i < threads; i++)
        pthread_create(&th[i], NULL, worker, (void *)(uintptr_t)i);
    for (int i = 0; i < threads; i++)
        pthread_join(th[i], NULL);
    double secs = now_s() - t0;
    qsort(lat, ok_count, sizeof(double), cmp_d);
    printf("submissions %zu receipts %zu failed %zu threads %d seconds %.2f per_second %.0f "
           "p50_ms %.1f p99_ms %.1f\n",
           ncodes * nprogs, ok_count, fail_count, threads, secs, (double)ok_count / secs,
           ok_count ? lat[ok_count / 2] * 1e3 : 0.0,
           ok_count ? lat[(size_t)((double)ok_count * 0.99)] * 1e3 : 0.0);
    free(lat);
    curl_global_cleanup();
    return fail_count ? 1 : 0;
}

static double sync_loop(const char *path, double secs, int full)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    char block[4096];
    memset(block, 'x', sizeof(block));
    long n = 0;
    double t0 = now_s(), t = t0;
    while (t - t0 < secs) {
        if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
            break;
        if ((full ? fsync(fd) : fdatasync(fd)) != 0)
            break;
        n++;
        t = now_s();
    }
    close(fd);
    unlink(path);
    return (double)n / (t - t0);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "submit") == 0)
        return submit(argc, argv);
    if (argc == 4 && strcmp(argv[1], "fsync") == 0) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/reqload-fsync.tmp", argv[2]);
        double secs = strtod(argv[3], NULL);
        double fd = sync_loop(path, secs, 0), fs = sync_loop(path, secs, 1);
        printf("fdatasync_per_second %.0f fsync_per_second %.0f\n", fd, fs);
        return fd < 0 || fs < 0;
    }
    fprintf(stderr, "usage: reqload submit BASE[,BASE...] TOKENS PROGRAMS THREADS\n"
                    "       reqload fsync DIR SECONDS\n");
    return 2;
}
