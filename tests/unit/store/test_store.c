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

    /* rollback leaves nothing behind */
    assert_int_equal(store_begin(s), ERR_OK);
    str_copy(o.kommun_code, sizeof(o.kommun_code), "0114");
    o.region_code[0] = '\0';
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    store_rollback(s);
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

/* Invitations; idempotency keys per recipient and program; a message of
 * the longest length the service accepts comes back whole. */
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
    assert_int_equal(store_req_create(s, "p", "0114", 2026, "2026-03-05T10:00:00Z", "x", &a),
                     ERR_OK);
    assert_int_equal(store_req_create(s, "p", "0115", 2026, "2026-03-05T10:00:00Z", "y", &b),
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
    char cmd[900];
    snprintf(cmd, sizeof(cmd),
             "sqlite3 '%s' \"DROP TABLE req_idem; CREATE TABLE req_idem (key TEXT PRIMARY KEY, "
             "requisition_id INTEGER NOT NULL, version INTEGER NOT NULL, digest TEXT NOT NULL, "
             "at TEXT NOT NULL); INSERT INTO req_idem VALUES ('old-key', %lld, 1, 'd0', 't'); "
             "DROP TABLE org_invite; DELETE FROM schema_migration WHERE number >= 31\"",
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
        cmocka_unit_test(test_invites_idem_message),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
