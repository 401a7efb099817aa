/* case.h - the case engine's service: every action on a case of any kind
 * (core/casekind.h) in the one call shape of service/svc.h, over the
 * generic tables of store/store_case.h. A kind's module (a requisition
 * now; follow-up reports, reclaims and applications next) registers its
 * kind and calls these with it; the kind names the actions (who may is
 * the action table's), the codec validates and canonicalises the content.
 *
 *   case_open      the party's draft: found, or created under the next
 *                  number of the kind's series (store counters)
 *   case_save      the working draft (version 0), at the revision read
 *   case_submit    a new immutable version with its receipt; an
 *                  idempotency key is the party's own: the same key with
 *                  the same content gives the first receipt back and
 *                  changes nothing, with other content or on another case
 *                  it is a conflict
 *   case_withdraw  by the party, before a decision
 *   case_return    for completion, with a message to the party
 *   case_decide    granted amount -> approved, partly approved or rejected
 *                  (case_outcome_of); reasons required unless granted in
 *                  full (förvaltningslagen 32 §); the decision gets its own
 *                  number from the kind's decision series and the appeal
 *                  clause the caller gives
 *   case_note      an officer's note (the agency only reads notes)
 *   case_assign    to an officer who may review the kind ("" : nobody)
 *   case_attach    a file in one of the kind's slots: type, size cap,
 *                  the party's quota (each file's bytes counted once)
 *   case_get, case_history, case_diff: reading, with the version diff in
 *                  words (label, old value, new value)
 *
 * st (where the case stands) is set whenever the case was read, also when
 * the change is refused; a refusal before that leaves it as it was (so
 * one status may be passed in and out).
 *
 * Every change names the revision it was based on (ERR_CONFLICT when the
 * case changed since: nothing is merged), goes through the one state
 * machine (case_transition: ERR_CONFLICT when the state does not allow
 * it), is one transaction with one audit record on the object
 * "KIND:NUMBER", whose entity ("case:NUMBER", store_entity.h) digests the
 * case's rows, and appends to the case's history. Four eyes: nobody
 * returns or decides a case they created, saved, attached to or
 * submitted (from the case's rows and history). The agency never sees the
 * party's working draft. */
#ifndef BIDRAG_SERVICE_CASE_H
#define BIDRAG_SERVICE_CASE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/casekind.h"
#include "service/svc.h"
#include "store/store_case.h"
#include "util/clock.h"

/* Where a case stands after an action (also after a conflict: the
 * revision to retry from). */
struct case_status {
    char number[CASE_NUMBER_LEN]; /* "" when there is none */
    long long revision;           /* pass back as based_on with the next change */
    int version;                  /* latest submitted version, 0 if none */
    enum case_state state;
    enum case_outcome outcome;
};

/* The receipt (kvittens) of a submission. */
struct case_receipt {
    char number[CASE_NUMBER_LEN];
    int version;
    char at[CLOCK_ISO_LEN]; /* when it was received */
    char by[STORE_CASE_WHO_LEN];
    char digest[65];    /* sha256 of the canonical content */
    int64_t amount_ore; /* asked for; -1 when the kind asks for no money */
    int repeated;       /* 1: an identical repeat of an earlier submission */
};

/* Open the party's draft of kind k in program ("" when the kind has
 * none): a kind of one case per program and party gives the one there is,
 * else a new draft is created and numbered. Action: the kind's save. */
ERR_MUST_CHECK enum err case_open(struct store *s, const struct svc_actor *who, int64_t now,
                                  const struct case_kind *k, const char *program, const char *party,
                                  struct case_status *st, struct svc_result *res);

/* Save content as the working draft. Only what cannot be stored blocks a
 * draft (the codec's validate for a draft: ERR_INVALID with res->issues);
 * what would stop a submission is left in res->issues as hints. */
ERR_MUST_CHECK enum err case_save(struct store *s, const struct svc_actor *who, int64_t now,
                                  const struct case_kind *k, const char *number, long long based_on,
                                  const json_t *content, const void *ctx, struct case_status *st,
                                  struct svc_result *res);

/* Submit content (NULL: the saved draft) as the next version; ctx goes to
 * the codec's validate. idem_key may be NULL or "". */
ERR_MUST_CHECK enum err case_submit(struct store *s, const struct svc_actor *who, int64_t now,
                                    const struct case_kind *k, const char *number,
                                    long long based_on, const json_t *content, const void *ctx,
                                    const char *idem_key, struct case_receipt *rc,
                                    struct case_status *st, struct svc_result *res);

ERR_MUST_CHECK enum err case_withdraw(struct store *s, const struct svc_actor *who, int64_t now,
                                      const struct case_kind *k, const char *number,
                                      long long based_on, struct case_status *st,
                                      struct svc_result *res);

/* message: to the party, required (at most STORE_CASE_MESSAGE_MAX_CHARS). */
ERR_MUST_CHECK enum err case_return(struct store *s, const struct svc_actor *who, int64_t now,
                                    const struct case_kind *k, const char *number,
                                    long long based_on, const char *message, struct case_status *st,
                                    struct svc_result *res);

/* A decision: granted_ore of what the latest version asks (a kind asking
 * for no money: 1 granted, 0 refused); never more than asked. reasons
 * are required unless granted in full; appeal is the clause the letter
 * prints (from the program; may be ""); block names the part of a
 * program the decision is about ("" for none). */
struct case_decision_in {
    int64_t granted_ore;
    const char *reasons;
    const char *appeal;
    const char *block;
};
ERR_MUST_CHECK enum err case_decide(struct store *s, const struct svc_actor *who, int64_t now,
                                    const struct case_kind *k, const char *number,
                                    long long based_on, const struct case_decision_in *in,
                                    struct store_case_decision *out, struct case_status *st,
                                    struct svc_result *res);

/* In-call steps: the changes above inside a call the caller began
 * (svc_begin with the action it performs, which is the kind's or its
 * own), for a kind's module that checks its own rules first (a window, a
 * program's maximum) and must change the case in ITS transaction with
 * one audit record: each step checks the party (or four eyes), opens the
 * call's transaction unless it is open, checks the revision and the
 * state, writes the rows, the history and the one audit record on
 * "KIND:NUMBER", and sets res->msg on success; the caller ends the call
 * (svc_end), which commits or undoes everything. The public functions
 * above are these between svc_begin and svc_end.
 *
 * case_open_in finds or creates the party's case WITHOUT an audit record
 * (*created says which): the caller's next step writes the one record.
 * The file (NULL: none) of case_save_in and case_submit_in goes on the
 * draft (and so, submitted, with the new version), checked and counted as
 * case_attach does, in the same step and audit record.
 * case_submit_in's identical repeat (rc->repeated) rolls the call's
 * transaction back: nothing may have been written before it.
 * case_supplement_in adds a supplementary decision (a redistribution's:
 * run_id, else -1) to a case decided approved or partly approved,
 * leaving its state and outcome as they are (ERR_CONFLICT otherwise); it
 * writes the decision, an event and the case's audit record. */
ERR_MUST_CHECK enum err case_open_in(struct svc_call *c, const struct case_kind *k,
                                     const char *program, const char *party, struct case_status *st,
                                     int *created);
/* A file put in one of the kind's slots by a save or a submission, as
 * case_attach puts it (its checks, the party's quota). */
struct case_file_in {
    const char *slot, *name, *content_type;
    const void *data;
    size_t len;
};
ERR_MUST_CHECK enum err case_save_in(struct svc_call *c, const struct case_kind *k,
                                     const char *number, long long based_on, const json_t *content,
                                     const void *ctx, const struct case_file_in *file,
                                     struct case_status *st);
ERR_MUST_CHECK enum err case_submit_in(struct svc_call *c, const struct case_kind *k,
                                       const char *number, long long based_on,
                                       const json_t *content, const void *ctx,
                                       const struct case_file_in *file, const char *idem_key,
                                       struct case_receipt *rc, struct case_status *st);
ERR_MUST_CHECK enum err case_withdraw_in(struct svc_call *c, const struct case_kind *k,
                                         const char *number, long long based_on,
                                         struct case_status *st);
ERR_MUST_CHECK enum err case_return_in(struct svc_call *c, const struct case_kind *k,
                                       const char *number, long long based_on, const char *message,
                                       struct case_status *st);
ERR_MUST_CHECK enum err case_decide_in(struct svc_call *c, const struct case_kind *k,
                                       const char *number, long long based_on,
                                       const struct case_decision_in *in,
                                       struct store_case_decision *out, struct case_status *st);
ERR_MUST_CHECK enum err case_supplement_in(struct svc_call *c, const struct case_kind *k,
                                           const char *number, const char *block,
                                           int64_t amount_ore, long long run_id,
                                           struct store_case_decision *out, struct case_status *st);

/* An officer's note (at most STORE_CASE_NOTE_MAX_CHARS); *id may be NULL. */
ERR_MUST_CHECK enum err case_note(struct store *s, const struct svc_actor *who, int64_t now,
                                  const struct case_kind *k, const char *number, const char *text,
                                  long long *id, struct svc_result *res);

/* Assign to officer ("": to nobody): an enabled account holding, for the
 * agency, a role that may review the kind. */
ERR_MUST_CHECK enum err case_assign(struct store *s, const struct svc_actor *who, int64_t now,
                                    const struct case_kind *k, const char *number,
                                    long long based_on, const char *officer, struct case_status *st,
                                    struct svc_result *res);

/* Attach a file to slot: to the draft while the party may save it (kept
 * with the next submission), to the latest version once submitted (a file
 * asked for later). Replaces what the slot held. ERR_INVALID for a slot
 * the kind has not, a type it does not allow or bytes not of that type,
 * an empty file or a bad name; ERR_LIMIT past the slot's size or the
 * party's quota. */
ERR_MUST_CHECK enum err case_attach(struct store *s, const struct svc_actor *who, int64_t now,
                                    const struct case_kind *k, const char *number,
                                    long long based_on, const char *slot, const char *name,
                                    const char *content_type, const void *data, size_t len,
                                    struct case_status *st, struct svc_result *res);

/* Everything a case's page shows, for the side the actor acts for. */
struct case_view {
    struct store_case row;
    json_t *draft;  /* the party's working draft; NULL for the agency, or none */
    json_t *latest; /* the latest submitted version; NULL if none */
    struct store_case_version *versions; /* submitted, oldest first (no content) */
    size_t nversions;
    struct store_case_decision *decisions;
    size_t ndecisions;
    struct store_case_file *files; /* of the latest version (and the draft, for the party) */
    size_t nfiles;
    struct store_case_note *notes; /* the agency's only */
    size_t nnotes;
    struct store_case_event *events;
    size_t nevents;
};
void case_view_release(struct case_view *v);
/* Read a case: the party with the kind's read action, the agency with its
 * review action. Caller releases out (also on error). */
ERR_MUST_CHECK enum err case_get(struct store *s, const struct svc_actor *who, int64_t now,
                                 const struct case_kind *k, const char *number,
                                 struct case_view *out, struct svc_result *res);
/* The case's history, oldest first; caller frees *out. */
ERR_MUST_CHECK enum err case_history(struct store *s, const struct svc_actor *who, int64_t now,
                                     const struct case_kind *k, const char *number,
                                     struct store_case_event **out, size_t *n,
                                     struct svc_result *res);
/* The changes from version v1 to v2 in words (0: the draft, the party's
 * only); the kind's diff, else case_diff_fields. */
ERR_MUST_CHECK enum err case_diff(struct store *s, const struct svc_actor *who, int64_t now,
                                  const struct case_kind *k, const char *number, int v1, int v2,
                                  struct case_diff *out, struct svc_result *res);

/* The catalog text of a state ("inskickat"), for messages and pages. */
const char *case_state_label_sv(enum case_state s);

#endif
