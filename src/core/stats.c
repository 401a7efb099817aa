/* stats.c - workforce statistics tables: a block-wise scan over column
 * arrays that counts distinct persons and sums FTE per cell, then margins,
 * per 100 000 inhabitants and disclosure control. */
#include "core/stats.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/suppress.h"

#define STATS_BLOCK 2048
#define STATS_SEEN 16
#define STATS_EXCL ((uint64_t)1 << 40)
#define STATS_MAX_CELLS ((size_t)64 << 20)
#define STATS_MAX_PAIRS ((size_t)1 << 28)

static const char *const dim_names[STATS_NDIMS] = {
    "year", "region", "kommun", "sector", "sex", "ageband", "licence", "occupation", "specialty"};
static const char *const dim_labels[STATS_NDIMS] = {"år",           "region", "kommun",
                                                    "sektor",       "kön",    "åldersgrupp",
                                                    "legitimation", "yrke",   "specialitet"};
static const char *const measure_names[STATS_NMEASURES] = {"headcount", "fte", "per100k"};
static const char *const measure_labels[STATS_NMEASURES] = {"antal personer", "årsarbetare",
                                                            "per 100 000 invånare"};
static const char *const measure_units[STATS_NMEASURES] = {"personer", "årsarbetare",
                                                           "per 100 000 invånare"};
static const int measure_decimals[STATS_NMEASURES] = {0, 2, 1};

static const char *const sector_codes[STATS_NSECTORS] = {"region", "kommun", "privat", "stat"};
static const char *const sector_labels[STATS_NSECTORS] = {"Region", "Kommun", "Privat", "Stat"};
static const char *const sex_codes[STATS_NSEXES] = {"1", "2"};
static const char *const sex_labels[STATS_NSEXES] = {"Män", "Kvinnor"};
static const char *const band_codes[STATS_NAGEBANDS] = {"-29",   "30-39", "40-49",
                                                        "50-59", "60-64", "65+"};
static const char *const band_labels[STATS_NAGEBANDS] = {"-29 år",   "30-39 år", "40-49 år",
                                                         "50-59 år", "60-64 år", "65+ år"};

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
    m->dim[STATS_SECTOR] = (struct stats_values){STATS_NSECTORS, sector_codes, sector_labels};
    m->dim[STATS_SEX] = (struct stats_values){STATS_NSEXES, sex_codes, sex_labels};
    m->dim[STATS_AGEBAND] = (struct stats_values){STATS_NAGEBANDS, band_codes, band_labels};
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

/* ---- the scan ---- */

struct pair {
    uint64_t cell;
    uint32_t person;
};

struct scan_dim {
    int wide; /* 1 = uint16_t column */
    const void *col;
    const uint64_t *map; /* value -> cell offset, or STATS_EXCL */
};

struct worker {
    const struct stats_cols *cols;
    const struct scan_dim *dims;
    size_t ndims;
    const struct stats_run *runs;
    size_t nruns;
    size_t ncells;
    uint32_t *hc;
    uint64_t *fte;
    struct pair *pairs;
    size_t npairs, cappairs;
    size_t scanned;
    enum err err;
};

static int push_pair(struct worker *w, uint64_t cell, uint32_t person)
{
    if (w->npairs == w->cappairs) {
        size_t nc = w->cappairs ? w->cappairs * 2 : 4096;
        if (nc > STATS_MAX_PAIRS)
            return -1;
        struct pair *np = realloc(w->pairs, nc * sizeof(*np));
        if (!np)
            return -1;
        w->pairs = np;
        w->cappairs = nc;
    }
    w->pairs[w->npairs++] = (struct pair){cell, person};
    return 0;
}

static void *scan_worker(void *arg)
{
    struct worker *w = arg;
    const struct stats_cols *c = w->cols;
    uint64_t cell[STATS_BLOCK];
    uint64_t seen[STATS_SEEN];
    for (size_t r = 0; r < w->nruns; r++) {
        uint32_t prevp = UINT32_MAX;
        size_t nseen = 0;
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
                    if (push_pair(w, k, p) != 0) {
                        w->err = ERR_NOMEM;
                        return NULL;
                    }
                    continue;
                }
                if (p != prevp) {
                    prevp = p;
                    nseen = 0;
                }
                size_t s = 0;
                while (s < nseen && seen[s] != k)
                    s++;
                if (s < nseen)
                    continue;
                if (nseen < STATS_SEEN) {
                    seen[nseen++] = k;
                    w->hc[k]++;
                } else if (push_pair(w, k, p) != 0) {
                    w->err = ERR_NOMEM;
                    return NULL;
                }
            }
        }
    }
    return NULL;
}

static int pair_cmp(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->cell != y->cell)
        return x->cell < y->cell ? -1 : 1;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    return 0;
}

/* ---- population of a cell's area ---- */

static int64_t pop_area(const struct stats_meta *meta, const struct stats_pop *pop,
                        const struct stats_query *q, size_t yi, long rc, long kc)
{
    const int64_t *K = pop->kommun + yi * pop->nk;
    const int64_t *R = pop->region + yi * pop->nr;
    const unsigned char *ak = q->allow[STATS_KOMMUN], *ar = q->allow[STATS_REGION];
    size_t nk = meta->dim[STATS_KOMMUN].n, nr = meta->dim[STATS_REGION].n;
    if (nk > pop->nk || nr > pop->nr)
        return -1;
    if (kc >= 0)
        return K[kc];
    int64_t sum = 0;
    if (!ak) {
        if (rc >= 0)
            return R[rc];
        for (size_t r = 0; r < nr; r++) {
            if (ar && !ar[r])
                continue;
            if (R[r] < 0)
                return -1;
            sum += R[r];
        }
        return sum;
    }
    for (size_t k = 0; k < nk; k++) {
        unsigned reg = meta->kommun_region[k];
        if (!ak[k] || (ar && !ar[reg]) || (rc >= 0 && (long)reg != rc))
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

/* The shown values of a table dimension (sel: meta indices, n of them),
 * then the total. */
static enum err add_table_dim(struct cube *c, const struct stats_meta *meta, enum stats_dim d,
                              const size_t *sel, size_t nsel, int with_total)
{
    const struct stats_values *v = &meta->dim[d];
    size_t n = nsel + (with_total ? 1 : 0);
    const char **codes = malloc((n ? n : 1) * sizeof(char *));
    const char **labels = malloc((n ? n : 1) * sizeof(char *));
    enum err e = ERR_NOMEM;
    if (!codes || !labels)
        goto out;
    for (size_t i = 0; i < nsel; i++) {
        codes[i] = v->codes[sel[i]];
        labels[i] = v->labels ? v->labels[sel[i]] : v->codes[sel[i]];
    }
    if (with_total) {
        /* a total over some regions or kommuner is not the country */
        int geo = (d == STATS_REGION || d == STATS_KOMMUN) && nsel == v->n;
        codes[nsel] = geo && d == STATS_KOMMUN ? "0000" : geo ? "00" : "total";
        labels[nsel] = geo ? "Riket" : "Totalt";
    }
    e = cube_add_dim(c, dim_names[d], dim_labels[d], n, codes, labels);
    if (e == ERR_OK && d == STATS_YEAR)
        c->dims[c->ndims - 1].is_time = 1;
out:
    free(codes);
    free(labels);
    return e;
}

enum err stats_table(const struct stats_cols *cols, const struct stats_meta *meta,
                     const struct stats_run *runs, size_t nruns, const struct stats_pop *pop,
                     const struct stats_query *q, struct cube *out, struct stats_info *info)
{
    enum err e = ERR_INVALID;
    enum stats_dim tdim[STATS_NDIMS];
    size_t nt = 0;
    uint64_t *maps[STATS_NDIMS] = {0};
    struct scan_dim sd[STATS_NDIMS];
    size_t nsd = 0;
    struct stats_run *sel = NULL;
    struct worker w[2];
    uint32_t *hc = NULL;
    uint64_t *fte = NULL;
    double *full = NULL, *fullfte = NULL;
    unsigned char *mark = NULL;
    size_t *fmap = NULL;
    size_t *shown[STATS_NDIMS] = {0};
    memset(w, 0, sizeof(w));
    memset(info, 0, sizeof(*info));
    cube_init(out);

    int used[STATS_NDIMS] = {0};
    for (size_t i = 0; i < q->nrows + q->ncols; i++) {
        enum stats_dim d = i < q->nrows ? q->rows[i] : q->cols[i - q->nrows];
        if ((unsigned)d >= STATS_NDIMS || used[d])
            goto out;
        used[d] = 1;
        tdim[nt++] = d;
    }
    int nmeas = 0;
    for (int m = 0; m < STATS_NMEASURES; m++)
        nmeas += q->measure[m] ? 1 : 0;
    if (nmeas == 0)
        goto out;

    /* inner grid: strides over the table dimensions */
    size_t n_in[STATS_NDIMS], stride[STATS_NDIMS];
    size_t ncells = 1;
    for (size_t t = nt; t-- > 0;) {
        /* the values shown: all, or those the filter allows */
        const unsigned char *al = q->allow[tdim[t]];
        size_t nv = meta->dim[tdim[t]].n;
        shown[t] = malloc((nv ? nv : 1) * sizeof(size_t));
        if (!shown[t]) {
            e = ERR_NOMEM;
            goto out;
        }
        n_in[t] = 0;
        for (size_t v = 0; v < nv; v++)
            if (!al || al[v])
                shown[t][n_in[t]++] = v;
        stride[t] = ncells;
        if (n_in[t] == 0) {
            e = ERR_INVALID;
            goto out;
        }
        if (ncells > STATS_MAX_CELLS / n_in[t]) {
            e = ERR_LIMIT;
            goto out;
        }
        ncells *= n_in[t];
    }
    e = ERR_NOMEM;
    for (int d = 0; d < STATS_NDIMS; d++) {
        long t = -1;
        for (size_t i = 0; i < nt; i++)
            if (tdim[i] == (enum stats_dim)d)
                t = (long)i;
        if (t < 0 && !q->allow[d])
            continue;
        size_t nv = d == STATS_YEAR ? 256 : meta->dim[d].n;
        if (d == STATS_KOMMUN || d == STATS_SPECIALTY)
            nv = nv > 65536 ? nv : 65536;
        else if (nv < 256)
            nv = 256;
        maps[d] = malloc(nv * sizeof(uint64_t));
        if (!maps[d])
            goto out;
        for (size_t v = 0; v < nv; v++) {
            /* column value v -> meta index (years are stored as offsets) */
            long mi = d == STATS_YEAR ? (long)v + STATS_YEAR_MIN - meta->year0 : (long)v;
            int ok = mi >= 0 && (size_t)mi < meta->dim[d].n && (!q->allow[d] || q->allow[d][mi]);
            uint64_t pos = 0;
            if (ok && t >= 0) {
                size_t k = 0;
                while (shown[t][k] != (size_t)mi)
                    k++;
                pos = (uint64_t)k * stride[t];
            }
            maps[d][v] = !ok ? STATS_EXCL : pos;
        }
        sd[nsd].map = maps[d];
        switch (d) {
        case STATS_YEAR:
            sd[nsd].col = cols->year;
            sd[nsd].wide = 0;
            break;
        case STATS_REGION:
            sd[nsd].col = cols->region;
            sd[nsd].wide = 0;
            break;
        case STATS_KOMMUN:
            sd[nsd].col = cols->kommun;
            sd[nsd].wide = 1;
            break;
        case STATS_SECTOR:
            sd[nsd].col = cols->sector;
            sd[nsd].wide = 0;
            break;
        case STATS_SEX:
            sd[nsd].col = cols->sex;
            sd[nsd].wide = 0;
            break;
        case STATS_AGEBAND:
            sd[nsd].col = cols->ageband;
            sd[nsd].wide = 0;
            break;
        case STATS_LICENCE:
            sd[nsd].col = cols->licence;
            sd[nsd].wide = 0;
            break;
        case STATS_OCCUPATION:
            sd[nsd].col = cols->occ;
            sd[nsd].wide = 0;
            break;
        default:
            sd[nsd].col = cols->specialty;
            sd[nsd].wide = 1;
            break;
        }
        nsd++;
    }

    /* the runs to scan: those whose year and occupation pass the filters */
    sel = malloc((nruns ? nruns : 1) * sizeof(*sel));
    if (!sel)
        goto out;
    size_t nsel = 0, total_rows = 0;
    for (size_t r = 0; r < nruns; r++) {
        long yi = (long)runs[r].year - meta->year0;
        if (yi < 0 || (size_t)yi >= meta->dim[STATS_YEAR].n)
            continue;
        if (q->allow[STATS_YEAR] && !q->allow[STATS_YEAR][yi])
            continue;
        if (q->allow[STATS_OCCUPATION] && (runs[r].occ >= meta->dim[STATS_OCCUPATION].n ||
                                           !q->allow[STATS_OCCUPATION][runs[r].occ]))
            continue;
        sel[nsel++] = runs[r];
        total_rows += runs[r].end - runs[r].begin;
    }

    hc = calloc(ncells ? ncells : 1, sizeof(uint32_t));
    fte = calloc(ncells ? ncells : 1, sizeof(uint64_t));
    if (!hc || !fte)
        goto out;
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
        w[t].runs = t == 0 ? sel : sel + split;
        w[t].nruns = nth == 1 ? nsel : t == 0 ? split : nsel - split;
        w[t].ncells = ncells;
        w[t].hc = t == 0 ? hc : calloc(ncells ? ncells : 1, sizeof(uint32_t));
        w[t].fte = t == 0 ? fte : calloc(ncells ? ncells : 1, sizeof(uint64_t));
        if (!w[t].hc || !w[t].fte)
            goto out;
    }
    if (nth == 2) {
        pthread_t th;
        if (pthread_create(&th, NULL, scan_worker, &w[1]) != 0) {
            nth = 1;
            w[0].nruns = nsel;
            scan_worker(&w[0]);
        } else {
            scan_worker(&w[0]);
            pthread_join(th, NULL);
            for (size_t i = 0; i < ncells; i++) {
                hc[i] += w[1].hc[i];
                fte[i] += w[1].fte[i];
            }
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
    /* persons whose records are not in one run: distinct (cell, person) */
    if (w[1].npairs) {
        if (w[0].npairs + w[1].npairs > STATS_MAX_PAIRS)
            goto out;
        if (w[0].npairs + w[1].npairs > w[0].cappairs) {
            struct pair *np = realloc(w[0].pairs, (w[0].npairs + w[1].npairs) * sizeof(*np));
            if (!np)
                goto out;
            w[0].pairs = np;
            w[0].cappairs = w[0].npairs + w[1].npairs;
        }
        memcpy(w[0].pairs + w[0].npairs, w[1].pairs, w[1].npairs * sizeof(struct pair));
        w[0].npairs += w[1].npairs;
    }
    if (w[0].npairs) {
        qsort(w[0].pairs, w[0].npairs, sizeof(struct pair), pair_cmp);
        for (size_t i = 0; i < w[0].npairs; i++)
            if (i == 0 || pair_cmp(&w[0].pairs[i], &w[0].pairs[i - 1]) != 0)
                hc[w[0].pairs[i].cell]++;
    }

    /* full grid with a total at the end of every dimension but year */
    size_t n_full[STATS_NDIMS], fstride[STATS_NDIMS];
    int has_total[STATS_NDIMS];
    size_t nfull = 1;
    for (size_t t = nt; t-- > 0;) {
        has_total[t] = tdim[t] != STATS_YEAR;
        n_full[t] = n_in[t] + (size_t)has_total[t];
        fstride[t] = nfull;
        nfull *= n_full[t];
    }
    full = calloc(nfull, sizeof(double));
    fullfte = calloc(nfull, sizeof(double));
    mark = calloc(nfull, 1);
    fmap = malloc((ncells ? ncells : 1) * sizeof(size_t));
    if (!full || !fullfte || !mark || !fmap)
        goto out;
    for (size_t i = 0; i < ncells; i++) {
        size_t f = 0, rest = i;
        for (size_t t = 0; t < nt; t++) {
            size_t coord = rest / stride[t];
            rest %= stride[t];
            f += coord * fstride[t];
        }
        fmap[i] = f;
        full[f] = hc[i];
        fullfte[f] = (double)fte[i];
    }
    for (size_t t = 0; t < nt; t++) {
        if (!has_total[t])
            continue;
        for (size_t f = 0; f < nfull; f++) {
            size_t coord = (f / fstride[t]) % n_full[t];
            if (coord == n_in[t])
                continue;
            size_t tot = f + (n_in[t] - coord) * fstride[t];
            full[tot] += full[f];
            fullfte[tot] += fullfte[f];
        }
    }
    if (q->suppress) {
        struct suppress_result sr;
        e = suppress_table(nt, n_full, has_total, full, q->threshold, mark, &sr);
        if (e != ERR_OK)
            goto out;
        info->primary = sr.primary;
        info->secondary = sr.secondary;
    }

    /* the cube */
    e = ERR_NOMEM;
    for (size_t t = 0; t < nt; t++) {
        e = add_table_dim(out, meta, tdim[t], shown[t], n_in[t], has_total[t] && !q->omit_totals);
        if (e != ERR_OK)
            goto out;
    }
    e = set_contents(out, q->measure);
    if (e != ERR_OK)
        goto out;
    e = cube_alloc_cells(out);
    if (e != ERR_OK)
        goto out;
    long yt = -1, rt = -1, kt = -1;
    for (size_t t = 0; t < nt; t++) {
        if (tdim[t] == STATS_YEAR)
            yt = (long)t;
        else if (tdim[t] == STATS_REGION)
            rt = (long)t;
        else if (tdim[t] == STATS_KOMMUN)
            kt = (long)t;
    }
    long fixed_year = -1; /* when year is not a dimension: the one year allowed */
    if (yt < 0) {
        for (size_t y = 0; y < meta->dim[STATS_YEAR].n; y++)
            if (!q->allow[STATS_YEAR] || q->allow[STATS_YEAR][y])
                fixed_year = fixed_year == -1 ? (long)y : -2;
    }
    unsigned char ymissing[256] = {0};
    size_t outcell = 0;
    for (size_t f = 0; f < nfull; f++) {
        if (q->omit_totals) {
            int is_total = 0;
            for (size_t t = 0; t < nt && !is_total; t++)
                is_total = has_total[t] && (f / fstride[t]) % n_full[t] == n_in[t];
            if (is_total)
                continue;
        }
        size_t base = outcell++ * (size_t)nmeas;
        int m = 0;
        int sup = mark[f] != SUPPRESS_NONE;
        long yi = yt >= 0 ? (long)shown[yt][(f / fstride[yt]) % n_full[yt]] : fixed_year;
        long rc = -1, kc = -1;
        if (rt >= 0) {
            rc = (long)((f / fstride[rt]) % n_full[rt]);
            rc = (size_t)rc == n_in[rt] ? -1 : (long)shown[rt][rc];
        }
        if (kt >= 0) {
            kc = (long)((f / fstride[kt]) % n_full[kt]);
            kc = (size_t)kc == n_in[kt] ? -1 : (long)shown[kt][kc];
        }
        for (int me = 0; me < STATS_NMEASURES; me++) {
            if (!q->measure[me])
                continue;
            size_t cell = base + (size_t)m++;
            if (sup) {
                out->status[cell] = CUBE_SUPPRESSED;
                continue;
            }
            if (me == STATS_HEADCOUNT) {
                out->value[cell] = full[f];
            } else if (me == STATS_FTE) {
                out->value[cell] = fullfte[f] / 100.0;
            } else {
                int64_t p = -1;
                size_t py = 0;
                if (pop && yi >= 0) {
                    long pyl = meta->year0 + yi - pop->year0;
                    if (pyl >= 0 && (size_t)pyl < pop->ny) {
                        py = (size_t)pyl;
                        p = pop_area(meta, pop, q, py, rc, kc);
                    }
                }
                if (p <= 0) {
                    out->status[cell] = CUBE_MISSING;
                    if (yi >= 0 && yi < 256)
                        ymissing[yi] = 1;
                } else {
                    out->value[cell] = full[f] * 100000.0 / (double)p;
                }
            }
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
    for (int d = 0; d < STATS_NDIMS; d++) {
        free(maps[d]);
        free(shown[d]);
    }
    free(sel);
    free(hc);
    free(fte);
    free(w[1].hc);
    free(w[1].fte);
    free(w[0].pairs);
    free(w[1].pairs);
    free(full);
    free(fullfte);
    free(mark);
    free(fmap);
    if (e != ERR_OK)
        cube_release(out);
    return e;
}
