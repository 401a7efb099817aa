/* test_standin.c - no decisions on stand-in data (issue 11): a program
 * whose key rests on the fallback population date or an illustrative
 * table cannot be requisitioned (save or submit) until an officer confirms
 * exactly those stand-ins with a reason (audited, who and when kept) or
 * the named series is loaded; a confirmation of other stand-ins does not
 * count; only officers confirm; a reason is required; the form, receipt
 * and decisions say so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/perm.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/programs.h"
#include "service/refdata.h"
#include "service/requisition.h"
#include "service/reqdata.h"
#include "util/clock.h"
#include "../msgtext.h"

#define SET(dst, v) snprintf(dst, sizeof(dst), "%s", v)
#define P "kompetens-2026"

/* fontconfig leaks a little while parsing its configuration */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static char dir[256], dbpath[300], src_dir[512];
static struct store *s;
static struct svc_actor sys;

static int64_t at(const char *iso)
{
    int64_t t = 0;
    if (clock_parse(iso, &t) != ERR_OK)
        abort();
    return t;
}

static struct svc_actor person(const char *login, enum perm_role role, const char *org)
{
    struct svc_result r;
    struct svc_actor a;
    if (auth_user_add(s, &sys, 0, login, login, NULL, &r) != ERR_OK ||
        auth_user_role(s, &sys, 0, login, role, org, 1, &r) != ERR_OK ||
        svc_actor_cli(s, login, org, &a, &r) != ERR_OK)
        fail_msg("account '%s': %s", login, msgtext(&r.msg));
    a.origin = SVC_WEB;
    return a;
}

static int load(const char *file)
{
    char prog[700];
    struct diag d;
    struct svc_result res;
    diag_init(&d, 20);
    snprintf(prog, sizeof(prog), "%s/data/programs/%s", src_dir, file);
    int rc = programs_load(s, &sys, at("2026-01-01T00:00:00Z"), prog, &d, &res) != ERR_OK;
    if (rc)
        diag_print(&d, stderr);
    diag_release(&d);
    return rc;
}

static int setup(void **state)
{
    (void)state;
    const char *src = getenv("BIDRAG_SRC");
    char k[700], r[700], p[700];
    struct diag d;
    struct svc_result res;
    SET(src_dir, src ? src : BIDRAG_SOURCE_DIR);
    snprintf(dir, sizeof(dir), "/tmp/bidrag-test-standin-%d", (int)getpid());
    snprintf(dbpath, sizeof(dbpath), "%s/x.db", dir);
    if (auth_init() != ERR_OK || store_open(dbpath, STORE_OPEN_CREATE, &s) != ERR_OK)
        return -1;
    svc_actor_system(&sys);
    diag_init(&d, 20);
    snprintf(k, sizeof(k), "%s/data/reference/kommuner.csv", src_dir);
    snprintf(r, sizeof(r), "%s/data/reference/regioner.csv", src_dir);
    snprintf(p, sizeof(p), "%s/data/reference/folkmangd_kommun_2024-12-31.csv", src_dir);
    struct import_opts o = {SERIES_POPULATION, "folkmangd", NULL, 0};
    struct series se;
    int rc = refdata_load_orgs(s, &sys, 0, k, r, &d, &res) != ERR_OK ||
             refdata_import(s, &sys, 0, p, &o, &se, &d, &res) != ERR_OK;
    if (!rc)
        series_release(&se);
    diag_release(&d);
    return rc || load("kompetens-2026.ini") ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    store_close(s);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void fill(struct req_form *f, const char *recipient)
{
    req_form_init(f);
    SET(f->program, P);
    SET(f->recipient, recipient);
    f->amount_ore = 100000;
    assert_int_equal(req_measure_add(f, "vfu", "Fler handledare", 0), ERR_OK);
    SET(f->contact_name, "Åsa Öberg");
    SET(f->contact_email, "asa.oberg@example.se");
    SET(f->contact_phone, "08-123 456 78");
    SET(f->account_kind, "bankgiro");
    SET(f->account, "5050-1055");
    f->confirmed = 1;
}

static long long audit_rows(void)
{
    long long seq = 0;
    char h[STORE_HASH_HEX];
    assert_int_equal(store_audit_head(s, &seq, h), ERR_OK);
    return seq;
}

static struct programs_standin state_of(const char *id)
{
    struct program_view v;
    struct programs_standin st;
    struct svc_result r;
    assert_int_equal(programs_get(s, id, &v, NULL), ERR_OK);
    assert_int_equal(programs_standin_get(s, &sys, 0, &v, &st, &r), ERR_OK);
    program_view_release(&v);
    return st;
}

static const char *note_of(const char *id)
{
    struct program_view v;
    assert_int_equal(programs_get(s, id, &v, NULL), ERR_OK);
    const char *n = programs_standin_note(&v);
    program_view_release(&v);
    return n;
}

static void test_gate(void **state)
{
    (void)state;
    const int64_t T = at("2026-04-15T10:00:00Z");
    struct svc_actor ombud = person("ombud", PERM_OMBUD, "0180");
    struct svc_actor analyst = person("ana", PERM_ANALYTIKER, "");
    struct svc_actor hanna = person("hanna", PERM_HANDLAGGARE, "");
    struct req_form f;
    struct req_status st;
    struct req_receipt rc;
    struct svc_result r;
    struct req_row row;

    /* kompetens names the population of 2025-11-01; only 2024-12-31 is here */
    struct programs_standin si = state_of(P);
    assert_true(si.standin);
    assert_false(si.confirmed);
    assert_int_equal(si.last.id, 0);
    assert_non_null(note_of(P));

    /* save and submit are refused, and nothing is written */
    long long a0 = audit_rows();
    fill(&f, "0180");
    assert_int_equal(req_save_draft(s, &ombud, T, &f, 0, &st, &r), ERR_DENIED);
    assert_non_null(strstr(msgtext(&r.msg), "kan inte rekvireras ännu"));
    assert_int_equal(req_submit(s, &ombud, T, &f, 0, "k1", &rc, &st, &r), ERR_DENIED);
    assert_non_null(strstr(msgtext(&r.msg), "ersättningsuppgifter"));
    assert_int_equal(reqdata_get(s, P, "0180", &row), ERR_NOTFOUND);
    assert_int_equal(audit_rows(), a0);

    /* only an officer confirms, and with a reason */
    assert_int_equal(programs_confirm_standin(s, &ombud, T, P, "vi vill", &r), ERR_DENIED);
    assert_int_equal(programs_confirm_standin(s, &analyst, T, P, "skäl", &r), ERR_DENIED);
    assert_int_equal(programs_confirm_standin(s, &hanna, T, P, "   ", &r), ERR_INVALID);
    assert_non_null(msg_issues_find(&r.issues, "reason"));
    assert_int_equal(programs_confirm_standin(s, &hanna, T, P, NULL, &r), ERR_INVALID);
    assert_int_equal(programs_confirm_standin(s, &hanna, T, P, "rad\001", &r), ERR_INVALID);
    char longr[300];
    memset(longr, 'x', 251);
    longr[251] = '\0';
    assert_int_equal(programs_confirm_standin(s, &hanna, T, P, longr, &r), ERR_INVALID);
    assert_int_equal(programs_confirm_standin(s, &hanna, T, "ingen-sadan", "skäl", &r),
                     ERR_NOTFOUND);
    assert_int_equal(audit_rows(), a0);
    assert_false(state_of(P).confirmed);

    /* confirmed: who, when and why kept, one audit record */
    const char *why = "SCB:s tabell per 1 november 2025 publiceras i februari";
    assert_int_equal(programs_confirm_standin(s, &hanna, T, P, why, &r), ERR_OK);
    assert_int_equal(audit_rows(), a0 + 1);
    si = state_of(P);
    assert_true(si.standin);
    assert_true(si.confirmed);
    assert_string_equal(si.last.confirmed_by, "hanna");
    assert_string_equal(si.last.confirmed_at, "2026-04-15T10:00:00Z");
    assert_string_equal(si.last.reason, why);
    /* twice: nothing more written */
    assert_int_equal(programs_confirm_standin(s, &hanna, T, P, why, &r), ERR_CONFLICT);
    assert_int_equal(audit_rows(), a0 + 1);

    /* now the requisition is taken, and its receipt says the amounts rest
     * on stand-in data */
    assert_int_equal(req_submit(s, &ombud, T, &f, 0, "k1", &rc, &st, &r), ERR_OK);
    assert_non_null(note_of(P));
    req_form_release(&f);

    /* another program on other stand-ins (an illustrative table) is not
     * opened by kompetens's confirmation */
    assert_int_equal(load("tillganglighet-2026.ini"), 0);
    si = state_of("tillganglighet-2026");
    assert_true(si.standin);
    assert_false(si.confirmed);
    struct svc_actor reg = person("regombud", PERM_OMBUD, "01");
    fill(&f, "01");
    SET(f.program, "tillganglighet-2026");
    SET(f.measures[0].purpose, "tillganglighet");
    assert_int_equal(req_save_draft(s, &reg, at("2026-02-01T10:00:00Z"), &f, 0, &st, &r),
                     ERR_DENIED);
    req_form_release(&f);

    struct audit_report ar;
    if (audit_verify(s, &ar) != ERR_OK)
        fail_msg("audit verify: %s", ar.msg);
}

/* The named series loaded: no stand-in, nothing to confirm, the gate open
 * without a confirmation. */
static void test_named_series(void **state)
{
    (void)state;
    char p[700];
    struct diag d;
    struct svc_result r;
    struct series se;
    struct svc_actor hanna;
    assert_int_equal(svc_actor_cli(s, "hanna", "", &hanna, &r), ERR_OK);
    snprintf(p, sizeof(p), "%s/data/reference/folkmangd_kommun_2024-12-31.csv", src_dir);
    struct import_opts o = {SERIES_POPULATION, "folkmangd", "2025-11-01", 0};
    diag_init(&d, 20);
    assert_int_equal(refdata_import(s, &sys, 0, p, &o, &se, &d, &r), ERR_OK);
    series_release(&se);
    diag_release(&d);
    struct programs_standin si = state_of(P);
    assert_false(si.standin);
    assert_false(si.confirmed);
    assert_null(note_of(P));
    assert_int_equal(programs_confirm_standin(s, &hanna, at("2026-04-16T10:00:00Z"), P, "skäl", &r),
                     ERR_INVALID);
    /* the gate is open without a confirmation of the new basis */
    struct svc_actor om = person("ombud-1480", PERM_OMBUD, "1480");
    struct req_form f;
    struct req_status st;
    fill(&f, "1480");
    assert_int_equal(req_save_draft(s, &om, at("2026-04-16T10:00:00Z"), &f, 0, &st, &r), ERR_OK);
    req_form_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gate),
        cmocka_unit_test(test_named_series),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
