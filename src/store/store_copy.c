/* store_copy.c - store_copy.h over any two drivers: rows read from the
 * source as they are (any column, its value's own type) and written to
 * the target in statements of many rows, table by table. */
#include "store/store_copy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sql.h"
#include "util/buf.h"
#include "util/str.h"

/* Parents first: org_invite, account_role ... after account; req_* after
 * requisition; case_* and decisions after cases, case_files after blobs; req_measure after
 * req_version; view_gen, auth_gen and data_gen last (the copies before them fire
 * their triggers, which change nothing while they are empty). */
static const char *const tables[] = {
    "org",         "series",       "series_value",  "program",        "program_file",
    "account",     "account_role", "session",       "api_token",      "login_throttle",
    "audit",       "audit_head",   "req_counter",   "requisition",    "req_version",
    "req_measure", "req_idem",     "req_decision",  "req_redist_run", "req_plan_blob",
    "org_invite",  "cases",        "case_versions", "case_idem",      "decisions",
    "blobs",       "case_files",   "case_notes",    "case_events",    "program_standin",
    "pay_batch",   "payment",      "pay_file",      "pay_settings",   "pay_limit",
    "outbox",      "ledger_cost",  "view_gen",      "auth_gen",       "data_gen",
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

/* Rows per INSERT, and parameters per statement (SQLite takes 32766). */
#define BATCH_ROWS 500
#define BATCH_PARAMS 30000
#define MAX_COLS 64

const char *const *store_copy_tables(size_t *n)
{
    *n = NTABLES;
    return tables;
}

/* One table's copy in progress: its columns and the rows waiting to be
 * written (their values copied out of the source's row). */
struct batch {
    int ncols;
    char cols[MAX_COLS][64];
    int batch_rows; /* rows per statement */
    struct sql_val *vals;
    size_t nvals;
    struct buf sql;
};

static int identifier(const char *name)
{
    if (!name[0] || strlen(name) >= 64)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return 1;
}

static void batch_clear(struct batch *b)
{
    for (size_t i = 0; i < b->nvals; i++)
        if (b->vals[i].type == SQL_TYPE_TEXT)
            free((void *)b->vals[i].s);
        else if (b->vals[i].type == SQL_TYPE_BLOB)
            free((void *)b->vals[i].p);
    b->nvals = 0;
}

static void batch_release(struct batch *b)
{
    if (b->vals)
        batch_clear(b);
    free(b->vals);
    buf_release(&b->sql);
    memset(b, 0, sizeof(*b));
}

/* The columns of the source's first row of table. */
static enum err batch_start(struct batch *b, struct store *from, void *st, const char *table,
                            char *msg, size_t n)
{
    const struct store_driver *d = from->drv;
    b->ncols = d->col_count(st);
    if (b->ncols < 1 || b->ncols > MAX_COLS) {
        snprintf(msg, n, "table '%s' has %d columns (at most %d are copied)", table, b->ncols,
                 MAX_COLS);
        return ERR_LIMIT;
    }
    for (int i = 0; i < b->ncols; i++) {
        const char *name = d->col_name(st, i);
        if (!identifier(name)) {
            snprintf(msg, n, "table '%s' has a column named '%.64s'", table, name);
            return ERR_INVALID;
        }
        str_copy(b->cols[i], sizeof(b->cols[i]), name);
    }
    b->batch_rows = BATCH_PARAMS / b->ncols;
    if (b->batch_rows > BATCH_ROWS)
        b->batch_rows = BATCH_ROWS;
    b->vals = calloc((size_t)b->batch_rows * (size_t)b->ncols, sizeof(*b->vals));
    if (!b->vals) {
        snprintf(msg, n, "no memory to copy table '%s'", table);
        return ERR_NOMEM;
    }
    buf_init(&b->sql, 1 << 20);
    return ERR_OK;
}

/* Keep a copy of the source's current row. */
static enum err batch_add(struct batch *b, struct store *from, void *st)
{
    const struct store_driver *d = from->drv;
    for (int i = 0; i < b->ncols; i++) {
        struct sql_val *v = &b->vals[b->nvals];
        memset(v, 0, sizeof(*v));
        v->type = d->col_type(st, i);
        if (v->type == SQL_TYPE_INT) {
            v->i = d->col_int(st, i);
        } else if (v->type == SQL_TYPE_TEXT) {
            v->s = str_dup(d->col_text(st, i));
            if (!v->s)
                return ERR_NOMEM;
        } else if (v->type == SQL_TYPE_BLOB) {
            size_t len = 0;
            const void *p = d->col_blob(st, i, &len);
            void *copy = malloc(len ? len : 1);
            if (!copy)
                return ERR_NOMEM;
            if (len)
                memcpy(copy, p, len);
            v->p = copy;
            v->n = len;
        }
        b->nvals++;
    }
    return ERR_OK;
}

/* Write the rows waiting into table on the target. */
static enum err batch_flush(struct batch *b, struct store *to, const char *table)
{
    if (!b->vals || b->nvals == 0)
        return ERR_OK; /* no rows (or none since the last statement) */
    size_t rows = b->nvals / (size_t)b->ncols;
    buf_reset(&b->sql);
    enum err e = buf_printf(&b->sql, "INSERT INTO %s (", table);
    for (int i = 0; e == ERR_OK && i < b->ncols; i++)
        e = buf_printf(&b->sql, "%s%s", i ? ", " : "", b->cols[i]);
    if (e == ERR_OK)
        e = buf_puts(&b->sql, ") VALUES ");
    for (size_t r = 0; e == ERR_OK && r < rows; r++) {
        e = buf_puts(&b->sql, r ? ", (" : "(");
        for (int i = 0; e == ERR_OK && i < b->ncols; i++)
            e = buf_puts(&b->sql, i ? ", ?" : "?");
        if (e == ERR_OK)
            e = buf_puts(&b->sql, ")");
    }
    if (e != ERR_OK) {
        snprintf(to->err, sizeof(to->err), "no memory for a statement");
        return e;
    }
    e = sql_exec(to, table, b->sql.p, (struct sql_args){b->vals, b->nvals}, NULL);
    batch_clear(b);
    return e;
}

/* COUNT(*) and the sums of the money columns of table on s. */
static enum err measure(struct store *s, const char *table, const struct store_copy_table *t,
                        long long *rows, int64_t *sums)
{
    char sql[1024];
    size_t o = (size_t)snprintf(sql, sizeof(sql), "SELECT COUNT(*)");
    for (size_t i = 0; i < t->nmoney && o < sizeof(sql); i++)
        o += (size_t)snprintf(sql + o, sizeof(sql) - o, ", COALESCE(SUM(%s), 0)",
                              t->money[i].column);
    if (o < sizeof(sql))
        o += (size_t)snprintf(sql + o, sizeof(sql) - o, " FROM %s", table);
    if (o >= sizeof(sql)) {
        snprintf(s->err, sizeof(s->err), "the check of table '%s' is too long", table);
        return ERR_LIMIT;
    }
    void *st = NULL;
    int have = 0;
    enum err e = s->drv->prepare(s, sql, &st);
    if (e == ERR_OK)
        e = s->drv->step(s, st, &have);
    if (e == ERR_OK && !have) {
        snprintf(s->err, sizeof(s->err), "no count");
        e = ERR_STORE;
    }
    if (e == ERR_OK) {
        *rows = s->drv->col_int(st, 0);
        for (size_t i = 0; i < t->nmoney; i++)
            sums[i] = s->drv->col_int(st, (int)i + 1);
        e = s->drv->step(s, st, &have);
    }
    if (st)
        s->drv->finalize(s, st);
    return e == ERR_OK ? ERR_OK : sql_fail(s, table, e);
}

/* 1 if the column holds money (öre): its name ends in _ore. */
static int money_column(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, "_ore") == 0;
}

/* Copy table, then check that both sides have the same rows and money. */
static enum err copy_table(struct store *from, struct store *to, const char *table,
                           struct store_copy_table *t, char *msg, size_t n)
{
    struct batch b;
    char sql[128];
    void *st = NULL;
    int row = 0;
    memset(&b, 0, sizeof(b));
    memset(t, 0, sizeof(*t));
    str_copy(t->name, sizeof(t->name), table);
    snprintf(sql, sizeof(sql), "SELECT * FROM %s", table);
    enum err e = from->drv->prepare(from, sql, &st);
    struct store *failed = from;
    for (e = e == ERR_OK ? from->drv->step(from, st, &row) : e; e == ERR_OK && row;
         e = from->drv->step(from, st, &row)) {
        if (!b.vals) {
            e = batch_start(&b, from, st, table, msg, n);
            if (e != ERR_OK)
                goto out;
            for (int i = 0; i < b.ncols && t->nmoney < STORE_COPY_MAX_MONEY; i++)
                if (money_column(b.cols[i]))
                    str_copy(t->money[t->nmoney++].column, sizeof(t->money[0].column), b.cols[i]);
        }
        e = batch_add(&b, from, st);
        if (e != ERR_OK) {
            snprintf(msg, n, "no memory to copy table '%s'", table);
            goto out;
        }
        t->rows++;
        if (b.nvals == (size_t)b.batch_rows * (size_t)b.ncols) {
            failed = to;
            e = batch_flush(&b, to, table);
            if (e != ERR_OK)
                break;
            failed = from;
        }
    }
    if (e == ERR_OK) {
        failed = to;
        e = batch_flush(&b, to, table);
    }
    if (e == ERR_OK)
        e = to->drv->loaded(to, table);
    if (e != ERR_OK) {
        snprintf(msg, n, "table '%s': %s", table, store_errmsg(failed));
        goto out;
    }
    /* the same rows and the same money on both sides */
    long long rows_from = 0, rows_to = 0;
    int64_t sums_from[STORE_COPY_MAX_MONEY], sums_to[STORE_COPY_MAX_MONEY];
    e = measure(from, table, t, &rows_from, sums_from);
    failed = from;
    if (e == ERR_OK) {
        e = measure(to, table, t, &rows_to, sums_to);
        failed = to;
    }
    if (e != ERR_OK) {
        snprintf(msg, n, "checking table '%s': %s", table, store_errmsg(failed));
        goto out;
    }
    if (rows_from != t->rows || rows_to != t->rows) {
        snprintf(msg, n, "table '%s': %lld rows read, %lld in the source, %lld in the target",
                 table, t->rows, rows_from, rows_to);
        e = ERR_INVALID;
        goto out;
    }
    for (size_t i = 0; i < t->nmoney; i++) {
        if (sums_from[i] != sums_to[i]) {
            snprintf(msg, n, "table '%s': %s sums to %lld in the source, %lld in the target", table,
                     t->money[i].column, (long long)sums_from[i], (long long)sums_to[i]);
            e = ERR_INVALID;
            goto out;
        }
        t->money[i].sum = sums_from[i];
    }
out:
    if (st)
        from->drv->finalize(from, st);
    batch_release(&b);
    return e;
}

/* ERR_CONFLICT naming the first table of to that has rows. */
static enum err check_empty(struct store *to, char *msg, size_t n)
{
    for (size_t i = 0; i < NTABLES; i++) {
        char sql[128];
        int64_t rows = 0;
        snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", tables[i]);
        enum err e = sql_int(to, tables[i], sql, SQL_NOARGS, &rows);
        if (e != ERR_OK) {
            snprintf(msg, n, "the target '%s': %s", store_name(to), store_errmsg(to));
            return e;
        }
        if (rows > 0) {
            snprintf(msg, n,
                     "the target '%s' is not empty: table '%s' has %lld rows (a copy fills"
                     " only an empty database)",
                     store_name(to), tables[i], (long long)rows);
            return ERR_CONFLICT;
        }
    }
    return ERR_OK;
}

enum err store_copy(struct store *from, struct store *to, const struct store_copy_check *check,
                    struct store_copy_report *r)
{
    memset(r, 0, sizeof(*r));
    int from_open = 0, to_open = 0;
    /* the source holds still: its write lock for the copy's length */
    enum err e = sql_level_begin(from);
    if (e != ERR_OK) {
        snprintf(r->msg, sizeof(r->msg), "the source '%s': %s", store_name(from),
                 store_errmsg(from));
        return e;
    }
    from_open = 1;
    to->bulk = 1;
    e = sql_level_begin(to);
    if (e != ERR_OK) {
        snprintf(r->msg, sizeof(r->msg), "the target '%s': %s", store_name(to), store_errmsg(to));
        goto out;
    }
    to_open = 1;
    e = check_empty(to, r->msg, sizeof(r->msg));
    for (size_t i = 0; e == ERR_OK && i < NTABLES; i++) {
        e = copy_table(from, to, tables[i], &r->tables[i], r->msg, sizeof(r->msg));
        if (e == ERR_OK) {
            r->ntables++;
            r->rows += r->tables[i].rows;
        }
    }
    if (e == ERR_OK && check && check->fn)
        e = check->fn(check->ctx, from, to, r->msg, sizeof(r->msg));
    if (e == ERR_OK) {
        to_open = 0;
        e = sql_level_commit(to);
        if (e != ERR_OK)
            snprintf(r->msg, sizeof(r->msg), "the target '%s': %s", store_name(to),
                     store_errmsg(to));
    }
out:
    if (to_open)
        sql_level_rollback(to);
    to->bulk = 0;
    if (from_open)
        sql_level_rollback(from); /* it only read */
    if (e != ERR_OK) {
        r->ntables = 0;
        r->rows = 0;
    }
    return e;
}
