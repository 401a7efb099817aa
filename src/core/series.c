/* series.c - value series per recipient code. */
#include "core/series.h"

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
