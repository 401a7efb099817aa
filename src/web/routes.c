/* routes.c - the route table and the one place that decides, for every
 * request, who is asking (session cookie, trusted proxy header or bearer
 * token), whether that role may use the route, and whether a form carries
 * the right CSRF token. Handlers only run once all of that holds.
 *
 * To add a page: write its handler and add one line to `routes` with the
 * method, the path pattern, the action it performs (core/action.h: the
 * roles come from there, never from here) and flags; the authorisation
 * matrix test (tests/integration/test_web_authz.c) then checks the route
 * for every persona. */
#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/str.h"
#include "web/keep.h"
#include "web/web.h"

static const struct web_route routes[] = {
    /* method, pattern, action, flags, handler. The action says who may
     * use the route (core/action.c); a route that performs several actions
     * (the case page's return, approve and reject) names the one whose
     * rule admits it, and its handler's service call checks the one it
     * performs. Routes under /org/CODE act on CODE's objects. */
    {"GET", "/", ACT_PUBLIC, 0, page_root},
    {"GET", "/healthz", ACT_HEALTH, 0, page_health},
    {"GET", "/static/bidrag.css", ACT_PUBLIC, 0, static_css},
    {"GET", "/login", ACT_PUBLIC, 0, page_login},
    {"POST", "/login", ACT_LOGIN, WEB_NO_CSRF, page_login_post},
    {"GET", "/login/org", ACT_SESSION_ORG, 0, page_org},
    {"POST", "/login/org", ACT_SESSION_ORG, 0, page_org_post},
    {"POST", "/logout", ACT_LOGOUT, 0, page_logout_post},
    {"GET", "/start", ACT_START, WEB_KEEP, page_start},
    {"GET", "/org/*", ACT_ORG_READ, WEB_KEEP, page_orgpage},
    {"GET", "/org/*/members", ACT_ORG_READ, WEB_KEEP, page_members},
    {"POST", "/org/*/members", ACT_ORG_MEMBERS, 0, page_members_post},
    {"POST", "/invitations", ACT_INVITE_ANSWER, 0, page_invitation_post},
    {"GET", "/account", ACT_ACCOUNT_READ, 0, page_account},
    {"POST", "/account/password", ACT_ACCOUNT_PASSWD, 0, page_account_password},
    {"POST", "/account/tokens", ACT_ACCOUNT_TOKEN, 0, page_account_tokens},
    {"GET", "/admin/users", ACT_USER_READ, 0, page_users},
    {"POST", "/admin/users", ACT_USER_ADD, 0, page_users_post},
    {"GET", "/audit", ACT_AUDIT_READ, 0, page_audit},
    {"GET", "/programs", ACT_PROGRAM_READ, WEB_KEEP, page_programs},
    {"GET", "/programfil", ACT_PROGRAM_CHECK, 0, page_progload},
    {"POST", "/programfil", ACT_PROGRAM_CHECK, 0, page_progload_post},
    {"POST", "/programfil/las-in", ACT_PROGRAM_LOAD, 0, page_progload_load},
    {"GET", "/programs/*", ACT_PROGRAM_READ, WEB_CACHE | WEB_KEEP, page_program},
    {"POST", "/programs/*/ersattningsuppgifter", ACT_PROGRAM_STANDIN, 0, page_program_standin_post},
    {"GET", "/programs/*/fordelning.csv", ACT_PROGRAM_READ, WEB_CACHE | WEB_KEEP, page_program_csv},
    {"GET", "/programs/*/fordelning.xlsx", ACT_PROGRAM_READ, WEB_CACHE, page_program_xlsx},
    /* requisitions: the organisation's side */
    {"GET", "/org/*/rekvisitioner", ACT_REQ_READ, WEB_KEEP, page_req_overview},
    {"GET", "/org/*/rekvisition/*", ACT_REQ_READ, 0, page_req_form},
    {"POST", "/org/*/rekvisition/*", ACT_REQ_SAVE, 0, page_req_form_post},
    {"GET", "/org/*/kvittens/*/*", ACT_REQ_READ, 0, page_req_receipt},
    {"GET", "/org/*/kvittens/*/*/pdf", ACT_REQ_READ, 0, page_req_receipt_pdf},
    {"GET", "/org/*/beslut/*", ACT_REQ_READ, 0, page_req_decision_pdf},
    /* requisitions: the agency's side */
    {"GET", "/programs/*/rekvisitioner", ACT_REQ_REVIEW_READ, WEB_KEEP, page_reqadm_queue},
    {"POST", "/programs/*/rekvisitioner", ACT_REQ_BULK_APPROVE, 0, page_reqadm_queue_post},
    {"GET", "/programs/*/rekvisitionsoversikt", ACT_REQ_REVIEW_READ, WEB_KEEP,
     page_reqadm_dashboard},
    {"GET", "/programs/*/rekvisitionsoversikt.xlsx", ACT_REQ_REVIEW_READ, 0,
     page_reqadm_dashboard_xlsx},
    {"GET", "/programs/*/beslut", ACT_REQ_REVIEW_READ, WEB_KEEP, page_reqadm_decisions},
    {"GET", "/programs/*/omfordelning", ACT_REQ_REVIEW_READ, WEB_KEEP, page_reqadm_redist},
    {"POST", "/programs/*/omfordelning", ACT_REQ_REDISTRIBUTE, 0, page_reqadm_redist_post},
    {"GET", "/rekvisitioner/*", ACT_REQ_REVIEW_READ, WEB_KEEP, page_reqadm_case},
    {"POST", "/rekvisitioner/*", ACT_REQ_APPROVE, 0, page_reqadm_case_post},
    {"GET", "/rekvisitioner/*/kvittens/*", ACT_REQ_REVIEW_READ, 0, page_req_receipt_pdf},
    {"GET", "/rekvisitioner/*/plan/*", ACT_REQ_REVIEW_READ, 0, page_reqadm_plan},
    {"GET", "/beslut/*", ACT_REQ_REVIEW_READ, 0, page_req_decision_pdf},
    /* paying out */
    {"GET", "/utbetalningar", ACT_PAY_READ, 0, page_pay_index},
    {"GET", "/org/*/utbetalningar", ACT_PAY_ORG_READ, 0, page_pay_org},
    {"POST", "/utbetalningar/skapa", ACT_PAY_CREATE, 0, page_pay_create_post},
    {"POST", "/utbetalningar/omgang", ACT_PAY_BATCH, 0, page_pay_batch_post},
    {"POST", "/utbetalningar/svar", ACT_PAY_REPLY, 0, page_pay_reply_post},
    {"GET", "/utbetalningar/omgang/*", ACT_PAY_READ, 0, page_pay_batch},
    {"POST", "/utbetalningar/omgang/*/attest", ACT_PAY_ATTEST, 0, page_pay_attest_post},
    {"POST", "/utbetalningar/omgang/*/bankfil", ACT_PAY_FILE, 0, page_pay_file_post},
    {"GET", "/utbetalningar/omgang/*/bankfil.xml", ACT_PAY_READ, 0, page_pay_file},
    {"GET", "/utbetalningar/omgang/*/omgang.csv", ACT_PAY_READ, 0, page_pay_batch_csv},
    {"GET", "/utbetalningar/omgang/*/omgang.xlsx", ACT_PAY_READ, 0, page_pay_batch_xlsx},
    /* the appropriation ledger */
    {"GET", "/programs/*/anslag", ACT_LEDGER_READ, 0, page_ledger},
    {"POST", "/programs/*/anslag", ACT_LEDGER_OWN_COST, 0, page_ledger_cost_post},
    {"GET", "/programs/*/anslag.csv", ACT_LEDGER_READ, 0, page_ledger_csv},
    {"GET", "/programs/*/anslag.xlsx", ACT_LEDGER_READ, 0, page_ledger_xlsx},
    {"GET", "/api/v1/programs/*/ledger", ACT_LEDGER_READ, WEB_API, api_program_ledger},
    {"GET", "/api/v1/payments", ACT_PAY_READ, WEB_API, api_payments},
    {"GET", "/api/v1/payment-batches", ACT_PAY_READ, WEB_API, api_pay_batches},
    {"POST", "/api/v1/payment-batches", ACT_PAY_BATCH, WEB_API, api_pay_batch_new},
    {"POST", "/api/v1/payment-batches/*/attest", ACT_PAY_ATTEST, WEB_API, api_pay_attest},
    {"GET", "/api/v1/payment-batches/*/file", ACT_PAY_READ, WEB_API, api_pay_file},
    {"POST", "/api/v1/payment-batches/*/file", ACT_PAY_FILE, WEB_API, api_pay_file_make},
    {"POST", "/api/v1/programs/*/payments", ACT_PAY_CREATE, WEB_API, api_pay_create},
    {"GET", "/api/v1/programs/*/requisitions", ACT_REQ_REVIEW_READ, WEB_API | WEB_KEEP,
     api_program_requisitions},
    {"POST", "/api/v1/programs/*/requisitions/bulk-approve", ACT_REQ_BULK_APPROVE, WEB_API,
     api_program_bulk_approve},
    {"GET", "/api/v1/org/*/requisitions", ACT_REQ_READ, WEB_API | WEB_KEEP, api_org_requisitions},
    {"POST", "/api/v1/org/*/requisitions/*", ACT_REQ_SUBMIT, WEB_API, api_org_requisition_submit},
    {"GET", "/api/v1/programs", ACT_PROGRAM_READ, WEB_API | WEB_KEEP, api_programs},
    {"GET", "/api/v1/programs/*/allocation", ACT_PROGRAM_READ, WEB_API | WEB_CACHE | WEB_KEEP,
     api_program_allocation},
    /* published statistics: aggregated and always disclosure-controlled,
     * so every logged-in role may read them (docs/statistics.md, "On the web") */
    {"GET", "/statistik", ACT_STATS_READ, WEB_KEEP | WEB_STATS, page_stats},
    {"GET", "/statistik/*", ACT_STATS_READ, WEB_CACHE | WEB_KEEP | WEB_STATS, page_stats_table},
    {"GET", "/statistik/*/*", ACT_STATS_READ, WEB_CACHE, page_stats_file},
    {"POST", "/statistik/spara", ACT_STATS_QUERY_SAVE, 0, page_stats_save},
    {"GET", "/api/v1/stats", ACT_STATS_READ, WEB_API | WEB_CACHE | WEB_KEEP | WEB_STATS, api_stats},
    {"GET", "/api/v1/stats/*", ACT_STATS_READ, WEB_API | WEB_CACHE | WEB_KEEP | WEB_STATS,
     api_stats_table},
    {"GET", "/api/v1/stats/*/*", ACT_STATS_READ, WEB_API | WEB_CACHE, api_stats_sub},
    {"GET", "/api/v1/me", ACT_ACCOUNT_READ, WEB_API, api_me},
    {"GET", "/api/v1/audit", ACT_AUDIT_READ, WEB_API, api_audit},
    {"GET", "/api/v1/audit/verify", ACT_AUDIT_VERIFY, WEB_API, api_audit_verify},
};

const struct web_route *web_routes(size_t *n)
{
    *n = sizeof(routes) / sizeof(routes[0]);
    return routes;
}

int web_match(const char *pattern, const char *path, const char **segs, size_t *nsegs,
              struct arena *a)
{
    const char *p = pattern, *q = path;
    *nsegs = 0;
    while (*p && *q) {
        if (*p == '*') {
            const char *end = strchr(q, '/');
            size_t len = end ? (size_t)(end - q) : strlen(q);
            if (len == 0 || *nsegs >= WEB_MAX_SEGS)
                return 0;
            if (segs) {
                segs[*nsegs] = a ? arena_strndup(a, q, len) : NULL;
                if (a && !segs[*nsegs])
                    return 0;
            }
            (*nsegs)++;
            p++;
            q += len;
            continue;
        }
        if (*p != *q)
            return 0;
        p++;
        q++;
    }
    return *p == '\0' && *q == '\0';
}

const char *web_tr(const struct web_req *r, const char *sv)
{
    return i18n_tr(r->lang, sv);
}

const char *web_msg(struct web_req *r, const struct msg *m)
{
    char text[2048];
    msg_render(m, r->lang, text, sizeof(text));
    const char *p = arena_strdup(r->arena, text);
    return p ? p : "";
}

const char *web_route_owner(const struct web_req *r)
{
    if (!r->route || r->nsegs == 0)
        return NULL;
    const char *p = r->route->pattern;
    if (str_starts(p, "/org/*") || str_starts(p, "/api/v1/org/*"))
        return r->segs[0];
    return NULL;
}

int web_may(struct web_req *r, enum action_id act, const char *owner_org)
{
    struct svc_actor who;
    web_actor(r, &who);
    return svc_may(r->store, &who, act, owner_org);
}

void web_actor(const struct web_req *r, struct svc_actor *who)
{
    memset(who, 0, sizeof(*who));
    who->origin = r->route && (r->route->flags & WEB_API) ? SVC_API : SVC_WEB;
    if (r->addr)
        str_copy(who->addr, sizeof(who->addr), r->addr);
    if (!r->authed)
        return;
    who->account = r->sess.account.id;
    str_copy(who->login, sizeof(who->login), r->sess.account.login);
    str_copy(who->org, sizeof(who->org), r->sess.row.org);
}

const char *web_query(struct web_req *r, const char *name)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    if (!v || !form_text_ok(v, strlen(v), 0))
        return NULL;
    return v;
}

const char *web_header(struct web_req *r, const char *name)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
    if (!v || !form_text_ok(v, strlen(v), 0))
        return NULL;
    return v;
}

void web_add_header(struct web_req *r, const char *name, const char *value)
{
    if (r->nhdr >= WEB_MAX_HEADERS)
        return;
    const char *v = arena_strdup(r->arena, value);
    if (!v)
        return;
    r->hdr[r->nhdr].name = name;
    r->hdr[r->nhdr].value = v;
    r->nhdr++;
}

void web_set_cookie(struct web_req *r, const char *name, const char *value, long max_age)
{
    char age[48] = "";
    if (max_age >= 0)
        snprintf(age, sizeof(age), "; Max-Age=%ld", max_age);
    char *c = arena_printf(r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name, value,
                           r->cfg->cookie_secure ? "; Secure" : "", age);
    if (c)
        web_add_header(r, "Set-Cookie", c);
}

void web_redirect(struct web_req *r, const char *location)
{
    r->status = 303;
    web_add_header(r, "Location", location);
    buf_reset(&r->out.b);
}

void web_error_page(struct web_req *r, int status, const char *sv)
{
    buf_reset(&r->out.b);
    r->status = status;
    page_begin(r, T(r, "Något gick fel"));
    html_f(&r->out, "<h1>%s</h1>\n<p>%s</p>\n", T(r, "Något gick fel"), T(r, sv));
    html_f(&r->out, "<p><a href=\"/start\">%s</a></p>\n", T(r, "Till startsidan"));
    page_end(r);
}

void web_json(struct web_req *r, int status, json_t *v)
{
    r->status = status;
    r->ctype = "application/json; charset=utf-8";
    r->has_data = 1;
    buf_reset(&r->data);
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    if (s) {
        buf_puts(&r->data, s);
        buf_putc(&r->data, '\n');
        free(s);
    } else {
        r->data.failed = 1;
    }
    json_decref(v);
}

void web_api_error(struct web_req *r, int status, const char *code, const char *message)
{
    web_json(r, status, json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message));
}

static const char *api_code(enum err e)
{
    switch (e) {
    case ERR_INVALID:
    case ERR_PARSE:
        return "invalid";
    case ERR_DENIED:
        return "forbidden";
    case ERR_NOTFOUND:
        return "not_found";
    case ERR_CONFLICT:
        return "conflict";
    case ERR_LIMIT:
        return "busy";
    default:
        return "internal";
    }
}

void web_api_fail(struct web_req *r, enum err e, const struct svc_result *res)
{
    int st = reqweb_status(e);
    const char *msg = res && !msg_empty(&res->msg) ? web_msg(r, &res->msg) : api_code(e);
    if (res && res->issues.n) {
        json_t *fields = json_array();
        for (size_t i = 0; i < res->issues.n; i++)
            json_array_append_new(fields, json_pack("{s:s, s:s}", "field", res->issues.v[i].field,
                                                    "message", web_msg(r, &res->issues.v[i].msg)));
        web_json(r, st,
                 json_pack("{s:{s:s, s:s, s:o}}", "error", "code", api_code(e), "message", msg,
                           "fields", fields));
        return;
    }
    web_api_error(r, st, api_code(e), msg);
}

static const char *session_cookie(const struct web_req *r)
{
    return r->cfg->cookie_secure ? "__Host-sid" : "sid";
}

/* Single sign-on: the identity header counts only from the trusted proxy. */
static void trusted_login(struct web_req *r, const char *cookie)
{
    const char *ident = web_header(r, r->cfg->trusted_header);
    if (!ident || !ident[0])
        return;
    if (cookie &&
        auth_session_get(r->store, cookie, r->now, r->cfg->idle_seconds, &r->sess) == ERR_OK) {
        if (strcmp(r->sess.account.login, ident) == 0) {
            r->authed = 1;
            return;
        }
    }
    struct auth_session_new ns;
    enum auth_result res;
    struct svc_actor who;
    struct svc_result sr;
    web_actor(r, &who);
    if (auth_login_trusted(r->store, &who, r->now, ident, &res, &ns, &sr) != ERR_OK ||
        res != AUTH_OK)
        return;
    web_set_cookie(r, session_cookie(r), ns.token, -1);
    if (auth_session_get(r->store, ns.token, r->now, r->cfg->idle_seconds, &r->sess) == ERR_OK)
        r->authed = 1;
}

static void authenticate(struct web_req *r, const struct web_route *rt)
{
    if (rt->flags & WEB_API) {
        const char *h = web_header(r, "Authorization");
        if (h && str_starts(h, "Bearer ") && auth_token_check(r->store, h + 7, &r->sess) == ERR_OK)
            r->authed = 1;
        return;
    }
    const char *cookie = form_get(&r->cookies, session_cookie(r));
    if (r->cfg->trusted_header && r->cfg->trusted_proxy &&
        strcmp(r->peer, r->cfg->trusted_proxy) == 0) {
        trusted_login(r, cookie);
        if (r->authed)
            return;
    }
    if (cookie &&
        auth_session_get(r->store, cookie, r->now, r->cfg->idle_seconds, &r->sess) == ERR_OK)
        r->authed = 1;
}

static int csrf_ok(struct web_req *r, const struct web_route *rt)
{
    const char *sent = form_get(&r->body, "csrf");
    if (!sent)
        return 0;
    if (rt->flags & WEB_NO_CSRF) {
        const char *pre = form_get(&r->cookies, "csrf_pre");
        return pre && strlen(pre) == AUTH_SECRET_HEX - 1 && auth_secret_eq(pre, sent);
    }
    return r->authed && auth_secret_eq(r->sess.row.csrf, sent);
}

/* Routes that take a file upload (multipart/form-data) and the largest
 * body each accepts; every other form is URL-encoded and small. Kept
 * apart from the route table: it says how a body is read, not who may
 * send it. */
static const struct {
    void (*fn)(struct web_req *r);
    size_t max;
} uploads[] = {
    {page_req_form_post, WEB_UPLOAD_MAX},
    {page_progload_post, PROGLOAD_MAX},
    {page_pay_reply_post, PAY_REPLY_MAX},
};

static size_t upload_max(const struct web_route *rt)
{
    for (size_t i = 0; i < sizeof(uploads) / sizeof(uploads[0]); i++)
        if (uploads[i].fn == rt->fn)
            return uploads[i].max;
    return 0;
}

/* 1 if a Content-Type value is type, with or without parameters. */
static int ctype_is(const char *ct, const char *type)
{
    size_t n = strlen(type);
    return ct && strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static void unsupported_type(struct web_req *r, int api)
{
    if (api)
        web_api_error(r, 415, "unsupported_media_type", "the body must be application/json");
    else
        web_error_page(r, 415, "Formuläret skickades i ett format som sidan inte tar emot.");
}

int web_dispatch_head(struct web_req *r, struct web_body_rule *rule)
{
    rule->max = 0;
    rule->to_file = 0;
    const char *ck = web_header(r, "Cookie");
    if (ck && form_parse_cookies(r->arena, ck, strlen(ck), &r->cookies) != ERR_OK)
        r->cookies.n = 0;
    const char *ql = web_query(r, "lang");
    r->lang = i18n_negotiate(ql, form_get(&r->cookies, "lang"), web_header(r, "Accept-Language"));
    if (ql && (strcmp(ql, "sv") == 0 || strcmp(ql, "en") == 0))
        web_set_cookie(r, "lang", ql, 365L * 24 * 3600);

    const struct web_route *rt = NULL;
    int path_known = 0;
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        size_t nsegs = 0;
        if (!web_match(routes[i].pattern, r->path, NULL, &nsegs, NULL))
            continue;
        path_known = 1;
        if (strcmp(routes[i].method, r->method) == 0 ||
            (strcmp(r->method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0)) {
            rt = &routes[i];
            web_match(rt->pattern, r->path, r->segs, &r->nsegs, r->arena);
            break;
        }
    }
    int api = str_starts(r->path, "/api/");
    if (!rt) {
        int status = path_known ? 405 : 404;
        if (api)
            web_api_error(r, status, path_known ? "method_not_allowed" : "not_found",
                          path_known ? "method not allowed" : "no such resource");
        else
            web_error_page(r, status,
                           path_known ? "Metoden är inte tillåten." : "Sidan finns inte.");
        return 1;
    }
    r->route = rt;
    const struct action *act = action_get(rt->act);
    int public = act->scope == ACT_SCOPE_PUBLIC;
    if ((rt->flags & WEB_KEEP) &&
        (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)) {
        /* one statement for both generations: who may do what, and what
         * a kept answer is checked against (web/keep.h) */
        int64_t ag = 0;
        if (svc_gens(r->store, &ag, &r->data_gen) == ERR_OK) {
            auth_request_gen(ag);
            r->have_data_gen = 1;
        }
    }
    if (!public || (rt->flags & WEB_API) || strcmp(rt->pattern, "/") == 0 ||
        strcmp(rt->pattern, "/login") == 0)
        authenticate(r, rt);
    if (!public) {
        if (!r->authed) {
            if (rt->flags & WEB_API)
                web_api_error(r, 401, "unauthenticated", "a valid bearer token is required");
            else if (strcmp(rt->method, "GET") == 0)
                web_redirect(r, "/login");
            else
                web_error_page(r, 401, "Du behöver logga in.");
            return 1;
        }
        /* the person's own session and account need no organisation chosen */
        if (act->scope != ACT_SCOPE_SELF && !r->sess.row.org_chosen) {
            if (strcmp(rt->method, "GET") == 0)
                web_redirect(r, "/login/org");
            else
                web_error_page(r, 403, "Välj först vilken organisation du företräder.");
            return 1;
        }
        /* the service decides, from the roles it reads itself, and says why */
        struct svc_actor who;
        struct svc_result res;
        svc_result_init(&res);
        web_actor(r, &who);
        enum err e = svc_check(r->store, &who, rt->act, web_route_owner(r), &res.msg);
        if (e == ERR_DENIED) /* which rule refused, for the client and the matrix test */
            web_add_header(r, "X-Bidrag-Refused", act->name);
        if (e == ERR_DENIED && (rt->flags & WEB_API)) {
            web_api_error(r, 403, "forbidden", "your role may not use this resource");
            return 1;
        }
        if (e != ERR_OK) {
            if (rt->flags & WEB_API)
                web_api_fail(r, e, &res);
            else
                reqweb_fail(r, e, &res);
            return 1;
        }
    }
    if (strcmp(rt->method, "POST") != 0)
        return 0; /* GET and HEAD take no body */
    const char *ct = web_header(r, "Content-Type");
    if (rt->flags & WEB_API) {
        if (!ctype_is(ct, "application/json")) {
            unsupported_type(r, 1);
            return 1;
        }
        rule->max = WEB_BODY_MAX;
    } else if (mp_is_multipart(ct)) {
        rule->max = upload_max(rt);
        rule->to_file = 1;
        r->multipart = 1;
        if (!rule->max) {
            unsupported_type(r, 0);
            return 1;
        }
    } else if (!ct || ctype_is(ct, "application/x-www-form-urlencoded")) {
        /* the login form is the only one open to anybody: it is small */
        rule->max = public ? WEB_FORM_PUBLIC_MAX : WEB_BODY_MAX;
    } else {
        unsupported_type(r, 0);
        return 1;
    }
    return 0;
}

void web_too_large(struct web_req *r)
{
    if (r->route && (r->route->flags & WEB_API))
        web_api_error(r, 413, "too_large", "the request body is too large");
    else if (r->multipart)
        web_error_page(r, 413, "Filen är för stor. Den får vara högst 10 MiB.");
    else
        web_error_page(r, 413, "Formuläret är för stort.");
}

void web_busy(struct web_req *r)
{
    web_add_header(r, "Retry-After", "10");
    if (str_starts(r->path, "/api/"))
        web_api_error(r, 503, "busy", "the server is busy, try again shortly");
    else
        web_error_page(r, 503, "Tjänsten har mycket att göra just nu. Försök igen om en stund.");
}

void web_fault_page(struct web_req *r, enum store_fault f)
{
    static const struct {
        const char *code, *en, *sv;
    } faults[] = {
        [STORE_FAULT_NONE] = {"unavailable", "the database cannot be reached",
                              "Tjänsten kunde inte nå databasen. Försök igen om en stund."},
        [STORE_FAULT_FULL] = {"disk_full", "the server's disk is full: nothing can be saved",
                              "Servern har inte plats att spara något mer just nu, så ingenting "
                              "har sparats. Det som redan är sparat finns kvar och går att läsa. "
                              "Försök igen senare."},
        [STORE_FAULT_READONLY] = {"read_only", "the database is read-only: nothing can be saved",
                                  "Databasen går bara att läsa just nu, så ingenting har sparats. "
                                  "Det som redan är sparat finns kvar. Försök igen senare."},
        [STORE_FAULT_DAMAGED] = {"damaged", "the database is damaged",
                                 "Databasen är skadad och kan inte användas just nu. Driften "
                                 "behöver åtgärda felet. Försök igen senare."},
        [STORE_FAULT_IO] = {"io_error", "the server cannot read or write its database",
                            "Servern kan inte läsa eller skriva sin databas just nu. Försök igen "
                            "senare."},
    };
    size_t i = (size_t)f < sizeof(faults) / sizeof(faults[0]) ? (size_t)f : 0;
    r->nhdr = 0; /* no cookie or redirect from the failed attempt */
    web_add_header(r, "Retry-After", "60");
    if (str_starts(r->path, "/api/"))
        web_api_error(r, 503, faults[i].code, faults[i].en);
    else
        web_error_page(r, 503, faults[i].sv);
}

void web_dispatch_body(struct web_req *r)
{
    const struct web_route *rt = r->route;
    if (strcmp(rt->method, "POST") == 0 && !(rt->flags & WEB_API)) {
        const char *ct = web_header(r, "Content-Type");
        enum err pe = r->multipart ? mp_parse(r->arena, ct, r->raw_body, r->raw_len,
                                              REQ_PLAN_MAX_BYTES, &r->body, &r->files)
                                   : form_parse(r->arena, r->raw_body, r->raw_len, &r->body);
        if (pe == ERR_LIMIT) {
            web_error_page(r, 413, "Filen är för stor. Den får vara högst 10 MiB.");
            return;
        }
        if (pe != ERR_OK) {
            web_error_page(r, 400, "Formuläret kunde inte läsas.");
            return;
        }
        if (!csrf_ok(r, rt)) {
            web_error_page(r, 403,
                           "Formuläret har gått ut eller kom inte från den här tjänsten. Ladda "
                           "om sidan och försök igen.");
            return;
        }
    }
    if (rt->flags & WEB_KEEP) {
        struct keep_tag t;
        if (keep_serve(r, &t))
            return;
        rt->fn(r);
        keep_put(r, &t);
    } else {
        rt->fn(r);
    }
    /* a write the disk or the database refused: say what is wrong, in
     * words, never SQLite's */
    enum store_fault f = store_fault(r->store);
    if (r->status >= 500 && f != STORE_FAULT_NONE)
        web_fault_page(r, f);
}
