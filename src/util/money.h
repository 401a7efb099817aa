/* money.h - amounts of money as int64_t öre, never floating point.
 *
 * Keys allocate whole kronor; an amount in öre is 100 × kronor. Parsing
 * accepts Swedish and plain spellings: "1 013 000 000", "1013000000",
 * "1_013_000_000", "12,50", "12.50" (at most two decimals). */
#ifndef BIDRAG_UTIL_MONEY_H
#define BIDRAG_UTIL_MONEY_H

#include <stddef.h>
#include <stdint.h>
#include "util/err.h"

#define MONEY_ORE_PER_KR 100
/* Largest amount accepted anywhere: 10^15 kr (far beyond any grant). */
#define MONEY_MAX_KR INT64_C(1000000000000000)

/* Parse an amount in kronor (optionally with öre) into öre. */
enum err money_parse(const char *s, int64_t *ore);
/* Parse a whole number of kronor (no decimals) into kronor. */
enum err money_parse_kr(const char *s, int64_t *kr);
/* "1 013 000 000" (thousands separated by a space, no unit) for whole
 * kronor; returns the length written (output is always terminated). */
size_t money_fmt_kr(char *out, size_t n, int64_t kr);
/* "1 013 000 000 kr" or "12,50 kr" from öre. */
size_t money_fmt_ore(char *out, size_t n, int64_t ore);
/* Group an integer's digits by three with a space: "10 587 710". */
size_t money_fmt_int(char *out, size_t n, int64_t v);

#endif
