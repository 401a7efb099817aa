/* test_requisition.c - the requisition e-service at the service level on
 * a temporary database with the real reference data and programs: drafts,
 * submission, resubmission as a new version, idempotent repeat, conflict,
 * return, approve, reject, bulk approve, closed window, redistribution
 * (twice = no change, sums to the krona) and an intact audit trail. */
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
#include "util/money.h"
#include "core/perm.h"
#include "core/reqcase.h"
#include "io/pdfdoc.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/programs.h"
#include "service/refdata.h"
#include "service/requisition.h"
#include "service/reqdata.h"
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
    snprintf(dir, sizeof(dir), "/tmp/bidrag-test-req-%d", (int)getpid());
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

static int64_t max_of(const char *program, const char *code)
{
    struct req_view v;
    struct svc_result r;
    assert_int_equal(req_open(s, &handl, at("2026-04-15T10:00:00Z"), program, code, &v, &r),
                     ERR_OK);
    int64_t m = v.max_ore;
    req_view_release(&v);
    return m;
}

static void submit_ok(const char *code, int64_t amount, int64_t now, const char *key)
{
    /* the regions' ombud where an earlier test made one */
    const char *login = !strcmp(code, "01")   ? "ombud-reg"
                        : !strcmp(code, "03") ? "ombud-reg3"
                                              : key;
    struct svc_actor a = person(login, PERM_OMBUD, code);
    struct req_form f;
    struct req_receipt rc;
    struct svc_result r;
    fill(&f, code, amount);
    enum err e = req_submit(s, &a, now, &f, 0, key, &rc, &st, &r);
    if (e != ERR_OK)
        fprintf(stderr, "%s: %s\n", code, msgtext(&r.msg));
    assert_int_equal(e, ERR_OK);
    req_form_release(&f);
}

/* Bulk approval names what it approves: a requisition submitted (or one
 * changed) between the preview and the confirmation makes the confirmed
 * selection another one; nothing is approved and the new selection is
 * given to show; confirming that one approves exactly it, in one
 * transaction. */
static void test_bulk_selection_changed(void **state)
{
    (void)state;
    const int64_t T = at("2026-04-16T10:00:00Z");
    const char *P = "kompetens-2026";
    struct req_bulk_preview p0, p1, p2;
    struct svc_result r;
    struct req_row row;
    assert_int_equal(req_bulk_preview(s, &handl, T, P, &p0, &r), ERR_OK);
    submit_ok("0136", -1, T, "c1");
    submit_ok("0138", -1, T, "c2");
    assert_int_equal(req_bulk_preview(s, &handl, T, P, &p1, &r), ERR_OK);
    assert_int_equal(p1.n, p0.n + 2);
    assert_int_equal(p1.total_ore, p0.total_ore + max_of(P, "0136") + max_of(P, "0138"));
    assert_string_not_equal(p1.digest, p0.digest);
    /* another arrives before the officer confirms what p1 showed */
    submit_ok("0139", -1, T, "c3");
    long long a0 = audit_rows();
    assert_int_equal(req_bulk_approve(s, &handl, T, P, p1.digest, &p2, &r), ERR_CONFLICT);
    assert_int_equal(p2.n, p1.n + 1);
    /* the stale digest handed back inside the very struct the answer fills:
     * still a conflict (the service copies what was confirmed first) */
    struct req_bulk_preview alias = p1;
    alias.lines = NULL;
    assert_int_equal(req_bulk_approve(s, &handl, T, P, alias.digest, &alias, &r), ERR_CONFLICT);
    req_bulk_preview_release(&alias);
    assert_int_equal(audit_rows(), a0);
    assert_int_equal(reqdata_get(s, P, "0136", &row), ERR_OK);
    assert_int_equal(row.state, REQ_SUBMITTED);
    char digest[65];
    snprintf(digest, sizeof(digest), "%s", p2.digest);
    size_t n2 = p2.n;
    req_bulk_preview_release(&p2);
    assert_int_equal(req_bulk_approve(s, &handl, T, P, digest, &p2, &r), ERR_OK);
    assert_int_equal(p2.n, n2);
    assert_true(audit_rows() > a0);
    const char *codes[] = {"0136", "0138", "0139"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(reqdata_get(s, P, codes[i], &row), ERR_OK);
        assert_int_equal(row.state, REQ_APPROVED);
        assert_int_equal(row.approved_ore, max_of(P, codes[i]));
    }
    /* confirmed again: the selection is now empty, another one */
    req_bulk_preview_release(&p2);
    assert_int_equal(req_bulk_approve(s, &handl, T, P, digest, &p2, &r), ERR_CONFLICT);
    assert_int_equal(p2.n, 0);
    req_bulk_preview_release(&p2);
    req_bulk_preview_release(&p1);
    req_bulk_preview_release(&p0);
}

/* The service registers the requisition as a kind of case at start
 * (setup called req_service_init): the case engine finds it by its id,
 * and registering it again changes nothing. */
static void test_kind_registered(void **state)
{
    (void)state;
    assert_ptr_equal(case_kind_find("requisition"), reqcase_kind());
    size_t n = 0, found = 0;
    const struct case_kind *const *k = case_kinds(&n);
    for (size_t i = 0; i < n; i++)
        found += k[i] == reqcase_kind();
    assert_int_equal(found, 1);
    assert_int_equal(req_service_init(), ERR_OK);
    (void)case_kinds(&n);
    found = 0;
    for (size_t i = 0; i < n; i++)
        found += k[i] == reqcase_kind();
    assert_int_equal(found, 1);
}

static void test_walk(void **state)
{
    (void)state;
    const int64_t T = at("2026-04-15T10:00:00Z");
    struct req_view v;
    struct svc_result r;
    struct req_receipt rc;
    struct req_form f;

    /* nothing stored: the form proposes the maximum */
    assert_int_equal(req_open(s, &ombud, T, "kompetens-2026", "0180", &v, &r), ERR_OK);
    assert_int_equal(v.exists, 0);
    assert_true(v.max_ore > 0);
    assert_int_equal(v.form.amount_ore, v.max_ore);
    assert_true(v.may_submit);
    assert_int_equal(v.max_ore % 100, 0);
    int64_t max = v.max_ore;
    req_view_release(&v);

    /* no organisation reads another's; a granskare reads */
    assert_int_equal(req_open(s, &gbg, T, "kompetens-2026", "0180", &v, &r), ERR_DENIED);
    req_view_release(&v);
    assert_int_equal(req_open(s, &granskare, T, "kompetens-2026", "0180", &v, &r), ERR_OK);
    assert_false(v.may_review);
    req_view_release(&v);
    struct svc_actor analytiker = person("ana", PERM_ANALYTIKER, "");
    assert_int_equal(req_open(s, &analytiker, T, "kompetens-2026", "0180", &v, &r), ERR_DENIED);
    req_view_release(&v);
    assert_int_equal(req_open(s, &ombud, T, "nope-2026", "0180", &v, &r), ERR_NOTFOUND);
    req_view_release(&v);

    /* the uppgiftssamordnare saves a draft; incomplete is fine, with hints */
    req_form_init(&f);
    SET(f.program, "kompetens-2026");
    SET(f.recipient, "0180");
    snprintf(f.contact_name, sizeof(f.contact_name), "Åsa Öberg");
    assert_int_equal(req_save_draft(s, &samordnare, T, &f, 0, &st, &r), ERR_OK);
    assert_string_equal(st.case_no, "REK-2026-000001");
    assert_int_equal(st.state, REQ_DRAFT);
    assert_non_null(issue(&r.issues, "measures"));
    long long rev = st.revision;
    /* saving again on a stale revision conflicts */
    assert_int_equal(req_save_draft(s, &samordnare, T, &f, 0, &st, &r), ERR_CONFLICT);
    assert_non_null(strstr(msgtext(&r.msg), "ändrats"));
    /* the samordnare may not submit */
    assert_int_equal(req_submit(s, &samordnare, T, &f, rev, NULL, &rc, &st, &r), ERR_DENIED);
    assert_non_null(strstr(msgtext(&r.msg), "uppgiftssamordnare"));
    /* another organisation cannot write it */
    struct req_form g;
    fill(&g, "0180", -1);
    assert_int_equal(req_save_draft(s, &gbg, T, &g, rev, &st, &r), ERR_DENIED);
    req_form_release(&g);
    /* incomplete submission: per-field messages, nothing stored */
    long long a0 = audit_rows();
    assert_int_equal(req_submit(s, &ombud, T, &f, rev, "k0", &rc, &st, &r), ERR_INVALID);
    assert_non_null(issue(&r.issues, "measures"));
    assert_non_null(issue(&r.issues, "account"));
    assert_non_null(issue(&r.issues, "confirmed"));
    assert_int_equal(audit_rows(), a0);
    req_form_release(&f);

    /* a bad bankgiro is named */
    fill(&f, "0180", -1);
    snprintf(f.account, sizeof(f.account), "5050-1056");
    assert_int_equal(req_submit(s, &ombud, T, &f, rev, "k0", &rc, &st, &r), ERR_INVALID);
    assert_string_equal(issue(&r.issues, "account"),
                        "Kontrollsiffran stämmer inte för bankgironumret");
    req_form_release(&f);
    /* more than the maximum */
    fill(&f, "0180", max + 100);
    assert_int_equal(req_submit(s, &ombud, T, &f, rev, "k0", &rc, &st, &r), ERR_INVALID);
    assert_non_null(issue(&r.issues, "amount"));
    req_form_release(&f);

    /* complete: submitted as version 1 with a receipt */
    fill(&f, "0180", -1);
    assert_int_equal(req_submit(s, &ombud, T, &f, rev, "k1", &rc, &st, &r), ERR_OK);
    assert_string_equal(rc.case_no, "REK-2026-000001");
    assert_int_equal(rc.version, 1);
    assert_int_equal(rc.amount_ore, max);
    assert_string_equal(rc.diarienummer, "Regeringsbeslut 2026-01-22 nr II:5");
    assert_string_equal(rc.recipient_name, "Stockholms stad"); /* the official name */
    assert_string_equal(rc.at, "2026-04-15T10:00:00Z");
    assert_int_equal(rc.repeated, 0);
    assert_int_equal(st.state, REQ_SUBMITTED);
    long long a1 = audit_rows();
    /* the identical POST again: same receipt, nothing new */
    struct req_receipt rc2;
    assert_int_equal(req_submit(s, &ombud, T + 5, &f, rev, "k1", &rc2, &st, &r), ERR_OK);
    assert_int_equal(rc2.repeated, 1);
    assert_string_equal(rc2.case_no, rc.case_no);
    assert_int_equal(rc2.version, 1);
    assert_string_equal(rc2.at, rc.at);
    assert_int_equal(audit_rows(), a1);
    /* ... also when the repeat arrives after the window closed */
    assert_int_equal(
        req_submit(s, &ombud, at("2026-10-31T08:00:00Z"), &f, rev, "k1", &rc2, &st, &r), ERR_OK);
    assert_int_equal(rc2.repeated, 1);
    /* the same key for other content is refused */
    f.opt_in = 0;
    assert_int_equal(req_submit(s, &ombud, T + 5, &f, rev, "k1", &rc2, &st, &r), ERR_CONFLICT);
    f.opt_in = 1;
    /* submitted: no more saving */
    assert_int_equal(req_open(s, &ombud, T, "kompetens-2026", "0180", &v, &r), ERR_OK);
    rev = v.row.revision;
    assert_false(v.may_save);
    assert_int_equal(v.nversions, 1);
    req_view_release(&v);
    assert_int_equal(req_save_draft(s, &ombud, T, &f, rev, &st, &r), ERR_DENIED);
    /* the recipient cannot review */
    assert_int_equal(req_approve(s, &ombud, T, "REK-2026-000001", rev, -1, NULL, &st, &r),
                     ERR_DENIED);
    assert_int_equal(req_approve(s, &granskare, T, "REK-2026-000001", rev, -1, NULL, &st, &r),
                     ERR_DENIED);

    /* returned for completion */
    assert_int_equal(req_return(s, &handl, T, "REK-2026-000001", rev, "", &st, &r), ERR_INVALID);
    assert_int_equal(req_return(s, &handl, T + 60, "REK-2026-000001", rev,
                                "Beskriv insatserna mer utförligt.", &st, &r),
                     ERR_OK);
    assert_int_equal(st.state, REQ_RETURNED);
    rev = st.revision;

    /* two representatives submit at once on the same revision: one wins */
    struct req_form f1, f2;
    fill(&f1, "0180", max - 100000);
    snprintf(f1.contact_phone, sizeof(f1.contact_phone), "08-111 222 33");
    fill(&f2, "0180", max);
    snprintf(f2.contact_name, sizeof(f2.contact_name), "Bo Ek");
    assert_int_equal(req_submit(s, &rep1, T + 120, &f1, rev, "k2", &rc, &st, &r), ERR_OK);
    assert_int_equal(rc.version, 2);
    assert_int_equal(req_submit(s, &rep2, T + 120, &f2, rev, "k3", &rc2, &st, &r), ERR_CONFLICT);
    assert_non_null(strstr(msgtext(&r.msg), "rep1-sthlm"));
    assert_int_equal(req_open(s, &handl, T, "kompetens-2026", "0180", &v, &r), ERR_OK);
    assert_int_equal(v.row.version, 2);
    assert_int_equal(v.latest.amount_ore, max - 100000);
    assert_string_equal(v.latest.contact_name, "Åsa Öberg");
    assert_true(v.may_review);
    rev = v.row.revision;
    req_view_release(&v);
    req_form_release(&f1);
    req_form_release(&f2);

    /* what changed between version 1 and 2 */
    char fields[16][32];
    size_t nf = 0;
    assert_int_equal(req_version_diff(s, &handl, T, "REK-2026-000001", 1, 2, fields, 16, &nf, &r),
                     ERR_OK);
    assert_int_equal(nf, 2);
    assert_string_equal(fields[0], "amount");
    assert_string_equal(fields[1], "contact_phone");
    assert_int_equal(req_version_diff(s, &gbg, T, "REK-2026-000001", 1, 2, fields, 16, &nf, &r),
                     ERR_NOTFOUND);
    assert_int_equal(req_open_case(s, &gbg, T, "REK-2026-000001", &v, &r), ERR_NOTFOUND);
    req_view_release(&v);

    /* approve: not above the maximum; on the right revision */
    assert_int_equal(req_approve(s, &handl, T, "REK-2026-000001", rev, max + 100, NULL, &st, &r),
                     ERR_INVALID);
    assert_int_equal(req_approve(s, &handl, T, "REK-2026-000001", rev - 1, -1, NULL, &st, &r),
                     ERR_CONFLICT);
    assert_int_equal(req_approve(s, &handl, T + 180, "REK-2026-000001", rev, -1, NULL, &st, &r),
                     ERR_OK);
    assert_int_equal(st.state, REQ_APPROVED);
    assert_non_null(strstr(msgtext(&r.msg), "BES-2026-000001"));
    assert_int_equal(req_approve(s, &handl, T, "REK-2026-000001", st.revision, -1, NULL, &st, &r),
                     ERR_DENIED);
    req_form_release(&f);

    /* Göteborg submits; rejected with a reason */
    fill(&f, "1480", -1);
    assert_int_equal(req_submit(s, &gbg, T, &f, 0, "g1", &rc, &st, &r), ERR_OK);
    req_form_release(&f);
    assert_int_equal(req_reject(s, &handl, T, rc.case_no, st.revision, "  ", &st, &r), ERR_INVALID);
    assert_int_equal(req_open_case(s, &handl, T, rc.case_no, &v, &r), ERR_OK);
    rev = v.row.revision;
    req_view_release(&v);
    assert_int_equal(req_reject(s, &handl, T + 200, rc.case_no, rev,
                                "Rekvisitionen avser inte statsbidragets syfte.", &st, &r),
                     ERR_OK);
    assert_int_equal(st.state, REQ_REJECTED);

    /* bulk: three at the maximum are approved, one below stays */
    submit_ok("0114", -1, T, "b1");
    submit_ok("0115", -1, T, "b2");
    submit_ok("0117", -1, T, "b3");
    submit_ok("0120", max_of("kompetens-2026", "0120") - 50000, T, "b4");
    struct req_bulk_preview pre;
    assert_int_equal(req_bulk_preview(s, &ombud, T, "kompetens-2026", &pre, &r), ERR_DENIED);
    req_bulk_preview_release(&pre);
    assert_int_equal(req_bulk_approve(s, &ombud, T, "kompetens-2026", "x", &pre, &r), ERR_DENIED);
    req_bulk_preview_release(&pre);
    {
        /* the preview names each one and the total, and writes nothing */
        long long b0 = audit_rows();
        int64_t want = max_of("kompetens-2026", "0114") + max_of("kompetens-2026", "0115") +
                       max_of("kompetens-2026", "0117");
        char q[200], tot[64];
        assert_int_equal(req_bulk_preview(s, &handl, T + 300, "kompetens-2026", &pre, &r), ERR_OK);
        assert_int_equal(pre.n, 3);
        assert_int_equal(pre.left, 1);
        assert_int_equal(pre.total_ore, want);
        assert_string_equal(pre.lines[0].recipient, "0114");
        assert_string_equal(pre.lines[0].name, "Upplands Väsby kommun"); /* official */
        assert_int_equal(pre.lines[0].amount_ore, max_of("kompetens-2026", "0114"));
        assert_string_equal(pre.lines[2].recipient, "0117");
        money_fmt_ore(tot, sizeof(tot), want);
        snprintf(q, sizeof(q), "Bevilja 3 rekvisitioner, totalt %s?", tot);
        assert_string_equal(msgtext(&pre.question), q);
        assert_int_equal(audit_rows(), b0);
        struct req_row row;
        assert_int_equal(reqdata_get(s, "kompetens-2026", "0114", &row), ERR_OK);
        assert_int_equal(row.state, REQ_SUBMITTED);
        /* a confirmation that names another selection approves nothing */
        struct req_bulk_preview again;
        assert_int_equal(req_bulk_approve(s, &handl, T + 300, "kompetens-2026",
                                          "0000000000000000000000000000000000000000000000000000000"
                                          "000000000",
                                          &again, &r),
                         ERR_CONFLICT);
        assert_non_null(strstr(msgtext(&r.msg), "Urvalet har ändrats"));
        assert_int_equal(again.n, 3); /* the selection to show instead */
        assert_string_equal(again.digest, pre.digest);
        req_bulk_preview_release(&again);
        assert_int_equal(audit_rows(), b0);
        assert_int_equal(reqdata_get(s, "kompetens-2026", "0114", &row), ERR_OK);
        assert_int_equal(row.state, REQ_SUBMITTED);
    }
    char shown[sizeof(pre.digest)];
    snprintf(shown, sizeof(shown), "%s", pre.digest);
    req_bulk_preview_release(&pre);
    assert_int_equal(req_bulk_approve(s, &handl, T + 300, "kompetens-2026", shown, &pre, &r),
                     ERR_OK);
    assert_int_equal(pre.n, 3);
    assert_int_equal(pre.left, 1);
    req_bulk_preview_release(&pre);

    /* a region submits too (blocks 2 and 3), opting out of redistribution */
    struct svc_actor reg = person("ombud-reg", PERM_OMBUD, "01");
    fill(&f, "01", -1);
    f.opt_in = 0;
    assert_int_equal(req_submit(s, &reg, T, &f, 0, "r1", &rc, &st, &r), ERR_OK);
    req_form_release(&f);
    assert_int_equal(req_approve(s, &handl, T, rc.case_no, st.revision, -1, NULL, &st, &r), ERR_OK);
    struct svc_actor reg3 = person("ombud-reg3", PERM_OMBUD, "03");
    fill(&f, "03", max_of("kompetens-2026", "03") / 2 / 100 * 100);
    assert_int_equal(req_submit(s, &reg3, T, &f, 0, "r3", &rc, &st, &r), ERR_OK);
    req_form_release(&f);
    assert_int_equal(req_approve(s, &handl, T, rc.case_no, st.revision, -1, NULL, &st, &r), ERR_OK);

    /* after the window: a clear refusal and nothing stored */
    struct svc_actor late = person("ombud-late", PERM_OMBUD, "0125");
    fill(&f, "0125", -1);
    a0 = audit_rows();
    assert_int_equal(req_submit(s, &late, at("2026-11-01T10:00:00Z"), &f, 0, "late", &rc, &st, &r),
                     ERR_DENIED);
    assert_non_null(strstr(msgtext(&r.msg), "stängde 30 oktober 2026"));
    struct req_row row;
    assert_int_equal(reqdata_get(s, "kompetens-2026", "0125", &row), ERR_NOTFOUND);
    assert_int_equal(audit_rows(), a0);
    /* ... and nothing to save for either (issue 11): the page offers no
     * form, the service refuses a draft */
    struct req_view lv;
    assert_int_equal(
        req_open(s, &late, at("2026-11-01T10:00:00Z"), "kompetens-2026", "0125", &lv, &r), ERR_OK);
    assert_false(lv.window_open);
    assert_false(lv.may_save);
    assert_false(lv.may_submit);
    req_view_release(&lv);
    assert_int_equal(req_save_draft(s, &late, at("2026-11-01T10:00:00Z"), &f, 0, &st, &r),
                     ERR_DENIED);
    assert_non_null(strstr(msgtext(&r.msg), "stängde 30 oktober 2026"));
    assert_int_equal(reqdata_get(s, "kompetens-2026", "0125", &row), ERR_NOTFOUND);
    assert_int_equal(audit_rows(), a0);
    /* before it opens, likewise for a submission; a draft may be prepared */
    assert_int_equal(req_submit(s, &late, at("2026-03-01T10:00:00Z"), &f, 0, "early", &rc, &st, &r),
                     ERR_DENIED);
    assert_non_null(strstr(msgtext(&r.msg), "öppnar 2 mars 2026"));
    assert_int_equal(
        req_open(s, &late, at("2026-03-01T10:00:00Z"), "kompetens-2026", "0125", &lv, &r), ERR_OK);
    assert_false(lv.window_open);
    assert_true(lv.may_save);
    assert_false(lv.may_submit);
    req_view_release(&lv);
    /* the last day is still a day to save on */
    assert_int_equal(
        req_open(s, &late, at("2026-10-30T21:30:00Z"), "kompetens-2026", "0125", &lv, &r), ERR_OK);
    assert_true(lv.may_save);
    assert_true(lv.may_submit);
    req_view_release(&lv);
    /* the last day counts (Stockholm time: 23:30 local is 22:30 UTC) */
    assert_int_equal(req_submit(s, &late, at("2026-10-30T21:30:00Z"), &f, 0, "last", &rc, &st, &r),
                     ERR_OK);
    req_form_release(&f);

    /* redistribution: the kompetens decision fixes each amount and provides
     * none, so it is refused at any date; nothing is written */
    struct req_redist_report rep;
    long long a_before = audit_rows();
    assert_int_equal(req_redistribute(s, &handl, at("2026-11-03T10:00:00Z"), "kompetens-2026", "",
                                      &rep, NULL, &r),
                     ERR_DENIED);
    assert_non_null(strstr(msgtext(&r.msg), "medger ingen omfördelning"));
    assert_int_equal(audit_rows(), a_before);
    struct req_queue q;
    struct req_filter qf = {"kompetens-2026", REQ_SUBMITTED, NULL, 0, 0};
    assert_int_equal(req_queue_list(s, &handl, T, &qf, &q, &r), ERR_OK);
    assert_int_equal(q.n, 2); /* 0120 and 0125 */
    assert_int_equal(q.counts[REQ_APPROVED], 6);
    assert_int_equal(q.counts[REQ_REJECTED], 1);
    /* granting less than requested needs reasons (förvaltningslagen 32 §):
     * refused without, next to the field, nothing written */
    a0 = audit_rows();
    assert_int_equal(req_approve(s, &handl, T, q.rows[0].case_no, q.rows[0].revision,
                                 q.rows[0].requested_ore - 100000, " \n", &st, &r),
                     ERR_INVALID);
    assert_non_null(issue(&r.issues, "reasons"));
    assert_non_null(strstr(msgtext(&r.msg), "32 §"));
    assert_int_equal(audit_rows(), a0);
    for (size_t i = 0; i < q.n; i++)
        assert_int_equal(
            req_approve(s, &handl, T, q.rows[i].case_no, q.rows[i].revision, -1, NULL, &st, &r),
            ERR_OK);
    /* a grant in full keeps no reasons */
    assert_int_equal(req_open_case(s, &handl, T, q.rows[0].case_no, &v, &r), ERR_OK);
    assert_string_equal(v.row.message, "");
    req_view_release(&v);
    req_queue_release(&q);
    /* a recipient's queue holds its own only */
    struct req_filter all = {"kompetens-2026", -1, NULL, 0, 0};
    assert_int_equal(req_queue_list(s, &gbg, T, &all, &q, &r), ERR_OK);
    assert_int_equal(q.n, 1);
    assert_string_equal(q.rows[0].recipient, "1480");
    req_queue_release(&q);

    /* what was not requisitioned stays unpaid: no supplementary decision */
    struct req_decision_row *dec = NULL;
    size_t nd = 0;
    assert_int_equal(reqdata_decisions(s, "kompetens-2026", 0, &dec, &nd), ERR_OK);
    for (size_t i = 0; i < nd; i++)
        assert_string_not_equal(dec[i].kind, "supplementary");
    free(dec);

    /* documents: the receipt and the decisions as PDF, for their readers only */
    struct buf pdf;
    buf_init(&pdf, PDFDOC_MAX_BYTES);
    assert_int_equal(req_receipt_pdf(s, &ombud, T, "REK-2026-000001", 2, &pdf, &r), ERR_OK);
    assert_memory_equal(pdf.p, "%PDF-", 5);
    buf_reset(&pdf);
    assert_int_equal(req_receipt_pdf(s, &gbg, T, "REK-2026-000001", 2, &pdf, &r), ERR_NOTFOUND);
    assert_int_equal(req_receipt_pdf(s, &ombud, T, "REK-2026-000001", 9, &pdf, &r), ERR_NOTFOUND);
    assert_int_equal(req_decisions_list(s, &ombud, T, "REK-2026-000001", &dec, &nd, &r), ERR_OK);
    assert_true(nd >= 1);
    assert_string_equal(dec[0].kind, "original");
    for (size_t i = 0; i < nd; i++) {
        buf_reset(&pdf);
        assert_int_equal(req_decision_pdf(s, &ombud, T, dec[i].number, &pdf, &r), ERR_OK);
        assert_memory_equal(pdf.p, "%PDF-", 5);
        assert_int_equal(req_decision_pdf(s, &gbg, T, dec[i].number, &pdf, &r), ERR_NOTFOUND);
    }
    free(dec);
    buf_reset(&pdf);
    assert_int_equal(req_decision_pdf(s, &handl, T, "BES-2026-000002", &pdf, &r), ERR_OK);
    buf_release(&pdf);

    struct audit_report ar;
    if (audit_verify(s, &ar) != ERR_OK)
        fail_msg("audit verify: %s", ar.msg);
}

/* A production plan may come with the requisition ("kan komma att begäras
 * in": not required); its type is checked by its bytes. */
static void test_production_plan(void **state)
{
    (void)state;
    const int64_t T = at("2026-02-10T09:00:00Z");
    struct svc_actor reg = person("ombud-vg", PERM_OMBUD, "14");
    struct req_form f;
    struct req_receipt rc;
    struct svc_result r;
    req_form_init(&f);
    SET(f.program, "tillganglighet-2026");
    SET(f.recipient, "14");
    assert_int_equal(req_measure_add(&f, "vardkapacitet", "Fler operationer kvällstid", 100), 0);
    SET(f.contact_name, "Per Åkesson");
    SET(f.contact_email, "per@vgregion.example");
    SET(f.contact_phone, "+46 10 441 00 00");
    SET(f.account_kind, "iban");
    SET(f.account, "se45 5000 0000 0583 9825 7466");
    f.confirmed = 1;
    static const unsigned char png[] = "\x89PNG\r\n\x1a\nxxxx";
    f.plan_data = png;
    f.plan_len = sizeof(png) - 1;
    SET(f.plan.name, "plan.png");
    assert_int_equal(req_submit(s, &reg, T, &f, 0, NULL, &rc, &st, &r), ERR_INVALID);
    assert_string_equal(issue(&r.issues, "plan"),
                        "Produktionsplanen ska vara en PDF- eller Excelfil (xlsx)");
    static const unsigned char pdf[] = "%PDF-1.7\n% produktionsplan\n%%EOF\n";
    f.plan_data = pdf;
    f.plan_len = sizeof(pdf) - 1;
    SET(f.plan.name, "produktionsplan.pdf");
    assert_int_equal(req_submit(s, &reg, T, &f, 0, NULL, &rc, &st, &r), ERR_OK);
    assert_int_equal(rc.version, 1);
    struct buf b;
    char type[80];
    buf_init(&b, 1 << 20);
    assert_int_equal(req_plan_fetch(s, &reg, T, rc.case_no, 1, type, sizeof(type), &b, &r), ERR_OK);
    assert_string_equal(type, "application/pdf");
    assert_int_equal(b.len, sizeof(pdf) - 1);
    assert_memory_equal(b.p, pdf, b.len);
    struct svc_actor other = person("ombud-sk", PERM_OMBUD, "12");
    assert_int_equal(req_plan_fetch(s, &other, T, rc.case_no, 1, type, sizeof(type), &b, &r),
                     ERR_NOTFOUND);
    buf_release(&b);
    req_form_release(&f);
    /* the receipt again, for the page after the POST */
    struct req_receipt again;
    assert_int_equal(req_receipt_get(s, &reg, T, rc.case_no, 1, &again, &r), ERR_OK);
    assert_string_equal(again.case_no, rc.case_no);
    assert_string_equal(again.at, rc.at);
    assert_int_equal(again.amount_ore, rc.amount_ore);
    assert_string_equal(again.diarienummer, "Förordning (2024:1252), bidragsår 2026");
    assert_int_equal(req_receipt_get(s, &other, T, rc.case_no, 1, &again, &r), ERR_NOTFOUND);
    /* what the region may requisition: both programs, its case in one */
    struct req_overview ov;
    assert_int_equal(req_overview_get(s, &reg, T, &ov, &r), ERR_OK);
    assert_int_equal(ov.n, 2);
    size_t found = 0;
    for (size_t i = 0; i < ov.n; i++) {
        assert_string_equal(ov.items[i].recipient, "14");
        assert_true(ov.items[i].max_ore > 0);
        if (strcmp(ov.items[i].program, "tillganglighet-2026") == 0) {
            found++;
            assert_true(ov.items[i].has_req);
            assert_int_equal(ov.items[i].state, REQ_SUBMITTED);
            assert_true(ov.items[i].window_open);
        } else {
            assert_false(ov.items[i].window_open); /* kompetens opens 2 March */
        }
    }
    assert_int_equal(found, 1);
    req_overview_release(&ov);
    assert_int_equal(req_overview_get(s, &handl, T, &ov, &r), ERR_DENIED);
    /* Gotland acts as one organisation for kommun 0980 and region 09 */
    struct req_view v;
    struct svc_actor gotland = person("ombud-gotland", PERM_OMBUD, "0980");
    assert_int_equal(req_open(s, &gotland, T, "tillganglighet-2026", "09", &v, &r), ERR_OK);
    assert_true(v.may_submit);
    req_view_release(&v);
    assert_int_equal(req_overview_get(s, &gotland, T, &ov, &r), ERR_OK);
    assert_int_equal(ov.n, 3); /* kommun in kompetens, region in both */
    req_overview_release(&ov);
    struct audit_report ar;
    if (audit_verify(s, &ar) != ERR_OK)
        fail_msg("audit verify: %s", ar.msg);
}

/* A submission of tillganglighet-2026 at the region's maximum. */
static void submit_region(const char *code, int64_t now)
{
    static const unsigned char pdf[] = "%PDF-1.7\n% plan\n%%EOF\n";
    /* 12 has its ombud (ombud-sk) already: a representant submits */
    struct svc_actor a = person("rep-r", PERM_REPRESENTANT, code);
    struct req_form f;
    struct req_receipt rc;
    struct svc_result r;
    req_form_init(&f);
    SET(f.program, "tillganglighet-2026");
    SET(f.recipient, code);
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
    assert_int_equal(req_submit(s, &a, now, &f, 0, NULL, &rc, &st, &r), ERR_OK);
    req_form_release(&f);
}

static size_t decisions(void)
{
    struct req_decision_row *d = NULL;
    size_t n = 0;
    assert_int_equal(reqdata_decisions(s, NULL, 0, &d, &n), ERR_OK);
    free(d);
    return n;
}

/* Preview, then approve the previewed selection: *ok approved. */
static enum err bulk_ok(int64_t now, const char *program, size_t *ok)
{
    struct req_bulk_preview pre;
    struct svc_result r;
    *ok = 0;
    enum err e = req_bulk_preview(s, &handl, now, program, &pre, &r);
    char digest[65];
    snprintf(digest, sizeof(digest), "%s", pre.digest);
    req_bulk_preview_release(&pre);
    if (e != ERR_OK)
        return e;
    e = req_bulk_approve(s, &handl, now, program, digest, &pre, &r);
    if (e == ERR_OK)
        *ok = pre.n;
    req_bulk_preview_release(&pre);
    return e;
}

/* Bulk approval is all or nothing, and a failing approval inside it ends
 * only its own savepoint: the caller's transaction stays open (it used to
 * be rolled back with it, and the bulk approval relied on that). The
 * failure is a decision number taken already. */
static void test_bulk_approve_all_or_nothing(void **state)
{
    (void)state;
    const int64_t T = at("2026-02-10T09:00:00Z");
    struct store_case_decision fake;
    struct req_row row;
    struct svc_result r;
    size_t ok = 9;
    submit_region("12", T);
    submit_region("13", T);
    size_t d0 = decisions(); /* BES-2026-000001 .. d0, no gaps */
    assert_int_equal(reqdata_get(s, "tillganglighet-2026", "12", &row), ERR_OK);
    memset(&fake, 0, sizeof(fake));
    snprintf(fake.number, sizeof(fake.number), "BES-2026-%06zu", d0 + 2);
    fake.case_id = row.id;
    fake.run_id = -1;
    SET(fake.kind, "approved");
    SET(fake.decided_on, "2026-02-10");
    SET(fake.decided_at, "2026-02-10T09:00:00Z");
    SET(fake.decided_by, "test");

    /* inside the caller's transaction: the second approval's number is
     * taken; the bulk approval undoes itself, the caller's level stays */
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_case_decision_add(s, &fake), ERR_OK);
    assert_int_not_equal(bulk_ok(T, "tillganglighet-2026", &ok), ERR_OK);
    assert_int_equal(ok, 0);
    assert_int_equal(store_depth(s), 1);
    assert_int_equal(decisions(), d0 + 1); /* the fake one only */
    assert_int_equal(reqdata_get(s, "tillganglighet-2026", "12", &row), ERR_OK);
    assert_int_equal(row.state, REQ_SUBMITTED);
    assert_int_equal(reqdata_get(s, "tillganglighet-2026", "13", &row), ERR_OK);
    assert_int_equal(row.state, REQ_SUBMITTED);
    store_rollback(s);
    assert_int_equal(store_depth(s), 0);
    assert_int_equal(decisions(), d0);

    /* on its own, with the number taken for good: nothing approved,
     * no transaction left open */
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_case_decision_add(s, &fake), ERR_OK);
    assert_int_equal(store_commit(s), ERR_OK);
    assert_int_equal(bulk_ok(T, "tillganglighet-2026", &ok), ERR_CONFLICT);
    assert_int_equal(ok, 0);
    assert_int_equal(store_depth(s), 0);
    assert_int_equal(decisions(), d0 + 1);
    assert_int_equal(reqdata_get(s, "tillganglighet-2026", "13", &row), ERR_OK);
    assert_int_equal(row.state, REQ_SUBMITTED);
    /* the number drawn by the undone approvals was given back: the next
     * decision is the one after the last kept */
    char next[REQ_CASE_LEN];
    snprintf(next, sizeof(next), "BES-2026-%06zu", d0 + 1);
    assert_int_equal(reqdata_get(s, "tillganglighet-2026", "13", &row), ERR_OK);
    assert_int_equal(req_approve(s, &handl, T, row.case_no, row.revision, -1, NULL, &st, &r),
                     ERR_OK);
    assert_non_null(strstr(msgtext(&r.msg), next));
    /* the chain holds; the one thing wrong is the fake decision, added
     * behind the trail, which the check of the rows names */
    struct audit_report ar;
    char want[200];
    assert_int_equal(reqdata_get(s, "tillganglighet-2026", "12", &row), ERR_OK);
    /* the requisition is a case: its entity, and its decisions' table */
    snprintf(want, sizeof(want), "case '%s': table 'decisions' differs", row.case_no);
    assert_int_equal(audit_verify(s, &ar), ERR_INVALID);
    assert_int_equal(ar.problems, 1);
    assert_non_null(strstr(ar.msg, want));
}

/* The plan file the draft of region 20 in tillganglighet-2026 names. */
static void draft_plan(char sha[65])
{
    struct req_view v;
    struct svc_result r;
    struct svc_actor reg = person("ombud-w", PERM_OMBUD, "20");
    assert_int_equal(
        req_open(s, &reg, at("2026-02-10T09:00:00Z"), "tillganglighet-2026", "20", &v, &r), ERR_OK);
    snprintf(sha, 65, "%s", v.form.plan.sha256);
    req_view_release(&v);
}

static int plan_kept(const char *sha)
{
    struct buf b;
    char type[80];
    buf_init(&b, (size_t)16 << 20);
    enum err e = store_case_blob_get(s, sha, type, sizeof(type), &b);
    buf_release(&b);
    return e == ERR_OK;
}

/* Plan files do not pile up: the file a draft no longer names goes
 * (unless a submitted version names it), a program that asks for no plan
 * takes none, and one organisation's files are capped. */
static void test_plan_files_kept_in_check(void **state)
{
    (void)state;
    const int64_t T = at("2026-02-10T09:00:00Z");
    const size_t size = (size_t)9 << 20;
    struct svc_actor reg = person("ombud-w", PERM_OMBUD, "20");
    struct req_form f;
    struct svc_result r;
    struct req_receipt rc;
    char first[65], last[65], sha[65];
    unsigned char *plan = malloc(size);
    assert_non_null(plan);
    memset(plan, 'x', size);
    memcpy(plan, "%PDF-1.7\n", 9);
    req_form_init(&f);
    SET(f.program, "tillganglighet-2026");
    SET(f.recipient, "20");
    assert_int_equal(req_measure_add(&f, "vardkapacitet", "Fler operationer kvällstid", 100), 0);
    SET(f.contact_name, "Dag Dalman");
    SET(f.contact_email, "dag@dalarna.example");
    SET(f.contact_phone, "023-49 00 00");
    SET(f.account_kind, "bankgiro");
    SET(f.account, "5050-1055");
    f.confirmed = 1;
    f.plan_data = plan;
    f.plan_len = size;
    SET(f.plan.name, "plan.pdf");
    /* ten draft saves of a 9 MiB plan keep one file, not ten */
    long long rev = 0;
    int64_t used = 0;
    for (int i = 0; i < 10; i++) {
        plan[100] = (unsigned char)('a' + i);
        assert_int_equal(req_save_draft(s, &reg, T + i, &f, rev, &st, &r), ERR_OK);
        rev = st.revision;
        draft_plan(i == 0 ? first : last);
    }
    assert_false(plan_kept(first));
    assert_true(plan_kept(last));
    assert_int_equal(store_case_usage(s, "20", &used), ERR_OK);
    assert_int_equal(used, (int64_t)size);
    /* a submitted version keeps its file when the draft moves on */
    f.plan_data = NULL;
    draft_plan(sha);
    SET(f.plan.sha256, sha);
    assert_int_equal(req_submit(s, &reg, T + 20, &f, rev, NULL, &rc, &st, &r), ERR_OK);
    rev = st.revision;
    assert_true(plan_kept(last));
    /* returned and submitted again with new plans, until the cap: 50 MiB
     * of plan files per organisation */
    enum err e = ERR_OK;
    int versions = 1;
    for (int i = 0; i < 8 && e == ERR_OK; i++) {
        assert_int_equal(
            req_return(s, &handl, T + 30 + i, rc.case_no, rev, "Ny plan, tack.", &st, &r), ERR_OK);
        rev = st.revision;
        plan[100] = (unsigned char)('A' + i);
        f.plan_data = plan;
        e = req_submit(s, &reg, T + 40 + i, &f, rev, NULL, &rc, &st, &r);
        if (e == ERR_OK) {
            rev = st.revision;
            versions++;
        }
    }
    assert_int_equal(e, ERR_INVALID);
    assert_int_equal(versions, (int)(REQ_PLAN_ORG_MAX_BYTES / (int64_t)size));
    assert_non_null(issue(&r.issues, "plan"));
    assert_int_equal(store_case_usage(s, "20", &used), ERR_OK);
    assert_true(used <= REQ_PLAN_ORG_MAX_BYTES);
    assert_true(plan_kept(last)); /* what was submitted stays */
    /* a program that asks for no production plan takes none */
    struct req_form k;
    fill(&k, "0180", 100000);
    k.plan_data = plan;
    k.plan_len = 1000;
    assert_int_equal(req_save_draft(s, &ombud, T, &k, -1, &st, &r), ERR_INVALID);
    assert_string_equal(issue(&r.issues, "plan"),
                        "Statsbidraget kräver ingen produktionsplan, så filen tas inte emot");
    req_form_release(&k);
    req_form_release(&f);
    free(plan);
    struct audit_report ar;
    if (audit_verify(s, &ar) != ERR_OK)
        fail_msg("audit verify: %s", ar.msg);
}

/* Redistribution as the accessibility grant's decision provides it (issue
 * 11's measured cases): only recipients approved for their full amount
 * that opted in take part, each capped at what it said it can use; a
 * region that requisitioned 1 kr, one whose amount the officer reduced
 * and one that opted out get nothing; the pot is what was not approved.
 * The expected amounts are worked out here from the maxima, not by the
 * engine. */
static void submit_tg(const char *code, int64_t amount_ore, int opt_in, int64_t cap_ore,
                      int64_t now)
{
    char key[32];
    snprintf(key, sizeof(key), "tg-%s", code);
    /* the regions' ombud where an earlier test made one */
    const char *login = !strcmp(code, "01")   ? "ombud-reg"
                        : !strcmp(code, "03") ? "ombud-reg3"
                                              : key;
    struct svc_actor a = person(login, PERM_OMBUD, code);
    struct req_form f;
    struct req_receipt rc;
    struct svc_result r;
    fill(&f, code, amount_ore);
    SET(f.program, "tillganglighet-2026");
    for (size_t i = 0; i < f.nmeasures; i++)
        SET(f.measures[i].purpose, "tillganglighet");
    f.opt_in = opt_in;
    f.extra_cap_ore = cap_ore;
    enum err e = req_submit(s, &a, now, &f, 0, key, &rc, &st, &r);
    if (e != ERR_OK)
        fail_msg("%s: %s", code, msgtext(&r.msg));
    req_form_release(&f);
}

static void approve_tg(int64_t amount_ore, int64_t now)
{
    struct svc_result r;
    struct req_status was = st;
    /* an officer's reduction states its reasons */
    const char *why = amount_ore >= 0 ? "Insatserna ryms inte i bidragets syfte." : NULL;
    enum err e = req_approve(s, &handl, now, was.case_no, was.revision, amount_ore, why, &st, &r);
    if (e != ERR_OK)
        fail_msg("approve %s (%d): %s %s", was.case_no, (int)e, msgtext(&r.msg), store_errmsg(s));
}

static void test_redistribution_rules(void **state)
{
    (void)state;
    const char *P = "tillganglighet-2026";
    const int64_t T = at("2026-02-02T10:00:00Z");
    const int64_t KR = 100;
    int64_t m01 = max_of(P, "01"), m03 = max_of(P, "03"), m05 = max_of(P, "05");
    int64_t m06 = max_of(P, "06"), m07 = max_of(P, "07");
    /* the form reads "how much more": an amount, or empty = as much as possible */
    struct req_form f;
    req_form_init(&f);
    assert_int_equal(f.extra_cap_ore, REQ_EXTRA_ANY);
    assert_int_equal(req_form_set(&f, "extra_cap", "1 000 000 kr", NULL), ERR_OK);
    assert_int_equal(f.extra_cap_ore, 1000000 * KR);
    assert_int_equal(req_form_set(&f, "extra_cap", "", NULL), ERR_OK);
    assert_int_equal(f.extra_cap_ore, REQ_EXTRA_ANY);
    assert_int_equal(req_form_set(&f, "extra_cap", "-5", NULL), ERR_PARSE);
    req_form_release(&f);

    submit_tg("01", m01, 1, REQ_EXTRA_ANY, T); /* full, as much as possible */
    approve_tg(-1, T);
    submit_tg("03", m03, 1, 1000000 * KR, T); /* full, can use 1 000 000 kr more */
    approve_tg(-1, T);
    submit_tg("04", 1 * KR, 1, REQ_EXTRA_ANY, T); /* 1 kr and opted in */
    approve_tg(-1, T);
    submit_tg("05", m05, 1, REQ_EXTRA_ANY, T); /* reduced by the officer */
    approve_tg(m05 - 29432203 * KR, T);
    {
        /* its reasons are kept with it, for the decision letter */
        struct req_view v5;
        struct svc_result r5;
        assert_int_equal(req_open_case(s, &handl, T, st.case_no, &v5, &r5), ERR_OK);
        assert_string_equal(v5.row.message, "Insatserna ryms inte i bidragets syfte.");
        req_view_release(&v5);
    }
    submit_tg("06", m06, 0, REQ_EXTRA_ANY, T); /* opted out */
    approve_tg(-1, T);
    submit_tg("07", m07, 1, 0, T); /* opted in, can use nothing more */
    approve_tg(-1, T);
    /* an earlier test's requisition (region 14, no opt-in) waits: decide it */
    struct req_queue q;
    struct svc_result qr;
    struct req_filter qf = {P, REQ_SUBMITTED, NULL, 0, 0};
    assert_int_equal(req_queue_list(s, &handl, T, &qf, &q, &qr), ERR_OK);
    for (size_t i = 0; i < q.n; i++) {
        struct req_status was = st;
        assert_int_equal(
            req_approve(s, &handl, T, q.rows[i].case_no, q.rows[i].revision, -1, NULL, &was, &qr),
            ERR_OK);
    }
    req_queue_release(&q);
    /* the pot: the table's total less every approved amount, from the rows */
    struct req_row *rows = NULL;
    size_t nrows = 0;
    struct req_filter af = {P, REQ_APPROVED, NULL, 0, 0};
    assert_int_equal(reqdata_list(s, &af, &rows, &nrows), ERR_OK);
    int64_t approved = 0;
    for (size_t i = 0; i < nrows; i++)
        approved += rows[i].approved_ore;
    free(rows);
    assert_true(approved >= m01 + m03 + 1 * KR + (m05 - 29432203 * KR) + m06 + m07);
    int64_t pot = 5042500200 * KR - approved;

    struct req_redist_report rep;
    struct svc_result r;
    /* the day before the date (21:00 in Stockholm on 16 March): refused */
    assert_int_equal(req_redistribute(s, &handl, at("2026-03-16T20:00:00Z"), P, "", &rep, NULL, &r),
                     ERR_DENIED);
    assert_non_null(strstr(msgtext(&r.msg), "tidigast"));

    /* the preview writes nothing and gives what the run gives */
    const int64_t T2 = at("2026-03-18T10:00:00Z");
    long long a0 = audit_rows();
    struct req_redist_preview pre;
    assert_int_equal(req_redistribute_preview(s, &handl, T2, P, &rep, &pre, &r), ERR_OK);
    assert_int_equal(audit_rows(), a0);
    assert_int_equal(pre.total_ore, pot);
    assert_int_equal(pre.n, 2);
    struct req_decision_row *dec = NULL;
    size_t nd = 0;
    assert_int_equal(reqdata_decisions(s, P, 0, &dec, &nd), ERR_OK);
    for (size_t i = 0; i < nd; i++)
        assert_string_not_equal(dec[i].kind, "supplementary");
    free(dec);

    /* a confirmation of anything but the preview shown writes nothing */
    struct req_redist_preview other;
    assert_int_equal(req_redistribute(s, &handl, T2, P, "not the preview", &rep, &other, &r),
                     ERR_CONFLICT);
    assert_non_null(strstr(msgtext(&r.msg), "har ändrats sedan förhandsgranskningen"));
    assert_int_equal(audit_rows(), a0);
    assert_string_equal(other.digest, pre.digest); /* the new preview, to show: the same */
    req_redist_preview_release(&other);
    char seen[sizeof(pre.digest)];
    memcpy(seen, pre.digest, sizeof(seen));

    assert_int_equal(req_redistribute(s, &handl, T2, P, pre.digest, &rep, NULL, &r), ERR_OK);
    assert_int_equal(rep.nblocks, 1);
    assert_int_equal(rep.blocks[0].unrequisitioned_ore, pot);
    assert_int_equal(rep.blocks[0].participants, 3); /* 01, 03, 07 */
    assert_int_equal(rep.blocks[0].capped, 1);       /* 03 (07 can use nothing: out of the split) */
    assert_int_equal(rep.blocks[0].redistributed_ore, pot);
    assert_int_equal(rep.blocks[0].remaining_ore, 0);
    /* the block's record with the rounds, and each case's with its
     * supplementary decision (the case engine records every change of a
     * case on the case: 01 and 03) */
    assert_int_equal(audit_rows(), a0 + 1 + (long long)pre.n);
    assert_int_equal(reqdata_decisions(s, P, 0, &dec, &nd), ERR_OK);
    int64_t got01 = 0, got03 = 0, others = 0;
    for (size_t i = 0; i < nd; i++) {
        if (strcmp(dec[i].kind, "supplementary") != 0)
            continue;
        if (!strcmp(dec[i].recipient, "01"))
            got01 += dec[i].amount_ore;
        else if (!strcmp(dec[i].recipient, "03"))
            got03 += dec[i].amount_ore;
        else
            others += dec[i].amount_ore;
    }
    free(dec);
    assert_int_equal(got03, 1000000 * KR); /* its cap */
    assert_int_equal(got01, pot - got03);  /* the only one uncapped */
    assert_int_equal(others, 0);           /* 04, 05, 06, 07 and the rest */
    for (size_t j = 0; j < pre.n; j++) {
        if (!strcmp(pre.lines[j].code, "01"))
            assert_int_equal(pre.lines[j].extra_ore, got01);
        else
            assert_int_equal(pre.lines[j].extra_ore, got03);
    }
    long long a1 = audit_rows();
    req_redist_preview_release(&pre);

    /* the same confirmation again, after the run: what it showed is gone
     * (the block is done), so nothing is written and the new preview -
     * nobody gets anything - is offered instead */
    assert_int_equal(req_redistribute(s, &handl, T2 + 3600, P, seen, &rep, &other, &r),
                     ERR_CONFLICT);
    assert_int_equal(audit_rows(), a1); /* nothing written */
    assert_int_equal(other.n, 0);
    assert_int_equal(other.total_ore, 0);
    assert_string_not_equal(other.digest, seen);

    /* again, confirming that preview: nothing changes */
    assert_int_equal(req_redistribute(s, &handl, T2 + 3600, P, other.digest, &rep, NULL, &r),
                     ERR_OK);
    req_redist_preview_release(&other);
    assert_int_equal(rep.decisions, 0);
    assert_true(rep.blocks[0].done_before);
    assert_int_equal(audit_rows(), a1);
    struct audit_report ar;
    if (audit_verify(s, &ar) != ERR_OK)
        fail_msg("audit verify: %s", ar.msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_registered),
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_bulk_selection_changed),
        cmocka_unit_test(test_production_plan),
        cmocka_unit_test(test_plan_files_kept_in_check),
        /* last: it leaves a decision number taken out of turn */
        cmocka_unit_test(test_redistribution_rules),
        cmocka_unit_test(test_bulk_approve_all_or_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
