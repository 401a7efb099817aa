/* test_flowrate.c - flow rates from microdata: a handful of persons
 * counted by hand; a simulation that plants known flows (exit 1 % before
 * 60, 5 % at 60-64, 20 % from 65; 3 % moving region, to fixed
 * destinations; a third of early leavers back after a year; entrants
 * aged 25-34, 70 % women) in person-level records, whose own tallies the
 * estimator must match exactly and whose rates it must recover within
 * stated tolerances; pooling and smoothing; and bad records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/flowrate.h"

/* Growable microdata columns. */
struct micro {
    size_t n, cap;
    uint32_t *person;
    uint16_t *year, *fte;
    uint8_t *prof, *region, *sex, *age;
};

static void add(struct micro *m, uint32_t person, int year, unsigned prof, unsigned region,
                unsigned sex, int age, unsigned fte)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 1024;
        m->person = realloc(m->person, m->cap * sizeof(*m->person));
        m->year = realloc(m->year, m->cap * sizeof(*m->year));
        m->fte = realloc(m->fte, m->cap * sizeof(*m->fte));
        m->prof = realloc(m->prof, m->cap);
        m->region = realloc(m->region, m->cap);
        m->sex = realloc(m->sex, m->cap);
        m->age = realloc(m->age, m->cap);
        assert_non_null(m->age);
    }
    m->person[m->n] = person;
    m->year[m->n] = (uint16_t)year;
    m->prof[m->n] = (uint8_t)prof;
    m->region[m->n] = (uint8_t)region;
    m->sex[m->n] = (uint8_t)sex;
    m->age[m->n] = (uint8_t)age;
    m->fte[m->n] = (uint16_t)fte;
    m->n++;
}

static struct flowrate_micro view(const struct micro *m)
{
    return (struct flowrate_micro){m->n,      m->person, m->year, m->prof,
                                   m->region, m->sex,    m->age,  m->fte};
}

static void micro_free(struct micro *m)
{
    free(m->person);
    free(m->year);
    free(m->fte);
    free(m->prof);
    free(m->region);
    free(m->sex);
    free(m->age);
}

static void estimate_ok(const struct micro *m, const struct projection_dims *dims,
                        const struct flowrate_opts *o, struct flowrate_result *r)
{
    struct flowrate_micro v = view(m);
    struct diag d;
    diag_init(&d, 0);
    enum err e = flowrate_estimate(&v, dims, o, r, &d);
    if (e != ERR_OK)
        diag_print(&d, stderr);
    assert_int_equal(e, ERR_OK);
    diag_release(&d);
}

/* A: moves from region 0 to 1; B: leaves in 2021, back in 2022; C: new in
 * 2021, changes profession in 2022; D: two professions, one year. */
static void test_by_hand(void **state)
{
    (void)state;
    struct micro m = {0};
    /* records in no particular order */
    add(&m, 7, 2021, 0, 1, 0, 31, 100);    /* A */
    add(&m, 7, 2020, 0, 0, 0, 30, 100);    /* A */
    add(&m, 7, 2022, 0, 1, 0, 32, 60);     /* A: two employments, */
    add(&m, 7, 2022, 0, 0, 0, 32, 30);     /*    region 1 has more */
    add(&m, 9, 2020, 0, 0, 1, 60, 80);     /* B */
    add(&m, 9, 2022, 0, 0, 1, 62, 80);     /* B */
    add(&m, 70000, 2021, 0, 1, 0, 41, 50); /* C (a person number above 16 bits) */
    add(&m, 70000, 2022, 1, 1, 0, 42, 100);
    add(&m, 3, 2020, 1, 1, 1, 45, 40); /* D: profession 1 by FTE */
    add(&m, 3, 2020, 0, 0, 1, 45, 30);
    add(&m, 3, 2020, 200, 0, 1, 45, 30); /* not a profession held: not used */
    struct projection_dims dims = {2, 2, 20, 70};
    struct flowrate_opts o = {0, 0, 0, 0};
    struct flowrate_result r;
    estimate_ok(&m, &dims, &o, &r);
    assert_int_equal(r.year_from, 2020);
    assert_int_equal(r.year_to, 2022);
    assert_int_equal(r.info.records, 11);
    assert_int_equal(r.info.records_used, 10);
    assert_int_equal(r.info.persons, 4);
    assert_int_equal(r.info.person_years, 8);
    assert_int_equal(r.info.multi_prof, 1);
#define C(p, g, s, a) projection_cell(&dims, p, g, s, a)
    /* A */
    assert_int_equal(r.exposure[C(0, 0, 0, 30)], 1);
    assert_int_equal(r.moves[C(0, 0, 0, 30)], 1);
    assert_int_equal(r.dest_count[(0 * 2 + 0) * 2 + 1], 1);
    assert_int_equal(r.exposure[C(0, 1, 0, 31)], 1);
    assert_int_equal(r.exits[C(0, 1, 0, 31)], 0);
    assert_int_equal(r.stock[2 * projection_ncells(&dims) + C(0, 1, 0, 32)], 1);
    assert_int_equal(r.fte_sum[C(0, 1, 0, 32)], 90);
    /* B: exit at 60, re-entry counted at 61 (age at return less one) */
    assert_int_equal(r.exits[C(0, 0, 1, 60)], 1);
    assert_int_equal(r.reentries[C(0, 0, 1, 61)], 1);
    assert_true(r.exit[C(0, 0, 1, 60)] == 1.0);
    assert_int_equal(r.entrants[(1 * 2 + 0) * 2 + 1], 1); /* C in 2021, profession 0, region 1 */
    /* C: leaves profession 0, enters profession 1 */
    assert_int_equal(r.exits[C(0, 1, 0, 41)], 1);
    assert_int_equal(r.entrants[(2 * 2 + 1) * 2 + 1], 1);
    assert_int_equal(r.entrant_count[(1 * 2 + 0) * 51 + 42 - 20], 1);
    /* D: profession 1, region 1; 1.00 FTE in all; only in 2020: an exit */
    assert_int_equal(r.stock[C(1, 1, 1, 45)], 1);
    assert_int_equal(r.fte_sum[C(1, 1, 1, 45)], 70);
    assert_int_equal(r.exits[C(1, 1, 1, 45)], 1);
    /* with no pooling, a cell's rate is its own ratio, and a cell without
     * exposure takes the level above */
    assert_true(r.migrate[C(0, 0, 0, 30)] == 1.0);
    assert_true(r.exit[C(0, 1, 0, 31)] == 0.0);
    assert_true(r.exit[C(0, 1, 1, 60)] == 1.0); /* region 1 has nobody at 60: profession's */
    assert_true(r.dest[(0 * 2 + 0) * 2 + 1] == 1.0 && r.dest[(0 * 2 + 0) * 2 + 0] == 0.0);
    assert_true(fabs(r.fte[C(0, 1, 0, 32)] - 0.9) < 1e-12);
#undef C
    flowrate_release(&r);
    micro_free(&m);
}

/* ---- the planted flows ---- */

enum { NPROF = 2, NREG = 3, Y0 = 2015, Y1 = 2023 };

static uint64_t rng = 0x2545F4914F6CDD1Du;
static double urand(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (double)((rng * 0x2545F4914F6CDD1Du) >> 11) / 9007199254740992.0;
}

static double planted_exit(int age)
{
    return age >= 65 ? 0.20 : age >= 60 ? 0.05 : 0.01;
}

static const double planted_dest[NREG][NREG] = {{0, 0.7, 0.3}, {0.5, 0, 0.5}, {0.9, 0.1, 0}};
#define MOVE 0.03
#define RETURN 0.3
#define WOMEN 0.7

struct person {
    int active, away, birth, gone; /* away: left last year and will return */
    unsigned prof, reg, sex;
};

/* The simulation's own tallies, by the cell definitions of flowrate.h. */
struct tally {
    int64_t *exposure, *exits, *moves, *reentries, *stock, *entrant_count;
};

static void simulate(struct micro *m, struct tally *t, const struct projection_dims *dims,
                     size_t npersons0)
{
    size_t nc = projection_ncells(dims), na = projection_nages(dims);
    size_t cap = npersons0 * 2;
    struct person *ps = calloc(cap, sizeof(*ps));
    size_t np = 0;
    t->exposure = calloc(nc, 8);
    t->exits = calloc(nc, 8);
    t->moves = calloc(nc, 8);
    t->reentries = calloc(nc, 8);
    t->stock = calloc(nc * (Y1 - Y0 + 1), 8);
    t->entrant_count = calloc(NPROF * 2 * na, 8);
    for (size_t i = 0; i < npersons0; i++) {
        struct person *p = &ps[np++];
        p->active = 1;
        p->prof = urand() < 0.6 ? 0 : 1;
        p->reg = (unsigned)(urand() * NREG);
        p->sex = urand() < WOMEN ? 1 : 0;
        p->birth = Y0 - (25 + (int)(urand() * 50));
    }
    for (int y = Y0; y <= Y1; y++) {
        /* new entrants (not in the first year: those are the stock) */
        if (y > Y0)
            for (size_t i = 0; i < npersons0 / 25 && np < cap; i++) {
                struct person *p = &ps[np++];
                p->active = 1;
                p->prof = urand() < 0.6 ? 0 : 1;
                p->reg = (unsigned)(urand() * NREG);
                p->sex = urand() < WOMEN ? 1 : 0;
                p->birth = y - (25 + (int)(urand() * 10));
                int age = y - p->birth;
                t->entrant_count[(p->prof * 2 + p->sex) * na + (size_t)(age - dims->age_min)]++;
            }
        /* this year's records */
        for (size_t i = 0; i < np; i++) {
            struct person *p = &ps[i];
            if (!p->active)
                continue;
            int age = y - p->birth;
            int ac = age > dims->age_max ? dims->age_max : age;
            t->stock[(size_t)(y - Y0) * nc + projection_cell(dims, p->prof, p->reg, p->sex, ac)]++;
            double u = urand();
            if (u < 0.1) { /* two employments: the main region has more */
                add(m, (uint32_t)i, y, p->prof, p->reg, p->sex, age, 60);
                add(m, (uint32_t)i, y, p->prof, (p->reg + 1) % NREG, p->sex, age, 20);
            } else {
                add(m, (uint32_t)i, y, p->prof, p->reg, p->sex, age, 80);
            }
            if (u > 0.95) /* outside the professions held */
                add(m, (uint32_t)i, y, 99, p->reg, p->sex, age, 10);
        }
        if (y == Y1)
            break;
        /* the year's transitions */
        for (size_t i = 0; i < np; i++) {
            struct person *p = &ps[i];
            int age = y - p->birth;
            int ac = age > dims->age_max ? dims->age_max : age;
            if (p->away) { /* back this year, aged age + 1: counted at age */
                p->away = 0;
                p->active = 1;
                t->reentries[projection_cell(dims, p->prof, p->reg, p->sex, ac)]++;
                continue;
            }
            if (!p->active)
                continue;
            size_t c = projection_cell(dims, p->prof, p->reg, p->sex, ac);
            t->exposure[c]++;
            if (urand() < planted_exit(age)) {
                t->exits[c]++;
                p->active = 0;
                /* some of those leaving before 60 come back after a year away */
                if (age < 60 && urand() < RETURN)
                    p->gone = 1;
                continue;
            }
            if (urand() < MOVE) {
                double u = urand(), cum = 0;
                unsigned to = p->reg;
                for (unsigned q = 0; q < NREG; q++) {
                    cum += planted_dest[p->reg][q];
                    if (u < cum) {
                        to = q;
                        break;
                    }
                }
                if (to != p->reg) {
                    t->moves[c]++;
                    p->reg = to;
                }
            }
        }
        /* who left this year and returns the year after next */
        for (size_t i = 0; i < np; i++)
            if (ps[i].gone) {
                ps[i].gone = 0;
                ps[i].away = 1;
            }
    }
    free(ps);
}

static void tally_free(struct tally *t)
{
    free(t->exposure);
    free(t->exits);
    free(t->moves);
    free(t->reentries);
    free(t->stock);
    free(t->entrant_count);
}

static void test_planted_flows(void **state)
{
    (void)state;
    struct projection_dims dims = {NPROF, NREG, 20, 75};
    struct micro m = {0};
    struct tally t;
    simulate(&m, &t, &dims, 60000);
    size_t nc = projection_ncells(&dims), na = projection_nages(&dims);

    /* 1. the raw counts are the simulation's own, exactly */
    struct flowrate_opts raw = {0, 0, 0, 0};
    struct flowrate_result r;
    estimate_ok(&m, &dims, &raw, &r);
    assert_int_equal(r.year_from, Y0);
    assert_int_equal(r.year_to, Y1);
    assert_memory_equal(r.exposure, t.exposure, nc * 8);
    assert_memory_equal(r.exits, t.exits, nc * 8);
    assert_memory_equal(r.moves, t.moves, nc * 8);
    assert_memory_equal(r.reentries, t.reentries, nc * 8);
    assert_memory_equal(r.stock, t.stock, nc * 8 * (Y1 - Y0 + 1));
    assert_memory_equal(r.entrant_count, t.entrant_count, NPROF * 2 * na * 8);
    assert_true(r.info.ages_clamped > 0);

    /* 2. the planted rates, pooled over everything by age band, within
     * four standard errors of a binomial proportion */
    const struct {
        int lo, hi;
        double rate;
    } bands[] = {{25, 59, 0.01}, {60, 64, 0.05}, {65, 75, 0.20}};
    for (size_t b = 0; b < 3; b++) {
        double ev = 0, ex = 0;
        for (size_t c = 0; c < nc; c++) {
            int age = dims.age_min + (int)(c % na);
            if (age >= bands[b].lo && age <= bands[b].hi) {
                ev += (double)r.exits[c];
                ex += (double)r.exposure[c];
            }
        }
        double est = ev / ex, se = sqrt(bands[b].rate * (1 - bands[b].rate) / ex);
        if (fabs(est - bands[b].rate) > 4 * se)
            fail_msg("exit %d-%d: %.4f, planted %.2f (se %.4f)", bands[b].lo, bands[b].hi, est,
                     bands[b].rate, se);
    }
    double mv = 0, stay = 0;
    for (size_t c = 0; c < nc; c++) {
        mv += (double)r.moves[c];
        stay += (double)(r.exposure[c] - r.exits[c]);
    }
    /* a move to the region itself is no move: 3 % × (1 - 0) here */
    assert_true(fabs(mv / stay - MOVE) < 4 * sqrt(MOVE * (1 - MOVE) / stay));
    for (unsigned p = 0; p < NPROF; p++)
        for (unsigned g = 0; g < NREG; g++)
            for (unsigned q = 0; q < NREG; q++) {
                double est = r.dest[(p * NREG + g) * NREG + q];
                if (fabs(est - planted_dest[g][q]) > 0.06)
                    fail_msg("destination %u -> %u of profession %u: %.3f, planted %.2f", g, q, p,
                             est, planted_dest[g][q]);
            }
    /* entrants: 70 % women, aged 25-34 only */
    for (unsigned p = 0; p < NPROF; p++) {
        double women = 0, outside = 0;
        for (size_t a = 0; a < na; a++) {
            women += r.entrant[(p * 2 + 1) * na + a];
            int age = dims.age_min + (int)a;
            if (age < 25 || age > 34)
                outside += r.entrant[(p * 2 + 0) * na + a] + r.entrant[(p * 2 + 1) * na + a];
        }
        assert_true(fabs(women - WOMEN) < 0.03);
        assert_true(outside == 0.0);
    }
    /* mean FTE: 0.80 in every person-year (60 + 20 or 80 hundredths; a
     * record outside the professions held does not count) */
    for (size_t c = 0; c < nc; c++)
        if (r.person_years[c] > 0)
            assert_true(fabs(r.fte[c] - 0.8) < 1e-9);
    flowrate_release(&r);

    /* 3. the stated estimator (k = 50 person-years, ±1 year): every cell
     * with enough exposure lies within five of its own standard errors
     * (plus 0.005) of the planted rate, away from the steps */
    struct flowrate_opts std = {0, 0, 50, 1};
    estimate_ok(&m, &dims, &std, &r);
    size_t checked = 0;
    for (size_t c = 0; c < nc; c++) {
        int age = dims.age_min + (int)(c % na);
        if (age < 25 || (age >= 58 && age <= 61) || (age >= 63 && age <= 66) || age >= 74)
            continue;
        double x = planted_exit(age), n = (double)r.exposure[c];
        if (n < 200)
            continue;
        double tol = 5 * sqrt(x * (1 - x) / n) + 0.005;
        if (fabs(r.exit[c] - x) > tol)
            fail_msg("cell %zu (age %d): exit %.4f, planted %.2f, tolerance %.4f", c, age,
                     r.exit[c], x, tol);
        checked++;
    }
    assert_true(checked > 300);
    for (size_t c = 0; c < nc; c++) {
        assert_true(r.exit[c] >= 0 && r.exit[c] <= 1);
        assert_true(r.migrate[c] >= 0 && r.migrate[c] <= 1);
        assert_true(r.reentry[c] >= 0 && r.reentry[c] <= 1);
    }
    for (unsigned p = 0; p < NPROF; p++) {
        double sum = 0;
        for (size_t k = 0; k < 2 * na; k++)
            sum += r.entrant[p * 2 * na + k];
        assert_true(fabs(sum - 1) < 1e-9);
        for (unsigned g = 0; g < NREG; g++) {
            double rs = 0;
            for (unsigned q = 0; q < NREG; q++)
                rs += r.dest[(p * NREG + g) * NREG + q];
            assert_true(fabs(rs - 1) < 1e-9);
        }
    }
    flowrate_release(&r);
    tally_free(&t);
    micro_free(&m);
}

/* Pooling: a region with nobody at an age takes the profession's rate;
 * with an enormous k every region takes it; smoothing keeps a constant
 * rate constant. */
static void test_pooling_and_smoothing(void **state)
{
    (void)state;
    struct projection_dims dims = {1, 2, 20, 30};
    struct micro m = {0};
    uint32_t id = 0;
    /* region 0: 100 persons at each age 20-29, 10 % leave; region 1: 20
     * persons at 25 only, half leave */
    for (int a = 20; a < 30; a++)
        for (int i = 0; i < 100; i++, id++) {
            add(&m, id, 2020, 0, 0, 0, a, 100);
            if (i >= 10)
                add(&m, id, 2021, 0, 0, 0, a + 1, 100);
        }
    for (int i = 0; i < 20; i++, id++) {
        add(&m, id, 2020, 0, 1, 0, 25, 100);
        if (i >= 10)
            add(&m, id, 2021, 0, 1, 0, 26, 100);
    }
    struct flowrate_result r;
    struct flowrate_opts o = {0, 0, 0, 0};
    estimate_ok(&m, &dims, &o, &r);
#define C(g, a) projection_cell(&dims, 0, g, 0, a)
    assert_true(fabs(r.exit[C(0, 22)] - 0.1) < 1e-12);
    assert_true(fabs(r.exit[C(1, 25)] - 0.5) < 1e-12);
    /* region 1 at 22: nobody; the profession's rate at 22 is region 0's */
    assert_true(fabs(r.exit[C(1, 22)] - 0.1) < 1e-12);
    /* women: nobody anywhere; sex × age over all: nobody either: 0 */
    assert_true(r.exit[projection_cell(&dims, 0, 0, 1, 22)] == 0.0);
    flowrate_release(&r);

    /* k = 20: region 1 at 25 is (10 + 20 × p) / (20 + 20), where p is the
     * profession's rate at 25, (10 + 10) / 120, itself pooled toward the
     * same figure one level up */
    o.pool = 20;
    estimate_ok(&m, &dims, &o, &r);
    double up = 20.0 / 120.0;
    assert_true(fabs(r.exit[C(1, 25)] - (10 + 20 * up) / 40) < 1e-12);
    assert_true(fabs(r.exit[C(0, 25)] - (10 + 20 * up) / 120) < 1e-12);
    flowrate_release(&r);
    o.pool = 1e6;
    estimate_ok(&m, &dims, &o, &r);
    assert_true(fabs(r.exit[C(1, 25)] - r.exit[C(0, 25)]) < 1e-4);
    flowrate_release(&r);

    /* smoothing: region 0's constant 10 % stays 10 % at every age with
     * data, also at the edges */
    o.pool = 0;
    o.smooth = 3;
    estimate_ok(&m, &dims, &o, &r);
    for (int a = 20; a < 30; a++)
        assert_true(fabs(r.exit[C(0, a)] - 0.1) < 1e-12);
    /* and spreads region 1's single age to its neighbours */
    assert_true(fabs(r.exit[C(1, 24)] - 0.5) < 1e-12);
#undef C
    flowrate_release(&r);
    micro_free(&m);
}

static void test_bad_records(void **state)
{
    (void)state;
    struct projection_dims dims = {2, 3, 20, 75};
    struct {
        int field;
        unsigned value;
        const char *want;
    } cases[] = {
        {0, 3, "record 2: region 3 is not 0-2"},
        {1, 2, "record 2: sex 2 is not 0 (man) or 1 (woman)"},
        {2, 101, "record 2: fte 101 hundredths is not 0-100"},
        {3, 121, "record 2: age 121 is not 0-120"},
        {4, 1800, "record 2: year 1800 is not 1900-2200"},
        {5, 1, "record 2: person 5 has sex 1 here but 0 on record 1"},
        {6, 50, "record 2: person 5 is 50 in 2021 here but 40 in 2020 on record 1"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct micro m = {0};
        add(&m, 5, 2020, 0, 0, 0, 40, 100);
        add(&m, 5, 2021, 0, 0, 0, 41, 100);
        switch (cases[i].field) {
        case 0:
            m.region[1] = (uint8_t)cases[i].value;
            break;
        case 1:
        case 5:
            m.sex[1] = (uint8_t)cases[i].value;
            break;
        case 2:
            m.fte[1] = (uint16_t)cases[i].value;
            break;
        case 3:
        case 6:
            m.age[1] = (uint8_t)cases[i].value;
            break;
        case 4:
            m.year[1] = (uint16_t)cases[i].value;
            break;
        }
        struct flowrate_micro v = view(&m);
        struct flowrate_opts o = {0, 0, 0, 0};
        struct flowrate_result r;
        struct diag d;
        diag_init(&d, 0);
        assert_int_equal(flowrate_estimate(&v, &dims, &o, &r, &d), ERR_INVALID);
        if (d.n < 1 || strcmp(d.msg[0], cases[i].want) != 0) {
            diag_print(&d, stderr);
            fail_msg("case %zu: want '%s'", i, cases[i].want);
        }
        flowrate_release(&r);
        diag_release(&d);
        micro_free(&m);
    }
    /* options and windows */
    struct micro m = {0};
    add(&m, 5, 2020, 0, 0, 0, 40, 100);
    struct flowrate_micro v = view(&m);
    struct flowrate_result r;
    struct diag d;
    const struct {
        struct flowrate_opts o;
        const char *want;
    } opts[] = {
        {{0, 0, 0, 0}, "the window 2020-2020 is not 2-100 years within 1900-2200"},
        {{0, 0, -1, 0}, "pooling weight -1 is not 0-1e+06"},
        {{0, 0, NAN, 0}, "pooling weight nan is not 0-1e+06"},
        {{0, 0, 0, 6}, "age smoothing of 6 years is not 0-5"},
        {{2020, 2019, 0, 0}, "the window 2020-2019 is not 2-100 years within 1900-2200"},
    };
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
        diag_init(&d, 0);
        assert_int_equal(flowrate_estimate(&v, &dims, &opts[i].o, &r, &d), ERR_INVALID);
        assert_int_equal(d.n, 1);
        assert_string_equal(d.msg[0], opts[i].want);
        flowrate_release(&r);
        diag_release(&d);
    }
    dims.nreg = 65;
    diag_init(&d, 0);
    assert_int_equal(flowrate_estimate(&v, &dims, &opts[0].o, &r, &d), ERR_INVALID);
    assert_string_equal(d.msg[0], "65 regions is not 1-64");
    flowrate_release(&r);
    diag_release(&d);
    micro_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_planted_flows),
        cmocka_unit_test(test_pooling_and_smoothing),
        cmocka_unit_test(test_bad_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
