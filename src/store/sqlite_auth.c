/* sqlite_auth.c - SQLite implementation of store_auth.h: accounts, roles,
 * sessions, API tokens, login throttling and the audit trail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "store/store_auth.h"

/* Run a prepared statement that returns no rows; finalizes it. */
static enum err exec_done(struct store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    enum err e = ERR_OK;
    if (rc != SQLITE_DONE)
        e = store_fail(s, what);
    sqlite3_finalize(st);
    return e;
}

static void read_account(sqlite3_stmt *st, struct store_account *a)
{
    memset(a, 0, sizeof(*a));
    a->id = sqlite3_column_int64(st, 0);
    store_col_text(st, 1, a->login, sizeof(a->login));
    store_col_text(st, 2, a->name, sizeof(a->name));
    store_col_text(st, 3, a->pwhash, sizeof(a->pwhash));
    a->disabled = sqlite3_column_int(st, 4);
    store_col_text(st, 5, a->created_at, sizeof(a->created_at));
}

#define ACCOUNT_COLS "id, login, name, pwhash, disabled, created_at"

enum err store_account_add(struct store *s, const struct store_account *a, long long *id)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "INSERT INTO account (login, name, pwhash, disabled, created_at) "
                               "VALUES (?, ?, ?, ?, ?)",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, a->login);
    store_bind_text(st, 2, a->name);
    store_bind_text(st, 3, a->pwhash[0] ? a->pwhash : NULL);
    sqlite3_bind_int(st, 4, a->disabled ? 1 : 0);
    store_bind_text(st, 5, a->created_at);
    e = exec_done(s, st, "account add");
    if (e == ERR_OK && id)
        *id = sqlite3_last_insert_rowid(s->db);
    return e;
}

static enum err account_get_by(struct store *s, const char *sql, const char *login, long long id,
                               struct store_account *out)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s, sql, &st);
    if (e != ERR_OK)
        return e;
    if (login)
        store_bind_text(st, 1, login);
    else
        sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_account(st, out);
    else if (rc == SQLITE_DONE)
        e = ERR_NOTFOUND;
    else
        e = store_fail(s, "account get");
    sqlite3_finalize(st);
    return e;
}

enum err store_account_get(struct store *s, const char *login, struct store_account *out)
{
    return account_get_by(s, "SELECT " ACCOUNT_COLS " FROM account WHERE login = ?", login, 0, out);
}

enum err store_account_get_id(struct store *s, long long id, struct store_account *out)
{
    return account_get_by(s, "SELECT " ACCOUNT_COLS " FROM account WHERE id = ?", NULL, id, out);
}

enum err store_account_set_pwhash(struct store *s, long long id, const char *pwhash)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s, "UPDATE account SET pwhash = ? WHERE id = ?", &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, pwhash && pwhash[0] ? pwhash : NULL);
    sqlite3_bind_int64(st, 2, id);
    e = exec_done(s, st, "account password");
    if (e == ERR_OK && sqlite3_changes(s->db) == 0)
        e = ERR_NOTFOUND;
    return e;
}

enum err store_account_set_disabled(struct store *s, long long id, int disabled)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s, "UPDATE account SET disabled = ? WHERE id = ?", &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int(st, 1, disabled ? 1 : 0);
    sqlite3_bind_int64(st, 2, id);
    e = exec_done(s, st, "account disable");
    if (e == ERR_OK && sqlite3_changes(s->db) == 0)
        e = ERR_NOTFOUND;
    return e;
}

/* Grow *arr (of elements of size sz) to hold one more; ERR_NOMEM. */
static enum err grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return ERR_OK;
    size_t nc = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, nc * sz);
    if (!p)
        return ERR_NOMEM;
    *arr = p;
    *cap = nc;
    return ERR_OK;
}

enum err store_account_list(struct store *s, struct store_account **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    struct store_account *arr = NULL;
    size_t cap = 0, cnt = 0;
    enum err e = store_prepare(s, "SELECT " ACCOUNT_COLS " FROM account ORDER BY login", &st);
    if (e != ERR_OK)
        return e;
    int rc = sqlite3_step(st);
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
        e = grow((void **)&arr, &cap, cnt, sizeof(*arr));
        if (e != ERR_OK)
            goto out;
        read_account(st, &arr[cnt++]);
    }
    if (rc != SQLITE_DONE)
        e = store_fail(s, "account list");
out:
    sqlite3_finalize(st);
    if (e != ERR_OK) {
        free(arr);
        return e;
    }
    *out = arr;
    *n = cnt;
    return ERR_OK;
}

enum err store_grant_add(struct store *s, long long account, const char *role, const char *org,
                         const char *now)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(
        s, "INSERT INTO account_role (account_id, role, org, granted_at) VALUES (?, ?, ?, ?)", &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int64(st, 1, account);
    store_bind_text(st, 2, role);
    store_bind_text(st, 3, org ? org : "");
    store_bind_text(st, 4, now);
    return exec_done(s, st, "role grant");
}

enum err store_grant_remove(struct store *s, long long account, const char *role, const char *org)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(
        s, "DELETE FROM account_role WHERE account_id = ? AND role = ? AND org = ?", &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int64(st, 1, account);
    store_bind_text(st, 2, role);
    store_bind_text(st, 3, org ? org : "");
    e = exec_done(s, st, "role remove");
    if (e == ERR_OK && sqlite3_changes(s->db) == 0)
        e = ERR_NOTFOUND;
    return e;
}

enum err store_grant_list(struct store *s, long long account, struct store_grant **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    struct store_grant *arr = NULL;
    size_t cap = 0, cnt = 0;
    enum err e = store_prepare(
        s, "SELECT role, org FROM account_role WHERE account_id = ? ORDER BY org, role", &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int64(st, 1, account);
    int rc = sqlite3_step(st);
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
        e = grow((void **)&arr, &cap, cnt, sizeof(*arr));
        if (e != ERR_OK)
            goto out;
        store_col_text(st, 0, arr[cnt].role, sizeof(arr[cnt].role));
        store_col_text(st, 1, arr[cnt].org, sizeof(arr[cnt].org));
        cnt++;
    }
    if (rc != SQLITE_DONE)
        e = store_fail(s, "role list");
out:
    sqlite3_finalize(st);
    if (e != ERR_OK) {
        free(arr);
        return e;
    }
    *out = arr;
    *n = cnt;
    return ERR_OK;
}

enum err store_grant_list_org(struct store *s, const char *org, struct store_member **out,
                              size_t *n)
{
    sqlite3_stmt *st = NULL;
    struct store_member *arr = NULL;
    size_t cap = 0, cnt = 0;
    enum err e = store_prepare(s,
                               "SELECT a.login, a.name, r.role FROM account_role r JOIN account a "
                               "ON a.id = r.account_id WHERE r.org = ? ORDER BY r.role, a.login",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, org);
    int rc = sqlite3_step(st);
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
        e = grow((void **)&arr, &cap, cnt, sizeof(*arr));
        if (e != ERR_OK)
            goto out;
        store_col_text(st, 0, arr[cnt].login, sizeof(arr[cnt].login));
        store_col_text(st, 1, arr[cnt].name, sizeof(arr[cnt].name));
        store_col_text(st, 2, arr[cnt].role, sizeof(arr[cnt].role));
        cnt++;
    }
    if (rc != SQLITE_DONE)
        e = store_fail(s, "organisation members");
out:
    sqlite3_finalize(st);
    if (e != ERR_OK) {
        free(arr);
        return e;
    }
    *out = arr;
    *n = cnt;
    return ERR_OK;
}

enum err store_session_put(struct store *s, const struct store_session *se)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "INSERT INTO session (id_hash, account_id, org, org_chosen, csrf, "
                               "created, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, se->id_hash);
    sqlite3_bind_int64(st, 2, se->account_id);
    store_bind_text(st, 3, se->org);
    sqlite3_bind_int(st, 4, se->org_chosen ? 1 : 0);
    store_bind_text(st, 5, se->csrf);
    sqlite3_bind_int64(st, 6, se->created);
    sqlite3_bind_int64(st, 7, se->last_seen);
    return exec_done(s, st, "session put");
}

enum err store_session_get(struct store *s, const char *id_hash, struct store_session *out)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "SELECT id_hash, account_id, org, org_chosen, csrf, created, "
                               "last_seen FROM session WHERE id_hash = ?",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, id_hash);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        store_col_text(st, 0, out->id_hash, sizeof(out->id_hash));
        out->account_id = sqlite3_column_int64(st, 1);
        store_col_text(st, 2, out->org, sizeof(out->org));
        out->org_chosen = sqlite3_column_int(st, 3);
        store_col_text(st, 4, out->csrf, sizeof(out->csrf));
        out->created = sqlite3_column_int64(st, 5);
        out->last_seen = sqlite3_column_int64(st, 6);
    } else if (rc == SQLITE_DONE) {
        e = ERR_NOTFOUND;
    } else {
        e = store_fail(s, "session get");
    }
    sqlite3_finalize(st);
    return e;
}

enum err store_session_touch(struct store *s, const char *id_hash, int64_t last_seen)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s, "UPDATE session SET last_seen = ? WHERE id_hash = ?", &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int64(st, 1, last_seen);
    store_bind_text(st, 2, id_hash);
    return exec_done(s, st, "session touch");
}

enum err store_session_set_org(struct store *s, const char *id_hash, const char *org)
{
    sqlite3_stmt *st = NULL;
    enum err e =
        store_prepare(s, "UPDATE session SET org = ?, org_chosen = 1 WHERE id_hash = ?", &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, org ? org : "");
    store_bind_text(st, 2, id_hash);
    return exec_done(s, st, "session organisation");
}

enum err store_session_delete(struct store *s, const char *id_hash)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s, "DELETE FROM session WHERE id_hash = ?", &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, id_hash);
    return exec_done(s, st, "session delete");
}

enum err store_session_delete_account(struct store *s, long long account)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s, "DELETE FROM session WHERE account_id = ?", &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int64(st, 1, account);
    return exec_done(s, st, "session delete");
}

enum err store_session_purge(struct store *s, int64_t before)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s, "DELETE FROM session WHERE last_seen < ?", &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int64(st, 1, before);
    return exec_done(s, st, "session purge");
}

#define TOKEN_COLS "id, account_id, name, hash, org, created_at, revoked"

static void read_token(sqlite3_stmt *st, struct store_token *t)
{
    memset(t, 0, sizeof(*t));
    t->id = sqlite3_column_int64(st, 0);
    t->account_id = sqlite3_column_int64(st, 1);
    store_col_text(st, 2, t->name, sizeof(t->name));
    store_col_text(st, 3, t->hash, sizeof(t->hash));
    store_col_text(st, 4, t->org, sizeof(t->org));
    store_col_text(st, 5, t->created_at, sizeof(t->created_at));
    t->revoked = sqlite3_column_int(st, 6);
}

enum err store_token_add(struct store *s, const struct store_token *t, long long *id)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "INSERT INTO api_token (account_id, name, hash, org, created_at, "
                               "revoked) VALUES (?, ?, ?, ?, ?, 0)",
                               &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int64(st, 1, t->account_id);
    store_bind_text(st, 2, t->name);
    store_bind_text(st, 3, t->hash);
    store_bind_text(st, 4, t->org);
    store_bind_text(st, 5, t->created_at);
    e = exec_done(s, st, "token add");
    if (e == ERR_OK && id)
        *id = sqlite3_last_insert_rowid(s->db);
    return e;
}

enum err store_token_find(struct store *s, const char *hash, struct store_token *out)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s, "SELECT " TOKEN_COLS " FROM api_token WHERE hash = ?", &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, hash);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_token(st, out);
    else if (rc == SQLITE_DONE)
        e = ERR_NOTFOUND;
    else
        e = store_fail(s, "token find");
    sqlite3_finalize(st);
    return e;
}

enum err store_token_list(struct store *s, long long account, struct store_token **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    struct store_token *arr = NULL;
    size_t cap = 0, cnt = 0;
    enum err e = store_prepare(s,
                               "SELECT " TOKEN_COLS " FROM api_token WHERE ? < 0 OR account_id = ?"
                               " ORDER BY id",
                               &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int64(st, 1, account);
    sqlite3_bind_int64(st, 2, account);
    int rc = sqlite3_step(st);
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
        e = grow((void **)&arr, &cap, cnt, sizeof(*arr));
        if (e != ERR_OK)
            goto out;
        read_token(st, &arr[cnt++]);
    }
    if (rc != SQLITE_DONE)
        e = store_fail(s, "token list");
out:
    sqlite3_finalize(st);
    if (e != ERR_OK) {
        free(arr);
        return e;
    }
    *out = arr;
    *n = cnt;
    return ERR_OK;
}

enum err store_token_revoke(struct store *s, long long id)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s, "UPDATE api_token SET revoked = 1 WHERE id = ?", &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int64(st, 1, id);
    e = exec_done(s, st, "token revoke");
    if (e == ERR_OK && sqlite3_changes(s->db) == 0)
        e = ERR_NOTFOUND;
    return e;
}

enum err store_throttle_get(struct store *s, const char *kind, const char *key,
                            struct store_throttle *out)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof(*out));
    enum err e = store_prepare(s,
                               "SELECT failures, window_start, locked_until FROM login_throttle "
                               "WHERE kind = ? AND key = ?",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, kind);
    store_bind_text(st, 2, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->failures = sqlite3_column_int(st, 0);
        out->window_start = sqlite3_column_int64(st, 1);
        out->locked_until = sqlite3_column_int64(st, 2);
    } else if (rc != SQLITE_DONE) {
        e = store_fail(s, "throttle get");
    }
    sqlite3_finalize(st);
    return e;
}

enum err store_throttle_put(struct store *s, const char *kind, const char *key,
                            const struct store_throttle *t)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "INSERT INTO login_throttle (kind, key, failures, window_start, "
                               "locked_until) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, key) DO "
                               "UPDATE SET failures = excluded.failures, window_start = "
                               "excluded.window_start, locked_until = excluded.locked_until",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, kind);
    store_bind_text(st, 2, key);
    sqlite3_bind_int(st, 3, t->failures);
    sqlite3_bind_int64(st, 4, t->window_start);
    sqlite3_bind_int64(st, 5, t->locked_until);
    return exec_done(s, st, "throttle put");
}

enum err store_throttle_clear(struct store *s, const char *kind, const char *key)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s, "DELETE FROM login_throttle WHERE kind = ? AND key = ?", &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, kind);
    store_bind_text(st, 2, key);
    return exec_done(s, st, "throttle clear");
}

enum err store_throttle_purge(struct store *s, int64_t before, int64_t now)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(
        s, "DELETE FROM login_throttle WHERE window_start < ? AND locked_until <= ?", &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int64(st, 1, before);
    sqlite3_bind_int64(st, 2, now);
    return exec_done(s, st, "throttle purge");
}

#define AUDIT_COLS                                                                                 \
    "seq, at, actor, org, action, object, before_digest, after_digest, prev_hash, hash"

static void read_audit(sqlite3_stmt *st, struct store_audit *a)
{
    memset(a, 0, sizeof(*a));
    a->seq = sqlite3_column_int64(st, 0);
    store_col_text(st, 1, a->at, sizeof(a->at));
    store_col_text(st, 2, a->actor, sizeof(a->actor));
    store_col_text(st, 3, a->org, sizeof(a->org));
    store_col_text(st, 4, a->action, sizeof(a->action));
    store_col_text(st, 5, a->object, sizeof(a->object));
    store_col_text(st, 6, a->before, sizeof(a->before));
    store_col_text(st, 7, a->after, sizeof(a->after));
    store_col_text(st, 8, a->prev, sizeof(a->prev));
    store_col_text(st, 9, a->hash, sizeof(a->hash));
}

enum err store_audit_last(struct store *s, struct store_audit *out)
{
    sqlite3_stmt *st = NULL;
    enum err e =
        store_prepare(s, "SELECT " AUDIT_COLS " FROM audit ORDER BY seq DESC LIMIT 1", &st);
    if (e != ERR_OK)
        return e;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_audit(st, out);
    else if (rc == SQLITE_DONE)
        e = ERR_NOTFOUND;
    else
        e = store_fail(s, "audit last");
    sqlite3_finalize(st);
    return e;
}

enum err store_audit_insert(struct store *s, const struct store_audit *a)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(
        s, "INSERT INTO audit (" AUDIT_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int64(st, 1, a->seq);
    store_bind_text(st, 2, a->at);
    store_bind_text(st, 3, a->actor);
    store_bind_text(st, 4, a->org);
    store_bind_text(st, 5, a->action);
    store_bind_text(st, 6, a->object);
    store_bind_text(st, 7, a->before);
    store_bind_text(st, 8, a->after);
    store_bind_text(st, 9, a->prev);
    store_bind_text(st, 10, a->hash);
    e = exec_done(s, st, "audit insert");
    if (e != ERR_OK)
        return e;
    e = store_prepare(s,
                      "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) "
                      "DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                      &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int64(st, 1, a->seq);
    store_bind_text(st, 2, a->hash);
    return exec_done(s, st, "audit head");
}

enum err store_audit_head(struct store *s, long long *seq, char hash[STORE_HASH_HEX])
{
    sqlite3_stmt *st = NULL;
    *seq = 0;
    hash[0] = '\0';
    enum err e = store_prepare(s, "SELECT seq, hash FROM audit_head WHERE id = 1", &st);
    if (e != ERR_OK)
        return e;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        store_col_text(st, 1, hash, STORE_HASH_HEX);
    } else if (rc != SQLITE_DONE) {
        e = store_fail(s, "audit head");
    }
    sqlite3_finalize(st);
    return e;
}

enum err store_audit_each(struct store *s, const char *object, size_t limit,
                          int (*fn)(void *ctx, const struct store_audit *a), void *ctx)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "SELECT " AUDIT_COLS " FROM audit WHERE ? IS NULL OR object = ? "
                               "ORDER BY seq LIMIT ?",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, object);
    store_bind_text(st, 2, object);
    sqlite3_bind_int64(st, 3, limit ? (sqlite3_int64)limit : -1);
    int rc = sqlite3_step(st);
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
        struct store_audit a;
        read_audit(st, &a);
        if (fn(ctx, &a) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        e = store_fail(s, "audit list");
    sqlite3_finalize(st);
    return e;
}

enum err store_file_check(const char *path, char *msg, size_t n)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    enum err e = ERR_OK;
    msg[0] = '\0';
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(msg, n, "cannot open '%s': %s", path, db ? sqlite3_errmsg(db) : "no memory");
        e = ERR_IO;
        goto out;
    }
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
        snprintf(msg, n, "'%s' is not a database: %s", path, sqlite3_errmsg(db));
        e = ERR_INVALID;
        goto out;
    }
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        snprintf(msg, n, "'%s' is not a database: %s", path, sqlite3_errmsg(db));
        e = ERR_INVALID;
        goto out;
    }
    const char *r = (const char *)sqlite3_column_text(st, 0);
    if (!r || strcmp(r, "ok") != 0) {
        snprintf(msg, n, "'%s' fails the integrity check: %s", path, r ? r : "?");
        e = ERR_INVALID;
    }
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return e;
}

enum err store_file_copy(const char *src, const char *dst, char *msg, size_t n)
{
    sqlite3 *from = NULL, *to = NULL;
    enum err e = ERR_OK;
    msg[0] = '\0';
    if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(msg, n, "cannot open '%s'", src);
        e = ERR_IO;
        goto out;
    }
    if (sqlite3_open_v2(dst, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        snprintf(msg, n, "cannot open '%s'", dst);
        e = ERR_IO;
        goto out;
    }
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) {
        snprintf(msg, n, "cannot copy to '%s': %s", dst, sqlite3_errmsg(to));
        e = ERR_IO;
        goto out;
    }
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(msg, n, "cannot copy to '%s': %s", dst, sqlite3_errstr(rc));
        e = ERR_IO;
    }
out:
    sqlite3_close(from);
    sqlite3_close(to);
    return e;
}

enum err store_invite_add(struct store *s, const struct store_invite *iv)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "INSERT INTO org_invite (org, login, role, invited_by, invited_at) "
                               "VALUES (?, ?, ?, ?, ?)",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, iv->org);
    store_bind_text(st, 2, iv->login);
    store_bind_text(st, 3, iv->role);
    store_bind_text(st, 4, iv->invited_by);
    store_bind_text(st, 5, iv->invited_at);
    return exec_done(s, st, "invitation add");
}

enum err store_invite_remove(struct store *s, const char *org, const char *login, const char *role)
{
    sqlite3_stmt *st = NULL;
    enum err e =
        store_prepare(s, "DELETE FROM org_invite WHERE org = ? AND login = ? AND role = ?", &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, org);
    store_bind_text(st, 2, login);
    store_bind_text(st, 3, role);
    e = exec_done(s, st, "invitation remove");
    if (e == ERR_OK && sqlite3_changes(s->db) == 0)
        e = ERR_NOTFOUND;
    return e;
}

enum err store_invite_list(struct store *s, const char *org, const char *login,
                           struct store_invite **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    struct store_invite *arr = NULL;
    size_t cap = 0, cnt = 0;
    enum err e = store_prepare(s,
                               "SELECT org, login, role, invited_by, invited_at FROM org_invite "
                               "WHERE (?1 IS NULL OR org = ?1) AND (?2 IS NULL OR login = ?2) "
                               "ORDER BY org, role, login",
                               &st);
    if (e != ERR_OK)
        return e;
    if (org)
        store_bind_text(st, 1, org);
    if (login)
        store_bind_text(st, 2, login);
    int rc = sqlite3_step(st);
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
        e = grow((void **)&arr, &cap, cnt, sizeof(*arr));
        if (e != ERR_OK)
            goto out;
        memset(&arr[cnt], 0, sizeof(arr[cnt]));
        store_col_text(st, 0, arr[cnt].org, sizeof(arr[cnt].org));
        store_col_text(st, 1, arr[cnt].login, sizeof(arr[cnt].login));
        store_col_text(st, 2, arr[cnt].role, sizeof(arr[cnt].role));
        store_col_text(st, 3, arr[cnt].invited_by, sizeof(arr[cnt].invited_by));
        store_col_text(st, 4, arr[cnt].invited_at, sizeof(arr[cnt].invited_at));
        cnt++;
    }
    if (rc != SQLITE_DONE)
        e = store_fail(s, "invitation list");
out:
    sqlite3_finalize(st);
    if (e != ERR_OK) {
        free(arr);
        return e;
    }
    *out = arr;
    *n = cnt;
    return ERR_OK;
}
