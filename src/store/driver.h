/* driver.h - the table of operations a database backend implements, and
 * the connection they share. Store-internal: only src/store/ includes it.
 *
 * A driver knows one kind of database (SQLite now, PostgreSQL next): how
 * to connect, run a statement with bound parameters, step through rows and
 * read typed columns, open and end a transaction, and what a database
 * "file" means for backup and restore. Everything else - the business
 * storage functions of store.h, store_auth.h and store_req.h, nested
 * transactions (savepoints), migrations, counters - is written once over
 * this table in portable SQL (sql.h), so that a new backend adds a driver
 * and a migration dialect, not a second copy of the storage functions.
 *
 * Portable SQL here means what SQLite 3.40 and PostgreSQL 15 both take:
 * parameters are `?`, numbered in order of appearance (a PostgreSQL driver
 * rewrites them to $1..$n and sends each value's type, so `? IS NULL`
 * needs no cast); INSERT ... RETURNING instead of a last-insert id;
 * ON CONFLICT ... DO UPDATE/NOTHING; SAVEPOINT/RELEASE/ROLLBACK TO;
 * integers 0/1 for truth; no LIMIT -1 (bind a large number for "all").
 *
 * A statement that fails inside a transaction (a constraint violated)
 * leaves the transaction usable, as SQLite does: the store's callers
 * undo the level they are in and go on in the outer one, or go on in
 * the same level. A driver whose database aborts the whole transaction
 * on an error (PostgreSQL) runs each statement that changes data inside
 * a transaction under a savepoint of its own; a read that fails there
 * (a timeout, a bug: never an absent row) fails the transaction, which
 * its level's rollback mends.
 *
 * Every operation that can fail returns enum err and leaves the reason
 * (the database's own words) in s->err and its kind in s->fault (disk
 * full, read-only, damaged, other I/O: what no retry mends); the caller
 * adds what it was doing. ERR_CONFLICT means a constraint was violated,
 * ERR_LIMIT that the database stayed busy or gave up this transaction for
 * a concurrent one (a lock wait timed out, a deadlock, a serialization
 * failure): the whole transaction may be run again. ERR_STORE is anything
 * else. */
#ifndef BIDRAG_STORE_DRIVER_H
#define BIDRAG_STORE_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* A value bound to a statement parameter (see SQL_INT etc. in sql.h). */
enum sql_type { SQL_TYPE_NULL = 0, SQL_TYPE_INT, SQL_TYPE_TEXT, SQL_TYPE_BLOB };
struct sql_val {
    enum sql_type type;
    int64_t i;     /* SQL_TYPE_INT */
    const char *s; /* SQL_TYPE_TEXT, NUL-terminated; NULL binds NULL */
    const void *p; /* SQL_TYPE_BLOB, n bytes */
    size_t n;
};

struct store_driver {
    const char *scheme;  /* the URL scheme that selects it: "sqlite" */
    const char *dialect; /* migrations NNNN_name.<dialect>.sql it takes */
    /* schema_migration in this dialect (created if absent) */
    const char *migration_table;

    /* Connect to target (the URL after "scheme:"); mode says whether a
     * database that does not exist yet may be created. Sets s->conn. */
    enum err (*open)(struct store *s, const char *target, enum store_open_mode mode);
    void (*close)(struct store *s);
    /* Run a script of statements without parameters (migrations). */
    enum err (*exec)(struct store *s, const char *script);

    /* Statements: prepare, bind parameter i (1-based), step (*row = 1 and
     * the columns readable, or *row = 0 when done), read column i
     * (0-based; text and blobs stay valid until the next step), finalize
     * (done with it: a driver may keep it, reset, for the same SQL text on
     * the same connection; close and schema changes drop what it kept). */
    enum err (*prepare)(struct store *s, const char *sql, void **st);
    enum err (*bind)(struct store *s, void *st, int i, const struct sql_val *v);
    enum err (*step)(struct store *s, void *st, int *row);
    int (*col_null)(void *st, int i);
    int64_t (*col_int)(void *st, int i);
    const char *(*col_text)(void *st, int i); /* "" for NULL */
    const void *(*col_blob)(void *st, int i, size_t *n);
    void (*finalize)(struct store *s, void *st);
    /* Rows changed by the last statement that finished. */
    long long (*changes)(struct store *s);
    /* The current row's shape, for copying rows of any table (store_copy):
     * the number of columns, column i's name, and the type of its value
     * in this row (SQL_TYPE_NULL for NULL). */
    int (*col_count)(void *st);
    const char *(*col_name)(void *st, int i);
    enum sql_type (*col_type)(void *st, int i);
    /* After rows were written into table with ids of their own (a copy):
     * ids the database generates from now on follow the largest there. */
    enum err (*loaded)(struct store *s, const char *table);

    /* The outermost transaction: begin takes the database's one write
     * lock at once (a writer never fails half-way for another writer,
     * in this process or another), waiting for it while the database is
     * busy; commit makes it durable. Nested levels are savepoints, run by
     * the store in portable SQL. */
    enum err (*begin)(struct store *s);
    enum err (*commit)(struct store *s);
    enum err (*rollback)(struct store *s);

    /* 1 if the connection can only read (opened read-only, or its file
     * system takes no writes). */
    int (*readonly)(struct store *s);
    /* The database's own quick integrity check: ERR_INVALID with the
     * first problem in msg when it is not sound (s->fault DAMAGED). */
    enum err (*quick_check)(struct store *s, char *msg, size_t n);

    /* What the database is, for messages ("var/bidrag.db"; a URL without
     * its password). */
    void (*describe)(const char *target, char *out, size_t n);
    /* The folder a file database lives in ("" for the working folder);
     * ERR_NOTFOUND when the database is no file. */
    enum err (*folder)(const char *target, char *out, size_t n);
    /* A consistent copy of the open database into a new backup file. */
    enum err (*backup)(struct store *s, const char *file);
    /* Check a backup file that is not open (integrity); msg says why not. */
    enum err (*check)(const char *file, char *msg, size_t n);
    /* Put a backup file in place of the (closed) database at target
     * after checking it and its schema (*schema, never newer than this
     * build); the database before is kept aside, named in keep. */
    enum err (*restore)(const char *target, const char *file, int *schema, char *keep,
                        size_t keep_n, char *msg, size_t n);
};

/* One open database: the generic state the store keeps over a driver. */
struct store {
    const struct store_driver *drv;
    void *conn;             /* the driver's connection */
    char *target;           /* the URL after the scheme (a file path for SQLite) */
    char err[512];          /* why the last operation failed */
    int depth;              /* open levels: 0 none, 1 the transaction, > 1 savepoints */
    size_t max_rows;        /* cap on the rows of one list */
    enum store_fault fault; /* kind of the last failure, set by the driver */
    /* 1 while a bulk load (store_copy) runs in its one transaction: a
     * failing statement fails all of it, so no statement needs a
     * savepoint of its own */
    int bulk;
    /* run once after the outermost transaction commits (store_after_commit) */
    void (*after_commit)(struct store *s, void *ctx);
    void *after_commit_ctx;
};

extern const struct store_driver store_driver_sqlite;
extern const struct store_driver store_driver_pg;

/* The driver for a URL's scheme, NULL if this build has none. */
const struct store_driver *store_driver_find(const char *scheme);

#endif
