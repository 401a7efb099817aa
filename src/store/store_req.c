/* store_req.c - store_req.h over any driver: requisitions, versions and
 * measures, idempotency keys, decisions and production plan files. */
#include "store/store_req.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sql.h"
#include "util/str.h"

static void state_col(void *field, const char *text)
{
    int k = req_state_parse(text);
    enum req_state st = k < 0 ? REQ_DRAFT : (enum req_state)k;
    memcpy(field, &st, sizeof(st));
}

#define REQ_COLS                                                                                   \
    "id, program_id, recipient, case_no, state, version, revision, message, approved_ore, "        \
    "created_at, created_by, updated_at, updated_by, (SELECT v.amount_ore FROM req_version v "     \
    "WHERE v.requisition_id = requisition.id AND v.version = requisition.version "                 \
    "AND v.version > 0)"
static const struct sql_col req_cols[] = {
    SQL_C_INT(struct store_req, id),
    SQL_C_TEXT(struct store_req, program),
    SQL_C_TEXT(struct store_req, recipient),
    SQL_C_TEXT(struct store_req, case_no),
    SQL_C_FN(struct store_req, state, state_col),
    SQL_C_INT(struct store_req, version),
    SQL_C_INT(struct store_req, revision),
    SQL_C_TEXT(struct store_req, message),
    SQL_C_OPT(struct store_req, approved_ore),
    SQL_C_TEXT(struct store_req, created_at),
    SQL_C_TEXT(struct store_req, created_by),
    SQL_C_TEXT(struct store_req, updated_at),
    SQL_C_TEXT(struct store_req, updated_by),
    SQL_C_OPT(struct store_req, requested_ore),
};
static const struct sql_map req_map = SQL_MAP(struct store_req, req_cols);

enum err store_req_get(struct store *s, const char *program, const char *recipient,
                       struct store_req *out)
{
    return sql_get(s, "requisition get",
                   "SELECT " REQ_COLS " FROM requisition WHERE program_id = ? AND recipient = ?",
                   SQL_ARGS(SQL_TEXT(program), SQL_TEXT(recipient)), &req_map, out);
}

enum err store_req_get_case(struct store *s, const char *case_no, struct store_req *out)
{
    return sql_get(s, "requisition get", "SELECT " REQ_COLS " FROM requisition WHERE case_no = ?",
                   SQL_ARGS(SQL_TEXT(case_no)), &req_map, out);
}

enum err store_req_create(struct store *s, const char *program, const char *recipient,
                          const char *case_no, const char *now, const char *by,
                          struct store_req *out)
{
    enum err e = sql_exec(s, "requisition create",
                          "INSERT INTO requisition (program_id, recipient, case_no, state,"
                          " created_at, created_by, updated_at, updated_by)"
                          " VALUES (?, ?, ?, 'draft', ?, ?, ?, ?)",
                          SQL_ARGS(SQL_TEXT(program), SQL_TEXT(recipient), SQL_TEXT(case_no),
                                   SQL_TEXT(now), SQL_TEXT(by), SQL_TEXT(now), SQL_TEXT(by)),
                          NULL);
    return e == ERR_OK ? store_req_get_case(s, case_no, out) : e;
}

enum err store_req_update(struct store *s, struct store_req *r, long long based_on, const char *now,
                          const char *by)
{
    long long changed = 0;
    enum err e = sql_exec(s, "requisition update",
                          "UPDATE requisition SET state = ?, version = ?, message = ?,"
                          " approved_ore = ?, revision = revision + 1, updated_at = ?,"
                          " updated_by = ? WHERE id = ? AND revision = ?",
                          SQL_ARGS(SQL_TEXT(req_state_id(r->state)), SQL_INT(r->version),
                                   SQL_TEXT(r->message), SQL_INT_OR_NULL(r->approved_ore),
                                   SQL_TEXT(now), SQL_TEXT(by), SQL_INT(r->id), SQL_INT(based_on)),
                          &changed);
    if (e != ERR_OK)
        return e;
    if (changed == 0) {
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
    enum err e = sql_atomic_begin(s);
    if (e != ERR_OK)
        return e;
    if (version == 0) {
        e = sql_exec(s, "draft replace",
                     "DELETE FROM req_measure WHERE requisition_id = ? AND version = 0",
                     SQL_ARGS(SQL_INT(req_id)), NULL);
        if (e == ERR_OK)
            e = sql_exec(s, "draft replace",
                         "DELETE FROM req_version WHERE requisition_id = ? AND version = 0",
                         SQL_ARGS(SQL_INT(req_id)), NULL);
    }
    if (e == ERR_OK)
        e = sql_exec(s, "version put",
                     "INSERT INTO req_version (requisition_id, version, amount_ore, contact_name,"
                     " contact_email, contact_phone, account_kind, account, opt_in, confirmed,"
                     " plan_name, plan_type, plan_size, plan_sha256, saved_at, saved_by,"
                     " extra_cap_ore)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     SQL_ARGS(SQL_INT(req_id), SQL_INT(version), SQL_INT(f->amount_ore),
                              SQL_TEXT(f->contact_name), SQL_TEXT(f->contact_email),
                              SQL_TEXT(f->contact_phone), SQL_TEXT(f->account_kind),
                              SQL_TEXT(f->account), SQL_INT(f->opt_in ? 1 : 0),
                              SQL_INT(f->confirmed ? 1 : 0), SQL_TEXT(f->plan.name),
                              SQL_TEXT(f->plan.content_type), SQL_INT(f->plan.size),
                              SQL_TEXT(f->plan.sha256), SQL_TEXT(at), SQL_TEXT(by),
                              SQL_INT(f->extra_cap_ore)),
                     NULL);
    for (size_t i = 0; e == ERR_OK && i < f->nmeasures; i++) {
        const struct req_measure *m = &f->measures[i];
        e = sql_exec(s, "measure put",
                     "INSERT INTO req_measure (requisition_id, version, seq, purpose,"
                     " description, planned_ore) VALUES (?, ?, ?, ?, ?, ?)",
                     SQL_ARGS(SQL_INT(req_id), SQL_INT(version), SQL_INT(i + 1),
                              SQL_TEXT(m->purpose), SQL_TEXT(m->description ? m->description : ""),
                              SQL_INT(m->planned_ore)),
                     NULL);
    }
    return sql_atomic_end(s, e);
}

struct version_row {
    struct req_form f;
    char at[32];
    char by[128];
};
static const struct sql_col version_cols[] = {
    SQL_C_TEXT(struct version_row, f.program),
    SQL_C_TEXT(struct version_row, f.recipient),
    SQL_C_INT(struct version_row, f.amount_ore),
    SQL_C_TEXT(struct version_row, f.contact_name),
    SQL_C_TEXT(struct version_row, f.contact_email),
    SQL_C_TEXT(struct version_row, f.contact_phone),
    SQL_C_TEXT(struct version_row, f.account_kind),
    SQL_C_TEXT(struct version_row, f.account),
    SQL_C_INT(struct version_row, f.opt_in),
    SQL_C_INT(struct version_row, f.confirmed),
    SQL_C_TEXT(struct version_row, f.plan.name),
    SQL_C_TEXT(struct version_row, f.plan.content_type),
    SQL_C_INT(struct version_row, f.plan.size),
    SQL_C_TEXT(struct version_row, f.plan.sha256),
    SQL_C_TEXT(struct version_row, at),
    SQL_C_TEXT(struct version_row, by),
    SQL_C_INT(struct version_row, f.extra_cap_ore),
};
static const struct sql_map version_map = SQL_MAP(struct version_row, version_cols);

struct measure_row {
    char purpose[32];
    char *description;
    int64_t planned_ore;
};
static const struct sql_col measure_cols[] = {
    SQL_C_TEXT(struct measure_row, purpose),
    SQL_C_DUP(struct measure_row, description),
    SQL_C_INT(struct measure_row, planned_ore),
};
static const struct sql_map measure_map = SQL_MAP(struct measure_row, measure_cols);

struct measure_ctx {
    struct req_form *f;
    enum err e;
};

static int add_measure(void *ctx, void *row)
{
    struct measure_ctx *c = ctx;
    const struct measure_row *m = row;
    c->e = req_measure_add(c->f, m->purpose, m->description, m->planned_ore);
    return c->e != ERR_OK;
}

enum err store_req_form_get(struct store *s, long long req_id, int version, struct req_form *f,
                            char *at, char *by)
{
    struct version_row *v = malloc(sizeof(*v));
    struct measure_row m;
    struct measure_ctx c = {f, ERR_OK};
    req_form_init(f);
    if (!v)
        return ERR_NOMEM;
    enum err e = sql_get(s, "version get",
                         "SELECT r.program_id, r.recipient, v.amount_ore, v.contact_name,"
                         " v.contact_email, v.contact_phone, v.account_kind, v.account, v.opt_in,"
                         " v.confirmed, v.plan_name, v.plan_type, v.plan_size, v.plan_sha256,"
                         " v.saved_at, v.saved_by, v.extra_cap_ore"
                         " FROM req_version v JOIN requisition r ON r.id = v.requisition_id"
                         " WHERE v.requisition_id = ? AND v.version = ?",
                         SQL_ARGS(SQL_INT(req_id), SQL_INT(version)), &version_map, v);
    if (e == ERR_OK) {
        *f = v->f;
        if (at)
            str_copy(at, 32, v->at);
        if (by)
            str_copy(by, 128, v->by);
        e = sql_each(s, "measure get",
                     "SELECT purpose, description, planned_ore FROM req_measure"
                     " WHERE requisition_id = ? AND version = ? ORDER BY seq",
                     SQL_ARGS(SQL_INT(req_id), SQL_INT(version)), &measure_map, &m, add_measure,
                     &c);
        if (e == ERR_OK)
            e = c.e;
    }
    free(v);
    if (e != ERR_OK)
        req_form_release(f);
    return e;
}

static const struct sql_col req_version_cols[] = {
    SQL_C_INT(struct store_req_version, version),
    SQL_C_INT(struct store_req_version, amount_ore),
    SQL_C_TEXT(struct store_req_version, saved_at),
    SQL_C_TEXT(struct store_req_version, saved_by),
};
static const struct sql_map req_version_map = SQL_MAP(struct store_req_version, req_version_cols);

enum err store_req_versions(struct store *s, long long req_id, struct store_req_version **out,
                            size_t *n)
{
    return sql_list(s, "version list",
                    "SELECT version, amount_ore, saved_at, saved_by FROM req_version"
                    " WHERE requisition_id = ? AND version > 0 ORDER BY version",
                    SQL_ARGS(SQL_INT(req_id)), &req_version_map, (void **)out, n);
}

struct idem_row {
    long long req_id;
    int version;
    char digest[65];
};
static const struct sql_col idem_cols[] = {
    SQL_C_INT(struct idem_row, req_id),
    SQL_C_INT(struct idem_row, version),
    SQL_C_TEXT(struct idem_row, digest),
};
static const struct sql_map idem_map = SQL_MAP(struct idem_row, idem_cols);

enum err store_req_idem_get(struct store *s, const char *recipient, const char *program,
                            const char *key, long long *req_id, int *version, char digest[65])
{
    struct idem_row r;
    enum err e =
        sql_get(s, "idempotency get",
                "SELECT requisition_id, version, digest FROM req_idem"
                " WHERE recipient = ? AND program_id = ? AND key = ?",
                SQL_ARGS(SQL_TEXT(recipient), SQL_TEXT(program), SQL_TEXT(key)), &idem_map, &r);
    if (e == ERR_OK) {
        *req_id = r.req_id;
        *version = r.version;
        memcpy(digest, r.digest, sizeof(r.digest));
    }
    return e;
}

static const struct sql_col idem_key_cols[] = {
    SQL_C_TEXT(struct store_req_idem, key),
    SQL_C_INT(struct store_req_idem, version),
    SQL_C_TEXT(struct store_req_idem, digest),
    SQL_C_TEXT(struct store_req_idem, at),
};
static const struct sql_map idem_key_map = SQL_MAP(struct store_req_idem, idem_key_cols);

enum err store_req_idems(struct store *s, long long req_id, struct store_req_idem **out, size_t *n)
{
    return sql_list(s, "idempotency list",
                    "SELECT key, version, digest, at FROM req_idem WHERE requisition_id = ?"
                    " ORDER BY key",
                    SQL_ARGS(SQL_INT(req_id)), &idem_key_map, (void **)out, n);
}

enum err store_req_idem_put(struct store *s, const char *recipient, const char *program,
                            const char *key, long long req_id, int version, const char *digest,
                            const char *at)
{
    return sql_exec(s, "idempotency put",
                    "INSERT INTO req_idem (recipient, program_id, key, requisition_id, version,"
                    " digest, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    SQL_ARGS(SQL_TEXT(recipient), SQL_TEXT(program), SQL_TEXT(key), SQL_INT(req_id),
                             SQL_INT(version), SQL_TEXT(digest), SQL_TEXT(at)),
                    NULL);
}

enum err store_req_decision_add(struct store *s, struct store_req_decision *d)
{
    return sql_insert(s, "decision add",
                      "INSERT INTO req_decision (number, requisition_id, kind, block_id,"
                      " amount_ore, decided_on, decided_at, decided_by, run_id)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                      SQL_ARGS(SQL_TEXT(d->number), SQL_INT(d->req_id), SQL_TEXT(d->kind),
                               SQL_TEXT(d->block), SQL_INT(d->amount_ore), SQL_TEXT(d->decided_on),
                               SQL_TEXT(d->decided_at), SQL_TEXT(d->decided_by),
                               SQL_INT_OR_NULL(d->run_id > 0 ? d->run_id : -1)),
                      &d->id);
}

#define DECISION_SELECT                                                                            \
    "SELECT d.id, d.number, d.requisition_id, r.case_no, r.recipient, d.kind, d.block_id,"         \
    " d.amount_ore, d.decided_on, d.decided_at, d.decided_by, COALESCE(d.run_id, 0)"               \
    " FROM req_decision d JOIN requisition r ON r.id = d.requisition_id"
static const struct sql_col decision_cols[] = {
    SQL_C_INT(struct store_req_decision, id),
    SQL_C_TEXT(struct store_req_decision, number),
    SQL_C_INT(struct store_req_decision, req_id),
    SQL_C_TEXT(struct store_req_decision, case_no),
    SQL_C_TEXT(struct store_req_decision, recipient),
    SQL_C_TEXT(struct store_req_decision, kind),
    SQL_C_TEXT(struct store_req_decision, block),
    SQL_C_INT(struct store_req_decision, amount_ore),
    SQL_C_TEXT(struct store_req_decision, decided_on),
    SQL_C_TEXT(struct store_req_decision, decided_at),
    SQL_C_TEXT(struct store_req_decision, decided_by),
    SQL_C_INT(struct store_req_decision, run_id),
};
static const struct sql_map decision_map = SQL_MAP(struct store_req_decision, decision_cols);

enum err store_req_decision_get(struct store *s, const char *number, struct store_req_decision *out)
{
    return sql_get(s, "decision get", DECISION_SELECT " WHERE d.number = ?",
                   SQL_ARGS(SQL_TEXT(number)), &decision_map, out);
}

enum err store_req_decisions(struct store *s, const char *program, long long req_id,
                             struct store_req_decision **out, size_t *n)
{
    return sql_list(
        s, "decision list",
        DECISION_SELECT " WHERE (? IS NULL OR r.program_id = ?)"
                        " AND (? = 0 OR d.requisition_id = ?) ORDER BY d.id",
        SQL_ARGS(SQL_TEXT(program), SQL_TEXT(program), SQL_INT(req_id), SQL_INT(req_id)),
        &decision_map, (void **)out, n);
}

enum err store_req_list(struct store *s, const struct store_req_filter *f, struct store_req **out,
                        size_t *n)
{
    const char *state = f->state >= 0 ? req_state_id((enum req_state)f->state) : NULL;
    return sql_list(s, "requisition list",
                    "SELECT " REQ_COLS " FROM requisition"
                    " WHERE (? IS NULL OR program_id = ?) AND (? IS NULL OR state = ?)"
                    " AND (? IS NULL OR recipient = ?) ORDER BY case_no LIMIT ? OFFSET ?",
                    SQL_ARGS(SQL_TEXT(f->program), SQL_TEXT(f->program), SQL_TEXT(state),
                             SQL_TEXT(state), SQL_TEXT(f->recipient), SQL_TEXT(f->recipient),
                             SQL_INT(f->limit ? (int64_t)f->limit : INT64_MAX), SQL_INT(f->offset)),
                    &req_map, (void **)out, n);
}

struct count_row {
    char state[16];
    long long n;
};
static const struct sql_col count_cols[] = {
    SQL_C_TEXT(struct count_row, state),
    SQL_C_INT(struct count_row, n),
};
static const struct sql_map count_map = SQL_MAP(struct count_row, count_cols);

static int add_count(void *ctx, void *row)
{
    long long *counts = ctx;
    const struct count_row *c = row;
    int k = req_state_parse(c->state);
    if (k >= 0)
        counts[k] = c->n;
    return 0;
}

enum err store_req_counts(struct store *s, const char *program, const char *recipient,
                          long long counts[REQ_STATE_COUNT])
{
    struct count_row c;
    memset(counts, 0, sizeof(long long) * REQ_STATE_COUNT);
    return sql_each(
        s, "requisition counts",
        "SELECT state, COUNT(*) FROM requisition WHERE (? IS NULL OR program_id = ?)"
        " AND (? IS NULL OR recipient = ?) GROUP BY state",
        SQL_ARGS(SQL_TEXT(program), SQL_TEXT(program), SQL_TEXT(recipient), SQL_TEXT(recipient)),
        &count_map, &c, add_count, counts);
}

enum err store_req_plan_put(struct store *s, const char *sha256, const char *content_type,
                            const void *data, size_t len)
{
    return sql_exec(
        s, "plan put",
        "INSERT INTO req_plan_blob (sha256, content_type, size, data)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
        SQL_ARGS(SQL_TEXT(sha256), SQL_TEXT(content_type), SQL_INT(len), SQL_BLOB(data, len)),
        NULL);
}

struct plan_row {
    char content_type[80];
    char *data;
    size_t len;
};
static const struct sql_col plan_cols[] = {
    SQL_C_TEXT(struct plan_row, content_type),
    SQL_C_BLOB(struct plan_row, data, len),
};
static const struct sql_map plan_map = SQL_MAP(struct plan_row, plan_cols);

enum err store_req_plan_get(struct store *s, const char *sha256, char *content_type, size_t n,
                            struct buf *b)
{
    struct plan_row p;
    enum err e =
        sql_get(s, "plan get", "SELECT content_type, data FROM req_plan_blob WHERE sha256 = ?",
                SQL_ARGS(SQL_TEXT(sha256)), &plan_map, &p);
    if (e != ERR_OK)
        return e;
    str_copy(content_type, n, p.content_type);
    e = buf_append(b, p.data, p.len);
    free(p.data);
    return e;
}

enum err store_req_plan_forget(struct store *s, const char *sha256)
{
    return sql_exec(s, "plan forget",
                    "DELETE FROM req_plan_blob WHERE sha256 = ? AND NOT EXISTS"
                    " (SELECT 1 FROM req_version WHERE plan_sha256 = ?)",
                    SQL_ARGS(SQL_TEXT(sha256), SQL_TEXT(sha256)), NULL);
}

enum err store_req_plan_usage(struct store *s, const char *recipient, int64_t *bytes)
{
    *bytes = 0;
    return sql_int(s, "plan usage",
                   "SELECT COALESCE(SUM(b.size), 0) FROM req_plan_blob b WHERE"
                   " b.sha256 IN (SELECT v.plan_sha256 FROM req_version v JOIN"
                   " requisition r ON r.id = v.requisition_id WHERE r.recipient = ?)",
                   SQL_ARGS(SQL_TEXT(recipient)), bytes);
}
