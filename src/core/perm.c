/* perm.c - the roles of the agency and of recipient organisations. */
#include "core/perm.h"

#include <string.h>

static const struct {
    enum perm_role role;
    const char *id;
    const char *sv;
} roles[PERM_COUNT] = {
    {PERM_ADMIN, "admin", "administratör"},
    {PERM_HANDLAGGARE, "handlaggare", "handläggare"},
    {PERM_ATTESTANT, "attestant", "attestant"},
    {PERM_ANALYTIKER, "analytiker", "analytiker"},
    {PERM_GRANSKARE, "granskare", "granskare"},
    {PERM_OMBUD, "ombud", "ombud"},
    {PERM_REPRESENTANT, "representant", "representant"},
    {PERM_UPPGIFTSSAMORDNARE, "uppgiftssamordnare", "uppgiftssamordnare"},
};

enum err perm_parse(const char *s, enum perm_role *out)
{
    if (!s)
        return ERR_PARSE;
    for (int i = 0; i < PERM_COUNT; i++) {
        if (strcmp(s, roles[i].id) == 0 || strcmp(s, roles[i].sv) == 0) {
            *out = roles[i].role;
            return ERR_OK;
        }
    }
    return ERR_PARSE;
}

const char *perm_id(enum perm_role r)
{
    for (int i = 0; i < PERM_COUNT; i++)
        if (roles[i].role == r)
            return roles[i].id;
    return "?";
}

const char *perm_name_sv(enum perm_role r)
{
    for (int i = 0; i < PERM_COUNT; i++)
        if (roles[i].role == r)
            return roles[i].sv;
    return "?";
}

enum perm_role perm_at(int i)
{
    return roles[i].role;
}

int perm_is_agency(enum perm_role r)
{
    return (r & PERM_AGENCY_MASK) != 0 && (r & (r - 1)) == 0;
}

int perm_is_recipient(enum perm_role r)
{
    return (r & PERM_RECIPIENT_MASK) != 0 && (r & (r - 1)) == 0;
}

int perm_may_start_case(unsigned mask)
{
    return (mask & (PERM_OMBUD | PERM_REPRESENTANT)) != 0;
}

int perm_may_edit_case(unsigned mask)
{
    return (mask & PERM_RECIPIENT_MASK) != 0;
}

int perm_may_submit_case(unsigned mask)
{
    return (mask & (PERM_OMBUD | PERM_REPRESENTANT)) != 0;
}

int perm_may_remove(unsigned mask, enum perm_role target)
{
    if (mask & PERM_OMBUD)
        return target == PERM_REPRESENTANT || target == PERM_UPPGIFTSSAMORDNARE;
    return 0;
}

int perm_may_invite(unsigned mask, enum perm_role target)
{
    if (mask & PERM_OMBUD)
        return target == PERM_REPRESENTANT || target == PERM_UPPGIFTSSAMORDNARE;
    if (mask & PERM_REPRESENTANT)
        return target == PERM_UPPGIFTSSAMORDNARE;
    return 0;
}

int perm_may_hold(unsigned held, enum perm_role role)
{
    if (perm_is_recipient(role))
        return (held & PERM_AGENCY_MASK) == 0;
    if (perm_is_agency(role))
        return (held & PERM_RECIPIENT_MASK) == 0;
    return 0;
}

int perm_mixed(unsigned held)
{
    return (held & PERM_AGENCY_MASK) != 0 && (held & PERM_RECIPIENT_MASK) != 0;
}
