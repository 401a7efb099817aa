/* test_audit_tamper.c - the audit trail against someone who can write
 * the database file (issue 8). A database is made the way the service
 * makes one (`bidrag init`, requisitions submitted and decided through
 * the service), checkpointed the way the operator's daily report does,
 * and then each tampering is played with direct SQL (the sqlite3 C API)
 * or raw bytes on a copy of it; `bidrag audit verify` must fail on every
 * copy and name what was done. The attacker knows the code: where it
 * helps, the chain is re-computed with the keyless hash and the head moved.
 *
 * The tamperings: delete all rows; delete the tail and reset the head;
 * delete a middle row; delete and renumber; edit a field; edit and
 * re-chain; append a forged row; back-date a record; swap two records;
 * a decision's amount times ten; a program's source; an account's role
 * grant; an older copy of the database put back (rollback); and a
 * flipped byte in a column no index covers.
 *
 * Then, each in a folder of its own (a copy of the database with its
 * key ring and checkpoints): the server refuses to start on a cut trail;
 * its audit page and /api/v1/audit/verify name what verify names; an
 * older copy put back with `bidrag restore` is no tampering; a trail
 * from before audit keys is sealed by `bidrag migrate` and a later edit
 * of it found; a row signed with a key rotated out is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "core/perm.h"
#include "service/audit.h"
#include "service/auditkey.h"
#include "service/auth.h"
#include "service/requisition.h"
#include "store/store_auth.h"
#include "util/clock.h"
#include "util/str.h"
#include "webtest.h"

#define SET(dst, v) assert_int_equal(str_copy(dst, sizeof(dst), v), 0)
#define PROG "kompetens-2026"
#define NOW0 "2026-03-02T08:00:00Z"

static const char pw[] = "granska-losenord-1";

static char pristine[600], older[600], copy[600], errfile[600];
static int detected, tried;
static char case_a[REQ_CASE_LEN]; /* decided first, in the older copy too */
static long long head;            /* the newest audit row of the pristine database */

static int64_t at(const char *iso)
{
    int64_t t = 0;
    if (clock_parse(iso, &t) != ERR_OK)
        abort();
    return t;
}

static void fill(struct req_form *f, const char *code, int64_t amount)
{
    req_form_init(f);
    SET(f->program, PROG);
    SET(f->recipient, code);
    f->amount_ore = amount;
    assert_int_equal(req_measure_add(f, "utbildningsstrukturer", "Fortbildning i hemsjukvården", 0),
                     ERR_OK);
    SET(f->contact_name, "Kontakt Person");
    SET(f->contact_email, "kontakt@example.se");
    SET(f->contact_phone, "010-123 45 67");
    SET(f->account_kind, "iban");
    SET(f->account, "SE45 5000 0000 0583 9825 7466");
    f->opt_in = 1;
    f->confirmed = 1;
}

/* The account login with role at org (made, by the system, if need be),
 * as the service's actor: its roles come from the database. */
static struct svc_actor actor(struct store *s, const char *login, enum perm_role role,
                              const char *org)
{
    struct svc_actor sys, a;
    struct svc_result r;
    svc_actor_system(&sys);
    enum err e = auth_user_add(s, &sys, 0, login, login, NULL, &r);
    if (e != ERR_OK && e != ERR_CONFLICT)
        fail_msg("account '%s': %s", login, r.msg.key ? r.msg.key : "");
    e = auth_user_role(s, &sys, 0, login, role, org, 1, &r);
    if (e != ERR_OK && e != ERR_CONFLICT)
        fail_msg("role of '%s': %s", login, r.msg.key ? r.msg.key : "");
    if (svc_actor_cli(s, login, org, &a, &r) != ERR_OK)
        fail_msg("no account '%s'", login);
    a.origin = SVC_WEB;
    return a;
}

/* Submit the requisition of recipient code for the most it may have. */
static void submit(struct store *s, const char *login, const char *code, int64_t now,
                   char case_no[REQ_CASE_LEN])
{
    struct svc_actor a = actor(s, login, PERM_OMBUD, code);
    struct req_view v;
    struct svc_result r;
    struct req_receipt rc;
    struct req_status st;
    struct req_form f;
    assert_int_equal(req_open(s, &a, now, PROG, code, &v, &r), ERR_OK);
    int64_t max = v.max_ore;
    req_view_release(&v);
    fill(&f, code, max);
    if (req_submit(s, &a, now, &f, 0, NULL, &rc, &st, &r) != ERR_OK)
        fail_msg("submit %s: %s", code, r.msg.key ? r.msg.key : "");
    req_form_release(&f);
    str_copy(case_no, REQ_CASE_LEN, rc.case_no);
}

static void approve(struct store *s, const char *case_no, int64_t now)
{
    struct svc_actor handl = actor(s, "handlaggare", PERM_HANDLAGGARE, "");
    struct req_view v;
    struct svc_result r;
    struct req_status st;
    assert_int_equal(req_open_case(s, &handl, now, case_no, &v, &r), ERR_OK);
    long long rev = v.row.revision;
    req_view_release(&v);
    if (req_approve(s, &handl, now, case_no, rev, -1, NULL, &st, &r) != ERR_OK)
        fail_msg("approve %s: %s", case_no, r.msg.key ? r.msg.key : "");
}

static int setup(void **state)
{
    (void)state;
    char *a = case_a, b[REQ_CASE_LEN];
    struct store *s = NULL;
    wt_tmpdir("tamper");
    snprintf(pristine, sizeof(pristine), "%s", wt_db);
    snprintf(older, sizeof(older), "%s/older.db", wt_dir);
    snprintf(copy, sizeof(copy), "%s/tampered.db", wt_dir);
    snprintf(errfile, sizeof(errfile), "%s/verify.err", wt_dir);
    if (auth_init() != ERR_OK)
        return -1;
    if (wt_sh("BIDRAG_NOW=%s '%s' init --quiet --db '%s' >/dev/null", NOW0, wt_bidrag(), wt_db) ||
        wt_user("gun", "Gun Granskare", pw, "granskare"))
        return -1;
    /* two requisitions, one decided; a copy is kept; then the second
     * is decided and the day's checkpoint taken */
    if (store_open(wt_db, STORE_OPEN_EXISTING, &s) != ERR_OK)
        return -1;
    submit(s, "ombud", "0180", at("2026-04-01T08:00:00Z"), a);
    submit(s, "regionombud", "01", at("2026-04-01T09:00:00Z"), b);
    approve(s, a, at("2026-04-02T10:00:00Z"));
    store_close(s);
    if (wt_sh("cp '%s' '%s'", wt_db, older))
        return -1;
    if (store_open(wt_db, STORE_OPEN_EXISTING, &s) != ERR_OK)
        return -1;
    approve(s, b, at("2026-04-03T10:00:00Z"));
    store_close(s);
    /* the operator's daily report: the signed head (absent before the
     * audit keys existed; then nothing is written) */
    wt_sh("BIDRAG_NOW=2026-04-03T18:00:00Z '%s' audit checkpoint --db '%s' >/dev/null 2>&1",
          wt_bidrag(), wt_db);
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open(wt_db, &db) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT MAX(seq) FROM audit", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        return -1;
    head = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return head > 10 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    printf("audit tamper: %d of %d tamperings detected\n", detected, tried);
    wt_cleanup();
    return 0;
}

/* ---- the attacker's tools ---- */

static sqlite3 *open_copy(void)
{
    sqlite3 *db = NULL;
    assert_int_equal(
        wt_sh("rm -f '%s' '%s-wal' '%s-shm' && cp '%s' '%s'", copy, copy, copy, pristine, copy), 0);
    assert_int_equal(sqlite3_open(copy, &db), SQLITE_OK);
    return db;
}

static void run(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

static long long one(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Put column name's text into the record's field of that name. */
static void put(struct store_audit *a, const char *name, const char *v)
{
    static const struct {
        const char *col;
        size_t off, size;
    } f[] = {
        {"at", offsetof(struct store_audit, at), sizeof(((struct store_audit *)0)->at)},
        {"actor", offsetof(struct store_audit, actor), sizeof(((struct store_audit *)0)->actor)},
        {"org", offsetof(struct store_audit, org), sizeof(((struct store_audit *)0)->org)},
        {"action", offsetof(struct store_audit, action), sizeof(((struct store_audit *)0)->action)},
        {"object", offsetof(struct store_audit, object), sizeof(((struct store_audit *)0)->object)},
        {"before_digest", offsetof(struct store_audit, before),
         sizeof(((struct store_audit *)0)->before)},
        {"after_digest", offsetof(struct store_audit, after),
         sizeof(((struct store_audit *)0)->after)},
        {"prev_hash", offsetof(struct store_audit, prev), sizeof(((struct store_audit *)0)->prev)},
        {"hash", offsetof(struct store_audit, hash), sizeof(((struct store_audit *)0)->hash)},
        {"entity", offsetof(struct store_audit, entity), sizeof(((struct store_audit *)0)->entity)},
        {"rows_digest", offsetof(struct store_audit, rows),
         sizeof(((struct store_audit *)0)->rows)},
        {"key_id", offsetof(struct store_audit, key_id), sizeof(((struct store_audit *)0)->key_id)},
        {"sig", offsetof(struct store_audit, sig), sizeof(((struct store_audit *)0)->sig)},
    };
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
        if (strcmp(name, f[i].col) == 0)
            str_copy((char *)a + f[i].off, f[i].size, v);
}

/* Re-compute every hash from row `from` on with the keyless chain, as the
 * code does it, and move the head: what an attacker who can read the
 * source does after an edit. */
static void rechain(sqlite3 *db, long long from)
{
    char prev[STORE_HASH_HEX] = "";
    sqlite3_stmt *st, *up;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT * FROM audit ORDER BY seq", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?",
                                        -1, &up, NULL),
                     SQLITE_OK);
    long long last = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct store_audit a;
        memset(&a, 0, sizeof(a));
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const char *v = (const char *)sqlite3_column_text(st, c);
            if (strcmp(sqlite3_column_name(st, c), "seq") == 0)
                a.seq = sqlite3_column_int64(st, c);
            else
                put(&a, sqlite3_column_name(st, c), v ? v : "");
        }
        if (a.seq >= from) {
            if (prev[0])
                str_copy(a.prev, sizeof(a.prev), prev);
            audit_record_hash(&a, a.hash);
            sqlite3_bind_text(up, 1, a.prev, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(up, 2, a.hash, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(up, 3, a.seq);
            assert_int_equal(sqlite3_step(up), SQLITE_DONE);
            sqlite3_reset(up);
        }
        str_copy(prev, sizeof(prev), a.hash);
        last = a.seq;
    }
    sqlite3_finalize(st);
    sqlite3_finalize(up);
    sqlite3_stmt *h;
    assert_int_equal(
        sqlite3_prepare_v2(db, "UPDATE audit_head SET seq = ?, hash = ?", -1, &h, NULL), SQLITE_OK);
    sqlite3_bind_int64(h, 1, last);
    sqlite3_bind_text(h, 2, prev, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(h), SQLITE_DONE);
    sqlite3_finalize(h);
}

/* `bidrag audit verify` on the copy must fail saying want (printf-style). */
static void expect_found(const char *what, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void expect_found(const char *what, const char *fmt, ...)
{
    char want[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof(want), fmt, ap);
    va_end(ap);
    tried++;
    int rc = wt_sh("'%s' audit verify --db '%s' >/dev/null 2>'%s'", wt_bidrag(), copy, errfile);
    int named = wt_sh("grep -qF -- \"%s\" '%s'", want, errfile) == 0;
    if (rc == 1 && named) {
        detected++;
        return;
    }
    wt_sh("sed 's/^/    /' '%s' >&2", errfile);
    print_error("%s: verify exited %d%s%s\n", what, rc, named ? "" : ", not naming ",
                named ? "" : want);
}

/* ---- the tamperings ---- */

static void test_pristine_is_intact(void **state)
{
    (void)state;
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' >/dev/null", wt_bidrag(), pristine), 0);
}

static void test_delete_all_rows(void **state)
{
    (void)state;
    sqlite3 *db = open_copy();
    run(db, "DELETE FROM audit; DELETE FROM audit_head");
    sqlite3_close(db);
    expect_found("delete all rows", "but the trail ends at row 0: rows 1 to %lld are missing",
                 head);
}

static void test_cut_tail_reset_head(void **state)
{
    (void)state;
    sqlite3 *db = open_copy();
    run(db, "DELETE FROM audit WHERE seq > (SELECT MAX(seq) - 3 FROM audit)");
    rechain(db, 1);
    sqlite3_close(db);
    expect_found("delete the tail and reset the head",
                 "but the trail ends at row %lld: rows %lld to %lld are missing", head - 3,
                 head - 2, head);
}

static void test_delete_middle_row(void **state)
{
    (void)state;
    sqlite3 *db = open_copy();
    run(db, "DELETE FROM audit WHERE seq = (SELECT MAX(seq) / 2 FROM audit)");
    sqlite3_close(db);
    expect_found("delete a middle row", "audit row %lld is missing (deleted)", head / 2);
}

static void test_delete_and_renumber(void **state)
{
    (void)state;
    sqlite3 *db = open_copy();
    long long mid = one(db, "SELECT MAX(seq) / 2 FROM audit");
    char sql[200];
    snprintf(sql, sizeof(sql),
             "DELETE FROM audit WHERE seq = %lld; UPDATE audit SET seq = seq - 1 WHERE seq > %lld",
             mid, mid);
    run(db, sql);
    rechain(db, mid);
    sqlite3_close(db);
    expect_found("delete and renumber", "audit rows %lld to %lld are not authentic", head / 2,
                 head - 1);
}

static void test_edit_field(void **state)
{
    (void)state;
    sqlite3 *db = open_copy();
    run(db, "UPDATE audit SET actor = 'mallory' WHERE seq = (SELECT MAX(seq) - 1 FROM audit)");
    sqlite3_close(db);
    expect_found("edit a field", "audit row %lld was changed (hash differs)", head - 1);
}

static void test_edit_and_rechain(void **state)
{
    (void)state;
    sqlite3 *db = open_copy();
    run(db, "UPDATE audit SET actor = 'mallory' WHERE seq = (SELECT MAX(seq) - 1 FROM audit)");
    rechain(db, 1);
    sqlite3_close(db);
    expect_found("edit and re-chain with the keyless hash",
                 "audit rows %lld to %lld are not authentic", head - 1, head);
}

static void test_append_forged(void **state)
{
    (void)state;
    sqlite3 *db = open_copy();
    /* a grant nobody made, as the newest record, chained and headed */
    run(db, "INSERT INTO audit SELECT seq + 1, at, 'admin', '', 'role.grant', 'user:mallory',"
            " before_digest, after_digest, hash, hash, '', '', key_id, sig FROM audit"
            " WHERE seq = (SELECT MAX(seq) FROM audit)");
    rechain(db, 1);
    sqlite3_close(db);
    expect_found("append a forged row", "audit row %lld is not authentic", head + 1);
}

static void test_back_date(void **state)
{
    (void)state;
    sqlite3 *db = open_copy();
    run(db,
        "UPDATE audit SET at = '2026-03-01T07:00:00Z' WHERE seq = (SELECT MAX(seq) FROM audit)");
    rechain(db, 1);
    sqlite3_close(db);
    expect_found("back-date a record", "audit row %lld is not authentic", head);
}

static void test_swap(void **state)
{
    (void)state;
    sqlite3 *db = open_copy();
    long long n = one(db, "SELECT MAX(seq) FROM audit");
    char sql[300];
    snprintf(sql, sizeof(sql),
             "UPDATE audit SET seq = -1 WHERE seq = %lld; UPDATE audit SET seq = %lld WHERE seq = "
             "%lld; UPDATE audit SET seq = %lld WHERE seq = -1",
             n - 1, n - 1, n - 2, n - 2);
    run(db, sql);
    rechain(db, 1);
    sqlite3_close(db);
    expect_found("swap two records", "audit rows %lld to %lld are not authentic", head - 2, head);
}

static void test_decision_amount(void **state)
{
    (void)state;
    sqlite3 *db = open_copy();
    /* a requisition is a case of the engine: its decisions, its entity */
    run(db, "UPDATE decisions SET amount_ore = amount_ore * 10 WHERE id = (SELECT MIN(id) FROM "
            "decisions)");
    sqlite3_close(db);
    expect_found("a decision's amount times ten",
                 "case '%s': table 'decisions' differs from audit row", case_a);
}

static void test_program_source(void **state)
{
    (void)state;
    sqlite3 *db = open_copy();
    run(db, "UPDATE program SET source = replace(source, 'title', 'title') || '; changed' WHERE id "
            "= '" PROG "'");
    sqlite3_close(db);
    expect_found("a program's source",
                 "program '" PROG "': table 'program' differs from audit row");
}

static void test_role_grant(void **state)
{
    (void)state;
    sqlite3 *db = open_copy();
    run(db, "UPDATE account_role SET role = 'admin' WHERE account_id = (SELECT id FROM account "
            "WHERE login = 'analytiker')");
    sqlite3_close(db);
    expect_found("an account's role grant",
                 "user 'analytiker': table 'account_role' differs from audit row");
}

static void test_rollback(void **state)
{
    (void)state;
    assert_int_equal(
        wt_sh("rm -f '%s' '%s-wal' '%s-shm' && cp '%s' '%s'", copy, copy, copy, older, copy), 0);
    expect_found("an older copy of the database put back",
                 "names audit row %lld, but the trail ends at row", head);
}

/* One byte of a column no index covers (the analyst's name), changed in
 * the file itself: SQLite's own integrity check cannot see it. */
static void test_flipped_byte(void **state)
{
    (void)state;
    static const char name[] = "Anna Analytiker";
    assert_int_equal(
        wt_sh("rm -f '%s' '%s-wal' '%s-shm' && cp '%s' '%s'", copy, copy, copy, pristine, copy), 0);
    struct buf b;
    buf_init(&b, (size_t)1 << 30);
    assert_int_equal(buf_read_file(&b, copy), ERR_OK);
    FILE *f = fopen(copy, "r+b");
    assert_non_null(f);
    size_t hits = 0;
    for (size_t i = 0; i + sizeof(name) - 1 <= b.len; i++) {
        if (memcmp(b.p + i, name, sizeof(name) - 1) != 0)
            continue;
        /* "Anna" -> "Anma" */
        assert_int_equal(fseek(f, (long)(i + 2), SEEK_SET), 0);
        assert_int_equal(fputc('m', f), 'm');
        hits++;
    }
    buf_release(&b);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(hits, 1);
    /* the database itself still says it is sound */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(copy, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
    expect_found("a flipped byte in a column without an index",
                 "user 'analytiker': table 'account' differs from audit row");
}

/* ---- in folders of their own ---- */

/* A copy of the pristine database with its key ring and checkpoints in
 * the folder wt_dir/name; path gets the database. */
static void clone(const char *name, char *path, size_t n)
{
    snprintf(path, n, "%s/%s/bidrag.db", wt_dir, name);
    assert_int_equal(wt_sh("rm -rf '%s/%s' && mkdir '%s/%s' && cp -pr '%s/keys' '%s/audit' '%s' "
                           "'%s/%s/'",
                           wt_dir, name, wt_dir, name, wt_dir, wt_dir, pristine, wt_dir, name),
                     0);
}

static sqlite3 *open_db(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    return db;
}

static void test_server_refuses_cut_trail(void **state)
{
    (void)state;
    char path[700];
    clone("serve", path, sizeof(path));
    sqlite3 *db = open_db(path);
    run(db, "DELETE FROM audit WHERE seq > (SELECT MAX(seq) - 3 FROM audit)");
    rechain(db, 1);
    sqlite3_close(db);
    assert_int_equal(wt_sh("timeout 60 '%s' serve --listen 127.0.0.1:0 --db '%s' >/dev/null "
                           "2>'%s'",
                           wt_bidrag(), path, errfile),
                     1);
    assert_int_equal(
        wt_sh("grep -q 'does not hold against its last checkpoint.*trail ends at row' '%s'",
              errfile),
        0);
}

/* What `bidrag audit verify` says: *intact, the problems it names (one
 * per line, at most max) and their count, or the three counts of an
 * intact trail. */
struct cli_verdict {
    int intact;
    long long rows, checkpoints, entities, problems;
    char problem[AUDIT_PROBLEMS][AUDIT_MSG_LEN];
    int n;
};

static void cli_verify(const char *path, struct cli_verdict *v)
{
    char out[600], line[AUDIT_MSG_LEN + 64];
    static const char pre[] = "bidrag audit verify: ";
    memset(v, 0, sizeof(*v));
    snprintf(out, sizeof(out), "%s/verify.out", wt_dir);
    int rc = wt_sh("'%s' audit verify --db '%s' >'%s' 2>'%s'", wt_bidrag(), path, out, errfile);
    v->intact = rc == 0;
    FILE *f = fopen(v->intact ? out : errfile, "r");
    assert_non_null(f);
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        if (v->intact) {
            if (sscanf(line, "audit trail intact: %lld records, %lld checkpoints, %lld entities",
                       &v->rows, &v->checkpoints, &v->entities) == 3)
                continue;
        } else if (strncmp(line, pre, sizeof(pre) - 1) == 0) {
            const char *m = line + sizeof(pre) - 1;
            long long np = 0, nr = 0;
            char word[16];
            if (sscanf(m, "%lld %15s in %lld records", &np, word, &nr) == 3 &&
                strncmp(word, "problem", 7) == 0) {
                v->problems = np;
                v->rows = nr;
            } else if (v->n < AUDIT_PROBLEMS) {
                str_copy(v->problem[v->n++], AUDIT_MSG_LEN, m);
            }
        }
    }
    fclose(f);
    if (!v->intact && (v->problems < 1 || v->n < 1))
        fail_msg("audit verify failed without naming a problem (rc %d)", rc);
}

/* The HTML text of s as the pages escape text, written out here. */
static void html_of(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 7 < n; s++) {
        const char *ent = *s == '&'    ? "&amp;"
                          : *s == '<'  ? "&lt;"
                          : *s == '>'  ? "&gt;"
                          : *s == '"'  ? "&quot;"
                          : *s == '\'' ? "&#39;"
                                       : NULL;
        if (ent) {
            memcpy(out + k, ent, strlen(ent));
            k += strlen(ent);
        } else {
            out[k++] = *s;
        }
    }
    out[k] = '\0';
}

/* The API's and the page's verdict on the database at path are the
 * CLI's, problem for problem (the login, itself a record, comes first);
 * v gets it. */
static void same_verdict(struct wt_server *sv, const char *token, const char *path,
                         struct cli_verdict *v)
{
    struct wt_client c, page;
    struct wt_resp r;
    json_error_t je;
    char esc[AUDIT_MSG_LEN * 6], num[32];
    wt_client_init(&page, sv->port);
    assert_int_equal(wt_login(&page, "gun", pw), 303);
    cli_verify(path, v);
    wt_client_init(&c, sv->port);
    c.bearer = token;
    wt_req(&c, "GET", "/api/v1/audit/verify", NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *o = json_loads(r.body.p, 0, &je);
    if (!o)
        fail_msg("api: not JSON: %s", r.body.p);
    json_t *intact = json_object_get(o, "intact");
    if (!json_is_boolean(intact) || json_is_true(intact) != v->intact)
        fail_msg("api says intact=%s, audit verify %s: %s", json_is_true(intact) ? "true" : "false",
                 v->intact ? "intact" : "not", r.body.p);
    assert_int_equal(json_integer_value(json_object_get(o, "rows")), v->rows);
    if (v->intact) {
        assert_int_equal(json_integer_value(json_object_get(o, "checkpoints")), v->checkpoints);
        assert_int_equal(json_integer_value(json_object_get(o, "entities")), v->entities);
    } else {
        json_t *list = json_object_get(o, "problems");
        assert_int_equal(json_integer_value(json_object_get(o, "problem_count")), v->problems);
        assert_int_equal(json_array_size(list), (size_t)v->n);
        for (int i = 0; i < v->n; i++)
            if (strcmp(json_string_value(json_array_get(list, (size_t)i)), v->problem[i]) != 0)
                fail_msg("api problem %d: '%s', audit verify: '%s'", i,
                         json_string_value(json_array_get(list, (size_t)i)), v->problem[i]);
        assert_string_equal(json_string_value(json_object_get(o, "message")), v->problem[0]);
    }
    json_decref(o);
    wt_resp_release(&r);
    wt_client_release(&c);

    wt_req(&page, "GET", "/audit", NULL, &r);
    assert_int_equal(r.status, 200);
    if (v->intact) {
        snprintf(num, sizeof(num), "(%lld poster,", v->rows);
        if (!strstr(r.body.p, "Loggen är obruten") || !strstr(r.body.p, num))
            fail_msg("page: not intact with %s: %s", num, r.body.p);
    } else {
        if (strstr(r.body.p, "Loggen är obruten") || !strstr(r.body.p, "role=\"alert\""))
            fail_msg("page: no alert: %s", r.body.p);
        for (int i = 0; i < v->n; i++) {
            html_of(v->problem[i], esc, sizeof(esc));
            if (!strstr(r.body.p, esc))
                fail_msg("page lacks '%s': %s", esc, r.body.p);
        }
    }
    wt_resp_release(&r);
    wt_client_release(&page);
}

static void test_page_and_api_name_it(void **state)
{
    (void)state;
    char path[700], keep[600], token[128] = "";
    struct wt_server sv;
    struct cli_verdict v;
    clone("web", path, sizeof(path));
    assert_int_equal(wt_capture(token, sizeof(token), "'%s' token create gun --name t --db '%s'",
                                wt_bidrag(), path),
                     0);
    assert_int_equal(str_copy(keep, sizeof(keep), wt_db), 0);
    assert_int_equal(str_copy(wt_db, sizeof(wt_db), path), 0);
    assert_int_equal(wt_start(&sv, NULL), 0);
    assert_int_equal(str_copy(wt_db, sizeof(wt_db), keep), 0);
    same_verdict(&sv, token, path, &v);
    assert_true(v.intact);
    /* behind the running server's back: an amount, a program's source */
    sqlite3 *db = open_db(path);
    run(db, "UPDATE decisions SET amount_ore = amount_ore * 10 WHERE id = (SELECT MIN(id) FROM "
            "decisions); UPDATE program SET source = source || ' ' WHERE id = '" PROG "'");
    sqlite3_close(db);
    same_verdict(&sv, token, path, &v);
    assert_false(v.intact);
    assert_true(v.n >= 2);
    assert_int_equal(wt_stop(&sv), 0);
    /* the stop left a checkpoint of the head, in the server's log too */
    assert_int_equal(wt_sh("grep -q 'event=stop' '%s/web/audit/checkpoints' && grep -q "
                           "'^audit checkpoint: bidrag-audit-checkpoint v1 .*event=stop' '%s'",
                           wt_dir, sv.log),
                     0);
}

static void test_restore_is_no_tampering(void **state)
{
    (void)state;
    char path[700];
    clone("restore", path, sizeof(path));
    assert_int_equal(wt_sh("'%s' restore '%s' --db '%s' >/dev/null", wt_bidrag(), older, path), 0);
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' >'%s' 2>&1 && grep -q 'note: an older "
                           "copy of the database was put back' '%s'",
                           wt_bidrag(), path, errfile, errfile),
                     0);
    /* and it goes on from there */
    assert_int_equal(wt_sh("printf 'ett-bra-losenord\\n' | '%s' user add efter --name Efter --db "
                           "'%s' >/dev/null && '%s' audit checkpoint --db '%s' >/dev/null && '%s' "
                           "audit verify --db '%s' >/dev/null",
                           wt_bidrag(), path, wt_bidrag(), path, wt_bidrag(), path),
                     0);
}

static void test_trail_from_before_keys(void **state)
{
    (void)state;
    char path[700];
    clone("legacy", path, sizeof(path));
    /* what migration 0033 finds: no key ring, no checkpoints, no
     * signatures or digests, the keyless chain */
    assert_int_equal(wt_sh("rm -rf '%s/legacy/keys' '%s/legacy/audit'", wt_dir, wt_dir), 0);
    sqlite3 *db = open_db(path);
    run(db, "UPDATE audit SET key_id = '', sig = '', entity = '', rows_digest = ''");
    rechain(db, 1);
    sqlite3_close(db);
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' 2>'%s'", wt_bidrag(), path, errfile), 1);
    assert_int_equal(wt_sh("grep -q 'no audit key' '%s'", errfile), 0);
    assert_int_equal(wt_sh("'%s' migrate --db '%s' | grep -q 'audit key: made'", wt_bidrag(), path),
                     0);
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' >/dev/null", wt_bidrag(), path), 0);
    assert_int_equal(wt_sh("'%s' audit list --db '%s' | grep -c 'audit.baseline' | grep -qv '^0$'",
                           wt_bidrag(), path),
                     0);
    /* the rows from before the key are sealed by its checkpoint */
    db = open_db(path);
    run(db, "UPDATE audit SET actor = 'mallory' WHERE seq = 3");
    rechain(db, 1);
    sqlite3_close(db);
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' 2>'%s'", wt_bidrag(), path, errfile), 1);
    assert_int_equal(wt_sh("grep -q 'does not match audit row' '%s'", errfile), 0);
}

static void test_rotated_key_refused(void **state)
{
    (void)state;
    char path[700], keys[700], msg[300], sql[1200];
    struct auditkey_ring ring = {NULL, 0};
    clone("rotate", path, sizeof(path));
    assert_int_equal(wt_sh("'%s' audit rotate-key --db '%s' >/dev/null", wt_bidrag(), path), 0);
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' >/dev/null", wt_bidrag(), path), 0);
    snprintf(keys, sizeof(keys), "%s/rotate/keys/audit.key", wt_dir);
    assert_int_equal(auditkey_load(keys, &ring, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(ring.n, 2);
    /* a new row signed with the old key (one that leaked, say) */
    sqlite3 *db = open_db(path);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT * FROM audit ORDER BY seq DESC LIMIT 1", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    struct store_audit a;
    memset(&a, 0, sizeof(a));
    for (int c = 0; c < sqlite3_column_count(st); c++) {
        const char *v = (const char *)sqlite3_column_text(st, c);
        if (strcmp(sqlite3_column_name(st, c), "seq") == 0)
            a.seq = sqlite3_column_int64(st, c);
        else
            put(&a, sqlite3_column_name(st, c), v ? v : "");
    }
    sqlite3_finalize(st);
    a.seq++;
    str_copy(a.prev, sizeof(a.prev), a.hash);
    str_copy(a.action, sizeof(a.action), "role.grant");
    str_copy(a.object, sizeof(a.object), "addr:x");
    a.entity[0] = a.rows[0] = a.before[0] = a.after[0] = '\0';
    str_copy(a.key_id, sizeof(a.key_id), ring.k[0].id);
    audit_record_hash(&a, a.hash);
    auditkey_sign_record(&ring.k[0], a.hash, a.sig);
    snprintf(sql, sizeof(sql),
             "INSERT INTO audit (seq, at, actor, org, action, object, before_digest, after_digest,"
             " prev_hash, hash, entity, rows_digest, key_id, sig) VALUES (%lld, '%s', '%s', '', "
             "'%s', '%s', '', '', '%s', '%s', '', '', '%s', '%s'); UPDATE audit_head SET seq = "
             "%lld, hash = '%s'",
             a.seq, a.at, a.actor, a.action, a.object, a.prev, a.hash, a.key_id, a.sig, a.seq,
             a.hash);
    run(db, sql);
    sqlite3_close(db);
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' 2>'%s'", wt_bidrag(), path, errfile), 1);
    snprintf(msg, sizeof(msg), "audit row %lld names key '%s', but key '%s' signs row", a.seq,
             ring.k[0].id, ring.k[1].id);
    assert_int_equal(wt_sh("grep -qF \"%s\" '%s'", msg, errfile), 0);
    auditkey_ring_release(&ring);
}

/* A signed trail whose key ring is gone is no trail from before keys:
 * neither the server nor migrate makes a new key over it, and verify
 * says the ring is lost. */
static void test_lost_key_refused(void **state)
{
    (void)state;
    char path[700];
    clone("lost", path, sizeof(path));
    assert_int_equal(wt_sh("rm -rf '%s/lost/keys'", wt_dir), 0);
    assert_int_equal(wt_sh("timeout 60 '%s' serve --listen 127.0.0.1:0 --db '%s' >/dev/null "
                           "2>'%s'",
                           wt_bidrag(), path, errfile),
                     1);
    assert_int_equal(wt_sh("grep -q 'cannot be authenticated: no audit key .* but audit row [0-9]* "
                           "is signed with key .*put it back from the backup' '%s'",
                           errfile),
                     0);
    assert_int_equal(wt_sh("'%s' migrate --db '%s' >/dev/null 2>'%s'", wt_bidrag(), path, errfile),
                     1);
    assert_int_equal(wt_sh("grep -q 'put it back from the backup' '%s'", errfile), 0);
    assert_int_equal(wt_sh("test ! -e '%s/lost/keys/audit.key'", wt_dir), 0);
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' 2>'%s'", wt_bidrag(), path, errfile), 1);
    assert_int_equal(
        wt_sh("grep -q 'rows of the trail are signed: the key ring is lost' '%s'", errfile), 0);
}

/* A server started on a trail from before keys seals it and says so. */
static void test_server_seals_legacy_trail(void **state)
{
    (void)state;
    char path[700], keep[600];
    struct wt_server sv;
    clone("legacy-serve", path, sizeof(path));
    assert_int_equal(wt_sh("rm -rf '%s/legacy-serve/keys' '%s/legacy-serve/audit'", wt_dir, wt_dir),
                     0);
    sqlite3 *db = open_db(path);
    run(db, "UPDATE audit SET key_id = '', sig = '', entity = '', rows_digest = ''");
    rechain(db, 1);
    sqlite3_close(db);
    assert_int_equal(str_copy(keep, sizeof(keep), wt_db), 0);
    assert_int_equal(str_copy(wt_db, sizeof(wt_db), path), 0);
    assert_int_equal(wt_start(&sv, NULL), 0);
    assert_int_equal(str_copy(wt_db, sizeof(wt_db), keep), 0);
    assert_int_equal(wt_stop(&sv), 0);
    assert_int_equal(wt_sh("grep -q 'was from before audit keys: key ring .*legacy-serve/keys/"
                           "audit.key. made' '%s'",
                           sv.log),
                     0);
    assert_int_equal(wt_sh("'%s' audit verify --db '%s' >/dev/null", wt_bidrag(), path), 0);
}

static void test_all_detected(void **state)
{
    (void)state;
    assert_int_equal(tried, 14);
    assert_int_equal(detected, tried);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pristine_is_intact),
        cmocka_unit_test(test_delete_all_rows),
        cmocka_unit_test(test_cut_tail_reset_head),
        cmocka_unit_test(test_delete_middle_row),
        cmocka_unit_test(test_delete_and_renumber),
        cmocka_unit_test(test_edit_field),
        cmocka_unit_test(test_edit_and_rechain),
        cmocka_unit_test(test_append_forged),
        cmocka_unit_test(test_back_date),
        cmocka_unit_test(test_swap),
        cmocka_unit_test(test_decision_amount),
        cmocka_unit_test(test_program_source),
        cmocka_unit_test(test_role_grant),
        cmocka_unit_test(test_rollback),
        cmocka_unit_test(test_flipped_byte),
        cmocka_unit_test(test_all_detected),
        cmocka_unit_test(test_server_refuses_cut_trail),
        cmocka_unit_test(test_page_and_api_name_it),
        cmocka_unit_test(test_restore_is_no_tampering),
        cmocka_unit_test(test_trail_from_before_keys),
        cmocka_unit_test(test_rotated_key_refused),
        cmocka_unit_test(test_lost_key_refused),
        cmocka_unit_test(test_server_seals_legacy_trail),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
