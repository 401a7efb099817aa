/* test_projection.c - the stock-and-flow projection: a case computed by
 * hand, the stock-flow identity in every cell checked from the kept flows,
 * an independent reference computation in doubles for a random case,
 * the zero-flow limits, monotonicity in the scenario parameters, demand,
 * the back-cast table, and bad inputs with their messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/projection.h"

/* An input with every array owned here. */
struct fix {
    struct projection_input in;
    size_t nc, na, nk, npr;
    int64_t *stock, *beginners, *abroad, *pop, *hist;
    double *exit, *reentry, *migrate, *part, *fte, *dest, *gd, *ad, *completion, *share, *use;
    unsigned *lag;
    struct projection_scenario scen[PROJECTION_MAX_SCENARIOS];
};

static void fix_init(struct fix *f, unsigned nprof, unsigned nreg, int amin, int amax,
                     unsigned horizon, unsigned series_ny)
{
    memset(f, 0, sizeof(*f));
    struct projection_input *in = &f->in;
    in->dims = (struct projection_dims){nprof, nreg, amin, amax};
    in->base_year = 2024;
    in->horizon = horizon;
    f->nc = projection_ncells(&in->dims);
    f->na = projection_nages(&in->dims);
    f->nk = 2 * f->na;
    f->npr = (size_t)nprof * nreg;
    f->stock = calloc(f->nc, sizeof(int64_t));
    f->exit = calloc(f->nc, sizeof(double));
    f->reentry = calloc(f->nc, sizeof(double));
    f->migrate = calloc(f->nc, sizeof(double));
    f->part = calloc(f->nc, sizeof(double));
    f->fte = calloc(f->nc, sizeof(double));
    f->dest = calloc(f->npr * nreg, sizeof(double));
    f->gd = calloc(nprof * f->nk, sizeof(double));
    f->ad = calloc(nprof * f->nk, sizeof(double));
    f->beginners = calloc(f->npr * series_ny, sizeof(int64_t));
    f->abroad = calloc(f->npr * series_ny, sizeof(int64_t));
    f->completion = calloc(nprof, sizeof(double));
    f->share = calloc(nprof, sizeof(double));
    f->lag = calloc(nprof, sizeof(unsigned));
    f->pop = calloc((size_t)nreg * (horizon + 1) * 2 * PROJECTION_POP_AGES, sizeof(int64_t));
    f->use = calloc((size_t)nprof * 2 * PROJECTION_POP_AGES, sizeof(double));
    assert_non_null(f->use);
    for (size_t c = 0; c < f->nc; c++) {
        f->part[c] = 1;
        f->fte[c] = 1;
    }
    for (unsigned p = 0; p < nprof; p++)
        for (unsigned r = 0; r < nreg; r++)
            for (unsigned q = 0; q < nreg; q++)
                if (q != r)
                    f->dest[(p * nreg + r) * nreg + q] = 1.0 / (nreg - 1);
    in->stock = f->stock;
    in->exit = f->exit;
    in->reentry = f->reentry;
    in->migrate = f->migrate;
    in->participation = f->part;
    in->fte = f->fte;
    in->dest = nreg > 1 ? f->dest : NULL;
    in->grad_dist = f->gd;
    in->abroad_dist = f->ad;
    in->series_y0 = 2024 - (int)series_ny / 2;
    in->series_ny = series_ny;
    in->beginners = f->beginners;
    in->abroad = f->abroad;
    in->completion = f->completion;
    in->entry_share = f->share;
    in->lag = f->lag;
    in->pop = f->pop;
    in->care_use = f->use;
    f->scen[0] = (struct projection_scenario){"base", "Huvudscenario", 0, 1, 1, 1, 1};
    in->scen = f->scen;
    in->nscen = 1;
}

static void fix_free(struct fix *f)
{
    free(f->stock);
    free(f->exit);
    free(f->reentry);
    free(f->migrate);
    free(f->part);
    free(f->fte);
    free(f->dest);
    free(f->gd);
    free(f->ad);
    free(f->beginners);
    free(f->abroad);
    free(f->completion);
    free(f->share);
    free(f->lag);
    free(f->pop);
    free(f->use);
    free(f->hist);
}

static size_t cell(const struct fix *f, unsigned p, unsigned r, unsigned s, int age)
{
    return projection_cell(&f->in.dims, p, r, s, age);
}

static int64_t *series(struct fix *f, int64_t *v, unsigned p, unsigned r, int year)
{
    return &v[((size_t)p * f->in.dims.nreg + r) * f->in.series_ny +
              (size_t)(year - f->in.series_y0)];
}

static int64_t *popcell(struct fix *f, unsigned r, unsigned y, unsigned s, int age)
{
    return &f->pop[(((size_t)r * (f->in.horizon + 1) + y) * 2 + s) * PROJECTION_POP_AGES +
                   (size_t)age];
}

static void run_ok(struct fix *f, struct projection_result *res)
{
    struct diag d;
    diag_init(&d, 0);
    enum err e = projection_run(&f->in, res, &d);
    if (e != ERR_OK)
        diag_print(&d, stderr);
    assert_int_equal(e, ERR_OK);
    diag_release(&d);
}

static int64_t at(const struct projection_run *run, const struct fix *f, unsigned y, size_t c)
{
    return run->stock[(size_t)y * f->nc + c];
}

/* One profession, one region, ages 20-22 (22 = 22 and older).
 * Men: 1 000 at each age, exit 10 %. Graduates: 100 beginners × 0.9 × 0.5
 * = 45 a year, all women aged 20; abroad: 10 a year, men aged 22. */
static void test_by_hand(void **state)
{
    (void)state;
    struct fix f;
    fix_init(&f, 1, 1, 20, 22, 2, 10);
    for (int a = 20; a <= 22; a++) {
        f.stock[cell(&f, 0, 0, 0, a)] = 1000;
        f.exit[cell(&f, 0, 0, 0, a)] = 0.1;
        f.exit[cell(&f, 0, 0, 1, a)] = 0.1;
        f.part[cell(&f, 0, 0, 0, a)] = 0.8;
        f.fte[cell(&f, 0, 0, 0, a)] = 0.9;
    }
    for (int y = f.in.series_y0; y < f.in.series_y0 + 10; y++) {
        *series(&f, f.beginners, 0, 0, y) = 100;
        *series(&f, f.abroad, 0, 0, y) = 10;
    }
    f.completion[0] = 0.9;
    f.share[0] = 0.5;
    f.lag[0] = 3;
    f.gd[1 * f.na + 0] = 1.0; /* women, 20 */
    f.ad[0 * f.na + 2] = 1.0; /* men, 22 */
    struct projection_result res;
    run_ok(&f, &res);
    const struct projection_run *r = &res.run[0];
    /* year 1 */
    assert_int_equal(at(r, &f, 1, cell(&f, 0, 0, 0, 20)), 0);
    assert_int_equal(at(r, &f, 1, cell(&f, 0, 0, 0, 21)), 900000);
    assert_int_equal(at(r, &f, 1, cell(&f, 0, 0, 0, 22)), 900000 + 900000 + 10000);
    assert_int_equal(at(r, &f, 1, cell(&f, 0, 0, 1, 20)), 45000);
    /* year 2: the women graduates of year 1 age and lose 10 % */
    assert_int_equal(at(r, &f, 2, cell(&f, 0, 0, 1, 20)), 45000);
    assert_int_equal(at(r, &f, 2, cell(&f, 0, 0, 1, 21)), 40500);
    assert_int_equal(at(r, &f, 2, cell(&f, 0, 0, 0, 21)), 0);
    assert_int_equal(at(r, &f, 2, cell(&f, 0, 0, 0, 22)), 810000 + 1629000 + 10000);
    assert_int_equal(res.run[0].stock_pr[projection_pr(&res, 1, 0, 0)], 2755000);
    /* flows of year 1 */
    const int64_t *fl = r->flow_pr;
    assert_int_equal(fl[PROJECTION_EXIT], 300000);
    assert_int_equal(fl[PROJECTION_GRAD], 45000);
    assert_int_equal(fl[PROJECTION_ABROAD], 10000);
    /* FTE: men 0.8 × 0.9 = 0.72 per person, women 1 × 1 */
    assert_int_equal(r->fte_pr[projection_pr(&res, 0, 0, 0)], 2160000);
    assert_int_equal(r->fte_pr[projection_pr(&res, 1, 0, 0)], 2710000 * 72 / 100 + 45000);
    /* assumptions */
    assert_int_equal(res.as.base_year, 2024);
    assert_int_equal(res.as.stock_persons, 3000);
    assert_true(res.as.base_balance);
    assert_int_equal(res.as.series_first, 2019);
    assert_int_equal(res.as.series_last, 2028);
    assert_int_equal(res.as.held_years, 0);
    assert_false(res.bc.available);
    assert_string_equal(res.bc.why, "no back-cast was asked for");
    projection_release(&res);
    fix_free(&f);
}

/* Demand grows with the care-weighted population from the base-year
 * supply; the guideline demand is population / 1 100. */
static void test_demand(void **state)
{
    (void)state;
    struct fix f;
    fix_init(&f, 2, 1, 20, 22, 2, 4);
    for (int a = 20; a <= 22; a++)
        f.stock[cell(&f, 0, 0, 0, a)] = f.stock[cell(&f, 1, 0, 1, a)] = 100;
    /* care use: profession 0 only by people over 80, profession 1 by all */
    for (unsigned s = 0; s < 2; s++)
        for (int a = 0; a < PROJECTION_POP_AGES; a++) {
            f.use[(0 * 2 + s) * PROJECTION_POP_AGES + (size_t)a] = a > 80 ? 3.0 : 0.0;
            f.use[(1 * 2 + s) * PROJECTION_POP_AGES + (size_t)a] = 1.0;
        }
    /* 1 100 000 people: 1 000 000 aged 40, 100 000 aged 85; in year 2 the
     * old double */
    for (unsigned y = 0; y <= 2; y++) {
        *popcell(&f, 0, y, 0, 40) = 1000000;
        *popcell(&f, 0, y, 1, 85) = y == 2 ? 200000 : 100000;
    }
    int64_t gi[2] = {0, 1100}, gf[2] = {0, 1000};
    f.in.guide_inhabitants = gi;
    f.in.guide_fte_milli = gf;
    struct projection_result res;
    run_ok(&f, &res);
    assert_int_equal(res.demand_pr[projection_pr(&res, 0, 0, 0)], 300000);
    assert_int_equal(res.demand_pr[projection_pr(&res, 1, 0, 0)], 300000);
    assert_int_equal(res.demand_pr[projection_pr(&res, 2, 0, 0)], 600000);
    /* profession 1: (1 000 000 + 200 000) / 1 100 000 × 300 FTE */
    assert_int_equal(res.demand_pr[projection_pr(&res, 2, 1, 0)], 327273);
    assert_int_equal(res.guide_pr[projection_pr(&res, 0, 0, 0)], -1);
    assert_int_equal(res.guide_pr[projection_pr(&res, 0, 1, 0)], 1000000);
    assert_int_equal(res.guide_pr[projection_pr(&res, 2, 1, 0)], 1090909);
    assert_int_equal(res.as.guideline_profs, 1);
    projection_release(&res);

    /* an unmet base-year demand of 20 % */
    double factor[2] = {1.2, 1.0};
    f.in.base_demand_factor = factor;
    run_ok(&f, &res);
    assert_int_equal(res.demand_pr[projection_pr(&res, 0, 0, 0)], 360000);
    assert_false(res.as.base_balance);
    projection_release(&res);
    fix_free(&f);
}

static uint64_t rng = 0x9E3779B97F4A7C15u;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

/* A random case with every flow at work. */
static void random_case(struct fix *f, unsigned horizon)
{
    fix_init(f, 3, 4, 20, 30, horizon, 12);
    for (size_t c = 0; c < f->nc; c++) {
        f->stock[c] = (int64_t)(urand() * 40);
        f->exit[c] = urand() * 0.2;
        f->reentry[c] = urand() * 0.02;
        f->migrate[c] = urand() * 0.05;
        f->part[c] = 0.7 + 0.3 * urand();
        f->fte[c] = 0.5 + 0.5 * urand();
    }
    for (unsigned p = 0; p < 3; p++) {
        double gs = 0, as = 0;
        for (size_t k = 0; k < f->nk; k++) {
            f->gd[p * f->nk + k] = k % f->na < 5 ? urand() : 0;
            f->ad[p * f->nk + k] = urand();
            gs += f->gd[p * f->nk + k];
            as += f->ad[p * f->nk + k];
        }
        for (size_t k = 0; k < f->nk; k++) {
            f->gd[p * f->nk + k] /= gs;
            f->ad[p * f->nk + k] /= as;
        }
        f->completion[p] = 0.7 + 0.3 * urand();
        f->share[p] = 0.8 + 0.2 * urand();
        f->lag[p] = 2 + p;
        for (unsigned r = 0; r < 4; r++) {
            double sum = 0;
            for (unsigned q = 0; q < 4; q++) {
                double v = q == r ? 0 : urand();
                f->dest[(p * 4 + r) * 4 + q] = v;
                sum += v;
            }
            for (unsigned q = 0; q < 4; q++)
                f->dest[(p * 4 + r) * 4 + q] /= sum;
            for (unsigned i = 0; i < 12; i++) {
                f->beginners[(p * 4 + r) * 12 + i] = (int64_t)(urand() * 30);
                f->abroad[(p * 4 + r) * 12 + i] = (int64_t)(urand() * 5);
            }
        }
    }
}

/* stock(t+1) = stock(t) aged + inflows - outflows, to the thousandth of a
 * person, in every cell, from the kept flows; movers in = movers out for
 * every (profession, sex, age); the per-region flow totals are the sums
 * of the cells; each exit is the rounded product of stock and rate. */
static void test_identity_every_cell(void **state)
{
    (void)state;
    struct fix f;
    random_case(&f, 8);
    f.in.keep_flows = 1;
    struct projection_result res;
    run_ok(&f, &res);
    const struct projection_dims *d = &f.in.dims;
    const struct projection_run *run = &res.run[0];
    for (unsigned y = 0; y < 8; y++) {
        const int64_t *s0 = run->stock + y * f.nc, *s1 = run->stock + (y + 1) * f.nc;
        const int64_t *fl = run->flows + y * f.nc * PROJECTION_NFLOWS;
        int64_t fpr[4 * 3][PROJECTION_NFLOWS];
        memset(fpr, 0, sizeof(fpr));
        for (unsigned p = 0; p < 3; p++)
            for (unsigned s = 0; s < 2; s++)
                for (int a = 20; a <= 30; a++) {
                    int64_t in_sum = 0, out_sum = 0;
                    for (unsigned r = 0; r < 4; r++) {
                        size_t c = cell(&f, p, r, s, a);
                        int64_t aged = a > 20 ? s0[cell(&f, p, r, s, a - 1)] : 0;
                        if (a == 30)
                            aged += s0[c];
                        const int64_t *x = fl + c * PROJECTION_NFLOWS;
                        int64_t want = aged + x[PROJECTION_GRAD] + x[PROJECTION_ABROAD] +
                                       x[PROJECTION_REENTRY] + x[PROJECTION_MOVE_IN] -
                                       x[PROJECTION_EXIT] - x[PROJECTION_MOVE_OUT];
                        assert_int_equal(s1[c], want);
                        assert_true(s1[c] >= 0);
                        in_sum += x[PROJECTION_MOVE_IN];
                        out_sum += x[PROJECTION_MOVE_OUT];
                        for (int k = 0; k < PROJECTION_NFLOWS; k++)
                            fpr[p * 4 + r][k] += x[k];
                        /* exits: stock × rate, rounded (one origin cell below the top) */
                        if (a > 20 && a < 30) {
                            size_t o = cell(&f, p, r, s, a - 1);
                            double exact = (double)s0[o] * f.exit[o];
                            assert_true(fabs((double)x[PROJECTION_EXIT] - exact) <= 0.5);
                        }
                    }
                    assert_int_equal(in_sum, out_sum);
                }
        for (unsigned i = 0; i < 12; i++)
            for (int k = 0; k < PROJECTION_NFLOWS; k++)
                assert_int_equal(fpr[i][k], run->flow_pr[(y * 12 + i) * PROJECTION_NFLOWS + k]);
    }
    (void)d;
    projection_release(&res);
    fix_free(&f);
}

/* An independent computation in doubles (expected values, no rounding),
 * iterating by destination region: every cell agrees within 0.05 persons
 * after 10 years. */
static void test_reference(void **state)
{
    (void)state;
    struct fix f;
    random_case(&f, 10);
    struct projection_result res;
    run_ok(&f, &res);
    size_t nc = f.nc;
    double *cur = malloc(nc * sizeof(double)), *nxt = malloc(nc * sizeof(double));
    for (size_t c = 0; c < nc; c++)
        cur[c] = (double)f.stock[c];
    for (unsigned y = 1; y <= 10; y++) {
        int year = 2024 + (int)y;
        for (unsigned p = 0; p < 3; p++)
            for (unsigned q = 0; q < 4; q++) /* destination region */
                for (unsigned s = 0; s < 2; s++)
                    for (int a = 20; a <= 30; a++) {
                        double v = 0;
                        /* origin ages feeding age a */
                        for (int o = a - 1; o <= a; o++) {
                            if (o < 20 || (o == a && a != 30))
                                continue;
                            size_t c = cell(&f, p, q, s, o);
                            double st = cur[c];
                            double stay = st * (1 - f.exit[c]);
                            v += stay * (1 - f.migrate[c]) + st * f.reentry[c];
                            for (unsigned r = 0; r < 4; r++) {
                                if (r == q)
                                    continue;
                                size_t cr = cell(&f, p, r, s, o);
                                v += cur[cr] * (1 - f.exit[cr]) * f.migrate[cr] *
                                     f.dest[(p * 4 + r) * 4 + q];
                            }
                        }
                        int iy = year - (int)f.lag[p] - f.in.series_y0;
                        iy = iy < 0 ? 0 : iy > 11 ? 11 : iy;
                        int ia = year - f.in.series_y0;
                        ia = ia < 0 ? 0 : ia > 11 ? 11 : ia;
                        size_t k = (size_t)s * f.na + (size_t)(a - 20);
                        v += (double)f.beginners[(p * 4 + q) * 12 + (size_t)iy] * f.completion[p] *
                             f.share[p] * f.gd[p * f.nk + k];
                        v += (double)f.abroad[(p * 4 + q) * 12 + (size_t)ia] * f.ad[p * f.nk + k];
                        nxt[cell(&f, p, q, s, a)] = v;
                    }
        memcpy(cur, nxt, nc * sizeof(double));
        for (size_t c = 0; c < nc; c++) {
            double got = (double)res.run[0].stock[y * nc + c] / 1000.0;
            if (fabs(got - cur[c]) > 0.05)
                fail_msg("year %u cell %zu: projection %.4f, reference %.4f", y, c, got, cur[c]);
        }
    }
    free(cur);
    free(nxt);
    projection_release(&res);
    fix_free(&f);
}

/* No flows at all: every cohort moves up one age, nothing is lost; exits
 * only: the total falls by exactly the exits, never rises. */
static void test_zero_limits(void **state)
{
    (void)state;
    struct fix f;
    random_case(&f, 5);
    memset(f.exit, 0, f.nc * sizeof(double));
    memset(f.reentry, 0, f.nc * sizeof(double));
    memset(f.migrate, 0, f.nc * sizeof(double));
    memset(f.beginners, 0, f.npr * 12 * sizeof(int64_t));
    memset(f.abroad, 0, f.npr * 12 * sizeof(int64_t));
    struct projection_result res;
    run_ok(&f, &res);
    const struct projection_run *r = &res.run[0];
    for (unsigned p = 0; p < 3; p++)
        for (unsigned g = 0; g < 4; g++)
            for (unsigned s = 0; s < 2; s++)
                for (int a = 20; a <= 30; a++) {
                    int64_t want = 0;
                    for (int o = 20; o <= 30; o++)
                        if (o + 5 == a || (a == 30 && o + 5 >= 30))
                            want += f.stock[cell(&f, p, g, s, o)] * 1000;
                    assert_int_equal(at(r, &f, 5, cell(&f, p, g, s, a)), want);
                }
    projection_release(&res);

    for (size_t c = 0; c < f.nc; c++)
        f.exit[c] = 0.05 + 0.01 * (double)(c % 7);
    run_ok(&f, &res);
    r = &res.run[0];
    for (unsigned y = 0; y < 5; y++) {
        int64_t t0 = 0, t1 = 0, exits = 0;
        for (size_t i = 0; i < f.npr; i++) {
            t0 += r->stock_pr[y * f.npr + i];
            t1 += r->stock_pr[(y + 1) * f.npr + i];
            exits += r->flow_pr[(y * f.npr + i) * PROJECTION_NFLOWS + PROJECTION_EXIT];
        }
        assert_true(t1 <= t0);
        assert_int_equal(t1, t0 - exits);
    }
    projection_release(&res);
    fix_free(&f);
}

/* More intake, more licences from abroad, later exits, fewer exits: never
 * a smaller stock in any (profession, region, year), beyond one
 * thousandth of a person per cell and year of rounding; intake +10 %
 * shows only after the lag. */
static void test_monotone_scenarios(void **state)
{
    (void)state;
    struct fix f;
    random_case(&f, 15);
    /* exit rates that rise with age, as they do */
    for (size_t c = 0; c < f.nc; c++)
        f.exit[c] = 0.01 + 0.02 * (double)(c % f.na);
    size_t nstd;
    const struct projection_scenario *std = projection_standard_scenarios(&nstd);
    assert_int_equal(nstd, 6);
    memcpy(f.scen, std, nstd * sizeof(*std));
    f.scen[6] = (struct projection_scenario){"exit-x80", "", 0, 0.8, 1, 1, 1};
    f.in.nscen = 7;
    struct projection_result res;
    run_ok(&f, &res);
    /* pairs (more, less) */
    const int pairs[][2] = {{1, 0}, {0, 2}, {3, 0}, {4, 0}, {0, 5}, {6, 0}};
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        const struct projection_run *hi = &res.run[pairs[i][0]], *lo = &res.run[pairs[i][1]];
        int64_t nat_hi = 0, nat_lo = 0;
        for (unsigned y = 0; y <= 15; y++)
            for (size_t k = 0; k < f.npr; k++) {
                int64_t slack = (int64_t)(f.nk * y);
                if (hi->stock_pr[y * f.npr + k] < lo->stock_pr[y * f.npr + k] - slack)
                    fail_msg("%s below %s at year %u, (p, r) %zu: %lld < %lld", hi->scen.name,
                             lo->scen.name, y, k, (long long)hi->stock_pr[y * f.npr + k],
                             (long long)lo->stock_pr[y * f.npr + k]);
                if (y == 15) {
                    nat_hi += hi->stock_pr[y * f.npr + k];
                    nat_lo += lo->stock_pr[y * f.npr + k];
                }
            }
        assert_true(nat_hi > nat_lo);
    }
    /* intake +10 %: beginners of 2025 on; lag 2-4 years, so the first
     * difference is in 2027 for profession 0 and in 2029 for profession 2 */
    for (unsigned y = 0; y <= 15; y++)
        for (unsigned p = 0; p < 3; p++)
            for (unsigned g = 0; g < 4; g++) {
                size_t k = projection_pr(&res, y, p, g);
                int differs = res.run[3].stock_pr[k] != res.run[0].stock_pr[k];
                if (y < 1 + f.lag[p])
                    assert_false(differs);
            }
    projection_release(&res);
    fix_free(&f);
}

/* Back-cast: with no flows the stock just ages, so observing exactly
 * that gives zero error; observing 10 % more in the last year gives a
 * percentage error of 1/1.1 - 1 everywhere. */
static void test_backcast(void **state)
{
    (void)state;
    struct fix f;
    fix_init(&f, 2, 2, 20, 24, 3, 4);
    f.hist = calloc(6 * f.nc, sizeof(int64_t));
    for (unsigned p = 0; p < 2; p++)
        for (unsigned r = 0; r < 2; r++)
            for (unsigned s = 0; s < 2; s++)
                for (int a = 20; a <= 24; a++) {
                    int64_t v = 100 * (p + 1) + 10 * r + s + a;
                    /* year 2019 + j: the 2019 stock aged j years */
                    for (unsigned j = 0; j <= 5; j++) {
                        int b = a + (int)j > 24 ? 24 : a + (int)j;
                        f.hist[j * f.nc + cell(&f, p, r, s, b)] += v;
                    }
                }
    memcpy(f.stock, f.hist + 5 * f.nc, f.nc * sizeof(int64_t));
    f.in.hist = f.hist;
    f.in.hist_y0 = 2019;
    f.in.nhist = 6;
    f.in.backcast_years = 5;
    struct projection_result res;
    run_ok(&f, &res);
    assert_true(res.bc.available);
    assert_int_equal(res.bc.from_year, 2019);
    assert_int_equal(res.bc.to_year, 2024);
    assert_int_equal(res.bc.nrows, 4);
    assert_true(res.bc.mape == 0.0 && res.bc.bias == 0.0 && res.bc.wape == 0.0);
    for (unsigned j = 0; j < 5; j++)
        assert_true(res.bc.mape_year[j] == 0.0);
    assert_int_equal(res.as.backcast_years, 5);
    projection_release(&res);

    for (size_t c = 0; c < f.nc; c++)
        f.hist[5 * f.nc + c] = f.hist[5 * f.nc + c] * 11 / 10;
    /* 11/10 of each cell, rounded down: compare with the cells' sums */
    run_ok(&f, &res);
    double want_mape = 0;
    for (size_t i = 0; i < 4; i++) {
        const struct projection_bc_row *row = &res.bc.rows[i];
        int64_t obs = 0;
        for (size_t k = 0; k < f.nk; k++)
            obs += f.hist[5 * f.nc + cell(&f, row->prof, row->reg, 0, 20) + k];
        assert_int_equal(row->observed_milli, obs * 1000);
        double pe = (double)(row->projected_milli - obs * 1000) / (double)(obs * 1000);
        assert_true(fabs(row->pe - pe) < 1e-12);
        assert_true(fabs(pe - (1 / 1.1 - 1)) < 0.002);
        want_mape += fabs(pe) / 4;
    }
    assert_true(fabs(res.bc.mape - want_mape) < 1e-12);
    assert_true(fabs(res.bc.bias + want_mape) < 1e-12);
    assert_true(res.bc.mape_year[0] == 0.0);
    assert_true(fabs(res.bc.mape_year[4] - want_mape) < 1e-12);
    assert_true(fabs(res.bc.mape_prof[0] -
                     (fabs(res.bc.rows[0].pe) + fabs(res.bc.rows[1].pe)) / 2) < 1e-12);
    projection_release(&res);

    /* not available, and why */
    f.in.nhist = 4; /* 2019-2022 */
    run_ok(&f, &res);
    assert_false(res.bc.available);
    assert_string_equal(res.bc.why, "the observed stock covers 2019-2022, the back-cast needs "
                                    "2019-2024");
    assert_int_equal(res.as.backcast_years, 0);
    projection_release(&res);
    f.in.hist = NULL;
    run_ok(&f, &res);
    assert_string_equal(res.bc.why, "no observed stock was given");
    projection_release(&res);
    fix_free(&f);
}

/* A bad input is refused with a message that names it. */
static const char *spoil(struct fix *f, int which)
{
    switch (which) {
    case 0:
        f->exit[cell(f, 1, 2, 1, 25)] = 1.5;
        return "exit rate 1.5 at profession 1, region 2, sex 1, age 25 is not 0-1";
    case 1:
        f->stock[0] = -1;
        return "stock -1 at index 0 is not 0-10000000";
    case 2:
        f->migrate[cell(f, 0, 0, 0, 20)] = NAN;
        return "migration rate nan at profession 0, region 0, sex 0, age 20 is not 0-1";
    case 3:
        f->dest[1] = 0.5;
        f->dest[2] = f->dest[3] = 0;
        return "destinations of profession 0, region 0: shares must be 0-1, 0 for the region "
               "itself and sum to 1 (sum 0.5)";
    case 4:
        for (size_t k = 0; k < f->nk; k++)
            f->gd[k] *= 0.5;
        return "graduates' sex and age of profession 0 sums to 0.5, not 1";
    case 5:
        f->in.horizon = 0;
        return "horizon 0 is not 1-50 years";
    case 6:
        f->scen[1] = f->scen[0];
        f->in.nscen = 2;
        return "scenario 'base' is named twice";
    case 7:
        f->in.dims.nprof = 0;
        return "0 professions is not 1-64";
    case 8:
        f->lag[0] = 20;
        return "lag 20 of profession 0 is not 0-15 years";
    case 9:
        f->in.dest = NULL;
        return "migration rates are given but no destinations";
    case 10:
        f->scen[0].exit_age_shift = 11;
        return "scenario 'base': exit age shift 11 is not -10..10";
    case 11:
        memset(f->gd, 0, f->nk * sizeof(double));
        return "profession 0 has graduates but no sex and age for them";
    case 12:
        f->scen[0].name[0] = 'B';
        return "scenario 1: name 'Base' must be 1-31 of a-z, 0-9, + and -";
    case 13:
        f->scen[0].intake_factor = -0.1;
        return "scenario 'base': intake factor -0.1 is not 0-10";
    case 14:
        f->beginners[5] = PROJECTION_MAX_FLOW + 1;
        return "beginners 10000001 at index 5 is not 0-10000000";
    case 15:
        f->in.dims.age_min = 10;
        return "ages 10-30 are not a range within 15-100";
    case 16:
        f->completion[2] = 1.01;
        return "completion rate 1.01 at index 2 is not 0-1";
    case 17:
        f->pop[7] = -3;
        return "population -3 at index 7 is not 0-100000000";
    default:
        return NULL;
    }
}

static void test_bad_inputs(void **state)
{
    (void)state;
    for (int which = 0;; which++) {
        struct fix f;
        random_case(&f, 3);
        const char *want = spoil(&f, which);
        if (!want) {
            fix_free(&f);
            break;
        }
        struct projection_result res;
        struct diag d;
        diag_init(&d, 0);
        assert_int_equal(projection_run(&f.in, &res, &d), ERR_INVALID);
        if (d.n != 1 || strcmp(d.msg[0], want) != 0) {
            diag_print(&d, stderr);
            fail_msg("case %d: want '%s'", which, want);
        }
        projection_release(&res);
        diag_release(&d);
        fix_free(&f);
    }
    /* and the unspoilt case runs */
    struct fix f;
    random_case(&f, 3);
    struct projection_result res;
    run_ok(&f, &res);
    projection_release(&res);
    fix_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_demand),
        cmocka_unit_test(test_identity_every_cell),
        cmocka_unit_test(test_reference),
        cmocka_unit_test(test_zero_limits),
        cmocka_unit_test(test_monotone_scenarios),
        cmocka_unit_test(test_backcast),
        cmocka_unit_test(test_bad_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
