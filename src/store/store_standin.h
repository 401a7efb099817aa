/* store_standin.h - officers' confirmations that a program may open for
 * requisition on stand-in data (a fallback population date or an
 * illustrative series), migration 0050. Part of the program's audited
 * entity (store_entity.h: program:ID). */
#ifndef BIDRAG_STORE_STORE_STANDIN_H
#define BIDRAG_STORE_STORE_STANDIN_H

#include "store/store.h"
#include "util/err.h"
#include "util/str.h"

#define STORE_STANDIN_BASIS_LEN 1024       /* the stand-ins confirmed, as text */
#define STORE_STANDIN_REASON_MAX_CHARS 250 /* the officer's reason, in characters */

struct store_standin {
    long long id;
    char program[64];
    char basis[STORE_STANDIN_BASIS_LEN];
    char reason[STR_UTF8_SIZE(STORE_STANDIN_REASON_MAX_CHARS)];
    char confirmed_by[128];
    char confirmed_at[32];
};

/* Record a confirmation; r->id is set. */
ERR_MUST_CHECK enum err store_standin_add(struct store *s, struct store_standin *r);
/* The program's latest confirmation; ERR_NOTFOUND if none. */
ERR_MUST_CHECK enum err store_standin_last(struct store *s, const char *program,
                                           struct store_standin *out);

#endif
