/* appeal.c - versioned appeal clauses per decision type. */
#include "core/appeal.h"

#include <stdio.h>
#include <string.h>

#include "util/str.h"

static const struct appeal_clause builtin[] = {
    {APPEAL_DEFAULT,
     {2018, 7, 1},
     "Om du vill överklaga beslutet ska du skriva till förvaltningsrätten. Skrivelsen ska "
     "skickas eller lämnas till Socialstyrelsen, som prövar om den har kommit in i rätt tid och "
     "sedan sänder den vidare till förvaltningsrätten. Överklagandet ska ha kommit in till "
     "Socialstyrelsen inom tre veckor från den dag då du fick del av beslutet; annars avvisas "
     "det. Ange vilket beslut du överklagar (ärendenummer och beslutsdatum), vilken ändring du "
     "vill ha och varför. Underteckna skrivelsen och ange namn, adress och telefonnummer. För "
     "att ett mål ska prövas av kammarrätten krävs prövningstillstånd.",
     "förvaltningslagen (2017:900) 40-45 §§, as summarised in the research notes §6.4; "
     "to be replaced by the agency's lawyers' texts"},
};

const struct appeal_clause *appeal_builtin(size_t *n)
{
    *n = sizeof(builtin) / sizeof(builtin[0]);
    return builtin;
}

static const struct appeal_clause *latest(const struct appeal_clause *t, size_t n, const char *type,
                                          struct date decided)
{
    const struct appeal_clause *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!t[i].type || strcmp(t[i].type, type) != 0 || !date_valid(t[i].valid_from))
            continue;
        if (date_cmp(t[i].valid_from, decided) > 0)
            continue;
        if (!best || date_cmp(t[i].valid_from, best->valid_from) > 0)
            best = &t[i];
    }
    return best;
}

const struct appeal_clause *appeal_for(const struct appeal_clause *t, size_t n, const char *type,
                                       struct date decided)
{
    if (!t || !date_valid(decided))
        return NULL;
    const struct appeal_clause *c = type ? latest(t, n, type, decided) : NULL;
    return c ? c : latest(t, n, APPEAL_DEFAULT, decided);
}

static int type_ok(const char *s)
{
    size_t k = s ? strlen(s) : 0;
    if (k == 0 || k >= APPEAL_TYPE_MAX)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'))
            return 0;
    }
    return 1;
}

enum err appeal_table_check(const struct appeal_clause *t, size_t n, char *msg, size_t msgn)
{
    int has_default = 0;
    if (msgn)
        msg[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!type_ok(t[i].type)) {
            snprintf(msg, msgn, "appeal clause %zu: type is not an id of a-z, 0-9, '.', '_'",
                     i + 1);
            return ERR_INVALID;
        }
        if (!date_valid(t[i].valid_from)) {
            snprintf(msg, msgn, "appeal clause '%s': valid-from is not a valid date", t[i].type);
            return ERR_INVALID;
        }
        size_t len = t[i].text ? strlen(t[i].text) : 0;
        if (len == 0 || len > APPEAL_TEXT_MAX || !str_text_ok(t[i].text, len, STR_TEXT_LINES)) {
            snprintf(msg, msgn, "appeal clause '%s': text is empty, too long or not text",
                     t[i].type);
            return ERR_INVALID;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(t[i].type, t[j].type) == 0 &&
                date_cmp(t[i].valid_from, t[j].valid_from) == 0) {
                snprintf(msg, msgn, "appeal clause '%s': two versions from the same day",
                         t[i].type);
                return ERR_INVALID;
            }
        if (strcmp(t[i].type, APPEAL_DEFAULT) == 0)
            has_default = 1;
    }
    if (!has_default) {
        snprintf(msg, msgn, "appeal clauses: no '%s' clause", APPEAL_DEFAULT);
        return ERR_INVALID;
    }
    return ERR_OK;
}
