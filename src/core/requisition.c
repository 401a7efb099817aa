/* requisition.c - requisition rules: validation, window, states,
 * canonical text, version diff and the split over blocks. */
#include "core/requisition.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/casekind.h"
#include "util/money.h"
#include "util/str.h"
#include "util/zipdir.h"

static const char *const state_ids[REQ_STATE_COUNT] = {"draft", "submitted", "returned", "approved",
                                                       "rejected"};
static const char *const state_sv[REQ_STATE_COUNT] = {N_("utkast"), N_("inskickad"),
                                                      N_("returnerad för komplettering"),
                                                      N_("beviljad"), N_("avslagen")};

const char *req_state_id(enum req_state s)
{
    return (unsigned)s < REQ_STATE_COUNT ? state_ids[s] : "";
}

const char *req_state_label_sv(enum req_state s)
{
    return (unsigned)s < REQ_STATE_COUNT ? state_sv[s] : "";
}

int req_state_parse(const char *s)
{
    for (int i = 0; s && i < REQ_STATE_COUNT; i++)
        if (strcmp(s, state_ids[i]) == 0)
            return i;
    return -1;
}

enum err req_number_fmt(char *out, size_t size, const char *series, int year, long long n)
{
    return case_number_fmt(out, size, series, year, n);
}

void req_form_init(struct req_form *f)
{
    memset(f, 0, sizeof(*f));
    f->amount_ore = -1;
    f->extra_cap_ore = REQ_EXTRA_ANY;
}

void req_form_release(struct req_form *f)
{
    for (size_t i = 0; i < f->nmeasures; i++)
        free(f->measures[i].description);
    req_form_init(f);
}

enum err req_measure_add(struct req_form *f, const char *purpose, const char *description,
                         int64_t planned_ore)
{
    if (f->nmeasures >= REQ_MEASURES_MAX)
        return ERR_LIMIT;
    const char *d = description ? description : "";
    size_t len = strlen(d);
    if (len > REQ_TEXT_MAX_BYTES)
        return ERR_LIMIT;
    char *copy = malloc(len + 1);
    if (!copy)
        return ERR_NOMEM;
    memcpy(copy, d, len + 1);
    struct req_measure *m = &f->measures[f->nmeasures++];
    str_copy(m->purpose, sizeof(m->purpose), purpose ? purpose : "");
    m->description = copy;
    m->planned_ore = planned_ore;
    return ERR_OK;
}

enum err req_form_copy(struct req_form *dst, const struct req_form *src)
{
    *dst = *src;
    dst->nmeasures = 0;
    for (size_t i = 0; i < src->nmeasures; i++) {
        const struct req_measure *m = &src->measures[i];
        enum err e = req_measure_add(dst, m->purpose, m->description, m->planned_ore);
        if (e != ERR_OK) {
            req_form_release(dst);
            return e;
        }
    }
    return ERR_OK;
}

int64_t req_max_ore(const struct allocation *a, const char *code)
{
    int64_t kr = 0;
    for (size_t i = 0; a && i < a->nblocks; i++) {
        const struct alloc_line *l = key_line(&a->blocks[i], code);
        if (l)
            kr += l->amount_kr;
    }
    return kr * MONEY_ORE_PER_KR;
}

const char *req_plan_type(const unsigned char *data, size_t len)
{
    if (data && len >= 5 && memcmp(data, "%PDF-", 5) == 0)
        return "application/pdf";
    /* XLSX is a ZIP container (local file header PK\3\4) whose central
     * directory names the package's content types and the workbook */
    static const char *const xlsx_parts[] = {"[Content_Types].xml", "xl/workbook.xml"};
    if (data && len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0 &&
        zipdir_has_all(data, len, xlsx_parts, 2))
        return REQ_XLSX_TYPE;
    return NULL;
}

/* Copy one line of text into a fixed field sized for max_chars
 * characters; an issue if it is no text or longer. */
static enum err set_text(char *dst, size_t n, size_t max_chars, const char *field,
                         const char *value, struct msg_issues *is)
{
    long chars = str_text_chars(value, strlen(value), 0);
    if (chars < 0) {
        if (is)
            msg_issue_add(is, field, M_("Texten innehåller ogiltiga tecken"));
        return ERR_PARSE;
    }
    if ((size_t)chars > max_chars || strlen(value) >= n) {
        if (is)
            msg_issue_addf(is, field, M_("Texten är för lång (högst {1} tecken)"),
                           msg_int((int64_t)max_chars));
        return ERR_PARSE;
    }
    str_copy(dst, n, value);
    return ERR_OK;
}

#define SET_TEXT(dst, max, field, value, is)                                                       \
    set_text((dst), sizeof(dst), (max), (field), (value), (is))

static int yes(const char *v)
{
    static const char *const ys[] = {"1", "on", "ja", "yes", "true", "Ja", "JA"};
    for (size_t i = 0; i < sizeof(ys) / sizeof(ys[0]); i++)
        if (strcmp(v, ys[i]) == 0)
            return 1;
    return 0;
}

/* An amount field: empty gives empty_value. */
static enum err set_amount(int64_t *dst, const char *field, const char *value, int64_t empty_value,
                           struct msg_issues *is)
{
    char b[64];
    if (strlen(value) >= sizeof(b)) {
        if (is)
            msg_issue_add(is, field, M_("Ange beloppet i kronor, till exempel 1 250 000"));
        return ERR_PARSE;
    }
    str_copy(b, sizeof(b), value);
    str_trim(b);
    size_t len = strlen(b);
    /* "1 250 000 kr" */
    if (len >= 2 && (strcmp(b + len - 2, "kr") == 0 || strcmp(b + len - 2, "Kr") == 0)) {
        b[len - 2] = '\0';
        str_trim(b);
    }
    if (!b[0]) {
        *dst = empty_value;
        return ERR_OK;
    }
    int64_t ore = 0;
    if (money_parse(b, &ore) != ERR_OK || ore < 0) {
        if (is)
            msg_issue_add(is, field, M_("Ange beloppet i kronor, till exempel 1 250 000"));
        return ERR_PARSE;
    }
    *dst = ore;
    return ERR_OK;
}

enum err req_form_set(struct req_form *f, const char *field, const char *value,
                      struct msg_issues *is)
{
    if (!field || !value)
        return ERR_NOTFOUND;
    if (strcmp(field, "amount") == 0)
        return set_amount(&f->amount_ore, field, value, -1, is);
    if (strcmp(field, "contact_name") == 0)
        return SET_TEXT(f->contact_name, REQ_CONTACT_NAME_MAX_CHARS, field, value, is);
    if (strcmp(field, "contact_email") == 0)
        return SET_TEXT(f->contact_email, REQ_CONTACT_EMAIL_MAX_CHARS, field, value, is);
    if (strcmp(field, "contact_phone") == 0)
        return SET_TEXT(f->contact_phone, REQ_CONTACT_PHONE_MAX_CHARS, field, value, is);
    if (strcmp(field, "account_kind") == 0)
        return SET_TEXT(f->account_kind, REQ_ID_MAX_CHARS, field, value, is);
    if (strcmp(field, "account") == 0)
        return SET_TEXT(f->account, PAYACCT_INPUT_MAX, "account", value, is);
    if (strcmp(field, "extra_cap") == 0)
        return set_amount(&f->extra_cap_ore, field, value, REQ_EXTRA_ANY, is);
    if (strcmp(field, "opt_in") == 0) {
        f->opt_in = yes(value);
        return ERR_OK;
    }
    if (strcmp(field, "confirmed") == 0) {
        f->confirmed = yes(value);
        return ERR_OK;
    }
    if (!str_starts(field, "measure."))
        return ERR_NOTFOUND;
    const char *p = field + 8;
    int k = 0;
    while (*p >= '0' && *p <= '9' && k <= REQ_MEASURES_MAX)
        k = k * 10 + (*p++ - '0');
    if (k < 1 || *p != '.')
        return ERR_NOTFOUND;
    p++;
    if (strcmp(p, "purpose") != 0 && strcmp(p, "description") != 0 && strcmp(p, "planned") != 0)
        return ERR_NOTFOUND;
    if (k > REQ_MEASURES_MAX) {
        if (is)
            msg_issue_addf(is, "measures", M_("Högst {1} insatser"), msg_int(REQ_MEASURES_MAX));
        return ERR_PARSE;
    }
    while (f->nmeasures < (size_t)k) {
        enum err e = req_measure_add(f, "", "", 0);
        if (e != ERR_OK)
            return e;
    }
    struct req_measure *m = &f->measures[k - 1];
    if (strcmp(p, "purpose") == 0)
        return SET_TEXT(m->purpose, REQ_ID_MAX_CHARS, field, value, is);
    if (strcmp(p, "planned") == 0)
        return set_amount(&m->planned_ore, field, value, 0, is);
    size_t len = strlen(value);
    if (len > REQ_TEXT_MAX_BYTES) {
        if (is)
            msg_issue_addf(is, field, M_("Beskrivningen får ha högst {1} tecken"),
                           msg_int(REQ_DESC_MAX_CHARS));
        return ERR_PARSE;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return ERR_NOMEM;
    memcpy(copy, value, len + 1);
    free(m->description);
    m->description = copy;
    return ERR_OK;
}

enum err req_form_set_plan_name(struct req_form *f, const char *name, struct msg_issues *is)
{
    return SET_TEXT(f->plan.name, REQ_PLAN_NAME_MAX_CHARS, "plan", name ? name : "", is);
}

void req_form_trim(struct req_form *f)
{
    size_t k = 0;
    for (size_t i = 0; i < f->nmeasures; i++) {
        struct req_measure *m = &f->measures[i];
        const char *d = m->description ? m->description : "";
        while (*d == ' ' || *d == '\n' || *d == '\r' || *d == '\t')
            d++;
        if (!m->purpose[0] && !*d && m->planned_ore == 0) {
            free(m->description);
            continue;
        }
        f->measures[k++] = *m;
    }
    for (size_t i = k; i < f->nmeasures; i++)
        memset(&f->measures[i], 0, sizeof(f->measures[i]));
    f->nmeasures = k;
}

static int purpose_known(const struct program *p, const char *id)
{
    for (size_t i = 0; i < p->npurposes; i++)
        if (strcmp(p->purposes[i].id, id) == 0)
            return 1;
    return 0;
}

static int email_ok(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@'))
        return 0;
    const char *dot = strrchr(at + 1, '.');
    if (!dot || dot == at + 1 || dot[1] == '\0')
        return 0;
    for (const char *p = s; *p; p++)
        if (*p == ' ' || *p == '<' || *p == '>' || *p == ',' || (unsigned char)*p < 0x20)
            return 0;
    return 1;
}

static int phone_ok(const char *s)
{
    int digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr(" +-()", *p))
            return 0;
    }
    return digits >= 6 && digits <= 15;
}

/* Text by the rules of util/str.h (one line unless flags allow more). */
static void text_rule(struct msg_issues *out, const char *field, const char *s, int flags)
{
    if (!str_text_ok(s, strlen(s), flags))
        msg_issue_add(out, field, M_("Texten innehåller ogiltiga tecken"));
}

size_t req_validate(const struct req_form *f, const struct program *p, int64_t max_ore,
                    int for_submit, struct msg_issues *out)
{
    char field[32];
    out->n = 0;
    /* what can never be stored: broken text, oversized or unknown files */
    text_rule(out, "contact_name", f->contact_name, 0);
    text_rule(out, "contact_email", f->contact_email, 0);
    text_rule(out, "contact_phone", f->contact_phone, 0);
    text_rule(out, "plan", f->plan.name, 0);
    for (size_t i = 0; i < f->nmeasures; i++) {
        snprintf(field, sizeof(field), "measure.%d.description", (int)(i + 1));
        const char *d = f->measures[i].description ? f->measures[i].description : "";
        text_rule(out, field, d, STR_TEXT_LINES);
    }
    if (f->plan_data) {
        if (!p->production_plan)
            msg_issue_add(out, "plan",
                          M_("Statsbidraget kräver ingen produktionsplan, så filen tas inte emot"));
        else if (f->plan_len > REQ_PLAN_MAX_BYTES)
            msg_issue_add(out, "plan", M_("Produktionsplanen får vara högst 10 MiB"));
        else if (!req_plan_type(f->plan_data, f->plan_len))
            msg_issue_add(out, "plan",
                          M_("Produktionsplanen ska vara en PDF- eller Excelfil (xlsx)"));
    }
    if (!for_submit)
        return out->n;

    int64_t amount = f->amount_ore < 0 ? max_ore : f->amount_ore;
    if (max_ore <= 0) {
        msg_issue_addf(out, "amount", M_("Organisationen har inget belopp att rekvirera i {1}"),
                       msg_str(p->title));
    } else if (amount <= 0) {
        msg_issue_add(out, "amount", M_("Ange ett belopp större än 0 kr"));
    } else if (amount % MONEY_ORE_PER_KR != 0) {
        msg_issue_add(out, "amount", M_("Ange beloppet i hela kronor"));
    } else if (amount > max_ore) {
        msg_issue_addf(out, "amount", M_("Beloppet får vara högst {1}"), msg_money(max_ore));
    }

    if (f->nmeasures == 0)
        msg_issue_add(out, "measures", M_("Lägg till minst en insats"));
    int64_t planned = 0;
    for (size_t i = 0; i < f->nmeasures; i++) {
        const struct req_measure *m = &f->measures[i];
        snprintf(field, sizeof(field), "measure.%d.purpose", (int)(i + 1));
        if (!m->purpose[0])
            msg_issue_add(out, field, M_("Välj vilket syfte insatsen avser"));
        else if (!purpose_known(p, m->purpose))
            msg_issue_add(out, field, M_("Syftet finns inte i statsbidraget"));
        snprintf(field, sizeof(field), "measure.%d.description", (int)(i + 1));
        const char *d = m->description ? m->description : "";
        long chars = str_text_chars(d, strlen(d), STR_TEXT_LINES);
        size_t k = 0;
        while (d[k] == ' ' || d[k] == '\n' || d[k] == '\r' || d[k] == '\t')
            k++;
        if (d[k] == '\0')
            msg_issue_add(out, field, M_("Beskriv insatsen"));
        else if (chars > REQ_DESC_MAX_CHARS)
            msg_issue_addf(out, field, M_("Beskrivningen får ha högst {1} tecken (nu {2})"),
                           msg_int(REQ_DESC_MAX_CHARS), msg_int(chars));
        snprintf(field, sizeof(field), "measure.%d.planned", (int)(i + 1));
        if (m->planned_ore < 0)
            msg_issue_add(out, field, M_("Det planerade beloppet får inte vara negativt"));
        else if (m->planned_ore > max_ore && max_ore > 0)
            msg_issue_add(out, field, M_("Det planerade beloppet är större än beloppet"));
        else
            planned += m->planned_ore;
    }
    if (amount > 0 && planned > amount) {
        msg_issue_addf(out, "measures",
                       M_("Insatsernas planerade belopp ({1}) är större än det rekvirerade "
                          "beloppet ({2})"),
                       msg_money(planned), msg_money(amount));
    }

    if (!f->contact_name[0])
        msg_issue_add(out, "contact_name", M_("Ange kontaktpersonens namn"));
    if (!f->contact_email[0])
        msg_issue_add(out, "contact_email", M_("Ange kontaktpersonens e-postadress"));
    else if (!email_ok(f->contact_email))
        msg_issue_add(out, "contact_email", M_("E-postadressen ser inte ut som en e-postadress"));
    if (!f->contact_phone[0])
        msg_issue_add(out, "contact_phone", M_("Ange kontaktpersonens telefonnummer"));
    else if (!phone_ok(f->contact_phone))
        msg_issue_add(out, "contact_phone",
                      M_("Telefonnumret får bara innehålla siffror, mellanslag, + och -"));

    enum payacct_kind kind = payacct_kind_parse(f->account_kind);
    if (!f->account[0]) {
        msg_issue_add(out, "account", M_("Ange bankgiro, plusgiro eller IBAN för utbetalningen"));
    } else {
        struct payacct pa;
        struct msg why;
        if (payacct_parse(kind, f->account, &pa, &why) != ERR_OK && out->n < MSG_ISSUES_MAX) {
            struct msg_issue *x = &out->v[out->n++];
            str_copy(x->field, sizeof(x->field), "account");
            x->msg = why;
        }
    }

    /* the accessibility grant's production plan "kan komma att begäras
     * in": optional at requisition (checked when given, above) */
    if (!f->confirmed)
        msg_issue_add(out, "confirmed",
                      M_("Bekräfta att uppgifterna stämmer och att villkoren för statsbidraget "
                         "följs"));
    return out->n;
}

enum err req_window_check(const struct program *p, struct date today, struct msg *why)
{
    struct msg ignored;
    if (!why)
        why = &ignored;
    struct civil_window w = civil_window_at(p->requisition_opens, p->requisition_closes, today);
    if (!date_is_set(p->requisition_opens) || w.state == CIVIL_WINDOW_UNSET) {
        msg_set(why, M_("Statsbidraget går inte att rekvirera: rekvisitionsperioden är inte satt"));
        return ERR_DENIED;
    }
    if (w.state == CIVIL_WINDOW_NOT_OPEN) {
        msg_setf(why, M_("Rekvisitionen öppnar {1}"), msg_date(p->requisition_opens));
        return ERR_DENIED;
    }
    if (w.state == CIVIL_WINDOW_CLOSED) {
        msg_setf(why, M_("Rekvisitionen stängde {1}"), msg_date(p->requisition_closes));
        return ERR_DENIED;
    }
    return ERR_OK;
}

enum err req_window_save_check(const struct program *p, struct date today, struct msg *why)
{
    struct msg ignored;
    if (!why)
        why = &ignored;
    if (!date_is_set(p->requisition_opens))
        return ERR_OK;
    if (req_window_check(p, today, why) == ERR_DENIED &&
        civil_window_at(p->requisition_opens, p->requisition_closes, today).state ==
            CIVIL_WINDOW_CLOSED)
        return ERR_DENIED;
    msg_clear(why);
    return ERR_OK;
}

int req_action_allowed(enum req_state from, enum req_action a)
{
    switch (a) {
    case REQ_ACT_SAVE:
    case REQ_ACT_SUBMIT:
        return from == REQ_DRAFT || from == REQ_RETURNED;
    case REQ_ACT_RETURN:
    case REQ_ACT_APPROVE:
    case REQ_ACT_REJECT:
        return from == REQ_SUBMITTED;
    }
    return 0;
}

static enum err canon_text(struct buf *b, const char *key, const char *v)
{
    enum err e = buf_puts(b, key);
    if (e == ERR_OK)
        e = buf_putc(b, '=');
    for (const char *p = v ? v : ""; e == ERR_OK && *p; p++) {
        if (*p == '\n')
            e = buf_puts(b, "\\n");
        else if (*p == '\r')
            e = buf_puts(b, "\\r");
        else if (*p == '\\')
            e = buf_puts(b, "\\\\");
        else
            e = buf_putc(b, *p);
    }
    if (e == ERR_OK)
        e = buf_putc(b, '\n');
    return e;
}

enum err req_form_canon(const struct req_form *f, struct buf *b)
{
    enum err e = canon_text(b, "program", f->program);
    if (e == ERR_OK)
        e = canon_text(b, "recipient", f->recipient);
    if (e == ERR_OK)
        e = buf_printf(b, "amount=%lld\nmeasures=%zu\n", (long long)f->amount_ore, f->nmeasures);
    for (size_t i = 0; e == ERR_OK && i < f->nmeasures; i++) {
        e = buf_printf(b, "measure.%d.purpose=%s\nmeasure.%d.planned=%lld\n", (int)(i + 1),
                       f->measures[i].purpose, (int)(i + 1), (long long)f->measures[i].planned_ore);
        if (e == ERR_OK)
            e = canon_text(b, "measure.description", f->measures[i].description);
    }
    if (e == ERR_OK)
        e = canon_text(b, "contact_name", f->contact_name);
    if (e == ERR_OK)
        e = canon_text(b, "contact_email", f->contact_email);
    if (e == ERR_OK)
        e = canon_text(b, "contact_phone", f->contact_phone);
    if (e == ERR_OK)
        e = canon_text(b, "account_kind", f->account_kind);
    if (e == ERR_OK)
        e = canon_text(b, "account", f->account);
    if (e == ERR_OK)
        e = buf_printf(b, "opt_in=%d\nconfirmed=%d\n", f->opt_in ? 1 : 0, f->confirmed ? 1 : 0);
    /* only when stated, so that versions saved before the field keep
     * their digests */
    if (e == ERR_OK && f->opt_in && f->extra_cap_ore != REQ_EXTRA_ANY)
        e = buf_printf(b, "extra_cap=%lld\n", (long long)f->extra_cap_ore);
    if (e == ERR_OK)
        e = canon_text(b, "plan.name", f->plan.name);
    if (e == ERR_OK)
        e = canon_text(b, "plan.sha256", f->plan.sha256);
    return e;
}

static int str_ne(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") != 0;
}

size_t req_form_diff(const struct req_form *a, const struct req_form *b, char (*fields)[32],
                     size_t max)
{
    size_t n = 0;
#define DIFF(cond, name)                                                                           \
    do {                                                                                           \
        if ((cond) && n < max)                                                                     \
            str_copy(fields[n++], 32, name);                                                       \
    } while (0)
    DIFF(a->amount_ore != b->amount_ore, "amount");
    size_t nm = a->nmeasures > b->nmeasures ? a->nmeasures : b->nmeasures;
    DIFF(a->nmeasures != b->nmeasures, "measures");
    for (size_t i = 0; i < nm; i++) {
        char f[32];
        if (i >= a->nmeasures || i >= b->nmeasures) {
            snprintf(f, sizeof(f), "measure.%d", (int)(i + 1));
            DIFF(1, f);
            continue;
        }
        const struct req_measure *x = &a->measures[i], *y = &b->measures[i];
        snprintf(f, sizeof(f), "measure.%d.purpose", (int)(i + 1));
        DIFF(strcmp(x->purpose, y->purpose) != 0, f);
        snprintf(f, sizeof(f), "measure.%d.description", (int)(i + 1));
        DIFF(str_ne(x->description, y->description), f);
        snprintf(f, sizeof(f), "measure.%d.planned", (int)(i + 1));
        DIFF(x->planned_ore != y->planned_ore, f);
    }
    DIFF(strcmp(a->contact_name, b->contact_name) != 0, "contact_name");
    DIFF(strcmp(a->contact_email, b->contact_email) != 0, "contact_email");
    DIFF(strcmp(a->contact_phone, b->contact_phone) != 0, "contact_phone");
    DIFF(strcmp(a->account_kind, b->account_kind) != 0 || strcmp(a->account, b->account) != 0,
         "account");
    DIFF(!a->opt_in != !b->opt_in, "opt_in");
    DIFF(a->extra_cap_ore != b->extra_cap_ore, "extra_cap");
    DIFF(strcmp(a->plan.sha256, b->plan.sha256) != 0, "plan");
    DIFF(!a->confirmed != !b->confirmed, "confirmed");
#undef DIFF
    return n;
}

void req_split_blocks(const struct allocation *a, const char *code, int64_t kr, int64_t *out)
{
    int64_t total = 0, given = 0;
    for (size_t i = 0; i < a->nblocks; i++) {
        const struct alloc_line *l = key_line(&a->blocks[i], code);
        out[i] = 0;
        total += l ? l->amount_kr : 0;
    }
    if (total <= 0 || kr <= 0)
        return;
    if (kr > total)
        kr = total;
    for (size_t i = 0; i < a->nblocks; i++) {
        const struct alloc_line *l = key_line(&a->blocks[i], code);
        if (!l)
            continue;
        out[i] = (int64_t)((__int128)kr * l->amount_kr / total);
        given += out[i];
    }
    for (size_t i = 0; given < kr && i < a->nblocks; i++) {
        const struct alloc_line *l = key_line(&a->blocks[i], code);
        while (l && given < kr && out[i] < l->amount_kr) {
            out[i]++;
            given++;
        }
    }
}

int64_t req_left_ore(int64_t allocated_ore, int64_t approved_ore, int redistributed,
                     int64_t remaining_ore)
{
    int64_t left = redistributed ? remaining_ore : allocated_ore - approved_ore;
    return left < 0 ? 0 : left;
}
