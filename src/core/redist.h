/* redist.h - redistribution (omfördelning) of what was not requisitioned
 * in a block, as the accessibility grant's decision provides it: to the
 * recipients approved for their full amount who asked to take part, by
 * the block's own key restricted to them, each capped at the extra amount
 * it said it can use.
 *
 * The pot is split exactly (largest remainder, ties to the lower code)
 * among those taking part; anyone whose share reaches its cap gets its
 * cap, and what the caps leave over is split again among the rest, round
 * by round, until the pot is spent or everybody is capped. What is left
 * then stays unpaid (remaining_kr) and is reported. Every round is kept
 * so that each supplementary amount can be explained.
 *
 * Pure: integer arithmetic only (alloc.h), no I/O. */
#ifndef BIDRAG_CORE_REDIST_H
#define BIDRAG_CORE_REDIST_H

#include <stddef.h>
#include <stdint.h>

#include "core/alloc.h"
#include "util/err.h"

#define REDIST_NO_CAP INT64_MAX /* "as much as possible" */

struct redist_line {
    /* input */
    int64_t weight; /* the key's weight as the decision gives it (>= 0) */
    int takes_part; /* approved for the full amount and opted in */
    int64_t cap_kr; /* the most extra it can use (>= 0), or REDIST_NO_CAP */
    /* output */
    int64_t extra_kr;       /* its supplementary amount */
    int capped;             /* 1 = it got its cap */
    size_t round;           /* the round (1-based) that fixed its amount, 0 if none */
    struct alloc_item item; /* its share in that round: quota and remainder */
};

struct redist_round {
    int64_t pot_kr;       /* split in this round */
    int64_t total_weight; /* of those taking part in it */
    size_t nparticipants;
    size_t ncapped;      /* reached their cap in it */
    int64_t capped_kr;   /* what those got */
    int64_t leftover_kr; /* kronor handed out by remainder (the last round) */
};

struct redist_result {
    int64_t pot_kr;           /* what was to be redistributed */
    int64_t redistributed_kr; /* sum of the extras */
    int64_t remaining_kr;     /* left unpaid: everybody capped, or nobody took part */
    size_t nrounds;
    struct redist_round *rounds; /* nrounds, owned (redist_result_release) */
};

void redist_result_release(struct redist_result *r);

/* Split pot_kr (>= 0) among lines. ERR_INVALID for a negative pot, weight
 * or cap; ERR_LIMIT if the weights overflow; ERR_NOMEM. On success
 * res->redistributed_kr + res->remaining_kr == pot_kr, no line gets more
 * than its cap, and a line that does not take part gets nothing. Caller
 * releases res (also on error). */
enum err redist_split(int64_t pot_kr, struct redist_line *lines, size_t n,
                      struct redist_result *res);

#endif
