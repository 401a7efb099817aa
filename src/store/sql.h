/* sql.h - the one way the store runs SQL, over any driver (driver.h).
 * Store-internal: only src/store/ includes it.
 *
 * Parameters are an array of typed values, written in place:
 *
 *     sql_exec(s, "account password", "UPDATE account SET pwhash = ? WHERE id = ?",
 *              SQL_ARGS(SQL_TEXT(hash), SQL_INT(id)), &changed);
 *
 * and rows are read into C structs through a column map, one entry per
 * selected column in order:
 *
 *     static const struct sql_col token_cols[] = {
 *         SQL_C_INT(struct store_token, id), SQL_C_TEXT(struct store_token, name), ...};
 *     static const struct sql_map token_map = SQL_MAP(struct store_token, token_cols);
 *     sql_list(s, "token list", "SELECT id, name, ... FROM api_token ...", SQL_NOARGS,
 *              &token_map, (void **)&out, &n);
 *
 * Text columns are copied into char arrays (cut to fit, "" for NULL);
 * integer columns into int or int64_t fields (by the field's size). Every
 * list grows by sql_grow (capped by s->max_rows, overflow-checked). On
 * failure s->err reads "what: the database's reason". */
#ifndef BIDRAG_STORE_SQL_H
#define BIDRAG_STORE_SQL_H

#include <stddef.h>
#include <stdint.h>

#include "store/driver.h"
#include "util/sha256.h"

struct sql_args {
    const struct sql_val *v;
    size_t n;
};

#define SQL_NULL ((struct sql_val){.type = SQL_TYPE_NULL})
#define SQL_INT(x) ((struct sql_val){.type = SQL_TYPE_INT, .i = (int64_t)(x)})
/* NULL for a NULL pointer */
#define SQL_TEXT(x) ((struct sql_val){.type = SQL_TYPE_TEXT, .s = (x)})
#define SQL_BLOB(ptr, len) ((struct sql_val){.type = SQL_TYPE_BLOB, .p = (ptr), .n = (len)})
/* NULL for a negative number (an amount or id that is "none") */
#define SQL_INT_OR_NULL(x) sql_int_or_null((int64_t)(x))
/* NULL for NULL or "" */
#define SQL_TEXT_OR_NULL(x) sql_text_or_null(x)

#define SQL_ARGS(...)                                                                              \
    ((struct sql_args){(const struct sql_val[]){__VA_ARGS__},                                      \
                       sizeof((const struct sql_val[]){__VA_ARGS__}) / sizeof(struct sql_val)})
#define SQL_NOARGS ((struct sql_args){NULL, 0})

struct sql_val sql_int_or_null(int64_t x);
struct sql_val sql_text_or_null(const char *x);

enum sql_ctype {
    SQL_C_INT_T = 1, /* integer into an int or int64_t field */
    SQL_C_OPT_T,     /* integer, NULL read as -1 */
    SQL_C_TEXT_T,    /* text into a char array */
    SQL_C_BLOB_T,    /* bytes into a new allocation (+ NUL) and a size_t length */
    SQL_C_FN_T       /* text handed to fn(field, text) */
};

struct sql_col {
    enum sql_ctype type;
    size_t off;  /* the field's offset in the row struct */
    size_t size; /* its size */
    size_t off_len;
    void (*fn)(void *field, const char *text);
};

#define SQL_FIELD_SIZE(T, f) sizeof(((T *)0)->f)
#define SQL_C_INT(T, f)                                                                            \
    {                                                                                              \
        SQL_C_INT_T, offsetof(T, f), SQL_FIELD_SIZE(T, f), 0, NULL                                 \
    }
#define SQL_C_OPT(T, f)                                                                            \
    {                                                                                              \
        SQL_C_OPT_T, offsetof(T, f), SQL_FIELD_SIZE(T, f), 0, NULL                                 \
    }
#define SQL_C_TEXT(T, f)                                                                           \
    {                                                                                              \
        SQL_C_TEXT_T, offsetof(T, f), SQL_FIELD_SIZE(T, f), 0, NULL                                \
    }
#define SQL_C_BLOB(T, f, len)                                                                      \
    {                                                                                              \
        SQL_C_BLOB_T, offsetof(T, f), 0, offsetof(T, len), NULL                                    \
    }
/* text or bytes into a new NUL-terminated allocation (char *f), no length */
#define SQL_C_DUP(T, f)                                                                            \
    {                                                                                              \
        SQL_C_BLOB_T, offsetof(T, f), 0, SQL_NO_LEN, NULL                                          \
    }
#define SQL_NO_LEN ((size_t)-1)
#define SQL_C_FN(T, f, fn)                                                                         \
    {                                                                                              \
        SQL_C_FN_T, offsetof(T, f), SQL_FIELD_SIZE(T, f), 0, fn                                    \
    }

/* The columns of a row struct T, in select order. */
struct sql_map {
    const struct sql_col *cols;
    size_t ncols;
    size_t size; /* sizeof(T) */
};
#define SQL_MAP(T, cols)                                                                           \
    {                                                                                              \
        cols, sizeof(cols) / sizeof((cols)[0]), sizeof(T)                                          \
    }

/* Run a statement that returns no rows (rows it returns are skipped).
 * *changes (may be NULL) gets the rows changed. */
ERR_MUST_CHECK enum err sql_exec(struct store *s, const char *what, const char *sql,
                                 struct sql_args a, long long *changes);
/* The first row into *row (zeroed first); ERR_NOTFOUND if there is none.
 * The statement runs to its end (an INSERT ... RETURNING completes). */
ERR_MUST_CHECK enum err sql_get(struct store *s, const char *what, const char *sql,
                                struct sql_args a, const struct sql_map *m, void *row);
/* The first column of the first row as an integer; ERR_NOTFOUND if no row. */
ERR_MUST_CHECK enum err sql_int(struct store *s, const char *what, const char *sql,
                                struct sql_args a, int64_t *out);
/* An INSERT ... RETURNING id: *id (may be NULL) gets the new row's id. */
ERR_MUST_CHECK enum err sql_insert(struct store *s, const char *what, const char *sql,
                                   struct sql_args a, long long *id);
/* Every row into a new array of m->size elements: *out (caller frees,
 * with sql_rows_release when the map has blobs) and *n. ERR_LIMIT past
 * s->max_rows rows. */
ERR_MUST_CHECK enum err sql_list(struct store *s, const char *what, const char *sql,
                                 struct sql_args a, const struct sql_map *m, void **out, size_t *n);
/* Each row read into *row, then fn(ctx, row); fn returning non-zero
 * stops the walk (not an error). A row's blobs are freed after fn. */
ERR_MUST_CHECK enum err sql_each(struct store *s, const char *what, const char *sql,
                                 struct sql_args a, const struct sql_map *m, void *row,
                                 int (*fn)(void *ctx, void *row), void *ctx);
/* Feed every row of the statement into h in one canonical form that
 * does not depend on the driver: column i read as types[i] ('i' an
 * integer, 't' text, 'b' bytes), NULL as "N;", an integer as
 * "I<decimal>;", text and bytes as "S<length>:<bytes>;", each row ended
 * by "\n"; the rows in the order of those bytes (memcmp), so that
 * neither the statement's ORDER BY nor a backend's collation changes the
 * digest. At most SQL_DIGEST_MAX bytes of rows (ERR_LIMIT). *rows (may
 * be NULL) gets the number of rows. */
#define SQL_DIGEST_MAX ((size_t)256 << 20)
ERR_MUST_CHECK enum err sql_digest(struct store *s, const char *what, const char *sql,
                                   struct sql_args a, const char *types, struct sha256 *h,
                                   long long *rows);
/* Free the blobs of n rows read through m, then the array. */
void sql_rows_release(const struct sql_map *m, void *rows, size_t n);

/* Make room for one more element in *arr (n used of *cap): doubling,
 * never past max elements, the byte size checked for overflow. ERR_LIMIT
 * past max or on overflow, ERR_NOMEM; *arr and *cap unchanged then. */
ERR_MUST_CHECK enum err sql_grow(void **arr, size_t *cap, size_t n, size_t elem, size_t max);

/* The levels of store_begin/commit/rollback (store.h): the outermost is
 * the driver's transaction, inner ones are savepoints. Commit ends the
 * level whether or not it succeeds (undone when not); rollback undoes it
 * and keeps s->err. */
ERR_MUST_CHECK enum err sql_level_begin(struct store *s);
ERR_MUST_CHECK enum err sql_level_commit(struct store *s);
void sql_level_rollback(struct store *s);

/* One store operation of several statements that must happen together:
 * a savepoint inside the caller's transaction, or a transaction of its
 * own. sql_atomic_end commits it when e is ERR_OK and undoes it otherwise;
 * it returns e, or the failure to commit. */
ERR_MUST_CHECK enum err sql_atomic_begin(struct store *s);
ERR_MUST_CHECK enum err sql_atomic_end(struct store *s, enum err e);

/* Record "what: reason" in s->err, the reason being what the driver left
 * there; returns e. */
ERR_MUST_CHECK enum err sql_fail(struct store *s, const char *what, enum err e);

#endif
