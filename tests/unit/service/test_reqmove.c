/* test_reqmove.c - requisitions made by the e-service before it ran on
 * the case engine, moved onto it (service/reqmove.h): the database of
 * tests/fixtures/req-before-move, made by that older build, moved as
 * `bidrag migrate` and the server's start move it; only an administrator
 * moves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/casekind.h"
#include "core/perm.h"
#include "core/reqcase.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/case.h"
#include "service/programs.h"
#include "service/refdata.h"
#include "service/reqmove.h"
#include "service/requisition.h"
#include "store/store_auth.h"
#include "store/store_req.h"
#include "store/store_case.h"
#include "util/clock.h"
#include "util/sha256.h"
#include "../msgtext.h"

#define SET(dst, v) snprintf(dst, sizeof(dst), "%s", v)

/* fontconfig leaks a little while parsing its configuration (outside our
 * reach); tell LeakSanitizer, when present. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static char dir[256], dbpath[300];
static struct store *s;
static struct svc_actor sys; /* the system: loads the data */

/* A person with an account holding role for org (created, or given the
 * role, as needed), acting for org: the service resolves the roles from
 * the store. */
static struct svc_actor person(const char *login, enum perm_role role, const char *org)
{
    struct svc_result r;
    struct svc_actor a;
    enum err e = auth_user_add(s, &sys, 0, login, login, NULL, &r);
    if (e != ERR_OK && e != ERR_CONFLICT)
        fail_msg("account '%s': %s", login, msgtext(&r.msg));
    struct store_account acc;
    struct store_grant *g = NULL;
    size_t ng = 0;
    int held = 0;
    if (store_account_get(s, login, &acc) != ERR_OK ||
        store_grant_list(s, acc.id, &g, &ng) != ERR_OK)
        fail_msg("no account '%s'", login);
    for (size_t i = 0; i < ng; i++)
        held |= strcmp(g[i].role, perm_id(role)) == 0 && strcmp(g[i].org, org) == 0;
    free(g);
    if (!held && auth_user_role(s, &sys, 0, login, role, org, 1, &r) != ERR_OK)
        fail_msg("role of '%s': %s", login, msgtext(&r.msg));
    if (svc_actor_cli(s, login, org, &a, &r) != ERR_OK)
        fail_msg("no account '%s'", login);
    a.origin = SVC_WEB;
    return a;
}

static struct svc_actor ombud, samordnare, rep1, rep2, gbg, handl, granskare;

static int64_t at(const char *iso)
{
    int64_t t = 0;
    if (clock_parse(iso, &t) != ERR_OK)
        abort();
    return t;
}

static int setup(void **state)
{
    (void)state;
    const char *src = getenv("BIDRAG_SRC");
    char k[512], r[512], p[512], prog[512];
    struct diag d;
    if (!src)
        src = BIDRAG_SOURCE_DIR;
    snprintf(dir, sizeof(dir), "/tmp/bidrag-test-reqmove-%d", (int)getpid());
    snprintf(dbpath, sizeof(dbpath), "%s/x.db", dir);
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
    int rc = refdata_load_orgs(s, &sys, T0, k, r, &d, &res) != ERR_OK;
    struct import_opts o = {SERIES_POPULATION, "folkmangd", NULL, 0};
    struct series se;
    if (!rc)
        rc = refdata_import(s, &sys, T0, p, &o, &se, &d, &res) != ERR_OK;
    if (!rc)
        series_release(&se);
    const char *progs[] = {"kompetens-2026.ini", "tillganglighet-2026.ini"};
    for (size_t i = 0; !rc && i < 2; i++) {
        snprintf(prog, sizeof(prog), "%s/data/programs/%s", src, progs[i]);
        rc = programs_load(s, &sys, T0, prog, &d, &res) != ERR_OK;
    }
    /* the shipped programs rest on stand-in data: an officer confirms it */
    const char *ids[] = {"kompetens-2026", "tillganglighet-2026"};
    for (size_t i = 0; !rc && i < 2; i++)
        rc = programs_confirm_standin(s, &sys, T0, ids[i], "test", &res) != ERR_OK;
    if (rc)
        diag_print(&d, stderr);
    diag_release(&d);
    if (rc)
        return -1;
    ombud = person("ombud-sthlm", PERM_OMBUD, "0180");
    samordnare = person("samo-sthlm", PERM_UPPGIFTSSAMORDNARE, "0180");
    rep1 = person("rep1-sthlm", PERM_REPRESENTANT, "0180");
    rep2 = person("rep2-sthlm", PERM_REPRESENTANT, "0180");
    gbg = person("ombud-gbg", PERM_OMBUD, "1480");
    handl = person("handl", PERM_HANDLAGGARE, "");
    granskare = person("gransk", PERM_GRANSKARE, "");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    store_close(s);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static long long audit_rows(void)
{
    long long seq = 0;
    char h[STORE_HASH_HEX];
    assert_int_equal(store_audit_head(s, &seq, h), ERR_OK);
    return seq;
}

/* The kind's canonical text of a form (the plan left out) */
static char *canon_form(const struct req_form *f)
{
    json_t *j = NULL;
    char *text = NULL;
    assert_int_equal(reqcase_to_json(f, &j), ERR_OK);
    assert_int_equal(case_canon(reqcase_kind(), j, &text), ERR_OK);
    json_decref(j);
    return text;
}

/* Only an administrator moves the data. */
static void test_move_denied(void **state)
{
    (void)state;
    struct req_move_report rep;
    struct svc_result r;
    long long a0 = audit_rows();
    assert_int_equal(req_move(s, &handl, at("2026-04-15T12:00:00Z"), &rep, &r), ERR_DENIED);
    assert_int_equal(req_move(s, &ombud, at("2026-04-15T12:00:00Z"), &rep, &r), ERR_DENIED);
    assert_int_equal(audit_rows(), a0);
}

/* The database of tests/fixtures/req-before-move (made by the e-service
 * before the engine: returns, a draft saved after a return, decisions in
 * full, in part, rejected, a redistribution's supplementary decision, a
 * region's plan), moved by the operator's account as `bidrag migrate`
 * does: its trail verifies with its own key ring and checkpoints before
 * and after; the e-service, now on the engine, shows every requisition
 * as the old rows had it (state, versions, amounts, message or reasons,
 * content, plan, decisions); the history is in order; an old key still
 * gives its receipt; a second run moves nothing. */
static void test_move_fixture(void **state)
{
    (void)state;
    const char *src = getenv("BIDRAG_SRC");
    if (!src)
        src = BIDRAG_SOURCE_DIR;
    if (system("command -v sqlite3 >/dev/null 2>&1") != 0)
        skip(); /* the fixture is an sqlite3 dump */
    char fx[300], db[400], cmd[2400];
    snprintf(fx, sizeof(fx), "%s/fx", dir);
    snprintf(db, sizeof(db), "%s/x.db", fx);
    snprintf(cmd, sizeof(cmd),
             "set -e; F='%s/tests/fixtures/req-before-move'; mkdir -p '%s/keys' '%s/audit';"
             " sqlite3 '%s' <\"$F/dump.sql\"; cp \"$F/keys/audit.key\" '%s/keys/audit.key';"
             " chmod 600 '%s/keys/audit.key'; cp \"$F/audit/checkpoints\" '%s/audit/checkpoints'",
             src, fx, fx, db, fx, fx, fx);
    assert_int_equal(system(cmd), 0);
    struct store *f = NULL;
    assert_int_equal(store_open(db, STORE_OPEN_EXISTING, &f), ERR_OK);
    const int64_t T = at("2026-04-16T10:00:00Z");
    struct svc_result r;
    struct svc_actor hanna;
    assert_int_equal(svc_actor_cli(f, "hanna", "", &hanna, &r), ERR_OK);
    struct audit_report ar;
    if (audit_verify(f, &ar) != ERR_OK)
        fail_msg("audit verify before: %s", ar.msg);

    /* what the old rows say */
    struct store_req old[7];
    char *latest[7];
    char plan[7][65];
    struct store_req_decision *dec[7];
    size_t ndec[7];
    for (int i = 0; i < 7; i++) {
        char no[REQ_CASE_LEN];
        snprintf(no, sizeof(no), "REK-2026-%06d", i + 1);
        assert_int_equal(store_req_get_case(f, no, &old[i]), ERR_OK);
        latest[i] = NULL;
        plan[i][0] = '\0';
        if (old[i].version > 0) {
            struct req_form x;
            assert_int_equal(store_req_form_get(f, old[i].id, old[i].version, &x, NULL, NULL),
                             ERR_OK);
            latest[i] = canon_form(&x);
            SET(plan[i], x.plan.sha256);
            req_form_release(&x);
        }
        assert_int_equal(store_req_decisions(f, NULL, old[i].id, &dec[i], &ndec[i]), ERR_OK);
    }
    /* nothing on the engine yet: the e-service finds none of them */
    struct req_view v;
    assert_int_equal(req_open_case(f, &hanna, T, "REK-2026-000001", &v, &r), ERR_NOTFOUND);
    req_view_release(&v);

    struct req_move_report rep;
    long long a0 = 0;
    char h[STORE_HASH_HEX];
    assert_int_equal(store_audit_head(f, &a0, h), ERR_OK);
    assert_int_equal(req_move_installation(f, T, &rep, &r), ERR_OK);
    assert_int_equal(rep.cases, 7);
    assert_int_equal(rep.skipped, 0);
    long long a1 = 0;
    assert_int_equal(store_audit_head(f, &a1, h), ERR_OK);
    assert_int_equal(a1, a0 + 7); /* one record per moved case */
    if (audit_verify(f, &ar) != ERR_OK)
        fail_msg("audit verify after the move: %s", ar.msg);

    int supplementary = 0, plans = 0;
    for (int i = 0; i < 7; i++) {
        /* REK-4 is a draft: the agency sees its row, not the draft */
        assert_int_equal(req_open_case(f, &hanna, T, old[i].case_no, &v, &r), ERR_OK);
        assert_true(v.exists);
        assert_string_equal(v.row.case_no, old[i].case_no);
        assert_string_equal(v.row.program, old[i].program);
        assert_string_equal(v.row.recipient, old[i].recipient);
        assert_int_equal(v.row.state, old[i].state);
        assert_int_equal(v.row.version, old[i].version);
        assert_int_equal(v.row.approved_ore, old[i].approved_ore);
        assert_int_equal(v.row.requested_ore, old[i].requested_ore);
        assert_string_equal(v.row.message, old[i].message);
        assert_string_equal(v.row.created_by, old[i].created_by);
        assert_int_equal(v.nversions, (size_t)old[i].version);
        if (latest[i]) {
            char *now = canon_form(&v.latest);
            assert_string_equal(now, latest[i]);
            free(now);
            assert_string_equal(v.latest.plan.sha256, plan[i]);
            plans += plan[i][0] != '\0';
        }
        assert_int_equal(v.ndecisions, ndec[i]);
        for (size_t j = 0; j < ndec[i]; j++) {
            assert_string_equal(v.decisions[j].number, dec[i][j].number);
            assert_string_equal(v.decisions[j].kind, dec[i][j].kind);
            assert_int_equal(v.decisions[j].amount_ore, dec[i][j].amount_ore);
            assert_string_equal(v.decisions[j].block, dec[i][j].block);
            assert_string_equal(v.decisions[j].decided_by, dec[i][j].decided_by);
            assert_int_equal(v.decisions[j].run_id, dec[i][j].run_id);
            supplementary += !strcmp(dec[i][j].kind, "supplementary");
        }
        req_view_release(&v);
        free(latest[i]);
        free(dec[i]);
    }
    assert_int_equal(supplementary, 1); /* BES-2026-000005 of REK-7 */
    (void)plans;                        /* the fixture has none: test_move_plan */

    /* REK-1's history in order: submitted, returned, submitted, approved;
     * REK-6's: submitted, returned with its message, the draft saved */
    const struct case_kind *k = reqcase_kind();
    struct store_case_event *ev = NULL;
    size_t nev = 0;
    assert_int_equal(case_history(f, &hanna, T, k, "REK-2026-000001", &ev, &nev, &r), ERR_OK);
    const char *want1[] = {"submit", "return", "submit", "decide"};
    size_t w = 0;
    for (size_t i = 0; i < nev && w < 4; i++)
        if (!strcmp(ev[i].verb, want1[w]))
            w++;
        else
            assert_string_equal(ev[i].verb, "save"); /* drafts saved between */
    assert_int_equal(w, 4);
    free(ev);
    assert_int_equal(case_history(f, &hanna, T, k, "REK-2026-000006", &ev, &nev, &r), ERR_OK);
    assert_true(nev >= 3);
    assert_string_equal(ev[nev - 1].verb, "save");
    assert_string_equal(ev[nev - 2].verb, "return");
    assert_string_equal(ev[nev - 2].message, "Beskriv insatsen närmare.");
    assert_string_equal(ev[nev - 2].by, "hugo");
    free(ev);

    /* 0136's key from before the move gives its receipt again */
    struct svc_actor olle;
    struct req_form form;
    struct req_receipt rc;
    struct req_status rs;
    assert_int_equal(svc_actor_cli(f, "olle", "0136", &olle, &r), ERR_OK);
    assert_int_equal(store_req_form_get(f, old[4].id, 1, &form, NULL, NULL), ERR_OK);
    assert_int_equal(req_submit(f, &olle, T, &form, 0, "k-0136", &rc, &rs, &r), ERR_OK);
    assert_true(rc.repeated);
    assert_int_equal(rc.version, 1);
    assert_string_equal(rc.case_no, "REK-2026-000005");
    req_form_release(&form);

    /* again: nothing to move, nothing written */
    assert_int_equal(req_move_installation(f, T, &rep, &r), ERR_OK);
    assert_int_equal(rep.cases, 0);
    assert_int_equal(rep.skipped, 7);
    assert_int_equal(store_audit_head(f, &a0, h), ERR_OK);
    assert_int_equal(a0, a1);
    if (audit_verify(f, &ar) != ERR_OK)
        fail_msg("audit verify at the end: %s", ar.msg);
    store_close(f);
}

/* A production plan in the old tables (a region's submitted version and
 * its draft, written there as the old e-service did) moves as a file of
 * the version: the e-service gives its bytes back, its name and type. */
static void test_move_plan(void **state)
{
    (void)state;
    static const char pdf[] = "%PDF-1.7\n% plan\n%%EOF\n";
    const int64_t T = at("2026-02-10T09:00:00Z");
    struct store_req row;
    struct req_form f;
    char sha[65];
    req_form_init(&f);
    SET(f.program, "tillganglighet-2026");
    SET(f.recipient, "12");
    assert_int_equal(req_measure_add(&f, "vardkapacitet", "Fler operationer kvällstid", 100), 0);
    SET(f.contact_name, "Per");
    f.amount_ore = 100000;
    f.confirmed = 1;
    SET(f.plan.name, "plan.pdf");
    SET(f.plan.content_type, "application/pdf");
    f.plan.size = (int64_t)sizeof(pdf) - 1;
    {
        struct sha256 h;
        unsigned char d[32];
        sha256_init(&h);
        sha256_update(&h, pdf, sizeof(pdf) - 1);
        sha256_final(&h, d);
        sha256_hex(d, sha);
    }
    SET(f.plan.sha256, sha);
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_req_create(s, "tillganglighet-2026", "12", "REK-2026-000901",
                                      "2026-02-10T08:00:00Z", "ombud-12", &row),
                     ERR_OK);
    assert_int_equal(store_req_plan_put(s, sha, "application/pdf", pdf, sizeof(pdf) - 1), ERR_OK);
    assert_int_equal(store_req_form_put(s, row.id, 1, &f, "2026-02-10T08:01:00Z", "ombud-12"),
                     ERR_OK);
    assert_int_equal(store_req_form_put(s, row.id, 0, &f, "2026-02-10T08:01:00Z", "ombud-12"),
                     ERR_OK);
    long long rev = row.revision;
    row.state = REQ_SUBMITTED;
    row.version = 1;
    assert_int_equal(store_req_update(s, &row, rev, "2026-02-10T08:01:00Z", "ombud-12"), ERR_OK);
    assert_int_equal(store_commit(s), ERR_OK);
    req_form_release(&f);

    struct svc_actor admin = person("admin-move", PERM_ADMIN, "");
    struct req_move_report rep;
    struct svc_result r;
    assert_int_equal(req_move(s, &admin, T, &rep, &r), ERR_OK);
    assert_int_equal(rep.cases, 1);
    assert_int_equal(rep.versions, 1);
    assert_int_equal(rep.files, 2); /* on the draft and on version 1 */

    struct req_view v;
    assert_int_equal(req_open_case(s, &handl, T, "REK-2026-000901", &v, &r), ERR_OK);
    assert_int_equal(v.row.state, REQ_SUBMITTED);
    assert_string_equal(v.latest.plan.sha256, sha);
    assert_string_equal(v.latest.plan.name, "plan.pdf");
    assert_int_equal(v.latest.plan.size, (int64_t)sizeof(pdf) - 1);
    req_view_release(&v);
    struct buf b;
    char type[80];
    buf_init(&b, 1 << 20);
    assert_int_equal(req_plan_fetch(s, &handl, T, "REK-2026-000901", 1, type, sizeof(type), &b, &r),
                     ERR_OK);
    assert_string_equal(type, "application/pdf");
    assert_int_equal(b.len, sizeof(pdf) - 1);
    assert_memory_equal(b.p, pdf, sizeof(pdf) - 1);
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_move_denied),
        cmocka_unit_test(test_move_plan),
        cmocka_unit_test(test_move_fixture),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
