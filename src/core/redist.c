/* redist.c - capped redistribution, round by round. */
#include "core/redist.h"

#include <stdlib.h>
#include <string.h>

void redist_result_release(struct redist_result *r)
{
    free(r->rounds);
    memset(r, 0, sizeof(*r));
}

/* Does line i still take part: willing, with weight, not yet capped? */
static int active(const struct redist_line *l)
{
    return l->takes_part && l->weight > 0 && l->cap_kr > 0 && !l->capped;
}

enum err redist_split(int64_t pot_kr, struct redist_line *lines, size_t n,
                      struct redist_result *res)
{
    memset(res, 0, sizeof(*res));
    if (pot_kr < 0)
        return ERR_INVALID;
    for (size_t i = 0; i < n; i++) {
        if (lines[i].weight < 0 || lines[i].cap_kr < 0)
            return ERR_INVALID;
        lines[i].extra_kr = 0;
        lines[i].capped = 0;
        lines[i].round = 0;
        memset(&lines[i].item, 0, sizeof(lines[i].item));
    }
    res->pot_kr = pot_kr;
    /* at most one round per line plus the last */
    res->rounds = calloc(n + 1, sizeof(*res->rounds));
    struct alloc_item *items = calloc(n ? n : 1, sizeof(*items));
    enum err e = ERR_OK;
    if (!res->rounds || !items) {
        e = ERR_NOMEM;
        goto out;
    }
    int64_t pot = pot_kr;
    while (pot > 0) {
        size_t np = 0;
        for (size_t i = 0; i < n; i++) {
            items[i].eligible = active(&lines[i]);
            items[i].weight = items[i].eligible ? lines[i].weight : 0;
            np += items[i].eligible != 0;
        }
        if (np == 0)
            break;
        struct alloc_result ar;
        e = alloc_split(pot, items, n, &ar);
        if (e != ERR_OK)
            goto out;
        struct redist_round *rd = &res->rounds[res->nrounds++];
        rd->pot_kr = pot;
        rd->total_weight = ar.total_weight;
        rd->nparticipants = np;
        /* whoever reaches its cap gets the cap; the rest wait for the
         * next round unless nobody was capped */
        for (size_t i = 0; i < n; i++) {
            if (!items[i].eligible || items[i].share < lines[i].cap_kr)
                continue;
            lines[i].capped = 1;
            lines[i].extra_kr = lines[i].cap_kr;
            lines[i].round = res->nrounds;
            lines[i].item = items[i];
            rd->ncapped++;
            rd->capped_kr += lines[i].cap_kr;
        }
        if (rd->ncapped == 0) {
            for (size_t i = 0; i < n; i++) {
                if (!items[i].eligible)
                    continue;
                lines[i].extra_kr = items[i].share;
                lines[i].round = res->nrounds;
                lines[i].item = items[i];
            }
            rd->leftover_kr = ar.leftover;
            pot = 0;
            break;
        }
        pot -= rd->capped_kr;
    }
    res->remaining_kr = pot;
    res->redistributed_kr = pot_kr - pot;
out:
    free(items);
    return e;
}
