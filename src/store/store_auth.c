/* store_auth.c - store_auth.h over any driver: accounts, roles, sessions,
 * API tokens, login throttling and the audit trail. */
#include "store/store_auth.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "store/sql.h"

/* An UPDATE or DELETE of one thing: ERR_NOTFOUND when nothing changed. */
static enum err change_one(struct store *s, const char *what, const char *sql, struct sql_args a)
{
    long long changed = 0;
    enum err e = sql_exec(s, what, sql, a, &changed);
    if (e == ERR_OK && changed == 0)
        e = ERR_NOTFOUND;
    return e;
}

/* ---- accounts ---- */

#define ACCOUNT_COLS "id, login, name, pwhash, disabled, created_at"
static const struct sql_col account_cols[] = {
    SQL_C_INT(struct store_account, id),       SQL_C_TEXT(struct store_account, login),
    SQL_C_TEXT(struct store_account, name),    SQL_C_TEXT(struct store_account, pwhash),
    SQL_C_INT(struct store_account, disabled), SQL_C_TEXT(struct store_account, created_at),
};
static const struct sql_map account_map = SQL_MAP(struct store_account, account_cols);

enum err store_account_add(struct store *s, const struct store_account *a, long long *id)
{
    return sql_insert(s, "account add",
                      "INSERT INTO account (login, name, pwhash, disabled, created_at)"
                      " VALUES (?, ?, ?, ?, ?) RETURNING id",
                      SQL_ARGS(SQL_TEXT(a->login), SQL_TEXT(a->name), SQL_TEXT_OR_NULL(a->pwhash),
                               SQL_INT(a->disabled ? 1 : 0), SQL_TEXT(a->created_at)),
                      id);
}

enum err store_account_get(struct store *s, const char *login, struct store_account *out)
{
    return sql_get(s, "account get", "SELECT " ACCOUNT_COLS " FROM account WHERE login = ?",
                   SQL_ARGS(SQL_TEXT(login)), &account_map, out);
}

enum err store_account_get_id(struct store *s, long long id, struct store_account *out)
{
    return sql_get(s, "account get", "SELECT " ACCOUNT_COLS " FROM account WHERE id = ?",
                   SQL_ARGS(SQL_INT(id)), &account_map, out);
}

enum err store_account_set_pwhash(struct store *s, long long id, const char *pwhash)
{
    return change_one(s, "account password", "UPDATE account SET pwhash = ? WHERE id = ?",
                      SQL_ARGS(SQL_TEXT_OR_NULL(pwhash), SQL_INT(id)));
}

enum err store_account_set_disabled(struct store *s, long long id, int disabled)
{
    return change_one(s, "account disable", "UPDATE account SET disabled = ? WHERE id = ?",
                      SQL_ARGS(SQL_INT(disabled ? 1 : 0), SQL_INT(id)));
}

enum err store_account_list(struct store *s, struct store_account **out, size_t *n)
{
    return sql_list(s, "account list", "SELECT " ACCOUNT_COLS " FROM account ORDER BY login",
                    SQL_NOARGS, &account_map, (void **)out, n);
}

/* ---- roles ---- */

enum err store_grant_add(struct store *s, long long account, const char *role, const char *org,
                         const char *now)
{
    return sql_exec(
        s, "role grant",
        "INSERT INTO account_role (account_id, role, org, granted_at)"
        " VALUES (?, ?, ?, ?)",
        SQL_ARGS(SQL_INT(account), SQL_TEXT(role), SQL_TEXT(org ? org : ""), SQL_TEXT(now)), NULL);
}

enum err store_grant_remove(struct store *s, long long account, const char *role, const char *org)
{
    return change_one(s, "role remove",
                      "DELETE FROM account_role WHERE account_id = ? AND role = ? AND org = ?",
                      SQL_ARGS(SQL_INT(account), SQL_TEXT(role), SQL_TEXT(org ? org : "")));
}

static const struct sql_col grant_cols[] = {
    SQL_C_TEXT(struct store_grant, role),
    SQL_C_TEXT(struct store_grant, org),
};
static const struct sql_map grant_map = SQL_MAP(struct store_grant, grant_cols);

enum err store_grant_list(struct store *s, long long account, struct store_grant **out, size_t *n)
{
    return sql_list(s, "role list",
                    "SELECT role, org FROM account_role WHERE account_id = ? ORDER BY org, role",
                    SQL_ARGS(SQL_INT(account)), &grant_map, (void **)out, n);
}

static const struct sql_col member_cols[] = {
    SQL_C_TEXT(struct store_member, login),
    SQL_C_TEXT(struct store_member, name),
    SQL_C_TEXT(struct store_member, role),
};
static const struct sql_map member_map = SQL_MAP(struct store_member, member_cols);

enum err store_grant_list_org(struct store *s, const char *org, struct store_member **out,
                              size_t *n)
{
    return sql_list(s, "organisation members",
                    "SELECT a.login, a.name, r.role FROM account_role r JOIN account a"
                    " ON a.id = r.account_id WHERE r.org = ? ORDER BY r.role, a.login",
                    SQL_ARGS(SQL_TEXT(org)), &member_map, (void **)out, n);
}

/* ---- invitations ---- */

enum err store_invite_add(struct store *s, const struct store_invite *iv)
{
    return sql_exec(s, "invitation add",
                    "INSERT INTO org_invite (org, login, role, invited_by, invited_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    SQL_ARGS(SQL_TEXT(iv->org), SQL_TEXT(iv->login), SQL_TEXT(iv->role),
                             SQL_TEXT(iv->invited_by), SQL_TEXT(iv->invited_at)),
                    NULL);
}

enum err store_invite_remove(struct store *s, const char *org, const char *login, const char *role)
{
    return change_one(s, "invitation remove",
                      "DELETE FROM org_invite WHERE org = ? AND login = ? AND role = ?",
                      SQL_ARGS(SQL_TEXT(org), SQL_TEXT(login), SQL_TEXT(role)));
}

static const struct sql_col invite_cols[] = {
    SQL_C_TEXT(struct store_invite, org),        SQL_C_TEXT(struct store_invite, login),
    SQL_C_TEXT(struct store_invite, role),       SQL_C_TEXT(struct store_invite, invited_by),
    SQL_C_TEXT(struct store_invite, invited_at),
};
static const struct sql_map invite_map = SQL_MAP(struct store_invite, invite_cols);

enum err store_invite_list(struct store *s, const char *org, const char *login,
                           struct store_invite **out, size_t *n)
{
    return sql_list(s, "invitation list",
                    "SELECT org, login, role, invited_by, invited_at FROM org_invite"
                    " WHERE (? IS NULL OR org = ?) AND (? IS NULL OR login = ?)"
                    " ORDER BY org, role, login",
                    SQL_ARGS(SQL_TEXT(org), SQL_TEXT(org), SQL_TEXT(login), SQL_TEXT(login)),
                    &invite_map, (void **)out, n);
}

/* ---- sessions ---- */

static const struct sql_col session_cols[] = {
    SQL_C_TEXT(struct store_session, id_hash),  SQL_C_INT(struct store_session, account_id),
    SQL_C_TEXT(struct store_session, org),      SQL_C_INT(struct store_session, org_chosen),
    SQL_C_TEXT(struct store_session, csrf),     SQL_C_INT(struct store_session, created),
    SQL_C_INT(struct store_session, last_seen),
};
static const struct sql_map session_map = SQL_MAP(struct store_session, session_cols);

enum err store_session_put(struct store *s, const struct store_session *se)
{
    return sql_exec(s, "session put",
                    "INSERT INTO session (id_hash, account_id, org, org_chosen, csrf, created,"
                    " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    SQL_ARGS(SQL_TEXT(se->id_hash), SQL_INT(se->account_id), SQL_TEXT(se->org),
                             SQL_INT(se->org_chosen ? 1 : 0), SQL_TEXT(se->csrf),
                             SQL_INT(se->created), SQL_INT(se->last_seen)),
                    NULL);
}

enum err store_session_get(struct store *s, const char *id_hash, struct store_session *out)
{
    return sql_get(s, "session get",
                   "SELECT id_hash, account_id, org, org_chosen, csrf, created, last_seen"
                   " FROM session WHERE id_hash = ?",
                   SQL_ARGS(SQL_TEXT(id_hash)), &session_map, out);
}

enum err store_session_touch(struct store *s, const char *id_hash, int64_t last_seen)
{
    return sql_exec(s, "session touch", "UPDATE session SET last_seen = ? WHERE id_hash = ?",
                    SQL_ARGS(SQL_INT(last_seen), SQL_TEXT(id_hash)), NULL);
}

enum err store_session_set_org(struct store *s, const char *id_hash, const char *org)
{
    return sql_exec(s, "session organisation",
                    "UPDATE session SET org = ?, org_chosen = 1 WHERE id_hash = ?",
                    SQL_ARGS(SQL_TEXT(org ? org : ""), SQL_TEXT(id_hash)), NULL);
}

enum err store_session_delete(struct store *s, const char *id_hash)
{
    return sql_exec(s, "session delete", "DELETE FROM session WHERE id_hash = ?",
                    SQL_ARGS(SQL_TEXT(id_hash)), NULL);
}

enum err store_session_delete_account(struct store *s, long long account)
{
    return sql_exec(s, "session delete", "DELETE FROM session WHERE account_id = ?",
                    SQL_ARGS(SQL_INT(account)), NULL);
}

enum err store_session_purge(struct store *s, int64_t before)
{
    return sql_exec(s, "session purge", "DELETE FROM session WHERE last_seen < ?",
                    SQL_ARGS(SQL_INT(before)), NULL);
}

/* ---- API tokens ---- */

#define TOKEN_COLS "id, account_id, name, hash, org, created_at, revoked"
static const struct sql_col token_cols[] = {
    SQL_C_INT(struct store_token, id),      SQL_C_INT(struct store_token, account_id),
    SQL_C_TEXT(struct store_token, name),   SQL_C_TEXT(struct store_token, hash),
    SQL_C_TEXT(struct store_token, org),    SQL_C_TEXT(struct store_token, created_at),
    SQL_C_INT(struct store_token, revoked),
};
static const struct sql_map token_map = SQL_MAP(struct store_token, token_cols);

enum err store_token_add(struct store *s, const struct store_token *t, long long *id)
{
    return sql_insert(s, "token add",
                      "INSERT INTO api_token (account_id, name, hash, org, created_at, revoked)"
                      " VALUES (?, ?, ?, ?, ?, 0) RETURNING id",
                      SQL_ARGS(SQL_INT(t->account_id), SQL_TEXT(t->name), SQL_TEXT(t->hash),
                               SQL_TEXT(t->org), SQL_TEXT(t->created_at)),
                      id);
}

enum err store_token_find(struct store *s, const char *hash, struct store_token *out)
{
    return sql_get(s, "token find", "SELECT " TOKEN_COLS " FROM api_token WHERE hash = ?",
                   SQL_ARGS(SQL_TEXT(hash)), &token_map, out);
}

enum err store_token_list(struct store *s, long long account, struct store_token **out, size_t *n)
{
    return sql_list(s, "token list",
                    "SELECT " TOKEN_COLS " FROM api_token WHERE ? < 0 OR account_id = ?"
                    " ORDER BY id",
                    SQL_ARGS(SQL_INT(account), SQL_INT(account)), &token_map, (void **)out, n);
}

enum err store_token_revoke(struct store *s, long long id)
{
    return change_one(s, "token revoke", "UPDATE api_token SET revoked = 1 WHERE id = ?",
                      SQL_ARGS(SQL_INT(id)));
}

/* ---- login throttling ---- */

static const struct sql_col throttle_cols[] = {
    SQL_C_INT(struct store_throttle, failures),
    SQL_C_INT(struct store_throttle, window_start),
    SQL_C_INT(struct store_throttle, locked_until),
};
static const struct sql_map throttle_map = SQL_MAP(struct store_throttle, throttle_cols);

enum err store_throttle_get(struct store *s, const char *kind, const char *key,
                            struct store_throttle *out)
{
    enum err e = sql_get(s, "throttle get",
                         "SELECT failures, window_start, locked_until FROM login_throttle"
                         " WHERE kind = ? AND key = ?",
                         SQL_ARGS(SQL_TEXT(kind), SQL_TEXT(key)), &throttle_map, out);
    if (e == ERR_NOTFOUND) {
        memset(out, 0, sizeof(*out));
        e = ERR_OK;
    }
    return e;
}

enum err store_throttle_put(struct store *s, const char *kind, const char *key,
                            const struct store_throttle *t)
{
    return sql_exec(s, "throttle put",
                    "INSERT INTO login_throttle (kind, key, failures, window_start, locked_until)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET"
                    " failures = excluded.failures, window_start = excluded.window_start,"
                    " locked_until = excluded.locked_until",
                    SQL_ARGS(SQL_TEXT(kind), SQL_TEXT(key), SQL_INT(t->failures),
                             SQL_INT(t->window_start), SQL_INT(t->locked_until)),
                    NULL);
}

enum err store_throttle_clear(struct store *s, const char *kind, const char *key)
{
    return sql_exec(s, "throttle clear", "DELETE FROM login_throttle WHERE kind = ? AND key = ?",
                    SQL_ARGS(SQL_TEXT(kind), SQL_TEXT(key)), NULL);
}

enum err store_throttle_purge(struct store *s, int64_t before, int64_t now)
{
    return sql_exec(s, "throttle purge",
                    "DELETE FROM login_throttle WHERE window_start < ? AND locked_until <= ?",
                    SQL_ARGS(SQL_INT(before), SQL_INT(now)), NULL);
}

/* ---- the audit trail ---- */

#define AUDIT_COLS                                                                                 \
    "seq, at, actor, org, action, object, before_digest, after_digest, prev_hash, hash, entity,"   \
    " rows_digest, key_id, sig"
static const struct sql_col audit_cols[] = {
    SQL_C_INT(struct store_audit, seq),     SQL_C_TEXT(struct store_audit, at),
    SQL_C_TEXT(struct store_audit, actor),  SQL_C_TEXT(struct store_audit, org),
    SQL_C_TEXT(struct store_audit, action), SQL_C_TEXT(struct store_audit, object),
    SQL_C_TEXT(struct store_audit, before), SQL_C_TEXT(struct store_audit, after),
    SQL_C_TEXT(struct store_audit, prev),   SQL_C_TEXT(struct store_audit, hash),
    SQL_C_TEXT(struct store_audit, entity), SQL_C_TEXT(struct store_audit, rows),
    SQL_C_TEXT(struct store_audit, key_id), SQL_C_TEXT(struct store_audit, sig),
};
static const struct sql_map audit_map = SQL_MAP(struct store_audit, audit_cols);

enum err store_audit_last(struct store *s, struct store_audit *out)
{
    return sql_get(s, "audit last", "SELECT " AUDIT_COLS " FROM audit ORDER BY seq DESC LIMIT 1",
                   SQL_NOARGS, &audit_map, out);
}

enum err store_audit_insert(struct store *s, const struct store_audit *a)
{
    /* the row after the last one read in the same transaction: a chain */
    assert(store_in_transaction(s));
    enum err e = sql_exec(s, "audit insert",
                          "INSERT INTO audit (" AUDIT_COLS ")"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          SQL_ARGS(SQL_INT(a->seq), SQL_TEXT(a->at), SQL_TEXT(a->actor),
                                   SQL_TEXT(a->org), SQL_TEXT(a->action), SQL_TEXT(a->object),
                                   SQL_TEXT(a->before), SQL_TEXT(a->after), SQL_TEXT(a->prev),
                                   SQL_TEXT(a->hash), SQL_TEXT(a->entity), SQL_TEXT(a->rows),
                                   SQL_TEXT(a->key_id), SQL_TEXT(a->sig)),
                          NULL);
    if (e == ERR_OK)
        e = sql_exec(s, "audit head",
                     "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id)"
                     " DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                     SQL_ARGS(SQL_INT(a->seq), SQL_TEXT(a->hash)), NULL);
    return e;
}

struct head_row {
    long long seq;
    char hash[STORE_HASH_HEX];
};
static const struct sql_col head_cols[] = {
    SQL_C_INT(struct head_row, seq),
    SQL_C_TEXT(struct head_row, hash),
};
static const struct sql_map head_map = SQL_MAP(struct head_row, head_cols);

enum err store_audit_head(struct store *s, long long *seq, char hash[STORE_HASH_HEX])
{
    struct head_row h;
    *seq = 0;
    hash[0] = '\0';
    enum err e = sql_get(s, "audit head", "SELECT seq, hash FROM audit_head WHERE id = 1",
                         SQL_NOARGS, &head_map, &h);
    if (e == ERR_OK) {
        *seq = h.seq;
        memcpy(hash, h.hash, STORE_HASH_HEX);
    }
    return e == ERR_NOTFOUND ? ERR_OK : e;
}

struct audit_walk {
    int (*fn)(void *ctx, const struct store_audit *a);
    void *ctx;
};

static int audit_row(void *ctx, void *row)
{
    struct audit_walk *w = ctx;
    return w->fn(w->ctx, row);
}

enum err store_audit_each(struct store *s, const char *object, size_t limit,
                          int (*fn)(void *ctx, const struct store_audit *a), void *ctx)
{
    struct store_audit a;
    struct audit_walk w = {fn, ctx};
    return sql_each(
        s, "audit list",
        "SELECT " AUDIT_COLS " FROM audit WHERE ? IS NULL OR object = ?"
        " ORDER BY seq LIMIT ?",
        SQL_ARGS(SQL_TEXT(object), SQL_TEXT(object), SQL_INT(limit ? (int64_t)limit : INT64_MAX)),
        &audit_map, &a, audit_row, &w);
}

enum err store_audit_since(struct store *s, long long from,
                           int (*fn)(void *ctx, const struct store_audit *a), void *ctx)
{
    struct store_audit a;
    struct audit_walk w = {fn, ctx};
    return sql_each(s, "audit since",
                    "SELECT " AUDIT_COLS " FROM audit WHERE seq >= ? ORDER BY seq",
                    SQL_ARGS(SQL_INT(from)), &audit_map, &a, audit_row, &w);
}

enum err store_auth_gen(struct store *s, int64_t *gen)
{
    *gen = 0;
    return sql_int(s, "auth generation", "SELECT n FROM auth_gen WHERE id = 1", SQL_NOARGS, gen);
}

enum err store_auth_gen_init(struct store *s)
{
    assert(store_in_transaction(s));
    return sql_exec(s, "auth generation",
                    "INSERT INTO auth_gen (id, n) VALUES (1, 1) ON CONFLICT (id) DO NOTHING",
                    SQL_NOARGS, NULL);
}
