/* store_sqlite.c - the SQLite implementation of store.h: opening,
 * migrations, transactions, organisations, series and programs. */
#include "store/sqlite_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "store/migrations.h"
#include "util/str.h"

/* 1 if the file system holding the database takes no writes (mounted
 * read-only, or turned read-only after errors). */
static int fs_readonly(const struct store *s)
{
    char dir[4096];
    struct statvfs v;
    if (!s->path || str_copy(dir, sizeof(dir), s->path))
        return 0;
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir ? 1 : 0] = '\0';
    return statvfs(slash ? dir : ".", &v) == 0 && (v.f_flag & ST_RDONLY);
}

/* Remember what kind of failure the connection just met. SQLite tells a
 * full disk apart (SQLITE_FULL) but not a file system gone read-only
 * (an I/O error like any other), so that is asked of the file system. */
static void note_fault(struct store *s)
{
    if (!s->db)
        return;
    int code = sqlite3_extended_errcode(s->db) & 0xff;
    int sys = sqlite3_system_errno(s->db);
    if (code == SQLITE_FULL || (code == SQLITE_IOERR && (sys == ENOSPC || sys == EDQUOT)))
        s->fault = STORE_FAULT_FULL;
    else if (code == SQLITE_READONLY || (code == SQLITE_IOERR && (sys == EROFS || fs_readonly(s))))
        s->fault = STORE_FAULT_READONLY;
    else if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
        s->fault = STORE_FAULT_DAMAGED;
    else if (code == SQLITE_IOERR || code == SQLITE_CANTOPEN)
        s->fault = STORE_FAULT_IO;
}

enum err store_fail(struct store *s, const char *what)
{
    int code = s->db ? sqlite3_extended_errcode(s->db) : SQLITE_ERROR;
    note_fault(s);
    snprintf(s->err, sizeof(s->err), "%s: %s", what, s->db ? sqlite3_errmsg(s->db) : "no database");
    if ((code & 0xff) == SQLITE_CONSTRAINT)
        return ERR_CONFLICT;
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
        return ERR_LIMIT;
    return ERR_STORE;
}

enum err store_prepare(struct store *s, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return store_fail(s, "prepare");
    return ERR_OK;
}

int store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (!v)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

void store_col_text(sqlite3_stmt *st, int i, char *dst, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    str_copy(dst, n, t ? (const char *)t : "");
}

const char *store_errmsg(const struct store *s)
{
    return s ? s->err : "no store";
}

const char *store_path(const struct store *s)
{
    return s->path;
}

static enum err exec(struct store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(s->err, sizeof(s->err), "%s", msg ? msg : "exec failed");
        sqlite3_free(msg);
        note_fault(s);
        return ERR_STORE;
    }
    return ERR_OK;
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

static enum err migrate(struct store *s)
{
    enum err e =
        exec(s, "CREATE TABLE IF NOT EXISTS schema_migration ("
                " number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))");
    if (e)
        return e;
    int applied = 0;
    if ((e = store_schema_version(s, &applied, NULL)))
        return e;
    for (int i = 0; i < store_migrations_count; i++) {
        const struct migration *m = &store_migrations[i];
        if (m->number <= applied)
            continue;
        if ((e = exec(s, "BEGIN IMMEDIATE")))
            return e;
        e = exec(s, m->sql);
        if (!e) {
            sqlite3_stmt *st = NULL;
            e = store_prepare(s, "INSERT INTO schema_migration(number, name) VALUES (?, ?)", &st);
            if (!e) {
                sqlite3_bind_int(st, 1, m->number);
                store_bind_text(st, 2, m->name);
                if (sqlite3_step(st) != SQLITE_DONE)
                    e = store_fail(s, "record migration");
                sqlite3_finalize(st);
            }
        }
        if (e) {
            char keep[512];
            snprintf(keep, sizeof(keep), "migration %.60s: %.400s", m->name, s->err);
            exec(s, "ROLLBACK");
            snprintf(s->err, sizeof(s->err), "%s", keep);
            return e;
        }
        if ((e = exec(s, "COMMIT")))
            return e;
    }
    return ERR_OK;
}

/* The reason the last store_open() on this thread failed. */
static _Thread_local char open_error[512];

const char *store_open_error(void)
{
    return open_error;
}

/* Once per process, before SQLite starts: no global memory statistics
 * (their mutex is shared by every connection and shows up first in
 * profiles of concurrent submissions). */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum err store_open(const char *path, enum store_open_mode mode, struct store **out)
{
    pthread_once(&sqlite_once, sqlite_setup);
    *out = NULL;
    struct store *s = calloc(1, sizeof(*s));
    if (!s)
        return ERR_NOMEM;
    s->path = strdup(path);
    if (!s->path) {
        free(s);
        return ERR_NOMEM;
    }
    enum err e = ERR_OK;
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!exists && mode == STORE_OPEN_EXISTING) {
        snprintf(s->err, sizeof(s->err), "database '%s' does not exist (run 'bidrag init')", path);
        e = ERR_NOTFOUND;
        goto out;
    }
    if (!exists && (e = mkdir_parent(path))) {
        snprintf(s->err, sizeof(s->err), "cannot create the folder of '%s'", path);
        goto out;
    }
    /* a connection is used by one thread at a time (the server gives every
     * worker its own), so SQLite's per-call connection mutex is not needed */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                (mode == STORE_OPEN_CREATE ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        e = store_fail(s, "open");
        goto out;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_extended_result_codes(s->db, 1);
    if ((e = exec(s, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                     "PRAGMA synchronous=FULL;")))
        goto out;
    e = migrate(s);
out:
    if (e) {
        snprintf(open_error, sizeof(open_error), "%s", s->err);
        store_close(s);
        *out = NULL;
        return e;
    }
    *out = s;
    return ERR_OK;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->txn_depth)
        store_rollback(s);
    if (s->db)
        sqlite3_close_v2(s->db);
    free(s->path);
    free(s);
}

enum store_fault store_fault(const struct store *s)
{
    return s ? s->fault : STORE_FAULT_NONE;
}

void store_fault_clear(struct store *s)
{
    if (s) {
        s->fault = STORE_FAULT_NONE;
        s->err[0] = '\0';
    }
}

int store_readonly(struct store *s)
{
    return s && s->db && (sqlite3_db_readonly(s->db, "main") == 1 || fs_readonly(s));
}

enum err store_quick_check(struct store *s, char *msg, size_t n)
{
    sqlite3_stmt *st = NULL;
    msg[0] = '\0';
    enum err e = store_prepare(s, "PRAGMA quick_check(1)", &st);
    if (e != ERR_OK) {
        snprintf(msg, n, "%s", s->err);
        return ERR_INVALID;
    }
    int rc = sqlite3_step(st);
    const char *r = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    if (rc != SQLITE_ROW) {
        store_fail(s, "quick check");
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

enum err store_schema_version(struct store *s, int *applied, int *available)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s, "SELECT COALESCE(MAX(number), 0) FROM schema_migration", &st);
    if (e)
        return e;
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (applied)
            *applied = sqlite3_column_int(st, 0);
    } else {
        e = store_fail(s, "schema version");
    }
    sqlite3_finalize(st);
    if (available)
        *available =
            store_migrations_count ? store_migrations[store_migrations_count - 1].number : 0;
    return e;
}

/* Write transactions of the connections in this process take turns on a
 * mutex before BEGIN IMMEDIATE: SQLite lets one writer in at a time
 * anyway, and its busy handler makes the others sleep in steps of
 * milliseconds, which under many concurrent submissions costs far more
 * than the commits themselves. Other processes (the CLI) still meet
 * SQLite's own lock and busy timeout. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static void release_write_lock(struct store *s)
{
    if (s->holds_write_lock) {
        s->holds_write_lock = 0;
        pthread_mutex_unlock(&write_lock);
    }
}

enum err store_begin(struct store *s)
{
    if (s->txn_depth++ > 0)
        return ERR_OK;
    pthread_mutex_lock(&write_lock);
    s->holds_write_lock = 1;
    enum err e = exec(s, "BEGIN IMMEDIATE");
    if (e) {
        s->txn_depth = 0;
        release_write_lock(s);
    }
    return e;
}

enum err store_commit(struct store *s)
{
    if (s->txn_depth == 0)
        return ERR_OK;
    if (--s->txn_depth > 0)
        return ERR_OK;
    enum err e = exec(s, "COMMIT");
    if (e) {
        /* the transaction is still open: undo it rather than leave it */
        char keep[512];
        snprintf(keep, sizeof(keep), "%s", s->err);
        exec(s, "ROLLBACK");
        snprintf(s->err, sizeof(s->err), "%s", keep);
    }
    release_write_lock(s);
    return e;
}

void store_rollback(struct store *s)
{
    if (s->txn_depth == 0)
        return;
    s->txn_depth = 0;
    char keep[512];
    snprintf(keep, sizeof(keep), "%s", s->err);
    exec(s, "ROLLBACK");
    snprintf(s->err, sizeof(s->err), "%s", keep);
    release_write_lock(s);
}

/* ---- organisations ---- */

enum err store_org_count(struct store *s, long long *n)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s, "SELECT COUNT(*) FROM org", &st);
    if (e)
        return e;
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    else
        e = store_fail(s, "count organisations");
    sqlite3_finalize(st);
    return e;
}

static const char *nz(const char *s)
{
    return s && s[0] ? s : NULL;
}

enum err store_org_put(struct store *s, const struct org *o)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "INSERT INTO org(name, kommun_code, region_code, region_name,"
                               " lan_code, lan_name) VALUES (?, ?, ?, ?, ?, ?)",
                               &st);
    if (e)
        return e;
    store_bind_text(st, 1, o->name);
    store_bind_text(st, 2, nz(o->kommun_code));
    store_bind_text(st, 3, nz(o->region_code));
    store_bind_text(st, 4, nz(o->region_name));
    store_bind_text(st, 5, o->lan_code);
    store_bind_text(st, 6, o->lan_name);
    if (sqlite3_step(st) != SQLITE_DONE)
        e = store_fail(s, "insert organisation");
    sqlite3_finalize(st);
    return e;
}

enum err store_org_list(struct store *s, struct org_list *out)
{
    out->v = NULL;
    out->n = 0;
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "SELECT id, name, kommun_code, region_code, region_name, lan_code,"
                               " lan_name FROM org ORDER BY kommun_code IS NULL, kommun_code,"
                               " region_code",
                               &st);
    if (e)
        return e;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 512;
            struct org *nv = realloc(out->v, cap * sizeof(*nv));
            if (!nv) {
                e = ERR_NOMEM;
                goto out;
            }
            out->v = nv;
        }
        struct org *o = &out->v[out->n++];
        memset(o, 0, sizeof(*o));
        o->id = sqlite3_column_int64(st, 0);
        store_col_text(st, 1, o->name, sizeof(o->name));
        store_col_text(st, 2, o->kommun_code, sizeof(o->kommun_code));
        store_col_text(st, 3, o->region_code, sizeof(o->region_code));
        store_col_text(st, 4, o->region_name, sizeof(o->region_name));
        store_col_text(st, 5, o->lan_code, sizeof(o->lan_code));
        store_col_text(st, 6, o->lan_name, sizeof(o->lan_name));
    }
    if (rc != SQLITE_DONE)
        e = store_fail(s, "list organisations");
out:
    sqlite3_finalize(st);
    if (e)
        org_list_release(out);
    return e;
}

/* ---- series ---- */

enum err store_series_put(struct store *s, const struct series *se, const char *now)
{
    char date[11];
    date_fmt(date, sizeof(date), se->date);
    sqlite3_stmt *st = NULL;
    enum err e = store_begin(s);
    if (e)
        return e;
    e = store_prepare(s, "DELETE FROM series WHERE kind = ? AND name = ? AND ref_date = ?", &st);
    if (e)
        goto out;
    store_bind_text(st, 1, series_kind_name(se->kind));
    store_bind_text(st, 2, se->name);
    store_bind_text(st, 3, date);
    if (sqlite3_step(st) != SQLITE_DONE) {
        e = store_fail(s, "replace series");
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    e = store_prepare(s,
                      "INSERT INTO series(kind, name, ref_date, source, sha256, illustrative,"
                      " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      &st);
    if (e)
        goto out;
    store_bind_text(st, 1, series_kind_name(se->kind));
    store_bind_text(st, 2, se->name);
    store_bind_text(st, 3, date);
    store_bind_text(st, 4, se->source);
    store_bind_text(st, 5, se->sha256);
    sqlite3_bind_int(st, 6, se->illustrative);
    store_bind_text(st, 7, now);
    if (sqlite3_step(st) != SQLITE_DONE) {
        e = store_fail(s, "insert series");
        goto out;
    }
    sqlite3_int64 id = sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(st);
    st = NULL;
    e = store_prepare(s, "INSERT INTO series_value(series_id, code, value) VALUES (?, ?, ?)", &st);
    if (e)
        goto out;
    for (size_t i = 0; i < se->n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        store_bind_text(st, 2, se->v[i].code);
        sqlite3_bind_int64(st, 3, se->v[i].value);
        if (sqlite3_step(st) != SQLITE_DONE) {
            e = store_fail(s, "insert series value");
            goto out;
        }
    }
out:
    sqlite3_finalize(st);
    if (e) {
        store_rollback(s);
        return e;
    }
    return store_commit(s);
}

enum err store_series_get(struct store *s, enum series_kind kind, const char *name,
                          const char *date, struct series *out)
{
    series_init(out, kind);
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "SELECT id, name, ref_date, source, sha256, illustrative FROM series"
                               " WHERE kind = ? AND name = ? AND ref_date = ?",
                               &st);
    if (e)
        return e;
    store_bind_text(st, 1, series_kind_name(kind));
    store_bind_text(st, 2, name);
    store_bind_text(st, 3, date ? date : "");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof(s->err), "no %s series '%s'%s%s", series_kind_name(kind), name,
                 date && date[0] ? " at " : "", date ? date : "");
        sqlite3_finalize(st);
        return ERR_NOTFOUND;
    }
    if (rc != SQLITE_ROW) {
        e = store_fail(s, "get series");
        sqlite3_finalize(st);
        return e;
    }
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    store_col_text(st, 1, out->name, sizeof(out->name));
    char d[16];
    store_col_text(st, 2, d, sizeof(d));
    if (d[0])
        date_parse(d, &out->date);
    store_col_text(st, 3, out->source, sizeof(out->source));
    store_col_text(st, 4, out->sha256, sizeof(out->sha256));
    out->illustrative = sqlite3_column_int(st, 5);
    sqlite3_finalize(st);
    st = NULL;
    e = store_prepare(s, "SELECT code, value FROM series_value WHERE series_id = ? ORDER BY code",
                      &st);
    if (e)
        return e;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char code[8];
        store_col_text(st, 0, code, sizeof(code));
        if ((e = series_push(out, code, sqlite3_column_int64(st, 1))))
            break;
    }
    if (!e && rc != SQLITE_DONE)
        e = store_fail(s, "get series values");
    sqlite3_finalize(st);
    if (e)
        series_release(out);
    return e;
}

enum err store_series_list(struct store *s, struct store_series_info **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "SELECT kind, name, ref_date, source, illustrative, imported_at,"
                               " (SELECT COUNT(*) FROM series_value v WHERE v.series_id = s.id)"
                               " FROM series s ORDER BY kind DESC, name, ref_date",
                               &st);
    if (e)
        return e;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct store_series_info *nv = realloc(*out, cap * sizeof(*nv));
            if (!nv) {
                e = ERR_NOMEM;
                break;
            }
            *out = nv;
        }
        struct store_series_info *i = &(*out)[(*n)++];
        memset(i, 0, sizeof(*i));
        char kind[16];
        store_col_text(st, 0, kind, sizeof(kind));
        i->kind = strcmp(kind, "population") == 0 ? SERIES_POPULATION : SERIES_METRIC;
        store_col_text(st, 1, i->name, sizeof(i->name));
        store_col_text(st, 2, i->date, sizeof(i->date));
        store_col_text(st, 3, i->source, sizeof(i->source));
        i->illustrative = sqlite3_column_int(st, 4);
        store_col_text(st, 5, i->imported_at, sizeof(i->imported_at));
        i->count = sqlite3_column_int64(st, 6);
    }
    if (!e && rc != SQLITE_DONE)
        e = store_fail(s, "list series");
    sqlite3_finalize(st);
    if (e) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return e;
}

/* ---- programs ---- */

void store_program_release(struct store_program *p)
{
    free(p->source);
    for (size_t i = 0; i < p->nfiles; i++)
        free(p->files[i].content);
    free(p->files);
    p->source = NULL;
    p->files = NULL;
    p->nfiles = 0;
}

enum err store_program_put(struct store *s, const struct store_program *p)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_begin(s);
    if (e)
        return e;
    e = store_prepare(s, "DELETE FROM program WHERE id = ?", &st);
    if (e)
        goto out;
    store_bind_text(st, 1, p->id);
    if (sqlite3_step(st) != SQLITE_DONE) {
        e = store_fail(s, "replace program");
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    e = store_prepare(s,
                      "INSERT INTO program(id, title, diarienummer, total_ore, source_name, source,"
                      " loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      &st);
    if (e)
        goto out;
    store_bind_text(st, 1, p->id);
    store_bind_text(st, 2, p->title);
    store_bind_text(st, 3, p->diarienummer);
    sqlite3_bind_int64(st, 4, p->total_ore);
    store_bind_text(st, 5, p->source_name);
    store_bind_text(st, 6, p->source ? p->source : "");
    store_bind_text(st, 7, p->loaded_at);
    if (sqlite3_step(st) != SQLITE_DONE) {
        e = store_fail(s, "insert program");
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    e = store_prepare(s, "INSERT INTO program_file(program_id, name, content) VALUES (?, ?, ?)",
                      &st);
    if (e)
        goto out;
    for (size_t i = 0; i < p->nfiles; i++) {
        sqlite3_reset(st);
        store_bind_text(st, 1, p->id);
        store_bind_text(st, 2, p->files[i].name);
        sqlite3_bind_blob(st, 3, p->files[i].content, (int)p->files[i].len, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) {
            e = store_fail(s, "insert program file");
            goto out;
        }
    }
out:
    sqlite3_finalize(st);
    if (e) {
        store_rollback(s);
        return e;
    }
    return store_commit(s);
}

static void program_row(sqlite3_stmt *st, struct store_program *p)
{
    memset(p, 0, sizeof(*p));
    store_col_text(st, 0, p->id, sizeof(p->id));
    store_col_text(st, 1, p->title, sizeof(p->title));
    store_col_text(st, 2, p->diarienummer, sizeof(p->diarienummer));
    p->total_ore = sqlite3_column_int64(st, 3);
    store_col_text(st, 4, p->source_name, sizeof(p->source_name));
    store_col_text(st, 5, p->loaded_at, sizeof(p->loaded_at));
}

enum err store_program_get(struct store *s, const char *id, struct store_program *out)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "SELECT id, title, diarienummer, total_ore, source_name, loaded_at,"
                               " source FROM program WHERE id = ?",
                               &st);
    if (e)
        return e;
    store_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        e = rc == SQLITE_DONE ? ERR_NOTFOUND : store_fail(s, "get program");
        if (e == ERR_NOTFOUND)
            snprintf(s->err, sizeof(s->err), "no program '%s'", id);
        sqlite3_finalize(st);
        return e;
    }
    program_row(st, out);
    const char *src = (const char *)sqlite3_column_text(st, 6);
    out->source = strdup(src ? src : "");
    sqlite3_finalize(st);
    st = NULL;
    if (!out->source)
        return ERR_NOMEM;
    e = store_prepare(
        s, "SELECT name, content FROM program_file WHERE program_id = ? ORDER BY name", &st);
    if (e)
        goto out;
    store_bind_text(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_program_file *nf =
            realloc(out->files, (out->nfiles + 1) * sizeof(*out->files));
        if (!nf) {
            e = ERR_NOMEM;
            goto out;
        }
        out->files = nf;
        struct store_program_file *f = &out->files[out->nfiles];
        memset(f, 0, sizeof(*f));
        store_col_text(st, 0, f->name, sizeof(f->name));
        int len = sqlite3_column_bytes(st, 1);
        const void *blob = sqlite3_column_blob(st, 1);
        f->content = malloc((size_t)len + 1);
        if (!f->content) {
            e = ERR_NOMEM;
            goto out;
        }
        if (len)
            memcpy(f->content, blob, (size_t)len);
        f->content[len] = '\0';
        f->len = (size_t)len;
        out->nfiles++;
    }
    if (rc != SQLITE_DONE)
        e = store_fail(s, "get program files");
out:
    sqlite3_finalize(st);
    if (e)
        store_program_release(out);
    return e;
}

enum err store_program_list(struct store *s, struct store_program **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "SELECT id, title, diarienummer, total_ore, source_name, loaded_at "
                               "FROM program ORDER BY id",
                               &st);
    if (e)
        return e;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_program *nv = realloc(*out, (*n + 1) * sizeof(*nv));
        if (!nv) {
            e = ERR_NOMEM;
            break;
        }
        *out = nv;
        program_row(st, &(*out)[(*n)++]);
    }
    if (!e && rc != SQLITE_DONE)
        e = store_fail(s, "list programs");
    sqlite3_finalize(st);
    return e;
}

/* ---- backup ---- */

enum err store_backup(struct store *s, const char *path)
{
    sqlite3 *dst = NULL;
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        snprintf(s->err, sizeof(s->err), "cannot create '%s'", path);
        sqlite3_close(dst);
        return ERR_IO;
    }
    enum err e = ERR_OK;
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
    if (!b) {
        snprintf(s->err, sizeof(s->err), "backup: %s", sqlite3_errmsg(dst));
        e = ERR_STORE;
        goto out;
    }
    int rc;
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    if (rc != SQLITE_DONE) {
        snprintf(s->err, sizeof(s->err), "backup: %s", sqlite3_errstr(rc));
        e = ERR_STORE;
    }
    sqlite3_backup_finish(b);
out:
    sqlite3_close(dst);
    return e;
}
