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
    if (!login || !password || !login[0] || !password[0]) {
        login_form(r, 400, "Fyll i användarnamn och lösenord.", login);
        return;
    }
    if (auth_login(r->store, login, password, r->addr, r->now, &res, &ns) != ERR_OK) {
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
 * ("Upplands Väsby", "Region Stockholm"), or NULL if it is not loaded. */
static const char *org_name(struct web_req *r, const char *code)
{
    struct org_list l = {NULL, 0};
    const char *name = NULL;
    if (store_org_list(r->store, &l) != ERR_OK)
        return NULL;
    for (size_t i = 0; i < l.n && !name; i++) {
        if (strlen(code) == 4 && strcmp(l.v[i].kommun_code, code) == 0)
            name = arena_printf(r->arena, "%s kommun", l.v[i].name);
        else if (strlen(code) == 2 && strcmp(l.v[i].region_code, code) == 0)
            name = arena_strdup(r->arena, l.v[i].region_name[0] ? l.v[i].region_name : l.v[i].name);
    }
    org_list_release(&l);
    return name;
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
    if (auth_invites(r->store, NULL, r->sess.account.login, &iv, &n) != ERR_OK || n == 0) {
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
    char msg[256];
    if (!org || !role || !answer || perm_parse(role, &pr) != ERR_OK ||
        (strcmp(answer, "accept") != 0 && strcmp(answer, "decline") != 0)) {
        web_error_page(r, 400, "Formuläret kunde inte läsas.");
        return;
    }
    enum err e = auth_invite_answer(r->store, &r->sess, org, pr, strcmp(answer, "accept") == 0,
                                    r->now, msg, sizeof(msg));
    if (e == ERR_DENIED) {
        web_error_page(r, 403,
                       "Du har en roll hos myndigheten och kan därför inte företräda en "
                       "bidragsmottagare.");
        return;
    }
    if (e == ERR_NOTFOUND) {
        web_error_page(r, 404, "Inbjudan finns inte längre.");
        return;
    }
    if (e != ERR_OK) {
        web_error_page(r, 500, "Tjänsten kunde inte nå databasen. Försök igen om en stund.");
        return;
    }
    /* a new role: choose whom to act for */
    web_redirect(r, "/login/org");
}

void page_org(struct web_req *r)
{
    char orgs[64][STORE_ORG_LEN];
    size_t n = 0;
    if (auth_contexts(r->store, r->sess.account.id, orgs, 64, &n) != ERR_OK) {
        web_error_page(r, 500, "Tjänsten kunde inte nå databasen. Försök igen om en stund.");
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
    enum err e = auth_session_choose(r->store, &r->sess, org, r->now);
    if (e == ERR_DENIED) {
        web_error_page(r, 403, "Du har ingen roll för den organisationen.");
        return;
    }
    if (e != ERR_OK) {
        web_error_page(r, 500, "Tjänsten kunde inte nå databasen. Försök igen om en stund.");
        return;
    }
    web_redirect(r, "/start");
}

void page_logout_post(struct web_req *r)
{
    if (auth_logout(r->store, &r->sess, r->now) != ERR_OK) {
        web_error_page(r, 500, "Tjänsten kunde inte nå databasen. Försök igen om en stund.");
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

void page_start(struct web_req *r)
{
    unsigned m = r->sess.roles;
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
    {
        char orgs[2][STORE_ORG_LEN];
        size_t n = 0;
        if (auth_contexts(r->store, r->sess.account.id, orgs, 2, &n) == ERR_OK && n > 1)
            html_f(&r->out, "<p><a href=\"/login/org\">%s</a></p>\n",
                   T(r, "Företräd en annan organisation"));
    }
    html_lit(&r->out, "<ul class=\"cards\">\n");
    if (m & PERM_HANDLAGGARE)
        card(r, NULL, "Statsbidrag",
             "Läs in regeringsbeslut, beräkna fördelningsnycklar, öppna rekvisition och fatta "
             "beslut.");
    if (m & PERM_ATTESTANT)
        card(r, NULL, "Attestera",
             "Attestera utbetalningar och återkrav som någon annan tagit "
             "fram.");
    if (m & PERM_ANALYTIKER)
        card(r, NULL, "Statistik",
             "Personalstatistik, prognoser för utbildningstjänster och riktvärden.");
    if (m & (PERM_GRANSKARE | PERM_ADMIN))
        card(r, "/audit", "Granskningslogg",
             "Se vem som ändrade vad, och kontrollera att loggen är obruten.");
    if (m & PERM_ADMIN)
        card(r, "/admin/users", "Användare", "Lägg till användare och ge eller ta bort roller.");
    if (m & PERM_RECIPIENT_MASK) {
        char *href = arena_printf(r->arena, "/org/%s", r->sess.row.org);
        card(r, href, "Organisationens ärenden",
             "Se vad organisationen kan rekvirera, rekvirera och återrapportera.");
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
    web_org_programs(r, org);
    page_end(r);
}

/* ---- the organisation's people (ombud, representanter) ---- */

static const char *user_error(struct web_req *r, enum err e, const char *msg, const char **field);

/* The invitations of an organisation nobody has answered yet. */
static void invites_table(struct web_req *r, const char *org)
{
    struct store_invite *iv = NULL;
    size_t n = 0;
    if (auth_invites(r->store, org, NULL, &iv, &n) != ERR_OK || n == 0) {
        free(iv);
        return;
    }
    html_f(&r->out,
           "<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
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
    if (store_grant_list_org(r->store, org, &mem, &n) != ERR_OK) {
        web_error_page(r, 500, "Tjänsten kunde inte nå databasen. Försök igen om en stund.");
        return;
    }
    r->status = status;
    buf_reset(&r->out.b);
    page_begin(r, T(r, "Vilka företräder organisationen?"));
    html_f(&r->out, "<h1>%s</h1>\n", T(r, "Vilka företräder organisationen?"));
    if (error)
        html_f(&r->out, "<p id=\"form-error\" class=\"error\" role=\"alert\">%s</p>\n", error);
    html_f(&r->out,
           "<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
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
        invites_table(r, org);
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
    char msg[256];
    if (strcmp(r->segs[0], r->sess.row.org) != 0) {
        web_error_page(r, 403, "Du företräder inte den organisationen.");
        return;
    }
    if (!action || !login || !role || perm_parse(role, &pr) != ERR_OK ||
        (strcmp(action, "invite") != 0 && strcmp(action, "remove") != 0)) {
        members_page(r, 400, T(r, "Fyll i användarnamn och välj roll."));
        return;
    }
    enum err e = auth_org_member(r->store, &r->sess, login, pr, strcmp(action, "invite") == 0,
                                 r->now, msg, sizeof(msg));
    if (e == ERR_DENIED) {
        web_error_page(r, 403, "Din roll får inte ge eller ta bort den rollen.");
        return;
    }
    if (e == ERR_NOTFOUND) { /* the same words whether the login exists or not */
        members_page(r, 400, T(r, "Användaren har inte den rollen."));
        return;
    }
    if (e != ERR_OK) {
        const char *field;
        members_page(r, e == ERR_STORE ? 500 : 400, user_error(r, e, msg, &field));
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
    struct store_account *acc = NULL;
    size_t n = 0;
    if (store_account_list(r->store, &acc, &n) != ERR_OK) {
        web_error_page(r, 500, "Tjänsten kunde inte nå databasen. Försök igen om en stund.");
        return;
    }
    r->status = status;
    buf_reset(&r->out.b);
    page_begin(r, T(r, "Användare"));
    html_f(&r->out, "<h1>%s</h1>\n", T(r, "Användare"));
    if (error)
        html_f(&r->out, "<p id=\"form-error\" class=\"error\" role=\"alert\">%s</p>\n", error);
    html_f(&r->out,
           "<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Konton och roller"), T(r, "Användarnamn"), T(r, "Namn"), T(r, "Roller"));
    for (size_t i = 0; i < n; i++) {
        struct store_grant *g = NULL;
        size_t ng = 0;
        html_f(&r->out, "<tr><td>%s</td><td>%s</td><td>", acc[i].login, acc[i].name);
        if (store_grant_list(r->store, acc[i].id, &g, &ng) == ERR_OK) {
            for (size_t j = 0; j < ng; j++) {
                enum perm_role pr;
                const char *name =
                    perm_parse(g[j].role, &pr) == ERR_OK ? T(r, perm_name_sv(pr)) : g[j].role;
                if (g[j].org[0])
                    html_f(&r->out, "%s%s (%s)", j ? ", " : "", name, g[j].org);
                else
                    html_f(&r->out, "%s%s", j ? ", " : "", name);
            }
            free(g);
        }
        html_lit(&r->out, "</td></tr>\n");
    }
    html_lit(&r->out, "</tbody>\n</table>\n");
    free(acc);

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

/* A Swedish message for a failed user change (the service speaks English
 * to logs and the CLI); *field gets the form field to mark. */
static const char *user_error(struct web_req *r, enum err e, const char *msg, const char **field)
{
    *field = "login";
    if (e == ERR_STORE)
        return T(r, "Tjänsten kunde inte nå databasen. Försök igen om en stund.");
    if (strstr(msg, "cannot hold role")) {
        *field = "role";
        return T(r, "Myndighetens personal kan inte ha en roll för en bidragsmottagare, och den "
                    "som har en sådan roll kan inte ha en myndighetsroll.");
    }
    if (strstr(msg, "has an ombud")) {
        *field = "org";
        return T(r, "Organisationen har redan ett ombud.");
    }
    if (e == ERR_CONFLICT)
        return T(r, "Användaren finns redan eller har redan rollen.");
    if (e == ERR_NOTFOUND && strstr(msg, "does not hold")) {
        *field = "role-login";
        return T(r, "Användaren har inte den rollen.");
    }
    if (e == ERR_NOTFOUND) {
        *field = "role-login";
        return T(r, "Användaren finns inte.");
    }
    if (strstr(msg, "password")) {
        *field = "password";
        return T(r, "Lösenordet måste ha 10–256 tecken.");
    }
    if (strstr(msg, "organisation")) {
        *field = "org";
        return T(r, "Ange kommunkod (4 siffror) eller länskod (2 siffror) för "
                    "organisationsroller och ingen kod för myndighetsroller.");
    }
    if (strstr(msg, "name must")) {
        *field = "name";
        const char *t = arena_printf(r->arena, T(r, "Fyll i ett namn med högst %d tecken."),
                                     STORE_NAME_MAX_CHARS);
        return t ? t : T(r, "Fyll i namn.");
    }
    return T(r, "Användarnamnet får bara innehålla a–z, A–Z, siffror och . _ - @.");
}

void page_users_post(struct web_req *r)
{
    const char *action = form_get(&r->body, "action");
    const char *login = form_get(&r->body, "login");
    struct auth_actor by = {r->sess.account.login, r->sess.row.org};
    char msg[256];
    enum err e;
    if (!action || !login) {
        users_page(r, 400, "login", T(r, "Fyll i användarnamn."));
        return;
    }
    if (strcmp(action, "add") == 0) {
        const char *name = form_get(&r->body, "name");
        const char *password = form_get(&r->body, "password");
        e = auth_user_add(r->store, &by, login, name ? name : "", password ? password : "", r->now,
                          msg, sizeof(msg));
        if (e != ERR_OK) {
            const char *field;
            const char *text = user_error(r, e, msg, &field);
            users_page(r, e == ERR_STORE ? 500 : 400, field, text);
            return;
        }
    } else if (strcmp(action, "grant") == 0 || strcmp(action, "revoke") == 0) {
        enum perm_role pr;
        const char *role = form_get(&r->body, "role");
        const char *org = form_get(&r->body, "org");
        if (perm_parse(role, &pr) != ERR_OK) {
            users_page(r, 400, "role", T(r, "Okänd roll."));
            return;
        }
        e = auth_user_role(r->store, &by, login, pr, org ? org : "", strcmp(action, "grant") == 0,
                           r->now, msg, sizeof(msg));
        if (e != ERR_OK) {
            const char *field;
            const char *text = user_error(r, e, msg, &field);
            users_page(r, e == ERR_STORE ? 500 : 400, field, text);
            return;
        }
    } else {
        users_page(r, 400, NULL, T(r, "Okänd åtgärd."));
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
    if (store_token_list(r->store, r->sess.account.id, &t, &n) != ERR_OK) {
        web_error_page(r, 500, "Tjänsten kunde inte nå databasen. Försök igen om en stund.");
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
           "<h2 id=\"tokens\">%s</h2>\n<p>%s</p>\n<table>\n<caption>%s</caption>\n<thead><tr>"
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
    char msg[256];
    const char *cur = form_get(&r->body, "current");
    const char *pw = form_get(&r->body, "password");
    enum err e = auth_passwd_self(r->store, &r->sess, cur ? cur : "", pw ? pw : "", r->now, msg,
                                  sizeof(msg));
    if (e == ERR_DENIED) {
        account_page(r, 400, T(r, "Det nuvarande lösenordet stämmer inte."), "current", NULL);
        return;
    }
    if (e == ERR_INVALID) {
        account_page(r, 400, T(r, "Lösenordet måste ha 10–256 tecken."), "password", NULL);
        return;
    }
    if (e != ERR_OK) {
        web_error_page(r, 500, "Tjänsten kunde inte nå databasen. Försök igen om en stund.");
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
    char msg[256], tok[AUTH_TOKEN_LEN];
    struct auth_actor by = {r->sess.account.login, r->sess.row.org};
    if (action && strcmp(action, "create") == 0) {
        const char *name = form_get(&r->body, "name");
        enum err e = auth_token_create(r->store, &by, r->sess.account.login, name ? name : "",
                                       r->sess.row.org, r->now, tok, msg, sizeof(msg));
        if (e == ERR_INVALID) {
            account_page(r, 400, T(r, "Ge nyckeln ett namn."), "name", NULL);
            return;
        }
        if (e != ERR_OK) {
            web_error_page(r, e == ERR_DENIED ? 403 : 500,
                           e == ERR_DENIED ? "Din roll ger inte tillgång till sidan."
                                           : "Tjänsten kunde inte nå databasen. Försök igen om "
                                             "en stund.");
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
        enum err e = auth_token_revoke(r->store, &by, (long long)id, r->sess.account.id, r->now);
        if (e == ERR_NOTFOUND) {
            web_error_page(r, 404, "Sidan finns inte.");
            return;
        }
        if (e != ERR_OK) {
            web_error_page(r, 500, "Tjänsten kunde inte nå databasen. Försök igen om en stund.");
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
    enum err e = audit_verify(r->store, &rep);
    if (e != ERR_OK && e != ERR_INVALID) {
        web_error_page(r, 500, "Tjänsten kunde inte nå databasen. Försök igen om en stund.");
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
           "<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">#</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "</tr></thead>\n<tbody>\n",
           T(r, "Poster i tidsordning"), T(r, "Tid (UTC)"), T(r, "Vem"), T(r, "Organisation"),
           T(r, "Händelse"), T(r, "Objekt"), T(r, "Kontrollsumma"));
    if (store_audit_each(r->store, object, 1000, audit_row, r) != ERR_OK) {
        web_error_page(r, 500, "Tjänsten kunde inte nå databasen. Försök igen om en stund.");
        return;
    }
    html_lit(&r->out, "</tbody>\n</table>\n");
    page_end(r);
}
