/* statsvc_internal.h - what the statistics service's files share: string
 * interning, growable import columns, and an opened column store. Not for
 * use outside src/service/stats*.c and its tests. */
#ifndef BIDRAG_SERVICE_STATSVC_INTERNAL_H
#define BIDRAG_SERVICE_STATSVC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/stats.h"
#include "io/statscsv.h"
#include "store/colstore.h"
#include "util/buf.h"

/* Open-addressing table of strings, codes 0..n-1 in order of first sight;
 * the arena holds the strings NUL-terminated in code order. */
struct statsvc_intern {
    uint64_t *slot; /* (hash top 32 bits << 32) | (code + 1), 0 = empty */
    size_t mask;
    char *arena;
    size_t alen, acap;
    uint64_t *off; /* code -> offset in arena */
    size_t n, ncap;
};

uint64_t statsvc_hash(const char *s, size_t n);
void statsvc_intern_init(struct statsvc_intern *t);
void statsvc_intern_release(struct statsvc_intern *t);
/* Code of s (added if new); -1 out of memory, -2 when max codes exist. */
long statsvc_intern(struct statsvc_intern *t, const char *s, size_t n, uint64_t h, size_t max);
const char *statsvc_intern_str(const struct statsvc_intern *t, uint32_t code);

/* Columns being built by an import (owned arrays). */
struct statsvc_cols {
    size_t n, cap;
    uint8_t *year, *region, *sector, *sex, *ageband, *licence, *occ, *flags, *caretype;
    uint16_t *kommun, *specialty, *fte, *ssyk, *birth;
    uint32_t *person, *line;
};
int statsvc_cols_reserve(struct statsvc_cols *c, size_t need);
void statsvc_cols_release(struct statsvc_cols *c);

/* A dictionary file: n strings pointing into the mapped file. */
struct statsvc_dict {
    size_t n;
    const char **s; /* owned array */
};

/* The live store generation, mapped. */
struct statsvc_stored {
    struct colstore cs;
    struct stats_cols cols;
    const uint16_t *ssyk, *birth;
    struct statsvc_dict persons, specs, kommun, region, licence, occ, caretype;
    struct stats_run *runs;
    size_t nruns;
    int year_min, year_max;
    unsigned char years[256]; /* index year - STATS_YEAR_MIN */
    char *sources;            /* the manifest's source lines */
    size_t npersons;          /* person codes (pkey.u32 holds a record key for each) */
    struct ckm_params ckm;    /* the release's protection parameters */
    char keyprint[24];        /* fingerprint of the record-key secret (not the secret) */
    void *kept;               /* the kept store this shares (statsvc_stored_open_kept) */
};

/* Open and check the store in dir; ERR_NOTFOUND when nothing is imported.
 * The person dictionary is read only when with_persons is 1 (imports). */
ERR_MUST_CHECK enum err statsvc_stored_open(struct statsvc_stored *s, const char *dir,
                                            int with_persons, struct diag *d);
/* The same for reading only (no person dictionary), from the store kept
 * open while its generation is the live one: *s shares its maps and
 * dictionaries (read them only) until statsvc_stored_close. */
ERR_MUST_CHECK enum err statsvc_stored_open_kept(struct statsvc_stored *s, const char *dir,
                                                 struct diag *d);
void statsvc_stored_close(struct statsvc_stored *s);
/* The protection settings of the statistics folder dir: the cell key
 * method's parameters from dir/protection.conf (defaults when absent) and
 * the 32-byte record-key secret (dir/record-key unless the file names
 * another; made when missing if create is 1; must be readable by its
 * owner only), with a fingerprint of it for the manifest. */
ERR_MUST_CHECK enum err statsvc_protection(const char *dir, int create, struct ckm_params *p,
                                           unsigned char secret[32], char keyprint[24],
                                           struct diag *d);

/* Append the stored source lines to out, dropping the years in drop[]
 * (and lines left with no year). */
ERR_MUST_CHECK enum err statsvc_sources_keep(const struct statsvc_stored *s,
                                             const unsigned char *drop, struct buf *out);

#endif
