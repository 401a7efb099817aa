/* driver_sqlite.c - the SQLite driver of the store (driver.h): a database
 * file (or ":memory:") in WAL mode with synchronous=FULL and foreign keys;
 * writers take the write lock with BEGIN IMMEDIATE and wait for it in a
 * short exponential back-off; a cache of prepared statements per
 * connection; backup, integrity check and restore of database files. The
 * only file that includes sqlite3.h. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/driver.h"
#include "util/str.h"

#define BUSY_TIMEOUT_MS 5000
#define STMT_CACHE 64 /* prepared statements kept per connection */

/* A statement kept for its SQL text: compiled once, reset after each use
 * (no lock held, no parameter kept) and handed out again. */
struct cached_stmt {
    char *sql;
    uint64_t hash;
    sqlite3_stmt *st;
    int busy;      /* handed out and not yet finalized */
    uint64_t used; /* when last handed out (a counter), for eviction */
};

struct sq_conn {
    sqlite3 *db;
    struct cached_stmt cache[STMT_CACHE];
    size_t ncache;
    uint64_t clock;
};

static sqlite3 *db_of(struct store *s)
{
    return s->conn ? ((struct sq_conn *)s->conn)->db : NULL;
}

static uint64_t sql_hash(const char *sql)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

/* Drop every kept statement that is not handed out (those go when they
 * are finalized). */
static void cache_flush(struct sq_conn *c)
{
    size_t j = 0;
    for (size_t i = 0; i < c->ncache; i++) {
        if (c->cache[i].busy) {
            c->cache[j++] = c->cache[i];
            continue;
        }
        sqlite3_finalize(c->cache[i].st);
        free(c->cache[i].sql);
    }
    c->ncache = j;
}

/* 1 if the file system holding the database takes no writes (mounted
 * read-only, or turned read-only after errors). */
static int fs_readonly(const struct store *s)
{
    char dir[4096];
    struct statvfs v;
    if (!s->target || strcmp(s->target, ":memory:") == 0 || str_copy(dir, sizeof(dir), s->target))
        return 0;
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir ? 1 : 0] = '\0';
    return statvfs(slash ? dir : ".", &v) == 0 && (v.f_flag & ST_RDONLY);
}

/* Remember what kind of failure the connection just met. SQLite tells a
 * full disk apart (SQLITE_FULL) but not a file system gone read-only
 * (an I/O error like any other), so that is asked of the file system. */
static void note_fault(struct store *s, int rc)
{
    sqlite3 *db = db_of(s);
    int code = rc & 0xff;
    int sys = db ? sqlite3_system_errno(db) : 0;
    if (code == SQLITE_FULL || (code == SQLITE_IOERR && (sys == ENOSPC || sys == EDQUOT)))
        s->fault = STORE_FAULT_FULL;
    else if (code == SQLITE_READONLY || (code == SQLITE_IOERR && (sys == EROFS || fs_readonly(s))))
        s->fault = STORE_FAULT_READONLY;
    else if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
        s->fault = STORE_FAULT_DAMAGED;
    else if (code == SQLITE_IOERR || code == SQLITE_CANTOPEN)
        s->fault = STORE_FAULT_IO;
}

/* Leave SQLite's reason in s->err and its kind in s->fault; map its code
 * to an enum err. */
static enum err fail(struct store *s, int rc)
{
    sqlite3 *db = db_of(s);
    note_fault(s, rc);
    snprintf(s->err, sizeof(s->err), "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        return ERR_CONFLICT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ERR_LIMIT;
    case SQLITE_NOMEM:
        return ERR_NOMEM;
    default:
        return ERR_STORE;
    }
}

/* 1 if a script only opens or ends a transaction level (no schema change). */
static int txn_verb(const char *script)
{
    static const char *const verbs[] = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"};
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (str_starts(script, verbs[i]))
            return 1;
    return 0;
}

static enum err drv_exec(struct store *s, const char *script)
{
    char *msg = NULL;
    /* a script may change the schema (migrations): statements kept from
     * before would recompile on their own, but go rather than linger */
    if (s->conn && !txn_verb(script))
        cache_flush(s->conn);
    int rc = sqlite3_exec(db_of(s), script, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return ERR_OK;
    enum err e = fail(s, rc);
    if (msg)
        snprintf(s->err, sizeof(s->err), "%s", msg);
    sqlite3_free(msg);
    return e;
}

static int is_memory(const char *target)
{
    return strcmp(target, ":memory:") == 0;
}

static enum err mkdir_parent(const char *path)
{
    char dir[4096];
    if (str_copy(dir, sizeof(dir), path))
        return ERR_LIMIT;
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return ERR_OK;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            return ERR_IO;
        *p = '/';
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return ERR_IO;
    return ERR_OK;
}

/* Wait for a busy database in steps of BUSY_FIRST_US doubling to
 * BUSY_STEP_MAX_US, for BUSY_TIMEOUT_MS in all: a writer waiting for
 * another one's commit (a few milliseconds with fsync) tries again soon
 * after it, where SQLite's own handler sleeps in steps of up to 100 ms. */
#define BUSY_FIRST_US 50L
#define BUSY_STEP_MAX_US 1000L

static int busy_wait(void *ctx, int count)
{
    (void)ctx;
    long step_us = BUSY_FIRST_US, waited_us = 0;
    for (int i = 0; i < count && waited_us < (long)BUSY_TIMEOUT_MS * 1000; i++) {
        waited_us += step_us;
        step_us = step_us * 2 > BUSY_STEP_MAX_US ? BUSY_STEP_MAX_US : step_us * 2;
    }
    if (waited_us >= (long)BUSY_TIMEOUT_MS * 1000)
        return 0;
    struct timespec ts = {0, step_us * 1000};
    nanosleep(&ts, NULL);
    return 1;
}

/* Once per process, before SQLite starts: no global memory statistics
 * (their mutex is shared by every connection and shows up first in
 * profiles of concurrent submissions). */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static enum err drv_open(struct store *s, const char *target, enum store_open_mode mode)
{
    pthread_once(&sqlite_once, sqlite_setup);
    struct stat sb;
    int memory = is_memory(target);
    int exists = memory || stat(target, &sb) == 0;
    if (!exists && mode == STORE_OPEN_EXISTING) {
        snprintf(s->err, sizeof(s->err), "database '%s' does not exist (run 'bidrag init')",
                 target);
        return ERR_NOTFOUND;
    }
    if (!exists && mkdir_parent(target) != ERR_OK) {
        snprintf(s->err, sizeof(s->err), "cannot create the folder of '%s'", target);
        return ERR_IO;
    }
    /* a connection is used by one thread at a time (the server gives every
     * worker its own), so SQLite's per-call connection mutex is not needed */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                (mode == STORE_OPEN_CREATE ? SQLITE_OPEN_CREATE : 0);
    struct sq_conn *c = calloc(1, sizeof(*c));
    if (!c) {
        snprintf(s->err, sizeof(s->err), "no memory to open '%s'", target);
        return ERR_NOMEM;
    }
    s->conn = c;
    int rc = sqlite3_open_v2(target, &c->db, flags, NULL);
    sqlite3 *db = c->db;
    if (rc != SQLITE_OK) {
        enum err e = fail(s, rc);
        char reason[256];
        str_copy(reason, sizeof(reason), s->err);
        snprintf(s->err, sizeof(s->err), "cannot open '%s': %s", target, reason);
        return e;
    }
    sqlite3_busy_handler(db, busy_wait, NULL);
    sqlite3_extended_result_codes(db, 1);
    return drv_exec(s, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                       "PRAGMA synchronous=FULL;");
}

static void drv_close(struct store *s)
{
    struct sq_conn *c = s->conn;
    if (!c)
        return;
    for (size_t i = 0; i < c->ncache; i++) {
        sqlite3_finalize(c->cache[i].st);
        free(c->cache[i].sql);
    }
    sqlite3_close_v2(c->db);
    free(c);
    s->conn = NULL;
}

/* A kept statement for sql that is not handed out, or NULL. */
static struct cached_stmt *cache_find(struct sq_conn *c, const char *sql, uint64_t h)
{
    for (size_t i = 0; i < c->ncache; i++) {
        struct cached_stmt *k = &c->cache[i];
        if (k->hash == h && !k->busy && strcmp(k->sql, sql) == 0)
            return k;
    }
    return NULL;
}

/* Keep st for sql (handed out now): in a free place, or in place of the
 * least recently used one that is not handed out; not at all when every
 * place is handed out or there is no memory. */
static void cache_keep(struct sq_conn *c, const char *sql, uint64_t h, sqlite3_stmt *st)
{
    struct cached_stmt *k = NULL;
    if (c->ncache < STMT_CACHE) {
        k = &c->cache[c->ncache];
    } else {
        for (size_t i = 0; i < c->ncache; i++)
            if (!c->cache[i].busy && (!k || c->cache[i].used < k->used))
                k = &c->cache[i];
        if (!k)
            return;
    }
    char *copy = strdup(sql);
    if (!copy)
        return;
    if (k == &c->cache[c->ncache]) {
        c->ncache++;
    } else {
        sqlite3_finalize(k->st);
        free(k->sql);
    }
    k->sql = copy;
    k->hash = h;
    k->st = st;
    k->busy = 1;
    k->used = ++c->clock;
}

static enum err drv_prepare(struct store *s, const char *sql, void **st)
{
    struct sq_conn *c = s->conn;
    uint64_t h = sql_hash(sql);
    struct cached_stmt *k = cache_find(c, sql, h);
    if (k) {
        k->busy = 1;
        k->used = ++c->clock;
        *st = k->st;
        return ERR_OK;
    }
    sqlite3_stmt *p = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &p, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(p);
        return fail(s, rc);
    }
    if (p)
        cache_keep(c, sql, h, p);
    *st = p;
    return ERR_OK;
}

static enum err drv_bind(struct store *s, void *st, int i, const struct sql_val *v)
{
    sqlite3_stmt *p = st;
    int rc = SQLITE_OK;
    switch (v->type) {
    case SQL_TYPE_NULL:
        rc = sqlite3_bind_null(p, i);
        break;
    case SQL_TYPE_INT:
        rc = sqlite3_bind_int64(p, i, v->i);
        break;
    case SQL_TYPE_TEXT:
        rc = v->s ? sqlite3_bind_text(p, i, v->s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(p, i);
        break;
    case SQL_TYPE_BLOB:
        rc = sqlite3_bind_blob64(p, i, v->p ? v->p : "", (sqlite3_uint64)v->n, SQLITE_TRANSIENT);
        break;
    }
    return rc == SQLITE_OK ? ERR_OK : fail(s, rc);
}

static enum err drv_step(struct store *s, void *st, int *row)
{
    int rc = sqlite3_step(st);
    *row = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return ERR_OK;
    return fail(s, rc);
}

static int drv_col_null(void *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL;
}

static int64_t drv_col_int(void *st, int i)
{
    return sqlite3_column_int64(st, i);
}

static const char *drv_col_text(void *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static const void *drv_col_blob(void *st, int i, size_t *n)
{
    const void *p = sqlite3_column_blob(st, i);
    int len = sqlite3_column_bytes(st, i);
    *n = len > 0 ? (size_t)len : 0;
    return p ? p : "";
}

/* A kept statement is reset (its read or write ends, its parameters go)
 * for the next use; any other is finalized. */
static void drv_finalize(struct store *s, void *st)
{
    struct sq_conn *c = s->conn;
    for (size_t i = 0; c && st && i < c->ncache; i++) {
        if (c->cache[i].st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            c->cache[i].busy = 0;
            return;
        }
    }
    sqlite3_finalize(st);
}

static long long drv_changes(struct store *s)
{
    return sqlite3_changes64(db_of(s));
}

static int drv_col_count(void *st)
{
    return sqlite3_column_count(st);
}

static const char *drv_col_name(void *st, int i)
{
    const char *name = sqlite3_column_name(st, i);
    return name ? name : "";
}

static enum sql_type drv_col_type(void *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        return SQL_TYPE_NULL;
    case SQLITE_INTEGER:
        return SQL_TYPE_INT;
    case SQLITE_BLOB:
        return SQL_TYPE_BLOB;
    default:
        return SQL_TYPE_TEXT; /* text, and the few floats read as text */
    }
}

/* A rowid (INTEGER PRIMARY KEY) already follows the largest there. */
static enum err drv_loaded(struct store *s, const char *table)
{
    (void)s;
    (void)table;
    return ERR_OK;
}

static enum err drv_begin(struct store *s)
{
    return drv_exec(s, "BEGIN IMMEDIATE");
}

static enum err drv_commit(struct store *s)
{
    return drv_exec(s, "COMMIT");
}

static enum err drv_rollback(struct store *s)
{
    return drv_exec(s, "ROLLBACK");
}

static int drv_readonly(struct store *s)
{
    return s->conn && (sqlite3_db_readonly(db_of(s), "main") == 1 || fs_readonly(s));
}

static enum err drv_quick_check(struct store *s, char *msg, size_t n)
{
    sqlite3_stmt *st = NULL;
    enum err e = ERR_OK;
    msg[0] = '\0';
    int rc = sqlite3_prepare_v2(db_of(s), "PRAGMA quick_check(1)", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    const char *r = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    if (rc != SQLITE_ROW) {
        fail(s, rc);
        snprintf(msg, n, "%s", s->err);
        e = ERR_INVALID;
    } else if (!r || strcmp(r, "ok") != 0) {
        snprintf(msg, n, "%s", r ? r : "?");
        s->fault = STORE_FAULT_DAMAGED;
        e = ERR_INVALID;
    }
    sqlite3_finalize(st);
    return e;
}

static void drv_describe(const char *target, char *out, size_t n)
{
    str_copy(out, n, target);
}

static enum err drv_folder(const char *target, char *out, size_t n)
{
    out[0] = '\0';
    if (is_memory(target))
        return ERR_NOTFOUND;
    const char *slash = strrchr(target, '/');
    if (!slash)
        return ERR_OK;
    size_t len = slash == target ? 1 : (size_t)(slash - target);
    if (len >= n)
        return ERR_LIMIT;
    memcpy(out, target, len);
    out[len] = '\0';
    return ERR_OK;
}

/* Copy the database from into the file to (created), page by page; a
 * busy source is waited for. msg gets the reason on failure. */
static enum err copy_db(sqlite3 *from, const char *to_path, char *msg, size_t n)
{
    sqlite3 *to = NULL;
    enum err e = ERR_OK;
    if (sqlite3_open_v2(to_path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        snprintf(msg, n, "cannot create '%s'", to_path);
        sqlite3_close(to);
        return ERR_IO;
    }
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) {
        snprintf(msg, n, "cannot copy to '%s': %s", to_path, sqlite3_errmsg(to));
        e = ERR_IO;
        goto out;
    }
    int rc;
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    if (rc != SQLITE_DONE) {
        snprintf(msg, n, "cannot copy to '%s': %s", to_path, sqlite3_errstr(rc));
        e = ERR_IO;
    }
    sqlite3_backup_finish(b);
out:
    sqlite3_close(to);
    return e;
}

static enum err drv_backup(struct store *s, const char *file)
{
    return copy_db(db_of(s), file, s->err, sizeof(s->err));
}

static enum err drv_check(const char *file, char *msg, size_t n)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    enum err e = ERR_OK;
    msg[0] = '\0';
    if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(msg, n, "cannot open '%s': %s", file, db ? sqlite3_errmsg(db) : "no memory");
        e = ERR_IO;
        goto out;
    }
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        snprintf(msg, n, "'%s' is not a database: %s", file, sqlite3_errmsg(db));
        e = ERR_INVALID;
        goto out;
    }
    const char *r = (const char *)sqlite3_column_text(st, 0);
    if (!r || strcmp(r, "ok") != 0) {
        snprintf(msg, n, "'%s' fails the integrity check: %s", file, r ? r : "?");
        e = ERR_INVALID;
    }
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return e;
}

/* Remove the -wal and -shm files beside path. */
static void remove_sidecars(const char *path)
{
    char side[4200];
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

static enum err drv_restore(const char *target, const char *file, int *schema, char *keep,
                            size_t keep_n, char *msg, size_t n)
{
    char tmp[4096], url[4200];
    struct store *s = NULL;
    sqlite3 *from = NULL;
    int available = 0;
    struct stat sb;
    *schema = 0;
    keep[0] = '\0';
    if (is_memory(target)) {
        snprintf(msg, n, "'%s' is no file to restore into", target);
        return ERR_INVALID;
    }
    enum err e = drv_check(file, msg, n);
    if (e != ERR_OK)
        return e;
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.restoring", target) >= sizeof(tmp) ||
        (size_t)snprintf(keep, keep_n, "%s.before-restore", target) >= keep_n) {
        snprintf(msg, n, "database path '%s' is too long", target);
        return ERR_LIMIT;
    }
    unlink(tmp);
    if (sqlite3_open_v2(file, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(msg, n, "cannot open '%s'", file);
        sqlite3_close(from);
        return ERR_IO;
    }
    e = copy_db(from, tmp, msg, n);
    sqlite3_close(from);
    if (e != ERR_OK)
        goto fail;
    /* Check the schema before migrating: a backup from a newer build is
     * refused. Opening applies this build's pending migrations. */
    snprintf(url, sizeof(url), "sqlite:%s", tmp);
    e = store_open(url, STORE_OPEN_EXISTING, &s);
    if (e == ERR_OK)
        e = store_schema_version(s, schema, &available);
    store_close(s);
    if (e != ERR_OK) {
        snprintf(msg, n, "'%s' is not a bidrag database", file);
        goto fail;
    }
    if (*schema > available) {
        snprintf(msg, n, "'%s' has schema %d, newer than this build (%d)", file, *schema,
                 available);
        e = ERR_INVALID;
        goto fail;
    }
    if (stat(target, &sb) == 0) {
        unlink(keep);
        if (rename(target, keep) != 0) {
            snprintf(msg, n, "cannot move '%s' aside", target);
            e = ERR_IO;
            goto fail;
        }
    }
    remove_sidecars(target);
    remove_sidecars(tmp);
    if (rename(tmp, target) != 0) {
        snprintf(msg, n, "cannot put '%s' in place", target);
        return ERR_IO;
    }
    return ERR_OK;
fail:
    unlink(tmp);
    remove_sidecars(tmp);
    return e;
}

const struct store_driver store_driver_sqlite = {
    .scheme = "sqlite",
    .dialect = "sqlite",
    .migration_table = "CREATE TABLE IF NOT EXISTS schema_migration ("
                       " number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                       " applied_at TEXT NOT NULL DEFAULT "
                       "(strftime('%Y-%m-%dT%H:%M:%SZ','now')))",
    .open = drv_open,
    .close = drv_close,
    .exec = drv_exec,
    .prepare = drv_prepare,
    .bind = drv_bind,
    .step = drv_step,
    .col_null = drv_col_null,
    .col_int = drv_col_int,
    .col_text = drv_col_text,
    .col_blob = drv_col_blob,
    .finalize = drv_finalize,
    .changes = drv_changes,
    .col_count = drv_col_count,
    .col_name = drv_col_name,
    .col_type = drv_col_type,
    .loaded = drv_loaded,
    .begin = drv_begin,
    .commit = drv_commit,
    .rollback = drv_rollback,
    .readonly = drv_readonly,
    .quick_check = drv_quick_check,
    .describe = drv_describe,
    .folder = drv_folder,
    .backup = drv_backup,
    .check = drv_check,
    .restore = drv_restore,
};
