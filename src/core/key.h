/* key.h - apply a program's keys (fördelningsnycklar) to the recipients
 * and data, giving every recipient's amount per block with everything
 * needed to explain it; and redistribution of what was not requisitioned.
 *
 * Pure: the data (recipients, population and metric series, explicit
 * tables) comes in through struct key_data; nothing is read or written. */
#ifndef BIDRAG_CORE_KEY_H
#define BIDRAG_CORE_KEY_H

#include <stddef.h>
#include <stdint.h>
#include "core/alloc.h"
#include "core/org.h"
#include "core/program.h"
#include "core/series.h"
#include "util/err.h"

/* Population per 100 000 rates are computed in units of 10^-9 (nine
 * decimals, floored) so that the key stays integer: weight =
 * floor(metric × 10^14 / population). */
#define KEY_RATE_SCALE INT64_C(1000000000)

struct key_data {
    const struct recipient *kommuner;
    size_t nkommuner;
    const struct recipient *regioner;
    size_t nregioner;
    /* Population at date d with kommun and region codes, NULL if absent. */
    const struct series *(*population)(void *ctx, struct date d);
    /* A metric series by name, NULL if absent. */
    const struct series *(*metric)(void *ctx, const char *name);
    /* An explicit key table (kronor per code) by file name, NULL if absent. */
    const struct series *(*table)(void *ctx, const char *name);
    void *ctx;
};

struct alloc_line {
    struct recipient r;
    int eligible;
    int excluded;  /* named in exclude */
    int forfeited; /* AMONG_ALL and not eligible: share withheld */
    int64_t fixed_kr;
    int64_t weight; /* weight in the proportional part */
    int64_t metric; /* metric value (metric keys), or table amount */
    int64_t pop;    /* population (population and per-100k keys) */
    struct alloc_item item;
    int64_t amount_kr; /* what the recipient gets in this block */
};

struct block_result {
    const struct block *b;
    size_t n;
    struct alloc_line *lines; /* n, sorted by recipient code */
    int64_t fixed_total_kr;
    int64_t pot_kr; /* block amount − fixed parts */
    int64_t total_weight;
    int64_t leftover_kr;  /* kronor handed out by remainder */
    int64_t allocated_kr; /* sum of amounts */
    int64_t forfeited_kr; /* withheld from the non-eligible (AMONG_ALL) */
    struct date pop_used; /* population date actually used (if any) */
    int pop_fallback;     /* 1 = the named date was missing; fallback used */
    int illustrative;     /* 1 = a metric/table used is illustrative demo data */
};

struct allocation {
    const struct program *p;
    size_t nblocks;
    struct block_result *blocks;
    int64_t total_kr;     /* sum of all amounts */
    int64_t forfeited_kr; /* sum of forfeited shares */
};

/* Compute the whole program. Every problem (missing series, no eligible
 * recipient, a table that does not add up, ...) is added to d as
 * file:line: message; the result is complete only when ERR_OK is
 * returned. Caller releases out. */
enum err key_allocate(const struct program *p, const struct key_data *kd, struct allocation *out,
                      struct diag *d);
void allocation_release(struct allocation *a);
/* Find a recipient's line in a block result; NULL if not a recipient. */
const struct alloc_line *key_line(const struct block_result *br, const char *code);

/* Check a program's structure (required fields, amounts add up, fixed
 * parts fit, dates in order); every problem to d as file:line. */
enum err program_validate(const struct program *p, struct diag *d);

/* One recipient's weight for `bidrag key` (split N kronor by weights,
 * without a program): the code, the weight, the line it came from and
 * whether --exclude names it. */
struct key_weight {
    char code[16];
    int64_t weight;
    long line;
    int excluded;
};

/* Check one row of a weights file: the code non-empty and at most 15
 * bytes, the weight a whole number >= 0 (no unit). A good row is put at
 * w[*n] (the caller has room for one more) and *n grows; a bad one is
 * said in d as file:line. */
void key_weight_add(struct key_weight *w, size_t *n, const char *file, long line, const char *code,
                    const char *weight, struct diag *d);
/* After the rows: sort w by code, refuse a code twice and a file with no
 * weights, then mark the codes in exclude (comma-separated, blanks
 * around a code ignored; NULL for none), each of which must be in the
 * file. Problems go to d. */
void key_weights_check(struct key_weight *w, size_t n, const char *file, const char *exclude,
                       struct diag *d);

#endif
