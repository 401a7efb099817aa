/* test_requisition_flow.c - a whole requisition year of kompetens-2026 at
 * the service level, with all 311 recipients (290 kommuner, 21 regioner):
 * drafts, submissions (most at the maximum, some less, some none), returns
 * and resubmissions, bulk and single approval, the closed window, the
 * redistribution (exact to the krona, twice = no change) and an intact
 * audit trail; then crash safety: a child submitting in a loop is killed
 * with SIGKILL and every requisition it had a receipt for is intact; and
 * two processes submitting the same requisition at once: one wins. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/perm.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/programs.h"
#include "service/refdata.h"
#include "service/requisition.h"
#include "store/store_auth.h"
#include "store/store_copy.h"
#include "service/reqdata.h"
#include "util/clock.h"
#include "util/str.h"

/* copy a literal into a fixed field; a truncation fails the test */
#define SET(dst, v) assert_int_equal(str_copy(dst, sizeof(dst), v), 0)
#define PROG "kompetens-2026"

static char dir[256], dbpath[600];

/* The database is an SQLite file in dir, or the empty PostgreSQL
 * database BIDRAG_TEST_DB_URL names (tests/pg/test_pg_eservice.sh), with
 * BIDRAG_TEST_DB_URL_CRASH and _RACE the empty databases of the copies
 * the crash and race tests go their own way on. */
static const char *pg_url(const char *name)
{
    char var[64];
    const char *base = getenv("BIDRAG_TEST_DB_URL");
    if (!base || !base[0])
        return NULL;
    if (!name)
        return base;
    snprintf(var, sizeof(var), "BIDRAG_TEST_DB_URL_%s", name);
    return getenv(var);
}

/* On PostgreSQL the audit trail's key ring and checkpoints are where the
 * environment says: those of folder (on SQLite, beside the file). */
static void use_trail(const char *folder)
{
    char path[400];
    if (!pg_url(NULL))
        return;
    snprintf(path, sizeof(path), "%s/keys/audit.key", folder);
    setenv("BIDRAG_AUDIT_KEY", path, 1);
    snprintf(path, sizeof(path), "%s/audit/checkpoints", folder);
    setenv("BIDRAG_AUDIT_CHECKPOINTS", path, 1);
}
static struct svc_actor sys;  /* the system: loads the data, makes the accounts */
static struct req_status rst; /* where the last requisition stands */

/* The person login acting for org (the account and its roles are made in
 * setup: the service resolves the roles from the store). */
static struct svc_actor as(struct store *s, const char *login, const char *org)
{
    struct svc_actor a;
    struct svc_result r;
    if (svc_actor_cli(s, login, org, &a, &r) != ERR_OK)
        abort();
    a.origin = SVC_WEB;
    return a;
}

static int64_t at(const char *iso)
{
    int64_t t = 0;
    if (clock_parse(iso, &t) != ERR_OK)
        abort();
    return t;
}

/* Every recipient code of the program with its maximum. */
struct who {
    char code[5];
    int64_t max;
};

static size_t recipients(struct store *s, struct who *w, size_t cap)
{
    struct program_view pv;
    struct diag d;
    diag_init(&d, 5);
    assert_int_equal(programs_get(s, PROG, &pv, &d), ERR_OK);
    size_t n = 0;
    for (size_t i = 0; i < pv.rec.nk + pv.rec.nr && n < cap; i++) {
        const struct recipient *r =
            i < pv.rec.nk ? &pv.rec.kommuner[i] : &pv.rec.regioner[i - pv.rec.nk];
        int64_t m = req_max_ore(&pv.alloc, r->code);
        if (m <= 0)
            continue;
        SET(w[n].code, r->code);
        w[n].max = m;
        n++;
    }
    program_view_release(&pv);
    diag_release(&d);
    return n;
}

static int setup(void **state)
{
    (void)state;
    const char *src = getenv("BIDRAG_SRC");
    char k[512], r[512], p[512], prog[512];
    struct diag d;
    struct store *s = NULL;
    if (!src)
        src = BIDRAG_SOURCE_DIR;
    snprintf(dir, sizeof(dir), "/tmp/bidrag-test-reqflow-%d", (int)getpid());
    snprintf(dbpath, sizeof(dbpath), "%s/x.db", dir);
    if (pg_url(NULL)) {
        snprintf(dbpath, sizeof(dbpath), "%s", pg_url(NULL));
        snprintf(k, sizeof(k), "mkdir -p '%s'", dir);
        if (system(k) != 0)
            return -1;
        use_trail(dir);
    }
    if (auth_init() != ERR_OK || req_service_init() != ERR_OK ||
        store_open(dbpath, STORE_OPEN_CREATE, &s) != ERR_OK)
        return -1;
    svc_actor_system(&sys);
    struct svc_result res;
    const int64_t T0 = 1767225600; /* 2026-01-01T00:00:00Z */
    diag_init(&d, 20);
    snprintf(k, sizeof(k), "%s/data/reference/kommuner.csv", src);
    snprintf(r, sizeof(r), "%s/data/reference/regioner.csv", src);
    snprintf(p, sizeof(p), "%s/data/reference/folkmangd_kommun_2024-12-31.csv", src);
    snprintf(prog, sizeof(prog), "%s/data/programs/%s.ini", src, PROG);
    int rc = refdata_load_orgs(s, &sys, T0, k, r, &d, &res) != ERR_OK;
    struct import_opts o = {SERIES_POPULATION, "folkmangd", NULL, 0};
    struct series se;
    if (!rc)
        rc = refdata_import(s, &sys, T0, p, &o, &se, &d, &res) != ERR_OK;
    if (!rc)
        series_release(&se);
    if (!rc)
        rc = programs_load(s, &sys, T0, prog, &d, &res) != ERR_OK;
    /* the program rests on stand-in data: an officer confirms it */
    if (!rc)
        rc = programs_confirm_standin(s, &sys, T0, PROG, "test", &res) != ERR_OK;
    if (rc)
        diag_print(&d, stderr);
    diag_release(&d);
    /* the people: one handläggare, and for every recipient an ombud, an
     * uppgiftssamordnare and three representanter (the same accounts act
     * for all of them) */
    static const struct {
        const char *login;
        enum perm_role role;
    } people[] = {{"ombud", PERM_OMBUD},
                  {"samo", PERM_UPPGIFTSSAMORDNARE},
                  {"rep", PERM_REPRESENTANT},
                  {"rep-a", PERM_REPRESENTANT},
                  {"rep-b", PERM_REPRESENTANT}};
    static struct who w[400];
    size_t n = rc ? 0 : recipients(s, w, 400);
    rc = rc || auth_user_add(s, &sys, T0, "handl", "Handläggare", NULL, &res) != ERR_OK ||
         auth_user_role(s, &sys, T0, "handl", PERM_HANDLAGGARE, "", 1, &res) != ERR_OK;
    for (size_t q = 0; !rc && q < sizeof(people) / sizeof(people[0]); q++) {
        rc = auth_user_add(s, &sys, T0, people[q].login, people[q].login, NULL, &res) != ERR_OK;
        for (size_t i = 0; !rc && i < n; i++)
            rc = auth_user_role(s, &sys, T0, people[q].login, people[q].role, w[i].code, 1, &res) !=
                 ERR_OK;
    }
    store_close(s);
    return rc ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void fill(struct req_form *f, const char *code, int64_t amount, int opt_in)
{
    req_form_init(f);
    SET(f->program, PROG);
    SET(f->recipient, code);
    f->amount_ore = amount;
    assert_int_equal(req_measure_add(f, "utbildningsstrukturer",
                                     "Fortbildning för legitimerad "
                                     "personal i hemsjukvården",
                                     0),
                     ERR_OK);
    SET(f->contact_name, "Kontakt Person");
    SET(f->contact_email, "kontakt@example.se");
    SET(f->contact_phone, "010-123 45 67");
    SET(f->account_kind, "iban");
    SET(f->account, "SE45 5000 0000 0583 9825 7466");
    f->opt_in = opt_in;
    f->confirmed = 1;
}

static void test_year(void **state)
{
    (void)state;
    struct store *s;
    struct svc_result r;
    struct req_receipt rc;
    struct req_form f;
    static struct who w[400];
    assert_int_equal(store_open(dbpath, STORE_OPEN_EXISTING, &s), ERR_OK);
    size_t n = recipients(s, w, 400);
    assert_int_equal(n, 311);

    const int64_t spring = at("2026-04-01T08:00:00Z");
    struct svc_actor handl = as(s, "handl", "");
    size_t none = 0, less = 0;
    for (size_t i = 0; i < n; i++) {
        struct svc_actor a = as(s, "ombud", w[i].code);
        struct svc_actor samo = as(s, "samo", w[i].code);
        if (i % 10 == 3) { /* never requisitions */
            none++;
            continue;
        }
        int64_t amount = w[i].max;
        if (i % 10 == 7) { /* asks for less: a whole number of kronor */
            amount = w[i].max / 3 / 100 * 100;
            less++;
        }
        fill(&f, w[i].code, amount, i % 4 != 0);
        long long rev = 0;
        if (i % 5 == 0) { /* a samordnare prepares a draft first */
            assert_int_equal(req_save_draft(s, &samo, spring, &f, 0, &rst, &r), ERR_OK);
            rev = rst.revision;
        }
        char key[32];
        snprintf(key, sizeof(key), "sub-%.4s-1", w[i].code);
        enum err e = req_submit(s, &a, spring + (int64_t)i, &f, rev, key, &rc, &rst, &r);
        if (e != ERR_OK) {
            char said[512];
            msg_render(&r.msg, LANG_SV, said, sizeof(said));
            fail_msg("%s: %s", w[i].code, said);
        }
        req_form_release(&f);
    }
    /* a few are returned and come back */
    struct req_queue q;
    struct req_filter sub = {PROG, REQ_SUBMITTED, NULL, 0, 0};
    assert_int_equal(req_queue_list(s, &handl, spring, &sub, &q, &r), ERR_OK);
    assert_int_equal(q.n, n - none);
    for (size_t i = 0; i < q.n; i += 25)
        assert_int_equal(req_return(s, &handl, spring + 86400, q.rows[i].case_no,
                                    q.rows[i].revision, "Komplettera insatsbeskrivningen.", &rst,
                                    &r),
                         ERR_OK);
    req_queue_release(&q);
    struct req_filter ret = {PROG, REQ_RETURNED, NULL, 0, 0};
    assert_int_equal(req_queue_list(s, &handl, spring, &ret, &q, &r), ERR_OK);
    assert_true(q.n > 5);
    for (size_t i = 0; i < q.n; i++) {
        struct svc_actor a = as(s, "rep", q.rows[i].recipient);
        struct req_view v;
        assert_int_equal(req_open(s, &a, spring, PROG, q.rows[i].recipient, &v, &r), ERR_OK);
        assert_int_equal(req_form_copy(&f, &v.form), ERR_OK);
        long long rev = v.row.revision;
        req_view_release(&v);
        free(f.measures[0].description);
        f.measures[0].description = strdup("Fortbildning, utförligare beskriven");
        assert_int_equal(req_submit(s, &a, spring + 2 * 86400, &f, rev, NULL, &rc, &rst, &r),
                         ERR_OK);
        assert_int_equal(rc.version, 2);
        req_form_release(&f);
    }
    req_queue_release(&q);

    /* bulk: those at the maximum; the rest one by one */
    struct req_bulk_preview pre;
    char digest[65];
    assert_int_equal(req_bulk_preview(s, &handl, spring + 3 * 86400, PROG, &pre, &r), ERR_OK);
    snprintf(digest, sizeof(digest), "%s", pre.digest);
    req_bulk_preview_release(&pre);
    assert_int_equal(req_bulk_approve(s, &handl, spring + 3 * 86400, PROG, digest, &pre, &r),
                     ERR_OK);
    assert_int_equal(pre.left, less);
    assert_int_equal(pre.n, n - none - less);
    req_bulk_preview_release(&pre);
    assert_int_equal(req_queue_list(s, &handl, spring, &sub, &q, &r), ERR_OK);
    for (size_t i = 0; i < q.n; i++)
        assert_int_equal(req_approve(s, &handl, spring + 4 * 86400, q.rows[i].case_no,
                                     q.rows[i].revision, -1, NULL, &rst, &r),
                         ERR_OK);
    req_queue_release(&q);

    /* the window closes; the latecomer is told and nothing is stored */
    for (size_t i = 0; i < n; i++) {
        if (i % 10 != 3)
            continue;
        struct svc_actor a = as(s, "ombud", w[i].code);
        fill(&f, w[i].code, -1, 1);
        assert_int_equal(req_submit(s, &a, at("2026-10-31T08:00:00Z"), &f, 0, NULL, &rc, &rst, &r),
                         ERR_DENIED);
        char said[512];
        msg_render(&r.msg, LANG_SV, said, sizeof(said));
        assert_non_null(strstr(said, "stängde"));
        req_form_release(&f);
        break;
    }

    /* the kompetens decision fixes each amount and provides no
     * redistribution: refused after the date too, nothing written; what was
     * not requisitioned stays unpaid and is reported as such */
    long long seq0 = 0, seq1 = 0;
    char h[STORE_HASH_HEX];
    struct req_redist_report rep;
    assert_int_equal(store_audit_head(s, &seq0, h), ERR_OK);
    assert_int_equal(
        req_redistribute(s, &handl, at("2026-11-02T09:00:00Z"), PROG, "", &rep, NULL, &r),
        ERR_DENIED);
    assert_int_equal(store_audit_head(s, &seq1, h), ERR_OK);
    assert_int_equal(seq1, seq0);
    struct req_dashboard db;
    assert_int_equal(req_dashboard_get(s, &handl, at("2026-11-02T09:00:00Z"), PROG, &db, &r),
                     ERR_OK);
    assert_int_equal(db.allocated_ore, INT64_C(1013000000) * 100);
    assert_int_equal(db.nlines, 311);
    assert_int_equal(db.counts[REQ_APPROVED], (long long)(n - none));
    assert_int_equal(db.nblocks, 3);
    int64_t unpaid = 0;
    for (size_t b = 0; b < db.nblocks; b++) {
        assert_int_equal(db.blocks[b].redistributed_ore, 0);
        assert_int_equal(db.blocks[b].left_ore,
                         db.blocks[b].allocated_ore - db.blocks[b].approved_ore);
        unpaid += db.blocks[b].left_ore;
    }
    assert_int_equal(db.supplementary_ore, 0);
    int64_t req_blocks = 0;
    for (size_t b = 0; b < db.nblocks; b++)
        req_blocks += db.blocks[b].requested_ore;
    assert_int_equal(req_blocks, db.requested_ore);
    /* everything requisitioned was approved in this year */
    assert_int_equal(db.requested_ore, db.approved_ore);
    assert_int_equal(db.allocated_ore, db.approved_ore + unpaid);
    assert_true(unpaid > 0);
    for (size_t i = 0; i < db.nlines; i++) {
        const struct req_dash_line *l = &db.lines[i];
        assert_int_equal(l->supplementary_ore, 0);
        assert_int_equal(l->approved_ore % 100, 0);
    }
    req_dashboard_release(&db);

    struct audit_report ar;
    assert_int_equal(audit_verify(s, &ar), ERR_OK);
    store_close(s);
}

/* A copy of the year's database that goes its own way: in a folder of
 * its own, with the audit trail's key ring and checkpoints as they were
 * (one folder holds one trail; two databases writing beside each other
 * would sign checkpoints of two different histories into one file). */
static void fork_db(const char *name, char *path, size_t n)
{
    struct store *s;
    char cmd[1200];
    snprintf(path, n, "%s/%s/x.db", dir, name);
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s/%s' && cp -pr '%s/keys' '%s/audit' '%s/%s/'", dir,
             name, dir, dir, dir, name);
    assert_int_equal(system(cmd), 0);
    use_trail(dir);
    assert_int_equal(store_open(dbpath, STORE_OPEN_EXISTING, &s), ERR_OK);
    if (pg_url(NULL)) {
        /* PostgreSQL's backups are pg_dump's: the copy is the store's own
         * (bidrag db copy's) into the empty database named for it */
        char up[16];
        size_t i = 0;
        for (; name[i] && i + 1 < sizeof(up); i++)
            up[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 'a' + 'A' : name[i]);
        up[i] = '\0';
        const char *url = pg_url(up);
        assert_non_null(url);
        snprintf(path, n, "%s", url);
        struct store *to;
        static struct store_copy_report rep;
        assert_int_equal(store_open(path, STORE_OPEN_CREATE, &to), ERR_OK);
        enum err e = store_copy(s, to, NULL, &rep);
        if (e != ERR_OK)
            fprintf(stderr, "copy: %s\n", rep.msg);
        assert_int_equal(e, ERR_OK);
        store_close(to);
    } else {
        assert_int_equal(store_backup(s, path), ERR_OK);
    }
    store_close(s);
    char trail[300];
    snprintf(trail, sizeof(trail), "%s/%s", dir, name);
    use_trail(trail);
}

/* A child submits for one recipient after another, writing each receipt
 * to a pipe once req_submit returned; it is killed midway. */
static void test_crash(void **state)
{
    (void)state;
    /* on a copy of the year's database: the recipients that never
     * requisitioned now do, then everything submitted goes round
     * return / resubmit until the child is killed */
    char path[400];
    struct store *s;
    fork_db("crash", path, sizeof(path));
    assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s), ERR_OK);
    static struct who w[400];
    size_t n = recipients(s, w, 400);
    store_close(s);

    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        struct store *cs;
        struct svc_result rr;
        if (store_open(path, STORE_OPEN_EXISTING, &cs) != ERR_OK)
            _exit(2);
        for (int round = 0; round < 1000; round++) {
            for (size_t i = 0; i < n; i++) {
                struct svc_actor a = as(cs, "ombud", w[i].code);
                struct req_view v;
                struct req_form f;
                struct req_receipt rc;
                if (req_open(cs, &a, at("2026-04-01T08:00:00Z"), PROG, w[i].code, &v, &rr))
                    _exit(3);
                int fresh = !v.exists;
                long long rev = v.row.revision;
                req_view_release(&v);
                if (!fresh)
                    continue; /* approved in test_year: leave it */
                fill(&f, w[i].code, -1, 1);
                if (req_submit(cs, &a, at("2026-04-01T08:00:00Z"), &f, rev, NULL, &rc, &rst, &rr) ==
                    ERR_OK) {
                    char line[64];
                    int len = snprintf(line, sizeof(line), "%s %d\n", rc.case_no, rc.version);
                    if (write(fds[1], line, (size_t)len) != len)
                        _exit(4);
                }
                req_form_release(&f);
            }
            /* then return and resubmit in a loop as the agency and recipient */
            struct req_queue cq;
            struct req_filter sf = {PROG, REQ_SUBMITTED, NULL, 0, 0};
            struct svc_actor handl = as(cs, "handl", "");
            if (req_queue_list(cs, &handl, at("2026-04-01T08:00:00Z"), &sf, &cq, &rr) != ERR_OK)
                _exit(5);
            for (size_t i = 0; i < cq.n; i++) {
                struct svc_actor a = as(cs, "ombud", cq.rows[i].recipient);
                struct req_form f;
                struct req_receipt rc;
                if (req_return(cs, &handl, at("2026-04-02T08:00:00Z"), cq.rows[i].case_no,
                               cq.rows[i].revision, "Igen", &rst, &rr) != ERR_OK)
                    _exit(6);
                fill(&f, cq.rows[i].recipient, -1, 1);
                if (req_submit(cs, &a, at("2026-04-02T08:00:00Z"), &f, rst.revision, NULL, &rc,
                               &rst, &rr) == ERR_OK) {
                    char line[64];
                    int len = snprintf(line, sizeof(line), "%s %d\n", rc.case_no, rc.version);
                    if (write(fds[1], line, (size_t)len) != len)
                        _exit(4);
                }
                req_form_release(&f);
            }
            req_queue_release(&cq);
        }
        _exit(0);
    }
    close(fds[1]);
    /* let it work a while, then kill it without warning */
    char rbuf[1 << 16];
    size_t got = 0;
    usleep(300000);
    while (got < 2000) {
        ssize_t k = read(fds[0], rbuf + got, sizeof(rbuf) - 1 - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    for (;;) {
        ssize_t k = read(fds[0], rbuf + got, sizeof(rbuf) - 1 - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fds[0]);
    rbuf[got] = '\0';
    assert_true(WIFSIGNALED(status));

    /* reopen: every receipted version is there, complete */
    assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s), ERR_OK);
    size_t checked = 0;
    char *save = NULL;
    for (char *line = rbuf; *line; line = save + 1) {
        save = strchr(line, '\n');
        if (!save)
            break; /* a line cut by the kill */
        *save = '\0';
        char case_no[REQ_CASE_LEN];
        int version = 0;
        if (sscanf(line, "%23s %d", case_no, &version) != 2)
            fail_msg("bad receipt line '%s'", line);
        struct req_row row;
        struct req_form f;
        assert_int_equal(reqdata_get_case(s, case_no, &row), ERR_OK);
        assert_true(row.version >= version);
        assert_int_equal(reqdata_form_get(s, row.id, version, &f, NULL, NULL), ERR_OK);
        assert_int_equal(f.nmeasures, 1);
        assert_true(f.confirmed);
        req_form_release(&f);
        checked++;
    }
    fprintf(stderr, "crash: %zu receipts checked after SIGKILL\n", checked);
    assert_true(checked > 0);
    char msg[256];
    struct audit_report ar;
    assert_int_equal(audit_verify(s, &ar), ERR_OK);
    /* the database's own check after the kill: SQLite's integrity check
     * of the file; PostgreSQL's pages failing their checksums (its files
     * are the server's, which the kill of a client does not touch) */
    if (pg_url(NULL))
        assert_int_equal(store_quick_check(s, msg, sizeof(msg)), ERR_OK);
    store_close(s);
    if (!pg_url(NULL))
        assert_int_equal(store_file_check(path, msg, sizeof(msg)), ERR_OK);
}

/* Two representatives submit the same requisition at the same moment from
 * two processes, both based on the same revision: one wins, the other is
 * told of the conflict, and nothing is merged. */
static void test_race(void **state)
{
    (void)state;
    char path[400];
    struct store *s;
    struct svc_result r;
    struct req_form f;
    fork_db("race", path, sizeof(path));
    assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s), ERR_OK);
    static struct who w[400];
    size_t n = recipients(s, w, 400);
    assert_true(n > 3);
    const char *code = w[3].code; /* never requisitioned in test_year */
    struct svc_actor samo = as(s, "samo", code);
    const int64_t T = at("2026-05-05T08:00:00Z");
    fill(&f, code, -1, 1);
    assert_int_equal(req_save_draft(s, &samo, T, &f, 0, &rst, &r), ERR_OK);
    req_form_release(&f);
    long long rev = rst.revision;
    char case_no[REQ_CASE_LEN];
    SET(case_no, rst.case_no);
    store_close(s);

    int go[2];
    assert_int_equal(pipe(go), 0);
    pid_t pid[2];
    const char *phones[2] = {"010-111 11 11", "010-222 22 22"};
    for (int k = 0; k < 2; k++) {
        pid[k] = fork();
        assert_true(pid[k] >= 0);
        if (pid[k] == 0) {
            close(go[1]);
            struct store *cs;
            struct req_form cf;
            struct req_receipt rc;
            struct svc_result rr;
            char key[16];
            if (store_open(path, STORE_OPEN_EXISTING, &cs) != ERR_OK)
                _exit(2);
            struct svc_actor a = as(cs, k ? "rep-b" : "rep-a", code);
            fill(&cf, code, -1, 1);
            SET(cf.contact_phone, phones[k]);
            snprintf(key, sizeof(key), "race-%d", k);
            char c;
            if (read(go[0], &c, 1) != 1) /* both start together */
                _exit(3);
            enum err e = req_submit(cs, &a, T, &cf, rev, key, &rc, &rst, &rr);
            req_form_release(&cf);
            store_close(cs);
            _exit(e == ERR_OK ? 0 : e == ERR_CONFLICT ? 10 : 4);
        }
    }
    close(go[0]);
    assert_int_equal(write(go[1], "gg", 2), 2);
    close(go[1]);
    int st[2], wins = 0, conflicts = 0, winner = -1;
    for (int k = 0; k < 2; k++) {
        assert_int_equal(waitpid(pid[k], &st[k], 0), pid[k]);
        assert_true(WIFEXITED(st[k]));
        if (WEXITSTATUS(st[k]) == 0) {
            wins++;
            winner = k;
        } else if (WEXITSTATUS(st[k]) == 10) {
            conflicts++;
        }
    }
    assert_int_equal(wins, 1);
    assert_int_equal(conflicts, 1);
    assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s), ERR_OK);
    struct req_row row;
    assert_int_equal(reqdata_get_case(s, case_no, &row), ERR_OK);
    assert_int_equal(row.version, 1);
    assert_int_equal(row.state, REQ_SUBMITTED);
    assert_int_equal(reqdata_form_get(s, row.id, 1, &f, NULL, NULL), ERR_OK);
    assert_string_equal(f.contact_phone, phones[winner]);
    req_form_release(&f);
    assert_int_equal(reqdata_form_get(s, row.id, 2, &f, NULL, NULL), ERR_NOTFOUND);
    struct audit_report ar;
    assert_int_equal(audit_verify(s, &ar), ERR_OK);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_year),
        cmocka_unit_test(test_crash),
        cmocka_unit_test(test_race),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
