/* test_web_duties.c - separation of duties and identity over HTTP against
 * a real server: an ombud's invitation answers the same whether the login
 * exists, is agency staff or not, and agency staff cannot accept it; an
 * account holding roles on both sides is refused at the action; nobody
 * decides a case they prepared or submitted; a new password ends the API
 * tokens; idempotency keys belong to one organisation's requisition; the
 * agency sees submitted versions' plans only; /programs/<name>.ini never
 * reads a file from the server's working folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "webtest.h"

static struct wt_server server;
static const char pw[] = "plikter-losen-1";
static char tok_anna[80], tok_ulla[80];

static void hidden(const char *html, const char *name, char *out, size_t n)
{
    char pat[96];
    snprintf(pat, sizeof(pat), "name=\"%s\" value=\"", name);
    const char *p = html ? strstr(html, pat) : NULL;
    out[0] = '\0';
    if (!p)
        return;
    p += strlen(pat);
    size_t i = 0;
    while (i + 1 < n && p[i] && p[i] != '"') {
        out[i] = p[i];
        i++;
    }
    out[i] = '\0';
}

static void header_value(const struct wt_resp *r, const char *name, char *out, size_t n)
{
    char pat[64];
    snprintf(pat, sizeof(pat), "\n%s: ", name);
    const char *p = r->headers.p ? strstr(r->headers.p, pat) : NULL;
    out[0] = '\0';
    if (!p)
        return;
    p += strlen(pat);
    size_t i = 0;
    while (i + 1 < n && p[i] && p[i] != '\r' && p[i] != '\n') {
        out[i] = p[i];
        i++;
    }
    out[i] = '\0';
}

/* The first case number "REK-YYYY-NNNNNN" in a page. */
static void case_of(const char *html, char out[32])
{
    const char *p = html ? strstr(html, "REK-20") : NULL;
    out[0] = '\0';
    if (p)
        snprintf(out, 32, "%.15s", p);
}

static void login(struct wt_client *c, const char *user)
{
    wt_client_init(c, server.port);
    assert_int_equal(wt_login(c, user, pw), 303);
}

/* Act for org (a person with roles in several places chooses). */
static void choose(struct wt_client *c, const char *org)
{
    char csrf[65], body[128];
    wt_csrf_of(c, "/login/org", csrf);
    snprintf(body, sizeof(body), "csrf=%s&org=%s", csrf, org);
    assert_int_equal(wt_status(c, "POST", "/login/org", body), 303);
}

static const char fields[] =
    "&amount=&measure.1.purpose=vfu&measure.1.description=Fler+handledare"
    "&measure.1.planned=500000&contact_name=%C3%85sa+%C3%96berg&contact_email=asa%40example.se"
    "&contact_phone=08-123+45+67&account_kind=bankgiro&account=5050-1055&confirmed=1";

/* Post the kompetens-2026 form of org with action (save or submit); the
 * response's body must hold want (NULL: anything). */
static long req_post_says(struct wt_client *c, const char *org, const char *action,
                          const char *want)
{
    char path[96], csrf[65], rev[32], idem[80], body[2048];
    struct wt_resp r;
    snprintf(path, sizeof(path), "/org/%s/rekvisition/kompetens-2026", org);
    wt_csrf_of(c, "/start", csrf); /* the session's token (the form may be absent) */
    wt_req(c, "GET", path, NULL, &r);
    hidden(r.body.p, "revision", rev, sizeof(rev));
    hidden(r.body.p, "idem", idem, sizeof(idem));
    wt_resp_release(&r);
    snprintf(body, sizeof(body), "csrf=%s&revision=%s&idem=%s&rows=3%s&action=%s", csrf,
             rev[0] ? rev : "0", idem, fields, action);
    wt_req(c, "POST", path, body, &r);
    long st = r.status;
    if (want && !strstr(r.body.p ? r.body.p : "", want)) {
        fprintf(stderr, "no '%s' in the answer to %s\n", want, action);
        st = -1;
    }
    wt_resp_release(&r);
    return st;
}

static long req_post(struct wt_client *c, const char *org, const char *action)
{
    return req_post_says(c, org, action, NULL);
}

/* Post a review action (approve, return, reject) on a case; the answer
 * must hold want (NULL: anything). */
static long review_says(struct wt_client *c, const char *case_no, const char *what,
                        const char *want)
{
    char path[64], csrf[65], rev[64], body[512];
    struct wt_resp r;
    snprintf(path, sizeof(path), "/rekvisitioner/%s", case_no);
    wt_req(c, "GET", path, NULL, &r);
    wt_csrf(r.body.p, csrf);
    wt_resp_release(&r);
    /* the current revision (the page holds it only where one may decide) */
    char out[64];
    wt_capture(out, sizeof(out),
               "sqlite3 '%s' \"SELECT revision FROM cases WHERE "
               "number = '%s'\"",
               wt_db, case_no);
    snprintf(rev, sizeof(rev), "%s", out[0] ? out : "1");
    snprintf(body, sizeof(body), "csrf=%s&revision=%s&action=%s&amount=&message=Nej&reason=Nej",
             csrf, rev, what);
    wt_req(c, "POST", path, body, &r);
    long st = r.status;
    if (want && !strstr(r.body.p ? r.body.p : "", want)) {
        fprintf(stderr, "no '%s' in the answer to %s\n", want, what);
        st = -1;
    }
    wt_resp_release(&r);
    return st;
}

static long review(struct wt_client *c, const char *case_no, const char *what)
{
    return review_says(c, case_no, what, NULL);
}

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    setenv("BIDRAG_NOW", "2026-03-05T10:00:00Z", 1);
    wt_tmpdir("webduties");
    char out[256];
    wt_capture(out, sizeof(out), "'%s' init --db '%s' --quiet --no-demo-accounts", wt_bidrag(),
               wt_db);
    if (wt_user("ada", "Ada Admin", pw, "admin") ||
        wt_user("hanna", "Hanna Handläggare", pw, "handlaggare") ||
        wt_user("hugo", "Hugo Handläggare", pw, "handlaggare") ||
        wt_user("max", "Max Blandad", pw, "handlaggare") ||
        wt_user("olle", "Olle Ombud", pw, "ombud@0180") ||
        wt_user("otto", "Otto Ombud", pw, "ombud@1480") ||
        wt_user("vera", "Vera Representant", pw, "representant@1480") ||
        wt_user("sara", "Sara Samordnare", pw, "uppgiftssamordnare@1480") ||
        wt_user("anna", "Anna Ombud", pw, "ombud@0114") ||
        wt_user("ulla", "Ulla Ombud", pw, "ombud@0115") ||
        wt_user("rita", "Rita Representant", pw, "representant@01") ||
        wt_user("tina", "Tina Ombud", pw, "ombud@0117") || wt_user("rut", "Rut Ny", pw, ""))
        return -1;
    wt_capture(tok_anna, sizeof(tok_anna), "'%s' token create anna --name t --org 0114 --db '%s'",
               wt_bidrag(), wt_db);
    wt_capture(tok_ulla, sizeof(tok_ulla), "'%s' token create ulla --name t --org 0115 --db '%s'",
               wt_bidrag(), wt_db);
    /* a program file in the server's working folder */
    if (chdir(wt_dir) != 0 ||
        wt_sh("sed 's/^id = at-2025/id = lokal/' '%s/data/programs/at-2025.ini' >lokal.ini",
              getenv("BIDRAG_SRC") ? getenv("BIDRAG_SRC") : BIDRAG_SOURCE_DIR) != 0)
        return -1;
    return wt_start(&server, NULL);
}

static int teardown(void **state)
{
    (void)state;
    int rc = server.pid > 0 ? wt_stop(&server) : 0;
    curl_global_cleanup();
    if (rc == 0)
        wt_cleanup();
    return rc == 0 ? 0 : -1;
}

/* Invite login as representant of 0180 as olle; the response. */
static void invite(struct wt_client *olle, const char *who, struct wt_resp *r)
{
    char csrf[65], body[256];
    wt_csrf_of(olle, "/org/0180/members", csrf);
    snprintf(body, sizeof(body), "csrf=%s&action=invite&login=%s&role=representant", csrf, who);
    wt_req(olle, "POST", "/org/0180/members", body, r);
}

static void test_invite_reveals_nothing(void **state)
{
    (void)state;
    struct wt_client olle, hanna, rut;
    struct wt_resp a, b, c;
    char la[256], lb[256], lc[256], csrf[65], body[256];
    login(&olle, "olle");
    /* agency staff, nobody, an ordinary account: the same answer */
    invite(&olle, "hanna", &a);
    invite(&olle, "ingen-sadan", &b);
    invite(&olle, "rut", &c);
    assert_int_equal(a.status, 303);
    assert_int_equal(b.status, a.status);
    assert_int_equal(c.status, a.status);
    header_value(&a, "Location", la, sizeof(la));
    header_value(&b, "Location", lb, sizeof(lb));
    header_value(&c, "Location", lc, sizeof(lc));
    assert_string_equal(la, lb);
    assert_string_equal(la, lc);
    assert_int_equal(a.body.len, b.body.len);
    assert_int_equal(a.body.len, c.body.len);
    wt_resp_release(&a);
    wt_resp_release(&b);
    wt_resp_release(&c);
    /* the members page lists the three invitations alike, no member yet */
    wt_req(&olle, "GET", "/org/0180/members", NULL, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body.p, "<td>hanna</td>"));
    assert_non_null(strstr(a.body.p, "<td>ingen-sadan</td>"));
    assert_non_null(strstr(a.body.p, "<td>rut</td>"));
    assert_null(strstr(a.body.p, "Hanna Handläggare"));
    assert_null(strstr(a.body.p, "Rut Ny"));
    wt_resp_release(&a);

    /* the handläggare sees the invitation and cannot take it */
    login(&hanna, "hanna");
    wt_req(&hanna, "GET", "/start", NULL, &a);
    assert_non_null(strstr(a.body.p, "name=\"answer\" value=\"accept\""));
    wt_csrf(a.body.p, csrf);
    wt_resp_release(&a);
    snprintf(body, sizeof(body), "csrf=%s&org=0180&role=representant&answer=accept", csrf);
    wt_req(&hanna, "POST", "/invitations", body, &a);
    assert_int_equal(a.status, 403);
    assert_non_null(strstr(a.body.p, "myndighet"));
    wt_resp_release(&a);
    assert_int_equal(wt_status(&hanna, "GET", "/org/0180", NULL), 403);
    assert_int_not_equal(wt_sh("'%s' user list --db '%s' | grep '^hanna' | grep -q representant",
                               wt_bidrag(), wt_db),
                         0);
    /* nor can an admin give agency staff a recipient role */
    assert_int_not_equal(wt_sh("'%s' user role hanna representant --org 0180 --db '%s' 2>/dev/null",
                               wt_bidrag(), wt_db),
                         0);
    wt_client_release(&hanna);

    /* an ordinary account accepts and then acts for 0180 */
    login(&rut, "rut");
    wt_req(&rut, "GET", "/login/org", NULL, &a);
    assert_non_null(strstr(a.body.p, "name=\"answer\" value=\"accept\""));
    wt_csrf(a.body.p, csrf);
    wt_resp_release(&a);
    snprintf(body, sizeof(body), "csrf=%s&org=0180&role=representant&answer=accept", csrf);
    assert_int_equal(wt_status(&rut, "POST", "/invitations", body), 303);
    choose(&rut, "0180");
    assert_int_equal(wt_status(&rut, "GET", "/org/0180", NULL), 200);
    wt_client_release(&rut);
    wt_req(&olle, "GET", "/org/0180/members", NULL, &a);
    assert_non_null(strstr(a.body.p, "<td>rut</td><td>Rut Ny</td><td>representant</td>"));
    wt_resp_release(&a);
    /* the ombud withdraws an invitation; removing answers alike too */
    wt_csrf_of(&olle, "/org/0180/members", csrf);
    snprintf(body, sizeof(body), "csrf=%s&action=remove&login=ingen-sadan&role=representant", csrf);
    assert_int_equal(wt_status(&olle, "POST", "/org/0180/members", body), 303);
    snprintf(body, sizeof(body), "csrf=%s&action=remove&login=ingen-sadan&role=representant", csrf);
    wt_req(&olle, "POST", "/org/0180/members", body, &a);
    snprintf(body, sizeof(body), "csrf=%s&action=remove&login=hugo&role=representant", csrf);
    wt_req(&olle, "POST", "/org/0180/members", body, &b);
    assert_int_equal(a.status, 400);
    assert_int_equal(b.status, a.status);
    assert_non_null(strstr(a.body.p, "Användaren har inte den rollen."));
    assert_non_null(strstr(b.body.p, "Användaren har inte den rollen."));
    wt_resp_release(&a);
    wt_resp_release(&b);
    wt_client_release(&olle);
}

/* An account holding both kinds of role (given before the rule existed)
 * is refused when it acts for the recipient and when it decides. */
static void test_mixed_account_refused(void **state)
{
    (void)state;
    struct wt_client max, olle, ada;
    struct wt_resp r;
    char csrf[65], body[256];
    /* the admin page refuses it now */
    login(&ada, "ada");
    wt_csrf_of(&ada, "/admin/users", csrf);
    snprintf(body, sizeof(body), "csrf=%s&action=grant&login=max&role=representant&org=0180", csrf);
    wt_req(&ada, "POST", "/admin/users", body, &r);
    assert_int_equal(r.status, 400);
    wt_resp_release(&r);
    wt_client_release(&ada);
    assert_int_equal(wt_sh("sqlite3 '%s' \"INSERT INTO account_role (account_id, role, org, "
                           "granted_at) SELECT id, 'representant', '0180', "
                           "'2025-01-01T00:00:00Z' FROM account WHERE login = 'max'\"",
                           wt_db),
                     0);
    login(&max, "max");
    choose(&max, "0180");
    assert_int_equal(req_post_says(&max, "0180", "save", "roll hos myndigheten"), 403);
    assert_int_equal(req_post_says(&max, "0180", "submit", "roll hos myndigheten"), 403);
    /* olle submits; max, as the agency, may not decide it */
    login(&olle, "olle");
    assert_int_equal(req_post(&olle, "0180", "submit"), 303);
    wt_req(&olle, "GET", "/org/0180/rekvisitioner", NULL, &r);
    char case_no[32];
    case_of(r.body.p, case_no);
    wt_resp_release(&r);
    assert_true(case_no[0]);
    choose(&max, "");
    assert_int_equal(review_says(&max, case_no, "approve", "roll för en bidragsmottagare"), 403);
    assert_int_equal(wt_sh("'%s' requisition list kompetens-2026 --db '%s' | grep '%s' | grep -q "
                           "submitted",
                           wt_bidrag(), wt_db, case_no),
                     0);
    wt_client_release(&max);
    wt_client_release(&olle);
}

/* Sara started the case, Otto saved it, Vera submitted it; then all three
 * moved to the agency. None of them may decide it; Hugo may. */
static void test_no_decision_on_own_case(void **state)
{
    (void)state;
    struct wt_client sara, otto, vera, hugo;
    struct wt_resp r;
    char case_no[32], csrf[65], body[256];
    login(&sara, "sara");
    assert_int_equal(req_post(&sara, "1480", "save"), 303);
    login(&otto, "otto");
    assert_int_equal(req_post(&otto, "1480", "save"), 303);
    login(&vera, "vera");
    assert_int_equal(req_post(&vera, "1480", "submit"), 303);
    wt_req(&vera, "GET", "/org/1480/rekvisitioner", NULL, &r);
    case_of(r.body.p, case_no);
    wt_resp_release(&r);
    wt_client_release(&sara);
    wt_client_release(&otto);
    wt_client_release(&vera);
    const char *who[] = {"sara", "otto", "vera"};
    const char *had[] = {"uppgiftssamordnare", "ombud", "representant"};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(wt_sh("'%s' user role %s %s --org 1480 --remove --db '%s' >/dev/null && "
                               "'%s' user role %s handlaggare --db '%s' >/dev/null",
                               wt_bidrag(), who[i], had[i], wt_db, wt_bidrag(), who[i], wt_db),
                         0);
    for (size_t i = 0; i < 3; i++) {
        struct wt_client c;
        login(&c, who[i]);
        /* no decision form, and the reason */
        char path[64];
        snprintf(path, sizeof(path), "/rekvisitioner/%s", case_no);
        wt_req(&c, "GET", path, NULL, &r);
        assert_int_equal(r.status, 200);
        assert_null(strstr(r.body.p, "value=\"approve\""));
        assert_non_null(strstr(r.body.p, "inte besluta i den"));
        wt_resp_release(&r);
        assert_int_equal(review_says(&c, case_no, "approve", "inte besluta i den"), 403);
        assert_int_equal(review_says(&c, case_no, "reject", "inte besluta i den"), 403);
        assert_int_equal(review_says(&c, case_no, "return", "inte besluta i den"), 403);
        /* bulk approval leaves it for someone else */
        wt_csrf_of(&c, "/programs/kompetens-2026/rekvisitioner", csrf);
        snprintf(body, sizeof(body), "csrf=%s&action=bulk", csrf);
        wt_req(&c, "POST", "/programs/kompetens-2026/rekvisitioner", body, &r);
        assert_int_equal(r.status, 200);
        const char *sel = strstr(r.body.p, "id=\"bulk-preview\"");
        assert_non_null(sel);
        assert_null(strstr(sel, case_no)); /* not in the selection */
        const char *u = strstr(r.body.p, "name=\"urval\" value=\"");
        if (u) {
            snprintf(body, sizeof(body), "csrf=%s&action=bulk&urval=%.64s", csrf,
                     u + strlen("name=\"urval\" value=\""));
            assert_int_equal(wt_status(&c, "POST", "/programs/kompetens-2026/rekvisitioner", body),
                             303);
        }
        wt_resp_release(&r);
        assert_int_equal(wt_sh("'%s' requisition list kompetens-2026 --db '%s' | grep '%s' | "
                               "grep -q submitted",
                               wt_bidrag(), wt_db, case_no),
                         0);
        wt_client_release(&c);
    }
    login(&hugo, "hugo");
    assert_int_equal(review(&hugo, case_no, "approve"), 303);
    wt_client_release(&hugo);
}

static void test_new_password_ends_tokens(void **state)
{
    (void)state;
    struct wt_client tina, api;
    struct wt_resp r;
    char csrf[65], body[512], tok[80];
    login(&tina, "tina");
    wt_csrf_of(&tina, "/account", csrf);
    snprintf(body, sizeof(body), "csrf=%s&action=create&name=skript", csrf);
    wt_req(&tina, "POST", "/account/tokens", body, &r);
    assert_int_equal(r.status, 200);
    const char *p = strstr(r.body.p, "<code id=\"new-token\">");
    assert_non_null(p);
    snprintf(tok, sizeof(tok), "%.68s", p + strlen("<code id=\"new-token\">"));
    wt_resp_release(&r);
    wt_client_init(&api, server.port);
    api.bearer = tok;
    assert_int_equal(wt_status(&api, "GET", "/api/v1/me", NULL), 200);
    /* a new password: the token ends with the sessions */
    snprintf(body, sizeof(body), "csrf=%s&current=%s&password=ett-helt-nytt-losen", csrf, pw);
    assert_int_equal(wt_status(&tina, "POST", "/account/password", body), 303);
    assert_int_equal(wt_status(&api, "GET", "/api/v1/me", NULL), 401);
    wt_client_release(&tina);
    /* the account page says so */
    wt_client_init(&tina, server.port);
    assert_int_equal(wt_login(&tina, "tina", "ett-helt-nytt-losen"), 303);
    wt_req(&tina, "GET", "/account", NULL, &r);
    assert_non_null(strstr(r.body.p, "<td>skript</td>"));
    assert_non_null(strstr(r.body.p, "återkallad"));
    wt_resp_release(&r);
    wt_client_release(&tina);
    /* an administrator's new password for someone ends theirs too */
    char t2[80];
    wt_capture(t2, sizeof(t2), "'%s' token create tina --name t2 --org 0117 --db '%s'", wt_bidrag(),
               wt_db);
    api.bearer = t2;
    assert_int_equal(wt_status(&api, "GET", "/api/v1/me", NULL), 200);
    assert_int_equal(
        wt_sh("printf 'ett-tredje-losen\\n' | '%s' user passwd tina --db '%s' >/dev/null",
              wt_bidrag(), wt_db),
        0);
    assert_int_equal(wt_status(&api, "GET", "/api/v1/me", NULL), 401);
    wt_client_release(&api);
}

/* Two kommuner choosing the same key: each its own receipt. */
static void test_idempotency_per_organisation(void **state)
{
    (void)state;
    struct wt_client c;
    struct wt_resp r;
    const char *body =
        "{\"idempotency_key\":\"samma-nyckel\",\"revision\":0,\"fields\":{\"amount\":\"\","
        "\"measure.1.purpose\":\"vfu\",\"measure.1.description\":\"Fler handledare\","
        "\"measure.1.planned\":100000,\"contact_name\":\"Anna\",\"contact_email\":"
        "\"anna@example.se\",\"contact_phone\":\"08-1234567\",\"account_kind\":\"bankgiro\","
        "\"account\":\"5050-1055\",\"confirmed\":true}}";
    wt_client_init(&c, server.port);
    c.bearer = tok_anna;
    c.extra_header = "Content-Type: application/json";
    wt_req(&c, "POST", "/api/v1/org/0114/requisitions/kompetens-2026", body, &r);
    assert_int_equal(r.status, 201);
    wt_resp_release(&r);
    c.bearer = tok_ulla;
    wt_req(&c, "POST", "/api/v1/org/0115/requisitions/kompetens-2026", body, &r);
    assert_int_equal(r.status, 201);
    assert_non_null(strstr(r.body.p, "\"recipient\":\"0115\""));
    assert_non_null(strstr(r.body.p, "\"repeated\":false"));
    wt_resp_release(&r);
    /* within one organisation the key still works as before */
    c.bearer = tok_anna;
    wt_req(&c, "POST", "/api/v1/org/0114/requisitions/kompetens-2026", body, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "\"repeated\":true"));
    wt_resp_release(&r);
    wt_client_release(&c);
}

static void test_agency_sees_submitted_plans_only(void **state)
{
    (void)state;
    struct wt_client rita, hanna;
    struct wt_resp r;
    char csrf[65], rev[32], idem[80], case_no[32], path[96];
    const char *form = "/org/01/rekvisition/tillganglighet-2026";
    login(&rita, "rita");
    wt_req(&rita, "GET", form, NULL, &r);
    wt_csrf(r.body.p, csrf);
    hidden(r.body.p, "revision", rev, sizeof(rev));
    hidden(r.body.p, "idem", idem, sizeof(idem));
    wt_resp_release(&r);
    /* a draft with its plan, as multipart */
    curl_mime *m = curl_mime_init(rita.curl);
    const char *kv[] = {"csrf",
                        csrf,
                        "revision",
                        rev,
                        "idem",
                        idem,
                        "measure.1.purpose",
                        "tillganglighet",
                        "measure.1.description",
                        "Kortare köer",
                        "contact_name",
                        "Hemlig Kontakt",
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
                        "save",
                        NULL};
    for (size_t i = 0; kv[i]; i += 2) {
        curl_mimepart *mp = curl_mime_addpart(m);
        curl_mime_name(mp, kv[i]);
        curl_mime_data(mp, kv[i + 1], CURL_ZERO_TERMINATED);
    }
    static const char pdf[] = "%PDF-1.4\n% utkastets plan\n%%EOF\n";
    curl_mimepart *mp = curl_mime_addpart(m);
    curl_mime_name(mp, "plan");
    curl_mime_filename(mp, "utkast.pdf");
    curl_mime_data(mp, pdf, sizeof(pdf) - 1);
    char url[256];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", server.port, form);
    curl_easy_setopt(rita.curl, CURLOPT_URL, url);
    curl_easy_setopt(rita.curl, CURLOPT_MIMEPOST, m);
    buf_init(&r.body, 1 << 20);
    buf_init(&r.headers, 1 << 20);
    curl_easy_setopt(rita.curl, CURLOPT_WRITEFUNCTION, wt_write);
    curl_easy_setopt(rita.curl, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(rita.curl, CURLOPT_HEADERFUNCTION, wt_write);
    curl_easy_setopt(rita.curl, CURLOPT_HEADERDATA, &r.headers);
    assert_int_equal(curl_easy_perform(rita.curl), CURLE_OK);
    long st = 0;
    curl_easy_getinfo(rita.curl, CURLINFO_RESPONSE_CODE, &st);
    assert_int_equal(st, 303);
    curl_easy_setopt(rita.curl, CURLOPT_MIMEPOST, NULL);
    curl_mime_free(m);
    wt_resp_release(&r);
    wt_req(&rita, "GET", "/org/01/rekvisitioner", NULL, &r);
    case_of(r.body.p, case_no);
    wt_resp_release(&r);
    assert_true(case_no[0]);

    /* the agency: the draft's plan and content are not theirs to read */
    login(&hanna, "hanna");
    snprintf(path, sizeof(path), "/rekvisitioner/%s/plan/0", case_no);
    assert_int_equal(wt_status(&hanna, "GET", path, NULL), 404);
    snprintf(path, sizeof(path), "/rekvisitioner/%s", case_no);
    wt_req(&hanna, "GET", path, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body.p, "Hemlig Kontakt"));
    assert_null(strstr(r.body.p, "utkast.pdf"));
    wt_resp_release(&r);

    /* submitted, version 1 is the agency's; the working copy still is not */
    wt_req(&rita, "GET", form, NULL, &r);
    wt_csrf(r.body.p, csrf);
    hidden(r.body.p, "revision", rev, sizeof(rev));
    hidden(r.body.p, "idem", idem, sizeof(idem));
    wt_resp_release(&r);
    char body[1024];
    snprintf(body, sizeof(body),
             "csrf=%s&revision=%s&idem=%s&rows=3&measure.1.purpose=tillganglighet"
             "&measure.1.description=K%%C3%%B6er&contact_name=Hemlig+Kontakt"
             "&contact_email=rita%%40example.se&contact_phone=08-1234567&account_kind=bankgiro"
             "&account=5050-1055&confirmed=1&action=submit",
             csrf, rev, idem);
    assert_int_equal(wt_status(&rita, "POST", form, body), 303);
    snprintf(path, sizeof(path), "/rekvisitioner/%s/plan/1", case_no);
    wt_req(&hanna, "GET", path, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body.p, "%PDF", 4);
    wt_resp_release(&r);
    snprintf(path, sizeof(path), "/rekvisitioner/%s/plan/0", case_no);
    assert_int_equal(wt_status(&hanna, "GET", path, NULL), 404);
    wt_client_release(&rita);
    wt_client_release(&hanna);
}

/* The server's working folder holds lokal.ini; the web opens stored
 * programs by id and never reads it. */
static void test_program_file_not_served(void **state)
{
    (void)state;
    struct wt_client c, api;
    login(&c, "ada");
    assert_int_equal(wt_status(&c, "GET", "/programs/at-2025", NULL), 200);
    assert_int_equal(wt_status(&c, "GET", "/programs/lokal.ini", NULL), 404);
    assert_int_equal(wt_status(&c, "GET", "/programs/lokal.ini/fordelning.csv", NULL), 404);
    assert_int_equal(wt_status(&c, "GET", "/programs/lokal.ini/fordelning.xlsx", NULL), 404);
    assert_int_equal(wt_status(&c, "GET", "/programs/lokal.ini/rekvisitionsoversikt", NULL), 404);
    wt_client_release(&c);
    char tok[80];
    wt_capture(tok, sizeof(tok), "'%s' token create ada --name api --db '%s'", wt_bidrag(), wt_db);
    wt_client_init(&api, server.port);
    api.bearer = tok;
    assert_int_equal(wt_status(&api, "GET", "/api/v1/programs/lokal.ini/allocation", NULL), 404);
    assert_int_equal(wt_status(&api, "GET", "/api/v1/programs/at-2025/allocation", NULL), 200);
    wt_client_release(&api);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invite_reveals_nothing),
        cmocka_unit_test(test_mixed_account_refused),
        cmocka_unit_test(test_no_decision_on_own_case),
        cmocka_unit_test(test_new_password_ends_tokens),
        cmocka_unit_test(test_idempotency_per_organisation),
        cmocka_unit_test(test_agency_sees_submitted_plans_only),
        cmocka_unit_test(test_program_file_not_served),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
