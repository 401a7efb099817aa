/* store.h - the one storage interface. SQLite now (store_sqlite.c); a
 * PostgreSQL implementation can be added behind the same functions. SQL
 * lives only in src/store/. Nothing here holds a business rule.
 *
 * Every function returns enum err; on ERR_STORE, store_errmsg() says why.
 * Writes made between store_begin() and store_commit() are one
 * transaction; store_rollback() undoes them. */
#ifndef BIDRAG_STORE_STORE_H
#define BIDRAG_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/org.h"
#include "core/series.h"
#include "util/err.h"

struct store;

enum store_open_mode {
    STORE_OPEN_EXISTING = 0, /* fail with ERR_NOTFOUND if the file is absent */
    STORE_OPEN_CREATE = 1    /* create the file (and its folder) if absent */
};

/* Open the database at path and apply pending migrations. *out is owned by
 * the caller (store_close). */
enum err store_open(const char *path, enum store_open_mode mode, struct store **out);
/* Why the last store_open() on this thread failed. */
const char *store_open_error(void);
void store_close(struct store *s);
const char *store_errmsg(const struct store *s);
const char *store_path(const struct store *s);

/* Schema state: migrations applied and available in this build. */
enum err store_schema_version(struct store *s, int *applied, int *available);

/* The kind of the last failure on this connection since
 * store_fault_clear(), so that a caller can tell a full disk or a
 * read-only or damaged database (which no retry will mend) from other
 * failures without reading SQLite's message. */
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
/* SQLite's quick_check of the open database: ERR_OK when sound, else
 * ERR_INVALID with the first problem in msg (n bytes). */
enum err store_quick_check(struct store *s, char *msg, size_t n);

enum err store_begin(struct store *s);
enum err store_commit(struct store *s);
void store_rollback(struct store *s);

/* Organisations. */
enum err store_org_count(struct store *s, long long *n);
enum err store_org_put(struct store *s, const struct org *o);
/* All organisations ordered by kommun code then region code; caller releases. */
enum err store_org_list(struct store *s, struct org_list *out);

/* Series (population, metrics). put replaces a series of the same kind,
 * name and date. now is an ISO 8601 timestamp supplied by the caller. */
enum err store_series_put(struct store *s, const struct series *se, const char *now);
/* Fetch a series; date may be NULL for metrics without a date. ERR_NOTFOUND
 * if absent. Caller releases out. */
enum err store_series_get(struct store *s, enum series_kind kind, const char *name,
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
enum err store_series_list(struct store *s, struct store_series_info **out, size_t *n);

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
enum err store_program_put(struct store *s, const struct store_program *p);
enum err store_program_get(struct store *s, const char *id, struct store_program *out);
/* Programs without their source/files, ordered by id; caller frees with
 * store_program_release on each element and free(*out). */
enum err store_program_list(struct store *s, struct store_program **out, size_t *n);

/* Consistent online copy of the database to path (SQLite backup API). */
enum err store_backup(struct store *s, const char *path);

#endif
