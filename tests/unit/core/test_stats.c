/* test_stats.c - statistics tables over column arrays: hand-computed small
 * tables (distinct persons, FTE, totals, per 100 000, suppression) and a
 * property test against a simple row-by-row reference implementation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/stats.h"

/* A small data set held as plain arrays, sorted and indexed like the store. */
struct data {
    size_t n;
    uint8_t *year, *region, *sector, *sex, *ageband, *licence, *occ, *flags;
    uint16_t *kommun, *specialty, *fte;
    uint32_t *person;
    uint32_t npersons;
    struct stats_cols cols;
    struct stats_run *runs;
    size_t nruns;
};

static void data_alloc(struct data *d, size_t n)
{
    memset(d, 0, sizeof(*d));
    d->n = n;
    d->year = calloc(n, 1);
    d->region = calloc(n, 1);
    d->sector = calloc(n, 1);
    d->sex = calloc(n, 1);
    d->ageband = calloc(n, 1);
    d->licence = calloc(n, 1);
    d->occ = calloc(n, 1);
    d->flags = calloc(n, 1);
    d->kommun = calloc(n, 2);
    d->specialty = calloc(n, 2);
    d->fte = calloc(n, 2);
    d->person = calloc(n, 4);
    assert_non_null(d->person);
}

static void data_free(struct data *d)
{
    free(d->year);
    free(d->region);
    free(d->sector);
    free(d->sex);
    free(d->ageband);
    free(d->licence);
    free(d->occ);
    free(d->flags);
    free(d->kommun);
    free(d->specialty);
    free(d->fte);
    free(d->person);
    free(d->runs);
}

#define PERM8(f)                                                                                   \
    do {                                                                                           \
        uint8_t *t_ = malloc(d->n);                                                                \
        for (size_t i = 0; i < d->n; i++)                                                          \
            t_[i] = d->f[perm[i]];                                                                 \
        free(d->f);                                                                                \
        d->f = t_;                                                                                 \
    } while (0)
#define PERM16(f)                                                                                  \
    do {                                                                                           \
        uint16_t *t_ = malloc(d->n * 2);                                                           \
        for (size_t i = 0; i < d->n; i++)                                                          \
            t_[i] = d->f[perm[i]];                                                                 \
        free(d->f);                                                                                \
        d->f = t_;                                                                                 \
    } while (0)

/* Sort as the importer does, mark split persons, find the runs. */
static void data_finish(struct data *d)
{
    uint32_t *perm = malloc(d->n * sizeof(uint32_t));
    assert_int_equal(stats_order(d->n, d->year, d->occ, d->person, perm), ERR_OK);
    for (size_t i = 1; i < d->n; i++) {
        uint64_t a = (uint64_t)d->year[perm[i - 1]] << 40 | (uint64_t)d->occ[perm[i - 1]] << 32 |
                     d->person[perm[i - 1]];
        uint64_t b =
            (uint64_t)d->year[perm[i]] << 40 | (uint64_t)d->occ[perm[i]] << 32 | d->person[perm[i]];
        assert_true(a <= b);
    }
    PERM8(year);
    PERM8(region);
    PERM8(sector);
    PERM8(sex);
    PERM8(ageband);
    PERM8(licence);
    PERM8(occ);
    PERM16(kommun);
    PERM16(specialty);
    PERM16(fte);
    uint32_t *tp = malloc(d->n * 4);
    for (size_t i = 0; i < d->n; i++)
        tp[i] = d->person[perm[i]];
    free(d->person);
    d->person = tp;
    free(perm);
    assert_int_equal(stats_mark_split(d->n, d->year, d->occ, d->person, d->npersons, d->flags),
                     ERR_OK);
    assert_int_equal(stats_runs(d->n, d->year, d->occ, &d->runs, &d->nruns), ERR_OK);
    d->cols = (struct stats_cols){d->n,      d->year,    d->kommun,  d->region, d->sector,
                                  d->sex,    d->ageband, d->licence, d->occ,    d->specialty,
                                  d->person, d->fte,     d->flags};
}

/* Reference lists: 2 years, 2 regions with 3 kommuner, 2 occupations. */
static const char *const years[] = {"2023", "2024"};
static const char *const regions[] = {"01", "03"};
static const char *const kommuner[] = {"0114", "0180", "0380"};
static const uint8_t kommun_region[] = {0, 0, 1};
static const char *const licences[] = {"ingen", "lakare"};
static const char *const occs[] = {"lakare", "underskoterska"};
static const char *const specs[] = {"ingen"};

static void meta_init(struct stats_meta *m)
{
    memset(m, 0, sizeof(*m));
    stats_meta_fixed(m);
    m->dim[STATS_YEAR] = (struct stats_values){2, years, NULL};
    m->dim[STATS_REGION] = (struct stats_values){2, regions, NULL};
    m->dim[STATS_KOMMUN] = (struct stats_values){3, kommuner, NULL};
    m->dim[STATS_LICENCE] = (struct stats_values){2, licences, NULL};
    m->dim[STATS_OCCUPATION] = (struct stats_values){2, occs, NULL};
    m->dim[STATS_SPECIALTY] = (struct stats_values){1, specs, NULL};
    m->year0 = 2023;
    m->kommun_region = kommun_region;
}

static void put(struct data *d, size_t i, int year, uint32_t person, int kommun, int sector,
                int sex, int band, int occ, int fte)
{
    d->year[i] = (uint8_t)(year - STATS_YEAR_MIN);
    d->person[i] = person;
    d->kommun[i] = (uint16_t)kommun;
    d->region[i] = kommun_region[kommun];
    d->sector[i] = (uint8_t)sector;
    d->sex[i] = (uint8_t)sex;
    d->ageband[i] = (uint8_t)band;
    d->occ[i] = (uint8_t)occ;
    d->licence[i] = occ == 0 ? 1 : 0;
    d->fte[i] = (uint16_t)fte;
    if (person + 1 > d->npersons)
        d->npersons = person + 1;
}

static double cell(const struct cube *c, const size_t *idx, size_t m)
{
    size_t k[8];
    for (size_t i = 0; i + 1 < c->ndims; i++)
        k[i] = idx[i];
    k[c->ndims - 1] = m;
    return c->value[cube_index(c, k)];
}

static unsigned char status(const struct cube *c, const size_t *idx, size_t m)
{
    size_t k[8];
    for (size_t i = 0; i + 1 < c->ndims; i++)
        k[i] = idx[i];
    k[c->ndims - 1] = m;
    return c->status[cube_index(c, k)];
}

/* Hand-made data, year 2024:
 *   person 0: kommun 0114 (region 01), region sector, woman, läkare, 1.00
 *             and a second job in 0114, kommun sector, 0.20
 *   person 1: kommun 0380 (region 03), region sector, man, läkare, 0.50
 *   person 2: 0114 as undersköterska 1.00 and 0380 as läkare 0.50 (a
 *             person in two occupation runs: the split path)
 *   person 3: 2023 only, 0180, läkare 1.00
 * Table region × year, headcount and fte, no suppression:
 *   region 01 2024: persons 0, 2 -> 2; fte 1.00+0.20+1.00 = 2.20
 *   region 03 2024: persons 1, 2 -> 2; fte 0.50+0.50 = 1.00
 *   region 01 2023: person 3 -> 1;     fte 1.00
 *   Riket 2024: 4 (sum of cells: person 2 counts in both regions) */
static void hand_data(struct data *d)
{
    data_alloc(d, 6);
    put(d, 0, 2024, 0, 0, 0, 1, 1, 0, 100);
    put(d, 1, 2024, 0, 0, 1, 1, 1, 0, 20);
    put(d, 2, 2024, 1, 2, 0, 0, 2, 0, 50);
    put(d, 3, 2024, 2, 0, 0, 1, 3, 1, 100);
    put(d, 4, 2024, 2, 2, 0, 1, 3, 0, 50);
    put(d, 5, 2023, 3, 1, 0, 0, 5, 0, 100);
    data_finish(d);
}

static void test_hand_region_year(void **state)
{
    (void)state;
    struct data d;
    struct stats_meta m;
    struct stats_query q;
    struct stats_info info;
    struct cube c;
    hand_data(&d);
    meta_init(&m);
    memset(&q, 0, sizeof(q));
    q.nrows = 1;
    q.rows[0] = STATS_REGION;
    q.ncols = 1;
    q.cols[0] = STATS_YEAR;
    q.measure[STATS_HEADCOUNT] = q.measure[STATS_FTE] = 1;
    q.nthreads = 1;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_OK);
    assert_int_equal(c.ndims, 3);
    assert_int_equal(c.dims[0].n, 3); /* 01, 03, Riket */
    assert_int_equal(c.dims[1].n, 2); /* years: no total */
    assert_string_equal(c.dims[0].val_codes[2], "00");
    size_t r01_24[] = {0, 1}, r03_24[] = {1, 1}, r01_23[] = {0, 0}, tot24[] = {2, 1},
           tot23[] = {2, 0};
    assert_true(cell(&c, r01_24, 0) == 2);
    assert_true(cell(&c, r01_24, 1) > 2.199 && cell(&c, r01_24, 1) < 2.201);
    assert_true(cell(&c, r03_24, 0) == 2);
    assert_true(cell(&c, r03_24, 1) > 0.999 && cell(&c, r03_24, 1) < 1.001);
    assert_true(cell(&c, r01_23, 0) == 1);
    assert_true(cell(&c, tot24, 0) == 4);
    assert_true(cell(&c, tot23, 0) == 1);
    cube_release(&c);

    /* sector × sex for 2024: person 2's two jobs are both in the region
     * sector but in two occupation runs -> counted once.
     *   region sector: men {1}, women {0, 2}; kommun sector: women {0} */
    unsigned char allow_year[2] = {0, 1};
    memset(&q, 0, sizeof(q));
    q.nrows = 1;
    q.rows[0] = STATS_SECTOR;
    q.ncols = 1;
    q.cols[0] = STATS_SEX;
    q.allow[STATS_YEAR] = allow_year;
    q.measure[STATS_HEADCOUNT] = 1;
    q.nthreads = 2;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_OK);
    size_t reg_men[] = {0, 0}, reg_women[] = {0, 1}, kom_women[] = {1, 1}, reg_tot[] = {0, 2},
           all[] = {4, 2};
    assert_true(cell(&c, reg_men, 0) == 1);
    assert_true(cell(&c, reg_women, 0) == 2);
    assert_true(cell(&c, kom_women, 0) == 1);
    assert_true(cell(&c, reg_tot, 0) == 3);
    assert_true(cell(&c, all, 0) == 4);
    cube_release(&c);
    data_free(&d);
}

/* per 100 000 with population for 2024 only: 2023 is missing. */
static void test_hand_per100k(void **state)
{
    (void)state;
    struct data d;
    struct stats_meta m;
    struct stats_query q;
    struct stats_info info;
    struct cube c;
    hand_data(&d);
    meta_init(&m);
    /* population: 2024 kommuner 0114 = 40 000, 0180 = 960 000, 0380 =
     * 200 000; regions 01 = 1 000 000, 03 = 200 000; 2023 unknown */
    int64_t kp[2 * 3] = {-1, -1, -1, 40000, 960000, 200000};
    int64_t rp[2 * 2] = {-1, -1, 1000000, 200000};
    struct stats_pop pop = {2023, 2, 3, 2, kp, rp};
    memset(&q, 0, sizeof(q));
    q.nrows = 1;
    q.rows[0] = STATS_REGION;
    q.ncols = 1;
    q.cols[0] = STATS_YEAR;
    q.measure[STATS_HEADCOUNT] = q.measure[STATS_PER100K] = 1;
    q.nthreads = 1;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, &pop, &q, &c, &info), ERR_OK);
    size_t r01_24[] = {0, 1}, r03_24[] = {1, 1}, tot24[] = {2, 1}, r01_23[] = {0, 0};
    assert_true(cell(&c, r01_24, 1) > 0.1999 && cell(&c, r01_24, 1) < 0.2001); /* 2/1e6*1e5 */
    assert_true(cell(&c, r03_24, 1) > 0.9999 && cell(&c, r03_24, 1) < 1.0001); /* 2/2e5*1e5 */
    assert_true(cell(&c, tot24, 1) > 0.3332 && cell(&c, tot24, 1) < 0.3334);   /* 4/1.2e6 */
    assert_int_equal(status(&c, r01_23, 1), CUBE_MISSING);
    assert_int_equal(info.missing_pop_years, 1);
    assert_int_equal(info.missing_years[0], 2023);
    cube_release(&c);

    /* kommun table filtered to region 01: Riket row = the region's kommuner */
    unsigned char allow_year[2] = {0, 1}, allow_region[2] = {1, 0};
    memset(&q, 0, sizeof(q));
    q.nrows = 1;
    q.rows[0] = STATS_KOMMUN;
    q.allow[STATS_YEAR] = allow_year;
    q.allow[STATS_REGION] = allow_region;
    q.measure[STATS_HEADCOUNT] = q.measure[STATS_PER100K] = 1;
    q.nthreads = 1;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, &pop, &q, &c, &info), ERR_OK);
    size_t k0114[] = {0}, k0380[] = {2}, ktot[] = {3};
    assert_true(cell(&c, k0114, 0) == 2);
    assert_true(cell(&c, k0114, 1) == 5.0); /* 2 / 40 000 */
    assert_true(cell(&c, k0380, 0) == 0);   /* filtered out */
    assert_true(cell(&c, ktot, 0) == 2);
    assert_true(cell(&c, ktot, 1) == 2.0 * 100000.0 / 1000000.0);
    cube_release(&c);
    data_free(&d);
}

/* A filtered table dimension shows only the chosen values; its total is
 * then "Totalt", not "Riket". */
static void test_filtered_dimension(void **state)
{
    (void)state;
    struct data d;
    struct stats_meta m;
    struct stats_query q;
    struct stats_info info;
    struct cube c;
    hand_data(&d);
    meta_init(&m);
    unsigned char allow_year[2] = {0, 1}, allow_kommun[3] = {0, 0, 1};
    memset(&q, 0, sizeof(q));
    q.nrows = 1;
    q.rows[0] = STATS_KOMMUN;
    q.ncols = 1;
    q.cols[0] = STATS_YEAR;
    q.allow[STATS_YEAR] = allow_year;
    q.allow[STATS_KOMMUN] = allow_kommun;
    q.measure[STATS_HEADCOUNT] = 1;
    q.nthreads = 1;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_OK);
    assert_int_equal(c.dims[0].n, 2); /* 0380 and the total */
    assert_string_equal(c.dims[0].val_codes[0], "0380");
    assert_string_equal(c.dims[0].val_labels[1], "Totalt");
    assert_int_equal(c.dims[1].n, 1);
    assert_string_equal(c.dims[1].val_codes[0], "2024");
    size_t k0380[] = {0, 0}, tot[] = {1, 0};
    assert_true(cell(&c, k0380, 0) == 2); /* persons 1 and 2 */
    assert_true(cell(&c, tot, 0) == 2);
    cube_release(&c);

    /* omit_totals (charts): the same table without its total */
    q.omit_totals = 1;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_OK);
    assert_int_equal(c.dims[0].n, 1);
    assert_int_equal(c.ncells, 1);
    assert_true(c.value[0] == 2);
    cube_release(&c);
    data_free(&d);
}

/* Suppression through the table: threshold 2 withholds the single-person
 * cells, and their fte and per 100 000 too. */
static void test_hand_suppressed(void **state)
{
    (void)state;
    struct data d;
    struct stats_meta m;
    struct stats_query q;
    struct stats_info info;
    struct cube c;
    hand_data(&d);
    meta_init(&m);
    unsigned char allow_year[2] = {0, 1};
    memset(&q, 0, sizeof(q));
    q.nrows = 1;
    q.rows[0] = STATS_SECTOR;
    q.ncols = 1;
    q.cols[0] = STATS_SEX;
    q.allow[STATS_YEAR] = allow_year;
    q.measure[STATS_HEADCOUNT] = q.measure[STATS_FTE] = 1;
    q.suppress = 1;
    q.threshold = 2;
    q.nthreads = 1;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_OK);
    /* region×men = 1 -> primary; row "region" then has 1 alone -> the
     * smallest other non-zero: region×women (2); column "men" has 1 alone
     * -> men total (1, itself primary as < 2). */
    size_t reg_men[] = {0, 0}, reg_women[] = {0, 1}, kom_women[] = {1, 1};
    assert_int_equal(status(&c, reg_men, 0), CUBE_SUPPRESSED);
    assert_int_equal(status(&c, reg_men, 1), CUBE_SUPPRESSED);
    assert_int_equal(status(&c, kom_women, 0), CUBE_SUPPRESSED);
    assert_int_equal(status(&c, reg_women, 0), CUBE_SUPPRESSED);
    assert_true(info.primary >= 2);
    assert_true(info.secondary >= 1);
    cube_release(&c);
    data_free(&d);
}

/* ---- property test ---- */

struct pair {
    uint64_t cell;
    uint32_t person;
};

static int pair_cmp(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->cell != y->cell)
        return x->cell < y->cell ? -1 : 1;
    return x->person < y->person ? -1 : x->person > y->person;
}

static unsigned value_of(const struct data *d, size_t i, enum stats_dim dim, int year0)
{
    switch (dim) {
    case STATS_YEAR:
        return (unsigned)(d->year[i] + STATS_YEAR_MIN - year0);
    case STATS_REGION:
        return d->region[i];
    case STATS_KOMMUN:
        return d->kommun[i];
    case STATS_SECTOR:
        return d->sector[i];
    case STATS_SEX:
        return d->sex[i];
    case STATS_AGEBAND:
        return d->ageband[i];
    case STATS_LICENCE:
        return d->licence[i];
    case STATS_OCCUPATION:
        return d->occ[i];
    default:
        return d->specialty[i];
    }
}

/* Random records (persons keep sex; several jobs per person and year, some
 * in two occupations); tables over random dimension sets without
 * suppression must equal a row-by-row reference, and add up to their
 * totals along every dimension. */
static void check_random(size_t nrows, uint32_t npersons, int threads, unsigned seed)
{
    struct data d;
    struct stats_meta m;
    srand(seed);
    data_alloc(&d, nrows);
    for (size_t i = 0; i < nrows; i++) {
        uint32_t p = (uint32_t)(rand() % (int)npersons);
        int year = 2023 + rand() % 2;
        int occ = (p % 7 == 0) ? rand() % 2 : (int)(p % 2);
        put(&d, i, year, p, rand() % 3, rand() % 4, (int)(p % 2), rand() % 6, occ, rand() % 101);
    }
    d.npersons = npersons;
    data_finish(&d);
    meta_init(&m);
    enum stats_dim sets[][3] = {{STATS_REGION, STATS_YEAR, STATS_NDIMS},
                                {STATS_KOMMUN, STATS_SEX, STATS_YEAR},
                                {STATS_OCCUPATION, STATS_SECTOR, STATS_YEAR},
                                {STATS_AGEBAND, STATS_YEAR, STATS_LICENCE},
                                {STATS_YEAR, STATS_NDIMS, STATS_NDIMS}};
    for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
        struct stats_query q;
        struct stats_info info;
        struct cube c;
        memset(&q, 0, sizeof(q));
        for (size_t k = 0; k < 3 && sets[s][k] != STATS_NDIMS; k++)
            q.rows[q.nrows++] = sets[s][k];
        q.measure[STATS_HEADCOUNT] = q.measure[STATS_FTE] = 1;
        q.nthreads = threads;
        assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_OK);
        /* reference: (inner cell, person) pairs, sorted, distinct */
        size_t nin[3], nt = q.nrows;
        size_t ncells = 1;
        for (size_t t = 0; t < nt; t++) {
            nin[t] = m.dim[q.rows[t]].n;
            ncells *= nin[t];
        }
        struct pair *pairs = malloc(nrows * sizeof(*pairs));
        double *fte = calloc(ncells, sizeof(double));
        double *hc = calloc(ncells, sizeof(double));
        for (size_t i = 0; i < nrows; i++) {
            uint64_t k = 0;
            for (size_t t = 0; t < nt; t++)
                k = k * nin[t] + value_of(&d, i, q.rows[t], m.year0);
            pairs[i] = (struct pair){k, d.person[i]};
            fte[k] += d.fte[i];
        }
        qsort(pairs, nrows, sizeof(*pairs), pair_cmp);
        for (size_t i = 0; i < nrows; i++)
            if (i == 0 || pair_cmp(&pairs[i], &pairs[i - 1]) != 0)
                hc[pairs[i].cell]++;
        /* compare every inner cell */
        for (size_t k = 0; k < ncells; k++) {
            size_t idx[4], rest = k;
            for (size_t t = nt; t-- > 0;) {
                idx[t] = rest % nin[t];
                rest /= nin[t];
            }
            assert_true(cell(&c, idx, 0) == hc[k]);
            double f = cell(&c, idx, 1) * 100.0;
            assert_true(f > fte[k] - 0.01 && f < fte[k] + 0.01);
        }
        /* totals: along every dimension with a total, the values sum to it */
        size_t full = c.ncells / 2;
        size_t cidx[4];
        for (size_t k = 0; k < full; k++) {
            cube_coords(&c, k * 2, cidx);
            for (size_t t = 0; t < nt; t++) {
                if (c.dims[t].is_time || cidx[t] != c.dims[t].n - 1)
                    continue;
                double sum = 0, sumf = 0;
                size_t j[4];
                memcpy(j, cidx, sizeof(j));
                for (size_t v = 0; v + 1 < c.dims[t].n; v++) {
                    j[t] = v;
                    sum += cell(&c, j, 0);
                    sumf += cell(&c, j, 1);
                }
                assert_true(sum == cell(&c, cidx, 0));
                assert_true(sumf > cell(&c, cidx, 1) - 0.001 && sumf < cell(&c, cidx, 1) + 0.001);
            }
        }
        free(pairs);
        free(fte);
        free(hc);
        cube_release(&c);
    }
    data_free(&d);
}

static void test_property_small(void **state)
{
    (void)state;
    for (unsigned s = 1; s <= 20; s++)
        check_random(500, 60, 1, s);
}

static void test_property_two_threads(void **state)
{
    (void)state;
    check_random(300000, 40000, 2, 99);
}

static void test_helpers(void **state)
{
    (void)state;
    assert_int_equal(stats_ageband(15), 0);
    assert_int_equal(stats_ageband(29), 0);
    assert_int_equal(stats_ageband(30), 1);
    assert_int_equal(stats_ageband(59), 3);
    assert_int_equal(stats_ageband(64), 4);
    assert_int_equal(stats_ageband(65), 5);
    assert_int_equal(stats_sector_parse("privat", 6), 2);
    assert_int_equal(stats_sector_parse("priv", 4), -1);
    assert_int_equal(stats_dim_parse("ageband"), STATS_AGEBAND);
    assert_int_equal(stats_dim_parse("age"), -1);
    assert_int_equal(stats_measure_parse("per100k"), STATS_PER100K);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_hand_region_year),
        cmocka_unit_test(test_hand_per100k),
        cmocka_unit_test(test_hand_suppressed),
        cmocka_unit_test(test_filtered_dimension),
        cmocka_unit_test(test_property_small),
        cmocka_unit_test(test_property_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
