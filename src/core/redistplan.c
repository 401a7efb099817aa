/* redistplan.c - a whole program's redistribution from its approved
 * requisitions (see redistplan.h for the rule). */
#include "core/redistplan.h"

#include <stdlib.h>
#include <string.h>

#include "core/requisition.h"
#include "util/money.h"

void redistplan_release(struct redistplan *p)
{
    for (size_t b = 0; p->blocks && b < p->nblocks; b++) {
        free(p->blocks[b].lines);
        free(p->blocks[b].requisitioned);
        free(p->blocks[b].approved_line_kr);
        redist_result_release(&p->blocks[b].res);
    }
    free(p->blocks);
    memset(p, 0, sizeof(*p));
}

enum err redistplan_run(const struct allocation *a, const struct redistplan_req *reqs, size_t n,
                        struct redistplan *out)
{
    memset(out, 0, sizeof(*out));
    int *part = calloc(n ? n : 1, sizeof(*part));
    int64_t *cap_left = calloc(n ? n : 1, sizeof(*cap_left));
    int64_t *split = calloc(a->nblocks ? a->nblocks : 1, sizeof(*split));
    out->blocks = calloc(a->nblocks ? a->nblocks : 1, sizeof(*out->blocks));
    enum err e = part && cap_left && split && out->blocks ? ERR_OK : ERR_NOMEM;
    if (e == ERR_OK)
        out->nblocks = a->nblocks;
    /* who takes part: approved for the full amount and opted in */
    for (size_t i = 0; e == ERR_OK && i < n; i++) {
        if (reqs[i].approved_kr < 0 || reqs[i].cap_kr < 0) {
            e = ERR_INVALID;
            break;
        }
        int64_t full = req_max_ore(a, reqs[i].code);
        part[i] =
            reqs[i].opt_in && full > 0 && (__int128)reqs[i].approved_kr * MONEY_ORE_PER_KR >= full;
        cap_left[i] = reqs[i].cap_kr;
    }
    for (size_t b = 0; e == ERR_OK && b < a->nblocks; b++) {
        const struct block_result *br = &a->blocks[b];
        struct redistplan_block *pb = &out->blocks[b];
        pb->br = br;
        pb->lines = calloc(br->n + 1, sizeof(*pb->lines));
        pb->requisitioned = calloc(br->n + 1, sizeof(*pb->requisitioned));
        pb->approved_line_kr = calloc(br->n + 1, sizeof(*pb->approved_line_kr));
        size_t *req_of = calloc(br->n + 1, sizeof(*req_of));
        if (!pb->lines || !pb->requisitioned || !pb->approved_line_kr || !req_of) {
            free(req_of);
            e = ERR_NOMEM;
            break;
        }
        for (size_t k = 0; k < br->n; k++) {
            req_of[k] = SIZE_MAX;
            pb->lines[k].weight = br->lines[k].weight;
        }
        for (size_t i = 0; i < n; i++) {
            const struct alloc_line *l = key_line(br, reqs[i].code);
            if (!l)
                continue;
            size_t k = (size_t)(l - br->lines);
            req_split_blocks(a, reqs[i].code, reqs[i].approved_kr, split);
            pb->approved_kr += split[b];
            pb->approved_line_kr[k] = split[b];
            pb->requisitioned[k] = 1;
            req_of[k] = i;
            pb->lines[k].takes_part = part[i] && l->weight > 0;
            pb->lines[k].cap_kr = cap_left[i];
        }
        int64_t pot = br->allocated_kr - pb->approved_kr;
        if (pot < 0)
            pot = 0;
        e = redist_split(pot, pb->lines, br->n, &pb->res);
        for (size_t k = 0; e == ERR_OK && k < br->n; k++)
            if (pb->lines[k].extra_kr > 0 && req_of[k] != SIZE_MAX &&
                cap_left[req_of[k]] != REDIST_NO_CAP)
                cap_left[req_of[k]] -= pb->lines[k].extra_kr;
        free(req_of);
        if (e == ERR_OK) {
            out->pot_kr += pb->res.pot_kr;
            out->redistributed_kr += pb->res.redistributed_kr;
            out->remaining_kr += pb->res.remaining_kr;
        }
    }
    free(part);
    free(cap_left);
    free(split);
    return e;
}
