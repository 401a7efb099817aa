/* series.h - a series of whole-number values per recipient code: the
 * population at a reference date, or a metric (e.g. AT posts reported). */
#ifndef BIDRAG_CORE_SERIES_H
#define BIDRAG_CORE_SERIES_H

#include <stddef.h>
#include <stdint.h>
#include "util/date.h"
#include "util/err.h"

enum series_kind { SERIES_POPULATION = 1, SERIES_METRIC = 2 };

struct series_value {
    char code[5];
    int64_t value;
};

struct series {
    enum series_kind kind;
    char name[64];    /* "folkmangd" for population, the metric's name */
    struct date date; /* reference date (population); may be unset for metrics */
    char source[256]; /* file name or description */
    char sha256[65];  /* of the source file, hex */
    int illustrative; /* 1 = demo data, must be labelled as such */
    size_t n;
    struct series_value *v; /* sorted by code */
};

void series_init(struct series *s, enum series_kind kind);
void series_release(struct series *s);
enum err series_push(struct series *s, const char *code, int64_t value);
/* Sort by code; returns the first duplicated code in *dup (or NULL). */
void series_sort(struct series *s, const char **dup);
/* Value for code; 1 if found. Series must be sorted. */
int series_get(const struct series *s, const char *code, int64_t *value);
const char *series_kind_name(enum series_kind k);

#include "core/org.h"
/* Check a series against the recipients: every code must be a kommun or a
 * region (path:line from lines[i], in the order values were pushed, i.e.
 * call before series_sort), no code twice, and when require_all is set,
 * every kommun must be present if any kommun code is, and every region if
 * any region code is. A metric holds kommuner or regioner, never both: a
 * code of the other kind than the first is an error. Problems go to d;
 * ERR_INVALID if any. */
enum err series_check_codes(const struct series *s, const long *lines, const char *path,
                            const struct recipient *kommuner, size_t nk,
                            const struct recipient *regioner, size_t nr, int require_all,
                            struct diag *d);
/* Add the region codes missing from a population series as the sum of
 * their kommuner (by län), only for a län whose every kommun has a value
 * (a partial sum is no region's population: such a region stays without
 * a value, and a key over it says so). Series must be sorted; it is
 * sorted again. */
enum err series_fill_regions(struct series *s, const struct recipient *kommuner, size_t nk,
                             const struct recipient *regioner, size_t nr);
#endif
