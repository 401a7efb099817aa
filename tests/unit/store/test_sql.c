/* test_sql.c - the store's statement layer (store-internal sql.h) and
 * its migration list: capped, overflow-checked growth; typed parameters
 * and column maps (ints of both sizes, NULL as -1, text cut to fit, blobs
 * with NUL bytes); transaction levels; the statements a driver keeps
 * for their SQL text (right answers with new parameters, nested use of
 * the same text, no read left open, schema changes, more texts than it
 * keeps); every migration number resolves to one script for every
 * driver's dialect. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/driver.h"
#include "store/migrations.h"
#include "store/sql.h"

static void test_grow(void **state)
{
    (void)state;
    int *arr = NULL;
    size_t cap = 0;
    void *p = NULL;
    for (size_t n = 0; n < 100; n++) {
        p = arr;
        assert_int_equal(sql_grow(&p, &cap, n, sizeof(int), 100), ERR_OK);
        arr = p;
        arr[n] = (int)n;
        assert_true(cap > n && cap <= 100);
    }
    assert_int_equal(cap, 100); /* doubling stops at the cap */
    p = arr;
    assert_int_equal(sql_grow(&p, &cap, 100, sizeof(int), 100), ERR_LIMIT);
    assert_ptr_equal(p, arr); /* unchanged */
    assert_int_equal(cap, 100);
    assert_int_equal(arr[99], 99);
    free(arr);
    /* the byte size would overflow: refused, nothing allocated */
    p = NULL;
    cap = 0;
    assert_int_equal(sql_grow(&p, &cap, 0, SIZE_MAX / 4, SIZE_MAX), ERR_LIMIT);
    assert_null(p);
    assert_int_equal(cap, 0);
    /* a capacity that would overflow when doubled */
    cap = SIZE_MAX / 2 + 1;
    assert_int_equal(sql_grow(&p, &cap, cap, 1, SIZE_MAX), ERR_LIMIT);
    assert_int_equal(sql_grow(&p, &cap, 0, 0, 10), ERR_OK); /* room already */
    cap = 0;
    assert_int_equal(sql_grow(&p, &cap, 0, 0, 10), ERR_LIMIT); /* no element size */
    assert_int_equal(sql_grow(&p, &cap, 0, 1, 0), ERR_LIMIT);  /* cap 0 */
}

struct row {
    int small;
    int64_t big;
    long long opt;
    char text[6];
    char *blob;
    size_t len;
    char *dup;
};
static const struct sql_col cols[] = {
    SQL_C_INT(struct row, small), SQL_C_INT(struct row, big),        SQL_C_OPT(struct row, opt),
    SQL_C_TEXT(struct row, text), SQL_C_BLOB(struct row, blob, len), SQL_C_DUP(struct row, dup),
};
static const struct sql_map map = SQL_MAP(struct row, cols);

static int count_rows(void *ctx, void *row)
{
    int *n = ctx;
    (*n)++;
    return ((struct row *)row)->small == 2;
}

static void test_statements(void **state)
{
    (void)state;
    struct store *s = NULL;
    struct row r;
    assert_int_equal(store_open("sqlite::memory:", STORE_OPEN_CREATE, &s), ERR_OK);
    assert_int_equal(sql_exec(s, "t", "CREATE TABLE t (a, b, c, d, e, f)", SQL_NOARGS, NULL),
                     ERR_OK);
    static const char bin[] = {'x', '\0', 'y'};
    long long changed = 0;
    assert_int_equal(sql_exec(s, "t",
                              "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?), (2, 0, 5, '', ?, ?)",
                              SQL_ARGS(SQL_INT(1), SQL_INT(INT64_MAX), SQL_INT_OR_NULL(-1),
                                       SQL_TEXT("räksmörgås"), SQL_BLOB(bin, sizeof(bin)),
                                       SQL_TEXT_OR_NULL(""), SQL_BLOB(NULL, 0), SQL_TEXT("d")),
                              &changed),
                     ERR_OK);
    assert_int_equal(changed, 2);
    assert_int_equal(sql_get(s, "t", "SELECT * FROM t ORDER BY a", SQL_NOARGS, &map, &r), ERR_OK);
    assert_int_equal(r.small, 1);
    assert_int_equal(r.big, INT64_MAX);
    assert_int_equal(r.opt, -1);         /* NULL */
    assert_string_equal(r.text, "räks"); /* cut to fit: 5 bytes */
    assert_int_equal(r.len, 3);
    assert_memory_equal(r.blob, bin, 3);
    assert_int_equal(r.blob[3], '\0');
    assert_string_equal(r.dup, ""); /* NULL text */
    free(r.blob);
    free(r.dup);
    int64_t v = 0;
    assert_int_equal(sql_int(s, "t", "SELECT c FROM t WHERE a = ?", SQL_ARGS(SQL_INT(2)), &v),
                     ERR_OK);
    assert_int_equal(v, 5);
    assert_int_equal(sql_int(s, "t", "SELECT c FROM t WHERE a = 9", SQL_NOARGS, &v), ERR_NOTFOUND);
    struct row *list = NULL;
    size_t n = 0;
    assert_int_equal(
        sql_list(s, "t", "SELECT * FROM t ORDER BY a", SQL_NOARGS, &map, (void **)&list, &n),
        ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[1].len, 0);
    assert_string_equal(list[1].dup, "d");
    sql_rows_release(&map, list, n);
    int seen = 0;
    assert_int_equal(
        sql_each(s, "t", "SELECT * FROM t ORDER BY a", SQL_NOARGS, &map, &r, count_rows, &seen),
        ERR_OK);
    assert_int_equal(seen, 2);
    /* errors name what was being done */
    assert_int_equal(sql_exec(s, "the thing", "SELECT nonsense FROM nowhere", SQL_NOARGS, NULL),
                     ERR_STORE);
    assert_non_null(strstr(store_errmsg(s), "the thing: "));
    assert_non_null(strstr(store_errmsg(s), "nowhere"));
    /* a capped list frees what it read */
    store_limit_rows(s, 1);
    assert_int_equal(sql_list(s, "t", "SELECT * FROM t", SQL_NOARGS, &map, (void **)&list, &n),
                     ERR_LIMIT);
    assert_null(list);
    store_close(s);
}

/* Inside a row of the outer statement: the same SQL text again, which
 * must not be handed the statement that is still stepping. */
static int same_text_inside(void *ctx, void *row)
{
    struct store *s = ctx;
    int64_t first = 0;
    (void)row;
    assert_int_equal(sql_int(s, "t", "SELECT a FROM t ORDER BY a", SQL_NOARGS, &first), ERR_OK);
    assert_int_equal(first, 1);
    return 0;
}

static void test_statement_cache(void **state)
{
    (void)state;
    char dir[] = "/tmp/bidrag-test-sql-XXXXXX", url[160], path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/c.db", dir);
    snprintf(url, sizeof(url), "sqlite:%s", path);
    struct store *a = NULL, *b = NULL;
    assert_int_equal(store_open(url, STORE_OPEN_CREATE, &a), ERR_OK);
    assert_int_equal(store_open(url, STORE_OPEN_EXISTING, &b), ERR_OK);
    assert_int_equal(sql_exec(a, "t", "CREATE TABLE t (a INTEGER, b TEXT)", SQL_NOARGS, NULL),
                     ERR_OK);
    for (int i = 1; i <= 5; i++)
        assert_int_equal(sql_exec(a, "t", "INSERT INTO t VALUES (?, ?)",
                                  SQL_ARGS(SQL_INT(i), i == 3 ? SQL_NULL : SQL_TEXT("x")), NULL),
                         ERR_OK);
    /* the same text, new parameters, each time the right answer */
    for (int round = 0; round < 3; round++) {
        for (int i = 1; i <= 5; i++) {
            int64_t v = 0;
            assert_int_equal(
                sql_int(a, "t", "SELECT a * 10 FROM t WHERE a = ?", SQL_ARGS(SQL_INT(i)), &v),
                ERR_OK);
            assert_int_equal(v, i * 10);
            assert_int_equal(sql_int(a, "t", "SELECT count(*) FROM t WHERE b IS ?",
                                     SQL_ARGS(SQL_TEXT_OR_NULL(i % 2 ? "x" : NULL)), &v),
                             ERR_OK);
            assert_int_equal(v, i % 2 ? 4 : 1);
        }
    }
    /* the same text inside its own rows: every outer row is still seen */
    int seen = 0;
    struct row r;
    static const struct sql_col one[] = {SQL_C_INT(struct row, small)};
    static const struct sql_map onemap = SQL_MAP(struct row, one);
    assert_int_equal(sql_each(a, "t", "SELECT a FROM t ORDER BY a", SQL_NOARGS, &onemap, &r,
                              same_text_inside, a),
                     ERR_OK);
    assert_int_equal(
        sql_each(a, "t", "SELECT a FROM t ORDER BY a", SQL_NOARGS, &onemap, &r, count_rows, &seen),
        ERR_OK);
    assert_int_equal(seen, 2); /* count_rows stops at 2: the statement is reset after a stop */
    seen = 0;
    assert_int_equal(
        sql_each(a, "t", "SELECT a FROM t ORDER BY a", SQL_NOARGS, &onemap, &r, count_rows, &seen),
        ERR_OK);
    assert_int_equal(seen, 2);
    /* a kept statement holds no read open: another connection's commit
     * is seen by the next use of the same text */
    int64_t n = 0;
    assert_int_equal(sql_int(a, "t", "SELECT count(*) FROM t", SQL_NOARGS, &n), ERR_OK);
    assert_int_equal(n, 5);
    assert_int_equal(sql_exec(b, "t", "INSERT INTO t VALUES (6, 'y')", SQL_NOARGS, NULL), ERR_OK);
    assert_int_equal(sql_int(a, "t", "SELECT count(*) FROM t", SQL_NOARGS, &n), ERR_OK);
    assert_int_equal(n, 6);
    /* and blocks no checkpoint that needs every reader gone */
    assert_int_equal(sql_int(b, "t", "PRAGMA wal_checkpoint(TRUNCATE)", SQL_NOARGS, &n), ERR_OK);
    assert_int_equal(n, 0);
    /* the schema changes under a kept statement: the new table answers */
    assert_int_equal(sql_int(a, "t", "SELECT max(a) FROM t", SQL_NOARGS, &n), ERR_OK);
    assert_int_equal(n, 6);
    assert_int_equal(sql_exec(b, "t", "DROP TABLE t", SQL_NOARGS, NULL), ERR_OK);
    assert_int_equal(sql_exec(b, "t", "CREATE TABLE t (a INTEGER)", SQL_NOARGS, NULL), ERR_OK);
    assert_int_equal(sql_exec(b, "t", "INSERT INTO t VALUES (42)", SQL_NOARGS, NULL), ERR_OK);
    assert_int_equal(sql_int(a, "t", "SELECT max(a) FROM t", SQL_NOARGS, &n), ERR_OK);
    assert_int_equal(n, 42);
    /* more texts than are kept: each still right, the first ones again too */
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 300; i++) {
            char sql[64];
            snprintf(sql, sizeof(sql), "SELECT %d + max(a) FROM t", i);
            assert_int_equal(sql_int(a, "t", sql, SQL_NOARGS, &n), ERR_OK);
            assert_int_equal(n, i + 42);
        }
    }
    store_close(b);
    store_close(a);
    char side[160];
    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
    rmdir(dir);
}

static void test_levels(void **state)
{
    (void)state;
    struct store *s = NULL;
    assert_int_equal(store_open("sqlite::memory:", STORE_OPEN_CREATE, &s), ERR_OK);
    assert_int_equal(sql_exec(s, "t", "CREATE TABLE t (a UNIQUE)", SQL_NOARGS, NULL), ERR_OK);
    /* an atomic operation on its own: its own transaction */
    assert_int_equal(sql_atomic_begin(s), ERR_OK);
    assert_int_equal(store_depth(s), 1);
    assert_int_equal(sql_exec(s, "t", "INSERT INTO t VALUES (1)", SQL_NOARGS, NULL), ERR_OK);
    assert_int_equal(sql_atomic_end(s, ERR_OK), ERR_OK);
    assert_int_equal(store_depth(s), 0);
    /* ending with a failure undoes it and hands the failure back */
    assert_int_equal(sql_atomic_begin(s), ERR_OK);
    assert_int_equal(sql_exec(s, "t", "INSERT INTO t VALUES (2)", SQL_NOARGS, NULL), ERR_OK);
    assert_int_equal(sql_atomic_end(s, ERR_INVALID), ERR_INVALID);
    int64_t v = 0;
    assert_int_equal(sql_int(s, "t", "SELECT COUNT(*) FROM t", SQL_NOARGS, &v), ERR_OK);
    assert_int_equal(v, 1);
    /* a commit that fails ends its level: a savepoint whose work cannot
     * be released is undone (here: the transaction was ended under it) */
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(sql_exec(s, "t", "INSERT INTO t VALUES (3)", SQL_NOARGS, NULL), ERR_OK);
    assert_int_equal(sql_exec(s, "t", "ROLLBACK", SQL_NOARGS, NULL), ERR_OK);
    assert_int_not_equal(store_commit(s), ERR_OK);
    assert_int_equal(store_depth(s), 0); /* the lost transaction is not pretended open */
    assert_int_equal(sql_int(s, "t", "SELECT COUNT(*) FROM t", SQL_NOARGS, &v), ERR_OK);
    assert_int_equal(v, 1);
    /* the failure's reason is kept through the rollback */
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(sql_exec(s, "dup", "INSERT INTO t VALUES (1)", SQL_NOARGS, NULL),
                     ERR_CONFLICT);
    store_rollback(s);
    assert_non_null(strstr(store_errmsg(s), "dup: "));
    store_close(s);
}

/* Portable `?` parameters numbered $1..$n for PostgreSQL: never inside
 * string literals, quoted names or comments. */
static void test_number_params(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
        int n;
    } cases[] = {
        {"SELECT 1", "SELECT 1", 0},
        {"", "", 0},
        {"?", "$1", 1},
        {"UPDATE t SET a = ? WHERE b = ? AND c = ?", "UPDATE t SET a = $1 WHERE b = $2 AND c = $3",
         3},
        {"SELECT '?', ? FROM t", "SELECT '?', $1 FROM t", 1},
        {"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1},
        {"SELECT \"a?\" FROM t WHERE x = ?", "SELECT \"a?\" FROM t WHERE x = $1", 1},
        {"SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2},
        {"SELECT /* ? */ ? /**/ ?", "SELECT /* ? */ $1 /**/ $2", 2},
        {"SELECT ?/*/ ? */", "SELECT $1/*/ ? */", 1},
        {"SELECT 'unterminated ?", "SELECT 'unterminated ?", 0},
        {"-- only a comment ?", "-- only a comment ?", 0},
        {"??", "$1$2", 2},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *out = NULL;
        int n = -1;
        assert_int_equal(sql_number_params(cases[i].in, &out, &n), ERR_OK);
        assert_string_equal(out, cases[i].out);
        assert_int_equal(n, cases[i].n);
        free(out);
    }
    /* ten thousand parameters: $10000 at the end */
    size_t len = 2 * 10000;
    char *many = malloc(len + 1);
    assert_non_null(many);
    for (size_t i = 0; i < 10000; i++) {
        many[2 * i] = '?';
        many[2 * i + 1] = ',';
    }
    many[len - 1] = '\0';
    char *out = NULL;
    int n = 0;
    assert_int_equal(sql_number_params(many, &out, &n), ERR_OK);
    assert_int_equal(n, 10000);
    assert_non_null(strstr(out, ",$9999,$10000"));
    free(out);
    free(many);
    /* past the most a statement may have */
    len = 2 * (SQL_MAX_PARAMS + 1);
    many = malloc(len + 1);
    assert_non_null(many);
    memset(many, '?', len);
    many[len] = '\0';
    out = (char *)"untouched";
    assert_int_equal(sql_number_params(many, &out, &n), ERR_LIMIT);
    assert_null(out);
    free(many);
}

/* Every number of the migration list resolves to exactly one script for
 * every driver's dialect: its own, or the portable one. */
static void test_migration_list(void **state)
{
    (void)state;
    const char *dialects[] = {store_driver_sqlite.dialect, store_driver_pg.dialect};
    assert_true(migration_script_count >= 4);
    for (int i = 0; i < migration_script_count; i++) {
        const struct migration *m = &migration_scripts[i];
        assert_true(i == 0 || m->number >= migration_scripts[i - 1].number);
        assert_true(strlen(m->name) > 5);
        for (size_t d = 0; d < sizeof(dialects) / sizeof(dialects[0]); d++) {
            int own = 0, portable = 0;
            for (int k = 0; k < migration_script_count; k++) {
                const struct migration *o = &migration_scripts[k];
                if (o->number != m->number)
                    continue;
                assert_string_equal(o->name, m->name);
                own += strcmp(o->dialect, dialects[d]) == 0;
                portable += o->dialect[0] == '\0';
            }
            assert_true(own <= 1 && portable <= 1 && own + portable == 1);
        }
    }
    assert_true(store_driver_find("sqlite") == &store_driver_sqlite);
    assert_true(store_driver_find("postgresql") == &store_driver_pg);
    assert_null(store_driver_find("mysql"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grow),          cmocka_unit_test(test_statements),
        cmocka_unit_test(test_levels),        cmocka_unit_test(test_migration_list),
        cmocka_unit_test(test_number_params), cmocka_unit_test(test_statement_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
