/* appeal.h - the appeal clause (överklagandehänvisning) every decision
 * letter carries, as versioned templates per decision type: each clause
 * has the decision type it belongs to, the first day it applies and its
 * Swedish text. A decision takes the clause of its type with the latest
 * valid-from on or before its decision date, else the "default" clause.
 * Pure.
 *
 * The built-in table holds one default clause: förvaltningslagen
 * (2017:900) 40-45 §§ as the public summaries put it (a written appeal,
 * sent to Socialstyrelsen within three weeks of the day the party was
 * told of the decision, naming the decision and the change wanted; the
 * agency checks it is in time and forwards it to förvaltningsrätten). The
 * exact provisions for licence and specialist decisions are NOT verified
 * (patientsäkerhetslagen's chapter on appeals): the agency's lawyers are
 * to supply the final texts, which go into the table as new versions
 * (docs/applications.md). */
#ifndef BIDRAG_CORE_APPEAL_H
#define BIDRAG_CORE_APPEAL_H

#include <stddef.h>

#include "util/date.h"
#include "util/err.h"

#define APPEAL_DEFAULT "default"
#define APPEAL_TYPE_MAX 48   /* bytes of a decision type id */
#define APPEAL_TEXT_MAX 4000 /* bytes of a clause */

struct appeal_clause {
    const char *type;       /* decision type id ("kprov.assessment") or "default" */
    struct date valid_from; /* first decision date it applies to */
    const char *text;       /* Swedish, one paragraph */
    const char *source;     /* where the text comes from (for the record) */
};

/* The built-in table and its length. */
const struct appeal_clause *appeal_builtin(size_t *n);

/* The clause for a decision of type taken on decided (a valid date): the
 * type's own with the latest valid_from <= decided, else the default's.
 * NULL when neither applies. */
const struct appeal_clause *appeal_for(const struct appeal_clause *t, size_t n, const char *type,
                                       struct date decided);

/* Check a table: every type a non-empty id of [a-z0-9._] within
 * APPEAL_TYPE_MAX, every valid_from a valid date, every text non-empty
 * well-formed text within APPEAL_TEXT_MAX, no two clauses of one type
 * from the same day, and a default clause. ERR_INVALID with the first
 * problem in msg (a lower-case English sentence naming the clause). */
enum err appeal_table_check(const struct appeal_clause *t, size_t n, char *msg, size_t msgn);

#endif
