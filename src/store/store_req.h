/* store_req.h - storage of requisitions: the requisition row (case
 * number, state, revision), its versions with measures (0 = the working
 * draft, 1.. = immutable submissions), submission idempotency keys,
 * decisions and production plan files (redistribution runs are the
 * program's: store_redist.h). Part of the store interface, free of SQL.
 * No business rule lives here: callers (src/service/requisition.c)
 * decide; this only keeps.
 *
 * Every function returns enum err; on ERR_STORE store_errmsg() says why.
 * Times are ISO 8601 UTC text supplied by the caller. */
#ifndef BIDRAG_STORE_STORE_REQ_H
#define BIDRAG_STORE_STORE_REQ_H

#include <stddef.h>
#include <stdint.h>

#include "core/requisition.h"
#include "store/store.h"
#include "util/buf.h"

struct store_req {
    long long id;
    char program[64];
    char recipient[5];
    char case_no[REQ_CASE_LEN];
    enum req_state state;
    int version;                                        /* latest submitted version, 0 if none */
    long long revision;                                 /* moves on every change */
    char message[STR_UTF8_SIZE(REQ_MESSAGE_MAX_CHARS)]; /* return message or rejection reason */
    int64_t approved_ore;                               /* -1 if not approved */
    int64_t requested_ore; /* amount of the latest submitted version, -1 if none */
    char created_at[32];
    char created_by[128];
    char updated_at[32];
    char updated_by[128];
};

/* ERR_NOTFOUND if the recipient has none in the program. */
ERR_MUST_CHECK enum err store_req_get(struct store *s, const char *program, const char *recipient,
                                      struct store_req *out);
ERR_MUST_CHECK enum err store_req_get_case(struct store *s, const char *case_no,
                                           struct store_req *out);
/* Create a draft requisition with the case number case_no (the caller
 * numbers it, see store_counter_next); ERR_CONFLICT if the recipient has
 * one in the program already, or the number is taken. out gets the new
 * row. */
ERR_MUST_CHECK enum err store_req_create(struct store *s, const char *program,
                                         const char *recipient, const char *case_no,
                                         const char *now, const char *by, struct store_req *out);
/* Write state, version, message and approved_ore (-1: none) of r, moving
 * the revision on, only if the stored revision is still based_on;
 * ERR_CONFLICT otherwise (someone else changed it first). r->revision
 * gets the new revision. */
ERR_MUST_CHECK enum err store_req_update(struct store *s, struct store_req *r, long long based_on,
                                         const char *now, const char *by);

/* Write a form as version v (0 replaces the draft; v > 0 must be new). */
ERR_MUST_CHECK enum err store_req_form_put(struct store *s, long long req_id, int version,
                                           const struct req_form *f, const char *at,
                                           const char *by);
/* Read version v into f (initialised here; caller releases); ERR_NOTFOUND
 * if absent. at/by (32 and 128 bytes) may be NULL. */
ERR_MUST_CHECK enum err store_req_form_get(struct store *s, long long req_id, int version,
                                           struct req_form *f, char *at, char *by);

struct store_req_version {
    int version;
    int64_t amount_ore;
    char saved_at[32];
    char saved_by[128];
};
/* Submitted versions (1..), oldest first; caller frees *out. */
ERR_MUST_CHECK enum err store_req_versions(struct store *s, long long req_id,
                                           struct store_req_version **out, size_t *n);

/* Idempotency keys, each belonging to one recipient in one program (the
 * same key of another recipient is another key). get: ERR_NOTFOUND if
 * unused. */
ERR_MUST_CHECK enum err store_req_idem_get(struct store *s, const char *recipient,
                                           const char *program, const char *key, long long *req_id,
                                           int *version, char digest[65]);
ERR_MUST_CHECK enum err store_req_idem_put(struct store *s, const char *recipient,
                                           const char *program, const char *key, long long req_id,
                                           int version, const char *digest, const char *at);

/* The keys of one requisition (for the move onto the case engine,
 * service/reqmove.h), by key; caller frees *out. */
struct store_req_idem {
    char key[128];
    int version;
    char digest[65];
    char at[32];
};
ERR_MUST_CHECK enum err store_req_idems(struct store *s, long long req_id,
                                        struct store_req_idem **out, size_t *n);

struct store_req_decision {
    long long id;
    char number[REQ_CASE_LEN]; /* "BES-2026-000001" */
    long long req_id;
    char case_no[REQ_CASE_LEN];
    char recipient[5];
    char kind[16]; /* "original", "supplementary", "rejection" */
    char block[32];
    int64_t amount_ore;
    char decided_on[11];
    char decided_at[32];
    char decided_by[128];
    long long run_id; /* redistribution run, 0 if none */
};
/* Add the decision d under its number d->number (the caller numbers it);
 * d->id is set. ERR_CONFLICT if the number is taken. */
ERR_MUST_CHECK enum err store_req_decision_add(struct store *s, struct store_req_decision *d);
/* One decision by its number; ERR_NOTFOUND if none. */
ERR_MUST_CHECK enum err store_req_decision_get(struct store *s, const char *number,
                                               struct store_req_decision *out);
/* Decisions of a program (req_id 0) or of one requisition, by id; caller
 * frees *out. */
ERR_MUST_CHECK enum err store_req_decisions(struct store *s, const char *program, long long req_id,
                                            struct store_req_decision **out, size_t *n);

struct store_req_filter {
    const char *program;   /* NULL: all */
    int state;             /* -1: all */
    const char *recipient; /* NULL: all */
    size_t limit, offset;  /* limit 0: all */
};
/* Requisitions matching f, ordered by case number; caller frees *out. */
ERR_MUST_CHECK enum err store_req_list(struct store *s, const struct store_req_filter *f,
                                       struct store_req **out, size_t *n);
/* Count per state for a program (NULL: all) and recipient (NULL: all). */
ERR_MUST_CHECK enum err store_req_counts(struct store *s, const char *program,
                                         const char *recipient, long long counts[REQ_STATE_COUNT]);

/* Production plan files by sha256 (kept once). */
ERR_MUST_CHECK enum err store_req_plan_put(struct store *s, const char *sha256,
                                           const char *content_type, const void *data, size_t len);
/* Into b; ERR_NOTFOUND if absent. */
ERR_MUST_CHECK enum err store_req_plan_get(struct store *s, const char *sha256, char *content_type,
                                           size_t n, struct buf *b);
/* Remove the plan file with this digest unless a version still names it. */
ERR_MUST_CHECK enum err store_req_plan_forget(struct store *s, const char *sha256);
/* Bytes of the plan files named by any version of the recipient's
 * requisitions (each file counted once). */
ERR_MUST_CHECK enum err store_req_plan_usage(struct store *s, const char *recipient,
                                             int64_t *bytes);

#endif
