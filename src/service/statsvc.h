/* statsvc.h - workforce statistics actions: import microdata into the
 * column store, build a table (cube) from it, generate synthetic data.
 *
 * The store layout (store/colstore.h) under the statistics folder:
 * one file per column (year.u8, kommun.u16, ... person.u32, fte.u16),
 * dictionaries (person.dict, specialty.dict, kommun.dict, region.dict,
 * licence.dict, occ.dict: NUL-terminated strings in code order) and
 * manifest.txt (row count, year runs, and one line per imported source
 * file with its sha256, rows, years and import time). Rows are sorted by
 * year, occupation group and person. */
#ifndef BIDRAG_SERVICE_STATSVC_H
#define BIDRAG_SERVICE_STATSVC_H

#include <stddef.h>
#include <stdint.h>

#include "core/cube.h"
#include "core/stats.h"
#include "io/statscsv.h"
#include "util/err.h"

struct store;

/* Progress of a long import: bytes read of total, rows so far. */
typedef void (*statsvc_progress_fn)(void *ctx, uint64_t done, uint64_t total, size_t rows);

struct statsvc_import_opts {
    const char *path;             /* the CSV file */
    const char *dir;              /* the statistics folder */
    int replace_year;             /* 1 = years in the file replace stored ones */
    const char *now;              /* ISO 8601 import time (provenance) */
    statsvc_progress_fn progress; /* may be NULL */
    void *progress_ctx;
};

struct statsvc_import_result {
    size_t rows;       /* records imported from the file */
    size_t rows_total; /* records in the store afterwards */
    int year_min, year_max;
    char sha256[65];
    double t_read, t_order, t_sort, t_check, t_write; /* seconds per phase (informational) */
};

/* Validate the whole file; when it has no error, write a new store
 * generation. Errors go to d as "file:line: message" (ERR_INVALID: data
 * errors, nothing written). */
ERR_MUST_CHECK enum err statsvc_import(const struct statscsv_ref *ref,
                                       const struct statsvc_import_opts *o,
                                       struct statsvc_import_result *res, struct diag *d);

/* A table request as the user wrote it. */
struct statsvc_table_req {
    const char *dir;
    const char *rows;     /* "region,year" */
    const char *cols;     /* "sex" or NULL */
    const char *filters;  /* "licence=lakare,year=2015-2024" or NULL */
    const char *measures; /* "headcount,fte,per100k" */
    int suppress;
    long threshold;
    int nthreads;
    int omit_totals; /* charts: no total values */
};

struct statsvc_table_res {
    struct stats_info info;
    size_t rows_total;
    int year_min, year_max;
    int usage_error; /* 1 when the request itself is wrong */
    int synthetic;   /* 1 when a stored source was marked synthetic */
};

/* Population lookup for per 100 000: fills pop (year0..year0+ny-1) from
 * the store's population series; caller frees pop->kommun/region. */
ERR_MUST_CHECK enum err statsvc_population(struct store *st, const struct statscsv_ref *ref,
                                           const char *const *kommun_codes, size_t nk,
                                           const char *const *region_codes, size_t nr, int year0,
                                           size_t ny, struct stats_pop *pop, struct diag *d);

/* Build the table. st may be NULL (no per 100 000 then: cells missing).
 * Caller owns out. */
ERR_MUST_CHECK enum err statsvc_table(const struct statscsv_ref *ref, struct store *st,
                                      const struct statsvc_table_req *req, struct cube *out,
                                      struct statsvc_table_res *res, struct diag *d);

/* The values of every dimension in the stored data (codes and labels as
 * tables show them), for selection forms and for checking a request
 * before it is built. */
struct statsvc_values {
    size_t n[STATS_NDIMS];
    char **codes[STATS_NDIMS];
    char **labels[STATS_NDIMS];
    size_t rows_total;
    int year_min, year_max;
    int synthetic; /* 1 when a stored source was marked synthetic */
};

/* Fill out from the store in dir (ERR_NOTFOUND: nothing imported yet).
 * Caller releases out with statsvc_values_release. */
ERR_MUST_CHECK enum err statsvc_values(const struct statscsv_ref *ref, const char *dir,
                                       struct statsvc_values *out, struct diag *d);
void statsvc_values_release(struct statsvc_values *v);

/* Set the published source ("Socialstyrelsen", or the synthetic-data
 * warning) and the note (suppression counts, missing population years)
 * of a table that statsvc_table built with disclosure control at
 * threshold. */
ERR_MUST_CHECK enum err statsvc_table_describe(struct cube *c, const struct statsvc_table_res *res,
                                               long threshold);

/* The disclosure threshold (persons) of published tables. */
#define STATSVC_THRESHOLD 5

struct statsvc_synth_opts {
    uint64_t rows;
    int year_from, year_to;
    uint64_t seed;
    const char *out;         /* path */
    const char *const *dirs; /* reference folders (population file) */
    size_t ndirs;
};

/* Write synthetic records (deterministic for a seed). */
ERR_MUST_CHECK enum err statsvc_synth(const struct statscsv_ref *ref,
                                      const struct statsvc_synth_opts *o, struct diag *d);

#endif
