/* org.c - organisations and recipients. */
#include "core/org.h"

#include <stdlib.h>
#include <string.h>

#include "util/str.h"

void org_list_release(struct org_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int cmp_recipient(const void *a, const void *b)
{
    return strcmp(((const struct recipient *)a)->code, ((const struct recipient *)b)->code);
}

enum err org_recipients(const struct org_list *l, enum role role, struct recipient **out, size_t *n)
{
    struct recipient *r = calloc(l->n ? l->n : 1, sizeof(*r));
    if (!r)
        return ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct org *o = &l->v[i];
        if (role == ROLE_KOMMUN && o->kommun_code[0]) {
            str_copy(r[k].code, sizeof(r[k].code), o->kommun_code);
            str_copy(r[k].name, sizeof(r[k].name), o->name);
            str_copy(r[k].official_name, sizeof(r[k].official_name),
                     o->official_name[0] ? o->official_name : o->name);
        } else if (role == ROLE_REGION && o->region_code[0]) {
            str_copy(r[k].code, sizeof(r[k].code), o->region_code);
            str_copy(r[k].name, sizeof(r[k].name), o->region_name[0] ? o->region_name : o->name);
            /* the region's body name is its official name (regioner.csv);
             * Gotland's is "Region Gotland" in both roles */
            str_copy(r[k].official_name, sizeof(r[k].official_name), r[k].name);
        } else {
            continue;
        }
        r[k].role = role;
        str_copy(r[k].lan_code, sizeof(r[k].lan_code), o->lan_code);
        r[k].org = i;
        k++;
    }
    qsort(r, k, sizeof(*r), cmp_recipient);
    *out = r;
    *n = k;
    return ERR_OK;
}

const struct recipient *org_find(const struct recipient *r, size_t n, const char *code)
{
    struct recipient key;
    memset(&key, 0, sizeof(key));
    if (str_copy(key.code, sizeof(key.code), code))
        return NULL;
    return bsearch(&key, r, n, sizeof(*r), cmp_recipient);
}

enum role org_code_role(const char *code)
{
    if (str_is_digits(code, 4))
        return ROLE_KOMMUN;
    if (str_is_digits(code, 2))
        return ROLE_REGION;
    return 0;
}

const char *org_role_name(enum role role)
{
    return role == ROLE_KOMMUN ? "kommun" : role == ROLE_REGION ? "region" : "?";
}

/* Gotland is one organisation with both roles (DESIGN.md, "Recipients"). */
#define GOTLAND_KOMMUN "0980"
#define GOTLAND_REGION "09"

int org_same(const char *a, const char *b)
{
    if (!a || !b || !a[0] || !b[0])
        return 0;
    if (strcmp(a, b) == 0)
        return 1;
    return (strcmp(a, GOTLAND_KOMMUN) == 0 && strcmp(b, GOTLAND_REGION) == 0) ||
           (strcmp(a, GOTLAND_REGION) == 0 && strcmp(b, GOTLAND_KOMMUN) == 0);
}
