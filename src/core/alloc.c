/* alloc.c - largest-remainder allocation of whole kronor. */
#include "core/alloc.h"

#include <stdlib.h>

struct rank {
    int64_t rem;
    size_t idx;
};

/* Larger remainder first; equal remainders: lower index first. */
static int cmp_rank(const void *a, const void *b)
{
    const struct rank *x = a, *y = b;
    if (x->rem != y->rem)
        return x->rem > y->rem ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

enum err alloc_split(int64_t pot_kr, struct alloc_item *items, size_t n, struct alloc_result *res)
{
    if (pot_kr < 0)
        return ERR_INVALID;
    int64_t total = 0;
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        items[i].share = items[i].quota_int = items[i].rem_num = 0;
        items[i].extra = 0;
        if (!items[i].eligible)
            continue;
        if (items[i].weight < 0)
            return ERR_INVALID;
        if (items[i].weight == 0)
            continue;
        if (__builtin_add_overflow(total, items[i].weight, &total))
            return ERR_LIMIT;
        np++;
    }
    if (res) {
        res->total_weight = total;
        res->leftover = 0;
        res->nparticipants = np;
    }
    if (pot_kr == 0)
        return ERR_OK;
    if (total == 0)
        return ERR_INVALID;

    int64_t given = 0;
    struct rank *r = malloc((np ? np : 1) * sizeof(*r));
    if (!r)
        return ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!items[i].eligible || items[i].weight == 0)
            continue;
        __int128 prod = (__int128)pot_kr * items[i].weight;
        items[i].quota_int = (int64_t)(prod / total);
        items[i].rem_num = (int64_t)(prod % total);
        items[i].share = items[i].quota_int;
        given += items[i].quota_int;
        r[k].rem = items[i].rem_num;
        r[k].idx = i;
        k++;
    }
    int64_t left = pot_kr - given; /* 0 <= left < np */
    if (left > 0) {
        qsort(r, k, sizeof(*r), cmp_rank);
        for (int64_t j = 0; j < left; j++) {
            items[r[j].idx].share++;
            items[r[j].idx].extra = 1;
        }
    }
    if (res)
        res->leftover = left;
    free(r);
    return ERR_OK;
}

enum err alloc_split_fixed(int64_t total_kr, int64_t fixed_kr, struct alloc_item *items, size_t n,
                           struct alloc_result *res)
{
    if (total_kr < 0 || fixed_kr < 0)
        return ERR_INVALID;
    int64_t nfixed = 0;
    for (size_t i = 0; i < n; i++)
        nfixed += items[i].eligible != 0;
    if (fixed_kr && nfixed > total_kr / fixed_kr)
        return ERR_CONFLICT;
    return alloc_split(total_kr - fixed_kr * nfixed, items, n, res);
}
