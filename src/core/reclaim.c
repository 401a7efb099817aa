/* reclaim.c - the reclaim decision, its invoice, payments and credits. */
#include "core/reclaim.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/ocr.h"
#include "util/bankday.h"

static enum err say(char *msg, size_t n, enum err e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum err say(char *msg, size_t n, enum err e, const char *fmt, ...)
{
    if (msg && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, n, fmt, ap);
        va_end(ap);
    }
    return e;
}

/* --- grounds ---------------------------------------------------------- */

static const struct {
    enum reclaim_ground g;
    const char *id, *sv;
} grounds[] = {
    {RECLAIM_UNUSED, "unused", "Medel som inte har använts"},
    {RECLAIM_MISUSED, "misused", "Medel som har använts i strid med syftet"},
    {RECLAIM_NO_REPORT, "no_report", "Redovisning har inte kommit in"},
    {RECLAIM_NO_DOCUMENTATION, "no_documentation", "Begärt underlag har inte kommit in"},
};

const char *reclaim_ground_id(enum reclaim_ground g)
{
    for (size_t i = 0; i < sizeof(grounds) / sizeof(grounds[0]); i++)
        if (grounds[i].g == g)
            return grounds[i].id;
    return "";
}

enum reclaim_ground reclaim_ground_parse(const char *s)
{
    for (size_t i = 0; s && i < sizeof(grounds) / sizeof(grounds[0]); i++)
        if (strcmp(grounds[i].id, s) == 0)
            return grounds[i].g;
    return RECLAIM_GROUND_NONE;
}

const char *reclaim_ground_label_sv(enum reclaim_ground g)
{
    for (size_t i = 0; i < sizeof(grounds) / sizeof(grounds[0]); i++)
        if (grounds[i].g == g)
            return grounds[i].sv;
    return "";
}

/* --- checking the decision -------------------------------------------- */

static void issue(struct reclaim_issues *is, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void issue(struct reclaim_issues *is, const char *field, const char *fmt, ...)
{
    if (is->n >= RECLAIM_ISSUES_MAX)
        return;
    str_copy(is->v[is->n].field, sizeof(is->v[is->n].field), field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(is->v[is->n].msg, sizeof(is->v[is->n].msg), fmt, ap);
    va_end(ap);
    is->n++;
}

const char *reclaim_issues_find(const struct reclaim_issues *is, const char *field)
{
    for (size_t i = 0; i < is->n; i++)
        if (strcmp(is->v[i].field, field) == 0)
            return is->v[i].msg;
    return NULL;
}

int64_t reclaim_line_amount(const struct reclaim_line *l)
{
    return l->proposed - l->waived;
}

int64_t reclaim_total(const struct reclaim *r)
{
    int64_t t = 0;
    for (size_t i = 0; i < r->nlines && i < RECLAIM_MAX_LINES; i++)
        t += reclaim_line_amount(&r->lines[i]);
    return t;
}

int64_t reclaim_proposed(const struct reclaim *r)
{
    int64_t t = 0;
    for (size_t i = 0; i < r->nlines && i < RECLAIM_MAX_LINES; i++)
        t += r->lines[i].proposed;
    return t;
}

/* Text that is well-formed, between min and max characters. */
static int text_ok(const char *s, int flags, size_t min, size_t max)
{
    if (!str_text_fits(s, flags, max))
        return 0;
    long c = str_text_chars(s, strlen(s), flags);
    return c >= (long)min;
}

/* Blank: only spaces, tabs and line ends. */
static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

static int has_text(const char *s, size_t max, int flags)
{
    return text_ok(s, flags, 1, max) && !blank(s);
}

/* Ids in program files and document numbers: letters, digits, '-' and '_'. */
static int id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= RECLAIM_BLOCK_SIZE)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

static void check_lines(const struct reclaim *r, struct reclaim_issues *is, int64_t *waived_out,
                        int64_t *proposed_out)
{
    int64_t waived = 0, proposed = 0;
    if (r->nlines == 0 || r->nlines > RECLAIM_MAX_LINES) {
        issue(is, "lines", "Ange belopp för 1–%d block", RECLAIM_MAX_LINES);
        *waived_out = *proposed_out = 0;
        return;
    }
    for (size_t i = 0; i < r->nlines; i++) {
        const struct reclaim_line *l = &r->lines[i];
        char f[32];
        snprintf(f, sizeof(f), "lines.%zu.block", i + 1);
        if (!l->block[0] || !id_ok(l->block))
            issue(is, f, "Ange blockets id (bokstäver, siffror, - och _)");
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->lines[j].block, l->block) == 0)
                issue(is, f, "Blocket %s finns redan på en annan rad", l->block);
        snprintf(f, sizeof(f), "lines.%zu.title", i + 1);
        if (!has_text(l->title, RECLAIM_TITLE_MAX_CHARS, 0))
            issue(is, f, "Ange blockets namn (högst %d tecken)", RECLAIM_TITLE_MAX_CHARS);
        snprintf(f, sizeof(f), "lines.%zu.paid", i + 1);
        if (l->paid < 0 || l->paid > RECLAIM_AMOUNT_MAX)
            issue(is, f, "Det utbetalda beloppet kan inte vara negativt");
        snprintf(f, sizeof(f), "lines.%zu.proposed", i + 1);
        if (l->proposed < 0)
            issue(is, f, "Beloppet som krävs tillbaka kan inte vara negativt");
        else if (l->proposed > l->paid)
            issue(is, f, "Det går inte att kräva tillbaka mer än som betalats ut för blocket");
        snprintf(f, sizeof(f), "lines.%zu.waived", i + 1);
        if (l->waived < 0)
            issue(is, f, "Eftergiften kan inte vara negativ");
        else if (l->waived > l->proposed)
            issue(is, f, "Eftergiften kan inte vara större än beloppet som krävs tillbaka");
        if (l->waived > 0 && l->waived <= RECLAIM_AMOUNT_MAX)
            waived += l->waived;
        if (l->proposed > 0 && l->proposed <= RECLAIM_AMOUNT_MAX)
            proposed += l->proposed;
    }
    *waived_out = waived;
    *proposed_out = proposed;
}

enum err reclaim_check(const struct reclaim *r, struct reclaim_issues *is)
{
    memset(is, 0, sizeof(*is));
    if (!r->number[0] || !id_ok(r->number))
        issue(is, "number", "Beslutet saknar nummer");
    if (!r->program[0])
        issue(is, "program", "Ange vilket statsbidrag återkravet gäller");
    if (!has_text(r->program_title, RECLAIM_TITLE_MAX_CHARS, 0))
        issue(is, "program_title", "Ange statsbidragets namn");
    if (!has_text(r->diarienummer, RECLAIM_DNR_MAX_CHARS, 0))
        issue(is, "diarienummer", "Ange statsbidragets diarienummer");
    if (org_code_role(r->recipient_code) != r->role ||
        (r->role != ROLE_KOMMUN && r->role != ROLE_REGION))
        issue(is, "recipient_code", "Ange mottagarens kommunkod eller länskod");
    if (!has_text(r->recipient_name, 63, 0))
        issue(is, "recipient_name", "Ange mottagarens namn");
    if (!orgnr_ok(r->orgnr))
        issue(is, "orgnr", "Mottagarens organisationsnummer saknas eller är fel");
    else if (!orgnr_fits_recipient(r->orgnr, r->role, r->recipient_code))
        issue(is, "orgnr", "Organisationsnumret hör inte till en %s",
              r->role == ROLE_REGION ? "region" : "kommun");
    if (!text_ok(r->buyer_reference, 0, 0, RECLAIM_BUYER_REF_MAX_CHARS))
        issue(is, "buyer_reference", "Mottagarens referens får vara högst %d tecken",
              RECLAIM_BUYER_REF_MAX_CHARS);
    if (r->ground == RECLAIM_GROUND_NONE || !reclaim_ground_id(r->ground)[0])
        issue(is, "ground", "Ange skälet till återkravet");
    if (!has_text(r->reasons, RECLAIM_REASONS_MAX_CHARS, STR_TEXT_LINES))
        issue(is, "reasons", "Skriv beslutets motivering (högst %d tecken)",
              RECLAIM_REASONS_MAX_CHARS);
    int64_t waived = 0, proposed = 0;
    check_lines(r, is, &waived, &proposed);
    if (r->nlines >= 1 && r->nlines <= RECLAIM_MAX_LINES && proposed == 0)
        issue(is, "lines", "Ange ett belopp som krävs tillbaka");
    switch (r->waiver) {
    case RECLAIM_WAIVER_NONE:
        if (waived > 0)
            issue(is, "waiver", "Ett belopp är eftergivet men beslutet säger ingen eftergift");
        break;
    case RECLAIM_WAIVER_PARTIAL:
        if (waived == 0 || waived >= proposed)
            issue(is, "waiver",
                  "Eftergift i del ska efterge en del av beloppet, inte inget och inte allt");
        break;
    case RECLAIM_WAIVER_WHOLE:
        if (waived != proposed)
            issue(is, "waiver", "Eftergift i sin helhet ska efterge hela beloppet");
        break;
    default:
        issue(is, "waiver", "Okänd eftergift");
    }
    if (r->waiver != RECLAIM_WAIVER_NONE &&
        !has_text(r->waiver_reason, RECLAIM_WAIVER_MAX_CHARS, STR_TEXT_LINES))
        issue(is, "waiver_reason", "Skriv de särskilda skälen för eftergiften (högst %d tecken)",
              RECLAIM_WAIVER_MAX_CHARS);
    if (r->waiver == RECLAIM_WAIVER_NONE && r->waiver_reason[0])
        issue(is, "waiver_reason", "Skäl för eftergift utan eftergift");
    if (!has_text(r->appeal, RECLAIM_APPEAL_MAX_CHARS, STR_TEXT_LINES))
        issue(is, "appeal", "Beslutet ska ha statsbidragets text om hur man överklagar");
    const struct reclaim_terms *t = &r->terms;
    if (t->days < 0 || t->days > 365)
        issue(is, "terms.days", "Betalningsvillkoret ska vara 1–365 dagar");
    if (t->instalments < 0 || t->instalments > RECLAIM_MAX_INSTALMENTS)
        issue(is, "terms.instalments", "Delbetalning kan medges i högst %d delar",
              RECLAIM_MAX_INSTALMENTS);
    if (t->interest && (t->interest_rate_bp <= 0 || t->interest_rate_bp > 5000))
        issue(is, "terms.interest_rate_bp", "Ange räntesatsen (0,01–50 procent)");
    if (!t->interest && t->interest_rate_bp != 0)
        issue(is, "terms.interest_rate_bp", "Ränta anges bara när statsbidraget tar ut ränta");
    if (!text_ok(r->prepared_by, 0, 1, RECLAIM_LOGIN_SIZE - 1) || blank(r->prepared_by))
        issue(is, "prepared_by", "Ange vem som berett beslutet");
    return is->n ? ERR_INVALID : ERR_OK;
}

int reclaim_four_eyes_ok(const char *preparer, const char *decider)
{
    if (!preparer || !decider || !preparer[0] || !decider[0])
        return 0;
    return strcasecmp(preparer, decider) != 0;
}

enum err reclaim_decide(struct reclaim *r, const char *decider, struct date on, char *msg, size_t n)
{
    if (r->decided_by[0] || date_is_set(r->decided_on))
        return say(msg, n, ERR_CONFLICT, "Återkravet %s är redan beslutat av %s", r->number,
                   r->decided_by);
    if (!decider || !decider[0] || strlen(decider) >= RECLAIM_LOGIN_SIZE)
        return say(msg, n, ERR_DENIED, "Ange vem som beslutar");
    if (!reclaim_four_eyes_ok(r->prepared_by, decider))
        return say(msg, n, ERR_DENIED,
                   "Du har berett återkravet %s själv; en annan person ska besluta", r->number);
    if (!date_valid(on))
        return say(msg, n, ERR_INVALID, "Ange beslutsdatum");
    struct reclaim_issues is;
    if (reclaim_check(r, &is) != ERR_OK)
        return say(msg, n, ERR_INVALID, "%s", is.v[0].msg);
    str_copy(r->decided_by, sizeof(r->decided_by), decider);
    r->decided_on = on;
    return ERR_OK;
}

/* --- numbers and references ------------------------------------------- */

enum err reclaim_doc_number(const char *prefix, int year, long seq, char out[RECLAIM_NUMBER_SIZE])
{
    out[0] = '\0';
    size_t pl = prefix ? strlen(prefix) : 0;
    if (pl < 2 || pl > 4 || year < 2000 || year > 2999 || seq < 1 || seq > 999999)
        return ERR_INVALID;
    for (size_t i = 0; i < pl; i++)
        if (prefix[i] < 'A' || prefix[i] > 'Z')
            return ERR_INVALID;
    snprintf(out, RECLAIM_NUMBER_SIZE, "%s-%04d-%06ld", prefix, year, seq);
    return ERR_OK;
}

enum err reclaim_ocr(int year, long seq, char out[RECLAIM_OCR_SIZE])
{
    out[0] = '\0';
    if (year < 2000 || year > 2999 || seq < 1 || seq > 999999)
        return ERR_INVALID;
    char body[RECLAIM_OCR_SIZE];
    snprintf(body, sizeof(body), "%04d%06ld", year, seq);
    return ocr_make(body, out, RECLAIM_OCR_SIZE); /* 12 digits: length digit 2 */
}

enum err reclaim_ocr_parse(const char *s, int *year, long *seq)
{
    char d[RECLAIM_OCR_SIZE];
    *year = 0;
    *seq = 0;
    if (ocr_parse(s, d, sizeof(d)) != ERR_OK || strlen(d) != 10)
        return ERR_PARSE; /* a twelve-digit reference has a ten-digit body */
    int y = 0;
    long q = 0;
    for (int i = 0; i < 4; i++)
        y = y * 10 + (d[i] - '0');
    for (int i = 4; i < 10; i++)
        q = q * 10 + (d[i] - '0');
    if (y < 2000 || y > 2999 || q < 1)
        return ERR_PARSE;
    *year = y;
    *seq = q;
    return ERR_OK;
}

struct date reclaim_due(struct date decided_on, const struct reclaim_terms *t)
{
    int days = t && t->days > 0 ? t->days : RECLAIM_DAYS_DEFAULT;
    return bankday_next(bankday_add_days(decided_on, days));
}

/* --- instalments, interest, payments ---------------------------------- */

enum err reclaim_instalments(const struct reclaim_terms *t, int64_t amount, int n,
                             struct date first_due, struct reclaim_instalment *out, char *msg,
                             size_t msgn)
{
    if (!t || t->instalments < 2)
        return say(msg, msgn, ERR_DENIED, "Statsbidraget medger inte delbetalning");
    if (n < 2)
        return say(msg, msgn, ERR_INVALID, "En avbetalningsplan har minst 2 delar");
    if (n > t->instalments)
        return say(msg, msgn, ERR_DENIED, "Statsbidraget medger delbetalning i högst %d delar",
                   t->instalments);
    if (amount < n || amount > RECLAIM_AMOUNT_MAX)
        return say(msg, msgn, ERR_INVALID, "Beloppet räcker inte till %d delar", n);
    if (!date_valid(first_due))
        return say(msg, msgn, ERR_INVALID, "Ange första förfallodagen");
    int64_t base = amount / n, rem = amount % n;
    for (int i = 0; i < n; i++) {
        out[i].amount = base + (i < rem ? 1 : 0);
        out[i].due = bankday_next(bankday_add_months(first_due, i));
    }
    return ERR_OK;
}

int64_t reclaim_interest(const struct reclaim_terms *t, int64_t principal, struct date due,
                         struct date paid_on)
{
    if (!t || !t->interest || t->interest_rate_bp <= 0 || principal <= 0)
        return 0;
    int64_t days = date_days(paid_on) - date_days(due);
    if (days <= 0)
        return 0;
    /* principal (< 2^50) * rate (<= 5000) * days (< 2^20) fits 128 bits */
    __int128 num = (__int128)principal * t->interest_rate_bp * days;
    __int128 den = (__int128)10000 * 365;
    return (int64_t)((num * 2 + den) / (den * 2));
}

static const struct {
    enum reclaim_state s;
    const char *id, *sv;
} states[] = {
    {RECLAIM_OPEN, "open", "obetald"},
    {RECLAIM_PART_PAID, "part_paid", "delvis betald"},
    {RECLAIM_PAID, "paid", "betald"},
    {RECLAIM_OVERPAID, "overpaid", "överbetald"},
    {RECLAIM_CANCELLED, "cancelled", "makulerad"},
};

const char *reclaim_state_id(enum reclaim_state s)
{
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
        if (states[i].s == s)
            return states[i].id;
    return "";
}

const char *reclaim_state_label_sv(enum reclaim_state s)
{
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
        if (states[i].s == s)
            return states[i].sv;
    return "";
}

int64_t reclaim_principal_left(const struct reclaim_account *a)
{
    int64_t left = a->invoiced - a->credited - (a->paid - a->interest_paid);
    return left > 0 ? left : 0;
}

int64_t reclaim_owed(const struct reclaim_account *a)
{
    return a->invoiced - a->credited + a->interest - a->paid;
}

enum reclaim_state reclaim_state_of(const struct reclaim_account *a)
{
    int64_t owed = reclaim_owed(a);
    if (owed < 0)
        return RECLAIM_OVERPAID;
    if (a->paid == 0)
        return a->invoiced - a->credited <= 0 ? RECLAIM_CANCELLED : RECLAIM_OPEN;
    return owed == 0 ? RECLAIM_PAID : RECLAIM_PART_PAID;
}

enum err reclaim_pay(struct reclaim_account *a, const struct reclaim_terms *t, int64_t amount,
                     struct date paid_on, struct reclaim_payment_result *res, char *msg, size_t n)
{
    memset(res, 0, sizeof(*res));
    if (amount <= 0 || amount > RECLAIM_AMOUNT_MAX)
        return say(msg, n, ERR_INVALID, "Ange ett belopp större än noll");
    if (!date_valid(paid_on))
        return say(msg, n, ERR_INVALID, "Ange betalningsdagen");
    /* interest for the principal left, from the later of due and the day
     * interest was last charged to, up to this payment */
    struct date from = a->due;
    if (date_is_set(a->interest_to) && date_cmp(a->interest_to, from) > 0)
        from = a->interest_to;
    int64_t principal = reclaim_principal_left(a);
    int64_t add = reclaim_interest(t, principal, from, paid_on);
    if (add > 0) {
        a->interest += add;
        a->interest_to = paid_on;
        res->interest_new = add;
    }
    int64_t owed_before = reclaim_owed(a);
    int64_t interest_left = a->interest - a->interest_paid;
    int64_t left = amount;
    res->to_interest = left < interest_left ? left : interest_left;
    left -= res->to_interest;
    int64_t principal_left = reclaim_principal_left(a);
    res->to_principal = left < principal_left ? left : principal_left;
    left -= res->to_principal;
    res->excess = left;
    a->paid += amount;
    a->interest_paid += res->to_interest;
    if (amount < owed_before && (!t || t->instalments < 2))
        res->partial_not_agreed = 1;
    res->state = reclaim_state_of(a);
    return ERR_OK;
}

/* --- credit notes ----------------------------------------------------- */

enum err reclaim_credit_for(const struct reclaim *invoiced, const char *invoice,
                            const struct reclaim *revised, struct reclaim_credit *out, char *msg,
                            size_t n)
{
    memset(out, 0, sizeof(*out));
    if (!invoice || !invoice[0] || str_copy(out->invoice, sizeof(out->invoice), invoice))
        return say(msg, n, ERR_INVALID, "Ange fakturan som krediteras");
    if (revised &&
        (strcmp(revised->recipient_code, invoiced->recipient_code) != 0 ||
         revised->role != invoiced->role || strcmp(revised->program, invoiced->program) != 0))
        return say(msg, n, ERR_INVALID,
                   "Det ändrade beslutet gäller en annan mottagare eller ett annat statsbidrag");
    if (revised) {
        for (size_t j = 0; j < revised->nlines && j < RECLAIM_MAX_LINES; j++) {
            int found = 0;
            for (size_t i = 0; i < invoiced->nlines && i < RECLAIM_MAX_LINES; i++)
                found |= strcmp(invoiced->lines[i].block, revised->lines[j].block) == 0;
            if (!found && reclaim_line_amount(&revised->lines[j]) > 0)
                return say(msg, n, ERR_INVALID,
                           "Blocket %s fanns inte på fakturan; ett högre krav är en ny faktura",
                           revised->lines[j].block);
        }
    }
    for (size_t i = 0; i < invoiced->nlines && i < RECLAIM_MAX_LINES; i++) {
        const struct reclaim_line *l = &invoiced->lines[i];
        int64_t before = reclaim_line_amount(l), now = 0;
        for (size_t j = 0; revised && j < revised->nlines && j < RECLAIM_MAX_LINES; j++)
            if (strcmp(revised->lines[j].block, l->block) == 0)
                now = reclaim_line_amount(&revised->lines[j]);
        if (now > before)
            return say(msg, n, ERR_INVALID,
                       "Beloppet för blocket %s har höjts; ett högre krav är en ny faktura, "
                       "inte en kreditnota",
                       l->block);
        if (now == before)
            continue;
        struct reclaim_line *c = &out->lines[out->nlines++];
        *c = *l;
        c->proposed = before - now;
        c->waived = 0;
        out->total += c->proposed;
    }
    if (out->total <= 0) {
        memset(out, 0, sizeof(*out));
        return say(msg, n, ERR_INVALID, "Inget belopp har sänkts; det finns inget att kreditera");
    }
    out->cancels = out->total == reclaim_total(invoiced);
    return ERR_OK;
}
