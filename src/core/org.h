/* org.h - organisations and recipients (bidragsmottagare).
 *
 * An organisation is a kommun, a region, or both (Gotland: kommun 0980 and
 * region 09 are one organisation). A recipient is an organisation in one
 * role; its code is the kommunkod (4 digits) for the kommun role and the
 * länskod (2 digits) for the region role, so codes never collide. */
#ifndef BIDRAG_CORE_ORG_H
#define BIDRAG_CORE_ORG_H

#include <stddef.h>
#include "util/err.h"

enum role { ROLE_KOMMUN = 1, ROLE_REGION = 2 };

struct org {
    long long id;        /* store id, 0 if not stored */
    char kommun_code[5]; /* "" if not a kommun */
    char region_code[3]; /* "" if not a region */
    char lan_code[3];
    char name[64];        /* kommun name, or the region body's name */
    char region_name[64]; /* "Region Gotland" when region_code is set */
    char lan_name[64];
    /* the organisation's official name from the reference data ("Lunds
     * kommun", "Stockholms stad", "Region Skåne"; kommuner.csv column namn,
     * PROVENANCE.md): the name letters and pages use for it as a party */
    char official_name[64];
};

struct recipient {
    char code[5]; /* kommunkod or länskod */
    enum role role;
    char name[64]; /* SCB's short name: "Upplands Väsby", "Region Stockholm"
                    * (allocation tables and statistics) */
    /* the name as a party, in letters, receipts, pages and e-mails:
     * "Upplands Väsby kommun", "Stockholms stad", "Region Skåne" (the same
     * in English: a proper name); the short name when the store was not
     * given official names yet */
    char official_name[64];
    char lan_code[3]; /* the län the recipient lies in */
    size_t org;       /* index into the org list it came from */
};

struct org_list {
    struct org *v;
    size_t n;
};

void org_list_release(struct org_list *l);

/* The recipients of a role, sorted by code. Caller frees *out. */
enum err org_recipients(const struct org_list *l, enum role role, struct recipient **out,
                        size_t *n);
/* Find a recipient by code in a sorted recipient array; NULL if none. */
const struct recipient *org_find(const struct recipient *r, size_t n, const char *code);
/* The role a code belongs to: 4 digits = kommun, 2 digits = region, 0 = neither. */
enum role org_code_role(const char *code);
const char *org_role_name(enum role role); /* "kommun" / "region" */
/* 1 if the codes a and b name the same organisation: the same code, or
 * Gotland's kommun 0980 and region 09, which are one (DESIGN.md). */
int org_same(const char *a, const char *b);

#endif
