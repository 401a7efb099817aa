/* audit.h - the audit trail: one signed, hash-chained record per state
 * change, checkpoints of its head outside the database, and a check of
 * the business rows against the records that describe them.
 *
 * Every service function that changes state calls audit_append() inside
 * its own transaction (between store_begin and store_commit), so the
 * change and its record land together or not at all. A record holds the
 * time, the actor, the organisation acted for, the action, the object,
 * sha256 digests of the object's canonical text before and after, and -
 * when the object is an entity of store_entity.h - the digest of that
 * entity's rows as the change left them. Each record's hash is
 * sha256(previous hash || canonical record) and its signature an
 * HMAC-SHA-256 of that hash under a key the database does not hold
 * (auditkey.h), so that an edit, a forged row or a re-chained history
 * cannot be made to verify. Every AUDIT_CHECKPOINT_EVERY records (after
 * the commit), at the server's intervals and stop, and on demand, the
 * head is signed into the checkpoints file, so that a cut, a wipe or an
 * older copy of the database put back shows against the last checkpoint.
 *
 * audit_verify() walks the whole trail (order, links, hashes,
 * signatures), compares every checkpoint with the row it names, and
 * recomputes the digest of every entity's rows against the latest record
 * of it: a row changed, added or removed behind the trail is named with
 * its table. */
#ifndef BIDRAG_SERVICE_AUDIT_H
#define BIDRAG_SERVICE_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "service/auditkey.h"
#include "service/svc.h"
#include "store/store.h"
#include "store/store_auth.h"

#define AUDIT_CHECKPOINT_EVERY 100 /* records between two checkpoints at most */

/* Append one record. actor is the person's login (or "system"), org the
 * organisation code acted for ("" for the agency), action a short verb
 * ("login", "user.add", "role.grant"), object what was changed
 * ("user:anna"); an object that names an entity (store_entity.h) gets the
 * digest of its rows now. before/after are canonical texts of the object
 * (NULL when it did not or no longer exists); only their digests are
 * kept. The first record of an empty trail makes the key ring; a trail
 * with records and no key ring is refused (audit_key_ensure makes one).
 * On failure store_errmsg(s) says why. */
ERR_MUST_CHECK enum err audit_append(struct store *s, const char *actor, const char *org,
                                     const char *action, const char *object, const char *before,
                                     const char *after, int64_t now);

/* The time for a record from ISO 8601 text (clock_parse); 0 if NULL or
 * malformed. */
int64_t audit_time(const char *iso);

/* The hash of a record from its fields and a->prev (hex, 64 digits):
 * records with a key id hash every field, those from before keys the
 * fields they had. */
void audit_record_hash(const struct store_audit *a, char out[STORE_HASH_HEX]);
/* sha256 hex of text, or "" for NULL. */
void audit_digest(const char *text, char out[STORE_HASH_HEX]);

#define AUDIT_PROBLEMS 24 /* problems kept in a report */
#define AUDIT_MSG_LEN 512 /* one problem's text */
struct audit_report {
    long long rows;          /* audit rows read */
    long long first_bad;     /* seq of the first bad audit row, 0 if none */
    long long entities;      /* entities whose rows were compared */
    long long checkpoints;   /* checkpoints compared */
    long long problems;      /* problems found; the first AUDIT_PROBLEMS are kept */
    char msg[AUDIT_MSG_LEN]; /* the first problem, "" when intact */
    char problem[AUDIT_PROBLEMS][AUDIT_MSG_LEN];
    char note[AUDIT_MSG_LEN]; /* something to know that is no problem ("" if none) */
};

/* Where the trail of s keeps its key ring and checkpoints (auditkey_paths
 * for the database's folder). */
ERR_MUST_CHECK enum err audit_paths_of(struct store *s, struct audit_paths *p);

/* Walk the whole trail and compare the checkpoints and the entities'
 * rows. ERR_OK if intact; ERR_INVALID with the report naming what is
 * wrong (audit row, checkpoint, entity and table); another error when
 * the database cannot be read (store_errmsg). */
ERR_MUST_CHECK enum err audit_verify(struct store *s, struct audit_report *r);
/* The same, with the checkpoints of the files extra[0..n) (lines kept
 * from the daily reports) compared as well. */
ERR_MUST_CHECK enum err audit_verify_with(struct store *s, const char *const *extra, size_t n,
                                          struct audit_report *r);
/* audit_verify with the key ring and checkpoints at p instead of the
 * database's own: the same trail copied into another database (bidrag db
 * copy) before its files are moved beside it. */
ERR_MUST_CHECK enum err audit_verify_at(struct store *s, const struct audit_paths *p,
                                        struct audit_report *r);
/* The quick check for the server's start: the last checkpoint is
 * authentic and names a row that is there with its hash, and every row
 * after it follows and is authentic. ERR_OK, or ERR_INVALID with the
 * report. */
ERR_MUST_CHECK enum err audit_tail_check(struct store *s, struct audit_report *r);

/* Sign the head into the checkpoints file (and the log) for event
 * (auditkey.h), after the tail check passes (except for "restore": an
 * older copy put back on purpose). now is the checkpoint's time. An
 * "interval" checkpoint of a head already checkpointed writes nothing.
 * *out (may be NULL) gets it. ERR_NOTFOUND when the trail is empty or
 * has no key; ERR_INVALID when the tail check fails; r says why. */
ERR_MUST_CHECK enum err audit_checkpoint(struct store *s, const char *event, int64_t now,
                                         struct audit_checkpoint *out, struct audit_report *r);
/* For a trail from before keys (records and no key ring): make the ring
 * (*made = 1) with a key that signs the rows after them, a record
 * "audit.baseline" of every entity as it stands and one "audit.key",
 * then a checkpoint that seals them all. Nothing for a ring that is
 * there or an empty trail (its first record makes the key). */
ERR_MUST_CHECK enum err audit_key_ensure(struct store *s, const char *actor, int64_t now, int *made,
                                         struct audit_report *r);
/* A new key for the rows from the next on (after the tail check),
 * recorded ("audit.rotate-key") and checkpointed; the old keys stay in
 * the ring so that their rows still verify. id gets the new key's id. */
ERR_MUST_CHECK enum err audit_rotate_key(struct store *s, const char *actor, int64_t now,
                                         char id[STORE_KEY_ID_LEN], struct audit_report *r);
/* Where written checkpoints and checkpoint failures after a commit are
 * logged (the server's log); NULL (the default) logs failures to stderr
 * only. Set before threads start. */
void audit_set_log(FILE *log);

/* The trail's checks and records as actions (service/svc.h), for the web,
 * the API and the command line. audit_verify_as: audit_verify as the
 * action ACT_AUDIT_VERIFY (granskare, admin): ERR_OK, or ERR_INVALID with
 * the report (and res->msg), or a refusal. audit_list: the records about
 * object (NULL: all), oldest first, at most limit (0: all), each given to
 * fn until it returns non-zero (ACT_AUDIT_READ). */
ERR_MUST_CHECK enum err audit_verify_as(struct store *s, const struct svc_actor *who, int64_t now,
                                        struct audit_report *r, struct svc_result *res);
ERR_MUST_CHECK enum err audit_list(struct store *s, const struct svc_actor *who, int64_t now,
                                   const char *object, size_t limit,
                                   int (*fn)(void *ctx, const struct store_audit *a), void *ctx,
                                   struct svc_result *res);

#endif
