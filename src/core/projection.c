/* projection.c - the stock-and-flow projection, its demand and back-cast. */
#include "core/projection.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/guideline.h"

/* Largest number of int64 values a result may hold (512 MB). */
#define PROJECTION_MAX_VALUES ((size_t)1 << 26)

static const struct projection_scenario standard[] = {
    {"base", "Huvudscenario", 0, 1.0, 1.0, 1.0, 1.0},
    {"exit-age+2", "Utträdesålder +2 år", 2, 1.0, 1.0, 1.0, 1.0},
    {"exit-age-2", "Utträdesålder −2 år", -2, 1.0, 1.0, 1.0, 1.0},
    {"intake+10", "Antagning +10 %", 0, 1.0, 1.10, 1.0, 1.0},
    {"abroad+50", "Legitimationer för utbildade utomlands +50 %", 0, 1.0, 1.0, 1.5, 1.0},
    {"abroad-50", "Legitimationer för utbildade utomlands −50 %", 0, 1.0, 1.0, 0.5, 1.0},
};

static const struct projection_scenario backcast_scenario = {
    "backcast", "Tillbakaskrivning", 0, 1.0, 1.0, 1.0, 1.0};

const struct projection_scenario *projection_standard_scenarios(size_t *n)
{
    *n = sizeof(standard) / sizeof(standard[0]);
    return standard;
}

enum err projection_dims_check(const struct projection_dims *d, struct diag *dg)
{
    size_t before = dg->total;
    if (d->nprof < 1 || d->nprof > PROJECTION_MAX_PROFS)
        diag_add(dg, NULL, 0, "%u professions is not 1-%d", d->nprof, PROJECTION_MAX_PROFS);
    if (d->nreg < 1 || d->nreg > PROJECTION_MAX_REGIONS)
        diag_add(dg, NULL, 0, "%u regions is not 1-%d", d->nreg, PROJECTION_MAX_REGIONS);
    if (d->age_min < PROJECTION_AGE_LOW || d->age_max > PROJECTION_AGE_HIGH ||
        d->age_min >= d->age_max)
        diag_add(dg, NULL, 0, "ages %d-%d are not a range within %d-%d", d->age_min, d->age_max,
                 PROJECTION_AGE_LOW, PROJECTION_AGE_HIGH);
    return dg->total != before ? ERR_INVALID : ERR_OK;
}

static int name_ok(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    if (n == 0 || n == max)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '+'))
            return 0;
    }
    return 1;
}

static int factor_ok(double f)
{
    return isfinite(f) && f >= 0 && f <= 10;
}

enum err projection_scenarios_check(const struct projection_scenario *s, size_t n, struct diag *dg)
{
    size_t before = dg->total;
    if (n < 1 || n > PROJECTION_MAX_SCENARIOS)
        diag_add(dg, NULL, 0, "%zu scenarios is not 1-%d", n, PROJECTION_MAX_SCENARIOS);
    for (size_t i = 0; i < n && i < PROJECTION_MAX_SCENARIOS; i++) {
        const struct projection_scenario *c = &s[i];
        if (!name_ok(c->name, sizeof(c->name))) {
            diag_add(dg, NULL, 0, "scenario %zu: name '%.*s' must be 1-31 of a-z, 0-9, + and -",
                     i + 1, (int)strnlen(c->name, sizeof(c->name)), c->name);
            continue;
        }
        if (strnlen(c->label, sizeof(c->label)) == sizeof(c->label))
            diag_add(dg, NULL, 0, "scenario '%s': label is not terminated", c->name);
        if (c->exit_age_shift < -10 || c->exit_age_shift > 10)
            diag_add(dg, NULL, 0, "scenario '%s': exit age shift %d is not -10..10", c->name,
                     c->exit_age_shift);
        if (!factor_ok(c->exit_factor))
            diag_add(dg, NULL, 0, "scenario '%s': exit factor %g is not 0-10", c->name,
                     c->exit_factor);
        if (!factor_ok(c->intake_factor))
            diag_add(dg, NULL, 0, "scenario '%s': intake factor %g is not 0-10", c->name,
                     c->intake_factor);
        if (!factor_ok(c->abroad_factor))
            diag_add(dg, NULL, 0, "scenario '%s': abroad factor %g is not 0-10", c->name,
                     c->abroad_factor);
        if (!factor_ok(c->reentry_factor))
            diag_add(dg, NULL, 0, "scenario '%s': re-entry factor %g is not 0-10", c->name,
                     c->reentry_factor);
        for (size_t j = 0; j < i; j++)
            if (strncmp(s[j].name, c->name, sizeof(c->name)) == 0) {
                diag_add(dg, NULL, 0, "scenario '%s' is named twice", c->name);
                break;
            }
    }
    return dg->total != before ? ERR_INVALID : ERR_OK;
}

/* "profession 1, region 2, sex 1, age 60" of cell c. */
static void cell_name(const struct projection_dims *d, size_t c, char *out, size_t n)
{
    size_t na = projection_nages(d);
    size_t ai = c % na, rest = c / na;
    size_t s = rest % PROJECTION_SEXES;
    rest /= PROJECTION_SEXES;
    snprintf(out, n, "profession %zu, region %zu, sex %zu, age %d", rest / d->nreg, rest % d->nreg,
             s, d->age_min + (int)ai);
}

/* Report the first value of a cell array outside [lo, hi] (or not a
 * number) and how many more there are. */
static void check_cells(const struct projection_dims *d, const char *what, const double *v,
                        double lo, double hi, struct diag *dg)
{
    size_t n = projection_ncells(d), bad = 0, first = 0;
    for (size_t c = 0; c < n; c++)
        if (!(isfinite(v[c]) && v[c] >= lo && v[c] <= hi)) {
            if (!bad)
                first = c;
            bad++;
        }
    if (bad) {
        char where[96];
        cell_name(d, first, where, sizeof(where));
        diag_add(dg, NULL, 0, "%s %g at %s is not %g-%g%s", what, v[first], where, lo, hi,
                 bad > 1 ? " (and more cells)" : "");
    }
}

static void check_doubles(const char *what, const double *v, size_t n, double lo, double hi,
                          struct diag *dg)
{
    for (size_t i = 0; i < n; i++)
        if (!(isfinite(v[i]) && v[i] >= lo && v[i] <= hi)) {
            diag_add(dg, NULL, 0, "%s %g at index %zu is not %g-%g", what, v[i], i, lo, hi);
            return;
        }
}

static void check_counts(const char *what, const int64_t *v, size_t n, int64_t max, struct diag *dg)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] < 0 || v[i] > max) {
            diag_add(dg, NULL, 0, "%s %lld at index %zu is not 0-%lld", what, (long long)v[i], i,
                     (long long)max);
            return;
        }
}

/* A distribution over k values: each 0-1, summing to 1 (or to 0 when
 * nothing flows through it). Returns the sum, or -1 after a message. */
static double check_dist(const char *what, unsigned p, const double *w, size_t k, struct diag *dg)
{
    double sum = 0;
    for (size_t i = 0; i < k; i++) {
        if (!(isfinite(w[i]) && w[i] >= 0 && w[i] <= 1)) {
            diag_add(dg, NULL, 0, "%s of profession %u: share %g at index %zu is not 0-1", what, p,
                     w[i], i);
            return -1;
        }
        sum += w[i];
    }
    if (sum != 0 && fabs(sum - 1) > 1e-6) {
        diag_add(dg, NULL, 0, "%s of profession %u sums to %.9g, not 1", what, p, sum);
        return -1;
    }
    return sum;
}

enum err projection_check(const struct projection_input *in, struct diag *dg)
{
    size_t before = dg->total;
    const struct projection_dims *d = &in->dims;
    if (projection_dims_check(d, dg) != ERR_OK)
        return ERR_INVALID;
    size_t nc = projection_ncells(d), na = projection_nages(d);
    size_t npr = (size_t)d->nprof * d->nreg;
    if (in->horizon < 1 || in->horizon > PROJECTION_MAX_HORIZON)
        diag_add(dg, NULL, 0, "horizon %u is not 1-%d years", in->horizon, PROJECTION_MAX_HORIZON);
    if (in->base_year < 1900 || in->base_year > 2200)
        diag_add(dg, NULL, 0, "base year %d is not 1900-2200", in->base_year);
    if (!in->stock || !in->exit || !in->reentry || !in->migrate || !in->participation || !in->fte ||
        !in->grad_dist || !in->abroad_dist || !in->beginners || !in->completion ||
        !in->entry_share || !in->lag || !in->abroad || !in->pop || !in->care_use || !in->scen) {
        diag_add(dg, NULL, 0, "an input array is missing");
        return ERR_INVALID;
    }
    if (dg->total != before)
        return ERR_INVALID;
    check_counts("stock", in->stock, nc, PROJECTION_MAX_CELL, dg);
    check_cells(d, "exit rate", in->exit, 0, 1, dg);
    check_cells(d, "re-entry ratio", in->reentry, 0, 1, dg);
    check_cells(d, "migration rate", in->migrate, 0, 1, dg);
    check_cells(d, "participation", in->participation, 0, 1, dg);
    check_cells(d, "mean fte", in->fte, 0, 2, dg);
    if (in->dest) {
        for (unsigned p = 0; p < d->nprof; p++)
            for (unsigned r = 0; r < d->nreg; r++) {
                const double *row = in->dest + ((size_t)p * d->nreg + r) * d->nreg;
                double sum = 0;
                int bad = 0;
                for (unsigned q = 0; q < d->nreg; q++) {
                    if (!(isfinite(row[q]) && row[q] >= 0 && row[q] <= 1) ||
                        (q == r && row[q] != 0))
                        bad = 1;
                    sum += row[q];
                }
                int moves = 0;
                for (unsigned s = 0; s < PROJECTION_SEXES && !moves; s++)
                    for (size_t ai = 0; ai < na; ai++)
                        if (in->migrate[projection_cell(d, p, r, s, d->age_min + (int)ai)] > 0) {
                            moves = 1;
                            break;
                        }
                if (bad || (sum != 0 && fabs(sum - 1) > 1e-6) || (sum == 0 && moves)) {
                    diag_add(dg, NULL, 0,
                             "destinations of profession %u, region %u: shares must be 0-1, "
                             "0 for the region itself and sum to 1 (sum %.9g)",
                             p, r, sum);
                    goto dests_done;
                }
            }
    } else {
        for (size_t c = 0; c < nc; c++)
            if (in->migrate[c] > 0) {
                diag_add(dg, NULL, 0, "migration rates are given but no destinations");
                break;
            }
    }
dests_done:
    if (in->series_ny < 1 || in->series_ny > PROJECTION_MAX_SERIES || in->series_y0 < 1900 ||
        in->series_y0 > 2200)
        diag_add(dg, NULL, 0, "series of %u years from %d: need 1-%d years within 1900-2200",
                 in->series_ny, in->series_y0, PROJECTION_MAX_SERIES);
    else {
        check_counts("beginners", in->beginners, npr * in->series_ny, PROJECTION_MAX_FLOW, dg);
        check_counts("licences to those trained abroad", in->abroad, npr * in->series_ny,
                     PROJECTION_MAX_FLOW, dg);
    }
    check_doubles("completion rate", in->completion, d->nprof, 0, 1, dg);
    check_doubles("entry share", in->entry_share, d->nprof, 0, 1, dg);
    for (unsigned p = 0; p < d->nprof; p++)
        if (in->lag[p] > PROJECTION_MAX_LAG) {
            diag_add(dg, NULL, 0, "lag %u of profession %u is not 0-%d years", in->lag[p], p,
                     PROJECTION_MAX_LAG);
            break;
        }
    if (dg->total == before) {
        for (unsigned p = 0; p < d->nprof; p++) {
            double gs = check_dist("graduates' sex and age", p,
                                   in->grad_dist + (size_t)p * PROJECTION_SEXES * na,
                                   PROJECTION_SEXES * na, dg);
            double as = check_dist("sex and age of those trained abroad", p,
                                   in->abroad_dist + (size_t)p * PROJECTION_SEXES * na,
                                   PROJECTION_SEXES * na, dg);
            int grads = 0, abroad = 0;
            for (size_t i = 0; i < d->nreg * (size_t)in->series_ny; i++) {
                grads |= in->beginners[(size_t)p * d->nreg * in->series_ny + i] > 0;
                abroad |= in->abroad[(size_t)p * d->nreg * in->series_ny + i] > 0;
            }
            if (gs == 0 && grads && in->completion[p] > 0 && in->entry_share[p] > 0)
                diag_add(dg, NULL, 0, "profession %u has graduates but no sex and age for them", p);
            if (as == 0 && abroad)
                diag_add(dg, NULL, 0,
                         "profession %u has licences from abroad but no sex and age for them", p);
        }
    }
    check_counts("population", in->pop,
                 (size_t)d->nreg * (in->horizon + 1) * PROJECTION_SEXES * PROJECTION_POP_AGES,
                 PROJECTION_MAX_POP, dg);
    check_doubles("care use", in->care_use,
                  (size_t)d->nprof * PROJECTION_SEXES * PROJECTION_POP_AGES, 0, 1e9, dg);
    if (in->base_demand_factor)
        check_doubles("base-year demand factor", in->base_demand_factor, npr, 0, 100, dg);
    if ((in->guide_inhabitants == NULL) != (in->guide_fte_milli == NULL))
        diag_add(dg, NULL, 0, "guideline ratios need both inhabitants and fte");
    else if (in->guide_inhabitants)
        for (unsigned p = 0; p < d->nprof; p++) {
            int64_t gi = in->guide_inhabitants[p], gf = in->guide_fte_milli[p];
            if ((gi == 0) != (gf == 0) || (gi && guideline_required_mfte(1, gi, gf) < 0)) {
                diag_add(dg, NULL, 0,
                         "guideline of profession %u: %lld inhabitants per %lld thousandths "
                         "of an fte is not a ratio",
                         p, (long long)gi, (long long)gf);
                break;
            }
        }
    projection_scenarios_check(in->scen, in->nscen, dg);
    if (in->hist) {
        if (in->nhist < 1 || in->nhist > PROJECTION_MAX_SERIES)
            diag_add(dg, NULL, 0, "%u years of observed stock is not 1-%d", in->nhist,
                     PROJECTION_MAX_SERIES);
        else
            check_counts("observed stock", in->hist, (size_t)in->nhist * nc, PROJECTION_MAX_CELL,
                         dg);
    }
    if (in->backcast_years > PROJECTION_MAX_HORIZON)
        diag_add(dg, NULL, 0, "back-cast of %u years is more than %d", in->backcast_years,
                 PROJECTION_MAX_HORIZON);
    if (dg->total == before) {
        size_t per = in->keep_flows ? 1 + PROJECTION_NFLOWS : 1;
        if (nc * (in->horizon + 1) * in->nscen * per > PROJECTION_MAX_VALUES)
            diag_add(dg, NULL, 0, "the projection would hold more than %zu values",
                     PROJECTION_MAX_VALUES);
    }
    return dg->total != before ? ERR_INVALID : ERR_OK;
}

/* Round a non-negative amount of thousandths half up. */
static inline int64_t rnd(double v)
{
    return (int64_t)(v + 0.5);
}

/* Cumulative shares of a distribution, the last non-zero one exactly 1,
 * so that spreading T gives parts that add up to T. */
static void cumulate(const double *w, size_t k, double *cum)
{
    double total = 0, run = 0;
    size_t last = 0;
    for (size_t i = 0; i < k; i++) {
        total += w[i];
        if (w[i] > 0)
            last = i;
    }
    for (size_t i = 0; i < k; i++) {
        run += w[i];
        double c = total > 0 ? run / total : 0;
        cum[i] = i >= last && total > 0 ? 1.0 : (c < 1.0 ? c : 1.0);
    }
}

static int64_t series_at(const struct projection_input *in, const int64_t *v, unsigned p,
                         unsigned r, int year)
{
    long i = (long)year - in->series_y0;
    if (i < 0)
        i = 0;
    if (i >= (long)in->series_ny)
        i = (long)in->series_ny - 1;
    return v[((size_t)p * in->dims.nreg + r) * in->series_ny + (size_t)i];
}

/* Working arrays shared by the scenarios. */
struct work {
    size_t nc, na, nk; /* cells, ages, sex × age */
    double *cum_grad;  /* nprof × nk */
    double *cum_abroad;
    double *cum_dest; /* nprof × nreg × nreg */
    double *exit;     /* ncells: the scenario's exit rates */
};

static void work_release(struct work *w)
{
    free(w->cum_grad);
    free(w->cum_abroad);
    free(w->cum_dest);
    free(w->exit);
}

static enum err work_init(struct work *w, const struct projection_input *in)
{
    const struct projection_dims *d = &in->dims;
    memset(w, 0, sizeof(*w));
    w->nc = projection_ncells(d);
    w->na = projection_nages(d);
    w->nk = PROJECTION_SEXES * w->na;
    w->cum_grad = malloc(d->nprof * w->nk * sizeof(double));
    w->cum_abroad = malloc(d->nprof * w->nk * sizeof(double));
    w->cum_dest = calloc((size_t)d->nprof * d->nreg * d->nreg, sizeof(double));
    w->exit = malloc(w->nc * sizeof(double));
    if (!w->cum_grad || !w->cum_abroad || !w->cum_dest || !w->exit)
        return ERR_NOMEM;
    for (unsigned p = 0; p < d->nprof; p++) {
        cumulate(in->grad_dist + p * w->nk, w->nk, w->cum_grad + p * w->nk);
        cumulate(in->abroad_dist + p * w->nk, w->nk, w->cum_abroad + p * w->nk);
        if (in->dest)
            for (unsigned r = 0; r < d->nreg; r++) {
                size_t o = ((size_t)p * d->nreg + r) * d->nreg;
                cumulate(in->dest + o, d->nreg, w->cum_dest + o);
            }
    }
    return ERR_OK;
}

/* The scenario's exit rates: shifted along age (clamped to the ages
 * held) and scaled, at most 1. */
static void scenario_exit(struct work *w, const struct projection_input *in,
                          const struct projection_scenario *sc)
{
    for (size_t base = 0; base < w->nc; base += w->na)
        for (size_t ai = 0; ai < w->na; ai++) {
            long src = (long)ai - sc->exit_age_shift;
            if (src < 0)
                src = 0;
            if (src >= (long)w->na)
                src = (long)w->na - 1;
            double x = in->exit[base + (size_t)src] * sc->exit_factor;
            w->exit[base + ai] = x < 1.0 ? x : 1.0;
        }
}

/* Spread total over the nk cells from `first` by cumulative shares. */
static inline void spread(int64_t total, const double *cum, size_t nk, int64_t *stock,
                          int64_t *flows, int which)
{
    int64_t prev = 0;
    for (size_t k = 0; k < nk && prev < total; k++) {
        int64_t cur = rnd((double)total * cum[k]);
        int64_t part = cur - prev;
        prev = cur;
        stock[k] += part;
        if (flows)
            flows[k * PROJECTION_NFLOWS + (size_t)which] += part;
    }
}

/* One scenario from s0 (thousandths, ncells) over `horizon` years after
 * `base_year`, into run (stock, stock_pr, flow_pr, flows allocated). */
static void simulate(struct work *w, const struct projection_input *in,
                     const struct projection_scenario *sc, int base_year, unsigned horizon,
                     struct projection_run *run)
{
    const struct projection_dims *d = &in->dims;
    size_t nc = w->nc, na = w->na, nk = w->nk, nreg = d->nreg;
    scenario_exit(w, in, sc);
    for (unsigned y = 0; y < horizon; y++) {
        const int64_t *s0 = run->stock + (size_t)y * nc;
        int64_t *s1 = run->stock + (size_t)(y + 1) * nc;
        int64_t *fl = run->flows ? run->flows + (size_t)y * nc * PROJECTION_NFLOWS : NULL;
        int64_t *fpr = run->flow_pr + (size_t)y * d->nprof * nreg * PROJECTION_NFLOWS;
        int year = base_year + (int)y + 1;
        memset(s1, 0, nc * sizeof(*s1));
        for (unsigned p = 0; p < d->nprof; p++)
            for (unsigned r = 0; r < nreg; r++) {
                int64_t *f = fpr + ((size_t)p * nreg + r) * PROJECTION_NFLOWS;
                const double *cd = w->cum_dest + ((size_t)p * nreg + r) * nreg;
                for (unsigned s = 0; s < PROJECTION_SEXES; s++) {
                    size_t base = projection_cell(d, p, r, s, d->age_min);
                    for (size_t ai = 0; ai < na; ai++) {
                        int64_t st = s0[base + ai];
                        if (st == 0)
                            continue;
                        size_t aj = ai + 1 < na ? ai + 1 : na - 1;
                        size_t c = base + ai, to = base + aj;
                        int64_t x = rnd((double)st * w->exit[c]);
                        int64_t stay = st - x;
                        int64_t m = rnd((double)stay * in->migrate[c]);
                        int64_t re = rnd((double)st * in->reentry[c] * sc->reentry_factor);
                        s1[to] += stay - m + re;
                        f[PROJECTION_EXIT] += x;
                        f[PROJECTION_MOVE_OUT] += m;
                        f[PROJECTION_REENTRY] += re;
                        if (fl) {
                            fl[to * PROJECTION_NFLOWS + PROJECTION_EXIT] += x;
                            fl[to * PROJECTION_NFLOWS + PROJECTION_MOVE_OUT] += m;
                            fl[to * PROJECTION_NFLOWS + PROJECTION_REENTRY] += re;
                        }
                        /* movers: spread over the destination regions */
                        int64_t prev = 0;
                        for (unsigned q = 0; q < nreg && prev < m; q++) {
                            int64_t cur = rnd((double)m * cd[q]);
                            int64_t part = cur - prev;
                            prev = cur;
                            if (!part)
                                continue;
                            size_t tq = projection_cell(d, p, q, s, d->age_min) + aj;
                            s1[tq] += part;
                            fpr[((size_t)p * nreg + q) * PROJECTION_NFLOWS + PROJECTION_MOVE_IN] +=
                                part;
                            if (fl)
                                fl[tq * PROJECTION_NFLOWS + PROJECTION_MOVE_IN] += part;
                        }
                    }
                }
                /* entrants of the year */
                int intake = year - (int)in->lag[p];
                double gf = intake > in->base_year ? sc->intake_factor : 1.0;
                double g = (double)series_at(in, in->beginners, p, r, intake) * 1000.0 *
                           in->completion[p] * in->entry_share[p] * gf;
                int64_t gm = rnd(g);
                int64_t am = rnd((double)series_at(in, in->abroad, p, r, year) * 1000.0 *
                                 (year > in->base_year ? sc->abroad_factor : 1.0));
                size_t first = projection_cell(d, p, r, 0, d->age_min);
                int64_t *flf = fl ? fl + first * PROJECTION_NFLOWS : NULL;
                if (gm)
                    spread(gm, w->cum_grad + p * nk, nk, s1 + first, flf, PROJECTION_GRAD);
                if (am)
                    spread(am, w->cum_abroad + p * nk, nk, s1 + first, flf, PROJECTION_ABROAD);
                f[PROJECTION_GRAD] += gm;
                f[PROJECTION_ABROAD] += am;
            }
    }
    /* totals per (profession, region) */
    for (unsigned y = 0; y <= horizon; y++)
        for (unsigned p = 0; p < d->nprof; p++)
            for (unsigned r = 0; r < nreg; r++) {
                const int64_t *s =
                    run->stock + (size_t)y * nc + projection_cell(d, p, r, 0, d->age_min);
                int64_t sum = 0;
                for (size_t k = 0; k < nk; k++)
                    sum += s[k];
                run->stock_pr[((size_t)y * d->nprof + p) * nreg + r] = sum;
            }
}

/* Supply FTE per (profession, region, year) of a run. */
static void supply_fte(struct work *w, const struct projection_input *in, unsigned horizon,
                       struct projection_run *run)
{
    const struct projection_dims *d = &in->dims;
    for (unsigned y = 0; y <= horizon; y++)
        for (unsigned p = 0; p < d->nprof; p++)
            for (unsigned r = 0; r < d->nreg; r++) {
                size_t c0 = projection_cell(d, p, r, 0, d->age_min);
                const int64_t *s = run->stock + (size_t)y * w->nc + c0;
                double sum = 0;
                for (size_t k = 0; k < w->nk; k++)
                    sum += (double)s[k] * in->participation[c0 + k] * in->fte[c0 + k];
                run->fte_pr[((size_t)y * d->nprof + p) * d->nreg + r] = rnd(sum);
            }
}

static enum err run_alloc(struct projection_run *run, size_t nc, size_t npr, unsigned horizon,
                          int keep_flows)
{
    run->stock = calloc(nc * (horizon + 1), sizeof(int64_t));
    run->stock_pr = calloc(npr * (horizon + 1), sizeof(int64_t));
    run->fte_pr = calloc(npr * (horizon + 1), sizeof(int64_t));
    run->flow_pr = calloc(npr * horizon * PROJECTION_NFLOWS, sizeof(int64_t));
    if (keep_flows)
        run->flows = calloc(nc * horizon * PROJECTION_NFLOWS, sizeof(int64_t));
    if (!run->stock || !run->stock_pr || !run->fte_pr || !run->flow_pr ||
        (keep_flows && !run->flows))
        return ERR_NOMEM;
    return ERR_OK;
}

static void run_release(struct projection_run *run)
{
    free(run->stock);
    free(run->stock_pr);
    free(run->fte_pr);
    free(run->flow_pr);
    free(run->flows);
    memset(run, 0, sizeof(*run));
}

static void demand(const struct projection_input *in, struct projection_result *out)
{
    const struct projection_dims *d = &in->dims;
    size_t pa = PROJECTION_POP_AGES;
    for (unsigned p = 0; p < d->nprof; p++)
        for (unsigned r = 0; r < d->nreg; r++) {
            double w0 = 0;
            double f0 = (double)out->run[0].fte_pr[projection_pr(out, 0, p, r)];
            if (in->base_demand_factor)
                f0 *= in->base_demand_factor[(size_t)p * d->nreg + r];
            for (unsigned y = 0; y <= in->horizon; y++) {
                const int64_t *pop =
                    in->pop + ((size_t)r * (in->horizon + 1) + y) * PROJECTION_SEXES * pa;
                const double *u = in->care_use + (size_t)p * PROJECTION_SEXES * pa;
                double wy = 0;
                int64_t total = 0;
                for (size_t k = 0; k < PROJECTION_SEXES * pa; k++) {
                    wy += (double)pop[k] * u[k];
                    total += pop[k];
                }
                if (y == 0)
                    w0 = wy;
                out->demand_pr[projection_pr(out, y, p, r)] = w0 > 0 ? rnd(f0 * wy / w0) : rnd(f0);
                int64_t g = -1;
                if (in->guide_inhabitants && in->guide_inhabitants[p] > 0)
                    g = guideline_div_round((__int128)total * in->guide_fte_milli[p],
                                            in->guide_inhabitants[p]);
                out->guide_pr[projection_pr(out, y, p, r)] = g;
            }
        }
}

static enum err backcast(struct work *w, const struct projection_input *in,
                         struct projection_result *out)
{
    const struct projection_dims *d = &in->dims;
    struct projection_backcast *bc = &out->bc;
    struct projection_run run;
    unsigned k = in->backcast_years;
    int from = in->base_year - (int)k;
    enum err e = ERR_OK;
    memset(&run, 0, sizeof(run));
    if (k == 0) {
        snprintf(bc->why, sizeof(bc->why), "no back-cast was asked for");
        return ERR_OK;
    }
    if (!in->hist) {
        snprintf(bc->why, sizeof(bc->why), "no observed stock was given");
        return ERR_OK;
    }
    int hist_last = in->hist_y0 + (int)in->nhist - 1;
    if (in->hist_y0 > from || hist_last < in->base_year) {
        snprintf(bc->why, sizeof(bc->why),
                 "the observed stock covers %d-%d, the back-cast needs %d-%d", in->hist_y0,
                 hist_last, from, in->base_year);
        return ERR_OK;
    }
    size_t npr = (size_t)d->nprof * d->nreg;
    e = run_alloc(&run, w->nc, npr, k, 0);
    if (e != ERR_OK)
        goto out;
    bc->rows = calloc(npr, sizeof(*bc->rows));
    bc->mape_prof = calloc(d->nprof, sizeof(double));
    bc->bias_prof = calloc(d->nprof, sizeof(double));
    bc->national_pe_prof = calloc(d->nprof, sizeof(double));
    bc->mape_reg = calloc(d->nreg, sizeof(double));
    bc->bias_reg = calloc(d->nreg, sizeof(double));
    bc->mape_year = calloc(k, sizeof(double));
    if (!bc->rows || !bc->mape_prof || !bc->bias_prof || !bc->national_pe_prof || !bc->mape_reg ||
        !bc->bias_reg || !bc->mape_year) {
        e = ERR_NOMEM;
        goto out;
    }
    const int64_t *h0 = in->hist + (size_t)(from - in->hist_y0) * w->nc;
    for (size_t c = 0; c < w->nc; c++)
        run.stock[c] = h0[c] * 1000;
    run.scen = backcast_scenario;
    simulate(w, in, &run.scen, from, k, &run);

    for (unsigned j = 1; j <= k; j++) {
        const int64_t *hj = in->hist + (size_t)(from + (int)j - in->hist_y0) * w->nc;
        double sum_abs = 0;
        size_t used = 0;
        int last = j == k;
        int64_t nat_obs[PROJECTION_MAX_PROFS] = {0}, nat_proj[PROJECTION_MAX_PROFS] = {0};
        size_t nprof_used[PROJECTION_MAX_PROFS] = {0}, nreg_used[PROJECTION_MAX_REGIONS] = {0};
        double sum_obs = 0, sum_err = 0, sum_pe = 0;
        for (unsigned p = 0; p < d->nprof; p++)
            for (unsigned r = 0; r < d->nreg; r++) {
                size_t c0 = projection_cell(d, p, r, 0, d->age_min);
                int64_t obs = 0;
                for (size_t i = 0; i < w->nk; i++)
                    obs += hj[c0 + i] * 1000;
                int64_t prj = run.stock_pr[((size_t)j * d->nprof + p) * d->nreg + r];
                double pe = obs > 0 ? (double)(prj - obs) / (double)obs : NAN;
                if (obs > 0) {
                    sum_abs += fabs(pe);
                    used++;
                }
                if (!last)
                    continue;
                struct projection_bc_row *row = &bc->rows[(size_t)p * d->nreg + r];
                row->prof = p;
                row->reg = r;
                row->observed_milli = obs;
                row->projected_milli = prj;
                row->pe = pe;
                nat_obs[p] += obs;
                nat_proj[p] += prj;
                sum_obs += (double)obs;
                sum_err += fabs((double)(prj - obs));
                if (obs > 0) {
                    bc->mape_prof[p] += fabs(pe);
                    bc->bias_prof[p] += pe;
                    bc->mape_reg[r] += fabs(pe);
                    bc->bias_reg[r] += pe;
                    sum_pe += pe;
                    nprof_used[p]++;
                    nreg_used[r]++;
                } else {
                    bc->excluded++;
                }
            }
        bc->mape_year[j - 1] = used ? sum_abs / (double)used : NAN;
        if (!last)
            continue;
        for (unsigned p = 0; p < d->nprof; p++) {
            bc->mape_prof[p] = nprof_used[p] ? bc->mape_prof[p] / (double)nprof_used[p] : NAN;
            bc->bias_prof[p] = nprof_used[p] ? bc->bias_prof[p] / (double)nprof_used[p] : NAN;
            bc->national_pe_prof[p] =
                nat_obs[p] > 0 ? (double)(nat_proj[p] - nat_obs[p]) / (double)nat_obs[p] : NAN;
        }
        for (unsigned r = 0; r < d->nreg; r++) {
            bc->mape_reg[r] = nreg_used[r] ? bc->mape_reg[r] / (double)nreg_used[r] : NAN;
            bc->bias_reg[r] = nreg_used[r] ? bc->bias_reg[r] / (double)nreg_used[r] : NAN;
        }
        bc->mape = used ? sum_abs / (double)used : NAN;
        bc->bias = used ? sum_pe / (double)used : NAN;
        bc->wape = sum_obs > 0 ? sum_err / sum_obs : NAN;
    }
    bc->nrows = npr;
    bc->available = 1;
    bc->from_year = from;
    bc->to_year = in->base_year;
out:
    run_release(&run);
    return e;
}

static void assumptions(const struct projection_input *in, struct projection_result *out)
{
    struct projection_assumptions *as = &out->as;
    const struct projection_dims *d = &in->dims;
    as->base_year = in->base_year;
    as->horizon = in->horizon;
    as->backcast_years = out->bc.available ? in->backcast_years : 0;
    as->series_first = in->series_y0;
    as->series_last = in->series_y0 + (int)in->series_ny - 1;
    long held = (long)in->base_year + in->horizon - as->series_last;
    as->held_years = held < 0 ? 0 : held > (long)in->horizon ? in->horizon : (unsigned)held;
    as->base_balance = in->base_demand_factor == NULL;
    for (unsigned p = 0; p < d->nprof; p++)
        as->guideline_profs += in->guide_inhabitants && in->guide_inhabitants[p] > 0;
    for (size_t c = 0; c < projection_ncells(d); c++)
        as->stock_persons += in->stock[c];
    as->src = in->src;
    as->nscen = in->nscen;
    for (size_t i = 0; i < in->nscen; i++)
        as->scen[i] = in->scen[i];
    as->rounding = "persons and FTE in thousandths; each flow rounded half up to the thousandth; "
                   "flows spread over cells by cumulative rounding, so they add up exactly";
    as->demand = "base-year supply FTE (times the base-year demand factor) grown with the "
                 "population weighted by care use per inhabitant by sex and age; alternatively "
                 "population divided by the guideline value";
}

enum err projection_run(const struct projection_input *in, struct projection_result *out,
                        struct diag *dg)
{
    struct work w;
    enum err e;
    memset(out, 0, sizeof(*out));
    memset(&w, 0, sizeof(w));
    e = projection_check(in, dg);
    if (e != ERR_OK)
        goto out;
    const struct projection_dims *d = &in->dims;
    out->dims = *d;
    out->base_year = in->base_year;
    out->horizon = in->horizon;
    size_t npr = (size_t)d->nprof * d->nreg;
    e = work_init(&w, in);
    if (e != ERR_OK)
        goto out;
    out->run = calloc(in->nscen, sizeof(*out->run));
    out->demand_pr = calloc(npr * (in->horizon + 1), sizeof(int64_t));
    out->guide_pr = calloc(npr * (in->horizon + 1), sizeof(int64_t));
    if (!out->run || !out->demand_pr || !out->guide_pr) {
        e = ERR_NOMEM;
        goto out;
    }
    out->nscen = in->nscen;
    for (size_t i = 0; i < in->nscen; i++) {
        struct projection_run *run = &out->run[i];
        e = run_alloc(run, w.nc, npr, in->horizon, in->keep_flows);
        if (e != ERR_OK)
            goto out;
        run->scen = in->scen[i];
        for (size_t c = 0; c < w.nc; c++)
            run->stock[c] = in->stock[c] * 1000;
        simulate(&w, in, &run->scen, in->base_year, in->horizon, run);
        supply_fte(&w, in, in->horizon, run);
    }
    demand(in, out);
    e = backcast(&w, in, out);
    if (e != ERR_OK)
        goto out;
    assumptions(in, out);
out:
    work_release(&w);
    if (e == ERR_NOMEM)
        diag_add(dg, NULL, 0, "out of memory for the projection");
    return e;
}

void projection_release(struct projection_result *r)
{
    for (size_t i = 0; i < r->nscen; i++)
        run_release(&r->run[i]);
    free(r->run);
    free(r->demand_pr);
    free(r->guide_pr);
    free(r->bc.rows);
    free(r->bc.mape_prof);
    free(r->bc.bias_prof);
    free(r->bc.national_pe_prof);
    free(r->bc.mape_reg);
    free(r->bc.bias_reg);
    free(r->bc.mape_year);
    memset(r, 0, sizeof(*r));
}
