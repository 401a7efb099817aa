/* auth.c - accounts, roles, login, sessions and API tokens. */
#include "service/auth.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/audit.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/str.h"

#define SESSION_MAX_AGE (12 * 3600) /* absolute session lifetime */

static char dummy_hash[crypto_pwhash_STRBYTES];

enum err auth_init(void)
{
    if (sodium_init() < 0)
        return ERR_INVALID;
    if (dummy_hash[0] == '\0') {
        char pw[33];
        unsigned char rnd[16];
        randombytes_buf(rnd, sizeof(rnd));
        sodium_bin2hex(pw, sizeof(pw), rnd, sizeof(rnd));
        if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            return ERR_NOMEM;
    }
    return ERR_OK;
}

void auth_hash_secret(const char *secret, char out[STORE_HASH_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)secret, strlen(secret));
    sodium_bin2hex(out, STORE_HASH_HEX, h, sizeof(h));
}

int auth_secret_eq(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return 0;
    return sodium_memcmp(a, b, la) == 0;
}

static void random_hex(char out[AUTH_SECRET_HEX])
{
    unsigned char rnd[32];
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(out, AUTH_SECRET_HEX, rnd, sizeof(rnd));
}

static int login_ok(const char *login)
{
    size_t n = login ? strlen(login) : 0;
    if (n == 0 || n >= sizeof(((struct store_account *)0)->login))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = login[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-' || c == '@';
        if (!ok)
            return 0;
    }
    return 1;
}

/* A person's or a token's name: one line of text by the rules of
 * util/str.h, not blank, at most STORE_NAME_MAX_CHARS characters. */
static int name_ok(const char *name)
{
    if (!str_text_fits(name, 0, STORE_NAME_MAX_CHARS))
        return 0;
    while (*name == ' ' || *name == '\t')
        name++;
    return *name != '\0';
}

static int org_ok(const char *org)
{
    return org && (str_is_digits(org, 4) || str_is_digits(org, 2)) && strlen(org) <= 4;
}

static enum err password_check(const char *password, char *msg, size_t n)
{
    size_t len = strlen(password);
    long chars = str_utf8_len(password, len);
    if (chars < 0) {
        snprintf(msg, n, "password is not valid utf-8");
        return ERR_INVALID;
    }
    if (chars < AUTH_PASSWORD_MIN || chars > AUTH_PASSWORD_MAX) {
        snprintf(msg, n, "password must have %d to %d characters", AUTH_PASSWORD_MIN,
                 AUTH_PASSWORD_MAX);
        return ERR_INVALID;
    }
    return ERR_OK;
}

static enum err hash_password(const char *password, char out[crypto_pwhash_STRBYTES])
{
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return ERR_NOMEM;
    return ERR_OK;
}

/* Canonical text of an account and its roles, for audit digests. */
static enum err account_text(struct store *s, const struct store_account *a, struct buf *b)
{
    struct store_grant *g = NULL;
    size_t ng = 0;
    enum err e = store_grant_list(s, a->id, &g, &ng);
    if (e != ERR_OK)
        return e;
    buf_printf(b, "login=%s\nname=%s\ndisabled=%d\npwhash=%s\n", a->login, a->name, a->disabled,
               a->pwhash);
    for (size_t i = 0; i < ng; i++)
        buf_printf(b, "role=%s@%s\n", g[i].role, g[i].org);
    free(g);
    return b->failed ? ERR_LIMIT : ERR_OK;
}

static const char *actor_login(const struct auth_actor *by)
{
    return by && by->login ? by->login : "system";
}

static const char *actor_org(const struct auth_actor *by)
{
    return by && by->org ? by->org : "";
}

enum err auth_user_add(struct store *s, const struct auth_actor *by, const char *login,
                       const char *name, const char *password, int64_t now, char *msg, size_t n)
{
    struct store_account a;
    struct buf after;
    char object[160];
    enum err e;
    buf_init(&after, 1 << 16);
    memset(&a, 0, sizeof(a));
    msg[0] = '\0';
    if (!login_ok(login)) {
        snprintf(msg, n, "login '%s' must be 1-127 letters, digits or . _ - @", login ? login : "");
        e = ERR_INVALID;
        goto out;
    }
    if (!name_ok(name)) {
        snprintf(msg, n, "name must be 1-%d characters of text", STORE_NAME_MAX_CHARS);
        e = ERR_INVALID;
        goto out;
    }
    if (password) {
        e = password_check(password, msg, n);
        if (e != ERR_OK)
            goto out;
        e = hash_password(password, a.pwhash);
        if (e != ERR_OK)
            goto out;
    }
    str_copy(a.login, sizeof(a.login), login);
    str_copy(a.name, sizeof(a.name), name);
    clock_iso(a.created_at, sizeof(a.created_at), now);
    e = store_begin(s);
    if (e != ERR_OK)
        goto out;
    e = store_account_add(s, &a, &a.id);
    if (e == ERR_CONFLICT) {
        snprintf(msg, n, "user '%s' exists already", login);
        goto fail;
    }
    if (e != ERR_OK)
        goto fail;
    e = account_text(s, &a, &after);
    if (e != ERR_OK)
        goto fail;
    snprintf(object, sizeof(object), "user:%s", login);
    e = audit_append(s, actor_login(by), actor_org(by), "user.add", object, NULL, after.p, now);
    if (e != ERR_OK)
        goto fail;
    e = store_commit(s);
    goto out;
fail:
    store_rollback(s);
out:
    if (e != ERR_OK && !msg[0])
        snprintf(msg, n, "%s", e == ERR_STORE ? store_errmsg(s) : err_str(e));
    sodium_memzero(a.pwhash, sizeof(a.pwhash));
    buf_release(&after);
    return e;
}

/* Revoke every API token of an account still in force; *ended counts
 * them. Inside the caller's transaction. */
static enum err tokens_end(struct store *s, long long account, size_t *ended)
{
    struct store_token *t = NULL;
    size_t nt = 0;
    *ended = 0;
    enum err e = store_token_list(s, account, &t, &nt);
    for (size_t i = 0; e == ERR_OK && i < nt; i++) {
        if (t[i].revoked)
            continue;
        e = store_token_revoke(s, t[i].id);
        if (e == ERR_OK)
            (*ended)++;
    }
    free(t);
    return e;
}

enum err auth_user_passwd(struct store *s, const struct auth_actor *by, const char *login,
                          const char *password, int64_t now, char *msg, size_t n)
{
    struct store_account a;
    struct buf before, after;
    char pwhash[crypto_pwhash_STRBYTES];
    char object[160];
    size_t ended = 0;
    buf_init(&before, 1 << 16);
    buf_init(&after, 1 << 16);
    msg[0] = '\0';
    enum err e = password_check(password, msg, n);
    if (e != ERR_OK)
        goto out;
    e = hash_password(password, pwhash);
    if (e != ERR_OK)
        goto out;
    e = store_begin(s);
    if (e != ERR_OK)
        goto out;
    e = store_account_get(s, login, &a);
    if (e == ERR_NOTFOUND)
        snprintf(msg, n, "no user '%s'", login);
    if (e != ERR_OK)
        goto fail;
    e = account_text(s, &a, &before);
    if (e != ERR_OK)
        goto fail;
    e = store_account_set_pwhash(s, a.id, pwhash);
    if (e == ERR_OK)
        e = store_session_delete_account(s, a.id);
    if (e == ERR_OK)
        e = tokens_end(s, a.id, &ended);
    if (e != ERR_OK)
        goto fail;
    str_copy(a.pwhash, sizeof(a.pwhash), pwhash);
    e = account_text(s, &a, &after);
    if (e == ERR_OK)
        e = buf_printf(&after, "tokens_ended=%zu\n", ended);
    if (e != ERR_OK)
        goto fail;
    snprintf(object, sizeof(object), "user:%s", login);
    e = audit_append(s, actor_login(by), actor_org(by), "user.passwd", object, before.p, after.p,
                     now);
    if (e != ERR_OK)
        goto fail;
    e = store_commit(s);
    goto out;
fail:
    store_rollback(s);
out:
    if (e != ERR_OK && !msg[0])
        snprintf(msg, n, "%s", e == ERR_STORE ? store_errmsg(s) : err_str(e));
    sodium_memzero(pwhash, sizeof(pwhash));
    buf_release(&before);
    buf_release(&after);
    return e;
}

enum err auth_user_disable(struct store *s, const struct auth_actor *by, const char *login,
                           int disabled, int64_t now, char *msg, size_t n)
{
    struct store_account a;
    struct buf before, after;
    char object[160];
    buf_init(&before, 1 << 16);
    buf_init(&after, 1 << 16);
    msg[0] = '\0';
    enum err e = store_begin(s);
    if (e != ERR_OK)
        goto out;
    e = store_account_get(s, login, &a);
    if (e == ERR_NOTFOUND)
        snprintf(msg, n, "no user '%s'", login);
    if (e != ERR_OK)
        goto fail;
    e = account_text(s, &a, &before);
    if (e == ERR_OK)
        e = store_account_set_disabled(s, a.id, disabled);
    if (e == ERR_OK && disabled)
        e = store_session_delete_account(s, a.id);
    if (e != ERR_OK)
        goto fail;
    a.disabled = disabled ? 1 : 0;
    e = account_text(s, &a, &after);
    if (e != ERR_OK)
        goto fail;
    snprintf(object, sizeof(object), "user:%s", login);
    e = audit_append(s, actor_login(by), actor_org(by), disabled ? "user.disable" : "user.enable",
                     object, before.p, after.p, now);
    if (e != ERR_OK)
        goto fail;
    e = store_commit(s);
    goto out;
fail:
    store_rollback(s);
out:
    if (e != ERR_OK && !msg[0])
        snprintf(msg, n, "%s", e == ERR_STORE ? store_errmsg(s) : err_str(e));
    buf_release(&before);
    buf_release(&after);
    return e;
}

/* Every role an account holds, in every organisation and at the agency. */
static enum err held_roles(struct store *s, long long account, unsigned *held)
{
    struct store_grant *g = NULL;
    size_t ng = 0;
    *held = 0;
    enum err e = store_grant_list(s, account, &g, &ng);
    if (e != ERR_OK)
        return e;
    for (size_t i = 0; i < ng; i++) {
        enum perm_role r;
        if (perm_parse(g[i].role, &r) == ERR_OK)
            *held |= (unsigned)r;
    }
    free(g);
    return ERR_OK;
}

enum err auth_user_role(struct store *s, const struct auth_actor *by, const char *login,
                        enum perm_role role, const char *org, int grant, int64_t now, char *msg,
                        size_t n)
{
    struct store_account a;
    struct buf before, after;
    char object[160], nowiso[CLOCK_ISO_LEN];
    enum err e = ERR_OK;
    buf_init(&before, 1 << 16);
    buf_init(&after, 1 << 16);
    msg[0] = '\0';
    if (!org)
        org = "";
    if (perm_is_recipient(role) && !org_ok(org)) {
        snprintf(msg, n, "role '%s' needs an organisation code (kommun 4 or region 2 digits)",
                 perm_id(role));
        e = ERR_INVALID;
        goto out;
    }
    if (perm_is_agency(role) && org[0]) {
        snprintf(msg, n, "role '%s' is an agency role and takes no organisation", perm_id(role));
        e = ERR_INVALID;
        goto out;
    }
    clock_iso(nowiso, sizeof(nowiso), now);
    e = store_begin(s);
    if (e != ERR_OK)
        goto out;
    e = store_account_get(s, login, &a);
    if (e == ERR_NOTFOUND)
        snprintf(msg, n, "no user '%s'", login);
    if (e != ERR_OK)
        goto fail;
    e = account_text(s, &a, &before);
    if (e != ERR_OK)
        goto fail;
    if (grant) {
        unsigned held = 0;
        e = held_roles(s, a.id, &held);
        if (e != ERR_OK)
            goto fail;
        if (!perm_may_hold(held, role)) {
            snprintf(msg, n, "'%s' holds %s role and so cannot hold role '%s'", login,
                     perm_is_recipient(role) ? "an agency" : "a recipient", perm_id(role));
            e = ERR_DENIED;
            goto fail;
        }
    }
    if (grant)
        e = store_grant_add(s, a.id, perm_id(role), org, nowiso);
    else
        e = store_grant_remove(s, a.id, perm_id(role), org);
    if (e == ERR_CONFLICT && role == PERM_OMBUD)
        snprintf(msg, n, "organisation '%s' has an ombud already", org);
    else if (e == ERR_CONFLICT)
        snprintf(msg, n, "'%s' holds role '%s' already", login, perm_id(role));
    if (e == ERR_NOTFOUND)
        snprintf(msg, n, "'%s' does not hold role '%s'", login, perm_id(role));
    if (e != ERR_OK)
        goto fail;
    e = account_text(s, &a, &after);
    if (e != ERR_OK)
        goto fail;
    snprintf(object, sizeof(object), "user:%s", login);
    e = audit_append(s, actor_login(by), actor_org(by), grant ? "role.grant" : "role.revoke",
                     object, before.p, after.p, now);
    if (e != ERR_OK)
        goto fail;
    e = store_commit(s);
    goto out;
fail:
    store_rollback(s);
out:
    if (e != ERR_OK && !msg[0])
        snprintf(msg, n, "%s", e == ERR_STORE ? store_errmsg(s) : err_str(e));
    buf_release(&before);
    buf_release(&after);
    return e;
}

enum err auth_org_member(struct store *s, const struct auth_session *by, const char *login,
                         enum perm_role role, int grant, int64_t now, char *msg, size_t n)
{
    char object[160], detail[200];
    msg[0] = '\0';
    if (!by->row.org_chosen || !by->row.org[0]) {
        snprintf(msg, n, "not acting for an organisation");
        return ERR_DENIED;
    }
    if (grant ? !perm_may_invite(by->roles, role) : !perm_may_remove(by->roles, role)) {
        snprintf(msg, n, "your role may not %s '%s'", grant ? "invite" : "remove", perm_id(role));
        return ERR_DENIED;
    }
    if (!login_ok(login)) {
        snprintf(msg, n, "login '%s' must be 1-127 letters, digits or . _ - @", login ? login : "");
        return ERR_INVALID;
    }
    struct store_invite iv;
    memset(&iv, 0, sizeof(iv));
    str_copy(iv.org, sizeof(iv.org), by->row.org);
    str_copy(iv.login, sizeof(iv.login), login);
    str_copy(iv.role, sizeof(iv.role), perm_id(role));
    str_copy(iv.invited_by, sizeof(iv.invited_by), by->account.login);
    clock_iso(iv.invited_at, sizeof(iv.invited_at), now);
    snprintf(object, sizeof(object), "user:%s", login);
    snprintf(detail, sizeof(detail), "role=%s@%s", iv.role, iv.org);
    enum err e = store_begin(s);
    if (e != ERR_OK)
        return e;
    if (grant) {
        /* an invitation, whoever the login is: nothing is looked up, so
         * the answer is the same for an account, agency staff and nobody */
        e = store_invite_add(s, &iv);
        if (e == ERR_CONFLICT) { /* the same invitation waits already */
            store_rollback(s);
            return ERR_OK;
        }
        if (e == ERR_OK)
            e = audit_append(s, by->account.login, by->row.org, "role.invite", object, NULL, detail,
                             now);
    } else {
        /* a waiting invitation is withdrawn, else the role taken away */
        e = store_invite_remove(s, iv.org, iv.login, iv.role);
        if (e == ERR_OK)
            e = audit_append(s, by->account.login, by->row.org, "role.withdraw", object, detail,
                             NULL, now);
        if (e == ERR_NOTFOUND) {
            store_rollback(s);
            struct auth_actor actor = {by->account.login, by->row.org};
            e = auth_user_role(s, &actor, login, role, by->row.org, 0, now, msg, n);
            if (e == ERR_NOTFOUND) /* no such login reads as not holding it */
                snprintf(msg, n, "'%s' does not hold role '%s'", login, perm_id(role));
            return e;
        }
    }
    if (e != ERR_OK) {
        store_rollback(s);
        return e;
    }
    return store_commit(s);
}

enum err auth_invites(struct store *s, const char *org, const char *login,
                      struct store_invite **out, size_t *n)
{
    return store_invite_list(s, org, login, out, n);
}

enum err auth_invite_answer(struct store *s, const struct auth_session *se, const char *org,
                            enum perm_role role, int accept, int64_t now, char *msg, size_t n)
{
    char object[160], detail[200], nowiso[CLOCK_ISO_LEN];
    struct buf before, after;
    const char *login = se->account.login;
    unsigned held = 0;
    msg[0] = '\0';
    buf_init(&before, 1 << 16);
    buf_init(&after, 1 << 16);
    clock_iso(nowiso, sizeof(nowiso), now);
    snprintf(object, sizeof(object), "user:%s", login);
    snprintf(detail, sizeof(detail), "role=%s@%s", perm_id(role), org ? org : "");
    enum err e = store_begin(s);
    if (e != ERR_OK)
        goto out;
    e = store_invite_remove(s, org ? org : "", login, perm_id(role));
    if (e == ERR_NOTFOUND)
        snprintf(msg, n, "no invitation for '%s' as '%s' of '%s'", login, perm_id(role),
                 org ? org : "");
    if (e != ERR_OK)
        goto fail;
    if (!accept) {
        e = audit_append(s, login, org, "role.decline", object, detail, NULL, now);
        if (e != ERR_OK)
            goto fail;
        e = store_commit(s);
        goto out;
    }
    e = held_roles(s, se->account.id, &held);
    if (e == ERR_OK)
        e = account_text(s, &se->account, &before);
    if (e != ERR_OK)
        goto fail;
    if (!perm_may_hold(held, role)) {
        snprintf(msg, n, "'%s' holds an agency role and so cannot hold role '%s'", login,
                 perm_id(role));
        e = ERR_DENIED;
        goto fail;
    }
    e = store_grant_add(s, se->account.id, perm_id(role), org, nowiso);
    if (e == ERR_CONFLICT) { /* held already: the invitation is spent */
        e = audit_append(s, login, org, "role.decline", object, detail, NULL, now);
        if (e == ERR_OK)
            e = store_commit(s);
        goto out;
    }
    if (e == ERR_OK)
        e = account_text(s, &se->account, &after);
    if (e == ERR_OK)
        e = audit_append(s, login, org, "role.grant", object, before.p, after.p, now);
    if (e != ERR_OK)
        goto fail;
    e = store_commit(s);
    goto out;
fail:
    store_rollback(s);
out:
    if (e != ERR_OK && !msg[0])
        snprintf(msg, n, "%s", e == ERR_STORE ? store_errmsg(s) : err_str(e));
    buf_release(&before);
    buf_release(&after);
    return e;
}

enum err auth_passwd_self(struct store *s, const struct auth_session *se, const char *current,
                          const char *password, int64_t now, char *msg, size_t n)
{
    struct store_account a;
    msg[0] = '\0';
    enum err e = store_account_get_id(s, se->account.id, &a);
    if (e != ERR_OK)
        return e;
    if (!current || !a.pwhash[0] ||
        crypto_pwhash_str_verify(a.pwhash, current, strlen(current)) != 0) {
        snprintf(msg, n, "the current password is wrong");
        return ERR_DENIED;
    }
    struct auth_actor by = {a.login, se->row.org};
    return auth_user_passwd(s, &by, a.login, password, now, msg, n);
}

enum err auth_roles(struct store *s, long long account, const char *org, unsigned *mask)
{
    struct store_grant *g = NULL;
    size_t ng = 0;
    *mask = 0;
    enum err e = store_grant_list(s, account, &g, &ng);
    if (e != ERR_OK)
        return e;
    for (size_t i = 0; i < ng; i++) {
        enum perm_role r;
        if (strcmp(g[i].org, org ? org : "") == 0 && perm_parse(g[i].role, &r) == ERR_OK)
            *mask |= (unsigned)r;
    }
    free(g);
    return ERR_OK;
}

enum err auth_contexts(struct store *s, long long account, char (*orgs)[STORE_ORG_LEN], size_t max,
                       size_t *n)
{
    struct store_grant *g = NULL;
    size_t ng = 0;
    *n = 0;
    enum err e = store_grant_list(s, account, &g, &ng);
    if (e != ERR_OK)
        return e;
    for (size_t i = 0; i < ng && *n < max; i++) {
        int seen = 0;
        for (size_t j = 0; j < *n; j++)
            if (strcmp(orgs[j], g[i].org) == 0)
                seen = 1;
        if (!seen)
            str_copy(orgs[(*n)++], STORE_ORG_LEN, g[i].org);
    }
    free(g);
    return ERR_OK;
}

/* How long the n-th failure past the limit locks (n = 0 for the first). */
static int64_t lock_seconds(int n)
{
    int64_t t = AUTH_LOCK_FIRST_SECONDS;
    for (int i = 0; i < n && t < AUTH_LOCK_MAX_SECONDS; i++)
        t *= 2;
    return t < AUTH_LOCK_MAX_SECONDS ? t : AUTH_LOCK_MAX_SECONDS;
}

/* Count one failure against kind/key (see AUTH_PAIR_MAX_FAILURES). The
 * stored window_start is when the counting window began to run: the last
 * failure, or the end of the lock it caused. *locked: 0 when this failure
 * locks nothing, 1 when it locks, 2 when it is the first to lock. */
static enum err throttle_fail(struct store *s, const char *kind, const char *key, int max,
                              int64_t now, int *locked)
{
    struct store_throttle t;
    enum err e = store_throttle_get(s, kind, key, &t);
    if (e != ERR_OK)
        return e;
    if (t.window_start + AUTH_THROTTLE_WINDOW < now)
        t.failures = 0;
    t.failures++;
    if (t.failures >= max) {
        t.locked_until = now + lock_seconds(t.failures - max);
        *locked = t.failures == max ? 2 : 1;
    }
    t.window_start = t.locked_until > now ? t.locked_until : now;
    return store_throttle_put(s, kind, key, &t);
}

/* The address as throttling counts it: IPv4 as it is, IPv6 by its /64
 * network (one customer's whole allocation); anything else as it is. */
static void addr_key(const char *addr, char *out, size_t n)
{
    unsigned char b[16];
    str_copy(out, n, addr);
    if (!strchr(addr, ':') || inet_pton(AF_INET6, addr, b) != 1)
        return;
    memset(b + 8, 0, 8);
    char t[INET6_ADDRSTRLEN];
    if (inet_ntop(AF_INET6, b, t, sizeof(t)))
        snprintf(out, n, "%s/64", t);
}

static enum err session_open(struct store *s, const struct store_account *a, const char *addr,
                             const char *action, int64_t now, struct auth_session_new *out)
{
    struct store_session se;
    char orgs[2][STORE_ORG_LEN];
    size_t norgs = 0;
    char object[160];
    memset(&se, 0, sizeof(se));
    enum err e = auth_contexts(s, a->id, orgs, 2, &norgs);
    if (e != ERR_OK)
        return e;
    random_hex(out->token);
    random_hex(out->csrf);
    auth_hash_secret(out->token, se.id_hash);
    str_copy(se.csrf, sizeof(se.csrf), out->csrf);
    se.account_id = a->id;
    if (norgs == 1) {
        str_copy(se.org, sizeof(se.org), orgs[0]);
        se.org_chosen = 1;
    }
    se.created = now;
    se.last_seen = now;
    e = store_session_put(s, &se);
    if (e != ERR_OK)
        return e;
    out->account_id = a->id;
    out->org_chosen = se.org_chosen;
    snprintf(object, sizeof(object), "user:%s", a->login);
    return audit_append(s, a->login, se.org, action, object, NULL, addr, now);
}

enum err auth_login(struct store *s, const char *login, const char *password, const char *addr,
                    int64_t now, enum auth_result *res, struct auth_session_new *out)
{
    struct store_account a;
    struct store_throttle tp, ta;
    int found = 0, good = 0;
    char object[160], akey[80], pair[128 + 90];
    if (!addr)
        addr = "";
    *res = AUTH_BAD;
    memset(out, 0, sizeof(*out));
    /* longer than any password that can be set: not worth hashing */
    if (!login || !password || !login_ok(login) ||
        strlen(password) >= STR_UTF8_SIZE(AUTH_PASSWORD_MAX))
        login = "";
    addr_key(addr, akey, sizeof(akey));
    /* the per-account counters (kind "account") are kept per account and
     * address, keyed "login address": a login holds no space (login_ok) */
    snprintf(pair, sizeof(pair), "%s %s", login, akey);
    enum err e = store_throttle_get(s, "account", pair, &tp);
    if (e == ERR_OK)
        e = store_throttle_get(s, "addr", akey, &ta);
    if (e != ERR_OK)
        return e;
    if (tp.locked_until > now || ta.locked_until > now) {
        *res = AUTH_THROTTLED;
        return ERR_OK;
    }
    e = login[0] ? store_account_get(s, login, &a) : ERR_NOTFOUND;
    if (e == ERR_OK)
        found = 1;
    else if (e != ERR_NOTFOUND)
        return e;
    if (found && a.pwhash[0])
        good = crypto_pwhash_str_verify(a.pwhash, password, strlen(password)) == 0;
    else if (crypto_pwhash_str_verify(dummy_hash, password ? password : "",
                                      password ? strlen(password) : 0) == 0)
        good = 0;
    e = store_begin(s);
    if (e != ERR_OK)
        return e;
    /* housekeeping: old counters and sessions go */
    e = store_throttle_purge(s, now - AUTH_THROTTLE_WINDOW, now);
    if (e == ERR_OK)
        e = store_session_purge(s, now - SESSION_MAX_AGE);
    if (e != ERR_OK)
        goto done;
    if (!good) {
        int lock_p = 0, lock_a = 0;
        if (login[0])
            e = throttle_fail(s, "account", pair, AUTH_PAIR_MAX_FAILURES, now, &lock_p);
        if (e == ERR_OK)
            e = throttle_fail(s, "addr", akey, AUTH_ADDR_MAX_FAILURES, now, &lock_a);
        if (e == ERR_OK && lock_p == 2 && found) {
            snprintf(object, sizeof(object), "user:%s", login);
            e = audit_append(s, "system", "", "login.lock", object, NULL, addr, now);
        }
        if (e == ERR_OK && lock_a == 2) {
            snprintf(object, sizeof(object), "addr:%s", akey);
            e = audit_append(s, "system", "", "login.lock", object, NULL, NULL, now);
        }
        *res = lock_p || lock_a ? AUTH_THROTTLED : AUTH_BAD;
        goto done;
    }
    if (a.disabled) {
        *res = AUTH_DISABLED;
        goto done;
    }
    e = store_throttle_clear(s, "account", pair);
    if (e == ERR_OK)
        e = session_open(s, &a, addr, "login", now, out);
    if (e == ERR_OK)
        *res = AUTH_OK;
done:
    if (e != ERR_OK) {
        store_rollback(s);
        memset(out, 0, sizeof(*out));
        *res = AUTH_BAD;
        return e;
    }
    return store_commit(s);
}

enum err auth_login_trusted(struct store *s, const char *login, const char *addr, int64_t now,
                            enum auth_result *res, struct auth_session_new *out)
{
    struct store_account a;
    *res = AUTH_BAD;
    memset(out, 0, sizeof(*out));
    if (!login_ok(login))
        return ERR_OK;
    enum err e = store_account_get(s, login, &a);
    if (e == ERR_NOTFOUND)
        return ERR_OK;
    if (e != ERR_OK)
        return e;
    if (a.disabled) {
        *res = AUTH_DISABLED;
        return ERR_OK;
    }
    e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = session_open(s, &a, addr ? addr : "", "login.sso", now, out);
    if (e != ERR_OK) {
        store_rollback(s);
        memset(out, 0, sizeof(*out));
        return e;
    }
    e = store_commit(s);
    if (e == ERR_OK)
        *res = AUTH_OK;
    return e;
}

enum err auth_session_get(struct store *s, const char *token, int64_t now, int64_t idle_seconds,
                          struct auth_session *out)
{
    char h[STORE_HASH_HEX];
    memset(out, 0, sizeof(*out));
    if (!token || strlen(token) != AUTH_SECRET_HEX - 1)
        return ERR_NOTFOUND;
    auth_hash_secret(token, h);
    enum err e = store_session_get(s, h, &out->row);
    if (e != ERR_OK)
        return e;
    if (now - out->row.last_seen > idle_seconds || now - out->row.created > SESSION_MAX_AGE) {
        e = store_session_delete(s, h); /* expired: gone, unless the store failed */
        return e != ERR_OK ? e : ERR_NOTFOUND;
    }
    e = store_account_get_id(s, out->row.account_id, &out->account);
    if (e != ERR_OK)
        return e;
    if (out->account.disabled)
        return ERR_NOTFOUND;
    /* touching is housekeeping: on a full disk or a read-only database the
     * session still reads */
    if (now > out->row.last_seen && store_session_touch(s, h, now) == ERR_OK)
        out->row.last_seen = now;
    if (out->row.org_chosen)
        return auth_roles(s, out->account.id, out->row.org, &out->roles);
    return ERR_OK;
}

enum err auth_session_choose(struct store *s, struct auth_session *se, const char *org, int64_t now)
{
    char orgs[64][STORE_ORG_LEN];
    size_t n = 0, i;
    char object[160];
    enum err e = auth_contexts(s, se->account.id, orgs, 64, &n);
    if (e != ERR_OK)
        return e;
    for (i = 0; i < n; i++)
        if (strcmp(orgs[i], org) == 0)
            break;
    if (i == n)
        return ERR_DENIED;
    e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = store_session_set_org(s, se->row.id_hash, org);
    snprintf(object, sizeof(object), "user:%s", se->account.login);
    if (e == ERR_OK)
        e = audit_append(s, se->account.login, org, "session.org", object, se->row.org, org, now);
    if (e != ERR_OK) {
        store_rollback(s);
        return e;
    }
    e = store_commit(s);
    if (e != ERR_OK)
        return e;
    str_copy(se->row.org, sizeof(se->row.org), org);
    se->row.org_chosen = 1;
    return auth_roles(s, se->account.id, org, &se->roles);
}

enum err auth_logout(struct store *s, const struct auth_session *se, int64_t now)
{
    char object[160];
    enum err e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = store_session_delete(s, se->row.id_hash);
    snprintf(object, sizeof(object), "user:%s", se->account.login);
    if (e == ERR_OK)
        e = audit_append(s, se->account.login, se->row.org, "logout", object, NULL, NULL, now);
    if (e != ERR_OK) {
        store_rollback(s);
        return e;
    }
    return store_commit(s);
}

enum err auth_token_create(struct store *s, const struct auth_actor *by, const char *login,
                           const char *name, const char *org, int64_t now, char out[AUTH_TOKEN_LEN],
                           char *msg, size_t n)
{
    struct store_account a;
    struct store_token t;
    char secret[AUTH_SECRET_HEX], object[64];
    unsigned mask = 0;
    memset(&t, 0, sizeof(t));
    msg[0] = '\0';
    out[0] = '\0';
    if (!org)
        org = "";
    if (!name_ok(name)) {
        snprintf(msg, n, "token name must be 1-%d characters of text", STORE_NAME_MAX_CHARS);
        return ERR_INVALID;
    }
    enum err e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = store_account_get(s, login, &a);
    if (e == ERR_NOTFOUND)
        snprintf(msg, n, "no user '%s'", login);
    if (e != ERR_OK)
        goto fail;
    e = auth_roles(s, a.id, org, &mask);
    if (e != ERR_OK)
        goto fail;
    if (mask == 0) {
        snprintf(msg, n, "'%s' holds no role for '%s'", login, org[0] ? org : "the agency");
        e = ERR_DENIED;
        goto fail;
    }
    random_hex(secret);
    snprintf(out, AUTH_TOKEN_LEN, "bdr_%s", secret);
    auth_hash_secret(out, t.hash);
    t.account_id = a.id;
    str_copy(t.name, sizeof(t.name), name);
    str_copy(t.org, sizeof(t.org), org);
    clock_iso(t.created_at, sizeof(t.created_at), now);
    e = store_token_add(s, &t, &t.id);
    if (e != ERR_OK)
        goto fail;
    snprintf(object, sizeof(object), "token:%lld", t.id);
    e = audit_append(s, actor_login(by), actor_org(by), "token.create", object, NULL, t.hash, now);
    if (e != ERR_OK)
        goto fail;
    e = store_commit(s);
    if (e != ERR_OK)
        out[0] = '\0';
    sodium_memzero(secret, sizeof(secret));
    return e;
fail:
    store_rollback(s);
    out[0] = '\0';
    sodium_memzero(secret, sizeof(secret));
    if (!msg[0])
        snprintf(msg, n, "%s", e == ERR_STORE ? store_errmsg(s) : err_str(e));
    return e;
}

enum err auth_token_revoke(struct store *s, const struct auth_actor *by, long long id,
                           long long owner, int64_t now)
{
    char object[64];
    enum err e = store_begin(s);
    if (e != ERR_OK)
        return e;
    if (owner >= 0) {
        struct store_token *t = NULL;
        size_t nt = 0, i;
        e = store_token_list(s, owner, &t, &nt);
        for (i = 0; e == ERR_OK && i < nt; i++)
            if (t[i].id == id)
                break;
        if (e == ERR_OK && i == nt)
            e = ERR_NOTFOUND;
        free(t);
    }
    if (e == ERR_OK)
        e = store_token_revoke(s, id);
    snprintf(object, sizeof(object), "token:%lld", id);
    if (e == ERR_OK)
        e = audit_append(s, actor_login(by), actor_org(by), "token.revoke", object, NULL, NULL,
                         now);
    if (e != ERR_OK) {
        store_rollback(s);
        return e;
    }
    return store_commit(s);
}

enum err auth_token_check(struct store *s, const char *token, struct auth_session *out)
{
    struct store_token t;
    char h[STORE_HASH_HEX];
    memset(out, 0, sizeof(*out));
    if (!token || strlen(token) != AUTH_TOKEN_LEN - 1 || !str_starts(token, "bdr_"))
        return ERR_NOTFOUND;
    auth_hash_secret(token, h);
    enum err e = store_token_find(s, h, &t);
    if (e != ERR_OK)
        return e;
    if (t.revoked)
        return ERR_NOTFOUND;
    e = store_account_get_id(s, t.account_id, &out->account);
    if (e != ERR_OK)
        return e;
    if (out->account.disabled)
        return ERR_NOTFOUND;
    out->row.account_id = t.account_id;
    str_copy(out->row.org, sizeof(out->row.org), t.org);
    out->row.org_chosen = 1;
    return auth_roles(s, t.account_id, t.org, &out->roles);
}
