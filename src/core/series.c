/* series.c - value series per recipient code. */
#include "core/series.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

void series_init(struct series *s, enum series_kind kind)
{
    memset(s, 0, sizeof(*s));
    s->kind = kind;
}

void series_release(struct series *s)
{
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

enum err series_push(struct series *s, const char *code, int64_t value)
{
    if ((s->n & (s->n - 1)) == 0) {
        size_t cap = s->n ? s->n * 2 : 16;
        struct series_value *nv = realloc(s->v, cap * sizeof(*nv));
        if (!nv)
            return ERR_NOMEM;
        s->v = nv;
    }
    if (str_copy(s->v[s->n].code, sizeof(s->v[s->n].code), code))
        return ERR_INVALID;
    s->v[s->n].value = value;
    s->n++;
    return ERR_OK;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(((const struct series_value *)a)->code, ((const struct series_value *)b)->code);
}

void series_sort(struct series *s, const char **dup)
{
    if (s->n)
        qsort(s->v, s->n, sizeof(*s->v), cmp);
    *dup = NULL;
    for (size_t i = 1; i < s->n; i++)
        if (strcmp(s->v[i - 1].code, s->v[i].code) == 0) {
            *dup = s->v[i].code;
            return;
        }
}

int series_get(const struct series *s, const char *code, int64_t *value)
{
    struct series_value key;
    memset(&key, 0, sizeof(key));
    if (str_copy(key.code, sizeof(key.code), code))
        return 0;
    const struct series_value *v = s->n ? bsearch(&key, s->v, s->n, sizeof(*s->v), cmp) : NULL;
    if (!v)
        return 0;
    *value = v->value;
    return 1;
}

const char *series_kind_name(enum series_kind k)
{
    return k == SERIES_POPULATION ? "population" : "metric";
}

enum err series_check_codes(const struct series *s, const long *lines, const char *path,
                            const struct recipient *kommuner, size_t nk,
                            const struct recipient *regioner, size_t nr, int require_all,
                            struct diag *d)
{
    size_t before = d->total;
    unsigned char *seen_k = calloc(nk ? nk : 1, 1), *seen_r = calloc(nr ? nr : 1, 1);
    long *first_k = calloc(nk ? nk : 1, sizeof(long)), *first_r = calloc(nr ? nr : 1, sizeof(long));
    if (!seen_k || !seen_r || !first_k || !first_r) {
        free(seen_k);
        free(seen_r);
        free(first_k);
        free(first_r);
        return ERR_NOMEM;
    }
    int any_k = 0, any_r = 0;
    size_t first_of_kind = SIZE_MAX; /* a metric's first value: its kind of code */
    for (size_t i = 0; i < s->n; i++) {
        const char *code = s->v[i].code;
        long line = lines ? lines[i] : 0;
        enum role role = org_code_role(code);
        if (s->kind == SERIES_METRIC && role) {
            if (first_of_kind == SIZE_MAX) {
                first_of_kind = i;
            } else if (org_code_role(s->v[first_of_kind].code) != role) {
                diag_add(d, path, line,
                         "'%s' is a %s but line %ld has %s '%s': a metric holds kommuner or "
                         "regioner, not both",
                         code, role == ROLE_REGION ? "länskod" : "kommunkod",
                         lines ? lines[first_of_kind] : 0L,
                         role == ROLE_REGION ? "kommunkod" : "länskod", s->v[first_of_kind].code);
                continue;
            }
        }
        const struct recipient *all = role == ROLE_KOMMUN ? kommuner : regioner;
        size_t n = role == ROLE_KOMMUN ? nk : nr;
        const struct recipient *r = role ? org_find(all, n, code) : NULL;
        if (!r) {
            diag_add(d, path, line, "'%s' matches no %s", code,
                     role == ROLE_REGION ? "region (länskod)" : "kommun (kommunkod)");
            continue;
        }
        size_t idx = (size_t)(r - all);
        unsigned char *seen = role == ROLE_KOMMUN ? seen_k : seen_r;
        long *first = role == ROLE_KOMMUN ? first_k : first_r;
        if (seen[idx]) {
            diag_add(d, path, line, "'%s' appears twice (first on line %ld)", code, first[idx]);
            continue;
        }
        seen[idx] = 1;
        first[idx] = line;
        if (role == ROLE_KOMMUN)
            any_k = 1;
        else
            any_r = 1;
    }
    if (require_all) {
        size_t missing = 0;
        for (size_t i = 0; any_k && i < nk; i++)
            if (!seen_k[i] && missing++ < 10)
                diag_add(d, path, 0, "kommun '%s' (%s) is missing", kommuner[i].code,
                         kommuner[i].name);
        for (size_t i = 0; any_r && i < nr; i++)
            if (!seen_r[i] && missing++ < 10)
                diag_add(d, path, 0, "region '%s' (%s) is missing", regioner[i].code,
                         regioner[i].name);
        if (missing > 10)
            diag_add(d, path, 0, "%zu recipients are missing in all", missing);
        if (!any_k && !any_r && s->n == 0)
            diag_add(d, path, 0, "the file holds no values");
    }
    free(seen_k);
    free(seen_r);
    free(first_k);
    free(first_r);
    return d->total > before ? ERR_INVALID : ERR_OK;
}

enum err series_fill_regions(struct series *s, const struct recipient *kommuner, size_t nk,
                             const struct recipient *regioner, size_t nr)
{
    /* compute every sum before pushing: a push breaks the sort order */
    int64_t *sum = calloc(nr ? nr : 1, sizeof(*sum));
    unsigned char *want = calloc(nr ? nr : 1, 1);
    enum err e = ERR_OK;
    if (!sum || !want) {
        e = ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nr; i++) {
        int64_t v;
        if (series_get(s, regioner[i].code, &v))
            continue;
        /* only when every kommun of the län has a value: a partial sum
         * (a table for some kommuner, population import --only) would be
         * a wrong region value, so the region is left without one */
        int all = 1, any = 0;
        for (size_t k = 0; k < nk; k++) {
            if (strcmp(kommuner[k].lan_code, regioner[i].code) != 0)
                continue;
            if (series_get(s, kommuner[k].code, &v)) {
                sum[i] += v;
                any = 1;
            } else {
                all = 0;
            }
        }
        want[i] = any && all;
    }
    for (size_t i = 0; i < nr && !e; i++)
        if (want[i])
            e = series_push(s, regioner[i].code, sum[i]);
    const char *dup;
    series_sort(s, &dup);
out:
    free(sum);
    free(want);
    return e;
}
