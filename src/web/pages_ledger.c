/* pages_ledger.c - the appropriation ledger on the web and in the API
 * (service/ledgersvc.h): a program's items with their balances
 * (allocated, decided, paid, repaid, own costs, available), the bookings
 * of the whole program or of one item (?post=ID), the form that books the
 * agency's own costs, and the ledger as CSV, XLSX and JSON. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/ledgerfmt.h"
#include "service/ledgersvc.h"
#include "util/arena.h"
#include "util/civil.h"
#include "util/money.h"
#include "util/str.h"
#include "web/form.h"
#include "web/web.h"

static const char *kind_label(enum ledger_kind k)
{
    switch (k) {
    case LEDGER_ALLOCATE:
        return N_("Fördelning");
    case LEDGER_DECIDE:
        return N_("Beslut");
    case LEDGER_PAY:
        return N_("Utbetalning");
    case LEDGER_REPAY:
        return N_("Återbetalning");
    case LEDGER_OWN_COST:
        return N_("Egen kostnad");
    }
    return "";
}

/* The view, or NULL after the error page. */
static struct ledgersvc_view *open_view(struct web_req *r, int api)
{
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    struct ledgersvc_view *v = calloc(1, sizeof(*v));
    if (!v) {
        web_error_page(r, 500, N_("Sidan kunde inte visas. Försök igen om en stund."));
        return NULL;
    }
    enum err e = ledgersvc_open(r->store, &who, r->now, r->segs[0], v, &res);
    if (e != ERR_OK) {
        ledgersvc_view_release(v);
        free(v);
        if (api)
            web_api_fail(r, e, &res);
        else
            reqweb_fail(r, e, &res);
        return NULL;
    }
    return v;
}

static void close_view(struct ledgersvc_view *v)
{
    ledgersvc_view_release(v);
    free(v);
}

/* An item's name in the page's language. */
static const char *item_name(const struct web_req *r, const struct ledgersvc_view *v, size_t i)
{
    return program_text(r->lang, v->names[i], v->names_en[i]);
}

/* A booking's text in the page's language: made from its kind and
 * references (an own cost's text is the officer's own words). */
static const char *booking_text(struct web_req *r, const struct ledgersvc_view *v,
                                const struct ledger_booking *b)
{
    const char *t = NULL;
    switch (b->kind) {
    case LEDGER_ALLOCATE: {
        const char *block = strncmp(b->ref, "block ", 6) == 0 ? b->ref + 6 : b->ref;
        t = arena_printf(r->arena, "%s, block %s: %s", T(r, "Fördelning"), block,
                         web_program_text(r, v->program, block, NULL));
        break;
    }
    case LEDGER_DECIDE:
    case LEDGER_PAY:
    case LEDGER_REPAY:
        t = arena_printf(r->arena, "%s %s, %s", T(r, kind_label(b->kind)), b->ref, b->recipient);
        break;
    case LEDGER_OWN_COST:
        return b->text;
    }
    return t ? t : b->text;
}

static void balance_cells(struct web_req *r, const struct ledger_balance *b)
{
    const int64_t x[] = {b->amount, b->allocated, b->decided,  b->paid,
                         b->repaid, b->own_cost,  b->available};
    for (size_t i = 0; i < sizeof(x) / sizeof(x[0]); i++) {
        char amt[64];
        reqweb_kr(r, amt, sizeof(amt), x[i]);
        html_f(&r->out, "<td class=\"num\">%s</td>", amt);
    }
}

/* GET /programs/ID/anslag[?post=ITEM] */
void page_ledger(struct web_req *r)
{
    struct ledgersvc_view *v = open_view(r, 0);
    if (!v)
        return;
    const char *only = web_query(r, "post");
    if (only && !only[0])
        only = NULL;
    const char *title = web_program_text(r, v->program, NULL, v->title);
    char *heading = arena_printf(r->arena, "%s: %s", T(r, "Anslagsredovisning"), title);
    page_begin(r, heading ? heading : T(r, "Anslagsredovisning"));
    html_f(&r->out,
           "<h1>%s</h1>\n<p>%s %s. <a href=\"/programs/%s\">%s</a> · "
           "<a href=\"/utbetalningar\">%s</a></p>\n",
           heading ? heading : "", T(r, "Diarienummer"), v->diarienummer, v->program,
           T(r, "Programmet"), T(r, "Utbetalningar"));
    if (!v->l.n) {
        html_f(&r->out, "<p>%s</p>\n",
               T(r, "Programfilen anger inga anslagsposter, så programmet har ingen "
                    "anslagsredovisning."));
        page_end(r);
        close_view(v);
        return;
    }
    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-items\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-items\">%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Anslagsposter"), T(r, "Anslagspost"), T(r, "Belopp"), T(r, "Fördelat"),
           T(r, "Beslutat"), T(r, "Utbetalt"), T(r, "Återbetalt"), T(r, "Egna kostnader"),
           T(r, "Tillgängligt"));
    for (size_t i = 0; i < v->l.n; i++) {
        html_f(&r->out,
               "<tr><th scope=\"row\"><a href=\"/programs/%s/anslag?post=%s\">%s</a> %s</th>",
               v->program, v->l.items[i].id, v->l.items[i].id, item_name(r, v, i));
        balance_cells(r, &v->l.items[i].b);
        html_lit(&r->out, "</tr>\n");
    }
    struct ledger_balance t;
    if (ledger_balance(&v->l, NULL, &t) == ERR_OK) {
        html_f(&r->out, "<tr><th scope=\"row\">%s</th>", T(r, "Summa"));
        balance_cells(r, &t);
        html_lit(&r->out, "</tr>\n");
    }
    html_lit(&r->out, "</tbody></table></div>\n");
    html_f(&r->out,
           "<p>%s</p>\n<p><a href=\"/programs/%s/anslag.csv\">%s</a> · "
           "<a href=\"/programs/%s/anslag.xlsx\">%s</a></p>\n",
           T(r, "Tillgängligt är postens belopp med återbetalningar, minus egna kostnader och "
                "beslutat."),
           v->program, T(r, "Ladda ner som CSV"), v->program, T(r, "Ladda ner som Excel"));
    if (v->nproblems) {
        html_f(&r->out, "<h2>%s</h2>\n<ul>\n", T(r, "Bokningar som inte kunde göras"));
        for (size_t i = 0; i < v->nproblems; i++)
            html_f(&r->out, "<li>%s</li>\n", v->problems[i]);
        html_lit(&r->out, "</ul>\n");
    }
    if (web_may(r, ACT_LEDGER_OWN_COST, NULL) && v->own_cost_item[0]) {
        html_f(&r->out,
               "<h2>%s</h2>\n<form method=\"post\" action=\"/programs/%s/anslag\" "
               "class=\"form\">\n",
               T(r, "Boka egna kostnader"), v->program);
        page_csrf(r);
        html_f(&r->out,
               "<input type=\"hidden\" name=\"item\" value=\"%s\">\n"
               "<p>%s %s</p>\n"
               "<p><label for=\"cost-amount\">%s</label><input id=\"cost-amount\" "
               "name=\"amount\" inputmode=\"decimal\" required></p>\n"
               "<p><label for=\"cost-text\">%s</label><input id=\"cost-text\" name=\"text\" "
               "maxlength=\"200\" required></p>\n"
               "<p><button type=\"submit\">%s</button></p>\n</form>\n",
               v->own_cost_item, T(r, "Anslagspost"), v->own_cost_item, T(r, "Belopp (kr)"),
               T(r, "Vad kostnaden avser"), T(r, "Boka"));
    }
    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-book\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-book\">%s%s%s</caption>\n<thead><tr><th scope=\"col\">%s"
           "</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
           "</thead>\n<tbody>\n",
           T(r, "Bokningar"), only ? ", " : "", only ? only : "", T(r, "Nr"), T(r, "Datum"),
           T(r, "Slag"), T(r, "Anslagspost"), T(r, "Belopp"), T(r, "Hänvisning"), T(r, "Text"));
    size_t shown = 0;
    for (size_t i = 0; i < v->n; i++) {
        const struct ledger_booking *b = &v->b[i];
        if (only && strcmp(b->item, only) != 0)
            continue;
        char d[11], amt[64];
        date_fmt(d, sizeof(d), b->date);
        reqweb_kr(r, amt, sizeof(amt), b->amount);
        html_f(&r->out,
               "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td class=\"num\">%s</td>"
               "<td>%s</td><td>%s</td></tr>\n",
               b->no, d, T(r, kind_label(b->kind)), b->item, amt, b->ref, booking_text(r, v, b));
        shown++;
    }
    if (!shown)
        html_f(&r->out, "<tr><td colspan=\"7\">%s</td></tr>\n", T(r, "Inga bokningar."));
    html_lit(&r->out, "</tbody></table></div>\n");
    page_end(r);
    close_view(v);
}

/* POST /programs/ID/anslag: item, amount (kronor), text */
void page_ledger_cost_post(struct web_req *r)
{
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    const char *item = form_get(&r->body, "item"), *amount = form_get(&r->body, "amount");
    const char *text = form_get(&r->body, "text");
    int64_t ore = 0;
    if (!amount || money_parse(amount, &ore) != ERR_OK || ore == 0) {
        svc_result_init(&res);
        msg_setf(&res.msg, M_("Ange beloppet i kronor, till exempel 12 500,50."));
        reqweb_fail(r, ERR_PARSE, &res);
        return;
    }
    enum err e = ledgersvc_own_cost(r->store, &who, r->now, r->segs[0], item ? item : "", ore,
                                    text ? text : "", &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    char *to = arena_printf(r->arena, "/programs/%s/anslag", r->segs[0]);
    web_redirect(r, to ? to : "/utbetalningar");
}

static void sheet(struct web_req *r, int xlsx)
{
    struct ledgersvc_view *v = open_view(r, 0);
    if (!v)
        return;
    buf_reset(&r->data);
    enum err e;
    if (xlsx) {
        char made[CIVIL_TIME_LEN];
        civil_fmt(made, sizeof(made), r->now);
        struct ledgerfmt_head h = {v->program, v->title, v->diarienummer, v->decision, made};
        e = ledgerfmt_xlsx(&h, &v->l, v->names, v->b, v->n, &r->data);
    } else {
        e = ledgerfmt_balances_csv(&v->l, v->names, &r->data);
        if (e == ERR_OK)
            e = buf_puts(&r->data, "\n");
        if (e == ERR_OK)
            e = ledgerfmt_bookings_csv(v->b, v->n, &r->data);
    }
    char *cd = arena_printf(r->arena, "attachment; filename=\"anslag-%s.%s\"", v->program,
                            xlsx ? "xlsx" : "csv");
    close_view(v);
    if (e != ERR_OK) {
        buf_reset(&r->data);
        web_error_page(r, 500, N_("Filen kunde inte skapas. Försök igen om en stund."));
        return;
    }
    r->ctype = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    : "text/csv; charset=utf-8";
    r->has_data = 1;
    if (cd)
        web_add_header(r, "Content-Disposition", cd);
}

void page_ledger_csv(struct web_req *r)
{
    sheet(r, 0);
}

void page_ledger_xlsx(struct web_req *r)
{
    sheet(r, 1);
}

static json_t *balance_json(const struct ledger_balance *b)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "amount_ore", (json_int_t)b->amount,
                     "allocated_ore", (json_int_t)b->allocated, "decided_ore",
                     (json_int_t)b->decided, "paid_ore", (json_int_t)b->paid, "repaid_ore",
                     (json_int_t)b->repaid, "own_cost_ore", (json_int_t)b->own_cost,
                     "available_ore", (json_int_t)b->available);
}

/* GET /api/v1/programs/ID/ledger */
void api_program_ledger(struct web_req *r)
{
    struct ledgersvc_view *v = open_view(r, 1);
    if (!v)
        return;
    json_t *items = json_array(), *books = json_array(), *problems = json_array();
    int bad = !items || !books || !problems;
    for (size_t i = 0; !bad && i < v->l.n; i++) {
        json_t *b = balance_json(&v->l.items[i].b);
        bad = !b || json_object_set_new(b, "item", json_string(v->l.items[i].id)) ||
              json_object_set_new(b, "name", json_string(v->names[i])) ||
              json_array_append_new(items, b);
    }
    for (size_t i = 0; !bad && i < v->n; i++) {
        char d[11];
        date_fmt(d, sizeof(d), v->b[i].date);
        json_t *b = json_pack("{s:i, s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "no", v->b[i].no, "date",
                              d, "kind", ledger_kind_id(v->b[i].kind), "item", v->b[i].item,
                              "amount_ore", (json_int_t)v->b[i].amount, "ref", v->b[i].ref,
                              "recipient", v->b[i].recipient, "text", v->b[i].text);
        bad = !b || json_array_append_new(books, b);
    }
    for (size_t i = 0; !bad && i < v->nproblems; i++)
        bad = json_array_append_new(problems, json_string(v->problems[i]));
    struct ledger_balance t;
    json_t *total = !bad && ledger_balance(&v->l, NULL, &t) == ERR_OK ? balance_json(&t) : NULL;
    json_t *out = NULL;
    if (!bad && total) {
        out = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "program", v->program,
                        "diarienummer", v->diarienummer, "own_cost_item", v->own_cost_item, "items",
                        items, "total", total, "bookings", books, "problems", problems);
        items = books = problems = total = NULL;
    }
    json_decref(items);
    json_decref(books);
    json_decref(problems);
    json_decref(total);
    close_view(v);
    if (!out) {
        web_error_page(r, 500, N_("Sidan kunde inte visas. Försök igen om en stund."));
        return;
    }
    web_json(r, 200, out);
}
