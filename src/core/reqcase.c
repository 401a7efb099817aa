/* reqcase.c - the requisition's content codec and kind (reqcase.h). */
#include "core/reqcase.h"

#include <stdio.h>
#include <string.h>

#include "util/money.h"
#include "util/str.h"

/* ---- form -> JSON ---- */

/* Add member name = v to o, consuming v; ERR_NOMEM when it cannot. */
static enum err put(json_t *o, const char *name, json_t *v)
{
    return v && json_object_set_new(o, name, v) == 0 ? ERR_OK : ERR_NOMEM;
}

enum err reqcase_to_json(const struct req_form *f, json_t **out)
{
    *out = NULL;
    json_t *o = json_object(), *ms = json_array();
    enum err e = o && ms ? ERR_OK : ERR_NOMEM;
    if (e == ERR_OK)
        e = put(o, "program", json_string(f->program));
    if (e == ERR_OK)
        e = put(o, "recipient", json_string(f->recipient));
    if (e == ERR_OK && f->amount_ore >= 0)
        e = put(o, "amount_ore", json_integer(f->amount_ore));
    for (size_t i = 0; e == ERR_OK && i < f->nmeasures; i++) {
        const struct req_measure *m = &f->measures[i];
        json_t *x = json_pack("{s:s, s:s, s:I}", "purpose", m->purpose, "description",
                              m->description ? m->description : "", "planned_ore",
                              (json_int_t)m->planned_ore);
        e = x && json_array_append_new(ms, x) == 0 ? ERR_OK : ERR_NOMEM;
    }
    if (e == ERR_OK) {
        e = put(o, "measures", ms);
        ms = NULL;
    }
    if (e == ERR_OK)
        e = put(o, "contact_name", json_string(f->contact_name));
    if (e == ERR_OK)
        e = put(o, "contact_email", json_string(f->contact_email));
    if (e == ERR_OK)
        e = put(o, "contact_phone", json_string(f->contact_phone));
    if (e == ERR_OK)
        e = put(o, "account_kind", json_string(f->account_kind));
    if (e == ERR_OK)
        e = put(o, "account", json_string(f->account));
    if (e == ERR_OK)
        e = put(o, "opt_in", json_boolean(f->opt_in));
    if (e == ERR_OK)
        e = put(o, "extra_cap_ore", json_integer(f->extra_cap_ore));
    if (e == ERR_OK)
        e = put(o, "confirmed", json_boolean(f->confirmed));
    json_decref(ms);
    if (e != ERR_OK) {
        json_decref(o);
        return e;
    }
    *out = o;
    return ERR_OK;
}

/* ---- JSON -> form ---- */

static void cannot_read(struct msg_issues *is, const char *field, int *bad)
{
    *bad = 1;
    if (is)
        msg_issue_add(is, field, M_("Uppgiften kan inte läsas eller är för lång"));
}

/* A string member into a field of n bytes: absent is "", another type or
 * one that does not fit is an issue. */
static void text_in(const json_t *j, const char *name, const char *field, char *dst, size_t n,
                    struct msg_issues *is, int *bad)
{
    const json_t *v = json_object_get(j, name);
    dst[0] = '\0';
    if (!v)
        return;
    if (!json_is_string(v) || str_copy(dst, n, json_string_value(v)) ||
        strlen(json_string_value(v)) != json_string_length(v)) {
        dst[0] = '\0';
        cannot_read(is, field, bad);
    }
}

static void int_in(const json_t *j, const char *name, const char *field, int64_t *dst, int64_t dflt,
                   struct msg_issues *is, int *bad)
{
    const json_t *v = json_object_get(j, name);
    *dst = dflt;
    if (!v)
        return;
    if (!json_is_integer(v))
        cannot_read(is, field, bad);
    else
        *dst = (int64_t)json_integer_value(v);
}

static void bool_in(const json_t *j, const char *name, int *dst, struct msg_issues *is, int *bad)
{
    const json_t *v = json_object_get(j, name);
    *dst = 0;
    if (!v)
        return;
    if (!json_is_boolean(v))
        cannot_read(is, name, bad);
    else
        *dst = json_is_true(v);
}

enum err reqcase_from_json(const json_t *j, struct req_form *f, struct msg_issues *is)
{
    int bad = 0;
    req_form_init(f);
    if (!json_is_object(j))
        return ERR_PARSE;
    text_in(j, "program", "program", f->program, sizeof(f->program), is, &bad);
    text_in(j, "recipient", "recipient", f->recipient, sizeof(f->recipient), is, &bad);
    int_in(j, "amount_ore", "amount", &f->amount_ore, -1, is, &bad);
    const json_t *ms = json_object_get(j, "measures");
    if (ms && (!json_is_array(ms) || json_array_size(ms) > REQ_MEASURES_MAX))
        cannot_read(is, "measures", &bad);
    for (size_t i = 0; ms && json_is_array(ms) && i < json_array_size(ms) && i < REQ_MEASURES_MAX;
         i++) {
        const json_t *m = json_array_get(ms, i);
        char fp[32], fd[32], fo[32], purpose[STR_UTF8_SIZE(REQ_ID_MAX_CHARS)];
        char desc[REQ_TEXT_MAX_BYTES + 1];
        int64_t planned = 0;
        snprintf(fp, sizeof(fp), "measure.%d.purpose", (int)(i + 1));
        snprintf(fd, sizeof(fd), "measure.%d.description", (int)(i + 1));
        snprintf(fo, sizeof(fo), "measure.%d.planned", (int)(i + 1));
        if (!json_is_object(m)) {
            cannot_read(is, fp, &bad);
            continue;
        }
        text_in(m, "purpose", fp, purpose, sizeof(purpose), is, &bad);
        text_in(m, "description", fd, desc, sizeof(desc), is, &bad);
        int_in(m, "planned_ore", fo, &planned, 0, is, &bad);
        if (req_measure_add(f, purpose, desc, planned) != ERR_OK)
            cannot_read(is, fp, &bad);
    }
    text_in(j, "contact_name", "contact_name", f->contact_name, sizeof(f->contact_name), is, &bad);
    text_in(j, "contact_email", "contact_email", f->contact_email, sizeof(f->contact_email), is,
            &bad);
    text_in(j, "contact_phone", "contact_phone", f->contact_phone, sizeof(f->contact_phone), is,
            &bad);
    text_in(j, "account_kind", "account_kind", f->account_kind, sizeof(f->account_kind), is, &bad);
    text_in(j, "account", "account", f->account, sizeof(f->account), is, &bad);
    bool_in(j, "opt_in", &f->opt_in, is, &bad);
    int_in(j, "extra_cap_ore", "extra_cap", &f->extra_cap_ore, REQ_EXTRA_ANY, is, &bad);
    bool_in(j, "confirmed", &f->confirmed, is, &bad);
    return bad ? ERR_PARSE : ERR_OK;
}

/* ---- the codec ---- */

static size_t validate(const json_t *content, const void *ctx, int for_submit,
                       struct msg_issues *out)
{
    const struct reqcase_ctx *x = ctx;
    size_t before = out->n;
    struct req_form f;
    struct msg_issues more;
    enum err e = reqcase_from_json(content, &f, out);
    if (e == ERR_OK && x && x->prog) {
        if (x->plan)
            f.plan = *x->plan;
        req_validate(&f, x->prog, x->max_ore, for_submit, &more);
        for (size_t i = 0; i < more.n && out->n < MSG_ISSUES_MAX; i++)
            out->v[out->n++] = more.v[i];
    } else if (e != ERR_OK && out->n == before) {
        msg_issue_add(out, "amount", M_("Uppgiften kan inte läsas eller är för lång"));
    }
    req_form_release(&f);
    return out->n - before;
}

static int64_t amount(const json_t *content)
{
    const json_t *a = json_object_get(content, "amount_ore");
    return json_is_integer(a) ? (int64_t)json_integer_value(a) : -1;
}

static const struct case_field fields[] = {
    {"amount_ore", N_("Belopp")},
    {"measures", N_("Insatser")},
    {"contact_name", N_("Kontaktperson")},
    {"contact_email", N_("E-post")},
    {"contact_phone", N_("Telefon")},
    {"account", N_("Konto för utbetalning")},
    {"opt_in", N_("Deltar i omfördelningen")},
    {"extra_cap_ore", N_("Kan använda mer")},
    {"confirmed", N_("Villkoren bekräftade")},
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static void money_text(int64_t ore, char *out, size_t n)
{
    if (ore < 0)
        out[0] = '\0';
    else
        money_fmt_ore(out, n, ore);
}

/* One measure as text: "1. vfu, 10 000 kr: description" (cut to fit). */
static void measure_text(const struct req_form *f, size_t i, char *out, size_t n)
{
    char kr[48];
    out[0] = '\0';
    if (i >= f->nmeasures)
        return;
    const struct req_measure *m = &f->measures[i];
    money_text(m->planned_ore, kr, sizeof(kr));
    snprintf(out, n, "%zu. %s, %s: %s", i + 1, m->purpose, kr,
             m->description ? m->description : "");
}

static enum err change(struct case_diff *out, const char *label, const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return ERR_OK;
    if (out->n >= CASE_DIFF_MAX)
        return ERR_LIMIT;
    struct case_change *c = &out->v[out->n++];
    c->label = label;
    case_value_copy(c->old_value, sizeof(c->old_value), a);
    case_value_copy(c->new_value, sizeof(c->new_value), b);
    return ERR_OK;
}

/* The changes in words: amounts in kronor, one line per measure changed,
 * yes and no as catalog texts ("ja", "nej"). */
static enum err diff(const json_t *a, const json_t *b, struct case_diff *out)
{
    struct req_form x, y;
    char s1[512], s2[512]; /* cut to CASE_DIFF_VALUE_LEN by change() */
    out->n = 0;
    req_form_init(&x);
    req_form_init(&y);
    enum err e = ERR_OK;
    if (a)
        e = reqcase_from_json(a, &x, NULL);
    if (e == ERR_OK && b)
        e = reqcase_from_json(b, &y, NULL);
    if (e == ERR_OK) {
        money_text(a ? x.amount_ore : -1, s1, sizeof(s1));
        money_text(b ? y.amount_ore : -1, s2, sizeof(s2));
        e = change(out, fields[0].label, s1, s2);
    }
    size_t nm = x.nmeasures > y.nmeasures ? x.nmeasures : y.nmeasures;
    for (size_t i = 0; e == ERR_OK && i < nm; i++) {
        measure_text(&x, i, s1, sizeof(s1));
        measure_text(&y, i, s2, sizeof(s2));
        e = change(out, fields[1].label, s1, s2);
    }
    if (e == ERR_OK)
        e = change(out, fields[2].label, x.contact_name, y.contact_name);
    if (e == ERR_OK)
        e = change(out, fields[3].label, x.contact_email, y.contact_email);
    if (e == ERR_OK)
        e = change(out, fields[4].label, x.contact_phone, y.contact_phone);
    if (e == ERR_OK) {
        snprintf(s1, sizeof(s1), "%s %s", x.account_kind, x.account);
        snprintf(s2, sizeof(s2), "%s %s", y.account_kind, y.account);
        e = change(out, fields[5].label, a ? s1 : "", b ? s2 : "");
    }
    if (e == ERR_OK)
        e = change(out, fields[6].label,
                   !a         ? ""
                   : x.opt_in ? N_("ja")
                              : N_("nej"),
                   !b         ? ""
                   : y.opt_in ? N_("ja")
                              : N_("nej"));
    if (e == ERR_OK) {
        if (x.extra_cap_ore == REQ_EXTRA_ANY)
            str_copy(s1, sizeof(s1), N_("så mycket som möjligt"));
        else
            money_text(x.extra_cap_ore, s1, sizeof(s1));
        if (y.extra_cap_ore == REQ_EXTRA_ANY)
            str_copy(s2, sizeof(s2), N_("så mycket som möjligt"));
        else
            money_text(y.extra_cap_ore, s2, sizeof(s2));
        e = change(out, fields[7].label, a ? s1 : "", b ? s2 : "");
    }
    if (e == ERR_OK)
        e = change(out, fields[8].label,
                   !a            ? ""
                   : x.confirmed ? N_("ja")
                                 : N_("nej"),
                   !b            ? ""
                   : y.confirmed ? N_("ja")
                                 : N_("nej"));
    req_form_release(&x);
    req_form_release(&y);
    return e == ERR_PARSE ? ERR_STORE : e;
}

static int plan_sniff(const void *data, size_t len, const char *type)
{
    const char *t = req_plan_type(data, len);
    return t && strcmp(t, type) == 0;
}

static const char *const plan_types[] = {"application/pdf", REQ_XLSX_TYPE, NULL};
static const struct case_slot slots[] = {
    {"plan", N_("Produktionsplan"), (int64_t)REQ_PLAN_MAX_BYTES, plan_types, plan_sniff},
};

static const struct case_kind kind = {
    .id = "requisition",
    .prefix = "REK",
    .decision = "BES",
    .party = CASE_PARTY_ORG,
    .unique = CASE_UNIQUE_PROGRAM_PARTY,
    .what = N_("Rekvisition"),
    /* ten measures of 2 000 characters (4 bytes each at most), escaped,
     * and the rest */
    .max_content = (size_t)256 * 1024,
    .fields = fields,
    .nfields = NFIELDS,
    .act = {ACT_REQ_READ, ACT_REQ_REVIEW_READ, ACT_REQ_SAVE, ACT_REQ_SUBMIT, ACT_REQ_WITHDRAW,
            ACT_REQ_RETURN, ACT_REQ_APPROVE, ACT_REQ_REJECT, ACT_REQ_NOTE, ACT_REQ_ASSIGN},
    .codec = {validate, case_canon_json, diff, amount},
    .slots = slots,
    .nslots = sizeof(slots) / sizeof(slots[0]),
    .party_quota = REQ_PLAN_ORG_MAX_BYTES,
};

const struct case_kind *reqcase_kind(void)
{
    return &kind;
}

enum err reqcase_register(void)
{
    return case_kind_register(&kind);
}

/* ---- the requisition's words ---- */

int reqcase_req_state(enum case_state st, enum case_outcome o)
{
    switch (st) {
    case CASE_DRAFT:
        return o == CASE_OUTCOME_NONE ? REQ_DRAFT : -1;
    case CASE_SUBMITTED:
        return o == CASE_OUTCOME_NONE ? REQ_SUBMITTED : -1;
    case CASE_RETURNED:
        return o == CASE_OUTCOME_NONE ? REQ_RETURNED : -1;
    case CASE_DECIDED:
        if (o == CASE_APPROVED || o == CASE_PARTLY_APPROVED)
            return REQ_APPROVED;
        return o == CASE_REJECTED ? REQ_REJECTED : -1;
    case CASE_WITHDRAWN:
        break;
    }
    return -1;
}

const char *reqcase_decision_kind(const char *case_kind)
{
    if (!case_kind)
        return "";
    if (!strcmp(case_kind, "approved") || !strcmp(case_kind, "partly_approved"))
        return "original";
    if (!strcmp(case_kind, "supplementary"))
        return "supplementary";
    if (!strcmp(case_kind, "rejected"))
        return "rejection";
    return "";
}

const char *reqcase_decision_kind_of(const char *req_kind, int64_t amount_ore,
                                     int64_t requested_ore)
{
    if (!req_kind)
        return "";
    if (!strcmp(req_kind, "original"))
        return requested_ore >= 0 && amount_ore < requested_ore ? "partly_approved" : "approved";
    if (!strcmp(req_kind, "supplementary"))
        return "supplementary";
    if (!strcmp(req_kind, "rejection"))
        return "rejected";
    return "";
}
