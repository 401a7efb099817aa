/* store_case.h - storage of the generic case engine (core/casekind.h):
 * cases of every kind (number, state, outcome, revision, assignment),
 * their versions as canonical JSON text (0 = the working draft, 1.. =
 * immutable submissions), submission idempotency keys scoped to the
 * party, decisions with their own numbers and reasons, attached files by
 * content digest (the bytes kept once, removed with the last file naming
 * them), officers' notes and the case's history. Part of the store
 * interface, free of SQL. No business rule lives here: the case service
 * (src/service/case.c) decides; this only keeps.
 *
 * Every function returns enum err; on ERR_STORE store_errmsg() says why.
 * Times are ISO 8601 UTC text supplied by the caller. */
#ifndef BIDRAG_STORE_STORE_CASE_H
#define BIDRAG_STORE_STORE_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "core/casekind.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/str.h"

#define STORE_CASE_MESSAGE_MAX_CHARS 2000
#define STORE_CASE_SUBJECT_LEN 160
#define STORE_CASE_WHO_LEN 128

struct store_case {
    long long id;
    char kind[CASE_KIND_LEN];
    char number[CASE_NUMBER_LEN];
    char program[64];                     /* "" when the kind has none */
    char party[STORE_CASE_WHO_LEN];       /* an organisation's code or a person's login */
    char subject[STORE_CASE_SUBJECT_LEN]; /* uniqueness key, "" when none */
    enum case_state state;
    enum case_outcome outcome;
    int version;        /* latest submitted version, 0 if none */
    long long revision; /* moves on every change */
    char assigned_to[STORE_CASE_WHO_LEN];
    char message[STR_UTF8_SIZE(STORE_CASE_MESSAGE_MAX_CHARS)]; /* the last return message */
    int64_t asked_ore; /* amount of the latest submitted version, -1 if none */
    char created_at[32];
    char created_by[STORE_CASE_WHO_LEN];
    char updated_at[32];
    char updated_by[STORE_CASE_WHO_LEN];
};

/* Create a case in draft from c's kind, number (the caller numbers it, see
 * store_counter_next), program, party and subject ("": none), created
 * now by by; c gets the stored row. ERR_CONFLICT if the number is taken
 * or the kind has a case of that subject already. */
ERR_MUST_CHECK enum err store_case_create(struct store *s, struct store_case *c, const char *now,
                                          const char *by);
/* ERR_NOTFOUND if there is none. */
ERR_MUST_CHECK enum err store_case_get(struct store *s, const char *number, struct store_case *out);
ERR_MUST_CHECK enum err store_case_get_id(struct store *s, long long id, struct store_case *out);
ERR_MUST_CHECK enum err store_case_get_subject(struct store *s, const char *kind,
                                               const char *subject, struct store_case *out);
/* Write state, outcome, version, assigned_to and message of c, moving the
 * revision on, only if the stored revision is still based_on;
 * ERR_CONFLICT otherwise (someone else changed it first). c->revision,
 * updated_at and updated_by get the new values. */
ERR_MUST_CHECK enum err store_case_update(struct store *s, struct store_case *c, long long based_on,
                                          const char *now, const char *by);

struct store_case_filter {
    const char *kind;        /* NULL: all */
    const char *program;     /* NULL: all */
    const char *party;       /* NULL: all */
    const char *assigned_to; /* NULL: all; "": nobody */
    int state;               /* -1: all */
    size_t limit, offset;    /* limit 0: all */
};
/* Cases matching f, ordered by number; caller frees *out. */
ERR_MUST_CHECK enum err store_case_list(struct store *s, const struct store_case_filter *f,
                                        struct store_case **out, size_t *n);

/* How many cases matching f's kind, program and party (its state,
 * assigned_to, limit and offset are not used) stand in each state with
 * each outcome: n[state][outcome], zero where none (a queue's and a
 * dashboard's counts). */
struct store_case_counts {
    long long n[CASE_STATE_COUNT][CASE_OUTCOME_COUNT];
};
ERR_MUST_CHECK enum err store_case_counts(struct store *s, const struct store_case_filter *f,
                                          struct store_case_counts *out);

struct store_case_version {
    int version;
    char *content;      /* owned: canonical JSON */
    char digest[65];    /* sha256 of content, hex */
    int64_t amount_ore; /* -1: the kind asks for no money */
    char saved_at[32];
    char saved_by[STORE_CASE_WHO_LEN];
};
void store_case_version_release(struct store_case_version *v);
/* Write v as version v->version of the case (0 replaces the draft;
 * v > 0 must be new: ERR_CONFLICT otherwise). */
ERR_MUST_CHECK enum err store_case_version_put(struct store *s, long long case_id,
                                               const struct store_case_version *v);
/* Read a version (ERR_NOTFOUND if absent); release with
 * store_case_version_release. */
ERR_MUST_CHECK enum err store_case_version_get(struct store *s, long long case_id, int version,
                                               struct store_case_version *out);
/* Submitted versions (1..), oldest first, without their content (NULL);
 * caller frees *out. */
ERR_MUST_CHECK enum err store_case_versions(struct store *s, long long case_id,
                                            struct store_case_version **out, size_t *n);

/* Idempotency keys, each one party's own (the same key of another party
 * is another key). get: ERR_NOTFOUND if unused; put: ERR_CONFLICT if used. */
ERR_MUST_CHECK enum err store_case_idem_get(struct store *s, const char *party, const char *key,
                                            long long *case_id, int *version, char digest[65]);
ERR_MUST_CHECK enum err store_case_idem_put(struct store *s, const char *party, const char *key,
                                            long long case_id, int version, const char *digest,
                                            const char *at);

#define STORE_CASE_REASONS_MAX_CHARS 4000
#define STORE_CASE_APPEAL_MAX_CHARS 2000
struct store_case_decision {
    long long id;
    char number[CASE_NUMBER_LEN]; /* "BES-2026-000001" */
    long long case_id;
    char kind[24]; /* an outcome id ("approved", ...) or "supplementary" */
    char block[32];
    int64_t amount_ore;
    char reasons[STR_UTF8_SIZE(STORE_CASE_REASONS_MAX_CHARS)];
    char appeal[STR_UTF8_SIZE(STORE_CASE_APPEAL_MAX_CHARS)];
    char decided_on[11];
    char decided_at[32];
    char decided_by[STORE_CASE_WHO_LEN];
    long long run_id; /* redistribution run, -1 if none */
};
/* Add d under its number (the caller numbers it); d->id is set.
 * ERR_CONFLICT if the number is taken. */
ERR_MUST_CHECK enum err store_case_decision_add(struct store *s, struct store_case_decision *d);
/* ERR_NOTFOUND if none. */
ERR_MUST_CHECK enum err store_case_decision_get(struct store *s, const char *number,
                                                struct store_case_decision *out);
/* The decisions of a case, oldest first; caller frees *out. */
ERR_MUST_CHECK enum err store_case_decisions(struct store *s, long long case_id,
                                             struct store_case_decision **out, size_t *n);

/* Attachments. The bytes are kept once per digest: blob_put adds them
 * unless present; a file row names a blob; removing or replacing a
 * file's row removes its blob when no other row names it. */
ERR_MUST_CHECK enum err store_case_blob_put(struct store *s, const char *sha256,
                                            const char *content_type, const void *data, size_t len);
/* Into b; ERR_NOTFOUND if absent. */
ERR_MUST_CHECK enum err store_case_blob_get(struct store *s, const char *sha256, char *content_type,
                                            size_t n, struct buf *b);
struct store_case_file {
    int version; /* 0: on the draft */
    char slot[32];
    char name[STR_UTF8_SIZE(200)];
    char sha256[65];
    char content_type[80];
    int64_t size;
    char added_at[32];
    char added_by[STORE_CASE_WHO_LEN];
};
/* Put f in its slot of the case's version f->version, replacing what was
 * there (whose blob goes when nothing else names it). The blob must be
 * stored first (ERR_CONFLICT otherwise). */
ERR_MUST_CHECK enum err store_case_file_put(struct store *s, long long case_id,
                                            const struct store_case_file *f);
/* Remove the file in slot of version (ERR_NOTFOUND if none), and its blob
 * when nothing else names it. */
ERR_MUST_CHECK enum err store_case_file_remove(struct store *s, long long case_id, int version,
                                               const char *slot);
/* Copy the draft's files to submitted version `version`. */
ERR_MUST_CHECK enum err store_case_files_freeze(struct store *s, long long case_id, int version);
/* The files of a version, by slot; caller frees *out. */
ERR_MUST_CHECK enum err store_case_files(struct store *s, long long case_id, int version,
                                         struct store_case_file **out, size_t *n);
/* Bytes of the blobs named by any file of the party's cases (each blob
 * counted once). */
ERR_MUST_CHECK enum err store_case_usage(struct store *s, const char *party, int64_t *bytes);

#define STORE_CASE_NOTE_MAX_CHARS 4000
struct store_case_note {
    long long id;
    char *text; /* owned */
    char at[32];
    char by[STORE_CASE_WHO_LEN];
};
ERR_MUST_CHECK enum err store_case_note_add(struct store *s, long long case_id, const char *text,
                                            const char *at, const char *by, long long *id);
/* Oldest first; free with store_case_notes_release. */
ERR_MUST_CHECK enum err store_case_notes(struct store *s, long long case_id,
                                         struct store_case_note **out, size_t *n);
void store_case_notes_release(struct store_case_note *v, size_t n);

struct store_case_event {
    long long id;
    char verb[16]; /* case_verb_id() */
    int version;
    char message[STR_UTF8_SIZE(STORE_CASE_MESSAGE_MAX_CHARS)];
    char at[32];
    char by[STORE_CASE_WHO_LEN];
};
ERR_MUST_CHECK enum err store_case_event_add(struct store *s, long long case_id,
                                             const struct store_case_event *ev);
/* Oldest first; caller frees *out. */
ERR_MUST_CHECK enum err store_case_events(struct store *s, long long case_id,
                                          struct store_case_event **out, size_t *n);

#endif
