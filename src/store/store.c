/* store.c - the store over its drivers: opening by URL, migrations from
 * the one numbered list, nested transactions, counters, backup and
 * restore; and the reference data (organisations, series, programs). */
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/driver.h"
#include "store/migrations.h"
#include "store/sql.h"
#include "util/str.h"

#define DEFAULT_MAX_ROWS ((size_t)10 * 1000 * 1000)

static const struct store_driver *const drivers[] = {&store_driver_sqlite, &store_driver_pg};

const struct store_driver *store_driver_find(const char *scheme)
{
    for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
        if (strcmp(drivers[i]->scheme, scheme) == 0)
            return drivers[i];
    return NULL;
}

/* ---- URLs ---- */

static int scheme_char(char c, int first)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return 1;
    return !first && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.');
}

enum err store_url_parse(const char *url, char scheme[16], const char **target, char *msg, size_t n)
{
    scheme[0] = '\0';
    *target = NULL;
    if (!url || !url[0]) {
        snprintf(msg, n, "the database URL is empty");
        return ERR_INVALID;
    }
    size_t len = strlen(url);
    if (len > STORE_URL_MAX) {
        char safe[64];
        store_url_safe(url, safe, sizeof(safe));
        snprintf(msg, n, "database URL '%.40s...' is longer than %d bytes", safe, STORE_URL_MAX);
        return ERR_LIMIT;
    }
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)url[i] < 0x20 || url[i] == 0x7f) {
            snprintf(msg, n, "database URL has a control character at byte %zu", i + 1);
            return ERR_INVALID;
        }
    }
    size_t k = 0;
    while (k < len && scheme_char(url[k], k == 0))
        k++;
    if (k == 0 || k >= len || url[k] != ':') {
        /* a plain path: no scheme before the first '/' */
        str_copy(scheme, 16, "sqlite");
        *target = url;
        return ERR_OK;
    }
    char low[16];
    if (k >= sizeof(low)) {
        snprintf(msg, n, "unknown database scheme '%.*s'", (int)(k > 40 ? 40 : k), url);
        return ERR_INVALID;
    }
    for (size_t i = 0; i < k; i++)
        low[i] = (char)(url[i] >= 'A' && url[i] <= 'Z' ? url[i] - 'A' + 'a' : url[i]);
    low[k] = '\0';
    const char *rest = url + k + 1;
    if (strcmp(low, "sqlite") == 0) {
        if (rest[0] == '/' && rest[1] == '/')
            rest += 2;
        if (!rest[0]) {
            snprintf(msg, n, "database URL '%s' names no file", url);
            return ERR_INVALID;
        }
        str_copy(scheme, 16, "sqlite");
        *target = rest;
        return ERR_OK;
    }
    if (strcmp(low, "postgresql") == 0 || strcmp(low, "postgres") == 0) {
        if (rest[0] != '/' || rest[1] != '/') {
            snprintf(msg, n, "database URL '%s' is no postgresql://... URL", low);
            return ERR_INVALID;
        }
        str_copy(scheme, 16, "postgresql");
        *target = url;
        return ERR_OK;
    }
    snprintf(msg, n, "unknown database scheme '%s' (use sqlite:FILE or a file path)", low);
    return ERR_INVALID;
}

/* 1 if the query parameter at p (after '?' or '&') is the password:
 * its name, percent-decoded as libpq decodes it, is "password". */
static int password_param(const char *p)
{
    static const char want[] = "password";
    size_t k = 0;
    while (*p && *p != '=' && *p != '&') {
        int c = (unsigned char)*p;
        if (c == '%' && p[1] && p[2]) {
            char hex[3] = {p[1], p[2], '\0'};
            char *end = NULL;
            c = (int)strtol(hex, &end, 16);
            if (*end)
                return 0;
            p += 2;
        }
        if (k >= sizeof(want) - 1 || c != want[k])
            return 0;
        k++;
        p++;
    }
    return *p == '=' && k == sizeof(want) - 1;
}

void store_url_safe(const char *url, char *out, size_t n)
{
    if (!n)
        return;
    out[0] = '\0';
    if (!url)
        return;
    /* "scheme://user:PASSWORD@host/..." (the credentials end at the first
     * '@' before any '/', as libpq reads them) and "...?password=...&..." */
    const char *p = strstr(url, "://");
    const char *at = p ? p + 3 + strcspn(p + 3, "@/") : NULL;
    const char *colon = NULL;
    if (at && *at == '@')
        colon = memchr(p + 3, ':', (size_t)(at - (p + 3)));
    const char *query = strchr(url, '?');
    size_t o = 0;
    for (const char *c = url; *c && o + 1 < n;) {
        const char *mask = NULL, *skip = NULL;
        if (colon && c == colon + 1) {
            mask = "***";
            skip = at;
            colon = NULL; /* once: an empty password is masked too */
        } else if (query && c > query && (c[-1] == '?' || c[-1] == '&') && password_param(c)) {
            mask = "password=***";
            skip = c + strcspn(c, "&#");
        }
        if (!mask) {
            out[o++] = *c++;
            continue;
        }
        for (const char *m = mask; *m && o + 1 < n; m++)
            out[o++] = *m;
        c = skip;
    }
    out[o] = '\0';
}

enum err store_url_folder(const char *url, char *out, size_t n)
{
    char scheme[16], msg[64];
    const char *target = NULL;
    out[0] = '\0';
    enum err e = store_url_parse(url, scheme, &target, msg, sizeof(msg));
    if (e != ERR_OK)
        return e;
    const struct store_driver *d = store_driver_find(scheme);
    return d ? d->folder(target, out, n) : ERR_NOTFOUND;
}

/* The driver and target of url; msg says why not. */
static enum err resolve(const char *url, const struct store_driver **d, const char **target,
                        char *msg, size_t n)
{
    char scheme[16];
    enum err e = store_url_parse(url, scheme, target, msg, n);
    if (e != ERR_OK)
        return e;
    *d = store_driver_find(scheme);
    if (!*d) {
        char safe[256];
        store_url_safe(url, safe, sizeof(safe));
        snprintf(msg, n, "database '%s': this build has no %s driver yet", safe,
                 strcmp(scheme, "postgresql") == 0 ? "PostgreSQL" : scheme);
        return ERR_INVALID;
    }
    return ERR_OK;
}

/* ---- opening ---- */

const char *store_errmsg(const struct store *s)
{
    return s ? s->err : "no store";
}

static _Thread_local char open_error[512];

const char *store_open_error(void)
{
    return open_error;
}

static _Thread_local char name_buf[512];

const char *store_name(const struct store *s)
{
    s->drv->describe(s->target, name_buf, sizeof(name_buf));
    return name_buf;
}

enum err store_folder(const struct store *s, char *out, size_t n)
{
    out[0] = '\0';
    return s->drv->folder(s->target, out, n);
}

void store_set_errmsg(struct store *s, const char *msg)
{
    str_copy(s->err, sizeof(s->err), msg ? msg : "");
}

void store_limit_rows(struct store *s, size_t max)
{
    s->max_rows = max;
}

/* The script of migration number for dialect (its own or the portable
 * one); NULL if there is none. */
static const struct migration *script_for(int number, const char *dialect)
{
    const struct migration *portable = NULL;
    for (int i = 0; i < migration_script_count; i++) {
        const struct migration *m = &migration_scripts[i];
        if (m->number != number)
            continue;
        if (strcmp(m->dialect, dialect) == 0)
            return m;
        if (!m->dialect[0])
            portable = m;
    }
    return portable;
}

/* Distinct migration numbers: index i of the list, or -1 past its end. */
static int number_at(int i)
{
    int seen = -1, last = -1;
    for (int k = 0; k < migration_script_count; k++) {
        if (migration_scripts[k].number == last)
            continue;
        last = migration_scripts[k].number;
        if (++seen == i)
            return last;
    }
    return -1;
}

static enum err migrate(struct store *s)
{
    enum err e = s->drv->exec(s, s->drv->migration_table);
    if (e != ERR_OK)
        return sql_fail(s, "schema_migration", e);
    int applied = 0;
    e = store_schema_version(s, &applied, NULL);
    for (int i = 0; e == ERR_OK && number_at(i) >= 0; i++) {
        int number = number_at(i);
        if (number <= applied)
            continue;
        const struct migration *m = script_for(number, s->drv->dialect);
        if (!m) {
            snprintf(s->err, sizeof(s->err), "migration %04d has no script for dialect '%s'",
                     number, s->drv->dialect);
            return ERR_STORE;
        }
        e = sql_level_begin(s);
        if (e != ERR_OK)
            return e;
        /* another process may have applied it while this one waited for
         * the write lock (two servers started at once) */
        e = store_schema_version(s, &applied, NULL);
        if (e == ERR_OK && number <= applied) {
            e = sql_atomic_end(s, ERR_OK);
            continue;
        }
        if (e == ERR_OK)
            e = s->drv->exec(s, m->sql);
        if (e == ERR_OK)
            e = sql_exec(s, "record migration",
                         "INSERT INTO schema_migration (number, name) VALUES (?, ?)",
                         SQL_ARGS(SQL_INT(m->number), SQL_TEXT(m->name)), NULL);
        if (e != ERR_OK) {
            char keep[sizeof(s->err)];
            str_copy(keep, sizeof(keep), s->err);
            snprintf(s->err, sizeof(s->err), "migration %.60s: %.400s", m->name, keep);
        }
        e = sql_atomic_end(s, e);
    }
    return e;
}

enum err store_open(const char *url, enum store_open_mode mode, struct store **out)
{
    const struct store_driver *d = NULL;
    const char *target = NULL;
    *out = NULL;
    open_error[0] = '\0';
    enum err e = resolve(url, &d, &target, open_error, sizeof(open_error));
    if (e != ERR_OK)
        return e;
    struct store *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(open_error, sizeof(open_error), "no memory to open a database");
        return ERR_NOMEM;
    }
    s->drv = d;
    s->max_rows = DEFAULT_MAX_ROWS;
    s->target = str_dup(target);
    if (!s->target) {
        free(s);
        snprintf(open_error, sizeof(open_error), "no memory to open a database");
        return ERR_NOMEM;
    }
    e = d->open(s, target, mode);
    if (e == ERR_OK)
        e = migrate(s);
    if (e != ERR_OK) {
        str_copy(open_error, sizeof(open_error), s->err);
        store_close(s);
        return e;
    }
    *out = s;
    return ERR_OK;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    while (s->depth > 0)
        sql_level_rollback(s);
    s->drv->close(s);
    free(s->target);
    free(s);
}

enum err store_schema_version(struct store *s, int *applied, int *available)
{
    int64_t v = 0;
    enum err e = sql_int(s, "schema version",
                         "SELECT COALESCE(MAX(number), 0) FROM schema_migration", SQL_NOARGS, &v);
    if (e == ERR_OK && applied)
        *applied = (int)v;
    if (available) {
        *available = 0;
        for (int i = 0; number_at(i) >= 0; i++)
            if (script_for(number_at(i), s->drv->dialect))
                *available = number_at(i);
    }
    return e;
}

enum err store_migration_list(struct store *s, struct store_migration **out, size_t *n)
{
    struct store_migration *arr = NULL;
    size_t cap = 0, cnt = 0;
    int applied = 0;
    *out = NULL;
    *n = 0;
    enum err e = store_schema_version(s, &applied, NULL);
    for (int i = 0; e == ERR_OK && number_at(i) >= 0; i++) {
        const struct migration *m = script_for(number_at(i), s->drv->dialect);
        if (!m)
            continue;
        e = sql_grow((void **)&arr, &cap, cnt, sizeof(*arr), (size_t)migration_script_count);
        if (e != ERR_OK)
            break;
        arr[cnt].number = m->number;
        str_copy(arr[cnt].name, sizeof(arr[cnt].name), m->name);
        arr[cnt].applied = m->number <= applied;
        cnt++;
    }
    if (e != ERR_OK) {
        free(arr);
        return e;
    }
    *out = arr;
    *n = cnt;
    return ERR_OK;
}

/* ---- failures ---- */

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
    return s && s->drv->readonly(s);
}

enum err store_quick_check(struct store *s, char *msg, size_t n)
{
    return s->drv->quick_check(s, msg, n);
}

/* ---- transactions and counters ---- */

enum err store_begin(struct store *s)
{
    return sql_level_begin(s);
}

enum err store_commit(struct store *s)
{
    return sql_level_commit(s);
}

void store_rollback(struct store *s)
{
    sql_level_rollback(s);
}

int store_depth(const struct store *s)
{
    return s->depth;
}

int store_in_transaction(const struct store *s)
{
    return s->depth > 0;
}

void store_after_commit(struct store *s, void (*fn)(struct store *s, void *ctx), void *ctx)
{
    assert(s->depth > 0);
    s->after_commit = fn;
    s->after_commit_ctx = ctx;
}

enum err store_counter_next(struct store *s, const char *name, int year, long long *n)
{
    int64_t v = 0;
    assert(store_in_transaction(s)); /* a number is used when its transaction commits */
    /* the table of every named sequence kept the name it was born with */
    enum err e =
        sql_int(s, "counter",
                "INSERT INTO req_counter (kind, year, n) VALUES (?, ?, 1)"
                " ON CONFLICT (kind, year) DO UPDATE SET n = req_counter.n + 1 RETURNING n",
                SQL_ARGS(SQL_TEXT(name), SQL_INT(year)), &v);
    if (e == ERR_OK)
        *n = v;
    return e;
}

enum err store_view_gen(struct store *s, int64_t *gen)
{
    *gen = 0;
    return sql_int(s, "view generation", "SELECT n FROM view_gen WHERE id = 1", SQL_NOARGS, gen);
}

enum err store_view_gen_init(struct store *s)
{
    assert(store_in_transaction(s));
    return sql_exec(s, "view generation",
                    "INSERT INTO view_gen (id, n) VALUES (1, 1) ON CONFLICT (id) DO NOTHING",
                    SQL_NOARGS, NULL);
}

enum err store_data_gen(struct store *s, int64_t *gen)
{
    *gen = 0;
    return sql_int(s, "data generation", "SELECT n FROM data_gen WHERE id = 1", SQL_NOARGS, gen);
}

enum err store_gens(struct store *s, int64_t *auth, int64_t *data)
{
    static const struct sql_col cols[] = {{SQL_C_INT_T, 0, sizeof(int64_t), 0, NULL},
                                          {SQL_C_INT_T, sizeof(int64_t), sizeof(int64_t), 0, NULL}};
    static const struct sql_map map = {cols, 2, 2 * sizeof(int64_t)};
    int64_t both[2] = {0, 0};
    enum err e = sql_get(s, "generations",
                         "SELECT a.n, d.n FROM auth_gen a, data_gen d WHERE a.id = 1 AND d.id = 1",
                         SQL_NOARGS, &map, both);
    *auth = both[0];
    *data = both[1];
    return e;
}

enum err store_data_gen_init(struct store *s)
{
    assert(store_in_transaction(s));
    return sql_exec(s, "data generation",
                    "INSERT INTO data_gen (id, n) VALUES (1, 1) ON CONFLICT (id) DO NOTHING",
                    SQL_NOARGS, NULL);
}

/* ---- backup and restore ---- */

enum err store_backup(struct store *s, const char *path)
{
    return s->drv->backup(s, path);
}

enum err store_file_check(const char *url, char *msg, size_t n)
{
    const struct store_driver *d = NULL;
    const char *target = NULL;
    enum err e = resolve(url, &d, &target, msg, n);
    return e == ERR_OK ? d->check(target, msg, n) : e;
}

enum err store_restore(const char *url, const char *file, int *schema, char *keep, size_t keep_n,
                       char *msg, size_t n)
{
    const struct store_driver *d = NULL;
    const char *target = NULL;
    *schema = 0;
    keep[0] = '\0';
    enum err e = resolve(url, &d, &target, msg, n);
    return e == ERR_OK ? d->restore(target, file, schema, keep, keep_n, msg, n) : e;
}

/* ---- organisations ---- */

enum err store_org_count(struct store *s, long long *n)
{
    int64_t v = 0;
    enum err e = sql_int(s, "count organisations", "SELECT COUNT(*) FROM org", SQL_NOARGS, &v);
    *n = e == ERR_OK ? v : 0;
    return e;
}

enum err store_org_put(struct store *s, const struct org *o)
{
    return sql_exec(s, "insert organisation",
                    "INSERT INTO org (name, kommun_code, region_code, region_name, lan_code,"
                    " lan_name, official_name) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    SQL_ARGS(SQL_TEXT(o->name), SQL_TEXT_OR_NULL(o->kommun_code),
                             SQL_TEXT_OR_NULL(o->region_code), SQL_TEXT_OR_NULL(o->region_name),
                             SQL_TEXT(o->lan_code), SQL_TEXT(o->lan_name),
                             SQL_TEXT(o->official_name)),
                    NULL);
}

enum err store_org_set_official_name(struct store *s, long long id, const char *name)
{
    return sql_exec(s, "set official name", "UPDATE org SET official_name = ? WHERE id = ?",
                    SQL_ARGS(SQL_TEXT(name), SQL_INT(id)), NULL);
}

static const struct sql_col org_cols[] = {
    SQL_C_INT(struct org, id),           SQL_C_TEXT(struct org, name),
    SQL_C_TEXT(struct org, kommun_code), SQL_C_TEXT(struct org, region_code),
    SQL_C_TEXT(struct org, region_name), SQL_C_TEXT(struct org, lan_code),
    SQL_C_TEXT(struct org, lan_name),    SQL_C_TEXT(struct org, official_name),
};
static const struct sql_map org_map = SQL_MAP(struct org, org_cols);

enum err store_org_list(struct store *s, struct org_list *out)
{
    void *v = NULL;
    enum err e =
        sql_list(s, "list organisations",
                 "SELECT id, name, kommun_code, region_code, region_name, lan_code,"
                 " lan_name, official_name FROM org ORDER BY kommun_code IS NULL, kommun_code,"
                 " region_code",
                 SQL_NOARGS, &org_map, &v, &out->n);
    out->v = v;
    return e;
}

/* ---- series ---- */

enum err store_series_put(struct store *s, const struct series *se, const char *now)
{
    char date[11];
    long long id = 0;
    const char *kind = series_kind_name(se->kind);
    date_fmt(date, sizeof(date), se->date);
    enum err e = sql_atomic_begin(s);
    if (e != ERR_OK)
        return e;
    e = sql_exec(s, "replace series",
                 "DELETE FROM series WHERE kind = ? AND name = ? AND ref_date = ?",
                 SQL_ARGS(SQL_TEXT(kind), SQL_TEXT(se->name), SQL_TEXT(date)), NULL);
    if (e == ERR_OK)
        e = sql_insert(s, "insert series",
                       "INSERT INTO series (kind, name, ref_date, source, sha256, illustrative,"
                       " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       SQL_ARGS(SQL_TEXT(kind), SQL_TEXT(se->name), SQL_TEXT(date),
                                SQL_TEXT(se->source), SQL_TEXT(se->sha256),
                                SQL_INT(se->illustrative), SQL_TEXT(now)),
                       &id);
    for (size_t i = 0; e == ERR_OK && i < se->n; i++)
        e = sql_exec(s, "insert series value",
                     "INSERT INTO series_value (series_id, code, value) VALUES (?, ?, ?)",
                     SQL_ARGS(SQL_INT(id), SQL_TEXT(se->v[i].code), SQL_INT(se->v[i].value)), NULL);
    return sql_atomic_end(s, e);
}

struct series_row {
    long long id;
    char name[64];
    char date[16];
    char source[256];
    char sha256[65];
    int illustrative;
};
static const struct sql_col series_cols[] = {
    SQL_C_INT(struct series_row, id),      SQL_C_TEXT(struct series_row, name),
    SQL_C_TEXT(struct series_row, date),   SQL_C_TEXT(struct series_row, source),
    SQL_C_TEXT(struct series_row, sha256), SQL_C_INT(struct series_row, illustrative),
};
static const struct sql_map series_map = SQL_MAP(struct series_row, series_cols);

struct series_value_row {
    char code[8];
    int64_t value;
};
static const struct sql_col series_value_cols[] = {
    SQL_C_TEXT(struct series_value_row, code),
    SQL_C_INT(struct series_value_row, value),
};
static const struct sql_map series_value_map = SQL_MAP(struct series_value_row, series_value_cols);

/* sql_each: push one value; a failure is kept in the series' error. */
struct series_push_ctx {
    struct series *out;
    enum err e;
};

static int push_value(void *ctx, void *row)
{
    struct series_push_ctx *c = ctx;
    const struct series_value_row *v = row;
    c->e = series_push(c->out, v->code, v->value);
    return c->e != ERR_OK;
}

enum err store_series_get(struct store *s, enum series_kind kind, const char *name,
                          const char *date, struct series *out)
{
    struct series_row r;
    struct series_value_row v;
    struct series_push_ctx c = {out, ERR_OK};
    series_init(out, kind);
    enum err e = sql_get(
        s, "get series",
        "SELECT id, name, ref_date, source, sha256, illustrative FROM series"
        " WHERE kind = ? AND name = ? AND ref_date = ?",
        SQL_ARGS(SQL_TEXT(series_kind_name(kind)), SQL_TEXT(name), SQL_TEXT(date ? date : "")),
        &series_map, &r);
    if (e == ERR_NOTFOUND) {
        snprintf(s->err, sizeof(s->err), "no %s series '%s'%s%s", series_kind_name(kind), name,
                 date && date[0] ? " at " : "", date ? date : "");
        return e;
    }
    if (e != ERR_OK)
        return e;
    str_copy(out->name, sizeof(out->name), r.name);
    if (r.date[0])
        date_parse(r.date, &out->date);
    str_copy(out->source, sizeof(out->source), r.source);
    str_copy(out->sha256, sizeof(out->sha256), r.sha256);
    out->illustrative = r.illustrative;
    e = sql_each(s, "get series values",
                 "SELECT code, value FROM series_value WHERE series_id = ? ORDER BY code",
                 SQL_ARGS(SQL_INT(r.id)), &series_value_map, &v, push_value, &c);
    if (e == ERR_OK)
        e = c.e;
    if (e != ERR_OK)
        series_release(out);
    return e;
}

static void series_kind_col(void *field, const char *text)
{
    enum series_kind k = strcmp(text, "population") == 0 ? SERIES_POPULATION : SERIES_METRIC;
    memcpy(field, &k, sizeof(k));
}

static const struct sql_col series_info_cols[] = {
    SQL_C_FN(struct store_series_info, kind, series_kind_col),
    SQL_C_TEXT(struct store_series_info, name),
    SQL_C_TEXT(struct store_series_info, date),
    SQL_C_TEXT(struct store_series_info, source),
    SQL_C_INT(struct store_series_info, illustrative),
    SQL_C_TEXT(struct store_series_info, imported_at),
    SQL_C_INT(struct store_series_info, count),
};
static const struct sql_map series_info_map = SQL_MAP(struct store_series_info, series_info_cols);

enum err store_series_list(struct store *s, struct store_series_info **out, size_t *n)
{
    return sql_list(s, "list series",
                    "SELECT kind, name, ref_date, source, illustrative, imported_at,"
                    " (SELECT COUNT(*) FROM series_value v WHERE v.series_id = s.id)"
                    " FROM series s ORDER BY kind DESC, name, ref_date",
                    SQL_NOARGS, &series_info_map, (void **)out, n);
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
    enum err e = sql_atomic_begin(s);
    if (e != ERR_OK)
        return e;
    e = sql_exec(s, "replace program", "DELETE FROM program WHERE id = ?",
                 SQL_ARGS(SQL_TEXT(p->id)), NULL);
    if (e == ERR_OK)
        e = sql_exec(s, "insert program",
                     "INSERT INTO program (id, title, diarienummer, total_ore, source_name, source,"
                     " loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     SQL_ARGS(SQL_TEXT(p->id), SQL_TEXT(p->title), SQL_TEXT(p->diarienummer),
                              SQL_INT(p->total_ore), SQL_TEXT(p->source_name),
                              SQL_TEXT(p->source ? p->source : ""), SQL_TEXT(p->loaded_at)),
                     NULL);
    for (size_t i = 0; e == ERR_OK && i < p->nfiles; i++)
        e = sql_exec(s, "insert program file",
                     "INSERT INTO program_file (program_id, name, content) VALUES (?, ?, ?)",
                     SQL_ARGS(SQL_TEXT(p->id), SQL_TEXT(p->files[i].name),
                              SQL_BLOB(p->files[i].content, p->files[i].len)),
                     NULL);
    return sql_atomic_end(s, e);
}

#define PROGRAM_COLS "id, title, diarienummer, total_ore, source_name, loaded_at"
static const struct sql_col program_cols[] = {
    SQL_C_TEXT(struct store_program, id),           SQL_C_TEXT(struct store_program, title),
    SQL_C_TEXT(struct store_program, diarienummer), SQL_C_INT(struct store_program, total_ore),
    SQL_C_TEXT(struct store_program, source_name),  SQL_C_TEXT(struct store_program, loaded_at),
};
static const struct sql_map program_map = SQL_MAP(struct store_program, program_cols);
/* the same and the source */
static const struct sql_col program_src_cols[] = {
    SQL_C_TEXT(struct store_program, id),           SQL_C_TEXT(struct store_program, title),
    SQL_C_TEXT(struct store_program, diarienummer), SQL_C_INT(struct store_program, total_ore),
    SQL_C_TEXT(struct store_program, source_name),  SQL_C_TEXT(struct store_program, loaded_at),
    SQL_C_DUP(struct store_program, source),
};
static const struct sql_map program_src_map = SQL_MAP(struct store_program, program_src_cols);

static const struct sql_col program_file_cols[] = {
    SQL_C_TEXT(struct store_program_file, name),
    SQL_C_BLOB(struct store_program_file, content, len),
};
static const struct sql_map program_file_map =
    SQL_MAP(struct store_program_file, program_file_cols);

enum err store_program_get(struct store *s, const char *id, struct store_program *out)
{
    void *files = NULL;
    memset(out, 0, sizeof(*out));
    enum err e =
        sql_get(s, "get program", "SELECT " PROGRAM_COLS ", source FROM program WHERE id = ?",
                SQL_ARGS(SQL_TEXT(id)), &program_src_map, out);
    if (e == ERR_NOTFOUND)
        snprintf(s->err, sizeof(s->err), "no program '%s'", id);
    if (e != ERR_OK)
        return e;
    e = sql_list(s, "get program files",
                 "SELECT name, content FROM program_file WHERE program_id = ? ORDER BY name",
                 SQL_ARGS(SQL_TEXT(id)), &program_file_map, &files, &out->nfiles);
    out->files = files;
    if (e != ERR_OK)
        store_program_release(out);
    return e;
}

enum err store_program_list(struct store *s, struct store_program **out, size_t *n)
{
    return sql_list(s, "list programs", "SELECT " PROGRAM_COLS " FROM program ORDER BY id",
                    SQL_NOARGS, &program_map, (void **)out, n);
}
