/* test_svc.c - the one shape of a service call: the roles come from the
 * store, never from the caller (an actor naming an organisation it holds
 * no role for gets nothing); a disabled or unknown account is refused;
 * the operator's account administers but decides nothing; a failure rolls
 * the action's transaction back; and four eyes from the case's whole
 * history - who created it, saved its draft, saved or submitted a
 * version, and whom the audit trail records saving or submitting it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "service/audit.h"
#include "service/auth.h"
#include "service/programs.h"
#include "service/refdata.h"
#include "service/requisition.h"
#include "service/svc.h"
#include "service/reqdata.h"
#include "core/reqcase.h"
#include "store/store_case.h"
#include "../msgtext.h"

static char dir[256], dbpath[300];
static struct store *s;
static struct svc_actor sys;
static const int64_t T0 = 1776247200; /* 2026-04-15T10:00:00Z: kompetens-2026 is open */
static char case_no[REQ_CASE_LEN];

static struct svc_actor as(const char *login, const char *org)
{
    struct svc_actor a;
    struct svc_result r;
    if (svc_actor_cli(s, login, org, &a, &r) != ERR_OK)
        fail_msg("no account '%s': %s", login ? login : "operator", msgtext(&r.msg));
    a.origin = SVC_WEB;
    return a;
}

static int setup(void **state)
{
    (void)state;
    const char *src = getenv("BIDRAG_SRC");
    char k[512], r[512], p[512], prog[512];
    struct diag d;
    struct svc_result res;
    if (!src)
        src = BIDRAG_SOURCE_DIR;
    snprintf(dir, sizeof(dir), "/tmp/bidrag-test-svc-%d", (int)getpid());
    snprintf(dbpath, sizeof(dbpath), "%s/x.db", dir);
    if (auth_init() != ERR_OK || store_open(dbpath, STORE_OPEN_CREATE, &s) != ERR_OK)
        return -1;
    svc_actor_system(&sys);
    diag_init(&d, 20);
    snprintf(k, sizeof(k), "%s/data/reference/kommuner.csv", src);
    snprintf(r, sizeof(r), "%s/data/reference/regioner.csv", src);
    snprintf(p, sizeof(p), "%s/data/reference/folkmangd_kommun_2024-12-31.csv", src);
    snprintf(prog, sizeof(prog), "%s/data/programs/kompetens-2026.ini", src);
    struct import_opts o = {SERIES_POPULATION, "folkmangd", NULL, 0};
    struct series se;
    int rc = refdata_load_orgs(s, &sys, T0, k, r, &d, &res) != ERR_OK ||
             refdata_import(s, &sys, T0, p, &o, &se, &d, &res) != ERR_OK;
    if (!rc)
        series_release(&se);
    rc = rc || programs_load(s, &sys, T0, prog, &d, &res) != ERR_OK;
    if (rc)
        diag_print(&d, stderr);
    diag_release(&d);
    /* the people; "mixed" holds both kinds of role (from before the rule) */
    static const struct {
        const char *login;
        enum perm_role role;
        const char *org;
    } people[] = {{"hl", PERM_HANDLAGGARE, ""},    {"rep", PERM_REPRESENTANT, "0180"},
                  {"mixed", PERM_HANDLAGGARE, ""}, {"c0", PERM_HANDLAGGARE, ""},
                  {"d0", PERM_HANDLAGGARE, ""},    {"v1", PERM_HANDLAGGARE, ""},
                  {"a0", PERM_HANDLAGGARE, ""},    {"off", PERM_HANDLAGGARE, ""}};
    for (size_t i = 0; !rc && i < sizeof(people) / sizeof(people[0]); i++)
        rc = auth_user_add(s, &sys, T0, people[i].login, people[i].login, NULL, &res) != ERR_OK ||
             auth_user_role(s, &sys, T0, people[i].login, people[i].role, people[i].org, 1, &res) !=
                 ERR_OK;
    rc = rc || auth_user_disable(s, &sys, T0, "off", 1, &res) != ERR_OK;
    struct store_account m;
    if (rc || store_account_get(s, "mixed", &m) ||
        store_grant_add(s, m.id, "ombud", "0180", "2025-01-01T00:00:00Z"))
        return -1;
    /* a submitted case of 0180: created by c0, version 1 by v1, the draft
     * last saved by d0, an earlier save by a0 in its history (the case
     * engine's rows: service/reqdata.h reads them as the requisition) */
    struct store_case row;
    struct req_form f;
    json_t *j = NULL;
    char *text = NULL;
    req_form_init(&f);
    snprintf(f.program, sizeof(f.program), "kompetens-2026");
    snprintf(f.recipient, sizeof(f.recipient), "0180");
    f.amount_ore = 10000;
    if (reqcase_to_json(&f, &j) || case_canon(reqcase_kind(), j, &text))
        return -1;
    json_decref(j);
    memset(&row, 0, sizeof(row));
    snprintf(row.kind, sizeof(row.kind), "requisition");
    snprintf(row.number, sizeof(row.number), "REK-2026-000001");
    snprintf(row.program, sizeof(row.program), "kompetens-2026");
    snprintf(row.party, sizeof(row.party), "0180");
    snprintf(row.subject, sizeof(row.subject), "kompetens-2026/0180");
    struct store_case_version v1 = {1, text, "", 10000, "2026-04-15T10:01:00Z", "v1"};
    struct store_case_version d0 = {0, text, "", 10000, "2026-04-15T10:02:00Z", "d0"};
    struct store_case_event a0 = {0, "save", 0, "", "2026-04-15T10:00:30Z", "a0"};
    snprintf(v1.digest, sizeof(v1.digest), "%064d", 0);
    snprintf(d0.digest, sizeof(d0.digest), "%064d", 0);
    if (store_begin(s) || store_case_create(s, &row, "2026-04-15T10:00:00Z", "c0") ||
        store_case_version_put(s, row.id, &v1) || store_case_version_put(s, row.id, &d0) ||
        store_case_event_add(s, row.id, &a0))
        return -1;
    free(text);
    long long rev = row.revision;
    row.state = CASE_SUBMITTED;
    row.version = 1;
    if (store_case_update(s, &row, rev, "2026-04-15T10:02:00Z", "v1") || store_commit(s))
        return -1;
    snprintf(case_no, sizeof(case_no), "%s", row.number);
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

static void test_roles_from_the_store(void **state)
{
    (void)state;
    struct svc_call c;
    struct svc_result res;
    /* the representant acting for the agency, or for an organisation it
     * holds no role for, has no role there: whatever the actor says */
    struct svc_actor rep = as("rep", "");
    assert_int_equal(svc_begin(&c, s, &rep, ACT_REQ_REVIEW_READ, T0, &res), ERR_DENIED);
    assert_int_equal(svc_end(&c, ERR_DENIED), ERR_DENIED);
    rep = as("rep", "1480");
    assert_int_equal(svc_begin(&c, s, &rep, ACT_REQ_READ, T0, &res), ERR_DENIED);
    assert_int_equal(svc_end(&c, ERR_DENIED), ERR_DENIED);
    rep = as("rep", "0180");
    assert_int_equal(svc_begin(&c, s, &rep, ACT_REQ_READ, T0, &res), ERR_OK);
    assert_int_equal(c.roles, PERM_REPRESENTANT);
    assert_int_equal(svc_check_owner(&c, "0180"), ERR_OK);
    assert_int_equal(svc_check_owner(&c, "1480"), ERR_DENIED);
    assert_non_null(strstr(msgtext(&res.msg), "företräder inte"));
    assert_int_equal(svc_end(&c, ERR_OK), ERR_OK);
    /* a disabled account is refused; an account that is gone too */
    struct svc_actor off = as("hl", "");
    struct store_account a;
    assert_int_equal(store_account_get(s, "off", &a), ERR_OK);
    off.account = a.id;
    assert_int_equal(svc_begin(&c, s, &off, ACT_REQ_REVIEW_READ, T0, &res), ERR_DENIED);
    assert_non_null(strstr(msgtext(&res.msg), "avstängt"));
    assert_int_equal(svc_end(&c, ERR_DENIED), ERR_DENIED);
    off.account = 999999;
    assert_int_equal(svc_begin(&c, s, &off, ACT_REQ_REVIEW_READ, T0, &res), ERR_DENIED);
    assert_int_equal(svc_end(&c, ERR_DENIED), ERR_DENIED);
    /* svc_may, for buttons: the same answer */
    struct svc_actor hl = as("hl", "");
    assert_true(svc_may(s, &hl, ACT_REQ_APPROVE, NULL));
    assert_false(svc_may(s, &rep, ACT_REQ_APPROVE, NULL));
    assert_true(svc_may(s, &rep, ACT_REQ_SUBMIT, "0180"));
    assert_false(svc_may(s, &rep, ACT_REQ_SUBMIT, "1480"));
}

static void test_operator(void **state)
{
    (void)state;
    struct svc_result res;
    struct svc_call c;
    /* none yet: the command line's first use makes it, recorded */
    struct svc_actor op;
    assert_int_equal(svc_actor_cli(s, NULL, "", &op, &res), ERR_NOTFOUND);
    assert_int_equal(auth_operator_ensure(s, T0, &res), ERR_OK);
    assert_int_equal(auth_operator_ensure(s, T0, &res), ERR_OK); /* once */
    struct store_audit last;
    assert_int_equal(store_audit_last(s, &last), ERR_OK);
    assert_string_equal(last.object, "user:operator");
    assert_string_equal(last.actor, "system");
    op = as(NULL, ""); /* the command line's default */
    assert_string_equal(op.login, SVC_OPERATOR);
    assert_int_equal(svc_begin(&c, s, &op, ACT_USER_READ, T0, &res), ERR_OK);
    assert_int_equal(svc_end(&c, ERR_OK), ERR_OK);
    assert_int_equal(req_approve(s, &op, T0, case_no, 0, -1, NULL, NULL, &res), ERR_DENIED);
    assert_non_null(strstr(msgtext(&res.msg), "--as"));
    /* it never logs in, with a password or through single sign-on */
    struct svc_actor nobody;
    memset(&nobody, 0, sizeof(nobody));
    enum auth_result ar;
    struct auth_session_new ns;
    assert_int_equal(auth_login(s, &nobody, T0, SVC_OPERATOR, "!", &ar, &ns, &res), ERR_OK);
    assert_int_equal(ar, AUTH_BAD);
    assert_int_equal(auth_login_trusted(s, &nobody, T0, SVC_OPERATOR, &ar, &ns, &res), ERR_OK);
    assert_int_equal(ar, AUTH_BAD);
    /* no account at all: said */
    struct svc_actor x;
    assert_int_equal(svc_actor_cli(s, "nobody", "", &x, &res), ERR_NOTFOUND);
    assert_non_null(strstr(msgtext(&res.msg), "nobody"));
}

static void test_failure_rolls_back(void **state)
{
    (void)state;
    struct svc_call c;
    struct svc_result res;
    long long seq0 = 0, seq1 = 0;
    char h[STORE_HASH_HEX];
    assert_int_equal(store_audit_head(s, &seq0, h), ERR_OK);
    assert_int_equal(svc_begin(&c, s, &sys, ACT_USER_ADD, T0, &res), ERR_OK);
    assert_int_equal(svc_write(&c), ERR_OK);
    assert_int_equal(svc_audit(&c, "user:ghost", NULL, "x"), ERR_OK);
    assert_int_equal(svc_end(&c, svc_fail(&c, ERR_INVALID, M_("Formuläret kunde inte läsas."))),
                     ERR_INVALID);
    assert_int_equal(res.e, ERR_INVALID);
    assert_int_equal(store_depth(s), 0);
    assert_int_equal(store_audit_head(s, &seq1, h), ERR_OK);
    assert_int_equal(seq1, seq0);
    /* a storage failure without a sentence gets one */
    assert_int_equal(svc_begin(&c, s, &sys, ACT_USER_ADD, T0, &res), ERR_OK);
    assert_int_equal(svc_end(&c, ERR_STORE), ERR_STORE);
    assert_non_null(strstr(msgtext(&res.msg), "spara"));
#ifndef NDEBUG
    /* a write that forgets its audit record does not commit quietly */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct store *cs;
        if (store_open(dbpath, STORE_OPEN_EXISTING, &cs) != ERR_OK ||
            svc_begin(&c, cs, &sys, ACT_USER_ADD, T0, &res) != ERR_OK || svc_write(&c) != ERR_OK)
            _exit(2);
        enum err e = svc_end(&c, ERR_OK); /* asserts */
        _exit(e == ERR_OK ? 0 : 3);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFSIGNALED(st));
#endif
}

static void test_four_eyes_from_history(void **state)
{
    (void)state;
    struct svc_result res;
    struct req_status st;
    struct req_row row;
    /* everyone in the case's history is refused, saying which case */
    const char *involved[] = {"c0", "d0", "v1", "a0"};
    for (size_t i = 0; i < 4; i++) {
        struct svc_actor a = as(involved[i], "");
        assert_int_equal(reqdata_get_case(s, case_no, &row), ERR_OK);
        assert_int_equal(req_approve(s, &a, T0, case_no, row.revision, 10000, NULL, &st, &res),
                         ERR_DENIED);
        assert_non_null(strstr(msgtext(&res.msg), case_no));
        assert_non_null(strstr(msgtext(&res.msg), "själv"));
    }
    /* an account with a recipient role too decides nothing */
    struct svc_actor mixed = as("mixed", "");
    assert_int_equal(req_approve(s, &mixed, T0, case_no, row.revision, 10000, NULL, &st, &res),
                     ERR_DENIED);
    assert_non_null(strstr(msgtext(&res.msg), "roll för en bidragsmottagare"));
    /* ... nor acts for the recipient */
    mixed = as("mixed", "0180");
    struct req_view v;
    assert_int_equal(req_open(s, &mixed, T0, "kompetens-2026", "0180", &v, &res), ERR_DENIED);
    assert_non_null(strstr(msgtext(&res.msg), "roll hos myndigheten"));
    req_view_release(&v);
    /* hl was never in it: decides */
    struct svc_actor hl = as("hl", "");
    assert_int_equal(req_approve(s, &hl, T0, case_no, row.revision, 10000, NULL, &st, &res),
                     ERR_OK);
    assert_int_equal(st.state, REQ_APPROVED);
    /* the chain holds; the one thing wrong is mixed's recipient role,
     * granted behind the trail above to stand for one from before the rule */
    struct audit_report ar;
    assert_int_equal(audit_verify(s, &ar), ERR_INVALID);
    assert_int_equal(ar.problems, 1);
    assert_non_null(strstr(ar.msg, "user 'mixed'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles_from_the_store),
        cmocka_unit_test(test_operator),
        cmocka_unit_test(test_failure_rolls_back),
        cmocka_unit_test(test_four_eyes_from_history),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
