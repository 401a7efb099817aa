/* guideline.h - guideline values (riktvärden) as versioned data, and the
 * gap between what they require and the staff a region has.
 *
 * A guideline value is data, not code: what it counts (a group such as
 * "gp-specialist"), where it applies (nationally or one region), its kind
 * (a ratio of inhabitants per full-time equivalent, or a count for the
 * region as a whole, e.g. a baseline of ST posts), its number, unit text,
 * population basis, source and the date it is valid from. The value in
 * force on a date is the one with the latest valid-from not after that
 * date; a region's own value beats the national one.
 *
 * Arithmetic is exact: full-time equivalents (FTE) are held as integers
 * in thousandths (milli-FTE), populations in whole persons, and every
 * quotient is computed from integers (128-bit intermediates) and rounded
 * once, half away from zero. Thousandths are finer than any published
 * figure (one decimal), integers make every figure reproducible by hand
 * and make the national row exactly the sum of the regions.
 * Pure: no I/O, no clock; "today" is a parameter. */
#ifndef BIDRAG_CORE_GUIDELINE_H
#define BIDRAG_CORE_GUIDELINE_H

#include <stddef.h>
#include <stdint.h>

#include "util/date.h"
#include "util/err.h"

enum guideline_kind {
    GUIDELINE_RATIO = 0, /* `inhabitants` per `fte_milli` thousandths of an FTE */
    GUIDELINE_COUNT      /* `fte_milli` thousandths of an FTE (or posts) in the region */
};

#define GUIDELINE_GROUP 32
#define GUIDELINE_REGION 8
#define GUIDELINE_TEXT 160
/* caps that keep every product inside 128 bits with room to spare */
#define GUIDELINE_MAX_INHABITANTS INT64_C(10000000)  /* in a ratio */
#define GUIDELINE_MAX_FTE_MILLI INT64_C(10000000000) /* 10 million FTE */
#define GUIDELINE_MAX_POPULATION INT64_C(1000000000) /* per region */
#define GUIDELINE_MAX_NEED INT64_C(100000)           /* need index, thousandths */
#define GUIDELINE_MAX_REGIONS 1000

struct guideline_value {
    char group[GUIDELINE_GROUP];   /* what is counted: [a-z0-9-], e.g. "gp-specialist" */
    char region[GUIDELINE_REGION]; /* "" = national, else a region code ("01") */
    enum guideline_kind kind;
    int64_t inhabitants;         /* RATIO: inhabitants (> 0); COUNT: unused (0) */
    int64_t fte_milli;           /* RATIO: per this many thousandths of an FTE (> 0, usually 1000);
                                    COUNT: the required thousandths of an FTE (>= 0) */
    char unit[GUIDELINE_TEXT];   /* as published: "invånare per heltidsarbetande specialist ..." */
    char basis[GUIDELINE_TEXT];  /* population basis: "folkbokförda invånare", "listade" */
    char source[GUIDELINE_TEXT]; /* publisher, date and title */
    struct date valid_from;
};

/* The values in force when this module was written (Socialstyrelsen,
 * Nationellt riktvärde för fast läkarkontakt i primärvården, 2022-04-28):
 * 1 100 inhabitants per full-time specialist in general practice, 550 per
 * ST doctor in general practice. A seed for the store, which holds the
 * versions; *n receives the count. */
const struct guideline_value *guideline_defaults(size_t *n);

/* Check a list of values: group and region codes, positive ratios, a
 * valid date, a source, no two versions of one (group, region) valid from
 * the same date. Every problem is added to d as "guideline value N: ...";
 * ERR_INVALID if there was any. */
enum err guideline_check(const struct guideline_value *v, size_t n, struct diag *d);

/* The value of group for region (NULL or "" = national) in force on
 * date `on`: the region's own value if it has one in force, else the
 * national one. ERR_NOTFOUND if neither. *out points into v. */
enum err guideline_find(const struct guideline_value *v, size_t n, const char *group,
                        const char *region, struct date on, const struct guideline_value **out);

/* Round num/den half away from zero; den > 0. */
int64_t guideline_div_round(__int128 num, __int128 den);

/* Thousandths of an FTE a population requires under a ratio value
 * (population × fte_milli / inhabitants, rounded). -1 if value is not a
 * valid ratio or population is negative. */
int64_t guideline_required_mfte(int64_t population, int64_t inhabitants, int64_t fte_milli);

/* One region's figures (input). */
struct guideline_region {
    const char *code;             /* region code, matched against guideline_value.region */
    int64_t population;           /* whole persons on the value's basis, >= 0 */
    int64_t need_index;           /* care-need index in thousandths (1000 = as the average
                                     inhabitant); used only with guideline_opts.weight_by_need */
    int64_t actual_mfte;          /* actual FTE (or posts) in thousandths, >= 0 */
    int64_t fte_per_person_milli; /* mean FTE per person here, thousandths; 0 = opts default */
};

struct guideline_opts {
    /* 1: weight each region's population by its care-need index, scaled so
     * that the weighted populations add up to the real total (the index
     * moves requirement between regions; it does not change the nation's) */
    int weight_by_need;
    int64_t fte_per_person_milli; /* default mean FTE per person, (0, 2000] */
};

/* One row of the gap table. Shortfall = required - actual: positive when
 * FTE are missing, negative when there are more than the value asks. */
struct guideline_gap_row {
    const char *code;                    /* the input's code; "" for the national row */
    const struct guideline_value *value; /* the value used (NULL in the national row
                                            when the regions used different ones) */
    int64_t population;
    int64_t weighted_population; /* after the need weighting (= population without) */
    int has_required;            /* 0: no value in force for this row */
    int64_t required_mfte;
    int64_t actual_mfte;
    int64_t shortfall_mfte;        /* required - actual */
    int64_t shortfall_persons;     /* shortfall / mean FTE per person, whole persons */
    int64_t inhabitants_per_fte;   /* population / actual FTE, whole; -1 when no FTE */
    int64_t required_per100k_mfte; /* required thousandths of FTE per 100 000 inhabitants;
                                      -1 when no population */
    int64_t actual_per100k_mfte;
};

/* The gap for group on date `on` for n regions. rows (n entries) and
 * national are caller-owned; rows[i].value points into v. Each region
 * uses the value in force for it (its own, else the national). A ratio
 * value requires population × fte_milli / inhabitants, rounded per region
 * (with need weighting: population × index × total population / Σ
 * population × index, in the same one rounding); a count value requires
 * its number. The national row is the sum of the regions (required only
 * when every region has a value; a national count value replaces the sum
 * when no region has its own). Persons: shortfall ÷ mean FTE per person,
 * rounded half away from zero. ERR_INVALID (messages in d) on negative or
 * over-cap inputs or a missing need index; ERR_NOTFOUND when no region
 * has a value in force. */
enum err guideline_gap(const struct guideline_value *v, size_t nv, const char *group,
                       struct date on, const struct guideline_region *in, size_t n,
                       const struct guideline_opts *o, struct guideline_gap_row *rows,
                       struct guideline_gap_row *national, struct diag *d);

#endif
