/* svc.c - the one shape of a service call: roles resolved from the store,
 * the action table's check, one transaction, one audit record. */
#include "service/svc.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/perm.h"
#include "service/audit.h"
#include "service/auth.h"
#include "util/civil.h"
#include "util/str.h"

void svc_result_init(struct svc_result *res)
{
    res->e = ERR_OK;
    msg_clear(&res->msg);
    msg_issues_clear(&res->issues);
}

void svc_actor_system(struct svc_actor *a)
{
    memset(a, 0, sizeof(*a));
    str_copy(a->login, sizeof(a->login), "system");
    a->origin = SVC_SYSTEM;
}

/* The roles of an account where org says and everywhere (auth_resolve:
 * kept in the server while the roles are unchanged). */
static enum err resolve(struct store *s, long long account, const char *org, char *login,
                        size_t loginn, unsigned *roles, unsigned *held, int *operator)
{
    return auth_resolve(s, account, org, login, loginn, roles, held, operator);
}

static void deny_msg(const struct action *a, enum action_deny why, struct msg *m)
{
    switch (why) {
    case ACT_DENY_LOGIN:
        msg_set(m, M_("Du behöver logga in."));
        return;
    case ACT_DENY_CONTEXT:
        if (a->scope == ACT_SCOPE_ORG)
            msg_set(m, M_("Välj först vilken organisation du företräder."));
        else
            msg_set(m, M_("Det här görs för Socialstyrelsen: välj att företräda myndigheten."));
        return;
    case ACT_DENY_OWNER:
        msg_set(m, M_("Du företräder inte den organisationen."));
        return;
    case ACT_DENY_AGENCY:
        msg_set(m, M_("Du har en roll hos myndigheten och kan därför inte företräda en "
                      "bidragsmottagare."));
        return;
    case ACT_DENY_RECIPIENT:
        msg_set(m, M_("Du har en roll för en bidragsmottagare och kan därför inte besluta för "
                      "myndigheten."));
        return;
    case ACT_DENY_IMPERSONAL:
        msg_set(m, M_("Ett beslut fattas av en namngiven person, inte av driftens konto: ange "
                      "vem du är med --as."));
        return;
    case ACT_DENY_NONE:
    case ACT_DENY_ROLE:
        break;
    }
    msg_set(m, M_("Din roll ger inte tillgång till det här."));
}

/* The check of svc_begin and svc_check. */
static enum err check(struct store *s, const struct svc_actor *who, const struct action *a,
                      const char *owner, char *login, size_t loginn, unsigned *roles,
                      unsigned *held, int *operator, struct msg * why)
{
    *roles = *held = 0;
    *operator= 0;
    if (who->origin == SVC_SYSTEM) {
        *roles = *held = PERM_AGENCY_MASK;
        return ERR_OK;
    }
    struct action_who w = {0, 0, 0, 0, who->org};
    if (who->account > 0) {
        enum err e = resolve(s, who->account, who->org, login, loginn, &w.roles, &w.held, operator);
        if (e == ERR_DENIED || e == ERR_NOTFOUND) {
            if (why)
                msg_set(why,
                        e == ERR_DENIED ? M_("Kontot är avstängt.") : M_("Du behöver logga in."));
            return ERR_DENIED;
        }
        if (e != ERR_OK)
            return e;
        w.person = 1;
        w.impersonal = *operator;
    }
    *roles = w.roles;
    *held = w.held;
    enum action_deny reason = ACT_DENY_NONE;
    if (action_allowed(a, &w, owner, &reason) != ERR_OK) {
        if (why)
            deny_msg(a, reason, why);
        return ERR_DENIED;
    }
    return ERR_OK;
}

enum err svc_actor_cli(struct store *s, const char *login, const char *org, struct svc_actor *out,
                       struct svc_result *res)
{
    struct store_account a;
    memset(out, 0, sizeof(*out));
    out->origin = SVC_CLI;
    const char *name = login && login[0] ? login : SVC_OPERATOR;
    enum err e = store_account_get(s, name, &a);
    if (e == ERR_NOTFOUND) {
        if (login && login[0])
            msg_setf(&res->msg, M_("Det finns inget konto '{1}'."), msg_str(name));
        else
            msg_set(&res->msg, M_("Databasen har inget konto för driften ('operator')."));
        res->e = e;
        return e;
    }
    if (e != ERR_OK) {
        msg_set(&res->msg, M_("Tjänsten kunde inte nå databasen. Försök igen om en stund."));
        res->e = e;
        return e;
    }
    if (a.disabled) {
        msg_setf(&res->msg, M_("Kontot '{1}' är avstängt."), msg_str(name));
        res->e = ERR_DENIED;
        return ERR_DENIED;
    }
    out->account = a.id;
    str_copy(out->login, sizeof(out->login), a.login);
    if (str_copy(out->org, sizeof(out->org), org ? org : "")) {
        msg_setf(&res->msg, M_("'{1}' är ingen organisationskod."), msg_str(org));
        res->e = ERR_INVALID;
        return ERR_INVALID;
    }
    return ERR_OK;
}

enum err svc_begin(struct svc_call *c, struct store *s, const struct svc_actor *who,
                   enum action_id act, int64_t now, struct svc_result *res)
{
    memset(c, 0, sizeof(*c));
    c->s = s;
    c->act = action_get(act);
    c->who = *who;
    c->now = now;
    c->today = civil_date(now);
    clock_iso(c->nowiso, sizeof(c->nowiso), now);
    c->res = res;
    svc_result_init(res);
    return check(s, who, c->act, NULL, c->who.login, sizeof(c->who.login), &c->roles, &c->held,
                 &c->operator, & res->msg);
}

enum err svc_check_owner(struct svc_call *c, const char *owner_org)
{
    if (c->act->scope != ACT_SCOPE_ORG || c->who.origin == SVC_SYSTEM)
        return ERR_OK;
    struct action_who w = {1, c->operator, c->roles, c->held, c->who.org};
    enum action_deny why = ACT_DENY_NONE;
    if (action_allowed(c->act, &w, owner_org ? owner_org : "", &why) == ERR_OK && owner_org &&
        owner_org[0])
        return ERR_OK;
    if (why == ACT_DENY_NONE)
        why = ACT_DENY_OWNER;
    msg_clear(&c->res->msg);
    deny_msg(c->act, why, &c->res->msg);
    return ERR_DENIED;
}

enum err svc_call_may(const struct svc_call *c, enum action_id act, const char *owner_org,
                      enum action_deny *reason, struct msg *why)
{
    if (reason)
        *reason = ACT_DENY_NONE;
    if (why)
        msg_clear(why);
    if (c->who.origin == SVC_SYSTEM)
        return ERR_OK;
    const struct action *a = action_get(act);
    struct action_who w = {c->who.account > 0, c->operator, c->roles, c->held, c->who.org};
    enum action_deny r = ACT_DENY_NONE;
    if (action_allowed(a, &w, owner_org, &r) == ERR_OK)
        return ERR_OK;
    if (reason)
        *reason = r;
    if (why)
        deny_msg(a, r, why);
    return ERR_DENIED;
}

enum err svc_check_four_eyes(struct svc_call *c, const char *const *preparers, size_t n,
                             struct msgkey why, const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (preparers[i] && strcmp(preparers[i], c->who.login) == 0)
            return svc_failf(c, ERR_DENIED, why, msg_str(what));
    return ERR_OK;
}

enum err svc_write(struct svc_call *c)
{
    assert(!c->in_txn);
    enum err e = store_begin(c->s);
    if (e == ERR_OK)
        c->in_txn = 1;
    return e;
}

void svc_rollback(struct svc_call *c)
{
    if (c->in_txn)
        store_rollback(c->s);
    c->in_txn = 0;
}

void svc_housekeeping(struct svc_call *c)
{
    c->housekeeping = 1;
}

enum err svc_audit_verb(struct svc_call *c, const char *verb, const char *object,
                        const char *before, const char *after)
{
    assert(c->in_txn); /* the change and its record land together */
    enum err e = audit_append(c->s, c->who.login, c->who.org, verb ? verb : c->act->name, object,
                              before, after, c->now);
    if (e == ERR_OK)
        c->audited++;
    return e;
}

enum err svc_audit(struct svc_call *c, const char *object, const char *before, const char *after)
{
    return svc_audit_verb(c, NULL, object, before, after);
}

enum err svc_failv(struct svc_call *c, enum err e, struct msgkey key, size_t n,
                   const struct msg_arg *args)
{
    if (msg_empty(&c->res->msg))
        msg_setv(&c->res->msg, key, n, args);
    return e;
}

enum err svc_fail(struct svc_call *c, enum err e, struct msgkey key)
{
    return svc_failv(c, e, key, 0, NULL);
}

/* A sentence for a failure the action did not explain. */
static void default_msg(struct svc_call *c, enum err e)
{
    int writes = (c->act->flags & ACT_WRITES) != 0;
    struct msg *m = &c->res->msg;
    if (!msg_empty(m))
        return;
    switch (e) {
    case ERR_LIMIT:
        msg_set(m, M_("Systemet är upptaget just nu. Försök igen om en stund."));
        return;
    case ERR_NOMEM:
        if (writes)
            msg_set(m, M_("Det gick inte att spara: minnet räckte inte."));
        else
            msg_set(m, M_("Minnet räckte inte. Försök igen om en stund."));
        return;
    case ERR_STORE:
    case ERR_IO:
        /* the database's own words are for the log, never the screen */
        if (writes)
            msg_set(m, M_("Det gick inte att spara. Försök igen om en stund."));
        else
            msg_set(m, M_("Tjänsten kunde inte nå databasen. Försök igen om en stund."));
        return;
    default:
        return;
    }
}

enum err svc_end(struct svc_call *c, enum err e)
{
    if (c->in_txn) {
        auth_request_wrote(); /* who may do what may have changed */
        if (e == ERR_OK) {
            /* a state change lands with its record, or not at all */
            assert(!(c->act->flags & ACT_WRITES) || c->audited > 0 || c->housekeeping);
            e = store_commit(c->s); /* ends the level even when it fails */
        } else {
            store_rollback(c->s);
        }
        c->in_txn = 0;
    }
    if (e != ERR_OK)
        default_msg(c, e);
    c->res->e = e;
    return e;
}

enum err svc_check(struct store *s, const struct svc_actor *who, enum action_id act,
                   const char *owner_org, struct msg *why)
{
    unsigned roles, held;
    int operator;
    if (why)
        msg_clear(why);
    return check(s, who, action_get(act), owner_org, NULL, 0, &roles, &held, &operator, why);
}

int svc_may(struct store *s, const struct svc_actor *who, enum action_id act, const char *owner_org)
{
    return svc_check(s, who, act, owner_org, NULL) == ERR_OK;
}

enum err svc_data_gen_init(struct store *s)
{
    int64_t gen = 0;
    if (store_data_gen(s, &gen) == ERR_OK)
        return ERR_OK;
    enum err e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = store_data_gen_init(s);
    if (e != ERR_OK) {
        store_rollback(s);
        return e;
    }
    return store_commit(s);
}

enum err svc_data_gen(struct store *s, int64_t *gen)
{
    return store_data_gen(s, gen);
}

enum err svc_gens(struct store *s, int64_t *auth, int64_t *data)
{
    return store_gens(s, auth, data);
}
