/* suptrain.c - recognised supervisor training. */
#include "core/suptrain.h"

#include <string.h>

#include "util/str.h"

static const struct {
    unsigned bit;
    const char *id, *sv;
} areas[] = {
    {SUPTRAIN_SUPERVISION, "supervision", "Handledning"},
    {SUPTRAIN_PEDAGOGY, "pedagogy", "Pedagogik"},
    {SUPTRAIN_ASSESSMENT, "assessment", "Bedömningsmetoder"},
    {SUPTRAIN_COMMUNICATION, "communication", "Kommunikation"},
    {SUPTRAIN_ETHICS, "ethics", "Etik"},
};

const char *suptrain_area_id(unsigned area)
{
    for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
        if (areas[i].bit == area)
            return areas[i].id;
    return "";
}

const char *suptrain_area_label_sv(unsigned area)
{
    for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
        if (areas[i].bit == area)
            return areas[i].sv;
    return "";
}

void suptrain_rules_default(struct suptrain_rules *r)
{
    memset(r, 0, sizeof(*r));
    r->areas = SUPTRAIN_ALL_AREAS;
}

static int text_ok(const char *s)
{
    return s[0] && str_text_fits(s, 0, SUPTRAIN_TEXT_MAX_CHARS);
}

size_t suptrain_check(const struct suptrain_rules *r, const struct suptrain_application *a,
                      struct date today, const char **why, size_t max, unsigned *missing_areas)
{
    size_t k = 0;
    const char *found[8];
    unsigned miss = r->areas & ~a->areas & SUPTRAIN_ALL_AREAS;
    if (!a->person[0])
        found[k++] = SUPTRAIN_MSG_PERSON;
    if (!text_ok(a->provider))
        found[k++] = SUPTRAIN_MSG_PROVIDER;
    if (!text_ok(a->course))
        found[k++] = SUPTRAIN_MSG_COURSE;
    if (!date_valid(a->completed_on) || !date_valid(today) || date_cmp(a->completed_on, today) > 0)
        found[k++] = SUPTRAIN_MSG_DATE;
    if (a->hours < 0 || a->hours < r->min_hours)
        found[k++] = SUPTRAIN_MSG_HOURS;
    if (miss)
        found[k++] = SUPTRAIN_MSG_AREAS;
    if (!a->certificate)
        found[k++] = SUPTRAIN_MSG_CERTIFICATE;
    for (size_t i = 0; i < k && i < max; i++)
        why[i] = found[i];
    if (missing_areas)
        *missing_areas = miss;
    return k;
}

enum err suptrain_recognise(const struct suptrain_rules *r, const struct suptrain_application *a,
                            struct date on, struct suptrain_record *out, const char **why)
{
    memset(out, 0, sizeof(*out));
    *why = "";
    if (suptrain_check(r, a, on, why, 1, NULL) > 0)
        return ERR_INVALID;
    memcpy(out->person, a->person, sizeof(out->person));
    out->person[sizeof(out->person) - 1] = '\0';
    out->completed_on = a->completed_on;
    out->recognised_on = on;
    out->areas = a->areas & SUPTRAIN_ALL_AREAS;
    out->hours = a->hours;
    return ERR_OK;
}

const struct suptrain_record *suptrain_find(const struct suptrain_rules *r,
                                            const struct suptrain_record *recs, size_t n,
                                            const char *person, struct date on)
{
    const struct suptrain_record *best = NULL;
    if (!person || !person[0])
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const struct suptrain_record *x = &recs[i];
        if (strcmp(x->person, person) != 0 || !date_valid(x->recognised_on) ||
            date_cmp(x->recognised_on, on) > 0 || (r->areas & ~x->areas & SUPTRAIN_ALL_AREAS))
            continue;
        if (r->valid_years > 0) {
            struct date until = x->completed_on;
            until.y += r->valid_years;
            if (until.m == 2 && until.d == 29)
                until.d = 28 + ((until.y % 4 == 0 && until.y % 100 != 0) || until.y % 400 == 0);
            if (date_cmp(on, until) >= 0)
                continue;
        }
        if (!best || date_cmp(x->completed_on, best->completed_on) > 0)
            best = x;
    }
    return best;
}
