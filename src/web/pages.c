/* pages.c - the first pages: login (password), choosing whom to act for,
 * logout, a start page per role, an organisation page, user
 * administration and the audit trail for granskare. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "core/org.h"
#include "service/audit.h"
#include "service/notify.h"
#include "service/refdata.h"
#include "util/str.h"
#include "web/web.h"

static void invalid_attr(struct web_req *r, const char *field, const char *name);

static const char *sid_cookie(const struct web_req *r)
{
    return r->cfg->cookie_secure ? "__Host-sid" : "sid";
}

/* "ok", or 503 with "fail" and a line per problem, for load balancers and
 * people: the database cannot be read, is read-only or damaged, or the
 * disk is full (less free than the reserve, or a write met a full disk in
 * the last WEB_FAULT_MEMORY seconds and none was taken since). */
void page_health(struct web_req *r)
{
    const struct web_health *h = r->health;
    int applied = 0;
    char dir[1024];
    struct statvfs vfs;
    struct buf p;
    buf_init(&p, 4096);
    if (store_schema_version(r->store, &applied, NULL) != ERR_OK)
        buf_puts(&p, "database: cannot be read\n");
    if (store_readonly(r->store) ||
        (h && h->readonly_at && r->now - h->readonly_at < WEB_FAULT_MEMORY))
        buf_puts(&p, "database: read-only\n");
    if (store_fault(r->store) == STORE_FAULT_DAMAGED || (h && h->damaged))
        buf_puts(&p, "integrity: the database is damaged\n");
    if (store_url_folder(r->cfg->db_path, dir, sizeof(dir)) != ERR_OK || !dir[0])
        str_copy(dir, sizeof(dir), ".");
    int64_t reserve = h ? h->disk_reserve : 0;
    if (reserve > 0 && statvfs(dir, &vfs) == 0 &&
        (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize < reserve)
        buf_printf(&p, "disk: full (%lld MiB free)\n",
                   (long long)((int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize >> 20));
    else if (h && h->full_at && r->now - h->full_at < WEB_FAULT_MEMORY)
        buf_puts(&p, "disk: full (a write failed)\n");
    r->ctype = "text/plain; charset=utf-8";
    r->has_data = 1;
    buf_reset(&r->data);
    if (p.len) {
        r->status = 503;
        buf_puts(&r->data, "fail\n");
        buf_append(&r->data, p.p, p.len);
    } else {
        buf_puts(&r->data, "ok\n");
    }
    buf_release(&p);
}

void page_root(struct web_req *r)
{
    web_redirect(r, r->authed ? "/start" : "/login");
}

static void login_form(struct web_req *r, int status, const char *error, const char *login)
{
    char pre[AUTH_SECRET_HEX];
    unsigned char rnd[32];
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(pre, sizeof(pre), rnd, sizeof(rnd));
    web_set_cookie(r, "csrf_pre", pre, -1);
    r->status = status;
    buf_reset(&r->out.b);
    page_begin(r, T(r, "Logga in"));
    html_f(&r->out, "<h1>%s</h1>\n", T(r, "Logga in"));
    if (error)
        html_f(&r->out, "<p id=\"login-error\" class=\"error\" role=\"alert\">%s</p>\n",
               T(r, error));
    html_f(&r->out,
           "<form method=\"post\" action=\"/login\" class=\"form\">\n"
           "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
           "<p><label for=\"login\">%s</label>\n",
           pre, T(r, "Användarnamn"));
    if (error)
        html_f(&r->out,
               "<input id=\"login\" name=\"login\" autocomplete=\"username\" required "
               "aria-invalid=\"true\" aria-describedby=\"login-error\" value=\"%s\"></p>\n",
               login ? login : "");
    else
        html_f(&r->out,
               "<input id=\"login\" name=\"login\" autocomplete=\"username\" required "
               "value=\"%s\"></p>\n",
               login ? login : "");
    html_f(&r->out,
           "<p><label for=\"password\">%s</label>\n<input id=\"password\" name=\"password\" "
           "type=\"password\" autocomplete=\"current-password\" required",
           T(r, "Lösenord"));
    if (error)
        html_lit(&r->out, " aria-describedby=\"login-error\"");
    html_f(&r->out, "></p>\n<p><button type=\"submit\">%s</button></p>\n</form>\n",
           T(r, "Logga in"));
    page_end(r);
}

void page_login(struct web_req *r)
{
    if (r->authed) {
        web_redirect(r, "/start");
        return;
    }
    login_form(r, 200, NULL, NULL);
}

void page_login_post(struct web_req *r)
{
    const char *login = form_get(&r->body, "login");
    const char *password = form_get(&r->body, "password");
    struct auth_session_new ns;
    enum auth_result res;
    struct svc_actor who;
    struct svc_result sr;
    if (!login || !password || !login[0] || !password[0]) {
        login_form(r, 400, "Fyll i användarnamn och lösenord.", login);
        return;
    }
    /* nobody yet, whoever was logged in before: the form logs in anew */
    memset(&who, 0, sizeof(who));
    who.origin = SVC_WEB;
    str_copy(who.addr, sizeof(who.addr), r->addr ? r->addr : "");
    if (auth_login(r->store, &who, r->now, login, password, &res, &ns, &sr) != ERR_OK) {
        web_error_page(r, 500, "Tjänsten kunde inte nå databasen. Försök igen om en stund.");
        return;
    }
    switch (res) {
    case AUTH_OK:
        web_set_cookie(r, sid_cookie(r), ns.token, -1);
        web_set_cookie(r, "csrf_pre", "", 0);
        web_redirect(r, ns.org_chosen ? "/start" : "/login/org");
        break;
    case AUTH_THROTTLED:
        login_form(r, 429, "För många misslyckade inloggningar. Vänta en stund och försök igen.",
                   login);
        break;
    case AUTH_DISABLED:
        login_form(r, 403, "Kontot är avstängt.", login);
        break;
    default:
        login_form(r, 401, "Fel användarnamn eller lösenord.", login);
        break;
    }
    sodium_memzero(&ns, sizeof(ns));
}

/* The name of the organisation with this code from the reference data
 * ("Upplands Väsby kommun", "Region Stockholm"), or NULL if it is not
 * loaded. */
static const char *org_name(struct web_req *r, const char *code)
{
    struct svc_actor who;
    struct svc_result res;
    char name[160];
    web_actor(r, &who);
    if (refdata_org_name(r->store, &who, r->now, code, name, sizeof(name), &res) != ERR_OK ||
        !name[0])
        return NULL;
    return arena_strdup(r->arena, name);
}

static void org_label(struct web_req *r, const char *org)
{
    const char *name = org[0] ? org_name(r, org) : NULL;
    if (!org[0])
        html_f(&r->out, "%s", T(r, "Socialstyrelsen (myndigheten)"));
    else if (name)
        html_f(&r->out, "%s (%s)", name, org);
    else if (strlen(org) == 4)
        html_f(&r->out, "%s %s", T(r, "Kommun"), org);
    else
        html_f(&r->out, "%s %s", T(r, "Region"), org);
}

/* Invitations waiting for the person logged in, with accept and decline. */
static void my_invites(struct web_req *r)
{
    struct store_invite *iv = NULL;
    size_t n = 0;
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    if (auth_my_invites(r->store, &who, r->now, &iv, &n, &res) != ERR_OK || n == 0) {
        free(iv);
        return;
    }
    html_f(&r->out, "<h2 id=\"invites\">%s</h2>\n<ul class=\"invites\">\n",
           T(r, "Inbjudningar till dig"));
    for (size_t i = 0; i < n; i++) {
        enum perm_role pr;
        const char *rn =
            perm_parse(iv[i].role, &pr) == ERR_OK ? T(r, perm_name_sv(pr)) : iv[i].role;
        html_f(&r->out, "<li><p>%s %s %s ", iv[i].invited_by, T(r, "bjuder in dig som"), rn);
        html_f(&r->out, "%s ", T(r, "för"));
        org_label(r, iv[i].org);
        html_f(&r->out, ".</p>\n<form method=\"post\" action=\"/invitations\" class=\"inline\">");
        page_csrf(r);
        html_f(&r->out,
               "<input type=\"hidden\" name=\"org\" value=\"%s\"><input type=\"hidden\" "
               "name=\"role\" value=\"%s\"><button type=\"submit\" name=\"answer\" "
               "value=\"accept\">%s</button> <button type=\"submit\" name=\"answer\" "
               "value=\"decline\">%s</button></form></li>\n",
               iv[i].org, iv[i].role, T(r, "Tacka ja"), T(r, "Tacka nej"));
    }
    html_lit(&r->out, "</ul>\n");
    free(iv);
}

void page_invitation_post(struct web_req *r)
{
    const char *org = form_get(&r->body, "org");
    const char *role = form_get(&r->body, "role");
    const char *answer = form_get(&r->body, "answer");
    enum perm_role pr;
    struct svc_actor who;
    struct svc_result res;
    if (!org || !role || !answer || perm_parse(role, &pr) != ERR_OK ||
        (strcmp(answer, "accept") != 0 && strcmp(answer, "decline") != 0)) {
        web_error_page(r, 400, "Formuläret kunde inte läsas.");
        return;
    }
    web_actor(r, &who);
    enum err e =
        auth_invite_answer(r->store, &who, r->now, org, pr, strcmp(answer, "accept") == 0, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    /* a new role: choose whom to act for */
    web_redirect(r, "/login/org");
}

void page_org(struct web_req *r)
{
    char orgs[64][STORE_ORG_LEN];
    size_t n = 0;
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    enum err e = auth_contexts(r->store, &who, r->now, orgs, 64, &n, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    page_begin(r, T(r, "Välj organisation"));
    html_f(&r->out, "<h1>%s</h1>\n", T(r, "Välj organisation"));
    my_invites(r);
    if (n == 0) {
        html_f(&r->out, "<p>%s</p>\n",
               T(r, "Du har ingen roll i tjänsten än. Kontakta administratören."));
        page_end(r);
        return;
    }
    html_lit(&r->out, "<form method=\"post\" action=\"/login/org\" class=\"form\">\n");
    page_csrf(r);
    html_f(&r->out, "<fieldset>\n<legend>%s</legend>\n", T(r, "Vem företräder du den här gången?"));
    for (size_t i = 0; i < n; i++) {
        html_f(&r->out,
               "<p><input type=\"radio\" name=\"org\" id=\"org-%zu\" value=\"%s\"%s> "
               "<label for=\"org-%zu\">",
               i, orgs[i], i == 0 ? " checked" : "", i);
        org_label(r, orgs[i]);
        html_lit(&r->out, "</label></p>\n");
    }
    html_f(&r->out, "</fieldset>\n<p><button type=\"submit\">%s</button></p>\n</form>\n",
           T(r, "Fortsätt"));
    page_end(r);
}

void page_org_post(struct web_req *r)
{
    const char *org = form_get(&r->body, "org");
    if (!org) {
        web_error_page(r, 400, "Välj en organisation.");
        return;
    }
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    enum err e = auth_session_choose(r->store, &who, r->now, &r->sess, org, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    web_redirect(r, "/start");
}

void page_logout_post(struct web_req *r)
{
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    enum err e = auth_logout(r->store, &who, r->now, &r->sess, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    r->authed = 0;
    web_set_cookie(r, sid_cookie(r), "", 0);
    web_redirect(r, "/login");
}

static void role_list(struct web_req *r)
{
    html_f(&r->out, "<p>%s ", T(r, "Dina roller här:"));
    int first = 1;
    for (int i = 0; i < PERM_COUNT; i++) {
        enum perm_role pr = perm_at(i);
        if (!(r->sess.roles & pr))
            continue;
        html_f(&r->out, "%s<strong>%s</strong>", first ? "" : ", ", T(r, perm_name_sv(pr)));
        first = 0;
    }
    html_lit(&r->out, "</p>\n");
}

static void card(struct web_req *r, const char *href, const char *title, const char *text)
{
    if (href)
        html_f(&r->out, "<li class=\"card\"><h2><a href=\"%s\">%s</a></h2><p>%s</p></li>\n", href,
               T(r, title), T(r, text));
    else
        html_f(&r->out, "<li class=\"card\"><h2>%s</h2><p>%s</p></li>\n", T(r, title), T(r, text));
}

/* What waits for the organisation's people: returned cases, new
 * decisions, open windows with the days left (service/notify.h), each a
 * link to the case. */
static void waiting(struct web_req *r)
{
    struct svc_actor who;
    struct svc_result res;
    struct notify_waiting *w = arena_alloc(r->arena, sizeof(*w));
    web_actor(r, &who);
    if (!w || notify_waiting_get(r->store, &who, r->now, w, &res) != ERR_OK)
        return;
    const char *org = r->sess.row.org;
    html_f(&r->out, "<section aria-labelledby=\"wait-h\"><h2 id=\"wait-h\">%s</h2>\n",
           T(r, "Det här väntar på er"));
    struct msg m;
    html_lit(&r->out, "<ul class=\"counts\">\n");
    msg_setf(
        &m, w->returned == 1 ? M_("{1} ärende att komplettera") : M_("{1} ärenden att komplettera"),
        msg_int((int64_t)w->returned));
    html_f(&r->out, "<li>%s</li>\n", web_msg(r, &m));
    msg_setf(&m, w->decisions == 1 ? M_("{1} nytt beslut") : M_("{1} nya beslut"),
             msg_int((int64_t)w->decisions));
    html_f(&r->out, "<li>%s</li>\n", web_msg(r, &m));
    msg_setf(&m,
             w->deadlines == 1 ? M_("{1} öppen rekvisition att skicka in")
                               : M_("{1} öppna rekvisitioner att skicka in"),
             msg_int((int64_t)w->deadlines));
    html_f(&r->out, "<li>%s</li>\n</ul>\n", web_msg(r, &m));
    if (w->n)
        html_lit(&r->out, "<ul class=\"waiting\">\n");
    for (size_t i = 0; i < w->n; i++) {
        const struct notify_wait_item *x = &w->items[i];
        const char *title = web_program_text(r, x->program, NULL, x->title);
        char day[64];
        if (x->kind == WAIT_RETURNED) {
            msg_setf(&m, M_("{1} är returnerad för komplettering"), msg_str(x->case_no));
            html_f(&r->out, "<li><a href=\"/org/%s/rekvisition/%s\">%s</a> (%s)</li>\n", org,
                   x->program, web_msg(r, &m), title);
        } else if (x->kind == WAIT_DECISION) {
            struct date d;
            day[0] = '\0';
            if (date_parse(x->decided_on, &d) == ERR_OK)
                i18n_fmt_date(r->lang, day, sizeof(day), d);
            msg_setf(&m, M_("Beslut {1} i {2}, {3}"), msg_str(x->number), msg_str(x->case_no),
                     msg_str(day));
            html_f(&r->out, "<li><a href=\"/org/%s/beslut/%s\">%s</a> (%s)</li>\n", org, x->number,
                   web_msg(r, &m), title);
        } else {
            i18n_fmt_date(r->lang, day, sizeof(day), x->window.closes);
            if (x->window.state == CIVIL_WINDOW_LAST_DAY)
                msg_setf(&m, M_("{1}: i dag är sista dagen att rekvirera"), msg_str(title));
            else
                msg_setf(&m, M_("{1}: rekvirera senast {2} ({3} dagar kvar)"), msg_str(title),
                         msg_str(day), msg_int(x->window.days_left));
            html_f(&r->out, "<li><a href=\"/org/%s/rekvisition/%s\">%s</a></li>\n", org, x->program,
                   web_msg(r, &m));
        }
    }
    if (w->n)
        html_lit(&r->out, "</ul>\n");
    html_lit(&r->out, "</section>\n");
}

void page_start(struct web_req *r)
{
    page_begin(r, T(r, "Startsida"));
    char today[64];
    i18n_fmt_date(r->lang, today, sizeof(today), r->today);
    html_f(&r->out, "<h1>%s, %s</h1>\n<p>%s %s.", T(r, "Välkommen"), r->sess.account.name,
           T(r, "I dag är det"), today);
    if (r->sess.row.org[0]) {
        html_f(&r->out, " %s ", T(r, "Du företräder"));
        org_label(r, r->sess.row.org);
        html_lit(&r->out, ".");
    }
    html_lit(&r->out, "</p>\n");
    role_list(r);
    my_invites(r);
    if (r->sess.row.org[0] && web_may(r, ACT_REQ_READ, r->sess.row.org))
        waiting(r);
    {
        char orgs[2][STORE_ORG_LEN];
        size_t n = 0;
        struct svc_actor who;
        struct svc_result res;
        web_actor(r, &who);
        if (auth_contexts(r->store, &who, r->now, orgs, 2, &n, &res) == ERR_OK && n > 1)
            html_f(&r->out, "<p><a href=\"/login/org\">%s</a></p>\n",
                   T(r, "Företräd en annan organisation"));
    }
    html_lit(&r->out, "<ul class=\"cards\">\n");
    /* Only what exists, each card a link to its page: follow-up reports
     * and forecasts have no pages yet and are not promised. */
    if (web_may(r, ACT_PROGRAM_LOAD, NULL))
        card(r, "/programs", "Statsbidrag",
             "Se statsbidragen och deras fördelning, granska rekvisitioner och fatta beslut.");
    if (web_may(r, ACT_PROGRAM_LOAD, NULL))
        card(r, "/programfil", "Läs in ett program",
             "Ladda upp ett regeringsbeslut som programfil, se felen vid sina rader och läs in "
             "det.");
    if (!web_may(r, ACT_PROGRAM_LOAD, NULL) && web_may(r, ACT_PROGRAM_READ, NULL))
        card(r, "/programs", "Statsbidrag", "Se statsbidragen och hur de fördelas.");
    if (web_may(r, ACT_PAY_READ, NULL))
        card(r, "/utbetalningar", "Utbetalningar",
             "Utbetalningar av beviljade beslut: omgångar, attest, bankfiler och bankens svar.");
    if (web_may(r, ACT_STATS_READ, NULL))
        card(r, "/statistik", "Statistik",
             "Personalstatistik i hälso- och sjukvården: färdiga tabeller och egna urval.");
    if (web_may(r, ACT_AUDIT_READ, NULL))
        card(r, "/audit", "Granskningslogg",
             "Se vem som ändrade vad, och kontrollera att loggen är obruten.");
    if (web_may(r, ACT_USER_READ, NULL))
        card(r, "/admin/users", "Användare", "Lägg till användare och ge eller ta bort roller.");
    if (web_may(r, ACT_ORG_READ, r->sess.row.org)) {
        char *href = arena_printf(r->arena, "/org/%s", r->sess.row.org);
        card(r, href, "Organisationens ärenden",
             "Se vad organisationen kan rekvirera, rekvirera och följ besluten.");
    }
    html_lit(&r->out, "</ul>\n");
    page_end(r);
}

void page_orgpage(struct web_req *r)
{
    const char *org = r->segs[0];
    if (strcmp(org, r->sess.row.org) != 0) {
        web_error_page(r, 403, "Du företräder inte den organisationen.");
        return;
    }
    unsigned m = r->sess.roles;
    page_begin(r, T(r, "Organisationen"));
    html_lit(&r->out, "<h1>");
    org_label(r, org);
    html_lit(&r->out, "</h1>\n");
    role_list(r);
    html_f(&r->out, "<h2>%s</h2>\n<ul>\n", T(r, "Det här får du göra"));
    if (perm_may_start_case(m))
        html_f(&r->out, "<li>%s</li>\n", T(r, "Starta ärenden"));
    if (perm_may_edit_case(m))
        html_f(&r->out, "<li>%s</li>\n", T(r, "Fylla i och ändra ärenden"));
    if (perm_may_submit_case(m))
        html_f(&r->out, "<li>%s</li>\n", T(r, "Skicka in ärenden"));
    if (perm_may_invite(m, PERM_REPRESENTANT))
        html_f(&r->out, "<li>%s</li>\n", T(r, "Bjuda in och ta bort representanter"));
    if (perm_may_remove(m, PERM_UPPGIFTSSAMORDNARE))
        html_f(&r->out, "<li>%s</li>\n", T(r, "Bjuda in och ta bort uppgiftssamordnare"));
    else if (perm_may_invite(m, PERM_UPPGIFTSSAMORDNARE))
        html_f(&r->out, "<li>%s</li>\n", T(r, "Bjuda in uppgiftssamordnare"));
    html_lit(&r->out, "</ul>\n");
    html_f(&r->out, "<p><a href=\"/org/%s/members\">%s</a></p>\n", org,
           T(r, "Vilka företräder organisationen?"));
    html_f(&r->out, "<p><a href=\"/org/%s/rekvisitioner\">%s</a></p>\n", org,
           T(r, "Rekvisitioner och beslut"));
    html_f(&r->out, "<p><a href=\"/org/%s/utbetalningar\">%s</a></p>\n", org,
           T(r, "Utbetalningar till organisationen"));
    reqweb_org_programs(r);
    page_end(r);
}

/* ---- the organisation's people (ombud, representanter) ---- */

/* The invitations of an organisation nobody has answered yet. */
static void invites_table(struct web_req *r)
{
    struct store_invite *iv = NULL;
    size_t n = 0;
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    if (auth_org_invites(r->store, &who, r->now, &iv, &n, &res) != ERR_OK || n == 0) {
        free(iv);
        return;
    }
    html_f(&r->out,
           "<table tabindex=\"0\">\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "</tr></thead>\n<tbody>\n",
           T(r, "Inbjudningar som inte är besvarade"), T(r, "Användarnamn"), T(r, "Roll"),
           T(r, "Inbjuden av"), T(r, "Inbjuden (UTC)"));
    for (size_t i = 0; i < n; i++) {
        enum perm_role pr;
        const char *rn =
            perm_parse(iv[i].role, &pr) == ERR_OK ? T(r, perm_name_sv(pr)) : iv[i].role;
        html_f(&r->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", iv[i].login, rn,
               iv[i].invited_by, iv[i].invited_at);
    }
    html_lit(&r->out, "</tbody>\n</table>\n");
    free(iv);
}

static void members_page(struct web_req *r, int status, const char *error)
{
    const char *org = r->segs[0];
    unsigned m = r->sess.roles;
    struct store_member *mem = NULL;
    size_t n = 0;
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    enum err e = auth_org_members(r->store, &who, r->now, &mem, &n, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    r->status = status;
    buf_reset(&r->out.b);
    page_begin(r, T(r, "Vilka företräder organisationen?"));
    html_f(&r->out, "<h1>%s</h1>\n", T(r, "Vilka företräder organisationen?"));
    if (error)
        html_f(&r->out, "<p id=\"form-error\" class=\"error\" role=\"alert\">%s</p>\n", error);
    html_f(&r->out,
           "<table tabindex=\"0\">\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Personer med roll för organisationen"), T(r, "Användarnamn"), T(r, "Namn"),
           T(r, "Roll"));
    for (size_t i = 0; i < n; i++) {
        enum perm_role pr;
        const char *rn =
            perm_parse(mem[i].role, &pr) == ERR_OK ? T(r, perm_name_sv(pr)) : mem[i].role;
        html_f(&r->out, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", mem[i].login, mem[i].name,
               rn);
    }
    html_lit(&r->out, "</tbody>\n</table>\n");
    free(mem);
    if (perm_may_invite(m, PERM_UPPGIFTSSAMORDNARE))
        invites_table(r);
    if (perm_may_invite(m, PERM_UPPGIFTSSAMORDNARE)) {
        html_f(&r->out,
               "<h2 id=\"invite\">%s</h2>\n<form method=\"post\" action=\"/org/%s/members\" "
               "class=\"form\" aria-labelledby=\"invite\">\n",
               T(r, "Bjud in eller ta bort"), org);
        page_csrf(r);
        html_f(&r->out,
               "<p><label for=\"m-login\">%s</label>\n<input id=\"m-login\" name=\"login\" "
               "required",
               T(r, "Användarnamn"));
        if (error)
            html_lit(&r->out, " aria-invalid=\"true\" aria-describedby=\"form-error\"");
        html_f(&r->out,
               "></p>\n<p><label for=\"m-role\">%s</label>\n<select id=\"m-role\" "
               "name=\"role\">\n",
               T(r, "Roll"));
        if (perm_may_invite(m, PERM_REPRESENTANT))
            html_f(&r->out, "<option value=\"representant\">%s</option>\n", T(r, "representant"));
        html_f(&r->out,
               "<option value=\"uppgiftssamordnare\">%s</option>\n</select></p>\n"
               "<p><button type=\"submit\" name=\"action\" value=\"invite\">%s</button>",
               T(r, "uppgiftssamordnare"), T(r, "Bjud in"));
        if (perm_may_remove(m, PERM_UPPGIFTSSAMORDNARE))
            html_f(&r->out, " <button type=\"submit\" name=\"action\" value=\"remove\">%s</button>",
                   T(r, "Ta bort"));
        html_lit(&r->out, "</p>\n</form>\n");
    }
    page_end(r);
}

void page_members(struct web_req *r)
{
    if (strcmp(r->segs[0], r->sess.row.org) != 0) {
        web_error_page(r, 403, "Du företräder inte den organisationen.");
        return;
    }
    members_page(r, 200, NULL);
}

void page_members_post(struct web_req *r)
{
    const char *action = form_get(&r->body, "action");
    const char *login = form_get(&r->body, "login");
    const char *role = form_get(&r->body, "role");
    enum perm_role pr;
    struct svc_actor who;
    struct svc_result res;
    if (strcmp(r->segs[0], r->sess.row.org) != 0) {
        web_error_page(r, 403, "Du företräder inte den organisationen.");
        return;
    }
    if (!action || !login || !role || perm_parse(role, &pr) != ERR_OK ||
        (strcmp(action, "invite") != 0 && strcmp(action, "remove") != 0)) {
        members_page(r, 400, T(r, "Fyll i användarnamn och välj roll."));
        return;
    }
    web_actor(r, &who);
    enum err e =
        auth_org_member(r->store, &who, r->now, login, pr, strcmp(action, "invite") == 0, &res);
    if (e == ERR_DENIED) {
        reqweb_fail(r, e, &res);
        return;
    }
    if (e != ERR_OK) {
        int st = reqweb_status(e);
        members_page(r, st >= 500 ? st : 400, web_msg(r, &res.msg));
        return;
    }
    char *back = arena_printf(r->arena, "/org/%s/members", r->segs[0]);
    web_redirect(r, back ? back : "/start");
}

/* ---- user administration (admin) ---- */

/* Mark a field invalid and tie it to the form's error message. */
static void invalid_attr(struct web_req *r, const char *field, const char *name)
{
    if (field && strcmp(field, name) == 0)
        html_lit(&r->out, " aria-invalid=\"true\" aria-describedby=\"form-error\"");
}

static void users_page(struct web_req *r, int status, const char *field, const char *error)
{
    struct auth_user *acc = NULL;
    size_t n = 0;
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    enum err e = auth_user_list(r->store, &who, r->now, &acc, &n, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    r->status = status;
    buf_reset(&r->out.b);
    page_begin(r, T(r, "Användare"));
    html_f(&r->out, "<h1>%s</h1>\n", T(r, "Användare"));
    if (error)
        html_f(&r->out, "<p id=\"form-error\" class=\"error\" role=\"alert\">%s</p>\n", error);
    html_f(&r->out,
           "<table tabindex=\"0\">\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Konton och roller"), T(r, "Användarnamn"), T(r, "Namn"), T(r, "Roller"));
    for (size_t i = 0; i < n; i++) {
        const struct store_grant *g = acc[i].grants;
        html_f(&r->out, "<tr><td>%s</td><td>%s</td><td>", acc[i].account.login,
               acc[i].account.name);
        for (size_t j = 0; j < acc[i].ngrants; j++) {
            enum perm_role pr;
            const char *name =
                perm_parse(g[j].role, &pr) == ERR_OK ? T(r, perm_name_sv(pr)) : g[j].role;
            if (g[j].org[0])
                html_f(&r->out, "%s%s (%s)", j ? ", " : "", name, g[j].org);
            else
                html_f(&r->out, "%s%s", j ? ", " : "", name);
        }
        html_lit(&r->out, "</td></tr>\n");
    }
    html_lit(&r->out, "</tbody>\n</table>\n");
    auth_users_free(acc, n);

    html_f(&r->out,
           "<h2 id=\"add\">%s</h2>\n<form method=\"post\" action=\"/admin/users\" "
           "class=\"form\" aria-labelledby=\"add\">\n",
           T(r, "Lägg till användare"));
    page_csrf(r);
    html_f(&r->out,
           "<input type=\"hidden\" name=\"action\" value=\"add\">\n"
           "<p><label for=\"new-login\">%s</label>\n"
           "<input id=\"new-login\" name=\"login\" required",
           T(r, "Användarnamn"));
    invalid_attr(r, field, "login");
    html_f(&r->out,
           "></p>\n<p><label for=\"new-name\">%s</label>\n"
           "<input id=\"new-name\" name=\"name\" required",
           T(r, "Namn"));
    invalid_attr(r, field, "name");
    html_f(&r->out,
           "></p>\n<p><label for=\"new-password\">%s</label>\n"
           "<input id=\"new-password\" name=\"password\" type=\"password\" "
           "autocomplete=\"new-password\" minlength=\"%d\" required",
           T(r, "Lösenord (minst 10 tecken)"), AUTH_PASSWORD_MIN);
    invalid_attr(r, field, "password");
    html_f(&r->out, "></p>\n<p><button type=\"submit\">%s</button></p>\n</form>\n",
           T(r, "Lägg till"));

    html_f(&r->out,
           "<h2 id=\"grant\">%s</h2>\n<form method=\"post\" action=\"/admin/users\" "
           "class=\"form\" aria-labelledby=\"grant\">\n",
           T(r, "Ge eller ta bort roll"));
    page_csrf(r);
    html_f(&r->out,
           "<p><label for=\"role-login\">%s</label>\n"
           "<input id=\"role-login\" name=\"login\" required",
           T(r, "Användarnamn"));
    invalid_attr(r, field, "role-login");
    html_f(&r->out,
           "></p>\n<p><label for=\"role-role\">%s</label>\n<select id=\"role-role\" "
           "name=\"role\"",
           T(r, "Roll"));
    invalid_attr(r, field, "role");
    html_lit(&r->out, ">\n");
    for (int i = 0; i < PERM_COUNT; i++)
        html_f(&r->out, "<option value=\"%s\">%s</option>\n", perm_id(perm_at(i)),
               T(r, perm_name_sv(perm_at(i))));
    html_f(&r->out,
           "</select></p>\n<p><label for=\"role-org\">%s</label>\n"
           "<input id=\"role-org\" name=\"org\" inputmode=\"numeric\"",
           T(r, "Organisation"));
    if (field && strcmp(field, "org") == 0)
        html_lit(&r->out, " aria-invalid=\"true\" aria-describedby=\"form-error role-org-hint\"");
    else
        html_lit(&r->out, " aria-describedby=\"role-org-hint\"");
    html_f(&r->out,
           ">\n<span id=\"role-org-hint\" class=\"hint\">%s</span></p>\n"
           "<p><button type=\"submit\" name=\"action\" value=\"grant\">%s</button> "
           "<button type=\"submit\" name=\"action\" value=\"revoke\">%s</button></p>\n</form>\n",
           T(r, "Kommunkod (4 siffror) eller länskod (2 siffror); tomt för myndighetsroller."),
           T(r, "Ge roll"), T(r, "Ta bort roll"));
    page_end(r);
}

void page_users(struct web_req *r)
{
    users_page(r, 200, NULL, NULL);
}

/* The form field to mark for a failed user change: the first field the
 * service named (the grant form's login field is "role-login"). */
static const char *user_field(const struct svc_result *res, int grant)
{
    if (!res->issues.n)
        return "login";
    const char *f = res->issues.v[0].field;
    if (grant && strcmp(f, "login") == 0)
        return "role-login";
    return f;
}

void page_users_post(struct web_req *r)
{
    const char *action = form_get(&r->body, "action");
    const char *login = form_get(&r->body, "login");
    struct svc_actor who;
    struct svc_result res;
    enum err e;
    int grant = 0;
    if (!action || !login) {
        users_page(r, 400, "login", T(r, "Fyll i användarnamn."));
        return;
    }
    web_actor(r, &who);
    if (strcmp(action, "add") == 0) {
        const char *name = form_get(&r->body, "name");
        const char *password = form_get(&r->body, "password");
        e = auth_user_add(r->store, &who, r->now, login, name ? name : "", password ? password : "",
                          &res);
    } else if (strcmp(action, "grant") == 0 || strcmp(action, "revoke") == 0) {
        enum perm_role pr;
        const char *role = form_get(&r->body, "role");
        const char *org = form_get(&r->body, "org");
        if (perm_parse(role, &pr) != ERR_OK) {
            users_page(r, 400, "role", T(r, "Okänd roll."));
            return;
        }
        grant = 1;
        e = auth_user_role(r->store, &who, r->now, login, pr, org ? org : "",
                           strcmp(action, "grant") == 0, &res);
    } else {
        users_page(r, 400, NULL, T(r, "Okänd åtgärd."));
        return;
    }
    if (e != ERR_OK) {
        int st = reqweb_status(e);
        users_page(r, st >= 500 ? st : 400, user_field(&res, grant), web_msg(r, &res.msg));
        return;
    }
    web_redirect(r, "/admin/users");
}

/* ---- the person's own account: password and API tokens ---- */

/* The account page; a new token's secret (shown once) or an error. */
static void account_page(struct web_req *r, int status, const char *error, const char *field,
                         const char *new_token)
{
    struct store_token *t = NULL;
    size_t n = 0;
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    enum err e = auth_token_list_own(r->store, &who, r->now, &t, &n, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    r->status = status;
    buf_reset(&r->out.b);
    page_begin(r, T(r, "Mitt konto"));
    html_f(&r->out, "<h1>%s</h1>\n<p>%s: %s</p>\n", T(r, "Mitt konto"), T(r, "Användarnamn"),
           r->sess.account.login);
    if (error)
        html_f(&r->out, "<p id=\"form-error\" class=\"error\" role=\"alert\">%s</p>\n", error);
    if (new_token)
        html_f(&r->out,
               "<div class=\"ok\" role=\"status\"><p>%s</p>\n<p><code id=\"new-token\">%s</code>"
               "</p></div>\n",
               T(r, "Din nya API-nyckel visas bara nu. Spara den på ett säkert ställe."),
               new_token);

    if (r->sess.account.pwhash[0]) {
        html_f(&r->out,
               "<h2 id=\"pw\">%s</h2>\n<form method=\"post\" action=\"/account/password\" "
               "class=\"form\" aria-labelledby=\"pw\">\n",
               T(r, "Byt lösenord"));
        page_csrf(r);
        html_f(&r->out,
               "<p><label for=\"current\">%s</label>\n<input id=\"current\" name=\"current\" "
               "type=\"password\" autocomplete=\"current-password\" required",
               T(r, "Nuvarande lösenord"));
        invalid_attr(r, field, "current");
        html_f(&r->out,
               "></p>\n<p><label for=\"new\">%s</label>\n<input id=\"new\" name=\"password\" "
               "type=\"password\" autocomplete=\"new-password\" minlength=\"%d\" required",
               T(r, "Nytt lösenord (minst 10 tecken)"), AUTH_PASSWORD_MIN);
        invalid_attr(r, field, "password");
        html_f(&r->out, "></p>\n<p><button type=\"submit\">%s</button></p>\n</form>\n",
               T(r, "Byt lösenord"));
    }

    html_f(&r->out,
           "<h2 id=\"tokens\">%s</h2>\n<p>%s</p>\n<table "
           "tabindex=\"0\">\n<caption>%s</caption>\n<thead><tr>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "API-nycklar"),
           T(r, "En API-nyckel ger ett program samma rättigheter som du har för den organisation "
                "du företräder nu."),
           T(r, "Dina API-nycklar"), T(r, "Namn"), T(r, "Organisation"), T(r, "Skapad (UTC)"),
           T(r, "Status"));
    for (size_t i = 0; i < n; i++) {
        html_f(&r->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", t[i].name,
               t[i].org[0] ? t[i].org : "–", t[i].created_at);
        if (t[i].revoked) {
            html_f(&r->out, "%s", T(r, "återkallad"));
        } else {
            html_lit(&r->out, "<form method=\"post\" action=\"/account/tokens\">");
            page_csrf(r);
            html_f(&r->out,
                   "<input type=\"hidden\" name=\"id\" value=\"%lld\">"
                   "<button type=\"submit\" name=\"action\" value=\"revoke\" "
                   "aria-label=\"%s %s\">%s</button></form>",
                   t[i].id, T(r, "Återkalla"), t[i].name, T(r, "Återkalla"));
        }
        html_lit(&r->out, "</td></tr>\n");
    }
    html_lit(&r->out, "</tbody>\n</table>\n");
    free(t);
    html_lit(&r->out, "<form method=\"post\" action=\"/account/tokens\" class=\"form\">\n");
    page_csrf(r);
    html_f(&r->out,
           "<p><label for=\"token-name\">%s</label>\n<input id=\"token-name\" name=\"name\" "
           "required",
           T(r, "Vad ska nyckeln användas till?"));
    invalid_attr(r, field, "name");
    html_f(&r->out,
           "></p>\n<p><button type=\"submit\" name=\"action\" value=\"create\">%s</button>"
           "</p>\n</form>\n",
           T(r, "Skapa API-nyckel"));
    page_end(r);
}

void page_account(struct web_req *r)
{
    account_page(r, 200, NULL, NULL, NULL);
}

void page_account_password(struct web_req *r)
{
    const char *cur = form_get(&r->body, "current");
    const char *pw = form_get(&r->body, "password");
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    enum err e = auth_passwd_self(r->store, &who, r->now, cur ? cur : "", pw ? pw : "", &res);
    if (e == ERR_DENIED || e == ERR_INVALID) {
        account_page(r, 400, web_msg(r, &res.msg),
                     res.issues.n ? res.issues.v[0].field : "password", NULL);
        return;
    }
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    /* every session of the account has ended: log in again */
    r->authed = 0;
    web_set_cookie(r, sid_cookie(r), "", 0);
    web_redirect(r, "/login");
}

void page_account_tokens(struct web_req *r)
{
    const char *action = form_get(&r->body, "action");
    char tok[AUTH_TOKEN_LEN];
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    if (action && strcmp(action, "create") == 0) {
        const char *name = form_get(&r->body, "name");
        enum err e = auth_token_create_own(r->store, &who, r->now, name ? name : "", tok, &res);
        if (e == ERR_INVALID) {
            account_page(r, 400, web_msg(r, &res.msg), "name", NULL);
            return;
        }
        if (e != ERR_OK) {
            reqweb_fail(r, e, &res);
            return;
        }
        account_page(r, 200, NULL, NULL, tok);
        sodium_memzero(tok, sizeof(tok));
        return;
    }
    if (action && strcmp(action, "revoke") == 0) {
        int64_t id;
        const char *ids = form_get(&r->body, "id");
        if (!ids || str_parse_i64(ids, &id) != ERR_OK) {
            web_error_page(r, 400, "Formuläret kunde inte läsas.");
            return;
        }
        enum err e = auth_token_revoke_own(r->store, &who, r->now, (long long)id, &res);
        if (e != ERR_OK) {
            reqweb_fail(r, e, &res);
            return;
        }
        web_redirect(r, "/account");
        return;
    }
    web_error_page(r, 400, "Formuläret kunde inte läsas.");
}

/* ---- audit trail (granskare, admin) ---- */

static int audit_row(void *ctx, const struct store_audit *a)
{
    struct web_req *r = ctx;
    html_f(&r->out,
           "<tr><td>%lld</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
           "<td><code>%s</code></td></tr>\n",
           a->seq, a->at, a->actor, a->org, a->action, a->object, a->hash);
    return 0;
}

void page_audit(struct web_req *r)
{
    struct audit_report rep;
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    enum err e = audit_verify_as(r->store, &who, r->now, &rep, &res);
    if (e != ERR_OK && e != ERR_INVALID) {
        reqweb_fail(r, e, &res);
        return;
    }
    const char *object = web_query(r, "object");
    if (object && !object[0])
        object = NULL;
    page_begin(r, T(r, "Granskningslogg"));
    html_f(&r->out, "<h1>%s</h1>\n", T(r, "Granskningslogg"));
    if (e == ERR_OK) {
        char rows[32], cps[32], ents[32];
        i18n_fmt_int(r->lang, rows, sizeof(rows), rep.rows);
        i18n_fmt_int(r->lang, cps, sizeof(cps), rep.checkpoints);
        i18n_fmt_int(r->lang, ents, sizeof(ents), rep.entities);
        html_f(&r->out, "<p class=\"ok\" role=\"status\">%s (%s %s, %s %s, %s %s)</p>\n",
               T(r, "Loggen är obruten."), rows, T(r, "poster"), cps, T(r, "kontrollpunkter"), ents,
               T(r, "objekt vars rader stämmer"));
    } else if (rep.first_bad > 0) {
        html_f(&r->out,
               "<p class=\"error\" role=\"alert\">%s %lld. <span lang=\"en\">%s</span></p>\n",
               T(r, "Loggen är bruten vid post"), rep.first_bad, rep.msg);
    } else {
        html_f(&r->out, "<p class=\"error\" role=\"alert\">%s <span lang=\"en\">%s</span></p>\n",
               T(r, "Loggen stämmer inte med kontrollpunkterna eller med raderna den beskriver."),
               rep.msg);
    }
    if (e != ERR_OK && rep.problems > 1) {
        /* every problem found, as audit verify names them */
        html_lit(&r->out, "<ul class=\"problems\" lang=\"en\">\n");
        for (long long i = 0; i < rep.problems && i < AUDIT_PROBLEMS; i++)
            html_f(&r->out, "<li>%s</li>\n", rep.problem[i]);
        if (rep.problems > AUDIT_PROBLEMS)
            html_f(&r->out, "<li>... and %lld more</li>\n", rep.problems - AUDIT_PROBLEMS);
        html_lit(&r->out, "</ul>\n");
    }
    if (rep.note[0])
        html_f(&r->out, "<p class=\"note\" lang=\"en\">%s</p>\n", rep.note);
    html_f(&r->out,
           "<form method=\"get\" action=\"/audit\" class=\"form\">\n"
           "<p><label for=\"object\">%s</label>\n<input id=\"object\" name=\"object\" "
           "value=\"%s\"> <button type=\"submit\">%s</button></p>\n</form>\n",
           T(r, "Visa bara objekt"), object ? object : "", T(r, "Filtrera"));
    html_f(&r->out,
           "<table tabindex=\"0\">\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">#</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "</tr></thead>\n<tbody>\n",
           T(r, "Poster i tidsordning"), T(r, "Tid (UTC)"), T(r, "Vem"), T(r, "Organisation"),
           T(r, "Händelse"), T(r, "Objekt"), T(r, "Kontrollsumma"));
    e = audit_list(r->store, &who, r->now, object, 1000, audit_row, r, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    html_lit(&r->out, "</tbody>\n</table>\n");
    page_end(r);
}
