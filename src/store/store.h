/* store.h - the one storage interface, over a table of database drivers
 * (driver.h, store-internal): SQLite and PostgreSQL. SQL lives only
 * in src/store/, written once in portable SQL. Nothing here holds a
 * business rule.
 *
 * Every function returns enum err; on failure store_errmsg() says why.
 *
 * Transactions nest: store_begin() opens the transaction (taking the
 * write lock at once) or, inside one, a savepoint; store_commit() and
 * store_rollback() end the innermost level. A rollback inside undoes only
 * that level and the outer transaction stays open; store_commit() ends its
 * level even when it fails (the level is undone then). Every begin is
 * paired with exactly one commit or rollback. Functions that change
 * several rows are atomic on their own (inside the caller's transaction
 * when there is one). */
#ifndef BIDRAG_STORE_STORE_H
#define BIDRAG_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/org.h"
#include "core/series.h"
#include "util/err.h"

struct store;

enum store_open_mode {
    STORE_OPEN_EXISTING = 0, /* fail with ERR_NOTFOUND if the database is absent */
    STORE_OPEN_CREATE = 1    /* create it (and a file's folder) if absent */
};

#define STORE_URL_MAX 4096

/* Split a database URL into its scheme and target:
 *   "sqlite:var/bidrag.db", "sqlite:///srv/bidrag.db" -> "sqlite", a file
 *   "sqlite::memory:"                                 -> "sqlite", ":memory:"
 *   "var/bidrag.db" (a plain path: no "scheme:" before the first '/')
 *                                                      -> "sqlite", the path
 *   "postgresql://host/db", "postgres://..."         -> "postgresql", the URL
 * ERR_INVALID (msg says why) for an empty URL or target, an unknown
 * scheme, control characters; ERR_LIMIT past STORE_URL_MAX bytes. *target
 * points into url. Nothing is opened. */
ERR_MUST_CHECK enum err store_url_parse(const char *url, char scheme[16], const char **target,
                                        char *msg, size_t n);
/* The URL as it may be shown: a password in it (user:PASSWORD@ or a
 * password=PASSWORD parameter) replaced by "***". */
void store_url_safe(const char *url, char *out, size_t n);
/* The folder of a file database ("" for the working folder), for files
 * kept beside it; ERR_NOTFOUND when the database is no file. */
ERR_MUST_CHECK enum err store_url_folder(const char *url, char *out, size_t n);

/* Open the database at url (store_url_parse) and apply pending
 * migrations. *out is owned by the caller (store_close). A URL whose
 * driver this build lacks is ERR_INVALID. */
ERR_MUST_CHECK enum err store_open(const char *url, enum store_open_mode mode, struct store **out);
/* Why the last store_open() on this thread failed. */
const char *store_open_error(void);
void store_close(struct store *s);
const char *store_errmsg(const struct store *s);
/* What the database is, for messages: a file path, or a URL without its
 * password. */
const char *store_name(const struct store *s);
/* The folder of an open file database ("" for the working folder), for
 * files kept beside it; ERR_NOTFOUND when the database is no file. */
ERR_MUST_CHECK enum err store_folder(const struct store *s, char *out, size_t n);
/* Say why an operation around the store failed (the layers above, for
 * callers that report store_errmsg()). */
void store_set_errmsg(struct store *s, const char *msg);
/* Lists of more than max rows fail with ERR_LIMIT (default 10 million). */
void store_limit_rows(struct store *s, size_t max);

/* Schema state: migrations applied and available in this build. */
ERR_MUST_CHECK enum err store_schema_version(struct store *s, int *applied, int *available);
struct store_migration {
    int number;
    char name[64];
    int applied;
};
/* The migrations of this build for the database's dialect, in order, and
 * whether each is applied; caller frees *out. */
ERR_MUST_CHECK enum err store_migration_list(struct store *s, struct store_migration **out,
                                             size_t *n);

/* The kind of the last failure on this connection since
 * store_fault_clear(), so that a caller can tell a full disk or a
 * read-only or damaged database (which no retry will mend) from other
 * failures without reading the database's message. */
enum store_fault {
    STORE_FAULT_NONE = 0,
    STORE_FAULT_FULL,     /* the disk (or the database's size limit) is full */
    STORE_FAULT_READONLY, /* the file or file system takes no writes */
    STORE_FAULT_DAMAGED,  /* the file is not a database or is corrupt */
    STORE_FAULT_IO        /* another input/output error */
};
enum store_fault store_fault(const struct store *s);
/* Forget the last failure: its kind and store_errmsg(). */
void store_fault_clear(struct store *s);
/* 1 if the connection can only read (the file could not be opened for
 * writing, or its file system is read-only). */
int store_readonly(struct store *s);
/* The database's quick integrity check (SQLite's quick_check; the pages
 * PostgreSQL found failing their checksums): ERR_OK
 * when sound, else ERR_INVALID with the first problem in msg (n bytes). */
ERR_MUST_CHECK enum err store_quick_check(struct store *s, char *msg, size_t n);

ERR_MUST_CHECK enum err store_begin(struct store *s);
ERR_MUST_CHECK enum err store_commit(struct store *s);
void store_rollback(struct store *s);
/* Open levels: 0 outside a transaction. */
int store_depth(const struct store *s);
/* 1 between store_begin and store_commit/store_rollback: for assert(). */
int store_in_transaction(const struct store *s);
/* Inside a transaction: call fn(s, ctx) once, right after the outermost
 * level commits (outside any transaction then); forgotten when it is
 * undone. A later call replaces fn and ctx. */
void store_after_commit(struct store *s, void (*fn)(struct store *s, void *ctx), void *ctx);

/* The next value (1, 2, ...) of the sequence (name, year), e.g. ("REK",
 * 2026). Must be called inside a transaction, so that a number is used
 * exactly when the transaction that drew it commits. */
ERR_MUST_CHECK enum err store_counter_next(struct store *s, const char *name, int year,
                                           long long *n);

/* The generation of the computed program views (migration 0035): bumped
 * by the database itself in the transaction of every change an allocation
 * depends on. ERR_NOTFOUND until store_view_gen_init made its row. */
ERR_MUST_CHECK enum err store_view_gen(struct store *s, int64_t *gen);
/* Make the generation's row if it is missing (inside a transaction). */
ERR_MUST_CHECK enum err store_view_gen_init(struct store *s);

/* The generation of everything a page shows (migration 0061): bumped by
 * the database itself in the transaction of every change to a table a
 * page can show (all but sessions, login throttling and the generation
 * tables), whichever process writes. ERR_NOTFOUND until
 * store_data_gen_init made its row. */
ERR_MUST_CHECK enum err store_data_gen(struct store *s, int64_t *gen);
/* Make the generation's row if it is missing (inside a transaction). */
ERR_MUST_CHECK enum err store_data_gen_init(struct store *s);
/* The auth generation (store_auth_gen) and the data generation read in
 * one statement: what a request that may be answered from memory reads
 * at its start. ERR_NOTFOUND while either row is missing. */
ERR_MUST_CHECK enum err store_gens(struct store *s, int64_t *auth, int64_t *data);

/* Organisations. */
ERR_MUST_CHECK enum err store_org_count(struct store *s, long long *n);
ERR_MUST_CHECK enum err store_org_put(struct store *s, const struct org *o);
/* All organisations ordered by kommun code then region code; caller releases. */
ERR_MUST_CHECK enum err store_org_list(struct store *s, struct org_list *out);
/* Set the official name of the organisation with store id id (migration
 * 0063, filled from the reference data by refdata_update_names). */
ERR_MUST_CHECK enum err store_org_set_official_name(struct store *s, long long id,
                                                    const char *name);

/* Series (population, metrics). put replaces a series of the same kind,
 * name and date. now is an ISO 8601 timestamp supplied by the caller. */
ERR_MUST_CHECK enum err store_series_put(struct store *s, const struct series *se, const char *now);
/* Fetch a series; date may be NULL for metrics without a date. ERR_NOTFOUND
 * if absent. Caller releases out. */
ERR_MUST_CHECK enum err store_series_get(struct store *s, enum series_kind kind, const char *name,
                                         const char *date, struct series *out);

/* One line of a series listing. */
struct store_series_info {
    enum series_kind kind;
    char name[64];
    char date[11];
    char source[256];
    int illustrative;
    long long count;
    char imported_at[32];
};
/* List series; caller frees *out. */
ERR_MUST_CHECK enum err store_series_list(struct store *s, struct store_series_info **out,
                                          size_t *n);

/* Programs as stored source text plus named attached files. */
struct store_program_file {
    char name[128];
    char *content; /* owned */
    size_t len;
};
struct store_program {
    char id[64];
    char title[256];
    char diarienummer[64];
    int64_t total_ore;
    char source_name[256];
    char *source; /* owned */
    char loaded_at[32];
    size_t nfiles;
    struct store_program_file *files; /* owned */
};
void store_program_release(struct store_program *p);
/* Insert or replace the program with this id (and its files). */
ERR_MUST_CHECK enum err store_program_put(struct store *s, const struct store_program *p);
ERR_MUST_CHECK enum err store_program_get(struct store *s, const char *id,
                                          struct store_program *out);
/* Programs without their source/files, ordered by id; caller frees with
 * store_program_release on each element and free(*out). */
ERR_MUST_CHECK enum err store_program_list(struct store *s, struct store_program **out, size_t *n);

/* A consistent online copy of the open database into the new file path
 * (taken while others write). */
ERR_MUST_CHECK enum err store_backup(struct store *s, const char *path);
/* Check a backup file that is not open (the integrity check of the
 * database at url's driver must pass); msg (n bytes) says why not. */
ERR_MUST_CHECK enum err store_file_check(const char *url, char *msg, size_t n);
/* Put the backup file in place of the database at url (not in use): the
 * backup is checked, and refused when its schema is newer than this
 * build's; *schema gets its schema; the database before is kept aside,
 * its name in keep (keep_n bytes). msg (n bytes) says why not. */
ERR_MUST_CHECK enum err store_restore(const char *url, const char *file, int *schema, char *keep,
                                      size_t keep_n, char *msg, size_t n);

#endif
