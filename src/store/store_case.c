/* store_case.c - store_case.h over any driver: cases, versions,
 * idempotency keys, decisions, attachments, notes and history. */
#include "store/store_case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sql.h"
#include "util/str.h"

static void state_col(void *field, const char *text)
{
    int k = case_state_parse(text);
    enum case_state st = k < 0 ? CASE_DRAFT : (enum case_state)k;
    memcpy(field, &st, sizeof(st));
}

static void outcome_col(void *field, const char *text)
{
    int k = case_outcome_parse(text);
    enum case_outcome o = k < 0 ? CASE_OUTCOME_NONE : (enum case_outcome)k;
    memcpy(field, &o, sizeof(o));
}

#define CASE_COLS                                                                                  \
    "id, kind, number, program_id, party, subject, state, outcome, version, revision,"             \
    " assigned_to, message, (SELECT v.amount_ore FROM case_versions v WHERE v.case_id = cases.id"  \
    " AND v.version = cases.version AND v.version > 0), created_at, created_by, updated_at,"       \
    " updated_by"
static const struct sql_col case_cols[] = {
    SQL_C_INT(struct store_case, id),
    SQL_C_TEXT(struct store_case, kind),
    SQL_C_TEXT(struct store_case, number),
    SQL_C_TEXT(struct store_case, program),
    SQL_C_TEXT(struct store_case, party),
    SQL_C_TEXT(struct store_case, subject),
    SQL_C_FN(struct store_case, state, state_col),
    SQL_C_FN(struct store_case, outcome, outcome_col),
    SQL_C_INT(struct store_case, version),
    SQL_C_INT(struct store_case, revision),
    SQL_C_TEXT(struct store_case, assigned_to),
    SQL_C_TEXT(struct store_case, message),
    SQL_C_OPT(struct store_case, asked_ore),
    SQL_C_TEXT(struct store_case, created_at),
    SQL_C_TEXT(struct store_case, created_by),
    SQL_C_TEXT(struct store_case, updated_at),
    SQL_C_TEXT(struct store_case, updated_by),
};
static const struct sql_map case_map = SQL_MAP(struct store_case, case_cols);

enum err store_case_create(struct store *s, struct store_case *c, const char *now, const char *by)
{
    enum err e =
        sql_exec(s, "case create",
                 "INSERT INTO cases (kind, number, program_id, party, subject, state, created_at,"
                 " created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?)",
                 SQL_ARGS(SQL_TEXT(c->kind), SQL_TEXT(c->number), SQL_TEXT(c->program),
                          SQL_TEXT(c->party), SQL_TEXT_OR_NULL(c->subject), SQL_TEXT(now),
                          SQL_TEXT(by), SQL_TEXT(now), SQL_TEXT(by)),
                 NULL);
    if (e != ERR_OK)
        return e;
    char number[CASE_NUMBER_LEN];
    str_copy(number, sizeof(number), c->number);
    return store_case_get(s, number, c);
}

enum err store_case_get(struct store *s, const char *number, struct store_case *out)
{
    return sql_get(s, "case get", "SELECT " CASE_COLS " FROM cases WHERE number = ?",
                   SQL_ARGS(SQL_TEXT(number)), &case_map, out);
}

enum err store_case_get_id(struct store *s, long long id, struct store_case *out)
{
    return sql_get(s, "case get", "SELECT " CASE_COLS " FROM cases WHERE id = ?",
                   SQL_ARGS(SQL_INT(id)), &case_map, out);
}

enum err store_case_get_subject(struct store *s, const char *kind, const char *subject,
                                struct store_case *out)
{
    return sql_get(s, "case get", "SELECT " CASE_COLS " FROM cases WHERE kind = ? AND subject = ?",
                   SQL_ARGS(SQL_TEXT(kind), SQL_TEXT(subject)), &case_map, out);
}

enum err store_case_update(struct store *s, struct store_case *c, long long based_on,
                           const char *now, const char *by)
{
    long long changed = 0;
    enum err e = sql_exec(
        s, "case update",
        "UPDATE cases SET state = ?, outcome = ?, version = ?, assigned_to = ?, message = ?,"
        " revision = revision + 1, updated_at = ?, updated_by = ? WHERE id = ? AND revision = ?",
        SQL_ARGS(SQL_TEXT(case_state_id(c->state)), SQL_TEXT(case_outcome_id(c->outcome)),
                 SQL_INT(c->version), SQL_TEXT(c->assigned_to), SQL_TEXT(c->message), SQL_TEXT(now),
                 SQL_TEXT(by), SQL_INT(c->id), SQL_INT(based_on)),
        &changed);
    if (e != ERR_OK)
        return e;
    if (changed == 0) {
        snprintf(s->err, sizeof(s->err), "case '%s' changed since revision %lld", c->number,
                 based_on);
        return ERR_CONFLICT;
    }
    c->revision = based_on + 1;
    str_copy(c->updated_at, sizeof(c->updated_at), now);
    str_copy(c->updated_by, sizeof(c->updated_by), by);
    return ERR_OK;
}

enum err store_case_list(struct store *s, const struct store_case_filter *f,
                         struct store_case **out, size_t *n)
{
    const char *state = f->state >= 0 ? case_state_id((enum case_state)f->state) : NULL;
    int64_t limit = f->limit ? (int64_t)f->limit : INT64_MAX;
    return sql_list(s, "case list",
                    "SELECT " CASE_COLS " FROM cases WHERE (? IS NULL OR kind = ?)"
                    " AND (? IS NULL OR program_id = ?) AND (? IS NULL OR party = ?)"
                    " AND (? IS NULL OR assigned_to = ?) AND (? IS NULL OR state = ?)"
                    " ORDER BY number LIMIT ? OFFSET ?",
                    SQL_ARGS(SQL_TEXT(f->kind), SQL_TEXT(f->kind), SQL_TEXT(f->program),
                             SQL_TEXT(f->program), SQL_TEXT(f->party), SQL_TEXT(f->party),
                             SQL_TEXT(f->assigned_to), SQL_TEXT(f->assigned_to), SQL_TEXT(state),
                             SQL_TEXT(state), SQL_INT(limit), SQL_INT(f->offset)),
                    &case_map, (void **)out, n);
}

struct count_row {
    enum case_state state;
    enum case_outcome outcome;
    long long n;
};
static const struct sql_col count_cols[] = {
    SQL_C_FN(struct count_row, state, state_col),
    SQL_C_FN(struct count_row, outcome, outcome_col),
    SQL_C_INT(struct count_row, n),
};
static const struct sql_map count_map = SQL_MAP(struct count_row, count_cols);

static int count_add(void *ctx, void *row)
{
    struct store_case_counts *out = ctx;
    const struct count_row *c = row;
    if ((unsigned)c->state < CASE_STATE_COUNT && (unsigned)c->outcome < CASE_OUTCOME_COUNT)
        out->n[c->state][c->outcome] += c->n;
    return 0;
}

enum err store_case_counts(struct store *s, const struct store_case_filter *f,
                           struct store_case_counts *out)
{
    struct count_row c;
    memset(out, 0, sizeof(*out));
    return sql_each(s, "case counts",
                    "SELECT state, outcome, COUNT(*) FROM cases WHERE (? IS NULL OR kind = ?)"
                    " AND (? IS NULL OR program_id = ?) AND (? IS NULL OR party = ?)"
                    " GROUP BY state, outcome",
                    SQL_ARGS(SQL_TEXT(f->kind), SQL_TEXT(f->kind), SQL_TEXT(f->program),
                             SQL_TEXT(f->program), SQL_TEXT(f->party), SQL_TEXT(f->party)),
                    &count_map, &c, count_add, out);
}

/* --- versions -------------------------------------------------------------- */

static const struct sql_col version_cols[] = {
    SQL_C_INT(struct store_case_version, version),
    SQL_C_DUP(struct store_case_version, content),
    SQL_C_TEXT(struct store_case_version, digest),
    SQL_C_OPT(struct store_case_version, amount_ore),
    SQL_C_TEXT(struct store_case_version, saved_at),
    SQL_C_TEXT(struct store_case_version, saved_by),
};
static const struct sql_map version_map = SQL_MAP(struct store_case_version, version_cols);
static const struct sql_col version_head_cols[] = {
    SQL_C_INT(struct store_case_version, version),
    SQL_C_TEXT(struct store_case_version, digest),
    SQL_C_OPT(struct store_case_version, amount_ore),
    SQL_C_TEXT(struct store_case_version, saved_at),
    SQL_C_TEXT(struct store_case_version, saved_by),
};
static const struct sql_map version_head_map =
    SQL_MAP(struct store_case_version, version_head_cols);

void store_case_version_release(struct store_case_version *v)
{
    free(v->content);
    v->content = NULL;
}

enum err store_case_version_put(struct store *s, long long case_id,
                                const struct store_case_version *v)
{
    enum err e = sql_atomic_begin(s);
    if (e != ERR_OK)
        return e;
    if (v->version == 0)
        e = sql_exec(s, "draft replace",
                     "DELETE FROM case_versions WHERE case_id = ? AND version = 0",
                     SQL_ARGS(SQL_INT(case_id)), NULL);
    if (e == ERR_OK)
        e = sql_exec(s, "version put",
                     "INSERT INTO case_versions (case_id, version, content, digest, amount_ore,"
                     " saved_at, saved_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     SQL_ARGS(SQL_INT(case_id), SQL_INT(v->version), SQL_TEXT(v->content),
                              SQL_TEXT(v->digest), SQL_INT_OR_NULL(v->amount_ore),
                              SQL_TEXT(v->saved_at), SQL_TEXT(v->saved_by)),
                     NULL);
    return sql_atomic_end(s, e);
}

enum err store_case_version_get(struct store *s, long long case_id, int version,
                                struct store_case_version *out)
{
    return sql_get(s, "version get",
                   "SELECT version, content, digest, amount_ore, saved_at, saved_by"
                   " FROM case_versions WHERE case_id = ? AND version = ?",
                   SQL_ARGS(SQL_INT(case_id), SQL_INT(version)), &version_map, out);
}

enum err store_case_versions(struct store *s, long long case_id, struct store_case_version **out,
                             size_t *n)
{
    return sql_list(s, "version list",
                    "SELECT version, digest, amount_ore, saved_at, saved_by FROM case_versions"
                    " WHERE case_id = ? AND version > 0 ORDER BY version",
                    SQL_ARGS(SQL_INT(case_id)), &version_head_map, (void **)out, n);
}

/* --- idempotency --------------------------------------------------------- */

struct idem_row {
    long long case_id;
    int version;
    char digest[65];
};
static const struct sql_col idem_cols[] = {
    SQL_C_INT(struct idem_row, case_id),
    SQL_C_INT(struct idem_row, version),
    SQL_C_TEXT(struct idem_row, digest),
};
static const struct sql_map idem_map = SQL_MAP(struct idem_row, idem_cols);

enum err store_case_idem_get(struct store *s, const char *party, const char *key,
                             long long *case_id, int *version, char digest[65])
{
    struct idem_row r;
    enum err e = sql_get(s, "idempotency key get",
                         "SELECT case_id, version, digest FROM case_idem WHERE party = ?"
                         " AND key = ?",
                         SQL_ARGS(SQL_TEXT(party), SQL_TEXT(key)), &idem_map, &r);
    if (e != ERR_OK)
        return e;
    *case_id = r.case_id;
    *version = r.version;
    str_copy(digest, 65, r.digest);
    return ERR_OK;
}

enum err store_case_idem_put(struct store *s, const char *party, const char *key, long long case_id,
                             int version, const char *digest, const char *at)
{
    return sql_exec(s, "idempotency key put",
                    "INSERT INTO case_idem (party, key, case_id, version, digest, at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    SQL_ARGS(SQL_TEXT(party), SQL_TEXT(key), SQL_INT(case_id), SQL_INT(version),
                             SQL_TEXT(digest), SQL_TEXT(at)),
                    NULL);
}

/* --- decisions ------------------------------------------------------------- */

#define DECISION_COLS                                                                              \
    "id, number, case_id, kind, block_id, amount_ore, reasons, appeal, decided_on, decided_at,"    \
    " decided_by, run_id"
static const struct sql_col decision_cols[] = {
    SQL_C_INT(struct store_case_decision, id),
    SQL_C_TEXT(struct store_case_decision, number),
    SQL_C_INT(struct store_case_decision, case_id),
    SQL_C_TEXT(struct store_case_decision, kind),
    SQL_C_TEXT(struct store_case_decision, block),
    SQL_C_INT(struct store_case_decision, amount_ore),
    SQL_C_TEXT(struct store_case_decision, reasons),
    SQL_C_TEXT(struct store_case_decision, appeal),
    SQL_C_TEXT(struct store_case_decision, decided_on),
    SQL_C_TEXT(struct store_case_decision, decided_at),
    SQL_C_TEXT(struct store_case_decision, decided_by),
    SQL_C_OPT(struct store_case_decision, run_id),
};
static const struct sql_map decision_map = SQL_MAP(struct store_case_decision, decision_cols);

enum err store_case_decision_add(struct store *s, struct store_case_decision *d)
{
    return sql_insert(s, "decision add",
                      "INSERT INTO decisions (number, case_id, kind, block_id, amount_ore, reasons,"
                      " appeal, decided_on, decided_at, decided_by, run_id)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                      SQL_ARGS(SQL_TEXT(d->number), SQL_INT(d->case_id), SQL_TEXT(d->kind),
                               SQL_TEXT(d->block), SQL_INT(d->amount_ore), SQL_TEXT(d->reasons),
                               SQL_TEXT(d->appeal), SQL_TEXT(d->decided_on),
                               SQL_TEXT(d->decided_at), SQL_TEXT(d->decided_by),
                               SQL_INT_OR_NULL(d->run_id)),
                      &d->id);
}

enum err store_case_decision_get(struct store *s, const char *number,
                                 struct store_case_decision *out)
{
    return sql_get(s, "decision get", "SELECT " DECISION_COLS " FROM decisions WHERE number = ?",
                   SQL_ARGS(SQL_TEXT(number)), &decision_map, out);
}

enum err store_case_decisions(struct store *s, long long case_id, struct store_case_decision **out,
                              size_t *n)
{
    return sql_list(s, "decision list",
                    "SELECT " DECISION_COLS " FROM decisions WHERE case_id = ? ORDER BY id",
                    SQL_ARGS(SQL_INT(case_id)), &decision_map, (void **)out, n);
}

/* --- attachments ----------------------------------------------------------- */

enum err store_case_blob_put(struct store *s, const char *sha256, const char *content_type,
                             const void *data, size_t len)
{
    return sql_exec(
        s, "blob put",
        "INSERT INTO blobs (sha256, content_type, size, data) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (sha256) DO NOTHING",
        SQL_ARGS(SQL_TEXT(sha256), SQL_TEXT(content_type), SQL_INT(len), SQL_BLOB(data, len)),
        NULL);
}

struct blob_row {
    char content_type[80];
    char *data;
    size_t len;
};
static const struct sql_col blob_cols[] = {
    SQL_C_TEXT(struct blob_row, content_type),
    SQL_C_BLOB(struct blob_row, data, len),
};
static const struct sql_map blob_map = SQL_MAP(struct blob_row, blob_cols);

enum err store_case_blob_get(struct store *s, const char *sha256, char *content_type, size_t n,
                             struct buf *b)
{
    struct blob_row r;
    enum err e = sql_get(s, "blob get", "SELECT content_type, data FROM blobs WHERE sha256 = ?",
                         SQL_ARGS(SQL_TEXT(sha256)), &blob_map, &r);
    if (e != ERR_OK)
        return e;
    str_copy(content_type, n, r.content_type);
    e = buf_append(b, r.data, r.len);
    free(r.data);
    return e;
}

/* Remove the blob unless a file still names it. */
static enum err blob_gc(struct store *s, const char *sha256)
{
    return sql_exec(s, "blob remove",
                    "DELETE FROM blobs WHERE sha256 = ? AND NOT EXISTS"
                    " (SELECT 1 FROM case_files WHERE sha256 = ?)",
                    SQL_ARGS(SQL_TEXT(sha256), SQL_TEXT(sha256)), NULL);
}

struct sha_row {
    char sha256[65];
};
static const struct sql_col sha_cols[] = {SQL_C_TEXT(struct sha_row, sha256)};
static const struct sql_map sha_map = SQL_MAP(struct sha_row, sha_cols);

enum err store_case_file_put(struct store *s, long long case_id, const struct store_case_file *f)
{
    struct sha_row old = {{0}};
    int64_t present = 0;
    enum err e = sql_atomic_begin(s);
    if (e != ERR_OK)
        return e;
    e = sql_int(s, "file put", "SELECT COUNT(*) FROM blobs WHERE sha256 = ?",
                SQL_ARGS(SQL_TEXT(f->sha256)), &present);
    if (e == ERR_OK && present == 0) {
        snprintf(s->err, sizeof(s->err), "file put: no stored bytes with digest '%s'", f->sha256);
        e = ERR_CONFLICT;
    }
    if (e == ERR_OK) {
        e = sql_get(s, "file put",
                    "SELECT sha256 FROM case_files WHERE case_id = ? AND version = ? AND slot = ?",
                    SQL_ARGS(SQL_INT(case_id), SQL_INT(f->version), SQL_TEXT(f->slot)), &sha_map,
                    &old);
        if (e == ERR_NOTFOUND)
            e = ERR_OK;
    }
    if (e == ERR_OK)
        e = sql_exec(s, "file put",
                     "DELETE FROM case_files WHERE case_id = ? AND version = ? AND slot = ?",
                     SQL_ARGS(SQL_INT(case_id), SQL_INT(f->version), SQL_TEXT(f->slot)), NULL);
    if (e == ERR_OK)
        e = sql_exec(s, "file put",
                     "INSERT INTO case_files (case_id, version, slot, name, sha256, added_at,"
                     " added_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     SQL_ARGS(SQL_INT(case_id), SQL_INT(f->version), SQL_TEXT(f->slot),
                              SQL_TEXT(f->name), SQL_TEXT(f->sha256), SQL_TEXT(f->added_at),
                              SQL_TEXT(f->added_by)),
                     NULL);
    if (e == ERR_OK && old.sha256[0])
        e = blob_gc(s, old.sha256);
    return sql_atomic_end(s, e);
}

enum err store_case_file_remove(struct store *s, long long case_id, int version, const char *slot)
{
    struct sha_row old;
    enum err e = sql_atomic_begin(s);
    if (e != ERR_OK)
        return e;
    e = sql_get(s, "file remove",
                "SELECT sha256 FROM case_files WHERE case_id = ? AND version = ? AND slot = ?",
                SQL_ARGS(SQL_INT(case_id), SQL_INT(version), SQL_TEXT(slot)), &sha_map, &old);
    if (e == ERR_OK)
        e = sql_exec(s, "file remove",
                     "DELETE FROM case_files WHERE case_id = ? AND version = ? AND slot = ?",
                     SQL_ARGS(SQL_INT(case_id), SQL_INT(version), SQL_TEXT(slot)), NULL);
    if (e == ERR_OK)
        e = blob_gc(s, old.sha256);
    return sql_atomic_end(s, e);
}

enum err store_case_files_freeze(struct store *s, long long case_id, int version)
{
    return sql_exec(s, "files freeze",
                    "INSERT INTO case_files (case_id, version, slot, name, sha256, added_at,"
                    " added_by) SELECT case_id, ?, slot, name, sha256, added_at, added_by"
                    " FROM case_files WHERE case_id = ? AND version = 0",
                    SQL_ARGS(SQL_INT(version), SQL_INT(case_id)), NULL);
}

static const struct sql_col file_cols[] = {
    SQL_C_INT(struct store_case_file, version),       SQL_C_TEXT(struct store_case_file, slot),
    SQL_C_TEXT(struct store_case_file, name),         SQL_C_TEXT(struct store_case_file, sha256),
    SQL_C_TEXT(struct store_case_file, content_type), SQL_C_INT(struct store_case_file, size),
    SQL_C_TEXT(struct store_case_file, added_at),     SQL_C_TEXT(struct store_case_file, added_by),
};
static const struct sql_map file_map = SQL_MAP(struct store_case_file, file_cols);

enum err store_case_files(struct store *s, long long case_id, int version,
                          struct store_case_file **out, size_t *n)
{
    return sql_list(s, "file list",
                    "SELECT f.version, f.slot, f.name, f.sha256, b.content_type, b.size,"
                    " f.added_at, f.added_by FROM case_files f JOIN blobs b ON b.sha256 = f.sha256"
                    " WHERE f.case_id = ? AND f.version = ? ORDER BY f.slot",
                    SQL_ARGS(SQL_INT(case_id), SQL_INT(version)), &file_map, (void **)out, n);
}

enum err store_case_usage(struct store *s, const char *party, int64_t *bytes)
{
    *bytes = 0;
    return sql_int(s, "file usage",
                   "SELECT COALESCE(SUM(b.size), 0) FROM blobs b WHERE b.sha256 IN"
                   " (SELECT f.sha256 FROM case_files f JOIN cases c ON c.id = f.case_id"
                   " WHERE c.party = ?)",
                   SQL_ARGS(SQL_TEXT(party)), bytes);
}

/* --- notes and history --------------------------------------------------- */

enum err store_case_note_add(struct store *s, long long case_id, const char *text, const char *at,
                             const char *by, long long *id)
{
    return sql_insert(s, "note add",
                      "INSERT INTO case_notes (case_id, text, noted_at, noted_by)"
                      " VALUES (?, ?, ?, ?) RETURNING id",
                      SQL_ARGS(SQL_INT(case_id), SQL_TEXT(text), SQL_TEXT(at), SQL_TEXT(by)), id);
}

static const struct sql_col note_cols[] = {
    SQL_C_INT(struct store_case_note, id),
    SQL_C_DUP(struct store_case_note, text),
    SQL_C_TEXT(struct store_case_note, at),
    SQL_C_TEXT(struct store_case_note, by),
};
static const struct sql_map note_map = SQL_MAP(struct store_case_note, note_cols);

enum err store_case_notes(struct store *s, long long case_id, struct store_case_note **out,
                          size_t *n)
{
    return sql_list(s, "note list",
                    "SELECT id, text, noted_at, noted_by FROM case_notes WHERE case_id = ?"
                    " ORDER BY id",
                    SQL_ARGS(SQL_INT(case_id)), &note_map, (void **)out, n);
}

void store_case_notes_release(struct store_case_note *v, size_t n)
{
    sql_rows_release(&note_map, v, n);
}

enum err store_case_event_add(struct store *s, long long case_id, const struct store_case_event *ev)
{
    return sql_exec(s, "event add",
                    "INSERT INTO case_events (case_id, verb, version, message, event_at, event_by)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    SQL_ARGS(SQL_INT(case_id), SQL_TEXT(ev->verb), SQL_INT(ev->version),
                             SQL_TEXT(ev->message), SQL_TEXT(ev->at), SQL_TEXT(ev->by)),
                    NULL);
}

static const struct sql_col event_cols[] = {
    SQL_C_INT(struct store_case_event, id),      SQL_C_TEXT(struct store_case_event, verb),
    SQL_C_INT(struct store_case_event, version), SQL_C_TEXT(struct store_case_event, message),
    SQL_C_TEXT(struct store_case_event, at),     SQL_C_TEXT(struct store_case_event, by),
};
static const struct sql_map event_map = SQL_MAP(struct store_case_event, event_cols);

enum err store_case_events(struct store *s, long long case_id, struct store_case_event **out,
                           size_t *n)
{
    return sql_list(s, "event list",
                    "SELECT id, verb, version, message, event_at, event_by FROM case_events"
                    " WHERE case_id = ? ORDER BY id",
                    SQL_ARGS(SQL_INT(case_id)), &event_map, (void **)out, n);
}
