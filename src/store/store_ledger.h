/* store_ledger.h - storage of the appropriation ledger's own rows
 * (migration 0062): the agency's own costs charged to a program's
 * appropriation items. One audited entity per program, "ledger:PROGRAM"
 * (store_entity.h). Part of the store interface, free of SQL; the rules
 * are core/ledger.c's and service/ledger.c's.
 *
 * Every function returns enum err; on ERR_STORE store_errmsg() says why.
 * Times are ISO 8601 UTC text supplied by the caller. */
#ifndef BIDRAG_STORE_STORE_LEDGER_H
#define BIDRAG_STORE_STORE_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_LEDGER_TEXT_LEN 404 /* 200 characters of UTF-8 and a NUL */

struct store_ledger_cost {
    long long id;
    char program[64];
    char item[32];
    int64_t amount_ore; /* never 0; negative: a correction */
    char booked_on[11]; /* the civil date it is booked on */
    char text[STORE_LEDGER_TEXT_LEN];
    char created_at[32];
    char created_by[128];
};

/* Add an own cost; c->id is set. */
ERR_MUST_CHECK enum err store_ledger_cost_add(struct store *s, struct store_ledger_cost *c);
/* A program's own costs in the order they were added; caller frees *out. */
ERR_MUST_CHECK enum err store_ledger_costs(struct store *s, const char *program,
                                           struct store_ledger_cost **out, size_t *n);

#endif
