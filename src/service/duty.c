/* duty.c - separation of duties: who may act for a recipient, and who may
 * decide a case. */
#include "service/duty.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/perm.h"
#include "store/store_auth.h"
#include "store/store_req.h"

/* Every role the login holds, anywhere; 0 without an account. */
static enum err held_roles(struct store *s, const char *login, unsigned *held)
{
    struct store_account a;
    struct store_grant *g = NULL;
    size_t ng = 0;
    *held = 0;
    enum err e = store_account_get(s, login, &a);
    if (e == ERR_NOTFOUND)
        return ERR_OK;
    if (e != ERR_OK)
        return e;
    e = store_grant_list(s, a.id, &g, &ng);
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

struct trail {
    const char *login;
    int found;
};

static int trail_row(void *ctx, const struct store_audit *a)
{
    struct trail *t = ctx;
    if (strcmp(a->actor, t->login) == 0 && (strcmp(a->action, "requisition.save") == 0 ||
                                            strcmp(a->action, "requisition.submit") == 0))
        t->found = 1;
    return t->found;
}

/* *involved = 1 if login created, saved or submitted the case. */
static enum err case_involved(struct store *s, const char *login, const char *case_no,
                              int *involved)
{
    struct store_req row;
    struct store_req_version *v = NULL;
    size_t nv = 0;
    *involved = 0;
    enum err e = store_req_get_case(s, case_no, &row);
    if (e != ERR_OK)
        return e == ERR_NOTFOUND ? ERR_OK : e; /* no case, no history */
    if (strcmp(row.created_by, login) == 0)
        *involved = 1;
    e = store_req_versions(s, row.id, &v, &nv);
    if (e != ERR_OK)
        return e;
    for (size_t i = 0; i < nv; i++)
        if (strcmp(v[i].saved_by, login) == 0)
            *involved = 1;
    free(v);
    if (!*involved) {
        struct req_form f;
        char by[128] = "";
        e = store_req_form_get(s, row.id, 0, &f, NULL, by);
        if (e == ERR_OK) {
            req_form_release(&f);
            *involved = strcmp(by, login) == 0;
        } else if (e != ERR_NOTFOUND) {
            return e;
        }
    }
    if (!*involved) {
        char object[64];
        struct trail t = {login, 0};
        snprintf(object, sizeof(object), "requisition:%s", row.case_no);
        e = store_audit_each(s, object, 0, trail_row, &t);
        if (e != ERR_OK)
            return e;
        *involved = t.found;
    }
    return ERR_OK;
}

enum err duty_check(struct store *s, const char *login, enum duty_act act, const char *case_no,
                    char *msg, size_t n)
{
    unsigned held = 0;
    msg[0] = '\0';
    enum err e = held_roles(s, login ? login : "", &held);
    if (e != ERR_OK)
        return e;
    if (act == DUTY_FOR_RECIPIENT && (held & PERM_AGENCY_MASK)) {
        snprintf(msg, n,
                 "Du har en roll hos myndigheten och kan därför inte företräda en "
                 "bidragsmottagare.");
        return ERR_DENIED;
    }
    if (act == DUTY_DECIDE && (held & PERM_RECIPIENT_MASK)) {
        snprintf(msg, n,
                 "Du har en roll för en bidragsmottagare och kan därför inte besluta för "
                 "myndigheten.");
        return ERR_DENIED;
    }
    if (act == DUTY_DECIDE && case_no) {
        int involved = 0;
        e = case_involved(s, login ? login : "", case_no, &involved);
        if (e != ERR_OK)
            return e;
        if (involved) {
            snprintf(msg, n,
                     "Du har själv förberett eller skickat in rekvisitionen %.24s och kan därför "
                     "inte besluta i den.",
                     case_no);
            return ERR_DENIED;
        }
    }
    return ERR_OK;
}
