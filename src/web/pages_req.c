/* pages_req.c - the requisition e-service for a kommun or region: what
 * the organisation may requisition, the requisition form (draft, submit,
 * one more measure row without script, production plan upload), the
 * receipt (kvittens) and the decisions with their PDFs. Every rule is the
 * service's (service/requisition.h); this file only reads the form,
 * calls it and shows what it says, each message next to its field. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/pdfdoc.h"
#include "service/requisition.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/web.h"

#define ROWS_MIN 3 /* empty measure rows offered */

void reqweb_kr(const struct web_req *r, char *out, size_t n, int64_t ore)
{
    char num[48];
    i18n_fmt_int(r->lang, num, sizeof(num), ore / 100);
    snprintf(out, n, r->lang == LANG_EN ? "SEK %s" : "%s\xc2\xa0kr", num);
}

int reqweb_status(enum err e)
{
    switch (e) {
    case ERR_OK:
        return 200;
    case ERR_INVALID:
    case ERR_PARSE:
        return 400;
    case ERR_DENIED:
        return 403;
    case ERR_NOTFOUND:
        return 404;
    case ERR_CONFLICT:
        return 409;
    case ERR_LIMIT:
        return 503;
    default:
        return 500;
    }
}

void reqweb_fail(struct web_req *r, enum err e, const struct svc_result *res)
{
    int st = reqweb_status(e);
    if (res && !msg_empty(&res->msg)) {
        /* the service's sentence, in the reader's language */
        buf_reset(&r->out.b);
        r->status = st;
        page_begin(r, T(r, "Något gick fel"));
        html_f(&r->out, "<h1>%s</h1>\n<p class=\"error\" role=\"alert\">%s</p>\n",
               T(r, "Något gick fel"), web_msg(r, &res->msg));
        html_f(&r->out, "<p><a href=\"/start\">%s</a></p>\n", T(r, "Till startsidan"));
        page_end(r);
        return;
    }
    web_error_page(r, st,
                   st == 404   ? "Sidan finns inte."
                   : st == 403 ? "Din roll ger inte tillgång till sidan."
                               : "Tjänsten kunde inte nå databasen. Försök igen om en stund.");
}

void reqweb_pdf(struct web_req *r, struct buf *pdf, const char *name)
{
    r->ctype = "application/pdf";
    r->has_data = 1;
    buf_reset(&r->data);
    if (buf_append(&r->data, pdf->p ? pdf->p : "", pdf->len) != ERR_OK)
        r->data.failed = 1;
    char *cd = arena_printf(r->arena, "attachment; filename=\"%s.pdf\"", name);
    if (cd)
        web_add_header(r, "Content-Disposition", cd);
}

/* "Tid kvar att rekvirera": where today stands in the window, as the one
 * civil clock says (util/civil.h). */
void reqweb_window(const struct web_req *r, struct date opens, struct date closes, char *out,
                   size_t n)
{
    struct civil_window w = civil_window_at(opens, closes, r->today);
    char d[48];
    switch (w.state) {
    case CIVIL_WINDOW_UNSET:
        snprintf(out, n, "%s", T(r, "Inget rekvisitionsfönster angivet"));
        return;
    case CIVIL_WINDOW_NOT_OPEN:
        i18n_fmt_date(r->lang, d, sizeof(d), opens);
        snprintf(out, n, "%s %s", T(r, "Öppnar"), d);
        return;
    case CIVIL_WINDOW_CLOSED:
        i18n_fmt_date(r->lang, d, sizeof(d), closes);
        snprintf(out, n, "%s (%s)", T(r, "Stängd"), d);
        return;
    case CIVIL_WINDOW_LAST_DAY:
        snprintf(out, n, "%s", T(r, "Sista dagen i dag"));
        return;
    case CIVIL_WINDOW_OPEN:
        i18n_fmt_date(r->lang, d, sizeof(d), closes);
        snprintf(out, n, "%lld %s (%s %s)", (long long)w.days_left, T(r, "dagar kvar"),
                 T(r, "till och med"), d);
        return;
    }
}

const char *reqweb_state(const struct web_req *r, enum req_state s)
{
    return T(r, req_state_label_sv(s));
}

/* The organisation in the path must be the one the session acts for. */
static int own_org(struct web_req *r)
{
    if (strcmp(r->segs[0], r->sess.row.org) == 0)
        return 1;
    web_error_page(r, 403, "Du företräder inte den organisationen.");
    return 0;
}

/* ---- what the organisation may requisition, and its decisions ---- */

void reqweb_org_programs(struct web_req *r)
{
    struct svc_actor a;
    struct req_overview ov = {NULL, 0};
    struct svc_result res;
    web_actor(r, &a);
    html_f(&r->out, "<h2>%s</h2>\n", T(r, "Det här kan organisationen rekvirera"));
    if (req_overview_get(r->store, &a, r->now, &ov, &res) != ERR_OK || !ov.n) {
        html_f(&r->out, "<p>%s</p>\n", T(r, "Organisationen är inte mottagare i något program."));
        req_overview_release(&ov);
        return;
    }
    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-rek\" "
           "tabindex=\"0\"><table>\n<caption id=\"cap-rek\">%s</caption>\n"
           "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" "
           "class=\"num\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Högsta belopp enligt fördelningsnyckeln"), T(r, "Program"), T(r, "Högst"),
           T(r, "Tid kvar att rekvirera"));
    for (size_t i = 0; i < ov.n; i++) {
        const struct req_overview_item *it = &ov.items[i];
        char amt[64], win[160];
        reqweb_kr(r, amt, sizeof(amt), it->max_ore);
        reqweb_window(r, it->opens, it->closes, win, sizeof(win));
        html_f(&r->out,
               "<tr><td><a href=\"/programs/%s\">%s</a></td><td class=\"num\">%s</td>"
               "<td>%s</td></tr>\n",
               it->program, web_program_text(r, it->program, NULL, it->title), amt, win);
    }
    html_lit(&r->out, "</tbody></table></div>\n");
    req_overview_release(&ov);
}

void page_req_overview(struct web_req *r)
{
    if (!own_org(r))
        return;
    const char *org = r->segs[0];
    struct svc_actor a;
    struct req_overview ov = {NULL, 0};
    struct svc_result res;
    web_actor(r, &a);
    enum err e = req_overview_get(r->store, &a, r->now, &ov, &res);
    if (e != ERR_OK) {
        req_overview_release(&ov);
        reqweb_fail(r, e, &res);
        return;
    }
    page_begin(r, T(r, "Rekvisitioner"));
    html_f(&r->out, "<h1>%s</h1>\n", T(r, "Rekvisitioner"));
    if (!ov.n)
        html_f(&r->out, "<p>%s</p>\n", T(r, "Organisationen är inte mottagare i något program."));
    else {
        html_f(&r->out,
               "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-ov\" "
               "tabindex=\"0\"><table>\n<caption id=\"cap-ov\">%s</caption>\n<thead><tr>"
               "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
               "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
               "</tr></thead>\n<tbody>\n",
               T(r, "Program som organisationen kan rekvirera från"), T(r, "Program"),
               T(r, "Högst"), T(r, "Tid kvar att rekvirera"), T(r, "Ärende"), T(r, "Status"));
        for (size_t i = 0; i < ov.n; i++) {
            const struct req_overview_item *it = &ov.items[i];
            char amt[64], win[160];
            reqweb_kr(r, amt, sizeof(amt), it->max_ore);
            reqweb_window(r, it->opens, it->closes, win, sizeof(win));
            html_f(&r->out,
                   "<tr><th scope=\"row\"><a href=\"/org/%s/rekvisition/%s\">%s</a>"
                   "<span class=\"hint\">%s %s</span></th><td class=\"num\">%s</td>"
                   "<td>%s</td><td>%s</td><td>%s</td></tr>\n",
                   org, it->program, web_program_text(r, it->program, NULL, it->title),
                   T(r, "Diarienummer"), it->diarienummer, amt, win,
                   it->has_req ? it->case_no : "–",
                   it->has_req ? reqweb_state(r, it->state) : T(r, "Inte påbörjad"));
        }
        html_lit(&r->out, "</tbody></table></div>\n");
    }

    html_f(&r->out, "<h2 id=\"beslut\">%s</h2>\n", T(r, "Beslut"));
    int any = 0;
    for (size_t i = 0; i < ov.n; i++) {
        if (!ov.items[i].has_req)
            continue;
        struct req_decision_row *d = NULL;
        size_t nd = 0;
        if (req_decisions_list(r->store, &a, r->now, ov.items[i].case_no, &d, &nd, &res) !=
            ERR_OK) {
            free(d);
            continue;
        }
        for (size_t k = 0; k < nd; k++) {
            char amt[64], on[48] = "";
            struct date dd;
            if (!any)
                html_f(&r->out,
                       "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-bes\" "
                       "tabindex=\"0\"><table>\n<caption id=\"cap-bes\">%s</caption>\n<thead><tr>"
                       "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                       "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
                       "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                       T(r, "Organisationens beslut"), T(r, "Beslut"), T(r, "Program"),
                       T(r, "Slag"), T(r, "Datum"), T(r, "Belopp"), T(r, "Hämta"));
            any = 1;
            reqweb_kr(r, amt, sizeof(amt), d[k].amount_ore);
            if (date_parse(d[k].decided_on, &dd) == ERR_OK)
                i18n_fmt_date(r->lang, on, sizeof(on), dd);
            html_f(&r->out,
                   "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td>%s</td>"
                   "<td class=\"num\">%s</td><td><a href=\"/org/%s/beslut/%s\" download>%s %s "
                   "(PDF)</a></td></tr>\n",
                   d[k].number, web_program_text(r, ov.items[i].program, NULL, ov.items[i].title),
                   reqweb_decision_kind(r, d[k].kind), on, amt, org, d[k].number, T(r, "Beslut"),
                   d[k].number);
        }
        free(d);
    }
    if (any)
        html_lit(&r->out, "</tbody></table></div>\n");
    else
        html_f(&r->out, "<p>%s</p>\n", T(r, "Inga beslut ännu."));
    page_end(r);
    req_overview_release(&ov);
}

const char *reqweb_decision_kind(const struct web_req *r, const char *kind)
{
    if (strcmp(kind, "supplementary") == 0)
        return T(r, "Tilläggsbeslut efter omfördelning");
    if (strcmp(kind, "rejection") == 0)
        return T(r, "Avslag");
    return T(r, "Beslut om statsbidrag");
}

/* ---- the requisition form ---- */

/* What the form page shows besides the view. */
struct form_state {
    const struct req_form *f; /* values to show */
    const struct msg_issues *is;
    const char *msg; /* a sentence for the top (error or notice) */
    int msg_is_error;
    size_t rows;        /* measure rows to offer */
    const char *idem;   /* idempotency key of this showing */
    long long revision; /* based_on */
    int saved;          /* just saved: show what is left before submitting */
};

/* "measure.2.purpose" -> "f-measure-2-purpose" */
static const char *field_id(struct web_req *r, const char *field)
{
    char *id = arena_printf(r->arena, "f-%s", field);
    if (!id)
        return "f";
    for (char *p = id; *p; p++)
        if (*p == '.')
            *p = '-';
    return id;
}

/* aria attributes and the message of a field (after the control). */
static const struct msg *field_issue(const struct form_state *fs, const char *field)
{
    return fs->is ? msg_issues_find(fs->is, field) : NULL;
}

static void aria(struct web_req *r, const struct form_state *fs, const char *field,
                 const char *hint_id)
{
    const struct msg *m = field_issue(fs, field);
    const char *id = field_id(r, field);
    if (m && hint_id)
        html_f(&r->out, " aria-invalid=\"true\" aria-describedby=\"%s-err %s\"", id, hint_id);
    else if (m)
        html_f(&r->out, " aria-invalid=\"true\" aria-describedby=\"%s-err\"", id);
    else if (hint_id)
        html_f(&r->out, " aria-describedby=\"%s\"", hint_id);
}

static void issue_text(struct web_req *r, const struct form_state *fs, const char *field)
{
    const struct msg *m = field_issue(fs, field);
    if (m)
        html_f(&r->out, "<span id=\"%s-err\" class=\"field-error\">%s</span>", field_id(r, field),
               web_msg(r, m));
}

static void text_input(struct web_req *r, const struct form_state *fs, const char *field,
                       const char *label, const char *type, const char *autocomplete,
                       const char *value)
{
    const char *id = field_id(r, field);
    html_f(&r->out, "<p><label for=\"%s\">%s</label>\n", id, label);
    issue_text(r, fs, field);
    html_f(&r->out, "<input id=\"%s\" name=\"%s\" type=\"%s\" autocomplete=\"%s\" value=\"%s\"", id,
           field, type, autocomplete, value);
    aria(r, fs, field, NULL);
    html_lit(&r->out, "></p>\n");
}

static void kr_value(char *out, size_t n, int64_t ore)
{
    if (ore < 0)
        out[0] = '\0';
    else
        snprintf(out, n, "%lld", (long long)(ore / 100));
}

static void measure_row(struct web_req *r, const struct form_state *fs, const struct program *p,
                        size_t i)
{
    const struct req_measure *m = i < fs->f->nmeasures ? &fs->f->measures[i] : NULL;
    char fp[48], fd[48], fpl[48], planned[32] = "";
    unsigned k1 = (unsigned)(i + 1) % 100;
    snprintf(fp, sizeof(fp), "measure.%u.purpose", k1);
    snprintf(fd, sizeof(fd), "measure.%u.description", k1);
    snprintf(fpl, sizeof(fpl), "measure.%u.planned", k1);
    if (m && m->planned_ore > 0)
        kr_value(planned, sizeof(planned), m->planned_ore);
    html_f(&r->out, "<fieldset class=\"measure\"><legend>%s %zu</legend>\n", T(r, "Insats"), i + 1);
    html_f(&r->out, "<p><label for=\"%s\">%s</label>\n", field_id(r, fp), T(r, "Ändamål"));
    issue_text(r, fs, fp);
    html_f(&r->out, "<select id=\"%s\" name=\"%s\"", field_id(r, fp), fp);
    aria(r, fs, fp, NULL);
    html_f(&r->out, ">\n<option value=\"\">%s</option>\n", T(r, "Välj ändamål"));
    for (size_t k = 0; k < p->npurposes; k++) {
        int sel = m && strcmp(m->purpose, p->purposes[k].id) == 0;
        html_f(&r->out, "<option value=\"%s\"%s>%s</option>\n", p->purposes[k].id,
               sel ? " selected" : "",
               program_text(r->lang, p->purposes[k].title, p->purposes[k].title_en));
    }
    html_lit(&r->out, "</select></p>\n");
    html_f(&r->out, "<p><label for=\"%s\">%s</label>\n", field_id(r, fd),
           T(r, "Beskrivning av insatsen"));
    issue_text(r, fs, fd);
    html_f(&r->out, "<textarea id=\"%s\" name=\"%s\" rows=\"3\" maxlength=\"%d\"", field_id(r, fd),
           fd, REQ_DESC_MAX_CHARS);
    aria(r, fs, fd, NULL);
    html_f(&r->out, ">%s</textarea></p>\n", m && m->description ? m->description : "");
    html_f(&r->out, "<p><label for=\"%s\">%s</label>\n", field_id(r, fpl),
           T(r, "Planerat belopp (kronor)"));
    issue_text(r, fs, fpl);
    html_f(&r->out, "<input id=\"%s\" name=\"%s\" inputmode=\"numeric\" value=\"%s\"",
           field_id(r, fpl), fpl, planned);
    aria(r, fs, fpl, NULL);
    html_lit(&r->out, "></p>\n</fieldset>\n");
}

/* Links from the summary at the top to each field with a message. */
static void error_summary(struct web_req *r, const struct msg_issues *is)
{
    html_f(&r->out,
           "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"err-sum\" "
           "tabindex=\"-1\">\n<h2 id=\"err-sum\">%s</h2>\n<ul>\n",
           T(r, "Formuläret behöver rättas"));
    for (size_t i = 0; i < is->n; i++) {
        const char *f = is->v[i].field;
        /* "measures" and "plan" have no single control of their own */
        const char *target = strcmp(f, "measures") == 0 ? "f-measure-1-purpose" : field_id(r, f);
        html_f(&r->out, "<li><a href=\"#%s\">%s</a></li>\n", target, web_msg(r, &is->v[i].msg));
    }
    html_lit(&r->out, "</ul>\n</div>\n");
}

static void facts(struct web_req *r, const struct req_view *v)
{
    const struct program *p = &v->pv.prog;
    char amt[64], win[160];
    html_lit(&r->out, "<dl class=\"facts\">\n");
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Diarienummer"), p->diarienummer);
    html_f(&r->out, "<dt>%s</dt><dd>%s %s</dd>\n", T(r, "Mottagare"), v->form.recipient,
           v->recipient_name);
    reqweb_kr(r, amt, sizeof(amt), v->max_ore);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Högsta belopp att rekvirera"), amt);
    reqweb_window(r, p->requisition_opens, p->requisition_closes, win, sizeof(win));
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Tid kvar att rekvirera"), win);
    if (v->exists) {
        html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Ärendenummer"), v->row.case_no);
        html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Status"), reqweb_state(r, v->row.state));
        if (v->row.version > 0)
            html_f(&r->out, "<dt>%s</dt><dd>%d</dd>\n", T(r, "Senast inskickade version"),
                   v->row.version);
    } else {
        html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Status"), T(r, "Inte påbörjad"));
    }
    html_lit(&r->out, "</dl>\n");
}

static void conditions(struct web_req *r, const struct program *p)
{
    if (p->npurposes) {
        html_f(&r->out, "<h2>%s</h2>\n<ul>\n", T(r, "Ändamål att välja insatser under"));
        for (size_t i = 0; i < p->npurposes; i++)
            html_f(&r->out, "<li>%s</li>\n",
                   program_text(r->lang, p->purposes[i].title, p->purposes[i].title_en));
        html_lit(&r->out, "</ul>\n");
    }
    char cond[1024];
    pdfdoc_conditions(cond, sizeof(cond), p->reporting_deadline, p->repayment_deadline);
    html_f(&r->out, "<h2>%s</h2>\n", T(r, "Villkor"));
    if (r->lang == LANG_SV) {
        html_f(&r->out, "<p class=\"conditions\">%s</p>\n", cond);
        return;
    }
    /* the conditions bind as the decision letter states them: quoted in
     * Swedish, marked as Swedish */
    html_f(&r->out, "<p>%s</p>\n<p class=\"conditions\" lang=\"sv\">%s</p>\n",
           T(r, "Villkoren gäller så som beslutet anger dem, på svenska:"), cond);
}

static void versions_table(struct web_req *r, const struct req_view *v, const char *base)
{
    if (!v->nversions)
        return;
    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-ver\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-ver\">%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">"
           "%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Inskickade versioner"), T(r, "Version"), T(r, "Mottagen"), T(r, "Av"),
           T(r, "Belopp"), T(r, "Kvittens"));
    for (size_t i = 0; i < v->nversions; i++) {
        const struct req_version_row *x = &v->versions[i];
        char amt[64], at[32] = "";
        int64_t t;
        reqweb_kr(r, amt, sizeof(amt), x->amount_ore);
        if (clock_parse(x->saved_at, &t) == ERR_OK)
            civil_fmt(at, sizeof(at), t);
        html_f(&r->out,
               "<tr><th scope=\"row\">%d</th><td>%s</td><td>%s</td><td class=\"num\">%s</td>"
               "<td><a href=\"%s/%s/%d\">%s %d</a></td></tr>\n",
               x->version, at, x->saved_by, amt, base, v->row.case_no, x->version,
               T(r, "Kvittens för version"), x->version);
    }
    html_lit(&r->out, "</tbody></table></div>\n");
}

static void form_page(struct web_req *r, int status, const struct req_view *v,
                      const struct form_state *fs)
{
    const struct program *p = &v->pv.prog;
    const char *org = r->segs[0];
    r->status = status;
    buf_reset(&r->out.b);
    const char *ptitle = program_text(r->lang, p->title, p->title_en);
    char *title = arena_printf(r->arena, "%s: %s", T(r, "Rekvisition"), ptitle);
    page_begin(r, title ? title : ptitle);
    html_f(&r->out, "<h1>%s: %s</h1>\n", T(r, "Rekvisition"), ptitle);
    if (fs->is && fs->is->n)
        error_summary(r, fs->is);
    if (fs->msg)
        html_f(&r->out, "<p class=\"%s\" role=\"%s\">%s</p>\n", fs->msg_is_error ? "error" : "ok",
               fs->msg_is_error ? "alert" : "status", fs->msg);
    if (v->exists && v->row.state == REQ_RETURNED && v->row.message[0])
        html_f(&r->out, "<div class=\"notice\" role=\"note\"><h2>%s</h2>\n<p>%s</p></div>\n",
               T(r, "Handläggaren har returnerat rekvisitionen för komplettering"), v->row.message);
    if (v->exists && v->row.state == REQ_REJECTED && v->row.message[0])
        html_f(&r->out, "<div class=\"notice\" role=\"note\"><h2>%s</h2>\n<p>%s</p></div>\n",
               T(r, "Rekvisitionen har avslagits"), v->row.message);
    if (!v->window_open && !msg_empty(&v->window_msg))
        html_f(&r->out, "<p class=\"notice\" role=\"status\">%s</p>\n", web_msg(r, &v->window_msg));
    const char *standin = programs_standin_note(&v->pv); /* the amounts on stand-in data */
    if (standin)
        html_f(&r->out, "<p class=\"notice\" role=\"note\">%s</p>\n", T(r, standin));
    if (!msg_empty(&v->duty_msg))
        html_f(&r->out, "<p class=\"notice\" role=\"status\">%s</p>\n", web_msg(r, &v->duty_msg));
    facts(r, v);
    if (fs->saved && fs->is == NULL) {
        struct msg_issues left;
        req_validate(&v->form, p, v->max_ore, 1, &left);
        if (left.n) {
            html_f(&r->out, "<h2>%s</h2>\n<ul>\n", T(r, "Kvar innan du kan skicka in"));
            for (size_t i = 0; i < left.n; i++)
                html_f(&r->out, "<li>%s</li>\n", web_msg(r, &left.v[i].msg));
            html_lit(&r->out, "</ul>\n");
        }
    }

    if (v->may_save || v->may_submit) {
        const struct req_form *f = fs->f;
        char amount[32];
        kr_value(amount, sizeof(amount), f->amount_ore < 0 ? v->max_ore : f->amount_ore);
        html_f(&r->out, "<h2 id=\"form-h\">%s</h2>\n", T(r, "Fyll i rekvisitionen"));
        html_f(&r->out,
               "<form method=\"post\" action=\"/org/%s/rekvisition/%s\" class=\"form\" "
               "aria-labelledby=\"form-h\" novalidate",
               org, p->id);
        if (p->production_plan)
            html_lit(&r->out, " enctype=\"multipart/form-data\"");
        html_lit(&r->out, ">\n");
        page_csrf(r);
        /* Enter in a text field presses the form's first submit button:
         * make that one save the draft (or show the form again), never
         * "add a measure". Out of sight and out of the tab order. */
        html_f(&r->out,
               "<button type=\"submit\" name=\"action\" value=\"%s\" class=\"enter-default\" "
               "tabindex=\"-1\" aria-hidden=\"true\">%s</button>\n",
               v->may_save ? "save" : "stay", T(r, "Spara utkast"));
        html_f(&r->out,
               "<input type=\"hidden\" name=\"revision\" value=\"%lld\">"
               "<input type=\"hidden\" name=\"idem\" value=\"%s\">"
               "<input type=\"hidden\" name=\"rows\" value=\"%zu\">\n",
               fs->revision, fs->idem, fs->rows);
        html_f(&r->out, "<p><label for=\"f-amount\">%s</label>\n", T(r, "Belopp (kronor)"));
        html_f(&r->out, "<span id=\"f-amount-hint\" class=\"hint\">%s</span>",
               T(r, "Hela kronor. Högst det belopp som står ovan; tomt = högsta beloppet."));
        issue_text(r, fs, "amount");
        html_f(&r->out, "<input id=\"f-amount\" name=\"amount\" inputmode=\"numeric\" value=\"%s\"",
               amount);
        aria(r, fs, "amount", "f-amount-hint");
        html_lit(&r->out, "></p>\n");

        html_f(&r->out, "<h3 id=\"f-measures\">%s</h3>\n", T(r, "Insatser"));
        issue_text(r, fs, "measures");
        for (size_t i = 0; i < fs->rows; i++)
            measure_row(r, fs, p, i);
        if (fs->rows < REQ_MEASURES_MAX)
            html_f(&r->out,
                   "<p><button type=\"submit\" name=\"action\" value=\"addrow\" "
                   "class=\"secondary\">%s</button></p>\n",
                   T(r, "Lägg till en insats"));

        html_f(&r->out, "<h3>%s</h3>\n", T(r, "Kontaktperson"));
        text_input(r, fs, "contact_name", T(r, "Namn"), "text", "name", f->contact_name);
        text_input(r, fs, "contact_email", T(r, "E-post"), "email", "email", f->contact_email);
        text_input(r, fs, "contact_phone", T(r, "Telefon"), "tel", "tel", f->contact_phone);

        html_f(&r->out, "<h3>%s</h3>\n", T(r, "Konto för utbetalning"));
        html_f(&r->out, "<p><label for=\"f-account_kind\">%s</label>\n", T(r, "Slag av konto"));
        issue_text(r, fs, "account_kind");
        html_lit(&r->out, "<select id=\"f-account_kind\" name=\"account_kind\"");
        aria(r, fs, "account_kind", NULL);
        html_lit(&r->out, ">\n");
        static const char *const kinds[] = {"bankgiro", "plusgiro", "iban"};
        for (size_t k = 0; k < 3; k++)
            html_f(&r->out, "<option value=\"%s\"%s>%s</option>\n", kinds[k],
                   strcmp(f->account_kind, kinds[k]) == 0 ? " selected" : "",
                   T(r, payacct_kind_label_sv(payacct_kind_parse(kinds[k]))));
        html_lit(&r->out, "</select></p>\n");
        text_input(r, fs, "account", T(r, "Kontonummer"), "text", "off", f->account);

        /* only where the decision provides redistribution */
        if (p->redistribution == PROG_REDIST_YES) {
            char cap[32] = "";
            if (f->extra_cap_ore != REQ_EXTRA_ANY)
                kr_value(cap, sizeof(cap), f->extra_cap_ore);
            html_f(&r->out, "<h3>%s</h3>\n", T(r, "Omfördelning"));
            html_f(&r->out,
                   "<p class=\"check\"><input type=\"checkbox\" id=\"f-opt_in\" "
                   "name=\"opt_in\" value=\"1\"%s><label for=\"f-opt_in\">%s</label></p>\n",
                   f->opt_in ? " checked" : "",
                   T(r, "Vi vill delta i omfördelningen av medel som inte rekvireras"));
            html_f(&r->out, "<p><label for=\"f-extra_cap\">%s</label>\n",
                   T(r, "Hur mycket mer kan ni använda? (kronor)"));
            html_f(&r->out, "<span id=\"f-extra_cap-hint\" class=\"hint\">%s</span>",
                   T(r, "Bara om ni deltar i omfördelningen och har fått hela ert belopp. Tomt = "
                        "så mycket som möjligt. Ingen får mer än det som anges här."));
            issue_text(r, fs, "extra_cap");
            html_f(&r->out,
                   "<input id=\"f-extra_cap\" name=\"extra_cap\" inputmode=\"numeric\" "
                   "value=\"%s\"",
                   cap);
            aria(r, fs, "extra_cap", "f-extra_cap-hint");
            html_lit(&r->out, "></p>\n");
        }

        if (p->production_plan) {
            html_f(&r->out, "<h3>%s</h3>\n", T(r, "Produktionsplan"));
            html_f(&r->out, "<p><label for=\"f-plan\">%s</label>\n",
                   T(r, "Produktionsplan (PDF eller Excel, högst 10 MiB)"));
            if (f->plan.sha256[0])
                html_f(&r->out, "<span id=\"f-plan-hint\" class=\"hint\">%s %s</span>",
                       T(r, "Bifogad:"), f->plan.name);
            else
                html_f(&r->out, "<span id=\"f-plan-hint\" class=\"hint\">%s</span>",
                       T(r, "Ingen fil bifogad än."));
            issue_text(r, fs, "plan");
            html_lit(&r->out,
                     "<input id=\"f-plan\" name=\"plan\" type=\"file\" accept=\".pdf,.xlsx,"
                     "application/pdf\"");
            aria(r, fs, "plan", "f-plan-hint");
            html_lit(&r->out, "></p>\n");
        }

        if (v->may_submit) {
            html_f(&r->out, "<h3>%s</h3>\n", T(r, "Underskrift"));
            issue_text(r, fs, "confirmed");
            html_f(&r->out,
                   "<p class=\"check\"><input type=\"checkbox\" id=\"f-confirmed\" "
                   "name=\"confirmed\" value=\"1\"%s",
                   f->confirmed ? " checked" : "");
            aria(r, fs, "confirmed", NULL);
            html_f(&r->out, "><label for=\"f-confirmed\">%s</label></p>\n",
                   T(r, "Jag har rätt att företräda organisationen"));
        }
        html_lit(&r->out, "<p class=\"buttons\">");
        if (v->may_save)
            html_f(&r->out,
                   "<button type=\"submit\" name=\"action\" value=\"save\" class=\"secondary\">"
                   "%s</button> ",
                   T(r, "Spara utkast"));
        if (v->may_submit)
            html_f(&r->out, "<button type=\"submit\" name=\"action\" value=\"submit\">%s</button>",
                   T(r, "Skicka in"));
        html_lit(&r->out, "</p>\n</form>\n");
    }
    conditions(r, p);
    char *base = arena_printf(r->arena, "/org/%s/kvittens", org);
    versions_table(r, v, base ? base : "");
    html_f(&r->out, "<p><a href=\"/org/%s/rekvisitioner\">%s</a></p>\n", org,
           T(r, "Alla rekvisitioner och beslut"));
    page_end(r);
}

static void new_idem(char out[33])
{
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(out, 33, rnd, sizeof(rnd));
}

/* A key as this page makes them: 16-64 lower-case hex digits. */
static int idem_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 16 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static size_t rows_for(const struct req_form *f)
{
    size_t rows = f->nmeasures + 1;
    if (rows < ROWS_MIN)
        rows = ROWS_MIN;
    return rows > REQ_MEASURES_MAX ? REQ_MEASURES_MAX : rows;
}

void page_req_form(struct web_req *r)
{
    if (!own_org(r))
        return;
    struct svc_actor a;
    struct req_view v;
    struct svc_result res;
    web_actor(r, &a);
    enum err e = req_open(r->store, &a, r->now, r->segs[1], r->segs[0], &v, &res);
    if (e != ERR_OK) {
        req_view_release(&v);
        reqweb_fail(r, e, &res);
        return;
    }
    char idem[33];
    new_idem(idem);
    const char *saved = web_query(r, "sparat");
    struct form_state fs = {&v.form, NULL, NULL, 0, rows_for(&v.form), idem, v.row.revision, 0};
    if (saved) {
        fs.msg = T(r, "Utkastet är sparat.");
        fs.saved = 1;
    }
    form_page(r, 200, &v, &fs);
    req_view_release(&v);
}

void page_req_form_post(struct web_req *r)
{
    if (!own_org(r))
        return;
    const char *org = r->segs[0], *program = r->segs[1];
    struct svc_actor a;
    struct req_view v;
    struct svc_result res;
    struct req_form f;
    struct req_status st;
    struct msg_issues is;
    web_actor(r, &a);
    msg_issues_clear(&is);
    memset(&st, 0, sizeof(st));
    enum err e = req_open(r->store, &a, r->now, program, org, &v, &res);
    if (e != ERR_OK) {
        req_view_release(&v);
        reqweb_fail(r, e, &res);
        return;
    }
    req_form_init(&f);
    str_copy(f.program, sizeof(f.program), v.pv.prog.id);
    str_copy(f.recipient, sizeof(f.recipient), org);
    for (size_t i = 0; i < r->body.n; i++) {
        enum err fe = req_form_set(&f, r->body.f[i].name, r->body.f[i].value, &is);
        (void)fe; /* ERR_PARSE is in is; ERR_NOTFOUND: csrf, revision, ... */
    }
    /* the plan kept with the draft travels on unless a new one comes */
    f.plan = v.form.plan;
    for (size_t i = 0; i < r->files.n; i++) {
        if (strcmp(r->files.v[i].name, "plan") != 0 || r->files.v[i].len == 0)
            continue;
        memset(&f.plan, 0, sizeof(f.plan));
        req_form_set_plan_name(&f, r->files.v[i].filename, &is);
        f.plan_data = r->files.v[i].data;
        f.plan_len = r->files.v[i].len;
    }
    const char *action = form_get(&r->body, "action");
    const char *idem = form_get(&r->body, "idem");
    const char *rev = form_get(&r->body, "revision");
    const char *rows_s = form_get(&r->body, "rows");
    int64_t based_on = 0, rows = 0;
    char fresh[33];
    if (!idem_ok(idem)) {
        new_idem(fresh);
        idem = fresh;
    }
    if (!rev || str_parse_i64(rev, &based_on) != ERR_OK || based_on < 0)
        based_on = 0;
    if (!rows_s || str_parse_i64(rows_s, &rows) != ERR_OK || rows < 1)
        rows = ROWS_MIN;
    if (rows > REQ_MEASURES_MAX)
        rows = REQ_MEASURES_MAX;
    if ((size_t)rows < f.nmeasures)
        rows = (int64_t)f.nmeasures;
    struct form_state fs = {&f, &is, NULL, 1, (size_t)rows, idem, based_on, 0};

    if (action && (strcmp(action, "addrow") == 0 || strcmp(action, "stay") == 0)) {
        /* "stay" (Enter where nothing may be saved): the form again as typed */
        if (strcmp(action, "addrow") == 0 && fs.rows < REQ_MEASURES_MAX)
            fs.rows++;
        fs.is = is.n ? &is : NULL;
        form_page(r, is.n ? 400 : 200, &v, &fs);
        goto out;
    }
    int submit = action && strcmp(action, "submit") == 0;
    if (is.n) {
        /* a value that could not be read: say so next to it, store nothing */
        form_page(r, 400, &v, &fs);
        goto out;
    }
    req_form_trim(&f);
    if (!submit) {
        e = req_save_draft(r->store, &a, r->now, &f, based_on, &st, &res);
        if (e == ERR_OK) {
            char *loc = arena_printf(r->arena, "/org/%s/rekvisition/%s?sparat=1", org, program);
            web_redirect(r, loc ? loc : "/start");
            goto out;
        }
    } else {
        struct req_receipt rc;
        e = req_submit(r->store, &a, r->now, &f, based_on, idem, &rc, &st, &res);
        if (e == ERR_OK) {
            char *loc =
                arena_printf(r->arena, "/org/%s/kvittens/%s/%d", org, rc.case_no, rc.version);
            web_redirect(r, loc ? loc : "/start");
            goto out;
        }
    }
    if (e == ERR_NOTFOUND || e == ERR_STORE || e == ERR_IO || e == ERR_NOMEM) {
        reqweb_fail(r, e, &res);
        goto out;
    }
    is = res.issues;
    fs.is = is.n ? &is : NULL;
    fs.msg = msg_empty(&res.msg) ? NULL : web_msg(r, &res.msg);
    if (e == ERR_CONFLICT && st.revision > 0) {
        /* show what was posted on top of the new revision, said plainly */
        fs.revision = st.revision;
        new_idem(fresh);
        fs.idem = fresh;
    }
    if (e == ERR_INVALID && !fs.msg)
        fs.msg = T(r, "Rekvisitionen är inte komplett. Rätta det som står vid fälten.");
    form_page(r, reqweb_status(e), &v, &fs);
out:
    req_form_release(&f);
    req_view_release(&v);
}

/* ---- the receipt ---- */

void page_req_receipt(struct web_req *r)
{
    if (!own_org(r))
        return;
    const char *org = r->segs[0], *case_no = r->segs[1];
    int64_t ver = 0;
    struct svc_actor a;
    struct req_receipt rc;
    struct svc_result res;
    web_actor(r, &a);
    if (str_parse_i64(r->segs[2], &ver) != ERR_OK || ver < 1 || ver > 1000000) {
        web_error_page(r, 404, "Sidan finns inte.");
        return;
    }
    enum err e = req_receipt_get(r->store, &a, r->now, case_no, (int)ver, &rc, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    char amt[64], at[32] = "";
    int64_t t;
    if (clock_parse(rc.at, &t) == ERR_OK)
        civil_fmt(at, sizeof(at), t);
    page_begin(r, T(r, "Kvittens"));
    html_f(&r->out, "<h1>%s</h1>\n", T(r, "Kvittens"));
    html_f(&r->out, "<p class=\"ok\" role=\"status\">%s</p>\n",
           rc.repeated ? T(r, "Rekvisitionen var redan mottagen. Ingenting nytt har sparats.")
                       : T(r, "Rekvisitionen är mottagen."));
    html_lit(&r->out, "<dl class=\"facts\">\n");
    html_f(&r->out, "<dt>%s</dt><dd id=\"case-no\">%s</dd>\n", T(r, "Ärendenummer"), rc.case_no);
    html_f(&r->out, "<dt>%s</dt><dd>%d</dd>\n", T(r, "Version"), rc.version);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Mottagen"), at);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Diarienummer"), rc.diarienummer);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Program"),
           web_program_text(r, rc.program, NULL, rc.program_title));
    html_f(&r->out, "<dt>%s</dt><dd>%s %s</dd>\n", T(r, "Mottagare"), rc.recipient,
           rc.recipient_name);
    reqweb_kr(r, amt, sizeof(amt), rc.amount_ore);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Belopp"), amt);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Inskickad av"), rc.by);
    html_lit(&r->out, "</dl>\n");
    html_f(&r->out,
           "<p class=\"downloads\"><a href=\"/org/%s/kvittens/%s/%d/pdf\" download>%s</a></p>\n",
           org, rc.case_no, rc.version, T(r, "Ladda ner kvittensen (PDF)"));
    html_f(&r->out,
           "<p><a href=\"/org/%s/rekvisition/%s\">%s</a> · <a href=\"/org/%s/rekvisitioner\">%s"
           "</a></p>\n",
           org, rc.program, T(r, "Tillbaka till rekvisitionen"), org,
           T(r, "Alla rekvisitioner och beslut"));
    page_end(r);
}

void page_req_receipt_pdf(struct web_req *r)
{
    /* /org/{code}/kvittens/{case}/{v}/pdf and /rekvisitioner/{case}/kvittens/{v} */
    int org_route = str_starts(r->path, "/org/");
    if (org_route && !own_org(r))
        return;
    const char *case_no = org_route ? r->segs[1] : r->segs[0];
    const char *vs = org_route ? r->segs[2] : r->segs[1];
    int64_t ver = 0;
    if (str_parse_i64(vs, &ver) != ERR_OK || ver < 1 || ver > 1000000) {
        web_error_page(r, 404, "Sidan finns inte.");
        return;
    }
    struct svc_actor a;
    struct svc_result res;
    struct buf pdf;
    web_actor(r, &a);
    buf_init(&pdf, PDFDOC_MAX_BYTES);
    enum err e = req_receipt_pdf(r->store, &a, r->now, case_no, (int)ver, &pdf, &res);
    if (e != ERR_OK)
        reqweb_fail(r, e, &res);
    else {
        char *name = arena_printf(r->arena, "kvittens-%s-v%d", case_no, (int)ver);
        reqweb_pdf(r, &pdf, name ? name : "kvittens");
    }
    buf_release(&pdf);
}

void page_req_decision_pdf(struct web_req *r)
{
    int org_route = str_starts(r->path, "/org/");
    if (org_route && !own_org(r))
        return;
    const char *number = org_route ? r->segs[1] : r->segs[0];
    struct svc_actor a;
    struct svc_result res;
    struct buf pdf;
    web_actor(r, &a);
    buf_init(&pdf, PDFDOC_MAX_BYTES);
    enum err e = req_decision_pdf(r->store, &a, r->now, number, &pdf, &res);
    if (e != ERR_OK)
        reqweb_fail(r, e, &res);
    else {
        char *name = arena_printf(r->arena, "beslut-%s", number);
        reqweb_pdf(r, &pdf, name ? name : "beslut");
    }
    buf_release(&pdf);
}
