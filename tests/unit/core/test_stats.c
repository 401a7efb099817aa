/* test_stats.c - statistics tables over column arrays: hand-computed small
 * tables (distinct persons in every cell and total, FTE, groups, per
 * 100 000, the cell key method) and a property test against a simple
 * row-by-row reference that counts the persons of every cell shown. */
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
    uint8_t *year, *region, *sector, *sex, *ageband, *licence, *occ, *flags, *caretype;
    uint16_t *kommun, *specialty, *fte, *ssyk;
    uint32_t *person;
    uint32_t npersons;
    uint32_t *pkey;
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
    d->caretype = calloc(n, 1);
    d->ssyk = calloc(n, 2);
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
    free(d->caretype);
    free(d->ssyk);
    free(d->kommun);
    free(d->specialty);
    free(d->fte);
    free(d->person);
    free(d->runs);
    free(d->pkey);
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
    PERM8(caretype);
    PERM16(ssyk);
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
    free(d->pkey);
    d->pkey = malloc(d->npersons * sizeof(uint32_t));
    for (uint32_t p = 0; p < d->npersons; p++)
        d->pkey[p] = (uint32_t)(p * 2654435761u + 12345u);
    d->cols =
        (struct stats_cols){d->n,       d->year,     d->kommun, d->region,    d->sector,  d->sex,
                            d->ageband, d->licence,  d->occ,    d->specialty, d->person,  d->fte,
                            d->flags,   d->caretype, d->ssyk,   d->pkey,      d->npersons};
}

/* Reference lists: 2 years, 2 regions with 3 kommuner, 2 occupations. */
static const char *const years[] = {"2023", "2024"};
static const char *const regions[] = {"01", "03"};
static const char *const kommuner[] = {"0114", "0180", "0380"};
static const uint8_t kommun_region[] = {0, 0, 1};
static const char *const licences[] = {"ingen", "lakare"};
static const char *const occs[] = {"lakare", "underskoterska"};
static const char *const specs[] = {"ingen"};

/* groups: the regions of the kommun dimension; occupation group "all" */
static const unsigned char k_in_01[] = {1, 1, 0}, k_in_03[] = {0, 0, 1};
static const struct stats_group kommun_groups[] = {{"01", "Stockholms län", k_in_01},
                                                   {"03", "Uppsala län", k_in_03}};
static const unsigned char occ_first[] = {1, 0};
static const struct stats_group occ_groups[] = {{"leg", "Legitimerade", occ_first}};

static void meta_init(struct stats_meta *m)
{
    memset(m, 0, sizeof(*m));
    stats_meta_fixed(m);
    m->dim[STATS_YEAR] = (struct stats_values){2, years, NULL, 0, NULL};
    m->dim[STATS_REGION] = (struct stats_values){2, regions, NULL, 0, NULL};
    m->dim[STATS_KOMMUN] = (struct stats_values){3, kommuner, NULL, 2, kommun_groups};
    m->dim[STATS_LICENCE] = (struct stats_values){2, licences, NULL, 0, NULL};
    m->dim[STATS_OCCUPATION] = (struct stats_values){2, occs, NULL, 1, occ_groups};
    m->dim[STATS_SPECIALTY] = (struct stats_values){1, specs, NULL, 0, NULL};
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
 * Table region × year, headcount and fte, exact:
 *   region 01 2024: persons 0, 2 -> 2; fte 1.00+0.20+1.00 = 2.20
 *   region 03 2024: persons 1, 2 -> 2; fte 0.50+0.50 = 1.00
 *   region 01 2023: person 3 -> 1;     fte 1.00
 *   Riket 2024: persons 0, 1, 2 -> 3 (person 2 once, though in both
 *   regions); fte 3.20 */
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

static void query_init(struct stats_query *q)
{
    memset(q, 0, sizeof(*q));
    q->nthreads = 1;
}

/* year 2024 (index 1) outside the table */
static void year_2024(struct stats_query *q)
{
    q->fixed_set[STATS_YEAR] = 1;
    q->fixed[STATS_YEAR] = 1;
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
    query_init(&q);
    q.nrows = 1;
    q.rows[0] = STATS_REGION;
    q.ncols = 1;
    q.cols[0] = STATS_YEAR;
    q.measure[STATS_HEADCOUNT] = q.measure[STATS_FTE] = 1;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_OK);
    assert_int_equal(c.ndims, 3);
    assert_int_equal(c.dims[0].n, 3); /* 01, 03, Riket */
    assert_int_equal(c.dims[1].n, 2); /* years: no total */
    assert_string_equal(c.dims[0].val_codes[2], "00");
    assert_int_equal(c.dims[0].total, 2);
    assert_int_equal(c.dims[1].total, -1);
    assert_int_equal(c.no_aggregation, 1);
    size_t r01_24[] = {0, 1}, r03_24[] = {1, 1}, r01_23[] = {0, 0}, tot24[] = {2, 1},
           tot23[] = {2, 0};
    assert_true(cell(&c, r01_24, 0) == 2);
    assert_true(cell(&c, r01_24, 1) > 2.199 && cell(&c, r01_24, 1) < 2.201);
    assert_true(cell(&c, r03_24, 0) == 2);
    assert_true(cell(&c, r03_24, 1) > 0.999 && cell(&c, r03_24, 1) < 1.001);
    assert_true(cell(&c, r01_23, 0) == 1);
    assert_true(cell(&c, tot24, 0) == 3); /* distinct persons, not 2 + 2 */
    assert_true(cell(&c, tot24, 1) > 3.199 && cell(&c, tot24, 1) < 3.201);
    assert_true(cell(&c, tot23, 0) == 1);
    assert_int_equal(info.multi, 1); /* person 2, in both regions */
    cube_release(&c);

    /* sector × sex for 2024: person 2's two jobs are both in the region
     * sector but in two occupation runs -> counted once.
     *   region sector: men {1}, women {0, 2}; kommun sector: women {0};
     *   women total {0, 2}; all {0, 1, 2} */
    query_init(&q);
    q.nrows = 1;
    q.rows[0] = STATS_SECTOR;
    q.ncols = 1;
    q.cols[0] = STATS_SEX;
    year_2024(&q);
    q.measure[STATS_HEADCOUNT] = 1;
    q.nthreads = 2;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_OK);
    size_t reg_men[] = {0, 0}, reg_women[] = {0, 1}, kom_women[] = {1, 1}, reg_tot[] = {0, 2},
           women[] = {4, 1}, all[] = {4, 2};
    assert_true(cell(&c, reg_men, 0) == 1);
    assert_true(cell(&c, reg_women, 0) == 2);
    assert_true(cell(&c, kom_women, 0) == 1);
    assert_true(cell(&c, reg_tot, 0) == 3);
    assert_true(cell(&c, women, 0) == 2); /* person 0 once, though in two sectors */
    assert_true(cell(&c, all, 0) == 3);
    cube_release(&c);

    /* the country is the same number in every table: kommun, region, none */
    enum stats_dim geo[3] = {STATS_KOMMUN, STATS_REGION, STATS_SEX};
    for (int g = 0; g < 3; g++) {
        query_init(&q);
        q.nrows = 1;
        q.rows[0] = geo[g];
        year_2024(&q);
        q.measure[STATS_HEADCOUNT] = 1;
        assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_OK);
        assert_true(c.value[c.ncells - 1] == 3);
        cube_release(&c);
    }
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
    query_init(&q);
    q.nrows = 1;
    q.rows[0] = STATS_REGION;
    q.ncols = 1;
    q.cols[0] = STATS_YEAR;
    q.measure[STATS_HEADCOUNT] = q.measure[STATS_PER100K] = 1;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, &pop, &q, &c, &info), ERR_OK);
    size_t r01_24[] = {0, 1}, r03_24[] = {1, 1}, tot24[] = {2, 1}, r01_23[] = {0, 0};
    assert_true(cell(&c, r01_24, 1) > 0.1999 && cell(&c, r01_24, 1) < 0.2001); /* 2/1e6*1e5 */
    assert_true(cell(&c, r03_24, 1) > 0.9999 && cell(&c, r03_24, 1) < 1.0001); /* 2/2e5*1e5 */
    /* 3/1.2e6 × 1e5 = 0.25, written with the measure's one decimal */
    assert_true(cell(&c, tot24, 1) == 0.3);
    assert_int_equal(status(&c, r01_23, 1), CUBE_MISSING);
    assert_int_equal(info.missing_pop_years, 1);
    assert_int_equal(info.missing_years[0], 2023);
    cube_release(&c);

    /* kommuner of region 01, the region as a group, and Riket */
    uint32_t show[] = {0, 1, STATS_GROUP(0), STATS_TOTAL};
    query_init(&q);
    q.nrows = 1;
    q.rows[0] = STATS_KOMMUN;
    q.show[STATS_KOMMUN] = show;
    q.nshow[STATS_KOMMUN] = 4;
    year_2024(&q);
    q.measure[STATS_HEADCOUNT] = q.measure[STATS_PER100K] = 1;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, &pop, &q, &c, &info), ERR_OK);
    assert_int_equal(c.dims[0].n, 4);
    assert_string_equal(c.dims[0].val_codes[2], "01");
    assert_string_equal(c.dims[0].val_labels[2], "Stockholms län");
    assert_string_equal(c.dims[0].val_codes[3], "0000");
    assert_string_equal(c.dims[0].val_labels[3], "Riket");
    size_t k0114[] = {0}, k0180[] = {1}, r01[] = {2}, riket[] = {3};
    assert_true(cell(&c, k0114, 0) == 2);
    assert_true(cell(&c, k0114, 1) == 5.0); /* 2 / 40 000 */
    assert_true(cell(&c, k0180, 0) == 0);
    assert_true(cell(&c, r01, 0) == 2);
    assert_true(cell(&c, r01, 1) == 2.0 * 100000.0 / 1000000.0);
    assert_true(cell(&c, riket, 0) == 3);
    assert_true(cell(&c, riket, 1) == 0.3);
    cube_release(&c);
    data_free(&d);
}

/* The values shown are the ones asked for, in that order; a total is
 * always the total of every value, and a group the same persons wherever
 * it is shown. */
static void test_shown_values(void **state)
{
    (void)state;
    struct data d;
    struct stats_meta m;
    struct stats_query q;
    struct stats_info info;
    struct cube c;
    hand_data(&d);
    meta_init(&m);
    uint32_t show[] = {2, STATS_TOTAL};
    query_init(&q);
    q.nrows = 1;
    q.rows[0] = STATS_KOMMUN;
    q.show[STATS_KOMMUN] = show;
    q.nshow[STATS_KOMMUN] = 2;
    q.ncols = 1;
    q.cols[0] = STATS_YEAR;
    uint32_t y24[] = {1};
    q.show[STATS_YEAR] = y24;
    q.nshow[STATS_YEAR] = 1;
    q.measure[STATS_HEADCOUNT] = 1;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_OK);
    assert_int_equal(c.dims[0].n, 2); /* 0380 and Riket */
    assert_string_equal(c.dims[0].val_codes[0], "0380");
    assert_string_equal(c.dims[0].val_labels[1], "Riket");
    assert_int_equal(c.dims[1].n, 1);
    assert_string_equal(c.dims[1].val_codes[0], "2024");
    size_t k0380[] = {0, 0}, tot[] = {1, 0};
    assert_true(cell(&c, k0380, 0) == 2); /* persons 1 and 2 */
    assert_true(cell(&c, tot, 0) == 3);   /* every kommun, not the one shown */
    cube_release(&c);

    /* no total asked for: none shown (charts) */
    q.nshow[STATS_KOMMUN] = 1;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_OK);
    assert_int_equal(c.dims[0].n, 1);
    assert_int_equal(c.ncells, 1);
    assert_true(c.value[0] == 2);
    cube_release(&c);

    /* a group outside the table: occupation "leg" (läkare only here) by
     * sex, 2024: men {1}, women {0, 2} */
    query_init(&q);
    q.nrows = 1;
    q.rows[0] = STATS_SEX;
    year_2024(&q);
    q.fixed_set[STATS_OCCUPATION] = 1;
    q.fixed[STATS_OCCUPATION] = STATS_GROUP(0);
    q.measure[STATS_HEADCOUNT] = 1;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_OK);
    assert_true(c.value[0] == 1 && c.value[1] == 2 && c.value[2] == 3);
    cube_release(&c);

    /* what cannot be asked: a total of years, a value or group that does
     * not exist, several years outside the table */
    uint32_t bad_year[] = {STATS_TOTAL};
    q.show[STATS_YEAR] = bad_year;
    q.nshow[STATS_YEAR] = 1;
    q.nrows = 1;
    q.rows[0] = STATS_YEAR;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_INVALID);
    uint32_t bad_group[] = {STATS_GROUP(5)};
    query_init(&q);
    q.nrows = 1;
    q.rows[0] = STATS_KOMMUN;
    q.show[STATS_KOMMUN] = bad_group;
    q.nshow[STATS_KOMMUN] = 1;
    year_2024(&q);
    q.measure[STATS_HEADCOUNT] = 1;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_INVALID);
    query_init(&q);
    q.nrows = 1;
    q.rows[0] = STATS_SEX;
    q.measure[STATS_HEADCOUNT] = 1;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_INVALID);
    data_free(&d);
}

/* The cell key method through the table: a cell of the same persons has
 * the same published value in every table; zeros stay zero; 1 and 2 are
 * never published. */
static void test_hand_protected(void **state)
{
    (void)state;
    struct data d;
    struct stats_meta m;
    struct stats_query q;
    struct stats_info info;
    struct cube a, b;
    struct ckm_params p;
    struct ckm_table t;
    ckm_params_default(&p);
    assert_int_equal(ckm_table_build(&p, &t), ERR_OK);
    hand_data(&d);
    meta_init(&m);
    query_init(&q);
    q.nrows = 1;
    q.rows[0] = STATS_REGION;
    q.ncols = 1;
    q.cols[0] = STATS_SEX;
    year_2024(&q);
    q.measure[STATS_HEADCOUNT] = q.measure[STATS_FTE] = 1;
    q.ckm = &t;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &a, &info), ERR_OK);
    /* the same cells from a kommun table: region 01 = group 01, Riket */
    uint32_t show[] = {STATS_GROUP(0), STATS_TOTAL};
    q.rows[0] = STATS_KOMMUN;
    q.show[STATS_KOMMUN] = show;
    q.nshow[STATS_KOMMUN] = 2;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &b, &info), ERR_OK);
    /* a: (01, 03, Riket) × (men, women, total) × (hc, fte) */
    for (size_t sx = 0; sx < 3; sx++)
        for (size_t me = 0; me < 2; me++) {
            size_t ia[] = {0, sx, me}, ib[] = {0, sx, me};
            assert_true(a.value[cube_index(&a, ia)] == b.value[cube_index(&b, ib)]);
            ia[0] = 2;
            ib[0] = 1;
            assert_true(a.value[cube_index(&a, ia)] == b.value[cube_index(&b, ib)]);
        }
    for (size_t i = 0; i < a.ncells; i += 2) {
        double v = a.value[i];
        assert_true(v == 0 || v > p.small);
        assert_true(v >= 0);
    }
    cube_release(&a);
    cube_release(&b);
    /* an empty cell: region 03 in 2023 */
    query_init(&q);
    q.nrows = 1;
    q.rows[0] = STATS_REGION;
    q.fixed_set[STATS_YEAR] = 1;
    q.fixed[STATS_YEAR] = 0;
    q.measure[STATS_HEADCOUNT] = 1;
    q.ckm = &t;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &a, &info), ERR_OK);
    assert_true(a.value[1] == 0);
    cube_release(&a);
    /* no record keys: refused */
    d.cols.pkey = NULL;
    assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &a, &info), ERR_INVALID);
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

/* Does shown value k of a cube dimension hold base value v? The
 * reference reads the codes: a value's own code, a group's members, the
 * total every value. */
static int holds(const struct stats_meta *m, enum stats_dim dim, const struct cube_dim *cd,
                 size_t k, unsigned v)
{
    const struct stats_values *vals = &m->dim[dim];
    const char *code = cd->val_codes[k];
    if ((long)k == cd->total)
        return 1;
    for (size_t g = 0; g < vals->ngroups; g++)
        if (strcmp(vals->groups[g].code, code) == 0)
            return vals->groups[g].member[v];
    return strcmp(vals->codes[v], code) == 0;
}

/* Random records (persons keep sex; several jobs per person and year, some
 * in two occupations); tables over random dimension sets, with groups and
 * totals, must hold the number of distinct persons of every cell as a
 * row-by-row reference counts them, and the FTE sums. */
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
    enum stats_dim sets[][3] = {
        {STATS_REGION, STATS_YEAR, STATS_NDIMS},      {STATS_KOMMUN, STATS_SEX, STATS_YEAR},
        {STATS_OCCUPATION, STATS_SECTOR, STATS_YEAR}, {STATS_AGEBAND, STATS_YEAR, STATS_LICENCE},
        {STATS_KOMMUN, STATS_OCCUPATION, STATS_YEAR}, {STATS_YEAR, STATS_NDIMS, STATS_NDIMS}};
    uint32_t kshow[] = {2, STATS_GROUP(0), 0, STATS_GROUP(1), STATS_TOTAL};
    uint32_t oshow[] = {STATS_GROUP(0), 1, STATS_TOTAL};
    for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
        struct stats_query q;
        struct stats_info info;
        struct cube c;
        query_init(&q);
        for (size_t k = 0; k < 3 && sets[s][k] != STATS_NDIMS; k++)
            q.rows[q.nrows++] = sets[s][k];
        if (s == 4) {
            q.show[STATS_KOMMUN] = kshow;
            q.nshow[STATS_KOMMUN] = 5;
            q.show[STATS_OCCUPATION] = oshow;
            q.nshow[STATS_OCCUPATION] = 3;
        }
        q.measure[STATS_HEADCOUNT] = q.measure[STATS_FTE] = 1;
        q.nthreads = threads;
        assert_int_equal(stats_table(&d.cols, &m, d.runs, d.nruns, NULL, &q, &c, &info), ERR_OK);
        /* reference: every (shown cell, person) pair of every record */
        size_t nt = q.nrows, ncell = c.ncells / 2;
        size_t cap = nrows * 8, np = 0;
        struct pair *pairs = malloc(cap * sizeof(*pairs));
        double *fte = calloc(ncell, sizeof(double));
        double *hc = calloc(ncell, sizeof(double));
        size_t idx[4];
        for (size_t i = 0; i < nrows; i++) {
            size_t lists[4][8], nl[4];
            for (size_t t = 0; t < nt; t++) {
                nl[t] = 0;
                unsigned v = value_of(&d, i, q.rows[t], m.year0);
                for (size_t k = 0; k < c.dims[t].n; k++)
                    if (holds(&m, q.rows[t], &c.dims[t], k, v))
                        lists[t][nl[t]++] = k;
            }
            size_t pos[4] = {0};
            int empty = 0;
            for (size_t t = 0; t < nt; t++)
                empty |= nl[t] == 0;
            while (!empty) {
                for (size_t t = 0; t < nt; t++)
                    idx[t] = lists[t][pos[t]];
                idx[nt] = 0;
                size_t k = cube_index(&c, idx) / 2;
                if (np == cap) {
                    cap *= 2;
                    pairs = realloc(pairs, cap * sizeof(*pairs));
                }
                pairs[np++] = (struct pair){k, d.person[i]};
                fte[k] += d.fte[i];
                size_t t = nt;
                while (t-- > 0) {
                    if (++pos[t] < nl[t])
                        break;
                    pos[t] = 0;
                }
                if (t == (size_t)-1)
                    break;
            }
        }
        qsort(pairs, np, sizeof(*pairs), pair_cmp);
        for (size_t i = 0; i < np; i++)
            if (i == 0 || pair_cmp(&pairs[i], &pairs[i - 1]) != 0)
                hc[pairs[i].cell]++;
        for (size_t k = 0; k < ncell; k++) {
            assert_true(c.value[2 * k] == hc[k]);
            double f = c.value[2 * k + 1] * 100.0;
            assert_true(f > fte[k] - 0.01 && f < fte[k] + 0.01);
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
    /* few persons, many records: persons in three cells or more */
    for (unsigned s = 21; s <= 30; s++)
        check_random(400, 12, 1, s);
}

static void test_property_two_threads(void **state)
{
    (void)state;
    check_random(300000, 40000, 2, 99);
}

/* The perturbation table: every row a distribution with noise at most D,
 * unbiased, never publishing 1..js, zero kept, variance V away from zero. */
static void test_ckm_table(void **state)
{
    (void)state;
    struct ckm_params p;
    struct ckm_table t;
    char msg[128];
    ckm_params_default(&p);
    assert_int_equal(ckm_params_check(&p, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(ckm_table_build(&p, &t), ERR_OK);
    for (size_t i = 0; i < t.rows; i++) {
        double sum = 0, mean = 0, var = 0;
        for (int d = -t.D; d <= t.D; d++) {
            double pr = t.prob[i][d + t.D];
            long j = (long)i + d;
            if (pr > 0) {
                assert_true(j >= 0);
                assert_true(j == 0 || j > p.small);
            }
            sum += pr;
            mean += pr * d;
            var += pr * d * d;
        }
        assert_true(sum > 1 - 1e-9 && sum < 1 + 1e-9);
        assert_true(mean > -1e-6 && mean < 1e-6);
        if (i == t.rows - 1)
            assert_true(var > p.variance - 1e-6 && var < p.variance + 1e-6);
        assert_int_equal(t.cum[i][2 * t.D], (uint64_t)1 << 32);
    }
    assert_int_equal(ckm_count(&t, 0, 12345), 0);
    /* the lookup follows the probabilities: count over many keys */
    for (long count = 1; count < 12; count++) {
        long hist[2 * CKM_MAX_D + 1] = {0};
        size_t row = (size_t)count < t.rows ? (size_t)count : t.rows - 1;
        for (uint64_t k = 0; k < ((uint64_t)1 << 32); k += 65537) {
            long v = ckm_count(&t, count, (uint32_t)k);
            assert_true(v >= count - p.max_noise && v <= count + p.max_noise);
            assert_true(v == 0 || v > p.small);
            hist[v - count + p.max_noise]++;
        }
        for (int d = -t.D; d <= t.D; d++) {
            double expect = t.prob[row][d + t.D] * 65536.0;
            assert_true(hist[d + t.D] > expect - 60 - expect / 20 &&
                        hist[d + t.D] < expect + 60 + expect / 20);
        }
    }
    /* the same key, the same value */
    assert_int_equal(ckm_count(&t, 7, 99), ckm_count(&t, 7, 99));
    /* FTE: 0 when nothing is published, close to mean × published */
    assert_int_equal(ckm_fte(500, 5, 0, 1), 0);
    int64_t f = ckm_fte(500, 5, 7, 42);
    assert_true(f >= 700 - 50 && f <= 700 + 50);
    /* bad parameters */
    struct ckm_params bad = p;
    bad.small = bad.max_noise;
    assert_int_equal(ckm_params_check(&bad, msg, sizeof(msg)), ERR_INVALID);
    bad = p;
    bad.variance = 100;
    assert_int_equal(ckm_params_check(&bad, msg, sizeof(msg)), ERR_INVALID);
    assert_int_equal(ckm_table_build(&bad, &t), ERR_INVALID);
    /* record keys depend on the secret and the id */
    unsigned char s1[32] = {1}, s2[32] = {2};
    struct ckm_keyer k1, k2;
    ckm_keyer_init(&k1, s1);
    ckm_keyer_init(&k2, s2);
    assert_true(ckm_keyer_key(&k1, "p1", 2) != ckm_keyer_key(&k2, "p1", 2));
    assert_true(ckm_keyer_key(&k1, "p1", 2) != ckm_keyer_key(&k1, "p2", 2));
    assert_int_equal(ckm_keyer_key(&k1, "p1", 2), ckm_keyer_key(&k1, "p1", 2));
    /* the first 32 bits of SHA-256(secret || id), checked against a
     * hash of the concatenation made in one go */
    unsigned char cat[34], dg[32];
    memcpy(cat, s1, 32);
    memcpy(cat + 32, "p1", 2);
    struct sha256 h;
    sha256_init(&h);
    sha256_update(&h, cat, 34);
    sha256_final(&h, dg);
    assert_int_equal(ckm_keyer_key(&k1, "p1", 2),
                     (uint32_t)dg[0] << 24 | (uint32_t)dg[1] << 16 | (uint32_t)dg[2] << 8 | dg[3]);
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
    assert_string_equal(stats_total_code(STATS_KOMMUN), "0000");
    assert_string_equal(stats_total_label(STATS_SEX), "Totalt");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_helpers),          cmocka_unit_test(test_ckm_table),
        cmocka_unit_test(test_hand_region_year), cmocka_unit_test(test_hand_per100k),
        cmocka_unit_test(test_shown_values),     cmocka_unit_test(test_hand_protected),
        cmocka_unit_test(test_property_small),   cmocka_unit_test(test_property_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
