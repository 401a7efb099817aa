/* program.c - program structure helpers. */
#include "core/program.h"

#include <stdlib.h>
#include <string.h>

#include "util/str.h"

void program_init(struct program *p)
{
    memset(p, 0, sizeof(*p));
}

void code_list_release(struct code_list *l)
{
    free(l->code);
    l->code = NULL;
    l->n = 0;
}

void program_release(struct program *p)
{
    for (size_t i = 0; i < p->nblocks; i++) {
        code_list_release(&p->blocks[i].list);
        code_list_release(&p->blocks[i].eligible);
        code_list_release(&p->blocks[i].exclude);
    }
    free(p->blocks);
    free(p->approp);
    free(p->purposes);
    program_init(p);
}

const char *key_kind_name(enum key_kind k)
{
    switch (k) {
    case KEY_EQUAL:
        return "equal";
    case KEY_POPULATION:
        return "population";
    case KEY_METRIC:
        return "metric";
    case KEY_METRIC_PER_100K:
        return "metric_per_100k";
    case KEY_TABLE:
        return "table";
    case KEY_NONE:
        break;
    }
    return "none";
}

const char *key_kind_label_sv(enum key_kind k)
{
    switch (k) {
    case KEY_EQUAL:
        return "lika delning";
    case KEY_POPULATION:
        return "befolkning";
    case KEY_METRIC:
        return "mått";
    case KEY_METRIC_PER_100K:
        return "mått per 100 000 invånare";
    case KEY_TABLE:
        return "regeringens tabell";
    case KEY_NONE:
        break;
    }
    return "endast fasta belopp";
}

enum key_kind key_kind_parse(const char *s)
{
    static const enum key_kind all[] = {KEY_EQUAL, KEY_POPULATION, KEY_METRIC, KEY_METRIC_PER_100K,
                                        KEY_TABLE};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (strcmp(s, key_kind_name(all[i])) == 0)
            return all[i];
    return KEY_NONE;
}

enum err code_list_add(struct code_list *l, const char *code)
{
    if (strlen(code) > 4 || !code[0])
        return ERR_INVALID;
    char(*nc)[5] = realloc(l->code, (l->n + 1) * sizeof(*nc));
    if (!nc)
        return ERR_NOMEM;
    l->code = nc;
    str_copy(l->code[l->n], 5, code);
    l->n++;
    return ERR_OK;
}

int code_list_has(const struct code_list *l, const char *code)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->code[i], code) == 0)
            return 1;
    return 0;
}
