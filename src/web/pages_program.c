/* pages_program.c - the programs: the list, one program with its blocks,
 * dates and full allocation table (downloadable as CSV and XLSX), and the
 * same as JSON under /api/v1/programs. Every number comes from the allocation engine
 * through service/programs.h; nothing is computed here. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/allocfmt.h"
#include "service/programs.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/web.h"

static void kr(const struct web_req *r, char *out, size_t n, int64_t kronor)
{
    char num[48];
    i18n_fmt_int(r->lang, num, sizeof(num), kronor);
    snprintf(out, n, r->lang == LANG_EN ? "SEK %s" : "%s\xc2\xa0kr", num);
}

static void dl_date(const struct web_req *r, struct html *h, const char *label, struct date d)
{
    if (!date_is_set(d))
        return;
    char s[48];
    i18n_fmt_date(r->lang, s, sizeof(s), d);
    html_f(h, "<dt>%s</dt><dd>%s</dd>\n", T(r, label), s);
}

/* A kept view's memo (service/programs.h) in the request's language into
 * the page: fragments made once per view and language by the one HTML
 * writer, so escaped once. */
struct frag_ctx {
    struct web_req *r;
    void (*fn)(const struct web_req *r, struct html *h, const struct program_view *v);
};

static void frag_make(void *ctx, const struct program_view *v, struct buf *out)
{
    struct frag_ctx *fc = ctx;
    struct html h;
    html_init(&h, WEB_PAGE_MAX);
    fc->fn(fc->r, &h, v);
    if (html_failed(&h) || buf_append(out, h.b.p ? h.b.p : "", h.b.len) != ERR_OK)
        out->failed = 1;
    html_release(&h);
}

static void frag(struct web_req *r, struct programs_shared *ps, const char *name,
                 void (*fn)(const struct web_req *r, struct html *h, const struct program_view *v))
{
    char key[48];
    snprintf(key, sizeof(key), "%s/%d", name, (int)r->lang);
    struct frag_ctx fc = {r, fn};
    const char *bytes;
    size_t len;
    if (programs_shared_memo(ps, key, frag_make, &fc, &bytes, &len) == ERR_OK) {
        if (buf_append(&r->out.b, bytes, len) != ERR_OK)
            r->out.b.failed = 1;
        return;
    }
    fn(r, &r->out, programs_shared_view(ps)); /* not kept: made for this page alone */
}

/* Open the shared view of a program; on failure write the error page and
 * return NULL. */
static struct programs_shared *open_shared(struct web_req *r, const char *id)
{
    struct svc_actor who;
    struct svc_result res;
    struct programs_shared *ps = NULL;
    int found = 0;
    web_actor(r, &who);
    enum err e = programs_view(r->store, &who, r->now, id, &ps, &found, &res);
    if (e == ERR_OK)
        return ps;
    programs_shared_release(ps);
    if (e == ERR_DENIED)
        reqweb_fail(r, e, &res);
    else if (!found && e == ERR_NOTFOUND)
        web_error_page(r, 404, "Programmet finns inte.");
    else
        web_error_page(r, 500,
                       "Fördelningen kan inte beräknas just nu: underlag saknas. Kontakta "
                       "handläggaren.");
    return NULL;
}

const char *web_program_text(struct web_req *r, const char *prog, const char *block, const char *sv)
{
    if (r->lang == LANG_SV && sv)
        return sv;
    struct svc_actor who;
    struct svc_result res;
    struct programs_shared *ps = NULL;
    web_actor(r, &who);
    const char *out = sv;
    if (programs_view(r->store, &who, r->now, prog, &ps, NULL, &res) == ERR_OK) {
        const struct program *p = &programs_shared_view(ps)->prog;
        const char *t = program_text(r->lang, p->title, p->title_en);
        if (block) {
            t = NULL;
            for (size_t i = 0; i < p->nblocks; i++)
                if (strcmp(p->blocks[i].id, block) == 0)
                    t = program_text(r->lang, p->blocks[i].title, p->blocks[i].title_en);
        }
        if (t && (r->lang == LANG_EN || !sv))
            out = arena_strdup(r->arena, t);
    }
    programs_shared_release(ps);
    return out ? out : sv ? sv : prog;
}

void page_programs(struct web_req *r)
{
    struct store_program *ps = NULL;
    size_t n = 0;
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    enum err e = programs_list(r->store, &who, r->now, &ps, &n, &res);
    if (e != ERR_OK) {
        reqweb_fail(r, e, &res);
        return;
    }
    page_begin(r, T(r, "Statsbidrag"));
    html_f(&r->out, "<h1>%s</h1>\n", T(r, "Statsbidrag"));
    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-prog\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-prog\">%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
           "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
           T(r, "Program som Socialstyrelsen fördelar"), T(r, "Program"), T(r, "Diarienummer"),
           T(r, "Belopp"), T(r, "Tid kvar att rekvirera"));
    for (size_t i = 0; i < n; i++) {
        char amt[64], win[96];
        kr(r, amt, sizeof(amt), ps[i].total_ore / 100);
        struct programs_shared *one = NULL;
        const char *title = ps[i].title;
        if (programs_view(r->store, &who, r->now, ps[i].id, &one, NULL, &res) == ERR_OK) {
            const struct program *p = &programs_shared_view(one)->prog;
            reqweb_window(r, p->requisition_opens, p->requisition_closes, win, sizeof(win));
            title = arena_strdup(r->arena, program_text(r->lang, p->title, p->title_en));
            if (!title)
                title = ps[i].title;
        } else {
            snprintf(win, sizeof(win), "–");
        }
        programs_shared_release(one);
        html_f(&r->out,
               "<tr><td><a href=\"/programs/%s\">%s</a></td><td>%s</td><td class=\"num\">%s</td>"
               "<td>%s</td></tr>\n",
               ps[i].id, title, ps[i].diarienummer, amt, win);
    }
    programs_list_free(ps, n);
    html_lit(&r->out, "</tbody></table></div>\n");
    page_end(r);
}

static void allocation_table(const struct web_req *r, struct html *h, const struct program_view *v)
{
    const struct allocation *a = &v->alloc;
    struct alloc_rows rs;
    if (allocfmt_rows(a, &rs) != ERR_OK) {
        html_f(h, "<p class=\"error\">%s</p>\n", T(r, "Fördelningen kunde inte visas."));
        return;
    }
    html_f(h,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-alloc\" tabindex=\"0\">"
           "<table class=\"alloc\">\n<caption id=\"cap-alloc\">%s</caption>\n<thead><tr>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
           T(r, "Fördelning per mottagare och block (kronor)"), T(r, "Kod"), T(r, "Mottagare"));
    for (size_t b = 0; b < a->nblocks; b++)
        html_f(h, "<th scope=\"col\" class=\"num\">%s %s</th>", T(r, "Block"), a->blocks[b].b->id);
    html_f(h, "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n", T(r, "Summa"));
    char num[48];
    for (size_t i = 0; i < rs.n; i++) {
        const struct alloc_row *row = &rs.rows[i];
        html_f(h, "<tr><td>%s</td><th scope=\"row\">%s</th>", row->r.code, row->r.name);
        for (size_t b = 0; b < a->nblocks; b++) {
            if (row->amount[b] < 0) {
                html_lit(h, "<td class=\"num\">–</td>");
                continue;
            }
            i18n_fmt_int(r->lang, num, sizeof(num), row->amount[b]);
            html_f(h, "<td class=\"num\">%s</td>", num);
        }
        i18n_fmt_int(r->lang, num, sizeof(num), row->total);
        html_f(h, "<td class=\"num\">%s</td></tr>\n", num);
    }
    html_f(h, "</tbody>\n<tfoot><tr><td></td><th scope=\"row\">%s</th>", T(r, "Summa"));
    for (size_t b = 0; b < a->nblocks; b++) {
        i18n_fmt_int(r->lang, num, sizeof(num), rs.block_total[b]);
        html_f(h, "<td class=\"num\">%s</td>", num);
    }
    i18n_fmt_int(r->lang, num, sizeof(num), rs.total);
    html_f(h, "<td class=\"num\">%s</td></tr></tfoot></table></div>\n", num);
    alloc_rows_release(&rs);
}

/* The program's facts down to the last day to requisition. */
static void program_head(const struct web_req *r, struct html *h, const struct program_view *v)
{
    const struct program *p = &v->prog;
    char amt[64];
    html_f(h, "<h1>%s</h1>\n", program_text(r->lang, p->title, p->title_en));
    if (p->decision[0])
        html_f(h, "<p>%s</p>\n", program_text(r->lang, p->decision, p->decision_en));
    html_lit(h, "<dl class=\"facts\">\n");
    html_f(h, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Diarienummer"), p->diarienummer);
    kr(r, amt, sizeof(amt), p->total_kr);
    html_f(h, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Belopp att fördela"), amt);
    if (p->own_cost_cap_kr) {
        kr(r, amt, sizeof(amt), p->own_cost_cap_kr);
        html_f(h, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Egna kostnader högst"), amt);
    }
    dl_date(r, h, "Beslutsdatum", p->decision_date);
    dl_date(r, h, "Rekvisitionen öppnar", p->requisition_opens);
    dl_date(r, h, "Sista dag att rekvirera", p->requisition_closes);
}

/* The rest of the facts, the purposes, appropriations, blocks, notes and
 * the downloads. */
static void program_body(const struct web_req *r, struct html *h, const struct program_view *v)
{
    const struct program *p = &v->prog;
    char amt[64];
    html_f(h, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Omfördelning av det som inte rekvireras"),
           p->redistribution == PROG_REDIST_YES
               ? T(r, "Ja, till dem som deltar")
               : T(r, "Nej: beslutet medger ingen omfördelning; det som inte rekvireras betalas "
                      "inte ut"));
    dl_date(r, h, "Omfördelning", p->redistribution_date);
    dl_date(r, h, "Socialstyrelsens rekvisition till Kammarkollegiet",
            p->kammarkollegiet_requisition);
    dl_date(r, h, "Redovisning senast", p->reporting_deadline);
    dl_date(r, h, "Återbetalning senast", p->repayment_deadline);
    dl_date(r, h, "Delredovisning till regeringen", p->interim_report);
    dl_date(r, h, "Slutredovisning till regeringen", p->final_report);
    html_f(h, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Produktionsplan krävs"),
           p->production_plan ? T(r, "Ja") : T(r, "Nej"));
    html_lit(h, "</dl>\n");

    if (p->npurposes) {
        html_f(h, "<h2>%s</h2>\n<ul>\n", T(r, "Ändamål att välja insatser under"));
        for (size_t i = 0; i < p->npurposes; i++)
            html_f(h, "<li>%s</li>\n",
                   program_text(r->lang, p->purposes[i].title, p->purposes[i].title_en));
        html_lit(h, "</ul>\n");
    }
    if (p->napprop) {
        html_f(h,
               "<h2>%s</h2>\n<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-ap\" "
               "tabindex=\"0\"><table>\n<caption id=\"cap-ap\">%s</caption>\n<thead><tr>"
               "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\" "
               "class=\"num\">%s</th></tr></thead>\n<tbody>\n",
               T(r, "Anslag"), T(r, "Anslagsposter som medlen tas från"), T(r, "Post"),
               T(r, "Benämning"), T(r, "Belopp"));
        for (size_t i = 0; i < p->napprop; i++) {
            kr(r, amt, sizeof(amt), p->approp[i].amount_kr);
            html_f(h, "<tr><td>%s</td><td>%s</td><td class=\"num\">%s</td></tr>\n", p->approp[i].id,
                   program_text(r->lang, p->approp[i].name, p->approp[i].name_en), amt);
        }
        html_lit(h, "</tbody></table></div>\n");
    }

    html_f(h,
           "<h2>%s</h2>\n<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-bl\" "
           "tabindex=\"0\"><table>\n<caption id=\"cap-bl\">%s</caption>\n<thead><tr>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead>\n"
           "<tbody>\n",
           T(r, "Block och fördelningsnycklar"), T(r, "Blocken i beslutet"), T(r, "Block"),
           T(r, "Mottagare"), T(r, "Fördelningsnyckel"), T(r, "Befolkningsdatum"), T(r, "Belopp"));
    for (size_t b = 0; b < v->alloc.nblocks; b++) {
        const struct block_result *br = &v->alloc.blocks[b];
        const struct block *bl = br->b;
        char key[160], pd[48] = "–";
        if (bl->fixed_kr) {
            char f[64];
            kr(r, f, sizeof(f), bl->fixed_kr);
            snprintf(key, sizeof(key), "%s %s + %s", f, T(r, "per mottagare"),
                     T(r, key_kind_label_sv(bl->key)));
        } else {
            snprintf(key, sizeof(key), "%s", T(r, key_kind_label_sv(bl->key)));
        }
        if (date_is_set(br->pop_used))
            i18n_fmt_date(r->lang, pd, sizeof(pd), br->pop_used);
        kr(r, amt, sizeof(amt), bl->amount_kr);
        html_f(h,
               "<tr><th scope=\"row\">%s %s: %s</th><td>%s</td><td>%s</td><td>%s</td>"
               "<td class=\"num\">%s</td></tr>\n",
               T(r, "Block"), bl->id, program_text(r->lang, bl->title, bl->title_en),
               bl->role == ROLE_KOMMUN ? T(r, "Kommuner") : T(r, "Regioner"), key, pd, amt);
    }
    html_lit(h, "</tbody></table></div>\n");

    struct buf notes;
    buf_init(&notes, 1 << 16);
    allocfmt_notes_lang(&v->alloc, r->lang, &notes);
    if (notes.len) {
        html_f(h, "<h2>%s</h2>\n<ul class=\"notes\">\n", T(r, "Att observera"));
        for (char *q = notes.p, *nl; q && *q; q = nl + 1) {
            nl = strchr(q, '\n');
            if (nl)
                *nl = '\0';
            html_f(h, "<li>%s</li>\n", q);
            if (!nl)
                break;
        }
        html_lit(h, "</ul>\n");
    }
    buf_release(&notes);

    html_f(h, "<h2>%s</h2>\n", T(r, "Fördelning"));
    html_f(h,
           "<p class=\"downloads\"><a href=\"/programs/%s/fordelning.csv\" download>%s</a> "
           "<a href=\"/programs/%s/fordelning.xlsx\" download>%s</a></p>\n",
           p->id, T(r, "Ladda ner som CSV"), p->id, T(r, "Ladda ner som Excel (XLSX)"));
}

/* The stand-in data (issue 11): whether the amounts rest on it, who
 * confirmed it when and why, and for an officer the form to confirm it
 * (res: the outcome of a confirmation just tried, or NULL). Read for every
 * request: never kept with the view. */
static void standin_section(struct web_req *r, const struct program_view *v,
                            const struct svc_result *res, const char *reason)
{
    struct svc_actor who;
    struct svc_result rr;
    struct programs_standin st;
    web_actor(r, &who);
    if (programs_standin_get(r->store, &who, r->now, v, &st, &rr) != ERR_OK || !st.standin)
        return;
    html_f(&r->out, "<section id=\"ersattningsuppgifter\"><h2>%s</h2>\n<p>%s</p>\n",
           T(r, "Ersättningsuppgifter"), T(r, programs_standin_note(v)));
    if (res && !msg_empty(&res->msg))
        html_f(&r->out, "<p class=\"%s\" role=\"%s\">%s</p>\n", res->e ? "error" : "ok",
               res->e ? "alert" : "status", web_msg(r, &res->msg));
    if (st.confirmed) {
        int64_t t = 0;
        struct msg m;
        if (clock_parse(st.last.confirmed_at, &t) != ERR_OK)
            t = 0;
        msg_setf(&m, M_("Bekräftat av {1} {2}. Skäl: {3}"), msg_str(st.last.confirmed_by),
                 msg_time(t), msg_str(st.last.reason));
        html_f(&r->out, "<p>%s</p>\n</section>\n", web_msg(r, &m));
        return;
    }
    html_f(&r->out, "<p class=\"error\">%s</p>\n",
           T(r, "Statsbidraget kan inte rekvireras förrän uppgifterna som beslutet anger är "
                "inlästa eller en handläggare har bekräftat ersättningsuppgifterna."));
    if (web_may(r, ACT_PROGRAM_STANDIN, NULL)) {
        const struct msg *fm = res ? msg_issues_find(&res->issues, "reason") : NULL;
        html_f(&r->out,
               "<form method=\"post\" action=\"/programs/%s/ersattningsuppgifter\" "
               "class=\"form\">",
               v->prog.id);
        page_csrf(r);
        html_f(&r->out, "<p><label for=\"f-standin-reason\">%s</label>\n",
               T(r, "Skäl till att statsbidraget får öppnas på ersättningsuppgifterna"));
        if (fm)
            html_f(&r->out, "<span id=\"f-standin-reason-err\" class=\"field-error\">%s</span>",
                   web_msg(r, fm));
        html_f(&r->out,
               "<textarea id=\"f-standin-reason\" name=\"reason\" rows=\"3\" maxlength=\"%d\" "
               "required%s>%s</textarea></p>\n<p><button type=\"submit\">%s</button></p>\n"
               "</form>\n",
               STORE_STANDIN_REASON_MAX_CHARS,
               fm ? " aria-invalid=\"true\" aria-describedby=\"f-standin-reason-err\"" : "",
               reason ? reason : "", T(r, "Bekräfta ersättningsuppgifterna"));
    }
    html_lit(&r->out, "</section>\n");
}

static void program_page(struct web_req *r, int status, const struct svc_result *res,
                         const char *reason)
{
    struct programs_shared *ps = open_shared(r, r->segs[0]);
    if (!ps)
        return;
    const struct program *p = &programs_shared_view(ps)->prog;
    r->status = status;
    page_begin(r, program_text(r->lang, p->title, p->title_en));
    frag(r, ps, "head", program_head);
    /* the time left changes with the day: never kept */
    char win[96];
    reqweb_window(r, p->requisition_opens, p->requisition_closes, win, sizeof(win));
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Tid kvar att rekvirera"), win);
    frag(r, ps, "body", program_body);
    standin_section(r, programs_shared_view(ps), res, reason);
    struct svc_actor who;
    web_actor(r, &who);
    if (svc_may(r->store, &who, ACT_REQ_REVIEW_READ, NULL))
        html_f(&r->out,
               "<p><a href=\"/programs/%s/rekvisitioner\">%s</a> · <a "
               "href=\"/programs/%s/rekvisitionsoversikt\">%s</a></p>\n",
               p->id, T(r, "Rekvisitioner"), p->id, T(r, "Översikt över rekvisitionerna"));
    if (svc_may(r->store, &who, ACT_LEDGER_READ, NULL))
        html_f(&r->out, "<p><a href=\"/programs/%s/anslag\">%s</a></p>\n", p->id,
               T(r, "Anslagsredovisning"));
    frag(r, ps, "table", allocation_table);
    page_end(r);
    programs_shared_release(ps);
}

void page_program(struct web_req *r)
{
    program_page(r, 200, NULL, NULL);
}

/* An officer confirms the program's stand-in data with a reason; the page
 * again with the outcome (the reason's message next to its field). */
void page_program_standin_post(struct web_req *r)
{
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    const char *reason = form_get(&r->body, "reason");
    enum err e = programs_confirm_standin(r->store, &who, r->now, r->segs[0], reason, &res);
    res.e = e;
    if (e == ERR_OK || e == ERR_INVALID || e == ERR_CONFLICT)
        program_page(r, e == ERR_OK ? 200 : reqweb_status(e), &res, e == ERR_OK ? NULL : reason);
    else
        reqweb_fail(r, e, &res);
}

static void download_name(struct web_req *r, const char *id, const char *ext)
{
    char *cd = arena_printf(r->arena, "attachment; filename=\"fordelning-%s.%s\"", id, ext);
    if (cd)
        web_add_header(r, "Content-Disposition", cd);
}

static void csv_make(void *ctx, const struct program_view *v, struct buf *out)
{
    (void)ctx;
    buf_puts(out, "\xEF\xBB\xBF"); /* BOM: Excel reads UTF-8 */
    if (allocfmt_csv(&v->alloc, out) != ERR_OK)
        out->failed = 1;
}

static void xlsx_make(void *ctx, const struct program_view *v, struct buf *out)
{
    (void)ctx;
    if (allocfmt_xlsx_buf(&v->alloc, out) != ERR_OK)
        out->failed = 1;
}

/* The allocation as the API's JSON, exactly as web_json writes it. */
static void json_make(void *ctx, const struct program_view *v, struct buf *out)
{
    (void)ctx;
    struct buf b;
    buf_init(&b, 1 << 24);
    json_error_t je;
    json_t *root = NULL;
    if (allocfmt_json(&v->alloc, &b) == ERR_OK)
        root = json_loads(b.p, 0, &je);
    buf_release(&b);
    char *text = root ? json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(root);
    if (!text || buf_puts(out, text) != ERR_OK || buf_putc(out, '\n') != ERR_OK)
        out->failed = 1;
    free(text);
}

/* The download or body kept with the view under key into r->data; 0, or
 * -1 when it cannot be made. */
static int memo_data(struct web_req *r, struct programs_shared *ps, const char *key,
                     void (*make)(void *ctx, const struct program_view *v, struct buf *out))
{
    const char *bytes;
    size_t len;
    if (programs_shared_memo(ps, key, make, NULL, &bytes, &len) != ERR_OK)
        return -1;
    buf_reset(&r->data);
    if (buf_append(&r->data, bytes, len) != ERR_OK)
        r->data.failed = 1;
    r->has_data = 1;
    return 0;
}

void page_program_csv(struct web_req *r)
{
    struct programs_shared *ps = open_shared(r, r->segs[0]);
    if (!ps)
        return;
    if (memo_data(r, ps, "csv", csv_make) == 0) {
        r->ctype = "text/csv; charset=utf-8";
        download_name(r, programs_shared_view(ps)->prog.id, "csv");
    } else {
        web_error_page(r, 500, "Filen kunde inte skapas. Försök igen om en stund.");
    }
    programs_shared_release(ps);
}

void page_program_xlsx(struct web_req *r)
{
    struct programs_shared *ps = open_shared(r, r->segs[0]);
    if (!ps)
        return;
    if (memo_data(r, ps, "xlsx", xlsx_make) == 0) {
        r->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        download_name(r, programs_shared_view(ps)->prog.id, "xlsx");
    } else {
        web_error_page(r, 500, "Filen kunde inte skapas. Försök igen om en stund.");
    }
    programs_shared_release(ps);
}

void api_programs(struct web_req *r)
{
    struct store_program *ps = NULL;
    size_t n = 0;
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    if (programs_list(r->store, &who, r->now, &ps, &n, &res) != ERR_OK) {
        web_api_error(r, 500, "store", "the database could not be read");
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(ps[i].id));
        json_object_set_new(o, "title", json_string(ps[i].title));
        json_object_set_new(o, "diarienummer", json_string(ps[i].diarienummer));
        json_object_set_new(o, "total_kr", json_integer(ps[i].total_ore / 100));
        json_array_append_new(arr, o);
    }
    programs_list_free(ps, n);
    json_t *root = json_object();
    json_object_set_new(root, "programs", arr);
    web_json(r, 200, root);
}

void api_program_allocation(struct web_req *r)
{
    struct programs_shared *ps = NULL;
    struct svc_actor who;
    struct svc_result res;
    int found = 0;
    web_actor(r, &who);
    enum err e = programs_view(r->store, &who, r->now, r->segs[0], &ps, &found, &res);
    if (e) {
        programs_shared_release(ps);
        web_api_error(r, found ? 500 : 404, found ? "allocation" : "not_found",
                      found ? "the allocation cannot be computed" : "no such program");
        return;
    }
    if (memo_data(r, ps, "json", json_make) == 0) {
        r->status = 200;
        r->ctype = "application/json; charset=utf-8";
    } else {
        web_api_error(r, 500, "allocation", "the allocation cannot be written");
    }
    programs_shared_release(ps);
}
