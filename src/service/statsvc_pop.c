/* statsvc_pop.c - population per kommun and region and year for the
 * per 100 000 measure, from the store's population series ("folkmangd"):
 * for each year the series dated YYYY-12-31, else YYYY-11-01. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/statsvc.h"
#include "store/store.h"

enum err statsvc_population(struct store *st, const struct statscsv_ref *ref,
                            const char *const *kommun_codes, size_t nk,
                            const char *const *region_codes, size_t nr, int year0, size_t ny,
                            struct stats_pop *pop, struct diag *d)
{
    (void)ref;
    struct store_series_info *list = NULL;
    size_t nlist = 0;
    int64_t *K = malloc((ny * nk + 1) * sizeof(int64_t));
    int64_t *R = malloc((ny * nr + 1) * sizeof(int64_t));
    enum err e = ERR_NOMEM;
    memset(pop, 0, sizeof(*pop));
    if (!K || !R)
        goto out;
    for (size_t i = 0; i < ny * nk; i++)
        K[i] = -1;
    for (size_t i = 0; i < ny * nr; i++)
        R[i] = -1;
    e = store_series_list(st, &list, &nlist);
    if (e != ERR_OK) {
        diag_add(d, NULL, 0, "cannot list population series: %s", store_errmsg(st));
        goto out;
    }
    for (size_t y = 0; y < ny; y++) {
        char want[2][11];
        int year = year0 + (int)y;
        snprintf(want[0], sizeof(want[0]), "%04d-12-31", year);
        snprintf(want[1], sizeof(want[1]), "%04d-11-01", year);
        const char *date = NULL;
        for (int w = 0; w < 2 && !date; w++)
            for (size_t i = 0; i < nlist && !date; i++)
                if (list[i].kind == SERIES_POPULATION && strcmp(list[i].name, "folkmangd") == 0 &&
                    strcmp(list[i].date, want[w]) == 0)
                    date = want[w];
        if (!date)
            continue;
        struct series se;
        e = store_series_get(st, SERIES_POPULATION, "folkmangd", date, &se);
        if (e != ERR_OK) {
            diag_add(d, NULL, 0, "cannot read population %s: %s", date, store_errmsg(st));
            goto out;
        }
        for (size_t k = 0; k < nk; k++) {
            int64_t v;
            if (series_get(&se, kommun_codes[k], &v))
                K[y * nk + k] = v;
        }
        for (size_t r = 0; r < nr; r++) {
            int64_t v;
            if (series_get(&se, region_codes[r], &v)) {
                R[y * nr + r] = v;
                continue;
            }
            /* the sum of its kommuner */
            int64_t sum = 0;
            int any = 0, gap = 0;
            for (size_t k = 0; k < nk; k++) {
                if (strncmp(kommun_codes[k], region_codes[r], 2) != 0)
                    continue;
                any = 1;
                if (K[y * nk + k] < 0)
                    gap = 1;
                else
                    sum += K[y * nk + k];
            }
            R[y * nr + r] = any && !gap ? sum : -1;
        }
        series_release(&se);
    }
    pop->year0 = year0;
    pop->ny = ny;
    pop->nk = nk;
    pop->nr = nr;
    pop->kommun = K;
    pop->region = R;
    K = R = NULL;
    e = ERR_OK;
out:
    free(list);
    free(K);
    free(R);
    return e;
}
