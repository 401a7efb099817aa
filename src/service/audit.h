/* audit.h - the audit trail: one hash-chained record per state change.
 *
 * Every service function that changes state calls audit_append() inside
 * its own transaction (between store_begin and store_commit), so the
 * change and its record land together or not at all. A record holds the
 * time, the actor, the organisation acted for, the action, the object and
 * sha256 digests of the object's canonical text before and after. Each
 * record's hash is sha256(previous hash || canonical record); a separate
 * head remembers the last one, so audit_verify() finds edited, removed
 * and truncated rows. */
#ifndef BIDRAG_SERVICE_AUDIT_H
#define BIDRAG_SERVICE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "service/svc.h"
#include "store/store.h"
#include "store/store_auth.h"

/* Append one record (svc_audit does it for an action; this is the
 * primitive under it). actor is the person's login (or "system"), org the
 * organisation code acted for ("" for the agency), action a short verb
 * ("login", "user.add", "role.grant"), object what was changed
 * ("user:anna"). before/after are canonical texts of the object (NULL when
 * it did not or no longer exists); only their digests are kept. */
ERR_MUST_CHECK enum err audit_append(struct store *s, const char *actor, const char *org,
                                     const char *action, const char *object, const char *before,
                                     const char *after, int64_t now);

/* The time for a record from ISO 8601 text (clock_parse); 0 if NULL or
 * malformed. */
int64_t audit_time(const char *iso);

/* The hash of a record from its fields and a->prev (hex, 64 digits). */
void audit_record_hash(const struct store_audit *a, char out[STORE_HASH_HEX]);
/* sha256 hex of text, or "" for NULL. */
void audit_digest(const char *text, char out[STORE_HASH_HEX]);

struct audit_report {
    long long rows;      /* rows checked */
    long long first_bad; /* seq of the first broken link, 0 if none */
    char msg[256];       /* what is wrong, "" if intact */
};
/* Walk the whole trail. ERR_OK if intact, ERR_INVALID with the report
 * naming the first broken link otherwise. */
ERR_MUST_CHECK enum err audit_chain_check(struct store *s, struct audit_report *r);
/* The same as the action ACT_AUDIT_VERIFY (granskare, admin): ERR_OK or
 * ERR_INVALID with the report (and res->msg), or a refusal. */
ERR_MUST_CHECK enum err audit_verify(struct store *s, const struct svc_actor *who, int64_t now,
                                     struct audit_report *r, struct svc_result *res);
/* The records about object (NULL: all), oldest first, at most limit (0:
 * all), each given to fn until it returns non-zero (ACT_AUDIT_READ). */
ERR_MUST_CHECK enum err audit_list(struct store *s, const struct svc_actor *who, int64_t now,
                                   const char *object, size_t limit,
                                   int (*fn)(void *ctx, const struct store_audit *a), void *ctx,
                                   struct svc_result *res);

#endif
