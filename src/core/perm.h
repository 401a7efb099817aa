/* perm.h - the roles of the agency and of recipient organisations, and
 * what each may do. Pure functions; a set of roles is a bit mask.
 *
 * Agency roles hold for the whole system. Recipient roles (ombud,
 * representant, uppgiftssamordnare) hold for one organisation, named by
 * its code (kommun 4 digits or region 2 digits), as in Socialstyrelsen's
 * e-service: the ombud (one per organisation) may start and submit cases
 * and invite or remove representanter and uppgiftssamordnare; a
 * representant may start and submit and invite uppgiftssamordnare; an
 * uppgiftssamordnare may fill in and change but not submit. */
#ifndef BIDRAG_CORE_PERM_H
#define BIDRAG_CORE_PERM_H

#include "util/err.h"

enum perm_role {
    PERM_ADMIN = 1u << 0,
    PERM_HANDLAGGARE = 1u << 1,
    PERM_ATTESTANT = 1u << 2,
    PERM_ANALYTIKER = 1u << 3,
    PERM_GRANSKARE = 1u << 4,
    PERM_OMBUD = 1u << 5,
    PERM_REPRESENTANT = 1u << 6,
    PERM_UPPGIFTSSAMORDNARE = 1u << 7
};

#define PERM_AGENCY_MASK                                                                           \
    (PERM_ADMIN | PERM_HANDLAGGARE | PERM_ATTESTANT | PERM_ANALYTIKER | PERM_GRANSKARE)
#define PERM_RECIPIENT_MASK (PERM_OMBUD | PERM_REPRESENTANT | PERM_UPPGIFTSSAMORDNARE)
#define PERM_ALL_MASK (PERM_AGENCY_MASK | PERM_RECIPIENT_MASK)
#define PERM_COUNT 8

/* Parse a role name: the ASCII id ("handlaggare") or the Swedish spelling
 * ("handläggare"). ERR_PARSE for anything else. */
enum err perm_parse(const char *s, enum perm_role *out);
/* ASCII id ("handlaggare"), never NULL ("?" for a non-role). */
const char *perm_id(enum perm_role r);
/* Swedish name for screens ("handläggare"), never NULL. */
const char *perm_name_sv(enum perm_role r);
/* The i-th role (0 <= i < PERM_COUNT), in display order. */
enum perm_role perm_at(int i);
int perm_is_agency(enum perm_role r);
int perm_is_recipient(enum perm_role r);

/* Recipient rights, given the roles a person holds for one organisation. */
int perm_may_start_case(unsigned mask);
int perm_may_edit_case(unsigned mask);
int perm_may_submit_case(unsigned mask);
/* May someone holding `mask` for an organisation give role `target` to
 * someone for the same organisation? */
int perm_may_invite(unsigned mask, enum perm_role target);
/* ... or take it away? (Only the ombud removes.) */
int perm_may_remove(unsigned mask, enum perm_role target);

/* Separation of duties (DESIGN.md, "Four eyes"): agency staff never act
 * for a recipient. held is every role an account holds, in every
 * organisation and at the agency. 1 if it may also be given role: no
 * recipient role for someone with an agency role, and the other way
 * round. */
int perm_may_hold(unsigned held, enum perm_role role);
/* 1 if held mixes agency and recipient roles (an account from before the
 * rule, refused at every action until one side is taken away). */
int perm_mixed(unsigned held);

#endif
