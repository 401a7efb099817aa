/* auth.h - accounts, roles, login, sessions and API tokens: the service
 * functions behind the login pages, `bidrag user` and `bidrag token`.
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

/* Who acts: the login of a person (or "system"/"cli") and the organisation
 * acted for ("" for the agency). */
struct auth_actor {
    const char *login;
    const char *org;
};

/* Must be called once before any other function (initialises libsodium). */
ERR_MUST_CHECK enum err auth_init(void);

/* Create an account; password NULL makes a single-sign-on-only account.
 * msg (n bytes) says why on failure (ERR_CONFLICT: exists; ERR_INVALID:
 * weak password or bad login). */
ERR_MUST_CHECK enum err auth_user_add(struct store *s, const struct auth_actor *by,
                                      const char *login, const char *name, const char *password,
                                      int64_t now, char *msg, size_t n);
ERR_MUST_CHECK enum err auth_user_passwd(struct store *s, const struct auth_actor *by,
                                         const char *login, const char *password, int64_t now,
                                         char *msg, size_t n);
/* Disable (1) or enable (0) an account; disabling ends its sessions and
 * stops its tokens. */
ERR_MUST_CHECK enum err auth_user_disable(struct store *s, const struct auth_actor *by,
                                          const char *login, int disabled, int64_t now, char *msg,
                                          size_t n);
/* Give (grant=1) or take away (grant=0) a role; org must be set exactly
 * for recipient roles. Separation of duties: an account with an agency
 * role is never given a recipient role, nor the other way round
 * (ERR_DENIED). */
ERR_MUST_CHECK enum err auth_user_role(struct store *s, const struct auth_actor *by,
                                       const char *login, enum perm_role role, const char *org,
                                       int grant, int64_t now, char *msg, size_t n);

/* Someone acting for an organisation (by: a session or token whose org
 * is set) invites (grant=1) a login to a recipient role for that same
 * organisation, or takes it away (grant=0): the ombud may invite and
 * remove representanter and uppgiftssamordnare, a representant may invite
 * uppgiftssamordnare. An invitation grants nothing until the invited
 * person accepts it (auth_invite_answer), and looks nothing up: its answer
 * is the same whether the login names an account, agency staff or nobody.
 * Taking away withdraws a waiting invitation, else removes the role;
 * "does not hold" (ERR_NOTFOUND) also for a login that names nobody.
 * ERR_DENIED when the rules do not allow it. */
struct auth_session;
ERR_MUST_CHECK enum err auth_org_member(struct store *s, const struct auth_session *by,
                                        const char *login, enum perm_role role, int grant,
                                        int64_t now, char *msg, size_t n);
/* Invitations waiting, for org and/or login (NULL: any); caller frees. */
ERR_MUST_CHECK enum err auth_invites(struct store *s, const char *org, const char *login,
                                     struct store_invite **out, size_t *n);
/* The invited person (se) accepts (accept=1) or declines an invitation to
 * role for org. Accepting grants the role unless separation of duties
 * forbids it - agency staff never hold a recipient role (ERR_DENIED);
 * ERR_NOTFOUND if no such invitation waits for them. */
ERR_MUST_CHECK enum err auth_invite_answer(struct store *s, const struct auth_session *se,
                                           const char *org, enum perm_role role, int accept,
                                           int64_t now, char *msg, size_t n);

/* The roles an account holds when acting for org ("" = agency). */
ERR_MUST_CHECK enum err auth_roles(struct store *s, long long account, const char *org,
                                   unsigned *mask);
/* The organisations an account may act for, "" standing for the agency,
 * at most max of them, each up to STORE_ORG_LEN bytes. */
ERR_MUST_CHECK enum err auth_contexts(struct store *s, long long account,
                                      char (*orgs)[STORE_ORG_LEN], size_t max, size_t *n);

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

/* Check a password and open a session. *res tells the outcome; the
 * function's own result is for storage failures only. addr is the
 * client's address (for throttling). */
ERR_MUST_CHECK enum err auth_login(struct store *s, const char *login, const char *password,
                                   const char *addr, int64_t now, enum auth_result *res,
                                   struct auth_session_new *out);
/* Open a session for an identity vouched for by the trusted proxy. */
ERR_MUST_CHECK enum err auth_login_trusted(struct store *s, const char *login, const char *addr,
                                           int64_t now, enum auth_result *res,
                                           struct auth_session_new *out);

/* A session found by its cookie: the session row and the account. */
struct auth_session {
    struct store_session row;
    struct store_account account;
    unsigned roles; /* roles in the organisation acted for */
};
/* Look up a session by cookie secret; ERR_NOTFOUND when unknown or idle
 * longer than idle_seconds (an expired one is removed). Touches it. */
ERR_MUST_CHECK enum err auth_session_get(struct store *s, const char *token, int64_t now,
                                         int64_t idle_seconds, struct auth_session *out);
/* Choose which organisation to act for ("" = agency); ERR_DENIED if the
 * account holds no role there. */
ERR_MUST_CHECK enum err auth_session_choose(struct store *s, struct auth_session *se,
                                            const char *org, int64_t now);
/* End a session (logout). */
ERR_MUST_CHECK enum err auth_logout(struct store *s, const struct auth_session *se, int64_t now);

/* Create a personal API token for login acting for org; the secret is
 * shown once (out) and only its hash kept. */
ERR_MUST_CHECK enum err auth_token_create(struct store *s, const struct auth_actor *by,
                                          const char *login, const char *name, const char *org,
                                          int64_t now, char out[AUTH_TOKEN_LEN], char *msg,
                                          size_t n);
/* Revoke a token by id; with owner >= 0 only a token of that account.
 * ERR_NOTFOUND if there is no such token. */
ERR_MUST_CHECK enum err auth_token_revoke(struct store *s, const struct auth_actor *by,
                                          long long id, long long owner, int64_t now);
/* A person changes their own password, giving the current one; all their
 * sessions end. ERR_DENIED if the current password is wrong. */
ERR_MUST_CHECK enum err auth_passwd_self(struct store *s, const struct auth_session *se,
                                         const char *current, const char *password, int64_t now,
                                         char *msg, size_t n);
/* The account and roles behind a bearer token; ERR_NOTFOUND if unknown,
 * revoked or the account is disabled. */
ERR_MUST_CHECK enum err auth_token_check(struct store *s, const char *token,
                                         struct auth_session *out);

/* sha256 hex of a secret. */
void auth_hash_secret(const char *secret, char out[STORE_HASH_HEX]);
/* Constant-time comparison of two NUL-terminated strings. */
int auth_secret_eq(const char *a, const char *b);

#endif
