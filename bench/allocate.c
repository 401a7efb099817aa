/* allocate.c - benchmark of the allocation engine: alloc_split over 10^4,
 * 10^5 and 10^6 recipients with population-like weights. Prints the best
 * time of several runs per size, the growth between sizes next to what
 * n·log n predicts, and checks that every split meets its pot exactly.
 * Run by hand through bench/allocate.sh, not by CI. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/alloc.h"

static uint64_t rng_state = UINT64_C(0x2545F4914F6CDD1D);

/* xorshift64* */
static uint64_t rng_next(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * UINT64_C(0x2545F4914F6CDD1D);
}

/* Skewed like municipal populations: many small, few large (2 000 to
 * about 1 000 000 inhabitants). */
static int64_t population(void)
{
    double u = (double)(rng_next() >> 11) / 9007199254740992.0; /* [0, 1) */
    return 2000 + (int64_t)(998000.0 * u * u * u * u);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(void)
{
    static const size_t sizes[] = {10000, 100000, 1000000};
    const int64_t pot = INT64_C(100000000007); /* 100 billion kr, prime-ish: many leftovers */
    double prev_t = 0;
    size_t prev_n = 0;
    int bad = 0;

    printf("%10s %12s %10s %8s %12s %10s\n", "n", "best (ms)", "ns/item", "growth", "n log n exp.",
           "leftover");
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        size_t n = sizes[s];
        struct alloc_item *it = calloc(n, sizeof(*it));
        if (!it) {
            fprintf(stderr, "allocate: out of memory for %zu items\n", n);
            return 1;
        }
        for (size_t i = 0; i < n; i++) {
            it[i].weight = population();
            it[i].eligible = (rng_next() % 50) != 0; /* 2 % excluded */
        }
        int reps = n <= 10000 ? 50 : n <= 100000 ? 10 : 3;
        double best = INFINITY;
        struct alloc_result res = {0};
        for (int r = 0; r < reps; r++) {
            double t0 = now_s();
            enum err e = alloc_split(pot, it, n, &res);
            double t = now_s() - t0;
            if (e != ERR_OK) {
                fprintf(stderr, "allocate: alloc_split failed for n=%zu: %s\n", n, err_str(e));
                free(it);
                return 1;
            }
            if (t < best)
                best = t;
        }
        __int128 sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += it[i].share;
        if (sum != pot) {
            fprintf(stderr, "allocate: sum of shares differs from the pot for n=%zu\n", n);
            bad = 1;
        }
        if (prev_n) {
            double expect = ((double)n * log2((double)n)) / ((double)prev_n * log2((double)prev_n));
            printf("%10zu %12.3f %10.1f %7.2fx %11.2fx %10lld\n", n, best * 1e3, best * 1e9 / n,
                   best / prev_t, expect, (long long)res.leftover);
        } else {
            printf("%10zu %12.3f %10.1f %8s %12s %10lld\n", n, best * 1e3, best * 1e9 / n, "-", "-",
                   (long long)res.leftover);
        }
        prev_n = n;
        prev_t = best;
        free(it);
    }
    printf("sum check: %s\n", bad ? "FAILED" : "every split met its pot exactly");
    return bad;
}
