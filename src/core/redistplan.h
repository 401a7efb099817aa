/* redistplan.h - a whole program's redistribution from its approved
 * requisitions: the rule written once as a pure function, behind both the
 * e-service's run and preview (service/requisition: req_redistribute)
 * and the offline what-if ('bidrag redistribute --requisitions').
 *
 * The rule: a recipient takes part if it opted in and was approved for
 * its full amount (its allocation summed over the blocks); an approved
 * amount is split over the recipient's blocks in proportion to its
 * amounts there (req_split_blocks). In each block, in order, the pot is
 * the block's allocation less what was approved in it; it is split by
 * the block's key weights (a fixed part does not count) among those
 * taking part that have a weight, each capped at what it can still use
 * (core/redist, round by round); what it gets in one block is taken off
 * its cap for the next. What no one can take stays unpaid.
 *
 * Pure: no I/O, no clock. */
#ifndef BIDRAG_CORE_REDISTPLAN_H
#define BIDRAG_CORE_REDISTPLAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/key.h"
#include "core/redist.h"
#include "util/err.h"

/* One approved requisition. */
struct redistplan_req {
    char code[16];
    int64_t approved_kr; /* approved, over all blocks (>= 0) */
    int opt_in;          /* asked for what is left over */
    int64_t cap_kr;      /* the most extra it can use (>= 0), or REDIST_NO_CAP */
};

struct redistplan_block {
    const struct block_result *br;
    int64_t approved_kr;       /* approved in this block */
    struct redist_line *lines; /* br->n, in br->lines' order */
    int *requisitioned;        /* br->n: 1 = an approved requisition is in the input */
    int64_t *approved_line_kr; /* br->n: each line's approved part in this block */
    struct redist_result res;  /* pot, redistributed, remaining, rounds */
};

struct redistplan {
    size_t nblocks;
    struct redistplan_block *blocks;                /* a->nblocks */
    int64_t pot_kr, redistributed_kr, remaining_kr; /* over the blocks */
};

/* Compute the redistribution of allocation a from n approved
 * requisitions (codes not recipients of a are ignored: the caller checks
 * them). ERR_INVALID for a negative amount or cap, ERR_LIMIT, ERR_NOMEM.
 * Caller releases out (also on error). */
enum err redistplan_run(const struct allocation *a, const struct redistplan_req *reqs, size_t n,
                        struct redistplan *out);
void redistplan_release(struct redistplan *p);

#endif
