/* page.c - the frame of every HTML page: language, landmarks, skip link,
 * navigation for the person's roles, the logout form. */
#include <string.h>

#include "web/web.h"

static void nav_link(struct web_req *r, const char *href, const char *sv)
{
    int here = strcmp(r->path, href) == 0;
    if (here)
        html_f(&r->out, "<li><a href=\"%s\" aria-current=\"page\">%s</a></li>", href, T(r, sv));
    else
        html_f(&r->out, "<li><a href=\"%s\">%s</a></li>", href, T(r, sv));
}

void page_csrf(struct web_req *r)
{
    if (r->authed)
        html_f(&r->out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->sess.row.csrf);
}

void page_begin(struct web_req *r, const char *title)
{
    r->ctype = "text/html; charset=utf-8";
    html_f(&r->out,
           "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<title>%s – Bidrag</title>\n"
           "<link rel=\"stylesheet\" href=\"/static/bidrag.css\">\n</head>\n<body>\n"
           "<a class=\"skip\" href=\"#main\">%s</a>\n"
           "<header class=\"top\">\n<p class=\"brand\">Bidrag <span>%s</span></p>\n",
           i18n_code(r->lang), title, T(r, "Hoppa till innehållet"),
           T(r, "Socialstyrelsens e-tjänst för statsbidrag"));
    if (r->authed && r->sess.row.org_chosen) {
        html_f(&r->out, "<nav aria-label=\"%s\"><ul>", T(r, "Huvudmeny"));
        nav_link(r, "/start", "Startsida");
        nav_link(r, "/programs", "Statsbidrag");
        nav_link(r, "/statistik", "Statistik");
        if (web_may(r, ACT_ORG_READ, r->sess.row.org)) {
            char *href = arena_printf(r->arena, "/org/%s", r->sess.row.org);
            if (href)
                nav_link(r, href, "Organisationen");
        }
        if (web_may(r, ACT_USER_READ, NULL))
            nav_link(r, "/admin/users", "Användare");
        nav_link(r, "/account", "Mitt konto");
        if (web_may(r, ACT_AUDIT_READ, NULL))
            nav_link(r, "/audit", "Granskningslogg");
        html_lit(&r->out, "</ul></nav>\n");
    }
    if (r->authed) {
        html_f(&r->out, "<div class=\"who\"><span>%s</span>", r->sess.account.name);
        if (r->sess.row.org_chosen && r->sess.row.org[0])
            html_f(&r->out, " <span>(%s %s)</span>", T(r, "för"), r->sess.row.org);
        html_f(&r->out,
               "<form method=\"post\" action=\"/logout\">"
               "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
               "<button type=\"submit\">%s</button></form></div>\n",
               r->sess.row.csrf, T(r, "Logga ut"));
    }
    if (r->lang == LANG_SV)
        html_f(&r->out, "<p class=\"lang\"><a href=\"%s?lang=en\" lang=\"en\">English</a></p>\n",
               r->path);
    else
        html_f(&r->out, "<p class=\"lang\"><a href=\"%s?lang=sv\" lang=\"sv\">Svenska</a></p>\n",
               r->path);
    html_lit(&r->out, "</header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

void page_end(struct web_req *r)
{
    html_f(&r->out, "</main>\n<footer><p>%s</p></footer>\n</body>\n</html>\n",
           T(r, "Socialstyrelsen – riktade statsbidrag till kommuner och regioner"));
}
