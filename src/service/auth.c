/* auth.c - accounts, roles, login, sessions and API tokens; in the
 * server, sessions, tokens and roles kept in memory while the database's
 * auth generation is unchanged. */
#include "service/auth.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/audit.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/str.h"

#define SESSION_MAX_AGE (12 * 3600) /* absolute session lifetime */
#define KEEP_SLOTS 512              /* sessions, tokens and roles kept (each) */

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

static enum err password_check(struct svc_call *c, const char *password)
{
    long chars = password ? str_utf8_len(password, strlen(password)) : -1;
    if (chars < 0 || chars < AUTH_PASSWORD_MIN || chars > AUTH_PASSWORD_MAX) {
        msg_issue_add(&c->res->issues, "password", M_("Lösenordet måste ha 10–256 tecken."));
        return svc_failf(c, ERR_INVALID, M_("Lösenordet måste ha {1}–{2} tecken."),
                         msg_int(AUTH_PASSWORD_MIN), msg_int(AUTH_PASSWORD_MAX));
    }
    return ERR_OK;
}

static enum err login_check(struct svc_call *c, const char *login)
{
    if (login_ok(login))
        return ERR_OK;
    msg_issue_add(&c->res->issues, "login",
                  M_("Användarnamnet får bara innehålla a–z, A–Z, "
                     "siffror och . _ - @."));
    return svc_failf(c, ERR_INVALID,
                     M_("Användarnamnet '{1}' ska vara 1–127 bokstäver a–z, A–Z, siffror eller . "
                        "_ - @."),
                     msg_str(login ? login : ""));
}

static enum err no_user(struct svc_call *c, const char *login)
{
    msg_issue_add(&c->res->issues, "login", M_("Användaren finns inte."));
    return svc_failf(c, ERR_NOTFOUND, M_("Det finns ingen användare '{1}'."), msg_str(login));
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

/* The account with this login inside the call; ERR_NOTFOUND said. */
static enum err account_of(struct svc_call *c, const char *login, struct store_account *a)
{
    enum err e = store_account_get(c->s, login ? login : "", a);
    return e == ERR_NOTFOUND ? no_user(c, login ? login : "") : e;
}

enum err auth_user_add(struct store *s, const struct svc_actor *who, int64_t now, const char *login,
                       const char *name, const char *password, struct svc_result *res)
{
    struct svc_call c;
    struct store_account a;
    struct buf after;
    char object[160];
    buf_init(&after, 1 << 16);
    memset(&a, 0, sizeof(a));
    enum err e = svc_begin(&c, s, who, ACT_USER_ADD, now, res);
    if (e == ERR_OK)
        e = login_check(&c, login);
    if (e == ERR_OK && !name_ok(name)) {
        msg_issue_add(&res->issues, "name", M_("Fyll i ett namn."));
        e = svc_failf(&c, ERR_INVALID, M_("Namnet ska vara 1–{1} tecken text."),
                      msg_int(STORE_NAME_MAX_CHARS));
    }
    if (e == ERR_OK && password)
        e = password_check(&c, password);
    if (e == ERR_OK && password)
        e = hash_password(password, a.pwhash);
    if (e != ERR_OK)
        goto out;
    str_copy(a.login, sizeof(a.login), login);
    str_copy(a.name, sizeof(a.name), name);
    str_copy(a.created_at, sizeof(a.created_at), c.nowiso);
    e = svc_write(&c);
    if (e == ERR_OK)
        e = store_account_add(s, &a, &a.id);
    if (e == ERR_CONFLICT) {
        msg_issue_add(&res->issues, "login", M_("Användaren finns redan."));
        e = svc_failf(&c, e, M_("Användaren '{1}' finns redan."), msg_str(login));
    }
    if (e == ERR_OK)
        e = account_text(s, &a, &after);
    snprintf(object, sizeof(object), "user:%s", login);
    if (e == ERR_OK)
        e = svc_audit(&c, object, NULL, after.p);
out:
    sodium_memzero(a.pwhash, sizeof(a.pwhash));
    buf_release(&after);
    return svc_end(&c, e);
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

/* Set the password of the account login inside the call c (checked,
 * transaction not yet open): new hash, its sessions and tokens end, the
 * audit record. */
static enum err passwd_set(struct svc_call *c, const char *login, const char *password)
{
    struct store_account a;
    struct buf before, after;
    char pwhash[crypto_pwhash_STRBYTES];
    char object[160];
    size_t ended = 0;
    buf_init(&before, 1 << 16);
    buf_init(&after, 1 << 16);
    enum err e = password_check(c, password);
    if (e == ERR_OK)
        e = hash_password(password, pwhash);
    if (e == ERR_OK)
        e = svc_write(c);
    if (e == ERR_OK)
        e = account_of(c, login, &a);
    if (e == ERR_OK)
        e = account_text(c->s, &a, &before);
    if (e == ERR_OK)
        e = store_account_set_pwhash(c->s, a.id, pwhash);
    if (e == ERR_OK)
        e = store_session_delete_account(c->s, a.id);
    if (e == ERR_OK)
        e = tokens_end(c->s, a.id, &ended);
    if (e == ERR_OK) {
        str_copy(a.pwhash, sizeof(a.pwhash), pwhash);
        e = account_text(c->s, &a, &after);
    }
    if (e == ERR_OK)
        e = buf_printf(&after, "tokens_ended=%zu\n", ended);
    snprintf(object, sizeof(object), "user:%s", login);
    if (e == ERR_OK)
        e = svc_audit_verb(c, "user.passwd", object, before.p, after.p);
    sodium_memzero(pwhash, sizeof(pwhash));
    buf_release(&before);
    buf_release(&after);
    return e;
}

enum err auth_user_passwd(struct store *s, const struct svc_actor *who, int64_t now,
                          const char *login, const char *password, struct svc_result *res)
{
    struct svc_call c;
    enum err e = svc_begin(&c, s, who, ACT_USER_PASSWD, now, res);
    if (e == ERR_OK)
        e = passwd_set(&c, login, password);
    return svc_end(&c, e);
}

enum err auth_user_disable(struct store *s, const struct svc_actor *who, int64_t now,
                           const char *login, int disabled, struct svc_result *res)
{
    struct svc_call c;
    struct store_account a;
    struct buf before, after;
    char object[160];
    buf_init(&before, 1 << 16);
    buf_init(&after, 1 << 16);
    enum err e = svc_begin(&c, s, who, ACT_USER_DISABLE, now, res);
    if (e == ERR_OK)
        e = svc_write(&c);
    if (e == ERR_OK)
        e = account_of(&c, login, &a);
    if (e == ERR_OK)
        e = account_text(s, &a, &before);
    if (e == ERR_OK)
        e = store_account_set_disabled(s, a.id, disabled);
    if (e == ERR_OK && disabled)
        e = store_session_delete_account(s, a.id);
    if (e == ERR_OK) {
        a.disabled = disabled ? 1 : 0;
        e = account_text(s, &a, &after);
    }
    snprintf(object, sizeof(object), "user:%s", login ? login : "");
    if (e == ERR_OK)
        e = svc_audit_verb(&c, disabled ? "user.disable" : "user.enable", object, before.p,
                           after.p);
    buf_release(&before);
    buf_release(&after);
    return svc_end(&c, e);
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

/* The refusal of perm_may_hold, said. */
static enum err may_not_hold(struct svc_call *c, const char *login, enum perm_role role)
{
    msg_issue_add(&c->res->issues, "role",
                  M_("Myndighetens personal kan inte ha en roll för en bidragsmottagare, och den "
                     "som har en sådan roll kan inte ha en myndighetsroll."));
    if (perm_is_recipient(role))
        return svc_failf(c, ERR_DENIED,
                         M_("'{1}' har en roll hos myndigheten och kan därför inte få rollen "
                            "'{2}'."),
                         msg_str(login), msg_str(perm_id(role)));
    return svc_failf(c, ERR_DENIED,
                     M_("'{1}' har en roll för en bidragsmottagare och kan därför inte få rollen "
                        "'{2}'."),
                     msg_str(login), msg_str(perm_id(role)));
}

/* Grant or take away role for org from login inside the call c, whose
 * transaction is open; verb is the audit record's. */
static enum err role_change(struct svc_call *c, const char *login, enum perm_role role,
                            const char *org, int grant)
{
    struct store_account a;
    struct buf before, after;
    char object[160];
    buf_init(&before, 1 << 16);
    buf_init(&after, 1 << 16);
    enum err e = account_of(c, login, &a);
    if (e == ERR_OK)
        e = account_text(c->s, &a, &before);
    if (e == ERR_OK && grant) {
        unsigned held = 0;
        e = held_roles(c->s, a.id, &held);
        if (e == ERR_OK && !perm_may_hold(held, role))
            e = may_not_hold(c, login, role);
    }
    if (e == ERR_OK)
        e = grant ? store_grant_add(c->s, a.id, perm_id(role), org, c->nowiso)
                  : store_grant_remove(c->s, a.id, perm_id(role), org);
    if (e == ERR_CONFLICT && role == PERM_OMBUD) {
        msg_issue_add(&c->res->issues, "org", M_("Organisationen har redan ett ombud."));
        e = svc_failf(c, e, M_("Organisationen '{1}' har redan ett ombud."), msg_str(org));
    } else if (e == ERR_CONFLICT) {
        msg_issue_add(&c->res->issues, "login", M_("Användaren har redan rollen."));
        e = svc_failf(c, e, M_("'{1}' har redan rollen '{2}'."), msg_str(login),
                      msg_str(perm_id(role)));
    } else if (e == ERR_NOTFOUND) {
        msg_issue_add(&c->res->issues, "login", M_("Användaren har inte den rollen."));
        e = svc_failf(c, e, M_("'{1}' har inte rollen '{2}'."), msg_str(login),
                      msg_str(perm_id(role)));
    }
    if (e == ERR_OK)
        e = account_text(c->s, &a, &after);
    snprintf(object, sizeof(object), "user:%s", login);
    if (e == ERR_OK)
        e = svc_audit_verb(c, grant ? "role.grant" : "role.revoke", object, before.p, after.p);
    buf_release(&before);
    buf_release(&after);
    return e;
}

enum err auth_user_role(struct store *s, const struct svc_actor *who, int64_t now,
                        const char *login, enum perm_role role, const char *org, int grant,
                        struct svc_result *res)
{
    struct svc_call c;
    if (!org)
        org = "";
    enum err e = svc_begin(&c, s, who, ACT_USER_ROLE, now, res);
    if (e == ERR_OK && perm_is_recipient(role) && !org_ok(org)) {
        msg_issue_add(&res->issues, "org",
                      M_("Ange kommunkod (4 siffror) eller länskod (2 siffror) för "
                         "organisationsroller och ingen kod för myndighetsroller."));
        e = svc_failf(&c, ERR_INVALID,
                      M_("Rollen '{1}' kräver en organisationskod (kommun 4 siffror, region 2 "
                         "siffror)."),
                      msg_str(perm_id(role)));
    }
    if (e == ERR_OK && perm_is_agency(role) && org[0]) {
        msg_issue_add(&res->issues, "org",
                      M_("Ange kommunkod (4 siffror) eller länskod (2 siffror) för "
                         "organisationsroller och ingen kod för myndighetsroller."));
        e = svc_failf(&c, ERR_INVALID,
                      M_("Rollen '{1}' är en myndighetsroll och tar ingen organisationskod."),
                      msg_str(perm_id(role)));
    }
    if (e == ERR_OK)
        e = svc_write(&c);
    if (e == ERR_OK)
        e = role_change(&c, login ? login : "", role, org, grant);
    return svc_end(&c, e);
}

void auth_users_free(struct auth_user *u, size_t n)
{
    for (size_t i = 0; u && i < n; i++)
        free(u[i].grants);
    free(u);
}

enum err auth_user_list(struct store *s, const struct svc_actor *who, int64_t now,
                        struct auth_user **out, size_t *n, struct svc_result *res)
{
    struct svc_call c;
    struct store_account *a = NULL;
    size_t na = 0;
    *out = NULL;
    *n = 0;
    enum err e = svc_begin(&c, s, who, ACT_USER_READ, now, res);
    if (e == ERR_OK)
        e = store_account_list(s, &a, &na);
    struct auth_user *u = NULL;
    if (e == ERR_OK) {
        u = calloc(na ? na : 1, sizeof(*u));
        e = u ? ERR_OK : ERR_NOMEM;
    }
    for (size_t i = 0; e == ERR_OK && i < na; i++) {
        u[i].account = a[i];
        sodium_memzero(u[i].account.pwhash, sizeof(u[i].account.pwhash));
        if (a[i].pwhash[0])
            str_copy(u[i].account.pwhash, sizeof(u[i].account.pwhash),
                     strcmp(a[i].pwhash, SVC_NO_LOGIN) == 0 ? SVC_NO_LOGIN : "set");
        e = store_grant_list(s, a[i].id, &u[i].grants, &u[i].ngrants);
    }
    if (a)
        sodium_memzero(a, na * sizeof(*a));
    free(a);
    if (e == ERR_OK) {
        *out = u;
        *n = na;
    } else {
        auth_users_free(u, na);
    }
    return svc_end(&c, e);
}

enum err auth_org_member(struct store *s, const struct svc_actor *who, int64_t now,
                         const char *login, enum perm_role role, int grant, struct svc_result *res)
{
    struct svc_call c;
    char object[160], detail[200];
    struct store_invite iv;
    memset(&iv, 0, sizeof(iv));
    enum err e = svc_begin(&c, s, who, ACT_ORG_MEMBERS, now, res);
    if (e == ERR_OK && (grant ? !perm_may_invite(c.roles, role) : !perm_may_remove(c.roles, role)))
        e = grant ? svc_failf(&c, ERR_DENIED, M_("Din roll får inte bjuda in till rollen '{1}'."),
                              msg_str(perm_id(role)))
                  : svc_failf(&c, ERR_DENIED, M_("Din roll får inte ta bort rollen '{1}'."),
                              msg_str(perm_id(role)));
    if (e == ERR_OK)
        e = login_check(&c, login);
    if (e != ERR_OK)
        return svc_end(&c, e);
    str_copy(iv.org, sizeof(iv.org), c.who.org);
    str_copy(iv.login, sizeof(iv.login), login);
    str_copy(iv.role, sizeof(iv.role), perm_id(role));
    str_copy(iv.invited_by, sizeof(iv.invited_by), c.who.login);
    str_copy(iv.invited_at, sizeof(iv.invited_at), c.nowiso);
    snprintf(object, sizeof(object), "user:%s", login);
    snprintf(detail, sizeof(detail), "role=%s@%s", iv.role, iv.org);
    e = svc_write(&c);
    if (e == ERR_OK && grant) {
        /* an invitation, whoever the login is: nothing is looked up, so
         * the answer is the same for an account, agency staff and nobody */
        e = store_invite_add(s, &iv);
        if (e == ERR_CONFLICT) { /* the same invitation waits already */
            svc_rollback(&c);
            return svc_end(&c, ERR_OK);
        }
        if (e == ERR_OK)
            e = svc_audit_verb(&c, "role.invite", object, NULL, detail);
    } else if (e == ERR_OK) {
        /* a waiting invitation is withdrawn, else the role taken away */
        e = store_invite_remove(s, iv.org, iv.login, iv.role);
        if (e == ERR_OK) {
            e = svc_audit_verb(&c, "role.withdraw", object, detail, NULL);
        } else if (e == ERR_NOTFOUND) {
            e = role_change(&c, login, role, iv.org, 0);
            if (e == ERR_NOTFOUND) { /* no such login reads as not holding it */
                msg_issues_clear(&res->issues);
                msg_clear(&res->msg);
                e = svc_fail(&c, ERR_NOTFOUND, M_("Användaren har inte den rollen."));
            }
        }
    }
    return svc_end(&c, e);
}

enum err auth_org_members(struct store *s, const struct svc_actor *who, int64_t now,
                          struct store_member **out, size_t *n, struct svc_result *res)
{
    struct svc_call c;
    *out = NULL;
    *n = 0;
    enum err e = svc_begin(&c, s, who, ACT_ORG_READ, now, res);
    if (e == ERR_OK)
        e = store_grant_list_org(s, c.who.org, out, n);
    return svc_end(&c, e);
}

enum err auth_org_invites(struct store *s, const struct svc_actor *who, int64_t now,
                          struct store_invite **out, size_t *n, struct svc_result *res)
{
    struct svc_call c;
    *out = NULL;
    *n = 0;
    enum err e = svc_begin(&c, s, who, ACT_ORG_MEMBERS, now, res);
    if (e == ERR_OK)
        e = store_invite_list(s, c.who.org, NULL, out, n);
    return svc_end(&c, e);
}

enum err auth_my_invites(struct store *s, const struct svc_actor *who, int64_t now,
                         struct store_invite **out, size_t *n, struct svc_result *res)
{
    struct svc_call c;
    *out = NULL;
    *n = 0;
    enum err e = svc_begin(&c, s, who, ACT_INVITE_ANSWER, now, res);
    if (e == ERR_OK)
        e = store_invite_list(s, NULL, c.who.login, out, n);
    return svc_end(&c, e);
}

enum err auth_invite_answer(struct store *s, const struct svc_actor *who, int64_t now,
                            const char *org, enum perm_role role, int accept,
                            struct svc_result *res)
{
    struct svc_call c;
    char object[160], detail[200];
    struct buf before, after;
    struct store_account a;
    unsigned held = 0;
    buf_init(&before, 1 << 16);
    buf_init(&after, 1 << 16);
    if (!org)
        org = "";
    enum err e = svc_begin(&c, s, who, ACT_INVITE_ANSWER, now, res);
    if (e != ERR_OK)
        goto out;
    /* the invitation is the invited person's own: it names where they act */
    str_copy(c.who.org, sizeof(c.who.org), org);
    snprintf(object, sizeof(object), "user:%s", c.who.login);
    snprintf(detail, sizeof(detail), "role=%s@%s", perm_id(role), org);
    e = svc_write(&c);
    if (e == ERR_OK)
        e = store_invite_remove(s, org, c.who.login, perm_id(role));
    if (e == ERR_NOTFOUND)
        e = svc_fail(&c, e, M_("Inbjudan finns inte längre."));
    if (e == ERR_OK && !accept) {
        e = svc_audit_verb(&c, "role.decline", object, detail, NULL);
        goto out;
    }
    if (e == ERR_OK)
        e = store_account_get_id(s, who->account, &a);
    if (e == ERR_OK)
        e = held_roles(s, a.id, &held);
    if (e == ERR_OK)
        e = account_text(s, &a, &before);
    if (e == ERR_OK && !perm_may_hold(held, role))
        e = svc_fail(&c, ERR_DENIED,
                     M_("Du har en roll hos myndigheten och kan därför inte företräda en "
                        "bidragsmottagare."));
    if (e == ERR_OK) {
        e = store_grant_add(s, a.id, perm_id(role), org, c.nowiso);
        if (e == ERR_CONFLICT) { /* held already: the invitation is spent */
            e = svc_audit_verb(&c, "role.decline", object, detail, NULL);
            goto out;
        }
    }
    if (e == ERR_OK)
        e = account_text(s, &a, &after);
    if (e == ERR_OK)
        e = svc_audit_verb(&c, "role.grant", object, before.p, after.p);
out:
    buf_release(&before);
    buf_release(&after);
    return svc_end(&c, e);
}

/* The organisations an account may act for. */
static enum err contexts_of(struct store *s, long long account, char (*orgs)[STORE_ORG_LEN],
                            size_t max, size_t *n)
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

enum err auth_contexts(struct store *s, const struct svc_actor *who, int64_t now,
                       char (*orgs)[STORE_ORG_LEN], size_t max, size_t *n, struct svc_result *res)
{
    struct svc_call c;
    *n = 0;
    enum err e = svc_begin(&c, s, who, ACT_SESSION_ORG, now, res);
    if (e == ERR_OK)
        e = contexts_of(s, who->account, orgs, max, n);
    return svc_end(&c, e);
}

/* 1 if the account may never log in (the operator's). */
static int no_login(const struct store_account *a)
{
    return strcmp(a->pwhash, SVC_NO_LOGIN) == 0;
}

/* ---- kept sessions, tokens and roles ----
 * Direct-mapped tables (a key's slot is its hash's; a newcomer takes the
 * slot), each entry stamped with the auth generation read before its rows
 * were: a change committed meanwhile leaves a newer generation, so the
 * entry is never used. One lock; what is handed out is a copy. */
struct kept_session {
    int64_t gen; /* 0: empty */
    struct auth_session v;
};
struct kept_token {
    int64_t gen;
    char hash[STORE_HASH_HEX];
    struct auth_session v;
};
struct kept_roles {
    int64_t gen;
    long long account;
    char org[STORE_ORG_LEN];
    enum err e; /* ERR_OK, ERR_NOTFOUND or ERR_DENIED */
    char login[sizeof(((struct store_account *)0)->login)];
    unsigned roles, held;
    int operator;
};
static struct {
    pthread_mutex_t lock;
    int on;
    struct kept_session sessions[KEEP_SLOTS];
    struct kept_token tokens[KEEP_SLOTS];
    struct kept_roles roles[KEEP_SLOTS];
} kept = {.lock = PTHREAD_MUTEX_INITIALIZER};

static size_t slot_of(const char *key, long long n)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)n;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (size_t)(h % KEEP_SLOTS);
}

/* Inside one request of this thread (auth_request_begin), the
 * generation is read once: the request is decided as of its start, as it
 * was when its head was checked. A write committed by the request itself
 * (svc_end) reads it anew. */
static _Thread_local struct {
    int in_request;
    int64_t gen; /* 0: not read yet in this request */
} tl;

void auth_request_begin(void)
{
    tl.in_request = 1;
    tl.gen = 0;
}

void auth_request_end(void)
{
    tl.in_request = 0;
    tl.gen = 0;
}

void auth_request_gen(int64_t gen)
{
    if (!tl.in_request || gen <= 0)
        return;
    pthread_mutex_lock(&kept.lock);
    int on = kept.on;
    pthread_mutex_unlock(&kept.lock);
    if (on)
        tl.gen = gen;
}

void auth_request_wrote(void)
{
    tl.gen = 0;
}

/* The generation now, when keeping is on and it can be read; else 0. */
static int64_t kept_gen(struct store *s)
{
    if (tl.in_request && tl.gen > 0)
        return tl.gen;
    pthread_mutex_lock(&kept.lock);
    int on = kept.on;
    pthread_mutex_unlock(&kept.lock);
    int64_t gen = 0;
    if (!on || store_auth_gen(s, &gen) != ERR_OK || gen <= 0)
        return 0;
    if (tl.in_request)
        tl.gen = gen;
    return gen;
}

enum err auth_cache_init(struct store *s)
{
    int64_t gen = 0;
    enum err e = store_auth_gen(s, &gen);
    if (e == ERR_NOTFOUND) {
        e = store_begin(s);
        if (e != ERR_OK)
            return e;
        e = store_auth_gen_init(s);
        if (e != ERR_OK) {
            store_rollback(s);
            return e;
        }
        e = store_commit(s);
    }
    if (e != ERR_OK)
        return e;
    pthread_mutex_lock(&kept.lock);
    kept.on = 1;
    pthread_mutex_unlock(&kept.lock);
    return ERR_OK;
}

void auth_cache_clear(void)
{
    pthread_mutex_lock(&kept.lock);
    kept.on = 0;
    memset(kept.sessions, 0, sizeof(kept.sessions));
    memset(kept.tokens, 0, sizeof(kept.tokens));
    memset(kept.roles, 0, sizeof(kept.roles));
    pthread_mutex_unlock(&kept.lock);
}

static int kept_session_get(int64_t gen, const char *h, struct auth_session *out)
{
    int hit = 0;
    pthread_mutex_lock(&kept.lock);
    struct kept_session *k = &kept.sessions[slot_of(h, 0)];
    if (k->gen == gen && strcmp(k->v.row.id_hash, h) == 0) {
        *out = k->v;
        hit = 1;
    }
    pthread_mutex_unlock(&kept.lock);
    return hit;
}

static void kept_session_put(int64_t gen, const struct auth_session *v)
{
    pthread_mutex_lock(&kept.lock);
    struct kept_session *k = &kept.sessions[slot_of(v->row.id_hash, 0)];
    k->gen = gen;
    k->v = *v;
    pthread_mutex_unlock(&kept.lock);
}

/* The session was touched: its kept copy says so (the idle limit counts
 * from there). */
static void kept_session_seen(const char *h, int64_t seen)
{
    pthread_mutex_lock(&kept.lock);
    struct kept_session *k = &kept.sessions[slot_of(h, 0)];
    if (k->gen && strcmp(k->v.row.id_hash, h) == 0 && k->v.row.last_seen < seen)
        k->v.row.last_seen = seen;
    pthread_mutex_unlock(&kept.lock);
}

static int kept_token_get(int64_t gen, const char *h, struct auth_session *out)
{
    int hit = 0;
    pthread_mutex_lock(&kept.lock);
    struct kept_token *k = &kept.tokens[slot_of(h, 1)];
    if (k->gen == gen && strcmp(k->hash, h) == 0) {
        *out = k->v;
        hit = 1;
    }
    pthread_mutex_unlock(&kept.lock);
    return hit;
}

static void kept_token_put(int64_t gen, const char *h, const struct auth_session *v)
{
    pthread_mutex_lock(&kept.lock);
    struct kept_token *k = &kept.tokens[slot_of(h, 1)];
    k->gen = gen;
    str_copy(k->hash, sizeof(k->hash), h);
    k->v = *v;
    pthread_mutex_unlock(&kept.lock);
}

/* The roles as read from the store. */
static enum err resolve_read(struct store *s, long long account, const char *org,
                             struct kept_roles *out)
{
    struct store_account a;
    struct store_grant *g = NULL;
    size_t ng = 0;
    enum err e = store_account_get_id(s, account, &a);
    if (e != ERR_OK)
        return e;
    str_copy(out->login, sizeof(out->login), a.login);
    if (a.disabled)
        return ERR_DENIED;
    out->operator= no_login(&a);
    e = store_grant_list(s, a.id, &g, &ng);
    if (e != ERR_OK)
        return e;
    for (size_t i = 0; i < ng; i++) {
        enum perm_role r;
        if (perm_parse(g[i].role, &r) != ERR_OK)
            continue;
        out->held |= (unsigned)r;
        if (strcmp(g[i].org, org ? org : "") == 0)
            out->roles |= (unsigned)r;
    }
    free(g);
    return ERR_OK;
}

enum err auth_resolve(struct store *s, long long account, const char *org, char *login,
                      size_t loginn, unsigned *roles, unsigned *held, int *operator)
{
    struct kept_roles v;
    memset(&v, 0, sizeof(v));
    *roles = *held = 0;
    *operator= 0;
    if (!org)
        org = "";
    int64_t gen = kept_gen(s);
    int hit = 0;
    char key[STORE_ORG_LEN + 1];
    str_copy(key, sizeof(key), org);
    size_t slot = slot_of(key, account);
    if (gen) {
        pthread_mutex_lock(&kept.lock);
        struct kept_roles *k = &kept.roles[slot];
        if (k->gen == gen && k->account == account && strcmp(k->org, org) == 0) {
            v = *k;
            hit = 1;
        }
        pthread_mutex_unlock(&kept.lock);
    }
    if (!hit) {
        v.e = resolve_read(s, account, org, &v);
        if (v.e != ERR_OK && v.e != ERR_NOTFOUND && v.e != ERR_DENIED)
            return v.e; /* the store failed: nothing kept */
        if (gen) {
            v.gen = gen;
            v.account = account;
            str_copy(v.org, sizeof(v.org), org);
            pthread_mutex_lock(&kept.lock);
            kept.roles[slot] = v;
            pthread_mutex_unlock(&kept.lock);
        }
    }
    if (v.e != ERR_OK)
        return v.e;
    if (login)
        str_copy(login, loginn, v.login);
    *roles = v.roles;
    *held = v.held;
    *operator= v.operator;
    return ERR_OK;
}

/* The roles an account holds when acting for org. */
static enum err roles_for(struct store *s, long long account, const char *org, unsigned *mask)
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

/* Open a session for account a inside the call c (its transaction open),
 * with its audit record (verb: "login" or "login.sso"). */
static enum err session_open(struct svc_call *c, const struct store_account *a, const char *verb,
                             struct auth_session_new *out)
{
    struct store_session se;
    char orgs[2][STORE_ORG_LEN];
    size_t norgs = 0;
    char object[160];
    memset(&se, 0, sizeof(se));
    enum err e = contexts_of(c->s, a->id, orgs, 2, &norgs);
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
    se.created = c->now;
    se.last_seen = c->now;
    e = store_session_put(c->s, &se);
    if (e != ERR_OK)
        return e;
    out->account_id = a->id;
    out->org_chosen = se.org_chosen;
    /* the record names the person who logged in, acting where the
     * session starts */
    str_copy(c->who.login, sizeof(c->who.login), a->login);
    str_copy(c->who.org, sizeof(c->who.org), se.org);
    snprintf(object, sizeof(object), "user:%s", a->login);
    return svc_audit_verb(c, verb, object, NULL, c->who.addr);
}

enum err auth_login(struct store *s, const struct svc_actor *who, int64_t now, const char *login,
                    const char *password, enum auth_result *out_res, struct auth_session_new *out,
                    struct svc_result *res)
{
    struct svc_call c;
    struct store_account a;
    struct store_throttle tp, ta;
    int found = 0, good = 0;
    char object[160], akey[80], pair[128 + 90];
    *out_res = AUTH_BAD;
    memset(out, 0, sizeof(*out));
    enum err e = svc_begin(&c, s, who, ACT_LOGIN, now, res);
    if (e != ERR_OK)
        return svc_end(&c, e);
    /* longer than any password that can be set: not worth hashing */
    if (!login || !password || !login_ok(login) ||
        strlen(password) >= STR_UTF8_SIZE(AUTH_PASSWORD_MAX))
        login = "";
    addr_key(c.who.addr, akey, sizeof(akey));
    /* the per-account counters (kind "account") are kept per account and
     * address, keyed "login address": a login holds no space (login_ok) */
    snprintf(pair, sizeof(pair), "%s %s", login, akey);
    e = store_throttle_get(s, "account", pair, &tp);
    if (e == ERR_OK)
        e = store_throttle_get(s, "addr", akey, &ta);
    if (e != ERR_OK)
        return svc_end(&c, e);
    if (tp.locked_until > now || ta.locked_until > now) {
        *out_res = AUTH_THROTTLED;
        return svc_end(&c, ERR_OK);
    }
    e = login[0] ? store_account_get(s, login, &a) : ERR_NOTFOUND;
    if (e == ERR_OK)
        found = 1;
    else if (e != ERR_NOTFOUND)
        return svc_end(&c, e);
    if (found && a.pwhash[0] && !no_login(&a))
        good = crypto_pwhash_str_verify(a.pwhash, password, strlen(password)) == 0;
    else if (crypto_pwhash_str_verify(dummy_hash, password ? password : "",
                                      password ? strlen(password) : 0) == 0)
        good = 0;
    e = svc_write(&c);
    /* housekeeping: old counters and sessions go */
    if (e == ERR_OK)
        e = store_throttle_purge(s, now - AUTH_THROTTLE_WINDOW, now);
    if (e == ERR_OK)
        e = store_session_purge(s, now - SESSION_MAX_AGE);
    if (e == ERR_OK)
        svc_housekeeping(&c);
    if (e == ERR_OK && !good) {
        int lock_p = 0, lock_a = 0;
        if (login[0])
            e = throttle_fail(s, "account", pair, AUTH_PAIR_MAX_FAILURES, now, &lock_p);
        if (e == ERR_OK)
            e = throttle_fail(s, "addr", akey, AUTH_ADDR_MAX_FAILURES, now, &lock_a);
        str_copy(c.who.login, sizeof(c.who.login), "system");
        if (e == ERR_OK && lock_p == 2 && found) {
            snprintf(object, sizeof(object), "user:%s", login);
            e = svc_audit_verb(&c, "login.lock", object, NULL, c.who.addr);
        }
        if (e == ERR_OK && lock_a == 2) {
            snprintf(object, sizeof(object), "addr:%s", akey);
            e = svc_audit_verb(&c, "login.lock", object, NULL, NULL);
        }
        *out_res = lock_p || lock_a ? AUTH_THROTTLED : AUTH_BAD;
    } else if (e == ERR_OK && a.disabled) {
        *out_res = AUTH_DISABLED;
    } else if (e == ERR_OK) {
        e = store_throttle_clear(s, "account", pair);
        if (e == ERR_OK)
            e = session_open(&c, &a, "login", out);
        if (e == ERR_OK)
            *out_res = AUTH_OK;
    }
    e = svc_end(&c, e);
    if (e != ERR_OK) {
        memset(out, 0, sizeof(*out));
        *out_res = AUTH_BAD;
    }
    return e;
}

enum err auth_login_trusted(struct store *s, const struct svc_actor *who, int64_t now,
                            const char *login, enum auth_result *out_res,
                            struct auth_session_new *out, struct svc_result *res)
{
    struct svc_call c;
    struct store_account a;
    *out_res = AUTH_BAD;
    memset(out, 0, sizeof(*out));
    enum err e = svc_begin(&c, s, who, ACT_LOGIN, now, res);
    if (e != ERR_OK || !login_ok(login))
        return svc_end(&c, e);
    e = store_account_get(s, login, &a);
    if (e == ERR_NOTFOUND || (e == ERR_OK && no_login(&a)))
        return svc_end(&c, ERR_OK);
    if (e == ERR_OK && a.disabled) {
        *out_res = AUTH_DISABLED;
        return svc_end(&c, ERR_OK);
    }
    if (e == ERR_OK)
        e = svc_write(&c);
    if (e == ERR_OK)
        e = session_open(&c, &a, "login.sso", out);
    e = svc_end(&c, e);
    if (e == ERR_OK)
        *out_res = AUTH_OK;
    else
        memset(out, 0, sizeof(*out));
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
    int64_t gen = kept_gen(s);
    if (gen && kept_session_get(gen, h, out) && now - out->row.last_seen <= idle_seconds &&
        now - out->row.created <= SESSION_MAX_AGE) {
        if (now > out->row.last_seen && store_session_touch(s, h, now) == ERR_OK) {
            out->row.last_seen = now;
            kept_session_seen(h, now);
        }
        return ERR_OK;
    }
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
    if (out->account.disabled || no_login(&out->account))
        return ERR_NOTFOUND;
    /* touching is housekeeping: on a full disk or a read-only database the
     * session still reads */
    if (now > out->row.last_seen && store_session_touch(s, h, now) == ERR_OK)
        out->row.last_seen = now;
    if (out->row.org_chosen)
        e = roles_for(s, out->account.id, out->row.org, &out->roles);
    if (e == ERR_OK && gen)
        kept_session_put(gen, out);
    return e;
}

enum err auth_session_choose(struct store *s, const struct svc_actor *who, int64_t now,
                             struct auth_session *se, const char *org, struct svc_result *res)
{
    struct svc_call c;
    char orgs[64][STORE_ORG_LEN];
    size_t n = 0, i = 0;
    char object[160];
    if (!org)
        org = "";
    enum err e = svc_begin(&c, s, who, ACT_SESSION_ORG, now, res);
    if (e == ERR_OK)
        e = contexts_of(s, who->account, orgs, 64, &n);
    for (i = 0; e == ERR_OK && i < n; i++)
        if (strcmp(orgs[i], org) == 0)
            break;
    if (e == ERR_OK && i == n)
        e = svc_fail(&c, ERR_DENIED, M_("Du har ingen roll för den organisationen."));
    if (e == ERR_OK)
        e = svc_write(&c);
    if (e == ERR_OK)
        e = store_session_set_org(s, se->row.id_hash, org);
    snprintf(object, sizeof(object), "user:%s", c.who.login);
    str_copy(c.who.org, sizeof(c.who.org), org);
    if (e == ERR_OK)
        e = svc_audit(&c, object, se->row.org, org);
    e = svc_end(&c, e);
    if (e != ERR_OK)
        return e;
    str_copy(se->row.org, sizeof(se->row.org), org);
    se->row.org_chosen = 1;
    return roles_for(s, se->account.id, org, &se->roles);
}

enum err auth_logout(struct store *s, const struct svc_actor *who, int64_t now,
                     const struct auth_session *se, struct svc_result *res)
{
    struct svc_call c;
    char object[160];
    enum err e = svc_begin(&c, s, who, ACT_LOGOUT, now, res);
    if (e == ERR_OK)
        e = svc_write(&c);
    if (e == ERR_OK)
        e = store_session_delete(s, se->row.id_hash);
    snprintf(object, sizeof(object), "user:%s", c.who.login);
    if (e == ERR_OK)
        e = svc_audit(&c, object, NULL, NULL);
    return svc_end(&c, e);
}

enum err auth_passwd_self(struct store *s, const struct svc_actor *who, int64_t now,
                          const char *current, const char *password, struct svc_result *res)
{
    struct svc_call c;
    struct store_account a;
    memset(&a, 0, sizeof(a));
    enum err e = svc_begin(&c, s, who, ACT_ACCOUNT_PASSWD, now, res);
    if (e == ERR_OK)
        e = store_account_get_id(s, who->account, &a);
    if (e == ERR_OK && (!current || !a.pwhash[0] || no_login(&a) ||
                        crypto_pwhash_str_verify(a.pwhash, current, strlen(current)) != 0)) {
        msg_issue_add(&res->issues, "current", M_("Det nuvarande lösenordet stämmer inte."));
        e = svc_fail(&c, ERR_DENIED, M_("Det nuvarande lösenordet stämmer inte."));
    }
    if (e == ERR_OK)
        e = passwd_set(&c, a.login, password);
    sodium_memzero(a.pwhash, sizeof(a.pwhash));
    return svc_end(&c, e);
}

/* Make a token for login acting for org inside the call c. */
static enum err token_make(struct svc_call *c, const char *login, const char *name, const char *org,
                           char out[AUTH_TOKEN_LEN])
{
    struct store_account a;
    struct store_token t;
    char secret[AUTH_SECRET_HEX], object[64];
    unsigned mask = 0;
    memset(&t, 0, sizeof(t));
    out[0] = '\0';
    if (!org)
        org = "";
    if (!name_ok(name)) {
        msg_issue_add(&c->res->issues, "name", M_("Ge nyckeln ett namn."));
        return svc_failf(c, ERR_INVALID, M_("Nyckelns namn ska vara 1–{1} tecken text."),
                         msg_int(STORE_NAME_MAX_CHARS));
    }
    enum err e = svc_write(c);
    if (e == ERR_OK)
        e = account_of(c, login, &a);
    if (e == ERR_OK)
        e = roles_for(c->s, a.id, org, &mask);
    if (e == ERR_OK && mask == 0)
        e = org[0] ? svc_failf(c, ERR_DENIED, M_("'{1}' har ingen roll för '{2}'."), msg_str(login),
                               msg_str(org))
                   : svc_failf(c, ERR_DENIED, M_("'{1}' har ingen roll hos myndigheten."),
                               msg_str(login));
    if (e != ERR_OK)
        return e;
    random_hex(secret);
    snprintf(out, AUTH_TOKEN_LEN, "bdr_%s", secret);
    sodium_memzero(secret, sizeof(secret));
    auth_hash_secret(out, t.hash);
    t.account_id = a.id;
    str_copy(t.name, sizeof(t.name), name);
    str_copy(t.org, sizeof(t.org), org);
    str_copy(t.created_at, sizeof(t.created_at), c->nowiso);
    e = store_token_add(c->s, &t, &t.id);
    snprintf(object, sizeof(object), "token:%lld", t.id);
    if (e == ERR_OK)
        e = svc_audit_verb(c, "token.create", object, NULL, t.hash);
    return e;
}

enum err auth_token_create(struct store *s, const struct svc_actor *who, int64_t now,
                           const char *login, const char *name, const char *org,
                           char out[AUTH_TOKEN_LEN], struct svc_result *res)
{
    struct svc_call c;
    out[0] = '\0';
    enum err e = svc_begin(&c, s, who, ACT_TOKEN_CREATE, now, res);
    if (e == ERR_OK)
        e = token_make(&c, login ? login : "", name, org, out);
    e = svc_end(&c, e);
    if (e != ERR_OK)
        sodium_memzero(out, AUTH_TOKEN_LEN);
    return e;
}

enum err auth_token_create_own(struct store *s, const struct svc_actor *who, int64_t now,
                               const char *name, char out[AUTH_TOKEN_LEN], struct svc_result *res)
{
    struct svc_call c;
    out[0] = '\0';
    enum err e = svc_begin(&c, s, who, ACT_ACCOUNT_TOKEN, now, res);
    if (e == ERR_OK)
        e = token_make(&c, c.who.login, name, c.who.org, out);
    e = svc_end(&c, e);
    if (e != ERR_OK)
        sodium_memzero(out, AUTH_TOKEN_LEN);
    return e;
}

/* Revoke token id inside the call c; with owner >= 0 only one of that
 * account's. */
static enum err token_end(struct svc_call *c, long long id, long long owner)
{
    char object[64];
    enum err e = svc_write(c);
    if (e == ERR_OK && owner >= 0) {
        struct store_token *t = NULL;
        size_t nt = 0, i;
        e = store_token_list(c->s, owner, &t, &nt);
        for (i = 0; e == ERR_OK && i < nt; i++)
            if (t[i].id == id)
                break;
        if (e == ERR_OK && i == nt)
            e = ERR_NOTFOUND;
        free(t);
    }
    if (e == ERR_OK)
        e = store_token_revoke(c->s, id);
    if (e == ERR_NOTFOUND)
        return svc_fail(c, e, M_("Det finns ingen sådan API-nyckel."));
    snprintf(object, sizeof(object), "token:%lld", id);
    if (e == ERR_OK)
        e = svc_audit_verb(c, "token.revoke", object, NULL, NULL);
    return e;
}

enum err auth_token_revoke(struct store *s, const struct svc_actor *who, int64_t now, long long id,
                           struct svc_result *res)
{
    struct svc_call c;
    enum err e = svc_begin(&c, s, who, ACT_TOKEN_REVOKE, now, res);
    if (e == ERR_OK)
        e = token_end(&c, id, -1);
    return svc_end(&c, e);
}

enum err auth_token_revoke_own(struct store *s, const struct svc_actor *who, int64_t now,
                               long long id, struct svc_result *res)
{
    struct svc_call c;
    enum err e = svc_begin(&c, s, who, ACT_ACCOUNT_TOKEN, now, res);
    if (e == ERR_OK)
        e = token_end(&c, id, who->account);
    return svc_end(&c, e);
}

enum err auth_token_list(struct store *s, const struct svc_actor *who, int64_t now,
                         const char *login, struct auth_token_info **out, size_t *n,
                         struct svc_result *res)
{
    struct svc_call c;
    struct store_token *t = NULL;
    size_t nt = 0;
    long long account = -1;
    *out = NULL;
    *n = 0;
    enum err e = svc_begin(&c, s, who, ACT_TOKEN_READ, now, res);
    if (e == ERR_OK && login) {
        struct store_account a;
        e = account_of(&c, login, &a);
        account = a.id;
    }
    if (e == ERR_OK)
        e = store_token_list(s, account, &t, &nt);
    struct auth_token_info *x = NULL;
    if (e == ERR_OK) {
        x = calloc(nt ? nt : 1, sizeof(*x));
        e = x ? ERR_OK : ERR_NOMEM;
    }
    for (size_t i = 0; e == ERR_OK && i < nt; i++) {
        struct store_account a;
        x[i].t = t[i];
        if (store_account_get_id(s, t[i].account_id, &a) == ERR_OK)
            str_copy(x[i].login, sizeof(x[i].login), a.login);
        else
            str_copy(x[i].login, sizeof(x[i].login), "?");
    }
    free(t);
    if (e == ERR_OK) {
        *out = x;
        *n = nt;
    } else {
        free(x);
    }
    return svc_end(&c, e);
}

enum err auth_token_list_own(struct store *s, const struct svc_actor *who, int64_t now,
                             struct store_token **out, size_t *n, struct svc_result *res)
{
    struct svc_call c;
    *out = NULL;
    *n = 0;
    enum err e = svc_begin(&c, s, who, ACT_ACCOUNT_READ, now, res);
    if (e == ERR_OK)
        e = store_token_list(s, who->account, out, n);
    return svc_end(&c, e);
}

enum err auth_token_check(struct store *s, const char *token, struct auth_session *out)
{
    struct store_token t;
    char h[STORE_HASH_HEX];
    memset(out, 0, sizeof(*out));
    if (!token || strlen(token) != AUTH_TOKEN_LEN - 1 || !str_starts(token, "bdr_"))
        return ERR_NOTFOUND;
    auth_hash_secret(token, h);
    int64_t gen = kept_gen(s);
    if (gen && kept_token_get(gen, h, out))
        return ERR_OK;
    enum err e = store_token_find(s, h, &t);
    if (e != ERR_OK)
        return e;
    if (t.revoked)
        return ERR_NOTFOUND;
    e = store_account_get_id(s, t.account_id, &out->account);
    if (e != ERR_OK)
        return e;
    if (out->account.disabled || no_login(&out->account))
        return ERR_NOTFOUND;
    out->row.account_id = t.account_id;
    str_copy(out->row.org, sizeof(out->row.org), t.org);
    out->row.org_chosen = 1;
    e = roles_for(s, t.account_id, t.org, &out->roles);
    if (e == ERR_OK && gen)
        kept_token_put(gen, h, out);
    return e;
}

enum err auth_operator_ensure(struct store *s, int64_t now, struct svc_result *res)
{
    struct store_account a;
    enum err e = store_account_get(s, SVC_OPERATOR, &a);
    if (e != ERR_NOTFOUND) {
        svc_result_init(res);
        return e; /* there already (or the store failed) */
    }
    struct svc_actor sys;
    struct svc_call c;
    struct buf after;
    buf_init(&after, 1 << 16);
    svc_actor_system(&sys);
    e = svc_begin(&c, s, &sys, ACT_USER_ADD, now, res);
    memset(&a, 0, sizeof(a));
    str_copy(a.login, sizeof(a.login), SVC_OPERATOR);
    str_copy(a.name, sizeof(a.name), "Driften (kommandoraden)");
    str_copy(a.pwhash, sizeof(a.pwhash), SVC_NO_LOGIN);
    str_copy(a.created_at, sizeof(a.created_at), c.nowiso);
    if (e == ERR_OK)
        e = svc_write(&c);
    if (e == ERR_OK)
        e = store_account_add(s, &a, &a.id);
    if (e == ERR_OK)
        e = store_grant_add(s, a.id, perm_id(PERM_ADMIN), "", c.nowiso);
    if (e == ERR_OK)
        e = account_text(s, &a, &after);
    if (e == ERR_OK)
        e = svc_audit(&c, "user:" SVC_OPERATOR, NULL, after.p);
    buf_release(&after);
    return svc_end(&c, e);
}
