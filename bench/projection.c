/* projection.c - benchmark and checks of the projection engine
 * (core/projection) and the rate estimator (core/flowrate), run through
 * bench/projection.sh.
 *
 *   bench_projection            everything below, exit 1 if a check fails
 *   bench_projection --once     build the full inputs, run once, free (the
 *                               shell times this as a whole process)
 *
 * 1. The full projection: 22 professions × 21 regions × 2 sexes × ages
 *    20-75 × 15 years × 4 scenarios (and the 6 standard ones), with
 *    demand and a 5-year back-cast: best and median of several runs.
 * 2. How the time grows with the horizon (1-50 years).
 * 3. Checks on every scenario with the flows kept: stock(t+1) = stock(t)
 *    aged + inflows - outflows to the thousandth of a person in every cell;
 *    movers in = movers out; exits = stock × the scenario's exit rate;
 *    per-region totals = the cells' sums; base-year demand = supply;
 *    more intake / licences / later exits never give less.
 * 4. Synthetic microdata with planted flows for the 22 professions and 21
 *    regions (about 260 000 persons, 2010-2024), flowrate's estimates, and
 *    the back-cast 2019 -> 2024 per profession and region (MAPE, bias,
 *    WAPE); checks that the national error per large profession is small.
 * All sizes, rates and people are synthetic (plausible round numbers, not
 * statistics). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/flowrate.h"
#include "core/projection.h"

#define NPROF 22
#define NREG 21
#define AMIN 20
#define AMAX 75
#define BASE 2024
#define SERIES_Y0 2000
#define SERIES_NY 25 /* 2000-2024: later years hold 2024's value */

static const struct {
    const char *name;
    int employed; /* rough national size, persons */
    int women_pct;
    unsigned lag;   /* years from intake to work */
    int abroad_pct; /* share of new entrants trained abroad */
    double exit_mult;
} profs[NPROF] = {
    {"apotekare", 4500, 75, 5, 20, 1.0},
    {"arbetsterapeut", 11000, 90, 3, 5, 1.0},
    {"audionom", 1000, 80, 3, 5, 1.0},
    {"barnmorska", 8000, 99, 2, 10, 0.9},
    {"biomedicinsk analytiker", 9000, 85, 3, 10, 1.0},
    {"dietist", 1500, 90, 3, 5, 1.1},
    {"fysioterapeut", 15000, 70, 3, 10, 1.0},
    {"hälso- och sjukvårdskurator", 6000, 88, 4, 3, 1.1},
    {"kiropraktor", 300, 40, 5, 40, 1.0},
    {"logoped", 2000, 95, 4, 5, 1.0},
    {"läkare", 45000, 52, 6, 35, 0.8},
    {"naprapat", 1000, 50, 4, 5, 1.2},
    {"optiker", 2500, 70, 3, 15, 1.0},
    {"ortopedingenjör", 400, 50, 3, 20, 1.0},
    {"psykolog", 10000, 78, 6, 10, 0.9},
    {"psykoterapeut", 3000, 75, 3, 5, 0.7},
    {"receptarie", 4000, 90, 3, 10, 1.0},
    {"röntgensjuksköterska", 5000, 80, 3, 10, 1.0},
    {"sjukhusfysiker", 600, 40, 5, 20, 1.0},
    {"sjuksköterska", 115000, 88, 3, 8, 1.0},
    {"tandhygienist", 5000, 96, 2, 5, 1.0},
    {"tandläkare", 8000, 58, 5, 30, 0.9},
};

/* Population 2024-12-31 (SCB, data/reference/folkmangd_lan_2024-12-31.csv). */
static const int regpop[NREG] = {2473307, 407912, 301542,  472446, 370009,  203351, 246352,
                                 60971,   157223, 1428626, 345074, 1772821, 283384, 308375,
                                 281158,  286546, 284558,  241458, 132839,  281138, 248620};
static const char *const regcode[NREG] = {"01", "03", "04", "05", "06", "07", "08",
                                          "09", "10", "12", "13", "14", "17", "18",
                                          "19", "20", "21", "22", "23", "24", "25"};

static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);
static double urand(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return (double)((x * UINT64_C(0x2545F4914F6CDD1D)) >> 11) / 9007199254740992.0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double planted_exit(unsigned p, unsigned s, int age)
{
    double x = age >= 70 ? 0.40 : age >= 65 ? 0.25 : age >= 60 ? 0.06 : age >= 55 ? 0.02 : 0.012;
    if (s == 1 && age < 45)
        x *= 1.2;
    x *= profs[p].exit_mult;
    return x > 1 ? 1 : x;
}

static int pop_total(void)
{
    int t = 0;
    for (int r = 0; r < NREG; r++)
        t += regpop[r];
    return t;
}

/* The inputs, all owned here. */
struct inputs {
    struct projection_input in;
    size_t nc, na, nk;
    int64_t *stock, *beginners, *abroad, *pop, *hist;
    double *exit, *reentry, *migrate, *part, *fte, *dest, *gd, *ad, *completion, *share, *use;
    unsigned lag[NPROF];
    int64_t gi[NPROF], gf[NPROF];
    struct projection_scenario scen[PROJECTION_MAX_SCENARIOS];
};

static void inputs_free(struct inputs *x)
{
    free(x->stock);
    free(x->beginners);
    free(x->abroad);
    free(x->pop);
    free(x->hist);
    free(x->exit);
    free(x->reentry);
    free(x->migrate);
    free(x->part);
    free(x->fte);
    free(x->dest);
    free(x->gd);
    free(x->ad);
    free(x->completion);
    free(x->share);
    free(x->use);
}

/* Age profile of the stock: flat 25-60, thinning after. */
static double age_weight(int age)
{
    if (age < 24)
        return 0.1 * (age - 19);
    if (age <= 60)
        return 1.0;
    if (age <= 66)
        return 1.0 - 0.12 * (age - 60);
    return age <= 72 ? 0.1 : 0.02;
}

static double grad_age_weight(int age)
{
    return age < 23 || age > 34 ? 0 : age <= 27 ? 3 : 1;
}

static double abroad_age_weight(int age)
{
    return age < 27 || age > 50 ? 0 : age <= 40 ? 2 : 1;
}

/* Series of beginners and licences from abroad that keep each
 * profession's inflow near its outflow (graduates ≈ stock / 33). */
static void series(struct inputs *x)
{
    for (unsigned p = 0; p < NPROF; p++)
        for (unsigned r = 0; r < NREG; r++) {
            double st = (double)profs[p].employed * regpop[r] / pop_total();
            for (int i = 0; i < SERIES_NY; i++) {
                double grow = 1.0 + 0.01 * (i - 15);
                double entrants = st / 33.0 * grow;
                double ab = entrants * profs[p].abroad_pct / 100.0;
                double grads = entrants - ab;
                size_t k = ((size_t)p * NREG + r) * SERIES_NY + (size_t)i;
                x->beginners[k] = (int64_t)(grads / (x->completion[p] * x->share[p]) + 0.5);
                x->abroad[k] = (int64_t)(ab + 0.5);
            }
        }
}

/* The full-size inputs with plausible rates (part 1-3). */
static int inputs_full(struct inputs *x, unsigned horizon)
{
    memset(x, 0, sizeof(*x));
    struct projection_input *in = &x->in;
    in->dims = (struct projection_dims){NPROF, NREG, AMIN, AMAX};
    in->base_year = BASE;
    in->horizon = horizon;
    size_t nc = x->nc = projection_ncells(&in->dims);
    size_t na = x->na = projection_nages(&in->dims);
    size_t nk = x->nk = 2 * na;
    x->stock = calloc(nc, 8);
    x->hist = calloc(6 * nc, 8);
    x->exit = calloc(nc, 8);
    x->reentry = calloc(nc, 8);
    x->migrate = calloc(nc, 8);
    x->part = calloc(nc, 8);
    x->fte = calloc(nc, 8);
    x->dest = calloc((size_t)NPROF * NREG * NREG, 8);
    x->gd = calloc(NPROF * nk, 8);
    x->ad = calloc(NPROF * nk, 8);
    x->completion = calloc(NPROF, 8);
    x->share = calloc(NPROF, 8);
    x->beginners = calloc((size_t)NPROF * NREG * SERIES_NY, 8);
    x->abroad = calloc((size_t)NPROF * NREG * SERIES_NY, 8);
    x->pop = calloc((size_t)NREG * (horizon + 1) * 2 * PROJECTION_POP_AGES, 8);
    x->use = calloc((size_t)NPROF * 2 * PROJECTION_POP_AGES, 8);
    if (!x->stock || !x->hist || !x->exit || !x->reentry || !x->migrate || !x->part || !x->fte ||
        !x->dest || !x->gd || !x->ad || !x->completion || !x->share || !x->beginners ||
        !x->abroad || !x->pop || !x->use)
        return -1;
    double wsum = 0;
    for (int a = AMIN; a <= AMAX; a++)
        wsum += age_weight(a);
    for (unsigned p = 0; p < NPROF; p++) {
        x->completion[p] = 0.85;
        x->share[p] = 0.9;
        x->lag[p] = profs[p].lag;
        for (unsigned r = 0; r < NREG; r++)
            for (unsigned s = 0; s < 2; s++)
                for (int a = AMIN; a <= AMAX; a++) {
                    size_t c = projection_cell(&in->dims, p, r, s, a);
                    double share_s =
                        s == 1 ? profs[p].women_pct / 100.0 : 1 - profs[p].women_pct / 100.0;
                    double v = (double)profs[p].employed * regpop[r] / pop_total() * share_s *
                               age_weight(a) / wsum;
                    x->stock[c] = (int64_t)(v * (0.9 + 0.2 * urand()) + 0.5);
                    x->exit[c] = planted_exit(p, s, a);
                    x->reentry[c] = a < 60 ? 0.003 : 0;
                    x->migrate[c] = a < 40 ? 0.025 : 0.008;
                    x->part[c] = a < 66 ? 0.92 : 0.6;
                    x->fte[c] = a < 66 ? 0.88 : 0.5;
                }
        double gsum = 0, asum = 0;
        for (unsigned s = 0; s < 2; s++)
            for (size_t ai = 0; ai < na; ai++) {
                double sw = s == 1 ? profs[p].women_pct : 100 - profs[p].women_pct;
                x->gd[p * nk + s * na + ai] = sw * grad_age_weight(AMIN + (int)ai);
                x->ad[p * nk + s * na + ai] = sw * abroad_age_weight(AMIN + (int)ai);
                gsum += x->gd[p * nk + s * na + ai];
                asum += x->ad[p * nk + s * na + ai];
            }
        for (size_t k = 0; k < nk; k++) {
            x->gd[p * nk + k] /= gsum;
            x->ad[p * nk + k] /= asum;
        }
        for (unsigned r = 0; r < NREG; r++) {
            double other = pop_total() - regpop[r];
            for (unsigned q = 0; q < NREG; q++)
                x->dest[((size_t)p * NREG + r) * NREG + q] = q == r ? 0 : regpop[q] / other;
        }
        for (unsigned s = 0; s < 2; s++)
            for (int a = 0; a < PROJECTION_POP_AGES; a++)
                x->use[((size_t)p * 2 + s) * PROJECTION_POP_AGES + (size_t)a] =
                    1.0 + (a > 65 ? 0.05 * (a - 65) : 0) + (a < 5 ? 0.5 : 0);
    }
    series(x);
    /* population: each region's 2024 total by a plain pyramid, growing
     * 0.5 % a year and ageing a little */
    for (unsigned r = 0; r < NREG; r++)
        for (unsigned y = 0; y <= horizon; y++)
            for (unsigned s = 0; s < 2; s++)
                for (int a = 0; a < PROJECTION_POP_AGES; a++) {
                    double w = a < 65 ? 1.0 : a < 85 ? 0.8 - 0.03 * (a - 65) : 0.1;
                    w *= a >= 65 ? 1.0 + 0.01 * y : 1.0;
                    double v = regpop[r] / 2.0 * w / 80.0 * pow(1.005, y);
                    x->pop[(((size_t)r * (horizon + 1) + y) * 2 + s) * PROJECTION_POP_AGES +
                           (size_t)a] = (int64_t)v;
                }
    /* the observed stock 2019-2024: the 2024 stock less a trend, with noise */
    for (unsigned j = 0; j <= 5; j++)
        for (size_t c = 0; c < nc; c++)
            x->hist[j * nc + c] =
                j == 5
                    ? x->stock[c]
                    : (int64_t)((double)x->stock[c] * (0.95 + 0.01 * j) * (0.97 + 0.06 * urand()));
    /* a guideline demand for läkare (as if GP specialists) */
    x->gi[10] = 1100;
    x->gf[10] = 1000;
    in->stock = x->stock;
    in->exit = x->exit;
    in->reentry = x->reentry;
    in->migrate = x->migrate;
    in->participation = x->part;
    in->fte = x->fte;
    in->dest = x->dest;
    in->grad_dist = x->gd;
    in->abroad_dist = x->ad;
    in->series_y0 = SERIES_Y0;
    in->series_ny = SERIES_NY;
    in->beginners = x->beginners;
    in->abroad = x->abroad;
    in->completion = x->completion;
    in->entry_share = x->share;
    in->lag = x->lag;
    in->pop = x->pop;
    in->care_use = x->use;
    in->guide_inhabitants = x->gi;
    in->guide_fte_milli = x->gf;
    in->hist = x->hist;
    in->hist_y0 = BASE - 5;
    in->nhist = 6;
    in->backcast_years = 5;
    size_t n;
    const struct projection_scenario *std = projection_standard_scenarios(&n);
    memcpy(x->scen, std, n * sizeof(*std));
    /* the four of the figure: base, exit age +2, intake +10 %, abroad +50 % */
    x->scen[6] = std[0];
    x->scen[7] = std[1];
    x->scen[8] = std[3];
    x->scen[9] = std[4];
    in->scen = x->scen + 6;
    in->nscen = 4;
    return 0;
}

static int fail(const char *what)
{
    fprintf(stderr, "projection: check failed: %s\n", what);
    return 1;
}

/* Part 3: the checks on one scenario run with its flows kept. */
static int check_run(const struct inputs *x, const struct projection_result *res,
                     const struct projection_run *run, const struct projection_scenario *sc)
{
    const struct projection_dims *d = &x->in.dims;
    size_t nc = x->nc, na = x->na, npr = (size_t)NPROF * NREG;
    int bad = 0;
    size_t cells = 0;
    for (unsigned y = 0; y < res->horizon; y++) {
        const int64_t *s0 = run->stock + y * nc, *s1 = run->stock + (y + 1) * nc;
        const int64_t *fl = run->flows + y * nc * PROJECTION_NFLOWS;
        int64_t *sum = calloc(npr * PROJECTION_NFLOWS, 8);
        int64_t nat0 = 0, nat1 = 0, natin = 0, natout = 0;
        for (unsigned p = 0; p < NPROF; p++)
            for (unsigned s = 0; s < 2; s++)
                for (int a = AMIN; a <= AMAX; a++) {
                    int64_t moved_in = 0, moved_out = 0;
                    for (unsigned r = 0; r < NREG; r++) {
                        size_t c = projection_cell(d, p, r, s, a);
                        const int64_t *f = fl + c * PROJECTION_NFLOWS;
                        int64_t aged = a > AMIN ? s0[c - 1] : 0;
                        if (a == AMAX)
                            aged += s0[c];
                        int64_t in = f[PROJECTION_GRAD] + f[PROJECTION_ABROAD] +
                                     f[PROJECTION_REENTRY] + f[PROJECTION_MOVE_IN];
                        int64_t out = f[PROJECTION_EXIT] + f[PROJECTION_MOVE_OUT];
                        if (s1[c] != aged + in - out || s1[c] < 0)
                            bad++;
                        /* exits: the stock of the age below times the
                         * scenario's rate (shifted along age, scaled) */
                        if (a > AMIN && a < AMAX) {
                            int src = a - 1 - sc->exit_age_shift;
                            src = src < AMIN ? AMIN : src > AMAX ? AMAX : src;
                            double xr = x->exit[projection_cell(d, p, r, s, src)] * sc->exit_factor;
                            xr = xr > 1 ? 1 : xr;
                            if (fabs((double)f[PROJECTION_EXIT] - (double)s0[c - 1] * xr) > 0.5)
                                bad++;
                        }
                        moved_in += f[PROJECTION_MOVE_IN];
                        moved_out += f[PROJECTION_MOVE_OUT];
                        for (int k = 0; k < PROJECTION_NFLOWS; k++)
                            sum[((size_t)p * NREG + r) * PROJECTION_NFLOWS + (size_t)k] += f[k];
                        nat0 += s0[c];
                        nat1 += s1[c];
                        natin += in;
                        natout += out;
                        cells++;
                    }
                    if (moved_in != moved_out)
                        bad++;
                }
        if (nat1 != nat0 + natin - natout)
            bad++;
        if (memcmp(sum, run->flow_pr + y * npr * PROJECTION_NFLOWS, npr * PROJECTION_NFLOWS * 8) !=
            0)
            bad++;
        free(sum);
        (void)na;
    }
    for (unsigned y = 0; y <= res->horizon; y++)
        for (unsigned p = 0; p < NPROF; p++)
            for (unsigned r = 0; r < NREG; r++) {
                int64_t t = 0;
                for (size_t k = 0; k < x->nk; k++)
                    t += run->stock[y * nc + projection_cell(d, p, r, 0, AMIN) + k];
                if (t != run->stock_pr[projection_pr(res, y, p, r)])
                    bad++;
            }
    printf("  %-12s %9zu cell-years: identity, exits, movers, totals %s\n", sc->name, cells,
           bad ? "FAILED" : "ok");
    return bad != 0;
}

static int64_t national(const struct projection_result *res, const int64_t *pr, unsigned y)
{
    int64_t t = 0;
    for (unsigned p = 0; p < NPROF; p++)
        for (unsigned r = 0; r < NREG; r++)
            t += pr[projection_pr(res, y, p, r)];
    return t;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int run_timed(struct inputs *x, int reps, double *best, double *median,
                     struct projection_result *keep)
{
    double t[16];
    for (int i = 0; i < reps; i++) {
        struct projection_result res;
        struct diag dg;
        diag_init(&dg, 20);
        double t0 = now_s();
        enum err e = projection_run(&x->in, &res, &dg);
        t[i] = now_s() - t0;
        if (e != ERR_OK) {
            diag_print(&dg, stderr);
            diag_release(&dg);
            projection_release(&res);
            return -1;
        }
        diag_release(&dg);
        if (keep && i == reps - 1)
            *keep = res;
        else
            projection_release(&res);
    }
    qsort(t, (size_t)reps, sizeof(double), cmp_double);
    *best = t[0];
    *median = t[reps / 2];
    return 0;
}

/* ---- part 4: synthetic microdata with planted flows ---- */

struct person {
    uint8_t active, away, gone, prof, reg, sex;
    int16_t birth;
};

struct micro {
    size_t n, cap;
    uint32_t *person;
    uint16_t *year, *fte;
    uint8_t *prof, *region, *sex, *age;
};

static int micro_add(struct micro *m, uint32_t id, int year, const struct person *p, unsigned fte)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1 << 20;
        void *a = realloc(m->person, cap * 4), *b = realloc(m->year, cap * 2),
             *c = realloc(m->fte, cap * 2), *d = realloc(m->prof, cap),
             *e = realloc(m->region, cap), *f = realloc(m->sex, cap), *g = realloc(m->age, cap);
        if (a)
            m->person = a;
        if (b)
            m->year = b;
        if (c)
            m->fte = c;
        if (d)
            m->prof = d;
        if (e)
            m->region = e;
        if (f)
            m->sex = f;
        if (g)
            m->age = g;
        if (!a || !b || !c || !d || !e || !f || !g)
            return -1;
        m->cap = cap;
    }
    m->person[m->n] = id;
    m->year[m->n] = (uint16_t)year;
    m->prof[m->n] = p->prof;
    m->region[m->n] = p->reg;
    m->sex[m->n] = p->sex;
    m->age[m->n] = (uint8_t)(year - p->birth);
    m->fte[m->n] = (uint16_t)fte;
    m->n++;
    return 0;
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

static int draw_age(double (*w)(int))
{
    double total = 0;
    for (int a = AMIN; a <= AMAX; a++)
        total += w(a);
    double u = urand() * total;
    for (int a = AMIN; a <= AMAX; a++) {
        u -= w(a);
        if (u < 0)
            return a;
    }
    return AMAX;
}

#define MICRO_Y0 2010
#define RETURN_SHARE 0.25

/* Simulate persons 2010-2024 with the planted exits, moves (to regions in
 * proportion to population), returns after a year away, and entrants
 * from the series (graduates drawn from beginners × completion × share,
 * licences from abroad as given). */
static int simulate(const struct inputs *x, struct micro *m)
{
    size_t cap = 1200000, np = 0;
    struct person *ps = calloc(cap, sizeof(*ps));
    if (!ps)
        return -1;
    double wsum = 0;
    for (int a = AMIN; a <= AMAX; a++)
        wsum += age_weight(a);
    for (unsigned p = 0; p < NPROF; p++)
        for (unsigned r = 0; r < NREG; r++)
            for (unsigned s = 0; s < 2; s++)
                for (int a = AMIN; a <= AMAX; a++) {
                    double share_s =
                        s == 1 ? profs[p].women_pct / 100.0 : 1 - profs[p].women_pct / 100.0;
                    double v = (double)profs[p].employed * 0.9 * regpop[r] / pop_total() * share_s *
                               age_weight(a) / wsum;
                    int n = (int)v + (urand() < v - (int)v);
                    for (int i = 0; i < n && np < cap; i++)
                        ps[np++] = (struct person){
                            1, 0, 0, (uint8_t)p, (uint8_t)r, (uint8_t)s, (int16_t)(MICRO_Y0 - a)};
                }
    for (int y = MICRO_Y0; y <= BASE; y++) {
        if (y > MICRO_Y0)
            for (unsigned p = 0; p < NPROF; p++)
                for (unsigned r = 0; r < NREG; r++) {
                    size_t k = ((size_t)p * NREG + r) * SERIES_NY;
                    int iy = y - (int)profs[p].lag - SERIES_Y0, ia = y - SERIES_Y0;
                    int64_t b = x->beginners[k + (size_t)(iy < 0 ? 0 : iy)];
                    int64_t ab = x->abroad[k + (size_t)ia];
                    double pg = x->completion[p] * x->share[p];
                    int64_t n = 0;
                    for (int64_t i = 0; i < b; i++)
                        n += urand() < pg;
                    for (int64_t i = 0; i < n + ab && np < cap; i++) {
                        int grad = i < n;
                        unsigned s = urand() * 100 < profs[p].women_pct;
                        int age = draw_age(grad ? grad_age_weight : abroad_age_weight);
                        ps[np++] = (struct person){
                            1, 0, 0, (uint8_t)p, (uint8_t)r, (uint8_t)s, (int16_t)(y - age)};
                    }
                }
        for (size_t i = 0; i < np; i++)
            if (ps[i].active && micro_add(m, (uint32_t)i, y, &ps[i], 88) != 0) {
                free(ps);
                return -1;
            }
        if (y == BASE)
            break;
        for (size_t i = 0; i < np; i++) {
            struct person *p = &ps[i];
            int age = y - p->birth;
            if (p->away) {
                p->away = 0;
                p->active = 1;
                continue;
            }
            if (!p->active)
                continue;
            if (urand() < planted_exit(p->prof, p->sex, age)) {
                p->active = 0;
                p->gone = age < 60 && urand() < RETURN_SHARE;
                continue;
            }
            if (urand() < (age < 40 ? 0.025 : 0.008)) {
                double u = urand() * (pop_total() - regpop[p->reg]);
                for (unsigned q = 0; q < NREG; q++) {
                    if (q == p->reg)
                        continue;
                    u -= regpop[q];
                    if (u < 0) {
                        p->reg = (uint8_t)q;
                        break;
                    }
                }
            }
        }
        for (size_t i = 0; i < np; i++)
            if (ps[i].gone) {
                ps[i].gone = 0;
                ps[i].away = 1;
            }
    }
    free(ps);
    return 0;
}

static int part4(struct inputs *x)
{
    struct micro m = {0};
    struct flowrate_result fr;
    struct projection_result res;
    struct diag dg;
    int bad = 0;
    memset(&fr, 0, sizeof(fr));
    memset(&res, 0, sizeof(res));
    double t0 = now_s();
    if (simulate(x, &m) != 0)
        return fail("out of memory for the synthetic microdata");
    double t1 = now_s();
    struct flowrate_micro v = {m.n, m.person, m.year, m.prof, m.region, m.sex, m.age, m.fte};
    struct flowrate_opts o = {0, 0, 50, 1};
    diag_init(&dg, 20);
    if (flowrate_estimate(&v, &x->in.dims, &o, &fr, &dg) != ERR_OK) {
        diag_print(&dg, stderr);
        bad = fail("flowrate_estimate");
        goto out;
    }
    double t2 = now_s();
    printf("\n4. synthetic microdata with planted flows, %d-%d: %zu records, %zu persons, "
           "%zu person-years\n",
           MICRO_Y0, BASE, m.n, fr.info.persons, fr.info.person_years);
    printf("   simulated in %.2f s; flowrate_estimate (k = 50, ±1 year) %.3f s = %.0f ns/record, "
           "%zu of %zu cells pooled\n",
           t1 - t0, t2 - t1, (t2 - t1) * 1e9 / (double)m.n, fr.info.cells_pooled, x->nc);

    /* recovered exit rates, pooled over everything by band, vs planted */
    printf("   exit rates recovered (all professions and regions, men):\n");
    const int bands[][2] = {{45, 54}, {55, 59}, {60, 64}, {65, 69}, {70, 74}};
    for (size_t b = 0; b < 5; b++) {
        double ev = 0, ex = 0, planted = 0;
        for (unsigned p = 0; p < NPROF; p++)
            for (unsigned r = 0; r < NREG; r++)
                for (int a = bands[b][0]; a <= bands[b][1]; a++) {
                    size_t c = projection_cell(&x->in.dims, p, r, 0, a);
                    ev += (double)fr.exits[c];
                    ex += (double)fr.exposure[c];
                    planted += (double)fr.exposure[c] * planted_exit(p, 0, a);
                }
        double est = ev / ex, want = planted / ex, se = sqrt(want * (1 - want) / ex);
        printf("     %d-%d: %.4f (planted %.4f, se %.4f)%s\n", bands[b][0], bands[b][1], est, want,
               se, fabs(est - want) > 4 * se ? "  FAILED" : "");
        bad |= fabs(est - want) > 4 * se;
    }

    /* the back-cast from the estimated rates and the observed stock */
    struct projection_input in = x->in;
    in.stock = fr.stock + (size_t)(BASE - MICRO_Y0) * x->nc;
    in.exit = fr.exit;
    in.reentry = fr.reentry;
    in.migrate = fr.migrate;
    in.fte = fr.fte;
    in.dest = fr.dest;
    in.grad_dist = fr.entrant;
    in.abroad_dist = fr.entrant;
    in.hist = fr.stock;
    in.hist_y0 = MICRO_Y0;
    in.nhist = fr.nyears;
    in.scen = x->scen;
    in.nscen = 6;
    snprintf(in.src.rates, sizeof(in.src.rates), "flowrate %d-%d, k = 50, ±1 år (syntetiska data)",
             MICRO_Y0, BASE);
    double t3 = now_s();
    if (projection_run(&in, &res, &dg) != ERR_OK) {
        diag_print(&dg, stderr);
        bad = fail("projection_run on the estimated rates");
        goto out;
    }
    double t4 = now_s();
    const struct projection_backcast *bc = &res.bc;
    printf("\n   back-cast %d -> %d with those rates and the series (projection_run, 6 scenarios, "
           "%.3f s):\n",
           bc->from_year, bc->to_year, t4 - t3);
    printf("   %-28s %9s %9s %8s %8s %9s\n", "profession", "observed", "projected", "MAPE", "bias",
           "national");
    for (unsigned p = 0; p < NPROF; p++) {
        int64_t obs = 0, prj = 0;
        for (unsigned r = 0; r < NREG; r++) {
            obs += bc->rows[p * NREG + r].observed_milli;
            prj += bc->rows[p * NREG + r].projected_milli;
        }
        printf("   %-28s %9.0f %9.0f %7.2f%% %+7.2f%% %+8.2f%%\n", profs[p].name, obs / 1000.0,
               prj / 1000.0, 100 * bc->mape_prof[p], 100 * bc->bias_prof[p],
               100 * bc->national_pe_prof[p]);
        /* the model is the simulation's: a large profession's national
         * error must be small (sampling noise and the one entrant
         * distribution for graduates and those trained abroad) */
        if (profs[p].employed >= 5000 && fabs(bc->national_pe_prof[p]) > 0.03) {
            printf("     FAILED: national error above 3 %%\n");
            bad = 1;
        }
    }
    printf("   %-8s", "region");
    for (unsigned r = 0; r < NREG; r++)
        printf(" %5s", regcode[r]);
    printf("\n   %-8s", "MAPE %");
    for (unsigned r = 0; r < NREG; r++)
        printf(" %5.1f", 100 * bc->mape_reg[r]);
    printf("\n   %-8s", "bias %");
    for (unsigned r = 0; r < NREG; r++)
        printf(" %+5.1f", 100 * bc->bias_reg[r]);
    printf("\n   all %zu profession × region cells: MAPE %.2f %%, bias %+.2f %%, WAPE %.2f %% "
           "(%zu left out, nothing observed)\n",
           bc->nrows, 100 * bc->mape, 100 * bc->bias, 100 * bc->wape, bc->excluded);
    printf("   MAPE by years ahead:");
    for (unsigned j = 0; j < 5; j++)
        printf("  %u: %.2f %%", j + 1, 100 * bc->mape_year[j]);
    printf("\n");
    if (!(bc->wape < 0.03)) {
        printf("   FAILED: WAPE above 3 %%\n");
        bad = 1;
    }
    /* and forward: national supply by scenario */
    printf("\n   forward from %d on the estimated rates, persons nationally (all 22):\n", BASE);
    printf("   %-12s %10s %10s %10s\n", "scenario", "2024", "2029", "2039");
    for (size_t i = 0; i < res.nscen; i++)
        printf("   %-12s %10.0f %10.0f %10.0f\n", res.run[i].scen.name,
               national(&res, res.run[i].stock_pr, 0) / 1000.0,
               national(&res, res.run[i].stock_pr, 5) / 1000.0,
               national(&res, res.run[i].stock_pr, 15) / 1000.0);
out:
    diag_release(&dg);
    projection_release(&res);
    flowrate_release(&fr);
    micro_free(&m);
    return bad;
}

int main(int argc, char **argv)
{
    struct inputs x;
    int bad = 0;
    if (argc > 1 && strcmp(argv[1], "--once") == 0) {
        double t0 = now_s();
        if (inputs_full(&x, 15) != 0)
            return fail("out of memory");
        double t1 = now_s();
        struct projection_result res;
        struct diag dg;
        diag_init(&dg, 20);
        enum err e = projection_run(&x.in, &res, &dg);
        double t2 = now_s();
        if (e != ERR_OK)
            diag_print(&dg, stderr);
        diag_release(&dg);
        projection_release(&res);
        inputs_free(&x);
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        printf("inputs %.1f ms, projection_run %.1f ms, peak RSS %ld MB\n", (t1 - t0) * 1e3,
               (t2 - t1) * 1e3, ru.ru_maxrss / 1024);
        return e != ERR_OK;
    }

    /* 1. the full projection */
    if (inputs_full(&x, 15) != 0)
        return fail("out of memory");
    size_t cells = x.nc * 15 * 4;
    printf("1. full projection: %d professions × %d regions × 2 sexes × ages %d-%d = %zu cells, "
           "15 years, 4 scenarios (%zu cell-years), demand, 5-year back-cast\n",
           NPROF, NREG, AMIN, AMAX, x.nc, cells);
    double best, median;
    struct projection_result res;
    if (run_timed(&x, 9, &best, &median, &res) != 0)
        return fail("projection_run");
    printf("   projection_run: best %.1f ms, median %.1f ms (%.1f ns per cell-year)\n", best * 1e3,
           median * 1e3, best * 1e9 / (double)cells);
    printf("   national stock 2024 %.0f, 2039 by scenario:",
           national(&res, res.run[0].stock_pr, 0) / 1e3);
    for (size_t i = 0; i < res.nscen; i++)
        printf(" %s %.0f", res.run[i].scen.name, national(&res, res.run[i].stock_pr, 15) / 1e3);
    printf("\n");
    if (national(&res, res.demand_pr, 0) != national(&res, res.run[0].fte_pr, 0))
        bad |= fail("base-year demand differs from supply");
    if (!res.bc.available)
        bad |= fail("no back-cast");
    projection_release(&res);
    x.in.scen = x.scen;
    x.in.nscen = 6;
    if (run_timed(&x, 5, &best, &median, NULL) != 0)
        return fail("projection_run");
    printf("   the 6 standard scenarios: best %.1f ms, median %.1f ms\n", best * 1e3, median * 1e3);
    inputs_free(&x);

    /* 2. growth with the horizon */
    printf("\n2. growth with the horizon (4 scenarios, demand and back-cast included):\n");
    printf("   %8s %10s %12s %14s\n", "horizon", "best ms", "ns/cell-yr", "ms per year");
    static const unsigned hs[] = {1, 5, 10, 15, 20, 30, 40, 50};
    for (size_t i = 0; i < sizeof(hs) / sizeof(hs[0]); i++) {
        if (inputs_full(&x, hs[i]) != 0)
            return fail("out of memory");
        if (run_timed(&x, 5, &best, &median, NULL) != 0)
            return fail("projection_run");
        printf("   %8u %10.1f %12.1f %14.2f\n", hs[i], best * 1e3,
               best * 1e9 / (double)(x.nc * hs[i] * 4), best * 1e3 / hs[i]);
        inputs_free(&x);
    }

    /* 3. the checks, one scenario at a time with its flows kept */
    printf("\n3. checks, every scenario with every cell's flows kept:\n");
    if (inputs_full(&x, 15) != 0)
        return fail("out of memory");
    x.in.keep_flows = 1;
    struct projection_result all[6];
    for (size_t i = 0; i < 6; i++) {
        x.in.scen = &x.scen[i];
        x.in.nscen = 1;
        struct diag dg;
        diag_init(&dg, 20);
        if (projection_run(&x.in, &all[i], &dg) != ERR_OK) {
            diag_print(&dg, stderr);
            return fail("projection_run with flows");
        }
        diag_release(&dg);
        bad |= check_run(&x, &all[i], &all[i].run[0], &x.scen[i]);
        free(all[i].run[0].flows); /* keep the memory down */
        all[i].run[0].flows = NULL;
    }
    /* more (first) never below less (second), at every (p, r, year),
     * beyond a thousandth of a person per cell and year of rounding */
    const int pairs[][2] = {{1, 0}, {0, 2}, {3, 0}, {4, 0}, {0, 5}};
    for (size_t i = 0; i < 5; i++) {
        const struct projection_run *hi = &all[pairs[i][0]].run[0], *lo = &all[pairs[i][1]].run[0];
        size_t below = 0;
        for (unsigned y = 0; y <= 15; y++)
            for (size_t k = 0; k < (size_t)NPROF * NREG; k++) {
                size_t j = y * (size_t)NPROF * NREG + k;
                below += hi->stock_pr[j] < lo->stock_pr[j] - (int64_t)(x.nk * y);
            }
        int64_t nh = national(&all[0], hi->stock_pr, 15), nl = national(&all[0], lo->stock_pr, 15);
        printf("  %-12s >= %-12s at every profession, region and year: %s (2039: %.0f vs %.0f)\n",
               hi->scen.name, lo->scen.name, below || nh <= nl ? "FAILED" : "ok", nh / 1e3,
               nl / 1e3);
        bad |= below || nh <= nl;
    }
    for (size_t i = 0; i < 6; i++)
        projection_release(&all[i]);

    /* 4. microdata, rates, back-cast */
    bad |= part4(&x);
    inputs_free(&x);
    printf("\n%s\n", bad ? "FAILED" : "all checks passed");
    return bad;
}
