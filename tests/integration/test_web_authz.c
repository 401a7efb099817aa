/* test_web_authz.c - the authorisation matrix: every route against every
 * role (and no login, and another organisation's ombud), over HTTP, for
 * the HTML pages (session cookie) and the JSON API (bearer token). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/action.h"
#include "core/perm.h"
#include "web/web.h"
#include "webtest.h"

#define NP 11
static const struct {
    const char *login;
    const char *roles;
    const char *org;
} personas[NP] = {
    {NULL, NULL, NULL}, /* not logged in */
    {"p-admin", "admin", ""},
    {"p-handl", "handlaggare", ""},
    {"p-attest", "attestant", ""},
    {"p-analys", "analytiker", ""},
    {"p-gransk", "granskare", ""},
    {"p-ombud", "ombud@0180", "0180"},
    {"p-repr", "representant@0180", "0180"},
    {"p-uppg", "uppgiftssamordnare@0180", "0180"},
    {"p-ombud2", "ombud@1480", "1480"},
    {"p-region", "representant@01", "01"},
};

/* Expected status per persona, in the order above. */
static const struct {
    const char *method;
    const char *path;
    int csrf; /* POST with the session's token */
    const char *body;
    int want[NP];
} html_routes[] = {
    /*                                   anon admin hand att  ana  gra  omb  rep  upp  omb2 reg */
    {"GET", "/", 0, NULL, {303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303}},
    {"GET", "/healthz", 0, NULL, {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"GET", "/static/bidrag.css", 0, NULL, {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"GET", "/login", 0, NULL, {200, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303}},
    {"GET", "/login/org", 0, NULL, {303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"GET", "/start", 0, NULL, {303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"GET", "/org/0180", 0, NULL, {303, 403, 403, 403, 403, 403, 200, 200, 200, 403, 403}},
    {"GET", "/org/1480", 0, NULL, {303, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403}},
    {"GET", "/org/01", 0, NULL, {303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200}},
    {"GET", "/org/0180/members", 0, NULL, {303, 403, 403, 403, 403, 403, 200, 200, 200, 403, 403}},
    /* an invitation answers alike whether or not the login exists */
    {"POST",
     "/org/0180/members",
     1,
     "action=invite&login=no-such-user&role=uppgiftssamordnare",
     {401, 403, 403, 403, 403, 403, 303, 303, 403, 403, 403}},
    {"POST",
     "/org/0180/members",
     1,
     "action=invite&login=no-such-user&role=representant",
     {401, 403, 403, 403, 403, 403, 303, 403, 403, 403, 403}},
    {"POST",
     "/invitations",
     1,
     "org=0180&role=representant&answer=none",
     {401, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400}},
    {"POST",
     "/org/0180/members",
     1,
     "action=remove&login=never-invited&role=uppgiftssamordnare",
     {401, 403, 403, 403, 403, 403, 400, 403, 403, 403, 403}},
    {"GET", "/account", 0, NULL, {303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"POST",
     "/account/tokens",
     1,
     "action=none",
     {401, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400}},
    {"GET", "/admin/users", 0, NULL, {303, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"POST",
     "/admin/users",
     1,
     "action=none",
     {401, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"GET", "/audit", 0, NULL, {303, 200, 403, 403, 403, 200, 403, 403, 403, 403, 403}},
    {"GET", "/programs", 0, NULL, {303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"GET", "/programfil", 0, NULL, {303, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"POST", "/programfil", 1, "x=1", {401, 400, 400, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"POST",
     "/programfil/las-in",
     1,
     "namn=x.ini&kalla=x",
     {401, 422, 422, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"GET",
     "/programs/kompetens-2026",
     0,
     NULL,
     {303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"GET", "/programs/no-such", 0, NULL, {303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404}},
    {"GET",
     "/programs/at-2025/fordelning.csv",
     0,
     NULL,
     {303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"GET",
     "/programs/at-2025/fordelning.xlsx",
     0,
     NULL,
     {303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    /* paying out: readers are the agency's requisition readers; creating is
     * the deciders', batching the handläggare's, attesting the attestant's */
    {"GET", "/utbetalningar", 0, NULL, {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    /* an organisation's own payments: its own people only */
    {"GET",
     "/org/0180/utbetalningar",
     0,
     NULL,
     {303, 403, 403, 403, 403, 403, 200, 200, 200, 403, 403}},
    {"GET",
     "/org/1480/utbetalningar",
     0,
     NULL,
     {303, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403}},
    /* the appropriation ledger: the agency's requisition readers read it;
     * own costs are the deciders' (a body without an amount: 400) */
    {"GET",
     "/programs/kompetens-2026/anslag",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/programs/kompetens-2026/anslag?post=12",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/programs/no-such/anslag",
     0,
     NULL,
     {303, 404, 404, 404, 403, 404, 403, 403, 403, 403, 403}},
    {"POST",
     "/programs/kompetens-2026/anslag",
     1,
     "item=12",
     {401, 400, 400, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"GET",
     "/programs/kompetens-2026/anslag.csv",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/programs/kompetens-2026/anslag.xlsx",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"POST",
     "/utbetalningar/skapa",
     1,
     "program=at-2025",
     {401, 303, 303, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"POST",
     "/utbetalningar/omgang",
     1,
     "program=no-such",
     {401, 403, 404, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"POST",
     "/utbetalningar/svar",
     1,
     "x=1",
     {401, 403, 400, 400, 403, 403, 403, 403, 403, 403, 403}},
    {"GET",
     "/utbetalningar/omgang/UTB-2026-0001",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/utbetalningar/omgang/UTB-2026-9999",
     0,
     NULL,
     {303, 404, 404, 404, 403, 404, 403, 403, 403, 403, 403}},
    /* filed already: attesting again is a conflict, the file is the same */
    {"POST",
     "/utbetalningar/omgang/UTB-2026-0001/attest",
     1,
     "action=attest",
     {401, 403, 403, 409, 403, 403, 403, 403, 403, 403, 403}},
    {"POST",
     "/utbetalningar/omgang/UTB-2026-0001/bankfil",
     1,
     "x=1",
     {401, 403, 303, 303, 403, 403, 403, 403, 403, 403, 403}},
    {"GET",
     "/utbetalningar/omgang/UTB-2026-0001/bankfil.xml",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/utbetalningar/omgang/UTB-2026-0001/omgang.csv",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/utbetalningar/omgang/UTB-2026-0001/omgang.xlsx",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"GET", "/statistik", 0, NULL, {303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"GET",
     "/statistik/alder-yrke",
     0,
     NULL,
     {303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"GET",
     "/statistik/alder-yrke/data.csv",
     0,
     NULL,
     {303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"GET", "/statistik/no-such", 0, NULL, {303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404}},
    {"GET",
     "/statistik/bygg?rows=region",
     0,
     NULL,
     {303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    /* saving a query: every role; a query the builder refuses is a 400 */
    {"POST",
     "/statistik/spara",
     1,
     "q=rows%3Dnothing",
     {401, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400}},
    /* a login form not from this browser's login page: refused */
    {"POST",
     "/login",
     1,
     "login=x&password=y",
     {403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403}},
    /* acting for an organisation one has no role in */
    {"POST", "/login/org", 1, "org=9999", {401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"POST",
     "/account/password",
     1,
     "action=none",
     {401, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400}},
    /* without the CSRF token */
    {"POST", "/logout", 0, "", {401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"POST", "/programs", 1, "", {405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405}},
    {"POST", "/start", 1, "", {405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405}},
    {"GET", "/no/such/page", 0, NULL, {404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404}},
    /* requisitions, the organisation's side: only its own people, only by
     * its own code; another organisation's case reads as unknown */
    /*                                   anon admin hand att  ana  gra  omb  rep  upp  omb2 reg */
    {"GET",
     "/org/0180/rekvisitioner",
     0,
     NULL,
     {303, 403, 403, 403, 403, 403, 200, 200, 200, 403, 403}},
    {"GET",
     "/org/1480/rekvisitioner",
     0,
     NULL,
     {303, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403}},
    {"GET",
     "/org/0180/rekvisition/kompetens-2026",
     0,
     NULL,
     {303, 403, 403, 403, 403, 403, 200, 200, 200, 403, 403}},
    {"GET",
     "/org/1480/rekvisition/kompetens-2026",
     0,
     NULL,
     {303, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403}},
    {"GET",
     "/org/0180/rekvisition/no-such",
     0,
     NULL,
     {303, 403, 403, 403, 403, 403, 404, 404, 404, 403, 403}},
    {"POST",
     "/org/0180/rekvisition/kompetens-2026",
     1,
     "action=addrow&rows=3",
     {401, 403, 403, 403, 403, 403, 200, 200, 200, 403, 403}},
    {"POST",
     "/org/1480/rekvisition/kompetens-2026",
     1,
     "action=addrow&rows=3",
     {401, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403}},
    {"GET",
     "/org/0180/kvittens/REK-2026-000001/1",
     0,
     NULL,
     {303, 403, 403, 403, 403, 403, 200, 200, 200, 403, 403}},
    {"GET",
     "/org/1480/kvittens/REK-2026-000001/1",
     0,
     NULL,
     {303, 403, 403, 403, 403, 403, 403, 403, 403, 404, 403}},
    {"GET",
     "/org/0180/kvittens/REK-2026-000001/1/pdf",
     0,
     NULL,
     {303, 403, 403, 403, 403, 403, 200, 200, 200, 403, 403}},
    {"GET",
     "/org/1480/kvittens/REK-2026-000001/1/pdf",
     0,
     NULL,
     {303, 403, 403, 403, 403, 403, 403, 403, 403, 404, 403}},
    {"GET",
     "/org/0180/beslut/BES-2026-000001",
     0,
     NULL,
     {303, 403, 403, 403, 403, 403, 200, 200, 200, 403, 403}},
    {"GET",
     "/org/1480/beslut/BES-2026-000001",
     0,
     NULL,
     {303, 403, 403, 403, 403, 403, 403, 403, 403, 404, 403}},
    /* requisitions, the agency's side: handläggare and admin decide;
     * attestant and granskare read; analytiker and recipients do not */
    {"GET",
     "/programs/kompetens-2026/rekvisitioner",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/programs/kompetens-2026/rekvisitioner?status=approved",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"POST",
     "/programs/kompetens-2026/rekvisitioner",
     1,
     "action=bulk",
     {401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"GET",
     "/programs/kompetens-2026/rekvisitionsoversikt",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/programs/kompetens-2026/rekvisitionsoversikt.xlsx",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/programs/kompetens-2026/beslut",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/programs/kompetens-2026/omfordelning",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    /* confirming stand-in data: officers only (an empty reason is refused) */
    {"POST",
     "/programs/kompetens-2026/ersattningsuppgifter",
     1,
     "reason=",
     {401, 400, 400, 403, 403, 403, 403, 403, 403, 403, 403}},
    /* before the redistribution date: refused with the reason */
    {"POST",
     "/programs/kompetens-2026/omfordelning",
     1,
     "",
     {401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"GET",
     "/rekvisitioner/REK-2026-000001",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/rekvisitioner/REK-2026-999999",
     0,
     NULL,
     {303, 404, 404, 404, 403, 404, 403, 403, 403, 403, 403}},
    {"POST",
     "/rekvisitioner/REK-2026-000001",
     1,
     "action=none&revision=0",
     {401, 400, 400, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"GET",
     "/rekvisitioner/REK-2026-000001/kvittens/1",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    /* production plans: 01's submitted version has one, and so has its
     * draft, which is the region's own: not the agency's to read; 0180's
     * case has none */
    {"GET",
     "/rekvisitioner/REK-2026-000002/plan/1",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/rekvisitioner/REK-2026-000002/plan/0",
     0,
     NULL,
     {303, 404, 404, 404, 403, 404, 403, 403, 403, 403, 403}},
    {"GET",
     "/rekvisitioner/REK-2026-000001/plan/1",
     0,
     NULL,
     {303, 404, 404, 404, 403, 404, 403, 403, 403, 403, 403}},
    {"GET",
     "/beslut/BES-2026-000001",
     0,
     NULL,
     {303, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
};

static const struct {
    const char *path;
    int want[NP];
} api_routes[] = {
    {"/api/v1/me", {401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"/api/v1/audit", {401, 200, 403, 403, 403, 200, 403, 403, 403, 403, 403}},
    {"/api/v1/audit/verify", {401, 200, 403, 403, 403, 200, 403, 403, 403, 403, 403}},
    {"/api/v1/programs", {401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"/api/v1/programs/at-2025/allocation",
     {401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"/api/v1/programs/no-such/allocation",
     {401, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404}},
    {"/api/v1/stats", {401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"/api/v1/stats/alder-yrke", {401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"/api/v1/stats/no-such", {401, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404}},
    {"/api/v1/stats/bygg/metadata", {401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"/api/v1/stats/alder-yrke/data", {401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
    {"/api/v1/programs/kompetens-2026/requisitions",
     {401, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"/api/v1/programs/kompetens-2026/requisitions?state=nonsense",
     {401, 400, 400, 400, 403, 400, 403, 403, 403, 403, 403}},
    {"/api/v1/org/0180/requisitions", {401, 403, 403, 403, 403, 403, 200, 200, 200, 403, 403}},
    {"/api/v1/org/1480/requisitions", {401, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403}},
    /* paying out: the agency's requisition readers read; creating, gathering,
     * attesting and making the file are POST only */
    {"/api/v1/programs/kompetens-2026/ledger",
     {401, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"/api/v1/programs/no-such/ledger", {401, 404, 404, 404, 403, 404, 403, 403, 403, 403, 403}},
    {"/api/v1/payments", {401, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"/api/v1/payments?batch=UTB-2026-9999",
     {401, 404, 404, 404, 403, 404, 403, 403, 403, 403, 403}},
    {"/api/v1/payment-batches", {401, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"/api/v1/payment-batches/UTB-2026-0001/file",
     {401, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403}},
    {"/api/v1/payment-batches/UTB-2026-0001/attest",
     {405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405}},
    {"/api/v1/programs/kompetens-2026/payments",
     {405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405}},
    /* submitting is POST only */
    {"/api/v1/org/0180/requisitions/kompetens-2026",
     {405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405}},
    {"/api/v1/programs/kompetens-2026/requisitions/bulk-approve",
     {405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405}},
    {"/api/v1/nothing", {404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404}},
};

static struct wt_server server;
static const char pw[] = "matris-losenord";
static char tokens[NP][80];

static int plan_draft(void);

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* inside kompetens-2026's requisition window, before its redistribution */
    setenv("BIDRAG_NOW", "2026-04-15T10:00:00Z", 1);
    wt_tmpdir("authz");
    char out[4096];
    wt_capture(out, sizeof(out), "'%s' init --db '%s' --quiet --no-demo-accounts", wt_bidrag(),
               wt_db);
    /* a small synthetic statistics store for the /statistik routes */
    if (wt_sh("'%s' stats synth --rows 2000 --years 2024-2024 --seed 1 --out '%s/s.csv' "
              ">/dev/null && '%s' stats import '%s/s.csv' --db '%s' >/dev/null",
              wt_bidrag(), wt_dir, wt_bidrag(), wt_dir, wt_db) != 0)
        return -1;
    for (int i = 1; i < NP; i++) {
        if (wt_user(personas[i].login, personas[i].login, pw, personas[i].roles) != 0)
            return -1;
        if (personas[i].org[0])
            wt_capture(tokens[i], sizeof(tokens[i]),
                       "'%s' token create '%s' --name t --org '%s' --db '%s'", wt_bidrag(),
                       personas[i].login, personas[i].org, wt_db);
        else
            wt_capture(tokens[i], sizeof(tokens[i]), "'%s' token create '%s' --name t --db '%s'",
                       wt_bidrag(), personas[i].login, wt_db);
        if (strncmp(tokens[i], "bdr_", 4) != 0)
            return -1;
    }
    if (wt_user("p-ny", "Nya Nilsson", pw, NULL) != 0)
        return -1;
    /* one requisition of 0180, submitted and approved: REK-2026-000001 with
     * decision BES-2026-000001 */
    if (wt_sh("'%s' requisition submit kompetens-2026 0180 --as p-ombud --key k1 --set "
              "measure.1.purpose=vfu --set 'measure.1.description=Fler handledare' --set "
              "'contact_name=Olle Ombud' --set contact_email=olle@example.se --set "
              "contact_phone=08-1234567 --set account_kind=bankgiro --set account=5050-1055 "
              "--set confirmed=1 --db '%s' >/dev/null",
              wt_bidrag(), wt_db) != 0 ||
        wt_sh("'%s' requisition approve REK-2026-000001 --as p-handl --db '%s' >/dev/null",
              wt_bidrag(), wt_db) != 0)
        return -1;
    /* its payment in batch UTB-2026-0001, attested and filed */
    if (wt_sh("B='%s'; D='%s'; $B payment create kompetens-2026 --as p-handl --db $D &&"
              " $B payment batch --as p-handl --db $D && $B payment limit p-attest 100000000"
              " --db $D && $B payment attest UTB-2026-0001 --as p-attest --db $D && $B payment"
              " settings --bank danske --name Socialstyrelsen --iban SE4550000000058398257466"
              " --initg-id 2021005703 --db $D && $B payment file UTB-2026-0001 -o '%s/f.xml'"
              " --as p-handl --db $D >/dev/null",
              wt_bidrag(), wt_db, wt_dir) != 0)
        return -1;
    /* in tillganglighet-2026's window, region 01's requisition with a plan */
    setenv("BIDRAG_NOW", "2026-03-05T10:00:00Z", 1);
    if (wt_start(&server, NULL) != 0 || plan_draft() != 0 || wt_stop(&server) != 0)
        return -1;
    setenv("BIDRAG_NOW", "2026-04-15T10:00:00Z", 1);
    return wt_start(&server, NULL);
}

/* Region 01's representant submits a requisition with a production plan
 * (multipart/form-data) in tillganglighet-2026: REK-2026-000002 version 1;
 * its draft (version 0) holds the same plan. */
static int plan_draft(void)
{
    struct wt_client c;
    struct wt_resp r;
    char csrf[65], url[256];
    wt_client_init(&c, server.port);
    if (wt_login(&c, "p-region", pw) != 303)
        return -1;
    wt_csrf_of(&c, "/org/01/rekvisition/tillganglighet-2026", csrf);
    curl_mime *m = curl_mime_init(c.curl);
    const char *kv[] = {"csrf",
                        csrf,
                        "revision",
                        "0",
                        "idem",
                        "0123456789abcdef",
                        "measure.1.purpose",
                        "tillganglighet",
                        "measure.1.description",
                        "Kortare köer",
                        "contact_name",
                        "Rita R",
                        "contact_email",
                        "rita@example.se",
                        "contact_phone",
                        "08-1234567",
                        "account_kind",
                        "bankgiro",
                        "account",
                        "5050-1055",
                        "confirmed",
                        "1",
                        "action",
                        "submit"};
    for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i += 2) {
        curl_mimepart *p = curl_mime_addpart(m);
        curl_mime_name(p, kv[i]);
        curl_mime_data(p, kv[i + 1], CURL_ZERO_TERMINATED);
    }
    curl_mimepart *p = curl_mime_addpart(m);
    curl_mime_name(p, "plan");
    curl_mime_filename(p, "plan.pdf");
    curl_mime_data(p, "%PDF-1.4\n%%EOF\n", CURL_ZERO_TERMINATED);
    buf_init(&r.body, 1 << 20);
    buf_init(&r.headers, 1 << 20);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/org/01/rekvisition/tillganglighet-2026",
             server.port);
    curl_easy_setopt(c.curl, CURLOPT_URL, url);
    curl_easy_setopt(c.curl, CURLOPT_WRITEFUNCTION, wt_write);
    curl_easy_setopt(c.curl, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(c.curl, CURLOPT_HEADERFUNCTION, wt_write);
    curl_easy_setopt(c.curl, CURLOPT_HEADERDATA, &r.headers);
    curl_easy_setopt(c.curl, CURLOPT_MIMEPOST, m);
    long st = 0;
    if (curl_easy_perform(c.curl) == CURLE_OK)
        curl_easy_getinfo(c.curl, CURLINFO_RESPONSE_CODE, &st);
    curl_mime_free(m);
    wt_resp_release(&r);
    wt_client_release(&c);
    return st == 303 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    int rc = wt_stop(&server);
    curl_global_cleanup();
    if (rc == 0)
        wt_cleanup();
    return rc == 0 ? 0 : -1;
}

static void test_html_matrix(void **state)
{
    (void)state;
    int failures = 0;
    for (int p = 0; p < NP; p++) {
        struct wt_client c;
        char csrf[65] = "";
        wt_client_init(&c, server.port);
        if (personas[p].login) {
            assert_int_equal(wt_login(&c, personas[p].login, pw), 303);
            wt_csrf_of(&c, "/login/org", csrf);
        }
        for (size_t i = 0; i < sizeof(html_routes) / sizeof(html_routes[0]); i++) {
            char body[256];
            const char *b = NULL;
            if (html_routes[i].body) {
                snprintf(body, sizeof(body), "%s%s%s", html_routes[i].csrf ? "csrf=" : "",
                         html_routes[i].csrf ? csrf : "", html_routes[i].body);
                if (html_routes[i].csrf && html_routes[i].body[0])
                    snprintf(body, sizeof(body), "csrf=%s&%s", csrf, html_routes[i].body);
                b = body;
            }
            long got = wt_status(&c, html_routes[i].method, html_routes[i].path, b);
            if (got != html_routes[i].want[p]) {
                fprintf(stderr, "%s %s as %s: got %ld, want %d\n", html_routes[i].method,
                        html_routes[i].path, personas[p].login ? personas[p].login : "anonymous",
                        got, html_routes[i].want[p]);
                failures++;
            }
        }
        wt_client_release(&c);
    }
    assert_int_equal(failures, 0);
}

static void test_api_matrix(void **state)
{
    (void)state;
    int failures = 0;
    for (int p = 0; p < NP; p++) {
        struct wt_client c;
        wt_client_init(&c, server.port);
        c.bearer = personas[p].login ? tokens[p] : NULL;
        for (size_t i = 0; i < sizeof(api_routes) / sizeof(api_routes[0]); i++) {
            struct wt_resp r;
            wt_req(&c, "GET", api_routes[i].path, NULL, &r);
            if (r.status != api_routes[i].want[p]) {
                fprintf(stderr, "GET %s as %s: got %ld, want %d\n", api_routes[i].path,
                        personas[p].login ? personas[p].login : "anonymous", r.status,
                        api_routes[i].want[p]);
                failures++;
            }
            /* JSON everywhere, but a bank file given is the bank's XML */
            size_t pl = strlen(api_routes[i].path);
            int xml = r.status == 200 && pl > 5 && !strcmp(api_routes[i].path + pl - 5, "/file");
            assert_true(wt_has_header(&r, xml ? "Content-Type: application/xml; charset=utf-8"
                                              : "Content-Type: application/json"));
            if (r.status >= 400)
                assert_non_null(strstr(r.body.p, "{\"error\":{\"code\":"));
            wt_resp_release(&r);
        }
        wt_client_release(&c);
    }
    assert_int_equal(failures, 0);
}

/* Every route in the server's table appears in the matrix above, so a new
 * route cannot be added without deciding who may use it. */
static void test_matrix_covers_every_route(void **state)
{
    (void)state;
    size_t n = 0;
    const struct web_route *rt = web_routes(&n);
    int missing = 0;
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        int found = 0;
        int api = (rt[i].flags & WEB_API) != 0;
        for (size_t k = 0; !api && k < sizeof(html_routes) / sizeof(html_routes[0]); k++)
            found |= !strcmp(rt[i].method, html_routes[k].method) &&
                     web_match(rt[i].pattern, html_routes[k].path, NULL, &ns, NULL) &&
                     html_routes[k].want[1] != 404;
        for (size_t k = 0; api && k < sizeof(api_routes) / sizeof(api_routes[0]); k++)
            found |= web_match(rt[i].pattern, api_routes[k].path, NULL, &ns, NULL);
        if (!found) {
            fprintf(stderr, "route %s %s is not in the authorisation matrix\n", rt[i].method,
                    rt[i].pattern);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
}

static void test_api_me_and_bad_tokens(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    wt_client_init(&c, server.port);
    c.bearer = tokens[6];
    wt_req(&c, "GET", "/api/v1/me", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "\"login\":\"p-ombud\""));
    assert_non_null(strstr(r.body.p, "\"org\":\"0180\""));
    assert_non_null(strstr(r.body.p, "\"roles\":[\"ombud\"]"));
    wt_resp_release(&r);
    c.bearer = "bdr_0000000000000000000000000000000000000000000000000000000000000000";
    assert_int_equal(wt_status(&c, "GET", "/api/v1/me", NULL), 401);
    c.bearer = "garbage";
    assert_int_equal(wt_status(&c, "GET", "/api/v1/me", NULL), 401);
    /* a session cookie is no API credential */
    c.bearer = NULL;
    assert_int_equal(wt_login(&c, "p-admin", pw), 303);
    assert_int_equal(wt_status(&c, "GET", "/api/v1/me", NULL), 401);
    wt_client_release(&c);
    /* a revoked token stops working */
    assert_int_equal(wt_sh("'%s' token revoke 1 --db '%s' >/dev/null", wt_bidrag(), wt_db), 0);
    wt_client_init(&c, server.port);
    c.bearer = tokens[1];
    assert_int_equal(wt_status(&c, "GET", "/api/v1/me", NULL), 401);
    wt_client_release(&c);
}

/* POST a members form as the logged-in client; returns the status. */
static long members_post(struct wt_client *c, const char *org, const char *action,
                         const char *login, const char *role)
{
    char csrf[65], path[64], body[256];
    snprintf(path, sizeof(path), "/org/%s/members", org);
    wt_csrf_of(c, "/start", csrf);
    snprintf(body, sizeof(body), "csrf=%s&action=%s&login=%s&role=%s", csrf, action, login, role);
    return wt_status(c, "POST", path, body);
}

static void test_org_members(void **state)
{
    (void)state;
    struct wt_client om, rep, upp, other, ny;
    struct wt_resp r;
    wt_client_init(&om, server.port);
    wt_client_init(&rep, server.port);
    wt_client_init(&upp, server.port);
    wt_client_init(&other, server.port);
    assert_int_equal(wt_login(&om, "p-ombud", pw), 303);
    assert_int_equal(wt_login(&rep, "p-repr", pw), 303);
    assert_int_equal(wt_login(&upp, "p-uppg", pw), 303);
    assert_int_equal(wt_login(&other, "p-ombud2", pw), 303);

    /* the representant may not make representanter, nor remove anyone */
    assert_int_equal(members_post(&rep, "0180", "invite", "p-ny", "representant"), 403);
    /* the uppgiftssamordnare may invite nobody */
    assert_int_equal(members_post(&upp, "0180", "invite", "p-ny", "uppgiftssamordnare"), 403);
    /* another organisation's ombud cannot act here */
    assert_int_equal(members_post(&other, "0180", "invite", "p-ny", "representant"), 403);
    /* the ombud invites a representant; the representant an
     * uppgiftssamordnare: invitations, nothing granted until p-ny answers */
    assert_int_equal(members_post(&om, "0180", "invite", "p-ny", "representant"), 303);
    assert_int_equal(members_post(&rep, "0180", "invite", "p-ny", "uppgiftssamordnare"), 303);
    assert_int_equal(members_post(&rep, "0180", "remove", "p-ny", "uppgiftssamordnare"), 403);
    /* nobody here may make an ombud */
    assert_int_equal(members_post(&om, "0180", "invite", "p-ny", "ombud"), 403);

    wt_req(&om, "GET", "/org/0180/members", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body.p, "<td>p-ny</td><td>Nya Nilsson</td>"));
    assert_non_null(strstr(r.body.p, "<td>p-ny</td><td>representant</td><td>p-ombud</td>"));
    assert_non_null(strstr(r.body.p, "<td>p-ny</td><td>uppgiftssamordnare</td><td>p-repr</td>"));
    assert_non_null(strstr(r.body.p, "value=\"remove\""));
    wt_resp_release(&r);
    wt_req(&rep, "GET", "/org/0180/members", NULL, &r);
    assert_null(strstr(r.body.p, "value=\"remove\""));
    assert_null(strstr(r.body.p, "<option value=\"representant\""));
    wt_resp_release(&r);

    /* p-ny accepts both and then acts for 0180 */
    char csrf[65], body[160];
    wt_client_init(&ny, server.port);
    assert_int_equal(wt_login(&ny, "p-ny", pw), 303);
    assert_int_equal(wt_status(&ny, "GET", "/org/0180", NULL), 303); /* no role yet */
    wt_csrf_of(&ny, "/login/org", csrf);
    snprintf(body, sizeof(body), "csrf=%s&org=0180&role=representant&answer=accept", csrf);
    assert_int_equal(wt_status(&ny, "POST", "/invitations", body), 303);
    snprintf(body, sizeof(body), "csrf=%s&org=0180&role=uppgiftssamordnare&answer=accept", csrf);
    assert_int_equal(wt_status(&ny, "POST", "/invitations", body), 303);
    assert_int_equal(wt_status(&ny, "POST", "/invitations", body), 404); /* answered */
    snprintf(body, sizeof(body), "csrf=%s&org=0180", csrf);
    assert_int_equal(wt_status(&ny, "POST", "/login/org", body), 303);
    assert_int_equal(wt_status(&ny, "GET", "/org/0180", NULL), 200);
    wt_client_release(&ny);
    wt_req(&om, "GET", "/org/0180/members", NULL, &r);
    assert_non_null(strstr(r.body.p, "<td>p-ny</td><td>Nya Nilsson</td><td>representant</td>"));
    wt_resp_release(&r);
    /* the ombud removes both roles again */
    assert_int_equal(members_post(&om, "0180", "remove", "p-ny", "representant"), 303);
    assert_int_equal(members_post(&om, "0180", "remove", "p-ny", "uppgiftssamordnare"), 303);
    assert_int_equal(members_post(&om, "0180", "remove", "p-ny", "uppgiftssamordnare"), 400);
    assert_int_equal(wt_sh("'%s' audit list --object user:p-ny --db '%s' | grep -c 'role\\.' "
                           "| grep -qx 6",
                           wt_bidrag(), wt_db),
                     0);
    assert_int_equal(wt_sh("'%s' audit list --object user:p-ny --db '%s' | grep -q "
                           "'p-ombud.0180.role.invite'",
                           wt_bidrag(), wt_db),
                     0);
    assert_int_equal(wt_sh("'%s' audit list --object user:p-ny --db '%s' | grep -q "
                           "'p-ny.0180.role.grant'",
                           wt_bidrag(), wt_db),
                     0);
    wt_client_release(&om);
    wt_client_release(&rep);
    wt_client_release(&upp);
    wt_client_release(&other);
}

/* ---- the generated matrix ----
 * Every route of the server's table against every persona, the expected
 * answer worked out from the route's action (core/action.c): refused by
 * the route check - 403 naming the action in X-Bidrag-Refused - exactly
 * when action_allowed refuses the persona; not logged in: a redirect to
 * the login page, or 401. A new route or action is covered without a new
 * row; a route needs only a sample path below (the test fails without). */
static const struct {
    const char *pattern;
    const char *path;
} samples[] = {
    {"/", "/"},
    {"/healthz", "/healthz"},
    {"/static/bidrag.css", "/static/bidrag.css"},
    {"/login", "/login"},
    {"/login/org", "/login/org"},
    {"/logout", "/logout"},
    {"/start", "/start"},
    {"/org/*", "/org/0180"},
    {"/org/*/members", "/org/0180/members"},
    {"/invitations", "/invitations"},
    {"/account", "/account"},
    {"/account/password", "/account/password"},
    {"/account/tokens", "/account/tokens"},
    {"/admin/users", "/admin/users"},
    {"/audit", "/audit"},
    {"/programs", "/programs"},
    {"/programfil", "/programfil"},
    {"/programfil/las-in", "/programfil/las-in"},
    {"/programs/*", "/programs/kompetens-2026"},
    {"/programs/*/ersattningsuppgifter", "/programs/kompetens-2026/ersattningsuppgifter"},
    {"/programs/*/fordelning.csv", "/programs/at-2025/fordelning.csv"},
    {"/programs/*/fordelning.xlsx", "/programs/at-2025/fordelning.xlsx"},
    {"/org/*/rekvisitioner", "/org/0180/rekvisitioner"},
    {"/org/*/rekvisition/*", "/org/0180/rekvisition/kompetens-2026"},
    {"/org/*/kvittens/*/*", "/org/0180/kvittens/REK-2026-000001/1"},
    {"/org/*/kvittens/*/*/pdf", "/org/0180/kvittens/REK-2026-000001/1/pdf"},
    {"/org/*/beslut/*", "/org/0180/beslut/BES-2026-000001"},
    {"/programs/*/rekvisitioner", "/programs/kompetens-2026/rekvisitioner"},
    {"/programs/*/rekvisitionsoversikt", "/programs/kompetens-2026/rekvisitionsoversikt"},
    {"/programs/*/rekvisitionsoversikt.xlsx", "/programs/kompetens-2026/rekvisitionsoversikt.xlsx"},
    {"/programs/*/beslut", "/programs/kompetens-2026/beslut"},
    {"/programs/*/omfordelning", "/programs/kompetens-2026/omfordelning"},
    {"/rekvisitioner/*", "/rekvisitioner/REK-2026-000001"},
    {"/rekvisitioner/*/kvittens/*", "/rekvisitioner/REK-2026-000001/kvittens/1"},
    {"/rekvisitioner/*/plan/*", "/rekvisitioner/REK-2026-000002/plan/1"},
    {"/beslut/*", "/beslut/BES-2026-000001"},
    {"/utbetalningar", "/utbetalningar"},
    {"/org/*/utbetalningar", "/org/0180/utbetalningar"},
    {"/utbetalningar/skapa", "/utbetalningar/skapa"},
    {"/utbetalningar/omgang", "/utbetalningar/omgang"},
    {"/utbetalningar/svar", "/utbetalningar/svar"},
    {"/utbetalningar/omgang/*", "/utbetalningar/omgang/UTB-2026-0001"},
    {"/utbetalningar/omgang/*/attest", "/utbetalningar/omgang/UTB-2026-0001/attest"},
    {"/utbetalningar/omgang/*/bankfil", "/utbetalningar/omgang/UTB-2026-0001/bankfil"},
    {"/utbetalningar/omgang/*/bankfil.xml", "/utbetalningar/omgang/UTB-2026-0001/bankfil.xml"},
    {"/utbetalningar/omgang/*/omgang.csv", "/utbetalningar/omgang/UTB-2026-0001/omgang.csv"},
    {"/utbetalningar/omgang/*/omgang.xlsx", "/utbetalningar/omgang/UTB-2026-0001/omgang.xlsx"},
    {"/programs/*/anslag", "/programs/kompetens-2026/anslag"},
    {"/programs/*/anslag.csv", "/programs/kompetens-2026/anslag.csv"},
    {"/programs/*/anslag.xlsx", "/programs/kompetens-2026/anslag.xlsx"},
    {"/api/v1/programs/*/ledger", "/api/v1/programs/kompetens-2026/ledger"},
    {"/api/v1/payments", "/api/v1/payments"},
    {"/api/v1/payment-batches", "/api/v1/payment-batches"},
    {"/api/v1/payment-batches/*/attest", "/api/v1/payment-batches/UTB-2026-0001/attest"},
    {"/api/v1/payment-batches/*/file", "/api/v1/payment-batches/UTB-2026-0001/file"},
    {"/api/v1/programs/*/payments", "/api/v1/programs/kompetens-2026/payments"},
    {"/api/v1/programs/*/requisitions", "/api/v1/programs/kompetens-2026/requisitions"},
    {"/api/v1/org/*/requisitions", "/api/v1/org/0180/requisitions"},
    {"/api/v1/org/*/requisitions/*", "/api/v1/org/0180/requisitions/kompetens-2026"},
    {"/api/v1/programs/*/requisitions/bulk-approve",
     "/api/v1/programs/kompetens-2026/requisitions/bulk-approve"},
    {"/api/v1/programs", "/api/v1/programs"},
    {"/api/v1/programs/*/allocation", "/api/v1/programs/at-2025/allocation"},
    {"/statistik", "/statistik"},
    {"/statistik/*", "/statistik/alder-yrke"},
    {"/statistik/*/*", "/statistik/alder-yrke/data.csv"},
    {"/statistik/spara", "/statistik/spara"},
    {"/api/v1/stats", "/api/v1/stats"},
    {"/api/v1/stats/*", "/api/v1/stats/alder-yrke"},
    {"/api/v1/stats/*/*", "/api/v1/stats/alder-yrke/data"},
    {"/api/v1/me", "/api/v1/me"},
    {"/api/v1/audit", "/api/v1/audit"},
    {"/api/v1/audit/verify", "/api/v1/audit/verify"},
};

static const char *sample_of(const char *pattern)
{
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
        if (strcmp(samples[i].pattern, pattern) == 0)
            return samples[i].path;
    return NULL;
}

/* The persona as the action table sees it: its roles where it acts. */
static void persona_who(int p, unsigned *roles)
{
    char list[64];
    *roles = 0;
    snprintf(list, sizeof(list), "%s", personas[p].roles);
    char *at = strchr(list, '@');
    if (at)
        *at = '\0';
    enum perm_role r;
    if (perm_parse(list, &r) == ERR_OK)
        *roles = (unsigned)r;
}

/* The organisation whose objects a path under /org/CODE acts on. */
static void owner_of(const char *pattern, const char *path, char *out, size_t n)
{
    out[0] = '\0';
    const char *q = NULL;
    if (strncmp(pattern, "/org/*", 6) == 0)
        q = path + 5;
    else if (strncmp(pattern, "/api/v1/org/*", 13) == 0)
        q = path + 12;
    if (!q)
        return;
    size_t k = strcspn(q, "/");
    snprintf(out, n, "%.*s", (int)(k < n ? k : n - 1), q);
}

static int check_route(struct wt_client *c, int p, const struct web_route *rt, const char *path,
                       const char *csrf)
{
    const struct action *a = action_get(rt->act);
    int api = (rt->flags & WEB_API) != 0;
    char body[160], refused[128], owner[16];
    snprintf(body, sizeof(body), api ? "{}" : "csrf=%s", csrf);
    snprintf(refused, sizeof(refused), "X-Bidrag-Refused: %s\r", a->name);
    c->extra_header = api && !strcmp(rt->method, "POST") ? "Content-Type: application/json" : NULL;
    struct wt_resp r;
    wt_req(c, rt->method, path, strcmp(rt->method, "POST") == 0 ? body : NULL, &r);
    c->extra_header = NULL;
    int ok;
    long want = 0;
    if (a->scope == ACT_SCOPE_PUBLIC) {
        ok = !wt_has_header(&r, "X-Bidrag-Refused");
    } else if (!personas[p].login) {
        want = api || strcmp(rt->method, "POST") == 0 ? 401 : 303;
        ok = r.status == want;
    } else {
        unsigned roles;
        persona_who(p, &roles);
        struct action_who w = {1, 0, roles, roles, personas[p].org};
        owner_of(rt->pattern, path, owner, sizeof(owner));
        if (action_allowed(a, &w, owner, NULL) == ERR_OK) {
            ok = r.status != 401 && !wt_has_header(&r, "X-Bidrag-Refused");
        } else {
            want = 403;
            ok = r.status == 403 && wt_has_header(&r, refused);
        }
    }
    if (!ok)
        fprintf(stderr, "%s %s (%s) as %s: got %ld%s, want %s%ld\n", rt->method, path, a->name,
                personas[p].login ? personas[p].login : "anonymous", r.status,
                wt_has_header(&r, "X-Bidrag-Refused") ? " refused" : "", want ? "" : "no refusal, ",
                want);
    wt_resp_release(&r);
    return ok ? 0 : 1;
}

static void test_generated_matrix(void **state)
{
    (void)state;
    size_t n = 0;
    const struct web_route *rt = web_routes(&n);
    int failures = 0;
    for (size_t i = 0; i < n; i++)
        if (!sample_of(rt[i].pattern)) {
            fprintf(stderr, "route %s %s has no sample path in the generated matrix\n",
                    rt[i].method, rt[i].pattern);
            failures++;
        }
    for (int p = 0; p < NP; p++) {
        struct wt_client c, api;
        char csrf[65] = "";
        wt_client_init(&c, server.port);
        wt_client_init(&api, server.port);
        char token[80] = "";
        if (personas[p].login) {
            assert_int_equal(wt_login(&c, personas[p].login, pw), 303);
            wt_csrf_of(&c, "/login/org", csrf);
            /* a token of its own: the tests above revoke one */
            wt_capture(token, sizeof(token), "'%s' token create '%s' --name g%s%s --db '%s'",
                       wt_bidrag(), personas[p].login, personas[p].org[0] ? " --org " : "",
                       personas[p].org, wt_db);
            assert_int_equal(strncmp(token, "bdr_", 4), 0);
            api.bearer = token;
        }
        /* logging out ends the session: last */
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < n; i++) {
                const char *path = sample_of(rt[i].pattern);
                if (!path || (rt[i].act == ACT_LOGOUT) != (pass == 1))
                    continue;
                failures += check_route((rt[i].flags & WEB_API) ? &api : &c, p, &rt[i], path, csrf);
            }
        wt_client_release(&c);
        wt_client_release(&api);
    }
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_matrix),
        cmocka_unit_test(test_api_matrix),
        cmocka_unit_test(test_org_members),
        cmocka_unit_test(test_matrix_covers_every_route),
        cmocka_unit_test(test_api_me_and_bad_tokens),
        /* last: its POSTs may change what the rows above expect */
        cmocka_unit_test(test_generated_matrix),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
