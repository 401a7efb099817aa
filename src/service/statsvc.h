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

#include "util/i18n.h"
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
    double t_read, t_order, t_sort, t_check, t_keys, t_write; /* seconds per phase */
};

/* Validate the whole file; when it has no error, write a new store
 * generation. Errors go to d as "file:line: message" (ERR_INVALID: data
 * errors, nothing written). */
ERR_MUST_CHECK enum err statsvc_import(const struct statscsv_ref *ref,
                                       const struct statsvc_import_opts *o,
                                       struct statsvc_import_result *res, struct diag *d);

/* A table request as the user wrote it.
 *
 * filters: "DIM=VALUE,..." where VALUE is a value's code or label, a
 * group's (a region in the kommun dimension, "leg" all licensed
 * professions, "pv" the non-licensed primary-care groups), the total
 * ("total", "00"/"0000" or "Riket"), "*" every value, "members(G)" the values
 * of group G, and for years also "A-B" and "top(N)" (the latest N years). For a dimension of the
 * table the values given are shown in that order (none given: every value, then the total; years
 * without total); any other dimension takes one value or all of them (a sum over chosen values is
 * never published). */
struct statsvc_table_req {
    const char *dir;
    const char *rows;     /* "region,year" */
    const char *cols;     /* "sex" or NULL */
    const char *filters;  /* "licence=lakare,year=2015-2024" or NULL */
    const char *measures; /* "headcount,fte,per100k" */
    int protect;          /* 1: as published (cell key method); 0: exact, the analyst only */
    int nthreads;
    int no_totals;    /* dimensions without values given show no total (charts) */
    size_t max_cells; /* refuse a larger table before building it (0: no limit) */
    int plan_only;    /* check the request and count its cells, build nothing */
    enum lang lang;   /* the language of the labels, title and note (LANG_SV: 0) */
};

struct statsvc_table_res {
    struct stats_info info;
    size_t rows_total;
    int year_min, year_max;
    enum lang lang;        /* the request's language (statsvc_table_describe) */
    int usage_error;       /* 1 when the request itself is wrong */
    int too_large;         /* 1 when refused for max_cells */
    int synthetic;         /* 1 when a stored source was marked synthetic */
    size_t cells;          /* cells of the table, measures included */
    int protected;         /* the request's protect */
    struct ckm_params ckm; /* the release's protection parameters */
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
 * tables show them: the n values, then the ngroups groups), for selection
 * forms and for checking a request before it is built. The total of a
 * dimension is stats_total_code()/stats_total_label(). */
struct statsvc_values {
    size_t n[STATS_NDIMS];
    size_t ngroups[STATS_NDIMS];
    char **codes[STATS_NDIMS];
    char **labels[STATS_NDIMS];
    size_t rows_total;
    int year_min, year_max;
    int synthetic;         /* 1 when a stored source was marked synthetic */
    struct ckm_params ckm; /* the protection parameters of the release */
};

/* Fill out from the store in dir (ERR_NOTFOUND: nothing imported yet).
 * Caller releases out with statsvc_values_release. */
ERR_MUST_CHECK enum err statsvc_values(const struct statscsv_ref *ref, const char *dir,
                                       struct statsvc_values *out, struct diag *d);
void statsvc_values_release(struct statsvc_values *v);

/* What the statistics folder dir holds now, as a short string that
 * changes whenever a page drawn from it could change: the identity and
 * change time of its CURRENT file (replaced by every import or publish)
 * and of the saved queries' folder. Two stat() calls: for keeping
 * rendered pages (web/keep.c). Never fails: a missing file or folder is
 * part of the string. */
void statsvc_store_mark(const char *dir, char *out, size_t n);

/* The label of value CODE of dimension D in language L, given its Swedish
 * label SV: SV itself in Swedish, for names (years, regions, kommuner) and
 * where no English is known; otherwise the catalog's English (fixed
 * values, groups and totals) or the reference data's (occupations and
 * care types from the label_en column of stats/occupations.csv and
 * caretypes.csv, specialties from
 * stats/specialties.csv, licences by their occupation). Never NULL. */
const char *statsvc_label(const struct statscsv_ref *ref, enum lang l, enum stats_dim d,
                          const char *code, const char *sv);

/* Set the published source ("Socialstyrelsen", or the synthetic-data
 * warning) and the note (the protection, how persons are counted,
 * missing population years) of a table statsvc_table built: the one
 * place that writes them, for the CLI, the pages and the API. */
ERR_MUST_CHECK enum err statsvc_table_describe(struct cube *c, const struct statsvc_table_res *res);

/* Saved queries (statsvc_query.c): a table query string kept under an id
 * of STATSVC_QUERY_ID_LEN hex digits made from its hash (the same query,
 * the same id), in dir/queries/. */
#define STATSVC_QUERY_ID_LEN 12
#define STATSVC_QUERY_MAX 8000
int statsvc_query_id_ok(const char *id);
ERR_MUST_CHECK enum err statsvc_query_save(const char *dir, const char *query, const char *name,
                                           char id[STATSVC_QUERY_ID_LEN + 1], struct diag *d);
/* ERR_NOTFOUND for an unknown or malformed id. */
ERR_MUST_CHECK enum err statsvc_query_load(const char *dir, const char *id, char *query, size_t qn,
                                           char *name, size_t nn);

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
