/* ckm.h - the cell key method: consistent perturbation of counts of
 * persons (ABS TableBuilder; recommended by Eurostat for the 2021
 * census; SCB's population statistics from reference year 2025).
 *
 * Every person has a record key, a 32-bit number derived from the
 * pseudonymous person id and a secret (ckm_record_key). A cell's key is
 * the sum, modulo 2^32, of the record keys of the distinct persons in it,
 * so a cell holding the same persons has the same key in whatever table or
 * query it appears. The published value is the count plus a noise looked
 * up in the perturbation table (ptable) by the count and the cell key:
 * the same cell always gets the same noise, so asking again, or in
 * another table, or differencing two queries that share the cell, tells
 * nothing new.
 *
 * The ptable is built here from three parameters, by the maximum-entropy
 * construction of Giessing (2016) used by the sdcTools ptable package:
 *   D  the largest noise (|published - count| <= D),
 *   V  the noise variance for counts away from zero,
 *   js counts 1..js are never published (a published value is 0 or > js).
 * For each count i the published value j has probability proportional to
 * exp(-lambda (j-i)^2 + a_i (j-i)) over the allowed j (0 <= j, |j-i| <= D,
 * j = 0 or j > js); lambda gives variance V where the support is
 * symmetric, a_i keeps the noise unbiased (mean j = i) near zero. Zero
 * stays zero: an empty cell says nothing about a person.
 *
 * Pure: no I/O, no clock, no allocation behind the caller's back. */
#ifndef BIDRAG_CORE_CKM_H
#define BIDRAG_CORE_CKM_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/sha256.h"

#define CKM_MAX_D 16

struct ckm_params {
    int max_noise;   /* D, 1..CKM_MAX_D */
    double variance; /* V, 0 < V <= D(D+1)/3 */
    int small;       /* js, 0 <= js < D */
};

/* The defaults: D 4, V 1.5, js 2 (docs/statistics.md). */
void ckm_params_default(struct ckm_params *p);

/* Check the parameters; msg (n bytes) says what is wrong. */
enum err ckm_params_check(const struct ckm_params *p, char *msg, size_t n);

/* The perturbation table: for counts 0..rows-1 the cumulative
 * probabilities (scaled to 2^32) of the noises -D..D; counts from rows on
 * use the last row. */
struct ckm_table {
    int D, js;
    size_t rows;
    uint64_t cum[CKM_MAX_D + 4 + CKM_MAX_D][2 * CKM_MAX_D + 1];
    double prob[CKM_MAX_D + 4 + CKM_MAX_D][2 * CKM_MAX_D + 1];
};

/* Build the table (ERR_INVALID: bad parameters). */
enum err ckm_table_build(const struct ckm_params *p, struct ckm_table *t);

/* The published count of a cell with count persons and cell key key. */
long ckm_count(const struct ckm_table *t, long count, uint32_t key);

/* The published full-time equivalents of a cell: the mean FTE of its
 * persons times the published count, plus a noise of at most half an FTE
 * drawn from the cell key (so that published FTE and count together do not
 * give the count back as a fraction). fte and the result are in hundredths;
 * 0 when the published count is 0. */
int64_t ckm_fte(int64_t fte, long count, long published, uint32_t key);

/* Record keys: the first 32 bits of SHA-256(secret || person id). The
 * keyer holds the hash state after the secret, so that a key costs one
 * hash of the id (and no CPU feature probe per person). */
struct ckm_keyer {
    struct sha256 base;
};

void ckm_keyer_init(struct ckm_keyer *k, const unsigned char secret[32]);
uint32_t ckm_keyer_key(const struct ckm_keyer *k, const char *id, size_t n);

#endif
