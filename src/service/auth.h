/* auth.h - accounts, roles, login, sessions and API tokens: the service
 * functions behind the login pages, `bidrag user` and `bidrag token`.
 * The roles of a person are resolved here from the store (svc.h); the
 * operator's account (SVC_OPERATOR) never logs in.
 *
 * Each state change runs in one transaction with its audit record. A new
 * password ends the account's sessions and API tokens; a disabled account
 * ends its sessions and stops its tokens.
 * Passwords are kept as Argon2id strings (libsodium crypto_pwhash_str);
 * session cookies and API tokens are random secrets of which only the
 * sha256 is stored. Failed logins are counted per (account, client
 * address) and per client address; past a limit further attempts from
 * there are refused without looking at the password, for a while that
 * doubles with each further failure. An account is never locked as such:
 * a stranger's failures lock out the stranger, and its owner can still
 * log in from elsewhere. Time is always passed in. */
#ifndef BIDRAG_SERVICE_AUTH_H
#define BIDRAG_SERVICE_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "core/perm.h"
#include "service/svc.h"
#include "store/store.h"
#include "store/store_auth.h"

#define AUTH_SECRET_HEX 65    /* 32 random bytes as hex, terminated */
#define AUTH_TOKEN_LEN 69     /* "bdr_" + 64 hex, terminated */
#define AUTH_PASSWORD_MIN 10  /* characters */
#define AUTH_PASSWORD_MAX 256 /* characters */

/* Login throttling. Failures count while each comes within the window of
 * the one before (or of the end of the lock it caused); the max-th and
 * every later one lock for AUTH_LOCK_FIRST_SECONDS, doubling each time up
 * to AUTH_LOCK_MAX_SECONDS. IPv6 addresses count by their /64 network. */
#define AUTH_PAIR_MAX_FAILURES 5  /* per account and address */
#define AUTH_ADDR_MAX_FAILURES 20 /* per address, whatever the account */
#define AUTH_THROTTLE_WINDOW 900
#define AUTH_LOCK_FIRST_SECONDS 60
#define AUTH_LOCK_MAX_SECONDS 900

/* Must be called once before any other function (initialises libsodium). */
ERR_MUST_CHECK enum err auth_init(void);

/* ---- user administration (ACT_USER_*, an administrator) ----
 * Every function here is one action in the shape of service/svc.h: who
 * asks, the time, the inputs, own outputs, and the result whose message
 * says why when it fails. */

/* Create an account; password NULL makes a single-sign-on-only account.
 * ERR_CONFLICT: the login exists; ERR_INVALID: a weak password, a bad
 * login or name (res->issues names the field: login, name, password). */
ERR_MUST_CHECK enum err auth_user_add(struct store *s, const struct svc_actor *who, int64_t now,
                                      const char *login, const char *name, const char *password,
                                      struct svc_result *res);
ERR_MUST_CHECK enum err auth_user_passwd(struct store *s, const struct svc_actor *who, int64_t now,
                                         const char *login, const char *password,
                                         struct svc_result *res);
/* Disable (1) or enable (0) an account; disabling ends its sessions and
 * stops its tokens. */
ERR_MUST_CHECK enum err auth_user_disable(struct store *s, const struct svc_actor *who, int64_t now,
                                          const char *login, int disabled, struct svc_result *res);
/* Give (grant=1) or take away (grant=0) a role; org must be set exactly
 * for recipient roles. Separation of duties: an account with an agency
 * role is never given a recipient role, nor the other way round
 * (ERR_DENIED). */
ERR_MUST_CHECK enum err auth_user_role(struct store *s, const struct svc_actor *who, int64_t now,
                                       const char *login, enum perm_role role, const char *org,
                                       int grant, struct svc_result *res);
/* An account with its roles. */
struct auth_user {
    struct store_account account; /* pwhash: "" (single sign-on), SVC_NO_LOGIN or set */
    struct store_grant *grants;   /* owned */
    size_t ngrants;
};
/* Every account by login with its roles; caller frees with auth_users_free. */
ERR_MUST_CHECK enum err auth_user_list(struct store *s, const struct svc_actor *who, int64_t now,
                                       struct auth_user **out, size_t *n, struct svc_result *res);
void auth_users_free(struct auth_user *u, size_t n);

/* ---- an organisation's own people (ACT_ORG_*) ---- */

/* Someone acting for an organisation (who->org) invites (grant=1) a login
 * to a recipient role for that same organisation, or takes it away
 * (grant=0): the ombud may invite and remove representanter and
 * uppgiftssamordnare, a representant may invite uppgiftssamordnare. An
 * invitation grants nothing until the invited person accepts it
 * (auth_invite_answer), and looks nothing up: its answer is the same
 * whether the login names an account, agency staff or nobody. Taking away
 * withdraws a waiting invitation, else removes the role; "does not hold"
 * (ERR_NOTFOUND) also for a login that names nobody. ERR_DENIED when the
 * rules do not allow it. */
ERR_MUST_CHECK enum err auth_org_member(struct store *s, const struct svc_actor *who, int64_t now,
                                        const char *login, enum perm_role role, int grant,
                                        struct svc_result *res);
/* The people holding a role for the organisation acted for; caller frees. */
ERR_MUST_CHECK enum err auth_org_members(struct store *s, const struct svc_actor *who, int64_t now,
                                         struct store_member **out, size_t *n,
                                         struct svc_result *res);
/* The invitations of the organisation acted for that nobody has answered
 * (for those who may invite); caller frees. */
ERR_MUST_CHECK enum err auth_org_invites(struct store *s, const struct svc_actor *who, int64_t now,
                                         struct store_invite **out, size_t *n,
                                         struct svc_result *res);

/* ---- the person's own session and account ---- */

/* The invitations waiting for the person asking; caller frees. */
ERR_MUST_CHECK enum err auth_my_invites(struct store *s, const struct svc_actor *who, int64_t now,
                                        struct store_invite **out, size_t *n,
                                        struct svc_result *res);
/* The invited person accepts (accept=1) or declines an invitation to
 * role for org. Accepting grants the role unless separation of duties
 * forbids it - agency staff never hold a recipient role (ERR_DENIED);
 * ERR_NOTFOUND if no such invitation waits for them. */
ERR_MUST_CHECK enum err auth_invite_answer(struct store *s, const struct svc_actor *who,
                                           int64_t now, const char *org, enum perm_role role,
                                           int accept, struct svc_result *res);
/* The organisations the person asking may act for, "" standing for the
 * agency, at most max of them, each up to STORE_ORG_LEN bytes. */
ERR_MUST_CHECK enum err auth_contexts(struct store *s, const struct svc_actor *who, int64_t now,
                                      char (*orgs)[STORE_ORG_LEN], size_t max, size_t *n,
                                      struct svc_result *res);

enum auth_result {
    AUTH_OK = 0,
    AUTH_BAD,       /* unknown login or wrong password (never told apart) */
    AUTH_THROTTLED, /* too many failures: try later */
    AUTH_DISABLED
};

/* A new session: the cookie's secret and the CSRF token for its forms. */
struct auth_session_new {
    char token[AUTH_SECRET_HEX];
    char csrf[AUTH_SECRET_HEX];
    long long account_id;
    int org_chosen;
};

/* Check a password and open a session (ACT_LOGIN; who is nobody yet,
 * with the client's address for throttling). *out_res tells the outcome;
 * the function's own result is for storage failures only. */
ERR_MUST_CHECK enum err auth_login(struct store *s, const struct svc_actor *who, int64_t now,
                                   const char *login, const char *password,
                                   enum auth_result *out_res, struct auth_session_new *out,
                                   struct svc_result *res);
/* Open a session for an identity vouched for by the trusted proxy. */
ERR_MUST_CHECK enum err auth_login_trusted(struct store *s, const struct svc_actor *who,
                                           int64_t now, const char *login,
                                           enum auth_result *out_res, struct auth_session_new *out,
                                           struct svc_result *res);

/* A session found by its cookie: the session row and the account. */
struct auth_session {
    struct store_session row;
    struct store_account account;
    unsigned roles; /* roles in the organisation acted for (for showing them) */
};
/* Look up a session by cookie secret; ERR_NOTFOUND when unknown or idle
 * longer than idle_seconds (an expired one is removed). Touches it. This
 * is how a request learns who asks; it is no action of its own. */
ERR_MUST_CHECK enum err auth_session_get(struct store *s, const char *token, int64_t now,
                                         int64_t idle_seconds, struct auth_session *out);
/* Choose which organisation to act for ("" = agency) in the session se of
 * who; ERR_DENIED if the account holds no role there. */
ERR_MUST_CHECK enum err auth_session_choose(struct store *s, const struct svc_actor *who,
                                            int64_t now, struct auth_session *se, const char *org,
                                            struct svc_result *res);
/* End the session se of who (logout). */
ERR_MUST_CHECK enum err auth_logout(struct store *s, const struct svc_actor *who, int64_t now,
                                    const struct auth_session *se, struct svc_result *res);
/* The person changes their own password, giving the current one; all
 * their sessions end. ERR_DENIED if the current password is wrong. */
ERR_MUST_CHECK enum err auth_passwd_self(struct store *s, const struct svc_actor *who, int64_t now,
                                         const char *current, const char *password,
                                         struct svc_result *res);

/* ---- API tokens ---- */

/* Create a personal API token for login acting for org (an
 * administrator, ACT_TOKEN_CREATE); the secret is shown once (out) and
 * only its hash kept. */
ERR_MUST_CHECK enum err auth_token_create(struct store *s, const struct svc_actor *who, int64_t now,
                                          const char *login, const char *name, const char *org,
                                          char out[AUTH_TOKEN_LEN], struct svc_result *res);
/* The same for the person asking, acting where they act now
 * (ACT_ACCOUNT_TOKEN). */
ERR_MUST_CHECK enum err auth_token_create_own(struct store *s, const struct svc_actor *who,
                                              int64_t now, const char *name,
                                              char out[AUTH_TOKEN_LEN], struct svc_result *res);
/* Revoke a token by id (an administrator: any token; _own: one of the
 * person's own). ERR_NOTFOUND if there is no such token. */
ERR_MUST_CHECK enum err auth_token_revoke(struct store *s, const struct svc_actor *who, int64_t now,
                                          long long id, struct svc_result *res);
ERR_MUST_CHECK enum err auth_token_revoke_own(struct store *s, const struct svc_actor *who,
                                              int64_t now, long long id, struct svc_result *res);
/* A token with its owner's login. */
struct auth_token_info {
    struct store_token t;
    char login[128];
};
/* Tokens of login (NULL: everybody's; an administrator) or the person's
 * own; caller frees *out. */
ERR_MUST_CHECK enum err auth_token_list(struct store *s, const struct svc_actor *who, int64_t now,
                                        const char *login, struct auth_token_info **out, size_t *n,
                                        struct svc_result *res);
ERR_MUST_CHECK enum err auth_token_list_own(struct store *s, const struct svc_actor *who,
                                            int64_t now, struct store_token **out, size_t *n,
                                            struct svc_result *res);
/* The account and roles behind a bearer token; ERR_NOTFOUND if unknown,
 * revoked or the account is disabled. Like auth_session_get, no action. */
ERR_MUST_CHECK enum err auth_token_check(struct store *s, const char *token,
                                         struct auth_session *out);

/* sha256 hex of a secret. */
void auth_hash_secret(const char *secret, char out[STORE_HASH_HEX]);
/* Constant-time comparison of two NUL-terminated strings. */
int auth_secret_eq(const char *a, const char *b);

/* The operator's account (svc.h, SVC_OPERATOR): made by the system, with
 * its audit record, when the database has none - an administrator with
 * no password that takes no decision. ERR_OK when it is there. The
 * command line calls it before acting as it. */
ERR_MUST_CHECK enum err auth_operator_ensure(struct store *s, int64_t now, struct svc_result *res);

/* Keep sessions, tokens and roles in memory (the server's start): each
 * use reads the generation migration 0045 bumps on every change to
 * accounts, roles, sessions' organisation or end, and tokens, and uses
 * what it kept only while that is unchanged - a role taken away, a
 * logout, a new password, a disabled account or a revoked token counts on
 * the very next request. Makes the generation's row when it is missing.
 * Without this call (the command line) nothing is kept. */
ERR_MUST_CHECK enum err auth_cache_init(struct store *s);
/* A request begins and ends in this thread (the server): in between the
 * generation is read once, and anew after each write the request
 * commits (auth_request_wrote, from svc_end). */
void auth_request_begin(void);
void auth_request_end(void);
/* Inside a request: gen is the auth generation as the caller read it at
 * the request's start (store_gens, with the data generation in the same
 * statement), so that deciding who asks reads it no second time. */
void auth_request_gen(int64_t gen);
void auth_request_wrote(void);
/* Stop keeping and forget what was kept (tests). */
void auth_cache_clear(void);
/* The roles of an account where org says (roles) and everywhere (held),
 * its login, and whether it is the operator's: what svc_begin and
 * svc_check decide from (kept, see auth_cache_init). ERR_NOTFOUND: no
 * such account; ERR_DENIED: disabled. */
ERR_MUST_CHECK enum err auth_resolve(struct store *s, long long account, const char *org,
                                     char *login, size_t loginn, unsigned *roles, unsigned *held,
                                     int *operator);

#endif
