/* test_copy.c - store_copy (bidrag db copy) between two SQLite files: the
 * list of tables is the schema's (every table but schema_migration),
 * every row and byte arrives (compared through sqlite3 itself, not
 * through the store), money is summed per table, a target with rows is
 * refused, and a failure anywhere - a table, the check - leaves the
 * target as empty as it was. The same copy into PostgreSQL and back is
 * tests/pg/test_pg.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "store/store.h"
#include "store/store_auth.h"
#include "store/store_case.h"
#include "store/store_copy.h"
#include "store/store_redist.h"
#include "store/store_ledger.h"
#include "store/store_pay.h"
#include "store/store_outbox.h"
#include "store/store_standin.h"
#include "store/store_req.h"
#include "util/buf.h"
#include "util/str.h"

#define SET(dst, v) str_copy(dst, sizeof(dst), v)

static char dir[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/bidrag-test-copy-%d", (int)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static struct store *open_db(const char *name, char *path, size_t n)
{
    struct store *s = NULL;
    snprintf(path, n, "%s/%s", dir, name);
    assert_int_equal(store_open(path, STORE_OPEN_CREATE, &s), ERR_OK);
    return s;
}

/* Rows in every table the copy knows, with text, blobs, NULLs and money. */
static void fill(struct store *s)
{
    struct org o;
    memset(&o, 0, sizeof(o));
    /* the views' and the auth generation first: the rows below bump them */
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_view_gen_init(s), ERR_OK);
    assert_int_equal(store_auth_gen_init(s), ERR_OK);
    assert_int_equal(store_data_gen_init(s), ERR_OK);
    assert_int_equal(store_commit(s), ERR_OK);
    SET(o.name, "Gotland");
    SET(o.kommun_code, "0980");
    SET(o.region_code, "09");
    SET(o.region_name, "Region Gotland");
    SET(o.lan_code, "09");
    SET(o.lan_name, "Gotlands län");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    SET(o.name, "Ale");
    SET(o.kommun_code, "1440");
    SET(o.region_code, "");
    SET(o.region_name, "");
    assert_int_equal(store_org_put(s, &o), ERR_OK);
    struct series se;
    series_init(&se, SERIES_POPULATION);
    SET(se.name, "folkmängd");
    assert_int_equal(date_parse("2024-12-31", &se.date), ERR_OK);
    SET(se.source, "scb.csv");
    SET(se.sha256, "ab");
    assert_int_equal(series_push(&se, "0980", 61000), ERR_OK);
    assert_int_equal(series_push(&se, "1440", 32000), ERR_OK);
    assert_int_equal(store_series_put(s, &se, "2026-01-01T00:00:00Z"), ERR_OK);
    series_release(&se);
    static const char bin[] = {'\0', 'x', (char)0xff, '\n'};
    struct store_program_file f = {"nyckel.bin", (char *)bin, sizeof(bin)};
    struct store_program p;
    memset(&p, 0, sizeof(p));
    SET(p.id, "prov-2026");
    SET(p.title, "Provbidraget");
    SET(p.diarienummer, "S2026/1");
    p.total_ore = 101300000000LL;
    SET(p.source_name, "prov.ini");
    p.source = (char *)"[program]\nid = prov-2026\n";
    SET(p.loaded_at, "2026-01-01T00:00:00Z");
    p.files = &f;
    p.nfiles = 1;
    assert_int_equal(store_program_put(s, &p), ERR_OK);
    struct store_standin sd;
    memset(&sd, 0, sizeof(sd));
    SET(sd.program, "prov-2026");
    SET(sd.basis, "block 1: population 2024-12-31 for 2025-11-01\n");
    SET(sd.reason, "Regeringen har godtagit befolkningen 31 december");
    SET(sd.confirmed_by, "hanna");
    SET(sd.confirmed_at, "2026-01-02T00:00:00Z");
    assert_int_equal(store_standin_add(s, &sd), ERR_OK);
    struct store_outbox ob;
    int queued = 0;
    memset(&ob, 0, sizeof(ob));
    SET(ob.event, "submitted");
    SET(ob.object, "REK-2026-000001");
    SET(ob.dedup, "submitted:REK-2026-000001:v1");
    SET(ob.to_addr, "a@example.se");
    SET(ob.lang, "sv");
    SET(ob.subject, "Kvittens: rekvisitionen REK-2026-000001 är mottagen");
    SET(ob.body, "Rad ett\n\nRad två\n");
    SET(ob.created_at, "2026-04-15T10:00:00Z");
    assert_int_equal(store_outbox_add(s, &ob, &queued), ERR_OK);
    assert_int_equal(queued, 1);
    struct store_account a;
    long long id = 0;
    memset(&a, 0, sizeof(a));
    SET(a.login, "anna");
    SET(a.name, "Anna Åström");
    SET(a.created_at, "2026-01-01T00:00:00Z"); /* no password: NULL */
    assert_int_equal(store_account_add(s, &a, &id), ERR_OK);
    assert_int_equal(store_grant_add(s, id, "ombud", "0980", "2026-01-01T00:00:00Z"), ERR_OK);
    struct store_session ss = {"sess", id, "0980", 1, "csrf", 10, 20};
    assert_int_equal(store_session_put(s, &ss), ERR_OK);
    struct store_token t;
    memset(&t, 0, sizeof(t));
    t.account_id = id;
    SET(t.name, "skript");
    SET(t.hash, "tokhash");
    SET(t.created_at, "2026-01-01T00:00:00Z");
    assert_int_equal(store_token_add(s, &t, NULL), ERR_OK);
    struct store_throttle th = {2, 100, 0};
    assert_int_equal(store_throttle_put(s, "addr", "192.0.2.7", &th), ERR_OK);
    struct store_audit au;
    memset(&au, 0, sizeof(au));
    au.seq = 1;
    SET(au.at, "2026-01-01T00:00:00Z");
    SET(au.actor, "anna");
    SET(au.action, "prov");
    SET(au.object, "x");
    SET(au.prev, "genesis");
    SET(au.hash, "h1");
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_audit_insert(s, &au), ERR_OK);
    long long n = 0;
    assert_int_equal(store_counter_next(s, "REK", 2026, &n), ERR_OK);
    assert_int_equal(store_commit(s), ERR_OK);
    struct store_req r;
    assert_int_equal(store_req_create(s, "prov-2026", "0980", "REK-2026-000001",
                                      "2026-03-01T10:00:00Z", "anna", &r),
                     ERR_OK);
    struct req_form form;
    req_form_init(&form);
    form.amount_ore = 250000000;
    SET(form.contact_name, "Åsa");
    SET(form.account_kind, "bankgiro");
    SET(form.account, "5050-1055");
    form.opt_in = 1;
    form.confirmed = 1;
    SET(form.plan.sha256, "plan1");
    assert_int_equal(req_measure_add(&form, "vfu", "Insats: räksmörgås", 250000000), ERR_OK);
    assert_int_equal(store_req_form_put(s, r.id, 1, &form, "2026-03-01T10:00:00Z", "anna"), ERR_OK);
    req_form_release(&form);
    assert_int_equal(
        store_req_idem_put(s, "0980", "prov-2026", "k1", r.id, 1, "d", "2026-03-01T10:00:00Z"),
        ERR_OK);
    struct store_redist_run run;
    memset(&run, 0, sizeof(run));
    SET(run.program, "prov-2026");
    SET(run.block, "1");
    run.unrequisitioned_ore = 5000;
    run.redistributed_ore = 4999;
    run.remaining_ore = 1;
    SET(run.run_at, "2026-11-01T00:00:00Z");
    SET(run.run_by, "h");
    assert_int_equal(store_redist_run_add(s, &run), ERR_OK);
    struct store_req_decision d;
    memset(&d, 0, sizeof(d));
    SET(d.number, "BES-2026-000001");
    d.req_id = r.id;
    SET(d.kind, "original");
    d.amount_ore = 250000000;
    SET(d.decided_on, "2026-04-01");
    SET(d.decided_at, "2026-04-01T10:00:00Z");
    SET(d.decided_by, "h");
    assert_int_equal(store_req_decision_add(s, &d), ERR_OK);
    SET(d.number, "BES-2026-000002");
    SET(d.kind, "supplementary");
    d.amount_ore = 4999;
    d.run_id = run.id;
    assert_int_equal(store_req_decision_add(s, &d), ERR_OK);
    assert_int_equal(store_req_plan_put(s, "plan1", "application/pdf", bin, sizeof(bin)), ERR_OK);
    /* the case engine's tables */
    struct store_case c;
    memset(&c, 0, sizeof(c));
    SET(c.kind, "requisition");
    SET(c.number, "REK-2026-900001");
    SET(c.program, "prov-2026");
    SET(c.party, "0980");
    SET(c.subject, "prov-2026/0980");
    assert_int_equal(store_case_create(s, &c, "2026-03-01T10:00:00Z", "anna"), ERR_OK);
    struct store_case_version cv = {1,
                                    (char *)"{\"amount_ore\":250000000,\"text\":\"räksmörgås\"}",
                                    "d1",
                                    250000000,
                                    "2026-03-01T10:00:00Z",
                                    "anna"};
    assert_int_equal(store_case_version_put(s, c.id, &cv), ERR_OK);
    assert_int_equal(store_case_idem_put(s, "0980", "k1", c.id, 1, "d1", "2026-03-01T10:00:00Z"),
                     ERR_OK);
    struct store_case_decision cd;
    memset(&cd, 0, sizeof(cd));
    SET(cd.number, "BES-2026-900001");
    cd.case_id = c.id;
    SET(cd.kind, "partly_approved");
    cd.amount_ore = 200000000;
    SET(cd.reasons, "Åtgärd 2 ligger utanför syftet.");
    SET(cd.decided_on, "2026-04-01");
    SET(cd.decided_at, "2026-04-01T10:00:00Z");
    SET(cd.decided_by, "h");
    cd.run_id = -1;
    assert_int_equal(store_case_decision_add(s, &cd), ERR_OK);
    assert_int_equal(store_case_blob_put(s, "blob1", "application/pdf", bin, sizeof(bin)), ERR_OK);
    struct store_case_file cf = {0,     "plan", "plan.pdf", "blob1", "", 0, "2026-03-01T10:00:00Z",
                                 "anna"};
    assert_int_equal(store_case_file_put(s, c.id, &cf), ERR_OK);
    long long note = 0;
    assert_int_equal(store_case_note_add(s, c.id, "Ring.", "2026-03-02T10:00:00Z", "h", &note),
                     ERR_OK);
    struct store_case_event ev = {0, "submit", 1, "", "2026-03-01T10:00:00Z", "anna"};
    assert_int_equal(store_case_event_add(s, c.id, &ev), ERR_OK);
    struct store_invite iv = {"0980", "bo", "representant", "anna", "2026-03-01T10:00:00Z"};
    assert_int_equal(store_invite_add(s, &iv), ERR_OK);
    /* paying out: a batch with a payment and its file, the settings, a limit */
    struct store_pay_batch pb;
    memset(&pb, 0, sizeof(pb));
    SET(pb.number, "UTB-2026-0001");
    SET(pb.b.id, "UTB-2026-0001");
    SET(pb.b.prepared_by, "h");
    SET(pb.created_at, "2026-03-03T10:00:00Z");
    SET(pb.created_by, "h");
    assert_int_equal(store_pay_batch_add(s, &pb), ERR_OK);
    struct store_payment py;
    memset(&py, 0, sizeof(py));
    SET(py.p.decision, "BES-2026-000001");
    py.p.seq = 1;
    py.p.issue = 1;
    SET(py.p.case_no, "REK-2026-000001");
    SET(py.program, "p");
    SET(py.recipient, "0114");
    SET(py.p.diarienummer, "S2026/1");
    py.p.amount = 1234567;
    assert_int_equal(date_parse("2026-03-03", &py.p.due), ERR_OK);
    py.p.payee.kind = PAYMENT_ACCT_BANKGIRO;
    SET(py.p.payee.number, "50501055");
    SET(py.p.payee.name, "Upplands Väsby kommun");
    SET(py.created_at, "2026-03-03T10:00:00Z");
    SET(py.created_by, "h");
    SET(py.updated_at, "2026-03-03T10:00:00Z");
    SET(py.updated_by, "h");
    py.batch_id = -1;
    assert_int_equal(store_pay_add(s, &py), ERR_OK);
    py.batch_id = pb.id;
    py.p.state = PAYMENT_IN_BATCH;
    assert_int_equal(store_pay_update(s, &py), ERR_OK);
    struct store_pay_file pf;
    memset(&pf, 0, sizeof(pf));
    SET(pf.msg_id, "UTB-2026-0001-1");
    pf.batch_id = pb.id;
    SET(pf.created, "2026-03-03T11:00:00");
    SET(pf.today, "2026-03-03");
    SET(pf.sha256, "00");
    pf.content = "<Document/>";
    pf.len = strlen(pf.content);
    SET(pf.state, "live");
    SET(pf.made_at, "2026-03-03T10:00:00Z");
    SET(pf.made_by, "h");
    assert_int_equal(store_pay_file_add(s, &pf), ERR_OK);
    struct store_pay_settings ps = {"danske", "Socialstyrelsen", "SE4550000000058398257466", "",
                                    "2021005703"};
    assert_int_equal(store_pay_settings_put(s, &ps, "2026-03-03T10:00:00Z", "admin"), ERR_OK);
    assert_int_equal(store_pay_limit_put(s, "atte", 100000000, "2026-03-03T10:00:00Z", "admin"),
                     ERR_OK);
    struct store_ledger_cost lc = {0,
                                   "kompetens-2026",
                                   "12",
                                   -1250050,
                                   "2026-03-03",
                                   "Rättelse: konsultfaktura ”Å”",
                                   "2026-03-03T10:00:00Z",
                                   "eva"};
    assert_int_equal(store_ledger_cost_add(s, &lc), ERR_OK);
}

/* The tables of the SQLite file at path, but schema_migration, by name. */
static size_t schema_tables(const char *path, char names[][64], size_t max)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                                        " AND name NOT LIKE 'sqlite%' AND name <>"
                                        " 'schema_migration' ORDER BY name",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW && n < max)
        SET(names[n++], (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* Every row of table in a canonical form (each value's type, length and
 * bytes), rows in the order of all their columns. */
static void dump_table(const char *path, const char *table, struct buf *out)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char sql[512];
    buf_reset(out);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    snprintf(sql, sizeof(sql), "SELECT * FROM %s", table);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    int ncols = sqlite3_column_count(st);
    sqlite3_finalize(st);
    size_t o = (size_t)snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY 1", table);
    for (int i = 2; i <= ncols; i++)
        o += (size_t)snprintf(sql + o, sizeof(sql) - o, ", %d", i);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < ncols; i++) {
            int type = sqlite3_column_type(st, i);
            const void *p = type == SQLITE_BLOB ? sqlite3_column_blob(st, i)
                                                : (const void *)sqlite3_column_text(st, i);
            int len = sqlite3_column_bytes(st, i);
            assert_int_equal(buf_printf(out, "%d:%d:", type, len), ERR_OK);
            if (len > 0)
                assert_int_equal(buf_append(out, p, (size_t)len), ERR_OK);
            assert_int_equal(buf_puts(out, "|"), ERR_OK);
        }
        assert_int_equal(buf_puts(out, "\n"), ERR_OK);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static long long count_rows(const char *path, const char *table)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char sql[200];
    long long n = -1;
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", table);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* The copy's list of tables is the schema's, so that a migration adding
 * a table cannot leave it behind in a copy. */
static void test_every_table(void **state)
{
    (void)state;
    char path[256], names[STORE_COPY_MAX_TABLES][64];
    struct store *s = open_db("schema.db", path, sizeof(path));
    store_close(s);
    size_t n = schema_tables(path, names, STORE_COPY_MAX_TABLES), ncopy = 0;
    const char *const *copied = store_copy_tables(&ncopy);
    assert_true(n >= 20);
    assert_true(ncopy <= STORE_COPY_MAX_TABLES);
    for (size_t i = 0; i < n; i++) {
        int found = 0;
        for (size_t k = 0; k < ncopy; k++)
            found += strcmp(names[i], copied[k]) == 0;
        if (found != 1)
            fail_msg("table '%s' is copied %d times (store_copy.c's list)", names[i], found);
    }
    assert_int_equal(ncopy, n);
}

/* The data generation (migration 0061) is bumped by a change to every
 * table a page can show: each table has its three triggers, or is named
 * here as one no page shows (or the generation tables themselves), so
 * that a migration adding a table cannot leave kept pages stale. */
static void test_data_gen_watches_every_table(void **state)
{
    (void)state;
    static const char *const unwatched[] = {"session",  "login_throttle", "audit_head",
                                            "view_gen", "auth_gen",       "data_gen"};
    char path[256], names[STORE_COPY_MAX_TABLES][64];
    struct store *s = open_db("gen.db", path, sizeof(path));
    store_close(s);
    size_t n = schema_tables(path, names, STORE_COPY_MAX_TABLES);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (size_t i = 0; i < n; i++) {
        int skip = 0;
        for (size_t k = 0; k < sizeof(unwatched) / sizeof(unwatched[0]); k++)
            skip |= strcmp(names[i], unwatched[k]) == 0;
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT group_concat(sql, ' ') FROM sqlite_master"
                                            " WHERE type = 'trigger' AND tbl_name = ?"
                                            " AND name LIKE 'data_gen_%'",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, names[i], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        const char *sql = (const char *)sqlite3_column_text(st, 0);
        int ins = sql && strstr(sql, "AFTER INSERT ON") != NULL;
        int upd = sql && strstr(sql, "AFTER UPDATE ON") != NULL;
        int del = sql && strstr(sql, "AFTER DELETE ON") != NULL;
        int bumps = sql && strstr(sql, "UPDATE data_gen SET n = n + 1") != NULL;
        sqlite3_finalize(st);
        if (skip && sql)
            fail_msg("table '%s' is named as not watched but has data_gen triggers", names[i]);
        if (!skip && !(ins && upd && del && bumps))
            fail_msg("table '%s': a change to it does not bump data_gen (migration 0061: add "
                     "its triggers, or name it in this test if no page shows it)",
                     names[i]);
    }
    sqlite3_close(db);
}

static void test_copy_all(void **state)
{
    (void)state;
    char from_path[256], to_path[256];
    struct store *from = open_db("from.db", from_path, sizeof(from_path));
    struct store *to = open_db("to.db", to_path, sizeof(to_path));
    struct store_copy_report r;
    fill(from);
    assert_int_equal(store_copy(from, to, NULL, &r), ERR_OK);
    assert_int_equal(store_depth(from), 0);
    assert_int_equal(store_depth(to), 0);
    /* every table, row and byte, as sqlite3 reads them */
    char names[STORE_COPY_MAX_TABLES][64];
    size_t n = schema_tables(from_path, names, STORE_COPY_MAX_TABLES);
    struct buf a, b;
    buf_init(&a, 1 << 24);
    buf_init(&b, 1 << 24);
    long long rows = 0;
    for (size_t i = 0; i < n; i++) {
        dump_table(from_path, names[i], &a);
        dump_table(to_path, names[i], &b);
        if (a.len == 0)
            fail_msg("table '%s' has no rows to copy in this test", names[i]);
        if (a.len != b.len || memcmp(a.p, b.p, a.len) != 0)
            fail_msg("table '%s' differs after the copy", names[i]);
        rows += count_rows(from_path, names[i]);
    }
    buf_release(&a);
    buf_release(&b);
    assert_int_equal(r.ntables, n);
    assert_int_equal(r.rows, rows);
    /* the money of each table */
    int seen = 0;
    for (size_t i = 0; i < r.ntables; i++) {
        const struct store_copy_table *t = &r.tables[i];
        if (strcmp(t->name, "req_decision") == 0) {
            assert_int_equal(t->rows, 2);
            assert_int_equal(t->nmoney, 1);
            assert_string_equal(t->money[0].column, "amount_ore");
            assert_int_equal(t->money[0].sum, 250004999);
            seen++;
        } else if (strcmp(t->name, "req_redist_run") == 0) {
            assert_int_equal(t->nmoney, 3);
            assert_int_equal(t->money[0].sum + t->money[1].sum + t->money[2].sum, 10000);
            seen++;
        } else if (strcmp(t->name, "program") == 0) {
            assert_int_equal(t->money[0].sum, 101300000000LL);
            seen++;
        }
    }
    assert_int_equal(seen, 3);
    /* the target goes on: new ids after the copied ones */
    struct org o;
    long long count = 0;
    memset(&o, 0, sizeof(o));
    SET(o.name, "Alingsås");
    SET(o.kommun_code, "1489");
    SET(o.lan_code, "14");
    SET(o.lan_name, "Västra Götalands län");
    assert_int_equal(store_org_put(to, &o), ERR_OK);
    assert_int_equal(store_org_count(to, &count), ERR_OK);
    assert_int_equal(count, 3);

    /* a target with rows is refused and keeps them */
    assert_int_equal(store_copy(from, to, NULL, &r), ERR_CONFLICT);
    assert_non_null(strstr(r.msg, "is not empty: table 'org' has 3 rows"));
    assert_int_equal(r.ntables, 0);
    assert_int_equal(store_org_count(to, &count), ERR_OK);
    assert_int_equal(count, 3);
    store_close(to);
    store_close(from);
}

static enum err refuse(void *ctx, struct store *from, struct store *to, char *msg, size_t n)
{
    int *called = ctx;
    long long orgs = 0;
    (*called)++;
    /* it sees the copied rows, in the copy's transaction */
    assert_int_equal(store_org_count(to, &orgs), ERR_OK);
    assert_int_equal(orgs, 2);
    assert_int_equal(store_depth(to), 1);
    assert_int_equal(store_depth(from), 1);
    snprintf(msg, n, "the check says no");
    return ERR_INVALID;
}

/* A failure at any point undoes the whole copy: the target stays empty. */
static void test_all_or_nothing(void **state)
{
    (void)state;
    char from_path[256], to_path[256], to2_path[256];
    struct store *from = open_db("from2.db", from_path, sizeof(from_path));
    struct store *to = open_db("to2.db", to_path, sizeof(to_path));
    struct store_copy_report r;
    int called = 0;
    fill(from);
    struct store_copy_check check = {refuse, &called};
    assert_int_equal(store_copy(from, to, &check, &r), ERR_INVALID);
    assert_int_equal(called, 1);
    assert_string_equal(r.msg, "the check says no");
    assert_int_equal(store_depth(to), 0);
    assert_int_equal(count_rows(to_path, "org"), 0);
    assert_int_equal(count_rows(to_path, "audit"), 0);
    store_close(to);

    /* a table the target will not take, half-way through the list */
    sqlite3 *db = NULL;
    struct store *to2 = open_db("to3.db", to2_path, sizeof(to2_path));
    assert_int_equal(sqlite3_open(to2_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TRIGGER no_decisions BEFORE INSERT ON req_decision"
                                  " BEGIN SELECT RAISE(ABORT, 'no decisions here'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_copy(from, to2, NULL, &r), ERR_CONFLICT);
    assert_non_null(strstr(r.msg, "table 'req_decision'"));
    assert_non_null(strstr(r.msg, "no decisions here"));
    assert_int_equal(count_rows(to2_path, "org"), 0);
    assert_int_equal(count_rows(to2_path, "requisition"), 0);
    /* and the source is free again */
    assert_int_equal(store_depth(from), 0);
    struct store_account a;
    memset(&a, 0, sizeof(a));
    SET(a.login, "efter");
    SET(a.name, "E");
    SET(a.created_at, "2026-01-01T00:00:00Z");
    assert_int_equal(store_account_add(from, &a, NULL), ERR_OK);
    store_close(to2);
    store_close(from);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_table),
        cmocka_unit_test(test_data_gen_watches_every_table),
        cmocka_unit_test(test_copy_all),
        cmocka_unit_test(test_all_or_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
