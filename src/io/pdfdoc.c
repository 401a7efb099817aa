/* pdfdoc.c - decision and receipt PDFs with cairo and pango. */
#include "io/pdfdoc.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "util/money.h"

#define PAGE_W 595.28 /* A4 in points */
#define PAGE_H 841.89
#define MARGIN 64.0
#define FONT "DejaVu Sans"

/* The conditions quote the program's own dates: "senast den 31 januari
 * 2027", never "det datum som anges nedan". */
void pdfdoc_conditions(char *out, size_t n, struct date reporting, struct date repayment)
{
    char rep[64] = "när Socialstyrelsen begär det";
    char pay[80] = "";
    if (date_is_set(reporting)) {
        char d[40];
        date_fmt_sv(d, sizeof(d), reporting);
        snprintf(rep, sizeof(rep), "senast den %s", d);
    }
    if (date_is_set(repayment)) {
        char d[40];
        date_fmt_sv(d, sizeof(d), repayment);
        snprintf(pay, sizeof(pay), " senast den %s", d);
    }
    snprintf(out, n,
             "Medlen får bara användas för statsbidragets syfte och för de insatser som anges i "
             "rekvisitionen. Mottagaren ska kunna visa hur medlen har använts och ska redovisa "
             "användningen till Socialstyrelsen %s. Medel som inte har använts, eller som har "
             "använts i strid med villkoren, ska betalas tillbaka%s. Socialstyrelsen får "
             "återkräva sådana medel.",
             rep, pay);
}

/* One definite clause: the program file says whether its decisions can be
 * appealed and on what basis. */
void pdfdoc_appeal_text(char *out, size_t n, int appeal_none, const char *basis)
{
    int has_basis = basis && basis[0];
    if (appeal_none) {
        snprintf(out, n, "Beslutet får inte överklagas%s%s%s.", has_basis ? " (" : "",
                 has_basis ? basis : "", has_basis ? ")" : "");
        return;
    }
    snprintf(out, n,
             "Beslutet kan överklagas hos förvaltningsrätten%s%s%s. Skrivelsen ska skickas eller "
             "lämnas till Socialstyrelsen, som sänder den vidare. Den ska ha kommit in till "
             "Socialstyrelsen inom tre veckor från den dag då ni fick del av beslutet. Ange "
             "vilket beslut ni överklagar (diarienummer och ärendenummer), vilken ändring ni vill "
             "ha och varför.",
             has_basis ? " (" : "", has_basis ? basis : "", has_basis ? ")" : "");
}

struct doc {
    cairo_surface_t *surf;
    cairo_t *cr;
    struct buf *out;
    size_t start;
    int overflow;
    double y;
    int page;
    char footer[200];
};

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int len)
{
    struct doc *d = closure;
    if (d->out->len - d->start + len > PDFDOC_MAX_BYTES ||
        buf_append(d->out, data, len) != ERR_OK) {
        d->overflow = 1;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

static PangoLayout *layout(struct doc *d, const char *text, double size, int bold, double width)
{
    PangoLayout *l = pango_cairo_create_layout(d->cr);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(l, text ? text : "", -1);
    return l;
}

static void footer(struct doc *d)
{
    char pg[32];
    snprintf(pg, sizeof(pg), "Sida %d", d->page);
    PangoLayout *l = layout(d, d->footer, 8, 0, PAGE_W - 2 * MARGIN - 60);
    cairo_set_source_rgb(d->cr, 0.35, 0.35, 0.35);
    cairo_move_to(d->cr, MARGIN, PAGE_H - MARGIN / 2 - 10);
    pango_cairo_show_layout(d->cr, l);
    g_object_unref(l);
    l = layout(d, pg, 8, 0, 60);
    pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
    cairo_move_to(d->cr, PAGE_W - MARGIN - 60, PAGE_H - MARGIN / 2 - 10);
    pango_cairo_show_layout(d->cr, l);
    g_object_unref(l);
    cairo_set_source_rgb(d->cr, 0.1, 0.1, 0.1);
}

static void new_page(struct doc *d)
{
    footer(d);
    cairo_show_page(d->cr);
    d->page++;
    d->y = MARGIN;
}

/* A paragraph at x (indent from the margin) of the given size; breaks the
 * page first when it does not fit (long ones line by line). */
static void para(struct doc *d, double indent, const char *text, double size, int bold,
                 double after)
{
    double w = PAGE_W - 2 * MARGIN - indent;
    PangoLayout *l = layout(d, text, size, bold, w);
    int lw = 0, lh = 0;
    pango_layout_get_pixel_size(l, &lw, &lh);
    double bottom = PAGE_H - MARGIN;
    if (d->y + lh > bottom && lh < bottom - MARGIN)
        new_page(d);
    if (d->y + lh <= bottom) {
        cairo_move_to(d->cr, MARGIN + indent, d->y);
        pango_cairo_show_layout(d->cr, l);
        d->y += lh + after;
    } else {
        /* longer than a page: line by line */
        PangoLayoutIter *it = pango_layout_get_iter(l);
        do {
            PangoRectangle logical;
            pango_layout_iter_get_line_extents(it, NULL, &logical);
            double h = (double)logical.height / PANGO_SCALE;
            if (d->y + h > bottom)
                new_page(d);
            int base = pango_layout_iter_get_baseline(it);
            cairo_move_to(d->cr, MARGIN + indent,
                          d->y + (double)base / PANGO_SCALE - (double)logical.y / PANGO_SCALE);
            pango_cairo_show_layout_line(d->cr, pango_layout_iter_get_line_readonly(it));
            d->y += h;
        } while (pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);
        d->y += after;
    }
    g_object_unref(l);
}

/* "Label: value" as a two-column row. */
static void row(struct doc *d, const char *label, const char *value)
{
    const double lw = 150;
    PangoLayout *a = layout(d, label, 10, 1, lw - 8);
    PangoLayout *b = layout(d, value, 10, 0, PAGE_W - 2 * MARGIN - lw);
    int w1, h1, w2, h2;
    pango_layout_get_pixel_size(a, &w1, &h1);
    pango_layout_get_pixel_size(b, &w2, &h2);
    int h = h1 > h2 ? h1 : h2;
    if (d->y + h > PAGE_H - MARGIN)
        new_page(d);
    cairo_move_to(d->cr, MARGIN, d->y);
    pango_cairo_show_layout(d->cr, a);
    cairo_move_to(d->cr, MARGIN + lw, d->y);
    pango_cairo_show_layout(d->cr, b);
    d->y += h + 4;
    g_object_unref(a);
    g_object_unref(b);
}

static void rule(struct doc *d)
{
    cairo_set_line_width(d->cr, 0.6);
    cairo_move_to(d->cr, MARGIN, d->y);
    cairo_line_to(d->cr, PAGE_W - MARGIN, d->y);
    cairo_stroke(d->cr);
    d->y += 10;
}

static enum err doc_begin(struct doc *d, struct buf *out, const char *title, const char *kind,
                          const char *diarienummer, const char *case_no)
{
    memset(d, 0, sizeof(*d));
    d->out = out;
    d->start = out->len;
    d->page = 1;
    d->y = MARGIN;
    d->surf = cairo_pdf_surface_create_for_stream(write_cb, d, PAGE_W, PAGE_H);
    if (cairo_surface_status(d->surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(d->surf);
        return ERR_NOMEM;
    }
    cairo_pdf_surface_set_metadata(d->surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(d->surf, CAIRO_PDF_METADATA_AUTHOR, PDFDOC_AGENCY);
    cairo_pdf_surface_set_metadata(d->surf, CAIRO_PDF_METADATA_CREATOR, "Bidrag");
    d->cr = cairo_create(d->surf);
    cairo_set_source_rgb(d->cr, 0.1, 0.1, 0.1);
    snprintf(d->footer, sizeof(d->footer), "%s · Dnr %s · Ärende %s", PDFDOC_AGENCY, diarienummer,
             case_no);
    /* header: the agency on the left, the document kind and numbers on the right */
    PangoLayout *l = layout(d, PDFDOC_AGENCY, 18, 1, 250);
    cairo_move_to(d->cr, MARGIN, d->y);
    pango_cairo_show_layout(d->cr, l);
    g_object_unref(l);
    l = layout(d, kind, 12, 1, 220);
    pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
    cairo_move_to(d->cr, PAGE_W - MARGIN - 220, d->y + 4);
    pango_cairo_show_layout(d->cr, l);
    g_object_unref(l);
    d->y += 34;
    rule(d);
    return ERR_OK;
}

static enum err doc_end(struct doc *d)
{
    footer(d);
    cairo_show_page(d->cr);
    cairo_destroy(d->cr);
    cairo_surface_finish(d->surf);
    cairo_status_t st = cairo_surface_status(d->surf);
    cairo_surface_destroy(d->surf);
    if (d->overflow)
        return ERR_LIMIT;
    return st == CAIRO_STATUS_SUCCESS ? ERR_OK : ERR_IO;
}

static int set(const char *s)
{
    return s && s[0];
}

enum err pdfdoc_decision(const struct pdfdoc_decision *x, struct buf *out)
{
    char title[160], amount[48], req[48], date[48], line[600];
    if (!set(x->number) || !set(x->case_no) || !set(x->diarienummer) || !set(x->recipient_name) ||
        !date_is_set(x->decided_on))
        return ERR_INVALID;
    const char *kind = x->kind == PDFDOC_SUPPLEMENTARY ? "TILLÄGGSBESLUT"
                       : x->kind == PDFDOC_REJECTION   ? "BESLUT OM AVSLAG"
                                                       : "BESLUT";
    snprintf(title, sizeof(title), "Beslut %s", x->number);
    struct doc d;
    enum err e = doc_begin(&d, out, title, kind, x->diarienummer, x->case_no);
    if (e != ERR_OK)
        return e;
    date_fmt_sv(date, sizeof(date), x->decided_on);
    row(&d, "Beslutsdatum", date);
    row(&d, "Beslutsnummer", x->number);
    row(&d, "Diarienummer", x->diarienummer);
    row(&d, "Ärendenummer", x->case_no);
    snprintf(line, sizeof(line), "%s (%s)", x->recipient_name,
             set(x->recipient_code) ? x->recipient_code : "");
    row(&d, "Mottagare", line);
    row(&d, "Statsbidrag", set(x->program_title) ? x->program_title : "");
    d.y += 8;
    money_fmt_ore(amount, sizeof(amount), x->amount_ore);
    if (x->kind == PDFDOC_REJECTION) {
        para(&d, 0, "Beslut", 13, 1, 4);
        para(&d, 0, "Socialstyrelsen avslår rekvisitionen.", 11, 0, 6);
        para(&d, 0, "Skäl för beslutet", 13, 1, 4);
        para(&d, 0, set(x->reason) ? x->reason : "", 11, 0, 10);
    } else {
        para(&d, 0, "Beslut", 13, 1, 4);
        if (x->kind == PDFDOC_SUPPLEMENTARY)
            snprintf(line, sizeof(line),
                     "Socialstyrelsen beviljar %s ytterligare %s efter omfördelning av medel "
                     "som inte har rekvirerats%s%s.",
                     x->recipient_name, amount, set(x->block_title) ? " inom " : "",
                     set(x->block_title) ? x->block_title : "");
        else
            snprintf(line, sizeof(line), "Socialstyrelsen beviljar %s %s i statsbidrag.",
                     x->recipient_name, amount);
        para(&d, 0, line, 11, 0, 6);
        if (x->requested_ore >= 0 && x->kind == PDFDOC_ORIGINAL) {
            money_fmt_ore(req, sizeof(req), x->requested_ore);
            snprintf(line, sizeof(line), "Rekvirerat belopp: %s. Beviljat belopp: %s.", req,
                     amount);
            para(&d, 0, line, 10, 0, 8);
        }
        if (set(x->reason)) { /* less than requested (förvaltningslagen 32 §) */
            para(&d, 0, "Skäl för beslutet", 13, 1, 4);
            para(&d, 0, x->reason, 11, 0, 10);
        }
        if (set(x->standin_note)) {
            para(&d, 0, "Underlag för beloppet", 13, 1, 4);
            para(&d, 0, x->standin_note, 10, 0, 8);
        }
        para(&d, 0, "Villkor", 13, 1, 4);
        char cond[1024];
        pdfdoc_conditions(cond, sizeof(cond), x->reporting_deadline, x->repayment_deadline);
        para(&d, 0, set(x->conditions) ? x->conditions : cond, 10, 0, 6);
        snprintf(line, sizeof(line),
                 "Redovisning, rekvisition och återbetalning ska hänvisa till diarienummer %s.",
                 x->diarienummer);
        para(&d, 0, line, 10, 0, 10);
    }
    char appeal[1024];
    pdfdoc_appeal_text(appeal, sizeof(appeal), x->appeal_none, x->appeal_basis);
    para(&d, 0, "Hur man överklagar", 13, 1, 4);
    para(&d, 0, set(x->appeal) ? x->appeal : appeal, 10, 0, 14);
    snprintf(line, sizeof(line), "Beslutet har fattats av %s.",
             set(x->decided_by) ? x->decided_by : PDFDOC_AGENCY);
    para(&d, 0, line, 10, 0, 4);
    return doc_end(&d);
}

enum err pdfdoc_receipt(const struct pdfdoc_receipt *x, struct buf *out)
{
    char title[160], amount[48], line[700];
    if (!set(x->case_no) || !set(x->diarienummer) || !set(x->recipient_name) ||
        !set(x->received_at))
        return ERR_INVALID;
    snprintf(title, sizeof(title), "Kvittens %s version %d", x->case_no, x->version);
    struct doc d;
    enum err e = doc_begin(&d, out, title, "KVITTENS", x->diarienummer, x->case_no);
    if (e != ERR_OK)
        return e;
    snprintf(line, sizeof(line),
             "Socialstyrelsen har tagit emot rekvisitionen. Spara kvittensen; hänvisa till "
             "ärendenumret och diarienumret när ni kontaktar oss.");
    para(&d, 0, line, 11, 0, 10);
    row(&d, "Ärendenummer", x->case_no);
    snprintf(line, sizeof(line), "%d", x->version);
    row(&d, "Version", line);
    row(&d, "Mottagen", x->received_at);
    row(&d, "Diarienummer", x->diarienummer);
    row(&d, "Statsbidrag", set(x->program_title) ? x->program_title : "");
    snprintf(line, sizeof(line), "%s (%s)", x->recipient_name,
             set(x->recipient_code) ? x->recipient_code : "");
    row(&d, "Mottagare", line);
    row(&d, "Inskickad av", set(x->submitted_by) ? x->submitted_by : "");
    money_fmt_ore(amount, sizeof(amount), x->amount_ore);
    row(&d, "Rekvirerat belopp", amount);
    row(&d, "Kontaktperson", set(x->contact) ? x->contact : "");
    row(&d, "Utbetalning till", set(x->account) ? x->account : "");
    row(&d, "Omfördelning", x->opt_in ? "Ja, vill ta del av medel som inte rekvireras" : "Nej");
    if (set(x->plan_name))
        row(&d, "Produktionsplan", x->plan_name);
    d.y += 8;
    if (set(x->standin_note)) {
        para(&d, 0, "Underlag för beloppet", 13, 1, 4);
        para(&d, 0, x->standin_note, 10, 0, 8);
    }
    para(&d, 0, "Insatser", 13, 1, 6);
    for (size_t i = 0; i < x->nmeasures; i++) {
        const struct pdfdoc_measure *m = &x->measures[i];
        money_fmt_ore(amount, sizeof(amount), m->planned_ore);
        snprintf(line, sizeof(line), "%zu. %s (planerat %s)", i + 1,
                 set(m->purpose) ? m->purpose : "", amount);
        para(&d, 0, line, 10, 1, 2);
        para(&d, 14, set(m->description) ? m->description : "", 10, 0, 8);
    }
    return doc_end(&d);
}

/* --- the invoice -------------------------------------------------------- */

/* A text on the left and an amount on the right, on one row. */
static void amount_row(struct doc *d, const char *text, int64_t ore, int bold)
{
    const double aw = 120;
    char amount[48];
    money_fmt_ore(amount, sizeof(amount), ore);
    PangoLayout *a = layout(d, text, 10, bold, PAGE_W - 2 * MARGIN - aw - 10);
    PangoLayout *b = layout(d, amount, 10, bold, aw);
    pango_layout_set_alignment(b, PANGO_ALIGN_RIGHT);
    int w1, h1, w2, h2;
    pango_layout_get_pixel_size(a, &w1, &h1);
    pango_layout_get_pixel_size(b, &w2, &h2);
    int h = h1 > h2 ? h1 : h2;
    if (d->y + h > PAGE_H - MARGIN)
        new_page(d);
    cairo_move_to(d->cr, MARGIN, d->y);
    pango_cairo_show_layout(d->cr, a);
    cairo_move_to(d->cr, PAGE_W - MARGIN - aw, d->y);
    pango_cairo_show_layout(d->cr, b);
    d->y += h + 4;
    g_object_unref(a);
    g_object_unref(b);
}

static void party_text(const struct ubl_party *p, char *out, size_t n)
{
    char nr[ORGNR_DISPLAY_SIZE];
    orgnr_format(p->orgnr, nr);
    size_t k = (size_t)snprintf(out, n, "%s\nOrg.nr %s", p->name, nr);
    if (k < n && (p->street[0] || p->postal_zone[0] || p->city[0]))
        snprintf(out + k, n - k, "\n%s%s%s%s%s", p->street, p->street[0] ? ", " : "",
                 p->postal_zone, p->postal_zone[0] ? " " : "", p->city);
}

enum err pdfdoc_invoice(const struct ubl_doc *x, struct buf *out)
{
    char title[160], line[4096], date[48], amount[48], nr[ORGNR_DISPLAY_SIZE];
    int inv = x->kind == UBL_INVOICE;
    if (!set(x->id) || !date_is_set(x->issued) || !set(x->seller.name) || !set(x->buyer.name) ||
        !orgnr_ok(x->seller.orgnr) || !orgnr_ok(x->buyer.orgnr) || x->nlines == 0 ||
        x->nlines > RECLAIM_MAX_LINES || (x->kind != UBL_INVOICE && x->kind != UBL_CREDIT_NOTE))
        return ERR_INVALID;
    if (inv && (!date_is_set(x->due) || !set(x->bankgiro) || !set(x->payment_id)))
        return ERR_INVALID;
    if (!inv && !set(x->billing_ref))
        return ERR_INVALID;
    snprintf(title, sizeof(title), "%s %s", inv ? "Faktura" : "Kreditfaktura", x->id);
    struct doc d;
    enum err e = doc_begin(&d, out, title, inv ? "FAKTURA" : "KREDITFAKTURA",
                           set(x->contract_ref) ? x->contract_ref : "-",
                           set(x->decision_ref) ? x->decision_ref : x->id);
    if (e != ERR_OK)
        return e;
    row(&d, inv ? "Fakturanummer" : "Kreditfakturanummer", x->id);
    date_fmt(date, sizeof(date), x->issued);
    row(&d, "Fakturadatum", date);
    if (inv) {
        date_fmt(date, sizeof(date), x->due);
        row(&d, "Förfallodag", date);
    } else {
        snprintf(line, sizeof(line), "%s", x->billing_ref);
        if (date_is_set(x->billing_ref_date)) {
            date_fmt(date, sizeof(date), x->billing_ref_date);
            snprintf(line, sizeof(line), "%s (%s)", x->billing_ref, date);
        }
        row(&d, "Krediterar faktura", line);
    }
    if (set(x->decision_ref))
        row(&d, "Beslut", x->decision_ref);
    if (set(x->contract_ref))
        row(&d, "Diarienummer", x->contract_ref);
    row(&d, "Er referens", set(x->buyer_reference) ? x->buyer_reference : "-");
    d.y += 6;
    party_text(&x->buyer, line, sizeof(line));
    row(&d, "Kund", line);
    party_text(&x->seller, line, sizeof(line));
    row(&d, "Avsändare", line);
    d.y += 6;
    if (set(x->note))
        para(&d, 0, x->note, 10, 0, 10);
    rule(&d);
    para(&d, 0, "Specifikation", 13, 1, 6);
    for (size_t i = 0; i < x->nlines; i++)
        amount_row(&d, x->lines[i].name, x->lines[i].amount, 0);
    rule(&d);
    amount_row(&d, "Moms (ej föremål för mervärdesskatt)", 0, 0);
    amount_row(&d, inv ? "Att betala" : "Att kreditera", ubl_total(x), 1);
    para(&d, 0, set(x->exemption_reason) ? x->exemption_reason : UBL_EXEMPTION_DEFAULT, 9, 0, 12);
    if (inv) {
        para(&d, 0, "Betalning", 13, 1, 6);
        size_t n = strlen(x->bankgiro);
        snprintf(line, sizeof(line), "%.*s-%s", (int)(n > 4 ? n - 4 : 0), x->bankgiro,
                 x->bankgiro + (n > 4 ? n - 4 : 0));
        row(&d, "Bankgiro", line);
        row(&d, "OCR-nummer", x->payment_id);
        money_fmt_ore(amount, sizeof(amount), ubl_total(x));
        row(&d, "Belopp", amount);
        date_fmt(date, sizeof(date), x->due);
        row(&d, "Senast", date);
        if (set(x->payment_terms))
            para(&d, 0, x->payment_terms, 10, 0, 6);
        para(&d, 0,
             "Ange OCR-numret när ni betalar, så att betalningen kan kopplas till "
             "fakturan.",
             10, 0, 6);
    } else {
        snprintf(line, sizeof(line),
                 "Beloppet minskar det ni är skyldiga enligt faktura %s. Har ni redan betalat "
                 "återbetalar Socialstyrelsen det som betalats för mycket.",
                 x->billing_ref);
        para(&d, 0, line, 10, 0, 6);
    }
    orgnr_format(x->seller.orgnr, nr);
    snprintf(line, sizeof(line), "%s, organisationsnummer %s.%s%s%s%s", x->seller.name, nr,
             set(x->seller.contact) ? " Frågor: " : "", x->seller.contact,
             set(x->seller.email) ? ", " : "", x->seller.email);
    para(&d, 0, line, 9, 0, 2);
    return doc_end(&d);
}

/* --- applications from individuals ------------------------------------- */

enum err pdfdoc_applic_decision(const struct pdfdoc_applic_decision *x, struct buf *out)
{
    char title[160], date[48], line[600];
    if (!set(x->number) || !set(x->case_no) || !set(x->applicant_name) || !set(x->applicant_id) ||
        !set(x->decision) || !set(x->appeal) || !date_valid(x->decided_on) ||
        (!x->granted && !set(x->reasons)) || (x->nrows && !x->rows))
        return ERR_INVALID;
    snprintf(title, sizeof(title), "Beslut %s", x->number);
    struct doc d;
    enum err e = doc_begin(&d, out, title, x->granted ? "BESLUT" : "BESLUT OM AVSLAG", x->case_no,
                           x->case_no);
    if (e != ERR_OK)
        return e;
    snprintf(d.footer, sizeof(d.footer), "%s · Ärende %s · Beslut %s", PDFDOC_AGENCY, x->case_no,
             x->number);
    date_fmt_sv(date, sizeof(date), x->decided_on);
    row(&d, "Beslutsdatum", date);
    row(&d, "Beslutsnummer", x->number);
    row(&d, "Ärendenummer", x->case_no);
    if (set(x->case_type_sv))
        row(&d, "Ärende", x->case_type_sv);
    snprintf(line, sizeof(line), "%s, %s", x->applicant_name, x->applicant_id);
    row(&d, "Sökande", line);
    for (size_t i = 0; i < x->nrows; i++)
        row(&d, set(x->rows[i].label) ? x->rows[i].label : "",
            set(x->rows[i].value) ? x->rows[i].value : "");
    d.y += 8;
    para(&d, 0, "Beslut", 13, 1, 4);
    para(&d, 0, x->decision, 11, 0, 10);
    if (set(x->reasons)) {
        para(&d, 0, "Skäl för beslutet", 13, 1, 4);
        para(&d, 0, x->reasons, 11, 0, 10);
    }
    para(&d, 0, "Hur man överklagar", 13, 1, 4);
    para(&d, 0, x->appeal, 10, 0, 14);
    snprintf(line, sizeof(line), "Beslutet har fattats av %s.",
             set(x->decided_by) ? x->decided_by : PDFDOC_AGENCY);
    para(&d, 0, line, 10, 0, 4);
    return doc_end(&d);
}

enum err pdfdoc_specialist_certificate(const struct pdfdoc_specialist *x, struct buf *out)
{
    char title[160], date[48], line[900];
    if (!set(x->number) || !set(x->case_no) || !set(x->holder_name) || !set(x->holder_id) ||
        !set(x->specialty) || !set(x->regime) || !date_valid(x->valid_from))
        return ERR_INVALID;
    snprintf(title, sizeof(title), "Bevis om specialistkompetens %s", x->number);
    struct doc d;
    enum err e = doc_begin(&d, out, title, "BEVIS", x->case_no, x->case_no);
    if (e != ERR_OK)
        return e;
    snprintf(d.footer, sizeof(d.footer), "%s · Ärende %s · Bevis %s", PDFDOC_AGENCY, x->case_no,
             x->number);
    d.y += 30;
    para(&d, 0, "Bevis om specialistkompetens", 22, 1, 24);
    date_fmt_sv(date, sizeof(date), x->valid_from);
    snprintf(line, sizeof(line),
             "Socialstyrelsen intygar att %s (%s) har specialistkompetens inom %s som läkare.",
             x->holder_name, x->holder_id, x->specialty);
    para(&d, 0, line, 13, 0, 14);
    row(&d, "Specialitet", x->specialty);
    row(&d, "Föreskrifter", x->regime);
    row(&d, "Gäller från", date);
    row(&d, "Bevisnummer", x->number);
    row(&d, "Ärendenummer", x->case_no);
    d.y += 16;
    snprintf(line, sizeof(line),
             "Beviset gäller från och med %s. Det är utfärdat elektroniskt av %s och har "
             "därför ingen underskrift.",
             date, PDFDOC_AGENCY);
    para(&d, 0, line, 10, 0, 6);
    snprintf(line, sizeof(line), "Beslutet har fattats av %s.",
             set(x->decided_by) ? x->decided_by : PDFDOC_AGENCY);
    para(&d, 0, line, 10, 0, 4);
    return doc_end(&d);
}

/* --- Kammarkollegiet ----------------------------------------------------- */

enum err pdfdoc_kammarkollegiet(const struct pdfdoc_kk *x, struct buf *out)
{
    if (!x->l || !x->names || !set(x->diarienummer) || !set(x->program_title) ||
        !date_valid(x->made))
        return ERR_INVALID;
    int req = x->kind == PDFDOC_KK_REQUISITION;
    const char *what = req ? "Rekvisition av medel" : "Återbetalning och ekonomisk redovisning";
    char title[300], date[48], line[900];
    snprintf(title, sizeof(title), "%s, %s", what, x->diarienummer);
    struct doc d;
    enum err e = doc_begin(&d, out, title, req ? "REKVISITION" : "REDOVISNING", x->diarienummer,
                           x->diarienummer);
    if (e != ERR_OK)
        return e;
    snprintf(d.footer, sizeof(d.footer), "%s · Dnr %s · %s", PDFDOC_AGENCY, x->diarienummer, what);
    para(&d, 0, "Till Kammarkollegiet", 11, 0, 8);
    para(&d, 0, what, 16, 1, 8);
    row(&d, "Statsbidrag", x->program_title);
    row(&d, "Diarienummer", x->diarienummer);
    if (set(x->decision))
        row(&d, "Regeringsbeslut", x->decision);
    date_fmt_sv(date, sizeof(date), x->made);
    row(&d, "Datum", date);
    if (date_valid(x->due)) {
        date_fmt_sv(date, sizeof(date), x->due);
        row(&d, req ? "Senast" : "Redovisas senast", date);
    }
    d.y += 8;
    int64_t total = 0;
    for (size_t i = 0; i < x->l->n; i++) {
        const struct ledger_balance *b = &x->l->items[i].b;
        snprintf(line, sizeof(line), "Anslagspost %s %s", x->l->items[i].id, x->names[i]);
        para(&d, 0, line, 12, 1, 4);
        amount_row(&d, "Anslagspostens belopp", b->amount, 0);
        if (req) {
            amount_row(&d, "Beslutat till bidragsmottagare", b->decided, 0);
            amount_row(&d, "Egna kostnader", b->own_cost, 0);
            amount_row(&d, "Rekvireras", b->decided + b->own_cost, 1);
            total += b->decided + b->own_cost;
        } else {
            int64_t unused = b->amount - (b->paid - b->repaid) - b->own_cost;
            amount_row(&d, "Utbetalt", b->paid, 0);
            amount_row(&d, "Återbetalt av bidragsmottagare", b->repaid, 0);
            amount_row(&d, "Egna kostnader", b->own_cost, 0);
            amount_row(&d, "Outnyttjat, återbetalas", unused, 1);
            total += unused;
        }
        d.y += 6;
    }
    rule(&d);
    amount_row(&d, req ? "Summa att rekvirera" : "Summa att återbetala", total, 1);
    d.y += 10;
    snprintf(line, sizeof(line),
             req ? "Socialstyrelsen rekvirerar medlen enligt regeringsbeslutet med "
                   "diarienummer %s. Beloppen är hämtade ur anslagsredovisningen i Bidrag."
                 : "Socialstyrelsen redovisar medlen enligt regeringsbeslutet med "
                   "diarienummer %s och återbetalar det som inte har använts. Beloppen är "
                   "hämtade ur anslagsredovisningen i Bidrag.",
             x->diarienummer);
    para(&d, 0, line, 10, 0, 4);
    return doc_end(&d);
}
