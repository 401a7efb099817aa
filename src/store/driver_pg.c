/* driver_pg.c - the PostgreSQL driver of the store (driver.h), on libpq:
 * connecting by URL (postgresql://...), portable `?` parameters sent as
 * typed $1..$n values, rows read as they arrive, the transaction under
 * the database's one write lock (an advisory lock), a savepoint around
 * each statement that changes data inside a transaction (PostgreSQL
 * would otherwise abort the whole transaction on its error), each
 * statement parsed and planned once per connection (prepared by its text
 * and parameter types, up to PG_PREPARED statements kept), and
 * SQLSTATEs mapped to the store's errors and kinds of failure. Backups
 * are PostgreSQL's own (pg_dump): backup, check and restore say so. The
 * only file that includes libpq-fe.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/driver.h"
#include "store/sql.h"
#include "util/str.h"

/* Type OIDs of the values sent and read (pg_type.dat; stable since 7.x). */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25
#define OID_OID 26
#define OID_NUMERIC 1700

/* The key of the advisory lock every transaction takes at begin: one
 * writer at a time in the database, across every process (as SQLite's
 * write lock), until the service retries whole transactions itself. */
#define WRITE_LOCK_KEY "7273730129"
/* How long a statement waits for a lock (the write lock or a row's)
 * before the store answers ERR_LIMIT ("busy"), as SQLite's busy wait. */
#define LOCK_TIMEOUT "5s"
/* A connection idle inside a transaction this long is ended by the
 * server, so that a stuck process cannot hold the write lock. */
#define IDLE_IN_TX_TIMEOUT "60s"
#define CONNECT_TIMEOUT "10"

struct pg_stmt;

/* How many prepared statements a connection keeps (the least recently
 * used one is deallocated to make room). */
#define PG_PREPARED 128

/* A statement the server has parsed and planned under name, for its
 * text and its parameters' types (a NULL's type is 0: the server's
 * guess, as for an unprepared statement). */
struct pg_prepared {
    char name[16];
    char *sql;
    Oid *types;
    int nparams;
    unsigned hash;
    unsigned long long used;
};

struct pg_conn {
    PGconn *c;
    struct pg_stmt *streaming; /* the statement whose rows are still arriving */
    long long changes;
    struct pg_prepared prepared[PG_PREPARED];
    size_t nprepared;
    unsigned long long tick, serial; /* for the least recently used; names */
    long long parses, executions;    /* counted for the driver's test */
};

enum pg_state {
    ST_NEW = 0,   /* bound, not run */
    ST_BUFFERED,  /* every row in res */
    ST_STREAMING, /* rows arrive one at a time from the connection */
    ST_QUEUED,    /* the rest of a stream read ahead into queue */
    ST_DONE       /* no more rows */
};

struct pg_stmt {
    struct store *s;
    char *sql; /* with $1..$n */
    int nparams;
    int writes; /* changes data: under a savepoint of its own in a transaction */
    Oid *types;
    char **values;
    int *lengths;
    int *formats;
    enum pg_state state;
    PGresult *res; /* the rows in hand: all of them, or the current one */
    int row;       /* the current row in res */
    PGresult **queue;
    size_t nqueue, qpos;
    PGresult *failed; /* how a stream read ahead ended, when it failed */
    int lost;         /* ... or that it never ended (the connection was lost) */
    /* bytea values decoded for col_blob/col_text, per column, until the next step */
    char **dec;
    size_t *declen;
    int ndec;
};

static struct pg_conn *conn_of(struct store *s)
{
    return s->conn;
}

/* ---- failures ---- */

/* Put the server's words (or libpq's) in s->err without a trailing newline. */
static void set_reason(struct store *s, const PGresult *r)
{
    struct pg_conn *pc = conn_of(s);
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
    if (!primary)
        primary = pc && pc->c ? PQerrorMessage(pc->c) : "no connection";
    if (detail)
        snprintf(s->err, sizeof(s->err), "%s (%s)", primary, detail);
    else
        snprintf(s->err, sizeof(s->err), "%s", primary);
    size_t n = strlen(s->err);
    while (n > 0 && (s->err[n - 1] == '\n' || s->err[n - 1] == ' '))
        s->err[--n] = '\0';
    if (!s->err[0])
        snprintf(s->err, sizeof(s->err), "the database gave no reason");
}

/* The store's error and kind of failure for a SQLSTATE. */
static enum err sqlstate_err(const char *state, enum store_fault *fault)
{
    *fault = STORE_FAULT_NONE;
    if (!state || strlen(state) != 5)
        return ERR_STORE;
    if (strncmp(state, "23", 2) == 0) /* integrity constraint violation */
        return ERR_CONFLICT;
    if (strncmp(state, "40", 2) == 0 || strcmp(state, "55P03") == 0 ||
        strcmp(state, "57014") == 0 || strcmp(state, "53300") == 0 || strcmp(state, "53400") == 0)
        return ERR_LIMIT; /* serialization, deadlock, lock timeout, cancelled, too many */
    if (strcmp(state, "53100") == 0) {
        *fault = STORE_FAULT_FULL;
        return ERR_STORE;
    }
    if (strcmp(state, "53200") == 0)
        return ERR_NOMEM;
    if (strcmp(state, "25006") == 0) { /* read-only transaction (a standby) */
        *fault = STORE_FAULT_READONLY;
        return ERR_STORE;
    }
    if (strcmp(state, "XX001") == 0 || strcmp(state, "XX002") == 0) {
        *fault = STORE_FAULT_DAMAGED;
        return ERR_STORE;
    }
    if (strncmp(state, "58", 2) == 0 || strncmp(state, "08", 2) == 0 ||
        strncmp(state, "57P", 3) == 0) {
        *fault = STORE_FAULT_IO;
        return ERR_STORE;
    }
    if (strncmp(state, "22", 2) == 0) /* data exception: a value the column cannot take */
        return ERR_INVALID;
    return ERR_STORE;
}

/* Leave the reason of the failed result r (NULL: the connection's) in
 * s->err and its kind in s->fault; the store's error for it. */
static enum err fail(struct store *s, const PGresult *r)
{
    struct pg_conn *pc = conn_of(s);
    enum store_fault f = STORE_FAULT_NONE;
    enum err e = sqlstate_err(r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL, &f);
    set_reason(s, r);
    if (pc && pc->c && PQstatus(pc->c) == CONNECTION_BAD) {
        char keep[sizeof(s->err)];
        str_copy(keep, sizeof(keep), s->err);
        snprintf(s->err, sizeof(s->err), "the connection to the database was lost: %.450s", keep);
        f = STORE_FAULT_IO;
        e = ERR_STORE;
    }
    if (f != STORE_FAULT_NONE)
        s->fault = f;
    return e;
}

static int ok_status(const PGresult *r)
{
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_SINGLE_TUPLE ||
           st == PGRES_EMPTY_QUERY;
}

/* ---- the connection ---- */

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* notices ("relation exists, skipping") are not the user's business */
}

/* Settings of every session, after connecting and after a reconnect. */
static enum err session_setup(struct store *s)
{
    PGresult *r = PQexec(conn_of(s)->c,
                         "SET lock_timeout = '" LOCK_TIMEOUT "';"
                         " SET idle_in_transaction_session_timeout = '" IDLE_IN_TX_TIMEOUT "'");
    enum err e = ok_status(r) ? ERR_OK : fail(s, r);
    PQclear(r);
    return e;
}

/* The database must keep text as UTF-8 and order it byte by byte (as
 * SQLite does: lists come out in the same order on both). */
static enum err check_database(struct store *s)
{
    PGresult *r = PQexec(conn_of(s)->c, "SELECT pg_encoding_to_char(encoding), datcollate"
                                        " FROM pg_database WHERE datname = current_database()");
    enum err e = ERR_OK;
    if (!ok_status(r) || PQntuples(r) != 1) {
        e = fail(s, r);
        goto out;
    }
    const char *enc = PQgetvalue(r, 0, 0), *coll = PQgetvalue(r, 0, 1);
    if (strcmp(enc, "UTF8") != 0) {
        snprintf(s->err, sizeof(s->err),
                 "the database's encoding is '%s', not UTF8 (create it with ENCODING 'UTF8'"
                 " LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0: docs/operations.md)",
                 enc);
        e = ERR_INVALID;
    } else if (strcmp(coll, "C") != 0 && strcmp(coll, "POSIX") != 0 &&
               strcmp(coll, "C.UTF-8") != 0 && strcmp(coll, "C.utf8") != 0) {
        snprintf(s->err, sizeof(s->err),
                 "the database's collation is '%s', not C: lists would not come out in the"
                 " order of the other databases (create it with LC_COLLATE 'C' LC_CTYPE 'C'"
                 " TEMPLATE template0: docs/operations.md)",
                 coll);
        e = ERR_INVALID;
    }
out:
    PQclear(r);
    return e;
}

static enum err drv_open(struct store *s, const char *target, enum store_open_mode mode)
{
    (void)mode; /* the database is created by its administrator; its schema by migrations */
    struct pg_conn *pc = calloc(1, sizeof(*pc));
    char safe[512];
    if (!pc) {
        snprintf(s->err, sizeof(s->err), "no memory to open a database");
        return ERR_NOMEM;
    }
    s->conn = pc;
    /* defaults first (the URL may change them), the encoding last (it may not) */
    const char *const keys[] = {"connect_timeout", "fallback_application_name", "dbname",
                                "client_encoding", NULL};
    const char *const vals[] = {CONNECT_TIMEOUT, "bidrag", target, "UTF8", NULL};
    pc->c = PQconnectdbParams(keys, vals, 1);
    store_url_safe(target, safe, sizeof(safe));
    if (!pc->c) {
        snprintf(s->err, sizeof(s->err), "cannot connect to '%.400s': no memory", safe);
        return ERR_NOMEM;
    }
    if (PQstatus(pc->c) != CONNECTION_OK) {
        char reason[300];
        set_reason(s, NULL);
        str_copy(reason, sizeof(reason), s->err);
        snprintf(s->err, sizeof(s->err), "cannot connect to '%.180s': %s", safe, reason);
        s->fault = STORE_FAULT_IO;
        return ERR_STORE;
    }
    PQsetNoticeProcessor(pc->c, quiet, NULL);
    enum err e = session_setup(s);
    if (e == ERR_OK)
        e = check_database(s);
    return e;
}

static void stmt_drain(struct pg_stmt *st);
static void prepared_forget(struct pg_conn *pc);

static void drv_close(struct store *s)
{
    struct pg_conn *pc = conn_of(s);
    if (!pc)
        return;
    if (pc->streaming)
        stmt_drain(pc->streaming);
    if (pc->c)
        PQfinish(pc->c);
    prepared_forget(pc);
    free(pc);
    s->conn = NULL;
}

/* Ready the connection for a new command: a statement still streaming
 * its rows reads the rest ahead; a connection lost outside a transaction
 * is made again. */
static enum err claim(struct store *s)
{
    struct pg_conn *pc = conn_of(s);
    if (pc->streaming)
        stmt_drain(pc->streaming);
    if (PQstatus(pc->c) == CONNECTION_BAD && s->depth == 0) {
        PQreset(pc->c);
        prepared_forget(pc); /* a new session has none */
        if (PQstatus(pc->c) != CONNECTION_OK)
            return fail(s, NULL);
        return session_setup(s);
    }
    return ERR_OK;
}

/* Run a script (no parameters) and wait for its end. */
static enum err run_script(struct store *s, const char *script)
{
    enum err e = claim(s);
    if (e != ERR_OK)
        return e;
    PGresult *r = PQexec(conn_of(s)->c, script);
    e = ok_status(r) ? ERR_OK : fail(s, r);
    PQclear(r);
    return e;
}

static enum err drv_exec(struct store *s, const char *script)
{
    /* a script may change the schema under the prepared statements (a
     * migration): they are prepared again, under new names; the
     * savepoints of nested levels (sql.c) change nothing */
    if (strncmp(script, "SAVEPOINT ", 10) != 0 && strncmp(script, "RELEASE ", 8) != 0 &&
        strncmp(script, "ROLLBACK TO ", 12) != 0)
        prepared_forget(conn_of(s));
    return run_script(s, script);
}

/* ---- prepared statements ---- */

static void prepared_free(struct pg_prepared *p)
{
    free(p->sql);
    free(p->types);
    memset(p, 0, sizeof(*p));
}

/* Forget every prepared statement (the connection was made again, or the
 * schema changed under them): the server's are gone or left to the end
 * of the session. */
static void prepared_forget(struct pg_conn *pc)
{
    for (size_t i = 0; i < pc->nprepared; i++)
        prepared_free(&pc->prepared[i]);
    pc->nprepared = 0;
}

static unsigned text_hash(const char *t)
{
    unsigned h = 2166136261u;
    for (; *t; t++)
        h = (h ^ (unsigned char)*t) * 16777619u;
    return h;
}

/* The prepared statement of st's text and types, or NULL. */
static struct pg_prepared *prepared_find(struct pg_conn *pc, const struct pg_stmt *st,
                                         unsigned hash)
{
    for (size_t i = 0; i < pc->nprepared; i++) {
        struct pg_prepared *p = &pc->prepared[i];
        if (p->hash == hash && p->nparams == st->nparams && strcmp(p->sql, st->sql) == 0 &&
            (st->nparams == 0 ||
             memcmp(p->types, st->types, (size_t)st->nparams * sizeof(Oid)) == 0)) {
            p->used = ++pc->tick;
            return p;
        }
    }
    return NULL;
}

/* A free slot with a fresh name for st (the least recently used one is
 * deallocated first when all are taken), not yet prepared: the caller
 * prepares it and calls prepared_keep on success, prepared_free else. */
static struct pg_prepared *prepared_slot(struct pg_conn *pc, const struct pg_stmt *st,
                                         unsigned hash)
{
    struct pg_prepared *p;
    if (pc->nprepared < PG_PREPARED) {
        p = &pc->prepared[pc->nprepared++];
    } else {
        p = &pc->prepared[0];
        for (size_t i = 1; i < PG_PREPARED; i++)
            if (pc->prepared[i].used < p->used)
                p = &pc->prepared[i];
        if (PQtransactionStatus(pc->c) != PQTRANS_INERROR) {
            char sql[40];
            snprintf(sql, sizeof(sql), "DEALLOCATE %s", p->name);
            PQclear(PQexec(pc->c, sql)); /* not transactional; a failure only keeps it */
        }
        prepared_free(p);
    }
    p->sql = str_dup(st->sql);
    p->types = st->nparams ? malloc((size_t)st->nparams * sizeof(Oid)) : NULL;
    if (!p->sql || (st->nparams && !p->types)) {
        prepared_free(p);
        return NULL;
    }
    if (st->nparams)
        memcpy(p->types, st->types, (size_t)st->nparams * sizeof(Oid));
    p->nparams = st->nparams;
    p->hash = hash;
    p->used = ++pc->tick;
    snprintf(p->name, sizeof(p->name), "b%llu", ++pc->serial);
    return p;
}

/* Give back the slot of a statement that was not prepared after all. */
static void prepared_drop(struct pg_conn *pc, struct pg_prepared *p)
{
    prepared_free(p);
    pc->nprepared--;
    if (p != &pc->prepared[pc->nprepared]) {
        *p = pc->prepared[pc->nprepared];
        memset(&pc->prepared[pc->nprepared], 0, sizeof(*p));
    }
}

/* The name of st prepared on the connection in *name, preparing it now
 * (one round trip, once per connection) when it is new. Not for a
 * statement that may fail to prepare inside a transaction that must go
 * on: run_guarded prepares under its savepoint. */
static enum err prepared_name(struct store *s, struct pg_stmt *st, const char **name)
{
    struct pg_conn *pc = conn_of(s);
    unsigned hash = text_hash(st->sql);
    struct pg_prepared *p = prepared_find(pc, st, hash);
    *name = NULL;
    if (p) {
        *name = p->name;
        return ERR_OK;
    }
    p = prepared_slot(pc, st, hash);
    if (!p) {
        snprintf(s->err, sizeof(s->err), "no memory for a prepared statement");
        return ERR_NOMEM;
    }
    PGresult *r = PQprepare(pc->c, p->name, st->sql, st->nparams, st->types);
    pc->parses++;
    enum err e = ok_status(r) ? ERR_OK : fail(s, r);
    PQclear(r);
    if (e != ERR_OK) {
        prepared_drop(pc, p);
        return e;
    }
    *name = p->name;
    return ERR_OK;
}

/* ---- statements ---- */

/* 1 if the statement reads only (its rows may stream). */
static int reads_only(const char *sql)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '(')
        sql++;
    return strncmp(sql, "SELECT", 6) == 0 || strncmp(sql, "select", 6) == 0 ||
           strncmp(sql, "VALUES", 6) == 0;
}

static void clear_decoded(struct pg_stmt *st)
{
    for (int i = 0; i < st->ndec; i++) {
        free(st->dec[i]);
        st->dec[i] = NULL;
    }
}

static void stmt_free(struct pg_stmt *st)
{
    if (!st)
        return;
    for (int i = 0; i < st->nparams; i++)
        free(st->values ? st->values[i] : NULL);
    clear_decoded(st);
    free(st->dec);
    free(st->declen);
    free(st->values);
    free(st->types);
    free(st->lengths);
    free(st->formats);
    PQclear(st->res);
    for (size_t i = st->qpos; i < st->nqueue; i++)
        PQclear(st->queue[i]);
    PQclear(st->failed);
    free(st->queue);
    free(st->sql);
    free(st);
}

static enum err drv_prepare(struct store *s, const char *sql, void **out)
{
    struct pg_stmt *st = calloc(1, sizeof(*st));
    *out = NULL;
    if (!st) {
        snprintf(s->err, sizeof(s->err), "no memory for a statement");
        return ERR_NOMEM;
    }
    st->s = s;
    enum err e = sql_number_params(sql, &st->sql, &st->nparams);
    if (e != ERR_OK) {
        snprintf(s->err, sizeof(s->err), "%s",
                 e == ERR_LIMIT ? "too many parameters" : "no memory");
        goto fail;
    }
    st->writes = !reads_only(sql);
    if (st->nparams > 0) {
        size_t n = (size_t)st->nparams;
        st->types = calloc(n, sizeof(*st->types));
        st->values = calloc(n, sizeof(*st->values));
        st->lengths = calloc(n, sizeof(*st->lengths));
        st->formats = calloc(n, sizeof(*st->formats));
        if (!st->types || !st->values || !st->lengths || !st->formats) {
            snprintf(s->err, sizeof(s->err), "no memory for %d parameters", st->nparams);
            e = ERR_NOMEM;
            goto fail;
        }
    }
    *out = st;
    return ERR_OK;
fail:
    stmt_free(st);
    return e;
}

static enum err drv_bind(struct store *s, void *p, int i, const struct sql_val *v)
{
    struct pg_stmt *st = p;
    if (i < 1 || i > st->nparams) {
        snprintf(s->err, sizeof(s->err), "no parameter %d (the statement has %d)", i, st->nparams);
        return ERR_STORE;
    }
    int k = i - 1;
    char *copy = NULL;
    Oid type = 0;
    int len = 0, binary = 0;
    switch (v->type) {
    case SQL_TYPE_NULL:
        break;
    case SQL_TYPE_INT: {
        char num[24];
        int n = snprintf(num, sizeof(num), "%lld", (long long)v->i);
        copy = malloc((size_t)n + 1);
        if (copy)
            memcpy(copy, num, (size_t)n + 1);
        type = OID_INT8;
        break;
    }
    case SQL_TYPE_TEXT:
        type = OID_TEXT;
        copy = v->s ? str_dup(v->s) : NULL;
        if (!v->s) {
            free(st->values[k]);
            st->values[k] = NULL;
            st->types[k] = type;
            return ERR_OK;
        }
        break;
    case SQL_TYPE_BLOB:
        if (v->n > (size_t)0x7fffffff) {
            snprintf(s->err, sizeof(s->err), "a value of %zu bytes is too large", v->n);
            return ERR_LIMIT;
        }
        type = OID_BYTEA;
        binary = 1;
        len = (int)v->n;
        copy = malloc(v->n ? v->n : 1);
        if (copy && v->n)
            memcpy(copy, v->p, v->n);
        break;
    }
    if (v->type != SQL_TYPE_NULL && !copy) {
        snprintf(s->err, sizeof(s->err), "no memory for parameter %d", i);
        return ERR_NOMEM;
    }
    free(st->values[k]);
    st->values[k] = copy;
    st->types[k] = type;
    st->lengths[k] = len;
    st->formats[k] = binary;
    return ERR_OK;
}

/* Read one statement's results in a pipeline up to its end (NULL);
 * *keep gets its first result (the caller clears it). */
static void pipeline_take(PGconn *c, PGresult **keep)
{
    PGresult *r;
    *keep = NULL;
    for (int guard = 0; guard < 1000000; guard++) {
        r = PQgetResult(c);
        if (!r)
            return;
        if (!*keep)
            *keep = r;
        else
            PQclear(r);
    }
}

/* Run a statement that changes data inside a transaction under a
 * savepoint of its own, in one round trip: SAVEPOINT, the statement and
 * RELEASE go out together; when the statement fails, the savepoint is
 * rolled back so that the transaction goes on (as SQLite's does).
 * *res gets the statement's result. */
static enum err run_guarded(struct store *s, struct pg_stmt *st, PGresult **res)
{
    struct pg_conn *pc = conn_of(s);
    PGconn *c = pc->c;
    PGresult *sp = NULL, *prep = NULL, *rel = NULL, *sync = NULL;
    enum err e = ERR_OK;
    *res = NULL;
    /* a statement new to the connection is prepared under the savepoint
     * too: a failure to prepare it must not end the transaction either */
    unsigned hash = text_hash(st->sql);
    struct pg_prepared *p = prepared_find(pc, st, hash), *fresh = NULL;
    if (!p) {
        fresh = p = prepared_slot(pc, st, hash);
        if (!p) {
            snprintf(s->err, sizeof(s->err), "no memory for a prepared statement");
            return ERR_NOMEM;
        }
    }
    if (!PQenterPipelineMode(c)) {
        e = fail(s, NULL);
        goto forget;
    }
    int sent =
        PQsendQueryParams(c, "SAVEPOINT bidrag_stmt", 0, NULL, NULL, NULL, NULL, 0) &&
        (!fresh || PQsendPrepare(c, p->name, st->sql, st->nparams, st->types)) &&
        PQsendQueryPrepared(c, p->name, st->nparams, (const char *const *)st->values, st->lengths,
                            st->formats, 0) &&
        PQsendQueryParams(c, "RELEASE SAVEPOINT bidrag_stmt", 0, NULL, NULL, NULL, NULL, 0) &&
        PQpipelineSync(c);
    if (!sent) {
        e = fail(s, NULL);
        PQexitPipelineMode(c);
        goto forget;
    }
    pipeline_take(c, &sp);
    if (fresh) {
        pipeline_take(c, &prep);
        pc->parses++;
    }
    pipeline_take(c, res);
    pipeline_take(c, &rel);
    pc->executions++;
    sync = PQgetResult(c);
    int synced = sync && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
    if (!synced || !PQexitPipelineMode(c)) {
        e = fail(s, NULL);
        goto out;
    }
    if (!ok_status(sp)) {
        e = fail(s, sp);
        goto out;
    }
    if (fresh && !ok_status(prep)) {
        e = fail(s, prep);
        PGresult *undo =
            PQexec(c, "ROLLBACK TO SAVEPOINT bidrag_stmt; RELEASE SAVEPOINT bidrag_stmt");
        PQclear(undo);
        goto out;
    }
    fresh = NULL; /* prepared: kept */
    if (!ok_status(*res)) {
        e = fail(s, *res);
        /* the savepoint is there: undo the statement, keep the transaction */
        PGresult *undo =
            PQexec(c, "ROLLBACK TO SAVEPOINT bidrag_stmt; RELEASE SAVEPOINT bidrag_stmt");
        PQclear(undo);
        goto out;
    }
    if (!ok_status(rel))
        e = fail(s, rel);
out:
    PQclear(sp);
    PQclear(prep);
    PQclear(rel);
forget:
    if (fresh) /* never prepared: the slot goes */
        prepared_drop(pc, fresh);
    return e;
}

/* Run the statement: its rows (or its count) come back in st->res, or
 * start streaming. */
static enum err stmt_run(struct store *s, struct pg_stmt *st)
{
    struct pg_conn *pc = conn_of(s);
    enum err e = claim(s);
    if (e != ERR_OK)
        return e;
    PGconn *c = pc->c;
    int in_tx = PQtransactionStatus(c) == PQTRANS_INTRANS;
    if (st->writes && in_tx && !s->bulk) {
        e = run_guarded(s, st, &st->res);
        if (e == ERR_OK) {
            const char *n = PQcmdTuples(st->res);
            pc->changes = n[0] ? strtoll(n, NULL, 10) : 0;
        }
        st->state = ST_BUFFERED;
        st->row = -1;
        return e;
    }
    const char *name = NULL;
    e = prepared_name(s, st, &name);
    if (e != ERR_OK) {
        st->state = ST_DONE;
        return e;
    }
    pc->executions++;
    if (st->writes) {
        st->res = PQexecPrepared(c, name, st->nparams, (const char *const *)st->values, st->lengths,
                                 st->formats, 0);
        st->state = ST_BUFFERED;
        st->row = -1;
        if (!ok_status(st->res))
            return fail(s, st->res);
        const char *n = PQcmdTuples(st->res);
        pc->changes = n[0] ? strtoll(n, NULL, 10) : 0;
        return ERR_OK;
    }
    if (!PQsendQueryPrepared(c, name, st->nparams, (const char *const *)st->values, st->lengths,
                             st->formats, 0))
        return fail(s, NULL);
    PQsetSingleRowMode(c);
    st->state = ST_STREAMING;
    pc->streaming = st;
    return ERR_OK;
}

/* The end of a stream: read what is left of it (nothing, when all went
 * well) so that the connection is free. */
static void stream_end(struct pg_stmt *st)
{
    struct pg_conn *pc = conn_of(st->s);
    PGresult *r;
    for (int guard = 0; guard < 1000000; guard++) {
        r = PQgetResult(pc->c);
        if (!r)
            break;
        PQclear(r);
    }
    if (pc->streaming == st)
        pc->streaming = NULL;
}

/* The next row of a stream into st->res: 1 a row, 0 the end, -1 a
 * failure (in s->err). */
static int stream_next(struct pg_stmt *st, enum err *e)
{
    struct pg_conn *pc = conn_of(st->s);
    PGresult *r = PQgetResult(pc->c);
    ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_SINGLE_TUPLE) {
        PQclear(st->res);
        st->res = r;
        st->row = 0;
        return 1;
    }
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        const char *n = PQcmdTuples(r);
        pc->changes = n[0] ? strtoll(n, NULL, 10) : 0;
        PQclear(r);
        stream_end(st);
        return 0;
    }
    *e = fail(st->s, r);
    PQclear(r);
    stream_end(st);
    return -1;
}

/* Another command needs the connection: read the rest of st's rows
 * ahead, to be stepped through later. A failure is kept for its step. */
static void stmt_drain(struct pg_stmt *st)
{
    struct pg_conn *pc = conn_of(st->s);
    if (pc->streaming != st)
        return;
    for (;;) {
        PGresult *r = PQgetResult(pc->c);
        ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (status == PGRES_SINGLE_TUPLE) {
            void *grown = st->queue;
            size_t cap = st->nqueue;
            if (sql_grow(&grown, &cap, st->nqueue, sizeof(PGresult *), (size_t)1 << 30) != ERR_OK) {
                PQclear(r);
                stream_end(st);
                break;
            }
            st->queue = grown;
            st->queue[st->nqueue++] = r;
            continue;
        }
        if (status == PGRES_TUPLES_OK)
            PQclear(r);
        else
            st->failed = r; /* for the step after the last row */
        st->lost = !r;
        stream_end(st);
        break;
    }
    st->state = ST_QUEUED;
}

static enum err drv_step(struct store *s, void *p, int *row)
{
    struct pg_stmt *st = p;
    enum err e = ERR_OK;
    *row = 0;
    clear_decoded(st);
    if (st->state == ST_NEW) {
        e = stmt_run(s, st);
        if (e != ERR_OK) {
            st->state = ST_DONE;
            return e;
        }
    }
    switch (st->state) {
    case ST_BUFFERED:
        st->row++;
        if (st->res && st->row < PQntuples(st->res)) {
            *row = 1;
        } else {
            st->state = ST_DONE;
        }
        return ERR_OK;
    case ST_STREAMING: {
        int got = stream_next(st, &e);
        if (got < 0) {
            st->state = ST_DONE;
            return e;
        }
        *row = got;
        if (!got)
            st->state = ST_DONE;
        return ERR_OK;
    }
    case ST_QUEUED:
        if (st->qpos < st->nqueue) {
            PQclear(st->res);
            st->res = st->queue[st->qpos++];
            st->row = 0;
            *row = 1;
            return ERR_OK;
        }
        st->state = ST_DONE;
        return st->failed || st->lost ? fail(s, st->failed) : ERR_OK;
    case ST_NEW:
    case ST_DONE:
        break;
    }
    return ERR_OK;
}

static int drv_col_null(void *p, int i)
{
    struct pg_stmt *st = p;
    return !st->res || st->row < 0 || PQgetisnull(st->res, st->row, i);
}

static int64_t drv_col_int(void *p, int i)
{
    struct pg_stmt *st = p;
    if (drv_col_null(p, i))
        return 0;
    const char *v = PQgetvalue(st->res, st->row, i);
    if (PQftype(st->res, i) == OID_BOOL)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

/* Decode bytea's hex form ("\x4142") of column i into st->dec[i]. */
static const char *decoded(struct pg_stmt *st, int i, size_t *n)
{
    const char *v = PQgetvalue(st->res, st->row, i);
    size_t len = (size_t)PQgetlength(st->res, st->row, i);
    *n = 0;
    if (i >= st->ndec) {
        int nc = PQnfields(st->res);
        char **dec = calloc((size_t)nc, sizeof(*dec));
        size_t *dl = calloc((size_t)nc, sizeof(*dl));
        if (!dec || !dl || i >= nc) {
            free(dec);
            free(dl);
            return "";
        }
        clear_decoded(st);
        free(st->dec);
        free(st->declen);
        st->dec = dec;
        st->declen = dl;
        st->ndec = nc;
    }
    if (len < 2 || v[0] != '\\' || v[1] != 'x')
        return ""; /* bytea_output is hex since 9.0; escape form is not asked for */
    size_t bytes = (len - 2) / 2;
    char *out = malloc(bytes + 1);
    if (!out)
        return "";
    for (size_t k = 0; k < bytes; k++) {
        int hi = v[2 + 2 * k], lo = v[3 + 2 * k];
        hi = hi <= '9' ? hi - '0' : (hi | 0x20) - 'a' + 10;
        lo = lo <= '9' ? lo - '0' : (lo | 0x20) - 'a' + 10;
        out[k] = (char)((hi << 4) | lo);
    }
    out[bytes] = '\0';
    free(st->dec[i]);
    st->dec[i] = out;
    st->declen[i] = bytes;
    *n = bytes;
    return out;
}

static const char *drv_col_text(void *p, int i)
{
    struct pg_stmt *st = p;
    size_t n = 0;
    if (drv_col_null(p, i))
        return "";
    if (PQftype(st->res, i) == OID_BYTEA)
        return decoded(st, i, &n);
    return PQgetvalue(st->res, st->row, i);
}

static const void *drv_col_blob(void *p, int i, size_t *n)
{
    struct pg_stmt *st = p;
    *n = 0;
    if (drv_col_null(p, i))
        return "";
    if (PQftype(st->res, i) == OID_BYTEA)
        return decoded(st, i, n);
    *n = (size_t)PQgetlength(st->res, st->row, i);
    return PQgetvalue(st->res, st->row, i);
}

static int drv_col_count(void *p)
{
    struct pg_stmt *st = p;
    return st->res ? PQnfields(st->res) : 0;
}

static const char *drv_col_name(void *p, int i)
{
    struct pg_stmt *st = p;
    const char *name = st->res ? PQfname(st->res, i) : NULL;
    return name ? name : "";
}

static enum sql_type drv_col_type(void *p, int i)
{
    struct pg_stmt *st = p;
    if (drv_col_null(p, i))
        return SQL_TYPE_NULL;
    switch (PQftype(st->res, i)) {
    case OID_INT8:
    case OID_INT4:
    case OID_INT2:
    case OID_OID:
    case OID_BOOL:
        return SQL_TYPE_INT;
    case OID_BYTEA:
        return SQL_TYPE_BLOB;
    default:
        return SQL_TYPE_TEXT;
    }
}

static void drv_finalize(struct store *s, void *p)
{
    (void)s;
    struct pg_stmt *st = p;
    if (!st)
        return;
    if (st->state == ST_STREAMING) {
        /* rows nobody will read: let them pass */
        struct pg_conn *pc = conn_of(st->s);
        PGresult *r;
        for (int guard = 0; guard < 1 << 30; guard++) {
            r = PQgetResult(pc->c);
            if (!r)
                break;
            PQclear(r);
        }
        if (pc->streaming == st)
            pc->streaming = NULL;
    }
    stmt_free(st);
}

static long long drv_changes(struct store *s)
{
    return conn_of(s)->changes;
}

/* ---- transactions ---- */

static enum err drv_begin(struct store *s)
{
    enum err e = run_script(s, "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")");
    if (e != ERR_OK && PQtransactionStatus(conn_of(s)->c) != PQTRANS_IDLE) {
        char keep[sizeof(s->err)];
        str_copy(keep, sizeof(keep), s->err);
        PQclear(PQexec(conn_of(s)->c, "ROLLBACK"));
        str_copy(s->err, sizeof(s->err), keep);
    }
    if (e == ERR_LIMIT)
        snprintf(s->err, sizeof(s->err),
                 "the database stayed busy (another writer held it "
                 "longer than " LOCK_TIMEOUT ")");
    return e;
}

static enum err drv_commit(struct store *s)
{
    PGconn *c = conn_of(s)->c;
    enum err e = claim(s);
    if (e != ERR_OK)
        return e;
    if (PQtransactionStatus(c) == PQTRANS_INERROR) {
        /* a statement failed outside a savepoint: COMMIT would only roll back */
        PQclear(PQexec(c, "ROLLBACK"));
        snprintf(s->err, sizeof(s->err), "the transaction failed earlier and was undone");
        return ERR_STORE;
    }
    PGresult *r = PQexec(c, "COMMIT");
    if (!ok_status(r)) {
        e = fail(s, r);
    } else if (strcmp(PQcmdStatus(r), "COMMIT") != 0) {
        snprintf(s->err, sizeof(s->err), "the transaction was undone, not committed (%s)",
                 PQcmdStatus(r));
        e = ERR_STORE;
    }
    PQclear(r);
    return e;
}

static enum err drv_rollback(struct store *s)
{
    return run_script(s, "ROLLBACK");
}

/* ---- health ---- */

static int drv_readonly(struct store *s)
{
    struct pg_conn *pc = conn_of(s);
    if (!pc || !pc->c || claim(s) != ERR_OK)
        return 0;
    PGresult *r = PQexec(pc->c, "SELECT pg_is_in_recovery() OR"
                                " current_setting('transaction_read_only') = 'on'");
    int ro = ok_status(r) && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return ro;
}

/* PostgreSQL checks its pages itself (data checksums, when the cluster
 * has them): a failure it met is counted per database. */
static enum err drv_quick_check(struct store *s, char *msg, size_t n)
{
    struct pg_conn *pc = conn_of(s);
    msg[0] = '\0';
    enum err e = claim(s);
    if (e != ERR_OK) {
        snprintf(msg, n, "%s", s->err);
        return ERR_INVALID;
    }
    PGresult *r = PQexec(pc->c, "SELECT COALESCE(checksum_failures, 0) FROM pg_stat_database"
                                " WHERE datname = current_database()");
    if (!ok_status(r) || PQntuples(r) != 1) {
        fail(s, r);
        snprintf(msg, n, "%s", s->err);
        e = ERR_INVALID;
    } else if (strcmp(PQgetvalue(r, 0, 0), "0") != 0) {
        snprintf(msg, n, "PostgreSQL found %s pages failing their checksums", PQgetvalue(r, 0, 0));
        s->fault = STORE_FAULT_DAMAGED;
        e = ERR_INVALID;
    }
    PQclear(r);
    return e;
}

static void drv_describe(const char *target, char *out, size_t n)
{
    store_url_safe(target, out, n);
}

static enum err drv_folder(const char *target, char *out, size_t n)
{
    (void)target;
    if (n)
        out[0] = '\0';
    return ERR_NOTFOUND;
}

/* ---- backup and restore: PostgreSQL's own tools ---- */

static enum err drv_backup(struct store *s, const char *file)
{
    (void)file;
    snprintf(s->err, sizeof(s->err),
             "not for PostgreSQL: back it up with pg_dump (or continuous archiving);"
             " see docs/operations.md");
    return ERR_INVALID;
}

static enum err drv_check(const char *file, char *msg, size_t n)
{
    (void)file;
    snprintf(msg, n, "not for PostgreSQL: pg_restore --list checks a pg_dump archive");
    return ERR_INVALID;
}

static enum err drv_restore(const char *target, const char *file, int *schema, char *keep,
                            size_t keep_n, char *msg, size_t n)
{
    (void)target;
    (void)file;
    *schema = 0;
    if (keep_n)
        keep[0] = '\0';
    snprintf(msg, n,
             "not for PostgreSQL: restore a pg_dump archive with pg_restore into a new"
             " database; see docs/operations.md");
    return ERR_INVALID;
}

/* ---- after a copy ---- */

/* Identity columns of table follow the largest id copied into them. */
static enum err drv_loaded(struct store *s, const char *table)
{
    PGconn *c = conn_of(s)->c;
    const char *params[1] = {table};
    enum err e = claim(s);
    if (e != ERR_OK)
        return e;
    PGresult *r = PQexecParams(c,
                               "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = "
                               "to_regclass($1) AND a.attidentity <> '' AND NOT a.attisdropped",
                               1, NULL, params, NULL, NULL, 0);
    if (!ok_status(r)) {
        e = fail(s, r);
        PQclear(r);
        return e;
    }
    for (int i = 0; e == ERR_OK && i < PQntuples(r); i++) {
        const char *col = PQgetvalue(r, i, 0);
        char *qt = PQescapeIdentifier(c, table, strlen(table));
        char *qc = PQescapeIdentifier(c, col, strlen(col));
        char *lt = PQescapeLiteral(c, table, strlen(table));
        char *lc = PQescapeLiteral(c, col, strlen(col));
        char sql[1024];
        if (!qt || !qc || !lt || !lc) {
            e = fail(s, NULL);
        } else {
            snprintf(sql, sizeof(sql),
                     "SELECT setval(pg_get_serial_sequence(%s, %s),"
                     " COALESCE((SELECT MAX(%s) FROM %s), 0) + 1, false)",
                     lt, lc, qc, qt);
            e = run_script(s, sql);
        }
        PQfreemem(qt);
        PQfreemem(qc);
        PQfreemem(lt);
        PQfreemem(lc);
    }
    PQclear(r);
    return e;
}

const struct store_driver store_driver_pg = {
    .scheme = "postgresql",
    .dialect = "pg",
    /* created only when absent, under the write lock (two servers
     * started at once on an empty database): a service role that may
     * not create tables opens an up-to-date database all the same */
    .migration_table =
        "DO $$ BEGIN PERFORM pg_advisory_xact_lock(" WRITE_LOCK_KEY ");"
        " IF to_regclass('schema_migration') IS NULL THEN"
        " CREATE TABLE schema_migration (number BIGINT PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT"
        " to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'));"
        " END IF; END $$",
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
