/* pages_pay.c - paying out on the web (service/payments.h): the list of
 * batches with what is waiting to be paid, a batch's page (its payments,
 * totals, who prepared and who attested it, its file and the bank's
 * answers) with attest / send back / make the file, the bank file's
 * download, and the upload of the bank's replies. Each form is one
 * service action; the route table names who may post it. */
#include <stdlib.h>
#include <string.h>

#include "io/payfmt.h"
#include "service/payments.h"
#include "service/programs.h"
#include "util/arena.h"
#include "util/datadir.h"
#include "util/str.h"
#include "web/web.h"

static const char *state_label(struct web_req *r, enum payment_state st)
{
    return T(r, payment_state_label_sv(st));
}

static const char *acct_label(enum payment_acct k)
{
    switch (k) {
    case PAYMENT_ACCT_BANKGIRO:
        return N_("Bankgiro");
    case PAYMENT_ACCT_PLUSGIRO:
        return N_("Plusgiro");
    case PAYMENT_ACCT_IBAN:
        return N_("IBAN");
    case PAYMENT_ACCT_BBAN:
        return N_("Bankkonto");
    default:
        return "";
    }
}

static void batches_table(struct web_req *r, const struct store_pay_batch *bs, size_t n)
{
    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-b\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-b\">%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Utbetalningsomgångar"), T(r, "Omgång"), T(r, "Läge"), T(r, "Sammanställd av"),
           T(r, "Attesterad av"), T(r, "Bankfil"));
    for (size_t i = 0; i < n; i++)
        html_f(&r->out,
               "<tr><th scope=\"row\"><a href=\"/utbetalningar/omgang/%s\">%s</a></th><td>%s</td>"
               "<td>%s</td><td>%s</td><td>%s</td></tr>\n",
               bs[i].number, bs[i].number, T(r, pay_batch_state_label_sv(bs[i].b.state)),
               bs[i].b.prepared_by, bs[i].b.attested_by, bs[i].b.file_id);
    if (!n)
        html_f(&r->out, "<tr><td colspan=\"5\">%s</td></tr>\n",
               T(r, "Inga utbetalningsomgångar ännu."));
    html_lit(&r->out, "</tbody></table></div>\n");
}

/* The appropriation ledger of each program, for those who may read it. */
static void ledger_links(struct web_req *r)
{
    if (!web_may(r, ACT_LEDGER_READ, NULL))
        return;
    struct store_program *ps = NULL;
    size_t n = 0;
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    if (programs_list(r->store, &who, r->now, &ps, &n, &res) != ERR_OK || !n) {
        programs_list_free(ps, n);
        return;
    }
    html_f(&r->out, "<h2>%s</h2>\n<ul>\n", T(r, "Anslagsredovisning"));
    for (size_t i = 0; i < n; i++)
        html_f(&r->out, "<li><a href=\"/programs/%s/anslag\">%s</a></li>\n", ps[i].id,
               web_program_text(r, ps[i].id, NULL, ps[i].title));
    html_lit(&r->out, "</ul>\n");
    programs_list_free(ps, n);
}

static void program_select(struct web_req *r, const char *id, const char *label, int any)
{
    struct store_program *ps = NULL;
    size_t n = 0;
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    if (programs_list(r->store, &who, r->now, &ps, &n, &res) != ERR_OK)
        n = 0;
    html_f(&r->out, "<p><label for=\"%s\">%s</label><select id=\"%s\" name=\"program\">", id,
           T(r, label), id);
    if (any)
        html_f(&r->out, "<option value=\"\">%s</option>", T(r, "Alla program"));
    for (size_t i = 0; i < n; i++)
        html_f(&r->out, "<option value=\"%s\">%s</option>", ps[i].id,
               web_program_text(r, ps[i].id, NULL, ps[i].title));
    html_lit(&r->out, "</select></p>\n");
    programs_list_free(ps, n);
}

/* GET /utbetalningar */
void page_pay_index(struct web_req *r)
{
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    struct store_pay_batch *bs = NULL;
    size_t nb = 0;
    enum err e = pay_batches(r->store, &who, r->now, &bs, &nb, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    struct store_payment *ps = NULL;
    size_t np = 0;
    e = pay_list(r->store, &who, r->now, NULL, NULL, &ps, &np, &res);
    if (e != ERR_OK) {
        free(bs);
        reqweb_fail(r, e, &res);
        return;
    }
    size_t waiting = 0;
    int64_t waiting_ore = 0;
    for (size_t i = 0; i < np; i++)
        if (ps[i].p.state == PAYMENT_CREATED) {
            waiting++;
            waiting_ore += ps[i].p.amount;
        }
    page_begin(r, T(r, "Utbetalningar"));
    html_f(&r->out, "<h1>%s</h1>\n", T(r, "Utbetalningar"));
    char amt[64];
    reqweb_kr(r, amt, sizeof(amt), waiting_ore);
    html_f(&r->out, "<p>%s: %zu (%s)</p>\n", T(r, "Utbetalningar som väntar på en omgång"), waiting,
           amt);
    batches_table(r, bs, nb);
    ledger_links(r);
    if (web_may(r, ACT_PAY_CREATE, NULL)) {
        html_f(&r->out,
               "<h2>%s</h2>\n<p>%s</p>\n<form method=\"post\" action=\"/utbetalningar/skapa\" "
               "class=\"form\">\n",
               T(r, "Skapa utbetalningar"),
               T(r, "En utbetalning för varje beviljat beslut i programmet som inte har någon, "
                    "till kontot i rekvisitionens senaste version."));
        page_csrf(r);
        program_select(r, "skapa-program", "Program", 0);
        html_f(&r->out, "<p><button type=\"submit\">%s</button></p>\n</form>\n",
               T(r, "Skapa utbetalningar"));
    }
    if (web_may(r, ACT_PAY_BATCH, NULL) && waiting) {
        html_f(&r->out,
               "<h2>%s</h2>\n<form method=\"post\" action=\"/utbetalningar/omgang\" "
               "class=\"form\">\n",
               T(r, "Ny utbetalningsomgång"));
        page_csrf(r);
        program_select(r, "omgang-program", "Program", 1);
        html_f(&r->out, "<p><button type=\"submit\">%s</button></p>\n</form>\n",
               T(r, "Sammanställ en omgång"));
    }
    if (web_may(r, ACT_PAY_REPLY, NULL)) {
        html_f(&r->out,
               "<h2>%s</h2>\n<p>%s</p>\n<form method=\"post\" action=\"/utbetalningar/svar\" "
               "enctype=\"multipart/form-data\" class=\"form\">\n",
               T(r, "Läs in bankens svar"),
               T(r, "En statusrapport (pain.002) eller en avisering om belastningar (camt.054)."));
        page_csrf(r);
        html_f(&r->out,
               "<p><label for=\"svar\">%s</label><input type=\"file\" id=\"svar\" name=\"svar\" "
               "accept=\".xml\"></p>\n<p><button type=\"submit\">%s</button></p>\n</form>\n",
               T(r, "Fil från banken (.xml)"), T(r, "Läs in"));
    }
    page_end(r);
    free(ps);
    free(bs);
}

/* GET /utbetalningar/omgang/NUMBER */
void page_pay_batch(struct web_req *r)
{
    const char *number = r->segs[0];
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    struct store_payment *ps = NULL;
    size_t np = 0;
    enum err e = pay_list(r->store, &who, r->now, NULL, number, &ps, &np, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    struct store_pay_batch *bs = NULL;
    size_t nb = 0;
    e = pay_batches(r->store, &who, r->now, &bs, &nb, &res);
    const struct store_pay_batch *b = NULL;
    for (size_t i = 0; e == ERR_OK && i < nb; i++)
        if (strcmp(bs[i].number, number) == 0)
            b = &bs[i];
    if (!b) {
        free(ps);
        free(bs);
        reqweb_fail(r, e == ERR_OK ? ERR_NOTFOUND : e, &res);
        return;
    }
    int64_t total = 0;
    for (size_t i = 0; i < np; i++)
        total += ps[i].p.amount;
    char *title = arena_printf(r->arena, "%s %s", T(r, "Utbetalningsomgång"), number);
    page_begin(r, title ? title : number);
    html_f(&r->out, "<h1>%s <span class=\"sub\">%s</span></h1>\n", T(r, "Utbetalningsomgång"),
           number);
    html_f(&r->out, "<p><a href=\"/utbetalningar\">%s</a></p>\n", T(r, "Alla utbetalningar"));
    char amt[64];
    reqweb_kr(r, amt, sizeof(amt), total);
    html_f(&r->out, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%zu</dd>",
           T(r, "Läge"), T(r, pay_batch_state_label_sv(b->b.state)), T(r, "Utbetalningar"), np);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>", T(r, "Summa"), amt,
           T(r, "Sammanställd av"), b->b.prepared_by);
    if (b->b.attested_by[0])
        html_f(&r->out, "<dt>%s</dt><dd>%s (%s)</dd>", T(r, "Attesterad av"), b->b.attested_by,
               b->attested_at);
    if (b->b.return_reason[0])
        html_f(&r->out, "<dt>%s</dt><dd>%s: %s</dd>", T(r, "Tillbakaskickad"), b->b.returned_by,
               b->b.return_reason);
    html_f(&r->out,
           "<dt>%s</dt><dd><a href=\"/utbetalningar/omgang/%s/omgang.xlsx\" download>XLSX</a>, "
           "<a href=\"/utbetalningar/omgang/%s/omgang.csv\" download>CSV</a></dd>",
           T(r, "Hämta"), number, number);
    if (b->b.file_id[0])
        html_f(&r->out,
               "<dt>%s</dt><dd><a href=\"/utbetalningar/omgang/%s/bankfil.xml\" "
               "download>%s</a></dd>",
               T(r, "Bankfil"), number, b->b.file_id);
    html_lit(&r->out, "</dl>\n");
    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-p\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-p\">%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Utbetalningar i omgången"), T(r, "Beslut"), T(r, "Ärende"), T(r, "Mottagare"),
           T(r, "Konto"), T(r, "Belopp"), T(r, "Förfallodag"), T(r, "Läge"),
           T(r, "Bankens besked"));
    for (size_t i = 0; i < np; i++) {
        const struct store_payment *p = &ps[i];
        char due[11], a[64];
        date_fmt(due, sizeof(due), p->p.due);
        reqweb_kr(r, a, sizeof(a), p->p.amount);
        html_f(&r->out,
               "<tr><th scope=\"row\">%s</th><td><a href=\"/rekvisitioner/%s\">%s</a></td>"
               "<td>%s %s</td><td>%s %s</td><td class=\"num\">%s</td><td>%s</td><td>%s</td>"
               "<td>%s %s</td></tr>\n",
               p->p.decision, p->p.case_no, p->p.case_no, p->recipient, p->p.payee.name,
               T(r, acct_label(p->p.payee.kind)), p->p.payee.number, a, due,
               state_label(r, p->p.state), p->p.bank_code, p->p.bank_reason);
    }
    html_lit(&r->out, "</tbody></table></div>\n");
    if (b->b.state == PAYMENT_BATCH_OPEN && web_may(r, ACT_PAY_ATTEST, NULL)) {
        html_f(&r->out,
               "<h2>%s</h2>\n<form method=\"post\" action=\"/utbetalningar/omgang/%s/attest\" "
               "class=\"form\">\n",
               T(r, "Attestera"), number);
        page_csrf(r);
        html_f(&r->out,
               "<input type=\"hidden\" name=\"action\" value=\"attest\">"
               "<p><button type=\"submit\">%s</button></p>\n</form>\n",
               T(r, "Attestera omgången"));
        html_f(&r->out,
               "<form method=\"post\" action=\"/utbetalningar/omgang/%s/attest\" "
               "class=\"form\">\n",
               number);
        page_csrf(r);
        html_f(&r->out,
               "<input type=\"hidden\" name=\"action\" value=\"return\">"
               "<p><label for=\"reason\">%s</label><textarea id=\"reason\" name=\"reason\" "
               "maxlength=\"200\" rows=\"2\"></textarea></p>\n"
               "<p><button type=\"submit\">%s</button></p>\n</form>\n",
               T(r, "Skäl att skicka tillbaka"), T(r, "Skicka tillbaka till den som sammanställt"));
    }
    if (b->b.state == PAYMENT_BATCH_ATTESTED && web_may(r, ACT_PAY_FILE, NULL)) {
        html_f(&r->out,
               "<h2>%s</h2>\n<form method=\"post\" action=\"/utbetalningar/omgang/%s/bankfil\" "
               "class=\"form\">\n",
               T(r, "Bankfil"), number);
        page_csrf(r);
        html_f(&r->out, "<p><button type=\"submit\">%s</button></p>\n</form>\n",
               T(r, "Skapa bankfilen (pain.001)"));
    }
    page_end(r);
    free(ps);
    free(bs);
}

static void to_batch(struct web_req *r, const char *number)
{
    char *loc = arena_printf(r->arena, "/utbetalningar/omgang/%s", number);
    web_redirect(r, loc ? loc : "/utbetalningar");
}

/* POST /utbetalningar/skapa */
void page_pay_create_post(struct web_req *r)
{
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    const char *program = form_get(&r->body, "program");
    size_t n = 0;
    int64_t total = 0;
    enum err e = pay_create(r->store, &who, r->now, program ? program : "", &n, &total, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    web_redirect(r, "/utbetalningar");
}

/* POST /utbetalningar/omgang */
void page_pay_batch_post(struct web_req *r)
{
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    const char *program = form_get(&r->body, "program");
    char number[PAYMENT_ID_SIZE];
    size_t n = 0;
    int64_t total = 0;
    enum err e = pay_batch_new(r->store, &who, r->now, program && program[0] ? program : NULL,
                               number, &n, &total, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    to_batch(r, number);
}

/* POST /utbetalningar/omgang/NUMBER/attest: action=attest or return */
void page_pay_attest_post(struct web_req *r)
{
    const char *number = r->segs[0];
    const char *action = form_get(&r->body, "action");
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    enum err e;
    if (action && strcmp(action, "return") == 0)
        e = pay_batch_return(r->store, &who, r->now, number, form_get(&r->body, "reason"), &res);
    else if (action && strcmp(action, "attest") == 0)
        e = pay_batch_attest(r->store, &who, r->now, number, &res);
    else {
        web_error_page(r, 400, N_("Formuläret saknar vad som ska göras."));
        return;
    }
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    to_batch(r, number);
}

/* POST /utbetalningar/omgang/NUMBER/bankfil */
void page_pay_file_post(struct web_req *r)
{
    const char *number = r->segs[0];
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    struct buf out;
    buf_init(&out, (size_t)256 << 20);
    struct diag d;
    diag_init(&d, 20);
    char msg_id[PAYMENT_ID_SIZE];
    enum err e =
        pay_batch_file(r->store, &who, r->now, number, data_dir(NULL), &out, msg_id, &d, &res);
    buf_release(&out);
    diag_release(&d);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    to_batch(r, number);
}

/* GET /utbetalningar/omgang/NUMBER/bankfil.xml */
void page_pay_file(struct web_req *r)
{
    const char *number = r->segs[0];
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    char msg_id[PAYMENT_ID_SIZE];
    buf_reset(&r->data);
    enum err e = pay_file_get(r->store, &who, r->now, number, &r->data, msg_id, &res);
    if (e != ERR_OK) {
        buf_reset(&r->data);
        reqweb_fail(r, e, &res);
        return;
    }
    r->ctype = "application/xml; charset=utf-8";
    r->has_data = 1;
    char *cd = arena_printf(r->arena, "attachment; filename=\"%s.xml\"", msg_id);
    if (cd)
        web_add_header(r, "Content-Disposition", cd);
}

/* POST /utbetalningar/svar (multipart: svar) */
void page_pay_reply_post(struct web_req *r)
{
    const struct mp_file *f = NULL;
    for (size_t i = 0; i < r->files.n; i++)
        if (strcmp(r->files.v[i].name, "svar") == 0)
            f = &r->files.v[i];
    if (!f || !f->len) {
        web_error_page(r, 400, N_("Välj filen från banken."));
        return;
    }
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    struct diag d;
    diag_init(&d, 20);
    struct pay_reply_sum sum;
    const char *name = f->filename && f->filename[0] ? f->filename : "svar.xml";
    enum err e =
        pay_reply(r->store, &who, r->now, (const char *)f->data, f->len, name, &sum, &d, &res);
    r->status = reqweb_status(e);
    page_begin(r, T(r, "Bankens svar"));
    html_f(&r->out, "<h1>%s</h1>\n", T(r, "Bankens svar"));
    if (e != ERR_OK) {
        html_f(&r->out, "<div class=\"error-summary\" role=\"alert\"><p>%s</p>",
               web_msg(r, &res.msg));
        if (d.total) {
            html_lit(&r->out, "<ul>");
            for (size_t i = 0; i < d.n; i++)
                html_f(&r->out, "<li>%s</li>", d.msg[i]);
            html_lit(&r->out, "</ul>");
        }
        html_f(&r->out, "<p>%s</p></div>\n", T(r, "Ingenting har ändrats."));
    } else {
        html_f(&r->out,
               "<p class=\"ok\" role=\"status\">%s</p>\n<dl class=\"facts\"><dt>%s</dt><dd>%s</dd>"
               "<dt>%s</dt><dd>%zu</dd><dt>%s</dt><dd>%zu</dd><dt>%s</dt><dd>%zu</dd>"
               "<dt>%s</dt><dd>%zu</dd><dt>%s</dt><dd>%zu</dd></dl>\n",
               T(r, "Svaret är inläst."), T(r, "Format"), sum.format, T(r, "Godkända av banken"),
               sum.accepted, T(r, "Avvisade av banken"), sum.rejected, T(r, "Bokförda"), sum.booked,
               T(r, "Okända besked"), sum.unknown, T(r, "Inte våra"), sum.unmatched);
        if (sum.file_refused)
            html_f(&r->out, "<p class=\"error\">%s</p>\n",
                   T(r, "Banken avvisade hela filen: omgången är attesterad igen och kan få en "
                        "ny bankfil."));
    }
    html_f(&r->out, "<p><a href=\"/utbetalningar\">%s</a></p>\n", T(r, "Alla utbetalningar"));
    page_end(r);
    diag_release(&d);
}

/* GET /org/CODE/utbetalningar: the organisation's own payments */
void page_pay_org(struct web_req *r)
{
    const char *org = r->segs[0];
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    struct store_payment *ps = NULL;
    size_t n = 0;
    enum err e = pay_of_org(r->store, &who, r->now, org, &ps, &n, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    page_begin(r, T(r, "Utbetalningar"));
    html_f(&r->out, "<h1>%s <span class=\"sub\">%s</span></h1>\n", T(r, "Utbetalningar"), org);
    html_f(&r->out, "<p>%s</p>\n",
           T(r, "Statsbidrag som Socialstyrelsen betalar ut eller har betalat ut till "
                "organisationen. Referensen står på betalningen till ert konto."));
    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-o\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-o\">%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "</tr></thead>\n<tbody>\n",
           T(r, "Organisationens utbetalningar"), T(r, "Beslut"), T(r, "Ärende"), T(r, "Belopp"),
           T(r, "Förfallodag"), T(r, "Referens"), T(r, "Läge"));
    for (size_t i = 0; i < n; i++) {
        const struct store_payment *p = &ps[i];
        char due[11], a[64], ref[STR_UTF8_SIZE(PAYMENT_USTRD_MAX_CHARS)], bad[5];
        date_fmt(due, sizeof(due), p->p.due);
        reqweb_kr(r, a, sizeof(a), p->p.amount);
        if (p->p.ocr[0])
            str_copy(ref, sizeof(ref), p->p.ocr);
        else if (payment_remittance(&p->p, ref, sizeof(ref), bad) != ERR_OK)
            ref[0] = '\0';
        html_f(&r->out,
               "<tr><th scope=\"row\">%s</th><td>%s</td><td class=\"num\">%s</td><td>%s</td>"
               "<td lang=\"sv\">%s</td><td>%s</td></tr>\n",
               p->p.decision, p->p.case_no, a, due, ref, state_label(r, p->p.state));
    }
    if (!n)
        html_f(&r->out, "<tr><td colspan=\"6\">%s</td></tr>\n", T(r, "Inga utbetalningar ännu."));
    html_lit(&r->out, "</tbody></table></div>\n");
    html_f(&r->out, "<p><a href=\"/org/%s\">%s</a></p>\n", org, T(r, "Till organisationens sida"));
    page_end(r);
    free(ps);
}

/* GET /utbetalningar/omgang/NUMBER/omgang.csv and .xlsx */
static void batch_sheet(struct web_req *r, int xlsx)
{
    const char *number = r->segs[0];
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    struct store_payment *ps = NULL;
    size_t np = 0;
    struct store_pay_batch *bs = NULL;
    size_t nb = 0;
    enum err e = pay_list(r->store, &who, r->now, NULL, number, &ps, &np, &res);
    if (e == ERR_OK)
        e = pay_batches(r->store, &who, r->now, &bs, &nb, &res);
    if (e != ERR_OK) {
        free(ps);
        free(bs);
        reqweb_fail(r, e, &res);
        return;
    }
    struct payfmt_row *rows = calloc(np ? np : 1, sizeof(*rows));
    for (size_t i = 0; rows && i < np; i++)
        rows[i] = (struct payfmt_row){&ps[i].p, ps[i].program, ps[i].recipient};
    struct payfmt_batch fb = {number, "", "", "", "", ""};
    for (size_t i = 0; i < nb; i++)
        if (strcmp(bs[i].number, number) == 0)
            fb = (struct payfmt_batch){bs[i].number,        pay_batch_state_label_sv(bs[i].b.state),
                                       bs[i].b.prepared_by, bs[i].b.attested_by,
                                       bs[i].attested_at,   bs[i].b.file_id};
    buf_reset(&r->data);
    e = !rows  ? ERR_NOMEM
        : xlsx ? payfmt_xlsx(&fb, rows, np, &r->data)
               : payfmt_csv(rows, np, &r->data);
    free(rows);
    free(ps);
    free(bs);
    if (e != ERR_OK) {
        buf_reset(&r->data);
        web_error_page(r, 500, N_("Filen kunde inte skapas. Försök igen om en stund."));
        return;
    }
    r->ctype = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    : "text/csv; charset=utf-8";
    r->has_data = 1;
    char *cd =
        arena_printf(r->arena, "attachment; filename=\"%s.%s\"", number, xlsx ? "xlsx" : "csv");
    if (cd)
        web_add_header(r, "Content-Disposition", cd);
}

void page_pay_batch_csv(struct web_req *r)
{
    batch_sheet(r, 0);
}

void page_pay_batch_xlsx(struct web_req *r)
{
    batch_sheet(r, 1);
}
