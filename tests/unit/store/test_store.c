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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_roundtrip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
