/* requisition.h - the rules of a requisition (rekvisition): what a
 * recipient asks to be paid from a program, with its measures (insatser),
 * contact person, payment account, opt-in to redistribution, production
 * plan and the signer's confirmation.
 *
 * Pure: validation gives a list of (field, message) so that a form can
 * show each one next to its field, each message a key with typed
 * arguments (util/msg.h) rendered in the reader's language; the
 * submission window is checked with today passed in. Who may save,
 * submit and decide is the action table's (core/action.h). Amounts are
 * öre; a requisition is in whole kronor because keys allocate whole
 * kronor. */
#ifndef BIDRAG_CORE_REQUISITION_H
#define BIDRAG_CORE_REQUISITION_H

#include <stddef.h>
#include <stdint.h>

#include "util/civil.h"

#include "core/key.h"
#include "core/payacct.h"
#include "core/program.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/err.h"
#include "util/msg.h"
#include "util/str.h"

#define REQ_MEASURES_MAX 10
/* Limits on text, in characters (code points) as people count them; the
 * fields holding them are sized with STR_UTF8_SIZE() so that whatever the
 * rules accept is stored whole. Defined here once: the form, the service,
 * the store and the pages use these. */
#define REQ_DESC_MAX_CHARS 2000         /* a measure's description */
#define REQ_MESSAGE_MAX_CHARS 2000      /* a return message or a rejection reason */
#define REQ_CONTACT_NAME_MAX_CHARS 120  /* the contact person's name */
#define REQ_CONTACT_EMAIL_MAX_CHARS 254 /* e-mail address (RFC 5321 path) */
#define REQ_CONTACT_PHONE_MAX_CHARS 40  /* telephone number */
#define REQ_PLAN_NAME_MAX_CHARS 200     /* the production plan's file name */
#define REQ_ID_MAX_CHARS 31             /* a purpose id, an account kind */
#define REQ_TEXT_MAX_BYTES 16384        /* hard cap on any stored text, drafts too */
#define REQ_PLAN_MAX_BYTES ((size_t)10 * 1024 * 1024)
/* plan files kept for one recipient, all its requisitions and versions */
#define REQ_PLAN_ORG_MAX_BYTES ((int64_t)50 * 1024 * 1024)
#define REQ_CASE_LEN 24 /* "REK-2026-000123" */

enum req_state {
    REQ_DRAFT = 0,
    REQ_SUBMITTED,
    REQ_RETURNED, /* returned for completion, with a message */
    REQ_APPROVED,
    REQ_REJECTED
};
#define REQ_STATE_COUNT 5

/* "draft", "submitted", ...; "" for a bad value. */
const char *req_state_id(enum req_state s);
/* Swedish for screens, a catalog text (translate with i18n_tr): "utkast",
 * "inskickad", "returnerad för komplettering", "beviljad", "avslagen". */
const char *req_state_label_sv(enum req_state s);
/* -1 if unknown. */
int req_state_parse(const char *s);

struct req_measure {
    char purpose[STR_UTF8_SIZE(REQ_ID_MAX_CHARS)]; /* a purpose id of the program */
    char *description;                             /* owned, 1-2000 characters */
    int64_t planned_ore;
};

/* Production plan as attached: name, type, size, digest. The bytes
 * themselves travel beside the form (data/len) only when uploaded. */
struct req_plan {
    char name[STR_UTF8_SIZE(REQ_PLAN_NAME_MAX_CHARS)];
    char content_type[80]; /* "application/pdf" or the XLSX type */
    int64_t size;
    char sha256[65]; /* hex, "" when no plan */
};

#define REQ_EXTRA_ANY (-1)

struct req_form {
    char program[64];
    char recipient[5];
    int64_t amount_ore; /* < 0: not given (the maximum is proposed) */
    size_t nmeasures;
    struct req_measure measures[REQ_MEASURES_MAX];
    char contact_name[STR_UTF8_SIZE(REQ_CONTACT_NAME_MAX_CHARS)];
    char contact_email[STR_UTF8_SIZE(REQ_CONTACT_EMAIL_MAX_CHARS)];
    char contact_phone[STR_UTF8_SIZE(REQ_CONTACT_PHONE_MAX_CHARS)];
    char account_kind[STR_UTF8_SIZE(REQ_ID_MAX_CHARS)]; /* "bankgiro", "plusgiro", "iban" */
    char account[STR_UTF8_SIZE(PAYACCT_INPUT_MAX)];
    int opt_in; /* wishes to take part in redistribution */
    /* with opt_in: how much more it can use, in öre; REQ_EXTRA_ANY (-1) =
     * "as much as possible". Nobody receives more than this. */
    int64_t extra_cap_ore;
    int confirmed; /* the signer confirms the conditions */
    struct req_plan plan;
    const unsigned char *plan_data; /* borrowed; NULL unless uploaded now */
    size_t plan_len;
};

void req_form_init(struct req_form *f);
void req_form_release(struct req_form *f);
/* Deep copy (plan_data is borrowed, not copied). Caller releases dst. */
enum err req_form_copy(struct req_form *dst, const struct req_form *src);
/* Add a measure (description copied, capped at REQ_TEXT_MAX_BYTES);
 * ERR_LIMIT past REQ_MEASURES_MAX. */
enum err req_measure_add(struct req_form *f, const char *purpose, const char *description,
                         int64_t planned_ore);

/* Set one form field from its text, as posted by the web form or given on
 * the command line. Field names are those of the issues: "amount" (kronor,
 * Swedish or plain spelling; empty = the maximum), "measure.N.purpose",
 * "measure.N.description", "measure.N.planned" (N = 1..10; measures up to
 * N are created), "contact_name", "contact_email", "contact_phone",
 * "account_kind", "account", "opt_in", "extra_cap" (kronor it can use
 * beyond its amount if it takes part in redistribution; empty = as much
 * as possible) and "confirmed" ("1", "on", "ja",
 * "yes", "true" = yes). A value that cannot be read is added to is (may be
 * NULL) and ERR_PARSE returned; ERR_NOTFOUND for a name that is no field
 * (csrf, revision, ...), which the caller may ignore. */
enum err req_form_set(struct req_form *f, const char *field, const char *value,
                      struct msg_issues *is);
/* Set the production plan's file name as uploaded: text by the rules of
 * util/str.h of at most REQ_PLAN_NAME_MAX_CHARS characters, else an issue
 * for "plan" and ERR_PARSE. */
enum err req_form_set_plan_name(struct req_form *f, const char *name, struct msg_issues *is);
/* Drop measures that are wholly empty (no purpose, no text, no amount),
 * keeping the order of the others. */
void req_form_trim(struct req_form *f);

/* A case or decision number from its series, year and sequence number:
 * ("REK", 2026, 1) -> "REK-2026-000001" (at least six digits). ERR_INVALID
 * for a series that is not 1-8 capital letters, a year outside 1000..9999
 * or n < 1; ERR_LIMIT when it does not fit in n bytes. */
enum err req_number_fmt(char *out, size_t size, const char *series, int year, long long n);

/* The recipient's maximum: its allocation summed over the blocks it is a
 * recipient of, in öre; 0 if it is no recipient of the program. */
int64_t req_max_ore(const struct allocation *a, const char *code);

/* Check a form against the program and the recipient's maximum. Every
 * rule broken is added to out (cleared first); returns out->n. With
 * for_submit = 0 (a draft) only what cannot be stored at all is checked. */
size_t req_validate(const struct req_form *f, const struct program *p, int64_t max_ore,
                    int for_submit, struct msg_issues *out);

/* The production plan's type: "application/pdf" (starts "%PDF-"), the
 * XLSX type (a ZIP whose central directory holds [Content_Types].xml and
 * xl/workbook.xml), or NULL. */
const char *req_plan_type(const unsigned char *data, size_t len);
#define REQ_XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Submission window: requisition_opens <= today <= requisition_closes.
 * ERR_DENIED with the reason in why (may be NULL) otherwise. */
enum err req_window_check(const struct program *p, struct date today, struct msg *why);
/* Saving a draft: allowed until the window has closed (a draft may be
 * prepared before it opens), or when no window is set. ERR_DENIED with
 * the reason in why (may be NULL) after its last day. */
enum err req_window_save_check(const struct program *p, struct date today, struct msg *why);

/* Whether moving from state `from` by an action is allowed: a recipient
 * saves in draft or returned; submits from draft or returned; the agency
 * returns, approves or rejects a submitted one. */
enum req_action { REQ_ACT_SAVE, REQ_ACT_SUBMIT, REQ_ACT_RETURN, REQ_ACT_APPROVE, REQ_ACT_REJECT };
int req_action_allowed(enum req_state from, enum req_action a);

/* Canonical text of a form (for audit digests and idempotency): one
 * field per line in a fixed order. Appends to b. */
enum err req_form_canon(const struct req_form *f, struct buf *b);

/* Names of the fields that differ between two forms, in form order
 * ("amount", "measures", "contact_name", ...), at most max; returns the
 * count. */
size_t req_form_diff(const struct req_form *a, const struct req_form *b, char (*fields)[32],
                     size_t max);

/* Split a recipient's requisitioned whole kronor over the blocks it is a
 * recipient of, in proportion to its amounts there (exactly: floors, then
 * the kronor left one by one to the blocks in order, never past a block's
 * amount). out[i] for block i (0 where not a recipient). */
void req_split_blocks(const struct allocation *a, const char *code, int64_t kr, int64_t *out);
/* What is left to redistribute in a block (öre): before its run, what was
 * allocated and not approved (never below 0); after it (redistributed),
 * what the run could not share out (remaining_ore). */
int64_t req_left_ore(int64_t allocated_ore, int64_t approved_ore, int redistributed,
                     int64_t remaining_ore);

#endif
