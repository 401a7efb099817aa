/* test_case.c - the case engine's service (service/case.h) on a kind
 * registered here (not the requisition): every verb in every state
 * against a table written independently of core/casekind.c, the
 * idempotency key (the same content gives the first receipt, other
 * content or another case is a conflict, another party's same key is
 * another key), revision conflicts that write nothing, reasons required
 * for a partial grant and a rejection (förvaltningslagen 32 §), a
 * decision's own number, four eyes from the case's rows and history,
 * attachments (slot, type, size cap, the party's quota, one blob per
 * content), history and the diff in words, and one audit record per
 * change whose entity digest covers the case's rows (audit verify finds a
 * row changed behind it). */
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
#include "core/reqcase.h"
#include "service/case.h"
#include "service/programs.h"
#include "service/refdata.h"
#include "store/sql.h"
#include "store/store_entity.h"
#include "../msgtext.h"

static char dir[256], dbpath[300];
static struct store *s;
static struct svc_actor sys, ombud, samordnare, gbg, handl, handl2, gransk;
static const int64_t T0 = 1776247200; /* 2026-04-15T10:00:00Z */

/* ---- the test kind: an errand with a title and an amount ---- */

static size_t t_validate(const json_t *c, const void *ctx, int for_submit, struct msg_issues *out)
{
    size_t before = out->n;
    const int64_t *max = ctx;
    json_t *amt = json_object_get(c, "amount_ore");
    json_t *title = json_object_get(c, "title");
    /* what cannot be stored */
    if (amt && !json_is_integer(amt))
        msg_issue_add(out, "amount_ore", M_("Ange ett belopp."));
    if (title && !json_is_string(title))
        msg_issue_add(out, "title", M_("Ange en rubrik."));
    if (!for_submit)
        return out->n - before;
    if (!json_is_string(title) || !json_string_length(title))
        msg_issue_add(out, "title", M_("Ange en rubrik."));
    if (!json_is_integer(amt) || json_integer_value(amt) <= 0)
        msg_issue_add(out, "amount_ore", M_("Ange ett belopp."));
    else if (max && json_integer_value(amt) > *max)
        msg_issue_add(out, "amount_ore", M_("Beloppet är för stort."));
    return out->n - before;
}

static int64_t t_amount(const json_t *c)
{
    json_t *a = json_object_get(c, "amount_ore");
    return json_is_integer(a) ? (int64_t)json_integer_value(a) : -1;
}

static const struct case_field t_fields[] = {
    {"title", N_("Rubrik")},
    {"amount_ore", N_("Belopp")},
};

static int t_sniff(const void *data, size_t len, const char *type)
{
    return strcmp(type, "application/pdf") != 0 || (len >= 5 && !memcmp(data, "%PDF-", 5));
}

static const char *const t_types[] = {"application/pdf", "text/plain", NULL};
static const struct case_slot t_slots[] = {
    {"plan", N_("Plan"), 1000, t_types, t_sniff},
    {"annex", N_("Bilaga"), 1000, t_types, t_sniff},
};

static const struct case_kind tk = {
    .id = "testerrand",
    .prefix = "TST",
    .decision = "TSB",
    .party = CASE_PARTY_ORG,
    .unique = CASE_UNIQUE_PROGRAM_PARTY,
    .what = N_("Testärende"),
    .max_content = 4096,
    .fields = t_fields,
    .nfields = sizeof(t_fields) / sizeof(t_fields[0]),
    .act = {ACT_REQ_READ, ACT_REQ_REVIEW_READ, ACT_REQ_SAVE, ACT_REQ_SUBMIT, ACT_REQ_WITHDRAW,
            ACT_REQ_RETURN, ACT_REQ_APPROVE, ACT_REQ_REJECT, ACT_REQ_NOTE, ACT_REQ_ASSIGN},
    .codec = {t_validate, case_canon_json, NULL, t_amount},
    .slots = t_slots,
    .nslots = sizeof(t_slots) / sizeof(t_slots[0]),
    .party_quota = 1500,
};

static const int64_t MAX = 100000000; /* the context: at most 1 000 000 kr */

/* ---- set-up ---- */

static struct svc_actor person(const char *login, enum perm_role role, const char *org)
{
    struct svc_result r;
    struct svc_actor a;
    enum err e = auth_user_add(s, &sys, T0, login, login, NULL, &r);
    if ((e != ERR_OK && e != ERR_CONFLICT) ||
        auth_user_role(s, &sys, T0, login, role, org, 1, &r) != ERR_OK ||
        svc_actor_cli(s, login, org, &a, &r) != ERR_OK)
        fail_msg("account '%s': %s", login, msgtext(&r.msg));
    a.origin = SVC_WEB;
    return a;
}

static int setup(void **state)
{
    (void)state;
    const char *src = getenv("BIDRAG_SRC");
    char k[512], r[512];
    struct diag d;
    struct svc_result res;
    if (!src)
        src = BIDRAG_SOURCE_DIR;
    snprintf(dir, sizeof(dir), "/tmp/bidrag-test-case-%d", (int)getpid());
    snprintf(dbpath, sizeof(dbpath), "%s/x.db", dir);
    if (auth_init() != ERR_OK || store_open(dbpath, STORE_OPEN_CREATE, &s) != ERR_OK ||
        case_kind_register(&tk) != ERR_OK)
        return -1;
    svc_actor_system(&sys);
    diag_init(&d, 20);
    snprintf(k, sizeof(k), "%s/data/reference/kommuner.csv", src);
    snprintf(r, sizeof(r), "%s/data/reference/regioner.csv", src);
    int rc = refdata_load_orgs(s, &sys, T0, k, r, &d, &res) != ERR_OK;
    /* the requisition kind's program, for the test of the real kind */
    char p[512], prog[512];
    snprintf(p, sizeof(p), "%s/data/reference/folkmangd_kommun_2024-12-31.csv", src);
    snprintf(prog, sizeof(prog), "%s/data/programs/kompetens-2026.ini", src);
    struct import_opts o = {SERIES_POPULATION, "folkmangd", NULL, 0};
    struct series se;
    rc = rc || refdata_import(s, &sys, T0, p, &o, &se, &d, &res) != ERR_OK;
    if (!rc)
        series_release(&se);
    rc = rc || programs_load(s, &sys, T0, prog, &d, &res) != ERR_OK;
    if (rc)
        diag_print(&d, stderr);
    diag_release(&d);
    if (rc)
        return -1;
    ombud = person("ombud", PERM_OMBUD, "0180");
    samordnare = person("samo", PERM_UPPGIFTSSAMORDNARE, "0180");
    gbg = person("ombud-gbg", PERM_OMBUD, "1480");
    handl = person("handl", PERM_HANDLAGGARE, "");
    handl2 = person("handl2", PERM_HANDLAGGARE, "");
    gransk = person("gransk", PERM_GRANSKARE, "");
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

static json_t *content(const char *title, int64_t amount)
{
    return json_pack("{s:s, s:I}", "title", title, "amount_ore", (json_int_t)amount);
}

static struct store_case row_of(const char *number)
{
    struct store_case c;
    assert_int_equal(store_case_get(s, number, &c), ERR_OK);
    return c;
}

/* A new case of 0180 in program prog, saved as a draft asking amount. */
static struct case_status new_draft(const char *prog, int64_t amount)
{
    struct case_status st;
    struct svc_result r;
    enum err e = case_open(s, &ombud, T0, &tk, prog, "0180", &st, &r);
    if (e != ERR_OK)
        fail_msg("open: %s %s", err_str(e), msgtext(&r.msg));
    assert_int_equal(st.state, CASE_DRAFT);
    json_t *c = content("Fler handledare", amount);
    e = case_save(s, &ombud, T0, &tk, st.number, st.revision, c, &MAX, &st, &r);
    if (e != ERR_OK)
        fail_msg("save: %s", msgtext(&r.msg));
    json_decref(c);
    return st;
}

static struct case_status submit(struct case_status st)
{
    struct case_receipt rc;
    struct svc_result r;
    enum err e =
        case_submit(s, &ombud, T0, &tk, st.number, st.revision, NULL, &MAX, NULL, &rc, &st, &r);
    if (e != ERR_OK)
        fail_msg("submit: %s", msgtext(&r.msg));
    return st;
}

/* ---- every verb in every state ---- */

/* Written from casekind.h's picture, not from casekind.c's table: the
 * moves allowed, with the state after each; every other is refused. */
enum { V_SAVE, V_SUBMIT, V_WITHDRAW, V_RETURN, V_DECIDE, V_NOTE, V_ASSIGN, V_ATTACH, V_N };
static const struct {
    int from, verb, to;
} allowed[] = {
    /* the party works on its draft, submits or withdraws it */
    {CASE_DRAFT, V_SAVE, CASE_DRAFT},
    {CASE_DRAFT, V_ATTACH, CASE_DRAFT},
    {CASE_DRAFT, V_SUBMIT, CASE_SUBMITTED},
    {CASE_DRAFT, V_WITHDRAW, CASE_WITHDRAWN},
    /* submitted: the agency returns, decides, notes, assigns; the party
     * may still withdraw, or send a file asked for */
    {CASE_SUBMITTED, V_RETURN, CASE_RETURNED},
    {CASE_SUBMITTED, V_DECIDE, CASE_DECIDED},
    {CASE_SUBMITTED, V_NOTE, CASE_SUBMITTED},
    {CASE_SUBMITTED, V_ASSIGN, CASE_SUBMITTED},
    {CASE_SUBMITTED, V_ATTACH, CASE_SUBMITTED},
    {CASE_SUBMITTED, V_WITHDRAW, CASE_WITHDRAWN},
    /* returned: back with the party, the officer keeps notes */
    {CASE_RETURNED, V_SAVE, CASE_RETURNED},
    {CASE_RETURNED, V_ATTACH, CASE_RETURNED},
    {CASE_RETURNED, V_SUBMIT, CASE_SUBMITTED},
    {CASE_RETURNED, V_WITHDRAW, CASE_WITHDRAWN},
    {CASE_RETURNED, V_NOTE, CASE_RETURNED},
    {CASE_RETURNED, V_ASSIGN, CASE_RETURNED},
    /* decided: a note for the file, nothing else; withdrawn: nothing */
    {CASE_DECIDED, V_NOTE, CASE_DECIDED},
};

/* The state after verb v in from, -1 when refused. */
static int expected(int from, int v)
{
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        if (allowed[i].from == from && allowed[i].verb == v)
            return allowed[i].to;
    return -1;
}

/* A fresh case in state want. */
static struct case_status in_state(int want, int serial)
{
    char prog[32];
    struct svc_result r;
    struct store_case_decision d;
    snprintf(prog, sizeof(prog), "matrix-%d", serial);
    struct case_status st = new_draft(prog, 500000);
    if (want == CASE_DRAFT)
        return st;
    if (want == CASE_WITHDRAWN) {
        assert_int_equal(case_withdraw(s, &ombud, T0, &tk, st.number, st.revision, &st, &r),
                         ERR_OK);
        return st;
    }
    st = submit(st);
    if (want == CASE_RETURNED)
        assert_int_equal(
            case_return(s, &handl, T0, &tk, st.number, st.revision, "Komplettera", &st, &r),
            ERR_OK);
    if (want == CASE_DECIDED) {
        struct case_decision_in in = {500000, "", "", ""};
        assert_int_equal(case_decide(s, &handl, T0, &tk, st.number, st.revision, &in, &d, &st, &r),
                         ERR_OK);
    }
    assert_int_equal(st.state, want);
    return st;
}

static enum err do_verb(int v, struct case_status *st, struct svc_result *r)
{
    json_t *c = content("Ändrad rubrik", 400000);
    struct case_receipt rc;
    struct store_case_decision d;
    struct case_decision_in in = {400000, "Delvis: en åtgärd faller utanför syftet.", "", ""};
    enum err e = ERR_INVALID;
    const char *n = st->number;
    long long rev = st->revision;
    switch (v) {
    case V_SAVE:
        e = case_save(s, &ombud, T0, &tk, n, rev, c, &MAX, st, r);
        break;
    case V_SUBMIT:
        e = case_submit(s, &ombud, T0, &tk, n, rev, c, &MAX, NULL, &rc, st, r);
        break;
    case V_WITHDRAW:
        e = case_withdraw(s, &ombud, T0, &tk, n, rev, st, r);
        break;
    case V_RETURN:
        e = case_return(s, &handl, T0, &tk, n, rev, "Bifoga planen", st, r);
        break;
    case V_DECIDE:
        e = case_decide(s, &handl, T0, &tk, n, rev, &in, &d, st, r);
        break;
    case V_NOTE:
        e = case_note(s, &handl, T0, &tk, n, "Ringt kontaktpersonen", NULL, r);
        break;
    case V_ASSIGN:
        e = case_assign(s, &handl, T0, &tk, n, rev, "handl2", st, r);
        break;
    case V_ATTACH:
        e = case_attach(s, &ombud, T0, &tk, n, rev, "plan", "plan.txt", "text/plain", "en plan", 7,
                        st, r);
        break;
    }
    json_decref(c);
    return e;
}

static void test_every_transition(void **state)
{
    (void)state;
    int serial = 0;
    for (int from = 0; from < 5; from++)
        for (int v = 0; v < V_N; v++) {
            struct case_status st = in_state(from, serial++);
            struct svc_result r;
            long long rows = audit_rows();
            struct store_case before = row_of(st.number);
            enum err e = do_verb(v, &st, &r);
            struct store_case after = row_of(st.number);
            if ((e == ERR_OK) != (expected(from, v) >= 0))
                fail_msg("%s in %s: got %s (%s), want %s", case_verb_id((enum case_verb)v),
                         case_state_id((enum case_state)from), err_str(e), msgtext(&r.msg),
                         expected(from, v) >= 0 ? "allowed" : "refused");
            if (e == ERR_OK) {
                assert_int_equal(after.state, expected(from, v));
                assert_int_equal(audit_rows(), rows + 1); /* one record per change */
                if (v != V_NOTE)                          /* a note moves no revision */
                    assert_true(after.revision > before.revision);
            } else {
                assert_int_equal(e, ERR_CONFLICT);
                assert_non_null(strstr(msgtext(&r.msg), st.number));
                assert_int_equal(audit_rows(), rows); /* nothing written */
                assert_int_equal(after.revision, before.revision);
                assert_int_equal(after.state, before.state);
            }
        }
    struct audit_report ar;
    if (audit_verify(s, &ar) != ERR_OK)
        fail_msg("audit: %s", ar.msg);
}

/* ---- rights ---- */

static void test_who_may(void **state)
{
    (void)state;
    struct svc_result r;
    struct case_status st = new_draft("rights", 300000), other;
    long long rows = audit_rows();
    /* another organisation neither opens, saves nor reads 0180's case */
    assert_int_equal(case_open(s, &gbg, T0, &tk, "rights", "0180", &other, &r), ERR_DENIED);
    json_t *c = content("x", 1);
    assert_int_equal(case_save(s, &gbg, T0, &tk, st.number, st.revision, c, &MAX, &other, &r),
                     ERR_DENIED);
    struct case_view v;
    assert_int_equal(case_get(s, &gbg, T0, &tk, st.number, &v, &r), ERR_DENIED);
    case_view_release(&v);
    /* the uppgiftssamordnare saves but neither submits nor withdraws */
    assert_int_equal(case_save(s, &samordnare, T0, &tk, st.number, st.revision, c, &MAX, &st, &r),
                     ERR_OK);
    struct case_receipt rc;
    assert_int_equal(case_submit(s, &samordnare, T0, &tk, st.number, st.revision, NULL, &MAX, NULL,
                                 &rc, &other, &r),
                     ERR_DENIED);
    assert_int_equal(case_withdraw(s, &samordnare, T0, &tk, st.number, st.revision, &other, &r),
                     ERR_DENIED);
    /* the agency does not see a draft; a granskare reads, but neither
     * notes nor decides */
    assert_int_equal(case_get(s, &handl, T0, &tk, st.number, &v, &r), ERR_NOTFOUND);
    case_view_release(&v);
    json_decref(c);
    c = content("Rubrik", 300000);
    assert_int_equal(case_save(s, &ombud, T0, &tk, st.number, st.revision, c, &MAX, &st, &r),
                     ERR_OK);
    json_decref(c);
    st = submit(st);
    assert_int_equal(case_get(s, &gransk, T0, &tk, st.number, &v, &r), ERR_OK);
    assert_null(v.draft); /* the party's working copy stays the party's */
    assert_non_null(v.latest);
    case_view_release(&v);
    assert_int_equal(case_note(s, &gransk, T0, &tk, st.number, "x", NULL, &r), ERR_DENIED);
    struct case_decision_in in = {300000, "", "", ""};
    assert_int_equal(
        case_decide(s, &gransk, T0, &tk, st.number, st.revision, &in, NULL, &other, &r),
        ERR_DENIED);
    /* the party does not return, note or decide its own case */
    assert_int_equal(case_return(s, &ombud, T0, &tk, st.number, st.revision, "x", &other, &r),
                     ERR_DENIED);
    assert_int_equal(case_note(s, &ombud, T0, &tk, st.number, "x", NULL, &r), ERR_DENIED);
    assert_int_equal(case_decide(s, &ombud, T0, &tk, st.number, st.revision, &in, NULL, &other, &r),
                     ERR_DENIED);
    /* a case of another kind under this number is not found */
    assert_int_equal(case_get(s, &handl, T0, &tk, "TST-2026-999999", &v, &r), ERR_NOTFOUND);
    case_view_release(&v);
    /* the three saves and the submission above, nothing else */
    assert_int_equal(audit_rows(), rows + 3);
    /* assignment: to an agency officer who may review, or nobody */
    assert_int_equal(case_assign(s, &handl, T0, &tk, st.number, st.revision, "ombud", &st, &r),
                     ERR_INVALID);
    assert_non_null(issue(&r.issues, "officer"));
    assert_int_equal(case_assign(s, &handl, T0, &tk, st.number, st.revision, "nobody", &st, &r),
                     ERR_INVALID);
    assert_int_equal(case_assign(s, &handl, T0, &tk, st.number, st.revision, "handl2", &st, &r),
                     ERR_OK);
    assert_string_equal(row_of(st.number).assigned_to, "handl2");
    assert_int_equal(case_assign(s, &handl, T0, &tk, st.number, st.revision, "", &st, &r), ERR_OK);
    assert_string_equal(row_of(st.number).assigned_to, "");
    /* one open draft per program and party: opening again gives it */
    struct case_status again;
    assert_int_equal(case_open(s, &ombud, T0, &tk, "rights", "0180", &again, &r), ERR_OK);
    assert_string_equal(again.number, st.number);
}

/* ---- idempotency ---- */

static void test_idempotency(void **state)
{
    (void)state;
    struct svc_result r;
    struct case_receipt first, rc;
    struct case_status st = new_draft("idem", 200000), st2;
    json_t *c = content("Rubrik", 200000);
    assert_int_equal(
        case_submit(s, &ombud, T0, &tk, st.number, st.revision, c, &MAX, "key-1", &first, &st2, &r),
        ERR_OK);
    assert_int_equal(first.version, 1);
    assert_int_equal(first.repeated, 0);
    assert_int_equal(first.amount_ore, 200000);
    assert_int_equal(strlen(first.digest), 64);
    /* the same POST again, later, at the old revision: the first receipt,
     * nothing written */
    long long rows = audit_rows();
    assert_int_equal(case_submit(s, &ombud, T0 + 60, &tk, st.number, st.revision, c, &MAX, "key-1",
                                 &rc, &st2, &r),
                     ERR_OK);
    assert_int_equal(rc.repeated, 1);
    assert_int_equal(rc.version, 1);
    assert_string_equal(rc.at, first.at);
    assert_string_equal(rc.digest, first.digest);
    assert_int_equal(audit_rows(), rows);
    assert_int_equal(row_of(st.number).version, 1);
    /* the same key with other content: a conflict */
    json_t *c2 = content("Annan rubrik", 200000);
    assert_int_equal(
        case_submit(s, &ombud, T0, &tk, st.number, st2.revision, c2, &MAX, "key-1", &rc, &st2, &r),
        ERR_CONFLICT);
    /* the same key of the same party on another case: a conflict */
    struct case_status o = new_draft("idem-other", 200000);
    rows = audit_rows();
    assert_int_equal(
        case_submit(s, &ombud, T0, &tk, o.number, o.revision, c, &MAX, "key-1", &rc, &o, &r),
        ERR_CONFLICT);
    assert_int_equal(row_of(o.number).version, 0);
    assert_int_equal(audit_rows(), rows);
    /* another party's same key is another key */
    struct case_status g;
    assert_int_equal(case_open(s, &gbg, T0, &tk, "idem", "1480", &g, &r), ERR_OK);
    assert_int_equal(
        case_submit(s, &gbg, T0, &tk, g.number, g.revision, c, &MAX, "key-1", &rc, &g, &r), ERR_OK);
    assert_int_equal(rc.repeated, 0);
    json_decref(c);
    json_decref(c2);
}

/* ---- revision conflicts ---- */

static void test_revision_conflict(void **state)
{
    (void)state;
    struct svc_result r;
    struct case_status st = new_draft("conflict", 100000), a, b;
    long long read_at = st.revision;
    json_t *c1 = content("Den första", 100000), *c2 = content("Den andra", 100000);
    assert_int_equal(case_save(s, &ombud, T0, &tk, st.number, read_at, c1, &MAX, &a, &r), ERR_OK);
    long long rows = audit_rows();
    assert_int_equal(case_save(s, &samordnare, T0, &tk, st.number, read_at, c2, &MAX, &b, &r),
                     ERR_CONFLICT);
    assert_int_equal(b.revision, a.revision); /* where to retry from */
    assert_int_equal(audit_rows(), rows);
    struct case_view v;
    assert_int_equal(case_get(s, &ombud, T0, &tk, st.number, &v, &r), ERR_OK);
    assert_string_equal(json_string_value(json_object_get(v.draft, "title")), "Den första");
    case_view_release(&v);
    /* a submission at the stale revision is refused too */
    struct case_receipt rc;
    assert_int_equal(
        case_submit(s, &samordnare, T0, &tk, st.number, read_at, c2, &MAX, NULL, &rc, &b, &r),
        ERR_DENIED); /* the samordnare may not submit at all */
    assert_int_equal(
        case_submit(s, &ombud, T0, &tk, st.number, read_at, c2, &MAX, NULL, &rc, &b, &r),
        ERR_CONFLICT);
    assert_int_equal(row_of(st.number).version, 0);
    /* what would stop a submission is a hint on save, and blocks submit */
    json_t *half = json_pack("{s:s}", "title", "");
    assert_int_equal(case_save(s, &ombud, T0, &tk, st.number, a.revision, half, &MAX, &a, &r),
                     ERR_OK);
    assert_non_null(issue(&r.issues, "amount_ore"));
    assert_int_equal(
        case_submit(s, &ombud, T0, &tk, st.number, a.revision, NULL, &MAX, NULL, &rc, &b, &r),
        ERR_INVALID);
    assert_non_null(issue(&r.issues, "title"));
    /* what cannot be stored blocks the draft */
    json_t *bad = json_pack("{s:s}", "amount_ore", "many");
    assert_int_equal(case_save(s, &ombud, T0, &tk, st.number, a.revision, bad, &MAX, &b, &r),
                     ERR_INVALID);
    assert_non_null(issue(&r.issues, "amount_ore"));
    /* the context: above the maximum */
    json_t *big = content("Rubrik", MAX + 100);
    assert_int_equal(
        case_submit(s, &ombud, T0, &tk, st.number, a.revision, big, &MAX, NULL, &rc, &b, &r),
        ERR_INVALID);
    assert_non_null(issue(&r.issues, "amount_ore"));
    json_decref(c1);
    json_decref(c2);
    json_decref(half);
    json_decref(bad);
    json_decref(big);
}

/* ---- decisions ---- */

static void test_reasons_required(void **state)
{
    (void)state;
    struct svc_result r;
    struct store_case_decision d;
    struct case_status st = submit(new_draft("reasons", 800000)), x;
    long long rows = audit_rows();
    /* less than asked, no reasons */
    struct case_decision_in part = {600000, "  \n", "", "b1"};
    assert_int_equal(case_decide(s, &handl, T0, &tk, st.number, st.revision, &part, &d, &x, &r),
                     ERR_INVALID);
    assert_non_null(issue(&r.issues, "reasons"));
    assert_non_null(strstr(msgtext(&r.msg), "32 §"));
    /* nothing granted, no reasons */
    struct case_decision_in none = {0, NULL, NULL, NULL};
    assert_int_equal(case_decide(s, &handl, T0, &tk, st.number, st.revision, &none, &d, &x, &r),
                     ERR_INVALID);
    assert_non_null(issue(&r.issues, "reasons"));
    /* more than asked */
    struct case_decision_in more = {800100, "x", "", ""};
    assert_int_equal(case_decide(s, &handl, T0, &tk, st.number, st.revision, &more, &d, &x, &r),
                     ERR_INVALID);
    assert_non_null(issue(&r.issues, "amount"));
    assert_int_equal(audit_rows(), rows);
    assert_int_equal(row_of(st.number).state, CASE_SUBMITTED);
    /* with reasons: partly approved, under its own number */
    part.reasons = "Åtgärd 2 ryms inte i bidragets syfte.";
    part.appeal = "Beslutet kan inte överklagas.";
    assert_int_equal(case_decide(s, &handl, T0, &tk, st.number, st.revision, &part, &d, &x, &r),
                     ERR_OK);
    assert_int_equal(x.outcome, CASE_PARTLY_APPROVED);
    assert_string_equal(d.kind, "partly_approved");
    assert_int_equal(strncmp(d.number, "TSB-2026-", 9), 0);
    assert_string_not_equal(d.number, st.number);
    struct store_case_decision got;
    assert_int_equal(store_case_decision_get(s, d.number, &got), ERR_OK);
    assert_string_equal(got.reasons, "Åtgärd 2 ryms inte i bidragets syfte.");
    assert_string_equal(got.appeal, "Beslutet kan inte överklagas.");
    assert_string_equal(got.block, "b1");
    assert_int_equal(got.amount_ore, 600000);
    assert_string_equal(got.decided_on, "2026-04-15");
    assert_string_equal(got.decided_by, "handl");
    /* a rejection with reasons; in full without */
    struct case_status rj = submit(new_draft("reasons-2", 800000));
    none.reasons = "Inte inom bidragets syfte.";
    assert_int_equal(case_decide(s, &handl, T0, &tk, rj.number, rj.revision, &none, &d, &rj, &r),
                     ERR_OK);
    assert_int_equal(rj.outcome, CASE_REJECTED);
    assert_string_equal(d.kind, "rejected");
    assert_int_equal(d.amount_ore, 0);
    struct case_status full = submit(new_draft("reasons-3", 800000));
    struct case_decision_in all = {800000, NULL, NULL, NULL};
    assert_int_equal(
        case_decide(s, &handl, T0, &tk, full.number, full.revision, &all, &d, &full, &r), ERR_OK);
    assert_int_equal(full.outcome, CASE_APPROVED);
    assert_string_equal(d.kind, "approved");
    /* decision numbers are a series of their own */
    struct store_case_decision *ds = NULL;
    size_t nd = 0;
    assert_int_equal(store_case_decisions(s, row_of(full.number).id, &ds, &nd), ERR_OK);
    assert_int_equal(nd, 1);
    assert_string_equal(ds[0].number, d.number);
    free(ds);
}

/* ---- four eyes ---- */

static void test_four_eyes(void **state)
{
    (void)state;
    struct svc_result r;
    struct case_status st;
    /* a case written into the store by hand: created by c0, version 1 by
     * v1, the draft by d0, a save by s0 and an attachment by a0 in its
     * history - all of them handläggare now */
    const char *involved[] = {"c0", "v1", "d0", "s0", "a0"};
    struct svc_actor who[5];
    for (size_t i = 0; i < 5; i++)
        who[i] = person(involved[i], PERM_HANDLAGGARE, "");
    struct store_case c;
    memset(&c, 0, sizeof(c));
    snprintf(c.kind, sizeof(c.kind), "%s", tk.id);
    snprintf(c.number, sizeof(c.number), "TST-2025-000001");
    snprintf(c.program, sizeof(c.program), "eyes");
    snprintf(c.party, sizeof(c.party), "0180");
    snprintf(c.subject, sizeof(c.subject), "eyes/0180");
    char text[] = "{\"amount_ore\":1000,\"title\":\"x\"}";
    struct store_case_version v = {1, text, "", 1000, "2026-04-15T10:01:00Z", "v1"};
    struct store_case_version d = {0, text, "", 1000, "2026-04-15T10:02:00Z", "d0"};
    struct store_case_event e1 = {0, "save", 0, "", "2026-04-15T10:00:30Z", "s0"};
    struct store_case_event e2 = {0, "attach", 0, "plan", "2026-04-15T10:00:40Z", "a0"};
    assert_int_equal(store_begin(s), ERR_OK);
    assert_int_equal(store_case_create(s, &c, "2026-04-15T10:00:00Z", "c0"), ERR_OK);
    assert_int_equal(store_case_version_put(s, c.id, &v), ERR_OK);
    assert_int_equal(store_case_version_put(s, c.id, &d), ERR_OK);
    assert_int_equal(store_case_event_add(s, c.id, &e1), ERR_OK);
    assert_int_equal(store_case_event_add(s, c.id, &e2), ERR_OK);
    long long rev = c.revision;
    c.state = CASE_SUBMITTED;
    c.version = 1;
    assert_int_equal(store_case_update(s, &c, rev, "2026-04-15T10:02:00Z", "v1"), ERR_OK);
    assert_int_equal(store_commit(s), ERR_OK);
    struct case_decision_in in = {1000, NULL, NULL, NULL};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(case_decide(s, &who[i], T0, &tk, c.number, c.revision, &in, NULL, &st, &r),
                         ERR_DENIED);
        assert_non_null(strstr(msgtext(&r.msg), c.number));
        assert_non_null(strstr(msgtext(&r.msg), "själv"));
        assert_int_equal(
            case_return(s, &who[i], T0, &tk, c.number, c.revision, "Komplettera", &st, &r),
            ERR_DENIED);
    }
    /* someone who was never in it decides */
    assert_int_equal(case_decide(s, &handl2, T0, &tk, c.number, c.revision, &in, NULL, &st, &r),
                     ERR_OK);
    /* and through the service: the ombud who submitted, made a
     * handläggare later (the recipient role taken away first), is refused */
    struct case_status mine = submit(new_draft("eyes-2", 1000));
    struct svc_result rr;
    assert_int_equal(auth_user_role(s, &sys, T0, "ombud", PERM_OMBUD, "0180", 0, &rr), ERR_OK);
    struct svc_actor turned = person("ombud", PERM_HANDLAGGARE, "");
    assert_int_equal(
        case_decide(s, &turned, T0, &tk, mine.number, mine.revision, &in, NULL, &st, &r),
        ERR_DENIED);
    assert_non_null(strstr(msgtext(&r.msg), "själv"));
    assert_int_equal(auth_user_role(s, &sys, T0, "ombud", PERM_HANDLAGGARE, "", 0, &rr), ERR_OK);
    assert_int_equal(auth_user_role(s, &sys, T0, "ombud", PERM_OMBUD, "0180", 1, &rr), ERR_OK);
    assert_int_equal(svc_actor_cli(s, "ombud", "0180", &ombud, &rr), ERR_OK);
    ombud.origin = SVC_WEB;
}

/* ---- attachments ---- */

static long long blobs(void)
{
    long long n = 0;
    struct row {
        long long n;
    } x;
    static const struct sql_col cols[] = {SQL_C_INT(struct row, n)};
    static const struct sql_map map = SQL_MAP(struct row, cols);
    assert_int_equal(sql_get(s, "blobs", "SELECT COUNT(*) FROM blobs", SQL_NOARGS, &map, &x),
                     ERR_OK);
    n = x.n;
    return n;
}

static void test_attachments(void **state)
{
    (void)state;
    struct svc_result r;
    struct case_status st = new_draft("files", 1000), o = new_draft("files-2", 1000);
    const char pdf[] = "%PDF-1.4 a plan";
    long long b0 = blobs();
    long long rows = audit_rows();
    int64_t used0 = 0; /* the earlier tests' files of 0180 */
    assert_int_equal(store_case_usage(s, "0180", &used0), ERR_OK);
    /* refused: no such slot, a type not allowed, bytes not of the type,
     * empty, a name over two lines, too large */
    assert_int_equal(case_attach(s, &ombud, T0, &tk, st.number, st.revision, "cv", "a.pdf",
                                 "application/pdf", pdf, sizeof(pdf) - 1, &st, &r),
                     ERR_INVALID);
    assert_int_equal(case_attach(s, &ombud, T0, &tk, st.number, st.revision, "plan", "a.exe",
                                 "application/x-msdownload", pdf, sizeof(pdf) - 1, &st, &r),
                     ERR_INVALID);
    assert_non_null(issue(&r.issues, "plan"));
    assert_int_equal(case_attach(s, &ombud, T0, &tk, st.number, st.revision, "plan", "a.pdf",
                                 "application/pdf", "GIF89a", 6, &st, &r),
                     ERR_INVALID);
    assert_int_equal(case_attach(s, &ombud, T0, &tk, st.number, st.revision, "plan", "a.pdf",
                                 "application/pdf", "", 0, &st, &r),
                     ERR_INVALID);
    assert_int_equal(case_attach(s, &ombud, T0, &tk, st.number, st.revision, "plan", "a\nb.pdf",
                                 "application/pdf", pdf, sizeof(pdf) - 1, &st, &r),
                     ERR_INVALID);
    static char big[1001];
    memset(big, 'x', sizeof(big));
    assert_int_equal(case_attach(s, &ombud, T0, &tk, st.number, st.revision, "plan", "big.txt",
                                 "text/plain", big, sizeof(big), &st, &r),
                     ERR_LIMIT);
    assert_int_equal(blobs(), b0);
    assert_int_equal(audit_rows(), rows);
    /* the same bytes in two slots of two cases: one blob, counted once */
    assert_int_equal(case_attach(s, &ombud, T0, &tk, st.number, st.revision, "plan", "plan.pdf",
                                 "application/pdf", pdf, sizeof(pdf) - 1, &st, &r),
                     ERR_OK);
    assert_int_equal(case_attach(s, &ombud, T0, &tk, st.number, st.revision, "annex", "kopia.pdf",
                                 "application/pdf", pdf, sizeof(pdf) - 1, &st, &r),
                     ERR_OK);
    assert_int_equal(case_attach(s, &ombud, T0, &tk, o.number, o.revision, "plan", "plan.pdf",
                                 "application/pdf", pdf, sizeof(pdf) - 1, &o, &r),
                     ERR_OK);
    assert_int_equal(blobs(), b0 + 1);
    int64_t used = 0;
    assert_int_equal(store_case_usage(s, "0180", &used), ERR_OK);
    assert_int_equal(used, used0 + (int64_t)sizeof(pdf) - 1);
    /* the quota: 1500 bytes for the party, each file's bytes once */
    memset(big, 'a', 1000);
    assert_int_equal(case_attach(s, &ombud, T0, &tk, o.number, o.revision, "annex", "a.txt",
                                 "text/plain", big, 1000, &o, &r),
                     ERR_OK);
    memset(big, 'b', 1000);
    long long before = audit_rows();
    assert_int_equal(case_attach(s, &ombud, T0, &tk, st.number, st.revision, "annex", "b.txt",
                                 "text/plain", big, 1000, &st, &r),
                     ERR_LIMIT);
    assert_non_null(issue(&r.issues, "annex"));
    assert_int_equal(audit_rows(), before);
    assert_int_equal(blobs(), b0 + 2); /* undone with its transaction */
    /* replacing the 1000 a's frees their room: now the b's fit */
    assert_int_equal(case_attach(s, &ombud, T0, &tk, o.number, o.revision, "annex", "liten.txt",
                                 "text/plain", "liten", 5, &o, &r),
                     ERR_OK);
    assert_int_equal(case_attach(s, &ombud, T0, &tk, st.number, st.revision, "annex", "b.txt",
                                 "text/plain", big, 1000, &st, &r),
                     ERR_OK);
    /* submitted: the draft's files go with the version; a file asked for
     * later lands on that version */
    st = submit(st);
    struct store_case_file *f = NULL;
    size_t nf = 0;
    long long id = row_of(st.number).id;
    assert_int_equal(store_case_files(s, id, 1, &f, &nf), ERR_OK);
    assert_int_equal(nf, 2);
    free(f);
    assert_int_equal(case_attach(s, &ombud, T0, &tk, st.number, st.revision, "plan", "ny.txt",
                                 "text/plain", "ny plan", 7, &st, &r),
                     ERR_OK);
    assert_int_equal(store_case_files(s, id, 1, &f, &nf), ERR_OK);
    assert_int_equal(nf, 2);
    int found = 0;
    for (size_t i = 0; i < nf; i++)
        found |= !strcmp(f[i].slot, "plan") && !strcmp(f[i].name, "ny.txt");
    assert_true(found);
    free(f);
    struct audit_report ar;
    if (audit_verify(s, &ar) != ERR_OK)
        fail_msg("audit: %s", ar.msg);
}

/* ---- history, diff, notes, the audit entity ---- */

static void test_history_and_diff(void **state)
{
    (void)state;
    struct svc_result r;
    struct case_status st = submit(new_draft("diff", 500000));
    assert_int_equal(
        case_return(s, &handl, T0, &tk, st.number, st.revision, "Sänk beloppet", &st, &r), ERR_OK);
    json_t *c = content("Fler handledare", 450000);
    struct case_receipt rc;
    assert_int_equal(
        case_submit(s, &ombud, T0, &tk, st.number, st.revision, c, &MAX, NULL, &rc, &st, &r),
        ERR_OK);
    json_decref(c);
    assert_int_equal(rc.version, 2);
    struct case_diff d;
    assert_int_equal(case_diff(s, &handl, T0, &tk, st.number, 1, 2, &d, &r), ERR_OK);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].label, "Belopp");
    assert_string_equal(d.v[0].old_value, "500000");
    assert_string_equal(d.v[0].new_value, "450000");
    /* the agency does not diff against the draft */
    assert_int_equal(case_diff(s, &handl, T0, &tk, st.number, 0, 2, &d, &r), ERR_NOTFOUND);
    assert_int_equal(case_diff(s, &ombud, T0, &tk, st.number, 2, 0, &d, &r), ERR_OK);
    assert_int_equal(d.n, 0);
    assert_int_equal(case_diff(s, &ombud, T0, &tk, st.number, 1, 3, &d, &r), ERR_NOTFOUND);
    long long nid = 0;
    assert_int_equal(case_note(s, &handl, T0, &tk, st.number, "Beloppet rimligt nu.", &nid, &r),
                     ERR_OK);
    assert_true(nid > 0);
    assert_int_equal(case_note(s, &handl, T0, &tk, st.number, " ", NULL, &r), ERR_INVALID);
    struct store_case_event *ev = NULL;
    size_t n = 0;
    assert_int_equal(case_history(s, &ombud, T0, &tk, st.number, &ev, &n, &r), ERR_OK);
    const char *want[] = {"save", "submit", "return", "submit"};
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(ev[i].verb, want[i]);
    assert_string_equal(ev[2].message, "Sänk beloppet");
    assert_string_equal(ev[2].by, "handl");
    free(ev);
    /* the party sees no notes, the agency does */
    struct case_view v;
    assert_int_equal(case_get(s, &ombud, T0, &tk, st.number, &v, &r), ERR_OK);
    assert_int_equal(v.nnotes, 0);
    assert_int_equal(v.nversions, 2);
    case_view_release(&v);
    assert_int_equal(case_get(s, &handl, T0, &tk, st.number, &v, &r), ERR_OK);
    assert_int_equal(v.nnotes, 1);
    assert_string_equal(v.notes[0].text, "Beloppet rimligt nu.");
    case_view_release(&v);
    /* the audit record names the case's entity, and its digest covers the
     * case's rows: a row changed behind the trail is found */
    char object[64], ent[STORE_ENTITY_LEN];
    snprintf(object, sizeof(object), "%s:%s", tk.id, st.number);
    assert_int_equal(store_entity_of(s, object, ent), ERR_OK);
    snprintf(object, sizeof(object), "case:%s", st.number);
    assert_string_equal(ent, object);
    struct audit_report ar;
    if (audit_verify(s, &ar) != ERR_OK)
        fail_msg("audit: %s", ar.msg);
    char sql[200];
    snprintf(sql, sizeof(sql), "UPDATE case_notes SET text = 'ändrad' WHERE id = %lld", nid);
    assert_int_equal(sql_exec(s, "tamper", sql, SQL_NOARGS, NULL), ERR_OK);
    assert_int_equal(audit_verify(s, &ar), ERR_INVALID);
    assert_non_null(strstr(ar.msg, st.number));
    snprintf(sql, sizeof(sql),
             "UPDATE case_notes SET text = 'Beloppet rimligt nu.' WHERE id = %lld", nid);
    assert_int_equal(sql_exec(s, "untamper", sql, SQL_NOARGS, NULL), ERR_OK);
    assert_int_equal(audit_verify(s, &ar), ERR_OK);
}

/* ---- the requisition on the engine ---- */
/* ---- in-call steps and supplementary decisions ---- */

/* A kind's module begins its own call, checks its own rules, and runs the
 * engine's steps in that call: one transaction, one audit record; a step
 * that fails undoes what an earlier step of the call wrote. */
static void test_in_call_steps(void **state)
{
    (void)state;
    struct svc_call c;
    struct svc_result r;
    struct case_status st;
    struct store_case row;
    int created = 0;
    json_t *good = content("I samma anrop", 300000);
    json_t *bad = json_pack("{s:s}", "amount_ore", "inte ett tal");
    long long rows = audit_rows();
    /* open (no record) and save in one call: one record */
    assert_int_equal(svc_begin(&c, s, &ombud, ACT_REQ_SAVE, T0, &r), ERR_OK);
    assert_int_equal(case_open_in(&c, &tk, "incall", "0180", &st, &created), ERR_OK);
    assert_int_equal(created, 1);
    assert_true(c.in_txn);
    assert_int_equal(case_save_in(&c, &tk, st.number, st.revision, good, &MAX, NULL, &st), ERR_OK);
    assert_int_equal(svc_end(&c, ERR_OK), ERR_OK);
    assert_int_equal(audit_rows(), rows + 1);
    row = row_of(st.number);
    assert_int_equal(row.state, CASE_DRAFT);
    assert_int_equal(row.revision, st.revision);
    /* opening it again finds it, writes nothing */
    assert_int_equal(svc_begin(&c, s, &ombud, ACT_REQ_SAVE, T0, &r), ERR_OK);
    struct case_status again;
    assert_int_equal(case_open_in(&c, &tk, "incall", "0180", &again, &created), ERR_OK);
    assert_int_equal(created, 0);
    assert_string_equal(again.number, st.number);
    svc_rollback(&c);
    assert_int_equal(svc_end(&c, ERR_OK), ERR_OK);
    /* a new case whose save fails: the case is not created either */
    assert_int_equal(svc_begin(&c, s, &ombud, ACT_REQ_SAVE, T0, &r), ERR_OK);
    struct case_status gone;
    assert_int_equal(case_open_in(&c, &tk, "incall-2", "0180", &gone, &created), ERR_OK);
    assert_int_equal(created, 1);
    assert_int_equal(case_save_in(&c, &tk, gone.number, gone.revision, bad, &MAX, NULL, &gone),
                     ERR_INVALID);
    assert_int_equal(svc_end(&c, ERR_INVALID), ERR_INVALID);
    assert_int_equal(store_case_get(s, gone.number, &row), ERR_NOTFOUND);
    assert_int_equal(store_case_get_subject(s, tk.id, "incall-2/0180", &row), ERR_NOTFOUND);
    assert_int_equal(audit_rows(), rows + 1);
    /* the caller's own rule refuses after the step: nothing stays */
    struct case_receipt rc;
    assert_int_equal(svc_begin(&c, s, &ombud, ACT_REQ_SUBMIT, T0, &r), ERR_OK);
    assert_int_equal(
        case_submit_in(&c, &tk, st.number, st.revision, NULL, &MAX, NULL, "k-1", &rc, &st), ERR_OK);
    assert_int_equal(svc_end(&c, svc_fail(&c, ERR_DENIED, M_("Ärendet finns inte."))), ERR_DENIED);
    row = row_of(st.number);
    assert_int_equal(row.state, CASE_DRAFT);
    assert_int_equal(row.version, 0);
    assert_int_equal(audit_rows(), rows + 1);
    /* submitted for real, then returned and decided by steps */
    st.revision = row.revision;
    assert_int_equal(svc_begin(&c, s, &ombud, ACT_REQ_SUBMIT, T0, &r), ERR_OK);
    assert_int_equal(
        case_submit_in(&c, &tk, st.number, st.revision, NULL, &MAX, NULL, "k-1", &rc, &st), ERR_OK);
    assert_int_equal(svc_end(&c, ERR_OK), ERR_OK);
    assert_int_equal(rc.version, 1);
    assert_int_equal(audit_rows(), rows + 2);
    assert_int_equal(svc_begin(&c, s, &handl, ACT_REQ_RETURN, T0, &r), ERR_OK);
    assert_int_equal(case_return_in(&c, &tk, st.number, st.revision, "Komplettera", &st), ERR_OK);
    assert_int_equal(svc_end(&c, ERR_OK), ERR_OK);
    assert_int_equal(st.state, CASE_RETURNED);
    st = submit(st);
    struct store_case_decision d;
    struct case_decision_in in = {300000, NULL, NULL, NULL};
    /* a step checks the revision inside the caller's call */
    assert_int_equal(svc_begin(&c, s, &handl, ACT_REQ_APPROVE, T0, &r), ERR_OK);
    assert_int_equal(case_decide_in(&c, &tk, st.number, st.revision - 1, &in, &d, &st),
                     ERR_CONFLICT);
    assert_int_equal(svc_end(&c, ERR_CONFLICT), ERR_CONFLICT);
    assert_int_equal(row_of(st.number).state, CASE_SUBMITTED);
    long long before = audit_rows();
    assert_int_equal(svc_begin(&c, s, &handl, ACT_REQ_APPROVE, T0, &r), ERR_OK);
    assert_int_equal(case_decide_in(&c, &tk, st.number, st.revision, &in, &d, &st), ERR_OK);
    assert_int_equal(svc_end(&c, ERR_OK), ERR_OK);
    assert_int_equal(audit_rows(), before + 1);
    assert_int_equal(st.state, CASE_DECIDED);
    assert_int_equal(st.outcome, CASE_APPROVED);
    json_decref(good);
    json_decref(bad);
    struct audit_report ar;
    if (audit_verify(s, &ar) != ERR_OK)
        fail_msg("audit: %s", ar.msg);
}

/* A file with a save or a submission: in the same step and record; a
 * file the slot refuses undoes the whole call. */
static void test_file_in_step(void **state)
{
    (void)state;
    struct svc_call c;
    struct svc_result r;
    struct case_status st, gone;
    struct case_receipt rc;
    struct store_case row;
    struct store_case_file *fs = NULL;
    size_t n = 0;
    int created = 0;
    json_t *good = content("Med fil", 200000);
    const struct case_file_in plan = {"plan", "plan.txt", "text/plain", "en plan", 7};
    const struct case_file_in fake = {"plan", "plan.pdf", "application/pdf", "inte pdf", 8};
    long long rows = audit_rows();
    assert_int_equal(svc_begin(&c, s, &ombud, ACT_REQ_SAVE, T0, &r), ERR_OK);
    assert_int_equal(case_open_in(&c, &tk, "withfile", "0180", &st, &created), ERR_OK);
    assert_int_equal(case_save_in(&c, &tk, st.number, st.revision, good, &MAX, &plan, &st), ERR_OK);
    assert_int_equal(svc_end(&c, ERR_OK), ERR_OK);
    assert_int_equal(audit_rows(), rows + 1);
    row = row_of(st.number);
    assert_int_equal(store_case_files(s, row.id, 0, &fs, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(fs[0].name, "plan.txt");
    assert_int_equal(fs[0].size, 7);
    free(fs);
    /* bytes that are not of the type: refused, and the new case with it */
    assert_int_equal(svc_begin(&c, s, &ombud, ACT_REQ_SAVE, T0, &r), ERR_OK);
    assert_int_equal(case_open_in(&c, &tk, "withfile-2", "0180", &gone, &created), ERR_OK);
    assert_int_equal(case_save_in(&c, &tk, gone.number, gone.revision, good, &MAX, &fake, &gone),
                     ERR_INVALID);
    assert_non_null(issue(&r.issues, "plan"));
    assert_int_equal(svc_end(&c, ERR_INVALID), ERR_INVALID);
    assert_int_equal(store_case_get_subject(s, tk.id, "withfile-2/0180", &row), ERR_NOTFOUND);
    assert_int_equal(audit_rows(), rows + 1);
    /* a submission with a new file: it goes with version 1 */
    const struct case_file_in plan2 = {"plan", "plan-2.txt", "text/plain", "en ny plan", 10};
    assert_int_equal(svc_begin(&c, s, &ombud, ACT_REQ_SUBMIT, T0, &r), ERR_OK);
    assert_int_equal(
        case_submit_in(&c, &tk, st.number, st.revision, NULL, &MAX, &plan2, NULL, &rc, &st),
        ERR_OK);
    assert_int_equal(svc_end(&c, ERR_OK), ERR_OK);
    assert_int_equal(audit_rows(), rows + 2);
    row = row_of(st.number);
    assert_int_equal(row.version, 1);
    assert_int_equal(store_case_files(s, row.id, 1, &fs, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(fs[0].name, "plan-2.txt");
    free(fs);
    json_decref(good);
    struct audit_report ar;
    if (audit_verify(s, &ar) != ERR_OK)
        fail_msg("audit: %s", ar.msg);
}

/* A supplementary decision (a redistribution's) on a decided case: its
 * own number, the case's state and outcome unchanged, the record on the
 * case; refused on a case not granted. */
static void test_supplementary(void **state)
{
    (void)state;
    struct svc_call c;
    struct svc_result r;
    struct store_case_decision d, sup;
    struct case_status st = in_state(CASE_DECIDED, 9001), x;
    struct store_case before = row_of(st.number);
    long long rows = audit_rows();
    assert_int_equal(svc_begin(&c, s, &handl, ACT_REQ_REDISTRIBUTE, T0, &r), ERR_OK);
    assert_int_equal(case_supplement_in(&c, &tk, st.number, "b2", 12300, 7, &sup, &x), ERR_OK);
    assert_int_equal(svc_end(&c, ERR_OK), ERR_OK);
    assert_int_equal(audit_rows(), rows + 1);
    struct store_case after = row_of(st.number);
    assert_int_equal(after.state, CASE_DECIDED);
    assert_int_equal(after.outcome, before.outcome);
    assert_int_equal(after.version, before.version);
    assert_true(after.revision != before.revision);
    assert_int_equal(strncmp(sup.number, "TSB-2026-", 9), 0);
    assert_int_equal(store_case_decision_get(s, sup.number, &d), ERR_OK);
    assert_string_equal(d.kind, "supplementary");
    assert_string_equal(d.block, "b2");
    assert_int_equal(d.amount_ore, 12300);
    assert_int_equal(d.run_id, 7);
    struct store_case_decision *ds = NULL;
    size_t nd = 0;
    assert_int_equal(store_case_decisions(s, after.id, &ds, &nd), ERR_OK);
    assert_int_equal(nd, 2);
    assert_string_equal(ds[0].kind, "approved");
    assert_string_equal(ds[1].number, sup.number);
    free(ds);
    /* not on a submitted, a rejected or a withdrawn case; nothing written */
    struct case_status sub = in_state(CASE_SUBMITTED, 9002);
    struct case_status wd = in_state(CASE_WITHDRAWN, 9003);
    struct case_status rj = submit(new_draft("supp-rejected", 500000));
    struct case_decision_in no = {0, "Utanför syftet.", "", ""};
    assert_int_equal(case_decide(s, &handl, T0, &tk, rj.number, rj.revision, &no, &d, &rj, &r),
                     ERR_OK);
    const char *refused[] = {sub.number, wd.number, rj.number};
    rows = audit_rows();
    for (size_t i = 0; i < 3; i++) {
        struct store_case b = row_of(refused[i]);
        assert_int_equal(svc_begin(&c, s, &handl, ACT_REQ_REDISTRIBUTE, T0, &r), ERR_OK);
        assert_int_equal(case_supplement_in(&c, &tk, refused[i], "b2", 100, 7, &sup, &x),
                         ERR_CONFLICT);
        assert_int_equal(svc_end(&c, ERR_CONFLICT), ERR_CONFLICT);
        assert_int_equal(row_of(refused[i]).revision, b.revision);
    }
    /* nor a nothing */
    assert_int_equal(svc_begin(&c, s, &handl, ACT_REQ_REDISTRIBUTE, T0, &r), ERR_OK);
    assert_int_equal(case_supplement_in(&c, &tk, st.number, "b2", 0, 7, &sup, &x), ERR_INVALID);
    assert_int_equal(svc_end(&c, ERR_INVALID), ERR_INVALID);
    assert_int_equal(audit_rows(), rows);
    struct audit_report ar;
    if (audit_verify(s, &ar) != ERR_OK)
        fail_msg("audit: %s", ar.msg);
}

static void test_requisition_kind(void **state)
{
    (void)state;
    struct svc_result r;
    struct diag dg;
    struct program_view pv;
    struct case_status st, other;
    struct case_receipt rc;
    struct store_case_decision d;
    const struct case_kind *k = reqcase_kind();
    assert_int_equal(reqcase_register(), ERR_OK);
    diag_init(&dg, 5);
    assert_int_equal(programs_get(s, "kompetens-2026", &pv, &dg), ERR_OK);
    diag_release(&dg);
    int64_t max = req_max_ore(&pv.alloc, "0180");
    assert_true(max > 0);
    struct reqcase_ctx ctx = {&pv.prog, max, NULL};
    struct req_form f;
    req_form_init(&f);
    snprintf(f.program, sizeof(f.program), "kompetens-2026");
    snprintf(f.recipient, sizeof(f.recipient), "0180");
    f.amount_ore = max + 100; /* above the maximum */
    assert_int_equal(req_measure_add(&f, "vfu", "Fler handledare för VFU", 0), ERR_OK);
    snprintf(f.contact_name, sizeof(f.contact_name), "Åsa Öberg");
    snprintf(f.contact_email, sizeof(f.contact_email), "asa.oberg@example.se");
    snprintf(f.contact_phone, sizeof(f.contact_phone), "08-123 456 78");
    snprintf(f.account_kind, sizeof(f.account_kind), "bankgiro");
    snprintf(f.account, sizeof(f.account), "5050-1055");
    f.confirmed = 1;
    json_t *j = NULL;
    assert_int_equal(reqcase_to_json(&f, &j), ERR_OK);
    assert_int_equal(case_open(s, &ombud, T0, k, "kompetens-2026", "0180", &st, &r), ERR_OK);
    assert_int_equal(strncmp(st.number, "REK-2026-", 9), 0);
    assert_int_equal(
        case_submit(s, &ombud, T0, k, st.number, st.revision, j, &ctx, "r-1", &rc, &st, &r),
        ERR_INVALID);
    assert_non_null(strstr(issue(&r.issues, "amount"), "högst"));
    json_decref(j);
    f.amount_ore = 1000000000 < max ? 1000000000 : max; /* at most 10 000 000 kr */
    assert_int_equal(reqcase_to_json(&f, &j), ERR_OK);
    assert_int_equal(
        case_submit(s, &ombud, T0, k, st.number, st.revision, j, &ctx, "r-1", &rc, &st, &r),
        ERR_OK);
    assert_int_equal(rc.amount_ore, f.amount_ore);
    /* the plan as an attachment: PDF or XLSX by its bytes */
    assert_int_equal(case_attach(s, &ombud, T0, k, st.number, st.revision, "plan", "plan.txt",
                                 "text/plain", "en plan", 7, &st, &r),
                     ERR_INVALID);
    assert_int_equal(case_attach(s, &ombud, T0, k, st.number, st.revision, "plan", "plan.pdf",
                                 "application/pdf", "%PDF-1.7 plan", 13, &st, &r),
                     ERR_OK);
    /* the audit records name the case's entity */
    char object[64], ent[STORE_ENTITY_LEN];
    snprintf(object, sizeof(object), "requisition:%s", st.number);
    assert_int_equal(store_entity_of(s, object, ent), ERR_OK);
    snprintf(object, sizeof(object), "case:%s", st.number);
    assert_string_equal(ent, object);
    /* a partial grant gives its reasons; the decision its own number */
    struct case_decision_in part = {f.amount_ore / 2, NULL, "Beslutet kan inte överklagas.", ""};
    assert_int_equal(case_decide(s, &handl, T0, k, st.number, st.revision, &part, &d, &st, &r),
                     ERR_INVALID);
    assert_non_null(issue(&r.issues, "reasons"));
    part.reasons = "Hälften av insatserna ryms inte i syftet.";
    assert_int_equal(case_decide(s, &handl, T0, k, st.number, st.revision, &part, &d, &st, &r),
                     ERR_OK);
    assert_int_equal(st.outcome, CASE_PARTLY_APPROVED);
    assert_int_equal(strncmp(d.number, "BES-2026-", 9), 0);
    /* another recipient withdraws its submitted requisition */
    struct svc_result rr;
    assert_int_equal(case_open(s, &gbg, T0, k, "kompetens-2026", "1480", &other, &rr), ERR_OK);
    snprintf(f.recipient, sizeof(f.recipient), "1480");
    f.amount_ore = 100000;
    json_decref(j);
    assert_int_equal(reqcase_to_json(&f, &j), ERR_OK);
    ctx.max_ore = req_max_ore(&pv.alloc, "1480");
    assert_int_equal(
        case_submit(s, &gbg, T0, k, other.number, other.revision, j, &ctx, "r-1", &rc, &other, &rr),
        ERR_OK);
    assert_int_equal(case_withdraw(s, &gbg, T0, k, other.number, other.revision, &other, &rr),
                     ERR_OK);
    assert_int_equal(other.state, CASE_WITHDRAWN);
    struct audit_report ar;
    if (audit_verify(s, &ar) != ERR_OK)
        fail_msg("audit: %s", ar.msg);
    json_decref(j);
    req_form_release(&f);
    program_view_release(&pv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_transition), cmocka_unit_test(test_who_may),
        cmocka_unit_test(test_idempotency),      cmocka_unit_test(test_revision_conflict),
        cmocka_unit_test(test_reasons_required), cmocka_unit_test(test_four_eyes),
        cmocka_unit_test(test_attachments),      cmocka_unit_test(test_history_and_diff),
        cmocka_unit_test(test_requisition_kind), cmocka_unit_test(test_in_call_steps),
        cmocka_unit_test(test_supplementary),    cmocka_unit_test(test_file_in_step),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
