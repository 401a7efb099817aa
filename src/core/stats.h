/* stats.h - workforce statistics tables over column arrays.
 *
 * The microdata are held as columns (one array per variable, one entry
 * per record: a person's employment in a year), sorted by year, then
 * occupation group, then person, so that a person's records in a
 * (year, occupation) run lie next to each other. stats_table() counts
 * distinct persons (headcount) and sums full-time equivalents per cell of
 * a table over any of the dimensions below, adds margins (totals), per
 * 100 000 inhabitants, and applies disclosure control (core/suppress.h).
 * Pure: no I/O, no clock; the caller gives the data, reference lists and
 * population. */
#ifndef BIDRAG_CORE_STATS_H
#define BIDRAG_CORE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "core/cube.h"
#include "util/err.h"

enum stats_dim {
    STATS_YEAR = 0,
    STATS_REGION,
    STATS_KOMMUN,
    STATS_SECTOR,
    STATS_SEX,
    STATS_AGEBAND,
    STATS_LICENCE,
    STATS_OCCUPATION,
    STATS_SPECIALTY,
    STATS_NDIMS
};

enum stats_measure { STATS_HEADCOUNT = 0, STATS_FTE, STATS_PER100K, STATS_NMEASURES };

#define STATS_NSECTORS 4
#define STATS_NSEXES 2
#define STATS_NAGEBANDS 6
#define STATS_YEAR_MIN 1900
#define STATS_YEAR_MAX 2154
/* flags column: the person has records in more than one occupation group
 * that year, so its records are not all in one run */
#define STATS_F_SPLIT 1u

/* The column arrays (not owned). year holds year - STATS_YEAR_MIN; the
 * other coded columns hold indices into the value lists of struct
 * stats_meta (licence and specialty 0 = none); fte is in hundredths. */
struct stats_cols {
    size_t n;
    const uint8_t *year;
    const uint16_t *kommun;
    const uint8_t *region;
    const uint8_t *sector;
    const uint8_t *sex;
    const uint8_t *ageband;
    const uint8_t *licence;
    const uint8_t *occ;
    const uint16_t *specialty;
    const uint32_t *person;
    const uint16_t *fte;
    const uint8_t *flags;
};

/* The values of one dimension: codes and labels (not owned). */
struct stats_values {
    size_t n;
    const char *const *codes;
    const char *const *labels;
};

/* Value lists for every dimension (STATS_YEAR: the years present, codes
 * "2024"; the year index is year - year0). kommun_region maps a kommun
 * index to its region index. */
struct stats_meta {
    struct stats_values dim[STATS_NDIMS];
    int year0; /* first year in dim[STATS_YEAR] */
    const uint8_t *kommun_region;
};

/* A contiguous range of rows [begin, end) for one year and occupation. */
struct stats_run {
    int year;
    unsigned occ;
    size_t begin, end;
};

/* Population per year (index year - year0, ny years) for every kommun
 * and region; -1 where unknown. Region values may be the sum of its
 * kommuner. Not owned. */
struct stats_pop {
    int year0;
    size_t ny;
    size_t nk, nr;
    const int64_t *kommun; /* ny × nk */
    const int64_t *region; /* ny × nr */
};

struct stats_query {
    size_t nrows, ncols;
    enum stats_dim rows[STATS_NDIMS];
    enum stats_dim cols[STATS_NDIMS];
    /* filters: allowed value indices per dimension (NULL = all); for
     * STATS_YEAR indices are year - meta.year0 */
    const unsigned char *allow[STATS_NDIMS];
    int measure[STATS_NMEASURES]; /* 1 = include */
    int suppress;                 /* 1 = apply disclosure control */
    long threshold;               /* persons; cells 0 < n < threshold withheld */
    int nthreads;                 /* 1 or 2 */
    int omit_totals;              /* 1 = leave the totals out of the cube (charts); they
                                     still take part in disclosure control */
};

struct stats_info {
    size_t rows_scanned;
    size_t primary, secondary;
    size_t missing_pop_years; /* number of years without population */
    int missing_years[64];    /* the first of them */
};

/* Age band index of an age: -29, 30-39, 40-49, 50-59, 60-64, 65+. */
int stats_ageband(int age);
const char *stats_ageband_code(int band);
/* Sector index ("region", "kommun", "privat", "stat") or -1. */
int stats_sector_parse(const char *s, size_t n);
const char *stats_sector_code(int sector);
/* Dimension name ("year", "region", ...) and the reverse (-1 if none). */
const char *stats_dim_name(enum stats_dim d);
/* Swedish label of a dimension ("år", "region", "kön", ...). */
const char *stats_dim_label(enum stats_dim d);
int stats_dim_parse(const char *s);
const char *stats_measure_name(enum stats_measure m);
int stats_measure_parse(const char *s);

/* Build the table: cells over rows then cols dimensions, each followed by
 * a total value (except year), then the measures as the last (contents)
 * dimension. runs (nruns, sorted as the rows) restrict the scan; pop may
 * be NULL (per100k then missing). Caller owns out (cube_release). */
enum err stats_table(const struct stats_cols *cols, const struct stats_meta *meta,
                     const struct stats_run *runs, size_t nruns, const struct stats_pop *pop,
                     const struct stats_query *q, struct cube *out, struct stats_info *info);

/* Fill the fixed value lists (sector, sex, ageband) of meta. */
void stats_meta_fixed(struct stats_meta *m);

/* Order of the rows by (year, occ, person): perm[i] is the index of the
 * i-th row. n < 2^32. Caller gives perm (n entries). */
enum err stats_order(size_t n, const uint8_t *year, const uint8_t *occ, const uint32_t *person,
                     uint32_t *perm);
/* The (year, occ) runs of sorted columns; caller frees *runs. */
enum err stats_runs(size_t n, const uint8_t *year, const uint8_t *occ, struct stats_run **runs,
                    size_t *nruns);
/* Set STATS_F_SPLIT in flags (sorted columns) for the records of every
 * person that has records in more than one occupation in a year;
 * npersons bounds the person codes. */
enum err stats_mark_split(size_t n, const uint8_t *year, const uint8_t *occ, const uint32_t *person,
                          uint32_t npersons, uint8_t *flags);

#endif
