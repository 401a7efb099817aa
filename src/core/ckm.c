/* ckm.c - the cell key method: perturbation table, lookup, record keys. */
#include "core/ckm.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void ckm_params_default(struct ckm_params *p)
{
    p->max_noise = 4;
    p->variance = 1.5;
    p->small = 2;
}

enum err ckm_params_check(const struct ckm_params *p, char *msg, size_t n)
{
    if (p->max_noise < 1 || p->max_noise > CKM_MAX_D) {
        snprintf(msg, n, "max_noise '%d' must be 1-%d", p->max_noise, CKM_MAX_D);
        return ERR_INVALID;
    }
    double vmax = p->max_noise * (p->max_noise + 1) / 3.0;
    if (!(p->variance > 0) || p->variance > vmax) {
        snprintf(msg, n, "variance '%g' must be above 0 and at most %g for max_noise %d",
                 p->variance, vmax, p->max_noise);
        return ERR_INVALID;
    }
    if (p->small < 0 || p->small >= p->max_noise) {
        snprintf(msg, n, "small '%d' must be 0-%d (below max_noise)", p->small, p->max_noise - 1);
        return ERR_INVALID;
    }
    return ERR_OK;
}

/* Variance of exp(-lambda d^2) over d = -D..D. */
static double sym_variance(int D, double lambda)
{
    double w = 0, s = 0;
    for (int d = -D; d <= D; d++) {
        double e = exp(-lambda * d * d);
        w += e;
        s += e * d * d;
    }
    return s / w;
}

/* Mean noise of row i with tilt a (weights over the allowed noises). */
static double row_mean(const int *ok, int D, double lambda, double a)
{
    double w = 0, s = 0;
    for (int d = -D; d <= D; d++) {
        if (!ok[d + D])
            continue;
        double e = exp(-lambda * d * d + a * d);
        w += e;
        s += e * d;
    }
    return s / w;
}

enum err ckm_table_build(const struct ckm_params *p, struct ckm_table *t)
{
    char msg[128];
    memset(t, 0, sizeof(*t));
    if (ckm_params_check(p, msg, sizeof(msg)) != ERR_OK)
        return ERR_INVALID;
    int D = p->max_noise, js = p->small;
    t->D = D;
    t->js = js;
    t->rows = (size_t)(D + js + 2);
    /* lambda: the variance V where every noise -D..D is allowed */
    double lo = 0, hi = 64;
    for (int k = 0; k < 200; k++) {
        double mid = (lo + hi) / 2;
        if (sym_variance(D, mid) > p->variance)
            lo = mid;
        else
            hi = mid;
    }
    double lambda = (lo + hi) / 2;
    for (size_t i = 0; i < t->rows; i++) {
        int ok[2 * CKM_MAX_D + 1];
        int left = 0, right = 0;
        for (int d = -D; d <= D; d++) {
            long j = (long)i + d;
            ok[d + D] = i == 0 ? d == 0 : j >= 0 && (j == 0 || j > js);
            left += ok[d + D] && d < 0;
            right += ok[d + D] && d > 0;
        }
        double a = 0;
        if (i > 0 && (left == 0 || right == 0))
            return ERR_INVALID; /* cannot be unbiased: excluded by the checks */
        if (i > 0) {
            double alo = -64, ahi = 64;
            for (int k = 0; k < 200; k++) {
                double mid = (alo + ahi) / 2;
                if (row_mean(ok, D, lambda, mid) > 0)
                    ahi = mid;
                else
                    alo = mid;
            }
            a = (alo + ahi) / 2;
        }
        double w = 0;
        for (int d = -D; d <= D; d++)
            w += ok[d + D] ? exp(-lambda * d * d + a * d) : 0;
        double acc = 0;
        for (int d = -D; d <= D; d++) {
            double pr = ok[d + D] ? exp(-lambda * d * d + a * d) / w : 0;
            /* probabilities on a grid of 1e-12 so that the boundaries do
             * not depend on the last bits of exp() */
            pr = floor(pr * 1e12 + 0.5) / 1e12;
            t->prob[i][d + D] = pr;
            acc += pr;
            double c = floor(acc * 4294967296.0 + 0.5);
            t->cum[i][d + D] = c > 4294967296.0 ? (uint64_t)1 << 32 : (uint64_t)c;
        }
        t->cum[i][2 * D] = (uint64_t)1 << 32;
    }
    return ERR_OK;
}

long ckm_count(const struct ckm_table *t, long count, uint32_t key)
{
    if (count <= 0)
        return count < 0 ? count : 0;
    size_t row = (size_t)count < t->rows ? (size_t)count : t->rows - 1;
    const uint64_t *cum = t->cum[row];
    int d = -t->D;
    while (d < t->D && (uint64_t)key >= cum[d + t->D])
        d++;
    return count + d;
}

/* A second, independent-looking number from a cell key (splitmix64). */
static uint64_t mix(uint32_t key)
{
    uint64_t z = (uint64_t)key + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int64_t ckm_fte(int64_t fte, long count, long published, uint32_t key)
{
    if (published <= 0 || count <= 0)
        return 0;
    /* noise in hundredths, -50..50 */
    int64_t noise = (int64_t)(mix(key) % 101) - 50;
    int64_t v = (fte * published * 2 + count) / (2 * count) + noise;
    return v < 0 ? 0 : v;
}

void ckm_keyer_init(struct ckm_keyer *k, const unsigned char secret[32])
{
    sha256_init(&k->base);
    sha256_update(&k->base, secret, 32);
}

uint32_t ckm_keyer_key(const struct ckm_keyer *k, const char *id, size_t n)
{
    struct sha256 h = k->base;
    unsigned char out[32];
    sha256_update(&h, id, n);
    sha256_final(&h, out);
    return (uint32_t)out[0] << 24 | (uint32_t)out[1] << 16 | (uint32_t)out[2] << 8 | out[3];
}
