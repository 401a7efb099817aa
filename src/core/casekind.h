/* casekind.h - the case engine's rules: the table of case kinds and the
 * one state machine every kind shares.
 *
 * A case is something a party (an organisation or a person) puts to the
 * agency and the agency decides: a requisition now; follow-up reports,
 * reclaims, forecast reports and applications from individuals next.
 * Each is a kind in this table, not a copy of the machinery:
 *
 *   draft --submit--> submitted --return--> returned --submit--> submitted ...
 *   submitted --decide--> decided (approved, partly approved or rejected)
 *   draft | submitted | returned --withdraw--> withdrawn (by the party)
 *
 * Saving the working draft is allowed in draft and returned; notes,
 * assignment and attachments by the agency while the case is open
 * (submitted or returned; a note also after the decision, for the file).
 * decided and withdrawn are final.
 *
 * A kind's content is canonical JSON (jansson) handled by its codec:
 * validate (with the kind's own context, e.g. the program and the
 * recipient's maximum), canon (the text behind digests, idempotency and
 * audit records), diff (the version diff in words: field label, old value,
 * new value) and amount (what the party asks for, in öre; -1 when the
 * kind asks for no money). case_canon_json and case_diff_fields are the
 * generic codec functions a kind may use as they are.
 *
 * Who may perform a kind's actions is the action table's (core/action.h);
 * the kind names the actions. Pure: no store, no clock. */
#ifndef BIDRAG_CORE_CASEKIND_H
#define BIDRAG_CORE_CASEKIND_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/action.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/msg.h"

#define CASE_KIND_LEN 32   /* "requisition" */
#define CASE_NUMBER_LEN 24 /* "REK-2026-000123" */

enum case_state {
    CASE_DRAFT = 0,
    CASE_SUBMITTED,
    CASE_RETURNED, /* returned to the party for completion, with a message */
    CASE_DECIDED,  /* final: the outcome says how */
    CASE_WITHDRAWN /* final: withdrawn by the party before a decision */
};
#define CASE_STATE_COUNT 5

enum case_outcome {
    CASE_OUTCOME_NONE = 0, /* not decided */
    CASE_APPROVED,         /* granted as asked */
    CASE_PARTLY_APPROVED,  /* granted, less than asked: reasons required */
    CASE_REJECTED          /* refused: reasons required */
};
#define CASE_OUTCOME_COUNT 4

/* What is done to a case. */
enum case_verb {
    CASE_SAVE,     /* the party saves the working draft */
    CASE_SUBMIT,   /* the party submits the draft as a new version */
    CASE_WITHDRAW, /* the party withdraws it, before a decision */
    CASE_RETURN,   /* the agency returns it for completion */
    CASE_DECIDE,   /* the agency decides it */
    CASE_NOTE,     /* the agency adds an officer's note */
    CASE_ASSIGN,   /* the agency assigns it to an officer */
    CASE_ATTACH    /* a file is attached (the party to its draft) */
};
#define CASE_VERB_COUNT 8

/* "draft", "submitted", "returned", "decided", "withdrawn"; "" for a bad
 * value. */
const char *case_state_id(enum case_state s);
/* -1 if unknown. */
int case_state_parse(const char *s);
/* "", "approved", "partly_approved", "rejected"; "" for a bad value. */
const char *case_outcome_id(enum case_outcome o);
/* -1 if unknown ("" is CASE_OUTCOME_NONE). */
int case_outcome_parse(const char *s);
/* "save", "submit", ...; "" for a bad value. */
const char *case_verb_id(enum case_verb v);

/* The state machine: the state after verb v in state from into *to (may
 * be NULL; verbs that leave the state as it is give from). ERR_CONFLICT
 * when v is not allowed in from, ERR_INVALID for values out of range. */
ERR_MUST_CHECK enum err case_transition(enum case_state from, enum case_verb v,
                                        enum case_state *to);
/* 1 when the case can no longer change (decided, withdrawn). */
int case_state_final(enum case_state s);

/* The outcome of a decision granting granted_ore of asked_ore (-1: the
 * kind asks for no money, and granted_ore 1 means granted, 0 refused):
 * nothing granted is rejected, less than asked is partly approved. */
enum case_outcome case_outcome_of(int64_t asked_ore, int64_t granted_ore);
/* 1 when a decision with outcome o must give its reasons: everything but
 * granting in full (förvaltningslagen 32 §). */
int case_outcome_needs_reasons(enum case_outcome o);

/* Who the party of a case is. */
enum case_party {
    CASE_PARTY_ORG,   /* a recipient organisation: its code ("0180", "01") */
    CASE_PARTY_PERSON /* an individual: the account that applies */
};

/* Which cases of a kind may exist side by side. */
enum case_unique {
    CASE_UNIQUE_NONE,         /* any number per party */
    CASE_UNIQUE_PROGRAM_PARTY /* one per program and party (a requisition) */
};

/* One field of a kind's content as shown in a version diff. */
struct case_field {
    const char *name;  /* the JSON member: "amount_ore", "contact_name" */
    const char *label; /* catalog text (N_): "Belopp" */
};

/* One change between two versions, in words. */
#define CASE_DIFF_VALUE_LEN 160
struct case_change {
    const char *label; /* catalog text of the field (N_) */
    char old_value[CASE_DIFF_VALUE_LEN];
    char new_value[CASE_DIFF_VALUE_LEN];
};
#define CASE_DIFF_MAX 32
struct case_diff {
    size_t n;
    struct case_change v[CASE_DIFF_MAX];
};

/* A kind's content codec. ctx is the kind's own context (the program and
 * the recipient's maximum for a requisition), NULL when none. */
struct case_codec {
    /* Add every rule content breaks to out (not cleared); return the
     * number added. for_submit 0 (a draft): only what cannot be stored. */
    size_t (*validate)(const json_t *content, const void *ctx, int for_submit,
                       struct msg_issues *out);
    /* The canonical text of content, appended to b. */
    enum err (*canon)(const json_t *content, struct buf *b);
    /* The changes from a to b (either may be NULL: no such version). */
    enum err (*diff)(const json_t *a, const json_t *b, struct case_diff *out);
    /* What the party asks for, in öre; -1 when the kind asks for no money. */
    int64_t (*amount)(const json_t *content);
};

/* The actions of a kind (ACT_COUNT: the kind offers none). */
struct case_actions {
    enum action_id read;     /* the party reads its case */
    enum action_id review;   /* the agency reads it, and the queue */
    enum action_id save;     /* save the working draft */
    enum action_id submit;   /* submit */
    enum action_id withdraw; /* withdraw, by the party */
    enum action_id ret;      /* return for completion */
    enum action_id approve;  /* decide: approve, in full or in part */
    enum action_id reject;   /* decide: reject */
    enum action_id note;     /* add an officer's note */
    enum action_id assign;   /* assign to an officer */
};

/* One slot a kind's cases may hold a file in ("plan"): the party fills it
 * on its draft (frozen with the next submission) or, once submitted, on
 * the latest version (a file asked for later). */
struct case_slot {
    const char *name;         /* "plan": 1-31 of [a-z0-9_] */
    const char *label;        /* catalog text (N_): "Produktionsplan" */
    int64_t max_bytes;        /* one file at most */
    const char *const *types; /* the content types allowed, NULL-terminated */
    /* 1 when the bytes are of type (may be NULL: the type is believed) */
    int (*sniff)(const void *data, size_t len, const char *type);
};

struct case_kind {
    const char *id;       /* "requisition": stored, in objects "requisition:REK-..." */
    const char *prefix;   /* the case number series: "REK" */
    const char *decision; /* the decision number series: "BES" */
    enum case_party party;
    enum case_unique unique;
    const char *what;                /* catalog text (N_): "Rekvisition" */
    size_t max_content;              /* bytes of canonical content at most */
    const struct case_field *fields; /* in the order the diff lists them */
    size_t nfields;
    struct case_actions act;
    struct case_codec codec;
    const struct case_slot *slots; /* the files its cases may hold */
    size_t nslots;
    int64_t party_quota; /* bytes of files one party may keep, each file once */
};

/* The slot of k with this name, NULL if none. */
const struct case_slot *case_slot_find(const struct case_kind *k, const char *name);
/* 1 when the slot allows content type type. */
int case_slot_allows(const struct case_slot *sl, const char *type);
/* A case or decision number: "REK-2026-000001" (series, year, n >= 1)
 * into out; ERR_LIMIT when it does not fit, ERR_INVALID out of range. */
ERR_MUST_CHECK enum err case_number_fmt(char *out, size_t n, const char *series, int year,
                                        long long seq);

/* Register a kind: the table is filled once at start (each kind's module
 * calls this from its init); ERR_CONFLICT for an id or prefix taken,
 * ERR_INVALID for an id or prefix not of the right shape (id: 1-31
 * lower-case letters, digits and '_'; prefix: 1-8 capital letters), a
 * codec without canon or validate, ERR_LIMIT past CASE_KINDS_MAX. The
 * kind is borrowed: it must outlive the program. */
#define CASE_KINDS_MAX 16
ERR_MUST_CHECK enum err case_kind_register(const struct case_kind *k);
/* The kind with this id, NULL if none. */
const struct case_kind *case_kind_find(const char *id);
/* The kinds registered, in order; *n gets their number. */
const struct case_kind *const *case_kinds(size_t *n);

/* The generic codec functions. canon: the JSON with its members sorted
 * and no spaces (jansson's JSON_SORT_KEYS | JSON_COMPACT), numbers as
 * integers; diff: the kind's fields in order, each whose canonical value
 * differs, with the values as text (strings as they are, other values as
 * canonical JSON, "" for an absent one; cut at a character to fit). */
ERR_MUST_CHECK enum err case_canon_json(const json_t *content, struct buf *b);
ERR_MUST_CHECK enum err case_diff_fields(const struct case_kind *k, const json_t *a,
                                         const json_t *b, struct case_diff *out);

/* Copy src into out (n bytes), cut at a character boundary when it does
 * not fit: a value of a diff. */
void case_value_copy(char *out, size_t n, const char *src);

/* The canonical text of content by the kind's codec into a new string
 * (caller frees); ERR_LIMIT past the kind's max_content. */
ERR_MUST_CHECK enum err case_canon(const struct case_kind *k, const json_t *content, char **out);
/* Parse a stored canonical text back into JSON (*out: a new reference);
 * ERR_PARSE if it is no JSON object, ERR_LIMIT past the kind's max_content. */
ERR_MUST_CHECK enum err case_content_parse(const struct case_kind *k, const char *text,
                                           json_t **out);

#endif
