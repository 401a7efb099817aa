/* projection.h - the supply-and-demand projection of licensed health-care
 * staff: a stock-and-flow model per profession × region × sex × single
 * year of age × year, with scenarios, demand by the utilisation method
 * (and by guideline values), and validation by back-casting.
 *
 * Supply, for each cell (profession p, region r, sex s, age a) and year t
 * to t+1, with a' = min(a + 1, age_max) (the last age is an open group):
 *
 *   X  = S[t,a] · exit'[a]                    exits (scenario: age shift, factor)
 *   M  = (S[t,a] - X) · migrate[a]            moves out of r, to r'' by dest[p][r][r'']
 *   R  = S[t,a] · reentry[a]                  re-entries (a ratio to the stock)
 *   S[t+1,a'] += S[t,a] - X - M + R, and each destination region gains its part of M
 *   G  = beginners[p,r,t+1-lag] · completion · entry_share · intake factor
 *   F  = abroad[p,r,t+1] · abroad factor      licences to those trained abroad
 *   G and F are spread over (sex, age at the end of t+1) by their distributions.
 *
 * Persons are held as integers in thousandths (milli-persons). Every flow
 * is rounded to the thousandth, half away from zero, and a flow spread
 * over cells or regions is split by cumulative rounding, so the parts add
 * up to the flow exactly: stock(t+1) = stock(t) + inflows - outflows holds
 * to the thousandth of a person in every cell, and the thousandths keep
 * small cells (a few persons, rates of a few per cent) from rounding to
 * nothing. Rates and factors are doubles: they are estimates.
 *
 * FTE supply = Σ S · participation · mean FTE over sex and age, rounded
 * once per (profession, region, year) to the thousandth. Demand:
 * D[t] = supply FTE[base] · base_demand_factor · W[t] / W[base], where
 * W[t] = Σ population[t, sex, age] · care_use[p, sex, age]; and, where a
 * profession has a guideline value, population ÷ value (core/guideline).
 *
 * Every run also back-casts: it starts `backcast_years` before the base
 * year from the observed stock, runs the base scenario with the same
 * rates and series, and compares with the observed stock per profession
 * and region (APE, MAPE, bias, WAPE). Pure: inputs are arrays, nothing is
 * read; one result owns all it allocates. */
#ifndef BIDRAG_CORE_PROJECTION_H
#define BIDRAG_CORE_PROJECTION_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define PROJECTION_SEXES 2
#define PROJECTION_MAX_PROFS 64
#define PROJECTION_MAX_REGIONS 64
#define PROJECTION_AGE_LOW 15
#define PROJECTION_AGE_HIGH 100
#define PROJECTION_MAX_HORIZON 50
#define PROJECTION_MAX_SCENARIOS 16
#define PROJECTION_MAX_LAG 15
#define PROJECTION_MAX_SERIES 100             /* years in a series */
#define PROJECTION_POP_AGES 101               /* population by age 0-99 and 100+ */
#define PROJECTION_MAX_CELL INT64_C(10000000) /* persons in one stock cell */
#define PROJECTION_MAX_FLOW INT64_C(10000000) /* persons in one yearly series value */
#define PROJECTION_MAX_POP INT64_C(100000000) /* persons in one population cell */
#define PROJECTION_NAME 32
#define PROJECTION_TEXT 160

/* The cells: nprof × nreg × 2 sexes × ages age_min..age_max (the last age
 * holds everyone that old or older). */
struct projection_dims {
    unsigned nprof, nreg;
    int age_min, age_max;
};

static inline size_t projection_nages(const struct projection_dims *d)
{
    return (size_t)(d->age_max - d->age_min + 1);
}

static inline size_t projection_ncells(const struct projection_dims *d)
{
    return (size_t)d->nprof * d->nreg * PROJECTION_SEXES * projection_nages(d);
}

/* Index of cell (p, r, s, age); age within [age_min, age_max]. */
static inline size_t projection_cell(const struct projection_dims *d, unsigned p, unsigned r,
                                     unsigned s, int age)
{
    return (((size_t)p * d->nreg + r) * PROJECTION_SEXES + s) * projection_nages(d) +
           (size_t)(age - d->age_min);
}

/* Check the dimensions against the caps; ERR_INVALID with a message. */
enum err projection_dims_check(const struct projection_dims *d, struct diag *dg);

/* A named set of scenario parameters (data: the pages list them, a file
 * may hold them). The base scenario is all zeros and ones. */
struct projection_scenario {
    char name[PROJECTION_NAME];  /* [a-z0-9+-], unique: "base", "exit-age+2" */
    char label[PROJECTION_TEXT]; /* as shown: "Utträdesålder +2 år" */
    int exit_age_shift;          /* years, -10..10: the exit rate of age a - shift applies at age a,
                                    so +2 means people leave two years later */
    double exit_factor;          /* multiplies exit rates (then capped at 1) */
    double intake_factor;        /* multiplies beginners of intake years after the base year */
    double abroad_factor;        /* multiplies licences to those trained abroad, projected years */
    double reentry_factor;       /* multiplies re-entry ratios */
};

/* The scenarios: base, exit age +2 and -2 years, intake +10 %,
 * licences from abroad +50 % and -50 %. *n receives the count (6). */
const struct projection_scenario *projection_standard_scenarios(size_t *n);
enum err projection_scenarios_check(const struct projection_scenario *s, size_t n, struct diag *dg);

/* Where the inputs come from, copied into the assumptions of the result
 * (for the pages and exports to print). Empty = not said. */
struct projection_sources {
    char stock[PROJECTION_TEXT];      /* "HOSP × SCB sysselsättning 2024 (syntetiska data)" */
    char rates[PROJECTION_TEXT];      /* "flowrate: 2015-2024, k = 50, ±1 år" */
    char beginners[PROJECTION_TEXT];  /* "UKÄ, nybörjare per program" */
    char completion[PROJECTION_TEXT]; /* "UKÄ, examensfrekvens" */
    char abroad[PROJECTION_TEXT];     /* "Socialstyrelsen, legitimationer utbildade utomlands" */
    char population[PROJECTION_TEXT]; /* "SCB befolkningsframskrivning 2025" */
    char care_use[PROJECTION_TEXT];   /* "vårdkonsumtion per invånare basåret" */
    char guideline[PROJECTION_TEXT];  /* "Socialstyrelsen 2022 (riktvärde)" */
};

/* Everything the model needs, as plain arrays (none owned). Cell arrays
 * have projection_ncells() entries, indexed by projection_cell(). */
struct projection_input {
    struct projection_dims dims;
    int base_year;    /* stock is at the end of this year */
    unsigned horizon; /* years projected, 1..PROJECTION_MAX_HORIZON */

    const int64_t *stock; /* whole persons at the end of base_year */
    /* rates per cell (core/flowrate estimates them from microdata) */
    const double *exit;          /* probability of leaving during the next year, 0-1 */
    const double *reentry;       /* re-entrants next year per person in the stock, 0-1 */
    const double *migrate;       /* probability that a stayer moves to another region, 0-1 */
    const double *participation; /* share of the stock that works, 0-1 */
    const double *fte;           /* mean FTE of those who work, 0-2 */
    const double *dest;          /* nprof × nreg × nreg: share of movers from r going to r'';
                                    rows sum to 1 with a zero diagonal (NULL when nothing moves) */
    const double *grad_dist;     /* nprof × 2 × nages: sex and age of new graduates, sums 1 */
    const double *abroad_dist;   /* nprof × 2 × nages: of those trained abroad, sums 1 */

    /* yearly series: years series_y0 .. series_y0 + series_ny - 1; a year
     * outside takes the nearest year's value (current levels continue) */
    int series_y0;
    unsigned series_ny;
    const int64_t *beginners;  /* nprof × nreg × series_ny: beginners by intake year */
    const double *completion;  /* nprof: share of beginners who graduate, 0-1 */
    const double *entry_share; /* nprof: share of graduates licensed and working, 0-1 */
    const unsigned *lag;       /* nprof: years from intake to entry, 0..PROJECTION_MAX_LAG */
    const int64_t *abroad;     /* nprof × nreg × series_ny: licences to those trained
                                  abroad who start working here that year */

    /* demand */
    const int64_t *pop;     /* nreg × (horizon + 1) × 2 × PROJECTION_POP_AGES:
                               population at the end of base_year .. base_year + horizon */
    const double *care_use; /* nprof × 2 × PROJECTION_POP_AGES: care use per inhabitant */
    const double *base_demand_factor; /* nprof × nreg: demand ÷ supply in the base year
                                         (NULL: 1, balance is assumed) */
    const int64_t *guide_inhabitants; /* nprof: guideline ratio, inhabitants ... */
    const int64_t *guide_fte_milli;   /* ... per thousandths of an FTE; 0 = none (NULL: none) */

    const struct projection_scenario *scen; /* 1..PROJECTION_MAX_SCENARIOS */
    size_t nscen;

    /* observed stock for the back-cast: nhist × ncells whole persons at
     * the end of years hist_y0 .. hist_y0 + nhist - 1 (NULL: none) */
    const int64_t *hist;
    int hist_y0;
    unsigned nhist;
    unsigned backcast_years; /* 0 = none, usually 5 */

    struct projection_sources src;
    int keep_flows; /* 1: keep every cell's flows (projection_run.flows) */
};

/* The flows of a cell, indexed by the cell at the end of the year. */
enum projection_flow {
    PROJECTION_GRAD = 0, /* Swedish graduates */
    PROJECTION_ABROAD,   /* licences to those trained abroad */
    PROJECTION_REENTRY,
    PROJECTION_MOVE_IN,
    PROJECTION_EXIT,
    PROJECTION_MOVE_OUT,
    PROJECTION_NFLOWS
};

/* One scenario's projection. Year index y = 0..horizon (y = 0 is the
 * base year). pr-arrays are (horizon + 1) × nprof × nreg. */
struct projection_run {
    struct projection_scenario scen;
    int64_t *stock;    /* (horizon + 1) × ncells, thousandths of persons */
    int64_t *stock_pr; /* thousandths of persons per (profession, region) */
    int64_t *fte_pr;   /* supply, thousandths of FTE */
    int64_t *flow_pr;  /* horizon × nprof × nreg × PROJECTION_NFLOWS: year y + 1's flows */
    int64_t *flows;    /* keep_flows: horizon × ncells × PROJECTION_NFLOWS, else NULL */
};

/* One (profession, region) of the back-cast, at its last year. */
struct projection_bc_row {
    unsigned prof, reg;
    int64_t observed_milli; /* observed persons, thousandths */
    int64_t projected_milli;
    double pe; /* (projected - observed) / observed; NaN when observed is 0 */
};

struct projection_backcast {
    int available;
    char why[PROJECTION_TEXT]; /* when not available: the reason */
    int from_year, to_year;
    struct projection_bc_row *rows; /* nprof × nreg, profession-major */
    size_t nrows;
    size_t excluded; /* rows with nothing observed, left out of the means */
    /* means over the rows with something observed: MAPE = mean |pe|,
     * bias = mean pe, WAPE = Σ |projected - observed| / Σ observed */
    double *mape_prof, *bias_prof, *national_pe_prof; /* nprof */
    double *mape_reg, *bias_reg;                      /* nreg */
    double mape, bias, wape;
    double *mape_year; /* backcast_years: MAPE after 1, 2, ... years */
};

/* What the run assumed, for the pages and exports to print beside it. */
struct projection_assumptions {
    int base_year;
    unsigned horizon;
    unsigned backcast_years;
    int series_first, series_last; /* years the series give; others take the nearest */
    unsigned held_years;           /* projected years beyond the series (held constant) */
    int base_balance;              /* 1: base-year demand = supply (no factor given) */
    unsigned guideline_profs;      /* professions with a guideline demand */
    int64_t stock_persons;         /* the base-year stock, whole persons */
    struct projection_sources src;
    size_t nscen;
    struct projection_scenario scen[PROJECTION_MAX_SCENARIOS];
    const char *rounding; /* the rounding rule, in words */
    const char *demand;   /* the demand method, in words */
};

struct projection_result {
    struct projection_dims dims;
    int base_year;
    unsigned horizon;
    size_t nscen;
    struct projection_run *run; /* nscen */
    int64_t *demand_pr;         /* (horizon + 1) × nprof × nreg, thousandths of FTE */
    int64_t *guide_pr;          /* the same by guideline value; -1 where none */
    struct projection_backcast bc;
    struct projection_assumptions as;
};

/* Check every input against its range (messages in dg, the first ones
 * kept); ERR_INVALID if anything is wrong. projection_run() calls it. */
enum err projection_check(const struct projection_input *in, struct diag *dg);

/* Run every scenario, the demand and the back-cast. Caller owns *out
 * (projection_release), also after an error. */
enum err projection_run(const struct projection_input *in, struct projection_result *out,
                        struct diag *dg);
void projection_release(struct projection_result *r);

/* Index into a pr-array. */
static inline size_t projection_pr(const struct projection_result *r, unsigned y, unsigned p,
                                   unsigned reg)
{
    return ((size_t)y * r->dims.nprof + p) * r->dims.nreg + reg;
}

#endif
