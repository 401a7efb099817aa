/* test_pg_driver.c - what the PostgreSQL driver does beyond the store
 * contract (tests/unit/store/test_contract.c), against the real server
 * that tests/pg/test_pg.sh starts: BIDRAG_TEST_DB_URL is an empty
 * database, BIDRAG_TEST_PG_LATIN1_URL one in LATIN1. Each SQLSTATE the
 * store tells apart, raised by the server itself; bytes of every value;
 * a statement run while another one's rows are still arriving; a lost
 * connection made again; the write lock waited for and given up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/driver.h"
#include "store/sql.h"
#include "store/store.h"
#include "store/store_req.h"
#include "util/buf.h"

static const char *url;
static struct store *s;

static int setup(void **state)
{
    (void)state;
    url = getenv("BIDRAG_TEST_DB_URL");
    if (!url || strncmp(url, "postgresql:", 11) != 0) {
        fprintf(stderr, "BIDRAG_TEST_DB_URL must name a PostgreSQL database\n");
        return -1;
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
    store_close(s);
    return 0;
}

/* Raise SQLSTATE state in the server; the store's error and fault. */
static enum err raise_state(const char *state)
{
    char sql[200];
    snprintf(sql, sizeof(sql),
             "DO $$ BEGIN RAISE EXCEPTION 'raised %s' USING ERRCODE = '%s'; END $$", state, state);
    store_fault_clear(s);
    return sql_exec(s, "raise", sql, SQL_NOARGS, NULL);
}

static void test_sqlstates(void **state)
{
    (void)state;
    static const struct {
        const char *state;
        enum err e;
        enum store_fault fault;
    } cases[] = {
        {"23505", ERR_CONFLICT, STORE_FAULT_NONE}, /* unique */
        {"23514", ERR_CONFLICT, STORE_FAULT_NONE}, /* check */
        {"23503", ERR_CONFLICT, STORE_FAULT_NONE}, /* foreign key */
        {"23000", ERR_CONFLICT, STORE_FAULT_NONE}, /* the frozen versions' trigger */
        {"40001", ERR_LIMIT, STORE_FAULT_NONE},    /* serialization: run it again */
        {"40P01", ERR_LIMIT, STORE_FAULT_NONE},    /* deadlock: run it again */
        {"55P03", ERR_LIMIT, STORE_FAULT_NONE},    /* lock wait timed out */
        {"53100", ERR_STORE, STORE_FAULT_FULL},    /* disk full */
        {"25006", ERR_STORE, STORE_FAULT_READONLY}, {"XX001", ERR_STORE, STORE_FAULT_DAMAGED},
        {"58030", ERR_STORE, STORE_FAULT_IO},       {"22P02", ERR_INVALID, STORE_FAULT_NONE},
        {"42P01", ERR_STORE, STORE_FAULT_NONE},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(raise_state(cases[i].state), cases[i].e);
        assert_int_equal(store_fault(s), cases[i].fault);
        char want[32];
        snprintf(want, sizeof(want), "raised %s", cases[i].state);
        assert_non_null(strstr(store_errmsg(s), want));
    }
    /* inside a transaction too, which goes on afterwards */
    int64_t v = 0;
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(raise_state("40P01"), ERR_LIMIT);
    assert_int_equal(sql_int(s, "after", "SELECT 41 + 1", SQL_NOARGS, &v), ERR_OK);
    assert_int_equal(v, 42);
    assert_int_equal(store_commit(s), ERR_OK);
    store_fault_clear(s);
}

/* The database itself read-only (a standby, or turned so): writes fail
 * with the read-only fault and the store says it is read-only. */
static void test_read_only(void **state)
{
    (void)state;
    assert_false(store_readonly(s));
    assert_int_equal(sql_exec(s, "ro", "SET default_transaction_read_only = on", SQL_NOARGS, NULL),
                     ERR_OK);
    assert_true(store_readonly(s));
    store_fault_clear(s);
    assert_int_equal(store_req_plan_put(s, "ro-plan", "text/plain", "x", 1), ERR_STORE);
    assert_int_equal(store_fault(s), STORE_FAULT_READONLY);
    assert_int_equal(sql_exec(s, "rw", "SET default_transaction_read_only = off", SQL_NOARGS, NULL),
                     ERR_OK);
    assert_false(store_readonly(s));
    store_fault_clear(s);
    char msg[200];
    assert_int_equal(store_quick_check(s, msg, sizeof(msg)), ERR_OK);
}

/* Bytes of every value, and a large one, come back as they went in. */
static void test_bytes(void **state)
{
    (void)state;
    size_t big = 3u << 20;
    unsigned char all[256];
    char *large = malloc(big);
    assert_non_null(large);
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    for (size_t i = 0; i < big; i++)
        large[i] = (char)(i * 7919 % 251);
    assert_int_equal(store_req_plan_put(s, "all-bytes", "application/octet-stream", all, 256),
                     ERR_OK);
    assert_int_equal(store_req_plan_put(s, "large", "application/pdf", large, big), ERR_OK);
    assert_int_equal(store_req_plan_put(s, "empty", "text/plain", "", 0), ERR_OK);
    struct buf b;
    char type[80];
    buf_init(&b, 8u << 20);
    assert_int_equal(store_req_plan_get(s, "all-bytes", type, sizeof(type), &b), ERR_OK);
    assert_int_equal(b.len, 256);
    assert_memory_equal(b.p, all, 256);
    buf_reset(&b);
    assert_int_equal(store_req_plan_get(s, "large", type, sizeof(type), &b), ERR_OK);
    assert_int_equal(b.len, big);
    assert_memory_equal(b.p, large, big);
    buf_reset(&b);
    assert_int_equal(store_req_plan_get(s, "empty", type, sizeof(type), &b), ERR_OK);
    assert_int_equal(b.len, 0);
    assert_string_equal(type, "text/plain");
    buf_release(&b);
    free(large);
}

struct nested {
    struct store *s;
    int rows;
    long long sum;
};

static int nested_row(void *ctx, void *row)
{
    struct nested *n = ctx;
    int64_t v = *(int64_t *)row, twice = 0;
    /* another statement on the same connection while rows still arrive */
    assert_int_equal(sql_int(n->s, "twice", "SELECT ? * 2", SQL_ARGS(SQL_INT(v)), &twice), ERR_OK);
    assert_int_equal(twice, 2 * v);
    n->rows++;
    n->sum += v;
    return 0;
}

static void test_statement_while_streaming(void **state)
{
    (void)state;
    static const struct sql_col cols[] = {{SQL_C_INT_T, 0, sizeof(int64_t), 0, NULL}};
    static const struct sql_map map = {cols, 1, sizeof(int64_t)};
    struct nested n = {s, 0, 0};
    int64_t row = 0;
    assert_int_equal(sql_each(s, "series", "SELECT g FROM generate_series(1, 5000) g", SQL_NOARGS,
                              &map, &row, nested_row, &n),
                     ERR_OK);
    assert_int_equal(n.rows, 5000);
    assert_int_equal(n.sum, 5000LL * 5001 / 2);
    /* a stream left half-read is put away when the statement ends */
    int64_t *first = NULL;
    size_t cnt = 0;
    store_limit_rows(s, 10);
    assert_int_equal(sql_list(s, "capped", "SELECT g FROM generate_series(1, 100000) g", SQL_NOARGS,
                              &map, (void **)&first, &cnt),
                     ERR_LIMIT);
    store_limit_rows(s, 10 * 1000 * 1000);
    int64_t v = 0;
    assert_int_equal(sql_int(s, "after", "SELECT 7", SQL_NOARGS, &v), ERR_OK);
    assert_int_equal(v, 7);
}

/* A connection the server ended: the statement in flight fails as a lost
 * connection (an I/O fault), the next one reconnects. */
static void test_reconnect(void **state)
{
    (void)state;
    struct store *t = NULL;
    int64_t pid = 0, v = 0;
    assert_int_equal(store_open(url, STORE_OPEN_EXISTING, &t), ERR_OK);
    assert_int_equal(sql_int(t, "pid", "SELECT pg_backend_pid()", SQL_NOARGS, &pid), ERR_OK);
    assert_int_equal(sql_int(s, "end",
                             "SELECT CASE WHEN pg_terminate_backend(CAST(? AS integer), 5000)"
                             " THEN 1 ELSE 0 END",
                             SQL_ARGS(SQL_INT(pid)), &v),
                     ERR_OK);
    assert_int_equal(v, 1);
    assert_int_not_equal(sql_int(t, "lost", "SELECT 1", SQL_NOARGS, &v), ERR_OK);
    assert_int_equal(store_fault(t), STORE_FAULT_IO);
    assert_non_null(strstr(store_errmsg(t), "connection"));
    assert_int_equal(sql_int(t, "again", "SELECT 2", SQL_NOARGS, &v), ERR_OK);
    assert_int_equal(v, 2);
    int64_t pid2 = 0;
    assert_int_equal(sql_int(t, "pid", "SELECT pg_backend_pid()", SQL_NOARGS, &pid2), ERR_OK);
    assert_int_not_equal(pid2, pid);
    store_close(t);
}

/* One writer at a time across connections: the second waits for the
 * write lock and, past the lock timeout, is told the database is busy. */
static void test_write_lock(void **state)
{
    (void)state;
    struct store *t = NULL;
    assert_int_equal(store_open(url, STORE_OPEN_EXISTING, &t), ERR_OK);
    assert_int_equal(sql_exec(t, "timeout", "SET lock_timeout = '200ms'", SQL_NOARGS, NULL),
                     ERR_OK);
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_begin(t), ERR_LIMIT);
    assert_non_null(strstr(store_errmsg(t), "busy"));
    assert_int_equal(store_depth(t), 0);
    store_rollback(s);
    assert_int_equal(store_begin(t), ERR_OK); /* free again */
    assert_int_equal(store_commit(t), ERR_OK);
    store_close(t);
}

/* How many statements the session has prepared whose text starts with
 * prefix (PostgreSQL's own view of them). */
static int64_t prepared_like(struct store *t, const char *prefix)
{
    int64_t n = -1;
    char like[200];
    snprintf(like, sizeof(like), "%s%%", prefix);
    assert_int_equal(sql_int(t, "prepared",
                             "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE ?",
                             SQL_ARGS(SQL_TEXT(like)), &n),
                     ERR_OK);
    return n;
}

/* Each statement is prepared once per connection and run again by name;
 * the connection keeps a bounded number of them; a change that fails to
 * prepare inside a transaction leaves the transaction going (and is not
 * kept); a schema change through a script prepares them anew. */
static void test_prepared(void **state)
{
    (void)state;
    struct store *t = NULL;
    int64_t v = 0;
    assert_int_equal(store_open(url, STORE_OPEN_EXISTING, &t), ERR_OK);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(
            sql_int(t, "add", "SELECT 40 + ? AS prepared_once", SQL_ARGS(SQL_INT(i)), &v), ERR_OK);
        assert_int_equal(v, 40 + i);
    }
    assert_int_equal(prepared_like(t, "SELECT 40 + $1 AS prepared_once"), 1);
    /* the same text with a parameter of another type is another statement */
    const char *typed = "SELECT length(CAST(? AS TEXT)) AS typed";
    assert_int_equal(sql_int(t, "typed", typed, SQL_ARGS(SQL_INT(12345)), &v), ERR_OK);
    assert_int_equal(v, 5);
    assert_int_equal(sql_int(t, "typed", typed, SQL_ARGS(SQL_TEXT("ab")), &v), ERR_OK);
    assert_int_equal(v, 2);
    assert_int_equal(sql_int(t, "typed", typed, SQL_ARGS(SQL_INT(7)), &v), ERR_OK);
    assert_int_equal(v, 1);
    assert_int_equal(prepared_like(t, "SELECT length(CAST($1 AS TEXT)) AS typed"), 2);
    /* many different statements: the connection keeps a bounded number,
     * and each still answers right */
    for (int i = 0; i < 400; i++) {
        char sql[64];
        snprintf(sql, sizeof(sql), "SELECT %d AS many", i);
        assert_int_equal(sql_int(t, "many", sql, SQL_NOARGS, &v), ERR_OK);
        assert_int_equal(v, i);
    }
    int64_t kept = prepared_like(t, "SELECT ");
    assert_true(kept > 0 && kept <= 130);
    /* inside a transaction, a change that cannot be prepared fails alone */
    assert_int_equal(
        sql_exec(t, "table", "CREATE TABLE IF NOT EXISTS prep_t (a BIGINT)", SQL_NOARGS, NULL),
        ERR_OK);
    assert_int_equal(store_begin(t), ERR_OK);
    assert_int_equal(
        sql_exec(t, "ins", "INSERT INTO prep_t (a) VALUES (?)", SQL_ARGS(SQL_INT(1)), NULL),
        ERR_OK);
    for (int i = 0; i < 2; i++)
        assert_int_not_equal(sql_exec(t, "bad", "INSERT INTO prep_missing (a) VALUES (?)",
                                      SQL_ARGS(SQL_INT(2)), NULL),
                             ERR_OK);
    assert_int_equal(prepared_like(t, "INSERT INTO prep_missing"), 0);
    assert_int_equal(
        sql_exec(t, "ins", "INSERT INTO prep_t (a) VALUES (?)", SQL_ARGS(SQL_INT(3)), NULL),
        ERR_OK);
    assert_int_equal(store_commit(t), ERR_OK);
    assert_int_equal(sql_int(t, "sum", "SELECT sum(a) FROM prep_t", SQL_NOARGS, &v), ERR_OK);
    assert_int_equal(v, 4);
    /* a schema change by a script (as a migration makes): a statement
     * prepared before it (whose result's columns change: PostgreSQL
     * refuses to run that plan again) answers with the new columns */
    const char *star = "SELECT * FROM prep_t ORDER BY a LIMIT 1";
    assert_int_equal(sql_int(t, "star", star, SQL_NOARGS, &v), ERR_OK);
    assert_int_equal(v, 1);
    assert_int_equal(t->drv->exec(t, "ALTER TABLE prep_t ADD COLUMN b BIGINT DEFAULT 5"), ERR_OK);
    assert_int_equal(sql_int(t, "star", star, SQL_NOARGS, &v), ERR_OK);
    assert_int_equal(v, 1);
    assert_int_equal(sql_int(t, "b", "SELECT max(b) FROM prep_t", SQL_NOARGS, &v), ERR_OK);
    assert_int_equal(v, 5);
    assert_int_equal(sql_exec(t, "drop", "DROP TABLE prep_t", SQL_NOARGS, NULL), ERR_OK);
    store_close(t);
}

/* A database that does not keep UTF-8 is refused with the way to make one. */
static void test_refused_database(void **state)
{
    (void)state;
    const char *latin1 = getenv("BIDRAG_TEST_PG_LATIN1_URL");
    struct store *t = NULL;
    assert_non_null(latin1);
    assert_int_equal(store_open(latin1, STORE_OPEN_CREATE, &t), ERR_INVALID);
    assert_null(t);
    assert_non_null(strstr(store_open_error(), "encoding is 'LATIN1'"));
    assert_non_null(strstr(store_open_error(), "docs/operations.md"));
    /* and names no password */
    char with_pw[600];
    snprintf(with_pw, sizeof(with_pw), "%s&password=hemligt", url);
    assert_int_equal(store_open(with_pw, STORE_OPEN_EXISTING, &t), ERR_OK);
    assert_null(strstr(store_name(t), "hemligt"));
    assert_non_null(strstr(store_name(t), "password=***"));
    store_close(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlstates), cmocka_unit_test(test_read_only),
        cmocka_unit_test(test_bytes),     cmocka_unit_test(test_statement_while_streaming),
        cmocka_unit_test(test_reconnect), cmocka_unit_test(test_write_lock),
        cmocka_unit_test(test_prepared),  cmocka_unit_test(test_refused_database),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
