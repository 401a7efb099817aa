/* test_auth.c - accounts, login throttling, sessions, tokens and the
 * audit chain, on a temporary database with the clock injected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "service/audit.h"
#include "service/auth.h"
#include "store/store_auth.h"
#include "../msgtext.h"

static char dir[256], dbpath[300];
static struct store *s;
static const int64_t T0 = 1769076000; /* 2026-01-22T10:00:00Z */
static struct svc_actor cli;          /* the operator's account, an administrator */
static struct svc_result sr;
static const char *msg; /* sr's message as read (Swedish) */

/* The message of the last call, for the assertions. */
static enum err said(enum err e)
{
    msg = msgtext(&sr.msg);
    return e;
}

/* A person with an account, acting for org. */
static struct svc_actor person(const char *login, const char *org)
{
    struct svc_actor a;
    struct svc_result r;
    if (svc_actor_cli(s, login, org, &a, &r) != ERR_OK)
        fail_msg("no account '%s'", login);
    a.origin = SVC_WEB;
    return a;
}

/* Log in with the password from addr at t. */
static enum err log_in(const char *l, const char *pw, const char *addr, int64_t t,
                       enum auth_result *res, struct auth_session_new *ns)
{
    struct svc_actor nobody;
    memset(&nobody, 0, sizeof(nobody));
    nobody.origin = SVC_WEB;
    snprintf(nobody.addr, sizeof(nobody.addr), "%s", addr);
    return auth_login(s, &nobody, t, l, pw, res, ns, &sr);
}

/* The roles login holds where org says. */
static unsigned roles_of(const char *l, const char *org)
{
    struct store_account a;
    struct store_grant *g = NULL;
    size_t n = 0;
    unsigned m = 0;
    assert_int_equal(store_account_get(s, l, &a), ERR_OK);
    assert_int_equal(store_grant_list(s, a.id, &g, &n), ERR_OK);
    for (size_t i = 0; i < n; i++) {
        enum perm_role r;
        if (strcmp(g[i].org, org) == 0 && perm_parse(g[i].role, &r) == ERR_OK)
            m |= (unsigned)r;
    }
    free(g);
    return m;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/bidrag-test-auth-%d", (int)getpid());
    snprintf(dbpath, sizeof(dbpath), "%s/x.db", dir);
    if (auth_init() != ERR_OK || store_open(dbpath, STORE_OPEN_CREATE, &s) != ERR_OK)
        return -1;
    if (auth_operator_ensure(s, T0, &sr) != ERR_OK)
        return -1;
    return svc_actor_cli(s, NULL, "", &cli, &sr) == ERR_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    store_close(s);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_users_and_roles(void **state)
{
    (void)state;
    assert_int_equal(said(auth_user_add(s, &cli, T0, "anna", "Anna", "ett-bra-losenord", &sr)),
                     ERR_OK);
    assert_int_equal(said(auth_user_add(s, &cli, T0, "anna", "Anna", "ett-bra-losenord", &sr)),
                     ERR_CONFLICT);
    assert_non_null(strstr(msg, "finns redan"));
    assert_int_equal(said(auth_user_add(s, &cli, T0, "bo", "Bo", "kort", &sr)), ERR_INVALID);
    assert_int_equal(said(auth_user_add(s, &cli, T0, "bad login", "X", NULL, &sr)), ERR_INVALID);
    assert_int_equal(said(auth_user_add(s, &cli, T0, "bo", "Bo", NULL, &sr)), ERR_OK);

    assert_int_equal(said(auth_user_role(s, &cli, T0, "anna", PERM_OMBUD, "0180", 1, &sr)), ERR_OK);
    assert_int_equal(said(auth_user_role(s, &cli, T0, "bo", PERM_OMBUD, "0180", 1, &sr)),
                     ERR_CONFLICT);
    assert_non_null(strstr(msg, "har redan ett ombud"));
    assert_int_equal(said(auth_user_role(s, &cli, T0, "bo", PERM_OMBUD, "", 1, &sr)), ERR_INVALID);
    assert_int_equal(said(auth_user_role(s, &cli, T0, "bo", PERM_ADMIN, "0180", 1, &sr)),
                     ERR_INVALID);
    assert_int_equal(said(auth_user_role(s, &cli, T0, "anna", PERM_REPRESENTANT, "0114", 1, &sr)),
                     ERR_OK);
    /* separation of duties: no agency role for someone acting for a
     * recipient, and no recipient role for agency staff */
    assert_int_equal(said(auth_user_role(s, &cli, T0, "anna", PERM_ADMIN, "", 1, &sr)), ERR_DENIED);
    assert_non_null(strstr(msg, "inte få rollen 'admin'"));
    assert_int_equal(said(auth_user_role(s, &cli, T0, "bo", PERM_GRANSKARE, "", 1, &sr)), ERR_OK);
    assert_int_equal(
        said(auth_user_role(s, &cli, T0, "bo", PERM_UPPGIFTSSAMORDNARE, "0180", 1, &sr)),
        ERR_DENIED);
    assert_non_null(strstr(msg, "inte få rollen 'uppgiftssamordnare'"));
    assert_int_equal(said(auth_user_role(s, &cli, T0, "bo", PERM_GRANSKARE, "", 0, &sr)), ERR_OK);
    assert_int_equal(said(auth_user_role(s, &cli, T0, "anna", PERM_HANDLAGGARE, "", 0, &sr)),
                     ERR_NOTFOUND);
    assert_int_equal(said(auth_user_role(s, &cli, T0, "nobody", PERM_ADMIN, "", 1, &sr)),
                     ERR_NOTFOUND);

    struct store_account a;
    assert_int_equal(store_account_get(s, "anna", &a), ERR_OK);
    assert_int_equal(roles_of("anna", ""), 0);
    assert_int_equal(roles_of("anna", "0180"), PERM_OMBUD);
    assert_int_equal(roles_of("anna", "0114"), PERM_REPRESENTANT);
    char orgs[4][STORE_ORG_LEN];
    size_t n;
    struct svc_actor anna = person("anna", "0180");
    assert_int_equal(auth_contexts(s, &anna, T0, orgs, 4, &n, &sr), ERR_OK);
    assert_int_equal(n, 2);
    assert_true(strncmp(a.pwhash, "$argon2id$", 10) == 0);
}

static void test_login_throttle_and_sessions(void **state)
{
    (void)state;
    enum auth_result res;
    struct auth_session_new ns;
    struct auth_session se;
    assert_int_equal(said(auth_user_add(s, &cli, T0, "carl", "Carl", "carls-losenord", &sr)),
                     ERR_OK);
    assert_int_equal(said(auth_user_role(s, &cli, T0, "carl", PERM_HANDLAGGARE, "", 1, &sr)),
                     ERR_OK);
    assert_int_equal(log_in("carl", "carls-losenord", "10.0.0.1", T0, &res, &ns), ERR_OK);
    assert_int_equal(res, AUTH_OK);
    assert_int_equal(ns.org_chosen, 1); /* one context: chosen at once */
    assert_int_equal(auth_session_get(s, ns.token, T0 + 60, 1800, &se), ERR_OK);
    assert_int_equal(se.roles, PERM_HANDLAGGARE);
    assert_string_equal(se.row.csrf, ns.csrf);
    /* idle expiry, measured from the last use */
    assert_int_equal(auth_session_get(s, ns.token, T0 + 1800, 1800, &se), ERR_OK);
    assert_int_equal(auth_session_get(s, ns.token, T0 + 3601, 1800, &se), ERR_NOTFOUND);
    assert_int_equal(auth_session_get(s, "nonsense", T0, 1800, &se), ERR_NOTFOUND);

    /* throttling per account and address: the failures from 10.0.0.2 lock
     * out 10.0.0.2, not the account */
    for (int i = 0; i < AUTH_PAIR_MAX_FAILURES - 1; i++) {
        assert_int_equal(log_in("carl", "fel", "10.0.0.2", T0 + i, &res, &ns), ERR_OK);
        assert_int_equal(res, AUTH_BAD);
    }
    assert_int_equal(log_in("carl", "fel", "10.0.0.2", T0 + 10, &res, &ns), ERR_OK);
    assert_int_equal(res, AUTH_THROTTLED);
    assert_int_equal(log_in("carl", "carls-losenord", "10.0.0.2", T0 + 20, &res, &ns), ERR_OK);
    assert_int_equal(res, AUTH_THROTTLED); /* refused without looking at the password */
    assert_int_equal(log_in("carl", "carls-losenord", "10.0.0.3", T0 + 20, &res, &ns), ERR_OK);
    assert_int_equal(res, AUTH_OK); /* the owner, from elsewhere */
    /* growing delays: after the first lock, each failure locks twice as long */
    int64_t t = T0 + 10 + AUTH_LOCK_FIRST_SECONDS + 1;
    assert_int_equal(log_in("carl", "fel", "10.0.0.2", t, &res, &ns), ERR_OK);
    assert_int_equal(res, AUTH_THROTTLED);
    assert_int_equal(log_in("carl", "carls-losenord", "10.0.0.2",
                            t + 2 * AUTH_LOCK_FIRST_SECONDS - 1, &res, &ns),
                     ERR_OK);
    assert_int_equal(res, AUTH_THROTTLED);
    assert_int_equal(log_in("carl", "carls-losenord", "10.0.0.2",
                            t + 2 * AUTH_LOCK_FIRST_SECONDS + 1, &res, &ns),
                     ERR_OK);
    assert_int_equal(res, AUTH_OK); /* and success forgets the failures */
    assert_int_equal(
        log_in("carl", "fel", "10.0.0.2", t + 2 * AUTH_LOCK_FIRST_SECONDS + 2, &res, &ns), ERR_OK);
    assert_int_equal(res, AUTH_BAD);
    assert_int_equal(log_in("carl", "carls-losenord", "10.0.0.3",
                            T0 + 10 + AUTH_LOCK_MAX_SECONDS + 1, &res, &ns),
                     ERR_OK);
    assert_int_equal(res, AUTH_OK);
    /* logout ends the session */
    assert_int_equal(auth_session_get(s, ns.token, T0 + 2000, 1800, &se), ERR_OK);
    struct svc_actor carl = person("carl", "");
    assert_int_equal(auth_logout(s, &carl, T0 + 2001, &se, &sr), ERR_OK);
    assert_int_equal(auth_session_get(s, ns.token, T0 + 2002, 1800, &se), ERR_NOTFOUND);

    /* a new password ends the sessions; so does disabling */
    assert_int_equal(log_in("carl", "carls-losenord", "10.0.0.4", T0 + 2100, &res, &ns), ERR_OK);
    assert_int_equal(res, AUTH_OK);
    assert_int_equal(said(auth_user_passwd(s, &cli, T0 + 2101, "carl", "nytt-losenord", &sr)),
                     ERR_OK);
    assert_int_equal(auth_session_get(s, ns.token, T0 + 2102, 1800, &se), ERR_NOTFOUND);
    assert_int_equal(log_in("carl", "nytt-losenord", "10.0.0.4", T0 + 2103, &res, &ns), ERR_OK);
    assert_int_equal(res, AUTH_OK);
    assert_int_equal(said(auth_user_disable(s, &cli, T0 + 2104, "carl", 1, &sr)), ERR_OK);
    assert_int_equal(auth_session_get(s, ns.token, T0 + 2105, 1800, &se), ERR_NOTFOUND);
    assert_int_equal(log_in("carl", "nytt-losenord", "10.0.0.4", T0 + 2106, &res, &ns), ERR_OK);
    assert_int_equal(res, AUTH_DISABLED);
    assert_int_equal(said(auth_user_disable(s, &cli, T0 + 2107, "carl", 0, &sr)), ERR_OK);
    assert_int_equal(said(auth_user_disable(s, &cli, T0, "nobody", 1, &sr)), ERR_NOTFOUND);
    assert_int_equal(said(auth_user_passwd(s, &cli, T0 + 2108, "carl", "carls-losenord", &sr)),
                     ERR_OK);

    /* throttling per address, across accounts */
    int throttled = 0;
    for (int i = 0; i < AUTH_ADDR_MAX_FAILURES; i++) {
        char login[32];
        snprintf(login, sizeof(login), "guess%d", i);
        assert_int_equal(log_in(login, "fel", "10.9.9.9", T0 + 3000 + i, &res, &ns), ERR_OK);
        throttled += res == AUTH_THROTTLED;
    }
    assert_int_equal(throttled, 1);
    int64_t until = T0 + 3000 + AUTH_ADDR_MAX_FAILURES - 1 + AUTH_LOCK_FIRST_SECONDS;
    assert_int_equal(log_in("carl", "carls-losenord", "10.9.9.9", until - 1, &res, &ns), ERR_OK);
    assert_int_equal(res, AUTH_THROTTLED);
    assert_int_equal(log_in("carl", "carls-losenord", "10.9.9.9", until + 1, &res, &ns), ERR_OK);
    assert_int_equal(res, AUTH_OK);
}

/* Nobody can lock an account: 48 failures from 8 addresses, then its
 * owner logs in from another. The lock grows to the maximum and no
 * further; an IPv6 network counts as one address. */
static void test_stranger_cannot_lock_an_account(void **state)
{
    (void)state;
    char addr[64];
    enum auth_result res;
    struct auth_session_new ns;
    int throttled = 0;
    assert_int_equal(said(auth_user_add(s, &cli, T0, "dora", "Dora", "doras-losenord", &sr)),
                     ERR_OK);
    for (int i = 0; i < 48; i++) {
        snprintf(addr, sizeof(addr), "198.51.100.%d", i % 8);
        assert_int_equal(log_in("dora", "gissning", addr, T0 + i, &res, &ns), ERR_OK);
        throttled += res == AUTH_THROTTLED;
    }
    assert_true(throttled > 0);
    assert_int_equal(log_in("dora", "doras-losenord", "203.0.113.9", T0 + 49, &res, &ns), ERR_OK);
    assert_int_equal(res, AUTH_OK);
    /* each failure right after a lock ends locks twice as long, up to
     * AUTH_LOCK_MAX_SECONDS however long the guessing goes on */
    int64_t t = T0 + 1000, lock = AUTH_LOCK_FIRST_SECONDS;
    for (int i = 0; i < AUTH_PAIR_MAX_FAILURES; i++)
        assert_int_equal(log_in("dora", "gissning", "192.0.2.1", t + i, &res, &ns), ERR_OK);
    assert_int_equal(res, AUTH_THROTTLED);
    t += AUTH_PAIR_MAX_FAILURES - 1;
    for (int k = 0; k < 6; k++) {
        assert_int_equal(log_in("dora", "doras-losenord", "192.0.2.1", t + lock - 1, &res, &ns),
                         ERR_OK);
        assert_int_equal(res, AUTH_THROTTLED);
        t += lock + 1;
        assert_int_equal(log_in("dora", "gissning", "192.0.2.1", t, &res, &ns), ERR_OK);
        assert_int_equal(res, AUTH_THROTTLED);
        lock = 2 * lock < AUTH_LOCK_MAX_SECONDS ? 2 * lock : AUTH_LOCK_MAX_SECONDS;
    }
    assert_int_equal(lock, AUTH_LOCK_MAX_SECONDS);
    assert_int_equal(log_in("dora", "doras-losenord", "192.0.2.1", t + lock - 1, &res, &ns),
                     ERR_OK);
    assert_int_equal(res, AUTH_THROTTLED);
    t += lock + 1;
    assert_int_equal(log_in("dora", "doras-losenord", "192.0.2.1", t, &res, &ns), ERR_OK);
    assert_int_equal(res, AUTH_OK);
    /* 2001:db8:1:2::/64 is one address: its hosts share the count */
    for (int i = 0; i < AUTH_PAIR_MAX_FAILURES; i++) {
        snprintf(addr, sizeof(addr), "2001:db8:1:2::%x", i + 1);
        assert_int_equal(log_in("dora", "gissning", addr, t + 10 + i, &res, &ns), ERR_OK);
    }
    assert_int_equal(res, AUTH_THROTTLED);
    assert_int_equal(log_in("dora", "doras-losenord", "2001:db8:1:2::99", t + 20, &res, &ns),
                     ERR_OK);
    assert_int_equal(res, AUTH_THROTTLED);
    assert_int_equal(log_in("dora", "doras-losenord", "2001:db8:1:3::1", t + 20, &res, &ns),
                     ERR_OK);
    assert_int_equal(res, AUTH_OK);
}

static void test_tokens(void **state)
{
    (void)state;
    char tok[AUTH_TOKEN_LEN];
    struct auth_session se;
    assert_int_equal(said(auth_token_create(s, &cli, T0, "anna", "ci", "0180", tok, &sr)), ERR_OK);
    assert_int_equal(strlen(tok), AUTH_TOKEN_LEN - 1);
    assert_int_equal(auth_token_check(s, tok, &se), ERR_OK);
    assert_int_equal(se.roles, PERM_OMBUD);
    assert_string_equal(se.row.org, "0180");
    /* only the hash is stored */
    struct store_token *t = NULL;
    size_t n = 0;
    assert_int_equal(store_token_list(s, -1, &t, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_null(strstr(t[0].hash, tok + 4));
    long long id = t[0].id;
    free(t);
    assert_int_equal(said(auth_token_create(s, &cli, T0, "bo", "x", "", tok, &sr)),
                     ERR_DENIED); /* bo holds no role */
    /* bo, with a role again, may revoke his own tokens only */
    assert_int_equal(said(auth_user_role(s, &cli, T0, "bo", PERM_GRANSKARE, "", 1, &sr)), ERR_OK);
    struct svc_actor bo = person("bo", "");
    assert_int_equal(auth_token_revoke_own(s, &bo, T0, id, &sr), ERR_NOTFOUND); /* not bo's */
    assert_int_equal(auth_token_revoke(s, &cli, T0, id, &sr), ERR_OK);
    assert_int_equal(auth_token_revoke(s, &cli, T0, 999, &sr), ERR_NOTFOUND);
    assert_int_equal(said(auth_token_create(s, &cli, T0, "anna", "ci2", "0114", tok, &sr)), ERR_OK);
    assert_int_equal(auth_token_check(s, tok, &se), ERR_OK);
    /* a new password ends every token of the account */
    assert_int_equal(said(auth_user_passwd(s, &cli, T0, "anna", "ett-annat-losenord", &sr)),
                     ERR_OK);
    assert_int_equal(auth_token_check(s, tok, &se), ERR_NOTFOUND);
    assert_int_equal(store_token_list(s, -1, &t, &n), ERR_OK);
    for (size_t i = 0; i < n; i++)
        assert_true(t[i].revoked);
    free(t);
    tok[10] = tok[10] == 'a' ? 'b' : 'a';
    assert_int_equal(auth_token_check(s, tok, &se), ERR_NOTFOUND);
}

static void test_audit_chain(void **state)
{
    (void)state;
    struct audit_report r;
    if (audit_verify(s, &r) != ERR_OK)
        fail_msg("audit verify: %s", r.msg);
    assert_true(r.rows > 10);
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(
        audit_append(s, "anna", "0180", "case.submit", "case:1", "{\"a\":1}", "{\"a\":2}", T0),
        ERR_OK);
    assert_int_equal(store_commit(s), ERR_OK);
    struct store_audit last;
    assert_int_equal(store_audit_last(s, &last), ERR_OK);
    char h[STORE_HASH_HEX];
    audit_record_hash(&last, h);
    assert_string_equal(h, last.hash);
    audit_digest("{\"a\":2}", h);
    assert_string_equal(h, last.after);
    assert_string_equal(last.at, "2026-01-22T10:00:00Z");
    /* a rolled-back change leaves no record */
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(audit_append(s, "anna", "", "x", "y", NULL, NULL, T0), ERR_OK);
    store_rollback(s);
    struct store_audit again;
    assert_int_equal(store_audit_last(s, &again), ERR_OK);
    assert_int_equal(again.seq, last.seq);
    assert_int_equal(audit_verify(s, &r), ERR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_users_and_roles),
        cmocka_unit_test(test_login_throttle_and_sessions),
        cmocka_unit_test(test_stranger_cannot_lock_an_account),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_audit_chain),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
