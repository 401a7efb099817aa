/* test_store.c - the SQLite store: migrations, organisations, series, programs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_auth.h"
#include "store/store_req.h"
#include "util/str.h"

static char dbpath[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dbpath, sizeof(dbpath), "/tmp/bidrag-test-store-%d/x.db", (int)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf /tmp/bidrag-test-store-%d", (int)getpid());
    return system(cmd) == 0 ? 0 : -1;
}

static void test_open_missing(void **state)
{
    (void)state;
    struct store *s = NULL;
    assert_int_equal(store_open("/nonexistent/dir/x.db", STORE_OPEN_EXISTING, &s), ERR_NOTFOUND);
    assert_null(s);
    assert_non_null(strstr(store_open_error(), "does not exist"));
}

static void test_roundtrip(void **state)
{
    (void)state;
    struct store *s = NULL;
    assert_int_equal(store_open(dbpath, STORE_OPEN_CREATE, &s), ERR_OK);
    int applied = 0, avail = 0;
    assert_int_equal(store_schema_version(s, &applied, &avail), ERR_OK);
    assert_true(applied >= 1);
    assert_int_equal(applied, avail);

    struct org o;
    memset(&o, 0, sizeof(o));
    str_copy(o.name, sizeof(o.name), "Gotland");
    str_copy(o.kommun_code, sizeof(o.kommun_code), "0980");
    str_copy(o.region_code, sizeof(o.region_code), "09");
    str_copy(o.region_name, sizeof(o.region_name), "Region Gotland");
    str_copy(o.lan_code, sizeof(o.lan_code), "09");
    str_copy(o.lan_name, sizeof(o.lan_name), "Gotlands län");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    /* the same kommun code twice is a conflict */
    assert_int_equal(store_org_put(s, &o), ERR_CONFLICT);
    struct org_list l;
    assert_int_equal(store_org_list(s, &l), ERR_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].region_name, "Region Gotland");
    org_list_release(&l);

    struct series se;
    series_init(&se, SERIES_POPULATION);
    str_copy(se.name, sizeof(se.name), "folkmangd");
    date_parse("2024-12-31", &se.date);
    str_copy(se.source, sizeof(se.source), "test");
    assert_int_equal(series_push(&se, "0980", 60971), ERR_OK);
    assert_int_equal(store_series_put(s, &se, "2026-11-23T10:00:00Z"), ERR_OK);
    assert_int_equal(store_series_put(s, &se, "2026-11-23T10:00:01Z"), ERR_OK); /* replace */
    series_release(&se);
    struct series got;
    assert_int_equal(store_series_get(s, SERIES_POPULATION, "folkmangd", "2024-12-31", &got),
                     ERR_OK);
    int64_t v = 0;
    assert_true(series_get(&got, "0980", &v));
    assert_int_equal(v, 60971);
    series_release(&got);
    assert_int_equal(store_series_get(s, SERIES_POPULATION, "folkmangd", "2025-11-01", &got),
                     ERR_NOTFOUND);
    struct store_series_info *info = NULL;
    size_t n = 0;
    assert_int_equal(store_series_list(s, &info, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(info[0].count, 1);
    free(info);

    struct store_program p;
    memset(&p, 0, sizeof(p));
    str_copy(p.id, sizeof(p.id), "p1");
    str_copy(p.title, sizeof(p.title), "T");
    str_copy(p.diarienummer, sizeof(p.diarienummer), "S1");
    p.total_ore = 100;
    p.source = (char *)"[program]\n";
    struct store_program_file f = {"k.csv", (char *)"code,amount\n", 12};
    p.files = &f;
    p.nfiles = 1;
    assert_int_equal(store_program_put(s, &p), ERR_OK);
    struct store_program q;
    assert_int_equal(store_program_get(s, "p1", &q), ERR_OK);
    assert_string_equal(q.source, "[program]\n");
    assert_int_equal(q.nfiles, 1);
    assert_string_equal(q.files[0].content, "code,amount\n");
    store_program_release(&q);
    assert_int_equal(store_program_get(s, "nope", &q), ERR_NOTFOUND);

    /* rollback leaves nothing behind; store_in_transaction follows */
    assert_false(store_in_transaction(s));
    assert_int_equal(store_begin(s), ERR_OK);
    assert_true(store_in_transaction(s));
    str_copy(o.kommun_code, sizeof(o.kommun_code), "0114");
    o.region_code[0] = '\0';
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    store_rollback(s);
    assert_false(store_in_transaction(s));
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_commit(s), ERR_OK);
    assert_false(store_in_transaction(s));
    long long cnt = 0;
    assert_int_equal(store_org_count(s, &cnt), ERR_OK);
    assert_int_equal(cnt, 1);

    char bpath[300];
    snprintf(bpath, sizeof(bpath), "%s.bak", dbpath);
    assert_int_equal(store_backup(s, bpath), ERR_OK);
    store_close(s);
    assert_int_equal(store_open(bpath, STORE_OPEN_EXISTING, &s), ERR_OK);
    assert_int_equal(store_org_count(s, &cnt), ERR_OK);
    assert_int_equal(cnt, 1);
    store_close(s);
}

/* Database URLs: every form, and bad input refused with a reason. */
static void test_url(void **state)
{
    (void)state;
    char scheme[16], msg[256], out[64];
    const char *target = NULL;
    static const struct {
        const char *url, *scheme, *target;
    } good[] = {
        {"var/bidrag.db", "sqlite", "var/bidrag.db"},
        {"/srv/bidrag/bidrag.db", "sqlite", "/srv/bidrag/bidrag.db"},
        {"bidrag.db", "sqlite", "bidrag.db"},
        {"./a:b.db", "sqlite", "./a:b.db"},
        {"dir/a:b.db", "sqlite", "dir/a:b.db"},
        {"sqlite:var/bidrag.db", "sqlite", "var/bidrag.db"},
        {"SQLite:x.db", "sqlite", "x.db"},
        {"sqlite:///srv/b.db", "sqlite", "/srv/b.db"},
        {"sqlite::memory:", "sqlite", ":memory:"},
        {":memory:", "sqlite", ":memory:"},
        {"postgresql://u:p@h:5432/db", "postgresql", "postgresql://u:p@h:5432/db"},
        {"postgres://h/db", "postgresql", "postgres://h/db"},
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        assert_int_equal(store_url_parse(good[i].url, scheme, &target, msg, sizeof(msg)), ERR_OK);
        assert_string_equal(scheme, good[i].scheme);
        assert_string_equal(target, good[i].target);
    }
    static const struct {
        const char *url;
        enum err e;
        const char *msg;
    } bad[] = {
        {"", ERR_INVALID, "empty"},
        {"sqlite:", ERR_INVALID, "names no file"},
        {"sqlite://", ERR_INVALID, "names no file"},
        {"mysql://h/db", ERR_INVALID, "unknown database scheme 'mysql'"},
        {"file:x.db", ERR_INVALID, "unknown database scheme 'file'"},
        {"a:b.db", ERR_INVALID, "unknown database scheme 'a'"},
        {"averyveryverylongscheme:x", ERR_INVALID, "unknown database scheme"},
        {"postgresql:db", ERR_INVALID, "no postgresql://"},
        {"var/bi\ndrag.db", ERR_INVALID, "control character at byte 7"},
        {"sqlite:\x7f", ERR_INVALID, "control character"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(store_url_parse(bad[i].url, scheme, &target, msg, sizeof(msg)), bad[i].e);
        assert_non_null(strstr(msg, bad[i].msg));
        assert_null(target);
    }
    assert_int_equal(store_url_parse(NULL, scheme, &target, msg, sizeof(msg)), ERR_INVALID);
    char *longurl = malloc(STORE_URL_MAX + 2);
    assert_non_null(longurl);
    memset(longurl, 'a', STORE_URL_MAX + 1);
    longurl[STORE_URL_MAX + 1] = '\0';
    assert_int_equal(store_url_parse(longurl, scheme, &target, msg, sizeof(msg)), ERR_LIMIT);
    longurl[STORE_URL_MAX] = '\0';
    assert_int_equal(store_url_parse(longurl, scheme, &target, msg, sizeof(msg)), ERR_OK);
    free(longurl);

    /* passwords are never shown */
    store_url_safe("postgresql://bidrag:hemligt@db.example:5432/bidrag", out, sizeof(out));
    assert_string_equal(out, "postgresql://bidrag:***@db.example:5432/bidrag");
    store_url_safe("postgresql://bidrag@db.example/bidrag", out, sizeof(out));
    assert_string_equal(out, "postgresql://bidrag@db.example/bidrag");
    store_url_safe("postgresql://db.example:5432/a@b", out, sizeof(out));
    assert_string_equal(out, "postgresql://db.example:5432/a@b");
    store_url_safe("var/bidrag.db", out, sizeof(out));
    assert_string_equal(out, "var/bidrag.db");
    /* ... nor as a parameter, however its name is spelled to libpq */
    char longer[160];
    store_url_safe("postgresql://h/db?user=u&password=hemligt&sslmode=require", longer,
                   sizeof(longer));
    assert_string_equal(longer, "postgresql://h/db?user=u&password=***&sslmode=require");
    store_url_safe("postgresql://h/db?pass%77ord=hemligt", longer, sizeof(longer));
    assert_string_equal(longer, "postgresql://h/db?password=***");
    store_url_safe("postgresql://u:a@h/db?password=b#x", longer, sizeof(longer));
    assert_string_equal(longer, "postgresql://u:***@h/db?password=***#x");
    store_url_safe("postgresql://h/db?xpassword=visible&passwordx=visible", longer, sizeof(longer));
    assert_string_equal(longer, "postgresql://h/db?xpassword=visible&passwordx=visible");
    store_url_safe("postgresql://u:@h/db", out, sizeof(out)); /* an empty one */
    assert_string_equal(out, "postgresql://u:***@h/db");
    store_url_safe("postgresql://u:p@h/db", out, 12); /* cut short, never past the buffer */
    assert_string_equal(out, "postgresql:");

    /* the folder beside a database file */
    assert_int_equal(store_url_folder("sqlite:var/db/bidrag.db", out, sizeof(out)), ERR_OK);
    assert_string_equal(out, "var/db");
    assert_int_equal(store_url_folder("bidrag.db", out, sizeof(out)), ERR_OK);
    assert_string_equal(out, "");
    assert_int_equal(store_url_folder("/x.db", out, sizeof(out)), ERR_OK);
    assert_string_equal(out, "/");
    assert_int_equal(store_url_folder("sqlite::memory:", out, sizeof(out)), ERR_NOTFOUND);
    assert_int_equal(store_url_folder("postgresql://h/db", out, sizeof(out)), ERR_NOTFOUND);
    assert_int_equal(store_url_folder("sqlite:aaaaaaaaaaaaaaaa/b", out, 8), ERR_LIMIT);
}

/* Restore puts a checked backup in place and keeps the database before;
 * a file that is no database, or is from a newer build, is refused. */
static void test_restore(void **state)
{
    (void)state;
    struct store *s = NULL;
    char live[300], bak[300], junk[300], keep[400], msg[512], url[320];
    int schema = 0;
    long long n = 0;
    snprintf(live, sizeof(live), "%s.live", dbpath);
    snprintf(bak, sizeof(bak), "%s.live.bak", dbpath);
    snprintf(junk, sizeof(junk), "%s.junk", dbpath);
    snprintf(url, sizeof(url), "sqlite:%s", live);
    assert_int_equal(store_open(url, STORE_OPEN_CREATE, &s), ERR_OK);
    struct org o;
    memset(&o, 0, sizeof(o));
    str_copy(o.name, sizeof(o.name), "Ale");
    str_copy(o.kommun_code, sizeof(o.kommun_code), "1440");
    str_copy(o.lan_code, sizeof(o.lan_code), "14");
    str_copy(o.lan_name, sizeof(o.lan_name), "Västra Götalands län");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    assert_int_equal(store_backup(s, bak), ERR_OK);
    str_copy(o.kommun_code, sizeof(o.kommun_code), "1489");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    store_close(s);
    assert_int_equal(store_file_check(bak, msg, sizeof(msg)), ERR_OK);
    FILE *f = fopen(junk, "w");
    assert_non_null(f);
    fputs("not a database at all, just some text that is long enough to read\n", f);
    fclose(f);
    assert_int_not_equal(store_file_check(junk, msg, sizeof(msg)), ERR_OK);
    assert_int_not_equal(store_restore(url, junk, &schema, keep, sizeof(keep), msg, sizeof(msg)),
                         ERR_OK);
    assert_non_null(strstr(msg, "not a database"));
    assert_int_equal(store_restore(url, bak, &schema, keep, sizeof(keep), msg, sizeof(msg)),
                     ERR_OK);
    assert_true(schema >= 20);
    assert_non_null(strstr(keep, ".before-restore"));
    assert_int_equal(store_open(url, STORE_OPEN_EXISTING, &s), ERR_OK);
    assert_int_equal(store_org_count(s, &n), ERR_OK);
    assert_int_equal(n, 1); /* as at the backup */
    store_close(s);
    assert_int_equal(store_open(keep, STORE_OPEN_EXISTING, &s), ERR_OK);
    assert_int_equal(store_org_count(s, &n), ERR_OK);
    assert_int_equal(n, 2); /* the database before */
    store_close(s);
    assert_int_equal(
        store_restore("sqlite::memory:", bak, &schema, keep, sizeof(keep), msg, sizeof(msg)),
        ERR_INVALID);
    assert_int_equal(
        store_restore("postgresql://h/db", bak, &schema, keep, sizeof(keep), msg, sizeof(msg)),
        ERR_INVALID);
    assert_non_null(strstr(msg, "not for PostgreSQL"));
}

/* Invitations; idempotency keys per recipient and program; a message of
 * the longest length the service accepts comes back whole. */
/* Run SQL on the database file with the sqlite3 shell; its exit status. */
static int system_sql(const char *path, const char *sql)
{
    char cmd[3000];
    snprintf(cmd, sizeof(cmd), "sqlite3 '%s' \"%s\"", path, sql);
    return system(cmd);
}

static void test_invites_idem_message(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof(path), "%s.inv", dbpath);
    struct store *s = NULL;
    assert_int_equal(store_open(path, STORE_OPEN_CREATE, &s), ERR_OK);
    struct store_invite iv = {"0180", "nobody-yet", "representant", "olle", "2026-03-05T10:00:00Z"};
    assert_int_equal(store_invite_add(s, &iv), ERR_OK);
    assert_int_equal(store_invite_add(s, &iv), ERR_CONFLICT);
    str_copy(iv.role, sizeof(iv.role), "uppgiftssamordnare");
    assert_int_equal(store_invite_add(s, &iv), ERR_OK);
    str_copy(iv.org, sizeof(iv.org), "1480");
    assert_int_equal(store_invite_add(s, &iv), ERR_OK);
    str_copy(iv.role, sizeof(iv.role), "ombud"); /* never by invitation */
    assert_int_not_equal(store_invite_add(s, &iv), ERR_OK);
    struct store_invite *l = NULL;
    size_t n = 0;
    assert_int_equal(store_invite_list(s, "0180", NULL, &l, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(l[0].role, "representant");
    assert_string_equal(l[0].invited_by, "olle");
    free(l);
    assert_int_equal(store_invite_list(s, NULL, "nobody-yet", &l, &n), ERR_OK);
    assert_int_equal(n, 3);
    free(l);
    assert_int_equal(store_invite_remove(s, "0180", "nobody-yet", "representant"), ERR_OK);
    assert_int_equal(store_invite_remove(s, "0180", "nobody-yet", "representant"), ERR_NOTFOUND);

    /* the same key for two recipients of a program, and two programs */
    struct store_req a, b;
    assert_int_equal(
        store_req_create(s, "p", "0114", "REK-2026-000001", "2026-03-05T10:00:00Z", "x", &a),
        ERR_OK);
    assert_int_equal(
        store_req_create(s, "p", "0115", "REK-2026-000002", "2026-03-05T10:00:00Z", "y", &b),
        ERR_OK);
    assert_int_equal(store_req_idem_put(s, "0114", "p", "k", a.id, 1, "d1", "t"), ERR_OK);
    assert_int_equal(store_req_idem_put(s, "0115", "p", "k", b.id, 1, "d2", "t"), ERR_OK);
    assert_int_equal(store_req_idem_put(s, "0114", "p", "k", a.id, 2, "d3", "t"), ERR_CONFLICT);
    long long id = 0;
    int ver = 0;
    char dig[65];
    assert_int_equal(store_req_idem_get(s, "0115", "p", "k", &id, &ver, dig), ERR_OK);
    assert_int_equal(id, b.id);
    assert_string_equal(dig, "d2");
    assert_int_equal(store_req_idem_get(s, "0114", "q", "k", &id, &ver, dig), ERR_NOTFOUND);

    /* 2 000 characters of "ä": 4 000 bytes, kept whole */
    size_t o = 0;
    for (int i = 0; i < 2000; i++) {
        a.message[o++] = '\xc3';
        a.message[o++] = '\xa4';
    }
    a.message[o] = '\0';
    assert_int_equal(store_req_update(s, &a, a.revision, "2026-03-05T11:00:00Z", "h"), ERR_OK);
    struct store_req back;
    assert_int_equal(store_req_get_case(s, a.case_no, &back), ERR_OK);
    assert_int_equal(strlen(back.message), 4000);
    assert_int_equal(str_utf8_len(back.message, strlen(back.message)), 2000);
    store_close(s);

    /* migration 0031 scopes the keys of a database from before it */
    char cmd[1800], drops[2400] = "";
    /* and 0035's table and triggers */
    static const char *const gen_tables[] = {"org",           "series",       "series_value",
                                             "program",       "program_file", "req_decision",
                                             "req_redist_run"};
    for (size_t t = 0; t < sizeof(gen_tables) / sizeof(gen_tables[0]); t++)
        for (const char *op = "iud"; *op; op++) {
            size_t used = strlen(drops);
            snprintf(drops + used, sizeof(drops) - used, "DROP TRIGGER view_gen_%s_%c; ",
                     gen_tables[t], *op);
        }
    /* and 0045's */
    static const char *const auth_triggers[] = {
        "account_i",      "account_u", "account_d", "account_role_i", "account_role_u",
        "account_role_d", "session_u", "session_d", "api_token_u",    "api_token_d"};
    for (size_t t = 0; t < sizeof(auth_triggers) / sizeof(auth_triggers[0]); t++) {
        size_t used = strlen(drops);
        snprintf(drops + used, sizeof(drops) - used, "DROP TRIGGER auth_gen_%s; ",
                 auth_triggers[t]);
    }
    assert_int_equal(system_sql(path, drops), 0);
    /* and 0061's: its table and its triggers */
    static const char *const data_tables[] = {
        "org",           "series",      "series_value",    "program",
        "program_file",  "account",     "account_role",    "api_token",
        "audit",         "req_counter", "requisition",     "req_version",
        "req_measure",   "req_idem",    "req_decision",    "req_redist_run",
        "req_plan_blob", "org_invite",  "cases",           "case_versions",
        "case_idem",     "decisions",   "blobs",           "case_files",
        "case_notes",    "case_events", "program_standin", "outbox",
        "pay_batch",     "payment",     "pay_file",        "pay_settings",
        "pay_limit",     "ledger_cost"};
    assert_int_equal(system_sql(path, "DROP TABLE data_gen"), 0);
    for (size_t t = 0; t < sizeof(data_tables) / sizeof(data_tables[0]); t++) {
        char data_drops[400] = "";
        for (const char *op = "iud"; *op; op++) {
            size_t used = strlen(data_drops);
            snprintf(data_drops + used, sizeof(data_drops) - used,
                     "DROP TRIGGER IF EXISTS data_gen_%s_%c; ", data_tables[t], *op);
        }
        assert_int_equal(system_sql(path, data_drops), 0);
    }
    snprintf(cmd, sizeof(cmd),
             "sqlite3 '%s' \"DROP TABLE view_gen; DROP TABLE auth_gen; DROP TABLE req_idem; CREATE "
             "TABLE req_idem (key "
             "TEXT PRIMARY KEY, "
             "requisition_id INTEGER NOT NULL, version INTEGER NOT NULL, digest TEXT NOT NULL, "
             "at TEXT NOT NULL); INSERT INTO req_idem VALUES ('old-key', %lld, 1, 'd0', 't'); "
             "DROP TABLE org_invite; ALTER TABLE audit DROP COLUMN entity; ALTER TABLE audit "
             "DROP COLUMN rows_digest; ALTER TABLE audit DROP COLUMN key_id; ALTER TABLE audit "
             "DROP COLUMN sig; ALTER TABLE req_version DROP COLUMN extra_cap_ore; ALTER TABLE org "
             "DROP COLUMN official_name; DROP TABLE "
             "case_events; DROP TABLE case_notes; DROP TABLE case_files; "
             "DROP TABLE blobs; DROP TABLE decisions; DROP TABLE case_idem; DROP TABLE "
             "case_versions; DROP TABLE cases; DROP TABLE program_standin; DROP TABLE outbox; "
             "DROP TABLE pay_file; DROP TABLE payment; DROP TABLE pay_batch; DROP TABLE "
             "pay_settings; DROP TABLE pay_limit; DROP TABLE ledger_cost; DELETE FROM "
             "schema_migration WHERE number >= 31\"",
             path, a.id);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s), ERR_OK);
    assert_int_equal(store_req_idem_get(s, "0114", "p", "old-key", &id, &ver, dig), ERR_OK);
    assert_int_equal(id, a.id);
    assert_int_equal(store_req_idem_get(s, "0115", "p", "old-key", &id, &ver, dig), ERR_NOTFOUND);
    assert_int_equal(store_invite_list(s, NULL, NULL, &l, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(l);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_url),
        cmocka_unit_test(test_restore),
        cmocka_unit_test(test_invites_idem_message),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
