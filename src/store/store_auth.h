/* store_auth.h - storage of accounts, roles, sessions, API tokens, login
 * throttling and the audit trail; part of the store interface (store.h),
 * free of SQL so that a PostgreSQL implementation can stand behind it.
 *
 * Every function returns enum err; on ERR_STORE store_errmsg() says why.
 * Timestamps given as int64_t are Unix seconds; text ones are ISO 8601
 * UTC ("2026-01-22T10:00:00Z"). Both are supplied by the caller. */
#ifndef BIDRAG_STORE_STORE_AUTH_H
#define BIDRAG_STORE_STORE_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "store/store_entity.h"
#include "util/str.h"

#define STORE_HASH_HEX 65 /* 64 hex digits of a sha256, terminated */
#define STORE_ORG_LEN 16
/* A person's or an API token's name: at most this many characters (code
 * points; the service checks), each field sized to hold them whole. */
#define STORE_NAME_MAX_CHARS 127

struct store_account {
    long long id;
    char login[128];
    char name[STR_UTF8_SIZE(STORE_NAME_MAX_CHARS)];
    char pwhash[160]; /* Argon2id string, "" when the account has none */
    int disabled;
    char created_at[32];
};

/* Add an account; ERR_CONFLICT if the login exists. *id may be NULL. */
ERR_MUST_CHECK enum err store_account_add(struct store *s, const struct store_account *a,
                                          long long *id);
/* ERR_NOTFOUND if absent. */
ERR_MUST_CHECK enum err store_account_get(struct store *s, const char *login,
                                          struct store_account *out);
ERR_MUST_CHECK enum err store_account_get_id(struct store *s, long long id,
                                             struct store_account *out);
ERR_MUST_CHECK enum err store_account_set_pwhash(struct store *s, long long id, const char *pwhash);
ERR_MUST_CHECK enum err store_account_set_disabled(struct store *s, long long id, int disabled);
/* All accounts by login; caller frees *out. */
ERR_MUST_CHECK enum err store_account_list(struct store *s, struct store_account **out, size_t *n);

/* A role held by an account; org is "" for agency roles. */
struct store_grant {
    char role[32];
    char org[STORE_ORG_LEN];
};
/* ERR_CONFLICT if held already, or if the organisation has an ombud. */
ERR_MUST_CHECK enum err store_grant_add(struct store *s, long long account, const char *role,
                                        const char *org, const char *now);
/* ERR_NOTFOUND if not held. */
ERR_MUST_CHECK enum err store_grant_remove(struct store *s, long long account, const char *role,
                                           const char *org);
/* Grants ordered by org then role; caller frees *out. */
ERR_MUST_CHECK enum err store_grant_list(struct store *s, long long account,
                                         struct store_grant **out, size_t *n);

/* A person holding a role for an organisation. */
struct store_member {
    char login[128];
    char name[STR_UTF8_SIZE(STORE_NAME_MAX_CHARS)];
    char role[32];
};
/* Everyone holding a role for org, ordered by role then login; caller
 * frees *out. */
ERR_MUST_CHECK enum err store_grant_list_org(struct store *s, const char *org,
                                             struct store_member **out, size_t *n);

/* An invitation to hold a recipient role for an organisation, waiting
 * for the invited login to accept it. login is as typed by the inviter:
 * it need not name an account. */
struct store_invite {
    char org[STORE_ORG_LEN];
    char login[128];
    char role[32];
    char invited_by[128];
    char invited_at[32];
};
/* ERR_CONFLICT if the same invitation is waiting already. */
ERR_MUST_CHECK enum err store_invite_add(struct store *s, const struct store_invite *iv);
/* ERR_NOTFOUND if no such invitation waits. */
ERR_MUST_CHECK enum err store_invite_remove(struct store *s, const char *org, const char *login,
                                            const char *role);
/* Invitations waiting for org (NULL: all) and login (NULL: all), ordered by
 * org, role, login; caller frees *out. */
ERR_MUST_CHECK enum err store_invite_list(struct store *s, const char *org, const char *login,
                                          struct store_invite **out, size_t *n);

struct store_session {
    char id_hash[STORE_HASH_HEX]; /* hash of the cookie's secret */
    long long account_id;
    char org[STORE_ORG_LEN]; /* organisation acted for, "" = agency */
    int org_chosen;          /* 0 until the person chose whom to act for */
    char csrf[STORE_HASH_HEX];
    int64_t created;
    int64_t last_seen;
};
ERR_MUST_CHECK enum err store_session_put(struct store *s, const struct store_session *se);
/* ERR_NOTFOUND if absent. */
ERR_MUST_CHECK enum err store_session_get(struct store *s, const char *id_hash,
                                          struct store_session *out);
ERR_MUST_CHECK enum err store_session_touch(struct store *s, const char *id_hash,
                                            int64_t last_seen);
ERR_MUST_CHECK enum err store_session_set_org(struct store *s, const char *id_hash,
                                              const char *org);
ERR_MUST_CHECK enum err store_session_delete(struct store *s, const char *id_hash);
/* Remove every session of an account. */
ERR_MUST_CHECK enum err store_session_delete_account(struct store *s, long long account);
/* Remove sessions last seen before `before`. */
ERR_MUST_CHECK enum err store_session_purge(struct store *s, int64_t before);

struct store_token {
    long long id;
    long long account_id;
    char name[STR_UTF8_SIZE(STORE_NAME_MAX_CHARS)];
    char hash[STORE_HASH_HEX];
    char org[STORE_ORG_LEN];
    char created_at[32];
    int revoked;
};
ERR_MUST_CHECK enum err store_token_add(struct store *s, const struct store_token *t,
                                        long long *id);
/* The token with this hash (revoked ones too); ERR_NOTFOUND if absent. */
ERR_MUST_CHECK enum err store_token_find(struct store *s, const char *hash,
                                         struct store_token *out);
/* Tokens of one account (account < 0: all); caller frees *out. */
ERR_MUST_CHECK enum err store_token_list(struct store *s, long long account,
                                         struct store_token **out, size_t *n);
ERR_MUST_CHECK enum err store_token_revoke(struct store *s, long long id);

/* Failed-login counter; kind is "account" or "addr". */
struct store_throttle {
    int failures;
    int64_t window_start;
    int64_t locked_until;
};
/* A missing counter reads as all zeros. */
ERR_MUST_CHECK enum err store_throttle_get(struct store *s, const char *kind, const char *key,
                                           struct store_throttle *out);
ERR_MUST_CHECK enum err store_throttle_put(struct store *s, const char *kind, const char *key,
                                           const struct store_throttle *t);
ERR_MUST_CHECK enum err store_throttle_clear(struct store *s, const char *kind, const char *key);
/* Forget counters whose window began before `before` and that lock
 * nothing at `now`. */
ERR_MUST_CHECK enum err store_throttle_purge(struct store *s, int64_t before, int64_t now);

#define STORE_KEY_ID_LEN 17 /* 16 hex digits of an audit key's id, terminated */
struct store_audit {
    long long seq;
    char at[32];
    char actor[128];
    char org[STORE_ORG_LEN];
    char action[64];
    char object[256];
    char before[STORE_HASH_HEX];
    char after[STORE_HASH_HEX];
    char prev[STORE_HASH_HEX];
    char hash[STORE_HASH_HEX];
    char entity[STORE_ENTITY_LEN]; /* the entity whose rows it describes, "" for none */
    char rows[STORE_ROWS_LEN];     /* their digest after the change (store_entity.h) */
    char key_id[STORE_KEY_ID_LEN]; /* the key that signed it, "" before keys existed */
    char sig[STORE_HASH_HEX];      /* its signature (HMAC-SHA-256 of hash), hex */
};
/* The newest row; ERR_NOTFOUND when the trail is empty. */
ERR_MUST_CHECK enum err store_audit_last(struct store *s, struct store_audit *out);
/* Append a row (seq as given) and move the head to it. */
ERR_MUST_CHECK enum err store_audit_insert(struct store *s, const struct store_audit *a);
/* The recorded head; *seq = 0 and hash "" when none. */
ERR_MUST_CHECK enum err store_audit_head(struct store *s, long long *seq,
                                         char hash[STORE_HASH_HEX]);
/* Call fn for each row in seq order (object NULL: all rows; otherwise
 * only that object), at most limit rows (0: all). fn returning non-zero
 * stops the walk. */
ERR_MUST_CHECK enum err store_audit_each(struct store *s, const char *object, size_t limit,
                                         int (*fn)(void *ctx, const struct store_audit *a),
                                         void *ctx);
/* Call fn for each row from seq `from` on, in seq order. */
ERR_MUST_CHECK enum err store_audit_since(struct store *s, long long from,
                                          int (*fn)(void *ctx, const struct store_audit *a),
                                          void *ctx);

/* The generation of who may do what (migration 0045): bumped by triggers
 * in the transaction of every change to accounts, roles, a session's
 * organisation or its end, and tokens. ERR_NOTFOUND while its row is
 * missing. */
ERR_MUST_CHECK enum err store_auth_gen(struct store *s, int64_t *gen);
/* Make the generation's row if it is missing (inside a transaction). */
ERR_MUST_CHECK enum err store_auth_gen_init(struct store *s);

#endif
