/* svc.h - the one shape of a service call: who asks (an identity, never
 * roles), which action (core/action.h), when (the time is passed in), at
 * most one transaction with its audit record, and one result carrying a
 * message key that the web, the API, the PDFs and the command line render
 * in their language (util/msg.h).
 *
 * Every service function that performs a user action is written so:
 *
 *     enum err thing_do(struct store *s, const struct svc_actor *who, int64_t now,
 *                       ...inputs..., ...own outputs..., struct svc_result *res)
 *     {
 *         struct svc_call c;
 *         enum err e = svc_begin(&c, s, who, ACT_THING_DO, now, res);
 *         if (e != ERR_OK)
 *             return svc_end(&c, e);          // refused: res->msg says why
 *         e = svc_check_owner(&c, owner);      // ACT_SCOPE_ORG: whose object
 *         ...read and compute: nothing holds the write lock yet...
 *         if (e == ERR_OK)
 *             e = svc_write(&c);               // opens the transaction
 *         ...store_* writes...
 *         if (e == ERR_OK)
 *             e = svc_audit(&c, "thing:42", before_text, after_text);
 *         return svc_end(&c, e);               // commit, or roll back
 *     }
 *
 * svc_begin resolves the actor's roles from the store (for the
 * organisation acted for, and everywhere for the separation of duties)
 * and checks the action's roles and scope; svc_end commits when e is
 * ERR_OK - asserting that an action flagged ACT_WRITES wrote its audit
 * record - and rolls back otherwise, so a failure anywhere leaves nothing
 * half-written. Messages for people are set with svc_fail() (or msg_set*
 * on res->msg and res->issues); a storage failure without one gets a
 * general sentence. Action-specific outputs go to the caller's own
 * out-parameters. */
#ifndef BIDRAG_SERVICE_SVC_H
#define BIDRAG_SERVICE_SVC_H

#include <stddef.h>
#include <stdint.h>

#include "core/action.h"
#include "store/store.h"
#include "store/store_auth.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/err.h"
#include "util/msg.h"

enum svc_origin { SVC_WEB, SVC_API, SVC_CLI, SVC_SYSTEM };

/* Who asks: identity only, never roles. */
struct svc_actor {
    long long account;       /* the account's id; 0: nobody logged in, or SVC_SYSTEM */
    char login[128];         /* the account's login ("system" for SVC_SYSTEM) */
    char org[STORE_ORG_LEN]; /* organisation acted for, "" = the agency */
    enum svc_origin origin;
    char addr[64]; /* the client's address (web, API), "" otherwise */
};

/* The login of the operator's account: made by the system with its audit
 * record (auth_operator_ensure) the first time the command line acts as
 * it; admin, no password, never logs in on the web. The command line
 * acts as it unless --as names a person; it performs no ACT_FOUR_EYES
 * action (a decision needs a named person). */
#define SVC_OPERATOR "operator"
/* The password hash of an account that never logs in (the operator's):
 * no password matches it and single sign-on refuses it. */
#define SVC_NO_LOGIN "!"

/* The outcome of a call. */
struct svc_result {
    enum err e;
    struct msg msg;           /* the sentence for the top of the page (may be empty) */
    struct msg_issues issues; /* messages next to form fields */
};
/* Clear res (svc_begin does it for every call). A function that reads a
 * file takes a struct diag beside the result for "file:line: ..." lines. */
void svc_result_init(struct svc_result *res);

/* One action in progress. */
struct svc_call {
    struct store *s;
    const struct action *act;
    struct svc_actor who;
    unsigned roles; /* held where who.org says, resolved from the store */
    unsigned held;  /* held anywhere (separation of duties) */
    int operator;   /* 1: the operator's account, not a named person */
    int64_t now;
    struct date today;          /* civil_date(now): Stockholm */
    char nowiso[CLOCK_ISO_LEN]; /* now as ISO 8601 UTC */
    int in_txn;                 /* svc_write opened the transaction */
    int audited;                /* audit records written */
    int housekeeping;           /* svc_housekeeping: a commit with no record */
    struct svc_result *res;
};

/* An actor for what the system does by itself (bidrag init, migrations):
 * every action allowed, recorded as "system". */
void svc_actor_system(struct svc_actor *a);
/* The command line's actor: the account login (NULL or "": the operator's
 * account) acting for org ("" = the agency). ERR_NOTFOUND with a message
 * when there is no such account (or no operator's account: run `bidrag
 * migrate`), ERR_DENIED when it is disabled. */
ERR_MUST_CHECK enum err svc_actor_cli(struct store *s, const char *login, const char *org,
                                      struct svc_actor *out, struct svc_result *res);

/* Start action act for who at now: clears res, resolves the roles and
 * checks the action's roles and scope (and, for ACT_FOUR_EYES, that the
 * actor is a named person). ERR_DENIED with the reason in res->msg, or a
 * storage failure. Whatever it returns, end the call with svc_end. */
ERR_MUST_CHECK enum err svc_begin(struct svc_call *c, struct store *s, const struct svc_actor *who,
                                  enum action_id act, int64_t now, struct svc_result *res);
/* ACT_SCOPE_ORG: the object belongs to owner_org; ERR_DENIED (the reason
 * in res->msg) unless that is the organisation acted for. Other scopes:
 * ERR_OK. */
ERR_MUST_CHECK enum err svc_check_owner(struct svc_call *c, const char *owner_org);
/* Could this call's actor also perform act on an object of owner_org
 * (to show a button, or say why not)? From the roles resolved by
 * svc_begin; ERR_OK or ERR_DENIED with the reason in *reason and why
 * (either may be NULL). */
ERR_MUST_CHECK enum err svc_call_may(const struct svc_call *c, enum action_id act,
                                     const char *owner_org, enum action_deny *reason,
                                     struct msg *why);
/* Four eyes: ERR_DENIED with the message why ({1}: the object's number
 * what) when the actor is among the n logins who prepared or submitted
 * the object. */
ERR_MUST_CHECK enum err svc_check_four_eyes(struct svc_call *c, const char *const *preparers,
                                            size_t n, struct msgkey why, const char *what);
/* Open the action's transaction (the write lock is taken here, as late as
 * the action allows). */
ERR_MUST_CHECK enum err svc_write(struct svc_call *c);
/* Undo what the call wrote so far and close its transaction: nothing
 * changed after all (an identical repeat of an earlier submission). */
void svc_rollback(struct svc_call *c);
/* Say that the transaction changes only housekeeping rows (login
 * counters, expired sessions) that need no audit record of their own. */
void svc_housekeeping(struct svc_call *c);
/* Append the action's audit record inside the transaction: the action's
 * name, the object ("requisition:REK-2026-000001") and the canonical texts
 * before and after (NULL when it did not or no longer exists; only their
 * digests are kept). svc_audit_verb records another verb than the
 * action's name ("role.grant" for user.role). */
ERR_MUST_CHECK enum err svc_audit(struct svc_call *c, const char *object, const char *before,
                                  const char *after);
ERR_MUST_CHECK enum err svc_audit_verb(struct svc_call *c, const char *verb, const char *object,
                                       const char *before, const char *after);
/* Set the result's message and return e (for `return svc_fail(...)` and
 * `e = svc_fail(...)`); an earlier message is kept. */
ERR_MUST_CHECK enum err svc_fail(struct svc_call *c, enum err e, struct msgkey key);
ERR_MUST_CHECK enum err svc_failv(struct svc_call *c, enum err e, struct msgkey key, size_t n,
                                  const struct msg_arg *args);
#define svc_failf(c, e, key, ...)                                                                  \
    svc_failv((c), (e), (key), sizeof((struct msg_arg[]){__VA_ARGS__}) / sizeof(struct msg_arg),   \
              (struct msg_arg[]){__VA_ARGS__})
/* End the call: commit on ERR_OK (an ACT_WRITES action must have written
 * its audit record), roll back otherwise. Returns e or the commit's error,
 * also in res->e; a storage failure without a message gets one. */
ERR_MUST_CHECK enum err svc_end(struct svc_call *c, enum err e);

/* May who perform act on an object of owner_org ("" or NULL: none)? For
 * showing a button or a link; the action checks again when performed. */
int svc_may(struct store *s, const struct svc_actor *who, enum action_id act,
            const char *owner_org);
/* The same with the reason: ERR_OK, or ERR_DENIED with the sentence in why
 * (may be NULL), or a storage failure. */
ERR_MUST_CHECK enum err svc_check(struct store *s, const struct svc_actor *who, enum action_id act,
                                  const char *owner_org, struct msg *why);

/* Make the data generation's row (store_data_gen, migration 0061) if it
 * is missing: the server's start, before kept pages are checked against
 * it. */
ERR_MUST_CHECK enum err svc_data_gen_init(struct store *s);
/* The data generation now (store_data_gen), and with it the auth
 * generation read in the same statement (store_gens): what a kept page is
 * checked against (web/keep.c). No action of their own: they tell nothing
 * a page does not show. */
ERR_MUST_CHECK enum err svc_data_gen(struct store *s, int64_t *gen);
ERR_MUST_CHECK enum err svc_gens(struct store *s, int64_t *auth, int64_t *data);

#endif
