/* flowrate.h - the flow rates of the projection (core/projection.h),
 * estimated from person-level microdata: exits, re-entries, moves between
 * regions and their destinations, mean FTE, and the sex and age of new
 * entrants, by profession × region × sex × age.
 *
 * The microdata are employment records (several per person and year are
 * allowed), given as columns. Each person-year becomes one cell: the
 * profession with the most FTE that year (ties: the lower index), within
 * it the region with the most FTE (ties: the lower index), the person's
 * sex and age (clamped to the ages held; the last age is an open group),
 * and the FTE of all the person's records in the professions held. Then,
 * for every year t before the last and every person in the stock at t:
 *
 *   exit      not in the profession's stock at t+1 (gone, or in another
 *             profession: a change of profession is an exit and an entry)
 *   move      in it at t+1 but in another region (the destination counted)
 *   re-entry  in the stock at t+1, not at t, but at some earlier year of
 *             the window: counted at (region at t+1, age at t+1 less one),
 *             the cell whose stock the projection applies the ratio to
 *   entrant   in the stock at t+1 for the first time in the window (those
 *             who were there before the window began look new: the first
 *             years' entrants include some re-entrants)
 *
 * Rates are events ÷ exposure (person-years at t; for moves, those who
 * stayed in the profession). Thin cells are handled in two stated steps:
 * (1) smoothing along age: events and exposure are summed over a
 * triangular window of ±h years (weights h+1-|d|) before the division;
 * (2) pooling: a cell's rate is (E + k·R) / (N + k), where R is the same
 * rate one level up — profession × region × sex × age shrinks to
 * profession × sex × age, which shrinks to sex × age over all professions
 * and regions. With k = 0 and h = 0 the rates are the raw ratios.
 * Destinations and entrant distributions are pooled the same way (toward
 * all professions). Pure: no I/O. */
#ifndef BIDRAG_CORE_FLOWRATE_H
#define BIDRAG_CORE_FLOWRATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/projection.h"
#include "util/err.h"

#define FLOWRATE_MAX_SMOOTH 5
#define FLOWRATE_MAX_POOL 1e6
#define FLOWRATE_MAX_AGE 120
#define FLOWRATE_MAX_FTE 100 /* hundredths in one record */

/* The microdata columns (not owned), one entry per record. */
struct flowrate_micro {
    size_t n;
    const uint32_t *person; /* pseudonymous person number */
    const uint16_t *year;   /* calendar year */
    const uint8_t *prof;    /* profession index; >= nprof: none (the record is not used) */
    const uint8_t *region;  /* region index */
    const uint8_t *sex;     /* 0 man, 1 woman */
    const uint8_t *age;     /* age at the end of the year (year - birth year) */
    const uint16_t *fte;    /* hundredths of an FTE, 0-100 */
};

struct flowrate_opts {
    int year_from, year_to; /* the window; 0 = the first / last year present */
    double pool;            /* k, pseudo person-years of the pooled rate, 0-1e6 */
    unsigned smooth;        /* h, half-width of the age window, 0-5 years */
};

struct flowrate_info {
    size_t records;      /* given */
    size_t records_used; /* in a profession held and inside the window */
    size_t persons;      /* with at least one person-year */
    size_t person_years;
    size_t transitions;  /* person-years with a following year in the window */
    size_t multi_prof;   /* person-years with records in more than one profession */
    size_t ages_clamped; /* person-years whose age was outside the ages held */
    size_t cells_pooled; /* cells with no exposure of their own: the rate is pooled */
};

struct flowrate_result {
    struct projection_dims dims;
    int year_from, year_to;
    unsigned nyears;
    /* estimates, ncells each (pooled and smoothed): */
    double *exit;    /* probability of leaving the profession's stock next year */
    double *reentry; /* re-entrants next year (at age + 1) per person in the stock */
    double *migrate; /* probability that a stayer moves to another region */
    double *fte;     /* mean FTE per person-year */
    double *dest;    /* nprof × nreg × nreg: destination shares, rows sum to 1 */
    double *entrant; /* nprof × 2 × nages: sex and age of new entrants, sums to 1 */
    /* raw counts: */
    int64_t *exposure;                  /* ncells: person-years at t with t+1 in the window */
    int64_t *exits, *reentries, *moves; /* ncells, by the cell at t */
    int64_t *person_years;              /* ncells: every year of the window */
    int64_t *fte_sum;                   /* ncells: hundredths */
    int64_t *stock;         /* nyears × ncells: persons at each year (the observed stock) */
    int64_t *entrants;      /* nyears × nprof × nreg: new entrants per year (0 the first year) */
    int64_t *entrant_count; /* nprof × 2 × nages */
    int64_t *dest_count;    /* nprof × nreg × nreg */
    struct flowrate_info info;
};

/* Estimate the rates for dims from the microdata m. ERR_INVALID with
 * messages ("record N: ...") when a record is out of range or a person's
 * sex or birth year changes between records, or the options are bad.
 * Caller owns *out (flowrate_release), also after an error. */
enum err flowrate_estimate(const struct flowrate_micro *m, const struct projection_dims *dims,
                           const struct flowrate_opts *o, struct flowrate_result *out,
                           struct diag *d);
void flowrate_release(struct flowrate_result *r);

#endif
