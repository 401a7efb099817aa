/* test_contract.c - the store contract: every store operation, through
 * the public headers only (store.h, store_auth.h, store_req.h,
 * store_redist.h, store_case.h), as every backend must keep it. The
 * database is BIDRAG_TEST_DB_URL (an empty database; the PostgreSQL issue
 * runs this suite against PostgreSQL), by default a fresh temporary
 * SQLite file. The tests share that one database and use names of their
 * own, so their order does not matter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <pthread.h>
#include <time.h>

#include "store/store.h"
#include "store/store_auth.h"
#include "store/store_case.h"
#include "store/store_entity.h"
#include "store/store_redist.h"
#include "store/store_standin.h"
#include "store/store_req.h"
#include "util/sha256.h"
#include "util/str.h"

#define SET(dst, v) str_copy(dst, sizeof(dst), v)

static char url[512], dir[256];
static struct store *s;

static int setup(void **state)
{
    (void)state;
    const char *env = getenv("BIDRAG_TEST_DB_URL");
    if (env && env[0]) {
        SET(url, env);
    } else {
        snprintf(dir, sizeof(dir), "/tmp/bidrag-test-contract-%d", (int)getpid());
        snprintf(url, sizeof(url), "sqlite:%s/contract.db", dir);
    }
    if (store_open(url, STORE_OPEN_CREATE, &s) != ERR_OK) {
        fprintf(stderr, "cannot open '%s': %s\n", url, store_open_error());
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    store_close(s);
    if (!dir[0])
        return 0;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A second connection to the same database; NULL where there cannot be
 * one (an in-memory database). */
static struct store *second(void)
{
    struct store *t = NULL;
    if (strstr(url, ":memory:"))
        return NULL;
    assert_int_equal(store_open(url, STORE_OPEN_EXISTING, &t), ERR_OK);
    return t;
}

static void test_schema(void **state)
{
    (void)state;
    int applied = 0, available = 0;
    assert_int_equal(store_schema_version(s, &applied, &available), ERR_OK);
    assert_true(applied >= 20);
    assert_int_equal(applied, available);
    struct store_migration *m = NULL;
    size_t n = 0;
    assert_int_equal(store_migration_list(s, &m, &n), ERR_OK);
    assert_true(n >= 4);
    for (size_t i = 0; i < n; i++) {
        assert_true(m[i].applied);
        assert_true(i == 0 || m[i].number > m[i - 1].number);
    }
    assert_string_equal(m[0].name, "0001_reference");
    free(m);
    assert_true(strlen(store_name(s)) > 0);
    /* opening again applies nothing and keeps the data */
    struct store *t = second();
    if (t) {
        assert_int_equal(store_schema_version(t, &applied, NULL), ERR_OK);
        assert_int_equal(applied, available);
        store_close(t);
    }
}

static void org_of(struct org *o, const char *kommun, const char *region, const char *name)
{
    memset(o, 0, sizeof(*o));
    SET(o->kommun_code, kommun);
    SET(o->region_code, region);
    SET(o->name, name);
    if (region[0])
        snprintf(o->region_name, sizeof(o->region_name), "Region %s", name);
    SET(o->lan_code, region[0] ? region : "99");
    SET(o->lan_name, "Provlän");
}

static int has_org(const char *kommun, const char *region, struct org *out)
{
    struct org_list l;
    int found = 0;
    assert_int_equal(store_org_list(s, &l), ERR_OK);
    for (size_t i = 0; i < l.n; i++) {
        if (strcmp(l.v[i].kommun_code, kommun) == 0 && strcmp(l.v[i].region_code, region) == 0) {
            found = 1;
            if (out)
                *out = l.v[i];
        }
    }
    org_list_release(&l);
    return found;
}

static void test_orgs(void **state)
{
    (void)state;
    struct org o, got;
    long long before = 0, after = 0;
    assert_int_equal(store_org_count(s, &before), ERR_OK);
    org_of(&o, "9901", "", "Provköping");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    assert_int_equal(store_org_put(s, &o), ERR_CONFLICT); /* the same kommun code */
    assert_true(strlen(store_errmsg(s)) > 0);
    org_of(&o, "9902", "98", "Provö"); /* a kommun that is also a region */
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    org_of(&o, "", "97", "Provregionen");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    assert_int_equal(store_org_count(s, &after), ERR_OK);
    assert_int_equal(after, before + 3);
    assert_true(has_org("9902", "98", &got));
    assert_true(got.id > 0);
    assert_string_equal(got.name, "Provö");
    assert_string_equal(got.region_name, "Region Provö");
    assert_string_equal(got.lan_name, "Provlän");
    assert_true(has_org("", "97", &got));
    assert_string_equal(got.kommun_code, "");
    /* kommuner first by code, then regions */
    struct org_list l;
    assert_int_equal(store_org_list(s, &l), ERR_OK);
    for (size_t i = 1; i < l.n; i++) {
        const struct org *a = &l.v[i - 1], *b = &l.v[i];
        if (a->kommun_code[0] && b->kommun_code[0])
            assert_true(strcmp(a->kommun_code, b->kommun_code) < 0);
        assert_false(!a->kommun_code[0] && b->kommun_code[0]);
    }
    org_list_release(&l);
}

static void test_series(void **state)
{
    (void)state;
    struct series se, got;
    series_init(&se, SERIES_POPULATION);
    SET(se.name, "contract-pop");
    assert_int_equal(date_parse("2025-12-31", &se.date), ERR_OK);
    SET(se.source, "provfil.csv");
    SET(se.sha256, "ab12");
    assert_int_equal(series_push(&se, "9901", 1200), ERR_OK);
    assert_int_equal(series_push(&se, "9902", 9000000000LL), ERR_OK); /* 64 bits */
    assert_int_equal(store_series_put(s, &se, "2026-01-01T00:00:00Z"), ERR_OK);
    /* put replaces */
    assert_int_equal(series_push(&se, "0001", 5), ERR_OK);
    SET(se.sha256, "cd34");
    assert_int_equal(store_series_put(s, &se, "2026-01-02T00:00:00Z"), ERR_OK);
    series_release(&se);
    assert_int_equal(store_series_get(s, SERIES_POPULATION, "contract-pop", "2025-12-31", &got),
                     ERR_OK);
    assert_int_equal(got.n, 3);
    assert_string_equal(got.sha256, "cd34");
    assert_string_equal(got.source, "provfil.csv");
    assert_string_equal(got.v[0].code, "0001"); /* by code */
    int64_t v = 0;
    assert_true(series_get(&got, "9902", &v));
    assert_int_equal(v, 9000000000LL);
    series_release(&got);
    assert_int_equal(store_series_get(s, SERIES_POPULATION, "contract-pop", "2024-12-31", &got),
                     ERR_NOTFOUND);
    assert_non_null(strstr(store_errmsg(s), "contract-pop"));
    assert_int_equal(store_series_get(s, SERIES_METRIC, "contract-pop", NULL, &got), ERR_NOTFOUND);

    /* a metric without a date, illustrative */
    series_init(&se, SERIES_METRIC);
    SET(se.name, "contract-metric");
    se.illustrative = 1;
    SET(se.source, "demo");
    SET(se.sha256, "ef");
    assert_int_equal(series_push(&se, "9901", 7), ERR_OK);
    assert_int_equal(store_series_put(s, &se, "2026-01-03T00:00:00Z"), ERR_OK);
    series_release(&se);
    assert_int_equal(store_series_get(s, SERIES_METRIC, "contract-metric", NULL, &got), ERR_OK);
    assert_int_equal(got.illustrative, 1);
    assert_false(date_is_set(got.date));
    series_release(&got);

    struct store_series_info *info = NULL;
    size_t n = 0, seen = 0;
    assert_int_equal(store_series_list(s, &info, &n), ERR_OK);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(info[i].name, "contract-pop") == 0) {
            seen++;
            assert_int_equal(info[i].kind, SERIES_POPULATION);
            assert_string_equal(info[i].date, "2025-12-31");
            assert_int_equal(info[i].count, 3);
            assert_string_equal(info[i].imported_at, "2026-01-02T00:00:00Z");
        } else if (strcmp(info[i].name, "contract-metric") == 0) {
            seen++;
            assert_int_equal(info[i].kind, SERIES_METRIC);
            assert_int_equal(info[i].illustrative, 1);
            assert_int_equal(info[i].count, 1);
        }
    }
    assert_int_equal(seen, 2);
    free(info);
}

static void test_programs(void **state)
{
    (void)state;
    static const char bin[] = {'a', '\0', 'b', '\n', (char)0xff};
    struct store_program p, q;
    memset(&p, 0, sizeof(p));
    SET(p.id, "contract-prog");
    SET(p.title, "Provbidraget");
    SET(p.diarienummer, "S2026/1");
    p.total_ore = 123456789012LL;
    SET(p.source_name, "prov.ini");
    p.source = (char *)"[program]\nid = contract-prog\n";
    SET(p.loaded_at, "2026-01-01T00:00:00Z");
    struct store_program_file f[2] = {{"b.bin", (char *)bin, sizeof(bin)},
                                      {"a.csv", (char *)"code,amount\n", 12}};
    p.files = f;
    p.nfiles = 2;
    assert_int_equal(store_program_put(s, &p), ERR_OK);
    assert_int_equal(store_program_get(s, "contract-prog", &q), ERR_OK);
    assert_string_equal(q.title, "Provbidraget");
    assert_int_equal(q.total_ore, 123456789012LL);
    assert_string_equal(q.source, p.source);
    assert_int_equal(q.nfiles, 2);
    assert_string_equal(q.files[0].name, "a.csv"); /* by name */
    assert_int_equal(q.files[1].len, sizeof(bin));
    assert_memory_equal(q.files[1].content, bin, sizeof(bin));
    assert_int_equal(q.files[1].content[sizeof(bin)], '\0');
    store_program_release(&q);
    /* put replaces, files too */
    p.nfiles = 1;
    SET(p.title, "Provbidraget 2");
    assert_int_equal(store_program_put(s, &p), ERR_OK);
    assert_int_equal(store_program_get(s, "contract-prog", &q), ERR_OK);
    assert_string_equal(q.title, "Provbidraget 2");
    assert_int_equal(q.nfiles, 1);
    store_program_release(&q);
    assert_int_equal(store_program_get(s, "contract-none", &q), ERR_NOTFOUND);
    assert_non_null(strstr(store_errmsg(s), "contract-none"));
    struct store_program *list = NULL;
    size_t n = 0, seen = 0;
    assert_int_equal(store_program_list(s, &list, &n), ERR_OK);
    for (size_t i = 0; i < n; i++) {
        assert_null(list[i].source);
        assert_int_equal(list[i].nfiles, 0);
        if (strcmp(list[i].id, "contract-prog") == 0)
            seen++;
        assert_true(i == 0 || strcmp(list[i - 1].id, list[i].id) < 0);
        store_program_release(&list[i]);
    }
    free(list);
    assert_int_equal(seen, 1);
}

static long long account(const char *login)
{
    struct store_account a;
    long long id = 0;
    memset(&a, 0, sizeof(a));
    SET(a.login, login);
    SET(a.name, "Anna Provare");
    SET(a.created_at, "2026-01-01T00:00:00Z");
    assert_int_equal(store_account_add(s, &a, &id), ERR_OK);
    assert_true(id > 0);
    return id;
}

static void test_accounts_and_grants(void **state)
{
    (void)state;
    struct store_account a, got;
    memset(&a, 0, sizeof(a));
    SET(a.login, "c-anna");
    SET(a.name, "Anna Åström");
    SET(a.pwhash, "$argon2id$v=19$x");
    SET(a.created_at, "2026-01-01T00:00:00Z");
    long long id = 0;
    assert_int_equal(store_account_add(s, &a, &id), ERR_OK);
    assert_int_equal(store_account_add(s, &a, NULL), ERR_CONFLICT);
    assert_int_equal(store_account_get(s, "c-anna", &got), ERR_OK);
    assert_int_equal(got.id, id);
    assert_string_equal(got.name, "Anna Åström");
    assert_string_equal(got.pwhash, "$argon2id$v=19$x");
    assert_int_equal(got.disabled, 0);
    assert_int_equal(store_account_get_id(s, id, &got), ERR_OK);
    assert_string_equal(got.login, "c-anna");
    assert_int_equal(store_account_get(s, "c-nobody", &got), ERR_NOTFOUND);
    assert_int_equal(store_account_get_id(s, -5, &got), ERR_NOTFOUND);
    assert_int_equal(store_account_set_pwhash(s, id, ""), ERR_OK); /* none */
    assert_int_equal(store_account_get(s, "c-anna", &got), ERR_OK);
    assert_string_equal(got.pwhash, "");
    assert_int_equal(store_account_set_pwhash(s, -5, "x"), ERR_NOTFOUND);
    assert_int_equal(store_account_set_disabled(s, id, 1), ERR_OK);
    assert_int_equal(store_account_get(s, "c-anna", &got), ERR_OK);
    assert_int_equal(got.disabled, 1);
    assert_int_equal(store_account_set_disabled(s, -5, 1), ERR_NOTFOUND);
    long long bo = account("c-bo");
    struct store_account *list = NULL;
    size_t n = 0;
    assert_int_equal(store_account_list(s, &list, &n), ERR_OK);
    int ia = -1, ib = -1;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i].login, "c-anna") == 0)
            ia = (int)i;
        if (strcmp(list[i].login, "c-bo") == 0)
            ib = (int)i;
    }
    assert_true(ia >= 0 && ib == ia + 1); /* by login */
    free(list);

    /* roles: agency roles without an organisation, recipient roles with */
    assert_int_equal(store_grant_add(s, id, "handlaggare", "", "2026-01-01T00:00:00Z"), ERR_OK);
    assert_int_equal(store_grant_add(s, id, "handlaggare", NULL, "2026-01-01T00:00:00Z"),
                     ERR_CONFLICT);
    assert_int_equal(store_grant_add(s, id, "ombud", "9901", "2026-01-01T00:00:00Z"), ERR_OK);
    assert_int_equal(store_grant_add(s, id, "representant", "9902", "2026-01-01T00:00:00Z"),
                     ERR_OK);
    /* one ombud per organisation */
    assert_int_equal(store_grant_add(s, bo, "ombud", "9901", "2026-01-01T00:00:00Z"), ERR_CONFLICT);
    assert_int_equal(store_grant_add(s, bo, "uppgiftssamordnare", "9901", "2026-01-01T00:00:00Z"),
                     ERR_OK);
    struct store_grant *g = NULL;
    assert_int_equal(store_grant_list(s, id, &g, &n), ERR_OK);
    assert_int_equal(n, 3);
    assert_string_equal(g[0].org, ""); /* by org, then role */
    assert_string_equal(g[0].role, "handlaggare");
    assert_string_equal(g[1].org, "9901");
    assert_string_equal(g[2].role, "representant");
    free(g);
    struct store_member *m = NULL;
    assert_int_equal(store_grant_list_org(s, "9901", &m, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(m[0].role, "ombud"); /* by role, then login */
    assert_string_equal(m[0].login, "c-anna");
    assert_string_equal(m[1].name, "Anna Provare");
    free(m);
    assert_int_equal(store_grant_remove(s, id, "representant", "9902"), ERR_OK);
    assert_int_equal(store_grant_remove(s, id, "representant", "9902"), ERR_NOTFOUND);
    assert_int_equal(store_grant_list(s, account("c-cecilia"), &g, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(g);
}

static void test_sessions(void **state)
{
    (void)state;
    long long id = account("c-sess");
    struct store_session se, got;
    memset(&se, 0, sizeof(se));
    SET(se.id_hash, "c-sess-1");
    se.account_id = id;
    SET(se.csrf, "csrf1");
    se.created = 1000;
    se.last_seen = 1000;
    assert_int_equal(store_session_put(s, &se), ERR_OK);
    assert_int_equal(store_session_put(s, &se), ERR_CONFLICT);
    SET(se.id_hash, "c-sess-2");
    se.last_seen = 5000;
    assert_int_equal(store_session_put(s, &se), ERR_OK);
    assert_int_equal(store_session_get(s, "c-sess-1", &got), ERR_OK);
    assert_int_equal(got.account_id, id);
    assert_string_equal(got.org, "");
    assert_int_equal(got.org_chosen, 0);
    assert_string_equal(got.csrf, "csrf1");
    assert_int_equal(store_session_touch(s, "c-sess-1", 2000), ERR_OK);
    assert_int_equal(store_session_set_org(s, "c-sess-1", "9901"), ERR_OK);
    assert_int_equal(store_session_get(s, "c-sess-1", &got), ERR_OK);
    assert_int_equal(got.last_seen, 2000);
    assert_int_equal(got.created, 1000);
    assert_string_equal(got.org, "9901");
    assert_int_equal(got.org_chosen, 1);
    assert_int_equal(store_session_purge(s, 3000), ERR_OK); /* the first only */
    assert_int_equal(store_session_get(s, "c-sess-1", &got), ERR_NOTFOUND);
    assert_int_equal(store_session_get(s, "c-sess-2", &got), ERR_OK);
    SET(se.id_hash, "c-sess-3");
    assert_int_equal(store_session_put(s, &se), ERR_OK);
    assert_int_equal(store_session_delete(s, "c-sess-3"), ERR_OK);
    assert_int_equal(store_session_get(s, "c-sess-3", &got), ERR_NOTFOUND);
    assert_int_equal(store_session_delete_account(s, id), ERR_OK);
    assert_int_equal(store_session_get(s, "c-sess-2", &got), ERR_NOTFOUND);
}

static void test_tokens(void **state)
{
    (void)state;
    long long id = account("c-tok"), other = account("c-tok2");
    struct store_token t, got;
    memset(&t, 0, sizeof(t));
    t.account_id = id;
    SET(t.name, "rapportskript");
    SET(t.hash, "c-tok-hash-1");
    SET(t.org, "9901");
    SET(t.created_at, "2026-01-01T00:00:00Z");
    long long t1 = 0, t2 = 0;
    assert_int_equal(store_token_add(s, &t, &t1), ERR_OK);
    assert_int_equal(store_token_add(s, &t, NULL), ERR_CONFLICT); /* the same hash */
    SET(t.hash, "c-tok-hash-2");
    t.account_id = other;
    assert_int_equal(store_token_add(s, &t, &t2), ERR_OK);
    assert_true(t2 > t1);
    assert_int_equal(store_token_find(s, "c-tok-hash-1", &got), ERR_OK);
    assert_int_equal(got.id, t1);
    assert_int_equal(got.account_id, id);
    assert_string_equal(got.org, "9901");
    assert_int_equal(got.revoked, 0);
    assert_int_equal(store_token_find(s, "c-tok-none", &got), ERR_NOTFOUND);
    struct store_token *list = NULL;
    size_t n = 0;
    assert_int_equal(store_token_list(s, id, &list, &n), ERR_OK);
    assert_int_equal(n, 1);
    free(list);
    assert_int_equal(store_token_list(s, -1, &list, &n), ERR_OK); /* all, by id */
    assert_true(n >= 2);
    for (size_t i = 1; i < n; i++)
        assert_true(list[i - 1].id < list[i].id);
    free(list);
    assert_int_equal(store_token_revoke(s, t1), ERR_OK);
    assert_int_equal(store_token_find(s, "c-tok-hash-1", &got), ERR_OK);
    assert_int_equal(got.revoked, 1);
    assert_int_equal(store_token_revoke(s, -7), ERR_NOTFOUND);
}

/* The auth generation (migration 0045): every change that can end or
 * narrow someone's access bumps it, touching a session or adding a
 * session or token does not. */
static int64_t auth_gen(void)
{
    int64_t g = 0;
    assert_int_equal(store_auth_gen(s, &g), ERR_OK);
    return g;
}

static void test_auth_gen(void **state)
{
    (void)state;
    int64_t g = 0;
    if (store_auth_gen(s, &g) == ERR_NOTFOUND) {
        assert_int_equal(store_begin(s), ERR_OK);
        assert_int_equal(store_auth_gen_init(s), ERR_OK);
        assert_int_equal(store_auth_gen_init(s), ERR_OK); /* once is enough */
        assert_int_equal(store_commit(s), ERR_OK);
    }
    g = auth_gen();
    assert_true(g >= 1);
#define BUMPS(call)                                                                                \
    do {                                                                                           \
        int64_t before_ = auth_gen();                                                              \
        assert_int_equal(call, ERR_OK);                                                            \
        assert_true(auth_gen() > before_);                                                         \
    } while (0)
#define KEEPS(call)                                                                                \
    do {                                                                                           \
        int64_t before_ = auth_gen();                                                              \
        assert_int_equal(call, ERR_OK);                                                            \
        assert_int_equal(auth_gen(), before_);                                                     \
    } while (0)
    int64_t before = auth_gen();
    long long id = account("c-gen");
    assert_true(auth_gen() > before);
    BUMPS(store_account_set_pwhash(s, id, "x"));
    BUMPS(store_account_set_disabled(s, id, 1));
    BUMPS(store_account_set_disabled(s, id, 0));
    BUMPS(store_grant_add(s, id, "handlaggare", "", "2026-01-01T00:00:00Z"));
    BUMPS(store_grant_remove(s, id, "handlaggare", ""));
    struct store_session se;
    memset(&se, 0, sizeof(se));
    SET(se.id_hash, "c-gen-1");
    se.account_id = id;
    SET(se.csrf, "c");
    se.created = se.last_seen = 1000;
    KEEPS(store_session_put(s, &se));
    KEEPS(store_session_touch(s, "c-gen-1", 2000));
    BUMPS(store_session_set_org(s, "c-gen-1", "9901"));
    BUMPS(store_session_delete(s, "c-gen-1"));
    struct store_token tk;
    memset(&tk, 0, sizeof(tk));
    tk.account_id = id;
    SET(tk.name, "n");
    SET(tk.hash, "c-gen-tok");
    SET(tk.created_at, "2026-01-01T00:00:00Z");
    long long tid = 0;
    KEEPS(store_token_add(s, &tk, &tid));
    BUMPS(store_token_revoke(s, tid));
#undef BUMPS
#undef KEEPS
}

/* The data generation (migration 0061): a change to what a page shows
 * bumps it (an account, a role, an organisation, a token), touching or
 * adding a session and counting failed logins do not; nothing bumps it
 * without a commit. */
static int64_t data_gen(void)
{
    int64_t g = 0;
    assert_int_equal(store_data_gen(s, &g), ERR_OK);
    return g;
}

static void test_data_gen(void **state)
{
    (void)state;
    int64_t g = 0;
    if (store_data_gen(s, &g) == ERR_NOTFOUND) {
        assert_int_equal(store_begin(s), ERR_OK);
        assert_int_equal(store_data_gen_init(s), ERR_OK);
        assert_int_equal(store_data_gen_init(s), ERR_OK); /* once is enough */
        assert_int_equal(store_commit(s), ERR_OK);
    }
    assert_true(data_gen() >= 1);
#define BUMPS(call)                                                                                \
    do {                                                                                           \
        int64_t before_ = data_gen();                                                              \
        assert_int_equal(call, ERR_OK);                                                            \
        assert_true(data_gen() > before_);                                                         \
    } while (0)
#define KEEPS(call)                                                                                \
    do {                                                                                           \
        int64_t before_ = data_gen();                                                              \
        assert_int_equal(call, ERR_OK);                                                            \
        assert_int_equal(data_gen(), before_);                                                     \
    } while (0)
    int64_t before = data_gen();
    long long id = account("c-dgen");
    assert_true(data_gen() > before);
    BUMPS(store_account_set_disabled(s, id, 1));
    BUMPS(store_grant_add(s, id, "handlaggare", "", "2026-01-01T00:00:00Z"));
    struct org o;
    org_of(&o, "9907", "", "Generationsby");
    BUMPS(store_org_put(s, &o));
    struct store_session se;
    memset(&se, 0, sizeof(se));
    SET(se.id_hash, "c-dgen-1");
    se.account_id = id;
    SET(se.csrf, "c");
    se.created = se.last_seen = 1000;
    KEEPS(store_session_put(s, &se));
    KEEPS(store_session_touch(s, "c-dgen-1", 2000));
    struct store_throttle t = {1, 1000, 0};
    KEEPS(store_throttle_put(s, "account", "c-dgen", &t));
    struct store_token tk;
    memset(&tk, 0, sizeof(tk));
    tk.account_id = id;
    SET(tk.name, "n");
    SET(tk.hash, "c-dgen-tok");
    SET(tk.created_at, "2026-01-01T00:00:00Z");
    long long tid = 0;
    BUMPS(store_token_add(s, &tk, &tid));
    /* undone: the generation is as before */
    before = data_gen();
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_token_revoke(s, tid), ERR_OK);
    store_rollback(s);
    assert_int_equal(data_gen(), before);
    /* both generations in one read, as each alone */
    int64_t ag = 0, dg = 0, ag1 = 0;
    assert_int_equal(store_gens(s, &ag, &dg), ERR_OK);
    assert_int_equal(store_auth_gen(s, &ag1), ERR_OK);
    assert_int_equal(ag, ag1);
    assert_int_equal(dg, data_gen());
    BUMPS(store_grant_remove(s, id, "handlaggare", ""));
    int64_t ag2 = 0, dg2 = 0;
    assert_int_equal(store_gens(s, &ag2, &dg2), ERR_OK);
    assert_true(ag2 > ag && dg2 > dg);
#undef BUMPS
#undef KEEPS
}

static void test_throttle(void **state)
{
    (void)state;
    struct store_throttle t = {3, 1000, 0}, got;
    assert_int_equal(store_throttle_get(s, "account", "c-thr", &got), ERR_OK);
    assert_int_equal(got.failures, 0); /* a missing counter reads as zeros */
    assert_int_equal(got.window_start, 0);
    assert_int_equal(store_throttle_put(s, "account", "c-thr", &t), ERR_OK);
    t.failures = 5;
    t.locked_until = 9000;
    assert_int_equal(store_throttle_put(s, "account", "c-thr", &t), ERR_OK); /* upsert */
    assert_int_equal(store_throttle_get(s, "account", "c-thr", &got), ERR_OK);
    assert_int_equal(got.failures, 5);
    assert_int_equal(got.window_start, 1000);
    assert_int_equal(got.locked_until, 9000);
    struct store_throttle u = {1, 1000, 0};
    assert_int_equal(store_throttle_put(s, "addr", "192.0.2.1", &u), ERR_OK);
    /* purge: old windows that lock nothing now */
    assert_int_equal(store_throttle_purge(s, 2000, 5000), ERR_OK);
    assert_int_equal(store_throttle_get(s, "addr", "192.0.2.1", &got), ERR_OK);
    assert_int_equal(got.failures, 0);
    assert_int_equal(store_throttle_get(s, "account", "c-thr", &got), ERR_OK);
    assert_int_equal(got.failures, 5); /* still locked at 5000 */
    assert_int_equal(store_throttle_clear(s, "account", "c-thr"), ERR_OK);
    assert_int_equal(store_throttle_get(s, "account", "c-thr", &got), ERR_OK);
    assert_int_equal(got.failures, 0);
    assert_int_equal(store_throttle_put(s, "nonsense", "x", &t), ERR_CONFLICT);
}

struct walk {
    int rows;
    long long last;
    int stop_at;
};

static int walk_row(void *ctx, const struct store_audit *a)
{
    struct walk *w = ctx;
    w->rows++;
    w->last = a->seq;
    return w->stop_at && w->rows >= w->stop_at;
}

static void test_audit(void **state)
{
    (void)state;
    struct store_audit a, last;
    long long seq0 = 0, seq = 0;
    char hash[STORE_HASH_HEX];
    assert_int_equal(store_audit_head(s, &seq0, hash), ERR_OK);
    enum err e = store_audit_last(s, &last);
    assert_true(e == ERR_OK || (e == ERR_NOTFOUND && seq0 == 0));
    for (int i = 1; i <= 3; i++) {
        memset(&a, 0, sizeof(a));
        a.seq = seq0 + i;
        SET(a.at, "2026-01-01T00:00:00Z");
        SET(a.actor, "c-anna");
        SET(a.org, "9901");
        SET(a.action, "contract.test");
        SET(a.object, i == 2 ? "contract:two" : "contract:other");
        SET(a.before, "");
        SET(a.after, "aa");
        SET(a.prev, i == 1 ? "genesis" : "h");
        snprintf(a.hash, sizeof(a.hash), "hash-%lld", a.seq);
        assert_int_equal(store_begin(s), ERR_OK);
        assert_int_equal(store_audit_insert(s, &a), ERR_OK);
        assert_int_equal(store_commit(s), ERR_OK);
    }
    /* a sequence number once only */
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_audit_insert(s, &a), ERR_CONFLICT);
    store_rollback(s);
    assert_int_equal(store_audit_last(s, &last), ERR_OK);
    assert_int_equal(last.seq, seq0 + 3);
    assert_string_equal(last.object, "contract:other");
    assert_string_equal(last.org, "9901");
    assert_string_equal(last.after, "aa");
    assert_int_equal(store_audit_head(s, &seq, hash), ERR_OK);
    assert_int_equal(seq, seq0 + 3);
    assert_string_equal(hash, last.hash);
    struct walk w = {0, 0, 0};
    assert_int_equal(store_audit_each(s, "contract:two", 0, walk_row, &w), ERR_OK);
    assert_int_equal(w.rows, 1);
    assert_int_equal(w.last, seq0 + 2);
    memset(&w, 0, sizeof(w));
    assert_int_equal(store_audit_each(s, NULL, 0, walk_row, &w), ERR_OK);
    assert_int_equal(w.rows, seq0 + 3);
    assert_int_equal(w.last, seq0 + 3); /* in order */
    memset(&w, 0, sizeof(w));
    assert_int_equal(store_audit_each(s, NULL, 2, walk_row, &w), ERR_OK);
    assert_int_equal(w.rows, 2);
    memset(&w, 0, sizeof(w));
    w.stop_at = 1;
    assert_int_equal(store_audit_each(s, "contract:other", 0, walk_row, &w), ERR_OK);
    assert_int_equal(w.rows, 1);
}

/* A requisition row and its draft for tests below. */
static void form_of(struct req_form *f, const char *recipient, int64_t amount, int measures)
{
    req_form_init(f);
    SET(f->program, "contract-prog");
    SET(f->recipient, recipient);
    f->amount_ore = amount;
    SET(f->contact_name, "Åsa Öberg");
    SET(f->contact_email, "asa@example.se");
    SET(f->contact_phone, "08-1");
    SET(f->account_kind, "bankgiro");
    SET(f->account, "5050-1055");
    f->opt_in = 1;
    f->confirmed = 1;
    SET(f->plan.name, "plan.pdf");
    SET(f->plan.content_type, "application/pdf");
    f->plan.size = 42;
    SET(f->plan.sha256, "c0ffee");
    for (int i = 0; i < measures; i++) {
        char d[64];
        snprintf(d, sizeof(d), "Insats %d: räksmörgås", i + 1);
        assert_int_equal(req_measure_add(f, "vfu", d, 1000 * (i + 1)), ERR_OK);
    }
}

static int seen_entity(void *ctx, const char *name)
{
    int *sn = ctx; /* user, prog */
    if (strcmp(name, "user:ent-anna") == 0)
        sn[0]++;
    if (strcmp(name, "program:ent-prog") == 0)
        sn[1]++;
    return 0;
}
/* "table=<first 16 bytes of sha256, hex>" of a table's rows in their
 * canonical form, worked out here by hand (store_entity.h, sql_digest). */
static void table_digest(char *out, size_t n, const char *table, const void *rows, size_t len)
{
    struct sha256 h;
    unsigned char d[32];
    char hex[65];
    sha256_init(&h);
    sha256_update(&h, "bidrag-rows-1\n", 14);
    sha256_update(&h, table, strlen(table));
    sha256_update(&h, "\n", 1);
    sha256_update(&h, rows, len);
    sha256_final(&h, d);
    sha256_hex(d, hex);
    snprintf(out, n, "%s=%.32s", table, hex);
}

/* A case's entity ("case:NUMBER"): its rows table by table, the same on
 * every backend; a case's object "KIND:NUMBER" names it when a case of
 * that kind has that number. */
static void test_case_entity(void **state)
{
    (void)state;
    struct store_case c;
    char got[STORE_ROWS_LEN], want[8 * 80], rows[600], t[8][80], of[STORE_ENTITY_LEN];
    long long nrows = 0, nid = 0;
    memset(&c, 0, sizeof(c));
    SET(c.kind, "ent_kind");
    SET(c.number, "ENT-2026-000001");
    SET(c.program, "p");
    SET(c.party, "0180");
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_case_create(s, &c, "2026-03-01T10:00:00Z", "eva"), ERR_OK);
    char text[] = "{}";
    struct store_case_version v = {0, text, "", -1, "2026-03-01T10:01:00Z", "eva"};
    memset(v.digest, 'd', 64);
    assert_int_equal(store_case_version_put(s, c.id, &v), ERR_OK);
    assert_int_equal(
        store_case_note_add(s, c.id, "Nota bene", "2026-03-01T10:02:00Z", "olle", &nid), ERR_OK);
    assert_int_equal(store_commit(s), ERR_OK);
    assert_int_equal(store_entity_digest(s, "case:ENT-2026-000001", got, &nrows), ERR_OK);
    assert_int_equal(nrows, 3);
    int len = snprintf(rows, sizeof(rows),
                       "I%lld;S8:ent_kind;S15:ENT-2026-000001;S1:p;S4:0180;N;S5:draft;S0:;I0;I1;"
                       "S0:;S0:;S20:2026-03-01T10:00:00Z;S3:eva;S20:2026-03-01T10:00:00Z;S3:eva;\n",
                       c.id);
    table_digest(t[0], sizeof(t[0]), "cases", rows, (size_t)len);
    len = snprintf(rows, sizeof(rows),
                   "I%lld;I0;S2:{};S64:%.64s;N;S20:2026-03-01T10:01:00Z;S3:eva;\n", c.id, v.digest);
    table_digest(t[1], sizeof(t[1]), "case_versions", rows, (size_t)len);
    table_digest(t[2], sizeof(t[2]), "case_idem", "", 0);
    table_digest(t[3], sizeof(t[3]), "decisions", "", 0);
    table_digest(t[4], sizeof(t[4]), "case_files", "", 0);
    table_digest(t[5], sizeof(t[5]), "blobs", "", 0);
    len = snprintf(rows, sizeof(rows),
                   "I%lld;I%lld;S9:Nota bene;S20:2026-03-01T10:02:00Z;S4:olle;\n", nid, c.id);
    table_digest(t[6], sizeof(t[6]), "case_notes", rows, (size_t)len);
    table_digest(t[7], sizeof(t[7]), "case_events", "", 0);
    snprintf(want, sizeof(want), "%s %s %s %s %s %s %s %s", t[0], t[1], t[2], t[3], t[4], t[5],
             t[6], t[7]);
    assert_string_equal(got, want);
    /* the object names the entity only for the case's own kind */
    assert_int_equal(store_entity_of(s, "ent_kind:ENT-2026-000001", of), ERR_OK);
    assert_string_equal(of, "case:ENT-2026-000001");
    assert_int_equal(store_entity_of(s, "other_kind:ENT-2026-000001", of), ERR_OK);
    assert_string_equal(of, "");
    assert_int_equal(store_entity_of(s, "ent_kind:ENT-2026-999999", of), ERR_OK);
    assert_string_equal(of, "");
    assert_true(store_entity_known("case:ENT-2026-000001"));
    assert_false(store_entity_known("case:"));
    /* a file: the case's row and its blob's */
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_case_blob_put(s, "ab", "text/plain", "x\0y", 3), ERR_OK);
    struct store_case_file f = {
        0, "plan", "p.txt", "ab", "text/plain", 3, "2026-03-01T10:03:00Z", "eva"};
    assert_int_equal(store_case_file_put(s, c.id, &f), ERR_OK);
    assert_int_equal(store_commit(s), ERR_OK);
    assert_int_equal(store_entity_digest(s, "case:ENT-2026-000001", got, &nrows), ERR_OK);
    assert_int_equal(nrows, 5);
    static const char blob_row[] = "S2:ab;S10:text/plain;I3;S3:x\0y;\n";
    table_digest(t[5], sizeof(t[5]), "blobs", blob_row, sizeof(blob_row) - 1);
    assert_non_null(strstr(got, t[5]));
}

/* The digest of an entity's rows is the same on every backend: the
 * canonical form of each row (NULL, integers, text, bytes with NULs),
 * table by table, as store_entity.h defines it. */
static void test_entities(void **state)
{
    (void)state;
    struct store_account a;
    long long id = 0, tid = 0;
    char got[STORE_ROWS_LEN], want[STORE_ROWS_LEN], rows[400], t1[80], t2[80], t3[80], t4[80];
    long long nrows = 0;
    memset(&a, 0, sizeof(a));
    SET(a.login, "ent-anna");
    SET(a.name, "Anna Ä");
    SET(a.created_at, "2026-01-01T00:00:00Z"); /* no password: NULL */
    assert_int_equal(store_account_add(s, &a, &id), ERR_OK);
    assert_int_equal(store_entity_digest(s, "user:ent-anna", got, &nrows), ERR_OK);
    assert_int_equal(nrows, 1);
    int len = snprintf(rows, sizeof(rows),
                       "I%lld;S8:ent-anna;S7:Anna \xc3\x84;N;I0;S20:2026-01-"
                       "01T00:00:00Z;\n",
                       id);
    table_digest(t1, sizeof(t1), "account", rows, (size_t)len);
    table_digest(t2, sizeof(t2), "account_role", "", 0);
    table_digest(t3, sizeof(t3), "org_invite", "", 0);
    table_digest(t4, sizeof(t4), "api_token", "", 0);
    snprintf(want, sizeof(want), "%s %s %s %s", t1, t2, t3, t4);
    assert_string_equal(got, want);

    /* a grant and a token change their tables only; a token's object
     * names its owner's entity */
    assert_int_equal(store_grant_add(s, id, "analytiker", "", "2026-01-02T00:00:00Z"), ERR_OK);
    struct store_token tk = {0, id, "ci", "", "", "2026-01-03T00:00:00Z", 0};
    SET(tk.hash, "ent-token-hash");
    assert_int_equal(store_token_add(s, &tk, &tid), ERR_OK);
    assert_int_equal(store_entity_digest(s, "user:ent-anna", got, &nrows), ERR_OK);
    assert_int_equal(nrows, 3);
    len = snprintf(rows, sizeof(rows), "I%lld;S10:analytiker;S0:;S20:2026-01-02T00:00:00Z;\n", id);
    table_digest(t2, sizeof(t2), "account_role", rows, (size_t)len);
    len = snprintf(rows, sizeof(rows),
                   "I%lld;I%lld;S2:ci;S14:ent-token-hash;S0:;S20:2026-01-03T00:00:00Z;I0;\n", tid,
                   id);
    table_digest(t4, sizeof(t4), "api_token", rows, (size_t)len);
    snprintf(want, sizeof(want), "%s %s %s %s", t1, t2, t3, t4);
    assert_string_equal(got, want);
    char of[STORE_ENTITY_LEN];
    snprintf(rows, sizeof(rows), "token:%lld", tid);
    assert_int_equal(store_entity_of(s, rows, of), ERR_OK);
    assert_string_equal(of, "user:ent-anna");
    assert_int_equal(store_entity_of(s, "token:999999", of), ERR_OK);
    assert_string_equal(of, "");
    assert_int_equal(store_entity_of(s, "addr:10.0.0.1", of), ERR_OK);
    assert_string_equal(of, "");

    /* bytes with NUL in a program's file */
    static const char bin[] = {'x', '\0', 'y'};
    struct store_program p;
    memset(&p, 0, sizeof(p));
    SET(p.id, "ent-prog");
    SET(p.title, "T");
    SET(p.diarienummer, "D");
    p.total_ore = -5;
    SET(p.source_name, "s.ini");
    p.source = (char *)"src";
    SET(p.loaded_at, "2026-01-04T00:00:00Z");
    struct store_program_file f = {"k.bin", (char *)bin, sizeof(bin)};
    p.files = &f;
    p.nfiles = 1;
    assert_int_equal(store_program_put(s, &p), ERR_OK);
    /* and an officer's confirmation of its stand-in data */
    struct store_standin sd;
    memset(&sd, 0, sizeof(sd));
    SET(sd.program, "ent-prog");
    SET(sd.basis, "b");
    SET(sd.reason, "r");
    SET(sd.confirmed_by, "h");
    SET(sd.confirmed_at, "t");
    assert_int_equal(store_standin_add(s, &sd), ERR_OK);
    struct store_standin back;
    assert_int_equal(store_standin_last(s, "ent-prog", &back), ERR_OK);
    assert_int_equal(back.id, sd.id);
    assert_string_equal(back.reason, "r");
    assert_int_equal(store_standin_last(s, "ent-prog2", &back), ERR_NOTFOUND);
    assert_int_equal(store_entity_digest(s, "program:ent-prog", got, &nrows), ERR_OK);
    assert_int_equal(nrows, 3);
    len = snprintf(rows, sizeof(rows),
                   "S8:ent-prog;S1:T;S1:D;I-5;S5:s.ini;S3:src;S20:2026-01-04T00:00:00Z;\n");
    table_digest(t1, sizeof(t1), "program", rows, (size_t)len);
    static const char file_row[] = "S8:ent-prog;S5:k.bin;S3:x\0y;\n";
    table_digest(t2, sizeof(t2), "program_file", file_row, sizeof(file_row) - 1);
    len = snprintf(rows, sizeof(rows), "I%lld;S8:ent-prog;S1:b;S1:r;S1:h;S1:t;\n", sd.id);
    table_digest(t3, sizeof(t3), "program_standin", rows, (size_t)len);
    snprintf(want, sizeof(want), "%s %s %s", t1, t2, t3);
    assert_string_equal(got, want);

    /* rows in the order of their canonical bytes, whatever the SQL's
     * ORDER BY or the backend's collation: "S10:zzzzzz.ini" before
     * "S5:a.ini", though a.ini sorts first by name */
    static struct store_program_file two[] = {{"a.ini", (char *)"1", 1},
                                              {"zzzzzz.ini", (char *)"2", 1}};
    SET(p.id, "ent-prog2");
    p.files = two;
    p.nfiles = 2;
    assert_int_equal(store_program_put(s, &p), ERR_OK);
    assert_int_equal(store_entity_digest(s, "program:ent-prog2", got, &nrows), ERR_OK);
    assert_int_equal(nrows, 3);
    len = snprintf(rows, sizeof(rows),
                   "S9:ent-prog2;S1:T;S1:D;I-5;S5:s.ini;S3:src;S20:2026-01-04T00:00:00Z;\n");
    table_digest(t1, sizeof(t1), "program", rows, (size_t)len);
    static const char two_rows[] = "S9:ent-prog2;S10:zzzzzz.ini;S1:2;\n"
                                   "S9:ent-prog2;S5:a.ini;S1:1;\n";
    table_digest(t2, sizeof(t2), "program_file", two_rows, sizeof(two_rows) - 1);
    table_digest(t3, sizeof(t3), "program_standin", "", 0);
    snprintf(want, sizeof(want), "%s %s %s", t1, t2, t3);
    assert_string_equal(got, want);

    /* an entity without rows has the digests of empty tables */
    assert_int_equal(store_entity_digest(s, "requisition:ENT-NONE", got, &nrows), ERR_OK);
    assert_int_equal(nrows, 0);
    assert_non_null(strstr(got, "req_decision="));
    assert_int_equal(store_entity_digest(s, "bogus:1", got, &nrows), ERR_INVALID);

    /* names */
    assert_true(store_entity_known("orgs"));
    assert_true(store_entity_known("user:x"));
    assert_true(store_entity_known("redistribution:p/b"));
    assert_false(store_entity_known("redistribution:p"));
    assert_false(store_entity_known("redistribution:/b"));
    assert_true(store_entity_known("population:folkmangd@2024-12-31"));
    assert_true(store_entity_known("metric:at-platser"));
    assert_false(store_entity_known("user:"));
    assert_false(store_entity_known("orgs:1"));
    assert_false(store_entity_known(""));
    assert_false(store_entity_known("token:1")); /* its owner's */

    /* every entity with rows is listed */
    int sn[2] = {0, 0};
    assert_int_equal(store_entity_each(s, seen_entity, sn), ERR_OK);
    assert_int_equal(sn[0], 1);
    assert_int_equal(sn[1], 1);
}

static void test_requisitions(void **state)
{
    (void)state;
    struct store_req r, got;
    struct req_form f, g;
    char at[32], by[128];
    assert_int_equal(store_req_create(s, "contract-prog", "9901", "C-2026-000001",
                                      "2026-03-01T10:00:00Z", "c-anna", &r),
                     ERR_OK);
    assert_true(r.id > 0);
    assert_string_equal(r.case_no, "C-2026-000001");
    assert_int_equal(r.state, REQ_DRAFT);
    assert_int_equal(r.version, 0);
    assert_int_equal(r.approved_ore, -1);
    assert_int_equal(r.requested_ore, -1);
    assert_string_equal(r.created_by, "c-anna");
    /* one per recipient and program, and a case number once */
    assert_int_equal(store_req_create(s, "contract-prog", "9901", "C-2026-000002",
                                      "2026-03-01T10:00:00Z", "c-anna", &got),
                     ERR_CONFLICT);
    assert_int_equal(store_req_create(s, "contract-prog", "9902", "C-2026-000001",
                                      "2026-03-01T10:00:00Z", "c-anna", &got),
                     ERR_CONFLICT);
    assert_int_equal(store_req_get(s, "contract-prog", "9901", &got), ERR_OK);
    assert_int_equal(got.id, r.id);
    assert_int_equal(store_req_get(s, "contract-prog", "9999", &got), ERR_NOTFOUND);
    assert_int_equal(store_req_get_case(s, "C-2026-000001", &got), ERR_OK);
    assert_int_equal(store_req_get_case(s, "C-2026-999999", &got), ERR_NOTFOUND);

    /* the draft (version 0) is replaced on each save */
    form_of(&f, "9901", 500000, 3);
    assert_int_equal(store_req_form_put(s, r.id, 0, &f, "2026-03-01T10:01:00Z", "c-anna"), ERR_OK);
    req_form_release(&f);
    form_of(&f, "9901", 600000, 2);
    assert_int_equal(store_req_form_put(s, r.id, 0, &f, "2026-03-01T10:02:00Z", "c-bo"), ERR_OK);
    assert_int_equal(store_req_form_get(s, r.id, 0, &g, at, by), ERR_OK);
    assert_string_equal(g.program, "contract-prog");
    assert_string_equal(g.recipient, "9901");
    assert_int_equal(g.amount_ore, 600000);
    assert_int_equal(g.nmeasures, 2);
    assert_string_equal(g.measures[1].description, "Insats 2: räksmörgås");
    assert_int_equal(g.measures[1].planned_ore, 2000);
    assert_string_equal(g.contact_name, "Åsa Öberg");
    assert_int_equal(g.opt_in, 1);
    assert_int_equal(g.plan.size, 42);
    assert_string_equal(g.plan.sha256, "c0ffee");
    assert_string_equal(at, "2026-03-01T10:02:00Z");
    assert_string_equal(by, "c-bo");
    req_form_release(&g);
    assert_int_equal(store_req_form_get(s, r.id, 1, &g, NULL, NULL), ERR_NOTFOUND);

    /* a submission: version 1, immutable */
    assert_int_equal(store_req_form_put(s, r.id, 1, &f, "2026-03-01T10:03:00Z", "c-bo"), ERR_OK);
    assert_int_equal(store_req_form_put(s, r.id, 1, &f, "2026-03-01T10:04:00Z", "c-bo"),
                     ERR_CONFLICT);
    req_form_release(&f);
    form_of(&f, "9901", 700000, 10);
    assert_int_equal(store_req_form_put(s, r.id, 2, &f, "2026-03-02T10:00:00Z", "c-anna"), ERR_OK);
    req_form_release(&f);
    assert_int_equal(store_req_form_get(s, r.id, 2, &g, NULL, NULL), ERR_OK);
    assert_int_equal(g.nmeasures, 10);
    req_form_release(&g);
    struct store_req_version *v = NULL;
    size_t n = 0;
    assert_int_equal(store_req_versions(s, r.id, &v, &n), ERR_OK);
    assert_int_equal(n, 2); /* not the draft */
    assert_int_equal(v[0].version, 1);
    assert_int_equal(v[0].amount_ore, 600000);
    assert_int_equal(v[1].amount_ore, 700000);
    assert_string_equal(v[1].saved_by, "c-anna");
    free(v);

    /* state changes name the revision they were based on */
    long long rev = r.revision;
    r.state = REQ_SUBMITTED;
    r.version = 2;
    SET(r.message, "");
    assert_int_equal(store_req_update(s, &r, rev, "2026-03-02T10:00:00Z", "c-anna"), ERR_OK);
    assert_int_equal(r.revision, rev + 1);
    assert_int_equal(store_req_get_case(s, "C-2026-000001", &got), ERR_OK);
    assert_int_equal(got.state, REQ_SUBMITTED);
    assert_int_equal(got.revision, rev + 1);
    assert_int_equal(got.requested_ore, 700000); /* of the latest submitted version */
    assert_string_equal(got.updated_at, "2026-03-02T10:00:00Z");
    /* a change based on the old revision is a conflict and changes nothing */
    got.state = REQ_REJECTED;
    assert_int_equal(store_req_update(s, &got, rev, "2026-03-02T11:00:00Z", "c-bo"), ERR_CONFLICT);
    assert_non_null(strstr(store_errmsg(s), "C-2026-000001"));
    /* also from another connection */
    struct store *t = second();
    if (t) {
        struct store_req other;
        assert_int_equal(store_req_get_case(t, "C-2026-000001", &other), ERR_OK);
        other.state = REQ_APPROVED;
        other.approved_ore = 700000;
        assert_int_equal(store_req_update(t, &other, other.revision, "2026-03-03T10:00:00Z", "h"),
                         ERR_OK);
        store_close(t);
        r.state = REQ_RETURNED;
        assert_int_equal(store_req_update(s, &r, r.revision, "2026-03-03T10:00:00Z", "c-bo"),
                         ERR_CONFLICT);
        assert_int_equal(store_req_get_case(s, "C-2026-000001", &got), ERR_OK);
        assert_int_equal(got.state, REQ_APPROVED);
        assert_int_equal(got.approved_ore, 700000);
    }
    /* a long message with non-ASCII text keeps every byte */
    char msg[2000];
    memset(msg, 'x', sizeof(msg) - 1);
    msg[sizeof(msg) - 1] = '\0';
    memcpy(msg, "Åäö", strlen("Åäö"));
    assert_int_equal(store_req_get_case(s, "C-2026-000001", &got), ERR_OK);
    SET(got.message, msg);
    assert_int_equal(store_req_update(s, &got, got.revision, "2026-03-04T10:00:00Z", "h"), ERR_OK);
    assert_int_equal(store_req_get_case(s, "C-2026-000001", &r), ERR_OK);
    assert_string_equal(r.message, msg);
}

static void test_idempotency(void **state)
{
    (void)state;
    struct store_req r, q;
    long long req_id = 0;
    int version = 0;
    char digest[65];
    assert_int_equal(store_req_create(s, "contract-prog", "9903", "C-2026-000003",
                                      "2026-03-01T10:00:00Z", "c-anna", &r),
                     ERR_OK);
    assert_int_equal(store_req_create(s, "contract-prog", "9905", "C-2026-000005",
                                      "2026-03-01T10:00:00Z", "c-anna", &q),
                     ERR_OK);
    assert_int_equal(
        store_req_idem_get(s, "9903", "contract-prog", "c-key-1", &req_id, &version, digest),
        ERR_NOTFOUND);
    assert_int_equal(store_req_idem_put(s, "9903", "contract-prog", "c-key-1", r.id, 1, "d1",
                                        "2026-03-01T10:00:00Z"),
                     ERR_OK);
    assert_int_equal(store_req_idem_put(s, "9903", "contract-prog", "c-key-1", r.id, 2, "d2",
                                        "2026-03-01T10:00:00Z"),
                     ERR_CONFLICT);
    /* a key belongs to one recipient in one program */
    assert_int_equal(store_req_idem_put(s, "9905", "contract-prog", "c-key-1", q.id, 1, "d5",
                                        "2026-03-01T10:00:00Z"),
                     ERR_OK);
    assert_int_equal(
        store_req_idem_get(s, "9903", "contract-prog", "c-key-1", &req_id, &version, digest),
        ERR_OK);
    assert_int_equal(req_id, r.id);
    assert_int_equal(version, 1);
    assert_string_equal(digest, "d1");
    assert_int_equal(
        store_req_idem_get(s, "9905", "contract-prog", "c-key-1", &req_id, &version, digest),
        ERR_OK);
    assert_int_equal(req_id, q.id);
    assert_string_equal(digest, "d5");
    assert_int_equal(
        store_req_idem_get(s, "9903", "contract-other", "c-key-1", &req_id, &version, digest),
        ERR_NOTFOUND);
}

static void test_invitations(void **state)
{
    (void)state;
    struct store_invite iv;
    memset(&iv, 0, sizeof(iv));
    SET(iv.org, "9901");
    SET(iv.login, "c-invited");
    SET(iv.role, "representant");
    SET(iv.invited_by, "c-anna");
    SET(iv.invited_at, "2026-01-01T00:00:00Z");
    assert_int_equal(store_invite_add(s, &iv), ERR_OK);
    assert_int_equal(store_invite_add(s, &iv), ERR_CONFLICT);
    SET(iv.role, "uppgiftssamordnare");
    assert_int_equal(store_invite_add(s, &iv), ERR_OK);
    SET(iv.org, "9902");
    assert_int_equal(store_invite_add(s, &iv), ERR_OK);
    SET(iv.role, "ombud"); /* not by invitation */
    assert_int_equal(store_invite_add(s, &iv), ERR_CONFLICT);
    struct store_invite *l = NULL;
    size_t n = 0;
    assert_int_equal(store_invite_list(s, "9901", NULL, &l, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(l[0].role, "representant"); /* by org, role, login */
    assert_string_equal(l[1].invited_by, "c-anna");
    free(l);
    assert_int_equal(store_invite_list(s, NULL, "c-invited", &l, &n), ERR_OK);
    assert_int_equal(n, 3);
    assert_string_equal(l[2].org, "9902");
    free(l);
    assert_int_equal(store_invite_remove(s, "9901", "c-invited", "representant"), ERR_OK);
    assert_int_equal(store_invite_remove(s, "9901", "c-invited", "representant"), ERR_NOTFOUND);
    assert_int_equal(store_invite_list(s, "9901", "c-invited", &l, &n), ERR_OK);
    assert_int_equal(n, 1);
    free(l);
}

static void test_decisions_runs_plans(void **state)
{
    (void)state;
    struct store_req r;
    assert_int_equal(store_req_create(s, "contract-prog", "9904", "C-2026-000004",
                                      "2026-03-01T10:00:00Z", "c-anna", &r),
                     ERR_OK);
    struct store_redist_run run, got_run;
    memset(&run, 0, sizeof(run));
    SET(run.program, "contract-prog");
    SET(run.block, "1");
    run.unrequisitioned_ore = 1000;
    run.redistributed_ore = 900;
    run.remaining_ore = 100;
    SET(run.run_at, "2026-11-01T10:00:00Z");
    SET(run.run_by, "h");
    assert_int_equal(store_redist_run_get(s, "contract-prog", "1", &got_run), ERR_NOTFOUND);
    assert_int_equal(store_redist_run_add(s, &run), ERR_OK);
    assert_true(run.id > 0);
    assert_int_equal(store_redist_run_add(s, &run), ERR_CONFLICT); /* once per block */
    assert_int_equal(store_redist_run_get(s, "contract-prog", "1", &got_run), ERR_OK);
    assert_int_equal(got_run.id, run.id);
    assert_string_equal(got_run.program, "contract-prog");
    assert_string_equal(got_run.block, "1");
    assert_int_equal(got_run.remaining_ore, 100);
    assert_string_equal(got_run.run_by, "h");

    struct store_req_decision d, got;
    memset(&d, 0, sizeof(d));
    SET(d.number, "CB-2026-000001");
    d.req_id = r.id;
    SET(d.kind, "original");
    d.amount_ore = 500000;
    SET(d.decided_on, "2026-04-01");
    SET(d.decided_at, "2026-04-01T10:00:00Z");
    SET(d.decided_by, "h");
    assert_int_equal(store_req_decision_add(s, &d), ERR_OK);
    assert_true(d.id > 0);
    assert_int_equal(store_req_decision_add(s, &d), ERR_CONFLICT); /* the number once */
    SET(d.number, "CB-2026-000002");
    SET(d.kind, "supplementary");
    SET(d.block, "1");
    d.run_id = run.id;
    d.amount_ore = 900;
    assert_int_equal(store_req_decision_add(s, &d), ERR_OK);
    SET(d.number, "CB-2026-000003");
    d.amount_ore = -1; /* never negative */
    assert_int_equal(store_req_decision_add(s, &d), ERR_CONFLICT);
    assert_int_equal(store_req_decision_get(s, "CB-2026-000001", &got), ERR_OK);
    assert_string_equal(got.case_no, "C-2026-000004");
    assert_string_equal(got.recipient, "9904");
    assert_string_equal(got.kind, "original");
    assert_string_equal(got.block, "");
    assert_int_equal(got.run_id, 0);
    assert_int_equal(got.amount_ore, 500000);
    assert_int_equal(store_req_decision_get(s, "CB-2026-000009", &got), ERR_NOTFOUND);
    struct store_req_decision *list = NULL;
    size_t n = 0;
    assert_int_equal(store_req_decisions(s, NULL, r.id, &list, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[1].run_id, run.id);
    assert_string_equal(list[1].block, "1");
    free(list);
    assert_int_equal(store_req_decisions(s, "contract-prog", 0, &list, &n), ERR_OK);
    assert_int_equal(n, 2);
    free(list);
    assert_int_equal(store_req_decisions(s, "contract-none", 0, &list, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(list);

    /* production plans are kept once by digest */
    static const unsigned char pdf[] = "%PDF-1.7\n\0binary\xff";
    char type[80];
    struct buf b;
    buf_init(&b, 1 << 20);
    assert_int_equal(store_req_plan_put(s, "c-plan", "application/pdf", pdf, sizeof(pdf)), ERR_OK);
    assert_int_equal(store_req_plan_put(s, "c-plan", "application/pdf", pdf, sizeof(pdf)), ERR_OK);
    assert_int_equal(store_req_plan_get(s, "c-plan", type, sizeof(type), &b), ERR_OK);
    assert_string_equal(type, "application/pdf");
    assert_int_equal(b.len, sizeof(pdf));
    assert_memory_equal(b.p, pdf, sizeof(pdf));
    assert_int_equal(store_req_plan_get(s, "c-plan-none", type, sizeof(type), &b), ERR_NOTFOUND);
    /* a plan no version names can be forgotten; one a version names stays */
    int64_t bytes = -1;
    assert_int_equal(store_req_plan_usage(s, "9904", &bytes), ERR_OK);
    assert_int_equal(bytes, 0);
    struct req_form f;
    form_of(&f, "9904", 1000, 1);
    SET(f.plan.sha256, "c-plan");
    assert_int_equal(store_req_form_put(s, r.id, 1, &f, "2026-03-01T10:00:00Z", "c-anna"), ERR_OK);
    req_form_release(&f);
    assert_int_equal(store_req_plan_usage(s, "9904", &bytes), ERR_OK);
    assert_int_equal(bytes, sizeof(pdf));
    assert_int_equal(store_req_plan_forget(s, "c-plan"), ERR_OK);
    buf_reset(&b);
    assert_int_equal(store_req_plan_get(s, "c-plan", type, sizeof(type), &b), ERR_OK);
    assert_int_equal(store_req_plan_put(s, "c-plan-2", "application/pdf", pdf, 3), ERR_OK);
    assert_int_equal(store_req_plan_forget(s, "c-plan-2"), ERR_OK);
    assert_int_equal(store_req_plan_get(s, "c-plan-2", type, sizeof(type), &b), ERR_NOTFOUND);
    buf_release(&b);
}

static void test_lists_and_counts(void **state)
{
    (void)state;
    struct store_req r;
    char case_no[32], code[8];
    for (int i = 0; i < 5; i++) {
        snprintf(case_no, sizeof(case_no), "L-2026-%06d", 5 - i); /* out of order */
        snprintf(code, sizeof(code), "98%02d", i);
        assert_int_equal(store_req_create(s, "contract-list", code, case_no, "2026-03-01T10:00:00Z",
                                          "c-anna", &r),
                         ERR_OK);
        if (i < 2) {
            long long rev = r.revision;
            r.state = REQ_SUBMITTED;
            assert_int_equal(store_req_update(s, &r, rev, "2026-03-01T10:00:00Z", "c"), ERR_OK);
        }
    }
    struct store_req *list = NULL;
    size_t n = 0;
    struct store_req_filter f = {"contract-list", -1, NULL, 0, 0};
    assert_int_equal(store_req_list(s, &f, &list, &n), ERR_OK);
    assert_int_equal(n, 5);
    assert_string_equal(list[0].case_no, "L-2026-000001"); /* by case number */
    assert_string_equal(list[4].case_no, "L-2026-000005");
    free(list);
    f.limit = 2;
    f.offset = 1;
    assert_int_equal(store_req_list(s, &f, &list, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].case_no, "L-2026-000002");
    free(list);
    struct store_req_filter g = {"contract-list", REQ_SUBMITTED, NULL, 0, 0};
    assert_int_equal(store_req_list(s, &g, &list, &n), ERR_OK);
    assert_int_equal(n, 2);
    free(list);
    struct store_req_filter h = {NULL, -1, "9803", 0, 0};
    assert_int_equal(store_req_list(s, &h, &list, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].program, "contract-list");
    free(list);
    long long counts[REQ_STATE_COUNT];
    assert_int_equal(store_req_counts(s, "contract-list", NULL, counts), ERR_OK);
    assert_int_equal(counts[REQ_DRAFT], 3);
    assert_int_equal(counts[REQ_SUBMITTED], 2);
    assert_int_equal(counts[REQ_APPROVED], 0);
    assert_int_equal(store_req_counts(s, "contract-list", "9800", counts), ERR_OK);
    assert_int_equal(counts[REQ_SUBMITTED], 1);
    assert_int_equal(counts[REQ_DRAFT], 0);
}

/* Counters: per name and year, from 1, given back with the transaction. */
/* The case engine's tables (store_case.h): create, uniqueness of number
 * and subject, revisions, versions frozen once submitted, idempotency keys
 * per party, decisions, files by digest removed with their last file,
 * notes, history and lists. */
static void test_cases(void **state)
{
    (void)state;
    struct store_case c = {0}, d = {0}, g;
    SET(c.kind, "ctoy");
    SET(c.number, "CTY-2026-000001");
    SET(c.program, "cprog");
    SET(c.party, "0180");
    SET(c.subject, "cprog/0180");
    assert_int_equal(store_case_create(s, &c, "2026-03-01T10:00:00Z", "anna"), ERR_OK);
    assert_true(c.id > 0);
    assert_int_equal(c.state, CASE_DRAFT);
    assert_int_equal(c.outcome, CASE_OUTCOME_NONE);
    assert_int_equal(c.version, 0);
    assert_int_equal(c.asked_ore, -1);
    assert_string_equal(c.created_by, "anna");
    /* one per subject, numbers unique; no subject: any number of cases */
    d = c;
    SET(d.number, "CTY-2026-000002");
    assert_int_equal(store_case_create(s, &d, "2026-03-01T10:00:00Z", "anna"), ERR_CONFLICT);
    d = c;
    SET(d.subject, "cprog/0181");
    assert_int_equal(store_case_create(s, &d, "2026-03-01T10:00:00Z", "anna"), ERR_CONFLICT);
    for (int i = 0; i < 2; i++) {
        d = c;
        d.subject[0] = '\0';
        snprintf(d.number, sizeof(d.number), "CTY-2026-00001%d", i);
        SET(d.party, "olle");
        assert_int_equal(store_case_create(s, &d, "2026-03-01T10:00:00Z", "olle"), ERR_OK);
        assert_string_equal(d.subject, "");
    }
    assert_int_equal(store_case_get_subject(s, "ctoy", "cprog/0180", &g), ERR_OK);
    assert_int_equal(g.id, c.id);
    assert_int_equal(store_case_get_id(s, c.id, &g), ERR_OK);
    assert_string_equal(g.number, "CTY-2026-000001");
    assert_int_equal(store_case_get(s, "CTY-2026-999999", &g), ERR_NOTFOUND);

    /* versions: the draft replaced, a submission frozen */
    struct store_case_version v = {0,   (char *)"{\"a\":1}",    "d0",
                                   500, "2026-03-01T10:01:00Z", "anna"};
    assert_int_equal(store_case_version_put(s, c.id, &v), ERR_OK);
    v.content = (char *)"{\"a\":2}";
    assert_int_equal(store_case_version_put(s, c.id, &v), ERR_OK);
    v.version = 1;
    SET(v.digest, "d1");
    assert_int_equal(store_case_version_put(s, c.id, &v), ERR_OK);
    assert_int_equal(store_case_version_put(s, c.id, &v), ERR_CONFLICT);
    struct store_case_version r;
    assert_int_equal(store_case_version_get(s, c.id, 0, &r), ERR_OK);
    assert_string_equal(r.content, "{\"a\":2}");
    assert_int_equal(r.amount_ore, 500);
    store_case_version_release(&r);
    assert_int_equal(store_case_version_get(s, c.id, 2, &r), ERR_NOTFOUND);
    v.version = 2;
    v.amount_ore = -1; /* a kind that asks for no money */
    assert_int_equal(store_case_version_put(s, c.id, &v), ERR_OK);
    assert_int_equal(store_case_version_get(s, c.id, 2, &r), ERR_OK);
    assert_int_equal(r.amount_ore, -1);
    store_case_version_release(&r);
    struct store_case_version *vs = NULL;
    size_t n = 0;
    assert_int_equal(store_case_versions(s, c.id, &vs, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(vs[0].version, 1);
    assert_null(vs[0].content);
    free(vs);

    /* state changes need the revision they were based on */
    c.state = CASE_SUBMITTED;
    c.version = 1;
    long long rev = c.revision;
    assert_int_equal(store_case_update(s, &c, rev, "2026-03-01T10:02:00Z", "anna"), ERR_OK);
    assert_int_equal(c.revision, rev + 1);
    c.state = CASE_RETURNED;
    assert_int_equal(store_case_update(s, &c, rev, "2026-03-01T10:03:00Z", "eva"), ERR_CONFLICT);
    assert_int_equal(store_case_get(s, c.number, &g), ERR_OK);
    assert_int_equal(g.state, CASE_SUBMITTED);
    assert_int_equal(g.asked_ore, 500);
    c.state = CASE_DECIDED;
    c.outcome = CASE_PARTLY_APPROVED;
    SET(c.assigned_to, "eva");
    assert_int_equal(store_case_update(s, &c, c.revision, "2026-03-01T10:03:00Z", "eva"), ERR_OK);
    assert_int_equal(store_case_get(s, c.number, &g), ERR_OK);
    assert_int_equal(g.outcome, CASE_PARTLY_APPROVED);
    assert_string_equal(g.assigned_to, "eva");
    assert_string_equal(g.updated_by, "eva");

    /* idempotency keys are the party's own */
    long long cid = 0;
    int ver = 0;
    char dg[65];
    assert_int_equal(store_case_idem_get(s, "0180", "k1", &cid, &ver, dg), ERR_NOTFOUND);
    assert_int_equal(store_case_idem_put(s, "0180", "k1", c.id, 1, "d1", "2026-03-01T10:02:00Z"),
                     ERR_OK);
    assert_int_equal(store_case_idem_put(s, "0180", "k1", c.id, 2, "d2", "2026-03-01T10:02:00Z"),
                     ERR_CONFLICT);
    assert_int_equal(store_case_idem_put(s, "olle", "k1", d.id, 1, "dx", "2026-03-01T10:02:00Z"),
                     ERR_OK);
    assert_int_equal(store_case_idem_get(s, "0180", "k1", &cid, &ver, dg), ERR_OK);
    assert_int_equal(cid, c.id);
    assert_int_equal(ver, 1);
    assert_string_equal(dg, "d1");

    /* decisions with their own numbers, reasons and appeal clause */
    struct store_case_decision dec = {0};
    SET(dec.number, "CTB-2026-000001");
    dec.case_id = c.id;
    SET(dec.kind, "partly_approved");
    dec.amount_ore = 300;
    SET(dec.reasons, "Åtgärd 2 ligger utanför syftet.");
    SET(dec.appeal, "Beslutet kan inte överklagas.");
    SET(dec.decided_on, "2026-03-02");
    SET(dec.decided_at, "2026-03-02T09:00:00Z");
    SET(dec.decided_by, "eva");
    dec.run_id = -1;
    assert_int_equal(store_case_decision_add(s, &dec), ERR_OK);
    assert_true(dec.id > 0);
    assert_int_equal(store_case_decision_add(s, &dec), ERR_CONFLICT);
    struct store_case_decision dg2, *ds = NULL;
    assert_int_equal(store_case_decision_get(s, "CTB-2026-000001", &dg2), ERR_OK);
    assert_string_equal(dg2.reasons, "Åtgärd 2 ligger utanför syftet.");
    assert_int_equal(dg2.run_id, -1);
    assert_int_equal(store_case_decisions(s, c.id, &ds, &n), ERR_OK);
    assert_int_equal(n, 1);
    free(ds);

    /* files: bytes once by digest, gone with the last file naming them */
    static const unsigned char pdf[] = "%PDF-1.4 case";
    struct store_case_file f = {0};
    SET(f.slot, "plan");
    SET(f.name, "plan.pdf");
    SET(f.sha256, "cafe01");
    SET(f.added_at, "2026-03-01T10:00:00Z");
    SET(f.added_by, "anna");
    assert_int_equal(store_case_file_put(s, c.id, &f), ERR_CONFLICT); /* no bytes yet */
    assert_int_equal(store_case_blob_put(s, "cafe01", "application/pdf", pdf, sizeof(pdf)), ERR_OK);
    assert_int_equal(store_case_blob_put(s, "cafe01", "application/pdf", pdf, sizeof(pdf)), ERR_OK);
    assert_int_equal(store_case_file_put(s, c.id, &f), ERR_OK);
    assert_int_equal(store_case_files_freeze(s, c.id, 1), ERR_OK);
    struct store_case_file *fs = NULL;
    assert_int_equal(store_case_files(s, c.id, 1, &fs, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(fs[0].name, "plan.pdf");
    assert_int_equal(fs[0].size, sizeof(pdf));
    assert_string_equal(fs[0].content_type, "application/pdf");
    free(fs);
    int64_t used = 0;
    assert_int_equal(store_case_usage(s, "0180", &used), ERR_OK);
    assert_int_equal(used, sizeof(pdf)); /* counted once */
    /* the draft's plan replaced: the old bytes stay, version 1 names them */
    static const unsigned char pdf2[] = "%PDF-1.4 other";
    assert_int_equal(store_case_blob_put(s, "cafe02", "application/pdf", pdf2, sizeof(pdf2)),
                     ERR_OK);
    SET(f.sha256, "cafe02");
    assert_int_equal(store_case_file_put(s, c.id, &f), ERR_OK);
    char ct[80];
    struct buf b;
    buf_init(&b, 1 << 20);
    assert_int_equal(store_case_blob_get(s, "cafe01", ct, sizeof(ct), &b), ERR_OK);
    assert_int_equal(b.len, sizeof(pdf));
    assert_memory_equal(b.p, pdf, sizeof(pdf));
    /* replaced again: cafe02 named by nothing, so removed */
    assert_int_equal(store_case_blob_put(s, "cafe03", "application/pdf", pdf, 3), ERR_OK);
    SET(f.sha256, "cafe03");
    assert_int_equal(store_case_file_put(s, c.id, &f), ERR_OK);
    buf_reset(&b);
    assert_int_equal(store_case_blob_get(s, "cafe02", ct, sizeof(ct), &b), ERR_NOTFOUND);
    assert_int_equal(store_case_file_remove(s, c.id, 0, "plan"), ERR_OK);
    assert_int_equal(store_case_blob_get(s, "cafe03", ct, sizeof(ct), &b), ERR_NOTFOUND);
    assert_int_equal(store_case_file_remove(s, c.id, 0, "plan"), ERR_NOTFOUND);
    assert_int_equal(store_case_blob_get(s, "cafe01", ct, sizeof(ct), &b), ERR_OK);
    buf_release(&b);

    /* notes and history */
    long long nid = 0;
    assert_int_equal(
        store_case_note_add(s, c.id, "Ring kontaktpersonen.", "2026-03-01T11:00:00Z", "eva", &nid),
        ERR_OK);
    assert_true(nid > 0);
    struct store_case_note *ns = NULL;
    assert_int_equal(store_case_notes(s, c.id, &ns, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(ns[0].text, "Ring kontaktpersonen.");
    assert_string_equal(ns[0].by, "eva");
    store_case_notes_release(ns, n);
    struct store_case_event ev = {0, "submit", 1, "", "2026-03-01T10:02:00Z", "anna"};
    assert_int_equal(store_case_event_add(s, c.id, &ev), ERR_OK);
    SET(ev.verb, "return");
    SET(ev.message, "Komplettera åtgärd 2.");
    assert_int_equal(store_case_event_add(s, c.id, &ev), ERR_OK);
    struct store_case_event *es = NULL;
    assert_int_equal(store_case_events(s, c.id, &es, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(es[0].verb, "submit");
    assert_string_equal(es[1].message, "Komplettera åtgärd 2.");
    free(es);

    /* lists */
    struct store_case *cs = NULL;
    struct store_case_filter flt = {"ctoy", NULL, NULL, NULL, -1, 0, 0};
    assert_int_equal(store_case_list(s, &flt, &cs, &n), ERR_OK);
    assert_int_equal(n, 3);
    assert_string_equal(cs[0].number, "CTY-2026-000001");
    free(cs);
    flt.party = "olle";
    flt.limit = 1;
    flt.offset = 1;
    assert_int_equal(store_case_list(s, &flt, &cs, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(cs[0].number, "CTY-2026-000011");
    free(cs);
    struct store_case_filter f2 = {"ctoy", "cprog", NULL, "eva", CASE_DECIDED, 0, 0};
    assert_int_equal(store_case_list(s, &f2, &cs, &n), ERR_OK);
    assert_int_equal(n, 1);
    free(cs);
    f2.state = CASE_SUBMITTED;
    assert_int_equal(store_case_list(s, &f2, &cs, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(cs);

    /* counts per state and outcome */
    struct store_case_counts cn;
    struct store_case_filter f3 = {"ctoy", NULL, NULL, NULL, -1, 0, 0};
    assert_int_equal(store_case_counts(s, &f3, &cn), ERR_OK);
    long long total = 0;
    for (int i = 0; i < CASE_STATE_COUNT; i++)
        for (int j = 0; j < CASE_OUTCOME_COUNT; j++)
            total += cn.n[i][j];
    assert_int_equal(total, 3);
    assert_int_equal(cn.n[CASE_DECIDED][CASE_PARTLY_APPROVED], 1);
    assert_int_equal(cn.n[CASE_DRAFT][CASE_OUTCOME_NONE], 2);
    f3.party = "olle";
    f3.state = CASE_DECIDED; /* not used */
    assert_int_equal(store_case_counts(s, &f3, &cn), ERR_OK);
    assert_int_equal(cn.n[CASE_DRAFT][CASE_OUTCOME_NONE], 2);
    assert_int_equal(cn.n[CASE_DECIDED][CASE_PARTLY_APPROVED], 0);
    f3.party = NULL;
    f3.program = "another";
    assert_int_equal(store_case_counts(s, &f3, &cn), ERR_OK);
    assert_int_equal(cn.n[CASE_DRAFT][CASE_OUTCOME_NONE], 0);
    assert_int_equal(cn.n[CASE_DECIDED][CASE_PARTLY_APPROVED], 0);
    f3.program = NULL;
    f3.kind = "nokind";
    assert_int_equal(store_case_counts(s, &f3, &cn), ERR_OK);
    assert_int_equal(cn.n[CASE_DRAFT][CASE_OUTCOME_NONE], 0);
}

static void test_counters(void **state)
{
    (void)state;
    long long n = 0;
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_counter_next(s, "CTA", 2026, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_counter_next(s, "CTA", 2026, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_counter_next(s, "CTA", 2027, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_counter_next(s, "CTB", 2026, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_commit(s), ERR_OK);
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_counter_next(s, "CTA", 2026, &n), ERR_OK);
    assert_int_equal(n, 3);
    store_rollback(s); /* 3 is given back */
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_counter_next(s, "CTA", 2026, &n), ERR_OK);
    assert_int_equal(n, 3);
    store_rollback(s); /* the savepoint only: 3 again */
    assert_int_equal(store_counter_next(s, "CTA", 2026, &n), ERR_OK);
    assert_int_equal(n, 3);
    assert_int_equal(store_commit(s), ERR_OK);
    /* another connection goes on from there */
    struct store *t = second();
    if (t) {
        assert_int_equal(store_begin(t), ERR_OK);
        assert_int_equal(store_counter_next(t, "CTA", 2026, &n), ERR_OK);
        assert_int_equal(n, 4);
        assert_int_equal(store_commit(t), ERR_OK);
        store_close(t);
    }
}

static long long orgs(void)
{
    long long n = 0;
    assert_int_equal(store_org_count(s, &n), ERR_OK);
    return n;
}

/* Nested transactions: a savepoint undone leaves the outer transaction
 * open and its work in place; depth is right on every path. */
static void test_nested_transactions(void **state)
{
    (void)state;
    struct org o;
    long long n0 = orgs();
    assert_int_equal(store_depth(s), 0);
    assert_int_equal(store_begin(s), ERR_OK);
    org_of(&o, "9911", "", "Ett");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_depth(s), 2);
    org_of(&o, "9912", "", "Två");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    assert_int_equal(orgs(), n0 + 2);
    store_rollback(s); /* the savepoint only */
    assert_int_equal(store_depth(s), 1);
    assert_int_equal(orgs(), n0 + 1);
    /* a failing statement inside a savepoint, undone, and the outer goes on */
    assert_int_equal(store_begin(s), ERR_OK);
    org_of(&o, "9911", "", "Ett igen");
    assert_int_equal(store_org_put(s, &o), ERR_CONFLICT);
    store_rollback(s);
    org_of(&o, "9913", "", "Tre");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    /* three levels; the middle one committed into the outer */
    assert_int_equal(store_begin(s), ERR_OK);
    org_of(&o, "9914", "", "Fyra");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_depth(s), 3);
    org_of(&o, "9915", "", "Fem");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    store_rollback(s);
    assert_int_equal(store_commit(s), ERR_OK);
    assert_int_equal(store_depth(s), 1);
    assert_int_equal(store_commit(s), ERR_OK);
    assert_int_equal(store_depth(s), 0);
    assert_true(has_org("9911", "", NULL));
    assert_false(has_org("9912", "", NULL));
    assert_true(has_org("9913", "", NULL));
    assert_true(has_org("9914", "", NULL));
    assert_false(has_org("9915", "", NULL));
    assert_int_equal(orgs(), n0 + 3);

    /* a committed savepoint is undone with its outer transaction */
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_begin(s), ERR_OK);
    org_of(&o, "9916", "", "Sex");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    assert_int_equal(store_commit(s), ERR_OK);
    store_rollback(s);
    assert_int_equal(store_depth(s), 0);
    assert_false(has_org("9916", "", NULL));

    /* operations of several statements are atomic inside a caller's
     * transaction too: undone with it */
    struct series se;
    series_init(&se, SERIES_METRIC);
    SET(se.name, "contract-nested");
    SET(se.source, "x");
    SET(se.sha256, "x");
    assert_int_equal(series_push(&se, "9901", 1), ERR_OK);
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_series_put(s, &se, "2026-01-01T00:00:00Z"), ERR_OK);
    assert_int_equal(store_depth(s), 1);
    store_rollback(s);
    series_release(&se);
    struct series got;
    assert_int_equal(store_series_get(s, SERIES_METRIC, "contract-nested", NULL, &got),
                     ERR_NOTFOUND);
    /* ... and on their own a failure inside them leaves nothing */
    struct store_program p;
    memset(&p, 0, sizeof(p));
    SET(p.id, "contract-atomic");
    SET(p.title, "T");
    SET(p.diarienummer, "D");
    SET(p.source_name, "s");
    SET(p.loaded_at, "2026-01-01T00:00:00Z");
    struct store_program_file f[2] = {{"same", (char *)"1", 1}, {"same", (char *)"2", 1}};
    p.files = f;
    p.nfiles = 2;
    assert_int_equal(store_program_put(s, &p), ERR_CONFLICT);
    assert_int_equal(store_depth(s), 0);
    struct store_program q;
    assert_int_equal(store_program_get(s, "contract-atomic", &q), ERR_NOTFOUND);
    /* the same failure inside a transaction undoes the operation only */
    assert_int_equal(store_begin(s), ERR_OK);
    org_of(&o, "9917", "", "Sju");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    assert_int_equal(store_program_put(s, &p), ERR_CONFLICT);
    assert_int_equal(store_depth(s), 1);
    assert_int_equal(store_commit(s), ERR_OK);
    assert_true(has_org("9917", "", NULL));
    assert_int_equal(store_program_get(s, "contract-atomic", &q), ERR_NOTFOUND);
}

/* A statement that fails inside a transaction leaves the transaction
 * usable at the same level (driver.h): the work before it and after it
 * commits. PostgreSQL would abort the whole transaction on its own. */
static void test_failed_statement_keeps_transaction(void **state)
{
    (void)state;
    struct org o;
    struct store_account a, got;
    long long n0 = orgs();
    assert_int_equal(store_begin(s), ERR_OK);
    org_of(&o, "9941", "", "Före");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    assert_int_equal(store_org_put(s, &o), ERR_CONFLICT); /* the same kommun code */
    memset(&a, 0, sizeof(a));
    SET(a.login, "c-keep");
    SET(a.name, "Kvar");
    SET(a.created_at, "2026-01-01T00:00:00Z");
    assert_int_equal(store_account_add(s, &a, NULL), ERR_OK);
    assert_int_equal(store_account_add(s, &a, NULL), ERR_CONFLICT);
    assert_int_equal(store_account_set_disabled(s, -1, 1), ERR_NOTFOUND);
    org_of(&o, "9942", "", "Efter");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    assert_int_equal(store_depth(s), 1);
    assert_int_equal(store_commit(s), ERR_OK);
    assert_true(has_org("9941", "", NULL));
    assert_true(has_org("9942", "", NULL));
    assert_int_equal(orgs(), n0 + 2);
    assert_int_equal(store_account_get(s, "c-keep", &got), ERR_OK);
}

/* While one connection writes, another still reads what was committed. */
static void test_isolation(void **state)
{
    (void)state;
    struct store *t = second();
    if (!t)
        return;
    struct org o;
    long long n0 = orgs(), n = 0;
    assert_int_equal(store_begin(s), ERR_OK);
    org_of(&o, "9921", "", "Osynlig");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    assert_int_equal(store_org_count(t, &n), ERR_OK);
    assert_int_equal(n, n0);
    assert_int_equal(store_commit(s), ERR_OK);
    assert_int_equal(store_org_count(t, &n), ERR_OK);
    assert_int_equal(n, n0 + 1);
    store_close(t);
}

struct writer {
    struct store *t;
    enum err begin, commit;
};

/* Write on another connection and hold the transaction a little. */
static void *hold_and_commit(void *arg)
{
    struct writer *w = arg;
    struct org o;
    w->begin = store_begin(w->t);
    org_of(&o, "9931", "", "Först");
    if (w->begin == ERR_OK && store_org_put(w->t, &o) == ERR_OK) {
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    w->commit = w->begin == ERR_OK ? store_commit(w->t) : w->begin;
    return NULL;
}

/* Two writers at once: the second waits for the first and both succeed
 * (the database is busy only for as long as the other transaction). */
static void test_concurrent_writers(void **state)
{
    (void)state;
    struct writer w = {second(), ERR_STORE, ERR_STORE};
    if (!w.t)
        return;
    pthread_t th;
    struct org o;
    assert_int_equal(pthread_create(&th, NULL, hold_and_commit, &w), 0);
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
    assert_int_equal(store_begin(s), ERR_OK);
    org_of(&o, "9932", "", "Sedan");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    assert_int_equal(store_commit(s), ERR_OK);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(w.begin, ERR_OK);
    assert_int_equal(w.commit, ERR_OK);
    store_close(w.t);
    assert_true(has_org("9931", "", NULL));
    assert_true(has_org("9932", "", NULL));
}

/* Lists are capped: past the cap a clear ERR_LIMIT, nothing leaked, and
 * the store goes on working. */
static void test_capped_growth(void **state)
{
    (void)state;
    struct store_account *list = NULL;
    size_t n = 0;
    account("c-cap-1");
    account("c-cap-2");
    account("c-cap-3");
    store_limit_rows(s, 2);
    assert_int_equal(store_account_list(s, &list, &n), ERR_LIMIT);
    assert_null(list);
    assert_int_equal(n, 0);
    assert_non_null(strstr(store_errmsg(s), "more than 2 rows"));
    struct org_list ol;
    assert_int_equal(store_org_list(s, &ol), ERR_LIMIT);
    assert_null(ol.v);
    store_limit_rows(s, 100000);
    assert_int_equal(store_account_list(s, &list, &n), ERR_OK);
    assert_true(n >= 3);
    free(list);
}

/* Opening: URLs of every form, and clear refusals. */
static void test_open(void **state)
{
    (void)state;
    struct store *t = NULL;
    /* a PostgreSQL server that is not there: why, and no password */
    assert_int_equal(
        store_open("postgresql://bidrag:hemligt@127.0.0.1:1/bidrag", STORE_OPEN_EXISTING, &t),
        ERR_STORE);
    assert_null(t);
    assert_non_null(strstr(store_open_error(), "cannot connect to 'postgresql://bidrag:***@"));
    assert_null(strstr(store_open_error(), "hemligt"));
    assert_int_equal(store_open("postgresql://127.0.0.1:1/bidrag?password=hemligt&user=bidrag",
                                STORE_OPEN_CREATE, &t),
                     ERR_STORE);
    assert_null(strstr(store_open_error(), "hemligt"));
    assert_int_equal(store_open("mysql://x/y", STORE_OPEN_CREATE, &t), ERR_INVALID);
    assert_non_null(strstr(store_open_error(), "unknown database scheme 'mysql'"));
    assert_int_equal(store_open("", STORE_OPEN_CREATE, &t), ERR_INVALID);
    assert_int_equal(store_open("sqlite:", STORE_OPEN_CREATE, &t), ERR_INVALID);
    assert_int_equal(store_open("sqlite:/nonexistent-dir/x.db", STORE_OPEN_EXISTING, &t),
                     ERR_NOTFOUND);
    assert_non_null(strstr(store_open_error(), "does not exist"));
    /* an in-memory database is a whole store of its own */
    assert_int_equal(store_open("sqlite::memory:", STORE_OPEN_EXISTING, &t), ERR_OK);
    long long n = -1;
    assert_int_equal(store_org_count(t, &n), ERR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_begin(t), ERR_OK);
    store_close(t); /* closes the open transaction too */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema),
        cmocka_unit_test(test_orgs),
        cmocka_unit_test(test_series),
        cmocka_unit_test(test_programs),
        cmocka_unit_test(test_accounts_and_grants),
        cmocka_unit_test(test_sessions),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_auth_gen),
        cmocka_unit_test(test_data_gen),
        cmocka_unit_test(test_throttle),
        cmocka_unit_test(test_audit),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_requisitions),
        cmocka_unit_test(test_idempotency),
        cmocka_unit_test(test_invitations),
        cmocka_unit_test(test_decisions_runs_plans),
        cmocka_unit_test(test_lists_and_counts),
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_case_entity),
        cmocka_unit_test(test_counters),
        cmocka_unit_test(test_nested_transactions),
        cmocka_unit_test(test_failed_statement_keeps_transaction),
        cmocka_unit_test(test_isolation),
        cmocka_unit_test(test_concurrent_writers),
        cmocka_unit_test(test_capped_growth),
        cmocka_unit_test(test_open),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
