/* sqlite_req.c - SQLite implementation of store_req.h: requisitions,
 * versions and measures, idempotency keys, decisions, redistribution runs
 * and production plan files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "store/store_req.h"
#include "util/str.h"

static enum err step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    enum err e = ERR_OK;
    if (rc != SQLITE_DONE)
        e = store_fail(s, what);
    sqlite3_finalize(st);
    return e;
}

static enum err grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return ERR_OK;
    size_t nc = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, nc * sz);
    if (!p)
        return ERR_NOMEM;
    *arr = p;
    *cap = nc;
    return ERR_OK;
}

/* Next number of a counter kind ("REK", "BES") in a year. */
static enum err next_number(struct store *s, const char *kind, int year, long long *n)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "INSERT INTO req_counter (kind, year, n) VALUES (?, ?, 1) "
                               "ON CONFLICT (kind, year) DO UPDATE SET n = n + 1 RETURNING n",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, kind);
    sqlite3_bind_int(st, 2, year);
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    else
        e = store_fail(s, "number");
    sqlite3_finalize(st);
    return e;
}

#define REQ_COLS                                                                                   \
    "id, program_id, recipient, case_no, state, version, revision, message, approved_ore, "        \
    "created_at, created_by, updated_at, updated_by, (SELECT v.amount_ore FROM req_version v "     \
    "WHERE v.requisition_id = requisition.id AND v.version = requisition.version "                 \
    "AND v.version > 0)"

static void read_req(sqlite3_stmt *st, struct store_req *r)
{
    char state[16];
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    store_col_text(st, 1, r->program, sizeof(r->program));
    store_col_text(st, 2, r->recipient, sizeof(r->recipient));
    store_col_text(st, 3, r->case_no, sizeof(r->case_no));
    store_col_text(st, 4, state, sizeof(state));
    int k = req_state_parse(state);
    r->state = k < 0 ? REQ_DRAFT : (enum req_state)k;
    r->version = sqlite3_column_int(st, 5);
    r->revision = sqlite3_column_int64(st, 6);
    store_col_text(st, 7, r->message, sizeof(r->message));
    r->approved_ore = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 8);
    store_col_text(st, 9, r->created_at, sizeof(r->created_at));
    store_col_text(st, 10, r->created_by, sizeof(r->created_by));
    store_col_text(st, 11, r->updated_at, sizeof(r->updated_at));
    store_col_text(st, 12, r->updated_by, sizeof(r->updated_by));
    r->requested_ore =
        sqlite3_column_type(st, 13) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 13);
}

static enum err get_one(struct store *s, sqlite3_stmt *st, struct store_req *out)
{
    enum err e = ERR_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_req(st, out);
    else if (rc == SQLITE_DONE)
        e = ERR_NOTFOUND;
    else
        e = store_fail(s, "requisition get");
    sqlite3_finalize(st);
    return e;
}

enum err store_req_get(struct store *s, const char *program, const char *recipient,
                       struct store_req *out)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(
        s, "SELECT " REQ_COLS " FROM requisition WHERE program_id = ? AND recipient = ?", &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, program);
    store_bind_text(st, 2, recipient);
    return get_one(s, st, out);
}

enum err store_req_get_case(struct store *s, const char *case_no, struct store_req *out)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s, "SELECT " REQ_COLS " FROM requisition WHERE case_no = ?", &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, case_no);
    return get_one(s, st, out);
}

enum err store_req_create(struct store *s, const char *program, const char *recipient, int year,
                          const char *now, const char *by, struct store_req *out)
{
    long long n = 0;
    char case_no[REQ_CASE_LEN];
    sqlite3_stmt *st = NULL;
    enum err e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = next_number(s, "REK", year, &n);
    if (e != ERR_OK)
        goto out;
    snprintf(case_no, sizeof(case_no), "REK-%04d-%06lld", year, n);
    e = store_prepare(s,
                      "INSERT INTO requisition (program_id, recipient, case_no, state, created_at,"
                      " created_by, updated_at, updated_by) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?)",
                      &st);
    if (e != ERR_OK)
        goto out;
    store_bind_text(st, 1, program);
    store_bind_text(st, 2, recipient);
    store_bind_text(st, 3, case_no);
    store_bind_text(st, 4, now);
    store_bind_text(st, 5, by);
    store_bind_text(st, 6, now);
    store_bind_text(st, 7, by);
    e = step_done(s, st, "requisition create");
    if (e != ERR_OK)
        goto out;
    e = store_req_get_case(s, case_no, out);
out:
    if (e != ERR_OK) {
        store_rollback(s);
        return e;
    }
    return store_commit(s);
}

enum err store_req_update(struct store *s, struct store_req *r, long long based_on, const char *now,
                          const char *by)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "UPDATE requisition SET state = ?, version = ?, message = ?,"
                               " approved_ore = ?, revision = revision + 1, updated_at = ?,"
                               " updated_by = ? WHERE id = ? AND revision = ?",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, req_state_id(r->state));
    sqlite3_bind_int(st, 2, r->version);
    store_bind_text(st, 3, r->message);
    if (r->approved_ore < 0)
        sqlite3_bind_null(st, 4);
    else
        sqlite3_bind_int64(st, 4, r->approved_ore);
    store_bind_text(st, 5, now);
    store_bind_text(st, 6, by);
    sqlite3_bind_int64(st, 7, r->id);
    sqlite3_bind_int64(st, 8, based_on);
    e = step_done(s, st, "requisition update");
    if (e != ERR_OK)
        return e;
    if (sqlite3_changes(s->db) == 0) {
        snprintf(s->err, sizeof(s->err), "requisition '%s' changed since revision %lld", r->case_no,
                 based_on);
        return ERR_CONFLICT;
    }
    r->revision = based_on + 1;
    str_copy(r->updated_at, sizeof(r->updated_at), now);
    str_copy(r->updated_by, sizeof(r->updated_by), by);
    return ERR_OK;
}

enum err store_req_form_put(struct store *s, long long req_id, int version,
                            const struct req_form *f, const char *at, const char *by)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_begin(s);
    if (e != ERR_OK)
        return e;
    if (version == 0) {
        const char *del[] = {"DELETE FROM req_measure WHERE requisition_id = ? AND version = 0",
                             "DELETE FROM req_version WHERE requisition_id = ? AND version = 0"};
        for (size_t i = 0; i < 2; i++) {
            e = store_prepare(s, del[i], &st);
            if (e != ERR_OK)
                goto out;
            sqlite3_bind_int64(st, 1, req_id);
            e = step_done(s, st, "draft replace");
            if (e != ERR_OK)
                goto out;
        }
    }
    e = store_prepare(s,
                      "INSERT INTO req_version (requisition_id, version, amount_ore, contact_name,"
                      " contact_email, contact_phone, account_kind, account, opt_in, confirmed,"
                      " plan_name, plan_type, plan_size, plan_sha256, saved_at, saved_by)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      &st);
    if (e != ERR_OK)
        goto out;
    sqlite3_bind_int64(st, 1, req_id);
    sqlite3_bind_int(st, 2, version);
    sqlite3_bind_int64(st, 3, f->amount_ore);
    store_bind_text(st, 4, f->contact_name);
    store_bind_text(st, 5, f->contact_email);
    store_bind_text(st, 6, f->contact_phone);
    store_bind_text(st, 7, f->account_kind);
    store_bind_text(st, 8, f->account);
    sqlite3_bind_int(st, 9, f->opt_in ? 1 : 0);
    sqlite3_bind_int(st, 10, f->confirmed ? 1 : 0);
    store_bind_text(st, 11, f->plan.name);
    store_bind_text(st, 12, f->plan.content_type);
    sqlite3_bind_int64(st, 13, f->plan.size);
    store_bind_text(st, 14, f->plan.sha256);
    store_bind_text(st, 15, at);
    store_bind_text(st, 16, by);
    e = step_done(s, st, "version put");
    if (e != ERR_OK)
        goto out;
    for (size_t i = 0; i < f->nmeasures; i++) {
        const struct req_measure *m = &f->measures[i];
        e = store_prepare(s,
                          "INSERT INTO req_measure (requisition_id, version, seq, purpose,"
                          " description, planned_ore) VALUES (?, ?, ?, ?, ?, ?)",
                          &st);
        if (e != ERR_OK)
            goto out;
        sqlite3_bind_int64(st, 1, req_id);
        sqlite3_bind_int(st, 2, version);
        sqlite3_bind_int(st, 3, (int)i + 1);
        store_bind_text(st, 4, m->purpose);
        store_bind_text(st, 5, m->description ? m->description : "");
        sqlite3_bind_int64(st, 6, m->planned_ore);
        e = step_done(s, st, "measure put");
        if (e != ERR_OK)
            goto out;
    }
out:
    if (e != ERR_OK) {
        store_rollback(s);
        return e;
    }
    return store_commit(s);
}

enum err store_req_form_get(struct store *s, long long req_id, int version, struct req_form *f,
                            char *at, char *by)
{
    sqlite3_stmt *st = NULL;
    req_form_init(f);
    enum err e = store_prepare(
        s,
        "SELECT r.program_id, r.recipient, v.amount_ore, v.contact_name, v.contact_email,"
        " v.contact_phone, v.account_kind, v.account, v.opt_in, v.confirmed, v.plan_name,"
        " v.plan_type, v.plan_size, v.plan_sha256, v.saved_at, v.saved_by"
        " FROM req_version v JOIN requisition r ON r.id = v.requisition_id"
        " WHERE v.requisition_id = ? AND v.version = ?",
        &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int64(st, 1, req_id);
    sqlite3_bind_int(st, 2, version);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        e = ERR_NOTFOUND;
        goto out;
    }
    if (rc != SQLITE_ROW) {
        e = store_fail(s, "version get");
        goto out;
    }
    store_col_text(st, 0, f->program, sizeof(f->program));
    store_col_text(st, 1, f->recipient, sizeof(f->recipient));
    f->amount_ore = sqlite3_column_int64(st, 2);
    store_col_text(st, 3, f->contact_name, sizeof(f->contact_name));
    store_col_text(st, 4, f->contact_email, sizeof(f->contact_email));
    store_col_text(st, 5, f->contact_phone, sizeof(f->contact_phone));
    store_col_text(st, 6, f->account_kind, sizeof(f->account_kind));
    store_col_text(st, 7, f->account, sizeof(f->account));
    f->opt_in = sqlite3_column_int(st, 8);
    f->confirmed = sqlite3_column_int(st, 9);
    store_col_text(st, 10, f->plan.name, sizeof(f->plan.name));
    store_col_text(st, 11, f->plan.content_type, sizeof(f->plan.content_type));
    f->plan.size = sqlite3_column_int64(st, 12);
    store_col_text(st, 13, f->plan.sha256, sizeof(f->plan.sha256));
    if (at)
        store_col_text(st, 14, at, 32);
    if (by)
        store_col_text(st, 15, by, 128);
    sqlite3_finalize(st);
    st = NULL;
    e = store_prepare(s,
                      "SELECT purpose, description, planned_ore FROM req_measure"
                      " WHERE requisition_id = ? AND version = ? ORDER BY seq",
                      &st);
    if (e != ERR_OK)
        goto out;
    sqlite3_bind_int64(st, 1, req_id);
    sqlite3_bind_int(st, 2, version);
    rc = sqlite3_step(st);
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
        const char *d = (const char *)sqlite3_column_text(st, 1);
        e = req_measure_add(f, (const char *)sqlite3_column_text(st, 0), d ? d : "",
                            sqlite3_column_int64(st, 2));
        if (e != ERR_OK)
            goto out;
    }
    if (rc != SQLITE_DONE)
        e = store_fail(s, "measure get");
out:
    sqlite3_finalize(st);
    if (e != ERR_OK)
        req_form_release(f);
    return e;
}

enum err store_req_versions(struct store *s, long long req_id, struct store_req_version **out,
                            size_t *n)
{
    sqlite3_stmt *st = NULL;
    struct store_req_version *arr = NULL;
    size_t cap = 0, cnt = 0;
    enum err e = store_prepare(s,
                               "SELECT version, amount_ore, saved_at, saved_by FROM req_version"
                               " WHERE requisition_id = ? AND version > 0 ORDER BY version",
                               &st);
    if (e != ERR_OK)
        return e;
    sqlite3_bind_int64(st, 1, req_id);
    int rc = sqlite3_step(st);
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
        e = grow((void **)&arr, &cap, cnt, sizeof(*arr));
        if (e != ERR_OK)
            goto out;
        struct store_req_version *v = &arr[cnt++];
        v->version = sqlite3_column_int(st, 0);
        v->amount_ore = sqlite3_column_int64(st, 1);
        store_col_text(st, 2, v->saved_at, sizeof(v->saved_at));
        store_col_text(st, 3, v->saved_by, sizeof(v->saved_by));
    }
    if (rc != SQLITE_DONE)
        e = store_fail(s, "version list");
out:
    sqlite3_finalize(st);
    if (e != ERR_OK) {
        free(arr);
        return e;
    }
    *out = arr;
    *n = cnt;
    return ERR_OK;
}

enum err store_req_idem_get(struct store *s, const char *recipient, const char *program,
                            const char *key, long long *req_id, int *version, char digest[65])
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "SELECT requisition_id, version, digest FROM req_idem WHERE "
                               "recipient = ? AND program_id = ? AND key = ?",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, recipient);
    store_bind_text(st, 2, program);
    store_bind_text(st, 3, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *req_id = sqlite3_column_int64(st, 0);
        *version = sqlite3_column_int(st, 1);
        store_col_text(st, 2, digest, 65);
    } else if (rc == SQLITE_DONE) {
        e = ERR_NOTFOUND;
    } else {
        e = store_fail(s, "idempotency get");
    }
    sqlite3_finalize(st);
    return e;
}

enum err store_req_idem_put(struct store *s, const char *recipient, const char *program,
                            const char *key, long long req_id, int version, const char *digest,
                            const char *at)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "INSERT INTO req_idem (recipient, program_id, key, requisition_id, "
                               "version, digest, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, recipient);
    store_bind_text(st, 2, program);
    store_bind_text(st, 3, key);
    sqlite3_bind_int64(st, 4, req_id);
    sqlite3_bind_int(st, 5, version);
    store_bind_text(st, 6, digest);
    store_bind_text(st, 7, at);
    return step_done(s, st, "idempotency put");
}

enum err store_req_decision_add(struct store *s, struct store_req_decision *d, int year)
{
    long long n = 0;
    sqlite3_stmt *st = NULL;
    enum err e = next_number(s, "BES", year, &n);
    if (e != ERR_OK)
        return e;
    snprintf(d->number, sizeof(d->number), "BES-%04d-%06lld", year, n);
    e = store_prepare(s,
                      "INSERT INTO req_decision (number, requisition_id, kind, block_id,"
                      " amount_ore, decided_on, decided_at, decided_by, run_id)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, d->number);
    sqlite3_bind_int64(st, 2, d->req_id);
    store_bind_text(st, 3, d->kind);
    store_bind_text(st, 4, d->block);
    sqlite3_bind_int64(st, 5, d->amount_ore);
    store_bind_text(st, 6, d->decided_on);
    store_bind_text(st, 7, d->decided_at);
    store_bind_text(st, 8, d->decided_by);
    if (d->run_id > 0)
        sqlite3_bind_int64(st, 9, d->run_id);
    else
        sqlite3_bind_null(st, 9);
    e = step_done(s, st, "decision add");
    if (e == ERR_OK)
        d->id = sqlite3_last_insert_rowid(s->db);
    return e;
}

#define DECISION_SELECT                                                                            \
    "SELECT d.id, d.number, d.requisition_id, r.case_no, r.recipient, d.kind, d.block_id,"         \
    " d.amount_ore, d.decided_on, d.decided_at, d.decided_by, COALESCE(d.run_id, 0)"               \
    " FROM req_decision d JOIN requisition r ON r.id = d.requisition_id"

static void read_decision(sqlite3_stmt *st, struct store_req_decision *d)
{
    memset(d, 0, sizeof(*d));
    d->id = sqlite3_column_int64(st, 0);
    store_col_text(st, 1, d->number, sizeof(d->number));
    d->req_id = sqlite3_column_int64(st, 2);
    store_col_text(st, 3, d->case_no, sizeof(d->case_no));
    store_col_text(st, 4, d->recipient, sizeof(d->recipient));
    store_col_text(st, 5, d->kind, sizeof(d->kind));
    store_col_text(st, 6, d->block, sizeof(d->block));
    d->amount_ore = sqlite3_column_int64(st, 7);
    store_col_text(st, 8, d->decided_on, sizeof(d->decided_on));
    store_col_text(st, 9, d->decided_at, sizeof(d->decided_at));
    store_col_text(st, 10, d->decided_by, sizeof(d->decided_by));
    d->run_id = sqlite3_column_int64(st, 11);
}

enum err store_req_decision_get(struct store *s, const char *number, struct store_req_decision *out)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s, DECISION_SELECT " WHERE d.number = ?", &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, number);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_decision(st, out);
    else if (rc == SQLITE_DONE)
        e = ERR_NOTFOUND;
    else
        e = store_fail(s, "decision get");
    sqlite3_finalize(st);
    return e;
}

enum err store_req_decisions(struct store *s, const char *program, long long req_id,
                             struct store_req_decision **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    struct store_req_decision *arr = NULL;
    size_t cap = 0, cnt = 0;
    enum err e =
        store_prepare(s,
                      DECISION_SELECT " WHERE (?1 IS NULL OR r.program_id = ?1) AND (?2 = 0 OR"
                                      " d.requisition_id = ?2) ORDER BY d.id",
                      &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, program);
    sqlite3_bind_int64(st, 2, req_id);
    int rc = sqlite3_step(st);
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
        e = grow((void **)&arr, &cap, cnt, sizeof(*arr));
        if (e != ERR_OK)
            goto out;
        read_decision(st, &arr[cnt++]);
    }
    if (rc != SQLITE_DONE)
        e = store_fail(s, "decision list");
out:
    sqlite3_finalize(st);
    if (e != ERR_OK) {
        free(arr);
        return e;
    }
    *out = arr;
    *n = cnt;
    return ERR_OK;
}

enum err store_req_list(struct store *s, const struct store_req_filter *f, struct store_req **out,
                        size_t *n)
{
    sqlite3_stmt *st = NULL;
    struct store_req *arr = NULL;
    size_t cap = 0, cnt = 0;
    enum err e = store_prepare(s,
                               "SELECT " REQ_COLS " FROM requisition"
                               " WHERE (?1 IS NULL OR program_id = ?1) AND (?2 IS NULL OR state"
                               " = ?2) AND (?3 IS NULL OR recipient = ?3)"
                               " ORDER BY case_no LIMIT ?4 OFFSET ?5",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, f->program);
    store_bind_text(st, 2, f->state >= 0 ? req_state_id((enum req_state)f->state) : NULL);
    store_bind_text(st, 3, f->recipient);
    sqlite3_bind_int64(st, 4, f->limit ? (sqlite3_int64)f->limit : -1);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)f->offset);
    int rc = sqlite3_step(st);
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
        e = grow((void **)&arr, &cap, cnt, sizeof(*arr));
        if (e != ERR_OK)
            goto out;
        read_req(st, &arr[cnt++]);
    }
    if (rc != SQLITE_DONE)
        e = store_fail(s, "requisition list");
out:
    sqlite3_finalize(st);
    if (e != ERR_OK) {
        free(arr);
        return e;
    }
    *out = arr;
    *n = cnt;
    return ERR_OK;
}

enum err store_req_counts(struct store *s, const char *program, const char *recipient,
                          long long counts[REQ_STATE_COUNT])
{
    sqlite3_stmt *st = NULL;
    memset(counts, 0, sizeof(long long) * REQ_STATE_COUNT);
    enum err e = store_prepare(s,
                               "SELECT state, COUNT(*) FROM requisition WHERE (?1 IS NULL OR"
                               " program_id = ?1) AND (?2 IS NULL OR recipient = ?2)"
                               " GROUP BY state",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, program);
    store_bind_text(st, 2, recipient);
    int rc = sqlite3_step(st);
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
        int k = req_state_parse((const char *)sqlite3_column_text(st, 0));
        if (k >= 0)
            counts[k] = sqlite3_column_int64(st, 1);
    }
    if (rc != SQLITE_DONE)
        e = store_fail(s, "requisition counts");
    sqlite3_finalize(st);
    return e;
}

enum err store_req_run_get(struct store *s, const char *program, const char *block,
                           struct store_req_run *out)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "SELECT id, unrequisitioned_ore, redistributed_ore, remaining_ore,"
                               " run_at, run_by FROM req_redist_run WHERE program_id = ? AND"
                               " block_id = ?",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, program);
    store_bind_text(st, 2, block);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        out->id = sqlite3_column_int64(st, 0);
        str_copy(out->program, sizeof(out->program), program);
        str_copy(out->block, sizeof(out->block), block);
        out->unrequisitioned_ore = sqlite3_column_int64(st, 1);
        out->redistributed_ore = sqlite3_column_int64(st, 2);
        out->remaining_ore = sqlite3_column_int64(st, 3);
        store_col_text(st, 4, out->run_at, sizeof(out->run_at));
        store_col_text(st, 5, out->run_by, sizeof(out->run_by));
    } else if (rc == SQLITE_DONE) {
        e = ERR_NOTFOUND;
    } else {
        e = store_fail(s, "redistribution get");
    }
    sqlite3_finalize(st);
    return e;
}

enum err store_req_run_add(struct store *s, struct store_req_run *r)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "INSERT INTO req_redist_run (program_id, block_id,"
                               " unrequisitioned_ore, redistributed_ore, remaining_ore, run_at,"
                               " run_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, r->program);
    store_bind_text(st, 2, r->block);
    sqlite3_bind_int64(st, 3, r->unrequisitioned_ore);
    sqlite3_bind_int64(st, 4, r->redistributed_ore);
    sqlite3_bind_int64(st, 5, r->remaining_ore);
    store_bind_text(st, 6, r->run_at);
    store_bind_text(st, 7, r->run_by);
    e = step_done(s, st, "redistribution add");
    if (e == ERR_OK)
        r->id = sqlite3_last_insert_rowid(s->db);
    return e;
}

enum err store_req_plan_put(struct store *s, const char *sha256, const char *content_type,
                            const void *data, size_t len)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "INSERT INTO req_plan_blob (sha256, content_type, size, data)"
                               " VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, sha256);
    store_bind_text(st, 2, content_type);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)len);
    sqlite3_bind_blob64(st, 4, data, (sqlite3_uint64)len, SQLITE_TRANSIENT);
    return step_done(s, st, "plan put");
}

enum err store_req_plan_get(struct store *s, const char *sha256, char *content_type, size_t n,
                            struct buf *b)
{
    sqlite3_stmt *st = NULL;
    enum err e =
        store_prepare(s, "SELECT content_type, data FROM req_plan_blob WHERE sha256 = ?", &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, sha256);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_col_text(st, 0, content_type, n);
        const void *p = sqlite3_column_blob(st, 1);
        int len = sqlite3_column_bytes(st, 1);
        e = buf_append(b, p ? p : "", (size_t)len);
    } else if (rc == SQLITE_DONE) {
        e = ERR_NOTFOUND;
    } else {
        e = store_fail(s, "plan get");
    }
    sqlite3_finalize(st);
    return e;
}

enum err store_req_plan_forget(struct store *s, const char *sha256)
{
    sqlite3_stmt *st = NULL;
    enum err e = store_prepare(s,
                               "DELETE FROM req_plan_blob WHERE sha256 = ?1 AND NOT EXISTS"
                               " (SELECT 1 FROM req_version WHERE plan_sha256 = ?1)",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, sha256);
    return step_done(s, st, "plan forget");
}

enum err store_req_plan_usage(struct store *s, const char *recipient, int64_t *bytes)
{
    sqlite3_stmt *st = NULL;
    *bytes = 0;
    enum err e = store_prepare(s,
                               "SELECT COALESCE(SUM(b.size), 0) FROM req_plan_blob b WHERE"
                               " b.sha256 IN (SELECT v.plan_sha256 FROM req_version v JOIN"
                               " requisition r ON r.id = v.requisition_id WHERE r.recipient = ?)",
                               &st);
    if (e != ERR_OK)
        return e;
    store_bind_text(st, 1, recipient);
    if (sqlite3_step(st) == SQLITE_ROW)
        *bytes = sqlite3_column_int64(st, 0);
    else
        e = store_fail(s, "plan usage");
    sqlite3_finalize(st);
    return e;
}
