/* guideline.c - guideline values and their gaps, in exact integers. */
#include "core/guideline.h"

#include <string.h>

static const struct guideline_value defaults[] = {
    {"gp-specialist",
     "",
     GUIDELINE_RATIO,
     1100,
     1000,
     "invånare per heltidsarbetande specialist i allmänmedicin (fast läkarkontakt)",
     "folkbokförda invånare",
     "Socialstyrelsen 2022-04-28, Nationellt riktvärde för fast läkarkontakt i primärvården",
     {2022, 4, 28}},
    {"st-general-practice",
     "",
     GUIDELINE_RATIO,
     550,
     1000,
     "invånare per ST-läkare i allmänmedicin (heltid)",
     "folkbokförda invånare",
     "Socialstyrelsen 2022-04-28, Nationellt riktvärde för fast läkarkontakt i primärvården",
     {2022, 4, 28}},
};

const struct guideline_value *guideline_defaults(size_t *n)
{
    *n = sizeof(defaults) / sizeof(defaults[0]);
    return defaults;
}

int64_t guideline_div_round(__int128 num, __int128 den)
{
    int neg = num < 0;
    __int128 a = neg ? -num : num;
    /* an exact half occurs only for an even den, where den / 2 is it */
    __int128 q = (a + den / 2) / den;
    return (int64_t)(neg ? -q : q);
}

int64_t guideline_required_mfte(int64_t population, int64_t inhabitants, int64_t fte_milli)
{
    if (population < 0 || population > GUIDELINE_MAX_POPULATION || inhabitants <= 0 ||
        inhabitants > GUIDELINE_MAX_INHABITANTS || fte_milli <= 0 ||
        fte_milli > GUIDELINE_MAX_FTE_MILLI)
        return -1;
    return guideline_div_round((__int128)population * fte_milli, inhabitants);
}

static int code_ok(const char *s, size_t max, int digits_only)
{
    size_t n = strnlen(s, max);
    if (n == 0 || n == max)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok = (c >= '0' && c <= '9') || (!digits_only && ((c >= 'a' && c <= 'z') || c == '-'));
        if (!ok)
            return 0;
    }
    return 1;
}

static int text_set(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    return n > 0 && n < max;
}

enum err guideline_check(const struct guideline_value *v, size_t n, struct diag *d)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        const struct guideline_value *g = &v[i];
        size_t before = d->total;
        if (!code_ok(g->group, sizeof(g->group), 0)) {
            diag_add(d, NULL, 0, "guideline value %zu: group '%.*s' must be 1-31 of a-z, 0-9, -",
                     i + 1, (int)strnlen(g->group, sizeof(g->group)), g->group);
            bad++;
            continue; /* the other messages name the group */
        }
        size_t rn = strnlen(g->region, sizeof(g->region));
        if (rn == sizeof(g->region) || (rn > 0 && !code_ok(g->region, sizeof(g->region), 1)))
            diag_add(d, NULL, 0,
                     "guideline value %zu: region '%.*s' of '%s' must be digits or empty", i + 1,
                     (int)rn, g->region, g->group);
        if (g->kind == GUIDELINE_RATIO) {
            if (g->inhabitants <= 0 || g->inhabitants > GUIDELINE_MAX_INHABITANTS)
                diag_add(d, NULL, 0, "guideline value %zu: inhabitants %lld of '%s' must be 1-%lld",
                         i + 1, (long long)g->inhabitants, g->group,
                         (long long)GUIDELINE_MAX_INHABITANTS);
            if (g->fte_milli <= 0 || g->fte_milli > GUIDELINE_MAX_FTE_MILLI)
                diag_add(d, NULL, 0, "guideline value %zu: fte_milli %lld of '%s' must be 1-%lld",
                         i + 1, (long long)g->fte_milli, g->group,
                         (long long)GUIDELINE_MAX_FTE_MILLI);
        } else if (g->kind == GUIDELINE_COUNT) {
            if (g->fte_milli < 0 || g->fte_milli > GUIDELINE_MAX_FTE_MILLI)
                diag_add(d, NULL, 0,
                         "guideline value %zu: count %lld of '%s' must be 0-%lld thousandths",
                         i + 1, (long long)g->fte_milli, g->group,
                         (long long)GUIDELINE_MAX_FTE_MILLI);
            if (g->inhabitants != 0)
                diag_add(d, NULL, 0,
                         "guideline value %zu: count value '%s' must not give inhabitants", i + 1,
                         g->group);
        } else {
            diag_add(d, NULL, 0, "guideline value %zu: kind %d of '%s' is neither ratio nor count",
                     i + 1, (int)g->kind, g->group);
        }
        if (!text_set(g->unit, sizeof(g->unit)))
            diag_add(d, NULL, 0, "guideline value %zu: '%s' has no unit", i + 1, g->group);
        if (!text_set(g->basis, sizeof(g->basis)))
            diag_add(d, NULL, 0, "guideline value %zu: '%s' has no population basis", i + 1,
                     g->group);
        if (!text_set(g->source, sizeof(g->source)))
            diag_add(d, NULL, 0, "guideline value %zu: '%s' has no source", i + 1, g->group);
        if (!date_valid(g->valid_from))
            diag_add(d, NULL, 0,
                     "guideline value %zu: valid-from %d-%02d-%02d of '%s' is not a date", i + 1,
                     g->valid_from.y, g->valid_from.m, g->valid_from.d, g->group);
        for (size_t j = 0; j < i; j++) {
            const struct guideline_value *h = &v[j];
            if (strncmp(h->group, g->group, sizeof(g->group)) == 0 &&
                strncmp(h->region, g->region, sizeof(g->region)) == 0 &&
                date_cmp(h->valid_from, g->valid_from) == 0) {
                diag_add(d, NULL, 0,
                         "guideline value %zu: '%s'%s%.*s valid from %d-%02d-%02d is also "
                         "value %zu",
                         i + 1, g->group, rn ? " of region " : "", (int)rn, g->region,
                         g->valid_from.y, g->valid_from.m, g->valid_from.d, j + 1);
                break;
            }
        }
        if (d->total != before)
            bad++;
    }
    return bad ? ERR_INVALID : ERR_OK;
}

/* The latest version of (group, region) valid on `on`, or NULL. */
static const struct guideline_value *latest(const struct guideline_value *v, size_t n,
                                            const char *group, const char *region, struct date on)
{
    const struct guideline_value *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(v[i].group, group, sizeof(v[i].group)) != 0 ||
            strncmp(v[i].region, region, sizeof(v[i].region)) != 0)
            continue;
        if (date_cmp(v[i].valid_from, on) > 0)
            continue;
        if (!best || date_cmp(v[i].valid_from, best->valid_from) > 0)
            best = &v[i];
    }
    return best;
}

enum err guideline_find(const struct guideline_value *v, size_t n, const char *group,
                        const char *region, struct date on, const struct guideline_value **out)
{
    const struct guideline_value *g = NULL;
    *out = NULL;
    if (region && region[0])
        g = latest(v, n, group, region, on);
    if (!g)
        g = latest(v, n, group, "", on);
    if (!g)
        return ERR_NOTFOUND;
    *out = g;
    return ERR_OK;
}

static int64_t per100k(int64_t mfte, int64_t population)
{
    if (population <= 0)
        return -1;
    return guideline_div_round((__int128)mfte * 100000, population);
}

static int64_t persons(int64_t shortfall_mfte, int64_t fte_per_person_milli)
{
    return guideline_div_round(shortfall_mfte, fte_per_person_milli);
}

enum err guideline_gap(const struct guideline_value *v, size_t nv, const char *group,
                       struct date on, const struct guideline_region *in, size_t n,
                       const struct guideline_opts *o, struct guideline_gap_row *rows,
                       struct guideline_gap_row *national, struct diag *d)
{
    enum err e = ERR_OK;
    size_t before = d->total;
    __int128 total_pop = 0, total_weight = 0;

    memset(national, 0, sizeof(*national));
    national->code = "";
    if (n > GUIDELINE_MAX_REGIONS) {
        diag_add(d, NULL, 0, "%zu regions are more than %d", n, GUIDELINE_MAX_REGIONS);
        e = ERR_INVALID;
        goto out;
    }
    if (o->fte_per_person_milli <= 0 || o->fte_per_person_milli > 2000)
        diag_add(d, NULL, 0, "mean fte per person %lld thousandths is not 1-2000",
                 (long long)o->fte_per_person_milli);
    for (size_t i = 0; i < n; i++) {
        const struct guideline_region *r = &in[i];
        const char *code = r->code ? r->code : "";
        if (r->population < 0 || r->population > GUIDELINE_MAX_POPULATION)
            diag_add(d, NULL, 0, "population %lld of region '%s' is not 0-%lld",
                     (long long)r->population, code, (long long)GUIDELINE_MAX_POPULATION);
        if (r->actual_mfte < 0 || r->actual_mfte > GUIDELINE_MAX_FTE_MILLI)
            diag_add(d, NULL, 0, "actual fte %lld thousandths of region '%s' is not 0-%lld",
                     (long long)r->actual_mfte, code, (long long)GUIDELINE_MAX_FTE_MILLI);
        if (r->fte_per_person_milli < 0 || r->fte_per_person_milli > 2000)
            diag_add(d, NULL, 0,
                     "mean fte per person %lld thousandths of region '%s' is not 0-2000",
                     (long long)r->fte_per_person_milli, code);
        if (o->weight_by_need && (r->need_index <= 0 || r->need_index > GUIDELINE_MAX_NEED))
            diag_add(d, NULL, 0, "need index %lld of region '%s' is not 1-%lld thousandths",
                     (long long)r->need_index, code, (long long)GUIDELINE_MAX_NEED);
    }
    if (d->total != before) {
        e = ERR_INVALID;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        total_pop += in[i].population;
        total_weight += (__int128)in[i].population * (o->weight_by_need ? in[i].need_index : 1);
    }

    size_t with_value = 0;
    const struct guideline_value *common = NULL;
    int same_value = 1;
    for (size_t i = 0; i < n; i++) {
        const struct guideline_region *r = &in[i];
        struct guideline_gap_row *w = &rows[i];
        const struct guideline_value *g = NULL;
        memset(w, 0, sizeof(*w));
        w->code = r->code ? r->code : "";
        w->population = r->population;
        w->weighted_population = r->population;
        w->actual_mfte = r->actual_mfte;
        if (o->weight_by_need && total_weight > 0)
            w->weighted_population = guideline_div_round(
                (__int128)r->population * r->need_index * total_pop, total_weight);
        if (guideline_find(v, nv, group, w->code, on, &g) == ERR_OK) {
            if (g->kind == GUIDELINE_COUNT && g->region[0]) {
                w->has_required = 1;
                w->required_mfte = g->fte_milli;
            } else if (g->kind == GUIDELINE_RATIO) {
                w->has_required = 1;
                if (o->weight_by_need && total_weight > 0)
                    w->required_mfte = guideline_div_round((__int128)r->population * r->need_index *
                                                               total_pop * g->fte_milli,
                                                           total_weight * g->inhabitants);
                else
                    w->required_mfte =
                        guideline_div_round((__int128)r->population * g->fte_milli, g->inhabitants);
            }
        }
        if (w->has_required) {
            w->value = g;
            with_value++;
            if (!common)
                common = g;
            else if (common != g)
                same_value = 0;
        }
        int64_t per_person =
            r->fte_per_person_milli ? r->fte_per_person_milli : o->fte_per_person_milli;
        w->shortfall_mfte = w->required_mfte - w->actual_mfte;
        w->shortfall_persons = w->has_required ? persons(w->shortfall_mfte, per_person) : 0;
        w->inhabitants_per_fte =
            w->actual_mfte > 0 ? guideline_div_round((__int128)w->population * 1000, w->actual_mfte)
                               : -1;
        w->required_per100k_mfte = w->has_required ? per100k(w->required_mfte, w->population) : -1;
        w->actual_per100k_mfte = per100k(w->actual_mfte, w->population);
        national->population += w->population;
        national->weighted_population += w->weighted_population;
        national->actual_mfte += w->actual_mfte;
        national->required_mfte += w->required_mfte;
        national->shortfall_persons += w->shortfall_persons;
    }
    if (with_value == n && n > 0) {
        national->has_required = 1;
        national->value = same_value ? common : NULL;
    } else {
        const struct guideline_value *g = latest(v, nv, group, "", on);
        national->required_mfte = 0;
        national->shortfall_persons = 0;
        if (g && g->kind == GUIDELINE_COUNT) {
            national->has_required = 1;
            national->value = g;
            national->required_mfte = g->fte_milli;
            national->shortfall_persons =
                persons(g->fte_milli - national->actual_mfte, o->fte_per_person_milli);
        }
    }
    if (with_value == 0 && !national->has_required) {
        diag_add(d, NULL, 0, "no guideline value for '%s' in force on %d-%02d-%02d", group, on.y,
                 on.m, on.d);
        e = ERR_NOTFOUND;
        goto out;
    }
    /* the weighted populations are rounded one by one: the national row
     * shows the true total */
    national->weighted_population = national->population;
    national->shortfall_mfte =
        national->has_required ? national->required_mfte - national->actual_mfte : 0;
    national->inhabitants_per_fte =
        national->actual_mfte > 0
            ? guideline_div_round((__int128)national->population * 1000, national->actual_mfte)
            : -1;
    national->required_per100k_mfte =
        national->has_required ? per100k(national->required_mfte, national->population) : -1;
    national->actual_per100k_mfte = per100k(national->actual_mfte, national->population);
out:
    return e;
}
