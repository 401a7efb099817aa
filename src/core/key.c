/* key.c - apply program keys to recipients and data; redistribution;
 * structural validation of programs. */
#include "core/key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/money.h"
#include "util/str.h"

static const char *pfile(const struct program *p)
{
    return p->source_file[0] ? p->source_file : "program";
}

void allocation_release(struct allocation *a)
{
    for (size_t i = 0; i < a->nblocks; i++)
        free(a->blocks[i].lines);
    free(a->blocks);
    memset(a, 0, sizeof(*a));
}

const struct alloc_line *key_line(const struct block_result *br, const char *code)
{
    size_t lo = 0, hi = br->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(br->lines[mid].r.code, code);
        if (c == 0)
            return &br->lines[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Choose the recipients of block b into br->lines. */
static enum err block_recipients(const struct program *p, const struct block *b,
                                 const struct key_data *kd, struct block_result *br, struct diag *d)
{
    const struct recipient *all = b->role == ROLE_KOMMUN ? kd->kommuner : kd->regioner;
    size_t nall = b->role == ROLE_KOMMUN ? kd->nkommuner : kd->nregioner;
    enum err e = ERR_OK;
    for (size_t i = 0; i < b->list.n; i++)
        if (!org_find(all, nall, b->list.code[i])) {
            diag_add(d, pfile(p), b->line, "block '%s': '%s' is not a %s", b->id, b->list.code[i],
                     org_role_name(b->role));
            e = ERR_INVALID;
        }
    for (size_t i = 0; i < b->exclude.n; i++)
        if (!org_find(all, nall, b->exclude.code[i])) {
            diag_add(d, pfile(p), b->exclude_line, "block '%s': excluded '%s' is not a %s", b->id,
                     b->exclude.code[i], org_role_name(b->role));
            e = ERR_INVALID;
        }
    for (size_t i = 0; i < b->eligible.n; i++)
        if (!org_find(all, nall, b->eligible.code[i])) {
            diag_add(d, pfile(p), b->eligible_line, "block '%s': eligible '%s' is not a %s", b->id,
                     b->eligible.code[i], org_role_name(b->role));
            e = ERR_INVALID;
        }
    if (e)
        return e;
    br->lines = calloc(nall ? nall : 1, sizeof(*br->lines));
    if (!br->lines)
        return ERR_NOMEM;
    for (size_t i = 0; i < nall; i++) {
        if (b->list.n && !code_list_has(&b->list, all[i].code))
            continue;
        struct alloc_line *l = &br->lines[br->n++];
        l->r = all[i];
        l->excluded = code_list_has(&b->exclude, all[i].code);
    }
    if (br->n == 0) {
        diag_add(d, pfile(p), b->line, "block '%s' has no recipients", b->id);
        return ERR_INVALID;
    }
    return ERR_OK;
}

static const struct series *block_population(const struct program *p, const struct block *b,
                                             const struct key_data *kd, struct block_result *br,
                                             struct diag *d)
{
    const struct series *s = kd->population ? kd->population(kd->ctx, b->pop_date) : NULL;
    char ds[16];
    date_fmt(ds, sizeof(ds), b->pop_date);
    if (s) {
        br->pop_used = b->pop_date;
        return s;
    }
    if (date_is_set(b->pop_fallback) && kd->population) {
        s = kd->population(kd->ctx, b->pop_fallback);
        if (s) {
            br->pop_used = b->pop_fallback;
            br->pop_fallback = 1;
            return s;
        }
    }
    diag_add(d, pfile(p), b->pop_line,
             "block '%s': population at %s has not been imported (bidrag population import)", b->id,
             ds);
    return NULL;
}

static enum err block_compute(const struct program *p, const struct block *b,
                              const struct key_data *kd, struct block_result *br, struct diag *d)
{
    memset(br, 0, sizeof(*br));
    br->b = b;
    enum err e = block_recipients(p, b, kd, br, d);
    if (e)
        return e;

    const struct series *pop = NULL, *met = NULL, *tab = NULL, *elig = NULL;
    if (b->key == KEY_POPULATION || b->key == KEY_METRIC_PER_100K) {
        pop = block_population(p, b, kd, br, d);
        if (!pop)
            e = ERR_NOTFOUND;
    }
    if (b->key == KEY_METRIC || b->key == KEY_METRIC_PER_100K) {
        met = kd->metric ? kd->metric(kd->ctx, b->metric) : NULL;
        if (!met) {
            diag_add(d, pfile(p), b->metric_line,
                     "block '%s': metric '%s' has not been imported (bidrag metric import)", b->id,
                     b->metric);
            e = ERR_NOTFOUND;
        } else if (met->illustrative) {
            br->illustrative = 1;
        }
    }
    if (b->key == KEY_TABLE) {
        tab = kd->table ? kd->table(kd->ctx, b->table) : NULL;
        if (!tab) {
            diag_add(d, pfile(p), b->table_line, "block '%s': key table '%s' is not available",
                     b->id, b->table);
            e = ERR_NOTFOUND;
        } else if (tab->illustrative) {
            br->illustrative = 1;
        }
    }
    if (b->eligible_metric[0]) {
        elig = kd->metric ? kd->metric(kd->ctx, b->eligible_metric) : NULL;
        if (!elig) {
            diag_add(d, pfile(p), b->eligible_line,
                     "block '%s': metric '%s' (eligibility) has not been imported", b->id,
                     b->eligible_metric);
            e = ERR_NOTFOUND;
        } else if (elig->illustrative) {
            br->illustrative = 1;
        }
    }
    if (e)
        return e;

    /* eligibility, weights and fixed parts */
    size_t neligible = 0, nfixed = 0;
    for (size_t i = 0; i < br->n; i++) {
        struct alloc_line *l = &br->lines[i];
        const char *code = l->r.code;
        int64_t v = 0;
        l->eligible = !l->excluded;
        if (l->eligible && elig)
            l->eligible = series_get(elig, code, &v) && v > 0;
        if (l->eligible && b->eligible.n)
            l->eligible = code_list_has(&b->eligible, code);
        if (l->eligible)
            neligible++;
        /* AMONG_ALL: the non-eligible take part in the computation and
         * forfeit what they would have had */
        int takes_part = l->eligible || (!l->excluded && b->among == AMONG_ALL);
        l->forfeited = takes_part && !l->eligible;
        if (!takes_part)
            continue;
        nfixed++;
        l->fixed_kr = b->fixed_kr;
        switch (b->key) {
        case KEY_EQUAL:
        case KEY_NONE:
            l->weight = 1;
            break;
        case KEY_POPULATION:
            if (!series_get(pop, code, &l->pop)) {
                diag_add(d, pfile(p), b->pop_line, "block '%s': no population for '%s'", b->id,
                         code);
                e = ERR_INVALID;
            }
            l->weight = l->pop;
            break;
        case KEY_METRIC:
            if (!series_get(met, code, &l->metric))
                l->metric = 0;
            if (l->metric < 0) {
                diag_add(d, pfile(p), b->metric_line,
                         "block '%s': metric '%s' is negative for '%s'", b->id, b->metric, code);
                e = ERR_INVALID;
            }
            l->weight = l->metric;
            break;
        case KEY_METRIC_PER_100K:
            if (!series_get(met, code, &l->metric))
                l->metric = 0;
            if (!series_get(pop, code, &l->pop) || l->pop <= 0) {
                diag_add(d, pfile(p), b->pop_line, "block '%s': no population for '%s'", b->id,
                         code);
                e = ERR_INVALID;
                break;
            }
            if (l->metric < 0 || l->metric > INT64_C(90000)) {
                diag_add(d, pfile(p), b->metric_line,
                         "block '%s': metric '%s' for '%s' is out of range (0-90000)", b->id,
                         b->metric, code);
                e = ERR_INVALID;
                break;
            }
            l->weight = (int64_t)((__int128)l->metric * 100000 * KEY_RATE_SCALE / l->pop);
            break;
        case KEY_TABLE:
            if (!series_get(tab, code, &l->metric)) {
                diag_add(d, pfile(p), b->table_line,
                         "block '%s': key table '%s' has no amount for '%s'", b->id, b->table,
                         code);
                e = ERR_INVALID;
            }
            l->weight = l->metric;
            break;
        }
        l->item.weight = l->weight;
        l->item.eligible = 1;
    }
    if (e)
        return e;
    if (neligible == 0) {
        diag_add(d, pfile(p), b->eligible_line ? b->eligible_line : b->line,
                 "block '%s' has no eligible recipient", b->id);
        return ERR_INVALID;
    }
    if (b->fixed_kr > 0 && (int64_t)nfixed > b->amount_kr / b->fixed_kr) {
        char f[32], a[32];
        money_fmt_kr(f, sizeof(f), b->fixed_kr);
        money_fmt_kr(a, sizeof(a), b->amount_kr);
        diag_add(d, pfile(p), b->fixed_line,
                 "block '%s': fixed part %s kr × %zu recipients is larger than the block (%s kr)",
                 b->id, f, nfixed, a);
        return ERR_INVALID;
    }
    br->fixed_total_kr = b->fixed_kr * (int64_t)nfixed;
    br->pot_kr = b->amount_kr - br->fixed_total_kr;
    if (b->key == KEY_NONE && br->pot_kr != 0) {
        char a[32];
        money_fmt_kr(a, sizeof(a), br->pot_kr);
        diag_add(d, pfile(p), b->line, "block '%s': %s kr left after fixed parts but no key", b->id,
                 a);
        return ERR_INVALID;
    }
    if (b->key == KEY_TABLE) {
        int64_t sum = 0;
        for (size_t i = 0; i < br->n; i++)
            if (br->lines[i].item.eligible)
                sum += br->lines[i].weight;
        if (sum != br->pot_kr) {
            char s1[32], s2[32];
            money_fmt_kr(s1, sizeof(s1), sum);
            money_fmt_kr(s2, sizeof(s2), br->pot_kr);
            diag_add(d, pfile(p), b->table_line,
                     "block '%s': key table '%s' adds up to %s kr, the block to %s kr", b->id,
                     b->table, s1, s2);
            return ERR_INVALID;
        }
    }

    /* the split: one alloc_item per line, in code order */
    struct alloc_item *items = calloc(br->n, sizeof(*items));
    if (!items)
        return ERR_NOMEM;
    for (size_t i = 0; i < br->n; i++)
        items[i] = br->lines[i].item;
    struct alloc_result res;
    e = alloc_split(br->pot_kr, items, br->n, &res);
    if (e == ERR_INVALID) {
        diag_add(d, pfile(p), b->key_line ? b->key_line : b->line,
                 "block '%s': no eligible recipient has any weight in the key", b->id);
    } else if (e == ERR_LIMIT) {
        diag_add(d, pfile(p), b->key_line, "block '%s': the weights are too large", b->id);
    }
    if (e) {
        free(items);
        return e;
    }
    br->total_weight = res.total_weight;
    br->leftover_kr = res.leftover;
    for (size_t i = 0; i < br->n; i++) {
        struct alloc_line *l = &br->lines[i];
        l->item = items[i];
        int64_t amt = l->item.eligible ? l->fixed_kr + l->item.share : 0;
        if (l->forfeited) {
            br->forfeited_kr += amt;
            l->amount_kr = 0;
        } else {
            l->amount_kr = amt;
            br->allocated_kr += amt;
        }
    }
    free(items);
    return ERR_OK;
}

enum err key_allocate(const struct program *p, const struct key_data *kd, struct allocation *out,
                      struct diag *d)
{
    memset(out, 0, sizeof(*out));
    out->p = p;
    out->blocks = calloc(p->nblocks ? p->nblocks : 1, sizeof(*out->blocks));
    if (!out->blocks)
        return ERR_NOMEM;
    out->nblocks = p->nblocks;
    enum err first = ERR_OK;
    for (size_t i = 0; i < p->nblocks; i++) {
        enum err e = block_compute(p, &p->blocks[i], kd, &out->blocks[i], d);
        if (e && !first)
            first = e;
        out->total_kr += out->blocks[i].allocated_kr;
        out->forfeited_kr += out->blocks[i].forfeited_kr;
    }
    return first;
}

enum err program_validate(const struct program *p, struct diag *d)
{
    size_t before = d->total;
    const char *f = pfile(p);
    if (!p->id[0])
        diag_add(d, f, 0, "[program] has no 'id'");
    if (!p->title[0])
        diag_add(d, f, 0, "[program] has no 'title'");
    if (!p->diarienummer[0])
        diag_add(d, f, 0, "[program] has no 'diarienummer'");
    if (p->total_kr <= 0)
        diag_add(d, f, p->total_line, "[program] has no positive 'total'");
    if (p->nblocks == 0)
        diag_add(d, f, 0, "the program has no [block ...] section");
    int64_t sum = 0;
    for (size_t i = 0; i < p->nblocks; i++) {
        const struct block *b = &p->blocks[i];
        sum += b->amount_kr;
        if (b->amount_kr <= 0)
            diag_add(d, f, b->line, "block '%s' has no positive 'amount'", b->id);
        if (!b->role)
            diag_add(d, f, b->line, "block '%s' has no 'recipients'", b->id);
        if (b->key == KEY_NONE && b->fixed_kr == 0)
            diag_add(d, f, b->line, "block '%s' has no 'key'", b->id);
        if (b->fixed_kr < 0)
            diag_add(d, f, b->fixed_line, "block '%s': 'fixed' is negative", b->id);
        if (b->fixed_kr > b->amount_kr && b->amount_kr > 0)
            diag_add(d, f, b->fixed_line, "block '%s': fixed part is larger than the block", b->id);
        if ((b->key == KEY_POPULATION || b->key == KEY_METRIC_PER_100K) &&
            !date_is_set(b->pop_date))
            diag_add(d, f, b->key_line, "block '%s': key '%s' needs 'population_date'", b->id,
                     key_kind_name(b->key));
        if ((b->key == KEY_METRIC || b->key == KEY_METRIC_PER_100K) && !b->metric[0])
            diag_add(d, f, b->key_line, "block '%s': key '%s' needs 'metric'", b->id,
                     key_kind_name(b->key));
        if (b->key == KEY_TABLE && !b->table[0])
            diag_add(d, f, b->key_line, "block '%s': key 'table' needs 'table'", b->id);
        if (b->key == KEY_TABLE && b->fixed_kr)
            diag_add(d, f, b->fixed_line, "block '%s': a table key cannot have a fixed part",
                     b->id);
        if (b->among == AMONG_ALL && !b->eligible_metric[0] && !b->eligible.n)
            diag_add(d, f, b->among_line,
                     "block '%s': 'among = all' needs an eligibility rule ('eligible')", b->id);
        if (p->napprop && !b->nfund)
            diag_add(d, f, b->line,
                     "block '%s' names no appropriation item that funds it ('appropriation')",
                     b->id);
        int64_t funded = 0;
        for (size_t j = 0; j < b->nfund; j++) {
            int found = 0;
            for (size_t k = 0; k < p->napprop; k++)
                found |= strcmp(p->approp[k].id, b->fund[j].id) == 0;
            if (!found)
                diag_add(d, f, b->appropriation_line, "block '%s': no [appropriation %s] section",
                         b->id, b->fund[j].id);
            funded += b->fund[j].amount_kr ? b->fund[j].amount_kr : b->amount_kr;
        }
        if (b->nfund && b->amount_kr > 0 && funded != b->amount_kr) {
            char a[32], t[32];
            money_fmt_kr(a, sizeof(a), funded);
            money_fmt_kr(t, sizeof(t), b->amount_kr);
            diag_add(d, f, b->appropriation_line,
                     "block '%s': its appropriation items give %s kr but the block is %s kr", b->id,
                     a, t);
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(p->blocks[k].id, b->id) == 0)
                diag_add(d, f, b->line, "block '%s' is defined twice", b->id);
    }
    if (p->nblocks && p->total_kr > 0 && sum != p->total_kr) {
        char a[32], t[32];
        money_fmt_kr(a, sizeof(a), sum);
        money_fmt_kr(t, sizeof(t), p->total_kr);
        diag_add(d, f, p->total_line, "the blocks add up to %s kr but the total is %s kr", a, t);
    }
    if (p->napprop) {
        int64_t as = 0;
        for (size_t k = 0; k < p->napprop; k++)
            as += p->approp[k].amount_kr;
        if (as != p->total_kr + p->own_cost_cap_kr) {
            char a[32], t[32];
            money_fmt_kr(a, sizeof(a), as);
            money_fmt_kr(t, sizeof(t), p->total_kr + p->own_cost_cap_kr);
            diag_add(d, f, p->approp[0].line,
                     "the appropriation items add up to %s kr but total + own_cost_cap is %s kr", a,
                     t);
        }
    }
    if (p->napprop) {
        int own_found = !p->own_cost_appropriation[0];
        if (p->own_cost_cap_kr > 0 && !p->own_cost_appropriation[0])
            diag_add(d, f, p->approp[0].line,
                     "[program] has appropriation items and an own cost cap but no "
                     "'own_cost_appropriation' (the item the agency's own costs use)");
        for (size_t k = 0; k < p->napprop; k++) {
            const struct appropriation *ap = &p->approp[k];
            int64_t used = 0;
            if (p->own_cost_appropriation[0] && !strcmp(p->own_cost_appropriation, ap->id)) {
                used += p->own_cost_cap_kr;
                own_found = 1;
            }
            for (size_t i = 0; i < p->nblocks; i++)
                for (size_t j = 0; j < p->blocks[i].nfund; j++)
                    if (!strcmp(p->blocks[i].fund[j].id, ap->id))
                        used += p->blocks[i].fund[j].amount_kr ? p->blocks[i].fund[j].amount_kr
                                                               : p->blocks[i].amount_kr;
            if ((p->own_cost_appropriation[0] || p->own_cost_cap_kr == 0) &&
                used != ap->amount_kr) {
                char a[32], t[32];
                money_fmt_kr(a, sizeof(a), used);
                money_fmt_kr(t, sizeof(t), ap->amount_kr);
                diag_add(d, f, ap->line,
                         "[appropriation %s] is %s kr but the blocks and own costs it funds "
                         "use %s kr",
                         ap->id, t, a);
            }
        }
        if (!own_found)
            diag_add(d, f, p->own_cost_appropriation_line,
                     "'own_cost_appropriation': no [appropriation %s] section",
                     p->own_cost_appropriation);
    }
    if (p->redistribution == PROG_REDIST_YES && !date_is_set(p->redistribution_date))
        diag_add(d, f, p->redistribution_line,
                 "'redistribution = yes' needs 'redistribution_date'");
    if (p->redistribution != PROG_REDIST_YES && date_is_set(p->redistribution_date))
        diag_add(d, f, p->redistribution_line,
                 "'redistribution_date' is given but the decision provides no redistribution "
                 "('redistribution = no')");
    if (p->appeal == PROG_APPEAL_NONE && !p->appeal_basis[0])
        diag_add(d, f, p->appeal_line,
                 "'appeal = none' needs 'appeal_basis' (the provision that bars appeal)");
    struct {
        struct date a, b;
        const char *na, *nb;
    } order[] = {
        {p->redistribution_date, p->kammarkollegiet_requisition, "redistribution_date",
         "kammarkollegiet_requisition"},
        {p->requisition_closes, p->kammarkollegiet_requisition, "requisition_closes",
         "kammarkollegiet_requisition"},
        {p->requisition_opens, p->requisition_closes, "requisition_opens", "requisition_closes"},
        {p->requisition_closes, p->redistribution_date, "requisition_closes",
         "redistribution_date"},
        {p->interim_report, p->final_report, "interim_report", "final_report"},
    };
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
        if (date_is_set(order[k].a) && date_is_set(order[k].b) &&
            date_cmp(order[k].a, order[k].b) > 0)
            diag_add(d, f, 0, "'%s' is after '%s'", order[k].na, order[k].nb);
    return d->total > before ? ERR_INVALID : ERR_OK;
}

void key_weight_add(struct key_weight *w, size_t *n, const char *file, long line, const char *code,
                    const char *weight, struct diag *d)
{
    struct key_weight *k = &w[*n];
    memset(k, 0, sizeof(*k));
    if (!code[0] || str_copy(k->code, sizeof(k->code), code)) {
        diag_add(d, file, line, "code '%s' is empty or longer than 15 bytes", code);
        return;
    }
    if (money_parse_kr(weight, &k->weight) || k->weight < 0 || strstr(weight, "kr")) {
        diag_add(d, file, line, "weight '%s' for '%s' is not a whole number >= 0", weight, code);
        return;
    }
    k->line = line;
    (*n)++;
}

static int cmp_weight(const void *a, const void *b)
{
    return strcmp(((const struct key_weight *)a)->code, ((const struct key_weight *)b)->code);
}

void key_weights_check(struct key_weight *w, size_t n, const char *file, const char *exclude,
                       struct diag *d)
{
    if (n)
        qsort(w, n, sizeof(*w), cmp_weight);
    for (size_t i = 1; i < n; i++)
        if (!strcmp(w[i].code, w[i - 1].code))
            diag_add(d, file, w[i].line, "'%s' appears twice (also on line %ld)", w[i].code,
                     w[i - 1].line);
    if (n == 0)
        diag_add(d, file, 0, "the file holds no weights");
    for (const char *p = exclude; p && *p;) {
        size_t len = strcspn(p, ",");
        const char *s = p, *e = p + len;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        int found = 0;
        for (size_t i = 0; i < n; i++)
            if (strlen(w[i].code) == (size_t)(e - s) && !strncmp(w[i].code, s, (size_t)(e - s))) {
                w[i].excluded = 1;
                found = 1;
            }
        if (!found)
            diag_add(d, NULL, 0, "--exclude: '%.*s' is not in %s", (int)(e - s > 64 ? 64 : e - s),
                     s, file);
        p = p[len] ? p + len + 1 : p + len;
    }
}
