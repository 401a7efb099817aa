/* web.h - what the web modules share: the request being served, the
 * route table's shape, and the response helpers. Not used outside
 * src/web/. */
#ifndef BIDRAG_WEB_WEB_H
#define BIDRAG_WEB_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "core/perm.h"
#include "core/requisition.h"
#include "service/auth.h"
#include "service/svc.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/buf.h"
#include "web/form.h"
#include "web/html.h"
#include "util/i18n.h"
#include "web/multipart.h"
#include "web/server.h"

#define WEB_MAX_HEADERS 8
#define WEB_MAX_SEGS 8
#define WEB_BODY_MAX ((size_t)1 << 20)         /* largest form or JSON body accepted */
#define WEB_FORM_PUBLIC_MAX ((size_t)16 << 10) /* largest form without a login */
/* largest multipart/form-data body (a production plan and the form) */
#define WEB_UPLOAD_MAX (REQ_PLAN_MAX_BYTES + ((size_t)1 << 20))
#define WEB_PAGE_MAX ((size_t)8 << 20) /* largest page produced */
#define WEB_FAULT_MEMORY 60            /* seconds /healthz remembers a full or read-only write */

struct web_header {
    const char *name;
    const char *value;
};

struct web_route;

/* Server-wide health, kept by server.c and shown by /healthz: when a
 * write last met a full disk or a read-only database (0: never), and
 * whether the database was found damaged since the start. */
struct web_health {
    int64_t full_at;
    int64_t readonly_at;
    int damaged;
    int64_t disk_reserve; /* bytes that must stay free on the database's disk */
};

struct web_req {
    const struct web_config *cfg;
    const struct web_health *health; /* a snapshot taken for this request */
    const struct web_route *route;   /* set by web_dispatch_head */
    int multipart;                   /* the body is multipart/form-data */
    struct store *store;
    struct arena *arena;
    void *conn; /* struct MHD_Connection */
    const char *method;
    const char *path;
    const char *addr; /* the client's address (from the trusted proxy's header) */
    const char *peer; /* the TCP peer's address */
    const char *raw_body;
    size_t raw_len;
    struct form body;
    struct mp_files files; /* file parts of a multipart/form-data POST */
    struct form cookies;
    const char *segs[WEB_MAX_SEGS]; /* path segments matched by '*' */
    size_t nsegs;
    enum lang lang;
    int64_t now;
    struct date today; /* the Stockholm date at now (util/civil.h) */
    int authed;        /* sess is valid */
    int kept;          /* answered from memory (web/keep.h) */
    int have_data_gen; /* data_gen was read at the start (routes flagged WEB_KEEP) */
    int64_t data_gen;
    struct auth_session sess;
    /* the response */
    int status;
    const char *ctype;
    struct html out; /* text/html pages */
    struct buf data; /* other bodies (JSON, CSS) */
    int has_data;
    struct web_header hdr[WEB_MAX_HEADERS];
    size_t nhdr;
};

/* Route flags. */
#define WEB_API 1     /* JSON API: bearer token, JSON errors */
#define WEB_NO_CSRF 2 /* form posted before a session exists */
/* a large table or download: an ETag of its bytes (If-None-Match answers
 * 304), gzip when the client takes it (compressed once per body), and
 * "Cache-Control: private, no-cache" so that browsers revalidate */
#define WEB_CACHE 4
/* a page or resource that only reads: its rendered answer is kept in
 * memory per viewer while nothing it shows has changed (web/keep.h) */
#define WEB_KEEP 8
/* it reads the statistics folder: a kept answer is checked against the
 * folder's mark too */
#define WEB_STATS 16

struct web_route {
    const char *method;
    const char *pattern; /* "/org/{code}" is written with a star segment */
    enum action_id act;  /* what it does: who may use it (core/action.h) */
    int flags;
    void (*fn)(struct web_req *r);
};

/* The route table (routes.c). */
const struct web_route *web_routes(size_t *n);

/* How a request's body is to be read, decided from its head. */
struct web_body_rule {
    size_t max;  /* largest body the route accepts (0: none) */
    int to_file; /* an upload: stream it to a temporary file */
};
/* Serve a request in two steps (routes.c). From the head alone: find the
 * route, authenticate, check the role and the Content-Type, and say how
 * large a body the route takes; 1 when the response is already made (the
 * body is then never read). */
int web_dispatch_head(struct web_req *r, struct web_body_rule *rule);
/* With the body in r->raw_body: parse the form, check CSRF, call the
 * handler; a 5xx caused by a full disk or a read-only or damaged
 * database becomes a 503 page that says so. */
void web_dispatch_body(struct web_req *r);
/* Responses the server makes before a handler runs. */
void web_too_large(struct web_req *r);
void web_busy(struct web_req *r);
void web_fault_page(struct web_req *r, enum store_fault f);
/* 1 if path matches pattern; fills r->segs. */
int web_match(const char *pattern, const char *path, const char **segs, size_t *nsegs,
              struct arena *a);

/* Text in the request's language. */
const char *web_tr(const struct web_req *r, const char *sv);
#define T(r, sv) web_tr((r), (sv))
/* A service's message rendered in the request's language (in the arena;
 * "" for none). */
const char *web_msg(struct web_req *r, const struct msg *m);
/* Who asks, for the services: the session's account and the organisation
 * it acts for (nobody when not logged in), from the client's address. */
void web_actor(const struct web_req *r, struct svc_actor *who);
/* The organisation whose objects the matched route acts on: the CODE of
 * /org/CODE/... and /api/v1/org/CODE/...; NULL for other routes. */
const char *web_route_owner(const struct web_req *r);
/* May the requester perform act on an object of owner_org (NULL: none)?
 * The service decides (svc_may: roles resolved from the store); for the
 * route check and for showing a button or a link. */
int web_may(struct web_req *r, enum action_id act, const char *owner_org);
/* A query-string value (valid UTF-8) or NULL. */
const char *web_query(struct web_req *r, const char *name);
/* A request header or NULL. */
const char *web_header(struct web_req *r, const char *name);
/* Add a response header (the value is copied into the arena). */
void web_add_header(struct web_req *r, const char *name, const char *value);
/* Set a cookie (HttpOnly, SameSite=Strict, Path=/, Secure if configured);
 * max_age < 0: session cookie, 0: delete. */
void web_set_cookie(struct web_req *r, const char *name, const char *value, long max_age);
void web_redirect(struct web_req *r, const char *location);
/* A whole error page with a Swedish message. */
void web_error_page(struct web_req *r, int status, const char *sv);
/* {"error": {"code": code, "message": message}} */
void web_api_error(struct web_req *r, int status, const char *code, const char *message);
/* The error of a service call as JSON: the status and code for e, the
 * message in the request's language, and the field messages in "fields". */
void web_api_fail(struct web_req *r, enum err e, const struct svc_result *res);
/* Respond with a JSON value (takes a reference: the caller's json_t is
 * released). */
struct json_t;
void web_json(struct web_req *r, int status, struct json_t *v);

/* Page frame (page.c): everything up to <main>, and after it. */
void page_begin(struct web_req *r, const char *title);
void page_end(struct web_req *r);
/* Hidden CSRF field for a form of the current session. */
void page_csrf(struct web_req *r);

/* Handlers (pages.c, api.c, static.c). */
void page_root(struct web_req *r);
void page_login(struct web_req *r);
void page_login_post(struct web_req *r);
void page_org(struct web_req *r);
void page_org_post(struct web_req *r);
void page_logout_post(struct web_req *r);
void page_start(struct web_req *r);
void page_orgpage(struct web_req *r);
void page_members(struct web_req *r);
void page_members_post(struct web_req *r);
void page_invitation_post(struct web_req *r);
void page_account(struct web_req *r);
void page_account_password(struct web_req *r);
void page_account_tokens(struct web_req *r);
void page_users(struct web_req *r);
void page_users_post(struct web_req *r);
void page_audit(struct web_req *r);
void page_health(struct web_req *r);
void static_css(struct web_req *r);
/* Programs (pages_program.c). */
/* A program's title (block NULL) or a block's title in the page's
 * language: the program file's title_en on English pages, else sv; with
 * sv NULL the program's own Swedish title (the id if it cannot be read). */
const char *web_program_text(struct web_req *r, const char *prog, const char *block,
                             const char *sv);
/* pages_progload.c: a program file uploaded, checked, then loaded */
#define PROGLOAD_MAX ((size_t)256 << 10)
void page_progload(struct web_req *r);
void page_progload_post(struct web_req *r);
void page_progload_load(struct web_req *r);
void page_programs(struct web_req *r);
void page_program(struct web_req *r);
void page_program_standin_post(struct web_req *r);
void page_program_csv(struct web_req *r);
void page_program_xlsx(struct web_req *r);
void api_programs(struct web_req *r);
void api_program_allocation(struct web_req *r);
/* Statistics (pages_stats.c). */
void page_stats(struct web_req *r);
void page_stats_table(struct web_req *r);
void page_stats_file(struct web_req *r);
void api_stats(struct web_req *r);
void api_stats_table(struct web_req *r);
void api_stats_sub(struct web_req *r);
void page_stats_save(struct web_req *r);
/* Requisitions, the recipient's side (pages_req.c). */
void page_req_overview(struct web_req *r);
void page_req_form(struct web_req *r);
void page_req_form_post(struct web_req *r);
void page_req_receipt(struct web_req *r);
void page_req_receipt_pdf(struct web_req *r);
void page_req_decision_pdf(struct web_req *r);
/* Requisitions, the agency's side (pages_reqadm.c). */
void page_reqadm_queue(struct web_req *r);
void page_reqadm_queue_post(struct web_req *r);
void page_reqadm_case(struct web_req *r);
void page_reqadm_case_post(struct web_req *r);
void page_reqadm_decisions(struct web_req *r);
void page_reqadm_plan(struct web_req *r);
void page_reqadm_dashboard(struct web_req *r);
void page_reqadm_dashboard_xlsx(struct web_req *r);
void page_reqadm_redist(struct web_req *r);
void page_reqadm_redist_post(struct web_req *r);
/* Requisitions as JSON (api_req.c). */
/* paying out (pages_pay.c) */
#define PAY_REPLY_MAX ((size_t)64 << 20) /* a bank reply: the readers' own cap */
void page_pay_index(struct web_req *r);
void page_pay_batch(struct web_req *r);
void page_pay_create_post(struct web_req *r);
void page_pay_batch_post(struct web_req *r);
void page_pay_attest_post(struct web_req *r);
void page_pay_file_post(struct web_req *r);
void page_pay_file(struct web_req *r);
void page_pay_reply_post(struct web_req *r);
void page_pay_org(struct web_req *r);
void page_pay_batch_csv(struct web_req *r);
void page_pay_batch_xlsx(struct web_req *r);
/* paying out under /api/v1/ (api_pay.c) */
void api_payments(struct web_req *r);
void api_pay_batches(struct web_req *r);
void api_pay_batch_new(struct web_req *r);
void api_pay_attest(struct web_req *r);
void api_pay_file(struct web_req *r);
void api_pay_file_make(struct web_req *r);
void api_pay_create(struct web_req *r);
/* the appropriation ledger (pages_ledger.c) */
void page_ledger(struct web_req *r);
void page_ledger_cost_post(struct web_req *r);
void page_ledger_csv(struct web_req *r);
void page_ledger_xlsx(struct web_req *r);
void api_program_ledger(struct web_req *r);

void api_program_requisitions(struct web_req *r);
void api_org_requisitions(struct web_req *r);
void api_org_requisition_submit(struct web_req *r);
void api_program_bulk_approve(struct web_req *r);
/* Shared by the requisition pages (pages_req.c). */
/* "1 234 kr" / "SEK 1,234" from öre. */
void reqweb_kr(const struct web_req *r, char *out, size_t n, int64_t ore);
/* HTTP status for a service outcome. */
int reqweb_status(enum err e);
/* An error page with the service's sentence in the request's language
 * (or a general one). */
void reqweb_fail(struct web_req *r, enum err e, const struct svc_result *res);
/* What the organisation acted for may requisition in each program: its
 * maximum and the window (the service's overview). */
void reqweb_org_programs(struct web_req *r);
/* Respond with a PDF download named name.pdf. */
void reqweb_pdf(struct web_req *r, struct buf *pdf, const char *name);
/* "Tid kvar att rekvirera" for a window. */
void reqweb_window(const struct web_req *r, struct date opens, struct date closes, char *out,
                   size_t n);
/* A state / decision kind in the request's language. */
const char *reqweb_state(const struct web_req *r, enum req_state s);
const char *reqweb_decision_kind(const struct web_req *r, const char *kind);
void api_me(struct web_req *r);
void api_audit(struct web_req *r);
void api_audit_verify(struct web_req *r);

#endif
