/* sql.c - statements with typed parameters, rows read through column
 * maps, capped growth, and the transaction levels (savepoints) of the
 * store, over any driver. */
#include "store/sql.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/str.h"

struct sql_val sql_int_or_null(int64_t x)
{
    return x < 0 ? SQL_NULL : SQL_INT(x);
}

struct sql_val sql_text_or_null(const char *x)
{
    return x && x[0] ? SQL_TEXT(x) : SQL_NULL;
}

enum err sql_fail(struct store *s, const char *what, enum err e)
{
    char reason[sizeof(s->err)];
    str_copy(reason, sizeof(reason), s->err);
    snprintf(s->err, sizeof(s->err), "%.120s: %.380s", what, reason[0] ? reason : err_str(e));
    return e;
}

enum err sql_grow(void **arr, size_t *cap, size_t n, size_t elem, size_t max)
{
    if (n < *cap)
        return ERR_OK;
    if (elem == 0 || n >= max)
        return ERR_LIMIT;
    size_t nc = *cap ? *cap : 8;
    if (*cap) {
        if (nc > SIZE_MAX / 2)
            return ERR_LIMIT;
        nc *= 2;
    }
    if (nc > max)
        nc = max;
    if (nc > SIZE_MAX / elem)
        return ERR_LIMIT;
    void *p = realloc(*arr, nc * elem);
    if (!p)
        return ERR_NOMEM;
    *arr = p;
    *cap = nc;
    return ERR_OK;
}

/* Prepare sql and bind a; *st is NULL on failure. */
static enum err start(struct store *s, const char *what, const char *sql, struct sql_args a,
                      void **st)
{
    *st = NULL;
    enum err e = s->drv->prepare(s, sql, st);
    if (e != ERR_OK)
        return sql_fail(s, what, e);
    for (size_t i = 0; i < a.n; i++) {
        e = s->drv->bind(s, *st, (int)i + 1, &a.v[i]);
        if (e != ERR_OK) {
            s->drv->finalize(s, *st);
            *st = NULL;
            return sql_fail(s, what, e);
        }
    }
    return ERR_OK;
}

static enum err step(struct store *s, const char *what, void *st, int *row)
{
    enum err e = s->drv->step(s, st, row);
    return e == ERR_OK ? ERR_OK : sql_fail(s, what, e);
}

/* Step to the end of the statement. */
static enum err drain(struct store *s, const char *what, void *st)
{
    int row = 1;
    enum err e = ERR_OK;
    while (e == ERR_OK && row)
        e = step(s, what, st, &row);
    return e;
}

static void release_row(const struct sql_map *m, void *row)
{
    for (size_t c = 0; c < m->ncols; c++) {
        if (m->cols[c].type != SQL_C_BLOB_T)
            continue;
        char **p = (char **)(void *)((char *)row + m->cols[c].off);
        free(*p);
        *p = NULL;
    }
}

void sql_rows_release(const struct sql_map *m, void *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++)
        release_row(m, (char *)rows + i * m->size);
    free(rows);
}

static void put_int(void *field, size_t size, int64_t v)
{
    if (size == sizeof(int)) {
        int x = (int)v;
        memcpy(field, &x, sizeof(x));
    } else {
        assert(size == sizeof(int64_t));
        memcpy(field, &v, sizeof(v));
    }
}

/* Read the current row of st into row (zeroed first) through m. */
static enum err read_row(struct store *s, void *st, const struct sql_map *m, void *row)
{
    const struct store_driver *d = s->drv;
    memset(row, 0, m->size);
    for (size_t c = 0; c < m->ncols; c++) {
        const struct sql_col *col = &m->cols[c];
        void *field = (char *)row + col->off;
        int i = (int)c;
        switch (col->type) {
        case SQL_C_INT_T:
            put_int(field, col->size, d->col_int(st, i));
            break;
        case SQL_C_OPT_T:
            put_int(field, col->size, d->col_null(st, i) ? -1 : d->col_int(st, i));
            break;
        case SQL_C_TEXT_T:
            str_copy(field, col->size, d->col_text(st, i));
            break;
        case SQL_C_FN_T:
            col->fn(field, d->col_text(st, i));
            break;
        case SQL_C_BLOB_T: {
            size_t n = 0;
            const void *p = d->col_blob(st, i, &n);
            char *copy = n < SIZE_MAX ? malloc(n + 1) : NULL;
            if (!copy) {
                release_row(m, row);
                snprintf(s->err, sizeof(s->err), "no memory for %zu bytes", n);
                return ERR_NOMEM;
            }
            if (n)
                memcpy(copy, p, n);
            copy[n] = '\0';
            memcpy(field, &copy, sizeof(copy));
            if (col->off_len != SQL_NO_LEN)
                memcpy((char *)row + col->off_len, &n, sizeof(n));
            break;
        }
        }
    }
    return ERR_OK;
}

enum err sql_exec(struct store *s, const char *what, const char *sql, struct sql_args a,
                  long long *changes)
{
    void *st = NULL;
    enum err e = start(s, what, sql, a, &st);
    if (e != ERR_OK)
        return e;
    e = drain(s, what, st);
    s->drv->finalize(s, st);
    if (e == ERR_OK && changes)
        *changes = s->drv->changes(s);
    return e;
}

enum err sql_get(struct store *s, const char *what, const char *sql, struct sql_args a,
                 const struct sql_map *m, void *row)
{
    void *st = NULL;
    int have = 0;
    enum err e = start(s, what, sql, a, &st);
    if (e != ERR_OK)
        return e;
    e = step(s, what, st, &have);
    if (e == ERR_OK && have)
        e = read_row(s, st, m, row);
    if (e == ERR_OK && have) {
        e = drain(s, what, st);
        if (e != ERR_OK)
            release_row(m, row);
    }
    s->drv->finalize(s, st);
    if (e == ERR_OK && !have)
        e = ERR_NOTFOUND;
    return e;
}

enum err sql_int(struct store *s, const char *what, const char *sql, struct sql_args a,
                 int64_t *out)
{
    static const struct sql_col cols[] = {{SQL_C_INT_T, 0, sizeof(int64_t), 0, NULL}};
    static const struct sql_map map = {cols, 1, sizeof(int64_t)};
    return sql_get(s, what, sql, a, &map, out);
}

enum err sql_insert(struct store *s, const char *what, const char *sql, struct sql_args a,
                    long long *id)
{
    int64_t v = 0;
    enum err e = sql_int(s, what, sql, a, &v);
    if (e == ERR_OK && id)
        *id = v;
    return e;
}

enum err sql_list(struct store *s, const char *what, const char *sql, struct sql_args a,
                  const struct sql_map *m, void **out, size_t *n)
{
    void *st = NULL, *arr = NULL;
    size_t cap = 0, cnt = 0;
    int row = 0;
    *out = NULL;
    *n = 0;
    enum err e = start(s, what, sql, a, &st);
    if (e != ERR_OK)
        return e;
    for (e = step(s, what, st, &row); e == ERR_OK && row; e = step(s, what, st, &row)) {
        e = sql_grow(&arr, &cap, cnt, m->size, s->max_rows);
        if (e == ERR_LIMIT)
            snprintf(s->err, sizeof(s->err), "%s: more than %zu rows", what, s->max_rows);
        else if (e == ERR_NOMEM)
            snprintf(s->err, sizeof(s->err), "%s: no memory for %zu rows", what, cnt + 1);
        if (e == ERR_OK)
            e = read_row(s, st, m, (char *)arr + cnt * m->size);
        if (e != ERR_OK)
            break;
        cnt++;
    }
    s->drv->finalize(s, st);
    if (e != ERR_OK) {
        sql_rows_release(m, arr, cnt);
        return e;
    }
    *out = arr;
    *n = cnt;
    return ERR_OK;
}

enum err sql_each(struct store *s, const char *what, const char *sql, struct sql_args a,
                  const struct sql_map *m, void *row, int (*fn)(void *ctx, void *row), void *ctx)
{
    void *st = NULL;
    int have = 0;
    enum err e = start(s, what, sql, a, &st);
    if (e != ERR_OK)
        return e;
    for (e = step(s, what, st, &have); e == ERR_OK && have; e = step(s, what, st, &have)) {
        e = read_row(s, st, m, row);
        if (e != ERR_OK)
            break;
        int stop = fn(ctx, row);
        release_row(m, row);
        if (stop)
            break;
    }
    s->drv->finalize(s, st);
    return e;
}

/* One row's canonical bytes: at off in the buffer while it grows, then
 * at p. */
struct digest_row {
    size_t off, len;
    const char *p;
};

static int digest_row_cmp(const void *x, const void *y)
{
    const struct digest_row *a = x, *b = y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->p, b->p, n);
    if (c)
        return c;
    return (a->len > b->len) - (a->len < b->len);
}

enum err sql_digest(struct store *s, const char *what, const char *sql, struct sql_args a,
                    const char *types, struct sha256 *h, long long *rows)
{
    const struct store_driver *d = s->drv;
    void *st = NULL;
    int have = 0;
    size_t n = 0, cap = 0;
    size_t ncols = strlen(types);
    struct digest_row *row = NULL;
    struct buf b;
    buf_init(&b, SQL_DIGEST_MAX);
    enum err e = start(s, what, sql, a, &st);
    if (e != ERR_OK)
        goto out;
    for (e = step(s, what, st, &have); e == ERR_OK && have; e = step(s, what, st, &have)) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            void *p = realloc(row, nc * sizeof(*row));
            if (!p) {
                e = ERR_NOMEM;
                break;
            }
            row = p;
            cap = nc;
        }
        row[n].off = b.len;
        for (size_t c = 0; c < ncols; c++) {
            int i = (int)c;
            if (d->col_null(st, i)) {
                buf_append(&b, "N;", 2);
            } else if (types[c] == 'i') {
                buf_printf(&b, "I%lld;", (long long)d->col_int(st, i));
            } else {
                size_t len = 0;
                const void *p = NULL;
                if (types[c] == 'b') {
                    p = d->col_blob(st, i, &len);
                } else {
                    p = d->col_text(st, i);
                    len = strlen(p);
                }
                buf_printf(&b, "S%zu:", len);
                if (len)
                    buf_append(&b, p, len);
                buf_append(&b, ";", 1);
            }
        }
        buf_append(&b, "\n", 1);
        if (b.failed) {
            snprintf(s->err, sizeof(s->err), "%s: the rows are too large to digest", what);
            e = ERR_LIMIT;
            break;
        }
        row[n].len = b.len - row[n].off;
        n++;
    }
    s->drv->finalize(s, st);
    if (e != ERR_OK)
        goto out;
    /* in the order of their bytes, not of a collation the backend picks */
    for (size_t i = 0; i < n; i++)
        row[i].p = b.p + row[i].off;
    if (n > 1)
        qsort(row, n, sizeof(*row), digest_row_cmp);
    for (size_t i = 0; i < n; i++)
        sha256_update(h, row[i].p, row[i].len);
    if (rows)
        *rows = (long long)n;
out:
    free(row);
    buf_release(&b);
    return e;
}

/* ---- transaction levels ---- */

/* Run SAVEPOINT/RELEASE/ROLLBACK TO for level n (portable SQL). */
static enum err savepoint(struct store *s, const char *verb, int n)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "%s sp%d", verb, n);
    return s->drv->exec(s, sql);
}

enum err sql_level_begin(struct store *s)
{
    assert(s->depth >= 0);
    enum err e = s->depth == 0 ? s->drv->begin(s) : savepoint(s, "SAVEPOINT", s->depth);
    if (e != ERR_OK)
        return sql_fail(s, "begin", e);
    s->depth++;
    return ERR_OK;
}

/* Undo the innermost level, keeping the message of what went wrong. */
void sql_level_rollback(struct store *s)
{
    char keep[sizeof(s->err)];
    assert(s->depth > 0);
    if (s->depth <= 0)
        return;
    str_copy(keep, sizeof(keep), s->err);
    s->depth--;
    if (s->depth == 0) {
        s->drv->rollback(s);
        s->after_commit = NULL; /* nothing was committed */
        s->after_commit_ctx = NULL;
    } else if (savepoint(s, "ROLLBACK TO", s->depth) == ERR_OK) {
        savepoint(s, "RELEASE", s->depth);
    } else {
        /* the savepoint is gone: nothing of the outer transaction can be
         * trusted any more, so all of it goes */
        s->drv->rollback(s);
        s->depth = 0;
        s->after_commit = NULL;
        s->after_commit_ctx = NULL;
    }
    str_copy(s->err, sizeof(s->err), keep);
}

enum err sql_level_commit(struct store *s)
{
    assert(s->depth > 0);
    if (s->depth <= 0) {
        snprintf(s->err, sizeof(s->err), "commit: no transaction is open");
        return ERR_STORE;
    }
    enum err e = s->depth == 1 ? s->drv->commit(s) : savepoint(s, "RELEASE", s->depth - 1);
    if (e == ERR_OK) {
        s->depth--;
        if (s->depth == 0 && s->after_commit) {
            void (*fn)(struct store *, void *) = s->after_commit;
            void *ctx = s->after_commit_ctx;
            s->after_commit = NULL;
            s->after_commit_ctx = NULL;
            fn(s, ctx);
        }
        return ERR_OK;
    }
    /* the level ends either way: undone */
    e = sql_fail(s, "commit", e);
    sql_level_rollback(s);
    return e;
}

enum err sql_atomic_begin(struct store *s)
{
    return sql_level_begin(s);
}

enum err sql_atomic_end(struct store *s, enum err e)
{
    if (e != ERR_OK) {
        sql_level_rollback(s);
        return e;
    }
    return sql_level_commit(s);
}

/* ---- parameters numbered for $n databases ---- */

/* Write in with every `?` outside literals, quoted names and comments as
 * $1, $2, ... into out (when not NULL); the length written and *count. */
static size_t number_params(const char *in, char *out, int *count)
{
    size_t o = 0;
    int n = 0;
    char quote = 0; /* ' or " while inside one; a doubled one closes and reopens */
    int line_comment = 0, block_comment = 0;
    for (const char *p = in; *p; p++) {
        char c = *p;
        if (line_comment) {
            line_comment = c != '\n';
        } else if (block_comment) {
            if (c == '*' && p[1] == '/') {
                if (out)
                    out[o] = c;
                o++;
                p++;
                c = '/';
                block_comment = 0;
            }
        } else if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '-' && p[1] == '-') {
            line_comment = 1;
        } else if (c == '/' && p[1] == '*') {
            if (out)
                out[o] = c;
            o++;
            p++;
            c = '*';
            block_comment = 1;
        } else if (c == '?') {
            char num[16];
            int len = snprintf(num, sizeof(num), "$%d", ++n);
            if (out)
                memcpy(out + o, num, (size_t)len);
            o += (size_t)len;
            continue;
        }
        if (out)
            out[o] = c;
        o++;
    }
    *count = n;
    return o;
}

enum err sql_number_params(const char *in, char **out, int *count)
{
    *out = NULL;
    size_t len = number_params(in, NULL, count);
    if (*count > SQL_MAX_PARAMS)
        return ERR_LIMIT;
    char *p = malloc(len + 1);
    if (!p)
        return ERR_NOMEM;
    size_t again = number_params(in, p, count);
    assert(again == len);
    p[again] = '\0';
    *out = p;
    return ERR_OK;
}
