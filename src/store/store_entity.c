/* store_entity.c - the rows of each audited entity and their canonical
 * digest, written once in portable SQL (see store_entity.h). */
#include "store/store_entity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sql.h"
#include "util/str.h"

/* One table of an entity: the columns in the order digested (types as
 * sql_digest takes them), in key order; binds says which part of the
 * entity's key each `?` takes ('0' the first, '1' the second). */
struct ent_table {
    const char *name;
    const char *sql;
    const char *types;
    const char *binds;
};

struct ent_kind {
    const char *prefix; /* "user:", or the whole name for a kind without key */
    int nparts;         /* parts of the key: 0, 1 or 2 */
    char sep;           /* between two parts */
    const struct ent_table *tables;
    size_t ntables;
    /* two text columns: the key's parts (the second "" for one part) of
     * every entity of the kind that has rows */
    const char *list_sql;
};

#define DECISION_COLS                                                                              \
    "d.id, d.number, d.requisition_id, d.kind, d.block_id, d.amount_ore, d.decided_on,"            \
    " d.decided_at, d.decided_by, d.run_id"
#define DECISION_TYPES                                                                             \
    "ititti"                                                                                       \
    "ttti"

static const struct ent_table user_tables[] = {
    {"account", "SELECT id, login, name, pwhash, disabled, created_at FROM account WHERE login = ?",
     "itttit", "0"},
    {"account_role",
     "SELECT r.account_id, r.role, r.org, r.granted_at FROM account_role r"
     " JOIN account a ON a.id = r.account_id WHERE a.login = ? ORDER BY r.role, r.org",
     "ittt", "0"},
    {"org_invite",
     "SELECT org, login, role, invited_by, invited_at FROM org_invite WHERE login = ?"
     " ORDER BY org, role",
     "ttttt", "0"},
    {"api_token",
     "SELECT t.id, t.account_id, t.name, t.hash, t.org, t.created_at, t.revoked FROM api_token t"
     " JOIN account a ON a.id = t.account_id WHERE a.login = ? ORDER BY t.id",
     "iitttti", "0"},
};

#define REQ_OF " JOIN requisition r ON r.id = x.requisition_id WHERE r.case_no = ?"
static const struct ent_table req_tables[] = {
    {"requisition",
     "SELECT id, program_id, recipient, case_no, state, version, revision, message, approved_ore,"
     " created_at, created_by, updated_at, updated_by FROM requisition WHERE case_no = ?",
     "ittttiititttt", "0"},
    {"req_version",
     "SELECT x.requisition_id, x.version, x.amount_ore, x.contact_name, x.contact_email,"
     " x.contact_phone, x.account_kind, x.account, x.opt_in, x.confirmed, x.plan_name,"
     " x.plan_type, x.plan_size, x.plan_sha256, x.saved_at, x.saved_by FROM req_version x" REQ_OF
     " ORDER BY x.version",
     "iiitttttiittittt", "0"},
    {"req_measure",
     "SELECT x.requisition_id, x.version, x.seq, x.purpose, x.description, x.planned_ore"
     " FROM req_measure x" REQ_OF " ORDER BY x.version, x.seq",
     "iiitti", "0"},
    {"req_decision",
     "SELECT " DECISION_COLS " FROM req_decision d JOIN requisition r ON r.id = d.requisition_id"
     " WHERE r.case_no = ? AND (d.run_id IS NULL OR NOT EXISTS"
     " (SELECT 1 FROM req_redist_run u WHERE u.id = d.run_id)) ORDER BY d.id",
     DECISION_TYPES, "0"},
    {"req_idem",
     "SELECT x.recipient, x.program_id, x.key, x.requisition_id, x.version, x.digest, x.at"
     " FROM req_idem x" REQ_OF " ORDER BY x.recipient, x.program_id, x.key",
     "tttiitt", "0"},
    {"req_plan_blob",
     "SELECT b.sha256, b.content_type, b.size, b.data FROM req_plan_blob b WHERE b.sha256 IN"
     " (SELECT x.plan_sha256 FROM req_version x" REQ_OF ") ORDER BY b.sha256",
     "ttib", "0"},
};

#define CASE_OF " JOIN cases c ON c.id = x.case_id WHERE c.number = ?"
static const struct ent_table case_tables[] = {
    {"cases",
     "SELECT id, kind, number, program_id, party, subject, state, outcome, version, revision,"
     " assigned_to, message, created_at, created_by, updated_at, updated_by FROM cases"
     " WHERE number = ?",
     "itttttttiitttttt", "0"},
    {"case_versions",
     "SELECT x.case_id, x.version, x.content, x.digest, x.amount_ore, x.saved_at, x.saved_by"
     " FROM case_versions x" CASE_OF " ORDER BY x.version",
     "iittitt", "0"},
    {"case_idem",
     "SELECT x.party, x.key, x.case_id, x.version, x.digest, x.at FROM case_idem x" CASE_OF
     " ORDER BY x.party, x.key",
     "ttiitt", "0"},
    {"decisions",
     "SELECT x.id, x.number, x.case_id, x.kind, x.block_id, x.amount_ore, x.reasons, x.appeal,"
     " x.decided_on, x.decided_at, x.decided_by, x.run_id FROM decisions x" CASE_OF
     " ORDER BY x.id",
     "itittittttti", "0"},
    {"case_files",
     "SELECT x.case_id, x.version, x.slot, x.name, x.sha256, x.added_at, x.added_by"
     " FROM case_files x" CASE_OF " ORDER BY x.version, x.slot",
     "iittttt", "0"},
    {"blobs",
     "SELECT b.sha256, b.content_type, b.size, b.data FROM blobs b WHERE b.sha256 IN"
     " (SELECT x.sha256 FROM case_files x" CASE_OF ") ORDER BY b.sha256",
     "ttib", "0"},
    {"case_notes",
     "SELECT x.id, x.case_id, x.text, x.noted_at, x.noted_by FROM case_notes x" CASE_OF
     " ORDER BY x.id",
     "iittt", "0"},
    {"case_events",
     "SELECT x.id, x.case_id, x.verb, x.version, x.message, x.event_at, x.event_by"
     " FROM case_events x" CASE_OF " ORDER BY x.id",
     "iitittt", "0"},
};

static const struct ent_table redist_tables[] = {
    {"req_redist_run",
     "SELECT id, program_id, block_id, unrequisitioned_ore, redistributed_ore, remaining_ore,"
     " run_at, run_by FROM req_redist_run WHERE program_id = ? AND block_id = ?",
     "ittiiitt", "01"},
    {"req_decision",
     "SELECT " DECISION_COLS " FROM req_decision d JOIN req_redist_run u ON u.id = d.run_id"
     " WHERE u.program_id = ? AND u.block_id = ? ORDER BY d.id",
     DECISION_TYPES, "01"},
};

static const struct ent_table program_tables[] = {
    {"program",
     "SELECT id, title, diarienummer, total_ore, source_name, source, loaded_at FROM program"
     " WHERE id = ?",
     "tttittt", "0"},
    {"program_file",
     "SELECT program_id, name, content FROM program_file WHERE program_id = ? ORDER BY name", "ttb",
     "0"},
    {"program_standin",
     "SELECT id, program_id, basis, reason, confirmed_by, confirmed_at FROM program_standin"
     " WHERE program_id = ? ORDER BY id",
     "ittttt", "0"},
};

static const struct ent_table org_tables[] = {
    {"org",
     "SELECT id, name, kommun_code, region_code, region_name, lan_code, lan_name FROM org"
     " ORDER BY id",
     "itttttt", ""},
};

#define SERIES_TABLES(kind)                                                                        \
    {                                                                                              \
        {"series",                                                                                 \
         "SELECT id, kind, name, ref_date, source, sha256, illustrative, imported_at FROM series"  \
         " WHERE kind = '" kind "' AND name = ? AND ref_date = ?",                                 \
         "itttttit", "01"},                                                                        \
        {                                                                                          \
            "series_value",                                                                        \
                "SELECT v.series_id, v.code, v.value FROM series_value v JOIN series x"            \
                " ON x.id = v.series_id WHERE x.kind = '" kind                                     \
                "' AND x.name = ? AND x.ref_date = ?"                                              \
                " ORDER BY v.code",                                                                \
                "iti", "01"                                                                        \
        }                                                                                          \
    }
static const struct ent_table population_tables[] = SERIES_TABLES("population");
static const struct ent_table metric_tables[] = SERIES_TABLES("metric");

static const struct ent_table payment_tables[] = {
    {"pay_batch",
     "SELECT id, number, state, prepared_by, attested_by, attested_at, returned_by,"
     " return_reason, file_id, created_at, created_by FROM pay_batch ORDER BY id",
     "ittttttttt"
     "t",
     ""},
    {"payment",
     "SELECT id, decision, seq, issue, case_no, program_id, recipient, diarienummer, amount_ore,"
     " due, payee_kind, payee_number, payee_clearing, payee_bic, payee_name, ocr, state,"
     " batch_id, file_id, bank_code, bank_reason, created_at, created_by, updated_at, updated_by"
     " FROM payment ORDER BY id",
     "itiitttti"
     "tttttttti"
     "ttttttt",
     ""},
    {"pay_file",
     "SELECT msg_id, batch_id, created, today, sha256, content, state, bank_status, made_at,"
     " made_by FROM pay_file ORDER BY msg_id",
     "titttttttt", ""},
    {"pay_settings",
     "SELECT id, bank, debtor_name, debtor_iban, debtor_bic, initg_id, set_at, set_by"
     " FROM pay_settings",
     "ittttttt", ""},
    {"pay_limit", "SELECT login, limit_ore, set_at, set_by FROM pay_limit ORDER BY login", "titt",
     ""},
};

static const struct ent_table ledger_tables[] = {
    {"ledger_cost",
     "SELECT id, program_id, item, amount_ore, booked_on, text, created_at, created_by"
     " FROM ledger_cost WHERE program_id = ? ORDER BY id",
     "ittitttt", "0"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
static const struct ent_kind kinds[] = {
    {"user:", 1, 0, user_tables, N(user_tables),
     "SELECT login, '' FROM account UNION SELECT login, '' FROM org_invite"},
    {"requisition:", 1, 0, req_tables, N(req_tables), "SELECT case_no, '' FROM requisition"},
    {"case:", 1, 0, case_tables, N(case_tables), "SELECT number, '' FROM cases"},
    {"redistribution:", 2, '/', redist_tables, N(redist_tables),
     "SELECT program_id, block_id FROM req_redist_run"},
    {"program:", 1, 0, program_tables, N(program_tables), "SELECT id, '' FROM program"},
    {"orgs", 0, 0, org_tables, N(org_tables), "SELECT '', '' FROM org LIMIT 1"},
    {"payments", 0, 0, payment_tables, N(payment_tables),
     "SELECT '', '' FROM (SELECT 1 AS x FROM payment UNION ALL SELECT 1 FROM pay_batch"
     " UNION ALL SELECT 1 FROM pay_settings UNION ALL SELECT 1 FROM pay_limit) t LIMIT 1"},
    {"ledger:", 1, 0, ledger_tables, N(ledger_tables),
     "SELECT DISTINCT program_id, '' FROM ledger_cost"},
    {"population:", 2, '@', population_tables, N(population_tables),
     "SELECT name, ref_date FROM series WHERE kind = 'population'"},
    {"metric:", 2, '@', metric_tables, N(metric_tables),
     "SELECT name, ref_date FROM series WHERE kind = 'metric'"},
};

struct ent_key {
    const struct ent_kind *k;
    char part[2][STORE_ENTITY_LEN];
};

/* "2026-01-31" */
static int is_date(const char *s)
{
    static const char pat[] = "dddd-dd-dd";
    if (strlen(s) != sizeof(pat) - 1)
        return 0;
    for (size_t i = 0; pat[i]; i++)
        if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
            return 0;
    return 1;
}

/* Split name into its kind and key; 0 if it is no entity. */
static int parse(const char *name, struct ent_key *out)
{
    memset(out, 0, sizeof(*out));
    if (!name || strlen(name) >= STORE_ENTITY_LEN)
        return 0;
    for (size_t i = 0; i < N(kinds); i++) {
        const struct ent_kind *k = &kinds[i];
        size_t pl = strlen(k->prefix);
        if (k->nparts == 0) {
            if (strcmp(name, k->prefix) != 0)
                continue;
            out->k = k;
            return 1;
        }
        if (strncmp(name, k->prefix, pl) != 0 || !name[pl])
            continue;
        const char *key = name + pl;
        str_copy(out->part[0], sizeof(out->part[0]), key);
        if (k->nparts == 2) {
            const char *at = k->sep == '/' ? strchr(key, '/') : strrchr(key, '@');
            if (k->sep == '/' && (!at || at == key || !at[1]))
                return 0;
            if (k->sep == '@' && at && (at == key || !is_date(at + 1)))
                at = NULL; /* a name with '@' in it, no date */
            if (at) {
                out->part[0][at - key] = '\0';
                str_copy(out->part[1], sizeof(out->part[1]), at + 1);
            }
        }
        out->k = k;
        return 1;
    }
    return 0;
}

int store_entity_known(const char *name)
{
    struct ent_key key;
    return parse(name, &key);
}

struct login_row {
    char login[STORE_ENTITY_LEN];
};
static const struct sql_col login_cols[] = {SQL_C_TEXT(struct login_row, login)};
static const struct sql_map login_map = SQL_MAP(struct login_row, login_cols);

/* A case's object names its kind and number ("requisition:REK-2026-000001"
 * once requisitions are cases): the entity "case:NUMBER" when a case of
 * that kind has that number, "" otherwise. */
static enum err case_entity_of(struct store *s, const char *object, char out[STORE_ENTITY_LEN])
{
    const char *colon = strchr(object, ':');
    char kind[64];
    if (!colon || colon == object || (size_t)(colon - object) >= sizeof(kind) || !colon[1])
        return ERR_OK;
    memcpy(kind, object, (size_t)(colon - object));
    kind[colon - object] = '\0';
    struct login_row r;
    enum err e =
        sql_get(s, "case of object", "SELECT number FROM cases WHERE kind = ? AND number = ?",
                SQL_ARGS(SQL_TEXT(kind), SQL_TEXT(colon + 1)), &login_map, &r);
    if (e == ERR_NOTFOUND)
        return ERR_OK;
    if (e == ERR_OK && snprintf(out, STORE_ENTITY_LEN, "case:%s", r.login) >= STORE_ENTITY_LEN) {
        out[0] = '\0';
        return ERR_LIMIT;
    }
    return e;
}

enum err store_entity_of(struct store *s, const char *object, char out[STORE_ENTITY_LEN])
{
    out[0] = '\0';
    if (!object)
        return ERR_OK;
    /* a case first: "requisition:REK-..." names the case once the
     * requisition is one, the old requisition entity until then */
    enum err e = case_entity_of(s, object, out);
    if (e != ERR_OK || out[0])
        return e;
    if (store_entity_known(object)) {
        str_copy(out, STORE_ENTITY_LEN, object);
        return ERR_OK;
    }
    int64_t id = 0;
    if (strncmp(object, "token:", 6) != 0 || str_parse_i64(object + 6, &id) != ERR_OK)
        return ERR_OK;
    struct login_row r;
    e = sql_get(s, "token owner",
                "SELECT a.login FROM api_token t JOIN account a ON a.id = t.account_id"
                " WHERE t.id = ?",
                SQL_ARGS(SQL_INT(id)), &login_map, &r);
    if (e == ERR_NOTFOUND)
        return ERR_OK;
    if (e == ERR_OK && snprintf(out, STORE_ENTITY_LEN, "user:%s", r.login) >= STORE_ENTITY_LEN) {
        out[0] = '\0';
        return ERR_LIMIT;
    }
    return e;
}

static void hex(const unsigned char *d, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * n] = '\0';
}

enum err store_entity_digest(struct store *s, const char *name, char out[STORE_ROWS_LEN],
                             long long *rows)
{
    struct ent_key key;
    long long total = 0;
    out[0] = '\0';
    if (rows)
        *rows = 0;
    if (!parse(name, &key)) {
        snprintf(s->err, sizeof(s->err), "'%.200s' names no audited entity", name ? name : "");
        return ERR_INVALID;
    }
    size_t used = 0;
    for (size_t t = 0; t < key.k->ntables; t++) {
        const struct ent_table *tb = &key.k->tables[t];
        struct sql_val v[4];
        size_t nv = 0;
        for (const char *b = tb->binds; *b && nv < N(v); b++) {
            int p = *b - '0';
            v[nv++] = SQL_TEXT(key.part[p]);
        }
        struct sql_args a = {v, nv};
        struct sha256 h;
        unsigned char d[32];
        char dh[33];
        long long n = 0;
        sha256_init(&h);
        sha256_update(&h, "bidrag-rows-1\n", 14);
        sha256_update(&h, tb->name, strlen(tb->name));
        sha256_update(&h, "\n", 1);
        enum err e = sql_digest(s, tb->name, tb->sql, a, tb->types, &h, &n);
        if (e != ERR_OK)
            return e;
        sha256_final(&h, d);
        hex(d, 16, dh);
        int w = snprintf(out + used, STORE_ROWS_LEN - used, "%s%s=%s", t ? " " : "", tb->name, dh);
        if (w < 0 || (size_t)w >= STORE_ROWS_LEN - used)
            return ERR_LIMIT;
        used += (size_t)w;
        total += n;
    }
    if (rows)
        *rows = total;
    return ERR_OK;
}

struct key_row {
    char a[STORE_ENTITY_LEN];
    char b[STORE_ENTITY_LEN];
};
static const struct sql_col key_cols[] = {
    SQL_C_TEXT(struct key_row, a),
    SQL_C_TEXT(struct key_row, b),
};
static const struct sql_map key_map = SQL_MAP(struct key_row, key_cols);

enum err store_entity_each(struct store *s, int (*fn)(void *ctx, const char *name), void *ctx)
{
    for (size_t i = 0; i < N(kinds); i++) {
        const struct ent_kind *k = &kinds[i];
        struct key_row *rows = NULL;
        size_t n = 0;
        /* read the whole list first: a driver may not run another
         * statement while one streams its rows */
        enum err e = sql_list(s, k->prefix, k->list_sql, SQL_NOARGS, &key_map, (void **)&rows, &n);
        if (e != ERR_OK)
            return e;
        int stop = 0;
        for (size_t r = 0; r < n && !stop; r++) {
            char name[STORE_ENTITY_LEN];
            int w;
            if (k->nparts == 0)
                w = snprintf(name, sizeof(name), "%s", k->prefix);
            else if (k->nparts == 1 || !rows[r].b[0])
                w = snprintf(name, sizeof(name), "%s%s", k->prefix, rows[r].a);
            else
                w = snprintf(name, sizeof(name), "%s%s%c%s", k->prefix, rows[r].a, k->sep,
                             rows[r].b);
            if (w < 0 || (size_t)w >= sizeof(name))
                continue; /* longer than any name the trail can hold */
            stop = fn(ctx, name);
        }
        free(rows);
        if (stop)
            break;
    }
    return ERR_OK;
}
