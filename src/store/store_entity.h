/* store_entity.h - the business rows behind each audited entity and
 * their canonical digest, so that the audit trail can say what a change
 * left and `audit verify` can find rows changed behind it.
 *
 * An entity is named as the audit trail's objects name it:
 *
 *   user:LOGIN                 account, account_role, org_invite (by login),
 *                              api_token (a token's object "token:ID" names
 *                              its owner's entity: a new password ends them)
 *   requisition:CASE           requisition, req_version, req_measure,
 *                              req_decision (its own: not from a
 *                              redistribution run), req_idem, req_plan_blob
 *                              (the plans its versions name)
 *   case:NUMBER                cases, case_versions, case_idem, decisions,
 *                              case_files, blobs (the files its versions
 *                              name), case_notes, case_events; a case's
 *                              audit object "KIND:NUMBER" names it
 *   redistribution:PROG/BLOCK  req_redist_run, req_decision (of the run)
 *   program:ID                 program, program_file, program_standin (the
 *                              confirmations of its stand-in data)
 *   orgs                       org
 *   payments                   payment, pay_batch, pay_file, pay_settings,
 *                              pay_limit (paying out is one entity: a batch
 *                              moves many payments in one audited change)
 *   ledger:PROG                ledger_cost (the agency's own costs charged
 *                              to the program's appropriation items)
 *   population:NAME@DATE       series, series_value
 *   metric:NAME[@DATE]         series, series_value
 *
 * Every row of those tables belongs to exactly one entity (a decision
 * naming a run that does not exist counts as its requisition's own).
 * Sessions, login throttling and counters are bookkeeping, not audited.
 *
 * The digest of an entity is one per table: the first 128 bits of
 * SHA-256 over the table's name and its rows in sql_digest()'s canonical
 * form, in the order of those bytes (no collation of a backend's), written
 * "table=hex32 table=hex32 ..."; an entity without rows has the digests
 * of empty tables. The SQL is portable (driver.h), so every backend gives
 * the same digest for the same rows. */
#ifndef BIDRAG_STORE_STORE_ENTITY_H
#define BIDRAG_STORE_STORE_ENTITY_H

#include <stddef.h>

#include "store/store.h"

#define STORE_ENTITY_LEN 256 /* an entity's name, terminated */
#define STORE_ROWS_LEN 400   /* its digest, terminated */

/* 1 if name is an entity of one of the kinds above. */
int store_entity_known(const char *name);
/* The entity whose rows a change of object touches: object itself when
 * it names an entity, the owner's "user:LOGIN" for "token:ID", "" for
 * objects that name none ("addr:..."); "case:NUMBER" for "KIND:NUMBER"
 * when a case of that kind has that number (before any other reading:
 * "requisition:REK-..." is the case once the requisition is one). */
ERR_MUST_CHECK enum err store_entity_of(struct store *s, const char *object,
                                        char out[STORE_ENTITY_LEN]);
/* The digest of the entity's rows now into out; *rows (may be NULL) gets
 * how many rows it has. ERR_INVALID when name is no entity. */
ERR_MUST_CHECK enum err store_entity_digest(struct store *s, const char *name,
                                            char out[STORE_ROWS_LEN], long long *rows);
/* Call fn with the name of every entity that has rows now, kind by kind;
 * fn returning non-zero stops the walk (not an error). */
ERR_MUST_CHECK enum err store_entity_each(struct store *s, int (*fn)(void *ctx, const char *name),
                                          void *ctx);

#endif
