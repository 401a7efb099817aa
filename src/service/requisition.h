/* requisition.h - the requisition e-service's actions (rekvisition): a
 * recipient saves drafts and submits; the agency returns for completion,
 * approves or rejects, approves in bulk, and redistributes what was not
 * requisitioned; queues, version diffs and dashboard numbers for the
 * pages. One function per action, each ONE transaction with its audit
 * record inside; rights are checked here. A requisition is a case of the
 * case engine (core/reqcase.h, service/case.h, docs/cases.md): each
 * change checks the requisition's own rules, then takes the engine's
 * in-call steps; service/reqdata.h reads the case in the requisition's
 * words.
 *
 * Every function is one action in the shape of service/svc.h: who asks
 * (an identity; the roles are resolved from the store), the time, the
 * inputs, its own outputs and the result. Who may do what is the action
 * table's (core/action.h): recipients read (ACT_REQ_READ), save
 * (ACT_REQ_SAVE) and submit (ACT_REQ_SUBMIT) for their own organisation
 * (Gotland's kommun 0980 and region 09 are one); the agency reads what was
 * submitted (ACT_REQ_REVIEW_READ: handläggare, admin, attestant,
 * granskare - the draft is the recipient's own) and decides
 * (ACT_REQ_RETURN, _APPROVE, _REJECT, _BULK_APPROVE, _REDISTRIBUTE:
 * handläggare, admin), never in a case they prepared or submitted (four
 * eyes), and never from an account that also acts for a recipient. A
 * function that reads answers for the side the actor acts for: the
 * organisation (who->org set) or the agency.
 *
 * Messages for people are keys with arguments (util/msg.h): res->issues
 * go next to their fields and res->msg at the top. Times are Unix seconds
 * passed in; "today" is their Stockholm date. */
#ifndef BIDRAG_SERVICE_REQUISITION_H
#define BIDRAG_SERVICE_REQUISITION_H

#include <stddef.h>
#include <stdint.h>

#include "core/requisition.h"
#include "service/programs.h"
#include "service/svc.h"
#include "store/store.h"
#include "service/reqdata.h"
#include "util/clock.h"

/* Register the requisition as a kind of case (core/reqcase.h) in the
 * kinds' table, so the case engine knows it from the start: the bidrag
 * command calls it before any subcommand (serve included), web_serve and
 * the tests of the requisition service at their start. Again is nothing. */
ERR_MUST_CHECK enum err req_service_init(void);

/* Where a requisition stands after an action (also after a conflict:
 * the revision to retry from). */
struct req_status {
    char case_no[REQ_CASE_LEN]; /* "" when there is none */
    long long revision;         /* pass back as based_on with the next change */
    int version;                /* latest submitted version */
    enum req_state state;
};

/* The receipt (kvittens) of a submission. */
struct req_receipt {
    char case_no[REQ_CASE_LEN];
    int version;
    char at[CLOCK_ISO_LEN]; /* when it was received */
    char by[128];
    char program[64];
    char program_title[200];
    char diarienummer[64];
    char recipient[5];
    char recipient_name[64];
    int64_t amount_ore;
    int repeated; /* 1 = an identical repeat of an earlier submission */
};

/* Everything a requisition page shows. */
struct req_view {
    struct program_view pv; /* the program with its allocation (titles, purposes) */
    int exists;             /* 0: nothing stored yet; form holds the defaults */
    struct req_row row;
    struct req_form form;   /* working copy: the draft, else defaults (amount = max) */
    struct req_form latest; /* latest submitted version (if row.version > 0) */
    int64_t max_ore;
    char recipient_name[64];
    struct req_version_row *versions; /* submitted versions, oldest first */
    size_t nversions;
    struct req_decision_row *decisions;
    size_t ndecisions;
    int may_save, may_submit, may_review; /* for the actor, now */
    struct msg duty_msg;                  /* why not, when separation of duties forbids it */
    int window_open;
    struct msg window_msg; /* why not, when closed */
};
void req_view_release(struct req_view *v);

/* Open a recipient's requisition in a program (stored or not). ERR_DENIED
 * when the actor may not see it; ERR_NOTFOUND for an unknown program or a
 * code that is no recipient of it. Caller releases out (also on error). */
ERR_MUST_CHECK enum err req_open(struct store *s, const struct svc_actor *who, int64_t now,
                                 const char *program, const char *recipient, struct req_view *out,
                                 struct svc_result *res);
/* The same by case number. */
ERR_MUST_CHECK enum err req_open_case(struct store *s, const struct svc_actor *who, int64_t now,
                                      const char *case_no, struct req_view *out,
                                      struct svc_result *res);

/* Save the form (f->program, f->recipient say whose) as the draft.
 * based_on is the revision the form was opened at (0 when nothing was
 * stored). Nothing in the content blocks a draft except what cannot be
 * stored (broken text, a plan file of the wrong type or too large, a
 * plan for a program that asks for none, or one that takes the
 * recipient's plan files past REQ_PLAN_ORG_MAX_BYTES); r->issues lists
 * what would stop a submission, as hints. A plan file the draft no
 * longer names is removed unless a submitted version names it.
 * ERR_CONFLICT when someone else changed the requisition since based_on;
 * ERR_DENIED after the window's last day (a draft may be prepared before
 * it opens; req_view.may_save says the same for the page). */
ERR_MUST_CHECK enum err req_save_draft(struct store *s, const struct svc_actor *who, int64_t now,
                                       const struct req_form *f, long long based_on,
                                       struct req_status *st, struct svc_result *res);

/* Submit the form as a new immutable version. idem_key (may be NULL)
 * identifies the POST: repeating it with the same content gives the same
 * receipt and changes nothing (rc->repeated = 1); reusing it for other
 * content is ERR_CONFLICT. ERR_INVALID with r->issues when incomplete,
 * ERR_DENIED outside the window or without the right, ERR_CONFLICT when
 * someone else changed it since based_on (nothing is merged). */
ERR_MUST_CHECK enum err req_submit(struct store *s, const struct svc_actor *who, int64_t now,
                                   const struct req_form *f, long long based_on,
                                   const char *idem_key, struct req_receipt *rc,
                                   struct req_status *st, struct svc_result *res);

/* The receipt of a submitted version again (for the page shown after
 * the POST, or later); rights as req_open_case. */
ERR_MUST_CHECK enum err req_receipt_get(struct store *s, const struct svc_actor *who, int64_t now,
                                        const char *case_no, int version, struct req_receipt *rc,
                                        struct svc_result *res);

/* What the actor's organisation may requisition: every stored program in
 * which it is a recipient, with its maximum, the window and its own
 * requisition if any. Caller frees with req_overview_release. */
struct req_overview_item {
    char program[64];
    char title[200];
    char diarienummer[64];
    char recipient[5]; /* the code it receives as (Gotland: one line per role) */
    int64_t max_ore;
    struct date opens, closes;
    int window_open;
    int has_req;
    char case_no[REQ_CASE_LEN];
    enum req_state state;
    long long revision;
};
struct req_overview {
    struct req_overview_item *items;
    size_t n;
};
ERR_MUST_CHECK enum err req_overview_get(struct store *s, const struct svc_actor *who, int64_t now,
                                         struct req_overview *out, struct svc_result *res);
void req_overview_release(struct req_overview *o);

/* Agency review of a submitted requisition. return: back to the recipient
 * for completion with a message; approve: amount_ore (< 0: as requested;
 * at most the maximum and never more than requested) with an original
 * decision - granting less than requested needs reasons (förvaltningslagen
 * 32 §: ERR_INVALID with an issue for "reasons" without them), kept on
 * the decision (req_row.message shows them) and printed in the decision
 * letter under "Skäl för beslutet" (reasons are not kept for a grant in
 * full); reject: with a reason (a decision of rejection), the same way. */
ERR_MUST_CHECK enum err req_return(struct store *s, const struct svc_actor *who, int64_t now,
                                   const char *case_no, long long based_on, const char *message,
                                   struct req_status *st, struct svc_result *res);
ERR_MUST_CHECK enum err req_approve(struct store *s, const struct svc_actor *who, int64_t now,
                                    const char *case_no, long long based_on, int64_t amount_ore,
                                    const char *reasons, struct req_status *st,
                                    struct svc_result *res);
ERR_MUST_CHECK enum err req_reject(struct store *s, const struct svc_actor *who, int64_t now,
                                   const char *case_no, long long based_on, const char *reason,
                                   struct req_status *st, struct svc_result *res);

/* Bulk approval, first previewed, then confirmed. The selection (one rule
 * for both): every submitted requisition of the program that is complete,
 * asks for its maximum and that the actor neither prepared nor submitted,
 * at that amount; the others stay for review (left). digest names the
 * selection shown (the program, each case with its revision and amount). */
struct req_bulk_line {
    char case_no[REQ_CASE_LEN];
    char recipient[5];
    char name[64];
    int64_t amount_ore;
};
struct req_bulk_preview {
    size_t n;
    struct req_bulk_line *lines;
    int64_t total_ore;
    size_t left; /* submitted but not taken: to be reviewed one by one */
    char digest[65];
    struct msg question; /* "Bevilja {1} rekvisitioner, totalt {2}?" */
};
/* What a bulk approval would take; nothing is written. Caller releases
 * out. */
ERR_MUST_CHECK enum err req_bulk_preview(struct store *s, const struct svc_actor *who, int64_t now,
                                         const char *program, struct req_bulk_preview *out,
                                         struct svc_result *res);
/* Approve the selection in one transaction, if it is still the one whose
 * digest the officer confirms (from req_bulk_preview); otherwise
 * ERR_CONFLICT, nothing approved, and out holds the new selection to show.
 * On ERR_OK out holds what was approved. Caller releases out. */
ERR_MUST_CHECK enum err req_bulk_approve(struct store *s, const struct svc_actor *who, int64_t now,
                                         const char *program, const char *digest,
                                         struct req_bulk_preview *out, struct svc_result *res);
void req_bulk_preview_release(struct req_bulk_preview *p);

struct req_redist_block {
    char block[32];
    char title[200];
    int done_before; /* 1 = redistributed by an earlier run: unchanged */
    /* unrequisitioned: the pot (allocated less approved); remaining: what
     * nobody could take (everybody capped, or nobody took part): unpaid */
    int64_t unrequisitioned_ore, redistributed_ore, remaining_ore;
    size_t recipients;   /* supplementary amounts (decisions when written) */
    size_t participants; /* approved for the full amount and opted in */
    size_t capped;       /* got what they said they can use */
    size_t rounds;       /* rounds of the capped split */
};
struct req_redist_report {
    size_t nblocks;
    struct req_redist_block blocks[16];
    size_t decisions; /* written by this run */
};
/* What a redistribution would do, written nowhere: each recipient's
 * supplement, the total, and the digest the officer confirms. */
struct req_redist_preview_line {
    char code[5];
    char name[64];
    int64_t extra_ore;
};
struct req_redist_preview {
    size_t n;
    struct req_redist_preview_line *lines;
    int64_t total_ore;
    char digest[65]; /* the program, each block's state, each supplement */
};
/* Redistribution where the program's decision provides it
 * ('redistribution = yes'), after its date, with no requisition waiting:
 * per block, what was not approved is split by the block's weights among
 * the recipients approved for their full amount that opted in, each capped
 * at the extra amount it stated (core/redist), round by round; what is
 * left stays unpaid. The preview computes it and writes nothing (caller
 * releases preview). The run recomputes the preview under the write lock
 * and writes only when its digest is the one confirmed (from the preview
 * the officer saw): otherwise ERR_CONFLICT, nothing written, and preview
 * (if given) holds the new one to show. One transaction, a supplementary
 * decision per recipient, one audit record per block with the rounds. */
ERR_MUST_CHECK enum err req_redistribute_preview(struct store *s, const struct svc_actor *who,
                                                 int64_t now, const char *program,
                                                 struct req_redist_report *out,
                                                 struct req_redist_preview *preview,
                                                 struct svc_result *res);
ERR_MUST_CHECK enum err req_redistribute(struct store *s, const struct svc_actor *who, int64_t now,
                                         const char *program, const char *digest,
                                         struct req_redist_report *out,
                                         struct req_redist_preview *preview,
                                         struct svc_result *res);
void req_redist_preview_release(struct req_redist_preview *p);

/* Queue: requisitions by program, state and recipient, with counts per
 * state. A recipient sees only its own. Caller releases out. */
struct req_queue {
    struct req_row *rows;
    size_t n;
    long long counts[REQ_STATE_COUNT]; /* for the program (and recipient) */
};
ERR_MUST_CHECK enum err req_queue_list(struct store *s, const struct svc_actor *who, int64_t now,
                                       const struct req_filter *f, struct req_queue *out,
                                       struct svc_result *res);
void req_queue_release(struct req_queue *q);

/* Which fields changed between two versions of a requisition (0 = the
 * draft), in form order; at most max names. */
ERR_MUST_CHECK enum err req_version_diff(struct store *s, const struct svc_actor *who, int64_t now,
                                         const char *case_no, int v1, int v2, char (*fields)[32],
                                         size_t max, size_t *n, struct svc_result *res);

/* Dashboard numbers of a program: per recipient, per block and in total.
 * A recipient sees its own line only. Caller releases out. */
struct req_dash_line {
    char code[5];
    char name[64];
    char lan[3]; /* the län the recipient lies in */
    int has_req;
    enum req_state state;
    char case_no[REQ_CASE_LEN];
    int64_t allocated_ore, requested_ore, approved_ore, supplementary_ore;
};
struct req_dash_block {
    char id[32];
    char title[200];
    /* requested: latest submitted amounts split over the blocks like the
     * approved ones (req_split_blocks) */
    int64_t allocated_ore, requested_ore, approved_ore, redistributed_ore, remaining_ore;
    int redistributed;
    /* left to redistribute: what a run would share out (allocated less
     * approved, never below 0), or after the run what it could not */
    int64_t left_ore;
};
struct req_dashboard {
    struct req_dash_line *lines;
    size_t nlines;
    struct req_dash_block *blocks;
    size_t nblocks;
    int64_t allocated_ore, requested_ore, approved_ore, supplementary_ore;
    long long counts[REQ_STATE_COUNT];
};
ERR_MUST_CHECK enum err req_dashboard_get(struct store *s, const struct svc_actor *who, int64_t now,
                                          const char *program, struct req_dashboard *out,
                                          struct svc_result *res);
void req_dashboard_release(struct req_dashboard *d);

/* The production plan file of a version, for download; rights as req_open.
 * content_type gets n bytes. */
ERR_MUST_CHECK enum err req_plan_fetch(struct store *s, const struct svc_actor *who, int64_t now,
                                       const char *case_no, int version, char *content_type,
                                       size_t n, struct buf *out, struct svc_result *res);

/* The receipt (kvittens) of a submitted version as PDF, and a decision
 * (beslut) by its number as PDF; rights as req_open. Appended to out. */
ERR_MUST_CHECK enum err req_receipt_pdf(struct store *s, const struct svc_actor *who, int64_t now,
                                        const char *case_no, int version, struct buf *out,
                                        struct svc_result *res);
ERR_MUST_CHECK enum err req_decision_pdf(struct store *s, const struct svc_actor *who, int64_t now,
                                         const char *number, struct buf *out,
                                         struct svc_result *res);
/* The decisions of a requisition (rights as req_open); caller frees *out. */
ERR_MUST_CHECK enum err req_decisions_list(struct store *s, const struct svc_actor *who,
                                           int64_t now, const char *case_no,
                                           struct req_decision_row **out, size_t *n,
                                           struct svc_result *res);
/* Every decision in a program, for the agency (ACT_REQ_REVIEW_READ);
 * caller frees *out. */
ERR_MUST_CHECK enum err req_decisions_of_program(struct store *s, const struct svc_actor *who,
                                                 int64_t now, const char *program,
                                                 struct req_decision_row **out, size_t *n,
                                                 struct svc_result *res);
/* The revision of a case now (the command line acts on what it reads);
 * -1 when there is no such case or it is not the actor's to read. */
long long req_revision_of(struct store *s, const struct svc_actor *who, int64_t now,
                          const char *case_no);

#endif
