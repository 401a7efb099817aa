/* pages_reqadm.c - the agency's side of the requisition e-service: the
 * queue of a program with counts per state, one requisition with all its
 * versions and what changed between them, the decisions (return, approve,
 * reject, approve in bulk), redistribution, the decisions list and the
 * dashboard with a bar chart by region and an XLSX export. Handläggare
 * and admin act; attestant and granskare read. Every rule and number is
 * the service's (service/requisition.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/xlsx.h"
#include "service/refdata.h"
#include "service/reqdash.h"
#include "service/requisition.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/web.h"

/* May the person asking perform act (to show its form)? */
static int may(struct web_req *r, enum action_id act)
{
    struct svc_actor who;
    web_actor(r, &who);
    return svc_may(r->store, &who, act, NULL);
}

static void civil(const char *iso, char *out, size_t n)
{
    int64_t t;
    out[0] = '\0';
    if (iso && clock_parse(iso, &t) == ERR_OK)
        civil_fmt(out, n, t);
}

/* Links between the program's requisition pages. */
static void sub_nav(struct web_req *r, const char *program)
{
    html_f(&r->out,
           "<p class=\"downloads\"><a href=\"/programs/%s\">%s</a> "
           "<a href=\"/programs/%s/rekvisitioner\">%s</a> "
           "<a href=\"/programs/%s/rekvisitionsoversikt\">%s</a> "
           "<a href=\"/programs/%s/beslut\">%s</a> "
           "<a href=\"/programs/%s/omfordelning\">%s</a></p>\n",
           program, T(r, "Programmet"), program, T(r, "Rekvisitioner"), program, T(r, "Översikt"),
           program, T(r, "Beslut"), program, T(r, "Omfördelning"));
}

/* ---- the queue ---- */

/* 1 if hay holds needle, ASCII letters compared without case (å, ä and ö
 * as written). */
static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *h = hay; *h; h++) {
        size_t k = 0;
        while (k < n && h[k]) {
            char a = h[k], b = needle[k];
            if (a >= 'A' && a <= 'Z')
                a = (char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z')
                b = (char)(b - 'A' + 'a');
            if (a != b)
                break;
            k++;
        }
        if (k == n)
            return 1;
    }
    return n == 0;
}

/* The bulk approval's preview: the question, each requisition it would
 * approve (recipient by name, amount), and the confirmation that names
 * this selection by its digest. */
static void bulk_preview(struct web_req *r, const char *program, const struct req_bulk_preview *pre,
                         const char *question)
{
    char tot[64];
    reqweb_kr(r, tot, sizeof(tot), pre->total_ore);
    html_f(&r->out,
           "<section id=\"bulk-preview\" aria-labelledby=\"bulk-q\"><h2 id=\"bulk-q\">%s</h2>\n"
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-bulk\" "
           "tabindex=\"0\"><table>\n<caption id=\"cap-bulk\">%s</caption>\n<thead><tr>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\" "
           "class=\"num\">%s</th></tr></thead>\n<tbody>\n",
           question, T(r, "Förhandsgranskning: rekvisitioner som beviljas"), T(r, "Ärende"),
           T(r, "Mottagare"), T(r, "Belopp"));
    for (size_t i = 0; i < pre->n; i++) {
        char a1[64];
        reqweb_kr(r, a1, sizeof(a1), pre->lines[i].amount_ore);
        html_f(&r->out,
               "<tr><td>%s</td><th scope=\"row\">%s (%s)</th><td class=\"num\">%s</td></tr>\n",
               pre->lines[i].case_no, pre->lines[i].name, pre->lines[i].recipient, a1);
    }
    if (!pre->n)
        html_f(&r->out, "<tr><td colspan=\"3\">%s</td></tr>\n",
               T(r, "Ingen rekvisition kan beviljas i klump."));
    html_f(&r->out,
           "</tbody><tfoot><tr><td></td><th scope=\"row\">%s</th><td class=\"num\">%s</td>"
           "</tr></tfoot></table></div>\n<p>%s %zu</p>\n",
           T(r, "Totalt"), tot, T(r, "Kvar att pröva en och en:"), pre->left);
    if (pre->n) {
        html_f(&r->out,
               "<form method=\"post\" action=\"/programs/%s/rekvisitioner\" class=\"form\">",
               program);
        page_csrf(r);
        html_f(&r->out,
               "<input type=\"hidden\" name=\"action\" value=\"bulk\"><input type=\"hidden\" "
               "name=\"urval\" value=\"%s\"><p><button type=\"submit\">%s</button> "
               "<a href=\"/programs/%s/rekvisitioner\">%s</a></p></form>\n",
               pre->digest, T(r, "Bekräfta och bevilja"), program, T(r, "Avbryt"));
    }
    html_lit(&r->out, "</section>\n");
}

static void queue_page(struct web_req *r, int status, const char *msg, int msg_error,
                       const struct req_bulk_preview *pre, const char *question)
{
    const char *program = r->segs[0];
    const char *st = web_query(r, "status");
    int state = st && st[0] ? req_state_parse(st) : -1;
    struct svc_actor a;
    struct req_queue q;
    struct svc_result res;
    struct req_filter f = {program, state, NULL, 0, 0};
    web_actor(r, &a);
    memset(&q, 0, sizeof(q));
    enum err e = req_queue_list(r->store, &a, r->now, &f, &q, &res);
    if (e != ERR_OK) {
        req_queue_release(&q);
        reqweb_fail(r, e, &res);
        return;
    }
    r->status = status;
    buf_reset(&r->out.b);
    page_begin(r, T(r, "Rekvisitioner"));
    html_f(&r->out, "<h1>%s <span class=\"sub\">%s</span></h1>\n", T(r, "Rekvisitioner"),
           web_program_text(r, program, NULL, NULL));
    /* recipients by name: one read of the organisations for the page */
    struct org_list orgs = {NULL, 0};
    if (refdata_orgs(r->store, &a, r->now, &orgs, &res) != ERR_OK)
        orgs.n = 0;
    const char *search = web_query(r, "namn");
    if (search && (strlen(search) > 100 || !str_text_ok(search, strlen(search), 0)))
        search = NULL;
    sub_nav(r, program);
    if (msg)
        html_f(&r->out, "<p class=\"%s\" role=\"%s\">%s</p>\n", msg_error ? "error" : "ok",
               msg_error ? "alert" : "status", msg);
    /* counts per state, each a filter link */
    html_f(&r->out, "<h2>%s</h2>\n<ul class=\"counts\">\n", T(r, "Antal per status"));
    long long all = 0;
    for (int s = 0; s < REQ_STATE_COUNT; s++)
        all += q.counts[s];
    if (state < 0)
        html_f(&r->out,
               "<li><a href=\"/programs/%s/rekvisitioner\" aria-current=\"true\">%s: %lld</a>"
               "</li>\n",
               program, T(r, "Alla"), all);
    else
        html_f(&r->out, "<li><a href=\"/programs/%s/rekvisitioner\">%s: %lld</a></li>\n", program,
               T(r, "Alla"), all);
    for (int s = 0; s < REQ_STATE_COUNT; s++) {
        if (state == s)
            html_f(&r->out,
                   "<li><a href=\"/programs/%s/rekvisitioner?status=%s\" aria-current=\"true\">"
                   "%s: %lld</a></li>\n",
                   program, req_state_id((enum req_state)s), reqweb_state(r, (enum req_state)s),
                   q.counts[s]);
        else
            html_f(&r->out,
                   "<li><a href=\"/programs/%s/rekvisitioner?status=%s\">%s: %lld</a></li>\n",
                   program, req_state_id((enum req_state)s), reqweb_state(r, (enum req_state)s),
                   q.counts[s]);
    }
    html_lit(&r->out, "</ul>\n");
    html_f(&r->out,
           "<form method=\"get\" action=\"/programs/%s/rekvisitioner\" class=\"form inline\">"
           "<p><label for=\"f-status\">%s</label>\n<select id=\"f-status\" name=\"status\">"
           "<option value=\"\">%s</option>\n",
           program, T(r, "Visa status"), T(r, "Alla"));
    for (int s = 0; s < REQ_STATE_COUNT; s++)
        html_f(&r->out, "<option value=\"%s\"%s>%s</option>\n", req_state_id((enum req_state)s),
               state == s ? " selected" : "", reqweb_state(r, (enum req_state)s));
    html_f(&r->out,
           "</select></p>\n<p><label for=\"f-namn\">%s</label>\n<input type=\"search\" "
           "id=\"f-namn\" name=\"namn\" maxlength=\"100\" value=\"%s\"> <button "
           "type=\"submit\">%s</button></p></form>\n",
           T(r, "Sök mottagare (namn, kod eller ärendenummer)"), search ? search : "",
           T(r, "Filtrera"));

    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-q\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-q\">%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
           "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Rekvisitioner i programmet"), T(r, "Ärende"), T(r, "Mottagare"), T(r, "Status"),
           T(r, "Version"), T(r, "Begärt"), T(r, "Beviljat"), T(r, "Senast ändrad"));
    size_t shown = 0;
    for (size_t i = 0; i < q.n; i++) {
        const struct req_row *x = &q.rows[i];
        char name[160];
        refdata_org_label(&orgs, x->recipient, name, sizeof(name));
        if (search && search[0] && !contains_ci(name, search) &&
            !contains_ci(x->recipient, search) && !contains_ci(x->case_no, search))
            continue;
        shown++;
        char req[64] = "–", app[64] = "–", at[32];
        if (x->requested_ore >= 0)
            reqweb_kr(r, req, sizeof(req), x->requested_ore);
        if (x->approved_ore >= 0)
            reqweb_kr(r, app, sizeof(app), x->approved_ore);
        civil(x->updated_at, at, sizeof(at));
        html_f(&r->out,
               "<tr><th scope=\"row\"><a href=\"/rekvisitioner/%s\">%s</a></th><td>%s %s</td>"
               "<td>%s</td><td>%d</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
               "<td>%s</td></tr>\n",
               x->case_no, x->case_no, x->recipient, name, reqweb_state(r, x->state), x->version,
               req, app, at);
    }
    org_list_release(&orgs);
    if (!shown && q.n)
        html_f(&r->out, "<tr><td colspan=\"7\">%s</td></tr>\n",
               T(r, "Ingen rekvisition matchar sökningen."));
    if (!q.n)
        html_f(&r->out, "<tr><td colspan=\"7\">%s</td></tr>\n", T(r, "Inga rekvisitioner."));
    html_lit(&r->out, "</tbody></table></div>\n");
    if (pre)
        bulk_preview(r, program, pre, question);
    else if (may(r, ACT_REQ_BULK_APPROVE)) {
        html_f(&r->out,
               "<h2 id=\"bulk-h\">%s</h2>\n<p>%s</p>\n<form method=\"post\" "
               "action=\"/programs/%s/rekvisitioner\" class=\"form\" aria-labelledby=\"bulk-h\">",
               T(r, "Bevilja flera"),
               T(r, "Beviljar varje inskickad rekvisition som är komplett och begär sitt högsta "
                    "belopp. Först visas vilka och hur mycket; inget beviljas förrän du "
                    "bekräftar. Övriga ligger kvar för granskning."),
               program);
        page_csrf(r);
        html_f(&r->out,
               "<input type=\"hidden\" name=\"action\" value=\"bulk\"><p><button "
               "type=\"submit\">%s</button></p></form>\n",
               T(r, "Förhandsgranska"));
    }
    page_end(r);
    req_queue_release(&q);
}

void page_reqadm_queue(struct web_req *r)
{
    const char *done = web_query(r, "beviljade");
    const char *left = web_query(r, "kvar");
    char *msg = NULL;
    if (done && left && str_is_digits(done, strlen(done)) && str_is_digits(left, strlen(left)))
        msg = arena_printf(r->arena, "%s %s, %s %s.", T(r, "Beviljade:"), done,
                           T(r, "kvar att granska:"), left);
    queue_page(r, 200, msg, 0, NULL, NULL);
}

/* action=bulk: without urval the preview (nothing written); with the
 * digest of the previewed selection in urval, the approval - if the
 * selection changed in between, nothing is approved and the new preview
 * is shown (409). */
void page_reqadm_queue_post(struct web_req *r)
{
    const char *action = form_get(&r->body, "action");
    if (!action || strcmp(action, "bulk") != 0) {
        web_error_page(r, 400, "Formuläret kunde inte läsas.");
        return;
    }
    const char *urval = form_get(&r->body, "urval");
    struct svc_actor a;
    struct svc_result res;
    struct req_bulk_preview pre;
    web_actor(r, &a);
    enum err e = urval ? req_bulk_approve(r->store, &a, r->now, r->segs[0], urval, &pre, &res)
                       : req_bulk_preview(r->store, &a, r->now, r->segs[0], &pre, &res);
    if (e == ERR_OK && !urval) {
        queue_page(r, 200, NULL, 0, &pre, web_msg(r, &pre.question));
    } else if (e == ERR_CONFLICT && pre.lines) {
        /* the new selection, asked again */
        queue_page(r, 409, web_msg(r, &res.msg), 1, &pre, web_msg(r, &pre.question));
    } else if (e == ERR_DENIED || e == ERR_CONFLICT) {
        queue_page(r, reqweb_status(e), web_msg(r, &res.msg), 1, NULL, NULL);
    } else if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
    } else {
        char *loc = arena_printf(r->arena, "/programs/%s/rekvisitioner?beviljade=%zu&kvar=%zu",
                                 r->segs[0], pre.n, pre.left);
        web_redirect(r, loc ? loc : "/programs");
    }
    req_bulk_preview_release(&pre);
}

/* ---- one requisition ---- */

static const char *purpose_title(enum lang l, const struct program *p, const char *id)
{
    for (size_t i = 0; i < p->npurposes; i++)
        if (strcmp(p->purposes[i].id, id) == 0)
            return program_text(l, p->purposes[i].title, p->purposes[i].title_en);
    return id;
}

static void form_summary(struct web_req *r, const struct req_view *v, const struct req_form *f)
{
    char amt[64];
    html_lit(&r->out, "<dl class=\"facts\">\n");
    reqweb_kr(r, amt, sizeof(amt), f->amount_ore < 0 ? v->max_ore : f->amount_ore);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Begärt belopp"), amt);
    html_f(&r->out, "<dt>%s</dt><dd>%s, %s, %s</dd>\n", T(r, "Kontaktperson"), f->contact_name,
           f->contact_email, f->contact_phone);
    html_f(&r->out, "<dt>%s</dt><dd>%s %s</dd>\n", T(r, "Konto för utbetalning"),
           payacct_kind_label_sv(payacct_kind_parse(f->account_kind)), f->account);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Deltar i omfördelning"),
           f->opt_in ? T(r, "Ja") : T(r, "Nej"));
    if (f->plan.sha256[0])
        html_f(&r->out,
               "<dt>%s</dt><dd><a href=\"/rekvisitioner/%s/plan/%d\" download>%s</a></dd>\n",
               T(r, "Produktionsplan"), v->row.case_no, v->row.version, f->plan.name);
    html_lit(&r->out, "</dl>\n");
    if (!f->nmeasures)
        return;
    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-m\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-m\">%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead>\n"
           "<tbody>\n",
           T(r, "Insatser"), T(r, "Ändamål"), T(r, "Beskrivning"), T(r, "Planerat"));
    for (size_t i = 0; i < f->nmeasures; i++) {
        reqweb_kr(r, amt, sizeof(amt), f->measures[i].planned_ore);
        html_f(&r->out, "<tr><td>%s</td><td>%s</td><td class=\"num\">%s</td></tr>\n",
               purpose_title(r->lang, &v->pv.prog, f->measures[i].purpose),
               f->measures[i].description ? f->measures[i].description : "", amt);
    }
    html_lit(&r->out, "</tbody></table></div>\n");
}

/* A form field's name on screen, for the list of what changed. */
static const char *field_label(const struct web_req *r, const char *f)
{
    if (strcmp(f, "amount") == 0)
        return T(r, "Belopp");
    if (strncmp(f, "measure", 7) == 0)
        return T(r, "Insatser");
    if (strcmp(f, "contact_name") == 0)
        return T(r, "Kontaktperson");
    if (strcmp(f, "contact_email") == 0)
        return T(r, "E-post");
    if (strcmp(f, "contact_phone") == 0)
        return T(r, "Telefon");
    if (strcmp(f, "account_kind") == 0)
        return T(r, "Slag av konto");
    if (strcmp(f, "account") == 0)
        return T(r, "Kontonummer");
    if (strcmp(f, "opt_in") == 0)
        return T(r, "Deltar i omfördelning");
    if (strcmp(f, "confirmed") == 0)
        return T(r, "Underskrift");
    if (strcmp(f, "plan") == 0)
        return T(r, "Produktionsplan");
    return f;
}

struct case_errs {
    const struct msg_issues *is;
    const char *msg;
    const char *action; /* which form the issues belong to */
    /* what the officer posted to approve, shown again (NULL: nothing) */
    const char *amount, *reasons;
};

static void field_err(struct web_req *r, const struct case_errs *ce, const char *action,
                      const char *field, const char *id)
{
    const struct msg *m = ce && ce->is && ce->action && strcmp(ce->action, action) == 0
                              ? msg_issues_find(ce->is, field)
                              : NULL;
    if (m)
        html_f(&r->out, "<span id=\"%s-err\" class=\"field-error\">%s</span>", id, web_msg(r, m));
}

static void field_aria(struct web_req *r, const struct case_errs *ce, const char *action,
                       const char *field, const char *id)
{
    if (ce && ce->is && ce->action && strcmp(ce->action, action) == 0 &&
        msg_issues_find(ce->is, field))
        html_f(&r->out, " aria-invalid=\"true\" aria-describedby=\"%s-err\"", id);
}

static void case_page(struct web_req *r, int status, const struct case_errs *ce)
{
    const char *case_no = r->segs[0];
    struct svc_actor a;
    struct req_view v;
    struct svc_result res;
    web_actor(r, &a);
    enum err e = req_open_case(r->store, &a, r->now, case_no, &v, &res);
    if (e != ERR_OK) {
        req_view_release(&v);
        reqweb_fail(r, e, &res);
        return;
    }
    const struct program *p = &v.pv.prog;
    r->status = status;
    buf_reset(&r->out.b);
    char *title = arena_printf(r->arena, "%s %s", T(r, "Rekvisition"), v.row.case_no);
    page_begin(r, title ? title : case_no);
    html_f(&r->out, "<h1>%s %s</h1>\n", T(r, "Rekvisition"), v.row.case_no);
    sub_nav(r, p->id);
    if (ce && ce->is && ce->is->n) {
        html_f(&r->out,
               "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"err-sum\" "
               "tabindex=\"-1\">\n<h2 id=\"err-sum\">%s</h2>\n<ul>\n",
               T(r, "Formuläret behöver rättas"));
        for (size_t i = 0; i < ce->is->n; i++)
            html_f(&r->out, "<li><a href=\"#f-%s-%s\">%s</a></li>\n", ce->action,
                   ce->is->v[i].field, web_msg(r, &ce->is->v[i].msg));
        html_lit(&r->out, "</ul>\n</div>\n");
    } else if (ce && ce->msg) {
        html_f(&r->out, "<p class=\"error\" role=\"alert\">%s</p>\n", ce->msg);
    }
    if (web_query(r, "klart"))
        html_f(&r->out, "<p class=\"ok\" role=\"status\">%s</p>\n", T(r, "Beslutet är sparat."));
    char amt[64];
    html_lit(&r->out, "<dl class=\"facts\">\n");
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Program"),
           program_text(r->lang, p->title, p->title_en));
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Diarienummer"), p->diarienummer);
    html_f(&r->out, "<dt>%s</dt><dd>%s %s</dd>\n", T(r, "Mottagare"), v.row.recipient,
           v.recipient_name);
    reqweb_kr(r, amt, sizeof(amt), v.max_ore);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Högsta belopp"), amt);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Status"), reqweb_state(r, v.row.state));
    if (v.row.approved_ore >= 0) {
        reqweb_kr(r, amt, sizeof(amt), v.row.approved_ore);
        html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Beviljat"), amt);
    }
    if (v.row.message[0])
        html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Meddelande till mottagaren"),
               v.row.message);
    html_lit(&r->out, "</dl>\n");

    if (v.row.version > 0) {
        html_f(&r->out, "<h2>%s %d</h2>\n", T(r, "Senast inskickade version"), v.row.version);
        form_summary(r, &v, &v.latest);
    } else {
        html_f(&r->out, "<p>%s</p>\n", T(r, "Ingen version är inskickad än."));
    }

    if (v.nversions) {
        html_f(&r->out,
               "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-ver\" "
               "tabindex=\"0\"><table>\n<caption id=\"cap-ver\">%s</caption>\n<thead><tr>"
               "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
               "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\">%s</th>"
               "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
               T(r, "Alla versioner"), T(r, "Version"), T(r, "Mottagen"), T(r, "Av"),
               T(r, "Belopp"), T(r, "Ändrat sedan förra versionen"), T(r, "Kvittens"));
        for (size_t i = 0; i < v.nversions; i++) {
            const struct req_version_row *x = &v.versions[i];
            char at[32], diff[512] = "–";
            char fields[16][32];
            size_t nf = 0;
            civil(x->saved_at, at, sizeof(at));
            reqweb_kr(r, amt, sizeof(amt), x->amount_ore);
            if (x->version > 1 &&
                req_version_diff(r->store, &a, r->now, v.row.case_no, x->version - 1, x->version,
                                 fields, 16, &nf, &res) == ERR_OK) {
                size_t o = 0;
                diff[0] = '\0';
                for (size_t k = 0; k < nf && o + 40 < sizeof(diff); k++)
                    o += (size_t)snprintf(diff + o, sizeof(diff) - o, "%s%s", k ? ", " : "",
                                          field_label(r, fields[k]));
                if (!nf)
                    snprintf(diff, sizeof(diff), "%s", T(r, "inget"));
            }
            html_f(&r->out,
                   "<tr><th scope=\"row\">%d</th><td>%s</td><td>%s</td><td class=\"num\">%s</td>"
                   "<td>%s</td><td><a href=\"/rekvisitioner/%s/kvittens/%d\" download>%s %d "
                   "(PDF)</a></td></tr>\n",
                   x->version, at, x->saved_by, amt, diff, v.row.case_no, x->version,
                   T(r, "Kvittens för version"), x->version);
        }
        html_lit(&r->out, "</tbody></table></div>\n");
    }

    if (v.ndecisions) {
        html_f(&r->out,
               "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-dec\" "
               "tabindex=\"0\"><table>\n<caption id=\"cap-dec\">%s</caption>\n<thead><tr>"
               "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
               "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\">%s</th></tr></thead>\n"
               "<tbody>\n",
               T(r, "Beslut i ärendet"), T(r, "Beslut"), T(r, "Slag"), T(r, "Datum"),
               T(r, "Belopp"), T(r, "Hämta"));
        for (size_t i = 0; i < v.ndecisions; i++) {
            const struct req_decision_row *d = &v.decisions[i];
            reqweb_kr(r, amt, sizeof(amt), d->amount_ore);
            html_f(&r->out,
                   "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td class=\"num\">%s</td>"
                   "<td><a href=\"/beslut/%s\" download>%s %s (PDF)</a></td></tr>\n",
                   d->number, reqweb_decision_kind(r, d->kind), d->decided_on, amt, d->number,
                   T(r, "Beslut"), d->number);
        }
        html_lit(&r->out, "</tbody></table></div>\n");
    }

    if (!msg_empty(&v.duty_msg))
        html_f(&r->out, "<p class=\"notice\" role=\"status\">%s</p>\n", web_msg(r, &v.duty_msg));
    if (v.may_review && v.row.state == REQ_SUBMITTED) {
        char amount[32];
        snprintf(amount, sizeof(amount), "%lld",
                 (long long)((v.row.requested_ore >= 0 ? v.row.requested_ore : v.max_ore) / 100));
        html_f(&r->out, "<h2>%s</h2>\n", T(r, "Beslut och åtgärder"));
        /* approve */
        html_f(&r->out,
               "<form method=\"post\" action=\"/rekvisitioner/%s\" class=\"form\" "
               "aria-labelledby=\"h-approve\">\n<h3 id=\"h-approve\">%s</h3>",
               v.row.case_no, T(r, "Bevilja"));
        page_csrf(r);
        html_f(&r->out,
               "<input type=\"hidden\" name=\"revision\" value=\"%lld\">"
               "<input type=\"hidden\" name=\"action\" value=\"approve\">\n"
               "<p><label for=\"f-approve-amount\">%s</label>\n",
               v.row.revision, T(r, "Belopp att bevilja (kronor)"));
        field_err(r, ce, "approve", "amount", "f-approve-amount");
        html_f(&r->out,
               "<input id=\"f-approve-amount\" name=\"amount\" inputmode=\"numeric\" "
               "value=\"%s\"",
               ce && ce->amount ? ce->amount : amount);
        field_aria(r, ce, "approve", "amount", "f-approve-amount");
        /* granting less than requested states its reasons (förvaltningslagen 32 §) */
        html_f(&r->out,
               "></p>\n<p><label for=\"f-approve-reasons\">%s</label>\n"
               "<span class=\"hint\" id=\"f-approve-reasons-hint\">%s</span>\n",
               T(r, "Skäl för beslutet"),
               T(r, "Krävs om mindre än det rekvirerade beloppet beviljas. Skälen står i "
                    "beslutet."));
        field_err(r, ce, "approve", "reasons", "f-approve-reasons");
        html_f(&r->out,
               "<textarea id=\"f-approve-reasons\" name=\"reasons\" rows=\"3\" "
               "maxlength=\"%d\"",
               REQ_MESSAGE_MAX_CHARS);
        field_aria(r, ce, "approve", "reasons", "f-approve-reasons");
        html_f(&r->out, ">%s</textarea></p>\n<p><button type=\"submit\">%s</button></p>\n</form>\n",
               ce && ce->reasons ? ce->reasons : "", T(r, "Bevilja"));
        /* return */
        html_f(&r->out,
               "<form method=\"post\" action=\"/rekvisitioner/%s\" class=\"form\" "
               "aria-labelledby=\"h-return\">\n<h3 id=\"h-return\">%s</h3>",
               v.row.case_no, T(r, "Returnera för komplettering"));
        page_csrf(r);
        html_f(&r->out,
               "<input type=\"hidden\" name=\"revision\" value=\"%lld\">"
               "<input type=\"hidden\" name=\"action\" value=\"return\">\n"
               "<p><label for=\"f-return-message\">%s</label>\n",
               v.row.revision, T(r, "Meddelande till mottagaren"));
        field_err(r, ce, "return", "message", "f-return-message");
        html_f(&r->out,
               "<textarea id=\"f-return-message\" name=\"message\" rows=\"3\" "
               "maxlength=\"%d\"",
               REQ_MESSAGE_MAX_CHARS);
        field_aria(r, ce, "return", "message", "f-return-message");
        html_f(&r->out, "></textarea></p>\n<p><button type=\"submit\">%s</button></p>\n</form>\n",
               T(r, "Returnera"));
        /* reject */
        html_f(&r->out,
               "<form method=\"post\" action=\"/rekvisitioner/%s\" class=\"form\" "
               "aria-labelledby=\"h-reject\">\n<h3 id=\"h-reject\">%s</h3>",
               v.row.case_no, T(r, "Avslå"));
        page_csrf(r);
        html_f(&r->out,
               "<input type=\"hidden\" name=\"revision\" value=\"%lld\">"
               "<input type=\"hidden\" name=\"action\" value=\"reject\">\n"
               "<p><label for=\"f-reject-reason\">%s</label>\n",
               v.row.revision, T(r, "Skäl för avslag"));
        field_err(r, ce, "reject", "reason", "f-reject-reason");
        html_f(&r->out,
               "<textarea id=\"f-reject-reason\" name=\"reason\" rows=\"3\" "
               "maxlength=\"%d\"",
               REQ_MESSAGE_MAX_CHARS);
        field_aria(r, ce, "reject", "reason", "f-reject-reason");
        html_f(&r->out, "></textarea></p>\n<p><button type=\"submit\">%s</button></p>\n</form>\n",
               T(r, "Avslå"));
    }
    page_end(r);
    req_view_release(&v);
}

void page_reqadm_case(struct web_req *r)
{
    case_page(r, 200, NULL);
}

void page_reqadm_case_post(struct web_req *r)
{
    const char *case_no = r->segs[0];
    const char *action = form_get(&r->body, "action");
    const char *rev = form_get(&r->body, "revision");
    int64_t based_on = 0;
    struct svc_actor a;
    struct svc_result res;
    struct msg_issues is;
    msg_issues_clear(&is);
    svc_result_init(&res);
    web_actor(r, &a);
    if (!action || !rev || str_parse_i64(rev, &based_on) != ERR_OK) {
        web_error_page(r, 400, "Formuläret kunde inte läsas.");
        return;
    }
    enum err e;
    if (strcmp(action, "approve") == 0) {
        const char *amt = form_get(&r->body, "amount");
        int64_t kr = -1;
        char clean[40];
        size_t n = 0;
        for (const char *p = amt ? amt : ""; *p && n + 1 < sizeof(clean); p++)
            if (*p != ' ')
                clean[n++] = *p;
        clean[n] = '\0';
        if (n && (str_parse_i64(clean, &kr) != ERR_OK || kr < 0 || kr > INT64_MAX / 100)) {
            msg_issue_add(&is, "amount", M_("Skriv beloppet i hela kronor, till exempel 125000."));
            struct case_errs ce = {&is, NULL, "approve", amt, form_get(&r->body, "reasons")};
            case_page(r, 400, &ce);
            return;
        }
        e = req_approve(r->store, &a, r->now, case_no, based_on, n ? kr * 100 : -1,
                        form_get(&r->body, "reasons"), NULL, &res);
    } else if (strcmp(action, "return") == 0) {
        e = req_return(r->store, &a, r->now, case_no, based_on, form_get(&r->body, "message"), NULL,
                       &res);
    } else if (strcmp(action, "reject") == 0) {
        e = req_reject(r->store, &a, r->now, case_no, based_on, form_get(&r->body, "reason"), NULL,
                       &res);
    } else {
        web_error_page(r, 400, "Formuläret kunde inte läsas.");
        return;
    }
    if (e == ERR_OK) {
        char *loc = arena_printf(r->arena, "/rekvisitioner/%s?klart=1", case_no);
        web_redirect(r, loc ? loc : "/programs");
        return;
    }
    if (e == ERR_INVALID || e == ERR_DENIED || e == ERR_CONFLICT) {
        int approving = strcmp(action, "approve") == 0;
        struct case_errs ce = {&res.issues, msg_empty(&res.msg) ? NULL : web_msg(r, &res.msg),
                               action, approving ? form_get(&r->body, "amount") : NULL,
                               approving ? form_get(&r->body, "reasons") : NULL};
        if (res.issues.n == 0)
            ce.is = NULL;
        if (ce.is && !msg_issues_find(ce.is, "amount") && !msg_issues_find(ce.is, "message") &&
            !msg_issues_find(ce.is, "reason") && !msg_issues_find(ce.is, "reasons") &&
            !msg_empty(&res.msg)) {
            ce.is = NULL;
        }
        case_page(r, reqweb_status(e), &ce);
        return;
    }
    reqweb_fail(r, e, &res);
}

void page_reqadm_plan(struct web_req *r)
{
    int64_t ver = 0;
    if (str_parse_i64(r->segs[1], &ver) != ERR_OK || ver < 0 || ver > 1000000) {
        web_error_page(r, 404, "Sidan finns inte.");
        return;
    }
    struct svc_actor a;
    struct svc_result res;
    char ctype[80];
    web_actor(r, &a);
    buf_reset(&r->data);
    r->data.max = REQ_PLAN_MAX_BYTES + 1;
    enum err e = req_plan_fetch(r->store, &a, r->now, r->segs[0], (int)ver, ctype, sizeof(ctype),
                                &r->data, &res);
    if (e != ERR_OK) {
        buf_reset(&r->data);
        reqweb_fail(r, e, &res);
        return;
    }
    r->has_data = 1;
    r->ctype = strcmp(ctype, "application/pdf") == 0 ? "application/pdf" : REQ_XLSX_TYPE;
    char *cd =
        arena_printf(r->arena, "attachment; filename=\"produktionsplan-%s-v%d.%s\"", r->segs[0],
                     (int)ver, strcmp(ctype, "application/pdf") == 0 ? "pdf" : "xlsx");
    if (cd)
        web_add_header(r, "Content-Disposition", cd);
}

/* ---- decisions of a program ---- */

void page_reqadm_decisions(struct web_req *r)
{
    const char *program = r->segs[0];
    struct req_decision_row *d = NULL;
    size_t n = 0;
    struct svc_actor a;
    struct svc_result res;
    web_actor(r, &a);
    enum err e = req_decisions_of_program(r->store, &a, r->now, program, &d, &n, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    page_begin(r, T(r, "Beslut"));
    html_f(&r->out, "<h1>%s <span class=\"sub\">%s</span></h1>\n", T(r, "Beslut"), program);
    sub_nav(r, program);
    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-d\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-d\">%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
           "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Beslut i programmet"), T(r, "Beslut"), T(r, "Ärende"), T(r, "Mottagare"),
           T(r, "Slag"), T(r, "Datum"), T(r, "Belopp"), T(r, "Hämta"));
    for (size_t i = 0; i < n; i++) {
        char amt[64];
        reqweb_kr(r, amt, sizeof(amt), d[i].amount_ore);
        html_f(&r->out,
               "<tr><th scope=\"row\">%s</th><td><a href=\"/rekvisitioner/%s\">%s</a></td>"
               "<td>%s</td><td>%s</td><td>%s</td><td class=\"num\">%s</td><td><a "
               "href=\"/beslut/%s\" download>PDF</a></td></tr>\n",
               d[i].number, d[i].case_no, d[i].case_no, d[i].recipient,
               reqweb_decision_kind(r, d[i].kind), d[i].decided_on, amt, d[i].number);
    }
    if (!n)
        html_f(&r->out, "<tr><td colspan=\"7\">%s</td></tr>\n", T(r, "Inga beslut ännu."));
    html_lit(&r->out, "</tbody></table></div>\n");
    page_end(r);
    free(d);
}

/* ---- the dashboard ---- */

/* A horizontal bar chart drawn as inline SVG: per region, the share of
 * its allocation requested and decided. Every text goes through the
 * escaping writer; the table below holds the same numbers. */
static void chart(struct web_req *r, const struct req_dash_lan *g, size_t n)
{
    const int row = 26, left = 190, width = 420, top = 30;
    int h = top + (int)n * row + 10;
    html_f(&r->out,
           "<figure class=\"chart\"><svg role=\"img\" aria-labelledby=\"chart-t chart-d\" "
           "viewBox=\"0 0 %d %d\" width=\"100%%\" preserveAspectRatio=\"xMinYMin meet\">"
           "<title id=\"chart-t\">%s</title><desc id=\"chart-d\">%s</desc>\n",
           left + width + 80, h, T(r, "Rekvirerat och beslutat per region"),
           T(r, "Per län: andel av det fördelade beloppet som rekvirerats (ljus stapel) och "
                "andel av det som kan beviljas, tilläggsbelopp medräknade, som beviljats (mörk "
                "stapel). Samma siffror står i tabellen nedan."));
    html_f(&r->out,
           "<rect x=\"%d\" y=\"4\" width=\"12\" height=\"12\" class=\"bar-req\"/>"
           "<text x=\"%d\" y=\"15\">%s</text><rect x=\"%d\" y=\"4\" width=\"12\" height=\"12\" "
           "class=\"bar-app\"/><text x=\"%d\" y=\"15\">%s</text>\n",
           left, left + 16, T(r, "Rekvirerat"), left + 140, left + 156, T(r, "Beviljat"));
    for (size_t i = 0; i < n; i++) {
        int y = top + (int)i * row;
        /* the one definition (core/reqdash): each share of a whole that
         * holds it, 0-100 % */
        int pct = dash_pct_granted(&g[i].sum);
        int wreq = dash_pct_requested(&g[i].sum) * width / 100;
        int wapp = pct * width / 100;
        html_f(&r->out,
               "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
               "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" class=\"bar-bg\"/>"
               "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" class=\"bar-req\"/>"
               "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"10\" class=\"bar-app\"/>"
               "<text x=\"%d\" y=\"%d\">%d %%</text>\n",
               left - 8, y + 14, g[i].name, left, y, width, left, y, wreq, left, y + 4, wapp,
               left + width + 6, y + 14, pct);
    }
    html_lit(&r->out, "</svg></figure>\n");
}

void page_reqadm_dashboard(struct web_req *r)
{
    const char *program = r->segs[0];
    struct svc_actor a;
    struct req_dashboard db;
    struct svc_result res;
    web_actor(r, &a);
    memset(&db, 0, sizeof(db));
    enum err e = req_dashboard_get(r->store, &a, r->now, program, &db, &res);
    if (e != ERR_OK) {
        req_dashboard_release(&db);
        reqweb_fail(r, e, &res);
        return;
    }
    char a1[64], a2[64], a3[64], a4[64];
    page_begin(r, T(r, "Översikt över rekvisitionerna"));
    html_f(&r->out, "<h1>%s <span class=\"sub\">%s</span></h1>\n",
           T(r, "Översikt över rekvisitionerna"), program);
    sub_nav(r, program);
    html_f(&r->out,
           "<p class=\"downloads\"><a href=\"/programs/%s/rekvisitionsoversikt.xlsx\" "
           "download>%s</a></p>\n",
           program, T(r, "Ladda ner som Excel (XLSX)"));
    reqweb_kr(r, a1, sizeof(a1), db.allocated_ore);
    reqweb_kr(r, a2, sizeof(a2), db.requested_ore);
    reqweb_kr(r, a3, sizeof(a3), db.approved_ore);
    reqweb_kr(r, a4, sizeof(a4), db.supplementary_ore);
    html_lit(&r->out, "<dl class=\"facts\">\n");
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Fördelat"), a1);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Rekvirerat"), a2);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Beviljat"), a3);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Omfördelat"), a4);
    for (int s = 0; s < REQ_STATE_COUNT; s++)
        html_f(&r->out, "<dt>%s</dt><dd>%lld</dd>\n", reqweb_state(r, (enum req_state)s),
               db.counts[s]);
    html_lit(&r->out, "</dl>\n");

    struct req_dash_lan *g = arena_alloc(r->arena, REQ_DASH_LAN_MAX * sizeof(*g));
    size_t ng = 0;
    if (!g || req_dashboard_by_lan(r->store, &a, r->now, &db, g, &ng, &res) != ERR_OK)
        ng = 0;
    html_f(&r->out, "<h2>%s</h2>\n", T(r, "Per län"));
    chart(r, g, ng);

    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-b\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-b\">%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
           "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
           "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Per block"), T(r, "Block"), T(r, "Fördelat"), T(r, "Rekvirerat"), T(r, "Beviljat"),
           T(r, "Omfördelat"), T(r, "Kvar"));
    for (size_t i = 0; i < db.nblocks; i++) {
        const struct req_dash_block *b = &db.blocks[i];
        char a5[64];
        reqweb_kr(r, a1, sizeof(a1), b->allocated_ore);
        reqweb_kr(r, a2, sizeof(a2), b->requested_ore);
        reqweb_kr(r, a3, sizeof(a3), b->approved_ore);
        reqweb_kr(r, a4, sizeof(a4), b->redistributed_ore);
        reqweb_kr(r, a5, sizeof(a5), b->remaining_ore);
        html_f(&r->out,
               "<tr><th scope=\"row\">%s: %s</th><td class=\"num\">%s</td><td class=\"num\">%s"
               "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
               "</tr>\n",
               b->id, web_program_text(r, r->segs[0], b->id, b->title), a1, a2, a3, a4, a5);
    }
    html_lit(&r->out, "</tbody></table></div>\n");

    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-g\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-g\">%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
           "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
           "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Per län (kommuner och region tillsammans)"), T(r, "Län"), T(r, "Fördelat"),
           T(r, "Rekvirerat"), T(r, "Beviljat, med tillägg"), T(r, "Kvar"), T(r, "Andel beviljad"));
    for (size_t i = 0; i < ng; i++) {
        char a5[64];
        reqweb_kr(r, a1, sizeof(a1), g[i].sum.allocated_ore);
        reqweb_kr(r, a2, sizeof(a2), g[i].sum.requested_ore);
        reqweb_kr(r, a3, sizeof(a3), dash_granted(&g[i].sum));
        reqweb_kr(r, a5, sizeof(a5), dash_left(&g[i].sum));
        html_f(&r->out,
               "<tr><th scope=\"row\">%s</th><td class=\"num\">%s</td><td class=\"num\">%s</td>"
               "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%d %%</td>"
               "</tr>\n",
               g[i].name, a1, a2, a3, a5, dash_pct_granted(&g[i].sum));
    }
    html_lit(&r->out, "</tbody></table></div>\n");

    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-r\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-r\">%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">"
           "%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
           "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Per mottagare"), T(r, "Kod"), T(r, "Mottagare"), T(r, "Status"), T(r, "Fördelat"),
           T(r, "Rekvirerat"), T(r, "Beviljat"), T(r, "Omfördelat"));
    for (size_t i = 0; i < db.nlines; i++) {
        const struct req_dash_line *l = &db.lines[i];
        reqweb_kr(r, a1, sizeof(a1), l->allocated_ore);
        reqweb_kr(r, a2, sizeof(a2), l->requested_ore);
        reqweb_kr(r, a3, sizeof(a3), l->approved_ore);
        reqweb_kr(r, a4, sizeof(a4), l->supplementary_ore);
        if (l->has_req)
            html_f(&r->out,
                   "<tr><td>%s</td><th scope=\"row\"><a href=\"/rekvisitioner/%s\">%s</a></th>"
                   "<td>%s</td>",
                   l->code, l->case_no, l->name, reqweb_state(r, l->state));
        else
            html_f(&r->out, "<tr><td>%s</td><th scope=\"row\">%s</th><td>–</td>", l->code, l->name);
        html_f(&r->out,
               "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
               "<td class=\"num\">%s</td></tr>\n",
               a1, a2, a3, a4);
    }
    html_lit(&r->out, "</tbody></table></div>\n");
    page_end(r);
    req_dashboard_release(&db);
}

void page_reqadm_dashboard_xlsx(struct web_req *r)
{
    const char *program = r->segs[0];
    struct svc_actor a;
    struct req_dashboard db;
    struct svc_result res;
    web_actor(r, &a);
    memset(&db, 0, sizeof(db));
    enum err e = req_dashboard_get(r->store, &a, r->now, program, &db, &res);
    if (e != ERR_OK) {
        req_dashboard_release(&db);
        reqweb_fail(r, e, &res);
        return;
    }
    static const char *const bh[] = {"Block",           "Benämning",     "Fördelat (kr)",
                                     "Rekvirerat (kr)", "Beviljat (kr)", "Omfördelat (kr)",
                                     "Kvar (kr)"};
    static const char *const lh[] = {"Kod",           "Mottagare",      "Status",
                                     "Ärende",        "Fördelat (kr)",  "Rekvirerat (kr)",
                                     "Beviljat (kr)", "Omfördelat (kr)"};
    struct xlsx_cell *bc = calloc(db.nblocks ? db.nblocks * 7 : 1, sizeof(*bc));
    struct xlsx_cell *lc = calloc(db.nlines ? db.nlines * 8 : 1, sizeof(*lc));
    e = bc && lc ? ERR_OK : ERR_NOMEM;
    if (!e) {
        for (size_t i = 0; i < db.nblocks; i++) {
            struct xlsx_cell *c = &bc[i * 7];
            const struct req_dash_block *b = &db.blocks[i];
            c[0] = (struct xlsx_cell){XLSX_STR, b->id, 0, 0};
            c[1] = (struct xlsx_cell){XLSX_STR, b->title, 0, 0};
            c[2] = (struct xlsx_cell){XLSX_INT, NULL, b->allocated_ore / 100, 0};
            c[3] = (struct xlsx_cell){XLSX_INT, NULL, b->requested_ore / 100, 0};
            c[4] = (struct xlsx_cell){XLSX_INT, NULL, b->approved_ore / 100, 0};
            c[5] = (struct xlsx_cell){XLSX_INT, NULL, b->redistributed_ore / 100, 0};
            c[6] = (struct xlsx_cell){XLSX_INT, NULL, b->remaining_ore / 100, 0};
        }
        for (size_t i = 0; i < db.nlines; i++) {
            struct xlsx_cell *c = &lc[i * 8];
            const struct req_dash_line *l = &db.lines[i];
            c[0] = (struct xlsx_cell){XLSX_STR, l->code, 0, 0};
            c[1] = (struct xlsx_cell){XLSX_STR, l->name, 0, 0};
            c[2] =
                (struct xlsx_cell){XLSX_STR, l->has_req ? req_state_label_sv(l->state) : "", 0, 0};
            c[3] = (struct xlsx_cell){XLSX_STR, l->has_req ? l->case_no : "", 0, 0};
            c[4] = (struct xlsx_cell){XLSX_INT, NULL, l->allocated_ore / 100, 0};
            c[5] = (struct xlsx_cell){XLSX_INT, NULL, l->requested_ore / 100, 0};
            c[6] = (struct xlsx_cell){XLSX_INT, NULL, l->approved_ore / 100, 0};
            c[7] = (struct xlsx_cell){XLSX_INT, NULL, l->supplementary_ore / 100, 0};
        }
        struct xlsx_table t[2] = {
            {"Block", "Rekvisitioner per block", 7, bh, db.nblocks, bc, 1},
            {"Mottagare", "Rekvisitioner per mottagare", 8, lh, db.nlines, lc, 1},
        };
        buf_reset(&r->data);
        e = xlsx_write_tables_buf(t, 2, NULL, &r->data);
    }
    free(bc);
    free(lc);
    req_dashboard_release(&db);
    if (e) {
        web_error_page(r, 500, "Filen kunde inte skapas. Försök igen om en stund.");
        return;
    }
    r->ctype = REQ_XLSX_TYPE;
    r->has_data = 1;
    char *cd = arena_printf(r->arena, "attachment; filename=\"rekvisitioner-%s.xlsx\"", program);
    if (cd)
        web_add_header(r, "Content-Disposition", cd);
}

/* ---- redistribution ---- */

static void redist_page(struct web_req *r, int status, const struct req_redist_report *rep,
                        const struct req_redist_preview *pre, const char *msg, int msg_error)
{
    const char *program = r->segs[0];
    struct svc_actor a;
    struct req_dashboard db;
    struct svc_result res;
    web_actor(r, &a);
    memset(&db, 0, sizeof(db));
    enum err e = req_dashboard_get(r->store, &a, r->now, program, &db, &res);
    if (e != ERR_OK) {
        req_dashboard_release(&db);
        reqweb_fail(r, e, &res);
        return;
    }
    r->status = status;
    buf_reset(&r->out.b);
    page_begin(r, T(r, "Omfördelning"));
    html_f(&r->out, "<h1>%s <span class=\"sub\">%s</span></h1>\n", T(r, "Omfördelning"), program);
    sub_nav(r, program);
    if (msg)
        html_f(&r->out, "<p class=\"%s\" role=\"%s\">%s</p>\n", msg_error ? "error" : "ok",
               msg_error ? "alert" : "status", msg);
    html_f(&r->out, "<p>%s</p>\n",
           T(r, "Det som inte har beviljats i ett block fördelas efter blockets nyckel mellan "
                "de beviljade mottagare som anmält att de vill delta."));
    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-rd\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-rd\">%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
           "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
           "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Per block: vad som skulle omfördelas eller har omfördelats"), T(r, "Block"),
           T(r, "Fördelat"), T(r, "Beviljat"), T(r, "Omfördelat"), T(r, "Kvar att omfördela"),
           T(r, "Omfördelat tidigare"));
    for (size_t i = 0; i < db.nblocks; i++) {
        const struct req_dash_block *b = &db.blocks[i];
        char a1[64], a2[64], a3[64], a4[64];
        int64_t left = b->left_ore;
        reqweb_kr(r, a1, sizeof(a1), b->allocated_ore);
        reqweb_kr(r, a2, sizeof(a2), b->approved_ore);
        reqweb_kr(r, a3, sizeof(a3), b->redistributed_ore);
        reqweb_kr(r, a4, sizeof(a4), left);
        html_f(&r->out,
               "<tr><th scope=\"row\">%s: %s</th><td class=\"num\">%s</td><td class=\"num\">%s"
               "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>%s</td></tr>\n",
               b->id, web_program_text(r, r->segs[0], b->id, b->title), a1, a2, a3, a4,
               b->redistributed ? T(r, "Ja") : T(r, "Nej"));
    }
    html_lit(&r->out, "</tbody></table></div>\n");
    if (rep && !pre) {
        html_f(&r->out, "<h2>%s</h2>\n<ul>\n", T(r, "Resultat av körningen"));
        for (size_t i = 0; i < rep->nblocks; i++) {
            char a1[64];
            reqweb_kr(r, a1, sizeof(a1), rep->blocks[i].redistributed_ore);
            html_f(&r->out, "<li>%s %s: %s, %zu %s%s</li>\n", T(r, "Block"), rep->blocks[i].block,
                   a1, rep->blocks[i].recipients, T(r, "tilläggsbeslut"),
                   rep->blocks[i].done_before ? T(r, " (gjort tidigare, oförändrat)") : "");
        }
        html_lit(&r->out, "</ul>\n");
    }
    if (pre && rep) {
        /* the preview: every supplement and the total before anything is
         * written; a second, explicit confirmation writes it */
        char tot[64];
        reqweb_kr(r, tot, sizeof(tot), pre->total_ore);
        html_f(&r->out,
               "<h2 id=\"pre-h\">%s</h2>\n<div class=\"table-wrap\" role=\"region\" "
               "aria-labelledby=\"pre-h\" tabindex=\"0\"><table>\n<thead><tr><th scope=\"col\">"
               "%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
               T(r, "Förhandsgranskning: tilläggsbelopp per mottagare"), T(r, "Mottagare"),
               T(r, "Tilläggsbelopp"));
        for (size_t i = 0; i < pre->n; i++) {
            char a1[64];
            reqweb_kr(r, a1, sizeof(a1), pre->lines[i].extra_ore);
            html_f(&r->out, "<tr><th scope=\"row\">%s (%s)</th><td class=\"num\">%s</td></tr>\n",
                   pre->lines[i].name, pre->lines[i].code, a1);
        }
        if (!pre->n)
            html_f(&r->out, "<tr><td colspan=\"2\">%s</td></tr>\n",
                   T(r, "Ingen mottagare deltar: inget fördelas om."));
        html_f(&r->out,
               "</tbody><tfoot><tr><th scope=\"row\">%s</th><td class=\"num\">%s</td>"
               "</tr></tfoot></table></div>\n<ul>\n",
               T(r, "Totalt"), tot);
        for (size_t i = 0; i < rep->nblocks; i++) {
            char a1[64], a2[64];
            reqweb_kr(r, a1, sizeof(a1), rep->blocks[i].unrequisitioned_ore);
            reqweb_kr(r, a2, sizeof(a2), rep->blocks[i].remaining_ore);
            html_f(&r->out, "<li>%s %s: %s %s, %s %s%s</li>\n", T(r, "Block"), rep->blocks[i].block,
                   T(r, "att omfördela"), a1, T(r, "förblir outbetalt"), a2,
                   rep->blocks[i].done_before ? T(r, " (gjort tidigare, oförändrat)") : "");
        }
        html_lit(&r->out, "</ul>\n");
        if (may(r, ACT_REQ_REDISTRIBUTE)) {
            html_f(&r->out,
                   "<form method=\"post\" action=\"/programs/%s/omfordelning\" class=\"form\">",
                   program);
            page_csrf(r);
            html_f(&r->out,
                   "<input type=\"hidden\" name=\"confirm\" value=\"%s\"><p><button "
                   "type=\"submit\">%s</button> "
                   "<a href=\"/programs/%s/omfordelning\">%s</a></p></form>\n",
                   pre->digest, T(r, "Bekräfta omfördelningen"), program, T(r, "Avbryt"));
        }
    } else if (may(r, ACT_REQ_REDISTRIBUTE)) {
        html_f(&r->out,
               "<form method=\"post\" action=\"/programs/%s/omfordelning\" class=\"form\">",
               program);
        page_csrf(r);
        html_f(&r->out, "<p><button type=\"submit\">%s</button></p></form>\n",
               T(r, "Förhandsgranska omfördelningen"));
    }
    page_end(r);
    req_dashboard_release(&db);
}

void page_reqadm_redist(struct web_req *r)
{
    redist_page(r, 200, NULL, NULL, NULL, 0);
}

/* First the preview (nothing written), then, with confirm = the digest of
 * the preview that was shown, the run: the service recomputes the preview
 * under the write lock and, if anything changed in between, writes
 * nothing and the new preview is shown instead (409). */
void page_reqadm_redist_post(struct web_req *r)
{
    struct svc_actor a;
    struct svc_result res;
    struct req_redist_report rep;
    struct req_redist_preview pre;
    web_actor(r, &a);
    memset(&rep, 0, sizeof(rep));
    memset(&pre, 0, sizeof(pre));
    const char *confirm = form_get(&r->body, "confirm");
    enum err e;
    if (confirm && confirm[0]) {
        e = req_redistribute(r->store, &a, r->now, r->segs[0], confirm, &rep, &pre, &res);
        if (e == ERR_CONFLICT && pre.lines) {
            redist_page(r, 409, &rep, &pre, web_msg(r, &res.msg), 1);
            req_redist_preview_release(&pre);
            return;
        }
        req_redist_preview_release(&pre);
        if (e == ERR_OK) {
            redist_page(r, 200, &rep, NULL, T(r, "Omfördelningen är gjord."), 0);
            return;
        }
    } else {
        e = req_redistribute_preview(r->store, &a, r->now, r->segs[0], &rep, &pre, &res);
        if (e == ERR_OK) {
            redist_page(r, 200, &rep, &pre, NULL, 0);
            req_redist_preview_release(&pre);
            return;
        }
    }
    if (e == ERR_DENIED || e == ERR_CONFLICT || e == ERR_INVALID)
        redist_page(r, reqweb_status(e), NULL, NULL, web_msg(r, &res.msg), 1);
    else
        reqweb_fail(r, e, &res);
}
