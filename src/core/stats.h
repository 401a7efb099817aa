/* stats.h - workforce statistics tables over column arrays.
 *
 * The microdata are held as columns (one array per variable, one entry
 * per record: a person's employment in a year), sorted by year, then
 * occupation group, then person, so that a person's records in a
 * (year, occupation) run lie next to each other. stats_table() counts
 * distinct persons (headcount) and sums full-time equivalents per cell of
 * a table over any of the dimensions below. Every value shown is a fixed
 * set of persons: a value of a dimension, a group of values defined with
 * the dimension (a region of the kommun dimension, all licensed
 * professions), or the dimension's total; a person counts once in every
 * cell, totals included, so "Riket" is the same number in every table.
 * A sum over values a user picks is never made: it could be subtracted
 * from another. Published tables are protected by the cell key method
 * (core/ckm.h): every cell carries the sum of its persons' record keys.
 * Pure: no I/O, no clock; the caller gives the data, reference lists and
 * population. */
#ifndef BIDRAG_CORE_STATS_H
#define BIDRAG_CORE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "core/ckm.h"
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
    STATS_CARETYPE, /* the workplace's kind of care, from its SNI code */
    STATS_POSITION, /* physicians' posts by SSYK: specialist, ST, AT/BT, other */
    STATS_NDIMS
};

enum stats_measure { STATS_HEADCOUNT = 0, STATS_FTE, STATS_PER100K, STATS_NMEASURES };

#define STATS_NSECTORS 4
#define STATS_NSEXES 2
#define STATS_NAGEBANDS 6
#define STATS_NPOSITIONS 5
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
    const uint8_t *caretype;
    const uint16_t *ssyk; /* SSYK 2012 code (the position dimension) */
    const uint32_t *pkey; /* record key per person code (npersons), NULL: no protection */
    size_t npersons;
};

/* A group of values of a dimension, published as a value of its own
 * (the region of kommuner, all licensed professions): member[v] is 1 for
 * the base values it holds. Not owned. */
struct stats_group {
    const char *code;
    const char *label;
    const unsigned char *member;
};

/* The values of one dimension: codes and labels, and its groups (not
 * owned). */
struct stats_values {
    size_t n;
    const char *const *codes;
    const char *const *labels;
    size_t ngroups;
    const struct stats_group *groups;
};

/* A value of a dimension in a query: a base value index (< n), a group
 * (STATS_GROUP(g)) or the total (all values). */
#define STATS_GROUP(g) ((uint32_t)0x40000000u | (uint32_t)(g))
#define STATS_IS_GROUP(v) (((v)&0x40000000u) != 0 && (v) != STATS_TOTAL)
#define STATS_GROUP_OF(v) ((v)&0x3FFFFFFFu)
#define STATS_TOTAL ((uint32_t)0x7FFFFFFFu)

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

/* A table: the dimensions down (rows) and across (cols); for each of them
 * the values shown, in order (show[d], nshow[d]; NULL: every value, then
 * the total, except for year which has no total); every other dimension
 * either one value (fixed_set[d] = 1, fixed[d] a value as above) or all
 * of them. Year values are indices year - meta.year0. */
struct stats_query {
    size_t nrows, ncols;
    enum stats_dim rows[STATS_NDIMS];
    enum stats_dim cols[STATS_NDIMS];
    const uint32_t *show[STATS_NDIMS];
    size_t nshow[STATS_NDIMS];
    int fixed_set[STATS_NDIMS];
    uint32_t fixed[STATS_NDIMS];
    int measure[STATS_NMEASURES]; /* 1 = include */
    const struct ckm_table *ckm;  /* the protection; NULL: exact counts (the analyst only) */
    int nthreads;                 /* 1 or 2 */
};

struct stats_info {
    size_t rows_scanned;
    size_t cells;             /* cells computed (values, groups and totals of every dimension) */
    size_t multi;             /* persons in more than one cell of a line (counted once in totals) */
    size_t missing_pop_years; /* number of years without population */
    int missing_years[64];    /* the first of them */
};

/* The position of a record by its SSYK code: 0 not a physician's post,
 * 1 specialist (2211), 2 ST (2212), 3 AT/BT (2213), 4 other (2219). */
int stats_position(int ssyk);

/* Age band index of an age: 15-29, 30-39, 40-49, 50-59, 60-64, 65+. */
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

/* The code and label of a dimension's total ("00" Riket for region,
 * "0000" Riket for kommun, "total" Totalt for the others). */
const char *stats_total_code(enum stats_dim d);
const char *stats_total_label(enum stats_dim d);

/* Build the table: cells over rows then cols dimensions with the values
 * the query shows, then the measures as the last (contents) dimension.
 * runs (nruns, sorted as the rows) restrict the scan; pop may be NULL
 * (per100k then missing). With q->ckm every headcount and FTE is
 * perturbed (core/ckm.h) and the cube says so (no_aggregation). Caller
 * owns out (cube_release). ERR_INVALID: a bad query; ERR_LIMIT: too many
 * cells. */
enum err stats_table(const struct stats_cols *cols, const struct stats_meta *meta,
                     const struct stats_run *runs, size_t nruns, const struct stats_pop *pop,
                     const struct stats_query *q, struct cube *out, struct stats_info *info);

/* Fill the fixed value lists (sector, sex, ageband, position) of meta. */
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
