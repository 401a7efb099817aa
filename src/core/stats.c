/* stats.c - workforce statistics tables: a block-wise scan over column
 * arrays that counts distinct persons and sums FTE per cell, then groups
 * and totals with every person once, per 100 000 inhabitants and the
 * cell key method. */
#include "core/stats.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/msg.h"

#define STATS_BLOCK 2048
#define STATS_EXCL ((uint64_t)1 << 40)     /* above any cell offset; a sum of ten stays so */
#define STATS_MAX_CELLS ((size_t)16 << 20) /* cells of the full grid */
#define STATS_MAX_PAIRS ((size_t)1 << 28)

static const char *const dim_names[STATS_NDIMS] = {"year",      "region",   "kommun",  "sector",
                                                   "sex",       "ageband",  "licence", "occupation",
                                                   "specialty", "caretype", "position"};
static const char *const dim_labels[STATS_NDIMS] = {
    N_("år"),          N_("region"),      N_("kommun"),       N_("sektor"),
    N_("kön"),         N_("åldersgrupp"), N_("legitimation"), N_("yrke"),
    N_("specialitet"), N_("vårdform"),    N_("läkartjänst")};
static const char *const measure_names[STATS_NMEASURES] = {"headcount", "fte", "per100k"};
static const char *const measure_labels[STATS_NMEASURES] = {N_("antal personer"), N_("årsarbetare"),
                                                            N_("per 100 000 invånare")};
static const char *const measure_units[STATS_NMEASURES] = {N_("personer"), N_("årsarbetare"),
                                                           N_("per 100 000 invånare")};
static const int measure_decimals[STATS_NMEASURES] = {0, 2, 1};

static const char *const sector_codes[STATS_NSECTORS] = {"region", "kommun", "privat", "stat"};
static const char *const sector_labels[STATS_NSECTORS] = {N_("Region"), N_("Kommun"), N_("Privat"),
                                                          N_("Stat")};
static const char *const position_codes[STATS_NPOSITIONS] = {"ej-lakare", "specialist", "st",
                                                             "at-bt", "ovrig"};
static const char *const position_labels[STATS_NPOSITIONS] = {
    N_("Inte läkartjänst"), N_("Specialistläkare (SSYK 2211)"), N_("ST-läkare (SSYK 2212)"),
    N_("AT- och BT-läkare (SSYK 2213)"), N_("Övriga läkare (SSYK 2219)")};
static const char *const sex_codes[STATS_NSEXES] = {"1", "2"};
static const char *const sex_labels[STATS_NSEXES] = {N_("Män"), N_("Kvinnor")};
/* the youngest band starts at the youngest age the input allows (15), so
 * that no code or label starts with '-' (a formula to a spreadsheet) */
static const char *const band_codes[STATS_NAGEBANDS] = {"15-29", "30-39", "40-49",
                                                        "50-59", "60-64", "65+"};
static const char *const band_labels[STATS_NAGEBANDS] = {
    N_("15-29 år"), N_("30-39 år"), N_("40-49 år"), N_("50-59 år"), N_("60-64 år"), N_("65+ år")};

int stats_position(int ssyk)
{
    switch (ssyk) {
    case 2211:
        return 1;
    case 2212:
        return 2;
    case 2213:
        return 3;
    case 2219:
        return 4;
    default:
        return 0;
    }
}

int stats_ageband(int age)
{
    if (age < 30)
        return 0;
    if (age < 40)
        return 1;
    if (age < 50)
        return 2;
    if (age < 60)
        return 3;
    if (age < 65)
        return 4;
    return 5;
}

const char *stats_ageband_code(int band)
{
    return band >= 0 && band < STATS_NAGEBANDS ? band_codes[band] : "";
}

int stats_sector_parse(const char *s, size_t n)
{
    for (int i = 0; i < STATS_NSECTORS; i++)
        if (strlen(sector_codes[i]) == n && memcmp(s, sector_codes[i], n) == 0)
            return i;
    return -1;
}

const char *stats_sector_code(int sector)
{
    return sector >= 0 && sector < STATS_NSECTORS ? sector_codes[sector] : "";
}

const char *stats_dim_name(enum stats_dim d)
{
    return (unsigned)d < STATS_NDIMS ? dim_names[d] : "";
}

const char *stats_dim_label(enum stats_dim d)
{
    return (unsigned)d < STATS_NDIMS ? dim_labels[d] : "";
}

int stats_dim_parse(const char *s)
{
    for (int i = 0; i < STATS_NDIMS; i++)
        if (strcmp(s, dim_names[i]) == 0)
            return i;
    return -1;
}

const char *stats_measure_name(enum stats_measure m)
{
    return (unsigned)m < STATS_NMEASURES ? measure_names[m] : "";
}

int stats_measure_parse(const char *s)
{
    for (int i = 0; i < STATS_NMEASURES; i++)
        if (strcmp(s, measure_names[i]) == 0)
            return i;
    return -1;
}

void stats_meta_fixed(struct stats_meta *m)
{
    m->dim[STATS_SECTOR] =
        (struct stats_values){STATS_NSECTORS, sector_codes, sector_labels, 0, NULL};
    m->dim[STATS_SEX] = (struct stats_values){STATS_NSEXES, sex_codes, sex_labels, 0, NULL};
    m->dim[STATS_AGEBAND] =
        (struct stats_values){STATS_NAGEBANDS, band_codes, band_labels, 0, NULL};
    m->dim[STATS_POSITION] =
        (struct stats_values){STATS_NPOSITIONS, position_codes, position_labels, 0, NULL};
}

/* ---- sorting and runs ---- */

/* Sort perm[b..e) by person (LSD radix, 11-bit digits); scratch holds
 * 3 × (e - b) words. */
static void sort_by_person(const uint32_t *person, uint32_t *perm, size_t n, unsigned pbits,
                           uint32_t *scratch)
{
    if (n < 2)
        return;
    uint32_t *ks = scratch, *kd = scratch + n, *pd = scratch + 2 * n, *ps = perm;
    for (size_t i = 0; i < n; i++)
        ks[i] = person[perm[i]];
    unsigned passes = (pbits + 10) / 11;
    unsigned digit = (pbits + passes - 1) / passes;
    uint32_t m = ((uint32_t)1 << digit) - 1;
    for (unsigned shift = 0; shift < pbits; shift += digit) {
        size_t cnt[2048];
        memset(cnt, 0, sizeof(cnt));
        for (size_t i = 0; i < n; i++)
            cnt[(ks[i] >> shift) & m]++;
        size_t sum = 0;
        for (size_t b = 0; b <= m; b++) {
            size_t c = cnt[b];
            cnt[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t at = cnt[(ks[i] >> shift) & m]++;
            kd[at] = ks[i];
            pd[at] = ps[i];
        }
        uint32_t *t = ks;
        ks = kd;
        kd = t;
        t = ps;
        ps = pd;
        pd = t;
    }
    if (ps != perm)
        memcpy(perm, ps, n * sizeof(uint32_t));
}

struct order_job {
    const uint32_t *person;
    uint32_t *perm;
    const size_t *start; /* bucket starts, nb + 1 */
    size_t b0, b1;       /* buckets of this job */
    unsigned pbits;
    int failed;
};

static void *order_run(void *arg)
{
    struct order_job *j = arg;
    size_t max = 0;
    for (size_t b = j->b0; b < j->b1; b++)
        max = j->start[b + 1] - j->start[b] > max ? j->start[b + 1] - j->start[b] : max;
    uint32_t *scratch = malloc((3 * max + 1) * sizeof(uint32_t));
    if (!scratch) {
        j->failed = 1;
        return NULL;
    }
    for (size_t b = j->b0; b < j->b1; b++)
        sort_by_person(j->person, j->perm + j->start[b], j->start[b + 1] - j->start[b], j->pbits,
                       scratch);
    free(scratch);
    return NULL;
}

enum err stats_order(size_t n, const uint8_t *year, const uint8_t *occ, const uint32_t *person,
                     uint32_t *perm)
{
    enum err e = ERR_NOMEM;
    uint32_t maxp = 0;
    /* a counting sort by (year, occ), then each bucket by person; the
     * buckets are shared between two threads */
    size_t *start = calloc(65537, sizeof(size_t));
    if (!start)
        goto out;
    for (size_t i = 0; i < n; i++) {
        maxp = person[i] > maxp ? person[i] : maxp;
        start[((unsigned)year[i] << 8 | occ[i]) + 1]++;
    }
    for (size_t b = 0; b < 65536; b++)
        start[b + 1] += start[b];
    {
        size_t *at = malloc(65536 * sizeof(size_t));
        if (!at)
            goto out;
        memcpy(at, start, 65536 * sizeof(size_t));
        for (size_t i = 0; i < n; i++)
            perm[at[(unsigned)year[i] << 8 | occ[i]]++] = (uint32_t)i;
        free(at);
    }
    unsigned pbits = 1;
    while (pbits < 32 && (maxp >> pbits) != 0)
        pbits++;
    size_t split = 0;
    while (split < 65536 && start[split + 1] <= n / 2)
        split++;
    struct order_job a = {person, perm, start, 0, split, pbits, 0};
    struct order_job b = {person, perm, start, split, 65536, pbits, 0};
    pthread_t th;
    int threaded = n > 100000 && pthread_create(&th, NULL, order_run, &b) == 0;
    order_run(&a);
    if (threaded)
        pthread_join(th, NULL);
    else
        order_run(&b);
    e = a.failed || b.failed ? ERR_NOMEM : ERR_OK;
out:
    free(start);
    return e;
}

enum err stats_runs(size_t n, const uint8_t *year, const uint8_t *occ, struct stats_run **runs,
                    size_t *nruns)
{
    size_t cap = 64, m = 0;
    struct stats_run *r = malloc(cap * sizeof(*r));
    if (!r)
        return ERR_NOMEM;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && year[j] == year[i] && occ[j] == occ[i])
            j++;
        if (m == cap) {
            struct stats_run *nr = realloc(r, cap * 2 * sizeof(*r));
            if (!nr) {
                free(r);
                return ERR_NOMEM;
            }
            r = nr;
            cap *= 2;
        }
        r[m++] = (struct stats_run){STATS_YEAR_MIN + year[i], occ[i], i, j};
        i = j;
    }
    *runs = r;
    *nruns = m;
    return ERR_OK;
}

enum err stats_mark_split(size_t n, const uint8_t *year, const uint8_t *occ, const uint32_t *person,
                          uint32_t npersons, uint8_t *flags)
{
    uint16_t *last_year = calloc(npersons ? npersons : 1, sizeof(uint16_t));
    uint8_t *last_occ = calloc(npersons ? npersons : 1, 1);
    uint16_t *split_year = calloc(npersons ? npersons : 1, sizeof(uint16_t));
    enum err e = ERR_NOMEM;
    if (!last_year || !last_occ || !split_year)
        goto out;
    e = ERR_INVALID;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && year[j] == year[i])
            j++;
        uint16_t stamp = (uint16_t)(year[i] + 1);
        for (size_t k = i; k < j; k++) {
            uint32_t p = person[k];
            if (p >= npersons)
                goto out;
            if (last_year[p] == stamp && last_occ[p] != occ[k])
                split_year[p] = stamp;
            last_year[p] = stamp;
            last_occ[p] = occ[k];
        }
        for (size_t k = i; k < j; k++) {
            if (split_year[person[k]] == stamp)
                flags[k] |= STATS_F_SPLIT;
            else
                flags[k] &= (uint8_t)~STATS_F_SPLIT;
        }
        i = j;
    }
    e = ERR_OK;
out:
    free(last_year);
    free(last_occ);
    free(split_year);
    return e;
}

/* ---- the plan: the positions of each table dimension ----
 *
 * A table dimension is computed over positions: first the base values the
 * table needs (shown, in a shown group, or under a shown total), then the
 * shown groups, then the total. The scan counts every record in its cell
 * of base positions (the inner grid); the groups and totals are sums over
 * base positions (the full grid), corrected for persons with records in
 * more than one cell so that a person counts once in each. */

struct plan_dim {
    enum stats_dim d;
    size_t nv;       /* base values of the dimension */
    size_t nb;       /* base values computed: positions 0..nb-1 */
    uint32_t *base;  /* nb: the base value at each base position */
    long *bpos;      /* nv: the position of each base value, -1 if not computed */
    size_t ng;       /* shown groups: positions nb..nb+ng-1 */
    uint32_t *group; /* ng: their group indices */
    int has_total;   /* the total at position nb+ng */
    size_t npos;
    /* for base position b: lst[loff[b]] = b, then the aggregate positions
     * holding it, ascending */
    size_t *loff;
    uint32_t *lst;
    size_t nshow;
    size_t *show; /* shown value k -> position */
    size_t istride, fstride;
};

struct plan {
    size_t nt;
    struct plan_dim t[STATS_NDIMS];
    size_t ninner, nfull;
    int has_agg;
};

static void plan_release(struct plan *p)
{
    for (size_t i = 0; i < p->nt; i++) {
        free(p->t[i].base);
        free(p->t[i].bpos);
        free(p->t[i].group);
        free(p->t[i].loff);
        free(p->t[i].lst);
        free(p->t[i].show);
    }
    memset(p, 0, sizeof(*p));
}

static enum err plan_dim_build(struct plan_dim *p, const struct stats_values *v, enum stats_dim d,
                               const uint32_t *show, size_t nshow)
{
    size_t nv = v->n;
    uint32_t *def = NULL;
    unsigned char *need = NULL;
    enum err e = ERR_NOMEM;
    memset(p, 0, sizeof(*p));
    p->d = d;
    p->nv = nv;
    if (!show) {
        nshow = nv + (d != STATS_YEAR);
        def = malloc((nshow ? nshow : 1) * sizeof(uint32_t));
        if (!def)
            goto out;
        for (size_t i = 0; i < nv; i++)
            def[i] = (uint32_t)i;
        if (d != STATS_YEAR)
            def[nv] = STATS_TOTAL;
        show = def;
    }
    e = ERR_INVALID;
    if (nshow == 0)
        goto out;
    e = ERR_NOMEM;
    need = calloc(nv ? nv : 1, 1);
    p->bpos = malloc((nv ? nv : 1) * sizeof(long));
    p->base = malloc((nv ? nv : 1) * sizeof(uint32_t));
    p->group = malloc((nshow ? nshow : 1) * sizeof(uint32_t));
    p->show = malloc(nshow * sizeof(size_t));
    if (!need || !p->bpos || !p->base || !p->group || !p->show)
        goto out;
    e = ERR_INVALID;
    for (size_t k = 0; k < nshow; k++) {
        uint32_t x = show[k];
        if (x == STATS_TOTAL) {
            if (d == STATS_YEAR)
                goto out;
            p->has_total = 1;
            memset(need, 1, nv);
        } else if (STATS_IS_GROUP(x)) {
            uint32_t g = STATS_GROUP_OF(x);
            if (g >= v->ngroups)
                goto out;
            size_t i = 0;
            while (i < p->ng && p->group[i] != g)
                i++;
            if (i == p->ng)
                p->group[p->ng++] = g;
            for (size_t b = 0; b < nv; b++)
                need[b] |= v->groups[g].member[b];
        } else {
            if (x >= nv)
                goto out;
            need[x] = 1;
        }
    }
    for (size_t b = 0; b < nv; b++) {
        p->bpos[b] = need[b] ? (long)p->nb : -1;
        if (need[b])
            p->base[p->nb++] = (uint32_t)b;
    }
    p->npos = p->nb + p->ng + (size_t)p->has_total;
    for (size_t k = 0; k < nshow; k++) {
        uint32_t x = show[k];
        if (x == STATS_TOTAL) {
            p->show[k] = p->nb + p->ng;
        } else if (STATS_IS_GROUP(x)) {
            size_t i = 0;
            while (p->group[i] != STATS_GROUP_OF(x))
                i++;
            p->show[k] = p->nb + i;
        } else {
            p->show[k] = (size_t)p->bpos[x];
        }
    }
    p->nshow = nshow;
    e = ERR_NOMEM;
    p->loff = malloc((p->nb + 1) * sizeof(size_t));
    p->lst = malloc((p->nb * (p->ng + 2) + 1) * sizeof(uint32_t));
    if (!p->loff || !p->lst)
        goto out;
    size_t at = 0;
    for (size_t b = 0; b < p->nb; b++) {
        p->loff[b] = at;
        p->lst[at++] = (uint32_t)b;
        for (size_t g = 0; g < p->ng; g++)
            if (v->groups[p->group[g]].member[p->base[b]])
                p->lst[at++] = (uint32_t)(p->nb + g);
        if (p->has_total)
            p->lst[at++] = (uint32_t)(p->nb + p->ng);
    }
    p->loff[p->nb] = at;
    e = ERR_OK;
out:
    free(def);
    free(need);
    return e;
}

/* ---- the scan ---- */

struct pair {
    uint32_t person;
    uint64_t cell;
};

struct scan_dim {
    int wide; /* 1 = uint16_t column */
    const void *col;
    const uint64_t *map; /* value -> inner cell offset, or STATS_EXCL */
};

struct worker {
    const struct stats_cols *cols;
    const struct scan_dim *dims;
    size_t ndims;
    const struct stats_run *runs;
    size_t nruns;
    const struct plan *pl;
    uint32_t *hc, *key; /* inner grid */
    uint64_t *fte;
    int32_t *chc; /* corrections on the full grid (NULL: no aggregates) */
    uint32_t *ckey;
    struct pair *pairs;
    size_t npairs, cappairs;
    uint64_t *pc; /* the distinct cells of the person at hand */
    size_t npc, cappc;
    uint64_t *ex; /* expansions (persons in three cells or more) */
    size_t capex;
    size_t scanned, multi;
    enum err err;
};

static int grow(void **p, size_t *cap, size_t need, size_t size, size_t max)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    if (nc > max)
        return -1;
    void *np = realloc(*p, nc * size);
    if (!np)
        return -1;
    *p = np;
    *cap = nc;
    return 0;
}

/* Add delta (and delta × key) at every full cell of the product of the
 * position lists lp[t] (ln[t] entries). */
static void add_product(const struct plan *pl, const uint32_t *const *lp, const size_t *ln,
                        int32_t delta, uint32_t kdelta, int32_t *chc, uint32_t *ckey)
{
    size_t idx[STATS_NDIMS] = {0};
    for (;;) {
        size_t f = 0;
        for (size_t t = 0; t < pl->nt; t++)
            f += lp[t][idx[t]] * pl->t[t].fstride;
        chc[f] += delta;
        ckey[f] += kdelta;
        size_t t = pl->nt;
        while (t > 0) {
            t--;
            if (++idx[t] < ln[t])
                break;
            idx[t] = 0;
            if (t == 0)
                return;
        }
        if (pl->nt == 0)
            return;
    }
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* A person in m >= 2 cells of the inner grid is in the sum of each
 * aggregate once per cell under it: take the extra counts back. */
static int correct(struct worker *w, const uint64_t *cells, size_t m, uint32_t pk)
{
    const struct plan *pl = w->pl;
    const uint32_t *lp[STATS_NDIMS];
    size_t ln[STATS_NDIMS];
    if (m == 2) {
        /* the aggregates over both cells: where they agree every position
         * of the value, where they differ the aggregates holding both */
        uint32_t common[STATS_NDIMS][256];
        for (size_t t = 0; t < pl->nt; t++) {
            const struct plan_dim *p = &pl->t[t];
            size_t b0 = (size_t)(cells[0] / p->istride % p->nb);
            size_t b1 = (size_t)(cells[1] / p->istride % p->nb);
            const uint32_t *l0 = p->lst + p->loff[b0];
            size_t n0 = p->loff[b0 + 1] - p->loff[b0];
            if (b0 == b1) {
                lp[t] = l0;
                ln[t] = n0;
                continue;
            }
            const uint32_t *l1 = p->lst + p->loff[b1];
            size_t n1 = p->loff[b1 + 1] - p->loff[b1];
            size_t i = 1, j = 1, k = 0;
            while (i < n0 && j < n1 && k < 256) {
                if (l0[i] == l1[j]) {
                    common[t][k++] = l0[i];
                    i++;
                    j++;
                } else if (l0[i] < l1[j]) {
                    i++;
                } else {
                    j++;
                }
            }
            if (k == 0)
                return 0;
            lp[t] = common[t];
            ln[t] = k;
        }
        add_product(pl, lp, ln, -1, (uint32_t)0 - pk, w->chc, w->ckey);
        return 0;
    }
    /* three cells or more: list every full cell each one reaches, and
     * take back all but one count of those reached more than once */
    size_t nex = 0;
    for (size_t c = 0; c < m; c++) {
        size_t per = 1;
        for (size_t t = 0; t < pl->nt; t++) {
            const struct plan_dim *p = &pl->t[t];
            size_t b = (size_t)(cells[c] / p->istride % p->nb);
            lp[t] = p->lst + p->loff[b];
            ln[t] = p->loff[b + 1] - p->loff[b];
            per *= ln[t];
        }
        if (grow((void **)&w->ex, &w->capex, nex + per, sizeof(uint64_t), (size_t)1 << 26) != 0)
            return -1;
        size_t idx[STATS_NDIMS] = {0};
        for (size_t k = 0; k < per; k++) {
            size_t f = 0;
            for (size_t t = 0; t < pl->nt; t++)
                f += lp[t][idx[t]] * pl->t[t].fstride;
            w->ex[nex++] = f;
            for (size_t t = pl->nt; t-- > 0;) {
                if (++idx[t] < ln[t])
                    break;
                idx[t] = 0;
            }
        }
    }
    qsort(w->ex, nex, sizeof(uint64_t), u64_cmp);
    for (size_t i = 0; i < nex;) {
        size_t j = i + 1;
        while (j < nex && w->ex[j] == w->ex[i])
            j++;
        if (j - i > 1) {
            w->chc[w->ex[i]] -= (int32_t)(j - i - 1);
            w->ckey[w->ex[i]] -= (uint32_t)(j - i - 1) * pk;
        }
        i = j;
    }
    return 0;
}

/* Count the person at hand once in each of its cells. */
static int flush_person(struct worker *w, uint32_t person)
{
    if (w->npc == 0)
        return 0;
    uint32_t pk = w->cols->pkey && person < w->cols->npersons ? w->cols->pkey[person] : 0;
    for (size_t i = 0; i < w->npc; i++) {
        w->hc[w->pc[i]]++;
        w->key[w->pc[i]] += pk;
    }
    int rc = 0;
    if (w->npc > 1) {
        w->multi++;
        if (w->chc)
            rc = correct(w, w->pc, w->npc, pk);
    }
    w->npc = 0;
    return rc;
}

static int add_cell(struct worker *w, uint64_t k)
{
    for (size_t s = 0; s < w->npc; s++)
        if (w->pc[s] == k)
            return 0;
    if (grow((void **)&w->pc, &w->cappc, w->npc + 1, sizeof(uint64_t), (size_t)1 << 20) != 0)
        return -1;
    w->pc[w->npc++] = k;
    return 0;
}

static void *scan_worker(void *arg)
{
    struct worker *w = arg;
    const struct stats_cols *c = w->cols;
    uint64_t cell[STATS_BLOCK];
    for (size_t r = 0; r < w->nruns; r++) {
        uint32_t prevp = UINT32_MAX;
        w->npc = 0;
        for (size_t b = w->runs[r].begin; b < w->runs[r].end; b += STATS_BLOCK) {
            size_t m = w->runs[r].end - b < STATS_BLOCK ? w->runs[r].end - b : STATS_BLOCK;
            memset(cell, 0, m * sizeof(cell[0]));
            for (size_t d = 0; d < w->ndims; d++) {
                const uint64_t *map = w->dims[d].map;
                if (w->dims[d].wide) {
                    const uint16_t *col = (const uint16_t *)w->dims[d].col + b;
                    for (size_t i = 0; i < m; i++)
                        cell[i] += map[col[i]];
                } else {
                    const uint8_t *col = (const uint8_t *)w->dims[d].col + b;
                    for (size_t i = 0; i < m; i++)
                        cell[i] += map[col[i]];
                }
            }
            w->scanned += m;
            for (size_t i = 0; i < m; i++) {
                uint64_t k = cell[i];
                if (k >= STATS_EXCL)
                    continue;
                size_t row = b + i;
                w->fte[k] += c->fte[row];
                uint32_t p = c->person[row];
                if (c->flags[row] & STATS_F_SPLIT) {
                    if (grow((void **)&w->pairs, &w->cappairs, w->npairs + 1, sizeof(struct pair),
                             STATS_MAX_PAIRS) != 0) {
                        w->err = ERR_NOMEM;
                        return NULL;
                    }
                    w->pairs[w->npairs++] = (struct pair){p, k};
                    continue;
                }
                if (p != prevp) {
                    if (flush_person(w, prevp) != 0) {
                        w->err = ERR_NOMEM;
                        return NULL;
                    }
                    prevp = p;
                }
                if (add_cell(w, k) != 0) {
                    w->err = ERR_NOMEM;
                    return NULL;
                }
            }
        }
        if (flush_person(w, prevp) != 0) {
            w->err = ERR_NOMEM;
            return NULL;
        }
    }
    return NULL;
}

static int pair_cmp(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    if (x->cell != y->cell)
        return x->cell < y->cell ? -1 : 1;
    return 0;
}

/* ---- population of a cell's area ---- */

/* A geographic coordinate: all, one value, or a group of kommuner. */
struct area {
    int kind; /* 0 all, 1 one value, 2 the members of a group */
    size_t v;
    const unsigned char *member;
};

static int area_has(const struct area *a, size_t i)
{
    return a->kind == 0 || (a->kind == 1 && a->v == i) || (a->kind == 2 && a->member[i]);
}

static int64_t pop_area(const struct stats_meta *meta, const struct stats_pop *pop, size_t yi,
                        const struct area *ka, const struct area *ra)
{
    const int64_t *K = pop->kommun + yi * pop->nk;
    const int64_t *R = pop->region + yi * pop->nr;
    size_t nk = meta->dim[STATS_KOMMUN].n, nr = meta->dim[STATS_REGION].n;
    if (nk > pop->nk || nr > pop->nr)
        return -1;
    int64_t sum = 0;
    if (ka->kind == 0) {
        for (size_t r = 0; r < nr; r++) {
            if (!area_has(ra, r))
                continue;
            if (R[r] < 0)
                return -1;
            sum += R[r];
        }
        return sum;
    }
    for (size_t k = 0; k < nk; k++) {
        if (!area_has(ka, k) || !area_has(ra, meta->kommun_region[k]))
            continue;
        if (K[k] < 0)
            return -1;
        sum += K[k];
    }
    return sum;
}

static enum err set_contents(struct cube *c, const int *meas)
{
    const char *codes[STATS_NMEASURES], *labels[STATS_NMEASURES];
    size_t nm = 0;
    int idx[STATS_NMEASURES];
    for (int m = 0; m < STATS_NMEASURES; m++) {
        if (!meas[m])
            continue;
        idx[nm] = m;
        codes[nm] = measure_names[m];
        labels[nm] = measure_labels[m];
        nm++;
    }
    enum err e = cube_add_dim(c, "measure", "tabellinnehåll", nm, codes, labels);
    if (e != ERR_OK)
        return e;
    struct cube_dim *d = &c->dims[c->ndims - 1];
    d->is_contents = 1;
    d->val_decimals = calloc(nm ? nm : 1, sizeof(int));
    d->val_units = calloc(nm ? nm : 1, sizeof(char *));
    if (!d->val_decimals || !d->val_units)
        return ERR_NOMEM;
    for (size_t i = 0; i < nm; i++) {
        d->val_decimals[i] = measure_decimals[idx[i]];
        d->val_units[i] = strdup(measure_units[idx[i]]);
        if (!d->val_units[i])
            return ERR_NOMEM;
    }
    return ERR_OK;
}

const char *stats_total_code(enum stats_dim d)
{
    return d == STATS_KOMMUN ? "0000" : d == STATS_REGION ? "00" : "total";
}

const char *stats_total_label(enum stats_dim d)
{
    return d == STATS_KOMMUN || d == STATS_REGION ? N_("Riket") : N_("Totalt");
}

/* The shown values of a table dimension. */
static enum err add_table_dim(struct cube *c, const struct stats_meta *meta,
                              const struct plan_dim *p)
{
    const struct stats_values *v = &meta->dim[p->d];
    const char **codes = malloc(p->nshow * sizeof(char *));
    const char **labels = malloc(p->nshow * sizeof(char *));
    enum err e = ERR_NOMEM;
    long total = -1;
    if (!codes || !labels)
        goto out;
    for (size_t k = 0; k < p->nshow; k++) {
        size_t pos = p->show[k];
        if (pos < p->nb) {
            uint32_t b = p->base[pos];
            codes[k] = v->codes[b];
            labels[k] = v->labels ? v->labels[b] : v->codes[b];
        } else if (pos < p->nb + p->ng) {
            const struct stats_group *g = &v->groups[p->group[pos - p->nb]];
            codes[k] = g->code;
            labels[k] = g->label;
        } else {
            codes[k] = stats_total_code(p->d);
            labels[k] = stats_total_label(p->d);
            total = (long)k;
        }
    }
    e = cube_add_dim(c, dim_names[p->d], dim_labels[p->d], p->nshow, codes, labels);
    if (e == ERR_OK) {
        c->dims[c->ndims - 1].is_time = p->d == STATS_YEAR;
        c->dims[c->ndims - 1].total = total;
    }
out:
    free(codes);
    free(labels);
    return e;
}

/* The area of a position of the kommun or region dimension. */
static void position_area(const struct stats_meta *meta, const struct plan_dim *p, size_t pos,
                          struct area *a)
{
    if (pos < p->nb) {
        a->kind = 1;
        a->v = p->base[pos];
    } else if (pos < p->nb + p->ng) {
        a->kind = 2;
        a->member = meta->dim[p->d].groups[p->group[pos - p->nb]].member;
    } else {
        a->kind = 0;
    }
}

/* The area of a dimension outside the table. */
static void fixed_area(const struct stats_meta *meta, const struct stats_query *q, enum stats_dim d,
                       struct area *a)
{
    uint32_t x = q->fixed[d];
    a->kind = 0;
    if (!q->fixed_set[d] || x == STATS_TOTAL)
        return;
    if (STATS_IS_GROUP(x)) {
        a->kind = 2;
        a->member = meta->dim[d].groups[STATS_GROUP_OF(x)].member;
    } else {
        a->kind = 1;
        a->v = x;
    }
}

static const void *column_of(const struct stats_cols *cols, int d, int *wide)
{
    *wide = d == STATS_KOMMUN || d == STATS_SPECIALTY || d == STATS_POSITION;
    switch (d) {
    case STATS_YEAR:
        return cols->year;
    case STATS_REGION:
        return cols->region;
    case STATS_KOMMUN:
        return cols->kommun;
    case STATS_SECTOR:
        return cols->sector;
    case STATS_SEX:
        return cols->sex;
    case STATS_AGEBAND:
        return cols->ageband;
    case STATS_LICENCE:
        return cols->licence;
    case STATS_OCCUPATION:
        return cols->occ;
    case STATS_CARETYPE:
        return cols->caretype;
    case STATS_POSITION:
        return cols->ssyk;
    default:
        return cols->specialty;
    }
}

/* Sum the base positions of dimension t into its groups and total, over
 * every other coordinate (those of earlier dimensions' aggregates too). */
#define AGGREGATE(arr, type)                                                                       \
    do {                                                                                           \
        size_t fs_ = p->fstride, blk_ = p->npos * fs_;                                             \
        for (size_t o_ = 0; o_ < pl.nfull; o_ += blk_)                                             \
            for (size_t b_ = 0; b_ < p->nb; b_++)                                                  \
                for (size_t a_ = p->loff[b_] + 1; a_ < p->loff[b_ + 1]; a_++) {                    \
                    type *dst_ = (arr) + o_ + p->lst[a_] * fs_;                                    \
                    const type *src_ = (arr) + o_ + b_ * fs_;                                      \
                    for (size_t i_ = 0; i_ < fs_; i_++)                                            \
                        dst_[i_] += src_[i_];                                                      \
                }                                                                                  \
    } while (0)

enum err stats_table(const struct stats_cols *cols, const struct stats_meta *meta,
                     const struct stats_run *runs, size_t nruns, const struct stats_pop *pop,
                     const struct stats_query *q, struct cube *out, struct stats_info *info)
{
    enum err e = ERR_INVALID;
    struct plan pl;
    uint64_t *maps[STATS_NDIMS] = {0};
    struct scan_dim sd[STATS_NDIMS];
    size_t nsd = 0;
    struct stats_run *sel = NULL;
    struct worker w[2];
    int64_t *fhc = NULL;
    uint32_t *fkey = NULL;
    uint64_t *ffte = NULL;
    memset(&pl, 0, sizeof(pl));
    memset(w, 0, sizeof(w));
    memset(info, 0, sizeof(*info));
    cube_init(out);

    /* the plan */
    int used[STATS_NDIMS] = {0};
    long tpos[STATS_NDIMS];
    for (int d = 0; d < STATS_NDIMS; d++)
        tpos[d] = -1;
    for (size_t i = 0; i < q->nrows + q->ncols; i++) {
        enum stats_dim d = i < q->nrows ? q->rows[i] : q->cols[i - q->nrows];
        if ((unsigned)d >= STATS_NDIMS || used[d])
            goto out;
        used[d] = 1;
        tpos[d] = (long)pl.nt;
        e = plan_dim_build(&pl.t[pl.nt++], &meta->dim[d], d, q->show[d], q->nshow[d]);
        if (e != ERR_OK)
            goto out;
    }
    e = ERR_INVALID;
    int nmeas = 0;
    for (int m = 0; m < STATS_NMEASURES; m++)
        nmeas += q->measure[m] ? 1 : 0;
    if (nmeas == 0 || (q->ckm && !cols->pkey))
        goto out;
    for (int d = 0; d < STATS_NDIMS; d++) {
        if (used[d] || !q->fixed_set[d] || q->fixed[d] == STATS_TOTAL)
            continue;
        uint32_t x = q->fixed[d];
        if (STATS_IS_GROUP(x) ? STATS_GROUP_OF(x) >= meta->dim[d].ngroups : x >= meta->dim[d].n)
            goto out;
    }
    /* a table over several years needs year as a dimension */
    if (!used[STATS_YEAR] &&
        (!q->fixed_set[STATS_YEAR] || STATS_IS_GROUP(q->fixed[STATS_YEAR]) ||
         q->fixed[STATS_YEAR] == STATS_TOTAL) &&
        meta->dim[STATS_YEAR].n > 1)
        goto out;
    pl.ninner = pl.nfull = 1;
    for (size_t t = pl.nt; t-- > 0;) {
        struct plan_dim *p = &pl.t[t];
        p->istride = pl.ninner;
        p->fstride = pl.nfull;
        if (p->nb == 0 || pl.nfull > STATS_MAX_CELLS / p->npos) {
            e = p->nb == 0 ? ERR_INVALID : ERR_LIMIT;
            goto out;
        }
        pl.ninner *= p->nb;
        pl.nfull *= p->npos;
        pl.has_agg |= p->npos > p->nb;
    }
    info->cells = pl.nfull;

    /* the maps from column values to inner offsets, or out */
    e = ERR_NOMEM;
    for (int d = 0; d < STATS_NDIMS; d++) {
        long t = tpos[d];
        int fixed = !used[d] && q->fixed_set[d] && q->fixed[d] != STATS_TOTAL;
        if (t < 0 && !fixed)
            continue;
        size_t nv = d == STATS_YEAR ? 256 : meta->dim[d].n;
        if (d == STATS_KOMMUN || d == STATS_SPECIALTY || d == STATS_POSITION)
            nv = nv > 65536 ? nv : 65536;
        else if (nv < 256)
            nv = 256;
        maps[d] = malloc(nv * sizeof(uint64_t));
        if (!maps[d])
            goto out;
        struct area fa;
        fixed_area(meta, q, (enum stats_dim)d, &fa);
        for (size_t v = 0; v < nv; v++) {
            /* column value v -> meta index (years are stored as offsets,
             * positions read from the SSYK code) */
            long mi = d == STATS_YEAR       ? (long)v + STATS_YEAR_MIN - meta->year0
                      : d == STATS_POSITION ? (long)stats_position((int)v)
                                            : (long)v;
            uint64_t m = STATS_EXCL;
            if (mi >= 0 && (size_t)mi < meta->dim[d].n) {
                if (t >= 0 && pl.t[t].bpos[mi] >= 0)
                    m = (uint64_t)pl.t[t].bpos[mi] * pl.t[t].istride;
                else if (t < 0 && area_has(&fa, (size_t)mi))
                    m = 0;
            }
            maps[d][v] = m;
        }
        sd[nsd].map = maps[d];
        sd[nsd].col = column_of(cols, d, &sd[nsd].wide);
        nsd++;
    }

    /* the runs to scan: those whose year and occupation can count */
    sel = malloc((nruns ? nruns : 1) * sizeof(*sel));
    if (!sel)
        goto out;
    size_t nsel = 0, total_rows = 0;
    for (size_t r = 0; r < nruns; r++) {
        long yv = (long)runs[r].year - STATS_YEAR_MIN;
        if (yv < 0 || yv > 255 || (maps[STATS_YEAR] && maps[STATS_YEAR][yv] >= STATS_EXCL))
            continue;
        if (maps[STATS_OCCUPATION] &&
            (runs[r].occ > 255 || maps[STATS_OCCUPATION][runs[r].occ] >= STATS_EXCL))
            continue;
        sel[nsel++] = runs[r];
        total_rows += runs[r].end - runs[r].begin;
    }

    int nth = q->nthreads >= 2 && nsel >= 2 && total_rows > 200000 ? 2 : 1;
    size_t split = nsel;
    if (nth == 2) {
        size_t acc = 0;
        split = 0;
        while (split < nsel && acc < total_rows / 2) {
            acc += sel[split].end - sel[split].begin;
            split++;
        }
        if (split == nsel)
            nth = 1;
    }
    for (int t = 0; t < nth; t++) {
        w[t].cols = cols;
        w[t].dims = sd;
        w[t].ndims = nsd;
        w[t].pl = &pl;
        w[t].runs = t == 0 ? sel : sel + split;
        w[t].nruns = nth == 1 ? nsel : t == 0 ? split : nsel - split;
        w[t].hc = calloc(pl.ninner, sizeof(uint32_t));
        w[t].key = calloc(pl.ninner, sizeof(uint32_t));
        w[t].fte = calloc(pl.ninner, sizeof(uint64_t));
        if (!w[t].hc || !w[t].key || !w[t].fte)
            goto out;
        if (pl.has_agg) {
            w[t].chc = calloc(pl.nfull, sizeof(int32_t));
            w[t].ckey = calloc(pl.nfull, sizeof(uint32_t));
            if (!w[t].chc || !w[t].ckey)
                goto out;
        }
    }
    if (nth == 2) {
        pthread_t th;
        if (pthread_create(&th, NULL, scan_worker, &w[1]) != 0) {
            w[0].nruns = nsel;
            w[1].nruns = 0;
            scan_worker(&w[0]);
        } else {
            scan_worker(&w[0]);
            pthread_join(th, NULL);
        }
    } else {
        scan_worker(&w[0]);
    }
    for (int t = 0; t < 2; t++)
        if (w[t].err != ERR_OK) {
            e = w[t].err;
            goto out;
        }
    info->rows_scanned = w[0].scanned + w[1].scanned;
    /* persons whose records lie in several runs: their cells, in person order */
    if (w[1].npairs) {
        if (grow((void **)&w[0].pairs, &w[0].cappairs, w[0].npairs + w[1].npairs,
                 sizeof(struct pair), STATS_MAX_PAIRS) != 0)
            goto out;
        memcpy(w[0].pairs + w[0].npairs, w[1].pairs, w[1].npairs * sizeof(struct pair));
        w[0].npairs += w[1].npairs;
    }
    if (w[0].npairs) {
        qsort(w[0].pairs, w[0].npairs, sizeof(struct pair), pair_cmp);
        for (size_t i = 0; i < w[0].npairs;) {
            size_t j = i;
            w[0].npc = 0;
            while (j < w[0].npairs && w[0].pairs[j].person == w[0].pairs[i].person) {
                if (add_cell(&w[0], w[0].pairs[j].cell) != 0)
                    goto out;
                j++;
            }
            if (flush_person(&w[0], w[0].pairs[i].person) != 0)
                goto out;
            i = j;
        }
    }
    info->multi = w[0].multi + w[1].multi;

    /* the full grid: base cells, then groups and totals, then the
     * corrections for persons in several cells */
    fhc = calloc(pl.nfull, sizeof(int64_t));
    fkey = calloc(pl.nfull, sizeof(uint32_t));
    ffte = calloc(pl.nfull, sizeof(uint64_t));
    if (!fhc || !fkey || !ffte)
        goto out;
    {
        size_t idx[STATS_NDIMS] = {0};
        for (size_t i = 0; i < pl.ninner; i++) {
            size_t f = 0;
            for (size_t t = 0; t < pl.nt; t++)
                f += idx[t] * pl.t[t].fstride;
            fhc[f] = (int64_t)w[0].hc[i] + (w[1].hc ? w[1].hc[i] : 0);
            fkey[f] = w[0].key[i] + (w[1].key ? w[1].key[i] : 0);
            ffte[f] = w[0].fte[i] + (w[1].fte ? w[1].fte[i] : 0);
            for (size_t t = pl.nt; t-- > 0;) {
                if (++idx[t] < pl.t[t].nb)
                    break;
                idx[t] = 0;
            }
        }
    }
    for (size_t t = 0; t < pl.nt; t++) {
        const struct plan_dim *p = &pl.t[t];
        if (p->npos == p->nb)
            continue;
        AGGREGATE(fhc, int64_t);
        AGGREGATE(fkey, uint32_t);
        AGGREGATE(ffte, uint64_t);
    }
    if (pl.has_agg) {
        for (int t = 0; t < 2; t++) {
            if (!w[t].chc)
                continue;
            for (size_t f = 0; f < pl.nfull; f++) {
                fhc[f] += w[t].chc[f];
                fkey[f] += w[t].ckey[f];
            }
        }
    }

    /* the cube */
    for (size_t t = 0; t < pl.nt; t++) {
        e = add_table_dim(out, meta, &pl.t[t]);
        if (e != ERR_OK)
            goto out;
    }
    e = set_contents(out, q->measure);
    if (e == ERR_OK)
        e = cube_alloc_cells(out);
    if (e != ERR_OK)
        goto out;
    out->no_aggregation = q->ckm || q->measure[STATS_HEADCOUNT] || q->measure[STATS_PER100K];
    out->heading = q->ncols + 1; /* the column dimensions and the measures */
    long yt = tpos[STATS_YEAR], rt = tpos[STATS_REGION], kt = tpos[STATS_KOMMUN];
    long fixed_year = -1; /* when year is not a dimension: the one year */
    if (yt < 0) {
        if (q->fixed_set[STATS_YEAR] && q->fixed[STATS_YEAR] < meta->dim[STATS_YEAR].n)
            fixed_year = (long)q->fixed[STATS_YEAR];
        else if (meta->dim[STATS_YEAR].n == 1)
            fixed_year = 0;
    }
    struct area kfix, rfix;
    fixed_area(meta, q, STATS_KOMMUN, &kfix);
    fixed_area(meta, q, STATS_REGION, &rfix);
    unsigned char ymissing[256] = {0};
    size_t idx[STATS_NDIMS] = {0};
    size_t nout = out->ncells / (size_t)nmeas;
    for (size_t oc = 0; oc < nout; oc++) {
        size_t f = 0;
        for (size_t t = 0; t < pl.nt; t++)
            f += pl.t[t].show[idx[t]] * pl.t[t].fstride;
        int64_t hc = fhc[f];
        long pub = q->ckm ? ckm_count(q->ckm, (long)hc, fkey[f]) : (long)hc;
        size_t base = oc * (size_t)nmeas;
        int m = 0;
        for (int me = 0; me < STATS_NMEASURES; me++) {
            if (!q->measure[me])
                continue;
            size_t cell = base + (size_t)m++;
            if (me == STATS_HEADCOUNT) {
                out->value[cell] = (double)pub;
            } else if (me == STATS_FTE) {
                int64_t v =
                    q->ckm ? ckm_fte((int64_t)ffte[f], (long)hc, pub, fkey[f]) : (int64_t)ffte[f];
                out->value[cell] = (double)v / 100.0;
            } else {
                long yi = yt >= 0 ? (long)pl.t[yt].base[pl.t[yt].show[idx[yt]]] : fixed_year;
                struct area ka = kfix, ra = rfix;
                if (kt >= 0)
                    position_area(meta, &pl.t[kt], pl.t[kt].show[idx[kt]], &ka);
                if (rt >= 0)
                    position_area(meta, &pl.t[rt], pl.t[rt].show[idx[rt]], &ra);
                int64_t p = -1;
                if (pop && yi >= 0) {
                    long pyl = meta->year0 + yi - pop->year0;
                    if (pyl >= 0 && (size_t)pyl < pop->ny)
                        p = pop_area(meta, pop, (size_t)pyl, &ka, &ra);
                }
                if (p <= 0) {
                    out->status[cell] = CUBE_MISSING;
                    if (yi >= 0 && yi < 256)
                        ymissing[yi] = 1;
                } else {
                    /* rounded to the measure's one decimal, so that every
                     * writer (and PX's DECIMALS) gets the value it shows */
                    out->value[cell] = round((double)pub * 1000000.0 / (double)p) / 10.0;
                }
            }
        }
        for (size_t t = pl.nt; t-- > 0;) {
            if (++idx[t] < pl.t[t].nshow)
                break;
            idx[t] = 0;
        }
    }
    for (size_t y = 0; y < 256; y++) {
        if (!ymissing[y])
            continue;
        if (info->missing_pop_years < 64)
            info->missing_years[info->missing_pop_years] = meta->year0 + (int)y;
        info->missing_pop_years++;
    }
    e = ERR_OK;
out:
    for (int d = 0; d < STATS_NDIMS; d++)
        free(maps[d]);
    free(sel);
    for (int t = 0; t < 2; t++) {
        free(w[t].hc);
        free(w[t].key);
        free(w[t].fte);
        free(w[t].chc);
        free(w[t].ckey);
        free(w[t].pairs);
        free(w[t].pc);
        free(w[t].ex);
    }
    free(fhc);
    free(fkey);
    free(ffte);
    plan_release(&pl);
    if (e != ERR_OK)
        cube_release(out);
    return e;
}
