/* alloc.h - the exact allocation engine (largest-remainder / Hamilton).
 *
 * A pot of whole kronor is split among items in proportion to integer
 * weights: each item's exact quota is pot × weight / total_weight; the
 * quotas are floored, then the leftover kronor go one by one to the items
 * with the largest fractional remainders, ties to the lower index (callers
 * keep items in recipient-code order, so ties go to the lower code). The
 * pot is always met exactly and no item is more than 1 kr from its exact
 * quota. Integer arithmetic only (128-bit intermediates). O(n log n). */
#ifndef BIDRAG_CORE_ALLOC_H
#define BIDRAG_CORE_ALLOC_H

#include <stddef.h>
#include <stdint.h>
#include "util/err.h"

struct alloc_item {
    /* input */
    int64_t weight; /* >= 0; ignored (treated as 0) when !eligible */
    int eligible;   /* 0 = takes no part in this pot */
    /* output */
    int64_t share;     /* whole kronor of the pot given to this item */
    int64_t quota_int; /* floor(pot × weight / total_weight) */
    int64_t rem_num;   /* (pot × weight) mod total_weight: the fractional
                          remainder is rem_num / total_weight */
    int extra;         /* 1 if this item received one leftover krona */
};

struct alloc_result {
    int64_t total_weight; /* sum of eligible weights */
    int64_t leftover;     /* kronor handed out by remainder */
    size_t nparticipants; /* eligible items with weight > 0 */
};

/* Split pot_kr (>= 0) among items. Errors: ERR_INVALID if a weight is
 * negative or the pot is positive but no eligible item has weight;
 * ERR_LIMIT if the total weight overflows int64. On error nothing in
 * items is meaningful. res may be NULL. */
enum err alloc_split(int64_t pot_kr, struct alloc_item *items, size_t n, struct alloc_result *res);

/* A fixed amount per eligible item first, then the rest of total_kr split
 * by weight with alloc_split() (items[i].share is the proportional part
 * only; an eligible item gets fixed_kr + share). ERR_CONFLICT if the fixed
 * parts alone exceed the total; otherwise as alloc_split(). */
enum err alloc_split_fixed(int64_t total_kr, int64_t fixed_kr, struct alloc_item *items, size_t n,
                           struct alloc_result *res);

#endif
