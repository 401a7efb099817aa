/* test_reqmove.c - requisitions made by the e-service before it ran on
 * the case engine, moved onto it (service/reqmove.h): a draft, a
 * submission returned and submitted again then approved in full, one
 * approved in part with reasons, one rejected, one submitted with its
 * production plan. After the move the engine shows each under its own
 * number in the state and outcome it had, with the same content (the
 * kind's canonical JSON of the old form), decisions under their numbers
 * with their reasons, the plan's bytes, the history in order; an old
 * idempotency key still gives its receipt; numbering continues; one audit
 * record per case, the trail verifies; a second run moves nothing. */
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
#include "store/store_case.h"
#include "util/clock.h"
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
static struct req_status st; /* where the last requisition stands */

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

/* A complete form for a recipient of kompetens-2026. */
static void fill(struct req_form *f, const char *recipient, int64_t amount_ore)
{
    req_form_init(f);
    SET(f->program, "kompetens-2026");
    snprintf(f->recipient, sizeof(f->recipient), "%s", recipient);
    f->amount_ore = amount_ore;
    assert_int_equal(req_measure_add(f, "vfu", "Fler handledare för VFU på äldreboenden", 0),
                     ERR_OK);
    snprintf(f->contact_name, sizeof(f->contact_name), "Åsa Öberg");
    snprintf(f->contact_email, sizeof(f->contact_email), "asa.oberg@example.se");
    snprintf(f->contact_phone, sizeof(f->contact_phone), "08-123 456 78");
    snprintf(f->account_kind, sizeof(f->account_kind), "bankgiro");
    snprintf(f->account, sizeof(f->account), "5050-1055");
    f->opt_in = 1;
    f->confirmed = 1;
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

/* What the old e-service says of a case, kept to compare with. */
struct before {
    char case_no[REQ_CASE_LEN];
    enum req_state state;
    int version;
    char *latest;                /* canonical text of the latest version, NULL if none */
    char decision[REQ_CASE_LEN]; /* its decision's number, "" if none */
    char plan[65];               /* the latest version's plan digest, "" if none */
};

static void before_of(const char *program, const char *code, int64_t now, struct before *b)
{
    struct req_view v;
    struct svc_result r;
    memset(b, 0, sizeof(*b));
    assert_int_equal(req_open(s, &handl, now, program, code, &v, &r), ERR_OK);
    assert_true(v.exists);
    SET(b->case_no, v.row.case_no);
    b->state = v.row.state;
    b->version = v.row.version;
    if (v.row.version > 0) {
        b->latest = canon_form(&v.latest);
        SET(b->plan, v.latest.plan.sha256);
    }
    if (v.ndecisions)
        SET(b->decision, v.decisions[0].number);
    req_view_release(&v);
}

static void test_move(void **state)
{
    (void)state;
    const int64_t T = at("2026-04-15T10:00:00Z");
    const char *P = "kompetens-2026";
    const struct case_kind *k = reqcase_kind();
    struct req_form f;
    struct req_receipt rc;
    struct svc_result r;
    char no[REQ_CASE_LEN]; /* the service clears st before it reads the number */

    /* A: a draft only */
    fill(&f, "0180", -1);
    assert_int_equal(req_save_draft(s, &ombud, T, &f, 0, &st, &r), ERR_OK);
    req_form_release(&f);
    /* B: submitted with a key, returned, submitted again, approved in full */
    struct svc_actor o114 = person("ombud-114", PERM_OMBUD, "0114");
    fill(&f, "0114", -1);
    assert_int_equal(req_submit(s, &o114, T, &f, 0, "k114", &rc, &st, &r), ERR_OK);
    req_form_release(&f);
    SET(no, st.case_no);
    assert_int_equal(req_return(s, &handl, T + 60, no, st.revision, "Ange kontot igen", &st, &r),
                     ERR_OK);
    fill(&f, "0114", -1);
    SET(f.contact_name, "Bo Ek");
    assert_int_equal(req_submit(s, &o114, T + 120, &f, st.revision, "k114b", &rc, &st, &r), ERR_OK);
    req_form_release(&f);
    assert_int_equal(rc.version, 2);
    SET(no, st.case_no);
    assert_int_equal(req_approve(s, &handl, T + 180, no, st.revision, -1, NULL, &st, &r), ERR_OK);
    /* C: approved in part, with reasons */
    struct svc_actor o138 = person("ombud-138", PERM_OMBUD, "0138");
    fill(&f, "0138", -1);
    assert_int_equal(req_submit(s, &o138, T, &f, 0, NULL, &rc, &st, &r), ERR_OK);
    req_form_release(&f);
    int64_t part = rc.amount_ore / 2 / 100 * 100;
    SET(no, st.case_no);
    assert_int_equal(req_approve(s, &handl, T + 240, no, st.revision, part,
                                 "Medlen räcker inte till allt", &st, &r),
                     ERR_OK);
    /* D: rejected */
    struct svc_actor o139 = person("ombud-139", PERM_OMBUD, "0139");
    fill(&f, "0139", -1);
    assert_int_equal(req_submit(s, &o139, T, &f, 0, NULL, &rc, &st, &r), ERR_OK);
    req_form_release(&f);
    SET(no, st.case_no);
    assert_int_equal(req_reject(s, &handl, T + 300, no, st.revision, "Fel mottagare", &st, &r),
                     ERR_OK);
    /* E: a region's submission with its production plan */
    static const unsigned char pdf[] = "%PDF-1.7\n% plan\n%%EOF\n";
    struct svc_actor reg = person("ombud-12", PERM_OMBUD, "12");
    req_form_init(&f);
    SET(f.program, "tillganglighet-2026");
    SET(f.recipient, "12");
    assert_int_equal(req_measure_add(&f, "vardkapacitet", "Fler operationer kvällstid", 100), 0);
    SET(f.contact_name, "Per Åkesson");
    SET(f.contact_email, "per@region.example");
    SET(f.contact_phone, "+46 10 441 00 00");
    SET(f.account_kind, "bankgiro");
    SET(f.account, "5050-1055");
    f.confirmed = 1;
    f.plan_data = pdf;
    f.plan_len = sizeof(pdf) - 1;
    SET(f.plan.name, "plan.pdf");
    if (req_submit(s, &reg, at("2026-02-10T09:00:00Z"), &f, 0, NULL, &rc, &st, &r) != ERR_OK)
        fail_msg("region: %s", msgtext(&r.msg));
    req_form_release(&f);

    struct before b[5];
    before_of(P, "0180", T, &b[0]);
    before_of(P, "0114", T, &b[1]);
    before_of(P, "0138", T, &b[2]);
    before_of(P, "0139", T, &b[3]);
    before_of("tillganglighet-2026", "12", T, &b[4]);
    assert_int_equal(b[0].state, REQ_DRAFT);
    assert_int_equal(b[4].state, REQ_SUBMITTED);
    assert_true(b[4].plan[0] != '\0');

    /* the move, as an administrator */
    struct svc_actor admin = person("admin-move", PERM_ADMIN, "");
    struct req_move_report rep;
    long long a0 = audit_rows();
    assert_int_equal(req_move(s, &admin, T + 600, &rep, &r), ERR_OK);
    assert_int_equal(rep.cases, 5);
    assert_int_equal(rep.skipped, 0);
    assert_int_equal(rep.versions, 5); /* 0 + 2 + 1 + 1 + 1 */
    assert_int_equal(rep.decisions, 3);
    assert_int_equal(rep.files, 2);         /* E's plan on its draft and its version 1 */
    assert_int_equal(rep.keys, 2);          /* k114 and k114b */
    assert_int_equal(audit_rows(), a0 + 5); /* one record per moved case */
    struct audit_report ar;
    if (audit_verify(s, &ar) != ERR_OK)
        fail_msg("audit verify: %s", ar.msg);

    static const enum case_state want_state[5] = {CASE_DRAFT, CASE_DECIDED, CASE_DECIDED,
                                                  CASE_DECIDED, CASE_SUBMITTED};
    static const enum case_outcome want_outcome[5] = {
        CASE_OUTCOME_NONE, CASE_APPROVED, CASE_PARTLY_APPROVED, CASE_REJECTED, CASE_OUTCOME_NONE};
    static const char *const want_reasons[5] = {"", "", "Medlen räcker inte till allt",
                                                "Fel mottagare", ""};
    for (size_t i = 0; i < 5; i++) {
        struct case_view v;
        /* a draft is the party's own: the agency does not see it */
        const struct svc_actor *who = i == 0 ? &ombud : &handl;
        assert_int_equal(case_get(s, who, T + 700, k, b[i].case_no, &v, &r), ERR_OK);
        assert_string_equal(v.row.kind, "requisition");
        assert_int_equal(v.row.state, want_state[i]);
        assert_int_equal(v.row.outcome, want_outcome[i]);
        assert_int_equal(v.row.version, b[i].version);
        assert_int_equal(v.nversions, (size_t)b[i].version);
        if (b[i].latest) {
            char *text = NULL;
            assert_non_null(v.latest);
            assert_int_equal(case_canon(k, v.latest, &text), ERR_OK);
            assert_string_equal(text, b[i].latest);
            free(text);
        } else {
            assert_null(v.latest);
        }
        if (b[i].decision[0]) {
            assert_int_equal(v.ndecisions, 1);
            assert_string_equal(v.decisions[0].number, b[i].decision);
            assert_string_equal(v.decisions[0].reasons, want_reasons[i]);
            assert_string_equal(v.decisions[0].decided_by, "handl");
        } else {
            assert_int_equal(v.ndecisions, 0);
        }
        case_view_release(&v);
        free(b[i].latest);
        b[i].latest = NULL;
    }

    /* B's history, in order: submit, return (its message is gone with the
     * new submission), submit, decide */
    struct store_case_event *ev = NULL;
    size_t nev = 0;
    assert_int_equal(case_history(s, &handl, T + 700, k, b[1].case_no, &ev, &nev, &r), ERR_OK);
    assert_int_equal(nev, 4);
    assert_string_equal(ev[0].verb, "submit");
    assert_int_equal(ev[0].version, 1);
    assert_string_equal(ev[0].by, "ombud-114");
    assert_string_equal(ev[1].verb, "return");
    assert_string_equal(ev[1].by, "handl");
    assert_string_equal(ev[2].verb, "submit");
    assert_int_equal(ev[2].version, 2);
    assert_string_equal(ev[3].verb, "decide");
    assert_string_equal(ev[3].message, b[1].decision);
    free(ev);
    /* A's: its draft saved by the ombud (four eyes reads it) */
    assert_int_equal(case_history(s, &ombud, T + 700, k, b[0].case_no, &ev, &nev, &r), ERR_OK);
    assert_int_equal(nev, 1);
    assert_string_equal(ev[0].verb, "save");
    assert_string_equal(ev[0].by, "ombud-sthlm");
    free(ev);

    /* E's plan: the same bytes, on its version */
    struct case_view v;
    assert_int_equal(case_get(s, &reg, T + 700, k, b[4].case_no, &v, &r), ERR_OK);
    int found = 0;
    for (size_t i = 0; i < v.nfiles; i++) {
        if (v.files[i].version != 1)
            continue;
        found = 1;
        assert_string_equal(v.files[i].slot, "plan");
        assert_string_equal(v.files[i].name, "plan.pdf");
        assert_string_equal(v.files[i].sha256, b[4].plan);
        struct buf bytes;
        char type[80];
        buf_init(&bytes, 1 << 20);
        assert_int_equal(store_case_blob_get(s, b[4].plan, type, sizeof(type), &bytes), ERR_OK);
        assert_int_equal(bytes.len, sizeof(pdf) - 1);
        assert_memory_equal(bytes.p, pdf, sizeof(pdf) - 1);
        assert_string_equal(type, "application/pdf");
        buf_release(&bytes);
    }
    assert_true(found);
    case_view_release(&v);

    /* B's first key still gives the receipt of version 1 */
    struct store_case cs;
    struct store_case_version cv;
    json_t *content = NULL;
    assert_int_equal(store_case_get(s, b[1].case_no, &cs), ERR_OK);
    assert_int_equal(store_case_version_get(s, cs.id, 1, &cv), ERR_OK);
    assert_int_equal(case_content_parse(k, cv.content, &content), ERR_OK);
    store_case_version_release(&cv);
    struct case_receipt crc;
    struct case_status cst;
    assert_int_equal(
        case_submit(s, &o114, T + 800, k, b[1].case_no, -1, content, NULL, "k114", &crc, &cst, &r),
        ERR_OK);
    assert_true(crc.repeated);
    assert_int_equal(crc.version, 1);
    json_decref(content);

    /* numbering continues after the moved numbers */
    struct svc_actor o125 = person("ombud-125", PERM_OMBUD, "0125");
    assert_int_equal(case_open(s, &o125, T + 900, k, P, "0125", &cst, &r), ERR_OK);
    for (size_t i = 0; i < 5; i++)
        assert_true(strcmp(cst.number, b[i].case_no) > 0);

    /* again: nothing to move, nothing written */
    a0 = audit_rows();
    assert_int_equal(req_move(s, &admin, T + 1000, &rep, &r), ERR_OK);
    assert_int_equal(rep.cases, 0);
    assert_int_equal(rep.skipped, 5);
    assert_int_equal(audit_rows(), a0);
    if (audit_verify(s, &ar) != ERR_OK)
        fail_msg("audit verify: %s", ar.msg);
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
 * full, in part, rejected, a redistribution's supplementary decision),
 * moved by the operator's account as `bidrag migrate` will: its trail
 * verifies with its own key ring and checkpoints before and after; every
 * requisition is a case in the state it was (reqcase_req_state), with its
 * versions and its decisions under their numbers; the returned one keeps
 * its message and the draft saved after the return. */
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
    struct svc_actor op, hanna;
    assert_int_equal(svc_actor_cli(f, NULL, "", &op, &r), ERR_OK);
    assert_int_equal(svc_actor_cli(f, "hanna", "", &hanna, &r), ERR_OK);
    struct audit_report ar;
    if (audit_verify(f, &ar) != ERR_OK)
        fail_msg("audit verify before: %s", ar.msg);

    enum req_state was[7];
    int versions[7];
    size_t ndec[7];
    char dec[7][4][REQ_CASE_LEN];
    for (int i = 0; i < 7; i++) {
        char no[REQ_CASE_LEN];
        struct req_view v;
        snprintf(no, sizeof(no), "REK-2026-%06d", i + 1);
        assert_int_equal(req_open_case(f, &hanna, T, no, &v, &r), ERR_OK);
        was[i] = v.row.state;
        versions[i] = v.row.version;
        ndec[i] = v.ndecisions;
        assert_true(v.ndecisions <= 4);
        for (size_t j = 0; j < v.ndecisions; j++)
            SET(dec[i][j], v.decisions[j].number);
        req_view_release(&v);
    }

    struct req_move_report rep;
    assert_int_equal(req_move(f, &op, T, &rep, &r), ERR_OK);
    assert_int_equal(rep.cases, 7);
    if (audit_verify(f, &ar) != ERR_OK)
        fail_msg("audit verify after the move: %s", ar.msg);

    int supplementary = 0;
    for (int i = 0; i < 7; i++) {
        char no[REQ_CASE_LEN];
        struct store_case cs;
        struct store_case_decision *d = NULL;
        size_t nd = 0;
        snprintf(no, sizeof(no), "REK-2026-%06d", i + 1);
        assert_int_equal(store_case_get(f, no, &cs), ERR_OK);
        assert_string_equal(cs.kind, "requisition");
        assert_int_equal(reqcase_req_state(cs.state, cs.outcome), (int)was[i]);
        assert_int_equal(cs.version, versions[i]);
        assert_int_equal(store_case_decisions(f, cs.id, &d, &nd), ERR_OK);
        assert_int_equal(nd, ndec[i]);
        for (size_t j = 0; j < nd; j++) {
            assert_string_equal(d[j].number, dec[i][j]);
            if (!strcmp(d[j].kind, "supplementary")) {
                supplementary++;
                assert_true(d[j].run_id > 0);
            }
        }
        free(d);
        if (was[i] == REQ_RETURNED) { /* REK-6 */
            struct store_case_version draft;
            assert_string_equal(cs.message, "Beskriv insatsen närmare.");
            assert_int_equal(store_case_version_get(f, cs.id, 0, &draft), ERR_OK);
            assert_non_null(strstr(draft.content, "Fler handledare, två per enhet"));
            store_case_version_release(&draft);
        }
    }
    assert_int_equal(supplementary, 1); /* BES-2026-000005 of REK-7 */
    store_close(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_move_denied),
        cmocka_unit_test(test_move),
        cmocka_unit_test(test_move_fixture),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
