/* sqlite_internal.h - the SQLite implementation's shared internals, for
 * the store_*.c / sqlite_*.c files only (never included outside src/store/). */
#ifndef BIDRAG_STORE_SQLITE_INTERNAL_H
#define BIDRAG_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>
#include "store/store.h"

struct store {
    sqlite3 *db;
    char *path;
    char err[512];
    int txn_depth;
    int holds_write_lock;   /* this connection holds the process's writer mutex */
    enum store_fault fault; /* kind of the last failure (store_fault) */
};

/* Record sqlite's message for `what` in s->err; returns ERR_STORE (or
 * ERR_CONFLICT for constraint violations, ERR_LIMIT for busy). */
enum err store_fail(struct store *s, const char *what);
/* Prepare sql; on failure sets the message and returns ERR_STORE. */
enum err store_prepare(struct store *s, const char *sql, sqlite3_stmt **st);
/* Bind a C string or NULL as text. */
int store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Copy column i as text into dst (empty if NULL). */
void store_col_text(sqlite3_stmt *st, int i, char *dst, size_t n);

#endif
