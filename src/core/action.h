/* action.h - every user action declared once, in the spirit of Redis's
 * command table: its name (in audit records, API errors, the command
 * line's help and the docs), the roles that may perform it, for whom it
 * is done (its scope), whether it writes, reads personal data, needs a
 * second person or moves money in bulk, and a Swedish description for the
 * authorisation matrix.
 *
 * The service checks an action from roles it resolves itself from the
 * store (service/svc.h); web routes, the JSON API and the command line
 * name the action and repeat no rule. The authorisation-matrix test is
 * generated from this table and the route table, so an action or route
 * cannot ship without its rows.
 *
 * Separation of duties (DESIGN.md, "Four eyes") is part of the check:
 * agency staff never act for a recipient, a recipient's people never
 * decide for the agency, and an account holding both kinds of role (given
 * before the rule) is refused on both sides until one is taken away.
 * Nobody decides a case they prepared or submitted: the service compares
 * the case's history (svc_check_four_eyes). Pure: no store, no clock. */
#ifndef BIDRAG_CORE_ACTION_H
#define BIDRAG_CORE_ACTION_H

#include <stddef.h>

#include "util/err.h"

enum action_id {
    /* open to anybody */
    ACT_PUBLIC, /* the front door, the style sheet */
    ACT_HEALTH,
    ACT_LOGIN,
    /* the person's own session and account */
    ACT_SESSION_ORG,
    ACT_LOGOUT,
    ACT_INVITE_ANSWER,
    ACT_START,
    ACT_ACCOUNT_READ,
    ACT_ACCOUNT_PASSWD,
    ACT_ACCOUNT_TOKEN,
    /* a recipient organisation's own people */
    ACT_ORG_READ,
    ACT_ORG_MEMBERS,
    /* user administration */
    ACT_USER_READ,
    ACT_USER_ADD,
    ACT_USER_PASSWD,
    ACT_USER_DISABLE,
    ACT_USER_ROLE,
    ACT_TOKEN_CREATE,
    ACT_TOKEN_READ,
    ACT_TOKEN_REVOKE,
    /* the audit trail */
    ACT_AUDIT_READ,
    ACT_AUDIT_VERIFY,
    /* reference data and programs */
    ACT_ORGS_READ,
    ACT_ORGS_LOAD,
    ACT_SERIES_READ,
    ACT_SERIES_IMPORT,
    ACT_PROGRAM_READ,
    ACT_PROGRAM_CHECK,
    ACT_PROGRAM_LOAD,
    ACT_PROGRAM_STANDIN,
    /* requisitions */
    ACT_REQ_READ,
    ACT_REQ_SAVE,
    ACT_REQ_SUBMIT,
    ACT_REQ_REVIEW_READ,
    ACT_REQ_RETURN,
    ACT_REQ_APPROVE,
    ACT_REQ_REJECT,
    ACT_REQ_BULK_APPROVE,
    ACT_REQ_REDISTRIBUTE,
    ACT_REQ_WITHDRAW,
    ACT_REQ_NOTE,
    ACT_REQ_ASSIGN,
    ACT_REQ_MOVE,
    /* workforce statistics */
    ACT_STATS_READ,
    ACT_STATS_QUERY_SAVE,
    ACT_STATS_EXACT,
    ACT_STATS_IMPORT,
    /* paying out (service/payments.h) */
    ACT_PAY_READ,
    ACT_PAY_SETTINGS,
    ACT_PAY_LIMIT,
    ACT_PAY_CREATE,
    ACT_PAY_BATCH,
    ACT_PAY_ATTEST,
    ACT_PAY_FILE,
    ACT_PAY_REPLY,
    ACT_PAY_REISSUE,
    ACT_PAY_ORG_READ,
    /* the appropriation ledger (service/ledgersvc.h) */
    ACT_LEDGER_READ,
    ACT_LEDGER_OWN_COST,
    /* notifications: the outbox */
    ACT_OUTBOX_READ,
    ACT_OUTBOX_SEND,
    /* the database */
    ACT_BACKUP,
    ACT_COUNT
};

enum action_scope {
    ACT_SCOPE_PUBLIC, /* no login */
    ACT_SCOPE_SELF,   /* any logged-in person, on their own session or account,
                         whatever roles (also none) and before choosing whom to act for */
    ACT_SCOPE_ANY,    /* any logged-in person with a role where they act */
    ACT_SCOPE_AGENCY, /* acting for the agency (org "") with one of `roles` */
    ACT_SCOPE_ORG     /* acting for the recipient organisation the object belongs to */
};

#define ACT_WRITES (1u << 0)    /* changes state: one transaction, one audit record */
#define ACT_READS_PII (1u << 1) /* reads personal data: an audited read */
#define ACT_FOUR_EYES                                                                              \
    (1u << 2)              /* decides: a named person (not the operator's account),                \
                              not anyone who prepared or submitted it */
#define ACT_BULK (1u << 3) /* moves money in bulk: preview, then explicit confirm */

struct action {
    enum action_id id;
    const char *name; /* "requisition.submit" */
    unsigned roles;   /* PERM_* mask that may perform it (ANY: every role; PUBLIC, SELF: 0) */
    enum action_scope scope;
    unsigned flags;
    const char *what_sv; /* "Skicka in en rekvisition" */
};

/* The action with this id (never NULL for id < ACT_COUNT). */
const struct action *action_get(enum action_id id);
/* The whole table, in enum order; *n gets ACT_COUNT. */
const struct action *action_table(size_t *n);
/* The action with this name, NULL if none. */
const struct action *action_find(const char *name);

/* Who asks, as the service resolved it. */
struct action_who {
    int person;      /* 1: a logged-in person (or the operator's account) */
    int impersonal;  /* 1: the operator's account, which takes no decision */
    unsigned roles;  /* roles held where org says */
    unsigned held;   /* every role held, anywhere */
    const char *org; /* organisation acted for, "" = the agency */
};

/* Why an action was refused. */
enum action_deny {
    ACT_DENY_NONE = 0,
    ACT_DENY_LOGIN,     /* not logged in */
    ACT_DENY_ROLE,      /* no role here that may do it */
    ACT_DENY_CONTEXT,   /* acting for the wrong side: the agency vs a recipient */
    ACT_DENY_OWNER,     /* the object belongs to another organisation */
    ACT_DENY_AGENCY,    /* agency staff never act for a recipient */
    ACT_DENY_RECIPIENT, /* a recipient's people never decide for the agency */
    ACT_DENY_IMPERSONAL /* a decision needs a named person, not the operator's account */
};

/* May w perform a on an object owned by owner_org ("" or NULL: no owner,
 * or not known yet)? ERR_OK, or ERR_DENIED with the reason in *why (may
 * be NULL). For ACT_SCOPE_ORG the owner must be the organisation acted
 * for (Gotland's kommun 0980 and region 09 are one, core/org.h). */
enum err action_allowed(const struct action *a, const struct action_who *w, const char *owner_org,
                        enum action_deny *why);

#endif
