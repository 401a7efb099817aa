/* test_redistplan_svc.c - the offline what-if ('bidrag redistribute
 * --requisitions', core/redistplan) gives exactly what the e-service's
 * redistribution gives (service/requisition): the same requisitions are
 * submitted, approved (some reduced) and previewed through the service,
 * and every recipient's supplementary amount, the pot and what stays
 * unpaid are compared with redistplan_run over the same inputs. Both run
 * the one rule now (the service calls redistplan_run); kept as a
 * regression test of what the service feeds it (approved amounts, opt-in,
 * caps from the approved version) and writes from it. */
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
#include "core/redistplan.h"
#include "service/auth.h"
#include "service/programs.h"
#include "service/refdata.h"
#include "service/requisition.h"
#include "util/clock.h"
#include "../msgtext.h"

#define SET(dst, v) snprintf(dst, sizeof(dst), "%s", v)
#define P "tillganglighet-2026"
#define KR 100

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static char dir[256], dbpath[300];
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

static int setup(void **state)
{
    (void)state;
    const char *src = getenv("BIDRAG_SRC");
    char k[700], r[700], p[700], prog[700];
    struct diag d;
    struct svc_result res;
    if (!src)
        src = BIDRAG_SOURCE_DIR;
    snprintf(dir, sizeof(dir), "/tmp/bidrag-test-rplan-%d", (int)getpid());
    snprintf(dbpath, sizeof(dbpath), "%s/x.db", dir);
    if (auth_init() != ERR_OK || store_open(dbpath, STORE_OPEN_CREATE, &s) != ERR_OK)
        return -1;
    svc_actor_system(&sys);
    diag_init(&d, 20);
    snprintf(k, sizeof(k), "%s/data/reference/kommuner.csv", src);
    snprintf(r, sizeof(r), "%s/data/reference/regioner.csv", src);
    snprintf(p, sizeof(p), "%s/data/reference/folkmangd_kommun_2024-12-31.csv", src);
    snprintf(prog, sizeof(prog), "%s/data/programs/%s.ini", src, P);
    struct import_opts o = {SERIES_POPULATION, "folkmangd", NULL, 0};
    struct series se;
    int rc = refdata_load_orgs(s, &sys, 0, k, r, &d, &res) != ERR_OK ||
             refdata_import(s, &sys, 0, p, &o, &se, &d, &res) != ERR_OK;
    if (!rc)
        series_release(&se);
    rc = rc || programs_load(s, &sys, 0, prog, &d, &res) != ERR_OK ||
         programs_confirm_standin(s, &sys, 0, P, "test", &res) != ERR_OK;
    if (rc)
        diag_print(&d, stderr);
    diag_release(&d);
    return rc ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    store_close(s);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* One region's requisition: asked (kronor, -1 = its maximum), approved
 * (-1 = as asked), opt-in and cap (kronor, -1 = as much as possible). */
struct one {
    const char *code;
    int64_t asked_kr, approved_kr;
    int opt_in;
    int64_t cap_kr;
};

static void test_same_rule(void **state)
{
    (void)state;
    struct program_view v;
    assert_int_equal(programs_get(s, P, &v, NULL), ERR_OK);
    const int64_t m01 = req_max_ore(&v.alloc, "01") / KR, m05 = req_max_ore(&v.alloc, "05") / KR;
    /* full and uncapped; full with caps that bind in the first and in a
     * later round; 1 kr; reduced by the officer; opted out; cap 0 */
    const struct one in[] = {
        {"01", -1, -1, 1, -1},        {"03", -1, -1, 1, 1000000},
        {"04", 1, -1, 1, -1},         {"05", -1, m05 - 29432203, 1, -1},
        {"06", -1, -1, 0, -1},        {"07", -1, -1, 1, 0},
        {"12", -1, -1, 1, 900000000}, {"14", -1, -1, 1, 2000000000},
        {"25", -1, -1, 1, 7},         {"09", m01 / 100, -1, 1, -1},
    };
    const size_t n = sizeof(in) / sizeof(in[0]);
    const int64_t T = at("2026-02-02T10:00:00Z");
    struct svc_actor handl = person("hl", PERM_HANDLAGGARE, "");
    struct redistplan_req rq[16];
    memset(rq, 0, sizeof(rq));
    for (size_t i = 0; i < n; i++) {
        char login[32], key[32];
        snprintf(login, sizeof(login), "ombud-%s", in[i].code);
        snprintf(key, sizeof(key), "k-%s", in[i].code);
        struct svc_actor om = person(login, PERM_OMBUD, in[i].code);
        struct req_form f;
        struct req_receipt rc;
        struct req_status st;
        struct svc_result r;
        int64_t max_kr = req_max_ore(&v.alloc, in[i].code) / KR;
        int64_t asked = in[i].asked_kr < 0 ? max_kr : in[i].asked_kr;
        int64_t approved = in[i].approved_kr < 0 ? asked : in[i].approved_kr;
        req_form_init(&f);
        SET(f.program, P);
        SET(f.recipient, in[i].code);
        f.amount_ore = asked * KR;
        assert_int_equal(req_measure_add(&f, "tillganglighet", "Kortare köer", 0), ERR_OK);
        SET(f.contact_name, "Åsa Öberg");
        SET(f.contact_email, "asa@example.se");
        SET(f.contact_phone, "08-123 456 78");
        SET(f.account_kind, "bankgiro");
        SET(f.account, "5050-1055");
        f.confirmed = 1;
        f.opt_in = in[i].opt_in;
        f.extra_cap_ore = in[i].cap_kr < 0 ? REQ_EXTRA_ANY : in[i].cap_kr * KR;
        if (req_submit(s, &om, T, &f, 0, key, &rc, &st, &r) != ERR_OK)
            fail_msg("%s: %s", in[i].code, msgtext(&r.msg));
        req_form_release(&f);
        struct req_status was = st;
        if (req_approve(s, &handl, T, was.case_no, was.revision, approved * KR,
                        approved < asked ? "Delar av insatserna ryms inte i bidraget" : NULL, &st,
                        &r) != ERR_OK)
            fail_msg("approve %s: %s", in[i].code, msgtext(&r.msg));
        SET(rq[i].code, in[i].code);
        rq[i].approved_kr = approved;
        rq[i].opt_in = in[i].opt_in;
        rq[i].cap_kr = in[i].cap_kr < 0 ? REDIST_NO_CAP : in[i].cap_kr;
    }

    /* the service's preview (it writes nothing) */
    struct req_redist_report rep;
    struct req_redist_preview pre;
    struct svc_result r;
    if (req_redistribute_preview(s, &handl, at("2026-03-18T10:00:00Z"), P, &rep, &pre, &r) !=
        ERR_OK)
        fail_msg("preview: %s", msgtext(&r.msg));
    /* the what-if over the same inputs */
    struct redistplan plan;
    assert_int_equal(redistplan_run(&v.alloc, rq, n, &plan), ERR_OK);
    assert_int_equal(rep.nblocks, plan.nblocks);
    assert_int_equal(rep.blocks[0].unrequisitioned_ore, plan.pot_kr * KR);
    assert_int_equal(rep.blocks[0].redistributed_ore, plan.redistributed_kr * KR);
    assert_int_equal(rep.blocks[0].remaining_ore, plan.remaining_kr * KR);
    assert_int_equal(rep.blocks[0].rounds, plan.blocks[0].res.nrounds);
    assert_true(plan.blocks[0].res.nrounds >= 2); /* a cap binds after the first */
    int64_t total = 0;
    size_t with_extra = 0;
    const struct block_result *br = plan.blocks[0].br;
    for (size_t k = 0; k < br->n; k++) {
        int64_t mine = plan.blocks[0].lines[k].extra_kr * KR, theirs = 0;
        for (size_t j = 0; j < pre.n; j++)
            if (!strcmp(pre.lines[j].code, br->lines[k].r.code))
                theirs = pre.lines[j].extra_ore;
        if (mine != theirs)
            fail_msg("%s: what-if %lld öre, service %lld öre", br->lines[k].r.code, (long long)mine,
                     (long long)theirs);
        total += mine;
        with_extra += mine > 0;
    }
    assert_int_equal(total, pre.total_ore);
    assert_int_equal(with_extra, pre.n);
    assert_true(with_extra >= 3);
    redistplan_release(&plan);
    req_redist_preview_release(&pre);
    program_view_release(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_rule),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
