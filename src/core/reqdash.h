/* reqdash.h - the one definition of the requisition dashboard's numbers,
 * for a block, a län or a recipient alike: what was allocated by the key,
 * requisitioned, granted (original decisions plus supplements after
 * redistribution), and what is left; and the percentages, each of a whole
 * that contains its part, so that none can exceed 100 %. Pure. */
#ifndef BIDRAG_CORE_REQDASH_H
#define BIDRAG_CORE_REQDASH_H

#include <stdint.h>

struct dash_sum {
    int64_t allocated_ore;     /* by the key */
    int64_t requested_ore;     /* the latest submitted amounts (at most the allocation) */
    int64_t approved_ore;      /* original decisions (at most the allocation) */
    int64_t supplementary_ore; /* supplements after redistribution */
};

/* Add b into a. */
void dash_add(struct dash_sum *a, const struct dash_sum *b);
/* Granted: original decisions and supplements. */
int64_t dash_granted(const struct dash_sum *s);
/* What may be granted: the allocation and the supplements on top of it. */
int64_t dash_base(const struct dash_sum *s);
/* Left: the allocation not granted by an original decision (never below
 * 0) - what stays unpaid unless redistributed. */
int64_t dash_left(const struct dash_sum *s);
/* Whole percent of part in whole, rounded down; 0 when whole is 0. The
 * part is held to [0, whole], so the result is 0-100. */
int dash_pct(int64_t part, int64_t whole);
/* The dashboard's two percentages: requisitioned of the allocation, and
 * granted of what may be granted (dash_base). */
int dash_pct_requested(const struct dash_sum *s);
int dash_pct_granted(const struct dash_sum *s);

#endif
